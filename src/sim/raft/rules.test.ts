/**
 * The lab rules seam: unset, the core decides as upstream; set, the rule decides, and an answer
 * that is not one is reported as the rule's bug.
 */
import { describe, expect, it } from 'vitest';
import { newRaft } from './raft';
import { newMemoryStorage } from './storage';
import type { RaftRules } from './rules';
import type { Message } from './raftpb';

function voter(rules: RaftRules = {}) {
  const storage = newMemoryStorage({ peers: [1, 2, 3] });
  storage.append([
    { index: 1, term: 1, type: 'EntryNormal', data: '' },
    { index: 2, term: 2, type: 'EntryNormal', data: '' },
  ]);
  const r = newRaft({ id: 1, electionTick: 10, heartbeatTick: 1, storage, rules });
  r.term = 2;
  return r;
}

function vote(from: number, index: number, logTerm: number): Message {
  return { type: 'MsgVote', from, to: 1, term: 3, index, logTerm } as Message;
}

const answer = (r: ReturnType<typeof voter>) => [...r.msgs, ...r.msgsAfterAppend].find((m) => m.type === 'MsgVoteResp');

describe('raft rules', () => {
  it("without rules, a candidate whose log is behind is refused (testRecvMsgVote's rule)", () => {
    const r = voter();
    r.step(vote(2, 1, 1));
    expect(answer(r)?.reject).toBe(true);
  });

  it("a grantVote rule decides, sees the voter and request as plain data, and the vote is recorded", () => {
    const seen: unknown[] = [];
    const r = voter({
      grantVote: (s, m) => {
        seen.push({ s, m });
        return true;
      },
    });
    r.step(vote(2, 1, 1));
    expect(answer(r)?.reject).toBe(false);
    expect(r.vote).toBe(2);
    expect(seen).toEqual([{ s: { id: 1, term: 3, vote: 0, lead: 0, lastIndex: 2, lastTerm: 2 }, m: { type: 'MsgVote', from: 2, term: 3, index: 1, logTerm: 1 } }]);
    expect(Object.isFrozen((seen[0] as { s: object }).s)).toBe(true);
  });

  it('a grantVote rule that returns a non-boolean is reported with the node and message', () => {
    const r = voter({ grantVote: () => 'yes' as unknown as boolean });
    expect(() => r.step(vote(2, 2, 2))).toThrow('grantVote must return true or false, returned "yes" (node 1, MsgVote from 2)');
  });

  it('a commitIndex rule decides how far a leader commits; past the last index or not a whole number is refused', () => {
    const seen: number[] = [];
    const make = (rule: RaftRules['commitIndex']) => {
      const storage = newMemoryStorage({ peers: [1] });
      const r = newRaft({ id: 1, electionTick: 10, heartbeatTick: 1, storage, rules: { commitIndex: rule } });
      r.becomeCandidate();
      r.becomeLeader();
      return r;
    };
    const r = make((s) => {
      seen.push(s.termAt(s.lastIndex));
      return s.lastIndex;
    });
    r.advanceMessagesAfterAppend();
    expect(r.raftLog.committed).toBe(1);
    expect(seen).toContain(1);
    const late = make((s) => s.lastIndex + 1);
    expect(() => late.advanceMessagesAfterAppend()).toThrow("commitIndex returned 2, past the leader's last index 1 (leader 1, term 1)");
    const half = make(() => 0.5);
    expect(() => half.advanceMessagesAfterAppend()).toThrow('commitIndex must return a whole number, returned 0.5 (leader 1, term 1)');
  });
});
