/**
 * The Endpoints controller: pkg/controller/endpoint/endpoints_controller.go (kubernetes v1.34:
 * `NewEndpointController`, `Run`, `processNextWorkItem`, `handleErr`, `syncService`,
 * `checkLeftoverEndpoints`, the informer handlers). It keeps one legacy Endpoints object per
 * selector Service: ready and not-ready addresses per port, repacked into subsets, at most 1,000.
 */
import type { EndpointSubset, Endpoints, Pod, Service } from '../../api/core/v1';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { StatusError } from '../../core/errors';
import { EventEmitter } from '../../core/events';
import { deepCopy, type KubeObject } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { defaultControllerRateLimiter } from '../../workqueue/default_rate_limiters';
import { newRateLimitingQueue } from '../../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../../workqueue/types';
import { endpointControllersEvents, type EndpointControllersEventMap } from '../endpointslice/events';
import { IsHeadlessService, semanticEqual } from '../endpointslice/utils';
import { findPort, isServiceIPSet, shouldPodBeInEndpoints, shouldSetHostname } from '../util/pod';
import { newEventRecorder, type EventRecorder } from '../../client/record';
import { getPodServiceMemberships, getServicesToUpdateOnPodChange, objectKey, selectorMatches, type ServiceLister } from '../util/services';
import { EndpointsLastChangeTriggerTime, formatRFC3339Nano, TriggerTimeTracker } from '../util/trigger_time_tracker';
import { StaleEndpointsTracker } from './endpoints_tracker';
import { addEndpointSubset, capacityAnnotationSetCorrectly, endpointSubsetsEqualIgnoreResourceVersion, EndpointsOverCapacity, endpointPortFromServicePort, podToEndpointAddressForService, truncated, truncateEndpoints } from './endpoints';
import { repackSubsets } from './repack';

/** Syncs of one Service that fail this many times in a row are dropped (5 ms doubling). */
export const maxRetries = 15;
/** Endpoints with this annotation are leader-election records, never cleaned up (Go: `resourcelock.LeaderElectionRecordAnnotationKey`). */
const LeaderElectionRecordAnnotationKey = 'control-plane.alpha.kubernetes.io/leader';

export interface EndpointsControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  /** `--concurrent-endpoint-syncs` (default 5). */
  concurrentEndpointSyncs?: number;
  /** `--endpoint-updates-batch-period` in ms (default 0). */
  endpointUpdatesBatchPeriodMs?: number;
  trace?: TraceRecorder;
}

export function newEndpointsController(o: EndpointsControllerOptions): EndpointsController {
  return new EndpointsController(o);
}

const finalState = <T>(obj: unknown): T => (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as T;
const isNotFound = (e: unknown) => e instanceof StatusError && e.status.code === 404;

// Upstream: pkg/controller/endpoint/endpoints_controller.go (Controller)
export class EndpointsController {
  readonly queue: RateLimitingQueue<string>;
  readonly staleEndpointsTracker = new StaleEndpointsTracker();
  readonly triggerTimeTracker = new TriggerTimeTracker();
  readonly workers: number;
  readonly #o: EndpointsControllerOptions;
  readonly #events: EventEmitter<EndpointControllersEventMap, Record<string, never>>;
  readonly #record: EventRecorder;
  readonly #batchMs: number;
  #factory?: SharedInformerFactory;
  #stopped = false;

  // Upstream: endpoints_controller.go (NewEndpointController)
  constructor(o: EndpointsControllerOptions) {
    this.#o = o;
    this.workers = o.concurrentEndpointSyncs ?? 5;
    this.#batchMs = o.endpointUpdatesBatchPeriodMs ?? 0;
    this.#events = new EventEmitter(endpointControllersEvents, resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace }), {});
    this.#record = newEventRecorder(o.client, o.clock, { component: 'endpoint-controller' });
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'endpoint', trace: o.trace });
  }

  /** An informer's store (`services`, `pods`, `endpoints`); tests may fill it directly, as upstream's do. */
  store(resource: string) {
    return this.#factory?.forResource(resource).informer().getStore();
  }

  #store(resource: string) {
    return this.store(resource);
  }

  readonly #serviceLister: ServiceLister = {
    list: (namespace) => ((this.#store('services')?.list() ?? []) as unknown as Service[]).filter((s) => (s.metadata.namespace ?? '') === namespace),
  };

  /** Starts the informers, waits for their caches, queues leftover Endpoints, then runs the workers. */
  // Upstream: endpoints_controller.go (Controller.Run)
  async run(): Promise<void> {
    const o = this.#o;
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    f.forResource('services').informer().addEventHandler({
      onAdd: (obj) => this.queue.add(objectKey(obj as KubeObject)),
      onUpdate: (_old, cur) => this.queue.add(objectKey(cur as KubeObject)),
      onDelete: (obj) => this.queue.add(objectKey(finalState<KubeObject>(obj))),
    });
    f.forResource('pods').informer().addEventHandler({
      onAdd: (obj) => this.#addPod(obj as unknown as Pod),
      onUpdate: (old, cur) => {
        for (const key of getServicesToUpdateOnPodChange(this.#serviceLister, old as unknown as Pod, cur as unknown as Pod)) this.queue.addAfter(key, this.#batchMs);
      },
      onDelete: (obj) => this.#addPod(finalState<Pod>(obj)),
    });
    f.forResource('endpoints').informer().addEventHandler({ onAdd: () => {}, onUpdate: () => {}, onDelete: (obj) => this.queue.add(objectKey(finalState<KubeObject>(obj))) });
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    for (let i = 0; i < this.workers; i++) void this.#worker();
    this.checkLeftoverEndpoints();
  }

  start(): Promise<void> {
    return this.run();
  }

  stop(): void {
    this.#stopped = true;
    this.queue.shutDown();
    this.#factory?.shutdown();
  }

  // Upstream: endpoints_controller.go (Controller.addPod, deletePod)
  #addPod(pod: Pod | undefined): void {
    if (!pod) return;
    for (const key of getPodServiceMemberships(this.#serviceLister, pod)) this.queue.addAfter(key, this.#batchMs);
  }

  // Upstream: endpoints_controller.go (Controller.worker, processNextWorkItem)
  async #worker(): Promise<void> {
    for (;;) {
      const { item: key, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        let err: Error | undefined;
        try {
          await this.syncService(key);
        } catch (e) {
          err = e as Error;
          this.#events.emit('endpoints.sync', { service: key, op: 'none', ready: 0, notReady: 0, truncated: false, error: err.message });
        }
        this.#handleErr(err, key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  // Upstream: endpoints_controller.go (Controller.handleErr)
  #handleErr(err: Error | undefined, key: string): void {
    if (!err) {
      this.queue.forget(key);
      return;
    }
    if (this.queue.numRequeues(key) < maxRetries) {
      this.queue.addRateLimited(key);
      return;
    }
    this.queue.forget(key);
  }

  /** Brings the Service's Endpoints object in line with its pods (deletes it with the Service). */
  // Upstream: endpoints_controller.go (Controller.syncService)
  async syncService(key: string): Promise<void> {
    const [namespace, name] = key.includes('/') ? key.split('/') : ['', key];
    const client = this.#o.client.coreV1().endpoints(namespace);
    const service = this.#store('services')?.getByKey(key) as Service | undefined;
    if (!service) {
      try {
        await client.delete(name);
        this.#emit(key, 'delete', 0, 0, false);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      this.triggerTimeTracker.deleteService(namespace, name);
      this.staleEndpointsTracker.delete(namespace, name);
      return;
    }
    if (service.spec.type === 'ExternalName') return;
    if (service.spec.selector === undefined || service.spec.selector === null) return;
    const selector = service.spec.selector;
    const pods = ((this.#store('pods')?.list() ?? []) as unknown as Pod[]).filter((p) => (p.metadata.namespace ?? '') === namespace && selectorMatches(selector, p.metadata.labels));
    const triggerTime = this.triggerTimeTracker.computeEndpointLastChangeTriggerTime(namespace, service, pods);

    let subsets: EndpointSubset[] = [];
    let totalReady = 0;
    let totalNotReady = 0;
    const tolerate = !!service.spec.publishNotReadyAddresses;
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, tolerate)) continue;
      let epa;
      try {
        epa = podToEndpointAddressForService(service, pod);
      } catch {
        continue; // a pod without an address of the Service's family (mid-upgrade dual-stack)
      }
      if (shouldSetHostname(pod, service)) epa = { ip: epa.ip, hostname: pod.spec.hostname, nodeName: epa.nodeName, targetRef: epa.targetRef };
      const ports = service.spec.ports ?? [];
      if (ports.length === 0) {
        // A headless Service may have no ports; no repack is needed then.
        if (service.spec.clusterIP === 'None') [totalReady, totalNotReady] = addEndpointSubset(subsets, pod, epa, undefined, tolerate);
      } else {
        for (const sp of ports) {
          let portNum: number;
          try {
            portNum = findPort(pod, sp);
          } catch {
            continue;
          }
          const [r, n] = addEndpointSubset(subsets, pod, epa, endpointPortFromServicePort(sp, portNum), tolerate);
          totalReady += r;
          totalNotReady += n;
        }
      }
    }
    subsets = repackSubsets(subsets);

    let current = this.#store('endpoints')?.getByKey(key) as Endpoints | undefined;
    if (!current) {
      current = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: service.metadata.name, labels: service.metadata.labels } };
    } else if (this.staleEndpointsTracker.isStale(current)) {
      throw new Error(`endpoints informer cache is out of date, resource version ${current.metadata.resourceVersion} already processed for endpoints ${key}`);
    }
    const create = !current.metadata.resourceVersion;
    const compareLabels = { ...(current.metadata.labels ?? {}) };
    delete compareLabels[IsHeadlessService];
    if (!create && endpointSubsetsEqualIgnoreResourceVersion(current.subsets, subsets) && semanticEqual(compareLabels, service.metadata.labels) && capacityAnnotationSetCorrectly(current.metadata.annotations, current.subsets)) {
      return; // nothing changed
    }
    const next = deepCopy(current);
    next.subsets = subsets;
    next.metadata.labels = service.metadata.labels;
    next.metadata.annotations ??= {};
    if (triggerTime !== undefined) next.metadata.annotations[EndpointsLastChangeTriggerTime] = formatRFC3339Nano(triggerTime);
    else delete next.metadata.annotations[EndpointsLastChangeTriggerTime];
    const cut = truncateEndpoints(next);
    if (cut) next.metadata.annotations[EndpointsOverCapacity] = truncated;
    else delete next.metadata.annotations[EndpointsOverCapacity];
    const labels = { ...(next.metadata.labels ?? {}) };
    if (!isServiceIPSet(service)) labels[IsHeadlessService] = '';
    else delete labels[IsHeadlessService];
    next.metadata.labels = labels;

    let updated: Endpoints | undefined;
    try {
      if (create) await client.create(next as unknown as KubeObject);
      else updated = (await client.update(next as unknown as KubeObject)) as unknown as Endpoints;
    } catch (e) {
      const err = e as Error;
      // A terminating namespace refuses creates until it is gone: drop the work.
      if (create && e instanceof StatusError && e.status.code === 403 && (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')) return;
      if (create) void this.#record.event(next as unknown as KubeObject, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${err.message}`);
      else void this.#record.event(next as unknown as KubeObject, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${err.message}`);
      throw err;
    }
    this.#emit(key, create ? 'create' : 'update', totalReady, totalNotReady, cut);
    // If the informer hands back the version just replaced, its cache lags the controller's own write.
    if (updated && updated.metadata.resourceVersion !== current.metadata.resourceVersion) this.staleEndpointsTracker.stale(current);
  }

  #emit(service: string, op: string, ready: number, notReady: number, cut: boolean): void {
    this.#events.emit('endpoints.sync', { service, op, ready, notReady, truncated: cut, error: '' });
  }

  /** Queues every existing Endpoints' Service once, so those without a Service are deleted. */
  // Upstream: endpoints_controller.go (Controller.checkLeftoverEndpoints)
  checkLeftoverEndpoints(): void {
    for (const ep of (this.#store('endpoints')?.list() ?? []) as unknown as Endpoints[]) {
      if (Object.hasOwn(ep.metadata.annotations ?? {}, LeaderElectionRecordAnnotationKey)) continue;
      this.queue.add(objectKey(ep));
    }
  }
}
