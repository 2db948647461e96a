import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../../api/discovery/v1';
import { fetchEndpointSlices, newPod, newReconciler, newServiceAndEndpointMeta, newTestClient, node } from './testing/fixtures';

/**
 * Whatever sequence of pod sets a Service goes through, after each reconcile (fed the slices
 * the API server holds, as the controller's informer would): every pod that belongs is in exactly
 * one slice, with its current conditions; no slice holds more than the maximum; slices are at
 * least as few as the endpoints need; a Service with no endpoints keeps exactly one empty slice.
 */
describe('reconciler invariants over random scale-ups, scale-downs and readiness flips', () => {
  it('holds for 25 sequences (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.record({ n: fc.integer({ min: 0, max: 120 }), readyMask: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 4 }),
        async (max, steps) => {
          const client = await newTestClient();
          const [svc] = newServiceAndEndpointMeta('foo', 'test');
          const r = newReconciler(client, [node('node-1')], max);
          const mine = async () => (await fetchEndpointSlices(client, 'test')).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'foo');
          for (const { n, readyMask } of steps) {
            const pods = Array.from({ length: n }, (_, i) => newPod(i, 'test', ((i + readyMask) & 3) !== 0));
            await r.reconcile(svc, pods, await mine());
            const slices: EndpointSlice[] = await mine();
            const names = slices.flatMap((s) => s.endpoints.map((e) => e.targetRef!.name));
            expect(new Set(names).size).toBe(names.length);
            expect([...names].sort()).toEqual(pods.map((p) => p.metadata.name).sort());
            for (const s of slices) {
              expect(s.endpoints.length).toBeLessThanOrEqual(max);
              for (const e of s.endpoints) expect(e.conditions?.ready).toBe(pods.find((p) => p.metadata.name === e.targetRef!.name)!.status!.conditions![0].status === 'True');
            }
            expect(slices.length).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(n / max)));
            if (n === 0) expect(slices.map((s) => s.endpoints.length)).toEqual([0]);
            else expect(slices.every((s) => s.endpoints.length > 0)).toBe(true);
          }
        },
      ),
      { numRuns: 25, seed: 42 },
    );
  }, 60_000);
});
