import { describe, expect, it } from 'vitest';
import { ErrCompacted } from './errors';
import { newLog } from './log';
import { newSnapshot, type Entry } from './raftpb';
import { newMemoryStorage } from './storage';
import { index } from './testing_entries';
import { logSliceValid, type EntryID } from './types';

const logWith = (ents: Entry[]) => {
  const l = newLog(newMemoryStorage());
  l.append(...ents.map((e) => ({ ...e })));
  return l;
};

describe('raftLog (log_test.go)', () => {
  // TestFindConflict
  it.each([
    [[], 0],
    [index(1).terms(1, 2, 3), 0],
    [index(2).terms(2, 3), 0],
    [index(3).terms(3), 0],
    [index(1).terms(1, 2, 3, 4, 4), 4],
    [index(2).terms(2, 3, 4, 5), 4],
    [index(3).terms(3, 4, 4), 4],
    [index(4).terms(4, 4), 4],
    [index(1).terms(4, 4), 1],
    [index(2).terms(1, 4, 4), 2],
    [index(3).terms(1, 2, 4, 4), 3],
  ])('findConflict %# (TestFindConflict)', (ents, w) => {
    expect(logWith(index(1).terms(1, 2, 3)).findConflict(ents)).toBe(w);
  });

  // TestFindConflictByTerm
  const a = index(0).terms(0, 2, 2, 5, 5, 5);
  const b = index(10).terms(3, 3, 3, 4, 4, 4);
  it.each([
    [a, 100, 2, 100],
    [a, 5, 6, 5],
    [a, 5, 5, 5],
    [a, 5, 4, 2],
    [a, 5, 2, 2],
    [a, 5, 1, 0],
    [a, 1, 2, 1],
    [a, 1, 1, 0],
    [a, 0, 0, 0],
    [b, 30, 3, 30],
    [b, 14, 9, 14],
    [b, 14, 4, 14],
    [b, 14, 3, 12],
    [b, 14, 2, 9],
    [b, 11, 5, 11],
    [b, 10, 5, 10],
    [b, 10, 3, 10],
    [b, 10, 2, 9],
    [b, 9, 2, 9],
    [b, 4, 2, 4],
    [b, 0, 0, 0],
  ])('findConflictByTerm %# (TestFindConflictByTerm)', (ents, i, t, want) => {
    const st = newMemoryStorage();
    // Upstream ignores the error (ErrSnapOutOfDate for the snapshot at index 0).
    if (ents[0].index > 0) st.applySnapshot(newSnapshot({ metadata: { index: ents[0].index, term: ents[0].term } }));
    const l = newLog(st);
    l.append(...ents.slice(1).map((e) => ({ ...e })));
    const got = l.findConflictByTerm(i, t);
    expect(got.index).toBe(want);
    expect(got.term).toBe(l.zeroTermOnOutOfBounds(got.index));
  });

  // TestIsUpToDate
  it.each([
    [-1, 4, true],
    [0, 4, true],
    [1, 4, true],
    [-1, 2, false],
    [0, 2, false],
    [1, 2, false],
    [-1, 3, false],
    [0, 3, true],
    [1, 3, true],
  ])('isUpToDate(lastIndex%+i, term %i) (TestIsUpToDate)', (d, term, w) => {
    const l = logWith(index(1).terms(1, 2, 3));
    expect(l.isUpToDate({ term, index: l.lastIndex() + d })).toBe(w);
  });

  // TestAppend
  it.each([
    [[], 2, index(1).terms(1, 2), 3],
    [index(3).terms(2), 3, index(1).terms(1, 2, 2), 3],
    // conflicts with index 1
    [index(1).terms(2), 1, index(1).terms(2), 1],
    // conflicts with index 2
    [index(2).terms(3, 3), 3, index(1).terms(1, 3, 3), 2],
  ])('append %# (TestAppend)', (ents, windex, wents, wunstable) => {
    const storage = newMemoryStorage();
    storage.append(index(1).terms(1, 2));
    const l = newLog(storage);
    expect(l.append(...ents)).toBe(windex);
    expect(l.entries(1)).toEqual(wents);
    expect(l.unstable.offset).toBe(wunstable);
  });

  // TestLogMaybeAppend
  const [li, lt, commit] = [3, 3, 1];
  const id = (term: number, index: number): EntryID => ({ term, index });
  it.each<[EntryID, number, Entry[], number | undefined, number, boolean]>([
    // not match: term is different
    [id(lt - 1, li), li, index(li + 1).terms(4), undefined, commit, false],
    // not match: index out of bound
    [id(lt, li + 1), li, index(li + 2).terms(4), undefined, commit, false],
    // match with the last existing entry
    [id(lt, li), li, [], li, li, false],
    [id(lt, li), li + 1, [], li, li, false],
    [id(lt, li), li - 1, [], li, li - 1, false],
    [id(lt, li), 0, [], li, commit, false],
    [id(0, 0), li, [], 0, commit, false],
    [id(lt, li), li, index(li + 1).terms(4), li + 1, li, false],
    [id(lt, li), li + 1, index(li + 1).terms(4), li + 1, li + 1, false],
    [id(lt, li), li + 2, index(li + 1).terms(4), li + 1, li + 1, false],
    [id(lt, li), li + 2, index(li + 1).terms(4, 4), li + 2, li + 2, false],
    // match with the entry in the middle
    [id(lt - 1, li - 1), li, index(li).terms(4), li, li, false],
    [id(lt - 2, li - 2), li, index(li - 1).terms(4), li - 1, li - 1, false],
    // conflict with existing committed entry
    [id(lt - 3, li - 3), li, index(li - 2).terms(4), li - 2, li - 2, true],
    [id(lt - 2, li - 2), li, index(li - 1).terms(4, 4), li, li, false],
  ])('maybeAppend %# (TestLogMaybeAppend)', (prev, committed, ents, wlasti, wcommit, wpanic) => {
    const app = { term: 100, prev, entries: ents };
    expect(logSliceValid(app)).toBeUndefined();
    const l = logWith(index(1).terms(1, 2, 3));
    l.committed = commit;
    if (wpanic) {
      expect(() => l.maybeAppend(app, committed)).toThrow(/conflict with committed entry/);
      return;
    }
    expect(l.maybeAppend(app, committed)).toBe(wlasti);
    expect(l.committed).toBe(wcommit);
    if (wlasti !== undefined && ents.length !== 0) {
      expect(l.slice(l.lastIndex() - ents.length + 1, l.lastIndex() + 1)).toEqual(ents);
    }
  });

  it('reads through a compaction of storage (TestCompactionSideEffects)', () => {
    const [lastIndex, unstableIndex] = [1000, 750];
    const storage = newMemoryStorage();
    storage.append(index(1).termRange(1, unstableIndex + 1));
    const l = newLog(storage);
    l.append(...index(unstableIndex + 1).termRange(unstableIndex + 1, lastIndex + 1));
    expect(l.maybeCommit(l.lastEntryID())).toBe(true);
    l.appliedTo(l.committed, 0);
    storage.compact(500);
    expect(l.lastIndex()).toBe(lastIndex);
    for (let j = 500; j <= l.lastIndex(); j++) {
      expect(l.term(j)).toBe(j);
      expect(l.matchTerm({ term: j, index: j })).toBe(true);
    }
    const unstableEnts = l.nextUnstableEnts();
    expect(unstableEnts.length).toBe(250);
    expect(unstableEnts[0].index).toBe(751);
    const prev = l.lastIndex();
    l.append({ index: l.lastIndex() + 1, term: l.lastIndex() + 1, type: 'EntryNormal' });
    expect(l.lastIndex()).toBe(prev + 1);
    expect(l.entries(l.lastIndex()).length).toBe(1);
  });

  // TestHasNextCommittedEnts / TestNextCommittedEnts
  const ents = index(4).terms(1, 1, 1);
  it.each<[number, number, boolean, boolean, boolean, Entry[]]>([
    [3, 3, true, false, false, ents.slice(0, 2)],
    [3, 4, true, false, false, ents.slice(1, 2)],
    [3, 5, true, false, false, []],
    [4, 4, true, false, false, ents.slice(1, 2)],
    [4, 5, true, false, false, []],
    [5, 5, true, false, false, []],
    [3, 3, false, false, false, ents.slice(0, 1)],
    [3, 4, false, false, false, []],
    [3, 5, false, false, false, []],
    [4, 4, false, false, false, []],
    [4, 5, false, false, false, []],
    [5, 5, false, false, false, []],
    [3, 3, true, true, false, []],
    [3, 3, true, false, true, []],
  ])('nextCommittedEnts applied=%i applying=%i allowUnstable=%s paused=%s snap=%s (TestNextCommittedEnts, TestHasNextCommittedEnts)', (applied, applying, allowUnstable, paused, snap, wents) => {
    const s0 = newSnapshot({ metadata: { term: 1, index: 3 } });
    const storage = newMemoryStorage();
    storage.applySnapshot(s0);
    storage.append(ents.slice(0, 1));
    const l = newLog(storage);
    l.append(...ents);
    l.stableTo({ term: 1, index: 4 });
    l.maybeCommit({ term: 1, index: 5 });
    l.appliedTo(applied, 0);
    l.acceptApplying(applying, 0, allowUnstable);
    l.applyingEntsPaused = paused;
    if (snap) l.restore(newSnapshot({ metadata: { term: 1, index: 4 } }));
    expect(l.nextCommittedEnts(allowUnstable)).toEqual(wents);
    expect(l.hasNextCommittedEnts(allowUnstable)).toBe(wents.length > 0);
  });

  // TestCommitTo
  it.each([
    [3, 3, false],
    [1, 2, false], // never decrease
    [4, 0, true], // commit out of range -> panic
  ])('commitTo(%i) (TestCommitTo)', (c, wcommit, wpanic) => {
    const l = logWith(index(1).terms(1, 2, 3));
    l.committed = 2;
    if (wpanic) {
      expect(() => l.commitTo(c)).toThrow(/tocommit\(4\) is out of range \[lastIndex\(3\)\]/);
      return;
    }
    l.commitTo(c);
    expect(l.committed).toBe(wcommit);
  });

  // TestStableTo
  it.each([
    [1, 1, 2],
    [2, 2, 3],
    [2, 1, 1], // bad term
    [3, 1, 1], // bad index
  ])('stableTo(%i, term %i) (TestStableTo)', (i, t, wunstable) => {
    const l = logWith(index(1).terms(1, 2));
    l.stableTo({ index: i, term: t });
    expect(l.unstable.offset).toBe(wunstable);
  });

  // TestCompaction
  it.each<[number, number[], number[], boolean]>([
    [1000, [1001], [-1], false],
    [1000, [300, 500, 800, 900], [700, 500, 200, 100], true],
    [1000, [300, 299], [700, -1], false],
  ])('compaction %# (TestCompaction)', (lastIndex, compact, wleft, wallow) => {
    const storage = newMemoryStorage();
    storage.append(index(1).termRange(1, lastIndex + 1));
    const l = newLog(storage);
    l.appliedTo(l.committed, 0);
    compact.forEach((c, j) => {
      try {
        storage.compact(c);
      } catch (err) {
        expect(wallow).toBe(false);
        if (err !== ErrCompacted) expect(String(err)).toMatch(/out of bound/);
        return;
      }
      expect(l.allEntries().length).toBe(wleft[j]);
    });
  });

  it('starts after a snapshot (TestLogRestore)', () => {
    const storage = newMemoryStorage();
    storage.applySnapshot(newSnapshot({ metadata: { index: 1000, term: 1000 } }));
    const l = newLog(storage);
    expect(l.allEntries().length).toBe(0);
    expect(l.firstIndex()).toBe(1001);
    expect(l.committed).toBe(1000);
    expect(l.unstable.offset).toBe(1001);
    expect(l.term(1000)).toBe(1000);
  });

  // TestIsOutOfBounds (a selection)
  it('checks slice bounds (TestIsOutOfBounds)', () => {
    const [offset, num] = [100, 100];
    const storage = newMemoryStorage();
    storage.applySnapshot(newSnapshot({ metadata: { index: offset } }));
    const l = newLog(storage);
    for (let i = 1; i <= num; i++) l.append({ index: i + offset, term: 0, type: 'EntryNormal' });
    const first = offset + 1;
    expect(() => l.mustCheckOutOfBounds(first - 2, first + 1)).toThrow(ErrCompacted);
    expect(() => l.mustCheckOutOfBounds(first - 1, first + 1)).toThrow(ErrCompacted);
    expect(() => l.mustCheckOutOfBounds(first, first)).not.toThrow();
    expect(() => l.mustCheckOutOfBounds(first + num / 2, first + num / 2)).not.toThrow();
    expect(() => l.mustCheckOutOfBounds(first + num - 1, first + num - 1)).not.toThrow();
    expect(() => l.mustCheckOutOfBounds(first + num, first + num)).not.toThrow();
    expect(() => l.mustCheckOutOfBounds(first + num, first + num + 1)).toThrow(/out of bound/);
    expect(() => l.mustCheckOutOfBounds(first + 1, first)).toThrow(/invalid slice/);
  });
});
