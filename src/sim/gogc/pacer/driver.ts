// A workload over virtual time: allocation drives heapLive past the pacer's trigger, each cycle
// marks with dedicated workers and assists, and ends with a gctrace line. Deterministic: the
// result is a pure function of the workload.
import { forcegcperiod, maxUint64 } from './constants';
import { GcControllerState, type GcTriggerKind, type MarkWorkers, type MemoryStats } from './controller';
import { readGOGC, readGOMEMLIMIT } from './env';
import { formatGctrace, type GctraceRecord } from './gctrace';
import { GcCPULimiter } from './limiter';
import { activeTrace } from '../../core/env';
import type { TraceRecorder } from '../../core/trace';
import { emitPacer } from './events';

export interface GcWorkload {
  /** Bytes the program allocates per second of virtual time while it has every P. */
  allocBytesPerSec: number;
  /** The live set: the first liveHeapBytes the program allocates stay reachable, the rest is garbage. */
  liveHeapBytes: number;
  gomaxprocs: number;
  /** Virtual time to run, in ms. */
  durationMs: number;
  /** The environment variables' text, as a shell would pass them (unset = undefined). */
  GOGC?: string;
  GOMEMLIMIT?: string;
  /** Goroutine stack bytes (scanned as roots, counted against the memory limit). Default 64 KiB. */
  stackBytes?: number;
  /** Scannable globals (data+bss). Default 32 KiB. */
  globalsBytes?: number;
  /** Mapped memory besides heap objects (stacks, runtime metadata). Default stackBytes + 2 MiB. */
  nonHeapBytes?: number;
  /** Mark speed per CPU. Default 1 GiB/cpu-s (mgcpacer_test.go's scanRate of 1024 KiB/cpu-ms). */
  scanBytesPerCpuSec?: number;
  /** Fraction of the heap that holds pointers. Default 1. */
  scannableFraction?: number;
  /** CPUs of the machine (work.stwprocs caps GOMAXPROCS at it). Default gomaxprocs. */
  ncpu?: number;
  /** Stop-the-world lengths of sweep termination and mark termination, in ns. Model constants. */
  sweepTermNs?: number;
  markTermNs?: number;
  /** Times (ms) at which the program calls runtime.GC(). */
  runtimeGCAtMs?: number[];
  /** Safety stop for runaway configurations (e.g. a live heap above GOMEMLIMIT). Default 10000. */
  maxCycles?: number;
  /** Where the `gogc.pacer.*` events go (default: the lab run's trace, if any). */
  trace?: TraceRecorder;
}

export interface GcCycle {
  /** memstats.numgc after this cycle. */
  n: number;
  kind: GcTriggerKind;
  /** Start of sweep termination, start of mark, start of mark termination, end; ns since start. */
  tSweepTerm: number;
  tMark: number;
  tMarkTerm: number;
  tEnd: number;
  /** The trigger and goal the pacer had when the cycle started. */
  trigger: number;
  goal: number;
  /** heapLive at start, at mark termination, and marked (the new live heap). */
  heap0: number;
  heap1: number;
  heap2: number;
  workers: MarkWorkers;
  assistTime: number;
  dedicatedMarkTime: number;
  fractionalMarkTime: number;
  idleMarkTime: number;
  /** GC share of the CPU during this mark phase (background + assists). */
  markUtilization: number;
  /** Whether the CPU limiter was limiting at any point of the mark phase. */
  limited: boolean;
  gctrace: string;
}

export interface GcRun {
  gcPercent: number;
  memoryLimit: number;
  cycles: GcCycle[];
  /** The gctrace lines, one per cycle, as GODEBUG=gctrace=1 prints them to stderr. */
  gctrace: string[];
  /** heapLive at the end of the run. */
  heapLive: number;
  /** The highest heapLive seen. */
  peakHeapLive: number;
}

const revisePeriodNs = 500_000; // mgcpacer_test.go's revisePeriod: the pacer revises every 0.5 ms

/** Runs a workload; throws MalformedGOMEMLIMITError as the runtime dies on a bad GOMEMLIMIT. */
export function runGcWorkload(w: GcWorkload): GcRun {
  const gcPercent = readGOGC(w.GOGC);
  const memoryLimit = readGOMEMLIMIT(w.GOMEMLIMIT);
  const procs = w.gomaxprocs;
  const stackBytes = w.stackBytes ?? 64 << 10;
  const globalsBytes = w.globalsBytes ?? 32 << 10;
  const nonHeapBytes = w.nonHeapBytes ?? stackBytes + (2 << 20);
  const scanPerCpuNs = (w.scanBytesPerCpuSec ?? 2 ** 30) / 1e9;
  const allocPerNs = w.allocBytesPerSec / 1e9;
  const frac = w.scannableFraction ?? 1;
  const stwprocs = Math.min(procs, w.ncpu ?? procs);
  const sweepTermNs = w.sweepTermNs ?? 20_000;
  const markTermNs = w.markTermNs ?? 40_000;
  const endNs = w.durationMs * 1e6;
  const forced = [...(w.runtimeGCAtMs ?? [])].sort((a, b) => a - b).map((ms) => ms * 1e6);
  const maxCycles = w.maxCycles ?? 10_000;

  const c: GcControllerState = new GcControllerState((): MemoryStats => ({ heapFree: 0, heapAlloc: c.heapLive, mappedReady: c.heapLive + nonHeapBytes }));
  c.init(gcPercent, memoryLimit);
  c.maxStackScan = stackBytes;
  c.globalsScan = globalsBytes;
  const limiter = new GcCPULimiter(procs);

  let now = 0;
  let totalAllocated = 0;
  let lastGcNs = 0; // memstats.last_gc_nanotime: 0 until the first cycle ends
  let gcCpuNs = 0; // GC CPU time since start, idle marking excluded
  let peak = 0;
  const cycles: GcCycle[] = [];

  const trace = w.trace ?? activeTrace();
  emitPacer(trace, 0, 'gogc.pacer.start', { gcPercent, memoryLimit, gomaxprocs: procs, liveHeapBytes: w.liveHeapBytes, allocBytesPerSec: w.allocBytesPerSec, durationMs: w.durationMs });

  let allocatedExact = 0; // the fractional byte count; the heap only sees whole bytes
  /** Allocates and returns the whole bytes it added. */
  const allocate = (bytes: number): number => {
    allocatedExact += bytes;
    const whole = Math.floor(allocatedExact) - totalAllocated;
    totalAllocated += whole;
    c.update(whole, Math.floor(whole * frac));
    peak = Math.max(peak, c.heapLive);
    return whole;
  };

  while (now < endNs && cycles.length < maxCycles) {
    const next = waitForTrigger();
    if (next === undefined) break;
    runCycle(next);
  }
  emitPacer(trace, now, 'gogc.pacer.end', { heapLive: c.heapLive, peakHeapLive: peak, cycles: cycles.length });
  return { gcPercent, memoryLimit, cycles, gctrace: cycles.map((x) => x.gctrace), heapLive: c.heapLive, peakHeapLive: peak };

  /** Mutator time until some trigger fires (upstream: gcTrigger.test), or undefined at the end. */
  function waitForTrigger(): GcTriggerKind | undefined {
    for (let i = 0; i < 10_000; i++) {
      const { trigger } = c.trigger();
      if (forced.length > 0 && forced[0] <= now) {
        forced.shift();
        return 'gcTriggerCycle';
      }
      if (c.heapLive >= trigger && c.heapLive > 0) return 'gcTriggerHeap';
      // Upstream: proc.go (sysmon, forcegcperiod); never with GOGC=off or before the first GC.
      const periodicAt = gcPercent >= 0 && lastGcNs !== 0 ? lastGcNs + forcegcperiod + 1 : Infinity;
      if (now >= periodicAt) return 'gcTriggerTime';
      const heapAt = allocPerNs > 0 && trigger < maxUint64 ? now + Math.max(1, Math.ceil((trigger - c.heapLive) / allocPerNs)) : Infinity;
      const until = Math.min(heapAt, periodicAt, forced[0] ?? Infinity, endNs);
      if (until >= endNs && heapAt > endNs && periodicAt > endNs && (forced[0] ?? Infinity) > endNs) {
        mutate(endNs - now);
        return undefined;
      }
      mutate(until - now);
    }
    return 'gcTriggerHeap';
  }

  function mutate(dt: number) {
    if (dt <= 0) return;
    allocate(allocPerNs * dt);
    limiter.accumulate(dt * procs, 0);
    now += dt;
  }

  function runCycle(kind: GcTriggerKind) {
    const trig = c.trigger();
    const heap0 = c.heapLive;
    const liveAtStart = Math.min(w.liveHeapBytes, totalAllocated);
    const tSweepTerm = now;
    pause(sweepTermNs);
    const tMark = now;
    c.maxStackScan = stackBytes;
    c.globalsScan = globalsBytes;
    const workers = c.startCycle(tSweepTerm, procs, kind);
    const background = (workers.dedicatedMarkWorkersNeeded + workers.fractionalUtilizationGoal * procs) / procs;
    let left = [globalsBytes, stackBytes, Math.floor(liveAtStart * frac)];
    let allocatedBlack = 0;
    let limited = false;
    const stepNs = Math.max(revisePeriodNs, (left[0] + left[1] + left[2]) / (scanPerCpuNs * procs * background) / 64);
    while (left[0] + left[1] + left[2] > 0) {
      let u = background;
      if (allocPerNs > 0) {
        // mgcpacer_test.go's idealised assists: allocation is held to assistWorkPerByte.
        const ar = c.assistWorkPerByte * (allocPerNs / procs);
        u = Math.min(1, Math.max(background, ar / (ar + scanPerCpuNs)));
        // The CPU limiter turns assists off once GC time fills its bucket.
        const cap = Math.max(background, limiter.maxGcUtilization(stepNs, procs));
        if (u > cap) {
          u = cap;
          limited = true;
        }
      }
      const canScan = scanPerCpuNs * procs * u * stepNs;
      const total = left[0] + left[1] + left[2];
      const elapsed = Math.max(1, Math.round(total < canScan ? (total / canScan) * stepNs : stepNs));
      // The last step ends the moment the work runs out.
      let budget = total < canScan ? total : Math.min(total, Math.floor(scanPerCpuNs * procs * u * elapsed));
      const done = left.map((l) => {
        const d = Math.min(l, budget);
        budget -= d;
        return d;
      });
      left = left.map((l, i) => l - done[i]);
      c.globalsScanWork += done[0];
      c.stackScanWork += done[1];
      c.heapScanWork += done[2];
      const alloc = allocPerNs * (1 - u) * elapsed;
      allocatedBlack += allocate(alloc);
      c.assistTime += Math.round(elapsed * procs * (u - background));
      limiter.accumulate(elapsed * procs * (1 - u), elapsed * procs * u);
      now += elapsed;
    }
    const tMarkTerm = now;
    const markNs = tMarkTerm - tMark;
    c.dedicatedMarkTime = workers.dedicatedMarkWorkersNeeded * markNs;
    c.fractionalMarkTime = Math.round(workers.fractionalUtilizationGoal * procs * markNs);
    c.endCycle(tMarkTerm, procs);
    const heap1 = c.heapLive;
    pause(markTermNs);
    const heap2 = liveAtStart + allocatedBlack;
    c.resetLive(heap2);
    c.commit(false); // sweeping runs concurrently after mark termination
    const tEnd = now;
    lastGcNs = tEnd;
    gcCpuNs += (sweepTermNs + markTermNs) * procs + c.assistTime + c.dedicatedMarkTime + c.fractionalMarkTime;
    const record: GctraceRecord = {
      numgc: cycles.length + 1,
      sinceStartNs: tSweepTerm,
      gcCpuFraction: gcCpuNs / (tEnd * procs),
      tSweepTerm,
      tMark,
      tMarkTerm,
      tEnd,
      stwprocs,
      assistTime: c.assistTime,
      backgroundMarkTime: c.dedicatedMarkTime + c.fractionalMarkTime,
      idleMarkTime: c.idleMarkTime,
      heap0,
      heap1,
      heap2,
      lastHeapGoal: c.lastHeapGoal,
      lastStackScan: c.lastStackScan,
      globalsScan: c.globalsScan,
      maxprocs: procs,
      userForced: kind === 'gcTriggerCycle',
    };
    cycles.push({
      n: record.numgc,
      kind,
      tSweepTerm,
      tMark,
      tMarkTerm,
      tEnd,
      trigger: trig.trigger,
      goal: trig.goal,
      heap0,
      heap1,
      heap2,
      workers,
      assistTime: c.assistTime,
      dedicatedMarkTime: c.dedicatedMarkTime,
      fractionalMarkTime: c.fractionalMarkTime,
      idleMarkTime: c.idleMarkTime,
      markUtilization: markNs > 0 ? background + c.assistTime / (markNs * procs) : background,
      limited,
      gctrace: formatGctrace(record),
    });
    const x = cycles[cycles.length - 1];
    emitPacer(trace, tEnd, 'gogc.pacer.cycle', { n: x.n, kind, tSweepTerm, tMark, tMarkTerm, tEnd, trigger: x.trigger, goal: x.goal, heap0, heap1, heap2, markUtilization: x.markUtilization, gcCpuFraction: record.gcCpuFraction, assistTime: x.assistTime, limited, gctrace: x.gctrace });
  }

  /** A stop-the-world phase: every P does GC work, nothing allocates. */
  function pause(ns: number) {
    limiter.accumulate(0, ns * procs);
    now += ns;
  }
}
