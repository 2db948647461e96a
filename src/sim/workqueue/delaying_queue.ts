/**
 * The delaying queue: a work queue wrapped with a min-heap of items waiting for their ready time.
 * Upstream: client-go util/workqueue/delaying_queue.go at v0.34.0 (`delayingType[T]`, which
 * embeds the `TypedInterface[T]` it adds ready items to).
 *
 * Upstream feeds `AddAfter` entries through a channel to a goroutine (`waitingLoop`) that keeps
 * the heap and sleeps on a timer for the head (plus a 10 s heartbeat). Here `addAfter` inserts
 * into the heap directly and one clock timer is kept armed for the head; when the clock reaches
 * it, every entry that is ready is added, soonest first.
 */
import type { FakeClock, Timer } from '../core/clock';
import type { SimEnv } from '../core/env';
import { UsageError } from '../core/errors';
import { EventEmitter } from '../core/events';
import { MinHeap } from '../core/heap';
import { describe } from '../core/trace';
import { INF_DURATION_MS } from './default_rate_limiters';
import { workqueueEvents, type WorkqueueEventMap } from './events';
import { RetryMetrics } from './metrics';
import { TypedQueue, announceQueue, queueSetup, unfinishedWorkPeriod } from './queue';
import type { AddAfterResult, DelayingQueue, DelayingQueueConfig, GetResult, Queue, QueueSnapshot } from './types';

/** An item and the time it should be added (Go: `waitFor[T]`). */
interface WaitFor<T> {
  data: T;
  readyAtMs: number;
  /** Insertion order: breaks ties between equal ready times (first added, first ready). */
  seq: number;
}

// Upstream: delaying_queue.go (waitForPriorityQueue: ordered by readyAt)
const readyFirst = <T>(a: WaitFor<T>, b: WaitFor<T>) => a.readyAtMs < b.readyAtMs || (a.readyAtMs === b.readyAtMs && a.seq < b.seq);

// Upstream: client-go util/workqueue/delaying_queue.go (delayingType)
export class DelayingType<T> implements DelayingQueue<T> {
  readonly clock: FakeClock;
  readonly #events: EventEmitter<WorkqueueEventMap, { queue: string }>;
  readonly #metrics: RetryMetrics;
  // Upstream: waitingLoop's local waitingForQueue and waitingEntryByData
  readonly #waitingForQueue = new MinHeap<WaitFor<T>>(readyFirst, { indexed: true });
  readonly #waitingEntryByData = new Map<T, WaitFor<T>>();
  #seq = 0;
  /** The timer armed for the heap's head, and the ready time it was armed for. */
  #nextReadyAtTimer: Timer | undefined;
  #nextReadyAtMs = 0;
  /** Upstream's `stopOnce`: ShutDown reaches the inner queue only the first time. */
  #stopped = false;

  /** The queue ready items are added to (Go: the embedded `TypedInterface[T]`). */
  readonly #queue: Queue<T>;

  constructor(queue: Queue<T>, env: SimEnv, readonly name: string) {
    this.#queue = queue;
    this.clock = env.clock;
    this.#events = new EventEmitter(workqueueEvents, env, { queue: name });
    this.#metrics = new RetryMetrics((metric, value) => this.#events.emit('workqueue.metric', { name: metric, value }));
  }

  // The embedded TypedInterface[T]: these go to the wrapped queue as they are.
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
  shuttingDown(): boolean {
    return this.#queue.shuttingDown();
  }

  // Upstream: delayingType.AddAfter
  addAfter(item: T, delayMs: number): void {
    if (typeof delayMs !== 'number' || Number.isNaN(delayMs)) {
      throw new UsageError(`addAfter: delayMs must be a number of milliseconds, got ${String(delayMs)}`);
    }
    // A time.Duration holds at most ±(2^63-1) ns (~292 years): clamp, so ready times stay finite.
    if (delayMs > INF_DURATION_MS) delayMs = INF_DURATION_MS;
    else if (delayMs < -INF_DURATION_MS) delayMs = -INF_DURATION_MS;
    const now = this.clock.now();
    // don't add if we're already shutting down
    if (this.shuttingDown()) return this.#emitAddAfter(item, delayMs, now + delayMs, 'ignored');
    // Go's times are whole nanoseconds: round so that 0.1 ms + 0.2 ms is ready at 0.3 ms.
    const readyAtMs = Math.round((now + delayMs) * 1e6) / 1e6;
    // immediately add things with no delay; a delay under half a nanosecond leaves the ready
    // time at now, and waitingLoop adds an entry whose readyAt is not after now at once.
    if (delayMs <= 0 || readyAtMs <= now) {
      this.#emitAddAfter(item, delayMs, now, 'immediate');
      this.#metrics.retry();
      this.#queue.add(item);
      return;
    }
    const existing = this.#waitingEntryByData.get(item);
    let result: AddAfterResult;
    let effectiveMs = readyAtMs;
    if (!existing) {
      const entry: WaitFor<T> = { data: item, readyAtMs, seq: this.#seq++ };
      this.#waitingForQueue.push(entry);
      this.#waitingEntryByData.set(item, entry);
      result = 'waiting';
    } else if (existing.readyAtMs > readyAtMs) {
      // update the time only if it would cause the item to be queued sooner
      existing.readyAtMs = readyAtMs;
      this.#waitingForQueue.fix(existing);
      result = 'updated';
    } else {
      effectiveMs = existing.readyAtMs;
      result = 'kept';
    }
    this.#emitAddAfter(item, delayMs, effectiveMs, result);
    this.#metrics.retry();
    this.#armTimer();
  }

  // Upstream: delayingType.ShutDown (stopOnce: inner ShutDown, close stopCh, stop heartbeat)
  shutDown(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#queue.shutDown();
    this.#stopWaitingLoop();
  }

  /**
   * Not overridden upstream: the inner queue drains, and the waiting loop exits the next time
   * it wakes up (it checks ShuttingDown first), so waiting items are never added.
   */
  shutDownWithDrain(): Promise<void> {
    const drained = this.#queue.shutDownWithDrain();
    this.#stopWaitingLoop();
    return drained;
  }

  snapshot(): QueueSnapshot {
    const inner = this.#queue.snapshot();
    return {
      ...inner,
      waiting: this.#waitingForQueue.sorted().map((e) => ({ item: describe(e.data), readyAtMs: e.readyAtMs })),
      metrics: { ...inner.metrics, retries: this.#metrics.retries },
    };
  }

  /** Keeps one clock timer armed for the heap's head (Go: `nextReadyAtTimer`). */
  #armTimer(): void {
    const head = this.#waitingForQueue.peek();
    if (head && this.#nextReadyAtTimer && this.#nextReadyAtMs === head.readyAtMs) return;
    this.#nextReadyAtTimer?.stop();
    this.#nextReadyAtTimer = undefined;
    if (!head) return;
    const atMs = head.readyAtMs;
    this.#nextReadyAtMs = atMs;
    this.#nextReadyAtTimer = this.clock.afterAt(atMs, () => {
      this.#nextReadyAtTimer = undefined;
      this.#addReady();
    });
  }

  // Upstream: delayingType.waitingLoop ("Add ready entries")
  #addReady(): void {
    if (this.shuttingDown()) return;
    const nowMs = this.clock.now();
    for (;;) {
      const head = this.#waitingForQueue.peek();
      if (!head || head.readyAtMs > nowMs) break;
      const entry = this.#waitingForQueue.pop()!;
      this.#waitingEntryByData.delete(entry.data);
      this.#events.emit('workqueue.ready', { item: describe(entry.data), readyAtMs: entry.readyAtMs });
      this.#queue.add(entry.data);
    }
    this.#armTimer();
  }

  #stopWaitingLoop(): void {
    this.#nextReadyAtTimer?.stop();
    this.#nextReadyAtTimer = undefined;
    this.#waitingForQueue.clear();
    this.#waitingEntryByData.clear();
  }

  #emitAddAfter(item: T, delayMs: number, readyAtMs: number, result: AddAfterResult): void {
    this.#events.emit('workqueue.addAfter', { item: describe(item), delayMs, readyAtMs, result });
  }
}

/** A delaying queue over `cfg.queue`, or over a new queue (Go: `NewTypedDelayingQueueWithConfig`). */
// Upstream: client-go util/workqueue/delaying_queue.go (NewTypedDelayingQueueWithConfig)
export function newDelayingQueue<T = string>(cfg: DelayingQueueConfig<T> = {}): DelayingQueue<T> {
  const { env, name } = queueSetup(cfg);
  announceQueue(env, name, 'delaying');
  return delayingOver(cfg, env, name);
}

/** The delaying layer for a config whose env and name are decided (shared with the rate-limiting queue). */
export function delayingOver<T>(cfg: DelayingQueueConfig<T>, env: SimEnv, name: string): DelayingType<T> {
  const inner = cfg.queue ?? new TypedQueue<T>(env, name, unfinishedWorkPeriod(cfg.unfinishedWorkUpdatePeriodMs));
  return new DelayingType<T>(inner, env, name);
}
