import { newRaftCluster, rngFromSeed, type RaftCluster } from 'kubelab';

/** Lets virtual time pass until the cluster has a leader; returns its id. */
export function electLeader(cluster: RaftCluster): number {
  cluster.run(500);
  return cluster.leader() ?? 0;
}

/**
 * Called right after the leader crashed, before any time passes: which member becomes the next
 * leader, and at which term?
 */
export function predictNextLeader(cluster: RaftCluster): { leader: number; term: number } {
  const running = cluster.members().filter((id) => cluster.node(id) !== undefined);
  return { leader: running[0], term: cluster.node(running[0])!.raft.term };
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
