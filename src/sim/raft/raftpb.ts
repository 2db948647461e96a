/**
 * The raft wire types, after raftpb/raft.proto at etcd-io/raft v3.6.0, as plain data. Enums keep
 * their upstream names as strings (`'MsgApp'`, `'EntryNormal'`); `[]byte` fields are strings
 * (`data`, `context`), undefined where Go has nil.
 */

/** What an entry holds. Upstream: raftpb/raft.proto (EntryType). */
export type EntryType =
  /** An application command (or the empty entry a new leader appends). */
  | 'EntryNormal'
  /** A marshalled ConfChange: applying it changes the membership one node at a time. */
  | 'EntryConfChange'
  /** A marshalled ConfChangeV2 (joint consensus when it changes more than one voter). */
  | 'EntryConfChangeV2';

/** One log entry. Upstream: raftpb/raft.proto (Entry). */
export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  /** The payload; undefined is Go's nil (the empty entry). */
  data?: string;
}

/** What the caller may give for an entry: missing numbers are 0, the type EntryNormal. */
export type EntryInput = Partial<Entry>;

/** The state that must be persisted before messages are sent. Upstream: raftpb/raft.proto (HardState). */
export interface HardState {
  term: number;
  vote: number;
  commit: number;
}

/** The membership. Upstream: raftpb/raft.proto (ConfState). */
export interface ConfState {
  /** The voters of the incoming config (of the only one when not joint). */
  voters: number[];
  learners: number[];
  /** The voters of the outgoing config (non-empty only in a joint config). */
  votersOutgoing: number[];
  /** Voters of the outgoing config that become learners when the joint config is left. */
  learnersNext: number[];
  autoLeave: boolean;
}

/** Upstream: raftpb/raft.proto (SnapshotMetadata). */
export interface SnapshotMetadata {
  confState: ConfState;
  index: number;
  term: number;
}

/** Upstream: raftpb/raft.proto (Snapshot). */
export interface Snapshot {
  data?: string;
  metadata: SnapshotMetadata;
}

/** Every message type. Upstream: raftpb/raft.proto (MessageType). */
export type MessageType =
  /** Local: start an election (the election timer fired, or `campaign()`). */
  | 'MsgHup'
  /** Local: the leader's heartbeat timer fired; broadcast heartbeats. */
  | 'MsgBeat'
  /** A proposal: entries to append (forwarded by followers to the leader). */
  | 'MsgProp'
  /** Append entries after (index, logTerm), and learn the commit index. */
  | 'MsgApp'
  /** The reply to MsgApp: accepted up to index, or rejected with a hint. */
  | 'MsgAppResp'
  /** A request for a vote at term, with the candidate's last (logTerm, index). */
  | 'MsgVote'
  | 'MsgVoteResp'
  /** A snapshot for a follower whose next entry was compacted away. */
  | 'MsgSnap'
  /** The leader's heartbeat: keeps followers from campaigning, carries min(match, commit). */
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  /** Local: the transport could not reach a peer; its progress falls back to probing. */
  | 'MsgUnreachable'
  /** Local: how sending a snapshot ended. */
  | 'MsgSnapStatus'
  /** Local: the leader checks that a quorum was recently active. */
  | 'MsgCheckQuorum'
  /** Ask the leader to hand leadership to `from`. */
  | 'MsgTransferLeader'
  /** Tells the transferee to campaign at once, bypassing leases. */
  | 'MsgTimeoutNow'
  /** A linearizable read: learn the commit index once leadership is confirmed. */
  | 'MsgReadIndex'
  | 'MsgReadIndexResp'
  /** A pre-vote at term+1 that changes no state of the receiver. */
  | 'MsgPreVote'
  | 'MsgPreVoteResp'
  /** Async storage writes (not modelled: the RawNode here persists synchronously). */
  | 'MsgStorageAppend'
  | 'MsgStorageAppendResp'
  | 'MsgStorageApply'
  | 'MsgStorageApplyResp'
  /** Forget the current leader (followers only). */
  | 'MsgForgetLeader';

/** A raft message. Upstream: raftpb/raft.proto (Message). */
export interface Message {
  type: MessageType;
  to: number;
  from: number;
  term: number;
  logTerm: number;
  index: number;
  entries: Entry[];
  commit: number;
  vote: number;
  snapshot?: Snapshot;
  reject: boolean;
  rejectHint: number;
  context?: string;
  responses?: Message[];
}

/** What the caller may give for a message: `type` and any upstream field; the rest are zero. */
export type MessageInput = { type: MessageType } & Partial<Omit<Message, 'type' | 'entries'>> & { entries?: EntryInput[] };

/** Upstream: raftpb/raft.proto (ConfChangeType). */
export type ConfChangeType = 'ConfChangeAddNode' | 'ConfChangeRemoveNode' | 'ConfChangeUpdateNode' | 'ConfChangeAddLearnerNode';

/** Upstream: raftpb/raft.proto (ConfChangeTransition). */
export type ConfChangeTransition =
  /** Simple when possible (one voter changes), else joint with automatic leave. */
  | 'ConfChangeTransitionAuto'
  /** Joint, left automatically once applied. */
  | 'ConfChangeTransitionJointImplicit'
  /** Joint, left only by an empty ConfChangeV2. */
  | 'ConfChangeTransitionJointExplicit';

/** A single-node change (the V1 entry). Upstream: raftpb/raft.proto (ConfChange). */
export interface ConfChange {
  type: ConfChangeType;
  nodeId: number;
  context?: string;
  id?: number;
}

/** Upstream: raftpb/raft.proto (ConfChangeSingle). */
export interface ConfChangeSingle {
  type: ConfChangeType;
  nodeId: number;
}

/** Upstream: raftpb/raft.proto (ConfChangeV2). */
export interface ConfChangeV2 {
  transition: ConfChangeTransition;
  changes: ConfChangeSingle[];
  context?: string;
}

/** A full entry from a partial one. */
export function newEntry(e: EntryInput = {}): Entry {
  const out: Entry = { term: e.term ?? 0, index: e.index ?? 0, type: e.type ?? 'EntryNormal' };
  if (e.data !== undefined) out.data = e.data;
  return out;
}

/** A full message from a partial one (missing numbers 0, `reject` false, `entries` []). */
export function newMessage(m: MessageInput): Message {
  const out: Message = {
    type: m.type,
    to: m.to ?? 0,
    from: m.from ?? 0,
    term: m.term ?? 0,
    logTerm: m.logTerm ?? 0,
    index: m.index ?? 0,
    entries: m.entries ? m.entries.map(newEntry) : [],
    commit: m.commit ?? 0,
    vote: m.vote ?? 0,
    reject: m.reject ?? false,
    rejectHint: m.rejectHint ?? 0,
  };
  if (m.snapshot !== undefined) out.snapshot = m.snapshot;
  if (m.context !== undefined) out.context = m.context;
  if (m.responses !== undefined) out.responses = m.responses;
  return out;
}

/** An empty ConfState. */
export function emptyConfState(): ConfState {
  return { voters: [], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
}

/** A ConfState from a partial one. */
export function newConfState(cs: Partial<ConfState> = {}): ConfState {
  return {
    voters: [...(cs.voters ?? [])],
    learners: [...(cs.learners ?? [])],
    votersOutgoing: [...(cs.votersOutgoing ?? [])],
    learnersNext: [...(cs.learnersNext ?? [])],
    autoLeave: cs.autoLeave ?? false,
  };
}

/** An empty snapshot (index 0, term 0). */
export function emptySnapshot(): Snapshot {
  return { metadata: { confState: emptyConfState(), index: 0, term: 0 } };
}

/** A snapshot from its metadata (and data). */
export function newSnapshot(s: { data?: string; metadata?: { index?: number; term?: number; confState?: Partial<ConfState> } } = {}): Snapshot {
  const out: Snapshot = {
    metadata: { index: s.metadata?.index ?? 0, term: s.metadata?.term ?? 0, confState: newConfState(s.metadata?.confState) },
  };
  if (s.data !== undefined) out.data = s.data;
  return out;
}

// Upstream: node.go (IsEmptyHardState)
export function isEmptyHardState(st: HardState): boolean {
  return st.term === 0 && st.vote === 0 && st.commit === 0;
}

// Upstream: node.go (isHardStateEqual)
export function isHardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

// Upstream: node.go (IsEmptySnap)
export function isEmptySnap(sp: Snapshot | undefined): boolean {
  return sp === undefined || sp.metadata.index === 0;
}

/** Bytes of a string in UTF-8 (Go's len([]byte(s))). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Bytes of a varint (protobuf's sov). */
function sov(x: number): number {
  let n = 1;
  while (x >= 128) {
    x = Math.floor(x / 128);
    n++;
  }
  return n;
}

const ENTRY_TYPE_NUM: Record<EntryType, number> = { EntryNormal: 0, EntryConfChange: 1, EntryConfChangeV2: 2 };

/** The entry's protobuf encoding size. Upstream: raftpb/raft.pb.go (Entry.Size) */
export function entrySize(e: Entry): number {
  let n = 1 + sov(ENTRY_TYPE_NUM[e.type]) + 1 + sov(e.term) + 1 + sov(e.index);
  if (e.data !== undefined) {
    const l = utf8Length(e.data);
    n += 1 + l + sov(l);
  }
  return n;
}

/** The entry's payload size in bytes. Upstream: util.go (payloadSize) */
export function payloadSize(e: Entry): number {
  return e.data === undefined ? 0 : utf8Length(e.data);
}

/**
 * A ConfChange as an entry's data. Upstream marshals the protobuf; the model stores JSON (so an
 * entry stays readable in a trace). Upstream: raftpb/raft.pb.go (ConfChange.Marshal)
 */
export function marshalConfChange(cc: ConfChange | ConfChangeV2): string {
  return JSON.stringify(cc);
}

/** Reads {@link marshalConfChange}'s output. */
export function unmarshalConfChange(data: string | undefined): ConfChange | ConfChangeV2 {
  return JSON.parse(data ?? '{}') as ConfChange | ConfChangeV2;
}

/** Whether a conf change is V2 (has `changes`). */
export function isConfChangeV2(cc: ConfChange | ConfChangeV2): cc is ConfChangeV2 {
  return Array.isArray((cc as ConfChangeV2).changes);
}

// Upstream: raftpb/confchange.go (ConfChange.AsV2, ConfChangeV2.AsV2)
export function asV2(cc: ConfChange | ConfChangeV2): ConfChangeV2 {
  if (isConfChangeV2(cc)) return cc;
  const out: ConfChangeV2 = { transition: 'ConfChangeTransitionAuto', changes: [{ type: cc.type, nodeId: cc.nodeId }] };
  if (cc.context !== undefined) out.context = cc.context;
  return out;
}

// Upstream: raftpb/confchange.go (ConfChangeV2.EnterJoint)
export function enterJoint(cc: ConfChangeV2): { autoLeave: boolean; ok: boolean } {
  if (cc.transition !== 'ConfChangeTransitionAuto' || cc.changes.length > 1) {
    switch (cc.transition) {
      case 'ConfChangeTransitionAuto':
      case 'ConfChangeTransitionJointImplicit':
        return { autoLeave: true, ok: true };
      case 'ConfChangeTransitionJointExplicit':
        return { autoLeave: false, ok: true };
    }
  }
  return { autoLeave: false, ok: false };
}

// Upstream: raftpb/confchange.go (ConfChangeV2.LeaveJoint)
export function leaveJoint(cc: ConfChangeV2): boolean {
  return cc.changes.length === 0 && cc.transition === 'ConfChangeTransitionAuto';
}

/** A conf change as an entry for a proposal. Upstream: raftpb/confchange.go (MarshalConfChange) */
export function confChangeEntry(cc: ConfChange | ConfChangeV2): EntryInput {
  return { type: isConfChangeV2(cc) ? 'EntryConfChangeV2' : 'EntryConfChange', data: marshalConfChange(cc) };
}
