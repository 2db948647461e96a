/**
 * Checks of the kubectl-by-url lab. Each check builds its own scenario on a fresh copy of the
 * lab's cluster (namespaces, names, labels and a second CRD vary with the seed), sends the
 * requests the learner's functions describe through the API server model's RestTransport, and
 * judges by what kube-apiserver answers. The -v=8 check runs the kubectl model against the
 * check's cluster and records what it sends.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction, type CheckContext } from '../../src/lab/checks';
import { createKubectl } from '../../src/lab/shell/kubectl/index';
import {
  rngFromSeed,
  runUntilIdle,
  runUntilSettled,
  type KubeObject,
  type LabCluster,
  type RestRequest,
  type RestResponse,
  type RestTransport,
  type Rng,
  type WatchEventJson,
} from '../../src/sim/index';

interface ResourceRef {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}
interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  watch?: boolean;
}
interface Resolved {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}
type RestPath = (ref: ResourceRef) => string;
type ListQuery = (options?: ListOptions) => Record<string, string>;
type ResolveResource = (transport: RestTransport, name: string) => Promise<Resolved | undefined>;

// ---- the scenario ----------------------------------------------------------------------------

interface CustomKind {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  shortName: string;
  namespaced: boolean;
}

interface World {
  cluster: LabCluster;
  server: RestTransport;
  rng: Rng;
  ns: string;
  otherNs: string;
  pods: Array<{ name: string; labels: Record<string, string> }>;
  configMap: string;
  deployment: string;
  node: string;
  custom: CustomKind;
  customName: string;
  send(req: RestRequest): Promise<RestResponse>;
}

const NS_WORDS = ['payments', 'search', 'billing', 'checkout', 'catalog', 'ledger'];
const POD_WORDS = ['alpha', 'bravo', 'delta', 'echo', 'kilo', 'lima', 'oscar', 'tango'];
const KINDS = ['Gadget', 'Sprocket', 'Gizmo', 'Doohickey', 'Widget'];
const GROUPS = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];

/** A fresh copy of the lab's cluster with the seed's own namespace, objects and custom resource. */
async function buildWorld(ctx: CheckContext, seed: number): Promise<World> {
  const cluster = await ctx.newCluster();
  const server = cluster.apiServer;
  const rng = rngFromSeed(`kubectl-by-url/${seed}`);
  const send = (req: RestRequest) => runUntilSettled(cluster.clock, server.request(req), { forMs: 60_000 });
  const must = async (req: RestRequest) => {
    const res = await send(req);
    if (res.code >= 300) throw new Error(`check setup: ${req.verb} ${req.path} answered ${res.code}: ${JSON.stringify(res.body)}`);
    return res.body as KubeObject;
  };
  const [ns, otherNs] = rng.shuffle(NS_WORDS).slice(0, 2).map((w) => `${w}-${rng.int(90) + 10}`);
  for (const n of [ns, otherNs]) await must({ verb: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } } });
  const pods = rng
    .shuffle(POD_WORDS)
    .slice(0, 5 + rng.int(3))
    .map((w, i) => ({ name: `${w}-${rng.int(900) + 100}`, labels: { app: i % 2 === 0 ? 'web' : 'api', tier: rng.pick(['frontend', 'backend']) } }));
  for (const p of pods) {
    await must({ verb: 'POST', path: `/api/v1/namespaces/${ns}/pods`, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, labels: p.labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
  }
  await must({ verb: 'POST', path: `/api/v1/namespaces/${otherNs}/pods`, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
  const configMap = `config-${rng.int(900) + 100}`;
  await must({ verb: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: configMap }, data: { k: 'v' } } });
  const deployment = `${rng.pick(['front', 'shop', 'orders'])}-${rng.int(90) + 10}`;
  await must({
    verb: 'POST',
    path: `/apis/apps/v1/namespaces/${ns}/deployments`,
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: deployment }, spec: { replicas: 1 + rng.int(3), selector: { matchLabels: { app: deployment } }, template: { metadata: { labels: { app: deployment } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
  });
  const node = `worker-${rng.int(90) + 10}`;
  await must({ verb: 'POST', path: '/api/v1/nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: node } } });

  const kind = rng.pick(KINDS);
  const custom: CustomKind = {
    group: `${rng.pick(GROUPS)}.example.com`,
    version: rng.pick(['v1', 'v2', 'v3']),
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    kind,
    shortName: `${kind.slice(0, 2).toLowerCase()}x`,
    namespaced: rng.int(2) === 0,
  };
  await must({
    verb: 'POST',
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    body: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${custom.plural}.${custom.group}` },
      spec: {
        group: custom.group,
        scope: custom.namespaced ? 'Namespaced' : 'Cluster',
        names: { plural: custom.plural, singular: custom.singular, kind: custom.kind, shortNames: [custom.shortName] },
        // Two served versions: discovery prefers the stable one (listed first, as kube-aware version order puts it).
        versions: [custom.version, `${custom.version}beta1`].map((name, i) => ({
          name,
          served: true,
          storage: i === 0,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
        })),
      },
    },
  });
  // The CRD controllers establish it and the server starts serving the new resource.
  const collection = refPath({ group: custom.group, version: custom.version, resource: custom.plural, namespace: custom.namespaced ? ns : undefined });
  for (let i = 0; i < 50 && (await send({ verb: 'GET', path: collection })).code !== 200; i++) await runUntilIdle(cluster.clock, { forMs: 100 });
  const customName = `${custom.singular}-${rng.int(900) + 100}`;
  await must({ verb: 'POST', path: collection, body: { apiVersion: `${custom.group}/${custom.version}`, kind: custom.kind, metadata: { name: customName }, spec: { size: rng.int(10) } } });
  return { cluster, server, rng, ns, otherNs, pods, configMap, deployment, node, custom, customName, send };
}

/** The path kube-apiserver serves a ref at (the check's own answer, for messages). */
function refPath(ref: ResourceRef): string {
  const parts = ref.group === '' ? ['api', ref.version] : ['apis', ref.group, ref.version];
  if (ref.namespace) parts.push('namespaces', ref.namespace);
  parts.push(ref.resource);
  if (ref.name) parts.push(ref.name, ...(ref.subresource ? [ref.subresource] : []));
  return '/' + parts.join('/');
}

function describeRef(ref: ResourceRef): string {
  return JSON.stringify(Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== undefined)));
}

function statusText(res: RestResponse): string {
  const b = res.body as { message?: string; reason?: string } | undefined;
  return res.code >= 400 ? `${res.code} ${b?.reason ?? ''}: ${b?.message ?? ''}` : String(res.code);
}

function callSafely<T>(fn: () => T): { value?: T; error?: string } {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: (e as Error)?.message ?? String(e) };
  }
}

/** Names of a list body's items. */
function itemNames(body: unknown): string[] {
  return ((body as { items?: KubeObject[] })?.items ?? []).map((i) => i.metadata?.name ?? '');
}

/** Fails with one line per problem under `what` (nothing to diff: the lines say expected vs received). */
function expectNoProblems(problems: string[], what: string) {
  if (problems.length > 0) throw new AssertionError(`${what}:\n  - ${problems.join('\n  - ')}`);
}

// ---- step 1: paths ----------------------------------------------------------------------------

interface PathCase {
  ref: ResourceRef;
  /** What the answer must be: an object of this kind and name, or a list of this kind holding these names. */
  kind: string;
  names: string[];
}

function pathCases(w: World): PathCase[] {
  const c = w.custom;
  const podName = w.rng.pick(w.pods).name;
  return [
    { ref: { group: '', version: 'v1', resource: 'pods', namespace: w.ns, name: podName }, kind: 'Pod', names: [podName] },
    { ref: { group: '', version: 'v1', resource: 'configmaps', namespace: w.ns }, kind: 'ConfigMapList', names: [w.configMap] },
    { ref: { group: '', version: 'v1', resource: 'pods' }, kind: 'PodList', names: [podName, 'lonely', 'web-1'] },
    { ref: { group: '', version: 'v1', resource: 'nodes', name: w.node }, kind: 'Node', names: [w.node] },
    { ref: { group: '', version: 'v1', resource: 'namespaces', name: w.otherNs }, kind: 'Namespace', names: [w.otherNs] },
    { ref: { group: 'apps', version: 'v1', resource: 'deployments', namespace: w.ns, name: w.deployment }, kind: 'Deployment', names: [w.deployment] },
    { ref: { group: 'apps', version: 'v1', resource: 'deployments', namespace: w.ns, name: w.deployment, subresource: 'scale' }, kind: 'Scale', names: [w.deployment] },
    { ref: { group: '', version: 'v1', resource: 'pods', namespace: w.ns, name: podName, subresource: 'status' }, kind: 'Pod', names: [podName] },
    { ref: { group: 'stable.example.com', version: 'v1', resource: 'crontabs', namespace: 'shop', name: 'nightly-report' }, kind: 'CronTab', names: ['nightly-report'] },
    { ref: { group: c.group, version: c.version, resource: c.plural, namespace: c.namespaced ? w.ns : undefined, name: w.customName }, kind: c.kind, names: [w.customName] },
    { ref: { group: c.group, version: c.version, resource: c.plural }, kind: `${c.kind}List`, names: [w.customName] },
  ];
}

export const buildsPaths = check(
  'restPath gives the path kube-apiserver serves: core and named groups, namespaced and cluster-scoped, subresources, custom resources',
  async (ctx) => {
    const restPath = exportedFunction<RestPath>(ctx.learner, 'restPath');
    for (const seed of ctx.seeds.slice(0, 2)) {
      const w = await buildWorld(ctx, seed);
      const problems: string[] = [];
      for (const k of pathCases(w)) {
        const got = callSafely(() => restPath({ ...k.ref }));
        const expected = refPath(k.ref);
        if (got.error !== undefined || typeof got.value !== 'string') {
          problems.push(`restPath(${describeRef(k.ref)}) ${got.error !== undefined ? `threw: ${got.error}` : `returned ${JSON.stringify(got.value)}, not a string`}`);
          continue;
        }
        const res = await w.send({ verb: 'GET', path: got.value });
        const body = res.body as KubeObject & { items?: KubeObject[] };
        const ok = res.code === 200 && body.kind === k.kind && (body.items ? k.names.every((n) => itemNames(body).includes(n)) : body.metadata?.name === k.names[0]);
        if (!ok) {
          const answered = res.code === 200 ? `200 with ${body.kind} ${body.items ? `[${itemNames(body).join(', ')}]` : body.metadata?.name}` : statusText(res);
          problems.push(`restPath(${describeRef(k.ref)}) = ${got.value}: GET answered ${answered}; kube-apiserver serves it at ${expected}`);
        }
      }
      expectNoProblems(problems, `requests built from restPath that did not reach the object (seed ${seed})`);
    }
  },
  {
    hint: 'Run `kubectl get <type> -v=6` for a Node, a Deployment and a CronTab and compare the URLs: where does the group go, when is there a `namespaces/<ns>` segment, and where does a subresource sit?',
  },
);

// ---- step 2: list options -------------------------------------------------------------------

export const sendsListOptions = check(
  'listQuery carries labelSelector, fieldSelector, limit and continue, and watch from a resourceVersion, as the server reads them',
  async (ctx) => {
    const listQuery = exportedFunction<ListQuery>(ctx.learner, 'listQuery');
    const restPath = exportedFunction<RestPath>(ctx.learner, 'restPath');
    for (const seed of ctx.seeds.slice(0, 2)) {
      const w = await buildWorld(ctx, seed);
      const problems: string[] = [];
      const pods: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespace: w.ns };
      const path = refPath(pods);
      // restPath is step 1's; a wrong one should not fail this step: use the right path.
      void restPath;
      const query = (o: ListOptions) => {
        const got = callSafely(() => listQuery({ ...o }));
        if (got.error !== undefined) throw new Error(`listQuery(${JSON.stringify(o)}) threw: ${got.error}`);
        return got.value ?? {};
      };
      const listNames = async (q: Record<string, string>) => {
        const res = await w.send({ verb: 'GET', path, query: q });
        return { res, names: itemNames(res.body) };
      };
      // Selectors: the answer to the learner's query must be the answer to the right one.
      const app = w.rng.pick(['web', 'api']);
      const tier = w.rng.pick(['frontend', 'backend']);
      const named = w.rng.pick(w.pods).name;
      const selections: ListOptions[] = [{ labelSelector: `app=${app}` }, { labelSelector: `app=${app},tier!=${tier}` }, { labelSelector: `tier in (${tier})` }, { fieldSelector: `metadata.name=${named}` }];
      for (const o of selections) {
        const want = await listNames(Object.fromEntries(Object.entries(o)) as Record<string, string>);
        const q = query(o);
        const got = await listNames(q);
        if (got.res.code !== 200 || got.names.join() !== want.names.join()) {
          problems.push(`listQuery(${JSON.stringify(o)}) = ${JSON.stringify(q)}: GET ${path} answered ${got.res.code === 200 ? `[${got.names.join(', ')}]` : statusText(got.res)}, expected [${want.names.join(', ')}]`);
        }
      }
      // Paging: limit, then the continue token of each page until there is none.
      const all = (await listNames({})).names;
      const limit = 2 + w.rng.int(2);
      const pages: string[][] = [];
      let token: string | undefined;
      for (let i = 0; i < 10; i++) {
        const q = query({ limit, ...(token ? { continue: token } : {}) });
        const { res, names } = await listNames(q);
        if (res.code !== 200) {
          problems.push(`page ${i + 1} with listQuery(${JSON.stringify({ limit, continue: token })}) = ${JSON.stringify(q)}: ${statusText(res)}`);
          break;
        }
        pages.push(names);
        token = (res.body as { metadata?: { continue?: string } }).metadata?.continue;
        if (!token) break;
      }
      const expectedPages = Math.ceil(all.length / limit);
      if (pages.flat().join() !== all.join() || pages.length !== expectedPages || pages.some((p) => p.length > limit)) {
        problems.push(`paging ${all.length} pods with limit ${limit}: got pages ${JSON.stringify(pages)}, expected ${expectedPages} pages of at most ${limit} covering [${all.join(', ')}] once`);
      }
      // Watch from a resourceVersion: the first event is the change made after it.
      const listed = await w.send({ verb: 'GET', path });
      const rv = (listed.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      const changed = w.rng.pick(w.pods).name;
      await w.send({ verb: 'PATCH', path: `${path}/${changed}`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { touched: 'yes' } } } });
      const wq = query({ watch: true, resourceVersion: rv });
      const opened = await runUntilSettled(w.cluster.clock, w.server.watch({ verb: 'GET', path, query: wq }));
      if (opened.code !== 200 || !opened.stream) {
        problems.push(`watch with listQuery({watch: true, resourceVersion: '${rv}'}) = ${JSON.stringify(wq)}: ${statusText(opened)}`);
      } else {
        const first = await runUntilSettled(w.cluster.clock, opened.stream.next(), { forMs: 1000 });
        opened.stream.close();
        const seen = first ? `${first.type} ${(first.object as KubeObject).metadata?.name ?? ''}` : 'no event';
        if (!first || first.type !== 'MODIFIED' || (first.object as KubeObject).metadata?.name !== changed) {
          problems.push(
            `a watch with listQuery({watch: true, resourceVersion: '${rv}'}) = ${JSON.stringify(wq)}, opened after ${changed} was changed at a later resourceVersion: first event ${seen}, expected MODIFIED ${changed}`,
          );
        }
      }
      expectNoProblems(problems, `list and watch requests built with listQuery that the server read differently (seed ${seed})`);
    }
  },
  {
    hint: 'Every option is a query parameter named as in metav1.ListOptions, its value a string. `kubectl get pods -l app=web --chunk-size=2 -v=6` and `kubectl get pods -w -v=6` show the URLs kubectl builds.',
  },
);

// ---- step 3: discovery -----------------------------------------------------------------------

/** The check's own resolution through discovery (the same documents kubectl reads). */
async function referenceResolve(w: World, name: string): Promise<Resolved | undefined> {
  const get = async (path: string) => (await w.send({ verb: 'GET', path })).body as Record<string, unknown>;
  const gvs: Array<{ group: string; version: string }> = [];
  for (const v of (await get('/api')).versions as string[]) gvs.push({ group: '', version: v });
  for (const g of (await get('/apis')).groups as Array<{ name: string; preferredVersion: { version: string } }>) gvs.push({ group: g.name, version: g.preferredVersion.version });
  const wanted = name.toLowerCase();
  for (const gv of gvs) {
    const list = (await get(gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`)) as { resources: Array<{ name: string; singularName: string; kind: string; namespaced: boolean; shortNames?: string[] }> };
    for (const r of list.resources) {
      if (r.name.includes('/')) continue;
      if ([r.name, r.singularName, r.kind.toLowerCase(), ...(r.shortNames ?? [])].includes(wanted) || (gv.group && `${r.name}.${gv.group}` === wanted)) {
        return { group: gv.group, version: gv.version, resource: r.name, kind: r.kind, namespaced: r.namespaced };
      }
    }
  }
  return undefined;
}

export const resolvesThroughDiscovery = check(
  'resolveResource finds a type by plural, singular, short name, kind or plural.group through discovery, custom resources included',
  async (ctx) => {
    const resolveResource = exportedFunction<ResolveResource>(ctx.learner, 'resolveResource');
    for (const seed of ctx.seeds.slice(0, 2)) {
      const w = await buildWorld(ctx, seed);
      const c = w.custom;
      const names = ['po', 'deploy', 'no', 'ns', 'ConfigMap', 'ct', 'crontab', 'crontabs.stable.example.com', c.plural, c.singular, c.shortName, c.kind, `${c.plural}.${c.group}`, `no-such-${c.plural}`];
      const problems: string[] = [];
      for (const name of w.rng.shuffle(names)) {
        const want = await referenceResolve(w, name);
        let got: Resolved | undefined;
        try {
          got = await runUntilSettled(w.cluster.clock, Promise.resolve(resolveResource(w.server, name)), { forMs: 60_000 });
        } catch (e) {
          problems.push(`resolveResource('${name}') threw: ${(e as Error)?.message ?? String(e)}`);
          continue;
        }
        const pick = (r: Resolved | undefined) => (r ? JSON.stringify({ group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced }) : 'undefined');
        if (pick(got) !== pick(want)) problems.push(`resolveResource('${name}') = ${pick(got)}, discovery says ${pick(want)}`);
      }
      expectNoProblems(problems, `names resolved differently from discovery (seed ${seed}; the check added ${c.kind} in ${c.group}/${c.version}, ${c.namespaced ? 'namespaced' : 'cluster-scoped'})`);
    }
  },
  {
    hint: '`kubectl api-resources -v=6` shows the discovery requests: /api, /apis, then one per group version. Each APIResourceList entry has name, singularName, shortNames, kind and namespaced; skip entries with a `/` (subresources).',
  },
);

// ---- step 4: predictions ----------------------------------------------------------------------

interface Outcome {
  code: number;
  reason: string;
  request: string;
}

const SCENARIOS: Record<string, (w: World) => Promise<Outcome>> = {
  async createExisting(w) {
    const p = w.rng.pick(w.pods).name;
    const path = `/api/v1/namespaces/${w.ns}/pods`;
    return outcome(`POST ${path} (a Pod named ${p}, which exists)`, await w.send({ verb: 'POST', path, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: p }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } }));
  },
  async updateStale(w) {
    const p = w.rng.pick(w.pods).name;
    const path = `/api/v1/namespaces/${w.ns}/pods/${p}`;
    const old = (await w.send({ verb: 'GET', path })).body as KubeObject;
    await w.send({ verb: 'PATCH', path, contentType: 'application/merge-patch+json', body: { metadata: { labels: { bumped: 'yes' } } } });
    return outcome(`PUT ${path} with resourceVersion ${old.metadata.resourceVersion} (it moved on since)`, await w.send({ verb: 'PUT', path, body: { ...old, metadata: { ...old.metadata, annotations: { note: 'mine' } } } }));
  },
  async createInvalid(w) {
    const path = `/api/v1/namespaces/${w.ns}/configmaps`;
    const name = `Settings_V${w.rng.int(9) + 1}`;
    return outcome(`POST ${path} (a ConfigMap named ${name})`, await w.send({ verb: 'POST', path, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } }));
  },
  async getMissing(w) {
    const path = `/api/v1/namespaces/${w.ns}/pods/gone-${w.rng.int(900) + 100}`;
    return outcome(`GET ${path}`, await w.send({ verb: 'GET', path }));
  },
  async listMissingNamespace(w) {
    const path = `/api/v1/namespaces/nowhere-${w.rng.int(900) + 100}/pods`;
    return outcome(`GET ${path}`, await w.send({ verb: 'GET', path }));
  },
  async createInMissingNamespace(w) {
    const ns = `nowhere-${w.rng.int(900) + 100}`;
    const path = `/api/v1/namespaces/${ns}/pods`;
    return outcome(`POST ${path}`, await w.send({ verb: 'POST', path, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } }));
  },
  async deleteAllNamespaces(w) {
    return outcome('DELETE /api/v1/namespaces', await w.send({ verb: 'DELETE', path: '/api/v1/namespaces' }));
  },
  async strategicPatchCustomResource(w) {
    const path = '/apis/stable.example.com/v1/namespaces/shop/crontabs/nightly-report';
    return outcome(`PATCH ${path} (Content-Type: application/strategic-merge-patch+json)`, await w.send({ verb: 'PATCH', path, contentType: 'application/strategic-merge-patch+json', body: { spec: { replicas: 2 } } }));
  },
  async watchTooOld(w) {
    const path = `/api/v1/namespaces/${w.ns}/pods`;
    const rv = (await w.send({ verb: 'GET', path })).body as { metadata: { resourceVersion: string } };
    for (const p of w.pods.slice(0, 2)) await w.send({ verb: 'PATCH', path: `${path}/${p.name}`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { moved: 'on' } } } });
    (w.cluster.apiServer as { restart(): void }).restart();
    await runUntilIdle(w.cluster.clock, { forMs: 5000 });
    const request = `GET ${path}?watch=true&resourceVersion=${rv.metadata.resourceVersion} after an API server restart`;
    const opened = await runUntilSettled(w.cluster.clock, w.server.watch({ verb: 'GET', path, query: { watch: 'true', resourceVersion: rv.metadata.resourceVersion } }));
    if (opened.code !== 200 || !opened.stream) return outcome(request, opened);
    const first = (await runUntilSettled(w.cluster.clock, opened.stream.next(), { forMs: 1000 })) as WatchEventJson | undefined;
    opened.stream.close();
    const status = first?.object as { code?: number; reason?: string } | undefined;
    return { request, code: first?.type === 'ERROR' ? (status?.code ?? 0) : 200, reason: first?.type === 'ERROR' ? (status?.reason ?? '') : '' };
  },
};

function outcome(request: string, res: RestResponse): Outcome {
  const reason = res.code >= 400 ? ((res.body as { reason?: string } | undefined)?.reason ?? '') : '';
  return { request, code: res.code, reason };
}

export const predictsStatusCodes = check(
  'Each prediction has the code and reason kube-apiserver answers',
  async (ctx) => {
    const predictions = ctx.learner.predictions as Record<string, { code?: unknown; reason?: unknown }> | undefined;
    ctx.expect(predictions, 'main.ts must export `predictions`').to.be.an('object');
    const w = await buildWorld(ctx, ctx.seed);
    const wrong: string[] = [];
    for (const [id, run] of Object.entries(SCENARIOS)) {
      const real = await run(w);
      const p = predictions?.[id];
      if (!p || p.code !== real.code || (p.reason ?? '') !== real.reason) {
        wrong.push(`${id} — ${real.request}: you predicted ${p ? `${String(p.code)} ${String(p.reason ?? '') || '(no reason)'}` : 'nothing'}`);
      }
    }
    ctx.log(`${Object.keys(SCENARIOS).length - wrong.length} of ${Object.keys(SCENARIOS).length} predictions match what the server answered`);
    expectNoProblems(wrong, 'predictions the API server disagreed with (try each request in the terminal)');
  },
  {
    hint: 'Reproduce each one in the terminal: `kubectl -v=6` prints the code of every request, and the Status body (-v=8) carries the reason. Successful answers have no reason.',
  },
);

// ---- step 5: what -v=8 shows ------------------------------------------------------------------

interface Sent {
  verb: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

/** Runs the kubectl model against the cluster, recording every request it sends. */
async function kubectlSends(cluster: LabCluster, args: string[], stopAfterWatch = false): Promise<Sent[]> {
  const sent: Sent[] = [];
  const server = cluster.apiServer;
  const controller = new AbortController();
  const record = (r: RestRequest) => sent.push({ verb: r.verb, path: r.path, query: { ...(r.query ?? {}) }, contentType: r.contentType, body: r.body });
  const transport: RestTransport = {
    request: (r) => (record(r), server.request(r)),
    watch: async (r) => {
      record(r);
      const res = await server.watch(r);
      if (stopAfterWatch) controller.abort();
      return res;
    },
  };
  const kubectl = createKubectl({ transport, clock: { now: () => cluster.clock.now() } });
  const io = { print: () => {}, error: () => {}, clear: () => {} };
  await runUntilSettled(cluster.clock, kubectl.run(args, io, controller.signal), { forMs: 60_000 });
  return sent;
}

export const readsVerboseOutput = check(
  'seenWithV8 holds what kubectl really sends: the list limit, the watch parameters, the single-object watch selector, the patch Content-Type and the delete body',
  async (ctx) => {
    const seen = ctx.learner.seenWithV8 as Record<string, unknown> | undefined;
    ctx.expect(seen, 'main.ts must export `seenWithV8`').to.be.an('object');
    const cluster = await ctx.newCluster();
    const list = (await kubectlSends(cluster, ['get', 'pods', '-n', 'shop'])).find((r) => r.verb === 'GET' && r.path === '/api/v1/namespaces/shop/pods');
    const watch = (await kubectlSends(cluster, ['get', 'pods', '-n', 'shop', '-w'], true)).find((r) => r.query.watch === 'true');
    const single = (await kubectlSends(cluster, ['get', 'pod', 'web-1', '-n', 'shop', '-w'], true)).find((r) => r.query.watch === 'true');
    const patch = (await kubectlSends(cluster, ['patch', 'deployment', 'web', '-n', 'shop', '-p', '{"spec":{"replicas":3}}'])).find((r) => r.verb === 'PATCH');
    const del = (await kubectlSends(cluster, ['delete', 'configmap', 'settings', '-n', 'shop'])).find((r) => r.verb === 'DELETE');
    const real: Record<string, unknown> = {
      listLimit: Number(list?.query.limit),
      watchParams: Object.keys(watch?.query ?? {}).sort(),
      singleObjectWatchFieldSelector: single?.query.fieldSelector,
      patchContentType: patch?.contentType,
      deletePropagationPolicy: (del?.body as { propagationPolicy?: string } | undefined)?.propagationPolicy,
    };
    const commands: Record<string, string> = {
      listLimit: 'kubectl get pods -n shop -v=6',
      watchParams: 'kubectl get pods -n shop -w -v=6',
      singleObjectWatchFieldSelector: 'kubectl get pod web-1 -n shop -w -v=6',
      patchContentType: `kubectl patch deployment web -n shop -p '{"spec":{"replicas":3}}' -v=7`,
      deletePropagationPolicy: 'kubectl delete configmap settings -n shop -v=8',
    };
    const wrong = Object.keys(real)
      .filter((k) => JSON.stringify(seen?.[k]) !== JSON.stringify(real[k]))
      .map((k) => `${k}: you wrote ${JSON.stringify(seen?.[k])}; look again with \`${commands[k]}\``);
    expectNoProblems(wrong, 'answers that differ from what kubectl sent to the check’s copy of the cluster');
  },
  {
    hint: '-v=6 prints each request URL with its query, -v=7 adds the request headers (Content-Type), -v=8 adds the bodies. Copy what you see; a watch stays open until Ctrl+C.',
  },
);
