/**
 * Text of entries, messages and Readys as etcd-io/raft v3.6.0 prints them in its interaction
 * tests (util.go's Describe* with rafttest's `%q` entry formatter). Conf change entries print as
 * upstream's ConfChangesToString (`v2 l3 r4`), whatever our entry encoding.
 */
import { asV2, isEmptyHardState, isEmptySnap, unmarshalConfChange, type ConfChangeSingle, type Entry, type Message } from '../raftpb';
import type { SoftState } from '../raft';
import type { Ready } from '../rawnode';
import { LocalApplyThread, LocalAppendThread } from '../rawnode';
import { describeHardState, describeSnapshot, None } from '../util';

/** Go's `%q` of a byte string: JSON's escapes are the same for printable ASCII and the usual controls. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

const CC_LETTER: Record<ConfChangeSingle['type'], string> = {
  ConfChangeAddNode: 'v',
  ConfChangeAddLearnerNode: 'l',
  ConfChangeRemoveNode: 'r',
  ConfChangeUpdateNode: 'u',
};

// Upstream: raftpb/confchange.go (ConfChangesToString)
export function confChangesToString(ccs: readonly ConfChangeSingle[]): string {
  return ccs.map((cc) => `${CC_LETTER[cc.type] ?? 'unknown'}${cc.nodeId}`).join(' ');
}

// Upstream: util.go (DescribeEntry) with rafttest's defaultEntryFormatter
export function describeEntry(e: Entry): string {
  const formatted = e.type === 'EntryNormal' ? goQuote(e.data ?? '') : confChangesToString(asV2(unmarshalConfChange(e.data)).changes);
  return `${e.term}/${e.index} ${e.type}${formatted !== '' ? ` ${formatted}` : ''}`;
}

// Upstream: util.go (DescribeEntries)
export function describeEntries(ents: readonly Entry[]): string {
  return ents.map((e) => describeEntry(e) + '\n').join('');
}

// Upstream: util.go (describeTarget)
function describeTarget(id: number): string {
  if (id === None) return 'None';
  if (id === LocalAppendThread) return 'AppendThread';
  if (id === LocalApplyThread) return 'ApplyThread';
  return id.toString(16);
}

// Upstream: util.go (describeMessageWithIndent)
export function describeMessage(m: Message, indent = ''): string {
  let s = `${indent}${describeTarget(m.from)}->${describeTarget(m.to)} ${m.type} Term:${m.term} Log:${m.logTerm}/${m.index}`;
  if (m.reject) s += ` Rejected (Hint: ${m.rejectHint})`;
  if (m.commit !== 0) s += ` Commit:${m.commit}`;
  if (m.vote !== 0) s += ` Vote:${m.vote}`;
  if (m.entries.length === 1) s += ` Entries:[${describeEntry(m.entries[0])}]`;
  else if (m.entries.length > 1) s += ` Entries:[${m.entries.map((e) => `\n${indent}  ${describeEntry(e)}`).join('')}\n${indent}]`;
  if (m.snapshot && !isEmptySnap(m.snapshot)) s += `\n${indent}  Snapshot: ${describeSnapshot(m.snapshot)}`;
  if (m.responses && m.responses.length > 0) s += ` Responses:[${m.responses.map((r) => '\n' + describeMessage(r, indent + '  ')).join('')}\n${indent}]`;
  return s;
}

// Upstream: util.go (DescribeSoftState)
export function describeSoftState(ss: SoftState): string {
  return `Lead:${ss.lead} State:${ss.raftState}`;
}

/** Go's `%v` of a byte slice: `[114 99 116 120]`. */
function goBytes(s: string): string {
  return `[${[...new TextEncoder().encode(s)].join(' ')}]`;
}

// Upstream: util.go (DescribeReady)
export function describeReady(rd: Ready): string {
  let buf = '';
  if (rd.softState) buf += describeSoftState(rd.softState) + '\n';
  if (!isEmptyHardState(rd.hardState)) buf += `HardState ${describeHardState(rd.hardState)}\n`;
  // Go's %v of []ReadState{Index, RequestCtx []byte}.
  if (rd.readStates.length > 0) buf += `ReadStates [${rd.readStates.map((rs) => `{${rs.index} ${goBytes(rs.requestCtx)}}`).join(' ')}]\n`;
  if (rd.entries.length > 0) buf += 'Entries:\n' + describeEntries(rd.entries);
  if (!isEmptySnap(rd.snapshot)) buf += `Snapshot ${describeSnapshot(rd.snapshot)}\n`;
  if (rd.committedEntries.length > 0) buf += 'CommittedEntries:\n' + describeEntries(rd.committedEntries);
  if (rd.messages.length > 0) buf += 'Messages:\n' + rd.messages.map((m) => describeMessage(m) + '\n').join('');
  return buf.length > 0 ? `Ready MustSync=${rd.mustSync}:\n${buf}` : '<empty Ready>';
}
