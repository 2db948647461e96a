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
 * The path kube-apiserver serves `ref` at. `kubectl get ... -v=6` shows real ones.
 * TODO: this works for a Pod in a namespace. What about Deployments (group apps), Nodes
 * (cluster-scoped), all namespaces, subresources, custom resources?
 */
export function restPath(ref: ResourceRef): string {
  return `/api/${ref.version}/namespaces/${ref.namespace}/${ref.resource}/${ref.name ?? ''}`;
}

/** The query parameters of a list or watch: only what was asked for, as strings. */
export function listQuery(options: ListOptions = {}): Record<string, string> {
  // TODO: labelSelector, fieldSelector, limit, continue, resourceVersion, watch
  void options;
  return {};
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
 * What kubectl's RESTMapper does with `kubectl get <name>`: walk discovery and find the
 * resource whose plural, singular, short name or kind is `name` (any case), or
 * `<plural>.<group>`. Undefined when nothing matches.
 * TODO: this only looks at the core group (/api/v1), and only at plurals.
 */
export async function resolveResource(transport: RestTransport, name: string): Promise<Resolved | undefined> {
  const res = await transport.request({ verb: 'GET', path: '/api/v1' });
  const list = res.body as { resources: APIResource[] };
  for (const r of list.resources) {
    if (r.name === name) return { group: '', version: 'v1', resource: r.name, kind: r.kind, namespaced: r.namespaced };
  }
  return undefined;
}

/** Code and reason (metav1.Status.reason; '' for a success) of what the API server answers. */
export interface Prediction {
  code: number;
  reason: string;
}

// TODO: predict first, then try each one in the terminal (kubectl -v=6 shows the code of every request).
export const predictions: Record<string, Prediction> = {
  // POST a Pod whose name is taken in that namespace
  createExisting: { code: 0, reason: '?' },
  // PUT a Pod carrying a resourceVersion older than the stored one
  updateStale: { code: 0, reason: '?' },
  // POST a ConfigMap named `Settings_V2`
  createInvalid: { code: 0, reason: '?' },
  // GET a Pod that does not exist
  getMissing: { code: 0, reason: '?' },
  // GET the Pods of a namespace that does not exist (a list)
  listMissingNamespace: { code: 0, reason: '?' },
  // POST a Pod into a namespace that does not exist
  createInMissingNamespace: { code: 0, reason: '?' },
  // DELETE /api/v1/namespaces (the whole collection)
  deleteAllNamespaces: { code: 0, reason: '?' },
  // PATCH a CronTab with Content-Type application/strategic-merge-patch+json
  strategicPatchCustomResource: { code: 0, reason: '?' },
  // watch Pods from a resourceVersion the watch cache no longer holds (after an API server restart):
  // the response is 200, and the stream's first event is an ERROR carrying this Status
  watchTooOld: { code: 0, reason: '?' },
};

// What kubectl sends, read from `kubectl -v=8 ...` in the terminal.
export const seenWithV8 = {
  // `kubectl get pods -n shop`: the `limit` of its list request
  listLimit: 0,
  // `kubectl get pods -n shop -w`: the query parameters of its watch request, sorted
  watchParams: [] as string[],
  // `kubectl get pod web-1 -n shop -w`: the fieldSelector of its watch request
  singleObjectWatchFieldSelector: '',
  // `kubectl patch deployment web -n shop -p '{"spec":{"replicas":3}}'`: the Content-Type of the PATCH
  patchContentType: '',
  // `kubectl delete configmap settings -n shop`: the propagationPolicy in the DELETE body
  deletePropagationPolicy: '',
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
