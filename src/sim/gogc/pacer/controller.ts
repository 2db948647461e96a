// The GC pacer: gcControllerState after src/runtime/mgcpacer.go (golang/go, see README).
// Byte counts and times (ns) are JS numbers; Go's uint64 divisions are floored explicitly.
import {
  defaultHeapMinimum,
  gcBackgroundUtilization,
  gcGoalUtilization,
  maxInt64,
  maxTriggerRatioNum,
  maxUint64,
  memoryLimitHeapGoalHeadroomPercent,
  memoryLimitMinHeapGoalHeadroom,
  minRunway,
  minTriggerRatioNum,
  sweepMinHeapDistance,
  triggerRatioDen,
} from './constants';

/** Why a cycle started. Upstream: mgc.go (gcTriggerKind). */
export type GcTriggerKind = 'gcTriggerHeap' | 'gcTriggerTime' | 'gcTriggerCycle';

/**
 * Memory the memory-limit goal looks at. Upstream reads these from gcController's own copies of
 * heapFree, totalAlloc-totalFree and mappedReady; the model asks its owner for them.
 */
export interface MemoryStats {
  /** Free, unscavenged heap memory. */
  heapFree: number;
  /** Heap object bytes in use (totalAlloc - totalFree). */
  heapAlloc: number;
  /** All mapped memory not released to the OS: heap, stacks, runtime metadata. */
  mappedReady: number;
}

/** The per-cycle worker split. Upstream: mgcpacer.go (startCycle). */
export interface MarkWorkers {
  dedicatedMarkWorkersNeeded: number;
  fractionalUtilizationGoal: number;
}

const floor = Math.floor;

/** Upstream: src/runtime/mgcpacer.go (gcControllerState). Field names are upstream's. */
export class GcControllerState {
  gcPercent = 100;
  memoryLimit = maxInt64;
  heapMinimum = defaultHeapMinimum;
  runway = 0;
  consMark = 0;
  lastConsMark = [0, 0, 0, 0];
  gcPercentHeapGoal = 0;
  sweepDistMinTrigger = 0;
  /** The heapLive at which the running cycle started; maxUint64 outside a cycle. */
  triggered = maxUint64;
  lastHeapGoal = 0;
  heapLive = 0;
  heapScan = 0;
  lastHeapScan = 0;
  lastStackScan = 0;
  maxStackScan = 0;
  globalsScan = 0;
  heapMarked = 0;
  heapScanWork = 0;
  stackScanWork = 0;
  globalsScanWork = 0;
  assistTime = 0;
  dedicatedMarkTime = 0;
  fractionalMarkTime = 0;
  idleMarkTime = 0;
  markStartTime = 0;
  dedicatedMarkWorkersNeeded = 0;
  fractionalUtilizationGoal = 0;
  assistWorkPerByte = 0;
  assistBytesPerWork = 0;
  /** True between startCycle and endCycle (upstream: gcBlackenEnabled != 0). */
  blackenEnabled = false;

  constructor(private readonly memStats: () => MemoryStats = () => ({ heapFree: 0, heapAlloc: 0, mappedReady: 0 })) {}

  /** Upstream: mgcpacer.go (gcControllerState.init). No sweep precedes the first cycle. */
  init(gcPercent: number, memoryLimit: number): void {
    this.heapMinimum = defaultHeapMinimum;
    this.triggered = maxUint64;
    this.setGCPercent(gcPercent);
    this.setMemoryLimit(memoryLimit);
    this.commit(true);
  }

  /** Upstream: mgcpacer.go (setGCPercent). Negative is off (-1); heapMinimum scales with GOGC. */
  setGCPercent(input: number): number {
    const out = this.gcPercent;
    const v = input < 0 ? -1 : Math.trunc(input);
    // Go computes defaultHeapMinimum * uint64(in): for -1 that wraps; the minimum then only
    // matters through commit, which skips the GOGC goal when off, so the model keeps 0.
    this.heapMinimum = v < 0 ? 0 : floor((defaultHeapMinimum * v) / 100);
    this.gcPercent = v;
    return out;
  }

  /** Upstream: mgcpacer.go (setMemoryLimit). A negative input only reads the limit. */
  setMemoryLimit(input: number): number {
    const out = this.memoryLimit;
    if (input >= 0) this.memoryLimit = input;
    return out;
  }

  /** Upstream: mgcpacer.go (startCycle): reset the cycle's counters and size the mark workers. */
  startCycle(markStartTime: number, procs: number, trigger: GcTriggerKind): MarkWorkers {
    this.heapScanWork = 0;
    this.stackScanWork = 0;
    this.globalsScanWork = 0;
    this.assistTime = 0;
    this.dedicatedMarkTime = 0;
    this.fractionalMarkTime = 0;
    this.idleMarkTime = 0;
    this.markStartTime = markStartTime;
    this.triggered = this.heapLive;
    const workers = markWorkersFor(procs);
    this.dedicatedMarkWorkersNeeded = workers.dedicatedMarkWorkersNeeded;
    this.fractionalUtilizationGoal = workers.fractionalUtilizationGoal;
    void trigger; // upstream only uses it to cap idle workers for periodic cycles
    this.blackenEnabled = true;
    this.revise();
    return workers;
  }

  /** Upstream: mgcpacer.go (revise): the assist ratio that finishes marking by the heap goal. */
  revise(): void {
    let gcPercent = this.gcPercent;
    if (gcPercent < 0) gcPercent = 100000; // a forced GC with GOGC=off: act as if GOGC were huge
    const live = this.heapLive;
    const scan = this.heapScan;
    const work = this.heapScanWork + this.stackScanWork + this.globalsScanWork;
    let heapGoal = this.heapGoal();
    let scanWorkExpected = this.lastHeapScan + this.lastStackScan + this.globalsScan;
    const maxScanWork = scan + this.maxStackScan + this.globalsScan;
    if (work > scanWorkExpected) {
      // More work than last cycle: the heap grew; stretch the goal in proportion, up to a hard goal.
      const hardGoal = Math.trunc((1 + gcPercent / 100) * heapGoal);
      // With nothing expected (a first cycle with no roots) Go divides by zero; take the hard goal.
      let extHeapGoal =
        scanWorkExpected > 0
          ? Math.trunc(((heapGoal - this.triggered) / scanWorkExpected) * maxScanWork) + this.triggered
          : hardGoal;
      scanWorkExpected = maxScanWork;
      if (extHeapGoal > hardGoal) extHeapGoal = hardGoal;
      heapGoal = extHeapGoal;
    }
    if (live > heapGoal) {
      heapGoal = Math.trunc(heapGoal * 1.1); // maxOvershoot
      scanWorkExpected = maxScanWork;
    }
    let scanWorkRemaining = scanWorkExpected - work;
    if (scanWorkRemaining < 1000) scanWorkRemaining = 1000;
    let heapRemaining = heapGoal - live;
    if (heapRemaining <= 0) heapRemaining = 1;
    this.assistWorkPerByte = scanWorkRemaining / heapRemaining;
    this.assistBytesPerWork = heapRemaining / scanWorkRemaining;
  }

  /** Upstream: mgcpacer.go (update): heap growth; during a cycle it revises the assist ratio. */
  update(dHeapLive: number, dHeapScan: number): void {
    this.heapLive += dHeapLive;
    if (!this.blackenEnabled) this.heapScan += dHeapScan;
    else this.revise();
  }

  /** Upstream: mgcpacer.go (endCycle): measure this cycle's cons/mark ratio. */
  endCycle(now: number, procs: number): void {
    this.lastHeapGoal = this.heapGoal();
    this.blackenEnabled = false;
    const assistDuration = now - this.markStartTime;
    let utilization = gcBackgroundUtilization;
    if (assistDuration > 0) utilization += this.assistTime / (assistDuration * procs);
    if (this.heapLive <= this.triggered) return; // a cycle too short to measure
    const idleUtilization = assistDuration > 0 ? this.idleMarkTime / (assistDuration * procs) : 0;
    const scanWork = this.heapScanWork + this.stackScanWork + this.globalsScanWork;
    const currentConsMark =
      ((this.heapLive - this.triggered) * (utilization + idleUtilization)) / (scanWork * (1 - utilization));
    // The max of this and the last 4 measurements: noise biased toward fewer assists.
    this.consMark = Math.max(currentConsMark, ...this.lastConsMark);
    this.lastConsMark = [...this.lastConsMark.slice(1), currentConsMark];
  }

  /** Upstream: mgcpacer.go (resetLive): what was marked is the new live heap. */
  resetLive(bytesMarked: number): void {
    this.heapMarked = bytesMarked;
    this.heapLive = bytesMarked;
    this.heapScan = this.heapScanWork;
    this.lastHeapScan = this.heapScanWork;
    this.lastStackScan = this.stackScanWork;
    this.triggered = maxUint64;
  }

  /** Upstream: mgcpacer.go (heapGoal). */
  heapGoal(): number {
    return this.heapGoalInternal().goal;
  }

  /** Upstream: mgcpacer.go (heapGoalInternal): the smaller of the GOGC and memory-limit goals. */
  heapGoalInternal(): { goal: number; minTrigger: number } {
    let goal = this.gcPercentHeapGoal;
    let minTrigger = 0;
    const limitGoal = this.memoryLimitHeapGoal();
    if (limitGoal < goal) return { goal: limitGoal, minTrigger };
    const sweepDistTrigger = this.sweepDistMinTrigger;
    if (sweepDistTrigger > goal) goal = sweepDistTrigger;
    minTrigger = sweepDistTrigger;
    if (this.triggered !== maxUint64 && goal < this.triggered + minRunway) goal = this.triggered + minRunway;
    return { goal, minTrigger };
  }

  /** Upstream: mgcpacer.go (memoryLimitHeapGoal): the limit minus non-heap memory, less headroom. */
  memoryLimitHeapGoal(): number {
    const { heapFree, heapAlloc, mappedReady } = this.memStats();
    const memoryLimit = this.memoryLimit;
    const nonHeapMemory = Math.max(0, mappedReady - heapFree - heapAlloc);
    const overage = mappedReady > memoryLimit ? mappedReady - memoryLimit : 0;
    // Non-heap memory alone fills the limit: collect continuously and let the CPU limiter cap it.
    if (nonHeapMemory + overage >= memoryLimit) return this.heapMarked;
    let goal = memoryLimit - (nonHeapMemory + overage);
    let headroom = floor(goal / 100) * memoryLimitHeapGoalHeadroomPercent;
    if (headroom < memoryLimitMinHeapGoalHeadroom) headroom = memoryLimitMinHeapGoalHeadroom;
    goal = goal < headroom || goal - headroom < headroom ? headroom : goal - headroom;
    if (goal < this.heapMarked) goal = this.heapMarked;
    return goal;
  }

  /** Upstream: mgcpacer.go (trigger): the heapLive that starts the next cycle, and the goal. */
  trigger(): { trigger: number; goal: number } {
    const internal = this.heapGoalInternal();
    const goal = internal.goal;
    let minTrigger = internal.minTrigger;
    if (this.heapMarked >= goal) return { trigger: goal, goal };
    if (minTrigger < this.heapMarked) minTrigger = this.heapMarked;
    const span = floor((goal - this.heapMarked) / triggerRatioDen);
    const triggerLowerBound = span * minTriggerRatioNum + this.heapMarked;
    if (minTrigger < triggerLowerBound) minTrigger = triggerLowerBound;
    let maxTrigger = span * maxTriggerRatioNum + this.heapMarked;
    if (goal > defaultHeapMinimum && goal - defaultHeapMinimum > maxTrigger) maxTrigger = goal - defaultHeapMinimum;
    maxTrigger = Math.max(maxTrigger, minTrigger);
    let trigger = this.runway > goal ? minTrigger : goal - this.runway;
    trigger = Math.min(Math.max(trigger, minTrigger), maxTrigger);
    if (trigger > goal) throw new Error('produced a trigger greater than the heap goal');
    return { trigger, goal };
  }

  /** Upstream: mgcpacer.go (commit): the GOGC goal (roots included) and the runway. */
  commit(isSweepDone: boolean): void {
    this.sweepDistMinTrigger = isSweepDone ? 0 : this.heapLive + sweepMinHeapDistance;
    const roots = this.lastStackScan + this.globalsScan;
    let gcPercentHeapGoal = maxUint64;
    if (this.gcPercent >= 0) gcPercentHeapGoal = this.heapMarked + floor(((this.heapMarked + roots) * this.gcPercent) / 100);
    if (gcPercentHeapGoal < this.heapMinimum) gcPercentHeapGoal = this.heapMinimum;
    this.gcPercentHeapGoal = gcPercentHeapGoal;
    this.runway = Math.trunc(
      ((this.consMark * (1 - gcGoalUtilization)) / gcGoalUtilization) * (this.lastHeapScan + roots),
    );
  }
}

/**
 * Upstream: mgcpacer.go (startCycle): dedicated workers are GOMAXPROCS*25% rounded; when that is
 * more than 30% off (GOMAXPROCS <= 3 or 6), round down and make up the rest with a fractional
 * worker.
 */
export function markWorkersFor(procs: number): MarkWorkers {
  const totalUtilizationGoal = procs * gcBackgroundUtilization;
  let dedicated = Math.trunc(totalUtilizationGoal + 0.5);
  const utilError = dedicated / totalUtilizationGoal - 1;
  let fractional = 0;
  if (utilError < -0.3 || utilError > 0.3) {
    if (dedicated > totalUtilizationGoal) dedicated--;
    fractional = (totalUtilizationGoal - dedicated) / procs;
  }
  return { dedicatedMarkWorkersNeeded: dedicated, fractionalUtilizationGoal: fractional };
}
