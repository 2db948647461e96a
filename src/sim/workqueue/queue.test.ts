// Follows client-go util/workqueue/queue_test.go and metrics_test.go at v0.34.0. Goroutines
// become async workers on a FakeClock; `time.Sleep` becomes `await clock.sleep(ms)`.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import { TraceRecorder } from '../core/trace';
import { Fifo } from '../core/fifo';
import { assertInvariants, checkInvariants } from './invariants';
import { newQueue } from './queue';
import { replayWorkqueue } from './replay';
import type { Queue } from './types';

type ShutDownFn = (q: Queue<unknown>) => unknown;
const shutDownVariants: Array<{ how: string; shutDown: ShutDownFn }> = [
  { how: 'shutDown', shutDown: (q) => q.shutDown() },
  { how: 'shutDownWithDrain', shutDown: (q) => q.shutDownWithDrain() },
];

/** Watches that no item is ever processed by two workers at once. */
function inFlight() {
  const now = new Set<unknown>();
  return {
    begin(item: unknown) {
      if (now.has(item)) throw new Error(`${String(item)} handed to two workers at once`);
      now.add(item);
    },
    end(item: unknown) {
      now.delete(item);
    },
  };
}

interface Case {
  name: string;
  ref: string;
  run: () => Promise<void> | void;
}

const cases: Case[] = [
  ...shutDownVariants.map(({ how, shutDown }) => ({
    name: `50 producers and 10 consumers share the queue, then ${how} stops them`,
    ref: 'TestBasic',
    run: async () => {
      const clock = new FakeClock();
      const q = newQueue<unknown>({ clock, trace: new TraceRecorder() });
      const guard = inFlight();
      const lastAdd = new Map<unknown, number>();
      const lastStart = new Map<unknown, number>();
      const producers = Array.from({ length: 50 }, async (_, i) => {
        for (let j = 0; j < 50; j++) {
          q.add(i);
          lastAdd.set(i, clock.now());
          await clock.sleep(1);
        }
      });
      let quits = 0;
      const consumers = Array.from({ length: 10 }, async () => {
        for (;;) {
          const { item, shutdown } = await q.get();
          expect(item).not.toBe('added after shutdown!');
          if (shutdown) {
            quits++;
            return;
          }
          guard.begin(item);
          lastStart.set(item, clock.now());
          await clock.sleep(3);
          guard.end(item);
          q.done(item);
          assertInvariants(q);
        }
      });
      let producersDone = false;
      void Promise.all(producers).then(() => (producersDone = true));
      await runUntilIdle(clock, { until: () => producersDone });
      expect(producersDone).toBe(true);
      void shutDown(q);
      q.add('added after shutdown!');
      await runUntilIdle(clock);
      await Promise.all(consumers);
      expect(quits).toBe(10);
      expect(q.len()).toBe(0);
      // Every item was processed after its last add: no update is lost.
      for (let i = 0; i < 50; i++) expect(lastStart.get(i)!).toBeGreaterThanOrEqual(lastAdd.get(i)!);
    },
  })),
  ...shutDownVariants.map(({ how, shutDown }) => ({
    name: `workers re-add items while processing them, then ${how}`,
    ref: 'TestAddWhileProcessing',
    run: async () => {
      const clock = new FakeClock();
      const q = newQueue<unknown>({ clock });
      const guard = inFlight();
      const processed = new Map<unknown, number>();
      const consumers = Array.from({ length: 10 }, async () => {
        // Every worker re-adds every item up to two times: the dirty-while-processing case.
        const counters = new Map<unknown, number>();
        for (;;) {
          const { item, shutdown } = await q.get();
          if (shutdown) return;
          guard.begin(item);
          processed.set(item, (processed.get(item) ?? 0) + 1);
          const n = (counters.get(item) ?? 0) + 1;
          counters.set(item, n);
          if (n < 2) q.add(item);
          await clock.sleep(1);
          guard.end(item);
          q.done(item);
        }
      });
      for (let i = 0; i < 50; i++) q.add(i);
      await runUntilIdle(clock);
      void shutDown(q);
      await runUntilIdle(clock);
      await Promise.all(consumers);
      expect(q.len()).toBe(0);
      for (let i = 0; i < 50; i++) expect(processed.get(i)).toBeGreaterThanOrEqual(2);
    },
  })),
  {
    name: 'len counts queued items, and a duplicate add does not grow it',
    ref: 'TestLen',
    run: () => {
      const q = newQueue();
      q.add('foo');
      expect(q.len()).toBe(1);
      q.add('bar');
      expect(q.len()).toBe(2);
      q.add('foo'); // should not increase the queue length.
      expect(q.len()).toBe(2);
    },
  },
  {
    name: 'an item added back while processing returns to the queue on done',
    ref: 'TestReinsert',
    run: async () => {
      const q = newQueue();
      q.add('foo');
      const first = await q.get();
      expect(first).toEqual({ item: 'foo', shutdown: false });
      q.add('foo'); // add it back while processing
      expect(q.len()).toBe(0);
      q.done('foo');
      expect(q.len()).toBe(1);
      expect((await q.get()).item).toBe('foo');
      q.done('foo');
      expect(q.len()).toBe(0);
    },
  },
  {
    name: 'an item added twice before get is handed out once (the second add is a Touch)',
    ref: 'TestCollapse',
    run: async () => {
      const trace = new TraceRecorder();
      const q = newQueue({ trace });
      q.add('bar');
      q.add('bar');
      expect((await q.get()).item).toBe('bar');
      q.done('bar');
      expect(q.len()).toBe(0);
      expect(trace.ofType('workqueue.add').map((e) => e.result)).toEqual(['queued', 'deduped']);
    },
  },
  {
    name: 'adds while processing collapse into one re-queue; a second worker waits until done',
    ref: 'TestCollapseWhileProcessing',
    run: async () => {
      const trace = new TraceRecorder();
      const q = newQueue({ trace });
      q.add('foo');
      expect((await q.get()).item).toBe('foo');
      q.add('foo');
      q.add('foo');
      let other: string | undefined;
      const worker = q.get().then(({ item }) => {
        other = item;
        q.done(item!);
      });
      await settle();
      expect(other).toBeUndefined(); // the worker is blocked until we are done
      q.done('foo');
      await worker;
      expect(other).toBe('foo');
      expect(q.len()).toBe(0);
      expect(trace.ofType('workqueue.add').map((e) => e.result)).toEqual(['queued', 'deferred', 'deduped']);
    },
  },
  {
    name: 'shutDownWithDrain waits until every item handed out is done',
    ref: 'TestQueueDrainageUsingShutDownWithDrain',
    run: async () => {
      const q = newQueue();
      q.add('foo');
      q.add('bar');
      const first = (await q.get()).item!;
      const second = (await q.get()).item!;
      let drained = false;
      void q.shutDownWithDrain().then(() => (drained = true));
      expect(await q.get()).toEqual({ item: undefined, shutdown: true });
      await settle();
      expect(drained).toBe(false);
      q.done(first);
      await settle();
      expect(drained).toBe(false);
      q.done(second);
      await settle();
      expect(drained).toBe(true);
    },
  },
  {
    name: 'shutDown returns at once even with items still processing',
    ref: 'TestNoQueueDrainageUsingShutDown',
    run: async () => {
      const q = newQueue();
      q.add('foo');
      q.add('bar');
      await q.get();
      await q.get();
      expect(q.shutDown()).toBeUndefined();
      expect(q.shuttingDown()).toBe(true);
      expect((await q.get()).shutdown).toBe(true);
    },
  },
  {
    name: 'shutDown after shutDownWithDrain ends the drain without done',
    ref: 'TestForceQueueShutdownUsingShutDown',
    run: async () => {
      const q = newQueue();
      q.add('foo');
      q.add('bar');
      await q.get();
      await q.get();
      let drained = false;
      void q.shutDownWithDrain().then(() => (drained = true));
      expect((await q.get()).shutdown).toBe(true);
      await settle();
      expect(drained).toBe(false);
      q.shutDown();
      await settle();
      expect(drained).toBe(true);
    },
  },
  {
    name: 'a dirty item re-queued by done during a drain is still handed out',
    ref: 'TestQueueDrainageUsingShutDownWithDrainWithDirtyItem',
    run: async () => {
      const q = newQueue();
      q.add('foo');
      const gotten = (await q.get()).item!;
      q.add('foo');
      let drained = false;
      void q.shutDownWithDrain().then(() => (drained = true));
      expect((await q.get()).shutdown).toBe(true);
      q.done(gotten);
      // The drain waits only for processing: done's signal finds it empty and the drain ends,
      // though done has just put the dirty item back on the queue.
      await settle();
      expect(drained).toBe(true);
      expect(q.len()).toBe(1);
      // shutdown is false again because done put the item back on the queue
      const again = await q.get();
      expect(again).toEqual({ item: 'foo', shutdown: false });
      q.done(again.item!);
      expect((await q.get()).shutdown).toBe(true);
    },
  },
  {
    name: 'a handed-out item leaves no reference behind in the FIFO storage',
    ref: 'TestGarbageCollection',
    run: () => {
      const fifo = new Fifo<object>();
      const big = { data: 'hello' };
      fifo.push(big);
      fifo.push({});
      expect(fifo.shift()).toBe(big);
      expect(fifo.retained().includes(big)).toBe(false);
      for (let i = 0; i < 5000; i++) fifo.push({ i });
      for (let i = 0; i < 4000; i++) fifo.shift();
      expect(fifo.length).toBe(1001);
      expect(fifo.retained().length).toBeLessThan(5001);
    },
  },
  {
    name: 'metrics: adds, depth, queue and work durations as client-go observes them (µs -> ms)',
    ref: 'TestMetrics',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const q = newQueue({ clock, trace, name: 'test', unfinishedWorkUpdatePeriodMs: 1 });
      const metric = (name: string) => trace.events.filter((e) => e.type === 'workqueue.metric' && e.name === name).map((e) => e.value);
      q.add('foo');
      expect(metric('adds')).toEqual([1]);
      expect(metric('depth')).toEqual([1]);
      clock.step(50);
      const { item } = await q.get();
      expect(item).toBe('foo');
      expect(metric('queue_duration')).toEqual([50]);
      // Add it back while processing; multiple adds of the same item are de-duped.
      for (let i = 0; i < 5; i++) q.add('foo');
      expect(metric('adds').at(-1)).toBe(2);
      expect(metric('depth').at(-1)).toBe(1); // one thing remains in the queue
      clock.step(25);
      q.done('foo');
      expect(metric('work_duration')).toEqual([25]);
      expect(metric('depth').at(-1)).toBe(1);
      await q.get(); // back on the queue
      expect(metric('queue_duration')).toEqual([50, 25]);
      clock.step(1);
      expect(metric('unfinished_work').at(-1)).toBe(1);
      expect(metric('longest_running_processor').at(-1)).toBe(1);
      q.done('foo');
      expect(metric('work_duration')).toEqual([25, 1]);
      q.shutDown();
    },
  },
  {
    name: 'the unfinished-work ticker stops once the queue shuts down',
    ref: 'TestMetricShutdown',
    run: () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const q = newQueue({ clock, trace, unfinishedWorkUpdatePeriodMs: 1 });
      expect(clock.hasWaiters()).toBe(true);
      clock.step(1);
      const updates = () => trace.events.filter((e) => e.name === 'unfinished_work').length;
      expect(updates()).toBe(1);
      q.shutDown();
      clock.step(60 * 60 * 1000);
      expect(updates()).toBe(1);
      expect(clock.hasWaiters()).toBe(false);
    },
  },
];

describe('Queue (ref: client-go util/workqueue/queue_test.go, metrics_test.go)', () => {
  it.each(cases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});

describe('Queue: model behaviour beyond the upstream tests', () => {
  it('serves waiting get() calls in the order they were made, FIFO items first-in first-out', async () => {
    const q = newQueue();
    const got: string[] = [];
    const workers = ['w1', 'w2', 'w3'].map((w) => q.get().then(({ item }) => got.push(`${w}:${item}`)));
    q.add('a');
    q.add('b');
    q.add('c');
    await Promise.all(workers);
    expect(got).toEqual(['w1:a', 'w2:b', 'w3:c']);
  });

  it('keeps handing out queued items after shutDown, then reports shutdown', async () => {
    const trace = new TraceRecorder();
    const q = newQueue({ trace });
    q.add('a');
    q.add('b');
    q.shutDown();
    q.add('c');
    expect(trace.events.at(-1)).toMatchObject({ type: 'workqueue.add', item: 'c', result: 'ignored' });
    expect((await q.get()).item).toBe('a');
    expect((await q.get()).item).toBe('b');
    expect(await q.get()).toEqual({ item: undefined, shutdown: true });
  });

  it('releases every blocked get() with shutdown=true on shutDown', async () => {
    const trace = new TraceRecorder();
    const q = newQueue({ trace });
    const results = Promise.all([q.get(), q.get()]);
    await settle();
    expect(q.snapshot().waiters).toBe(2);
    q.shutDown();
    expect(await results).toEqual([
      { item: undefined, shutdown: true },
      { item: undefined, shutdown: true },
    ]);
    expect(trace.ofType('workqueue.waiters').map((e) => e.count)).toEqual([1, 2, 0]);
  });

  it('shutDownWithDrain resolves at once when nothing is processing, even with items queued', async () => {
    const q = newQueue();
    q.add('a');
    let drained = false;
    await q.shutDownWithDrain().then(() => (drained = true));
    expect(drained).toBe(true);
    expect(q.len()).toBe(1);
  });

  it('done for an item that was never handed out re-queues it when dirty, as upstream does', async () => {
    const trace = new TraceRecorder();
    const q = newQueue({ trace });
    q.add('x');
    q.done('x');
    expect(q.len()).toBe(2);
    expect(checkInvariants(q)).toEqual(['an item is queued at most once: "x" appears more than once in queue']);
    expect(trace.events.find((e) => e.type === 'workqueue.done')).toMatchObject({ wasProcessing: false, requeued: true, workMs: 0 });
    expect(replayWorkqueue(trace.events).queues[0].queue).toEqual(['x', 'x']);
  });

  it('done for an item never added changes nothing and does not end a drain while others process (ref: Typed.Done)', async () => {
    const trace = new TraceRecorder();
    const q = newQueue({ trace });
    q.add('a');
    await q.get();
    let drained = false;
    void q.shutDownWithDrain().then(() => (drained = true));
    q.done('ghost');
    await settle();
    expect(drained).toBe(false);
    expect(q.snapshot()).toMatchObject({ queue: [], dirty: [], processing: ['a'] });
    expect(trace.ofType('workqueue.done').at(-1)).toMatchObject({ item: 'ghost', wasProcessing: false, requeued: false });
    q.done('a');
    await settle();
    expect(drained).toBe(true);
    q.done('ghost'); // after the drain too: nothing to do
    expect(q.snapshot()).toMatchObject({ queue: [], dirty: [], processing: [] });
  });

  it('names unnamed queues per trace: queue, queue-2, queue-3', () => {
    const trace = new TraceRecorder();
    expect([newQueue({ trace }).name, newQueue({ trace }).name, newQueue({ trace, name: 'x' }).name, newQueue({ trace }).name]).toEqual([
      'queue',
      'queue-2',
      'x',
      'queue-3',
    ]);
    expect(newQueue({ trace: new TraceRecorder() }).name).toBe('queue');
    expect(newQueue().name).toBe('queue');
  });

  it('makes its own frozen clock when none is given', () => {
    const q = newQueue();
    expect(q.clock).toBeInstanceOf(FakeClock);
    expect(q.clock.now()).toBe(0);
  });
});
