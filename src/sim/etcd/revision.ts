/**
 * Revisions and the rows of the store. etcd's backend (bbolt) keeps one row per change under the
 * key `{main, sub}` (8 + 1 + 8 bytes, a trailing 't' marking a tombstone) whose value is the
 * marshalled `mvccpb.KeyValue`; the in-memory index maps each key to the revisions of its rows.
 * Here a row is one object, shared by the index (`KeyIndex` generations) and the store's
 * revision-ordered list of rows, so nothing is copied between them.
 */

/** A revision: `main` is the store revision of a write txn, `sub` the change's index inside it. */
// Upstream: server/storage/mvcc/revision.go (Revision)
export interface Revision {
  readonly main: number;
  readonly sub: number;
}

/** Whether `a` is after `b` (Go: Revision.GreaterThan). */
export function revGreaterThan(a: Revision, b: Revision): boolean {
  if (a.main > b.main) return true;
  if (a.main < b.main) return false;
  return a.sub > b.sub;
}

/**
 * A key-value as the backend stores it (Go: mvccpb.KeyValue). `key` is a byte string (bytes.ts).
 * A tombstone row stores only the key; the model fills in `modRevision` with the row's main
 * revision, as the watchable store patches it before sending a DELETE event.
 */
export interface StoredKeyValue {
  readonly key: string;
  readonly value: string;
  /** The revision of the last creation of the key (0 in a tombstone). */
  readonly createRevision: number;
  /** The revision of this change. */
  readonly modRevision: number;
  /** Puts since the key was (re)created: 1 on creation, 0 in a tombstone. */
  readonly version: number;
  /** The lease attached to the key (0: none). */
  readonly lease: number;
}

/** One row of the backend's key bucket: a put or a tombstone at `{main, sub}`. */
export interface Row extends Revision {
  readonly tombstone: boolean;
  readonly kv: StoredKeyValue;
}
