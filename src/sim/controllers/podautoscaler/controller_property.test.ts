import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCase } from './testing/harness';

describe('HPA controller properties', () => {
  it('property: one reconcile keeps the target inside [min, max] and within the legacy rate limit (normalizeDesiredReplicas)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 10, max: 150 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 6, maxLength: 6 }),
        async (min, span, spec, target, levels) => {
          const max = min + span;
          const h = await runCase({ minReplicas: min, maxReplicas: max, specReplicas: spec, CPUTarget: target, reportedLevels: levels.slice(0, spec), reportedCPURequests: Array.from({ length: spec }, () => 1000), recommendations: [] });
          await h.run();
          const desired = (await h.hpa()).status?.desiredReplicas ?? -1;
          const replicas = await h.replicas();
          h.ctrl.stop();
          expect(desired).toBe(replicas);
          expect(replicas).toBeGreaterThanOrEqual(Math.min(min, Math.max(spec, min)));
          expect(replicas).toBeLessThanOrEqual(max);
          if (spec >= min && spec <= max) expect(replicas).toBeLessThanOrEqual(Math.max(2 * spec, 4));
        },
      ),
      { numRuns: 25, seed: 13 },
    );
  });
});
