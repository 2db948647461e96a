/**
 * The storage under every client-go cache: a map of items by key plus the indices kept for them.
 * Upstream: client-go tools/cache/thread_safe_store.go at v0.34.0 (`storeIndex`, `threadSafeMap`).
 *
 * Go guards the map with a RWMutex; the model runs on one thread, so every method is atomic by
 * construction. Go's maps iterate in random order; here `items` is a JS Map (insertion order) and
 * index results are sorted (see types.ts), so every run returns the same lists.
 */
import { errorText, formatGoStringSet, goQuote, sortedList } from './go_strings';
import { hasIndexFunc, type Index, type Indexers, type Indices } from './index_funcs';
import type { ThreadSafeStore } from './types';

/** Go's `obj != nil` for an `interface{}`: JS has two nils. */
function isNil(obj: unknown): boolean {
  return obj === undefined || obj === null;
}

/**
 * The indexing half of the store. Invariants: for every index name and indexed value `v`,
 * `indices.get(name).get(v)` holds exactly the keys of the stored objects whose index function
 * returns `v`, and is never empty (an emptied set is deleted, kubernetes/kubernetes#84959).
 * Upstream: tools/cache/thread_safe_store.go (storeIndex)
 */
export class StoreIndex<T> {
  /** Maps a name to an IndexFunc. Shared with the caller, as upstream shares the Go map. */
  readonly #indexers: Indexers<T>;
  /** Maps a name to an Index. Replaced by a fresh map on `reset()`. */
  #indices: Indices;
  /**
   * Each index set's keys in Go's sorted order, computed on first read and dropped when the set
   * changes: listers read a namespace's pods on every sync, far more often than the set changes
   * (a status update leaves it as it is), and sorting thousands of keys each time dominated.
   */
  #sorted = new WeakMap<Set<string>, readonly string[]>();

  constructor(indexers: Indexers<T>, indices: Indices) {
    this.#indexers = indexers;
    this.#indices = indices;
  }

  /** The index functions, by name (the caller's map). */
  get indexers(): Indexers<T> {
    return this.#indexers;
  }

  /**
   * The indices, by name (Go's field `indices`, which upstream's tests read). Read them; change
   * them only through the store.
   */
  get indices(): Indices {
    return this.#indices;
  }

  // Upstream: thread_safe_store.go (storeIndex.reset)
  reset(): void {
    this.#indices = new Map();
  }

  /** The keys whose indexed values intersect those of `obj`. Upstream: storeIndex.getKeysFromIndex */
  getKeysFromIndex(indexName: string, obj: T): Set<string> {
    const indexFunc = this.#indexFunc(indexName);
    const indexedValues = indexFunc(obj);
    const index = this.#indices.get(indexName);
    // In the majority of cases there is exactly one value: no de-duplication needed.
    if (indexedValues.length === 1) return index?.get(indexedValues[0]) ?? new Set();
    const storeKeySet = new Set<string>();
    for (const value of indexedValues) for (const key of index?.get(value) ?? []) storeKeySet.add(key);
    return storeKeySet;
  }

  /** The keys indexed under `indexedValue`. Upstream: storeIndex.getKeysByIndex */
  getKeysByIndex(indexName: string, indexedValue: string): Set<string> {
    this.#indexFunc(indexName);
    return this.#indices.get(indexName)?.get(indexedValue) ?? new Set();
  }

  /** `keys` in Go's sorted order; cached while `keys` is an index set that has not changed. Do not mutate the result. */
  sortedKeys(keys: Set<string>): readonly string[] {
    let sorted = this.#sorted.get(keys);
    if (!sorted) {
      sorted = sortedList(keys);
      this.#sorted.set(keys, sorted);
    }
    return sorted;
  }

  /** Every indexed value of an index, sorted. Upstream: storeIndex.getIndexValues */
  getIndexValues(indexName: string): string[] {
    return sortedList(this.#indices.get(indexName)?.keys());
  }

  /** Merges `newIndexers` into `indexers`, or throws if any name is taken. Upstream: storeIndex.addIndexers */
  addIndexers(newIndexers: Indexers<T>): void {
    const conflict = Object.keys(newIndexers).filter((name) => Object.prototype.hasOwnProperty.call(this.#indexers, name));
    if (conflict.length > 0) throw new Error(`indexer conflict: ${formatGoStringSet(conflict)}`);
    for (const [name, fn] of Object.entries(newIndexers)) this.#indexers[name] = fn;
  }

  /**
   * Moves `key` in the named index from the values of `oldObj` to those of `newObj`: for a
   * create pass only `newObj`, for an update both, for a delete only `oldObj` (the other as
   * undefined). A throwing index function throws here (Go panics), leaving the update half done.
   * Upstream: storeIndex.updateSingleIndex
   */
  updateSingleIndex(name: string, oldObj: T | undefined, newObj: T | undefined, key: string): void {
    const indexFunc = this.#indexers[name];
    if (!hasIndexFunc(this.#indexers, name)) {
      // Should never happen: callers pass names from `indexers`.
      throw new Error(`indexer ${goQuote(name)} does not exist`);
    }
    const oldIndexValues = isNil(oldObj) ? [] : this.#computeValues(indexFunc, oldObj as T, key, name);
    const indexValues = isNil(newObj) ? [] : this.#computeValues(indexFunc, newObj as T, key, name);

    let index = this.#indices.get(name);
    if (!index) {
      index = new Map();
      this.#indices.set(name, index);
    }

    // The most common case: one value, unchanged.
    if (indexValues.length === 1 && oldIndexValues.length === 1 && indexValues[0] === oldIndexValues[0]) return;

    for (const value of oldIndexValues) this.#deleteKeyFromIndex(key, value, index);
    for (const value of indexValues) this.#addKeyToIndex(key, value, index);
  }

  /** Updates every index. Upstream: storeIndex.updateIndices */
  updateIndices(oldObj: T | undefined, newObj: T | undefined, key: string): void {
    for (const name of Object.keys(this.#indexers)) this.updateSingleIndex(name, oldObj, newObj, key);
  }

  // Upstream: storeIndex.addKeyToIndex
  #addKeyToIndex(key: string, indexValue: string, index: Index): void {
    let set = index.get(indexValue);
    if (!set) {
      set = new Set();
      index.set(indexValue, set);
    }
    if (set.has(key)) return;
    set.add(key);
    this.#sorted.delete(set);
  }

  // Upstream: storeIndex.deleteKeyFromIndex
  #deleteKeyFromIndex(key: string, indexValue: string, index: Index): void {
    const set = index.get(indexValue);
    if (!set) return;
    if (set.delete(key)) this.#sorted.delete(set);
    // Without this, high-cardinality indices over short-lived objects would keep growing with
    // empty sets (kubernetes/kubernetes#84959).
    if (set.size === 0) index.delete(indexValue);
  }

  #indexFunc(indexName: string) {
    if (!hasIndexFunc(this.#indexers, indexName)) throw new Error(`Index with name ${indexName} does not exist`);
    return this.#indexers[indexName];
  }

  #computeValues(indexFunc: (obj: T) => string[], obj: T, key: string, name: string): string[] {
    try {
      return indexFunc(obj);
    } catch (err) {
      throw new Error(`unable to calculate an index entry for key ${goQuote(key)} on index ${goQuote(name)}: ${errorText(err)}`, { cause: err });
    }
  }
}

/**
 * Items by key, and their indices. Invariant: `storeIndex` describes exactly the objects in `items`.
 * Upstream: tools/cache/thread_safe_store.go (threadSafeMap)
 */
export class ThreadSafeMap<T = unknown> implements ThreadSafeStore<T> {
  /** The stored objects by key, in the order keys were first stored. */
  #items = new Map<string, T>();
  readonly #storeIndex: StoreIndex<T>;

  constructor(storeIndex: StoreIndex<T>) {
    this.#storeIndex = storeIndex;
  }

  /**
   * The indexing functionality (Go's field `index`, renamed because `index` is a method here),
   * which upstream's tests read. A store an informer keeps is reachable only through its Indexer,
   * which does not expose this.
   */
  get storeIndex(): StoreIndex<T> {
    return this.#storeIndex;
  }

  /** The stored objects by key (the map `replace` took ownership of; tests read it). */
  get items(): ReadonlyMap<string, T> {
    return this.#items;
  }

  // Upstream: threadSafeMap.Add (it calls Update)
  add(key: string, obj: T): void {
    this.update(key, obj);
  }

  // Upstream: threadSafeMap.Update
  update(key: string, obj: T): void {
    const oldObject = this.#items.get(key);
    this.#items.set(key, obj);
    this.#storeIndex.updateIndices(oldObject, obj, key);
  }

  // Upstream: threadSafeMap.Delete
  delete(key: string): void {
    if (!this.#items.has(key)) return;
    this.#storeIndex.updateIndices(this.#items.get(key), undefined, key);
    this.#items.delete(key);
  }

  // Upstream: threadSafeMap.Get
  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  // Upstream: threadSafeMap.List
  list(): T[] {
    return [...this.#items.values()];
  }

  // Upstream: threadSafeMap.ListKeys
  listKeys(): string[] {
    return [...this.#items.keys()];
  }

  // Upstream: threadSafeMap.Replace
  replace(items: Map<string, T>, _resourceVersion: string): void {
    this.#items = items;
    // Rebuild every index.
    this.#storeIndex.reset();
    for (const [key, item] of this.#items) this.#storeIndex.updateIndices(undefined, item, key);
  }

  // Upstream: threadSafeMap.Index
  index(indexName: string, obj: T): T[] {
    return this.#objectsOf(this.#storeIndex.getKeysFromIndex(indexName, obj));
  }

  // Upstream: threadSafeMap.ByIndex
  byIndex(indexName: string, indexedValue: string): T[] {
    return this.#objectsOf(this.#storeIndex.getKeysByIndex(indexName, indexedValue));
  }

  // Upstream: threadSafeMap.IndexKeys (sets.String.List() is sorted)
  indexKeys(indexName: string, indexedValue: string): string[] {
    return sortedList(this.#storeIndex.getKeysByIndex(indexName, indexedValue));
  }

  // Upstream: threadSafeMap.ListIndexFuncValues
  listIndexFuncValues(indexName: string): string[] {
    return this.#storeIndex.getIndexValues(indexName);
  }

  // Upstream: threadSafeMap.GetIndexers
  getIndexers(): Indexers<T> {
    return this.#storeIndex.indexers;
  }

  // Upstream: threadSafeMap.AddIndexers
  addIndexers(newIndexers: Indexers<T>): void {
    this.#storeIndex.addIndexers(newIndexers);
    // If there are already items, index them.
    for (const [key, item] of this.#items) {
      for (const name of Object.keys(newIndexers)) this.#storeIndex.updateSingleIndex(name, undefined, item, key);
    }
  }

  // Upstream: threadSafeMap.Resync (nothing to do)
  resync(): void {}

  /** The objects under `keys`, in sorted key order (Go iterates the set in random order). */
  #objectsOf(keys: Set<string>): T[] {
    return this.#storeIndex.sortedKeys(keys).map((key) => this.#items.get(key) as T);
  }
}

/**
 * A new store with the given index functions and (normally empty) indices. `indexers` is kept,
 * not copied: `addIndexers` adds to it, as upstream adds to the Go map it was given.
 * Upstream: tools/cache/thread_safe_store.go (NewThreadSafeStore)
 */
export function newThreadSafeStore<T = unknown>(indexers: Indexers<T>, indices: Indices = new Map()): ThreadSafeStore<T> {
  return new ThreadSafeMap<T>(new StoreIndex<T>(indexers, indices));
}
