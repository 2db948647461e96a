import { describe, expect, it } from 'vitest';
import { Unstable } from './log_unstable';
import { newSnapshot, type Entry, type Snapshot } from './raftpb';
import { index } from './testing_entries';

function mk(entries: Entry[], offset: number, offsetInProgress: number, snap?: Snapshot): Unstable {
  const u = new Unstable(offset);
  u.entries = entries.map((e) => ({ ...e }));
  u.offsetInProgress = offsetInProgress;
  u.snapshot = snap;
  return u;
}
const snap = (i: number, t: number) => newSnapshot({ metadata: { index: i, term: t } });

describe('unstable (log_unstable_test.go)', () => {
  // TestUnstableMaybeFirstIndex
  it.each([
    [index(5).terms(1), 5, undefined, undefined],
    [[], 0, undefined, undefined],
    [index(5).terms(1), 5, snap(4, 1), 5],
    [[], 5, snap(4, 1), 5],
  ])('maybeFirstIndex %# (TestUnstableMaybeFirstIndex)', (ents, offset, s, w) => {
    expect(mk(ents, offset, offset, s).maybeFirstIndex()).toBe(w);
  });

  // TestMaybeLastIndex
  it.each([
    [index(5).terms(1), 5, undefined, 5],
    [index(5).terms(1), 5, snap(4, 1), 5],
    [[], 5, snap(4, 1), 4],
    [[], 0, undefined, undefined],
  ])('maybeLastIndex %# (TestMaybeLastIndex)', (ents, offset, s, w) => {
    expect(mk(ents, offset, offset, s).maybeLastIndex()).toBe(w);
  });

  // TestUnstableMaybeTerm
  it.each([
    [index(5).terms(1), 5, undefined, 5, 1],
    [index(5).terms(1), 5, undefined, 6, undefined],
    [index(5).terms(1), 5, undefined, 4, undefined],
    [index(5).terms(1), 5, snap(4, 1), 5, 1],
    [index(5).terms(1), 5, snap(4, 1), 6, undefined],
    [index(5).terms(1), 5, snap(4, 1), 4, 1],
    [index(5).terms(1), 5, snap(4, 1), 3, undefined],
    [[], 5, snap(4, 1), 5, undefined],
    [[], 5, snap(4, 1), 4, 1],
    [[], 0, undefined, 5, undefined],
  ])('maybeTerm %# (TestUnstableMaybeTerm)', (ents, offset, s, i, w) => {
    expect(mk(ents, offset, offset, s).maybeTerm(i)).toBe(w);
  });

  it('restore resets to the snapshot (TestUnstableRestore)', () => {
    const u = mk(index(5).terms(1), 5, 6, snap(4, 1));
    u.snapshotInProgress = true;
    const s = snap(6, 2);
    u.restore(s);
    expect(u.offset).toBe(7);
    expect(u.offsetInProgress).toBe(7);
    expect(u.entries).toEqual([]);
    expect(u.snapshot).toBe(s);
    expect(u.snapshotInProgress).toBe(false);
  });

  // TestUnstableNextEntries
  it.each([
    [index(5).terms(1, 1), 5, 5, index(5).terms(1, 1)],
    [index(5).terms(1, 1), 5, 6, index(6).terms(1)],
    [index(5).terms(1, 1), 5, 7, []],
  ])('nextEntries %# (TestUnstableNextEntries)', (ents, offset, inProgress, w) => {
    expect(mk(ents, offset, inProgress).nextEntries()).toEqual(w);
  });

  it('nextSnapshot hides a snapshot in progress (TestUnstableNextSnapshot)', () => {
    const s = snap(4, 1);
    expect(mk([], 5, 5).nextSnapshot()).toBeUndefined();
    const u = mk([], 5, 5, s);
    expect(u.nextSnapshot()).toBe(s);
    u.snapshotInProgress = true;
    expect(u.nextSnapshot()).toBeUndefined();
  });

  // TestUnstableAcceptInProgress (a selection)
  it.each([
    [[], undefined, 5, false, 5, false],
    [index(5).terms(1), undefined, 5, false, 6, false],
    [index(5).terms(1, 1), undefined, 6, false, 7, false],
    [[], snap(4, 1), 5, false, 5, true],
    [index(5).terms(1, 1), snap(4, 1), 5, false, 7, true],
    [index(5).terms(1, 1), snap(4, 1), 7, true, 7, true],
  ])('acceptInProgress %# (TestUnstableAcceptInProgress)', (ents, s, inProgress, snapInProgress, wInProgress, wSnapInProgress) => {
    const u = mk(ents, 5, inProgress, s);
    u.snapshotInProgress = snapInProgress;
    u.acceptInProgress();
    expect(u.offsetInProgress).toBe(wInProgress);
    expect(u.snapshotInProgress).toBe(wSnapInProgress);
  });

  // TestUnstableStableTo
  it.each([
    [[], 0, 0, undefined, 5, 1, 0, 0, 0],
    [index(5).terms(1), 5, 6, undefined, 5, 1, 6, 6, 0],
    [index(5).terms(1, 1), 5, 6, undefined, 5, 1, 6, 6, 1],
    [index(5).terms(1, 1), 5, 7, undefined, 5, 1, 6, 7, 1],
    [index(6).terms(2), 6, 7, undefined, 6, 1, 6, 7, 1],
    [index(5).terms(1), 5, 6, undefined, 4, 1, 5, 6, 1],
    [index(5).terms(1), 5, 6, undefined, 4, 2, 5, 6, 1],
    [index(5).terms(1), 5, 6, snap(4, 1), 5, 1, 6, 6, 0],
    [index(5).terms(1, 1), 5, 6, snap(4, 1), 5, 1, 6, 6, 1],
    [index(5).terms(1, 1), 5, 7, snap(4, 1), 5, 1, 6, 7, 1],
    [index(6).terms(2), 6, 7, snap(5, 1), 6, 1, 6, 7, 1],
    [index(5).terms(1), 5, 6, snap(4, 1), 4, 1, 5, 6, 1],
    [index(5).terms(2), 5, 6, snap(4, 2), 4, 1, 5, 6, 1],
  ])('stableTo %# (TestUnstableStableTo)', (ents, offset, inProgress, s, i, t, woffset, wInProgress, wlen) => {
    const u = mk(ents, offset, inProgress, s);
    u.stableTo({ term: t, index: i });
    expect(u.offset).toBe(woffset);
    expect(u.offsetInProgress).toBe(wInProgress);
    expect(u.entries.length).toBe(wlen);
  });

  // TestUnstableTruncateAndAppend
  it.each([
    [index(5).terms(1), 5, 5, index(6).terms(1, 1), 5, 5, index(5).terms(1, 1, 1)],
    [index(5).terms(1), 5, 6, index(6).terms(1, 1), 5, 6, index(5).terms(1, 1, 1)],
    [index(5).terms(1), 5, 5, index(5).terms(2, 2), 5, 5, index(5).terms(2, 2)],
    [index(5).terms(1), 5, 5, index(4).terms(2, 2, 2), 4, 4, index(4).terms(2, 2, 2)],
    [index(5).terms(1), 5, 6, index(5).terms(2, 2), 5, 5, index(5).terms(2, 2)],
    [index(5).terms(1, 1, 1), 5, 5, index(6).terms(2), 5, 5, index(5).terms(1, 2)],
    [index(5).terms(1, 1, 1), 5, 5, index(7).terms(2, 2), 5, 5, index(5).terms(1, 1, 2, 2)],
    [index(5).terms(1, 1, 1), 5, 6, index(6).terms(2), 5, 6, index(5).terms(1, 2)],
    [index(5).terms(1, 1, 1), 5, 7, index(6).terms(2), 5, 6, index(5).terms(1, 2)],
  ])('truncateAndAppend %# (TestUnstableTruncateAndAppend)', (ents, offset, inProgress, toappend, woffset, wInProgress, wents) => {
    const u = mk(ents, offset, inProgress);
    u.truncateAndAppend(toappend);
    expect(u.offset).toBe(woffset);
    expect(u.offsetInProgress).toBe(wInProgress);
    expect(u.entries).toEqual(wents);
  });
});
