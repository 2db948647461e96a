/**
 * Checks of the raft-election lab. Each builds 5-member RaftClusters (src/sim/raftcluster: etcd's
 * raft loop over etcd-io/raft v3.6.0's election rules, 100 ms ticks, ElectionTick 10) from seeds,
 * calls the learner's function, and compares with what the cluster then does.
 */
import { check, exportedFunction, type CheckContext } from '../../src/lab/checks';
import { newEnv, newRaftCluster, type RaftCluster } from '../../src/sim/index';

type ElectLeader = (cluster: RaftCluster) => number;
type Predict = (cluster: RaftCluster) => { leader: number; term: number };

const TICK_MS = 100;

function newCluster(ctx: CheckContext, seed: number): RaftCluster {
  return newRaftCluster({ size: 5, env: newEnv({ seed: `raft-election/${seed}`, trace: ctx.trace }) });
}

/** The time of the last `raft.becomeLeader` in the check's trace at or after event `from`. */
function electedAt(ctx: CheckContext, from: number): number | undefined {
  const e = ctx.trace.events.slice(from).filter((x) => x.type === 'raft.becomeLeader').at(-1);
  return e?.t;
}

export const electsLeader = check(
  'electLeader(cluster) returns the leader, within one tick of its election',
  (ctx) => {
    const { learner, seeds, expect } = ctx;
    const electLeader = exportedFunction<ElectLeader>(learner, 'electLeader');
    for (const seed of seeds) {
      const c = newCluster(ctx, seed);
      const from = ctx.trace.events.length;
      const got = electLeader(c);
      const now = c.clock.now();
      expect(c.leader(), `seed ${seed}: at t=${now} ms, when electLeader returned, the cluster's leader (undefined: not elected yet)`).to.be.a('number');
      expect(got, `seed ${seed}: electLeader returned (the leader is member ${c.leader()})`).to.equal(c.leader());
      const at = electedAt(ctx, from)!;
      expect(now - at, `seed ${seed}: ms between member ${got}'s election (t=${at} ms) and electLeader returning (t=${now} ms)`).to.be.below(TICK_MS);
    }
  },
  { hint: 'Time passes only when you let it: step it a tick at a time until cluster.leader() is defined (RaftCluster.runUntil does exactly that).' },
);

/** A scenario ready for a prediction: the answer, and each member's timer. */
interface Scenario {
  cluster: RaftCluster;
  story: string;
  timers: string;
  leader: number;
  term: number;
  /** Would a prediction that ignores electionElapsed (the smallest drawn timeout) be wrong here? */
  elapsedMatters: boolean;
}

/**
 * Seed `seed`'s cluster after its leader crashed: even seeds right away (after a write), odd ones
 * with a follower that was down while the leader crashed and restarts 800 ms later (its timer
 * starts over, the others' have run). Undefined when two members' timers end in the same tick.
 */
function scenario(ctx: CheckContext, seed: number): Omit<Scenario, 'leader' | 'term'> & { next: () => { leader: number; term: number } } | undefined {
  const c = newCluster(ctx, seed);
  c.runUntil(() => c.leader() !== undefined);
  const leader = c.leader()!;
  let story: string;
  if (seed % 2 === 0) {
    c.propose(`write-${seed}`);
    c.run(300);
    c.crash(leader);
    story = `leader ${leader} crashed at t=${c.clock.now()} ms`;
  } else {
    const followers = c.members().filter((id) => id !== leader);
    const down = followers[seed % followers.length];
    c.crash(down);
    c.run(300);
    c.crash(leader);
    c.run(800);
    c.restart(down);
    story = `member ${down} crashed, leader ${leader} crashed 300 ms later, and ${down} restarted at t=${c.clock.now()} ms`;
  }
  const running = c.members().flatMap((id) => {
    const r = c.node(id)?.raft;
    return r ? [{ id, term: r.term, left: r.randomizedElectionTimeout - r.electionElapsed, drawn: r.randomizedElectionTimeout, elapsed: r.electionElapsed }] : [];
  });
  const lefts = running.map((r) => r.left).sort((a, b) => a - b);
  if (lefts[0] === lefts[1]) return undefined;
  const first = running.find((r) => r.left === lefts[0])!;
  const smallestDrawn = [...running].sort((a, b) => a.drawn - b.drawn || a.id - b.id)[0];
  const timers = c
    .members()
    .map((id) => {
      const r = running.find((x) => x.id === id);
      return r ? `${id}: ${r.elapsed}/${r.drawn}` : `${id}: crashed`;
    })
    .join(', ');
  const term = Math.max(...running.map((r) => r.term));
  return {
    cluster: c,
    story,
    timers,
    elapsedMatters: smallestDrawn.id !== first.id,
    next() {
      c.runUntil(() => c.leader() !== undefined && c.node(c.leader()!)!.raft.term > term);
      const id = c.leader()!;
      return { leader: id, term: c.node(id)!.raft.term };
    },
  };
}

/** Scenarios to judge a prediction on: `count` of them, of which at least 2 where electionElapsed matters. */
function scenarios(ctx: CheckContext, count = 6): Array<NonNullable<ReturnType<typeof scenario>>> {
  const picked: Array<NonNullable<ReturnType<typeof scenario>>> = [];
  let elapsedMatters = 0;
  for (let seed = ctx.seed; picked.length < count && seed < ctx.seed + 200; seed++) {
    const s = scenario(ctx, seed);
    if (!s) continue;
    const need = 2 - elapsedMatters;
    // Keep the last places for scenarios where a stale timer would mislead.
    if (!s.elapsedMatters && count - picked.length <= need) continue;
    if (s.elapsedMatters) elapsedMatters++;
    picked.push(s);
  }
  return picked;
}

export const predictsNextLeader = check(
  'predictNextLeader(cluster) names the next leader and its term, without letting time pass',
  (ctx) => {
    const { learner, expect } = ctx;
    const predict = exportedFunction<Predict>(learner, 'predictNextLeader');
    for (const s of scenarios(ctx)) {
      const before = s.cluster.clock.now();
      const guess = predict(s.cluster);
      expect(s.cluster.clock.now(), `${s.story}: virtual time after predictNextLeader (it must predict, not run the cluster)`).to.equal(before);
      const actual = s.next();
      const where = `${s.story}; election timers (elapsed/drawn ticks) ${s.timers}`;
      expect(guess?.leader, `${where}: the next leader (it led term ${actual.term})`).to.equal(actual.leader);
      expect(guess?.term, `${where}: the term member ${actual.leader} leads`).to.equal(actual.term);
    }
  },
  { hint: 'Ticks left = randomizedElectionTimeout − electionElapsed: the member with the fewest campaigns first. becomeCandidate starts a new term.' },
);
