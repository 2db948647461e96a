/**
 * Shared types of the workqueue model: the interfaces that compose like client-go's
 * (`Queue` ⊂ `DelayingQueue` ⊂ `RateLimitingQueue`, policy behind `RateLimiter`), the queue
 * configuration, and the snapshot shape that both a live queue and the trace replay produce.
 * Upstream: client-go util/workqueue (queue.go, delaying_queue.go, rate_limiting_queue.go,
 * default_rate_limiters.go) at v0.34.0.
 */
import type { FakeClock } from '../core/clock';
import type { SimEnv } from '../core/env';
import type { TraceRecorder } from '../core/trace';

/**
 * What `get()` resolves to. `shutdown: true` means the queue is shutting down and empty: the
 * worker should stop (Go: `item, shutdown := q.Get()`; `item` is then the zero value).
 */
export type GetResult<T> = { item: T; shutdown: false } | { item: undefined; shutdown: true };

/** Options shared by every queue constructor (Go: `TypedQueueConfig`, `TypedDelayingQueueConfig`). */
export interface QueueConfig {
  /**
   * The environment (clock, trace, logger); `clock` and `trace` below override its parts.
   * Omitted: see `clock` and `trace`.
   */
  env?: SimEnv;
  /**
   * The virtual clock. Omitted: the queue makes its own `new FakeClock()`, which only moves when
   * someone steps `queue.clock` — so `addAfter` delays never elapse on their own.
   */
  clock?: FakeClock;
  /**
   * The queue's name in trace events (Go: `Name`, which also labels metrics). Omitted: `queue`
   * for the first unnamed queue recording to a trace, then `queue-2`, `queue-3`, … (counted
   * per trace recorder, so a run always names its queues the same way).
   */
  name?: string;
  /** Where events go. Omitted: `env.trace`, or without `env` the ambient trace (`activeTrace()`, which the lab runtime installs) at construction. */
  trace?: TraceRecorder;
  /**
   * Period of the `unfinished_work` / `longest_running_processor` metric updates (Go:
   * `defaultUnfinishedWorkUpdatePeriod`, 500 ms, a ticker started with metrics). Omitted or 0:
   * off, so an idle queue leaves no timer pending on the clock.
   */
  unfinishedWorkUpdatePeriodMs?: number;
}

/** Options of `newDelayingQueue` (Go: `TypedDelayingQueueConfig[T]`). */
export interface DelayingQueueConfig<T> extends QueueConfig {
  /**
   * The queue to add ready items to (Go: `Queue`, "optionally allows injecting custom queue
   * Interface instead of the default one"). Omitted: `newQueue` with this config's name, clock
   * and trace.
   */
  queue?: Queue<T>;
}

/** Options of `newRateLimitingQueue` (Go: `TypedRateLimitingQueueConfig[T]`). */
export interface RateLimitingQueueConfig<T> extends QueueConfig {
  /** The delaying queue to wrap (Go: `DelayingQueue`). Omitted: `newDelayingQueue` with this config. */
  delayingQueue?: DelayingQueue<T>;
}

/**
 * A work queue (Go: `TypedInterface[T]`): fair (FIFO), stingy (an item added many times before
 * it is processed is processed once), safe for many producers and consumers (an item is never
 * processed by two workers at once), with shutdown notifications.
 */
export interface Queue<T> {
  /** The queue's name in trace events. */
  readonly name: string;
  /** The clock this queue reads (shared with its delaying and rate-limiting layers). */
  readonly clock: FakeClock;
  /** Marks `item` as needing processing. Ignored once shutting down. */
  add(item: T): void;
  /** Number of items waiting to be handed out (not those being processed). */
  len(): number;
  /**
   * Resolves with the next item once there is one, in FIFO order; callers waiting at the same
   * time are served in the order they called. Resolves `{ shutdown: true }` once the queue is
   * shutting down and empty. The caller must call `done(item)` when finished.
   */
  get(): Promise<GetResult<T>>;
  /** Marks `item` as finished; if it was added again meanwhile, it goes back on the queue. */
  done(item: T): void;
  /** Ignores new items from now on and releases every waiting `get()` with `shutdown: true`. */
  shutDown(): void;
  /**
   * Like `shutDown`, but the returned promise resolves only once every item being processed has
   * been marked `done` (or `shutDown()` forces an end). Items still queued are not waited for.
   */
  shutDownWithDrain(): Promise<void>;
  /** True once `shutDown` or `shutDownWithDrain` was called. */
  shuttingDown(): boolean;
  /** The queue's state as plain strings (the same shape `replayWorkqueue` rebuilds). */
  snapshot(): QueueSnapshot;
}

/** A queue that can add an item later (Go: `TypedDelayingInterface[T]`). */
export interface DelayingQueue<T> extends Queue<T> {
  /**
   * Adds `item` once `delayMs` of virtual time has passed; `delayMs <= 0` (or under half a
   * nanosecond) adds it now. If the item is already waiting, the earlier of the two ready times
   * wins. Delays beyond `time.Duration`'s range (~292 years) are clamped to it.
   */
  addAfter(item: T, delayMs: number): void;
}

/** A delaying queue whose delays come from a rate limiter (Go: `TypedRateLimitingInterface[T]`). */
export interface RateLimitingQueue<T> extends DelayingQueue<T> {
  /** `addAfter(item, rateLimiter.when(item))`. */
  addRateLimited(item: T): void;
  /** Stops tracking `item` in the rate limiter (its backoff resets). Still call `done`. */
  forget(item: T): void;
  /** How many times the rate limiter has seen `item` fail. */
  numRequeues(item: T): number;
}

/** Decides how long an item waits before it is retried (Go: `TypedRateLimiter[T]`). */
export interface RateLimiter<T = unknown> {
  /** The delay in ms before `item` may be processed again; counts a failure of `item`. */
  when(item: T): number;
  /** Stops tracking `item`: its failures reset (for success or for giving up). */
  forget(item: T): void;
  /** How many failures `item` has had. */
  numRequeues(item: T): number;
  /**
   * Lets a limiter created without a clock (the token bucket in `defaultControllerRateLimiter()`)
   * adopt the clock of the queue it is given to. Not in upstream, where a real clock is global.
   */
  bindClock?(clock: FakeClock): void;
}

/** One queue's state as plain data: what a visualization draws at one point of the trace. */
export interface QueueSnapshot {
  name: string;
  /** FIFO order, head first. */
  queue: string[];
  /** Items that need processing (insertion order). */
  dirty: string[];
  /** Items handed out by `get()` and not yet `done` (insertion order). */
  processing: string[];
  /** Items waiting for `addAfter`'s delay, soonest first. */
  waiting: Array<{ item: string; readyAtMs: number }>;
  /** numRequeues per item, as last reported by `addRateLimited` (removed by `forget`). */
  requeues: Record<string, number>;
  /** Last backoff chosen per item by `addRateLimited` (removed by `forget`). */
  lastDelayMs: Record<string, number>;
  /** Callers blocked in `get()`. */
  waiters: number;
  shuttingDown: boolean;
  metrics: { depth: number; adds: number; retries: number };
}

/** Every queue's state at one point of a trace. */
export interface WorkqueueSnapshot {
  /** Virtual time of the last event applied (0 before any). */
  t: number;
  /** Queues in the order they first appear in the trace. */
  queues: QueueSnapshot[];
}

/** Which constructor made a queue (field `kind` of `workqueue.new`). */
export type QueueKind = 'queue' | 'delaying' | 'rateLimiting';

/** Outcome of `add` (field `result` of `workqueue.add`). */
export type AddResult =
  /** appended to the queue */
  | 'queued'
  /** already dirty (queued, or being processed and already deferred): nothing changes (Go
   * returns early, calling the storage's `Touch` only when the item is not being processed) */
  | 'deduped'
  /** being processed: marked dirty, returns to the queue on `done` */
  | 'deferred'
  /** the queue is shutting down */
  | 'ignored';

/** Outcome of `addAfter` (field `result` of `workqueue.addAfter`). */
export type AddAfterResult =
  /** delay <= 0, or under half a nanosecond: added now (a `workqueue.add` follows) */
  | 'immediate'
  /** a new entry in the waiting heap */
  | 'waiting'
  /** already waiting with a later ready time: moved earlier */
  | 'updated'
  /** already waiting with an earlier (or equal) ready time: unchanged */
  | 'kept'
  /** the queue is shutting down */
  | 'ignored';

/**
 * Names of the metric events: the Prometheus names that component-base's workqueue provider
 * registers (`workqueue_depth`, `_adds_total`, `_queue_duration_seconds`,
 * `_work_duration_seconds`, `_retries_total`, `_unfinished_work_seconds`,
 * `_longest_running_processor_seconds`) without the prefix and the `_total` / `_seconds`
 * suffixes. Durations in ms.
 */
export type MetricName =
  | 'depth'
  | 'adds'
  | 'queue_duration'
  | 'work_duration'
  | 'retries'
  | 'unfinished_work'
  | 'longest_running_processor';
