/** The ReplicaSet controller (kubernetes v1.34 pkg/controller/replicaset) and the pod writes it shares with other workload controllers. */
export { newReplicaSetController, ReplicaSetController, BurstReplicas, controllerUIDIndex, replicaSetKind, type ReplicaSetControllerOptions } from './replica_set';
export { calculateStatus, updateReplicaSetStatus, getCondition, setCondition, removeCondition, newReplicaSetCondition, statusUpdateRetries } from './replica_set_utils';
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
export { ReplicaSetReplicaFailure, type ReplicaSet, type ReplicaSetSpec, type ReplicaSetStatus, type ReplicaSetCondition } from './types';
export { replicaSetEvents, type ReplicaSetEventMap, type ReplicaSetTraceEvent } from './events';
