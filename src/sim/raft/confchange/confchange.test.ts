import { describe, expect, it } from 'vitest';
import { newConfState } from '../raftpb';
import { makeProgressTracker, type ProgressTracker } from '../tracker/tracker';
import { Changer, restore } from './confchange';

const withResult = (trk: ProgressTracker, r: { config: ProgressTracker['config']; progress: ProgressTracker['progress'] }) => {
  trk.config = r.config;
  trk.progress = r.progress;
  return trk;
};

describe('confchange (confchange/testdata/simple_*.txt, joint_*.txt, restore_test.go)', () => {
  it('adds voters and learners one at a time, refuses two voters at once (simple_safety.txt)', () => {
    const trk = makeProgressTracker(256, 0);
    withResult(trk, new Changer(trk, 0).simple({ type: 'ConfChangeAddNode', nodeId: 1 }));
    expect(trk.confState().voters).toEqual([1]);
    expect(trk.progress.get(1)).toMatchObject({ match: 0, next: 1, recentActive: true });
    withResult(trk, new Changer(trk, 5).simple({ type: 'ConfChangeAddLearnerNode', nodeId: 2 }));
    expect(trk.confState()).toMatchObject({ voters: [1], learners: [2] });
    expect(trk.progress.get(2)).toMatchObject({ next: 5, isLearner: true });
    expect(() =>
      new Changer(trk, 5).simple({ type: 'ConfChangeAddNode', nodeId: 2 }, { type: 'ConfChangeAddNode', nodeId: 3 }),
    ).toThrow('more than one voter changed without entering joint config');
    // Promoting the learner is one voter change.
    withResult(trk, new Changer(trk, 5).simple({ type: 'ConfChangeAddNode', nodeId: 2 }));
    expect(trk.confState()).toMatchObject({ voters: [1, 2], learners: [] });
    expect(() => new Changer(trk, 5).simple({ type: 'ConfChangeRemoveNode', nodeId: 1 }, { type: 'ConfChangeRemoveNode', nodeId: 2 })).toThrow(
      'removed all voters',
    );
  });

  it('enters and leaves a joint config; a demoted voter waits in learnersNext (joint_learners_next.txt)', () => {
    const trk = makeProgressTracker(256, 0);
    withResult(trk, new Changer(trk, 0).simple({ type: 'ConfChangeAddNode', nodeId: 1 }));
    withResult(trk, new Changer(trk, 0).enterJoint(false, { type: 'ConfChangeAddNode', nodeId: 2 }, { type: 'ConfChangeAddLearnerNode', nodeId: 1 }));
    expect(trk.confState()).toEqual({ voters: [2], votersOutgoing: [1], learners: [], learnersNext: [1], autoLeave: false });
    expect(() => new Changer(trk, 0).simple({ type: 'ConfChangeAddNode', nodeId: 3 })).toThrow("can't apply simple config change in joint config");
    withResult(trk, new Changer(trk, 0).leaveJoint());
    expect(trk.confState()).toEqual({ voters: [2], votersOutgoing: [], learners: [1], learnersNext: [], autoLeave: false });
    expect(trk.progress.get(1)!.isLearner).toBe(true);
  });

  // TestRestore (examples)
  it.each([
    newConfState({ voters: [1, 2, 3] }),
    newConfState({ voters: [1, 2], learners: [3] }),
    newConfState({ voters: [1, 2, 3], votersOutgoing: [1, 2, 4, 6], learners: [5], learnersNext: [4], autoLeave: true }),
  ])('restore %j round-trips (TestRestore)', (cs) => {
    const trk = makeProgressTracker(20, 0);
    const res = restore(new Changer(trk, 10), cs);
    withResult(trk, res);
    expect(trk.confState()).toEqual(cs);
  });
});
