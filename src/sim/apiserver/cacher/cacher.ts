/**
 * The cacher of one resource: a client-go Reflector lists and watches etcd (through the storage
 * layer) into a WatchCache, and every event it stores is dispatched to the watches served from
 * the cache; bookmarks are dispatched every second to the watchers whose next bookmark is due.
 * While reads wait for the cache to catch up with etcd, it asks etcd for progress notifications
 * every 100 ms (the watch then carries a bookmark with etcd's revision).
 * Upstream: apiserver pkg/storage/cacher/cacher.go (NewCacherFromConfig, startCaching, Watch, Get,
 * GetList, computeListLimit, dispatchEvents, dispatchEvent, startDispatchingBookmarkEventsLocked,
 * finishDispatching, terminateAllWatchers, filterWithAttrsAndPrefixFunction,
 * getBookmarkAfterResourceVersionLockedFunc, isListWatchRequest, getWatchCacheResourceVersion,
 * waitUntilWatchCacheFreshAndForceAllEvents, setInitialEventsEndBookmarkIfRequested,
 * watcherBookmarkTimeBuckets, ShouldDelegateExactRV, ShouldDelegateContinue), lister_watcher.go,
 * progress/watch_progress.go (ConditionalProgressRequester), compactor.go
 */
import type { Timer } from '../../core/clock';
import type { SimEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import type { ListOptions, ListerWatcher, ObjectList } from '../../cache/listwatch';
import { newReflector, type Reflector } from '../../cache/reflector';
import { newStopChannel, type StopChannel } from '../../cache/stop_channel';
import { newTooManyRequests, type GroupResource } from '../../apimachinery/errors';
import { decodeContinue } from '../storage/continue';
import { newKeyNotFoundError } from '../storage/errors';
import type { Etcd3Store } from '../storage/etcd3_store';
import { prepareContinueToken } from '../storage/continue';
import {
  everything,
  matchesAttrs,
  matchesSingle,
  parseResourceVersion,
  predicateEmpty,
  type Attrs,
  type SelectionPredicate,
  type StorageList,
  type StorageListOptions,
} from '../storage/interfaces';
import { CacheWatcher, type CacheWatcherObserver } from './cache_watcher';
import { calculateRetryAfterForUnreadyCache, Ready } from './ready';
import { hasPathPrefix, WatchCache, type WatchCacheEvent } from './watch_cache';
import { newErrWatcher, type ServerWatch } from '../watch';

/** Go: `defaultBookmarkFrequency`. */
export const defaultBookmarkFrequencyMs = 60_000;
/** Go: `storageWatchListPageSize`. */
export const storageWatchListPageSize = 10_000;
/** Go: `progressRequestPeriod`. */
export const progressRequestPeriodMs = 100;
/** Go: `compactorPollPeriod`. */
export const compactorPollPeriodMs = 15_000;

/** What the cacher tells the server about (its trace). */
export interface CacherHooks {
  event(e: WatchCacheEvent, oldestRv: number, size: number, capacity: number): void;
  resize(from: number, to: number): void;
  replace(rv: number, items: number): void;
  progress(rv: number): void;
  watcherObserver(watchId: number): CacheWatcherObserver;
  log(level: 'info' | 'warning' | 'error', source: string, v: number, message: string): void;
}

export interface CacherConfig {
  env: SimEnv;
  storage: Etcd3Store;
  groupResource: GroupResource;
  /** The resource's key prefix in the registry, e.g. `/pods`. */
  resourcePrefix: string;
  /** The internal type's name in logs, e.g. `*core.Pod`. */
  typeName: string;
  keyFunc: (obj: KubeObject) => string;
  getAttrs: (obj: KubeObject) => Attrs;
  /** The empty object a BOOKMARK carries (Go: `newFunc`). */
  newObject: (rv: number) => KubeObject;
  eventFreshDurationMs?: number;
  /** Poll the storage's compaction revision (only when the apiserver compacts). */
  pollCompaction: boolean;
  /** ListFromCacheSnapshot. */
  snapshots: boolean;
  hooks: CacherHooks;
}

/** Where a request is scoped (Go: the request's namespace and name, or those the field selector pins). */
export interface WatchScope {
  namespace?: string;
  name?: string;
  deadlineMs?: number;
  watchId: number;
  /** The value the watch's field selector pins the resource's trigger field to (Go: `triggerValue`). */
  triggerValue?: string;
}

/**
 * The field a resource's watchers are indexed by (Go: the storage config's `IndexerFuncs`): only
 * pods have one, `spec.nodeName`, so an event for a pod reaches the one kubelet that watches that
 * node rather than every kubelet's watch filtering it out.
 * Upstream: pkg/registry/core/pod/storage/storage.go (TriggerFunc / IndexerFuncs: NodeNameTriggerFunc)
 */
const TRIGGER_FIELDS: Record<string, string> = { pods: 'spec.nodeName' };

// Upstream: progress/watch_progress.go (ConditionalProgressRequester)
class ProgressRequester {
  #waiting = 0;
  #timer: Timer | undefined;
  #lastRequestMs = -Infinity;

  constructor(
    readonly env: SimEnv,
    readonly request: () => Promise<void>,
  ) {}

  add(): void {
    this.#waiting++;
    if (this.#waiting === 1 && !this.#timer) this.#arm(Math.max(0, this.#lastRequestMs + progressRequestPeriodMs - this.env.clock.now()));
  }

  remove(): void {
    this.#waiting--;
  }

  #arm(delayMs: number): void {
    if (delayMs <= 0) {
      // The ticker already fired while nobody waited: the first waiter is served at once.
      this.#timer = { stop: () => {} } as Timer;
      void Promise.resolve().then(() => this.#fire());
      return;
    }
    this.#timer = this.env.clock.afterFunc(delayMs, () => this.#fire());
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.#waiting <= 0) return;
    this.#lastRequestMs = this.env.clock.now();
    void this.request().catch(() => {});
    this.#arm(progressRequestPeriodMs);
  }

  stop(): void {
    this.#timer?.stop();
    this.#timer = undefined;
    this.#waiting = 0;
  }
}

// Upstream: cacher.go (Cacher)
export class Cacher {
  readonly #cfg: CacherConfig;
  readonly #env: SimEnv;
  readonly ready: Ready;
  readonly watchCache: WatchCache;
  readonly #reflector: Reflector<KubeObject>;
  readonly #progress: ProgressRequester;
  readonly #watchers = new Map<number, { w: CacheWatcher; scope: WatchScope }>();
  readonly #stopCh: StopChannel = newStopChannel();
  /** The current ListAndWatch attempt's stop channel (closed by stop() and reinitialize()). */
  #attemptCh: StopChannel = newStopChannel();
  #stopped = false;
  #lastProcessedResourceVersion = 0;
  #compactRevision = 0;
  #compactTimer: Timer | undefined;
  // bookmarks (Go: watcherBookmarkTimeBuckets)
  readonly #buckets = new Map<number, CacheWatcher[]>();
  readonly #createTimeMs: number;
  #startBucketID = 0;
  #bookmarkTimer: Timer | undefined;
  readonly #jitter: () => number;
  #readyWaiters: Array<() => void> = [];
  #watching = false;
  #watchingWaiters: Array<() => void> = [];

  constructor(cfg: CacherConfig) {
    this.#cfg = cfg;
    this.#env = cfg.env;
    this.ready = new Ready(cfg.env.clock);
    this.#createTimeMs = cfg.env.clock.now();
    const rng = cfg.env.rng.fork(`cacher${cfg.resourcePrefix}`);
    this.#jitter = () => rng.float();
    this.#progress = new ProgressRequester(cfg.env, () => cfg.storage.requestWatchProgress());
    this.watchCache = new WatchCache({
      clock: cfg.env.clock,
      keyFunc: cfg.keyFunc,
      getAttrs: cfg.getAttrs,
      eventFreshDurationMs: cfg.eventFreshDurationMs,
      eventHandler: (e) => this.#processEvent(e),
      onProgress: (rv) => {
        this.#lastProcessedResourceVersion = rv;
        cfg.hooks.progress(rv);
      },
      onResize: (from, to) => cfg.hooks.resize(from, to),
      onReplace: (rv, items) => {
        this.#lastProcessedResourceVersion = rv;
        cfg.hooks.replace(rv, items);
        // "Replaced watchCache (rev: %v)" (V(3)); then the cacher's onReplace marks it ready.
        cfg.hooks.log('info', 'watch_cache.go', 3, `Replaced watchCache (rev: ${rv}) `);
        if (!this.ready.ready) {
          this.ready.set(true, undefined);
          const waiters = this.#readyWaiters;
          this.#readyWaiters = [];
          for (const w of waiters) w();
          cfg.hooks.log('info', 'cacher.go', 1, `"cacher initialized" group="${cfg.groupResource.group}" resource="${cfg.groupResource.resource}"`);
        }
      },
      getCurrentRV: () => cfg.storage.getCurrentResourceVersion(),
      waitingUntilFresh: this.#progress,
      snapshots: cfg.snapshots,
    });
    this.#reflector = newReflector<KubeObject>({
      name: `storage/cacher.go:${cfg.resourcePrefix}`,
      listerWatcher: this.#listerWatcher(),
      store: this.watchCache,
      expectedTypeName: cfg.typeName,
      env: cfg.env,
      rng: rng.fork('reflector'),
      watchListPageSize: storageWatchListPageSize,
      maxInternalErrorRetryDurationMs: 30_000,
    });
    void this.#run();
    if (cfg.pollCompaction) this.#armCompactor();
  }

  /** The storage the cache reads (lists are consistent at etcd's newest revision; watches start from a revision). */
  // Upstream: lister_watcher.go (listerWatcher.List, Watch)
  #listerWatcher(): ListerWatcher<KubeObject> {
    const storage = this.#cfg.storage;
    const prefix = this.#cfg.resourcePrefix;
    const getAttrs = this.#cfg.getAttrs;
    return {
      async list(options: ListOptions): Promise<ObjectList<KubeObject>> {
        const pred: SelectionPredicate = { ...everything(getAttrs), limit: options.limit ?? 0, continue: options.continue ?? '' };
        // The resourceVersion is not passed on: the cache always lists etcd's newest state.
        const l: StorageList = await storage.getList(prefix, { resourceVersion: '', resourceVersionMatch: options.resourceVersionMatch ?? '', predicate: pred, recursive: true });
        const metadata: ObjectList['metadata'] = { resourceVersion: String(l.resourceVersion) };
        if (l.continue) metadata.continue = l.continue;
        return { metadata, items: l.items };
      },
      watch: async (options: ListOptions) => {
        const pred: SelectionPredicate = { ...everything(getAttrs), allowWatchBookmarks: !!options.allowWatchBookmarks };
        const w = await storage.watch(prefix, { resourceVersion: options.resourceVersion ?? '', resourceVersionMatch: '', predicate: pred, recursive: true, progressNotify: true });
        if (!this.#watching) {
          this.#watching = true;
          const waiters = this.#watchingWaiters;
          this.#watchingWaiters = [];
          for (const fn of waiters) fn();
        }
        return w;
      },
    };
  }

  // Upstream: NewCacherFromConfig's `wait.Until(startCaching, time.Second, stopCh)`
  async #run(): Promise<void> {
    while (!this.#stopped) {
      // Upstream: Cacher.startCaching
      this.#terminateAllWatchers();
      let err: unknown;
      this.#attemptCh = newStopChannel();
      const attempt = this.#attemptCh;
      try {
        await this.#reflector.listAndWatch(attempt);
      } catch (e) {
        err = e;
        this.#cfg.hooks.log('error', 'cacher.go', 0, `cacher (${this.#grString()}): unexpected ListAndWatch error: ${(e as Error).message}; reinitializing...`);
      }
      this.ready.set(false, err === undefined ? undefined : (err as Error).message);
      if (this.#stopped) break;
      await this.#env.clock.sleep(1000);
    }
  }

  #grString(): string {
    const gr = this.#cfg.groupResource;
    return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
  }

  // Upstream: compactor.go (compactor.Run, compactIfNeeded)
  #armCompactor(): void {
    this.#compactTimer = this.#env.clock.afterFunc(compactorPollPeriodMs, () => {
      const rev = this.#cfg.storage.compactRevision();
      if (rev > this.#compactRevision) {
        this.watchCache.compact(rev);
        this.#compactRevision = rev;
      }
      if (!this.#stopped) this.#armCompactor();
    });
  }

  /**
   * Drops the cache and lists again, as a restarted kube-apiserver does (its watches end; a watch
   * from a resourceVersion before the new list gets 410). Not in upstream's Cacher.
   */
  reinitialize(): void {
    if (this.#stopped) return;
    this.#attemptCh.close();
  }

  /** Resolves once the cache's reflector watches etcd (after its first list). */
  whenWatching(): Promise<void> {
    if (this.#watching) return Promise.resolve();
    return new Promise((resolve) => this.#watchingWaiters.push(resolve));
  }

  /** Resolves once the cache has listed (Go: `ready.wait`). */
  whenReady(): Promise<void> {
    if (this.ready.ready) return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** The latest compaction the cache has seen (Go: `compactor.Revision`). */
  get compactRevision(): number {
    return this.#compactRevision;
  }

  /** Open watches served from this cache. */
  get watcherCount(): number {
    return this.#watchers.size;
  }

  // Upstream: Cacher.Watch
  async watch(key: string, opts: StorageListOptions, scopeIn: WatchScope): Promise<ServerWatch> {
    const pred = opts.predicate;
    const requestedWatchRV = parseResourceVersion(opts.resourceVersion);
    const readiness = this.ready.check();
    if (readiness.err !== undefined) throw newTooManyRequests(readiness.err, calculateRetryAfterForUnreadyCache(readiness.downtimeMs));
    const readyGeneration = readiness.generation;

    const scope: WatchScope = { ...scopeIn };
    if (!scope.namespace) {
      const m = pred.field.requiresExactMatch('metadata.namespace');
      if (m.found) scope.namespace = m.value;
    }
    if (!scope.name) {
      const m = pred.field.requiresExactMatch('metadata.name');
      if (m.found) scope.name = m.value;
    }
    const gr = this.#cfg.groupResource;
    if (gr.group === '' && gr.resource === 'namespaces' && scope.namespace && scope.namespace === scope.name) scope.namespace = undefined;
    const triggerField = this.#triggerField();
    if (triggerField) {
      const m = pred.field.requiresExactMatch(triggerField);
      if (m.found) scope.triggerValue = m.value;
    }

    let requiredResourceVersion: number;
    try {
      requiredResourceVersion = await this.#getWatchCacheResourceVersion(requestedWatchRV, opts);
    } catch (e) {
      return newErrWatcher(e);
    }
    const bookmarkAfter = () => this.#bookmarkAfterResourceVersion(requestedWatchRV, requiredResourceVersion, opts);
    const filter = (objKey: string, attrs: Attrs) => hasPathPrefix(objKey, key) && matchesAttrs(pred, attrs);
    let watcher: CacheWatcher;
    // eslint-disable-next-line prefer-const
    let forgetFn = () => {};
    watcher = new CacheWatcher(filter, scope.deadlineMs, pred.allowWatchBookmarks, this.#cfg.hooks.watcherObserver(scope.watchId), () => forgetFn());

    if (opts.sendInitialEvents === true) {
      try {
        await this.watchCache.waitUntilFresh(requiredResourceVersion);
      } catch (e) {
        return newErrWatcher(e);
      }
    }

    let interval: { events: WatchCacheEvent[]; resourceVersion: number };
    try {
      interval = this.watchCache.getAllEventsSince(requiredResourceVersion, key, opts.recursive, opts.sendInitialEvents, matchesSingle(pred) !== undefined);
    } catch (e) {
      return newErrWatcher(e);
    }
    let initialEventsEndBookmark: WatchCacheEvent | undefined;
    if (isListWatchRequest(opts)) {
      const rv = this.watchCache.resourceVersion;
      initialEventsEndBookmark = { type: 'BOOKMARK', object: this.#cfg.newObject(rv), attrs: { labels: {}, fields: {} }, key: '', resourceVersion: rv, recordTimeMs: this.#env.clock.now() };
    }

    const check = this.ready.check();
    if (check.generation !== readyGeneration || check.err !== undefined) {
      watcher.stopLocked();
      return watcher.watch;
    }
    const id = scope.watchId;
    forgetFn = () => {
      // Upstream: forgetWatcher
      this.#watchers.delete(id);
      watcher.stopLocked();
    };
    watcher.setBookmarkAfterResourceVersion(bookmarkAfter());
    this.#watchers.set(id, { w: watcher, scope });
    if (watcher.allowWatchBookmarks) this.#addBookmarkWatcher(watcher);
    watcher.start(interval.events, interval.resourceVersion, requiredResourceVersion, initialEventsEndBookmark);
    return watcher.watch;
  }

  // Upstream: Cacher.getWatchCacheResourceVersion
  async #getWatchCacheResourceVersion(parsedWatchResourceVersion: number, opts: StorageListOptions): Promise<number> {
    if (opts.resourceVersion !== '') return parsedWatchResourceVersion;
    if (opts.sendInitialEvents === undefined) return 0;
    return this.#cfg.storage.getCurrentResourceVersion();
  }

  // Upstream: Cacher.getBookmarkAfterResourceVersionLockedFunc
  #bookmarkAfterResourceVersion(parsedResourceVersion: number, requiredResourceVersion: number, opts: StorageListOptions): number {
    if (!isListWatchRequest(opts)) return 0;
    if (opts.resourceVersion === '') return requiredResourceVersion;
    if (parsedResourceVersion === 0) return this.watchCache.resourceVersion;
    return parsedResourceVersion;
  }

  // Upstream: Cacher.Get
  async get(key: string, resourceVersion: string, ignoreNotFound: boolean): Promise<KubeObject | undefined> {
    const getRV = parseResourceVersion(resourceVersion);
    const got = await this.watchCache.waitUntilFreshAndGet(getRV, key);
    if (got.elem) return got.elem.object;
    if (!ignoreNotFound) throw newKeyNotFoundError(key, got.resourceVersion);
    return undefined;
  }

  // Upstream: Cacher.GetList
  async getList(key: string, opts: StorageListOptions): Promise<StorageList> {
    const preparedKey = opts.recursive && !key.endsWith('/') ? key + '/' : key;
    parseResourceVersion(opts.resourceVersion);
    const readiness = this.ready.check();
    if (readiness.err !== undefined) throw newTooManyRequests(readiness.err, calculateRetryAfterForUnreadyCache(readiness.downtimeMs));
    const resp = await this.watchCache.waitUntilFreshAndGetList(preparedKey, opts);
    const pred = opts.predicate;
    const limit = computeListLimit(opts);
    const selected: KubeObject[] = [];
    let lastSelectedObjectKey = '';
    let hasMore = false;
    const empty = predicateEmpty(pred);
    for (let i = 0; i < resp.items.length; i++) {
      const elem = resp.items[i];
      if (empty || matchesAttrs(pred, elem.attrs)) {
        selected.push(elem.object);
        lastSelectedObjectKey = elem.key;
      }
      if (limit > 0 && selected.length >= limit) {
        hasMore = i < resp.items.length - 1;
        break;
      }
    }
    const token = prepareContinueToken(lastSelectedObjectKey, key, resp.resourceVersion, resp.items.length, hasMore, pred.limit, empty);
    const out: StorageList = { items: selected, resourceVersion: resp.resourceVersion, continue: token.continue };
    if (token.remainingItemCount !== undefined) out.remainingItemCount = token.remainingItemCount;
    return out;
  }

  // Upstream: Cacher.ShouldDelegateExactRV, shouldDelegateExactRV
  shouldDelegateExactRV(rv: string, recursive: boolean, consistentReadSupported: boolean): boolean {
    if (!recursive) return true;
    const listRV = parseResourceVersion(rv);
    if (this.watchCache.notFresh(listRV)) return !consistentReadSupported;
    return !this.watchCache.canServeExact(listRV);
  }

  // Upstream: Cacher.ShouldDelegateContinue
  shouldDelegateContinue(continueToken: string, recursive: boolean, consistentReadSupported: boolean): { delegate: boolean; consistentRead: boolean } {
    if (!recursive) return { delegate: true, consistentRead: false };
    const { rv } = decodeContinue(continueToken, this.#cfg.resourcePrefix);
    if (rv > 0) return { delegate: this.shouldDelegateExactRV(String(rv), recursive, consistentReadSupported), consistentRead: false };
    return { delegate: !consistentReadSupported, consistentRead: true };
  }

  // ---- dispatch ---------------------------------------------------------------------------------

  // Upstream: Cacher.processEvent + dispatchEvents + dispatchEvent + startDispatching
  #processEvent(e: WatchCacheEvent): void {
    this.#lastProcessedResourceVersion = e.resourceVersion;
    this.#cfg.hooks.event(e, this.watchCache.oldestResourceVersion, this.watchCache.size, this.watchCache.capacity);
    if (this.#watchers.size === 0) return;
    const ns = e.attrs.fields['metadata.namespace'] ?? '';
    const name = e.attrs.fields['metadata.name'] ?? '';
    const prevNs = e.prevAttrs?.fields['metadata.namespace'] ?? ns;
    // Upstream: Cacher.triggerValuesThreadUnsafe: the object's value and, if it moved, its previous one.
    const triggerField = this.#triggerField();
    const triggerValue = triggerField ? (e.attrs.fields[triggerField] ?? '') : '';
    const prevTriggerValue = triggerField && e.prevAttrs ? (e.prevAttrs.fields[triggerField] ?? '') : undefined;
    for (const { w, scope } of [...this.#watchers.values()]) {
      if (scope.namespace && scope.namespace !== ns && scope.namespace !== prevNs) continue;
      if (scope.name && scope.name !== name) continue;
      // Its selector matches neither the object nor its previous state: it would send nothing.
      if (scope.triggerValue !== undefined && scope.triggerValue !== triggerValue && scope.triggerValue !== prevTriggerValue) continue;
      w.add(e);
    }
  }

  #triggerField(): string | undefined {
    const gr = this.#cfg.groupResource;
    return gr.group === '' && Object.hasOwn(TRIGGER_FIELDS, gr.resource) ? TRIGGER_FIELDS[gr.resource] : undefined;
  }

  // Upstream: watcherBookmarkTimeBuckets.addWatcherThreadUnsafe
  #addBookmarkWatcher(w: CacheWatcher): void {
    const next = w.nextBookmarkTime(this.#env.clock.now(), defaultBookmarkFrequencyMs);
    if (next === undefined) return;
    let bucketID = Math.trunc((next - this.#createTimeMs) / 1000);
    if (bucketID < this.#startBucketID) bucketID = this.#startBucketID;
    const list = this.#buckets.get(bucketID);
    if (list) list.push(w);
    else this.#buckets.set(bucketID, [w]);
    if (!this.#bookmarkTimer && !this.#stopped) this.#armBookmarkTimer();
  }

  /** The bookmark ticker, every 1 to 1.25 s (Go: `wait.Jitter(time.Second, 0.25)`), while bookmark watchers wait. */
  #armBookmarkTimer(): void {
    this.#bookmarkTimer = this.#env.clock.afterFunc(1000 + this.#jitter() * 0.25 * 1000, () => {
      this.#bookmarkTimer = undefined;
      this.#dispatchBookmarks();
      if (this.#buckets.size > 0 && !this.#stopped && !this.#bookmarkTimer) this.#armBookmarkTimer();
    });
  }

  // Upstream: dispatchEvents (the bookmarkTimer case), startDispatchingBookmarkEventsLocked, finishDispatching
  #dispatchBookmarks(): void {
    if (this.watchCache.listResourceVersion === 0) return;
    const currentBucketID = Math.trunc((this.#env.clock.now() - this.#createTimeMs) / 1000);
    const expired: CacheWatcher[] = [];
    for (; this.#startBucketID <= currentBucketID; this.#startBucketID++) {
      const ws = this.#buckets.get(this.#startBucketID);
      if (ws) {
        this.#buckets.delete(this.#startBucketID);
        for (const w of ws) if (!w.stopped) expired.push(w);
      }
    }
    if (expired.length === 0) return;
    const rv = this.#lastProcessedResourceVersion;
    const event: WatchCacheEvent = { type: 'BOOKMARK', object: this.#cfg.newObject(rv), attrs: { labels: {}, fields: {} }, key: '', resourceVersion: rv, recordTimeMs: this.#env.clock.now() };
    for (const w of expired) w.add(event);
    for (const w of expired) if (!w.stopped) this.#addBookmarkWatcher(w);
  }

  // Upstream: Cacher.terminateAllWatchers
  #terminateAllWatchers(): void {
    if (this.#watchers.size > 0) this.#cfg.hooks.log('warning', 'cacher.go', 0, `Terminating all watchers from cacher ${this.#grString()}`);
    const all = [...this.#watchers.values()];
    this.#watchers.clear();
    for (const { w } of all) w.stopLocked();
  }

  /** Stops the cache: its reflector, timers and watches (Go: `Cacher.Stop`). */
  // Upstream: Cacher.Stop
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.ready.stop();
    this.#stopCh.close();
    this.#attemptCh.close();
    this.#progress.stop();
    this.#bookmarkTimer?.stop();
    this.#compactTimer?.stop();
    this.#terminateAllWatchers();
  }
}

// Upstream: cacher.go (isListWatchRequest)
export function isListWatchRequest(opts: StorageListOptions): boolean {
  return opts.sendInitialEvents === true && opts.predicate.allowWatchBookmarks;
}

// Upstream: cacher.go (computeListLimit)
export function computeListLimit(opts: StorageListOptions): number {
  if (opts.predicate.limit <= 0 || opts.resourceVersion === '0') return 0;
  return opts.predicate.limit;
}
