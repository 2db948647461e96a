/**
 * The raft view's state, rebuilt from trace events alone (raft.* and raftnet.*): each member's
 * role, term, vote, log (the term of every entry), commit and applied indexes, whether it is
 * down, and when its election timer was last reset; the network's messages in flight, partition,
 * clock rates and rules (raftnet's own reducer); and the safety violations the trace reports or
 * that the trace itself shows (two leaders in one term). A `Replayer` over `raftViewReducer`
 * gives the state at any cursor.
 *
 * A trace holds one cluster at a time: a `raftnet.new` (a new cluster's network) starts over.
 */
import type { Reducer } from '../../../sim/core/replay';
import type { JsonValue, TraceEvent } from '../../../sim/core/trace';
import { raftnetReducer, type NetworkReplayState } from '../../../sim/raftnet/replay';

export type Role = 'follower' | 'preCandidate' | 'candidate' | 'leader';

export interface MemberState {
  id: number;
  role: Role;
  term: number;
  /** Who it voted for in `term` (0: nobody). */
  vote: number;
  /** The leader it knows (0: none). */
  lead: number;
  /** `terms[i]` is the term of entry `i + 1`. */
  terms: number[];
  commit: number;
  applied: number;
  /** Not running: crashed (its storage survives) or paused (its process is stopped). */
  down?: 'crashed' | 'paused';
  /** When its election timer was last reset (virtual ms), and when it was paused. */
  timerStartMs: number;
  pausedAtMs?: number;
  /** Ticks until its election timeout fires (raft's randomizedElectionTimeout). */
  timeoutTicks: number;
  /** The last heartbeat timeout it fired as leader (to learn the tick interval). */
  lastBeatMs?: number;
}

export interface Violation {
  property: string;
  message: string;
  nodes: number[];
  t: number;
}

export interface RaftViewState {
  t: number;
  /** The network of the cluster drawn (the last made). */
  netName: string | undefined;
  net: NetworkReplayState | undefined;
  nets: Map<string, NetworkReplayState>;
  /** The fields the network recorded of each message in flight (raftcluster: term, index, entries). */
  details: Map<number, { [k: string]: JsonValue }>;
  members: Map<number, MemberState>;
  /** Virtual ms per tick, learned from a leader's heartbeats (default: etcd's 100 ms). */
  tickMs: number;
  /** The leader elected in each term (for Election Safety). */
  leaders: Map<number, number>;
  violations: Violation[];
}

const ROLE: Record<string, Role> = {
  'raft.becomeFollower': 'follower',
  'raft.becomePreCandidate': 'preCandidate',
  'raft.becomeCandidate': 'candidate',
  'raft.becomeLeader': 'leader',
};

/** Messages from a leader that reset a follower's election timer (stepFollower). */
const FROM_LEADER = new Set(['MsgApp', 'MsgHeartbeat', 'MsgSnap']);

export const DEFAULT_TICK_MS = 100;

function member(s: RaftViewState, id: number, t: number): MemberState {
  let m = s.members.get(id);
  if (!m) {
    m = { id, role: 'follower', term: 0, vote: 0, lead: 0, terms: [], commit: 0, applied: 0, timerStartMs: t, timeoutTicks: 10 };
    s.members.set(id, m);
  }
  return m;
}

/** Writes entries `first..` with their terms as raftLog.maybeAppend does: keep what matches, cut at the first conflict. */
function appendTerms(m: MemberState, first: number, terms: readonly number[]): void {
  for (let i = 0; i < terms.length; i++) {
    const at = first - 1 + i;
    if (at < m.terms.length && m.terms[at] === terms[i]) continue;
    m.terms.length = Math.min(m.terms.length, at);
    for (let j = i; j < terms.length; j++) m.terms.push(terms[j]);
    return;
  }
}

function applyRaft(s: RaftViewState, e: TraceEvent): void {
  const m = member(s, e.node as number, e.t);
  switch (e.type) {
    case 'raft.becomeFollower':
    case 'raft.becomeCandidate':
    case 'raft.becomePreCandidate':
    case 'raft.becomeLeader': {
      m.role = ROLE[e.type];
      m.term = e.term as number;
      m.lead = e.lead as number;
      if (typeof e.vote === 'number') m.vote = e.vote;
      else if (e.type === 'raft.becomeCandidate') m.vote = m.id;
      // A pre-candidate keeps its timer (raft's becomePreCandidate does not reset).
      if (e.type !== 'raft.becomePreCandidate') {
        m.timerStartMs = e.t;
        if (typeof e.randomizedElectionTimeout === 'number') m.timeoutTicks = e.randomizedElectionTimeout;
      }
      m.lastBeatMs = undefined;
      if (e.type === 'raft.becomeLeader') {
        const other = s.leaders.get(m.term);
        if (other !== undefined && other !== m.id) {
          s.violations.push({ property: 'ElectionSafety', message: `two leaders in term ${m.term}: ${other} and ${m.id}`, nodes: [other, m.id], t: e.t });
        } else s.leaders.set(m.term, m.id);
      }
      break;
    }
    case 'raft.timeout':
      if (e.kind === 'election') m.timerStartMs = e.t;
      else if (e.kind === 'heartbeat') {
        const rate = s.net?.rates.get(m.id) ?? 1;
        if (m.lastBeatMs !== undefined && e.t > m.lastBeatMs) {
          const measured = ((e.t - m.lastBeatMs) * rate) / Math.max(1, e.elapsed as number);
          if (s.tickMs === DEFAULT_TICK_MS || measured < s.tickMs) s.tickMs = measured;
        }
        m.lastBeatMs = e.t;
      }
      break;
    case 'raft.vote':
      if (e.granted && e.msgType === 'MsgVote') {
        m.vote = e.candidate as number;
        m.timerStartMs = e.t;
      }
      break;
    case 'raft.step':
      if (FROM_LEADER.has(e.msgType as string) && (e.handling === 'current' || e.handling === 'higherTerm') && m.role !== 'leader') {
        m.timerStartMs = e.t;
        m.lead = e.from as number;
      }
      break;
    case 'raft.append': {
      const first = e.firstIndex as number;
      const terms = Array.isArray(e.entryTerms) ? (e.entryTerms as number[]) : Array.from({ length: (e.lastIndex as number) - first + 1 }, () => e.term as number);
      appendTerms(m, first, terms);
      break;
    }
    case 'raft.commit':
      m.commit = e.to as number;
      break;
    case 'raft.apply':
      m.applied = e.index as number;
      break;
    case 'raft.snapshot':
      if (e.action === 'restore') {
        const index = e.index as number;
        m.terms = Array.from({ length: index }, (_, i) => (i === index - 1 ? (e.term as number) : 0));
        m.commit = Math.max(m.commit, index);
      }
      break;
  }
}

function applyNet(s: RaftViewState, e: TraceEvent): void {
  if (e.type === 'raftnet.new') {
    s.members.clear();
    s.leaders.clear();
    s.violations.length = 0;
    s.details.clear();
    s.netName = e.net as string;
  }
  const name = e.net as string;
  if (s.netName === undefined) s.netName = name;
  raftnetReducer.apply({ t: s.t, nets: s.nets }, e);
  s.net = s.nets.get(s.netName);
  if (name !== s.netName) return;
  const id = e.node as number;
  switch (e.type) {
    case 'raftnet.send':
    case 'raftnet.duplicate':
      s.details.set(e.msgId as number, (e.detail ?? {}) as { [k: string]: JsonValue });
      break;
    case 'raftnet.deliver':
    case 'raftnet.drop':
      s.details.delete(e.msgId as number);
      break;
    case 'raftnet.crash': {
      const m = member(s, id, e.t);
      m.down = 'crashed';
      // Volatile state is gone; the log and the HardState (term, vote, commit) were persisted.
      m.applied = 0;
      m.lastBeatMs = undefined;
      m.pausedAtMs = undefined;
      break;
    }
    case 'raftnet.restart':
      member(s, id, e.t).down = undefined;
      break;
    case 'raftnet.pause': {
      const m = member(s, id, e.t);
      m.down = 'paused';
      m.pausedAtMs = e.t;
      m.lastBeatMs = undefined;
      break;
    }
    case 'raftnet.resume': {
      const m = member(s, id, e.t);
      m.down = undefined;
      // No ticks while paused: the timer picks up where it stopped.
      if (m.pausedAtMs !== undefined) m.timerStartMs += e.t - m.pausedAtMs;
      m.pausedAtMs = undefined;
      break;
    }
  }
}

/**
 * A member's disk (raftcluster's WAL): what it saved that no raft event showed (a new cluster's
 * bootstrap entries, appended by StartNode, of term 1), what a crash lost from the unsynced
 * tail, and what a restart read back.
 */
function applyDisk(s: RaftViewState, e: TraceEvent): void {
  const id = e.node as number;
  if (typeof id !== 'number') return;
  const m = member(s, id, e.t);
  switch (e.type) {
    case 'disk.save': {
      const last = e.lastIndex as number;
      if ((e.entries as number) > 0 && last > m.terms.length && (e.firstIndex as number) <= m.terms.length + 1) {
        while (m.terms.length < last) m.terms.push(e.term as number);
      }
      m.commit = Math.max(m.commit, e.commit as number);
      break;
    }
    case 'disk.crashLoss':
      if ((e.entries as number) > 0) m.terms.length = Math.min(m.terms.length, (e.lostFrom as number) - 1);
      break;
    case 'disk.load':
      m.terms.length = Math.min(m.terms.length, e.lastIndex as number);
      m.commit = e.commit as number;
      m.term = e.term as number;
      break;
  }
}

export const raftViewReducer: Reducer<RaftViewState> = {
  init: () => ({ t: 0, netName: undefined, net: undefined, nets: new Map(), details: new Map(), members: new Map(), tickMs: DEFAULT_TICK_MS, leaders: new Map(), violations: [] }),
  apply(s, e) {
    if (e.component === 'raft') {
      s.t = e.t;
      applyRaft(s, e);
    } else if (e.component === 'raftnet') {
      s.t = e.t;
      applyNet(s, e);
    } else if (e.component === 'disk') {
      s.t = e.t;
      applyDisk(s, e);
    } else if (e.type.endsWith('.violation') && typeof e.property === 'string') {
      // A checker's finding recorded in the trace (the lab session records the cluster's).
      s.t = e.t;
      s.violations.push({ property: e.property, message: String(e.message ?? ''), nodes: Array.isArray(e.nodes) ? (e.nodes as number[]) : [], t: e.t });
    } else s.t = Math.max(s.t, e.t);
  },
  clone(s) {
    const { nets } = raftnetReducer.clone({ t: s.t, nets: s.nets });
    return {
      t: s.t,
      netName: s.netName,
      nets,
      details: new Map(s.details),
      net: s.netName === undefined ? undefined : nets.get(s.netName),
      members: new Map([...s.members].map(([id, m]) => [id, { ...m, terms: [...m.terms] }])),
      tickMs: s.tickMs,
      leaders: new Map(s.leaders),
      violations: s.violations.map((v) => ({ ...v, nodes: [...v.nodes] })),
    };
  },
  size(s) {
    let n = s.violations.length + s.leaders.size;
    for (const m of s.members.values()) n += m.terms.length;
    return n + (raftnetReducer.size?.({ t: s.t, nets: s.nets }) ?? 0);
  },
};

/** How far a member's election timer has run at `t`, from 0 to 1 (undefined: no timer runs). */
export function timerProgress(s: RaftViewState, m: MemberState, t: number): number | undefined {
  if (m.down === 'crashed' || m.role === 'leader') return undefined;
  const rate = s.net?.rates.get(m.id) ?? 1;
  const until = m.down === 'paused' && m.pausedAtMs !== undefined ? m.pausedAtMs : t;
  const ticks = ((until - m.timerStartMs) * rate) / s.tickMs;
  return Math.max(0, Math.min(1, ticks / Math.max(1, m.timeoutTicks)));
}

/** The partition's groups with every member in one (members in no group are alone). */
export function partitionGroups(s: RaftViewState): number[][] | undefined {
  const groups = s.net?.groups;
  if (!groups || groups.length === 0) return undefined;
  const seen = new Set(groups.flat());
  return [...groups.map((g) => [...g]), ...[...s.members.keys()].filter((id) => !seen.has(id)).map((id) => [id])];
}
