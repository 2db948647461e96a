/**
 * DeltaFIFO: the queue between a Reflector and an informer. Each key accumulates the Deltas that
 * happened to its object since it was last popped; keys are popped in FIFO order.
 * Upstream: client-go tools/cache/delta_fifo.go at v0.34.0 (`DeltaFIFO`), and fifo.go for
 * `ErrFIFOClosed` and `PopProcessFunc`.
 *
 * Go's `Pop` blocks on a `sync.Cond` and calls `process` under the queue's lock; here `pop()`
 * returns a promise, and pops run one at a time. Every state change happens synchronously inside
 * the method that causes it (an `add` that finds a waiting pop hands the key over and calls
 * `process` at once), so state and trace are exact at every call boundary; the popper's `await`
 * resumes in a later microtask.
 */
import { resolveEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import { Fifo } from '../core/fifo';
import { defaultInstanceName, describe } from '../core/trace';
import {
  DeltaType,
  ErrZeroLengthDeltasObject,
  copyDeltas,
  newestDelta,
  type Delta,
  type DeltaFIFO,
  type DeltaFIFOConfig,
  type DeltaFIFOSnapshot,
  type Deltas,
  type KeyListerGetter,
  type PopProcessFunc,
  type QueueActionResult,
} from './delta_fifo_types';
import { deltaFIFOEvents, type DeltaFIFOEventMap } from './events';
import { PopLock, type PoppedItem, type QueueObserver } from './pop_lock';
import { errorText, klogStructured } from './go_strings';
import { DeletedFinalStateUnknown, KeyError, metaNamespaceKeyFunc, type KeyFunc } from './keys';
import type { TransformFunc } from './types';

export type { QueueActionResult } from './delta_fifo_types';

/** Which call caused a per-delta event (the event type is `deltaFIFO.<op>`). */
type Op = 'add' | 'update' | 'delete' | 'replace' | 'sync';

/** The owning informer's hooks (see QueueObserver in pop_lock.ts). */
export type DeltaFIFOObserver = QueueObserver;

// Upstream: client-go tools/cache/delta_fifo.go (DeltaFIFO)
export class DeltaFIFOQueue<T = unknown> implements DeltaFIFO<T> {
  readonly #name: string;
  /** Records this queue's events (its clock stamps them; nothing when the environment has no trace). */
  readonly #events: EventEmitter<DeltaFIFOEventMap, { fifo: string }>;

  /**
   * Maps a key to its Deltas. Each Deltas has at least one Delta. A key is in `items` if and only
   * if it is in `queue`; `Map` insertion order therefore equals the FIFO order.
   */
  readonly #items = new Map<string, Deltas<T>>();
  /** The FIFO order of keys for `pop`. No duplicates; exactly the keys of `items`. */
  readonly #queue = new Fifo<string>();

  /** True once the first replace, or an add/update/delete, has happened. */
  #populated = false;
  /** The number of keys the first replace queued (objects plus deletions) not yet popped. */
  #initialPopulationCount = 0;

  /** Makes the key used for queued item insertion and retrieval; must be deterministic. */
  readonly #keyFunc: KeyFunc;
  /** Keys that are "known", affecting `delete`, `replace` and `resync`. */
  readonly #knownObjects: KeyListerGetter | undefined;
  /** Whether `replace` emits `Replaced` or `Sync` deltas (backwards compatibility). */
  readonly #emitDeltaTypeReplaced: boolean;
  /** Called with every object, tombstones and resync's objects excepted. */
  readonly #transformer: TransformFunc | undefined;

  /**
   * Set by `close` so a consumer loop can exit once the queue is empty. As upstream, it does not
   * gate adds, updates, deletes or pops of what is still queued.
   */
  #closed = false;

  /** The waiting pops and the one whose `process` runs (Go: `f.cond` and `f.lock` in Pop). */
  readonly #lock: PopLock<T>;

  /** The owning informer's hooks (none for a queue made with `newDeltaFIFO`). */
  readonly #observer: DeltaFIFOObserver;

  constructor(cfg: DeltaFIFOConfig = {}, observer: DeltaFIFOObserver = {}) {
    const env = resolveEnv(cfg);
    this.#observer = observer;
    this.#lock = new PopLock<T>({
      hasItems: () => this.#queue.length > 0,
      isClosed: () => this.#closed,
      take: (waiters) => this.#popHead(waiters),
      waiting: (waiters) => this.#events.emit('deltaFIFO.wait', { waiters, len: this.#queue.length }),
      rejectingAll: (rejected) => this.#events.emit('deltaFIFO.pop', { key: null, closed: true, rejected, len: 0 }),
      processed: (key, failed, err) => {
        this.#events.emit('deltaFIFO.processed', failed ? { key, ok: false, error: errorText(err) } : { key, ok: true });
        this.#observer.afterPop?.();
      },
    });
    this.#keyFunc = cfg.keyFunction ?? metaNamespaceKeyFunc;
    this.#knownObjects = cfg.knownObjects;
    this.#emitDeltaTypeReplaced = cfg.emitDeltaTypeReplaced ?? false;
    this.#transformer = cfg.transformer;
    this.#name = cfg.name ?? defaultInstanceName(env.trace, 'deltaFIFO');
    this.#events = new EventEmitter(deltaFIFOEvents, env, { fifo: this.name });
    this.#events.emit('deltaFIFO.new', {
      knownObjects: this.#knownObjects !== undefined,
      emitDeltaTypeReplaced: this.#emitDeltaTypeReplaced,
      transformer: this.#transformer !== undefined,
    });
  }

  /** The queue's name in trace events (field `fifo`). */
  get name(): string {
    return this.#name;
  }

  // Upstream: DeltaFIFO.Add
  add(obj: T): void {
    this.#locked(() => {
      this.#populated = true;
      this.#queueAction('add', DeltaType.Added, DeltaType.Added, obj);
    });
  }

  // Upstream: DeltaFIFO.Update
  update(obj: T): void {
    this.#locked(() => {
      this.#populated = true;
      this.#queueAction('update', DeltaType.Updated, DeltaType.Updated, obj);
    });
  }

  // Upstream: DeltaFIFO.Delete
  delete(obj: unknown): void {
    const id = this.#keyOrKeyError(obj);
    this.#locked(() => this.#deleteLocked(id, obj));
  }

  #deleteLocked(id: string, obj: unknown): void {
    this.#populated = true;
    if (this.#knownObjects === undefined) {
      if (!this.#items.has(id)) {
        // Presumably, this was deleted when a relist happened.
        // Don't provide a second report of the same deletion.
        this.#emitIgnored('delete', id);
        return;
      }
    } else {
      // Skip the deletion only if neither the known objects nor the queue have the key. A
      // deletion already queued is fine: queueAction dedups it.
      const lookup = lookUp(this.#knownObjects, id);
      if (lookup.err === undefined && !lookup.exists && !this.#items.has(id)) {
        this.#emitIgnored('delete', id);
        return;
      }
    }
    // The key exists in items and/or the known objects.
    this.#queueAction('delete', DeltaType.Deleted, DeltaType.Deleted, obj as T);
  }

  // Upstream: DeltaFIFO.Replace
  replace(list: T[], resourceVersion: string): void {
    this.#locked(() => this.#replaceLocked(list, resourceVersion));
    this.#observer.afterReplace?.();
  }

  #replaceLocked(list: T[], resourceVersion: string): void {
    const keys = new Set<string>();
    // Keep backwards compatibility for old clients.
    const action = this.#emitDeltaTypeReplaced ? DeltaType.Replaced : DeltaType.Sync;
    const rv = { resourceVersion: String(resourceVersion) };

    // Add a Sync/Replaced delta for each new item. The transformer sees them as Replaced even
    // when they are emitted as Sync: they are fresh from the list.
    for (const item of list) {
      const key = this.#keyOrKeyError(item);
      keys.add(key);
      try {
        this.#queueAction('replace', action, DeltaType.Replaced, item, rv);
      } catch (err) {
        throw wrapError('couldn\'t enqueue object', err);
      }
    }

    // Deletion detection against the objects in the queue. Upstream ranges over a Go map, in
    // random order; the model goes in FIFO order.
    let queuedDeletions = 0;
    for (const [k, oldItem] of [...this.#items]) {
      if (keys.has(k)) continue;
      // Delete pre-existing items not in the new list. This could happen if a watch deletion
      // event was missed while disconnected from the apiserver.
      let deletedObj: unknown = newestDelta(oldItem)?.object;
      // If the newest object is a tombstone already, take the actual object out of it.
      if (deletedObj instanceof DeletedFinalStateUnknown) deletedObj = deletedObj.obj;
      queuedDeletions++;
      this.#queueAction('delete', DeltaType.Deleted, DeltaType.Deleted, new DeletedFinalStateUnknown(k, deletedObj) as T, {
        ...rv,
        cause: 'replace',
      });
    }

    if (this.#knownObjects !== undefined) {
      // Detect deletions of objects not queued but present in the known objects, in the order
      // the known objects list their keys.
      for (const k of this.#knownObjects.listKeys()) {
        if (keys.has(k)) continue;
        if ((this.#items.get(k)?.length ?? 0) > 0) continue;
        const lookup = lookUp(this.#knownObjects, k);
        let deletedObj: unknown = lookup.obj;
        if (lookup.err !== undefined) {
          deletedObj = undefined;
          this.#log('error', 'Unexpected error during lookup, placing DeleteFinalStateUnknown marker without object', { err: errorText(lookup.err), key: k });
        } else if (!lookup.exists) {
          deletedObj = undefined;
          this.#log('info', 'Key does not exist in known objects store, placing DeleteFinalStateUnknown marker without object', { key: k });
        }
        queuedDeletions++;
        this.#queueAction('delete', DeltaType.Deleted, DeltaType.Deleted, new DeletedFinalStateUnknown(k, deletedObj) as T, {
          ...rv,
          cause: 'replace',
        });
      }
    }

    const first = !this.#populated;
    if (first) {
      this.#populated = true;
      this.#initialPopulationCount = keys.size + queuedDeletions;
    }
    this.#events.emit('deltaFIFO.replaceDone', {
      ...rv,
      items: list.length,
      keys: keys.size,
      deltaType: action,
      deletions: queuedDeletions,
      first,
      initialPopulationCount: this.#initialPopulationCount,
      len: this.#queue.length,
    });
  }

  // Upstream: DeltaFIFO.Resync
  resync(): void {
    if (this.#knownObjects === undefined) {
      this.#events.emit('deltaFIFO.resync', { knownObjects: false, len: this.#queue.length });
      return;
    }
    const known = this.#knownObjects;
    this.#locked(() => {
      const keys = known.listKeys();
      this.#events.emit('deltaFIFO.resync', { knownObjects: true, keys: keys.length, len: this.#queue.length });
      for (const k of keys) this.#syncKey(k);
    });
  }

  // Upstream: DeltaFIFO.Pop
  pop(process: PopProcessFunc<T>): Promise<Deltas<T>> {
    return this.#lock.pop(process);
  }

  // Upstream: the test helper list (delta_fifo_test.go), DeltaFIFO.List before v1.33
  list(): unknown[] {
    return this.#queue.toArray().map((key) => newestDelta(this.#items.get(key)!)!.object);
  }

  // Upstream: the test helper listKeys (delta_fifo_test.go), DeltaFIFO.ListKeys before v1.33
  listKeys(): string[] {
    return this.#queue.toArray();
  }

  // Upstream: the test helper get (delta_fifo_test.go), DeltaFIFO.Get before v1.33
  get(obj: unknown): Deltas<T> | undefined {
    return this.getByKey(this.#keyOrKeyError(obj));
  }

  // Upstream: the test helper getByKey (delta_fifo_test.go), DeltaFIFO.GetByKey before v1.33
  getByKey(key: string): Deltas<T> | undefined {
    const d = this.#items.get(key);
    // Copy the slice so that operations on it won't interfere with what we return.
    return d === undefined ? undefined : copyDeltas(d);
  }

  // Upstream: DeltaFIFO.KeyOf
  keyOf(obj: unknown): string {
    if (Array.isArray(obj)) {
      if (obj.length === 0) throw new KeyError(obj, ErrZeroLengthDeltasObject);
      obj = (obj[obj.length - 1] as Delta).object;
    }
    if (obj instanceof DeletedFinalStateUnknown) return obj.key;
    return this.#keyFunc(obj);
  }

  /**
   * Upstream takes `f.lock`, which Pop holds while `process` runs: a caller asking while the last
   * item of the initial list is processed waits, and hears true only once `process` has returned.
   * The model cannot make the caller wait, so it answers false until then.
   */
  // Upstream: DeltaFIFO.HasSynced
  hasSynced(): boolean {
    return this.#hasSyncedLocked() && !this.#lock.processingInitial;
  }

  // Upstream: DeltaFIFO.Close
  close(): void {
    this.#closed = true;
    this.#events.emit('deltaFIFO.close', { waiters: this.#lock.waiters, len: this.#queue.length });
    // Go's cond.Broadcast(): every waiting Pop wakes up and finds the queue closed and empty.
    this.#lock.dispatch();
  }

  // Upstream: DeltaFIFO.IsClosed
  isClosed(): boolean {
    return this.#closed;
  }

  snapshot(): DeltaFIFOSnapshot {
    return {
      name: this.name,
      queue: this.#queue.toArray().map((key) => ({
        key,
        deltas: this.#items.get(key)!.map((d) => ({ type: d.type, object: describeObject(d.object) })),
      })),
      populated: this.#populated,
      initialPopulationCount: this.#initialPopulationCount,
      hasSynced: this.hasSynced(),
      closed: this.#closed,
      waiters: this.#lock.waiters,
      processing: this.#lock.processingKey ?? null,
    };
  }

  /**
   * Runs a producer call as Go does under `f.lock`, then does the `cond.Broadcast()`: only once
   * the whole call is done may a waiting pop take the head key (a pop never sees half a replace).
   */
  #locked(fn: () => void): void {
    try {
      fn();
    } finally {
      this.#lock.dispatch();
    }
  }

  // Upstream: DeltaFIFO.hasSynced_locked
  #hasSyncedLocked(): boolean {
    return this.#populated && this.#initialPopulationCount === 0;
  }

  /**
   * Appends a delta for `obj` to its key's Deltas. `actionType` is the delta type queued (which
   * honors emitDeltaTypeReplaced); `internalActionType` only decides whether the transformer
   * runs (it ignores emitDeltaTypeReplaced).
   */
  // Upstream: DeltaFIFO.queueActionLocked / queueActionInternalLocked
  #queueAction(op: Op, actionType: DeltaType, internalActionType: DeltaType, obj: T, extra: { resourceVersion?: string; cause?: 'replace' } = {}): void {
    const id = this.#keyOrKeyError(obj);

    // Every object comes through here once, so this is the place to transform it. Tombstones
    // and Sync objects (from the known objects) have gone through the transformer already.
    if (this.#transformer !== undefined && !(obj instanceof DeletedFinalStateUnknown) && internalActionType !== DeltaType.Sync) {
      obj = this.#transformer(obj) as T;
    }

    const oldDeltas = this.#items.get(id);
    const before = oldDeltas?.length ?? 0;
    const newDeltas = dedupDeltas([...(oldDeltas ?? []), { type: actionType, object: obj }]);
    // dedupDeltas never returns an empty list for a non-empty one (upstream logs
    // "Impossible dedupDeltas" if it ever did), so the key always stays queued here.
    let result: QueueActionResult;
    if (oldDeltas === undefined) {
      this.#queue.push(id);
      result = 'queued';
    } else {
      result = newDeltas.length === before ? 'deduped' : 'appended';
    }
    this.#items.set(id, newDeltas);
    this.#events.emit(`deltaFIFO.${op}`, {
      key: id,
      deltaType: actionType,
      result,
      tombstone: obj instanceof DeletedFinalStateUnknown,
      deltas: newDeltas.length,
      len: this.#queue.length,
      ...extra,
    });
  }

  // Upstream: DeltaFIFO.syncKeyLocked
  #syncKey(key: string): void {
    const known = this.#knownObjects!;
    const lookup = lookUp(known, key);
    if (lookup.err !== undefined) {
      this.#log('error', 'Unexpected error during lookup, unable to queue object for sync', { err: errorText(lookup.err), key });
      return;
    }
    if (!lookup.exists) {
      this.#log('info', 'Key does not exist in known objects store, unable to queue object for sync', { key });
      return;
    }
    const obj = lookup.obj as T;
    // If there is already an event queued for the object, skip the resync: it would come with
    // the previous value of the object, since queueing an event does not change the known
    // objects until it is popped and processed.
    const id = this.#keyOrKeyError(obj);
    if ((this.#items.get(id)?.length ?? 0) > 0) {
      this.#events.emit('deltaFIFO.sync', {
        key: id,
        deltaType: DeltaType.Sync,
        result: 'skipped',
        tombstone: false,
        deltas: this.#items.get(id)!.length,
        len: this.#queue.length,
      });
      return;
    }
    try {
      this.#queueAction('sync', DeltaType.Sync, DeltaType.Sync, obj);
    } catch (err) {
      throw wrapError("couldn't queue object", err);
    }
  }

  /** Takes the head key off the queue for a pop (`waiters`: pops still waiting). */
  // Upstream: DeltaFIFO.Pop (after the wait)
  #popHead(waiters: number): PoppedItem<T> {
    const isInInitialList = !this.#hasSyncedLocked();
    const id = this.#queue.shift();
    if (this.#initialPopulationCount > 0) this.#initialPopulationCount--;
    const item = this.#items.get(id)!;
    this.#items.delete(id);
    this.#events.emit('deltaFIFO.pop', {
      key: id,
      deltas: item.length,
      types: item.map((d) => d.type),
      isInInitialList,
      initialPopulationCount: this.#initialPopulationCount,
      waiters,
      len: this.#queue.length,
    });
    // Don't need to copy the Deltas: ownership passes to the caller.
    return { key: id, deltas: item, isInInitialList };
  }

  /** The key of `obj`, or a KeyError naming the object (Go: `KeyError{obj, err}`). */
  #keyOrKeyError(obj: unknown): string {
    try {
      return this.keyOf(obj);
    } catch (err) {
      throw new KeyError(obj, err);
    }
  }

  #emitIgnored(op: Op, key: string): void {
    this.#events.emit(`deltaFIFO.${op}`, {
      key,
      deltaType: DeltaType.Deleted,
      result: 'ignored',
      tombstone: false,
      deltas: 0,
      len: this.#queue.length,
    });
  }

  /**
   * Upstream's structured klog lines (`f.logger.Info(msg, "key", k)`, `f.logger.Error(err, msg,
   * "key", k)`, both V(0)), as klog's text format prints them: the quoted message, then `err`
   * first for an error, then the key.
   */
  #log(level: 'info' | 'error', message: string, kv: Record<string, string>): void {
    this.#events.emit('deltaFIFO.log', { level, source: 'delta_fifo.go', v: 0, message: klogStructured(message, kv) });
  }

}

/**
 * Re-listing and watching can deliver the same update more than once, in any order: combines the
 * two newest deltas if they are the same (today: both deletions). Returns `deltas`, shortened in
 * place when they combine. Upstream: delta_fifo.go (dedupDeltas)
 */
export function dedupDeltas<T>(deltas: Deltas<T>): Deltas<T> {
  const n = deltas.length;
  if (n < 2) return deltas;
  const a = deltas[n - 1];
  const b = deltas[n - 2];
  const out = isDup(a, b);
  if (out !== undefined) {
    deltas[n - 2] = out;
    deltas.length = n - 1;
  }
  return deltas;
}

/**
 * If `a` and `b` are the same event, the delta to keep; otherwise undefined. Only deletions are
 * detected (upstream has a TODO asking whether anything else needs deduping).
 * Upstream: delta_fifo.go (isDup)
 */
export function isDup<T>(a: Delta<T>, b: Delta<T>): Delta<T> | undefined {
  return isDeletionDup(a, b);
}

/**
 * For two deletions, keeps the one with the most information: the older `b`, unless `b` only
 * holds a `DeletedFinalStateUnknown`, in which case the newer `a`. Upstream: delta_fifo.go (isDeletionDup)
 */
export function isDeletionDup<T>(a: Delta<T>, b: Delta<T>): Delta<T> | undefined {
  if (b.type !== DeltaType.Deleted || a.type !== DeltaType.Deleted) return undefined;
  if (b.object instanceof DeletedFinalStateUnknown) return a;
  return b;
}

/**
 * A new DeltaFIFO (Go: `cache.NewDeltaFIFOWithOptions(DeltaFIFOOptions{...})`; the deprecated
 * `NewDeltaFIFO(keyFunc, knownObjects)` is `newDeltaFIFO({ keyFunction, knownObjects })`).
 */
// Upstream: client-go tools/cache/delta_fifo.go (NewDeltaFIFOWithOptions)
export function newDeltaFIFO<T = unknown>(cfg: DeltaFIFOConfig = {}): DeltaFIFO<T> {
  return new DeltaFIFOQueue<T>(cfg);
}

/** Go's `obj, exists, err := knownObjects.GetByKey(key)` (a throw is `err`). */
export function lookUp(known: KeyListerGetter, key: string): { obj: unknown; exists: boolean; err: unknown } {
  try {
    const obj = known.getByKey(key);
    return { obj, exists: obj !== undefined, err: undefined };
  } catch (err) {
    return { obj: undefined, exists: false, err: err ?? new Error(String(err)) };
  }
}

/** Go's `fmt.Errorf("<what>: %v", err)`, keeping the original as `cause`. */
function wrapError(what: string, err: unknown): Error {
  const wrapped = new Error(`${what}: ${errorText(err)}`);
  (wrapped as Error & { cause?: unknown }).cause = err;
  return wrapped;
}

/** Short text for a delta's object: tombstones show their key and what they hold. */
function describeObject(obj: unknown): string {
  if (obj instanceof DeletedFinalStateUnknown) return `DeletedFinalStateUnknown{${obj.key}, ${describe(obj.obj)}}`;
  return describe(obj);
}
