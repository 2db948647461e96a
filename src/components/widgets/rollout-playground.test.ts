import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLLOUT, parseIntOrString, planRollout, validateFenceposts, type RolloutRow } from './rollout-playground';
import { resolveFenceposts } from '../../sim/index';

const counts = (rows: RolloutRow[]) => rows.map((r) => `${r.old.replicas}/${r.new.replicas}`);

// The steps are the Deployment controller's own moves (reconcileNewReplicaSet, reconcileOldReplicaSets).
describe('RolloutPlayground plan', () => {
  it('4 replicas, surge 1, unavailable 1: one move per sync, as rolling.go (rolloutRolling) makes them', async () => {
    const plan = await planRollout(DEFAULT_ROLLOUT);
    expect(plan.outcome).toBe('complete');
    expect([plan.surge, plan.unavailable]).toEqual([1, 1]);
    expect(plan.rows.map((r) => r.actor)).toEqual(['start', 'controller', 'controller', 'controller', 'pods', 'controller', 'controller', 'pods', 'controller']);
    expect(counts(plan.rows)).toEqual(['4/0', '4/1', '3/1', '3/2', '3/2', '1/2', '1/4', '1/4', '0/4']);
    // The controller's ScalingReplicaSet Event texts (sync.go scaleReplicaSet).
    expect(plan.rows[1].what).toBe('Scaled up replica set web-new from 0 to 1');
    expect(plan.rows[2].what).toBe('Scaled down replica set web-old from 4 to 3');
  });

  it('never leaves the band [replicas - maxUnavailable available, replicas + maxSurge pods] (the issue 13 property)', async () => {
    for (const [replicas, s, u] of [[10, '25%', '25%'], [3, '25%', '25%'], [10, '0', '25%'], [7, '3', '0'], [5, '1%', '1%'], [1, '0', '1']] as const) {
      const plan = await planRollout({ replicas, maxSurge: s, maxUnavailable: u, newPodsBecomeReady: true });
      const f = resolveFenceposts(parseIntOrString(s), parseIntOrString(u), replicas);
      expect([plan.surge, plan.unavailable]).toEqual([f.surge, f.unavailable]);
      expect(plan.outcome).toBe('complete');
      for (const r of plan.rows) {
        expect(r.old.replicas + r.new.replicas).toBeLessThanOrEqual(replicas + f.surge);
        expect(r.old.available + r.new.available).toBeGreaterThanOrEqual(replicas - Math.min(f.unavailable, replicas));
      }
    }
  });

  it('a crash-looping template holds the old pods: with surge 1, unavailable 1, old stays at 3 (kubernetes#16737)', async () => {
    const plan = await planRollout({ ...DEFAULT_ROLLOUT, newPodsBecomeReady: false });
    expect(plan.outcome).toBe('stuck');
    expect(counts(plan.rows).at(-1)).toBe('3/2');
    expect(plan.rows.at(-1)!.old.available).toBe(3);
  });

  it('surge 0: the new ReplicaSet grows only after old pods went', async () => {
    const plan = await planRollout({ replicas: 10, maxSurge: '0', maxUnavailable: '25%', newPodsBecomeReady: true });
    expect([plan.surge, plan.unavailable]).toEqual([0, 2]);
    expect(counts(plan.rows).slice(0, 3)).toEqual(['10/0', '8/0', '8/2']);
  });

  it('the API server refuses what validation refuses, in its words', () => {
    expect(validateFenceposts(0, '0%')).toBe('The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0');
    expect(validateFenceposts(1, '150%')).toBe('The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%');
    expect(validateFenceposts(-1, 1)).toBe('The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0');
    expect(validateFenceposts('two', 1)).toMatch(/^The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: "two": a valid percent string must be a numeric string followed by an ending '%'/);
    expect(validateFenceposts('25%', '25%')).toBeUndefined();
  });

  it('a refused value gives no rows, and the same input always gives the same plan', async () => {
    const bad = await planRollout({ ...DEFAULT_ROLLOUT, maxSurge: '0', maxUnavailable: '0' });
    expect(bad.rows).toEqual([]);
    expect(bad.error).toContain('may not be 0 when `maxSurge` is 0');
    expect(await planRollout(DEFAULT_ROLLOUT)).toEqual(await planRollout(DEFAULT_ROLLOUT));
  });
});
