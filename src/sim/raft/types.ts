/**
 * Log positions and appended slices. Upstream: types.go at etcd-io/raft v3.6.0.
 */
import type { Entry } from './raftpb';

/** The id of a log entry: (term, index). Upstream: types.go (entryID) */
export interface EntryID {
  term: number;
  index: number;
}

// Upstream: types.go (pbEntryID)
export function pbEntryID(e: Entry): EntryID {
  return { term: e.term, index: e.index };
}

/**
 * Entries a leader at `term` sent, following the entry `prev`. Valid when the entries' indices
 * are contiguous after `prev` and their terms never decrease nor exceed `term`.
 * Upstream: types.go (logSlice)
 */
export interface LogSlice {
  term: number;
  prev: EntryID;
  entries: Entry[];
}

// Upstream: types.go (logSlice.lastIndex)
export function logSliceLastIndex(s: LogSlice): number {
  return s.prev.index + s.entries.length;
}

// Upstream: types.go (logSlice.lastEntryID)
export function logSliceLastEntryID(s: LogSlice): EntryID {
  const n = s.entries.length;
  return n !== 0 ? pbEntryID(s.entries[n - 1]) : s.prev;
}

/** Undefined when valid, else the reason. Upstream: types.go (logSlice.valid) */
export function logSliceValid(s: LogSlice): string | undefined {
  let prev = s.prev;
  for (const e of s.entries) {
    const id = pbEntryID(e);
    if (id.term < prev.term || id.index !== prev.index + 1) {
      return `leader term ${s.term}: entries {term:${prev.term} index:${prev.index}} and {term:${id.term} index:${id.index}} not consistent`;
    }
    prev = id;
  }
  if (s.term < prev.term) return `leader term ${s.term}: entry {term:${prev.term} index:${prev.index}} has a newer term`;
  return undefined;
}
