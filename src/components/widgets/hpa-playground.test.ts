import { describe, expect, it } from 'vitest';
import { DEFAULT_HPA, describeResult, parsePods, reconcileOnce } from './hpa-playground';

// Each case follows a replica_calculator_test.go / horizontal_test.go case in shape.
describe('HpaPlayground reconcile', () => {
  it('scales up by ceil(ratio x ready pods): 3 pods at 100% average against 50% -> 6 (TestReplicaCalcScaleUp)', async () => {
    const r = await reconcileOnce(DEFAULT_HPA);
    expect(r.utilization).toBe(100);
    expect(r.calculated).toBe(6);
    expect(r.desired).toBe(6);
    expect(r.rescaleReason).toBe('cpu resource utilization (percentage of request) above target');
    expect(r.conditions.at(-1)).toBe('ScalingLimited False DesiredWithinRange: the desired count is within the acceptable range');
    expect(describeResult(DEFAULT_HPA, r)).toContain('goes from 3 to 6 (SuccessfulRescale "New size: 6; reason: cpu resource utilization (percentage of request) above target")');
  });

  it('inside the tolerance nothing changes (TestReplicaCalcToleranceCM shape): 54% against 50% at 10%', async () => {
    const r = await reconcileOnce({ ...DEFAULT_HPA, utilization: '54' });
    expect(r.calculated).toBe(3);
    expect((await reconcileOnce({ ...DEFAULT_HPA, utilization: '54', tolerancePercent: 5 })).calculated).toBe(4);
  });

  it('max and the legacy scale-up limit cap it (TestConvertDesiredReplicasWithRules)', async () => {
    const capped = await reconcileOnce({ ...DEFAULT_HPA, utilization: '400', maxReplicas: 20 });
    expect(capped.calculated).toBe(24);
    expect(capped.desired).toBe(6);
    expect(capped.conditions.at(-1)).toBe('ScalingLimited True ScaleUpLimit: the desired replica count is increasing faster than the maximum scale rate');
    const max = await reconcileOnce({ ...DEFAULT_HPA, utilization: '400', maxReplicas: 5 });
    expect(max.desired).toBe(5);
    expect(max.conditions.at(-1)).toContain('TooManyReplicas');
    const min = await reconcileOnce({ ...DEFAULT_HPA, utilization: '5', minReplicas: 2 });
    expect([min.calculated, min.desired]).toEqual([1, 2]);
    expect(min.conditions.at(-1)).toContain('TooFewReplicas');
  });

  it('unready pods count as 0% on a scale-up, missing ones as 100% on a scale-down (TestReplicaCalcScaleUpUnreadyLessScale, TestReplicaCalcScaleDownIncludeUnreadyPods shapes)', async () => {
    const unready = await reconcileOnce({ ...DEFAULT_HPA, currentReplicas: 4, utilization: '100, 100, 100, 0*' });
    expect(unready.groups).toEqual({ ready: 3, unready: 1, missing: 0 });
    // Ready alone: ratio 2 of 3 pods -> 6; with the unready pod at 0%: 75%, ratio 1.5 of 4 pods -> 6 as well.
    expect(unready.calculated).toBe(6);
    const missing = await reconcileOnce({ ...DEFAULT_HPA, currentReplicas: 4, utilization: '10, 10, 10, -' });
    expect(missing.groups).toEqual({ ready: 3, unready: 0, missing: 1 });
    // Ready alone: 10%, ratio 0.2; the missing pod at 100% lifts it to 32% (truncated) -> ceil(0.64 x 4) = 3.
    expect(missing.calculated).toBe(3);
  });

  it('the scale-down window keeps the highest recent recommendation (TestNormalizeDesiredReplicas)', async () => {
    const r = await reconcileOnce({ ...DEFAULT_HPA, utilization: '10', recentRecommendation: 3 });
    expect(r.calculated).toBe(1);
    expect(r.desired).toBe(3);
    expect(r.conditions[0]).toContain('ScaleDownStabilized');
  });

  it('out-of-bounds counts and refusals, in the controller\'s words', async () => {
    expect((await reconcileOnce({ ...DEFAULT_HPA, currentReplicas: 12 })).rescaleReason).toBe('Current number of replicas above Spec.MaxReplicas');
    const none = await reconcileOnce({ ...DEFAULT_HPA, utilization: '50*' });
    expect(none.error).toBe('failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)');
    expect(none.conditions[0]).toMatch(/^ScalingActive False FailedGetResourceMetric: the HPA was unable to compute the replica count: /);
    expect(() => parsePods({ currentReplicas: 2, utilization: 'lots' })).toThrow(/is not a utilization/);
    expect(parsePods({ currentReplicas: 3, utilization: '10, 20' }).map((p) => p.utilization)).toEqual([10, 20, 20]);
  });
});
