/**
 * The shared informer: a local cache (an Indexer) kept up to date by a Reflector through a
 * queue (a RealFIFO, or a DeltaFIFO with the `InOrderInformers` gate off), and a sharedProcessor
 * that relays every change to any number of handlers.
 * Upstream: client-go tools/cache/shared_informer.go at v0.34.0 (sharedIndexInformer,
 * WaitForCacheSync) and controller.go (processDeltas, the `controller`'s RunWithContext and
 * processLoop, which the informer runs inside).
 *
 * Data flow, as upstream: the Reflector lists and watches, writing Deltas into the queue (whose
 * known objects are the indexer); `run()` pops each item (a key's Deltas, or one Delta) and hands it to
 * `handleDeltas`, which applies every Delta to the indexer and distributes one notification per
 * Delta to the listeners; each listener delivers to its handler on its own async loop.
 * Applying and distributing happen synchronously inside one pop (Go holds `blockDeltas` and the
 * FIFO's lock), so a handler added meanwhile sees either all of a Deltas or none of it.
 */
import type { FakeClock } from '../core/clock';
import { UsageError } from '../core/errors';
import { metaOf, type KubeObject } from '../core/object';
import type { Rng } from '../core/rng';
import { resolveEnv, type SimEnv } from '../core/env';
import { defaultInstanceName, type TraceRecorder } from '../core/trace';
import { DeltaFIFOQueue } from './delta_fifo';
import { DeltaType, ErrFIFOClosed, type Delta, type DeltaFIFO, type Deltas, type Queue } from './delta_fifo_types';
import { describeHandler, type ResourceEventHandler, type ResourceEventHandlerLike, type ResourceEventHandlerRegistration } from './event_handlers';
import { errorText } from './go_strings';
import type { Indexers } from './index_funcs';
import { checkFeatures, clientGoGatesOf, featureEnabled, type ClientGoFeatures } from './features';
import { DeletedFinalStateUnknown, KeyError, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc } from './keys';
import type { ListerWatcher } from './listwatch';
import { newReflector, type Reflector, type WatchErrorHandler } from './reflector';
import {
  InformerTrace,
  ProcessorListener,
  SharedProcessor,
  determineResyncPeriod,
  initialBufferSize,
  minimumResyncPeriodMs,
  newProcessListener,
  traceKey,
} from './processor_listener';
import { newIndexer } from './store';
import { RealFIFOQueue, type RealFIFO } from './the_real_fifo';
import type { Indexer, Store, TransformFunc } from './types';

/** How often `waitForCacheSync` checks (Go: `syncedPollPeriod = 100 * time.Millisecond`). */
export const syncedPollPeriodMs = 100;

/** Whether an informer (or one handler registration) has synced (Go: `InformerSynced`). */
export type InformerSynced = () => boolean;

/**
 * The part of a Reflector the informer drives (Go: `*Reflector` as `controller` uses it; the
 * model's `Reflector` fits). `run()` lists and watches until `stop()`; before each periodic
 * resync of the store it asks `shouldResync` (Go: the `ShouldResync` field), which the
 * informer sets to its processor's.
 */
export interface ReflectorLike {
  run(): Promise<void>;
  stop(): void;
  lastSyncResourceVersion(): string;
  /** Go: `Reflector.ShouldResync`; absent or returning true means resync. */
  shouldResync?: (() => boolean) | undefined;
}

/** What the informer gives the Reflector it makes (Go: `NewReflectorWithOptions` in controller.go). */
export interface ReflectorFactoryOptions<T extends KubeObject = KubeObject> {
  name: string;
  listerWatcher: ListerWatcher<T>;
  /** The informer's queue, a RealFIFO or a DeltaFIFO (Go: `Config.Queue`). */
  store: Queue<T>;
  /** Go: `FullResyncPeriod` = the informer's resyncCheckPeriod (0: never resync). */
  resyncPeriodMs: number;
  /** Go: `ObjectType` (the informer's example object): watch events of another kind are dropped. */
  expectedType?: { apiVersion?: string; kind?: string };
  /** Go: `ObjectDescription`, the type in the reflector's log lines. */
  expectedTypeName?: string;
  /** The informer's environment (its log verbosity and, without `trace`, its recorder: none). */
  env?: SimEnv;
  clock: FakeClock;
  /** The informer's rng forked for its reflector (`<informer>/reflector`). */
  rng: Rng;
  trace?: TraceRecorder;
  /** Go: `Config.WatchErrorHandler`, when `setWatchErrorHandler` was called. */
  watchErrorHandler?: WatchErrorHandler<T>;
}

/** Makes the informer's Reflector (Go: `NewReflectorWithOptions`). */
export type ReflectorFactory<T extends KubeObject = KubeObject> = (options: ReflectorFactoryOptions<T>) => ReflectorLike;

/** The informer's default: the model's Reflector (reflector.ts), configured as controller.go does. */
// Upstream: client-go tools/cache/controller.go (controller.RunWithContext: NewReflectorWithOptions)
export function defaultReflectorFactory<T extends KubeObject>(o: ReflectorFactoryOptions<T>): Reflector<T> {
  return newReflector<T>({
    name: o.name,
    ...(o.env ? { env: o.env } : {}),
    listerWatcher: o.listerWatcher,
    store: o.store,
    resyncPeriodMs: o.resyncPeriodMs,
    ...(o.expectedType ? { expectedType: o.expectedType } : {}),
    ...(o.expectedTypeName ? { expectedTypeName: o.expectedTypeName } : {}),
    clock: o.clock,
    rng: o.rng,
    ...(o.trace ? { trace: o.trace } : {}),
    ...(o.watchErrorHandler ? { watchErrorHandler: o.watchErrorHandler } : {}),
  });
}

/** Options of `newSharedIndexInformer` (Go: `SharedIndexInformerOptions`, plus the model's own). */
export interface SharedIndexInformerOptions<T extends KubeObject = KubeObject> {
  /** Index functions of the cache (Go: `Indexers`). Default: none. */
  indexers?: Indexers<T>;
  /**
   * An example of the objects (Go: `exampleObject`); only `apiVersion` and `kind` count. The
   * reflector drops watch events of another type. Default: accept any.
   */
  objectType?: { apiVersion?: string; kind?: string };
  /** The type in the reflector's log lines (Go: `ObjectDescription`). Default: from `objectType`. */
  objectDescription?: string;
  /**
   * The resync period of handlers added with `addEventHandler`, and the initial resync check
   * period (Go: `ResyncPeriod`). 0 (the default): the informer never resyncs.
   */
  defaultEventHandlerResyncPeriodMs?: number;
  /**
   * The environment the informer runs in, passed on to its queue, Reflector and listeners:
   * its clock drives resyncs, backoffs and the trace's times, its rng (forked per reflector) the
   * jitter, its trace records every part's events. `clock`, `rng` and `trace` override its parts.
   * Give `env` or `clock`.
   */
  env?: SimEnv;
  /** Virtual time for resync decisions, the reflector, and the trace (overrides `env.clock`). */
  clock?: FakeClock;
  /** Randomness for the reflector (backoff jitter) (overrides `env.rng`). Default: `rngFromSeed(0)`. */
  rng?: Rng;
  /** Trace name (field `informer`). Default: `informer`, then `informer-2`, ... per trace recorder. */
  name?: string;
  /** Where events go (overrides `env.trace`). Without either: the trace the lab runtime installed, if any. */
  trace?: TraceRecorder;
  /**
   * Go's `utilruntime.ReallyCrash` (default true, as upstream): a handler that throws crashes the
   * informer (`run()` rejects with the error). With false the notification is skipped, logged,
   * and the listener pauses 1 s.
   */
  reallyCrash?: boolean;
  /** Makes the Reflector that `run()` starts. Default: `defaultReflectorFactory` (reflector.ts). */
  newReflector?: ReflectorFactory<T>;
  /**
   * client-go feature gates (Go: process-wide, `KUBE_FEATURE_<name>`). `InOrderInformers` (Beta,
   * on by default in v1.34) makes `run()` use a RealFIFO; `{ InOrderInformers: false }` gives the
   * DeltaFIFO of earlier releases. Nothing else changes with it.
   */
  features?: ClientGoFeatures;
}

/** Options of `addEventHandlerWithOptions` (Go: `HandlerOptions`; its `Logger` is not modelled). */
export interface HandlerOptions {
  /** The handler's resync period. Default: the informer's `defaultEventHandlerResyncPeriodMs`. */
  resyncPeriodMs?: number;
}

const NOT_DELTAS = 'object given as Process argument is not Deltas';

/** Set by SharedIndexInformer's static block: reads an informer's processor. */
let processorOfInformer: <T extends KubeObject>(informer: SharedIndexInformer<T>) => SharedProcessor<T>;

/**
 * An informer's sharedProcessor, for tests and the model's views (not part of the `kubelab` API:
 * whoever holds an informer must not be able to distribute notifications to its handlers).
 */
export function processorOf<T extends KubeObject>(informer: SharedIndexInformer<T>): SharedProcessor<T> {
  return processorOfInformer(informer);
}

/**
 * A SharedIndexInformer (Go: `*sharedIndexInformer`): an indexed local cache that is eventually
 * consistent with the API server, and handlers notified of every change to it. For one handler
 * and one object, notifications arrive in order and after the cache (and its indices) changed;
 * there is no order between objects or between handlers. The informer is itself the
 * ResourceEventHandler that `processDeltas` calls.
 */
// Upstream: client-go tools/cache/shared_informer.go (sharedIndexInformer)
export class SharedIndexInformer<T extends KubeObject = KubeObject> implements ResourceEventHandler<T> {
  static {
    processorOfInformer = (informer) => informer.#processor;
  }

  readonly #name: string;
  /** The environment the informer and its parts (queue, Reflector, listeners) run in. */
  readonly #env: SimEnv;
  /** The local cache: keyed by `deletionHandlingMetaNamespaceKeyFunc`. */
  readonly #indexer: Indexer<T>;
  readonly #processor: SharedProcessor<T>;
  readonly #listerWatcher: ListerWatcher<T>;

  /**
   * How often the reflector's resync timer fires to ask `shouldResync` whether a listener needs
   * a resync. Starts at the default handler resync period; a handler added before `run` with a
   * shorter period lowers it.
   */
  #resyncCheckPeriodMs: number;
  /** The resync period of handlers added with `addEventHandler`. */
  readonly #defaultEventHandlerResyncPeriodMs: number;

  #started = false;
  #stopped = false;
  /** `stop()` was called (Go: the context is done). */
  #stopRequested = false;
  #watchErrorHandler: WatchErrorHandler<T> | undefined;
  #transform: TransformFunc | undefined;

  readonly #out: InformerTrace;
  readonly #rng: Rng;
  readonly #reallyCrash: boolean;
  readonly #newReflector: ReflectorFactory<T>;
  readonly #objectType: { apiVersion?: string; kind?: string } | undefined;
  readonly #objectDescription: string | undefined;
  /** Whether the `InOrderInformers` gate is on: `run` makes a RealFIFO (else a DeltaFIFO). */
  readonly #inOrderInformers: boolean;
  /** The controller's parts, once `run` has started (Go: `s.controller != nil`). */
  #fifo: DeltaFIFO<T> | RealFIFO<T> | undefined;
  #reflector: ReflectorLike | undefined;
  #nextListenerId = 1;
  #crashError: { err: unknown } | undefined;
  #syncedReported = false;
  readonly #syncedListeners = new WeakSet<ProcessorListener<T>>();

  constructor(listerWatcher: ListerWatcher<T>, options: SharedIndexInformerOptions<T>) {
    if (!options || (!options.clock && !options.env)) {
      throw new UsageError('newSharedIndexInformer: options.clock (a FakeClock) or options.env is required');
    }
    checkFeatures(options.features);
    this.#env = resolveEnv(options);
    // The informer's own gates, else the environment's (a process's gates), else the defaults.
    this.#inOrderInformers = featureEnabled(options.features ?? clientGoGatesOf(this.#env.features), 'InOrderInformers');
    this.#listerWatcher = listerWatcher;
    this.#name = options.name ?? defaultInstanceName(this.#env.trace, 'informer');
    this.#out = new InformerTrace(this.#name, this.#env.clock, this.#env.trace);
    this.#indexer = newIndexer<T>(deletionHandlingMetaNamespaceKeyFunc, options.indexers ?? {});
    this.#processor = new SharedProcessor<T>(this.#out);
    this.#defaultEventHandlerResyncPeriodMs = options.defaultEventHandlerResyncPeriodMs ?? 0;
    this.#resyncCheckPeriodMs = this.#defaultEventHandlerResyncPeriodMs;
    // As before environments: without one, the reflector's randomness is rngFromSeed(0)'s.
    this.#rng = this.#env.rng;
    this.#reallyCrash = options.reallyCrash ?? true;
    this.#newReflector = options.newReflector ?? defaultReflectorFactory;
    this.#objectType = options.objectType;
    this.#objectDescription = options.objectDescription;
    this.#out.emit('informer.new', {
      defaultEventHandlerResyncPeriodMs: this.#defaultEventHandlerResyncPeriodMs,
      indexers: Object.keys(options.indexers ?? {}),
    });
  }

  /** The informer's name in trace events (field `informer`). */
  get name(): string {
    return this.#name;
  }

  /**
   * How often the reflector's resync timer fires to ask `shouldResync` whether a listener needs
   * a resync (Go: `resyncCheckPeriod`).
   */
  get resyncCheckPeriodMs(): number {
    return this.#resyncCheckPeriodMs;
  }

  /** The resync period of handlers added with `addEventHandler` (Go: `defaultEventHandlerResyncPeriod`). */
  get defaultEventHandlerResyncPeriodMs(): number {
    return this.#defaultEventHandlerResyncPeriodMs;
  }

  /**
   * Starts the informer and resolves once it has stopped: makes the queue and the Reflector,
   * starts the listeners, pops and handles Deltas until `stop()`, then stops the listeners and
   * waits for their handlers. A second call logs upstream's warning and returns. Rejects with
   * the handler's error if a handler crashed the informer (Go: the process panics).
   */
  // Upstream: sharedIndexInformer.RunWithContext, controller.RunWithContext
  async run(): Promise<void> {
    if (this.#started) {
      this.#out.logStructured('info', 'shared_informer.go', 'Warning: the sharedIndexInformer has started, run more than once is not allowed');
      return;
    }
    // The informer checks whether it has synced after every replace (an empty first list syncs
    // the queue without any pop) and after every pop (the queue syncs once the pop of the last
    // initial item has returned).
    const observer = { afterReplace: () => this.#checkSynced(), afterPop: () => this.#checkSynced() };
    const fifo: DeltaFIFO<T> | RealFIFO<T> = this.#inOrderInformers
      ? new RealFIFOQueue<T>(metaNamespaceKeyFunc, this.#indexer, this.#transform, { env: this.#env, name: `${this.name}-fifo` }, observer)
      : new DeltaFIFOQueue<T>(
          {
            knownObjects: this.#indexer,
            emitDeltaTypeReplaced: true,
            transformer: this.#transform,
            env: this.#env,
            name: `${this.name}-fifo`,
          },
          observer,
        );
    const reflector = this.#newReflector({
      name: this.name,
      listerWatcher: this.#listerWatcher,
      store: fifo,
      resyncPeriodMs: this.resyncCheckPeriodMs,
      ...(this.#objectType ? { expectedType: this.#objectType } : {}),
      ...(this.#objectDescription ? { expectedTypeName: this.#objectDescription } : {}),
      env: this.#env,
      clock: this.#env.clock,
      rng: this.#rng.fork(`${this.name}/reflector`),
      ...(this.#env.trace ? { trace: this.#env.trace } : {}),
      ...(this.#watchErrorHandler ? { watchErrorHandler: this.#watchErrorHandler } : {}),
    });
    reflector.shouldResync = () => this.#processor.shouldResync();
    this.#fifo = fifo;
    this.#reflector = reflector;
    this.#started = true;
    this.#out.emit('informer.run', { resyncCheckPeriodMs: this.resyncCheckPeriodMs, queue: this.#inOrderInformers ? 'RealFIFO' : 'DeltaFIFO' });

    // The processor starts first and stops strictly after the controller.
    this.#processor.run();
    try {
      // controller.RunWithContext: the reflector fills the queue while processLoop drains it.
      let reflectorDone: Promise<void> = Promise.resolve();
      if (this.#stopRequested) fifo.close();
      else reflectorDone = reflector.run();
      await this.#processLoop(fifo);
      try {
        await reflectorDone;
      } catch (err) {
        this.#crash(err);
      }
    } finally {
      this.#stopped = true; // Don't want any new listeners.
      await this.#processor.stop();
      this.#out.emit('informer.stopped', { crashed: this.#crashError !== undefined });
    }
    if (this.#crashError) throw this.#crashError.err;
  }

  /**
   * Stops the informer (Go: cancelling the context given to Run): closes the queue, stops the
   * reflector; `run()` then stops the listeners and resolves.
   */
  stop(): void {
    if (this.#stopRequested) return;
    this.#stopRequested = true;
    this.#out.emit('informer.stop', {});
    this.#fifo?.close();
    this.#reflector?.stop();
  }

  /** Whether `run` has been called. */
  // Upstream: sharedIndexInformer.HasStarted
  hasStarted(): boolean {
    return this.#started;
  }

  /**
   * True once the cache has been filled by one full list and every object of it has been
   * handled (the queue's HasSynced). Unrelated to resync. This says nothing of a handler: ask
   * its registration's `hasSynced()` for that.
   */
  // Upstream: sharedIndexInformer.HasSynced
  hasSynced(): boolean {
    if (!this.#fifo) return false;
    return this.#fifo.hasSynced();
  }

  /** The resource version of the last list or watch event the reflector saw ('' before `run`). */
  // Upstream: sharedIndexInformer.LastSyncResourceVersion
  lastSyncResourceVersion(): string {
    if (!this.#reflector) return '';
    return this.#reflector.lastSyncResourceVersion();
  }

  /** The local cache as a Store. Never modify what it returns. */
  // Upstream: sharedIndexInformer.GetStore
  getStore(): Store<T> {
    return this.#indexer;
  }

  /** The local cache with its indices. Never modify what it returns. */
  // Upstream: sharedIndexInformer.GetIndexer
  getIndexer(): Indexer<T> {
    return this.#indexer;
  }

  /**
   * Adds index functions, before or after `run` (objects already cached are indexed at once);
   * throws once the informer has stopped, or on a name conflict.
   */
  // Upstream: sharedIndexInformer.AddIndexers
  addIndexers(indexers: Indexers<T>): void {
    if (this.#stopped) throw new Error('indexer was not added because it has stopped already');
    this.#indexer.addIndexers(indexers);
  }

  /** Sets the handler of list/watch errors; only before `run` (last call wins). */
  // Upstream: sharedIndexInformer.SetWatchErrorHandler
  setWatchErrorHandler(handler: WatchErrorHandler<T>): void {
    if (this.#started) throw new Error('informer has already started');
    this.#watchErrorHandler = handler;
  }

  /**
   * Sets a function every object goes through before it is stored (e.g. to drop unused fields),
   * or none (Go: nil); only before `run`. It may be given an object it already transformed.
   */
  // Upstream: sharedIndexInformer.SetTransform
  setTransform(handler: TransformFunc | undefined): void {
    if (this.#started) throw new Error('informer has already started');
    this.#transform = handler;
  }

  /** True once `run` has returned (or is returning); a stopped informer never starts again. */
  // Upstream: sharedIndexInformer.IsStopped
  isStopped(): boolean {
    return this.#stopped;
  }

  /** Adds a handler with the informer's default resync period. */
  // Upstream: sharedIndexInformer.AddEventHandler
  addEventHandler(handler: ResourceEventHandlerLike<T>): ResourceEventHandlerRegistration {
    return this.addEventHandlerWithOptions(handler, {});
  }

  /**
   * Adds a handler that wants a resync every `resyncPeriodMs` (0: no resyncs). The period is
   * raised to `minimumResyncPeriodMs`; before `run` a shorter period than the check period
   * lowers the check period; after `run` it is raised to the check period; an informer that
   * does not resync (check period 0) gives it none.
   */
  // Upstream: sharedIndexInformer.AddEventHandlerWithResyncPeriod
  addEventHandlerWithResyncPeriod(handler: ResourceEventHandlerLike<T>, resyncPeriodMs: number): ResourceEventHandlerRegistration {
    return this.addEventHandlerWithOptions(handler, { resyncPeriodMs });
  }

  /**
   * Adds a handler. Added to a running informer, the handler first receives an add (with
   * `isInInitialList` true) for every object in the cache, queued before this returns, so its
   * registration's `hasSynced()` cannot be true before they are delivered. Throws once the
   * informer has stopped.
   */
  // Upstream: sharedIndexInformer.AddEventHandlerWithOptions
  addEventHandlerWithOptions(handler: ResourceEventHandlerLike<T>, options: HandlerOptions = {}): ResourceEventHandlerRegistration {
    if (this.#stopped) {
      throw new Error(`handler ${describeHandler(handler)} was not added to shared informer because it has stopped already`);
    }
    let resyncPeriod = options.resyncPeriodMs ?? this.defaultEventHandlerResyncPeriodMs;
    if (resyncPeriod > 0) {
      if (resyncPeriod < minimumResyncPeriodMs) {
        this.#out.logStructured('info', 'shared_informer.go', 'Warning: resync period is too small. Changing it to the minimum allowed value', {
          resyncPeriod: { duration: resyncPeriod },
          minimumResyncPeriod: { duration: minimumResyncPeriodMs },
        });
        resyncPeriod = minimumResyncPeriodMs;
      }
      if (resyncPeriod < this.resyncCheckPeriodMs) {
        if (this.#started) {
          this.#out.logStructured(
            'info',
            'shared_informer.go',
            'Warning: resync period is smaller than resync check period and the informer has already started. Changing it to the resync check period',
            { resyncPeriod: { duration: resyncPeriod }, resyncCheckPeriod: { duration: this.resyncCheckPeriodMs } },
          );
          resyncPeriod = this.resyncCheckPeriodMs;
        } else {
          // The handler's period is smaller than the check period: lower the check period to it
          // and adjust the resync periods of the listeners already added.
          this.#resyncCheckPeriodMs = resyncPeriod;
          this.#processor.resyncCheckPeriodChanged(resyncPeriod);
        }
      }
    }
    const listener = newProcessListener<T>(
      handler,
      resyncPeriod,
      determineResyncPeriod(this.#out, resyncPeriod, this.resyncCheckPeriodMs),
      this.#env.clock.now(),
      initialBufferSize,
      () => this.hasSynced(),
      {
        id: this.#nextListenerId++,
        out: this.#out,
        reallyCrash: this.#reallyCrash,
        onCrash: (err) => this.#crash(err),
        onInitialListItemDone: () => this.#checkSynced(),
      },
    );
    const handle = this.#processor.addListener(listener);
    const items = this.#started ? this.#indexer.list() : [];
    this.#out.emit('informer.addHandler', {
      listener: listener.id,
      requestedResyncPeriodMs: listener.requestedResyncPeriodMs,
      resyncPeriodMs: listener.resyncPeriodMs,
      resyncCheckPeriodMs: this.resyncCheckPeriodMs,
      started: this.#started,
      initialList: items.length,
    });
    if (this.#started) {
      // To join safely: no add/update/delete is distributed meanwhile (Go holds blockDeltas; here
      // this runs synchronously), the cache is listed, and a synthetic add for each object is
      // queued for the new handler before the handle is returned.
      for (const item of items) listener.add({ kind: 'add', newObj: item, isInInitialList: true });
    }
    this.#checkSynced();
    return handle;
  }

  /**
   * Removes a handler: it gets nothing more after the notification in progress. Removing one
   * that is not (or no longer) registered here does nothing; a handle that is not a registration
   * throws.
   */
  // Upstream: sharedIndexInformer.RemoveEventHandler
  removeEventHandler(handle: ResourceEventHandlerRegistration): void {
    const listener = this.#processor.getListener(handle);
    this.#processor.removeListener(handle);
    this.#out.emit('informer.removeHandler', {
      listener: handle instanceof ProcessorListener ? handle.id : null,
      removed: listener !== undefined,
    });
  }

  /**
   * Applies one popped Deltas to the cache and notifies the listeners (the FIFO's process
   * function). Throws (Go: returns an error) when given something other than Deltas.
   */
  // Upstream: sharedIndexInformer.HandleDeltas
  handleDeltas(obj: unknown, isInInitialList: boolean): void {
    if (!Array.isArray(obj)) throw new Error(NOT_DELTAS);
    void processDeltasWith(this, this.#indexer, obj as Deltas<T>, isInInitialList, (d) =>
      this.#out.emit('informer.handle', { deltaType: d.type, key: traceKey(d.object), isInInitialList }),
    );
    this.#checkSynced();
  }

  /** An object was added to the cache: notify every listener. */
  // Upstream: sharedIndexInformer.OnAdd
  onAdd(obj: T, isInInitialList: boolean): void {
    this.#processor.distribute({ kind: 'add', newObj: obj, isInInitialList }, false);
  }

  /**
   * An object in the cache was replaced. If its resourceVersion did not change (a resync, or a
   * relist that found it unchanged), it is a sync notification, only for listeners due a resync.
   */
  // Upstream: sharedIndexInformer.OnUpdate
  onUpdate(oldObj: T, newObj: T): void {
    let isSync = false;
    const accessor = metaOf(newObj);
    const oldAccessor = metaOf(oldObj);
    // Events that didn't change resourceVersion are treated as resync events and only propagated
    // to listeners that requested resync.
    if (accessor && oldAccessor) isSync = (accessor.resourceVersion ?? '') === (oldAccessor.resourceVersion ?? '');
    this.#processor.distribute({ kind: 'update', oldObj, newObj }, isSync);
  }

  /** An object was removed from the cache: notify every listener. */
  // Upstream: sharedIndexInformer.OnDelete
  onDelete(obj: T | DeletedFinalStateUnknown<T>): void {
    this.#processor.distribute({ kind: 'delete', oldObj: obj }, false);
  }

  /** The listener behind a registration, if it is registered here (upstream tests' `getListener`). */
  getListener(registration: ResourceEventHandlerRegistration): ProcessorListener<T> | undefined {
    return this.#processor.getListener(registration);
  }

  /** Registered handlers (upstream tests' `eventHandlerCount`). */
  eventHandlerCount(): number {
    return this.#processor.listenerList().length;
  }

  /**
   * The queue `run` made (undefined before): a RealFIFO (it has `getItems`), or a DeltaFIFO (it
   * has `listKeys`) with the `InOrderInformers` gate off. For visualizations and tests.
   */
  getQueue(): DeltaFIFO<T> | RealFIFO<T> | undefined {
    return this.#fifo;
  }

  /**
   * Pops and handles Deltas until stopped or the queue is closed and empty. An error the Go
   * code returns (a key error, not-Deltas) is dropped, as upstream's processLoop drops it;
   * anything else was a panic in Go and crashes the informer.
   */
  // Upstream: controller.processLoop
  async #processLoop(fifo: Queue<T>): Promise<void> {
    while (!this.#stopRequested) {
      try {
        await fifo.pop((deltas, isInInitialList) => this.handleDeltas(deltas, isInInitialList));
      } catch (err) {
        if (err === ErrFIFOClosed) return;
        if (err instanceof KeyError || (err instanceof Error && err.message === NOT_DELTAS)) {
          this.#out.emit('informer.processError', { error: errorText(err) });
          continue;
        }
        this.#crash(err);
        return;
      }
    }
  }

  /** A panic that upstream does not recover: everything stops and `run()` rejects with it. */
  #crash(err: unknown): void {
    if (this.#crashError) return;
    this.#crashError = { err };
    // Go's process dies: no listener delivers anything more.
    for (const listener of this.#processor.listenerList()) listener.close();
    this.stop();
  }

  /** Records `informer.synced` the first time the informer, and each registration, has synced. */
  #checkSynced(): void {
    if (!this.#syncedReported && this.hasSynced()) {
      this.#syncedReported = true;
      this.#out.emit('informer.synced', { listener: null });
    }
    if (!this.#syncedReported) return;
    for (const listener of this.#processor.listenerList()) {
      if (this.#syncedListeners.has(listener) || !listener.hasSynced()) continue;
      this.#syncedListeners.add(listener);
      this.#out.emit('informer.synced', { listener: listener.id });
    }
  }

}

/**
 * A new shared index informer for `listerWatcher` (Go: `NewSharedIndexInformerWithOptions`;
 * `NewSharedIndexInformer(lw, obj, resync, indexers)` is
 * `newSharedIndexInformer(lw, { defaultEventHandlerResyncPeriodMs, indexers, clock })`).
 */
// Upstream: client-go tools/cache/shared_informer.go (NewSharedIndexInformerWithOptions)
export function newSharedIndexInformer<T extends KubeObject = KubeObject>(
  listerWatcher: ListerWatcher<T>,
  options: SharedIndexInformerOptions<T>,
): SharedIndexInformer<T> {
  return new SharedIndexInformer<T>(listerWatcher, options);
}

/**
 * Applies Deltas, oldest first, to `clientState` and tells `handler`: an object the store
 * already has is updated (`onUpdate(old, new)`), any other is added (`onAdd(obj,
 * isInInitialList)`) — whatever the delta type (Sync, Replaced, Added, Updated); a Deleted delta
 * deletes and calls `onDelete`. Throws what the store throws (Go: returns its error), stopping at
 * that delta. If a handler returns a promise, the next delta waits for it and the result is a
 * promise.
 */
// Upstream: client-go tools/cache/controller.go (processDeltas)
export function processDeltas<T>(handler: ResourceEventHandler<T>, clientState: Store<T>, deltas: Deltas<T>, isInInitialList: boolean): void | Promise<void> {
  return processDeltasWith(handler, clientState, deltas, isInInitialList, undefined);
}

function processDeltasWith<T>(
  handler: ResourceEventHandler<T>,
  clientState: Store<T>,
  deltas: Deltas<T>,
  isInInitialList: boolean,
  onDelta: ((d: Delta<T>) => void) | undefined,
  from = 0,
): void | Promise<void> {
  // From oldest to newest.
  for (let i = from; i < deltas.length; i++) {
    const d = deltas[i];
    const obj = d.object;
    onDelta?.(d);
    let result: unknown;
    switch (d.type) {
      case DeltaType.Sync:
      case DeltaType.Replaced:
      case DeltaType.Added:
      case DeltaType.Updated: {
        const old = getOrUndefined(clientState, obj);
        if (old !== undefined) {
          clientState.update(obj);
          result = handler.onUpdate(old, obj);
        } else {
          clientState.add(obj);
          result = handler.onAdd(obj, isInInitialList);
        }
        break;
      }
      case DeltaType.Deleted:
        clientState.delete(obj);
        result = handler.onDelete(obj);
        break;
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(() => processDeltasWith(handler, clientState, deltas, isInInitialList, onDelta, i + 1));
    }
  }
}

/** Go's `old, exists, err := clientState.Get(obj); err == nil && exists`. */
function getOrUndefined<T>(store: Store<T>, obj: unknown): T | undefined {
  try {
    return store.get(obj);
  } catch {
    return undefined;
  }
}

/**
 * Waits until every `cacheSyncs` function returns true, checking at once and then every
 * `syncedPollPeriodMs` of virtual time; resolves true (Go: `WaitForCacheSync` without a stop).
 */
// Upstream: client-go tools/cache/shared_informer.go (WaitForCacheSync)
export function waitForCacheSync(clock: FakeClock, ...cacheSyncs: InformerSynced[]): Promise<boolean> {
  return waitForCacheSyncUntil(() => false, clock, ...cacheSyncs);
}

/**
 * `waitForCacheSync` with a stop condition (Go's `stopCh`): resolves false once `stopped()` is
 * true at a check before the caches have synced.
 */
// Upstream: client-go tools/cache/shared_informer.go (WaitForCacheSync, PollUntilContextCancel)
export async function waitForCacheSyncUntil(stopped: () => boolean, clock: FakeClock, ...cacheSyncs: InformerSynced[]): Promise<boolean> {
  for (;;) {
    if (cacheSyncs.every((synced) => synced())) return true;
    if (stopped()) return false;
    await clock.sleep(syncedPollPeriodMs);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
