// etcd model throughput in node (figures, not pass/fail). Run alone with
// `npx tsx bench/etcd.ts` (add `--json` for the machine-readable line npm run bench reads).
// Upstream's counterparts: server/storage/mvcc/kvstore_bench_test.go (BenchmarkStorePut,
// BenchmarkStoreRangeKey1) and watchable_store_bench_test.go (BenchmarkWatchableStoreWatchPutSync).
import { pathToFileURL } from 'node:url';
import { FakeClock, TraceRecorder, newEtcd, settle } from '../src/sim/index';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
}

const PUTS = 100_000;
const KEYS = 10_000;
const RANGES = 100_000;
const WATCH_PUTS = 50_000;
const ROUNDS = 3;

/** Best (highest) of `rounds` measurements of `ops / seconds`. */
async function bestRate(rounds: number, ops: number, body: () => Promise<void>): Promise<number> {
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await body();
    const seconds = (performance.now() - t0) / 1000;
    best = Math.max(best, ops / seconds);
  }
  return Math.round(best);
}

const key = (i: number) => `/registry/pods/default/pod-${String(i % KEYS).padStart(5, '0')}`;

/** Puts over 10k keys (each key written 10 times), awaited one by one as a client would. */
async function puts(trace: boolean): Promise<void> {
  const etcd = newEtcd({ clock: new FakeClock(), trace: trace ? new TraceRecorder(1_000_000) : undefined });
  for (let i = 0; i < PUTS; i++) await etcd.put(key(i), '{"kind":"Pod"}');
}

/** Single-key reads of a store of 10k keys (BenchmarkStoreRangeKey1). */
async function ranges(): Promise<void> {
  const etcd = newEtcd({ clock: new FakeClock() });
  for (let i = 0; i < KEYS; i++) await etcd.put(key(i), 'v');
  for (let i = 0; i < RANGES; i++) await etcd.get(key(i * 7919));
}

/** Prefix reads of 100 keys with a limit, at an older revision (the API server's paginated list). */
async function prefixRanges(n: number): Promise<void> {
  const etcd = newEtcd({ clock: new FakeClock() });
  for (let i = 0; i < KEYS; i++) await etcd.put(`/registry/ns-${i % 100}/pod-${i}`, 'v');
  const rev = etcd.revision;
  for (let i = 0; i < n; i++) await etcd.get(`/registry/ns-${i % 100}/`, { prefix: true, limit: 50, revision: rev - 1 });
}

/** Puts with 10 synced watchers on the prefix: events delivered to handlers per second. */
async function watchEvents(): Promise<number> {
  const etcd = newEtcd({ clock: new FakeClock() });
  let delivered = 0;
  for (let w = 0; w < 10; w++) etcd.watch('/registry/pods/', { prefix: true }, (r) => void (delivered += r.events.length));
  for (let i = 0; i < WATCH_PUTS; i++) await etcd.put(key(i), 'v');
  await settle();
  return delivered;
}

export async function benchEtcd(): Promise<BenchRow[]> {
  const prefixN = 20_000;
  let delivered = 0;
  const watchRate = await bestRate(ROUNDS, 10 * WATCH_PUTS, async () => {
    delivered = await watchEvents();
  });
  if (delivered !== 10 * WATCH_PUTS) throw new Error(`watch bench delivered ${delivered} events, want ${10 * WATCH_PUTS}`);
  return [
    { name: `etcd: puts over 10k keys, no trace (${PUTS / 1000}k, best of ${ROUNDS})`, value: await bestRate(ROUNDS, PUTS, () => puts(false)), unit: 'puts/s' },
    { name: `etcd: puts over 10k keys, traced (${PUTS / 1000}k, best of ${ROUNDS})`, value: await bestRate(ROUNDS, PUTS, () => puts(true)), unit: 'puts/s' },
    { name: `etcd: single-key gets, 10k keys (${RANGES / 1000}k, best of ${ROUNDS})`, value: await bestRate(ROUNDS, RANGES + KEYS, ranges), unit: 'ops/s' },
    { name: `etcd: prefix gets, limit 50 at a revision (${prefixN / 1000}k, best of ${ROUNDS})`, value: await bestRate(ROUNDS, prefixN + KEYS, () => prefixRanges(prefixN)), unit: 'ops/s' },
    { name: `etcd: watch events to 10 prefix watchers (${(10 * WATCH_PUTS) / 1000}k, best of ${ROUNDS})`, value: watchRate, unit: 'events/s' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchEtcd();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(72)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
