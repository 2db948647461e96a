/**
 * A lab's raft session (lab.yaml `raft`): a RaftCluster in the page with a trace recorder, what
 * the terminal's `cluster` commands act on and the raft view draws. Time moves only with
 * `cluster run` and `sleep`; the cluster's safety checker records what it finds, and each
 * finding is in the trace (the cluster emits `raftcheck.violation`, which the view flags and the
 * timeline marks) and goes to the terminal.
 *
 * The page sees the session through `RaftSession` and the commands see the cluster through a
 * `ClusterTarget`, so a replicated etcd can take the RaftCluster's place behind both.
 */
import { TraceRecorder, newEnv, newRaftCluster, type RaftCluster, type RuleHandle, type SafetyViolation, type TraceEvent } from '../sim/index';
import { registerClusterCommands, type ClusterTarget, type DropRule, type MemberStatus } from './shell/cluster/index';
import type { Shell, ShellIO } from './shell/registry';

export interface RaftSessionConfig {
  members: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  /** etcd v3.6 runs on the members (the terminal gets `etcdctl`); see etcd-session.ts. */
  etcd?: boolean;
  /** An API server stores in the replicated etcd (the terminal gets `kubectl`). */
  apiServer?: boolean;
}

export interface RaftSession {
  /** Every event since the session began (the raft view's trace; it grows in place). */
  readonly events: readonly TraceEvent[];
  /** What the `cluster` commands act on. */
  readonly target: ClusterTarget;
}

const STATE: Record<string, MemberStatus['state']> = { StateLeader: 'leader', StateCandidate: 'candidate', StatePreCandidate: 'pre-candidate', StateFollower: 'follower' };

/** The `cluster` commands' view of a RaftCluster. */
export function raftClusterTarget(cluster: RaftCluster): ClusterTarget {
  const rules: Array<DropRule & { handle: RuleHandle }> = [];
  /** What each member last showed while up: a crashed member's persisted state reads the same. */
  const lastSeen = new Map<number, MemberStatus>();
  const status = (id: number): MemberStatus => {
    const r = cluster.node(id)?.raft;
    if (!r) {
      const seen = lastSeen.get(id);
      return { ...(seen ?? { id, term: 0, vote: 0, lead: 0, lastIndex: 0, commit: 0, applied: 0 }), state: 'crashed', lead: 0, applied: 0, electionElapsed: undefined, electionTimeout: undefined };
    }
    const leader = r.state === 'StateLeader';
    const s: MemberStatus = {
      id,
      state: cluster.net.state(id) === 'paused' ? 'paused' : STATE[r.state],
      term: r.term,
      vote: r.vote,
      lead: r.lead,
      lastIndex: r.raftLog.lastIndex(),
      commit: r.raftLog.committed,
      applied: r.raftLog.applied,
      ...(leader ? {} : { electionElapsed: r.electionElapsed, electionTimeout: r.randomizedElectionTimeout }),
    };
    lastSeen.set(id, s);
    return s;
  };
  return {
    members: () => cluster.members(),
    status,
    crash(id) {
      status(id);
      cluster.crash(id);
    },
    restart: (id) => cluster.restart(id),
    pause: (id) => cluster.pause(id),
    resume: (id) => cluster.resume(id),
    partition: (groups) => cluster.partition(groups),
    groups: () => cluster.net.groups(),
    heal() {
      cluster.heal();
      const n = rules.length;
      for (const r of rules.splice(0)) r.handle.remove();
      return n;
    },
    skew: (id, rate) => cluster.skew(id, rate),
    clockRate: (id) => cluster.net.clockRate(id),
    drop(rule) {
      const handle = cluster.net.drop({ from: rule.from, to: rule.to, type: rule.msgType });
      const r = { ...rule, id: handle.id, handle };
      rules.push(r);
      return { id: r.id, msgType: r.msgType, from: r.from, to: r.to };
    },
    rules: () => rules.map(({ id, msgType, from, to }) => ({ id, msgType, from, to })),
    dropMessage: (msgId) => cluster.net.dropMessage(msgId),
    propose: (data) => cluster.propose(data),
    addMember: (id, learner) => cluster.addMember(id, { learner }),
    removeMember: (id) => cluster.removeMember(id),
    promoteMember: (id) => cluster.promoteMember(id),
    transfer: (id) => cluster.transferLeadership(id),
    isLearner(id) {
      const lead = cluster.leader();
      const r = cluster.node(lead ?? id)?.raft ?? cluster.node(id)?.raft;
      return r?.trk.config.learners?.has(id) ?? false;
    },
    run: (ms) => cluster.run(ms),
    now: () => cluster.clock.now(),
    inFlight: () => cluster.net.inFlight().length,
  };
}

/** A new session cluster, seeded as the page seeds it; its nodes start ticking at once (no time has passed). */
export function newRaftSessionCluster(seed: number, config: RaftSessionConfig, trace = new TraceRecorder()): RaftCluster {
  return newRaftCluster({ size: config.members, preVote: config.preVote, checkQuorum: config.checkQuorum, env: newEnv({ seed, trace }), onViolation: 'record' });
}

/** What a session runs: the commands' target, and the safety checker's findings so far. */
export interface SessionCluster {
  target: ClusterTarget;
  violations(): readonly SafetyViolation[];
  /** Registers the session's other commands (a replicated etcd's `etcdctl`, `kubectl`); `after` reports and redraws as the `cluster` commands do. */
  commands?(shell: Shell, after: (io: ShellIO) => void): void;
}

/** The default session cluster: a RaftCluster recording to `trace`. */
export function raftSessionCluster(seed: number, config: RaftSessionConfig, trace: TraceRecorder): SessionCluster {
  const cluster = newRaftSessionCluster(seed, config, trace);
  return { target: raftClusterTarget(cluster), violations: () => cluster.violations };
}

export function mountRaftSession(opts: {
  shell: Shell;
  seed: number;
  config: RaftSessionConfig;
  /** After each command: the view shows `events` with the cursor at the end. */
  onChange?(events: readonly TraceEvent[]): void;
  /** Builds the cluster the session runs (default: `raftSessionCluster`; a replicated etcd can take its place). */
  cluster?(seed: number, config: RaftSessionConfig, trace: TraceRecorder): SessionCluster;
}): RaftSession {
  const trace = new TraceRecorder();
  const session = (opts.cluster ?? raftSessionCluster)(opts.seed, opts.config, trace);
  const { target, violations } = session;
  let reported = 0;
  const afterCommand = (io: ShellIO) => {
    const found = violations();
    // The cluster traces each finding itself (raftcheck.violation, which the view flags and the timeline marks).
    for (const v of found.slice(reported)) io.error(`safety violation: ${v.property}: ${v.message}`);
    reported = found.length;
    if (trace.dropped) io.error(`the session's trace is full (${trace.events.length} events): the view stops here; reload the page for a fresh cluster`);
  };
  const onChange = () => opts.onChange?.(trace.events);
  registerClusterCommands(opts.shell, target, { onChange, afterCommand });
  session.commands?.(opts.shell, (io) => {
    afterCommand(io);
    onChange();
  });
  return { events: trace.events, target };
}
