import { describe, expect, it } from 'vitest';
import { Inflights } from './inflights';
import { Progress, type ProgressStateType } from './progress';
import { makeProgressTracker } from './tracker';

describe('Progress (tracker/progress_test.go)', () => {
  it('prints like upstream (TestProgressString)', () => {
    const ins = new Inflights(1, 0);
    ins.add(123, 1);
    const pr = new Progress({ match: 1, next: 2, state: 'StateSnapshot', pendingSnapshot: 123, recentActive: false, msgAppFlowPaused: true, isLearner: true, inflights: ins });
    expect(pr.toString()).toBe('StateSnapshot match=1 next=2 learner paused pendingSnap=123 inactive inflight=1[full]');
  });

  // TestProgressIsPaused
  it.each<[ProgressStateType, boolean, boolean]>([
    ['StateProbe', false, false],
    ['StateProbe', true, true],
    ['StateReplicate', false, false],
    ['StateReplicate', true, true],
    ['StateSnapshot', false, true],
    ['StateSnapshot', true, true],
  ])('%s paused=%s -> isPaused %s (TestProgressIsPaused)', (state, paused, w) => {
    expect(new Progress({ state, msgAppFlowPaused: paused }).isPaused()).toBe(w);
  });

  it('maybeDecrTo and maybeUpdate resume a paused flow (TestProgressResume)', () => {
    const p = new Progress({ next: 2, msgAppFlowPaused: true });
    p.maybeDecrTo(1, 1);
    expect(p.msgAppFlowPaused).toBe(false);
    p.msgAppFlowPaused = true;
    p.maybeUpdate(2);
    expect(p.msgAppFlowPaused).toBe(false);
  });

  // TestProgressBecomeProbe
  it.each<[ProgressStateType, number, number]>([
    ['StateReplicate', 0, 2],
    // snapshot finish
    ['StateSnapshot', 10, 11],
    // snapshot failure
    ['StateSnapshot', 0, 2],
  ])('becomeProbe from %s pendingSnapshot=%i -> next %i (TestProgressBecomeProbe)', (state, pendingSnapshot, wnext) => {
    const p = new Progress({ state, match: 1, next: 5, pendingSnapshot });
    p.becomeProbe();
    expect(p.state).toBe('StateProbe');
    expect(p.match).toBe(1);
    expect(p.next).toBe(wnext);
  });

  it('becomeReplicate sets next to match+1 (TestProgressBecomeReplicate)', () => {
    const p = new Progress({ state: 'StateProbe', match: 1, next: 5 });
    p.becomeReplicate();
    expect([p.state, p.match, p.next]).toEqual(['StateReplicate', 1, 2]);
  });

  it('becomeSnapshot records the snapshot (TestProgressBecomeSnapshot)', () => {
    const p = new Progress({ state: 'StateProbe', match: 1, next: 5 });
    p.becomeSnapshot(10);
    expect([p.state, p.match, p.pendingSnapshot]).toEqual(['StateSnapshot', 1, 10]);
  });

  // TestProgressUpdate
  it.each([
    [2, 3, 5, false], // do not decrease match, next
    [3, 3, 5, false], // do not decrease next
    [4, 4, 5, true], // increase match, do not decrease next
    [5, 5, 6, true], // increase match, next
  ])('maybeUpdate(%i) (TestProgressUpdate)', (update, wm, wn, wok) => {
    const p = new Progress({ match: 3, next: 5 });
    expect(p.maybeUpdate(update)).toBe(wok);
    expect([p.match, p.next]).toEqual([wm, wn]);
  });

  // TestProgressMaybeDecr
  it.each<[ProgressStateType, number, number, number, number, boolean, number]>([
    // state replicate and rejected is not greater than match
    ['StateReplicate', 5, 10, 5, 5, false, 10],
    ['StateReplicate', 5, 10, 4, 4, false, 10],
    // state replicate and rejected is greater than match: directly decrease to match+1
    ['StateReplicate', 5, 10, 9, 9, true, 6],
    // next-1 != rejected is always false
    ['StateProbe', 0, 0, 0, 0, false, 0],
    ['StateProbe', 0, 10, 5, 5, false, 10],
    // next>1 = decremented by 1
    ['StateProbe', 0, 10, 9, 9, true, 9],
    ['StateProbe', 0, 2, 1, 1, true, 1],
    // next<=1 = reset to 1
    ['StateProbe', 0, 1, 0, 0, true, 1],
    // decrease to min(rejected, last+1)
    ['StateProbe', 0, 10, 9, 2, true, 3],
    // rejected < 1, reset to 1
    ['StateProbe', 0, 10, 9, 0, true, 1],
  ])('%s match=%i next=%i maybeDecrTo(%i, %i) (TestProgressMaybeDecr)', (state, m, n, rejected, last, w, wn) => {
    const p = new Progress({ state, match: m, next: n });
    expect(p.maybeDecrTo(rejected, last)).toBe(w);
    expect(p.match).toBe(m);
    expect(p.next).toBe(wn);
  });
});

describe('Inflights (tracker/inflights_test.go)', () => {
  const state = (in_: Inflights) => ({ count: in_.count(), bytes: in_.bytes, indexes: in_.buffer.map((x) => x.index) });

  it('adds up to the size (TestInflightsAdd)', () => {
    const in_ = new Inflights(10, 0);
    for (let i = 0; i < 5; i++) in_.add(i, 100 + i);
    expect(state(in_)).toEqual({ count: 5, bytes: 510, indexes: [0, 1, 2, 3, 4] });
    for (let i = 5; i < 10; i++) in_.add(i, 100 + i);
    expect(state(in_)).toEqual({ count: 10, bytes: 1045, indexes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    expect(in_.full()).toBe(true);
    expect(() => in_.add(10, 1)).toThrow('cannot add into a Full inflights');
  });

  it('frees up to an index (TestInflightFreeTo)', () => {
    const in_ = new Inflights(10, 0);
    for (let i = 0; i < 10; i++) in_.add(i, 100 + i);
    in_.freeLE(0);
    expect([in_.count(), in_.bytes]).toEqual([9, 945]);
    in_.freeLE(4);
    expect([in_.count(), in_.bytes]).toEqual([5, 535]);
    in_.freeLE(8);
    expect([in_.count(), in_.bytes]).toEqual([1, 109]);
    for (let i = 10; i < 15; i++) in_.add(i, 100 + i);
    in_.freeLE(12);
    expect([in_.count(), in_.bytes]).toEqual([2, 227]);
    in_.freeLE(14);
    expect([in_.count(), in_.bytes]).toEqual([0, 0]);
  });

  it('is full by bytes (TestInflightsFull)', () => {
    const in_ = new Inflights(10, 1024);
    in_.add(0, 1000);
    expect(in_.full()).toBe(false);
    in_.add(1, 24);
    expect(in_.full()).toBe(true);
    in_.freeLE(0);
    expect(in_.full()).toBe(false);
  });
});

describe('ProgressTracker (tracker/tracker.go)', () => {
  it('tallies votes of voters only and ignores a second vote', () => {
    const trk = makeProgressTracker(256, 0);
    trk.config.voters[0] = new Set([1, 2, 3]);
    for (const id of [1, 2, 3]) trk.progress.set(id, new Progress());
    trk.progress.set(4, new Progress({ isLearner: true }));
    trk.recordVote(1, true);
    trk.recordVote(1, false);
    trk.recordVote(4, true);
    expect(trk.tallyVotes()).toEqual({ granted: 1, rejected: 0, result: 'VotePending' });
    trk.recordVote(2, true);
    expect(trk.tallyVotes().result).toBe('VoteWon');
  });

  it('commits what a majority matched, visits in id order', () => {
    const trk = makeProgressTracker(256, 0);
    trk.config.voters[0] = new Set([3, 1, 2]);
    trk.progress.set(3, new Progress({ match: 5 }));
    trk.progress.set(1, new Progress({ match: 7 }));
    trk.progress.set(2, new Progress({ match: 2 }));
    expect(trk.committed()).toBe(5);
    const seen: number[] = [];
    trk.visit((id) => seen.push(id));
    expect(seen).toEqual([1, 2, 3]);
    expect(trk.confState()).toEqual({ voters: [1, 2, 3], votersOutgoing: [], learners: [], learnersNext: [], autoLeave: false });
  });
});
