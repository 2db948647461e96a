/**
 * Checks of the raft-vote-rule lab. The predictions and the table are judged by the raft model
 * itself (src/sim/raft, after etcd-io/raft v3.6.0's raft.Step), given the same state and request.
 * The learner's rule is then plugged into whole clusters under a nemesis: the safety checker runs
 * after every step, and a failing seed prints its fault schedule.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction, type Expect } from '../../src/lab/checks';
import { fuzzRaftRules, formatFailure } from '../../src/lab/raft-fuzz';
import { newMemoryStorage, newRaft, type TraceEvent, type VoteRequest, type VoteRuleState } from '../../src/sim/index';

type GrantVote = (r: VoteRuleState, m: VoteRequest) => boolean;

/** What etcd-io/raft decides: a raft in `r`'s state steps the request; did it answer without reject? */
export function raftGrants(r: VoteRuleState, m: VoteRequest): boolean {
  const storage = newMemoryStorage({ peers: [1, 2, 3, 4, 5] });
  storage.append(Array.from({ length: r.lastIndex }, (_, i) => ({ index: i + 1, term: r.lastTerm, type: 'EntryNormal' as const, data: '' })));
  const raft = newRaft({ id: r.id, electionTick: 10, heartbeatTick: 1, storage });
  raft.term = r.term;
  raft.vote = r.vote;
  raft.lead = r.lead;
  raft.step({ type: m.type, from: m.from, to: r.id, term: m.term, index: m.index, logTerm: m.logTerm });
  const resp = [...raft.msgs, ...raft.msgsAfterAppend].find((x) => x.to === m.from && (x.type === 'MsgVoteResp' || x.type === 'MsgPreVoteResp'));
  if (!resp) throw new Error(`the raft model sent no answer to ${m.type} from ${m.from}`);
  return !resp.reject;
}

/** The voter state and request a `raft.vote` event records (vote and lead are not in it: the ones that let it vote). */
function voterOf(e: TraceEvent): VoteRuleState {
  return { id: e.node as number, term: e.term as number, vote: 0, lead: 0, lastIndex: e.lastIndex as number, lastTerm: e.lastTerm as number };
}

function requestOf(e: TraceEvent): VoteRequest {
  return { type: e.msgType as VoteRequest['type'], from: e.candidate as number, term: e.term as number, index: e.candidateIndex as number, logTerm: e.candidateLogTerm as number };
}

/** The voter of step 1: term 5, no vote, no leader known, last entry index 7 of term 4. */
export const VOTER: VoteRuleState = { id: 1, term: 5, vote: 0, lead: 0, lastIndex: 7, lastTerm: 4 };
/** Step 1's four requests, in order. */
export const REQUESTS: VoteRequest[] = [
  { type: 'MsgVote', from: 2, term: 6, index: 6, logTerm: 4 },
  { type: 'MsgVote', from: 3, term: 6, index: 3, logTerm: 5 },
  { type: 'MsgVote', from: 4, term: 6, index: 7, logTerm: 4 },
  { type: 'MsgPreVote', from: 5, term: 6, index: 12, logTerm: 3 },
];

export const predictsVotes = check(
  'Predicts which of the four requests the voter grants',
  ({ learner, expect }) => {
    const p = learner.predictions as { granted?: unknown } | undefined;
    expect(p, 'main.ts must export an object named `predictions`').to.be.an('object');
    expect(p!.granted, 'predictions.granted must be an array of four booleans').to.be.an('array').with.lengthOf(4);
    const truth = REQUESTS.map((m) => raftGrants(VOTER, m));
    REQUESTS.forEach((m, i) => {
      expect((p!.granted as unknown[])[i], `predictions.granted[${i}]: ${m.type} from ${m.from} (last entry index ${m.index}, term ${m.logTerm})`).to.equal(truth[i]);
    });
  },
  { hint: 'Compare last entries: the higher last term wins; with equal last terms, the longer log. The length alone decides nothing.' },
);

export const grantVoteIsSafe = check(
  'With your grantVote in every member, no safety property breaks under crashes and partitions, and no acknowledged write is lost',
  ({ learner, seeds, seed, expect, log }) => {
    const grantVote = exportedFunction<GrantVote>(learner, 'grantVote');
    // 12 seeds from the run's: the same seeds every time, so a failure replays.
    const all = [...seeds, ...Array.from({ length: 12 - seeds.length }, (_, i) => seed + seeds.length + i)];
    const failure = fuzzRaftRules({ rules: { grantVote }, seeds: all, faults: ['crash', 'partition'] });
    if (!failure) return;
    log(formatFailure(failure));
    // The same seed again, recorded: the first vote your rule granted that raft refuses.
    const vote = failure.replay().find((e) => e.type === 'raft.vote' && e.granted === true && !raftGrants(voterOf(e), requestOf(e)));
    const culprit = vote
      ? ` The first vote raft would have refused: at ${vote.t} ms member ${vote.node} granted ${vote.msgType} of term ${vote.term} to ${vote.candidate}, whose last entry ${vote.candidateIndex}@${vote.candidateLogTerm} is behind its own ${vote.lastIndex}@${vote.lastTerm}.`
      : '';
    throw new AssertionError(`seed ${failure.seed}, ${failure.size} members: ${failure.problem}.${culprit} The fault schedule is printed above.`);
  },
  { hint: 'A candidate that lacks a committed entry must never win. Which part of its request tells you how far its log goes, and against what do you compare it?' },
);

/**
 * Upstream's table: raft_test.go testRecvMsgVote (TestRecvMsgVote / TestRecvMsgPreVote). The voter
 * holds entries 1 and 2 of term 2; its term is the larger of 2 and the candidate's last term;
 * (index, logTerm) is the candidate's last entry; voteFor is who the voter already voted for.
 */
const RECV_MSG_VOTE: [index: number, logTerm: number, voteFor: number][] = [
  [0, 0, 0], [0, 1, 0], [0, 2, 0], [0, 3, 0],
  [1, 0, 0], [1, 1, 0], [1, 2, 0], [1, 3, 0],
  [2, 0, 0], [2, 1, 0], [2, 2, 0], [2, 3, 0],
  [3, 0, 0], [3, 1, 0], [3, 2, 0], [3, 3, 0],
  [3, 2, 2], [3, 2, 1],
];

export const grantVoteMatchesRaft = check(
  "Decides every request of etcd-io/raft's vote tables as raft.Step does (votes, pre-votes, a known leader)",
  ({ learner, expect }) => {
    const grantVote = exportedFunction<GrantVote>(learner, 'grantVote');
    const cases: { why: string; r: VoteRuleState; m: VoteRequest }[] = [];
    for (const type of ['MsgVote', 'MsgPreVote'] as const) {
      for (const [index, logTerm, voteFor] of RECV_MSG_VOTE) {
        const term = Math.max(2, logTerm);
        cases.push({ why: `testRecvMsgVote (${type})`, r: { id: 1, term, vote: voteFor, lead: 0, lastIndex: 2, lastTerm: 2 }, m: { type, from: 2, term, index, logTerm } });
      }
    }
    // A leader is known in this term (TestLeaderElection's followers): a vote for another candidate is refused...
    cases.push({ why: 'a leader is known in this term', r: { id: 1, term: 3, vote: 0, lead: 3, lastIndex: 2, lastTerm: 2 }, m: { type: 'MsgVote', from: 2, term: 3, index: 2, logTerm: 2 } });
    // ...but a pre-vote for a later term is answered on the log alone (TestPreVoteFromAnyState).
    cases.push({ why: 'a pre-vote for a later term, having voted', r: { id: 1, term: 3, vote: 3, lead: 3, lastIndex: 2, lastTerm: 2 }, m: { type: 'MsgPreVote', from: 2, term: 4, index: 2, logTerm: 2 } });
    cases.push({ why: 'a pre-vote for a later term, log behind', r: { id: 1, term: 3, vote: 3, lead: 3, lastIndex: 2, lastTerm: 2 }, m: { type: 'MsgPreVote', from: 2, term: 4, index: 1, logTerm: 2 } });
    // The same candidate asking again is answered as before (a duplicated MsgVote).
    cases.push({ why: 'a repeated request from the candidate we voted for', r: { id: 1, term: 3, vote: 2, lead: 0, lastIndex: 2, lastTerm: 2 }, m: { type: 'MsgVote', from: 2, term: 3, index: 2, logTerm: 2 } });
    for (const { why, r, m } of cases) {
      const want = raftGrants(r, m);
      expectDecision(expect, grantVote, r, m, want, why);
    }
  },
  { hint: 'A vote is granted only if we may vote at all (our vote, or no vote and no leader, or a pre-vote for a later term) and the log is up to date.' },
);

function expectDecision(expect: Expect, grantVote: GrantVote, r: VoteRuleState, m: VoteRequest, want: boolean, why: string): void {
  const got = grantVote(Object.freeze({ ...r }), Object.freeze({ ...m }));
  const state = `voter term ${r.term}, vote ${r.vote}, lead ${r.lead}, last entry ${r.lastIndex}@${r.lastTerm}`;
  const req = `${m.type} term ${m.term} from ${m.from}, last entry ${m.index}@${m.logTerm}`;
  expect(got, `${why}: ${state}; ${req} (raft ${want ? 'grants' : 'rejects'} it)`).to.equal(want);
}
