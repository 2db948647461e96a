/**
 * Trace events of the Job controller: one per sync, with the counts it stored and the condition
 * it reached. Links point at kubernetes v1.34.0.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type JobEventMap = {
  /** A sync of one Job: pods created / deleted, the counts, the finished condition if any (`error` empty on success). */
  'job.sync': { job: string; created: number; deleted: number; active: number; ready: number; succeeded: number; failed: number; terminating: number; condition: string; error: string };
  /** New pods wait for the failure backoff (`delayMs` left, after `failures` failures since the last success). */
  'job.backoff': { job: string; failures: number; delayMs: number };
};

export type JobTraceEvent = AnyEventOf<JobEventMap>;

const go = (file: string, symbol: string) => ({ file, symbol });

export const jobEvents = defineEvents<JobEventMap>(
  'job',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'job.sync': {
      text: (e) =>
        e.error
          ? `sync ${e.job}: ${e.error}`
          : `sync ${e.job}: ${e.created} created, ${e.deleted} deleted; active ${e.active}, ready ${e.ready}, succeeded ${e.succeeded}, failed ${e.failed}${e.terminating ? `, terminating ${e.terminating}` : ''}${e.condition ? ` -> ${e.condition}` : ''}`,
      source: go('pkg/controller/job/job_controller.go', 'Controller.syncJob'),
    },
    'job.backoff': {
      text: (e) => `${e.job}: ${e.failures} failure(s) since the last success, new pods wait ${e.delayMs} ms`,
      source: go('pkg/controller/job/backoff_utils.go', 'backoffRecord.getRemainingTime'),
    },
  },
);
