/** The node lifecycle controller (kube-controller-manager v1.34): see README.md in this folder. */
export { newNodeLifecycleController, NodeLifecycleController, NotReadyTaintTemplate, UnreachableTaintTemplate, nodeConditionToTaintKeyStatusMap, defaults as nodeLifecycleDefaults, type NodeLifecycleControllerOptions, type ZoneState } from './controller';
export { RateLimitedTimedQueue, TokenBucket, UniqueQueue, nodeEvictionPeriodMs, evictionRateLimiterBurst, type TimedValue } from './rate_limited_queue';
export { getZoneKey, markPodsNotReady, swapNodeControllerTaint, taintSetDiff, updatePodCondition } from './node_util';
export { nodeLifecycleEvents, type NodeLifecycleEventMap, type NodeLifecycleTraceEvent } from './events';
