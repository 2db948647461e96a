// Tables after pkg/controller/deployment/recreate_test.go (kubernetes v1.34), on a fake client as upstream.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { oldPodsRunning, scaleDownOldReplicaSetsForRecreate, type PodMap } from './recreate';
import { fakeDcContext, newDeployment, newReplicaSet, newRSWithStatus, rsOf } from './testing';
import type { ReplicaSet } from './types';

describe('scaleDownOldReplicaSetsForRecreate (TestScaleDownOldReplicaSets)', () => {
  it('scales the one old ReplicaSet of 3 to 0 with one update (ref: TestScaleDownOldReplicaSets)', async () => {
    const { dc, actions, recorded } = fakeDcContext();
    const d = newDeployment('foo', 3, undefined, undefined, undefined, { foo: 'bar' });
    d.spec.strategy = { type: 'Recreate' };
    const rs = newReplicaSet(d, 'foo-0', 3);
    rs.status = { availableReplicas: 3 };
    expect(await scaleDownOldReplicaSetsForRecreate(dc, [rs], d)).toBe(true);
    expect(actions).toHaveLength(1);
    expect((actions[0].obj as unknown as ReplicaSet).spec.replicas).toBe(0);
    expect(recorded).toEqual(['Normal ScalingReplicaSet Scaled down replica set foo-0 from 3 to 0']);
  });
});

describe('oldPodsRunning (TestOldPodsRunning)', () => {
  const rsWithUID = (uid: string) => {
    const rs = rsOf('foo', 0, undefined, undefined);
    rs.metadata.uid = uid;
    return rs;
  };
  const pod = (phase: string): Pod => ({ metadata: { name: `pod-${phase}` }, spec: { containers: [] }, status: { phase } }) as unknown as Pod;
  const podMapWith = (uids: string[], phase = 'Running'): PodMap => new Map(uids.map((u) => [u, [pod(phase)]]));
  const cases: Array<{ name: string; newRS?: ReplicaSet; oldRSs: ReplicaSet[]; podMap: PodMap; hasOldPodsRunning: boolean }> = [
    { name: 'no old RSs', oldRSs: [], podMap: new Map(), hasOldPodsRunning: false },
    { name: 'old RSs with running pods', oldRSs: [rsWithUID('some-uid'), rsWithUID('other-uid')], podMap: podMapWith(['some-uid', 'other-uid']), hasOldPodsRunning: true },
    { name: 'old RSs without pods but with non-zero status replicas', oldRSs: [newRSWithStatus('rs-1', 0, 1)], podMap: new Map(), hasOldPodsRunning: true },
    { name: 'old RSs without pods or non-zero status replicas', oldRSs: [newRSWithStatus('rs-1', 0, 0)], podMap: new Map(), hasOldPodsRunning: false },
    { name: 'old RSs with zero status replicas but pods in terminal state are present', oldRSs: [newRSWithStatus('rs-1', 0, 0)], podMap: new Map([['uid-1', [pod('Failed'), pod('Succeeded')]]]), hasOldPodsRunning: false },
    { name: 'old RSs with zero status replicas but pod in unknown phase present', oldRSs: [newRSWithStatus('rs-1', 0, 0)], podMap: new Map([['uid-1', [pod('Unknown')]]]), hasOldPodsRunning: true },
    { name: 'old RSs with zero status replicas with pending pod present', oldRSs: [newRSWithStatus('rs-1', 0, 0)], podMap: new Map([['uid-1', [pod('Pending')]]]), hasOldPodsRunning: true },
    { name: 'old RSs with zero status replicas with running pod present', oldRSs: [newRSWithStatus('rs-1', 0, 0)], podMap: new Map([['uid-1', [pod('Running')]]]), hasOldPodsRunning: true },
    {
      name: 'old RSs with zero status replicas but pods in terminal state and pending are present',
      oldRSs: [newRSWithStatus('rs-1', 0, 0)],
      podMap: new Map([['uid-1', [pod('Failed'), pod('Succeeded'), pod('Pending')]]]),
      hasOldPodsRunning: true,
    },
    { name: "the new RS's pods do not count", newRS: rsWithUID('new-uid'), oldRSs: [newRSWithStatus('rs-1', 0, 0)], podMap: podMapWith(['new-uid']), hasOldPodsRunning: false },
  ];
  for (const c of cases) {
    it(`${c.name} (ref: TestOldPodsRunning)`, () => {
      expect(oldPodsRunning(c.newRS, c.oldRSs, c.podMap)).toBe(c.hasOldPodsRunning);
    });
  }
});
