/**
 * The raft API DESIGN.md fixes, through the public entry (`kubelab`): newRaft with peers and an
 * injected rng, plain writable fields, prs as a Map, raftLog's readers, ErrProposalDropped, the
 * illegal transition, newRawNode and newMemoryStorage.
 */
import { describe, expect, it } from 'vitest';
import { ErrCompacted, ErrProposalDropped, eventTypesOf, newEnv, newMemoryStorage, newRaft, newRaftCluster, newRawNode, raftEvents, rngFromSeed, TraceRecorder, type Raft, type RaftMessage } from '../../src/sim/index';

const cfg = (id: number, extra: Record<string, unknown> = {}) => ({ id, peers: [1, 2, 3], electionTick: 10, heartbeatTick: 1, rng: rngFromSeed(`api/${id}`), ...extra });

/** Delivers messages until none is left. */
function deliver(nodes: Map<number, Raft>, msgs: RaftMessage[]): void {
  while (msgs.length > 0) {
    const m = msgs.shift()!;
    const n = nodes.get(m.to)!;
    n.step(m);
    msgs.push(...n.readMessages());
  }
}

describe('raft public API (DESIGN.md "Raft (etcd-io/raft)")', () => {
  it('elects a leader by ticks and replicates a proposal', () => {
    const nodes = new Map([1, 2, 3].map((id) => [id, newRaft(cfg(id))]));
    for (const r of nodes.values()) {
      expect(r.state).toBe('StateFollower');
      expect(r.randomizedElectionTimeout).toBeGreaterThanOrEqual(r.electionTimeout);
      expect(r.randomizedElectionTimeout).toBeLessThan(2 * r.electionTimeout);
    }
    let leader: Raft | undefined;
    for (let t = 0; t < 30 && !leader; t++) {
      for (const r of nodes.values()) {
        r.tick();
        deliver(nodes, r.readMessages());
      }
      leader = [...nodes.values()].find((r) => r.state === 'StateLeader');
    }
    expect(leader).toBeDefined();
    expect(leader!.lead).toBe(leader!.id);
    expect(leader!.step({ type: 'MsgProp', from: leader!.id, entries: [{ data: 'x' }] })).toBeUndefined();
    deliver(nodes, leader!.readMessages());
    expect(leader!.raftLog.committed).toBe(2);
    expect(leader!.prs.get(2)).toMatchObject({ match: 2, next: 3, state: 'StateReplicate' });
    expect(leader!.raftLog.allEntries().map((e) => e.data)).toEqual([undefined, 'x']);
    expect(leader!.raftLog.unstableEntries().length).toBe(2);
    expect(leader!.raftLog.nextCommittedEnts(true).length).toBe(2);
    leader!.raftLog.appliedTo(2);
    expect(leader!.raftLog.applied).toBe(2);
    expect(leader!.raftLog.term(2)).toBe(leader!.term);
  });

  it('same seeds, same election', () => {
    const run = () => {
      const nodes = new Map([1, 2, 3].map((id) => [id, newRaft(cfg(id))]));
      const trace: string[] = [];
      for (let t = 0; t < 30; t++) {
        for (const r of nodes.values()) {
          r.tick();
          const msgs = r.readMessages();
          trace.push(...msgs.map((m) => `${t} ${m.from}->${m.to} ${m.type} ${m.term}`));
          deliver(nodes, msgs);
        }
      }
      return trace.join('\n');
    };
    expect(run()).toBe(run());
  });

  it('reports a dropped proposal and throws on an illegal transition', () => {
    const r = newRaft(cfg(1));
    expect(r.step({ type: 'MsgProp', entries: [{ data: 'x' }] })).toBe(ErrProposalDropped);
    expect(ErrProposalDropped.message).toBe('raft proposal dropped');
    expect(() => r.becomeLeader()).toThrow('invalid transition [follower -> leader]');
    // Plain writable fields, as upstream's tests set them.
    r.term = 5;
    r.vote = 2;
    r.lead = 3;
    r.state = 'StateCandidate';
    expect([r.term, r.vote, r.lead, r.state]).toEqual([5, 2, 3, 'StateCandidate']);
  });

  it('a single-node RawNode and MemoryStorage', () => {
    const storage = newMemoryStorage();
    const rn = newRawNode({ id: 1, peers: [1], electionTick: 10, heartbeatTick: 1, storage, rng: rngFromSeed(1) });
    rn.campaign();
    while (rn.hasReady()) {
      const rd = rn.ready();
      if (rd.hardState.term) storage.setHardState(rd.hardState);
      storage.append(rd.entries);
      rn.advance(rd);
    }
    expect(rn.status().softState.raftState).toBe('StateLeader');
    rn.propose('v');
    const committed: string[] = [];
    while (rn.hasReady()) {
      const rd = rn.ready();
      storage.append(rd.entries);
      for (const e of rd.committedEntries) if (e.data) committed.push(e.data);
      rn.advance(rd);
    }
    expect(committed).toEqual(['v']);
    expect([storage.firstIndex(), storage.lastIndex()]).toEqual([1, 2]);
    expect(storage.entries(1, 3).map((e) => e.index)).toEqual([1, 2]);
    storage.compact(2);
    expect(() => storage.entries(1, 3)).toThrow(ErrCompacted);
    expect(storage.term(2)).toBe(1);
  });

  it('traces through cfg.trace, and a cluster of RawNodes elects and commits', () => {
    const trace = new TraceRecorder();
    const r = newRaft({ ...cfg(1), trace });
    r.step({ type: 'MsgHup' });
    expect(trace.events.map((e) => e.type)).toContain('raft.becomeCandidate');
    expect(eventTypesOf('raft')).toEqual([...raftEvents.types]);

    const c = newRaftCluster({ size: 3, env: newEnv({ seed: 1 }) });
    expect(c.runUntil(() => c.leader() !== undefined)).toBe(true);
    const p = c.propose('x');
    expect(p.ok).toBe(true);
    expect(c.runUntil(() => c.members().every((id) => c.applied(id).length === 1))).toBe(true);
  });
});
