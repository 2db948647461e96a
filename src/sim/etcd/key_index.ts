/**
 * The revisions of one key, by generation (server/storage/mvcc/key_index.go at v3.6.0).
 *
 * A key's life from creation to deletion is a generation; a delete appends its tombstone to the
 * current generation and opens a new, empty one. For example put(1.0); put(2.0); tombstone(3.0);
 * put(4.0); tombstone(5.0) on "foo" gives the generations {1.0, 2.0, 3.0(t)}, {4.0, 5.0(t)},
 * {empty}. Compacting at `rev` drops the revisions at or below `rev` except the largest of them,
 * then the generations left empty; a key index with only its empty last generation is removed.
 */
import { revGreaterThan, type Revision, type Row } from './revision';

/** The mvcc layer's "not found" (Go: ErrRevisionNotFound), returned, never thrown. */
export const ErrRevisionNotFound = 'mvcc: revision not found';

/** What `get` finds: the row in effect at the revision, the generation's creation and version. */
export interface KeyIndexGet {
  modified: Row;
  created: Revision;
  ver: number;
}

// Upstream: server/storage/mvcc/key_index.go (generation)
export class Generation {
  /** Puts in this generation (the tombstone counts too). */
  ver = 0;
  /** The revision of the generation's first put. */
  created: Revision = { main: 0, sub: 0 };
  /** The rows, oldest first; the last one of a closed generation is its tombstone. */
  revs: Row[] = [];

  isEmpty(): boolean {
    return this.revs.length === 0;
  }

  /**
   * Calls `f` on the revisions newest first until it returns false; returns the index where it
   * stopped, or -1 when it walked them all.
   */
  // Upstream: generation.walk
  walk(f: (rev: Row) => boolean): number {
    const l = this.revs.length;
    for (let i = 0; i < l; i++) {
      if (!f(this.revs[l - i - 1])) return l - i - 1;
    }
    return -1;
  }
}

// Upstream: server/storage/mvcc/key_index.go (keyIndex)
export class KeyIndex {
  /** The main and sub revision of the last change. */
  modified: Revision = { main: 0, sub: 0 };
  /** Every generation, oldest first; there is always at least one and the last is the current. */
  generations: Generation[] = [];

  constructor(readonly key: string) {}

  /** Records a put (or, from `tombstone`, a delete) at `row`, which must be after `modified`. */
  // Upstream: keyIndex.put
  put(row: Row): void {
    if (!revGreaterThan(row, this.modified)) {
      throw new RangeError(`'put' with an unexpected smaller revision (given ${row.main}.${row.sub}, modified ${this.modified.main}.${this.modified.sub})`);
    }
    if (this.generations.length === 0) this.generations.push(new Generation());
    const g = this.generations[this.generations.length - 1];
    if (g.revs.length === 0) g.created = { main: row.main, sub: row.sub }; // create a new key
    g.revs.push(row);
    g.ver++;
    this.modified = { main: row.main, sub: row.sub };
  }

  /** Ends the current generation with the tombstone `row`; false when the key does not exist. */
  // Upstream: keyIndex.tombstone
  tombstone(row: Row): boolean {
    if (this.isEmpty()) throw new RangeError(`'tombstone' got an unexpected empty keyIndex (key ${JSON.stringify(this.key)})`);
    if (this.generations[this.generations.length - 1].isEmpty()) return false; // ErrRevisionNotFound
    this.put(row);
    this.generations.push(new Generation());
    return true;
  }

  /** The row in effect at `atRev`, with its generation's creation and version; undefined if none. */
  // Upstream: keyIndex.get
  get(atRev: number): KeyIndexGet | undefined {
    if (this.isEmpty()) throw new RangeError(`'get' got an unexpected empty keyIndex (key ${JSON.stringify(this.key)})`);
    const g = this.findGeneration(atRev);
    if (g === undefined || g.isEmpty()) return undefined;
    const n = g.walk((rev) => rev.main > atRev);
    if (n !== -1) return { modified: g.revs[n], created: g.created, ver: g.ver - (g.revs.length - n - 1) };
    return undefined;
  }

  /**
   * Drops the revisions at or below `atRev` except the largest of them, adding the ones kept at or
   * below `atRev` to `available`; removes the generations before the one that holds `atRev`.
   */
  // Upstream: keyIndex.compact
  compact(atRev: number, available: Set<Row>): void {
    if (this.isEmpty()) throw new RangeError(`'compact' got an unexpected empty keyIndex (key ${JSON.stringify(this.key)})`);
    const [genIdx, revIndex] = this.#doCompact(atRev, available);
    const g = this.generations[genIdx];
    // remove the previous contents.
    if (!g.isEmpty() && revIndex !== -1) g.revs = g.revs.slice(revIndex);
    // remove the previous generations.
    this.generations = this.generations.slice(genIdx);
  }

  // Upstream: keyIndex.doCompact
  #doCompact(atRev: number, available: Set<Row>): [number, number] {
    // walk until reaching the first revision smaller or equal to "atRev", and add it to available
    const f = (rev: Row): boolean => {
      if (rev.main <= atRev) {
        available.add(rev);
        return false;
      }
      return true;
    };
    let genIdx = 0;
    let g = this.generations[0];
    // find first generation includes atRev or created after atRev
    while (genIdx < this.generations.length - 1) {
      const tomb = g.revs[g.revs.length - 1].main;
      if (tomb >= atRev) break;
      genIdx++;
      g = this.generations[genIdx];
    }
    return [genIdx, g.walk(f)];
  }

  /** Whether only the empty current generation is left (the index can be dropped). */
  // Upstream: keyIndex.isEmpty
  isEmpty(): boolean {
    return this.generations.length === 1 && this.generations[0].isEmpty();
  }

  /**
   * The generation `rev` belongs to; undefined when `rev` falls between two generations (the key
   * did not exist at `rev`).
   */
  // Upstream: keyIndex.findGeneration
  findGeneration(rev: number): Generation | undefined {
    const lastg = this.generations.length - 1;
    for (let cg = lastg; cg >= 0; cg--) {
      const g = this.generations[cg];
      if (g.revs.length === 0) continue;
      if (cg !== lastg) {
        const tomb = g.revs[g.revs.length - 1].main;
        if (tomb <= rev) return undefined;
      }
      if (g.revs[0].main <= rev) return g;
    }
    return undefined;
  }
}
