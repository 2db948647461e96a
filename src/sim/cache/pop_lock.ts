/**
 * What a queue's lock becomes when `Pop` is a promise: the waiting pops, served one at a time in
 * the order they were called, and the one pop whose `process` is running. Shared by the DeltaFIFO
 * and the RealFIFO, whose `Pop` both wait on `f.cond` for an item (or for `Close`) and then call
 * `process` with `f.lock` held. Upstream: client-go tools/cache/delta_fifo.go (DeltaFIFO.Pop) and
 * the_real_fifo.go (RealFIFO.Pop) at v0.34.0.
 *
 * The queue keeps its items and its trace; this keeps the poppers. Every state change happens
 * synchronously inside the call that causes it: a producer call that finds a waiting pop hands it
 * the head item and calls `process` at once (after the whole call, as Go's `cond.Broadcast()`
 * wakes waiters only once the producer unlocks), and a pop's promise settles in a later microtask.
 */
import { Fifo } from '../core/fifo';
import { ErrFIFOClosed, type Deltas, type PopProcessFunc } from './delta_fifo_types';

/**
 * What the informer that owns a queue learns synchronously (not part of the public API): that a
 * `replace` has finished (an empty first list syncs the queue without any pop), and that a pop's
 * `process` has returned, the moment `hasSynced` may turn true.
 */
export interface QueueObserver {
  afterReplace?(): void;
  afterPop?(): void;
}

/** What a pop took off the queue. */
export interface PoppedItem<T> {
  /** The key of the item (for the trace and `processingKey`). */
  key: string;
  /** What `process` is given and the pop resolves with. */
  deltas: Deltas<T>;
  isInInitialList: boolean;
}

/** The queue's side of the lock. */
export interface PopQueue<T> {
  /** Whether an item is queued. */
  hasItems(): boolean;
  /** Whether `close` was called. */
  isClosed(): boolean;
  /** Takes the head item off the queue and records the pop (`waiters`: pops still waiting after this one). */
  take(waiters: number): PoppedItem<T>;
  /** A pop could not be served yet and waits (`waiters`: how many wait now). */
  waiting(waiters: number): void;
  /** The queue is closed and empty: `rejected` waiting pops reject with ErrFIFOClosed. */
  rejectingAll(rejected: number): void;
  /**
   * `process` returned (`failed: false`) or threw / rejected: the lock is free again, and nothing
   * is processing any more when this is called.
   */
  processed(key: string, failed: boolean, err: unknown): void;
}

interface Popper<T> {
  process: PopProcessFunc<T>;
  resolve: (deltas: Deltas<T>) => void;
  reject: (err: unknown) => void;
}

export class PopLock<T> {
  readonly #queue: PopQueue<T>;
  /** Pops not yet served, first caller first. */
  readonly #poppers = new Fifo<Popper<T>>();
  /** The item a pop's `process` is working on (Go: that pop still holds the lock). */
  #processing: { key: string; initial: boolean } | undefined;

  constructor(queue: PopQueue<T>) {
    this.#queue = queue;
  }

  /** Pops waiting for an item (or for the pop ahead of them to finish processing). */
  get waiters(): number {
    return this.#poppers.length;
  }

  /** The key whose `process` is running, if any. */
  get processingKey(): string | undefined {
    return this.#processing?.key;
  }

  /** Whether `process` is running for an item of the initial list (HasSynced must wait for it). */
  get processingInitial(): boolean {
    return this.#processing?.initial ?? false;
  }

  /**
   * Waits until an item is queued, takes it, calls `process` and resolves with what `process` was
   * given once it has finished; rejects with `process`'s error, or with ErrFIFOClosed once the
   * queue is closed and empty.
   */
  pop(process: PopProcessFunc<T>): Promise<Deltas<T>> {
    return new Promise<Deltas<T>>((resolve, reject) => {
      this.#poppers.push({ process, resolve, reject });
      this.dispatch();
      if (this.#poppers.length > 0) this.#queue.waiting(this.#poppers.length);
    });
  }

  /**
   * Serves waiting pops, first caller first, while no pop is processing: the head item goes to
   * the next pop, or, once the queue is closed and empty, every waiting pop rejects. The second
   * half of Go's Pop, after its `cond.Wait` loop. Queues call it after every producer call.
   */
  dispatch(): void {
    while (this.#processing === undefined && this.#poppers.length > 0) {
      if (this.#queue.hasItems()) {
        this.#serve(this.#poppers.shift());
        continue;
      }
      if (this.#queue.isClosed()) {
        const rejected: Array<Popper<T>> = [];
        while (this.#poppers.length > 0) rejected.push(this.#poppers.shift());
        this.#queue.rejectingAll(rejected.length);
        for (const p of rejected) p.reject(ErrFIFOClosed);
      }
      return;
    }
  }

  #serve(popper: Popper<T>): void {
    const item = this.#queue.take(this.#poppers.length);
    this.#processing = { key: item.key, initial: item.isInInitialList };
    let outcome: void | Promise<void>;
    try {
      outcome = popper.process(item.deltas, item.isInInitialList);
    } catch (err) {
      this.#finish(popper, item, err, true);
      return;
    }
    if (isPromiseLike(outcome)) {
      outcome.then(
        () => {
          this.#finish(popper, item, undefined, false);
          this.dispatch();
        },
        (err: unknown) => {
          this.#finish(popper, item, err, true);
          this.dispatch();
        },
      );
      return;
    }
    this.#finish(popper, item, undefined, false);
  }

  /** Ends a pop: its `process` returned (or failed), so the next pop may go (Go: Unlock). */
  #finish(popper: Popper<T>, item: PoppedItem<T>, err: unknown, failed: boolean): void {
    this.#processing = undefined;
    this.#queue.processed(item.key, failed, err);
    // As at v1.34, a failed process does not put the item back: it is handed to the caller
    // together with the error (here: the rejection), and the queue moves on.
    if (failed) popper.reject(err);
    else popper.resolve(item.deltas);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<void> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
