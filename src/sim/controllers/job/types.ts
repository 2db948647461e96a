/**
 * batch/v1 Job as the controller reads it (k8s.io/api v0.34.0 batch/v1/types.go: Job, JobSpec,
 * JobStatus, JobCondition, UncountedTerminatedPods, the label, annotation and finalizer keys).
 */
import type { LabelSelector } from '../../apimachinery/validation';
import type { ObjectMeta } from '../../core/object';
import type { PodSpec } from '../../api/core/v1';

export type JobConditionType = 'Suspended' | 'Complete' | 'Failed' | 'FailureTarget' | 'SuccessCriteriaMet';

export interface JobCondition {
  type: JobConditionType;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface UncountedTerminatedPods {
  succeeded?: string[];
  failed?: string[];
}

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  selector?: LabelSelector | null;
  manualSelector?: boolean;
  template: { metadata?: ObjectMeta; spec: PodSpec };
  ttlSecondsAfterFinished?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
  podFailurePolicy?: unknown;
}

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  uncountedTerminatedPods?: UncountedTerminatedPods;
  ready?: number;
}

export interface Job {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: JobSpec;
  status?: JobStatus;
}

export const controllerKind = { group: 'batch', version: 'v1', kind: 'Job' } as const;
export const jobsResource = { group: 'batch', version: 'v1', resource: 'jobs' } as const;

/** Keeps a finished pod until the controller has counted it (Go: `batch.JobTrackingFinalizer`). */
export const JobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';
/** An Indexed Job pod's index, as annotation and label (Go: `batch.JobCompletionIndexAnnotation`). */
export const JobCompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
/** The environment variable an Indexed Job's containers read their index from. */
export const JobCompletionIndexEnvName = 'JOB_COMPLETION_INDEX';

// Condition reasons (k8s.io/api batch/v1).
export const JobReasonBackoffLimitExceeded = 'BackoffLimitExceeded';
export const JobReasonDeadlineExceeded = 'DeadlineExceeded';
export const JobReasonCompletionsReached = 'CompletionsReached';
