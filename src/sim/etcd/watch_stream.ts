/**
 * One watch stream, from the store to the client's handlers: mvcc's watchStream
 * (server/storage/mvcc/watcher.go), the server's serverWatchStream
 * (server/etcdserver/api/v3rpc/watch.go) and clientv3's watchGRPCStream (client/v3/watch.go) at
 * v3.6.0, folded into one object because one client talks to one member here.
 *
 * The store sends responses synchronously, inside the write that causes them; the stream's send
 * loop runs in a microtask after it (attaching previous key-values, as the server's sendLoop
 * does), and each watch's handler is called in order, one response at a time. So a handler never
 * runs inside `put`, and responses arrive in revision order.
 */
import type { FakeClock, Timer } from '../core/clock';
import type { Rng } from '../core/rng';
import { fromBytes } from './bytes';
import { EtcdError, MvccError, mvccErrors, rpctypes } from './errors';
import type { StoredKeyValue } from './revision';
import type { KeyValue, ResponseHeader, WatchEvent, WatchHandler, WatchResponse } from './types';
import type { FilterFunc, MvccEvent, MvccWatchResponse, WatchableStore, Watcher } from './watchable_store';

/** Upstream: client/v3/watch.go (InvalidWatchID): a progress notification for every watch. */
export const INVALID_WATCH_ID = -1;
/** Upstream: v3rpc/watch.go (progressReportInterval). */
export const DEFAULT_PROGRESS_REPORT_INTERVAL_MS = 10 * 60 * 1000;
/** Upstream: v3rpc/watch.go (minWatchProgressInterval). */
export const MIN_WATCH_PROGRESS_INTERVAL_MS = 100;

/** A watch create request, after the server normalised it (Go: etcdserverpb.WatchCreateRequest). */
export interface WatchCreateRequest {
  key: string;
  rangeEnd: string | undefined;
  startRevision: number;
  prevKv: boolean;
  progressNotify: boolean;
  createdNotify: boolean;
  filters: FilterFunc[];
}

/** What the stream tells its owner (for trace events). */
export interface WatchStreamObserver {
  created(id: number, req: WatchCreateRequest, synced: boolean): void;
  events(id: number, wr: MvccWatchResponse, fromHistory: boolean): void;
  progress(id: number, revision: number): void;
  canceled(id: number, reason: 'canceled' | 'compacted' | 'rangeEmpty', compactRevision: number): void;
  handlerError(id: number, err: unknown): void;
}

/** One watch on the stream: the server's bookkeeping and the client's substream. */
interface Substream {
  id: number;
  watcher: Watcher;
  cancelWatcher: () => void;
  handler: WatchHandler;
  prevKv: boolean;
  createdNotify: boolean;
  /** Whether a progress notification is due at the next tick (Go: serverWatchStream.progress). */
  progress: boolean | undefined;
  /** Responses waiting for the handler. */
  queue: WatchResponse[];
  running: boolean;
  closed: boolean;
}

/** A response between the store and the send loop. */
type Outgoing =
  | { kind: 'mvcc'; wr: MvccWatchResponse }
  | { kind: 'client'; id: number; resp: WatchResponse }
  | { kind: 'direct'; sub: Substream; resp: WatchResponse };

export class WatchStream {
  readonly #ws: WatchableStore;
  readonly #clock: FakeClock;
  readonly #header: (rev: number) => ResponseHeader;
  readonly #observer: WatchStreamObserver;
  readonly #subs = new Map<number, Substream>();
  #nextID = 0;
  /** Responses the send loop has not handled yet (Go: the stream's channel). */
  #outbox: Outgoing[] = [];
  #draining = false;
  /** The progress ticker: when the stream started, its period, the armed timer. */
  readonly #streamStartMs: number;
  readonly #progressIntervalMs: number;
  #progressTimer: Timer | undefined;

  constructor(ws: WatchableStore, clock: FakeClock, rng: Rng, progressIntervalMs: number, header: (rev: number) => ResponseHeader, observer: WatchStreamObserver) {
    this.#ws = ws;
    this.#clock = clock;
    this.#header = header;
    this.#observer = observer;
    this.#streamStartMs = clock.now();
    // Upstream: GetProgressReportInterval adds rand(interval/10) as jitter (ns there, ms here).
    const jitter = Math.floor(progressIntervalMs / 10) >= 1 ? rng.int(Math.min(Math.floor(progressIntervalMs / 10), 0x100000000)) : 0;
    this.#progressIntervalMs = progressIntervalMs + jitter;
  }

  /** The progress ticker's period in ms, jitter included. */
  get progressIntervalMs(): number {
    return this.#progressIntervalMs;
  }

  /**
   * Creates a watch (Go: the create request in recvLoop, then watchStream.Watch). Returns its ID,
   * or -1 when the server refused it (the handler then receives the cancelled response).
   */
  // Upstream: v3rpc/watch.go (serverWatchStream.recvLoop, WatchRequest_CreateRequest)
  watch(req: WatchCreateRequest, handler: WatchHandler): { id: number; cancel: () => void } {
    const wsrev = this.#ws.rev();
    // prevent wrong range where key >= end lexicographically; 'WithFromKey' has an empty end
    if (req.rangeEnd !== undefined && req.rangeEnd.length !== 0 && !(req.key < req.rangeEnd)) {
      // clientv3 closes the substream with the reason as its error (addSubstream).
      const resp: WatchResponse = {
        header: { clusterId: 0, memberId: 0, revision: 0, raftTerm: 0 },
        watchId: INVALID_WATCH_ID,
        events: [],
        compactRevision: 0,
        canceled: true,
        created: false,
        cancelReason: mvccErrors.ErrEmptyWatcherRange,
        progressNotify: false,
        err: new Error(mvccErrors.ErrEmptyWatcherRange),
      };
      this.#observer.canceled(INVALID_WATCH_ID, 'rangeEmpty', 0);
      const sub = newSubstream(INVALID_WATCH_ID, undefined, () => {}, handler, req);
      this.#outbox.push({ kind: 'direct', sub, resp });
      this.#scheduleDrain();
      return { id: INVALID_WATCH_ID, cancel: () => {} };
    }
    while (this.#subs.has(this.#nextID)) this.#nextID++;
    const id = this.#nextID++;
    const rev = req.startRevision === 0 ? wsrev + 1 : req.startRevision;
    const { watcher, cancel, synced } = this.#ws.watch(req.key, req.rangeEnd, rev, id, (wr) => this.#post(wr), req.filters);
    const sub = newSubstream(id, watcher, cancel, handler, req);
    this.#subs.set(id, sub);
    this.#observer.created(id, req, synced);
    if (req.createdNotify) {
      const resp = this.#clientResponse(this.#header(wsrev), id, [], 0);
      resp.created = true;
      resp.progressNotify = false;
      this.#outbox.push({ kind: 'client', id, resp });
      this.#scheduleDrain();
    }
    if (sub.progress !== undefined) this.#armProgress();
    return { id, cancel: () => this.cancel(id) };
  }

  /** Cancels watch `id` (Go: the client cancels its context; the server's Cancel). */
  // Upstream: v3rpc/watch.go (WatchRequest_CancelRequest), mvcc watchStream.Cancel
  cancel(id: number): void {
    const sub = this.#subs.get(id);
    if (sub === undefined) return;
    this.#close(sub);
    this.#observer.canceled(id, 'canceled', 0);
  }

  /**
   * Asks for a progress notification on every watch; sent (with watch ID -1, to every handler)
   * only if all of them are synced.
   */
  // Upstream: mvcc watchStream.RequestProgressAll, watchableStore.progressAll
  requestProgress(): boolean {
    const watchers = [...this.#subs.values()].map((s) => s.watcher);
    return this.#ws.progressIfSync(watchers, INVALID_WATCH_ID);
  }

  /** The watches, for snapshots. */
  watchers(): Array<{ id: number; watcher: Watcher; synced: boolean }> {
    return [...this.#subs.values()].map((s) => ({ id: s.id, watcher: s.watcher, synced: this.#ws.synced.has(s.watcher) }));
  }

  /** Virtual time of the next progress tick, if one is armed. */
  nextProgressAtMs(): number | undefined {
    return this.#progressTimer === undefined ? undefined : this.#nextProgressTick();
  }

  /** A response from the store, inside the write (or sync) that made it. */
  #post(wr: MvccWatchResponse): void {
    // notify() runs before the revision moves; a sync from the history sends the current one.
    const fromHistory = wr.revision !== this.#ws.rev() + 1;
    if (wr.watchId !== INVALID_WATCH_ID) {
      const sub = this.#subs.get(wr.watchId);
      if (sub === undefined) return;
      // elide next progress update if sent a key update
      if (wr.events.length > 0 && sub.progress !== undefined) sub.progress = false;
    }
    if (wr.compactRevision !== 0) this.#observer.canceled(wr.watchId, 'compacted', wr.compactRevision);
    else if (wr.events.length > 0) this.#observer.events(wr.watchId, wr, fromHistory);
    else this.#observer.progress(wr.watchId, wr.revision);
    this.#outbox.push({ kind: 'mvcc', wr });
    this.#scheduleDrain();
  }

  #scheduleDrain(): void {
    if (this.#draining) return;
    this.#draining = true;
    void Promise.resolve().then(() => this.#drain());
  }

  /** The send loop: turns store responses into client responses and hands them on. */
  // Upstream: v3rpc/watch.go (serverWatchStream.sendLoop), client/v3/watch.go (dispatchEvent)
  #drain(): void {
    this.#draining = false;
    const out = this.#outbox;
    this.#outbox = [];
    for (const item of out) {
      if (item.kind === 'direct') {
        this.#deliver(item.sub, item.resp);
        continue;
      }
      if (item.kind === 'client') {
        const sub = this.#subs.get(item.id);
        if (sub !== undefined && !sub.closed) this.#deliver(sub, item.resp);
        continue;
      }
      const wr = item.wr;
      if (wr.watchId === INVALID_WATCH_ID) {
        // Progress notifications can have WatchID -1: the client broadcasts them.
        for (const sub of [...this.#subs.values()]) {
          if (sub.closed) continue;
          this.#deliver(sub, this.#clientResponse(this.#header(wr.revision), INVALID_WATCH_ID, [], 0));
        }
        continue;
      }
      const sub = this.#subs.get(wr.watchId);
      if (sub === undefined || sub.closed) continue;
      const events = wr.events.map((ev) => this.#clientEvent(ev, sub.prevKv));
      const header = this.#header(wr.revision);
      const resp = this.#clientResponse(header, wr.watchId, events, wr.compactRevision);
      this.#deliver(sub, resp);
      if (wr.compactRevision !== 0) {
        // The client closes the watch after the compacted response (still delivered) and
        // cancels it on the server.
        this.#subs.delete(sub.id);
        sub.cancelWatcher();
        this.#disarmProgressIfIdle();
      }
    }
  }

  #clientResponse(header: ResponseHeader, watchId: number, events: WatchEvent[], compactRevision: number): WatchResponse {
    const canceled = compactRevision !== 0;
    const resp: WatchResponse = {
      header,
      watchId,
      events,
      compactRevision,
      canceled,
      created: false,
      cancelReason: '',
      // Upstream: client/v3/watch.go (WatchResponse.IsProgressNotify)
      progressNotify: events.length === 0 && !canceled && compactRevision === 0 && header.revision !== 0,
    };
    // Upstream: client/v3/watch.go (WatchResponse.Err)
    if (compactRevision !== 0) resp.err = new EtcdError(rpctypes.ErrCompacted);
    return resp;
  }

  /** A store event as the client sees it, with the previous key-value when asked for. */
  #clientEvent(ev: MvccEvent, withPrevKv: boolean): WatchEvent {
    const out: WatchEvent = { type: ev.type, kv: toClientKV(ev.kv) };
    // Upstream: sendLoop reads the key at modRevision - 1 unless the event created the key.
    if (withPrevKv && !(ev.type === 'PUT' && ev.kv.createRevision === ev.kv.modRevision)) {
      try {
        const r = this.#ws.store.range(ev.kv.key, undefined, { rev: ev.kv.modRevision - 1 });
        if (r.kvs.length !== 0) out.prevKv = toClientKV(r.kvs[0]);
      } catch (err) {
        if (!(err instanceof MvccError)) throw err;
      }
    }
    return out;
  }

  #deliver(sub: Substream, resp: WatchResponse): void {
    sub.queue.push(resp);
    this.#pump(sub);
  }

  /** Calls the handler for each queued response in order, waiting for any promise it returns. */
  #pump(sub: Substream): void {
    if (sub.running) return;
    sub.running = true;
    void (async () => {
      while (sub.queue.length > 0) {
        if (sub.closed) break;
        const resp = sub.queue.shift()!;
        try {
          const r = sub.handler(resp);
          if (r !== undefined && typeof (r as Promise<void>).then === 'function') await r;
        } catch (err) {
          this.#observer.handlerError(sub.id, err);
        }
      }
      sub.running = false;
    })();
  }

  #close(sub: Substream): void {
    sub.closed = true;
    sub.queue.length = 0;
    this.#subs.delete(sub.id);
    sub.cancelWatcher();
    this.#disarmProgressIfIdle();
  }

  /** The ticker's next tick after now. */
  #nextProgressTick(): number {
    const start = this.#streamStartMs;
    const period = this.#progressIntervalMs;
    return start + (Math.floor((this.#clock.now() - start) / period) + 1) * period;
  }

  #armProgress(): void {
    if (this.#progressTimer !== undefined) return;
    this.#progressTimer = this.#clock.afterAt(this.#nextProgressTick(), () => this.#progressTick());
  }

  #disarmProgressIfIdle(): void {
    for (const sub of this.#subs.values()) if (sub.progress !== undefined) return;
    this.#progressTimer?.stop();
    this.#progressTimer = undefined;
  }

  /** Sends a progress notification to each progress-notify watch that got no events since the last tick. */
  // Upstream: v3rpc/watch.go (sendLoop's progressTicker case)
  #progressTick(): void {
    this.#progressTimer = undefined;
    for (const sub of [...this.#subs.values()].sort((a, b) => a.id - b.id)) {
      if (sub.progress === undefined) continue;
      if (sub.progress) this.#ws.progress(sub.watcher);
      sub.progress = true;
    }
    this.#disarmProgressIfIdle();
    if ([...this.#subs.values()].some((s) => s.progress !== undefined)) this.#armProgress();
  }
}

function newSubstream(id: number, watcher: Watcher | undefined, cancelWatcher: () => void, handler: WatchHandler, req: WatchCreateRequest): Substream {
  return {
    id,
    watcher: watcher!,
    cancelWatcher,
    handler,
    prevKv: req.prevKv,
    createdNotify: req.createdNotify,
    progress: req.progressNotify && watcher !== undefined ? true : undefined,
    queue: [],
    running: false,
    closed: false,
  };
}

/** A stored key-value as a client gets it: a fresh object with the key decoded. */
export function toClientKV(kv: StoredKeyValue): KeyValue {
  return { key: fromBytes(kv.key), createRevision: kv.createRevision, modRevision: kv.modRevision, version: kv.version, value: kv.value, lease: kv.lease };
}
