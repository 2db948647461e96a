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
  settle,
} from '../../src/sim/index';
import { setActiveTrace } from '../../src/sim/runtime';

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

suite('FakeClock refuses times that are not finite numbers (issue 7, finding 2)', () => {
  // Before: setTime(NaN) fired every pending timer and left now() at NaN for good; afterFunc and
  // sleep given NaN or undefined added timers that fired at NaN.
  it.each([
    ['setTime(NaN)', (c: FakeClock) => c.setTime(NaN), /setTime: ms must be a finite number of milliseconds, got NaN/],
    ['setTime(Infinity)', (c: FakeClock) => c.setTime(Infinity), /got Infinity/],
    ['step(NaN)', (c: FakeClock) => c.step(NaN), /step: ms must be a finite number/],
    ['step(-1)', (c: FakeClock) => c.step(-1), /step: ms must not be negative, got -1/],
    ['step(undefined)', (c: FakeClock) => c.step(undefined as unknown as number), /got undefined/],
    ['afterFunc(NaN)', (c: FakeClock) => c.afterFunc(NaN, () => {}), /afterFunc: ms must be a finite number/],
    ['afterFunc(undefined)', (c: FakeClock) => c.afterFunc(undefined as unknown as number, () => {}), /got undefined/],
    ['afterFunc("5")', (c: FakeClock) => c.afterFunc('5' as unknown as number, () => {}), /got "5"/],
    ['sleep(NaN)', (c: FakeClock) => void c.sleep(NaN), /sleep: ms must be a finite number/],
    ['afterAt(-Infinity)', (c: FakeClock) => c.afterAt(-Infinity, () => {}), /afterAt: atMs must be a finite number/],
    ['setTime backwards', (c: FakeClock) => c.setTime(5), /cannot move time backwards: now=10ms, target=5ms/],
  ])('%s throws and changes nothing', (_name, call, message) => {
    const clock = new FakeClock(10);
    let fired = 0;
    clock.afterFunc(20, () => fired++);
    expect(() => call(clock)).toThrow(message);
    expect(clock.now()).toBe(10);
    expect(fired).toBe(0);
    expect(clock.nextWaiterAt()).toBe(30);
    clock.step(20);
    expect(fired).toBe(1);
  });

  it('new FakeClock(NaN) is refused', () => {
    expect(() => new FakeClock(NaN)).toThrow(/startMs must be a finite number/);
  });

  it('afterAt fires at an absolute time; a time already past fires at the next move', () => {
    const clock = new FakeClock(100);
    const fired: string[] = [];
    clock.afterAt(150, () => fired.push(`at150@${clock.now()}`));
    clock.afterAt(50, () => fired.push(`past@${clock.now()}`));
    clock.step(0);
    expect(fired).toEqual(['past@100']);
    clock.setTime(200);
    expect(fired).toEqual(['past@100', 'at150@150']);
  });

  it('hasWaiters() counts only timers that can still fire', () => {
    const clock = new FakeClock();
    const a = clock.afterFunc(5, () => {});
    clock.afterFunc(10, () => {});
    a.stop();
    expect(clock.hasWaiters()).toBe(true);
    clock.step(10);
    expect(clock.hasWaiters()).toBe(false);
  });
});

suite('MinHeap', () => {
  it('an indexed heap moves an entry after its key changes (Go: heap.Fix) and deletes one (heap.Remove)', () => {
    type E = { k: number; id: string };
    const heap = new MinHeap<E>((a, b) => a.k < b.k || (a.k === b.k && a.id < b.id), { indexed: true });
    const es = [5, 3, 9, 1, 7].map((k, i) => ({ k, id: `e${i}` }));
    for (const e of es) heap.push(e);
    es[2].k = 0;
    expect(heap.fix(es[2])).toBe(true);
    expect(heap.peek()).toBe(es[2]);
    expect(heap.delete(es[3])).toBe(true);
    expect(heap.delete(es[3])).toBe(false);
    expect(heap.has(es[3])).toBe(false);
    expect(() => heap.push(es[0])).toThrow(/already in the heap/);
    expect(heap.sorted().map((e) => e.k)).toEqual([0, 3, 5, 7]);
    const out: number[] = [];
    while (heap.size > 0) out.push(heap.pop()!.k);
    expect(out).toEqual([0, 3, 5, 7]);
  });

  it('agrees with a sorted array under random pushes, pops, fixes and deletes', () => {
    const rng = rngFromSeed(7);
    type E = { k: number; seq: number };
    const less = (a: E, b: E) => a.k < b.k || (a.k === b.k && a.seq < b.seq);
    const heap = new MinHeap<E>(less, { indexed: true });
    let naive: E[] = [];
    let seq = 0;
    for (let step = 0; step < 5000; step++) {
      const op = rng.int(4);
      if (op === 0 || naive.length === 0) {
        const e = { k: rng.int(50), seq: seq++ };
        heap.push(e);
        naive.push(e);
      } else if (op === 1) {
        naive.sort((a, b) => (less(a, b) ? -1 : 1));
        expect(heap.pop()).toBe(naive.shift());
      } else if (op === 2) {
        const e = rng.pick(naive);
        e.k = rng.int(50);
        heap.fix(e);
      } else {
        const e = rng.pick(naive);
        heap.delete(e);
        naive = naive.filter((x) => x !== e);
      }
      expect(heap.size).toBe(naive.length);
    }
  });


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
  it('returns once every continuation has run, however long the chain (no microtask-round budget)', async () => {
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
    expect(handled).toBe(3000);
    q.shutDown();
    await worker;
  });

  it('waits out a chain that emits nothing at all for thousands of continuations', async () => {
    let reached = false;
    void (async () => {
      for (let i = 0; i < 20_000; i++) await null;
      reached = true;
    })();
    await settle();
    expect(reached).toBe(true);
  });
});
