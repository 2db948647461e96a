import { describe, expect, it } from 'vitest';
import { FakeClock, TraceRecorder, defaultControllerRateLimiter, newDelayingQueue, newQueue, newRateLimitingQueue, runUntilIdle } from '../index';
import { CLIENT_GO_TAG, workqueueEvents } from './events';

const workqueueSource = (e: Parameters<typeof workqueueEvents.source>[0]) => workqueueEvents.source(e);

/** A trace with every kind of workqueue event the model emits. */
async function everyEvent(): Promise<TraceRecorder> {
  const trace = new TraceRecorder();
  const clock = new FakeClock();
  const plain = newQueue<string>({ name: 'plain', clock, trace, unfinishedWorkUpdatePeriodMs: 500 });
  const delaying = newDelayingQueue<string>({ name: 'delaying', clock, trace });
  const limited = newRateLimitingQueue<string>(defaultControllerRateLimiter(clock), { name: 'limited', clock, trace });
  plain.add('a');
  const got = await plain.get();
  const waiting = plain.get(); // blocks: waiters
  clock.step(600); // the unfinished-work ticker reports while `a` is processing
  plain.done(got.item!);
  delaying.addAfter('b', 10);
  limited.addRateLimited('c');
  limited.forget('c');
  await runUntilIdle(clock, { forMs: 1000 });
  plain.shutDownWithDrain();
  delaying.shutDown();
  limited.shutDown();
  await waiting;
  return trace;
}

describe('the workqueue event catalog: upstream source and text of every event', () => {
  it('names a client-go function, pinned at the model release, for every event type and metric the model emits', async () => {
    const trace = await everyEvent();
    const kinds = new Set(trace.events.map((e) => (e.type === 'workqueue.metric' ? `metric:${String(e.name)}` : e.type)));
    // The trace really covers the model's events (so a new event type without a source fails here).
    for (const k of ['workqueue.new', 'workqueue.add', 'workqueue.get', 'workqueue.waiters', 'workqueue.done', 'workqueue.addAfter', 'workqueue.ready', 'workqueue.addRateLimited', 'workqueue.forget', 'workqueue.shutDown', 'workqueue.drained', 'metric:depth', 'metric:adds', 'metric:queue_duration', 'metric:work_duration', 'metric:retries', 'metric:unfinished_work', 'metric:longest_running_processor']) {
      expect(kinds, k).toContain(k);
    }
    for (const e of trace.events) {
      const src = workqueueSource(e);
      expect(src, `${e.type} ${JSON.stringify(e)}`).toBeDefined();
      expect(src!.href).toMatch(new RegExp(`^https://github\\.com/kubernetes/client-go/blob/${CLIENT_GO_TAG}/util/workqueue/(queue|delaying_queue|rate_limiting_queue|metrics)\\.go$`));
      expect(src!.title).toBe(`client-go ${CLIENT_GO_TAG} util/workqueue/${src!.href.split('/').pop()}, ${src!.label}`);
      expect(workqueueEvents.text(e), e.type).toBeTruthy();
    }
  });

  it('tells the constructors and the two shutdowns apart', () => {
    const at = (e: Record<string, unknown>) => workqueueSource({ t: 0, seq: 0, component: 'workqueue', ...e } as never)?.title.replace(/^client-go v[\d.]+ util\/workqueue\//, '');
    expect(at({ type: 'workqueue.new', kind: 'queue' })).toBe('queue.go, NewTypedWithConfig');
    expect(at({ type: 'workqueue.new', kind: 'delaying' })).toBe('delaying_queue.go, NewTypedDelayingQueueWithConfig');
    expect(at({ type: 'workqueue.new', kind: 'rateLimiting' })).toBe('rate_limiting_queue.go, NewTypedRateLimitingQueueWithConfig');
    expect(at({ type: 'workqueue.shutDown', drain: false })).toBe('queue.go, Typed.ShutDown');
    expect(at({ type: 'workqueue.shutDown', drain: true })).toBe('queue.go, Typed.ShutDownWithDrain');
    expect(workqueueSource({ t: 0, seq: 0, component: 'clock', type: 'clock.step' } as never)).toBeUndefined();
    expect(workqueueSource({ t: 0, seq: 0, component: 'workqueue', type: 'workqueue.unknown' } as never)).toBeUndefined();
  });
});
