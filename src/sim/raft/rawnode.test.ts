/**
 * The main cases of rawnode_test.go (etcd-io/raft v3.6.0), each named by the upstream test.
 */
import { describe, expect, it } from 'vitest';
import { rngFromSeed } from '../core/rng';
import { ErrProposalDropped, ErrStepLocalMsg } from './errors';
import { newSnapshot, type Entry, type Message, type MessageType } from './raftpb';
import { newRawNode, type RawNode, type Ready } from './rawnode';
import { newMemoryStorage, type MemoryStorage } from './storage';
import { newTestConfig } from './testing';
import { isLocalMsg } from './util';

const ent = (term: number, i: number, data?: string): Entry => ({ term, index: i, type: 'EntryNormal', ...(data !== undefined ? { data } : {}) });
const emptyHardState = { term: 0, vote: 0, commit: 0 };

/** Persist, then advance: the application's side of one Ready. */
function handle(rn: RawNode, s: MemoryStorage, rd: Ready): void {
  if (!(rd.hardState.term === 0 && rd.hardState.vote === 0 && rd.hardState.commit === 0)) s.setHardState(rd.hardState);
  s.append(rd.entries);
  rn.advance(rd);
}

const ALL_TYPES: MessageType[] = [
  'MsgHup', 'MsgBeat', 'MsgProp', 'MsgApp', 'MsgAppResp', 'MsgVote', 'MsgVoteResp', 'MsgSnap', 'MsgHeartbeat', 'MsgHeartbeatResp',
  'MsgUnreachable', 'MsgSnapStatus', 'MsgCheckQuorum', 'MsgTransferLeader', 'MsgTimeoutNow', 'MsgReadIndex', 'MsgReadIndexResp',
  'MsgPreVote', 'MsgPreVoteResp', 'MsgStorageAppend', 'MsgStorageAppendResp', 'MsgStorageApply', 'MsgStorageApplyResp', 'MsgForgetLeader',
];

describe('RawNode (rawnode_test.go)', () => {
  // TestRawNodeStep
  it.each(ALL_TYPES)('step %s from the network (TestRawNodeStep)', (msgt) => {
    const s = newMemoryStorage();
    s.setHardState({ term: 1, commit: 1, vote: 0 });
    s.append([ent(1, 1)]);
    s.applySnapshot(newSnapshot({ metadata: { confState: { voters: [1] }, index: 1, term: 1 } }));
    const rn = newRawNode(newTestConfig(1, 10, 1, s));
    // A local message is refused.
    const err = rn.step({ type: msgt });
    if (isLocalMsg(msgt)) expect(err).toBe(ErrStepLocalMsg);
  });

  it('a single node campaigns, proposes, commits and applies (TestRawNodeStart)', () => {
    const entries = [ent(1, 2), ent(1, 3, 'foo')];
    const storage = newMemoryStorage();
    storage.ents[0].index = 1;
    // bootstrap
    storage.applySnapshot(newSnapshot({ metadata: { index: 1, term: 0, confState: { voters: [1] } } }));
    const rn = newRawNode(newTestConfig(1, 10, 1, storage));
    expect(rn.hasReady()).toBe(false);
    rn.campaign();
    let rd = rn.ready();
    storage.append(rd.entries);
    rn.advance(rd);
    rn.propose('foo');
    expect(rn.hasReady()).toBe(true);
    rd = rn.ready();
    expect(rd.entries).toEqual(entries);
    storage.append(rd.entries);
    rn.advance(rd);
    expect(rn.hasReady()).toBe(true);
    rd = rn.ready();
    expect(rd.entries).toEqual([]);
    expect(rd.mustSync).toBe(false);
    rn.advance(rd);
    expect({ ...rd, softState: undefined }).toEqual({
      softState: undefined,
      hardState: { term: 1, commit: 3, vote: 1 },
      readStates: [],
      entries: [],
      snapshot: newSnapshot(),
      committedEntries: entries,
      messages: [],
      mustSync: false,
    });
    expect(rn.hasReady()).toBe(false);
  });

  it('restarting hands out the committed entries (TestRawNodeRestart)', () => {
    const entries = [ent(1, 1), ent(1, 2, 'foo')];
    const storage = newMemoryStorage({ peers: [1] });
    storage.setHardState({ term: 1, commit: 1, vote: 0 });
    storage.append(entries);
    const rn = newRawNode(newTestConfig(1, 10, 1, storage));
    const rd = rn.ready();
    expect(rd).toEqual({ hardState: emptyHardState, readStates: [], entries: [], snapshot: newSnapshot(), committedEntries: entries.slice(0, 1), messages: [], mustSync: false });
    rn.advance(rd);
    expect(rn.hasReady()).toBe(false);
  });

  it('restarting from a snapshot hands out the entries after it (TestRawNodeRestartFromSnapshot)', () => {
    const snap = newSnapshot({ metadata: { confState: { voters: [1, 2] }, index: 2, term: 1 } });
    const entries = [ent(1, 3, 'foo')];
    const s = newMemoryStorage();
    s.setHardState({ term: 1, commit: 3, vote: 0 });
    s.applySnapshot(snap);
    s.append(entries);
    const rn = newRawNode(newTestConfig(1, 10, 1, s));
    const rd = rn.ready();
    expect(rd.committedEntries).toEqual(entries);
    expect(rd.hardState).toEqual(emptyHardState);
    expect(rd.mustSync).toBe(false);
    rn.advance(rd);
    expect(rn.hasReady()).toBe(false);
  });

  it('read states come out in a Ready; ReadIndex reaches the leader (TestRawNodeReadIndex)', () => {
    const msgs: Message[] = [];
    const wrs = [{ index: 1, requestCtx: 'somedata' }];
    const s = newMemoryStorage({ peers: [1] });
    const rn = newRawNode(newTestConfig(1, 10, 1, s));
    rn.raft.readStates = wrs;
    expect(rn.hasReady()).toBe(true);
    let rd = rn.ready();
    expect(rd.readStates).toEqual(wrs);
    s.append(rd.entries);
    rn.advance(rd);
    expect(rn.raft.readStates).toEqual([]);
    rn.campaign();
    for (;;) {
      rd = rn.ready();
      s.append(rd.entries);
      if (rd.softState?.lead === rn.raft.id) {
        rn.advance(rd);
        rn.raft.stepFn = (_r, m) => {
          msgs.push(m);
          return undefined;
        };
        rn.readIndex('somedata2');
        break;
      }
      rn.advance(rd);
    }
    expect(msgs.length).toBe(1);
    expect(msgs[0].type).toBe('MsgReadIndex');
    expect(msgs[0].entries[0].data).toBe('somedata2');
  });

  it('status shows progress only on the leader (TestRawNodeStatus)', () => {
    const s = newMemoryStorage({ peers: [1] });
    const rn = newRawNode(newTestConfig(1, 10, 1, s));
    let status = rn.status();
    expect(status.progress.size).toBe(0);
    rn.campaign();
    const rd = rn.ready();
    s.append(rd.entries);
    rn.advance(rd);
    status = rn.status();
    expect(status.softState.lead).toBe(1);
    expect(status.softState.raftState).toBe('StateLeader');
    expect(status.progress.get(1)!.match).toBe(rn.raft.prs.get(1)!.match);
    expect([...status.config.voters[0]]).toEqual([1]);
  });

  it('a proposal without a leader is dropped (rawnode.go Propose -> ErrProposalDropped)', () => {
    const rn = newRawNode(newTestConfig(1, 10, 1, newMemoryStorage({ peers: [1, 2, 3] })));
    expect(rn.propose('x')).toBe(ErrProposalDropped);
  });

  it('three RawNodes elect a leader and replicate through Ready/advance only', () => {
    const ids = [1, 2, 3];
    const storages = new Map(ids.map((id) => [id, newMemoryStorage({ peers: ids })]));
    const nodes = new Map(ids.map((id) => [id, newRawNode({ ...newTestConfig(id, 10, 1, storages.get(id)!), rng: rngFromSeed(`rawnode/${id}`) })]));
    const applied = new Map<number, string[]>(ids.map((id) => [id, []]));
    const pump = () => {
      for (let round = 0; round < 100; round++) {
        let any = false;
        for (const [id, rn] of nodes) {
          if (!rn.hasReady()) continue;
          any = true;
          const rd = rn.ready();
          handle(rn, storages.get(id)!, rd);
          for (const e of rd.committedEntries) if (e.data) applied.get(id)!.push(e.data);
          for (const m of rd.messages) nodes.get(m.to)!.step(m);
        }
        if (!any) return;
      }
    };
    for (let t = 0; t < 40 && ![...nodes.values()].some((n) => n.raft.state === 'StateLeader'); t++) {
      for (const rn of nodes.values()) rn.tick();
      pump();
    }
    const leader = [...nodes.values()].find((n) => n.raft.state === 'StateLeader')!;
    expect(leader).toBeDefined();
    expect(leader.propose('a')).toBeUndefined();
    expect(leader.propose('b')).toBeUndefined();
    pump();
    // Followers learn the commit index with the next MsgApp or heartbeat.
    for (let t = 0; t < 3; t++) {
      for (const rn of nodes.values()) rn.tick();
      pump();
    }
    for (const id of ids) expect(applied.get(id)).toEqual(['a', 'b']);
    for (const rn of nodes.values()) expect(rn.hasReady()).toBe(false);
  });
});
