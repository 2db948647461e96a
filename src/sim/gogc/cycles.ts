/**
 * Several GC cycles in a row over one running program: the pacer (pacer/controller.ts) sets each
 * cycle's trigger and goal from the heap the last one marked; a cycle starts when the live heap
 * reaches the trigger (gcTriggerHeap), when the program calls runtime.GC() (gcTriggerCycle), or
 * when none has run for forcegcperiod (sysmon's periodic GC, gcTriggerTime). Each finished cycle
 * prints its gctrace line from the marking model's own figures.
 */
import { newEnv, type SimEnv } from '../core/env';
import type { Rng } from '../core/rng';
import { Collector, type CollectorConfig, type GcTimes, type WorldSpec } from './collector';
import type { GcCpuStats } from './cost';
import { forcegcperiod, maxInt64 } from './pacer/constants';
import { GcControllerState, type GcTriggerKind } from './pacer/controller';
import { readGOGC } from './pacer/env';
import { formatGctrace } from './pacer/gctrace';
import { GC_BACKGROUND_UTILIZATION_PERCENT, MAX_STEPS, stepBudgetMessage } from './sim';
import { PTR_SIZE_BYTES } from './sizeclasses';

export interface GcCyclesOptions extends CollectorConfig {
  world: WorldSpec;
  /** Picks the turns (forked as `gogc/scheduler`). */
  rng: Rng;
  env?: Pick<SimEnv, 'clock' | 'trace'>;
  /** GOGC as the environment variable's text (default "100"; "off" turns the heap trigger off). */
  GOGC?: string;
  /** Steps at which the program calls runtime.GC() (a forced, blocking cycle; gctrace adds "(forced)"). */
  runtimeGCAtSteps?: number[];
  /**
   * Once every goroutine is done the program sits idle until this virtual time (ns), and sysmon's
   * periodic GC runs every `forcegcPeriodNs` meanwhile. Default 0: the run ends with the program.
   */
  idleUntilNs?: number;
  /** Upstream's forcegcperiod (proc.go), 2 minutes; tests may shorten it. */
  forcegcPeriodNs?: number;
  /**
   * The pacer's floor for the heap goal (heapMinimum). Upstream: 4 MiB at GOGC=100; the model's
   * heaps are hundreds of bytes, so the default is 0 and the goal is GOGC's alone.
   */
  heapMinimumBytes?: number;
  markerPercent?: number;
  /** The step budget (default MAX_STEPS). */
  maxSteps?: number;
}

/** One finished cycle: why it ran, the pacer's numbers, the marking model's figures, its gctrace line. */
export interface GcCycleRecord {
  n: number;
  kind: GcTriggerKind;
  /** heapLive that triggered it and the goal it paced against (bytes). */
  trigger: number;
  goal: number;
  heap0: number;
  heap1: number;
  heap2: number;
  times: GcTimes;
  /** This cycle's share of the CPU buckets (from its sweep termination to its last span swept). */
  cpu: GcCpuStats;
  freed: number;
  lost: number;
  gctrace: string;
}

export interface GcCyclesRun {
  collector: Collector;
  cycles: GcCycleRecord[];
  gctrace: string[];
  steps: number;
}

/** Runs the program to its end (and its idle time), collecting whenever a trigger fires. */
// Upstream: src/runtime/mgc.go (gcTrigger.test, gcStart) and proc.go (sysmon, forcegchelper)
export function runGcCycles(o: GcCyclesOptions): GcCyclesRun {
  const env = o.env ?? newEnv();
  const c = new Collector(o.world, o, env);
  const rng = o.rng.fork('gogc/scheduler');
  const maxSteps = o.maxSteps ?? MAX_STEPS;
  const period = o.forcegcPeriodNs ?? forcegcperiod;
  const forcedAt = [...(o.runtimeGCAtSteps ?? [])].sort((a, b) => a - b);
  const stackBytes = c.goroutines.reduce((n, g) => n + g.slots.length, 0) * PTR_SIZE_BYTES;
  const globalsBytes = c.globals.length * PTR_SIZE_BYTES;

  const pacer: GcControllerState = new GcControllerState(() => ({ heapFree: 0, heapAlloc: c.heap.liveBytes, mappedReady: c.heap.mappedBytes }));
  pacer.init(readGOGC(o.GOGC), maxInt64);
  pacer.heapMinimum = o.heapMinimumBytes ?? 0;
  pacer.lastStackScan = pacer.maxStackScan = stackBytes;
  pacer.globalsScan = globalsBytes;
  // The world as built counts as the last cycle's marked heap.
  pacer.resetLive(c.heap.liveBytes);
  pacer.lastStackScan = stackBytes;
  pacer.commit(true);

  const cycles: GcCycleRecord[] = [];
  let lastGcEndNs = 0;
  let current: { kind: GcTriggerKind; trigger: number; goal: number; cpu0: GcCpuStats; freed0: number; lost0: number } | undefined;

  const startCycle = (kind: GcTriggerKind) => {
    pacer.heapLive = c.heap.liveBytes;
    const { trigger, goal } = pacer.trigger();
    pacer.startCycle(c.nowNs, 1, kind);
    current = { kind, trigger, goal, cpu0: { ...c.cpu }, freed0: c.freed.length, lost0: c.lost.length };
    c.start(goal);
  };

  const endCycle = () => {
    const cur = current!;
    const cpu = Object.fromEntries(Object.entries(c.cpu).map(([k, v]) => [k, v - cur.cpu0[k as keyof GcCpuStats]])) as unknown as GcCpuStats;
    pacer.heapLive = c.heap1;
    pacer.assistTime = cpu.assistNs;
    pacer.dedicatedMarkTime = cpu.backgroundNs;
    pacer.idleMarkTime = cpu.idleNs;
    pacer.heapScanWork = c.scanWork;
    pacer.endCycle(c.times.tMarkTerm, 1);
    pacer.resetLive(c.heapMarked);
    pacer.lastStackScan = stackBytes;
    pacer.commit(true);
    const gcNs = c.cpu.assistNs + c.cpu.backgroundNs + c.cpu.pauseNs;
    const gctrace = formatGctrace({
      numgc: c.cycles,
      sinceStartNs: c.times.tSweepTerm,
      gcCpuFraction: c.nowNs > 0 ? gcNs / c.nowNs : 0,
      tSweepTerm: c.times.tSweepTerm,
      tMark: c.times.tMark,
      tMarkTerm: c.times.tMarkTerm,
      tEnd: c.times.tEnd,
      stwprocs: 1,
      assistTime: cpu.assistNs,
      backgroundMarkTime: cpu.backgroundNs,
      idleMarkTime: cpu.idleNs,
      heap0: c.heap0,
      heap1: c.heap1,
      heap2: c.heapMarked,
      lastHeapGoal: cur.goal,
      lastStackScan: stackBytes,
      globalsScan: globalsBytes,
      maxprocs: 1,
      userForced: cur.kind === 'gcTriggerCycle',
    });
    cycles.push({
      n: c.cycles,
      kind: cur.kind,
      trigger: cur.trigger,
      goal: cur.goal,
      heap0: c.heap0,
      heap1: c.heap1,
      heap2: c.heapMarked,
      times: { ...c.times },
      cpu,
      freed: c.freed.length - cur.freed0,
      lost: c.lost.length - cur.lost0,
      gctrace,
    });
    lastGcEndNs = c.nowNs;
    current = undefined;
    if (cycles[cycles.length - 1].lost > 0) throw new Error(`gogc: cycle ${c.cycles} freed a reachable object; the heap is corrupt from here, so the run stops`);
  };

  for (;;) {
    if (c.step >= maxSteps) throw new RangeError(stepBudgetMessage(maxSteps, 'the program'));
    const runnable = c.goroutines.filter((g) => c.runnable(g));
    if (c.phase === 'off') {
      if (current) endCycle();
      // Upstream: mgc.go (gcTrigger.test): a forced cycle, then the periodic one, then the heap trigger.
      // A call made while a cycle runs starts the next one as soon as it ends (runtime.GC waits for a full cycle).
      if (forcedAt.length && c.step >= forcedAt[0]) {
        forcedAt.shift();
        startCycle('gcTriggerCycle');
        continue;
      }
      if (c.cycles > 0 && c.nowNs - lastGcEndNs >= period) {
        startCycle('gcTriggerTime');
        continue;
      }
      pacer.heapLive = c.heap.liveBytes;
      if (pacer.gcPercent >= 0 && c.heap.liveBytes >= pacer.trigger().trigger && c.heap.liveBytes > 0) {
        startCycle('gcTriggerHeap');
        continue;
      }
      if (!runnable.length) {
        // The program is done; it idles, and sysmon forces a GC every period until idleUntilNs.
        const next = lastGcEndNs + period;
        if (next > (o.idleUntilNs ?? 0)) break;
        c.sleep(Math.max(0, next - c.nowNs));
        startCycle('gcTriggerTime');
        continue;
      }
      c.stepMutator(runnable[rng.int(runnable.length)]);
      continue;
    }
    if (!runnable.length || rng.int(100) < (o.markerPercent ?? GC_BACKGROUND_UTILIZATION_PERCENT)) c.stepMarker(rng.int(2) === 0, !runnable.length);
    else c.stepMutator(runnable[rng.int(runnable.length)]);
  }
  return { collector: c, cycles, gctrace: cycles.map((r) => r.gctrace), steps: c.step };
}
