import { newEnv, newRaftCluster, rngFromSeed, type RaftCluster } from 'kubelab';

// Step 1: five members; the leader and one follower are cut off from the other three. A client
// writes `a` through the old leader, then `b` through the leader the three elect. 3 s later the
// network heals.
export const predictions = {
  /** Is `a` committed while the network is cut? */
  aCommitted: false,
  /** Is `b`? */
  bCommitted: true,
  /** 3 s after the cut, does the old leader still think it leads? */
  oldLeaderStillLeads: true,
  /** After the heal, is `a` gone from every log? */
  aDiscarded: true,
};

// Step 2: the settings every member runs with.
export const settings = { preVote: true, checkQuorum: true };

// Step 3: for each setting, what happens when (1) a follower cut off for 5 s while the others
// write comes back, and (2) the leader is cut off alone for 5 s.
export const table = {
  none: { followerRejoinDeposesLeader: true, isolatedLeaderStepsDown: false },
  preVote: { followerRejoinDeposesLeader: false, isolatedLeaderStepsDown: false },
  checkQuorum: { followerRejoinDeposesLeader: true, isolatedLeaderStepsDown: true },
  both: { followerRejoinDeposesLeader: false, isolatedLeaderStepsDown: true },
};

// ---- Run me: the cut of step 1, then the two scenarios of step 2 with your settings ----
// The first cluster is traced (the view shows it); the second is not, so the two do not mix.
function newCluster(s: { preVote: boolean; checkQuorum: boolean }, traced: boolean): RaftCluster {
  const c = newRaftCluster({ size: 5, ...(traced ? { rng: rngFromSeed(1) } : { env: newEnv({ seed: 1 }) }), ...s });
  c.runUntil(() => c.leader() !== undefined);
  c.run(500);
  return c;
}
const at = (c: RaftCluster) => `t=${String(c.clock.now()).padStart(5)} ms `;
const roles = (c: RaftCluster) => c.members().map((id) => `${id}:${c.node(id)!.raft.state.replace('State', '')}@${c.node(id)!.raft.term}`).join(' ');

const c = newCluster({ preVote: false, checkQuorum: false }, true);
const old = c.leader()!;
const minority = [old, c.members().find((id) => id !== old)!];
const majority = c.members().filter((id) => !minority.includes(id));
c.partition([minority, majority], 'cut');
console.log(`${at(c)}cut {${minority}} | {${majority}}; ${old} leads term ${c.node(old)!.raft.term}`);
c.node(old)!.propose('a');
c.runUntil(() => c.leader() !== old);
console.log(`${at(c)}the three elect ${c.leader()} (term ${c.node(c.leader()!)!.raft.term}); b goes to it`);
c.propose('b');
c.run(3000);
const holding = (data: string) => c.members().filter((id) => c.applied(id).some((e) => e.data === data));
console.log(`${at(c)}${roles(c)}; a applied on [${holding('a')}], b on [${holding('b')}]`);
c.heal();
c.run(3000);
console.log(`${at(c)}healed: ${roles(c)}; a applied on [${holding('a')}], b on [${holding('b')}]`);

const f = newCluster(settings, false);
const leader = f.leader()!;
const follower = f.members().find((id) => id !== leader)!;
f.partition([[follower], f.members().filter((id) => id !== follower)], 'follower');
for (let i = 1; i <= 50; i++) f.clock.afterFunc(i * 100, () => void f.propose(`w${i}`));
f.run(5000);
console.log(`${at(f)}follower ${follower} cut off for 5 s: ${roles(f)}`);
f.heal();
f.run(3000);
console.log(`${at(f)}healed: ${roles(f)} — leader ${f.leader() === leader ? 'unchanged' : `now ${f.leader()}`}`);
