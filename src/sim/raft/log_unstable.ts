/**
 * The part of the log not yet in Storage: an optional incoming snapshot and the entries after
 * it. Upstream: log_unstable.go at etcd-io/raft v3.6.0.
 */
import { panic } from './errors';
import type { Entry, Snapshot } from './raftpb';
import type { EntryID } from './types';

// Upstream: log_unstable.go (unstable)
export class Unstable {
  /** The incoming snapshot, if any. */
  snapshot: Snapshot | undefined = undefined;
  /** All entries not yet written to storage; `entries[i]` has index `offset + i`. */
  entries: Entry[] = [];
  offset = 0;
  /** Whether the snapshot is being written to storage (handed out by a Ready). */
  snapshotInProgress = false;
  /**
   * Entries in [offset, offsetInProgress) are being written to storage. Invariant:
   * offset <= offsetInProgress <= offset + entries.length.
   */
  offsetInProgress = 0;

  constructor(offset = 0) {
    this.offset = offset;
    this.offsetInProgress = offset;
  }

  /** The index of the first possible entry (only known with a snapshot). Upstream: log_unstable.go (maybeFirstIndex) */
  maybeFirstIndex(): number | undefined {
    return this.snapshot ? this.snapshot.metadata.index + 1 : undefined;
  }

  // Upstream: log_unstable.go (maybeLastIndex)
  maybeLastIndex(): number | undefined {
    if (this.entries.length !== 0) return this.offset + this.entries.length - 1;
    if (this.snapshot) return this.snapshot.metadata.index;
    return undefined;
  }

  // Upstream: log_unstable.go (maybeTerm)
  maybeTerm(i: number): number | undefined {
    if (i < this.offset) {
      if (this.snapshot && this.snapshot.metadata.index === i) return this.snapshot.metadata.term;
      return undefined;
    }
    const last = this.maybeLastIndex();
    if (last === undefined || i > last) return undefined;
    return this.entries[i - this.offset].term;
  }

  /** The entries not yet handed out for writing. Upstream: log_unstable.go (nextEntries) */
  nextEntries(): Entry[] {
    const inProgress = this.offsetInProgress - this.offset;
    if (this.entries.length === inProgress) return [];
    return this.entries.slice(inProgress);
  }

  // Upstream: log_unstable.go (nextSnapshot)
  nextSnapshot(): Snapshot | undefined {
    return this.snapshot === undefined || this.snapshotInProgress ? undefined : this.snapshot;
  }

  /** Marks everything unstable as being written. Upstream: log_unstable.go (acceptInProgress) */
  acceptInProgress(): void {
    if (this.entries.length > 0) this.offsetInProgress = this.entries[this.entries.length - 1].index + 1;
    if (this.snapshot) this.snapshotInProgress = true;
  }

  /** Entries up to `id` are in storage: drop them (if `id` still matches). Upstream: log_unstable.go (stableTo) */
  stableTo(id: EntryID): void {
    const gt = this.maybeTerm(id.index);
    // Missing from the unstable log, matched the unstable snapshot, or a different term: ignore.
    if (gt === undefined || id.index < this.offset || gt !== id.term) return;
    const num = id.index + 1 - this.offset;
    this.entries = this.entries.slice(num);
    this.offset = id.index + 1;
    this.offsetInProgress = Math.max(this.offsetInProgress, this.offset);
  }

  // Upstream: log_unstable.go (stableSnapTo)
  stableSnapTo(i: number): void {
    if (this.snapshot && this.snapshot.metadata.index === i) {
      this.snapshot = undefined;
      this.snapshotInProgress = false;
    }
  }

  // Upstream: log_unstable.go (restore)
  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1;
    this.offsetInProgress = this.offset;
    this.entries = [];
    this.snapshot = s;
    this.snapshotInProgress = false;
  }

  // Upstream: log_unstable.go (truncateAndAppend)
  truncateAndAppend(ents: Entry[]): void {
    const fromIndex = ents[0].index;
    if (fromIndex === this.offset + this.entries.length) {
      // fromIndex is the next index: append directly.
      for (const e of ents) this.entries.push(e);
    } else if (fromIndex <= this.offset) {
      // Replace the unstable entries from fromIndex on.
      this.entries = [...ents];
      this.offset = fromIndex;
      this.offsetInProgress = this.offset;
    } else {
      // Truncate to fromIndex (exclusive) and append.
      this.entries = [...this.slice(this.offset, fromIndex), ...ents];
      this.offsetInProgress = Math.min(this.offsetInProgress, fromIndex);
    }
  }

  // Upstream: log_unstable.go (slice)
  slice(lo: number, hi: number): Entry[] {
    this.mustCheckOutOfBounds(lo, hi);
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }

  // Upstream: log_unstable.go (mustCheckOutOfBounds)
  mustCheckOutOfBounds(lo: number, hi: number): void {
    if (lo > hi) panic(`invalid unstable.slice ${lo} > ${hi}`);
    const upper = this.offset + this.entries.length;
    if (lo < this.offset || hi > upper) panic(`unstable.slice[${lo},${hi}) out of bound [${this.offset},${upper}]`);
  }
}
