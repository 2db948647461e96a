/** The StatefulSet controller (pkg/controller/statefulset, kubernetes v1.34). */
export { newStatefulSetController, StatefulSetController, type StatefulSetControllerOptions } from './controller';
export { DefaultStatefulSetControl, MaxBatchSize, updateStatefulSetStatus } from './control';
export { checkStatefulSetInvariants } from './invariants';
export { StatefulPodControl, type StatefulPodListers } from './pod_control';
export { statefulSetEvents, type StatefulSetEventMap, type StatefulSetTraceEvent } from './events';
export { StatefulSetRevisionLabel, StatefulSetPodNameLabel, PodIndexLabel, type StatefulSet, type StatefulSetSpec, type StatefulSetStatus, type PodManagementPolicy, type RetentionPolicyType } from './types';
export {
  getParentNameAndOrdinal,
  getOrdinal,
  getStartOrdinal,
  getEndOrdinal,
  podInOrdinalRange,
  getPodName,
  getPersistentVolumeClaimName,
  identityMatches,
  storageMatches,
  isClaimOwnerUpToDate,
  updateClaimOwnerRefForSetAndPod,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  getPatch,
  newRevision,
  applyRevision,
  nextRevision,
  inconsistentStatus,
  completeRollingUpdate,
  isRunningAndReady,
  isRunningAndAvailable,
} from './utils';
