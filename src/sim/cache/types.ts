/**
 * The interfaces of client-go's local caches, composed as upstream: `Store` (objects by key) ⊂
 * `Indexer` (adds named indices); `ThreadSafeStore` is the keyed storage underneath, which does
 * not know how to make a key. Go's `(item, exists, err)` becomes `item | undefined` plus a thrown
 * error; a Go `error` return becomes a throw.
 * Upstream: client-go tools/cache/store.go, index.go, thread_safe_store.go at v0.34.0.
 */
import type { Indexers } from './index_funcs';

/**
 * Transforms an object before a store keeps it, e.g. to drop fields a controller never reads;
 * throws on failure. It may be given an object it has already transformed, so it must accept
 * that. Upstream: tools/cache/controller.go (TransformFunc)
 */
export type TransformFunc = (obj: unknown) => unknown;

/**
 * A generic object store: a map from string keys to accumulators, with operations to add,
 * update and delete a given object. A Store knows how to make the key from an object, so most
 * operations take only the object. Here each accumulator is simply the last object given, or
 * nothing after `delete`. Methods that make a key throw a `KeyError` when the key function fails.
 *
 * Order: `list()` and `listKeys()` follow the order keys were first stored (an update keeps a
 * key's place; a delete and re-add moves it to the end; `replace` uses the order of its list).
 * Go's map order is random; this is the model's deterministic choice.
 */
export interface Store<T = unknown> {
  /** Stores `obj` under its key, replacing what was there. */
  add(obj: T): void;
  /** Same as `add` (upstream `Update` does exactly what `Add` does). */
  update(obj: T): void;
  /** Removes whatever is stored under `obj`'s key; nothing happens if the key is absent. */
  delete(obj: unknown): void;
  /** Every stored object. */
  list(): T[];
  /** Every stored key. */
  listKeys(): string[];
  /** The object stored under `obj`'s key, or undefined when there is none. */
  get(obj: unknown): T | undefined;
  /** The object stored under `key`, or undefined when there is none. */
  getByKey(key: string): T | undefined;
  /**
   * Empties the store and fills it with `list` (the store takes ownership of the objects). If two
   * objects share a key, the later one wins. Throws a KeyError, storing nothing, if any object
   * has no key. `resourceVersion` is accepted as upstream and not used by this store.
   */
  replace(list: T[], resourceVersion: string): void;
  /** Meaningless for a plain store (DeltaFIFO gives it meaning); does nothing. */
  resync(): void;
}

/**
 * A Store with named indices, where each accumulator holds just the current object. An index maps
 * each indexed value to the keys of the objects that have it.
 *
 * Order: results listing keys or objects of an index (`index`, `indexKeys`, `byIndex`) are sorted
 * by storage key, and `listIndexFuncValues` is sorted by value. Upstream's `IndexKeys` sorts too;
 * the others iterate a Go map, so their order is random upstream.
 */
export interface Indexer<T = unknown> extends Store<T> {
  /**
   * The stored objects whose indexed values, for the named index, intersect those of `obj`. Throws
   * `Index with name <name> does not exist`, or whatever the index function throws for `obj`.
   */
  index(indexName: string, obj: T): T[];
  /** The storage keys of the objects whose indexed values for the named index include `indexedValue`. */
  indexKeys(indexName: string, indexedValue: string): string[];
  /** Every indexed value of the named index that at least one stored object has ([] for an unknown name). */
  listIndexFuncValues(indexName: string): string[];
  /** The stored objects whose indexed values for the named index include `indexedValue`. */
  byIndex(indexName: string, indexedValue: string): T[];
  /** The index functions, by name (the store's own map, as upstream returns it). */
  getIndexers(): Indexers<T>;
  /**
   * Adds index functions and indexes the objects already stored with them. Throws
   * `indexer conflict: map[<name>:{}]` if a name is taken, adding none of them.
   */
  addIndexers(newIndexers: Indexers<T>): void;
}

/**
 * Concurrent indexed storage keyed by the caller (Go: `ThreadSafeStore`). The model is single
 * threaded, so "thread safe" only names the upstream type. As upstream warns: never modify an
 * object you got from `get` or `list`. Indexing does not notice in-place changes, and an update
 * with the same (mutated) object computes its old index values from the new state.
 */
export interface ThreadSafeStore<T = unknown> {
  add(key: string, obj: T): void;
  update(key: string, obj: T): void;
  delete(key: string): void;
  get(key: string): T | undefined;
  list(): T[];
  listKeys(): string[];
  /** Takes `items` as the new contents (ownership passes to the store) and rebuilds every index. */
  replace(items: Map<string, T>, resourceVersion: string): void;
  index(indexName: string, obj: T): T[];
  indexKeys(indexName: string, indexedValue: string): string[];
  listIndexFuncValues(indexName: string): string[];
  byIndex(indexName: string, indexedValue: string): T[];
  getIndexers(): Indexers<T>;
  /** Adds more indexers; the objects already stored are indexed with them. */
  addIndexers(newIndexers: Indexers<T>): void;
  /** A no-op, deprecated upstream. */
  resync(): void;
}
