/**
 * Kubernetes' garbage collector (pkg/controller/garbagecollector at kubernetes v1.34) on the API
 * server model: the owner graph built by informers, and the workers that cascade deletions.
 */
export { newGarbageCollector, GarbageCollector, getDeletableResources, defaultIgnoredResources, enqueuedVirtualDeleteEventErr, namespacedOwnerOfClusterScopedObjectErr, type GarbageCollectorOptions } from './garbagecollector';
export { GraphBuilder, FinalizerOrphanDependents, FinalizerDeleteDependents, referencesDiffs, partitionDependents, getAlternateOwnerIdentity, deletionStartsWithFinalizer, type GraphEvent, type EventType, type MonitoredResource, type GraphBuilderOptions } from './graph_builder';
export { GraphNode, UIDToNode, formatReference, type ObjectReference } from './graph';
export { ReferenceCache } from './uid_cache';
export { Operations, RestMappingError, type DeletionPropagation, type RestMapper } from './operations';
export { garbageCollectorEvents, type GarbageCollectorEvent, type GarbageCollectorEventMap, type DeleteVerdict, type OwnerRefFields } from './events';
