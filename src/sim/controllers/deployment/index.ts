// The Deployment controller (kube-controller-manager v1.34, pkg/controller/deployment) and its
// helpers (util/deployment_util.go). See README.md for the file map and divergences.
export { newDeploymentController, DeploymentController, maxRetries as deploymentMaxRetries, type DeploymentControllerOptions } from './controller';
export { deploymentEvents, type DeploymentEventMap, type DeploymentTraceEvent, type ScaleReason } from './events';
export { computeHash, safeEncodeString } from './hash';
export { ReplicaSetControllerRefManager, controllerKind as deploymentControllerKind, type RSControl } from './claim';
export { type DcContext } from './context';
export {
  syncStatusOnly,
  sync,
  checkPausedConditions,
  getAllReplicaSetsAndSyncRevision,
  getNewReplicaSet,
  scale,
  scaleReplicaSet,
  scaleReplicaSetAndRecordEvent,
  cleanupDeployment,
  syncDeploymentStatus,
  calculateStatus,
  isScalingEvent,
  filterActiveReplicaSets,
  sortReplicaSetsBySizeNewer,
  sortReplicaSetsBySizeOlder,
  sortReplicaSetsByRevision,
  maxRevHistoryLengthInChars,
} from './sync';
export { rolloutRolling, reconcileNewReplicaSet, reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate } from './rolling';
export { rolloutRecreate, scaleDownOldReplicaSetsForRecreate, oldPodsRunning, scaleUpNewReplicaSetForRecreate, type PodMap } from './recreate';
export { rollback, rollbackToTemplate, setFromReplicaSetTemplate, getRollbackTo, setRollbackTo } from './rollback';
export { syncRolloutStatus, getReplicaFailures, requeueStuckDeployment } from './progress';
export { checkDeploymentInvariants } from './invariants';
export { ReplicaSetHarness, type ReplicaSetHarnessOptions, type HarnessPod } from './harness';
export * from './types';
export { getScaledValueFromIntOrPercent } from './intstr';
export {
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  DesiredReplicasAnnotation,
  MaxReplicasAnnotation,
  LastAppliedConfigAnnotation,
  DeprecatedRollbackTo,
  RollbackRevisionNotFound,
  RollbackTemplateUnchanged,
  RollbackDone,
  skipCopyAnnotation,
  revision,
  maxRevision,
  lastRevision,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setDeploymentAnnotationsTo,
  setReplicasAnnotations,
  replicasAnnotationsNeedUpdate,
  getNonNegativeInt32FromAnnotation,
  getDesiredReplicasAnnotation,
  getMaxReplicasAnnotation,
} from './annotations';
export {
  resolveFenceposts,
  isRollingUpdate,
  maxSurge,
  maxUnavailable,
  minAvailable,
  getReplicaCountForReplicaSets,
  getActualReplicaCountForReplicaSets,
  getReadyReplicaCountForReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  newRSNewReplicas,
  isSaturated,
  getReplicaSetFraction,
  getReplicaSetProportion,
} from './fenceposts';
export { semanticDeepEqual, equalIgnoreHash, sortReplicaSetsByCreationTimestamp, findNewReplicaSet, findOldReplicaSets, findActiveOrLatest } from './find';
export {
  ReplicaSetUpdatedReason,
  FailedRSCreateReason,
  NewReplicaSetReason,
  FoundNewRSReason,
  NewRSAvailableReason,
  TimedOutReason,
  PausedDeployReason,
  ResumedDeployReason,
  MinimumReplicasAvailable,
  MinimumReplicasUnavailable,
  conditionMessages,
  newDeploymentCondition,
  getDeploymentCondition,
  setDeploymentCondition,
  removeDeploymentCondition,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  replicaSetToDeploymentCondition,
} from './conditions';
