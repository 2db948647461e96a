/**
 * The leader's bookkeeping: the configuration (voters, learners), each peer's Progress, and
 * the votes of an election. Upstream: tracker/tracker.go at etcd-io/raft v3.6.0.
 */
import type { ConfState } from '../raftpb';
import { jointCommittedIndex, jointIDs, jointString, jointVoteResult, majoritySlice, majorityString, type JointConfig, type VoteResult } from '../quorum/quorum';
import type { Progress, ProgressMap } from './progress';

/**
 * The membership. Invariants: learners and voters are disjoint; learnersNext are voters of the
 * outgoing config that become learners when the joint config is left.
 * Upstream: tracker/tracker.go (Config)
 */
export interface TrackerConfig {
  voters: JointConfig;
  /** Leave the joint config automatically once it is applied. */
  autoLeave: boolean;
  learners: Set<number> | undefined;
  learnersNext: Set<number> | undefined;
}

// Upstream: tracker/tracker.go (Config.String)
export function trackerConfigString(c: TrackerConfig): string {
  let s = `voters=${jointString(c.voters)}`;
  if (c.learners) s += ` learners=${majorityString(c.learners)}`;
  if (c.learnersNext) s += ` learners_next=${majorityString(c.learnersNext)}`;
  if (c.autoLeave) s += ' autoleave';
  return s;
}

// Upstream: tracker/tracker.go (Config.Clone)
export function cloneTrackerConfig(c: TrackerConfig): TrackerConfig {
  const clone = (m: Set<number> | undefined) => (m === undefined ? undefined : new Set(m));
  return { voters: [new Set(c.voters[0]), clone(c.voters[1])], autoLeave: c.autoLeave, learners: clone(c.learners), learnersNext: clone(c.learnersNext) };
}

/** An empty configuration. */
export function emptyTrackerConfig(): TrackerConfig {
  return { voters: [new Set(), undefined], autoLeave: false, learners: undefined, learnersNext: undefined };
}

// Upstream: tracker/tracker.go (ProgressTracker)
export class ProgressTracker {
  config: TrackerConfig = emptyTrackerConfig();
  progress: ProgressMap = new Map();
  /** Votes of the current election: voter id -> granted. */
  votes = new Map<number, boolean>();

  constructor(
    readonly maxInflight: number,
    readonly maxInflightBytes: number,
  ) {}

  /** The configuration as a ConfState. Upstream: tracker/tracker.go (ProgressTracker.ConfState) */
  confState(): ConfState {
    return {
      voters: majoritySlice(this.config.voters[0]),
      votersOutgoing: majoritySlice(this.config.voters[1]),
      learners: majoritySlice(this.config.learners),
      learnersNext: majoritySlice(this.config.learnersNext),
      autoLeave: this.config.autoLeave,
    };
  }

  /** One voter, not joint. Upstream: tracker/tracker.go (ProgressTracker.IsSingleton) */
  isSingleton(): boolean {
    return this.config.voters[0].size === 1 && (this.config.voters[1]?.size ?? 0) === 0;
  }

  /** The largest index a quorum has in its log (Match). Upstream: tracker/tracker.go (ProgressTracker.Committed) */
  committed(): number {
    return jointCommittedIndex(this.config.voters, (id) => this.progress.get(id)?.match);
  }

  /** Calls f for each peer in increasing id order. Upstream: tracker/tracker.go (ProgressTracker.Visit) */
  visit(f: (id: number, pr: Progress) => void): void {
    const ids = [...this.progress.keys()].sort((a, b) => a - b);
    for (const id of ids) f(id, this.progress.get(id)!);
  }

  /** Whether a quorum of voters was recently active. Upstream: tracker/tracker.go (ProgressTracker.QuorumActive) */
  quorumActive(): boolean {
    const votes = new Map<number, boolean>();
    this.visit((id, pr) => {
      if (pr.isLearner) return;
      votes.set(id, pr.recentActive);
    });
    return jointVoteResult(this.config.voters, votes) === 'VoteWon';
  }

  // Upstream: tracker/tracker.go (ProgressTracker.VoterNodes)
  voterNodes(): number[] {
    return majoritySlice(jointIDs(this.config.voters));
  }

  // Upstream: tracker/tracker.go (ProgressTracker.LearnerNodes)
  learnerNodes(): number[] {
    return majoritySlice(this.config.learners);
  }

  // Upstream: tracker/tracker.go (ProgressTracker.ResetVotes)
  resetVotes(): void {
    this.votes = new Map();
  }

  /** Records the first vote of `id` (later ones are ignored). Upstream: tracker/tracker.go (ProgressTracker.RecordVote) */
  recordVote(id: number, v: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, v);
  }

  /** Upstream: tracker/tracker.go (ProgressTracker.TallyVotes) */
  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    for (const [id, pr] of this.progress) {
      if (pr.isLearner) continue;
      const v = this.votes.get(id);
      if (v === undefined) continue;
      if (v) granted++;
      else rejected++;
    }
    return { granted, rejected, result: jointVoteResult(this.config.voters, this.votes) };
  }
}

// Upstream: tracker/tracker.go (MakeProgressTracker)
export function makeProgressTracker(maxInflight: number, maxBytes: number): ProgressTracker {
  return new ProgressTracker(maxInflight, maxBytes);
}
