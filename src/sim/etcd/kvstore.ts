/**
 * The multi-version key-value store of one etcd member: server/storage/mvcc at v3.6.0
 * (kvstore.go, kvstore_txn.go, kvstore_compaction.go). Every write transaction that changes
 * something gets the next revision; its changes are rows `{main: revision, sub: 0, 1, ...}`.
 * Reads see the store at any revision from the last compaction on.
 *
 * Invariants:
 * - `currentRev` is the revision of the last write txn that changed something (1 in a new store:
 *   revision 1 is the empty store).
 * - `#rows` holds every row not yet compacted away, ordered by `{main, sub}`; each row's key
 *   index holds it too.
 * - `compactMainRev` (-1 before the first compaction) is at most `currentRev`; reads below it fail.
 */
import { MvccError, mvccErrors } from './errors';
import { TreeIndex } from './index_tree';
import type { KeyIndex } from './key_index';
import type { Row, StoredKeyValue } from './revision';

/** The lease bookkeeping the store needs (Go: lease.Lessor's GetLease, Attach, Detach). */
export interface StoreLessor {
  getLease(key: string): number;
  attach(id: number, key: string): void;
  detach(id: number, key: string): void;
}

/** Go: mvcc.RangeOptions. */
export interface RangeOptions {
  /** At most this many kvs (all when <= 0). */
  limit?: number;
  /** The revision to read at (the txn's revision when <= 0). */
  rev?: number;
  /** Count only, return no kvs. */
  count?: boolean;
}

/** Go: mvcc.RangeResult. `kvs` are the stored objects: copy them before handing them out. */
export interface RangeResult {
  kvs: StoredKeyValue[];
  rev: number;
  count: number;
}

/** A read view at a fixed revision (Go: mvcc.ReadView / TxnRead). */
export interface TxnRead {
  /** The compaction revision when the txn opened. */
  firstRev(): number;
  /** The store revision when the txn opened. */
  rev(): number;
  range(key: string, end: string | undefined, ro?: RangeOptions): RangeResult;
  end(): void;
}

/** A write txn (Go: mvcc.TxnWrite). All its changes share one revision, `rev() + 1`. */
export interface TxnWrite extends TxnRead {
  put(key: string, value: string, lease: number): number;
  deleteRange(key: string, end: string | undefined): [n: number, rev: number];
  changes(): readonly Row[];
}

/** Called when a write txn with changes ends, before the revision moves (the watch hook). */
export type CommitHook = (rev: number, changes: readonly Row[]) => void;

// Upstream: server/storage/mvcc/kvstore.go (store)
export class KVStore {
  /** The revision of the last completed write txn. */
  #currentRev = 1;
  /** The main revision of the last compaction (-1: never compacted). */
  #compactMainRev = -1;
  readonly #kvindex = new TreeIndex();
  /** The backend's key bucket: every row not compacted away, in revision order. */
  #rows: Row[] = [];
  #le: StoreLessor | undefined;
  readonly #onCommit: CommitHook[] = [];

  constructor(le?: StoreLessor) {
    this.#le = le;
  }

  /** Sets the lessor (Go: NewStore's `le`; the server wires it after building both). */
  setLessor(le: StoreLessor): void {
    this.#le = le;
  }

  /** Adds a hook told of every committed change set, in the order hooks were added. */
  addCommitHook(hook: CommitHook): void {
    this.#onCommit.push(hook);
  }

  get currentRev(): number {
    return this.#currentRev;
  }

  get compactMainRev(): number {
    return this.#compactMainRev;
  }

  /** The store revision (Go: store.Rev via its ReadView). */
  rev(): number {
    return this.#currentRev;
  }

  /** Every key index, in key order (snapshots). */
  keyIndexes(): KeyIndex[] {
    return this.#kvindex.all();
  }

  /** Number of rows in the backend (for snapshots and the compaction event). */
  get rowCount(): number {
    return this.#rows.length;
  }

  // Upstream: kvstore_txn.go (store.Read)
  read(): TxnRead {
    const firstRev = this.#compactMainRev;
    const rev = this.#currentRev;
    return {
      firstRev: () => firstRev,
      rev: () => rev,
      range: (key, end, ro = {}) => this.#rangeKeys(key, end, rev, ro),
      end: () => {},
    };
  }

  // Upstream: kvstore_txn.go (store.Write, storeTxnWrite)
  write(): TxnWrite {
    const beginRev = this.#currentRev;
    const changes: Row[] = [];
    let ended = false;
    const txn: TxnWrite = {
      firstRev: () => 0,
      rev: () => beginRev,
      // Upstream: storeTxnWrite.Range — sees its own changes once it has made some.
      range: (key, end, ro = {}) => this.#rangeKeys(key, end, changes.length > 0 ? beginRev + 1 : beginRev, ro),
      // Upstream: storeTxnWrite.Put
      put: (key, value, lease) => {
        this.#put(beginRev, changes, key, value, lease);
        return beginRev + 1;
      },
      // Upstream: storeTxnWrite.DeleteRange
      deleteRange: (key, end) => {
        const n = this.#deleteRange(beginRev, changes, key, end);
        if (n !== 0 || changes.length > 0) return [n, beginRev + 1];
        return [0, beginRev];
      },
      changes: () => changes,
      // Upstream: storeTxnWrite.End (and watchableStoreTxnWrite.End, which notifies first)
      end: () => {
        if (ended) return;
        ended = true;
        // only update index if the txn modifies the mvcc state.
        if (changes.length === 0) return;
        for (const hook of this.#onCommit) hook(beginRev + 1, changes);
        this.#currentRev++;
      },
    };
    return txn;
  }

  /** Range in a read txn of its own (Go: store's ReadView.Range). */
  range(key: string, end: string | undefined, ro: RangeOptions = {}): RangeResult {
    const txn = this.read();
    try {
      return txn.range(key, end, ro);
    } finally {
      txn.end();
    }
  }

  /** Put in a write txn of its own; returns the new revision (Go: store's WriteView.Put). */
  put(key: string, value: string, lease = 0): number {
    const txn = this.write();
    const rev = txn.put(key, value, lease);
    txn.end();
    return rev;
  }

  /** DeleteRange in a write txn of its own (Go: store's WriteView.DeleteRange). */
  deleteRange(key: string, end: string | undefined): [n: number, rev: number] {
    const txn = this.write();
    const out = txn.deleteRange(key, end);
    txn.end();
    return out;
  }

  /**
   * Compacts the store at `rev`: reads below `rev` fail from now on, and every row at or below
   * `rev` goes except each key's latest (a tombstone at exactly `rev` stays until a later
   * compaction). Returns the previous compaction revision and how many rows went.
   * Throws `ErrCompacted` for `rev <= compactMainRev`, `ErrFutureRev` for `rev > currentRev`.
   */
  // Upstream: kvstore.go (store.Compact, updateCompactRev), kvstore_compaction.go (scheduleCompaction)
  compact(rev: number): { prevCompactRev: number; removed: number } {
    if (rev <= this.#compactMainRev) throw new MvccError(mvccErrors.ErrCompacted);
    if (rev > this.#currentRev) throw new MvccError(mvccErrors.ErrFutureRev);
    const prevCompactRev = this.#compactMainRev;
    this.#compactMainRev = rev;
    const keep = this.#kvindex.compact(rev);
    // Rows are ordered by revision: those above `rev` all stay.
    const cut = this.#firstRowAtOrAfter(rev + 1);
    const kept: Row[] = [];
    for (let i = 0; i < cut; i++) if (keep.has(this.#rows[i])) kept.push(this.#rows[i]);
    const removed = cut - kept.length;
    this.#rows = cut === this.#rows.length ? kept : kept.concat(this.#rows.slice(cut));
    return { prevCompactRev, removed };
  }

  /** The rows with `minRev <= main < maxRev`, in revision order (Go: rangeEvents' backend read). */
  // Upstream: watchable_store.go (rangeEvents)
  rowsBetween(minRev: number, maxRev: number): Row[] {
    const out: Row[] = [];
    for (let i = this.#firstRowAtOrAfter(minRev); i < this.#rows.length; i++) {
      const row = this.#rows[i];
      if (row.main >= maxRev) break;
      out.push(row);
    }
    return out;
  }

  /** Index of the first row whose main revision is at least `main`. */
  #firstRowAtOrAfter(main: number): number {
    const rows = this.#rows;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows[mid].main < main) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // Upstream: kvstore_txn.go (storeTxnCommon.rangeKeys)
  #rangeKeys(key: string, end: string | undefined, curRev: number, ro: RangeOptions): RangeResult {
    let rev = ro.rev ?? 0;
    if (rev > curRev) throw new MvccError(mvccErrors.ErrFutureRev);
    if (rev <= 0) rev = curRev;
    if (rev < this.#compactMainRev) throw new MvccError(mvccErrors.ErrCompacted);
    if (ro.count) return { kvs: [], count: this.#kvindex.countRevisions(key, end, rev), rev: curRev };
    const limitOpt = ro.limit ?? 0;
    const { revs, total } = this.#kvindex.revisions(key, end, rev, limitOpt);
    if (revs.length === 0) return { kvs: [], count: total, rev: curRev };
    const limit = limitOpt <= 0 || limitOpt > revs.length ? revs.length : limitOpt;
    const kvs: StoredKeyValue[] = new Array(limit);
    for (let i = 0; i < limit; i++) kvs[i] = revs[i].kv;
    return { kvs, count: total, rev: curRev };
  }

  // Upstream: kvstore_txn.go (storeTxnWrite.put)
  #put(beginRev: number, changes: Row[], key: string, value: string, leaseID: number): void {
    const rev = beginRev + 1;
    let c = rev;
    let oldLease = 0;
    let ver = 0;
    // if the key exists before, use its previous created and get its previous leaseID
    const got = this.#kvindex.get(key, rev);
    if (got !== undefined) {
      c = got.created.main;
      ver = got.ver;
      oldLease = this.#le?.getLease(key) ?? 0;
    }
    ver = ver + 1;
    const row: Row = {
      main: rev,
      sub: changes.length,
      tombstone: false,
      kv: { key, value, createRevision: c, modRevision: rev, version: ver, lease: leaseID },
    };
    this.#rows.push(row);
    this.#kvindex.put(key, row);
    changes.push(row);
    if (oldLease === leaseID || this.#le === undefined) return;
    if (oldLease !== 0) this.#le.detach(oldLease, key);
    if (leaseID !== 0) this.#le.attach(leaseID, key);
  }

  // Upstream: kvstore_txn.go (storeTxnWrite.deleteRange)
  #deleteRange(beginRev: number, changes: Row[], key: string, end: string | undefined): number {
    const rrev = changes.length > 0 ? beginRev + 1 : beginRev;
    const { keys } = this.#kvindex.range(key, end, rrev);
    for (const k of keys) this.#delete(beginRev, changes, k);
    return keys.length;
  }

  // Upstream: kvstore_txn.go (storeTxnWrite.delete)
  #delete(beginRev: number, changes: Row[], key: string): void {
    const main = beginRev + 1;
    const row: Row = {
      main,
      sub: changes.length,
      tombstone: true,
      // A tombstone stores only the key; the watchable store patches in the mod revision.
      kv: { key, value: '', createRevision: 0, modRevision: main, version: 0, lease: 0 },
    };
    this.#rows.push(row);
    if (!this.#kvindex.tombstone(key, row)) {
      throw new RangeError(`failed to tombstone an existing key (${JSON.stringify(key)})`);
    }
    changes.push(row);
    if (this.#le === undefined) return;
    const leaseID = this.#le.getLease(key);
    if (leaseID !== 0) this.#le.detach(leaseID, key);
  }
}
