// Mutants of the raft-vote-rule lab: plausible wrong vote rules, each caught by the check written
// for that mistake (the nemesis for the unsafe ones, upstream's tables for the unfaithful ones).
import { defineMutants } from './mutants';

const lab = 'raft-vote-rule';
const UP_TO_DATE = 'const upToDate = m.logTerm > r.lastTerm || (m.logTerm === r.lastTerm && m.index >= r.lastIndex);';

defineMutants([
  {
    name: 'no up-to-date check: a candidate without the committed entries can win',
    lab,
    from: UP_TO_DATE,
    to: 'const upToDate = true;',
    fails: ['grantVoteIsSafe', 'grantVoteMatchesRaft'],
    passes: ['predictsVotes'],
  },
  {
    // Unsafe too, but a nemesis needs a stale leader's long log to move into another majority
    // before it is repaired: rare within the check's 12 seeds, so upstream's table catches it.
    name: 'the longer log wins, whatever its last term',
    lab,
    from: UP_TO_DATE,
    to: 'const upToDate = m.index >= r.lastIndex;',
    fails: ['grantVoteMatchesRaft'],
  },
  {
    name: 'a vote for anyone who asks, twice in a term too',
    lab,
    from: /const canVote = .*;/,
    to: 'const canVote = true;',
    fails: ['grantVoteIsSafe', 'grantVoteMatchesRaft'],
  },
  {
    name: 'a vote although a leader is known in this term (safe, but not raft)',
    lab,
    from: '(r.vote === 0 && r.lead === 0)',
    to: 'r.vote === 0',
    fails: ['grantVoteMatchesRaft'],
    passes: ['grantVoteIsSafe'],
  },
  {
    name: 'an equal log is refused',
    lab,
    from: 'm.index >= r.lastIndex',
    to: 'm.index > r.lastIndex',
    fails: ['grantVoteMatchesRaft'],
  },
  {
    name: 'no vote at all: no leader, nothing commits',
    lab,
    from: 'return canVote && upToDate;',
    to: 'return false;',
    fails: ['grantVoteIsSafe', 'grantVoteMatchesRaft'],
  },
  {
    name: 'the prediction counts log length only',
    lab,
    from: 'granted: [false, true, true, false]',
    to: 'granted: [false, false, true, true]',
    fails: ['predictsVotes'],
    passes: ['grantVoteIsSafe', 'grantVoteMatchesRaft'],
  },
]);
