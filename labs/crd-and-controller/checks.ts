/**
 * Checks of the crd-and-controller lab. Each check takes a fresh copy of the lab's cluster,
 * registers the learner's CRD (`widgetCRD()`), and judges what the API server does with it, or
 * runs the learner's controller (`newController`) against it — with the check's own informer
 * factory, namespace, Widgets and faults (a 409 Conflict, a delete the informer only learns about
 * from a relist, a deleted Widget) — and reads the outcome back from the API server and from the
 * workqueue's trace. Names, specs and counts vary with the seed.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction, type CheckContext } from '../../src/lab/checks';
import {
  listerWatcherFor,
  newClientset,
  newSharedInformerFactory,
  newStopChannel,
  rngFromSeed,
  runUntilIdle,
  runUntilSettled,
  type Clientset,
  type FakeClock,
  type KubeObject,
  type LabCluster,
  type RestRequest,
  type RestResponse,
  type RestTransport,
  type Rng,
  type SharedInformerFactory,
  type StopChannel,
} from '../../src/sim/index';

interface Controller {
  run(workers: number, stop: StopChannel): Promise<void>;
}
type NewController = (clientset: Clientset, informers: SharedInformerFactory, clock: FakeClock) => Controller;

const GROUP = 'example.com';
const VERSION = 'v1';
const CHECK_AGENT = 'kubelab-check';
const COLORS = ['red', 'green', 'blue'] as const;
const WORDS = ['anvil', 'bolt', 'cog', 'dynamo', 'flange', 'gear', 'hinge', 'lever', 'piston', 'rivet', 'spring', 'valve'];

interface WidgetSpec {
  color: string;
  size: number;
  message?: string;
}

function fail(what: string, problems: string[]): void {
  if (problems.length > 0) throw new AssertionError(`${what}:\n  - ${problems.join('\n  - ')}`);
}

function statusMessage(res: RestResponse): string {
  const b = res.body as { reason?: string; message?: string } | undefined;
  return `${res.code} ${b?.reason ?? ''}: ${b?.message ?? ''}`;
}

function randomSpec(rng: Rng): WidgetSpec {
  const spec: WidgetSpec = { color: rng.pick(COLORS), size: 1 + rng.int(10) };
  if (rng.int(2) === 0) spec.message = `${rng.pick(['hello', 'ship it', 'tuned', 'v2 ready'])} ${rng.int(100)}`;
  return spec;
}

/** What the controller must put in a Widget's ConfigMap. */
function expectedData(spec: WidgetSpec): Record<string, string> {
  return { color: spec.color, size: String(spec.size), message: spec.message ?? '' };
}

// ---- the cluster and the learner's CRD ----------------------------------------------------------

interface Bed {
  cluster: LabCluster;
  /** The check's own client (its requests carry the user agent `kubelab-check`). */
  send(req: RestRequest): Promise<RestResponse>;
  ns: string;
  rng: Rng;
  widgetsPath: string;
}

/** A copy of the cluster with the learner's CRD registered and served, and a namespace of the seed's. */
async function bed(ctx: CheckContext, seed: number): Promise<Bed> {
  const widgetCRD = exportedFunction<() => KubeObject>(ctx.learner, 'widgetCRD');
  const cluster = await ctx.newCluster();
  const rng = rngFromSeed(`crd-and-controller/${seed}`);
  const send = (req: RestRequest) => runUntilSettled(cluster.clock, cluster.apiServer.request({ userAgent: CHECK_AGENT, ...req }), { forMs: 60_000 });
  let crd: KubeObject;
  try {
    crd = JSON.parse(JSON.stringify(widgetCRD())) as KubeObject;
  } catch (e) {
    throw new AssertionError(`widgetCRD() threw: ${(e as Error)?.message ?? String(e)}`);
  }
  const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const name = crd?.metadata?.name ?? '';
  const existing = name ? await send({ verb: 'GET', path: `${crdPath}/${name}` }) : undefined;
  const applied =
    existing?.code === 200
      ? await send({ verb: 'PUT', path: `${crdPath}/${name}`, body: { ...crd, metadata: { ...crd.metadata, resourceVersion: (existing.body as KubeObject).metadata.resourceVersion } } })
      : await send({ verb: 'POST', path: crdPath, body: crd });
  if (applied.code >= 300) throw new AssertionError(`the API server refused your CRD (widgetCRD()): ${statusMessage(applied)}`);
  await runUntilIdle(cluster.clock, { forMs: 200 });
  const ns = `${rng.pick(['factory', 'workshop', 'plant', 'assembly'])}-${rng.int(90) + 10}`;
  await send({ verb: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
  const widgetsPath = `/apis/${GROUP}/${VERSION}/namespaces/${ns}/widgets`;
  const served = await send({ verb: 'GET', path: widgetsPath });
  if (served.code !== 200) throw new AssertionError(`after registering your CRD, GET ${widgetsPath} answered ${statusMessage(served)}: the CRD must define widgets in ${GROUP}/${VERSION}, namespaced`);
  return { cluster, send, ns, rng, widgetsPath };
}

function widgetBody(name: string, spec: unknown, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: `${GROUP}/${VERSION}`, kind: 'Widget', metadata: { name }, spec, ...extra };
}

// ---- step 1: the CRD ----------------------------------------------------------------------------

export const crdValidates = check(
  'The Widget CRD is structural: invalid Widgets are refused with 422, unknown fields pruned, status only through /status',
  async (ctx) => {
    for (const seed of ctx.seeds.slice(0, 2)) {
      const b = await bed(ctx, seed);
      const problems: string[] = [];
      const good = randomSpec(b.rng);
      const goodName = `${b.rng.pick(WORDS)}-${b.rng.int(900) + 100}`;
      const made = await b.send({ verb: 'POST', path: b.widgetsPath, body: widgetBody(goodName, good) });
      if (made.code !== 201) problems.push(`a valid Widget ${JSON.stringify(good)} was refused: ${statusMessage(made)}`);
      // Invalid specs, one rule each.
      const base = randomSpec(b.rng);
      const invalid: Array<[string, unknown]> = [
        [`color "${b.rng.pick(['purple', 'Red', 'teal'])}" (only red, green, blue)`, { ...base, color: b.rng.pick(['purple', 'Red', 'teal']) }],
        [`size ${10 + 1 + b.rng.int(90)} (at most 10)`, { ...base, size: 11 + b.rng.int(90) }],
        [`size ${-b.rng.int(3)} (at least 1)`, { ...base, size: -b.rng.int(3) }],
        ['size "3", a string (an integer)', { ...base, size: '3' }],
        ['size 2.5 (an integer)', { ...base, size: 2.5 }],
        ['no color (required)', { size: base.size }],
        ['no size (required)', { color: base.color }],
        [`a message of ${65 + b.rng.int(20)} characters (at most 64)`, { ...base, message: 'x'.repeat(65 + b.rng.int(20)) }],
      ];
      let i = 0;
      for (const [what, spec] of invalid) {
        const res = await b.send({ verb: 'POST', path: b.widgetsPath, body: widgetBody(`bad-${i++}`, spec) });
        if (res.code !== 422) problems.push(`a Widget with ${what} answered ${res.code === 201 ? '201 Created' : statusMessage(res)}, expected 422 Invalid`);
      }
      // Unknown fields are pruned (the default fieldValidation=Warn keeps the object, drops the field).
      const extraField = b.rng.pick(['shape', 'weight', 'vendor']);
      const pruned = await b.send({ verb: 'POST', path: b.widgetsPath, body: widgetBody('pruned', { ...randomSpec(b.rng), [extraField]: 'x' }) });
      const prunedSpec = (pruned.body as { spec?: Record<string, unknown> }).spec ?? {};
      if (pruned.code !== 201) problems.push(`a valid Widget with an extra spec.${extraField} was refused: ${statusMessage(pruned)}`);
      else if (extraField in prunedSpec) problems.push(`spec.${extraField}, which the schema does not declare, was stored: ${JSON.stringify(prunedSpec)} (an undeclared field should be pruned)`);
      // The status subresource: status is ignored on create, written only through /status, and
      // writing it does not bump generation.
      const withStatus = await b.send({ verb: 'POST', path: b.widgetsPath, body: widgetBody('with-status', randomSpec(b.rng), { status: { observedGeneration: 7 } }) });
      if (withStatus.code === 201 && (withStatus.body as { status?: unknown }).status !== undefined) {
        problems.push(`a create carrying status kept it (${JSON.stringify((withStatus.body as { status?: unknown }).status)}): with the status subresource, status is set only through /status`);
      }
      if (made.code === 201) {
        const obj = made.body as KubeObject;
        const statusPath = `${b.widgetsPath}/${goodName}/status`;
        const st = await b.send({ verb: 'PUT', path: statusPath, body: { ...obj, status: { observedGeneration: 1 } } });
        if (st.code !== 200) problems.push(`PUT ${statusPath} answered ${statusMessage(st)}: enable the status subresource`);
        else {
          const after = st.body as KubeObject;
          if ((after.status as { observedGeneration?: number } | undefined)?.observedGeneration !== 1) problems.push(`PUT .../status did not store status.observedGeneration (got ${JSON.stringify(after.status)}): declare it in the status schema`);
          if (after.metadata.generation !== obj.metadata.generation) problems.push(`writing status moved generation from ${obj.metadata.generation} to ${after.metadata.generation}`);
          const spec2 = { ...good, size: good.size === 10 ? 9 : good.size + 1 };
          const upd = await b.send({ verb: 'PUT', path: `${b.widgetsPath}/${goodName}`, body: { ...after, spec: spec2, status: { observedGeneration: 99 } } });
          const u = upd.body as KubeObject;
          if (upd.code !== 200) problems.push(`updating spec.size answered ${statusMessage(upd)}`);
          else {
            if (u.metadata.generation !== (obj.metadata.generation ?? 0) + 1) problems.push(`a spec change moved generation from ${obj.metadata.generation} to ${u.metadata.generation}, expected +1`);
            if ((u.status as { observedGeneration?: number } | undefined)?.observedGeneration !== 1) problems.push(`a PUT of the Widget itself changed status to ${JSON.stringify(u.status)}: with the status subresource the main endpoint ignores status`);
          }
        }
      }
      fail(`what the API server did with Widgets under your CRD (seed ${seed})`, problems);
    }
  },
  {
    hint: 'A structural schema declares every field with a type; enum, minimum, maximum, maxLength and required are OpenAPI v3 keywords. `subresources: {status: {}}` sits on the version, next to `schema`.',
  },
);

// ---- running the learner's controller --------------------------------------------------------------

interface Run {
  bed: Bed;
  stop: StopChannel;
  errors: unknown[];
  settle(ms?: number): Promise<unknown>;
  get(path: string): Promise<KubeObject | undefined>;
  widget(name: string): Promise<KubeObject | undefined>;
  configMap(name: string): Promise<KubeObject | undefined>;
  /** Requests the controller made that changed something (2xx writes), from the API server's trace. */
  controllerWrites(sinceSeq: number): Array<{ verb: string; uri: string; code: number }>;
  seq(): number;
  /** Keys the learner's workqueue put back with addRateLimited since `sinceSeq`. */
  rateLimitedAdds(sinceSeq: number): string[];
  conflictsSent(): number;
}

interface Faults {
  /** 409 Conflict to the first `conflicts` status writes of this Widget. */
  conflictWidget: string;
  conflicts: number;
  /** When the controller first writes this Widget's status, the Widget (and its ConfigMap) is deleted just before the write reaches the server. */
  deleteWidget: string;
}

/** Starts the learner's controller on a bed, optionally with faults injected into its transport. */
async function runController(ctx: CheckContext, b: Bed, fault?: Faults): Promise<Run> {
  const newController = exportedFunction<NewController>(ctx.learner, 'newController');
  const server = b.cluster.apiServer;
  let conflictsSent = 0;
  let deleted = false;
  const isStatusWrite = (r: RestRequest, widget: string) => (r.verb === 'PUT' || r.verb === 'PATCH') && r.path === `${b.widgetsPath}/${widget}/status`;
  // The controller's transport: the API server, with the faults.
  const transport: RestTransport = {
    request: async (r) => {
      if (fault && !deleted && isStatusWrite(r, fault.deleteWidget)) {
        // Someone deletes the Widget (and the garbage collector its ConfigMap) while this write is on its way.
        deleted = true;
        await server.request({ verb: 'DELETE', path: `${b.widgetsPath}/${fault.deleteWidget}`, userAgent: CHECK_AGENT });
        await server.request({ verb: 'DELETE', path: `/api/v1/namespaces/${b.ns}/configmaps/${fault.deleteWidget}-config`, userAgent: CHECK_AGENT });
      }
      if (fault && conflictsSent < fault.conflicts && isStatusWrite(r, fault.conflictWidget)) {
        conflictsSent++;
        return {
          code: 409,
          body: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: `Operation cannot be fulfilled on widgets.${GROUP} "${fault.conflictWidget}": the object has been modified; please apply your changes to the latest version and try again`,
            reason: 'Conflict',
            details: { name: fault.conflictWidget, group: GROUP, kind: 'widgets' },
            code: 409,
          },
        };
      }
      return server.request(r);
    },
    watch: (r) => server.watch(r),
  };
  const clock = b.cluster.clock;
  // QPS 5, burst 10: client-go's defaults, so a controller that loops on its own writes shows up as writes, not a stall.
  const clientset = newClientset(transport, { clock });
  const informers = newSharedInformerFactory(listerWatcherFor(clientset), 0, { clock });
  const errors: unknown[] = [];
  let controller: Controller;
  try {
    controller = newController(clientset, informers, clock);
  } catch (e) {
    throw new AssertionError(`newController(clientset, informers, clock) threw: ${(e as Error)?.message ?? String(e)}`);
  }
  const stop = newStopChannel();
  informers.start(stop);
  try {
    Promise.resolve(controller.run(2, stop)).catch((e: unknown) => errors.push(e));
  } catch (e) {
    errors.push(e);
  }
  const trace = ctx.trace;
  const run: Run = {
    bed: b,
    stop,
    errors,
    settle: (ms = 10_000) => runUntilIdle(clock, { forMs: ms }),
    async get(path) {
      const res = await b.send({ verb: 'GET', path });
      return res.code === 200 ? (res.body as KubeObject) : undefined;
    },
    widget: (name) => run.get(`${b.widgetsPath}/${name}`),
    configMap: (name) => run.get(`/api/v1/namespaces/${b.ns}/configmaps/${name}`),
    seq: () => trace.events.length,
    controllerWrites: (since) =>
      trace.events
        .slice(since)
        .filter((e) => e.type === 'apiserver.request' && e.userAgent !== CHECK_AGENT && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(String(e.verb)) && Number(e.code) < 300)
        .map((e) => ({ verb: String(e.verb), uri: String(e.uri), code: Number(e.code) })),
    rateLimitedAdds: (since) => trace.events.slice(since).filter((e) => e.type === 'workqueue.addRateLimited').map((e) => String(e.item)),
    conflictsSent: () => conflictsSent,
  };
  await run.settle(2000);
  return run;
}

function runErrors(r: Run): string[] {
  return r.errors.map((e) => `run() rejected: ${(e as Error)?.message ?? String(e)}`);
}

async function createWidgets(r: Run, count: number): Promise<Array<{ name: string; spec: WidgetSpec; uid: string }>> {
  const out: Array<{ name: string; spec: WidgetSpec; uid: string }> = [];
  for (const word of r.bed.rng.shuffle(WORDS).slice(0, count)) {
    const name = `${word}-${r.bed.rng.int(900) + 100}`;
    const spec = randomSpec(r.bed.rng);
    const res = await r.bed.send({ verb: 'POST', path: r.bed.widgetsPath, body: widgetBody(name, spec) });
    if (res.code !== 201) throw new AssertionError(`the check could not create Widget ${name} ${JSON.stringify(spec)}: ${statusMessage(res)} (does your CRD accept valid Widgets?)`);
    out.push({ name, spec, uid: (res.body as KubeObject).metadata.uid ?? '' });
  }
  return out;
}

/** What is wrong with a Widget's ConfigMap, or undefined. */
function configMapProblem(w: { name: string; spec: WidgetSpec; uid: string }, cm: KubeObject | undefined): string | undefined {
  const cmName = `${w.name}-config`;
  if (!cm) return `Widget ${w.name}: no ConfigMap ${cmName}`;
  const want = expectedData(w.spec);
  if (JSON.stringify(cm.data ?? {}) !== JSON.stringify(want) && JSON.stringify(sortKeys(cm.data)) !== JSON.stringify(sortKeys(want))) {
    return `Widget ${w.name} ${JSON.stringify(w.spec)}: ConfigMap ${cmName} has data ${JSON.stringify(cm.data)}, expected ${JSON.stringify(want)}`;
  }
  const refs = cm.metadata.ownerReferences ?? [];
  const wantRef = { apiVersion: `${GROUP}/${VERSION}`, kind: 'Widget', name: w.name, uid: w.uid, controller: true, blockOwnerDeletion: true };
  const ref = refs.find((x) => x.controller);
  if (refs.length !== 1 || JSON.stringify(sortKeys(ref)) !== JSON.stringify(sortKeys(wantRef))) {
    return `ConfigMap ${cmName}: ownerReferences ${JSON.stringify(refs)}, expected [${JSON.stringify(wantRef)}] (the Widget's uid ${w.uid})`;
  }
  return undefined;
}

function sortKeys(o: unknown): unknown {
  if (!o || typeof o !== 'object') return o;
  return Object.fromEntries(Object.entries(o as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
}

// ---- step 2: reconcile creates the owned ConfigMap ---------------------------------------------------

export const reconcileCreatesChild = check(
  "Reconcile creates each Widget's ConfigMap with its spec and a controller ownerReference, and leaves a ConfigMap it does not own alone",
  async (ctx) => {
    for (const seed of ctx.seeds.slice(0, 2)) {
      const b = await bed(ctx, seed);
      // A ConfigMap that happens to have the name a Widget's would get, owned by nobody.
      const foreignWidget = `${b.rng.pick(WORDS)}-x${b.rng.int(90) + 10}`;
      const foreignData = { owner: 'someone-else', note: `do not touch ${b.rng.int(1000)}` };
      await b.send({ verb: 'POST', path: `/api/v1/namespaces/${b.ns}/configmaps`, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${foreignWidget}-config` }, data: foreignData } });
      const r = await runController(ctx, b);
      const widgets = await createWidgets(r, 3 + b.rng.int(3));
      await b.send({ verb: 'POST', path: b.widgetsPath, body: widgetBody(foreignWidget, randomSpec(b.rng)) });
      await r.settle();
      const problems = runErrors(r);
      for (const w of widgets) {
        const p = configMapProblem(w, await r.configMap(`${w.name}-config`));
        if (p) problems.push(p);
      }
      const foreign = await r.configMap(`${foreignWidget}-config`);
      if (JSON.stringify(foreign?.data) !== JSON.stringify(foreignData) || (foreign?.metadata.ownerReferences ?? []).length > 0) {
        problems.push(
          `ConfigMap ${foreignWidget}-config existed before Widget ${foreignWidget}, owned by nobody; the controller changed it to data ${JSON.stringify(foreign?.data)} ownerReferences ${JSON.stringify(foreign?.metadata.ownerReferences ?? [])} (it should refuse: "already exists and is not managed by Widget")`,
        );
      }
      r.stop.close();
      fail(`Widgets created in ${b.ns} and their ConfigMaps after the controller ran (seed ${seed})`, problems);
    }
  },
  {
    hint: "metav1.NewControllerRef gives apiVersion, kind, name, uid, controller: true and blockOwnerDeletion: true. Before touching an existing ConfigMap, check that its controller ownerReference has this Widget's uid (metav1.IsControlledBy).",
  },
);

// ---- step 3: status and generation ------------------------------------------------------------------

export const statusTracksGeneration = check(
  'status.observedGeneration catches up with every spec change, written through /status; status writes do not bump generation, and an idle controller writes nothing',
  async (ctx) => {
    for (const seed of ctx.seeds.slice(0, 2)) {
      const b = await bed(ctx, seed);
      const r = await runController(ctx, b);
      const widgets = await createWidgets(r, 3 + b.rng.int(2));
      await r.settle();
      const problems = runErrors(r);
      // Change some specs (one of them twice), and one Widget's labels only.
      const [twice, once, labelled] = b.rng.shuffle(widgets);
      const specChanges = new Map<string, number>();
      for (const w of [twice, twice, once]) {
        const cur = (await r.widget(w.name))!;
        w.spec = { ...randomSpec(b.rng), size: ((w.spec.size % 10) + 1) };
        await b.send({ verb: 'PUT', path: `${b.widgetsPath}/${w.name}`, body: { ...cur, spec: w.spec } });
        specChanges.set(w.name, (specChanges.get(w.name) ?? 0) + 1);
        if (w === twice) await r.settle(b.rng.int(3) * 5);
      }
      await b.send({ verb: 'PATCH', path: `${b.widgetsPath}/${labelled.name}`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { audited: 'yes' } } } });
      const before = r.seq();
      await r.settle();
      for (const w of widgets) {
        const obj = await r.widget(w.name);
        const gen = obj?.metadata.generation;
        const expectedGen = 1 + (specChanges.get(w.name) ?? 0);
        const status = obj?.status as { observedGeneration?: number; configMapName?: string } | undefined;
        if (gen !== expectedGen) problems.push(`Widget ${w.name}: generation ${gen} after ${expectedGen - 1} spec change(s), expected ${expectedGen} — something other than spec changes moved it`);
        if (status?.observedGeneration !== gen || status?.configMapName !== `${w.name}-config`) {
          problems.push(`Widget ${w.name}: status ${JSON.stringify(status ?? null)} at generation ${gen}, expected {"observedGeneration":${gen},"configMapName":"${w.name}-config"}`);
        }
        const p = configMapProblem(w, await r.configMap(`${w.name}-config`));
        if (p) problems.push(`after the spec changes: ${p}`);
      }
      // How the controller wrote Widgets: only through /status.
      const widgetWrites = r.controllerWrites(0).filter((x) => x.uri.includes('/widgets/'));
      const mainWrites = widgetWrites.filter((x) => !/\/status(\?|$)/.test(x.uri));
      if (widgetWrites.length === 0) problems.push('the controller never wrote a Widget (no request to .../widgets/<name>/status)');
      if (mainWrites.length > 0) problems.push(`the controller wrote Widgets outside /status: ${mainWrites.slice(0, 3).map((x) => `${x.verb} ${x.uri}`).join(', ')}`);
      void before;
      // Idle: a minute in which nothing changes must cause no writes.
      const quietFrom = r.seq();
      await r.settle(60_000);
      const idleWrites = r.controllerWrites(quietFrom);
      if (idleWrites.length > 0) problems.push(`in a minute without changes the controller still wrote ${idleWrites.length}×, e.g. ${idleWrites.slice(0, 3).map((x) => `${x.verb} ${x.uri}`).join(', ')} (its own writes come back as events: the syncs they cause must find nothing to change)`);
      r.stop.close();
      fail(`Widgets after spec and label changes (seed ${seed})`, problems);
    }
  },
  {
    hint: "Use the Widget client's updateStatus (PUT .../status) with observedGeneration = metadata.generation. Your own writes come back as update events: the sync they cause must find nothing left to change.",
  },
);

// ---- step 4: conflicts and deletes -------------------------------------------------------------------

export const survivesConflictsAndDeletes = check(
  'The controller retries after a 409 Conflict, lets a Widget deleted under it go, and follows a ConfigMap delete it learns about only from a tombstone',
  async (ctx) => {
    for (const seed of ctx.seeds.slice(0, 2)) {
      const b = await bed(ctx, seed);
      // Name the Widgets first, so the faults can name them.
      const names = b.rng.shuffle(WORDS).slice(0, 5).map((w) => `${w}-${b.rng.int(900) + 100}`);
      const [conflictWidget, deleteWidget, victimName] = b.rng.shuffle(names);
      const conflicts = 1 + b.rng.int(2);
      const r = await runController(ctx, b, { conflictWidget, conflicts, deleteWidget });
      const from = r.seq();
      const widgets: Array<{ name: string; spec: WidgetSpec; uid: string }> = [];
      for (const name of names) {
        const spec = randomSpec(b.rng);
        const res = await b.send({ verb: 'POST', path: b.widgetsPath, body: widgetBody(name, spec) });
        if (res.code !== 201) throw new AssertionError(`the check could not create Widget ${name}: ${statusMessage(res)} (does your CRD accept valid Widgets?)`);
        widgets.push({ name, spec, uid: (res.body as KubeObject).metadata.uid ?? '' });
      }
      await r.settle(30_000);
      const problems = runErrors(r);
      // (a) The conflicted Widget still got its status.
      const conflicted = await r.widget(conflictWidget);
      const cst = conflicted?.status as { observedGeneration?: number } | undefined;
      if (r.conflictsSent() === 0) problems.push(`the controller never wrote ${conflictWidget}/status, so the check could not answer it with a conflict`);
      else if (cst?.observedGeneration !== conflicted?.metadata.generation) {
        problems.push(
          `the check answered the first ${r.conflictsSent()} status write(s) of Widget ${conflictWidget} with 409 Conflict (as the API server does when the Widget changed after the informer saw it); its status is still ${JSON.stringify(cst ?? null)}: the key was not retried`,
        );
      }
      // (b) The Widget deleted while its status write was on its way: the write fails once; after
      // that the lister says NotFound, which is not an error to retry.
      const key = `${b.ns}/${deleteWidget}`;
      const retries = r.rateLimitedAdds(from).filter((k) => k === key).length;
      if (retries > 1) problems.push(`Widget ${deleteWidget} was deleted while the controller wrote its status; its key ${key} was then requeued with backoff ${retries}× (once for the failed write is fine; a Widget the lister no longer has is not an error: return)`);
      if (await r.configMap(`${deleteWidget}-config`)) problems.push(`ConfigMap ${deleteWidget}-config was re-created after its Widget was deleted`);
      // (c) A ConfigMap deleted while the controller was disconnected: the informer learns it from its relist, as a tombstone.
      const victim = widgets.find((w) => w.name === victimName)!;
      if (!(await r.configMap(`${victim.name}-config`))) {
        problems.push(`Widget ${victim.name} has no ConfigMap to delete: reconcile must create it first (the previous step)`);
        r.stop.close();
        fail(`conflicts and deletes (seed ${seed})`, problems);
      }
      b.cluster.apiServer.restart();
      await b.cluster.etcd.txn({ compare: [], success: [{ delete: { key: `/registry/configmaps/${b.ns}/${victim.name}-config` } }] });
      await r.settle(20_000);
      const back = await r.configMap(`${victim.name}-config`);
      if (!back) {
        problems.push(
          `ConfigMap ${victim.name}-config was deleted while the API server restarted; the informer learned it from its relist, as a DeletedFinalStateUnknown tombstone, and the controller did not re-create it (unwrap the tombstone to find the owner)`,
        );
      } else {
        const p = configMapProblem(victim, back);
        if (p) problems.push(`re-created after the tombstone: ${p}`);
      }
      r.stop.close();
      fail(`conflicts and deletes (seed ${seed})`, problems);
    }
  },
  {
    hint: 'Let a failed sync reject so processNextWorkItem calls addRateLimited (or use retryOnConflict around a fresh GET). A NotFound from the Widget lister means it was deleted: return. A delete handler may receive a DeletedFinalStateUnknown: its obj is the last known object.',
  },
);
