import {
  labCluster,
  newSharedIndexInformer,
  runUntilIdle,
  runUntilSettled,
  settle,
  type KubeObject,
  type ListOptions,
  type ListerWatcher,
  type PodClient,
} from 'kubelab';

// Step 1: your predictions. Change them, then Run and read the LIST and WATCH lines.
export const predictions = {
  /** The API server drops every watch (a load balancer reset); nothing else happens. The informer then... 'rewatches' | 'relists' */
  afterWatchesDrop: 'relists',
  /** etcd is compacted at its current revision, then every watch drops. The informer then... 'rewatches' | 'relists' */
  afterEtcdCompaction: 'relists',
  /** Without bookmarks: ci's runner is updated every 2 s, billing's pods never change, and the informer's watch times out (5 to 10 min). The informer then... 'rewatches' | 'relists' */
  afterTimeoutWhileCiChurns: 'rewatches',
  /** After a 410, the relist's LIST asks for resourceVersion... 'the last one it saw' | '0' | '"" (a consistent read)' */
  relistListsAt: '"" (a consistent read)',
};

/** Step 2: the ListerWatcher of billing's pods, as an in-house library wrote it. */
export function newPodListWatch(pods: PodClient): ListerWatcher<KubeObject> {
  return {
    list: (options: ListOptions) => pods.list({ resourceVersion: options.resourceVersion, limit: options.limit, continue: options.continue }),
    // A watch needs to know where to start, and when to give up.
    watch: (options: ListOptions) => pods.watch({ resourceVersion: options.resourceVersion, timeoutSeconds: options.timeoutSeconds }),
  };
}

// ---- Run me: an informer of billing's pods while ci churns ----
const cluster = labCluster();
const clock = cluster.clock;
const core = cluster.clientset({ qps: -1 }).coreV1();
const run = <T>(p: Promise<T>) => runUntilSettled(clock, p, { forMs: 10_000 });
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1).padStart(4)} min`;
const start = clock.now();

/** The options of a request as its query string shows them (what the API server's httplog prints). */
const query = (o: ListOptions) => Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join('&');

/** billing's pods client, printing every list and watch it is asked to send. */
function loggedPods(pods: PodClient): PodClient {
  const logged = {
    list: (o: ListOptions = {}) => {
      console.log(`${minutes(clock.now() - start)}  LIST   ?${query(o)}`);
      return pods.list(o);
    },
    watch: async (o: ListOptions = {}) => {
      console.log(`${minutes(clock.now() - start)}  WATCH  ?${query(o)}`);
      const w = await pods.watch(o);
      let bookmarks = 0;
      return {
        // Shows what ends the watch: an ERROR event (410 Gone), or the server closing it.
        next: async () => {
          const e = await w.next();
          if (e?.type === 'BOOKMARK') bookmarks++;
          if (e?.type === 'ERROR') console.log(`${minutes(clock.now() - start)}         <- ERROR ${(e.object as { code?: number }).code}: ${(e.object as { message?: string }).message}`);
          if (e === undefined) console.log(`${minutes(clock.now() - start)}         <- closed (${bookmarks} bookmarks received)`);
          return e;
        },
        stop: () => w.stop(),
      };
    },
  };
  return logged as unknown as PodClient;
}

const informer = newSharedIndexInformer(newPodListWatch(loggedPods(cluster.clientset().coreV1().pods('billing'))), { clock, name: 'billing-pods' });
void informer.run();
await runUntilIdle(clock, { forMs: 1_000 });

/** Lets `ms` of virtual time pass, updating ci's runner every `everyMs`. */
async function churn(ms: number, everyMs: number) {
  const end = clock.now() + ms;
  while (clock.now() < end) {
    const runner = await run(core.pods('ci').get('runner'));
    const beat = Number(runner.metadata.annotations?.['ci.example.com/heartbeat'] ?? 0) + 1;
    await run(core.pods('ci').patch('runner', 'application/merge-patch+json', { metadata: { annotations: { 'ci.example.com/heartbeat': String(beat) } } }));
    const next = Math.min(end, clock.now() + everyMs);
    await runUntilIdle(clock, { forMs: next - clock.now() });
    if (clock.now() < next) {
      clock.setTime(next);
      await settle();
    }
  }
}

console.log('\n== a minute passes');
await churn(60_000, 10_000);

console.log('\n== the API server drops every watch');
cluster.apiServer.dropWatches();
await churn(5_000, 5_000);

console.log('\n== etcd is compacted at its current revision, then every watch drops');
await cluster.etcd.compact(cluster.revision);
cluster.apiServer.dropWatches();
await churn(5_000, 5_000);

console.log('\n== 12 minutes: ci\'s runner is updated every 2 s, billing stays quiet');
await churn(12 * 60_000, 2_000);
informer.stop();
await runUntilIdle(clock, { forMs: 1_000 });
const cache = cluster.apiServer.watchCacheOf('pods');
console.log(`\nthe pods watch cache now holds resourceVersions ${cache?.oldestResourceVersion}..${cache?.resourceVersion}; the informer last synced at ${informer.lastSyncResourceVersion()}`);
