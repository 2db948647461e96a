import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOrderedReadyRun, converge, makeSet, setupStatefulSetCluster, updateSpec } from './testing';

const run = fc
  .record({ seed: fc.integer({ min: 1, max: 1_000_000 }), replicas: fc.integer({ min: 2, max: 5 }), readyDelaysMs: fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 5, maxLength: 5 }) })
  .chain((r) => fc.record({ seed: fc.constant(r.seed), replicas: fc.constant(r.replicas), readyDelaysMs: fc.constant(r.readyDelaysMs), scaleTo: fc.integer({ min: 0, max: r.replicas - 1 }) }));

// 12 runs keep the file fast; longer fuzzing: fc.assert(fc.asyncProperty(run, ...checkOrderedReadyRun...), { numRuns: 1000 }).
describe('OrderedReady management (pkg/controller/statefulset, property)', () => {
  it('never creates pod N before pods 0..N-1 are Running and Ready, and scales down from the highest ordinal', async () => {
    await fc.assert(
      fc.asyncProperty(run, async (r) => {
        expect(await checkOrderedReadyRun(r)).toEqual([]);
      }),
      { numRuns: 12, seed: 13 },
    );
  });

  it('the same seed gives the same trace, byte for byte', async () => {
    const once = async () => {
      const h = await setupStatefulSetCluster(21);
      await h.create(makeSet({ replicas: 3 }));
      await converge(h);
      await updateSpec(h, (s) => (s.template.spec.containers[0].image = 'nginx:1.28'));
      await converge(h);
      h.ctrl.stop();
      return JSON.stringify(h.trace.events.filter((e) => e.component === 'statefulset'));
    };
    const a = await once();
    expect(a.length).toBeGreaterThan(1000);
    expect(await once()).toBe(a);
  });
});
