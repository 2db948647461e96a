/**
 * The Job controller (basics): pkg/controller/job/job_controller.go (kubernetes v1.34:
 * `NewController`, the informer handlers, `syncJob`, `manageJob`, `deleteActivePods`,
 * `trackJobStatusAndRemoveFinalizers`, `flushUncountedAndRemoveFinalizers`,
 * `cleanUncountedPodsWithoutFinalizers`, `enactJobFinished`, `recordJobFinished`,
 * `pastActiveDeadline`, `pastBackoffLimitOnFailure`, `isPodFailed`). Pods carry the
 * `batch.kubernetes.io/job-tracking` finalizer until the Job has counted them: a finished pod is
 * first listed in `status.uncountedTerminatedPods`, its finalizer removed, then moved into the
 * `succeeded` / `failed` counters. A finished Job first gets an interim condition
 * (SuccessCriteriaMet or FailureTarget) and the terminal one (Complete or Failed) once no pod is
 * left uncounted or terminating.
 */
import type { Pod } from '../../api/core/v1';
import { isNotFound } from '../../apimachinery/errors';
import { labelSelectorAsSelector } from '../../apimachinery/labels';
import { parseRfc3339, rfc3339 } from '../../apiserver/registry/strategy';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import type { Clientset } from '../../client/clientset';
import { newEventRecorder, type EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import { deepCopy, type KubeObject } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { defaultControllerRateLimiter } from '../../workqueue/default_rate_limiters';
import { newRateLimitingQueue } from '../../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../../workqueue/types';
import { newControllerRef, RealPodControl, type PodTemplate } from '../util/pod_control';
import { getControllerOf, PodControllerRefManager, recheckDeletionTimestamp } from '../util/controller_ref_manager';
import { ControllerExpectations } from '../util/expectations';
import { filterActivePods, sortActivePods } from '../util/active_pods';
import { isPodReady } from '../util/pod';
import { SlowStartInitialBatchSize } from '../util/slow_start';
import { ControllerLoop } from '../util/run_loop';
import { BackoffStore, getRemainingTime, type BackoffRecord } from './backoff_utils';
import { jobEvents, type JobEventMap } from './events';
import { addCompletionIndex, addCompletionIndexEnvVariables, calculateSucceededIndexes, firstPendingIndexes, formatIndexes, getCompletionIndex, podGenerateNameWithIndex, unknownCompletionIndex } from './indexed_job_utils';
import {
  controllerKind,
  JobReasonBackoffLimitExceeded,
  JobReasonCompletionsReached,
  JobReasonDeadlineExceeded,
  jobsResource,
  JobTrackingFinalizer,
  type Job,
  type JobCondition,
  type JobConditionType,
} from './types';

/** At most this many pods are created or deleted per sync (Go: `MaxPodCreateDeletePerSync`). */
export const MaxPodCreateDeletePerSync = 500;
/** Pod events are batched: the Job is synced this long after one (Go: `syncJobBatchPeriod`). */
export const syncJobBatchPeriodMs = 1000;
/** Upstream's wording of the terminal conditions' messages. */
export const BackoffLimitExceededMessage = 'Job has reached the specified backoff limit';
export const DeadlineExceededMessage = 'Job was active longer than specified deadline';
export const CompletionsReachedMessage = 'Reached expected number of succeeded pods';

export interface JobControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  /** `--concurrent-job-syncs` (default 5). */
  workers?: number;
}

export function newJobController(o: JobControllerOptions): JobController {
  return new JobController(o);
}

const finalState = <T>(obj: unknown): T => (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as T;
const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const hasFinalizer = (p: Pod) => (p.metadata.finalizers ?? []).includes(JobTrackingFinalizer);
const isIndexed = (job: Job) => job.spec.completionMode === 'Indexed';
/** The strategic merge patch that drops the tracking finalizer. Upstream: job_controller.go (removeTrackingFinalizerPatch) */
const removeTrackingFinalizerPatch = JSON.stringify({ metadata: { '$deleteFromPrimitiveList/finalizers': [JobTrackingFinalizer] } });

/** Finished jobs: Complete or Failed true. Upstream: pkg/controller/job/util (IsJobFinished) */
export function isJobFinished(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** Only failed pods are replaced (podReplacementPolicy Failed). Upstream: job_controller.go (onlyReplaceFailedPods) */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === 'Failed' || job.spec.podFailurePolicy !== undefined;
}

/** Failed, or (unless only failed pods are replaced) deleted before succeeding. Upstream: job_controller.go (isPodFailed) */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  // A deleted pod may never reach Failed (an orphan, a lost node): it counts as failed.
  return p.metadata.deletionTimestamp !== undefined && p.status?.phase !== 'Succeeded';
}

/** Container restarts of the running pods reach backoffLimit (restartPolicy OnFailure). Upstream: job_controller.go (pastBackoffLimitOnFailure) */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec.template.spec.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const list of ['initContainerStatuses', 'containerStatuses']) {
      for (const cs of (p.status?.[list] as Array<{ restartCount?: number }> | undefined) ?? []) restarts += cs.restartCount ?? 0;
    }
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

const newCondition = (type: JobConditionType, reason: string, message: string, nowMs: number): JobCondition => ({ type, status: 'True', lastProbeTime: rfc3339(nowMs), lastTransitionTime: rfc3339(nowMs), reason, message });

/** Sets a condition (added if absent and not False; replaced when status, reason or message differ); returns whether it changed. */
// Upstream: job_controller.go (ensureJobConditionStatus)
export function ensureJobConditionStatus(list: JobCondition[], type: JobConditionType, status: 'True' | 'False', reason: string, message: string, nowMs: number): { list: JobCondition[]; updated: boolean } {
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i];
    if (c.status === status && c.reason === reason && c.message === message) return { list, updated: false };
    // Replaced whole: both timestamps move.
    const next = [...list];
    next[i] = { ...newCondition(type, reason, message, nowMs), status };
    return { list: next, updated: true };
  }
  // A False condition that is not there yet is not added.
  if (status === 'False') return { list, updated: false };
  return { list: [...list, { ...newCondition(type, reason, message, nowMs), status }], updated: true };
}

/** What one sync works with (Go: `syncJobCtx`). */
interface SyncJobCtx {
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  succeeded: number;
  failed: number;
  finishedCondition?: JobCondition;
  ready: number;
  terminating: number;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  expectedRmFinalizers: ReadonlySet<string>;
  newBackoffRecord: BackoffRecord;
  prevSucceededIndexes: Set<number>;
  succeededIndexes: Set<number>;
  created: number;
  deleted: number;
}

// Upstream: job_controller.go (Controller)
export class JobController {
  readonly queue: RateLimitingQueue<string>;
  readonly expectations: ControllerExpectations;
  readonly podBackoffStore = new BackoffStore();
  readonly podControl: RealPodControl;
  readonly workers: number;
  /** Pod uids whose finalizer removal was sent but not yet seen (Go: `finalizerExpectations`). */
  readonly #expectedRmFinalizers = new Map<string, Set<string>>();
  readonly #o: JobControllerOptions;
  readonly #record: EventRecorder;
  readonly #events: EventEmitter<JobEventMap, Record<string, never>>;
  readonly #loop: ControllerLoop;

  // Upstream: job_controller.go (NewController)
  constructor(o: JobControllerOptions) {
    this.#o = o;
    this.workers = o.workers ?? 5;
    this.#record = newEventRecorder(o.client, o.clock, { component: 'job-controller' });
    this.podControl = new RealPodControl(o.client, this.#record);
    this.expectations = new ControllerExpectations(o.clock);
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'job', trace: o.trace });
    this.#loop = new ControllerLoop({ client: o.client, clock: o.clock, rng: o.rng, queue: this.queue, sync: (key) => this.syncJob(key) });
    this.#events = new EventEmitter(jobEvents, resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace }), {});
  }

  #store(resource: string | typeof jobsResource) {
    return this.#loop.factory!.forResource(resource).informer().getStore();
  }

  /** Starts the informers, waits for their caches, then the workers (Go: `Run`). */
  // Upstream: job_controller.go (Controller.Run, worker, processNextWorkItem)
  run(): Promise<void> {
    return this.#loop.run(this.workers, (f) => {
      f.forResource(jobsResource).informer().addEventHandler({
        onAdd: (obj) => this.queue.add(keyOf(obj)), // Go: addJob, enqueueSyncJobImmediately
        onUpdate: (old, cur) => this.#updateJob(old as unknown as Job, cur as unknown as Job),
        onDelete: (obj) => this.#deleteJob(finalState<Job>(obj)),
      });
      f.forResource('pods').informer().addEventHandler({
        onAdd: (obj) => this.#addPod(obj as unknown as Pod),
        onUpdate: (old, cur) => this.#updatePod(old as unknown as Pod, cur as unknown as Pod),
        onDelete: (obj) => this.#deletePod(finalState<Pod>(obj), true),
      });
    });
  }

  stop(): void {
    this.#loop.stop();
  }

  // Upstream: job_controller.go (updateJob)
  #updateJob(old: Job, cur: Job): void {
    if (old.metadata.uid !== cur.metadata.uid) this.#deleteJob(old);
    const key = keyOf(cur as unknown as KubeObject);
    // A spec change syncs at once; status updates (our own, mostly) are batched like pod events.
    if (cur.metadata.generation === old.metadata.generation) this.#enqueueBatched(cur);
    else this.queue.add(key);
    // A finished Job should hold no finalizers: a backup cleanup.
    if (isJobFinished(cur)) this.#cleanupPodFinalizers(cur);
    // A new or changed activeDeadlineSeconds: look again when it passes.
    const deadline = cur.spec.activeDeadlineSeconds;
    if (cur.status?.startTime && deadline !== undefined && deadline !== old.spec.activeDeadlineSeconds) {
      this.queue.addAfter(key, Math.max(deadline * 1000 - (this.#o.clock.now() - parseRfc3339(cur.status.startTime)), 0));
    }
  }

  // Upstream: job_controller.go (deleteJob)
  #deleteJob(job: Job): void {
    this.queue.add(keyOf(job as unknown as KubeObject));
    this.#cleanupPodFinalizers(job);
  }

  /** Pods of a deleted or finished Job still holding the finalizer get it removed (Go: `cleanupPodFinalizers`). */
  #cleanupPodFinalizers(job: Job): void {
    for (const pod of (this.#store('pods').list() ?? []) as unknown as Pod[]) {
      if (pod.metadata.namespace !== job.metadata.namespace || !hasFinalizer(pod)) continue;
      if (getControllerOf(pod as unknown as KubeObject)?.uid === job.metadata.uid) this.#enqueueOrphanPod(pod);
    }
  }

  /**
   * Removes the tracking finalizer of a pod no running Job will count (Go: the orphan queue and
   * `syncOrphanPod`; here run at once, best effort).
   */
  // Upstream: job_controller.go (enqueueOrphanPod, syncOrphanPod)
  #enqueueOrphanPod(pod: Pod): void {
    const run = async () => {
      const cur = this.#store('pods').getByKey(`${pod.metadata.namespace}/${pod.metadata.name}`) as unknown as Pod | undefined;
      if (!cur || !hasFinalizer(cur)) return;
      const ref = getControllerOf(cur as unknown as KubeObject);
      if (ref) {
        if (ref.kind !== controllerKind.kind || ref.apiVersion !== 'batch/v1') return;
        const job = this.#jobFor(cur);
        // Adopted by a Job that still runs: that Job counts it.
        if (job && !isJobFinished(job)) return;
      }
      await this.podControl.patchPod(cur.metadata.namespace ?? '', cur.metadata.name ?? '', removeTrackingFinalizerPatch);
    };
    void run().catch(() => {});
  }

  #jobFor(pod: Pod): Job | undefined {
    const ref = getControllerOf(pod as unknown as KubeObject);
    if (!ref || ref.kind !== controllerKind.kind) return undefined;
    const job = this.#store(jobsResource).getByKey(`${pod.metadata.namespace ?? ''}/${ref.name}`) as unknown as Job | undefined;
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }

  #enqueueBatched(job: Job): void {
    this.queue.addAfter(keyOf(job as unknown as KubeObject), syncJobBatchPeriodMs);
  }

  #finalizerRemovalObserved(key: string, uid: string): void {
    this.#expectedRmFinalizers.get(key)?.delete(uid);
  }

  // Upstream: job_controller.go (addPod)
  #addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // Already terminating (a controller restart): not a creation.
      this.#deletePod(pod, false);
      return;
    }
    if (getControllerOf(pod as unknown as KubeObject)) {
      const job = this.#jobFor(pod);
      if (!job) return;
      this.expectations.creationObserved(keyOf(job as unknown as KubeObject));
      this.#enqueueBatched(job);
      return;
    }
    // An orphan: its finalizer goes; whoever selects it may adopt it.
    if (hasFinalizer(pod)) this.#enqueueOrphanPod(pod);
    for (const job of this.#getPodJobs(pod)) this.#enqueueBatched(job);
  }

  // Upstream: job_controller.go (updatePod)
  #updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      // A graceful deletion: replace the pod now rather than when the kubelet is done with it.
      this.#deletePod(cur, false);
      return;
    }
    const finalizerRemoved = !hasFinalizer(cur);
    const curRef = getControllerOf(cur as unknown as KubeObject);
    const oldRef = getControllerOf(old as unknown as KubeObject);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const job = this.#jobFor(old);
      if (job) {
        if (finalizerRemoved) this.#finalizerRemovalObserved(keyOf(job as unknown as KubeObject), cur.metadata.uid ?? '');
        this.#enqueueBatched(job);
      }
    }
    if (curRef) {
      const job = this.#jobFor(cur);
      if (!job) return;
      if (finalizerRemoved) this.#finalizerRemovalObserved(keyOf(job as unknown as KubeObject), cur.metadata.uid ?? '');
      this.#enqueueBatched(job);
      return;
    }
    if (hasFinalizer(cur)) this.#enqueueOrphanPod(cur);
    const labelChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (labelChanged || refChanged) for (const job of this.#getPodJobs(cur)) this.#enqueueBatched(job);
  }

  // Upstream: job_controller.go (deletePod)
  #deletePod(pod: Pod, final: boolean): void {
    if (!getControllerOf(pod as unknown as KubeObject)) {
      if (hasFinalizer(pod)) this.#enqueueOrphanPod(pod);
      return;
    }
    const job = this.#jobFor(pod);
    if (!job || isJobFinished(job)) {
      // syncJob will not remove this finalizer.
      if (hasFinalizer(pod)) this.#enqueueOrphanPod(pod);
      return;
    }
    const key = keyOf(job as unknown as KubeObject);
    // Go observes a deletion at every such event (the timestamp update and the final delete alike).
    this.expectations.deletionObserved(key);
    if (final || !hasFinalizer(pod)) this.#finalizerRemovalObserved(key, pod.metadata.uid ?? '');
    this.#enqueueBatched(job);
  }

  // Upstream: job_controller.go (getPodJobs; the lister's GetPodJobs)
  #getPodJobs(pod: Pod): Job[] {
    return ((this.#store(jobsResource).list() ?? []) as unknown as Job[]).filter((j) => {
      if ((j.metadata.namespace ?? '') !== (pod.metadata.namespace ?? '')) return false;
      try {
        const sel = labelSelectorAsSelector(j.spec.selector);
        return !sel.empty() && sel.matches(pod.metadata.labels ?? {});
      } catch {
        return false;
      }
    });
  }

  /** The Job's pods after adoption / release (Go: `getPodsForJob`); the tracking finalizer comes with adoption. */
  // Upstream: job_controller.go (getPodsForJob)
  async getPodsForJob(job: Job): Promise<Pod[]> {
    const selector = labelSelectorAsSelector(job.spec.selector);
    const pods = ((this.#store('pods').list() ?? []) as unknown as Pod[]).filter((p) => (p.metadata.namespace ?? '') === (job.metadata.namespace ?? ''));
    const canAdopt = recheckDeletionTimestamp(async () => {
      const fresh = (await this.#o.client.batchV1().jobs(job.metadata.namespace).get(job.metadata.name ?? '')) as unknown as Job;
      if (fresh.metadata.uid !== job.metadata.uid) throw new Error(`original Job ${job.metadata.namespace}/${job.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${job.metadata.uid}`);
      return fresh as unknown as KubeObject;
    });
    const cm = new PodControllerRefManager(this.podControl, job as unknown as KubeObject, selector, controllerKind, canAdopt, JobTrackingFinalizer);
    const { claimed, err } = await cm.claimPods(pods as unknown as KubeObject[]);
    if (err) throw err;
    return claimed as unknown as Pod[];
  }

  /** One sync of the Job at `key` (Go: `syncJob`). */
  // Upstream: job_controller.go (syncJob)
  async syncJob(key: string): Promise<void> {
    const cached = this.#store(jobsResource).getByKey(key) as unknown as Job | undefined;
    if (!cached) {
      this.expectations.deleteExpectations(key);
      this.#expectedRmFinalizers.delete(key);
      return;
    }
    const job = deepCopy(cached);
    // A finished Job is not done again.
    if (isJobFinished(job)) {
      this.podBackoffStore.removeBackoffRecord(key);
      return;
    }
    const now = this.#o.clock.now();
    const status = (job.status ??= {});
    const uncounted = (status.uncountedTerminatedPods ??= {});
    // Expectations first: a pod created after the listing must not slip past them.
    const satisfiedExpectations = this.expectations.satisfiedExpectations(key);
    const pods = await this.getPodsForJob(job);
    const activePods = filterActivePods(pods);
    const ctx: SyncJobCtx = {
      job,
      pods,
      activePods,
      succeeded: 0,
      failed: 0,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded').length,
      uncountedSucceeded: new Set(uncounted.succeeded ?? []),
      uncountedFailed: new Set(uncounted.failed ?? []),
      expectedRmFinalizers: new Set(this.#expectedRmFinalizers.get(key) ?? []),
      newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
      prevSucceededIndexes: new Set(),
      succeededIndexes: new Set(),
      created: 0,
      deleted: 0,
    };
    let active = activePods.length;
    const newSucceededPods = this.#validPods(ctx, ctx.uncountedSucceeded, (p) => p.status?.phase === 'Succeeded');
    const newFailedPods = this.#validPods(ctx, ctx.uncountedFailed, (p) => isPodFailed(p, job));
    ctx.succeeded = (status.succeeded ?? 0) + newSucceededPods.length + ctx.uncountedSucceeded.size;
    ctx.failed = (status.failed ?? 0) + newFailedPods.length + ctx.uncountedFailed.size;
    // The first sync while not suspended starts the clock of activeDeadlineSeconds.
    if (!status.startTime && !job.spec.suspend) status.startTime = rfc3339(now);
    ctx.newBackoffRecord = this.podBackoffStore.newBackoffRecord(key, newSucceededPods, newFailedPods);

    let manageJobErr: unknown;
    const exceedsBackoffLimit = ctx.failed > (job.spec.backoffLimit ?? 6);
    ctx.finishedCondition = (status.conditions ?? []).find((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
    if (!ctx.finishedCondition) {
      const failureTarget = (status.conditions ?? []).find((c) => c.type === 'FailureTarget' && c.status === 'True');
      if (failureTarget) ctx.finishedCondition = newCondition('Failed', failureTarget.reason ?? '', failureTarget.message ?? '', now);
      else if (exceedsBackoffLimit || pastBackoffLimitOnFailure(job, pods)) ctx.finishedCondition = newCondition('FailureTarget', JobReasonBackoffLimitExceeded, BackoffLimitExceededMessage, now);
      else if (this.#pastActiveDeadline(job)) ctx.finishedCondition = newCondition('FailureTarget', JobReasonDeadlineExceeded, DeadlineExceededMessage, now);
      else if (job.spec.activeDeadlineSeconds !== undefined && !job.spec.suspend && status.startTime) {
        this.queue.addAfter(key, job.spec.activeDeadlineSeconds * 1000 - (now - parseRfc3339(status.startTime)));
      }
    }
    if (isIndexed(job)) {
      const { prev, now: succeededNow } = calculateSucceededIndexes(job, pods);
      ctx.prevSucceededIndexes = prev;
      ctx.succeededIndexes = succeededNow;
      ctx.succeeded = succeededNow.size;
    }
    let suspendCondChanged = false;
    if (ctx.finishedCondition) {
      // Failed (or done): stop what still runs; the finalizers keep the pods until they are counted.
      const { deletedReady, deleted, err } = await this.#deletePods(job, key, activePods, false);
      if (deleted !== active || !satisfiedExpectations) ctx.finishedCondition = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageJobErr = err;
    } else {
      let manageJobCalled = false;
      if (satisfiedExpectations && !job.metadata.deletionTimestamp) {
        try {
          active = await this.manageJob(ctx);
        } catch (e) {
          manageJobErr = e;
          active = ctx.activePods.length + ctx.created - ctx.deleted;
        }
        manageJobCalled = true;
      }
      const complete = job.spec.completions === undefined ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= job.spec.completions && active === 0;
      if (complete) ctx.finishedCondition = newCondition('SuccessCriteriaMet', JobReasonCompletionsReached, CompletionsReachedMessage, now);
      else if (manageJobCalled) {
        const suspended = job.spec.suspend === true;
        const r = ensureJobConditionStatus(status.conditions ?? [], 'Suspended', suspended ? 'True' : 'False', suspended ? 'JobSuspended' : 'JobResumed', suspended ? 'Job suspended' : 'Job resumed', now);
        if (r.updated) {
          status.conditions = r.list;
          suspendCondChanged = true;
          void this.#record.event(job as unknown as KubeObject, 'Normal', suspended ? 'Suspended' : 'Resumed', suspended ? 'Job suspended' : 'Job resumed');
          // A resumed Job's deadline counts from now.
          if (!suspended) status.startTime = rfc3339(now);
        }
      }
    }
    const needsStatusUpdate = suspendCondChanged || active !== (status.active ?? 0) || ctx.ready !== status.ready || ctx.terminating !== status.terminating;
    status.active = active;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    let trackErr: unknown;
    try {
      await this.#trackJobStatusAndRemoveFinalizers(ctx, key, needsStatusUpdate);
    } catch (e) {
      trackErr = new Error(`tracking status: ${(e as Error).message}`);
    }
    const err = trackErr ?? manageJobErr;
    const s = ctx.job.status ?? {};
    this.#events.emit('job.sync', {
      job: key,
      created: ctx.created,
      deleted: ctx.deleted,
      active: s.active ?? 0,
      ready: s.ready ?? 0,
      succeeded: s.succeeded ?? 0,
      failed: s.failed ?? 0,
      terminating: s.terminating ?? 0,
      condition: (s.conditions ?? []).filter((c) => c.status === 'True' && c.type !== 'Suspended').map((c) => c.type).join(','),
      error: err ? (err as Error).message : '',
    });
    if (err) throw err;
  }

  /** Finished pods not yet counted: still holding the finalizer, not in uncounted, no removal pending. */
  // Upstream: job_controller.go (getValidPodsWithFilter)
  #validPods(ctx: SyncJobCtx, uncounted: Set<string>, filter: (p: Pod) => boolean): Pod[] {
    const completions = ctx.job.spec.completions ?? 0;
    return ctx.pods.filter((p) => {
      const uid = p.metadata.uid ?? '';
      if (!hasFinalizer(p) || uncounted.has(uid) || ctx.expectedRmFinalizers.has(uid)) return false;
      if (isIndexed(ctx.job)) {
        const ix = getCompletionIndex(p.metadata.annotations);
        if (ix === unknownCompletionIndex || ix >= completions) return false;
      }
      return filter(p);
    });
  }

  // Upstream: job_controller.go (pastActiveDeadline)
  #pastActiveDeadline(job: Job): boolean {
    const d = job.spec.activeDeadlineSeconds;
    if (d === undefined || !job.status?.startTime || job.spec.suspend) return false;
    return this.#o.clock.now() - parseRfc3339(job.status.startTime) >= d * 1000;
  }

  /**
   * Creates or deletes pods toward the wanted number of active ones; returns the active count.
   * Never both in one sync (deletion wins).
   */
  // Upstream: job_controller.go (manageJob)
  async manageJob(ctx: SyncJobCtx): Promise<number> {
    const job = ctx.job;
    const key = keyOf(job as unknown as KubeObject);
    let active = ctx.activePods.length;
    const parallelism = job.spec.parallelism ?? 1;
    if (job.spec.suspend) {
      const { deletedReady, deleted, err } = await this.#deletePods(job, key, activePodsForRemoval(job, ctx.activePods, active), true);
      ctx.ready -= deletedReady;
      ctx.terminating += deleted;
      if (err) throw err;
      return active - deleted;
    }
    let wantActive: number;
    if (job.spec.completions === undefined) {
      // A work queue: once a pod has succeeded, leave whatever runs running, start nothing new.
      wantActive = ctx.succeeded > 0 ? active : parallelism;
    } else {
      wantActive = Math.max(0, Math.min(job.spec.completions - ctx.succeeded, parallelism));
    }
    const rmAtLeast = Math.max(active - wantActive, 0);
    const podsToDelete = activePodsForRemoval(job, ctx.activePods, rmAtLeast).slice(0, MaxPodCreateDeletePerSync);
    if (podsToDelete.length > 0) {
      const { deletedReady, deleted, err } = await this.#deletePods(job, key, podsToDelete, true);
      ctx.ready -= deletedReady;
      ctx.terminating += deleted;
      if (err) throw err;
      return active - deleted;
    }
    const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return active;
    const remainingMs = getRemainingTime(ctx.newBackoffRecord, this.#o.clock.now());
    if (remainingMs > 0) {
      this.#events.emit('job.backoff', { job: key, failures: ctx.newBackoffRecord.failuresAfterLastSuccess, delayMs: Math.ceil(remainingMs) });
      this.queue.addAfter(key, remainingMs);
      return 0;
    }
    diff = Math.min(diff, MaxPodCreateDeletePerSync);
    let indexesToAdd: number[] = [];
    if (isIndexed(job)) {
      indexesToAdd = firstPendingIndexes(ctx.activePods, ctx.succeededIndexes, diff, job.spec.completions ?? 0);
      diff = indexesToAdd.length;
    }
    this.expectations.expectCreations(key, diff);
    active += diff;
    const podTemplate = deepCopy(job.spec.template) as PodTemplate;
    if (isIndexed(job)) addCompletionIndexEnvVariables(podTemplate.spec);
    const meta = (podTemplate.metadata ??= {});
    if (!(meta.finalizers ?? []).includes(JobTrackingFinalizer)) meta.finalizers = [...(meta.finalizers ?? []), JobTrackingFinalizer];
    const ref = newControllerRef(job as unknown as KubeObject, controllerKind);
    const errors: Error[] = [];
    for (let batchSize = Math.min(diff, SlowStartInitialBatchSize); diff > 0; batchSize = Math.min(2 * batchSize, diff)) {
      const errorCount = errors.length;
      const batch = indexesToAdd.length ? indexesToAdd.splice(0, batchSize) : Array.from({ length: batchSize }, () => unknownCompletionIndex);
      await Promise.all(
        batch.map(async (index) => {
          let template = podTemplate;
          let generateName = '';
          if (index !== unknownCompletionIndex) {
            template = deepCopy(podTemplate);
            addCompletionIndex((template.metadata ??= {}), index);
            template.spec.hostname = `${job.metadata.name}-${index}`;
            generateName = podGenerateNameWithIndex(job.metadata.name ?? '', index);
          }
          try {
            await this.podControl.createPodsWithGenerateName(job.metadata.namespace ?? '', template, job as unknown as KubeObject, ref, generateName);
            ctx.created++;
          } catch (e) {
            // A terminating namespace refuses every create: nothing to retry or un-expect.
            if ((e as { status?: { details?: { causes?: { type?: string }[] } } }).status?.details?.causes?.some((c) => c.type === 'NamespaceTerminating')) return;
            // The informer will not see this pod.
            this.expectations.creationObserved(key);
            active--;
            errors.push(e as Error);
          }
        }),
      );
      const skipped = diff - batchSize;
      if (errors.length > errorCount && skipped > 0) {
        // Slow-start failure: the skipped pods are not expected; the next sync tries again.
        active -= skipped;
        for (let i = 0; i < skipped; i++) this.expectations.creationObserved(key);
        break;
      }
      diff -= batchSize;
    }
    if (errors.length) throw errors[0];
    return active;
  }

  /**
   * Deletes pods. `expect` (Go: deleteJobPods, manageJob's excess and suspended pods): deletion
   * expectations first, each pod's finalizer removed before its DELETE. Otherwise (Go:
   * deleteActivePods, a finished Job) finalizers stay: counting the pods as failed removes them.
   */
  // Upstream: job_controller.go (deleteJobPods, deleteActivePods)
  async #deletePods(job: Job, key: string, pods: readonly Pod[], expect: boolean): Promise<{ deletedReady: number; deleted: number; err?: Error }> {
    if (expect) this.expectations.expectDeletions(key, pods.length);
    let deleted = pods.length;
    let deletedReady = 0;
    const errors: Error[] = [];
    await Promise.all(
      pods.map(async (pod) => {
        try {
          // Excess or suspended pods leave without being counted: their finalizer goes first.
          if (expect && hasFinalizer(pod)) {
            try {
              await this.podControl.patchPod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', removeTrackingFinalizerPatch);
            } catch (e) {
              throw Object.assign(new Error(`removing completion finalizer: ${(e as Error).message}`), { cause: e, status: (e as { status?: unknown }).status });
            }
          }
          await this.podControl.deletePod(job.metadata.namespace ?? '', pod.metadata.name ?? '', job as unknown as KubeObject);
        } catch (e) {
          if (expect) this.expectations.deletionObserved(key);
          if (!isNotFound(e)) {
            deleted--;
            errors.push(e as Error);
            return;
          }
        }
        if (isPodReady(pod)) deletedReady++;
      }),
    );
    return { deletedReady, deleted, err: errors[0] };
  }

  /**
   * Counts finished pods in two steps (uncountedTerminatedPods, then the counters once their
   * finalizers are gone), writes the interim and terminal conditions, records the final event.
   */
  // Upstream: job_controller.go (trackJobStatusAndRemoveFinalizers)
  async #trackJobStatusAndRemoveFinalizers(ctx: SyncJobCtx, key: string, needsFlushIn: boolean): Promise<void> {
    let needsFlush = needsFlushIn;
    const job = ctx.job;
    const status = job.status!;
    const uncounted = status.uncountedTerminatedPods!;
    uncounted.succeeded ??= [];
    uncounted.failed ??= [];
    const indexed = isIndexed(job);
    const completions = job.spec.completions ?? 0;
    const uidsWithFinalizer = new Set(ctx.pods.filter((p) => hasFinalizer(p) && !ctx.expectedRmFinalizers.has(p.metadata.uid ?? '')).map((p) => p.metadata.uid ?? ''));
    if (cleanUncountedPodsWithoutFinalizers(status, uidsWithFinalizer)) needsFlush = true;
    const podsToRemoveFinalizer: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    const byIndex = [...ctx.pods].sort((a, b) => getCompletionIndex(a.metadata.annotations) - getCompletionIndex(b.metadata.annotations));
    for (const pod of byIndex) {
      const uid = pod.metadata.uid ?? '';
      if (!hasFinalizer(pod) || ctx.expectedRmFinalizers.has(uid)) continue;
      const failed = isPodFailed(pod, job);
      // Go: canRemoveFinalizer.
      if (!(job.metadata.deletionTimestamp || ctx.finishedCondition || pod.status?.phase === 'Succeeded' || failed)) continue;
      podsToRemoveFinalizer.push(pod);
      if (pod.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
        if (indexed) {
          const ix = getCompletionIndex(pod.metadata.annotations);
          if (ix !== unknownCompletionIndex && ix < completions && !ctx.prevSucceededIndexes.has(ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!ctx.uncountedSucceeded.has(uid)) {
          uncounted.succeeded.push(uid);
          needsFlush = true;
        }
      } else if (failed || (ctx.finishedCondition && ctx.finishedCondition.type !== 'SuccessCriteriaMet')) {
        // Once the Job is finished, every pod not succeeded counts as failed.
        const ix = getCompletionIndex(pod.metadata.annotations);
        if (!ctx.uncountedFailed.has(uid) && (!indexed || (ix !== unknownCompletionIndex && ix < completions))) {
          uncounted.failed.push(uid);
          needsFlush = true;
        }
      }
    }
    if (indexed) {
      const all = new Set([...ctx.prevSucceededIndexes, ...newSucceededIndexes]);
      const text = formatIndexes(all);
      if (text !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = all.size;
      status.completedIndexes = text;
    }
    const now = this.#o.clock.now();
    if (ctx.finishedCondition?.type === 'FailureTarget') {
      // The interim condition goes out before the finalizers are removed; Failed follows.
      status.conditions = [...(status.conditions ?? []), ctx.finishedCondition];
      needsFlush = true;
      ctx.finishedCondition = newCondition('Failed', ctx.finishedCondition.reason ?? '', ctx.finishedCondition.message ?? '', now);
    }
    if (ctx.finishedCondition?.type === 'SuccessCriteriaMet') {
      if (!(status.conditions ?? []).some((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True')) {
        status.conditions = [...(status.conditions ?? []), ctx.finishedCondition];
        needsFlush = true;
      }
      ctx.finishedCondition = newCondition('Complete', ctx.finishedCondition.reason ?? '', ctx.finishedCondition.message ?? '', now);
    }
    needsFlush = await this.#flushUncountedAndRemoveFinalizers(ctx, key, podsToRemoveFinalizer, uidsWithFinalizer, needsFlush);
    const finished = this.#enactJobFinished(ctx);
    if (finished) needsFlush = true;
    if (needsFlush) {
      ctx.job = (await this.#updateStatus(ctx.job)) as Job;
      if (finished) this.#recordJobFinished(ctx.job, ctx.finishedCondition!);
    }
  }

  // Upstream: job_controller.go (flushUncountedAndRemoveFinalizers)
  async #flushUncountedAndRemoveFinalizers(ctx: SyncJobCtx, key: string, pods: Pod[], uidsWithFinalizer: Set<string>, needsFlushIn: boolean): Promise<boolean> {
    let needsFlush = needsFlushIn;
    if (needsFlush) {
      ctx.job = await this.#updateStatus(ctx.job);
      this.podBackoffStore.updateBackoffRecord(ctx.newBackoffRecord);
      needsFlush = false;
    }
    let rmErr: Error | undefined;
    if (pods.length) {
      const expected = this.#expectedRmFinalizers.get(key) ?? new Set<string>();
      this.#expectedRmFinalizers.set(key, expected);
      await Promise.all(
        pods.map(async (p) => {
          const uid = p.metadata.uid ?? '';
          expected.add(uid);
          try {
            await this.podControl.patchPod(p.metadata.namespace ?? '', p.metadata.name ?? '', removeTrackingFinalizerPatch);
            uidsWithFinalizer.delete(uid);
          } catch (e) {
            expected.delete(uid);
            // A pod already gone has no finalizer left.
            if (isNotFound(e)) uidsWithFinalizer.delete(uid);
            else rmErr ??= e as Error;
          }
        }),
      );
    }
    if (cleanUncountedPodsWithoutFinalizers(ctx.job.status!, uidsWithFinalizer)) needsFlush = true;
    if (rmErr && needsFlush) {
      ctx.job = await this.#updateStatus(ctx.job);
      needsFlush = false;
    }
    if (rmErr) throw rmErr;
    return needsFlush;
  }

  /** Writes the terminal condition once nothing is uncounted or terminating (Go: `enactJobFinished`). */
  // Upstream: job_controller.go (enactJobFinished)
  #enactJobFinished(ctx: SyncJobCtx): boolean {
    const cond = ctx.finishedCondition;
    if (!cond) return false;
    const status = ctx.job.status!;
    const u = status.uncountedTerminatedPods ?? {};
    if ((u.succeeded?.length ?? 0) + (u.failed?.length ?? 0) > 0) return false;
    if (ctx.terminating > 0) return false;
    status.conditions = ensureJobConditionStatus(status.conditions ?? [], cond.type, 'True', cond.reason ?? '', cond.message ?? '', this.#o.clock.now()).list;
    if (cond.type === 'Complete') status.completionTime = cond.lastTransitionTime;
    return true;
  }

  // Upstream: job_controller.go (recordJobFinished)
  #recordJobFinished(job: Job, cond: JobCondition): void {
    if (cond.type === 'Complete') {
      if (job.spec.completions !== undefined && (job.status?.succeeded ?? 0) > job.spec.completions) {
        void this.#record.event(job as unknown as KubeObject, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      void this.#record.event(job as unknown as KubeObject, 'Normal', 'Completed', 'Job completed');
    } else if (cond.type === 'Failed') void this.#record.event(job as unknown as KubeObject, 'Warning', cond.reason ?? '', cond.message ?? '');
  }

  // Upstream: job_controller.go (updateJobStatus)
  async #updateStatus(job: Job): Promise<Job> {
    // Go's JSON: the int32 counters and the uid lists are omitempty (ready and terminating are pointers, kept).
    const st = job.status ?? {};
    for (const k of ['active', 'succeeded', 'failed'] as const) if (st[k] === 0) delete st[k];
    const u = st.uncountedTerminatedPods;
    if (u && !u.succeeded?.length) delete u.succeeded;
    if (u && !u.failed?.length) delete u.failed;
    const saved = (await this.#o.client.batchV1().jobs(job.metadata.namespace).updateStatus(job as unknown as KubeObject)) as unknown as Job;
    return { ...saved, status: saved.status ?? {} };
  }
}

/** Moves uids whose finalizer is gone from uncountedTerminatedPods into the counters. */
// Upstream: job_controller.go (cleanUncountedPodsWithoutFinalizers)
export function cleanUncountedPodsWithoutFinalizers(status: NonNullable<Job['status']>, uidsWithFinalizer: ReadonlySet<string>): boolean {
  let updated = false;
  const u = (status.uncountedTerminatedPods ??= {});
  const keepS = (u.succeeded ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  if (keepS.length !== (u.succeeded ?? []).length) {
    updated = true;
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - keepS.length;
    u.succeeded = keepS;
  }
  const keepF = (u.failed ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  if (keepF.length !== (u.failed ?? []).length) {
    updated = true;
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - keepF.length;
    u.failed = keepF;
  }
  return updated;
}

/**
 * The active pods to delete, `rmAtLeast` of them: for Indexed Jobs duplicates of an index and
 * indexes out of range first; then the usual order (not ready, unscheduled first, ...).
 */
// Upstream: job_controller.go (activePodsForRemoval)
export function activePodsForRemoval(job: Job, pods: readonly Pod[], rmAtLeast: number): Pod[] {
  let rm: Pod[] = [];
  let left: Pod[] = [...pods];
  if (isIndexed(job)) {
    left = [];
    const seen = new Set<number>();
    for (const p of pods) {
      const ix = getCompletionIndex(p.metadata.annotations);
      if (ix === unknownCompletionIndex || ix >= (job.spec.completions ?? 0) || seen.has(ix)) rm.push(p);
      else {
        seen.add(ix);
        left.push(p);
      }
    }
  }
  if (rm.length < rmAtLeast) {
    // Go: sort.Sort(controller.ActivePods(left)): unscheduled, pending, not ready first.
    left = sortActivePods(left);
    rm = [...rm, ...left.slice(0, rmAtLeast - rm.length)];
  }
  return rm;
}
