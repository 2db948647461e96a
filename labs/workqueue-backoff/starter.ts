import { FakeClock, newItemExponentialFailureRateLimiter, newRateLimitingQueue, runUntilIdle, type RateLimiter } from 'kubelab';

/**
 * Your rate limiter: how long an item waits before it is retried.
 * It should behave exactly like client-go's ItemExponentialFailureRateLimiter.
 */
export class MyExponentialRateLimiter implements RateLimiter<string> {
  private failures = 0;

  constructor(
    readonly baseDelayMs: number,
    readonly maxDelayMs: number,
  ) {}

  /** Counts one more failure of `item` and returns how long it waits before its retry (ms). */
  when(item: string): number {
    this.failures++;
    return this.baseDelayMs;
  }

  /** How many failures of `item` have been counted. */
  numRequeues(item: string): number {
    return this.failures;
  }

  /** Stops tracking `item`: called after it succeeds. */
  forget(item: string): void {}
}

// ---- Run me: your delays next to client-go's, for one item that keeps failing ----
const mine = new MyExponentialRateLimiter(5, 1000 * 1000);
const real = newItemExponentialFailureRateLimiter<string>(5, 1000 * 1000);
console.log('failure   yours (ms)   client-go (ms)');
for (let failure = 1; failure <= 8; failure++) {
  const a = mine.when('default/web');
  const b = real.when('default/web');
  console.log(`${String(failure).padStart(7)}   ${String(a).padStart(10)}   ${String(b).padStart(14)}${a === b ? '' : '   <- differs'}`);
}

// The same item on a real queue, failing five times and then succeeding. Watch the retries
// spread out in the visualization (virtual time: nothing really waits).
const clock = new FakeClock();
const queue = newRateLimitingQueue<string>(new MyExponentialRateLimiter(5, 1000 * 1000), { clock, name: 'retries' });
queue.add('default/web');
const worker = (async () => {
  for (let attempt = 1; ; attempt++) {
    const { item, shutdown } = await queue.get();
    if (shutdown) return;
    const fails = attempt <= 5;
    console.log(`t=${String(clock.now()).padStart(4)} ms  attempt ${attempt}: ${fails ? 'fails, retry later' : 'succeeds'}`);
    if (fails) queue.addRateLimited(item);
    else queue.forget(item);
    queue.done(item);
  }
})();
await runUntilIdle(clock);
queue.shutDown();
await worker;
