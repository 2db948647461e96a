// Follows client-go util/workqueue/delaying_queue_test.go at v0.34.0. Upstream polls
// (`waitForAdded`, `waitForWaitingQueueToFill`) for its goroutine; here a step of the FakeClock
// has done everything due by the time it returns.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { settle } from '../core/drive';
import { UsageError } from '../core/errors';
import { TraceRecorder } from '../core/trace';
import { INF_DURATION_MS } from './default_rate_limiters';
import { newDelayingQueue } from './delaying_queue';
import { assertInvariants } from './invariants';
import { replayWorkqueue } from './replay';

function setup(name: string) {
  const clock = new FakeClock();
  const trace = new TraceRecorder();
  const q = newDelayingQueue<string>({ clock, trace, name });
  const waiting = () => q.snapshot().waiting.length;
  return { clock, trace, q, waiting };
}

const cases = [
  {
    name: 'an item added with a delay appears once the delay has passed, and only once',
    ref: 'TestSimpleQueue',
    run: async () => {
      const { clock, q, waiting } = setup('test-simple');
      q.addAfter('foo', 50);
      expect(waiting()).toBe(1);
      expect(q.len()).toBe(0); // should not have added
      clock.step(60);
      expect(q.len()).toBe(1);
      expect(waiting()).toBe(0);
      const { item } = await q.get();
      q.done(item!);
      clock.step(10_000); // step past the next heartbeat
      expect(q.len()).toBe(0);
    },
  },
  {
    name: 'a second addAfter keeps the earlier ready time',
    ref: 'TestDeduping',
    run: async () => {
      const { clock, q, waiting, trace } = setup('test-dedupe');
      q.addAfter('foo', 50);
      q.addAfter('foo', 70);
      expect(waiting()).toBe(1);
      expect(q.len()).toBe(0);
      // step past the first block, we should receive now
      clock.step(60);
      expect(q.len()).toBe(1);
      expect(waiting()).toBe(0);
      q.done((await q.get()).item!);
      // step past the second add
      clock.step(20);
      expect(q.len()).toBe(0);
      // test again, but this time the earlier should override
      q.addAfter('foo', 50);
      q.addAfter('foo', 30);
      expect(waiting()).toBe(1);
      expect(q.len()).toBe(0);
      clock.step(40);
      expect(q.len()).toBe(1);
      expect(waiting()).toBe(0);
      q.done((await q.get()).item!);
      clock.step(20);
      expect(q.len()).toBe(0);
      expect(trace.ofType('workqueue.addAfter').map((e) => [e.result, e.readyAtMs])).toEqual([
        ['waiting', 50],
        ['kept', 50],
        ['waiting', 130],
        ['updated', 110],
      ]);
    },
  },
  {
    name: 'a shorter delay added later fires first',
    ref: 'TestAddTwoFireEarly',
    run: async () => {
      const { clock, q, waiting } = setup('test-addtwofireeearly');
      q.addAfter('foo', 1000);
      q.addAfter('bar', 50);
      expect(waiting()).toBe(2);
      expect(q.len()).toBe(0);
      clock.step(60);
      expect(q.len()).toBe(1);
      expect(waiting()).toBe(1);
      expect((await q.get()).item).toBe('bar');
      q.addAfter('baz', 2000);
      clock.step(1000);
      expect(q.len()).toBe(1);
      expect(waiting()).toBe(1);
      expect((await q.get()).item).toBe('foo');
      clock.step(2000);
      expect(q.len()).toBe(1);
      expect(waiting()).toBe(0);
      expect((await q.get()).item).toBe('baz');
    },
  },
  {
    name: 'items ready within one step are added in ready-time order',
    ref: 'TestCopyShifting',
    run: async () => {
      const { clock, q, waiting, trace } = setup('test-copyshift');
      q.addAfter('foo', 1000);
      q.addAfter('bar', 500);
      q.addAfter('baz', 250);
      expect(waiting()).toBe(3);
      expect(q.len()).toBe(0);
      clock.step(2000);
      expect(q.len()).toBe(3);
      expect(waiting()).toBe(0);
      expect((await q.get()).item).toBe('baz');
      expect((await q.get()).item).toBe('bar');
      expect((await q.get()).item).toBe('foo');
      expect(trace.ofType('workqueue.ready').map((e) => [e.t, e.item])).toEqual([
        [250, 'baz'],
        [500, 'bar'],
        [1000, 'foo'],
      ]);
    },
  },
  {
    name: 'many random delays all come out, soonest first',
    ref: 'BenchmarkDelayingQueue_AddAfter',
    run: async () => {
      const { clock, q } = setup('bench');
      const delays = Array.from({ length: 500 }, (_, n) => ((n * 7919) % 600_000) + 1);
      delays.forEach((d, n) => q.addAfter(String(n), d));
      clock.step(11 * 60 * 1000);
      const got: number[] = [];
      for (let n = 0; n < delays.length; n++) got.push(delays[Number((await q.get()).item)]);
      expect(got).toEqual([...delays].sort((a, b) => a - b));
    },
  },
];

describe('DelayingQueue (ref: client-go util/workqueue/delaying_queue_test.go)', () => {
  it.each(cases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});

describe('DelayingQueue: model behaviour beyond the upstream tests', () => {
  it('adds at once for a delay <= 0, counting a retry as upstream does in AddAfter', () => {
    const { q, trace } = setup('now');
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    expect(q.len()).toBe(2);
    expect(trace.ofType('workqueue.addAfter').map((e) => e.result)).toEqual(['immediate', 'immediate']);
    expect(q.snapshot().metrics.retries).toBe(2);
  });

  it('breaks ties between equal ready times by insertion order', async () => {
    const { clock, q } = setup('ties');
    for (const x of ['c', 'a', 'b']) q.addAfter(x, 10);
    clock.step(10);
    const got = [];
    for (let i = 0; i < 3; i++) got.push((await q.get()).item);
    expect(got).toEqual(['c', 'a', 'b']);
  });

  it('an item both waiting and queued is deduplicated when it becomes ready', () => {
    const { clock, q, trace } = setup('both');
    q.addAfter('a', 10);
    q.add('a');
    clock.step(10);
    expect(q.len()).toBe(1);
    expect(trace.events.filter((e) => e.type === 'workqueue.add').map((e) => e.result)).toEqual(['queued', 'deduped']);
  });

  it('ignores addAfter once shutting down and drops the waiting items', () => {
    const { clock, q, trace } = setup('stop');
    q.addAfter('a', 10);
    q.shutDown();
    q.addAfter('b', 10);
    expect(trace.events.at(-1)).toMatchObject({ type: 'workqueue.addAfter', result: 'ignored' });
    expect(clock.hasWaiters()).toBe(false);
    clock.step(100);
    expect(q.len()).toBe(0);
    expect(q.snapshot().waiting).toEqual([]);
    expect(q.snapshot().metrics.retries).toBe(1);
    assertInvariants(q);
    // stopOnce: a second shutDown does nothing, not even an event
    const n = trace.events.length;
    q.shutDown();
    expect(trace.events.length).toBe(n);
  });

  it('stopOnce: after a first shutDown, another shutDown cannot end a later drain', async () => {
    const { q } = setup('once');
    q.add('a');
    const { item } = await q.get();
    q.shutDown();
    let drained = false;
    void q.shutDownWithDrain().then(() => (drained = true));
    q.shutDown(); // no-op: upstream's stopOnce already ran
    await settle();
    expect(drained).toBe(false);
    q.done(item!);
    await settle();
    expect(drained).toBe(true);
  });

  it('shutDownWithDrain also stops the waiting loop', async () => {
    const { clock, q } = setup('drain');
    q.addAfter('a', 10);
    await q.shutDownWithDrain();
    clock.step(100);
    expect(q.len()).toBe(0);
    expect(clock.hasWaiters()).toBe(false);
  });

  it('hands a delayed item straight to a waiting worker when it becomes ready', async () => {
    const { clock, q, trace } = setup('handoff');
    const got = q.get();
    q.addAfter('a', 5);
    clock.step(5);
    expect(await got).toEqual({ item: 'a', shutdown: false });
    expect(replayWorkqueue(trace.events).queues[0]).toEqual(q.snapshot());
  });

  it('re-arms its timer when an earlier item arrives and leaves no timer when empty', () => {
    const { clock, q } = setup('timer');
    q.addAfter('late', 100);
    expect(clock.nextWaiterAt()).toBe(100);
    q.addAfter('early', 10);
    expect(clock.nextWaiterAt()).toBe(10);
    q.addAfter('late', 5);
    expect(clock.nextWaiterAt()).toBe(5);
    clock.step(10);
    expect(clock.hasWaiters()).toBe(false);
    expect(q.len()).toBe(2);
  });

  it('keeps ready times in whole nanoseconds, so 0.1 ms + 0.2 ms is ready at 0.3 ms', () => {
    const { clock, q } = setup('fraction');
    clock.step(0.1);
    q.addAfter('a', 0.2);
    expect(q.snapshot().waiting).toEqual([{ item: 'a', readyAtMs: 0.3 }]);
    clock.setTime(0.2999);
    expect(q.len()).toBe(0);
    clock.setTime(0.3);
    expect(q.len()).toBe(1);
  });

  it('a delay that rounds to no time at all is added at once, as waitingLoop adds an entry not after now (ref: delayingType.waitingLoop)', () => {
    const { q, trace, clock } = setup('sub-ns');
    clock.step(1);
    q.addAfter('a', 0.0000004); // 0.4 ns: ready at the current whole nanosecond
    expect(q.len()).toBe(1);
    expect(q.snapshot().waiting).toEqual([]);
    expect(clock.hasWaiters()).toBe(false);
    expect(trace.ofType('workqueue.addAfter').map((e) => [e.result, e.readyAtMs])).toEqual([['immediate', 1]]);
    expect(q.snapshot().metrics.retries).toBe(1);
    expect(replayWorkqueue(trace.events).queues[0]).toEqual(q.snapshot());
  });

  it('clamps an infinite delay to the longest time.Duration, so ready times stay finite (ref: delayingType.AddAfter)', () => {
    const { q, trace } = setup('inf');
    q.addAfter('a', Infinity);
    q.addAfter('b', -Infinity);
    expect(q.snapshot().waiting).toEqual([{ item: 'a', readyAtMs: INF_DURATION_MS }]);
    expect(q.len()).toBe(1);
    expect(trace.ofType('workqueue.addAfter').map((e) => [e.result, e.delayMs])).toEqual([
      ['waiting', INF_DURATION_MS],
      ['immediate', -INF_DURATION_MS],
    ]);
    expect(JSON.parse(JSON.stringify(trace.events))).toEqual(trace.events);
  });

  it('rejects a delay that is not a number', () => {
    const { q } = setup('bad');
    expect(() => q.addAfter('a', Number.NaN)).toThrow(UsageError);
    expect(() => q.addAfter('a', '5' as unknown as number)).toThrow(/delayMs must be a number/);
  });
});
