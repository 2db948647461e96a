// The GC CPU limiter, after src/runtime/mgclimit.go (gcCPULimiterState), at the driver's grain.
import { capacityPerProc } from './constants';

/**
 * A leaky bucket of GC CPU time: GC time fills it, mutator time drains it, and while it is full
 * the limiter is "limiting": mark assists stop, so the GC cannot take more than about half the
 * CPU. This is the guard against the memory limit's death spiral (a live heap near the limit
 * would otherwise make the GC run back to back on every P). The heap may then overshoot its goal.
 */
export class GcCPULimiter {
  /** Upstream: bucket.fill and bucket.capacity, in CPU-ns. */
  fill = 0;
  capacity: number;
  /** Upstream: overflow: GC CPU time that did not fit in the full bucket. */
  overflow = 0;
  enabled = false;

  constructor(procs: number) {
    this.capacity = capacityPerProc * procs;
  }

  /** Upstream: mgclimit.go (resetCapacity): GOMAXPROCS changed. */
  resetCapacity(procs: number): void {
    this.capacity = capacityPerProc * procs;
    if (this.fill > this.capacity) this.fill = this.capacity;
  }

  /** Upstream: mgclimit.go (limiting). */
  limiting(): boolean {
    return this.enabled;
  }

  /**
   * The highest GC share of the CPU over the next dt that still fits in the bucket. Upstream
   * stops assists the moment the bucket fills (gcAssistAlloc checks limiting() on every assist);
   * a driver that steps in windows of dt uses this to end assists at the same point instead of
   * overshooting into overflow for a whole window.
   */
  maxGcUtilization(dtNs: number, procs: number): number {
    if (this.enabled) return 0;
    return 0.5 + (this.capacity - this.fill) / (2 * dtNs * procs);
  }

  /** Upstream: mgclimit.go (accumulate): add one window of mutator and GC CPU time. */
  accumulate(mutatorTime: number, gcTime: number): void {
    const headroom = this.capacity - this.fill;
    const wasEnabled = headroom === 0;
    const change = gcTime - mutatorTime;
    if (change > 0 && headroom <= change) {
      this.overflow += change - headroom;
      this.fill = this.capacity;
      this.enabled = true;
      return;
    }
    if (change < 0 && this.fill <= -change) this.fill = 0;
    else this.fill += change;
    if (change !== 0 && wasEnabled) this.enabled = false;
  }
}
