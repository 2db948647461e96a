// The DaemonSet controller (kube-controller-manager v1.34, pkg/controller/daemon). See README.md.
export { newDaemonSetsController, DaemonSetsController, BurstReplicas, SelectingAllReason, FailedPlacementReason, FailedDaemonPodReason, SucceededDaemonPodReason, sortPodsByCreationTimestampAndPhase, getUnscheduledPodsWithoutNode, failedPodsBackoffKey, shouldIgnoreNodeUpdate, type DaemonSetsControllerOptions } from './controller';
export { nodeShouldRunDaemonPod, newPod as newDaemonPod, predicates as daemonPredicates } from './should_run';
export { rollingUpdatePlan, findUpdatedPodsOnNode, updatedDesiredNodeCounts, type RollingUpdatePlan } from './update';
export {
  addOrUpdateDaemonPodTolerations, createPodTemplate, replaceDaemonSetPodNodeNameNodeAffinity, getTargetNodeName, isPodUpdated, allowsSurge, surgeCount, unavailableCount, isPodAvailable,
  DefaultDaemonSetUniqueLabelKey, DaemonSetTemplateGenerationKey,
} from './util';
export { constructHistory, cleanupHistory, controlledHistories, dedupCurHistories, snapshot, getPatch as getDaemonSetPatch, match as daemonSetMatch, maxRevision, type DaemonSetHistoryDeps } from './history';
export { RealPodControl, getPodFromTemplate, newControllerRef, SuccessfulCreatePodReason, FailedCreatePodReason, SuccessfulDeletePodReason, FailedDeletePodReason } from '../util/pod_control';
export { daemonSetEvents, type DaemonSetEventMap, type DaemonSetTraceEvent } from './events';
export { controllerKind as daemonSetControllerKind, daemonSetsResource, type DaemonSet, type DaemonSetSpec, type DaemonSetStatus, type DaemonSetUpdateStrategy } from './types';
