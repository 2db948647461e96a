/**
 * Checks of the finalizer-controller lab. Each check takes its own copy of the lab's cluster,
 * starts the learner's controller (startController) with a clientset whose requests it sees and
 * an external store it owns, then creates, changes and deletes ConfigMaps itself and reads the
 * outcome from the API server. Deletion with finalizers is kube-apiserver's (registry/generic/
 * registry/store.go at v1.34.0: Delete marks the object, an update that empties the finalizers of
 * a terminating object deletes it). Names, counts and timings vary with the seed.
 */
import { check, exportedFunction, type Expect } from '../../src/lab/checks';
import {
  isNotFound,
  listerWatcherFor,
  newClientset,
  newSharedInformerFactory,
  retryOnConflict,
  rngFromSeed,
  runUntilIdle,
  DefaultRetry,
  type Clientset,
  type FakeClock,
  type KubeObject,
  type LabCluster,
  type ResourceClient,
  type RestRequest,
  type RestTransport,
  type Rng,
} from '../../src/sim/index';

const FINALIZER = 'example.com/cleanup';
const AUDIT = 'example.com/audit';
const LABEL = 'example.com/publish';
const NAMES = ['invoice', 'catalog', 'pricing', 'banner', 'menu', 'faq', 'terms', 'motd', 'rates', 'schedule', 'roster', 'links'];

interface Store {
  put(key: string, data: Record<string, string>): Promise<void>;
  delete(key: string): Promise<void>;
}
type StartController = (clientset: Clientset, store: Store, clock: FakeClock, options?: { log?: (line: string) => void }) => { stop(): Promise<void> };

interface Predictions {
  handlerCallsAfterDelete?: unknown;
  deletionGracePeriodSeconds?: unknown;
  finalizersInDeleteEvent?: unknown;
}

// ---- Step 1 --------------------------------------------------------------------------------

export const predictsDeletion = check(
  'Predicts what an informer hands its handlers when an object with a finalizer is deleted',
  async ({ learner, expect, newCluster }) => {
    expect(learner.predictions, 'main.ts must export `predictions`').to.be.an('object');
    const p = learner.predictions as Predictions;
    const cluster = await newCluster();
    const cs = cluster.clientset({ qps: -1, userAgent: 'lab-check' });
    const cms = cs.coreV1().configMaps('default');
    const factory = newSharedInformerFactory(listerWatcherFor(cs), 0, { clock: cluster.clock });
    const calls: Array<{ call: string; obj: KubeObject }> = [];
    const mine = (o: unknown) => (o as KubeObject)?.metadata?.name === 'predict-me';
    factory.forResource('configmaps').informer().addEventHandler({
      addFunc: (o: KubeObject) => void (mine(o) && calls.push({ call: 'add', obj: o })),
      updateFunc: (_old: KubeObject, o: KubeObject) => void (mine(o) && calls.push({ call: 'update', obj: o })),
      deleteFunc: (o) => void (mine(o) && calls.push({ call: 'delete', obj: o as KubeObject })),
    });
    factory.start();
    await runUntilIdle(cluster.clock, { forMs: 100 });
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'predict-me', namespace: 'default', finalizers: [FINALIZER] }, data: {} });
    await runUntilIdle(cluster.clock, { forMs: 100 });
    const from = calls.length;
    await cms.delete('predict-me');
    await runUntilIdle(cluster.clock, { forMs: 100 });
    const cm = await cms.get('predict-me');
    cm.metadata.finalizers = [];
    await cms.update(cm);
    await runUntilIdle(cluster.clock, { forMs: 100 });
    await factory.shutdown();
    const after = calls.slice(from);
    expect(p.handlerCallsAfterDelete, 'predictions.handlerCallsAfterDelete (from the delete until the object is gone)').to.deep.equal(after.map((c) => c.call));
    expect(p.deletionGracePeriodSeconds, "predictions.deletionGracePeriodSeconds (in the first call's object)").to.equal(after[0]?.obj.metadata.deletionGracePeriodSeconds);
    expect(p.finalizersInDeleteEvent, "predictions.finalizersInDeleteEvent (in the 'delete' call's object)").to.deep.equal(after.find((c) => c.call === 'delete')?.obj.metadata.finalizers ?? []);
  },
  {
    hint: 'A delete of an object with finalizers only sets metadata.deletionTimestamp — a write like any other. Run the starter and read what the handlers print for audit-log; the last state stored in etcd is what a DELETED event carries.',
  },
);

// ---- The harness ---------------------------------------------------------------------------

/** One request of the learner's controller, as its transport saw it. */
interface Sent {
  t: number;
  verb: string;
  name?: string;
  code: number;
}

/** One call of the learner's controller into the external store. */
interface StoreCall {
  /** When the call started, and when it returned or failed. */
  startMs: number;
  t: number;
  op: 'put' | 'delete';
  key: string;
  /** The object on the API server when the call was made. */
  server: KubeObject | undefined;
  failed: boolean;
}

class Harness {
  readonly clock: FakeClock;
  readonly admin: ResourceClient;
  readonly sent: Sent[] = [];
  readonly calls: StoreCall[] = [];
  /** Store deletes that fail for a key, counted down per call. */
  readonly failures = new Map<string, number>();
  /** Runs before a write (PUT/PATCH) of the controller reaches the API server; may write first. */
  beforeWrite: ((name: string, verb: string) => Promise<void>) | undefined;
  #controllers: Array<{ stop(): Promise<void> }> = [];

  constructor(
    readonly cluster: LabCluster,
    readonly rng: Rng,
    readonly start: StartController,
  ) {
    this.clock = cluster.clock;
    this.admin = cluster.clientset({ qps: -1, userAgent: 'lab-check' }).coreV1().configMaps('default');
  }

  /** Starts one learner controller, with the check's transport and store. */
  startController(): void {
    const server = this.cluster.apiServer;
    const transport: RestTransport = {
      request: async (req: RestRequest) => {
        const name = /^\/api\/v1\/namespaces\/default\/configmaps\/([^/]+)$/.exec(req.path)?.[1];
        if (name && (req.verb === 'PUT' || req.verb === 'PATCH') && this.beforeWrite) await this.beforeWrite(name, req.verb);
        const res = await server.request(req);
        this.sent.push({ t: this.clock.now(), verb: req.verb, name, code: res.code });
        return res;
      },
      watch: (req) => server.watch(req),
    };
    const clientset = newClientset(transport, { clock: this.clock, qps: -1, userAgent: 'publisher-controller' });
    const storeLatency = () => 1 + this.rng.int(10);
    const store: Store = {
      put: async (key) => {
        const startMs = this.clock.now();
        const server = await this.serverObject(key);
        await this.clock.sleep(storeLatency());
        this.calls.push({ startMs, t: this.clock.now(), op: 'put', key, server, failed: false });
      },
      delete: async (key) => {
        const startMs = this.clock.now();
        const server = await this.serverObject(key);
        await this.clock.sleep(storeLatency());
        const left = this.failures.get(key) ?? 0;
        this.calls.push({ startMs, t: this.clock.now(), op: 'delete', key, server, failed: left > 0 });
        if (left > 0) {
          this.failures.set(key, left - 1);
          throw new Error(`DELETE https://store.example.com/v1/objects/${key}: 503 Service Unavailable`);
        }
      },
    };
    this.#controllers.push(this.start(clientset, store, this.clock));
  }

  async stopControllers(): Promise<void> {
    const all = this.#controllers.splice(0);
    let done = false;
    const stopping = Promise.all(all.map((c) => c.stop())).finally(() => (done = true));
    await runUntilIdle(this.clock, { forMs: 60_000, until: () => done });
    await stopping;
  }

  async serverObject(key: string): Promise<KubeObject | undefined> {
    try {
      return await this.admin.get(key.split('/')[1]);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async create(name: string, managed: boolean, finalizers: string[] = []): Promise<void> {
    const labels: Record<string, string> = managed ? { [LABEL]: 'true' } : { app: 'other' };
    await this.admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels, ...(finalizers.length ? { finalizers } : {}) }, data: { owner: name } });
  }

  /** Changes one object as another client would: read, change, update, retried on conflict. */
  async edit(name: string, change: (o: KubeObject) => void): Promise<void> {
    let done = false;
    const p = retryOnConflict(DefaultRetry, this.clock, async () => {
      const o = await this.admin.get(name);
      change(o);
      await this.admin.update(o);
    }).finally(() => (done = true));
    await runUntilIdle(this.clock, { until: () => done });
    await p;
  }

  /** Lets exactly `ms` of virtual time pass, the controller working meanwhile. */
  async pass(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    await runUntilIdle(this.clock, { forMs: ms });
    if (this.clock.now() < end) this.clock.setTime(end);
    await runUntilIdle(this.clock, { forMs: 0 });
  }

  /** Lets the controller work until nothing is left to do (or `forMs` pass). */
  async settle(forMs = 3_000): Promise<void> {
    await runUntilIdle(this.clock, { forMs });
  }

  /** `name` on the server: absent, live or Terminating, with its finalizers. */
  async describe(name: string): Promise<string> {
    const o = await this.serverObject(`default/${name}`);
    if (!o) return 'gone';
    return `${o.metadata.deletionTimestamp ? 'Terminating' : 'live'} ${JSON.stringify(o.metadata.finalizers ?? [])}`;
  }

  deletes(name: string): StoreCall[] {
    return this.calls.filter((c) => c.op === 'delete' && c.key === `default/${name}`);
  }

  writesTo(name: string, since = 0): Sent[] {
    return this.sent.filter((s) => s.name === name && s.verb !== 'GET' && s.t >= since);
  }
}

async function harness(learner: Record<string, unknown>, cluster: LabCluster, seed: number): Promise<Harness> {
  const start = exportedFunction<StartController>(learner, 'startController');
  return new Harness(cluster, rngFromSeed(seed), start);
}

function pickNames(rng: Rng, n: number, seed: number): string[] {
  return rng.shuffle(NAMES).slice(0, n).map((n) => `${n}-${seed}`);
}

function expectState(expect: Expect, actual: string, expected: string, what: string): void {
  expect(actual, what).to.equal(expected);
}

// ---- Step 2 --------------------------------------------------------------------------------

export const addsFinalizer = check(
  'Labelled ConfigMaps get example.com/cleanup before they are published; others are left alone',
  async ({ learner, seeds, expect, newCluster }) => {
    for (const seed of seeds.slice(0, 3)) {
      const h = await harness(learner, await newCluster(), seed);
      const [before, ...after] = pickNames(h.rng, 5 + h.rng.int(3), seed);
      const unmanaged = [`scratch-${seed}`, `notes-${seed}`];
      const withAudit = new Set(after.filter(() => h.rng.chance(0.4)));
      // One managed and one unmanaged object exist before the controller starts; the rest come later.
      await h.create(before, true);
      await h.create(unmanaged[0], false, h.rng.chance(0.5) ? [AUDIT] : []);
      h.startController();
      await h.settle(200);
      for (const name of after) {
        await h.create(name, true, withAudit.has(name) ? [AUDIT] : []);
        await h.pass(h.rng.int(20));
      }
      await h.create(unmanaged[1], false);
      await h.settle();
      const story = `(seed ${seed})`;
      for (const name of [before, ...after]) {
        const expected = withAudit.has(name) ? [AUDIT, FINALIZER] : [FINALIZER];
        const o = await h.serverObject(`default/${name}`);
        expect(o?.metadata.finalizers ?? [], `finalizers of labelled ConfigMap ${name} ${withAudit.has(name) ? `(created with ${AUDIT}) ` : ''}${story}`).to.deep.equal(expected);
      }
      for (const name of unmanaged) {
        expect(h.writesTo(name).map((s) => s.verb), `writes the controller sent for ${name}, which has no ${LABEL} label ${story}`).to.deep.equal([]);
      }
      const early = h.calls.filter((c) => c.op === 'put' && !(c.server?.metadata.finalizers ?? []).includes(FINALIZER));
      expect(
        early.map((c) => c.key),
        `ConfigMaps published while they did not carry ${FINALIZER} yet — deleted right then, their entries would stay in the store forever ${story}`,
      ).to.deep.equal([]);
      const published = new Set(h.calls.filter((c) => c.op === 'put').map((c) => c.key));
      expect([before, ...after].filter((n) => !published.has(`default/${n}`)), `labelled ConfigMaps never published ${story}`).to.deep.equal([]);
      await h.stopControllers();
    }
  },
  { hint: `In reconcile, before store.put: if the ConfigMap's metadata.finalizers lacks ${FINALIZER}, append it (keeping the others) and write it to the API server.` },
);

// ---- Step 3 --------------------------------------------------------------------------------

export const cleansUpOnDelete = check(
  'A deleted ConfigMap stays until its cleanup ran once; then only our finalizer is removed',
  async ({ learner, seeds, expect, newCluster }) => {
    for (const seed of seeds.slice(0, 3)) {
      const h = await harness(learner, await newCluster(), seed);
      const names = pickNames(h.rng, 4 + h.rng.int(3), seed);
      const withAudit = new Set(names.filter((_, i) => i % 2 === 1));
      const foreign = `foreign-${seed}`;
      h.startController();
      await h.settle(200);
      for (const name of names) await h.create(name, true, withAudit.has(name) ? [AUDIT] : []);
      await h.create(foreign, false, [AUDIT]);
      await h.settle();
      const story = `(seed ${seed})`;
      for (const name of names) {
        expect((await h.serverObject(`default/${name}`))?.metadata.finalizers ?? [], `finalizers of ${name} before it is deleted ${story}`).to.include(FINALIZER);
      }
      const deletedAt = h.clock.now();
      for (const name of [...names, foreign]) {
        await h.admin.delete(name);
        await h.pass(h.rng.int(15));
      }
      await h.settle();
      for (const name of names) {
        const calls = h.deletes(name);
        expect(calls.length, `store.delete calls for ${name} after kubectl delete ${story}`).to.equal(1);
        const seen = calls[0].server;
        expect(
          seen ? `${seen.metadata.deletionTimestamp ? 'Terminating' : 'live'}, ${(seen.metadata.finalizers ?? []).includes(FINALIZER) ? 'with' : 'without'} ${FINALIZER}` : 'gone',
          `${name} on the API server when its cleanup ran ${story}`,
        ).to.equal(`Terminating, with ${FINALIZER}`);
        expectState(expect, await h.describe(name), withAudit.has(name) ? `Terminating ${JSON.stringify([AUDIT])}` : 'gone', `${name} after its cleanup${withAudit.has(name) ? ` (${AUDIT} still pending)` : ''} ${story}`);
      }
      expect(h.writesTo(foreign, deletedAt).map((s) => s.verb), `writes to ${foreign} (no label, Terminating, held by ${AUDIT} only) ${story}`).to.deep.equal([]);
      expect(h.deletes(foreign).length, `store.delete calls for ${foreign}, which was never ours ${story}`).to.equal(0);

      // The auditor finishes: the objects it held go; the controller sees them again, and must not clean up twice.
      for (const name of [...withAudit, foreign]) {
        await h.edit(name, (o) => {
          o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== AUDIT);
        });
      }
      await h.settle();
      for (const name of withAudit) {
        expectState(expect, await h.describe(name), 'gone', `${name} once ${AUDIT} was removed too ${story}`);
        expect(h.deletes(name).length, `store.delete calls for ${name} in all (its key was processed again after our finalizer was gone) ${story}`).to.equal(1);
      }

      // Deleted while the controller is down: the finalizer keeps it until the next controller cleans up.
      const late = `late-${seed}`;
      await h.create(late, true);
      await h.settle();
      await h.stopControllers();
      await h.admin.delete(late);
      await h.settle(500);
      expectState(expect, await h.describe(late), `Terminating ${JSON.stringify([FINALIZER])}`, `${late}, deleted while no controller runs ${story}`);
      h.startController();
      await h.settle();
      expect(h.deletes(late).length, `store.delete calls for ${late} once a new controller started ${story}`).to.equal(1);
      expectState(expect, await h.describe(late), 'gone', `${late} after the new controller's cleanup ${story}`);
      await h.stopControllers();
    }
  },
  {
    hint: `A delete only sets deletionTimestamp: reconcile sees an update. If the ConfigMap is terminating and still carries ${FINALIZER}, clean up, then remove ${FINALIZER} — and nothing else — from the list. Without our finalizer there is nothing left for us to do.`,
  },
);

// ---- Step 4 --------------------------------------------------------------------------------

export const keepsOthersFinalizers = check(
  "Adding and removing our finalizer never loses another controller's change made at the same time",
  async ({ learner, seeds, expect, newCluster }) => {
    for (const seed of seeds.slice(0, 3)) {
      const h = await harness(learner, await newCluster(), seed);
      const names = pickNames(h.rng, 3 + h.rng.int(3), seed);
      const story = `(seed ${seed})`;
      h.startController();
      await h.settle(200);
      // The auditor adds its finalizer just before the controller's first write of each object reaches the server.
      const raced = new Set<string>();
      h.beforeWrite = async (name) => {
        if (raced.has(name) || !names.includes(name)) return;
        raced.add(name);
        const o = await h.admin.get(name);
        o.metadata.finalizers = [...(o.metadata.finalizers ?? []), AUDIT];
        await h.admin.update(o);
      };
      for (const name of names) await h.create(name, true);
      await h.settle();
      for (const name of names) {
        const fins = (await h.serverObject(`default/${name}`))?.metadata.finalizers ?? [];
        expect([...fins].sort(), `finalizers of ${name} after the controller and the auditor both added theirs at the same time ${story}`).to.deep.equal([AUDIT, FINALIZER].sort());
      }
      expect([...raced].sort(), `objects whose first write from the controller raced the auditor ${story}`).to.deep.equal([...names].sort());
      // On deletion, the auditor annotates each object just before the controller's first write reaches the server.
      const raced2 = new Set<string>();
      h.beforeWrite = async (name) => {
        if (raced2.has(name) || !names.includes(name)) return;
        raced2.add(name);
        const o = await h.admin.get(name);
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), 'audit.example.com/checked': 'true' };
        await h.admin.update(o);
      };
      for (const name of names) await h.admin.delete(name);
      await h.settle();
      for (const name of names) {
        const o = await h.serverObject(`default/${name}`);
        expect(o ? `Terminating ${JSON.stringify(o.metadata.finalizers ?? [])}, annotated ${o.metadata.annotations?.['audit.example.com/checked'] ?? 'no'}` : 'gone', `${name} after its cleanup, ${AUDIT} still pending ${story}`).to.equal(
          `Terminating ${JSON.stringify([AUDIT])}, annotated true`,
        );
      }
      await h.stopControllers();
    }
  },
  {
    hint: 'The copy in the lister may be older than the server\'s. Write the finalizer list with the resourceVersion it was read at (a conflict then means: read again and redo), or with a patch that only adds or removes your entry — never a whole list computed from a stale copy.',
  },
);

// ---- Step 5 --------------------------------------------------------------------------------

export const retriesStuckCleanup = check(
  'A failing cleanup keeps the ConfigMap Terminating and is retried with growing backoff, without holding up the others',
  async ({ learner, seeds, expect, newCluster }) => {
    for (const seed of seeds.slice(0, 3)) {
      const h = await harness(learner, await newCluster(), seed);
      const [stuck, other] = pickNames(h.rng, 2, seed);
      const failures = 3 + h.rng.int(3);
      const story = `(seed ${seed}: the store fails ${failures}× for ${stuck})`;
      h.startController();
      await h.settle(200);
      await h.create(stuck, true);
      await h.create(other, true);
      await h.settle();
      h.failures.set(`default/${stuck}`, failures);
      await h.admin.delete(stuck);
      await h.pass(20);
      await h.admin.delete(other);
      await h.settle(60_000);
      const calls = h.deletes(stuck);
      expect(calls.length, `store.delete calls for ${stuck} ${story}`).to.equal(failures + 1);
      for (const [i, c] of calls.entries()) {
        const seen = c.server;
        expect(seen ? `Terminating: ${Boolean(seen.metadata.deletionTimestamp)}, finalizers ${JSON.stringify(seen.metadata.finalizers ?? [])}` : 'gone', `${stuck} on the API server at cleanup attempt ${i + 1} ${story}`).to.equal(
          `Terminating: true, finalizers ${JSON.stringify([FINALIZER])}`,
        );
      }
      const gaps = calls.slice(1).map((c, i) => Math.round((c.startMs - calls[i].t) * 1000) / 1000);
      expect(
        gaps.every((g, i) => g >= 5 && (i === 0 || g > gaps[i - 1])),
        `time from each failed cleanup of ${stuck} to the next attempt: ${gaps.join(' ms, ')} ms — each retry should wait longer than the one before (the workqueue's rate limiter: 5 ms, 10 ms, 20 ms…) ${story}`,
      ).to.equal(true);
      const otherCleaned = h.deletes(other).find((c) => !c.failed);
      expect(otherCleaned !== undefined && otherCleaned.t < calls[calls.length - 1].t, `${other} was cleaned up while ${stuck} was still failing ${story}`).to.equal(true);
      expectState(expect, await h.describe(stuck), 'gone', `${stuck} once the store recovered ${story}`);
      expectState(expect, await h.describe(other), 'gone', `${other} ${story}`);
      await h.stopControllers();
    }
  },
  { hint: 'When the cleanup fails, keep the finalizer and let reconcile reject: the worker requeues the key with addRateLimited, and the object stays Terminating until a later attempt succeeds.' },
);
