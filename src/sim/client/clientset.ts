/**
 * The clientset (typed clients for every group, one shared rate limiter), the dynamic client
 * (any resource by GroupVersionResource, as unstructured JSON), the discovery client, a
 * ListerWatcher built from a client, and RetryOnConflict.
 * Upstream: client-go kubernetes/clientset.go (NewForConfig), dynamic/simple.go
 * (DynamicClient, dynamicResourceClient), discovery/discovery_client.go (DiscoveryClient:
 * ServerGroups, ServerResourcesForGroupVersion, ServerGroupsAndResources,
 * ServerPreferredResources, ServerVersion), tools/cache/listwatch.go (NewListWatchFromClient,
 * NewFilteredListWatchFromClient), util/retry/util.go (RetryOnConflict, DefaultRetry, DefaultBackoff)
 */
import type { FakeClock } from '../core/clock';
import type { KubeObject } from '../core/object';
import type { ListOptions, ListerWatcher, ObjectList, WatchInterface } from '../cache/listwatch';
import type { GroupVersionResource, InformerResource, ListerWatcherFor } from '../cache/informer_factory';
import { isConflict } from '../apimachinery/errors';
import { ClientBase, RESTClient, versionedAPIPath, type RestConfig } from './rest_client';
import type { RestTransport } from './transport';
import {
  ApiextensionsV1Client,
  AppsV1Client,
  CoordinationV1Client,
  CoreV1Client,
  DiscoveryV1Client,
  listParams,
  ResourceClient,
  type DeleteOptions,
  type GetOptions,
  type PatchType,
  type WriteOptions,
} from './typed';
import { BatchV1Client } from './typed'; // Issue 13: batch/v1 Jobs.

export type { GroupVersionResource };

/** The group and version of the built-in resources a clientset serves, by plural name. */
const BUILTIN: Record<string, { group: string; version: string }> = {
  pods: { group: '', version: 'v1' },
  services: { group: '', version: 'v1' },
  configmaps: { group: '', version: 'v1' },
  secrets: { group: '', version: 'v1' },
  endpoints: { group: '', version: 'v1' },
  events: { group: '', version: 'v1' },
  namespaces: { group: '', version: 'v1' },
  nodes: { group: '', version: 'v1' },
  deployments: { group: 'apps', version: 'v1' },
  replicasets: { group: 'apps', version: 'v1' },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1' },
  leases: { group: 'coordination.k8s.io', version: 'v1' },
  customresourcedefinitions: { group: 'apiextensions.k8s.io', version: 'v1' },
  persistentvolumes: { group: '', version: 'v1' },
  persistentvolumeclaims: { group: '', version: 'v1' },
  storageclasses: { group: 'storage.k8s.io', version: 'v1' },
  poddisruptionbudgets: { group: 'policy', version: 'v1' },
  priorityclasses: { group: 'scheduling.k8s.io', version: 'v1' },
  // StatefulSet and ControllerRevision (apps/v1).
  statefulsets: { group: 'apps', version: 'v1' },
  controllerrevisions: { group: 'apps', version: 'v1' },
  // Issue 13: DaemonSets and Jobs, so informers can be asked for by plural name.
  daemonsets: { group: 'apps', version: 'v1' },
  jobs: { group: 'batch', version: 'v1' },
  // autoscaling (controllers/podautoscaler)
  horizontalpodautoscalers: { group: 'autoscaling', version: 'v2' },
};

/** The discovery client (Go: `discovery.DiscoveryClient`). */
// Upstream: discovery/discovery_client.go (DiscoveryClient)
export class DiscoveryClient {
  readonly #base: ClientBase;
  constructor(base: ClientBase) {
    this.#base = base;
  }

  #get(path: string): Promise<unknown> {
    return new RESTClient(this.#base, '').get().absPath(path).do();
  }

  /** `/api` and `/apis` as one APIGroupList (the legacy group first). */
  // Upstream: DiscoveryClient.ServerGroups
  async serverGroups(): Promise<{ kind: 'APIGroupList'; apiVersion: 'v1'; groups: Array<{ name: string; versions: Array<{ groupVersion: string; version: string }>; preferredVersion: { groupVersion: string; version: string } }> }> {
    const api = (await this.#get('/api')) as { versions: string[] };
    const apis = (await this.#get('/apis')) as { groups: Array<{ name: string; versions: Array<{ groupVersion: string; version: string }>; preferredVersion: { groupVersion: string; version: string } }> };
    const legacy = { name: '', versions: api.versions.map((v) => ({ groupVersion: v, version: v })), preferredVersion: { groupVersion: api.versions[0], version: api.versions[0] } };
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: [legacy, ...apis.groups] };
  }

  // Upstream: DiscoveryClient.ServerResourcesForGroupVersion
  async serverResourcesForGroupVersion(groupVersion: string): Promise<{ groupVersion: string; resources: Array<Record<string, unknown>> }> {
    const path = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
    return (await this.#get(path)) as { groupVersion: string; resources: Array<Record<string, unknown>> };
  }

  // Upstream: DiscoveryClient.ServerGroupsAndResources
  async serverGroupsAndResources(): Promise<{ groups: Awaited<ReturnType<DiscoveryClient['serverGroups']>>['groups']; resources: Array<{ groupVersion: string; resources: Array<Record<string, unknown>> }> }> {
    const { groups } = await this.serverGroups();
    const resources = [];
    for (const g of groups) for (const v of g.versions) resources.push(await this.serverResourcesForGroupVersion(v.groupVersion));
    return { groups, resources };
  }

  /** The preferred version's resources of every group, without subresources. */
  // Upstream: DiscoveryClient.ServerPreferredResources
  async serverPreferredResources(): Promise<Array<{ groupVersion: string; resources: Array<Record<string, unknown>> }>> {
    const { groups } = await this.serverGroups();
    const out = [];
    for (const g of groups) {
      const list = await this.serverResourcesForGroupVersion(g.preferredVersion.groupVersion);
      out.push({ groupVersion: list.groupVersion, resources: list.resources.filter((r) => !String(r.name).includes('/')) });
    }
    return out;
  }

  // Upstream: DiscoveryClient.ServerVersion
  async serverVersion(): Promise<Record<string, string>> {
    return (await this.#get('/version')) as Record<string, string>;
  }
}

/** A dynamic client of one resource, cluster-wide or in a namespace (Go: `dynamicResourceClient`). */
// Upstream: dynamic/simple.go (dynamicResourceClient: Namespace, Create, Update, UpdateStatus, Delete, DeleteCollection, Get, List, Watch, Patch)
export class DynamicResourceClient {
  readonly #base: ClientBase;
  readonly #gvr: GroupVersionResource;
  readonly #namespace: string;

  constructor(base: ClientBase, gvr: GroupVersionResource, namespace = '') {
    this.#base = base;
    this.#gvr = gvr;
    this.#namespace = namespace;
  }

  namespace(ns: string): DynamicResourceClient {
    return new DynamicResourceClient(this.#base, this.#gvr, ns);
  }

  #client(): ResourceClient {
    const rest = new RESTClient(this.#base, versionedAPIPath(this.#gvr.group, this.#gvr.version));
    return new ResourceClient(rest, this.#gvr.resource, this.#namespace !== '', this.#namespace);
  }

  create(obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.#client().create(obj, opts);
  }
  update(obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.#client().update(obj, opts);
  }
  updateStatus(obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.#client().updateStatus(obj, opts);
  }
  delete(name: string, opts?: DeleteOptions): Promise<void> {
    return this.#client().delete(name, opts);
  }
  deleteCollection(opts?: DeleteOptions, listOpts?: ListOptions): Promise<void> {
    return this.#client().deleteCollection(opts, listOpts);
  }
  get(name: string, opts?: GetOptions): Promise<KubeObject> {
    return this.#client().get(name, opts);
  }
  list(opts?: ListOptions): Promise<ObjectList<KubeObject>> {
    return this.#client().list(opts);
  }
  watch(opts?: ListOptions): Promise<WatchInterface<KubeObject>> {
    return this.#client().watch(opts);
  }
  patch(name: string, pt: PatchType, data: unknown, opts?: WriteOptions, ...subresources: string[]): Promise<KubeObject> {
    return this.#client().patch(name, pt, data, opts, ...subresources);
  }
}

/** The dynamic client (Go: `dynamic.DynamicClient`). */
export class DynamicClient {
  readonly #base: ClientBase;
  constructor(base: ClientBase) {
    this.#base = base;
  }
  // Upstream: DynamicClient.Resource
  resource(gvr: GroupVersionResource): DynamicResourceClient {
    return new DynamicResourceClient(this.#base, gvr);
  }
}

/** The clientset (Go: `kubernetes.Clientset`): typed clients of every group sharing one rate limiter. */
// Upstream: kubernetes/clientset.go (NewForConfig)
export class Clientset {
  readonly #base: ClientBase;
  readonly #core: CoreV1Client;
  readonly #apps: AppsV1Client;
  readonly #discoveryV1: DiscoveryV1Client;
  readonly #coordination: CoordinationV1Client;
  readonly #apiextensions: ApiextensionsV1Client;
  readonly #discovery: DiscoveryClient;

  constructor(transport: RestTransport, cfg: RestConfig = {}) {
    this.#base = new ClientBase(transport, cfg);
    this.#core = new CoreV1Client(new RESTClient(this.#base, '/api/v1'));
    this.#apps = new AppsV1Client(new RESTClient(this.#base, '/apis/apps/v1'));
    this.#discoveryV1 = new DiscoveryV1Client(new RESTClient(this.#base, '/apis/discovery.k8s.io/v1'));
    this.#coordination = new CoordinationV1Client(new RESTClient(this.#base, '/apis/coordination.k8s.io/v1'));
    this.#apiextensions = new ApiextensionsV1Client(new RESTClient(this.#base, '/apis/apiextensions.k8s.io/v1'));
    this.#discovery = new DiscoveryClient(this.#base);
  }

  coreV1(): CoreV1Client {
    return this.#core;
  }
  appsV1(): AppsV1Client {
    return this.#apps;
  }
  discoveryV1(): DiscoveryV1Client {
    return this.#discoveryV1;
  }
  coordinationV1(): CoordinationV1Client {
    return this.#coordination;
  }
  apiextensionsV1(): ApiextensionsV1Client {
    return this.#apiextensions;
  }
  // Issue 13: batch/v1 Jobs (Go: `BatchV1()`).
  batchV1(): BatchV1Client {
    return new BatchV1Client(new RESTClient(this.#base, '/apis/batch/v1'));
  }
  /** The discovery client (Go: `Discovery()`). */
  discovery(): DiscoveryClient {
    return this.#discovery;
  }
  /** A dynamic client sharing this clientset's transport and rate limiter. */
  dynamic(): DynamicClient {
    return new DynamicClient(this.#base);
  }
  // ---- autoscaling (controllers/podautoscaler) ----
  /** client-go's AutoscalingV2Interface: `autoscalingV2().horizontalPodAutoscalers(ns)`. */
  autoscalingV2(): { restClient: RESTClient; horizontalPodAutoscalers(namespace?: string): ResourceClient } {
    const restClient = this.restClient('autoscaling', 'v2');
    return { restClient, horizontalPodAutoscalers: (namespace = '') => new ResourceClient(restClient, 'horizontalpodautoscalers', true, namespace) };
  }
  /** client-go's AutoscalingV1Interface: `autoscalingV1().horizontalPodAutoscalers(ns)` (targetCPUUtilizationPercentage). */
  autoscalingV1(): { restClient: RESTClient; horizontalPodAutoscalers(namespace?: string): ResourceClient } {
    const restClient = this.restClient('autoscaling', 'v1');
    return { restClient, horizontalPodAutoscalers: (namespace = '') => new ResourceClient(restClient, 'horizontalpodautoscalers', true, namespace) };
  }
  /** A REST client for any group version, sharing this clientset's rate limiter. */
  restClient(group: string, version: string): RESTClient {
    return new RESTClient(this.#base, versionedAPIPath(group, version));
  }
}

/** A clientset over a transport, usually the API server (Go: `kubernetes.NewForConfig`). */
export function newClientset(transport: RestTransport, cfg: RestConfig = {}): Clientset {
  return new Clientset(transport, cfg);
}

/** A dynamic client (Go: `dynamic.NewForConfig`). */
export function newDynamicClient(transport: RestTransport, cfg: RestConfig = {}): DynamicClient {
  return new DynamicClient(new ClientBase(transport, cfg));
}

/** What `newListWatchFromClient` lists and watches through: a REST client, or a typed / dynamic resource client. */
export type ListWatchSource = RESTClient | ResourceClient | DynamicResourceClient | { list(opts?: ListOptions): Promise<ObjectList<KubeObject>>; watch(opts?: ListOptions): Promise<WatchInterface<KubeObject>> };

/**
 * A ListerWatcher of `resource` in `namespace` ('' for all), optionally narrowed by a field
 * selector (Go: `cache.NewListWatchFromClient`), so the Reflector and shared informers run
 * against the API server unchanged. Given a typed or dynamic resource client, its list and watch.
 */
// Upstream: tools/cache/listwatch.go (NewListWatchFromClient, NewFilteredListWatchFromClient)
export function newListWatchFromClient(c: ListWatchSource, resource = '', namespace = '', fieldSelector = ''): ListerWatcher<KubeObject> {
  return newFilteredListWatchFromClient(c, resource, namespace, (o) => {
    if (fieldSelector) o.fieldSelector = fieldSelector;
  });
}

// Upstream: tools/cache/listwatch.go (NewFilteredListWatchFromClient)
export function newFilteredListWatchFromClient(c: ListWatchSource, resource: string, namespace: string, optionsModifier: (o: ListOptions) => void): ListerWatcher<KubeObject> {
  if (c instanceof RESTClient) {
    return {
      list: async (options) => {
        const o = { ...options };
        optionsModifier(o);
        const r = c.get().resource(resource).params(listParams(o));
        if (namespace) r.namespace(namespace);
        return (await r.do()) as ObjectList<KubeObject>;
      },
      watch: (options) => {
        const o = { ...options };
        optionsModifier(o);
        const r = c.get().resource(resource).params(listParams(o));
        if (namespace) r.namespace(namespace);
        return r.watch();
      },
    };
  }
  return {
    list: (options) => {
      const o = { ...options };
      optionsModifier(o);
      return c.list(o);
    },
    watch: (options) => {
      const o = { ...options };
      optionsModifier(o);
      return c.watch(o);
    },
  };
}

/**
 * The client a SharedInformerFactory needs (`ListerWatcherFor`): the ListerWatcher of a resource
 * through this clientset. A resource is a built-in plural (`'pods'`, `'deployments'`, also
 * `'deployments.apps'`) or a GroupVersionResource (any resource, custom ones included).
 * Go's factory holds the clientset itself and each typed informer builds its ListWatch from it.
 */
// Upstream: client-go informers/core/v1/pod.go (NewFilteredPodInformer's ListWatch), dynamic/dynamicinformer (NewFilteredDynamicInformer)
export function listerWatcherFor(cs: Clientset): ListerWatcherFor {
  return (resource: InformerResource, namespace: string) => {
    let gvr: GroupVersionResource | undefined;
    if (typeof resource === 'string') {
      const [plural, ...group] = resource.split('.');
      const known = BUILTIN[plural];
      if (known && (group.length === 0 || group.join('.') === known.group)) gvr = { ...known, resource: plural };
    } else gvr = resource;
    if (!gvr) return undefined;
    const rc = cs.dynamic().resource(gvr);
    return newListWatchFromClient(namespace ? rc.namespace(namespace) : rc);
  };
}

/** wait.Backoff. */
export interface Backoff {
  durationMs: number;
  factor: number;
  jitter: number;
  steps: number;
  capMs?: number;
}

/** Go: `retry.DefaultRetry` (5 steps of 10 ms, factor 1, jitter 0.1). */
export const DefaultRetry: Backoff = { steps: 5, durationMs: 10, factor: 1.0, jitter: 0.1 };
/** Go: `retry.DefaultBackoff` (4 steps from 10 ms, factor 5, jitter 0.1). */
export const DefaultBackoff: Backoff = { steps: 4, durationMs: 10, factor: 5.0, jitter: 0.1 };

/**
 * Runs `fn` until it succeeds or fails with something other than a `409 Conflict`, waiting
 * between attempts as `backoff` says, on `clock`; rejects with the last conflict once the steps
 * run out (Go: `retry.RetryOnConflict`). `jitter` returns a number in [0, 1) per wait (Go's
 * `rand.Float64()`); the default, 0, waits exactly the backoff's durations. At most `steps`
 * attempts: the wait before attempt n+1 is `durationMs × factor^(n-1)` (factor 0: no growth),
 * plus up to `jitter` of itself; reaching `capMs` ends the retries after that wait.
 */
// Upstream: util/retry/util.go (RetryOnConflict, OnError), apimachinery pkg/util/wait/backoff.go (ExponentialBackoff, Backoff.Step, delay), wait.go (Jitter)
export async function retryOnConflict(backoff: Backoff, clock: FakeClock, fn: () => Promise<void>, jitter: () => number = () => 0): Promise<void> {
  let steps = backoff.steps;
  let duration = backoff.durationMs;
  let last: unknown;
  while (steps > 0) {
    try {
      await fn();
      return;
    } catch (e) {
      if (!isConflict(e)) throw e;
      last = e;
    }
    if (steps === 1) break;
    // Backoff.Step: this wait is the current duration (jittered); the next one grows by factor.
    steps--;
    let next = backoff.factor !== 0 ? duration * backoff.factor : duration;
    if (backoff.capMs !== undefined && backoff.capMs > 0 && next > backoff.capMs) {
      next = backoff.capMs;
      steps = 0;
    }
    const waitMs = backoff.jitter > 0 ? duration + jitter() * backoff.jitter * duration : duration;
    duration = next;
    await clock.sleep(waitMs);
  }
  // OnError: an exhausted backoff returns the last conflict (nil if fn never ran: steps < 1).
  if (last !== undefined) throw last;
}
