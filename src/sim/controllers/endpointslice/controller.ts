/**
 * The EndpointSlice controller: pkg/controller/endpointslice/endpointslice_controller.go
 * (kubernetes v1.34: `NewController`, `Run`, `processNextServiceWorkItem`, `handleErr`,
 * `syncService`, the informer handlers, `checkNodeTopologyDistribution`). Informers on Services,
 * Pods, Nodes and EndpointSlices feed a rate-limited queue of Service keys; workers sync one
 * Service at a time through the reconciler.
 */
import type { Node, Pod, Service } from '../../api/core/v1';
import { LabelManagedBy, LabelServiceName, type EndpointSlice } from '../../api/discovery/v1';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import type { KubeObject } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { newBucketRateLimiter, newItemExponentialFailureRateLimiter, newMaxOfRateLimiter, defaultControllerRateLimiter } from '../../workqueue/default_rate_limiters';
import { newRateLimitingQueue } from '../../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../../workqueue/types';
import { newEventRecorder, type EventRecorder } from '../../client/record';
import { getPodServiceMemberships, getServicesToUpdateOnPodChange, objectKey, selectorMatches, type ServiceLister } from '../util/services';
import { TriggerTimeTracker } from '../util/trigger_time_tracker';
import { endpointControllersEvents, type EndpointControllersEventMap } from './events';
import { EndpointSliceOptionsError, validateEndpointSliceControllerOptions } from './options';
import { DefaultMaxEndpointsPerSlice, Reconciler, type ReconcileResult } from './reconciler';
import { EndpointSliceTracker } from './tracker';
import { isNodeReady, TopologyCache } from './topologycache/topologycache';
import { LabelTopologyZone, serviceControllerKey } from './utils';

/** Syncs of one Service that fail this many times in a row are dropped (1 s doubling to 1,000 s). */
export const maxRetries = 15;
/** A slice event waits at least this long before its Service is synced, to batch them. */
export const endpointSliceChangeMinSyncDelayMs = 1000;
const defaultSyncBackOffMs = 1000;
const maxSyncBackOffMs = 1000 * 1000;
/** The managed-by value of the in-tree controller. */
export const controllerQualifiedName = 'endpointslice-controller.k8s.io';
const topologyQueueItemKey = 'topologyQueueItemKey';

export interface EndpointSliceControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  /** `--max-endpoints-per-slice` (1..1000, default 100). */
  maxEndpointsPerSlice?: number;
  /** `--concurrent-service-endpoint-syncs` (1..50, default 5): workers syncing Services at once. */
  concurrentServiceEndpointSyncs?: number;
  /** `--endpointslice-updates-batch-period` in ms (default 0): pod changes wait this long before the sync. */
  endpointUpdatesBatchPeriodMs?: number;
  /** Feature gates (v1.34 defaults: ServiceTrafficDistribution and PreferSameTrafficDistribution on). */
  features?: { ServiceTrafficDistribution?: boolean; PreferSameTrafficDistribution?: boolean };
  trace?: TraceRecorder;
}

/** The error a sync returns when the informer has not caught up with the controller's own writes. */
// Upstream: pkg/controller/util/endpointslice (StaleInformerCache)
export class StaleInformerCacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleInformerCache';
  }
}

/** Builds the controller; throws EndpointSliceOptionsError with kube-controller-manager's messages for out-of-range flags. */
export function newEndpointSliceController(o: EndpointSliceControllerOptions): EndpointSliceController {
  return new EndpointSliceController(o);
}

const finalState = <T>(obj: unknown): T => (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as T;

// Upstream: pkg/controller/endpointslice/endpointslice_controller.go (Controller)
export class EndpointSliceController {
  readonly maxEndpointsPerSlice: number;
  readonly workers: number;
  readonly serviceQueue: RateLimitingQueue<string>;
  readonly topologyQueue: RateLimitingQueue<string>;
  readonly endpointSliceTracker = new EndpointSliceTracker();
  readonly triggerTimeTracker = new TriggerTimeTracker();
  readonly topologyCache = new TopologyCache();
  readonly reconciler: Reconciler;
  /** Syncs done, by outcome (Go: the endpointslice_syncs metric). */
  readonly syncs = { success: 0, error: 0, stale: 0 };
  readonly #o: EndpointSliceControllerOptions;
  readonly #events: EventEmitter<EndpointControllersEventMap, Record<string, never>>;
  readonly #record: EventRecorder;
  readonly #batchMs: number;
  #factory?: SharedInformerFactory;
  #stopped = false;
  #loops: Promise<void>[] = [];

  // Upstream: endpointslice_controller.go (NewController)
  constructor(o: EndpointSliceControllerOptions) {
    this.maxEndpointsPerSlice = o.maxEndpointsPerSlice ?? DefaultMaxEndpointsPerSlice;
    this.workers = o.concurrentServiceEndpointSyncs ?? 5;
    const errs = validateEndpointSliceControllerOptions({ concurrentServiceEndpointSyncs: this.workers, maxEndpointsPerSlice: this.maxEndpointsPerSlice });
    if (errs.length) throw new EndpointSliceOptionsError(errs);
    this.#o = o;
    this.#batchMs = o.endpointUpdatesBatchPeriodMs ?? 0;
    const env = resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace });
    this.#events = new EventEmitter(endpointControllersEvents, env, {});
    this.#record = newEventRecorder(o.client, o.clock, { component: 'endpoint-slice-controller' });
    // DefaultControllerRateLimiter's shape with a 1 s base: a sync that fails can mean many slice writes.
    this.serviceQueue = newRateLimitingQueue<string>(
      newMaxOfRateLimiter(newItemExponentialFailureRateLimiter<string>(defaultSyncBackOffMs, maxSyncBackOffMs), newBucketRateLimiter<string>(10, 100, o.clock)),
      { clock: o.clock, name: 'endpoint_slice', trace: o.trace },
    );
    this.topologyQueue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'endpoint_slice_topology', trace: o.trace });
    this.reconciler = new Reconciler({
      client: o.client,
      maxEndpointsPerSlice: this.maxEndpointsPerSlice,
      nodeLister: { get: (name) => this.#store('nodes')?.getByKey(name) as Node | undefined },
      endpointSliceTracker: this.endpointSliceTracker,
      topologyCache: this.topologyCache,
      trafficDistributionEnabled: o.features?.ServiceTrafficDistribution ?? true,
      preferSameTrafficDistribution: o.features?.PreferSameTrafficDistribution ?? true,
      controllerName: controllerQualifiedName,
      recordEvent: (svc, type, reason, message) => void this.#record.event(svc as unknown as KubeObject, type, reason, message),
    });
  }

  #store(resource: string) {
    return this.#factory?.forResource(resource).informer().getStore();
  }

  readonly #serviceLister: ServiceLister = {
    list: (namespace) => ((this.#store('services')?.list() ?? []) as unknown as Service[]).filter((s) => (s.metadata.namespace ?? '') === namespace),
  };

  /** Starts the informers, waits for their caches, then the workers (Go: `Run`). Returns once the workers run. */
  // Upstream: endpointslice_controller.go (Controller.Run)
  async run(): Promise<void> {
    const o = this.#o;
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    f.forResource('services').informer().addEventHandler({
      onAdd: (obj) => this.#onServiceUpdate(obj),
      onUpdate: (_old, cur) => this.#onServiceUpdate(cur),
      onDelete: (obj) => this.#onServiceUpdate(finalState(obj)),
    });
    f.forResource('pods').informer().addEventHandler({
      onAdd: (obj) => this.#addPod(obj as unknown as Pod),
      onUpdate: (old, cur) => this.#updatePod(old as unknown as Pod, cur as unknown as Pod),
      onDelete: (obj) => this.#addPod(finalState<Pod>(obj)),
    });
    f.forResource('nodes').informer().addEventHandler({
      onAdd: () => this.topologyQueue.add(topologyQueueItemKey),
      onUpdate: (old, cur) => this.#updateNode(old as unknown as Node, cur as unknown as Node),
      onDelete: () => this.topologyQueue.add(topologyQueueItemKey),
    });
    f.forResource('endpointslices').informer().addEventHandler({
      onAdd: (obj) => this.#onEndpointSliceAdd(obj as unknown as EndpointSlice),
      onUpdate: (old, cur) => this.#onEndpointSliceUpdate(old as unknown as EndpointSlice, cur as unknown as EndpointSlice),
      onDelete: (obj) => this.#onEndpointSliceDelete(finalState<EndpointSlice>(obj)),
    });
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    for (let i = 0; i < this.workers; i++) this.#loops.push(this.#serviceQueueWorker());
    this.#loops.push(this.#topologyQueueWorker());
  }

  /** Same as `run` (the Scheduler's name). */
  start(): Promise<void> {
    return this.run();
  }

  stop(): void {
    this.#stopped = true;
    this.serviceQueue.shutDown();
    this.topologyQueue.shutDown();
    this.#factory?.shutdown();
  }

  // Upstream: endpointslice_controller.go (Controller.serviceQueueWorker, processNextServiceWorkItem)
  async #serviceQueueWorker(): Promise<void> {
    for (;;) {
      const { item: key, shutdown } = await this.serviceQueue.get();
      if (shutdown) return;
      try {
        let err: Error | undefined;
        let result: ReconcileResult | undefined;
        try {
          result = await this.syncService(key);
        } catch (e) {
          err = e as Error;
        }
        this.#events.emit('endpointslice.sync', { service: key, created: result?.created.length ?? 0, updated: result?.updated.length ?? 0, deleted: result?.deleted.length ?? 0, error: err?.message ?? '' });
        this.#handleErr(err, key);
      } finally {
        this.serviceQueue.done(key);
      }
    }
  }

  // Upstream: endpointslice_controller.go (Controller.topologyQueueWorker, processNextTopologyWorkItem)
  async #topologyQueueWorker(): Promise<void> {
    for (;;) {
      const { item, shutdown } = await this.topologyQueue.get();
      if (shutdown) return;
      this.checkNodeTopologyDistribution();
      this.topologyQueue.done(item);
    }
  }

  // Upstream: endpointslice_controller.go (Controller.handleErr, trackSync)
  #handleErr(err: Error | undefined, key: string): void {
    this.syncs[!err ? 'success' : err instanceof StaleInformerCacheError ? 'stale' : 'error']++;
    if (!err) {
      this.serviceQueue.forget(key);
      return;
    }
    if (this.serviceQueue.numRequeues(key) < maxRetries) {
      this.serviceQueue.addRateLimited(key);
      return;
    }
    this.serviceQueue.forget(key);
  }

  /**
   * Syncs one Service: lists its pods and its slices from the informers and reconciles. Returns
   * the writes (none for a deleted, ExternalName or selectorless Service).
   */
  // Upstream: endpointslice_controller.go (Controller.syncService)
  async syncService(key: string): Promise<ReconcileResult> {
    const none: ReconcileResult = { created: [], updated: [], deleted: [] };
    const [namespace, name] = key.includes('/') ? key.split('/') : ['', key];
    const service = this.#store('services')?.getByKey(key) as Service | undefined;
    if (!service) {
      this.triggerTimeTracker.deleteService(namespace, name);
      this.endpointSliceTracker.deleteService(namespace, name);
      return none;
    }
    if (service.spec.type === 'ExternalName') return none;
    if (service.spec.selector === undefined || service.spec.selector === null) return none;
    const selector = service.spec.selector;
    const pods = ((this.#store('pods')?.list() ?? []) as unknown as Pod[]).filter((p) => (p.metadata.namespace ?? '') === namespace && selectorMatches(selector, p.metadata.labels));
    const slices = ((this.#store('endpointslices')?.list() ?? []) as unknown as EndpointSlice[]).filter(
      (s) => (s.metadata.namespace ?? '') === namespace && s.metadata.labels?.[LabelServiceName] === name && s.metadata.labels?.[LabelManagedBy] === controllerQualifiedName && !s.metadata.deletionTimestamp,
    );
    if (this.endpointSliceTracker.staleSlices(service, slices)) throw new StaleInformerCacheError('EndpointSlice informer cache is out of date');
    const triggerTime = this.triggerTimeTracker.computeEndpointLastChangeTriggerTime(namespace, service, pods);
    try {
      return await this.reconciler.reconcile(service, pods, slices, triggerTime);
    } catch (e) {
      void this.#record.event(service as unknown as KubeObject, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${namespace}/${name}: ${(e as Error).message}`);
      throw e;
    }
  }

  // Upstream: endpointslice_controller.go (Controller.onServiceUpdate, onServiceDelete)
  #onServiceUpdate(obj: unknown): void {
    this.serviceQueue.add(objectKey(obj as KubeObject));
  }

  // Upstream: endpointslice_controller.go (Controller.onEndpointSliceAdd)
  #onEndpointSliceAdd(slice: EndpointSlice): void {
    if (this.reconciler.managedByController(slice) && this.endpointSliceTracker.shouldSync(slice)) this.#queueServiceForEndpointSlice(slice);
  }

  /** A change of the service-name label syncs both Services; otherwise only changes the controller did not make. */
  // Upstream: endpointslice_controller.go (Controller.onEndpointSliceUpdate)
  #onEndpointSliceUpdate(prev: EndpointSlice, cur: EndpointSlice): void {
    if (cur.metadata.labels?.[LabelServiceName] !== prev.metadata.labels?.[LabelServiceName]) {
      this.#queueServiceForEndpointSlice(cur);
      this.#queueServiceForEndpointSlice(prev);
      return;
    }
    if (this.reconciler.managedByChanged(prev, cur) || (this.reconciler.managedByController(cur) && this.endpointSliceTracker.shouldSync(cur))) this.#queueServiceForEndpointSlice(cur);
  }

  // Upstream: endpointslice_controller.go (Controller.onEndpointSliceDelete)
  #onEndpointSliceDelete(slice: EndpointSlice | undefined): void {
    if (slice && this.reconciler.managedByController(slice) && this.endpointSliceTracker.has(slice)) {
      if (!this.endpointSliceTracker.handleDeletion(slice)) this.#queueServiceForEndpointSlice(slice);
    }
  }

  // Upstream: endpointslice_controller.go (Controller.queueServiceForEndpointSlice)
  #queueServiceForEndpointSlice(slice: EndpointSlice): void {
    let key: string;
    try {
      key = serviceControllerKey(slice);
    } catch {
      return;
    }
    this.serviceQueue.addAfter(key, Math.max(endpointSliceChangeMinSyncDelayMs, this.#batchMs));
  }

  // Upstream: endpointslice_controller.go (Controller.addPod, deletePod)
  #addPod(pod: Pod | undefined): void {
    if (!pod) return;
    for (const key of getPodServiceMemberships(this.#serviceLister, pod)) this.serviceQueue.addAfter(key, this.#batchMs);
  }

  // Upstream: endpointslice_controller.go (Controller.updatePod)
  #updatePod(old: Pod, cur: Pod): void {
    for (const key of getServicesToUpdateOnPodChange(this.#serviceLister, old, cur)) this.serviceQueue.addAfter(key, this.#batchMs);
  }

  /** A node's readiness or zone changing can change the zones' shares. */
  // Upstream: endpointslice_controller.go (Controller.updateNode)
  #updateNode(old: Node, cur: Node): void {
    if (isNodeReady(old) !== isNodeReady(cur) || old.metadata.labels?.[LabelTopologyZone] !== cur.metadata.labels?.[LabelTopologyZone]) this.topologyQueue.add(topologyQueueItemKey);
  }

  /** Recomputes the zones' CPU shares and syncs every Service whose hints now overload a zone. */
  // Upstream: endpointslice_controller.go (Controller.checkNodeTopologyDistribution)
  checkNodeTopologyDistribution(): void {
    this.topologyCache.setNodes((this.#store('nodes')?.list() ?? []) as unknown as Node[]);
    for (const key of this.topologyCache.getOverloadedServices()) this.serviceQueue.add(key);
  }
}
