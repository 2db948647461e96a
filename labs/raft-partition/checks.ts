/**
 * Checks of the raft-partition lab: predictions and settings are judged by running the same
 * scenarios on the raft model (src/sim/raft after etcd-io/raft v3.6.0, over src/sim/raftnet)
 * under several seeds, without recording (a check's trace would hold every heartbeat).
 */
import { AssertionError } from 'chai';
import { check } from '../../src/lab/checks';
import { ALL_SETTINGS, minorityLeader, settingOutcome, type Settings } from '../../src/lab/raft-partition-scenarios';

const NAMES: Record<string, Settings> = { none: ALL_SETTINGS[0], preVote: ALL_SETTINGS[1], checkQuorum: ALL_SETTINGS[2], both: ALL_SETTINGS[3] };

function object(learner: Record<string, unknown>, name: string): Record<string, unknown> {
  const v = learner[name];
  if (typeof v !== 'object' || v === null) throw new AssertionError(`main.ts must export an object named \`${name}\``);
  return v as Record<string, unknown>;
}

export const predictsTheCut = check(
  'Predicts which write commits on each side of the cut, and what the heal does',
  ({ learner, seeds, expect }) => {
    const p = object(learner, 'predictions');
    for (const seed of seeds.slice(0, 2)) {
      const o = minorityLeader(seed);
      const story = `seed ${seed}: leader ${o.oldLeader} and ${o.minority[1]} cut off from the other three`;
      expect(p.aCommitted, `predictions.aCommitted (${story})`).to.equal(o.aCommitted);
      expect(p.bCommitted, `predictions.bCommitted (${story})`).to.equal(o.bCommitted);
      expect(p.oldLeaderStillLeads, `predictions.oldLeaderStillLeads (${story})`).to.equal(o.oldLeaderStillLeads);
      expect(p.aDiscarded, `predictions.aDiscarded (${story})`).to.equal(o.aDiscarded);
    }
  },
  { hint: 'Committed means stored on a majority of the five. How many members can the old leader reach? And who tells it that a newer term exists?' },
);

export const settingsKeepTheLeader = check(
  'With your settings, a follower that comes back does not depose the leader, and a leader cut off alone steps down',
  ({ learner, seeds }) => {
    const s = object(learner, 'settings');
    if (typeof s.preVote !== 'boolean' || typeof s.checkQuorum !== 'boolean') throw new AssertionError('settings must be { preVote: boolean, checkQuorum: boolean }');
    const settings = { preVote: s.preVote, checkQuorum: s.checkQuorum };
    for (const seed of seeds.slice(0, 2)) {
      const o = settingOutcome(seed, settings);
      if (o.followerRejoinDeposesLeader) {
        throw new AssertionError(`seed ${seed}: the follower cut off for 5 s came back and the cluster lost its leader: terms went from ${o.terms.rejoin[0]} to ${o.terms.rejoin[1]}`);
      }
      if (!o.isolatedLeaderStepsDown) {
        throw new AssertionError(`seed ${seed}: the leader cut off alone for 5 s still thinks it leads (term ${o.terms.isolated[0]}), while the others moved on to term ${o.terms.isolated[1]}: clients that reach it wait for writes that cannot commit`);
      }
    }
  },
  { hint: 'One setting stops a member that cannot win from raising its term; the other makes a leader check, every election timeout, that it still hears from a quorum.' },
);

export const predictsTheTable = check(
  'Predicts both scenarios under each of the four settings',
  ({ learner, seed, expect }) => {
    const t = object(learner, 'table');
    for (const [name, settings] of Object.entries(NAMES)) {
      const row = t[name] as Record<string, unknown> | undefined;
      expect(row, `table.${name}`).to.be.an('object');
      const o = settingOutcome(seed, settings);
      expect(row!.followerRejoinDeposesLeader, `table.${name}.followerRejoinDeposesLeader (preVote ${settings.preVote}, checkQuorum ${settings.checkQuorum}: terms went ${o.terms.rejoin.join(' -> ')})`).to.equal(o.followerRejoinDeposesLeader);
      expect(row!.isolatedLeaderStepsDown, `table.${name}.isolatedLeaderStepsDown (preVote ${settings.preVote}, checkQuorum ${settings.checkQuorum})`).to.equal(o.isolatedLeaderStepsDown);
    }
  },
  { hint: 'With checkQuorum alone, the returning follower still has a higher term. What does a member do when it answers a heartbeat of a lower term?' },
);
