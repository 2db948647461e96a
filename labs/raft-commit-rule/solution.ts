import { replayFigure8, type CommitRuleState } from 'kubelab';

/**
 * How far the leader may commit, as raft.maybeCommit decides in etcd-io/raft: the index to
 * commit up to, or r.committed to commit nothing new.
 * r.match holds each voter's Match (the leader's own too); r.termAt(i) is the term of entry i in
 * the leader's log; r.term is the leader's term.
 */
export function commitIndex(r: CommitRuleState): number {
  // The quorum index: the highest index a majority has. Sorted from high to low, the member in
  // the middle (position n/2, rounded down) and everyone before it have at least its Match.
  const matches = Object.values(r.match).sort((a, b) => b - a);
  const quorumIndex = matches[Math.floor(matches.length / 2)];
  // Raft §5.4.2: count replicas only for an entry of the leader's own term. Older entries are
  // committed with it (Log Matching), never on their own.
  if (quorumIndex > r.committed && r.termAt(quorumIndex) === r.term) return quorumIndex;
  return r.committed;
}

// ---- Run me: Figure 8 of the Raft paper, on five members that commit with your rule ----
const replay = replayFigure8({ commitIndex });
for (const line of replay.lines) console.log(line);
console.log(replay.violations.length ? `x (index ${replay.index}) was lost after it was committed.` : `x (index ${replay.index}) is safe.`);
