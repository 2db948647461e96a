/**
 * The storage a cached resource's registry talks to: writes go to etcd (with the cached object
 * as a hint of the current state), watches to the cache, and each read to the cache or to etcd
 * by its resourceVersion semantics (https://kubernetes.io/docs/reference/using-api/api-concepts/
 * #semantics-for-get-and-list): at v1.34 a consistent list (`resourceVersion=""`) is served from
 * the cache once it caught up with etcd's current revision (ConsistentListFromCache, GA), `"0"`
 * from whatever the cache holds, `NotOlderThan` from the cache once fresh enough, `Exact` and
 * continue tokens from the cache while the revision is inside its window (ListFromCacheSnapshot,
 * beta and on), and from etcd otherwise.
 * Upstream: apiserver pkg/storage/cacher/delegator.go (CacheDelegator: Create, Delete, Watch, Get,
 * GetList, shouldDelegateListOnNotReadyCache, GuaranteedUpdate), delegator/interface.go
 * (ShouldDelegateList, ConsistentReadSupported)
 */
import type { KubeObject } from '../../core/object';
import { isTooLargeResourceVersion } from '../storage/errors';
import type { Etcd3Store } from '../storage/etcd3_store';
import { validateListOptions, type Preconditions, type StorageInterface, type StorageList, type StorageListOptions, type UpdateFunc } from '../storage/interfaces';
import type { ServerWatch } from '../watch';
import type { Cacher, WatchScope } from './cacher';

/** Where a list went and why (the trace's `apiserver.list`). */
export type ListObserver = (source: 'cache' | 'etcd', why: string, result: StorageList) => void;

// Upstream: delegator.go (CacheDelegator)
export class CacheDelegator implements StorageInterface {
  readonly #cacher: Cacher;
  readonly #storage: Etcd3Store;
  readonly #resourcePrefix: string;
  readonly #observe: ListObserver;

  readonly #gates: { ListFromCacheSnapshot: boolean; WatchList: boolean };

  constructor(cacher: Cacher, storage: Etcd3Store, resourcePrefix: string, observe: ListObserver, gates: { ListFromCacheSnapshot: boolean; WatchList: boolean }) {
    this.#gates = gates;
    this.#cacher = cacher;
    this.#storage = storage;
    this.#resourcePrefix = resourcePrefix;
    this.#observe = observe;
  }

  /** Whether the cache can serve reads newer than it has seen, by asking etcd for progress (Go: `ConsistentReadSupported`). */
  // Upstream: delegator/interface.go (ConsistentReadSupported)
  get consistentReadSupported(): boolean {
    return this.#storage.supportsRequestWatchProgress;
  }

  create(key: string, obj: KubeObject, ttlSec?: number): Promise<KubeObject> {
    return this.#storage.create(key, obj, ttlSec);
  }

  // Upstream: CacheDelegator.Delete
  delete(key: string, preconditions: Preconditions | undefined, validateDeletion: (obj: KubeObject) => void | Promise<void>): Promise<KubeObject> {
    const elem = this.#cacher.watchCache.getByKey(key);
    return this.#storage.delete(key, preconditions, validateDeletion, elem ? elem.object : undefined);
  }

  // Upstream: CacheDelegator.GuaranteedUpdate
  guaranteedUpdate(key: string, ignoreNotFound: boolean, preconditions: Preconditions | undefined, tryUpdate: UpdateFunc, _cached?: KubeObject, ttlSec?: number): Promise<KubeObject> {
    const elem = this.#cacher.watchCache.getByKey(key);
    return this.#storage.guaranteedUpdate(key, ignoreNotFound, preconditions, tryUpdate, elem ? elem.object : undefined, ttlSec);
  }

  // Upstream: CacheDelegator.Watch
  watch(key: string, opts: StorageListOptions, scope?: WatchScope): Promise<ServerWatch> {
    // without WatchList, sendInitialEvents is ignored (validation already refused it)
    const o = !this.#gates.WatchList && opts.sendInitialEvents !== undefined ? { ...opts, sendInitialEvents: undefined } : opts;
    return this.#cacher.watch(key, o, scope ?? { watchId: -1 });
  }

  // Upstream: CacheDelegator.Get
  async get(key: string, opts: { resourceVersion: string; ignoreNotFound?: boolean }): Promise<KubeObject | undefined> {
    if (opts.resourceVersion === '') return this.#storage.get(key, opts);
    if (!this.#cacher.ready.ready) return this.#storage.get(key, opts);
    return this.#cacher.get(key, opts.resourceVersion, !!opts.ignoreNotFound);
  }

  // Upstream: CacheDelegator.GetList, delegator.ShouldDelegateList
  async getList(key: string, opts: StorageListOptions): Promise<StorageList> {
    validateListOptions(this.#resourcePrefix, opts);
    const { delegate, consistentRead, why } = this.#shouldDelegateList(opts);
    const fromEtcd = async (reason: string) => {
      const l = await this.#storage.getList(key, opts);
      this.#observe('etcd', reason, l);
      return l;
    };
    if (delegate) return fromEtcd(why);
    if (!this.#cacher.ready.ready && shouldDelegateListOnNotReadyCache(opts)) return fromEtcd('the cache is not ready');
    try {
      const l = await this.#cacher.getList(key, opts);
      this.#observe('cache', why, l);
      return l;
    } catch (e) {
      // ListFromCacheSnapshot: a revision the cache no longer has is read from etcd.
      if ((e as { reason?: string }).reason === 'Expired' && this.#gates.ListFromCacheSnapshot) return fromEtcd('the revision is older than the cache window');
      if (consistentRead && isTooLargeResourceVersion(e)) return fromEtcd('the cache did not catch up within 3s');
      throw e;
    }
  }

  #shouldDelegateList(opts: StorageListOptions): DelegateResult {
    const supported = this.consistentReadSupported;
    const c = this.#cacher;
    return shouldDelegateList(opts, {
      shouldDelegateExactRV: (rv, recursive) => c.shouldDelegateExactRV(rv, recursive, supported),
      shouldDelegateContinue: (token, recursive) => c.shouldDelegateContinue(token, recursive, supported),
      shouldDelegateConsistentRead: () => ({ delegate: !supported, consistentRead: true }),
    });
  }

  getCurrentResourceVersion(): Promise<number> {
    return this.#storage.getCurrentResourceVersion();
  }

  requestWatchProgress(): Promise<void> {
    return this.#storage.requestWatchProgress();
  }

  // Upstream: CacheDelegator.CompactRevision
  compactRevision(): number {
    return this.#cacher.compactRevision;
  }
}

/** Go: `delegator.Result`, and why (for the trace). */
export interface DelegateResult {
  delegate: boolean;
  consistentRead: boolean;
  why: string;
}

/** Go: `delegator.Helper` (what the cacher answers). */
export interface DelegateHelper {
  shouldDelegateExactRV(rv: string, recursive: boolean): boolean;
  shouldDelegateContinue(continueToken: string, recursive: boolean): { delegate: boolean; consistentRead: boolean };
  shouldDelegateConsistentRead(): { delegate: boolean; consistentRead: boolean };
}

/** Whether a list goes to etcd rather than the watch cache (Go: `delegator.ShouldDelegateList`). */
// Upstream: delegator/interface.go (ShouldDelegateList)
export function shouldDelegateList(opts: StorageListOptions, cache: DelegateHelper): DelegateResult {
  switch (opts.resourceVersionMatch) {
    case 'Exact': {
      const d = cache.shouldDelegateExactRV(opts.resourceVersion, opts.recursive);
      return { delegate: d, consistentRead: false, why: d ? 'exact resourceVersion outside the cache window' : 'exact resourceVersion inside the cache window' };
    }
    case 'NotOlderThan':
      return { delegate: false, consistentRead: false, why: 'resourceVersionMatch=NotOlderThan' };
    case '': {
      if (opts.predicate.continue) {
        const r = cache.shouldDelegateContinue(opts.predicate.continue, opts.recursive);
        return { ...r, why: r.delegate ? 'continue outside the cache window' : 'continue' };
      }
      if (opts.predicate.limit > 0 && opts.resourceVersion && opts.resourceVersion !== '0') {
        const d = cache.shouldDelegateExactRV(opts.resourceVersion, opts.recursive);
        return { delegate: d, consistentRead: false, why: d ? 'limit with a resourceVersion outside the cache window' : 'limit with a resourceVersion (exact)' };
      }
      if (opts.resourceVersion === '') {
        const r = cache.shouldDelegateConsistentRead();
        return { ...r, why: r.delegate ? 'consistent read (etcd cannot report progress)' : 'consistent read' };
      }
      return { delegate: false, consistentRead: false, why: opts.resourceVersion === '0' ? 'resourceVersion=0: any state' : 'resourceVersion (not older than)' };
    }
    default:
      return { delegate: true, consistentRead: false, why: `resourceVersionMatch=${opts.resourceVersionMatch}` };
  }
}

// Upstream: delegator.go (shouldDelegateListOnNotReadyCache)
function shouldDelegateListOnNotReadyCache(opts: StorageListOptions): boolean {
  return opts.predicate.label.empty() && opts.predicate.field.empty() && opts.predicate.limit > 0;
}
