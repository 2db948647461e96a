/**
 * The Go GC pacer (src/runtime/mgcpacer.go): heap goal and trigger from GOGC, the roots and
 * GOMEMLIMIT, the assist ratio, the CPU limiter, gctrace lines, and a workload driver.
 */
export {
  GcControllerState,
  markWorkersFor,
  type GcTriggerKind,
  type MarkWorkers,
  type MemoryStats,
} from './controller';
export { readGOGC, readGOMEMLIMIT, parseByteCount, MalformedGOMEMLIMITError } from './env';
export { formatGctrace, fmtNSAsMS, itoaDiv, type GctraceRecord } from './gctrace';
export { GcCPULimiter } from './limiter';
export { runGcWorkload, type GcWorkload, type GcCycle, type GcRun } from './driver';
export {
  defaultHeapMinimum,
  forcegcperiod,
  gcBackgroundUtilization,
  gcGoalUtilization,
  sweepMinHeapDistance,
  maxInt64,
  maxUint64,
} from './constants';
export { pacerEvents, type PacerEvent, type PacerEventMap } from './events';
