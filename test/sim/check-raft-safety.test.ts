/**
 * The raft safety checker on hand-built views: each of Figure 3's properties broken once (and
 * reported once), healthy histories pass, and a raft-shaped object is viewed through the fields
 * DESIGN.md fixes for newRaft.
 */
import { describe, expect, it } from 'vitest';
import { newSafetyChecker, raftView, type NodeView } from '../../src/sim/check/raft_safety';

/** A node view from a compact log: `'1 1 2'` = entries at index 1..3 with terms 1, 1, 2. */
function node(id: number, state: 'L' | 'F' | 'C', term: number, terms: string, committed = 0, data?: Record<number, string>): NodeView {
  const entries = terms
    .split(' ')
    .filter(Boolean)
    .map((t, k) => ({ index: k + 1, term: Number(t), data: data?.[k + 1] }));
  return { id, state: state === 'L' ? 'StateLeader' : state === 'C' ? 'StateCandidate' : 'StateFollower', term, entries, committed };
}

describe('raft safety (Raft paper, Figure 3)', () => {
  it('a healthy run reports nothing [raft §5]', () => {
    const c = newSafetyChecker();
    expect(c.observe([node(1, 'C', 1, ''), node(2, 'F', 1, ''), node(3, 'F', 0, '')])).toEqual([]);
    expect(c.observe([node(1, 'L', 1, '1'), node(2, 'F', 1, ''), node(3, 'F', 1, '')])).toEqual([]);
    expect(c.observe([node(1, 'L', 1, '1 1', 2), node(2, 'F', 1, '1 1', 1), node(3, 'F', 1, '1')])).toEqual([]);
    // Node 2 wins term 2 with the committed entries, overwrites node 3's uncommitted tail.
    expect(c.observe([node(1, 'F', 2, '1 1', 2), node(2, 'L', 2, '1 1 2', 2), node(3, 'F', 2, '1 1 2', 2)])).toEqual([]);
    expect(c.violations).toEqual([]);
  });

  it('Election Safety: two leaders in one term [raft §5.2]', () => {
    const c = newSafetyChecker();
    c.observe([node(1, 'L', 3, '')]);
    const v = c.observe([node(1, 'F', 3, ''), node(2, 'L', 3, '')], 1500);
    expect(v).toEqual([{ property: 'ElectionSafety', message: 'term 3 has two leaders: 1 and 2', nodes: [1, 2], term: 3, atMs: 1500 }]);
    expect(c.observe([node(2, 'L', 3, '')])).toEqual([]); // reported once
  });

  it('Leader Append-Only: a leader overwrites its own entry [raft §5.3]', () => {
    const c = newSafetyChecker();
    c.observe([node(1, 'L', 2, '1 2')]);
    const v = c.observe([node(1, 'L', 2, '1 1')]);
    expect(v.map((x) => [x.property, x.message])).toEqual([['LeaderAppendOnly', 'leader 1 of term 2 overwrote its entry at index 2 (term 2)']]);
    const d = newSafetyChecker();
    d.observe([node(1, 'L', 2, '1 2')]);
    expect(d.observe([node(1, 'L', 2, '1')])[0].message).toBe('leader 1 of term 2 deleted its entry at index 2 (term 2)');
  });

  it('Log Matching: same index and term, different history [raft §5.3]', () => {
    const c = newSafetyChecker();
    const v = c.observe([node(1, 'F', 3, '1 2 3'), node(2, 'F', 3, '1 1 3')]);
    expect(v.map((x) => [x.property, x.message])).toEqual([['LogMatching', 'nodes 1 and 2 both hold index 3 at term 3, but differ at index 2 (term 2 vs 1)']]);
    // Same terms, different data.
    const d = newSafetyChecker();
    expect(d.observe([node(1, 'F', 1, '1 1', 0, { 1: 'a' }), node(2, 'F', 1, '1 1', 0, { 1: 'b' })])[0].message).toBe(
      'nodes 1 and 2 both hold index 2 at term 1, but differ at index 1 (term 1 vs 1, different data)',
    );
    // Diverging tails after the last match are allowed.
    expect(newSafetyChecker().observe([node(1, 'F', 3, '1 2 2'), node(2, 'F', 3, '1 3')])).toEqual([]);
  });

  it('State Machine Safety: a committed index changes [raft §5.4.3]', () => {
    const c = newSafetyChecker();
    c.observe([node(1, 'L', 1, '1 1', 2), node(2, 'F', 1, '1 1', 2)]);
    const v = c.observe([node(3, 'F', 2, '1 2', 2)]);
    expect(v.map((x) => [x.property, x.message])).toEqual([['StateMachineSafety', 'node 3 committed index 2 at term 2, but node 1 committed a different entry there (term 1)']]);
  });

  it('Leader Completeness: a later leader lacks a committed entry [raft §5.4]', () => {
    const c = newSafetyChecker();
    c.observe([node(1, 'L', 1, '1 1', 2), node(2, 'F', 1, '1 1', 1), node(3, 'F', 1, '1')]);
    const v = c.observe([node(1, 'F', 2, '1 1', 2), node(2, 'F', 2, '1 1', 1), node(3, 'L', 2, '1', 1)]);
    expect(v.map((x) => [x.property, x.message])).toEqual([
      ['LeaderCompleteness', 'leader 3 of term 2 lacks index 2 (term 1), committed in term 1'],
    ]);
  });

  it('compacted prefixes are not deletions or mismatches', () => {
    const c = newSafetyChecker();
    const compacted: NodeView = { id: 1, state: 'StateLeader', term: 2, committed: 5, entries: [{ index: 4, term: 1 }, { index: 5, term: 2 }] };
    c.observe([node(1, 'L', 2, '1 1 1 1 2', 5), node(2, 'F', 2, '1 1 1 1 2', 5)]);
    expect(c.observe([compacted, node(2, 'F', 2, '1 1 1 1 2', 5)])).toEqual([]);
  });

  it('views a raft-shaped node through the DESIGN.md fields', () => {
    const r = { id: 2, state: 'StateLeader', term: 4, raftLog: { committed: 1, allEntries: () => [{ index: 1, term: 4, data: new Uint8Array([1, 2]) }] } };
    expect(raftView(r)).toEqual({ id: 2, state: 'StateLeader', term: 4, committed: 1, entries: [{ index: 1, term: 4, data: new Uint8Array([1, 2]) }] });
    expect(newSafetyChecker().observe([raftView(r)])).toEqual([]);
  });

  it('refuses logs with gaps', () => {
    const bad: NodeView = { id: 1, state: 'StateFollower', term: 1, committed: 0, entries: [{ index: 1, term: 1 }, { index: 3, term: 1 }] };
    expect(() => newSafetyChecker().observe([bad])).toThrow("node 1's entries must have consecutive indices; entry 1 has index 3, expected 2");
  });
});
