/**
 * SharedInformerFactory: one shared informer per resource for a whole program, so every
 * controller that watches pods shares one list, one watch and one cache. Upstream: client-go
 * informers/factory.go at v0.34.0 (`sharedInformerFactory`: `InformerFor`, `Start`,
 * `WaitForCacheSync`, `Shutdown`, the `With*` options), informers/generic.go (`GenericInformer`)
 * and dynamic/dynamicinformer/informer.go (`ForResource(gvr)` over a dynamic client, with
 * `NewFilteredDynamicInformer`).
 *
 * Upstream keys informers by Go type (`reflect.TypeOf(&v1.Pod{})`, or a GVR in the dynamic
 * factory); the model keys them by a resource: a string (`'pods'`) or a GroupVersionResource,
 * and gets each resource's ListerWatcher from the function it is given as its client (a fake
 * source today; the API server's clients later).
 */
import type { FakeClock } from '../core/clock';
import { UsageError } from '../core/errors';
import { resolveEnv, type SimEnv } from '../core/env';
import type { KubeObject } from '../core/object';
import type { Rng } from '../core/rng';
import type { TraceRecorder } from '../core/trace';
import { checkFeatures, type ClientGoFeatures } from './features';
import { NamespaceIndex, metaNamespaceIndexFunc } from './index_funcs';
import { newGenericLister, type GenericLister, type QualifiedResource } from './listers';
import type { ListOptions, ListerWatcher } from './listwatch';
import { newSharedIndexInformer, waitForCacheSyncUntil, type SharedIndexInformer } from './shared_informer';
import { StopChannel } from './stop_channel';
import type { TransformFunc } from './types';

/** A GroupVersionResource (Go: `schema.GroupVersionResource`); `group` is `''` for the core group. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** What a factory keys its informers by: a name such as `'pods'`, or a GroupVersionResource. */
export type InformerResource = string | GroupVersionResource;

/**
 * The factory's client: gives the ListerWatcher of `resource` in `namespace` (`''`: all
 * namespaces), or undefined when it has none. Go's factory holds a `kubernetes.Interface`
 * (a dynamic factory a `dynamic.Interface`) and each informer builds its ListWatch from it; with
 * the API server model this will be `(r, ns) => newListWatchFromClient(...)`.
 */
export type ListerWatcherFor = (resource: InformerResource, namespace: string) => ListerWatcher<KubeObject> | undefined;

/** Changes the ListOptions of every list and watch an informer sends (Go: `internalinterfaces.TweakListOptionsFunc`). */
export type TweakListOptionsFunc = (options: ListOptions) => void;

/** What `informerFor`'s `newFunc` is told besides the client and the resync period. */
export interface NewInformerContext {
  /** The resource, as given to `informerFor`. */
  resource: InformerResource;
  /** The factory's key for it (`resourceKey(resource)`). */
  key: string;
  /** A name for the informer's trace events: the resource (`pods`, `deployments.apps`). */
  name: string;
  /** The factory's namespace (`''`: all). */
  namespace: string;
  tweakListOptions: TweakListOptionsFunc | undefined;
  /** The environment every informer of the factory shares. */
  env: SimEnv;
  /** The client-go gates the factory was given. */
  features: ClientGoFeatures | undefined;
}

/**
 * Makes the informer of a resource (Go: `internalinterfaces.NewInformerFunc`, `func(client,
 * resyncPeriod) SharedIndexInformer`); the model adds what Go's typed informers close over.
 */
export type NewInformerFunc<T extends KubeObject = KubeObject> = (client: ListerWatcherFor, resyncPeriodMs: number, context: NewInformerContext) => SharedIndexInformer<T>;

/** An informer and a lister of one resource (Go: `informers.GenericInformer`). */
export interface GenericInformer<T extends KubeObject = KubeObject> {
  informer(): SharedIndexInformer<T>;
  lister(): GenericLister<T>;
}

/** Options of `newSharedInformerFactory` (Go: the `SharedInformerOption`s, plus the environment). */
export interface SharedInformerFactoryOptions {
  /** Only this namespace (Go: `WithNamespace`). Default `''` (`metav1.NamespaceAll`). */
  namespace?: string;
  /** Applied to the options of every list and watch (Go: `WithTweakListOptions`). */
  tweakListOptions?: TweakListOptionsFunc;
  /** Resync periods per resource key, overriding the default (Go: `WithCustomResyncConfig`). */
  customResync?: Record<string, number>;
  /** Set on every informer the factory makes (Go: `WithTransform`). */
  transform?: TransformFunc;
  /** client-go gates for every informer the factory makes (e.g. `{ InOrderInformers: false }`). */
  features?: ClientGoFeatures;
  /** The environment every informer shares (give `env` or `clock`). */
  env?: SimEnv;
  clock?: FakeClock;
  rng?: Rng;
  trace?: TraceRecorder;
}

/**
 * The factory's key of a resource: a string as given; a GroupVersionResource as Go prints it
 * (`GroupVersionResource.String()`: `apps/v1, Resource=deployments`, `/v1, Resource=pods`).
 */
// Upstream: apimachinery pkg/runtime/schema/group_version.go (GroupVersionResource.String)
export function resourceKey(resource: InformerResource): string {
  if (typeof resource === 'string') return resource;
  return `${resource.group}/${resource.version}, Resource=${resource.resource}`;
}

/** The resource as its errors and trace name it: a string as given; a GVR's GroupResource (`deployments.apps`). */
function qualifiedResource(resource: InformerResource): QualifiedResource {
  return typeof resource === 'string' ? resource : { group: resource.group, resource: resource.resource };
}

/**
 * A ListerWatcher that applies `optionsModifier` to a copy of the options of every list and
 * watch before passing them on (the `tweakListOptions` step of Go's generated informers and of
 * `cache.NewFilteredListWatchFromClient`).
 */
export function newFilteredListWatch<T extends KubeObject>(lw: ListerWatcher<T>, optionsModifier: TweakListOptionsFunc | undefined): ListerWatcher<T> {
  if (!optionsModifier) return lw;
  return {
    list(options) {
      const o = { ...options };
      optionsModifier(o);
      return lw.list(o);
    },
    watch(options) {
      const o = { ...options };
      optionsModifier(o);
      return lw.watch(o);
    },
  };
}

/**
 * The informer `forResource` makes (Go: `NewFilteredDynamicInformer`): the client's
 * ListerWatcher for the resource in the factory's namespace, through `tweakListOptions`, with a
 * namespace index. Throws `no informer found for <resource>` when the client has none.
 */
// Upstream: client-go dynamic/dynamicinformer/informer.go (NewFilteredDynamicInformer)
export function newFilteredInformer<T extends KubeObject = KubeObject>(client: ListerWatcherFor, resyncPeriodMs: number, context: NewInformerContext): SharedIndexInformer<T> {
  const lw = client(context.resource, context.namespace) as ListerWatcher<T> | undefined;
  if (!lw) throw new Error(`no informer found for ${context.key}`);
  return newSharedIndexInformer<T>(newFilteredListWatch(lw, context.tweakListOptions), {
    env: context.env,
    name: context.name,
    defaultEventHandlerResyncPeriodMs: resyncPeriodMs,
    indexers: { [NamespaceIndex]: metaNamespaceIndexFunc },
    objectDescription: context.key,
    ...(context.features ? { features: context.features } : {}),
  });
}

// Upstream: client-go informers/generic.go (genericInformer)
class GenericInformerImpl<T extends KubeObject> implements GenericInformer<T> {
  readonly #informer: SharedIndexInformer<T>;
  readonly #resource: QualifiedResource;

  constructor(informer: SharedIndexInformer<T>, resource: QualifiedResource) {
    this.#informer = informer;
    this.#resource = resource;
  }

  // Upstream: genericInformer.Informer
  informer(): SharedIndexInformer<T> {
    return this.#informer;
  }

  // Upstream: genericInformer.Lister
  lister(): GenericLister<T> {
    return newGenericLister<T>(this.#informer.getIndexer(), this.#resource);
  }
}

interface Entry {
  resource: InformerResource;
  informer: SharedIndexInformer<KubeObject>;
  started: boolean;
}

/**
 * Shared informers for any number of resources (Go: `informers.SharedInformerFactory`). Informers
 * are made on first request (`informerFor`, `forResource`) and run once `start()` is called;
 * informers requested after `start()` need another `start()`.
 */
// Upstream: client-go informers/factory.go (sharedInformerFactory)
export class SharedInformerFactory {
  readonly #client: ListerWatcherFor;
  readonly #env: SimEnv;
  readonly #namespace: string;
  readonly #tweakListOptions: TweakListOptionsFunc | undefined;
  readonly #defaultResyncMs: number;
  readonly #customResync: ReadonlyMap<string, number>;
  readonly #transform: TransformFunc | undefined;
  readonly #features: ClientGoFeatures | undefined;

  /** Informers by resource key, in the order they were first requested. */
  readonly #informers = new Map<string, Entry>();
  /** `run()` of every started informer (Go: `wg`). A crash is kept for `shutdown` to report. */
  readonly #running: Array<Promise<void>> = [];
  #crash: { err: unknown } | undefined;
  /** Closed by `shutdown`: stops the informers started without a stop channel of their own. */
  readonly #ownStop = new StopChannel();
  /** `shutdown` was called: `start` does nothing more. */
  #shuttingDown = false;

  constructor(client: ListerWatcherFor, defaultResyncMs: number, options: SharedInformerFactoryOptions) {
    if (typeof client !== 'function') {
      throw new UsageError('newSharedInformerFactory: client must be a function (resource, namespace) => ListerWatcher');
    }
    if (!options || (!options.clock && !options.env)) {
      throw new UsageError('newSharedInformerFactory: options.clock (a FakeClock) or options.env is required');
    }
    if (!Number.isFinite(defaultResyncMs) || defaultResyncMs < 0) {
      throw new RangeError(`newSharedInformerFactory: defaultResyncMs must be a finite number of ms >= 0, got ${String(defaultResyncMs)}`);
    }
    checkFeatures(options.features);
    this.#client = client;
    this.#env = resolveEnv(options);
    this.#namespace = options.namespace ?? '';
    this.#tweakListOptions = options.tweakListOptions;
    this.#defaultResyncMs = defaultResyncMs;
    this.#customResync = new Map(Object.entries(options.customResync ?? {}));
    this.#transform = options.transform;
    this.#features = options.features;
  }

  /** The namespace the factory's informers watch (`''`: all). */
  get namespace(): string {
    return this.#namespace;
  }

  /**
   * The informer of `resource`, made with `newFunc(client, resyncPeriodMs, context)` on the first
   * request and shared after that (whatever `newFunc` later callers pass). The resync period is
   * the resource's custom one, else the factory's default; the factory's transform is set on it
   * (none clears one `newFunc` set, as upstream).
   */
  // Upstream: sharedInformerFactory.InformerFor
  informerFor<T extends KubeObject = KubeObject>(resource: InformerResource, newFunc: NewInformerFunc<T>): SharedIndexInformer<T> {
    const key = resourceKey(resource);
    const existing = this.#informers.get(key);
    if (existing) return existing.informer as unknown as SharedIndexInformer<T>;
    const resyncPeriodMs = this.#customResync.get(key) ?? this.#defaultResyncMs;
    const informer = newFunc(this.#client, resyncPeriodMs, {
      resource,
      key,
      name: typeof resource === 'string' ? resource : `${resource.resource}${resource.group ? `.${resource.group}` : ''}`,
      namespace: this.#namespace,
      tweakListOptions: this.#tweakListOptions,
      env: this.#env,
      features: this.#features,
    });
    try {
      informer.setTransform(this.#transform);
    } catch {
      // Go ignores SetTransform's error (an informer newFunc had already started).
    }
    this.#informers.set(key, { resource, informer: informer as unknown as SharedIndexInformer<KubeObject>, started: false });
    return informer;
  }

  /**
   * An informer and a lister of `resource` (Go: the dynamic factory's `ForResource(gvr)`; the
   * typed factory's only knows its built-in types). Throws `no informer found for <resource>`
   * when the client has no ListerWatcher for it.
   */
  // Upstream: dynamicSharedInformerFactory.ForResource, informers/generic.go (genericInformer)
  forResource<T extends KubeObject = KubeObject>(resource: InformerResource): GenericInformer<T> {
    return new GenericInformerImpl<T>(this.informerFor<T>(resource, newFilteredInformer), qualifiedResource(resource));
  }

  /**
   * Runs every informer requested so far that is not running yet; returns at once (Go's
   * goroutines). Each runs until `stopCh` closes, or, without one, until `shutdown()`. Does
   * nothing once `shutdown()` was called.
   */
  // Upstream: sharedInformerFactory.Start
  start(stopCh?: StopChannel): void {
    if (this.#shuttingDown) return;
    const stop = stopCh ?? this.#ownStop;
    for (const entry of this.#informers.values()) {
      if (entry.started) continue;
      entry.started = true;
      const { informer } = entry;
      const done = informer.run().catch((err: unknown) => {
        // Go: the process dies. The model keeps the first crash for shutdown() to reject with.
        this.#crash ??= { err };
      });
      if (stop.closed) informer.stop();
      else stop.subscribe(() => informer.stop());
      this.#running.push(done);
    }
  }

  /**
   * Waits until every started informer has synced, one after another, checking every 100 ms of
   * virtual time; resolves with each one's answer by resource key: false for one that had not
   * synced when `stopCh` closed (without one: when `shutdown()` was called) or that has stopped.
   */
  // Upstream: sharedInformerFactory.WaitForCacheSync
  async waitForCacheSync(stopCh?: StopChannel): Promise<Record<string, boolean>> {
    const stop = stopCh ?? this.#ownStop;
    const started = [...this.#informers].filter(([, e]) => e.started);
    const res: Record<string, boolean> = {};
    for (const [key, { informer }] of started) {
      res[key] = await waitForCacheSyncUntil(() => stop.closed || informer.isStopped(), this.#env.clock, () => informer.hasSynced());
    }
    return res;
  }

  /**
   * Marks the factory as shutting down (no informer starts any more), stops the informers started
   * without a stop channel, and resolves once every started informer has stopped: those started
   * with a stop channel stop when it closes, before or after this call. Rejects with the error of
   * a handler that crashed an informer, if one did. May be called more than once.
   */
  // Upstream: sharedInformerFactory.Shutdown
  async shutdown(): Promise<void> {
    this.#shuttingDown = true;
    this.#ownStop.close();
    // start() does nothing from now on, so the list of runs is final.
    await Promise.all(this.#running);
    if (this.#crash) throw this.#crash.err;
  }
}

/**
 * A new factory of shared informers (Go: `informers.NewSharedInformerFactoryWithOptions(client,
 * defaultResync, opts...)`; `NewSharedInformerFactory(client, resync)` is this without
 * `namespace`, `tweakListOptions`, `customResync` or `transform`). `client` gives the ListerWatcher
 * of each resource; `defaultResyncMs` is every informer's resync period unless `customResync`
 * names another (0: never resync).
 */
// Upstream: client-go informers/factory.go (NewSharedInformerFactoryWithOptions)
export function newSharedInformerFactory(client: ListerWatcherFor, defaultResyncMs: number, options: SharedInformerFactoryOptions): SharedInformerFactory {
  return new SharedInformerFactory(client, defaultResyncMs, options);
}

/**
 * Go's deprecated `NewFilteredSharedInformerFactory(client, defaultResync, namespace,
 * tweakListOptions)`: `newSharedInformerFactory` with `namespace` and `tweakListOptions`.
 */
// Upstream: client-go informers/factory.go (NewFilteredSharedInformerFactory)
export function newFilteredSharedInformerFactory(
  client: ListerWatcherFor,
  defaultResyncMs: number,
  namespace: string,
  tweakListOptions: TweakListOptionsFunc | undefined,
  options: SharedInformerFactoryOptions,
): SharedInformerFactory {
  return new SharedInformerFactory(client, defaultResyncMs, { ...options, namespace, ...(tweakListOptions ? { tweakListOptions } : {}) });
}
