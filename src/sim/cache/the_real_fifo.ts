/**
 * RealFIFO: the queue v1.34's shared informers use by default (the `InOrderInformers` gate, Beta
 * and on since v1.33). Every notification from the Reflector is one item, passed on by `pop` in
 * the order it arrived: it delivers notifications for objects that have been deleted, and every
 * notification of an object rather than the accumulated changes of its key (compare the
 * DeltaFIFO, which keeps one entry per key).
 * Upstream: client-go tools/cache/the_real_fifo.go at v0.34.0 (`RealFIFO`, `NewRealFIFO`).
 *
 * As in the DeltaFIFO model, Go's `Pop` (a `cond.Wait` loop, then `process` under the lock)
 * becomes a promise and pops run one at a time (pop_lock.ts); every state change happens
 * synchronously inside the call that causes it.
 */
import type { FakeClock } from '../core/clock';
import { UsageError } from '../core/errors';
import { resolveEnv, type SimEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import { Fifo } from '../core/fifo';
import { defaultInstanceName, describe, type TraceRecorder } from '../core/trace';
import {
  DeltaType,
  ErrZeroLengthDeltasObject,
  type Delta,
  type Deltas,
  type KeyListerGetter,
  type PopProcessFunc,
  type Queue,
} from './delta_fifo_types';
import { realFIFOEvents, type RealFIFOEventMap, type RealFIFOQueueResult } from './events';
import { errorText, goQuote, klogStructured } from './go_strings';
import { lookUp } from './delta_fifo';
import { DeletedFinalStateUnknown, KeyError, type KeyFunc } from './keys';
import { PopLock, type PoppedItem, type QueueObserver } from './pop_lock';
import type { TransformFunc } from './types';

/** The model's options of `newRealFIFO` (upstream's constructor takes no options). */
export interface RealFIFOOptions {
  /**
   * The queue's name in trace events (field `fifo`). Omitted: `realFIFO` for the first unnamed
   * queue recording to a trace, then `realFIFO-2`, ... per trace recorder.
   */
  name?: string;
  /**
   * The environment the queue runs in (its clock stamps trace events, its trace records them).
   * `clock` and `trace` override its parts. Omitted: a clock of the queue's own and the trace the
   * lab runtime installed (`useEnv`), if any.
   */
  env?: SimEnv;
  /** Gives trace events their time `t` (overrides `env.clock`). */
  clock?: FakeClock;
  /** Where events go (overrides `env.trace`). */
  trace?: TraceRecorder;
}

/**
 * A queue in which every notification from the Reflector is its own item, popped in the order it
 * was added (Go: `*RealFIFO`, a `Queue`). `pop` hands `process` a Deltas holding exactly one
 * Delta. Nothing is merged or deduplicated: an object added, updated and deleted before anyone
 * pops is popped three times; a delete of an object nobody knows is queued all the same.
 *
 * Invariants: every queued item is one Delta whose object has a key; the items are in the order
 * they were queued; `hasSynced()` is `populated && initialPopulationCount === 0`, except while
 * `process` runs for an item of the initial list (then false, as upstream's `HasSynced` waits for
 * the lock `Pop` holds).
 */
export interface RealFIFO<T = unknown> extends Queue<T> {
  /** Appends an `Added` item. */
  add(obj: T): void;
  /** Appends an `Updated` item. */
  update(obj: T): void;
  /** Appends a `Deleted` item, whether or not anyone knows the object. */
  delete(obj: unknown): void;
  /**
   * A relist, in three steps, each appending to the end: (1) for every queued key missing from
   * `list` whose last queued item is not a deletion, a `Deleted` item holding
   * `DeletedFinalStateUnknown(key, last queued object)`, keys in the order they were first
   * queued; (2) for every known key missing from `list` with nothing queued, a `Deleted` item
   * holding `DeletedFinalStateUnknown(key, known object)`, in the order the known objects list
   * them; (3) a `Replaced` item for every object of `list`, in list order. The first replace
   * before any add/update/delete sets the initial population to every item then queued.
   * `resourceVersion` is recorded in the trace only, as upstream ignores it.
   */
  replace(list: T[], resourceVersion: string): void;
  /** Appends a `Sync` item for every known object whose key has nothing queued. */
  resync(): void;
  /**
   * Waits until an item is queued, takes it off the queue and calls `process([delta],
   * isInInitialList)`; resolves with that one-Delta Deltas once `process` has finished. Rejects
   * with `ErrFIFOClosed` once the queue is closed and empty, with `process`'s error if it throws
   * (the item is not put back).
   */
  pop(process: PopProcessFunc<T>): Promise<Deltas<T>>;
  /**
   * True once an add/update/delete came first, or once every item of the first `replace` has
   * been popped and the last one's `process` has returned.
   */
  hasSynced(): boolean;
  /**
   * The key of an object by the key function; of Deltas, the key of the newest one's object; of
   * a Delta, its object's; of a `DeletedFinalStateUnknown`, the key it carries.
   */
  keyOf(obj: unknown): string;
  /** Closes the queue: waiting pops reject with `ErrFIFOClosed`. Adds still work; pops drain what is queued. */
  close(): void;
  isClosed(): boolean;
  /** A copy of the queued items, oldest first (upstream: the test helper `getItems`). */
  getItems(): Delta<T>[];
  /** The queue's state as plain data (what a visualization draws). */
  snapshot(): RealFIFOSnapshot;
}

/** A RealFIFO's state as plain JSON data. */
export interface RealFIFOSnapshot {
  name: string;
  /** The queued items, head first (objects shown with `describe`). */
  items: Array<{ key: string; type: DeltaType; object: string }>;
  /** Whether a replace, add, update or delete has happened (Go: `populated`). */
  populated: boolean;
  /** Items of the first replace not yet popped (Go: `initialPopulationCount`). */
  initialPopulationCount: number;
  hasSynced: boolean;
  closed: boolean;
  /** Pops waiting for an item (or for the pop ahead of them to finish processing). */
  waiters: number;
  /** The key of the item a pop's `process` is working on, if any. */
  processing: string | null;
}

/** One queued notification: a Delta, and the key of its object, made when it was queued. */
interface Item<T> {
  key: string;
  delta: Delta<T>;
}

/** Which call caused a per-item event (the event type is `realFIFO.<op>`). */
type Op = 'add' | 'update' | 'delete' | 'replace' | 'sync';

const DELTA_TYPES = new Set<string>(Object.values(DeltaType));

// Upstream: client-go tools/cache/the_real_fifo.go (RealFIFO)
export class RealFIFOQueue<T = unknown> implements RealFIFO<T> {
  readonly #name: string;
  readonly #events: EventEmitter<RealFIFOEventMap, { fifo: string }>;

  /** Every notification not yet popped, oldest first; each is one Delta. */
  readonly #items = new Fifo<Item<T>>();

  /** True once the first replace, or an add/update/delete, has happened. */
  #populated = false;
  /** The number of items queued when the first replace was done, not yet popped. */
  #initialPopulationCount = 0;

  /** Makes the key of an object; must be deterministic. */
  readonly #keyFunc: KeyFunc;
  /** Keys that are "known", affecting `replace` and `resync` (never undefined). */
  readonly #knownObjects: KeyListerGetter;
  /** Called with every object except tombstones and `Sync` objects. */
  readonly #transformer: TransformFunc | undefined;

  /** Set by `close` so a consumer loop can exit once the queue is empty; does not gate adds. */
  #closed = false;

  /** The waiting pops and the one whose `process` runs (Go: `f.cond` and `f.lock` in Pop). */
  readonly #lock: PopLock<T>;
  readonly #observer: QueueObserver;

  constructor(keyFunc: KeyFunc, knownObjects: KeyListerGetter, transformer: TransformFunc | undefined, options: RealFIFOOptions = {}, observer: QueueObserver = {}) {
    if (knownObjects === undefined || knownObjects === null) throw new UsageError('coding error: knownObjects must be provided');
    if (typeof keyFunc !== 'function') throw new UsageError('newRealFIFO: keyFunc must be a key function (e.g. metaNamespaceKeyFunc)');
    const env = resolveEnv(options);
    this.#keyFunc = keyFunc;
    this.#knownObjects = knownObjects;
    this.#transformer = transformer ?? undefined;
    this.#observer = observer;
    this.#name = options.name ?? defaultInstanceName(env.trace, 'realFIFO');
    this.#events = new EventEmitter(realFIFOEvents, env, { fifo: this.#name });
    this.#lock = new PopLock<T>({
      hasItems: () => this.#items.length > 0,
      isClosed: () => this.#closed,
      take: (waiters) => this.#popHead(waiters),
      waiting: (waiters) => this.#events.emit('realFIFO.wait', { waiters, len: this.#items.length }),
      rejectingAll: (rejected) => this.#events.emit('realFIFO.pop', { key: null, closed: true, rejected, len: 0 }),
      processed: (key, failed, err) => {
        this.#events.emit('realFIFO.processed', failed ? { key, ok: false, error: errorText(err) } : { key, ok: true });
        this.#observer.afterPop?.();
      },
    });
    this.#events.emit('realFIFO.new', { transformer: this.#transformer !== undefined });
  }

  /** The queue's name in trace events (field `fifo`). */
  get name(): string {
    return this.#name;
  }

  // Upstream: RealFIFO.Add
  add(obj: T): void {
    this.#locked(() => {
      this.#populated = true;
      this.#addToItems('add', DeltaType.Added, false, obj);
    });
  }

  // Upstream: RealFIFO.Update
  update(obj: T): void {
    this.#locked(() => {
      this.#populated = true;
      this.#addToItems('update', DeltaType.Updated, false, obj);
    });
  }

  // Upstream: RealFIFO.Delete
  delete(obj: unknown): void {
    this.#locked(() => {
      this.#populated = true;
      this.#addToItems('delete', DeltaType.Deleted, false, obj as T);
    });
  }

  // Upstream: RealFIFO.Replace
  replace(list: T[], resourceVersion: string): void {
    this.#locked(() => this.#replaceLocked(list, resourceVersion));
    this.#observer.afterReplace?.();
  }

  #replaceLocked(newItems: T[], resourceVersion: string): void {
    const rv = { resourceVersion: String(resourceVersion) };
    // The keys of everything being added. The items can only be added after the synthetic
    // deletes for the queued and known objects missing from the list.
    const newKeys = new Set<string>();
    for (const obj of newItems) newKeys.add(this.#keyOrKeyError(obj));

    // The last item queued for each key; a Map keeps its keys in the order they were first queued.
    const lastQueuedItemForKey = new Map<string, Item<T>>();
    for (const item of this.#items.toArray()) lastQueuedItemForKey.set(item.key, item);

    let deletions = 0;
    // Deletion detection against the queued items. A queued delete followed by a listed object
    // means the queued UID was deleted and a new one created; a queued delete of an object not
    // listed is that deletion: both stay as they are.
    for (const [queuedKey, lastQueuedItem] of lastQueuedItemForKey) {
      if (newKeys.has(queuedKey)) continue;
      // Delete pre-existing items not in the new list. This could happen if a watch deletion
      // event was missed while disconnected from the apiserver.
      if (lastQueuedItem.delta.type === DeltaType.Deleted) {
        // Already marked as deleted: no need to add another delete.
        this.#emitItem('delete', queuedKey, DeltaType.Deleted, 'skipped', true, { ...rv, cause: 'replace' });
        continue;
      }
      try {
        this.#addToItems('delete', DeltaType.Deleted, true, new DeletedFinalStateUnknown(queuedKey, lastQueuedItem.delta.object) as T, {
          ...rv,
          cause: 'replace',
        });
      } catch (err) {
        throw wrapError("couldn't enqueue object", err);
      }
      deletions++;
    }

    // Deletions of objects not queued but present in the known objects.
    for (const knownKey of this.#knownObjects.listKeys()) {
      if (newKeys.has(knownKey)) continue; // still present
      if (lastQueuedItemForKey.has(knownKey)) continue; // already handled above
      const lookup = lookUp(this.#knownObjects, knownKey);
      let deletedObj: unknown = lookup.obj;
      if (lookup.err !== undefined) {
        deletedObj = undefined;
        this.#handleError(`error during lookup, placing DeleteFinalStateUnknown marker without object: key=${goQuote(knownKey)}, err=${errorText(lookup.err)}`);
      } else if (!lookup.exists) {
        deletedObj = undefined;
        this.#handleError(`key does not exist in known objects store, placing DeleteFinalStateUnknown marker without object: key=${goQuote(knownKey)}`);
      }
      try {
        this.#addToItems('delete', DeltaType.Deleted, false, new DeletedFinalStateUnknown(knownKey, deletedObj) as T, { ...rv, cause: 'replace' });
      } catch (err) {
        throw wrapError("couldn't enqueue object", err);
      }
      deletions++;
    }

    // Now that the deletes are queued, the new items.
    for (const obj of newItems) {
      try {
        this.#addToItems('replace', DeltaType.Replaced, false, obj, rv);
      } catch (err) {
        throw wrapError("couldn't enqueue object", err);
      }
    }

    const first = !this.#populated;
    if (first) {
      this.#populated = true;
      this.#initialPopulationCount = this.#items.length;
    }
    this.#events.emit('realFIFO.replaceDone', {
      ...rv,
      items: newItems.length,
      deletions,
      first,
      initialPopulationCount: this.#initialPopulationCount,
      len: this.#items.length,
    });
  }

  /**
   * Appends a `Sync` item for every known object whose key has nothing queued: a resync that
   * came with the previous value of an object whose change is queued would race with that change.
   */
  // Upstream: RealFIFO.Resync
  resync(): void {
    this.#locked(() => {
      const keysInQueue = new Set<string>();
      for (const item of this.#items.toArray()) keysInQueue.add(item.key);
      const knownKeys = this.#knownObjects.listKeys();
      this.#events.emit('realFIFO.resync', { keys: knownKeys.length, len: this.#items.length });
      for (const knownKey of knownKeys) {
        if (keysInQueue.has(knownKey)) {
          this.#emitItem('sync', knownKey, DeltaType.Sync, 'skipped', false, {});
          continue;
        }
        const lookup = lookUp(this.#knownObjects, knownKey);
        if (lookup.err !== undefined) {
          this.#handleError(`unable to queue object for sync: key=${goQuote(knownKey)}, err=${errorText(lookup.err)}`);
          continue;
        }
        if (!lookup.exists) {
          this.#handleError(`key does not exist in known objects store, unable to queue object for sync: key=${goQuote(knownKey)}`);
          continue;
        }
        try {
          this.#addToItems('sync', DeltaType.Sync, true, lookup.obj as T);
        } catch (err) {
          // As v0.34.0 writes it: the error wrapped is the lookup's (nil here), not the one that
          // happened, so Go prints `%!w(<nil>)`.
          throw wrapError("couldn't queue object", undefined, err);
        }
      }
    });
  }

  // Upstream: RealFIFO.Pop
  pop(process: PopProcessFunc<T>): Promise<Deltas<T>> {
    return this.#lock.pop(process);
  }

  /**
   * Upstream takes `f.lock`, which Pop holds while `process` runs: a caller asking while the last
   * item of the initial list is processed waits, and hears true only once `process` has returned.
   * The model cannot make the caller wait, so it answers false until then.
   */
  // Upstream: RealFIFO.HasSynced
  hasSynced(): boolean {
    return this.#hasSyncedLocked() && !this.#lock.processingInitial;
  }

  // Upstream: RealFIFO.keyOf
  keyOf(obj: unknown): string {
    if (Array.isArray(obj)) {
      if (obj.length === 0) throw new KeyError(obj, ErrZeroLengthDeltasObject);
      obj = (obj[obj.length - 1] as Delta).object;
    }
    if (isDelta(obj)) obj = obj.object;
    if (obj instanceof DeletedFinalStateUnknown) return obj.key;
    return this.#keyFunc(obj);
  }

  // Upstream: RealFIFO.Close
  close(): void {
    this.#closed = true;
    this.#events.emit('realFIFO.close', { waiters: this.#lock.waiters, len: this.#items.length });
    // Go's cond.Broadcast(): every waiting Pop wakes up and finds the queue closed and empty.
    this.#lock.dispatch();
  }

  // Upstream: RealFIFO.IsClosed
  isClosed(): boolean {
    return this.#closed;
  }

  // Upstream: the test helper getItems (the_real_fifo_test.go)
  getItems(): Delta<T>[] {
    return this.#items.toArray().map((i) => ({ type: i.delta.type, object: i.delta.object }));
  }

  snapshot(): RealFIFOSnapshot {
    return {
      name: this.#name,
      items: this.#items.toArray().map((i) => ({ key: i.key, type: i.delta.type, object: describeObject(i.delta.object) })),
      populated: this.#populated,
      initialPopulationCount: this.#initialPopulationCount,
      hasSynced: this.hasSynced(),
      closed: this.#closed,
      waiters: this.#lock.waiters,
      processing: this.#lock.processingKey ?? null,
    };
  }

  /** Runs a producer call as Go does under `f.lock`, then lets waiting pops go (`cond.Broadcast()`). */
  #locked(fn: () => void): void {
    try {
      fn();
    } finally {
      this.#lock.dispatch();
    }
  }

  // Upstream: RealFIFO.hasSynced_locked
  #hasSyncedLocked(): boolean {
    return this.#populated && this.#initialPopulationCount === 0;
  }

  /**
   * Appends one item. The transformer sees every object once, here: not tombstones, and not
   * what `skipTransform` marks (resync's objects and a relist's tombstones for queued keys,
   * which went through it already). Throws a KeyError for an object without a key, or what the
   * transformer throws, before anything is queued.
   */
  // Upstream: RealFIFO.addToItems_locked
  #addToItems(op: Op, deltaType: DeltaType, skipTransform: boolean, obj: T, extra: { resourceVersion?: string; cause?: 'replace' } = {}): void {
    // The key must be readable to tell whether the known objects and the queued items overlap.
    let key = this.#keyOrKeyError(obj);
    if (this.#transformer !== undefined && !(obj instanceof DeletedFinalStateUnknown) && !skipTransform) {
      obj = this.#transformer(obj) as T;
      // Upstream keys queued items by what is queued (Replace and Resync call keyOf on them): a
      // transformer that changes the key changes the item's key.
      key = this.#keyOrUndefined(obj) ?? key;
    }
    this.#items.push({ key, delta: { type: deltaType, object: obj } });
    this.#emitItem(op, key, deltaType, 'queued', obj instanceof DeletedFinalStateUnknown, extra);
  }

  #emitItem(op: Op, key: string, deltaType: DeltaType, result: RealFIFOQueueResult, tombstone: boolean, extra: { resourceVersion?: string; cause?: 'replace' }): void {
    this.#events.emit(`realFIFO.${op}`, { key, deltaType, result, tombstone, len: this.#items.length, ...extra });
  }

  /** Takes the head item off the queue for a pop (`waiters`: pops still waiting). */
  // Upstream: RealFIFO.Pop (after the wait)
  #popHead(waiters: number): PoppedItem<T> {
    const isInInitialList = !this.#hasSyncedLocked();
    const item = this.#items.shift();
    if (this.#initialPopulationCount > 0) this.#initialPopulationCount--;
    this.#events.emit('realFIFO.pop', {
      key: item.key,
      deltaType: item.delta.type,
      isInInitialList,
      initialPopulationCount: this.#initialPopulationCount,
      waiters,
      len: this.#items.length,
    });
    // Wrapped in Deltas to be compatible with the DeltaFIFO's process functions.
    return { key: item.key, deltas: [item.delta], isInInitialList };
  }

  #keyOrUndefined(obj: unknown): string | undefined {
    try {
      return this.keyOf(obj);
    } catch {
      return undefined;
    }
  }

  /** The key of `obj`, or a KeyError naming the object (Go: `KeyError{obj, err}`). */
  #keyOrKeyError(obj: unknown): string {
    try {
      return this.keyOf(obj);
    } catch (err) {
      throw new KeyError(obj, err);
    }
  }

  /**
   * `utilruntime.HandleError(err)`: klog's error line `"Unhandled Error" err="..."` at V(0), as
   * a `realFIFO.log` event. Upstream's rate limiting of HandleError is not modelled.
   */
  #handleError(err: string): void {
    this.#events.emit('realFIFO.log', { level: 'error', source: 'the_real_fifo.go', v: 0, message: klogStructured('Unhandled Error', { err }) });
  }
}

/**
 * A new RealFIFO (Go: `cache.NewRealFIFO(keyFunc, knownObjects, transformer)`); `options` are
 * the model's (name, environment). Throws without known objects, as upstream panics.
 */
// Upstream: client-go tools/cache/the_real_fifo.go (NewRealFIFO)
export function newRealFIFO<T = unknown>(keyFunc: KeyFunc, knownObjects: KeyListerGetter, transformer?: TransformFunc, options: RealFIFOOptions = {}): RealFIFO<T> {
  return new RealFIFOQueue<T>(keyFunc, knownObjects, transformer, options);
}

/** Go's type switch `obj.(Delta)`: a plain `{ type, object }` whose type is a DeltaType. */
function isDelta(obj: unknown): obj is Delta {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return false;
  const d = obj as { type?: unknown };
  return 'object' in obj && typeof d.type === 'string' && DELTA_TYPES.has(d.type) && Object.keys(obj).length === 2;
}

/**
 * Go's `fmt.Errorf("<what>: %w", err)`, keeping the original as `cause`. With `err` undefined
 * (Go's nil), the text is `<what>: %!w(<nil>)`; `actual` is then the error that did happen.
 */
function wrapError(what: string, err: unknown, actual: unknown = err): Error {
  const wrapped = new Error(`${what}: ${err === undefined ? '%!w(<nil>)' : errorText(err)}`);
  (wrapped as Error & { cause?: unknown }).cause = actual;
  return wrapped;
}

/** Short text for an item's object: tombstones show their key and what they hold. */
function describeObject(obj: unknown): string {
  if (obj instanceof DeletedFinalStateUnknown) return `DeletedFinalStateUnknown{${obj.key}, ${describe(obj.obj)}}`;
  return describe(obj);
}
