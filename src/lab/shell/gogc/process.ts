/**
 * The terminal's live Go process: a small object heap (the marking model's Collector) that
 * `gc now` collects, `gc step` advances one scheduler turn at a time and `heap` shows. Its
 * goroutines run their programs only while a cycle marks (the model's mutators), so between
 * cycles nothing happens: time here is scheduler steps, each one STEP_NS of process time.
 */
import {
  Collector,
  GcControllerState,
  GC_BACKGROUND_UTILIZATION_PERCENT,
  formatGctrace,
  readGOGC,
  readGOMEMLIMIT,
  type CollectorConfig,
  type GctraceRecord,
  type WorldSpec,
} from '../../../sim/gogc/index';
import type { SimEnv } from '../../../sim/core/env';
import type { Rng } from '../../../sim/core/rng';
import { SIZE_CLASSES } from '../../../sim/gogc/sizeclasses';

/** Process time one scheduler step stands for (a root job, one scanobject, one mutator op). A model constant. */
export const STEP_NS = 1000;

/** One finished cycle of the live process, as gcMarkTermination would print it. */
export interface LiveCycle {
  record: GctraceRecord;
  line: string;
  freed: number;
}

export interface LiveProcessOptions extends CollectorConfig {
  world: WorldSpec;
  /** The scheduler's turns (forked as `gogc/scheduler`). */
  rng: Rng;
  env: Pick<SimEnv, 'clock' | 'trace'>;
  /** The environment the process started with (GOGC, GOMEMLIMIT are read once, here). */
  GOGC?: string;
  GOMEMLIMIT?: string;
}

export class LiveProcess {
  readonly collector: Collector;
  readonly #rng: Rng;
  readonly #pacer: GcControllerState;
  /** memstats.numgc. */
  numgc = 0;
  /** GC CPU time so far (one P): the stop-the-world steps and the marker's turns. */
  #gcNs = 0;
  #cycle: { tSweepTerm: number; heap0: number; goal: number; markerSteps: number; freedBefore: number } | undefined;

  constructor(o: LiveProcessOptions) {
    this.collector = new Collector(o.world, { sweep: 'synchronous', ...o }, o.env);
    this.#rng = o.rng.fork('gogc/scheduler');
    this.#pacer = new GcControllerState(() => ({ heapFree: 0, heapAlloc: this.heapBytes(), mappedReady: this.heapBytes() }));
    this.#pacer.init(readGOGC(o.GOGC), readGOMEMLIMIT(o.GOMEMLIMIT));
  }

  get marking(): boolean {
    return this.collector.marking;
  }

  /** Bytes in use: every object's size-class size. */
  heapBytes(): number {
    let n = 0;
    for (const o of this.collector.heap.objects.values()) n += SIZE_CLASSES[o.sizeclass - 1].bytesPerObj;
    return n;
  }

  /** Process age in ns. */
  now(): number {
    return this.collector.step * STEP_NS;
  }

  /**
   * One scheduler turn; with no cycle running, the turn is gcStart (sweep termination, a
   * stop-the-world step). Returns the cycle that this step finished, if any.
   */
  step(): LiveCycle | undefined {
    const c = this.collector;
    if (!this.#cycle) {
      this.#cycle = { tSweepTerm: this.now(), heap0: this.heapBytes(), goal: this.#pacer.heapGoal(), markerSteps: 0, freedBefore: c.freed.length };
      // gcStart resets the mark state (roots unscanned again), so the same Collector runs cycle after cycle.
      c.start();
      return undefined;
    }
    const runnable = c.goroutines.filter((g) => c.runnable(g));
    const marker = runnable.length === 0 || this.#rng.int(100) < GC_BACKGROUND_UTILIZATION_PERCENT;
    if (!marker) {
      c.stepMutator(runnable[this.#rng.int(runnable.length)]);
      return undefined;
    }
    const heap1 = this.heapBytes();
    const tMarkTerm = this.now();
    c.stepMarker(this.#rng.int(2) === 0);
    if (c.marking) {
      this.#cycle.markerSteps++;
      return undefined;
    }
    return this.#finish(heap1, tMarkTerm);
  }

  /** runtime.GC(): finish the cycle in progress, then run a whole new one. */
  // Upstream: src/runtime/mgc.go (GC: gcWaitOnMark for the current cycle, then gcStart(gcTriggerCycle) and wait again)
  gcNow(maxSteps = 100_000): LiveCycle[] {
    const done: LiveCycle[] = [];
    const wasMarking = this.marking;
    for (let i = 0; i < maxSteps && done.length < (wasMarking ? 2 : 1); i++) {
      const finished = this.step();
      if (finished) done.push(finished);
    }
    return done;
  }

  #finish(heap1: number, tMarkTerm: number): LiveCycle {
    const cyc = this.#cycle!;
    this.#cycle = undefined;
    const heap2 = this.heapBytes();
    const tEnd = this.now();
    this.numgc++;
    const stw = STEP_NS * 2; // gcStart's step and mark termination's step, one P
    this.#gcNs += stw + cyc.markerSteps * STEP_NS;
    this.#pacer.resetLive(heap2);
    this.#pacer.commit(true);
    const record: GctraceRecord = {
      numgc: this.numgc,
      sinceStartNs: cyc.tSweepTerm,
      gcCpuFraction: tEnd > 0 ? this.#gcNs / tEnd : 0,
      tSweepTerm: cyc.tSweepTerm,
      tMark: cyc.tSweepTerm + STEP_NS,
      tMarkTerm,
      tEnd,
      stwprocs: 1,
      assistTime: 0,
      backgroundMarkTime: cyc.markerSteps * STEP_NS,
      idleMarkTime: 0,
      heap0: cyc.heap0,
      heap1,
      heap2,
      lastHeapGoal: cyc.goal,
      lastStackScan: 0,
      globalsScan: 0,
      maxprocs: 1,
      // Every cycle here is one the learner asked for (gc now, gc step): runtime.GC's gcTriggerCycle.
      userForced: true,
    };
    return { record, line: formatGctrace(record), freed: this.collector.freed.length - cyc.freedBefore };
  }
}
