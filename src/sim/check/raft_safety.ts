/**
 * Raft's safety properties (the Raft paper, Figure 3), checked from outside the model after
 * every step: the checker sees only plain views of the nodes (`id, state, term, entries,
 * committed`) and remembers what it has seen, so it works on any raft that can show those, and
 * it does not import `src/sim/raft`.
 *
 * - Election Safety: at most one leader is elected in a given term (§5.2).
 * - Leader Append-Only: a leader never overwrites or deletes entries in its log (§5.3).
 * - Log Matching: if two logs contain an entry with the same index and term, the logs are
 *   identical in all entries up through that index (§5.3).
 * - Leader Completeness: if an entry is committed in a given term, it is present in the logs of
 *   the leaders of all higher terms (§5.4).
 * - State Machine Safety: once an entry is committed (and so may be applied) at an index, no
 *   node ever commits a different entry at that index (§5.4.3).
 */

/** Figure 3's five properties. */
export type SafetyProperty = 'ElectionSafety' | 'LeaderAppendOnly' | 'LogMatching' | 'LeaderCompleteness' | 'StateMachineSafety';

/** One log entry as the checker compares it: `data` in any form (compared by {@link dataKey}). */
export interface EntryView {
  index: number;
  term: number;
  data?: unknown;
}

/** One node as the checker sees it. */
export interface NodeView {
  id: number;
  /** `'StateLeader'` marks a leader; any other value is not one. */
  state: string;
  term: number;
  /** The entries the node holds, by increasing consecutive index (after compaction: from its first index). */
  entries: readonly EntryView[];
  /** Its commit index. */
  committed: number;
}

export interface SafetyViolation {
  property: SafetyProperty;
  /** What broke, in a sentence naming the nodes, terms and indices. */
  message: string;
  nodes: number[];
  term?: number;
  index?: number;
  /** Virtual time of the observation, when given. */
  atMs?: number;
}

/** What a raft node must offer for {@link raftView}: the fields DESIGN.md fixes for `newRaft`. */
export interface RaftLike {
  id: number;
  state: string;
  term: number;
  raftLog: { committed: number; allEntries(): ReadonlyArray<{ index: number; term: number; data?: unknown }> };
}

/** The view of a raft node (`newRaft` or anything shaped like it). */
export function raftView(r: RaftLike): NodeView {
  return { id: r.id, state: r.state, term: r.term, entries: r.raftLog.allEntries(), committed: r.raftLog.committed };
}

/** A comparable form of an entry's data: strings as they are, bytes as a list, else JSON. */
export function dataKey(data: unknown): string {
  if (data === undefined || data === null) return '';
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return `bytes:${Array.prototype.join.call(data, ',')}`;
  return `json:${JSON.stringify(data)}`;
}

export interface SafetyChecker {
  /**
   * Checks the nodes as they are now, against each other and against everything seen before;
   * returns the new violations (also kept in `violations`).
   */
  observe(nodes: readonly NodeView[], atMs?: number): SafetyViolation[];
  readonly violations: SafetyViolation[];
}

interface Committed {
  term: number;
  data: string;
  /** The term of the node that was first seen committing it. */
  commitTerm: number;
  by: number;
}

/** What the checker remembers of a log it has checked: compared with the next view of it. */
interface Seen {
  log: IndexedLog;
}

/**
 * A checker with an empty memory. It is incremental: each observation compares every log with
 * the view it last checked (entry objects that are the very same are skipped without reading
 * them) and checks only from the first index that changed, so a long run costs what its new
 * entries cost, not what its whole logs cost at every step.
 */
export function newSafetyChecker(): SafetyChecker {
  const leaders = new Map<number, number>(); // term -> leader id
  const committed = new Map<number, Committed>();
  let adds = 0; // entries recorded in `committed` so far
  let maxCommitted = 0;
  const violations: SafetyViolation[] = [];
  // Remember one violation per (property, subject) so a standing fault is reported once.
  const reported = new Set<string>();
  // Per node: its last view, and how far its committed entries were checked against `committed`.
  const seenNodes = new Map<number, Seen & { smsChecked: number }>();
  // Per leader of a term (`id@term`): its log when last seen leading, and the adds it checked.
  const seenLeaders = new Map<string, Seen & { lcAdds: number }>();
  // Per pair of nodes: their logs when last checked together, and how far they are equal.
  const seenPairs = new Map<string, { a: IndexedLog; b: IndexedLog; eq: number }>();

  function observe(nodes: readonly NodeView[], atMs?: number): SafetyViolation[] {
    const found: SafetyViolation[] = [];
    const report = (key: string, v: SafetyViolation) => {
      if (reported.has(key)) return;
      reported.add(key);
      if (atMs !== undefined) v.atMs = atMs;
      found.push(v);
    };
    const logs = nodes.map((n) => indexLog(n));
    const previous = nodes.map((n) => seenNodes.get(n.id)?.log);
    // The first index where each log differs from its last view (Infinity: unchanged).
    const changed = nodes.map((n, k) => (previous[k] ? firstDifference(previous[k]!, logs[k]) : logs[k].first));
    // Where node k's log differs from `stored`, a log of it checked before (usually its last view).
    const differsFrom = (stored: IndexedLog, k: number) => (stored === previous[k] ? changed[k] : firstDifference(stored, logs[k]));

    // Election Safety.
    for (const n of nodes) {
      if (n.state !== 'StateLeader') continue;
      const known = leaders.get(n.term);
      if (known === undefined) leaders.set(n.term, n.id);
      else if (known !== n.id) {
        report(`ES:${n.term}`, { property: 'ElectionSafety', message: `term ${n.term} has two leaders: ${known} and ${n.id}`, nodes: [known, n.id], term: n.term });
      }
    }

    // Leader Append-Only: while a node leads a term, what it held stays (compaction aside).
    nodes.forEach((n, k) => {
      if (n.state !== 'StateLeader') return;
      const key = `${n.id}@${n.term}`;
      const before = seenLeaders.get(key);
      const now = logs[k];
      if (before) {
        const d = differsFrom(before.log, k);
        if (d <= before.log.last) {
          const e = before.log.get(d)!;
          const cur = now.get(d);
          report(`LAO:${key}:${d}`, {
            property: 'LeaderAppendOnly',
            message: `leader ${n.id} of term ${n.term} ${cur === undefined ? 'deleted' : 'overwrote'} its entry at index ${d} (term ${e.term})`,
            nodes: [n.id],
            term: n.term,
            index: d,
          });
        }
      }
    });

    // Log Matching, pair by pair: below the first index where two logs differ, they are equal;
    // at or above it, no index may hold the same term in both.
    for (let a = 0; a < nodes.length; a++) {
      for (let b = a + 1; b < nodes.length; b++) {
        const la = logs[a];
        const lb = logs[b];
        const key = nodes[a].id < nodes[b].id ? `${nodes[a].id},${nodes[b].id}` : `${nodes[b].id},${nodes[a].id}`;
        const pair = seenPairs.get(key);
        const lo = Math.max(la.first, lb.first);
        const hi = Math.min(la.last, lb.last);
        let eq = lo - 1;
        if (pair) {
          const [pa, pb] = nodes[a].id < nodes[b].id ? [pair.a, pair.b] : [pair.b, pair.a];
          eq = Math.max(lo - 1, Math.min(pair.eq, differsFrom(pa, a) - 1, differsFrom(pb, b) - 1));
        }
        while (eq < hi && sameEntry(la.get(eq + 1)!, lb.get(eq + 1)!)) eq++;
        seenPairs.set(key, nodes[a].id < nodes[b].id ? { a: la, b: lb, eq } : { a: lb, b: la, eq });
        if (eq >= hi) continue;
        const k = eq + 1;
        let match = -1;
        for (let i = hi; i >= k; i--) {
          if (la.get(i)!.term === lb.get(i)!.term) {
            match = i;
            break;
          }
        }
        if (match < 0) continue;
        const ea = la.get(k)!;
        const eb = lb.get(k)!;
        const ids = [nodes[a].id, nodes[b].id];
        report(`LM:${ids.join(',')}:${k}`, {
          property: 'LogMatching',
          message: `nodes ${ids[0]} and ${ids[1]} both hold index ${match} at term ${la.get(match)!.term}, but differ at index ${k} (term ${ea.term} vs ${eb.term}${ea.term === eb.term ? ', different data' : ''})`,
          nodes: ids,
          index: k,
        });
      }
    }

    // State Machine Safety: a committed index never changes. Each node's committed entries are
    // checked once, and again only from where its log changed.
    const addsBefore = adds;
    const added: number[] = [];
    nodes.forEach((n, k) => {
      const log = logs[k];
      const before = seenNodes.get(n.id);
      const from = Math.max(log.first, 1, before ? Math.min(before.smsChecked, changed[k] - 1) + 1 : 1);
      const to = Math.min(n.committed, log.last);
      for (let i = from; i <= to; i++) {
        const e = log.get(i)!;
        const known = committed.get(i);
        if (known === undefined) {
          committed.set(i, { term: e.term, data: e.data, commitTerm: n.term, by: n.id });
          adds++;
          added.push(i);
          if (i > maxCommitted) maxCommitted = i;
        } else if (known.term !== e.term || known.data !== e.data) {
          report(`SMS:${i}:${n.id}`, {
            property: 'StateMachineSafety',
            message: `node ${n.id} committed index ${i} at term ${e.term}, but node ${known.by} committed a different entry there (term ${known.term})`,
            nodes: [known.by, n.id],
            index: i,
          });
        }
      }
      seenNodes.set(n.id, { log, smsChecked: Math.max(to, before ? Math.min(before.smsChecked, changed[k] - 1) : 0) });
    });

    // Leader Completeness: every leader of a later term holds each committed entry. A leader is
    // checked against all of them when first seen (or when it missed some), then against the
    // entries committed since, and again from where its log changed.
    nodes.forEach((n, k) => {
      if (n.state !== 'StateLeader') return;
      const key = `${n.id}@${n.term}`;
      const log = logs[k];
      const before = seenLeaders.get(key);
      const check = (index: number) => {
        const c = committed.get(index);
        if (!c || n.term <= c.commitTerm || index < log.first) return;
        const e = log.get(index);
        if (e === undefined || e.term !== c.term || e.data !== c.data) {
          report(`LC:${key}:${index}`, {
            property: 'LeaderCompleteness',
            message: `leader ${n.id} of term ${n.term} lacks index ${index} (term ${c.term}), committed in term ${c.commitTerm}`,
            nodes: [n.id],
            term: n.term,
            index,
          });
        }
      };
      if (!before || before.lcAdds < addsBefore) {
        for (const index of committed.keys()) check(index);
      } else {
        const d = differsFrom(before.log, k);
        for (let i = d; i <= maxCommitted; i++) check(i);
        for (const index of added) if (index < d) check(index);
      }
      seenLeaders.set(key, { log, lcAdds: adds });
    });

    violations.push(...found);
    return found;
  }

  return { observe, violations };
}

interface IndexedLog {
  first: number;
  last: number;
  /** The entry at `i` as the checker compares it (undefined outside [first, last]). */
  get(i: number): { term: number; data: string } | undefined;
  /** The view's own entry object at `i`, to tell an untouched entry without reading it. */
  raw(i: number): EntryView | undefined;
}

function sameEntry(a: { term: number; data: string }, b: { term: number; data: string }): boolean {
  return a.term === b.term && a.data === b.data;
}

/**
 * The first index of `before`'s range where `now` differs from it (a different entry, or none
 * where `before` had one past `now`'s end), ignoring a prefix compacted away since; Infinity
 * when `now` holds everything `before` held. Entries that are the same object are equal.
 */
function firstDifference(before: IndexedLog, now: IndexedLog): number {
  const lo = Math.max(before.first, now.first);
  const hi = Math.min(before.last, now.last);
  for (let i = lo; i <= hi; i++) {
    const x = before.raw(i);
    const y = now.raw(i);
    if (x !== y && !sameEntry(before.get(i)!, now.get(i)!)) return i;
  }
  if (now.last < before.last) return Math.max(now.last + 1, lo);
  return Infinity;
}

function indexLog(n: NodeView): IndexedLog {
  const entries = n.entries;
  if (entries.length === 0) return { first: n.committed + 1, last: n.committed, get: () => undefined, raw: () => undefined };
  const first = entries[0].index;
  entries.forEach((e, k) => {
    if (e.index !== first + k) throw new Error(`raft safety: node ${n.id}'s entries must have consecutive indices; entry ${k} has index ${e.index}, expected ${first + k}`);
  });
  const cache: Array<{ term: number; data: string } | undefined> = [];
  return {
    first,
    last: first + entries.length - 1,
    get(i) {
      const k = i - first;
      if (k < 0 || k >= entries.length) return undefined;
      return (cache[k] ??= { term: entries[k].term, data: dataKey(entries[k].data) });
    },
    raw(i) {
      const k = i - first;
      return k < 0 || k >= entries.length ? undefined : entries[k];
    },
  };
}
