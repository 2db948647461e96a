/**
 * The delaying queue: a work queue plus a min-heap of items waiting for their ready time.
 * Upstream: client-go util/workqueue/delaying_queue.go at v0.34.0 (`delayingType[T]`).
 *
 * Upstream feeds `AddAfter` entries through a channel to a goroutine (`waitingLoop`) that keeps
 * the heap and sleeps on a timer for the head (plus a 10 s heartbeat). Here `addAfter` inserts
 * into the heap directly and one clock timer is kept armed for the head; when the clock reaches
 * it, every entry that is ready is added, soonest first.
 */
import type { Timer } from '../core/clock';
import { UsageError } from '../core/errors';
import { describe } from '../core/trace';
import { INF_DURATION_MS } from './default_rate_limiters';
import { TypedQueue } from './queue';
import type { AddAfterResult, DelayingQueue, QueueConfig, QueueKind, QueueSnapshot } from './types';

/** An item and the time it should be added (Go: `waitFor[T]`). */
interface WaitFor<T> {
  data: T;
  readyAtMs: number;
  /** Insertion order: breaks ties between equal ready times (first added, first ready). */
  seq: number;
  /** Position in the heap, kept up to date so an entry can be moved (Go: `index`). */
  index: number;
}

/**
 * A min-heap of `WaitFor` ordered by ready time, then insertion order; entries know their
 * index so `fix` can move one after its ready time changes.
 */
// Upstream: delaying_queue.go (waitForPriorityQueue, with container/heap's Push/Pop/Fix)
class WaitForPriorityQueue<T> {
  private readonly items: Array<WaitFor<T>> = [];

  get length(): number {
    return this.items.length;
  }

  peek(): WaitFor<T> | undefined {
    return this.items[0];
  }

  push(entry: WaitFor<T>): void {
    entry.index = this.items.length;
    this.items.push(entry);
    this.up(entry.index);
  }

  pop(): WaitFor<T> {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      last.index = 0;
      this.down(0);
    }
    top.index = -1;
    return top;
  }

  /** Restores heap order after `items[i]` changed its ready time. */
  fix(i: number): void {
    if (!this.down(i)) this.up(i);
  }

  /** Entries soonest first (a sorted copy). */
  sorted(): Array<WaitFor<T>> {
    return this.items.slice().sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
  }

  clear(): void {
    for (const entry of this.items) entry.index = -1;
    this.items.length = 0;
  }

  private up(i: number): void {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(items[i], items[parent])) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Moves `items[i]` down; returns whether it moved. */
  private down(i0: number): boolean {
    const items = this.items;
    const n = items.length;
    let i = i0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < n && less(items[l], items[min])) min = l;
      if (r < n && less(items[r], items[min])) min = r;
      if (min === i) break;
      this.swap(i, min);
      i = min;
    }
    return i > i0;
  }

  private swap(i: number, j: number): void {
    const items = this.items;
    [items[i], items[j]] = [items[j], items[i]];
    items[i].index = i;
    items[j].index = j;
  }
}

function less<T>(a: WaitFor<T>, b: WaitFor<T>): boolean {
  return a.readyAtMs < b.readyAtMs || (a.readyAtMs === b.readyAtMs && a.seq < b.seq);
}

// Upstream: client-go util/workqueue/delaying_queue.go (delayingType)
export class DelayingType<T> extends TypedQueue<T> implements DelayingQueue<T> {
  private readonly waitingForQueue = new WaitForPriorityQueue<T>();
  private readonly waitingEntryByData = new Map<T, WaitFor<T>>();
  private seq = 0;
  /** The timer armed for the heap's head, and the ready time it was armed for. */
  private nextReadyAtTimer: Timer | undefined;
  private nextReadyAtMs = 0;
  /** Upstream's `stopOnce`: ShutDown reaches the inner queue only the first time. */
  private stopped = false;

  constructor(cfg: QueueConfig = {}, kind: QueueKind = 'delaying') {
    super(cfg, kind);
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
    if (this.shuttingDown()) return this.emitAddAfter(item, delayMs, now + delayMs, 'ignored');
    // Go's times are whole nanoseconds: round so that 0.1 ms + 0.2 ms is ready at 0.3 ms.
    const readyAtMs = Math.round((now + delayMs) * 1e6) / 1e6;
    // immediately add things with no delay; a delay under half a nanosecond leaves the ready
    // time at now, and waitingLoop adds an entry whose readyAt is not after now at once.
    if (delayMs <= 0 || readyAtMs <= now) {
      this.emitAddAfter(item, delayMs, now, 'immediate');
      this.metrics.retry();
      this.add(item);
      return;
    }
    const existing = this.waitingEntryByData.get(item);
    let result: AddAfterResult;
    let effectiveMs = readyAtMs;
    if (!existing) {
      const entry: WaitFor<T> = { data: item, readyAtMs, seq: this.seq++, index: -1 };
      this.waitingForQueue.push(entry);
      this.waitingEntryByData.set(item, entry);
      result = 'waiting';
    } else if (existing.readyAtMs > readyAtMs) {
      // update the time only if it would cause the item to be queued sooner
      existing.readyAtMs = readyAtMs;
      this.waitingForQueue.fix(existing.index);
      result = 'updated';
    } else {
      effectiveMs = existing.readyAtMs;
      result = 'kept';
    }
    this.emitAddAfter(item, delayMs, effectiveMs, result);
    this.metrics.retry();
    this.armTimer();
  }

  // Upstream: delayingType.ShutDown (stopOnce: inner ShutDown, close stopCh, stop heartbeat)
  override shutDown(): void {
    if (this.stopped) return;
    this.stopped = true;
    super.shutDown();
    this.stopWaitingLoop();
  }

  /**
   * Not overridden upstream: the inner queue drains, and the waiting loop exits the next time
   * it wakes up (it checks ShuttingDown first), so waiting items are never added.
   */
  override shutDownWithDrain(): Promise<void> {
    const drained = super.shutDownWithDrain();
    this.stopWaitingLoop();
    return drained;
  }

  protected override waitingSnapshot(): QueueSnapshot['waiting'] {
    return this.waitingForQueue.sorted().map((e) => ({ item: describe(e.data), readyAtMs: e.readyAtMs }));
  }

  /** Keeps one clock timer armed for the heap's head (Go: `nextReadyAtTimer`). */
  private armTimer(): void {
    const head = this.waitingForQueue.peek();
    if (head && this.nextReadyAtTimer && this.nextReadyAtMs === head.readyAtMs) return;
    this.nextReadyAtTimer?.stop();
    this.nextReadyAtTimer = undefined;
    if (!head) return;
    const atMs = head.readyAtMs;
    this.nextReadyAtMs = atMs;
    this.nextReadyAtTimer = this.clock.afterFunc(atMs - this.clock.now(), () => {
      this.nextReadyAtTimer = undefined;
      this.addReady(atMs);
    });
  }

  // Upstream: delayingType.waitingLoop ("Add ready entries")
  private addReady(firedForMs: number): void {
    if (this.shuttingDown()) return;
    // The timer fires at (now + (atMs - now)), which floating point may round just below atMs.
    const nowMs = Math.max(this.clock.now(), firedForMs);
    for (;;) {
      const head = this.waitingForQueue.peek();
      if (!head || head.readyAtMs > nowMs) break;
      const entry = this.waitingForQueue.pop();
      this.waitingEntryByData.delete(entry.data);
      this.emit('workqueue.ready', { item: describe(entry.data), readyAtMs: entry.readyAtMs });
      this.add(entry.data);
    }
    this.armTimer();
  }

  private stopWaitingLoop(): void {
    this.nextReadyAtTimer?.stop();
    this.nextReadyAtTimer = undefined;
    this.waitingForQueue.clear();
    this.waitingEntryByData.clear();
  }

  private emitAddAfter(item: T, delayMs: number, readyAtMs: number, result: AddAfterResult): void {
    this.emit('workqueue.addAfter', { item: describe(item), delayMs, readyAtMs, result });
  }
}

/** A new delaying queue (Go: `workqueue.NewTypedDelayingQueueWithConfig`). */
// Upstream: client-go util/workqueue/delaying_queue.go (NewTypedDelayingQueueWithConfig)
export function newDelayingQueue<T = string>(cfg: QueueConfig = {}): DelayingQueue<T> {
  return new DelayingType<T>(cfg);
}
