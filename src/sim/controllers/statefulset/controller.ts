/**
 * The StatefulSet controller: informers on Pods, StatefulSets, PersistentVolumeClaims and
 * ControllerRevisions feed a rate-limited queue of set keys; workers sync one set at a time
 * through DefaultStatefulSetControl. Pod events find the owning set by its controller reference
 * (or, for an orphan, every set whose selector matches); a pod turning Ready under
 * minReadySeconds requeues its set once that time has passed.
 * Upstream: pkg/controller/statefulset/stateful_set.go (kubernetes v1.34: NewStatefulSetController,
 * Run, addPod, updatePod, deletePod, getPodsForStatefulSet, canAdoptFunc, adoptOrphanRevisions,
 * resolveControllerRef, processNextWorkItem, sync, syncStatefulSet)
 */
import { labelSelectorAsSelector } from '../../apimachinery/labels';
import { StrategicMergePatchType } from '../../apimachinery/patch';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../../cache/keys';
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
import { newHistory, type ControllerRevision } from '../history';
import { PodControllerRefManager, recheckDeletionTimestamp } from '../util/controller_ref_manager';
import { DefaultStatefulSetControl } from './control';
import { statefulSetEvents, type StatefulSetEventMap } from './events';
import { StatefulPodControl } from './pod_control';
import { controllerKind, type PersistentVolumeClaim, type Pod, type StatefulSet, type StatefulSetStatus } from './types';
import { isMemberOf, isPodReady } from './utils';

export interface StatefulSetControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  /** `--concurrent-statefulset-syncs` (default 5). */
  workers?: number;
}

/** Builds the controller; `run()` starts it. */
export function newStatefulSetController(o: StatefulSetControllerOptions): StatefulSetController {
  return new StatefulSetController(o);
}

const finalState = <T>(obj: unknown): T => (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as T;
const keyOf = (o: { metadata: { namespace?: string; name?: string } }) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata.name ?? ''));
const controllerRefOf = (o: KubeObject | Pod) => (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
/** The informer's set with its kind (list items carry none), so events name it right. */
const withKind = (set: StatefulSet): StatefulSet => ({ ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' });

// Upstream: stateful_set.go (StatefulSetController)
export class StatefulSetController {
  readonly queue: RateLimitingQueue<string>;
  readonly workers: number;
  /** Syncs done, by outcome. */
  readonly syncs = { success: 0, error: 0 };
  readonly #o: StatefulSetControllerOptions;
  readonly #events: EventEmitter<StatefulSetEventMap, Record<string, never>>;
  readonly #control: DefaultStatefulSetControl;
  readonly #podControl: StatefulPodControl;
  #factory?: SharedInformerFactory;
  #stopped = false;
  #loops: Promise<void>[] = [];

  // Upstream: stateful_set.go (NewStatefulSetController)
  constructor(o: StatefulSetControllerOptions) {
    this.#o = o;
    this.workers = o.workers ?? 5;
    const env = resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace });
    this.#events = new EventEmitter(statefulSetEvents, env, {});
    const recorder = newEventRecorder(o.client, o.clock, { component: 'statefulset-controller' });
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'statefulset', trace: o.trace });
    this.#podControl = new StatefulPodControl(
      o.client,
      {
        getPod: (ns, name) => this.#store('pods')?.getByKey(`${ns}/${name}`) as Pod | undefined,
        getClaim: (ns, name) => this.#store('persistentvolumeclaims')?.getByKey(`${ns}/${name}`) as PersistentVolumeClaim | undefined,
      },
      recorder,
      o.clock,
    );
    const revisions = {
      list: (ns: string) => ((this.#store('controllerrevisions')?.list() ?? []) as unknown as ControllerRevision[]).filter((r) => (r.metadata.namespace ?? '') === ns),
      get: (ns: string, name: string) => this.#store('controllerrevisions')?.getByKey(`${ns}/${name}`) as ControllerRevision | undefined,
    };
    this.#control = new DefaultStatefulSetControl({
      client: o.client,
      clock: o.clock,
      podControl: this.#podControl,
      history: newHistory(o.client, revisions, o.clock),
      getSet: (ns, name) => this.#getSet(ns, name),
      emit: (type, fields) => this.#events.emit(type, fields as never),
    });
  }

  #store(resource: string) {
    return this.#factory?.forResource(resource).informer().getStore();
  }

  #getSet(ns: string, name: string): StatefulSet | undefined {
    return this.#store('statefulsets')?.getByKey(ns ? `${ns}/${name}` : name) as StatefulSet | undefined;
  }

  #sets(ns: string): StatefulSet[] {
    return ((this.#store('statefulsets')?.list() ?? []) as unknown as StatefulSet[]).filter((s) => (s.metadata.namespace ?? '') === ns);
  }

  /** Starts the informers, waits for their caches, then the workers (Go: `Run`). Returns once the workers run. */
  // Upstream: stateful_set.go (StatefulSetController.Run)
  async run(): Promise<void> {
    const o = this.#o;
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    f.forResource('pods').informer().addEventHandler({
      onAdd: (obj) => this.#addPod(obj as unknown as Pod),
      onUpdate: (old, cur) => this.#updatePod(old as unknown as Pod, cur as unknown as Pod),
      onDelete: (obj) => this.#deletePod(finalState<Pod>(obj)),
    });
    f.forResource('statefulsets').informer().addEventHandler({
      onAdd: (obj) => this.#enqueue(obj as KubeObject),
      onUpdate: (_old, cur) => this.#enqueue(cur as KubeObject),
      onDelete: (obj) => this.#enqueue(finalState<KubeObject>(obj)),
    });
    f.forResource('persistentvolumeclaims').informer();
    f.forResource('controllerrevisions').informer();
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    for (let i = 0; i < this.workers; i++) this.#loops.push(this.#worker());
  }

  /** Same as `run`. */
  start(): Promise<void> {
    return this.run();
  }

  stop(): void {
    this.#stopped = true;
    this.queue.shutDown();
    this.#factory?.shutdown();
  }

  #enqueue(obj: KubeObject | StatefulSet): void {
    this.queue.add(keyOf(obj));
  }

  /** The set a controller reference names, if it is that very set (same uid). */
  // Upstream: stateful_set.go (resolveControllerRef)
  #resolveControllerRef(ns: string, ref: OwnerReference): StatefulSet | undefined {
    if (ref.kind !== controllerKind.kind) return undefined;
    const set = this.#getSet(ns, ref.name);
    return set && set.metadata.uid === ref.uid ? set : undefined;
  }

  /** Every set whose selector matches the pod (Go: `GetPodStatefulSets`; an empty selector matches nothing). */
  // Upstream: stateful_set.go (getStatefulSetsForPod); listers apps/v1 statefulset_expansion.go (GetPodStatefulSets)
  #setsForPod(pod: Pod): StatefulSet[] {
    return this.#sets(pod.metadata.namespace ?? '').filter((s) => {
      const sel = labelSelectorAsSelector(s.spec.selector);
      return !sel.empty() && sel.matches(pod.metadata.labels ?? {});
    });
  }

  // Upstream: stateful_set.go (addPod)
  #addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      this.#deletePod(pod);
      return;
    }
    const ref = controllerRefOf(pod);
    if (ref) {
      const set = this.#resolveControllerRef(pod.metadata.namespace ?? '', ref);
      if (set) this.#enqueue(set);
      return;
    }
    for (const set of this.#setsForPod(pod)) this.#enqueue(set);
  }

  // Upstream: stateful_set.go (updatePod)
  #updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const labelChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    const curRef = controllerRefOf(cur);
    const oldRef = controllerRefOf(old);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const set = this.#resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (set) this.#enqueue(set);
    }
    if (curRef) {
      const set = this.#resolveControllerRef(cur.metadata.namespace ?? '', curRef);
      if (!set) return;
      this.#enqueue(set);
      const minReady = set.spec.minReadySeconds ?? 0;
      // One second more, so the availability check runs after the pod has become available.
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(keyOf(set), minReady * 1000 + 1000);
      return;
    }
    if (labelChanged || refChanged) for (const set of this.#setsForPod(cur)) this.#enqueue(set);
  }

  // Upstream: stateful_set.go (deletePod)
  #deletePod(pod: Pod): void {
    const ref = controllerRefOf(pod);
    if (!ref) return;
    const set = this.#resolveControllerRef(pod.metadata.namespace ?? '', ref);
    if (set) this.#enqueue(set);
  }

  // Upstream: stateful_set.go (worker, processNextWorkItem)
  async #worker(): Promise<void> {
    for (;;) {
      const { item: key, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        await this.sync(key);
        this.syncs.success++;
        this.queue.forget(key);
      } catch (e) {
        this.syncs.error++;
        // No retry limit: a set is retried with backoff for as long as its sync fails.
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** A fresh read of the set, refusing adoption if it is being deleted or was replaced. */
  // Upstream: stateful_set.go (canAdoptFunc)
  #canAdoptFunc(set: StatefulSet): () => Promise<void> {
    return recheckDeletionTimestamp(async () => {
      const fresh = (await this.#o.client.appsV1().statefulSets(set.metadata.namespace ?? '').get(set.metadata.name ?? '')) as KubeObject;
      if (fresh.metadata.uid !== set.metadata.uid) throw new Error(`original StatefulSet ${set.metadata.namespace}/${set.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${set.metadata.uid}`);
      return fresh;
    });
  }

  // Upstream: stateful_set.go (adoptOrphanRevisions)
  async #adoptOrphanRevisions(set: StatefulSet): Promise<void> {
    const orphans = this.#control.listRevisions(set).filter((r) => !controllerRefOf(r));
    if (orphans.length === 0) return;
    try {
      await this.#canAdoptFunc(set)();
    } catch (e) {
      throw new Error(`can't adopt ControllerRevisions: ${(e as Error).message}`);
    }
    await this.#control.adoptOrphanRevisions(set, orphans);
  }

  /** The pods the set owns after adopting orphans that match and releasing its pods that no longer do. */
  // Upstream: stateful_set.go (getPodsForStatefulSet)
  async #getPodsForStatefulSet(set: StatefulSet): Promise<Pod[]> {
    const ns = set.metadata.namespace ?? '';
    const pods = ((this.#store('pods')?.list() ?? []) as unknown as Pod[]).filter((p) => (p.metadata.namespace ?? '') === ns);
    const podControl = {
      patchPod: async (namespace: string, name: string, patch: string) => {
        await this.#o.client.coreV1().pods(namespace).patch(name, StrategicMergePatchType, JSON.parse(patch));
      },
    };
    const cm = new PodControllerRefManager(podControl, set as unknown as KubeObject, labelSelectorAsSelector(set.spec.selector), controllerKind, this.#canAdoptFunc(set));
    const { claimed, err } = await cm.claimPods(pods as unknown as KubeObject[], (p) => isMemberOf(set, p));
    if (err) throw err;
    return claimed as unknown as Pod[];
  }

  /** Syncs the set under `key` (`namespace/name`); a set gone from the cache is done. */
  // Upstream: stateful_set.go (sync, syncStatefulSet)
  async sync(key: string): Promise<StatefulSetStatus | undefined> {
    const [ns, name] = key.includes('/') ? key.split('/') : ['', key];
    const cached = this.#getSet(ns, name);
    if (!cached) return undefined;
    const set = withKind(deepCopy(cached));
    try {
      labelSelectorAsSelector(set.spec.selector);
    } catch {
      // A selector that does not convert will not convert next time either: no retry.
      return undefined;
    }
    let status: StatefulSetStatus | undefined;
    let error = '';
    try {
      await this.#adoptOrphanRevisions(set);
      const pods = await this.#getPodsForStatefulSet(set);
      status = await this.#control.updateStatefulSet(set, pods);
    } catch (e) {
      error = (e as Error).message;
      throw e;
    } finally {
      const s: Partial<StatefulSetStatus> = status ?? {};
      this.#events.emit('statefulset.sync', {
        set: key,
        replicas: s.replicas ?? 0,
        ready: s.readyReplicas ?? 0,
        available: s.availableReplicas ?? 0,
        current: s.currentReplicas ?? 0,
        updated: s.updatedReplicas ?? 0,
        currentRevision: s.currentRevision ?? '',
        updateRevision: s.updateRevision ?? '',
        error,
      });
    }
    // One more sync once minReadySeconds have passed, for pods becoming available.
    const minReady = set.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.availableReplicas !== (set.spec.replicas ?? 1)) this.queue.addAfter(key, minReady * 1000);
    return status;
  }
}
