/**
 * defaultStatefulSetControl: one sync of one StatefulSet. It finds the current and update
 * revisions, then walks the replicas in ordinal order (OrderedReady: create one pod, wait until
 * it is Running and Ready, then the next; stop at the first unhealthy one) or all at once
 * (Parallel), deletes pods out of the ordinal range from the highest down, then rolls the update
 * from the highest ordinal down to the partition, one pod at a time, and writes the status.
 * Upstream: pkg/controller/statefulset/stateful_set_control.go, stateful_set_status_updater.go
 * (kubernetes v1.34; the MaxUnavailableStatefulSet path is off by default and not modelled)
 */
import { isNotFound } from '../../apimachinery/errors';
import { labelSelectorAsSelector } from '../../apimachinery/labels';
import { DefaultRetry, retryOnConflict, type Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import { deepCopy, type KubeObject } from '../../core/object';
import { equalRevision, findEqualRevisions, sortControllerRevisions, type ControllerRevision, type History } from '../history';
import type { StatefulSetEventMap } from './events';
import { aggregate, type StatefulPodControl } from './pod_control';
import { controllerKind, type Pod, type StatefulSet, type StatefulSetStatus } from './types';
import {
  allowsBurst,
  applyRevision,
  completeRollingUpdate,
  descendingOrdinal,
  getEndOrdinal,
  getOrdinal,
  getPodRevision,
  getStartOrdinal,
  identityMatches,
  inconsistentStatus,
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
  newRevision,
  newVersionedStatefulSetPod,
  nextRevision,
  podInOrdinalRange,
  storageMatches,
} from './utils';

/** Parallel management creates at most this many pods at once. */
export const MaxBatchSize = 500;

type Emit = <K extends keyof StatefulSetEventMap & string>(type: K, fields: StatefulSetEventMap[K]) => void;

/** Writes a set's status, retrying on conflicts with the cached set (Go: `StatefulSetStatusUpdaterInterface`). */
// Upstream: stateful_set_status_updater.go (realStatefulSetStatusUpdater.UpdateStatefulSetStatus)
export async function updateStatefulSetStatus(client: Clientset, clock: FakeClock, getSet: (ns: string, name: string) => StatefulSet | undefined, set: StatefulSet, status: StatefulSetStatus): Promise<void> {
  await retryOnConflict(DefaultRetry, clock, async () => {
    set.status = { ...status };
    try {
      await client.appsV1().statefulSets(set.metadata.namespace ?? '').updateStatus(set as unknown as KubeObject);
    } catch (e) {
      const fresh = getSet(set.metadata.namespace ?? '', set.metadata.name ?? '');
      if (fresh) set = deepCopy(fresh);
      throw e;
    }
  });
}

/** Runs `fn` over `count` indexes in batches of 1, 2, 4, ... (at most MaxBatchSize); every error of a failed batch is kept. */
// Upstream: stateful_set_control.go (slowStartBatch)
async function slowStartBatch(initialBatchSize: number, remaining: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let j = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(Math.min(2 * batch, remaining), MaxBatchSize)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(j++)));
    const errs = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    if (errs.length) throw aggregate(errs);
    remaining -= batch;
  }
}

/** In order, stopping at the first that says stop (monotonic), or all in slow-start batches. */
// Upstream: stateful_set_control.go (runForAll)
async function runForAll(n: number, fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < n; i++) if (await fn(i)) return true;
    return false;
  }
  await slowStartBatch(1, n, fn);
  return false;
}

export interface ControlDeps {
  client: Clientset;
  clock: FakeClock;
  podControl: StatefulPodControl;
  history: History;
  getSet(ns: string, name: string): StatefulSet | undefined;
  emit: Emit;
}

// Upstream: stateful_set_control.go (defaultStatefulSetControl)
export class DefaultStatefulSetControl {
  constructor(readonly d: ControlDeps) {}

  #now(): number {
    return this.d.clock.now();
  }

  /**
   * Syncs the set with its pods: revisions, pods, status; then truncates the history. Returns
   * the status written (or computed); an error means the sync must be retried.
   */
  // Upstream: stateful_set_control.go (defaultStatefulSetControl.UpdateStatefulSet)
  async updateStatefulSet(set: StatefulSet, pods: Pod[]): Promise<StatefulSetStatus> {
    set = deepCopy(set);
    const revisions = sortControllerRevisions(this.listRevisions(set));
    let current: ControllerRevision | undefined;
    let update: ControllerRevision | undefined;
    let status: StatefulSetStatus | undefined;
    let err: Error | undefined;
    try {
      status = await this.#performUpdate(set, pods, revisions, (c, u) => {
        current = c;
        update = u;
      });
    } catch (e) {
      err = e as Error;
    }
    let truncErr: Error | undefined;
    try {
      await this.#truncateHistory(set, pods, revisions, current, update);
    } catch (e) {
      truncErr = e as Error;
    }
    if (err) throw aggregate([err, ...(truncErr ? [truncErr] : [])]);
    if (truncErr) throw truncErr;
    return status!;
  }

  // Upstream: stateful_set_control.go (performUpdate)
  async #performUpdate(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], found: (c: ControllerRevision, u: ControllerRevision) => void): Promise<StatefulSetStatus> {
    const { current, update, collisionCount } = await this.#getStatefulSetRevisions(set, revisions);
    found(current, update);
    let status: StatefulSetStatus | undefined;
    let err: Error | undefined;
    try {
      status = await this.#updateStatefulSet(set, current, update, collisionCount, pods);
    } catch (e) {
      err = e as Error;
      status = (e as { status?: StatefulSetStatus }).status;
      if (!status) throw e;
    }
    // The status is written even when the sync failed part way.
    await this.#updateStatefulSetStatus(set, status);
    if (err) throw err;
    return status;
  }

  /** The revisions the set's selector matches that it owns or nobody controls. */
  // Upstream: stateful_set_control.go (ListRevisions)
  listRevisions(set: StatefulSet): ControllerRevision[] {
    return this.d.history.listControllerRevisions(set as unknown as KubeObject, labelSelectorAsSelector(set.spec.selector));
  }

  // Upstream: stateful_set_control.go (AdoptOrphanRevisions)
  async adoptOrphanRevisions(set: StatefulSet, revisions: ControllerRevision[]): Promise<void> {
    for (const r of revisions) await this.d.history.adoptControllerRevision(set as unknown as KubeObject, controllerKind, r);
  }

  /**
   * Deletes the oldest revisions that no pod, nor the current or update revision, uses, until
   * revisionHistoryLimit are left.
   */
  // Upstream: stateful_set_control.go (truncateHistory)
  async #truncateHistory(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], current?: ControllerRevision, update?: ControllerRevision): Promise<void> {
    const live = new Set<string>();
    if (current) live.add(current.metadata.name ?? '');
    if (update) live.add(update.metadata.name ?? '');
    for (const p of pods) live.add(getPodRevision(p));
    const history = revisions.filter((r) => !live.has(r.metadata.name ?? ''));
    const limit = set.spec.revisionHistoryLimit ?? 10;
    if (limit < 0 || history.length <= limit) return;
    for (const r of history.slice(0, history.length - limit)) {
      await this.d.history.deleteControllerRevision(r);
      this.d.emit('statefulset.revision', { set: set.metadata.name ?? '', name: r.metadata.name ?? '', revision: r.revision, op: 'delete' });
    }
  }

  /**
   * The current revision (status.currentRevision, or the update one on first sync) and the
   * update revision: the latest if its data equals the set's template, an earlier equal one
   * renumbered to the next number (a rollback), or a new one.
   */
  // Upstream: stateful_set_control.go (getStatefulSetRevisions)
  async #getStatefulSetRevisions(set: StatefulSet, revisions: ControllerRevision[]): Promise<{ current: ControllerRevision; update: ControllerRevision; collisionCount: number }> {
    const name = set.metadata.name ?? '';
    const count = revisions.length;
    const collisionCount = { value: set.status?.collisionCount ?? 0 };
    let update = newRevision(set, nextRevision(revisions), collisionCount.value);
    const equal = findEqualRevisions(revisions, update);
    if (equal.length > 0 && equalRevision(revisions[count - 1], equal[equal.length - 1])) {
      update = revisions[count - 1];
    } else if (equal.length > 0) {
      update = await this.d.history.updateControllerRevision(equal[equal.length - 1], update.revision);
      this.d.emit('statefulset.revision', { set: name, name: update.metadata.name ?? '', revision: update.revision, op: 'renumber' });
    } else {
      update = await this.d.history.createControllerRevision(set as unknown as KubeObject, update, collisionCount);
      this.d.emit('statefulset.revision', { set: name, name: update.metadata.name ?? '', revision: update.revision, op: 'create' });
    }
    const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount: collisionCount.value };
  }

  /** Counts replicas, ready, available, current and updated among the pods. */
  // Upstream: stateful_set_control.go (computeReplicaStatus, updateStatus)
  #updateStatus(status: StatefulSetStatus, minReadySeconds: number, current: ControllerRevision, update: ControllerRevision, ...lists: Pod[][]): void {
    Object.assign(status, { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 });
    for (const pod of lists.flat()) {
      if (isCreated(pod)) status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas!++;
        if (isRunningAndAvailable(pod, minReadySeconds, this.#now())) status.availableReplicas!++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const rev = getPodRevision(pod);
        if (rev === current.metadata.name) status.currentReplicas!++;
        if (rev === update.metadata.name) status.updatedReplicas!++;
      }
    }
  }

  /** One replica: recreate if failed, create if missing, wait if not ready (monotonic), else fix identity and storage. Returns whether to stop. */
  // Upstream: stateful_set_control.go (processReplica)
  async #processReplica(set: StatefulSet, updateSet: StatefulSet, monotonic: boolean, replicas: Pod[], i: number): Promise<boolean> {
    const pod = replicas[i];
    const setName = set.metadata.name ?? '';
    const podName = pod.metadata.name ?? '';
    const minReady = set.spec.minReadySeconds ?? 0;
    // A Failed or Succeeded pod is deleted; the next sync creates it again once it is gone.
    // (v1.31 dropped the RecreatingFailedPod / RecreatingTerminatedPod events.)
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!pod.metadata.deletionTimestamp) {
        await this.d.podControl.deleteStatefulPod(set, pod);
        this.d.emit('statefulset.deletePod', { set: setName, pod: podName, ordinal: getOrdinal(pod), reason: 'failed' });
      }
      return true;
    }
    if (!isCreated(pod)) {
      if (this.d.podControl.podClaimIsStale(set, pod)) return true;
      await this.d.podControl.createStatefulPod(set, pod);
      this.d.emit('statefulset.createPod', { set: setName, pod: podName, ordinal: getOrdinal(pod), revision: getPodRevision(pod) });
      if (monotonic) {
        this.d.emit('statefulset.wait', { set: setName, pod: podName, reason: 'created' });
        return true;
      }
    }
    if (isPending(pod)) await this.d.podControl.createMissingPersistentVolumeClaims(set, pod);
    if (monotonic) {
      const reason = isTerminating(pod) ? 'terminating' : !isRunningAndReady(pod) ? 'notReady' : !isRunningAndAvailable(pod, minReady, this.#now()) ? 'notAvailable' : undefined;
      if (reason) {
        this.d.emit('statefulset.wait', { set: setName, pod: podName, reason });
        return true;
      }
    }
    let retentionMatch: boolean;
    try {
      retentionMatch = await this.d.podControl.claimsMatchRetentionPolicy(updateSet, pod);
    } catch {
      retentionMatch = true;
    }
    if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
    await this.d.podControl.updateStatefulPod(updateSet, deepCopy(pod));
    return false;
  }

  /** One pod out of range: wait while it terminates (monotonic); in monotonic mode delete only when healthy or the first unhealthy one. */
  // Upstream: stateful_set_control.go (processCondemned)
  async #processCondemned(set: StatefulSet, firstUnhealthy: Pod | undefined, monotonic: boolean, condemned: Pod[], i: number): Promise<boolean> {
    const pod = condemned[i];
    if (isTerminating(pod)) return monotonic;
    const minReady = set.spec.minReadySeconds ?? 0;
    if (!isRunningAndReady(pod) && monotonic && pod !== firstUnhealthy) return true;
    if (!isRunningAndAvailable(pod, minReady, this.#now()) && monotonic && pod !== firstUnhealthy) return true;
    await this.d.podControl.deleteStatefulPod(set, pod);
    this.d.emit('statefulset.deletePod', { set: set.metadata.name ?? '', pod: pod.metadata.name ?? '', ordinal: getOrdinal(pod), reason: 'scaleDown' });
    return true;
  }

  /**
   * Brings the pods towards the spec and returns the status to write. On an error the status so
   * far rides on the error (`err.status`), as Go returns both.
   */
  // Upstream: stateful_set_control.go (updateStatefulSet)
  async #updateStatefulSet(set: StatefulSet, current: ControllerRevision, update: ControllerRevision, collisionCount: number, pods: Pod[]): Promise<StatefulSetStatus> {
    const currentSet = applyRevision(set, current);
    const updateSet = applyRevision(set, update);
    const minReady = set.spec.minReadySeconds ?? 0;
    const status: StatefulSetStatus = { observedGeneration: set.metadata.generation, currentRevision: current.metadata.name, updateRevision: update.metadata.name, collisionCount, replicas: 0 };
    this.#updateStatus(status, minReady, current, update, pods);

    const start = getStartOrdinal(set);
    const end = getEndOrdinal(set);
    const replicas: Pod[] = new Array(Math.max(0, end - start + 1));
    const condemned: Pod[] = [];
    for (const pod of pods) {
      if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
      else if (getOrdinal(pod) >= 0) condemned.push(pod);
    }
    for (let ord = start; ord <= end; ord++) {
      if (!replicas[ord - start]) replicas[ord - start] = newVersionedStatefulSetPod(currentSet, updateSet, current.metadata.name ?? '', update.metadata.name ?? '', ord);
    }
    condemned.sort(descendingOrdinal);
    let firstUnavailable: Pod | undefined;
    for (const p of replicas) if (!firstUnavailable && isUnavailable(p, minReady, this.#now())) firstUnavailable = p;
    for (let i = condemned.length - 1; i >= 0; i--) if (!firstUnavailable && isUnavailable(condemned[i], minReady, this.#now())) firstUnavailable = condemned[i];

    if (set.metadata.deletionTimestamp) return status;
    const monotonic = !allowsBurst(set);
    const finish = () => this.#updateStatus(status, minReady, current, update, replicas, condemned);
    const step = async (run: () => Promise<boolean>): Promise<boolean> => {
      try {
        if (!(await run())) return false;
      } catch (e) {
        finish();
        throw Object.assign(e as Error, { status });
      }
      finish();
      return true;
    };

    if (await step(() => runForAll(replicas.length, (i) => this.#processReplica(set, updateSet, monotonic, replicas, i), monotonic))) return status;
    // Claims of condemned pods get the references the policy wants before the pods go.
    const fixPodClaim = async (i: number) => {
      if (!(await this.d.podControl.claimsMatchRetentionPolicy(updateSet, condemned[i]))) await this.d.podControl.updatePodClaimForRetentionPolicy(updateSet, condemned[i]);
      return false;
    };
    if (await step(() => runForAll(condemned.length, fixPodClaim, monotonic))) return status;
    if (await step(() => runForAll(condemned.length, (i) => this.#processCondemned(set, firstUnavailable, monotonic, condemned, i), monotonic))) return status;
    finish();

    if (set.spec.updateStrategy?.type === 'OnDelete') return status;
    const updateMin = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let target = replicas.length - 1; target >= updateMin; target--) {
      const pod = replicas[target];
      if (getPodRevision(pod) !== update.metadata.name && !isTerminating(pod)) {
        try {
          await this.d.podControl.deleteStatefulPod(set, pod);
          this.d.emit('statefulset.deletePod', { set: set.metadata.name ?? '', pod: pod.metadata.name ?? '', ordinal: getOrdinal(pod), reason: 'update' });
        } catch (e) {
          if (!isNotFound(e)) throw Object.assign(e as Error, { status });
        }
        status.currentReplicas = (status.currentReplicas ?? 0) - 1;
        return status;
      }
      if (isUnavailable(pod, minReady, this.#now())) return status;
    }
    return status;
  }

  /** Completes a finished rolling update, then writes the status if it changed. */
  // Upstream: stateful_set_control.go (updateStatefulSetStatus)
  async #updateStatefulSetStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    completeRollingUpdate(set, status);
    if (!inconsistentStatus(set, status)) return;
    await updateStatefulSetStatus(this.d.client, this.d.clock, this.d.getSet, deepCopy(set), status);
  }
}
