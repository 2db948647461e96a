/**
 * The work queue: a FIFO of items to process, a `dirty` set and a `processing` set.
 * Upstream: client-go util/workqueue/queue.go at v0.34.0 (`Typed[T]`).
 *
 * Go's `Get` blocks on a `sync.Cond`; here `get()` returns a promise. Every state change
 * happens synchronously inside the method that causes it (an `add` that finds a waiting
 * worker hands the item over at once), so the state and the trace are exact at every call
 * boundary; the worker's `await` resumes in a later microtask.
 */
import { resolveEnv, type SimEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import { Fifo } from '../core/fifo';
import { defaultInstanceName, describe } from '../core/trace';
import type { FakeClock } from '../core/clock';
import { workqueueEvents, type WorkqueueEventMap } from './events';
import { QueueMetrics } from './metrics';
import type { AddResult, GetResult, Queue, QueueConfig, QueueKind, QueueSnapshot } from './types';

// Upstream: client-go util/workqueue/queue.go (Typed)
export class TypedQueue<T> implements Queue<T> {
  readonly clock: FakeClock;
  readonly #events: EventEmitter<WorkqueueEventMap, { queue: string }>;
  readonly #metrics: QueueMetrics<T>;

  /**
   * The order in which items will be worked on. Every element of `queue` is in `dirty` and
   * not in `processing`.
   */
  readonly #queue = new Fifo<T>();
  /** Every item that needs processing. */
  readonly #dirty = new Set<T>();
  /**
   * Items being processed right now. They may also be in `dirty`; when one is marked done and
   * it is dirty, it goes back on `queue`.
   */
  readonly #processing = new Set<T>();

  /** Callers blocked in `get()`, first caller first (only while `queue` is empty). */
  readonly #getters = new Fifo<(result: GetResult<T>) => void>();
  /** Callers blocked in `shutDownWithDrain()`. */
  #drainers: Array<() => void> = [];
  #isShuttingDown = false;
  #drain = false;

  constructor(
    env: SimEnv,
    readonly name: string,
    unfinishedWorkUpdatePeriodMs = 0,
  ) {
    this.clock = env.clock;
    this.#events = new EventEmitter(workqueueEvents, env, { queue: name });
    this.#metrics = new QueueMetrics<T>(this.clock, (metric, value) => this.#events.emit('workqueue.metric', { name: metric, value }));
    if (unfinishedWorkUpdatePeriodMs > 0) this.#startUnfinishedWorkLoop(unfinishedWorkUpdatePeriodMs);
  }

  // Upstream: Typed.Add
  add(item: T): void {
    if (this.#isShuttingDown) return this.#emitAdd(item, 'ignored');
    // Upstream calls queue.Touch here when the item is not being processed.
    if (this.#dirty.has(item)) return this.#emitAdd(item, 'deduped');
    this.#dirty.add(item);
    if (this.#processing.has(item)) {
      this.#emitAdd(item, 'deferred');
      this.#metrics.add(item);
      return;
    }
    this.#queue.push(item);
    this.#emitAdd(item, 'queued');
    this.#metrics.add(item);
    this.#signal();
  }

  // Upstream: Typed.Len
  len(): number {
    return this.#queue.length;
  }

  // Upstream: Typed.Get
  get(): Promise<GetResult<T>> {
    if (this.#queue.length > 0) return Promise.resolve(this.#pop());
    // We must be shutting down.
    if (this.#isShuttingDown) return Promise.resolve({ item: undefined, shutdown: true });
    return new Promise((resolve) => {
      this.#getters.push(resolve);
      this.#events.emit('workqueue.waiters', { count: this.#getters.length });
    });
  }

  // Upstream: Typed.Done
  done(item: T): void {
    const wasProcessing = this.#processing.has(item);
    const workMs = this.#metrics.workDurationOf(item) ?? 0;
    this.#processing.delete(item);
    const requeued = this.#dirty.has(item);
    // Upstream re-queues a dirty item even when it was not being processed: a `done` without
    // a matching `get` can put an item on the queue twice (checkInvariants reports it).
    if (requeued) this.#queue.push(item);
    this.#events.emit('workqueue.done', { item: describe(item), workMs, requeued, wasProcessing, len: this.#queue.length });
    this.#metrics.done(item);
    if (requeued) this.#signal();
    if (this.#processing.size === 0) this.#releaseDrainers();
  }

  // Upstream: Typed.ShutDown
  shutDown(): void {
    this.#drain = false;
    this.#isShuttingDown = true;
    this.#events.emit('workqueue.shutDown', { drain: false });
    this.#broadcastShutdown();
    this.#releaseDrainers();
  }

  // Upstream: Typed.ShutDownWithDrain
  shutDownWithDrain(): Promise<void> {
    this.#drain = true;
    this.#isShuttingDown = true;
    this.#events.emit('workqueue.shutDown', { drain: true });
    this.#broadcastShutdown();
    // Upstream waits only while `processing` is non-empty: items still queued are not waited for.
    if (this.#processing.size === 0) {
      this.#events.emit('workqueue.drained', {});
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#drainers.push(resolve));
  }

  // Upstream: Typed.ShuttingDown
  shuttingDown(): boolean {
    return this.#isShuttingDown;
  }

  snapshot(): QueueSnapshot {
    return {
      name: this.name,
      queue: this.#queue.toArray().map(describe),
      dirty: [...this.#dirty].map(describe),
      processing: [...this.#processing].map(describe),
      waiting: [],
      requeues: {},
      lastDelayMs: {},
      waiters: this.#getters.length,
      shuttingDown: this.#isShuttingDown,
      metrics: { depth: this.#metrics.depth, adds: this.#metrics.adds, retries: 0 },
    };
  }

  /** Hands the head of the queue to the caller: the second half of Go's Get. */
  #pop(): GetResult<T> {
    const item = this.#queue.shift();
    const waitedMs = this.#metrics.latencyOf(item) ?? 0;
    this.#processing.add(item);
    this.#dirty.delete(item);
    this.#events.emit('workqueue.get', { item: describe(item), waitedMs, len: this.#queue.length });
    this.#metrics.get(item);
    return { item, shutdown: false };
  }

  /** Go's `cond.Signal()` after a push: the longest-waiting `get()` takes the head item now. */
  #signal(): void {
    if (this.#getters.length === 0 || this.#queue.length === 0) return;
    const resolve = this.#getters.shift();
    const result = this.#pop();
    this.#events.emit('workqueue.waiters', { count: this.#getters.length });
    resolve(result);
  }

  /** Go's `cond.Broadcast()` on shutdown: every waiting `get()` returns `shutdown: true`. */
  #broadcastShutdown(): void {
    if (this.#getters.length === 0) return;
    const waiting: Array<(result: GetResult<T>) => void> = [];
    while (this.#getters.length > 0) waiting.push(this.#getters.shift());
    this.#events.emit('workqueue.waiters', { count: 0 });
    for (const resolve of waiting) resolve({ item: undefined, shutdown: true });
  }

  /** Ends `shutDownWithDrain` once nothing is processing, or once `shutDown` cancels the drain. */
  #releaseDrainers(): void {
    if (this.#drainers.length === 0) return;
    if (this.#drain && this.#processing.size !== 0) return;
    const drainers = this.#drainers;
    this.#drainers = [];
    this.#events.emit('workqueue.drained', {});
    for (const resolve of drainers) resolve();
  }

  #emitAdd(item: T, result: AddResult): void {
    this.#events.emit('workqueue.add', { item: describe(item), result, len: this.#queue.length });
  }

  // Upstream: Typed.updateUnfinishedWorkLoop (a ticker that stops once shutting down)
  #startUnfinishedWorkLoop(periodMs: number): void {
    const tick = (): void => {
      if (this.#isShuttingDown) return;
      this.#metrics.updateUnfinishedWork();
      this.clock.afterFunc(periodMs, tick);
    };
    this.clock.afterFunc(periodMs, tick);
  }
}

/** The environment and name of a queue built from `cfg` (the name is decided once, by the outermost constructor). */
export function queueSetup(cfg: QueueConfig): { env: SimEnv; name: string } {
  const env = resolveEnv(cfg);
  return { env, name: cfg.name ?? defaultInstanceName(env.trace, 'queue') };
}

/** Records that a queue of `kind` was made (once per constructor call, after its layers exist). */
export function announceQueue(env: SimEnv, name: string, kind: QueueKind): void {
  new EventEmitter(workqueueEvents, env, { queue: name }).emit('workqueue.new', { kind });
}

/** A new work queue (Go: `workqueue.NewTypedWithConfig`). */
// Upstream: client-go util/workqueue/queue.go (NewTypedWithConfig)
export function newQueue<T = string>(cfg: QueueConfig = {}): Queue<T> {
  const { env, name } = queueSetup(cfg);
  announceQueue(env, name, 'queue');
  return new TypedQueue<T>(env, name, checkPeriod(cfg.unfinishedWorkUpdatePeriodMs));
}

function checkPeriod(ms: number | undefined): number {
  if (ms === undefined) return 0;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`newQueue: unfinishedWorkUpdatePeriodMs must be a finite number >= 0, got ${String(ms)}`);
  }
  return ms;
}

export { checkPeriod as unfinishedWorkPeriod };
