/** Helpers the endpoint controllers share (k8s.io/endpointslice util/, pkg/api/v1/pod). */
export { isPodReady, getPodReadyCondition, isPodTerminal, shouldPodBeInEndpoints, shouldSetHostname, findPort, isServiceIPSet, NoSuitablePortError } from './pod';
export { getPodServiceMemberships, getServicesToUpdateOnPodChange, podEndpointsChanged, determineNeededServiceUpdates, selectorMatches, objectKey, type ServiceLister } from './services';
export { TriggerTimeTracker, EndpointsLastChangeTriggerTime, formatRFC3339Nano } from './trigger_time_tracker';
export { parseIPSloppy, isIPv6String, ipString } from '../../netaddr/ip';
export { BaseControllerRefManager, PodControllerRefManager, ControllerRevisionControllerRefManager, getControllerOf, recheckDeletionTimestamp, ownerRefControllerPatch, generateDeleteOwnerRefStrategicMergeBytes, type PodControl, type ControllerRevisionControl, type GroupVersionKind } from './controller_ref_manager';
export { ControllerExpectations, UIDTrackingControllerExpectations, ControlleeExpectations, ExpectationsTimeoutMs, type ControllerExpectationsInterface, type ExpectationsClock } from './expectations';
export { RealPodControl, getPodFromTemplate, getPodsPrefix, newControllerRef, SuccessfulCreatePodReason, FailedCreatePodReason, SuccessfulDeletePodReason, FailedDeletePodReason, type PodTemplate } from './pod_control';
export { ControllerLoop, type ControllerLoopOptions } from './run_loop';
export { slowStartBatch, SlowStartInitialBatchSize, type SlowStartResult } from './slow_start';
export { isPodActive, filterActivePods, activePodsLess, activePodsWithRanksLess, sortActivePods, sortActivePodsWithRanks, getPodsRankedByRelatedPodsOnSameNode, getPodsToDelete, getDeletionCostFromPodAnnotations, maxContainerRestarts, PodDeletionCost, defaultPodOrderingGates, type RankedPod, type PodOrderingGates } from './active_pods';
