/**
 * kube-scheduler running against the API server model: pkg/scheduler/scheduler.go (`New`,
 * `Run`), eventhandlers.go (`addAllEventHandlers`, `addPodToSchedulingQueue`,
 * `updatePodInSchedulingQueue`, `addPodToCache`, `addNodeToCache`, `updateNodeInCache`,
 * `nodeSchedulingPropertiesChange`) and schedule_one.go (`ScheduleOne`, `schedulingCycle`,
 * `bindingCycle`, `handleBindingCycleError`, `handleSchedulingFailure`, `updatePod`) at v1.34.
 * Informers feed the cache and the queue; each cycle runs synchronously on a snapshot; binding
 * runs on: through the API server's pods/binding subresource, while the next cycle already
 * counts the assumed pod.
 */
import type { Node, Pod } from '../api/core/v1';
import { newSharedInformerFactory, type SharedInformerFactory } from '../cache/informer_factory';
import { listerWatcherFor } from '../client/clientset';
import { DeletedFinalStateUnknown } from '../cache/keys';
import type { Clientset } from '../client/clientset';
import type { FakeClock } from '../core/clock';
import type { Rng } from '../core/rng';
import { EventEmitter } from '../core/events';
import { resolveEnv } from '../core/env';
import { runComponentElection, type ComponentElection, type ComponentLeaderElection } from '../client/leaderelection/component';
import type { TraceRecorder } from '../core/trace';
import { cycleEventFields, schedulerEvents, type SchedulerEventMap } from './events';
import type { KubeObject } from '../core/object';
import { rfc3339 } from '../apiserver/registry/strategy';
import { setDefaults } from './config/defaults';
import type { KubeSchedulerConfiguration } from './config/types';
import { SchedulerConfigError, validateKubeSchedulerConfiguration } from './config/validation';
import { ActionType, type ClusterEvent } from './framework/events';
import { CycleState } from './framework/cycle_state';
import { Diagnosis, ErrNoNodesAvailable, FitError } from './framework/diagnosis';
import type { Handle, ObjectListers, PostFilterResult, QueuedPodInfo, Registry } from './framework/interface';
import { Framework } from './framework/runtime/framework';
import { newCycleRecord, type CycleRecord } from './framework/runtime/record';
import { asError, asStatus, isRejected, isSuccess, newStatus, Status, type MaybeStatus } from './framework/status';
import { PodInfo } from './framework/types';
import { PriorityQueue, flushBackoffQPeriodMs, flushUnschedulablePeriodMs, type QueueEvent, type QueueingHintEntry } from './backend/queue/scheduling_queue';
import { SchedulerCache } from './backend/cache/cache';
import { Snapshot } from './backend/cache/snapshot';
import { schedulePod, type ScheduleContext } from './schedule_one';
import { Nominator } from './backend/queue/nominator';
import { hostStopwatchFn } from './stopwatch';

/** Go: `validation.NoteLengthLimit`: an event's note is cut to 1 KiB. */
export const NoteLengthLimit = 1024;

export interface SchedulerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  /** The in-tree registry plus any out-of-tree (learner) plugins. */
  registry: Registry;
  config?: KubeSchedulerConfiguration;
  /** Wall-clock ms for plugin timings in records (display only). */
  stopwatch?: () => number;
  /** Time plugins with the stopwatch the host lends (the lab's wall clock). */
  timings?: boolean;
  /** Keep this many cycle records (default 200); 0 records nothing (benchmarks). */
  maxRecords?: number;
  /** Told of queue moves and cycle outcomes (traces, views). */
  onEvent?: (e: SchedulerEvent) => void;
  /** Where trace events go (default: the environment's, as every model). */
  trace?: TraceRecorder;
  /** At most this many nodes in a cycle event's table (default 200; the rest are counted). */
  maxTraceRows?: number;
  /**
   * KubeSchedulerConfiguration `leaderElection` (issue 14): with `leaderElect`, `start()` schedules
   * only while this instance holds the kube-system/kube-scheduler Lease. Omitted: no election
   * (upstream defaults leaderElect to true; a lone scheduler wins at once, so labs leave it off).
   */
  leaderElection?: ComponentLeaderElection & { seed?: number | string };
}

export type SchedulerEvent =
  | ({ kind: 'queue'; t: number } & QueueEvent)
  | { kind: 'cycle'; t: number; record: CycleRecord }
  | { kind: 'bound'; t: number; pod: string; node: string }
  | { kind: 'bindFailed'; t: number; pod: string; node: string; message: string };

/** The object of a delete, unwrapping a tombstone (Go: `cache.DeletedFinalStateUnknown`). */
function finalState(obj: unknown): unknown {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

function podKey(p: Pod): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? ''}`;
}

/** Go: `nodeSchedulingPropertiesChange`: which Update actions a node change amounts to. */
export function nodeSchedulingPropertiesChange(oldNode: Node, newNode: Node): number {
  let a = 0;
  const j = (v: unknown) => JSON.stringify(v ?? null);
  if (!!oldNode.spec?.unschedulable !== !!newNode.spec?.unschedulable && !newNode.spec?.unschedulable) a |= ActionType.UpdateNodeTaint;
  if (j(oldNode.status?.allocatable) !== j(newNode.status?.allocatable)) a |= ActionType.UpdateNodeAllocatable;
  if (j(oldNode.metadata.labels) !== j(newNode.metadata.labels)) a |= ActionType.UpdateNodeLabel;
  if (j(oldNode.spec?.taints) !== j(newNode.spec?.taints)) a |= ActionType.UpdateNodeTaint;
  const conds = (n: Node) => j((n.status?.conditions ?? []).map((c) => [c.type, c.status]));
  if (conds(oldNode) !== conds(newNode)) a |= ActionType.UpdateNodeCondition;
  if (j(oldNode.metadata.annotations) !== j(newNode.metadata.annotations)) a |= ActionType.UpdateNodeAnnotation;
  return a;
}

export class Scheduler {
  readonly config: KubeSchedulerConfiguration;
  readonly profiles = new Map<string, Framework>();
  readonly queue: PriorityQueue;
  readonly cache = new SchedulerCache();
  readonly snapshot = new Snapshot();
  readonly nominator = new Nominator();
  readonly records: CycleRecord[] = [];
  readonly #o: SchedulerOptions;
  readonly #ctx: ScheduleContext;
  #factory?: SharedInformerFactory;
  #timers: { stop(): void }[] = [];
  #kicked = false;
  #stopped = false;
  /** Binding cycles still running. */
  readonly inFlightBindings = new Set<Promise<void>>();
  readonly #events: EventEmitter<SchedulerEventMap, Record<string, never>>;

  /** Go: `scheduler.New`. Throws SchedulerConfigError for an invalid configuration. */
  constructor(o: SchedulerOptions) {
    this.#o = o;
    this.#events = new EventEmitter(schedulerEvents, resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace }), {});
    this.config = setDefaults(o.config ?? {}, o.registry);
    const errs = validateKubeSchedulerConfiguration(this.config, o.registry);
    if (errs.length) throw new SchedulerConfigError(errs.map((e) => e.message));
    const handle = this.#handle();
    (this.config.profiles ?? []).forEach((p, i) => {
      const stopwatch = o.stopwatch ?? (o.timings ? hostStopwatchFn() : undefined);
      this.profiles.set(p.schedulerName!, new Framework(p, { registry: o.registry, handle, path: `profiles[${i}]`, stopwatch, percentageOfNodesToScore: this.config.percentageOfNodesToScore }));
    });
    const first = this.profiles.values().next().value!;
    const hints = new Map<string, QueueingHintEntry[]>();
    for (const [name, fwk] of this.profiles) {
      const list: QueueingHintEntry[] = [];
      for (const [pluginName, events] of fwk.eventsToRegister()) for (const e of events ?? []) list.push({ event: e.event, pluginName, fn: e.queueingHintFn });
      hints.set(name, list);
    }
    this.queue = new PriorityQueue({
      clock: o.clock,
      lessFn: first.queueSortFunc(),
      podInitialBackoffMs: (this.config.podInitialBackoffSeconds ?? 1) * 1000,
      podMaxBackoffMs: (this.config.podMaxBackoffSeconds ?? 10) * 1000,
      preEnqueue: (pod) => this.profiles.get(pod.spec.schedulerName ?? 'default-scheduler')?.runPreEnqueuePlugins(pod) ?? null,
      queueingHints: hints,
      onEvent: (e) => {
        this.#events.emit('scheduler.queue', { pod: e.pod, op: e.type, from: e.from ?? '', to: e.to ?? '', event: e.event ?? '', until: e.until ?? 0 });
        o.onEvent?.({ kind: 'queue', t: o.clock.now(), ...e });
      },
    });
    this.#ctx = { snapshot: this.snapshot, extenders: this.config.extenders ?? [], percentageOfNodesToScore: this.config.percentageOfNodesToScore ?? 0, nextStartNodeIndex: 0, rng: o.rng.fork('selectHost') };
  }

  /** The informers' stores as the listers plugins read (Go: the SharedInformerFactory's listers). */
  #listers(): ObjectListers {
    const store = (r: string) => this.#factory?.forResource(r).informer().getStore();
    const list = (r: string) => ((store(r)?.list() ?? []) as KubeObject[]);
    const inNs = (r: string, ns?: string) => list(r).filter((o) => ns === undefined || (o.metadata.namespace ?? '') === ns);
    return {
      namespaces: () => list('namespaces') as never,
      getNamespace: (name) => store('namespaces')?.getByKey(name) as never,
      persistentVolumes: () => list('persistentvolumes') as never,
      persistentVolumeClaims: (ns) => inNs('persistentvolumeclaims', ns) as never,
      getPersistentVolumeClaim: (ns, name) => store('persistentvolumeclaims')?.getByKey(`${ns}/${name}`) as never,
      storageClasses: () => list('storageclasses') as never,
      podDisruptionBudgets: (ns) => inNs('poddisruptionbudgets', ns) as never,
      pods: () => list('pods') as never,
      // PodTopologySpread's system defaults select like the pod's Services and ReplicaSets (helper.DefaultSelector).
      services: (ns: string) => inNs('services', ns),
      replicaSets: (ns: string) => ((this.#factory?.forResource({ group: 'apps', version: 'v1', resource: 'replicasets' }).informer().getStore().list() ?? []) as KubeObject[]).filter((o) => (o.metadata.namespace ?? '') === ns),
    } as ObjectListers;
  }

  #handle(): Handle & { activate(pods: Pod[]): void } {
    const rng = this.#o.rng.fork('plugins');
    return {
      snapshotSharedLister: () => this.snapshot,
      listers: () => this.#listers(),
      nominatedPodsForNode: (n) => this.nominator.nominatedPodsForNode(n),
      rng: () => rng,
      parallelism: () => this.config.parallelism ?? 16,
      bindPod: async (pod, nodeName) => {
        await this.#o.client.coreV1().pods(pod.metadata.namespace ?? 'default').bind({
          apiVersion: 'v1', kind: 'Binding', metadata: { namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid }, target: { kind: 'Node', name: nodeName },
        } as KubeObject);
      },
      // Go: preemption's PrepareCandidate: the DisruptionTarget condition first, then the delete, then the victim's event.
      deletePod: async (pod, why) => {
        const pods = this.#o.client.coreV1().pods(pod.metadata.namespace ?? 'default');
        const reason = why as { message: string; reason?: string; condition?: Record<string, unknown> };
        if (reason.condition) {
          const condition = { ...reason.condition, lastTransitionTime: rfc3339(this.#o.clock.now()) };
          await pods.patch(pod.metadata.name ?? '', 'application/strategic-merge-patch+json', { status: { conditions: [condition] } }, undefined, 'status').catch(() => undefined);
        }
        await pods.delete(pod.metadata.name ?? '');
        await this.#event(pod, 'Normal', reason.reason ?? 'Preempted', 'Preempting', reason.message);
      },
      activate: (pods: Pod[]) => {
        for (const p of pods) this.queue.activate(p);
        this.#kick();
      },
      // R1 (wt-pv): VolumeBinding's PreBind (BindPodVolumes: bindAPIUpdate, then checkBindings every second).
      updateVolumeObject: async (obj) => {
        const claim = Boolean(obj.metadata.namespace);
        const rc = this.#o.client.dynamic().resource({ group: '', version: 'v1', resource: claim ? 'persistentvolumeclaims' : 'persistentvolumes' });
        const body = { apiVersion: 'v1', kind: claim ? 'PersistentVolumeClaim' : 'PersistentVolume', ...obj } as unknown as KubeObject;
        return (await (claim ? rc.namespace(obj.metadata.namespace ?? '') : rc).update(body)) as never;
      },
      sleep: (ms) => this.#o.clock.sleep(ms),
      clearNominatedNodeName: async (pod) => {
        await this.#o.client.coreV1().pods(pod.metadata.namespace ?? 'default').patch(pod.metadata.name ?? '', 'application/merge-patch+json', { status: { nominatedNodeName: null } }, undefined, 'status');
      },
    };
  }

  frameworkForPod(pod: Pod): Framework | undefined {
    return this.profiles.get(pod.spec.schedulerName ?? 'default-scheduler');
  }

  #responsibleFor(pod: Pod): boolean {
    return this.profiles.has(pod.spec.schedulerName ?? 'default-scheduler');
  }

  /** The election this scheduler runs in (with `leaderElection.leaderElect`). */
  election: ComponentElection | undefined;

  /** Go: app/server.go `Run`: under leader election when configured, else at once. */
  start(): void {
    const le = this.#o.leaderElection;
    if (!le?.leaderElect) return this.#run();
    // Upstream: cmd/kube-scheduler/app/server.go (Run), options/options.go (makeLeaderElectionConfig: ReleaseOnCancel, events as the first profile's scheduler)
    this.election = runComponentElection({
      ...le,
      client: this.#o.client,
      clock: this.#o.clock,
      seed: le.seed ?? this.#o.rng.key,
      component: 'kube-scheduler',
      eventSource: this.config.profiles?.[0]?.schedulerName ?? 'default-scheduler',
      releaseOnCancel: true,
      trace: this.#o.trace,
      onStartedLeading: () => this.#run(),
      onStoppedLeading: () => this.#halt(),
    });
  }

  /** Go: `Scheduler.Run` + `addAllEventHandlers`: start informers, the queue's flush loops, and scheduling. */
  #run(): void {
    const o = this.#o;
    this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') });
    const pods = this.#factory.forResource('pods').informer();
    const nodes = this.#factory.forResource('nodes').informer();
    for (const r of ['namespaces', 'persistentvolumes', 'persistentvolumeclaims', 'storageclasses', 'poddisruptionbudgets', 'services']) this.#factory.forResource(r);
    this.#factory.forResource({ group: 'apps', version: 'v1', resource: 'replicasets' });
    pods.addEventHandler({
      onAdd: (obj) => this.#onPodAdd(obj as unknown as Pod),
      onUpdate: (oldObj, newObj) => this.#onPodUpdate(oldObj as unknown as Pod, newObj as unknown as Pod),
      onDelete: (obj) => this.#onPodDelete(finalState(obj) as unknown as Pod),
    });
    nodes.addEventHandler({
      onAdd: (obj) => {
        this.cache.addNode(obj as unknown as Node);
        this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add }, undefined, obj);
        this.#kick();
      },
      onUpdate: (oldObj, newObj) => {
        this.cache.updateNode(oldObj as unknown as Node, newObj as unknown as Node);
        const a = nodeSchedulingPropertiesChange(oldObj as unknown as Node, newObj as unknown as Node);
        if (a) this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: a }, oldObj, newObj);
        this.#kick();
      },
      onDelete: (obj) => this.cache.removeNode(finalState(obj) as unknown as Node),
    });
    this.#factory.start();
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (this.#stopped) return;
        fn();
        this.#kick();
        this.#timers.push(o.clock.afterFunc(ms, tick));
      };
      this.#timers.push(o.clock.afterFunc(ms, tick));
    };
    every(flushBackoffQPeriodMs, () => this.queue.flushBackoffQCompleted());
    every(flushUnschedulablePeriodMs, () => this.queue.flushUnschedulablePodsLeftover());
  }

  stop(): void {
    this.election?.stop();
    this.#halt();
  }

  #halt(): void {
    this.#stopped = true;
    for (const t of this.#timers) t.stop();
    this.#factory?.shutdown();
  }

  #onPodAdd(pod: Pod): void {
    if (pod.spec.nodeName) {
      this.cache.addPod(pod);
      this.nominator.deleteNominatedPodIfExists(pod);
      this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Pod', actionType: ActionType.Add }, undefined, pod);
    } else if (this.#responsibleFor(pod) && !pod.metadata.deletionTimestamp) {
      this.queue.add(pod);
      const nnn = pod.status?.nominatedNodeName;
      if (nnn) this.nominator.addNominatedPod(new PodInfo(pod), nnn);
    }
    this.#kick();
  }

  #onPodUpdate(oldPod: Pod, newPod: Pod): void {
    if (newPod.spec.nodeName) {
      if (!oldPod.spec.nodeName) {
        // Bound since we last saw it: out of the queue, into the cache.
        this.queue.delete(newPod);
        this.nominator.deleteNominatedPodIfExists(newPod);
        this.cache.addPod(newPod);
      } else {
        this.cache.updatePod(oldPod, newPod);
      }
      this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Pod', actionType: ActionType.UpdatePodLabel | ActionType.UpdatePodScaleDown }, oldPod, newPod);
    } else if (this.#responsibleFor(newPod)) {
      if (newPod.metadata.deletionTimestamp) return;
      if (this.cache.podStates.has(newPod.metadata.uid ?? '')) return; // assumed: the update is our own in flight
      this.queue.update(oldPod, newPod);
    }
    this.#kick();
  }

  #onPodDelete(pod: Pod): void {
    if (pod.spec.nodeName || this.cache.podStates.has(pod.metadata.uid ?? '')) {
      this.cache.removePod(pod);
      this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Pod', actionType: ActionType.Delete }, pod, undefined);
    } else {
      this.queue.delete(pod);
      this.nominator.deleteNominatedPodIfExists(pod);
    }
    this.#kick();
  }

  /**
   * Empties the queue once the current informer handlers are done: in a microtask, so no virtual
   * time passes (upstream's ScheduleOne loop is already waiting in Pop).
   */
  #kick(): void {
    if (this.#kicked || this.#stopped) return;
    this.#kicked = true;
    void Promise.resolve().then(() => {
      this.#kicked = false;
      this.scheduleAll();
    });
  }

  /** Runs ScheduleOne until activeQ (and, with nothing active, backoffQ) is empty. */
  scheduleAll(): number {
    let n = 0;
    // Each pod queued now gets one cycle: a pod that fails and goes straight back to a queue waits
    // for the next kick (the 1 s backoff flush at the latest) instead of spinning in this loop
    // without virtual time passing.
    const budget = this.queue.activeQ.size + this.queue.backoffQ.size;
    while (!this.#stopped && n < budget && this.queue.activeQ.size + this.queue.backoffQ.size > 0) {
      if (!this.scheduleOne()) break;
      n++;
    }
    return n;
  }

  /** Go: `ScheduleOne`: one scheduling cycle, then the binding cycle in the background. */
  scheduleOne(): boolean {
    const qp = this.queue.pop();
    if (!qp) return false;
    const pod = qp.podInfo.pod;
    const fwk = this.frameworkForPod(pod);
    if (!fwk) {
      this.queue.done(pod);
      return true;
    }
    const rec = this.#o.maxRecords === 0 ? undefined : newCycleRecord(podKey(pod), fwk.profileName);
    const state = new CycleState();
    this.cache.updateSnapshot(this.snapshot);
    const [result, assumed, status] = this.#schedulingCycle(state, fwk, qp, rec);
    if (!isSuccess(status)) {
      if (rec) {
        rec.result = isRejected(status) ? 'Unschedulable' : 'Error';
        rec.message = status!.message();
      }
      this.#record(rec, result.nominatingInfo?.nominatedNodeName ?? '');
      this.#handleSchedulingFailure(fwk, assumed, status!, result.nominatingInfo);
      return true;
    }
    if (rec) {
      rec.result = 'Scheduled';
      rec.selectedNode = result.suggestedHost;
    }
    this.#record(rec);
    const p = this.#bindingCycle(state, fwk, result.suggestedHost, assumed, rec).finally(() => this.inFlightBindings.delete(p));
    this.inFlightBindings.add(p);
    return true;
  }

  #record(rec: CycleRecord | undefined, nominated = ''): void {
    if (!rec) return;
    if (this.#events.recording) this.#emitCycle(rec, nominated);
    this.records.push(rec);
    const max = this.#o.maxRecords ?? 200;
    if (this.records.length > max) this.records.splice(0, this.records.length - max);
    this.#o.onEvent?.({ kind: 'cycle', t: this.#o.clock.now(), record: rec });
  }

  #emitCycle(rec: CycleRecord, nominated: string): void {
    const weights = this.profiles.get(rec.profile)?.scorePluginWeight ?? new Map<string, number>();
    this.#events.emit('scheduler.cycle', cycleEventFields(rec, weights, this.snapshot, this.#o.maxTraceRows ?? 200, nominated));
  }

  /** Go: `schedulingCycle`. */
  #schedulingCycle(state: CycleState, fwk: Framework, qp: QueuedPodInfo, rec?: CycleRecord): [{ suggestedHost: string; nominatingInfo: PostFilterResult['nominatingInfo'] }, QueuedPodInfo, MaybeStatus] {
    const pod = qp.podInfo.pod;
    const clear = { nominatedNodeName: '', nominatingMode: 'ModeOverride' as const };
    let host: string;
    try {
      host = schedulePod(this.#ctx, fwk, state, pod, rec).suggestedHost;
    } catch (err) {
      if ((err as Error).message === ErrNoNodesAvailable && !(err instanceof FitError)) {
        return [{ suggestedHost: '', nominatingInfo: clear }, qp, newStatus('UnschedulableAndUnresolvable').withError(err as Error)];
      }
      if (!(err instanceof FitError)) return [{ suggestedHost: '', nominatingInfo: clear }, qp, asStatus(err)];
      if (!fwk.hasPostFilterPlugins()) return [{ suggestedHost: '', nominatingInfo: null }, qp, newStatus('Unschedulable').withError(err)];
      const [result, status] = fwk.runPostFilterPlugins(state, pod, err.diagnosis.nodeToStatus, rec);
      err.diagnosis.postFilterMsg = status.message();
      qp.unschedulablePlugins = new Set(err.diagnosis.unschedulablePlugins);
      qp.pendingPlugins = new Set(err.diagnosis.pendingPlugins);
      return [{ suggestedHost: '', nominatingInfo: result?.nominatingInfo ?? null }, qp, newStatus('Unschedulable').withError(err)];
    }
    // Assume: the cache counts the pod on its node before the API server hears of it.
    const assumedPod: Pod = { ...pod, spec: { ...pod.spec, nodeName: host } };
    const assumed: QueuedPodInfo = { ...qp, podInfo: new PodInfo(assumedPod) };
    try {
      this.cache.assumePod(assumedPod);
    } catch (e) {
      return [{ suggestedHost: host, nominatingInfo: clear }, assumed, asStatus(e)];
    }
    this.nominator.deleteNominatedPodIfExists(pod);
    const rejectedHere = (s: Status): MaybeStatus => {
      const d = new Diagnosis();
      d.nodeToStatus.set(host, s);
      d.addPluginStatus(s);
      assumed.unschedulablePlugins = new Set(d.unschedulablePlugins);
      return newStatus(s.code).withError(new FitError(pod.metadata.name ?? '', 1, d));
    };
    const rs = fwk.runReservePluginsReserve(state, assumedPod, host, rec);
    if (!isSuccess(rs)) {
      fwk.runReservePluginsUnreserve(state, assumedPod, host);
      this.cache.forgetPod(assumedPod);
      return [{ suggestedHost: host, nominatingInfo: clear }, assumed, isRejected(rs) ? rejectedHere(rs!) : rs];
    }
    const [ps, waits] = fwk.runPermitPlugins(state, assumedPod, host, rec);
    if (ps && ps.code !== 'Wait' && !isSuccess(ps)) {
      fwk.runReservePluginsUnreserve(state, assumedPod, host);
      this.cache.forgetPod(assumedPod);
      return [{ suggestedHost: host, nominatingInfo: clear }, assumed, isRejected(ps) ? rejectedHere(ps) : ps];
    }
    state.write('kubelab/permitWaits', waits);
    return [{ suggestedHost: host, nominatingInfo: null }, assumed, null];
  }

  /** Go: `bindingCycle`: WaitOnPermit, PreBind, Bind, PostBind. */
  async #bindingCycle(state: CycleState, fwk: Framework, host: string, assumed: QueuedPodInfo, rec?: CycleRecord): Promise<void> {
    const pod = assumed.podInfo.pod;
    const waits = state.tryRead<Map<string, number>>('kubelab/permitWaits');
    let status: MaybeStatus = null;
    if (waits && waits.size) {
      // Go: WaitOnPermit. No plugin here allows a waiting pod early, so the shortest timeout decides.
      const [plugin, ms] = [...waits].sort((a, b) => a[1] - b[1])[0];
      await this.#o.clock.sleep(ms);
      status = newStatus('Unschedulable', `rejected due to timeout after waiting ${ms / 1000}s at plugin ${plugin}`).withPlugin(plugin);
    }
    if (isSuccess(status)) status = await fwk.runPreBindPlugins(state, pod, host, rec);
    if (isSuccess(status)) {
      // Extenders that bind go first (Go: extendersBinding).
      const binder = (this.config.extenders ?? []).find((e) => e.bind);
      if (binder) {
        try {
          const err = await binder.bind!(pod, host);
          status = err ? asStatus(new Error(err)) : null;
        } catch (e) {
          status = asStatus(e);
        }
      } else {
        status = await fwk.runBindPlugins(state, pod, host, rec);
      }
    }
    this.cache.finishBinding(pod);
    this.queue.done(pod);
    if (isSuccess(status)) {
      await this.#event(pod, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${host}`);
      fwk.runPostBindPlugins(state, pod, host);
      this.#events.emit('scheduler.bind', { pod: podKey(pod), node: host });
      this.#o.onEvent?.({ kind: 'bound', t: this.#o.clock.now(), pod: podKey(pod), node: host });
      return;
    }
    // Go: handleBindingCycleError.
    fwk.runReservePluginsUnreserve(state, pod, host);
    this.cache.forgetPod(pod);
    this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Pod', actionType: ActionType.Delete }, pod, undefined, (p) => p.metadata.uid !== pod.metadata.uid);
    this.#events.emit('scheduler.bindFailed', { pod: podKey(pod), node: host, message: status!.message() });
    this.#o.onEvent?.({ kind: 'bindFailed', t: this.#o.clock.now(), pod: podKey(pod), node: host, message: status!.message() });
    const original: QueuedPodInfo = { ...assumed, podInfo: new PodInfo({ ...pod, spec: { ...pod.spec, nodeName: undefined } }) };
    this.#handleSchedulingFailure(fwk, original, status!, { nominatedNodeName: '', nominatingMode: 'ModeOverride' });
    this.#kick();
  }

  /** Go: `handleSchedulingFailure`: requeue, remember the nomination, record FailedScheduling, and set PodScheduled=False. */
  #handleSchedulingFailure(fwk: Framework, qp: QueuedPodInfo, status: Status, nominatingInfo: PostFilterResult['nominatingInfo']): void {
    const pod = qp.podInfo.pod;
    const reason = isRejected(status) ? 'Unschedulable' : 'SchedulerError';
    const err = asError(status);
    if (err instanceof FitError) qp.unschedulablePlugins = new Set(err.diagnosis.unschedulablePlugins);
    const cached = this.#factory?.forResource('pods').informer().getStore().getByKey(podKey(pod)) as Pod | undefined;
    if (cached && !cached.spec.nodeName) {
      qp.podInfo.update(cached);
      this.queue.addUnschedulableIfNotPresent(qp, reason === 'SchedulerError');
    } else {
      this.queue.done(pod);
    }
    if (nominatingInfo && nominatingInfo.nominatingMode === 'ModeOverride') {
      if (nominatingInfo.nominatedNodeName) this.nominator.addNominatedPod(qp.podInfo, nominatingInfo.nominatedNodeName);
      else this.nominator.deleteNominatedPodIfExists(pod);
    }
    const msg = status.message();
    const note = msg.length <= NoteLengthLimit ? msg : `${msg.slice(0, NoteLengthLimit - 4)} ...`;
    void this.#event(pod, 'Warning', 'FailedScheduling', 'Scheduling', note);
    void this.#updatePod(pod, reason, msg, nominatingInfo);
  }

  /** Go: `updatePod`: PodScheduled=False with the reason and message, and the nominated node. */
  async #updatePod(pod: Pod, reason: string, message: string, nominatingInfo: PostFilterResult['nominatingInfo']): Promise<void> {
    const status: Record<string, unknown> = {
      conditions: [{ type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null, lastTransitionTime: rfc3339(this.#o.clock.now()) }],
    };
    if (nominatingInfo && nominatingInfo.nominatingMode === 'ModeOverride') status.nominatedNodeName = nominatingInfo.nominatedNodeName || null;
    try {
      await this.#o.client.coreV1().pods(pod.metadata.namespace ?? 'default').patch(pod.metadata.name ?? '', 'application/strategic-merge-patch+json', { status }, undefined, 'status');
    } catch {
      // The pod may be gone; upstream logs and moves on.
    }
  }

  /** An events.k8s.io/v1 event as the core/v1 API shows it (reportingComponent, eventTime). */
  async #event(pod: Pod, type: 'Normal' | 'Warning', reason: string, action: string, note: string): Promise<void> {
    const now = this.#o.clock.now();
    const component = 'default-scheduler';
    const iso = new Date(now).toISOString().replace('Z', '000Z'); // allow-nondeterminism: formats virtual time, reads no clock
    try {
      await this.#o.client.coreV1().events(pod.metadata.namespace ?? 'default').create({
        apiVersion: 'v1', kind: 'Event',
        metadata: { name: `${pod.metadata.name}.${(now * 1_000_000).toString(16)}`, namespace: pod.metadata.namespace ?? 'default' },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
        reason, message: note, type, action, eventTime: iso, reportingComponent: component, reportingInstance: `${component}-kubelab`,
        source: {}, firstTimestamp: null, lastTimestamp: null,
      } as unknown as KubeObject);
    } catch {
      // Events are best effort, as upstream's broadcaster.
    }
  }

  /** The last cycle record for a pod (`namespace/name`). */
  lastRecord(pod: string): CycleRecord | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) if (this.records[i].pod === pod) return this.records[i];
    return undefined;
  }
}

export type { ClusterEvent };
