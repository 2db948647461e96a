/**
 * Checks of the informer-handlers lab. Each check takes a fresh copy of the lab's cluster (the
 * session's nodes and pods), builds a SharedInformerFactory over it as client-go's
 * informers.NewSharedInformerFactory would be, hands the pods informer and a workqueue to the
 * learner's newPodController (as sample-controller's main hands informers to NewController), starts
 * the factory, and then changes pods through the API server itself: seeded creates, label and status
 * changes, bindings, deletes, and deletes made while the API server restarts (the informer relists
 * and the deleted pods arrive as DeletedFinalStateUnknown tombstones). The truth is the API server's
 * own list and what the check did; the learner's informer cache, index and queue are compared with it.
 */
import { check, exportedFunction, type CheckContext, type Expect } from '../../src/lab/checks';
import {
  DeletedFinalStateUnknown,
  defaultControllerRateLimiter,
  deepCopy,
  listerWatcherFor,
  newRateLimitingQueue,
  newSharedInformerFactory,
  rngFromSeed,
  runUntilIdle,
  runUntilSettled,
  type KubeObject,
  type LabCluster,
  type PodClient,
  type RateLimitingQueue,
  type Rng,
  type SharedIndexInformer,
  type SharedInformerFactory,
} from '../../src/sim/index';

type Pod = KubeObject & { spec: { nodeName?: string; containers?: unknown[] }; status?: Record<string, unknown> };
type NewPodController = (informer: SharedIndexInformer<Pod>, queue: RateLimitingQueue<string>) => void;

const INDEX = 'spec.nodeName';
const NAMESPACES = ['default', 'shop'];
const NAMES = ['cart', 'search', 'mailer', 'db-0', 'db-1', 'cache', 'auth', 'worker'];
/** How long the informer gets to deliver after a change (virtual time). */
const DELIVER_MS = 2_000;

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const podJson = (ns: string, name: string, nodeName?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { app: name } },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] },
});

/**
 * What upstream's cache mutation detector does (client-go tools/cache/mutation_detector.go,
 * enabled with KUBE_CACHE_MUTATION_DETECTOR=true): keep a deep copy of every object the informer
 * caches, and later compare the cached object with its copy. Hooked in as the informer's
 * transform, which runs before the object reaches the cache and the handlers.
 */
class MutationDetector {
  readonly cached: Array<{ obj: Pod; copy: Pod }> = [];
  readonly transform = (obj: unknown): unknown => {
    if (obj && typeof obj === 'object' && 'metadata' in obj) this.cached.push({ obj: obj as Pod, copy: deepCopy(obj as Pod) });
    return obj;
  };
  /** The first object changed since it was cached, as `ns/name@rv: what changed`. */
  firstMutation(): string | undefined {
    for (const { obj, copy } of this.cached) {
      const diff = firstDifference(copy, obj, '');
      if (diff) return `${keyOf(copy)} (resourceVersion ${copy.metadata.resourceVersion}): ${diff}`;
    }
    return undefined;
  }
}

/** The first path at which `b` differs from `a`, described, or undefined when they are equal. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${path || '.'} was ${JSON.stringify(a)}, is now ${JSON.stringify(b)}`;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/** The learner's controller on a fresh copy of the cluster, with the check's own client. */
interface Harness {
  cluster: LabCluster;
  factory: SharedInformerFactory;
  informer: SharedIndexInformer<Pod>;
  queue: RateLimitingQueue<string>;
  detector: MutationDetector;
  /** The check's writes (not throttled). */
  pods(ns: string): PodClient;
  run<T>(p: Promise<T>): Promise<T>;
  /** Lets the informer deliver, then takes every item off the queue. */
  drain(): Promise<unknown[]>;
  /** The API server's pods, as ns/name@rv, sorted. */
  serverPods(): Promise<Pod[]>;
  /** Stops the factory; the error the informer crashed with, if it did. */
  stop(): Promise<string | undefined>;
}

async function startController(ctx: CheckContext, seed: number): Promise<Harness> {
  const newPodController = exportedFunction<NewPodController>(ctx.learner, 'newPodController');
  const cluster = await ctx.newCluster();
  const clock = cluster.clock;
  const cs = cluster.clientset({ qps: -1 });
  const detector = new MutationDetector();
  const factory = newSharedInformerFactory(listerWatcherFor(cluster.clientset()), 0, { clock, rng: rngFromSeed(seed), trace: ctx.trace, transform: detector.transform });
  const informer = factory.forResource<Pod>('pods').informer();
  const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock, trace: ctx.trace, name: `pods-${seed}` });
  const run = <T>(p: Promise<T>) => runUntilSettled(clock, p, { forMs: 30_000 });
  newPodController(informer, queue);
  factory.start();
  await run(factory.waitForCacheSync());
  const h: Harness = {
    cluster,
    factory,
    informer,
    queue,
    detector,
    pods: (ns) => cs.coreV1().pods(ns),
    run,
    async drain() {
      await runUntilIdle(clock, { forMs: DELIVER_MS });
      const items: unknown[] = [];
      while (queue.len() > 0) {
        const { item } = await queue.get();
        items.push(item);
        queue.done(item as string);
      }
      return items;
    },
    async serverPods() {
      const list = await run(cs.coreV1().pods('').list());
      return list.items as Pod[];
    },
    async stop() {
      try {
        await runUntilSettled(clock, factory.shutdown(), { forMs: 30_000 });
        return undefined;
      } catch (err) {
        return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
    },
  };
  return h;
}

function showItem(item: unknown): string {
  if (typeof item === 'string') return JSON.stringify(item);
  if (item instanceof DeletedFinalStateUnknown) return `a DeletedFinalStateUnknown (${item.key})`;
  if (item && typeof item === 'object' && 'metadata' in item) return `a ${(item as Pod).kind ?? 'object'} object (${keyOf(item as Pod)})`;
  return `${typeof item} ${String(item)}`;
}

const showItems = (items: unknown[]) => `[${items.map(showItem).join(', ')}]`;
/** The same, in sorted order (the queue's order is the informer's). */
const showSorted = (items: unknown[]) => `[${items.map(showItem).sort().join(', ')}]`;

/** The cache holds exactly the server's pods, at the same resourceVersions. */
async function expectCacheMatchesServer(h: Harness, expect: Expect, when: string) {
  const server = (await h.serverPods()).map((p) => `${keyOf(p)}@${p.metadata.resourceVersion}`).sort();
  const cache = h.informer.getIndexer().list().map((p) => `${keyOf(p)}@${p.metadata.resourceVersion}`).sort();
  expect(cache, `the informer's cache (ns/name@resourceVersion) ${when}, compared with the API server's pods`).to.deep.equal(server);
}

async function expectNoCrash(h: Harness, expect: Expect, when: string) {
  const crash = await h.stop();
  expect(crash, `the informer crashed ${when}: a handler threw, and (as in Go, where a panic in a handler kills the process) the informer stopped`).to.equal(undefined);
}

// ---- predictions ----

interface Predictions {
  statusOnlyChange?: unknown;
  unchangedPodOnRelist?: unknown;
  deletedWhileWatchWasDown?: unknown;
}

export const predictsNotifications = check(
  'Predicts the notifications for a status-only change, for an unchanged pod on a relist, and for a pod deleted while the watch was down',
  async (ctx) => {
    const { learner, expect } = ctx;
    expect(learner.predictions, 'main.ts must export an object named `predictions`').to.be.an('object');
    const p = learner.predictions as Predictions;
    // The truth, from an informer of the check's own (the learner's code is not involved).
    const cluster = await ctx.newCluster();
    const clock = cluster.clock;
    const cs = cluster.clientset({ qps: -1 });
    const run = <T>(q: Promise<T>) => runUntilSettled(clock, q, { forMs: 30_000 });
    const factory = newSharedInformerFactory(listerWatcherFor(cluster.clientset()), 0, { clock, rng: rngFromSeed(ctx.seed), trace: ctx.trace });
    const informer = factory.forResource<Pod>('pods').informer();
    const seen: Array<{ fn: string; key: string; tombstone?: boolean; sameRV?: boolean }> = [];
    informer.addEventHandler({
      addFunc: (o: Pod) => void seen.push({ fn: 'addFunc', key: keyOf(o) }),
      updateFunc: (a: Pod, b: Pod) => void seen.push({ fn: 'updateFunc', key: keyOf(b), sameRV: a.metadata.resourceVersion === b.metadata.resourceVersion }),
      deleteFunc: (o) => void seen.push(o instanceof DeletedFinalStateUnknown ? { fn: 'deleteFunc', key: o.key, tombstone: true } : { fn: 'deleteFunc', key: keyOf(o as Pod) }),
    });
    factory.start();
    await run(factory.waitForCacheSync());
    const pods = informer.getIndexer().list();
    expect(pods.length, 'pods in the lab cluster (the check needs two)').to.be.greaterThan(1);
    const [changed, unchanged] = pods;
    const mark = () => seen.length;
    let from = mark();
    await run(cs.coreV1().pods(changed.metadata.namespace).patch(changed.metadata.name!, 'application/merge-patch+json', { status: { message: 'checked by the lab' } }, {}, 'status'));
    await runUntilIdle(clock, { forMs: DELIVER_MS });
    const statusOnly = seen.slice(from).find((s) => s.key === keyOf(changed))?.fn ?? 'nothing';
    from = mark();
    cluster.apiServer.restart();
    await run(cs.coreV1().pods(changed.metadata.namespace).delete(changed.metadata.name!, { gracePeriodSeconds: 0 }));
    await runUntilIdle(clock, { forMs: 10_000 });
    const afterRelist = seen.slice(from);
    const unchangedFn = afterRelist.find((s) => s.key === keyOf(unchanged))?.fn ?? 'nothing';
    const deleted = afterRelist.find((s) => s.key === keyOf(changed) && s.fn === 'deleteFunc');
    const deletedAs = deleted ? (deleted.tombstone ? 'a tombstone' : 'the pod') : 'nothing';
    await run(factory.shutdown());
    expect(p.statusOnlyChange, `predictions.statusOnlyChange (only the status of ${keyOf(changed)} changed)`).to.equal(statusOnly);
    expect(p.unchangedPodOnRelist, `predictions.unchangedPodOnRelist (${keyOf(unchanged)} did not change; the informer relisted)`).to.equal(unchangedFn);
    expect(p.deletedWhileWatchWasDown, `predictions.deletedWhileWatchWasDown (${keyOf(changed)} was deleted while the API server restarted)`).to.equal(deletedAs);
  },
  { hint: 'Run the code and read the handler lines: the status change, the lines after the restart. The informer never compares objects; a relist replaces the whole cache.' },
);

// ---- keys ----

/** A seeded series of single changes; after each, exactly that pod's key must be queued. */
export const queuesKeys = check(
  'Every add, real update and delete queues exactly the pod\'s namespace/name key',
  async (ctx) => {
    const { seeds, expect } = ctx;
    for (const seed of seeds.slice(0, 2)) {
      const rng = rngFromSeed(seed);
      const h = await startController(ctx, seed);
      const initial = await h.serverPods();
      const first = await h.drain();
      expect(showSorted(first), `what the handlers queued for the initial list of ${initial.length} pods (seed ${seed})`).to.equal(showSorted(initial.map(keyOf)));
      const live = new Map(initial.map((p) => [keyOf(p), p]));
      for (const change of changes(rng, live, 8)) {
        await change.apply(h);
        const items = await h.drain();
        expect(showItems(items), `what the handlers queued after ${change.what} (seed ${seed})`).to.equal(showItems([change.key]));
      }
      await expectCacheMatchesServer(h, expect, `after the changes (seed ${seed})`);
      await expectNoCrash(h, expect, `(seed ${seed})`);
    }
  },
  { hint: 'queue.add(key) with the key metaNamespaceKeyFunc makes: namespace/name. The queue must hold strings, not pods.' },
);

interface Change {
  what: string;
  key: string;
  apply(h: Harness): Promise<unknown>;
}

/** `n` seeded changes to pods through the API server: creates, label and status changes, binds, deletes. */
function changes(rng: Rng, live: Map<string, Pod>, n: number): Change[] {
  const out: Change[] = [];
  const nodes = ['node-1', 'node-2', 'node-3'];
  const pending = () => [...live.values()].filter((p) => !p.spec.nodeName);
  for (let i = 0; i < n; i++) {
    const kind = rng.pick(['create', 'create', 'label', 'status', 'bind', 'delete']);
    const existing = [...live.values()];
    if (kind === 'create' || existing.length === 0) {
      const ns = rng.pick(NAMESPACES);
      const free = NAMES.filter((name) => !live.has(`${ns}/${name}`));
      if (!free.length) continue;
      const name = rng.pick(free);
      const node = rng.int(3) === 0 ? undefined : rng.pick(nodes);
      const pod = podJson(ns, name, node);
      live.set(`${ns}/${name}`, pod);
      out.push({ what: `creating ${ns}/${name}${node ? ` on ${node}` : ' (Pending)'}`, key: `${ns}/${name}`, apply: (h) => h.run(h.pods(ns).create(pod)) });
    } else if (kind === 'bind' && pending().length) {
      const pod = rng.pick(pending());
      const node = rng.pick(nodes);
      // The plan is made before any change is applied: replace, never modify, a planned pod.
      live.set(keyOf(pod), { ...pod, spec: { ...pod.spec, nodeName: node } });
      const { namespace, name } = pod.metadata;
      out.push({
        what: `binding ${keyOf(pod)} to ${node}`,
        key: keyOf(pod),
        apply: (h) => h.run(h.pods(namespace!).bind({ apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node } })),
      });
    } else if (kind === 'label' || kind === 'bind') {
      const pod = rng.pick(existing);
      const tier = `t${rng.int(1000)}`;
      out.push({ what: `labelling ${keyOf(pod)} tier=${tier}`, key: keyOf(pod), apply: (h) => h.run(h.pods(pod.metadata.namespace!).patch(pod.metadata.name!, 'application/merge-patch+json', { metadata: { labels: { tier } } })) });
    } else if (kind === 'status') {
      const pod = rng.pick(existing);
      const message = `probe ${rng.int(1_000_000)}`;
      out.push({
        what: `changing only the status of ${keyOf(pod)}`,
        key: keyOf(pod),
        apply: (h) => h.run(h.pods(pod.metadata.namespace!).patch(pod.metadata.name!, 'application/merge-patch+json', { status: { message } }, {}, 'status')),
      });
    } else {
      const pod = rng.pick(existing);
      live.delete(keyOf(pod));
      out.push({ what: `deleting ${keyOf(pod)}`, key: keyOf(pod), apply: (h) => h.run(h.pods(pod.metadata.namespace!).delete(pod.metadata.name!, { gracePeriodSeconds: 0 })) });
    }
  }
  return out;
}

// ---- index ----

export const indexesByNode = check(
  'byIndex("spec.nodeName", node) lists exactly the pods bound to that node, as pods are bound, deleted and recreated elsewhere',
  async (ctx) => {
    const { seeds, expect } = ctx;
    for (const seed of seeds.slice(0, 2)) {
      const rng = rngFromSeed(seed * 31 + 5);
      const h = await startController(ctx, seed);
      const indexer = h.informer.getIndexer();
      const compare = async (when: string) => {
        const server = await h.serverPods();
        const nodes = [...new Set(server.map((p) => p.spec.nodeName).filter((n): n is string => !!n))].sort();
        const names = Object.keys(indexer.getIndexers());
        expect(names, `the names of the informer's indexes ${when} (it needs one named "${INDEX}", added with informer.addIndexers)`).to.include(INDEX);
        const values = indexer.listIndexFuncValues(INDEX);
        expect(values, `the values of the ${INDEX} index ${when}: the nodes that have pods (a Pending pod belongs to none)`).to.deep.equal(nodes);
        for (const node of ['node-1', 'node-2', 'node-3']) {
          const want = server.filter((p) => p.spec.nodeName === node).map(keyOf).sort();
          const got = indexer.byIndex(INDEX, node).map(keyOf).sort();
          expect(got, `byIndex("${INDEX}", "${node}") ${when}`).to.deep.equal(want);
        }
      };
      await h.drain();
      await compare(`after the initial list (seed ${seed})`);
      const live = new Map((await h.serverPods()).map((p) => [keyOf(p), p]));
      // A StatefulSet-like pod: deleted, and created again with the same name on another node.
      const ns = rng.pick(NAMESPACES);
      const name = `db-${rng.int(3)}`;
      const [from, to] = rng.shuffle(['node-1', 'node-2', 'node-3']);
      await h.run(h.pods(ns).create(podJson(ns, name, from)));
      await h.drain();
      await compare(`after creating ${ns}/${name} on ${from} (seed ${seed})`);
      await h.run(h.pods(ns).delete(name, { gracePeriodSeconds: 0 }));
      await h.run(h.pods(ns).create(podJson(ns, name, to)));
      await h.drain();
      await compare(`after ${ns}/${name} was deleted and created again on ${to} (seed ${seed})`);
      live.set(`${ns}/${name}`, podJson(ns, name, to));
      for (const change of changes(rng, live, 6)) {
        await change.apply(h);
        await h.drain();
        await compare(`after ${change.what} (seed ${seed})`);
      }
      await h.stop();
    }
  },
  { hint: 'An index function returns the list of values an object is filed under. A Pending pod has no spec.nodeName: file it under nothing.' },
);

// ---- tombstones ----

export const handlesTombstones = check(
  'Pods deleted while the API server restarts reach deleteFunc as tombstones: their keys are queued and the informer keeps running',
  async (ctx) => {
    const { seeds, expect, trace } = ctx;
    for (const seed of seeds.slice(0, 2)) {
      const rng = rngFromSeed(seed * 17 + 3);
      const h = await startController(ctx, seed);
      const live = new Map((await h.serverPods()).map((p) => [keyOf(p), p]));
      for (const change of changes(rng, live, 3)) await change.apply(h);
      await h.drain();
      // The API server restarts; meanwhile some pods are deleted and one is changed. The informer's
      // watch ends, and it relists: the deleted pods are missing from the list.
      const victims = rng.shuffle([...live.values()]).slice(0, 1 + rng.int(Math.min(3, live.size - 1)));
      const tombstonesBefore = trace.events.filter((e) => e.type === 'realFIFO.delete' && e.tombstone).length;
      h.cluster.apiServer.restart();
      for (const p of victims) await h.run(h.pods(p.metadata.namespace!).delete(p.metadata.name!, { gracePeriodSeconds: 0 }));
      const items = await h.drain();
      await runUntilIdle(h.cluster.clock, { forMs: 10_000 });
      items.push(...(await h.drain()));
      const tombstones = trace.events.filter((e) => e.type === 'realFIFO.delete' && e.tombstone).length - tombstonesBefore;
      const deleted = victims.map(keyOf).sort();
      const when = `after ${deleted.join(', ')} ${deleted.length === 1 ? 'was' : 'were'} deleted during the restart (seed ${seed})`;
      if (tombstones === 0) throw new Error(`the check's scenario produced no tombstone ${when}; please report this`);
      const crash = await h.stop();
      expect(crash, `the informer crashed ${when}: deleteFunc threw on a DeletedFinalStateUnknown, and (as a panic in a Go handler kills the process) the informer stopped`).to.equal(undefined);
      const queued = items.filter((i) => typeof i === 'string' && deleted.includes(i)).sort();
      expect(showItems(queued), `deleted keys queued ${when} (everything queued: ${showItems(items)})`).to.equal(showItems(deleted));
      const odd = items.filter((i) => typeof i !== 'string' || !/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(i));
      expect(showItems(odd), `queue items that are not namespace/name keys ${when}`).to.equal('[]');
    }
  },
  { hint: 'A DeletedFinalStateUnknown has a key and the last known object (obj), but no metadata. deletionHandlingMetaNamespaceKeyFunc knows both shapes; for the last state, test instanceof first.' },
);

// ---- mutation ----

export const leavesCacheUntouched = check(
  'No handler writes to a cached pod: every object the informer cached is still what the API server sent',
  async (ctx) => {
    const { seeds, expect } = ctx;
    for (const seed of seeds.slice(0, 2)) {
      const rng = rngFromSeed(seed * 7 + 1);
      const h = await startController(ctx, seed);
      const live = new Map((await h.serverPods()).map((p) => [keyOf(p), p]));
      for (const change of changes(rng, live, 6)) {
        await change.apply(h);
        await h.drain();
      }
      // A bare pod too (no labels, no node), then bound.
      const ns = rng.pick(NAMESPACES);
      const bare = podJson(ns, 'pending-0');
      delete bare.metadata.labels;
      await h.run(h.pods(ns).create(bare));
      await h.drain();
      await h.run(h.pods(ns).bind({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'pending-0', namespace: ns }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-2' } }));
      await h.drain();
      await h.stop();
      expect(h.detector.cached.length, 'objects the informer cached (the mutation detector is the factory transform: do not replace it)').to.be.greaterThan(0);
      const mutation = h.detector.firstMutation();
      expect(mutation, `a cached object changed after the informer cached it (client-go's detector would panic: "cache *v1.Pod modified") (seed ${seed})`).to.equal(undefined);
    }
  },
  { hint: 'Handlers and listers share the cache\'s objects. To change one, deepCopy it first; to print a default, compute it into a variable.' },
);
