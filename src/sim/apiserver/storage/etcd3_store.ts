/**
 * The etcd3 storage backend: objects as JSON under `/registry/<prefix>/...`, resourceVersion =
 * the key's modRevision, creates guarded by `modRevision == 0`, updates and deletes by the
 * modRevision they read (retrying on conflict), lists paged by key with continue tokens.
 * Upstream: apiserver pkg/storage/etcd3/store.go (store.Get, Create, conditionalDelete,
 * GuaranteedUpdate, GetList, Watch, GetCurrentResourceVersion, validateMinimumResourceVersion,
 * prepareKey), errors.go (interpretListError, handleCompactedErrorForPaging)
 */
import { deepCopy, type KubeObject } from '../../core/object';
import { newBadRequest, newResourceExpired, type GroupResource } from '../../apimachinery/errors';
import type { ServerWatch } from '../watch';
import { encodeContinue, prepareContinueToken } from './continue';
import { isCompactedError, isFutureRevError, type EtcdKeyValue, type KubernetesClient } from './etcd_client';
import { Etcd3Watcher, type NewBookmarkObject } from './etcd3_watcher';
import {
  StorageInternalError,
  newKeyExistsError,
  newKeyNotFoundError,
  newTooLargeResourceVersionError,
} from './errors';
import {
  checkPreconditions,
  parseResourceVersion,
  predicateEmpty,
  predicateMatches,
  validateListOptions,
  type Preconditions,
  type StorageInterface,
  type StorageList,
  type StorageListOptions,
  type UpdateFunc,
} from './interfaces';

/** A page limit increase used when filtering drops objects (Go: `maxLimit`). */
export const maxLimit = 10000;

const expiredText = 'The resourceVersion for the provided list is too old.';
const continueExpired = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
const inconsistentContinue =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export interface Etcd3StoreConfig {
  client: KubernetesClient;
  /** `/registry/` (ends in `/`). */
  pathPrefix: string;
  /** The resource's prefix under it, e.g. `/pods`, `/services/specs`. */
  resourcePrefix: string;
  groupResource: GroupResource;
  /** The latest revision the apiserver's compactor compacted (0: none yet). */
  compactRevision: () => number;
  /** Leases for TTLs (Events): a lease id for `ttlSec`. */
  leaseFor?: (ttlSec: number) => Promise<number | undefined>;
  /** The empty object of the kind a BOOKMARK carries, at a revision (Go: `newFunc`). */
  newObject?: NewBookmarkObject;
}

interface ObjState {
  obj: KubeObject;
  rev: number;
  data: string;
}

/** Decodes a stored value, with resourceVersion = the revision it was read at (Go: `decoder.Decode` + versioner.UpdateObject). */
export function decodeObject(data: string, rev: number): KubeObject {
  const obj = JSON.parse(data) as KubeObject;
  obj.metadata = obj.metadata ?? {};
  obj.metadata.resourceVersion = String(rev);
  return obj;
}

/** Encodes an object for storage, without its resourceVersion (Go: `versioner.PrepareObjectForStorage` + Encode). */
export function encodeObject(obj: KubeObject): string {
  const rv = obj.metadata.resourceVersion;
  if (rv === undefined) return JSON.stringify(obj);
  delete obj.metadata.resourceVersion;
  try {
    return JSON.stringify(obj);
  } finally {
    obj.metadata.resourceVersion = rv;
  }
}

// Upstream: pkg/storage/etcd3/store.go (store)
export class Etcd3Store implements StorageInterface {
  readonly #c: KubernetesClient;
  readonly #pathPrefix: string;
  readonly #resourcePrefix: string;
  readonly #gr: GroupResource;
  readonly #watcher: Etcd3Watcher;
  readonly #compactRevision: () => number;
  readonly #leaseFor: ((ttlSec: number) => Promise<number | undefined>) | undefined;

  constructor(cfg: Etcd3StoreConfig) {
    this.#c = cfg.client;
    this.#pathPrefix = cfg.pathPrefix;
    this.#resourcePrefix = cfg.resourcePrefix;
    this.#gr = cfg.groupResource;
    this.#compactRevision = cfg.compactRevision;
    this.#leaseFor = cfg.leaseFor;
    this.#watcher = new Etcd3Watcher(cfg.client, cfg.groupResource, () => this.getCurrentResourceVersion());
    if (cfg.newObject) this.#watcher.newObject = cfg.newObject;
  }

  get resourcePrefix(): string {
    return this.#resourcePrefix;
  }

  /** The etcd key of a registry key (Go: `prepareKey`). */
  // Upstream: store.prepareKey
  prepareKey(key: string): string {
    if (key === '..' || key.startsWith('../') || key.endsWith('/..') || key.includes('/../')) throw new Error(`invalid key: ${JSON.stringify(key)}`);
    if (key === '.' || key.startsWith('./') || key.endsWith('/.') || key.includes('/./')) throw new Error(`invalid key: ${JSON.stringify(key)}`);
    if (key === '' || key === '/') throw new Error(`empty key: ${JSON.stringify(key)}`);
    return this.#pathPrefix + (key.startsWith('/') ? key.slice(1) : key);
  }

  compactRevision(): number {
    return this.#compactRevision();
  }

  /** Whether etcd can send progress notifications on request (Go: the RequestWatchProgress feature check). */
  get supportsRequestWatchProgress(): boolean {
    return typeof (this.#c.kv as { requestProgress?: unknown }).requestProgress === 'function';
  }

  // Upstream: store.Get
  async get(key: string, opts: { resourceVersion: string; ignoreNotFound?: boolean }): Promise<KubeObject | undefined> {
    const k = this.prepareKey(key);
    const resp = await this.#c.get(k);
    this.#validateMinimumResourceVersion(opts.resourceVersion, resp.revision);
    if (!resp.kv) {
      if (opts.ignoreNotFound) return undefined;
      throw newKeyNotFoundError(k, 0);
    }
    return decodeObject(resp.kv.value, resp.kv.modRevision);
  }

  // Upstream: store.Create
  async create(key: string, obj: KubeObject, ttlSec = 0): Promise<KubeObject> {
    const k = this.prepareKey(key);
    if (parseResourceVersion(obj.metadata.resourceVersion) !== 0) throw new StorageInternalError('resourceVersion should not be set on objects to be created');
    const data = encodeObject(obj);
    const lease = ttlSec > 0 && this.#leaseFor ? await this.#leaseFor(ttlSec) : undefined;
    const resp = await this.#c.optimisticPut(k, data, 0, lease ? { lease } : {});
    if (!resp.succeeded) throw newKeyExistsError(k, 0);
    return decodeObject(data, resp.revision);
  }

  // Upstream: store.Delete, store.conditionalDelete
  async delete(key: string, preconditions: Preconditions | undefined, validateDeletion: (obj: KubeObject) => void | Promise<void>, cachedExisting?: KubeObject): Promise<KubeObject> {
    const k = this.prepareKey(key);
    const getCurrentState = async (): Promise<ObjState> => this.#stateOf((await this.#c.get(k)).kv, k, false) as Promise<ObjState>;
    let origState: ObjState;
    let origStateIsCurrent = false;
    if (cachedExisting) origState = this.#stateFromObject(cachedExisting);
    else {
      origState = await getCurrentState();
      origStateIsCurrent = true;
    }
    for (;;) {
      const retryIfStale = async (err: unknown): Promise<boolean> => {
        if (origStateIsCurrent) throw err;
        const cachedRev = origState.rev;
        origState = await getCurrentState();
        origStateIsCurrent = true;
        if (cachedRev === origState.rev) throw err;
        return true;
      };
      try {
        checkPreconditions(preconditions, k, origState.obj);
      } catch (e) {
        if (await retryIfStale(e)) continue;
      }
      try {
        await validateDeletion(origState.obj);
      } catch (e) {
        if (await retryIfStale(e)) continue;
      }
      const resp = await this.#c.optimisticDelete(k, origState.rev, { getOnFailure: true });
      if (!resp.succeeded) {
        // "deletion of %s failed because of a conflict, going to retry" (V(4))
        origState = (await this.#stateOf(resp.kv, k, false)) as ObjState;
        origStateIsCurrent = true;
        continue;
      }
      return decodeObject(origState.data, resp.revision);
    }
  }

  // Upstream: store.GuaranteedUpdate
  async guaranteedUpdate(key: string, ignoreNotFound: boolean, preconditions: Preconditions | undefined, tryUpdate: UpdateFunc, cachedExisting?: KubeObject, ttlSec = 0): Promise<KubeObject> {
    const k = this.prepareKey(key);
    const getCurrentState = async (): Promise<ObjState> => (await this.#stateOf((await this.#c.get(k)).kv, k, ignoreNotFound)) as ObjState;
    let origState: ObjState;
    let origStateIsCurrent = false;
    if (cachedExisting) origState = this.#stateFromObject(cachedExisting);
    else {
      origState = await getCurrentState();
      origStateIsCurrent = true;
    }
    for (;;) {
      try {
        checkPreconditions(preconditions, k, origState.obj);
      } catch (e) {
        if (origStateIsCurrent) throw e;
        origState = await getCurrentState();
        origStateIsCurrent = true;
        continue;
      }
      let ret: KubeObject;
      try {
        ret = await tryUpdate(deepCopy(origState.obj), { resourceVersion: origState.rev });
      } catch (e) {
        if (origStateIsCurrent) throw e;
        const cachedRev = origState.rev;
        origState = await getCurrentState();
        origStateIsCurrent = true;
        if (cachedRev === origState.rev) throw e;
        continue;
      }
      const data = encodeObject(ret);
      if (data === origState.data || sameStoredObject(ret, origState.obj)) {
        // A no-op update: nothing is written, the current object is returned as is.
        if (!origStateIsCurrent) {
          origState = await getCurrentState();
          origStateIsCurrent = true;
          if (data !== origState.data) continue;
        }
        return decodeObject(origState.data, origState.rev);
      }
      // Every write of an object with a TTL takes a lease again (a put without one detaches it).
      const lease = ttlSec > 0 && this.#leaseFor ? await this.#leaseFor(ttlSec) : undefined;
      const resp = await this.#c.optimisticPut(k, data, origState.rev, { getOnFailure: true, ...(lease ? { lease } : {}) });
      if (!resp.succeeded) {
        // "GuaranteedUpdate of %s failed because of a conflict, going to retry" (V(4))
        origState = (await this.#stateOf(resp.kv, k, ignoreNotFound)) as ObjState;
        origStateIsCurrent = true;
        continue;
      }
      return decodeObject(data, resp.revision);
    }
  }

  // Upstream: store.GetCurrentResourceVersion
  async getCurrentResourceVersion(): Promise<number> {
    const resp = await this.#c.list(this.prepareKey(this.#resourcePrefix) + '/', { limit: 1 });
    if (resp.revision === 0) throw new Error('the current resource version must be greater than 0');
    return resp.revision;
  }

  // Upstream: store.GetList
  async getList(key: string, opts: StorageListOptions): Promise<StorageList> {
    let keyPrefix = this.prepareKey(key);
    if (opts.recursive && !keyPrefix.endsWith('/')) keyPrefix += '/';
    const pred = opts.predicate;
    let limit = pred.limit;
    const paging = pred.limit > 0;
    let { withRev, continueKey } = validateListOptions(keyPrefix, opts);
    const items: KubeObject[] = [];
    let lastKey = '';
    let hasMore = false;
    let count = 0;
    for (;;) {
      let resp: { kvs: EtcdKeyValue[]; count: number; revision: number };
      try {
        if (opts.recursive) resp = await this.#c.list(keyPrefix, { revision: withRev, limit, continueKey });
        else {
          const g = await this.#c.get(keyPrefix, { revision: withRev });
          resp = { kvs: g.kv ? [g.kv] : [], count: g.kv ? 1 : 0, revision: g.revision };
        }
      } catch (e) {
        if (isFutureRevError(e)) {
          let current = 0;
          try {
            current = await this.getCurrentResourceVersion();
          } catch {
            current = 0;
          }
          throw newTooLargeResourceVersionError(withRev, current, 0);
        }
        throw interpretEtcdListError(e, pred.continue.length > 0, continueKey, keyPrefix);
      }
      this.#validateMinimumResourceVersion(opts.resourceVersion, resp.revision);
      count = resp.count;
      hasMore = resp.kvs.length < resp.count;
      if (resp.kvs.length === 0 && hasMore) throw new Error('no results were found, but etcd indicated there were more values remaining');
      if (withRev === 0) withRev = resp.revision;
      for (const kv of resp.kvs) {
        if (paging && items.length >= pred.limit) {
          hasMore = true;
          break;
        }
        lastKey = kv.key;
        const obj = decodeObject(kv.value, kv.modRevision);
        if (predicateMatches(pred, obj)) items.push(obj);
      }
      continueKey = lastKey + '\x00';
      if (!hasMore || !paging) break;
      if (items.length >= pred.limit) break;
      if (limit < maxLimit) limit = Math.min(limit * 2, maxLimit);
    }
    const token = prepareContinueToken(lastKey, keyPrefix, withRev, count, hasMore, pred.limit, predicateEmpty(pred));
    const out: StorageList = { items, resourceVersion: withRev, continue: token.continue };
    if (token.remainingItemCount !== undefined) out.remainingItemCount = token.remainingItemCount;
    return out;
  }

  // Upstream: store.Watch
  async watch(key: string, opts: StorageListOptions): Promise<ServerWatch> {
    const k = this.prepareKey(key);
    const rev = parseResourceVersion(opts.resourceVersion);
    return this.#watcher.watch(k, rev, opts);
  }

  // Upstream: store.RequestWatchProgress
  async requestWatchProgress(): Promise<void> {
    await this.#c.kv.requestProgress();
  }

  /** The number of keys under the resource's prefix (Go: `store.Stats`). */
  async count(): Promise<number> {
    return this.#c.count(this.prepareKey(this.#resourcePrefix) + '/');
  }

  // Upstream: store.getState
  async #stateOf(kv: EtcdKeyValue | undefined, key: string, ignoreNotFound: boolean): Promise<ObjState> {
    if (!kv) {
      if (!ignoreNotFound) throw newKeyNotFoundError(key, 0);
      return { obj: { metadata: {} }, rev: 0, data: '' };
    }
    return { obj: decodeObject(kv.value, kv.modRevision), rev: kv.modRevision, data: kv.value };
  }

  // Upstream: store.getStateFromObject
  #stateFromObject(obj: KubeObject): ObjState {
    const rev = parseResourceVersion(obj.metadata.resourceVersion);
    return { obj, rev, data: encodeObject(obj) };
  }

  // Upstream: store.validateMinimumResourceVersion
  #validateMinimumResourceVersion(minimumResourceVersion: string, actualRevision: number): void {
    if (!minimumResourceVersion) return;
    let minimumRV: number;
    try {
      minimumRV = parseResourceVersion(minimumResourceVersion);
    } catch (e) {
      throw newBadRequest(`invalid resource version: ${(e as Error).message}`);
    }
    if (minimumRV > actualRevision) throw newTooLargeResourceVersionError(minimumRV, actualRevision, 0);
  }
}

/**
 * Whether two objects serialize to the same bytes in Go (the no-op check of GuaranteedUpdate):
 * the same JSON values, whatever the key order, resourceVersion aside.
 */
function sameStoredObject(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return sameJSON(strip(a), strip(b));
}

function sameJSON(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameJSON(x, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJSON((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

// Upstream: pkg/storage/etcd3/errors.go (interpretListError, handleCompactedErrorForPaging)
function interpretEtcdListError(err: unknown, paging: boolean, continueKey: string, keyPrefix: string): unknown {
  if (!isCompactedError(err)) return err;
  if (!paging) return newResourceExpired(expiredText);
  let token: string;
  try {
    // continueToken.ResourceVersion = -1: the list may continue at the latest resource version.
    token = encodeContinue(continueKey, keyPrefix, -1);
  } catch {
    return newResourceExpired(continueExpired);
  }
  const expired = newResourceExpired(inconsistentContinue);
  expired.status.metadata = { continue: token };
  return expired;
}
