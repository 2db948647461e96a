// Pacer constants, after src/runtime/mgcpacer.go, mgc.go and proc.go (golang/go, see README).

/** Upstream: mgcpacer.go (gcBackgroundUtilization, gcGoalUtilization). 25% of GOMAXPROCS marks. */
export const gcBackgroundUtilization = 0.25;
export const gcGoalUtilization = gcBackgroundUtilization;

/** Upstream: mgcpacer.go (defaultHeapMinimum): 4 MiB at GOGC=100 (HeapMinimum512KiB experiment off). */
export const defaultHeapMinimum = 4 << 20;

/** Upstream: mgcpacer.go (memoryLimitMinHeapGoalHeadroom, memoryLimitHeapGoalHeadroomPercent). */
export const memoryLimitMinHeapGoalHeadroom = 1 << 20;
export const memoryLimitHeapGoalHeadroomPercent = 3;

/** Upstream: mgcpacer.go (triggerRatioDen, minTriggerRatioNum ~0.7, maxTriggerRatioNum ~0.95). */
export const triggerRatioDen = 64;
export const minTriggerRatioNum = 45;
export const maxTriggerRatioNum = 61;

/** Upstream: mgcpacer.go (heapGoalInternal's minRunway). */
export const minRunway = 64 << 10;

/** Upstream: mgc.go (sweepMinHeapDistance). */
export const sweepMinHeapDistance = 1024 * 1024;

/** Upstream: proc.go (forcegcperiod): 2 minutes, in nanoseconds. */
export const forcegcperiod = 2 * 60 * 1e9;

/**
 * Go's ^uint64(0) and math.MaxInt64 as JS numbers. Byte counts in this model are doubles
 * (exact to 2^53 = 8 PiB); these two sentinels only need to compare as "larger than any heap".
 */
export const maxUint64 = 2 ** 64;
export const maxInt64 = 2 ** 63;

/** Upstream: mgclimit.go (capacityPerProc): the CPU limiter's bucket holds 1 CPU-second per P. */
export const capacityPerProc = 1e9;
