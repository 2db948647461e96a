/**
 * The raft state machine: one node's role, term, vote and log, driven only by `tick()` and
 * `step(msg)`. It never sends or persists anything itself: outgoing messages wait in `msgs`
 * (and `msgsAfterAppend`, the ones that may only leave after the log is persisted) until the
 * caller reads them. Upstream: raft.go at etcd-io/raft v3.6.0.
 */
import { resolveEnv, type EnvConfig } from '../core/env';
import { EventEmitter } from '../core/events';
import type { Rng } from '../core/rng';
import { Changer, restore as restoreConfState, type ChangeResult } from './confchange/confchange';
import { raftEvents, type CommitVia, type RaftEventMap, type RaftMsgFields, type StepHandling } from './events';
import { ErrProposalDropped, ErrSnapshotTemporarilyUnavailable, RaftError, panic } from './errors';
import { RaftLog } from './log';
import { jointIDs, jointVoteResult, type VoteResult } from './quorum/quorum';
import {
  asV2,
  enterJoint,
  isEmptyHardState,
  isEmptySnap,
  leaveJoint,
  marshalConfChange,
  newEntry,
  newMessage,
  unmarshalConfChange,
  type ConfChange,
  type ConfChangeV2,
  type ConfState,
  type Entry,
  type EntryInput,
  type HardState,
  type Message,
  type MessageInput,
  type MessageType,
  type Snapshot,
} from './raftpb';
import { ReadOnly, type ReadOnlyOption, type ReadState } from './read_only';
import { askCommitIndex, askGrantVote, type RaftRules } from './rules';
import { newMemoryStorage, type Storage } from './storage';
import { makeProgressTracker, trackerConfigString, type ProgressTracker } from './tracker/tracker';
import { Inflights } from './tracker/inflights';
import { Progress } from './tracker/progress';
import type { EntryID, LogSlice } from './types';
import { None, entsSize, noLimit, payloadsSize, voteRespMsgType } from './util';

/** A node's role. Upstream: raft.go (StateType) */
export type StateType = 'StateFollower' | 'StateCandidate' | 'StateLeader' | 'StatePreCandidate';

/** Why a node campaigns. Upstream: raft.go (CampaignType) */
export type CampaignType = 'CampaignPreElection' | 'CampaignElection' | 'CampaignTransfer';

/** Volatile state, useful for logging and views. Upstream: node.go (SoftState) */
export interface SoftState {
  lead: number;
  raftState: StateType;
}

/** Upstream: raft.go (Config) */
export interface RaftConfig extends EnvConfig {
  /** This node's id (not 0). */
  id: number;
  /**
   * The voters to start with when the storage holds no ConfState (as older raft's
   * `Config.peers`; v3.6 bootstraps through the storage's snapshot instead).
   */
  peers?: number[];
  /** The learners to start with, like `peers`. */
  learners?: number[];
  /** Ticks a follower waits for the leader before campaigning (randomized in [e, 2e)). */
  electionTick: number;
  /** Ticks between a leader's heartbeats (< electionTick). */
  heartbeatTick: number;
  /** Default: a fresh MemoryStorage. */
  storage?: Storage;
  /** The election timeout's randomness (Go: a global crypto rand). */
  rng?: Rng;
  /** The last applied index, when restarting. */
  applied?: number;
  /** Most bytes per MsgApp (default: no limit; 0: one entry per message). */
  maxSizePerMsg?: number;
  /** Most bytes of committed entries per Ready (default: maxSizePerMsg). */
  maxCommittedSizePerReady?: number;
  /** Most bytes of uncommitted payload a leader accepts (default: no limit). */
  maxUncommittedEntriesSize?: number;
  /** Most MsgApp in flight per follower in StateReplicate (default 256). */
  maxInflightMsgs?: number;
  /** Most bytes in flight per follower (default: no limit). */
  maxInflightBytes?: number;
  /** A leader steps down when a quorum was not heard from within an election timeout. */
  checkQuorum?: boolean;
  /** Campaign with a pre-vote round first (raft thesis §9.6). */
  preVote?: boolean;
  /** How ReadIndex is served (default ReadOnlySafe). */
  readOnlyOption?: ReadOnlyOption;
  /** Followers drop proposals instead of forwarding them to the leader. */
  disableProposalForwarding?: boolean;
  /** Accept conf changes without the pending / joint checks. */
  disableConfChangeValidation?: boolean;
  /** A leader removed from (or demoted in) the config steps down. */
  stepDownOnRemoval?: boolean;
  /** A lab's rules in place of the core's vote or commit decision (not upstream: see rules.ts). */
  rules?: RaftRules;
}

/** How a role handles the messages Step does not handle itself. Upstream: raft.go (stepFunc) */
export type StepFunc = (r: Raft, m: Message) => RaftError | undefined;

// Upstream: raft.go (raft)
export class Raft {
  id: number;
  term = 0;
  vote = 0;
  readStates: ReadState[] = [];
  raftLog: RaftLog;
  maxMsgSize: number;
  maxUncommittedSize: number;
  trk: ProgressTracker;
  state: StateType = 'StateFollower';
  /** Whether this node is a learner in the current config. */
  isLearner = false;
  /** Messages to send now. */
  msgs: Message[] = [];
  /**
   * Messages that may only be sent once the log is persisted (MsgAppResp, MsgVoteResp,
   * MsgPreVoteResp, including the ones to this node itself).
   */
  msgsAfterAppend: Message[] = [];
  /** The leader's id (0: none known). */
  lead = None;
  /** The id of the node leadership is being transferred to (0: none). */
  leadTransferee = None;
  /** Only one conf change may be pending: the log index of the latest one (if not yet applied). */
  pendingConfIndex = 0;
  disableConfChangeValidation: boolean;
  /** Payload bytes of uncommitted entries in the leader's log. */
  uncommittedSize = 0;
  readOnly: ReadOnly;
  /** Ticks since the last election timeout (leader/candidate) or since the leader was heard (follower). */
  electionElapsed = 0;
  /** Ticks since the last heartbeat (leader only). */
  heartbeatElapsed = 0;
  checkQuorum: boolean;
  preVote: boolean;
  heartbeatTimeout: number;
  electionTimeout: number;
  /** A random number in [electionTimeout, 2*electionTimeout), reset on each role change. */
  randomizedElectionTimeout = 0;
  disableProposalForwarding: boolean;
  stepDownOnRemoval: boolean;
  /** A lab's vote / commit rules (empty: upstream's). */
  rules: RaftRules;
  /** The role's tick: tickElection or tickHeartbeat. Upstream: raft.go (raft.tick) */
  tickFn: () => void;
  /** The role's step: stepLeader, stepCandidate or stepFollower. Upstream: raft.go (raft.step) */
  stepFn: StepFunc;
  /** MsgReadIndex received before the leader committed an entry in its term. */
  pendingReadIndexMessages: Message[] = [];
  readonly rng: Rng;
  /** Where this node's trace events go (`cfg.env` / `cfg.trace`; nothing is built when none records). */
  readonly events: EventEmitter<RaftEventMap, { node: number }>;

  constructor(c: RaftConfig) {
    validateConfig(c);
    const storage = c.storage ?? newMemoryStorage();
    const maxSizePerMsg = c.maxSizePerMsg ?? noLimit;
    this.raftLog = new RaftLog(storage, c.maxCommittedSizePerReady || maxSizePerMsg);
    const { hardState: hs, confState } = storage.initialState();
    let cs = confState;
    if ((c.peers?.length ?? 0) > 0 || (c.learners?.length ?? 0) > 0) {
      if (cs.voters.length > 0 || cs.learners.length > 0) {
        // Upstream (raft v3.4, when Config had peers): the same refusal.
        panic('cannot specify both newRaft(peers, learners) and ConfState.(Voters, Learners)');
      }
      cs = { ...cs, voters: [...(c.peers ?? [])], learners: [...(c.learners ?? [])] };
    }
    this.id = c.id;
    this.maxMsgSize = maxSizePerMsg;
    this.maxUncommittedSize = c.maxUncommittedEntriesSize || noLimit;
    this.trk = makeProgressTracker(c.maxInflightMsgs ?? 256, c.maxInflightBytes || noLimit);
    this.electionTimeout = c.electionTick;
    this.heartbeatTimeout = c.heartbeatTick;
    this.checkQuorum = c.checkQuorum ?? false;
    this.preVote = c.preVote ?? false;
    this.readOnly = new ReadOnly(c.readOnlyOption ?? 'ReadOnlySafe');
    this.disableProposalForwarding = c.disableProposalForwarding ?? false;
    this.disableConfChangeValidation = c.disableConfChangeValidation ?? false;
    this.stepDownOnRemoval = c.stepDownOnRemoval ?? false;
    this.rules = { ...c.rules };
    const env = resolveEnv(c);
    this.rng = c.rng ?? env.rng.fork(`raft/${c.id}`);
    this.events = new EventEmitter(raftEvents, env, { node: c.id });
    this.tickFn = () => this.tickElection();
    this.stepFn = stepFollower;

    const lastID = this.raftLog.lastEntryID();
    const res = restoreConfState(new Changer(this.trk, lastID.index), cs);
    assertConfStatesEquivalent(cs, this.switchToConfig(res));
    if (!isEmptyHardState(hs)) this.loadState(hs);
    if (c.applied && c.applied > 0) this.raftLog.appliedTo(c.applied, 0);
    this.becomeFollower(this.term, None);
  }

  /** Peer id -> Progress (the leader's view of each peer). */
  get prs(): Map<number, Progress> {
    return this.trk.progress;
  }

  // Upstream: raft.go (raft.hasLeader)
  hasLeader(): boolean {
    return this.lead !== None;
  }

  // Upstream: raft.go (raft.softState)
  softState(): SoftState {
    return { lead: this.lead, raftState: this.state };
  }

  // Upstream: raft.go (raft.hardState)
  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.raftLog.committed };
  }

  /**
   * Queues a message: sets `from`, and `term` except on votes (which carry their own) and on
   * MsgProp / MsgReadIndex (forwarded as local). Responses that must wait for the log to be
   * persisted go to msgsAfterAppend. Upstream: raft.go (raft.send)
   */
  send(input: MessageInput): void {
    const m = newMessage(input);
    if (m.from === None) m.from = this.id;
    if (m.type === 'MsgVote' || m.type === 'MsgVoteResp' || m.type === 'MsgPreVote' || m.type === 'MsgPreVoteResp') {
      if (m.term === 0) panic(`term should be set when sending ${m.type}`);
    } else {
      if (m.term !== 0) panic(`term should not be set when sending ${m.type} (was ${m.term})`);
      if (m.type !== 'MsgProp' && m.type !== 'MsgReadIndex') m.term = this.term;
    }
    if (m.type === 'MsgAppResp' || m.type === 'MsgVoteResp' || m.type === 'MsgPreVoteResp') {
      // Sent only after the entries they acknowledge (or the vote) are persisted.
      if (this.events.recording) this.events.emit('raft.send', { ...msgFields(m), afterAppend: true });
      this.msgsAfterAppend.push(m);
    } else {
      if (m.to === this.id) panic(`message should not be self-addressed when sending ${m.type}`);
      if (this.events.recording) this.events.emit('raft.send', { ...msgFields(m), afterAppend: false });
      this.msgs.push(m);
    }
  }

  // Upstream: raft.go (raft.sendAppend)
  sendAppend(to: number): void {
    this.maybeSendAppend(to, true);
  }

  /**
   * Sends a MsgApp with the entries from the peer's `next` (or a snapshot if they were
   * compacted). Returns whether a message was sent. Upstream: raft.go (raft.maybeSendAppend)
   */
  maybeSendAppend(to: number, sendIfEmpty: boolean): boolean {
    const pr = this.trk.progress.get(to)!;
    if (pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.raftLog.termOrError(prevIndex);
    if (prevTerm instanceof RaftError) {
      // The log is compacted up to or past prevIndex: send a snapshot.
      return this.maybeSendSnapshot(to, pr);
    }
    let ents: Entry[] = [];
    // In StateReplicate with full inflights, send an empty MsgApp (just the commit).
    if (pr.state !== 'StateReplicate' || !pr.inflights.full()) {
      try {
        ents = this.raftLog.entries(pr.next, this.maxMsgSize);
      } catch (err) {
        if (!(err instanceof RaftError)) throw err;
        // Failed to get the entries: send a snapshot.
        return this.maybeSendSnapshot(to, pr);
      }
    }
    if (ents.length === 0 && !sendIfEmpty) return false;
    this.send({ to, type: 'MsgApp', index: prevIndex, logTerm: prevTerm, entries: ents, commit: this.raftLog.committed });
    pr.sentEntries(ents.length, payloadsSize(ents));
    pr.setSentCommit(this.raftLog.committed);
    return true;
  }

  /** Upstream: raft.go (raft.maybeSendSnapshot) */
  maybeSendSnapshot(to: number, pr: Progress): boolean {
    if (!pr.recentActive) return false; // not recently active: do not ship a snapshot
    let snapshot: Snapshot;
    try {
      snapshot = this.raftLog.snapshot();
    } catch (err) {
      if (err === ErrSnapshotTemporarilyUnavailable) return false;
      throw err;
    }
    if (isEmptySnap(snapshot)) panic('need non-empty snapshot');
    pr.becomeSnapshot(snapshot.metadata.index);
    this.events.emit('raft.snapshot', { action: 'send', index: snapshot.metadata.index, term: snapshot.metadata.term, to });
    this.send({ to, type: 'MsgSnap', snapshot });
    return true;
  }

  /** Upstream: raft.go (raft.sendHeartbeat) */
  sendHeartbeat(to: number, ctx: string | undefined): void {
    const pr = this.trk.progress.get(to)!;
    // Never tell a follower to commit past what it is known to have: it might not have it.
    const commit = Math.min(pr.match, this.raftLog.committed);
    const m: MessageInput = { to, type: 'MsgHeartbeat', commit };
    if (ctx !== undefined) m.context = ctx;
    this.send(m);
    pr.setSentCommit(commit);
  }

  /** MsgApp to every peer. Upstream: raft.go (raft.bcastAppend) */
  bcastAppend(): void {
    this.trk.visit((id) => {
      if (id !== this.id) this.sendAppend(id);
    });
  }

  /** Upstream: raft.go (raft.bcastHeartbeat) */
  bcastHeartbeat(): void {
    const lastCtx = this.readOnly.lastPendingRequestCtx();
    this.bcastHeartbeatWithCtx(lastCtx === '' ? undefined : lastCtx);
  }

  // Upstream: raft.go (raft.bcastHeartbeatWithCtx)
  bcastHeartbeatWithCtx(ctx: string | undefined): void {
    this.trk.visit((id) => {
      if (id !== this.id) this.sendHeartbeat(id, ctx);
    });
  }

  /** Upstream: raft.go (raft.appliedTo) */
  appliedTo(index: number, size: number): void {
    const oldApplied = this.raftLog.applied;
    const newApplied = Math.max(index, oldApplied);
    this.raftLog.appliedTo(newApplied, size);
    if (newApplied > oldApplied) this.events.emit('raft.apply', { from: oldApplied, index: newApplied });
    if (this.trk.config.autoLeave && newApplied >= this.pendingConfIndex && this.state === 'StateLeader') {
      // The joint config is applied: propose leaving it (an empty ConfChangeV2).
      // If the proposal is dropped (e.g. a leader transfer), the next appliedTo retries.
      this.step(confChangeToMsg(undefined));
    }
  }

  // Upstream: raft.go (raft.appliedSnap)
  appliedSnap(snap: Snapshot): void {
    const index = snap.metadata.index;
    this.raftLog.stableSnapTo(index);
    this.appliedTo(index, 0);
  }

  /**
   * Advances the commit index to what a quorum has, if that entry is of the current term
   * (raft §5.4.2: never commit an older term's entry by counting replicas). Upstream: raft.go (raft.maybeCommit)
   */
  maybeCommit(): boolean {
    const from = this.raftLog.committed;
    const rule = this.rules.commitIndex;
    if (rule) {
      const to = askCommitIndex(rule, this);
      if (to <= from) return false;
      this.raftLog.commitTo(to);
      this.emitCommit(from, 'quorum');
      return true;
    }
    const ok = this.raftLog.maybeCommit({ term: this.term, index: this.trk.committed() });
    if (ok) this.emitCommit(from, 'quorum');
    return ok;
  }

  /** Emits `raft.commit` when the commit index moved past `from`. */
  emitCommit(from: number, via: CommitVia): void {
    const to = this.raftLog.committed;
    if (to > from) this.events.emit('raft.commit', { from, to, term: this.term, via });
  }

  /** Resets the volatile state for a new term (or a new role in the same term). Upstream: raft.go (raft.reset) */
  reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = None;
    }
    this.lead = None;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.abortLeaderTransfer();
    this.trk.resetVotes();
    this.trk.visit((id, pr) => {
      const isLearner = pr.isLearner;
      Object.assign(pr, new Progress({ match: 0, next: this.raftLog.lastIndex() + 1, inflights: new Inflights(this.trk.maxInflight, this.trk.maxInflightBytes), isLearner }));
      if (id === this.id) pr.match = this.raftLog.lastIndex();
    });
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly = new ReadOnly(this.readOnly.option);
  }

  /**
   * Appends entries at the end of the leader's log with the current term; false (nothing
   * appended) when the uncommitted size limit is hit. Upstream: raft.go (raft.appendEntry)
   */
  appendEntry(...input: EntryInput[]): boolean {
    let li = this.raftLog.lastIndex();
    const es = input.map((e, i) => ({ ...newEntry(e), term: this.term, index: li + 1 + i }));
    if (!this.increaseUncommittedSize(es)) return false; // dropping proposal
    li = this.raftLog.append(...es);
    if (es.length > 0 && this.events.recording) this.events.emit('raft.append', { role: 'leader', firstIndex: es[0].index, lastIndex: li, term: this.term, entryTerms: es.map((e) => e.term) });
    // The leader acknowledges its own append once it is persisted, like any follower.
    this.send({ to: this.id, type: 'MsgAppResp', index: li });
    return true;
  }

  /** A tick of a follower or candidate. Upstream: raft.go (raft.tickElection) */
  tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.pastElectionTimeout()) {
      this.events.emit('raft.timeout', { kind: 'election', term: this.term, elapsed: this.electionElapsed });
      this.electionElapsed = 0;
      this.step({ from: this.id, type: 'MsgHup' });
    }
  }

  /** A tick of a leader. Upstream: raft.go (raft.tickHeartbeat) */
  tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      if (this.checkQuorum) this.events.emit('raft.timeout', { kind: 'checkQuorum', term: this.term, elapsed: this.electionElapsed });
      this.electionElapsed = 0;
      if (this.checkQuorum) this.step({ from: this.id, type: 'MsgCheckQuorum' });
      // A transfer that did not finish within an election timeout is aborted.
      if (this.state === 'StateLeader' && this.leadTransferee !== None) {
        this.emitTransferAbort();
        this.abortLeaderTransfer();
      }
    }
    if (this.state !== 'StateLeader') return;
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.events.emit('raft.timeout', { kind: 'heartbeat', term: this.term, elapsed: this.heartbeatElapsed });
      this.heartbeatElapsed = 0;
      this.step({ from: this.id, type: 'MsgBeat' });
    }
  }

  /** Advances the logical clock by one tick. Upstream: rawnode.go (RawNode.Tick) calls raft.tick */
  tick(): void {
    this.tickFn();
  }

  // Upstream: raft.go (raft.becomeFollower)
  becomeFollower(term: number, lead: number): void {
    this.stepFn = stepFollower;
    this.reset(term);
    this.tickFn = () => this.tickElection();
    this.lead = lead;
    this.state = 'StateFollower';
    this.events.emit('raft.becomeFollower', { term: this.term, lead: this.lead, vote: this.vote, randomizedElectionTimeout: this.randomizedElectionTimeout });
  }

  // Upstream: raft.go (raft.becomeCandidate)
  becomeCandidate(): void {
    if (this.state === 'StateLeader') panic('invalid transition [leader -> candidate]');
    this.stepFn = stepCandidate;
    this.reset(this.term + 1);
    this.tickFn = () => this.tickElection();
    this.vote = this.id;
    this.state = 'StateCandidate';
    this.events.emit('raft.becomeCandidate', { term: this.term, lead: this.lead, vote: this.vote, randomizedElectionTimeout: this.randomizedElectionTimeout });
  }

  /** Pre-candidates keep their term and vote: a pre-vote changes no persistent state. Upstream: raft.go (raft.becomePreCandidate) */
  becomePreCandidate(): void {
    if (this.state === 'StateLeader') panic('invalid transition [leader -> pre-candidate]');
    this.stepFn = stepCandidate;
    this.trk.resetVotes();
    this.tickFn = () => this.tickElection();
    this.lead = None;
    this.state = 'StatePreCandidate';
    this.events.emit('raft.becomePreCandidate', { term: this.term, lead: this.lead, vote: this.vote, randomizedElectionTimeout: this.randomizedElectionTimeout });
  }

  // Upstream: raft.go (raft.becomeLeader)
  becomeLeader(): void {
    if (this.state === 'StateFollower') panic('invalid transition [follower -> leader]');
    this.stepFn = stepLeader;
    this.reset(this.term);
    this.tickFn = () => this.tickHeartbeat();
    this.lead = this.id;
    this.state = 'StateLeader';
    this.events.emit('raft.becomeLeader', { term: this.term, lead: this.lead, vote: this.vote, randomizedElectionTimeout: this.randomizedElectionTimeout });
    // The leader's own progress is always in StateReplicate and active.
    const pr = this.trk.progress.get(this.id)!;
    pr.becomeReplicate();
    pr.recentActive = true;
    // Conservatively treat every unapplied entry as a possible conf change.
    this.pendingConfIndex = this.raftLog.lastIndex();
    // An empty entry of the new term: committing it commits everything before it (§5.4.2).
    if (!this.appendEntry({})) panic('empty entry was dropped');
  }

  /** Upstream: raft.go (raft.hup) */
  hup(t: CampaignType): void {
    if (this.state === 'StateLeader') return; // ignoring MsgHup because already leader
    if (!this.promotable()) return; // unpromotable: can not campaign
    if (this.hasUnappliedConfChanges()) return; // pending configuration changes to apply first
    this.campaign(t);
  }

  /** Whether a committed but unapplied entry is a conf change. Upstream: raft.go (raft.hasUnappliedConfChanges) */
  hasUnappliedConfChanges(): boolean {
    if (this.raftLog.applied >= this.raftLog.committed) return false;
    let found = false;
    this.raftLog.scan(this.raftLog.applied + 1, this.raftLog.committed + 1, this.raftLog.maxApplyingEntsSize, (ents) => {
      found = ents.some((e) => e.type === 'EntryConfChange' || e.type === 'EntryConfChangeV2');
      return !found;
    });
    return found;
  }

  /**
   * Becomes (pre-)candidate and asks every voter for its vote; its own vote is a response
   * to itself, counted once persisted. Upstream: raft.go (raft.campaign)
   */
  campaign(t: CampaignType): void {
    let term: number;
    let voteMsg: MessageType;
    if (this.events.recording) {
      const last = this.raftLog.lastEntryID();
      this.events.emit('raft.campaign', { campaignType: t, term: this.term + 1, lastIndex: last.index, lastTerm: last.term });
    }
    if (t === 'CampaignPreElection') {
      this.becomePreCandidate();
      voteMsg = 'MsgPreVote';
      // Pre-vote RPCs are sent for the next term before the term is incremented.
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteMsg = 'MsgVote';
      term = this.term;
    }
    const ids = [...jointIDs(this.trk.config.voters)].sort((a, b) => a - b);
    for (const id of ids) {
      if (id === this.id) {
        this.send({ to: id, term, type: voteRespMsgType(voteMsg) });
        continue;
      }
      const last = this.raftLog.lastEntryID();
      const m: MessageInput = { to: id, term, type: voteMsg, index: last.index, logTerm: last.term };
      if (t === 'CampaignTransfer') m.context = t;
      this.send(m);
    }
  }

  /** Records a vote and tallies. Upstream: raft.go (raft.poll) */
  poll(id: number, _t: MessageType, v: boolean): { granted: number; rejected: number; result: VoteResult } {
    this.trk.recordVote(id, v);
    return this.trk.tallyVotes();
  }

  /**
   * The entry point for every message: handles terms (a higher term makes this node a follower,
   * a lower one is mostly ignored), votes and MsgHup itself, and hands the rest to the role's
   * step. Returns upstream's error (ErrProposalDropped) instead of throwing it.
   * Upstream: raft.go (raft.Step)
   */
  step(input: MessageInput): RaftError | undefined {
    const m = newMessage(input);
    if (m.term === 0) {
      // A local message.
      this.emitStep(m, 'local');
    } else if (m.term > this.term) {
      if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
        const force = m.context === 'CampaignTransfer';
        const inLease = this.checkQuorum && this.lead !== None && this.electionElapsed < this.electionTimeout;
        // Within the lease of a leader heard from recently, ignore votes (unless a transfer).
        if (!force && inLease) {
          this.emitStep(m, 'ignoredInLease');
          return undefined;
        }
      }
      this.emitStep(m, 'higherTerm');
      if (m.type === 'MsgPreVote') {
        // Never change our term in response to a PreVote.
      } else if (m.type === 'MsgPreVoteResp' && !m.reject) {
        // A granted pre-vote carries the term we will campaign at; the term moves when we win.
      } else if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap') {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, None);
      }
    } else if (m.term < this.term) {
      if (this.events.recording) {
        const answered = ((this.checkQuorum || this.preVote) && (m.type === 'MsgHeartbeat' || m.type === 'MsgApp')) || m.type === 'MsgPreVote';
        this.emitStep(m, answered ? 'answeredLowerTerm' : 'ignoredLowerTerm');
      }
      if ((this.checkQuorum || this.preVote) && (m.type === 'MsgHeartbeat' || m.type === 'MsgApp')) {
        // A partitioned leader with a stale term: answer so it learns the newer term and steps
        // down (otherwise, with CheckQuorum or PreVote, it could never be disrupted back).
        this.send({ to: m.from, type: 'MsgAppResp' });
      } else if (m.type === 'MsgPreVote') {
        // Reject, so the pre-candidate learns it is behind and does not wait forever.
        this.send({ to: m.from, term: this.term, type: 'MsgPreVoteResp', reject: true });
      } else if (m.type === 'MsgStorageAppendResp') {
        if (m.snapshot) this.appliedSnap(m.snapshot);
      }
      // Otherwise: ignore a message with a lower term.
      return undefined;
    } else {
      this.emitStep(m, 'current');
    }

    switch (m.type) {
      case 'MsgHup':
        this.hup(this.preVote ? 'CampaignPreElection' : 'CampaignElection');
        break;
      case 'MsgStorageAppendResp':
        if (m.index !== 0) this.raftLog.stableTo({ term: m.logTerm, index: m.index });
        if (m.snapshot) this.appliedSnap(m.snapshot);
        break;
      case 'MsgStorageApplyResp':
        if (m.entries.length > 0) {
          const index = m.entries[m.entries.length - 1].index;
          this.appliedTo(index, entsSize(m.entries));
          this.reduceUncommittedSize(payloadsSize(m.entries));
        }
        break;
      case 'MsgVote':
      case 'MsgPreVote': {
        // We can vote if this is a repeat of a vote we cast, if we have not voted and know of
        // no leader in this term, or if this is a pre-vote for a future term.
        const canVote = this.vote === m.from || (this.vote === None && this.lead === None) || (m.type === 'MsgPreVote' && m.term > this.term);
        // ... and the candidate's log is at least as up-to-date as ours (§5.4.1).
        const upToDate = this.raftLog.isUpToDate({ term: m.logTerm, index: m.index });
        const granted = this.rules.grantVote ? askGrantVote(this.rules.grantVote, this, m) : canVote && upToDate;
        if (this.events.recording) {
          const last = this.raftLog.lastEntryID();
          const reason = granted ? 'granted' : !canVote ? (this.vote !== None ? 'alreadyVoted' : 'leaderKnown') : upToDate ? 'labRule' : 'logNotUpToDate';
          this.events.emit('raft.vote', {
            msgType: m.type,
            candidate: m.from,
            term: this.term,
            granted,
            reason,
            candidateIndex: m.index,
            candidateLogTerm: m.logTerm,
            lastIndex: last.index,
            lastTerm: last.term,
          });
        }
        if (granted) {
          // Answer with the message's term: for a pre-vote, our term may be lower.
          this.send({ to: m.from, term: m.term, type: voteRespMsgType(m.type) });
          if (m.type === 'MsgVote') {
            // Only record real votes.
            this.electionElapsed = 0;
            this.vote = m.from;
          }
        } else {
          this.send({ to: m.from, term: this.term, type: voteRespMsgType(m.type), reject: true });
        }
        break;
      }
      default:
        return this.stepFn(this, m);
    }
    return undefined;
  }

  /** Upstream: raft.go (raft.handleAppendEntries) */
  handleAppendEntries(m: Message): void {
    const a: LogSlice = { term: m.term, prev: { term: m.logTerm, index: m.index }, entries: m.entries };
    if (a.prev.index < this.raftLog.committed) {
      // Everything up to committed is already matched: tell the leader.
      this.send({ to: m.from, type: 'MsgAppResp', index: this.raftLog.committed });
      return;
    }
    const committed = this.raftLog.committed;
    const mlastIndex = this.raftLog.maybeAppend(a, m.commit);
    if (mlastIndex !== undefined) {
      if (m.entries.length > 0 && this.events.recording) this.events.emit('raft.append', { role: 'follower', firstIndex: m.index + 1, lastIndex: m.index + m.entries.length, term: this.term, entryTerms: m.entries.map((e) => e.term) });
      this.emitCommit(committed, 'append');
      this.send({ to: m.from, type: 'MsgAppResp', index: mlastIndex });
      return;
    }
    // Reject, with a hint: the last index at or below the probe whose term is <= the probe's
    // term. The leader can skip every index above it (§5.3 optimization).
    const hint = this.raftLog.findConflictByTerm(Math.min(m.index, this.raftLog.lastIndex()), m.logTerm);
    this.send({ to: m.from, type: 'MsgAppResp', index: m.index, reject: true, rejectHint: hint.index, logTerm: hint.term });
  }

  /** Upstream: raft.go (raft.handleHeartbeat) */
  handleHeartbeat(m: Message): void {
    const committed = this.raftLog.committed;
    this.raftLog.commitTo(m.commit);
    this.emitCommit(committed, 'heartbeat');
    const resp: MessageInput = { to: m.from, type: 'MsgHeartbeatResp' };
    if (m.context !== undefined) resp.context = m.context;
    this.send(resp);
  }

  /** Upstream: raft.go (raft.handleSnapshot) */
  handleSnapshot(m: Message): void {
    const s = m.snapshot ?? { metadata: { index: 0, term: 0, confState: { voters: [], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } } };
    if (this.restore(s)) {
      this.send({ to: m.from, type: 'MsgAppResp', index: this.raftLog.lastIndex() });
    } else {
      this.send({ to: m.from, type: 'MsgAppResp', index: this.raftLog.committed });
    }
  }

  /**
   * Resets the log to a snapshot and takes its configuration; false when the snapshot is
   * old or already matched (then only the commit index moves). Upstream: raft.go (raft.restore)
   */
  restore(s: Snapshot): boolean {
    const snap = { index: s.metadata.index, term: s.metadata.term, to: this.id };
    if (s.metadata.index <= this.raftLog.committed) {
      this.events.emit('raft.snapshot', { action: 'ignored', ...snap });
      return false;
    }
    if (this.state !== 'StateFollower') {
      // Defense in depth: only followers restore. Step down at a higher term and ignore it.
      this.events.emit('raft.snapshot', { action: 'ignored', ...snap });
      this.becomeFollower(this.term + 1, None);
      return false;
    }
    // The snapshot must contain this node in its config.
    const cs = s.metadata.confState;
    const found = [cs.voters, cs.learners, cs.votersOutgoing].some((set) => set.includes(this.id));
    if (!found) {
      this.events.emit('raft.snapshot', { action: 'ignored', ...snap });
      return false;
    }
    // The snapshot's last entry is in our log: just fast-forward the commit.
    const id: EntryID = { term: s.metadata.term, index: s.metadata.index };
    if (this.raftLog.matchTerm(id)) {
      const committed = this.raftLog.committed;
      this.events.emit('raft.snapshot', { action: 'fastForward', ...snap });
      this.raftLog.commitTo(s.metadata.index);
      this.emitCommit(committed, 'snapshot');
      return false;
    }
    this.events.emit('raft.snapshot', { action: 'restore', ...snap });
    this.raftLog.restore(s);
    // Reset the configuration and add the (potentially updated) peers anew.
    this.trk = makeProgressTracker(this.trk.maxInflight, this.trk.maxInflightBytes);
    const res = restoreConfState(new Changer(this.trk, this.raftLog.lastIndex()), cs);
    assertConfStatesEquivalent(cs, this.switchToConfig(res));
    return true;
  }

  /** Whether this node may become leader: a voter without a pending snapshot. Upstream: raft.go (raft.promotable) */
  promotable(): boolean {
    const pr = this.trk.progress.get(this.id);
    return pr !== undefined && !pr.isLearner && !this.raftLog.hasNextOrInProgressSnapshot();
  }

  /** Applies a committed conf change to the tracker. Upstream: raft.go (raft.applyConfChange) */
  applyConfChange(input: ConfChange | ConfChangeV2): ConfState {
    const cc = asV2(input);
    const changer = new Changer(this.trk, this.raftLog.lastIndex());
    let res: ChangeResult;
    if (leaveJoint(cc)) {
      res = changer.leaveJoint();
    } else {
      const { autoLeave, ok } = enterJoint(cc);
      res = ok ? changer.enterJoint(autoLeave, ...cc.changes) : changer.simple(...cc.changes);
    }
    const cs = this.switchToConfig(res);
    if (this.events.recording) this.events.emit('raft.confChange', { action: 'apply', change: describeConfChange(cc), config: trackerConfigString(this.trk.config), reason: '' });
    return cs;
  }

  /**
   * Takes a new configuration. A leader may commit more (fewer voters) or must tell the new
   * peers about its log. Upstream: raft.go (raft.switchToConfig)
   */
  switchToConfig(res: ChangeResult): ConfState {
    this.trk.config = res.config;
    this.trk.progress = res.progress;
    const cs = this.trk.confState();
    const pr = this.trk.progress.get(this.id);
    // This node may have been removed or demoted to learner.
    this.isLearner = pr !== undefined && pr.isLearner;
    if ((pr === undefined || this.isLearner) && this.state === 'StateLeader') {
      // A removed or demoted leader keeps leading until it steps down (stepDownOnRemoval) or
      // the new config elects another leader.
      if (this.stepDownOnRemoval) this.becomeFollower(this.term, None);
      return cs;
    }
    // The remaining steps only make sense for a leader with voters.
    if (this.state !== 'StateLeader' || cs.voters.length === 0) return cs;
    if (this.maybeCommit()) {
      // The config change made a new index committed: tell everyone.
      this.bcastAppend();
    } else {
      // Probe newly added peers, if they have not heard from us yet.
      this.trk.visit((id) => {
        if (id !== this.id) this.maybeSendAppend(id, false);
      });
    }
    // The transferee was removed or demoted: abort the transfer.
    if (this.leadTransferee !== 0 && !jointIDs(this.trk.config.voters).has(this.leadTransferee)) {
      this.emitTransferAbort();
      this.abortLeaderTransfer();
    }
    return cs;
  }

  /** Upstream: raft.go (raft.loadState) */
  loadState(state: HardState): void {
    if (state.commit < this.raftLog.committed || state.commit > this.raftLog.lastIndex()) {
      panic(`${this.id.toString(16)} state.commit ${state.commit} is out of range [${this.raftLog.committed}, ${this.raftLog.lastIndex()}]`);
    }
    this.raftLog.committed = state.commit;
    this.term = state.term;
    this.vote = state.vote;
  }

  /** Upstream: raft.go (raft.pastElectionTimeout) */
  pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  /** A new timeout in [electionTimeout, 2*electionTimeout). Upstream: raft.go (raft.resetRandomizedElectionTimeout) */
  resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + this.rng.int(this.electionTimeout);
  }

  // Upstream: raft.go (raft.sendTimeoutNow)
  sendTimeoutNow(to: number): void {
    this.events.emit('raft.transferLeader', { action: 'timeoutNow', transferee: to, term: this.term });
    this.send({ to, type: 'MsgTimeoutNow' });
  }

  // Upstream: raft.go (raft.abortLeaderTransfer)
  abortLeaderTransfer(): void {
    this.leadTransferee = None;
  }

  /** Whether the leader committed an entry of its own term (needed to serve ReadIndex). Upstream: raft.go (raft.committedEntryInCurrentTerm) */
  committedEntryInCurrentTerm(): boolean {
    return this.raftLog.zeroTermOnOutOfBounds(this.raftLog.committed) === this.term;
  }

  /**
   * The answer to a ReadIndex request: a ReadState for a local request, a MsgReadIndexResp for a
   * follower's (undefined when answered locally). Upstream: raft.go (raft.responseToReadIndexReq)
   */
  responseToReadIndexReq(req: Message, readIndex: number): MessageInput | undefined {
    this.events.emit('raft.readIndex', { stage: 'ready', index: readIndex, from: req.from, ctx: req.entries[0]?.data ?? '' });
    if (req.from === None || req.from === this.id) {
      this.readStates.push({ index: readIndex, requestCtx: req.entries[0]?.data ?? '' });
      return undefined;
    }
    return { type: 'MsgReadIndexResp', to: req.from, index: readIndex, entries: req.entries };
  }

  /** False (and nothing counted) when the entries would exceed maxUncommittedSize. Upstream: raft.go (raft.increaseUncommittedSize) */
  increaseUncommittedSize(ents: Entry[]): boolean {
    const s = payloadsSize(ents);
    // Always allow one entry (or a batch) when nothing is uncommitted, and empty entries.
    if (this.uncommittedSize > 0 && s > 0 && this.uncommittedSize + s > this.maxUncommittedSize) return false;
    this.uncommittedSize += s;
    return true;
  }

  // Upstream: raft.go (raft.reduceUncommittedSize)
  reduceUncommittedSize(s: number): void {
    this.uncommittedSize = s > this.uncommittedSize ? 0 : this.uncommittedSize - s;
  }

  /**
   * Emits `raft.transferLeader` `abort` where a transfer is given up (timed out, superseded, the
   * transferee removed); not from `reset`, which clears a finished transfer as well.
   */
  emitTransferAbort(): void {
    this.events.emit('raft.transferLeader', { action: 'abort', transferee: this.leadTransferee, term: this.term });
  }

  /** Emits `raft.step` (not for the storage threads' acks, which RawNode steps on every advance). */
  emitStep(m: Message, handling: StepHandling): void {
    if (!this.events.recording || m.type === 'MsgStorageAppendResp' || m.type === 'MsgStorageApplyResp') return;
    this.events.emit('raft.step', { ...msgFields(m), handling });
  }

  /** Upstream: raft_test.go (raft.readMessages): the messages to send, after stepping the self-addressed ones. */
  readMessages(): Message[] {
    this.advanceMessagesAfterAppend();
    const msgs = this.msgs;
    this.msgs = [];
    return msgs;
  }

  /**
   * Acts as if the log were persisted: steps the responses addressed to this node (its own
   * MsgAppResp and vote) and queues the others to send. Upstream: raft_test.go (raft.advanceMessagesAfterAppend)
   */
  advanceMessagesAfterAppend(): void {
    for (;;) {
      const msgs = this.takeMessagesAfterAppend();
      if (msgs.length === 0) break;
      this.stepOrSend(msgs);
    }
  }

  // Upstream: raft_test.go (raft.takeMessagesAfterAppend)
  takeMessagesAfterAppend(): Message[] {
    const msgs = this.msgsAfterAppend;
    this.msgsAfterAppend = [];
    return msgs;
  }

  // Upstream: raft_test.go (raft.stepOrSend)
  stepOrSend(msgs: Message[]): RaftError | undefined {
    for (const m of msgs) {
      if (m.to === this.id) {
        const err = this.step(m);
        if (err) return err;
      } else {
        this.msgs.push(m);
      }
    }
    return undefined;
  }
}

/** Upstream: raft.go (newRaft) */
export function newRaft(cfg: RaftConfig): Raft {
  return new Raft(cfg);
}

/** Upstream: raft.go (Config.validate) */
function validateConfig(c: RaftConfig): void {
  if (c.id === None || c.id === undefined) panic('cannot use none as id');
  if (!(c.heartbeatTick > 0)) panic('heartbeat tick must be greater than 0');
  if (!(c.electionTick > c.heartbeatTick)) panic('election tick must be greater than heartbeat tick');
  if (c.maxInflightMsgs !== undefined && c.maxInflightMsgs <= 0) panic('max inflight messages must be greater than 0');
  if (c.maxInflightBytes && c.maxInflightBytes < (c.maxSizePerMsg ?? noLimit)) panic('max inflight bytes must be >= max message size');
  if (c.readOnlyOption === 'ReadOnlyLeaseBased' && !c.checkQuorum) panic('CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased');
}

/** Upstream: util.go (assertConfStatesEquivalent) via raftpb/confstate.go (ConfState.Equivalent) */
function assertConfStatesEquivalent(cs1: ConfState, cs2: ConfState): void {
  const norm = (cs: ConfState) =>
    JSON.stringify([cs.voters, cs.learners, cs.votersOutgoing, cs.learnersNext].map((a) => [...a].sort((x, y) => x - y)).concat([[cs.autoLeave ? 1 : 0]]));
  if (norm(cs1) !== norm(cs2)) panic(`ConfStates not equivalent after sorting:\n${JSON.stringify(cs1)}\n${JSON.stringify(cs2)}`);
}

/** A proposal of a conf change (undefined: leave the joint config). Upstream: raft.go (confChangeToMsg) */
export function confChangeToMsg(c: ConfChange | ConfChangeV2 | undefined): MessageInput {
  const cc: ConfChange | ConfChangeV2 = c ?? { transition: 'ConfChangeTransitionAuto', changes: [] };
  const type = 'changes' in cc ? 'EntryConfChangeV2' : 'EntryConfChange';
  return { type: 'MsgProp', entries: [{ type, data: marshalConfChange(cc) }] };
}

/** Upstream: raft.go (stepLeader) */
export function stepLeader(r: Raft, m: Message): RaftError | undefined {
  // Messages that need no progress for m.from.
  switch (m.type) {
    case 'MsgBeat':
      r.bcastHeartbeat();
      return undefined;
    case 'MsgCheckQuorum':
      if (!r.trk.quorumActive()) r.becomeFollower(r.term, None); // quorum is not active: step down
      // Mark everyone (but ourselves) inactive for the next round.
      r.trk.visit((id, pr) => {
        if (id !== r.id) pr.recentActive = false;
      });
      return undefined;
    case 'MsgProp': {
      if (m.entries.length === 0) panic(`${r.id.toString(16)} stepped empty MsgProp`);
      // A leader removed from the config drops proposals.
      if (!r.trk.progress.has(r.id)) return ErrProposalDropped;
      // A transfer is in progress: drop.
      if (r.leadTransferee !== None) return ErrProposalDropped;
      for (let i = 0; i < m.entries.length; i++) {
        const e = m.entries[i];
        if (e.type !== 'EntryConfChange' && e.type !== 'EntryConfChangeV2') continue;
        const cc = asV2(unmarshalConfChange(e.data));
        const alreadyPending = r.pendingConfIndex > r.raftLog.applied;
        const alreadyJoint = (r.trk.config.voters[1]?.size ?? 0) > 0;
        const wantsLeaveJoint = cc.changes.length === 0;
        let failedCheck = '';
        if (alreadyPending) failedCheck = `possible unapplied conf change at index ${r.pendingConfIndex} (applied to ${r.raftLog.applied})`;
        else if (alreadyJoint && !wantsLeaveJoint) failedCheck = 'must transition out of joint config first';
        else if (!alreadyJoint && wantsLeaveJoint) failedCheck = 'not in joint state; refusing empty conf change';
        if (failedCheck !== '' && !r.disableConfChangeValidation) {
          if (r.events.recording) r.events.emit('raft.confChange', { action: 'refused', change: describeConfChange(cc), config: trackerConfigString(r.trk.config), reason: failedCheck });
          // Ignore the conf change: replace it with an empty normal entry.
          m.entries[i] = { term: 0, index: 0, type: 'EntryNormal' };
        } else {
          r.pendingConfIndex = r.raftLog.lastIndex() + i + 1;
        }
      }
      if (!r.appendEntry(...m.entries)) return ErrProposalDropped;
      r.bcastAppend();
      return undefined;
    }
    case 'MsgReadIndex':
      // A single voter can answer at once.
      if (r.trk.isSingleton()) {
        const resp = r.responseToReadIndexReq(m, r.raftLog.committed);
        if (resp) r.send(resp);
        return undefined;
      }
      // Until the leader commits an entry of its term, it does not know the commit index (§6.4).
      if (!r.committedEntryInCurrentTerm()) {
        r.events.emit('raft.readIndex', { stage: 'pending', index: r.raftLog.committed, from: m.from, ctx: m.entries[0]?.data ?? '' });
        r.pendingReadIndexMessages.push(m);
        return undefined;
      }
      sendMsgReadIndexResponse(r, m);
      return undefined;
    case 'MsgForgetLeader':
      return undefined; // no-op on a leader
  }

  // Messages from a peer: they need its progress.
  const pr = r.trk.progress.get(m.from);
  if (!pr) return undefined; // no progress available
  switch (m.type) {
    case 'MsgAppResp':
      // The follower answered: it is active. (Also for a rejection.)
      pr.recentActive = true;
      if (m.reject) {
        // The follower's hint (rejectHint, logTerm) is the last entry that may match; with our
        // own log, find the last index whose term is <= the hint's term (§5.3 fast backtracking).
        let nextProbeIdx = m.rejectHint;
        if (m.logTerm > 0) nextProbeIdx = r.raftLog.findConflictByTerm(m.rejectHint, m.logTerm).index;
        if (pr.maybeDecrTo(m.index, nextProbeIdx)) {
          if (pr.state === 'StateReplicate') pr.becomeProbe();
          r.sendAppend(m.from);
        }
      } else {
        // Also unpause a probe that is answered for the same match (e.g. after a heartbeat).
        if (pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === 'StateProbe')) {
          if (pr.state === 'StateProbe') {
            pr.becomeReplicate();
          } else if (pr.state === 'StateSnapshot' && pr.match + 1 >= r.raftLog.firstIndex()) {
            // The follower caught up through the log (or the snapshot applied): resume.
            pr.becomeProbe();
            pr.becomeReplicate();
          } else if (pr.state === 'StateReplicate') {
            pr.inflights.freeLE(m.index);
          }
          if (r.maybeCommit()) {
            // A new commit index: release pending reads and tell everyone.
            releasePendingReadIndexMessages(r);
            r.bcastAppend();
          } else if (r.id !== m.from && pr.canBumpCommit(r.raftLog.committed)) {
            // The follower does not know the commit index yet: send it (maybe with no entries).
            r.sendAppend(m.from);
          }
          // Send as many entries as flow control allows.
          if (r.id !== m.from) {
            while (r.maybeSendAppend(m.from, false)) {
              // keep sending
            }
          }
          // The transferee caught up: tell it to campaign now.
          if (m.from === r.leadTransferee && pr.match === r.raftLog.lastIndex()) r.sendTimeoutNow(m.from);
        }
      }
      break;
    case 'MsgHeartbeatResp':
      pr.recentActive = true;
      pr.msgAppFlowPaused = false;
      // The follower is behind (or being probed): send entries.
      if (pr.match < r.raftLog.lastIndex() || pr.state === 'StateProbe') r.sendAppend(m.from);
      if (r.readOnly.option !== 'ReadOnlySafe' || m.context === undefined || m.context === '') return undefined;
      // A heartbeat answered for a ReadIndex: once a quorum acked, the reads up to it are safe.
      if (jointVoteResult(r.trk.config.voters, r.readOnly.recvAck(m.from, m.context) ?? new Map()) !== 'VoteWon') return undefined;
      for (const rs of r.readOnly.advance(m)) {
        const resp = r.responseToReadIndexReq(rs.req, rs.index);
        if (resp) r.send(resp);
      }
      break;
    case 'MsgSnapStatus':
      if (pr.state !== 'StateSnapshot') return undefined;
      if (!m.reject) {
        // Snapshot succeeded: probe from it.
        pr.becomeProbe();
      } else {
        // Snapshot failed: clear the pending snapshot and probe from match.
        pr.pendingSnapshot = 0;
        pr.becomeProbe();
      }
      // Wait for the follower's MsgAppResp (or a heartbeat response) before the next MsgApp.
      pr.msgAppFlowPaused = true;
      break;
    case 'MsgUnreachable':
      // The last MsgApp was likely lost: go back to probing.
      if (pr.state === 'StateReplicate') pr.becomeProbe();
      break;
    case 'MsgTransferLeader': {
      if (pr.isLearner) return undefined; // a learner cannot lead
      const leadTransferee = m.from;
      const lastLeadTransferee = r.leadTransferee;
      if (lastLeadTransferee !== None) {
        // The same transfer is in progress: ignore.
        if (lastLeadTransferee === leadTransferee) return undefined;
        r.emitTransferAbort();
        r.abortLeaderTransfer();
      }
      if (leadTransferee === r.id) return undefined; // already leader
      // The transfer must finish within an election timeout.
      r.electionElapsed = 0;
      r.leadTransferee = leadTransferee;
      r.events.emit('raft.transferLeader', { action: 'start', transferee: leadTransferee, term: r.term });
      if (pr.match === r.raftLog.lastIndex()) {
        r.sendTimeoutNow(leadTransferee);
      } else {
        r.sendAppend(leadTransferee);
      }
      break;
    }
  }
  return undefined;
}

/** Candidates and pre-candidates. Upstream: raft.go (stepCandidate) */
export function stepCandidate(r: Raft, m: Message): RaftError | undefined {
  // Only count the votes of our own round: a pre-candidate counts pre-votes.
  const myVoteRespType: MessageType = r.state === 'StatePreCandidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
  switch (m.type) {
    case 'MsgProp':
      return ErrProposalDropped; // no leader at this term
    case 'MsgApp':
      r.becomeFollower(m.term, m.from); // always m.term == r.term
      r.handleAppendEntries(m);
      break;
    case 'MsgHeartbeat':
      r.becomeFollower(m.term, m.from);
      r.handleHeartbeat(m);
      break;
    case 'MsgSnap':
      r.becomeFollower(m.term, m.from);
      r.handleSnapshot(m);
      break;
    case myVoteRespType: {
      const { result } = r.poll(m.from, m.type, !m.reject);
      if (result === 'VoteWon') {
        if (r.state === 'StatePreCandidate') {
          r.campaign('CampaignElection');
        } else {
          r.becomeLeader();
          r.bcastAppend();
        }
      } else if (result === 'VoteLost') {
        // A rejection of a pre-vote or vote with a higher term moved us to follower in step().
        r.becomeFollower(r.term, None);
      }
      break;
    }
    case 'MsgTimeoutNow':
      break; // ignored by a candidate
  }
  return undefined;
}

/** Upstream: raft.go (stepFollower) */
export function stepFollower(r: Raft, m: Message): RaftError | undefined {
  switch (m.type) {
    case 'MsgProp':
      if (r.lead === None) return ErrProposalDropped; // no leader at this term
      if (r.disableProposalForwarding) return ErrProposalDropped;
      r.send({ ...m, to: r.lead });
      break;
    case 'MsgApp':
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleAppendEntries(m);
      break;
    case 'MsgHeartbeat':
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleHeartbeat(m);
      break;
    case 'MsgSnap':
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleSnapshot(m);
      break;
    case 'MsgTransferLeader':
      if (r.lead === None) return undefined; // no leader: drop
      r.send({ ...m, to: r.lead });
      break;
    case 'MsgForgetLeader':
      if (r.readOnly.option === 'ReadOnlyLeaseBased') return undefined; // ignored with lease-based reads
      r.lead = None;
      break;
    case 'MsgTimeoutNow':
      // The leader chose us: campaign at once, past any lease.
      r.hup('CampaignTransfer');
      break;
    case 'MsgReadIndex':
      if (r.lead === None) return undefined; // no leader: drop
      r.send({ ...m, to: r.lead });
      break;
    case 'MsgReadIndexResp':
      if (m.entries.length !== 1) return undefined; // invalid format
      r.events.emit('raft.readIndex', { stage: 'received', index: m.index, from: m.from, ctx: m.entries[0].data ?? '' });
      r.readStates.push({ index: m.index, requestCtx: m.entries[0].data ?? '' });
      break;
  }
  return undefined;
}

/** Upstream: raft.go (releasePendingReadIndexMessages) */
function releasePendingReadIndexMessages(r: Raft): void {
  if (r.pendingReadIndexMessages.length === 0) return;
  if (!r.committedEntryInCurrentTerm()) return; // only after the first commit in the term
  const msgs = r.pendingReadIndexMessages;
  r.pendingReadIndexMessages = [];
  for (const m of msgs) sendMsgReadIndexResponse(r, m);
}

/** Upstream: raft.go (sendMsgReadIndexResponse) */
function sendMsgReadIndexResponse(r: Raft, m: Message): void {
  switch (r.readOnly.option) {
    case 'ReadOnlySafe': {
      // Confirm leadership with a round of heartbeats carrying the request's context.
      const ctx = m.entries[0]?.data ?? '';
      r.events.emit('raft.readIndex', { stage: 'confirm', index: r.raftLog.committed, from: m.from, ctx });
      r.readOnly.addRequest(r.raftLog.committed, m);
      // The leader acks itself.
      r.readOnly.recvAck(r.id, ctx);
      r.bcastHeartbeatWithCtx(ctx);
      break;
    }
    case 'ReadOnlyLeaseBased': {
      r.events.emit('raft.readIndex', { stage: 'lease', index: r.raftLog.committed, from: m.from, ctx: m.entries[0]?.data ?? '' });
      const resp = r.responseToReadIndexReq(m, r.raftLog.committed);
      if (resp) r.send(resp);
      break;
    }
  }
}

/** A message's fields as `raft.send` / `raft.step` carry them. */
function msgFields(m: Message): RaftMsgFields {
  return { msgType: m.type, from: m.from, to: m.to, term: m.term, index: m.index, logTerm: m.logTerm, entries: m.entries.length, commit: m.commit, reject: m.reject };
}

/** A conf change as text for `raft.confChange`: `AddNode(2) RemoveNode(3)`, or `LeaveJoint`. */
function describeConfChange(cc: ConfChangeV2): string {
  if (cc.changes.length === 0) return 'LeaveJoint';
  return cc.changes.map((c) => `${c.type.replace(/^ConfChange/, '')}(${c.nodeId})`).join(' ');
}

export { trackerConfigString };
export type { ReadState, ReadOnlyOption, MessageInput };
