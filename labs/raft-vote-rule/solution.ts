import { newRaftCluster, rngFromSeed, type VoteRequest, type VoteRuleState } from 'kubelab';

// Step 1: the voter is at term 5, has not voted, knows no leader, and its last entry is index 7
// of term 4. Which of these requests does it grant? (true = grant)
//   1. MsgVote    term 6 from 2, last entry index 6,  term 4
//   2. MsgVote    term 6 from 3, last entry index 3,  term 5
//   3. MsgVote    term 6 from 4, last entry index 7,  term 4
//   4. MsgPreVote term 6 from 5, last entry index 12, term 3
export const predictions = {
  granted: [false, true, true, false],
};

/**
 * Decides a MsgVote or MsgPreVote, as raft.Step does in etcd-io/raft: true grants the vote.
 * `r` is this member (term, vote, lead, last entry); `m` is the candidate's request (its term,
 * and its last entry: index and logTerm).
 */
export function grantVote(r: VoteRuleState, m: VoteRequest): boolean {
  // We may vote if this repeats a vote we cast, if we have not voted and know of no leader in
  // this term, or if this is a pre-vote for a later term...
  const canVote = r.vote === m.from || (r.vote === 0 && r.lead === 0) || (m.type === 'MsgPreVote' && m.term > r.term);
  // ...and only for a candidate whose log is at least as up to date as ours (Raft §5.4.1):
  // a later last term, or the same last term and a log at least as long.
  const upToDate = m.logTerm > r.lastTerm || (m.logTerm === r.lastTerm && m.index >= r.lastIndex);
  return canVote && upToDate;
}

// ---- Run me: three members with your rule, one crash of the leader ----
const c = newRaftCluster({ size: 3, rng: rngFromSeed(7), raft: { rules: { grantVote } }, onViolation: 'record' });
c.runUntil(() => c.leader() !== undefined);
const first = c.leader()!;
console.log(`t=${c.clock.now()} ms  leader ${first} at term ${c.node(first)!.raft.term}`);
for (const data of ['a', 'b', 'c']) c.propose(data);
c.run(500);
c.crash(first);
console.log(`t=${c.clock.now()} ms  crash ${first}`);
c.runUntil(() => c.leader() !== undefined);
const next = c.leader()!;
console.log(`t=${c.clock.now()} ms  leader ${next} at term ${c.node(next)!.raft.term}`);
c.restart(first);
c.run(2000);
for (const id of c.members()) console.log(`member ${id} applied: ${c.applied(id).map((e) => e.data).join(' ') || '(nothing)'}`);
console.log(c.violations.length ? `safety violations: ${c.violations.map((v) => v.message).join('; ')}` : 'no safety violation');
