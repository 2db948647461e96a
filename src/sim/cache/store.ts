/**
 * `cache`: the Store and Indexer every informer keeps, a ThreadSafeStore plus the key function
 * that turns objects into keys. Upstream: client-go tools/cache/store.go at v0.34.0.
 */
import { errorText } from './go_strings';
import type { Indexers } from './index_funcs';
import { KeyError, type KeyFunc } from './keys';
import { newThreadSafeStore } from './thread_safe_store';
import type { Indexer, Store, ThreadSafeStore, TransformFunc } from './types';

/** What a StoreOption may set (Go: the unexported fields of `cache`). */
export interface StoreConfig {
  /** Called with every object put in the store (`add`, `update`, `replace`). */
  transformer?: TransformFunc;
}

/** An option of `newStore` (Go: `StoreOption = func(*cache)`). */
export type StoreOption = (c: StoreConfig) => void;

/**
 * Stores every object as `transformer` returns it. A transformer that throws makes the call throw
 * `transforming: <its error>`, storing nothing. Upstream: tools/cache/store.go (WithTransformer)
 */
export function withTransformer(transformer: TransformFunc): StoreOption {
  return (c) => {
    c.transformer = transformer;
  };
}

/**
 * Implements Indexer in terms of a ThreadSafeStore and a key function.
 * Upstream: tools/cache/store.go (cache)
 */
export class Cache<T = unknown> implements Indexer<T> {
  /** Bears the storage (and, upstream, the burden of thread safety). */
  readonly #cacheStorage: ThreadSafeStore<T>;
  /** Makes the key of objects stored in and retrieved from the storage; must be deterministic. */
  readonly #keyFunc: KeyFunc;
  /** Called with every object put in the cache. */
  readonly #transformer: TransformFunc | undefined;

  constructor(cacheStorage: ThreadSafeStore<T>, keyFunc: KeyFunc, transformer?: TransformFunc) {
    this.#cacheStorage = cacheStorage;
    this.#keyFunc = keyFunc;
    this.#transformer = transformer;
  }

  // Upstream: cache.Add
  add(obj: T): void {
    const key = this.#keyOf(obj);
    this.#cacheStorage.add(key, this.#transform(obj));
  }

  // Upstream: cache.Update
  update(obj: T): void {
    const key = this.#keyOf(obj);
    this.#cacheStorage.update(key, this.#transform(obj));
  }

  // Upstream: cache.Delete
  delete(obj: unknown): void {
    this.#cacheStorage.delete(this.#keyOf(obj));
  }

  // Upstream: cache.List
  list(): T[] {
    return this.#cacheStorage.list();
  }

  // Upstream: cache.ListKeys
  listKeys(): string[] {
    return this.#cacheStorage.listKeys();
  }

  // Upstream: cache.GetIndexers
  getIndexers(): Indexers<T> {
    return this.#cacheStorage.getIndexers();
  }

  // Upstream: cache.Index
  index(indexName: string, obj: T): T[] {
    return this.#cacheStorage.index(indexName, obj);
  }

  // Upstream: cache.IndexKeys (the keys suit getByKey)
  indexKeys(indexName: string, indexedValue: string): string[] {
    return this.#cacheStorage.indexKeys(indexName, indexedValue);
  }

  // Upstream: cache.ListIndexFuncValues
  listIndexFuncValues(indexName: string): string[] {
    return this.#cacheStorage.listIndexFuncValues(indexName);
  }

  // Upstream: cache.ByIndex
  byIndex(indexName: string, indexedValue: string): T[] {
    return this.#cacheStorage.byIndex(indexName, indexedValue);
  }

  // Upstream: cache.AddIndexers
  addIndexers(newIndexers: Indexers<T>): void {
    this.#cacheStorage.addIndexers(newIndexers);
  }

  // Upstream: cache.Get
  get(obj: unknown): T | undefined {
    return this.getByKey(this.#keyOf(obj));
  }

  // Upstream: cache.GetByKey
  getByKey(key: string): T | undefined {
    return this.#cacheStorage.get(key);
  }

  // Upstream: cache.Replace
  replace(list: T[], resourceVersion: string): void {
    const items = new Map<string, T>();
    for (const item of list) {
      const key = this.#keyOf(item);
      items.set(key, this.#transform(item));
    }
    this.#cacheStorage.replace(items, resourceVersion);
  }

  // Upstream: cache.Resync (meaningless for a cache)
  resync(): void {}

  #keyOf(obj: unknown): string {
    try {
      return this.#keyFunc(obj);
    } catch (err) {
      throw new KeyError(obj, err);
    }
  }

  #transform(obj: T): T {
    if (!this.#transformer) return obj;
    try {
      return this.#transformer(obj) as T;
    } catch (err) {
      throw new Error(`transforming: ${errorText(err)}`, { cause: err });
    }
  }
}

/**
 * A Store kept in a map, without indices.
 * Upstream: tools/cache/store.go (NewStore)
 */
export function newStore<T = unknown>(keyFunc: KeyFunc, ...opts: StoreOption[]): Store<T> {
  const config: StoreConfig = {};
  for (const opt of opts) opt(config);
  return new Cache<T>(newThreadSafeStore<T>({}, new Map()), keyFunc, config.transformer);
}

/**
 * An Indexer kept in a map, with the given index functions (e.g. `{ [NamespaceIndex]:
 * metaNamespaceIndexFunc }`). Upstream: tools/cache/store.go (NewIndexer)
 */
export function newIndexer<T = unknown>(keyFunc: KeyFunc, indexers: Indexers<T>): Indexer<T> {
  return new Cache<T>(newThreadSafeStore<T>(indexers, new Map()), keyFunc);
}
