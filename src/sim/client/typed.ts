/**
 * Typed clients after client-go's generated ones: `clientset.coreV1().pods(ns).list(...)`. Each
 * resource client sends one REST request per call (`create`, `get`, `list`, `update`,
 * `updateStatus`, `patch`, `delete`, `deleteCollection`, `watch`), objects going in and out as
 * plain JSON data; failures reject with the server's `StatusError`.
 * Upstream: client-go kubernetes/typed/core/v1 (pod.go, service.go, ...), apps/v1, discovery/v1,
 * coordination/v1, gentype/type.go (Client, ClientWithList: Get, List, Watch, Create, Update,
 * UpdateStatus, Delete, DeleteCollection, Patch), kubernetes/typed/core/v1/pod_expansion.go (Bind)
 */
import type { ApplyYAMLPatchType, JSONPatchType, MergePatchType, StrategicMergePatchType } from '../apimachinery/patch';
import type { KubeObject } from '../core/object';
import type { ListOptions, ObjectList, WatchInterface } from '../cache/listwatch';
import type { RESTClient } from './rest_client';

/** metav1.GetOptions. */
export interface GetOptions {
  resourceVersion?: string;
}

/** metav1.CreateOptions / UpdateOptions / PatchOptions. */
export interface WriteOptions {
  dryRun?: string[];
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

/** metav1.DeleteOptions. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  dryRun?: string[];
}

/** types.PatchType (the constants are apimachinery's: `JSONPatchType`, `MergePatchType`, `StrategicMergePatchType`, `ApplyYAMLPatchType`). */
export type PatchType = typeof JSONPatchType | typeof MergePatchType | typeof StrategicMergePatchType | typeof ApplyYAMLPatchType;

function writeParams(o: WriteOptions | undefined): Record<string, string | undefined> {
  return { dryRun: o?.dryRun?.join(','), fieldManager: o?.fieldManager, fieldValidation: o?.fieldValidation };
}

/** The ListOptions as the query carries them. */
export function listParams(o: ListOptions | undefined): Record<string, unknown> {
  const p: Record<string, unknown> = { ...(o ?? {}) };
  return p;
}

/** A client of one resource in one namespace (or cluster-wide). */
// Upstream: client-go gentype/type.go (ClientWithList)
export class ResourceClient<T extends KubeObject = KubeObject> {
  readonly #rest: RESTClient;
  readonly #resource: string;
  readonly #namespace: string;
  readonly #namespaced: boolean;

  constructor(rest: RESTClient, resource: string, namespaced: boolean, namespace = '') {
    this.#rest = rest;
    this.#resource = resource;
    this.#namespace = namespace;
    this.#namespaced = namespaced;
  }

  /** The REST client underneath (Go: `RESTClient()`). */
  get restClient(): RESTClient {
    return this.#rest;
  }

  get resource(): string {
    return this.#resource;
  }

  #req(verb: 'GET' | 'POST' | 'PUT' | 'DELETE') {
    const r = this.#rest.verb(verb);
    if (this.#namespaced) r.namespace(this.#namespace);
    return r.resource(this.#resource);
  }

  // Upstream: gentype.Client.Get
  async get(name: string, opts?: GetOptions): Promise<T> {
    return (await this.#req('GET').name(name).params(opts).do()) as T;
  }

  // Upstream: gentype.ClientWithList.List
  async list(opts?: ListOptions): Promise<ObjectList<T>> {
    return (await this.#req('GET').params(listParams(opts)).do()) as ObjectList<T>;
  }

  // Upstream: gentype.ClientWithList.Watch
  watch(opts?: ListOptions): Promise<WatchInterface<T>> {
    return this.#req('GET').params(listParams(opts)).watch() as Promise<WatchInterface<T>>;
  }

  // Upstream: gentype.Client.Create
  async create(obj: T, opts?: WriteOptions): Promise<T> {
    return (await this.#req('POST').params(writeParams(opts)).body(obj).do()) as T;
  }

  // Upstream: gentype.Client.Update
  async update(obj: T, opts?: WriteOptions): Promise<T> {
    return (await this.#req('PUT').name(obj.metadata?.name ?? '').params(writeParams(opts)).body(obj).do()) as T;
  }

  // Upstream: gentype.Client.UpdateStatus
  async updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    return (await this.#req('PUT').name(obj.metadata?.name ?? '').subResource('status').params(writeParams(opts)).body(obj).do()) as T;
  }

  // Upstream: gentype.Client.Delete
  async delete(name: string, opts?: DeleteOptions): Promise<void> {
    const r = this.#req('DELETE').name(name);
    if (opts && Object.keys(opts).length > 0) r.body({ kind: 'DeleteOptions', apiVersion: 'v1', ...opts });
    await r.do();
  }

  // Upstream: gentype.ClientWithList.DeleteCollection
  async deleteCollection(opts?: DeleteOptions, listOpts?: ListOptions): Promise<void> {
    const r = this.#req('DELETE').params(listParams(listOpts));
    if (opts && Object.keys(opts).length > 0) r.body({ kind: 'DeleteOptions', apiVersion: 'v1', ...opts });
    await r.do();
  }

  // Upstream: gentype.Client.Patch
  async patch(name: string, pt: PatchType, data: unknown, opts?: WriteOptions, ...subresources: string[]): Promise<T> {
    const r = this.#rest.patch(pt);
    if (this.#namespaced) r.namespace(this.#namespace);
    return (await r.resource(this.#resource).name(name).subResource(...subresources).params(writeParams(opts)).body(data).do()) as T;
  }

  /** GET of the scale subresource (Go: `GetScale`). */
  async getScale(name: string, opts?: GetOptions): Promise<KubeObject> {
    return (await this.#req('GET').name(name).subResource('scale').params(opts).do()) as KubeObject;
  }

  /** PUT of the scale subresource (Go: `UpdateScale`). */
  async updateScale(name: string, scale: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return (await this.#req('PUT').name(name).subResource('scale').params(writeParams(opts)).body(scale).do()) as KubeObject;
  }
}

/** A pods client: the resource client and `bind` (what the scheduler calls). */
// Upstream: client-go kubernetes/typed/core/v1/pod_expansion.go (Bind)
export class PodClient extends ResourceClient {
  readonly #rest: RESTClient;
  readonly #namespace: string;

  constructor(rest: RESTClient, namespace: string) {
    super(rest, 'pods', true, namespace);
    this.#rest = rest;
    this.#namespace = namespace;
  }

  /** POST pods/<name>/binding (Go: `Bind`). */
  async bind(binding: KubeObject, opts?: WriteOptions): Promise<void> {
    await this.#rest.post().namespace(this.#namespace).resource('pods').name(binding.metadata.name ?? '').subResource('binding').params(writeParams(opts)).body(binding).do();
  }
}

/** client-go's CoreV1Interface. */
export class CoreV1Client {
  constructor(readonly restClient: RESTClient) {}
  pods(namespace = ''): PodClient {
    return new PodClient(this.restClient, namespace);
  }
  services(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'services', true, namespace);
  }
  configMaps(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'configmaps', true, namespace);
  }
  secrets(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'secrets', true, namespace);
  }
  endpoints(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'endpoints', true, namespace);
  }
  events(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'events', true, namespace);
  }
  namespaces(): ResourceClient {
    return new ResourceClient(this.restClient, 'namespaces', false);
  }
  nodes(): ResourceClient {
    return new ResourceClient(this.restClient, 'nodes', false);
  }
}

/** client-go's AppsV1Interface. */
export class AppsV1Client {
  constructor(readonly restClient: RESTClient) {}
  deployments(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'deployments', true, namespace);
  }
  replicaSets(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'replicasets', true, namespace);
  }
  // StatefulSets and ControllerRevisions.
  statefulSets(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'statefulsets', true, namespace);
  }
  controllerRevisions(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'controllerrevisions', true, namespace);
  }
  // Issue 13: DaemonSets (Upstream: client-go kubernetes/typed/apps/v1/daemonset.go).
  daemonSets(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'daemonsets', true, namespace);
  }
}

// Issue 13: batch/v1 Jobs.
/** client-go's BatchV1Interface (Jobs). Upstream: client-go kubernetes/typed/batch/v1/job.go */
export class BatchV1Client {
  constructor(readonly restClient: RESTClient) {}
  jobs(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'jobs', true, namespace);
  }
}

/** client-go's DiscoveryV1Interface (EndpointSlices). */
export class DiscoveryV1Client {
  constructor(readonly restClient: RESTClient) {}
  endpointSlices(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'endpointslices', true, namespace);
  }
}

/** client-go's CoordinationV1Interface (Leases). */
export class CoordinationV1Client {
  constructor(readonly restClient: RESTClient) {}
  leases(namespace = ''): ResourceClient {
    return new ResourceClient(this.restClient, 'leases', true, namespace);
  }
}

/** client-go's ApiextensionsV1Interface (CustomResourceDefinitions). */
export class ApiextensionsV1Client {
  constructor(readonly restClient: RESTClient) {}
  customResourceDefinitions(): ResourceClient {
    return new ResourceClient(this.restClient, 'customresourcedefinitions', false);
  }
}
