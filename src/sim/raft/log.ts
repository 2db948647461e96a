/**
 * The raft log: the stable part in Storage, the unstable part in memory, and the commit and
 * apply cursors. Upstream: log.go at etcd-io/raft v3.6.0.
 *
 * Invariant: applied <= applying <= committed <= lastIndex(); committed entries never change.
 */
import { ErrCompacted, ErrUnavailable, RaftError, panic } from './errors';
import { Unstable } from './log_unstable';
import type { Entry, Snapshot } from './raftpb';
import type { Storage } from './storage';
import { pbEntryID, type EntryID, type LogSlice } from './types';
import { entsSize, limitSize, noLimit } from './util';

// Upstream: log.go (raftLog)
export class RaftLog {
  readonly storage: Storage;
  readonly unstable: Unstable;
  /** The highest index known to be on a quorum of nodes' stable storage. */
  committed: number;
  /** The highest index handed to the application to apply (not yet acknowledged). */
  applying: number;
  /** The highest index the application has applied. */
  applied: number;
  /** The most bytes of committed entries one Ready may hand out for applying. */
  maxApplyingEntsSize: number;
  /** Bytes of entries being applied (handed out, not yet acknowledged). */
  applyingEntsSize = 0;
  /** Whether handing out committed entries is paused (too many bytes in flight). */
  applyingEntsPaused = false;

  constructor(storage: Storage, maxApplyingEntsSize: number = noLimit) {
    this.storage = storage;
    const firstIndex = storage.firstIndex();
    const lastIndex = storage.lastIndex();
    this.unstable = new Unstable(lastIndex + 1);
    this.maxApplyingEntsSize = maxApplyingEntsSize;
    // Initialize the committed and applied pointers to the time of the last compaction.
    this.committed = firstIndex - 1;
    this.applying = firstIndex - 1;
    this.applied = firstIndex - 1;
  }

  // Upstream: log.go (raftLog.String)
  toString(): string {
    return `committed=${this.committed}, applied=${this.applied}, applying=${this.applying}, unstable.offset=${this.unstable.offset}, unstable.offsetInProgress=${this.unstable.offsetInProgress}, len(unstable.Entries)=${this.unstable.entries.length}`;
  }

  /**
   * Appends the slice if its `prev` matches our log, truncating a conflicting suffix, and
   * commits up to min(committed, last new index). Returns the last new index, or undefined
   * when `prev` does not match. Upstream: log.go (raftLog.maybeAppend)
   */
  maybeAppend(a: LogSlice, committed: number): number | undefined {
    if (!this.matchTerm(a.prev)) return undefined;
    const lastnewi = a.prev.index + a.entries.length;
    const ci = this.findConflict(a.entries);
    if (ci === 0) {
      // Everything is already in the log.
    } else if (ci <= this.committed) {
      panic(`entry ${ci} conflict with committed entry [committed(${this.committed})]`);
    } else {
      const offset = a.prev.index + 1;
      if (ci - offset > a.entries.length) panic(`index, ${ci - offset}, is out of range [${a.entries.length}]`);
      this.append(...a.entries.slice(ci - offset));
    }
    this.commitTo(Math.min(committed, lastnewi));
    return lastnewi;
  }

  // Upstream: log.go (raftLog.append)
  append(...ents: Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0].index - 1;
    if (after < this.committed) panic(`after(${after}) is out of range [committed(${this.committed})]`);
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /**
   * The index of the first entry whose term differs from ours (or that we do not have), or 0
   * when every entry is already in the log. Upstream: log.go (raftLog.findConflict)
   */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(pbEntryID(e))) return e.index;
    }
    return 0;
  }

  /**
   * The last (index, term) at or below `index` whose term is <= `term`: the leader's and the
   * follower's logs may match there. An index whose term is unknown (compacted) is returned with
   * term 0. Upstream: log.go (raftLog.findConflictByTerm)
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    for (; index > 0; index--) {
      const ourTerm = this.termOrError(index);
      if (ourTerm instanceof RaftError) return { index, term: 0 };
      if (ourTerm <= term) return { index, term: ourTerm };
    }
    return { index: 0, term: 0 };
  }

  /** Unstable entries not yet handed out for writing. Upstream: log.go (raftLog.nextUnstableEnts) */
  nextUnstableEnts(): Entry[] {
    return this.unstable.nextEntries();
  }

  /** The entries not yet in storage (handed out or not). */
  unstableEntries(): Entry[] {
    return this.unstable.entries.slice();
  }

  // Upstream: log.go (raftLog.hasNextUnstableEnts)
  hasNextUnstableEnts(): boolean {
    return this.nextUnstableEnts().length > 0;
  }

  // Upstream: log.go (raftLog.hasNextOrInProgressUnstableEnts)
  hasNextOrInProgressUnstableEnts(): boolean {
    return this.unstable.entries.length > 0;
  }

  /**
   * Committed entries not yet handed out for applying. `allowUnstable`: entries not yet in
   * storage may be applied. Upstream: log.go (raftLog.nextCommittedEnts)
   */
  nextCommittedEnts(allowUnstable: boolean): Entry[] {
    if (this.applyingEntsPaused) return [];
    // A snapshot is pending: apply it first.
    if (this.hasNextOrInProgressSnapshot()) return [];
    const lo = this.applying + 1;
    const hi = this.maxAppliableIndex(allowUnstable) + 1;
    if (lo >= hi) return [];
    const maxSize = this.maxApplyingEntsSize - this.applyingEntsSize;
    if (maxSize <= 0) panic(`applying entry size (${this.maxApplyingEntsSize}-${this.applyingEntsSize})=${maxSize} not positive`);
    return this.sliceOrThrow(lo, hi, maxSize);
  }

  // Upstream: log.go (raftLog.hasNextCommittedEnts)
  hasNextCommittedEnts(allowUnstable: boolean): boolean {
    if (this.applyingEntsPaused || this.hasNextOrInProgressSnapshot()) return false;
    return this.applying + 1 < this.maxAppliableIndex(allowUnstable) + 1;
  }

  // Upstream: log.go (raftLog.maxAppliableIndex)
  maxAppliableIndex(allowUnstable: boolean): number {
    let hi = this.committed;
    if (!allowUnstable) hi = Math.min(hi, this.unstable.offset - 1);
    return hi;
  }

  // Upstream: log.go (raftLog.nextUnstableSnapshot)
  nextUnstableSnapshot(): Snapshot | undefined {
    return this.unstable.nextSnapshot();
  }

  // Upstream: log.go (raftLog.hasNextUnstableSnapshot)
  hasNextUnstableSnapshot(): boolean {
    return this.unstable.nextSnapshot() !== undefined;
  }

  // Upstream: log.go (raftLog.hasNextOrInProgressSnapshot)
  hasNextOrInProgressSnapshot(): boolean {
    return this.unstable.snapshot !== undefined;
  }

  // Upstream: log.go (raftLog.snapshot)
  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  // Upstream: log.go (raftLog.firstIndex)
  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  // Upstream: log.go (raftLog.lastIndex)
  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  // Upstream: log.go (raftLog.commitTo)
  commitTo(tocommit: number): void {
    // Never decrease commit.
    if (this.committed < tocommit) {
      if (this.lastIndex() < tocommit) {
        panic(`tocommit(${tocommit}) is out of range [lastIndex(${this.lastIndex()})]. Was the raft log corrupted, truncated, or lost?`);
      }
      this.committed = tocommit;
    }
  }

  /** The application applied everything up to i (`size`: bytes of those entries). Upstream: log.go (raftLog.appliedTo) */
  appliedTo(i: number, size = 0): void {
    if (this.committed < i || i < this.applied) panic(`applied(${i}) is out of range [prevApplied(${this.applied}), committed(${this.committed})]`);
    this.applied = i;
    this.applying = Math.max(this.applying, i);
    this.applyingEntsSize = this.applyingEntsSize > size ? this.applyingEntsSize - size : 0;
    this.applyingEntsPaused = this.applyingEntsSize >= this.maxApplyingEntsSize;
  }

  // Upstream: log.go (raftLog.acceptApplying)
  acceptApplying(i: number, size: number, allowUnstable: boolean): void {
    if (this.committed < i) panic(`applying(${i}) is out of range [prevApplying(${this.applying}), committed(${this.committed})]`);
    this.applying = i;
    this.applyingEntsSize += size;
    // Pause when the limit is reached, or when the size limit cut the last batch short.
    this.applyingEntsPaused = this.applyingEntsSize >= this.maxApplyingEntsSize || i < this.maxAppliableIndex(allowUnstable);
  }

  // Upstream: log.go (raftLog.stableTo)
  stableTo(id: EntryID): void {
    this.unstable.stableTo(id);
  }

  // Upstream: log.go (raftLog.stableSnapTo)
  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  // Upstream: log.go (raftLog.acceptUnstable)
  acceptUnstable(): void {
    this.unstable.acceptInProgress();
  }

  // Upstream: log.go (raftLog.lastEntryID)
  lastEntryID(): EntryID {
    const index = this.lastIndex();
    const t = this.termOrError(index);
    if (t instanceof RaftError) panic(`unexpected error when getting the last term at ${index}: ${t.message}`);
    return { term: t, index };
  }

  /** The term of entry i; throws ErrCompacted / ErrUnavailable as upstream returns them. Upstream: log.go (raftLog.term) */
  term(i: number): number {
    const t = this.termOrError(i);
    if (t instanceof RaftError) throw t;
    return t;
  }

  /** Like {@link term}, returning the error instead of throwing it (Go's `(term, err)`). */
  termOrError(i: number): number | RaftError {
    // Check the unstable log first, even before computing the valid index range, which may
    // need to access stable storage.
    const ut = this.unstable.maybeTerm(i);
    if (ut !== undefined) return ut;
    // The valid term range is [firstIndex-1, lastIndex]; the term of firstIndex-1 is known.
    if (i + 1 < this.firstIndex()) return ErrCompacted;
    if (i > this.lastIndex()) return ErrUnavailable;
    try {
      return this.storage.term(i);
    } catch (err) {
      if (err === ErrCompacted || err === ErrUnavailable) return err as RaftError;
      throw err;
    }
  }

  /** Zero for an out-of-range index. Upstream: log.go (raftLog.zeroTermOnOutOfBounds) */
  zeroTermOnOutOfBounds(i: number): number {
    const t = this.termOrError(i);
    return t instanceof RaftError ? 0 : t;
  }

  /** Entries from i to the end, at most maxSize bytes (but at least one). Upstream: log.go (raftLog.entries) */
  entries(i: number, maxSize: number = noLimit): Entry[] {
    if (i > this.lastIndex()) return [];
    return this.slice(i, this.lastIndex() + 1, maxSize);
  }

  /** Every entry from firstIndex on. Upstream: log.go (raftLog.allEntries) */
  allEntries(): Entry[] {
    return this.entries(this.firstIndex());
  }

  /**
   * Whether a log ending at `their` is at least as up-to-date as ours: a later last term, or
   * the same last term and an index at least ours (raft §5.4.1). Upstream: log.go (raftLog.isUpToDate)
   */
  isUpToDate(their: EntryID): boolean {
    const our = this.lastEntryID();
    return their.term > our.term || (their.term === our.term && their.index >= our.index);
  }

  // Upstream: log.go (raftLog.matchTerm)
  matchTerm(id: EntryID): boolean {
    const t = this.termOrError(id.index);
    return !(t instanceof RaftError) && t === id.term;
  }

  /**
   * Commits up to `at` if it is in our log with that term (the leader passes its own term: only
   * an entry of the current term is committed by counting replicas). Upstream: log.go (raftLog.maybeCommit)
   */
  maybeCommit(at: EntryID): boolean {
    // The term check is cheap, so do it first (a zero term is never committed by this rule).
    if (at.term !== 0 && at.index > this.committed && this.matchTerm(at)) {
      this.commitTo(at.index);
      return true;
    }
    return false;
  }

  // Upstream: log.go (raftLog.restore)
  restore(s: Snapshot): void {
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  /** Visits [lo, hi) in pages of at most pageSize bytes; `v` returns false to stop. Upstream: log.go (raftLog.scan) */
  scan(lo: number, hi: number, pageSize: number, v: (ents: Entry[]) => boolean): void {
    while (lo < hi) {
      const ents = this.sliceOrThrow(lo, hi, pageSize);
      if (ents.length === 0) throw new Error(`got 0 entries in [${lo}, ${hi})`);
      if (!v(ents)) return;
      lo += ents.length;
    }
  }

  /**
   * Entries in [lo, hi), at most maxSize bytes (but at least one). Throws ErrCompacted when lo
   * is below firstIndex. Upstream: log.go (raftLog.slice)
   */
  slice(lo: number, hi: number, maxSize: number = noLimit): Entry[] {
    return this.sliceOrThrow(lo, hi, maxSize);
  }

  private sliceOrThrow(lo: number, hi: number, maxSize: number): Entry[] {
    this.mustCheckOutOfBounds(lo, hi);
    if (lo === hi) return [];
    if (lo >= this.unstable.offset) return limitSize(this.unstable.slice(lo, hi), maxSize);
    const cut = Math.min(hi, this.unstable.offset);
    let ents: Entry[];
    try {
      ents = this.storage.entries(lo, cut, maxSize);
    } catch (err) {
      if (err === ErrUnavailable) panic(`entries[${lo}:${cut}) is unavailable from storage`);
      throw err;
    }
    if (hi <= this.unstable.offset) return ents;
    // Fast path: storage returned fewer entries than asked (the size limit was hit).
    if (ents.length < cut - lo) return ents;
    // No limit: everything, without summing sizes no limit can reach.
    if (maxSize === noLimit) return [...ents, ...this.unstable.slice(this.unstable.offset, hi)];
    // Slow path: add unstable entries while the size allows.
    const size = entsSize(ents);
    if (size >= maxSize) return ents;
    const unstable = limitSize(this.unstable.slice(this.unstable.offset, hi), maxSize - size);
    // limitSize returns one entry even if it exceeds the limit: drop it then.
    if (unstable.length === 1 && size + entsSize(unstable) > maxSize) return ents;
    return [...ents, ...unstable];
  }

  /** Throws ErrCompacted when lo < firstIndex; panics when hi is past the end. Upstream: log.go (raftLog.mustCheckOutOfBounds) */
  mustCheckOutOfBounds(lo: number, hi: number): void {
    if (lo > hi) panic(`invalid slice ${lo} > ${hi}`);
    const fi = this.firstIndex();
    if (lo < fi) throw ErrCompacted;
    const length = this.lastIndex() + 1 - fi;
    if (hi > fi + length) panic(`slice[${lo},${hi}) out of bound [${fi},${this.lastIndex()}]`);
  }
}

/** A log over `storage` (committed = applied = firstIndex-1). Upstream: log.go (newLog, newLogWithSize) */
export function newLog(storage: Storage, maxApplyingEntsSize: number = noLimit): RaftLog {
  return new RaftLog(storage, maxApplyingEntsSize);
}
