/**
 * The node lifecycle controller: pkg/controller/nodelifecycle/node_lifecycle_controller.go
 * (kubernetes v1.34: `NewNodeLifecycleController`, `Run`, `monitorNodeHealth`,
 * `tryUpdateNodeHealth`, `processTaintBaseEviction`, `doNoExecuteTaintingPass`,
 * `doNoScheduleTaintingPass`, `handleDisruption`, `ComputeZoneState`, `processPod`,
 * `markNodeForTainting`, `markNodeAsReachable`, `reconcileNodeLabels`). Every 5 s it checks each
 * node's heartbeat (the Lease's renewTime or the Ready condition's lastHeartbeatTime, whichever
 * moved); a node silent for the grace period gets its conditions set Unknown, its pods marked not
 * ready, and (through a rate-limited queue per zone) the NoExecute taint the taint eviction
 * controller acts on.
 */
import { deepCopy } from '../../core/object';
import type { Node, Pod, Taint } from '../../api/core/v1';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { parseRfc3339, rfc3339 } from '../../apiserver/registry/strategy';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import { newEventRecorder, type EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import type { Timer } from '../../core/loop';
import type { KubeObject } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { newQueue } from '../../workqueue/queue';
import type { Queue } from '../../workqueue/types';
import { nodeLifecycleEvents, type NodeLifecycleEventMap } from './events';
import { getNodeCondition, getZoneKey, markPodsNotReady, recordNodeEvent, recordNodeStatusChange, swapNodeControllerTaint, taintExists, taintSetDiff, type Condition } from './node_util';
import { nodeEvictionPeriodMs, RateLimitedTimedQueue } from './rate_limited_queue';

export const UnreachableTaintTemplate: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
export const NotReadyTaintTemplate: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };

/** Which condition status gives which NoSchedule taint (Go: nodeConditionToTaintKeyStatusMap). */
export const nodeConditionToTaintKeyStatusMap: Record<string, Record<string, string>> = {
  Ready: { False: 'node.kubernetes.io/not-ready', Unknown: 'node.kubernetes.io/unreachable' },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const taintKeyToNodeCondition = new Set(Object.values(nodeConditionToTaintKeyStatusMap).flatMap((m) => Object.values(m)));

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

/** kube-controller-manager defaults (v1.34). The grace period is 50 s since v1.32 (kubernetes#126287; 40 s before). */
export const defaults = {
  nodeMonitorPeriodMs: 5000,
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};
/** Go: scheduler.NodeHealthUpdateRetry. */
const nodeHealthUpdateRetry = 5;
const labelNodeDisruptionExclusion = 'node.kubernetes.io/exclude-disruption';

export interface NodeLifecycleControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  /** `--node-monitor-period` (5 s). */
  nodeMonitorPeriodMs?: number;
  /** `--node-monitor-grace-period` (50 s). */
  nodeMonitorGracePeriodMs?: number;
  /** `--node-startup-grace-period` (60 s): for a node that never posted a Ready condition. */
  nodeStartupGracePeriodMs?: number;
  /** `--node-eviction-rate` (0.1 nodes/s per zone). */
  nodeEvictionRate?: number;
  /** `--secondary-node-eviction-rate` (0.01): a partially disrupted zone of a large cluster. */
  secondaryNodeEvictionRate?: number;
  /** `--large-cluster-size-threshold` (50). */
  largeClusterSizeThreshold?: number;
  /** `--unhealthy-zone-threshold` (0.55). */
  unhealthyZoneThreshold?: number;
  trace?: TraceRecorder;
}

interface NodeHealthData {
  probeTimestampMs: number;
  readyTransitionTimestampMs: number;
  status: Node['status'];
  lease?: KubeObject;
}

const renewTimeMs = (lease: KubeObject | undefined): number => {
  const s = (lease?.spec as { renewTime?: string } | undefined)?.renewTime;
  if (!s) return -Infinity;
  const frac = /\.(\d+)Z$/.exec(s)?.[1] ?? '0';
  return parseRfc3339(`${s.slice(0, 19)}Z`) + Number(`0.${frac}`) * 1000;
};
const taintName = (t: Taint) => `${t.key}:${t.effect}`;
const sameCondition = (a: Condition | undefined, b: Condition | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function newNodeLifecycleController(o: NodeLifecycleControllerOptions): NodeLifecycleController {
  return new NodeLifecycleController(o);
}

// Upstream: node_lifecycle_controller.go (Controller)
export class NodeLifecycleController {
  readonly nodeMonitorPeriodMs: number;
  readonly nodeMonitorGracePeriodMs: number;
  readonly nodeStartupGracePeriodMs: number;
  readonly evictionLimiterQPS: number;
  readonly secondaryEvictionLimiterQPS: number;
  readonly largeClusterThreshold: number;
  readonly unhealthyZoneThreshold: number;
  readonly knownNodeSet = new Map<string, Node>();
  readonly nodeHealthMap = new Map<string, NodeHealthData>();
  readonly zoneStates = new Map<string, ZoneState>();
  readonly zoneNoExecuteTainter = new Map<string, RateLimitedTimedQueue>();
  readonly nodesToRetry = new Set<string>();
  readonly nodeUpdateQueue: Queue<string>;
  readonly podUpdateQueue: Queue<string>;
  readonly #o: NodeLifecycleControllerOptions;
  readonly #events: EventEmitter<NodeLifecycleEventMap, Record<string, never>>;
  readonly #recorder: EventRecorder;
  #factory?: SharedInformerFactory;
  #stopped = false;
  #monitorTimer?: Timer;
  #taintTimer?: Timer;

  // Upstream: node_lifecycle_controller.go (NewNodeLifecycleController)
  constructor(o: NodeLifecycleControllerOptions) {
    this.#o = o;
    this.nodeMonitorPeriodMs = o.nodeMonitorPeriodMs ?? defaults.nodeMonitorPeriodMs;
    this.nodeMonitorGracePeriodMs = o.nodeMonitorGracePeriodMs ?? defaults.nodeMonitorGracePeriodMs;
    this.nodeStartupGracePeriodMs = o.nodeStartupGracePeriodMs ?? defaults.nodeStartupGracePeriodMs;
    this.evictionLimiterQPS = o.nodeEvictionRate ?? defaults.nodeEvictionRate;
    this.secondaryEvictionLimiterQPS = o.secondaryNodeEvictionRate ?? defaults.secondaryNodeEvictionRate;
    this.largeClusterThreshold = o.largeClusterSizeThreshold ?? defaults.largeClusterSizeThreshold;
    this.unhealthyZoneThreshold = o.unhealthyZoneThreshold ?? defaults.unhealthyZoneThreshold;
    const env = resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace });
    this.#events = new EventEmitter(nodeLifecycleEvents, env, {});
    this.#recorder = newEventRecorder(o.client, o.clock, { component: 'node-controller' });
    this.nodeUpdateQueue = newQueue<string>({ clock: o.clock, name: 'node_lifecycle_controller', trace: o.trace });
    this.podUpdateQueue = newQueue<string>({ clock: o.clock, name: 'node_lifecycle_controller_pods', trace: o.trace });
  }

  #store(resource: string) {
    return this.#factory?.forResource(resource).informer().getStore();
  }
  #getNode(name: string): Node | undefined {
    return this.#store('nodes')?.getByKey(name) as Node | undefined;
  }
  #podsAssignedToNode(name: string): Pod[] {
    return ((this.#store('pods')?.list() ?? []) as unknown as Pod[]).filter((p) => p.spec.nodeName === name);
  }

  /** Starts informers, waits for their caches, then the workers and the two loops (Go: Run). */
  // Upstream: node_lifecycle_controller.go (Controller.Run)
  async run(): Promise<void> {
    const o = this.#o;
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    f.forResource('pods').informer().addEventHandler({
      onAdd: (obj) => this.#podUpdated(undefined, obj as unknown as Pod),
      onUpdate: (old, cur) => this.#podUpdated(old as unknown as Pod, cur as unknown as Pod),
      onDelete: () => {},
    });
    f.forResource('nodes').informer().addEventHandler({
      onAdd: (obj) => this.nodeUpdateQueue.add((obj as unknown as Node).metadata.name ?? ''),
      onUpdate: (_old, cur) => this.nodeUpdateQueue.add((cur as unknown as Node).metadata.name ?? ''),
      onDelete: (obj) => void this.nodesToRetry.delete(((obj as { obj?: Node }).obj ?? (obj as Node)).metadata?.name ?? ''),
    });
    f.forResource('leases').informer();
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    void this.#nodeWorker();
    void this.#podWorker();
    this.#monitorLoop();
  }

  stop(): void {
    this.#stopped = true;
    this.#monitorTimer?.stop();
    this.#taintTimer?.stop();
    this.nodeUpdateQueue.shutDown();
    this.podUpdateQueue.shutDown();
    this.#factory?.shutdown();
  }

  // Upstream: Run (wait.UntilWithContext(monitorNodeHealth, nodeMonitorPeriod))
  #monitorLoop(): void {
    if (this.#stopped) return;
    void this.monitorNodeHealth().then(() => {
      if (!this.#stopped) this.#monitorTimer = this.#o.clock.afterFunc(this.nodeMonitorPeriodMs, () => this.#monitorLoop());
    });
  }

  /** The tainting pass runs every 100 ms; it sleeps while every zone queue is empty (nothing it could do). */
  #kickTainter(): void {
    if (this.#taintTimer || this.#stopped) return;
    this.#taintTimer = this.#o.clock.afterFunc(nodeEvictionPeriodMs, () => {
      void this.doNoExecuteTaintingPass().then(() => {
        this.#taintTimer = undefined;
        if ([...this.zoneNoExecuteTainter.values()].some((q) => q.length > 0)) this.#kickTainter();
      });
    });
  }

  // Upstream: node_lifecycle_controller.go (doNodeProcessingPassWorker)
  async #nodeWorker(): Promise<void> {
    for (;;) {
      const { item, shutdown } = await this.nodeUpdateQueue.get();
      if (shutdown) return;
      try {
        await this.doNoScheduleTaintingPass(item);
        await this.reconcileNodeLabels(item);
      } finally {
        this.nodeUpdateQueue.done(item);
      }
    }
  }

  // Upstream: node_lifecycle_controller.go (doPodProcessingWorker, processPod)
  async #podWorker(): Promise<void> {
    for (;;) {
      const { item, shutdown } = await this.podUpdateQueue.get();
      if (shutdown) return;
      try {
        const pod = this.#store('pods')?.getByKey(item) as Pod | undefined;
        const nodeName = pod?.spec.nodeName ?? '';
        const health = this.nodeHealthMap.get(nodeName);
        const ready = health && this.#getNode(nodeName) ? (health.status?.conditions ?? []).find((c) => c.type === 'Ready') : undefined;
        if (pod && ready && ready.status !== 'True') await markPodsNotReady(this.#o.client, this.#o.clock, this.#recorder, [pod], nodeName);
      } finally {
        this.podUpdateQueue.done(item);
      }
    }
  }

  // Upstream: node_lifecycle_controller.go (podUpdated)
  #podUpdated(old: Pod | undefined, pod: Pod): void {
    if (pod.spec.nodeName && (!old || old.spec.nodeName !== pod.spec.nodeName)) this.podUpdateQueue.add(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
  }

  /** The NoSchedule taints follow the conditions (and spec.unschedulable) at once, without rate limits. */
  // Upstream: node_lifecycle_controller.go (doNoScheduleTaintingPass)
  async doNoScheduleTaintingPass(nodeName: string): Promise<void> {
    const node = this.#getNode(nodeName);
    if (!node) return;
    const taints: Taint[] = [];
    for (const c of node.status?.conditions ?? []) {
      const key = nodeConditionToTaintKeyStatusMap[c.type]?.[c.status];
      if (key) taints.push({ key, effect: 'NoSchedule' });
    }
    if (node.spec?.unschedulable) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    const nodeTaints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && (t.key === 'node.kubernetes.io/unschedulable' || taintKeyToNodeCondition.has(t.key)));
    const [toAdd, toDel] = taintSetDiff(taints, nodeTaints);
    if (toAdd.length === 0 && toDel.length === 0) return;
    await this.#swap(toAdd, toDel, node);
  }

  async #swap(add: Taint[], remove: Taint[], node: Node): Promise<boolean> {
    const ok = await swapNodeControllerTaint(this.#o.client, this.#o.clock, add, remove, node);
    if (ok) this.#events.emit('nodelifecycle.taint', { node: node.metadata.name ?? '', added: add.map(taintName), removed: remove.map(taintName) });
    return ok;
  }

  /** Takes nodes off each zone's queue, as fast as the zone's limiter allows, and adds the NoExecute taint. */
  // Upstream: node_lifecycle_controller.go (doNoExecuteTaintingPass)
  async doNoExecuteTaintingPass(): Promise<void> {
    for (const q of [...this.zoneNoExecuteTainter.values()]) {
      await q.try(async (v) => {
        const node = this.#getNode(v.value);
        if (!node) return [true, 0];
        const c = getNodeCondition(node, 'Ready');
        if (!c) return [false, 50];
        let add: Taint;
        let opposite: Taint;
        if (c.status === 'False') [add, opposite] = [NotReadyTaintTemplate, UnreachableTaintTemplate];
        else if (c.status === 'Unknown') [add, opposite] = [UnreachableTaintTemplate, NotReadyTaintTemplate];
        else return [true, 0]; // ready again: nothing to taint
        return [await this.#swap([add], [opposite], node), 0];
      });
    }
  }

  /** One pass over every node: heartbeats, Unknown conditions, pods not ready, taints, zone states. */
  // Upstream: node_lifecycle_controller.go (Controller.monitorNodeHealth)
  async monitorNodeHealth(): Promise<void> {
    const nodes = ((this.#store('nodes')?.list() ?? []) as unknown as Node[]).map((n) => deepCopy(n));
    const { added, deleted, newZoneRepresentatives } = this.#classifyNodes(nodes);
    for (const n of newZoneRepresentatives) this.#addPodEvictorForNewZone(n);
    for (const n of added) {
      recordNodeEvent(this.#recorder, n, 'Normal', 'RegisteredNode', `Registered Node ${n.metadata.name ?? ''} in Controller`);
      this.#events.emit('nodelifecycle.node', { node: n.metadata.name ?? '', op: 'RegisteredNode' });
      this.knownNodeSet.set(n.metadata.name ?? '', n);
      this.#addPodEvictorForNewZone(n);
      await this.markNodeAsReachable(n);
    }
    for (const n of deleted) {
      recordNodeEvent(this.#recorder, n, 'Normal', 'RemovingNode', `Removing Node ${n.metadata.name ?? ''} from Controller`);
      this.#events.emit('nodelifecycle.node', { node: n.metadata.name ?? '', op: 'RemovingNode' });
      this.knownNodeSet.delete(n.metadata.name ?? '');
    }
    const zoneToNodeConditions = new Map<string, (Condition | undefined)[]>();
    for (let node of nodes) {
      const name = node.metadata.name ?? '';
      let result: { observed: Condition; current?: Condition } | undefined;
      for (let i = 0; i < nodeHealthUpdateRetry && !result; i++) {
        try {
          result = await this.tryUpdateNodeHealth(node);
        } catch {
          try {
            node = (await this.#o.client.coreV1().nodes().get(name)) as unknown as Node;
          } catch {
            break; // probably deleted: skip it, no pods are evicted
          }
        }
      }
      if (!result) continue;
      const { observed, current } = result;
      if (!(labelNodeDisruptionExclusion in (node.metadata.labels ?? {}))) {
        const zone = getZoneKey(node);
        zoneToNodeConditions.set(zone, [...(zoneToNodeConditions.get(zone) ?? []), current]);
      }
      if (current) {
        const pods = this.#podsAssignedToNode(name);
        await this.processTaintBaseEviction(node, observed);
        const becameNotReady = current.status !== 'True' && observed.status === 'True';
        if (becameNotReady) recordNodeStatusChange(this.#recorder, node, 'NodeNotReady');
        if (becameNotReady || (this.nodesToRetry.has(name) && observed.status !== 'True')) {
          const errs = await markPodsNotReady(this.#o.client, this.#o.clock, this.#recorder, pods, name);
          this.#events.emit('nodelifecycle.markPodsNotReady', { node: name, pods: pods.length });
          if (errs.length > 0) {
            this.nodesToRetry.add(name);
            continue;
          }
        }
      }
      this.nodesToRetry.delete(name);
    }
    this.#handleDisruption(zoneToNodeConditions, nodes);
  }

  /**
   * Updates the node's health record from its Ready condition and its Lease; past the grace
   * period, sets Ready, MemoryPressure, DiskPressure and PIDPressure Unknown and writes the status.
   * Returns the Ready condition as observed and as it is now.
   */
  // Upstream: node_lifecycle_controller.go (Controller.tryUpdateNodeHealth)
  async tryUpdateNodeHealth(node: Node): Promise<{ observed: Condition; current?: Condition }> {
    const name = node.metadata.name ?? '';
    const now = this.#o.clock.now();
    const nowStr = rfc3339(now);
    const created = node.metadata.creationTimestamp ?? nowStr;
    let health = this.nodeHealthMap.get(name);
    let current = getNodeCondition(node, 'Ready');
    let observed: Condition;
    let gracePeriodMs: number;
    if (!current) {
      // The kubelet never posted a status: a fake condition dated at the node's creation.
      observed = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: created, lastTransitionTime: created };
      gracePeriodMs = this.nodeStartupGracePeriodMs;
      if (health) health.status = node.status;
      else health = { status: node.status, probeTimestampMs: parseRfc3339(created), readyTransitionTimestampMs: parseRfc3339(created) };
    } else {
      observed = { ...current };
      gracePeriodMs = this.nodeMonitorGracePeriodMs;
    }
    const saved = health ? ((health.status?.conditions ?? []).find((c) => c.type === 'Ready') as Condition | undefined) : undefined;
    const savedLease = health?.lease;
    const fresh = (transitionMs: number): NodeHealthData => ({ status: node.status, probeTimestampMs: now, readyTransitionTimestampMs: transitionMs });
    if (!health) health = fresh(now);
    else if (!saved && current) health = fresh(now);
    else if (saved && !current) health = fresh(now);
    else if (saved && current && saved.lastHeartbeatTime !== current.lastHeartbeatTime) {
      health = fresh(saved.lastTransitionTime !== current.lastTransitionTime ? now : health.readyTransitionTimestampMs);
    }
    // A renewed lease always counts as a heartbeat.
    const observedLease = this.#store('leases')?.getByKey(`kube-node-lease/${name}`) as KubeObject | undefined;
    if (observedLease && (!savedLease || renewTimeMs(savedLease) < renewTimeMs(observedLease))) {
      health.lease = observedLease;
      health.probeTimestampMs = now;
    }
    try {
      if (now > health.probeTimestampMs + gracePeriodMs) {
        const conditions = ((node.status ??= {}).conditions ??= []) as Condition[];
        for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
          const c = conditions.find((x) => x.type === type);
          if (!c) {
            conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: created, lastTransitionTime: nowStr });
          } else if (c.status !== 'Unknown') {
            Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: nowStr });
          }
        }
        current = getNodeCondition(node, 'Ready');
        if (!sameCondition(current, observed)) {
          await this.#o.client.coreV1().nodes().updateStatus(node as unknown as KubeObject);
          this.#events.emit('nodelifecycle.unknown', { node: name, sinceProbeMs: now - health.probeTimestampMs, gracePeriodMs });
          health = { status: node.status, probeTimestampMs: health.probeTimestampMs, readyTransitionTimestampMs: now, lease: observedLease };
        }
      }
    } finally {
      this.nodeHealthMap.set(name, health);
    }
    return { observed, current };
  }

  /** Queues a NotReady / Unknown node for its NoExecute taint, swaps the two at once, or clears them when Ready. */
  // Upstream: node_lifecycle_controller.go (Controller.processTaintBaseEviction)
  async processTaintBaseEviction(node: Node, observed: Condition): Promise<void> {
    const taints = node.spec?.taints;
    if (observed.status === 'False') {
      if (taintExists(taints, UnreachableTaintTemplate)) await this.#swap([NotReadyTaintTemplate], [UnreachableTaintTemplate], node);
      else this.#markNodeForTainting(node, 'False');
    } else if (observed.status === 'Unknown') {
      if (taintExists(taints, NotReadyTaintTemplate)) await this.#swap([UnreachableTaintTemplate], [NotReadyTaintTemplate], node);
      else this.#markNodeForTainting(node, 'Unknown');
    } else if (observed.status === 'True') {
      await this.markNodeAsReachable(node);
    }
  }

  // Upstream: node_lifecycle_controller.go (Controller.markNodeForTainting)
  #markNodeForTainting(node: Node, status: 'False' | 'Unknown'): boolean {
    const q = this.zoneNoExecuteTainter.get(getZoneKey(node));
    if (!q) return false;
    const name = node.metadata.name ?? '';
    if (status === 'False' && !taintExists(node.spec?.taints, NotReadyTaintTemplate)) q.remove(name);
    if (status === 'Unknown' && !taintExists(node.spec?.taints, UnreachableTaintTemplate)) q.remove(name);
    const added = q.add(name, node.metadata.uid ?? '');
    this.#kickTainter();
    return added;
  }

  /** Removes both NoExecute taints and takes the node off its zone's queue. */
  // Upstream: node_lifecycle_controller.go (Controller.markNodeAsReachable), controller_utils.go (RemoveTaintOffNode)
  async markNodeAsReachable(node: Node): Promise<boolean> {
    for (const t of [UnreachableTaintTemplate, NotReadyTaintTemplate]) {
      if (taintExists(node.spec?.taints, t) && !(await this.#swap([], [t], node))) return false;
    }
    return this.zoneNoExecuteTainter.get(getZoneKey(node))?.remove(node.metadata.name ?? '') ?? false;
  }

  // Upstream: node_lifecycle_controller.go (Controller.classifyNodes)
  #classifyNodes(all: Node[]): { added: Node[]; deleted: Node[]; newZoneRepresentatives: Node[] } {
    const added: Node[] = [];
    const newZoneRepresentatives: Node[] = [];
    for (const n of all) {
      if (!this.knownNodeSet.has(n.metadata.name ?? '')) added.push(n);
      else if (!this.zoneStates.has(getZoneKey(n))) newZoneRepresentatives.push(n);
    }
    const names = new Set(all.map((n) => n.metadata.name ?? ''));
    const deleted = [...this.knownNodeSet.values()].filter((n) => !names.has(n.metadata.name ?? ''));
    return { added, deleted, newZoneRepresentatives };
  }

  // Upstream: node_lifecycle_controller.go (Controller.addPodEvictorForNewZone)
  #addPodEvictorForNewZone(node: Node): void {
    const zone = getZoneKey(node);
    if (this.zoneStates.has(zone)) return;
    this.zoneStates.set(zone, 'Initial');
    this.zoneNoExecuteTainter.set(zone, new RateLimitedTimedQueue(this.#o.clock, this.evictionLimiterQPS));
    this.#events.emit('nodelifecycle.zoneState', { zone, state: 'Initial', qps: this.evictionLimiterQPS });
  }

  /** Full disruption when no node of the zone is Ready; partial when more than 2 and at least the threshold are not. */
  // Upstream: node_lifecycle_controller.go (Controller.ComputeZoneState)
  computeZoneState(conditions: readonly (Condition | undefined)[]): [number, ZoneState] {
    let ready = 0;
    let notReady = 0;
    for (const c of conditions) {
      if (c?.status === 'True') ready++;
      else notReady++;
    }
    if (ready === 0 && notReady > 0) return [notReady, 'FullDisruption'];
    if (notReady > 2 && notReady / (notReady + ready) >= this.unhealthyZoneThreshold) return [notReady, 'PartialDisruption'];
    return [notReady, 'Normal'];
  }

  // Upstream: node_lifecycle_controller.go (HealthyQPSFunc, ReducedQPSFunc, setLimiterInZone)
  #qpsFor(state: ZoneState, zoneSize: number): number {
    if (state === 'Normal') return this.evictionLimiterQPS;
    if (state === 'PartialDisruption') return zoneSize > this.largeClusterThreshold ? this.secondaryEvictionLimiterQPS : 0;
    if (state === 'FullDisruption') return this.evictionLimiterQPS;
    return this.evictionLimiterQPS;
  }

  #setZoneState(zone: string, state: ZoneState, qps: number): void {
    this.zoneNoExecuteTainter.get(zone)?.swapLimiter(qps);
    if (this.zoneStates.get(zone) !== state) this.#events.emit('nodelifecycle.zoneState', { zone, state, qps });
    this.zoneStates.set(zone, state);
  }

  /** Zone states decide the eviction rate; when every zone is fully disrupted (the control plane's own fault?), evictions stop. */
  // Upstream: node_lifecycle_controller.go (Controller.handleDisruption)
  #handleDisruption(zoneToNodeConditions: Map<string, (Condition | undefined)[]>, nodes: Node[]): void {
    const newZoneStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, conds] of zoneToNodeConditions) {
      const [, state] = this.computeZoneState(conds);
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
      newZoneStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!zoneToNodeConditions.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    if (allAreFullyDisrupted) {
      // Entering master disruption mode: untaint everything, stop all evictions.
      for (const n of nodes) void this.markNodeAsReachable(n);
      for (const zone of this.zoneStates.keys()) this.#setZoneState(zone, 'FullDisruption', 0);
      return;
    }
    if (allWasFullyDisrupted) {
      // Exiting it: every node gets a fresh probe timestamp, and each zone its limiter.
      const now = this.#o.clock.now();
      for (const n of nodes) {
        const h = this.nodeHealthMap.get(n.metadata.name ?? '');
        if (h) Object.assign(h, { probeTimestampMs: now, readyTransitionTimestampMs: now });
      }
      for (const zone of this.zoneStates.keys()) {
        const state = newZoneStates.get(zone) ?? 'Normal';
        this.#setZoneState(zone, state, this.#qpsFor(state, zoneToNodeConditions.get(zone)?.length ?? 0));
      }
      return;
    }
    for (const [zone, state] of [...this.zoneStates]) {
      const next = newZoneStates.get(zone) ?? state;
      if (next === state) continue;
      this.#setZoneState(zone, next, this.#qpsFor(next, zoneToNodeConditions.get(zone)?.length ?? 0));
    }
  }

  /** Keeps beta.kubernetes.io/os and /arch equal to the stable labels. */
  // Upstream: node_lifecycle_controller.go (Controller.reconcileNodeLabels)
  async reconcileNodeLabels(nodeName: string): Promise<void> {
    const node = this.#getNode(nodeName);
    const labels = node?.metadata.labels;
    if (!node || !labels) return;
    const update: Record<string, string> = {};
    for (const [primary, secondary] of [['kubernetes.io/os', 'beta.kubernetes.io/os'], ['kubernetes.io/arch', 'beta.kubernetes.io/arch']]) {
      if (!(primary in labels)) continue;
      if (labels[secondary] !== labels[primary]) update[secondary] = labels[primary];
    }
    if (Object.keys(update).length === 0) return;
    try {
      await this.#o.client.coreV1().nodes().patch(nodeName, 'application/strategic-merge-patch+json', { metadata: { labels: update } });
    } catch {
      // Go logs and does not requeue.
    }
  }
}
