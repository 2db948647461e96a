/**
 * The ReplicaSet controller: pkg/controller/replicaset/replica_set.go (kubernetes v1.34:
 * `NewReplicaSetController`, `Run`, the informer handlers, `processNextWorkItem`,
 * `syncReplicaSet`, `manageReplicas`, `claimPods`, `getIndirectlyRelatedPods`). Informers on
 * ReplicaSets and Pods feed a rate-limited queue of RS keys; workers sync one RS at a time: claim
 * the pods, create or delete the difference (if the expectations of the last sync were met), and
 * write the status.
 */
import type { Pod } from '../../api/core/v1';
import { hasStatusCause, isNotFound } from '../../apimachinery/errors';
import { labelSelectorAsSelector, type Selector } from '../../apimachinery/labels';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { NamespaceIndex } from '../../cache/index_funcs';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../cache/keys';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import { newEventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import { deepCopy, type KubeObject, type OwnerReference } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { defaultControllerRateLimiter } from '../../workqueue/default_rate_limiters';
import { newRateLimitingQueue } from '../../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../../workqueue/types';
import { filterActivePods, getPodsToDelete } from '../util/active_pods';
import { getControllerOf, PodControllerRefManager, recheckDeletionTimestamp, type GroupVersionKind } from '../util/controller_ref_manager';
import { ControllerExpectations, UIDTrackingControllerExpectations } from '../util/expectations';
import { isPodReady } from '../util/pod';
import { slowStartBatch, SlowStartInitialBatchSize } from '../util/slow_start';
import { replicaSetEvents, type ReplicaSetEventMap } from './events';
import { NamespaceTerminatingCause, newControllerRef, RealPodControl, type PodControlInterface } from './pod_control';
import { calculateStatus, updateReplicaSetStatus } from './replica_set_utils';
import { specReplicas, type ReplicaSet } from './types';

/** A ReplicaSet creates or deletes at most this many pods per sync (kube-controller-manager's value). */
// Upstream: replica_set.go (BurstReplicas)
export const BurstReplicas = 500;
/** The RS informer's index of ReplicaSets by their controller's UID. Upstream: replica_set.go (controllerUIDIndex) */
export const controllerUIDIndex = 'controllerUID';
/** `--concurrent-replicaset-syncs` default. */
export const DefaultConcurrentRSSyncs = 5;

export const replicaSetKind: GroupVersionKind = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };

export interface ReplicaSetControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  /** Creates / deletes per sync at most (default 500). */
  burstReplicas?: number;
  /** Workers syncing ReplicaSets at once (default 5). */
  workers?: number;
  /** Replaces RealPodControl (tests wrap it to fail or to count, as upstream's FakePodControl). */
  podControl?: PodControlInterface;
}

/** Builds the controller; `run()` starts it. */
// Upstream: replica_set.go (NewReplicaSetController, NewBaseController)
export function newReplicaSetController(o: ReplicaSetControllerOptions): ReplicaSetController {
  return new ReplicaSetController(o);
}

const finalState = <T>(obj: unknown): T => (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as T;
/** Upstream: controller_utils.go (PodKey) */
const podKey = (pod: Pod) => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
const sameRef = (a: OwnerReference | undefined, b: OwnerReference | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sameLabels = (a: Pod, b: Pod) => {
  const la = a.metadata.labels ?? {};
  const lb = b.metadata.labels ?? {};
  return Object.keys(la).length === Object.keys(lb).length && Object.entries(la).every(([k, v]) => lb[k] === v);
};

// Upstream: replica_set.go (ReplicaSetController)
export class ReplicaSetController {
  readonly burstReplicas: number;
  readonly workers: number;
  readonly queue: RateLimitingQueue<string>;
  /** Pod creates/deletes each RS waits to see (Go: a TTL cache of 5 minutes). */
  readonly expectations: UIDTrackingControllerExpectations;
  readonly podControl: PodControlInterface;
  /** What Go hands to utilruntime.HandleError (logged, not returned): kept for tests and the terminal. */
  readonly handledErrors: string[] = [];
  /** The function a worker calls per key; tests may replace it (Go: `syncHandler`). */
  syncHandler: (key: string) => Promise<void>;
  readonly #o: ReplicaSetControllerOptions;
  readonly #events: EventEmitter<ReplicaSetEventMap, Record<string, never>>;
  #factory?: SharedInformerFactory;
  #stopped = false;
  #loops: Promise<void>[] = [];

  constructor(o: ReplicaSetControllerOptions) {
    this.#o = o;
    this.burstReplicas = o.burstReplicas ?? BurstReplicas;
    this.workers = o.workers ?? DefaultConcurrentRSSyncs;
    const env = resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace });
    this.#events = new EventEmitter(replicaSetEvents, env, {});
    this.expectations = new UIDTrackingControllerExpectations(new ControllerExpectations(o.clock));
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'replicaset', trace: o.trace });
    this.podControl = o.podControl ?? new RealPodControl(o.client, newEventRecorder(o.client, o.clock, { component: 'replicaset-controller' }));
    this.syncHandler = (key) => this.syncReplicaSet(key);
    this.#informers();
  }

  /** Builds the informers and registers the handlers (Go does it in NewBaseController). */
  #informers(): void {
    const o = this.#o;
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    const rsInformer = f.forResource('replicasets').informer();
    rsInformer.addEventHandler({
      onAdd: (obj) => this.addRS(obj),
      onUpdate: (old, cur) => this.updateRS(old, cur),
      onDelete: (obj) => this.deleteRS(obj),
    });
    rsInformer.addIndexers({
      [controllerUIDIndex]: (obj) => {
        const ref = getControllerOf(obj as KubeObject);
        return ref ? [ref.uid] : [];
      },
    });
    f.forResource('pods').informer().addEventHandler({
      onAdd: (obj) => this.addPod(obj),
      // Every pod change wakes its RS (host assignment, status): the sync only reads the caches.
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(obj),
    });
  }

  /** The RS informer's cache (Go: `rsIndexer`); tests may add to it as upstream's do. */
  rsIndexer() {
    return this.#factory!.forResource('replicasets').informer().getIndexer();
  }
  /** The pod informer's cache. */
  podIndexer() {
    return this.#factory!.forResource('pods').informer().getIndexer();
  }

  /** The ReplicaSet in the informer's cache. */
  getReplicaSet(key: string): ReplicaSet | undefined {
    return this.rsIndexer().getByKey(key) as unknown as ReplicaSet | undefined;
  }

  #podsIn(namespace: string): Pod[] {
    return this.podIndexer().byIndex(NamespaceIndex, namespace) as unknown as Pod[];
  }

  /** Starts the informers, waits for their caches, then the workers. Returns once the workers run. */
  // Upstream: replica_set.go (ReplicaSetController.Run)
  async run(): Promise<void> {
    const f = this.#factory!;
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    for (let i = 0; i < this.workers; i++) this.#loops.push(this.#worker());
  }

  stop(): void {
    this.#stopped = true;
    this.queue.shutDown();
    this.#factory?.shutdown().catch(() => {});
  }

  // Upstream: replica_set.go (ReplicaSetController.worker, processNextWorkItem)
  async #worker(): Promise<void> {
    for (;;) {
      const { item: key, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        await this.syncHandler(key);
        this.queue.forget(key);
      } catch (e) {
        // No retry limit: a ReplicaSet is retried with backoff (5 ms doubling to 1,000 s) until it syncs.
        this.handledErrors.push(`sync ${JSON.stringify(key)} failed with ${(e as Error).message}`);
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  #enqueueRS(rs: ReplicaSet): void {
    this.queue.add(metaNamespaceKeyFunc(rs));
  }

  // Upstream: replica_set.go (ReplicaSetController.addRS)
  addRS(obj: unknown): void {
    this.#enqueueRS(obj as ReplicaSet);
  }

  /** Any update syncs the RS: a resync then retries an RS whose creates failed, instead of stalling it. */
  // Upstream: replica_set.go (ReplicaSetController.updateRS)
  updateRS(old: unknown, cur: unknown): void {
    const oldRS = old as ReplicaSet;
    const curRS = cur as ReplicaSet;
    // Deleted and recreated under the same name between two events: handle the delete first.
    if (curRS.metadata.uid !== oldRS.metadata.uid) this.deleteRS(new DeletedFinalStateUnknown(metaNamespaceKeyFunc(oldRS), oldRS));
    this.#enqueueRS(curRS);
  }

  /** Drops the RS's expectations, so a new RS of the same name starts clean. */
  // Upstream: replica_set.go (ReplicaSetController.deleteRS)
  deleteRS(obj: unknown): void {
    const rs = finalState<ReplicaSet | undefined>(obj);
    if (!rs?.metadata) {
      this.handledErrors.push(`couldn't get object from tombstone ${JSON.stringify(obj)}`);
      return;
    }
    const key = metaNamespaceKeyFunc(rs);
    this.expectations.deleteExpectations(key);
    this.queue.add(key);
  }

  /** The RS a controllerRef names, if it is in the cache with that UID. */
  // Upstream: replica_set.go (ReplicaSetController.resolveControllerRef)
  resolveControllerRef(namespace: string, ref: OwnerReference): ReplicaSet | undefined {
    if (ref.kind !== replicaSetKind.kind) return undefined;
    const rs = this.getReplicaSet(namespace ? `${namespace}/${ref.name}` : ref.name);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** The ReplicaSets whose selector matches the pod; more than one is a user error (logged). */
  // Upstream: replica_set.go (getPodReplicaSets), listers/apps/v1 replicaset_expansion.go (GetPodReplicaSets)
  getPodReplicaSets(pod: Pod): ReplicaSet[] {
    const labels = pod.metadata.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    const rss: ReplicaSet[] = [];
    for (const rs of this.rsIndexer().byIndex(NamespaceIndex, pod.metadata.namespace ?? '') as unknown as ReplicaSet[]) {
      let selector: Selector;
      try {
        selector = labelSelectorAsSelector(rs.spec.selector);
      } catch {
        continue; // an invalid selector matches no pod
      }
      // A nil or empty selector matches nothing here, not everything.
      if (selector.empty() || !selector.matches(labels)) continue;
      rss.push(rs);
    }
    if (rss.length > 1) {
      const set = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}:${v}`).join(' ');
      this.handledErrors.push(`user error! more than one ReplicaSet is selecting pods with labels: map[${set}]`);
    }
    return rss;
  }

  #observeCreation(key: string): void {
    const was = this.expectations.getExpectations(key)?.fulfilled();
    this.expectations.creationObserved(key);
    if (was === false && this.expectations.getExpectations(key)?.fulfilled()) this.#events.emit('replicaset.satisfied', { key, by: 'create' });
  }

  #observeDeletion(key: string, podKeyValue: string): void {
    const was = this.expectations.getExpectations(key)?.fulfilled();
    this.expectations.deletionObserved(key, podKeyValue);
    if (was === false && this.expectations.getExpectations(key)?.fulfilled()) this.#events.emit('replicaset.satisfied', { key, by: 'delete' });
  }

  /** A new pod: its controller observes a creation; an orphan wakes every RS that might adopt it. */
  // Upstream: replica_set.go (ReplicaSetController.addPod)
  addPod(obj: unknown): void {
    const pod = obj as Pod;
    // After a controller-manager restart a pod may first appear already being deleted: not a creation.
    if (pod.metadata.deletionTimestamp) {
      this.deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod as unknown as KubeObject);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
      if (!rs) return;
      const key = metaNamespaceKeyFunc(rs);
      this.#observeCreation(key);
      this.queue.add(key);
      return;
    }
    // An orphan: no controller waits for it, so no creation is observed.
    for (const rs of this.getPodReplicaSets(pod)) this.#enqueueRS(rs);
  }

  /**
   * A changed pod wakes its controller (and its old one if the controllerRef changed). A graceful
   * delete (deletionTimestamp set) counts as the deletion at once, so replacements start now,
   * not when the kubelet finally removes the pod.
   */
  // Upstream: replica_set.go (ReplicaSetController.updatePod)
  updatePod(old: unknown, cur: unknown): void {
    const oldPod = old as Pod;
    const curPod = cur as Pod;
    // A periodic resync: same resourceVersion, nothing changed.
    if (curPod.metadata.resourceVersion === oldPod.metadata.resourceVersion) return;
    const labelChanged = !sameLabels(curPod, oldPod);
    if (curPod.metadata.deletionTimestamp) {
      this.deletePod(curPod);
      // The old labels may point at another RS; deletionTimestamp is never unset, so no check on oldPod's.
      if (labelChanged) this.deletePod(oldPod);
      return;
    }
    const curRef = getControllerOf(curPod as unknown as KubeObject);
    const oldRef = getControllerOf(oldPod as unknown as KubeObject);
    const refChanged = !sameRef(curRef, oldRef);
    if (refChanged && oldRef) {
      const rs = this.resolveControllerRef(oldPod.metadata.namespace ?? '', oldRef);
      if (rs) this.#enqueueRS(rs);
    }
    if (curRef) {
      const rs = this.resolveControllerRef(curPod.metadata.namespace ?? '', curRef);
      if (!rs) return;
      this.#enqueueRS(rs);
      // Nothing wakes the RS when a ready pod becomes available; look again after minReadySeconds
      // (plus a second against clock skew).
      const minReadySeconds = rs.spec.minReadySeconds ?? 0;
      if (!isPodReady(oldPod) && isPodReady(curPod) && minReadySeconds > 0) this.queue.addAfter(metaNamespaceKeyFunc(rs), minReadySeconds * 1000 + 1000);
      return;
    }
    if (labelChanged || refChanged) for (const rs of this.getPodReplicaSets(curPod)) this.#enqueueRS(rs);
  }

  /** A deleted pod (or tombstone, whose labels may be stale) lowers its controller's expectations once. */
  // Upstream: replica_set.go (ReplicaSetController.deletePod)
  deletePod(obj: unknown): void {
    const pod = finalState<Pod | undefined>(obj);
    if (!pod?.metadata) {
      this.handledErrors.push(`couldn't get object from tombstone ${JSON.stringify(obj)}`);
      return;
    }
    const ref = getControllerOf(pod as unknown as KubeObject);
    if (!ref) return; // nobody cares about an orphan's deletion
    const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
    if (!rs) return;
    const key = metaNamespaceKeyFunc(rs);
    this.#observeDeletion(key, podKey(pod));
    this.queue.add(key);
  }

  /**
   * Syncs one ReplicaSet: claims its pods, creates or deletes the difference if its expectations
   * are met and it is not being deleted, and writes the status. Throws to be retried.
   */
  // Upstream: replica_set.go (ReplicaSetController.syncReplicaSet)
  async syncReplicaSet(key: string): Promise<void> {
    this.#events.emit('replicaset.syncStart', { key });
    const end = { key, pods: 0, replicas: 0, diff: 0, needsSync: true, error: '' };
    try {
      const { namespace } = splitMetaNamespaceKey(key);
      const cached = this.getReplicaSet(key);
      if (!cached) {
        this.expectations.deleteExpectations(key);
        return;
      }
      let rs = cached;
      const rsNeedsSync = this.expectations.satisfiedExpectations(key);
      end.needsSync = rsNeedsSync;
      let selector: Selector;
      try {
        selector = labelSelectorAsSelector(rs.spec.selector);
      } catch (e) {
        // Not retried: the selector will not get better by itself.
        this.handledErrors.push(`error converting pod selector to selector for rs ${key}: ${(e as Error).message}`);
        return;
      }
      // Every active pod of the namespace: pods that no longer match but still name this RS must be released.
      let filteredPods = filterActivePods(this.#podsIn(namespace));
      filteredPods = await this.claimPods(rs, selector, filteredPods);
      end.pods = filteredPods.length;
      end.replicas = specReplicas(rs);
      end.diff = filteredPods.length - specReplicas(rs);
      let manageReplicasErr: Error | undefined;
      if (rsNeedsSync && !rs.metadata.deletionTimestamp) {
        try {
          await this.manageReplicas(filteredPods, rs);
        } catch (e) {
          manageReplicasErr = e as Error;
        }
      }
      rs = deepCopy(rs);
      const newStatus = calculateStatus(rs, filteredPods, manageReplicasErr, this.#o.clock.now());
      // Always written as pods come and go; a failure is returned and retried with backoff.
      const { rs: updated, written } = await updateReplicaSetStatus(this.#o.client.appsV1().replicaSets(rs.metadata.namespace ?? ''), rs, newStatus);
      if (written) {
        const s = updated.status ?? {};
        this.#events.emit('replicaset.status', { key, replicas: s.replicas ?? 0, ready: s.readyReplicas ?? 0, available: s.availableReplicas ?? 0, observedGeneration: s.observedGeneration ?? 0 });
      }
      // A last line of defence: all ready but not all available yet, so look again after minReadySeconds.
      const minReadySeconds = updated.spec.minReadySeconds ?? 0;
      const want = specReplicas(updated);
      if (!manageReplicasErr && minReadySeconds > 0 && (updated.status?.readyReplicas ?? 0) === want && (updated.status?.availableReplicas ?? 0) !== want) {
        this.queue.addAfter(key, minReadySeconds * 1000);
      }
      if (manageReplicasErr) throw manageReplicasErr;
    } catch (e) {
      end.error = (e as Error).message;
      throw e;
    } finally {
      this.#events.emit('replicaset.syncEnd', end);
    }
  }

  /**
   * Adopts matching orphans and releases owned pods that no longer match; the first adoption
   * rereads the RS from the API server (not the cache) to be sure it is not being deleted.
   */
  // Upstream: replica_set.go (ReplicaSetController.claimPods)
  async claimPods(rs: ReplicaSet, selector: Selector, filteredPods: Pod[]): Promise<Pod[]> {
    const ns = rs.metadata.namespace ?? '';
    const canAdopt = recheckDeletionTimestamp(async () => {
      const fresh = (await this.#o.client.appsV1().replicaSets(ns).get(rs.metadata.name ?? '')) as unknown as ReplicaSet;
      if (fresh.metadata.uid !== rs.metadata.uid) throw new Error(`original ReplicaSet ${ns}/${rs.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${rs.metadata.uid}`);
      return fresh as unknown as KubeObject;
    });
    const cm = new PodControllerRefManager(this.podControl, rs as unknown as KubeObject, selector, replicaSetKind, canAdopt);
    const { claimed, err } = await cm.claimPods(filteredPods as unknown as KubeObject[]);
    if (err) throw err;
    return claimed as unknown as Pod[];
  }

  /**
   * Creates or deletes pods to close the gap to spec.replicas, at most burstReplicas at a time.
   * Expectations are raised before the first call, since the informer may report the pods before
   * the calls return. Creates go in slow-start batches (1, 2, 4, ...); creates never attempted are
   * no longer expected. Deletes go all at once, the lowest ranked pods first.
   */
  // Upstream: replica_set.go (ReplicaSetController.manageReplicas)
  async manageReplicas(filteredPods: readonly Pod[], rs: ReplicaSet): Promise<void> {
    const key = metaNamespaceKeyFunc(rs);
    const ns = rs.metadata.namespace ?? '';
    let diff = filteredPods.length - specReplicas(rs);
    if (diff < 0) {
      diff = Math.min(-diff, this.burstReplicas);
      this.expectations.expectCreations(key, diff);
      this.#events.emit('replicaset.expect', { key, add: diff, del: 0 });
      const controllerRef = newControllerRef(rs as unknown as KubeObject, replicaSetKind);
      let batchStart = 0;
      let batchSize = Math.min(diff, SlowStartInitialBatchSize);
      const { successes, error } = await slowStartBatch(diff, SlowStartInitialBatchSize, async (index) => {
        if (index === batchStart) {
          this.#events.emit('replicaset.batch', { key, size: batchSize });
          batchStart += batchSize;
          batchSize = Math.min(2 * batchSize, diff - batchStart);
        }
        try {
          const pod = await this.podControl.createPods(ns, rs.spec.template, rs as unknown as KubeObject, controllerRef);
          this.#events.emit('replicaset.podCreate', { key, pod: pod.metadata.name ?? '', error: '' });
        } catch (e) {
          this.#events.emit('replicaset.podCreate', { key, pod: '', error: (e as Error).message });
          // The namespace is going away: every create would fail; not an error to retry.
          if (hasStatusCause(e, NamespaceTerminatingCause)) return;
          throw e;
        }
      });
      // Creates never attempted will not be observed: stop expecting them; the next sync retries.
      for (let i = 0; i < diff - successes; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, this.burstReplicas);
      const relatedPods = this.getIndirectlyRelatedPods(rs);
      const podsToDelete = getPodsToDelete(filteredPods, relatedPods, diff, this.#o.clock.now());
      // Expect these exact pods, so a graceful delete seen as an update and then as a delete counts once.
      this.expectations.expectDeletions(key, podsToDelete.map(podKey));
      this.#events.emit('replicaset.expect', { key, add: 0, del: podsToDelete.length });
      const errs = await Promise.all(
        podsToDelete.map(async (pod): Promise<Error | undefined> => {
          try {
            await this.podControl.deletePod(ns, pod.metadata.name ?? '', rs as unknown as KubeObject);
            this.#events.emit('replicaset.podDelete', { key, pod: pod.metadata.name ?? '', error: '' });
            return undefined;
          } catch (e) {
            this.#events.emit('replicaset.podDelete', { key, pod: pod.metadata.name ?? '', error: (e as Error).message });
            // The informer will not observe this deletion.
            this.expectations.deletionObserved(key, podKey(pod));
            return isNotFound(e) ? undefined : (e as Error);
          }
        }),
      );
      const first = errs.find((e) => e !== undefined);
      if (first) throw first;
    }
  }

  /** The RSs that share this RS's controller (a Deployment's old and new RSs). */
  // Upstream: replica_set.go (ReplicaSetController.getReplicaSetsWithSameController)
  getReplicaSetsWithSameController(rs: ReplicaSet): ReplicaSet[] {
    const ref = getControllerOf(rs as unknown as KubeObject);
    if (!ref) {
      this.handledErrors.push(`ReplicaSet has no controller: ${metaNamespaceKeyFunc(rs)}`);
      return [];
    }
    return this.rsIndexer().byIndex(controllerUIDIndex, ref.uid) as unknown as ReplicaSet[];
  }

  /** Pods of every RS with the same controller, each once: they rank the nodes for deletion. */
  // Upstream: replica_set.go (ReplicaSetController.getIndirectlyRelatedPods)
  getIndirectlyRelatedPods(rs: ReplicaSet): Pod[] {
    const related: Pod[] = [];
    const seen = new Set<string>();
    for (const relatedRS of this.getReplicaSetsWithSameController(rs)) {
      let selector: Selector;
      try {
        selector = labelSelectorAsSelector(relatedRS.spec.selector);
      } catch {
        continue;
      }
      for (const pod of this.#podsIn(relatedRS.metadata.namespace ?? '')) {
        if (!selector.matches(pod.metadata.labels ?? {})) continue;
        const uid = pod.metadata.uid ?? '';
        if (seen.has(uid)) continue;
        seen.add(uid);
        related.push(pod);
      }
    }
    return related;
  }
}
