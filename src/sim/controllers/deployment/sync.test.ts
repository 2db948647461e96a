// Tables after pkg/controller/deployment/sync_test.go (kubernetes v1.34), on a fake client as upstream.
import { describe, expect, it } from 'vitest';
import { setReplicasAnnotations } from './annotations';
import { maxSurge } from './fenceposts';
import { calculateStatus, checkPausedConditions, cleanupDeployment, getNewReplicaSet, isScalingEvent, scale, statusEqual } from './sync';
import { fakeDcContext, newDeployment, newRSWithStatus, rsOf } from './testing';
import type { Deployment, IntOrString, ReplicaSet } from './types';

const newTimestamp = Date.UTC(2016, 4, 20, 2, 0, 0);
const oldTimestamp = Date.UTC(2016, 4, 20, 1, 0, 0);
const olderTimestamp = Date.UTC(2016, 4, 20, 0, 0, 0);

const dep = (replicas: number, surge?: IntOrString, unavailable?: IntOrString) => newDeployment('foo', replicas, undefined, surge, unavailable);

interface ScaleCase {
  name: string;
  deployment: Deployment;
  oldDeployment: Deployment;
  newRS?: ReplicaSet;
  oldRSs: ReplicaSet[];
  expectedNew?: number;
  expectedOld: number[];
  wasntUpdated?: string[];
  desiredReplicasAnnotations?: Record<string, number>;
}

const updatedTemplate = (replicas: number) => {
  const d = newDeployment('foo', replicas, undefined, undefined, undefined, { foo: 'bar' });
  d.spec.template.metadata = { labels: { foo: 'baz' } };
  return d;
};

const scaleCases: ScaleCase[] = [
  { name: 'normal scaling event: 10 -> 12', deployment: dep(12), oldDeployment: dep(10), newRS: rsOf('foo-v1', 10, undefined, newTimestamp), oldRSs: [], expectedNew: 12, expectedOld: [] },
  { name: 'normal scaling event: 10 -> 5', deployment: dep(5), oldDeployment: dep(10), newRS: rsOf('foo-v1', 10, undefined, newTimestamp), oldRSs: [], expectedNew: 5, expectedOld: [] },
  { name: 'proportional scaling: 5 -> 10', deployment: dep(10), oldDeployment: dep(5), newRS: rsOf('foo-v2', 2, undefined, newTimestamp), oldRSs: [rsOf('foo-v1', 3, undefined, oldTimestamp)], expectedNew: 4, expectedOld: [6] },
  { name: 'proportional scaling: 5 -> 3', deployment: dep(3), oldDeployment: dep(5), newRS: rsOf('foo-v2', 2, undefined, newTimestamp), oldRSs: [rsOf('foo-v1', 3, undefined, oldTimestamp)], expectedNew: 1, expectedOld: [2] },
  { name: 'proportional scaling: 9 -> 4', deployment: dep(4), oldDeployment: dep(9), newRS: rsOf('foo-v2', 8, undefined, newTimestamp), oldRSs: [rsOf('foo-v1', 1, undefined, oldTimestamp)], expectedNew: 4, expectedOld: [0] },
  {
    name: 'proportional scaling: 7 -> 10',
    deployment: dep(10),
    oldDeployment: dep(7),
    newRS: rsOf('foo-v3', 2, undefined, newTimestamp),
    oldRSs: [rsOf('foo-v2', 3, undefined, oldTimestamp), rsOf('foo-v1', 2, undefined, olderTimestamp)],
    expectedNew: 3,
    expectedOld: [4, 3],
  },
  {
    name: 'proportional scaling: 13 -> 8',
    deployment: dep(8),
    oldDeployment: dep(13),
    newRS: rsOf('foo-v3', 2, undefined, newTimestamp),
    oldRSs: [rsOf('foo-v2', 8, undefined, oldTimestamp), rsOf('foo-v1', 3, undefined, olderTimestamp)],
    expectedNew: 1,
    expectedOld: [5, 2],
  },
  {
    name: 'leftover distribution: 3 -> 4 (the newest is scaled up)',
    deployment: dep(4),
    oldDeployment: dep(3),
    newRS: rsOf('foo-v3', 1, undefined, newTimestamp),
    oldRSs: [rsOf('foo-v2', 1, undefined, oldTimestamp), rsOf('foo-v1', 1, undefined, olderTimestamp)],
    expectedNew: 2,
    expectedOld: [1, 1],
  },
  {
    name: 'leftover distribution: 3 -> 2 (the oldest is scaled down)',
    deployment: dep(2),
    oldDeployment: dep(3),
    newRS: rsOf('foo-v3', 1, undefined, newTimestamp),
    oldRSs: [rsOf('foo-v2', 1, undefined, oldTimestamp), rsOf('foo-v1', 1, undefined, olderTimestamp)],
    expectedNew: 1,
    expectedOld: [1, 0],
  },
  {
    name: 'proportional scaling (no new rs): 4 -> 5',
    deployment: dep(5),
    oldDeployment: dep(4),
    oldRSs: [rsOf('foo-v2', 2, undefined, oldTimestamp), rsOf('foo-v1', 2, undefined, olderTimestamp)],
    expectedOld: [3, 2],
  },
  {
    name: 'proportional scaling: 6 -> 0',
    deployment: dep(0),
    oldDeployment: dep(6),
    newRS: rsOf('foo-v3', 3, undefined, newTimestamp),
    oldRSs: [rsOf('foo-v2', 2, undefined, oldTimestamp), rsOf('foo-v1', 1, undefined, olderTimestamp)],
    expectedNew: 0,
    expectedOld: [0, 0],
  },
  {
    name: 'proportional scaling: 0 -> 6',
    deployment: dep(6),
    oldDeployment: dep(6),
    newRS: rsOf('foo-v3', 0, undefined, newTimestamp),
    oldRSs: [rsOf('foo-v2', 0, undefined, oldTimestamp), rsOf('foo-v1', 0, undefined, olderTimestamp)],
    expectedNew: 6,
    expectedOld: [0, 0],
    wasntUpdated: ['foo-v2', 'foo-v1'],
  },
  {
    name: 'failed rs update',
    deployment: dep(5),
    oldDeployment: dep(5),
    newRS: rsOf('foo-v3', 2, undefined, newTimestamp),
    oldRSs: [rsOf('foo-v2', 1, undefined, oldTimestamp), rsOf('foo-v1', 1, undefined, olderTimestamp)],
    expectedNew: 2,
    expectedOld: [2, 1],
    wasntUpdated: ['foo-v3', 'foo-v1'],
    desiredReplicasAnnotations: { 'foo-v2': 3 },
  },
  { name: 'deployment with surge pods', deployment: dep(20, 2), oldDeployment: dep(10, 2), newRS: rsOf('foo-v2', 6, undefined, newTimestamp), oldRSs: [rsOf('foo-v1', 6, undefined, oldTimestamp)], expectedNew: 11, expectedOld: [11] },
  { name: 'change both surge and size', deployment: dep(50, 6), oldDeployment: dep(10, 3), newRS: rsOf('foo-v2', 5, undefined, newTimestamp), oldRSs: [rsOf('foo-v1', 8, undefined, oldTimestamp)], expectedNew: 22, expectedOld: [34] },
  {
    name: 'change both size and template',
    deployment: updatedTemplate(14),
    oldDeployment: dep(10),
    oldRSs: [rsOf('foo-v2', 7, undefined, newTimestamp), rsOf('foo-v1', 3, undefined, oldTimestamp)],
    expectedOld: [10, 4],
  },
  {
    name: 'saturated but broken new replica set does not affect old pods',
    deployment: dep(2, 1, 1),
    oldDeployment: dep(2, 1, 1),
    newRS: (() => {
      const rs = rsOf('foo-v2', 2, undefined, newTimestamp);
      rs.status = { availableReplicas: 0 };
      return rs;
    })(),
    oldRSs: [rsOf('foo-v1', 1, undefined, oldTimestamp)],
    expectedNew: 2,
    expectedOld: [1],
  },
];

describe('scale (TestScale)', () => {
  for (const c of scaleCases) {
    it(`${c.name} (ref: TestScale)`, async () => {
      const { dc, actions } = fakeDcContext();
      const annotate = (rs: ReplicaSet) => {
        const desired = c.desiredReplicasAnnotations?.[rs.metadata.name ?? ''] ?? c.oldDeployment.spec.replicas ?? 1;
        setReplicasAnnotations(rs, desired, desired + maxSurge(c.oldDeployment));
      };
      if (c.newRS) annotate(c.newRS);
      c.oldRSs.forEach(annotate);
      await scale(dc, c.deployment, c.newRS, c.oldRSs);
      const finalOf = (rs: ReplicaSet) => {
        const updates = actions.filter((a) => a.name === rs.metadata.name);
        return updates.length ? (updates[updates.length - 1].obj as unknown as ReplicaSet).spec.replicas : rs.spec.replicas;
      };
      if (c.newRS) expect(finalOf(c.newRS)).toBe(c.expectedNew);
      expect(c.oldRSs.map(finalOf)).toEqual(c.expectedOld);
      for (const name of c.wasntUpdated ?? []) expect(actions.filter((a) => a.name === name)).toEqual([]);
    });
  }

  it('writes the desired/max-replicas annotations of the new size and records the event', async () => {
    const { dc, actions, recorded } = fakeDcContext();
    const newRS = rsOf('foo-v2', 2, undefined, newTimestamp);
    const old = rsOf('foo-v1', 3, undefined, oldTimestamp);
    for (const rs of [newRS, old]) setReplicasAnnotations(rs, 5, 6);
    await scale(dc, dep(10, 1), newRS, [old]);
    const byName = Object.fromEntries(actions.map((a) => [a.name, a.obj as unknown as ReplicaSet]));
    expect(byName['foo-v2'].metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '11' });
    // 11 allowed - 5 = 6 to add: foo-v1 (the largest) +round(3*11/6)-3 = 3, foo-v2 +round(2*11/6)-2 = 2, the leftover 1 to foo-v1.
    expect(byName['foo-v2'].spec.replicas! + byName['foo-v1'].spec.replicas!).toBe(11);
    expect(recorded).toEqual(['Normal ScalingReplicaSet Scaled up replica set foo-v1 from 3 to 7', 'Normal ScalingReplicaSet Scaled up replica set foo-v2 from 2 to 4']);
  });
});

describe('cleanupDeployment (TestDeploymentController_cleanupDeployment)', () => {
  const selector = { foo: 'bar' };
  const alreadyDeleted = newRSWithStatus('foo-1', 0, 0, selector);
  alreadyDeleted.metadata.deletionTimestamp = '2016-05-20T02:00:00Z';
  const cases: Array<{ oldRSs: ReplicaSet[]; revisionHistoryLimit: number; expectedDeletedRSs: string[] }> = [
    { oldRSs: [newRSWithStatus('foo-1', 0, 0, selector), newRSWithStatus('foo-2', 0, 0, selector), newRSWithStatus('foo-3', 0, 0, selector)], revisionHistoryLimit: 1, expectedDeletedRSs: ['foo-1', 'foo-2'] },
    {
      // Only a ReplicaSet with spec.replicas = status.replicas = 0 goes.
      oldRSs: [newRSWithStatus('foo-1', 0, 0, selector), newRSWithStatus('foo-2', 0, 1, selector), newRSWithStatus('foo-3', 1, 0, selector), newRSWithStatus('foo-4', 1, 1, selector)],
      revisionHistoryLimit: 0,
      expectedDeletedRSs: ['foo-1'],
    },
    { oldRSs: [newRSWithStatus('foo-1', 0, 0, selector), newRSWithStatus('foo-2', 0, 0, selector)], revisionHistoryLimit: 0, expectedDeletedRSs: ['foo-1', 'foo-2'] },
    { oldRSs: [newRSWithStatus('foo-1', 1, 1, selector), newRSWithStatus('foo-2', 1, 1, selector)], revisionHistoryLimit: 0, expectedDeletedRSs: [] },
    { oldRSs: [alreadyDeleted], revisionHistoryLimit: 0, expectedDeletedRSs: [] },
  ];
  cases.forEach((c, i) => {
    it(`case ${i}: keep ${c.revisionHistoryLimit}, delete [${c.expectedDeletedRSs.join(', ')}] (ref: TestDeploymentController_cleanupDeployment)`, async () => {
      const { dc, actions } = fakeDcContext();
      const d = newDeployment('foo', 1, c.revisionHistoryLimit, 1, 1, selector);
      await cleanupDeployment(dc, c.oldRSs, d);
      expect(actions.filter((a) => a.verb === 'delete').map((a) => a.name).sort()).toEqual(c.expectedDeletedRSs);
    });
  });

  it('deletes the lowest revisions first (ref: TestDeploymentController_cleanupDeploymentOrder)', async () => {
    const { dc, actions } = fakeDcContext();
    const rss = [3, 1, 4, 2].map((rev) => {
      const rs = newRSWithStatus(`foo-r${rev}`, 0, 0, { foo: 'bar' });
      rs.metadata.annotations = { 'deployment.kubernetes.io/revision': String(rev) };
      return rs;
    });
    await cleanupDeployment(dc, rss, newDeployment('foo', 1, 1, 1, 1));
    expect(actions.map((a) => a.name)).toEqual(['foo-r1', 'foo-r2', 'foo-r3']);
  });
});

describe('calculateStatus / syncDeploymentStatus (sync.go; our cases)', () => {
  it('counts pods, the new RS as updated, available and unavailable, and sets Available against replicas - maxUnavailable', () => {
    const d = newDeployment('foo', 4, undefined, 1, 1);
    d.metadata.generation = 3;
    const newRS = newRSWithStatus('foo-v2', 2, 2);
    newRS.status = { replicas: 2, readyReplicas: 2, availableReplicas: 1 };
    const old = newRSWithStatus('foo-v1', 3, 3);
    old.status = { replicas: 3, readyReplicas: 3, availableReplicas: 3 };
    const s = calculateStatus([old, newRS], newRS, d, 7000);
    expect(s).toMatchObject({ observedGeneration: 3, replicas: 5, updatedReplicas: 2, readyReplicas: 5, availableReplicas: 4, unavailableReplicas: 1 });
    expect(s.conditions).toEqual([{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: 7000, lastTransitionTime: 7000 }]);
    old.status.availableReplicas = 1;
    expect(calculateStatus([old, newRS], newRS, d, 8000).conditions?.[0]).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  });

  it('never reports negative unavailable replicas (more available than desired while scaling down)', () => {
    const d = newDeployment('foo', 1, undefined, 1, 0);
    const rs = newRSWithStatus('foo-v1', 1, 3);
    rs.status = { replicas: 3, availableReplicas: 3 };
    expect(calculateStatus([rs], rs, d, 0).unavailableReplicas).toBe(0);
  });

  it("compares statuses as Go does: an absent count is 0", () => {
    expect(statusEqual({ replicas: 0, conditions: [] }, {})).toBe(true);
    expect(statusEqual({ replicas: 1 }, {})).toBe(false);
  });
});

describe('getNewReplicaSet, isScalingEvent, checkPausedConditions (sync.go; our cases)', () => {
  it('an existing new ReplicaSet below max(old)+1 gets the next revision, the old one in its history', async () => {
    const { dc, actions } = fakeDcContext();
    const d = newDeployment('foo', 2, undefined, 1, 0);
    const old = rsOf('foo-old', 0, undefined, oldTimestamp);
    old.spec.template = { metadata: { labels: { foo: 'other' } }, spec: {} };
    old.metadata.annotations = { 'deployment.kubernetes.io/revision': '3' };
    const cur = rsOf('foo-cur', 2, undefined, newTimestamp);
    cur.spec.template = JSON.parse(JSON.stringify(d.spec.template));
    cur.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' };
    const rs = await getNewReplicaSet(dc, d, [old, cur], [old], false);
    expect(rs?.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '4', 'deployment.kubernetes.io/revision-history': '2' });
    expect(actions.map((a) => `${a.verb} ${a.resource} ${a.name}`)).toEqual(['update replicasets foo-cur']);
  });

  it('an existing new ReplicaSet already current: the Deployment takes its revision and a FoundNewReplicaSet condition', async () => {
    const { dc, actions } = fakeDcContext({ nowMs: 5000 });
    const d = newDeployment('foo', 2, undefined, 1, 0);
    d.spec.progressDeadlineSeconds = 600;
    const cur = rsOf('foo-cur', 2, undefined, newTimestamp);
    cur.spec.template = JSON.parse(JSON.stringify(d.spec.template));
    cur.spec.minReadySeconds = 0;
    cur.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
    await getNewReplicaSet(dc, d, [cur], [], false);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status?.conditions).toEqual([{ type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: 'Found new replica set "foo-cur"', lastUpdateTime: 5000, lastTransitionTime: 5000 }]);
    expect(actions.map((a) => a.verb)).toEqual(['updateStatus']);
  });

  it('isScalingEvent: spec.replicas differs from an active ReplicaSet desired-replicas annotation', async () => {
    const { dc } = fakeDcContext();
    const d = newDeployment('foo', 5, undefined, 1, 0);
    const rs = rsOf('foo-v1', 3, undefined, newTimestamp);
    rs.spec.template = JSON.parse(JSON.stringify(d.spec.template));
    rs.spec.minReadySeconds = 0;
    rs.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
    setReplicasAnnotations(rs, 3, 4);
    expect(await isScalingEvent(dc, d, [rs])).toBe(true);
    setReplicasAnnotations(rs, 5, 6);
    expect(await isScalingEvent(dc, d, [rs])).toBe(false);
  });

  it('checkPausedConditions: Unknown/DeploymentPaused, then Unknown/DeploymentResumed; a timed-out condition stays', async () => {
    const { dc, actions } = fakeDcContext({ nowMs: 1000 });
    const d = newDeployment('foo', 1, undefined, 1, 0);
    d.spec.progressDeadlineSeconds = 600;
    d.spec.paused = true;
    await checkPausedConditions(dc, d);
    expect(d.status?.conditions?.[0]).toMatchObject({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    d.spec.paused = false;
    await checkPausedConditions(dc, d);
    expect(d.status?.conditions?.[0]).toMatchObject({ status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' });
    expect(actions.map((a) => a.verb)).toEqual(['updateStatus', 'updateStatus']);
    d.status!.conditions = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }];
    d.spec.paused = true;
    await checkPausedConditions(dc, d);
    expect(d.status?.conditions?.[0].reason).toBe('ProgressDeadlineExceeded');
    expect(actions).toHaveLength(2);
  });
});

describe('checkDeploymentInvariants (invariants.ts)', () => {
  it('names each broken invariant', async () => {
    const { checkDeploymentInvariants } = await import('./invariants');
    const d = newDeployment('foo', 1);
    const ok = newRSWithStatus('foo-abc', 1, 1);
    ok.metadata.labels = { 'pod-template-hash': 'abc' };
    ok.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'foo', uid: 'uid-foo', controller: true }];
    ok.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
    ok.spec.selector = { matchLabels: { 'pod-template-hash': 'abc' } };
    ok.spec.template = { metadata: { labels: { ...d.spec.template.metadata?.labels, 'pod-template-hash': 'abc' } }, spec: d.spec.template.spec };
    expect(checkDeploymentInvariants(d, [ok])).toEqual([]);
    const twin = JSON.parse(JSON.stringify(ok)) as ReplicaSet;
    twin.metadata.name = 'foo-xyz';
    expect(checkDeploymentInvariants(d, [ok, twin])).toEqual([
      'foo-xyz: not named after its pod-template-hash (abc)',
      'foo-xyz: revision 1 also on foo-abc',
      "2 ReplicaSets have the Deployment's template",
    ]);
  });
});
