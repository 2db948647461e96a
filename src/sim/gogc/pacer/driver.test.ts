import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forcegcperiod } from './constants';
import { MalformedGOMEMLIMITError } from './env';
import { runGcWorkload, type GcWorkload } from './driver';

const MiB = 1 << 20;
const kibPerCpuMs = 1024 * 1000; // mgcpacer_test.go's rate unit (KiB / cpu-ms) in B / cpu-s

// ref: TestGcPacer/Steady, /SteadyBigStacks, /SteadyBigGlobals (src/runtime/mgcpacer_test.go):
// 8 cores, scanRate 1024 KiB/cpu-ms, the same checker: after 25 cycles utilization within 0.005
// of the 25% goal and of the previous cycle, and the peak heap within 5% of the goal. Upstream
// drives the pacer with its own idealised harness; ours is the same assist model in virtual time.
describe('steady state (TestGcPacer)', () => {
  const cases = [
    { ref: 'TestGcPacer/Steady', allocRate: 33, stackBytes: 8192, globalsBytes: 32 << 10 },
    { ref: 'TestGcPacer/SteadyBigStacks', allocRate: 132, stackBytes: 128 * MiB, globalsBytes: 32 << 10 },
    { ref: 'TestGcPacer/SteadyBigGlobals', allocRate: 132, stackBytes: 8192, globalsBytes: 128 * MiB },
  ];
  for (const k of cases) {
    it(`${k.ref}: converges to 25% GC CPU and the goal`, () => {
      const run = runGcWorkload({
        allocBytesPerSec: k.allocRate * kibPerCpuMs * 8,
        liveHeapBytes: 16 * MiB,
        gomaxprocs: 8,
        durationMs: 60_000,
        stackBytes: k.stackBytes,
        globalsBytes: k.globalsBytes,
        scanBytesPerCpuSec: 1024 * kibPerCpuMs,
        maxCycles: 50,
      });
      const c = run.cycles;
      expect(c.length).toBe(50);
      for (let n = 25; n <= c.length; n++) {
        const last = c[n - 1];
        expect(Math.abs(last.markUtilization - 0.25)).toBeLessThan(0.005);
        expect(Math.abs(last.markUtilization - c[n - 2].markUtilization)).toBeLessThan(0.005);
        const goalRatio = last.heap1 / last.goal;
        expect(goalRatio).toBeGreaterThanOrEqual(0.95);
        expect(goalRatio).toBeLessThanOrEqual(1.05);
      }
    });
  }
});

const base: GcWorkload = { allocBytesPerSec: 200e6, liveHeapBytes: 4 * MiB, gomaxprocs: 4, durationMs: 300 };

// ref: the GC guide ("GOGC"): with 4 MiB live and GOGC=100 the heap cycles between the live heap
// and an 8 MiB (plus roots) goal; the first cycle starts from the 4 MiB minimum heap.
describe('gctrace over a run', () => {
  const run = runGcWorkload(base);
  it('the first cycle: the 4 MiB minimum heap, triggered at 61/64 of it', () => {
    expect(run.cycles[0].trigger).toBe(Math.floor((4 * MiB) / 64) * 61);
    expect(run.gctrace[0]).toMatch(/^gc 1 @0\.019s \d+%: 0\.020\+3\.\d\+0\.040 ms clock, .* 3->4->4 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P$/);
  });
  it('later cycles: goal = live + (live + roots) * GOGC/100, where live includes what was allocated black', () => {
    for (const c of run.cycles.slice(2)) {
      const prev = run.cycles[c.n - 2];
      expect(c.goal).toBe(prev.heap2 + prev.heap2 + (64 << 10) + (32 << 10));
      expect(c.gctrace).toContain(`${Math.floor(c.heap0 / MiB)}->${Math.floor(c.heap1 / MiB)}->${Math.floor(c.heap2 / MiB)} MB`);
    }
  });
  it('numbers the cycles and keeps time moving forward', () => {
    run.cycles.forEach((c, i) => {
      expect(c.n).toBe(i + 1);
      expect(c.tSweepTerm < c.tMark && c.tMark < c.tMarkTerm && c.tMarkTerm < c.tEnd).toBe(true);
      if (i > 0) expect(c.tSweepTerm).toBeGreaterThanOrEqual(run.cycles[i - 1].tEnd);
    });
  });
  it('GOMAXPROCS=1 marks with a fractional worker only', () => {
    const one = runGcWorkload({ ...base, gomaxprocs: 1 });
    expect(one.cycles[0].workers).toEqual({ dedicatedMarkWorkersNeeded: 0, fractionalUtilizationGoal: 0.25 });
    expect(one.cycles[0].dedicatedMarkTime).toBe(0);
    expect(one.cycles[0].fractionalMarkTime).toBeGreaterThan(0);
  });
});

// ref: src/runtime/proc.go (forcegcperiod, sysmon) and mgc.go (gcTrigger.test, gcTriggerTime;
// work.userForced for gcTriggerCycle only).
describe('forced and periodic cycles', () => {
  const idle: GcWorkload = { allocBytesPerSec: 0, liveHeapBytes: MiB, gomaxprocs: 2, durationMs: 400_000 };
  it('an idle program never collects until something starts the first cycle', () => {
    expect(runGcWorkload(idle).cycles).toHaveLength(0);
  });
  it('runtime.GC() prints (forced); then sysmon forces a cycle every 2 minutes, without the suffix', () => {
    const run = runGcWorkload({ ...idle, runtimeGCAtMs: [10] });
    expect(run.cycles.map((c) => c.kind)).toEqual(['gcTriggerCycle', 'gcTriggerTime', 'gcTriggerTime', 'gcTriggerTime']);
    expect(run.gctrace[0]).toMatch(/^gc 1 @0\.010s .* 2 P \(forced\)$/);
    expect(run.gctrace[1]).toMatch(/^gc 2 @120\.010s .* 2 P$/);
    expect(run.cycles[1].tSweepTerm - run.cycles[0].tEnd).toBeGreaterThan(forcegcperiod);
  });
  it('GOGC=off: no periodic cycles, and no heap-triggered ones without a memory limit', () => {
    const run = runGcWorkload({ ...idle, allocBytesPerSec: 100e6, durationMs: 300_000, GOGC: 'off', runtimeGCAtMs: [10] });
    expect(run.cycles.map((c) => c.kind)).toEqual(['gcTriggerCycle']);
    expect(run.heapLive).toBeGreaterThan(29e9);
  });
});

// ref: go.dev/doc/gc-guide ("Memory limit"), src/runtime/mgcpacer.go (memoryLimitHeapGoal) and
// mgclimit.go (the 50% GC CPU limiter).
describe('GOMEMLIMIT', () => {
  const limited: GcWorkload = { allocBytesPerSec: 500e6, liveHeapBytes: 100 * MiB, gomaxprocs: 8, durationMs: 3000, GOGC: 'off', GOMEMLIMIT: '150MiB' };
  it('GOGC=off with a limit: the goal sits under the limit, less non-heap memory and headroom', () => {
    const run = runGcWorkload(limited);
    expect(run.memoryLimit).toBe(150 * MiB);
    const nonHeap = (64 << 10) + 2 * MiB;
    for (const c of run.cycles.slice(3)) {
      expect(c.goal).toBeLessThanOrEqual(150 * MiB - nonHeap - MiB);
      expect(c.heap1).toBeLessThanOrEqual(c.goal * 1.01);
      expect(c.heap1 + nonHeap).toBeLessThanOrEqual(150 * MiB);
    }
  });
  it('a live heap over the limit: back-to-back cycles, the limiter caps GC near 50% CPU (no death spiral)', () => {
    const run = runGcWorkload({ ...limited, allocBytesPerSec: 4e9, liveHeapBytes: 200 * MiB, gomaxprocs: 4, durationMs: 40_000 });
    const cycles = run.cycles;
    expect(cycles.filter((c) => c.limited).length).toBeGreaterThan(cycles.length / 2);
    for (let i = 1; i < cycles.length; i++) expect(cycles[i].tSweepTerm).toBe(cycles[i - 1].tEnd);
    const util = Number(/ (\d+)%:/.exec(run.gctrace.at(-1)!)![1]);
    expect(util).toBeGreaterThanOrEqual(48);
    expect(util).toBeLessThanOrEqual(55);
    expect(cycles.at(-1)!.heap2).toBeGreaterThan(150 * MiB); // the heap overshoots the limit instead
  });
  it('a malformed GOMEMLIMIT stops the program before any cycle', () => {
    expect(() => runGcWorkload({ ...limited, GOMEMLIMIT: '2GB' })).toThrow(MalformedGOMEMLIMITError);
  });
});

describe('determinism', () => {
  it('the same workload gives the same cycles, byte for byte', () => {
    fc.assert(
      fc.property(
        fc.record({
          allocBytesPerSec: fc.integer({ min: 0, max: 2e9 }),
          liveHeapBytes: fc.integer({ min: 0, max: 256 * MiB }),
          gomaxprocs: fc.integer({ min: 1, max: 16 }),
          gogc: fc.constantFrom(undefined, 'off', '50', '100', '400'),
          limit: fc.constantFrom(undefined, '64MiB', '512MiB'),
        }),
        (w) => {
          const workload: GcWorkload = { allocBytesPerSec: w.allocBytesPerSec, liveHeapBytes: w.liveHeapBytes, gomaxprocs: w.gomaxprocs, durationMs: 500, GOGC: w.gogc, GOMEMLIMIT: w.limit, maxCycles: 200 };
          const a = runGcWorkload(workload);
          expect(JSON.stringify(runGcWorkload(workload))).toBe(JSON.stringify(a));
          for (const c of a.cycles) {
            expect(c.trigger).toBeLessThanOrEqual(c.goal);
            expect(c.markUtilization).toBeGreaterThanOrEqual(0.2);
            expect(c.markUtilization).toBeLessThanOrEqual(1);
            expect(Number.isInteger(c.heap0) && Number.isInteger(c.heap1) && Number.isInteger(c.heap2)).toBe(true);
          }
        },
      ),
      { numRuns: 30, seed: 17 },
    );
  });
});
