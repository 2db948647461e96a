/**
 * Test doubles for the prober (upstream's tests use fakeExecProber, a test HTTP server and a fake
 * status manager): a ProbeRunner answering from tables and a PodStatusProvider over a map.
 */
import type { Pod, PodStatus } from '../../api/core/v1';
import type { FakeClock } from '../../core/clock';
import { rfc3339 } from '../../apiserver/registry/strategy';
import type { EventRecorder } from '../../client/record';
import type { ApiContainerStatus, Probe, ProbedContainer } from './api';
import type { GrpcProbeRunner } from './probe';
import type { PodStatusProvider, ProbeType } from './types';
import { rngFromSeed } from '../../core/rng';
import { EventEmitter } from '../../core/events';
import { proberEvents } from './events';
import { newProber } from './prober';
import { newResultsManager } from './results_manager';
import type { Worker, WorkerHost } from './worker';

export interface FakeRunnerConfig {
  /** Ports that accept connections; others refuse (Go's dial error). */
  listening?: number[];
  /** The HTTP answer (default 200 "ok"); return 'hang' to never answer. */
  http?: (ip: string, port: number, path: string) => { statusCode: number; body?: string } | 'hang';
  /** The exec answer (default exit 0); return 'hang' to never answer, or throw for a runtime error. */
  exec?: (cmd: string[]) => { exitCode: number; stdout?: string; stderr?: string } | 'hang';
}

export interface FakeRunner extends GrpcProbeRunner {
  config: FakeRunnerConfig;
  calls: string[];
}

const never = new Promise<never>(() => {});

export function newFakeRunner(config: FakeRunnerConfig = {}): FakeRunner {
  const refused = (ip: string, port: number) => new Error(`dial tcp ${ip}:${port}: connect: connection refused`);
  const r: FakeRunner = {
    config,
    calls: [],
    async exec(containerId, cmd) {
      r.calls.push(`exec ${containerId} ${cmd.join(' ')}`);
      const a = r.config.exec?.(cmd) ?? { exitCode: 0 };
      if (a === 'hang') return never;
      return { exitCode: a.exitCode, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
    },
    async httpGet(ip, port, path) {
      r.calls.push(`http ${ip}:${port}${path}`);
      if (r.config.listening && !r.config.listening.includes(port)) throw refused(ip, port);
      const a = r.config.http?.(ip, port, path) ?? { statusCode: 200, body: 'ok' };
      if (a === 'hang') return never;
      return { statusCode: a.statusCode, body: a.body ?? '' };
    },
    async tcpConnect(ip, port) {
      r.calls.push(`tcp ${ip}:${port}`);
      if (r.config.listening && !r.config.listening.includes(port)) throw refused(ip, port);
    },
  };
  return r;
}

export interface FakeStatusProvider extends PodStatusProvider {
  statuses: Map<string, PodStatus>;
}

export function newFakeStatusProvider(): FakeStatusProvider {
  const statuses = new Map<string, PodStatus>();
  return { statuses, getPodStatus: (uid) => statuses.get(uid) };
}

/** Upstream's getTestPod: one container `testContainer` with the probe of `probeType`. */
export function getTestPod(probeType: ProbeType, probe: Probe, uid = 'test-pod-uid'): Pod {
  const c: ProbedContainer = { name: 'testContainer', ports: [{ name: 'http', containerPort: 8080 }] };
  if (probeType === 'Liveness') c.livenessProbe = probe;
  if (probeType === 'Readiness') c.readinessProbe = probe;
  if (probeType === 'Startup') c.startupProbe = probe;
  return { metadata: { name: 'test-pod', namespace: 'test', uid }, spec: { containers: [c], restartPolicy: 'Never' } };
}

/** A running container `testContainer` started at `startedAtMs`, with `started` as given. */
export function runningStatus(clock: FakeClock, opts: { startedAtMs?: number; started?: boolean; containerID?: string } = {}): PodStatus {
  const cs: ApiContainerStatus = {
    name: 'testContainer',
    containerID: opts.containerID ?? 'containerd://test-container-id',
    state: { running: { startedAt: rfc3339(opts.startedAtMs ?? clock.now()) } },
    started: opts.started ?? true,
  };
  return { phase: 'Running', podIP: '10.244.1.5', containerStatuses: [cs] };
}

export interface RecordedEvent {
  type: string;
  reason: string;
  message: string;
}

export function newFakeRecorder(): EventRecorder & { events: RecordedEvent[] } {
  const events: RecordedEvent[] = [];
  return {
    events,
    async event(_o, type, reason, message) {
      events.push({ type, reason, message });
    },
  };
}

/** A worker host as upstream's newTestManager builds one: fresh results managers, the fake status map. */
export function newTestHost(clock: FakeClock, runner: GrpcProbeRunner, recorder?: EventRecorder) {
  const liveness = newResultsManager();
  const readiness = newResultsManager();
  const startup = newResultsManager();
  const status = newFakeStatusProvider();
  const removed: Worker[] = [];
  const host: WorkerHost = {
    clock,
    rng: rngFromSeed(1),
    prober: newProber(clock, runner, recorder),
    statusProvider: status,
    startMs: clock.now(),
    events: new EventEmitter(proberEvents, { clock, trace: undefined }, { node: '' }),
    resultsManagerFor: (t) => (t === 'Liveness' ? liveness : t === 'Readiness' ? readiness : startup),
    removeWorker: (w) => void removed.push(w),
  };
  return { host, status, liveness, readiness, startup, removed };
}
