// Scrubbing a long run: the workqueue view rendering the state at random cursors of a
// 200,000-event trace (figures, not pass/fail). The view replays through a checkpointed Replayer;
// the "from event 0" row is what every frame cost before (replayWorkqueue from the start).
// Run alone with `npx tsx bench/scrub.ts` (`--json` for npm run bench).
import { pathToFileURL } from 'node:url';
import { createWorkqueueView } from '../src/components/viz/workqueue/view';
import {
  FakeClock,
  TraceRecorder,
  defaultControllerRateLimiter,
  newRateLimitingQueue,
  replayWorkqueue,
  rngFromSeed,
  runUntilIdle,
  type TraceEvent,
} from '../src/sim/index';
import type { BenchRow } from './workqueue';

const TARGET_EVENTS = 200_000;
const FRAMES = 300;

/** A controller with 4 workers over 300 keys: adds, failures retried with backoff, successes. */
async function longTrace(): Promise<TraceEvent[]> {
  const trace = new TraceRecorder(TARGET_EVENTS);
  const clock = new FakeClock();
  const rng = rngFromSeed('scrub');
  const q = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock, trace, name: 'controller' });
  const workers = Array.from({ length: 4 }, async () => {
    for (;;) {
      const { item, shutdown } = await q.get();
      if (shutdown) return;
      if (rng.int(4) === 0) q.addRateLimited(item);
      else q.forget(item);
      q.done(item);
    }
  });
  while (trace.events.length < TARGET_EVENTS - 200) {
    for (let i = 0; i < 50; i++) q.add(`ns-${rng.int(10)}/obj-${rng.int(300)}`);
    clock.step(rng.int(20));
    await runUntilIdle(clock, { forMs: 5 });
  }
  q.shutDown();
  await Promise.all(workers);
  return trace.events.slice(0, TARGET_EVENTS);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function benchScrub(): Promise<BenchRow[]> {
  const events = await longTrace();
  const root = { innerHTML: '', classList: { add() {} } } as unknown as HTMLElement;
  const view = createWorkqueueView(root);
  const rng = rngFromSeed('frames');
  const cursors = Array.from({ length: FRAMES }, () => rng.int(events.length + 1));
  // The first render builds checkpoints on the way to its cursor: measure it apart.
  let t0 = performance.now();
  view.render(events, events.length);
  const firstMs = performance.now() - t0;
  const times: number[] = [];
  for (const c of cursors) {
    t0 = performance.now();
    view.render(events, c);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const old: number[] = [];
  for (const c of cursors.slice(0, 20)) {
    t0 = performance.now();
    replayWorkqueue(events, c);
    old.push(performance.now() - t0);
  }
  old.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const n = `${events.length / 1000}k events`;
  return [
    { name: `scrub: workqueue view render at a random cursor, ${n}, median of ${FRAMES}`, value: round(percentile(times, 50)), unit: 'ms' },
    { name: `scrub: same, 95th percentile`, value: round(percentile(times, 95)), unit: 'ms' },
    { name: `scrub: same, slowest frame`, value: round(times[times.length - 1]), unit: 'ms' },
    { name: `scrub: first render (to the end, building checkpoints)`, value: round(firstMs), unit: 'ms' },
    { name: `scrub: replay from event 0 instead (before checkpoints), median of 20`, value: round(percentile(old, 50)), unit: 'ms' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchScrub();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(80)} ${String(r.value).padStart(10)} ${r.unit}`);
}
