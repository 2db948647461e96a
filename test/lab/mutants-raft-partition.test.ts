// Mutants of the raft-partition lab: wrong predictions and settings, each caught by its check.
import { defineMutants } from './mutants';

const lab = 'raft-partition';

defineMutants([
  {
    name: 'the minority leader commits a',
    lab,
    from: '  aCommitted: false,',
    to: '  aCommitted: true,',
    fails: ['predictsTheCut'],
    passes: ['settingsKeepTheLeader', 'predictsTheTable'],
  },
  {
    name: 'pre-vote alone: the cut-off leader keeps leading',
    lab,
    from: 'export const settings = { preVote: true, checkQuorum: true };',
    to: 'export const settings = { preVote: true, checkQuorum: false };',
    fails: ['settingsKeepTheLeader'],
    passes: ['predictsTheCut', 'predictsTheTable'],
  },
  {
    name: 'check-quorum alone: the returning follower deposes the leader',
    lab,
    from: 'export const settings = { preVote: true, checkQuorum: true };',
    to: 'export const settings = { preVote: false, checkQuorum: true };',
    fails: ['settingsKeepTheLeader'],
  },
  {
    name: 'check-quorum alone predicted to keep the leader',
    lab,
    from: '  checkQuorum: { followerRejoinDeposesLeader: true,',
    to: '  checkQuorum: { followerRejoinDeposesLeader: false,',
    fails: ['predictsTheTable'],
    passes: ['predictsTheCut', 'settingsKeepTheLeader'],
  },
]);
