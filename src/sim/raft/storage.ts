/**
 * Where raft reads its stable log from, and the in-memory one. Upstream: storage.go at
 * etcd-io/raft v3.6.0. Go returns `(value, error)`; here a method returns the value and throws
 * the sentinel error (`ErrCompacted`, `ErrUnavailable`, `ErrSnapOutOfDate`); a Go panic is
 * thrown as a plain Error.
 */
import { ErrCompacted, ErrSnapOutOfDate, ErrUnavailable, panic } from './errors';
import { newConfState, newSnapshot, type ConfState, type Entry, type HardState, type Snapshot } from './raftpb';
import { limitSize, noLimit } from './util';

/** Upstream: storage.go (Storage) */
export interface Storage {
  /** The saved HardState and the ConfState of the latest snapshot. */
  initialState(): { hardState: HardState; confState: ConfState };
  /** Entries in [lo, hi), at most `maxSize` bytes but at least one entry. Throws ErrCompacted below firstIndex. */
  entries(lo: number, hi: number, maxSize?: number): Entry[];
  /** The term of entry i, for i in [firstIndex-1, lastIndex]. Throws ErrCompacted / ErrUnavailable. */
  term(i: number): number;
  lastIndex(): number;
  /** The first index that may be read by `entries` (older ones are in the snapshot). */
  firstIndex(): number;
  /** The latest snapshot (may throw ErrSnapshotTemporarilyUnavailable). */
  snapshot(): Snapshot;
}

/**
 * An in-memory Storage. `ents[0]` is a dummy entry holding the index and term of the snapshot
 * (or of the last compaction); the real entries follow it. Upstream: storage.go (MemoryStorage)
 */
export class MemoryStorage implements Storage {
  hardState: HardState = { term: 0, vote: 0, commit: 0 };
  snap: Snapshot = newSnapshot();
  /** `ents[i]` has index `ents[0].index + i`. */
  ents: Entry[] = [{ term: 0, index: 0, type: 'EntryNormal' }];

  // Upstream: storage.go (MemoryStorage.InitialState)
  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: { ...this.hardState }, confState: this.snap.metadata.confState };
  }

  // Upstream: storage.go (MemoryStorage.SetHardState)
  setHardState(st: HardState): void {
    this.hardState = { ...st };
  }

  // Upstream: storage.go (MemoryStorage.Entries)
  entries(lo: number, hi: number, maxSize: number = noLimit): Entry[] {
    const offset = this.ents[0].index;
    if (lo <= offset) throw ErrCompacted;
    if (hi > this.lastIndex() + 1) panic(`entries' hi(${hi}) is out of bound lastindex(${this.lastIndex()})`);
    // Only the dummy entry.
    if (this.ents.length === 1) throw ErrUnavailable;
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxSize);
  }

  // Upstream: storage.go (MemoryStorage.Term)
  term(i: number): number {
    const offset = this.ents[0].index;
    if (i < offset) throw ErrCompacted;
    if (i - offset >= this.ents.length) throw ErrUnavailable;
    return this.ents[i - offset].term;
  }

  // Upstream: storage.go (MemoryStorage.LastIndex)
  lastIndex(): number {
    return this.ents[0].index + this.ents.length - 1;
  }

  // Upstream: storage.go (MemoryStorage.FirstIndex)
  firstIndex(): number {
    return this.ents[0].index + 1;
  }

  // Upstream: storage.go (MemoryStorage.Snapshot)
  snapshot(): Snapshot {
    return this.snap;
  }

  /** Overwrites the storage with a snapshot. Upstream: storage.go (MemoryStorage.ApplySnapshot) */
  applySnapshot(snap: Snapshot): void {
    if (this.snap.metadata.index >= snap.metadata.index) throw ErrSnapOutOfDate;
    this.snap = snap;
    this.ents = [{ term: snap.metadata.term, index: snap.metadata.index, type: 'EntryNormal' }];
  }

  /** Makes a snapshot at index i (retrievable by `snapshot()`). Upstream: storage.go (MemoryStorage.CreateSnapshot) */
  createSnapshot(i: number, cs: ConfState | undefined, data: string | undefined): Snapshot {
    if (i <= this.snap.metadata.index) throw ErrSnapOutOfDate;
    const offset = this.ents[0].index;
    if (i > this.lastIndex()) panic(`snapshot ${i} is out of bound lastindex(${this.lastIndex()})`);
    const snap: Snapshot = {
      metadata: { index: i, term: this.ents[i - offset].term, confState: cs ? newConfState(cs) : this.snap.metadata.confState },
    };
    if (data !== undefined) snap.data = data;
    this.snap = snap;
    return snap;
  }

  /** Discards the entries before compactIndex. Upstream: storage.go (MemoryStorage.Compact) */
  compact(compactIndex: number): void {
    const offset = this.ents[0].index;
    if (compactIndex <= offset) throw ErrCompacted;
    if (compactIndex > this.lastIndex()) panic(`compact ${compactIndex} is out of bound lastindex(${this.lastIndex()})`);
    const i = compactIndex - offset;
    this.ents = [{ term: this.ents[i].term, index: this.ents[i].index, type: 'EntryNormal' }, ...this.ents.slice(i + 1)];
  }

  /**
   * Appends entries, truncating any conflicting suffix first. Entries before firstIndex are
   * skipped. Upstream: storage.go (MemoryStorage.Append)
   */
  append(entries: Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const last = entries[0].index + entries.length - 1;
    // Shortcut if there is no new entry.
    if (last < first) return;
    // Truncate compacted entries.
    if (first > entries[0].index) entries = entries.slice(first - entries[0].index);
    const offset = entries[0].index - this.ents[0].index;
    if (this.ents.length < offset) panic(`missing log entry [last: ${this.lastIndex()}, append at: ${entries[0].index}]`);
    // Drop the conflicting suffix (if any), then append.
    this.ents.length = offset;
    for (const e of entries) this.ents.push(e);
  }
}

/** Options for a fresh storage: the ConfState of its (empty) snapshot, as upstream's tests' `withPeers` / `withLearners`. */
export interface MemoryStorageOptions {
  peers?: number[];
  learners?: number[];
}

/** A MemoryStorage with only the dummy entry. Upstream: storage.go (NewMemoryStorage) */
export function newMemoryStorage(opts: MemoryStorageOptions = {}): MemoryStorage {
  const ms = new MemoryStorage();
  if (opts.peers) ms.snap.metadata.confState.voters = [...opts.peers];
  if (opts.learners) ms.snap.metadata.confState.learners = [...opts.learners];
  return ms;
}
