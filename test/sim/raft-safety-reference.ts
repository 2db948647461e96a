// The first, non-incremental safety checker (every observation re-reads every log whole), kept
// as the reference the incremental one in src/sim/check/raft_safety.ts is compared with.
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

import { dataKey, type NodeView, type SafetyViolation } from '../../src/sim/check/raft_safety';

interface SafetyChecker {
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

/** A checker with an empty memory. */
export function newReferenceSafetyChecker(): SafetyChecker {
  const leaders = new Map<number, number>(); // term -> leader id
  const leaderLogs = new Map<string, Map<number, { term: number; data: string }>>(); // `${id}@${term}` -> log seen while leader
  const committed = new Map<number, Committed>();
  const violations: SafetyViolation[] = [];
  // Remember one violation per (property, subject) so a standing fault is reported once.
  const reported = new Set<string>();

  function observe(nodes: readonly NodeView[], atMs?: number): SafetyViolation[] {
    const found: SafetyViolation[] = [];
    const report = (key: string, v: SafetyViolation) => {
      if (reported.has(key)) return;
      reported.add(key);
      if (atMs !== undefined) v.atMs = atMs;
      found.push(v);
    };
    const logs = nodes.map((n) => indexLog(n));

    // Election Safety.
    for (const n of nodes) {
      if (n.state !== 'StateLeader') continue;
      const known = leaders.get(n.term);
      if (known === undefined) leaders.set(n.term, n.id);
      else if (known !== n.id) {
        report(`ES:${n.term}`, { property: 'ElectionSafety', message: `term ${n.term} has two leaders: ${known} and ${n.id}`, nodes: [known, n.id], term: n.term });
      }
    }

    // Leader Append-Only: while a node leads a term, what it held stays.
    nodes.forEach((n, k) => {
      if (n.state !== 'StateLeader') return;
      const key = `${n.id}@${n.term}`;
      const before = leaderLogs.get(key);
      const now = logs[k];
      if (before) {
        for (const [index, e] of before) {
          const cur = now.get(index);
          if (cur === undefined && index < now.first) continue; // compacted, not deleted
          if (cur === undefined || cur.term !== e.term || cur.data !== e.data) {
            report(`LAO:${key}:${index}`, {
              property: 'LeaderAppendOnly',
              message: `leader ${n.id} of term ${n.term} ${cur === undefined ? 'deleted' : 'overwrote'} its entry at index ${index} (term ${e.term})`,
              nodes: [n.id],
              term: n.term,
              index,
            });
            break;
          }
        }
      }
      const snapshot = new Map<number, { term: number; data: string }>();
      for (const e of n.entries) snapshot.set(e.index, { term: e.term, data: dataKey(e.data) });
      leaderLogs.set(key, snapshot);
    });

    // Log Matching, pair by pair: find the highest index where both hold the same term; below
    // it, everything both hold must be equal.
    for (let a = 0; a < nodes.length; a++) {
      for (let b = a + 1; b < nodes.length; b++) {
        const la = logs[a];
        const lb = logs[b];
        const lo = Math.max(la.first, lb.first);
        let match = -1;
        for (let i = Math.min(la.last, lb.last); i >= lo; i--) {
          if (la.get(i)!.term === lb.get(i)!.term) {
            match = i;
            break;
          }
        }
        for (let i = match; i >= lo; i--) {
          const ea = la.get(i)!;
          const eb = lb.get(i)!;
          if (ea.term !== eb.term || ea.data !== eb.data) {
            const ids = [nodes[a].id, nodes[b].id];
            report(`LM:${ids.join(',')}:${i}`, {
              property: 'LogMatching',
              message: `nodes ${ids[0]} and ${ids[1]} both hold index ${match} at term ${la.get(match)!.term}, but differ at index ${i} (term ${ea.term} vs ${eb.term}${ea.term === eb.term ? ', different data' : ''})`,
              nodes: ids,
              index: i,
            });
            break;
          }
        }
      }
    }

    // State Machine Safety: a committed index never changes.
    nodes.forEach((n, k) => {
      const log = logs[k];
      for (let i = Math.max(log.first, 1); i <= Math.min(n.committed, log.last); i++) {
        const e = log.get(i)!;
        const known = committed.get(i);
        if (known === undefined) committed.set(i, { term: e.term, data: e.data, commitTerm: n.term, by: n.id });
        else if (known.term !== e.term || known.data !== e.data) {
          report(`SMS:${i}:${n.id}`, {
            property: 'StateMachineSafety',
            message: `node ${n.id} committed index ${i} at term ${e.term}, but node ${known.by} committed a different entry there (term ${known.term})`,
            nodes: [known.by, n.id],
            index: i,
          });
        }
      }
    });

    // Leader Completeness: every leader of a later term holds each committed entry.
    nodes.forEach((n, k) => {
      if (n.state !== 'StateLeader') return;
      const log = logs[k];
      for (const [index, c] of committed) {
        if (n.term <= c.commitTerm || index < log.first) continue;
        const e = log.get(index);
        if (e === undefined || e.term !== c.term || e.data !== c.data) {
          report(`LC:${n.id}@${n.term}:${index}`, {
            property: 'LeaderCompleteness',
            message: `leader ${n.id} of term ${n.term} lacks index ${index} (term ${c.term}), committed in term ${c.commitTerm}`,
            nodes: [n.id],
            term: n.term,
            index,
          });
        }
      }
    });

    violations.push(...found);
    return found;
  }

  return { observe, violations };
}

interface IndexedLog {
  first: number;
  last: number;
  get(i: number): { term: number; data: string } | undefined;
}

function indexLog(n: NodeView): IndexedLog {
  const entries = n.entries;
  if (entries.length === 0) return { first: n.committed + 1, last: n.committed, get: () => undefined };
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
  };
}
