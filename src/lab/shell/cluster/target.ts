/**
 * What the terminal's `cluster` commands act on: a cluster of numbered members on a simulated
 * network, with virtual time. A raft cluster (src/lab/raft-session.ts) is one; a replicated etcd
 * can be another, as long as it offers these.
 */

/** One member as `cluster status` prints it. */
export interface MemberStatus {
  id: number;
  /** `crashed` and `paused` win over the raft role. */
  state: 'leader' | 'candidate' | 'pre-candidate' | 'follower' | 'crashed' | 'paused';
  term: number;
  vote: number;
  lead: number;
  lastIndex: number;
  commit: number;
  applied: number;
  /** Election timer: ticks elapsed and the randomized timeout (undefined: none runs, e.g. a leader). */
  electionElapsed?: number;
  electionTimeout?: number;
}

/** A drop rule: a field 0 or '' matches any. */
export interface DropRule {
  id: number;
  msgType: string;
  from: number;
  to: number;
}

/** `as`: what the entry is when the cluster's log holds an application's requests (e.g. `etcd put a=a`). */
export type ProposeOutcome = { ok: true; leader: number; index: number; term: number; as?: string } | { ok: false; error: string };

export interface ClusterTarget {
  members(): number[];
  status(id: number): MemberStatus;
  crash(id: number): void;
  restart(id: number): void;
  pause(id: number): void;
  resume(id: number): void;
  /** Splits the members into groups that cannot reach each other. */
  partition(groups: number[][]): void;
  /** The current groups (empty: none). */
  groups(): number[][];
  /** Removes the partition and every drop rule; returns how many rules went. */
  heal(): number;
  skew(id: number, rate: number): void;
  clockRate(id: number): number;
  drop(rule: Omit<DropRule, 'id'>): DropRule;
  /** Loses one message in flight (or held for a paused member); false when there is no such message. */
  dropMessage?(msgId: number): boolean;
  rules(): DropRule[];
  propose(data: string): ProposeOutcome;
  /** Lets `ms` of virtual time pass (a replicated etcd lets promise continuations run between timers). */
  run(ms: number): void | Promise<void>;
  /** Membership through a conf change proposed to the leader (`learner`: a non-voting member). Upstream: server.go (AddMember, RemoveMember, PromoteMember) */
  addMember?(id: number, learner: boolean): ProposeOutcome;
  removeMember?(id: number): ProposeOutcome;
  promoteMember?(id: number): ProposeOutcome;
  /** The leader hands leadership to `id` (MsgTimeoutNow once `id` caught up). Upstream: server.go (MoveLeader) */
  transfer?(id: number): { ok: true; from: number } | { ok: false; error: string };
  /** Whether `id` is a learner (cluster status marks it). */
  isLearner?(id: number): boolean;
  /** Virtual time, ms since the session began. */
  now(): number;
  /** Messages in flight now. */
  inFlight(): number;
}
