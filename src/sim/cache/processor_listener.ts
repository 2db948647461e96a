/**
 * The event-processing half of a shared informer: the sharedProcessor that fans each
 * notification out to its listeners, and the processorListener that relays notifications to
 * one handler, in order, through an unbounded buffer.
 * Upstream: client-go tools/cache/shared_informer.go at v0.34.0 (sharedProcessor,
 * processorListener, determineResyncPeriod), tools/cache/synctrack/synctrack.go
 * (SingleFileTracker), k8s.io/utils buffer/ring_growing.go (RingGrowing), apimachinery
 * util/runtime (HandleCrashWithLogger, ReallyCrash).
 *
 * Go runs two goroutines per listener: `pop` moves notifications from `addCh` to `nextCh`,
 * keeping the backlog in a ring buffer, and `run` receives from `nextCh` and calls the handler.
 * Here `add` writes to the buffer synchronously (it never blocks, as `pop` is always ready to
 * receive), and `run` is an async loop that takes the next notification, calls the handler and
 * awaits it if it returns a promise. Each listener has its own loop, so a slow handler delays
 * only itself.
 */
import type { FakeClock } from '../core/clock';
import { resolveEnv, type SimEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import type { LogLevel } from '../core/log';
import { defaultInstanceName, describe, type TraceRecorder } from '../core/trace';
import { asResourceEventHandler, type ResourceEventHandler, type ResourceEventHandlerLike, type ResourceEventHandlerRegistration } from './event_handlers';
import { informerEvents, type InformerEventMap, type InformerEventType } from './events';
import { errorText, goQuote, klogStructured, type KlogValue } from './go_strings';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc } from './keys';

/** The lowest resync period a handler may ask for (Go: `minimumResyncPeriod = 1 * time.Second`). */
export const minimumResyncPeriodMs = 1_000;

/** The initial capacity of a listener's notification buffer (Go: `initialBufferSize = 1024`). */
export const initialBufferSize = 1024;

/**
 * How long a listener waits after a handler panicked (and the panic was recovered, which needs
 * `reallyCrash: false`) before it delivers the next notification (Go: `time.Sleep(time.Second)`).
 */
export const sleepAfterCrashMs = 1_000;

/** An object was added (Go: `addNotification{newObj, isInInitialList}`). */
export interface AddNotification<T = unknown> {
  kind: 'add';
  newObj: T;
  isInInitialList: boolean;
}

/** An object changed (Go: `updateNotification{oldObj, newObj}`). */
export interface UpdateNotification<T = unknown> {
  kind: 'update';
  oldObj: T;
  newObj: T;
}

/** An object was deleted (Go: `deleteNotification{oldObj}`); `oldObj` may be a tombstone. */
export interface DeleteNotification<T = unknown> {
  kind: 'delete';
  oldObj: T | DeletedFinalStateUnknown<T>;
}

/** What a listener relays to its handler. */
export type Notification<T = unknown> = AddNotification<T> | UpdateNotification<T> | DeleteNotification<T>;

/** Writes a model log line (`informer.log`): upstream's klog call, with the same wording. */
export type InformerLogger = (level: LogLevel, source: string, message: string) => void;

/**
 * Where an informer's parts record what they do: trace events of component `informer`, each
 * with field `informer` = the informer's name, stamped with the informer's clock, through the
 * informer event catalog.
 */
export class InformerTrace {
  readonly #name: string;
  readonly #clock: FakeClock;
  readonly #events: EventEmitter<InformerEventMap, { informer: string }>;

  constructor(name: string, clock: FakeClock, trace: TraceRecorder | undefined) {
    this.#name = name;
    this.#clock = clock;
    this.#events = new EventEmitter(informerEvents, { clock, trace }, { informer: name });
  }

  /** The informer's name (field `informer` of every event). */
  get name(): string {
    return this.#name;
  }

  /** The informer's clock (resync decisions, the pause after a recovered panic). */
  get clock(): FakeClock {
    return this.#clock;
  }

  /** Records `type` with its declared fields (nothing when there is no trace). */
  emit<K extends InformerEventType>(type: K, fields: Omit<InformerEventMap[K], 'informer'>): void {
    this.#events.emit(type, fields);
  }

  /** An `informer.log` event: upstream's klog line from `source` (e.g. `shared_informer.go`), at V(0). */
  log(level: LogLevel, source: string, message: string): void {
    this.#events.emit('informer.log', { level, source, v: 0, message });
  }

  /** A structured klog line (`logger.Info(msg, "key", value, ...)`), as klog's text format writes it. */
  logStructured(level: LogLevel, source: string, message: string, keysAndValues: Record<string, KlogValue> = {}): void {
    this.log(level, source, klogStructured(message, keysAndValues));
  }
}

/** The key a trace event shows for an object (its storage key, or a short description). */
export function traceKey(obj: unknown): string {
  try {
    return deletionHandlingMetaNamespaceKeyFunc(obj);
  } catch {
    return describe(obj);
  }
}

/** The object a notification is about (the new state, or the deleted one). */
function notificationObject<T>(n: Notification<T>): unknown {
  return n.kind === 'delete' ? n.oldObj : n.newObj;
}

/**
 * A FIFO that grows without bound: a ring of slots that doubles when full (Go: `RingGrowing`).
 * Reads and writes are O(1); read slots are cleared so objects can be garbage collected.
 */
// Upstream: k8s.io/utils buffer/ring_growing.go (RingGrowing)
export class RingGrowing<T> {
  #data: Array<T | undefined>;
  /** Size of `data`. */
  #n: number;
  /** First available element. */
  #beg = 0;
  /** Number of elements that can be read. */
  #readable = 0;

  constructor(initialSize: number) {
    this.#n = Math.max(1, Math.floor(initialSize));
    this.#data = new Array<T | undefined>(this.#n);
  }

  /** Takes the oldest element: `[element, true]`, or `[undefined, false]` when empty. */
  // Upstream: RingGrowing.ReadOne
  readOne(): [T, true] | [undefined, false] {
    if (this.#readable === 0) return [undefined, false];
    this.#readable--;
    const element = this.#data[this.#beg] as T;
    this.#data[this.#beg] = undefined; // Remove the reference so it can be garbage collected.
    this.#beg = this.#beg === this.#n - 1 ? 0 : this.#beg + 1;
    return [element, true];
  }

  /** Appends an element, doubling the ring when it is full. */
  // Upstream: RingGrowing.WriteOne
  writeOne(element: T): void {
    if (this.#readable === this.#n) {
      const newN = this.#n * 2;
      const newData = new Array<T | undefined>(newN);
      for (let i = 0; i < this.#readable; i++) newData[i] = this.#data[(this.#beg + i) % this.#n];
      this.#beg = 0;
      this.#data = newData;
      this.#n = newN;
    }
    this.#data[(this.#readable + this.#beg) % this.#n] = element;
    this.#readable++;
  }

  /** Number of elements that can be read (Go: `Len`). */
  len(): number {
    return this.#readable;
  }

  /** The current capacity (Go: `Cap`). */
  cap(): number {
    return this.#n;
  }

  /** Drops every element. */
  clear(): void {
    this.#data = new Array<T | undefined>(this.#n);
    this.#beg = 0;
    this.#readable = 0;
  }
}

/**
 * Propagates HasSynced when events are processed in order: counts the initial-list
 * notifications not yet finished (Go: `synctrack.SingleFileTracker`).
 */
// Upstream: client-go tools/cache/synctrack/synctrack.go (SingleFileTracker)
export class SingleFileTracker {
  /** Initial-list notifications started and not finished. Never negative. */
  #count = 0;

  readonly #upstreamHasSynced: () => boolean;

  constructor(upstreamHasSynced: () => boolean) {
    this.#upstreamHasSynced = upstreamHasSynced;
  }

  /** The source's HasSynced (Go: the exported field `UpstreamHasSynced`). */
  get upstreamHasSynced(): () => boolean {
    return this.#upstreamHasSynced;
  }

  /** Called before processing each item of the initial list. */
  start(): void {
    this.#count++;
  }

  /**
   * Called when an item of the initial list has been processed. Calling it without its
   * `start` is a logic error, which upstream reports with a panic (here: a throw).
   */
  finished(): void {
    this.#count--;
    if (this.#count < 0) {
      throw new Error('synctrack: negative counter; this logic error means HasSynced may return incorrect value');
    }
  }

  /** True if the source has synced and every item of the initial list has been processed. */
  hasSynced(): boolean {
    // Ask upstream first, as upstream does, so a stale count is never acted on.
    if (!this.#upstreamHasSynced()) return false;
    return this.#count <= 0;
  }

  /** Initial-list items started and not finished (for snapshots and tests). */
  pending(): number {
    return this.#count;
  }
}

/** How a listener relates to the informer around it; every field has a standalone default. */
export interface ListenerEnv {
  /** The listener's number in trace events (field `listener`). Default 0. */
  id?: number;
  /** Where events and log lines go, and the clock the pause after a recovered panic waits on. */
  out?: InformerTrace;
  /**
   * Without `out`: the environment of a standalone listener (its clock times the pause after a
   * recovered panic, its trace records the listener's events as informer `informer`). Default:
   * a clock of its own and the trace the lab runtime installed, if any.
   */
  env?: SimEnv;
  /** Without `out`: the clock of that pause (overrides `env.clock`). */
  clock?: FakeClock;
  /**
   * Go's `utilruntime.ReallyCrash` (default true): a handler that throws (Go: panics) is logged
   * ("Observed a panic") and then crashes the process, here: calls `onCrash` and ends this
   * listener's loop. With false, the notification is skipped and the listener waits
   * `sleepAfterCrashMs` of virtual time before the next one.
   */
  reallyCrash?: boolean;
  /** What a crash does beyond ending this listener (the informer stops everything). */
  onCrash?: (err: unknown, listener: ProcessorListener<unknown>) => void;
  /** Called each time the handler has returned from an initial-list add (sync progress). */
  onInitialListItemDone?: (listener: ProcessorListener<unknown>) => void;
}

type ListenerState = 'new' | 'running' | 'closed';

/**
 * Relays notifications from a sharedProcessor to one ResourceEventHandler, in order, and keeps
 * the listener's resync schedule (Go: `processorListener`). It is the registration handle
 * `addEventHandler` returns.
 *
 * Invariants: notifications are delivered in the order they were added, one at a time (the next
 * is taken only once the handler has returned, or its promise has settled); `add` never blocks
 * and never drops a notification while the listener is open; once closed, nothing more is
 * delivered after the notification in progress.
 */
// Upstream: client-go tools/cache/shared_informer.go (processorListener)
export class ProcessorListener<T = unknown> implements ResourceEventHandlerRegistration {
  readonly #id: number;
  readonly #handler: ResourceEventHandler<T>;
  /** Counts the initial-list adds queued and not yet handled (Go: `syncTracker`). */
  readonly #syncTracker: SingleFileTracker;

  /**
   * Notifications added and not yet taken by `run`: the unbounded ring buffer (plus Go's one
   * `notification` slot in `pop`). A stalled handler makes it grow without limit, as upstream.
   */
  readonly #pendingNotifications: RingGrowing<Notification<T>>;

  /**
   * How often the listener wants a full resync, after two adjustments: the lower bound
   * `minimumResyncPeriodMs`, and, for handlers added after the informer started, the informer's
   * `resyncCheckPeriod` (only if the informer resyncs at all).
   */
  readonly #requestedResyncPeriodMs: number;
  /**
   * The threshold `shouldResync` uses. Differs from `requestedResyncPeriodMs` only when the
   * informer does no resyncs (then 0), or when the check period grew past it.
   */
  #resyncPeriodMs: number;
  /** The earliest time (virtual ms) the listener should get a full resync. */
  #nextResyncMs = 0;

  readonly #out: InformerTrace;
  readonly #reallyCrash: boolean;
  readonly #onCrash: ((err: unknown, listener: ProcessorListener<unknown>) => void) | undefined;
  readonly #onInitialListItemDone: ((listener: ProcessorListener<unknown>) => void) | undefined;
  #state: ListenerState = 'new';
  /** The run loop, waiting for the next notification (only while the buffer is empty). */
  #waiting: ((n: Notification<T> | undefined) => void) | undefined;
  #runLoop: Promise<void> | undefined;
  /** The notification being handled right now, if any (for snapshots). */
  #inFlight: Notification<T> | undefined;

  constructor(
    handler: ResourceEventHandlerLike<T>,
    requestedResyncPeriodMs: number,
    resyncPeriodMs: number,
    nowMs: number,
    bufferSize: number,
    hasSynced: () => boolean,
    env: ListenerEnv = {},
  ) {
    this.#id = env.id ?? 0;
    this.#handler = asResourceEventHandler(handler);
    this.#syncTracker = new SingleFileTracker(hasSynced);
    this.#pendingNotifications = new RingGrowing<Notification<T>>(bufferSize);
    this.#requestedResyncPeriodMs = requestedResyncPeriodMs;
    this.#resyncPeriodMs = resyncPeriodMs;
    this.#out = env.out ?? standaloneTrace(env);
    this.#reallyCrash = env.reallyCrash ?? true;
    this.#onCrash = env.onCrash;
    this.#onInitialListItemDone = env.onInitialListItemDone;
    this.determineNextResync(nowMs);
  }

  /** The listener's number in trace events (1, 2, ... per informer, in the order handlers were added). */
  get id(): number {
    return this.#id;
  }

  /** The resync period the handler asked for, after the lower bounds (Go: `requestedResyncPeriod`). */
  get requestedResyncPeriodMs(): number {
    return this.#requestedResyncPeriodMs;
  }

  /** The resync period in force (Go: `resyncPeriod`): 0 when the informer does not resync. */
  get resyncPeriodMs(): number {
    return this.#resyncPeriodMs;
  }

  /** The earliest time (virtual ms) the listener should get a full resync (Go: `nextResync`). */
  get nextResyncMs(): number {
    return this.#nextResyncMs;
  }

  /**
   * What the sync tracker counts, read-only: the initial-list adds not yet handled, and its
   * answer. (The tracker itself stays inside: whoever holds a registration must not be able to
   * mark an add as handled.)
   */
  get syncTracker(): { pending(): number; hasSynced(): boolean } {
    const tracker = this.#syncTracker;
    return Object.freeze({ pending: () => tracker.pending(), hasSynced: () => tracker.hasSynced() });
  }

  /** True if the informer has synced and every initial-list notification has been delivered. */
  // Upstream: processorListener.HasSynced
  hasSynced(): boolean {
    return this.#syncTracker.hasSynced();
  }

  /**
   * Queues a notification for the handler; never blocks. An initial-list add is counted by the
   * sync tracker at once, so `hasSynced` cannot turn true before it is delivered. A notification
   * added after `close` is dropped (upstream never sends to a closed listener).
   */
  // Upstream: processorListener.add (and the receiving half of processorListener.pop)
  add(notification: Notification<T>): void {
    if (this.#state === 'closed') return;
    if (notification.kind === 'add' && notification.isInInitialList) this.#syncTracker.start();
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      this.#emitNotify(notification, 0);
      waiting(notification);
      return;
    }
    this.#pendingNotifications.writeOne(notification);
    this.#emitNotify(notification, this.#pendingNotifications.len());
  }

  /**
   * The next notification for `run`, once there is one; undefined once the listener is closed
   * (the sending half of Go's `pop`, which closes `nextCh` when `addCh` is closed).
   */
  // Upstream: processorListener.pop
  pop(): Promise<Notification<T> | undefined> {
    if (this.#state === 'closed') return Promise.resolve(undefined);
    const [next, ok] = this.#pendingNotifications.readOne();
    if (ok) return Promise.resolve(next);
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /**
   * Delivers notifications to the handler until the listener is closed; resolves once the loop
   * has ended (after the notification in progress, if any). Calling it again returns the same
   * promise. A handler that throws or rejects is handled as Go's `HandleCrashWithLogger` handles
   * a panic: see `ListenerEnv.reallyCrash`.
   */
  // Upstream: processorListener.run
  run(): Promise<void> {
    if (this.#runLoop) return this.#runLoop;
    if (this.#state === 'new') this.#state = 'running';
    this.#runLoop = this.#loop();
    return this.#runLoop;
  }

  /**
   * Stops the listener (Go: `close(listener.addCh)`): notifications not yet taken by `run` are
   * dropped, and `run` ends after the notification in progress.
   */
  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    const dropped = this.#pendingNotifications.len();
    this.#pendingNotifications.clear();
    this.#out.emit('informer.closeListener', { listener: this.#id, dropped });
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.(undefined);
  }

  /** True once `close` was called. */
  isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** Notifications waiting for the handler (not counting one being handled). */
  pendingCount(): number {
    return this.#pendingNotifications.len();
  }

  /** The notification the handler is working on, if any. */
  current(): Notification<T> | undefined {
    return this.#inFlight;
  }

  /** Whether the listener is due a resync at `nowMs`; never when its resync period is 0. */
  // Upstream: processorListener.shouldResync
  shouldResync(nowMs: number): boolean {
    if (this.#resyncPeriodMs === 0) return false;
    return nowMs >= this.#nextResyncMs;
  }

  /** Schedules the next resync one resync period after `nowMs`. */
  // Upstream: processorListener.determineNextResync
  determineNextResync(nowMs: number): void {
    this.#nextResyncMs = nowMs + this.#resyncPeriodMs;
  }

  // Upstream: processorListener.setResyncPeriod
  setResyncPeriod(resyncPeriodMs: number): void {
    this.#resyncPeriodMs = resyncPeriodMs;
  }

  /**
   * Go's `for next := range p.nextCh { ... }`. Each handler call runs under
   * `defer utilruntime.HandleCrashWithLogger(p.logger)`: a panic (here: a throw or a rejection)
   * is logged ("Observed a panic"), then, with ReallyCrash (the default), re-raised, which
   * crashes the process (here: the informer). Without ReallyCrash the panicking notification is
   * skipped for good (an initial-list add is never counted as handled), and the listener sleeps
   * a second after receiving the next notification, before delivering it; the flag clears only
   * once a notification is handled without a panic.
   */
  // Upstream: processorListener.run
  async #loop(): Promise<void> {
    let sleepAfterCrash = false;
    for (;;) {
      const next = await this.pop();
      if (next === undefined) return;
      if (sleepAfterCrash) {
        // Sleep before processing the next item (only reached when panics are recovered).
        // Upstream: time.Sleep(time.Second), on the wall clock; here on the informer's clock.
        this.#out.emit('informer.sleepAfterCrash', { listener: this.#id, delayMs: sleepAfterCrashMs });
        await this.#out.clock.sleep(sleepAfterCrashMs);
      }
      // Gets reset below, but only if we get that far.
      sleepAfterCrash = true;
      this.#inFlight = next;
      const key = traceKey(notificationObject(next));
      this.#out.emit('informer.deliver', { listener: this.#id, kind: next.kind, key, pending: this.#pendingNotifications.len() });
      try {
        const result = this.#dispatch(next);
        if (isPromiseLike(result)) await result;
        this.#inFlight = undefined;
        this.#out.emit('informer.delivered', { listener: this.#id, kind: next.kind, key });
        if (next.kind === 'add' && next.isInInitialList) {
          this.#syncTracker.finished();
          this.#onInitialListItemDone?.(this as ProcessorListener<unknown>);
        }
        sleepAfterCrash = false;
      } catch (err) {
        this.#inFlight = undefined;
        // Upstream: utilruntime.HandleCrashWithLogger -> handleCrash: logPanic, then panic(r) again if ReallyCrash.
        logPanic(this.#out, err);
        if (this.#reallyCrash) {
          this.#out.emit('informer.crash', { listener: this.#id, error: errorText(err) });
          this.close();
          this.#onCrash?.(err, this as ProcessorListener<unknown>);
          return;
        }
        this.#out.emit('informer.recovered', { listener: this.#id, kind: next.kind, key, error: errorText(err) });
      }
    }
  }

  /** Calls the handler method for one notification. */
  #dispatch(n: Notification<T>): unknown {
    switch (n.kind) {
      case 'update':
        return this.#handler.onUpdate(n.oldObj, n.newObj);
      case 'add':
        return this.#handler.onAdd(n.newObj, n.isInInitialList);
      case 'delete':
        return this.#handler.onDelete(n.oldObj);
    }
  }

  #emitNotify(n: Notification<T>, pending: number): void {
    const key = traceKey(notificationObject(n));
    if (n.kind === 'add') this.#out.emit('informer.notify', { listener: this.#id, kind: n.kind, key, pending, isInInitialList: n.isInInitialList });
    else this.#out.emit('informer.notify', { listener: this.#id, kind: n.kind, key, pending });
  }
}

/** The trace of a listener that belongs to no informer (`ListenerEnv.out` absent). */
function standaloneTrace(le: ListenerEnv): InformerTrace {
  const env = resolveEnv({ env: le.env, clock: le.clock });
  return new InformerTrace('informer', env.clock, env.trace);
}

/**
 * Where "Observed a panic" is attributed (the klog header's file): upstream's `WithCallDepth(4)`
 * reaches the function that panicked, which upstream's TestEventPanics checks
 * (`shared_informer_test.go:<line of the panic>]`). Here that is the handler, whose file the
 * model cannot name.
 */
export const panicLogSource = 'handler';

/**
 * apimachinery's `logPanic`, the panic handler `HandleCrashWithLogger` runs first: one error
 * line, `logger.Error(nil, "Observed a panic", "panic", r, "stacktrace", ...)` for a string
 * panic, with `"panicGoValue", fmt.Sprintf("%#v", r)` added for any other value, attributed to
 * the code that panicked. A JS `throw 'text'` is Go's `panic("text")`; a thrown Error is Go's
 * `panic(err)`, whose `%#v` the model writes as Go writes an `errors.New` value. Go's goroutine
 * stack is left out (a JS stack differs between engines, and the trace may not).
 */
// Upstream: apimachinery pkg/util/runtime/runtime.go (logPanic)
export function logPanic(out: InformerTrace, r: unknown): void {
  if (typeof r === 'string') {
    out.logStructured('error', panicLogSource, 'Observed a panic', { panic: r });
    return;
  }
  out.logStructured('error', panicLogSource, 'Observed a panic', { panic: panicText(r), panicGoValue: panicGoValue(r) });
}

/** Go's `fmt.Sprintf("%v", r)` of a panic value. */
function panicText(r: unknown): string {
  if (r instanceof Error) return r.message;
  if (r === undefined || r === null) return '<nil>';
  return describe(r);
}

/** Go's `fmt.Sprintf("%#v", r)`: an Error as `errors.New(message)` prints, numbers and booleans bare. */
function panicGoValue(r: unknown): string {
  if (r instanceof Error) return `&errors.errorString{s:${goQuote(r.message)}}`;
  if (r === undefined || r === null) return '<nil>';
  if (typeof r === 'number' || typeof r === 'boolean' || typeof r === 'bigint') return String(r);
  return goQuote(describe(r));
}

/**
 * A new listener for `handler` (Go: `newProcessListener`); `nowMs` starts its resync schedule.
 * `env` ties it to an informer; without it the listener stands alone.
 */
// Upstream: client-go tools/cache/shared_informer.go (newProcessListener)
export function newProcessListener<T>(
  handler: ResourceEventHandlerLike<T>,
  requestedResyncPeriodMs: number,
  resyncPeriodMs: number,
  nowMs: number,
  bufferSize: number,
  hasSynced: () => boolean,
  env: ListenerEnv = {},
): ProcessorListener<T> {
  return new ProcessorListener<T>(handler, requestedResyncPeriodMs, resyncPeriodMs, nowMs, bufferSize, hasSynced, env);
}

/**
 * The resync period a listener gets when it asks for `desiredMs` and the informer checks every
 * `checkMs`: 0 stays 0; an informer that does not resync (check 0) gives 0; a period below the
 * check period is raised to it. Logs upstream's warnings.
 */
// Upstream: client-go tools/cache/shared_informer.go (determineResyncPeriod)
export function determineResyncPeriod(out: InformerTrace, desiredMs: number, checkMs: number): number {
  if (desiredMs === 0) return desiredMs;
  if (checkMs === 0) {
    out.logStructured('info', 'shared_informer.go', "Warning: the specified resyncPeriod is invalid because this shared informer doesn't support resyncing", {
      desired: { duration: desiredMs },
    });
    return 0;
  }
  if (desiredMs < checkMs) {
    out.logStructured('info', 'shared_informer.go', 'Warning: the specified resyncPeriod is being increased to the minimum resyncCheckPeriod', {
      desired: { duration: desiredMs },
      resyncCheckPeriod: { duration: checkMs },
    });
    return checkMs;
  }
  return desiredMs;
}

/** Options of a standalone `SharedProcessor` (an informer passes its own). */
export interface SharedProcessorConfig {
  /**
   * The environment: its clock drives resync decisions, its trace records events. `clock` and
   * `trace` override its parts. Give `env` or `clock`.
   */
  env?: SimEnv;
  /** Resync decisions read `clock.now()` (overrides `env.clock`). */
  clock?: FakeClock;
  /** Trace name (field `informer`). Default: `informer`, `informer-2`, ... per trace recorder. */
  name?: string;
  /** Where events go (overrides `env.trace`). Without either: the trace the lab runtime installed, if any. */
  trace?: TraceRecorder;
}

/**
 * Holds an informer's listeners and distributes each notification to them (Go:
 * `sharedProcessor`). There are two kinds of distribution: a sync notification goes only to
 * the listeners marked as syncing by the last `shouldResync` (every listener starts marked);
 * every other notification goes to every listener.
 */
// Upstream: client-go tools/cache/shared_informer.go (sharedProcessor)
export class SharedProcessor<T = unknown> {
  readonly #out: InformerTrace;
  /** Whether the listeners' loops have been started by `run` (and not yet stopped). */
  #listenersStarted = false;
  /**
   * The listeners, each with whether it is currently syncing. `undefined` (Go's nil map) before
   * the first listener and after `stop`. Insertion order is the delivery order of `distribute`
   * (Go ranges over a map in random order).
   */
  #listeners: Map<ProcessorListener<T>, boolean> | undefined;
  /** Every listener loop ever started (Go: the `wait.Group`), so `stop` can wait for them. */
  readonly #running = new Set<Promise<void>>();

  constructor(cfg: SharedProcessorConfig | InformerTrace) {
    if (cfg instanceof InformerTrace) {
      this.#out = cfg;
    } else {
      if (!cfg.clock && !cfg.env) throw new TypeError('SharedProcessor: a clock (or an env) is required');
      const env = resolveEnv(cfg);
      this.#out = new InformerTrace(cfg.name ?? defaultInstanceName(env.trace, 'informer'), env.clock, env.trace);
    }
  }

  /** The clock resync decisions read. */
  get clock(): FakeClock {
    return this.#out.clock;
  }

  /** Whether the listeners' loops have been started by `run` (and not yet stopped). */
  get listenersStarted(): boolean {
    return this.#listenersStarted;
  }

  /**
   * A copy of the listeners, each with whether it is currently syncing; `undefined` (Go's nil
   * map) before the first listener and after `stop`.
   */
  get listeners(): ReadonlyMap<ProcessorListener<T>, boolean> | undefined {
    return this.#listeners && new Map(this.#listeners);
  }

  /** The registered listeners, in the order they were added. */
  listenerList(): Array<ProcessorListener<T>> {
    return this.#listeners ? [...this.#listeners.keys()] : [];
  }

  /** The listener behind a registration, if it is registered here. */
  // Upstream: sharedProcessor.getListener
  getListener(registration: ResourceEventHandlerRegistration): ProcessorListener<T> | undefined {
    if (!this.#listeners) return undefined;
    if (registration instanceof ProcessorListener && this.#listeners.has(registration as ProcessorListener<T>)) {
      return registration as ProcessorListener<T>;
    }
    return undefined;
  }

  /** Registers a listener (marked syncing), starting its loop if the processor is running. */
  // Upstream: sharedProcessor.addListener
  addListener(listener: ProcessorListener<T>): ResourceEventHandlerRegistration {
    if (!this.#listeners) this.#listeners = new Map();
    this.#listeners.set(listener, true);
    if (this.#listenersStarted) this.#start(listener);
    return listener;
  }

  /**
   * Unregisters a listener and, if the processor is running, closes it. Removing one that is not
   * registered here does nothing; a handle that is not a listener throws upstream's error.
   */
  // Upstream: sharedProcessor.removeListener
  removeListener(handle: ResourceEventHandlerRegistration): void {
    if (!(handle instanceof ProcessorListener)) {
      throw new Error(`invalid key type %!t(${goTypeName(handle)}=${describe(handle)})`);
    }
    // No listeners are registered, or this one is not: do nothing.
    if (!this.#listeners || !this.#listeners.has(handle as ProcessorListener<T>)) return;
    this.#listeners.delete(handle as ProcessorListener<T>);
    if (this.#listenersStarted) (handle as ProcessorListener<T>).close();
  }

  /** Hands a notification to every listener, or, for a sync notification, to the syncing ones. */
  // Upstream: sharedProcessor.distribute
  distribute(notification: Notification<T>, sync: boolean): void {
    if (!this.#listeners) return;
    for (const [listener, isSyncing] of this.#listeners) {
      // Non-sync messages are delivered to every listener, sync messages to every syncing one;
      // a sync message for a non-syncing listener is skipped.
      if (!sync || isSyncing) listener.add(notification);
    }
  }

  /** Starts every listener's loop; listeners added later start as they are added. */
  // Upstream: sharedProcessor.run (up to `<-ctx.Done()`)
  run(): void {
    if (this.#listeners) for (const listener of this.#listeners.keys()) this.#start(listener);
    this.#listenersStarted = true;
  }

  /**
   * Closes every listener (dropping what they have not delivered), forgets them (listeners cannot
   * be reused) and resolves once every listener loop has ended.
   */
  // Upstream: sharedProcessor.run (after `<-ctx.Done()`)
  stop(): Promise<void> {
    if (this.#listeners) for (const listener of this.#listeners.keys()) listener.close(); // Tell .run() to stop.
    // Wipe out the list of listeners since they are now closed.
    this.#listeners = undefined;
    // Reset to false since no listeners are running.
    this.#listenersStarted = false;
    return Promise.all([...this.#running]).then(() => undefined);
  }

  /**
   * Asks every listener whether it is due a resync at the clock's time, marks each as syncing or
   * not for the next sync notifications, schedules the next resync of those that are due, and
   * returns whether any is. The Reflector calls this (its `shouldResync`) every resync check
   * period before it resyncs the queue.
   */
  // Upstream: sharedProcessor.shouldResync
  shouldResync(): boolean {
    if (!this.#listeners) return false;
    let resyncNeeded = false;
    const now = this.clock.now();
    const due: number[] = [];
    for (const listener of [...this.#listeners.keys()]) {
      // Loop through every listener to prepare the ones that are going to be resyncing.
      const shouldResync = listener.shouldResync(now);
      this.#listeners.set(listener, shouldResync);
      if (shouldResync) {
        resyncNeeded = true;
        due.push(listener.id);
        listener.determineNextResync(now);
      }
    }
    if (resyncNeeded) this.#out.emit('informer.resync', { listeners: due });
    return resyncNeeded;
  }

  /** Recomputes every listener's resync period for a new check period. */
  // Upstream: sharedProcessor.resyncCheckPeriodChanged
  resyncCheckPeriodChanged(resyncCheckPeriodMs: number): void {
    if (!this.#listeners) return;
    for (const listener of this.#listeners.keys()) {
      listener.setResyncPeriod(determineResyncPeriod(this.#out, listener.requestedResyncPeriodMs, resyncCheckPeriodMs));
    }
  }

  #start(listener: ProcessorListener<T>): void {
    const done = listener.run();
    this.#running.add(done);
    void done.then(() => this.#running.delete(done));
  }
}

/** A new processor (Go: `&sharedProcessor{clock: clock}`). */
export function newSharedProcessor<T = unknown>(cfg: SharedProcessorConfig): SharedProcessor<T> {
  return new SharedProcessor<T>(cfg);
}

/** A name for `%t`'s complaint about a value that is not a bool (Go prints its type). */
function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
