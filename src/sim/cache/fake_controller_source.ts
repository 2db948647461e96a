/**
 * FakeControllerSource: an in-memory ListerWatcher for tests and labs, after client-go
 * tools/cache/testing/fake_controller_source.go at v0.34.0. Every change (add, modify, delete)
 * bumps an integer resourceVersion, writes it into the object's metadata, records the change and
 * broadcasts it to the open watches. `list` returns every object at the current resourceVersion;
 * `watch` replays the recorded changes after the requested resourceVersion, then streams new ones.
 *
 * Beyond upstream, labs and tests can end every open watch (`closeWatches`), make every open
 * watch report `410 Gone` (`expireWatches`), and have the source end watches after their
 * `timeoutSeconds` as the API server does (`honorTimeoutSeconds`), so that a reflector's
 * rewatch and relist paths can be exercised. See README.md (Reflector and FakeControllerSource).
 */
import type { FakeClock, Timer } from '../core/clock';
import { UsageError } from '../core/errors';
import { NOT_AN_OBJECT, deepCopy, metaOf, type KubeObject } from '../core/object';
import type { Rng } from '../core/rng';
import { resolveEnv, type SimEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import { defaultInstanceName, type TraceRecorder } from '../core/trace';
import { newResourceExpired, statusOf } from './api_errors';
import { sourceEvents, type SourceEventMap } from './events';
import type { ListOptions, ListerWatcher, ObjectList, WatchEvent, WatchInterface } from './listwatch';
import { Broadcaster, setWatcherOnClose, watcherSend, type BroadcasterWatcher } from './watch';

/** The change types a source records (Go: the watch.Event a `Change` is given). */
export type SourceChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Options of `newFakeControllerSource` (upstream takes none; all of these are the model's). */
export interface FakeControllerSourceConfig {
  /**
   * The source's name in trace events (field `source`). Omitted: `source` for the first unnamed
   * source recording to a trace, then `source-2`, `source-3`, ...
   */
  name?: string;
  /**
   * The environment the source runs in: its clock stamps events and times `honorTimeoutSeconds`,
   * its trace records them, and a fork of its rng (`source/<name>`) decides `change`'s
   * probability. `clock`, `trace` and `rng` override its parts. Omitted: a clock of the source's
   * own, the trace the lab runtime installed (`useEnv`), if any, and no rng.
   */
  env?: SimEnv;
  /** Gives trace events their time `t`, and times `honorTimeoutSeconds` (overrides `env.clock`). */
  clock?: FakeClock;
  /** Where events go (overrides `env.trace`). */
  trace?: TraceRecorder;
  /**
   * Decides `change(event, p)` for a probability strictly between 0 and 1 (Go: `rand.Float64()`).
   * Not needed for `add`/`modify`/`delete` (p = 1) or the `*DropWatch` methods (p = 0).
   */
  rng?: Rng;
  /**
   * End each watch once its `timeoutSeconds` of virtual time have passed, as the API server
   * does (default false: upstream's fake ignores `timeoutSeconds`, so watches stay open).
   */
  honorTimeoutSeconds?: boolean;
}

/** A ListerWatcher over objects held in memory (Go: `*FakeControllerSource`). */
export interface FakeControllerSource<T extends KubeObject = KubeObject> extends ListerWatcher<T> {
  readonly name: string;
  /** Adds `obj` and sends ADDED to the watches. Sets `obj.metadata.resourceVersion`. */
  add(obj: T): void;
  /** Updates `obj` (or adds it) and sends MODIFIED. Sets `obj.metadata.resourceVersion`. */
  modify(obj: T): void;
  /** Removes the object with `lastValue`'s namespace, name and uid, and sends DELETED. Sets its resourceVersion. */
  delete(lastValue: T): void;
  /** Like `add`, but "forgets" to tell the watches: only a relist (or a later watch) sees it. */
  addDropWatch(obj: T): void;
  /** Like `modify`, but the watches are not told. */
  modifyDropWatch(obj: T): void;
  /** Like `delete`, but the watches are not told. */
  deleteDropWatch(lastValue: T): void;
  /**
   * Records the change (setting the object's resourceVersion) and sends it to the watches with
   * probability `watchProbability` (1: always; 0: never; in between: needs `rng`).
   */
  change(event: { type: SourceChangeType; object: T }, watchProbability: number): void;
  /** Every object, copied, with the list's resourceVersion the number of changes so far. `options` are ignored, as upstream. */
  list(options?: ListOptions): Promise<ObjectList<T>>;
  /**
   * A watch pre-populated with every recorded change after `options.resourceVersion`. Rejects
   * with `410 Expired` "too old resource version: <rv> (<oldest>)" when the changes it needs
   * were flushed by `resetWatch`, with an error for a resourceVersion in the future, and with
   * strconv's error for one that is not an integer (`''` included).
   */
  watch(options: ListOptions): Promise<WatchInterface<T>>;
  /**
   * Simulates connection problems: ends every open watch and flushes the change log, so that a
   * watch from an older resourceVersion gets `410 Expired` (Go: `ResetWatch`).
   */
  resetWatch(): void;
  /**
   * Ends every open watch normally, keeping the change log (what a server restart or a watch
   * timeout looks like to the client). Events already sent stay readable. Returns how many ended.
   * Not upstream.
   */
  closeWatches(): number;
  /**
   * Sends every open watch an ERROR event with a `410 Expired` Status, then ends it. The message
   * defaults to the watch cache's `too old resource version: <watch's rv> (<current rv>)`.
   * Returns how many watches it ended. Not upstream.
   */
  expireWatches(message?: string): number;
  /** Ends every watch; calling any other method afterwards throws (upstream leaves the lock held). */
  shutdown(): void;
  /** The resourceVersion of the last change, `'0'` before any (Go: the unexported `lastRV`). */
  lastResourceVersion(): string;
  /** Number of open watches. */
  openWatches(): number;
}

/** Go's `nnu`: namespace, name and uid, the key of the source's items. */
function nnuKey(obj: KubeObject): string {
  const m = obj.metadata;
  return JSON.stringify([m.namespace ?? '', m.name ?? '', m.uid ?? '']);
}

/** `<namespace>/<name>` or `<name>`, for trace events. */
function displayKey(obj: KubeObject): string {
  const m = obj.metadata;
  return m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
}

/** Go's `strconv.Atoi` for the decimal strings a resourceVersion holds. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

// Upstream: client-go tools/cache/testing/fake_controller_source.go (FakeControllerSource)
export class FakeControllerSourceImpl<T extends KubeObject = KubeObject> implements FakeControllerSource<T> {
  readonly #name: string;
  readonly #clock: FakeClock;
  /** Records this source's events (nothing when the environment has no trace). */
  readonly #events: EventEmitter<SourceEventMap, { source: string }>;
  readonly #rng: Rng | undefined;
  readonly #honorTimeoutSeconds: boolean;

  /** The current objects by namespace, name and uid, in the order their keys were first added. */
  readonly #items = new Map<string, T>();
  /**
   * One change per resourceVersion since the last `resetWatch`, oldest first: `changes[i]` has
   * resourceVersion `lastRV - changes.length + 1 + i`. Each holds a copy of the object taken at
   * the change, so later edits of the caller's object do not rewrite history.
   */
  #changes: Array<{ type: SourceChangeType; object: T }> = [];
  /** The resourceVersion of the last change; 0 before any. Never decreases. */
  #lastRV = 0;
  #broadcaster = new Broadcaster<T>();
  /** The resourceVersion each open watch was started from, for `expireWatches`' message. */
  readonly #watchRV = new Map<BroadcasterWatcher<T>, number>();
  #isShutdown = false;

  constructor(cfg: FakeControllerSourceConfig = {}) {
    const env = resolveEnv(cfg);
    this.#clock = env.clock;
    this.#honorTimeoutSeconds = cfg.honorTimeoutSeconds ?? false;
    this.#name = cfg.name ?? defaultInstanceName(env.trace, 'source');
    // Without an rng of its own, a source in an environment draws from a fork named after it;
    // with neither, `change` with a probability strictly between 0 and 1 throws.
    this.#rng = cfg.rng ?? cfg.env?.rng.fork(`source/${this.name}`);
    this.#events = new EventEmitter(sourceEvents, env, { source: this.name });
  }

  /** The source's name in trace events (field `source`). */
  get name(): string {
    return this.#name;
  }

  // Upstream: FakeControllerSource.Add
  add(obj: T): void {
    this.change({ type: 'ADDED', object: obj }, 1);
  }

  // Upstream: FakeControllerSource.Modify
  modify(obj: T): void {
    this.change({ type: 'MODIFIED', object: obj }, 1);
  }

  // Upstream: FakeControllerSource.Delete
  delete(lastValue: T): void {
    this.change({ type: 'DELETED', object: lastValue }, 1);
  }

  // Upstream: FakeControllerSource.AddDropWatch
  addDropWatch(obj: T): void {
    this.change({ type: 'ADDED', object: obj }, 0);
  }

  // Upstream: FakeControllerSource.ModifyDropWatch
  modifyDropWatch(obj: T): void {
    this.change({ type: 'MODIFIED', object: obj }, 0);
  }

  // Upstream: FakeControllerSource.DeleteDropWatch
  deleteDropWatch(lastValue: T): void {
    this.change({ type: 'DELETED', object: lastValue }, 0);
  }

  // Upstream: FakeControllerSource.Change
  change(event: { type: SourceChangeType; object: T }, watchProbability: number): void {
    this.#checkOpen('change');
    const meta = metaOf(event.object);
    // Upstream panics: "this is test code only".
    if (!meta) throw new UsageError(`object has no meta: ${NOT_AN_OBJECT}`);
    if (watchProbability > 0 && watchProbability < 1 && !this.#rng) {
      throw new UsageError(`change: a watchProbability of ${watchProbability} needs the source's rng`);
    }
    this.#lastRV += 1;
    meta.resourceVersion = String(this.#lastRV);
    const object = deepCopy(event.object);
    this.#changes.push({ type: event.type, object });
    const key = nnuKey(object);
    if (event.type === 'DELETED') this.#items.delete(key);
    else this.#items.set(key, object);
    // rand.Float64() is in [0, 1): probability 1 always sends, 0 never does.
    const send = watchProbability >= 1 || (watchProbability > 0 && this.#rng!.float() < watchProbability);
    const watchers = this.#broadcaster.size;
    if (send) this.#broadcaster.action(event.type, object);
    const op = event.type === 'ADDED' ? 'add' : event.type === 'MODIFIED' ? 'modify' : 'delete';
    this.#events.emit(`source.${op}`, { key: displayKey(object), rv: String(this.#lastRV), sent: send, watchers: send ? watchers : 0 });
  }

  // Upstream: FakeControllerSource.List
  list(_options: ListOptions = {}): Promise<ObjectList<T>> {
    if (this.#isShutdown) return Promise.reject(shutdownError('list'));
    // Must make a copy to allow clients to modify the object.
    const items = [...this.#items.values()].map((obj) => deepCopy(obj));
    const resourceVersion = String(this.#lastRV);
    this.#events.emit('source.list', { rv: resourceVersion, items: items.length });
    return Promise.resolve({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion }, items });
  }

  // Upstream: FakeControllerSource.Watch
  watch(options: ListOptions): Promise<WatchInterface<T>> {
    if (this.#isShutdown) return Promise.reject(shutdownError('watch'));
    const requested = options.resourceVersion ?? '';
    let rc: number;
    try {
      rc = atoi(requested);
    } catch (err) {
      this.#events.emit('source.watch', { rv: requested, result: 'invalid', error: (err as Error).message });
      return Promise.reject(err);
    }
    let w: BroadcasterWatcher<T>;
    let replayed = 0;
    if (rc < this.#lastRV) {
      // If the change queue was flushed, the changes after rc are gone.
      if (this.#changes.length === 0) return this.#rejectExpired(requested, `too old resource version: ${rc} (${this.#lastRV})`);
      // The resourceVersion of the oldest change still recorded.
      const oldestRC = Number(this.#changes[0].object.metadata.resourceVersion);
      if (rc < oldestRC) return this.#rejectExpired(requested, `too old resource version: ${rc} (${oldestRC})`);
      // Must make a copy to allow clients to modify the object.
      const prefix = this.#changes.slice(rc - oldestRC + 1).map((c): WatchEvent<T> => ({ type: c.type, object: deepCopy(c.object) }));
      replayed = prefix.length;
      w = this.#broadcaster.watchWithPrefix(prefix);
    } else if (rc > this.#lastRV) {
      const err = new Error('resource version in the future not supported by this fake');
      this.#events.emit('source.watch', { rv: requested, result: 'future', error: err.message });
      return Promise.reject(err);
    } else {
      w = this.#broadcaster.watch();
    }
    this.#watchRV.set(w, rc);
    let timer: Timer | undefined;
    const timeoutSeconds = options.timeoutSeconds ?? 0;
    if (this.#honorTimeoutSeconds && timeoutSeconds > 0) {
      timer = this.#clock.afterFunc(timeoutSeconds * 1000, () => {
        this.#events.emit('source.watchTimeout', { rv: requested, timeoutSeconds });
        this.#endWatch(w);
      });
    }
    setWatcherOnClose(w, () => {
      timer?.stop();
      this.#watchRV.delete(w);
    });
    this.#events.emit('source.watch', { rv: requested, result: replayed > 0 ? 'replay' : 'live', replayed, watchers: this.#broadcaster.size });
    return Promise.resolve(w);
  }

  // Upstream: FakeControllerSource.ResetWatch
  resetWatch(): void {
    this.#checkOpen('resetWatch');
    const watches = this.#broadcaster.size;
    this.#broadcaster.shutdown();
    this.#broadcaster = new Broadcaster<T>();
    this.#changes = [];
    this.#events.emit('source.resetWatch', { watches, rv: String(this.#lastRV) });
  }

  closeWatches(): number {
    this.#checkOpen('closeWatches');
    const open = this.#broadcaster.list();
    for (const w of open) this.#endWatch(w);
    this.#events.emit('source.closeWatches', { watches: open.length });
    return open.length;
  }

  expireWatches(message?: string): number {
    this.#checkOpen('expireWatches');
    const open = this.#broadcaster.list();
    for (const w of open) {
      const text = message ?? `too old resource version: ${this.#watchRV.get(w) ?? 0} (${this.#lastRV})`;
      watcherSend<T>(w, { type: 'ERROR', object: statusOf(newResourceExpired(text)) } as WatchEvent<T>);
      this.#endWatch(w);
    }
    this.#events.emit('source.expireWatches', { watches: open.length, ...(message === undefined ? {} : { message }) });
    return open.length;
  }

  // Upstream: FakeControllerSource.Shutdown
  shutdown(): void {
    if (this.#isShutdown) return;
    const watches = this.#broadcaster.size;
    this.#broadcaster.shutdown();
    this.#isShutdown = true;
    this.#events.emit('source.shutdown', { watches });
  }

  lastResourceVersion(): string {
    return String(this.#lastRV);
  }

  openWatches(): number {
    return this.#broadcaster.size;
  }

  /** The server ends one watch: queued events stay readable, then the client sees the close. */
  #endWatch(w: BroadcasterWatcher<T>): void {
    this.#broadcaster.stopWatching(w.id);
  }

  #rejectExpired(requested: string, message: string): Promise<WatchInterface<T>> {
    this.#events.emit('source.watch', { rv: requested, result: 'expired', error: message });
    return Promise.reject(newResourceExpired(message));
  }

  #checkOpen(method: string): void {
    if (this.#isShutdown) throw shutdownError(method);
  }

}

/** Upstream deadlocks a call made after Shutdown (the lock stays held); the model throws this. */
function shutdownError(method: string): UsageError {
  return new UsageError(`FakeControllerSource.${method}: called after Shutdown`);
}

/** A new, empty source (Go: `NewFakeControllerSource()`). */
export function newFakeControllerSource<T extends KubeObject = KubeObject>(cfg: FakeControllerSourceConfig = {}): FakeControllerSource<T> {
  return new FakeControllerSourceImpl<T>(cfg);
}
