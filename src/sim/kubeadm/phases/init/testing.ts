/** Fixtures for the init phase tests: a node ready for kubeadm at the session's "today". */
import { FakeClock } from '../../../core/clock';
import { rngFromSeed } from '../../../core/rng';
import { newHost, type HostOptions } from '../../../host/host';
import { defaultedInitConfiguration, type InitFlags } from '../../apis/flags';
import { InitData, type InitDataOptions } from './data';

/** 2026-12-05 10:00:00 UTC. */
export const INIT_MS = Date.UTC(2026, 11, 5, 10, 0, 0);

export interface Fixture {
  data: InitData;
  output: () => string;
}

/** A 2-CPU node named cp1 (10.0.0.10) with forwarding on: it passes preflight. */
export function initFixture(opts: { host?: Partial<HostOptions>; flags?: InitFlags; data?: Partial<InitDataOptions>; seed?: number } = {}): Fixture {
  const clock = new FakeClock(INIT_MS);
  const host = newHost({ name: 'cp1', cpus: 2, ipForward: true, clock, trace: opts.data?.trace, ...opts.host });
  const loaded = defaultedInitConfiguration(opts.flags ?? {}, { hostname: host.name, defaultAddress: host.state.ip, rng: rngFromSeed(opts.seed ?? 1) });
  let text = '';
  const write = (s: string) => {
    text += s;
  };
  const data = new InitData({ host, init: loaded.initConfiguration, cluster: loaded.clusterConfiguration, clock, rng: rngFromSeed(opts.seed ?? 1), out: write, err: write, pid: 4242, ...opts.data });
  return { data, output: () => text };
}

/** The files (not directories) under `dir` with their permission bits, in `ls -R` order. */
export function filesUnder(d: InitData, dir: string): string[] {
  if (!d.host.fs.exists(dir)) return [];
  return d.host.fs
    .walk(dir)
    .map((p) => d.host.fs.lstat(p))
    .filter((i) => i.type === 'file')
    .map((i) => `${(i.mode & 0o777).toString(8).padStart(4, '0')} ${i.path}`);
}
