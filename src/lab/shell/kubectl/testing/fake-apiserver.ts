/**
 * A small in-memory API server behind the RestTransport, good enough for kubectl's tests (and a
 * stand-in until the API server model lands): legacy discovery, CRUD of namespaced and cluster
 * objects, list with label/field selectors, limit/continue, watch from a resourceVersion, merge /
 * JSON / strategic (simplified) patches, the scale subresource, CRDs that add resources, and
 * Status errors worded as kube-apiserver words them. Every request is recorded.
 */
import type { RestRequest, RestResponse, RestTransport, WatchEventJson, WatchStream } from '../../../../sim/client/transport';
import { applyJsonPatch, applyMergePatch } from '../patch';

type Obj = Record<string, any>;

export interface FakeResource {
  group: string;
  version: string;
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
}

const V = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The built-in resources the labs use (v1.34 names, short names and categories). */
export const BUILTIN_RESOURCES: FakeResource[] = [
  { group: '', version: 'v1', name: 'configmaps', singularName: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', name: 'endpoints', singularName: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] },
  { group: '', version: 'v1', name: 'events', singularName: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  { group: '', version: 'v1', name: 'namespaces', singularName: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: ['status'] },
  { group: '', version: 'v1', name: 'nodes', singularName: 'node', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: ['status'] },
  { group: '', version: 'v1', name: 'pods', singularName: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status'] },
  { group: '', version: 'v1', name: 'secrets', singularName: 'secret', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', name: 'serviceaccounts', singularName: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  { group: '', version: 'v1', name: 'services', singularName: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status'] },
  { group: 'apiextensions.k8s.io', version: 'v1', name: 'customresourcedefinitions', singularName: 'customresourcedefinition', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'] },
  { group: 'apps', version: 'v1', name: 'controllerrevisions', singularName: 'controllerrevision', kind: 'ControllerRevision', namespaced: true },
  { group: 'apps', version: 'v1', name: 'daemonsets', singularName: 'daemonset', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'] },
  { group: 'apps', version: 'v1', name: 'deployments', singularName: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['scale', 'status'] },
  { group: 'apps', version: 'v1', name: 'replicasets', singularName: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['scale', 'status'] },
  { group: 'apps', version: 'v1', name: 'statefulsets', singularName: 'statefulset', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['scale', 'status'] },
  { group: 'coordination.k8s.io', version: 'v1', name: 'leases', singularName: 'lease', kind: 'Lease', namespaced: true },
  { group: 'discovery.k8s.io', version: 'v1', name: 'endpointslices', singularName: 'endpointslice', kind: 'EndpointSlice', namespaced: true },
];

const GROUP_ORDER = ['apps', 'events.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'apiextensions.k8s.io'];

export interface FakeApiServerOptions {
  /** Milliseconds since the epoch: creationTimestamp of new objects. */
  now: () => number;
  /** Pods get a deletionTimestamp on delete and stay until `finishDeletion` (default: removed at once). */
  gracefulPodDeletion?: boolean;
}

interface Stored {
  resource: FakeResource;
  object: Obj;
}

class Stream implements WatchStream {
  readonly #queue: WatchEventJson[] = [];
  #waiter: ((e: WatchEventJson | undefined) => void) | undefined;
  closed = false;
  constructor(readonly filter: (o: Obj, type: string) => boolean, private readonly onClose: () => void) {}
  push(e: WatchEventJson): void {
    if (this.closed) return;
    if (this.#waiter) {
      const w = this.#waiter;
      this.#waiter = undefined;
      w(e);
    } else this.#queue.push(e);
  }
  next(): Promise<WatchEventJson | undefined> {
    if (this.#queue.length) return Promise.resolve(this.#queue.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.#waiter = resolve));
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#waiter?.(undefined);
    this.#waiter = undefined;
    this.onClose();
  }
}

const status = (code: number, reason: string, message: string, details?: Obj): RestResponse => ({
  code,
  body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code },
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class FakeApiServer implements RestTransport {
  readonly requests: RestRequest[] = [];
  readonly resources: FakeResource[] = [...BUILTIN_RESOURCES];
  readonly #objects = new Map<string, Stored>();
  readonly #streams = new Set<Stream>();
  #rv = 100;
  #uid = 0;
  #ip = 10;

  constructor(private readonly opts: FakeApiServerOptions) {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    }
  }

  get resourceVersion(): number {
    return this.#rv;
  }

  /** Stores an object as is (server-set fields filled when missing), without a request. */
  seed(obj: Obj): Obj {
    const r = this.#resourceForKind(obj.apiVersion, obj.kind);
    if (!r) throw new Error(`fake apiserver: no resource for ${obj.apiVersion} ${obj.kind}`);
    const o = clone(obj);
    o.metadata = { ...(o.metadata ?? {}) };
    if (r.namespaced && !o.metadata.namespace) o.metadata.namespace = 'default';
    this.#fillMeta(o, r);
    this.#store(r, o, 'ADDED');
    return o;
  }

  /** The stored object (a copy), or undefined. */
  get(apiVersion: string, kind: string, name: string, namespace = 'default'): Obj | undefined {
    const r = this.#resourceForKind(apiVersion, kind);
    if (!r) return undefined;
    const s = this.#objects.get(this.#key(r, r.namespaced ? namespace : '', name));
    return s ? clone(s.object) : undefined;
  }

  /** Replaces an object's fields as a controller would (a MODIFIED event). */
  update(obj: Obj): Obj {
    const r = this.#resourceForKind(obj.apiVersion, obj.kind)!;
    const o = clone(obj);
    o.metadata.resourceVersion = String(++this.#rv);
    this.#store(r, o, 'MODIFIED');
    return o;
  }

  /** Removes an object that was being deleted gracefully (a DELETED event). */
  finishDeletion(apiVersion: string, kind: string, name: string, namespace = 'default'): void {
    const r = this.#resourceForKind(apiVersion, kind)!;
    const key = this.#key(r, r.namespaced ? namespace : '', name);
    const s = this.#objects.get(key);
    if (!s) return;
    this.#objects.delete(key);
    s.object.metadata.resourceVersion = String(++this.#rv);
    this.#notify(r, s.object, 'DELETED');
  }

  /** Open watch streams (tests check that interrupted watches were closed). */
  get openWatches(): number {
    return [...this.#streams].filter((s) => !s.closed).length;
  }

  async request(req: RestRequest): Promise<RestResponse> {
    this.requests.push(clone(req));
    return this.#handle(req);
  }

  async watch(req: RestRequest): Promise<RestResponse & { stream?: WatchStream }> {
    this.requests.push(clone(req));
    const route = this.#route(req.path);
    if (!route || route.name !== undefined) return status(404, 'NotFound', 'the server could not find the requested resource');
    const { resource: r, namespace } = route;
    const q = req.query ?? {};
    const labelOk = compileLabelSelector(q.labelSelector ?? '');
    const fieldOk = compileFieldSelector(q.fieldSelector ?? '');
    if (!labelOk || !fieldOk) return status(400, 'BadRequest', `unable to parse requirement: invalid selector`);
    const filter = (o: Obj) => (!namespace || o.metadata?.namespace === namespace) && labelOk(o.metadata?.labels ?? {}) && fieldOk(o);
    let stream!: Stream;
    stream = new Stream(filter, () => this.#streams.delete(stream));
    this.#streams.add(stream);
    (stream as unknown as { resource: FakeResource }).resource = r;
    if (q.resourceVersion === '0' || q.resourceVersion === undefined || q.resourceVersion === '') {
      for (const s of this.#list(r, namespace)) if (filter(s.object)) stream.push({ type: 'ADDED', object: clone(s.object) });
    }
    return { code: 200, body: undefined, stream };
  }

  #handle(req: RestRequest): RestResponse {
    const p = req.path;
    if (p === '/version') return { code: 200, body: { major: '1', minor: '34', gitVersion: 'v1.34.0', gitCommit: 'f28b4c9', platform: 'linux/amd64' } };
    if (p === '/api') return { code: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '172.18.0.2:6443' }] } };
    if (p === '/apis') return { code: 200, body: this.#groupList() };
    const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(p);
    if (gv) {
      const group = gv[2] ?? '';
      const version = gv[1] ?? gv[3];
      const rs = this.resources.filter((r) => r.group === group && r.version === version);
      if (rs.length === 0) return status(404, 'NotFound', 'the server could not find the requested resource');
      return { code: 200, body: this.#resourceList(group, version, rs) };
    }
    const route = this.#route(p);
    if (!route) return status(404, 'NotFound', 'the server could not find the requested resource');
    const { resource: r, namespace, name, subresource } = route;
    if (namespace && !this.#objects.has(this.#key(this.#byName('', 'namespaces')!, '', namespace)) && req.verb === 'POST') {
      return status(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    }
    switch (req.verb) {
      case 'GET':
        if (name === undefined) return this.#listResponse(r, namespace, req.query ?? {});
        return this.#getResponse(r, namespace, name, subresource);
      case 'POST':
        if (name !== undefined) return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return this.#create(r, namespace, req.body as Obj);
      case 'PUT':
        return this.#replace(r, namespace, name!, subresource, req.body as Obj);
      case 'PATCH':
        return this.#patch(r, namespace, name!, subresource, req);
      case 'DELETE':
        return this.#delete(r, namespace, name!, (req.body ?? {}) as Obj);
    }
    return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  #groupList(): Obj {
    const groups = [...new Set(this.resources.filter((r) => r.group).map((r) => r.group))].sort((a, b) => {
      const ia = GROUP_ORDER.indexOf(a);
      const ib = GROUP_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : 1);
    });
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((g) => {
        const versions = [...new Set(this.resources.filter((r) => r.group === g).map((r) => r.version))];
        return { name: g, versions: versions.map((v) => ({ groupVersion: `${g}/${v}`, version: v })), preferredVersion: { groupVersion: `${g}/${versions[0]}`, version: versions[0] } };
      }),
    };
  }

  #resourceList(group: string, version: string, rs: FakeResource[]): Obj {
    const resources: Obj[] = [];
    for (const r of rs) {
      resources.push({
        name: r.name,
        singularName: r.singularName,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: V,
        ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories?.length ? { categories: r.categories } : {}),
      });
      for (const sub of r.subresources ?? []) {
        resources.push({ name: `${r.name}/${sub}`, singularName: '', namespaced: r.namespaced, kind: sub === 'scale' ? 'Scale' : r.kind, verbs: ['get', 'patch', 'update'], ...(sub === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}) });
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }

  #route(path: string): { resource: FakeResource; namespace: string; name?: string; subresource?: string } | undefined {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(path);
    if (!m) return undefined;
    const group = m[2] ?? '';
    const version = m[1] ?? m[3];
    const [, , , , namespace = '', res, name, sub] = m;
    const r = this.resources.find((x) => x.group === group && x.version === version && x.name === res);
    if (!r) return undefined;
    if (r.namespaced === false && namespace) return undefined;
    return { resource: r, namespace, name, subresource: sub };
  }

  #byName(group: string, name: string): FakeResource | undefined {
    return this.resources.find((r) => r.group === group && r.name === name);
  }

  #resourceForKind(apiVersion: string, kind: string): FakeResource | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.resources.find((r) => r.group === group && r.version === version && r.kind === kind);
  }

  #key(r: FakeResource, namespace: string, name: string): string {
    return `${r.group}/${r.name}/${r.namespaced ? namespace : ''}/${name}`;
  }

  #list(r: FakeResource, namespace: string): Stored[] {
    const prefix = `${r.group}/${r.name}/`;
    return [...this.#objects.entries()]
      .filter(([k, s]) => k.startsWith(prefix) && (!namespace || s.object.metadata?.namespace === namespace))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, s]) => s);
  }

  #typed(r: FakeResource, o: Obj): Obj {
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return { kind: r.kind, apiVersion: r.group ? `${r.group}/${r.version}` : r.version, ...rest };
  }

  #listResponse(r: FakeResource, namespace: string, q: Record<string, string>): RestResponse {
    const labelOk = compileLabelSelector(q.labelSelector ?? '');
    if (!labelOk) return status(400, 'BadRequest', `unable to parse requirement: found '${q.labelSelector}', expected: identifier`);
    const fieldOk = compileFieldSelector(q.fieldSelector ?? '');
    if (!fieldOk) return status(400, 'BadRequest', `invalid selector: '${q.fieldSelector}'; can't understand '${q.fieldSelector}'`);
    const all = this.#list(r, namespace)
      .map((s) => s.object)
      .filter((o) => labelOk(o.metadata?.labels ?? {}) && fieldOk(o));
    const start = q.continue ? Number(q.continue) : 0;
    const limit = q.limit ? Number(q.limit) : 0;
    const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
    const next = limit > 0 && start + limit < all.length ? String(start + limit) : '';
    const items = page.map((o) => {
      const { apiVersion: _a, kind: _k, ...rest } = clone(o);
      return rest;
    });
    return {
      code: 200,
      body: {
        kind: `${r.kind}List`,
        apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
        metadata: { resourceVersion: String(this.#rv), ...(next ? { continue: next, remainingItemCount: all.length - start - limit } : {}) },
        items,
      },
    };
  }

  #notFound(r: FakeResource, name: string): RestResponse {
    return status(404, 'NotFound', `${r.group ? `${r.name}.${r.group}` : r.name} "${name}" not found`, { name, ...(r.group ? { group: r.group } : {}), kind: r.name });
  }

  #getResponse(r: FakeResource, namespace: string, name: string, sub?: string): RestResponse {
    const s = this.#objects.get(this.#key(r, namespace, name));
    if (!s) return this.#notFound(r, name);
    if (sub === 'scale') return { code: 200, body: this.#scale(r, s.object) };
    return { code: 200, body: this.#typed(r, clone(s.object)) };
  }

  #scale(r: FakeResource, o: Obj): Obj {
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: o.spec?.replicas ?? 0 },
      status: { replicas: o.status?.replicas ?? 0, selector: Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') },
    };
  }

  #fillMeta(o: Obj, r: FakeResource): void {
    const m = o.metadata;
    if (!m.name && m.generateName) m.name = `${m.generateName}${(++this.#uid).toString(36).padStart(5, 'x')}`;
    m.uid ??= `00000000-0000-4000-8000-${(++this.#uid).toString(16).padStart(12, '0')}`;
    m.resourceVersion = String(++this.#rv);
    m.creationTimestamp ??= new Date(Math.floor(this.opts.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'CustomResourceDefinition'].includes(r.kind) || r.group.includes('.')) m.generation ??= 1;
    this.#defaults(o, r);
  }

  /** A few defaults the real API server applies, so tables look real. */
  #defaults(o: Obj, r: FakeResource): void {
    if (r.kind === 'Service') {
      o.spec ??= {};
      o.spec.type ??= 'ClusterIP';
      if (o.spec.type !== 'ExternalName' && !o.spec.clusterIP) o.spec.clusterIP = `10.96.0.${this.#ip++}`;
      o.spec.clusterIPs ??= o.spec.clusterIP ? [o.spec.clusterIP] : undefined;
      o.spec.sessionAffinity ??= 'None';
      o.spec.ipFamilies ??= ['IPv4'];
      o.spec.ipFamilyPolicy ??= 'SingleStack';
      o.spec.internalTrafficPolicy ??= 'Cluster';
      for (const p of o.spec.ports ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      o.status ??= { loadBalancer: {} };
    }
    if (r.kind === 'Deployment') {
      o.spec ??= {};
      o.spec.replicas ??= 1;
      o.spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
      o.spec.revisionHistoryLimit ??= 10;
      o.spec.progressDeadlineSeconds ??= 600;
    }
    if (r.kind === 'Pod') {
      o.spec ??= {};
      o.spec.restartPolicy ??= 'Always';
      o.spec.terminationGracePeriodSeconds ??= 30;
      o.spec.schedulerName ??= 'default-scheduler';
      o.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
    }
  }

  #validate(r: FakeResource, o: Obj): RestResponse | undefined {
    if (r.kind === 'Pod') {
      const causes: Obj[] = [];
      (o.spec?.containers ?? []).forEach((c: Obj, i: number) => {
        if (!c.image) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `spec.containers[${i}].image` });
      });
      if (!(o.spec?.containers ?? []).length) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' });
      if (causes.length) {
        const msg = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
        return status(422, 'Invalid', `Pod "${o.metadata.name}" is invalid: ${causes.length > 1 ? `[${msg}]` : msg}`, { name: o.metadata.name, kind: 'Pod', causes });
      }
    }
    return undefined;
  }

  #create(r: FakeResource, namespace: string, body: Obj): RestResponse {
    if (!body || typeof body !== 'object') return status(400, 'BadRequest', 'the body of the request was in an unknown format');
    const o = clone(body);
    o.metadata = { ...(o.metadata ?? {}) };
    if (r.namespaced) {
      if (o.metadata.namespace && o.metadata.namespace !== namespace) {
        return status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
      }
      o.metadata.namespace = namespace;
    }
    if (!o.metadata.name && !o.metadata.generateName) {
      return status(422, 'Invalid', `${r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, {
        kind: r.kind,
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }],
      });
    }
    const invalid = this.#validate(r, o);
    if (invalid) return invalid;
    if (o.metadata.name && this.#objects.has(this.#key(r, namespace, o.metadata.name))) {
      return status(409, 'AlreadyExists', `${r.group ? `${r.name}.${r.group}` : r.name} "${o.metadata.name}" already exists`, { name: o.metadata.name, ...(r.group ? { group: r.group } : {}), kind: r.name });
    }
    delete o.metadata.resourceVersion;
    this.#fillMeta(o, r);
    const typed = this.#typed(r, o);
    this.#store(r, typed, 'ADDED');
    if (r.kind === 'CustomResourceDefinition') this.#serveCrd(typed);
    return { code: 201, body: clone(typed) };
  }

  #serveCrd(crd: Obj): void {
    const names = crd.spec?.names ?? {};
    for (const v of crd.spec?.versions ?? []) {
      if (v.served === false) continue;
      this.resources.push({
        group: crd.spec.group,
        version: v.name,
        name: names.plural,
        singularName: names.singular ?? String(names.kind).toLowerCase(),
        kind: names.kind,
        namespaced: crd.spec.scope !== 'Cluster',
        shortNames: names.shortNames,
        categories: names.categories,
        subresources: v.subresources?.scale ? ['scale'] : undefined,
      });
    }
  }

  #replace(r: FakeResource, namespace: string, name: string, sub: string | undefined, body: Obj): RestResponse {
    const key = this.#key(r, namespace, name);
    const s = this.#objects.get(key);
    if (!s) return this.#notFound(r, name);
    if (sub === 'scale') {
      const o = clone(s.object);
      o.spec = { ...(o.spec ?? {}), replicas: body?.spec?.replicas ?? 0 };
      if (o.metadata.generation !== undefined) o.metadata.generation++;
      o.metadata.resourceVersion = String(++this.#rv);
      this.#store(r, o, 'MODIFIED');
      return { code: 200, body: this.#scale(r, o) };
    }
    if (body?.metadata?.resourceVersion && body.metadata.resourceVersion !== s.object.metadata.resourceVersion) {
      return status(409, 'Conflict', `Operation cannot be fulfilled on ${r.name} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, kind: r.name });
    }
    const o = clone(body);
    o.metadata = { ...o.metadata, uid: s.object.metadata.uid, creationTimestamp: s.object.metadata.creationTimestamp, resourceVersion: String(++this.#rv) };
    const typed = this.#typed(r, o);
    this.#store(r, typed, 'MODIFIED');
    return { code: 200, body: clone(typed) };
  }

  #patch(r: FakeResource, namespace: string, name: string, sub: string | undefined, req: RestRequest): RestResponse {
    const s = this.#objects.get(this.#key(r, namespace, name));
    if (!s) return this.#notFound(r, name);
    const custom = r.group.includes('.') && !r.group.endsWith('.k8s.io');
    const base = sub === 'scale' ? this.#scale(r, s.object) : clone(s.object);
    let patched: Obj;
    try {
      switch (req.contentType) {
        case 'application/merge-patch+json':
          patched = applyMergePatch(base, req.body) as Obj;
          break;
        case 'application/json-patch+json':
          if (!Array.isArray(req.body)) return status(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
          patched = applyJsonPatch(base, req.body) as Obj;
          break;
        case 'application/strategic-merge-patch+json':
          if (custom) {
            return status(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
          }
          patched = strategicMerge(base, req.body) as Obj;
          break;
        default:
          return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      }
    } catch (err) {
      return status(422, 'Invalid', (err as Error).message);
    }
    if (sub === 'scale') {
      const o = clone(s.object);
      if (o.spec?.replicas !== patched.spec?.replicas) {
        o.spec = { ...(o.spec ?? {}), replicas: patched.spec?.replicas };
        if (o.metadata.generation !== undefined) o.metadata.generation++;
        o.metadata.resourceVersion = String(++this.#rv);
        this.#store(r, o, 'MODIFIED');
      }
      return { code: 200, body: this.#scale(r, o) };
    }
    const invalid = this.#validate(r, patched);
    if (invalid) return invalid;
    patched.metadata = { ...patched.metadata, name, uid: s.object.metadata.uid, creationTimestamp: s.object.metadata.creationTimestamp, resourceVersion: s.object.metadata.resourceVersion };
    if (JSON.stringify(sortDeep(patched)) === JSON.stringify(sortDeep(s.object))) return { code: 200, body: this.#typed(r, clone(s.object)) };
    if (patched.metadata.generation !== undefined && JSON.stringify(sortDeep(patched.spec)) !== JSON.stringify(sortDeep(s.object.spec))) patched.metadata.generation++;
    patched.metadata.resourceVersion = String(++this.#rv);
    const typed = this.#typed(r, patched);
    this.#store(r, typed, 'MODIFIED');
    return { code: 200, body: clone(typed) };
  }

  #delete(r: FakeResource, namespace: string, name: string, opts: Obj): RestResponse {
    const key = this.#key(r, namespace, name);
    const s = this.#objects.get(key);
    if (!s) return this.#notFound(r, name);
    if (opts.dryRun?.length) return { code: 200, body: this.#typed(r, clone(s.object)) };
    if (r.kind === 'Pod' && this.opts.gracefulPodDeletion && opts.gracePeriodSeconds !== 0) {
      const o = clone(s.object);
      if (!o.metadata.deletionTimestamp) {
        const grace = opts.gracePeriodSeconds ?? o.spec?.terminationGracePeriodSeconds ?? 30;
        o.metadata.deletionTimestamp = new Date(Math.floor(this.opts.now() / 1000) * 1000 + grace * 1000).toISOString().replace('.000Z', 'Z');
        o.metadata.deletionGracePeriodSeconds = grace;
        o.metadata.resourceVersion = String(++this.#rv);
        this.#store(r, o, 'MODIFIED');
      }
      return { code: 200, body: this.#typed(r, clone(o)) };
    }
    this.#objects.delete(key);
    const o = clone(s.object);
    o.metadata.resourceVersion = String(++this.#rv);
    this.#notify(r, o, 'DELETED');
    return { code: 200, body: this.#typed(r, o) };
  }

  #store(r: FakeResource, o: Obj, type: 'ADDED' | 'MODIFIED'): void {
    this.#objects.set(this.#key(r, o.metadata?.namespace ?? '', o.metadata.name), { resource: r, object: o });
    this.#notify(r, o, type);
  }

  #notify(r: FakeResource, o: Obj, type: WatchEventJson['type']): void {
    for (const s of this.#streams) {
      if ((s as unknown as { resource: FakeResource }).resource !== r) continue;
      if (s.filter(o, type)) s.push({ type, object: this.#typed(r, clone(o)) });
    }
  }
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Obj)[k])]));
  return v;
}

/** Strategic merge, simplified: lists of objects with a `name` merge by name, `$patch: delete` removes. */
function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out: Obj = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Obj) } : {};
  for (const [k, v] of Object.entries(patch as Obj)) {
    if (k.startsWith('$setElementOrder/') || k === '$retainKeys') continue;
    if (v === null) delete out[k];
    else if (Array.isArray(v) && Array.isArray(out[k]) && v.every((x) => x && typeof x === 'object' && 'name' in x)) {
      const merged = [...(out[k] as Obj[])];
      for (const item of v as Obj[]) {
        const i = merged.findIndex((m) => m?.name === item.name);
        if (item.$patch === 'delete') {
          if (i >= 0) merged.splice(i, 1);
        } else if (i >= 0) merged[i] = strategicMerge(merged[i], item) as Obj;
        else merged.push(item);
      }
      out[k] = merged;
    } else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = strategicMerge(out[k], v);
    else out[k] = clone(v);
  }
  return out;
}

/** Label selectors: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`, comma-separated. */
export function compileLabelSelector(sel: string): ((labels: Record<string, string>) => boolean) | undefined {
  const s = sel.trim();
  if (s === '') return () => true;
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  const reqs: Array<(l: Record<string, string>) => boolean> = [];
  for (const p of parts) {
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const [, k, op, vs] = m;
      const values = vs.split(',').map((x) => x.trim());
      reqs.push(op === 'in' ? (l) => k in l && values.includes(l[k]) : (l) => !(k in l) || !values.includes(l[k]));
    } else if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(p))) {
      const [, k, op, v] = m;
      reqs.push(op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v);
    } else if ((m = /^!([\w./-]+)$/.exec(p))) {
      const k = m[1];
      reqs.push((l) => !(k in l));
    } else if ((m = /^([\w./-]+)$/.exec(p))) {
      const k = m[1];
      reqs.push((l) => k in l);
    } else return undefined;
  }
  return (l) => reqs.every((r) => r(l));
}

/** Field selectors: `path=value`, `path==value`, `path!=value` over dotted paths, comma-separated. */
export function compileFieldSelector(sel: string): ((o: Obj) => boolean) | undefined {
  const s = sel.trim();
  if (s === '') return () => true;
  const reqs: Array<(o: Obj) => boolean> = [];
  for (const p of s.split(',')) {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(p.trim());
    if (!m) return undefined;
    const [, path, op, value] = m;
    const get = (o: Obj) => {
      const v = path.split('.').reduce<any>((x, k) => (x === undefined || x === null ? undefined : x[k]), o);
      return v === undefined || v === null ? '' : String(v);
    };
    reqs.push(op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value);
  }
  return (o) => reqs.every((r) => r(o));
}
