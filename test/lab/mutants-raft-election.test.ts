// The raft-election checks catch the mistakes they are written for.
import { defineMutants } from './mutants';

const lab = 'raft-election';

defineMutants([
  {
    name: 'waits a fixed 3 s instead of until the election (returns long after it)',
    lab,
    from: "if (!cluster.runUntil(() => cluster.leader() !== undefined)) throw new Error('no leader within 30 s of virtual time');",
    to: 'cluster.run(3000);',
    fails: ['electsLeader'],
    passes: ['predictsNextLeader'],
  },
  {
    name: 'returns before a leader is elected',
    lab,
    from: "if (!cluster.runUntil(() => cluster.leader() !== undefined)) throw new Error('no leader within 30 s of virtual time');\n  return cluster.leader()!;",
    to: 'cluster.run(500);\n  return cluster.leader() ?? 0;',
    fails: ['electsLeader'],
  },
  {
    name: 'predicts by the drawn timeout alone, ignoring the ticks already elapsed',
    lab,
    from: 'const left = r.randomizedElectionTimeout - r.electionElapsed;',
    to: 'const left = r.randomizedElectionTimeout;',
    fails: ['predictsNextLeader'],
    passes: ['electsLeader'],
  },
  {
    name: 'predicts the term stays the same (a candidate starts a new term)',
    lab,
    from: 'return { leader: best.id, term: term + 1 };',
    to: 'return { leader: best.id, term };',
    fails: ['predictsNextLeader'],
  },
  {
    name: 'predicts the member with the most ticks left',
    lab,
    from: 'if (!best || left < best.left)',
    to: 'if (!best || left > best.left)',
    fails: ['predictsNextLeader'],
  },
  {
    name: 'predicts by letting the cluster run (not a prediction)',
    lab,
    from: '  let best: { id: number; left: number; term: number } | undefined;',
    to: '  cluster.runUntil(() => cluster.leader() !== undefined);\n  return { leader: cluster.leader()!, term: cluster.node(cluster.leader()!)!.raft.term };\n  let best: { id: number; left: number; term: number } | undefined;',
    fails: ['predictsNextLeader'],
  },
]);
