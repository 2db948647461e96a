// The simulation core: virtual time, event order, seeded randomness, the trace recorder.
import { describe as suite, expect, it } from 'vitest';
import {
  EventLoop,
  FakeClock,
  MinHeap,
  TraceRecorder,
  activeTrace,
  describe,
  rngFromSeed,
  rngFromState,
  runUntilIdle,
  newQueue,
  setActiveTrace,
  settle,
} from '../../src/sim/index';

suite('FakeClock (ref: k8s.io/utils clock/testing/fake_clock.go)', () => {
  it('fires timers in due-time order, whatever order they were scheduled in', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.afterFunc(30, () => fired.push('c@' + clock.now()));
    clock.afterFunc(10, () => fired.push('a@' + clock.now()));
    clock.afterFunc(20, () => fired.push('b@' + clock.now()));
    clock.step(25);
    expect(fired).toEqual(['a@10', 'b@20']);
    expect(clock.now()).toBe(25);
    clock.step(5);
    expect(fired).toEqual(['a@10', 'b@20', 'c@30']);
  });

  it('breaks ties at the same millisecond by scheduling order', () => {
    const clock = new FakeClock(100);
    const fired: number[] = [];
    for (let i = 0; i < 10; i++) clock.afterFunc(5, () => fired.push(i));
    clock.step(5);
    expect(fired).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('runs timers scheduled by a callback within the same step when they are due', () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.afterFunc(10, () => {
      fired.push(clock.now());
      clock.afterFunc(10, () => fired.push(clock.now()));
      clock.afterFunc(0, () => fired.push(clock.now()));
    });
    clock.step(20);
    expect(fired).toEqual([10, 10, 20]);
  });

  it('stop() cancels a pending timer once and reports whether it did', () => {
    const clock = new FakeClock();
    let ran = false;
    const t = clock.afterFunc(5, () => (ran = true));
    expect(clock.hasWaiters()).toBe(true);
    expect(clock.nextWaiterAt()).toBe(5);
    expect(t.stop()).toBe(true);
    expect(t.stop()).toBe(false);
    expect(clock.hasWaiters()).toBe(false);
    expect(clock.nextWaiterAt()).toBeUndefined();
    clock.step(10);
    expect(ran).toBe(false);
    const fired = clock.afterFunc(1, () => {});
    clock.step(1);
    expect(fired.stop()).toBe(false);
  });

  it('refuses to move backwards or by a negative step', () => {
    const clock = new FakeClock(50);
    expect(() => clock.setTime(49)).toThrow(/backwards/);
    expect(() => clock.step(-1)).toThrow(RangeError);
    clock.setTime(60);
    expect(clock.since(50)).toBe(10);
  });

  it('sleep() resolves once the clock has moved past it', async () => {
    const clock = new FakeClock();
    let woke = false;
    void clock.sleep(10).then(() => (woke = true));
    clock.step(9);
    await settle();
    expect(woke).toBe(false);
    clock.step(1);
    await settle();
    expect(woke).toBe(true);
  });
});

suite('EventLoop', () => {
  it('orders callbacks by (atMs, seq) and clamps past times to now', () => {
    const loop = new EventLoop(10);
    const order: string[] = [];
    loop.schedule(12, () => order.push('x12'));
    loop.schedule(5, () => order.push('past->10'));
    loop.schedule(11, () => order.push('y11'));
    loop.schedule(12, () => order.push('z12'));
    expect(loop.nextAt()).toBe(10);
    loop.runUntil(12);
    expect(order).toEqual(['past->10', 'y11', 'x12', 'z12']);
    expect(loop.pending()).toBe(0);
  });
});

suite('runUntilIdle', () => {
  it('alternates settling promises and jumping to the next timer', async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(100);
        seen.push(clock.now());
      }
    })();
    const end = await runUntilIdle(clock);
    expect(seen).toEqual([100, 200, 300]);
    expect(end).toBe(300);
  });

  it('stops at forMs and when until() holds', async () => {
    const clock = new FakeClock();
    const tick = (): void => void clock.afterFunc(10, tick);
    tick();
    expect(await runUntilIdle(clock, { forMs: 55 })).toBe(50);
    let n = 0;
    clock.afterFunc(1, () => n++);
    expect(await runUntilIdle(clock, { until: () => n > 0 })).toBe(51);
  });
});

suite('rngFromSeed', () => {
  const draw = (seed: number | string, n = 8): number[] => {
    const rng = rngFromSeed(seed);
    return Array.from({ length: n }, () => rng.uint32());
  };

  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw('42')).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    for (const x of draw(7, 100)) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });

  it('forks children that do not depend on how much the parent has drawn', () => {
    const a = rngFromSeed(1);
    const b = rngFromSeed(1);
    for (let i = 0; i < 17; i++) b.uint32();
    const ca = a.fork('raft');
    const cb = b.fork('raft');
    expect(ca.key).toBe('1/raft');
    expect([ca.uint32(), ca.uint32(), ca.uint32()]).toEqual([cb.uint32(), cb.uint32(), cb.uint32()]);
    expect(a.fork('raft').uint32()).not.toBe(a.fork('etcd').uint32());
    // drawing from a child leaves the parent untouched
    const p1 = rngFromSeed(9);
    const p2 = rngFromSeed(9);
    const child = p1.fork('x');
    for (let i = 0; i < 5; i++) child.uint32();
    expect(p1.uint32()).toBe(p2.uint32());
  });

  it('resumes the exact sequence from getState()', () => {
    const rng = rngFromSeed('state');
    for (let i = 0; i < 5; i++) rng.uint32();
    const saved = rng.getState();
    const copy = rngFromState(JSON.parse(JSON.stringify(saved)));
    expect(copy.key).toBe('state');
    expect(Array.from({ length: 10 }, () => copy.int(1000))).toEqual(Array.from({ length: 10 }, () => rng.int(1000)));
    // the saved state is a copy, not a live view
    expect(rng.getState()).not.toEqual(saved);
  });

  it('int(n) stays in [0, n), rejects bad n, and shuffle/pick are deterministic', () => {
    const rng = rngFromSeed(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[rng.int(3)]++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(1.5)).toThrow(RangeError);
    const items = ['a', 'b', 'c', 'd', 'e'];
    const s1 = rngFromSeed(5).shuffle(items);
    expect(rngFromSeed(5).shuffle(items)).toEqual(s1);
    expect([...s1].sort()).toEqual(items);
    expect(rngFromSeed(5).pick(items)).toBe(rngFromSeed(5).pick(items));
    expect(() => rng.pick([])).toThrow(RangeError);
    const f = rng.float();
    expect(f >= 0 && f < 1).toBe(true);
  });
});

suite('MinHeap', () => {
  it('pops in comparator order and removes by predicate', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    for (const x of [5, 3, 9, 1, 7, 3]) heap.push(x);
    expect(heap.remove((x) => x === 9)).toBe(true);
    expect(heap.remove((x) => x === 42)).toBe(false);
    const out: number[] = [];
    while (heap.size > 0) out.push(heap.pop()!);
    expect(out).toEqual([1, 3, 3, 5, 7]);
    expect(heap.pop()).toBeUndefined();
  });
});

suite('TraceRecorder', () => {
  it('numbers events, notifies subscribers, filters by type and caps memory', () => {
    const rec = new TraceRecorder(3);
    const seen: string[] = [];
    const off = rec.subscribe((e) => seen.push(e.type));
    rec.emit(0, 'workqueue', 'workqueue.add', { item: 'a' });
    rec.emit(1, 'raft', 'raft.tick');
    off();
    rec.emit(2, 'workqueue', 'workqueue.get', { item: 'a' });
    rec.emit(3, 'workqueue', 'workqueue.done', { item: 'a' });
    expect(seen).toEqual(['workqueue.add', 'raft.tick']);
    expect(rec.events.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(rec.dropped).toBe(1);
    expect(rec.ofType('workqueue.').map((e) => e.type)).toEqual(['workqueue.add', 'workqueue.get']);
    expect(rec.events[0]).toEqual({ item: 'a', t: 0, seq: 0, component: 'workqueue', type: 'workqueue.add' });
    rec.clear();
    expect(rec.events).toEqual([]);
    expect(rec.emit(0, 'x', 'x.y').seq).toBe(0);
  });

  it('puts data first and the recorder fields last, the recorder winning a clash', () => {
    const rec = new TraceRecorder();
    rec.emit(1, 'c', 'c.x');
    const e = rec.emit(5, 'c', 'c.y', { a: 1, t: 99, type: 'fake' });
    expect(JSON.stringify(e)).toBe('{"a":1,"t":5,"type":"c.y","seq":1,"component":"c"}');
  });

  it('setActiveTrace installs a recorder and returns the previous one', () => {
    const rec = new TraceRecorder();
    const before = setActiveTrace(rec);
    expect(activeTrace()).toBe(rec);
    expect(setActiveTrace(before)).toBe(rec);
  });

  it('describe() renders items as short stable text', () => {
    expect(describe('pod-a')).toBe('pod-a');
    expect(describe(7)).toBe('7');
    expect(describe({ metadata: { name: 'web', namespace: 'prod' } })).toBe('prod/web');
    expect(describe({ metadata: { name: 'node-1' } })).toBe('node-1');
    expect(describe({ a: 1 })).toBe('{"a":1}');
    expect(describe(undefined)).toBe('undefined');
  });
});

suite('settle()', () => {
  it('keeps running microtask rounds while the models emit trace events', async () => {
    const trace = new TraceRecorder();
    const q = newQueue<number>({ trace });
    for (let i = 0; i < 3000; i++) q.add(i);
    let handled = 0;
    const worker = (async () => {
      for (;;) {
        const { item, shutdown } = await q.get();
        if (shutdown) return;
        await null; // a handler that takes a few continuations per item
        await null;
        handled++;
        q.done(item);
      }
    })();
    await settle();
    // 3000 items need far more than 64 rounds; settle waits for the queue to go quiet.
    expect(handled).toBe(3000);
    q.shutDown();
    await worker;
  });

  it('stops after a bounded number of rounds when the models never go quiet', async () => {
    const trace = new TraceRecorder(10);
    let stop = false;
    let spins = 0;
    const spinner = (async () => {
      while (!stop) {
        trace.emit(0, 'test', 'test.spin');
        spins++;
        await null;
      }
    })();
    await settle(8);
    stop = true;
    await spinner;
    expect(spins).toBeGreaterThan(8 * 100);
    expect(spins).toBeLessThan(8 * 5000);
  });
});
