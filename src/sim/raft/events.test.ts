/**
 * The raft model's trace events: a 3-node election and proposal traced end to end, votes and
 * lower-term messages explained, the same seed giving the same trace, and every event's upstream
 * link at raft.go v3.6.0.
 */
import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { TraceRecorder, type TraceEvent } from '../core/trace';
import { eventSource, eventText } from '../catalogs';
import { raftEvents, RAFT_TAG, type RaftEventMap } from './events';
import { newRaft, type Raft } from './raft';
import { newRawNode, type RawNode } from './rawnode';
import { newMemoryStorage } from './storage';
import { newNetworkWithConfig, nextEnts } from './testing';

function ofNode(rec: TraceRecorder, node: number): TraceEvent[] {
  return rec.events.filter((e) => e.component === 'raft' && e.node === node);
}

describe('raft trace events', () => {
  it('a 3-node election and a proposal, traced end to end (raft_test.go TestLeaderElection, TestProposal)', async () => {
    const rec = new TraceRecorder();
    const nt = newNetworkWithConfig((c) => {
      c.trace = rec;
    }, undefined, undefined, undefined);
    nt.send({ from: 1, to: 1, type: 'MsgHup' });
    const leader = nt.peers.get(1) as Raft;
    expect(leader.state).toBe('StateLeader');
    nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{ data: 'somedata' }] });

    // Node 1: starts as follower, campaigns, wins, appends its empty entry, replicates, commits.
    // Node 1: starts as follower, campaigns, wins, appends its empty entry, replicates, commits.
    const short = (e: TraceEvent) => (e.type === 'raft.send' || e.type === 'raft.step' ? `${e.type.slice(5)} ${e.msgType} ${e.from}->${e.to}` : e.type.slice(5));
    expect(ofNode(rec, 1).map(short)).toEqual([
      'becomeFollower', // newRaft
      'step MsgHup 1->1',
      'campaign',
      'becomeCandidate',
      'send MsgVoteResp 1->1', // its own vote, counted once persisted
      'send MsgVote 1->2',
      'send MsgVote 1->3',
      'step MsgVoteResp 1->1',
      'step MsgVoteResp 2->1', // a quorum: won
      'becomeLeader',
      'append', // the empty entry of its term (index 1)
      'send MsgAppResp 1->1',
      'send MsgApp 1->2',
      'send MsgApp 1->3',
      'step MsgAppResp 1->1',
      'step MsgVoteResp 3->1', // late, ignored by a leader
      'step MsgAppResp 2->1',
      'commit', // index 1 on a quorum
      'send MsgApp 1->2', // the new commit index
      'step MsgAppResp 3->1',
      'send MsgApp 1->3', // 3 does not know the commit yet
      'step MsgAppResp 2->1',
      'step MsgAppResp 3->1',
      'step MsgProp 1->1',
      'append', // index 2
      'send MsgAppResp 1->1',
      'send MsgApp 1->2',
      'send MsgApp 1->3',
      'step MsgAppResp 1->1',
      'step MsgAppResp 2->1',
      'commit', // index 2
      'send MsgApp 1->2',
      'send MsgApp 1->3',
      'step MsgAppResp 3->1',
      'step MsgAppResp 2->1',
      'step MsgAppResp 3->1',
    ]);
    // The whole run in words, all nodes (a golden file).
    await expect(rec.events.map((e) => eventText(e)).join('\n') + '\n').toMatchFileSnapshot('testdata/events_election.txt');

    const one = ofNode(rec, 1);
    expect(one.find((e) => e.type === 'raft.campaign')).toMatchObject({ campaignType: 'CampaignElection', term: 1, lastIndex: 0 });
    expect(one.find((e) => e.type === 'raft.becomeLeader')).toMatchObject({ term: 1, lead: 1 });
    expect(one.filter((e) => e.type === 'raft.commit').map((e) => [e.from, e.to, e.via])).toEqual([
      [0, 1, 'quorum'],
      [1, 2, 'quorum'],
    ]);
    expect(one.filter((e) => e.type === 'raft.send' && e.msgType === 'MsgVote').map((e) => e.to)).toEqual([2, 3]);

    // Node 2: grants the vote, follows, appends both entries and learns both commits.
    const two = ofNode(rec, 2);
    expect(two.find((e) => e.type === 'raft.vote')).toMatchObject({ candidate: 1, granted: true, reason: 'granted', term: 1 });
    // It learns the term from the MsgVote (no leader yet); the MsgApp then sets the leader in stepFollower.
    expect(two.filter((e) => e.type === 'raft.becomeFollower').map((e) => [e.term, e.lead])).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(two.filter((e) => e.type === 'raft.append').map((e) => [e.firstIndex, e.lastIndex, e.role])).toEqual([
      [1, 1, 'follower'],
      [2, 2, 'follower'],
    ]);
    expect(two.filter((e) => e.type === 'raft.commit').map((e) => e.to)).toEqual([1, 2]);
    // Role changes carry the vote and the freshly drawn timeout; appends carry each entry's term.
    expect(one.find((e) => e.type === 'raft.becomeCandidate')).toMatchObject({ term: 1, vote: 1 });
    expect(two.filter((e) => e.type === 'raft.becomeFollower').map((e) => e.vote)).toEqual([0, 0]);
    for (const e of rec.events.filter((e) => e.type.startsWith('raft.become'))) {
      expect(e.randomizedElectionTimeout as number, e.type).toBeGreaterThanOrEqual(10);
      expect(e.randomizedElectionTimeout as number, e.type).toBeLessThan(20);
    }
    expect(two.filter((e) => e.type === 'raft.append').map((e) => e.entryTerms)).toEqual([[1], [1]]);
    expect(two.filter((e) => e.type === 'raft.step' && e.msgType === 'MsgVote').map((e) => e.handling)).toEqual(['higherTerm']);

    // Every event has a line of text.
    expect(rec.events.length).toBeGreaterThan(0);
    for (const e of rec.events) expect(eventText(e), e.type).toMatch(/^\d+ \S/);
  });

  it('explains rejected votes and lower-term messages (raft_test.go TestVoter, TestStepIgnoreOldTermMsg)', () => {
    const rec = new TraceRecorder();
    const storage = newMemoryStorage({ peers: [1, 2] });
    storage.append([{ term: 2, index: 1, type: 'EntryNormal' }]);
    const r = newRaft({ id: 1, electionTick: 10, heartbeatTick: 1, storage, trace: rec });
    r.term = 2;
    // The candidate's log (term 1, index 1) is behind ours (term 2, index 1).
    r.step({ from: 2, to: 1, type: 'MsgVote', term: 3, logTerm: 1, index: 1 });
    r.step({ from: 2, to: 1, type: 'MsgApp', term: 1 });
    const votes = rec.events.filter((e) => e.type === 'raft.vote');
    expect(votes).toMatchObject([{ candidate: 2, granted: false, reason: 'logNotUpToDate', lastTerm: 2, lastIndex: 1 }]);
    expect(eventText(votes[0])).toContain('not up to date');
    const steps = rec.events.filter((e) => e.type === 'raft.step');
    expect(steps.map((e) => e.handling)).toEqual(['higherTerm', 'ignoredLowerTerm']);

    // Already voted in this term.
    r.step({ from: 3, to: 1, type: 'MsgVote', term: 3, logTerm: 5, index: 5 });
    r.vote = 2;
    r.step({ from: 3, to: 1, type: 'MsgVote', term: 3, logTerm: 5, index: 5 });
    expect(rec.events.filter((e) => e.type === 'raft.vote').map((e) => e.reason)).toEqual(['logNotUpToDate', 'granted', 'alreadyVoted']);
  });

  it('traces a ReadIndex, a leadership transfer and a conf change (raft_test.go TestReadOnlyOptionSafe, TestLeaderTransferToUpToDateNode)', () => {
    const rec = new TraceRecorder();
    const nt = newNetworkWithConfig((c) => {
      c.trace = rec;
    }, undefined, undefined, undefined);
    nt.send({ from: 1, to: 1, type: 'MsgHup' });
    nt.send({ from: 2, to: 2, type: 'MsgReadIndex', entries: [{ data: 'ctx1' }] });
    const reads = rec.events.filter((e) => e.type === 'raft.readIndex').map((e) => [e.node, e.stage, e.from, e.ctx]);
    expect(reads).toEqual([
      [1, 'confirm', 2, 'ctx1'],
      [1, 'ready', 2, 'ctx1'],
      [2, 'received', 1, 'ctx1'],
    ]);

    nt.send({ from: 2, to: 1, type: 'MsgTransferLeader' });
    expect((nt.peers.get(2) as Raft).state).toBe('StateLeader');
    expect(rec.events.filter((e) => e.type === 'raft.transferLeader').map((e) => [e.node, e.action, e.transferee])).toEqual([
      [1, 'start', 2],
      [1, 'timeoutNow', 2],
    ]);
    expect(rec.events.filter((e) => e.type === 'raft.campaign').map((e) => [e.node, e.campaignType])).toEqual([
      [1, 'CampaignElection'],
      [2, 'CampaignTransfer'],
    ]);

    const r2 = nt.peers.get(2) as Raft;
    r2.applyConfChange({ type: 'ConfChangeAddNode', nodeId: 4 });
    expect(rec.events.filter((e) => e.type === 'raft.confChange')).toMatchObject([{ node: 2, action: 'apply', change: 'AddNode(4)', config: 'voters=(1 2 3 4)' }]);
  });

  it('traces a snapshot sent to a follower behind the compaction and restored there (raft_test.go TestSlowNodeRestore)', () => {
    const rec = new TraceRecorder();
    const nt = newNetworkWithConfig((c) => {
      c.trace = rec;
    }, undefined, undefined, undefined);
    nt.send({ from: 1, to: 1, type: 'MsgHup' });
    nt.isolate(3);
    for (let j = 0; j < 10; j++) nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
    const lead = nt.peers.get(1) as Raft;
    const st = nt.storage.get(1)!;
    nextEnts(lead, st);
    st.createSnapshot(lead.raftLog.applied, lead.trk.confState(), undefined);
    st.compact(lead.raftLog.applied);
    nt.recover();
    for (let j = 0; j < 2; j++) nt.send({ from: 1, to: 1, type: 'MsgBeat' });
    nt.send({ from: 1, to: 1, type: 'MsgProp', entries: [{}] });
    const snaps = rec.events.filter((e) => e.type === 'raft.snapshot').map((e) => [e.node, e.action, e.index, e.to]);
    expect(snaps).toEqual([
      [1, 'send', 11, 3],
      [3, 'restore', 11, 3],
    ]);
  });

  it('emits timeouts only when they fire', () => {
    const rec = new TraceRecorder();
    const r = newRaft({ id: 1, peers: [1], electionTick: 10, heartbeatTick: 2, trace: rec });
    const timeout = r.randomizedElectionTimeout;
    for (let i = 0; i < timeout - 1; i++) r.tick();
    expect(rec.events.filter((e) => e.type === 'raft.timeout')).toHaveLength(0);
    r.tick();
    r.advanceMessagesAfterAppend();
    expect(r.state).toBe('StateLeader');
    for (let i = 0; i < 4; i++) r.tick();
    expect(rec.events.filter((e) => e.type === 'raft.timeout').map((e) => [e.kind, e.elapsed])).toEqual([
      ['election', timeout],
      ['heartbeat', 2],
      ['heartbeat', 2],
    ]);
  });

  it('records nothing without a recorder', () => {
    const r = newRaft({ id: 1, peers: [1, 2, 3], electionTick: 10, heartbeatTick: 1 });
    expect(r.events.recording).toBe(false);
    r.step({ type: 'MsgHup' });
    expect(r.state).toBe('StateCandidate');
  });

  it('gives the same trace for the same seed, and another for another seed', () => {
    const run = (seed: number) => {
      const rec = new TraceRecorder();
      const env = newEnv({ seed, trace: rec });
      const ids = [1, 2, 3];
      const storages = new Map(ids.map((id) => [id, newMemoryStorage({ peers: ids })]));
      const nodes = new Map<number, RawNode>(ids.map((id) => [id, newRawNode({ id, storage: storages.get(id), electionTick: 10, heartbeatTick: 1, env, preVote: true })]));
      const inbox: Array<{ to: number; m: Parameters<RawNode['step']>[0] }> = [];
      let proposed = false;
      for (let step = 0; step < 200; step++) {
        for (const id of ids) nodes.get(id)!.tick();
        for (let round = 0; round < 20; round++) {
          for (const id of ids) {
            const rn = nodes.get(id)!;
            while (rn.hasReady()) {
              const rd = rn.ready();
              const st = storages.get(id)!;
              if (rd.hardState.term !== 0) st.setHardState(rd.hardState);
              st.append(rd.entries);
              for (const m of rd.messages) inbox.push({ to: m.to, m });
              rn.advance(rd);
            }
          }
          if (inbox.length === 0) break;
          for (const { to, m } of inbox.splice(0)) nodes.get(to)!.step(m);
        }
        const leader = ids.find((id) => nodes.get(id)!.raft.state === 'StateLeader');
        if (leader && !proposed) {
          nodes.get(leader)!.propose('x');
          proposed = true;
        }
      }
      return rec.events;
    };
    const a = run(7);
    expect(a.some((e) => e.type === 'raft.becomeLeader')).toBe(true);
    expect(a.some((e) => e.type === 'raft.becomePreCandidate')).toBe(true);
    expect(a.some((e) => e.type === 'raft.apply')).toBe(true);
    expect(JSON.stringify(run(7))).toBe(JSON.stringify(a));
    expect(JSON.stringify(run(8))).not.toBe(JSON.stringify(a));
  });

  it('links every event to its raft.go function at v3.6.0', () => {
    expect(RAFT_TAG).toBe('v3.6.0');
    // The functions of raft.go at v3.6.0 the catalog names (checked against `git show v3.6.0:raft.go`).
    const raftGo = new Set([
      'raft.send',
      'raft.Step',
      'stepLeader',
      'stepFollower',
      'raft.becomeFollower',
      'raft.becomeCandidate',
      'raft.becomePreCandidate',
      'raft.becomeLeader',
      'raft.campaign',
      'raft.appendEntry',
      'raft.handleAppendEntries',
      'raft.handleHeartbeat',
      'raft.maybeCommit',
      'raft.restore',
      'raft.appliedTo',
      'raft.tickElection',
      'raft.tickHeartbeat',
      'sendMsgReadIndexResponse',
      'raft.responseToReadIndexReq',
      'raft.sendTimeoutNow',
      'raft.abortLeaderTransfer',
      'raft.maybeSendSnapshot',
      'raft.applyConfChange',
    ]);
    const samples: { [K in keyof RaftEventMap]: Array<RaftEventMap[K]> } = {
      'raft.becomeFollower': [{ node: 1, term: 1, lead: 2, vote: 0, randomizedElectionTimeout: 13 }],
      'raft.becomeCandidate': [{ node: 1, term: 1, lead: 0, vote: 1, randomizedElectionTimeout: 17 }],
      'raft.becomePreCandidate': [{ node: 1, term: 1, lead: 0, vote: 0, randomizedElectionTimeout: 17 }],
      'raft.becomeLeader': [{ node: 1, term: 1, lead: 1, vote: 1, randomizedElectionTimeout: 11 }],
      'raft.campaign': [{ node: 1, campaignType: 'CampaignElection', term: 2, lastIndex: 3, lastTerm: 1 }],
      'raft.send': [{ node: 1, afterAppend: false, msgType: 'MsgApp', from: 1, to: 2, term: 1, index: 1, logTerm: 1, entries: 2, commit: 1, reject: false }],
      'raft.step': [{ node: 2, handling: 'ignoredLowerTerm', msgType: 'MsgApp', from: 1, to: 2, term: 1, index: 1, logTerm: 1, entries: 2, commit: 1, reject: false }],
      'raft.vote': [{ node: 2, msgType: 'MsgVote', candidate: 1, term: 2, granted: false, reason: 'alreadyVoted', candidateIndex: 1, candidateLogTerm: 1, lastIndex: 1, lastTerm: 1 }],
      'raft.append': [
        { node: 1, role: 'leader', firstIndex: 2, lastIndex: 3, term: 1, entryTerms: [1, 1] },
        { node: 2, role: 'follower', firstIndex: 2, lastIndex: 2, term: 1, entryTerms: [1] },
      ],
      'raft.commit': (['quorum', 'append', 'heartbeat', 'snapshot'] as const).map((via) => ({ node: 1, from: 1, to: 2, term: 1, via })),
      'raft.apply': [{ node: 1, from: 1, index: 2 }],
      'raft.timeout': (['election', 'heartbeat', 'checkQuorum'] as const).map((kind) => ({ node: 1, kind, term: 1, elapsed: 10 })),
      'raft.readIndex': (['pending', 'confirm', 'lease', 'ready', 'received'] as const).map((stage) => ({ node: 1, stage, index: 3, from: 2, ctx: 'r1' })),
      'raft.transferLeader': (['start', 'timeoutNow', 'abort'] as const).map((action) => ({ node: 1, action, transferee: 2, term: 1 })),
      'raft.snapshot': (['send', 'restore', 'ignored', 'fastForward'] as const).map((action) => ({ node: 1, action, index: 5, term: 1, to: 2 })),
      'raft.confChange': [
        { node: 1, action: 'apply', change: 'AddNode(4)', config: 'voters=(1 2 3 4)', reason: '' },
        { node: 1, action: 'refused', change: 'AddNode(4)', config: 'voters=(1 2 3)', reason: 'must transition out of joint config first' },
      ],
    };
    expect(Object.keys(samples)).toEqual([...raftEvents.types]);
    let seq = 0;
    for (const [type, list] of Object.entries(samples)) {
      for (const fields of list) {
        const e = { t: 0, seq: seq++, component: 'raft', type, ...fields } as TraceEvent;
        const link = eventSource(e);
        expect(link, type).toBeDefined();
        expect(link!.href).toBe('https://github.com/etcd-io/raft/blob/v3.6.0/raft.go');
        expect(raftGo.has(link!.label), `${type}: ${link!.label}`).toBe(true);
        expect(link!.title).toBe(`raft v3.6.0 raft.go, ${link!.label}`);
        // A line of its own, starting with a node id in hex, as raft's logger starts every line (%x).
        expect(eventText(e), type).toMatch(/^[0-9a-f]+ \S/);
      }
    }
  });
});
