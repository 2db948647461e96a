import { FakeClock, activeTrace, formatWorkqueueEvent, newDelayingQueue, runUntilIdle, settle, type DelayingQueue } from 'kubelab';

// Steps 1 and 4: your predictions. Times are virtual ms; every scenario starts at t = 0.
// Change them, then Run: the output shows what the queue really does.
export const predictions = {
  delaying: {
    /** addAfter(k, 2000), then addAfter(k, 10000): when does k enter the queue? */
    laterCallReadyAtMs: 10_000,
    /** addAfter(k, 10000), then addAfter(k, 2000): when does k enter the queue? */
    earlierCallReadyAtMs: 2000,
    /** addAfter(k, 1000), then add(k); a worker takes whatever comes, at once. When does get() hand out k (by t = 5000)? */
    handedOutAtMs: [0],
  },
  drain: {
    /** A worker holds default/web and calls done at 300 ms: when does shutDownWithDrain() resolve? (null = never) */
    returnsAtMs: null as number | null,
    /** What is in the queue at that moment, head first? */
    queuedWhenItReturns: [] as string[],
    /** default/cert waited in the heap (addAfter 1000 ms): when is it added? (null = never) */
    certAddedAtMs: 1000 as number | null,
  },
};

/** What a controller's event handlers and its worker call to debounce reconciles of a key. */
export interface Debouncer {
  /** A change of `key` arrived: reconcile it once `quietMs` have passed without another change. */
  changed(key: string): void;
  /** `key` was deleted: reconcile it now, and not again for the changes that came before. */
  deleted(key: string): void;
  /** A worker got `key` from the queue: true to reconcile it now, false when it is not due. */
  due(key: string): boolean;
}

/** Steps 2 and 3: a debounce built on the delaying queue. */
export function newDebouncer(queue: DelayingQueue<string>, quietMs: number): Debouncer {
  return {
    changed(key) {
      queue.addAfter(key, quietMs);
    },
    deleted(key) {
      queue.add(key);
    },
    due(key) {
      return true;
    },
  };
}

/**
 * Step 5: stops a controller whose `workers` each loop get -> reconcile -> done until get()
 * reports shutdown. Must resolve only once every queued, in-flight and re-added key has been
 * reconciled and every worker has returned: the process exits right after.
 */
export async function stop(queue: DelayingQueue<string>, workers: Array<Promise<void>>): Promise<void> {
  await queue.shutDownWithDrain();
}

// ---- Run me ----
/** Prints what the trace says about `queue` since event number `from` (metrics left out). */
function log(queue: DelayingQueue<string>, from: number): void {
  const skip = new Set(['workqueue.metric', 'workqueue.new', 'workqueue.waiters']);
  for (const e of (activeTrace()?.events ?? []).slice(from)) {
    if (e.queue === queue.name && !skip.has(e.type)) console.log(`  ${formatWorkqueueEvent(e)}`);
  }
}
const mark = () => activeTrace()?.events.length ?? 0;

console.log('1. Two addAfter calls for one key');
{
  const clock = new FakeClock();
  const certs = newDelayingQueue<string>({ clock, name: 'certs' });
  const from = mark();
  certs.addAfter('default/api-cert', 2000);
  certs.addAfter('default/api-cert', 10_000);
  certs.addAfter('default/web-cert', 10_000);
  certs.addAfter('default/web-cert', 2000);
  await runUntilIdle(clock);
  log(certs, from);
  console.log(`  you predicted ${predictions.delaying.laterCallReadyAtMs} and ${predictions.delaying.earlierCallReadyAtMs}\n`);
}

console.log('2. addAfter(k, 1000), then add(k), and a worker that takes k at once');
{
  const clock = new FakeClock();
  const pods = newDelayingQueue<string>({ clock, name: 'pods' });
  const from = mark();
  pods.addAfter('default/web', 1000);
  pods.add('default/web');
  const handedOut: number[] = [];
  void (async () => {
    for (;;) {
      const { item, shutdown } = await pods.get();
      if (shutdown) return;
      handedOut.push(clock.now());
      pods.done(item);
    }
  })();
  await runUntilIdle(clock, { forMs: 5000 });
  pods.shutDown();
  await settle();
  log(pods, from);
  console.log(`  handed out at ${JSON.stringify(handedOut)}; you predicted ${JSON.stringify(predictions.delaying.handedOutAtMs)}\n`);
}

console.log('3. Debounce: changes of default/web at 0, 200 and 400 ms, quiet period 500 ms; default/api changed at 400 ms and deleted at 700 ms');
{
  const clock = new FakeClock();
  const deploys = newDelayingQueue<string>({ clock, name: 'deploys' });
  const debouncer = newDebouncer(deploys, 500);
  for (const t of [0, 200, 400]) clock.afterFunc(t, () => debouncer.changed('default/web'));
  clock.afterFunc(400, () => debouncer.changed('default/api'));
  clock.afterFunc(700, () => debouncer.deleted('default/api'));
  void (async () => {
    for (;;) {
      const { item, shutdown } = await deploys.get();
      if (shutdown) return;
      if (debouncer.due(item)) console.log(`  t=${String(clock.now()).padStart(5)}  reconcile ${item}`);
      deploys.done(item);
    }
  })();
  await runUntilIdle(clock);
  deploys.shutDown();
  await settle();
  console.log('  wanted: default/web at 900 (500 ms after its last change), default/api at 700 only\n');
}

console.log('4. shutDownWithDrain while a worker holds default/web (updated meanwhile), with default/cert in the heap');
{
  const clock = new FakeClock();
  const ctrl = newDelayingQueue<string>({ clock, name: 'drain' });
  for (const key of ['default/web', 'default/api', 'default/db']) ctrl.add(key);
  const { item } = await ctrl.get();
  ctrl.add('default/web'); // an update arrives while default/web is reconciled
  ctrl.addAfter('default/cert', 1000);
  let returnedAt: number | null = null;
  let queued: string[] = [];
  void ctrl.shutDownWithDrain().then(() => {
    returnedAt = clock.now();
    queued = ctrl.snapshot().queue;
  });
  clock.afterFunc(300, () => ctrl.done(item!)); // the worker finishes and its loop stops
  await runUntilIdle(clock);
  console.log(`  the drain returned at ${returnedAt} with queue=[${queued.join(', ')}]; you predicted ${predictions.drain.returnsAtMs} with [${predictions.drain.queuedWhenItReturns.join(', ')}]`);
  const after: string[] = [];
  for (;;) {
    const r = await ctrl.get();
    if (r.shutdown) break;
    after.push(r.item);
    ctrl.done(r.item);
  }
  console.log(`  get() after the drain still hands out: ${after.join(', ')}`);
  const certAdds = (activeTrace()?.events ?? []).filter((e) => e.queue === 'drain' && e.type === 'workqueue.add' && e.item === 'default/cert');
  console.log(`  default/cert was added ${certAdds.length} time(s); you predicted ${predictions.drain.certAddedAtMs === null ? 'never' : `at ${predictions.drain.certAddedAtMs}`}\n`);
}

console.log('5. stop() at t=250 ms: two workers; default/web takes 300 ms and is updated while it is reconciled');
{
  const clock = new FakeClock();
  const queue = newDelayingQueue<string>({ clock, name: 'controller' });
  const takesMs: Record<string, number> = { 'default/web': 300, 'default/api': 100, 'default/db': 100 };
  for (const key of Object.keys(takesMs)) queue.add(key);
  clock.afterFunc(50, () => queue.add('default/web')); // an update arrives mid-reconcile
  let stopped = false;
  const worker = async (n: number) => {
    for (;;) {
      const { item, shutdown } = await queue.get();
      if (shutdown) return;
      console.log(`  t=${String(clock.now()).padStart(5)}  worker ${n} starts ${item}${stopped ? '   <- after stop() resolved' : ''}`);
      await clock.sleep(takesMs[item]);
      console.log(`  t=${String(clock.now()).padStart(5)}  worker ${n} finished ${item}${stopped ? '   <- after stop() resolved' : ''}`);
      queue.done(item);
    }
  };
  const workers = [worker(1), worker(2)];
  clock.afterFunc(250, () => {
    console.log(`  t=${String(clock.now()).padStart(5)}  stop()`);
    void stop(queue, workers).then(() => {
      stopped = true;
      const s = queue.snapshot();
      console.log(`  t=${String(clock.now()).padStart(5)}  stop() resolved: queue=[${s.queue.join(', ')}] processing={${s.processing.join(', ')}}`);
    });
  });
  await runUntilIdle(clock);
  if (!stopped) console.log('  stop() never resolved');
}
