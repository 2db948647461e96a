/**
 * The watch cache of one resource: the current objects (sorted by key), and a sliding window of
 * the latest events in a cyclic buffer whose capacity doubles while every buffered event is
 * fresher than `eventFreshDurationMs` and halves when the newest quarter is older, between 100 and
 * 100 * 1024. A watch from a resourceVersion inside the window replays the events after it; below
 * the window it gets `410 Expired` "too old resource version: X (Y)". Lists are served at the
 * cache's resourceVersion, or, after waiting up to 3 s for it to catch up, at a newer one (a
 * consistent read), or at an exact resourceVersion inside the window (ListFromCacheSnapshot).
 *
 * Invariants: the buffer holds the events in `[startIndex, endIndex)` in resourceVersion order,
 * `endIndex - startIndex <= capacity`; `resourceVersion` never decreases between relists; the
 * store equals the state after the newest buffered event (or the last list).
 * Upstream: apiserver pkg/storage/cacher/watch_cache.go (watchCache: processEvent, updateCache,
 * resizeCacheLocked, UpdateResourceVersion, Replace, waitUntilFreshAndBlock, waitUntilFreshAndList,
 * waitAndListExactRV, waitAndListConsistent, listLatestRV, getAllEventsSinceLocked, Compact,
 * capacityUpperBound), watch_cache_interval.go (newCacheIntervalFromStore), store_btree.go (ListPrefix)
 */
import type { FakeClock, Timer } from '../../core/clock';
import type { KubeObject } from '../../core/object';
import type { ReflectorStore } from '../../cache/reflector';
import { newBadRequest, newResourceExpired } from '../../apimachinery/errors';
import { decodeContinue } from '../storage/continue';
import { newTooLargeResourceVersionError } from '../storage/errors';
import { parseResourceVersion, type Attrs, type StorageListOptions } from '../storage/interfaces';

/** How long a read waits for the cache to reach a resourceVersion (Go: `blockTimeout`). */
export const blockTimeoutMs = 3000;
/** Go: `resourceVersionTooHighRetrySeconds`. */
export const resourceVersionTooHighRetrySeconds = 1;
/** Go: `defaultLowerBoundCapacity`, `defaultUpperBoundCapacity`. */
export const defaultLowerBoundCapacity = 100;
export const defaultUpperBoundCapacity = 100 * 1024;
/** Go: `DefaultEventFreshDuration` = the 1 min bookmark frequency + 15 s. */
export const defaultEventFreshDurationMs = 75_000;

export type WatchCacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** watchCacheEvent: an event with the object's previous state, so filters can tell "stopped matching". */
export interface WatchCacheEvent {
  type: WatchCacheEventType;
  object: KubeObject;
  attrs: Attrs;
  prevObject?: KubeObject;
  prevAttrs?: Attrs;
  key: string;
  resourceVersion: number;
  recordTimeMs: number;
}

/** A watch cache as plain data: its window (oldest event first) and its objects' resourceVersions. */
export interface WatchCacheSnapshot {
  capacity: number;
  lowerBoundCapacity: number;
  upperBoundCapacity: number;
  startIndex: number;
  endIndex: number;
  resourceVersion: number;
  listResourceVersion: number;
  events: Array<{ type: string; key: string; resourceVersion: number; objectResourceVersion: string }>;
  store: Array<{ key: string; resourceVersion: string }>;
}

/** storeElement. */
export interface StoreElement {
  key: string;
  object: KubeObject;
  attrs: Attrs;
}

export interface WatchCacheConfig {
  clock: FakeClock;
  keyFunc: (obj: KubeObject) => string;
  getAttrs: (obj: KubeObject) => Attrs;
  eventFreshDurationMs?: number;
  /** Each event, after it is stored (Go: the cacher's `processEvent`). */
  eventHandler: (e: WatchCacheEvent) => void;
  /** The resourceVersion moved without an event (Go: a Bookmark watchCacheEvent to the handler). */
  onProgress: (rv: number) => void;
  /** The window's capacity changed. */
  onResize?: (from: number, to: number) => void;
  /** Called at the end of every Replace. */
  onReplace?: (rv: number, items: number) => void;
  /** etcd's current revision (Go: `getCurrentRV` = storage.GetCurrentResourceVersion). */
  getCurrentRV: () => Promise<number>;
  /** Called while reads wait for freshness (the ConditionalProgressRequester's Add/Remove). */
  waitingUntilFresh: { add(): void; remove(): void };
  /** ListFromCacheSnapshot: exact lists are served from the window (default true). */
  snapshots?: boolean;
  /** The window's bounds (default 100 and capacityUpperBound); upstream's tests set the fields. */
  lowerBoundCapacity?: number;
  upperBoundCapacity?: number;
}

/** A list result (Go: `listResp`). */
export interface ListResp {
  items: StoreElement[];
  resourceVersion: number;
}

interface Waiter {
  rv: number;
  resolve: () => void;
  reject: (e: unknown) => void;
  timer: Timer;
}

// Upstream: watch_cache.go (capacityUpperBound)
export function capacityUpperBound(eventFreshDurationMs: number): number {
  if (eventFreshDurationMs <= defaultEventFreshDurationMs) return defaultUpperBoundCapacity;
  let exponent = Math.ceil(Math.log2(eventFreshDurationMs / defaultEventFreshDurationMs));
  const maxExponent = Math.floor(Math.log2(2147483647 / defaultUpperBoundCapacity));
  if (exponent > maxExponent) exponent = maxExponent;
  return defaultUpperBoundCapacity * 2 ** exponent;
}

const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether `key` is `prefix` or under it (Go: `hasPathPrefix`). */
export function hasPathPrefix(key: string, prefix: string): boolean {
  if (!key.startsWith(prefix)) return false;
  if (key.length === prefix.length || prefix.endsWith('/')) return true;
  return key[prefix.length] === '/';
}

// Upstream: watch_cache.go (watchCache)
export class WatchCache implements ReflectorStore<KubeObject> {
  readonly #cfg: WatchCacheConfig;
  readonly #eventFreshDurationMs: number;
  #capacity: number;
  readonly #lowerBoundCapacity: number;
  readonly #upperBoundCapacity: number;
  #cache: Array<WatchCacheEvent | undefined>;
  #startIndex = 0;
  #endIndex = 0;
  #removedEventSinceRelist = false;
  /** The objects, by key. */
  readonly #store = new Map<string, StoreElement>();
  /** The keys in order, or undefined after a key was added or removed (sorted on demand). */
  #sortedKeys: string[] | undefined = [];
  #resourceVersion = 0;
  #listResourceVersion = 0;
  /** The oldest resourceVersion an exact list can be served at (Go: the oldest snapshot); 0: none. */
  #snapshotFloor = 0;
  #waiters: Waiter[] = [];

  constructor(cfg: WatchCacheConfig) {
    this.#cfg = cfg;
    this.#eventFreshDurationMs = cfg.eventFreshDurationMs ?? defaultEventFreshDurationMs;
    this.#upperBoundCapacity = cfg.upperBoundCapacity ?? capacityUpperBound(this.#eventFreshDurationMs);
    this.#lowerBoundCapacity = cfg.lowerBoundCapacity ?? defaultLowerBoundCapacity;
    this.#capacity = this.#lowerBoundCapacity;
    this.#cache = new Array(this.#capacity);
  }

  get resourceVersion(): number {
    return this.#resourceVersion;
  }

  get listResourceVersion(): number {
    return this.#listResourceVersion;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Events in the window. */
  get size(): number {
    return this.#endIndex - this.#startIndex;
  }

  /** The resourceVersion of the oldest event in the window (0: empty). */
  get oldestResourceVersion(): number {
    return this.size > 0 ? (this.#cache[this.#startIndex % this.#capacity] as WatchCacheEvent).resourceVersion : 0;
  }

  /** The oldest resourceVersion a watch can start from without a 410 (Go: `oldest - 1`), or undefined if uninitialized. */
  oldestWatchableResourceVersion(): number | undefined {
    const oldest = this.#oldest();
    return oldest === undefined ? undefined : oldest - 1;
  }

  /** Objects stored. */
  get length(): number {
    return this.#store.size;
  }

  /** The state as plain data (for `checkWatchCacheInvariants`, views and tests). */
  snapshot(): WatchCacheSnapshot {
    const events: WatchCacheSnapshot['events'] = [];
    for (let i = this.#startIndex; i < this.#endIndex; i++) {
      const e = this.#cache[i % this.#capacity];
      events.push(e ? { type: e.type, key: e.key, resourceVersion: e.resourceVersion, objectResourceVersion: e.object.metadata.resourceVersion ?? '' } : { type: 'missing', key: '', resourceVersion: 0, objectResourceVersion: '' });
    }
    const store = [...this.#store.values()].map((e) => ({ key: e.key, resourceVersion: e.object.metadata.resourceVersion ?? '' }));
    return {
      capacity: this.#capacity,
      lowerBoundCapacity: this.#lowerBoundCapacity,
      upperBoundCapacity: this.#upperBoundCapacity,
      startIndex: this.#startIndex,
      endIndex: this.#endIndex,
      resourceVersion: this.#resourceVersion,
      listResourceVersion: this.#listResourceVersion,
      events,
      store,
    };
  }

  // ---- ReflectorStore (the cacher's reflector writes here) -----------------------------------

  // Upstream: watchCache.Add
  add(obj: KubeObject): void {
    this.#processEvent('ADDED', obj, (elem) => this.#storeSet(elem));
  }

  // Upstream: watchCache.Update
  update(obj: KubeObject): void {
    this.#processEvent('MODIFIED', obj, (elem) => this.#storeSet(elem));
  }

  // Upstream: watchCache.Delete
  delete(obj: KubeObject): void {
    this.#processEvent('DELETED', obj, (elem) => this.#storeDelete(elem.key));
  }

  // Upstream: watchCache.Replace
  replace(list: KubeObject[], resourceVersion: string): void {
    const version = parseResourceVersion(resourceVersion);
    const elems = list.map((o) => ({ key: this.#cfg.keyFunc(o), object: o, attrs: this.#cfg.getAttrs(o) }));
    // Empty the cyclic buffer, ensuring startIndex doesn't decrease.
    this.#startIndex = this.#endIndex;
    this.#removedEventSinceRelist = false;
    this.#store.clear();
    for (const e of elems) this.#store.set(e.key, e);
    this.#sortedKeys = undefined;
    this.#snapshotFloor = version;
    this.#listResourceVersion = version;
    this.#resourceVersion = version;
    this.#cfg.onReplace?.(version, elems.length);
    this.#wakeWaiters();
  }

  resync(): void {}

  // Upstream: watchCache.UpdateResourceVersion
  updateResourceVersion(resourceVersion: string): void {
    const rv = parseResourceVersion(resourceVersion);
    const moved = rv !== this.#resourceVersion;
    this.#resourceVersion = rv;
    this.#wakeWaiters();
    if (moved) this.#cfg.onProgress(rv);
  }

  // Upstream: watchCache.processEvent
  #processEvent(type: WatchCacheEventType, object: KubeObject, update: (elem: StoreElement) => void): void {
    const key = this.#cfg.keyFunc(object);
    const resourceVersion = parseResourceVersion(object.metadata.resourceVersion);
    const elem: StoreElement = { key, object, attrs: this.#cfg.getAttrs(object) };
    const event: WatchCacheEvent = { type, object, attrs: elem.attrs, key, resourceVersion, recordTimeMs: this.#cfg.clock.now() };
    const previous = this.#store.get(key);
    if (previous) {
      event.prevObject = previous.object;
      event.prevAttrs = previous.attrs;
    }
    this.#updateCache(event);
    this.#resourceVersion = resourceVersion;
    update(elem);
    // ListFromCacheSnapshot: a full window forgets the snapshots older than its oldest event.
    if (this.#isCacheFull()) this.#snapshotFloor = Math.max(this.#snapshotFloor, this.oldestResourceVersion);
    this.#wakeWaiters();
    this.#cfg.eventHandler(event);
  }

  // Upstream: watchCache.updateCache
  #updateCache(event: WatchCacheEvent): void {
    this.#resizeCache(event.recordTimeMs);
    if (this.#isCacheFull()) {
      this.#cache[this.#startIndex % this.#capacity] = undefined;
      this.#startIndex++;
      this.#removedEventSinceRelist = true;
    }
    this.#cache[this.#endIndex % this.#capacity] = event;
    this.#endIndex++;
  }

  // Upstream: watchCache.resizeCacheLocked
  #resizeCache(eventTimeMs: number): void {
    if (this.#isCacheFull() && eventTimeMs - (this.#cache[this.#startIndex % this.#capacity] as WatchCacheEvent).recordTimeMs < this.#eventFreshDurationMs) {
      const capacity = Math.min(this.#capacity * 2, this.#upperBoundCapacity);
      if (capacity > this.#capacity) this.#doCacheResize(capacity);
      return;
    }
    if (this.#isCacheFull() && eventTimeMs - (this.#cache[(this.#endIndex - this.#capacity / 4) % this.#capacity] as WatchCacheEvent).recordTimeMs > this.#eventFreshDurationMs) {
      const capacity = Math.max(this.#capacity / 2, this.#lowerBoundCapacity);
      if (capacity < this.#capacity) this.#doCacheResize(capacity);
    }
  }

  #isCacheFull(): boolean {
    return this.#endIndex === this.#startIndex + this.#capacity;
  }

  // Upstream: watchCache.doCacheResizeLocked
  #doCacheResize(capacity: number): void {
    const from = this.#capacity;
    const next: Array<WatchCacheEvent | undefined> = new Array(capacity);
    if (capacity < this.#capacity) this.#startIndex = this.#endIndex - capacity;
    for (let i = this.#startIndex; i < this.#endIndex; i++) next[i % capacity] = this.#cache[i % this.#capacity];
    this.#cache = next;
    this.#capacity = capacity;
    this.#cfg.onResize?.(from, capacity);
  }

  #storeSet(elem: StoreElement): void {
    if (!this.#store.has(elem.key)) this.#sortedKeys = undefined;
    this.#store.set(elem.key, elem);
  }

  #storeDelete(key: string): void {
    if (this.#store.delete(key)) this.#sortedKeys = undefined;
  }

  #keys(): string[] {
    if (!this.#sortedKeys) this.#sortedKeys = [...this.#store.keys()].sort(compareKeys);
    return this.#sortedKeys;
  }

  // ---- freshness ------------------------------------------------------------------------------

  /** Whether the cache has not reached `rv` yet (Go: `notFresh`). */
  notFresh(rv: number): boolean {
    return rv > this.#resourceVersion;
  }

  /**
   * Resolves once the cache is at `rv` or later; rejects with "Too large resource version" after
   * 3 s (Go: `waitUntilFreshAndBlock`). The progress requester is told while it waits.
   */
  // Upstream: watchCache.waitUntilFreshAndBlock
  waitUntilFresh(rv: number): Promise<void> {
    if (rv === 0 || this.#resourceVersion >= rv) return Promise.resolve();
    this.#cfg.waitingUntilFresh.add();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        rv,
        resolve: () => {
          this.#cfg.waitingUntilFresh.remove();
          resolve();
        },
        reject: (e) => {
          this.#cfg.waitingUntilFresh.remove();
          reject(e);
        },
        timer: this.#cfg.clock.afterFunc(blockTimeoutMs, () => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          waiter.reject(newTooLargeResourceVersionError(rv, this.#resourceVersion, resourceVersionTooHighRetrySeconds));
        }),
      };
      this.#waiters.push(waiter);
    });
  }

  #wakeWaiters(): void {
    if (this.#waiters.length === 0) return;
    const ready = this.#waiters.filter((w) => w.rv <= this.#resourceVersion);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.rv > this.#resourceVersion);
    for (const w of ready) {
      w.timer.stop();
      w.resolve();
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  /** The object at `key` once the cache is at `rv` (Go: `WaitUntilFreshAndGet`). */
  async waitUntilFreshAndGet(rv: number, key: string): Promise<{ elem?: StoreElement; resourceVersion: number }> {
    await this.waitUntilFresh(rv);
    return { elem: this.#store.get(key), resourceVersion: this.#resourceVersion };
  }

  getByKey(key: string): StoreElement | undefined {
    return this.#store.get(key);
  }

  /** A list of one key or of a prefix, as `opts` asks (Go: `WaitUntilFreshAndGetList`). */
  // Upstream: watchCache.WaitUntilFreshAndGetList, waitUntilFreshAndGetList, waitUntilFreshAndList
  async waitUntilFreshAndGetList(key: string, opts: StorageListOptions): Promise<ListResp> {
    if (!opts.recursive) {
      const rv = opts.resourceVersionMatch === '' && opts.resourceVersion === '' ? await this.#cfg.getCurrentRV() : parseResourceVersion(opts.resourceVersion);
      const got = await this.waitUntilFreshAndGet(rv, key);
      return { items: got.elem ? [got.elem] : [], resourceVersion: got.resourceVersion };
    }
    const listRV = parseResourceVersion(opts.resourceVersion);
    switch (opts.resourceVersionMatch) {
      case 'Exact':
        return this.#waitAndListExactRV(key, '', listRV);
      case 'NotOlderThan':
        break;
      case '': {
        if (opts.predicate.continue) {
          let decoded: { fromKey: string; rv: number };
          try {
            decoded = decodeContinue(opts.predicate.continue, key);
          } catch (e) {
            throw newBadRequest(`invalid continue token: ${(e as Error).message}`);
          }
          if (decoded.rv > 0) return this.#waitAndListExactRV(key, decoded.fromKey, decoded.rv);
          return this.#waitAndListConsistent(key, decoded.fromKey);
        }
        if (opts.predicate.limit > 0 && opts.resourceVersion && opts.resourceVersion !== '0') return this.#waitAndListExactRV(key, '', listRV);
        if (opts.resourceVersion === '') return this.#waitAndListConsistent(key, '');
        break;
      }
    }
    await this.waitUntilFresh(listRV);
    return this.#listLatestRV(key, '');
  }

  /** Whether an exact list at `rv` can be served (Go: `snapshots.GetLessOrEqual(rv)` found one). */
  canServeExact(rv: number): boolean {
    if (this.#cfg.snapshots === false) return false;
    return this.#snapshotFloor > 0 && rv >= this.#snapshotFloor;
  }

  // Upstream: watchCache.waitAndListExactRV
  async #waitAndListExactRV(key: string, continueKey: string, rv: number): Promise<ListResp> {
    await this.waitUntilFresh(rv);
    if (!this.canServeExact(rv)) throw newResourceExpired(`too old resource version: ${rv}`);
    return { items: this.#listAt(rv, key, continueKey), resourceVersion: rv };
  }

  // Upstream: watchCache.waitAndListConsistent
  async #waitAndListConsistent(key: string, continueKey: string): Promise<ListResp> {
    const rv = await this.#cfg.getCurrentRV();
    await this.waitUntilFresh(rv);
    return this.#listLatestRV(key, continueKey);
  }

  // Upstream: watchCache.listLatestRV, storeBtree.ListPrefix
  #listLatestRV(key: string, continueKey: string): ListResp {
    const items: StoreElement[] = [];
    const keys = this.#keys();
    const from = continueKey || key;
    for (let i = lowerBound(keys, from); i < keys.length; i++) {
      const k = keys[i];
      if (!k.startsWith(key)) break;
      items.push(this.#store.get(k) as StoreElement);
    }
    return { items, resourceVersion: this.#resourceVersion };
  }

  /** The state at `rv`: the current one with the buffered events after `rv` undone. */
  #listAt(rv: number, key: string, continueKey: string): StoreElement[] {
    if (rv >= this.#resourceVersion) return this.#listLatestRV(key, continueKey).items;
    const undone = new Map<string, StoreElement | undefined>();
    for (let i = this.#endIndex - 1; i >= this.#startIndex; i--) {
      const e = this.#cache[i % this.#capacity] as WatchCacheEvent;
      if (e.resourceVersion <= rv) break;
      undone.set(e.key, e.prevObject ? { key: e.key, object: e.prevObject, attrs: e.prevAttrs as Attrs } : undefined);
    }
    const from = continueKey || key;
    const keys = new Set(this.#keys().filter((k) => k >= from && k.startsWith(key)));
    for (const k of undone.keys()) if (k >= from && k.startsWith(key)) keys.add(k);
    const out: StoreElement[] = [];
    for (const k of [...keys].sort(compareKeys)) {
      const elem = undone.has(k) ? undone.get(k) : this.#store.get(k);
      if (elem) out.push(elem);
    }
    return out;
  }

  /** Drops the exact-list snapshots older than a compaction (Go: `Compact`). */
  // Upstream: watchCache.Compact
  compact(rev: number): void {
    if (this.#snapshotFloor > 0 && rev > this.#snapshotFloor) this.#snapshotFloor = rev;
  }

  // ---- watches ---------------------------------------------------------------------------------

  // Upstream: getAllEventsSinceLocked (the `oldest` switch)
  #oldest(): number | undefined {
    if (this.#listResourceVersion > 0 && !this.#removedEventSinceRelist) return this.#listResourceVersion + 1;
    if (this.size > 0) return this.oldestResourceVersion;
    return undefined;
  }

  /**
   * The events a watch from `rv` starts with: every stored object as ADDED (an initial list), or
   * the buffered events after `rv`; throws `410 Expired` below the window.
   */
  // Upstream: watchCache.getAllEventsSinceLocked, getIntervalFromStoreLocked
  getAllEventsSince(rv: number, key: string, recursive: boolean, sendInitialEvents: boolean | undefined, matchesSingle: boolean): { events: WatchCacheEvent[]; resourceVersion: number } {
    if (sendInitialEvents === true) return this.#intervalFromStore(key, matchesSingle && !recursive);
    const oldest = this.#oldest();
    if (oldest === undefined) throw new Error("watch cache isn't correctly initialized");
    if (rv === 0) {
      if (sendInitialEvents === undefined) return this.#intervalFromStore(key, matchesSingle && !recursive);
      rv = this.#resourceVersion;
    }
    if (rv < oldest - 1) throw newResourceExpired(`too old resource version: ${rv} (${oldest - 1})`);
    const events: WatchCacheEvent[] = [];
    for (let i = this.#startIndex; i < this.#endIndex; i++) {
      const e = this.#cache[i % this.#capacity] as WatchCacheEvent;
      if (e.resourceVersion > rv) events.push(e);
    }
    return { events, resourceVersion: rv };
  }

  // Upstream: watch_cache_interval.go (newCacheIntervalFromStore)
  #intervalFromStore(key: string, single: boolean): { events: WatchCacheEvent[]; resourceVersion: number } {
    const rv = this.#resourceVersion;
    const elems = single ? [this.#store.get(key)].filter((e): e is StoreElement => e !== undefined) : this.#listLatestRV(key.endsWith('/') ? key : key + '/', '').items;
    const events = elems.map((e) => ({ type: 'ADDED' as const, object: e.object, attrs: e.attrs, key: e.key, resourceVersion: rv, recordTimeMs: 0 }));
    return { events, resourceVersion: rv };
  }

  /** Keys stored (Go: `ListKeys`). */
  listKeys(): string[] {
    return [...this.#keys()];
  }
}

function lowerBound(keys: string[], from: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
