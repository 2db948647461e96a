/**
 * The in-memory index of every key (server/storage/mvcc/index.go at v3.6.0). Upstream keeps the
 * key indexes in a B-tree ordered by key bytes; here a Map finds a key, and a sorted array of the
 * keys serves range scans. Keys created since the last scan wait in `#pending` and are merged in
 * when the next scan needs order, so a run of puts of new keys costs one sort, not one insertion
 * each. Range ends follow upstream: `undefined` is a single key (Go: nil), `''` means "to the end
 * of the keyspace", anything else is the exclusive end.
 */
import { KeyIndex, type KeyIndexGet } from './key_index';
import type { Row } from './revision';

// Upstream: server/storage/mvcc/index.go (treeIndex)
export class TreeIndex {
  readonly #byKey = new Map<string, KeyIndex>();
  /** Every key of `#byKey` except those in `#pending`, in byte order. */
  #sorted: string[] = [];
  /** Keys added since `#sorted` was last brought up to date (unordered). */
  #pending: string[] = [];

  /** Number of key indexes (Go: tree.Len()). */
  get size(): number {
    return this.#byKey.size;
  }

  // Upstream: treeIndex.Put
  put(key: string, row: Row): void {
    let ki = this.#byKey.get(key);
    if (ki === undefined) {
      ki = new KeyIndex(key);
      this.#byKey.set(key, ki);
      this.#pending.push(key);
    }
    ki.put(row);
  }

  // Upstream: treeIndex.Get
  get(key: string, atRev: number): KeyIndexGet | undefined {
    const ki = this.#byKey.get(key);
    return ki === undefined ? undefined : ki.get(atRev);
  }

  /** The key index of `key`, if any (Go: KeyIndex). */
  keyIndex(key: string): KeyIndex | undefined {
    return this.#byKey.get(key);
  }

  /** Calls `f` on each key index in `[key, end)` in key order, until it returns false. */
  // Upstream: treeIndex.unsafeVisit
  visit(key: string, end: string, f: (ki: KeyIndex) => boolean): void {
    const keys = this.#ordered();
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < keys.length; i++) {
      const k = keys[i];
      if (end.length > 0 && !(k < end)) return;
      if (!f(this.#byKey.get(k)!)) return;
    }
  }

  /**
   * The rows in effect at `atRev` from `key` (included) to `end` (excluded), at most `limit` of
   * them (none when `limit <= 0`), in key order, and how many there are in all.
   */
  // Upstream: treeIndex.Revisions
  revisions(key: string, end: string | undefined, atRev: number, limit: number): { revs: Row[]; total: number } {
    if (end === undefined) {
      const got = this.get(key, atRev);
      return got === undefined ? { revs: [], total: 0 } : { revs: [got.modified], total: 1 };
    }
    const revs: Row[] = [];
    let total = 0;
    this.visit(key, end, (ki) => {
      const got = ki.get(atRev);
      if (got !== undefined) {
        if (limit <= 0 || revs.length < limit) revs.push(got.modified);
        total++;
      }
      return true;
    });
    return { revs, total };
  }

  /** How many keys exist at `atRev` in `[key, end)`. */
  // Upstream: treeIndex.CountRevisions
  countRevisions(key: string, end: string | undefined, atRev: number): number {
    if (end === undefined) return this.get(key, atRev) === undefined ? 0 : 1;
    let total = 0;
    this.visit(key, end, (ki) => {
      if (ki.get(atRev) !== undefined) total++;
      return true;
    });
    return total;
  }

  /** The keys that exist at `atRev` in `[key, end)`, in key order, with their rows. */
  // Upstream: treeIndex.Range
  range(key: string, end: string | undefined, atRev: number): { keys: string[]; revs: Row[] } {
    if (end === undefined) {
      const got = this.get(key, atRev);
      return got === undefined ? { keys: [], revs: [] } : { keys: [key], revs: [got.modified] };
    }
    const keys: string[] = [];
    const revs: Row[] = [];
    this.visit(key, end, (ki) => {
      const got = ki.get(atRev);
      if (got !== undefined) {
        keys.push(ki.key);
        revs.push(got.modified);
      }
      return true;
    });
    return { keys, revs };
  }

  /** Ends `key`'s current generation with `row`; false when the key does not exist. */
  // Upstream: treeIndex.Tombstone
  tombstone(key: string, row: Row): boolean {
    const ki = this.#byKey.get(key);
    if (ki === undefined) return false;
    return ki.tombstone(row);
  }

  /** Compacts every key index at `rev`; returns the rows at or below `rev` that must be kept. */
  // Upstream: treeIndex.Compact
  compact(rev: number): Set<Row> {
    const available = new Set<Row>();
    let removed = false;
    for (const key of this.#ordered()) {
      const ki = this.#byKey.get(key)!;
      ki.compact(rev, available);
      if (ki.isEmpty()) {
        this.#byKey.delete(key);
        removed = true;
      }
    }
    if (removed) this.#sorted = this.#sorted.filter((k) => this.#byKey.has(k));
    return available;
  }

  /** Every key index in key order (for snapshots and tests). */
  all(): KeyIndex[] {
    return this.#ordered().map((k) => this.#byKey.get(k)!);
  }

  #ordered(): string[] {
    if (this.#pending.length > 0) {
      const add = this.#pending.sort();
      this.#pending = [];
      const old = this.#sorted;
      if (old.length === 0) {
        this.#sorted = add;
      } else {
        const merged: string[] = new Array(old.length + add.length);
        let i = 0;
        let j = 0;
        let k = 0;
        while (i < old.length && j < add.length) merged[k++] = old[i] < add[j] ? old[i++] : add[j++];
        while (i < old.length) merged[k++] = old[i++];
        while (j < add.length) merged[k++] = add[j++];
        this.#sorted = merged;
      }
    }
    return this.#sorted;
  }
}
