/**
 * Lab rules: two decisions of the core that a lab lets the learner write, and the plain,
 * frozen inputs they get. Unset, the core decides as etcd-io/raft v3.6.0 does; set, it asks
 * the rule and checks the answer. Not in upstream: a teaching seam (README.md, divergences).
 */
import type { Raft } from './raft';
import type { Message } from './raftpb';
import { panic } from './errors';

/** What a voter knows when it decides a MsgVote / MsgPreVote. */
export interface VoteRuleState {
  readonly id: number;
  readonly term: number;
  /** Who we voted for in `term` (0: nobody). */
  readonly vote: number;
  /** The leader we know in `term` (0: none). */
  readonly lead: number;
  /** Our last entry's index and term. */
  readonly lastIndex: number;
  readonly lastTerm: number;
}

/** The request: the candidate `from`, its (next) `term`, and its last entry (`index`, `logTerm`). */
export interface VoteRequest {
  readonly type: 'MsgVote' | 'MsgPreVote';
  readonly from: number;
  readonly term: number;
  readonly index: number;
  readonly logTerm: number;
}

/** What a leader knows when it decides how far to commit. */
export interface CommitRuleState {
  readonly id: number;
  readonly term: number;
  readonly committed: number;
  readonly lastIndex: number;
  /** Each voter's Match: the highest index known to be in its log (the leader's own included). */
  readonly match: Readonly<Record<number, number>>;
  /** The term of the entry at `index` in the leader's log (0 if compacted away or past the end). */
  termAt(index: number): number;
}

export interface RaftRules {
  /** Grant the vote? Upstream's rule: raft.go (raft.Step, case MsgVote/MsgPreVote). */
  grantVote?(r: VoteRuleState, m: VoteRequest): boolean;
  /** The index to commit up to (the current `committed` to commit nothing). Upstream's rule: raft.go (raft.maybeCommit). */
  commitIndex?(r: CommitRuleState): number;
}

export function voteRuleState(r: Raft): VoteRuleState {
  const last = r.raftLog.lastEntryID();
  return Object.freeze({ id: r.id, term: r.term, vote: r.vote, lead: r.lead, lastIndex: last.index, lastTerm: last.term });
}

export function voteRequest(m: Message): VoteRequest {
  return Object.freeze({ type: m.type as VoteRequest['type'], from: m.from, term: m.term, index: m.index, logTerm: m.logTerm });
}

/** Asks the rule; anything but a boolean is the rule's bug, said plainly. */
export function askGrantVote(rule: NonNullable<RaftRules['grantVote']>, r: Raft, m: Message): boolean {
  const answer: unknown = rule(voteRuleState(r), voteRequest(m));
  if (typeof answer !== 'boolean') panic(`grantVote must return true or false, returned ${describe(answer)} (node ${r.id}, ${m.type} from ${m.from})`);
  return answer;
}

export function commitRuleState(r: Raft): CommitRuleState {
  const match: Record<number, number> = {};
  for (const id of r.trk.voterNodes()) match[id] = r.prs.get(id)?.match ?? 0;
  const termAt = (index: number): number => {
    if (!Number.isInteger(index)) return 0;
    const t = r.raftLog.termOrError(index);
    return typeof t === 'number' ? t : 0;
  };
  return Object.freeze({ id: r.id, term: r.term, committed: r.raftLog.committed, lastIndex: r.raftLog.lastIndex(), match: Object.freeze(match), termAt });
}

/** Asks the rule for an index; it must be an integer not past the leader's last index. */
export function askCommitIndex(rule: NonNullable<RaftRules['commitIndex']>, r: Raft): number {
  const answer: unknown = rule(commitRuleState(r));
  const last = r.raftLog.lastIndex();
  if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < 0) {
    panic(`commitIndex must return a whole number, returned ${describe(answer)} (leader ${r.id}, term ${r.term})`);
  }
  if (answer > last) panic(`commitIndex returned ${answer}, past the leader's last index ${last} (leader ${r.id}, term ${r.term})`);
  return answer;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

