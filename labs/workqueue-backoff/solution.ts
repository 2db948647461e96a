import { FakeClock, newItemExponentialFailureRateLimiter, newRateLimitingQueue, runUntilIdle, type RateLimiter } from 'kubelab';

/**
 * client-go's ItemExponentialFailureRateLimiter: baseDelay * 2^failures per item, capped at
 * maxDelay, until the item is forgotten.
 * Upstream: client-go util/workqueue/default_rate_limiters.go (TypedItemExponentialFailureRateLimiter) at v0.34.0
 */
export class MyExponentialRateLimiter implements RateLimiter<string> {
  /** Failures per item since it was last forgotten. */
  private readonly failures = new Map<string, number>();

  constructor(
    readonly baseDelayMs: number,
    readonly maxDelayMs: number,
  ) {}

  when(item: string): number {
    // The exponent is the number of failures *before* this one: the first retry waits baseDelay.
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    // Upstream computes the backoff in float64 nanoseconds and returns maxDelay once it passes
    // MaxInt64, so a huge failure count can never wrap into a short delay. In JavaScript the
    // product becomes Infinity instead (2 ** 1100), which the same comparison catches. Never use
    // `<<` here: it works on 32-bit integers and wraps to 0 or a negative number.
    const backoffMs = this.baseDelayMs * 2 ** exp;
    if (!(backoffMs <= this.maxDelayMs)) return this.maxDelayMs;
    return backoffMs;
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }

  forget(item: string): void {
    // Forget one item only: the others keep backing off.
    this.failures.delete(item);
  }
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
