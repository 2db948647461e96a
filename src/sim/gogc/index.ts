/** The Go collector model: heap, tri-color marking, write barriers, invariant checkers, phases in time, assists, sweep, several cycles. */
export { runCycle, cycleResult, phaseWallNs, stepBudgetMessage, MAX_STEPS, GC_BACKGROUND_UTILIZATION_PERCENT, type CycleOptions, type CycleResult, type Turn } from './sim';
export { runGcCycles, type GcCyclesOptions, type GcCycleRecord, type GcCyclesRun } from './cycles';
export {
  Collector,
  OVER_ASSIST_WORK_BYTES,
  GREENTEA_CHECK_MAX_OBJECTS,
  type CollectorConfig,
  type GcTimes,
  type Goroutine,
  type Pause,
  type Violation,
  type WorldSpec,
} from './collector';
export {
  MUTATOR_OP_NS,
  SCANOBJECT_NS,
  SCAN_WORD_NS,
  MARKROOT_NS,
  ROOT_WORD_NS,
  SWEEP_SPAN_NS,
  SWEEP_OBJECT_NS,
  STOP_THE_WORLD_NS,
  START_THE_WORLD_NS,
  STW_BOOKKEEPING_NS,
  type GcCpuStats,
  type CpuBucket,
} from './cost';
export { Heap, GoOutOfMemoryError, MAX_OBJECTS, type HeapLimits, type HeapObject, type Span } from './heap';
export { GreenTea, usesSpanInlineMarkBits, objectsPerSpanScan, scanLocality, newMarkerStats, type MarkerStats, type SpanMarkBits, type SpanOwnership, type SpanRef } from './greentea';
export { BARRIER_NEEDS, barrierShades, type BarrierNeeds } from './barrier';
export { checkStrong, checkWeak, checkMarkComplete, reachableFromRoots, type Breach, type GraphView } from './invariants';
export { randomWorld, describeOp, type RandomWorldOptions } from './mutator';
export { SIZE_CLASSES, sizeToClass, PAGE_SIZE_BYTES, PTR_SIZE_BYTES, type SizeClass } from './sizeclasses';
export { gogcEvents, GO_TAG, formatNs, type GogcEvent, type GogcEventMap, type GogcEventFields, type InvariantName, type ShadeCause, type StwReason, type SweptBy } from './events';
export { holderName, type BarrierKind, type CollectorKind, type Color, type GcPhase, type Holder, type MarkerKind, type MutatorOp, type ObjectId, type Pointer } from './types';
export * from './pacer/index';
