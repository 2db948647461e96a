// Follows server/storage/mvcc/key_index_test.go at etcd v3.6.0, with the same revisions.
import { describe, expect, it } from 'vitest';
import { KeyIndex } from './key_index';
import type { Row } from './revision';

const row = (main: number, sub = 0, tombstone = false): Row => ({
  main,
  sub,
  tombstone,
  kv: { key: 'foo', value: tombstone ? '' : 'v', createRevision: 0, modRevision: main, version: 0, lease: 0 },
});

/** Generations as text: `2.0 4.0 6.0(t) | 8.0 ... | ` (the empty last generation shows as nothing). */
function gens(ki: KeyIndex): string {
  return ki.generations.map((g) => g.revs.map((r) => `${r.main}.${r.sub}${r.tombstone ? '(t)' : ''}`).join(' ')).join(' | ');
}
const revs = (s: Set<Row>) => [...s].map((r) => `${r.main}.${r.sub}`).sort();

/**
 * key "foo", modified 16, generations: {2.0, 4.0, 6.0(t)}, {8.0, 10.0, 12.0(t)},
 * {14.0, 15.1, 16.0(t)}, {empty}.
 */
// Upstream: key_index_test.go (newTestKeyIndex)
function newTestKeyIndex(): KeyIndex {
  const ki = new KeyIndex('foo');
  ki.put(row(2));
  ki.put(row(4));
  ki.tombstone(row(6, 0, true));
  ki.put(row(8));
  ki.put(row(10));
  ki.tombstone(row(12, 0, true));
  ki.put(row(14));
  ki.put(row(15, 1));
  ki.tombstone(row(16, 0, true));
  return ki;
}

describe('KeyIndex (mvcc key_index.go)', () => {
  it('get finds the revision, creation and version in effect at each revision (TestKeyIndexGet)', () => {
    const ki = newTestKeyIndex();
    ki.compact(4, new Set());
    const cases: Array<[rev: number, mod: string | undefined, created?: number, ver?: number]> = [
      [17, undefined],
      [16, undefined],
      // get on generation 3
      [15, '15.1', 14, 2],
      [14, '14.0', 14, 1],
      [13, undefined],
      [12, undefined],
      // get on generation 2
      [11, '10.0', 8, 2],
      [10, '10.0', 8, 2],
      [9, '8.0', 8, 1],
      [8, '8.0', 8, 1],
      [7, undefined],
      [6, undefined],
      // get on generation 1
      [5, '4.0', 2, 2],
      [4, '4.0', 2, 2],
      [3, undefined],
      [2, undefined],
      [1, undefined],
      [0, undefined],
    ];
    for (const [rev, mod, created, ver] of cases) {
      const got = ki.get(rev);
      if (mod === undefined) expect(got, `rev ${rev}`).toBeUndefined();
      else expect({ mod: `${got!.modified.main}.${got!.modified.sub}`, created: got!.created.main, ver: got!.ver }, `rev ${rev}`).toEqual({ mod, created, ver });
    }
  });

  it('put appends to the current generation and counts the version (TestKeyIndexPut)', () => {
    const ki = new KeyIndex('foo');
    ki.put(row(5));
    expect(ki.modified).toEqual({ main: 5, sub: 0 });
    expect(ki.generations.map((g) => ({ created: g.created.main, ver: g.ver }))).toEqual([{ created: 5, ver: 1 }]);
    ki.put(row(7));
    expect(gens(ki)).toBe('5.0 7.0');
    expect(ki.generations[0].ver).toBe(2);
    expect(() => ki.put(row(6))).toThrow(/unexpected smaller revision/);
  });

  it('tombstone closes the generation and opens an empty one; twice is "not found" (TestKeyIndexTombstone)', () => {
    const ki = new KeyIndex('foo');
    ki.put(row(5));
    expect(ki.tombstone(row(7, 0, true))).toBe(true);
    expect(gens(ki)).toBe('5.0 7.0(t) | ');
    ki.put(row(8));
    ki.put(row(9));
    expect(ki.tombstone(row(15, 0, true))).toBe(true);
    expect(gens(ki)).toBe('5.0 7.0(t) | 8.0 9.0 15.0(t) | ');
    expect(ki.generations.map((g) => g.ver)).toEqual([2, 3, 0]);
    expect(ki.modified).toEqual({ main: 15, sub: 0 });
    expect(ki.tombstone(row(16, 0, true))).toBe(false); // ErrRevisionNotFound
  });

  // Upstream: TestKeyIndexCompactAndKeep, its table of 17 compaction revisions.
  const compactTable: Array<[rev: number, gens: string, available: string[]]> = [
    [1, '2.0 4.0 6.0(t) | 8.0 10.0 12.0(t) | 14.0 15.1 16.0(t) | ', []],
    [2, '2.0 4.0 6.0(t) | 8.0 10.0 12.0(t) | 14.0 15.1 16.0(t) | ', ['2.0']],
    [3, '2.0 4.0 6.0(t) | 8.0 10.0 12.0(t) | 14.0 15.1 16.0(t) | ', ['2.0']],
    [4, '4.0 6.0(t) | 8.0 10.0 12.0(t) | 14.0 15.1 16.0(t) | ', ['4.0']],
    [5, '4.0 6.0(t) | 8.0 10.0 12.0(t) | 14.0 15.1 16.0(t) | ', ['4.0']],
    [6, '6.0(t) | 8.0 10.0 12.0(t) | 14.0 15.1 16.0(t) | ', ['6.0']],
    [7, '8.0 10.0 12.0(t) | 14.0 15.1 16.0(t) | ', []],
    [8, '8.0 10.0 12.0(t) | 14.0 15.1 16.0(t) | ', ['8.0']],
    [9, '8.0 10.0 12.0(t) | 14.0 15.1 16.0(t) | ', ['8.0']],
    [10, '10.0 12.0(t) | 14.0 15.1 16.0(t) | ', ['10.0']],
    [11, '10.0 12.0(t) | 14.0 15.1 16.0(t) | ', ['10.0']],
    [12, '12.0(t) | 14.0 15.1 16.0(t) | ', ['12.0']],
    [13, '14.0 15.1 16.0(t) | ', []],
    [14, '14.0 15.1 16.0(t) | ', ['14.0']],
    [15, '15.1 16.0(t) | ', ['15.1']],
    [16, '16.0(t) | ', ['16.0']],
    [17, '', []],
  ];

  it('compact keeps the largest revision at or below each compaction, tombstones at it included (TestKeyIndexCompactAndKeep, once)', () => {
    for (const [rev, want, available] of compactTable) {
      const ki = newTestKeyIndex();
      const am = new Set<Row>();
      ki.compact(rev, am);
      expect(gens(ki), `compact(${rev})`).toBe(want);
      expect(revs(am), `compact(${rev}) available`).toEqual(available);
    }
  });

  it('compacting again and again gives the same index as compacting once (TestKeyIndexCompactAndKeep, continuous)', () => {
    const ki = newTestKeyIndex();
    for (const [rev, want, available] of compactTable) {
      const am = new Set<Row>();
      ki.compact(rev, am);
      expect(gens(ki), `compact(${rev})`).toBe(want);
      expect(revs(am), `compact(${rev}) available`).toEqual(available);
    }
    expect(ki.isEmpty()).toBe(true);
  });

  it('compact above the last revision keeps that revision (TestKeyIndexCompactOnFurtherRev)', () => {
    const ki = new KeyIndex('foo');
    ki.put(row(1));
    ki.put(row(2));
    const am = new Set<Row>();
    ki.compact(3, am);
    expect(gens(ki)).toBe('2.0');
    expect(ki.generations[0]).toMatchObject({ created: { main: 1, sub: 0 }, ver: 2 });
    expect(revs(am)).toEqual(['2.0']);
  });

  it('findGeneration finds the generation a revision falls in, none between generations (TestKeyIndexFindGeneration)', () => {
    const ki = newTestKeyIndex();
    const cases: Array<[number, number | undefined]> = [
      [0, undefined],
      [1, undefined],
      [2, 0],
      [3, 0],
      [4, 0],
      [5, 0],
      [6, undefined],
      [7, undefined],
      [8, 1],
      [9, 1],
      [10, 1],
      [11, 1],
      [12, undefined],
      [13, undefined],
    ];
    for (const [rev, gi] of cases) expect(ki.findGeneration(rev), `rev ${rev}`).toBe(gi === undefined ? undefined : ki.generations[gi]);
  });

  it('isEmpty is true only for a lone empty generation (TestKeyIndexIsEmpty)', () => {
    const ki = new KeyIndex('foo');
    ki.put(row(1));
    ki.tombstone(row(2, 0, true));
    expect(ki.isEmpty()).toBe(false);
    ki.compact(3, new Set());
    expect(ki.isEmpty()).toBe(true);
  });

  it('walk visits the revisions newest first and returns where it stopped (TestGenerationWalk)', () => {
    const ki = new KeyIndex('foo');
    ki.put(row(2));
    ki.put(row(4));
    ki.put(row(6));
    const g = ki.generations[0];
    const cases: Array<[(r: Row) => boolean, number]> = [
      [(r) => r.main >= 7, 2],
      [(r) => r.main >= 6, 1],
      [(r) => r.main >= 5, 1],
      [(r) => r.main >= 4, 0],
      [(r) => r.main >= 3, 0],
      [(r) => r.main >= 2, -1],
    ];
    for (const [f, w] of cases) expect(g.walk(f)).toBe(w);
    expect(ki.generations[0].isEmpty()).toBe(false); // TestGenerationIsEmpty
  });
});
