/**
 * The leader's view of one follower. Upstream: tracker/progress.go and tracker/state.go at
 * etcd-io/raft v3.6.0.
 */
import { Inflights } from './inflights';

/** How the leader replicates to a follower. Upstream: tracker/state.go (StateType) */
export type ProgressStateType =
  /** One MsgApp per heartbeat until the follower's match is found. */
  | 'StateProbe'
  /** Optimistic: send entries as fast as inflights allow, advancing `next` at once. */
  | 'StateReplicate'
  /** A snapshot is on its way; no MsgApp until it is acknowledged. */
  | 'StateSnapshot';

/**
 * Invariant: match < next. `next - 1` is the index the next MsgApp appends after.
 * Upstream: tracker/progress.go (Progress)
 */
export class Progress {
  /** The highest index known to be in the follower's log. */
  match = 0;
  /** The index of the next entry to send. */
  next = 0;
  /** The highest commit index sent to the follower (in MsgApp or MsgHeartbeat). */
  sentCommit = 0;
  state: ProgressStateType = 'StateProbe';
  /** In StateSnapshot: the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Whether the follower was heard from since the last check-quorum round. */
  recentActive = false;
  /** MsgApp to this follower is paused (a probe is out, or the inflights are full). */
  msgAppFlowPaused = false;
  inflights: Inflights;
  isLearner = false;

  constructor(init: Partial<Omit<Progress, 'inflights'>> & { inflights?: Inflights } = {}) {
    this.inflights = init.inflights ?? new Inflights(256, 0);
    Object.assign(this, init);
  }

  /** A copy sharing nothing but the Inflights (as Go's struct copy shares the pointer). */
  copy(): Progress {
    return new Progress({ ...this });
  }

  /** Upstream: tracker/progress.go (Progress.ResetState) */
  resetState(state: ProgressStateType): void {
    this.msgAppFlowPaused = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  /** Upstream: tracker/progress.go (Progress.BecomeProbe) */
  becomeProbe(): void {
    // After a snapshot, probe from the snapshot's index: the follower likely has it now.
    if (this.state === 'StateSnapshot') {
      const pendingSnapshot = this.pendingSnapshot;
      this.resetState('StateProbe');
      this.next = Math.max(this.match + 1, pendingSnapshot + 1);
    } else {
      this.resetState('StateProbe');
      this.next = this.match + 1;
    }
    this.sentCommit = Math.min(this.sentCommit, this.next - 1);
  }

  /** Upstream: tracker/progress.go (Progress.BecomeReplicate) */
  becomeReplicate(): void {
    this.resetState('StateReplicate');
    this.next = this.match + 1;
  }

  /** Upstream: tracker/progress.go (Progress.BecomeSnapshot) */
  becomeSnapshot(snapshoti: number): void {
    this.resetState('StateSnapshot');
    this.pendingSnapshot = snapshoti;
    this.next = snapshoti + 1;
    this.sentCommit = snapshoti;
  }

  /** A MsgApp with `entries` entries (`bytes` of payload) was sent. Upstream: tracker/progress.go (Progress.SentEntries) */
  sentEntries(entries: number, bytes: number): void {
    switch (this.state) {
      case 'StateReplicate':
        if (entries > 0) {
          this.next += entries;
          this.inflights.add(this.next - 1, bytes);
        }
        this.msgAppFlowPaused = this.inflights.full();
        break;
      case 'StateProbe':
        // One probe with entries at a time, until the follower answers (or a heartbeat resumes it).
        if (entries > 0) this.msgAppFlowPaused = true;
        break;
      default:
        throw new Error(`sending append in unhandled state ${this.state}`);
    }
  }

  /** Whether sending `index` as the commit would tell the follower something new. Upstream: tracker/progress.go (Progress.CanBumpCommit) */
  canBumpCommit(index: number): boolean {
    // A follower can only commit what it has: the commit sent is capped at next-1.
    return index > this.sentCommit && this.sentCommit < this.next - 1;
  }

  /** Upstream: tracker/progress.go (Progress.SentCommit) */
  setSentCommit(commit: number): void {
    this.sentCommit = commit;
  }

  /** The follower acknowledged up to n; false if that is old news. Upstream: tracker/progress.go (Progress.MaybeUpdate) */
  maybeUpdate(n: number): boolean {
    if (n <= this.match) return false;
    this.match = n;
    this.next = Math.max(this.next, n + 1); // invariant: match < next
    this.msgAppFlowPaused = false;
    return true;
  }

  /**
   * The follower rejected the MsgApp after `rejected`; `matchHint` is where the logs may match.
   * False when the rejection is stale. Upstream: tracker/progress.go (Progress.MaybeDecrTo)
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'StateReplicate') {
      // Stale if the rejected index is already matched.
      if (rejected <= this.match) return false;
      // Directly decrease next to match + 1.
      this.next = this.match + 1;
      this.sentCommit = Math.min(this.sentCommit, this.next - 1);
      return true;
    }
    // In probe, only the last probe (next - 1) counts.
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.sentCommit = Math.min(this.sentCommit, this.next - 1);
    this.msgAppFlowPaused = false;
    return true;
  }

  /** Whether sending MsgApp is throttled. Upstream: tracker/progress.go (Progress.IsPaused) */
  isPaused(): boolean {
    switch (this.state) {
      case 'StateProbe':
      case 'StateReplicate':
        return this.msgAppFlowPaused;
      case 'StateSnapshot':
        return true;
    }
  }

  // Upstream: tracker/progress.go (Progress.String)
  toString(): string {
    let s = `${this.state} match=${this.match} next=${this.next}`;
    if (this.isLearner) s += ' learner';
    if (this.isPaused()) s += ' paused';
    if (this.pendingSnapshot > 0) s += ` pendingSnap=${this.pendingSnapshot}`;
    if (!this.recentActive) s += ' inactive';
    const n = this.inflights.count();
    if (n > 0) {
      s += ` inflight=${n}`;
      if (this.inflights.full()) s += '[full]';
    }
    return s;
  }
}

/** Peer id -> progress. Upstream: tracker/progress.go (ProgressMap) */
export type ProgressMap = Map<number, Progress>;
