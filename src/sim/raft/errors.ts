/**
 * The errors raft returns, with upstream's texts. Each is one shared value, as Go's sentinel
 * errors are, so `err === ErrCompacted` reads like Go's `err == ErrCompacted`.
 */

/** An error raft returns (Go: an `error` value). A Go panic is thrown as a plain Error. */
export class RaftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RaftError';
  }
}

/** Upstream: storage.go (ErrCompacted) */
export const ErrCompacted = new RaftError('requested index is unavailable due to compaction');
/** Upstream: storage.go (ErrSnapOutOfDate) */
export const ErrSnapOutOfDate = new RaftError('requested index is older than the existing snapshot');
/** Upstream: storage.go (ErrUnavailable) */
export const ErrUnavailable = new RaftError('requested entry at index is unavailable');
/** Upstream: storage.go (ErrSnapshotTemporarilyUnavailable) */
export const ErrSnapshotTemporarilyUnavailable = new RaftError('snapshot is temporarily unavailable');
/** Upstream: raft.go (ErrProposalDropped) */
export const ErrProposalDropped = new RaftError('raft proposal dropped');
/** Upstream: rawnode.go (ErrStepLocalMsg) */
export const ErrStepLocalMsg = new RaftError('raft: cannot step raft local message');
/** Upstream: rawnode.go (ErrStepPeerNotFound) */
export const ErrStepPeerNotFound = new RaftError('raft: cannot step as peer not found');

/** A Go panic: an invariant broke (e.g. `invalid transition [follower -> leader]`). */
export function panic(message: string): never {
  throw new Error(message);
}
