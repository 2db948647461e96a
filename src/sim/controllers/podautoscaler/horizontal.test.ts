import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimit,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  defaultScaleDownRules,
  defaultScaleUpRules,
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  type HPAScalingRules,
} from './horizontal';

const NOW = 10_000_000;
const MIN = 60_000;

// Upstream test helper generateScalingRules(pods, podsPeriod, percent, percentPeriod, window), selectPolicy Max.
function rules(pods: number, podsPeriod: number, percent: number, percentPeriod: number, window: number): HPAScalingRules {
  const policies: HPAScalingRules['policies'] = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies };
}

describe('convertDesiredReplicasWithRules (ref: TestConvertDesiredReplicasWithRules)', () => {
  const cases: [number, number, number, number, number, string][] = [
    // current, desired, min, max -> replicas, condition
    [5, 7, 3, 8, 7, 'DesiredWithinRange'],
    [3, 1, 2, 8, 2, 'TooFewReplicas'],
    [1, 0, 0, 10, 0, 'DesiredWithinRange'],
    [20, 1000, 1, 10, 10, 'TooManyReplicas'],
    [3, 1000, 1, 2000, calculateScaleUpLimit(3), 'ScaleUpLimit'],
  ];
  for (const [current, desired, min, max, replicas, condition] of cases) {
    it(`${current} -> ${desired} in [${min}, ${max}]: ${replicas} ${condition}`, () => {
      expect(convertDesiredReplicasWithRules(current, desired, min, max)).toMatchObject({ replicas, condition });
    });
  }
  it('the no-behavior scale-up limit is max(2 x current, 4) and carries upstream texts', () => {
    expect([0, 1, 2, 3, 10].map(calculateScaleUpLimit)).toEqual([4, 4, 4, 6, 20]);
    expect(convertDesiredReplicasWithRules(3, 1000, 1, 2000).reason).toBe('the desired replica count is increasing faster than the maximum scale rate');
    expect(convertDesiredReplicasWithRules(3, 1, 2, 8).reason).toBe('the desired replica count is less than the minimum replica count');
    expect(convertDesiredReplicasWithRules(20, 1000, 1, 10).reason).toBe('the desired replica count is more than the maximum replica count');
    expect(convertDesiredReplicasWithRules(5, 7, 3, 8).reason).toBe('the desired count is within the acceptable range');
  });
});

describe('stabilizeRecommendation (ref: TestNormalizeDesiredReplicas, 5 min window)', () => {
  const at = (r: number, minutesAgo: number) => ({ recommendation: r, timestampMs: NOW - minutesAgo * MIN });
  const cases: [string, ReturnType<typeof at>[], number, number, number][] = [
    ['empty log', [], 5, 5, 1],
    ['stabilize', [at(4, 2), at(5, 1)], 3, 5, 3],
    ['no stabilize', [at(1, 2), at(2, 1)], 3, 3, 3],
    ['no stabilize - old recommendations', [at(10, 10), at(9, 9)], 3, 3, 2],
    ['stabilize - old recommendations', [at(10, 10), at(4, 1), at(5, 2), at(9, 9)], 3, 5, 4],
  ];
  for (const [name, recs, desired, expected, logLength] of cases) {
    it(name, () => {
      const r = stabilizeRecommendation(recs, desired, 5 * MIN, NOW);
      expect(r.replicas).toBe(expected);
      expect(r.recommendations).toHaveLength(logLength);
      expect(r.recommendations).toContainEqual({ recommendation: desired, timestampMs: NOW });
    });
  }
  it('does not modify its input', () => {
    const recs = [at(10, 10)];
    stabilizeRecommendation(recs, 3, 5 * MIN, NOW);
    expect(recs).toEqual([at(10, 10)]);
  });
});

describe('ref: TestCalculateScaleUpLimitWithScalingRules / TestCalculateScaleDownLimitWithBehaviors', () => {
  const minRules: HPAScalingRules = {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Min',
    policies: [
      { type: 'Pods', value: 2, periodSeconds: 60 },
      { type: 'Percent', value: 50, periodSeconds: 60 },
    ],
  };
  it('Min policy: the smallest change wins', () => {
    expect(calculateScaleUpLimitWithScalingRules(1, [], [], minRules, NOW)).toBe(2);
    expect(calculateScaleDownLimitWithBehaviors(5, [], [], minRules, NOW)).toBe(3);
  });
  it('No previous events / With previous scale up event: changes in the period are undone first', () => {
    const r = { policies: [{ type: 'Pods' as const, value: 4, periodSeconds: 60 }] };
    expect(calculateScaleUpLimitWithScalingRules(5, [], [], r, NOW)).toBe(9);
    const ev = [{ replicaChange: 2, timestampMs: NOW - 30_000, outdated: false }];
    expect(calculateScaleUpLimitWithScalingRules(5, ev, [], r, NOW)).toBe(7);
    // An event older than the period no longer counts.
    expect(calculateScaleUpLimitWithScalingRules(5, [{ ...ev[0]!, timestampMs: NOW - 90_000 }], [], r, NOW)).toBe(9);
  });
  it('Disabled keeps the current count', () => {
    expect(calculateScaleUpLimitWithScalingRules(5, [], [], { ...minRules, selectPolicy: 'Disabled' }, NOW)).toBe(5);
    expect(calculateScaleDownLimitWithBehaviors(5, [], [], { ...minRules, selectPolicy: 'Disabled' }, NOW)).toBe(5);
  });
});

describe('convertDesiredReplicasWithBehaviorRate (ref: TestScalingWithRules)', () => {
  type C = { name: string; current: number; desired: number; min: number; max: number; up?: HPAScalingRules; down?: HPAScalingRules; replicas: number; reason: string };
  const cases: C[] = [
    { name: 'prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, replicas: 7, reason: 'DesiredWithinRange' },
    { name: 'prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, replicas: 2, reason: 'TooFewReplicas' },
    { name: 'prenormalized desired replicas within range when minReplicas is 0', current: 1, desired: 0, min: 0, max: 10, replicas: 0, reason: 'DesiredWithinRange' },
    { name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit', current: 20, desired: 1000, min: 1, max: 10, replicas: 10, reason: 'TooManyReplicas' },
    { name: 'desired replica count is more than the maximum replica count', current: 100, desired: 1000, min: 100, max: 150, replicas: 150, reason: 'TooManyReplicas' },
    { name: 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies', current: 3, desired: 1000, min: 1, max: 2000, up: rules(0, 0, 1, 60, 0), replicas: 4, reason: 'ScaleUpLimit' },
    { name: 'scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies', current: 1000, desired: 3, min: 3, max: 2000, down: rules(20, 60, 0, 0, 0), replicas: 980, reason: 'ScaleDownLimit' },
    { name: 'scaleUp with default behavior', current: 10, desired: 50, min: 1, max: 1000, replicas: 20, reason: 'ScaleUpLimit' },
    { name: 'scaleUp with pods policy larger than percent policy', current: 10, desired: 500, min: 1, max: 1000, up: rules(100, 60, 100, 60, 0), replicas: 110, reason: 'ScaleUpLimit' },
    { name: 'scaleUp with percent policy larger than pods policy', current: 10, desired: 500, min: 1, max: 1000, up: rules(2, 60, 100, 60, 0), replicas: 20, reason: 'ScaleUpLimit' },
    { name: 'scaleUp with spec MaxReplicas limitation with large pod policy', current: 10, desired: 50, min: 1, max: 1000, up: rules(100, 60, 0, 0, 0), replicas: 50, reason: 'DesiredWithinRange' },
    { name: 'scaleUp with pod policy limitation', current: 10, desired: 50, min: 1, max: 1000, up: rules(30, 60, 0, 0, 0), replicas: 40, reason: 'ScaleUpLimit' },
    { name: 'scaleUp with percent policy limitation', current: 10, desired: 50, min: 1, max: 1000, up: rules(0, 0, 200, 60, 0), replicas: 30, reason: 'ScaleUpLimit' },
    { name: 'scaleDown with percent policy larger than pod policy', current: 100, desired: 2, min: 1, max: 1000, down: rules(20, 60, 1, 60, 300), replicas: 80, reason: 'ScaleDownLimit' },
    { name: 'scaleDown with pod policy larger than percent policy', current: 100, desired: 2, min: 1, max: 1000, down: rules(2, 60, 1, 60, 300), replicas: 98, reason: 'ScaleDownLimit' },
    { name: 'scaleDown with spec MinReplicas limitation with large pod policy', current: 10, desired: 0, min: 1, max: 1000, down: rules(100, 60, 0, 0, 300), replicas: 1, reason: 'TooFewReplicas' },
    { name: 'scaleDown with spec MinReplicas limitation with large percent policy', current: 10, desired: 2, min: 5, max: 1000, down: rules(0, 0, 100, 60, 300), replicas: 5, reason: 'TooFewReplicas' },
    { name: 'scaleDown with pod policy limitation', current: 10, desired: 2, min: 1, max: 1000, down: rules(5, 60, 0, 0, 300), replicas: 5, reason: 'ScaleDownLimit' },
    { name: 'scaleDown with percent policy limitation', current: 10, desired: 5, min: 1, max: 1000, down: rules(0, 0, 50, 60, 300), replicas: 5, reason: 'DesiredWithinRange' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = convertDesiredReplicasWithBehaviorRate({
        scaleUpBehavior: c.up ?? defaultScaleUpRules,
        scaleDownBehavior: c.down ?? defaultScaleDownRules,
        minReplicas: c.min,
        maxReplicas: c.max,
        currentReplicas: c.current,
        desiredReplicas: c.desired,
        scaleUpEvents: [],
        scaleDownEvents: [],
        nowMs: NOW,
      });
      expect({ replicas: r.replicas, reason: r.reason }).toEqual({ replicas: c.replicas, reason: c.reason });
    });
  }
  it('a used-up scale-up budget holds the current count (limit below current is raised to it)', () => {
    const ev = [{ replicaChange: 8, timestampMs: NOW - 10_000, outdated: false }];
    const r = convertDesiredReplicasWithBehaviorRate({
      scaleUpBehavior: rules(4, 60, 0, 0, 0), scaleDownBehavior: defaultScaleDownRules, minReplicas: 1, maxReplicas: 100,
      currentReplicas: 10, desiredReplicas: 30, scaleUpEvents: ev, scaleDownEvents: [], nowMs: NOW,
    });
    expect(r).toEqual({ replicas: 10, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
  });
  it('property: the result always lies in [min, max] when current does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (min, span, desired) => {
        const max = min + span;
        const current = min + Math.floor(span / 2);
        const r = convertDesiredReplicasWithBehaviorRate({
          scaleUpBehavior: defaultScaleUpRules, scaleDownBehavior: defaultScaleDownRules, minReplicas: min, maxReplicas: max,
          currentReplicas: current, desiredReplicas: desired, scaleUpEvents: [], scaleDownEvents: [], nowMs: NOW,
        });
        expect(r.replicas).toBeGreaterThanOrEqual(min);
        expect(r.replicas).toBeLessThanOrEqual(max);
      }),
    );
  });
});

describe('stabilizeRecommendationWithBehaviors', () => {
  const base = { minReplicas: 1, maxReplicas: 100, scaleUpBehavior: rules(4, 15, 0, 0, 60), scaleDownBehavior: rules(0, 0, 100, 15, 300), nowMs: NOW };
  it('scale-down: the highest recommendation in the down window wins', () => {
    const r = stabilizeRecommendationWithBehaviors({ ...base, currentReplicas: 10, desiredReplicas: 3, recommendations: [{ recommendation: 8, timestampMs: NOW - 2 * MIN }] });
    expect(r).toMatchObject({ replicas: 8, reason: 'ScaleDownStabilized' });
    expect(r.recommendations).toHaveLength(2);
  });
  it('scale-up: the lowest recommendation in the up window is the floor', () => {
    const r = stabilizeRecommendationWithBehaviors({ ...base, currentReplicas: 4, desiredReplicas: 12, recommendations: [{ recommendation: 6, timestampMs: NOW - 30_000 }] });
    expect(r).toMatchObject({ replicas: 6, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' });
  });
  it('a sample older than both windows is replaced, not appended', () => {
    const r = stabilizeRecommendationWithBehaviors({ ...base, currentReplicas: 4, desiredReplicas: 12, recommendations: [{ recommendation: 1, timestampMs: NOW - 10 * MIN }] });
    expect(r.replicas).toBe(12);
    expect(r.recommendations).toEqual([{ recommendation: 12, timestampMs: NOW }]);
  });
});
