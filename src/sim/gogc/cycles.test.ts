import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder } from '../core/trace';
import type { WorldSpec } from './collector';
import { runGcCycles } from './cycles';
import type { MutatorOp } from './types';

/**
 * A program that keeps allocating garbage: g0 allocates a 2-pointer object into slot 0 over and
 * over (each replaces the last, so only the newest is live), on top of a small live tree.
 */
function churn(allocs: number): WorldSpec {
  const program: MutatorOp[] = [];
  for (let i = 0; i < allocs; i++) program.push({ op: 'alloc', dst: 0, nfields: 2 }, { op: 'load', dst: 1, obj: 0, field: 0 });
  return {
    objects: Array.from({ length: 15 }, (_, i) => ({ fields: [2 * i + 1, 2 * i + 2].map((c) => (c < 15 ? c : null)) })),
    globals: [0],
    goroutines: [{ slots: [null, null], program }],
  };
}

describe('several cycles in a row (mgc.go gcTrigger.test, mgcpacer.go trigger/commit, proc.go forcegcperiod)', () => {
  it('the pacer starts a cycle each time the live heap reaches its trigger; each prints a gctrace line', () => {
    const r = runGcCycles({ world: churn(100), barrier: 'hybrid', rng: rngFromSeed(1) });
    expect(r.cycles.length).toBeGreaterThanOrEqual(3);
    for (const cyc of r.cycles) {
      expect(cyc.kind).toBe('gcTriggerHeap');
      expect(cyc.heap0).toBeGreaterThanOrEqual(cyc.trigger);
      expect(cyc.lost).toBe(0);
      // GOGC=100 over the marked heap plus the roots: the goal is about twice the live heap.
      expect(cyc.heap2).toBeLessThanOrEqual(cyc.heap1);
    }
    // The tree (15 x 16 B) and g0's newest objects stay live; the churn is freed cycle after cycle.
    expect(r.cycles.reduce((n, c) => n + c.freed, 0)).toBeGreaterThan(50);
    expect(r.gctrace[0]).toMatch(/^gc 1 @0\.000s \d+%: [\d.]+\+[\d.]+\+[\d.]+ ms clock, [\d.]+\+[\d.]+\/[\d.]+\/[\d.]+\+[\d.]+ ms cpu, 0->0->0 MB, 0 MB goal, 0 MB stacks, 0 MB globals, 1 P$/);
    expect(r.gctrace.map((l) => l.split(' ')[1])).toEqual(r.cycles.map((_, i) => String(i + 1)));
  });

  it('a higher GOGC runs fewer cycles over the same program; GOGC=off none', () => {
    const count = (GOGC: string) => runGcCycles({ world: churn(100), barrier: 'hybrid', rng: rngFromSeed(1), GOGC }).cycles.length;
    expect(count('50')).toBeGreaterThan(count('100'));
    expect(count('100')).toBeGreaterThan(count('400'));
    expect(count('off')).toBe(0);
  });

  it('runtime.GC() forces a cycle, marked "(forced)" in gctrace', () => {
    const r = runGcCycles({ world: churn(3), barrier: 'hybrid', rng: rngFromSeed(1), GOGC: 'off', runtimeGCAtSteps: [2] });
    expect(r.cycles.map((c) => c.kind)).toEqual(['gcTriggerCycle']);
    expect(r.gctrace[0]).toMatch(/ \(forced\)$/);
  });

  it('an idle program gets the periodic GC every forcegcperiod (2 minutes), not marked forced', () => {
    const trace = new TraceRecorder();
    const r = runGcCycles({ world: churn(3), barrier: 'hybrid', rng: rngFromSeed(1), GOGC: 'off', runtimeGCAtSteps: [1], idleUntilNs: 5 * 60e9, env: newEnv({ trace }) });
    expect(r.cycles.map((c) => c.kind)).toEqual(['gcTriggerCycle', 'gcTriggerTime', 'gcTriggerTime']);
    const starts = r.cycles.map((c) => c.times.tSweepTerm);
    expect(starts[1] - r.cycles[0].times.tSweepDone).toBe(120e9);
    expect(r.gctrace[1]).toMatch(/^gc 2 @120\.\d{3}s /);
    expect(r.gctrace[1]).not.toMatch(/forced/);
    // The trace's clock (ms) moved with it.
    expect(trace.events[trace.events.length - 1].t).toBeGreaterThan(240_000);
  });

  it('the historic stop-the-world collector runs the same cycles with one pause each', () => {
    const r = runGcCycles({ world: churn(100), barrier: 'none', collector: 'stw', rng: rngFromSeed(1) });
    expect(r.cycles.length).toBeGreaterThanOrEqual(3);
    expect(r.collector.pauses).toHaveLength(r.cycles.length);
    expect(r.collector.pauses.every((p) => p.reason === 'stop-the-world GC')).toBe(true);
    // gctrace: the first and last clock columns are the pause's stop and mark termination + sweep; no concurrent mark.
    for (const c of r.cycles) expect(c.times.tMark).toBeGreaterThan(c.times.tSweepTerm);
    expect(r.gctrace[0]).toMatch(/^gc 1 @0\.000s \d+%: [\d.]+\+[\d.]+\+[\d.]+ ms clock/);
  });
});
