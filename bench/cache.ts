// Cache model throughput in node (figures, not pass/fail): Indexer writes with a namespace index,
// DeltaFIFO add + pop, and objects from a source through a Reflector and shared informer to a
// handler. Run alone with `npx tsx bench/cache.ts` (`--json` for the line npm run bench reads).
import { pathToFileURL } from 'node:url';
import {
  FakeClock,
  NamespaceIndex,
  TraceRecorder,
  metaNamespaceIndexFunc,
  metaNamespaceKeyFunc,
  newDeltaFIFO,
  newFakeControllerSource,
  newIndexer,
  newSharedIndexInformer,
  rngFromSeed,
  runUntilIdle,
  type KubeObject,
} from '../src/sim/index';
import type { BenchRow } from './workqueue';

const ROUNDS = 3;
const pod = (i: number): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: `ns-${i % 50}`, name: `pod-${i}` } });

async function bestRate(ops: number, body: () => Promise<void> | void): Promise<number> {
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await body();
    best = Math.max(best, ops / ((performance.now() - t0) / 1000));
  }
  return Math.round(best);
}

/** add, update (same key, same namespace) and delete of n objects in an indexed store. */
function indexer(n: number): void {
  const store = newIndexer<KubeObject>(metaNamespaceKeyFunc, { [NamespaceIndex]: metaNamespaceIndexFunc });
  for (let i = 0; i < n; i++) store.add(pod(i));
  for (let i = 0; i < n; i++) store.update(pod(i));
  for (let i = 0; i < n; i++) store.delete(pod(i));
}

/** n adds, then n pops: the reflector-to-informer hand-over without an informer. */
async function deltaFIFO(n: number, trace: boolean): Promise<void> {
  const fifo = newDeltaFIFO<KubeObject>({ trace: trace ? new TraceRecorder() : undefined });
  for (let i = 0; i < n; i++) fifo.add(pod(i));
  for (let i = 0; i < n; i++) await fifo.pop(() => {});
}

/** n objects listed by a reflector, then n modified over the watch, each delivered to one handler. */
async function informer(n: number): Promise<void> {
  const clock = new FakeClock();
  const trace = new TraceRecorder(10_000_000);
  const source = newFakeControllerSource<KubeObject>({ clock, trace });
  for (let i = 0; i < n; i++) source.add(pod(i));
  const inf = newSharedIndexInformer<KubeObject>(source, { clock, rng: rngFromSeed(1), trace });
  let delivered = 0;
  inf.addEventHandler({ addFunc: () => void delivered++, updateFunc: () => void delivered++ });
  const done = inf.run();
  await runUntilIdle(clock, { forMs: 1000, until: () => delivered >= n });
  for (let i = 0; i < n; i++) source.modify(pod(i));
  await runUntilIdle(clock, { forMs: 1000, until: () => delivered >= 2 * n });
  if (delivered < 2 * n) throw new Error(`informer bench: ${delivered} of ${2 * n} notifications delivered`);
  inf.stop();
  await runUntilIdle(clock, { forMs: 1000 });
  await done;
}

export async function benchCache(): Promise<BenchRow[]> {
  const n = 20_000;
  return [
    { name: `cache: Indexer add+update+delete, namespace index (${n / 1000}k objects)`, value: await bestRate(3 * n, () => indexer(n)), unit: 'ops/s' },
    { name: `cache: DeltaFIFO add then pop, no trace (${n / 1000}k)`, value: await bestRate(n, () => deltaFIFO(n, false)), unit: 'objects/s' },
    { name: `cache: DeltaFIFO add then pop, traced (${n / 1000}k)`, value: await bestRate(n, () => deltaFIFO(n, true)), unit: 'objects/s' },
    { name: `cache: source -> reflector -> informer -> handler (${n / 1000}k list + ${n / 1000}k watch)`, value: await bestRate(2 * n, () => informer(n)), unit: 'events/s' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchCache();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(72)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
