// The Job controller, basics (kube-controller-manager v1.34, pkg/controller/job). See README.md.
export {
  newJobController, JobController, MaxPodCreateDeletePerSync, syncJobBatchPeriodMs, BackoffLimitExceededMessage, DeadlineExceededMessage, CompletionsReachedMessage,
  isJobFinished, isPodFailed, onlyReplaceFailedPods, pastBackoffLimitOnFailure, ensureJobConditionStatus, cleanUncountedPodsWithoutFinalizers, activePodsForRemoval,
  type JobControllerOptions,
} from './job_controller';
export { BackoffStore, getRemainingTime, getRemainingTimeForFailuresCount, getFinishedTime, DefaultJobPodFailureBackOffMs, MaxJobPodFailureBackOffMs, type BackoffRecord } from './backoff_utils';
export { getCompletionIndex, formatIndexes, parseIndexes, calculateSucceededIndexes, firstPendingIndexes, podGenerateNameWithIndex, unknownCompletionIndex } from './indexed_job_utils';
export { jobEvents, type JobEventMap, type JobTraceEvent } from './events';
export {
  controllerKind as jobControllerKind, jobsResource, JobTrackingFinalizer, JobCompletionIndexAnnotation, JobCompletionIndexEnvName,
  JobReasonBackoffLimitExceeded, JobReasonDeadlineExceeded, JobReasonCompletionsReached,
  type Job, type JobSpec, type JobStatus, type JobCondition, type JobConditionType, type UncountedTerminatedPods,
} from './types';
