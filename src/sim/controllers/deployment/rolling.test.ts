// Tables after pkg/controller/deployment/rolling_test.go (kubernetes v1.34), on a fake client as upstream.
import { describe, expect, it } from 'vitest';
import { cleanupUnhealthyReplicas, reconcileNewReplicaSet, reconcileOldReplicaSets, scaleDownOldReplicaSetsForRollingUpdate } from './rolling';
import { fakeDcContext, newDeployment, rsOf } from './testing';
import type { IntOrString } from './types';

describe('reconcileNewReplicaSet (TestDeploymentController_reconcileNewReplicaSet)', () => {
  const cases: Array<{ name: string; deploymentReplicas: number; maxSurge: IntOrString; oldReplicas: number; newReplicas: number; scaleExpected: boolean; expectedNewReplicas?: number }> = [
    { name: 'should not scale up: no surge, old still full', deploymentReplicas: 10, maxSurge: 0, oldReplicas: 10, newReplicas: 0, scaleExpected: false },
    { name: 'surge 2 over 10 old', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 10, newReplicas: 0, scaleExpected: true, expectedNewReplicas: 2 },
    { name: 'surge 2 over 5 old', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 5, newReplicas: 0, scaleExpected: true, expectedNewReplicas: 7 },
    { name: 'surge already used', deploymentReplicas: 10, maxSurge: 2, oldReplicas: 10, newReplicas: 2, scaleExpected: false },
    { name: 'should scale down to spec.replicas', deploymentReplicas: 2, maxSurge: 2, oldReplicas: 2, newReplicas: 4, scaleExpected: true, expectedNewReplicas: 2 },
  ];
  for (const c of cases) {
    it(`${c.name} (ref: TestDeploymentController_reconcileNewReplicaSet)`, async () => {
      const { dc, actions } = fakeDcContext();
      const newRS = rsOf('foo-v2', c.newReplicas, undefined, undefined);
      const oldRS = rsOf('foo-v1', c.oldReplicas, undefined, undefined);
      const d = newDeployment('foo', c.deploymentReplicas, undefined, c.maxSurge, 0);
      const scaled = await reconcileNewReplicaSet(dc, [newRS, oldRS], newRS, d);
      expect(scaled).toBe(c.scaleExpected);
      if (!c.scaleExpected) {
        expect(actions).toEqual([]);
        return;
      }
      expect((actions[0].obj as { spec: { replicas: number } }).spec.replicas).toBe(c.expectedNewReplicas);
    });
  }
});

describe('reconcileOldReplicaSets (TestDeploymentController_reconcileOldReplicaSets)', () => {
  const cases: Array<{ name: string; deploymentReplicas: number; maxUnavailable: IntOrString; oldReplicas: number; newReplicas: number; readyPodsFromOldRS: number; readyPodsFromNewRS: number; scaleExpected: boolean; expectedOldReplicas?: number }> = [
    { name: 'maxUnavailable 0 and maxSurge 0 resolve to 1 unavailable', deploymentReplicas: 10, maxUnavailable: 0, oldReplicas: 10, newReplicas: 0, readyPodsFromOldRS: 10, readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 9 },
    { name: 'maxUnavailable 2', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyPodsFromOldRS: 10, readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 8 },
    { name: 'unhealthy old replicas are cleaned up', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyPodsFromOldRS: 8, readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 8 },
    { name: 'one unhealthy cleaned up, one ready scaled down', deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyPodsFromOldRS: 9, readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 8 },
    { name: "the new RS's unavailable pods keep the old ones", deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 8, newReplicas: 2, readyPodsFromOldRS: 8, readyPodsFromNewRS: 0, scaleExpected: false },
  ];
  for (const c of cases) {
    it(`${c.name} (ref: TestDeploymentController_reconcileOldReplicaSets)`, async () => {
      const { dc, actions } = fakeDcContext();
      const newRS = rsOf('foo-new', c.newReplicas, { foo: 'new' }, undefined);
      newRS.status = { availableReplicas: c.readyPodsFromNewRS };
      const oldRS = rsOf('foo-old', c.oldReplicas, { foo: 'old' }, undefined);
      oldRS.status = { availableReplicas: c.readyPodsFromOldRS };
      const d = newDeployment('foo', c.deploymentReplicas, undefined, 0, c.maxUnavailable, { foo: 'new' });
      const scaled = await reconcileOldReplicaSets(dc, [oldRS, newRS], [oldRS], newRS, d);
      expect(scaled).toBe(c.scaleExpected);
      if (c.scaleExpected) expect((actions[actions.length - 1].obj as { spec: { replicas: number } }).spec.replicas).toBe(c.expectedOldReplicas);
      else expect(actions).toEqual([]);
    });
  }
});

describe('cleanupUnhealthyReplicas (TestDeploymentController_cleanupUnhealthyReplicas)', () => {
  const cases = [
    { oldReplicas: 10, readyPods: 8, unHealthyPods: 2, maxCleanupCount: 1, cleanupCountExpected: 1 },
    { oldReplicas: 10, readyPods: 8, unHealthyPods: 2, maxCleanupCount: 3, cleanupCountExpected: 2 },
    { oldReplicas: 10, readyPods: 8, unHealthyPods: 2, maxCleanupCount: 0, cleanupCountExpected: 0 },
    { oldReplicas: 10, readyPods: 10, unHealthyPods: 0, maxCleanupCount: 3, cleanupCountExpected: 0 },
  ];
  for (const c of cases) {
    it(`${c.oldReplicas} old, ${c.readyPods} ready, at most ${c.maxCleanupCount}: ${c.cleanupCountExpected} (ref: TestDeploymentController_cleanupUnhealthyReplicas)`, async () => {
      const { dc, actions } = fakeDcContext();
      const oldRS = rsOf('foo-v2', c.oldReplicas, undefined, undefined);
      oldRS.status = { replicas: c.oldReplicas, availableReplicas: c.readyPods };
      const d = newDeployment('foo', 10, undefined, 0, 2);
      const { totalScaledDown } = await cleanupUnhealthyReplicas(dc, [oldRS], d, c.maxCleanupCount);
      expect(totalScaledDown).toBe(c.cleanupCountExpected);
      expect(actions.length).toBe(c.cleanupCountExpected > 0 ? 1 : 0);
    });
  }
});

describe('scaleDownOldReplicaSetsForRollingUpdate (TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate)', () => {
  const cases: Array<{ name: string; deploymentReplicas: number; maxUnavailable: IntOrString; readyPods: number; oldReplicas: number; scaleExpected: boolean; expectedOldReplicas?: number }> = [
    { name: 'maxUnavailable 0 resolves to 1', deploymentReplicas: 10, maxUnavailable: 0, readyPods: 10, oldReplicas: 10, scaleExpected: true, expectedOldReplicas: 9 },
    { name: 'maxUnavailable 2', deploymentReplicas: 10, maxUnavailable: 2, readyPods: 10, oldReplicas: 10, scaleExpected: true, expectedOldReplicas: 8 },
    { name: 'not enough ready pods: cannot scale down', deploymentReplicas: 10, maxUnavailable: 2, readyPods: 8, oldReplicas: 10, scaleExpected: false },
    { name: 'no old replicas', deploymentReplicas: 10, maxUnavailable: 2, readyPods: 10, oldReplicas: 0, scaleExpected: false },
    { name: 'one ready pod', deploymentReplicas: 10, maxUnavailable: 2, readyPods: 1, oldReplicas: 10, scaleExpected: false },
  ];
  for (const c of cases) {
    it(`${c.name} (ref: TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate)`, async () => {
      const { dc, actions } = fakeDcContext();
      const oldRS = rsOf('foo-v2', c.oldReplicas, undefined, undefined);
      oldRS.status = { availableReplicas: c.readyPods };
      const d = newDeployment('foo', c.deploymentReplicas, undefined, 0, c.maxUnavailable);
      await scaleDownOldReplicaSetsForRollingUpdate(dc, [oldRS], [oldRS], d);
      if (!c.scaleExpected) {
        expect(actions).toEqual([]);
        return;
      }
      expect(actions).toHaveLength(1);
      expect((actions[0].obj as { spec: { replicas: number } }).spec.replicas).toBe(c.expectedOldReplicas);
    });
  }
});
