/**
 * Runs one GC cycle: a seeded scheduler interleaves the mutator goroutines with the marker, one
 * step at a time, until the marker finishes mark termination and sweep.
 */
import { newEnv, type SimEnv } from '../core/env';
import type { Rng } from '../core/rng';
import { Collector, type CollectorConfig, type Violation, type WorldSpec } from './collector';
import type { MarkerStats } from './greentea';
import type { Breach } from './invariants';
import type { ObjectId } from './types';

/** Who runs in a step: the marker, or goroutine n. */
export type Turn = 'M' | number;

export interface CycleOptions extends CollectorConfig {
  world: WorldSpec;
  /** Picks the turns (forked as `gogc/scheduler`); or give `schedule`. */
  rng?: Rng;
  /**
   * Fixed turns, in order (a turn for a finished goroutine is skipped); when they run out the
   * marker runs alone until the cycle ends.
   */
  schedule?: Turn[];
  env?: Pick<SimEnv, 'clock' | 'trace'>;
  /**
   * Percent of random turns given to the marker while a mutator can run (default 25: the pacer's
   * gcBackgroundUtilization, the share of CPU the dedicated mark workers aim for).
   */
  markerPercent?: number;
  /** Safety stop (default 10,000 steps). */
  maxSteps?: number;
}

export interface CycleResult {
  collector: Collector;
  steps: number;
  freed: ObjectId[];
  lost: Breach[];
  violations: Violation[];
  /** What the marker did: objects and span scans, and how often consecutive scans stayed on one span. */
  stats: MarkerStats;
}

/** One cycle: gcStart, interleaved steps, mark termination, sweep. */
// Upstream: src/runtime/mgc.go (gcStart -> gcBgMarkWorker -> gcMarkDone -> gcSweep)
export function runCycle(o: CycleOptions): CycleResult {
  const env = o.env ?? newEnv();
  const c = new Collector(o.world, o, env);
  const rng = o.rng?.fork('gogc/scheduler');
  const schedule = o.schedule ? [...o.schedule] : undefined;
  const maxSteps = o.maxSteps ?? 10_000;
  c.start();
  while (!c.done) {
    if (c.step >= maxSteps) throw new Error(`gogc: cycle did not finish in ${maxSteps} steps`);
    const turn = nextTurn(c, rng, schedule, o.markerPercent ?? GC_BACKGROUND_UTILIZATION_PERCENT);
    if (turn === 'M') c.stepMarker(rng !== undefined && rng.int(2) === 0);
    else c.stepMutator(c.goroutines[turn]);
  }
  return { collector: c, steps: c.step, freed: c.freed, lost: c.lost, violations: c.violations, stats: c.stats };
}

/** Upstream: src/runtime/mgcpacer.go (gcBackgroundUtilization = 0.25). */
export const GC_BACKGROUND_UTILIZATION_PERCENT = 25;

function nextTurn(c: Collector, rng: Rng | undefined, schedule: Turn[] | undefined, markerPercent: number): Turn {
  if (schedule) {
    while (schedule.length) {
      const t = schedule.shift()!;
      if (t === 'M') return t;
      const g = c.goroutines[t];
      if (!g) throw new RangeError(`schedule: no goroutine ${t}`);
      if (c.runnable(g)) return t;
    }
    return 'M';
  }
  const runnable = c.goroutines.filter((g) => c.runnable(g));
  if (!rng || runnable.length === 0 || rng.int(100) < markerPercent) return 'M';
  return runnable[rng.int(runnable.length)].id;
}
