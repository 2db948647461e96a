/**
 * What the raft rule labs (raft-vote-rule, raft-commit-rule) check a learner's rule with: raft
 * clusters running the rule under a nemesis drawn from each seed, the safety checker after every
 * step, and at the end (every fault undone) the question whether the cluster recovered and kept
 * every acknowledged write. The first failing seed is reported with its fault schedule, which
 * replays the same run byte for byte.
 */
import { TraceRecorder, drawSchedule, formatMs, formatSchedule, newEnv, newRaftCluster, raftView, scheduleOn, type NemesisFault, type RaftCluster, type RaftRules, type TimedAction, type TraceEvent } from '../sim/index';

export interface RaftFuzzOptions {
  rules: RaftRules;
  seeds: readonly number[];
  /** Cluster sizes, used in turn over the seeds (default 3 and 5). */
  sizes?: readonly number[];
  faults?: NemesisFault[];
  /** The nemesis's quiet gaps and fault lengths (drawSchedule's defaults when omitted). */
  gapMs?: { min: number; max: number };
  faultMs?: { min: number; max: number };
  /** Virtual time under faults (default 10 s); then up to 20 s to recover. */
  durationMs?: number;
  /** Proposals every this many ms while faults run (default 100). */
  proposeEveryMs?: number;
  /** Raft's MaxSizePerMsg: 1 sends one entry per MsgApp (default: no limit). */
  maxSizePerMsg?: number;
}

export interface RaftFuzzFailure {
  seed: number;
  size: number;
  schedule: TimedAction[];
  /** What went wrong, in a sentence. */
  problem: string;
  /** The run's cluster as it stopped (for a check to look at). */
  cluster: RaftCluster;
  /** Runs the same seed again with a recorder: the run's trace events, up to the failure. */
  replay(): TraceEvent[];
}

/** Runs every seed; returns the first failure, or undefined when every seed held. */
export function fuzzRaftRules(o: RaftFuzzOptions): RaftFuzzFailure | undefined {
  const sizes = o.sizes ?? [3, 5];
  for (const [i, seed] of o.seeds.entries()) {
    const failure = runSeed(o, seed, sizes[i % sizes.length]);
    if (failure) return failure;
  }
  return undefined;
}

function runSeed(o: RaftFuzzOptions, seed: number, size: number, trace?: TraceRecorder): RaftFuzzFailure | undefined {
  const durationMs = o.durationMs ?? 10_000;
  const env = newEnv({ seed, trace });
  const c = newRaftCluster({ size, env, onViolation: 'record', raft: { rules: o.rules, ...(o.maxSizePerMsg ? { maxSizePerMsg: o.maxSizePerMsg } : {}) } });
  const schedule = drawSchedule(env.rng.fork('nemesis'), { members: c.members(), durationMs, faults: o.faults, gapMs: o.gapMs, faultMs: o.faultMs });
  const fail = (problem: string): RaftFuzzFailure => ({
    seed,
    size,
    schedule,
    problem,
    cluster: c,
    replay() {
      const recorder = new TraceRecorder(1_000_000);
      runSeed(o, seed, size, recorder);
      return recorder.events;
    },
  });
  scheduleOn(c.clock, schedule, (a) => c.apply(a));
  let n = 0;
  const propose = () => {
    if (c.clock.now() >= durationMs) return;
    c.propose(`v${++n}`);
    // A client that still talks to a deposed leader (cut off, in an old term) writes there too:
    // entries that must never commit, and the logs that test the vote rule.
    const newest = c.leader();
    for (const id of c.members()) {
      const node = c.node(id);
      if (id !== newest && node?.raft.state === 'StateLeader') node.propose(`stale${n}@${id}`);
    }
    c.clock.afterFunc(o.proposeEveryMs ?? 100, propose);
  };
  try {
    propose();
    c.run(durationMs);
    return judge(c, fail);
  } catch (err) {
    // raft panics where upstream does (a log that went backwards, a commit past the end): say
    // which safety property the state shows broken, if any, with the panic.
    const views = c.members().flatMap((id) => {
      const node = c.node(id);
      return node ? [raftView(node.raft)] : [];
    });
    const found = [...c.violations, ...c.checker.observe(views, c.clock.now())];
    const panic = err instanceof Error ? err.message : String(err);
    return fail(`raft panicked at ${formatMs(c.clock.now())}: "${panic}"${found.length ? `, after ${describeViolation(found[0])}` : ''}`);
  }
}

/** After the faults: no violation, a leader that every member caught up with, every acknowledged write kept. */
function judge(c: RaftCluster, fail: (problem: string) => RaftFuzzFailure): RaftFuzzFailure | undefined {
  if (c.violations.length > 0) return fail(describeViolation(c.violations[0]));
  const recovered = c.runUntil(() => {
    const l = c.leader();
    if (l === undefined) return false;
    const commit = c.node(l)!.raft.raftLog.committed;
    return c.members().every((id) => c.node(id)!.raft.raftLog.applied >= commit);
  }, 20_000);
  if (c.violations.length > 0) return fail(describeViolation(c.violations[0]));
  if (!recovered) {
    const l = c.leader();
    return fail(l === undefined ? 'no leader was elected in the 20 s after every fault ended' : `the members did not catch up with leader ${l} in the 20 s after every fault ended`);
  }
  const acked = c.proposals.filter((p) => p.acked);
  if (acked.length === 0) return fail('no proposal was ever acknowledged: nothing committed');
  for (const id of c.members()) {
    const byIndex = new Map(c.applied(id).map((e) => [e.index, e.data]));
    for (const p of acked) {
      if (byIndex.get(p.index) !== p.data) return fail(`member ${id} lost acknowledged write ${p.data} (index ${p.index}): it applied ${JSON.stringify(byIndex.get(p.index) ?? null)} there`);
    }
  }
  return undefined;
}

function describeViolation(v: { property: string; message: string; atMs?: number }): string {
  return `${v.property} broke${v.atMs !== undefined ? ` at ${formatMs(v.atMs)}` : ''}: ${v.message}`;
}

/** A failure as the lines a check prints: the seed, the size, the problem and the schedule. */
export function formatFailure(f: RaftFuzzFailure): string {
  return `seed ${f.seed}, ${f.size} members: ${f.problem}\nfault schedule (replays this run):\n${formatSchedule(f.schedule)}`;
}
