/**
 * Runs one GC cycle: a seeded scheduler interleaves the mutator goroutines with the marker (and,
 * once mark is over, the background sweeper), one step at a time, until the last span is swept.
 */
import { newEnv, type SimEnv } from '../core/env';
import type { Rng } from '../core/rng';
import { Collector, type CollectorConfig, type GcTimes, type Pause, type Violation, type WorldSpec } from './collector';
import type { GcCpuStats } from './cost';
import type { MarkerStats } from './greentea';
import type { Breach } from './invariants';
import type { ObjectId } from './types';

/** Who runs in a step: the marker (the background sweeper once mark is over), or goroutine n. */
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
   * gcBackgroundUtilization, the share of CPU the dedicated mark workers aim for); once mark is
   * over these turns go to the background sweeper.
   */
  markerPercent?: number;
  /** The step budget (default MAX_STEPS, 10,000): a run that needs more stops with a message naming it. */
  maxSteps?: number;
}

/**
 * The default step budget of a run. Every step is one op, one root job, one object (or span)
 * scanned or one span swept, so a program cannot spin without using steps: a goroutine that never
 * yields does not exist here (the scheduler preempts after every op, like Go 1.14+'s asynchronous
 * preemption), and a runaway program runs into this budget instead.
 */
export const MAX_STEPS = 10_000;

/** The message when a run exceeds its step budget. */
export function stepBudgetMessage(maxSteps: number, what: string): string {
  return `gogc: ${what} did not finish in ${maxSteps.toLocaleString('en-US')} steps (the step budget, maxSteps); a smaller world or program, or a larger maxSteps, fits`;
}

export interface CycleResult {
  collector: Collector;
  steps: number;
  freed: ObjectId[];
  lost: Breach[];
  violations: Violation[];
  /** What the marker did: objects and span scans, and how often consecutive scans stayed on one span. */
  stats: MarkerStats;
  /** Virtual time the run took (ns), its stop-the-world pauses, the cycle's timestamps and where the CPU went. */
  durationNs: number;
  pauses: Pause[];
  times: GcTimes;
  cpu: GcCpuStats;
}

/** One cycle: gcStart, interleaved steps, mark termination, sweep. */
// Upstream: src/runtime/mgc.go (gcStart -> gcBgMarkWorker -> gcMarkDone -> gcSweep)
export function runCycle(o: CycleOptions): CycleResult {
  const env = o.env ?? newEnv();
  const c = new Collector(o.world, o, env);
  const rng = o.rng?.fork('gogc/scheduler');
  const schedule = o.schedule ? [...o.schedule] : undefined;
  const maxSteps = o.maxSteps ?? MAX_STEPS;
  c.start();
  while (!c.done) {
    if (c.step >= maxSteps) throw new RangeError(stepBudgetMessage(maxSteps, 'the cycle'));
    const turn = nextTurn(c, rng, schedule, o.markerPercent ?? GC_BACKGROUND_UTILIZATION_PERCENT);
    if (turn === 'M') c.stepMarker(rng !== undefined && rng.int(2) === 0, !c.goroutines.some((g) => c.runnable(g)));
    else c.stepMutator(c.goroutines[turn]);
  }
  return cycleResult(c);
}

export function cycleResult(c: Collector): CycleResult {
  return {
    collector: c,
    steps: c.step,
    freed: c.freed,
    lost: c.lost,
    violations: c.violations,
    stats: c.stats,
    durationNs: c.nowNs,
    pauses: c.pauses,
    times: c.times,
    cpu: c.cpu,
  };
}

/** Wall time of each phase (ns): gctrace's three clock columns (sweep termination, mark, mark termination), then the concurrent sweep. */
export function phaseWallNs(t: GcTimes): { sweepTermination: number; mark: number; markTermination: number; sweep: number } {
  return { sweepTermination: t.tMark - t.tSweepTerm, mark: t.tMarkTerm - t.tMark, markTermination: t.tEnd - t.tMarkTerm, sweep: t.tSweepDone - t.tEnd };
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
