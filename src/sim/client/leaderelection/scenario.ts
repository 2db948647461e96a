/**
 * A seeded leader-election scenario on the API server model: 2–3 candidates for one Lease (as
 * kube-controller-manager runs on each control-plane node), faults injected at random moments
 * (a candidate cut off the API server in one of the `PartitionMode`s, a crash and restart under a
 * new identity), and a record of who led when. The property tests and a longer fuzz run share it.
 */
import { FakeClock } from '../../core/clock';
import { runUntilIdle } from '../../core/drive';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { newLabCluster } from '../../cluster/cluster';
import { newClientset } from '../clientset';
import { Context } from './context';
import { leaderElectionIdentity } from './identity';
import { newLeaderElector, type LeaderElector } from './leaderelection';
import { LeaseLock } from './resourcelock';
import { newPartitionableTransport, newSkewedClock, type PartitionMode } from './testing';

export interface ElectionScenarioOptions {
  seed: number | string;
  /** Candidates (default 3). */
  candidates?: number;
  /** Virtual time with faults (default 120 s); then every fault heals and `settleMs` (default 40 s) more passes. */
  durationMs?: number;
  settleMs?: number;
  /** Per candidate: its clock's offset and rate (default: offsets drawn within ±1 h, rate 1). */
  clocks?: Array<{ offsetMs?: number; rate?: number }>;
  /** Inject random faults (default true), none (false), or these, at virtual ms after the start. */
  faults?: boolean | ReadonlyArray<{ atMs: number; candidate: number; fault: PartitionMode | 'crash' }>;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  releaseOnCancel?: boolean;
  trace?: TraceRecorder;
}

/** One leading term of one process, on the shared clock. */
export interface LeadingInterval {
  candidate: number;
  identity: string;
  fromMs: number;
  /** Undefined while still leading at the end. */
  toMs?: number;
}

export interface ElectionScenarioResult {
  intervals: LeadingInterval[];
  /** Each moment a candidate started leading while another still was. */
  overlaps: Array<{ atMs: number; started: string; stillLeading: string }>;
  /** Who leads at the end (after every fault healed), by candidate index. */
  leadersAtEnd: number[];
  /** The faults injected, as `t=<ms> cp-<n> <what>`. */
  faults: string[];
  startMs: number;
}

const T0 = Date.UTC(2026, 11, 5, 10, 0, 0);
const MODES: PartitionMode[] = ['refuse', 'blackhole', 'lose-response'];

export async function runElectionScenario(o: ElectionScenarioOptions): Promise<ElectionScenarioResult> {
  const rng = rngFromSeed(`election/${o.seed}`);
  const clock = new FakeClock(T0);
  const cluster = await newLabCluster({ clock });
  const n = o.candidates ?? 3;
  const intervals: LeadingInterval[] = [];
  const overlaps: ElectionScenarioResult['overlaps'] = [];
  const faults: string[] = [];
  const transports = Array.from({ length: n }, () => newPartitionableTransport(cluster.apiServer));
  const electors: Array<LeaderElector | undefined> = Array.from({ length: n }, () => undefined);
  const ctxs: Context[] = [];
  const open = new Map<number, LeadingInterval>();
  let ended = false;

  const start = (i: number, generation: number) => {
    const c = o.clocks?.[i] ?? { offsetMs: rng.int(7_200_000) - 3_600_000 };
    const candidateClock = newSkewedClock(clock, c);
    const identity = leaderElectionIdentity(`cp-${i + 1}`, rng.fork(`identity/${i}/${generation}`));
    const client = newClientset(transports[i], { clock, qps: -1, userAgent: `kube-controller-manager/v1.34.0 (leader-election)` });
    const renewDeadlineMs = o.renewDeadlineMs ?? 10_000;
    const lock = new LeaseLock({ namespace: 'kube-system', name: 'kube-controller-manager', client, identity, timeoutMs: Math.max(1000, renewDeadlineMs / 2), clock: candidateClock });
    const le = newLeaderElector({
      lock,
      leaseDurationMs: o.leaseDurationMs ?? 15_000,
      renewDeadlineMs,
      retryPeriodMs: o.retryPeriodMs ?? 2_000,
      releaseOnCancel: o.releaseOnCancel,
      name: 'kube-controller-manager',
      clock: candidateClock,
      rng: rng.fork(`elector/${i}/${generation}`),
      trace: o.trace,
      callbacks: {
        onStartedLeading: () => {
          for (const [j, other] of open) if (j !== i) overlaps.push({ atMs: clock.now(), started: identity, stillLeading: other.identity });
          const iv: LeadingInterval = { candidate: i, identity, fromMs: clock.now() };
          intervals.push(iv);
          open.set(i, iv);
        },
        onStoppedLeading: () => {
          const iv = open.get(i);
          if (iv?.identity === identity) {
            iv.toMs = clock.now();
            open.delete(i);
          }
        },
      },
    });
    electors[i] = le;
    const ctx = new Context();
    ctxs[i] = ctx;
    // The process exits when Run returns; its supervisor (the kubelet, for a static Pod) restarts it.
    void le.run(ctx).then(() => {
      if (!ended) clock.afterFunc(1000 + rng.int(10_000), () => !ended && start(i, generation + 1));
    });
  };

  for (let i = 0; i < n; i++) start(i, 0);

  const fault = (i: number, what: PartitionMode | 'crash') => {
    faults.push(`t=${clock.now() - T0} cp-${i + 1} ${what}`);
    if (what === 'crash') ctxs[i].cancel();
    else transports[i].mode = what;
  };
  if (Array.isArray(o.faults)) {
    for (const f of o.faults) clock.afterAt(T0 + f.atMs, () => fault(f.candidate, f.fault));
    await runUntilIdle(clock, { forMs: o.durationMs ?? 120_000 });
  } else if (o.faults !== false) {
    const durationMs = o.durationMs ?? 120_000;
    const inject = () => {
      if (ended || clock.now() - T0 >= durationMs) return;
      const i = rng.int(n);
      const roll = rng.int(10);
      fault(i, roll < 5 ? 'up' : roll < 9 ? MODES[rng.int(MODES.length)] : 'crash');
      clock.afterFunc(1000 + rng.int(15_000), inject);
    };
    clock.afterFunc(1000 + rng.int(10_000), inject);
    await runUntilIdle(clock, { forMs: durationMs });
  }
  for (const t of transports) t.mode = 'up';
  await runUntilIdle(clock, { forMs: o.settleMs ?? 40_000 });
  ended = true;
  const leadersAtEnd = [...open.keys()].sort();
  for (const c of ctxs) c.cancel();
  await runUntilIdle(clock, { forMs: 1 });
  return { intervals, overlaps, leadersAtEnd, faults, startMs: T0 };
}
