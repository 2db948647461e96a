/**
 * The scenarios of the raft-partition lab, shared by its checks: a 5-member raft cluster cut
 * in two while clients write, then healed. Everything is seeded; writes go to the member that
 * leads the newest term, every 100 ms.
 */
import { newEnv, newRaftCluster, type RaftCluster } from '../sim/index';

export interface Settings {
  preVote: boolean;
  checkQuorum: boolean;
}

function cluster(seed: number, s: Settings): RaftCluster {
  const c = newRaftCluster({ size: 5, env: newEnv({ seed }), preVote: s.preVote, checkQuorum: s.checkQuorum, onViolation: 'record' });
  c.runUntil(() => c.leader() !== undefined);
  c.run(500);
  return c;
}

function writeEvery100ms(c: RaftCluster, untilMs: number, tag: string): void {
  let n = 0;
  const tick = () => {
    if (c.clock.now() >= untilMs) return;
    c.propose(`${tag}${++n}`);
    c.clock.afterFunc(100, tick);
  };
  tick();
}

const applied = (c: RaftCluster, id: number, data: string) => c.applied(id).some((e) => e.data === data);

export interface MinorityLeaderOutcome {
  /** The old leader and the member cut off with it. */
  oldLeader: number;
  minority: number[];
  /** Was `a` (written through the old leader after the cut) committed anywhere? */
  aCommitted: boolean;
  /** Was `b` (written through the majority's new leader) committed? */
  bCommitted: boolean;
  /** Did the old leader still think it led, 3 s after the cut? */
  oldLeaderStillLeads: boolean;
  /** After the heal: `a` is in nobody's log any more. */
  aDiscarded: boolean;
}

/** Step 1: the leader and one follower are cut off from the other three; a and b are written; heal. */
export function minorityLeader(seed: number, s: Settings = { preVote: false, checkQuorum: false }): MinorityLeaderOutcome {
  const c = cluster(seed, s);
  const oldLeader = c.leader()!;
  const other = c.members().find((id) => id !== oldLeader)!;
  const minority = [oldLeader, other];
  c.partition([minority, c.members().filter((id) => !minority.includes(id))], 'minority-leader');
  const a = c.node(oldLeader)!.propose('a');
  if (a) throw new Error(`the old leader refused a: ${a.message}`);
  c.runUntil(() => c.leader() !== undefined && c.leader() !== oldLeader);
  c.propose('b');
  c.run(3000);
  const oldLeaderStillLeads = c.node(oldLeader)!.raft.state === 'StateLeader';
  const aCommitted = c.members().some((id) => applied(c, id, 'a'));
  const bCommitted = c.members().filter((id) => applied(c, id, 'b')).length >= 3;
  c.heal();
  c.run(3000);
  const aDiscarded = c.members().every((id) => !c.node(id)!.raft.raftLog.allEntries().some((e) => e.data === 'a'));
  return { oldLeader, minority, aCommitted, bCommitted, oldLeaderStillLeads, aDiscarded };
}

export interface SettingOutcome {
  /** An isolated follower comes back (after 5 s, writes meanwhile) and the leader loses its leadership. */
  followerRejoinDeposesLeader: boolean;
  /** A leader cut off alone for 5 s is a follower by the end of it. */
  isolatedLeaderStepsDown: boolean;
  /** The terms the cluster went through in each scenario (for the explanation). */
  terms: { rejoin: [number, number]; isolated: [number, number] };
}

const outcomes = new Map<string, SettingOutcome>();

/** Step 2 and 3: the two scenarios under one setting (each seed and setting runs once per realm). */
export function settingOutcome(seed: number, s: Settings): SettingOutcome {
  const key = `${seed}/${s.preVote}/${s.checkQuorum}`;
  let o = outcomes.get(key);
  if (!o) outcomes.set(key, (o = runSettingOutcome(seed, { preVote: s.preVote, checkQuorum: s.checkQuorum })));
  return o;
}

function runSettingOutcome(seed: number, s: Settings): SettingOutcome {
  // A follower cut off for 5 s while the others write; then healed for 3 s.
  const c = cluster(seed, s);
  const leader = c.leader()!;
  const term0 = c.node(leader)!.raft.term;
  const follower = c.members().find((id) => id !== leader)!;
  c.partition([[follower], c.members().filter((id) => id !== follower)], 'isolated-follower');
  writeEvery100ms(c, c.clock.now() + 5000, 'w');
  c.run(5000);
  c.heal();
  c.run(3000);
  const followerRejoinDeposesLeader = c.leader() !== leader || c.node(leader)!.raft.term !== term0;
  const rejoin: [number, number] = [term0, Math.max(...c.members().map((id) => c.node(id)!.raft.term))];

  // The leader cut off alone for 5 s.
  const d = cluster(seed, s);
  const l = d.leader()!;
  const t0 = d.node(l)!.raft.term;
  d.partition([[l], d.members().filter((id) => id !== l)], 'isolated-leader');
  d.run(5000);
  const isolatedLeaderStepsDown = d.node(l)!.raft.state !== 'StateLeader';
  const isolated: [number, number] = [t0, Math.max(...d.members().map((id) => d.node(id)!.raft.term))];
  return { followerRejoinDeposesLeader, isolatedLeaderStepsDown, terms: { rejoin, isolated } };
}

export const ALL_SETTINGS: Settings[] = [
  { preVote: false, checkQuorum: false },
  { preVote: true, checkQuorum: false },
  { preVote: false, checkQuorum: true },
  { preVote: true, checkQuorum: true },
];
