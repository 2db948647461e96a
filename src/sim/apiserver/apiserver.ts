/**
 * The API server: kube-apiserver at v1.34 over an etcd, as a `RestTransport` (the HTTP boundary
 * as plain data). It routes each request by path to a resource's handlers, serves discovery,
 * keeps a watch cache per resource (Events excepted), compacts etcd every 5 minutes, and writes
 * an httplog line per request.
 * Upstream: apiserver pkg/server (GenericAPIServer, the handler chain: filters, httplog),
 * pkg/endpoints (installer.go: the routes), pkg/storage/etcd3/compact.go (compactor),
 * plugin/pkg/admission/namespace/lifecycle (NamespaceLifecycle), kubernetes
 * pkg/controlplane/reconcilers (the `kubernetes` Service and its endpoints),
 * pkg/registry/core/namespace/storage (REST.Delete)
 */
import type { FakeClock } from '../core/clock';
import { resolveEnv, type SimEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import { deepCopy, type KubeObject } from '../core/object';
import type { Rng } from '../core/rng';
import { defaultInstanceName, type TraceRecorder } from '../core/trace';
import type { WatchEvent } from '../cache/listwatch';
import type { RestRequest, RestResponse, RestTransport, WatchEventJson, WatchStream } from '../client/transport';
import { Cacher } from './cacher/cacher';
import { CacheDelegator } from './cacher/delegator';
import { aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions, versionInfo, type ServedResource, type SubresourceDef } from './endpoints/discovery';
import {
  handleCreate,
  handleDelete,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
  outputObject,
  registryListOptions,
  type HandlerRequest,
  type HandlerScope,
} from './endpoints/handlers';
import { parseListOptions } from './endpoints/decode';
import { newRequestInfo, normalizedVerb, type RequestInfo } from './endpoints/request_info';
import { apiserverEvents, type ApiServerEventMap, type WatchEndReason } from './events';
import { httpLogLine, requestURI, withLoggingLevel } from './httplog';
import { checkWatchCacheInvariants } from './invariants';
import { apiserverGates, type ApiServerGates } from './features';
import {
  errorToAPIStatus,
  newBadRequest,
  newConflict,
  newForbidden,
  newGenericServerResponse,
  newMethodNotSupported,
  newNotFound,
  newServiceUnavailable,
  type Status,
} from '../apimachinery/errors';
import type { CustomResourceDefinition } from '../apimachinery/schema';
import { deploymentDef, endpointSliceDef, leaseDef, replicaSetDef } from './registry/kinds/apps';
import { admitPodCreate, namespaceFinalizerErrors, configMapDef, endpointsDef, eventDef, namespaceDef, nodeDef, podDef, secretDef, serviceDef, ServiceAllocators } from './registry/kinds/core';
import { apiVersionOf, attrsOf, type ResourceDef } from './registry/resource';
import { crdDef, customResourceDef, CustomResourceCleanupFinalizer } from './registry/kinds/crd';
import { podDisruptionBudgetDef } from './registry/kinds/policy';
// StatefulSet and ControllerRevision (apps/v1).
import { controllerRevisionDef, statefulSetDef } from './registry/kinds/apps_statefulset';
// autoscaling/v2 HorizontalPodAutoscaler (controllers/podautoscaler)
import { horizontalPodAutoscalerDef } from './registry/kinds/autoscaling';
import { autoscalingV1Service } from './registry/kinds/autoscaling_v1';
import { checkPriorityClassDelete, priorityClassDef, systemPriorityClassObjects } from './registry/kinds/scheduling';
import { persistentVolumeClaimDef, persistentVolumeDef, storageClassDef } from './registry/kinds/storage';
// Issue 13 (DaemonSet, Job): apps/v1 daemonsets and batch/v1 jobs.
import { daemonSetDef } from './registry/kinds/apps_daemonset';
import { jobDef } from './registry/kinds/batch';
import { admitPodPriorityUpdate, validatePriorityClassAdmission } from './admission/priority';
// K3 (wt-node)
import { admitDefaultTolerationSeconds } from './admission/default_toleration_seconds';
import { admitDefaultStorageClass } from './admission/default_storage_class';
import { RegistryStore, type RegistryContext } from './registry/store';
import { rfc3339, type Strategy } from './registry/strategy';
import { KubernetesClient, responseRangeKvs, type EtcdClient } from './storage/etcd_client';
import { Etcd3Store } from './storage/etcd3_store';
import { LeaseManager } from './storage/lease_manager';
import { everything, type StorageInterface, type StorageList } from './storage/interfaces';
import { newEtcd } from '../etcd/etcd';
import type { ServerWatch } from './watch';

/** PodLogOptions as the API server hands them to the kubelet (`/containerLogs/<ns>/<pod>/<container>`). */
export interface ContainerLogRequest {
  namespace: string;
  podName: string;
  podUid: string;
  container: string;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

/** What the API server reaches on a node: its kubelet's server (port 10250). */
export interface KubeletConnection {
  /** The log text; rejects with a StatusError (the kubelet's 400 with its message) when there are none to give. */
  containerLogs(req: ContainerLogRequest): Promise<string>;
}

/** Go: `--min-request-timeout` (default 1800 s): watches without timeoutSeconds last 30-60 min. */
export const defaultMinRequestTimeoutSeconds = 1800;
/** Go: `--etcd-compaction-interval` (default 5 min). */
export const defaultCompactionIntervalMs = 5 * 60_000;
/** Go: `compactRevKey`. */
export const compactRevKey = 'compact_rev_key';

export interface ApiServerConfig {
  /** The environment (clock, rng, trace, log); `clock`, `rng` and `trace` override its parts. */
  env?: SimEnv;
  clock?: FakeClock;
  rng?: Rng;
  trace?: TraceRecorder;
  /** The etcd to store in (DESIGN.md's etcd API); omitted: a fresh single member. */
  etcd?: EtcdClient;
  /** The server's name in trace events (default `kube-apiserver`, then `kube-apiserver-2`, ...). */
  name?: string;
  /** Go: `--min-request-timeout`, in seconds. */
  minRequestTimeoutSeconds?: number;
  /** Go: `--etcd-compaction-interval`; 0 disables compaction. */
  compactionIntervalMs?: number;
  /** The watch cache keeps at least this much history (Go: `--watch-cache`'s eventsHistoryWindow, 75 s). */
  eventFreshDurationMs?: number;
  /** Create the default namespaces and the `kubernetes` Service at start (default true). */
  bootstrap?: boolean;
}

/** Each server's clock, for clients built over it (not a property: code holding a server cannot step its time). */
const serverClocks = new WeakMap<object, FakeClock>();

/** The clock of an API server used as a transport, if `t` is one. */
export function transportClock(t: object): FakeClock | undefined {
  return serverClocks.get(t);
}

/** The storage of one resource (shared by its served versions). */
interface StorageBundle {
  etcd: Etcd3Store;
  cacher?: Cacher;
  storage: StorageInterface;
}

/** The key of a served resource version. */
function servedKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

/** What the server keeps for one served resource. */
interface Served {
  def: ResourceDef;
  etcd: Etcd3Store;
  cacher?: Cacher;
  storage: StorageInterface;
  scope: HandlerScope;
  subresources: SubresourceDef[];
}

type Emitter = EventEmitter<ApiServerEventMap, { server: string }>;

// ---- aggregated APIs (an APIService's group served in process; metrics.k8s.io: src/sim/metrics) ----
/** What serves an aggregated API group (Go: the APIService kube-aggregator proxies to, here called in process). */
export interface APIServiceProvider {
  /** Its resources, for discovery. */
  resources(): ServedResource[];
  /** Answers one resource request of the group (`info` is the parsed request). */
  serve(req: RestRequest, info: RequestInfo): Promise<RestResponse>;
}

/** A RestResponse that may carry warnings (the `Warning` headers). */
export type ApiResponse = RestResponse;

// Upstream: pkg/server/genericapiserver.go (GenericAPIServer), pkg/endpoints/installer.go
export class ApiServer implements RestTransport {
  readonly name: string;
  readonly #env: SimEnv;
  readonly #etcd: EtcdClient;
  readonly #client: KubernetesClient;
  readonly #events: Emitter;
  readonly #served = new Map<string, Served>();
  readonly #rngUid: Rng;
  readonly #rngName: Rng;
  readonly #rngAudit: Rng;
  readonly #rngWatch: Rng;
  readonly #minRequestTimeoutMs: number;
  readonly #eventFreshDurationMs: number | undefined;
  readonly #alloc: ServiceAllocators;
  readonly #gates: ApiServerGates;
  #compactRevision = 0;
  #compactTimer: { stop(): void } | undefined;
  #watchIds = 0;
  #stopped = false;
  readonly #ready: Promise<void>;
  readonly #openWatches = new Set<{ end(reason: WatchEndReason): void }>();
  readonly #compactionIntervalMs: number;
  #kubelets: ((nodeName: string) => KubeletConnection | undefined) | undefined;
  /** Served CRDs: their generation when served, and the served keys. */
  readonly #crds = new Map<string, { generation: number; keys: string[] }>();
  readonly #crdStorage = new Map<string, StorageBundle>();
  #crdReconcilePending = false;
  #crdReconcile: Promise<void> = Promise.resolve();

  constructor(cfg: ApiServerConfig = {}) {
    this.#env = resolveEnv(cfg);
    serverClocks.set(this, this.#env.clock);
    this.#gates = apiserverGates(this.#env);
    this.name = cfg.name ?? defaultInstanceName(this.#env.trace, 'kube-apiserver');
    this.#events = new EventEmitter(apiserverEvents, this.#env, { server: this.name });
    this.#etcd = cfg.etcd ?? newEtcd({ env: this.#env, rng: this.#env.rng.fork('etcd') });
    this.#client = new KubernetesClient(this.#etcd);
    const rng = this.#env.rng.fork(`apiserver/${this.name}`);
    this.#rngUid = rng.fork('uid');
    this.#rngName = rng.fork('generateName');
    this.#rngAudit = rng.fork('auditID');
    this.#rngWatch = rng.fork('watchTimeout');
    this.#alloc = new ServiceAllocators(rng.fork('serviceAllocators'));
    this.#minRequestTimeoutMs = (cfg.minRequestTimeoutSeconds ?? defaultMinRequestTimeoutSeconds) * 1000;
    this.#eventFreshDurationMs = cfg.eventFreshDurationMs;
    const compactionIntervalMs = cfg.compactionIntervalMs ?? defaultCompactionIntervalMs;
    this.#compactionIntervalMs = compactionIntervalMs;
    const pvDef = persistentVolumeDef(() => this.#env.clock.now());
    const storageDefs = [pvDef, persistentVolumeClaimDef, storageClassDef, podDisruptionBudgetDef, priorityClassDef];
    // StatefulSet and ControllerRevision (apps/v1).
    storageDefs.push(statefulSetDef, controllerRevisionDef);
    storageDefs.push(daemonSetDef, jobDef); // Issue 13: DaemonSet and Job.
    // autoscaling/v2 HorizontalPodAutoscaler (controllers/podautoscaler)
    storageDefs.push(horizontalPodAutoscalerDef);
    this.registerAPIService('autoscaling/v1', autoscalingV1Service((req) => this.#serve(req, newRequestInfo(req.verb, req.path, req.query ?? {}))));
    for (const def of [namespaceDef, podDef, nodeDef, configMapDef, secretDef, serviceDef(this.#alloc), endpointsDef, eventDef, deploymentDef, replicaSetDef, endpointSliceDef, leaseDef, ...storageDefs]) {
      this.#install(def, compactionIntervalMs > 0);
    }
    this.#install(crdDef, compactionIntervalMs > 0, () => this.#scheduleCRDReconcile());
    if (compactionIntervalMs > 0) this.#armCompactor(compactionIntervalMs, 0, 0);
    this.#ready = this.#start(cfg.bootstrap ?? true);
  }

  /** The feature gates in force (from the environment's `features`). */
  get featureGates(): Readonly<ApiServerGates> {
    return Object.freeze({ ...this.#gates });
  }

  /** The etcd this server stores in. */
  get etcd(): EtcdClient {
    return this.#etcd;
  }


  /** Resolves once every watch cache has listed and the bootstrap objects exist (requests wait for it). */
  whenReady(): Promise<void> {
    return this.#ready;
  }

  /** The resources served, for discovery and the shell (`kubectl api-resources`). */
  servedResources(): ServedResource[] {
    return [...this.#served.values()].map((s) => ({ def: s.def, subresources: s.subresources })).concat([...this.#apiServices.values()].flatMap((p) => p.resources()));
  }

  // ---- aggregated APIs (src/sim/metrics) ----
  readonly #apiServices = new Map<string, APIServiceProvider>();
  /** Serves `group` (or one `group/version`) through `provider` (Go: registering an APIService); returns the unregister function. */
  registerAPIService(group: string, provider: APIServiceProvider): () => void {
    this.#apiServices.set(group, provider);
    return () => {
      if (this.#apiServices.get(group) === provider) this.#apiServices.delete(group);
    };
  }

  /** Open watches (from the cache and from etcd). */
  openWatchCount(): number {
    return this.#openWatches.size;
  }

  /** The watch cache of a resource (`pods`, `deployments.apps`), for views and tests. */
  watchCacheOf(resource: string): { resourceVersion: number; capacity: number; size: number; oldestResourceVersion: number; listResourceVersion: number } | undefined {
    let s: Served | undefined;
    try {
      s = this.#byResource(resource);
    } catch {
      s = undefined;
    }
    const wc = s?.cacher?.watchCache;
    if (!wc) return undefined;
    return { resourceVersion: wc.resourceVersion, capacity: wc.capacity, size: wc.size, oldestResourceVersion: wc.oldestResourceVersion, listResourceVersion: wc.listResourceVersion };
  }

  /** Every broken invariant of every watch cache (`invariants.ts`), prefixed by its resource; empty when all hold. */
  checkInvariants(): string[] {
    const out: string[] = [];
    for (const s of this.#served.values()) {
      const wc = s.cacher?.watchCache;
      if (!wc) continue;
      const name = s.def.group ? `${s.def.resource}.${s.def.group}/${s.def.version}` : `${s.def.resource}/${s.def.version}`;
      for (const v of checkWatchCacheInvariants(wc.snapshot())) out.push(`${name}: ${v}`);
    }
    return out;
  }

  /** The revision the apiserver last compacted etcd at (0: none yet). */
  get compactRevision(): number {
    return this.#compactRevision;
  }

  /**
   * Ends every open watch, as a dropped connection or an apiserver restart would (the clients
   * see their watches end and watch again from their last resourceVersion).
   */
  dropWatches(): number {
    const all = [...this.#openWatches];
    for (const w of all) w.end('serverStop');
    return all.length;
  }

  /**
   * Restarts the API server over the same etcd: every open watch ends, every watch cache is
   * dropped and lists again from etcd (requests answer 429 meanwhile), so a client that watches
   * again from a resourceVersion older than the new cache gets `410 Expired` and relists.
   */
  restart(): void {
    this.dropWatches();
    for (const s of new Set([...this.#served.values()].map((x) => x.cacher))) s?.reinitialize();
  }

  /** Stops caches, watches and timers (Go: the server's shutdown). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#compactTimer?.stop();
    for (const w of [...this.#openWatches]) w.end('serverStop');
    for (const s of new Set([...this.#served.values()].map((x) => x.cacher))) s?.stop();
  }

  // ---- installation ---------------------------------------------------------------------------

  #install(def: ResourceDef, pollCompaction: boolean, onEvent?: () => void): void {
    this.#installServed(def, this.#installStorage(def, pollCompaction, onEvent));
  }

  /** The etcd store, and the watch cache in front of it, of one resource (all its versions). */
  #installStorage(def: ResourceDef, pollCompaction: boolean, onEvent?: () => void): StorageBundle {
    const ev = this.#events;
    const resourceLabel = def.group ? `${def.resource}.${def.group}` : def.resource;
    const bookmarkObject = (rv: number): KubeObject => ({ kind: def.kind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(rv) } });
    const leases = new LeaseManager(this.#env.clock, async (ttlSec) => (await this.#etcd.leaseGrant(ttlSec)).id);
    const etcd = new Etcd3Store({
      client: this.#client,
      pathPrefix: '/registry/',
      resourcePrefix: '/' + def.storagePrefix,
      groupResource: { group: def.group, resource: def.resource },
      compactRevision: () => this.#compactRevision,
      leaseFor: (ttlSec) => leases.getLease(ttlSec),
      newObject: bookmarkObject,
    });
    let storage: StorageInterface = etcd;
    let cacher: Cacher | undefined;
    const observeList = (source: 'cache' | 'etcd', why: string, l: StorageList) =>
      ev.emit('apiserver.list', { resource: resourceLabel, source, rv: String(l.resourceVersion), items: l.items.length, why });
    if (def.watchCache) {
      cacher = new Cacher({
        env: this.#env,
        storage: etcd,
        groupResource: { group: def.group, resource: def.resource },
        resourcePrefix: '/' + def.storagePrefix,
        typeName: def.typeName,
        keyFunc: (obj) => (def.namespaced ? `/${def.storagePrefix}/${obj.metadata.namespace}/${obj.metadata.name}` : `/${def.storagePrefix}/${obj.metadata.name}`),
        getAttrs: attrsOf(def),
        newObject: bookmarkObject,
        eventFreshDurationMs: this.#eventFreshDurationMs,
        pollCompaction,
        snapshots: this.#gates.ListFromCacheSnapshot,
        hooks: {
          event: (e, oldestRv, size, capacity) => {
            if (ev.recording) ev.emit('apiserver.cacheEvent', { resource: resourceLabel, eventType: e.type, key: e.key, rv: e.resourceVersion, oldestRv, size, capacity });
            onEvent?.();
          },
          resize: (from, to) => ev.emit('apiserver.cacheWindow', { resource: resourceLabel, fromCapacity: from, capacity: to }),
          replace: (rv, items) => {
            ev.emit('apiserver.cacheReplace', { resource: resourceLabel, rv, items });
            onEvent?.();
          },
          progress: (rv) => ev.emit('apiserver.cacheProgress', { resource: resourceLabel, rv }),
          watcherObserver: () => ({ sent: () => {} }),
          log: (level, source, v, message) => ev.emit('apiserver.log', { level, source, v, message }),
        },
      });
      storage = new CacheDelegator(cacher, etcd, '/' + def.storagePrefix, observeList, this.#gates);
    } else {
      const inner = storage;
      storage = {
        ...inner,
        create: (k, o, t) => inner.create(k, o, t),
        delete: (k, p, v, c) => inner.delete(k, p, v, c),
        watch: (k, o) => inner.watch(k, o),
        get: (k, o) => inner.get(k, o),
        getList: async (k, o) => {
          const l = await inner.getList(k, o);
          observeList('etcd', 'no watch cache for this resource', l);
          return l;
        },
        guaranteedUpdate: (k, i, p, f, c, t) => inner.guaranteedUpdate(k, i, p, f, c, t),
        getCurrentResourceVersion: () => inner.getCurrentResourceVersion(),
        requestWatchProgress: () => inner.requestWatchProgress(),
        compactRevision: () => inner.compactRevision(),
      };
    }
    return { etcd, cacher, storage };
  }

  /** Serves one version of a resource over its storage: registry stores, subresources, handlers. */
  #installServed(def: ResourceDef, bundle: StorageBundle): Served {
    const { etcd, cacher, storage } = bundle;
    const deps = { now: () => this.#env.clock.now(), uid: () => this.#uuid(this.#rngUid), randInt: (n: number) => this.#rngName.int(n) };
    const store = new RegistryStore(def, storage, deps);
    const statusStore = def.statusStrategy ? store.withStrategy(def.statusStrategy) : undefined;
    const subresources: SubresourceDef[] = [];
    if (def.resource === 'pods' && !def.custom) subresources.push({ name: 'binding', kind: 'Binding', verbs: ['create'] }, { name: 'log', kind: 'Pod', verbs: ['get'] });
    if (def.resource === 'namespaces' && !def.custom) subresources.push({ name: 'finalize', kind: 'Namespace', verbs: ['update'] });
    if (def.statusStrategy) subresources.push({ name: 'status', kind: def.kind, verbs: ['get', 'patch', 'update'] });
    if ((def.group === 'apps' && (def.resource === 'deployments' || def.resource === 'replicasets')) || def.scaleSubresource) {
      subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
    }
    subresources.sort((a, b) => (a.name < b.name ? -1 : 1));
    const core = def.group === '' && !def.custom;
    const scope: HandlerScope = {
      def,
      store,
      statusStore,
      returnDeletedObject: core && ['pods', 'namespaces', 'services'].includes(def.resource),
      admitCreate: (ctx, obj) => this.#admitCreate(def, ctx, obj),
      admitUpdate: core && def.resource === 'pods' ? async (_ctx, obj, old) => admitPodPriorityUpdate(obj, old) : undefined,
      validateAdmission: isPriorityClass(def) ? async (obj, old) => validatePriorityClassAdmission(obj, await this.#priorityClasses(), old ? 'UPDATE' : 'CREATE') : undefined,
      checkDelete: isPriorityClass(def) ? checkPriorityClassDelete : undefined,
      afterDelete: core && def.resource === 'services' ? (obj) => this.#alloc.release(obj) : undefined,
      finalizeStore: core && def.resource === 'namespaces' ? store.withStrategy(namespaceFinalizeStrategy(def.strategy)) : undefined,
      now: () => rfc3339(this.#env.clock.now()),
    };
    const served: Served = { def, etcd, cacher, storage, scope, subresources };
    this.#served.set(servedKey(def.group, def.version, def.resource), served);
    return served;
  }

  /** The served resource `resource` or `resource.group` (its first served version). */
  #byResource(qualified: string): Served {
    for (const s of this.#served.values()) if ((s.def.group ? `${s.def.resource}.${s.def.group}` : s.def.resource) === qualified) return s;
    throw new Error(`not served: ${qualified}`);
  }

  // ---- CustomResourceDefinitions --------------------------------------------------------------

  /** Runs the CRD controllers once more, after whatever runs now (a CRD changed). */
  #scheduleCRDReconcile(): void {
    if (this.#crdReconcilePending) return;
    this.#crdReconcilePending = true;
    void Promise.resolve().then(() => {
      this.#crdReconcilePending = false;
      this.#crdReconcile = this.#crdReconcile.then(() => this.#reconcileCRDs()).catch((e: unknown) => {
        this.#events.emit('apiserver.log', { level: 'error', source: 'cacher.go', v: 0, message: `CRD reconcile failed: ${(e as Error).message}` });
      });
    });
  }

  /**
   * What apiextensions-apiserver's controllers do: serve each established CRD's versions (the
   * naming and establishing controllers set NamesAccepted and Established), and, for a CRD being
   * deleted, delete its custom resources, then release the CRD (the finalizer controller).
   */
  // Upstream: apiextensions-apiserver pkg/controller/status (NamingConditionController), establish (EstablishingController), finalizer (CRDFinalizer), apiserver/customresource_handler.go (crdHandler)
  async #reconcileCRDs(): Promise<void> {
    const crdServed = this.#byResource('customresourcedefinitions.apiextensions.k8s.io');
    const list = await crdServed.scope.store.list({ namespace: '' }, { predicate: everything(attrsOf(crdServed.def)), resourceVersion: '0', resourceVersionMatch: '' });
    const seen = new Set<string>();
    for (const item of list.items) {
      const crd = deepCopy(item) as unknown as CustomResourceDefinition & KubeObject;
      const name = crd.metadata.name as string;
      seen.add(name);
      if (crd.metadata.deletionTimestamp) {
        await this.#finalizeCRD(crd);
        continue;
      }
      const installed = this.#crds.get(name);
      if (!installed || installed.generation !== crd.metadata.generation) this.#serveCRD(crd);
      const conditions = ((crd.status as { conditions?: Array<{ type: string }> } | undefined)?.conditions ?? []).map((c) => c.type);
      if (!conditions.includes('Established')) {
        const now = rfc3339(this.#env.clock.now());
        await crdServed.scope.store.rawUpdate({ namespace: '' }, name, (existing) => {
          const names = { ...((existing.spec as { names: object }).names ?? {}) } as Record<string, unknown>;
          existing.status = {
            conditions: [
              { type: 'NamesAccepted', status: 'True', lastTransitionTime: now, reason: 'NoConflicts', message: 'no conflicts found' },
              { type: 'Established', status: 'True', lastTransitionTime: now, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
            ],
            acceptedNames: names,
            storedVersions: (existing.spec as { versions: Array<{ name: string; storage: boolean }> }).versions.filter((v) => v.storage).map((v) => v.name),
          };
          return existing;
        });
      }
    }
    for (const name of [...this.#crds.keys()]) if (!seen.has(name)) this.#unserveCRD(name);
  }

  /** Serves every served version of a CRD, over one storage at its storage version. */
  #serveCRD(crd: CustomResourceDefinition & KubeObject): void {
    const name = crd.metadata.name as string;
    this.#unserveCRD(name, true);
    const storageVersion = crd.spec.versions.find((v) => v.storage)?.name ?? crd.spec.versions[0].name;
    const storageDef = customResourceDef(crd, storageVersion);
    const existing = this.#crdStorage.get(name);
    const bundle = existing ?? this.#installStorage(storageDef, this.#compactionIntervalMs > 0);
    this.#crdStorage.set(name, bundle);
    const keys: string[] = [];
    for (const v of crd.spec.versions) {
      if (!v.served) continue;
      const def = customResourceDef(crd, v.name, `${crd.spec.group}/${storageVersion}`);
      this.#installServed(def, bundle);
      keys.push(servedKey(def.group, def.version, def.resource));
    }
    this.#crds.set(name, { generation: crd.metadata.generation as number, keys });
  }

  #unserveCRD(name: string, keepStorage = false): void {
    const c = this.#crds.get(name);
    if (c) for (const k of c.keys) this.#served.delete(k);
    this.#crds.delete(name);
    if (!keepStorage) {
      this.#crdStorage.get(name)?.cacher?.stop();
      this.#crdStorage.delete(name);
    }
  }

  /** Deletes a CRD's custom resources, then removes its cleanup finalizer (which deletes it). */
  // Upstream: apiextensions-apiserver pkg/controller/finalizer/crd_finalizer.go (CRDFinalizer.sync, deleteInstances)
  async #finalizeCRD(crd: CustomResourceDefinition & KubeObject): Promise<void> {
    const name = crd.metadata.name as string;
    const c = this.#crds.get(name);
    const served = c ? (this.#served.get(c.keys[0]) as Served | undefined) : undefined;
    if (served) {
      const all = await served.scope.store.list({ namespace: '' }, { predicate: everything(attrsOf(served.def)), resourceVersion: '', resourceVersionMatch: '' });
      for (const o of all.items) {
        try {
          await served.scope.store.delete({ namespace: o.metadata.namespace ?? '' }, o.metadata.name as string, {});
        } catch {
          // gone already
        }
      }
    }
    this.#unserveCRD(name);
    const crdServed = this.#byResource('customresourcedefinitions.apiextensions.k8s.io');
    try {
      await crdServed.scope.store.update({ namespace: '' }, name, {
        updatedObject: (existing) => {
          const o = deepCopy(existing as KubeObject);
          o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== CustomResourceCleanupFinalizer);
          return o;
        },
      });
    } catch {
      // gone already
    }
  }

  /** NamespaceLifecycle, the pod admission defaults (service account, default tolerations), and the Priority plugin. */
  // Upstream: plugin/pkg/admission/namespace/lifecycle/admission.go (Lifecycle.Admit), plugin/pkg/admission/priority/admission.go
  async #admitCreate(def: ResourceDef, ctx: RegistryContext, obj: KubeObject): Promise<void> {
    if (def.namespaced && ctx.namespace) {
      const nsStore = this.#byResource('namespaces');
      let ns: KubeObject | undefined;
      try {
        ns = await nsStore.scope.store.get({ namespace: '' }, ctx.namespace, '');
      } catch {
        ns = undefined;
      }
      if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, ctx.namespace);
      const phase = (ns.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Terminating') {
        throw newForbidden({ group: def.group, resource: def.resource }, obj.metadata.name ?? '', new Error(`unable to create new content in namespace ${ctx.namespace} because it is being terminated`));
      }
    }
    if (def.resource === 'pods' && def.group === '' && !def.custom) admitPodCreate(obj, await this.#priorityClasses());

    // K3 (wt-node): DefaultTolerationSeconds (not-ready / unreachable NoExecute for 300 s)
    if (def.resource === 'pods' && def.group === '' && !def.custom) admitDefaultTolerationSeconds(obj);

    // R1 (wt-pv): DefaultStorageClass (a claim without a class gets the default one)
    if (def.resource === 'persistentvolumeclaims' && def.group === '' && !def.custom) admitDefaultStorageClass(obj, await this.#priorityClasses('storageclasses.storage.k8s.io'));
  }

  /**
   * The PriorityClasses the Priority admission plugin's lister holds: what the watch cache holds
   * now, read without waiting (as an informer's store is), falling back to etcd without a cache.
   */
  async #priorityClasses(resource = 'priorityclasses.scheduling.k8s.io'): Promise<KubeObject[]> {
    const pcs = this.#byResource(resource);
    const wc = pcs.cacher?.watchCache;
    if (wc) return wc.listKeys().flatMap((k) => wc.getByKey(k)?.object ?? []);
    const list = await pcs.etcd.getList(`/${pcs.def.storagePrefix}`, { predicate: everything(attrsOf(pcs.def)), resourceVersion: '', resourceVersionMatch: '', recursive: true });
    return list.items as KubeObject[];
  }

  // ---- start ------------------------------------------------------------------------------------

  /**
   * Go: the ClusterIP and NodePort repair controllers' first pass: addresses and ports of the
   * Services already stored are marked taken, so an API server started over an existing etcd
   * does not hand them out again.
   */
  async #repairServiceAllocations(): Promise<void> {
    const svc = this.#byResource('services');
    const list = await svc.etcd.getList(`/${svc.def.storagePrefix}`, { predicate: everything(attrsOf(svc.def)), resourceVersion: '', resourceVersionMatch: '', recursive: true });
    for (const obj of list.items as KubeObject[]) {
      const spec = (obj.spec ?? {}) as { clusterIP?: string; ports?: Array<{ nodePort?: number }>; healthCheckNodePort?: number };
      if (spec.clusterIP && spec.clusterIP !== 'None') this.#alloc.claimIP(spec.clusterIP);
      for (const p of spec.ports ?? []) if (typeof p.nodePort === 'number') this.#alloc.claimPort(p.nodePort);
      if (typeof spec.healthCheckNodePort === 'number') this.#alloc.claimPort(spec.healthCheckNodePort);
    }
  }

  async #start(bootstrap: boolean): Promise<void> {
    await Promise.all([...this.#served.values()].map((s) => (s.cacher ? Promise.all([s.cacher.whenReady(), s.cacher.whenWatching()]) : Promise.resolve())));
    await this.#repairServiceAllocations();
    if (!bootstrap) return;
    const ns = this.#byResource('namespaces');
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      try {
        await ns.scope.store.create({ namespace: '' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      } catch {
        // already there (a restart over the same etcd)
      }
    }
    // Upstream: pkg/registry/scheduling/rest/storage_scheduling.go (AddSystemPriorityClasses, the post-start hook)
    const pcs = this.#byResource('priorityclasses.scheduling.k8s.io');
    for (const pc of systemPriorityClassObjects()) {
      try {
        pcs.def.defaults?.(pc);
        await pcs.scope.store.create({ namespace: '' }, pc);
      } catch {
        // already there
      }
    }
    // Upstream: pkg/controlplane/controller/kubernetesservice (the `kubernetes` Service), reconcilers (its endpoints)
    const svc = this.#byResource('services');
    const labels = { component: 'apiserver', provider: 'kubernetes' };
    try {
      const s: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', labels }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } };
      svc.def.defaults?.(s);
      await svc.scope.store.create({ namespace: 'default' }, s);
      const ep = this.#byResource('endpoints');
      await ep.scope.store.create({ namespace: 'default' }, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }] });
      const es = this.#byResource('endpointslices.discovery.k8s.io');
      await es.scope.store.create(
        { namespace: 'default' },
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
          addressType: 'IPv4',
          endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
          ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
        },
      );
    } catch {
      // already there
    }
  }

  // ---- the compactor ----------------------------------------------------------------------------

  /** Every interval, compacts etcd at the revision it saw one interval before (Go: `compactor.runCompactLoop`, `Compact`). */
  // Upstream: pkg/storage/etcd3/compact.go (compactor.runCompactLoop, Compact)
  #armCompactor(intervalMs: number, compactTime: number, rev: number): void {
    this.#compactTimer = this.#env.clock.afterFunc(intervalMs, () => {
      void (async () => {
        let nextTime = compactTime;
        let nextRev = rev;
        try {
          const resp = await this.#etcd.txn({
            compare: [{ key: compactRevKey, target: 'VERSION', result: '=', value: compactTime }],
            success: [{ put: { key: compactRevKey, value: String(rev) } }],
            failure: [{ get: { key: compactRevKey } }],
          });
          nextRev = resp.header.revision;
          if (!resp.succeeded) {
            const kv = responseRangeKvs(resp.responses[0])[0];
            nextTime = kv?.version ?? compactTime;
          } else {
            nextTime = compactTime + 1;
            if (rev !== 0) {
              await this.#etcd.compact(rev);
              this.#compactRevision = Math.max(this.#compactRevision, rev);
              this.#events.emit('apiserver.compact', { rev });
              this.#events.emit('apiserver.log', { level: 'info', source: 'compact.go', v: 4, message: `etcd: compacted rev (${rev}), endpoints ([https://127.0.0.1:2379])` });
            }
          }
        } catch (e) {
          this.#events.emit('apiserver.log', { level: 'error', source: 'compact.go', v: 0, message: `etcd: endpoint ([https://127.0.0.1:2379]) compact failed: ${(e as Error).message}` });
        }
        if (!this.#stopped) this.#armCompactor(intervalMs, nextTime, nextRev);
      })();
    });
  }

  // ---- requests ---------------------------------------------------------------------------------

  #uuid(rng: Rng): string {
    const hex = (n: number) => rng.uint32().toString(16).padStart(8, '0').slice(0, n);
    const a = hex(8);
    const b = hex(4);
    const c = '4' + hex(3);
    const d = ((8 + rng.int(4)).toString(16) + hex(3));
    const e = hex(8) + hex(4);
    return `${a}-${b}-${c}-${d}-${e}`;
  }

  #log(verb: string, uri: string, code: number, startMs: number, userAgent: string, auditID: string): void {
    const latencyMs = this.#env.clock.now() - startMs;
    this.#events.emit('apiserver.request', { verb, uri, code, latencyMs, userAgent, auditID });
    if (this.#events.recording) {
      this.#events.emit('apiserver.log', { level: 'info', source: 'httplog.go', v: withLoggingLevel, message: httpLogLine({ verb, uri, latencyMs, userAgent, auditID, srcIP: '10.0.0.1:50000', code }) });
    }
  }

  /** A request that answers once (RestTransport.request). */
  /**
   * Connects the API server to the nodes' kubelets (what `--kubelet-*` flags and the node's
   * address give a real one): `pods/log` is proxied to the kubelet of the pod's node.
   */
  setKubeletConnection(connect: ((nodeName: string) => KubeletConnection | undefined) | undefined): void {
    this.#kubelets = connect;
  }

  /** GET pods/<name>/log: the container is checked here, the logs come from the pod's kubelet. */
  // Upstream: pkg/registry/core/pod/rest/log.go (LogREST.Get), pkg/registry/core/pod/strategy.go (LogLocation, validateContainer)
  async #podLog(served: Served, ctx: RegistryContext, r: HandlerRequest): Promise<ApiResponse> {
    const pod = (await served.scope.store.get(ctx, r.name, '')) as KubeObject & { spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[] } };
    const q = r.query;
    const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
    let container = q.container ?? '';
    if (!container) {
      const containers = pod.spec?.containers ?? [];
      if (containers.length === 1) container = containers[0].name;
      else if (containers.length === 0) throw newBadRequest(`a container name must be specified for pod ${r.name}`);
      else throw newBadRequest(`a container name must be specified for pod ${r.name}, choose one of: [${names.join(' ')}]`);
    } else if (!names.includes(container)) throw newBadRequest(`container ${container} is not valid for pod ${r.name}`);
    const int = (k: string) => (q[k] === undefined ? undefined : Number(q[k]));
    for (const k of ['tailLines', 'sinceSeconds', 'limitBytes']) {
      const v = int(k);
      if (v !== undefined && (!Number.isInteger(v) || v < (k === 'tailLines' ? 0 : 1))) throw newBadRequest(`${k}: Invalid value: ${q[k]}: must be ${k === 'tailLines' ? 'greater than or equal to 0' : 'greater than 0'}`);
    }
    const nodeName = pod.spec?.nodeName;
    // A pod no node runs yet has no logs: an empty stream, as upstream's nil location gives.
    if (!nodeName) return { code: 200, body: '' };
    const kubelet = this.#kubelets?.(nodeName);
    if (!kubelet) throw newServiceUnavailable(`no kubelet answers for node "${nodeName}"`);
    const text = await kubelet.containerLogs({
      namespace: pod.metadata.namespace ?? '',
      podName: pod.metadata.name ?? '',
      podUid: pod.metadata.uid ?? '',
      container,
      previous: q.previous === 'true',
      timestamps: q.timestamps === 'true',
      tailLines: int('tailLines'),
      sinceSeconds: int('sinceSeconds'),
      limitBytes: int('limitBytes'),
    });
    return { code: 200, body: text };
  }

  async request(req: RestRequest): Promise<ApiResponse> {
    const startMs = this.#env.clock.now();
    const query = req.query ?? {};
    const auditID = this.#uuid(this.#rngAudit);
    const uri = requestURI(req.path, query);
    let info: RequestInfo | undefined;
    let res: ApiResponse;
    try {
      await this.#ready;
      info = newRequestInfo(req.verb, req.path, query);
      if (info.verb === 'watch') throw newBadRequest('watch requests are served by RestTransport.watch');
      res = await this.#serve(req, info);
    } catch (e) {
      const status = errorToAPIStatus(e);
      res = { code: status.code, body: status };
    }
    this.#log(normalizedVerb(req.verb, info, query, req.contentType), uri, res.code, startMs, req.userAgent ?? '', auditID);
    return res;
  }

  async #serve(req: RestRequest, info: RequestInfo): Promise<ApiResponse> {
    if (!info.isResourceRequest) return this.#serveNonResource(req);
    // aggregated APIs (src/sim/metrics)
    const apiService = info.apiPrefix === 'apis' ? (this.#apiServices.get(`${info.apiGroup}/${info.apiVersion}`) ?? this.#apiServices.get(info.apiGroup)) : undefined;
    if (apiService) return apiService.serve(req, info);
    const served = this.#lookup(info);
    if (!served) throw newPathNotFound();
    const def = served.def;
    if (info.namespace && !def.namespaced && def.resource !== 'namespaces') throw newPathNotFound();
    const ctx: RegistryContext = { namespace: def.namespaced ? info.namespace : '' };
    const r: HandlerRequest = { namespace: info.namespace, name: info.name, subresource: info.subresource, query: req.query ?? {}, body: req.body, contentType: req.contentType };
    if (def.resource === 'namespaces' && def.group === '') {
      // /api/v1/namespaces/<name>/... : the namespace is the name
      r.namespace = '';
    }
    const allowedSub = served.subresources.map((s) => s.name);
    if (info.subresource && !allowedSub.includes(info.subresource)) throw newPathNotFound();
    if (info.parts.length > 3) throw newPathNotFound();
    switch (info.verb) {
      case 'get':
        if (info.subresource === 'log') return this.#podLog(served, ctx, r);
        if (info.subresource && !['status', 'scale'].includes(info.subresource)) throw methodNotAllowed();
        return handleGet(served.scope, ctx, r);
      case 'list':
        return handleList(served.scope, ctx, r);
      case 'create':
        if (info.name && info.subresource !== 'binding') throw methodNotAllowed();
        if (!info.name && def.resource === 'bindings') throw methodNotAllowed();
        return handleCreate(served.scope, ctx, r);
      case 'update':
        if (!info.name) throw methodNotAllowed();
        return handleUpdate(served.scope, ctx, r);
      case 'patch':
        if (!info.name) throw methodNotAllowed();
        return handlePatch(served.scope, ctx, r);
      case 'delete':
        if (def.resource === 'namespaces' && def.group === '') return this.#deleteNamespace(served, r);
        if (def.resource === 'customresourcedefinitions' && def.group === 'apiextensions.k8s.io') return this.#deleteCRD(served, r);
        return handleDelete(served.scope, ctx, r);
      case 'deletecollection':
        // Upstream: pkg/endpoints/installer.go (registerResourceHandlers: DELETE on a collection is routed only when the storage is a rest.CollectionDeleter; namespaces' REST is not)
        if (!def.verbs.includes('deletecollection')) throw methodNotAllowed();
        return this.#deleteCollection(served, ctx, r);
      default:
        throw methodNotAllowed();
    }
  }

  #lookup(info: RequestInfo): Served | undefined {
    const s = this.#served.get(servedKey(info.apiGroup, info.apiVersion, info.resource));
    if (!s || (info.apiPrefix === 'api') !== (s.def.group === '')) return undefined;
    return s;
  }

  #serveNonResource(req: RestRequest): ApiResponse {
    if (req.verb !== 'GET') throw newPathNotFound();
    const p = req.path.replace(/\/+$/, '') || '/';
    const resources = this.servedResources();
    const aggregated = req.accept?.includes('apidiscovery.k8s.io') ?? false;
    if (p === '/api') return { code: 200, body: aggregated ? aggregatedDiscovery(resources, true) : apiVersions() };
    if (p === '/apis') return { code: 200, body: aggregated ? aggregatedDiscovery(resources, false) : apiGroupList(resources) };
    if (p === '/version') return { code: 200, body: versionInfo() };
    if (p === '/healthz' || p === '/livez' || p === '/readyz') return { code: 200, body: 'ok' };
    const parts = p.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts.length === 2) {
      const doc = apiResourceList(resources, '', parts[1]);
      if (doc) return { code: 200, body: doc };
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const doc = apiGroupDoc(resources, parts[1]);
      if (doc) return { code: 200, body: doc };
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const doc = apiResourceList(resources, parts[1], parts[2]);
      if (doc) return { code: 200, body: doc };
    }
    throw newPathNotFound();
  }

  /**
   * DELETE of a namespace: Terminating first, with the orphan / foregroundDeletion finalizers the
   * options ask for (the garbage collector removes them); removed once spec.finalizers is empty.
   */
  // Upstream: kubernetes pkg/registry/core/namespace/storage/storage.go (REST.Delete, shouldHaveOrphanFinalizer, shouldHaveDeleteDependentsFinalizer)
  async #deleteNamespace(served: Served, r: HandlerRequest): Promise<ApiResponse> {
    const store = served.scope.store;
    const ctx: RegistryContext = { namespace: '' };
    const ns = await store.get(ctx, r.name, '');
    const opts = (r.body ?? {}) as { orphanDependents?: boolean; propagationPolicy?: string; preconditions?: { uid?: string; resourceVersion?: string } };
    const pre = opts.preconditions ?? {};
    const gr = { group: '', resource: 'namespaces' };
    if (pre.uid !== undefined && pre.uid !== ns.metadata.uid) throw newConflict(gr, r.name, new Error(`Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${ns.metadata.uid}`));
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== ns.metadata.resourceVersion) {
      throw newConflict(gr, r.name, new Error(`Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${ns.metadata.resourceVersion}`));
    }
    if (!ns.metadata.deletionTimestamp) {
      const shouldHave = {
        orphan: opts.orphanDependents ?? (opts.propagationPolicy !== undefined ? opts.propagationPolicy === 'Orphan' : undefined),
        foregroundDeletion: opts.orphanDependents !== undefined ? !opts.orphanDependents : opts.propagationPolicy !== undefined ? opts.propagationPolicy === 'Foreground' : undefined,
      };
      const out = await store.rawUpdate(ctx, r.name, (existing) => {
        if (!existing.metadata.deletionTimestamp) existing.metadata.deletionTimestamp = rfc3339(this.#env.clock.now());
        const status = (existing.status ?? {}) as Record<string, unknown>;
        status.phase = 'Terminating';
        existing.status = status;
        const current = new Set(existing.metadata.finalizers ?? []);
        let changed = false;
        for (const [f, want] of Object.entries(shouldHave)) {
          // undefined: the options say nothing, what is there stays.
          if (want === undefined || current.has(f) === want) continue;
          changed = true;
          if (want) current.add(f);
          else current.delete(f);
        }
        // Go builds the list from a map (any order): sorted here, so runs repeat.
        if (changed) existing.metadata.finalizers = [...current].sort();
        return existing;
      });
      return { code: 200, body: outputObject(served.def, out) };
    }
    const finalizers = ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length;
    if (finalizers > 0) return { code: 200, body: outputObject(served.def, ns) };
    return handleDelete(served.scope, ctx, r);
  }

  /** DELETE of a CRD: the cleanup finalizer and the Terminating condition first; the finalizer controller does the rest. */
  // Upstream: apiextensions-apiserver pkg/registry/customresourcedefinition/etcd.go (REST.Delete)
  async #deleteCRD(served: Served, r: HandlerRequest): Promise<ApiResponse> {
    const store = served.scope.store;
    const ctx: RegistryContext = { namespace: '' };
    const crd = await store.get(ctx, r.name, '');
    if (crd.metadata.deletionTimestamp) return handleDelete(served.scope, ctx, r);
    const now = rfc3339(this.#env.clock.now());
    const out = await store.rawUpdate(ctx, r.name, (existing) => {
      if (!existing.metadata.deletionTimestamp) existing.metadata.deletionTimestamp = now;
      const finalizers = existing.metadata.finalizers ?? [];
      if (!finalizers.includes(CustomResourceCleanupFinalizer)) existing.metadata.finalizers = [...finalizers, CustomResourceCleanupFinalizer];
      const status = (existing.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'Terminating');
      conditions.push({ type: 'Terminating', status: 'True', lastTransitionTime: now, reason: 'InstanceDeletionPending', message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon' });
      existing.status = { ...status, conditions };
      return existing;
    });
    return { code: 200, body: outputObject(served.def, out) };
  }

  /** DELETE of a collection: every listed object, one by one. */
  // Upstream: registry/store.go (Store.DeleteCollection)
  async #deleteCollection(served: Served, ctx: RegistryContext, r: HandlerRequest): Promise<ApiResponse> {
    const o = parseListOptions(r.query, served.def, false);
    const l = await served.scope.store.list(ctx, registryListOptions(served.def, o, ''));
    const items: KubeObject[] = [];
    for (const item of l.items) {
      try {
        const res = await handleDelete(served.scope, { namespace: item.metadata.namespace ?? '' }, { ...r, name: item.metadata.name ?? '', query: {} });
        void res;
        items.push(item);
      } catch (e) {
        if ((e as { reason?: string }).reason !== 'NotFound') throw e;
      }
    }
    return { code: 200, body: { kind: `${served.def.kind}List`, apiVersion: apiVersionOf(served.def), metadata: { resourceVersion: String(l.resourceVersion) }, items: items.map((i) => deepCopy(i)) } };
  }

  // ---- watch ------------------------------------------------------------------------------------

  /** `GET ...?watch=true` (RestTransport.watch): 200 with a stream, or an error Status. */
  // Upstream: handlers/get.go (ListResource, the watch branch), handlers/watch.go (serveWatch, WatchServer.HandleHTTP)
  async watch(req: RestRequest): Promise<RestResponse & { stream?: WatchStream }> {
    const startMs = this.#env.clock.now();
    const query = { ...(req.query ?? {}) };
    const auditID = this.#uuid(this.#rngAudit);
    const uri = requestURI(req.path, req.query);
    let info: RequestInfo | undefined;
    const fail = (e: unknown) => {
      const status = errorToAPIStatus(e);
      this.#log(normalizedVerb(req.verb, info, { ...query, watch: 'true' }), uri, status.code, startMs, req.userAgent ?? '', auditID);
      return { code: status.code, body: status };
    };
    try {
      await this.#ready;
      if (req.verb !== 'GET') throw methodNotAllowed();
      info = newRequestInfo('GET', req.path, { ...query, watch: 'true' });
      if (!info.isResourceRequest) throw newPathNotFound();
      const served = this.#lookup(info);
      if (!served) throw newPathNotFound();
      if (info.subresource) throw newMethodNotSupported({ group: served.def.group, resource: `${served.def.resource}/${info.subresource}` }, 'watch');
      const def = served.def;
      const o = parseListOptions(query, def, true, this.#gates.WatchList);
      const name = info.parts.length >= 2 ? info.parts[1] : '';
      const opts = registryListOptions(def, o, name);
      let timeoutMs = (o.timeoutSeconds ?? 0) * 1000;
      if (timeoutMs === 0 && this.#minRequestTimeoutMs > 0) timeoutMs = Math.trunc(this.#minRequestTimeoutMs * (this.#rngWatch.float() + 1));
      const id = ++this.#watchIds;
      this.#events.emit('apiserver.log', {
        level: 'info',
        source: 'get.go',
        v: 3,
        message: `"Starting watch" path="${req.path}" resourceVersion="${o.resourceVersion}" labels="${o.labelSelector.toString()}" fields="${opts.predicate.field.toString()}" timeout="${formatTimeout(timeoutMs)}"`,
      });
      const ctx: RegistryContext = { namespace: def.namespaced ? info.namespace : '', watchScope: { watchId: id, deadlineMs: startMs + timeoutMs } };
      const w = await served.scope.store.watch(ctx, opts);
      this.#events.emit('apiserver.watch', {
        watch: id,
        resource: def.group ? `${def.resource}.${def.group}` : def.resource,
        uri,
        source: served.cacher ? 'cache' : 'etcd',
        resourceVersion: o.resourceVersion,
        timeoutMs,
        sendInitialEvents: o.sendInitialEvents === true,
        allowWatchBookmarks: o.allowWatchBookmarks,
      });
      const stream = this.#serveWatch(def, w, id, timeoutMs, () => this.#log('WATCH', uri, 200, startMs, req.userAgent ?? '', auditID));
      return { code: 200, body: undefined, stream };
    } catch (e) {
      return fail(e);
    }
  }

  // Upstream: handlers/watch.go (WatchServer.HandleHTTP)
  #serveWatch(def: ResourceDef, w: ServerWatch, id: number, timeoutMs: number, logDone: () => void): WatchStream {
    const clock = this.#env.clock;
    const started = clock.now();
    let events = 0;
    let ended = false;
    let sawError = false;
    const handle = {
      end: (reason: WatchEndReason) => {
        if (ended) return;
        ended = true;
        timer.stop();
        this.#openWatches.delete(handle);
        w.stop();
        this.#events.emit('apiserver.watchEnd', { watch: id, reason, durationMs: clock.now() - started, events });
        logDone();
      },
    };
    const timer = clock.afterFunc(timeoutMs, () => handle.end('timeout'));
    this.#openWatches.add(handle);
    const convert = (e: WatchEvent<KubeObject>): WatchEventJson => {
      events++;
      if (e.type === 'ERROR') {
        sawError = true;
        const status = e.object as unknown as Status;
        this.#events.emit('apiserver.watchEvent', { watch: id, eventType: 'ERROR', key: `${status.code} ${status.reason ?? ''}`, rv: '' });
        return { type: 'ERROR', object: deepCopy(status) as unknown as Record<string, unknown> };
      }
      const obj = outputObject(def, e.object);
      const rv = obj.metadata.resourceVersion ?? '';
      if (e.type === 'BOOKMARK') {
        const initialEventsEnd = obj.metadata.annotations?.['k8s.io/initial-events-end'] === 'true';
        this.#events.emit('apiserver.bookmark', { watch: id, rv, initialEventsEnd });
      } else if (this.#events.recording) {
        const key = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : (obj.metadata.name ?? '');
        this.#events.emit('apiserver.watchEvent', { watch: id, eventType: e.type, key, rv });
      }
      return { type: e.type, object: obj };
    };
    return {
      next: async () => {
        if (ended) return undefined;
        const e = await w.next();
        if (ended) return undefined;
        if (!e) {
          handle.end(sawError ? 'error' : 'serverStop');
          return undefined;
        }
        return convert(e);
      },
      close: () => handle.end('clientStop'),
    };
  }
}

/** 405 for a method a path does not serve. Upstream: apimachinery api/errors (NewGenericServerResponse) */
function methodNotAllowed(): Error {
  return newGenericServerResponse(405, '', { group: '', resource: '' }, '', '', 0, false);
}

/** 404 for a path nothing serves: `the server could not find the requested resource`. Upstream: apiserver pkg/endpoints/handlers/responsewriters (NotFound via NewGenericServerResponse) */
function newPathNotFound(): Error {
  return newGenericServerResponse(404, '', { group: '', resource: '' }, '', '', 0, false);
}

function formatTimeout(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
}

/** The finalize subresource: spec.finalizers may change, status may not (Go: `namespaceFinalizeStrategy`). */
// Upstream: kubernetes pkg/registry/core/namespace/strategy.go (namespaceFinalizeStrategy.PrepareForUpdate)
function namespaceFinalizeStrategy(main: Strategy): Strategy {
  return {
    ...main,
    // Upstream: validation.go (ValidateNamespaceFinalizeUpdate): each entry, on its indexed path.
    validateUpdate: (obj) => namespaceFinalizerErrors(obj, true),
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      const labels = obj.metadata.labels ?? {};
      labels['kubernetes.io/metadata.name'] = obj.metadata.name ?? '';
      obj.metadata.labels = labels;
    },
  };
}

/** A new API server (Go: kube-apiserver's `CreateServerChain`, as a RestTransport). */
export function newApiServer(cfg: ApiServerConfig = {}): ApiServer {
  return new ApiServer(cfg);
}

const isPriorityClass = (def: ResourceDef): boolean => def.group === 'scheduling.k8s.io' && def.resource === 'priorityclasses' && !def.custom;
