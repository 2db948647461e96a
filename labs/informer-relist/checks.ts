/**
 * Checks of the informer-relist lab. Each check takes a fresh copy of the lab's cluster and runs
 * an informer of billing's pods (client-go's Reflector, tools/cache/reflector.go at v0.34.0) over
 * the API server model while it breaks the watch: every watch dropped, etcd compacted, and minutes
 * of churn in another namespace (ci) while the informer's watch times out. Relists are measured
 * where an operator sees them, in the API server's request log: every LIST of billing's pods
 * after the first is one. The predictions are compared with what the check's own informer did;
 * the learner's ListerWatcher is judged by the requests it sends and the relists they cost.
 */
import { check, exportedFunction, type CheckContext } from '../../src/lab/checks';
import {
  newListWatchFromClient,
  newSharedIndexInformer,
  rngFromSeed,
  runUntilIdle,
  runUntilSettled,
  settle,
  type KubeObject,
  type LabCluster,
  type ListOptions,
  type ListerWatcher,
  type PodClient,
  type TraceEvent,
} from '../../src/sim/index';

type NewPodListWatch = (pods: PodClient) => ListerWatcher<KubeObject>;

const NS = 'billing';
const PATH = `/api/v1/namespaces/${NS}/pods`;

/** One informer of billing's pods on a fresh copy of the cluster, and the means to break its watch. */
interface Scenario {
  cluster: LabCluster;
  /** The API server's requests for billing's pods since the informer started (its httplog). */
  requests(): Array<{ verb: string; query: URLSearchParams; t: number }>;
  lists(): number;
  /** Lets `ms` pass while ci's runner is updated every `everyMs`. */
  churn(ms: number, everyMs: number): Promise<void>;
  write(): Promise<void>;
  cacheKeys(): string[];
  serverKeys(): Promise<string[]>;
  stop(): Promise<void>;
  /** Reflector events of this informer. */
  reflector(type: string): TraceEvent[];
}

async function startScenario(ctx: CheckContext, seed: number, lw: (pods: PodClient) => ListerWatcher<KubeObject>, name: string): Promise<Scenario> {
  const cluster = await ctx.newCluster();
  const clock = cluster.clock;
  const core = cluster.clientset({ qps: -1 }).coreV1();
  const run = <T>(p: Promise<T>) => runUntilSettled(clock, p, { forMs: 30_000 });
  const firstSeq = ctx.trace.events.length;
  const informer = newSharedIndexInformer(lw(cluster.clientset().coreV1().pods(NS)), { clock, rng: rngFromSeed(seed), trace: ctx.trace, name });
  const running = informer.run().catch(() => {});
  await runUntilIdle(clock, { forMs: 1_000 });
  let beat = 0;
  let writes = 0;
  const s: Scenario = {
    cluster,
    requests: () =>
      ctx.trace.events
        .slice(firstSeq)
        .filter((e) => e.type === 'apiserver.request' && typeof e.uri === 'string' && e.uri.startsWith(PATH) && e.verb !== 'POST' && e.verb !== 'PATCH')
        .map((e) => ({ verb: String(e.verb), query: new URLSearchParams(String(e.uri).split('?')[1] ?? ''), t: Number(e.t) })),
    lists: () => s.requests().filter((r) => r.verb === 'LIST').length,
    async churn(ms, everyMs) {
      const end = clock.now() + ms;
      while (clock.now() < end) {
        await run(core.pods('ci').patch('runner', 'application/merge-patch+json', { metadata: { annotations: { 'ci.example.com/heartbeat': String(++beat) } } }));
        const next = Math.min(end, clock.now() + everyMs);
        await runUntilIdle(clock, { forMs: next - clock.now() });
        if (clock.now() < next) {
          clock.setTime(next);
          await settle();
        }
      }
    },
    async write() {
      await run(core.pods(NS).patch('invoices-0', 'application/merge-patch+json', { metadata: { annotations: { 'billing.example.com/run': String(++writes) } } }));
    },
    cacheKeys: () => informer.getStore().list().map((p) => `${p.metadata.name}@${p.metadata.resourceVersion}`).sort(),
    async serverKeys() {
      const l = await run(core.pods(NS).list());
      return l.items.map((p) => `${p.metadata.name}@${p.metadata.resourceVersion}`).sort();
    },
    async stop() {
      informer.stop();
      await runUntilSettled(clock, running, { forMs: 30_000 });
    },
    reflector: (type) => ctx.trace.events.slice(firstSeq).filter((e) => e.type === type && e.reflector === name),
  };
  return s;
}

/** client-go's own ListerWatcher for a typed client (passes every option through). */
const builtin = (pods: PodClient) => newListWatchFromClient(pods);
/** A ListerWatcher that drops allowWatchBookmarks, for the check's "without bookmarks" run. */
const withoutBookmarks = (pods: PodClient): ListerWatcher<KubeObject> => {
  const lw = newListWatchFromClient(pods);
  return {
    list: (o: ListOptions) => lw.list(o),
    watch: (o: ListOptions) => {
      const { allowWatchBookmarks: _, ...rest } = o;
      return lw.watch(rest);
    },
  };
};

const outcome = (relists: number) => (relists > 0 ? 'relists' : 'rewatches');

export const predictsRelists = check(
  'Predicts what the informer does after its watches drop, after an etcd compaction, after a watch timeout while ci churns, and where the relist lists from',
  async (ctx) => {
    const { learner, expect, seed } = ctx;
    expect(learner.predictions, 'main.ts must export an object named `predictions`').to.be.an('object');
    const p = learner.predictions as Record<string, unknown>;

    // Breaks 1 and 2, on an informer of the check's own.
    const a = await startScenario(ctx, seed, builtin, 'check-drop');
    await a.write();
    await a.churn(3_000, 1_000);
    let before = a.lists();
    a.cluster.apiServer.dropWatches();
    await a.churn(10_000, 1_000);
    const afterDrop = a.lists() - before;
    before = a.lists();
    await a.write();
    await a.cluster.etcd.compact(a.cluster.revision);
    a.cluster.apiServer.dropWatches();
    await a.churn(10_000, 1_000);
    const afterCompaction = a.lists() - before;
    await a.stop();

    // Break 3: no bookmarks, ci churns, billing is quiet, the watch times out.
    const c = await startScenario(ctx, seed, withoutBookmarks, 'check-timeout');
    await c.churn(11 * 60_000, 2_000);
    const relists = c.lists() - 1;
    const relistRequest = c.requests().filter((r) => r.verb === 'LIST')[1];
    const initialRV = String(c.reflector('reflector.list')[0]?.rv ?? '');
    await c.stop();
    if (!relistRequest) throw new Error(`the check's scenario produced no relist in 11 minutes without bookmarks (seed ${seed}); please report this`);
    const listedAt = relistRequest.query.get('resourceVersion') ?? '';
    const relistAt = listedAt === '' ? '"" (a consistent read)' : listedAt === '0' ? '0' : listedAt === initialRV ? 'the last one it saw' : `resourceVersion ${listedAt}`;

    expect(p.afterWatchesDrop, `predictions.afterWatchesDrop (LISTs after the drop: ${afterDrop})`).to.equal(outcome(afterDrop));
    expect(p.afterEtcdCompaction, `predictions.afterEtcdCompaction (LISTs after the compaction and the drop: ${afterCompaction})`).to.equal(outcome(afterCompaction));
    expect(p.afterTimeoutWhileCiChurns, `predictions.afterTimeoutWhileCiChurns (relists in 11 minutes: ${relists})`).to.equal(outcome(relists));
    expect(p.relistListsAt, `predictions.relistListsAt (the relist asked for resourceVersion=${JSON.stringify(listedAt)}; the informer had last seen ${initialRV})`).to.equal(relistAt);
  },
  {
    hint: 'Read the LIST and WATCH lines after each break. A 410 comes from the watch cache, which holds the last events of every pod in every namespace; a compacted etcd does not shorten it.',
  },
);

export const keepsBookmarks = check(
  "15 minutes of churn in ci cost billing's informer no relist: its watches carry the Reflector's options, bookmarks included",
  async (ctx) => {
    const { learner, expect, seeds } = ctx;
    const newPodListWatch = exportedFunction<NewPodListWatch>(learner, 'newPodListWatch');
    for (const seed of seeds.slice(0, 2)) {
      const everyMs = 1_500 + 500 * rngFromSeed(seed).int(3);
      const s = await startScenario(ctx, seed, newPodListWatch, `billing-${seed}`);
      await s.churn(15 * 60_000, everyMs);
      await s.write();
      await s.churn(5_000, 5_000);
      const when = `(seed ${seed}: ci's runner updated every ${everyMs / 1000} s for 15 minutes)`;
      const watches = s.requests().filter((r) => r.verb === 'WATCH');
      expect(watches.length, `WATCH requests for billing's pods ${when}`).to.be.greaterThan(0);
      for (const w of watches) {
        const q = `WATCH ${PATH}?${w.query.toString()}`;
        expect(w.query.get('resourceVersion') ?? '', `the resourceVersion of ${q} (the Reflector's lastSyncResourceVersion)`).to.not.equal('');
        const timeout = Number(w.query.get('timeoutSeconds'));
        expect(timeout >= 300 && timeout < 600 ? 'in [300, 600)' : `${w.query.get('timeoutSeconds')}`, `timeoutSeconds of ${q} (the Reflector's, 5 to 10 minutes)`).to.equal('in [300, 600)');
        expect(w.query.get('allowWatchBookmarks'), `allowWatchBookmarks of ${q}`).to.equal('true');
      }
      const relists = s.reflector('reflector.relist').map((e) => `${e.reason} at ${Math.round(Number(e.t) / 1000)} s, listing from ${JSON.stringify(e.rv)}`);
      expect(s.lists() - 1, `relists (LISTs of billing's pods after the first) ${when}${relists.length ? `: ${relists.join('; ')}` : ''}`).to.equal(0);
      expect(s.cacheKeys(), `the informer's pods (name@resourceVersion) ${when}, compared with the API server's`).to.deep.equal(await s.serverKeys());
      await s.stop();
    }
  },
  { hint: 'The Reflector asks for bookmarks in the options it passes to watch(). A ListerWatcher that builds new options loses whatever it does not copy.' },
);
