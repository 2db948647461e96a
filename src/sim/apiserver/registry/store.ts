/**
 * The generic registry store every built-in kind and every custom resource uses: keys, creates
 * (with generateName retries), guaranteed updates (optimistic concurrency on resourceVersion,
 * create-on-update where allowed, deletion once the last finalizer is removed from an object being
 * deleted), deletes (graceful deletion, finalizers, orphan / foreground finalizers), lists and
 * watches through the storage (watch cache or etcd).
 * Upstream: apiserver pkg/registry/generic/registry/store.go (Store: NamespaceKeyRootFunc,
 * NamespaceKeyFunc, NoNamespaceKeyFunc, List, ListPredicate, Create, create,
 * createWithGenerateNameRetry, ShouldDeleteDuringUpdate, deleteWithoutFinalizers, Update, Get,
 * shouldOrphanDependents, shouldDeleteDependents, deletionFinalizersForGarbageCollection,
 * markAsDeleting, updateForGracefulDeletionAndFinalizers, Delete, finalizeDelete, Watch,
 * WatchPredicate, calculateTTL)
 */
import { deepCopy, type KubeObject } from '../../core/object';
import { isAlreadyExists, newBadRequest, newConflict, newInvalid, newNotFound, type Status, type StatusError } from '../../apimachinery/errors';
import { field } from '../../apimachinery/field';
import { validateNamespaceName } from '../../apimachinery/validation';
import { isValidPathSegmentName } from './path_name';
import {
  interpretCreateError,
  interpretDeleteError,
  interpretGetError,
  interpretListError,
  interpretUpdateError,
  isStorageNotFound,
  newKeyExistsError,
  StorageInvalidError,
} from '../storage/errors';
import {
  matchesSingle,
  matchesSingleNamespace,
  parseResourceVersion,
  type Preconditions,
  type SelectionPredicate,
  type StorageInterface,
  type StorageList,
  type StorageListOptions,
} from '../storage/interfaces';
import type { ServerWatch } from '../watch';
import type { WatchScope } from '../cacher/cacher';
import { qualifiedResource, type ResourceDef } from './resource';
import {
  beforeCreate,
  beforeDelete,
  beforeUpdate,
  checkGeneratedNameError,
  fillObjectMetaSystemFields,
  generateName,
  rfc3339,
  type DeleteOptions,
  type KindInfo,
  type Strategy,
} from './strategy';

/** Go: `maxNameGenerationCreateAttempts`. */
export const maxNameGenerationCreateAttempts = 8;

const FinalizerOrphanDependents = 'orphan';
const FinalizerDeleteDependents = 'foregroundDeletion';

/** The request a registry call serves (Go: the request context's namespace, and what it needs). */
export interface RegistryContext {
  /** The request's namespace ('' for cluster-scoped requests and for all-namespace lists). */
  namespace: string;
  dryRun?: boolean;
  /** Warnings to return to the client (Go: `warning.AddWarning`). */
  warnings?: string[];
  /** The watch scope for cached watches. */
  watchScope?: WatchScope;
  /** Validating admission, run after the strategy validated the object (Go: the `createValidation` / `updateValidation` the handler passes). */
  validateAdmission?(obj: KubeObject, old: KubeObject | undefined): Promise<void>;
}

/** metainternalversion.ListOptions after parsing. */
export interface RegistryListOptions {
  predicate: SelectionPredicate;
  resourceVersion: string;
  resourceVersionMatch: string;
  sendInitialEvents?: boolean;
}

/** What an update turns the stored object into (Go: `rest.UpdatedObjectInfo`). */
export interface UpdatedObjectInfo {
  /** The resourceVersion / uid the caller's object carried (Go: `Preconditions()`). */
  preconditions?: Preconditions;
  /** The new object, given the current one (undefined when creating on update). */
  updatedObject(existing: KubeObject | undefined): KubeObject | Promise<KubeObject>;
}

export interface StoreDeps {
  now(): number;
  uid(): string;
  randInt(n: number): number;
  /** Lease ids for TTLs. */
  observeList?(source: 'etcd', why: string, l: StorageList): void;
}

/** A sentinel GuaranteedUpdate's tryUpdate throws to stop (Go: `errEmptiedFinalizers` & co.). */
class Abort extends Error {
  constructor(readonly why: 'emptiedFinalizers' | 'alreadyDeleting' | 'deleteNow') {
    super(why);
  }
}

// Upstream: registry/store.go (Store)
export class RegistryStore {
  readonly def: ResourceDef;
  readonly strategy: Strategy;
  readonly #storage: StorageInterface;
  readonly #deps: StoreDeps;
  readonly #prefix: string;

  constructor(def: ResourceDef, storage: StorageInterface, deps: StoreDeps, strategy?: Strategy) {
    this.def = def;
    this.strategy = strategy ?? def.strategy;
    this.#storage = storage;
    this.#deps = deps;
    this.#prefix = '/' + def.storagePrefix;
  }

  /** The same storage and kind with another strategy (the status subresource). */
  withStrategy(strategy: Strategy): RegistryStore {
    return new RegistryStore(this.def, this.#storage, this.#deps, strategy);
  }

  get storage(): StorageInterface {
    return this.#storage;
  }

  get #gr() {
    return qualifiedResource(this.def);
  }

  get #kind(): KindInfo {
    return { group: this.def.group, kind: this.def.kind };
  }

  // Upstream: NamespaceKeyRootFunc
  keyRoot(ctx: RegistryContext): string {
    return this.def.namespaced && ctx.namespace ? `${this.#prefix}/${ctx.namespace}` : this.#prefix;
  }

  // Upstream: NamespaceKeyFunc, NoNamespaceKeyFunc
  key(ctx: RegistryContext, name: string): string {
    if (this.def.namespaced && !ctx.namespace) throw newBadRequest('Namespace parameter required.');
    if (!name) throw newBadRequest('Name parameter required.');
    const msgs = isValidPathSegmentName(name);
    if (msgs.length > 0) throw newBadRequest(`Name parameter invalid: ${JSON.stringify(name)}: ${msgs.join(';')}`);
    return `${this.keyRoot(ctx)}/${name}`;
  }

  // Upstream: Store.Create, createWithGenerateNameRetry
  async create(ctx: RegistryContext, obj: KubeObject): Promise<KubeObject> {
    if (obj.metadata.generateName && !obj.metadata.name) {
      let last: unknown;
      for (let i = 0; i < maxNameGenerationCreateAttempts; i++) {
        try {
          return await this.#create(ctx, deepCopy(obj));
        } catch (e) {
          last = e;
          if (!isAlreadyExists(e)) throw e;
        }
      }
      throw last;
    }
    return this.#create(ctx, obj);
  }

  // Upstream: Store.create
  async #create(ctx: RegistryContext, obj: KubeObject): Promise<KubeObject> {
    fillObjectMetaSystemFields(obj, this.#deps.now(), this.#deps.uid());
    if (obj.metadata.generateName && !obj.metadata.name) obj.metadata.name = generateName(obj.metadata.generateName, this.#deps.randInt);
    const warnings = beforeCreate(this.strategy, this.#kind, ctx.namespace, obj);
    await ctx.validateAdmission?.(obj, undefined);
    ctx.warnings?.push(...warnings);
    const name = obj.metadata.name as string;
    const key = this.key(ctx, name);
    const ttl = this.def.ttlSec ?? 0;
    const finish = this.def.beginCreate?.(obj, !!ctx.dryRun);
    if (ctx.dryRun) {
      finish?.(false);
      const existing = await this.#storage.get(key, { resourceVersion: '', ignoreNotFound: true });
      if (existing) throw checkGeneratedNameError(this.#gr, interpretCreateError(newKeyExistsError(key, 0), this.#gr, name), obj);
      return obj;
    }
    try {
      const created = await this.#storage.create(key, obj, ttl);
      finish?.(true);
      return created;
    } catch (e) {
      finish?.(false);
      let err = interpretCreateError(e, this.#gr, name);
      err = checkGeneratedNameError(this.#gr, err, obj);
      if (!isAlreadyExists(err)) throw err;
      const current = await this.#storage.get(key, { resourceVersion: '', ignoreNotFound: true }).catch(() => undefined);
      if (current?.metadata.deletionTimestamp) {
        const status = (err as StatusError).status;
        status.message = `object is being deleted: ${status.message}`;
        (err as Error).message = status.message;
      }
      throw err;
    }
  }

  // Upstream: Store.Get
  async get(ctx: RegistryContext, name: string, resourceVersion = ''): Promise<KubeObject> {
    const key = this.key(ctx, name);
    try {
      return (await this.#storage.get(key, { resourceVersion })) as KubeObject;
    } catch (e) {
      throw interpretGetError(e, this.#gr, name);
    }
  }

  // Upstream: Store.List, ListPredicate
  async list(ctx: RegistryContext, opts: RegistryListOptions): Promise<StorageList> {
    const storageOpts: StorageListOptions = {
      resourceVersion: opts.resourceVersion,
      resourceVersionMatch: opts.resourceVersionMatch,
      predicate: opts.predicate,
      recursive: true,
    };
    let c = ctx;
    if (!ctx.namespace) {
      const ns = matchesSingleNamespace(opts.predicate);
      if (ns !== undefined && validateNamespaceName(ns, false).length === 0) c = { ...ctx, namespace: ns };
    }
    const name = matchesSingle(opts.predicate);
    try {
      if (name !== undefined) {
        let key: string | undefined;
        try {
          key = this.key(c, name);
        } catch {
          key = undefined;
        }
        if (key !== undefined) return await this.#storage.getList(key, { ...storageOpts, recursive: false });
      }
      return await this.#storage.getList(this.keyRoot(c), storageOpts);
    } catch (e) {
      throw interpretListError(rethrowInvalid(e, this.#gr), this.#gr);
    }
  }

  /**
   * Applies an update with optimistic concurrency (Go: `Store.Update`): the caller's
   * resourceVersion must be the stored one (`409 Conflict` "the object has been modified"), or
   * absent where the strategy allows unconditional updates; creating when the object is absent
   * where allowed; deleting the object once an update empties the finalizers of an object being deleted.
   */
  // Upstream: Store.Update
  async update(ctx: RegistryContext, name: string, objInfo: UpdatedObjectInfo, forceAllowCreate = false): Promise<{ obj: KubeObject; created: boolean }> {
    const key = this.key(ctx, name);
    const gr = this.#gr;
    const preconditions = objInfo.preconditions;
    const ignoreNotFound = this.strategy.allowCreateOnUpdate || forceAllowCreate;
    let creating = false;
    let creatingObj: KubeObject | undefined;
    let deleteObj: KubeObject | undefined;
    let finishUpdate: ((ok: boolean) => void) | undefined;
    const tryUpdate = async (existing: KubeObject, res: { resourceVersion: number }): Promise<KubeObject> => {
      const existingResourceVersion = parseResourceVersion(existing.metadata.resourceVersion);
      if (existingResourceVersion === 0 && !ignoreNotFound) throw newNotFound(gr, name);
      const obj = await objInfo.updatedObject(existingResourceVersion === 0 ? undefined : existing);
      let newResourceVersion: number;
      try {
        newResourceVersion = parseResourceVersion(obj.metadata.resourceVersion);
      } catch (e) {
        throw rethrowInvalid(e, gr);
      }
      const doUnconditionalUpdate = newResourceVersion === 0 && this.strategy.allowUnconditionalUpdate;
      if (existingResourceVersion === 0) {
        fillObjectMetaSystemFields(obj, this.#deps.now(), this.#deps.uid());
        creating = true;
        creatingObj = obj;
        ctx.warnings?.push(...beforeCreate(this.strategy, this.#kind, ctx.namespace, obj));
        await ctx.validateAdmission?.(obj, undefined);
        finishUpdate?.(false);
        finishUpdate = undefined;
        finishUpdate = this.def.beginCreate?.(obj, !!ctx.dryRun);
        delete obj.metadata.resourceVersion;
        return obj;
      }
      creating = false;
      creatingObj = undefined;
      if (doUnconditionalUpdate) {
        obj.metadata.resourceVersion = String(res.resourceVersion);
      } else {
        if (newResourceVersion === 0) {
          throw newInvalid({ group: gr.group, kind: gr.resource }, name, [field.invalid(field.newPath('metadata', 'resourceVersion'), new field.GoUint64(0), 'must be specified for an update')]);
        }
        if (newResourceVersion !== existingResourceVersion) throw newConflict(gr, name);
      }
      beforeUpdate(this.strategy, this.#kind, ctx.namespace, obj, existing);
      await ctx.validateAdmission?.(obj, existing);
      // A retried attempt gives back what the previous one allocated.
      finishUpdate?.(false);
      finishUpdate = undefined;
      finishUpdate = this.def.beginUpdate?.(obj, existing, !!ctx.dryRun);
      if ((this.def.shouldDeleteDuringUpdate ?? shouldDeleteDuringUpdate)(obj, existing)) {
        deleteObj = obj;
        throw new Abort('emptiedFinalizers');
      }
      return obj;
    };
    if (ctx.dryRun) {
      const existing = (await this.#storage.get(key, { resourceVersion: '', ignoreNotFound: true })) ?? { metadata: {} };
      try {
        const out = await tryUpdate(deepCopy(existing), { resourceVersion: parseResourceVersion(existing.metadata.resourceVersion) });
        finishUpdate?.(false);
        return { obj: out, created: creating };
      } catch (e) {
        finishUpdate?.(false);
        if (e instanceof Abort) return { obj: deleteObj as KubeObject, created: false };
        throw creating ? checkGeneratedNameError(gr, interpretCreateError(e, gr, name), creatingObj as KubeObject) : interpretUpdateError(e, gr, name);
      }
    }
    try {
      const out = await this.#storage.guaranteedUpdate(key, ignoreNotFound, preconditions, tryUpdate, undefined, this.def.ttlSec);
      finishUpdate?.(true);
      return { obj: out, created: creating };
    } catch (e) {
      finishUpdate?.(false);
      if (e instanceof Abort) return { obj: await this.#deleteWithoutFinalizers(name, key, deleteObj as KubeObject, preconditions), created: false };
      if (creating) throw checkGeneratedNameError(gr, interpretCreateError(e, gr, name), creatingObj as KubeObject);
      throw interpretUpdateError(e, gr, name);
    }
  }

  /** An update straight through the storage, without the strategy (Go: `r.store.Storage.GuaranteedUpdate`, as BindingREST does). */
  async rawUpdate(ctx: RegistryContext, name: string, fn: (existing: KubeObject) => KubeObject): Promise<KubeObject> {
    const key = this.key(ctx, name);
    try {
      return await this.#storage.guaranteedUpdate(key, false, undefined, (existing) => fn(existing));
    } catch (e) {
      throw interpretUpdateError(e, this.#gr, name);
    }
  }

  // Upstream: Store.deleteWithoutFinalizers
  async #deleteWithoutFinalizers(name: string, key: string, obj: KubeObject, preconditions: Preconditions | undefined): Promise<KubeObject> {
    try {
      await this.#storage.delete(key, preconditions, () => {});
    } catch (e) {
      // Deletion is racy: several updates may remove the last finalizers.
      if (isStorageNotFound(e)) return obj;
      throw interpretDeleteError(e, this.#gr, name);
    }
    return obj;
  }

  /**
   * Deletes (Go: `Store.Delete`): a graceful kind (Pods) first gets `deletionTimestamp` and
   * `deletionGracePeriodSeconds`; an object with finalizers is only marked (`deletionTimestamp`,
   * grace 0) until they are removed; otherwise it is removed from etcd at once. Resolves the
   * object as stored last, and whether it was deleted now.
   */
  // Upstream: Store.Delete
  async delete(ctx: RegistryContext, name: string, options: DeleteOptions = { gracePeriodSeconds: 0 }): Promise<{ obj: KubeObject; deleted: boolean; status?: Status }> {
    const key = this.key(ctx, name);
    const gr = this.#gr;
    let obj: KubeObject;
    try {
      obj = (await this.#storage.get(key, { resourceVersion: '' })) as KubeObject;
    } catch (e) {
      throw interpretDeleteError(e, gr, name);
    }
    obj = deepCopy(obj);
    const preconditions: Preconditions = { ...(options.preconditions ?? {}) };
    const { graceful, gracefulPending } = beforeDelete(this.strategy, this.#kind, obj, options, this.#deps.now());
    if (gracefulPending) return { obj, deleted: false };
    const pendingFinalizers = (obj.metadata.finalizers ?? []).length > 0;
    let ignoreNotFound = false;
    let deleteImmediately = true;
    let lastExisting: KubeObject | undefined;
    let out: KubeObject | undefined;
    const [shouldUpdateFinalizers] = this.#deletionFinalizersForGarbageCollection(obj, options);
    if (graceful || pendingFinalizers || shouldUpdateFinalizers) {
      const r = await this.#updateForGracefulDeletionAndFinalizers(ctx, name, key, options, preconditions, obj);
      ignoreNotFound = r.ignoreNotFound;
      deleteImmediately = r.deleteImmediately;
      out = r.out;
      lastExisting = r.lastExisting;
      if (deleteImmediately && preconditions.resourceVersion !== undefined && out) preconditions.resourceVersion = out.metadata.resourceVersion;
    }
    if (!deleteImmediately) return { obj: out as KubeObject, deleted: false };
    if (ctx.dryRun) return { obj: out ?? obj, deleted: true };
    try {
      out = await this.#storage.delete(key, preconditions, () => {});
    } catch (e) {
      if (isStorageNotFound(e) && ignoreNotFound && lastExisting) return { obj: lastExisting, deleted: true };
      throw interpretDeleteError(e, gr, name);
    }
    return { obj: out, deleted: true };
  }

  // Upstream: Store.updateForGracefulDeletionAndFinalizers
  async #updateForGracefulDeletionAndFinalizers(ctx: RegistryContext, name: string, key: string, options: DeleteOptions, preconditions: Preconditions, inObj: KubeObject): Promise<{ ignoreNotFound: boolean; deleteImmediately: boolean; out?: KubeObject; lastExisting?: KubeObject }> {
    let lastGraceful = 0;
    let pendingFinalizers = false;
    let lastExisting: KubeObject | undefined;
    const tryUpdate = (existing: KubeObject): KubeObject => {
      const { graceful, gracefulPending } = beforeDelete(this.strategy, this.#kind, existing, options, this.#deps.now());
      if (gracefulPending) throw new Abort('alreadyDeleting');
      const [needsUpdate, newFinalizers] = this.#deletionFinalizersForGarbageCollection(existing, options);
      if (needsUpdate) existing.metadata.finalizers = newFinalizers;
      pendingFinalizers = (existing.metadata.finalizers ?? []).length > 0;
      if (!graceful) {
        if (pendingFinalizers) {
          markAsDeleting(existing, this.#deps.now());
          return existing;
        }
        throw new Abort('deleteNow');
      }
      lastGraceful = options.gracePeriodSeconds ?? 0;
      lastExisting = existing;
      return existing;
    };
    let out: KubeObject | undefined;
    try {
      if (ctx.dryRun) {
        const cur = deepCopy((await this.#storage.get(key, { resourceVersion: '' })) as KubeObject);
        out = tryUpdate(cur);
      } else out = await this.#storage.guaranteedUpdate(key, false, preconditions, tryUpdate, undefined, this.def.ttlSec);
    } catch (e) {
      if (e instanceof Abort) {
        if (e.why === 'deleteNow') return { ignoreNotFound: false, deleteImmediately: true, out, lastExisting };
        return { ignoreNotFound: false, deleteImmediately: false, out: inObj, lastExisting };
      }
      throw interpretUpdateError(e, this.#gr, name);
    }
    if (pendingFinalizers) return { ignoreNotFound: false, deleteImmediately: false, out, lastExisting };
    if (lastGraceful > 0) return { ignoreNotFound: false, deleteImmediately: false, out, lastExisting };
    return { ignoreNotFound: true, deleteImmediately: true, out, lastExisting };
  }

  // Upstream: shouldOrphanDependents, shouldDeleteDependents, deletionFinalizersForGarbageCollection
  #deletionFinalizersForGarbageCollection(obj: KubeObject, options: DeleteOptions): [boolean, string[]] {
    const policy = this.strategy.defaultGarbageCollectionPolicy;
    const current = obj.metadata.finalizers ?? [];
    if (policy === 'Unsupported') return [false, current];
    let orphan: boolean;
    if (options.orphanDependents !== undefined) orphan = options.orphanDependents;
    else if (options.propagationPolicy === 'Orphan') orphan = true;
    else if (options.propagationPolicy === 'Background' || options.propagationPolicy === 'Foreground') orphan = false;
    else {
      const f = current.find((x) => x === FinalizerOrphanDependents || x === FinalizerDeleteDependents);
      orphan = f !== undefined ? f === FinalizerOrphanDependents : policy === 'OrphanDependents';
    }
    let foreground: boolean;
    if (options.orphanDependents !== undefined) foreground = false;
    else if (options.propagationPolicy === 'Foreground') foreground = true;
    else if (options.propagationPolicy === 'Background' || options.propagationPolicy === 'Orphan') foreground = false;
    else {
      const f = current.find((x) => x === FinalizerOrphanDependents || x === FinalizerDeleteDependents);
      foreground = f === FinalizerDeleteDependents;
    }
    const next = current.filter((f) => f !== FinalizerOrphanDependents && f !== FinalizerDeleteDependents);
    if (orphan) next.push(FinalizerOrphanDependents);
    if (foreground) next.push(FinalizerDeleteDependents);
    const same = new Set(current).size === new Set(next).size && next.every((f) => current.includes(f));
    return same ? [false, current] : [true, next];
  }

  // Upstream: Store.Watch, WatchPredicate
  async watch(ctx: RegistryContext, opts: RegistryListOptions): Promise<ServerWatch> {
    const storageOpts: StorageListOptions = {
      resourceVersion: opts.resourceVersion,
      resourceVersionMatch: '',
      predicate: opts.predicate,
      recursive: true,
      sendInitialEvents: opts.sendInitialEvents,
    };
    let c = ctx;
    if (!ctx.namespace) {
      const ns = matchesSingleNamespace(opts.predicate);
      if (ns !== undefined && validateNamespaceName(ns, false).length === 0) c = { ...ctx, namespace: ns };
    }
    let key = this.keyRoot(c);
    const name = matchesSingle(opts.predicate);
    if (name !== undefined) {
      try {
        key = this.key(c, name);
        storageOpts.recursive = false;
      } catch {
        // the optimization is skipped
      }
    }
    try {
      const storage = this.#storage as StorageInterface & { watch(key: string, opts: StorageListOptions, scope?: WatchScope): Promise<ServerWatch> };
      return await storage.watch(key, storageOpts, ctx.watchScope ? { ...ctx.watchScope, namespace: c.namespace || undefined } : undefined);
    } catch (e) {
      throw rethrowInvalid(e, this.#gr);
    }
  }
}

/** An unparsable resourceVersion from the storage layer as `422 Invalid` (Go: `InterpretWatchError` and friends). */
function rethrowInvalid(e: unknown, gr: { group: string; resource: string }): unknown {
  if (e instanceof StorageInvalidError) return newInvalid({ group: gr.group, kind: gr.resource }, '', e.errs);
  return e;
}

// Upstream: registry/store.go (ShouldDeleteDuringUpdate)
export function shouldDeleteDuringUpdate(obj: KubeObject, existing: KubeObject): boolean {
  if ((obj.metadata.finalizers ?? []).length > 0) return false;
  if (!existing.metadata.deletionTimestamp) return false;
  const grace = existing.metadata.deletionGracePeriodSeconds as number | undefined;
  return grace === undefined || grace === 0;
}

// Upstream: registry/store.go (markAsDeleting)
export function markAsDeleting(obj: KubeObject, nowMs: number): void {
  const m = obj.metadata;
  if (!m.deletionTimestamp && typeof m.generation === 'number' && m.generation > 0) m.generation = m.generation + 1;
  if (!m.deletionTimestamp || Date.parse(m.deletionTimestamp) > nowMs) m.deletionTimestamp = rfc3339(nowMs);
  m.deletionGracePeriodSeconds = 0;
}

/** The Status a delete answers when the kind does not return the object (Go: `finalizeDelete`). */
// Upstream: registry/store.go (finalizeDelete)
export function deleteSuccessStatus(def: ResourceDef, obj: KubeObject): SuccessStatus {
  // StatusDetails' fields are omitempty: a core kind's empty group is left out
  const details = def.group ? { name: obj.metadata.name ?? '', group: def.group, kind: def.resource, uid: obj.metadata.uid ?? '' } : { name: obj.metadata.name ?? '', kind: def.resource, uid: obj.metadata.uid ?? '' };
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

/** A Success Status (message and reason are empty, so omitted). */
export type SuccessStatus = Omit<Status, 'message' | 'reason'>;

