import { describe, expect, it } from 'vitest';
import { ErrCompacted, ErrSnapOutOfDate, ErrUnavailable } from './errors';
import { entrySize, newSnapshot } from './raftpb';
import { newMemoryStorage } from './storage';
import { index, storageWithEnts } from './testing_entries';

const catchErr = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e;
  }
};

describe('MemoryStorage (storage_test.go)', () => {
  // TestStorageTerm
  it.each([
    [2, ErrCompacted, 0],
    [3, undefined, 3],
    [4, undefined, 4],
    [5, undefined, 5],
    [6, ErrUnavailable, 0],
  ])('term(%i) (TestStorageTerm)', (i, werr, wterm) => {
    const s = storageWithEnts(index(3).terms(3, 4, 5));
    expect(catchErr(() => s.term(i))).toBe(werr);
    if (!werr) expect(s.term(i)).toBe(wterm);
  });

  // TestStorageEntries
  const ents = index(3).terms(3, 4, 5, 6);
  const sz = (i: number) => entrySize(ents[i]);
  it.each([
    [2, 6, Infinity, ErrCompacted, []],
    [3, 4, Infinity, ErrCompacted, []],
    [4, 5, Infinity, undefined, index(4).terms(4)],
    [4, 6, Infinity, undefined, index(4).terms(4, 5)],
    [4, 7, Infinity, undefined, index(4).terms(4, 5, 6)],
    // even if maxsize is zero, the first entry should be returned
    [4, 7, 0, undefined, index(4).terms(4)],
    // limit to 2
    [4, 7, sz(1) + sz(2), undefined, index(4).terms(4, 5)],
    [4, 7, sz(1) + sz(2) + Math.floor(sz(3) / 2), undefined, index(4).terms(4, 5)],
    [4, 7, sz(1) + sz(2) + sz(3) - 1, undefined, index(4).terms(4, 5)],
    // all
    [4, 7, sz(1) + sz(2) + sz(3), undefined, index(4).terms(4, 5, 6)],
  ])('entries(%i, %i, %s) (TestStorageEntries)', (lo, hi, maxSize, werr, wents) => {
    const s = storageWithEnts(ents);
    const err = catchErr(() => s.entries(lo, hi, maxSize));
    expect(err).toBe(werr);
    if (!werr) expect(s.entries(lo, hi, maxSize)).toEqual(wents);
  });

  it('lastIndex follows appends (TestStorageLastIndex)', () => {
    const s = storageWithEnts(index(3).terms(3, 4, 5));
    expect(s.lastIndex()).toBe(5);
    s.append(index(6).terms(5));
    expect(s.lastIndex()).toBe(6);
  });

  it('firstIndex follows compaction (TestStorageFirstIndex)', () => {
    const s = storageWithEnts(index(3).terms(3, 4, 5));
    expect(s.firstIndex()).toBe(4);
    s.compact(4);
    expect(s.firstIndex()).toBe(5);
  });

  // TestStorageCompact
  it.each([
    [2, ErrCompacted, 3, 3, 3],
    [3, ErrCompacted, 3, 3, 3],
    [4, undefined, 4, 4, 2],
    [5, undefined, 5, 5, 1],
  ])('compact(%i) (TestStorageCompact)', (i, werr, windex, wterm, wlen) => {
    const s = storageWithEnts(index(3).terms(3, 4, 5));
    expect(catchErr(() => s.compact(i))).toBe(werr);
    expect(s.ents[0].index).toBe(windex);
    expect(s.ents[0].term).toBe(wterm);
    expect(s.ents.length).toBe(wlen);
  });

  // TestStorageCreateSnapshot
  it.each([4, 5])('createSnapshot(%i) (TestStorageCreateSnapshot)', (i) => {
    const s = storageWithEnts(index(3).terms(3, 4, 5));
    const cs = { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
    expect(s.createSnapshot(i, cs, 'data')).toEqual({ data: 'data', metadata: { index: i, term: i, confState: cs } });
  });

  // TestStorageAppend
  it.each([
    [index(1).terms(1, 2), index(3).terms(3, 4, 5)],
    [index(3).terms(3, 4, 5), index(3).terms(3, 4, 5)],
    [index(3).terms(3, 6, 6), index(3).terms(3, 6, 6)],
    [index(3).terms(3, 4, 5, 5), index(3).terms(3, 4, 5, 5)],
    // Truncate incoming entries, truncate the existing entries and append.
    [index(2).terms(3, 3, 5), index(3).terms(3, 5)],
    // Truncate the existing entries and append.
    [index(4).terms(5), index(3).terms(3, 5)],
    // Direct append.
    [index(6).terms(5), index(3).terms(3, 4, 5, 5)],
  ])('append %j (TestStorageAppend)', (entries, wents) => {
    const s = storageWithEnts(index(3).terms(3, 4, 5));
    s.append(entries);
    expect(s.ents).toEqual(wents);
  });

  it('applySnapshot refuses an older snapshot (TestStorageApplySnapshot)', () => {
    const cs = { voters: [1, 2, 3] };
    const s = newMemoryStorage();
    s.applySnapshot(newSnapshot({ data: 'data', metadata: { index: 4, term: 4, confState: cs } }));
    expect(catchErr(() => s.applySnapshot(newSnapshot({ data: 'data', metadata: { index: 3, term: 3, confState: cs } })))).toBe(ErrSnapOutOfDate);
  });

  it('keeps upstream error texts', () => {
    expect(ErrCompacted.message).toBe('requested index is unavailable due to compaction');
    expect(ErrUnavailable.message).toBe('requested entry at index is unavailable');
    expect(ErrSnapOutOfDate.message).toBe('requested index is older than the existing snapshot');
  });
});
