// The explicit environment, typed events and checkpointed replay of the core (issue 7 scope 1-2).
import { describe, expect, it } from 'vitest';
import {
  EventEmitter,
  FakeClock,
  Replayer,
  TraceRecorder,
  activeTrace,
  defineEvents,
  formatMs,
  newDelayingQueue,
  newEnv,
  newQueue,
  newWorkqueueReplayer,
  replayOnce,
  replayWorkqueue,
  rngFromSeed,
  runUntilSettled,
  newFakeControllerSource,
  newSharedIndexInformer,
  settle,
  workqueueEvents,
  type Reducer,
  type TraceEvent,
} from '../../src/sim/index';
import { useEnv } from '../../src/sim/runtime';

describe('SimEnv', () => {
  it('a model built with an env uses its clock and trace, and nothing ambient', () => {
    const ambient = new TraceRecorder();
    const env = newEnv({ trace: new TraceRecorder(), seed: 3 });
    const restore = useEnv({ trace: ambient, log: newEnv().log });
    try {
      const q = newDelayingQueue<string>({ env, name: 'mine' });
      q.addAfter('a', 10);
      env.clock.step(10);
      expect(q.len()).toBe(1);
      expect(env.trace!.events.map((e) => e.type)).toContain('workqueue.ready');
      expect(ambient.events).toEqual([]);
    } finally {
      restore();
    }
  });

  it('a model built without one records to the installed env, and nowhere once it is removed', () => {
    const env = newEnv({ trace: new TraceRecorder() });
    const restore = useEnv(env);
    newQueue({ name: 'inside' }).add('x');
    restore();
    expect(activeTrace()).toBeUndefined();
    newQueue({ name: 'outside' }).add('y');
    expect(env.trace!.events.filter((e) => e.type === 'workqueue.add').map((e) => e.queue)).toEqual(['inside']);
  });

  it('cfg.clock and cfg.trace override the env parts', () => {
    const env = newEnv({ trace: new TraceRecorder() });
    const clock = new FakeClock(500);
    const own = new TraceRecorder();
    const q = newQueue({ env, clock, trace: own, name: 'q' });
    q.add('a');
    expect(q.clock).toBe(clock);
    expect(own.events.at(-1)?.t).toBe(500);
    expect(env.trace!.events).toEqual([]);
  });

  it('newEnv seeds its rng from the seed', () => {
    expect(newEnv({ seed: 9 }).rng.getState()).toEqual(rngFromSeed(9).getState());
  });
});

describe('typed events', () => {
  type M = { 'toy.tick': { name: string; n: number }; 'toy.stop': { name: string } };
  const toy = defineEvents<M>('toy', { name: 'toy-repo', tag: 'v1.2.3', blobUrl: 'https://example.test/blob/v1.2.3/' }, {
    'toy.tick': { text: (e) => `tick ${e.n}`, source: { file: 'tick.go', symbol: 'Tick' } },
    'toy.stop': { text: () => 'stop' },
  });

  it('the emitter adds time, component and the instance fields; the catalog reads its own events only', () => {
    const trace = new TraceRecorder();
    const clock = new FakeClock(7);
    const out = new EventEmitter(toy, { clock, trace }, { name: 'a' });
    out.emit('toy.tick', { n: 3 });
    out.emit('toy.stop', {});
    const [tick, stop] = trace.events;
    expect(tick).toEqual({ name: 'a', n: 3, t: 7, seq: 0, component: 'toy', type: 'toy.tick' });
    expect(toy.is(tick)).toBe(true);
    expect(toy.text(tick)).toBe('tick 3');
    expect(toy.source(tick)).toEqual({ label: 'Tick', href: 'https://example.test/blob/v1.2.3/tick.go', title: 'toy-repo v1.2.3 tick.go, Tick' });
    expect(toy.source(stop)).toBeUndefined();
    const foreign = { ...tick, component: 'other' } as TraceEvent;
    expect(toy.is(foreign)).toBe(false);
    expect(toy.text(foreign)).toBeUndefined();
    expect(toy.types).toEqual(['toy.tick', 'toy.stop']);
  });

  it('an emitter without a trace records nothing and says so', () => {
    const out = new EventEmitter(toy, { clock: new FakeClock(), trace: undefined }, { name: 'a' });
    expect(out.recording).toBe(false);
    out.emit('toy.tick', { n: 1 });
  });

  it('every event type the workqueue emits is in its catalog, with text and an upstream source', async () => {
    const trace = new TraceRecorder();
    const clock = new FakeClock();
    const q = newDelayingQueue<string>({ trace, clock, unfinishedWorkUpdatePeriodMs: 500 });
    const waiting = q.get();
    q.add('a');
    const got = await waiting;
    q.addAfter('b', 10);
    q.add('a');
    clock.step(600);
    q.done(got.item!);
    const next = await q.get();
    const drained = q.shutDownWithDrain();
    q.done(next.item!);
    await drained;
    for (const e of trace.events) {
      expect(workqueueEvents.is(e), e.type).toBe(true);
      expect(workqueueEvents.text(e), e.type).toBeTruthy();
      expect(workqueueEvents.source(e)?.href, e.type).toMatch(/^https:\/\/github\.com\/kubernetes\/client-go\/blob\/v0\.34\.0\/util\/workqueue\/\w+\.go$/);
    }
  });
});

describe('formatMs', () => {
  it.each([
    [0, '0ms'],
    [1500, '1500ms'],
    [0.25, '0.25ms'],
    [0.1 + 0.2, '0.3ms'],
    [1e-7, '0ms'],
    [NaN, 'NaN'],
  ])('%s -> %s', (ms, text) => expect(formatMs(ms)).toBe(text));
});

describe('Replayer', () => {
  // A reducer whose state is the list of values seen: easy to compare with a fresh replay.
  const reducer: Reducer<{ seen: number[] }> = {
    init: () => ({ seen: [] }),
    apply: (s, e) => void s.seen.push(Number(e.v)),
    clone: (s) => ({ seen: s.seen.slice() }),
    size: (s) => s.seen.length,
  };
  const events: TraceEvent[] = Array.from({ length: 5000 }, (_, i) => ({ t: i, seq: i, component: 'x', type: 'x.v', v: i * 7 }));

  it('gives the fresh replay at any cursor, in any order of moves', () => {
    const r = new Replayer(reducer, events, { interval: 64 });
    const rng = rngFromSeed(1);
    for (let i = 0; i < 300; i++) {
      const n = rng.int(events.length + 1);
      expect(r.at(n).seen).toEqual(replayOnce(reducer, events, n).seen);
    }
    expect(r.at(-5).seen).toEqual([]);
    expect(r.at(10 ** 9).seen.length).toBe(events.length);
  });

  it('the workqueue replayer matches replayWorkqueue back and forth over a real trace', async () => {
    const trace = new TraceRecorder();
    const clock = new FakeClock();
    const q = newDelayingQueue<string>({ trace, clock });
    const rng = rngFromSeed(5);
    for (let i = 0; i < 400; i++) {
      const key = `k${rng.int(30)}`;
      const op = rng.int(4);
      if (op === 0) q.add(key);
      else if (op === 1) q.addAfter(key, rng.int(50));
      else if (op === 2 && q.len() > 0) q.done((await q.get()).item!);
      else clock.step(rng.int(20));
    }
    const replayer = newWorkqueueReplayer(trace.events);
    for (const n of [trace.events.length, 0, 17, trace.events.length >> 1, 3, trace.events.length - 1]) {
      expect(replayer.snapshotAt(n)).toEqual(replayWorkqueue(trace.events, n));
    }
  });
});

describe('Replayer cost', () => {
  it('a jump forward starts from the nearest checkpoint, not from where it was', () => {
    let applied = 0;
    const counting: Reducer<{ n: number }> = { init: () => ({ n: 0 }), apply: (s) => void (s.n++, applied++), clone: (s) => ({ n: s.n }) };
    const events: TraceEvent[] = Array.from({ length: 100_000 }, (_, i) => ({ t: i, seq: i, component: 'x', type: 'x.v' }));
    const r = new Replayer(counting, events, { interval: 1000 });
    r.at(events.length);
    r.at(10);
    applied = 0;
    expect(r.at(95_500).n).toBe(95_500);
    expect(applied).toBeLessThanOrEqual(1000);
    applied = 0;
    expect(r.at(3_200).n).toBe(3_200);
    expect(applied).toBeLessThanOrEqual(1000);
  });
});

describe('runUntilSettled and feature gates in the environment', () => {
  it('moves the clock until a promise that waits on virtual time settles, and says when it never does', async () => {
    const clock = new FakeClock();
    const value = await runUntilSettled(clock, clock.sleep(250).then(() => 'slept'));
    expect(value).toBe('slept');
    expect(clock.now()).toBe(250);
    await expect(runUntilSettled(clock, new Promise(() => {}))).rejects.toThrow(/had not settled after 0 ms of virtual time \(nothing left to run\)/);
    await expect(runUntilSettled(clock, clock.sleep(10).then(() => Promise.reject(new Error('boom'))))).rejects.toThrow('boom');
  });

  it("an environment's gates reach the models built in it; bad gate values are refused", () => {
    expect(newEnv({ features: { InOrderInformers: false } }).features).toEqual({ InOrderInformers: false });
    expect(newEnv().features).toEqual({});
    expect(() => newEnv({ features: { InOrderInformers: 'no' as unknown as boolean } })).toThrow(/features.InOrderInformers: expected true or false/);
  });
});

describe('gates from the environment reach an informer', () => {
  it('InOrderInformers off in the env: the informer runs a DeltaFIFO; on by default: a RealFIFO', async () => {
    for (const [features, realFIFO] of [[{ InOrderInformers: false }, false], [undefined, true]] as const) {
      const env = newEnv({ features: features ? { ...features } : undefined });
      const source = newFakeControllerSource({ env });
      const informer = newSharedIndexInformer(source, { env });
      const stop = informer.run();
      await settle();
      expect('getItems' in (informer.getQueue() as object), `features ${JSON.stringify(features)}`).toBe(realFIFO);
      informer.stop();
      await stop;
    }
  });
});
