/**
 * The two watch.Interface implementations the reflector's tests and the fake source need, after
 * apimachinery pkg/watch at v0.34.0: `FakeWatcher` (watch.go), which a test feeds by hand, and
 * `Broadcaster` (mux.go), which fans every event out to all of its watchers.
 *
 * Go's watch is a channel; here `next()` resolves with the next event, or `undefined` once the
 * channel is closed and drained (see WatchInterface in listwatch.ts). Sends never block: each
 * watcher buffers without limit, where Go's channels have a capacity and block the sender.
 */
import { UsageError } from '../core/errors';
import { Fifo } from '../core/fifo';
import type { KubeObject } from '../core/object';
import type { Status, WatchEvent, WatchEventType, WatchInterface } from './listwatch';

/**
 * The receiving end of one watch: a queue of events and the promises of callers waiting in
 * `next()`. Closing keeps what is queued (a closed Go channel still yields its buffered values)
 * and then answers `undefined`. Invariant: callers wait only while the queue is empty.
 */
class ResultChannel<T extends KubeObject> {
  readonly #queue = new Fifo<WatchEvent<T>>();
  readonly #waiting = new Fifo<(event: WatchEvent<T> | undefined) => void>();
  #isClosed = false;

  get closed(): boolean {
    return this.#isClosed;
  }

  /** Events sent and not yet received. */
  get length(): number {
    return this.#queue.length;
  }

  /** Go: `ch <- event`. Sending on a closed channel is a panic in Go, a UsageError here. */
  send(event: WatchEvent<T>): void {
    if (this.#isClosed) throw new UsageError('send on closed channel');
    if (this.#waiting.length > 0) this.#waiting.shift()(event);
    else this.#queue.push(event);
  }

  /** Go: `event, ok := <-ch`. */
  receive(): Promise<WatchEvent<T> | undefined> {
    if (this.#queue.length > 0) return Promise.resolve(this.#queue.shift());
    if (this.#isClosed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Go: `close(ch)`. Closing twice is a panic in Go; here the second close does nothing. */
  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    while (this.#waiting.length > 0) this.#waiting.shift()(undefined);
  }
}

/**
 * A watch a test drives by hand (Go: `watch.FakeWatcher`). Every send goes to the consumer in
 * order; `stop()` closes the result channel, and a send after that throws, as Go panics with
 * "send on closed channel". Go's channel is unbuffered, so `Add` waits for the consumer; here a
 * send returns at once and the event waits in the watcher.
 */
// Upstream: apimachinery pkg/watch/watch.go (FakeWatcher)
export class FakeWatcher<T extends KubeObject = KubeObject> implements WatchInterface<T> {
  #result = new ResultChannel<T>();
  #stopped = false;

  // Upstream: FakeWatcher.Stop
  stop(): void {
    if (this.#stopped) return;
    this.#result.close();
    this.#stopped = true;
  }

  // Upstream: FakeWatcher.IsStopped
  isStopped(): boolean {
    return this.#stopped;
  }

  /** Prepares the watcher to be used again (Go: `Reset`). */
  reset(): void {
    this.#stopped = false;
    this.#result = new ResultChannel<T>();
  }

  next(): Promise<WatchEvent<T> | undefined> {
    return this.#result.receive();
  }

  /** Events sent and not yet received by the consumer. */
  pending(): number {
    return this.#result.length;
  }

  add(obj: T): void {
    this.action('ADDED', obj);
  }

  modify(obj: T): void {
    this.action('MODIFIED', obj);
  }

  delete(lastValue: T): void {
    this.action('DELETED', lastValue);
  }

  /** Sends an ERROR event; `errValue` is normally a Status (Go accepts any object). */
  error(errValue: Status | KubeObject): void {
    this.#result.send({ type: 'ERROR', object: errValue } as WatchEvent<T>);
  }

  /** Sends an event of the requested type, for table-based testing. */
  action(type: WatchEventType, obj: T | Status): void {
    this.#result.send({ type, object: obj } as WatchEvent<T>);
  }
}

/** A new FakeWatcher (Go: `watch.NewFake()`). */
export function newFakeWatcher<T extends KubeObject = KubeObject>(): FakeWatcher<T> {
  return new FakeWatcher<T>();
}

/** A watch that returns no results and is already closed (Go: `watch.NewEmptyWatch()`). */
export function newEmptyWatch<T extends KubeObject = KubeObject>(): WatchInterface<T> {
  return { next: () => Promise.resolve(undefined), stop: () => {} };
}

/**
 * What the Broadcaster (and the fake source, which ends a watch from the server side) do to a
 * watcher; not methods of it, so code handed a watch cannot send into it or close it as the
 * server would. Set once, by BroadcasterWatcher's static block.
 */
let sendTo: <T extends KubeObject>(w: BroadcasterWatcher<T>, event: WatchEvent<T>) => void;
let closeResultOf: (w: BroadcasterWatcher<KubeObject>) => void;
let onCloseOf: (w: BroadcasterWatcher<KubeObject>, fn: (() => void) | undefined) => void;

/** @internal The broadcaster's `w.result <- event`. */
export function watcherSend<T extends KubeObject>(w: BroadcasterWatcher<T>, event: WatchEvent<T>): void {
  sendTo(w, event);
}

/** @internal Calls `fn` once when the watcher's result channel closes, whoever closes it. */
export function setWatcherOnClose<T extends KubeObject>(w: BroadcasterWatcher<T>, fn: (() => void) | undefined): void {
  onCloseOf(w as unknown as BroadcasterWatcher<KubeObject>, fn);
}

/**
 * One watcher of a Broadcaster (Go: `broadcasterWatcher`). `stop()` removes it from its
 * broadcaster and closes its result channel; events already queued stay readable.
 */
// Upstream: apimachinery pkg/watch/mux.go (broadcasterWatcher)
export class BroadcasterWatcher<T extends KubeObject = KubeObject> implements WatchInterface<T> {
  static {
    sendTo = (w, event) => w.#result.send(event);
    closeResultOf = (w) => w.#closeResult();
    onCloseOf = (w, fn) => {
      w.#onClose = fn;
    };
  }

  readonly #id: number;
  /** The channel the broadcaster sends into. */
  readonly #result = new ResultChannel<T>();
  #stopOnce = false;
  readonly #m: Broadcaster<T>;
  /** Called once when the watcher closes, whoever closes it (the fake source ends timers here). */
  #onClose: (() => void) | undefined;

  constructor(id: number, m: Broadcaster<T>) {
    this.#id = id;
    this.#m = m;
  }

  /** The watcher's number in its broadcaster. */
  get id(): number {
    return this.#id;
  }

  next(): Promise<WatchEvent<T> | undefined> {
    return this.#result.receive();
  }

  // Upstream: broadcasterWatcher.Stop
  stop(): void {
    if (this.#stopOnce) return;
    this.#stopOnce = true;
    this.#m.stopWatching(this.id);
  }

  /** True once the result channel is closed (by `stop`, the broadcaster's shutdown or the server). */
  isStopped(): boolean {
    return this.#result.closed;
  }

  /** Events sent and not yet received. */
  pending(): number {
    return this.#result.length;
  }

  /** Closes the result channel (the broadcaster's `close(w.result)`). */
  #closeResult(): void {
    if (this.#result.closed) return;
    this.#result.close();
    const onClose = this.#onClose;
    this.#onClose = undefined;
    onClose?.();
  }
}

/**
 * Distributes every event to every watcher (Go: `watch.Broadcaster`). A watcher added after an
 * event never sees it, and sees every event after it. Go's broadcaster runs a goroutine that
 * drains an incoming queue; here `action` hands the event to each watcher inside the call, so the
 * `queueLength` and `FullChannelBehavior` of `NewBroadcaster` have nothing to decide (no channel
 * ever fills). Watchers receive in the order they were added (a Go map's order is random).
 */
// Upstream: apimachinery pkg/watch/mux.go (Broadcaster)
export class Broadcaster<T extends KubeObject = KubeObject> {
  /** Open watchers by id, in the order they were added. */
  readonly #watchers = new Map<number, BroadcasterWatcher<T>>();
  #nextWatcher = 0;
  #stopped = false;

  /** Number of open watchers. */
  get size(): number {
    return this.#watchers.size;
  }

  /** The open watchers, oldest first. */
  list(): Array<BroadcasterWatcher<T>> {
    return [...this.#watchers.values()];
  }

  /** Adds a watcher that receives only events after now. Throws "broadcaster already stopped" once shut down (Go returns it). */
  // Upstream: Broadcaster.Watch
  watch(): BroadcasterWatcher<T> {
    return this.watchWithPrefix([]);
  }

  /** Adds a watcher that first receives `queuedEvents`, then every later event. */
  // Upstream: Broadcaster.WatchWithPrefix
  watchWithPrefix(queuedEvents: ReadonlyArray<WatchEvent<T>>): BroadcasterWatcher<T> {
    if (this.#stopped) throw new Error('broadcaster already stopped');
    const w = new BroadcasterWatcher<T>(this.#nextWatcher++, this);
    this.#watchers.set(w.id, w);
    for (const e of queuedEvents) sendTo(w, e);
    return w;
  }

  /** @internal Removes a watcher and closes its channel (Go: `stopWatching`). */
  stopWatching(id: number): void {
    const w = this.#watchers.get(id);
    // No need to do anything, it's already been removed from the list.
    if (!w) return;
    this.#watchers.delete(id);
    closeResultOf(w as unknown as BroadcasterWatcher<KubeObject>);
  }

  /** Sends the event to every watcher. Throws "broadcaster already stopped" once shut down (Go returns it). */
  // Upstream: Broadcaster.Action
  action(type: WatchEventType, obj: T): void {
    if (this.#stopped) throw new Error('broadcaster already stopped');
    const event = { type, object: obj } as WatchEvent<T>;
    for (const w of this.#watchers.values()) sendTo(w, event);
  }

  /**
   * Disconnects all watchers; what they have queued stays readable, then `next()` answers
   * `undefined`. `watch` and `action` must not be called afterwards.
   */
  // Upstream: Broadcaster.Shutdown (and closeAll)
  shutdown(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const all = [...this.#watchers.values()];
    this.#watchers.clear();
    for (const w of all) closeResultOf(w as unknown as BroadcasterWatcher<KubeObject>);
  }
}

/** A new Broadcaster (Go: `watch.NewBroadcaster(queueLength, WaitIfChannelFull)`). */
export function newBroadcaster<T extends KubeObject = KubeObject>(): Broadcaster<T> {
  return new Broadcaster<T>();
}
