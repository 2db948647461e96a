/**
 * The rate-limiting queue: a delaying queue whose delays come from a `RateLimiter`.
 * Upstream: client-go util/workqueue/rate_limiting_queue.go at v0.34.0 (`rateLimitingType[T]`).
 * Remember to call `forget` once an item succeeds, or its failures are tracked forever.
 */
import { describe } from '../core/trace';
import { DelayingType } from './delaying_queue';
import type { QueueConfig, RateLimiter, RateLimitingQueue } from './types';

// Upstream: client-go util/workqueue/rate_limiting_queue.go (rateLimitingType)
export class RateLimitingType<T> extends DelayingType<T> implements RateLimitingQueue<T> {
  constructor(
    private readonly rateLimiter: RateLimiter<T>,
    cfg: QueueConfig = {},
  ) {
    super(cfg, 'rateLimiting');
    rateLimiter.bindClock?.(this.clock);
  }

  // Upstream: rateLimitingType.AddRateLimited
  addRateLimited(item: T): void {
    const delayMs = this.rateLimiter.when(item);
    const requeues = this.rateLimiter.numRequeues(item);
    this.requeueSeen.set(item, requeues);
    this.lastDelaySeen.set(item, delayMs);
    this.emit('workqueue.addRateLimited', { item: describe(item), delayMs, requeues });
    this.addAfter(item, delayMs);
  }

  // Upstream: rateLimitingType.NumRequeues
  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  // Upstream: rateLimitingType.Forget
  forget(item: T): void {
    this.rateLimiter.forget(item);
    this.requeueSeen.delete(item);
    this.lastDelaySeen.delete(item);
    this.emit('workqueue.forget', { item: describe(item) });
  }
}

/**
 * A new rate-limiting queue (Go: `workqueue.NewTypedRateLimitingQueueWithConfig`). A limiter
 * made without a clock (e.g. `defaultControllerRateLimiter()`) adopts this queue's clock.
 */
// Upstream: client-go util/workqueue/rate_limiting_queue.go (NewTypedRateLimitingQueueWithConfig)
export function newRateLimitingQueue<T = string>(rateLimiter: RateLimiter<T>, cfg: QueueConfig = {}): RateLimitingQueue<T> {
  return new RateLimitingType<T>(rateLimiter, cfg);
}
