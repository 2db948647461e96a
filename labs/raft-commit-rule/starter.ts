import { replayFigure8, type CommitRuleState } from 'kubelab';

/**
 * How far the leader may commit, as raft.maybeCommit decides in etcd-io/raft: the index to
 * commit up to, or r.committed to commit nothing new.
 * r.match holds each voter's Match (the leader's own too); r.termAt(i) is the term of entry i in
 * the leader's log; r.term is the leader's term.
 */
export function commitIndex(r: CommitRuleState): number {
  // TODO (steps 1 and 2): commit what a majority has — but not every such entry.
  return r.committed;
}

// ---- Run me: Figure 8 of the Raft paper, on five members that commit with your rule ----
const replay = replayFigure8({ commitIndex });
for (const line of replay.lines) console.log(line);
console.log(replay.violations.length ? `x (index ${replay.index}) was lost after it was committed.` : `x (index ${replay.index}) is safe.`);
