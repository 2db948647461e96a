import { labCluster, type RestTransport } from 'kubelab';

/** What a request is about: the coordinates kubectl works out before it builds a URL. */
export interface ResourceRef {
  group: string; // '' for the core group (Pods, ConfigMaps, Nodes, Namespaces...)
  version: string; // 'v1'
  resource: string; // the plural, lower case: 'pods', 'deployments', 'crontabs'
  namespace?: string; // omitted or '': all namespaces (or a cluster-scoped resource)
  name?: string; // omitted: the collection
  subresource?: string; // 'status', 'scale' (needs a name)
}

/** List options as kubectl and client-go send them (metav1.ListOptions). */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  watch?: boolean;
}

/**
 * The path kube-apiserver serves `ref` at.
 *   core group:     /api/v1/...
 *   named groups:   /apis/<group>/<version>/...
 *   namespaced:     .../namespaces/<ns>/<resource>[/<name>[/<subresource>]]
 *   cluster-scoped: .../<resource>[/<name>[/<subresource>]]   (and so is "all namespaces")
 */
// Upstream: client-go rest/request.go (Request.URL: prefix, namespace, resource, name, subresource),
// apiserver pkg/endpoints/installer.go (the routes it registers)
export function restPath(ref: ResourceRef): string {
  const parts = ref.group === '' ? ['api', ref.version] : ['apis', ref.group, ref.version];
  if (ref.namespace) parts.push('namespaces', ref.namespace);
  parts.push(ref.resource);
  if (ref.name) {
    parts.push(ref.name);
    if (ref.subresource) parts.push(ref.subresource);
  }
  return '/' + parts.join('/');
}

/** The query parameters of a list or watch: only what was asked for, as strings. */
// Upstream: apimachinery pkg/apis/meta/v1 (ListOptions' url tags: labelSelector, fieldSelector, watch, resourceVersion, limit, continue)
export function listQuery(options: ListOptions = {}): Record<string, string> {
  const q: Record<string, string> = {};
  if (options.labelSelector) q.labelSelector = options.labelSelector;
  if (options.fieldSelector) q.fieldSelector = options.fieldSelector;
  if (options.limit !== undefined && options.limit > 0) q.limit = String(options.limit);
  if (options.continue) q.continue = options.continue;
  if (options.resourceVersion !== undefined) q.resourceVersion = options.resourceVersion;
  if (options.watch) q.watch = 'true';
  return q;
}

/** What discovery says about one resource. */
export interface Resolved {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

interface APIResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
}

/**
 * What kubectl's RESTMapper does with `kubectl get <name>`: walk discovery (GET /api, /api/v1,
 * /apis, then /apis/<group>/<preferred version>) and find the resource whose plural, singular,
 * short name or kind is `name` (any case), or `<plural>.<group>`. Undefined when nothing matches.
 */
// Upstream: client-go discovery/discovery_client.go (ServerGroupsAndResources), restmapper/discovery.go
// (NewDiscoveryRESTMapper), restmapper/shortcut.go (shortcutExpander)
export async function resolveResource(transport: RestTransport, name: string): Promise<Resolved | undefined> {
  const get = async (path: string) => {
    const res = await transport.request({ verb: 'GET', path });
    if (res.code !== 200) throw new Error(`GET ${path}: ${res.code}`);
    return res.body as Record<string, unknown>;
  };
  const groupVersions: Array<{ group: string; version: string }> = [];
  const core = (await get('/api')) as { versions: string[] };
  for (const v of core.versions) groupVersions.push({ group: '', version: v });
  const groups = (await get('/apis')) as { groups: Array<{ name: string; preferredVersion: { version: string } }> };
  for (const g of groups.groups) groupVersions.push({ group: g.name, version: g.preferredVersion.version });

  const wanted = name.toLowerCase();
  for (const gv of groupVersions) {
    const list = (await get(restPathOfGroupVersion(gv))) as { resources: APIResource[] };
    for (const r of list.resources) {
      if (r.name.includes('/')) continue; // pods/status: a subresource, not a type
      const names = [r.name, r.singularName ?? '', r.kind.toLowerCase(), ...(r.shortNames ?? [])];
      const qualified = gv.group ? `${r.name}.${gv.group}` : r.name;
      if (names.includes(wanted) || qualified === wanted) {
        return { group: gv.group, version: gv.version, resource: r.name, kind: r.kind, namespaced: r.namespaced };
      }
    }
  }
  return undefined;
}

function restPathOfGroupVersion(gv: { group: string; version: string }): string {
  return gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
}

/** Code and reason (metav1.Status.reason; '' for a success) of what the API server answers. */
export interface Prediction {
  code: number;
  reason: string;
}

// Predict first, then try each one in the terminal (kubectl -v=6 shows the code of every request).
export const predictions: Record<string, Prediction> = {
  // POST a Pod whose name is taken in that namespace
  createExisting: { code: 409, reason: 'AlreadyExists' },
  // PUT a Pod carrying a resourceVersion older than the stored one
  updateStale: { code: 409, reason: 'Conflict' },
  // POST a ConfigMap named `Settings_V2`
  createInvalid: { code: 422, reason: 'Invalid' },
  // GET a Pod that does not exist
  getMissing: { code: 404, reason: 'NotFound' },
  // GET the Pods of a namespace that does not exist (a list)
  listMissingNamespace: { code: 200, reason: '' },
  // POST a Pod into a namespace that does not exist
  createInMissingNamespace: { code: 404, reason: 'NotFound' },
  // DELETE /api/v1/namespaces (the whole collection)
  deleteAllNamespaces: { code: 405, reason: 'MethodNotAllowed' },
  // PATCH a CronTab with Content-Type application/strategic-merge-patch+json
  strategicPatchCustomResource: { code: 415, reason: 'UnsupportedMediaType' },
  // watch Pods from a resourceVersion the watch cache no longer holds (after an API server restart):
  // the response is 200, and the stream's first event is an ERROR carrying this Status
  watchTooOld: { code: 410, reason: 'Expired' },
};

// What kubectl sends, read from `kubectl -v=8 ...` in the terminal.
export const seenWithV8 = {
  // `kubectl get pods -n shop`: the `limit` of its list request
  listLimit: 500,
  // `kubectl get pods -n shop -w`: the query parameters of its watch request, sorted
  watchParams: ['resourceVersion', 'watch'],
  // `kubectl get pod web-1 -n shop -w`: the fieldSelector of its watch request
  singleObjectWatchFieldSelector: 'metadata.name=web-1',
  // `kubectl patch deployment web -n shop -p '{"spec":{"replicas":3}}'`: the Content-Type of the PATCH
  patchContentType: 'application/strategic-merge-patch+json',
  // `kubectl delete configmap settings -n shop`: the propagationPolicy in the DELETE body
  deletePropagationPolicy: 'Background',
};

// ---- Run me: send a few requests to the lab's cluster ----
const server = labCluster().apiServer;
const show = async (ref: ResourceRef, options?: ListOptions) => {
  const path = restPath(ref);
  const query = listQuery(options);
  const res = await server.request({ verb: 'GET', path, query });
  const body = res.body as { kind?: string; items?: Array<{ metadata: { name: string } }>; metadata?: { name?: string; continue?: string }; message?: string };
  const qs = Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  const what = body.items ? `${body.kind} [${body.items.map((i) => i.metadata.name).join(', ')}]` : res.code >= 400 ? body.message : `${body.kind} ${body.metadata?.name}`;
  console.log(`${res.code}  GET ${path}${qs ? '?' + qs : ''}\n     ${what}`);
};

await show({ group: '', version: 'v1', resource: 'pods', namespace: 'shop', name: 'web-1' });
await show({ group: '', version: 'v1', resource: 'pods', namespace: 'shop' }, { labelSelector: 'tier=frontend' });
await show({ group: '', version: 'v1', resource: 'nodes', name: 'node-1' });
await show({ group: 'apps', version: 'v1', resource: 'deployments', namespace: 'shop', name: 'web', subresource: 'scale' });
await show({ group: '', version: 'v1', resource: 'pods' }, { limit: 2 });

const crontab = await resolveResource(server, 'ct');
console.log('\nkubectl get ct  ->', JSON.stringify(crontab));
if (crontab) await show({ ...crontab, namespace: 'shop' });
