// Scrubbing a long run: each model view rendering the state at random cursors of a
// 200,000-event trace (figures, not pass/fail; a frame is 16 ms). The views replay through a
// checkpointed Replayer; the "from event 0" row is what every frame cost before (replayWorkqueue
// from the start). The workqueue view scrubs a controller's queue; the informer pipeline, watch
// streams and etcd keyspace views scrub an informer over the API server (etcd writes, the watch
// cache, watches ending and relisting, compactions), and so does a workbench showing all four.
// Run alone with `npx tsx bench/scrub.ts` (`--json` for npm run bench).
import { pathToFileURL } from 'node:url';
import { createEtcdView } from '../src/components/viz/etcd/view';
import { createInformerView } from '../src/components/viz/informer/view';
import type { ModelView } from '../src/components/viz/types';
import { createWatchView } from '../src/components/viz/watch/view';
import { createWorkqueueView } from '../src/components/viz/workqueue/view';
import {
  FakeClock,
  TraceRecorder,
  defaultControllerRateLimiter,
  deletionHandlingMetaNamespaceKeyFunc,
  newApiServer,
  newClientset,
  newListWatchFromClient,
  newRateLimitingQueue,
  newSharedIndexInformer,
  replayWorkqueue,
  rngFromSeed,
  runUntilIdle,
  type KubeObject,
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

/**
 * A controller over the API server: an informer on pods feeding a workqueue with two workers,
 * while a client creates, updates and deletes 300 pods; now and then the server drops its
 * watches (the reflector watches again) or restarts (its caches relist: 410 Gone, relist), and
 * its compactor compacts etcd every 5 virtual minutes.
 */
async function informerTrace(): Promise<TraceEvent[]> {
  const trace = new TraceRecorder(TARGET_EVENTS);
  const clock = new FakeClock();
  const rng = rngFromSeed('scrub-informer');
  const server = newApiServer({ clock, trace, rng: rng.fork('server') });
  const cs = newClientset(server, { qps: -1 });
  await runUntilIdle(clock, { forMs: 10 });
  const pods = cs.coreV1().pods('default');
  type Pod = KubeObject & { spec: { containers: Array<{ name: string; image: string }> } };
  const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'app:1' }] } });
  const informer = newSharedIndexInformer<KubeObject>(newListWatchFromClient(cs.coreV1().pods(''), 'pods', '') as never, { clock, trace, rng: rng.fork('informer'), name: 'pods' });
  const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(clock), { clock, trace, name: 'pods' });
  const enqueue = (o: unknown) => queue.add(deletionHandlingMetaNamespaceKeyFunc(o));
  informer.addEventHandler({ addFunc: enqueue, updateFunc: (_o, n) => enqueue(n), deleteFunc: enqueue });
  const running = informer.run();
  const workers = Array.from({ length: 2 }, async () => {
    for (;;) {
      const { item, shutdown } = await queue.get();
      if (shutdown) return;
      queue.forget(item);
      queue.done(item);
    }
  });
  const live = new Set<string>();
  let round = 0;
  while (trace.events.length < TARGET_EVENTS - 500) {
    round++;
    for (let i = 0; i < 10; i++) {
      const name = `pod-${rng.int(300)}`;
      try {
        if (!live.has(name)) {
          await pods.create(pod(name));
          live.add(name);
        } else if (rng.int(5) === 0) {
          await pods.delete(name);
          live.delete(name);
        } else {
          const p = (await pods.get(name)) as Pod;
          p.spec.containers[0].image = `app:${round}`;
          await pods.update(p);
        }
      } catch {
        /* a conflict or a race with a delete: the next round tries again */
      }
    }
    if (round % 97 === 0) server.dropWatches();
    if (round % 401 === 0) server.restart();
    clock.step(rng.int(2_000));
    await runUntilIdle(clock, { forMs: 5 });
  }
  informer.stop();
  await running;
  queue.shutDown();
  await Promise.all(workers);
  return trace.events.slice(0, TARGET_EVENTS);
}

/** A root element for a view outside the browser: what the views use of it (innerHTML, a few controls). */
function fakeRoot(): HTMLElement {
  const control = () => ({ value: '', hidden: false, options: [], innerHTML: '', addEventListener() {} });
  const controls = new Map<string, ReturnType<typeof control>>();
  return {
    innerHTML: '',
    classList: { add() {} },
    querySelector: (sel: string) => controls.get(sel) ?? (controls.set(sel, control()), controls.get(sel)),
  } as unknown as HTMLElement;
}

/**
 * Frame times (ms, sorted) of `views` drawing the state at each cursor, and the first frame's
 * (which builds the checkpoints on its way to the end). A warm-up pass over other cursors comes
 * first, untimed, so the figures are of compiled code; the slowest frames include GC pauses.
 */
function frames(events: TraceEvent[], views: ModelView[], cursors: number[]): { times: number[]; firstMs: number } {
  let t0 = performance.now();
  for (const v of views) v.render(events, events.length);
  const firstMs = performance.now() - t0;
  const warm = rngFromSeed('warm-up');
  for (let i = 0; i < 100; i++) {
    const c = warm.int(events.length + 1);
    for (const v of views) v.render(events, c);
  }
  const times: number[] = [];
  for (const c of cursors) {
    t0 = performance.now();
    for (const v of views) v.render(events, c);
    times.push(performance.now() - t0);
  }
  return { times: times.sort((a, b) => a - b), firstMs };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function benchScrub(): Promise<BenchRow[]> {
  const events = await longTrace();
  const view = createWorkqueueView(fakeRoot());
  const rng = rngFromSeed('frames');
  const cursors = Array.from({ length: FRAMES }, () => rng.int(events.length + 1));
  // The first render builds checkpoints on the way to its cursor: measure it apart.
  const { times, firstMs } = frames(events, [view], cursors);
  const old: number[] = [];
  for (const c of cursors.slice(0, 20)) {
    const t0 = performance.now();
    replayWorkqueue(events, c);
    old.push(performance.now() - t0);
  }
  old.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const n = `${events.length / 1000}k events`;
  const rows: BenchRow[] = [
    { name: `scrub: workqueue view render at a random cursor, ${n}, median of ${FRAMES}`, value: round(percentile(times, 50)), unit: 'ms' },
    { name: `scrub: same, 95th percentile`, value: round(percentile(times, 95)), unit: 'ms' },
    { name: `scrub: same, slowest frame`, value: round(times[times.length - 1]), unit: 'ms' },
    { name: `scrub: first render (to the end, building checkpoints)`, value: round(firstMs), unit: 'ms' },
    { name: `scrub: replay from event 0 instead (before checkpoints), median of 20`, value: round(percentile(old, 50)), unit: 'ms' },
  ];

  // The informer over the API server, through each view alone and all four together.
  const t0 = performance.now();
  const informerEvents = await informerTrace();
  const makeMs = performance.now() - t0;
  const m = `${Math.round(informerEvents.length / 1000)}k events`;
  const icursors = Array.from({ length: FRAMES }, () => rng.int(informerEvents.length + 1));
  rows.push({ name: `scrub: an informer over the API server, trace of ${m} made in`, value: Math.round(makeMs), unit: 'ms' });
  const parts: Array<[string, () => ModelView[]]> = [
    ['informer pipeline view', () => [createInformerView(fakeRoot(), { viewAnchor: (v) => `kl-view-${v}` })]],
    ['watch streams view', () => [createWatchView(fakeRoot())]],
    ['etcd keyspace view', () => [createEtcdView(fakeRoot())]],
    ['workqueue view (same trace)', () => [createWorkqueueView(fakeRoot())]],
    ['all four views in one frame', () => [createEtcdView(fakeRoot()), createWatchView(fakeRoot()), createInformerView(fakeRoot()), createWorkqueueView(fakeRoot())]],
  ];
  // The workbench replays a long trace the first time a chunk per frame (host.ts, REPLAY_CHUNK):
  // the slowest chunk with all four views is the worst frame right after a run.
  {
    const views = parts[parts.length - 1][1]();
    const chunks: number[] = [];
    for (let c = 4096; c < informerEvents.length; c += 4096) {
      const t = performance.now();
      for (const v of views) v.prepare?.(informerEvents, c);
      chunks.push(performance.now() - t);
    }
    const t = performance.now();
    for (const v of views) v.render(informerEvents, informerEvents.length);
    const last = performance.now() - t;
    chunks.sort((a, b) => a - b);
    rows.push(
      { name: `scrub: first replay after a run, all four views, a chunk of 4096 events per frame (REPLAY_CHUNK in host.ts): median chunk`, value: round(percentile(chunks, 50)), unit: 'ms' },
      { name: `scrub: same, slowest chunk`, value: round(chunks[chunks.length - 1]), unit: 'ms' },
      { name: `scrub: same, then the frame at the end`, value: round(last), unit: 'ms' },
    );
  }
  for (const [name, make] of parts) {
    const r = frames(informerEvents, make(), icursors);
    rows.push(
      { name: `scrub: ${name} at a random cursor, ${m}, median of ${FRAMES}`, value: round(percentile(r.times, 50)), unit: 'ms' },
      { name: `scrub: same, 95th percentile`, value: round(percentile(r.times, 95)), unit: 'ms' },
      { name: `scrub: same, 99th percentile`, value: round(percentile(r.times, 99)), unit: 'ms' },
      { name: `scrub: same, slowest frame (GC pauses included)`, value: round(r.times[r.times.length - 1]), unit: 'ms' },
      { name: `scrub: same, first render (building checkpoints)`, value: round(r.firstMs), unit: 'ms' },
    );
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchScrub();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(80)} ${String(r.value).padStart(10)} ${r.unit}`);
}
