/**
 * RawNode: the raft state machine behind the Ready / Advance loop. The caller ticks it, steps
 * messages into it, and repeatedly takes a Ready (what to persist, send and apply), handles it,
 * and calls advance(). Upstream: rawnode.go at etcd-io/raft v3.6.0, the path without
 * AsyncStorageWrites: entries are persisted before the messages of the same Ready are sent.
 */
import { ErrStepLocalMsg, ErrStepPeerNotFound, panic, type RaftError } from './errors';
import { confChangeToMsg, newRaft, Raft, type RaftConfig, type SoftState } from './raft';
import { isEmptyHardState, isEmptySnap, isHardStateEqual, type ConfChange, type ConfChangeV2, type ConfState, type Entry, type HardState, type Message, type MessageInput, type Snapshot } from './raftpb';
import type { ReadState } from './read_only';
import type { Progress } from './tracker/progress';
import { cloneTrackerConfig, type TrackerConfig } from './tracker/tracker';
import { isLocalMsg, isResponseMsg, entsSize } from './util';

/**
 * What the application must do, in order: persist `hardState`, `entries` and `snapshot`
 * (durably when `mustSync`), send `messages`, apply `snapshot` and `committedEntries`, then
 * call advance(). Upstream: node.go (Ready)
 */
export interface Ready {
  /** Set when the leader or the role changed. */
  softState?: SoftState;
  /** The state to persist; all zero when unchanged. */
  hardState: HardState;
  /** Reads that may be served once applied up to their index. */
  readStates: ReadState[];
  /** Entries to persist before sending messages. */
  entries: Entry[];
  /** A snapshot to persist (empty: none). */
  snapshot: Snapshot;
  /** Entries to apply to the state machine (already persisted). */
  committedEntries: Entry[];
  /** Messages to send after persisting. */
  messages: Message[];
  /** Whether the HardState and entries must be synced to disk before sending. */
  mustSync: boolean;
}

/** Upstream: status.go (BasicStatus) */
export interface BasicStatus {
  id: number;
  hardState: HardState;
  softState: SoftState;
  applied: number;
  leadTransferee: number;
}

/** Upstream: status.go (Status) */
export interface Status extends BasicStatus {
  config: TrackerConfig;
  /** Every peer's progress (only on the leader). */
  progress: Map<number, Progress>;
}

/** Upstream: rawnode.go (MustSync) */
export function mustSync(st: HardState, prevst: HardState, entsnum: number): boolean {
  // Persistent state on all servers: currentTerm, votedFor, log[].
  return entsnum !== 0 || st.vote !== prevst.vote || st.term !== prevst.term;
}

// Upstream: rawnode.go (RawNode)
export class RawNode {
  readonly raft: Raft;
  prevSoftSt: SoftState;
  prevHardSt: HardState;
  /** Messages to step into raft on advance(): its own acks, once the Ready is persisted. */
  stepsOnAdvance: Message[] = [];

  constructor(config: RaftConfig) {
    this.raft = newRaft(config);
    this.prevSoftSt = this.raft.softState();
    this.prevHardSt = this.raft.hardState();
  }

  /** Advances the logical clock by one tick. Upstream: rawnode.go (RawNode.Tick) */
  tick(): void {
    this.raft.tick();
  }

  /** A tick that never triggers an election or heartbeat. Upstream: rawnode.go (RawNode.TickQuiesced) */
  tickQuiesced(): void {
    this.raft.electionElapsed++;
  }

  /** Starts an election. Upstream: rawnode.go (RawNode.Campaign) */
  campaign(): RaftError | undefined {
    return this.raft.step({ type: 'MsgHup' });
  }

  /** Proposes data to be appended (ErrProposalDropped when there is no leader). Upstream: rawnode.go (RawNode.Propose) */
  propose(data: string): RaftError | undefined {
    return this.raft.step({ type: 'MsgProp', from: this.raft.id, entries: [{ data }] });
  }

  /** Upstream: rawnode.go (RawNode.ProposeConfChange) */
  proposeConfChange(cc: ConfChange | ConfChangeV2): RaftError | undefined {
    return this.raft.step(confChangeToMsg(cc));
  }

  /** Applies a committed conf change; returns the new ConfState. Upstream: rawnode.go (RawNode.ApplyConfChange) */
  applyConfChange(cc: ConfChange | ConfChangeV2): ConfState {
    return this.raft.applyConfChange(cc);
  }

  /** Steps a message from the network. Upstream: rawnode.go (RawNode.Step) */
  step(m: MessageInput): RaftError | undefined {
    // Ignore unexpected local messages received over the network.
    const from = m.from ?? 0;
    const localTarget = from === LocalAppendThread || from === LocalApplyThread;
    if (isLocalMsg(m.type) && !localTarget) return ErrStepLocalMsg;
    if (isResponseMsg(m.type) && !localTarget && !this.raft.trk.progress.has(from)) return ErrStepPeerNotFound;
    return this.raft.step(m);
  }

  /** The current Ready; the caller must handle it and call advance(). Upstream: rawnode.go (RawNode.Ready) */
  ready(): Ready {
    const rd = this.readyWithoutAccept();
    this.acceptReady(rd);
    return rd;
  }

  // Upstream: rawnode.go (RawNode.readyWithoutAccept)
  readyWithoutAccept(): Ready {
    const r = this.raft;
    const rd: Ready = {
      hardState: { term: 0, vote: 0, commit: 0 },
      readStates: [],
      entries: r.raftLog.nextUnstableEnts(),
      snapshot: { metadata: { index: 0, term: 0, confState: { voters: [], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } } },
      committedEntries: r.raftLog.nextCommittedEnts(this.applyUnstableEntries()),
      messages: [...r.msgs],
      mustSync: false,
    };
    const softSt = r.softState();
    if (softSt.lead !== this.prevSoftSt.lead || softSt.raftState !== this.prevSoftSt.raftState) rd.softState = softSt;
    const hardSt = r.hardState();
    if (!isHardStateEqual(hardSt, this.prevHardSt)) rd.hardState = hardSt;
    const snap = r.raftLog.nextUnstableSnapshot();
    if (snap) rd.snapshot = snap;
    if (r.readStates.length !== 0) rd.readStates = r.readStates;
    rd.mustSync = mustSync(r.hardState(), this.prevHardSt, rd.entries.length);
    // Without async storage writes, responses wait until the Ready is persisted (they are in
    // the same Ready as the entries they acknowledge); responses to ourselves are stepped on advance.
    for (const m of r.msgsAfterAppend) if (m.to !== r.id) rd.messages.push(m);
    return rd;
  }

  // Upstream: rawnode.go (RawNode.acceptReady)
  acceptReady(rd: Ready): void {
    const r = this.raft;
    if (rd.softState) this.prevSoftSt = rd.softState;
    if (!isEmptyHardState(rd.hardState)) this.prevHardSt = rd.hardState;
    if (rd.readStates.length !== 0) r.readStates = [];
    if (this.stepsOnAdvance.length !== 0) panic('two accepted Ready structs without call to Advance');
    for (const m of r.msgsAfterAppend) if (m.to === r.id) this.stepsOnAdvance.push(m);
    if (r.raftLog.hasNextOrInProgressUnstableEnts() || !isEmptySnap(rd.snapshot)) {
      // Upstream: rawnode.go (newStorageAppendRespMsg): the log is stable up to its last entry.
      const m: MessageInput = { type: 'MsgStorageAppendResp', to: r.id, from: LocalAppendThread, term: r.term };
      if (r.raftLog.hasNextOrInProgressUnstableEnts()) {
        const last = r.raftLog.lastEntryID();
        m.index = last.index;
        m.logTerm = last.term;
      }
      if (!isEmptySnap(rd.snapshot)) m.snapshot = rd.snapshot;
      this.stepsOnAdvance.push(toMessage(m));
    }
    if (rd.committedEntries.length > 0) {
      // Upstream: rawnode.go (newStorageApplyRespMsg)
      this.stepsOnAdvance.push(toMessage({ type: 'MsgStorageApplyResp', to: r.id, from: LocalApplyThread, term: 0, entries: rd.committedEntries }));
    }
    r.msgs = [];
    r.msgsAfterAppend = [];
    r.raftLog.acceptUnstable();
    if (rd.committedEntries.length > 0) {
      const ents = rd.committedEntries;
      r.raftLog.acceptApplying(ents[ents.length - 1].index, entsSize(ents), this.applyUnstableEntries());
    }
  }

  /** Entries not yet persisted may be applied (true without async storage writes). Upstream: rawnode.go (RawNode.applyUnstableEntries) */
  applyUnstableEntries(): boolean {
    return true;
  }

  /** Whether a Ready is pending (quiescence by construction). Upstream: rawnode.go (RawNode.HasReady) */
  hasReady(): boolean {
    const r = this.raft;
    const softSt = r.softState();
    if (softSt.lead !== this.prevSoftSt.lead || softSt.raftState !== this.prevSoftSt.raftState) return true;
    const hardSt = r.hardState();
    if (!isEmptyHardState(hardSt) && !isHardStateEqual(hardSt, this.prevHardSt)) return true;
    if (r.raftLog.hasNextUnstableSnapshot()) return true;
    if (r.msgs.length > 0 || r.msgsAfterAppend.length > 0) return true;
    if (r.raftLog.hasNextUnstableEnts() || r.raftLog.hasNextCommittedEnts(this.applyUnstableEntries())) return true;
    return r.readStates.length !== 0;
  }

  /**
   * The last Ready was handled (persisted, sent, applied): step the acks it implied (the
   * log is stable, the entries are applied, our own votes and appends). Upstream: rawnode.go (RawNode.Advance)
   */
  advance(_rd?: Ready): void {
    const steps = this.stepsOnAdvance;
    this.stepsOnAdvance = [];
    for (const m of steps) this.raft.step(m);
  }

  // Upstream: rawnode.go (RawNode.Status), status.go (getStatus)
  status(): Status {
    const r = this.raft;
    const progress = new Map<number, Progress>();
    if (r.state === 'StateLeader') r.trk.visit((id, pr) => progress.set(id, Object.assign(pr.copy(), { inflights: pr.inflights.clone() })));
    return { ...this.basicStatus(), config: cloneTrackerConfig(r.trk.config), progress };
  }

  // Upstream: rawnode.go (RawNode.BasicStatus), status.go (getBasicStatus)
  basicStatus(): BasicStatus {
    const r = this.raft;
    return { id: r.id, hardState: r.hardState(), softState: r.softState(), applied: r.raftLog.applied, leadTransferee: r.leadTransferee };
  }

  /** The transport could not reach `id`. Upstream: rawnode.go (RawNode.ReportUnreachable) */
  reportUnreachable(id: number): void {
    this.raft.step({ type: 'MsgUnreachable', from: id });
  }

  /** How sending a snapshot to `id` ended. Upstream: rawnode.go (RawNode.ReportSnapshot) */
  reportSnapshot(id: number, status: 'SnapshotFinish' | 'SnapshotFailure'): void {
    this.raft.step({ type: 'MsgSnapStatus', from: id, reject: status === 'SnapshotFailure' });
  }

  /** Upstream: rawnode.go (RawNode.TransferLeader) */
  transferLeader(transferee: number): void {
    this.raft.step({ type: 'MsgTransferLeader', from: transferee });
  }

  /** Upstream: rawnode.go (RawNode.ForgetLeader) */
  forgetLeader(): RaftError | undefined {
    return this.raft.step({ type: 'MsgForgetLeader' });
  }

  /** Requests a linearizable read; the answer comes as a ReadState in a Ready. Upstream: rawnode.go (RawNode.ReadIndex) */
  readIndex(rctx: string): void {
    this.raft.step({ type: 'MsgReadIndex', entries: [{ data: rctx }] });
  }
}

/** Upstream: raft.go (LocalAppendThread): math.MaxUint64, here the largest safe integer. */
export const LocalAppendThread = Number.MAX_SAFE_INTEGER;
/** Upstream: raft.go (LocalApplyThread) */
export const LocalApplyThread = Number.MAX_SAFE_INTEGER - 1;

function toMessage(m: MessageInput): Message {
  return { to: 0, from: 0, term: 0, logTerm: 0, index: 0, commit: 0, vote: 0, reject: false, rejectHint: 0, ...m, entries: (m.entries ?? []) as Entry[] };
}

/** Upstream: rawnode.go (NewRawNode) */
export function newRawNode(cfg: RaftConfig): RawNode {
  return new RawNode(cfg);
}
