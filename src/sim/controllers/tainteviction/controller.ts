/**
 * The taint eviction controller: pkg/controller/tainteviction/taint_eviction.go (kubernetes
 * v1.34: `New`, `Run`, `PodUpdated`, `NodeUpdated`, `handlePodUpdate`, `handleNodeUpdate`,
 * `processPodOnNode`, `getMinTolerationTime`, `deletePodHandler`, `addConditionAndDeletePod`,
 * `emitPodDeletionEvent`, `emitCancelPodDeletionEvent`). A pod on a node with a NoExecute taint
 * it does not tolerate is deleted at once; one that tolerates it for tolerationSeconds is deleted
 * that long after the controller saw the taint; removing the taint cancels the deletion.
 */
import type { Node, Pod, Taint, Toleration } from '../../api/core/v1';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import { rfc3339 } from '../../apiserver/registry/strategy';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import { newEventRecorder, type EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import type { KubeObject } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { toleratesTaint } from '../../scheduler/plugins/helper';
import { newQueue } from '../../workqueue/queue';
import type { Queue } from '../../workqueue/types';
import { updatePodCondition } from '../nodelifecycle/node_util';
import { taintEvictionEvents, type TaintEvictionEventMap } from './events';
import { keyFromWorkArgs, TimedWorkerQueue, type WorkArgs } from './timed_workers';

/** Go: retries in deletePodHandler. */
const retries = 5;
export const controllerName = 'taint-eviction-controller';

export interface TaintEvictionControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
}

export const getNoExecuteTaints = (taints: readonly Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => t.effect === 'NoExecute');

/** Whether every taint is tolerated, and the toleration that matched each. */
// Upstream: pkg/apis/core/v1/helper/helpers.go (GetMatchingTolerations)
export function getMatchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): [boolean, Toleration[]] {
  if (taints.length === 0) return [true, []];
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((x) => toleratesTaint(x, taint));
    if (!t) return [false, []];
    used.push(t);
  }
  return [true, used];
}

/** The shortest tolerationSeconds in ms (0 for none or a non-positive one), or -1 when all tolerate for ever. */
// Upstream: taint_eviction.go (getMinTolerationTime)
export function getMinTolerationTime(tolerations: readonly Toleration[]): number {
  if (tolerations.length === 0) return 0;
  let min = Infinity;
  for (const t of tolerations) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

export function newTaintEvictionController(o: TaintEvictionControllerOptions): TaintEvictionController {
  return new TaintEvictionController(o);
}

interface PodUpdateItem {
  namespace: string;
  name: string;
  nodeName: string;
}

const sameTaints = (a: Taint[], b: Taint[]) => JSON.stringify(a) === JSON.stringify(b);
const sameTolerations = (a: Toleration[] | undefined, b: Toleration[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
const finalState = <T>(obj: unknown): T => (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as T;

// Upstream: taint_eviction.go (Controller)
export class TaintEvictionController {
  /** Node name -> its NoExecute taints (only tainted nodes). */
  readonly taintedNodes = new Map<string, Taint[]>();
  readonly taintEvictionQueue: TimedWorkerQueue;
  readonly nodeUpdateQueue: Queue<string>;
  readonly podUpdateQueue: Queue<string>;
  readonly #podItems = new Map<string, PodUpdateItem>();
  readonly #o: TaintEvictionControllerOptions;
  readonly #events: EventEmitter<TaintEvictionEventMap, Record<string, never>>;
  readonly #recorder: EventRecorder;
  #factory?: SharedInformerFactory;
  #stopped = false;

  // Upstream: taint_eviction.go (New)
  constructor(o: TaintEvictionControllerOptions) {
    this.#o = o;
    this.#events = new EventEmitter(taintEvictionEvents, resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace }), {});
    this.#recorder = newEventRecorder(o.client, o.clock, { component: controllerName });
    this.taintEvictionQueue = new TimedWorkerQueue(o.clock, (fireAtMs, args) => this.#deletePod(fireAtMs, args));
    this.nodeUpdateQueue = newQueue<string>({ clock: o.clock, name: 'noexec_taint_node', trace: o.trace });
    this.podUpdateQueue = newQueue<string>({ clock: o.clock, name: 'noexec_taint_pod', trace: o.trace });
  }

  #store(resource: string) {
    return this.#factory?.forResource(resource).informer().getStore();
  }

  /** Starts the informers, waits for their caches, then the worker (Go: Run). */
  // Upstream: taint_eviction.go (Controller.Run)
  async run(): Promise<void> {
    const o = this.#o;
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    f.forResource('pods').informer().addEventHandler({
      onAdd: (obj) => this.podUpdated(undefined, obj as unknown as Pod),
      onUpdate: (old, cur) => this.podUpdated(old as unknown as Pod, cur as unknown as Pod),
      onDelete: (obj) => this.podUpdated(finalState<Pod>(obj), undefined),
    });
    f.forResource('nodes').informer().addEventHandler({
      onAdd: (obj) => this.nodeUpdated(undefined, obj as unknown as Node),
      onUpdate: (old, cur) => this.nodeUpdated(old as unknown as Node, cur as unknown as Node),
      onDelete: (obj) => this.nodeUpdated(finalState<Node>(obj), undefined),
    });
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    void this.#nodeWorker();
    void this.#podWorker();
  }

  stop(): void {
    this.#stopped = true;
    this.nodeUpdateQueue.shutDown();
    this.podUpdateQueue.shutDown();
    for (const key of [...this.taintEvictionQueue.workers.keys()]) this.taintEvictionQueue.cancelWork(key);
    this.#factory?.shutdown();
  }

  // Upstream: taint_eviction.go (Controller.worker): node updates first, one at a time
  async #nodeWorker(): Promise<void> {
    for (;;) {
      const { item, shutdown } = await this.nodeUpdateQueue.get();
      if (shutdown) return;
      this.handleNodeUpdate(item);
      this.nodeUpdateQueue.done(item);
    }
  }

  async #podWorker(): Promise<void> {
    for (;;) {
      const { item, shutdown } = await this.podUpdateQueue.get();
      if (shutdown) return;
      const u = this.#podItems.get(item);
      if (u) this.handlePodUpdate(u);
      this.podUpdateQueue.done(item);
    }
  }

  // Upstream: taint_eviction.go (Controller.PodUpdated): only new pods, changed tolerations or node, deletions
  podUpdated(old: Pod | undefined, pod: Pod | undefined): void {
    const p = (pod ?? old) as Pod;
    if (old && pod && sameTolerations(old.spec.tolerations, pod.spec.tolerations) && old.spec.nodeName === pod.spec.nodeName) return;
    const item = { namespace: p.metadata.namespace ?? '', name: p.metadata.name ?? '', nodeName: p.spec.nodeName ?? '' };
    const key = `${item.namespace}/${item.name}/${item.nodeName}`;
    this.#podItems.set(key, item);
    this.podUpdateQueue.add(key);
  }

  // Upstream: taint_eviction.go (Controller.NodeUpdated): only a change of NoExecute taints
  nodeUpdated(old: Node | undefined, node: Node | undefined): void {
    if (old && node && sameTaints(getNoExecuteTaints(old.spec?.taints), getNoExecuteTaints(node.spec?.taints))) return;
    this.nodeUpdateQueue.add(((node ?? old) as Node).metadata.name ?? '');
  }

  // Upstream: taint_eviction.go (Controller.cancelWorkWithEvent)
  #cancelWorkWithEvent(args: WorkArgs): void {
    const key = keyFromWorkArgs(args);
    if (!this.taintEvictionQueue.cancelWork(key)) return;
    this.#events.emit('tainteviction.cancel', { pod: key });
    void this.#recorder.event(podRef(args), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  /** Deletes now what is not tolerated; schedules what is tolerated for a while; cancels what is tolerated for ever. */
  // Upstream: taint_eviction.go (Controller.processPodOnNode)
  processPodOnNode(args: WorkArgs, nodeName: string, tolerations: Toleration[] | undefined, taints: Taint[], nowMs: number): void {
    if (taints.length === 0) this.#cancelWorkWithEvent(args);
    const key = keyFromWorkArgs(args);
    const [allTolerated, used] = getMatchingTolerations(taints, tolerations);
    if (!allTolerated) {
      // Delete right away; any scheduled deletion goes.
      this.#cancelWorkWithEvent(args);
      this.#schedule(args, nodeName, nowMs, nowMs, -1);
      return;
    }
    const minMs = getMinTolerationTime(used);
    if (minMs < 0) {
      this.#cancelWorkWithEvent(args);
      return;
    }
    let startMs = nowMs;
    const triggerMs = startMs + minMs;
    const scheduled = this.taintEvictionQueue.getWorkerUnsafe(key);
    if (scheduled) {
      startMs = scheduled.createdAtMs;
      // An earlier deletion is already scheduled: keep it.
      if (startMs + minMs < triggerMs) return;
      this.#cancelWorkWithEvent(args);
    }
    this.#schedule(args, nodeName, startMs, triggerMs, minMs / 1000);
  }

  #schedule(args: WorkArgs, node: string, createdAtMs: number, fireAtMs: number, tolerationSeconds: number): void {
    const key = keyFromWorkArgs(args);
    if (this.taintEvictionQueue.workers.has(key)) return; // Go: "Trying to add already existing work, skipping"
    this.#events.emit('tainteviction.schedule', { pod: key, node, fireAtMs, tolerationSeconds });
    this.taintEvictionQueue.addWork(args, createdAtMs, fireAtMs);
  }

  // Upstream: taint_eviction.go (Controller.handlePodUpdate)
  handlePodUpdate(u: PodUpdateItem): void {
    const args = { namespace: u.namespace, name: u.name };
    const pod = this.#store('pods')?.getByKey(`${u.namespace}/${u.name}`) as Pod | undefined;
    if (!pod) {
      this.#cancelWorkWithEvent(args);
      return;
    }
    if ((pod.spec.nodeName ?? '') !== u.nodeName || !u.nodeName) return;
    const taints = this.taintedNodes.get(u.nodeName);
    if (!taints) return;
    this.processPodOnNode(args, u.nodeName, pod.spec.tolerations, taints, this.#o.clock.now());
  }

  // Upstream: taint_eviction.go (Controller.handleNodeUpdate)
  handleNodeUpdate(nodeName: string): void {
    const node = this.#store('nodes')?.getByKey(nodeName) as Node | undefined;
    if (!node) {
      this.taintedNodes.delete(nodeName);
      return;
    }
    const taints = getNoExecuteTaints(node.spec?.taints);
    if (taints.length === 0) this.taintedNodes.delete(nodeName);
    else this.taintedNodes.set(nodeName, taints);
    const pods = ((this.#store('pods')?.list() ?? []) as unknown as Pod[]).filter((p) => p.spec.nodeName === nodeName);
    if (pods.length === 0) return;
    const now = this.#o.clock.now();
    for (const p of pods) {
      const args = { namespace: p.metadata.namespace ?? '', name: p.metadata.name ?? '' };
      if (taints.length === 0) this.#cancelWorkWithEvent(args);
      else this.processPodOnNode(args, nodeName, p.spec.tolerations, taints, now);
    }
  }

  /** Records the event, marks the pod DisruptionTarget, deletes it; retried 5 times. */
  // Upstream: taint_eviction.go (deletePodHandler, addConditionAndDeletePod, emitPodDeletionEvent)
  async #deletePod(_fireAtMs: number, args: WorkArgs): Promise<Error | undefined> {
    const key = keyFromWorkArgs(args);
    void this.#recorder.event(podRef(args), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    let err: Error | undefined;
    for (let i = 0; i < retries; i++) {
      err = undefined;
      try {
        const pods = this.#o.client.coreV1().pods(args.namespace);
        const pod = (await pods.get(args.name)) as unknown as Pod;
        const cond = { type: 'DisruptionTarget', status: 'True' as const, reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' };
        if (updatePodCondition(pod, cond, rfc3339(this.#o.clock.now()))) await pods.updateStatus(pod as unknown as KubeObject);
        await pods.delete(args.name);
        break;
      } catch (e) {
        err = e as Error;
      }
    }
    this.#events.emit('tainteviction.delete', { pod: key, error: err?.message ?? '' });
    return err;
  }
}

const podRef = (a: WorkArgs): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: a.name, namespace: a.namespace } });
