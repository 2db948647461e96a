// Mutants of the raft-commit-rule lab: plausible wrong commit rules, each caught by the check
// written for that mistake (Figure 8 for the missing current-term check).
import { defineMutants } from './mutants';

const lab = 'raft-commit-rule';

defineMutants([
  {
    name: 'no current-term check: Figure 8 loses x',
    lab,
    from: ' && r.termAt(quorumIndex) === r.term',
    to: '',
    fails: ['survivesFigure8', 'commitIndexMatchesRaft'],
    passes: ['commitsByQuorum'],
  },
  {
    name: "the leader's own Match: commits what only it holds",
    lab,
    from: 'matches[Math.floor(matches.length / 2)]',
    to: 'r.match[r.id]',
    fails: ['commitsByQuorum'],
  },
  {
    name: 'every voter must hold it: safe but stuck behind any slow member',
    lab,
    from: 'matches[Math.floor(matches.length / 2)]',
    to: 'matches[matches.length - 1]',
    fails: ['commitsByQuorum'],
  },
  {
    name: 'half is enough (off by one for an even number of voters)',
    lab,
    from: 'matches[Math.floor(matches.length / 2)]',
    to: 'matches[Math.floor((matches.length - 1) / 2)]',
    fails: ['commitsByQuorum'],
  },
  {
    name: 'the commit index may move back',
    lab,
    from: 'quorumIndex > r.committed && ',
    to: '',
    fails: ['commitIndexMatchesRaft'],
  },
]);
