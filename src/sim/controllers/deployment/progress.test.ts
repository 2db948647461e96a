// Tables after pkg/controller/deployment/progress_test.go (kubernetes v1.34), on a fake client as upstream.
import { describe, expect, it } from 'vitest';
import { getDeploymentCondition } from './conditions';
import { requeueStuckDeployment, syncRolloutStatus } from './progress';
import { currentDeployment, fakeDcContext, newRSWithAvailable } from './testing';
import type { Deployment, DeploymentCondition, ReplicaSet } from './types';

const at = (h: number, m: number, s: number, ms = 0) => Date.UTC(2017, 1, 15, h, m, s, ms);
const maxInt32 = 2 ** 31 - 1;

describe('requeueStuckDeployment (TestRequeueStuckDeployment)', () => {
  const pds = 60;
  const failed: DeploymentCondition[] = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }];
  const stuck: DeploymentCondition[] = [{ type: 'Progressing', status: 'True', lastUpdateTime: at(18, 49, 0) }];
  const cases: Array<{ name: string; d: Deployment; status: [number, number, number]; nowMs?: number; expected: number; requeue?: 'after' | 'rateLimited' }> = [
    { name: 'nil progressDeadlineSeconds specified', d: currentDeployment(undefined, 4, 3, 3, 2, undefined), status: [3, 3, 2], expected: -1 },
    { name: 'infinite progressDeadlineSeconds specified', d: currentDeployment(maxInt32, 4, 3, 3, 2, undefined), status: [3, 3, 2], expected: -1 },
    { name: 'no progressing condition found', d: currentDeployment(pds, 4, 3, 3, 2, undefined), status: [3, 3, 2], expected: -1 },
    { name: 'complete deployment does not need to be requeued', d: currentDeployment(pds, 3, 3, 3, 3, undefined), status: [3, 3, 3], expected: -1 },
    { name: 'already failed deployment does not need to be requeued', d: currentDeployment(pds, 3, 3, 3, 0, failed), status: [3, 3, 0], expected: -1 },
    { name: 'stuck deployment - 30s', d: currentDeployment(pds, 3, 3, 3, 1, stuck), status: [3, 3, 1], nowMs: at(18, 49, 30), expected: 30_000, requeue: 'after' },
    { name: 'stuck deployment - 1s', d: currentDeployment(pds, 3, 3, 3, 1, stuck), status: [3, 3, 1], nowMs: at(18, 49, 59), expected: 1000, requeue: 'after' },
    // Upstream uses 1 ns past 18:49:59; our clock counts ms.
    { name: 'failed deployment - less than a second => now', d: currentDeployment(pds, 3, 3, 3, 1, stuck), status: [3, 3, 1], nowMs: at(18, 49, 59, 1), expected: 0, requeue: 'rateLimited' },
    { name: 'failed deployment - now', d: currentDeployment(pds, 3, 3, 3, 1, stuck), status: [3, 3, 1], nowMs: at(18, 50, 0), expected: 0, requeue: 'rateLimited' },
    { name: 'failed deployment - 1s after deadline', d: currentDeployment(pds, 3, 3, 3, 1, stuck), status: [3, 3, 1], nowMs: at(18, 50, 1), expected: 0, requeue: 'rateLimited' },
    { name: 'failed deployment - 60s after deadline', d: currentDeployment(pds, 3, 3, 3, 1, stuck), status: [3, 3, 1], nowMs: at(18, 51, 0), expected: 0, requeue: 'rateLimited' },
  ];
  for (const c of cases) {
    it(`${c.name} (ref: TestRequeueStuckDeployment)`, () => {
      const { dc, requeues } = fakeDcContext({ nowMs: c.nowMs ?? at(18, 49, 0) });
      const [replicas, updatedReplicas, availableReplicas] = c.status;
      expect(requeueStuckDeployment(dc, c.d, { replicas, updatedReplicas, availableReplicas })).toBe(c.expected);
      if (c.requeue === 'after') expect(requeues).toEqual([{ key: 'default/progress-test', afterMs: c.expected + 1000 }]);
      else if (c.requeue === 'rateLimited') expect(requeues).toEqual([{ key: 'default/progress-test', afterMs: 'rateLimited' }]);
      else expect(requeues).toEqual([]);
    });
  }
});

describe('syncRolloutStatus (TestSyncRolloutStatus)', () => {
  const pds = 60;
  const testTime = at(18, 49, 0);
  const failedTimedOut: DeploymentCondition = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' };
  const newRSAvailable: DeploymentCondition = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: testTime, lastTransitionTime: testTime };
  const replicaSetUpdated: DeploymentCondition = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: testTime, lastTransitionTime: testTime };
  const cases: Array<{
    name: string;
    d: Deployment;
    allRSs: ReplicaSet[];
    newRS?: ReplicaSet;
    status?: string;
    reason?: string;
    lastUpdate?: boolean;
    lastTransition?: boolean;
  }> = [
    {
      name: 'General: remove Progressing condition and do not estimate progress if deployment has no Progress Deadline',
      d: currentDeployment(undefined, 3, 2, 2, 2, [replicaSetUpdated]),
      allRSs: [newRSWithAvailable('bar', 0, 1, 1)],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
    },
    {
      name: 'General: do not estimate progress of deployment with only one active ReplicaSet',
      d: currentDeployment(pds, 3, 3, 3, 3, [newRSAvailable]),
      allRSs: [newRSWithAvailable('bar', 3, 3, 3)],
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      lastUpdate: true,
      lastTransition: true,
    },
    {
      name: 'DeploymentProgressing: dont update lastTransitionTime if deployment already has Progressing=True',
      d: currentDeployment(pds, 3, 2, 2, 2, [replicaSetUpdated]),
      allRSs: [newRSWithAvailable('bar', 0, 1, 1)],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
      status: 'True',
      reason: 'ReplicaSetUpdated',
      lastTransition: true,
    },
    {
      name: 'DeploymentProgressing: update everything if deployment has Progressing=False',
      d: currentDeployment(pds, 3, 2, 2, 2, [failedTimedOut]),
      allRSs: [newRSWithAvailable('bar', 0, 1, 1)],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
      status: 'True',
      reason: 'ReplicaSetUpdated',
    },
    {
      name: 'DeploymentProgressing: create Progressing condition if it does not exist',
      d: currentDeployment(pds, 3, 2, 2, 2, []),
      allRSs: [newRSWithAvailable('bar', 0, 1, 1)],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
      status: 'True',
      reason: 'ReplicaSetUpdated',
    },
    {
      name: 'DeploymentComplete: dont update lastTransitionTime if deployment already has Progressing=True',
      d: currentDeployment(pds, 3, 2, 2, 2, [replicaSetUpdated]),
      allRSs: [],
      newRS: newRSWithAvailable('foo', 3, 3, 3),
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      lastTransition: true,
    },
    {
      name: 'DeploymentComplete: update everything if deployment has Progressing=False',
      d: currentDeployment(pds, 3, 2, 2, 2, [failedTimedOut]),
      allRSs: [],
      newRS: newRSWithAvailable('foo', 3, 3, 3),
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    },
    {
      name: 'DeploymentComplete: create Progressing condition if it does not exist',
      d: currentDeployment(pds, 3, 2, 2, 2, []),
      allRSs: [],
      newRS: newRSWithAvailable('foo', 3, 3, 3),
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    },
    {
      name: 'DeploymentComplete: defend against NPE when newRS=nil',
      d: currentDeployment(pds, 0, 3, 3, 3, [replicaSetUpdated]),
      allRSs: [newRSWithAvailable('foo', 0, 0, 0)],
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    },
    {
      name: 'DeploymentTimedOut: update status if rollout exceeds Progress Deadline',
      d: currentDeployment(pds, 3, 2, 2, 2, [replicaSetUpdated]),
      allRSs: [],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    },
    {
      name: 'DeploymentTimedOut: do not update status if deployment has existing timedOut condition',
      d: currentDeployment(pds, 3, 2, 2, 2, [failedTimedOut]),
      allRSs: [],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      lastUpdate: true,
      lastTransition: true,
    },
  ];
  for (const c of cases) {
    it(`${c.name} (ref: TestSyncRolloutStatus)`, async () => {
      // Well past testTime + progressDeadlineSeconds.
      const { dc } = fakeDcContext({ nowMs: at(20, 0, 0) });
      const allRSs = c.newRS ? [...c.allRSs, c.newRS] : c.allRSs;
      await syncRolloutStatus(dc, allRSs, c.newRS, c.d);
      const cond = getDeploymentCondition(c.d.status, 'Progressing');
      if (!c.status) {
        expect(cond).toBeUndefined();
        return;
      }
      expect(cond).toMatchObject({ status: c.status, reason: c.reason });
      if (c.lastUpdate && cond?.lastUpdateTime !== undefined) expect(cond.lastUpdateTime).toBe(testTime);
      if (c.lastTransition && cond?.lastTransitionTime !== undefined) expect(cond.lastTransitionTime).toBe(testTime);
    });
  }

  it('writes the condition messages upstream writes', async () => {
    const { dc, actions } = fakeDcContext({ nowMs: at(20, 0, 0) });
    const d = currentDeployment(pds, 3, 2, 2, 2, [replicaSetUpdated]);
    await syncRolloutStatus(dc, [newRSWithAvailable('foo', 3, 3, 3)], newRSWithAvailable('foo', 3, 3, 3), d);
    expect(getDeploymentCondition(d.status, 'Progressing')?.message).toBe('ReplicaSet "foo" has successfully progressed.');
    expect(actions.map((a) => a.verb)).toEqual(['updateStatus']);
    const d2 = currentDeployment(pds, 3, 2, 2, 2, [replicaSetUpdated]);
    await syncRolloutStatus(dc, [newRSWithAvailable('foo', 3, 2, 2)], newRSWithAvailable('foo', 3, 2, 2), d2);
    expect(getDeploymentCondition(d2.status, 'Progressing')?.message).toBe('ReplicaSet "foo" has timed out progressing.');
  });

  it('copies a ReplicaFailure condition of the new ReplicaSet, and removes it once gone (getReplicaFailures)', async () => {
    const { dc } = fakeDcContext({ nowMs: at(20, 0, 0) });
    const d = currentDeployment(pds, 3, 2, 2, 2, [replicaSetUpdated]);
    const rs = newRSWithAvailable('foo', 3, 2, 2);
    rs.status!.conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "foo-" is forbidden: exceeded quota', lastTransitionTime: testTime }];
    await syncRolloutStatus(dc, [rs], rs, d);
    expect(getDeploymentCondition(d.status, 'ReplicaFailure')).toEqual({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "foo-" is forbidden: exceeded quota', lastTransitionTime: testTime, lastUpdateTime: testTime });
    rs.status!.conditions = [];
    await syncRolloutStatus(dc, [rs], rs, d);
    expect(getDeploymentCondition(d.status, 'ReplicaFailure')).toBeUndefined();
  });
});
