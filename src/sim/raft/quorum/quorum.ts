/**
 * Majority and joint quorums: the commit index a quorum has acknowledged and the result of a
 * vote. Upstream: quorum/{quorum,majority,joint}.go at etcd-io/raft v3.6.0.
 */

/** How a vote stands. Upstream: quorum/quorum.go (VoteResult) */
export type VoteResult =
  /** Not decided yet: enough voters have not answered to win or lose. */
  | 'VotePending'
  /** A quorum can no longer be reached. */
  | 'VoteLost'
  /** A quorum voted yes. */
  | 'VoteWon';

/** An index acknowledged by a voter, or undefined when unknown. Upstream: quorum/quorum.go (AckedIndexer) */
export type AckedIndexer = (voterId: number) => number | undefined;

/** A set of voters deciding by simple majority. Upstream: quorum/majority.go (MajorityConfig) */
export type MajorityConfig = Set<number>;

/** An incoming and (when joint) an outgoing config; both must agree. Upstream: quorum/joint.go (JointConfig) */
export type JointConfig = [MajorityConfig, MajorityConfig | undefined];

/** Upstream: quorum/quorum.go (Index.String): the largest index prints as ∞. */
export function indexString(i: number): string {
  return i === Infinity ? '∞' : String(i);
}

/** The ids in increasing order. Upstream: quorum/majority.go (MajorityConfig.Slice) */
export function majoritySlice(c: MajorityConfig | undefined): number[] {
  return c ? [...c].sort((a, b) => a - b) : [];
}

// Upstream: quorum/majority.go (MajorityConfig.String)
export function majorityString(c: MajorityConfig | undefined): string {
  return `(${majoritySlice(c).join(' ')})`;
}

/**
 * The largest index acknowledged by a majority: sort the acked indices (unknown = 0) and take
 * the one a majority is at or above. An empty config commits everything (∞), so a joint config
 * with an empty outgoing half depends only on the incoming one.
 * Upstream: quorum/majority.go (MajorityConfig.CommittedIndex)
 */
export function majorityCommittedIndex(c: MajorityConfig | undefined, l: AckedIndexer): number {
  const n = c ? c.size : 0;
  if (!c || n === 0) return Infinity;
  const srt: number[] = [];
  for (const id of c) srt.push(l(id) ?? 0);
  srt.sort((a, b) => a - b);
  // The smallest index that is >= that of a majority: n - (n/2 + 1) in increasing order.
  const pos = n - (Math.floor(n / 2) + 1);
  return srt[pos];
}

/** Upstream: quorum/majority.go (MajorityConfig.VoteResult) */
export function majorityVoteResult(c: MajorityConfig | undefined, votes: ReadonlyMap<number, boolean>): VoteResult {
  if (!c || c.size === 0) return 'VoteWon'; // by convention, so joint quorums work
  let votedCnt = 0;
  let missing = 0;
  for (const id of c) {
    const v = votes.get(id);
    if (v === undefined) {
      missing++;
      continue;
    }
    if (v) votedCnt++;
  }
  const q = Math.floor(c.size / 2) + 1;
  if (votedCnt >= q) return 'VoteWon';
  if (votedCnt + missing >= q) return 'VotePending';
  return 'VoteLost';
}

// Upstream: quorum/joint.go (JointConfig.String)
export function jointString(c: JointConfig): string {
  if (c[1] && c[1].size > 0) return `${majorityString(c[0])}&&${majorityString(c[1])}`;
  return majorityString(c[0]);
}

/** Every voter of either half. Upstream: quorum/joint.go (JointConfig.IDs) */
export function jointIDs(c: JointConfig): Set<number> {
  const m = new Set<number>(c[0]);
  if (c[1]) for (const id of c[1]) m.add(id);
  return m;
}

/** The smaller of the two halves' committed indices. Upstream: quorum/joint.go (JointConfig.CommittedIndex) */
export function jointCommittedIndex(c: JointConfig, l: AckedIndexer): number {
  return Math.min(majorityCommittedIndex(c[0], l), majorityCommittedIndex(c[1], l));
}

/** Won when both halves won, lost when either lost. Upstream: quorum/joint.go (JointConfig.VoteResult) */
export function jointVoteResult(c: JointConfig, votes: ReadonlyMap<number, boolean>): VoteResult {
  const r1 = majorityVoteResult(c[0], votes);
  const r2 = majorityVoteResult(c[1], votes);
  if (r1 === r2) return r1; // both won, both lost, or both pending
  if (r1 === 'VoteLost' || r2 === 'VoteLost') return 'VoteLost';
  return 'VotePending';
}
