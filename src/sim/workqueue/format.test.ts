// The text formatter, and a golden trace of one controller-like scenario (a non-regression pin:
// review the diff, then refresh with `npx vitest run src/sim/workqueue -u`).
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import { TraceRecorder, type TraceEvent } from '../core/trace';
import { defaultControllerRateLimiter } from './default_rate_limiters';
import { formatWorkqueueEvent, formatWorkqueueTrace } from './format';
import { newRateLimitingQueue } from './rate_limiting_queue';
import { replayWorkqueue } from './replay';

const ev = (type: string, data: Record<string, unknown> = {}, t = 15): TraceEvent =>
  ({ queue: 'queue', ...data, t, seq: 0, component: 'workqueue', type }) as TraceEvent;

describe('formatWorkqueueEvent', () => {
  it.each([
    [ev('workqueue.new', { kind: 'rateLimiting' }, 0), 't=0ms      queue  new rateLimiting'],
    [ev('workqueue.add', { item: 'pod-a', result: 'queued', len: 1 }), 't=15ms     queue  add pod-a -> queued (len 1)'],
    [ev('workqueue.get', { item: 'pod-a', waitedMs: 5, len: 0 }), 't=15ms     queue  get pod-a (waited 5ms, len 0)'],
    [
      ev('workqueue.done', { item: 'pod-a', workMs: 3, requeued: true, wasProcessing: true, len: 1 }),
      't=15ms     queue  done pod-a (worked 3ms) -> requeued (len 1)',
    ],
    [
      ev('workqueue.done', { item: 'x', workMs: 0, requeued: false, wasProcessing: false, len: 0 }),
      't=15ms     queue  done x (worked 0ms, was not processing) -> finished (len 0)',
    ],
    [
      ev('workqueue.addAfter', { item: 'pod-a', delayMs: 50, readyAtMs: 65, result: 'waiting' }),
      't=15ms     queue  addAfter pod-a 50ms -> waiting (ready at 65ms)',
    ],
    [ev('workqueue.ready', { item: 'pod-a', readyAtMs: 65 }, 65), 't=65ms     queue  ready pod-a'],
    [ev('workqueue.addRateLimited', { item: 'pod-a', delayMs: 5, requeues: 1 }), 't=15ms     queue  addRateLimited pod-a -> 5ms (requeues 1)'],
    [ev('workqueue.forget', { item: 'pod-a' }), 't=15ms     queue  forget pod-a'],
    [ev('workqueue.shutDown', { drain: false }), 't=15ms     queue  shutDown'],
    [ev('workqueue.shutDown', { drain: true }), 't=15ms     queue  shutDownWithDrain'],
    [ev('workqueue.drained'), 't=15ms     queue  drained'],
    [ev('workqueue.waiters', { count: 2 }), 't=15ms     queue  waiters 2'],
    [ev('workqueue.metric', { name: 'depth', value: 1 }), 't=15ms     queue  metric depth = 1'],
    [ev('workqueue.metric', { name: 'queue_duration', value: 0.25 }), 't=15ms     queue  metric queue_duration = 0.25ms'],
    [ev('workqueue.something', {}, 1 / 3), 't=0.333333ms queue  something'],
  ])('%#: %s', (event, want) => {
    expect(formatWorkqueueEvent(event)).toBe(want);
  });

  it('formats only workqueue events of a mixed trace', () => {
    const events = [ev('workqueue.drained'), { t: 0, seq: 1, component: 'raft', type: 'raft.tick' } as TraceEvent];
    expect(formatWorkqueueTrace(events)).toBe('t=15ms     queue  drained');
  });
});

/**
 * Two workers drain a controller queue with the default rate limiter: pod-b fails twice and
 * backs off (5 ms, 10 ms), pod-a is updated while a worker holds it, then the queue drains.
 */
async function controllerScenario(): Promise<TraceRecorder> {
  const clock = new FakeClock();
  const trace = new TraceRecorder();
  const q = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock, trace, name: 'pods' });
  const failuresLeft = new Map([['pod-b', 2]]);
  const worker = async (): Promise<void> => {
    for (;;) {
      const { item, shutdown } = await q.get();
      if (shutdown) return;
      await clock.sleep(3);
      const left = failuresLeft.get(item) ?? 0;
      if (left > 0) {
        failuresLeft.set(item, left - 1);
        q.addRateLimited(item);
      } else {
        q.forget(item);
      }
      q.done(item);
    }
  };
  const workers = [worker(), worker()];
  q.add('pod-a');
  q.add('pod-b');
  q.add('pod-c');
  q.add('pod-c'); // deduplicated: already waiting
  await settle();
  clock.step(1);
  q.add('pod-a'); // updated while a worker holds it
  await runUntilIdle(clock, { forMs: 100 });
  await q.shutDownWithDrain();
  await Promise.all(workers);
  return trace;
}

describe('golden trace', () => {
  it('a controller queue with retries, a deferred add and a drain', async () => {
    const trace = await controllerScenario();
    await expect(formatWorkqueueTrace(trace.events) + '\n').toMatchFileSnapshot('./testdata/controller-retry.trace.txt');
    const end = replayWorkqueue(trace.events).queues[0];
    expect(end).toMatchObject({ queue: [], dirty: [], processing: [], waiting: [], shuttingDown: true, requeues: {} });
  });
});
