/**
 * The cases of raft_paper_test.go (etcd-io/raft v3.6.0): each follows a rule of the Raft paper's
 * §5, named by the upstream test it ports.
 */
import { describe, expect, it } from 'vitest';
import { newMessage, type Entry, type Message, type MessageInput } from './raftpb';
import { Raft, type StateType } from './raft';
import { newMemoryStorage, type MemoryStorage } from './storage';
import { idsBySize, index, newNetwork, newTestRaft, nopStepper } from './testing';

const msg = (m: MessageInput) => newMessage(m);
const sorted = (msgs: Message[]) => [...msgs].sort((a, b) => a.to - b.to || a.type.localeCompare(b.type));
const withPeers = (...peers: number[]) => newMemoryStorage({ peers });
const ent = (term: number, i: number, data?: string): Entry => ({ term, index: i, type: 'EntryNormal', ...(data !== undefined ? { data } : {}) });

// Upstream: raft_paper_test.go (acceptAndReply)
function acceptAndReply(m: Message): MessageInput {
  if (m.type !== 'MsgApp') throw new Error('type should be MsgApp');
  return { from: m.to, to: m.from, term: m.term, type: 'MsgAppResp', index: m.index + m.entries.length };
}

// Upstream: raft_paper_test.go (commitNoopEntry)
function commitNoopEntry(r: Raft, s: MemoryStorage): void {
  if (r.state !== 'StateLeader') throw new Error('it should only be used when it is the leader');
  r.bcastAppend();
  for (const m of r.readMessages()) {
    if (m.type !== 'MsgApp' || m.entries.length !== 1 || m.entries[0].data !== undefined) throw new Error('not a message to append noop entry');
    r.step(acceptAndReply(m));
  }
  r.readMessages();
  s.append(r.raftLog.nextUnstableEnts());
  r.raftLog.appliedTo(r.raftLog.committed, 0);
  r.raftLog.stableTo(r.raftLog.lastEntryID());
}

describe('raft paper §5 (raft_paper_test.go)', () => {
  // TestFollowerUpdateTermFromMessage, TestCandidateUpdateTermFromMessage, TestLeaderUpdateTermFromMessage
  it.each<StateType>(['StateFollower', 'StateCandidate', 'StateLeader'])('%s takes a higher term from a message and becomes follower (TestFollowerUpdateTermFromMessage)', (state) => {
    const r = newTestRaft(1, 10, 1, withPeers(1, 2, 3));
    if (state === 'StateFollower') r.becomeFollower(1, 2);
    if (state === 'StateCandidate') r.becomeCandidate();
    if (state === 'StateLeader') {
      r.becomeCandidate();
      r.becomeLeader();
    }
    r.step({ type: 'MsgApp', term: 2 });
    expect(r.term).toBe(2);
    expect(r.state).toBe('StateFollower');
  });

  it('rejects a stale-term message before the role sees it (TestRejectStaleTermMessage)', () => {
    let called = false;
    const r = newTestRaft(1, 10, 1, withPeers(1, 2, 3));
    r.stepFn = () => {
      called = true;
      return undefined;
    };
    r.loadState({ term: 2, vote: 0, commit: 0 });
    r.step({ type: 'MsgApp', term: r.term - 1 });
    expect(called).toBe(false);
  });

  it('starts as follower (TestStartAsFollower)', () => {
    expect(newTestRaft(1, 10, 1, withPeers(1, 2, 3)).state).toBe('StateFollower');
  });

  it('a leader broadcasts heartbeats every heartbeat timeout (TestLeaderBcastBeat)', () => {
    const r = newTestRaft(1, 10, 1, withPeers(1, 2, 3));
    r.becomeCandidate();
    r.becomeLeader();
    for (let i = 0; i < 10; i++) r.appendEntry({ index: i + 1 });
    r.tick();
    expect(sorted(r.readMessages())).toEqual([msg({ from: 1, to: 2, term: 1, type: 'MsgHeartbeat' }), msg({ from: 1, to: 3, term: 1, type: 'MsgHeartbeat' })]);
  });

  // TestFollowerStartElection, TestCandidateStartNewElection
  it.each<StateType>(['StateFollower', 'StateCandidate'])('%s starts an election after the election timeout (TestFollowerStartElection)', (state) => {
    const et = 10;
    const r = newTestRaft(1, et, 1, withPeers(1, 2, 3));
    if (state === 'StateFollower') r.becomeFollower(1, 2);
    else r.becomeCandidate();
    for (let i = 1; i < 2 * et; i++) r.tick();
    r.advanceMessagesAfterAppend();
    expect(r.term).toBe(2);
    expect(r.state).toBe('StateCandidate');
    expect(r.trk.votes.get(r.id)).toBe(true);
    expect(sorted(r.readMessages())).toEqual([msg({ from: 1, to: 2, term: 2, type: 'MsgVote' }), msg({ from: 1, to: 3, term: 2, type: 'MsgVote' })]);
  });

  // TestLeaderElectionInOneRoundRPC
  it.each<[number, Record<number, boolean>, StateType]>([
    [1, {}, 'StateLeader'],
    [3, { 2: true, 3: true }, 'StateLeader'],
    [3, { 2: true }, 'StateLeader'],
    [5, { 2: true, 3: true, 4: true, 5: true }, 'StateLeader'],
    [5, { 2: true, 3: true, 4: true }, 'StateLeader'],
    [5, { 2: true, 3: true }, 'StateLeader'],
    // return to follower state if it receives vote denial from a majority
    [3, { 2: false, 3: false }, 'StateFollower'],
    [5, { 2: false, 3: false, 4: false, 5: false }, 'StateFollower'],
    [5, { 2: true, 3: false, 4: false, 5: false }, 'StateFollower'],
    // stay in candidate if it does not obtain the majority
    [3, {}, 'StateCandidate'],
    [5, { 2: true }, 'StateCandidate'],
    [5, { 2: false, 3: false }, 'StateCandidate'],
    [5, {}, 'StateCandidate'],
  ])('size %i votes %j -> %s (TestLeaderElectionInOneRoundRPC)', (size, votes, state) => {
    const r = newTestRaft(1, 10, 1, withPeers(...idsBySize(size)));
    r.step({ from: 1, to: 1, type: 'MsgHup' });
    r.advanceMessagesAfterAppend();
    for (const [id, vote] of Object.entries(votes)) r.step({ from: Number(id), to: 1, term: r.term, type: 'MsgVoteResp', reject: !vote });
    expect(r.state).toBe(state);
    expect(r.term).toBe(1);
  });

  // TestFollowerVote
  it.each([
    [0, 2, false],
    [0, 3, false],
    [2, 2, false],
    [3, 3, false],
    [2, 3, true],
    [3, 2, true],
  ])('voted for %i, asked by %i -> reject %s (TestFollowerVote)', (vote, nvote, wreject) => {
    const r = newTestRaft(1, 10, 1, withPeers(1, 2, 3));
    r.loadState({ term: 1, vote, commit: 0 });
    r.step({ from: nvote, to: 1, term: 1, type: 'MsgVote' });
    expect(r.msgsAfterAppend).toEqual([msg({ from: 1, to: nvote, term: 1, type: 'MsgVoteResp', reject: wreject })]);
  });

  // TestCandidateFallback
  it.each([1, 2])('a candidate falls back to follower on MsgApp at term %i (TestCandidateFallback)', (term) => {
    const r = newTestRaft(1, 10, 1, withPeers(1, 2, 3));
    r.step({ from: 1, to: 1, type: 'MsgHup' });
    expect(r.state).toBe('StateCandidate');
    r.step({ from: 2, to: 1, term, type: 'MsgApp' });
    expect(r.state).toBe('StateFollower');
    expect(r.term).toBe(term);
  });

  // TestFollowerElectionTimeoutRandomized, TestCandidateElectionTimeoutRandomized
  it.each<StateType>(['StateFollower', 'StateCandidate'])('%s election timeouts cover [et, 2et) (TestFollowerElectionTimeoutRandomized)', (state) => {
    const et = 10;
    const r = newTestRaft(1, et, 1, withPeers(1, 2, 3));
    const timeouts = new Set<number>();
    for (let round = 0; round < 50 * et; round++) {
      if (state === 'StateFollower') r.becomeFollower(r.term + 1, 2);
      else r.becomeCandidate();
      let time = 0;
      while (r.readMessages().length === 0) {
        r.tick();
        time++;
      }
      timeouts.add(time);
    }
    for (let d = et; d < 2 * et; d++) expect(timeouts.has(d)).toBe(true);
    expect([...timeouts].every((d) => d >= et && d < 2 * et)).toBe(true);
  });

  // TestFollowersElectionTimeoutNonconflict
  it('randomized timeouts rarely conflict (TestFollowersElectionTimeoutNonconflict)', () => {
    const et = 10;
    const ids = idsBySize(5);
    const rs = ids.map((id) => newTestRaft(id, et, 1, withPeers(...ids)));
    let conflicts = 0;
    for (let round = 0; round < 1000; round++) {
      for (const r of rs) r.becomeFollower(r.term + 1, 0);
      let timeoutNum = 0;
      while (timeoutNum === 0) {
        for (const r of rs) {
          r.tick();
          if (r.readMessages().length > 0) timeoutNum++;
        }
      }
      if (timeoutNum > 1) conflicts++;
    }
    expect(conflicts / 1000).toBeLessThanOrEqual(0.3);
  });

  it('a leader appends a proposal and sends MsgApp to all (TestLeaderStartReplication)', () => {
    const s = withPeers(1, 2, 3);
    const r = newTestRaft(1, 10, 1, s);
    r.becomeCandidate();
    r.becomeLeader();
    commitNoopEntry(r, s);
    const li = r.raftLog.lastIndex();
    r.step({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'some data' }] });
    expect(r.raftLog.lastIndex()).toBe(li + 1);
    expect(r.raftLog.committed).toBe(li);
    const wents = [ent(1, li + 1, 'some data')];
    expect(sorted(r.readMessages())).toEqual([
      msg({ from: 1, to: 2, term: 1, type: 'MsgApp', index: li, logTerm: 1, entries: wents, commit: li }),
      msg({ from: 1, to: 3, term: 1, type: 'MsgApp', index: li, logTerm: 1, entries: wents, commit: li }),
    ]);
    expect(r.raftLog.nextUnstableEnts()).toEqual(wents);
  });

  it('a leader commits once a majority acknowledged, and tells followers (TestLeaderCommitEntry)', () => {
    const s = withPeers(1, 2, 3);
    const r = newTestRaft(1, 10, 1, s);
    r.becomeCandidate();
    r.becomeLeader();
    commitNoopEntry(r, s);
    const li = r.raftLog.lastIndex();
    r.step({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'some data' }] });
    for (const m of r.readMessages()) r.step(acceptAndReply(m));
    expect(r.raftLog.committed).toBe(li + 1);
    expect(r.raftLog.nextCommittedEnts(true)).toEqual([ent(1, li + 1, 'some data')]);
    sorted(r.readMessages()).forEach((m, i) => {
      expect(m.to).toBe(i + 2);
      expect(m.type).toBe('MsgApp');
      expect(m.commit).toBe(li + 1);
    });
  });

  // TestLeaderAcknowledgeCommit
  it.each<[number, number[], boolean]>([
    [1, [], true],
    [3, [], false],
    [3, [2], true],
    [3, [2, 3], true],
    [5, [], false],
    [5, [2], false],
    [5, [2, 3], true],
    [5, [2, 3, 4], true],
    [5, [2, 3, 4, 5], true],
  ])('size %i acceptors %j -> committed %s (TestLeaderAcknowledgeCommit)', (size, acceptors, wack) => {
    const s = withPeers(...idsBySize(size));
    const r = newTestRaft(1, 10, 1, s);
    r.becomeCandidate();
    r.becomeLeader();
    commitNoopEntry(r, s);
    const li = r.raftLog.lastIndex();
    r.step({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'some data' }] });
    r.advanceMessagesAfterAppend();
    for (const m of r.msgs) if (acceptors.includes(m.to)) r.step(acceptAndReply(m));
    expect(r.raftLog.committed > li).toBe(wack);
  });

  // TestLeaderCommitPrecedingEntries
  it.each<[Entry[]]>([[[]], [[ent(2, 1)]], [[ent(1, 1), ent(2, 2)]], [[ent(1, 1)]]])('committing commits preceding entries %j (TestLeaderCommitPrecedingEntries)', (tt) => {
    const storage = withPeers(1, 2, 3);
    storage.append(tt);
    const r = newTestRaft(1, 10, 1, storage);
    r.loadState({ term: 2, vote: 0, commit: 0 });
    r.becomeCandidate();
    r.becomeLeader();
    r.step({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'some data' }] });
    for (const m of r.readMessages()) r.step(acceptAndReply(m));
    const li = tt.length;
    expect(r.raftLog.nextCommittedEnts(true)).toEqual([...tt, ent(3, li + 1), ent(3, li + 2, 'some data')]);
  });

  // TestFollowerCommitEntry
  it.each<[Entry[], number]>([
    [[ent(1, 1, 'some data')], 1],
    [[ent(1, 1, 'some data'), ent(1, 2, 'some data2')], 2],
    [[ent(1, 1, 'some data2'), ent(1, 2, 'some data')], 2],
    [[ent(1, 1, 'some data'), ent(1, 2, 'some data2')], 1],
  ])('a follower commits what the leader says (TestFollowerCommitEntry) %#', (ents, commit) => {
    const r = newTestRaft(1, 10, 1, withPeers(1, 2, 3));
    r.becomeFollower(1, 2);
    r.step({ from: 2, to: 1, type: 'MsgApp', term: 1, entries: ents, commit });
    expect(r.raftLog.committed).toBe(commit);
    expect(r.raftLog.nextCommittedEnts(true)).toEqual(ents.slice(0, commit));
  });

  // TestFollowerCheckMsgApp
  it.each([
    // match with committed entries
    [0, 0, 1, false, 0, 0],
    [1, 1, 1, false, 0, 0],
    // match with uncommitted entries
    [2, 2, 2, false, 0, 0],
    // unmatch with existing entry
    [1, 2, 2, true, 1, 1],
    // unexisting entry
    [3, 3, 3, true, 2, 2],
  ])('MsgApp after (term %i, index %i) (TestFollowerCheckMsgApp)', (term, i, windex, wreject, wrejectHint, wlogterm) => {
    const storage = withPeers(1, 2, 3);
    storage.append([ent(1, 1), ent(2, 2)]);
    const r = newTestRaft(1, 10, 1, storage);
    r.loadState({ commit: 1, term: 0, vote: 0 });
    r.becomeFollower(2, 2);
    r.step({ from: 2, to: 1, type: 'MsgApp', term: 2, logTerm: term, index: i });
    expect(r.readMessages()).toEqual([msg({ from: 1, to: 2, type: 'MsgAppResp', term: 2, index: windex, reject: wreject, rejectHint: wrejectHint, logTerm: wlogterm })]);
  });

  // TestFollowerAppendEntries
  it.each<[number, number, Entry[], Entry[], Entry[]]>([
    [2, 2, index(3).terms(3), index(1).terms(1, 2, 3), index(3).terms(3)],
    [1, 1, index(2).terms(3, 4), index(1).terms(1, 3, 4), index(2).terms(3, 4)],
    [0, 0, index(1).terms(1), index(1).terms(1, 2), []],
    [0, 0, index(1).terms(3), index(1).terms(3), index(1).terms(3)],
  ])('MsgApp after (%i, %i) appends and truncates (TestFollowerAppendEntries)', (i, term, ents, wents, wunstable) => {
    const storage = withPeers(1, 2, 3);
    storage.append([ent(1, 1), ent(2, 2)]);
    const r = newTestRaft(1, 10, 1, storage);
    r.becomeFollower(2, 2);
    r.step({ from: 2, to: 1, type: 'MsgApp', term: 2, logTerm: term, index: i, entries: ents });
    expect(r.raftLog.allEntries()).toEqual(wents);
    expect(r.raftLog.nextUnstableEnts()).toEqual(wunstable);
  });

  // TestLeaderSyncFollowerLog
  it.each<[Entry[]]>([
    [index(0).terms(0, 1, 1, 1, 4, 4, 5, 5, 6, 6)],
    [index(0).terms(0, 1, 1, 1, 4, 4)],
    [index(0).terms(0, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6)],
    [index(0).terms(0, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7)],
    [index(0).terms(0, 1, 1, 1, 4, 4, 4, 4)],
    [index(0).terms(0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3)],
  ])('the leader brings a follower log to its own (TestLeaderSyncFollowerLog) %#', (tt) => {
    const ents = index(0).terms(0, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6);
    const term = 8;
    const leadStorage = withPeers(1, 2, 3);
    leadStorage.append(ents);
    const lead = newTestRaft(1, 10, 1, leadStorage);
    lead.loadState({ commit: lead.raftLog.lastIndex(), term, vote: 0 });
    const followerStorage = withPeers(1, 2, 3);
    followerStorage.append(tt);
    const follower = newTestRaft(2, 10, 1, followerStorage);
    follower.loadState({ term: term - 1, vote: 0, commit: 0 });
    // It is necessary to have a three-node cluster: the second vote comes from the black hole.
    const n = newNetwork(lead, follower, nopStepper);
    n.send({ from: 1, to: 1, type: 'MsgHup' });
    n.send({ from: 3, to: 1, type: 'MsgVoteResp', term: term + 1 });
    n.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
    expect(follower.raftLog.allEntries()).toEqual(lead.raftLog.allEntries());
    expect(follower.raftLog.committed).toBe(lead.raftLog.committed);
  });

  // TestVoteRequest
  it.each<[Entry[], number]>([
    [index(1).terms(1), 2],
    [index(1).terms(1, 2), 3],
  ])('vote requests carry the last log entry (TestVoteRequest) %#', (ents, wterm) => {
    const r = newTestRaft(1, 10, 1, withPeers(1, 2, 3));
    r.step({ from: 2, to: 1, type: 'MsgApp', term: wterm - 1, logTerm: 0, index: 0, entries: ents });
    r.readMessages();
    for (let i = 1; i < r.electionTimeout * 2; i++) r.tickElection();
    const msgs = sorted(r.readMessages());
    expect(msgs.length).toBe(2);
    msgs.forEach((m, i) => {
      expect(m.type).toBe('MsgVote');
      expect(m.to).toBe(i + 2);
      expect(m.term).toBe(wterm);
      expect(m.index).toBe(ents[ents.length - 1].index);
      expect(m.logTerm).toBe(ents[ents.length - 1].term);
    });
  });

  // TestVoter
  it.each<[Entry[], number, number, boolean]>([
    // same logterm
    [index(1).terms(1), 1, 1, false],
    [index(1).terms(1), 1, 2, false],
    [index(1).terms(1, 1), 1, 1, true],
    // candidate higher logterm
    [index(1).terms(1), 2, 1, false],
    [index(1).terms(1), 2, 2, false],
    [index(1).terms(1, 1), 2, 1, false],
    // voter higher logterm
    [index(1).terms(2), 1, 1, true],
    [index(1).terms(2), 1, 2, true],
    [index(1).terms(2, 1), 1, 1, true],
  ])('a voter grants only an up-to-date log (TestVoter) %#', (ents, logTerm, i, wreject) => {
    const storage = withPeers(1, 2);
    storage.append(ents);
    const r = newTestRaft(1, 10, 1, storage);
    r.step({ from: 2, to: 1, type: 'MsgVote', term: 3, logTerm, index: i });
    const msgs = r.readMessages();
    expect(msgs.length).toBe(1);
    expect(msgs[0].type).toBe('MsgVoteResp');
    expect(msgs[0].reject).toBe(wreject);
  });

  // TestLeaderOnlyCommitsLogFromCurrentTerm
  it.each([
    // do not commit log entries in previous terms
    [1, 0],
    [2, 0],
    // commit log in current term
    [3, 3],
  ])('acknowledged up to %i -> commit %i (TestLeaderOnlyCommitsLogFromCurrentTerm)', (i, wcommit) => {
    const storage = withPeers(1, 2);
    storage.append([ent(1, 1), ent(2, 2)]);
    const r = newTestRaft(1, 10, 1, storage);
    r.loadState({ term: 2, vote: 0, commit: 0 });
    // become leader at term 3
    r.becomeCandidate();
    r.becomeLeader();
    r.readMessages();
    // propose an entry to the current term
    r.step({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
    r.step({ from: 2, to: 1, type: 'MsgAppResp', term: r.term, index: i });
    r.advanceMessagesAfterAppend();
    expect(r.raftLog.committed).toBe(wcommit);
  });
});
