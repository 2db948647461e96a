/**
 * Helpers over messages and entries. Upstream: util.go at etcd-io/raft v3.6.0.
 */
import { entrySize, payloadSize, type Entry, type HardState, type Message, type MessageType, type Snapshot, type ConfState } from './raftpb';

/** No limit on a size (Go: math.MaxUint64). */
export const noLimit = Infinity;

/** The node id that means "nobody" (no leader, no vote). Upstream: raft.go (None) */
export const None = 0;

const LOCAL_MSGS = new Set<MessageType>([
  'MsgHup',
  'MsgBeat',
  'MsgUnreachable',
  'MsgSnapStatus',
  'MsgCheckQuorum',
  'MsgStorageAppend',
  'MsgStorageAppendResp',
  'MsgStorageApply',
  'MsgStorageApplyResp',
]);
const RESPONSE_MSGS = new Set<MessageType>([
  'MsgAppResp',
  'MsgVoteResp',
  'MsgHeartbeatResp',
  'MsgUnreachable',
  'MsgReadIndexResp',
  'MsgPreVoteResp',
  'MsgStorageAppendResp',
  'MsgStorageApplyResp',
]);

// Upstream: util.go (IsLocalMsg)
export function isLocalMsg(t: MessageType): boolean {
  return LOCAL_MSGS.has(t);
}

// Upstream: util.go (IsResponseMsg)
export function isResponseMsg(t: MessageType): boolean {
  return RESPONSE_MSGS.has(t);
}

// Upstream: util.go (voteRespMsgType)
export function voteRespMsgType(t: MessageType): MessageType {
  switch (t) {
    case 'MsgVote':
      return 'MsgVoteResp';
    case 'MsgPreVote':
      return 'MsgPreVoteResp';
    default:
      throw new Error(`not a vote message: ${t}`);
  }
}

// Upstream: util.go (entsSize)
export function entsSize(ents: readonly Entry[]): number {
  let size = 0;
  for (const e of ents) size += entrySize(e);
  return size;
}

// Upstream: util.go (payloadsSize)
export function payloadsSize(ents: readonly Entry[]): number {
  let s = 0;
  for (const e of ents) s += payloadSize(e);
  return s;
}

/** The longest prefix of `ents` within `maxSize` bytes, never empty when `ents` is not. Upstream: util.go (limitSize) */
export function limitSize(ents: Entry[], maxSize: number): Entry[] {
  // No size is over noLimit: the same answer as summing them (upstream sums), without the work.
  if (ents.length === 0 || maxSize === noLimit) return ents;
  let size = entrySize(ents[0]);
  for (let limit = 1; limit < ents.length; limit++) {
    size += entrySize(ents[limit]);
    if (size > maxSize) return ents.slice(0, limit);
  }
  return ents;
}

const hex = (id: number) => id.toString(16);

// Upstream: util.go (DescribeHardState)
export function describeHardState(hs: HardState): string {
  return `Term:${hs.term}${hs.vote !== 0 ? ` Vote:${hs.vote}` : ''} Commit:${hs.commit}`;
}

const ids = (a: number[]) => `[${a.join(' ')}]`;

// Upstream: util.go (DescribeConfState)
export function describeConfState(cs: ConfState): string {
  return `Voters:${ids(cs.voters)} VotersOutgoing:${ids(cs.votersOutgoing)} Learners:${ids(cs.learners)} LearnersNext:${ids(cs.learnersNext)} AutoLeave:${cs.autoLeave}`;
}

// Upstream: util.go (DescribeSnapshot)
export function describeSnapshot(s: Snapshot): string {
  return `Index:${s.metadata.index} Term:${s.metadata.term} ConfState:${describeConfState(s.metadata.confState)}`;
}

// Upstream: util.go (DescribeEntry), data printed with %q
export function describeEntry(e: Entry): string {
  const formatted = e.type === 'EntryNormal' ? JSON.stringify(e.data ?? '') : (e.data ?? '');
  return `${e.term}/${e.index} ${e.type}${formatted !== '' ? ` ${formatted}` : ''}`;
}

// Upstream: util.go (DescribeMessage)
export function describeMessage(m: Message): string {
  let s = `${m.from === None ? 'None' : hex(m.from)}->${m.to === None ? 'None' : hex(m.to)} ${m.type} Term:${m.term} Log:${m.logTerm}/${m.index}`;
  if (m.reject) s += ` Rejected (Hint: ${m.rejectHint})`;
  if (m.commit !== 0) s += ` Commit:${m.commit}`;
  if (m.vote !== 0) s += ` Vote:${m.vote}`;
  if (m.entries.length === 1) s += ` Entries:[${describeEntry(m.entries[0])}]`;
  else if (m.entries.length > 1) s += ` Entries:[${m.entries.map((e) => `\n  ${describeEntry(e)}`).join('')}\n]`;
  if (m.snapshot && m.snapshot.metadata.index !== 0) s += `\n  Snapshot: ${describeSnapshot(m.snapshot)}`;
  return s;
}
