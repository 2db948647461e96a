// replayWorkqueue: state rebuilt from trace events only (time travel for visualizations).
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { TraceRecorder } from '../core/trace';
import { newDelayingQueue } from './delaying_queue';
import { newQueue } from './queue';
import { replayWorkqueue } from './replay';

describe('replayWorkqueue', () => {
  it('rebuilds every queue of a trace, in order of first appearance, skipping other components', async () => {
    const clock = new FakeClock();
    const trace = new TraceRecorder();
    const a = newQueue({ clock, trace, name: 'a' });
    const b = newDelayingQueue({ clock, trace, name: 'b' });
    trace.emit(0, 'raft', 'raft.tick', { queue: 'a', item: 'zzz' });
    a.add('x');
    b.addAfter('y', 30);
    b.addAfter('z', 10);
    clock.step(5);
    await a.get();
    const snap = replayWorkqueue(trace.events);
    expect(snap.t).toBe(5);
    expect(snap.queues.map((q) => q.name)).toEqual(['a', 'b']);
    expect(snap.queues).toEqual([a.snapshot(), b.snapshot()]);
    expect(snap.queues[1].waiting).toEqual([
      { item: 'z', readyAtMs: 10 },
      { item: 'y', readyAtMs: 30 },
    ]);
  });

  it('stops after the first `upto` events, so a cursor can scrub back in time', () => {
    const trace = new TraceRecorder();
    const q = newQueue({ trace, name: 'q' });
    q.add('x'); // new, add, metric adds, metric depth
    q.add('y');
    const afterFirstAdd = replayWorkqueue(trace.events, 4);
    expect(afterFirstAdd.queues[0].queue).toEqual(['x']);
    expect(afterFirstAdd.queues[0].metrics).toEqual({ depth: 1, adds: 1, retries: 0 });
    expect(replayWorkqueue(trace.events, 1).queues[0]).toMatchObject({ name: 'q', queue: [] });
    expect(replayWorkqueue(trace.events, 0)).toEqual({ t: 0, queues: [] });
    expect(replayWorkqueue(trace.events, 10_000)).toEqual(replayWorkqueue(trace.events));
    expect(replayWorkqueue([])).toEqual({ t: 0, queues: [] });
  });

  it('survives a JSON round trip of the trace (it reads plain data only)', async () => {
    const clock = new FakeClock();
    const trace = new TraceRecorder();
    const q = newDelayingQueue({ clock, trace });
    q.add('a');
    const { item } = await q.get();
    q.add('a');
    q.addAfter('b', 7);
    void q.get();
    q.done(item!);
    const copy = JSON.parse(JSON.stringify(trace.events));
    expect(replayWorkqueue(copy).queues).toEqual([q.snapshot()]);
  });
});
