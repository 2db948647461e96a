// Follows client-go util/workqueue/rate_limiting_queue_test.go at v0.34.0. Upstream reads each
// AddAfter request off the waiting channel; here the `workqueue.addAfter` event carries it.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { TraceRecorder } from '../core/trace';
import { defaultControllerRateLimiter, newItemExponentialFailureRateLimiter } from './default_rate_limiters';
import { assertInvariants } from './invariants';
import { newRateLimitingQueue } from './rate_limiting_queue';
import { replayWorkqueue } from './replay';

describe('RateLimitingQueue (ref: client-go util/workqueue/rate_limiting_queue_test.go)', () => {
  it.each([{ name: 'addRateLimited asks the limiter for the delay; forget resets it', ref: 'TestRateLimitingQueue' }])(
    '$name ($ref)',
    () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const queue = newRateLimitingQueue<string>(newItemExponentialFailureRateLimiter(1, 1000), { clock, trace });
      const lastRequest = () => {
        const e = trace.ofType('workqueue.addAfter').at(-1)!;
        return e.delayMs;
      };
      queue.addRateLimited('one');
      expect(lastRequest()).toBe(1);
      queue.addRateLimited('one');
      expect(lastRequest()).toBe(2);
      expect(queue.numRequeues('one')).toBe(2);
      queue.addRateLimited('two');
      expect(lastRequest()).toBe(1);
      queue.addRateLimited('two');
      expect(lastRequest()).toBe(2);
      queue.forget('one');
      expect(queue.numRequeues('one')).toBe(0);
      queue.addRateLimited('one');
      expect(lastRequest()).toBe(1);
    },
  );
});

describe('RateLimitingQueue: model behaviour beyond the upstream tests', () => {
  it('the retry loop of a controller: fail twice with backoff, then succeed and forget', async () => {
    const clock = new FakeClock();
    const trace = new TraceRecorder();
    const q = newRateLimitingQueue<string>(newItemExponentialFailureRateLimiter(5, 1000), { clock, trace, name: 'ctrl' });
    q.add('pod-a');
    const startedAt: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const got = q.get();
      clock.step(attempt === 0 ? 0 : 5 * 2 ** (attempt - 1));
      const { item } = await got;
      startedAt.push(clock.now());
      if (attempt < 2) q.addRateLimited(item!);
      else q.forget(item!);
      q.done(item!);
      assertInvariants(q);
    }
    expect(startedAt).toEqual([0, 5, 15]);
    expect(q.numRequeues('pod-a')).toBe(0);
    const snap = q.snapshot();
    expect(snap.requeues).toEqual({});
    expect(snap.metrics.retries).toBe(2);
    expect(replayWorkqueue(trace.events).queues).toEqual([snap]);
  });

  it('records requeues and the last backoff per item until forget', () => {
    const q = newRateLimitingQueue<string>(newItemExponentialFailureRateLimiter(5, 1000));
    q.addRateLimited('a');
    q.addRateLimited('a');
    q.addRateLimited('b');
    expect(q.snapshot().requeues).toEqual({ a: 2, b: 1 });
    expect(q.snapshot().lastDelayMs).toEqual({ a: 10, b: 5 });
    q.forget('a');
    expect(q.snapshot().requeues).toEqual({ b: 1 });
  });

  it('still counts the failure in the limiter when shutting down, as upstream calls When first', () => {
    const trace = new TraceRecorder();
    const q = newRateLimitingQueue<string>(newItemExponentialFailureRateLimiter(5, 1000), { trace });
    q.shutDown();
    q.addRateLimited('a');
    expect(q.numRequeues('a')).toBe(1);
    expect(trace.events.at(-1)).toMatchObject({ type: 'workqueue.addAfter', result: 'ignored' });
  });

  it('binds defaultControllerRateLimiter() to the queue clock', () => {
    const clock = new FakeClock();
    const q = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock });
    for (let i = 0; i < 101; i++) q.addRateLimited(`k${i}`);
    expect(q.snapshot().lastDelayMs.k100).toBe(100);
    clock.step(20_000);
    q.addRateLimited('k0');
    expect(q.snapshot().lastDelayMs.k0).toBe(10); // bucket refilled; exponential: 5 ms * 2
  });
});
