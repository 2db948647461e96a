import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder } from '../core/trace';
import type { WorldSpec } from './collector';
import { gogcEvents } from './events';
import { GoOutOfMemoryError, MAX_OBJECTS } from './heap';
import { MAX_STEPS, runCycle } from './sim';
import type { MutatorOp } from './types';

/**
 * g0 builds a ring of `n` objects: each new object points to the one before (f[0]) and to itself
 * (f[1], the model's way to copy a stack slot: s0 = s1.f[1]); at the end the first points to the last.
 */
function ringProgram(n: number): MutatorOp[] {
  const step: MutatorOp[] = [
    { op: 'alloc', dst: 1, nfields: 2 },
    { op: 'store', obj: 1, field: 0, src: 0 },
    { op: 'store', obj: 1, field: 1, src: 1 },
    { op: 'load', dst: 0, obj: 1, field: 1 },
  ];
  const ops: MutatorOp[] = [{ op: 'alloc', dst: 0, nfields: 2 }, { op: 'store', obj: 0, field: 1, src: 0 }, { op: 'load', dst: 2, obj: 0, field: 1 }];
  for (let i = 1; i < n; i++) ops.push(...step);
  ops.push({ op: 'store', obj: 2, field: 0, src: 0 });
  return ops;
}
const RING = ringProgram(1_000_000); // built once: 4 million ops
const ringWorld = (): WorldSpec => ({ objects: [{ fields: [null] }], globals: [0], goroutines: [{ slots: [null, null, null], program: RING }] });

describe('bad input (issue 12: budgets and the runtime\'s own wording)', () => {
  it('a world of 10^6 objects is refused up front, naming the object cap', () => {
    const world: WorldSpec = { objects: new Array(1_000_000).fill({ fields: [] }), globals: [], goroutines: [] };
    expect(() => runCycle({ world, barrier: 'hybrid' })).toThrow(`world: 1,000,000 objects is over the model's cap of ${MAX_OBJECTS.toLocaleString('en-US')} (maxObjects)`);
  });

  it('a program building a ring of 10^6 objects while the mutator keeps the CPU stops at the step budget, quickly', () => {
    const schedule = Array.from({ length: 20_000 }, () => 0);
    expect(() => runCycle({ world: ringWorld(), barrier: 'hybrid', schedule })).toThrow(
      `gogc: the cycle did not finish in ${MAX_STEPS.toLocaleString('en-US')} steps (the step budget, maxSteps); a smaller world or program, or a larger maxSteps, fits`,
    );
  });

  it('with a larger step budget the same program stops at the object cap instead', () => {
    const schedule = Array.from({ length: 20_000 }, () => 0);
    expect(() => runCycle({ world: ringWorld(), barrier: 'hybrid', schedule, maxSteps: 1_000_000, maxObjects: 2_000 })).toThrow(
      "gogc: the heap already holds 2,000 objects, the model's cap (maxObjects); a program that keeps allocating stops here",
    );
  });

  it('allocation past heapLimitBytes dies with the runtime\'s out-of-memory text (mheap.grow, then throw)', () => {
    const trace = new TraceRecorder();
    // Two pages: the world's span and one more; g0 fills class 1 (1,024 objects a page) and asks for a third page.
    const program: MutatorOp[] = Array.from({ length: 2_100 }, () => ({ op: 'alloc', dst: 0, nfields: 1 }));
    const world: WorldSpec = { objects: [{ fields: [null] }], globals: [0], goroutines: [{ slots: [null], program }] };
    let err: unknown;
    try {
      runCycle({ world, barrier: 'hybrid', schedule: program.map(() => 0), heapLimitBytes: 16 << 10, env: newEnv({ trace }), maxSteps: 5_000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GoOutOfMemoryError);
    expect((err as GoOutOfMemoryError).stderr).toEqual(['runtime: out of memory: cannot allocate 8192-byte block (16384 in use)', 'fatal error: out of memory']);
    const fatal = trace.events.find((e) => e.type === 'gogc.fatal')!;
    expect(gogcEvents.text(fatal)).toMatch(/^step \d+: runtime: out of memory: cannot allocate 8192-byte block \(16384 in use\) \/ fatal error: out of memory$/);
  });

  it('a goroutine that never yields cannot hold the collector up: it is preempted after every op, and the cycle ends', () => {
    // A million-op loop; with the seeded scheduler the marker gets its 25 % of turns and the cycle ends long before.
    const spin: MutatorOp[] = new Array(1_000_000).fill({ op: 'load', dst: 1, obj: 0, field: 0 });
    const world: WorldSpec = { objects: [{ fields: [null] }], globals: [0], goroutines: [{ slots: [null, null], program: spin }] };
    const r = runCycle({ world, barrier: 'hybrid', rng: rngFromSeed(1) });
    expect(r.steps).toBeLessThan(100);
    expect(r.pauses.map((p) => p.reason)).toEqual(['GC sweep termination', 'GC mark termination']);
  });
});
