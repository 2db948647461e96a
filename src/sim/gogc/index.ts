/** The Go collector model: heap, tri-color marking, write barriers, invariant checkers. */
export { runCycle, GC_BACKGROUND_UTILIZATION_PERCENT, type CycleOptions, type CycleResult, type Turn } from './sim';
export { Collector, type CollectorConfig, type Goroutine, type Violation, type WorldSpec } from './collector';
export { Heap, type HeapObject, type Span } from './heap';
export { GreenTea, usesSpanInlineMarkBits, objectsPerSpanScan, scanLocality, newMarkerStats, type MarkerStats, type SpanMarkBits, type SpanOwnership, type SpanRef } from './greentea';
export { BARRIER_NEEDS, barrierShades, type BarrierNeeds } from './barrier';
export { checkStrong, checkWeak, checkMarkComplete, reachableFromRoots, type Breach, type GraphView } from './invariants';
export { randomWorld, describeOp, type RandomWorldOptions } from './mutator';
export { SIZE_CLASSES, sizeToClass, PAGE_SIZE_BYTES, PTR_SIZE_BYTES, type SizeClass } from './sizeclasses';
export { gogcEvents, GO_TAG, type GogcEvent, type GogcEventMap, type InvariantName, type ShadeCause } from './events';
export { holderName, type BarrierKind, type Color, type GcPhase, type Holder, type MarkerKind, type MutatorOp, type ObjectId, type Pointer } from './types';
export * from './pacer/index';
