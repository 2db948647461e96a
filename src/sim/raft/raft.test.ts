/**
 * The key tables of raft_test.go (etcd-io/raft v3.6.0), each named by the upstream test it ports.
 */
import { describe, expect, it } from 'vitest';
import { ErrProposalDropped } from './errors';
import { newLog } from './log';
import { Raft, stepCandidate, stepFollower, stepLeader, type RaftConfig, type StateType } from './raft';
import type { Entry, MessageType } from './raftpb';
import { MemoryStorage, newMemoryStorage } from './storage';
import {
  entsWithConfig,
  index,
  newNetwork,
  newNetworkWithConfig,
  newTestRaft,
  nextEnts,
  nopStepper,
  preVoteConfig,
  setRandomizedElectionTimeout,
  storageWithEnts,
  type Network,
} from './testing';

const withPeers = (...peers: number[]) => newMemoryStorage({ peers });
const ent = (term: number, i: number, data?: string): Entry => ({ term, index: i, type: 'EntryNormal', ...(data !== undefined ? { data } : {}) });

// Upstream: raft_test.go (checkLeaderTransferState)
function checkLeaderTransferState(r: Raft, state: StateType, lead: number): void {
  expect(r.state).toBe(state);
  expect(r.lead).toBe(lead);
  expect(r.leadTransferee).toBe(0);
}

/** Every raft peer's log equals `want` (upstream compares ltoa(raftLog) strings). */
function expectLogs(nw: Network, want: Entry[], committed: number): void {
  for (const p of nw.peers.values()) {
    if (!(p instanceof Raft)) continue;
    expect(p.raftLog.allEntries()).toEqual(want);
    expect(p.raftLog.committed).toBe(committed);
  }
}

describe('raft (raft_test.go)', () => {
  // TestLeaderElection, TestLeaderElectionPreVote
  describe.each([false, true])('preVote=%s', (preVote) => {
    const cfg = preVote ? preVoteConfig : undefined;
    const candState: StateType = preVote ? 'StatePreCandidate' : 'StateCandidate';
    const candTerm = preVote ? 0 : 1;
    it.each<[string, () => Network, StateType, number]>([
      ['3 nodes', () => newNetworkWithConfig(cfg, undefined, undefined, undefined), 'StateLeader', 1],
      ['one down', () => newNetworkWithConfig(cfg, undefined, undefined, nopStepper), 'StateLeader', 1],
      ['two of three down', () => newNetworkWithConfig(cfg, undefined, nopStepper, nopStepper), candState, candTerm],
      ['two of four down', () => newNetworkWithConfig(cfg, undefined, nopStepper, nopStepper, undefined), candState, candTerm],
      ['two of five down', () => newNetworkWithConfig(cfg, undefined, nopStepper, nopStepper, undefined, undefined), 'StateLeader', 1],
      // three logs further along than 1: 1 cannot win
      ['logs ahead', () => newNetworkWithConfig(cfg, undefined, entsWithConfig(cfg, 1), entsWithConfig(cfg, 1), entsWithConfig(cfg, 1, 1), undefined), 'StateFollower', 1],
    ])('%s (TestLeaderElection)', (_name, mk, state, term) => {
      const nw = mk();
      nw.send({ from: 1, to: 1, type: 'MsgHup' });
      expect(nw.raft(1).state).toBe(state);
      expect(nw.raft(1).term).toBe(term);
    });

    // TestLeaderCycle, TestLeaderCyclePreVote
    it('each node can be elected in turn (TestLeaderCycle)', () => {
      const n = newNetworkWithConfig(cfg, undefined, undefined, undefined);
      for (let campaignerID = 1; campaignerID <= 3; campaignerID++) {
        n.send({ from: campaignerID, to: campaignerID, type: 'MsgHup' });
        for (const [id, p] of n.peers) {
          const sm = p as Raft;
          expect(sm.state).toBe(id === campaignerID ? 'StateLeader' : 'StateFollower');
        }
      }
    });

    // TestLeaderElectionOverwriteNewerLogs
    it('a new leader overwrites uncommitted newer-term entries (TestLeaderElectionOverwriteNewerLogs)', () => {
      const n = newNetworkWithConfig(cfg, entsWithConfig(cfg, 1), entsWithConfig(cfg, 1), votedWithTerm(cfg, 3, 2), votedWithTerm(cfg, 3, 2), votedWithTerm(cfg, 3, 2));
      // Node 1 campaigns. The election fails because a quorum of nodes know about term 2.
      n.send({ from: 1, to: 1, type: 'MsgHup' });
      const sm1 = n.raft(1);
      expect(sm1.state).toBe('StateFollower');
      expect(sm1.term).toBe(2);
      // Node 1 campaigns again with a higher term. This time it succeeds.
      n.send({ from: 1, to: 1, type: 'MsgHup' });
      expect(sm1.state).toBe('StateLeader');
      expect(sm1.term).toBe(3);
      for (const p of n.peers.values()) {
        const ents = (p as Raft).raftLog.allEntries();
        expect(ents.map((e) => e.term)).toEqual([1, 3]);
      }
    });
  });

  // TestLogReplication
  it.each<[string, Array<{ from: number; to: number; type: MessageType; entries?: Entry[] }>, number]>([
    ['one proposal', [{ from: 1, to: 1, type: 'MsgProp', entries: [ent(0, 0, 'somedata')] }], 2],
    [
      'a proposal, a new leader, another proposal',
      [
        { from: 1, to: 1, type: 'MsgProp', entries: [ent(0, 0, 'somedata')] },
        { from: 1, to: 2, type: 'MsgHup' },
        { from: 1, to: 2, type: 'MsgProp', entries: [ent(0, 0, 'somedata')] },
      ],
      4,
    ],
  ])('%s (TestLogReplication)', (_name, msgs, wcommitted) => {
    const nw = newNetwork(undefined, undefined, undefined);
    nw.send({ from: 1, to: 1, type: 'MsgHup' });
    for (const m of msgs) nw.send(m);
    for (const [j, p] of nw.peers) {
      const sm = p as Raft;
      expect(sm.raftLog.committed).toBe(wcommitted);
      const ents = nextEnts(sm, nw.storage.get(j)!).filter((e) => e.data !== undefined);
      const props = msgs.filter((m) => m.type === 'MsgProp');
      props.forEach((m, k) => expect(ents[k].data).toBe(m.entries![0].data));
    }
  });

  it('a single node commits at once (TestSingleNodeCommit)', () => {
    const tt = newNetwork(newTestRaft(1, 10, 1, withPeers(1)));
    tt.send({ from: 1, to: 1, type: 'MsgHup' });
    tt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'some data' }] });
    tt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'some data' }] });
    expect(tt.raft(1).raftLog.committed).toBe(3);
  });

  it('entries of an old term commit only with a new-term entry (TestCannotCommitWithoutNewTermEntry)', () => {
    const tt = newNetwork(undefined, undefined, undefined, undefined, undefined);
    tt.send({ from: 1, to: 1, type: 'MsgHup' });
    // 0 cannot reach 2, 3, 4
    tt.cut(1, 3);
    tt.cut(1, 4);
    tt.cut(1, 5);
    tt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'some data' }] });
    tt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'some data' }] });
    expect(tt.raft(1).raftLog.committed).toBe(1);
    // network recovery; avoid committing the entries by ignoring MsgApp
    tt.recover();
    tt.ignore('MsgApp');
    // elect 2 as the new leader with term 2
    tt.send({ from: 2, to: 2, type: 'MsgHup' });
    // no log entries from previous term should be committed
    const sm = tt.raft(2);
    expect(sm.raftLog.committed).toBe(1);
    tt.recover();
    // send heartbeat; reset wait
    tt.send({ from: 2, to: 2, type: 'MsgBeat' });
    // append an entry at the current term
    tt.send({ from: 2, to: 2, type: 'MsgProp', entries: [{ data: 'some data' }] });
    // expect the committed to be advanced
    expect(sm.raftLog.committed).toBe(5);
  });

  it("a new leader's empty entry commits the old ones (TestCommitWithoutNewTermEntry)", () => {
    const tt = newNetwork(undefined, undefined, undefined, undefined, undefined);
    tt.send({ from: 1, to: 1, type: 'MsgHup' });
    tt.cut(1, 3);
    tt.cut(1, 4);
    tt.cut(1, 5);
    tt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'some data' }] });
    tt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'some data' }] });
    const sm = tt.raft(1);
    expect(sm.raftLog.committed).toBe(1);
    tt.recover();
    // elect 2 as the new leader with term 2; after the empty entry commits, all are committed
    tt.send({ from: 2, to: 2, type: 'MsgHup' });
    expect(sm.raftLog.committed).toBe(4);
  });

  it('dueling candidates: the one with the shorter log loses (TestDuelingCandidates)', () => {
    const a = newTestRaft(1, 10, 1, withPeers(1, 2, 3));
    const b = newTestRaft(2, 10, 1, withPeers(1, 2, 3));
    const c = newTestRaft(3, 10, 1, withPeers(1, 2, 3));
    const nt = newNetwork(a, b, c);
    nt.cut(1, 3);
    nt.send({ from: 1, to: 1, type: 'MsgHup' });
    nt.send({ from: 3, to: 3, type: 'MsgHup' });
    // 1 becomes leader since it receives votes from 1 and 2
    expect(a.state).toBe('StateLeader');
    // 3 stays as candidate since it receives a vote from 3 and a rejection from 2
    expect(c.state).toBe('StateCandidate');
    nt.recover();
    // candidate 3 now increases its term and tries to vote again; it is rejected (log too short),
    // and its higher term makes everyone a follower
    nt.send({ from: 3, to: 3, type: 'MsgHup' });
    expect(c.state).toBe('StateFollower');
    for (const [sm, state, term, lastIndex] of [
      [a, 'StateFollower', 2, 1],
      [b, 'StateFollower', 2, 1],
      [c, 'StateFollower', 2, 0],
    ] as const) {
      expect(sm.state).toBe(state);
      expect(sm.term).toBe(term);
      expect(sm.raftLog.lastIndex()).toBe(lastIndex);
    }
  });

  it('dueling pre-candidates: the loser never disrupts the term (TestDuelingPreCandidates)', () => {
    const mk = (id: number) => newTestRaft(id, 10, 1, withPeers(1, 2, 3), { preVote: true });
    const [a, b, c] = [mk(1), mk(2), mk(3)];
    const nt = newNetwork(a, b, c);
    nt.cut(1, 3);
    nt.send({ from: 1, to: 1, type: 'MsgHup' });
    nt.send({ from: 3, to: 3, type: 'MsgHup' });
    expect(a.state).toBe('StateLeader');
    // 3 campaigns then reverts to follower when its PreVote is rejected
    expect(c.state).toBe('StateFollower');
    nt.recover();
    nt.send({ from: 3, to: 3, type: 'MsgHup' });
    for (const [sm, state, term, lastIndex] of [
      [a, 'StateLeader', 1, 1],
      [b, 'StateFollower', 1, 1],
      [c, 'StateFollower', 1, 0],
    ] as const) {
      expect(sm.state).toBe(state);
      expect(sm.term).toBe(term);
      expect(sm.raftLog.lastIndex()).toBe(lastIndex);
    }
  });

  it('a candidate concedes to a leader of its term (TestCandidateConcede)', () => {
    const tt = newNetwork(undefined, undefined, undefined);
    tt.isolate(1);
    tt.send({ from: 1, to: 1, type: 'MsgHup' });
    tt.send({ from: 3, to: 3, type: 'MsgHup' });
    // heal the partition
    tt.recover();
    // send heartbeat; reset wait
    tt.send({ from: 3, to: 3, type: 'MsgBeat' });
    tt.send({ from: 3, to: 3, type: 'MsgProp', entries: [{ data: 'force follower' }] });
    // send heartbeat; flush out commit
    tt.send({ from: 3, to: 3, type: 'MsgBeat' });
    const a = tt.raft(1);
    expect(a.state).toBe('StateFollower');
    expect(a.term).toBe(1);
    expectLogs(tt, [ent(1, 1), ent(1, 2, 'force follower')], 2);
  });

  it('a single node becomes leader at once (TestSingleNodeCandidate, TestSingleNodePreCandidate)', () => {
    for (const cfg of [undefined, preVoteConfig]) {
      const tt = newNetworkWithConfig(cfg, undefined);
      tt.send({ from: 1, to: 1, type: 'MsgHup' });
      expect(tt.raft(1).state).toBe('StateLeader');
    }
  });

  it('messages of old terms are ignored (TestOldMessages)', () => {
    const tt = newNetwork(undefined, undefined, undefined);
    // make 0 leader @ term 3
    tt.send({ from: 1, to: 1, type: 'MsgHup' });
    tt.send({ from: 2, to: 2, type: 'MsgHup' });
    tt.send({ from: 1, to: 1, type: 'MsgHup' });
    // pretend we're an old leader trying to make progress; this entry is expected to be ignored.
    tt.send({ from: 2, to: 1, type: 'MsgApp', term: 2, entries: index(3).terms(2) });
    // commit a new entry
    tt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'somedata' }] });
    expectLogs(tt, [ent(1, 1), ent(2, 2), ent(3, 3), ent(3, 4, 'somedata')], 4);
  });

  // TestProposal
  it.each<[string, () => Network, boolean]>([
    ['3 nodes', () => newNetwork(undefined, undefined, undefined), true],
    ['one down', () => newNetwork(undefined, undefined, nopStepper), true],
    ['two of three down', () => newNetwork(undefined, nopStepper, nopStepper), false],
    ['two of four down', () => newNetwork(undefined, nopStepper, nopStepper, undefined), false],
    ['two of five down', () => newNetwork(undefined, nopStepper, nopStepper, undefined, undefined), true],
  ])('proposal with %s: success %s (TestProposal)', (_name, mk, success) => {
    const tt = mk();
    tt.send({ from: 1, to: 1, type: 'MsgHup' });
    // A dropped proposal (no leader) is an error returned by step, not a crash.
    tt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'somedata' }] });
    const want = success ? [ent(1, 1), ent(1, 2, 'somedata')] : [];
    for (const p of tt.peers.values()) if (p instanceof Raft) expect(p.raftLog.allEntries()).toEqual(want);
    expect(tt.raft(1).term).toBe(1);
  });

  it('a follower forwards a proposal to the leader (TestProposalByProxy)', () => {
    for (const mk of [() => newNetwork(undefined, undefined, undefined), () => newNetwork(undefined, undefined, nopStepper)]) {
      const tt = mk();
      tt.send({ from: 1, to: 1, type: 'MsgHup' });
      // propose via follower
      tt.send({ from: 2, to: 2, type: 'MsgProp', entries: [{ data: 'somedata' }] });
      for (const p of tt.peers.values()) if (p instanceof Raft) expect(p.raftLog.allEntries()).toEqual([ent(1, 1), ent(1, 2, 'somedata')]);
      expect(tt.raft(1).raftLog.committed).toBe(2);
    }
  });

  // TestCommit
  it.each<[number[], Entry[], number, number]>([
    // single
    [[1], [ent(1, 1)], 1, 1],
    [[1], [ent(1, 1)], 2, 0],
    [[2], [ent(1, 1), ent(2, 2)], 2, 2],
    [[1], [ent(2, 1)], 2, 1],
    // odd
    [[2, 1, 1], [ent(1, 1), ent(2, 2)], 1, 1],
    [[2, 1, 1], [ent(1, 1), ent(1, 2)], 2, 0],
    [[2, 1, 2], [ent(1, 1), ent(2, 2)], 2, 2],
    [[2, 1, 2], [ent(1, 1), ent(1, 2)], 2, 0],
    // even
    [[2, 1, 1, 1], [ent(1, 1), ent(2, 2)], 1, 1],
    [[2, 1, 1, 1], [ent(1, 1), ent(1, 2)], 2, 0],
    [[2, 1, 1, 2], [ent(1, 1), ent(2, 2)], 1, 1],
    [[2, 1, 1, 2], [ent(1, 1), ent(1, 2)], 2, 0],
    [[2, 1, 2, 2], [ent(1, 1), ent(2, 2)], 2, 2],
    [[2, 1, 2, 2], [ent(1, 1), ent(1, 2)], 2, 0],
  ])('matches %j, log %j, term %i -> commit %i (TestCommit)', (matches, logs, smTerm, w) => {
    const storage = withPeers(1);
    storage.append(logs);
    storage.hardState = { term: smTerm, vote: 0, commit: 0 };
    const sm = newTestRaft(1, 10, 2, storage);
    for (let j = 0; j < matches.length; j++) {
      const id = j + 1;
      if (id > 1) sm.applyConfChange({ type: 'ConfChangeAddNode', nodeId: id });
      const pr = sm.trk.progress.get(id)!;
      pr.match = matches[j];
      pr.next = matches[j] + 1;
    }
    sm.maybeCommit();
    expect(sm.raftLog.committed).toBe(w);
  });

  // TestPastElectionTimeout
  it.each([
    [5, 0, false],
    [10, 0.1, true],
    [13, 0.4, true],
    [15, 0.6, true],
    [18, 0.9, true],
    [20, 1, false],
  ])('elapsed %i -> probability %s (TestPastElectionTimeout)', (elapse, wprobability, round) => {
    const sm = newTestRaft(1, 10, 1, withPeers(1));
    sm.electionElapsed = elapse;
    let c = 0;
    for (let j = 0; j < 10000; j++) {
      sm.resetRandomizedElectionTimeout();
      if (sm.pastElectionTimeout()) c++;
    }
    let got = c / 10000;
    if (round) got = Math.floor(got * 10 + 0.5) / 10;
    expect(got).toBe(wprobability);
  });

  // TestHandleMsgApp
  it.each<[{ term: number; logTerm: number; index: number; commit: number; entries?: Entry[] }, number, number, boolean]>([
    // Ensure 1: reply false if the log doesn't contain an entry at prevLogIndex with prevLogTerm
    [{ term: 2, logTerm: 3, index: 2, commit: 3 }, 2, 0, true],
    [{ term: 2, logTerm: 3, index: 3, commit: 3 }, 2, 0, true],
    // Ensure 2
    [{ term: 2, logTerm: 1, index: 1, commit: 1 }, 2, 1, false],
    [{ term: 2, logTerm: 0, index: 0, commit: 1, entries: [ent(2, 1)] }, 1, 1, false],
    [{ term: 2, logTerm: 2, index: 2, commit: 3, entries: [ent(2, 3), ent(2, 4)] }, 4, 3, false],
    [{ term: 2, logTerm: 2, index: 2, commit: 4, entries: [ent(2, 3)] }, 3, 3, false],
    [{ term: 2, logTerm: 1, index: 1, commit: 4, entries: [ent(2, 2)] }, 2, 2, false],
    // Ensure 3
    [{ term: 1, logTerm: 1, index: 1, commit: 3 }, 2, 1, false],
    [{ term: 1, logTerm: 1, index: 1, commit: 3, entries: [ent(2, 2)] }, 2, 2, false],
    [{ term: 2, logTerm: 2, index: 2, commit: 3 }, 2, 2, false],
    [{ term: 2, logTerm: 2, index: 2, commit: 4 }, 2, 2, false],
  ])('handleAppendEntries %j (TestHandleMsgApp)', (m, wIndex, wCommit, wReject) => {
    const storage = withPeers(1);
    storage.append(index(1).terms(1, 2));
    const sm = newTestRaft(1, 10, 1, storage);
    sm.becomeFollower(2, 0);
    sm.handleAppendEntries({ type: 'MsgApp', to: 1, from: 0, vote: 0, reject: false, rejectHint: 0, entries: [], ...m });
    expect(sm.raftLog.lastIndex()).toBe(wIndex);
    expect(sm.raftLog.committed).toBe(wCommit);
    const msgs = sm.readMessages();
    expect(msgs.length).toBe(1);
    expect(msgs[0].reject).toBe(wReject);
  });

  // TestRecvMsgVote, TestRecvMsgPreVote
  describe.each<MessageType>(['MsgVote', 'MsgPreVote'])('%s', (msgType) => {
    it.each<[StateType, number, number, number, boolean]>([
      ['StateFollower', 0, 0, 0, true],
      ['StateFollower', 0, 1, 0, true],
      ['StateFollower', 0, 2, 0, true],
      ['StateFollower', 0, 3, 0, false],
      ['StateFollower', 1, 0, 0, true],
      ['StateFollower', 1, 1, 0, true],
      ['StateFollower', 1, 2, 0, true],
      ['StateFollower', 1, 3, 0, false],
      ['StateFollower', 2, 0, 0, true],
      ['StateFollower', 2, 1, 0, true],
      ['StateFollower', 2, 2, 0, false],
      ['StateFollower', 2, 3, 0, false],
      ['StateFollower', 3, 0, 0, true],
      ['StateFollower', 3, 1, 0, true],
      ['StateFollower', 3, 2, 0, false],
      ['StateFollower', 3, 3, 0, false],
      ['StateFollower', 3, 2, 2, false],
      ['StateFollower', 3, 2, 1, true],
      ['StateLeader', 3, 3, 1, true],
      ['StatePreCandidate', 3, 3, 1, true],
      ['StateCandidate', 3, 3, 1, true],
    ])('%s index %i logTerm %i voted %i -> reject %s (TestRecvMsgVote)', (state, i, logTerm, voteFor, wreject) => {
      const sm = newTestRaft(1, 10, 1, withPeers(1));
      sm.state = state;
      sm.stepFn = state === 'StateFollower' ? stepFollower : state === 'StateLeader' ? stepLeader : stepCandidate;
      sm.vote = voteFor;
      sm.raftLog = newLog(storageWithEnts(index(0).terms(0, 2, 2)));
      // Vote for a term at least as high as the last entry's (upstream notes a pre-vote for a
      // higher term is also tested by this).
      const term = Math.max(sm.raftLog.lastEntryID().term, logTerm);
      sm.term = term;
      sm.step({ type: msgType, term, from: 2, index: i, logTerm });
      const msgs = sm.readMessages();
      expect(msgs.length).toBe(1);
      expect(msgs[0].type).toBe(msgType === 'MsgVote' ? 'MsgVoteResp' : 'MsgPreVoteResp');
      expect(msgs[0].reject).toBe(wreject);
    });
  });

  // TestStateTransition
  it.each<[StateType, StateType, boolean, number, number]>([
    ['StateFollower', 'StateFollower', true, 1, 0],
    ['StateFollower', 'StatePreCandidate', true, 0, 0],
    ['StateFollower', 'StateCandidate', true, 1, 0],
    ['StateFollower', 'StateLeader', false, 0, 0],
    ['StatePreCandidate', 'StateFollower', true, 0, 0],
    ['StatePreCandidate', 'StatePreCandidate', true, 0, 0],
    ['StatePreCandidate', 'StateCandidate', true, 1, 0],
    ['StatePreCandidate', 'StateLeader', true, 0, 1],
    ['StateCandidate', 'StateFollower', true, 0, 0],
    ['StateCandidate', 'StatePreCandidate', true, 0, 0],
    ['StateCandidate', 'StateCandidate', true, 1, 0],
    ['StateCandidate', 'StateLeader', true, 0, 1],
    ['StateLeader', 'StateFollower', true, 1, 0],
    ['StateLeader', 'StatePreCandidate', false, 0, 0],
    ['StateLeader', 'StateCandidate', false, 1, 0],
    ['StateLeader', 'StateLeader', true, 0, 1],
  ])('%s -> %s allowed %s (TestStateTransition)', (from, to, wallow, wterm, wlead) => {
    const sm = newTestRaft(1, 10, 1, withPeers(1));
    sm.state = from;
    const become = () => {
      if (to === 'StateFollower') sm.becomeFollower(wterm, wlead);
      else if (to === 'StatePreCandidate') sm.becomePreCandidate();
      else if (to === 'StateCandidate') sm.becomeCandidate();
      else sm.becomeLeader();
    };
    if (!wallow) {
      const name = (s: StateType) => ({ StateFollower: 'follower', StateCandidate: 'candidate', StatePreCandidate: 'pre-candidate', StateLeader: 'leader' })[s];
      expect(become).toThrow(`invalid transition [${name(from)} -> ${name(to)}]`);
      return;
    }
    become();
    expect(sm.term).toBe(wterm);
    expect(sm.lead).toBe(wlead);
  });

  it('a leader with an active quorum stays leader (TestLeaderStepdownWhenQuorumActive)', () => {
    const sm = newTestRaft(1, 5, 1, withPeers(1, 2, 3), { checkQuorum: true });
    sm.becomeCandidate();
    sm.becomeLeader();
    for (let i = 0; i < sm.electionTimeout + 1; i++) {
      sm.step({ from: 2, type: 'MsgHeartbeatResp', term: sm.term });
      sm.tick();
    }
    expect(sm.state).toBe('StateLeader');
  });

  it('a leader that lost its quorum steps down (TestLeaderStepdownWhenQuorumLost)', () => {
    const sm = newTestRaft(1, 5, 1, withPeers(1, 2, 3), { checkQuorum: true });
    sm.becomeCandidate();
    sm.becomeLeader();
    for (let i = 0; i < sm.electionTimeout + 1; i++) sm.tick();
    expect(sm.state).toBe('StateFollower');
  });

  it('with checkQuorum, a vote inside the leader lease is ignored (TestLeaderSupersedingWithCheckQuorum)', () => {
    const mk = (id: number) => newTestRaft(id, 10, 1, withPeers(1, 2, 3), { checkQuorum: true });
    const [a, b, c] = [mk(1), mk(2), mk(3)];
    const nt = newNetwork(a, b, c);
    setRandomizedElectionTimeout(b, b.electionTimeout + 1);
    for (let i = 0; i < b.electionTimeout; i++) b.tick();
    nt.send({ from: 1, to: 1, type: 'MsgHup' });
    expect(a.state).toBe('StateLeader');
    expect(c.state).toBe('StateFollower');
    nt.send({ from: 3, to: 3, type: 'MsgHup' });
    // Peer b rejected c's vote since its electionElapsed had not reached electionTimeout
    expect(c.state).toBe('StateCandidate');
    // Letting b's electionElapsed reach electionTimeout
    for (let i = 0; i < b.electionTimeout; i++) b.tick();
    nt.send({ from: 3, to: 3, type: 'MsgHup' });
    expect(c.state).toBe('StateLeader');
  });

  it('pre-vote lets a split vote resolve at the next term (TestPreVoteWithSplitVote)', () => {
    const mk = (id: number) => {
      const r = newTestRaft(id, 10, 1, withPeers(1, 2, 3));
      r.becomeFollower(1, 0);
      r.preVote = true;
      return r;
    };
    const [n1, n2, n3] = [mk(1), mk(2), mk(3)];
    const nt = newNetwork(n1, n2, n3);
    nt.send({ from: 1, to: 1, type: 'MsgHup' });
    // simulate leader down. followers start split vote.
    nt.isolate(1);
    nt.send({ from: 2, to: 2, type: 'MsgHup' }, { from: 3, to: 3, type: 'MsgHup' });
    expect([n2.term, n3.term]).toEqual([3, 3]);
    expect([n2.state, n3.state]).toEqual(['StateCandidate', 'StateCandidate']);
    // node 2 election timeout first
    nt.send({ from: 2, to: 2, type: 'MsgHup' });
    expect([n2.term, n3.term]).toEqual([4, 4]);
    expect([n2.state, n3.state]).toEqual(['StateLeader', 'StateFollower']);
  });

  it('a partitioned pre-candidate does not disrupt the term (TestDisruptiveFollowerPreVote, simplified)', () => {
    const nt = newNetworkWithConfig(preVoteConfig, undefined, undefined, undefined);
    nt.send({ from: 1, to: 1, type: 'MsgHup' });
    nt.isolate(3);
    nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'somedata' }] });
    nt.recover();
    nt.send({ from: 3, to: 3, type: 'MsgHup' });
    expect(nt.raft(1).state).toBe('StateLeader');
    expect(nt.raft(1).term).toBe(1);
    expect(nt.raft(3).state).toBe('StateFollower');
  });

  describe('leader transfer', () => {
    it('to an up-to-date node (TestLeaderTransferToUpToDateNode)', () => {
      const nt = newNetwork(undefined, undefined, undefined);
      nt.send({ from: 1, to: 1, type: 'MsgHup' });
      const lead = nt.raft(1);
      expect(lead.lead).toBe(1);
      // Transfer leadership to 2.
      nt.send({ from: 2, to: 1, type: 'MsgTransferLeader' });
      checkLeaderTransferState(lead, 'StateFollower', 2);
      // After some log replication, transfer leadership back to 1.
      nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
      nt.send({ from: 1, to: 2, type: 'MsgTransferLeader' });
      checkLeaderTransferState(lead, 'StateLeader', 1);
    });

    it('to a slow follower, after catching it up (TestLeaderTransferToSlowFollower)', () => {
      const nt = newNetwork(undefined, undefined, undefined);
      nt.send({ from: 1, to: 1, type: 'MsgHup' });
      nt.isolate(3);
      nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
      nt.recover();
      const lead = nt.raft(1);
      expect(lead.prs.get(3)!.match).toBe(1);
      // Transfer leadership to 3 when node 3 is lack of log.
      nt.send({ from: 3, to: 1, type: 'MsgTransferLeader' });
      checkLeaderTransferState(lead, 'StateFollower', 3);
    });

    it('to self or a non-member is ignored (TestLeaderTransferToSelf, TestLeaderTransferToNonExistingNode)', () => {
      const nt = newNetwork(undefined, undefined, undefined);
      nt.send({ from: 1, to: 1, type: 'MsgHup' });
      const lead = nt.raft(1);
      nt.send({ from: 1, to: 1, type: 'MsgTransferLeader' });
      checkLeaderTransferState(lead, 'StateLeader', 1);
      nt.send({ from: 4, to: 1, type: 'MsgTransferLeader' });
      checkLeaderTransferState(lead, 'StateLeader', 1);
    });

    it('is aborted after an election timeout (TestLeaderTransferTimeout)', () => {
      const nt = newNetwork(undefined, undefined, undefined);
      nt.send({ from: 1, to: 1, type: 'MsgHup' });
      nt.isolate(3);
      const lead = nt.raft(1);
      // Transfer leadership to isolated node, wait for timeout.
      nt.send({ from: 3, to: 1, type: 'MsgTransferLeader' });
      expect(lead.leadTransferee).toBe(3);
      for (let i = 0; i < lead.heartbeatTimeout; i++) lead.tick();
      expect(lead.leadTransferee).toBe(3);
      for (let i = 0; i < lead.electionTimeout - lead.heartbeatTimeout; i++) lead.tick();
      checkLeaderTransferState(lead, 'StateLeader', 1);
    });

    it('drops proposals while in progress (TestLeaderTransferIgnoreProposal)', () => {
      const s = withPeers(1, 2, 3);
      const r = newTestRaft(1, 10, 1, s);
      const nt = newNetwork(r, undefined, undefined);
      nt.send({ from: 1, to: 1, type: 'MsgHup' });
      nt.isolate(3);
      const lead = nt.raft(1);
      nextEnts(r, s); // handle empty entry
      nt.send({ from: 3, to: 1, type: 'MsgTransferLeader' });
      expect(lead.leadTransferee).toBe(3);
      nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
      const err = lead.step({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
      expect(err).toBe(ErrProposalDropped);
      expect(err?.message).toBe('raft proposal dropped');
      expect(lead.prs.get(1)!.match).toBe(1);
    });
  });

  describe('ReadIndex', () => {
    it('ReadOnlySafe answers at the commit index after a heartbeat quorum (TestReadOnlyOptionSafe)', () => {
      const [a, b, c] = [1, 2, 3].map((id) => newTestRaft(id, 10, 1, withPeers(1, 2, 3)));
      const nt = newNetwork(a, b, c);
      setRandomizedElectionTimeout(b, b.electionTimeout + 1);
      for (let i = 0; i < b.electionTimeout; i++) b.tick();
      nt.send({ from: 1, to: 1, type: 'MsgHup' });
      expect(a.state).toBe('StateLeader');
      const cases: Array<[Raft, number, number, string]> = [
        [a, 10, 11, 'ctx1'],
        [b, 10, 21, 'ctx2'],
        [c, 10, 31, 'ctx3'],
        [a, 10, 41, 'ctx4'],
        [b, 10, 51, 'ctx5'],
        [c, 10, 61, 'ctx6'],
      ];
      for (const [sm, proposals, wri, wctx] of cases) {
        for (let j = 0; j < proposals; j++) nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
        nt.send({ from: sm.id, to: sm.id, type: 'MsgReadIndex', entries: [{ data: wctx }] });
        expect(sm.readStates.length).toBeGreaterThan(0);
        expect(sm.readStates[0]).toEqual({ index: wri, requestCtx: wctx });
        sm.readStates = [];
      }
    });

    it('ReadOnlyLeaseBased answers at once (TestReadOnlyOptionLease)', () => {
      const cfg = (c: RaftConfig) => {
        c.readOnlyOption = 'ReadOnlyLeaseBased';
        c.checkQuorum = true;
      };
      const nt = newNetworkWithConfig(cfg, undefined, undefined, undefined);
      const [a, b] = [nt.raft(1), nt.raft(2)];
      setRandomizedElectionTimeout(b, b.electionTimeout + 1);
      for (let i = 0; i < b.electionTimeout; i++) b.tick();
      nt.send({ from: 1, to: 1, type: 'MsgHup' });
      expect(a.state).toBe('StateLeader');
      for (let j = 0; j < 10; j++) nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
      nt.send({ from: 2, to: 2, type: 'MsgReadIndex', entries: [{ data: 'ctx' }] });
      expect(b.readStates).toEqual([{ index: 11, requestCtx: 'ctx' }]);
    });

    it('a new leader answers only after committing an entry of its term (TestReadOnlyForNewLeader)', () => {
      const mk = (id: number, committed: number, applied: number) => {
        const storage = withPeers(1, 2, 3);
        storage.append([ent(1, 1), ent(1, 2)]);
        storage.setHardState({ term: 1, commit: committed, vote: 0 });
        const r = newTestRaft(id, 10, 1, storage, { applied });
        return r;
      };
      const [a, b, c] = [mk(1, 1, 1), mk(2, 2, 2), mk(3, 2, 2)];
      const nt = newNetwork(a, b, c);
      // Drop MsgApp to forbid peer a to commit any log entry at its term after it becomes leader.
      nt.ignore('MsgApp');
      nt.send({ from: 1, to: 1, type: 'MsgHup' });
      expect(a.state).toBe('StateLeader');
      // Ensure peer a drops read only request.
      nt.send({ from: 1, to: 1, type: 'MsgReadIndex', entries: [{ data: 'ctx' }] });
      expect(a.readStates).toEqual([]);
      nt.recover();
      // Force peer a to commit a log entry at its term
      for (let i = 0; i < a.heartbeatTimeout; i++) a.tick();
      nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
      expect(a.raftLog.committed).toBe(4);
      const lastLogTerm = a.raftLog.zeroTermOnOutOfBounds(a.raftLog.committed);
      expect(lastLogTerm).toBe(a.term);
      // Ensure peer a processed postponed read only request after it committed an entry at its term.
      expect(a.readStates).toEqual([{ index: 4, requestCtx: 'ctx' }]);
      // Ensure peer a accepts read only request after it committed an entry at its term.
      nt.send({ from: 1, to: 1, type: 'MsgReadIndex', entries: [{ data: 'ctx2' }] });
      expect(a.readStates[1]).toEqual({ index: 4, requestCtx: 'ctx2' });
    });
  });

  it('restores a snapshot and its config (TestRestore)', () => {
    const s = { metadata: { index: 11, term: 11, confState: { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } } };
    const sm = newTestRaft(1, 10, 1, withPeers(1, 2));
    expect(sm.restore(s)).toBe(true);
    expect(sm.raftLog.lastIndex()).toBe(11);
    expect(sm.raftLog.term(11)).toBe(11);
    expect(sm.trk.voterNodes()).toEqual([1, 2, 3]);
    expect(sm.restore(s)).toBe(false);
    // It should not campaign before actually applying data.
    for (let i = 0; i < sm.randomizedElectionTimeout; i++) sm.tick();
    expect(sm.state).toBe('StateFollower');
  });

  it('a leader sends a snapshot to a follower behind its compaction (TestProvideSnap, TestSlowNodeRestore)', () => {
    const nt = newNetwork(undefined, undefined, undefined);
    nt.send({ from: 1, to: 1, type: 'MsgHup' });
    nt.isolate(3);
    for (let j = 0; j <= 100; j++) nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
    const lead = nt.raft(1);
    nextEnts(lead, nt.storage.get(1)!);
    nt.storage.get(1)!.createSnapshot(lead.raftLog.applied, lead.trk.confState(), undefined);
    nt.storage.get(1)!.compact(lead.raftLog.applied);
    nt.recover();
    // send heartbeats so that the leader can learn everyone is active; then the snapshot goes out
    for (let j = 0; j < 2; j++) nt.send({ from: 1, to: 1, type: 'MsgBeat' });
    expect(lead.prs.get(3)!.recentActive).toBe(true);
    // trigger a commit and a snapshot to 3
    nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
    const follower = nt.raft(3);
    expect(follower.raftLog.committed).toBe(lead.raftLog.committed);
  });

  it('adds and removes nodes (TestAddNode, TestRemoveNode, TestAddLearner, TestRemoveLearner)', () => {
    const r = newTestRaft(1, 10, 1, withPeers(1));
    r.applyConfChange({ type: 'ConfChangeAddNode', nodeId: 2 });
    expect(r.trk.voterNodes()).toEqual([1, 2]);
    r.applyConfChange({ type: 'ConfChangeAddLearnerNode', nodeId: 3 });
    expect(r.trk.learnerNodes()).toEqual([3]);
    expect(r.prs.get(3)!.isLearner).toBe(true);
    r.applyConfChange({ type: 'ConfChangeRemoveNode', nodeId: 3 });
    expect(r.trk.learnerNodes()).toEqual([]);
    r.applyConfChange({ type: 'ConfChangeRemoveNode', nodeId: 2 });
    expect(r.trk.voterNodes()).toEqual([1]);
    // Removing the remaining voter panics.
    expect(() => r.applyConfChange({ type: 'ConfChangeRemoveNode', nodeId: 1 })).toThrow('removed all voters');
  });

  it('a learner never campaigns (TestLearnerElectionTimeout, TestPromotable)', () => {
    const n2 = newTestRaft(2, 10, 1, newMemoryStorage({ peers: [1], learners: [2] }));
    n2.becomeFollower(1, 0);
    setRandomizedElectionTimeout(n2, n2.electionTimeout);
    for (let i = 0; i < n2.electionTimeout; i++) n2.tick();
    expect(n2.state).toBe('StateFollower');
    expect(n2.promotable()).toBe(false);
  });

  it('a second pending conf change is replaced by an empty entry (TestStepIgnoreConfig)', () => {
    const r = newTestRaft(1, 10, 1, withPeers(1, 2));
    r.becomeCandidate();
    r.becomeLeader();
    const cc = { type: 'MsgProp' as const, entries: [{ type: 'EntryConfChange' as const, data: JSON.stringify({ type: 'ConfChangeAddNode', nodeId: 3 }) }] };
    r.step(cc);
    const index0 = r.raftLog.lastIndex();
    const pendingConfIndex = r.pendingConfIndex;
    r.step(cc);
    expect(r.raftLog.entries(index0 + 1)).toEqual([{ type: 'EntryNormal', term: 1, index: 3 }]);
    expect(r.pendingConfIndex).toBe(pendingConfIndex);
  });
});

// Upstream: raft_test.go (votedWithConfig)
function votedWithTerm(cfg: ((c: RaftConfig) => void) | undefined, vote: number, term: number): Raft {
  const storage = new MemoryStorage();
  storage.setHardState({ vote, term, commit: 0 });
  const c: RaftConfig = { id: 1, electionTick: 5, heartbeatTick: 1, storage, maxInflightMsgs: 256 };
  if (cfg) cfg(c);
  const sm = new Raft(c);
  sm.reset(term);
  return sm;
}
