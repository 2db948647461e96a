/**
 * Every trace event of the raft model, declared once: its fields, its line of text and the
 * function of etcd-io/raft v3.6.0 where it happens (mostly raft.go; upstream logs most of them
 * with `r.logger.Infof`). Every event carries `node`, the raft's id. Nothing is built when no
 * recorder is active.
 *
 * Reading a trace: a message appears once as `raft.send` on its sender (when it is put in
 * `msgs` / `msgsAfterAppend`) and once as `raft.step` on its receiver (with how `Step` handled
 * its term); `raft.vote` says why a vote was granted or rejected, `raft.append` /
 * `raft.commit` / `raft.apply` follow the log, and ticks appear only when a timeout fires.
 */
import { defineEvents, type AnyEventOf, type EventOf, type SourceRef } from '../core/events';

/** The etcd-io/raft release this model follows. */
export const RAFT_TAG = 'v3.6.0';

/** The fields of a message as `raft.send` and `raft.step` show it (`entries`: how many). */
export type RaftMsgFields = {
  msgType: string;
  from: number;
  to: number;
  term: number;
  index: number;
  logTerm: number;
  entries: number;
  commit: number;
  reject: boolean;
};

/**
 * How `Step` handled a message's term: `local` (term 0: MsgHup, MsgBeat, MsgProp, ...),
 * `current` (same term), `higherTerm` (the node moves to it, or not for pre-votes),
 * `ignoredInLease` (a vote within a recently heard leader's lease, with CheckQuorum),
 * `ignoredLowerTerm` (dropped), `answeredLowerTerm` (a stale leader or pre-candidate is told the
 * newer term).
 */
export type StepHandling = 'local' | 'current' | 'higherTerm' | 'ignoredInLease' | 'ignoredLowerTerm' | 'answeredLowerTerm';

/**
 * Why a vote (or pre-vote) was granted or rejected: `granted`, `logNotUpToDate` (the
 * candidate's last entry is older than ours, §5.4.1), `alreadyVoted` (for someone else in this
 * term), `leaderKnown` (we follow a leader in this term).
 */
export type VoteReason = 'granted' | 'logNotUpToDate' | 'alreadyVoted' | 'leaderKnown' | 'labRule';

/** Which timeout a tick fired: `election` (MsgHup), `heartbeat` (MsgBeat), `checkQuorum` (MsgCheckQuorum). */
export type TimeoutKind = 'election' | 'heartbeat' | 'checkQuorum';

/** How the commit index moved: by the leader's quorum, or from a MsgApp / heartbeat / snapshot. */
export type CommitVia = 'quorum' | 'append' | 'heartbeat' | 'snapshot';

/**
 * A step of a read: `pending` (the leader has not committed in its term yet), `confirm` (a
 * heartbeat round with the request's context), `lease` (answered from the lease), `ready` (a
 * ReadState for a local request, or a MsgReadIndexResp for a follower's), `received` (a follower
 * got the leader's answer).
 */
export type ReadIndexStage = 'pending' | 'confirm' | 'lease' | 'ready' | 'received';

/** A transfer `start`ed, `timeoutNow` sent to the caught-up transferee, or `abort`ed. */
export type TransferAction = 'start' | 'timeoutNow' | 'abort';

/** A snapshot `send` (leader), `restore` (follower took it), `ignored` (old, or not for us), `fastForward` (only the commit moved). */
export type SnapshotAction = 'send' | 'restore' | 'ignored' | 'fastForward';

/** The fields of a role change (`become*`). */
export type RoleFields = { node: number; term: number; lead: number; vote: number; randomizedElectionTimeout: number };

/** Event type -> fields. */
export type RaftEventMap = {
  /**
   * The node became a follower of `lead` (0: none known) at `term`. Every role change also
   * carries `vote` (0: none) and `randomizedElectionTimeout` (ticks, redrawn by `reset`), so a
   * view can draw the vote and the election timer from the trace alone.
   */
  'raft.becomeFollower': RoleFields;
  /** The node became a candidate: a new term, voting for itself. */
  'raft.becomeCandidate': RoleFields;
  /** The node became a pre-candidate (term, vote and election timer unchanged). */
  'raft.becomePreCandidate': RoleFields;
  /** The node became leader at `term`. */
  'raft.becomeLeader': RoleFields;
  /** The node starts an election (or a pre-vote round) for `term`, with its last entry. */
  'raft.campaign': { node: number; campaignType: string; term: number; lastIndex: number; lastTerm: number };
  /** A message was queued to send (`afterAppend`: it leaves only once the log is persisted). */
  'raft.send': { node: number; afterAppend: boolean } & RaftMsgFields;
  /** A message was stepped into the node. */
  'raft.step': { node: number; handling: StepHandling } & RaftMsgFields;
  /** The node answered a (pre-)vote request of `candidate`. */
  'raft.vote': {
    node: number;
    msgType: string;
    candidate: number;
    term: number;
    granted: boolean;
    reason: VoteReason;
    candidateIndex: number;
    candidateLogTerm: number;
    lastIndex: number;
    lastTerm: number;
  };
  /**
   * Entries `firstIndex..lastIndex` went into the log at the node's `term` (a leader's append, or
   * a follower's MsgApp); `entryTerms[i]` is the term of entry `firstIndex + i`.
   */
  'raft.append': { node: number; role: 'leader' | 'follower'; firstIndex: number; lastIndex: number; term: number; entryTerms: number[] };
  /** The commit index moved from `from` to `to`. */
  'raft.commit': { node: number; from: number; to: number; term: number; via: CommitVia };
  /** The application applied up to `index` (was `from`). */
  'raft.apply': { node: number; from: number; index: number };
  /** A tick fired a timeout. */
  'raft.timeout': { node: number; kind: TimeoutKind; term: number; elapsed: number };
  /** A step of a ReadIndex request (`ctx`: the request context, `from`: who asked). */
  'raft.readIndex': { node: number; stage: ReadIndexStage; index: number; from: number; ctx: string };
  /** Leadership transfer to `transferee`. */
  'raft.transferLeader': { node: number; action: TransferAction; transferee: number; term: number };
  /** A snapshot at `index`/`term` sent to `to`, or received. */
  'raft.snapshot': { node: number; action: SnapshotAction; index: number; term: number; to: number };
  /** A conf change was applied (`change`: its changes as text), or a proposed one was refused. */
  'raft.confChange': { node: number; action: 'apply' | 'refused'; change: string; config: string; reason: string };
};

export type RaftEvent = AnyEventOf<RaftEventMap>;
export type RaftEventOf<K extends keyof RaftEventMap & string> = EventOf<RaftEventMap, K>;

const RAFT = 'raft.go';
const ref = (symbol: string, file = RAFT): SourceRef => ({ file, symbol });

function hex(id: number): string {
  return id.toString(16);
}

function msg(e: RaftMsgFields): string {
  let s = `${e.msgType} ${hex(e.from)}->${hex(e.to)} term ${e.term}`;
  if (e.index || e.logTerm) s += ` [logterm ${e.logTerm}, index ${e.index}]`;
  if (e.entries) s += ` ${e.entries} entr${e.entries === 1 ? 'y' : 'ies'}`;
  if (e.commit) s += ` commit ${e.commit}`;
  if (e.reject) s += ' reject';
  return s;
}

const HANDLING: Record<StepHandling, string> = {
  local: '',
  current: '',
  higherTerm: ' (higher term)',
  ignoredInLease: ' ignored: within the leader lease',
  ignoredLowerTerm: ' ignored: lower term',
  answeredLowerTerm: ' (lower term: answered so the sender learns the newer term)',
};

const VOTE_REASON: Record<VoteReason, string> = {
  granted: '',
  logNotUpToDate: ': its log is not up to date',
  alreadyVoted: ': already voted in this term',
  leaderKnown: ': a leader is known in this term',
  labRule: ": the lab's grantVote said no",
};

const READ_SOURCE: Record<ReadIndexStage, SourceRef> = {
  pending: ref('stepLeader'),
  confirm: ref('sendMsgReadIndexResponse'),
  lease: ref('sendMsgReadIndexResponse'),
  ready: ref('raft.responseToReadIndexReq'),
  received: ref('stepFollower'),
};

export const raftEvents = defineEvents<RaftEventMap>(
  'raft',
  { name: 'raft', tag: RAFT_TAG, blobUrl: `https://github.com/etcd-io/raft/blob/${RAFT_TAG}/` },
  {
    'raft.becomeFollower': { text: (e) => `${hex(e.node)} became follower at term ${e.term}${e.lead ? `, leader ${hex(e.lead)}` : ''}`, source: ref('raft.becomeFollower') },
    'raft.becomeCandidate': { text: (e) => `${hex(e.node)} became candidate at term ${e.term}`, source: ref('raft.becomeCandidate') },
    'raft.becomePreCandidate': { text: (e) => `${hex(e.node)} became pre-candidate at term ${e.term}`, source: ref('raft.becomePreCandidate') },
    'raft.becomeLeader': { text: (e) => `${hex(e.node)} became leader at term ${e.term}`, source: ref('raft.becomeLeader') },
    'raft.campaign': {
      text: (e) => `${hex(e.node)} campaigns (${e.campaignType}) for term ${e.term} [logterm ${e.lastTerm}, index ${e.lastIndex}]`,
      source: ref('raft.campaign'),
    },
    'raft.send': { text: (e) => `${hex(e.node)} sends ${msg(e)}${e.afterAppend ? ' (after persisting)' : ''}`, source: ref('raft.send') },
    'raft.step': { text: (e) => `${hex(e.node)} steps ${msg(e)}${HANDLING[e.handling]}`, source: ref('raft.Step') },
    'raft.vote': {
      text: (e) =>
        `${hex(e.node)} [logterm ${e.lastTerm}, index ${e.lastIndex}] ${e.granted ? 'cast' : 'rejected'} ${e.msgType} from ${hex(e.candidate)} [logterm ${e.candidateLogTerm}, index ${e.candidateIndex}] at term ${e.term}${VOTE_REASON[e.reason]}`,
      source: ref('raft.Step'),
    },
    'raft.append': {
      text: (e) =>
        `${hex(e.node)} appended ${e.firstIndex === e.lastIndex ? `entry ${e.firstIndex}` : `entries ${e.firstIndex}..${e.lastIndex}`} (${e.role === 'leader' ? 'as leader' : 'from the leader'}) at term ${e.term}`,
      source: (e) => (e.role === 'leader' ? ref('raft.appendEntry') : ref('raft.handleAppendEntries')),
    },
    'raft.commit': {
      text: (e) => `${hex(e.node)} committed ${e.from + 1 === e.to ? `index ${e.to}` : `up to ${e.to} (was ${e.from})`} at term ${e.term}, via ${e.via}`,
      source: (e) =>
        e.via === 'quorum' ? ref('raft.maybeCommit') : e.via === 'append' ? ref('raft.handleAppendEntries') : e.via === 'heartbeat' ? ref('raft.handleHeartbeat') : ref('raft.restore'),
    },
    'raft.apply': { text: (e) => `${hex(e.node)} applied up to ${e.index} (was ${e.from})`, source: ref('raft.appliedTo') },
    'raft.timeout': {
      text: (e) =>
        e.kind === 'election'
          ? `${hex(e.node)} election timeout after ${e.elapsed} ticks at term ${e.term}`
          : e.kind === 'heartbeat'
            ? `${hex(e.node)} heartbeat timeout after ${e.elapsed} ticks`
            : `${hex(e.node)} checks quorum after ${e.elapsed} ticks`,
      source: (e) => (e.kind === 'election' ? ref('raft.tickElection') : ref('raft.tickHeartbeat')),
    },
    'raft.readIndex': {
      text: (e) => {
        const who = e.from && e.from !== e.node ? ` from ${hex(e.from)}` : '';
        switch (e.stage) {
          case 'pending':
            return `${hex(e.node)} holds read ${JSON.stringify(e.ctx)}${who}: no entry committed in its term yet`;
          case 'confirm':
            return `${hex(e.node)} confirms leadership for read ${JSON.stringify(e.ctx)}${who} at commit ${e.index} (heartbeats)`;
          case 'lease':
            return `${hex(e.node)} answers read ${JSON.stringify(e.ctx)}${who} from its lease at ${e.index}`;
          case 'ready':
            return `${hex(e.node)} read ${JSON.stringify(e.ctx)}${who} is ready at index ${e.index}`;
          case 'received':
            return `${hex(e.node)} got read ${JSON.stringify(e.ctx)} from the leader at index ${e.index}`;
        }
      },
      source: (e) => READ_SOURCE[e.stage],
    },
    'raft.transferLeader': {
      text: (e) =>
        e.action === 'start'
          ? `${hex(e.node)} starts transferring leadership to ${hex(e.transferee)} at term ${e.term}`
          : e.action === 'timeoutNow'
            ? `${hex(e.node)} sends MsgTimeoutNow to ${hex(e.transferee)}: its log is up to date`
            : `${hex(e.node)} aborts the leadership transfer to ${hex(e.transferee)}`,
      source: (e) => (e.action === 'start' ? ref('stepLeader') : e.action === 'timeoutNow' ? ref('raft.sendTimeoutNow') : ref('raft.abortLeaderTransfer')),
    },
    'raft.snapshot': {
      text: (e) =>
        e.action === 'send'
          ? `${hex(e.node)} sends snapshot [index ${e.index}, term ${e.term}] to ${hex(e.to)}`
          : e.action === 'restore'
            ? `${hex(e.node)} restored snapshot [index ${e.index}, term ${e.term}]`
            : e.action === 'fastForward'
              ? `${hex(e.node)} fast-forwarded commit to ${e.index}: snapshot [index ${e.index}, term ${e.term}] matches its log`
              : `${hex(e.node)} ignored snapshot [index ${e.index}, term ${e.term}]`,
      source: (e) => (e.action === 'send' ? ref('raft.maybeSendSnapshot') : ref('raft.restore')),
    },
    'raft.confChange': {
      text: (e) => (e.action === 'apply' ? `${hex(e.node)} applied conf change ${e.change}: ${e.config}` : `${hex(e.node)} ignores conf change ${e.change}: ${e.reason}`),
      source: (e) => (e.action === 'apply' ? ref('raft.applyConfChange') : ref('stepLeader')),
    },
  },
);
