// Workqueue model throughput in node (figures, not pass/fail). Run alone with
// `npx tsx bench/workqueue.ts` (add `--json` for the machine-readable line npm run bench reads).
import { pathToFileURL } from 'node:url';
import { FakeClock, TraceRecorder, newDelayingQueue, newQueue, rngFromSeed } from '../src/sim/index';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** What the figure should reach (shown beside it). */
  target?: string;
}

const CYCLES = 200_000;
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

/** A worker loop as controllers write it: add, then `await get()`, then `done`. */
async function addGetDone(trace: boolean): Promise<void> {
  const q = newQueue<string>({ clock: new FakeClock(), trace: trace ? new TraceRecorder() : undefined });
  for (let i = 0; i < CYCLES; i++) {
    const key = `key-${i % 100}`;
    q.add(key);
    const { item } = await q.get();
    q.done(item!);
  }
}

/** A worker already blocked in `get()` when each item arrives (the hand-off path). */
async function handOff(): Promise<void> {
  const q = newQueue<number>({ clock: new FakeClock() });
  const worker = (async () => {
    for (;;) {
      const { item, shutdown } = await q.get();
      if (shutdown) return;
      q.done(item);
    }
  })();
  for (let i = 0; i < CYCLES; i++) {
    q.add(i);
    await null; // let the worker take it and call get() again
  }
  q.shutDown();
  await worker;
}

/** Upstream's BenchmarkDelayingQueue_AddAfter: random delays up to 10 min, step 11 min, get all. */
async function delayed(n: number): Promise<void> {
  const clock = new FakeClock();
  const q = newDelayingQueue<string>({ clock });
  const rng = rngFromSeed('bench');
  for (let i = 0; i < n; i++) q.addAfter(String(i), rng.int(10 * 60 * 1000));
  clock.step(11 * 60 * 1000);
  for (let i = 0; i < n; i++) await q.get();
}

export async function benchWorkqueue(): Promise<BenchRow[]> {
  const delayedItems = 100_000;
  return [
    {
      name: `workqueue: add/get/done cycles, no trace (${CYCLES / 1000}k, best of ${ROUNDS})`,
      value: await bestRate(ROUNDS, CYCLES, () => addGetDone(false)),
      unit: 'cycles/s',
    },
    {
      name: `workqueue: add/get/done cycles, traced (${CYCLES / 1000}k, best of ${ROUNDS})`,
      value: await bestRate(ROUNDS, CYCLES, () => addGetDone(true)),
      unit: 'cycles/s',
    },
    {
      name: `workqueue: hand-off to a waiting worker (${CYCLES / 1000}k, best of ${ROUNDS})`,
      value: await bestRate(ROUNDS, CYCLES, handOff),
      unit: 'cycles/s',
    },
    {
      name: `workqueue: addAfter + step + get, random delays (${delayedItems / 1000}k, best of ${ROUNDS})`,
      value: await bestRate(ROUNDS, delayedItems, () => delayed(delayedItems)),
      unit: 'items/s',
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchWorkqueue();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(72)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
