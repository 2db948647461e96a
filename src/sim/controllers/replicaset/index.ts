/** The ReplicaSet controller (kubernetes v1.34 pkg/controller/replicaset) and the pod writes it shares with other workload controllers. */
export { newReplicaSetController, ReplicaSetController, BurstReplicas, controllerUIDIndex, replicaSetKind, type ReplicaSetControllerOptions } from './replica_set';
// Aliased where a bare upstream name would collide with the Deployment helpers in the public index.
export {
  calculateStatus as calculateReplicaSetStatus,
  updateReplicaSetStatus,
  getCondition as getReplicaSetCondition,
  setCondition as setReplicaSetCondition,
  removeCondition as removeReplicaSetCondition,
  newReplicaSetCondition,
  statusUpdateRetries,
  type StatusUpdateResult,
} from './replica_set_utils';
export {
  RealPodControl,
  getPodFromTemplate,
  getPodsPrefix,
  newControllerRef,
  isPodAvailable,
  FailedCreatePodReason,
  SuccessfulCreatePodReason,
  FailedDeletePodReason,
  SuccessfulDeletePodReason,
  type PodControlInterface,
} from './pod_control';
// `deployment` exports a ms-time `ReplicaSet` view; this is the object as the API serves it.
export { ReplicaSetReplicaFailure, type ReplicaSet as AppsV1ReplicaSet, type ReplicaSetSpec, type ReplicaSetStatus, type ReplicaSetCondition } from './types';
export { replicaSetEvents, type ReplicaSetEventMap, type ReplicaSetTraceEvent } from './events';
