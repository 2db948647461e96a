// API server model throughput in node (figures, not pass/fail): objects per second through
// create -> etcd -> watch cache -> watch -> informer -> handler; the time and memory to sync an
// informer over 100,000 Pods (target: under 1 s); and how many requests a poller (LIST every
// second) and an informer (LIST + WATCH) send for the same minute. Run alone with
// `npx tsx bench/apiserver.ts` (`--json` for the line npm run bench reads).
import { pathToFileURL } from 'node:url';
import {
  FakeClock,
  TraceRecorder,
  newApiServer,
  newClientset,
  newEtcd,
  newListWatchFromClient,
  newSharedIndexInformer,
  rngFromSeed,
  runUntilIdle,
  runUntilSettled,
  type KubeObject,
} from '../src/sim/index';
import type { BenchRow } from './workqueue';

const pod = (i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${i}`, namespace: 'default', labels: { app: `app-${i % 10}` } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
});

/** n creates through the API (client limiter off), each seen by an informer's handler. */
async function createToHandler(n: number): Promise<number> {
  const clock = new FakeClock();
  const server = newApiServer({ clock, rng: rngFromSeed(1), compactionIntervalMs: 0 });
  const cs = newClientset(server, { qps: -1 });
  const inf = newSharedIndexInformer(newListWatchFromClient(cs.coreV1().pods('default')), { clock, rng: rngFromSeed(2) });
  let seen = 0;
  inf.addEventHandler({ addFunc: () => void seen++ });
  void inf.run();
  await runUntilIdle(clock, { forMs: 100 });
  const t0 = performance.now();
  const creates = (async () => {
    for (let i = 0; i < n; i++) await cs.coreV1().pods('default').create(pod(i));
  })();
  await runUntilSettled(clock, creates, { forMs: 600_000 });
  await runUntilIdle(clock, { forMs: 10_000, until: () => seen >= n });
  const ms = performance.now() - t0;
  if (seen < n) throw new Error(`create bench: ${seen} of ${n} seen`);
  inf.stop();
  server.stop();
  return Math.round(n / (ms / 1000));
}

/** An informer syncing over n Pods the server already holds (written to etcd before it starts). */
async function syncInformer(n: number): Promise<{ ms: number; mb: number }> {
  const clock = new FakeClock();
  const etcd = newEtcd({ clock, rng: rngFromSeed(3) });
  for (let i = 0; i < n; i++) {
    const p = pod(i);
    p.metadata.uid = `uid-${i}`;
    p.metadata.creationTimestamp = '1970-01-01T00:00:00Z';
    await etcd.put(`/registry/pods/default/pod-${String(i).padStart(6, '0')}`, JSON.stringify({ ...p, metadata: { ...p.metadata, name: `pod-${String(i).padStart(6, '0')}` } }));
  }
  const server = newApiServer({ clock, rng: rngFromSeed(1), etcd, compactionIntervalMs: 0 });
  await runUntilSettled(clock, server.whenReady(), { forMs: 10_000 });
  const cs = newClientset(server, { qps: -1 });
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const inf = newSharedIndexInformer(newListWatchFromClient(cs.coreV1().pods('')), { clock, rng: rngFromSeed(2) });
  void inf.run();
  await runUntilIdle(clock, { forMs: 10_000, until: () => inf.hasSynced() });
  const ms = performance.now() - t0;
  const mb = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  if (inf.getStore().listKeys().length !== n) throw new Error(`sync bench: ${inf.getStore().listKeys().length} of ${n}`);
  inf.stop();
  server.stop();
  return { ms: Math.round(ms), mb: Math.round(mb) };
}

/** Requests to keep a view of 500 Pods for a minute of virtual time while 60 change: a LIST every second vs an informer. */
async function requestCounts(): Promise<{ poll: number; informer: number; pollItems: number; informerItems: number }> {
  const count = async (mode: 'poll' | 'informer') => {
    const clock = new FakeClock();
    const trace = new TraceRecorder(5_000_000);
    const server = newApiServer({ clock, trace, rng: rngFromSeed(1), compactionIntervalMs: 0 });
    const cs = newClientset(server, { qps: -1 });
    await runUntilSettled(clock, (async () => {
      for (let i = 0; i < 500; i++) await cs.coreV1().pods('default').create(pod(i));
    })());
    const reads = () => trace.events.filter((e) => (e.type === 'apiserver.request' && (e.verb === 'LIST' || e.verb === 'GET')) || e.type === 'apiserver.watch').length;
    const before = reads();
    const beforeItems = trace.events.filter((e) => e.type === 'apiserver.list').reduce((n, e) => n + (e.items as number), 0);
    let inf: ReturnType<typeof newSharedIndexInformer> | undefined;
    if (mode === 'informer') {
      inf = newSharedIndexInformer(newListWatchFromClient(cs.coreV1().pods('default')), { clock, rng: rngFromSeed(2) });
      void inf.run();
    }
    for (let s = 0; s < 60; s++) {
      if (mode === 'poll') void cs.coreV1().pods('default').list();
      void cs.coreV1().pods('default').patch(`pod-${s}`, 'application/merge-patch+json', { metadata: { labels: { seen: String(s) } } });
      await runUntilIdle(clock, { forMs: 1000 });
    }
    const requests = reads() - before;
    const items = trace.events.filter((e) => e.type === 'apiserver.list').reduce((n, e) => n + (e.items as number), 0) - beforeItems;
    inf?.stop();
    server.stop();
    return { requests, items };
  };
  const p = await count('poll');
  const i = await count('informer');
  return { poll: p.requests, informer: i.requests, pollItems: p.items, informerItems: i.items };
}

export async function benchApiServer(): Promise<BenchRow[]> {
  const n = 5000;
  let best = 0;
  for (let r = 0; r < 2; r++) best = Math.max(best, await createToHandler(n));
  const sync = await syncInformer(100_000);
  const counts = await requestCounts();
  return [
    { name: `apiserver: create -> etcd -> watch cache -> watch -> informer -> handler (${n / 1000}k pods)`, value: best, unit: 'objects/s' },
    { name: 'apiserver: informer sync over 100k pods (LIST from the watch cache), time', value: sync.ms, unit: 'ms', target: '< 1000 ms' },
    { name: 'apiserver: informer sync over 100k pods, heap growth', value: sync.mb, unit: 'MB' },
    { name: 'apiserver: requests for a minute of 500 pods, LIST every second', value: counts.poll, unit: `requests (${counts.pollItems.toLocaleString('en-US')} items)` },
    { name: 'apiserver: requests for a minute of 500 pods, informer (LIST + WATCH)', value: counts.informer, unit: `requests (${counts.informerItems.toLocaleString('en-US')} items)` },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchApiServer();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(90)} ${r.value.toLocaleString('en-US').padStart(10)} ${r.unit}${r.target ? `   (target ${r.target})` : ''}`);
}
