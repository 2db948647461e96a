/**
 * The rate-limiting queue: a delaying queue wrapped so its delays come from a `RateLimiter`.
 * Upstream: client-go util/workqueue/rate_limiting_queue.go at v0.34.0 (`rateLimitingType[T]`,
 * which embeds a `TypedDelayingInterface[T]`).
 * Remember to call `forget` once an item succeeds, or its failures are tracked forever.
 */
import type { FakeClock } from '../core/clock';
import type { SimEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import { describe } from '../core/trace';
import { delayingOver } from './delaying_queue';
import { workqueueEvents, type WorkqueueEventMap } from './events';
import { announceQueue, queueSetup } from './queue';
import type { DelayingQueue, GetResult, QueueSnapshot, RateLimiter, RateLimitingQueue, RateLimitingQueueConfig } from './types';

// Upstream: client-go util/workqueue/rate_limiting_queue.go (rateLimitingType)
export class RateLimitingType<T> implements RateLimitingQueue<T> {
  readonly clock: FakeClock;
  readonly #events: EventEmitter<WorkqueueEventMap, { queue: string }>;
  /** Last `numRequeues` and backoff reported per item by `addRateLimited` (for snapshots). */
  readonly #requeueSeen = new Map<T, number>();
  readonly #lastDelaySeen = new Map<T, number>();

  /** The embedded `TypedDelayingInterface[T]`. */
  readonly #queue: DelayingQueue<T>;
  readonly #rateLimiter: RateLimiter<T>;

  constructor(queue: DelayingQueue<T>, rateLimiter: RateLimiter<T>, env: SimEnv, readonly name: string) {
    this.#queue = queue;
    this.#rateLimiter = rateLimiter;
    this.clock = env.clock;
    this.#events = new EventEmitter(workqueueEvents, env, { queue: name });
  }

  // The embedded TypedDelayingInterface[T].
  add(item: T): void {
    this.#queue.add(item);
  }
  len(): number {
    return this.#queue.len();
  }
  get(): Promise<GetResult<T>> {
    return this.#queue.get();
  }
  done(item: T): void {
    this.#queue.done(item);
  }
  shutDown(): void {
    this.#queue.shutDown();
  }
  shutDownWithDrain(): Promise<void> {
    return this.#queue.shutDownWithDrain();
  }
  shuttingDown(): boolean {
    return this.#queue.shuttingDown();
  }
  addAfter(item: T, delayMs: number): void {
    this.#queue.addAfter(item, delayMs);
  }

  // Upstream: rateLimitingType.AddRateLimited
  addRateLimited(item: T): void {
    const delayMs = this.#rateLimiter.when(item);
    const requeues = this.#rateLimiter.numRequeues(item);
    this.#requeueSeen.set(item, requeues);
    this.#lastDelaySeen.set(item, delayMs);
    this.#events.emit('workqueue.addRateLimited', { item: describe(item), delayMs, requeues });
    this.#queue.addAfter(item, delayMs);
  }

  // Upstream: rateLimitingType.NumRequeues
  numRequeues(item: T): number {
    return this.#rateLimiter.numRequeues(item);
  }

  // Upstream: rateLimitingType.Forget
  forget(item: T): void {
    this.#rateLimiter.forget(item);
    this.#requeueSeen.delete(item);
    this.#lastDelaySeen.delete(item);
    this.#events.emit('workqueue.forget', { item: describe(item) });
  }

  snapshot(): QueueSnapshot {
    return { ...this.#queue.snapshot(), requeues: toRecord(this.#requeueSeen), lastDelayMs: toRecord(this.#lastDelaySeen) };
  }
}

function toRecord<T>(map: Map<T, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [item, value] of map) out[describe(item)] = value;
  return out;
}

/**
 * A rate-limiting queue over `cfg.delayingQueue`, or over a new delaying queue (Go:
 * `workqueue.NewTypedRateLimitingQueueWithConfig`). A limiter made without a clock (e.g.
 * `defaultControllerRateLimiter()`) adopts this queue's clock.
 */
// Upstream: client-go util/workqueue/rate_limiting_queue.go (NewTypedRateLimitingQueueWithConfig)
export function newRateLimitingQueue<T = string>(rateLimiter: RateLimiter<T>, cfg: RateLimitingQueueConfig<T> = {}): RateLimitingQueue<T> {
  const { env, name } = queueSetup(cfg);
  announceQueue(env, name, 'rateLimiting');
  const delaying = cfg.delayingQueue ?? delayingOver<T>(cfg, env, name);
  rateLimiter.bindClock?.(delaying.clock);
  return new RateLimitingType<T>(delaying, rateLimiter, env, name);
}
