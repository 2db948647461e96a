import { FakeClock, defaultControllerRateLimiter, newRateLimitingQueue, runUntilIdle, type RateLimitingQueue } from 'kubelab';

/** Reconciles one key; rejects when it fails (Go: `syncHandler(key) error`). */
export type Reconcile = (key: string) => Promise<void>;

/**
 * Takes one key off the queue and reconciles it. Returns false once the queue is shutting
 * down (the worker should stop), true otherwise.
 */
export async function processNextWorkItem(queue: RateLimitingQueue<string>, reconcile: Reconcile): Promise<boolean> {
  const { item, shutdown } = await queue.get();
  if (shutdown) return false;
  try {
    await reconcile(item);
    queue.done(item);
  } catch (err) {
    console.log(`  error syncing '${item}': ${(err as Error).message}, requeuing`);
    queue.add(item);
  }
  return true;
}

/** A controller worker (Go: `runWorker`): process items until the queue shuts down. */
export async function runWorker(queue: RateLimitingQueue<string>, reconcile: Reconcile): Promise<void> {
  while (await processNextWorkItem(queue, reconcile)) {
    // next item
  }
}

// ---- Run me: three workers, six keys, some failures ----
const clock = new FakeClock();
const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock, name: 'foos' });
const failuresLeft = new Map([['default/db', 2], ['default/api', 1]]);
let webUpdated = false;

const reconcile: Reconcile = async (key) => {
  console.log(`t=${String(clock.now()).padStart(3)} ms  reconcile ${key}`);
  await clock.sleep(10); // talking to the API server takes time
  if (key === 'default/web' && !webUpdated) {
    webUpdated = true;
    queue.add(key); // an update event arrives while we reconcile
  }
  const left = failuresLeft.get(key) ?? 0;
  if (left > 0) {
    failuresLeft.set(key, left - 1);
    throw new Error('409 Conflict: the object has been modified; please apply your changes to the latest version and try again');
  }
};

for (const key of ['default/web', 'default/api', 'default/db', 'kube-system/dns', 'default/cache', 'monitoring/prom']) {
  queue.add(key);
}
const workers = [1, 2, 3].map(() => runWorker(queue, reconcile));
await runUntilIdle(clock);

const s = queue.snapshot();
console.log(`\nafter ${clock.now()} ms: queue=[${s.queue.join(', ')}] processing={${s.processing.join(', ')}} waiting=${s.waiting.length}`);
for (const key of ['default/api', 'default/db']) console.log(`numRequeues(${key}) = ${queue.numRequeues(key)}`);
// The workers now wait in get() for more work; step 5 is about stopping them with queue.shutDown().
void workers;
