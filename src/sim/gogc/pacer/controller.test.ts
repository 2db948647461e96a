import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultHeapMinimum, maxInt64, maxUint64 } from './constants';
import { GcControllerState, markWorkersFor, type MemoryStats } from './controller';
import { readGOGC } from './env';

const MiB = 1 << 20;

/** A controller whose last cycle marked `marked` bytes, scanned `stacks` of stack, with `globals`. */
function afterCycle(opts: { gogc?: number; marked: number; stacks?: number; globals?: number; sweepDone?: boolean; mem?: () => MemoryStats }) {
  const c = new GcControllerState(opts.mem);
  c.init(opts.gogc ?? 100, maxInt64);
  c.globalsScan = opts.globals ?? 0;
  c.heapScanWork = opts.marked;
  c.stackScanWork = opts.stacks ?? 0;
  c.resetLive(opts.marked);
  c.commit(opts.sweepDone ?? true);
  return c;
}

// ref: go.dev/doc/gc-guide ("Understanding costs"): Target heap memory = Live heap + (Live heap +
// GC roots) * GOGC/100, with the guide's worked numbers; and mgc.go's "GC rate" comment.
describe('heap goal (GC guide)', () => {
  const cases: { name: string; gogc: number; live: number; stacks: number; globals: number; goal: number }[] = [
    { name: 'mgc.go: GOGC=100 and 4M in use: GC again at 8M', gogc: 100, live: 4 * MiB, stacks: 0, globals: 0, goal: 8 * MiB },
    { name: 'guide: 8 MiB live, 1 MiB stacks, 1 MiB globals, GOGC=100 -> 18 MiB', gogc: 100, live: 8 * MiB, stacks: MiB, globals: MiB, goal: 18 * MiB },
    { name: 'guide: the same at GOGC=50 -> 13 MiB', gogc: 50, live: 8 * MiB, stacks: MiB, globals: MiB, goal: 13 * MiB },
    { name: 'guide: the same at GOGC=200 -> 28 MiB', gogc: 200, live: 8 * MiB, stacks: MiB, globals: MiB, goal: 28 * MiB },
    { name: 'a small live heap gets the 4 MiB minimum', gogc: 100, live: MiB, stacks: 0, globals: 0, goal: 4 * MiB },
    { name: 'the minimum scales with GOGC: 2 MiB at GOGC=50', gogc: 50, live: 512 << 10, stacks: 0, globals: 0, goal: 2 * MiB },
    { name: 'GOGC=0: no minimum, collect at the live heap', gogc: 0, live: 3 * MiB, stacks: 0, globals: 0, goal: 3 * MiB },
  ];
  for (const k of cases) {
    it(k.name, () => {
      const c = afterCycle({ gogc: k.gogc, marked: k.live, stacks: k.stacks, globals: k.globals });
      expect(c.heapGoal()).toBe(k.goal);
    });
  }
  it('GOGC=off has no GOGC goal (^uint64(0)); only the (here MaxInt64) memory limit bounds the heap', () => {
    const c = afterCycle({ gogc: readGOGC('off'), marked: 100 * MiB });
    expect(c.gcPercent).toBe(-1);
    expect(c.heapMinimum).toBe(0);
    expect(c.gcPercentHeapGoal).toBe(maxUint64);
    expect(c.heapGoal()).toBe(c.memoryLimitHeapGoal());
    expect(c.heapGoal()).toBeGreaterThan(2 ** 62);
  });
  it('setGCPercent: heapMinimum = 4 MiB * GOGC / 100 and any negative is off', () => {
    const c = new GcControllerState();
    c.init(100, maxInt64);
    expect(c.heapMinimum).toBe(defaultHeapMinimum);
    expect(c.setGCPercent(200)).toBe(100);
    expect(c.heapMinimum).toBe(8 * MiB);
    c.setGCPercent(-42);
    expect(c.gcPercent).toBe(-1);
  });
  it('right after a cycle the sweeper gets 1 MiB of distance: the goal is at least heapLive + 1 MiB', () => {
    const c = afterCycle({ gogc: 0, marked: 10 * MiB, sweepDone: false });
    expect(c.heapGoal()).toBe(11 * MiB);
  });
});

// ref: src/runtime/mgcpacer.go (trigger): bounds at 45/64 and 61/64 of the way from the live heap
// to the goal, or goal - 4 MiB for large heaps; the runway picks a point in between.
describe('trigger', () => {
  it('the first cycle triggers at 61/64 of the 4 MiB minimum heap', () => {
    const c = new GcControllerState();
    c.init(100, maxInt64);
    expect(c.trigger()).toEqual({ trigger: Math.floor((4 * MiB) / 64) * 61, goal: 4 * MiB });
  });
  it('a small heap with no runway triggers at the max bound, 61/64 of the way', () => {
    const c = afterCycle({ marked: MiB });
    expect(c.trigger()).toEqual({ trigger: Math.floor((3 * MiB) / 64) * 61 + MiB, goal: 4 * MiB });
  });
  it('a large heap with no runway triggers 4 MiB before the goal', () => {
    const c = afterCycle({ marked: 100 * MiB });
    expect(c.trigger()).toEqual({ trigger: 196 * MiB, goal: 200 * MiB });
  });
  it('a runway longer than the goal triggers at the min bound, 45/64 of the way', () => {
    const c = afterCycle({ marked: 100 * MiB });
    c.runway = 1e12;
    expect(c.trigger().trigger).toBe(Math.floor((100 * MiB) / 64) * 45 + 100 * MiB);
  });
  it('a runway in between triggers at goal - runway', () => {
    const c = afterCycle({ marked: 100 * MiB });
    c.runway = 20 * MiB;
    expect(c.trigger().trigger).toBe(180 * MiB);
  });
  it('commit sets the runway from cons/mark: consMark * (1-u)/u * (heap scan + stacks + globals)', () => {
    const c = afterCycle({ marked: 100 * MiB, stacks: 2 * MiB, globals: 2 * MiB });
    c.consMark = 0.1;
    c.commit(true);
    expect(c.runway).toBe(Math.trunc(0.1 * 3 * 104 * MiB));
  });
});

// ref: src/runtime/mgcpacer.go (memoryLimitHeapGoal)
describe('memory-limit goal', () => {
  const mem = (heapAlloc: number, nonHeap: number, heapFree = 0) => () => ({ heapAlloc, heapFree, mappedReady: heapAlloc + heapFree + nonHeap });
  it('is the limit minus non-heap memory, less 3% headroom, when that is under the GOGC goal', () => {
    const c = afterCycle({ marked: 60 * MiB, mem: mem(60 * MiB, 10 * MiB) });
    c.setMemoryLimit(100 * MiB);
    const room = 90 * MiB;
    expect(c.memoryLimitHeapGoal()).toBe(room - Math.floor(room / 100) * 3);
    expect(c.heapGoal()).toBe(c.memoryLimitHeapGoal());
  });
  it('keeps at least 1 MiB of headroom on small limits', () => {
    const c = afterCycle({ marked: 5 * MiB, mem: mem(5 * MiB, MiB) });
    c.setMemoryLimit(12 * MiB);
    expect(c.memoryLimitHeapGoal()).toBe(10 * MiB);
  });
  it('subtracts the overage when mapped memory is already over the limit', () => {
    const c = afterCycle({ marked: 10 * MiB, mem: mem(95 * MiB, 10 * MiB) });
    c.setMemoryLimit(100 * MiB);
    // goal = 100 - (10 + 5) = 85 MiB, less 3%.
    expect(c.memoryLimitHeapGoal()).toBe(85 * MiB - Math.floor((85 * MiB) / 100) * 3);
  });
  it('never goes below the marked heap: a live heap over the limit collects back to back', () => {
    const c = afterCycle({ gogc: -1, marked: 200 * MiB, mem: mem(200 * MiB, 2 * MiB) });
    c.setMemoryLimit(150 * MiB);
    expect(c.heapGoal()).toBe(200 * MiB);
    expect(c.trigger()).toEqual({ trigger: 200 * MiB, goal: 200 * MiB });
  });
  it('falls back to heapMarked when non-heap memory alone fills the limit', () => {
    const c = afterCycle({ marked: 7 * MiB, mem: mem(7 * MiB, 64 * MiB) });
    c.setMemoryLimit(64 * MiB);
    expect(c.memoryLimitHeapGoal()).toBe(7 * MiB);
  });
  it('setMemoryLimit with a negative input only reads', () => {
    const c = new GcControllerState();
    c.init(100, 5 * MiB);
    expect(c.setMemoryLimit(-1)).toBe(5 * MiB);
    expect(c.memoryLimit).toBe(5 * MiB);
  });
});

// ref: src/runtime/mgcpacer.go (startCycle): dedicated workers round GOMAXPROCS/4; a fractional
// worker makes up the rest when rounding is more than 30% off (GOMAXPROCS <= 3 or 6).
describe('mark workers', () => {
  const cases: [number, number, number][] = [
    [1, 0, 0.25],
    [2, 0, 0.25],
    [3, 0, 0.25],
    [4, 1, 0],
    [5, 1, 0], // 1.25 rounds to 1: 20% off, tolerated
    [6, 1, 0.5 / 6],
    [7, 2, 0], // 1.75 rounds to 2: 14% off
    [8, 2, 0],
    [10, 3, 0], // 2.5 rounds up: 20% off
    [64, 16, 0],
  ];
  for (const [procs, dedicated, fractional] of cases) {
    it(`GOMAXPROCS=${procs}: ${dedicated} dedicated + ${fractional.toFixed(4)} fractional`, () => {
      const w = markWorkersFor(procs);
      expect(w.dedicatedMarkWorkersNeeded).toBe(dedicated);
      expect(w.fractionalUtilizationGoal).toBeCloseTo(fractional, 12);
      expect(w.dedicatedMarkWorkersNeeded + w.fractionalUtilizationGoal * procs).toBeGreaterThan(procs * 0.25 * 0.7);
    });
  }
});

// ref: src/runtime/mgcpacer.go (revise)
describe('assist ratio', () => {
  function marking() {
    const c = afterCycle({ marked: 100 * MiB });
    c.update(50 * MiB, 50 * MiB);
    c.startCycle(0, 8, 'gcTriggerHeap');
    return c;
  }
  it('is the expected scan work over the bytes left to the goal', () => {
    const c = marking();
    // 100 MiB to scan (last cycle's), 50 MiB from heapLive (150) to the goal (200).
    expect(c.assistWorkPerByte).toBe(2);
    expect(c.assistBytesPerWork).toBe(0.5);
  });
  it('stretches the goal when the heap outgrew last cycle, up to the hard goal', () => {
    const c = marking();
    c.heapScanWork = 120 * MiB; // more than the 100 MiB expected
    c.revise();
    // extended goal = (200-150)/100 * 150 + 150 = 225 MiB; 30 MiB of the 150 MiB worst case left.
    expect(c.assistWorkPerByte).toBeCloseTo((30 * MiB) / (75 * MiB), 12);
  });
  it('leaves 10% more runway once past the goal', () => {
    const c = marking();
    c.update(60 * MiB, 0); // heapLive 210 MiB > 200 MiB
    expect(c.assistWorkPerByte).toBeCloseTo((150 * MiB) / (220 * MiB - 210 * MiB), 9);
  });
  it('endCycle measures cons/mark and keeps the max of the last five', () => {
    const c = marking();
    c.heapScanWork = 100 * MiB;
    c.update(10 * MiB, 0);
    c.assistTime = 0;
    c.endCycle(1e6, 8);
    // (heapLive - triggered) * u / (scanWork * (1 - u)) with u = 0.25
    expect(c.consMark).toBeCloseTo((10 * MiB * 0.25) / (100 * MiB * 0.75), 12);
    expect(c.lastHeapGoal).toBe(200 * MiB);
  });
});

// ref: src/runtime/mgcpacer.go (trigger): "Invariant: the trigger must always be less than the heap
// goal", and the trigger stays between heapMarked and the 61/64 (or goal - 4 MiB) bound.
describe('trigger invariants', () => {
  it('holds for any marked heap, roots, GOGC, runway, limit and sweep state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 30 }),
        fc.integer({ min: -1, max: 1000 }),
        fc.integer({ min: 0, max: 2 ** 41 }),
        fc.option(fc.integer({ min: 0, max: 2 ** 41 }), { nil: undefined }),
        fc.boolean(),
        (marked, roots, gogc, runway, limit, sweepDone) => {
          const c = afterCycle({ gogc, marked, stacks: roots, sweepDone, mem: () => ({ heapAlloc: marked, heapFree: 0, mappedReady: marked + roots }) });
          if (limit !== undefined) c.setMemoryLimit(limit);
          c.runway = runway;
          const { trigger, goal } = c.trigger();
          expect(trigger).toBeLessThanOrEqual(goal);
          if (goal > marked) {
            expect(trigger).toBeGreaterThanOrEqual(marked);
            const maxBound = Math.max(Math.floor((goal - marked) / 64) * 61 + marked, goal - defaultHeapMinimum);
            const minBound = Math.max(Math.floor((goal - marked) / 64) * 45 + marked, c.sweepDistMinTrigger);
            expect(trigger).toBeLessThanOrEqual(Math.max(maxBound, minBound));
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
