// Properties of the workqueue model over random operation sequences (fast-check prints the
// seed and the shrunk sequence on failure; rerun with `fc.assert(..., { seed, path })`):
// 1. the invariants hold after every operation;
// 2. the model agrees with a naive oracle written here from the upstream semantics;
// 3. replaying the trace gives the live snapshot at every operation boundary;
// 4. the same operations (or the same seed) give byte-identical traces.
import fc from 'fast-check';
import { runs } from './fuzz';
import { describe, expect, it } from 'vitest';
import {
  FakeClock,
  TraceRecorder,
  checkInvariants,
  newItemExponentialFailureRateLimiter,
  newRateLimitingQueue,
  replayWorkqueue,
  rngFromSeed,
  runUntilIdle,
  settle,
  type GetResult,
  type QueueSnapshot,
  type RateLimitingQueue,
} from '../../src/sim/index';

const ITEMS = ['a', 'b', 'c', 'd'] as const;
const BASE_MS = 5;
const MAX_MS = 40;

type Op =
  | { kind: 'add'; item: string }
  | { kind: 'get' }
  | { kind: 'done'; pick: number }
  | { kind: 'addAfter'; item: string; delay: number }
  | { kind: 'step'; ms: number }
  | { kind: 'addRateLimited'; item: string }
  | { kind: 'forget'; item: string }
  | { kind: 'shutDown' }
  | { kind: 'shutDownWithDrain' };

const item = fc.constantFrom(...ITEMS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), item }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('get' as const) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('done' as const), pick: fc.nat(7) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('addAfter' as const), item, delay: fc.integer({ min: -2, max: 50 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('step' as const), ms: fc.integer({ min: 0, max: 60 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('addRateLimited' as const), item }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('forget' as const), item }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('shutDown' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('shutDownWithDrain' as const) }) },
);
const opsArb = fc.array(opArb, { maxLength: 60 });

/**
 * The oracle: the same semantics as client-go's Typed + delayingType + rateLimitingType with an
 * exponential limiter, written as plainly as possible (arrays, linear scans, no heap, no timers).
 */
class Oracle {
  now = 0;
  queue: string[] = [];
  dirty: string[] = [];
  processing: string[] = [];
  waiting: Array<{ item: string; readyAtMs: number; seq: number }> = [];
  seq = 0;
  getters: number[] = [];
  drainers: number[] = [];
  shuttingDown = false;
  drain = false;
  stopped = false;
  failures = new Map<string, number>();
  requeues: Record<string, number> = {};
  lastDelayMs: Record<string, number> = {};
  metrics = { depth: 0, adds: 0, retries: 0 };
  /** What each get() (by call number) resolves to, and which drains (by call number) ended. */
  delivered = new Map<number, GetResult<string>>();
  drained = new Set<number>();

  add(x: string): void {
    if (this.shuttingDown || this.dirty.includes(x)) return;
    this.metrics.adds++;
    this.metrics.depth++;
    this.dirty.push(x);
    if (this.processing.includes(x)) return;
    this.queue.push(x);
    this.handOff();
  }

  get(id: number): void {
    if (this.queue.length > 0) this.delivered.set(id, this.pop());
    else if (this.shuttingDown) this.delivered.set(id, { item: undefined, shutdown: true });
    else this.getters.push(id);
  }

  done(x: string): void {
    this.processing = this.processing.filter((p) => p !== x);
    if (this.dirty.includes(x)) {
      this.queue.push(x);
      this.handOff();
    }
    if (this.processing.length === 0) this.endDrains();
  }

  addAfter(x: string, delay: number): void {
    if (this.shuttingDown) return;
    this.metrics.retries++;
    if (delay <= 0) return this.add(x);
    const readyAtMs = this.now + delay;
    const existing = this.waiting.find((w) => w.item === x);
    if (!existing) this.waiting.push({ item: x, readyAtMs, seq: this.seq++ });
    else if (readyAtMs < existing.readyAtMs) existing.readyAtMs = readyAtMs;
  }

  step(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const ready = this.sortedWaiting().filter((w) => w.readyAtMs <= target);
      if (ready.length === 0 || this.shuttingDown) break;
      const next = ready[0];
      this.now = next.readyAtMs;
      this.waiting = this.waiting.filter((w) => w !== next);
      this.add(next.item);
    }
    this.now = target;
  }

  addRateLimited(x: string): void {
    const failures = this.failures.get(x) ?? 0;
    this.failures.set(x, failures + 1);
    const delay = Math.min(BASE_MS * 2 ** failures, MAX_MS);
    this.requeues[x] = failures + 1;
    this.lastDelayMs[x] = delay;
    this.addAfter(x, delay);
  }

  forget(x: string): void {
    this.failures.delete(x);
    delete this.requeues[x];
    delete this.lastDelayMs[x];
  }

  shutDown(): void {
    if (this.stopped) return; // the delaying queue's stopOnce
    this.stopped = true;
    this.drain = false;
    this.stopLoops();
    this.drainers.forEach((id) => this.drained.add(id));
    this.drainers = [];
  }

  shutDownWithDrain(id: number): void {
    this.drain = true;
    this.stopLoops();
    if (this.processing.length === 0) this.drained.add(id);
    else this.drainers.push(id);
  }

  snapshot(): Omit<QueueSnapshot, 'name'> {
    return {
      queue: [...this.queue],
      dirty: [...this.dirty],
      processing: [...this.processing],
      waiting: this.sortedWaiting().map(({ item, readyAtMs }) => ({ item, readyAtMs })),
      requeues: { ...this.requeues },
      lastDelayMs: { ...this.lastDelayMs },
      waiters: this.getters.length,
      shuttingDown: this.shuttingDown,
      metrics: { ...this.metrics },
    };
  }

  private stopLoops(): void {
    this.shuttingDown = true;
    this.waiting = [];
    this.getters.forEach((id) => this.delivered.set(id, { item: undefined, shutdown: true }));
    this.getters = [];
  }

  private endDrains(): void {
    if (this.drain && this.processing.length > 0) return;
    this.drainers.forEach((id) => this.drained.add(id));
    this.drainers = [];
  }

  private pop(): GetResult<string> {
    const x = this.queue.shift()!;
    this.processing.push(x);
    this.dirty = this.dirty.filter((d) => d !== x);
    this.metrics.depth--;
    return { item: x, shutdown: false };
  }

  private handOff(): void {
    if (this.getters.length > 0 && this.queue.length > 0) this.delivered.set(this.getters.shift()!, this.pop());
  }

  private sortedWaiting() {
    return [...this.waiting].sort((a, b) => a.readyAtMs - b.readyAtMs || a.seq - b.seq);
  }
}

interface Run {
  trace: TraceRecorder;
  q: RateLimitingQueue<string>;
  oracle: Oracle;
  delivered: Map<number, GetResult<string>>;
  drained: Set<number>;
}

/** Applies `ops` to a fresh queue and oracle, checking properties 1–3 after every op. */
async function runOps(ops: Op[], check: boolean): Promise<Run> {
  const clock = new FakeClock();
  const trace = new TraceRecorder();
  const q = newRateLimitingQueue<string>(newItemExponentialFailureRateLimiter(BASE_MS, MAX_MS), { clock, trace, name: 'prop' });
  const oracle = new Oracle();
  const delivered = new Map<number, GetResult<string>>();
  const drained = new Set<number>();
  let calls = 0;
  for (const op of ops) {
    const id = calls++;
    switch (op.kind) {
      case 'add':
        q.add(op.item);
        oracle.add(op.item);
        break;
      case 'get':
        void q.get().then((r) => delivered.set(id, r));
        oracle.get(id);
        break;
      case 'done': {
        if (oracle.processing.length === 0) break;
        const x = oracle.processing[op.pick % oracle.processing.length];
        q.done(x);
        oracle.done(x);
        break;
      }
      case 'addAfter':
        q.addAfter(op.item, op.delay);
        oracle.addAfter(op.item, op.delay);
        break;
      case 'step':
        clock.step(op.ms);
        oracle.step(op.ms);
        break;
      case 'addRateLimited':
        q.addRateLimited(op.item);
        oracle.addRateLimited(op.item);
        break;
      case 'forget':
        q.forget(op.item);
        oracle.forget(op.item);
        break;
      case 'shutDown':
        q.shutDown();
        oracle.shutDown();
        break;
      case 'shutDownWithDrain':
        void q.shutDownWithDrain().then(() => drained.add(id));
        oracle.shutDownWithDrain(id);
        break;
    }
    if (!check) continue;
    const live = q.snapshot();
    const where = `after op ${id} ${JSON.stringify(op)}`;
    expect(checkInvariants(q), where).toEqual([]);
    expect(live, where).toEqual({ name: 'prop', ...oracle.snapshot() });
    expect(replayWorkqueue(trace.events).queues, where).toEqual([live]);
    expect(q.numRequeues('a'), where).toBe(oracle.failures.get('a') ?? 0);
  }
  await settle();
  return { trace, q, oracle, delivered, drained };
}

describe('workqueue properties over random operation sequences', () => {
  it('keeps its invariants, matches the oracle and replays exactly after every operation', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        const run = await runOps(ops, true);
        expect(run.delivered).toEqual(run.oracle.delivered);
        expect(run.drained).toEqual(run.oracle.drained);
      }),
      { numRuns: runs(400) },
    );
  });

  it('replays every prefix of the trace, even mid-call, into a state that keeps the per-event invariants', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        const { trace } = await runOps(ops, false);
        for (let n = 0; n <= trace.events.length; n++) {
          const snap = replayWorkqueue(trace.events, n);
          for (const queue of snap.queues) expect(checkInvariants(queue, { afterEveryEvent: true }), `prefix ${n}`).toEqual([]);
        }
      }),
      { numRuns: runs(100) },
    );
  });

  it('gives byte-identical traces for the same operations', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        const a = await runOps(ops, false);
        const b = await runOps(ops, false);
        expect(JSON.stringify(b.trace.events)).toBe(JSON.stringify(a.trace.events));
      }),
      { numRuns: runs(100) },
    );
  });
});

/**
 * A controller-like run decided by a seed: producers add keys at random times, workers take
 * random time and fail at random (addRateLimited) or succeed (forget).
 */
async function seededRun(seed: number): Promise<string> {
  const rng = rngFromSeed(seed);
  const clock = new FakeClock();
  const trace = new TraceRecorder();
  const q = newRateLimitingQueue<string>(newItemExponentialFailureRateLimiter(5, 1000), { clock, trace, name: 'seeded' });
  const producer = (async () => {
    const r = rng.fork('producer');
    for (let i = 0; i < 40; i++) {
      q.add(`key-${r.int(6)}`);
      await clock.sleep(r.int(20));
    }
    await clock.sleep(2000);
    await q.shutDownWithDrain();
  })();
  const workers = Array.from({ length: 3 }, async (_, w) => {
    const r = rng.fork(`worker-${w}`);
    for (;;) {
      const { item, shutdown } = await q.get();
      if (shutdown) return;
      await clock.sleep(1 + r.int(30));
      if (r.chance(0.3)) q.addRateLimited(item);
      else q.forget(item);
      q.done(item);
      expect(checkInvariants(q)).toEqual([]);
    }
  });
  await runUntilIdle(clock, { forMs: 60_000 });
  await Promise.all([producer, ...workers]);
  return JSON.stringify(trace.events);
}

describe('seeded runs', () => {
  it('the same seed gives the same trace, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const first = await seededRun(seed);
        expect(await seededRun(seed)).toBe(first);
      }),
      { numRuns: runs(20) },
    );
  });

  it('different seeds explore different schedules', async () => {
    const traces = new Set<string>();
    for (const seed of [1, 2, 3, 4]) traces.add(await seededRun(seed));
    expect(traces.size).toBe(4);
  });
});
