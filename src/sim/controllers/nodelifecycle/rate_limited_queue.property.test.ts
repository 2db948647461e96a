// Properties of the eviction queue (scheduler/rate_limited_queue.go): however nodes are added and
// time passes, no more than burst + qps x window nodes are processed in any window, each value is
// processed at most once until removed, and values come out in the order they became due.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { RateLimitedTimedQueue } from './rate_limited_queue';

describe('RateLimitedTimedQueue (property)', () => {
  it('respects the token bucket and processes each value once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0.1, 0.5, 1, 0.01),
        fc.array(fc.record({ add: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }), stepMs: fc.integer({ min: 0, max: 20_000 }) }), { minLength: 1, maxLength: 40 }),
        async (qps, steps) => {
          const clock = new FakeClock();
          const q = new RateLimitedTimedQueue(clock, qps);
          const processed: { value: string; t: number; addedAtMs: number }[] = [];
          for (const st of steps) {
            for (const n of st.add) q.add(`node${n}`, `${n}`);
            await q.try(async (v) => {
              processed.push({ value: v.value, t: clock.now(), addedAtMs: v.addedAtMs });
              return [true, 0];
            });
            clock.step(st.stepMs);
          }
          // Rate: any window [a, a + w] holds at most 1 + qps * w / 1000 items.
          for (let i = 0; i < processed.length; i++) {
            for (let j = i; j < processed.length; j++) {
              const w = processed[j].t - processed[i].t;
              expect(j - i + 1).toBeLessThanOrEqual(1 + Math.floor((qps * w) / 1000 + 1e-9));
            }
          }
          // Once: nothing was removed, so no value comes out twice.
          expect(new Set(processed.map((p) => p.value)).size).toBe(processed.length);
          // Order: by the time they were added (processAt = addedAt here).
          for (let i = 1; i < processed.length; i++) expect(processed[i].addedAtMs).toBeGreaterThanOrEqual(processed[i - 1].addedAtMs);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});
