/**
 * The kubelet as a running model: pkg/kubelet/kubelet.go (v1.34) — NewMainKubelet's wiring, Run,
 * syncLoop / syncLoopIteration and the handlers (HandlePodAdditions, HandlePodUpdates,
 * HandlePodRemoves, HandlePodReconcile, HandlePodSyncs, HandlePodCleanups), and the three sync
 * functions the pod workers call (SyncPod, SyncTerminatingPod, SyncTerminatedPod).
 *
 * One loop reads seven channels: config (pods from the API server), pleg (container lifecycle
 * events), sync (every 1 s: pods whose resync or backoff came due), housekeeping (every 2 s) and
 * the liveness / readiness / startup probe results. Like Go's select, when several are ready it
 * picks one at random (from the injected Rng).
 */
import { base64StdDecode } from '../apiserver/base64';
import type { PersistentVolume, PersistentVolumeClaim, Pod, PodStatus } from '../api/core/v1';
import type { SharedInformerFactory } from '../cache/informer_factory';
import type { Clientset } from '../client/clientset';
import { newEventRecorder, type EventRecorder } from '../client/record';
import type { FakeClock } from '../core/clock';
import { EventEmitter } from '../core/events';
import type { KubeObject } from '../core/object';
import type { Rng } from '../core/rng';
import type { TraceRecorder } from '../core/trace';
import { resolveEnv } from '../core/env';
import type { Backoff } from './backoff';
import { newKubeletCrashLoopBackOff, type CrashLoopBackOffConfig } from './crashloop';
import type { ImageService, PodNetworkDialer, RuntimeService } from './cri/api';
import { ApiserverSource, newSourceApiserver, PodConfig, type PodUpdate } from './config';
import { isMirrorPod, isMirrorPodOf, isStaticPod, SourceFile, type ManifestFs } from './config_file';
import { formatRfc3339Nano } from './cri/logs';
import { newBasicMirrorClient, type MirrorClient } from './mirror_client';
import { kubeletEvents, type KubeletEventBase, type KubeletEventMap, type SyncLoopChannel } from './events';
import { newImageBackOff } from './imagepull';
import { Journal, LOG_SOURCES } from './journal';
import { generateAPIPodStatus, noProbesUpdatePodStatus, type APIContainerStatus } from './kubelet_pods';
import { KubeGenericRuntimeManager, type SyncResult } from './kuberuntime/manager';
import type { RuntimePod, RuntimePodStatus } from './kuberuntime/types';
import { GenericPLEG, PLEG_CHANNEL_CAPACITY, type PodLifecycleEvent } from './pleg';
import { PodCache } from './pod_cache';
import { PodWorkers, type SyncPodType } from './pod_workers';
import { newResultsManager } from './prober/results_manager';
import type { PodStatusProvider, ProbeRunner, ProbeUpdate, ProberManager, ResultsManager } from './prober/types';
import { ReasonCache } from './reason_cache';
import { StatusManager } from './status_manager';
import { MountError, newMemoryHostFs, resolveClaimVolumes, VolumeManager, type ClaimSource, type HostFs } from './volumes';
import { WorkQueue } from './work_queue';

/** The sync loop's tickers. */
export const SYNC_PERIOD_MS = 1_000;
export const HOUSEKEEPING_PERIOD_MS = 2_000;

/** What a prober factory receives: the results managers the sync loop reads, how to run a probe, the pod statuses. */
export interface ProberDeps {
  livenessManager: ResultsManager;
  readinessManager: ResultsManager;
  startupManager: ResultsManager;
  runner: ProbeRunner;
  statusProvider: PodStatusProvider;
  clock: FakeClock;
  rng: Rng;
  /** The node the kubelet runs on: named in the prober's trace events. */
  nodeName?: string;
  /** Records an Event on the pod (Unhealthy, ProbeWarning). */
  recordEvent(pod: Pod, fieldPath: string, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The same as a client-go EventRecorder (the pod is the involved object): what newProberManager takes. */
  recorder: EventRecorder;
  trace?: TraceRecorder;
}

/** Builds the prober from the kubelet's parts; the prober model's `newProberManager` fits as is. */
export type ProberFactory = (deps: ProberDeps) => ProberManager;

export interface KubeletConfig {
  /** The crash-loop backoff's feature gates and node cap. */
  crashLoopBackOff?: CrashLoopBackOffConfig;
  /** --sync-frequency: a pod worker's resync interval (default 60 s). */
  syncFrequencyMs?: number;
  /** The node filesystem for volumes (the runtime model implements HostFs; default in memory). */
  hostFs?: HostFs;
  /** The node's IP (status.hostIP). */
  hostIP?: string;
  /** The kubelet's process id in journal lines. */
  pid?: number;
  /** klog's -v for the journal (default 2). */
  logVerbosity?: number;
  /** staticPodPath: the directory (or file) of static pod manifests; kubeadm sets /etc/kubernetes/manifests. */
  staticPodPath?: string;
  /** The node file system the static pod path is read from. */
  manifestFs?: ManifestFs;
  /** fileCheckFrequency (default 20 s). */
  fileCheckFrequencyMs?: number;
}

export interface KubeletOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  nodeName: string;
  runtime: RuntimeService & ImageService & Partial<PodNetworkDialer>;
  trace?: TraceRecorder;
  proberFactory?: ProberFactory;
  config?: KubeletConfig;
}

/** An Event the kubelet recorded (also written to the API server). */
export interface RecordedEvent {
  atMs: number;
  pod: string;
  fieldPath: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** The no-op prober: no workers; ready and started follow running (as with no probes at all). */
export const noopProberFactory: ProberFactory = () => ({ addPod() {}, removePod() {}, cleanupPods() {}, updatePodStatus: noProbesUpdatePodStatus, stop() {} });

const keyOf = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`;

export function newKubelet(o: KubeletOptions): Kubelet {
  return new Kubelet(o);
}

// Upstream: pkg/kubelet/kubelet.go (Kubelet)
export class Kubelet {
  readonly nodeName: string;
  /** The pods the kubelet should run, by UID (the pod manager). */
  readonly podManager = new Map<string, Pod>();
  /** Mirror pods seen from the API, by `namespace/name` (the pod manager's mirror maps). */
  readonly mirrorPods = new Map<string, Pod>();
  readonly mirrorPodClient: MirrorClient;
  /** The static pod source, when staticPodPath is set. */
  fileSource: SourceFile | undefined;
  readonly podCache = new PodCache();
  readonly reasonCache = new ReasonCache();
  readonly workQueue: WorkQueue;
  readonly crashLoopBackOff: Backoff;
  readonly imageBackOff: Backoff;
  readonly runtimeManager: KubeGenericRuntimeManager;
  readonly pleg: GenericPLEG;
  readonly podWorkers: PodWorkers;
  readonly statusManager: StatusManager;
  readonly volumeManager: VolumeManager;
  readonly livenessManager = newResultsManager();
  readonly readinessManager = newResultsManager();
  readonly startupManager = newResultsManager();
  readonly probeManager: ProberManager;
  readonly podConfig: PodConfig;
  readonly journal: Journal;
  /** Every Event recorded, in order (what `kubectl describe pod` would list). */
  readonly recordedEvents: RecordedEvent[] = [];
  readonly #o: KubeletOptions;
  readonly #claimSource: ClaimSource;
  readonly #events: EventEmitter<KubeletEventMap, KubeletEventBase>;
  readonly #recorder: EventRecorder;
  readonly #rng: Rng;
  // The channels of syncLoopIteration.
  readonly #configCh: PodUpdate[] = [];
  readonly #plegCh: PodLifecycleEvent[] = [];
  readonly #probeCh: Record<ProbeKind, ProbeUpdate[]> = { liveness: [], readiness: [], startup: [] };
  #syncTick = false;
  #housekeepingTick = false;
  #housekeepingRunning = false;
  #wake: (() => void) | undefined;
  #timers: Array<{ stop(): void }> = [];
  #factory: SharedInformerFactory | undefined;
  #stopped = false;
  #unsubscribe: Array<() => void> = [];

  // Upstream: kubelet.go (NewMainKubelet)
  constructor(o: KubeletOptions) {
    this.#o = o;
    const pvcs = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
    this.#claimSource = {
      getClaim: (ns, name) => o.client.dynamic().resource(pvcs).namespace(ns).get(name).then((x) => x as unknown as PersistentVolumeClaim, () => undefined),
      getVolume: (name) => o.client.dynamic().resource({ ...pvcs, resource: 'persistentvolumes' }).get(name).then((x) => x as unknown as PersistentVolume, () => undefined),
    };
    this.nodeName = o.nodeName;
    const env = resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace });
    this.#events = new EventEmitter(kubeletEvents, env, { node: o.nodeName });
    this.#rng = o.rng.fork('kubelet');
    this.journal = new Journal(o.clock, this.#events, o.config?.pid, o.config?.logVerbosity);
    this.#recorder = newEventRecorder(o.client, o.clock, { component: 'kubelet', host: o.nodeName });
    this.workQueue = new WorkQueue(o.clock);
    this.crashLoopBackOff = newKubeletCrashLoopBackOff(o.clock, o.config?.crashLoopBackOff);
    this.imageBackOff = newImageBackOff(o.clock);
    this.volumeManager = new VolumeManager(o.config?.hostFs ?? newMemoryHostFs());
    const recordEvent = (pod: Pod, fieldPath: string, type: 'Normal' | 'Warning', reason: string, message: string) => this.recordEvent(pod, fieldPath, type, reason, message);
    this.runtimeManager = new KubeGenericRuntimeManager({
      clock: o.clock,
      runtime: o.runtime,
      crashLoopBackOff: this.crashLoopBackOff,
      imageBackOff: this.imageBackOff,
      recordEvent,
      nodeName: o.nodeName,
      probes: { liveness: (id) => this.livenessManager.get(id), startup: (id) => this.startupManager.get(id) },
      envSource: {
        getConfigMap: (ns, name) => o.client.coreV1().configMaps(ns).get(name).then((x) => x as unknown as { data?: Record<string, string> }, () => undefined),
        getSecret: (ns, name) =>
          o.client.coreV1().secrets(ns).get(name).then(
            (x) => {
              const data = (x as unknown as { data?: Record<string, string> }).data ?? {};
              return { data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64StdDecode(v)])) };
            },
            () => undefined,
          ),
      },
      makeMounts: (pod, c) => this.volumeManager.makeMounts(pod, c),
      onAction: (pod, r) => this.#events.emit('kubelet.action', { pod: keyOf(pod), action: r.action, target: r.target, error: r.error ?? '' }),
      onBackOff: (pod, container, backoffMs, restartAtMs) => this.#events.emit('kubelet.backoff', { pod: keyOf(pod), container, backoffMs, restartAtMs }),
      log: (msg, kv) => this.journal.info(2, LOG_SOURCES.killing, msg, kv),
    });
    this.pleg = new GenericPLEG({
      clock: o.clock,
      runtime: this.runtimeManager,
      cache: this.podCache,
      send: (e) => {
        if (this.#plegCh.length >= PLEG_CHANNEL_CAPACITY) return false;
        this.#plegCh.push(e);
        this.#kick();
        return true;
      },
      onRelist: (pods, events) => {
        this.#events.emit('kubelet.relist', { pods, events: events.length });
        for (const e of events) this.#events.emit('kubelet.plegEvent', { pod: this.#nameOf(e.id), event: e.type, containerId: e.data });
      },
      onContainerDied: (pod: RuntimePod, containerId, exitCode) => this.journal.info(2, LOG_SOURCES.containerFinished, 'Generic (PLEG): container finished', { podID: pod.id, containerID: containerId.replace(/^[a-z]+:\/\//, ''), exitCode }),
    });
    this.podWorkers = new PodWorkers({
      clock: o.clock,
      rng: this.#rng.fork('podWorkers'),
      cache: this.podCache,
      workQueue: this.workQueue,
      resyncIntervalMs: o.config?.syncFrequencyMs,
      syncer: {
        syncPod: (t, pod, s) => this.syncPod(t, pod, s),
        syncTerminatingPod: (pod, s, g) => this.syncTerminatingPod(pod, s, g),
        syncTerminatingRuntimePod: (rp) => this.syncTerminatingRuntimePod(rp),
        syncTerminatedPod: (pod, s) => this.syncTerminatedPod(pod, s),
      },
      onTransition: (_uid, pod, from, to) => this.#events.emit('kubelet.podWorker', { pod, from, to }),
      onError: (uid, pod, err) => this.journal.error(LOG_SOURCES.backOff, 'Error syncing pod, skipping', { err: err.message, pod, podUID: uid }),
    });
    this.statusManager = new StatusManager({
      client: o.client,
      clock: o.clock,
      onPatch: (pod, status) => {
        this.#events.emit('kubelet.status', { pod: keyOf(pod), phase: status.phase ?? '', op: 'patch' });
        this.journal.info(3, LOG_SOURCES.statusPatched, 'Patch status for pod', { pod: keyOf(pod), podUID: pod.metadata.uid ?? '', phase: status.phase ?? '' });
      },
      onDelete: (pod) => {
        this.#events.emit('kubelet.status', { pod: keyOf(pod), phase: pod.status?.phase ?? '', op: 'delete' });
        this.journal.info(2, LOG_SOURCES.statusDeleted, 'Pod fully terminated and removed from etcd', { pod: keyOf(pod) });
      },
    });
    this.probeManager = (o.proberFactory ?? noopProberFactory)({
      livenessManager: this.livenessManager,
      readinessManager: this.readinessManager,
      startupManager: this.startupManager,
      runner: {
        exec: (id, cmd, t) => o.runtime.execSync(id.replace(/^[a-z]+:\/\//, ''), cmd, t),
        httpGet: (ip, port, path, headers, t) => (o.runtime.httpGet ? o.runtime.httpGet(ip, port, path, headers, t) : Promise.reject(new Error('no pod network'))),
        tcpConnect: (ip, port, t) => (o.runtime.tcpConnect ? o.runtime.tcpConnect(ip, port, t) : Promise.reject(new Error('no pod network'))),
      },
      statusProvider: { getPodStatus: (uid) => this.statusManager.getPodStatus(uid) },
      clock: o.clock,
      rng: this.#rng.fork('prober'),
      nodeName: o.nodeName,
      recordEvent,
      recorder: { event: async (obj, type, reason, message) => recordEvent(obj as unknown as Pod, '', type, reason, message) },
      ...(o.trace ? { trace: o.trace } : {}),
    });
    this.podConfig = new PodConfig(
      (u) => {
        this.#configCh.push(u);
        this.#kick();
      },
      () => formatRfc3339Nano(o.clock.now()),
    );
    this.mirrorPodClient = newBasicMirrorClient(o.client, o.nodeName);
  }

  /** Records an Event on the pod: kept, traced and written to the API server (best effort). */
  recordEvent(pod: Pod, fieldPath: string, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recordedEvents.push({ atMs: this.#o.clock.now(), pod: keyOf(pod), fieldPath, type, reason, message });
    this.#events.emit('kubelet.event', { pod: keyOf(pod), type, reason, message, fieldPath });
    void this.#recorder.event(pod as unknown as KubeObject, type, reason, message);
  }

  /** Starts the API source, the PLEG, the status manager, the tickers and the sync loop. */
  // Upstream: kubelet.go (Run, syncLoop)
  run(): void {
    const o = this.#o;
    // Upstream: kubelet.go (makePodSourceConfig): the file source first, then the API server.
    if (o.config?.staticPodPath && o.config.manifestFs) {
      this.fileSource = new SourceFile(
        { fs: o.config.manifestFs, path: o.config.staticPodPath, nodeName: o.nodeName, clock: o.clock, periodMs: o.config.fileCheckFrequencyMs, log: (msg, kv) => this.journal.error('file.go:95', msg, kv) },
        this.podConfig,
      );
      this.journal.info(0, 'file.go:68', 'Watching path', { path: o.config.staticPodPath });
    }
    this.podConfig.addSource(ApiserverSource);
    this.fileSource?.run();
    this.#factory = newSourceApiserver({ client: o.client, clock: o.clock, rng: this.#rng.fork('config'), nodeName: o.nodeName }, this.podConfig);
    this.statusManager.start();
    this.pleg.start();
    for (const [kind, m] of [['liveness', this.livenessManager], ['readiness', this.readinessManager], ['startup', this.startupManager]] as const) {
      this.#unsubscribe.push(
        m.onUpdate((u) => {
          this.#probeCh[kind].push(u);
          this.#kick();
        }),
      );
    }
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        fn();
        this.#timers.push(o.clock.afterFunc(ms, tick));
      };
      this.#timers.push(o.clock.afterFunc(ms, tick));
    };
    every(SYNC_PERIOD_MS, () => {
      this.#syncTick = true;
      this.#kick();
    });
    every(HOUSEKEEPING_PERIOD_MS, () => {
      this.#housekeepingTick = true;
      this.#kick();
    });
    void this.#syncLoop();
  }

  stop(): void {
    this.#stopped = true;
    this.pleg.stop();
    this.statusManager.stop();
    this.probeManager.stop();
    this.#factory?.shutdown();
    this.fileSource?.stop();
    for (const t of this.#timers) t.stop();
    for (const u of this.#unsubscribe) u();
    this.#kick();
  }

  /** PLEG health as the node's Ready condition reads it. */
  healthy(): { ok: true } | { ok: false; error: string } {
    return this.pleg.healthy();
  }

  #kick(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }

  #nameOf(uid: string): string {
    const p = this.podManager.get(uid);
    return p ? keyOf(p) : uid;
  }

  /**
   * Serves the channels until stopped. While the runtime is unhealthy (here: the PLEG has not
   * relisted for 3 minutes, or never yet) nothing is synced: the loop logs "Skipping pod
   * synchronization" and waits 100 ms doubling to 5 s.
   */
  // Upstream: kubelet.go (syncLoop, runtimeState.runtimeErrors)
  async #syncLoop(): Promise<void> {
    const base = 100;
    const max = 5_000;
    let duration = base;
    while (!this.#stopped) {
      const health = this.pleg.healthy();
      if (!health.ok) {
        this.journal.error(LOG_SOURCES.plegUnhealthy, 'Skipping pod synchronization', { err: `PLEG is not healthy: ${health.error}` });
        await this.#o.clock.sleep(duration);
        duration = Math.min(max, duration * 2);
        continue;
      }
      duration = base;
      if (!this.syncLoopIteration()) await new Promise<void>((r) => (this.#wake = r));
    }
  }

  /** Serves one ready channel, chosen at random among the ready ones; false when none is ready. */
  // Upstream: kubelet.go (syncLoopIteration)
  syncLoopIteration(): boolean {
    const ready: SyncLoopChannel[] = [];
    if (this.#configCh.length) ready.push('config');
    if (this.#plegCh.length) ready.push('pleg');
    if (this.#syncTick) ready.push('sync');
    for (const k of ['liveness', 'readiness', 'startup'] as const) if (this.#probeCh[k].length) ready.push(k);
    if (this.#housekeepingTick && !this.#housekeepingRunning) ready.push('housekeeping');
    if (ready.length === 0) return false;
    const ch = ready.length === 1 ? ready[0] : ready[this.#rng.int(ready.length)];
    switch (ch) {
      case 'config':
        this.#handleConfig(this.#configCh.shift()!);
        break;
      case 'pleg':
        this.#handlePleg(this.#plegCh.shift()!);
        break;
      case 'sync': {
        this.#syncTick = false;
        const pods = this.getPodsToSync();
        if (pods.length) {
          this.#events.emit('kubelet.syncLoop', { channel: 'sync', op: 'SYNC', pods: pods.map(keyOf) });
          this.handlePodSyncs(pods);
        }
        break;
      }
      case 'housekeeping':
        this.#housekeepingTick = false;
        if (!this.podConfig.seenAllSources()) break; // "SyncLoop (housekeeping, skipped): sources aren't ready yet"
        this.#events.emit('kubelet.syncLoop', { channel: 'housekeeping', op: 'HOUSEKEEPING', pods: [] });
        this.#housekeepingRunning = true;
        // Upstream: kubelet.go (syncLoopIteration, housekeepingCh): a failed cleanup is logged, the loop goes on.
        void this.handlePodCleanups()
          .catch((err: unknown) => this.journal.error('kubelet.go:2545', 'Failed cleaning pods', { err: (err as Error).message }))
          .finally(() => {
            this.#housekeepingRunning = false;
            this.#kick();
          });
        break;
      default:
        this.#handleProbe(ch, this.#probeCh[ch].shift()!);
    }
    return true;
  }

  #handleConfig(u: PodUpdate): void {
    const names = u.pods.map(keyOf);
    const src = { ADD: LOG_SOURCES.syncLoopAdd, UPDATE: LOG_SOURCES.syncLoopUpdate, REMOVE: LOG_SOURCES.syncLoopRemove, DELETE: LOG_SOURCES.syncLoopDelete, RECONCILE: LOG_SOURCES.syncLoopReconcile, SET: LOG_SOURCES.syncLoopAdd }[u.op];
    if (u.pods.length) this.journal.info(u.op === 'RECONCILE' ? 4 : 2, src, `SyncLoop ${u.op}`, { source: u.source, pods: names });
    this.#events.emit('kubelet.syncLoop', { channel: 'config', op: u.op, pods: names });
    if (u.op === 'ADD') this.handlePodAdditions(u.pods);
    else if (u.op === 'UPDATE' || u.op === 'DELETE') this.handlePodUpdates(u.pods); // DELETE is graceful: an update with deletionTimestamp
    else if (u.op === 'REMOVE') this.handlePodRemoves(u.pods);
    else if (u.op === 'RECONCILE') this.handlePodReconcile(u.pods);
  }

  // Upstream: kubelet.go (syncLoopIteration, case plegCh; isSyncPodWorthy)
  #handlePleg(e: PodLifecycleEvent): void {
    if (e.type !== 'ContainerRemoved') {
      const pod = this.podManager.get(e.id);
      if (pod) {
        this.journal.info(2, LOG_SOURCES.syncLoopPleg, 'SyncLoop (PLEG): event for pod', { pod: keyOf(pod), event: { ID: e.id, Type: e.type, Data: e.data.replace(/^[a-z]+:\/\//, '') } });
        this.#events.emit('kubelet.syncLoop', { channel: 'pleg', op: e.type, pods: [keyOf(pod)] });
        this.handlePodSyncs([pod]);
      }
    }
  }

  // Upstream: kubelet.go (handleProbeSync)
  #handleProbe(kind: ProbeKind, u: ProbeUpdate): void {
    const pod = this.podManager.get(u.podUid);
    if (!pod) return;
    // A liveness success needs no sync: only a failure leads to a restart.
    if (kind === 'liveness' && u.result !== 'Failure') return;
    const status = kind === 'liveness' ? 'unhealthy' : kind === 'readiness' ? (u.result === 'Success' ? 'ready' : '') : u.result === 'Success' ? 'started' : 'unhealthy';
    this.journal.info(1, LOG_SOURCES.syncLoopProbe, 'SyncLoop (probe)', { probe: kind, status, pod: keyOf(pod) });
    this.#events.emit('kubelet.syncLoop', { channel: kind, op: status || 'not ready', pods: [keyOf(pod)] });
    this.handlePodSyncs([pod]);
  }

  /** Pods whose resync or backoff has come due. */
  // Upstream: kubelet.go (getPodsToSync)
  getPodsToSync(): Pod[] {
    return this.workQueue
      .getWork()
      .map((uid) => this.podManager.get(uid))
      .filter((p): p is Pod => !!p);
  }

  // Upstream: kubelet.go (HandlePodAdditions)
  handlePodAdditions(pods: Pod[]): void {
    for (const pod of [...pods].sort((a, b) => String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')))) {
      if (this.#handleMirrorPod(pod, 'set')) continue;
      this.podManager.set(pod.metadata.uid ?? '', pod);
      this.podWorkers.updatePod({ updateType: 'SyncPodCreate', pod });
    }
  }

  // Upstream: kubelet.go (HandlePodUpdates)
  handlePodUpdates(pods: Pod[]): void {
    for (const pod of pods) {
      if (this.#handleMirrorPod(pod, 'set')) continue;
      this.podManager.set(pod.metadata.uid ?? '', pod);
      this.podWorkers.updatePod({ updateType: 'SyncPodUpdate', pod });
    }
  }

  /** The pod is gone from the API (deleted for good, or force-deleted): kill whatever is left. */
  // Upstream: kubelet.go (HandlePodRemoves, deletePod)
  handlePodRemoves(pods: Pod[]): void {
    for (const pod of pods) {
      if (this.#handleMirrorPod(pod, 'delete')) continue;
      this.podManager.delete(pod.metadata.uid ?? '');
      this.probeManager.removePod(pod);
      this.podWorkers.updatePod({ updateType: 'SyncPodKill', pod });
    }
  }

  /** Only the API's status changed: the kubelet's own status will be written back by the status manager. */
  // Upstream: kubelet.go (HandlePodReconcile)
  handlePodReconcile(pods: Pod[]): void {
    for (const pod of pods) {
      if (isMirrorPod(pod)) {
        this.mirrorPods.set(keyOf(pod), pod);
        continue;
      }
      this.podManager.set(pod.metadata.uid ?? '', pod);
      if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') this.podWorkers.updatePod({ updateType: 'SyncPodSync', pod });
    }
  }

  /** The static pod of a full name, if the kubelet runs one. */
  staticPodByFullName(fullName: string): Pod | undefined {
    for (const p of this.podManager.values()) if (isStaticPod(p) && keyOf(p) === fullName) return p;
    return undefined;
  }

  /**
   * A mirror pod is never run: it is recorded, and its static pod is synced (which re-creates a
   * mirror that was deleted or is outdated). Returns false for any other pod.
   */
  // Upstream: kubelet.go (HandlePodAdditions / HandlePodUpdates / HandlePodRemoves: the wasMirror branch)
  #handleMirrorPod(pod: Pod, op: 'set' | 'delete'): boolean {
    if (!isMirrorPod(pod)) return false;
    if (op === 'set') this.mirrorPods.set(keyOf(pod), pod);
    else if (this.mirrorPods.get(keyOf(pod))?.metadata.uid === pod.metadata.uid) this.mirrorPods.delete(keyOf(pod));
    const staticPod = this.staticPodByFullName(keyOf(pod));
    if (!staticPod) {
      this.journal.info(2, 'kubelet.go:2628', 'Unable to find pod for mirror pod, skipping', { mirrorPod: keyOf(pod), mirrorPodUID: pod.metadata.uid ?? '' });
      return true;
    }
    this.podWorkers.updatePod({ updateType: 'SyncPodUpdate', pod: staticPod });
    return true;
  }

  // Upstream: kubelet.go (HandlePodSyncs)
  handlePodSyncs(pods: Pod[]): void {
    for (const pod of pods) this.podWorkers.updatePod({ updateType: 'SyncPodSync', pod: this.podManager.get(pod.metadata.uid ?? '') ?? pod });
  }

  /**
   * Housekeeping: forget finished workers, kill runtime pods nobody knows (orphans), drop the
   * statuses and probes of gone pods, remove the directories and containers of pods that are gone
   * and stopped.
   */
  // Upstream: kubelet_pods.go (HandlePodCleanups)
  async handlePodCleanups(): Promise<void> {
    const desired = new Set(this.podManager.keys());
    this.podWorkers.syncKnownPods(desired);
    this.probeManager.cleanupPods(desired);
    const known = new Set([...desired, ...[...this.podWorkers.states().entries()].filter(([, s]) => !s.finished).map(([uid]) => uid)]);
    this.statusManager.removeOrphanedStatuses(known);
    const runtimePods = await this.runtimeManager.getPods(true);
    for (const rp of runtimePods) {
      const running = [...rp.containers, ...rp.sandboxes].some((c) => c.state === 'running');
      if (running && !this.podWorkers.states().has(rp.id)) {
        this.journal.info(3, 'kubelet_pods.go:1261', 'Clean up orphaned pod containers', { podUID: rp.id });
        this.podWorkers.updatePod({ updateType: 'SyncPodKill', runningPod: rp });
      } else if (!running && !desired.has(rp.id) && !this.podWorkers.couldHaveRunningContainers(rp.id)) {
        await this.runtimeManager.removePod(rp.id);
      }
    }
    for (const uid of this.volumeManager.mountedPods()) {
      if (!desired.has(uid) && !this.podWorkers.couldHaveRunningContainers(uid)) {
        this.volumeManager.cleanupPod(uid);
        this.reasonCache.removePod(uid);
      }
    }
    await this.#deleteOrphanedMirrorPods();
    this.crashLoopBackOff.gc();
  }

  /** Mirror pods whose static pod is gone (its manifest was removed) are deleted. */
  // Upstream: kubelet_pods.go (HandlePodCleanups: GetOrphanedMirrorPodNames, DeleteMirrorPod)
  async #deleteOrphanedMirrorPods(): Promise<void> {
    for (const [fullName, mirror] of [...this.mirrorPods]) {
      if (this.staticPodByFullName(fullName)) continue;
      const [ns, name] = fullName.split('/');
      const deleted = await this.mirrorPodClient.deleteMirrorPod(ns, name, mirror.metadata.uid).catch((err: unknown) => {
        this.journal.error('kubelet_pods.go:1218', 'Encountered error when deleting mirror pod', { podName: fullName, err: (err as Error).message });
        return false;
      });
      if (deleted) this.journal.info(3, 'kubelet_pods.go:1222', 'Deleted mirror pod', { podName: fullName });
    }
  }

  #generateStatus(pod: Pod, status: RuntimePodStatus | undefined, podIsTerminal: boolean): PodStatus {
    const uid = pod.metadata.uid ?? '';
    const runtimeStatus = status ?? { id: uid, name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? '', ips: [], sandboxStatuses: [], containerStatuses: [], timestampMs: this.#o.clock.now() };
    return generateAPIPodStatus(pod, runtimeStatus, this.statusManager.getPodStatus(uid), podIsTerminal, { reasonCache: this.reasonCache, prober: this.probeManager, nowMs: this.#o.clock.now(), hostIP: this.#o.config?.hostIP });
  }

  /** Sets the pod's status in the status manager, tracing each container whose state changed. */
  #setPodStatus(pod: Pod, status: PodStatus): void {
    const before = new Map(((this.statusManager.getPodStatus(pod.metadata.uid ?? '')?.containerStatuses as APIContainerStatus[] | undefined) ?? []).map((s) => [s.name, s]));
    for (const s of [...((status.initContainerStatuses as APIContainerStatus[] | undefined) ?? []), ...((status.containerStatuses as APIContainerStatus[] | undefined) ?? [])]) {
      const state = s.state.running ? 'running' : s.state.terminated ? 'terminated' : 'waiting';
      const reason = s.state.waiting?.reason ?? s.state.terminated?.reason ?? '';
      const b = before.get(s.name);
      const bState = b ? (b.state.running ? 'running' : b.state.terminated ? 'terminated' : 'waiting') : '';
      const bReason = b?.state.waiting?.reason ?? b?.state.terminated?.reason ?? '';
      if (state !== bState || reason !== bReason || s.restartCount !== b?.restartCount) this.#events.emit('kubelet.container', { pod: keyOf(pod), container: s.name, state, reason, restartCount: s.restartCount });
    }
    this.statusManager.setPodStatus(pod, status);
  }

  /**
   * Keeps a pod running: report its status, mount its volumes, start probing, and let the runtime
   * manager bring its containers to the spec. Returns true once the pod is terminal.
   */
  // Upstream: kubelet.go (SyncPod)
  async syncPod(_updateType: SyncPodType, pod: Pod, status: RuntimePodStatus | undefined): Promise<boolean> {
    const apiStatus = this.#generateStatus(pod, status, false);
    this.#setPodStatus(pod, apiStatus);
    if (apiStatus.phase === 'Succeeded' || apiStatus.phase === 'Failed') return true;
    if (isStaticPod(pod)) await this.#ensureMirrorPod(pod);
    try {
      // R1 (wt-pv): a claim's PV is looked up before its volume can be mounted.
      const claims = (pod.spec.volumes ?? []).some((v) => v.persistentVolumeClaim) && !this.volumeManager.getMountedVolumesForPod(pod.metadata.uid ?? '').size ? await resolveClaimVolumes(pod, this.#claimSource) : undefined;
      this.volumeManager.waitForAttachAndMount(pod, claims);
    } catch (e) {
      if (e instanceof MountError) {
        const msg = `Unable to attach or mount volumes: ${e.message}`;
        this.recordEvent(pod, '', 'Warning', 'FailedMount', msg);
        throw new Error(msg);
      }
      throw e;
    }
    this.probeManager.addPod(pod);
    const results = await this.runtimeManager.syncPod(pod, status ?? this.#emptyStatus(pod));
    this.reasonCache.update(pod.metadata.uid ?? '', results);
    const failed = results.filter((r) => r.error);
    if (failed.length) throw new Error(syncError(failed));
    return false;
  }

  /**
   * A static pod gets a mirror pod in the API server: an outdated or deleted mirror is removed
   * (with its UID as precondition) and a new one created, once the Node object exists.
   */
  // Upstream: kubelet.go (SyncPod: "Create Mirror Pod for Static Pod if it doesn't already exist")
  async #ensureMirrorPod(pod: Pod): Promise<void> {
    const fullName = keyOf(pod);
    const mirror = this.mirrorPods.get(fullName);
    let deleted = false;
    if (mirror && (mirror.metadata.deletionTimestamp || !isMirrorPodOf(mirror, pod))) {
      this.journal.info(2, 'kubelet.go:1983', 'Trying to delete pod', { pod: fullName, podUID: mirror.metadata.uid ?? '' });
      try {
        deleted = await this.mirrorPodClient.deleteMirrorPod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', mirror.metadata.uid);
        if (deleted) {
          this.journal.info(2, 'kubelet.go:1987', 'Deleted mirror pod because it is outdated', { pod: fullName });
          this.mirrorPods.delete(fullName);
        }
      } catch (err) {
        this.journal.error('kubelet.go:1989', 'Failed deleting mirror pod', { pod: fullName, err: (err as Error).message });
      }
    }
    if (mirror && !deleted) return;
    try {
      const node = await this.#o.client.coreV1().nodes().get(this.nodeName);
      if (node.metadata.deletionTimestamp) return; // "No need to create a mirror pod, since node has been removed from the cluster"
    } catch {
      return; // "No need to create a mirror pod, since failed to get node info from the cluster"
    }
    this.journal.info(4, 'kubelet.go:2004', 'Creating a mirror pod for static pod', { pod: fullName });
    await this.mirrorPodClient.createMirrorPod(pod).catch((err: unknown) => this.journal.error('kubelet.go:2006', 'Failed creating a mirror pod', { pod: fullName, err: (err as Error).message }));
  }

  /** Stops every container within the grace period, then reports the final (terminal) status. */
  // Upstream: kubelet.go (SyncTerminatingPod)
  async syncTerminatingPod(pod: Pod, status: RuntimePodStatus | undefined, gracePeriodSeconds: number | undefined): Promise<void> {
    this.journal.info(4, LOG_SOURCES.syncTerminating, 'SyncTerminatingPod enter', { pod: keyOf(pod), podUID: pod.metadata.uid ?? '' });
    this.#setPodStatus(pod, this.#generateStatus(pod, status, false));
    // Readiness keeps probing while the pod terminates (endpoints see it go unready); liveness and startup stop.
    const prober = this.probeManager as ProberManager & { stopLivenessAndStartup?(pod: Pod): void };
    if (prober.stopLivenessAndStartup) prober.stopLivenessAndStartup(pod);
    else prober.removePod(pod);
    const current = await this.runtimeManager.getPodStatus(pod.metadata.uid ?? '', pod.metadata.name ?? '', pod.metadata.namespace ?? '');
    const results = await this.runtimeManager.killPod(pod, current, gracePeriodSeconds);
    const failed = results.filter((r) => r.error);
    if (failed.length) throw new Error(syncError(failed));
    const stopped = await this.runtimeManager.getPodStatus(pod.metadata.uid ?? '', pod.metadata.name ?? '', pod.metadata.namespace ?? '');
    if (stopped.containerStatuses.some((c) => c.state === 'running')) throw new Error('detected running containers after a successful KillPod, CRI violation');
    this.#setPodStatus(pod, this.#generateStatus(pod, stopped, true));
  }

  /** An orphan (in the runtime only): kill it with no pod to read a grace period from. */
  // Upstream: kubelet.go (SyncTerminatingRuntimePod)
  async syncTerminatingRuntimePod(rp: RuntimePod): Promise<void> {
    const status = await this.runtimeManager.getPodStatus(rp.id, rp.name, rp.namespace);
    const pod: Pod = { metadata: { uid: rp.id, name: rp.name, namespace: rp.namespace }, spec: { containers: [] } };
    await this.runtimeManager.killPod(pod, status, 1);
  }

  /** The pod's containers are stopped: unmount its volumes and mark its status final. */
  // Upstream: kubelet.go (SyncTerminatedPod)
  async syncTerminatedPod(pod: Pod, status: RuntimePodStatus | undefined): Promise<void> {
    this.#setPodStatus(pod, this.#generateStatus(pod, status, true));
    this.probeManager.removePod(pod);
    this.statusManager.terminatePod(pod);
  }

  #emptyStatus(pod: Pod): RuntimePodStatus {
    return { id: pod.metadata.uid ?? '', name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? '', ips: [], sandboxStatuses: [], containerStatuses: [], timestampMs: this.#o.clock.now() };
  }
}

/** How SyncPod's failures read in `Error syncing pod`: `failed to "StartContainer" for "app" with CrashLoopBackOff: "..."`. */
// Upstream: pkg/kubelet/container/sync_result.go (PodSyncResult.Error)
export function syncError(failed: SyncResult[]): string {
  const q = (s: string) => JSON.stringify(s);
  const parts = failed.map((r) => `failed to ${q(r.action)} for ${q(r.target)} with ${r.error}: ${q(r.message ?? '')}`);
  return parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
}
