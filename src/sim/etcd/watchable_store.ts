/**
 * Watchers over the store (server/storage/mvcc/watchable_store.go, watcher_group.go and
 * watcher.go at v3.6.0).
 *
 * A watcher is *synced* when it has seen every revision up to the store's: each committed write
 * txn then sends it the txn's events at once (`notify`). A watcher that starts at an older
 * revision is *unsynced*: the sync loop, every 100 ms, reads the history from the smallest
 * revision its unsynced watchers need up to the current one, sends each watcher its events (at
 * most 1000 revisions at a time) and moves it to the synced group; a watcher whose revision was
 * compacted away gets a response carrying the compaction revision instead, and is dropped.
 *
 * Invariants: a watcher is in at most one group; a synced watcher's `minRev` is above the
 * store's revision; an unsynced watcher's `minRev` is at or below it.
 */
import type { FakeClock, Timer } from '../core/clock';
import type { KVStore } from './kvstore';
import type { Row, StoredKeyValue } from './revision';

/** Upstream: watchable_store.go (syncWatchersLoop's waitDuration). */
export const SYNC_WATCHERS_INTERVAL_MS = 100;
/** Upstream: watchable_store.go (maxWatchersPerSync). */
export const MAX_WATCHERS_PER_SYNC = 512;
/** Upstream: watcher_group.go (watchBatchMaxRevs): revisions per response to an unsynced watcher. */
export const WATCH_BATCH_MAX_REVS = 1000;

/** An event of the store (Go: mvccpb.Event). */
export interface MvccEvent {
  type: 'PUT' | 'DELETE';
  kv: StoredKeyValue;
}

/** What the store sends a watcher (Go: mvcc.WatchResponse). */
export interface MvccWatchResponse {
  watchId: number;
  events: MvccEvent[];
  /** The store revision the response brings the watcher to. */
  revision: number;
  /** Set when the watcher was dropped because its revision was compacted. */
  compactRevision: number;
}

/** Returns true when the event must not be sent (Go: mvcc.FilterFunc). */
export type FilterFunc = (e: MvccEvent) => boolean;

/** Go: mvcc's watcher. */
export class Watcher {
  /** Set when the watcher was dropped because of compaction. */
  compacted = false;
  /** Set once cancelled (Go: `wa.ch = nil`). */
  canceled = false;

  constructor(
    /** The key (byte string). */
    readonly key: string,
    /** The range end: undefined for one key, '' for every key from `key` on. */
    readonly end: string | undefined,
    /** The smallest revision the watcher still accepts. */
    public minRev: number,
    readonly id: number,
    /** Order among all watchers of the store (Go iterates maps at random; we do not). */
    readonly seq: number,
    readonly fcs: readonly FilterFunc[],
    /** Where responses go (Go: the stream's channel; it never blocks here). */
    readonly ch: (wr: MvccWatchResponse) => void,
  ) {}

  /** Whether `key` (a byte string) is watched. */
  matches(key: string): boolean {
    if (this.end === undefined) return key === this.key;
    return key >= this.key && (this.end === '' || key < this.end);
  }

  /** Sends `wr` after filtering; an event response whose events are all filtered is dropped. */
  // Upstream: watcher.send
  send(wr: MvccWatchResponse): void {
    const progressEvent = wr.events.length === 0;
    if (this.fcs.length !== 0) wr = { ...wr, events: wr.events.filter((ev) => !this.fcs.some((f) => f(ev))) };
    // if all events are filtered out, we should send nothing.
    if (!progressEvent && wr.events.length === 0) return;
    this.ch(wr);
  }
}

/** Events per watcher for one round of sending (Go: eventBatch). */
class EventBatch {
  constructor(readonly maxRevs: number) {}
  evs: MvccEvent[] = [];
  /** Distinct revisions in `evs`. */
  revs = 0;
  /** The first revision left out because the batch is full (0: none). */
  moreRev = 0;

  // Upstream: eventBatch.add
  add(ev: MvccEvent): void {
    if (this.revs > this.maxRevs) return; // maxed out batch size
    if (this.evs.length === 0) {
      this.revs = 1;
      this.evs.push(ev);
      return;
    }
    const ebRev = this.evs[this.evs.length - 1].kv.modRevision;
    const evRev = ev.kv.modRevision;
    if (evRev > ebRev) {
      this.revs++;
      if (this.revs > this.maxRevs) {
        this.moreRev = evRev;
        return;
      }
    }
    this.evs.push(ev);
  }
}

/** Watchers to their events, in watcher order (Go: watcherBatch, a map). */
// Upstream: watcher_group.go (newWatcherBatch)
function newWatcherBatch(wg: WatcherGroup, evs: readonly MvccEvent[], maxRevs: number): Map<Watcher, EventBatch> {
  const wb = new Map<Watcher, EventBatch>();
  if (wg.size() === 0) return wb;
  for (const ev of evs) {
    for (const w of wg.watcherSetByKey(ev.kv.key)) {
      // don't double notify
      if (ev.kv.modRevision < w.minRev) continue;
      let eb = wb.get(w);
      if (eb === undefined) wb.set(w, (eb = new EventBatch(maxRevs)));
      eb.add(ev);
    }
  }
  return new Map([...wb].sort((a, b) => a[0].seq - b[0].seq));
}

/** A set of watchers, found by key (Go: watcherGroup; ranges are scanned, not in an interval tree). */
// Upstream: watcher_group.go (watcherGroup)
export class WatcherGroup {
  /** Watchers of one key, by key. */
  readonly #keyWatchers = new Map<string, Set<Watcher>>();
  /** Watchers of a range. */
  readonly #ranges = new Set<Watcher>();
  /** Every watcher of the group. */
  readonly watchers = new Set<Watcher>();

  add(w: Watcher): void {
    if (this.watchers.has(w)) throw new Error('add watcher twice!');
    this.watchers.add(w);
    if (w.end === undefined) {
      let set = this.#keyWatchers.get(w.key);
      if (set === undefined) this.#keyWatchers.set(w.key, (set = new Set()));
      set.add(w);
      return;
    }
    this.#ranges.add(w);
  }

  /** Removes `w`; false if it was not in the group. */
  delete(w: Watcher): boolean {
    if (!this.watchers.delete(w)) return false;
    if (w.end === undefined) {
      const set = this.#keyWatchers.get(w.key);
      set?.delete(w);
      if (set?.size === 0) this.#keyWatchers.delete(w.key);
      return true;
    }
    this.#ranges.delete(w);
    return true;
  }

  has(w: Watcher): boolean {
    return this.watchers.has(w);
  }

  size(): number {
    return this.watchers.size;
  }

  /** The watchers that receive events on `key`, in watcher order. */
  // Upstream: watcherGroup.watcherSetByKey
  watcherSetByKey(key: string): Watcher[] {
    const out: Watcher[] = [];
    const keyed = this.#keyWatchers.get(key);
    if (keyed !== undefined) for (const w of keyed) out.push(w);
    for (const w of this.#ranges) if (w.matches(key)) out.push(w);
    return out.length > 1 ? out.sort((a, b) => a.seq - b.seq) : out;
  }
}

// Upstream: server/storage/mvcc/watchable_store.go (watchableStore)
export class WatchableStore {
  readonly store: KVStore;
  readonly #clock: FakeClock;
  /** Watchers that have seen every revision up to the store's. */
  readonly synced = new WatcherGroup();
  /** Watchers that still need events from the history. */
  readonly unsynced = new WatcherGroup();
  #seq = 0;
  /** When the sync loop started: its ticks are at start + k * 100 ms. */
  readonly #loopStartMs: number;
  #syncTimer: Timer | undefined;
  #syncAtMs = Infinity;
  /** Go: watchBatchMaxRevs and maxWatchersPerSync, package variables tests change. */
  readonly #watchBatchMaxRevs: number;
  readonly #maxWatchersPerSync: number;

  constructor(store: KVStore, clock: FakeClock, opts: { watchBatchMaxRevs?: number; maxWatchersPerSync?: number } = {}) {
    this.store = store;
    this.#clock = clock;
    this.#watchBatchMaxRevs = opts.watchBatchMaxRevs ?? WATCH_BATCH_MAX_REVS;
    this.#maxWatchersPerSync = opts.maxWatchersPerSync ?? MAX_WATCHERS_PER_SYNC;
    this.#loopStartMs = clock.now();
    store.addCommitHook((rev, changes) => this.#notifyChanges(rev, changes));
  }

  /**
   * Adds a watcher of `[key, end)` from `startRev`: synced when `startRev` is 0 or after the
   * store's revision, unsynced otherwise (the sync loop then catches it up).
   */
  // Upstream: watchableStore.watch
  watch(key: string, end: string | undefined, startRev: number, id: number, ch: (wr: MvccWatchResponse) => void, fcs: readonly FilterFunc[] = []): { watcher: Watcher; cancel: () => void; synced: boolean } {
    const wa = new Watcher(key, end, startRev, id, this.#seq++, fcs, ch);
    const currentRev = this.store.currentRev;
    const synced = startRev > currentRev || startRev === 0;
    if (synced) {
      wa.minRev = currentRev + 1;
      if (startRev > wa.minRev) wa.minRev = startRev;
      this.synced.add(wa);
    } else {
      this.unsynced.add(wa);
      this.#armSync();
    }
    return { watcher: wa, cancel: () => this.#cancelWatcher(wa), synced };
  }

  /** The store's revision (Go: watchableStore.rev). */
  rev(): number {
    return this.store.rev();
  }

  /** Sends `w` a progress notification if it is synced (Go: watchableStore.progress). */
  progress(w: Watcher): void {
    this.progressIfSync([w], w.id);
  }

  /**
   * If every watcher in `watchers` is synced, sends one progress notification (with
   * `responseWatchId`) through the first of them and returns true.
   */
  // Upstream: watchableStore.progressIfSync
  progressIfSync(watchers: readonly Watcher[], responseWatchId: number): boolean {
    for (const w of watchers) if (!this.synced.has(w)) return false;
    // If all watchers are synchronised, send out progress notification on first watcher.
    const first = watchers[0];
    if (first !== undefined) first.send({ watchId: responseWatchId, events: [], revision: this.rev(), compactRevision: 0 });
    return true;
  }

  /** Virtual time of the next sync of unsynced watchers, if one is armed. */
  nextSyncAtMs(): number | undefined {
    return this.#syncTimer === undefined ? undefined : this.#syncAtMs;
  }

  // Upstream: watchableStore.cancelWatcher
  #cancelWatcher(wa: Watcher): void {
    if (wa.canceled) return;
    if (!this.unsynced.delete(wa)) this.synced.delete(wa);
    wa.canceled = true;
    if (this.unsynced.size() === 0) this.#disarmSync();
  }

  /** Turns a committed txn's rows into events and notifies the synced watchers. */
  // Upstream: watchable_store_txn.go (watchableStoreTxnWrite.End)
  #notifyChanges(rev: number, changes: readonly Row[]): void {
    if (this.synced.size() === 0) return;
    const evs: MvccEvent[] = changes.map((row) => ({ type: row.tombstone ? 'DELETE' : 'PUT', kv: row.kv }));
    this.notify(rev, evs);
  }

  /** Sends the events of revision `rev` to the synced watchers of their keys. */
  // Upstream: watchableStore.notify
  notify(rev: number, evs: readonly MvccEvent[]): void {
    for (const [w, eb] of newWatcherBatch(this.synced, evs, this.#watchBatchMaxRevs)) {
      if (eb.revs !== 1) throw new Error(`unexpected multiple revisions in watch notification (${eb.revs})`);
      w.send({ watchId: w.id, events: eb.evs, revision: rev, compactRevision: 0 });
      // always update minRev
      w.minRev = rev + 1;
    }
  }

  /**
   * One round of the sync loop: catches up to 512 unsynced watchers. Returns how many watchers
   * are still unsynced.
   */
  // Upstream: watchableStore.syncWatchers
  syncWatchers(): number {
    if (this.unsynced.size() === 0) return 0;
    const curRev = this.store.currentRev;
    const compactionRev = this.store.compactMainRev;
    const [wg, minRev] = this.#choose(this.#maxWatchersPerSync, curRev, compactionRev);
    const evs: MvccEvent[] = this.store.rowsBetween(minRev, curRev + 1).map((row) => ({ type: row.tombstone ? 'DELETE' : 'PUT', kv: row.kv }));
    const wb = newWatcherBatch(wg, evs, this.#watchBatchMaxRevs);
    for (const w of [...wg.watchers].sort((a, b) => a.seq - b.seq)) {
      if (w.minRev < compactionRev) continue; // its compacted response could not be sent
      w.minRev = curRev + 1;
      const eb = wb.get(w);
      if (eb === undefined) {
        // bring un-notified watcher to synced
        this.synced.add(w);
        this.unsynced.delete(w);
        continue;
      }
      if (eb.moreRev !== 0) w.minRev = eb.moreRev;
      w.send({ watchId: w.id, events: eb.evs, revision: curRev, compactRevision: 0 });
      // stay unsynced; more to read
      if (eb.moreRev !== 0) continue;
      this.synced.add(w);
      this.unsynced.delete(w);
    }
    return this.unsynced.size();
  }

  /** Picks up to `maxWatchers` unsynced watchers and the least revision they need. */
  // Upstream: watcherGroup.choose
  #choose(maxWatchers: number, curRev: number, compactRev: number): [WatcherGroup, number] {
    const ordered = [...this.unsynced.watchers].sort((a, b) => a.seq - b.seq);
    if (ordered.length < maxWatchers) return [this.unsynced, this.#chooseAll(this.unsynced, ordered, curRev, compactRev)];
    const ret = new WatcherGroup();
    for (const w of ordered.slice(0, maxWatchers)) ret.add(w);
    return [ret, this.#chooseAll(ret, ordered.slice(0, maxWatchers), curRev, compactRev)];
  }

  /** The least `minRev` of `wg`; drops (with a compacted response) the watchers below `compactRev`. */
  // Upstream: watcherGroup.chooseAll
  #chooseAll(wg: WatcherGroup, ordered: readonly Watcher[], curRev: number, compactRev: number): number {
    let minRev = Number.MAX_SAFE_INTEGER;
    for (const w of ordered) {
      if (w.minRev > curRev) throw new Error(`watcher minimum revision ${w.minRev} should not exceed current revision ${curRev}`);
      if (w.minRev < compactRev) {
        w.compacted = true;
        wg.delete(w);
        if (wg !== this.unsynced) this.unsynced.delete(w);
        w.ch({ watchId: w.id, events: [], revision: 0, compactRevision: compactRev });
        continue;
      }
      if (minRev > w.minRev) minRev = w.minRev;
    }
    return minRev;
  }

  /** The loop's tick: syncs until nothing is left or a round makes no progress. */
  // Upstream: watchableStore.syncWatchersLoop
  #syncTick(): void {
    this.#syncTimer = undefined;
    for (;;) {
      const last = this.unsynced.size();
      if (last === 0) break;
      const left = this.syncWatchers();
      // more work pending? Upstream waits only as long as the round took (no virtual time).
      if (!(left !== 0 && last > left)) break;
    }
    this.#armSync();
  }

  #armSync(): void {
    if (this.#syncTimer !== undefined || this.unsynced.size() === 0) return;
    this.#syncAtMs = this.#nextGridAfter(this.#clock.now());
    this.#syncTimer = this.#clock.afterAt(this.#syncAtMs, () => this.#syncTick());
  }

  #disarmSync(): void {
    this.#syncTimer?.stop();
    this.#syncTimer = undefined;
  }

  /** The first tick of the 100 ms grid strictly after `t`. */
  #nextGridAfter(t: number): number {
    const start = this.#loopStartMs;
    return start + (Math.floor((t - start) / SYNC_WATCHERS_INTERVAL_MS) + 1) * SYNC_WATCHERS_INTERVAL_MS;
  }
}
