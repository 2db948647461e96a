/**
 * What an informer calls when objects change: the ResourceEventHandler contract, the
 * ResourceEventHandlerFuncs / ResourceEventHandlerDetailedFuncs adaptors, the
 * FilteringResourceEventHandler, and the registration handle `addEventHandler` returns.
 * Upstream: client-go tools/cache/controller.go and shared_informer.go at v0.34.0.
 *
 * A Go handler runs on the listener's goroutine and blocks it until it returns. Here a handler
 * may return a promise; the listener awaits it before delivering the next notification, so a
 * slow async handler delays only its own listener, exactly as a slow Go handler does.
 */
import type { DeletedFinalStateUnknown } from './keys';

/** What a handler method returns: nothing, or a promise the listener waits for. */
export type HandlerResult = void | Promise<void>;

/**
 * Handles the notifications of one informer (Go: `ResourceEventHandler`). The events are
 * informational only, so a handler cannot return an error. Handlers MUST NOT modify the objects
 * they receive (nor anything reachable from them): the informer's cache holds the same objects.
 */
export interface ResourceEventHandler<T = unknown> {
  /**
   * An object was added to the cache. `isInInitialList` is true when it came from the first
   * list (or, for a handler added to a running informer, from the cache's contents at that time).
   */
  onAdd(obj: T, isInInitialList: boolean): HandlerResult;
  /**
   * An object changed. `oldObj` is the last state this informer knew: several changes may have
   * been combined, so you do not see every one. Also called on a relist and on a periodic
   * resync, even when nothing changed (then both have the same resourceVersion).
   */
  onUpdate(oldObj: T, newObj: T): HandlerResult;
  /**
   * An object was deleted. `obj` is its final state if known, otherwise a
   * `DeletedFinalStateUnknown` holding its key and last known state: the watch missed the
   * delete and a relist noticed it.
   */
  onDelete(obj: T | DeletedFinalStateUnknown<T>): HandlerResult;
}

/**
 * As many or as few of the notification functions as you want (Go: `ResourceEventHandlerFuncs`).
 * `addFunc` does not receive `isInInitialList`; use `resourceEventHandlerDetailedFuncs` for that.
 * Missing functions mean the notification is ignored.
 */
export interface ResourceEventHandlerFuncs<T = unknown> {
  addFunc?: (obj: T) => HandlerResult;
  updateFunc?: (oldObj: T, newObj: T) => HandlerResult;
  deleteFunc?: (obj: T | DeletedFinalStateUnknown<T>) => HandlerResult;
}

/**
 * Like ResourceEventHandlerFuncs, but `addFunc` also receives `isInInitialList`, for propagating
 * HasSynced (Go: `ResourceEventHandlerDetailedFuncs`).
 */
export interface ResourceEventHandlerDetailedFuncs<T = unknown> {
  addFunc?: (obj: T, isInInitialList: boolean) => HandlerResult;
  updateFunc?: (oldObj: T, newObj: T) => HandlerResult;
  deleteFunc?: (obj: T | DeletedFinalStateUnknown<T>) => HandlerResult;
}

/** What `addEventHandler` accepts: a handler, or a plain object of `ResourceEventHandlerFuncs`. */
export type ResourceEventHandlerLike<T = unknown> = ResourceEventHandler<T> | ResourceEventHandlerFuncs<T>;

/**
 * The handle `addEventHandler` returns (Go: `ResourceEventHandlerRegistration`). Give it back to
 * the same informer's `removeEventHandler` to unregister. Every call to `addEventHandler` makes a
 * new registration, even for the same handler.
 */
export interface ResourceEventHandlerRegistration {
  /**
   * True once the informer has synced and every notification of the initial list has been
   * delivered to (and returned from) this handler.
   */
  hasSynced(): boolean;
}

/**
 * The ResourceEventHandler behind a ResourceEventHandlerFuncs: each method calls its function
 * if there is one. Upstream: controller.go (ResourceEventHandlerFuncs.OnAdd/OnUpdate/OnDelete)
 */
export function resourceEventHandlerFuncs<T>(funcs: ResourceEventHandlerFuncs<T>): ResourceEventHandler<T> {
  return {
    onAdd: (obj) => funcs.addFunc?.(obj),
    onUpdate: (oldObj, newObj) => funcs.updateFunc?.(oldObj, newObj),
    onDelete: (obj) => funcs.deleteFunc?.(obj),
  };
}

/**
 * The ResourceEventHandler behind a ResourceEventHandlerDetailedFuncs.
 * Upstream: controller.go (ResourceEventHandlerDetailedFuncs)
 */
export function resourceEventHandlerDetailedFuncs<T>(funcs: ResourceEventHandlerDetailedFuncs<T>): ResourceEventHandler<T> {
  return {
    onAdd: (obj, isInInitialList) => funcs.addFunc?.(obj, isInInitialList),
    onUpdate: (oldObj, newObj) => funcs.updateFunc?.(oldObj, newObj),
    onDelete: (obj) => funcs.deleteFunc?.(obj),
  };
}

/**
 * Applies a filter to every notification before the nested handler sees it (Go:
 * `FilteringResourceEventHandler`). An object that starts passing the filter on an update is
 * an add (with `isInInitialList` false); one that stops passing it is a delete (of the old
 * object). Like the handlers, the filter MUST NOT modify the objects, and it is also given the
 * `DeletedFinalStateUnknown` of a missed delete.
 */
// Upstream: client-go tools/cache/controller.go (FilteringResourceEventHandler)
export class FilteringResourceEventHandler<T = unknown> implements ResourceEventHandler<T> {
  readonly filterFunc: (obj: T | DeletedFinalStateUnknown<T>) => boolean;
  readonly handler: ResourceEventHandler<T>;

  constructor(cfg: { filterFunc: (obj: T | DeletedFinalStateUnknown<T>) => boolean; handler: ResourceEventHandlerLike<T> }) {
    this.filterFunc = cfg.filterFunc;
    this.handler = asResourceEventHandler(cfg.handler);
  }

  // Upstream: FilteringResourceEventHandler.OnAdd (only if the filter passes)
  onAdd(obj: T, isInInitialList: boolean): HandlerResult {
    if (!this.filterFunc(obj)) return;
    return this.handler.onAdd(obj, isInInitialList);
  }

  // Upstream: FilteringResourceEventHandler.OnUpdate
  onUpdate(oldObj: T, newObj: T): HandlerResult {
    const newer = this.filterFunc(newObj);
    const older = this.filterFunc(oldObj);
    if (newer && older) return this.handler.onUpdate(oldObj, newObj);
    if (newer && !older) return this.handler.onAdd(newObj, false);
    if (!newer && older) return this.handler.onDelete(oldObj);
    // Neither passes: do nothing.
  }

  // Upstream: FilteringResourceEventHandler.OnDelete (only if the filter passes)
  onDelete(obj: T | DeletedFinalStateUnknown<T>): HandlerResult {
    if (!this.filterFunc(obj)) return;
    return this.handler.onDelete(obj);
  }
}

/**
 * A handler as the listener calls it. An object with any of `onAdd`/`onUpdate`/`onDelete` is a
 * ResourceEventHandler (a missing method does nothing); anything else is read as a
 * ResourceEventHandlerFuncs (Go's type system makes that choice at compile time).
 */
export function asResourceEventHandler<T>(handler: ResourceEventHandlerLike<T>): ResourceEventHandler<T> {
  if (typeof handler !== 'object' || handler === null) {
    throw new TypeError(`a ResourceEventHandler must be an object with onAdd/onUpdate/onDelete or addFunc/updateFunc/deleteFunc, got ${String(handler)}`);
  }
  const h = handler as Partial<ResourceEventHandler<T>>;
  if (typeof h.onAdd === 'function' || typeof h.onUpdate === 'function' || typeof h.onDelete === 'function') {
    if (typeof h.onAdd === 'function' && typeof h.onUpdate === 'function' && typeof h.onDelete === 'function') {
      return handler as ResourceEventHandler<T>;
    }
    return {
      onAdd: (obj, isInInitialList) => h.onAdd?.call(handler, obj, isInInitialList),
      onUpdate: (oldObj, newObj) => h.onUpdate?.call(handler, oldObj, newObj),
      onDelete: (obj) => h.onDelete?.call(handler, obj),
    };
  }
  return resourceEventHandlerFuncs(handler as ResourceEventHandlerFuncs<T>);
}

/**
 * Go's `%v` of a handler in the "was not added" error: the functions of a
 * ResourceEventHandlerFuncs as `func` or `<nil>`, anything else as `&{...}`.
 */
export function describeHandler(handler: unknown): string {
  if (typeof handler !== 'object' || handler === null) return String(handler);
  const h = handler as Record<string, unknown>;
  if ('addFunc' in h || 'updateFunc' in h || 'deleteFunc' in h || Object.keys(h).length === 0) {
    const f = (v: unknown) => (typeof v === 'function' ? 'func' : '<nil>');
    return `{${f(h.addFunc)} ${f(h.updateFunc)} ${f(h.deleteFunc)}}`;
  }
  return `&{${handler.constructor?.name ?? 'handler'}}`;
}
