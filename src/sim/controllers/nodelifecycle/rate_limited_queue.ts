/**
 * The node lifecycle controller's rate-limited queue of nodes to taint:
 * pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go (v1.34: TimedValue, UniqueQueue,
 * RateLimitedTimedQueue.Try / Add / Remove / SwapLimiter) over a token bucket
 * (client-go util/flowcontrol NewTokenBucketRateLimiter: full at start, `qps` tokens a second up
 * to `burst`; qps 0 rejects everything, as fakeAlwaysRejectRateLimiter).
 */
import type { FakeClock } from '../../core/clock';

/** How often the tainting pass runs (Go: NodeEvictionPeriod) and the bucket's burst (EvictionRateLimiterBurst). */
export const nodeEvictionPeriodMs = 100;
export const evictionRateLimiterBurst = 1;

export interface TimedValue {
  value: string;
  uid: string;
  addedAtMs: number;
  processAtMs: number;
}

/** Tokens refill continuously at `qps`; the bucket starts full. */
// Upstream: client-go util/flowcontrol/throttle.go (tokenBucketPassiveRateLimiter.TryAccept)
export class TokenBucket {
  #tokens: number;
  #lastMs: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    readonly clock: FakeClock,
  ) {
    this.#tokens = qps > 0 ? burst : 0;
    this.#lastMs = clock.now();
  }

  tryAccept(): boolean {
    if (this.qps <= 0) return false;
    const now = this.clock.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#lastMs) * this.qps) / 1000);
    this.#lastMs = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/**
 * A FIFO ordered by processAt in which each value appears at most once. Invariant: every queued
 * value is in `set`; a value can stay in `set` after leaving the queue (removeFromQueue), which
 * keeps it from being added again until `remove`.
 */
// Upstream: rate_limited_queue.go (UniqueQueue)
export class UniqueQueue {
  readonly queue: TimedValue[] = [];
  readonly set = new Set<string>();

  add(v: TimedValue): boolean {
    if (this.set.has(v.value)) return false;
    this.set.add(v.value);
    this.queue.push(v);
    this.queue.sort((a, b) => a.processAtMs - b.processAtMs);
    return true;
  }

  /** Puts back a value already in the set with its new processAt. */
  replace(v: TimedValue): boolean {
    const i = this.queue.findIndex((x) => x.value === v.value);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    this.queue.push(v);
    this.queue.sort((a, b) => a.processAtMs - b.processAtMs);
    return true;
  }

  removeFromQueue(value: string): boolean {
    const i = this.queue.findIndex((x) => x.value === value);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }

  remove(value: string): boolean {
    this.set.delete(value);
    return this.removeFromQueue(value);
  }

  head(): TimedValue | undefined {
    return this.queue[0];
  }
}

// Upstream: rate_limited_queue.go (RateLimitedTimedQueue)
export class RateLimitedTimedQueue {
  readonly queue = new UniqueQueue();
  limiter: TokenBucket;

  constructor(readonly clock: FakeClock, qps: number) {
    this.limiter = new TokenBucket(qps, evictionRateLimiterBurst, clock);
  }

  /** Processes heads due now while the limiter allows; `fn` returns [done, retry-after ms]. */
  // Upstream: rate_limited_queue.go (RateLimitedTimedQueue.Try)
  async try(fn: (v: TimedValue) => Promise<[boolean, number]>): Promise<void> {
    let val = this.queue.head();
    while (val) {
      if (!this.limiter.tryAccept()) break;
      const now = this.clock.now();
      if (now < val.processAtMs) break;
      const [ok, waitMs] = await fn(val);
      if (!ok) {
        val.processAtMs = now + waitMs + 1e-6; // Go adds a nanosecond
        this.queue.replace(val);
      } else this.queue.removeFromQueue(val.value);
      val = this.queue.head();
    }
  }

  add(value: string, uid: string): boolean {
    const now = this.clock.now();
    return this.queue.add({ value, uid, addedAtMs: now, processAtMs: now });
  }

  remove(value: string): boolean {
    return this.queue.remove(value);
  }

  /** A new bucket at `qps`; if the old one was empty, the new one starts drained too (burst 1). */
  // Upstream: rate_limited_queue.go (SwapLimiter)
  swapLimiter(qps: number): void {
    if (this.limiter.qps === qps) return;
    const next = new TokenBucket(qps, evictionRateLimiterBurst, this.clock);
    if (qps > 0 && !this.limiter.tryAccept()) next.tryAccept();
    this.limiter = next;
  }

  get length(): number {
    return this.queue.queue.length;
  }
}
