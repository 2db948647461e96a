// Raft model throughput in node (figures, not pass/fail). Run alone with `npx tsx bench/raft.ts`
// (add `--json` for the machine-readable line npm run bench reads).
// - simulated events per wall second of a 5-member RaftCluster under proposal load: node ticks,
//   delivered messages and proposals (the clock's work; the safety checker runs after each);
// - trace events per wall second of the same run with a recorder;
// - seeds per wall second of the raftcluster nemesis property (test/sim/raftcluster.property.test.ts:
//   15 s of faults and proposals, then convergence, the checker throughout);
// - proposals committed (applied by their leader) per simulated second at two offered loads.
// Upstream's counterpart: etcd-io/raft rafttest/node_bench_test.go (BenchmarkProposal3Nodes).
import { pathToFileURL } from 'node:url';
import { TraceRecorder, drawSchedule, newEnv, newMemoryStorage, newRawNode, newRaftCluster, scheduleOn, type RaftCluster, type RawNode } from '../src/sim/index';
import type { BenchRow } from './workqueue';

const MEMBERS = 5;
// The raftcluster safety checker reads every member's whole log after each step, so a run costs
// O(steps x log length): keep the logs to a few thousand entries.
const SIM_MS = 5_000;
const HEAVY_SIM_MS = 2_000;
const ROUNDS = 3;
const SEEDS = 20;

interface LoadRun {
  simEvents: number;
  traceEvents: number;
  committed: number;
  offered: number;
  seconds: number;
  simMs: number;
}

/** A 5-member cluster proposing one entry every `everyMs` for SIM_MS simulated ms. */
function loadRun(everyMs: number, traced: boolean, simMs = SIM_MS): LoadRun {
  const trace = traced ? new TraceRecorder(100_000) : undefined;
  const c = newRaftCluster({ size: MEMBERS, env: newEnv({ seed: 1, trace }) });
  const t0 = performance.now();
  c.runUntil(() => c.leader() !== undefined);
  let offered = 0;
  const start = c.clock.now();
  const propose = () => {
    if (c.clock.now() - start >= simMs) return;
    offered++;
    c.propose(`p${offered}`);
    c.clock.afterFunc(everyMs, propose);
  };
  propose();
  c.run(simMs);
  const seconds = (performance.now() - t0) / 1000;
  const ticks = MEMBERS * Math.floor(c.clock.now() / c.tickMs);
  const simEvents = ticks + c.net.stats().delivered + offered;
  const committed = c.proposals.filter((p) => p.acked).length;
  return { simEvents, traceEvents: trace ? trace.events.length + trace.dropped : 0, committed, offered, seconds, simMs };
}

const CORE_PROPOSALS = 20_000;

/**
 * The raft core alone, for scale: 5 RawNodes in one loop (no network, no clock, no checker),
 * every Ready persisted to MemoryStorage and its messages stepped at once. Returns proposals
 * committed on the leader per wall second.
 */
export function coreRun(): number {
  const ids = [1, 2, 3, 4, 5];
  const storages = new Map(ids.map((id) => [id, newMemoryStorage({ peers: ids })]));
  const nodes = new Map<number, RawNode>(ids.map((id) => [id, newRawNode({ id, electionTick: 10, heartbeatTick: 1, storage: storages.get(id), env: newEnv({ seed: id }) })]));
  const stabilize = () => {
    for (let busy = true; busy; ) {
      busy = false;
      const out: ReturnType<RawNode['ready']>['messages'] = [];
      for (const [id, n] of nodes) {
        if (!n.hasReady()) continue;
        busy = true;
        const rd = n.ready();
        const s = storages.get(id)!;
        if (rd.entries.length > 0) s.append(rd.entries);
        if (rd.hardState.term !== 0) s.setHardState(rd.hardState);
        out.push(...rd.messages);
        n.advance(rd);
      }
      for (const m of out) nodes.get(m.to)!.step(m);
    }
  };
  const leader = nodes.get(1)!;
  leader.campaign();
  stabilize();
  const t0 = performance.now();
  for (let i = 0; i < CORE_PROPOSALS; i++) {
    leader.propose(`p${i}`);
    stabilize();
    // Keep the log short, as an application does once entries are applied.
    if (i % 1000 === 999) for (const [id, n] of nodes) storages.get(id)!.compact(n.raft.raftLog.applied);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (leader.raft.raftLog.committed < CORE_PROPOSALS) throw new Error(`core bench committed ${leader.raft.raftLog.committed}`);
  return CORE_PROPOSALS / seconds;
}

/** One seed of the nemesis property, as the test runs it. */
function nemesisSeed(seed: number, size: number): void {
  const env = newEnv({ seed });
  const c: RaftCluster = newRaftCluster({ size, env, preVote: seed % 2 === 0, checkQuorum: seed % 3 === 0, onViolation: 'record' });
  const schedule = drawSchedule(env.rng.fork('nemesis'), { members: c.members(), durationMs: 15_000 });
  scheduleOn(c.clock, schedule, (a) => c.apply(a));
  let n = 0;
  const propose = () => {
    if (c.clock.now() >= 15_000) return;
    c.propose(`v${n++}`);
    c.clock.afterFunc(250, propose);
  };
  propose();
  c.run(15_000);
  const ok = c.runUntil(() => {
    const l = c.leader();
    if (l === undefined) return false;
    const last = c.node(l)!.raft.raftLog.committed;
    return c.members().every((id) => c.node(id)!.raft.raftLog.committed === last && c.node(id)!.raft.raftLog.applied >= last);
  }, 30_000);
  if (!ok || c.violations.length > 0) throw new Error(`nemesis seed ${seed}: did not converge or violated safety`);
}

function best<T>(rounds: number, run: () => T, rate: (r: T) => number): { value: number; last: T } {
  let value = 0;
  let last!: T;
  for (let i = 0; i < rounds; i++) {
    last = run();
    value = Math.max(value, rate(last));
  }
  return { value: Math.round(value), last };
}

export function benchRaft(): BenchRow[] {
  const plain = best(ROUNDS, () => loadRun(10, false), (r) => r.simEvents / r.seconds);
  const traced = best(ROUNDS, () => loadRun(10, true), (r) => r.traceEvents / r.seconds);
  const seeds = best(ROUNDS, () => {
    const t0 = performance.now();
    for (let s = 0; s < SEEDS; s++) nemesisSeed(s, s % 2 === 0 ? 3 : 5);
    return SEEDS / ((performance.now() - t0) / 1000);
  }, (r) => r);
  const perSimSecond = (r: LoadRun) => Math.round(r.committed / (r.simMs / 1000));
  const heavy = loadRun(1, false, HEAVY_SIM_MS);
  const core = best(ROUNDS, coreRun, (r) => r);
  return [
    { name: `raft: 5-member cluster, simulated events (ticks, deliveries, proposals), 100 props/s, ${SIM_MS / 1000} s sim, best of ${ROUNDS}`, value: plain.value, unit: 'events/s' },
    { name: `raft: same run traced, trace events recorded, best of ${ROUNDS}`, value: traced.value, unit: 'events/s' },
    { name: `raft: nemesis property, seeds (3 and 5 members, 15 s faults + convergence), ${SEEDS} seeds, best of ${ROUNDS}`, value: seeds.value, unit: 'seeds/s' },
    { name: `raft: proposals committed per simulated second, 100 offered/s (${plain.last.committed}/${plain.last.offered})`, value: perSimSecond(plain.last), unit: 'props/sim-s' },
    { name: `raft: proposals committed per simulated second, 1000 offered/s, ${HEAVY_SIM_MS / 1000} s sim (${heavy.committed}/${heavy.offered})`, value: perSimSecond(heavy), unit: 'props/sim-s' },
    { name: `raft: simulated seconds per wall second, 100 props/s, ${SIM_MS / 1000} s sim`, value: Math.round((SIM_MS / 1000 / plain.last.seconds) * 10) / 10, unit: 'sim-s/s' },
    { name: `raft: RawNode core alone, 5 nodes in one loop, no network/checker (${CORE_PROPOSALS / 1000}k proposals, best of ${ROUNDS})`, value: core.value, unit: 'commits/s' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = benchRaft();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(110)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
