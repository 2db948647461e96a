/**
 * Checks of the raft-commit-rule lab. The learner's commitIndex replaces the decision inside
 * raft.maybeCommit (src/sim/raft, after etcd-io/raft v3.6.0) in every member of the clusters
 * these checks build: a healthy cluster must commit, the Figure 8 replay must not lose x, a
 * nemesis must not break a safety property, and upstream's TestCommit table must come out as
 * upstream's does.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction } from '../../src/lab/checks';
import { formatFailure, fuzzRaftRules } from '../../src/lab/raft-fuzz';
import { newEnv, newRaftCluster, replayFigure8, type CommitRuleState } from '../../src/sim/index';

type CommitIndex = (r: CommitRuleState) => number;

/** A leader's state for the rule: `matches[i]` is voter i+1's Match, `terms[i]` the term of entry i+1. */
function state(matches: number[], terms: number[], term: number, committed = 0): CommitRuleState {
  const match: Record<number, number> = {};
  matches.forEach((m, i) => (match[i + 1] = m));
  return Object.freeze({ id: 1, term, committed, lastIndex: terms.length, match: Object.freeze(match), termAt: (i: number) => (Number.isInteger(i) && i >= 1 && i <= terms.length ? terms[i - 1] : 0) });
}

function ask(rule: CommitIndex, s: CommitRuleState): unknown {
  return rule(s);
}

/** raft_test.go TestCommit: [matches, terms of entries 1.., leader term, want]. */
const TEST_COMMIT: [number[], number[], number, number][] = [
  // single
  [[1], [1], 1, 1],
  [[1], [1], 2, 0],
  [[2], [1, 2], 2, 2],
  [[1], [2], 2, 1],
  // odd
  [[2, 1, 1], [1, 2], 1, 1],
  [[2, 1, 1], [1, 1], 2, 0],
  [[2, 1, 2], [1, 2], 2, 2],
  [[2, 1, 2], [1, 1], 2, 0],
  // even
  [[2, 1, 1, 1], [1, 2], 1, 1],
  [[2, 1, 1, 1], [1, 1], 2, 0],
  [[2, 1, 1, 2], [1, 2], 1, 1],
  [[2, 1, 1, 2], [1, 1], 2, 0],
  [[2, 1, 2, 2], [1, 2], 2, 2],
  [[2, 1, 2, 2], [1, 1], 2, 0],
];

function describe(matches: number[], terms: number[], term: number): string {
  return `Match ${matches.join(', ')}; entry terms ${terms.join(', ')}; leader term ${term}`;
}

export const commitsByQuorum = check(
  'Commits what a majority holds (entries of the current term): in a table and in a healthy cluster',
  ({ learner, expect, seed }) => {
    const commitIndex = exportedFunction<CommitIndex>(learner, 'commitIndex');
    // Every entry of the leader's term: the quorum index is the answer.
    const cases: [number[], number[], number, number][] = [
      [[5], [3, 3, 3, 3, 3], 3, 5],
      [[5, 3, 0], [3, 3, 3, 3, 3], 3, 3],
      [[5, 5, 1], [3, 3, 3, 3, 3], 3, 5],
      [[5, 2, 4, 1], [3, 3, 3, 3, 3], 3, 2],
      [[5, 3, 3, 2, 2], [3, 3, 3, 3, 3], 3, 3],
      [[5, 4, 3, 2, 1], [3, 3, 3, 3, 3], 3, 3],
      [[6, 6, 6, 0, 0, 0, 0], [2, 2, 2, 2, 2, 2], 2, 0],
      [[6, 6, 6, 6, 0, 0, 0], [2, 2, 2, 2, 2, 2], 2, 6],
    ];
    for (const [matches, terms, term, want] of cases) {
      expect(ask(commitIndex, state(matches, terms, term)), `commitIndex with ${describe(matches, terms, term)}`).to.equal(want);
    }
    const c = newRaftCluster({ size: 3, env: newEnv({ seed }), onViolation: 'record', raft: { rules: { commitIndex } } });
    c.runUntil(() => c.leader() !== undefined);
    for (const data of ['a', 'b', 'c']) c.propose(data);
    c.run(2000);
    const acked = c.proposals.filter((p) => p.acked).map((p) => p.data);
    expect(acked, 'writes acknowledged by a healthy 3-member cluster using your rule, 2 s after a, b, c were proposed').to.deep.equal(['a', 'b', 'c']);
  },
  { hint: 'Sort the Match values. How many members must hold an index for it to be on a majority, and where in the sorted list is the highest such index?' },
);

export const survivesFigure8 = check(
  'Figure 8: x is never committed by counting while it is of an older term, and no nemesis breaks safety',
  ({ learner, seed, seeds, log }) => {
    const commitIndex = exportedFunction<CommitIndex>(learner, 'commitIndex');
    const replay = replayFigure8({ commitIndex });
    if (replay.committedByCount || replay.violations.length > 0) {
      log(replay.lines.join('\n'));
      const v = replay.violations[0];
      throw new AssertionError(
        `In the Figure 8 replay (printed above) leader 1 committed x, an entry of an older term, by counting the members that hold it${v ? `; then ${v.property} broke: ${v.message}` : ''}.`,
      );
    }
    const all = [...seeds, ...Array.from({ length: 8 - seeds.length }, (_, i) => seed + seeds.length + i)];
    const failure = fuzzRaftRules({ rules: { commitIndex }, seeds: all, faults: ['crash', 'partition'] });
    if (failure) {
      log(formatFailure(failure));
      throw new AssertionError(`seed ${failure.seed}, ${failure.size} members: ${failure.problem}. The fault schedule is printed above.`);
    }
  },
  { hint: 'An entry on a majority can still be overwritten if its term is older than some other log\'s last term. Which entries can a leader safely count replicas for?' },
);

export const commitIndexMatchesRaft = check(
  "Gives raft_test.go's TestCommit table the answers raft.maybeCommit gives",
  ({ learner, expect }) => {
    const commitIndex = exportedFunction<CommitIndex>(learner, 'commitIndex');
    for (const [matches, terms, term, want] of TEST_COMMIT) {
      expect(ask(commitIndex, state(matches, terms, term)), `TestCommit: ${describe(matches, terms, term)}`).to.equal(want);
    }
    // Never backwards: a rule that finds nothing new returns what is committed.
    expect(ask(commitIndex, state([2, 1, 1], [1, 1, 1], 1, 2)), 'commitIndex with 2 already committed and a quorum index of 1').to.equal(2);
  },
  { hint: 'With one voter, its own Match decides. With an even number, a majority is more than half. And the term check compares with the leader\'s term.' },
);
