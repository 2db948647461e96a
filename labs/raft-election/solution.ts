import { newRaftCluster, rngFromSeed, type RaftCluster } from 'kubelab';

/** Lets virtual time pass until the cluster has a leader; returns its id. */
export function electLeader(cluster: RaftCluster): number {
  // One tick at a time: the cluster stops in the tick the leader was elected in.
  if (!cluster.runUntil(() => cluster.leader() !== undefined)) throw new Error('no leader within 30 s of virtual time');
  return cluster.leader()!;
}

/**
 * Called right after the leader crashed, before any time passes: which member becomes the next
 * leader, and at which term?
 */
export function predictNextLeader(cluster: RaftCluster): { leader: number; term: number } {
  // Upstream: raft.go (raft.tickElection): a follower campaigns once electionElapsed reaches
  // randomizedElectionTimeout. The one with the fewest ticks left campaigns first, at term + 1
  // (becomeCandidate), and wins: its log is as up to date as everyone's, and its votes arrive
  // within milliseconds, long before anyone else's timer fires a tick later.
  let best: { id: number; left: number; term: number } | undefined;
  let term = 0;
  for (const id of cluster.members()) {
    const r = cluster.node(id)?.raft;
    if (!r) continue; // crashed
    term = Math.max(term, r.term);
    const left = r.randomizedElectionTimeout - r.electionElapsed;
    if (!best || left < best.left) best = { id, left, term: r.term };
  }
  if (!best) throw new Error('no member is running');
  return { leader: best.id, term: term + 1 };
}

// ---- Run me: one cluster, seeded (try other seeds) ----
const SEED = 1;
const cluster = newRaftCluster({ size: 5, rng: rngFromSeed(SEED) });
const leader = electLeader(cluster);
if (!leader) {
  console.log(`t=${cluster.clock.now()} ms: no leader yet`);
} else {
  console.log(`t=${cluster.clock.now()} ms: member ${leader} leads term ${cluster.node(leader)!.raft.term}`);
  cluster.crash(leader);
  for (const id of cluster.members()) {
    const r = cluster.node(id)?.raft;
    console.log(r ? `  member ${id}: term ${r.term}, election timer ${r.electionElapsed}/${r.randomizedElectionTimeout} ticks` : `  member ${id}: crashed`);
  }
  const guess = predictNextLeader(cluster);
  console.log(`you predict: member ${guess.leader} at term ${guess.term}`);
  cluster.runUntil(() => cluster.leader() !== undefined);
  const next = cluster.leader()!;
  console.log(`t=${cluster.clock.now()} ms: member ${next} leads term ${cluster.node(next)!.raft.term}`);
}
