/**
 * Pod workers: pkg/kubelet/pod_workers.go (v1.34). One worker per pod runs its syncs one at a
 * time, through three stages that only go forward: SyncPod (keep it running) -> SyncTerminatingPod
 * (stop its containers within the grace period) -> SyncTerminatedPod (clean up) -> finished.
 * UpdatePod never blocks: it records the latest wish as the pending update and the worker takes
 * it when done with the current one. A worker first waits for a runtime status newer than its
 * last sync (the PLEG's cache), so it never acts on what it has already seen.
 */
import type { Pod } from '../api/core/v1';
import type { FakeClock } from '../core/clock';
import type { Rng } from '../core/rng';
import type { RuntimePod, RuntimePodStatus } from './kuberuntime/types';
import type { PodCache } from './pod_cache';
import type { WorkQueue } from './work_queue';

// Upstream: pkg/kubelet/types/pod_update.go (SyncPodType)
export type SyncPodType = 'SyncPodCreate' | 'SyncPodUpdate' | 'SyncPodSync' | 'SyncPodKill';

// Upstream: pod_workers.go (PodWorkerState)
export type PodWorkType = 'SyncPod' | 'TerminatingPod' | 'TerminatedPod';

export interface UpdatePodOptions {
  updateType: SyncPodType;
  /** The pod (absent for an orphan found only in the runtime: then `runningPod`). */
  pod?: Pod;
  runningPod?: RuntimePod;
  /** A shorter grace period than the pod's (eviction, a force kill). */
  gracePeriodOverrideSeconds?: number;
}

/** What a pod worker calls: the kubelet's three sync functions. */
// Upstream: pod_workers.go (podSyncer)
export interface PodSyncer {
  /** Returns true when the pod reached a terminal phase (it will never run again). */
  syncPod(updateType: SyncPodType, pod: Pod, status: RuntimePodStatus | undefined): Promise<boolean>;
  syncTerminatingPod(pod: Pod, status: RuntimePodStatus | undefined, gracePeriodSeconds: number | undefined): Promise<void>;
  syncTerminatingRuntimePod(runningPod: RuntimePod): Promise<void>;
  syncTerminatedPod(pod: Pod, status: RuntimePodStatus | undefined): Promise<void>;
}

/** The default resync (--sync-frequency 1m) and the backoff after an error, each jittered by up to 50 %. */
export const WORKER_RESYNC_INTERVAL_MS = 60_000;
export const WORKER_BACK_OFF_PERIOD_MS = 10_000;
export const WORKER_JITTER_FACTOR = 0.5;

// Upstream: pod_workers.go (podSyncStatus)
export interface PodSyncStatus {
  fullname: string;
  pod?: Pod;
  runningPod?: RuntimePod;
  working: boolean;
  pendingUpdate?: UpdatePodOptions;
  /** Virtual ms at which the last sync ended (the next one waits for a cache entry at least this new). */
  syncedAtMs: number;
  startedAtMs?: number;
  terminatingAtMs?: number;
  terminatedAtMs?: number;
  /** The grace period the termination uses; only ever decreases. */
  gracePeriodSeconds?: number;
  finished: boolean;
  /** The pod is gone from the API (REMOVE / orphan). */
  deleted: boolean;
}

export interface PodWorkersOptions {
  clock: FakeClock;
  rng: Rng;
  syncer: PodSyncer;
  cache: PodCache;
  workQueue: WorkQueue;
  resyncIntervalMs?: number;
  backOffPeriodMs?: number;
  /** Each stage change (trace). */
  onTransition?: (uid: string, fullname: string, from: string, to: string) => void;
  onError?: (uid: string, fullname: string, err: Error) => void;
}

const podFullName = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`;

/** The grace period of a termination: an override, else the deletion's, else the spec's (default 30 s); at least 1 s. */
// Upstream: pod_workers.go (calculateEffectiveGracePeriod)
export function calculateEffectiveGracePeriod(current: number | undefined, pod: Pod | undefined, overrideSeconds: number | undefined): number {
  let grace = typeof pod?.spec.terminationGracePeriodSeconds === 'number' ? pod.spec.terminationGracePeriodSeconds : 30;
  if (typeof pod?.metadata.deletionGracePeriodSeconds === 'number') grace = pod.metadata.deletionGracePeriodSeconds;
  if (overrideSeconds !== undefined) grace = overrideSeconds;
  // Once a termination started, the grace period may only shrink.
  if (current !== undefined && current < grace) grace = current;
  // Never 0: a force deletion still gets 1 s here (and 2 s per container in killContainer).
  return Math.max(1, grace);
}

// Upstream: pod_workers.go (podWorkers)
export class PodWorkers {
  readonly #status = new Map<string, PodSyncStatus>();

  constructor(readonly o: PodWorkersOptions) {}

  /** The state of each known pod (views, tests). */
  states(): ReadonlyMap<string, PodSyncStatus> {
    return this.#status;
  }

  /** The stage a worker is in, as the trace names it. */
  stageOf(uid: string): PodWorkType | 'Finished' | undefined {
    const s = this.#status.get(uid);
    if (!s) return undefined;
    if (s.finished) return 'Finished';
    if (s.terminatedAtMs !== undefined) return 'TerminatedPod';
    if (s.terminatingAtMs !== undefined) return 'TerminatingPod';
    return 'SyncPod';
  }

  /** Records what the pod should become and wakes its worker; never waits. */
  // Upstream: pod_workers.go (UpdatePod)
  updatePod(options: UpdatePodOptions): void {
    const uid = options.pod?.metadata.uid ?? options.runningPod?.id ?? '';
    const fullname = options.pod ? podFullName(options.pod) : `${options.runningPod?.namespace}/${options.runningPod?.name}`;
    let status = this.#status.get(uid);
    if (!status) {
      // A pod first seen only in the runtime is an orphan: terminate it straight away.
      status = { fullname, working: false, syncedAtMs: -1, finished: false, deleted: false };
      this.#status.set(uid, status);
      if (!options.pod && options.runningPod) {
        status.deleted = true;
        status.terminatingAtMs = this.o.clock.now();
      }
    }
    if (status.finished) return; // "Pod is finished processing, no further updates"
    if (options.pod) status.pod = options.pod;
    if (options.runningPod) status.runningPod = options.runningPod;
    const pod = options.pod ?? status.pod;
    const terminate = options.updateType === 'SyncPodKill' || !!pod?.metadata.deletionTimestamp || pod?.status?.phase === 'Failed' || pod?.status?.phase === 'Succeeded';
    if (options.updateType === 'SyncPodKill' && !options.pod?.metadata.deletionTimestamp) status.deleted = status.deleted || !options.pod;
    if (terminate && status.terminatingAtMs === undefined) {
      status.terminatingAtMs = this.o.clock.now();
      this.#transition(uid, status, 'SyncPod', 'TerminatingPod');
    }
    if (status.terminatingAtMs !== undefined && status.terminatedAtMs === undefined) {
      status.gracePeriodSeconds = calculateEffectiveGracePeriod(status.gracePeriodSeconds, pod, options.gracePeriodOverrideSeconds);
    }
    status.pendingUpdate = options;
    if (!status.working) void this.#podWorkerLoop(uid, status);
  }

  // Upstream: pod_workers.go (podWorkerLoop)
  async #podWorkerLoop(uid: string, status: PodSyncStatus): Promise<void> {
    status.working = true;
    try {
      while (status.pendingUpdate && !status.finished) {
        const update = status.pendingUpdate;
        status.pendingUpdate = undefined;
        const work: PodWorkType = status.terminatedAtMs !== undefined ? 'TerminatedPod' : status.terminatingAtMs !== undefined ? 'TerminatingPod' : 'SyncPod';
        // Wait for a runtime status at least as new as the last sync (the PLEG or a relist provides it).
        const lastSync = status.syncedAtMs;
        const { status: runtimeStatus } = status.runningPod && !status.pod ? { status: undefined } : await this.o.cache.getNewerThan(uid, lastSync);
        status.startedAtMs ??= this.o.clock.now();
        let err: Error | undefined;
        try {
          if (work === 'SyncPod') {
            const isTerminal = await this.o.syncer.syncPod(update.updateType, update.pod ?? status.pod!, runtimeStatus);
            if (isTerminal && status.terminatingAtMs === undefined) {
              status.terminatingAtMs = this.o.clock.now();
              status.gracePeriodSeconds = calculateEffectiveGracePeriod(undefined, status.pod, undefined);
              this.#transition(uid, status, 'SyncPod', 'TerminatingPod');
              status.pendingUpdate ??= { updateType: 'SyncPodSync', pod: status.pod };
            }
          } else if (work === 'TerminatingPod') {
            if (status.pod) await this.o.syncer.syncTerminatingPod(status.pod, runtimeStatus, status.gracePeriodSeconds);
            else if (status.runningPod) await this.o.syncer.syncTerminatingRuntimePod(status.runningPod);
            // Upstream: completeTerminating: an orphan (no pod) is finished at once.
            status.terminatedAtMs = this.o.clock.now();
            this.#transition(uid, status, 'TerminatingPod', status.pod ? 'TerminatedPod' : 'Finished');
            if (status.pod) status.pendingUpdate = { updateType: 'SyncPodSync', pod: status.pod };
            else status.finished = true;
          } else {
            await this.o.syncer.syncTerminatedPod(status.pod!, runtimeStatus);
            status.finished = true;
            this.#transition(uid, status, 'TerminatedPod', 'Finished');
          }
        } catch (e) {
          err = e as Error;
          this.o.onError?.(uid, status.fullname, err);
        }
        // The next sync needs a status read after this one ended (a sync that took a 4 s image
        // pull must not act again on what the runtime looked like before it).
        status.syncedAtMs = this.o.clock.now();
        this.#completeWork(uid, status, work, err);
      }
    } finally {
      status.working = false;
    }
  }

  // Upstream: pod_workers.go (completeWork): resync later, or back off after an error
  #completeWork(uid: string, status: PodSyncStatus, work: PodWorkType, err: Error | undefined): void {
    if (status.finished) return;
    if (err) {
      this.o.workQueue.enqueue(uid, this.#jitter(this.o.backOffPeriodMs ?? WORKER_BACK_OFF_PERIOD_MS));
      // A failed termination step is retried: keep its update pending after the backoff.
      return;
    }
    if (work === 'SyncPod' && status.terminatingAtMs === undefined) this.o.workQueue.enqueue(uid, this.#jitter(this.o.resyncIntervalMs ?? WORKER_RESYNC_INTERVAL_MS));
  }

  // Upstream: k8s.io/apimachinery wait.Jitter
  #jitter(ms: number): number {
    return ms + Math.floor(this.o.rng.float() * WORKER_JITTER_FACTOR * ms);
  }

  #transition(uid: string, status: PodSyncStatus, from: string, to: string): void {
    this.o.onTransition?.(uid, status.fullname, from, to);
  }

  // Upstream: pod_workers.go (IsPodTerminationRequested)
  isPodTerminationRequested(uid: string): boolean {
    return this.#status.get(uid)?.terminatingAtMs !== undefined;
  }

  // Upstream: pod_workers.go (IsPodKnownTerminated)
  isPodKnownTerminated(uid: string): boolean {
    return this.#status.get(uid)?.terminatedAtMs !== undefined;
  }

  // Upstream: pod_workers.go (CouldHaveRunningContainers)
  couldHaveRunningContainers(uid: string): boolean {
    const s = this.#status.get(uid);
    return s ? s.terminatedAtMs === undefined : false;
  }

  /** Whether the worker for `uid` is done with everything. */
  isFinished(uid: string): boolean {
    return this.#status.get(uid)?.finished ?? false;
  }

  /**
   * Housekeeping: forgets finished workers of pods no longer desired; a known pod missing from
   * `desired` is terminated (it was removed while the kubelet was not looking).
   */
  // Upstream: pod_workers.go (SyncKnownPods)
  syncKnownPods(desired: Set<string>): Map<string, PodWorkType | 'Finished'> {
    const out = new Map<string, PodWorkType | 'Finished'>();
    for (const [uid, s] of [...this.#status]) {
      if (!desired.has(uid) && s.finished) {
        this.#status.delete(uid);
        continue;
      }
      if (!desired.has(uid) && s.terminatingAtMs === undefined && s.pod) this.updatePod({ updateType: 'SyncPodKill', pod: s.pod });
      out.set(uid, this.stageOf(uid)!);
    }
    return out;
  }
}
