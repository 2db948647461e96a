/**
 * The EndpointSlice controller and its reconciler (k8s.io/endpointslice v0.34.0,
 * pkg/controller/endpointslice at kubernetes v1.34), and the legacy Endpoints controller.
 */
export { newEndpointSliceReconciler, Reconciler as EndpointSliceReconciler, ReconcileError, DefaultMaxEndpointsPerSlice, type EndpointSliceReconcilerOptions, type ReconcileResult, type NodeGetter } from './reconciler';
export { newEndpointSliceController, EndpointSliceController, StaleInformerCacheError, maxRetries as endpointSliceMaxRetries, controllerQualifiedName, type EndpointSliceControllerOptions } from './controller';
export { EndpointSliceOptionsError, validateEndpointSliceControllerOptions } from './options';
export { EndpointSliceTracker } from './tracker';
export { EndpointSet, hashEndpoint, newPortMapKey, endpointsEqualBeyondHash } from './endpointset';
export {
  getSliceToFill,
  podToEndpoint,
  getEndpointPorts,
  getEndpointAddresses,
  newEndpointSlice,
  getEndpointSlicePrefix,
  ownedBy,
  serviceControllerKey,
  setEndpointSliceLabels,
  getAddressTypesForService,
  hintsEnabled,
  placeholderSliceEqual,
  IsHeadlessService,
  AnnotationTopologyMode,
  LabelTopologyZone,
  type EndpointMeta,
} from './utils';
export { TopologyCache, overloadThreshold } from './topologycache/topologycache';
export { reconcileHints } from './trafficdist';
export { endpointControllersEvents, type EndpointControllersEventMap, type EndpointControllersTraceEvent } from './events';
