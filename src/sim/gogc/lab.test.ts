import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useCallScope } from '../core/callscope';
import { newEnv, useEnv } from '../core/env';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder } from '../core/trace';
import { BarrierError, breaksStrongHeap, breaksWeak, checkBarrier, gcCycle, GcBudgetError, parseOp, toWorldSpec, type GcWorld, type WriteBarrierFn } from './lab';
import { Collector } from './collector';
import { checkStrong, checkWeak } from './invariants';
import { describeOp, randomWorld } from './mutator';
import type { BarrierKind, MutatorOp } from './types';

/** The lost object of the literature (classic.test.ts), with names: black A takes white C, grey B drops it. */
const classic = (): GcWorld => ({
  objects: { A: [null], B: ['C'], C: [] },
  globals: ['B', 'A'],
  goroutines: [{ slots: ['A', 'B', null, null], program: ['s2 = s1.f[0]', 's0.f[0] = s2', 's1.f[0] = s3', 's2 = nil'] }],
});
const CLASSIC_TURNS = ['M', 'M', 'M', 0, 0, 0, 0] as const;

const dijkstra: WriteBarrierFn = (_slot, _old, ptr, ctx) => ctx.shade(ptr);
const yuasa: WriteBarrierFn = (_slot, old, _ptr, ctx) => ctx.shade(old);
const hybrid: WriteBarrierFn = (_slot, old, ptr, ctx) => {
  ctx.shade(old);
  if (ctx.stackIsGrey) ctx.shade(ptr);
};

describe('gcCycle over a named world', () => {
  it('with no barrier frees C while global[1] -> A.f[0] reaches it; the trace names objects', () => {
    const r = gcCycle({ world: classic(), barrier: 'none', schedule: [...CLASSIC_TURNS] });
    expect(r.lost).toEqual([{ id: 3, name: 'C', path: ['global[1]', 'A.f[0]', 'C'] }]);
    expect(r.freed).toEqual(['C']);
    expect(r.violations.map((v) => v.invariant)).toEqual(['strong', 'strongHeap', 'weak', 'markComplete', 'lostObject']);
    expect(r.trace).toContain('step 6: g0[1] s0.f[0] = s2');
    expect(r.trace).toContain('step 10: free C (class 1, span 0)');
    expect(r.turns.slice(0, 7)).toEqual([...CLASSIC_TURNS]);
  });

  it.each(['dijkstra', 'yuasa', 'hybrid'] as BarrierKind[])('the same schedule with the %s barrier keeps C', (barrier) => {
    const r = gcCycle({ world: classic(), barrier, schedule: [...CLASSIC_TURNS] });
    expect(r.lost).toEqual([]);
    expect(r.freed).toEqual([]);
  });

  it("sends the cycle's events to the run's trace (where the view reads them)", () => {
    const trace = new TraceRecorder();
    const restore = useEnv(newEnv({ trace }));
    try {
      gcCycle({ world: classic(), barrier: 'hybrid', schedule: [...CLASSIC_TURNS] });
    } finally {
      restore();
    }
    expect(trace.ofType('gogc.barrier').map((e) => e.shaded)).toEqual([[], [3]]);
    expect(trace.ofType('gogc.phase').map((e) => e.phase)).toEqual(['sweeptermination', 'mark', 'marktermination', 'sweep', 'off']);
  });

  it('a learner barrier equal to a built-in one gives the same cycle (oracle: the built-in kinds), over 30 seeds', () => {
    const cases: Array<[BarrierKind, WriteBarrierFn]> = [['dijkstra', dijkstra], ['yuasa', yuasa], ['hybrid', hybrid]];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (seed) => {
        const spec = randomWorld(rngFromSeed(seed).fork('world'));
        const world: GcWorld = { objects: spec.objects, globals: spec.globals, goroutines: spec.goroutines };
        for (const [kind, fn] of cases) {
          const a = gcCycle({ world, barrier: kind, seed });
          const b = gcCycle({ world, barrier: fn, claims: kind, seed });
          expect(b.trace, `${kind} seed ${seed}`).toEqual(a.trace);
        }
      }),
      { numRuns: 30, seed: 3 },
    );
  });
});

describe('Go-like mutator lines', () => {
  it('parseOp reads back what describeOp writes', () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('load' as const), dst: fc.nat(9), obj: fc.nat(9), field: fc.nat(9) }),
      fc.record({ op: fc.constant('store' as const), obj: fc.nat(9), field: fc.nat(9), src: fc.nat(9) }),
      fc.record({ op: fc.constant('drop' as const), dst: fc.nat(9) }),
      fc.record({ op: fc.constant('alloc' as const), dst: fc.nat(9), nfields: fc.nat(16) }),
      fc.record({ op: fc.constant('loadGlobal' as const), dst: fc.nat(9), global: fc.nat(9) }),
    );
    fc.assert(
      fc.property(op, (o: MutatorOp) => {
        expect(parseOp(describeOp(o))).toEqual(o);
      }),
      { numRuns: 200, seed: 4 },
    );
  });

  it('refuses a line it cannot read, a slot off the stack and a name not in the world, saying what is allowed', () => {
    const w = classic();
    expect(() => toWorldSpec({ ...w, goroutines: [{ slots: [null], program: ['s0 := s1'] }] })).toThrow(/g0 program\[0\]: cannot read "s0 := s1"; write one of: s2 = s0.f\[1\] \(load\)/);
    expect(() => toWorldSpec({ ...w, goroutines: [{ slots: [null], program: ['s3 = nil'] }] })).toThrow(/stack of 1 slots \(s0..s0/);
    expect(() => toWorldSpec({ ...w, globals: ['D'] })).toThrow('globals: "D" is not an object of the world (names: A, B, C) or null');
    expect(() => gcCycle({ world: w, barrier: 'dijkstra', schedule: ['M', 5] })).toThrow(/schedule: 5 is not a turn/);
    expect(() => gcCycle({ world: w, barrier: 'steele' as BarrierKind })).toThrow(/barrier: expected one of none, dijkstra, yuasa, hybrid or a function/);
  });
});

describe('a hostile barrier fails with what it did', () => {
  const run = (barrier: WriteBarrierFn) => () => gcCycle({ world: classic(), barrier, schedule: [...CLASSIC_TURNS] });

  it('a throw names the step and the store', () => {
    expect(
      run(() => {
        throw new Error('boom');
      }),
    ).toThrow('your write barrier threw at step 6 (g0: A.f[0] = C, old nil): boom');
  });

  it('shading a name, a number that is no object or undefined', () => {
    expect(run((_s, _o, _p, ctx) => ctx.shade('C' as unknown as number))).toThrow(/ctx.shade\("C"\): not an object in the heap/);
    expect(run((_s, _o, _p, ctx) => ctx.shade(99))).toThrow(/ctx.shade\(99\): not an object in the heap/);
    expect(run((_s, _o, _p, ctx) => ctx.shade(undefined as unknown as number))).toThrow(/ctx.shade\(undefined\)/);
  });

  it('writing to the heap, the slot or the context', () => {
    expect(run((slot, _o, ptr, ctx) => void ((ctx.fields(slot.obj) as (number | null)[])[slot.field] = ptr))).toThrow(/your barrier wrote A.f\[0\]: a write barrier only shades/);
    expect(run((slot) => void ((slot as { field: number }).field = 1))).toThrow(/your barrier wrote slot.field/);
    expect(run((_s, _o, _p, ctx) => void ((ctx as { stackIsGrey: boolean }).stackIsGrey = true))).toThrow(/your barrier wrote ctx.stackIsGrey/);
  });

  it('an async barrier', () => {
    expect(run((async () => {}) as unknown as WriteBarrierFn)).toThrow(/returned a promise/);
  });

  it('each call is one foreign call for the loop guard, and a guard error reads as a loop', () => {
    let calls = 0;
    let open = 0;
    const prev = useCallScope({ enter: () => void (calls++, open++), exit: () => void open-- });
    try {
      gcCycle({ world: classic(), barrier: dijkstra, schedule: [...CLASSIC_TURNS] });
      expect([calls, open]).toEqual([2, 0]);
      const loops: WriteBarrierFn = () => {
        throw Object.defineProperty(new Error('the loop at main.ts:3 ran for more than 1000 ms in one call (an infinite loop?)'), 'name', { value: 'LoopGuardError' });
      };
      expect(run(loops)).toThrow('your write barrier looped at step 6 (g0: A.f[0] = C, old nil): the loop at main.ts:3 ran for more than 1000 ms');
      expect(open).toBe(0);
    } finally {
      useCallScope(prev);
    }
  });

  it('the error carries the trace up to the failure', () => {
    try {
      run(() => {
        throw new Error('boom');
      })();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BarrierError);
      expect((e as BarrierError).trace.at(-1)).toBe('step 6: g0[1] s0.f[0] = s2');
    }
  });
});

describe('the budget', () => {
  it('a world of 10^6 objects is refused before it is built', () => {
    const objects = new Array<{ fields: [] }>(1_000_000).fill({ fields: [] });
    const world = { objects, globals: [], goroutines: [] };
    expect(() => gcCycle({ world, barrier: 'hybrid' })).toThrow(GcBudgetError);
    expect(() => gcCycle({ world, barrier: 'hybrid' })).toThrow("world: 1000000 objects; the lab's heap holds at most 2000");
  });

  it('allocating past the heap limit is an out-of-memory, worded as the runtime prints it', () => {
    const world: GcWorld = { objects: { A: [] }, globals: ['A'], goroutines: [{ slots: [null], program: Array.from({ length: 100 }, () => 's0 = new(16 ptrs)') }] };
    expect(() => gcCycle({ world, barrier: 'hybrid', schedule: Array.from({ length: 100 }, () => 0), heapLimitBytes: 16_384 })).toThrow(
      'runtime: out of memory: cannot allocate 4194304-byte block (16384 in use)\nfatal error: out of memory',
    );
  });

  it('too many ops, a cycle past its steps, too many seeds', () => {
    const long: GcWorld = { objects: { A: [] }, globals: ['A'], goroutines: [{ slots: [null], program: Array.from({ length: 10_001 }, () => 's0 = nil') }] };
    expect(() => gcCycle({ world: long, barrier: 'none' })).toThrow('world: more than 10000 mutator ops');
    expect(() => gcCycle({ world: classic(), barrier: 'none', maxSteps: 5 })).toThrow("the cycle did not finish in 5 steps (the lab's budget)");
    expect(() => checkBarrier(dijkstra, { seeds: 1e6 })).toThrow("seeds: 1000000; the lab's budget is 20000");
    expect(() => checkBarrier(dijkstra, { claims: 'steele' as BarrierKind })).toThrow('claims: expected one of none, dijkstra, yuasa, hybrid, got "steele"');
  });
});

describe('checkBarrier', () => {
  it.each([
    ['dijkstra', dijkstra],
    ['yuasa', yuasa],
    ['hybrid', hybrid],
  ] as Array<[BarrierKind, WriteBarrierFn]>)('a correct %s barrier passes 200 interleavings', (claims, fn) => {
    expect(checkBarrier(fn, { claims, seeds: 200 })).toEqual({ ok: true, interleavings: 200 });
  });

  it("the hybrid barrier passes under Go 1.26's Green Tea marker too (barriers do not depend on scan order), and none still loses", () => {
    expect(checkBarrier(hybrid, { claims: 'hybrid', marker: 'greentea', seeds: 200 }).ok).toBe(true);
    expect(checkBarrier(() => {}, { marker: 'greentea', seeds: 1_000 }).failure?.kind).toBe('lost');
  });

  it.each([
    ['shading nothing', (() => {}) as WriteBarrierFn],
    ['shading the old pointer (Yuasa without its snapshot)', yuasa],
    ['shading ptr only when the slot was non-nil', ((_s, old, ptr, ctx) => old !== null && ctx.shade(ptr)) as WriteBarrierFn],
  ])('%s, claimed as Dijkstra, loses an object on a seed that replays', (_name, fn) => {
    const r = checkBarrier(fn, { seeds: 2_000 });
    expect(r.ok).toBe(false);
    const f = r.failure!;
    expect(f.kind).toBe('lost');
    expect(f.message).toMatch(new RegExp(`^seed ${f.seed}: sweep freed obj\\d+, still reachable through global\\[0\\] -> `));
    const again = gcCycle({ world: f.world, barrier: fn, seed: f.seed });
    expect(again.lost).toEqual(f.lost);
    expect(again.trace).toEqual(f.trace);
  });

  it("the fast path's invariant predicates agree with the model's checkers after every step (oracle: invariants.ts), 25 seeds x 4 barriers", () => {
    for (let seed = 0; seed < 25; seed++) {
      for (const barrier of ['none', 'dijkstra', 'yuasa', 'hybrid'] as BarrierKind[]) {
        const rng = rngFromSeed(seed);
        const c = new Collector(randomWorld(rng.fork('world')), { barrier }, newEnv());
        const sched = rng.fork('gogc/scheduler');
        c.start();
        while (!c.done) {
          if (c.marking) {
            expect(breaksStrongHeap(c), `${barrier} seed ${seed} step ${c.step}`).toBe(checkStrong(c, true) !== undefined);
            expect(breaksWeak(c), `${barrier} seed ${seed} step ${c.step}`).toBe(checkWeak(c) !== undefined);
          }
          const runnable = c.goroutines.filter((g) => c.runnable(g));
          if (!runnable.length || sched.int(4) === 0) c.stepMarker(sched.int(2) === 0);
          else c.stepMutator(runnable[sched.int(runnable.length)]);
        }
      }
    }
  });

  it('a barrier that throws on some store is reported with its seed', () => {
    const r = checkBarrier((_s, old) => {
      if (old === 5) throw new Error('no');
    });
    expect(r.failure?.kind).toBe('barrier');
    expect(r.failure?.message).toMatch(/^seed \d+: your write barrier threw at step \d+ \(g\d: obj\d+\.f\[\d\] = (obj\d+|nil), old obj5\): no$/);
  });

  it('Dijkstra without the stack rescan loses objects (the rescan is part of the algorithm)', () => {
    expect(checkBarrier(dijkstra, { rescanStacks: false, seeds: 2_000 }).failure?.kind).toBe('lost');
  });

});
