/**
 * The cost model: how much virtual time each unit of work takes, so the trace has timestamps and
 * the pauses and CPU shares have lengths. The numbers are round figures of the right order for a
 * current x86 machine (a word scanned in nanoseconds, a stop of the world in microseconds, as the
 * GC guide and gctrace show), not measurements: lessons compare them, they do not predict a
 * program. Every step runs on one timeline (one CPU's worth of work), so wall time and CPU time
 * are the same number unless `stwprocs` multiplies a pause as gctrace does.
 */
import { PTR_SIZE_BYTES } from './sizeclasses';

/** One mutator op: the program work between two pointer operations (a handful of instructions and a cache miss). */
export const MUTATOR_OP_NS = 200;
/** scanobject: finding the object's span and bitmap, then each pointer word read and shaded. */
export const SCANOBJECT_NS = 40;
export const SCAN_WORD_NS = 5;
/** A root job (markroot): setting up one stack's or the globals' scan, then each word scanned. */
export const MARKROOT_NS = 200;
export const ROOT_WORD_NS = 5;
/** Sweeping one span (sweepLocked.sweep): the span's bitmaps, then each object slot looked at. */
export const SWEEP_SPAN_NS = 300;
export const SWEEP_OBJECT_NS = 10;
/**
 * stopTheWorldWithSema: preempting every P and waiting for each to reach a safe point; and
 * startTheWorldWithSema: restarting them. Upstream pauses are tens of microseconds (the seed's
 * measurement: 16 µs median, 262 µs p99); the model's are a fixed 10 + 5 µs plus the work done
 * inside the pause.
 */
export const STOP_THE_WORLD_NS = 10_000;
export const START_THE_WORLD_NS = 5_000;
/** gcStart and gcMarkTermination bookkeeping inside their pauses (phase change, flushing mcaches, the next goal). */
export const STW_BOOKKEEPING_NS = 2_000;

/** Scan work in bytes (upstream's unit: heapScanWork counts bytes scanned). */
export const wordsToBytes = (words: number) => words * PTR_SIZE_BYTES;

/** Where a step's time goes, after gctrace's CPU columns (ns). */
export interface GcCpuStats {
  /** The program's own ops (allocation and the lazy sweeping it does excluded). */
  mutatorNs: number;
  /** Mark assists: mutators scanning to pay for what they allocate while marking (gcAssistAlloc). */
  assistNs: number;
  /** The background mark worker's turns while a mutator could run (dedicated and fractional workers). */
  backgroundNs: number;
  /** Marker turns when no goroutine could run: the idle-priority worker (gcMarkWorkerIdleMode). */
  idleNs: number;
  /** Inside stop-the-world pauses. */
  pauseNs: number;
  /** The background sweeper (bgsweep). */
  sweepNs: number;
  /** Sweeping done by allocating goroutines (mcentral.cacheSpan). */
  lazySweepNs: number;
}

export type CpuBucket = keyof GcCpuStats;

export const newCpuStats = (): GcCpuStats => ({ mutatorNs: 0, assistNs: 0, backgroundNs: 0, idleNs: 0, pauseNs: 0, sweepNs: 0, lazySweepNs: 0 });
