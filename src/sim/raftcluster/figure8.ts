/**
 * Figure 8 of the Raft paper (§5.4.2), replayed on five raft members running a lab's rules: an
 * entry of an old term reaches a majority under a new leader, a leader that commits it by
 * counting replicas crashes, and a member that never had it can still win the next election
 * and overwrite it. With raft's rule (commit only an entry of the current term by counting),
 * the entry is committed only together with the new leader's own entry, and that leader-to-be
 * cannot win. Every step is scripted (campaigns, partitions, drop rules, crashes), so the replay
 * is the same whatever the seed draws for timeouts. Not an upstream component: the paper's
 * scenario, for the raft-commit-rule lab and the commit-rule lesson.
 */
import { rngFromSeed } from '../core/rng';
import type { SafetyViolation } from '../check/raft_safety';
import type { RaftRules } from '../raft/rules';
import { newRaftCluster, type RaftCluster } from './cluster';

export interface Figure8Replay {
  /** What happened, one line per step, as the Run prints it. */
  lines: string[];
  /** The index of the old-term entry `x`. */
  index: number;
  /** Whether leader 1 committed `x` before its own term's entry was on a majority. */
  committedByCount: boolean;
  /** Safety violations the checker saw (empty when the rule held). */
  violations: SafetyViolation[];
  cluster: RaftCluster;
}

/** Replays Figure 8 with `rules` (none: raft's own), recording to the active trace if any. */
export function replayFigure8(rules: RaftRules = {}, seed = 8): Figure8Replay {
  const c = newRaftCluster({ size: 5, rng: rngFromSeed(seed), fsyncMs: 0, onViolation: 'record', raft: { rules, maxSizePerMsg: 1 } });
  const lines: string[] = [];
  const say = (s: string) => lines.push(`t=${String(c.clock.now()).padStart(5)} ms  ${s}`);
  const term = (id: number) => c.node(id)?.raft.term ?? 0;
  const waitFor = (pred: () => boolean, maxMs = 3000) => {
    const end = c.clock.now() + maxMs;
    while (!pred() && c.clock.now() < end) c.clock.step(1);
    return pred();
  };
  // Campaigns every 40 ms (a vote round trip takes at most 20) until `id` leads, or 3 s passed.
  const elect = (id: number) => {
    const end = c.clock.now() + 3000;
    while (c.leader() !== id && c.clock.now() < end) {
      if (c.node(id)!.raft.state !== 'StateLeader') c.campaign(id);
      for (let i = 0; i < 40 && c.leader() !== id; i++) c.clock.step(1);
    }
    return c.leader() === id;
  };

  // (a) 1 leads, and its entry x reaches only 2.
  elect(1);
  c.propose('a');
  const aEverywhere = waitFor(() => c.members().every((id) => c.applied(id).some((e) => e.data === 'a')));
  say(`1 leads term ${term(1)}; ${aEverywhere ? 'a is committed on all five' : `a is not committed in 3 s (1's commit index stays at ${c.node(1)!.raft.raftLog.committed})`}`);
  c.partition([[1, 2], [3, 4, 5]], 'a');
  const x = c.propose('x');
  const index = x.ok ? x.index : 0;
  c.run(50);
  say(`partition {1,2} {3,4,5}; 1 appends x at index ${index} (term ${term(1)}), which reaches 2 only`);
  // (b) 1 crashes; 5 wins term+1 with 3 and 4, appends its own entry at that index, reaches nobody.
  c.crash(1);
  const noAppFrom5 = c.net.drop({ from: 5, type: 'MsgApp' });
  elect(5);
  c.run(20);
  say(`1 crashes; 5 wins term ${term(5)} with 3 and 4 and appends its empty entry at index ${index}, which reaches nobody`);
  // (c) 5 crashes; 1 comes back and wins a later term with 2, 3 and 4, and sends x on.
  c.crash(5);
  noAppFrom5.remove();
  c.heal();
  c.restart(1);
  const noAppTo2 = c.net.drop({ from: 1, to: 2, type: 'MsgApp' });
  elect(1);
  say(`5 crashes; 1 restarts and wins term ${term(1)} (votes of 2, 3, 4); it replicates x (term ${c.node(1)!.raft.raftLog.term(index)}) to 3 and 4, one entry per message`);
  waitFor(() => (c.node(1)?.raft.raftLog.committed ?? 0) >= index);
  const committed = c.node(1)!.raft.raftLog.committed;
  // By count: the newest committed entry is not of the leader's term.
  const committedByCount = committed >= index && c.node(1)!.raft.raftLog.term(committed) !== term(1);
  say(
    committed < index
      ? `1 never commits x: its commit index stays at ${committed}`
      : committedByCount
        ? `1 commits index ${committed}: x is on 1, 3 and 4, a majority — counted, though x is of term ${c.node(1)!.raft.raftLog.term(index)}`
        : `1 commits up to index ${committed}: x together with its own term-${term(1)} entry, now on a majority`,
  );
  // (d) 1 crashes at once; 5 comes back and campaigns.
  c.partition([[1], [2, 3, 4, 5]], 'd');
  c.crash(1);
  say('1 crashes at once; 5 restarts and campaigns');
  noAppTo2.remove();
  c.restart(5);
  const won = elect(5);
  if (won) {
    const at = c.node(5)!.raft.raftLog.term(index);
    say(`5 wins term ${term(5)}: its entry of term ${at} at index ${index} overwrites x on the others`);
  }
  c.run(500);
  if (!won) {
    say(`5 cannot win: 3 and 4 hold 1's entry of term ${c.node(3)?.raft.raftLog.lastEntryID().term}, and 5's log (last term ${c.node(5)!.raft.raftLog.lastEntryID().term}) is behind theirs`);
  }
  for (const v of c.violations) lines.push(`t=${String(v.atMs ?? c.clock.now()).padStart(5)} ms  checker: ${v.property} broke: ${v.message}`);
  return { lines, index, committedByCount, violations: [...c.violations], cluster: c };
}
