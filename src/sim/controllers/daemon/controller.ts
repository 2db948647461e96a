/**
 * The DaemonSet controller: pkg/controller/daemon/daemon_controller.go (kubernetes v1.34:
 * `NewDaemonSetsController`, `Run`, `processNextWorkItem`, the informer handlers,
 * `syncDaemonSet`, `manage`, `podsShouldBeOnNode`, `syncNodes`, `updateDaemonSetStatus`,
 * `storeDaemonSetStatus`) and update.go (`rollingUpdate`). Informers on DaemonSets, Pods and
 * Nodes feed a rate-limited queue of DaemonSet keys; a sync claims the pods, creates one on each
 * node that should run the daemon (pinned by node affinity; the scheduler binds it), deletes
 * those on nodes that should not, replaces failed ones with backoff, rolls the template, and
 * stores the status. Its history is kept as ControllerRevisions (update.go `constructHistory`,
 * `cleanupHistory`: `history.ts`); the current revision's hash labels the pods.
 */
import type { Node, Pod } from '../../api/core/v1';
import { isNotFound } from '../../apimachinery/errors';
import { parseRfc3339 } from '../../apiserver/registry/strategy';
import { labelSelectorAsSelector } from '../../apimachinery/labels';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import type { Clientset } from '../../client/clientset';
import { newEventRecorder, type EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import { deepCopy, type KubeObject } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { Backoff } from '../../kubelet/backoff';
import { defaultControllerRateLimiter } from '../../workqueue/default_rate_limiters';
import { newRateLimitingQueue } from '../../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../../workqueue/types';
import { getControllerOf, PodControllerRefManager, recheckDeletionTimestamp } from '../util/controller_ref_manager';
import { ControllerExpectations } from '../util/expectations';
import { ControllerLoop } from '../util/run_loop';
import { isPodReady, isPodTerminal } from '../util/pod';
import { SlowStartInitialBatchSize } from '../util/slow_start';
import { daemonSetEvents, type DaemonSetEventMap } from './events';
import { newControllerRef, RealPodControl } from '../util/pod_control';
import { nodeShouldRunDaemonPod } from './should_run';
import { controllerKind, daemonSetsResource, type DaemonSet } from './types';
import { rollingUpdatePlan } from './update';
import { cleanupHistory, constructHistory, type DaemonSetHistoryDeps } from './history';
import type { ControllerRevision } from '../history';
import { createPodTemplate, DefaultDaemonSetUniqueLabelKey, getTargetNodeName, getTemplateGeneration, isPodAvailable, isPodUpdated, replaceDaemonSetPodNodeNameNodeAffinity } from './util';

/** At most this many pods are created or deleted per sync (Go: `BurstReplicas`). */
export const BurstReplicas = 250;
/** Status writes retried after a conflict (Go: `StatusUpdateRetries`). */
export const StatusUpdateRetries = 1;
/** kube-controller-manager's failed-pod backoff: 1 s doubling to 15 min (cmd/kube-controller-manager apps.go). */
export const FailedPodsBackoffInitialMs = 1000;
export const FailedPodsBackoffMaxMs = 15 * 60 * 1000;

export const SelectingAllReason = 'SelectingAll';
export const FailedPlacementReason = 'FailedPlacement';
export const FailedDaemonPodReason = 'FailedDaemonPod';
export const SucceededDaemonPodReason = 'SucceededDaemonPod';

export interface DaemonSetsControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  /** `--concurrent-daemonset-syncs` (default 2). */
  workers?: number;
  burstReplicas?: number;
}

export function newDaemonSetsController(o: DaemonSetsControllerOptions): DaemonSetsController {
  return new DaemonSetsController(o);
}

const finalState = <T>(obj: unknown): T => (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as T;
const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const creationMs = (p: Pod) => (p.metadata.creationTimestamp ? parseRfc3339(p.metadata.creationTimestamp) : 0);

/** Scheduled first, then oldest, then by name (Go: `podByCreationTimestampAndPhase`). */
export function sortPodsByCreationTimestampAndPhase(pods: readonly Pod[]): Pod[] {
  return [...pods].sort((a, b) => {
    const sa = a.spec.nodeName ? 0 : 1;
    const sb = b.spec.nodeName ? 0 : 1;
    if (sa !== sb) return sa - sb;
    const d = creationMs(a) - creationMs(b);
    if (d !== 0) return d;
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
  });
}

interface SyncCounts {
  created: number;
  deleted: number;
}

// Upstream: daemon_controller.go (DaemonSetsController)
export class DaemonSetsController {
  readonly queue: RateLimitingQueue<string>;
  readonly expectations: ControllerExpectations;
  readonly failedPodsBackoff: Backoff;
  readonly podControl: RealPodControl;
  readonly burstReplicas: number;
  readonly workers: number;
  readonly #o: DaemonSetsControllerOptions;
  readonly #record: EventRecorder;
  readonly #events: EventEmitter<DaemonSetEventMap, Record<string, never>>;
  readonly #loop: ControllerLoop;
  #counts: SyncCounts = { created: 0, deleted: 0 };

  // Upstream: daemon_controller.go (NewDaemonSetsController)
  constructor(o: DaemonSetsControllerOptions) {
    this.#o = o;
    this.workers = o.workers ?? 2;
    this.burstReplicas = o.burstReplicas ?? BurstReplicas;
    this.#record = newEventRecorder(o.client, o.clock, { component: 'daemonset-controller' });
    this.podControl = new RealPodControl(o.client, this.#record);
    this.expectations = new ControllerExpectations(o.clock);
    this.failedPodsBackoff = new Backoff(o.clock, FailedPodsBackoffInitialMs, FailedPodsBackoffMaxMs);
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'daemonset', trace: o.trace });
    this.#loop = new ControllerLoop({ client: o.client, clock: o.clock, rng: o.rng, queue: this.queue, sync: (key) => this.syncDaemonSet(key) });
    const env = resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace });
    this.#events = new EventEmitter(daemonSetEvents, env, {});
  }

  #store(resource: string | typeof daemonSetsResource) {
    return this.#loop.factory!.forResource(resource).informer().getStore();
  }
  #daemonSets(): DaemonSet[] {
    return (this.#loop.factory ? this.#store(daemonSetsResource).list() : []) as unknown as DaemonSet[];
  }
  #nodes(): Node[] {
    // Sorted by name: Go's lister order is a map's, we keep runs reproducible.
    return ((this.#store('nodes').list() ?? []) as unknown as Node[]).slice().sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  }

  /** Starts the informers, waits for their caches, then the workers (Go: `Run`). */
  // Upstream: daemon_controller.go (DaemonSetsController.Run)
  run(): Promise<void> {
    return this.#loop.run(this.workers, (f) => {
      f.forResource(daemonSetsResource).informer().addEventHandler({
        onAdd: (obj) => this.#enqueue(obj as unknown as DaemonSet),
        onUpdate: (old, cur) => this.#onUpdateDaemonSet(old as unknown as DaemonSet, cur as unknown as DaemonSet),
        onDelete: (obj) => this.#deleteDaemonSet(finalState<DaemonSet>(obj)),
      });
      f.forResource('pods').informer().addEventHandler({
        onAdd: (obj) => this.#addPod(obj as unknown as Pod),
        onUpdate: (old, cur) => this.#updatePod(old as unknown as Pod, cur as unknown as Pod),
        onDelete: (obj) => this.#deletePod(finalState<Pod>(obj)),
      });
      f.forResource('controllerrevisions').informer().addEventHandler({
        onAdd: (obj) => this.#addHistory(obj as unknown as ControllerRevision),
        onUpdate: (old, cur) => this.#updateHistory(old as unknown as ControllerRevision, cur as unknown as ControllerRevision),
        onDelete: (obj) => this.#deleteHistory(finalState<ControllerRevision>(obj)),
      });
      f.forResource('nodes').informer().addEventHandler({
        onAdd: (obj) => this.#addNode(obj as unknown as Node),
        onUpdate: (old, cur) => this.#updateNode(old as unknown as Node, cur as unknown as Node),
        onDelete: () => {},
      });
    });
  }

  stop(): void {
    this.#loop.stop();
  }

  #enqueue(ds: DaemonSet): void {
    this.queue.add(keyOf(ds as unknown as KubeObject));
  }

  // Upstream: daemon_controller.go (updateDaemonset)
  #onUpdateDaemonSet(old: DaemonSet, cur: DaemonSet): void {
    if (old.metadata.uid !== cur.metadata.uid) this.#deleteDaemonSet(old);
    this.#enqueue(cur);
  }

  // Upstream: daemon_controller.go (deleteDaemonset)
  #deleteDaemonSet(ds: DaemonSet): void {
    const key = keyOf(ds as unknown as KubeObject);
    // A DaemonSet re-created under the same name starts with clean expectations.
    this.expectations.deleteExpectations(key);
    this.queue.add(key);
  }

  // Upstream: daemon_controller.go (resolveControllerRef)
  #resolveControllerRef(namespace: string, ref: { kind: string; name: string; uid: string }): DaemonSet | undefined {
    if (ref.kind !== controllerKind.kind) return undefined;
    const ds = this.#store(daemonSetsResource).getByKey(`${namespace}/${ref.name}`) as unknown as DaemonSet | undefined;
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  // Upstream: daemon_controller.go (getDaemonSetsForPod, getDaemonSetsForHistory; the lister's GetPodDaemonSets, GetHistoryDaemonSets)
  #getDaemonSetsForPod(pod: Pod | ControllerRevision): DaemonSet[] {
    return this.#daemonSets().filter((ds) => {
      if ((ds.metadata.namespace ?? '') !== (pod.metadata.namespace ?? '')) return false;
      try {
        const sel = labelSelectorAsSelector(ds.spec.selector);
        return !sel.empty() && sel.matches(pod.metadata.labels ?? {});
      } catch {
        return false;
      }
    });
  }

  /** A new revision wakes its DaemonSet only when it is an orphan someone may adopt (Go: `addHistory`). */
  // Upstream: daemon_controller.go (addHistory)
  #addHistory(history: ControllerRevision): void {
    if (history.metadata.deletionTimestamp) {
      this.#deleteHistory(history);
      return;
    }
    if (getControllerOf(history)) return;
    for (const ds of this.#getDaemonSetsForPod(history)) this.#enqueue(ds);
  }

  // Upstream: daemon_controller.go (updateHistory)
  #updateHistory(old: ControllerRevision, cur: ControllerRevision): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const ds = this.#resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (ds) this.#enqueue(ds);
    }
    if (curRef) {
      const ds = this.#resolveControllerRef(cur.metadata.namespace ?? '', curRef);
      if (ds) this.#enqueue(ds);
      return;
    }
    const labelChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (labelChanged || refChanged) for (const ds of this.#getDaemonSetsForPod(cur)) this.#enqueue(ds);
  }

  // Upstream: daemon_controller.go (deleteHistory)
  #deleteHistory(history: ControllerRevision): void {
    const ref = getControllerOf(history);
    if (!ref) return;
    const ds = this.#resolveControllerRef(history.metadata.namespace ?? '', ref);
    if (ds) this.#enqueue(ds);
  }

  /** The history functions' view of this controller for one DaemonSet's sync (history.ts). */
  #historyDeps(ds: DaemonSet): DaemonSetHistoryDeps {
    const store = this.#store('controllerrevisions');
    return {
      client: this.#o.client,
      listRevisions: (ns) => ((store.list() ?? []) as unknown as ControllerRevision[]).filter((r) => (r.metadata.namespace ?? '') === ns),
      getDaemonPods: (ds) => this.getDaemonPods(ds),
      getNodesToDaemonPods: (ds, includeDeletedTerminal) => this.getNodesToDaemonPods(ds, includeDeletedTerminal),
      onRevision: (op, r) => this.#events.emit('daemonset.revision', { daemonSet: keyOf(ds as unknown as KubeObject), name: r.metadata.name ?? '', revision: r.revision, op }),
    };
  }

  // Upstream: daemon_controller.go (addPod)
  #addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // On a restart a pod may already be terminating: count it as deleted.
      this.#deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod as unknown as KubeObject);
    if (ref) {
      const ds = this.#resolveControllerRef(pod.metadata.namespace ?? '', ref);
      if (!ds) return;
      this.expectations.creationObserved(keyOf(ds as unknown as KubeObject));
      this.#enqueue(ds);
      return;
    }
    // An orphan: whoever selects it may adopt it.
    for (const ds of this.#getDaemonSetsForPod(pod)) this.#enqueue(ds);
  }

  // Upstream: daemon_controller.go (updatePod)
  #updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      this.#deletePod(cur);
      return;
    }
    const curRef = getControllerOf(cur as unknown as KubeObject);
    const oldRef = getControllerOf(old as unknown as KubeObject);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const ds = this.#resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (ds) this.#enqueue(ds);
    }
    if (curRef) {
      const ds = this.#resolveControllerRef(cur.metadata.namespace ?? '', curRef);
      if (!ds) return;
      this.#enqueue(ds);
      // A pod that just became ready turns available after minReadySeconds: look again then.
      const minReady = ds.spec.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(keyOf(ds as unknown as KubeObject), minReady * 1000 + 1000);
      return;
    }
    const labelChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (labelChanged || refChanged) for (const ds of this.#getDaemonSetsForPod(cur)) this.#enqueue(ds);
  }

  // Upstream: daemon_controller.go (deletePod)
  #deletePod(pod: Pod): void {
    const ref = getControllerOf(pod as unknown as KubeObject);
    if (!ref) return;
    const ds = this.#resolveControllerRef(pod.metadata.namespace ?? '', ref);
    if (!ds) return;
    this.expectations.deletionObserved(keyOf(ds as unknown as KubeObject));
    this.#enqueue(ds);
  }

  // Upstream: daemon_controller.go (addNode)
  #addNode(node: Node): void {
    for (const ds of this.#daemonSets()) if (nodeShouldRunDaemonPod(node, ds).shouldRun) this.#enqueue(ds);
  }

  // Upstream: daemon_controller.go (updateNode, shouldIgnoreNodeUpdate)
  #updateNode(old: Node, cur: Node): void {
    if (shouldIgnoreNodeUpdate(old, cur)) return;
    for (const ds of this.#daemonSets()) {
      const a = nodeShouldRunDaemonPod(old, ds);
      const b = nodeShouldRunDaemonPod(cur, ds);
      if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) this.#enqueue(ds);
    }
  }

  /** The DaemonSet's pods after adopting orphans that match and releasing owned ones that no longer do. */
  // Upstream: daemon_controller.go (getDaemonPods)
  async getDaemonPods(ds: DaemonSet): Promise<Pod[]> {
    const selector = labelSelectorAsSelector(ds.spec.selector);
    const pods = ((this.#store('pods').list() ?? []) as unknown as Pod[]).filter((p) => (p.metadata.namespace ?? '') === (ds.metadata.namespace ?? ''));
    const dsNotDeleted = recheckDeletionTimestamp(async () => {
      const fresh = (await this.#o.client.appsV1().daemonSets(ds.metadata.namespace).get(ds.metadata.name ?? '')) as unknown as DaemonSet;
      if (fresh.metadata.uid !== ds.metadata.uid) throw new Error(`original DaemonSet ${ds.metadata.namespace}/${ds.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${ds.metadata.uid}`);
      return fresh as unknown as KubeObject;
    });
    const cm = new PodControllerRefManager(this.podControl, ds as unknown as KubeObject, selector, controllerKind, dsNotDeleted);
    const { claimed, err } = await cm.claimPods(pods as unknown as KubeObject[]);
    if (err) throw err;
    return claimed as unknown as Pod[];
  }

  /** Claimed pods by the node they are for; deleted terminal pods are left out unless asked for. */
  // Upstream: daemon_controller.go (getNodesToDaemonPods)
  async getNodesToDaemonPods(ds: DaemonSet, includeDeletedTerminal = false): Promise<Map<string, Pod[]>> {
    const out = new Map<string, Pod[]>();
    for (const pod of await this.getDaemonPods(ds)) {
      if (!includeDeletedTerminal && isPodTerminal(pod) && pod.metadata.deletionTimestamp) continue;
      const nodeName = getTargetNodeName(pod);
      if (nodeName === undefined) continue;
      out.set(nodeName, [...(out.get(nodeName) ?? []), pod]);
    }
    return out;
  }

  /** One sync of the DaemonSet at `key` (Go: `syncDaemonSet`). */
  // Upstream: daemon_controller.go (syncDaemonSet)
  async syncDaemonSet(key: string): Promise<void> {
    this.#counts = { created: 0, deleted: 0 };
    const cached = this.#store(daemonSetsResource).getByKey(key) as unknown as DaemonSet | undefined;
    if (!cached) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const ds = deepCopy(cached);
    const nodes = this.#nodes();
    const sel = ds.spec.selector;
    if (sel && Object.keys(sel).length === 0) {
      void this.#record.event(ds as unknown as KubeObject, 'Warning', SelectingAllReason, 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // Being deleted: its history may already be gone, so the status cannot be trusted.
    if (ds.metadata.deletionTimestamp) return;
    let history: { cur: ControllerRevision; old: ControllerRevision[] };
    try {
      history = await constructHistory(this.#historyDeps(ds), ds);
    } catch (e) {
      throw new Error(`failed to construct revisions of DaemonSet: ${(e as Error).message}`);
    }
    const hash = history.cur.metadata.labels?.[DefaultDaemonSetUniqueLabelKey] ?? '';
    let err: unknown;
    if (!this.expectations.satisfiedExpectations(key)) {
      // Only the status: the previous sync's creations and deletions have not all been observed.
      err = await this.#updateStatusTraced(ds, nodes, hash, false, undefined);
      if (err) throw err;
      return;
    }
    try {
      await this.#updateDaemonSet(ds, nodes, hash, key, history.old);
    } catch (e) {
      err = e;
    }
    const statusErr = await this.#updateStatusTraced(ds, nodes, hash, true, err);
    if (err) throw err;
    if (statusErr) throw statusErr;
  }

  async #updateStatusTraced(ds: DaemonSet, nodes: Node[], hash: string, updateObservedGen: boolean, syncErr: unknown): Promise<unknown> {
    let status: Record<string, number> | undefined;
    let err: unknown;
    try {
      status = await this.updateDaemonSetStatus(ds, nodes, hash, updateObservedGen);
    } catch (e) {
      err = e;
    }
    const e = syncErr ?? err;
    this.#events.emit('daemonset.sync', {
      daemonSet: keyOf(ds as unknown as KubeObject),
      ...this.#counts,
      desired: status?.desiredNumberScheduled ?? 0,
      current: status?.currentNumberScheduled ?? 0,
      ready: status?.numberReady ?? 0,
      updated: status?.updatedNumberScheduled ?? 0,
      misscheduled: status?.numberMisscheduled ?? 0,
      error: e ? (e as Error).message : '',
    });
    return err;
  }

  // Upstream: daemon_controller.go (updateDaemonSet)
  async #updateDaemonSet(ds: DaemonSet, nodes: Node[], hash: string, key: string, old: ControllerRevision[]): Promise<void> {
    await this.manage(ds, nodes, hash);
    if (this.expectations.satisfiedExpectations(key) && (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      await this.rollingUpdate(ds, nodes, hash);
    }
    try {
      await cleanupHistory(this.#historyDeps(ds), ds, old);
    } catch (e) {
      throw new Error(`failed to clean up revisions of DaemonSet: ${(e as Error).message}`);
    }
  }

  /** Creates daemon pods where missing, deletes them where they do not belong (Go: `manage`). */
  // Upstream: daemon_controller.go (manage)
  async manage(ds: DaemonSet, nodes: Node[], hash: string): Promise<void> {
    let nodeToDaemonPods: Map<string, Pod[]>;
    try {
      nodeToDaemonPods = await this.getNodesToDaemonPods(ds);
    } catch (e) {
      throw new Error(`couldn't get node to daemon pod mapping for daemon set "${ds.metadata.name}": ${(e as Error).message}`);
    }
    const nodesNeedingDaemonPods: string[] = [];
    const podsToDelete: string[] = [];
    for (const node of nodes) {
      const r = this.podsShouldBeOnNode(node, nodeToDaemonPods, ds, hash);
      nodesNeedingDaemonPods.push(...r.nodesNeedingDaemonPods);
      podsToDelete.push(...r.podsToDelete);
    }
    // Unscheduled pods for nodes that are gone: the pod GC never sees them, so we delete them.
    podsToDelete.push(...getUnscheduledPodsWithoutNode(nodes, nodeToDaemonPods));
    await this.syncNodes(ds, podsToDelete, nodesNeedingDaemonPods, hash);
  }

  /** What to create and delete on one node (Go: `podsShouldBeOnNode`). */
  // Upstream: daemon_controller.go (podsShouldBeOnNode)
  podsShouldBeOnNode(node: Node, nodeToDaemonPods: Map<string, Pod[]>, ds: DaemonSet, hash: string): { nodesNeedingDaemonPods: string[]; podsToDelete: string[] } {
    const nodesNeedingDaemonPods: string[] = [];
    const podsToDelete: string[] = [];
    const nodeName = node.metadata.name ?? '';
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const daemonPods = nodeToDaemonPods.get(nodeName);
    if (shouldRun && !daemonPods) {
      nodesNeedingDaemonPods.push(nodeName);
    } else if (shouldContinueRunning) {
      const running: Pod[] = [];
      for (const pod of daemonPods ?? []) {
        if (pod.metadata.deletionTimestamp) continue;
        const where = `${pod.metadata.namespace}/${pod.metadata.name}`;
        if (pod.status?.phase === 'Failed') {
          // The kubelet may keep rejecting the pod: back off instead of hot-looping.
          const backoffKey = failedPodsBackoffKey(ds, nodeName);
          const now = this.#o.clock.now();
          if (this.failedPodsBackoff.isInBackOffSinceUpdate(backoffKey, now)) {
            this.queue.addAfter(keyOf(ds as unknown as KubeObject), this.failedPodsBackoff.get(backoffKey));
            continue;
          }
          this.failedPodsBackoff.next(backoffKey, now);
          void this.#record.event(ds as unknown as KubeObject, 'Warning', FailedDaemonPodReason, `Found failed daemon pod ${where} on node ${nodeName}, will try to kill it`);
          podsToDelete.push(pod.metadata.name ?? '');
        } else if (pod.status?.phase === 'Succeeded') {
          void this.#record.event(ds as unknown as KubeObject, 'Normal', SucceededDaemonPodReason, `Found succeeded daemon pod ${where} on node ${nodeName}, will try to delete it`);
          podsToDelete.push(pod.metadata.name ?? '');
        } else running.push(pod);
      }
      const surge = (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && this.#allowsSurge(ds);
      const sorted = sortPodsByCreationTimestampAndPhase(running);
      if (!surge) {
        // One daemon per node: keep the oldest.
        for (const p of sorted.slice(1)) podsToDelete.push(p.metadata.name ?? '');
      } else if (sorted.length <= 1) {
        if (sorted.length === 0 && shouldRun) nodesNeedingDaemonPods.push(nodeName);
      } else {
        // Surging: keep the oldest new pod, and the oldest old pod only while the new one is not available.
        let oldestNew: Pod | undefined;
        let oldestOld: Pod | undefined;
        for (const pod of sorted) {
          if (pod.metadata.labels?.[DefaultDaemonSetUniqueLabelKey] === hash) {
            if (!oldestNew) {
              oldestNew = pod;
              continue;
            }
          } else if (!oldestOld) {
            oldestOld = pod;
            continue;
          }
          podsToDelete.push(pod.metadata.name ?? '');
        }
        if (oldestNew && oldestOld) {
          if (!isPodReady(oldestOld)) podsToDelete.push(oldestOld.metadata.name ?? '');
          else if (isPodAvailable(oldestNew, ds.spec.minReadySeconds ?? 0, this.#o.clock.now())) podsToDelete.push(oldestOld.metadata.name ?? '');
        }
      }
    } else if (!shouldContinueRunning && daemonPods) {
      for (const pod of daemonPods) if (!pod.metadata.deletionTimestamp) podsToDelete.push(pod.metadata.name ?? '');
    }
    return { nodesNeedingDaemonPods, podsToDelete };
  }

  #allowsSurge(ds: DaemonSet): boolean {
    const s = ds.spec.updateStrategy?.rollingUpdate?.maxSurge;
    return s !== undefined && s !== 0 && s !== '0%';
  }

  /**
   * Deletes `podsToDelete` and creates a pod on each of `nodesNeedingDaemonPods` (both capped at
   * burstReplicas), expectations set first; creations go in slow-start batches.
   */
  // Upstream: daemon_controller.go (syncNodes)
  async syncNodes(ds: DaemonSet, podsToDelete: string[], nodesNeedingDaemonPods: string[], hash: string): Promise<void> {
    const dsKey = keyOf(ds as unknown as KubeObject);
    const createDiff = Math.min(nodesNeedingDaemonPods.length, this.burstReplicas);
    const deleteDiff = Math.min(podsToDelete.length, this.burstReplicas);
    this.expectations.setExpectations(dsKey, createDiff, deleteDiff);
    const errors: Error[] = [];
    const template = createPodTemplate(ds.spec.template, getTemplateGeneration(ds), hash);
    const ns = ds.metadata.namespace ?? '';
    const owner = ds as unknown as KubeObject;
    const ref = newControllerRef(owner, controllerKind);
    let batchSize = Math.min(createDiff, SlowStartInitialBatchSize);
    for (let pos = 0; createDiff > pos; pos += batchSize, batchSize = Math.min(2 * batchSize, createDiff - pos)) {
      const errorCount = errors.length;
      const batch = nodesNeedingDaemonPods.slice(pos, pos + batchSize).map(async (nodeName) => {
        const podTemplate = deepCopy(template);
        podTemplate.spec.affinity = replaceDaemonSetPodNodeNameNodeAffinity(podTemplate.spec.affinity, nodeName);
        try {
          await this.podControl.createPods(ns, podTemplate, owner, ref);
          this.#counts.created++;
        } catch (e) {
          // A terminating namespace refuses every create: nothing to retry.
          if ((e as { status?: { details?: { causes?: { type?: string }[] } } }).status?.details?.causes?.some((c) => c.type === 'NamespaceTerminating')) return;
          this.expectations.creationObserved(dsKey);
          errors.push(e as Error);
        }
      });
      await Promise.all(batch);
      const skipped = createDiff - (batchSize + pos);
      if (errors.length > errorCount && skipped > 0) {
        // Slow-start failure: the skipped pods are not expected; the next sync tries again.
        this.expectations.lowerExpectations(dsKey, skipped, 0);
        break;
      }
    }
    await Promise.all(
      podsToDelete.slice(0, deleteDiff).map(async (name) => {
        try {
          await this.podControl.deletePod(ns, name, owner);
          this.#counts.deleted++;
        } catch (e) {
          this.expectations.deletionObserved(dsKey);
          if (!isNotFound(e)) errors.push(e as Error);
        }
      }),
    );
    if (errors.length) throw new Error(errors.length === 1 ? errors[0].message : `[${errors.map((e) => e.message).join(', ')}]`);
  }

  /** One rolling-update pass (Go: `rollingUpdate`); the plan is update.ts's. */
  // Upstream: update.go (rollingUpdate)
  async rollingUpdate(ds: DaemonSet, nodes: Node[], hash: string): Promise<void> {
    let nodeToDaemonPods: Map<string, Pod[]>;
    try {
      nodeToDaemonPods = await this.getNodesToDaemonPods(ds);
    } catch (e) {
      throw new Error(`couldn't get node to daemon pod mapping for daemon set "${ds.metadata.name}": ${(e as Error).message}`);
    }
    const plan = rollingUpdatePlan(ds, nodes, nodeToDaemonPods, hash, this.#o.clock.now(), (n) => nodeShouldRunDaemonPod(n, ds).shouldRun);
    if (plan.oldPodsToDelete.length || plan.newNodesToCreate.length) {
      this.#events.emit('daemonset.rollingUpdate', {
        daemonSet: keyOf(ds as unknown as KubeObject),
        hash,
        deleting: plan.oldPodsToDelete.length,
        surging: plan.newNodesToCreate.length,
        maxUnavailable: plan.maxUnavailable,
        maxSurge: plan.maxSurge,
      });
    }
    await this.syncNodes(ds, plan.oldPodsToDelete, plan.newNodesToCreate, hash);
  }

  /** Counts the daemon pods per node and stores the status; returns what it stored. */
  // Upstream: daemon_controller.go (updateDaemonSetStatus)
  async updateDaemonSetStatus(ds: DaemonSet, nodes: Node[], hash: string, updateObservedGen: boolean): Promise<Record<string, number>> {
    let nodeToDaemonPods: Map<string, Pod[]>;
    try {
      nodeToDaemonPods = await this.getNodesToDaemonPods(ds);
    } catch (e) {
      throw new Error(`couldn't get node to daemon pod mapping for daemon set "${ds.metadata.name}": ${(e as Error).message}`);
    }
    const now = this.#o.clock.now();
    const s = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 };
    const generation = getTemplateGeneration(ds);
    for (const node of nodes) {
      const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
      const pods = nodeToDaemonPods.get(node.metadata.name ?? '') ?? [];
      const scheduled = pods.length > 0;
      if (!shouldRun) {
        if (scheduled) s.numberMisscheduled++;
        continue;
      }
      s.desiredNumberScheduled++;
      if (!scheduled) continue;
      s.currentNumberScheduled++;
      // The oldest pod speaks for the node.
      const pod = sortPodsByCreationTimestampAndPhase(pods)[0];
      if (isPodReady(pod)) {
        s.numberReady++;
        if (isPodAvailable(pod, ds.spec.minReadySeconds ?? 0, now)) s.numberAvailable++;
      }
      if (isPodUpdated(pod, hash, generation)) s.updatedNumberScheduled++;
    }
    s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
    await this.#storeDaemonSetStatus(ds, s, updateObservedGen);
    // A last look once minReadySeconds have passed (Go: a guard against clock skew).
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && s.numberReady !== s.numberAvailable) this.queue.addAfter(keyOf(ds as unknown as KubeObject), minReady * 1000);
    return s;
  }

  // Upstream: daemon_controller.go (storeDaemonSetStatus)
  async #storeDaemonSetStatus(ds: DaemonSet, s: Record<string, number>, updateObservedGen: boolean): Promise<void> {
    const cur = (ds.status ?? {}) as Record<string, number | undefined>;
    const same = Object.entries(s).every(([k, v]) => (cur[k] ?? 0) === v);
    if (same && (ds.status?.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0)) return;
    const client = this.#o.client.appsV1().daemonSets(ds.metadata.namespace);
    let toUpdate = deepCopy(ds);
    for (let i = 0; ; i++) {
      toUpdate.status = { ...(toUpdate.status ?? {}), ...s, ...(updateObservedGen ? { observedGeneration: ds.metadata.generation } : {}) };
      // Go's JSON: these three are omitempty, the other counters always written.
      const st = toUpdate.status as Record<string, number | undefined>;
      for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable']) if (st[k] === 0) delete st[k];
      try {
        await client.updateStatus(toUpdate as unknown as KubeObject);
        return;
      } catch (e) {
        if (i >= StatusUpdateRetries) throw new Error(`error storing status for daemon set ${keyOf(ds as unknown as KubeObject)}: ${(e as Error).message}`);
      }
      toUpdate = (await client.get(ds.metadata.name ?? '')) as unknown as DaemonSet;
    }
  }
}

/** Unscheduled pods whose node is gone (Go: `getUnscheduledPodsWithoutNode`). */
// Upstream: daemon_controller.go (getUnscheduledPodsWithoutNode)
export function getUnscheduledPodsWithoutNode(nodes: readonly Node[], nodeToDaemonPods: Map<string, Pod[]>): string[] {
  const running = new Set(nodes.map((n) => n.metadata.name ?? ''));
  const out: string[] = [];
  for (const [name, pods] of nodeToDaemonPods) {
    if (running.has(name)) continue;
    for (const pod of pods) if (!pod.spec.nodeName) out.push(pod.metadata.name ?? '');
  }
  return out;
}

/** One backoff per DaemonSet generation and node (Go: `failedPodsBackoffKey`). */
export function failedPodsBackoffKey(ds: DaemonSet, nodeName: string): string {
  return `${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
}

/** A node update that changed only condition timestamps (heartbeats) is ignored. */
// Upstream: daemon_controller.go (shouldIgnoreNodeUpdate, nodeInSameCondition)
export function shouldIgnoreNodeUpdate(old: Node, cur: Node): boolean {
  const trueTypes = (n: Node) => (n.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type).sort().join(',');
  if (trueTypes(old) !== trueTypes(cur)) return false;
  const strip = (n: Node) => ({ ...n, metadata: { ...n.metadata, resourceVersion: undefined }, status: { ...(n.status ?? {}), conditions: undefined } });
  return JSON.stringify(strip(old)) === JSON.stringify(strip(cur));
}
