/**
 * Types of the DeltaFIFO model: deltas, the queue's contract, its configuration, its errors and
 * the snapshot a visualization draws. Go's `(item, exists, err)` becomes `item | undefined` plus a
 * thrown error; a Go `error` return becomes a throw; the blocking `Pop` becomes a promise.
 * Upstream: client-go tools/cache/delta_fifo.go and fifo.go at v0.34.0.
 */
import type { FakeClock } from '../core/clock';
import type { SimEnv } from '../core/env';
import type { TraceRecorder } from '../core/trace';
import type { KeyFunc } from './keys';
import type { TransformFunc } from './types';

/**
 * The type of a change (Go: `DeltaType`, a string). Use the constants (`DeltaType.Added`) or the
 * strings themselves; they are the same values.
 */
export const DeltaType = {
  /** The watch saw the object created. */
  Added: 'Added',
  /** The watch saw the object changed. */
  Updated: 'Updated',
  /**
   * The object was deleted. The delta holds its final state, or a `DeletedFinalStateUnknown`
   * when a relist (`replace`) found it gone and its final state is unknown.
   */
  Deleted: 'Deleted',
  /**
   * A relist (`replace`) listed the object; it may or may not have changed. Emitted only when the
   * queue is made with `emitDeltaTypeReplaced: true`; otherwise a relist emits `Sync`.
   */
  Replaced: 'Replaced',
  /** A periodic resync re-delivered the object the consumer already knows (`resync`). */
  Sync: 'Sync',
} as const;
export type DeltaType = (typeof DeltaType)[keyof typeof DeltaType];

/**
 * One change to one object (Go: `Delta`): what happened, and the object's state after it (for a
 * deletion, its final state before it was deleted).
 */
export interface Delta<T = unknown> {
  type: DeltaType;
  object: T;
}

/**
 * Everything that happened to one object (one key) since it was last popped, oldest first
 * (Go: `Deltas`). A Deltas held by the queue is never empty.
 */
export type Deltas<T = unknown> = Array<Delta<T>>;

/**
 * Anything that can list its keys and look an object up by key (Go: `KeyListerGetter`), such as
 * an Indexer. A DeltaFIFO's "known objects" change what `delete`, `replace` and `resync` do.
 * `getByKey` returns undefined when the key is absent (Go: `exists == false`) and may throw
 * (Go: a non-nil `err`).
 */
export interface KeyListerGetter {
  listKeys(): string[];
  getByKey(key: string): unknown | undefined;
}

/**
 * Processes the Deltas that `pop` took off the queue (Go: `PopProcessFunc`). `isInInitialList`
 * is true while the queue has not synced: the object came from the first `replace` (or from a
 * deletion that replace detected). It may return a promise; a throw or a rejection becomes the
 * rejection of `pop`.
 */
export type PopProcessFunc<T = unknown> = (deltas: Deltas<T>, isInInitialList: boolean) => void | Promise<void>;

/** Options of `newDeltaFIFO` (Go: `DeltaFIFOOptions`, plus the model's `name`, `clock`, `trace`). */
export interface DeltaFIFOConfig {
  /**
   * Makes the key of an object (Go: `KeyFunction`). Omitted: `metaNamespaceKeyFunc`. `keyOf`
   * wraps it to also understand Deltas and `DeletedFinalStateUnknown`.
   */
  keyFunction?: KeyFunc;
  /**
   * The keys the consumer "knows about", usually the informer's Indexer (Go: `KnownObjects`).
   * Omitted: `delete` only queues a deletion for a key already queued, `replace` detects
   * deletions only among queued keys, and `resync` does nothing.
   */
  knownObjects?: KeyListerGetter;
  /**
   * Whether `replace` emits `Replaced` deltas (true) or `Sync` deltas (false, the default, kept
   * upstream for backwards compatibility) (Go: `EmitDeltaTypeReplaced`).
   */
  emitDeltaTypeReplaced?: boolean;
  /**
   * Called with each object before it is queued, except tombstones and resync's `Sync` objects,
   * which already went through it (Go: `Transformer`). A throw fails the call that queued it.
   */
  transformer?: TransformFunc;
  /**
   * The queue's name in trace events (field `fifo`). Omitted: `deltaFIFO` for the first unnamed
   * queue recording to a trace, then `deltaFIFO-2`, `deltaFIFO-3`, ... per trace recorder.
   */
  name?: string;
  /**
   * The environment the queue runs in (its clock stamps trace events, its trace records them).
   * `clock` and `trace` override its parts. Omitted: a clock of the queue's own and the trace
   * the lab runtime installed (`useEnv`), if any.
   */
  env?: SimEnv;
  /** Gives trace events their time `t` (overrides `env.clock`). */
  clock?: FakeClock;
  /** Where events go (overrides `env.trace`). */
  trace?: TraceRecorder;
}

/**
 * What a Reflector fills and an informer pops (Go: `Queue` in fifo.go, which extends
 * `ReflectorStore`): the DeltaFIFO and the RealFIFO both are one. `pop` hands `process` a
 * Deltas: a key's accumulated Deltas (DeltaFIFO) or a single Delta (RealFIFO).
 */
export interface Queue<T = unknown> {
  /** The queue's name in trace events (field `fifo`). */
  readonly name: string;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: unknown): void;
  replace(list: T[], resourceVersion: string): void;
  resync(): void;
  /**
   * Waits for an item, takes it off the queue and calls `process(deltas, isInInitialList)` (one
   * pop at a time, as upstream calls it under the queue's lock); resolves with what `process`
   * was given once it has finished; rejects with its error, or with `ErrFIFOClosed` once the
   * queue is closed and empty.
   */
  pop(process: PopProcessFunc<T>): Promise<Deltas<T>>;
  /**
   * True once an add/update/delete came first, or once every item of the first `replace` has
   * been popped and the last one's `process` has returned.
   */
  hasSynced(): boolean;
  /** The key of an object, of Deltas (their newest object) or of a `DeletedFinalStateUnknown`. */
  keyOf(obj: unknown): string;
  close(): void;
  isClosed(): boolean;
}

/**
 * A producer-consumer queue of Deltas, one accumulator per key (Go: `*DeltaFIFO`, which is a
 * `Queue`). A Reflector produces (`add`, `update`, `delete`, `replace`, `resync`); an informer
 * consumes with `pop`. It lets the consumer process every change at most once, see everything
 * that happened to an object since it last processed it, process deletions, and periodically
 * reprocess objects.
 *
 * Invariants: a key is in the FIFO order if and only if it has Deltas, at most once; every Deltas
 * is non-empty; no Deltas holds two `Deleted` deltas in a row.
 */
export interface DeltaFIFO<T = unknown> extends Queue<T> {
  /** The queue's name in trace events. */
  readonly name: string;
  /** Appends an `Added` delta for `obj`; a new key joins the end of the FIFO order. */
  add(obj: T): void;
  /** Appends an `Updated` delta, like `add`. */
  update(obj: T): void;
  /**
   * Appends a `Deleted` delta, unless the object is unknown: without known objects, when its key
   * is not queued; with them, when neither they nor the queue have the key (it was presumably
   * deleted by a relist already; this avoids a second report of the same deletion).
   */
  delete(obj: unknown): void;
  /**
   * A relist: appends `Sync` (or `Replaced`) for every object in `list`, then, for every
   * pre-existing key missing from `list` (queued keys first, in FIFO order, then the known
   * objects' keys in the order they list them), the effect of
   * `delete(new DeletedFinalStateUnknown(key, lastKnownObject))`. The first replace before any
   * add/update/delete sets the initial population that `hasSynced` waits for.
   * `resourceVersion` is recorded in the trace only, as upstream ignores it.
   */
  replace(list: T[], resourceVersion: string): void;
  /** Appends `Sync` for every known object whose key has nothing queued (no-op without known objects). */
  resync(): void;
  /**
   * Waits until a key is queued, takes its Deltas off the queue and calls
   * `process(deltas, isInInitialList)`; resolves with the Deltas once `process` has finished.
   * Pops are served one at a time in the order they were called (upstream calls `process` under
   * the queue's lock). Rejects with `ErrFIFOClosed` once the queue is closed and empty; rejects
   * with `process`'s error if it throws (the Deltas are not put back, as at v1.34).
   */
  pop(process: PopProcessFunc<T>): Promise<Deltas<T>>;
  /**
   * The newest object of every queued key, in FIFO order. Upstream keeps `list` only as a test
   * helper in v1.34; see the README.
   */
  list(): unknown[];
  /** The queued keys, in FIFO order (upstream: the test helper `listKeys`). */
  listKeys(): string[];
  /** A copy of the Deltas queued for `obj`'s key, or undefined (upstream: the test helper `get`). */
  get(obj: unknown): Deltas<T> | undefined;
  /** A copy of the Deltas queued for `key`, or undefined (upstream: the test helper `getByKey`). */
  getByKey(key: string): Deltas<T> | undefined;
  /**
   * The key of `obj` by the key function; the key of the newest delta's object for Deltas; the
   * carried key for a `DeletedFinalStateUnknown`. Throws what the key function throws, or a
   * KeyError for empty Deltas.
   */
  keyOf(obj: unknown): string;
  /**
   * True once an add/update/delete came first, or once every key of the first `replace` (and the
   * deletions it queued) has been popped and the last one's `process` has returned (upstream's
   * HasSynced waits for the lock Pop holds while `process` runs).
   */
  hasSynced(): boolean;
  /** Closes the queue: waiting pops reject with `ErrFIFOClosed`. Adds still work; pops drain what is queued. */
  close(): void;
  /** True once `close` was called. */
  isClosed(): boolean;
  /** The queue's state as plain data (what a visualization draws). */
  snapshot(): DeltaFIFOSnapshot;
}

/** What happened to a key's Deltas (field `result` of the per-delta trace events). */
export type QueueActionResult =
  /** the key was not queued: it joins the end of the FIFO order with one delta */
  | 'queued'
  /** the key was queued: the delta is appended to its Deltas */
  | 'appended'
  /** the delta and the one before it were both deletions: they collapsed into one */
  | 'deduped'
  /** `delete` of an object nobody knows: nothing is queued */
  | 'ignored'
  /** `resync` of a key that already has queued deltas: nothing is queued */
  | 'skipped';

/** A DeltaFIFO's state as plain JSON data. */
export interface DeltaFIFOSnapshot {
  name: string;
  /** FIFO order, head first, with each key's Deltas (objects shown with `describe`). */
  queue: Array<{ key: string; deltas: Array<{ type: DeltaType; object: string }> }>;
  /** Whether a replace, add, update or delete has happened (Go: `populated`). */
  populated: boolean;
  /** Keys of the first replace not yet popped (Go: `initialPopulationCount`). */
  initialPopulationCount: number;
  hasSynced: boolean;
  closed: boolean;
  /** Pops waiting for a key (or for the pop ahead of them to finish processing). */
  waiters: number;
  /** The key whose Deltas a pop's `process` is working on, if any. */
  processing: string | null;
}

/** The error of `pop` on a closed, empty queue (Go: `ErrFIFOClosed`). */
export class FIFOClosedError extends Error {
  constructor() {
    super('DeltaFIFO: manipulating with closed queue');
    this.name = 'FIFOClosedError';
  }
}

/**
 * The one value `pop` rejects with once the queue is closed and empty, so `err === ErrFIFOClosed`
 * works like Go's `errors.Is(err, ErrFIFOClosed)`. Upstream: tools/cache/fifo.go (ErrFIFOClosed)
 */
export const ErrFIFOClosed: FIFOClosedError = new FIFOClosedError();

/**
 * The cause inside the KeyError `keyOf` throws for an empty Deltas (should be impossible, but
 * included for completeness). Upstream: tools/cache/delta_fifo.go (ErrZeroLengthDeltasObject)
 */
export const ErrZeroLengthDeltasObject: Error = new Error("0 length Deltas object; can't get key");

/** The oldest delta, or undefined for empty Deltas. Upstream: delta_fifo.go (Deltas.Oldest) */
export function oldestDelta<T>(deltas: Deltas<T>): Delta<T> | undefined {
  return deltas.length > 0 ? deltas[0] : undefined;
}

/** The newest delta, or undefined for empty Deltas. Upstream: delta_fifo.go (Deltas.Newest) */
export function newestDelta<T>(deltas: Deltas<T>): Delta<T> | undefined {
  return deltas.length > 0 ? deltas[deltas.length - 1] : undefined;
}

/**
 * A shallow copy: a new array holding the same Delta values, so a caller's later changes to the
 * queue's Deltas (or to the copy) do not show through. Upstream: delta_fifo.go (copyDeltas)
 */
export function copyDeltas<T>(deltas: Deltas<T>): Deltas<T> {
  return deltas.map((d) => ({ type: d.type, object: d.object }));
}
