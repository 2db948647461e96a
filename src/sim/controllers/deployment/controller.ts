/**
 * The Deployment controller: pkg/controller/deployment/deployment_controller.go (kubernetes v1.34:
 * `NewDeploymentController`, `Run`, `worker`, `processNextWorkItem`, `handleErr`, the informer
 * handlers, `getReplicaSetsForDeployment`, `getPodMapForDeployment`, `syncDeployment`). Informers
 * on Deployments, ReplicaSets and Pods feed a rate-limited queue of Deployment keys; each sync
 * picks one path: deleted, selecting all, being deleted, paused, rollback, scaling, or a rollout
 * step of its strategy.
 */
import type { Pod } from '../../api/core/v1';
import { labelSelectorAsSelector } from '../../apimachinery/labels';
import { hasStatusCause } from '../../apimachinery/errors';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { NamespaceIndex } from '../../cache/index_funcs';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import { newEventRecorder, type EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import { deepCopy, type KubeObject, type OwnerReference } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { defaultControllerRateLimiter } from '../../workqueue/default_rate_limiters';
import { newRateLimitingQueue } from '../../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../../workqueue/types';
import { getControllerOf, recheckDeletionTimestamp } from '../util/controller_ref_manager';
import { controllerKind, ReplicaSetControllerRefManager } from './claim';
import { dkey, recordEvent, updateDeploymentStatus, type DcContext } from './context';
import { deploymentEvents, type DeploymentEventMap } from './events';
import { semanticDeepEqual } from './find';
import { rolloutRecreate, type PodMap } from './recreate';
import { getRollbackTo, rollback } from './rollback';
import { rolloutRolling } from './rolling';
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from './sync';
import type { Deployment, DeploymentCondition, ReplicaSet } from './types';
import { fromWire } from './wire';

/** A Deployment whose sync fails this many times in a row is dropped from the queue (5 ms doubling: about 80 s). */
export const maxRetries = 15;

export interface DeploymentControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  /** `--concurrent-deployment-syncs` (default 5): Deployments synced at once. */
  workers?: number;
  /** Share informers with other controllers (kube-controller-manager's one factory); default: a factory of its own. */
  informerFactory?: SharedInformerFactory;
}

/** Builds the controller and registers its informer handlers (Go: `NewDeploymentController`); `run()` starts it. */
export function newDeploymentController(o: DeploymentControllerOptions): DeploymentController {
  return new DeploymentController(o);
}

const finalState = <T>(obj: unknown): T => (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as T;

// Upstream: deployment_controller.go (DeploymentController)
export class DeploymentController implements DcContext {
  readonly client: Clientset;
  readonly clock: FakeClock;
  readonly recorder: EventRecorder;
  readonly events: EventEmitter<DeploymentEventMap, Record<string, never>>;
  readonly queue: RateLimitingQueue<string>;
  readonly workers: number;
  readonly tracedConditions = new Map<string, DeploymentCondition[]>();
  /** Syncs done, by outcome. */
  readonly syncs = { success: 0, error: 0, dropped: 0 };
  readonly #factory: SharedInformerFactory;
  readonly #ownFactory: boolean;
  #stopped = false;
  readonly #loops: Promise<void>[] = [];

  // Upstream: deployment_controller.go (NewDeploymentController)
  constructor(o: DeploymentControllerOptions) {
    this.client = o.client;
    this.clock = o.clock;
    this.workers = o.workers ?? 5;
    const env = resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace });
    this.events = new EventEmitter(deploymentEvents, env, {});
    this.recorder = newEventRecorder(o.client, o.clock, { component: 'deployment-controller' });
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'deployment', trace: o.trace });
    this.#ownFactory = !o.informerFactory;
    this.#factory = o.informerFactory ?? newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('deployment-informers') });
    this.#informer('deployments').addEventHandler({
      onAdd: (obj) => this.#enqueue(obj as unknown as Deployment),
      onUpdate: (_old, cur) => this.#enqueue(cur as unknown as Deployment),
      onDelete: (obj) => this.#deleteDeployment(obj),
    });
    this.#informer('replicasets').addEventHandler({
      onAdd: (obj) => this.#addReplicaSet(obj as unknown as ReplicaSet),
      onUpdate: (old, cur) => this.#updateReplicaSet(old as unknown as ReplicaSet, cur as unknown as ReplicaSet),
      onDelete: (obj) => this.#deleteReplicaSet(obj),
    });
    this.#informer('pods').addEventHandler({ deleteFunc: (obj) => this.deletePod(obj) });
  }

  #informer(resource: string) {
    return this.#factory.forResource(resource).informer();
  }

  #byNamespace<T>(resource: string, namespace: string): T[] {
    return this.#informer(resource).getIndexer().byIndex(NamespaceIndex, namespace) as unknown as T[];
  }

  #cached<T>(resource: string, namespace: string, name: string): T | undefined {
    return this.#informer(resource).getStore().getByKey(`${namespace}/${name}`) as unknown as T | undefined;
  }

  cachedReplicaSet(namespace: string, name: string): ReplicaSet | undefined {
    const rs = this.#cached<ReplicaSet>('replicasets', namespace, name);
    return rs && fromWire(rs);
  }

  /** Starts the informers, waits for their caches, then the workers (Go: `Run`). Returns once the workers run. */
  // Upstream: deployment_controller.go (DeploymentController.Run)
  async run(): Promise<void> {
    this.#factory.start();
    const synced = await this.#factory.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    for (let i = 0; i < this.workers; i++) this.#loops.push(this.#worker());
  }

  stop(): void {
    this.#stopped = true;
    this.queue.shutDown();
    if (this.#ownFactory) this.#factory.shutdown();
  }

  // Upstream: deployment_controller.go (DeploymentController.worker, processNextWorkItem)
  async #worker(): Promise<void> {
    for (;;) {
      const { item: key, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        let err: unknown;
        let path = '';
        try {
          path = await this.syncDeployment(key);
        } catch (e) {
          err = e;
        }
        this.events.emit('deployment.sync', { deployment: key, path, error: err ? (err as Error).message : '' });
        this.#handleErr(err, key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** Retries with the rate limiter up to maxRetries; a terminating namespace is not retried. */
  // Upstream: deployment_controller.go (DeploymentController.handleErr)
  #handleErr(err: unknown, key: string): void {
    if (!err || hasStatusCause(err, 'NamespaceTerminating')) {
      this.syncs.success += err ? 0 : 1;
      this.queue.forget(key);
      return;
    }
    this.syncs.error++;
    if (this.queue.numRequeues(key) < maxRetries) {
      this.queue.addRateLimited(key);
      return;
    }
    this.syncs.dropped++;
    this.queue.forget(key);
  }

  // Upstream: deployment_controller.go (DeploymentController.enqueue)
  #enqueue(d: Deployment): void {
    this.queue.add(dkey(d));
  }

  // Upstream: deployment_controller.go (DeploymentController.enqueueRateLimited)
  enqueueRateLimited(d: Deployment): void {
    this.queue.addRateLimited(dkey(d));
  }

  // Upstream: deployment_controller.go (DeploymentController.enqueueAfter)
  enqueueAfter(d: Deployment, afterMs: number): void {
    this.queue.addAfter(dkey(d), afterMs);
  }

  // Upstream: deployment_controller.go (DeploymentController.deleteDeployment)
  #deleteDeployment(obj: unknown): void {
    const d = finalState<Deployment | undefined>(obj);
    if (d?.metadata) this.#enqueue(d);
  }

  /** A new ReplicaSet wakes its controller, or, an orphan, every Deployment that could adopt it. */
  // Upstream: deployment_controller.go (DeploymentController.addReplicaSet)
  #addReplicaSet(rs: ReplicaSet): void {
    // After a restart an object may already be on its way out.
    if (rs.metadata.deletionTimestamp) return this.#deleteReplicaSet(rs);
    const ref = getControllerOf(rs as unknown as KubeObject);
    if (ref) {
      const d = this.#resolveControllerRef(rs.metadata.namespace ?? '', ref);
      if (d) this.#enqueue(d);
      return;
    }
    for (const d of this.getDeploymentsForReplicaSet(rs)) this.#enqueue(d);
  }

  /** Deployments whose selector matches the ReplicaSet (an empty selector matches nothing). */
  // Upstream: deployment_util.go (GetDeploymentsForReplicaSet), deployment_controller.go (getDeploymentsForReplicaSet)
  getDeploymentsForReplicaSet(rs: ReplicaSet): Deployment[] {
    if (Object.keys(rs.metadata.labels ?? {}).length === 0) return [];
    const out: Deployment[] = [];
    for (const d of this.#byNamespace<Deployment>('deployments', rs.metadata.namespace ?? '')) {
      let selector;
      try {
        selector = labelSelectorAsSelector(d.spec.selector);
      } catch {
        continue;
      }
      if (selector.empty() || !selector.matches(rs.metadata.labels ?? {})) continue;
      out.push(d);
    }
    return out;
  }

  /** A changed controllerRef wakes the old controller too; an orphan whose labels changed wakes those that could adopt it. */
  // Upstream: deployment_controller.go (DeploymentController.updateReplicaSet)
  #updateReplicaSet(oldRS: ReplicaSet, curRS: ReplicaSet): void {
    // A resync: same version, nothing new.
    if (curRS.metadata.resourceVersion === oldRS.metadata.resourceVersion) return;
    const curRef = getControllerOf(curRS as unknown as KubeObject);
    const oldRef = getControllerOf(oldRS as unknown as KubeObject);
    const refChanged = !semanticDeepEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const d = this.#resolveControllerRef(oldRS.metadata.namespace ?? '', oldRef);
      if (d) this.#enqueue(d);
    }
    if (curRef) {
      const d = this.#resolveControllerRef(curRS.metadata.namespace ?? '', curRef);
      if (d) this.#enqueue(d);
      return;
    }
    const labelChanged = !semanticDeepEqual(curRS.metadata.labels, oldRS.metadata.labels);
    if (labelChanged || refChanged) for (const d of this.getDeploymentsForReplicaSet(curRS)) this.#enqueue(d);
  }

  /** Orphans' deletions concern no one. */
  // Upstream: deployment_controller.go (DeploymentController.deleteReplicaSet)
  #deleteReplicaSet(obj: unknown): void {
    const rs = finalState<ReplicaSet | undefined>(obj);
    if (!rs?.metadata) return;
    const ref = getControllerOf(rs as unknown as KubeObject);
    if (!ref) return;
    const d = this.#resolveControllerRef(rs.metadata.namespace ?? '', ref);
    if (d) this.#enqueue(d);
  }

  /**
   * A Recreate Deployment waits for its old pods to be gone: each pod deletion checks whether
   * none is left and wakes it then. Upstream: deployment_controller.go (DeploymentController.deletePod)
   */
  deletePod(obj: unknown): void {
    const pod = finalState<Pod | undefined>(obj);
    if (!pod?.metadata) return;
    const d = this.#getDeploymentForPod(pod);
    if (!d || d.spec.strategy?.type !== 'Recreate') return;
    // Upstream lists the ReplicaSets through the client here; the cache serves the same purpose.
    const rsList = this.#byNamespace<ReplicaSet>('replicasets', d.metadata.namespace ?? '').filter((rs) => getControllerOf(rs as unknown as KubeObject)?.uid === d.metadata.uid);
    let numPods = 0;
    for (const pods of this.getPodMapForDeployment(d, rsList).values()) numPods += pods.length;
    if (numPods === 0) this.#enqueue(d);
  }

  // Upstream: deployment_controller.go (DeploymentController.getDeploymentForPod)
  #getDeploymentForPod(pod: Pod): Deployment | undefined {
    const ref = getControllerOf(pod as unknown as KubeObject);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.#cached<ReplicaSet>('replicasets', pod.metadata.namespace ?? '', ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return undefined;
    const rsRef = getControllerOf(rs as unknown as KubeObject);
    return rsRef ? this.#resolveControllerRef(rs.metadata.namespace ?? '', rsRef) : undefined;
  }

  /** The Deployment a controllerRef names, if it still exists under that uid. */
  // Upstream: deployment_controller.go (DeploymentController.resolveControllerRef)
  #resolveControllerRef(namespace: string, ref: OwnerReference): Deployment | undefined {
    if (ref.kind !== controllerKind.kind) return undefined;
    const d = this.#cached<Deployment>('deployments', namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /**
   * The ReplicaSets this Deployment owns after adopting matching orphans and releasing owned ones
   * that no longer match. Adoption first rechecks, once, that the Deployment (read fresh from the
   * API server) is not being deleted and is the same object.
   * Upstream: deployment_controller.go (DeploymentController.getReplicaSetsForDeployment)
   */
  async getReplicaSetsForDeployment(d: Deployment): Promise<ReplicaSet[]> {
    const ns = d.metadata.namespace ?? '';
    const rsList = this.#byNamespace<ReplicaSet>('replicasets', ns).map((rs) => fromWire(rs));
    let selector;
    try {
      selector = labelSelectorAsSelector(d.spec.selector);
    } catch (e) {
      throw new Error(`deployment ${ns}/${d.metadata.name} has invalid label selector: ${(e as Error).message}`);
    }
    const canAdopt = recheckDeletionTimestamp(async () => {
      const fresh = (await this.client.appsV1().deployments(ns).get(d.metadata.name ?? '')) as KubeObject;
      if (fresh.metadata.uid !== d.metadata.uid) throw new Error(`original Deployment ${ns}/${d.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${d.metadata.uid}`);
      return fresh;
    });
    const rsControl = {
      patchReplicaSet: async (namespace: string, name: string, patch: string) => {
        await this.client.appsV1().replicaSets(namespace).patch(name, 'application/strategic-merge-patch+json', JSON.parse(patch));
      },
    };
    const cm = new ReplicaSetControllerRefManager(rsControl, d as unknown as KubeObject, selector, controllerKind, canAdopt);
    const { claimed, err } = await cm.claimReplicaSets(rsList);
    if (err) throw err;
    return claimed;
  }

  /**
   * The Deployment's pods grouped by the ReplicaSet (uid) controlling them; every ReplicaSet has
   * an entry, pods of other controllers are left out. Upstream: deployment_controller.go (getPodMapForDeployment)
   */
  getPodMapForDeployment(d: Deployment, rsList: ReplicaSet[]): PodMap {
    const selector = labelSelectorAsSelector(d.spec.selector);
    const podMap: PodMap = new Map(rsList.map((rs) => [rs.metadata.uid ?? '', []]));
    for (const pod of this.#byNamespace<Pod>('pods', d.metadata.namespace ?? '')) {
      if (!selector.matches(pod.metadata.labels ?? {})) continue;
      const ref = getControllerOf(pod as unknown as KubeObject);
      if (ref && podMap.has(ref.uid)) podMap.get(ref.uid)!.push(pod);
    }
    return podMap;
  }

  /**
   * Syncs one Deployment, by priority: deleted (nothing), selecting all (warn), being deleted
   * (status only), paused (scale only), rollback, scaling event, rollout step. Returns the path
   * taken (for the trace). Upstream: deployment_controller.go (DeploymentController.syncDeployment)
   */
  async syncDeployment(key: string): Promise<string> {
    const [namespace, name] = key.split('/');
    const cached = this.#cached<Deployment>('deployments', namespace, name);
    if (!cached) return 'deleted';
    // Never change the cache's copy.
    const d = fromWire(deepCopy(cached));
    if (isSelectingAll(d)) {
      recordEvent(this, d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation };
        await updateDeploymentStatus(this, d).catch(() => undefined);
      }
      return 'selectingAll';
    }
    const rsList = await this.getReplicaSetsForDeployment(d);
    // For Recreate: are old pods still there? (The map is built for every sync, as upstream.)
    const podMap = this.getPodMapForDeployment(d, rsList);
    if (d.metadata.deletionTimestamp) {
      await syncStatusOnly(this, d, rsList);
      return 'statusOnly';
    }
    // Pausing and resuming update the Progressing condition first, so paused time is not counted.
    await checkPausedConditions(this, d);
    if (d.spec.paused) {
      await sync(this, d, rsList);
      return 'paused';
    }
    // Rollback before scaling: a rollback resets the template, scaling is then redone on it.
    if (getRollbackTo(d) !== undefined) {
      await rollback(this, d, rsList);
      return 'rollback';
    }
    if (await isScalingEvent(this, d, rsList)) {
      await sync(this, d, rsList);
      return 'scale';
    }
    switch (d.spec.strategy?.type) {
      case 'Recreate':
        await rolloutRecreate(this, d, rsList, podMap);
        return 'Recreate';
      case 'RollingUpdate':
        await rolloutRolling(this, d, rsList);
        return 'RollingUpdate';
    }
    throw new Error(`unexpected deployment strategy type: ${d.spec.strategy?.type ?? ''}`);
  }
}

/** The selector is `{}`: Go compares it with an empty metav1.LabelSelector. */
function isSelectingAll(d: Deployment): boolean {
  const s = d.spec.selector;
  return !!s && Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

