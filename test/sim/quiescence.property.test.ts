// Quiescence by construction (issue 7, finding 1): the core knows the simulation is idle whether
// or not anything records it. Before, settle() watched trace events: a queue of 3,000 items with
// two `await null` per item was fully handled after settle() with a recorder and 21 items were
// without; runUntilIdle moved the clock past a 50 ms addAfter while most work was still queued.
// Now both programs below give the same result with and without a recorder, and random programs
// (workers with random continuation chains, timed adds, delays, rate-limited retries, sleeps)
// give identical observations either way.
import fc from 'fast-check';
import { runs } from './fuzz';
import { describe, expect, it } from 'vitest';
import {
  FakeClock,
  TraceRecorder,
  newDelayingQueue,
  newItemExponentialFailureRateLimiter,
  newQueue,
  newRateLimitingQueue,
  rngFromSeed,
  runUntilIdle,
  settle,
} from '../../src/sim/index';
import { setActiveTrace } from '../../src/sim/runtime';

async function withRecorder<T>(record: boolean, fn: (trace: TraceRecorder | undefined) => Promise<T>): Promise<T> {
  const trace = record ? new TraceRecorder() : undefined;
  const previous = setActiveTrace(trace);
  try {
    return await fn(trace);
  } finally {
    setActiveTrace(previous);
  }
}

describe('the findings, reproduced', () => {
  it('settle(): 3,000 items with two awaits each are all handled, recorded or not', async () => {
    for (const record of [true, false]) {
      const handled = await withRecorder(record, async () => {
        const q = newQueue<number>();
        for (let i = 0; i < 3000; i++) q.add(i);
        let n = 0;
        void (async () => {
          for (;;) {
            const { item, shutdown } = await q.get();
            if (shutdown) return;
            await null;
            await null;
            n++;
            q.done(item);
          }
        })();
        await settle();
        q.shutDown();
        return n;
      });
      expect(handled, `recorder: ${record}`).toBe(3000);
    }
  });

  it('runUntilIdle() moves the clock to an addAfter 50 ms out only once the queued work is done', async () => {
    for (const record of [true, false]) {
      const order = await withRecorder(record, async () => {
        const clock = new FakeClock();
        const q = newDelayingQueue<string>({ clock });
        for (let i = 0; i < 2000; i++) q.add(`k${i}`);
        q.addAfter('late', 50);
        const seen: string[] = [];
        void (async () => {
          for (;;) {
            const { item, shutdown } = await q.get();
            if (shutdown) return;
            await null;
            await null;
            seen.push(`${item}@${clock.now()}`);
            q.done(item);
          }
        })();
        await runUntilIdle(clock);
        q.shutDown();
        return seen;
      });
      expect(order.length, `recorder: ${record}`).toBe(2001);
      expect(order.slice(0, 2000).every((s) => s.endsWith('@0')), `recorder: ${record}`).toBe(true);
      expect(order[2000]).toBe('late@50');
    }
  });
});

/** A random program: workers, continuation chains, timed adds, delays, failures, sleeps. */
interface Program {
  workers: number;
  items: Array<{ key: string; atMs: number; awaits: number; failures: number; delayMs: number }>;
  sleepers: Array<{ ms: number; awaits: number }>;
  stepAfterMs: number;
}

const programArb: fc.Arbitrary<Program> = fc.record({
  workers: fc.integer({ min: 1, max: 4 }),
  items: fc.array(
    fc.record({
      key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      atMs: fc.integer({ min: 0, max: 200 }),
      awaits: fc.integer({ min: 0, max: 300 }),
      failures: fc.integer({ min: 0, max: 3 }),
      delayMs: fc.integer({ min: 0, max: 80 }),
    }),
    { maxLength: 25 },
  ),
  sleepers: fc.array(fc.record({ ms: fc.integer({ min: 0, max: 150 }), awaits: fc.integer({ min: 0, max: 500 }) }), { maxLength: 4 }),
  stepAfterMs: fc.integer({ min: 0, max: 100 }),
});

/** Runs `p` and returns everything it observed, in order, with the virtual time of each step. */
async function runProgram(p: Program, seed: number): Promise<string[]> {
  const log: string[] = [];
  const clock = new FakeClock();
  const rng = rngFromSeed(seed);
  const q = newRateLimitingQueue<string>(newItemExponentialFailureRateLimiter(5, 40), { clock });
  const failuresLeft = new Map<string, number>();
  for (const it of p.items) {
    clock.afterFunc(it.atMs, () => {
      failuresLeft.set(it.key, it.failures);
      if (it.delayMs > 0) q.addAfter(it.key, it.delayMs);
      else q.add(it.key);
      log.push(`t=${clock.now()} add ${it.key}`);
    });
  }
  const awaitsOf = new Map(p.items.map((it) => [it.key, it.awaits]));
  const workers = Array.from({ length: p.workers }, async (_, w) => {
    for (;;) {
      const { item, shutdown } = await q.get();
      if (shutdown) return;
      const chain = (awaitsOf.get(item) ?? 0) + rng.int(5);
      for (let i = 0; i < chain; i++) await null;
      const left = failuresLeft.get(item) ?? 0;
      if (left > 0) {
        failuresLeft.set(item, left - 1);
        q.addRateLimited(item);
        log.push(`t=${clock.now()} w${w} fail ${item}`);
      } else {
        q.forget(item);
        log.push(`t=${clock.now()} w${w} ok ${item}`);
      }
      q.done(item);
    }
  });
  for (const s of p.sleepers) {
    void (async () => {
      await clock.sleep(s.ms);
      for (let i = 0; i < s.awaits; i++) await null;
      log.push(`t=${clock.now()} woke after ${s.ms}`);
    })();
  }
  await settle();
  log.push(`settled t=${clock.now()} len=${q.len()}`);
  clock.step(p.stepAfterMs);
  await runUntilIdle(clock, { forMs: 10_000 });
  log.push(`idle t=${clock.now()} ${JSON.stringify(q.snapshot())}`);
  q.shutDown();
  await Promise.all(workers);
  return log;
}

describe('results are identical with and without a recorder', () => {
  it('random programs observe the same thing either way', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, fc.integer({ min: 1, max: 1_000_000 }), async (p, seed) => {
        const recorded = await withRecorder(true, () => runProgram(p, seed));
        const unrecorded = await withRecorder(false, () => runProgram(p, seed));
        expect(unrecorded).toEqual(recorded);
        // Every key was eventually handled successfully, and nothing was handled before it was added.
        for (const key of new Set(p.items.map((i) => i.key))) {
          const ok = recorded.findIndex((l) => l.endsWith(` ok ${key}`));
          expect(ok, `key ${key}`).toBeGreaterThan(recorded.findIndex((l) => l.endsWith(` add ${key}`)));
        }
      }),
      { numRuns: runs(60) },
    );
  });
});
