/** Fixtures for the kubeadm PKI tests: one control-plane node at a fixed time. */
import { FakeClock } from '../../core/clock';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import type { PkiEnv } from './certs';
import type { PkiInitConfiguration } from './config';

/** 2026-12-05 10:00:00 UTC, the session's "today". */
export const INIT_MS = Date.UTC(2026, 11, 5, 10, 0, 0);
export const DAY_MS = 24 * 3_600_000;

export function testConfig(over: Partial<PkiInitConfiguration> = {}): PkiInitConfiguration {
  return { nodeRegistration: { name: 'cp1' }, localAPIEndpoint: { advertiseAddress: '10.0.0.10' }, ...over };
}

export function testEnv(seed: number | string = 1): PkiEnv & { clock: FakeClock; trace: TraceRecorder } {
  return { clock: new FakeClock(INIT_MS), rng: rngFromSeed(seed), trace: new TraceRecorder() };
}
