import { FakeClock, activeTrace, formatWorkqueueEvent, newDelayingQueue, runUntilIdle, settle, type DelayingQueue } from 'kubelab';

// Steps 1 and 4: what the queue does. Times are virtual ms; every scenario starts at t = 0.
// Upstream: client-go util/workqueue/delaying_queue.go and queue.go at v0.34.0
export const predictions = {
  delaying: {
    /** The key is in the heap once; insert() keeps the earlier readyAt, so the 10 s call is dropped. */
    laterCallReadyAtMs: 2000,
    /** ...and a sooner one moves the entry up (heap.Fix): 2000 either way. */
    earlierCallReadyAtMs: 2000,
    /** add() goes straight to the queue and leaves the heap entry alone: handed out now, and again at 1000. */
    handedOutAtMs: [0, 1000],
  },
  drain: {
    /** ShutDownWithDrain waits only while processing is not empty: done(web) at 300 ends it. */
    returnsAtMs: 300 as number | null,
    /** api and db were never taken; web was dirty (added while processing), so done() queued it again. */
    queuedWhenItReturns: ['default/api', 'default/db', 'default/web'],
    /** The waiting loop checks ShuttingDown before it adds anything: the heap entry is never added. */
    certAddedAtMs: null as number | null,
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

/**
 * Steps 2 and 3. client-go has no debounce: AddAfter can bring a key forward, never push it
 * back, and Add does not touch the heap. So the debouncer keeps each key's due time itself,
 * and lets early heap entries come back and be rescheduled.
 */
export function newDebouncer(queue: DelayingQueue<string>, quietMs: number): Debouncer {
  /** When each key with a pending reconcile becomes due. No entry: nothing pending. */
  const dueAtMs = new Map<string, number>();
  return {
    changed(key) {
      dueAtMs.set(key, queue.clock.now() + quietMs);
      // If the key already waits in the heap, this addAfter is 'kept': that entry fires at its
      // earlier time, and due() puts the key back for the rest of the wait.
      queue.addAfter(key, quietMs);
    },
    deleted(key) {
      dueAtMs.set(key, queue.clock.now());
      // Straight to the queue. A heap entry from an earlier change stays where it is and fires
      // later: due() must recognise it as stale.
      queue.add(key);
    },
    due(key) {
      const at = dueAtMs.get(key);
      // A stale heap entry (the reconcile it was for already happened): nothing to do.
      if (at === undefined) return false;
      const now = queue.clock.now();
      if (now < at) {
        // Woke up early: a later change moved the due time. Wait for the rest.
        queue.addAfter(key, at - now);
        return false;
      }
      dueAtMs.delete(key);
      return true;
    },
  };
}

/**
 * Step 5: stops a controller whose `workers` each loop get -> reconcile -> done until get()
 * reports shutdown. Resolves once no key is queued or in flight and every worker has returned.
 */
export async function stop(queue: DelayingQueue<string>, workers: Array<Promise<void>>): Promise<void> {
  // Ignore new adds, wake idle workers, and wait while keys are being processed. This resolves
  // as soon as processing is empty — with keys possibly still queued (done() may even have just
  // put one back), and the upstream comment's "waits until all items ... have been processed"
  // is not what the code does.
  const drained = queue.shutDownWithDrain();
  // Workers keep receiving queued keys while the queue shuts down; get() reports shutdown only
  // once the queue is empty. So the work is finished when every worker has returned.
  await Promise.all(workers);
  await drained;
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
