/**
 * Reflector: lists and watches one resource and reflects every change into a store (usually the
 * queue an informer pops from: a RealFIFO, or a DeltaFIFO with the InOrderInformers gate off). Upstream: client-go tools/cache/reflector.go at v0.34.0, the
 * classic LIST + WATCH path that v1.34 runs by default (the WatchListClient gate that switches to
 * streaming lists is off by default until v1.35, and is not modelled).
 *
 *   run()          loops listAndWatch(), waiting an exponential backoff between attempts
 *   listAndWatch() list (paged as upstream's pager does) -> store.replace(items, rv)
 *                  then watch from that rv, applying ADDED/MODIFIED/DELETED to the store,
 *                  restarting the watch when it closes normally, and returning (for a relist)
 *                  when it ends with an error such as 410 Gone; a resync timer meanwhile calls
 *                  store.resync() every resyncPeriodMs while shouldResync() allows
 *
 * Go's goroutines become promise continuations: every wait (list, watch event, backoff, stop)
 * resolves in a microtask after the FakeClock or a producer makes it ready, so drivers call
 * `settle()` / `runUntilIdle()` (src/sim/core). Time comes only from the injected clock and
 * randomness (watch timeouts, backoff jitter) only from the injected rng.
 */
import type { FakeClock } from '../core/clock';
import { UsageError } from '../core/errors';
import type { LogLevel } from '../core/log';
import { NOT_AN_OBJECT, metaOf, type KubeObject } from '../core/object';
import type { Rng } from '../core/rng';
import { resolveEnv, type SimEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import { defaultInstanceName, describe, type TraceRecorder } from '../core/trace';
import {
  CauseTypeResourceVersionTooLarge,
  asStatusError,
  fromObject,
  hasStatusCause,
  isGone,
  isInternalError,
  isResourceExpired,
  isTimeout,
  isTooManyRequests,
  type APIStatusError,
} from './api_errors';
import { newExponentialBackoffManager, type BackoffManager } from './backoff';
import { reflectorEvents, type ReflectorEventMap, type RelistReason, type WatchEndReason } from './events';
import { errorText, formatGoDuration, goQuote } from './go_strings';
import { metaNamespaceKeyFunc } from './keys';
import type { ListOptions, ListerWatcher, ObjectList, WatchEvent, WatchInterface } from './listwatch';
import { newRetryWithDeadline } from './retry_with_deadline';
import { StopChannel } from './stop_channel';

export { StopChannel, newStopChannel } from './stop_channel';

/** The type description of a reflector made without an expected type (Go: `defaultExpectedTypeName`). */
export const defaultExpectedTypeName = '<unspecified>';

/**
 * Watch requests time out after a random duration in [minWatchTimeout, 2 × minWatchTimeout] to
 * spread the load on the API server (Go: `defaultMinWatchTimeout`, 5 minutes).
 */
export const defaultMinWatchTimeoutMs = 5 * 60_000;

/**
 * The Reflector's backoff (Go: `NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, 1.0, clock)`):
 * "We used to make the call every 1sec (1 QPS), the goal here is to achieve ~98% traffic
 * reduction when API server is not healthy. With these parameters, backoff will stop at [30,60)
 * sec interval which is 0.22 QPS. If we don't backoff for 2min, assume API server is healthy and
 * we reset the backoff."
 */
export const reflectorBackoff = { initMs: 800, maxMs: 30_000, resetMs: 2 * 60_000, factor: 2.0, jitter: 1.0 } as const;

/** The pager's page size when the list is paginated (Go: `pager.defaultPageSize`). */
export const defaultPageSize = 500;

/** A watch that closes sooner than this without any event is an error (`VeryShortWatchError`). */
export const veryShortWatchMs = 1000;

/** How long without internal errors resets the internal-error retry budget (Go: `time.Minute`). */
const internalErrorRetryResetMs = 60_000;

/**
 * The subset of a Store the reflector writes to (Go: `ReflectorStore`); a Store, an Indexer, a
 * DeltaFIFO and a RealFIFO all fit. Each method throws on failure, as a Go `error` return.
 */
export interface ReflectorStore<T = unknown> {
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
  /** Replaces the contents with `list` (the store takes ownership), at `resourceVersion`. */
  replace(list: T[], resourceVersion: string): void;
  resync(): void;
  /**
   * Optional (Go: the `ResourceVersionUpdater` interface): called with the resourceVersion of
   * every watch event the store was given, bookmarks included.
   */
  updateResourceVersion?(resourceVersion: string): void;
}

/**
 * Called whenever ListAndWatch drops the connection with an error; the reflector then backs off
 * and retries (Go: `WatchErrorHandler`). Should return quickly.
 */
export type WatchErrorHandler<T extends KubeObject = KubeObject> = (r: Reflector<T>, err: unknown) => void;

/** Options of `newReflector` (Go: `NewReflectorWithOptions(lw, expectedType, store, ReflectorOptions)`). */
export interface ReflectorConfig<T extends KubeObject = KubeObject> {
  /**
   * The reflector's name in logs and trace events (Go: `Name`, which defaults to the caller's
   * file:line). Omitted: `reflector`, then `reflector-2`, ... per trace recorder.
   */
  name?: string;
  /** What to list and watch. */
  listerWatcher: ListerWatcher<T>;
  /** Where the objects go. */
  store: ReflectorStore<T>;
  /**
   * An example of the objects expected (Go: `expectedType`). Only `apiVersion` and `kind` count:
   * a watch event whose object has a different kind or apiVersion is dropped with an error log.
   */
  expectedType?: { apiVersion?: string; kind?: string };
  /**
   * The type description in logs (Go: `ReflectorOptions.TypeDescription`, called
   * `expectedTypeName` in handleWatch). Omitted: derived from `expectedType`, e.g. `*v1.Pod`.
   */
  expectedTypeName?: string;
  /** How often to call `store.resync()` (Go: `ResyncPeriod`); 0 or omitted: never. */
  resyncPeriodMs?: number;
  /** The minimum watch timeout (Go: `MinWatchTimeout`); values under 5 minutes are not honoured. */
  minWatchTimeoutMs?: number;
  /**
   * The environment the reflector runs in: its clock times watches, backoffs and resyncs, its
   * trace records events, and a fork of its rng (`reflector/<name>`) draws watch timeouts and
   * backoff jitter. `clock`, `rng` and `trace` override its parts. Give `env`, or `clock` and `rng`.
   */
  env?: SimEnv;
  /** Virtual time (overrides `env.clock`; required without `env`). */
  clock?: FakeClock;
  /**
   * Watch timeouts and backoff jitter draw from forks of this (`watchTimeout`, `backoff`)
   * (overrides `env.rng`; required without `env`).
   */
  rng?: Rng;
  /** Where events go (overrides `env.trace`). Without either: the trace the lab runtime installed, if any. */
  trace?: TraceRecorder;
  /** Go's exported field `ShouldResync` (also settable on the reflector). */
  shouldResync?: () => boolean;
  /** Go's exported field `WatchListPageSize` (also settable on the reflector). */
  watchListPageSize?: number;
  /** Go's exported field `MaxInternalErrorRetryDuration` (also settable on the reflector). */
  maxInternalErrorRetryDurationMs?: number;
  /** Go: the `watchErrorHandler` an informer sets. Omitted: `defaultWatchErrorHandler`. */
  watchErrorHandler?: WatchErrorHandler<T>;
  /** Replaces the backoff manager, as upstream's tests build a Reflector with their own (tests only). */
  backoffManager?: BackoffManager;
}

/** A Reflector (Go: `*cache.Reflector`). */
export interface Reflector<T extends KubeObject = KubeObject> {
  /** Go: `Name()`. */
  readonly name: string;
  /** Go: `TypeDescription()`, e.g. `*v1.Pod`. */
  readonly typeDescription: string;
  /** Invoked every resync period; `store.resync()` runs only when it returns true (undefined: always). */
  shouldResync: (() => boolean) | undefined;
  /**
   * The page size of lists (Go: `WatchListPageSize`). 0: the pager's 500 for lists at `''` or
   * `'0'` (or after a paginated first list), and no paging for lists at a specific resourceVersion,
   * so that the watch cache can serve them.
   */
  watchListPageSize: number;
  /** How long to retry watches that end with an internal error (0: never). */
  maxInternalErrorRetryDurationMs: number;
  /** Called when ListAndWatch fails; see `defaultWatchErrorHandler`. */
  watchErrorHandler: WatchErrorHandler<T>;
  /**
   * Calls listAndWatch until stopped, backing off between calls (Go: `Run(stopCh)`). Resolves once
   * `stop()` was called (or `stopCh` closed) and the current attempt has wound down.
   */
  run(stopCh?: StopChannel): Promise<void>;
  /** Closes the reflector's own stop channel (Go: `close(stopCh)`): `run` and `listAndWatch` end. */
  stop(): void;
  /**
   * Lists, then watches from the list's resourceVersion until the watch fails or the stop
   * channel closes (Go: `ListAndWatch`). Rejects only if it could not even start watching (a
   * failed list, a watch request refused for another reason than 429 or connection refused).
   */
  listAndWatch(stopCh?: StopChannel): Promise<void>;
  /** The resourceVersion last observed from a list or a watch event (Go: `LastSyncResourceVersion()`). */
  lastSyncResourceVersion(): string;
}

/** Returned when the watch's result channel closes within a second without any event. */
// Upstream: reflector.go (VeryShortWatchError)
export class VeryShortWatchError extends Error {
  constructor(readonly reflectorName: string) {
    super(`very short watch: ${reflectorName}: Unexpected watch close - watch lasted less than a second and no items received`);
    this.name = 'VeryShortWatchError';
  }
}

/** What `syscall.ECONNREFUSED` is to Go: a watch request the server refused to connect. */
export class ConnectionRefusedError extends Error {
  readonly code = 'ECONNREFUSED';
  constructor(message = 'connection refused') {
    super(message);
    this.name = 'ConnectionRefusedError';
  }
}

/** Watching stopped because the stop channel closed (Go: `errorStopRequested`). */
export const errorStopRequested = new Error('stop requested');

/**
 * The type description of an expected type (Go: `getTypeDescriptionFromObject`): `<unspecified>`
 * without one; `*<version>.<Kind>` for an object with apiVersion and kind (Go prints the Go type,
 * `*v1.Pod`, `*v1.Deployment`); `*unstructured.Unstructured` for one without.
 */
// Upstream: reflector.go (getTypeDescriptionFromObject)
export function getTypeDescriptionFromObject(expectedType: unknown): string {
  if (expectedType === undefined || expectedType === null) return defaultExpectedTypeName;
  const t = expectedType as { apiVersion?: unknown; kind?: unknown };
  if (typeof t.kind === 'string' && t.kind !== '' && typeof t.apiVersion === 'string' && t.apiVersion !== '') {
    const version = t.apiVersion.slice(t.apiVersion.lastIndexOf('/') + 1);
    return `*${version}.${t.kind}`;
  }
  return '*unstructured.Unstructured';
}

/**
 * A 410: the resourceVersion is too old (Go: `isExpiredError`). Servers since 1.18 say `Expired`;
 * older ones said `Gone`, which is still accepted.
 */
// Upstream: reflector.go (isExpiredError)
export function isExpiredError(err: unknown): boolean {
  return isResourceExpired(err) || isGone(err);
}

/** The server has not caught up with the requested resourceVersion yet (Go: `isTooLargeResourceVersionError`). */
// Upstream: reflector.go (isTooLargeResourceVersionError)
export function isTooLargeResourceVersionError(err: unknown): boolean {
  if (hasStatusCause(err, CauseTypeResourceVersionTooLarge)) return true;
  // Kubernetes 1.17.0-1.18.5 did not set the cause; detect the error by its message.
  if (!isTimeout(err)) return false;
  if (!(err instanceof Error) || !('details' in err)) return false;
  const apierr = err as APIStatusError;
  if (!apierr.details) return false;
  // The message returned by api server 1.17.0-1.18.5 for this error condition.
  if ((apierr.details.causes ?? []).some((c) => c.message === 'Too large resource version')) return true;
  // The message returned by api server before 1.17.0.
  return apierr.message.includes('Too large resource version');
}

/**
 * Safe to retry the watch without a relist (Go: `isWatchErrorRetriable`): "connection refused"
 * (the API server is most likely not responsive) and 429s.
 */
// Upstream: reflector.go (isWatchErrorRetriable)
export function isWatchErrorRetriable(err: unknown): boolean {
  return isConnectionRefused(err) || isTooManyRequests(err);
}

function isConnectionRefused(err: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 32; depth++) {
    if ((e as { code?: unknown }).code === 'ECONNREFUSED') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The default WatchErrorHandler: a 410 is logged at V(4) ("Watch closed"), anything else is
 * reported through `utilruntime.HandleError` ("Failed to watch").
 */
// Upstream: reflector.go (DefaultWatchErrorHandler)
export function defaultWatchErrorHandler<T extends KubeObject>(r: Reflector<T>, err: unknown): void {
  const log = r instanceof ReflectorImpl ? r : undefined;
  if (isExpiredError(err)) {
    // Don't set LastSyncResourceVersionUnavailable - LIST call with ResourceVersion=RV already
    // has a semantic that it returns data at least as fresh as provided RV.
    log?.klog(4, 'info', 'Watch closed', [['reflector', r.name], ['type', r.typeDescription], ['err', err]]);
  } else {
    log?.handleError(err, 'Failed to watch', [['reflector', r.name], ['type', r.typeDescription]]);
  }
}

/** Key-value pairs of a structured klog line, in order. */
type KV = Array<[string, unknown]>;

/** Why the previous listAndWatch ended: the `reason` of `reflector.relist`. */
type EndReason = RelistReason;

/** What a wait inside the watch loop ended with (Go's `select` cases). */
type Selected<T extends KubeObject> = { kind: 'stop' } | { kind: 'err'; err: unknown } | { kind: 'event'; event: WatchEvent<T> | undefined };

/**
 * A one-slot error channel: the resync loop's `resyncerrc := make(chan error, 1)`. The watch
 * loop receives from it while it waits for events.
 */
export class ErrChannel {
  #buffered: { err: unknown } | undefined;
  #receiver: ((err: unknown) => void) | undefined;
  #sent: Array<unknown> = [];

  /** Go: `resyncerrc <- err` (a second error while one is buffered is dropped; upstream's sender returns after one). */
  send(err: unknown): void {
    this.#sent.push(err);
    if (this.#receiver) {
      const receive = this.#receiver;
      this.#receiver = undefined;
      receive(err);
    } else if (!this.#buffered) this.#buffered = { err };
  }

  /** Takes the buffered error, if any. */
  take(): { err: unknown } | undefined {
    const b = this.#buffered;
    this.#buffered = undefined;
    return b;
  }

  /** Waits for the next error; returns a function that stops waiting. */
  receive(fn: (err: unknown) => void): () => void {
    this.#receiver = fn;
    return () => {
      if (this.#receiver === fn) this.#receiver = undefined;
    };
  }

  /** Whether `err` came through this channel. */
  carried(err: unknown): boolean {
    return this.#sent.includes(err);
  }
}

// Upstream: client-go tools/cache/reflector.go (Reflector)
export class ReflectorImpl<T extends KubeObject = KubeObject> implements Reflector<T> {
  readonly #name: string;
  readonly #typeDescription: string;
  shouldResync: (() => boolean) | undefined;
  watchListPageSize: number;
  maxInternalErrorRetryDurationMs: number;
  watchErrorHandler: WatchErrorHandler<T>;

  readonly #listerWatcher: ListerWatcher<T>;
  readonly #store: ReflectorStore<T>;
  readonly #expectedType: { apiVersion?: string; kind?: string } | undefined;
  readonly #resyncPeriodMs: number;
  readonly #minWatchTimeoutMs: number;
  readonly #clock: FakeClock;
  /** Records this reflector's events (nothing when the environment has no trace). */
  readonly #events: EventEmitter<ReflectorEventMap, { reflector: string }>;
  /** Draws the watch timeouts (Go: the global `rand.Float64()`). */
  readonly #watchRng: Rng;
  /** Backs off ListAndWatch attempts and retriable watch errors; shared, as upstream. */
  readonly #backoffManager: BackoffManager;
  /** The reflector's own stop channel: what `run()` and `listAndWatch()` use by default. */
  readonly #stopCh = new StopChannel();

  /**
   * Whether lists are forced to paginate: set when the first list (at resourceVersion "0") came
   * back in pages, which means the watch cache is off and there are many objects.
   */
  #paginatedResult = false;
  /** The resourceVersion last observed from a list or watch event; not synchronized with the store. */
  #lastSyncRV = '';
  /** True when the last list or watch at lastSyncRV failed with "expired" or "too large resource version". */
  #isLastSyncResourceVersionUnavailable = false;
  /** listAndWatch calls so far (every one after the first is a relist). */
  #listAndWatchCalls = 0;
  /** Why the previous listAndWatch ended. */
  #lastEnd: EndReason | undefined;

  constructor(cfg: ReflectorConfig<T>) {
    // A reflector on a clock nobody moves would never back off or resync: time comes from the
    // caller, given as `clock` or in `env`, and so does randomness.
    if (!cfg.clock && !cfg.env) throw new UsageError('newReflector: clock is required');
    if (!cfg.rng && !cfg.env) throw new UsageError('newReflector: rng is required');
    if (!cfg.listerWatcher) throw new UsageError('newReflector: listerWatcher is required');
    if (!cfg.store) throw new UsageError('newReflector: store is required');
    const env = resolveEnv(cfg);
    this.#listerWatcher = cfg.listerWatcher;
    this.#store = cfg.store;
    this.#clock = env.clock;
    this.#name = cfg.name ?? defaultInstanceName(env.trace, 'reflector');
    this.#events = new EventEmitter(reflectorEvents, env, { reflector: this.name });
    // An rng given as such is forked as it always was; one from the environment is first forked
    // for this reflector, so that two reflectors of one environment draw independently.
    const rng = cfg.rng ?? env.rng.fork(`reflector/${this.name}`);
    this.#expectedType = cfg.expectedType;
    this.#typeDescription = cfg.expectedTypeName || getTypeDescriptionFromObject(cfg.expectedType);
    this.#resyncPeriodMs = cfg.resyncPeriodMs ?? 0;
    // Values lower than 5m are not honored, to avoid a negative performance impact on the control plane.
    this.#minWatchTimeoutMs = Math.max(defaultMinWatchTimeoutMs, cfg.minWatchTimeoutMs ?? 0);
    this.#watchRng = rng.fork('watchTimeout');
    this.#backoffManager =
      cfg.backoffManager ??
      newExponentialBackoffManager(
        reflectorBackoff.initMs,
        reflectorBackoff.maxMs,
        reflectorBackoff.resetMs,
        reflectorBackoff.factor,
        reflectorBackoff.jitter,
        this.#clock,
        rng.fork('backoff'),
      );
    this.shouldResync = cfg.shouldResync;
    this.watchListPageSize = cfg.watchListPageSize ?? 0;
    this.maxInternalErrorRetryDurationMs = cfg.maxInternalErrorRetryDurationMs ?? 0;
    this.watchErrorHandler = cfg.watchErrorHandler ?? defaultWatchErrorHandler;
  }

  /** Go: `TypeDescription()`, e.g. `*v1.Pod`. */
  get typeDescription(): string {
    return this.#typeDescription;
  }

  /** Go: `Name()`. */
  get name(): string {
    return this.#name;
  }

  // Upstream: Reflector.Run / RunWithContext (wait.BackoffUntil with sliding = true)
  async run(stopCh: StopChannel = this.#stopCh): Promise<void> {
    this.klog(3, 'info', 'Starting reflector', [['type', this.typeDescription], ['resyncPeriod', formatGoDuration(this.#resyncPeriodMs)], ['reflector', this.name]]);
    for (;;) {
      if (stopCh.closed) break;
      try {
        await this.listAndWatch(stopCh);
      } catch (err) {
        this.watchErrorHandler(this, err);
      }
      // Sliding: the backoff is asked for after each attempt, stop or not.
      if (await this.#waitBackoff('listAndWatch', stopCh)) break;
    }
    this.klog(3, 'info', 'Stopping reflector', [['type', this.typeDescription], ['resyncPeriod', formatGoDuration(this.#resyncPeriodMs)], ['reflector', this.name]]);
  }

  stop(): void {
    this.#stopCh.close();
  }

  // Upstream: Reflector.ListAndWatch / ListAndWatchWithContext
  async listAndWatch(stopCh: StopChannel = this.#stopCh): Promise<void> {
    this.klog(3, 'info', 'Listing and watching', [['type', this.typeDescription], ['reflector', this.name]]);
    if (this.#listAndWatchCalls++ > 0) {
      this.#events.emit('reflector.relist', { reason: this.#lastEnd ?? 'watchError', rv: this.relistResourceVersion() });
    }
    try {
      await this.#list(stopCh);
    } catch (err) {
      this.#lastEnd = 'listFailed';
      throw err;
    }
    this.klog(2, 'info', 'Caches populated', [['type', this.typeDescription], ['reflector', this.name]]);
    return this.#watchWithResync(undefined, stopCh);
  }

  // Upstream: Reflector.LastSyncResourceVersion
  lastSyncResourceVersion(): string {
    return this.#lastSyncRV;
  }

  /** Go's unexported `setLastSyncResourceVersion` (upstream's tests call it too). */
  setLastSyncResourceVersion(v: string): void {
    this.#lastSyncRV = v;
  }

  /**
   * The resourceVersion to list from (Go: `relistResourceVersion`): `''` (a consistent read from
   * etcd) after the last one proved unavailable, `'0'` (anything the watch cache has) on the
   * first list, otherwise the last one seen, so a relist never travels back in time.
   */
  // Upstream: Reflector.relistResourceVersion
  relistResourceVersion(): string {
    if (this.#isLastSyncResourceVersionUnavailable) return '';
    if (this.#lastSyncRV === '') return '0';
    return this.#lastSyncRV;
  }

  // Upstream: Reflector.setIsLastSyncResourceVersionUnavailable
  #setIsLastSyncResourceVersionUnavailable(isUnavailable: boolean): void {
    this.#isLastSyncResourceVersionUnavailable = isUnavailable;
  }

  /**
   * Arms the timer for the next resync (Go: `resyncChan`): `onResync` runs inside the clock step
   * that reaches resyncPeriodMs; never, when the period is 0. `stop` is the cleanup upstream
   * insists on, so that failing watches do not pile up timers.
   */
  // Upstream: Reflector.resyncChan
  resyncChan(onResync: () => void): { stop: () => boolean } {
    if (this.#resyncPeriodMs === 0) return { stop: () => false };
    return this.#clock.afterFunc(this.#resyncPeriodMs, onResync);
  }

  /**
   * Lists everything and replaces the store's contents (Go: `list`). Pages as upstream's pager
   * does, retries once from `''` when the resourceVersion is expired or too large, and does
   * nothing if the stop channel closes before the list returns.
   */
  // Upstream: Reflector.list
  async #list(stopCh: StopChannel): Promise<void> {
    const options: ListOptions = { resourceVersion: this.relistResourceVersion() };
    let pageSize = defaultPageSize;
    if (this.watchListPageSize !== 0) {
      pageSize = this.watchListPageSize;
    } else if (this.#paginatedResult) {
      // We got a paginated result initially. Assume this resource and server honor paging
      // requests (i.e. watch cache is probably disabled) and leave the default pager size set.
    } else if (options.resourceVersion !== '' && options.resourceVersion !== '0') {
      // With a resourceVersion other than "" and "0" the watch cache can serve the list, but
      // only if Limit is unset: switch pagination off to avoid a thundering herd on etcd.
      pageSize = 0;
    }
    const attempt = (async () => {
      let result = await listPaged((opts) => this.#listerWatcher.list(opts), options, pageSize);
      if (result.err !== undefined && (isExpiredError(result.err) || isTooLargeResourceVersionError(result.err))) {
        this.#setIsLastSyncResourceVersionUnavailable(true);
        // Retry immediately, from "" (a consistent read), if the resourceVersion is unavailable.
        result = await listPaged((opts) => this.#listerWatcher.list(opts), { resourceVersion: this.relistResourceVersion() }, pageSize);
      }
      return result;
    })();
    const outcome = await untilStopped(attempt, stopCh);
    if (outcome === STOPPED) return;
    const { list, paginated, err } = outcome;
    if (err !== undefined) {
      this.#events.emit('reflector.listFailed', { rv: options.resourceVersion ?? '', error: errorText(err) });
      throw new Error(`failed to list ${this.typeDescription}: ${errorText(err)}`, { cause: err });
    }
    // Only the first list (the only one at "0") decides whether lists stay paginated.
    if (options.resourceVersion === '0' && paginated) this.#paginatedResult = true;
    this.#setIsLastSyncResourceVersionUnavailable(false); // list was successful
    if (!list || typeof list !== 'object' || typeof list.metadata !== 'object' || list.metadata === null) {
      throw new Error(`unable to understand list result ${describe(list)}: ${NOT_AN_OBJECT}`);
    }
    if (!Array.isArray(list.items)) throw new Error(`unable to understand list result ${describe(list)} (no items)`);
    const resourceVersion = list.metadata.resourceVersion ?? '';
    const items = list.items.slice();
    this.#events.emit('reflector.list', { rv: resourceVersion, items: items.length, requestRV: options.resourceVersion ?? '', paginated });
    try {
      this.#syncWith(items, resourceVersion);
    } catch (err) {
      throw new Error(`unable to sync list result: ${errorText(err)}`, { cause: err });
    }
    this.setLastSyncResourceVersion(resourceVersion);
  }

  /** Replaces the store's items with the given list (Go: `syncWith`). */
  // Upstream: Reflector.syncWith
  #syncWith(items: T[], resourceVersion: string): void {
    this.#store.replace(items, resourceVersion);
  }

  /** Runs the watch loop with the resync timer alongside (Go: `watchWithResync`). */
  // Upstream: Reflector.watchWithResync
  async #watchWithResync(w: WatchInterface<T> | undefined, stopCh: StopChannel): Promise<void> {
    const resyncErrc = new ErrChannel();
    const cancel = new StopChannel();
    const unsubscribe = stopCh.subscribe(() => cancel.close());
    this.#startResync(cancel, resyncErrc);
    try {
      return await this.watch(w, stopCh, resyncErrc);
    } finally {
      cancel.close();
      unsubscribe();
    }
  }

  /**
   * Every resyncPeriodMs, calls `store.resync()` if `shouldResync` allows, until `cancelCh`
   * closes; a failing resync is sent to `resyncErrc` and ends the loop (Go: `startResync`).
   */
  // Upstream: Reflector.startResync
  #startResync(cancelCh: StopChannel, resyncErrc: ErrChannel): void {
    const tick = () => {
      if (cancelCh.closed) return;
      const forced = this.shouldResync === undefined || this.shouldResync();
      this.#events.emit('reflector.resync', { forced });
      if (forced) {
        this.klog(4, 'info', 'Forcing resync', [['reflector', this.name]]);
        try {
          this.#store.resync();
        } catch (err) {
          resyncErrc.send(err);
          return;
        }
      }
      arm();
    };
    let timer: { stop: () => boolean } | undefined;
    const arm = () => {
      timer = this.resyncChan(tick);
    };
    arm();
    cancelCh.subscribe(() => timer?.stop());
  }

  /**
   * Starts watches from lastSyncResourceVersion and consumes them until one ends with an error
   * or the stop channel closes; a watch that closes normally is simply restarted (Go: `watch`).
   * If `w` is given it is used first. Whatever watch is open is stopped before returning.
   */
  // Upstream: Reflector.watch
  async watch(w: WatchInterface<T> | undefined, stopCh: StopChannel, resyncErrc?: ErrChannel): Promise<void> {
    const retry = newRetryWithDeadline(this.maxInternalErrorRetryDurationMs, internalErrorRetryResetMs, isInternalError, this.#clock);
    try {
      for (;;) {
        // Give the stop channel a chance to stop the loop, even after a `continue` below.
        if (stopCh.closed) {
          this.#lastEnd = 'stopped';
          return;
        }
        // Start the clock before sending the request: some proxies won't flush headers until
        // after the first watch event is sent.
        const startMs = this.#clock.now();
        if (!w) {
          const timeoutSeconds = Math.trunc((this.#minWatchTimeoutMs / 1000) * (this.#watchRng.float() + 1.0));
          // Bookmarks reduce the load of watch restarts; the reflector does not assume the
          // server sends any.
          const options: ListOptions = { resourceVersion: this.lastSyncResourceVersion(), timeoutSeconds, allowWatchBookmarks: true };
          this.#events.emit('reflector.watch', { rv: options.resourceVersion ?? '', timeoutSeconds });
          try {
            w = await this.#listerWatcher.watch(options);
          } catch (err) {
            this.#events.emit('reflector.watchEnded', { reason: 'startFailed', error: errorText(err), ...codeOf(err) });
            if (isWatchErrorRetriable(err)) {
              this.klog(4, 'info', 'Watch failed - backing off', [['reflector', this.name], ['type', this.typeDescription], ['err', err]]);
              if (await this.#waitBackoff(isTooManyRequests(err) ? 'tooManyRequests' : 'connectionRefused', stopCh)) return;
              continue;
            }
            this.#lastEnd = isExpiredError(err) ? 'expired' : 'watchFailed';
            throw err;
          }
        }
        const err = await this.handleWatch(startMs, w, stopCh, resyncErrc);
        // handleWatch always stops the watcher; a new one is started on the next loop.
        w = undefined;
        retry.after(err);
        if (err === undefined) continue;
        if (err !== errorStopRequested) {
          if (isExpiredError(err)) {
            // Don't set LastSyncResourceVersionUnavailable: first try to LIST at the resource
            // version of the last observed object (a LIST at RV is at least as fresh as RV).
            this.klog(4, 'info', 'Watch closed', [['reflector', this.name], ['type', this.typeDescription], ['err', err]]);
            this.#lastEnd = 'expired';
          } else if (isTooManyRequests(err)) {
            this.klog(2, 'info', 'Watch returned 429 - backing off', [['reflector', this.name], ['type', this.typeDescription]]);
            if (await this.#waitBackoff('tooManyRequests', stopCh)) return;
            continue;
          } else if (isInternalError(err) && retry.shouldRetry()) {
            this.klog(2, 'info', 'Retrying watch after internal error', [['reflector', this.name], ['type', this.typeDescription], ['err', err]]);
            continue;
          } else {
            this.klog(0, 'info', 'Warning: watch ended with error', [['reflector', this.name], ['type', this.typeDescription], ['err', err]]);
            this.#lastEnd = err instanceof VeryShortWatchError ? 'veryShortWatch' : resyncErrc?.carried(err) ? 'resyncError' : 'watchError';
          }
        } else {
          this.#lastEnd = 'stopped';
        }
        return;
      }
    } finally {
      w?.stop();
    }
  }

  /**
   * Consumes events from `w` into the store and records each one's resourceVersion, until the
   * watch closes (undefined, or a VeryShortWatchError), sends an ERROR (its error), a resync fails
   * (that error) or the stop channel closes (`errorStopRequested`). Always stops `w`.
   */
  // Upstream: reflector.go (handleWatch, handleAnyWatch without the watch-list bookmark exit)
  async handleWatch(
    startMs: number,
    w: WatchInterface<T>,
    stopCh: StopChannel,
    errCh?: ErrChannel,
    setLastSyncResourceVersion: (rv: string) => void = (rv) => this.setLastSyncResourceVersion(rv),
  ): Promise<unknown | undefined> {
    let eventCount = 0;
    const ended = (reason: WatchEndReason, extra: { error?: string; code?: number; statusReason?: string } = {}) =>
      this.#events.emit('reflector.watchEnded', { reason, items: eventCount, durationMs: this.#clock.since(startMs), ...extra });
    try {
      for (;;) {
        const sel = await selectWatch(w, stopCh, errCh);
        if (sel.kind === 'stop') {
          ended('stopped');
          return errorStopRequested;
        }
        if (sel.kind === 'err') {
          ended('resyncError', { error: errorText(sel.err) });
          return sel.err;
        }
        const event = sel.event;
        if (event === undefined) break;
        if (event.type === 'ERROR') {
          const err = fromObject(event.object);
          ended(isExpiredError(err) ? 'expired' : 'error', { error: errorText(err), ...codeOf(err) });
          return err;
        }
        const obj = event.object as unknown;
        if (this.#expectedType && !matchesExpectedType(this.#expectedType, obj)) {
          this.handleError(undefined, 'Unexpected watch event object type', [
            ['reflector', this.name],
            ['expectedType', this.typeDescription],
            ['actualType', getTypeDescriptionFromObject(obj)],
          ]);
          continue;
        }
        const meta = metaOf(obj);
        if (!meta) {
          this.handleError(new Error(NOT_AN_OBJECT), 'Unable to understand watch event', [['reflector', this.name], ['event', `${event.type} ${describe(obj)}`]]);
          continue;
        }
        const resourceVersion = meta.resourceVersion ?? '';
        switch (event.type) {
          case 'ADDED':
            this.#toStore(() => this.#store.add(event.object), 'Unable to add watch event object to store', obj);
            break;
          case 'MODIFIED':
            this.#toStore(() => this.#store.update(event.object), 'Unable to update watch event object to store', obj);
            break;
          case 'DELETED':
            // TODO upstream: will any consumers need access to the "last known state", which is
            // passed in event.Object? If so, may need to change this.
            this.#toStore(() => this.#store.delete(event.object), 'Unable to delete watch event object from store', obj);
            break;
          case 'BOOKMARK':
            // A Bookmark means the watch has synced here: just update the resourceVersion.
            break;
          default:
            this.handleError(undefined, 'Unknown watch event', [['reflector', this.name], ['event', `${String((event as { type: unknown }).type)} ${describe(obj)}`]]);
        }
        this.#events.emit('reflector.event', { eventType: String(event.type), key: eventKey(obj), rv: resourceVersion });
        setLastSyncResourceVersion(resourceVersion);
        this.#store.updateResourceVersion?.(resourceVersion);
        eventCount++;
      }
    } finally {
      w.stop();
    }
    const watchDurationMs = this.#clock.since(startMs);
    if (watchDurationMs < veryShortWatchMs && eventCount === 0) {
      const err = new VeryShortWatchError(this.name);
      ended('veryShortWatch', { error: err.message });
      return err;
    }
    this.klog(4, 'info', 'Watch close', [['reflector', this.name], ['type', this.typeDescription], ['totalItems', eventCount]]);
    ended('closed');
    return undefined;
  }

  /**
   * Asks the backoff manager for the next delay and waits it out; returns true if the stop
   * channel closed first (the timer is then stopped).
   */
  async #waitBackoff(reason: string, stopCh: StopChannel): Promise<boolean> {
    const t = this.#backoffManager.backoff();
    this.#events.emit('reflector.backoff', { delayMs: t.delayMs, reason });
    const outcome = await untilStopped(t.wait, stopCh);
    if (outcome === STOPPED) {
      t.stop();
      return true;
    }
    return false;
  }

  #toStore(write: () => void, message: string, obj: unknown): void {
    try {
      write();
    } catch (err) {
      this.handleError(err, message, [['reflector', this.name], ['object', describe(obj)]]);
    }
  }

  /**
   * `utilruntime.HandleErrorWithContext(ctx, err, msg, kv...)`: an error-level klog line
   * (`err` first, when there is one). Upstream's rate limiting of HandleError is not modelled.
   */
  handleError(err: unknown, message: string, kv: KV): void {
    this.klog(0, 'error', message, err === undefined ? kv : [['err', err], ...kv]);
  }

  /**
   * A structured klog line as a `reflector.log` event: the quoted message, then `key=value`
   * pairs (strings quoted with Go's %q). `v` is the klog verbosity upstream logs it at.
   */
  klog(v: number, level: LogLevel, message: string, kv: KV): void {
    let text = goQuote(message);
    for (const [k, value] of kv) text += ` ${k}=${klogValue(value)}`;
    this.#events.emit('reflector.log', { level, source: 'reflector.go', v, message: text });
  }

}

/** A resourceVersion-less description of an object for trace events (`ns/name`). */
function eventKey(obj: unknown): string {
  try {
    return metaNamespaceKeyFunc(obj);
  } catch {
    return describe(obj);
  }
}

/** A watch event object matches the expected type unless it names another kind or apiVersion. */
function matchesExpectedType(expected: { apiVersion?: string; kind?: string }, obj: unknown): boolean {
  const o = (obj ?? {}) as { apiVersion?: unknown; kind?: unknown };
  if (expected.kind && typeof o.kind === 'string' && o.kind !== '' && o.kind !== expected.kind) return false;
  if (expected.apiVersion && typeof o.apiVersion === 'string' && o.apiVersion !== '' && o.apiVersion !== expected.apiVersion) return false;
  return true;
}

/** `{ code }` of an API error, for trace events. */
function codeOf(err: unknown): { code?: number; statusReason?: string } {
  const s = asStatusError(err);
  return s ? { code: s.code, statusReason: s.reason } : {};
}

/** klog's rendering of one value: strings, errors and Stringers quoted; numbers and booleans bare. */
function klogValue(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return '<nil>';
  if (value instanceof Error) return goQuote(value.message);
  return goQuote(describe(value));
}

/** The result of a pager run: the list, or the error, and whether it came in pages. */
interface PagedResult<T extends KubeObject> {
  list?: ObjectList<T>;
  paginated: boolean;
  err?: unknown;
}

/**
 * Lists in chunks of `pageSize` (0: in one request), joining the pages; falls back to one full
 * list at the requested resourceVersion when a continuation page is expired
 * (`FullListIfExpired`, on by default). Never rejects: a failure is returned as `err`.
 */
// Upstream: client-go tools/pager/pager.go (ListPager.list with FullListIfExpired = true)
export async function listPaged<T extends KubeObject>(
  pageFn: (options: ListOptions) => Promise<ObjectList<T>>,
  initial: ListOptions,
  pageSize: number,
): Promise<PagedResult<T>> {
  const options: ListOptions = { ...initial };
  if (!options.limit && pageSize > 0) options.limit = pageSize;
  const requestedResourceVersion = options.resourceVersion;
  const requestedResourceVersionMatch = options.resourceVersionMatch;
  let list: ObjectList<T> | undefined;
  let paginated = false;
  for (;;) {
    let obj: ObjectList<T>;
    try {
      obj = await pageFn({ ...options });
    } catch (err) {
      // Fall back to a full list only for an "Expired" error on page 2 or later: the resource
      // version the first page established fell out of the compaction window meanwhile.
      if (!isResourceExpired(err) || !options.continue) return { paginated, err };
      const full: ListOptions = { ...options, resourceVersion: requestedResourceVersion, resourceVersionMatch: requestedResourceVersionMatch };
      delete full.limit;
      delete full.continue;
      if (full.resourceVersion === undefined) delete full.resourceVersion;
      if (full.resourceVersionMatch === undefined) delete full.resourceVersionMatch;
      try {
        return { list: await pageFn(full), paginated };
      } catch (fullErr) {
        return { paginated, err: fullErr };
      }
    }
    const cont = obj?.metadata?.continue ?? '';
    // Exit early and return the object we got if we haven't processed any pages.
    if (cont === '' && list === undefined) return { list: obj, paginated };
    if (list === undefined) list = { ...obj, metadata: { resourceVersion: obj.metadata.resourceVersion }, items: [] };
    list.items.push(...obj.items);
    // If we have no more items, return the list.
    if (cont === '') return { list, paginated };
    // Set the next loop up; the resourceVersion must be cleared when using continue.
    options.continue = cont;
    options.resourceVersion = '';
    delete options.resourceVersionMatch;
    paginated = true;
  }
}

/** A marker for "the stop channel closed first". */
const STOPPED: unique symbol = Symbol('stopped');

/** Waits for `p` or for the stop channel, whichever comes first (Go: a two-case `select`); `p`'s rejection passes through. */
function untilStopped<R>(p: Promise<R>, stopCh: StopChannel): Promise<R | typeof STOPPED> {
  if (stopCh.closed) return Promise.resolve(STOPPED);
  return new Promise((resolve, reject) => {
    let done = false;
    const unsubscribe = stopCh.subscribe(() => settleWith(() => resolve(STOPPED)));
    function settleWith(fn: () => void) {
      if (done) return;
      done = true;
      unsubscribe();
      fn();
    }
    p.then(
      (value) => settleWith(() => resolve(value)),
      (err) => settleWith(() => reject(err)),
    );
  });
}

/**
 * One iteration of handleAnyWatch's `select`: the stop channel, a resync error or the next watch
 * event. The stop channel wins over an event that is ready at the same time (Go picks at random).
 */
function selectWatch<T extends KubeObject>(w: WatchInterface<T>, stopCh: StopChannel, errCh: ErrChannel | undefined): Promise<Selected<T>> {
  return new Promise((resolve) => {
    let done = false;
    const cleanups: Array<() => void> = [];
    const finish = (s: Selected<T>) => {
      if (done) return;
      done = true;
      for (const c of cleanups) c();
      resolve(s);
    };
    // Go evaluates `w.ResultChan()` before choosing a case.
    w.next().then(
      (event) => finish({ kind: 'event', event }),
      (err) => finish({ kind: 'err', err }),
    );
    if (stopCh.closed) return finish({ kind: 'stop' });
    const buffered = errCh?.take();
    if (buffered) return finish({ kind: 'err', err: buffered.err });
    cleanups.push(stopCh.subscribe(() => finish({ kind: 'stop' })));
    if (errCh) cleanups.push(errCh.receive((err) => finish({ kind: 'err', err })));
  });
}

/** A new Reflector (Go: `NewReflectorWithOptions`). */
export function newReflector<T extends KubeObject = KubeObject>(cfg: ReflectorConfig<T>): Reflector<T> {
  return new ReflectorImpl<T>(cfg);
}
