/**
 * The disk, snapshots and membership of the cluster driver: a crash loses exactly the unsynced
 * WAL tail, nothing acknowledged; a member restarts from its snapshot and WAL; a member too far
 * behind catches up by MsgSnap; members are added (as learners), promoted, removed; leadership moves.
 */
import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { TraceRecorder } from '../core/trace';
import type { Entry } from '../raft/raftpb';
import { Disk } from './disk';
import { ERR_LEARNER_NOT_READY, newRaftCluster, type RaftApp, type RaftCluster } from './cluster';

function converged(c: RaftCluster, index: number): boolean {
  return c.members().every((id) => (c.node(id)?.raft.raftLog.applied ?? 0) >= index);
}

function ready(c: RaftCluster): number {
  expect(c.runUntil(() => c.leader() !== undefined)).toBe(true);
  return c.leader()!;
}

function proposeAll(c: RaftCluster, data: string[]): number {
  let last = 0;
  for (const d of data) {
    const r = c.propose(d);
    expect(r.ok).toBe(true);
    if (r.ok) last = r.index;
  }
  return last;
}

const entry = (index: number, term: number): Entry => ({ index, term, type: 'EntryNormal', data: `e${index}.${term}` });

describe('Disk', () => {
  it('a crash loses only what no fsync covered; a later entry at an index replaces the tail (wal.go ReadAll)', () => {
    const d = new Disk();
    const n = d.write({ term: 1, vote: 1, commit: 0 }, [entry(1, 1), entry(2, 1)]);
    d.sync(n);
    d.write({ term: 2, vote: 2, commit: 2 }, [entry(3, 2)]);
    expect(d.crash().map((r) => r.kind)).toEqual(['entry', 'state']);
    expect(d.load().entries.map((e) => e.index)).toEqual([1, 2]);
    expect(d.load().hardState).toEqual({ term: 1, vote: 1, commit: 0 });
    d.sync(d.write({ term: 3, vote: 3, commit: 1 }, [entry(2, 3), entry(3, 3)]));
    expect(d.load().entries.map((e) => `${e.index}.${e.term}`)).toEqual(['1.1', '2.3', '3.3']);
  });
});

describe('raftcluster disk', () => {
  it('acks wait for fsync: a leader crashing mid-fsync loses its unsynced tail, nothing it acknowledged', () => {
    const rec = new TraceRecorder();
    const c = newRaftCluster({ size: 3, env: newEnv({ seed: 4, trace: rec }), fsyncMs: 40 });
    const lead = ready(c);
    c.runUntil(() => converged(c, c.node(lead)!.raft.raftLog.lastIndex())); // the leader's empty entry
    const r = c.propose('x');
    expect(r.ok).toBe(true);
    c.run(5); // the MsgApps are out, the leader's own fsync is not done
    c.crash(lead);
    const loss = rec.events.find((e) => e.type === 'disk.crashLoss');
    expect(loss).toMatchObject({ node: lead, entries: 1, lostFrom: r.ok ? r.index : -1 });
    expect(c.proposals[0].acked).toBe(false);
    c.restart(lead);
    expect(c.storage(lead).lastIndex()).toBeLessThan(r.ok ? r.index : 0);
    // The followers had it durable: the new leader commits it, and the old one gets it back.
    expect(c.runUntil(() => converged(c, r.ok ? r.index : 0) && c.applied(lead).length === 1)).toBe(true);
    expect(c.applied(lead).map((e) => e.data)).toEqual(['x']);
  });

  it('fsync latency 0 is synchronous: no fsync event, nothing to lose', () => {
    const rec = new TraceRecorder();
    const c = newRaftCluster({ size: 3, env: newEnv({ seed: 4, trace: rec }), fsyncMs: 0 });
    const lead = ready(c);
    c.propose('x');
    c.crash(lead);
    expect(rec.events.some((e) => e.type === 'disk.fsync')).toBe(false);
    expect(rec.events.find((e) => e.type === 'disk.crashLoss')).toMatchObject({ records: 0 });
  });

  it('a member restarts from its disk snapshot and the WAL after it, and re-applies only the rest', () => {
    const rec = new TraceRecorder();
    const snaps: string[] = [];
    const app = (id: number): RaftApp => {
      let state: string[] = [];
      return {
        apply: (e) => void (e.data && state.push(e.data)),
        snapshot: () => JSON.stringify(state),
        restore: (d) => {
          if (id === 2) snaps.push(d as string);
          state = JSON.parse(d as string) as string[];
        },
      };
    };
    const c = newRaftCluster({ size: 3, env: newEnv({ seed: 8, trace: rec }), snapshotCount: 10, app });
    ready(c);
    const data = Array.from({ length: 25 }, (_, i) => `v${i}`);
    const last = proposeAll(c, data);
    expect(c.runUntil(() => converged(c, last))).toBe(true);
    const saved = rec.events.filter((e) => e.type === 'disk.snapshot' && e.node === 2);
    expect(saved.length).toBeGreaterThanOrEqual(1);
    const snapIndex = c.disk(2).snap!.metadata.index;
    expect(snapIndex).toBeGreaterThan(10);
    c.crash(2);
    c.restart(2);
    expect(rec.events.find((e) => e.type === 'disk.load')).toMatchObject({ node: 2, snapshotIndex: snapIndex });
    expect(snaps).toHaveLength(1);
    expect(c.runUntil(() => converged(c, last))).toBe(true);
    expect(c.applied(2).map((e) => e.data)).toEqual(data);
    expect(JSON.parse(c.app(2)!.snapshot() as string)).toEqual(data);
  });

  it('a member too far behind gets MsgSnap (the log was compacted) and restores its application from it', () => {
    const rec = new TraceRecorder();
    const c = newRaftCluster({ size: 3, env: newEnv({ seed: 2, trace: rec }), memorySnapshotCount: 10, snapshotCatchUpEntries: 5 });
    const lead = ready(c);
    const lagging = c.members().find((id) => id !== lead)!;
    c.crash(lagging);
    const data = Array.from({ length: 40 }, (_, i) => `v${i}`);
    const last = proposeAll(c, data);
    c.runUntil(() => converged(c, last) || false, 2000);
    expect(c.storage(lead).firstIndex()).toBeGreaterThan(2);
    c.restart(lagging);
    expect(c.runUntil(() => converged(c, last))).toBe(true);
    expect(rec.events.some((e) => e.type === 'raft.snapshot' && e.action === 'send' && e.to === lagging)).toBe(true);
    expect(rec.events.some((e) => e.type === 'disk.snapshot' && e.node === lagging && e.source === 'leader')).toBe(true);
    expect(c.applied(lagging).map((e) => e.data)).toEqual(data);
  });
});

describe('raftcluster membership', () => {
  it('a learner joins empty, catches up, cannot vote until promoted; a removed member stops', () => {
    const c = newRaftCluster({ size: 3, env: newEnv({ seed: 6 }) });
    ready(c);
    const last = proposeAll(c, ['a', 'b']);
    expect(c.addMember(4, { learner: true }).ok).toBe(true);
    expect(c.addMember(4).ok).toBe(false);
    expect(c.runUntil(() => converged(c, last) && c.applied(4).length === 2)).toBe(true);
    expect(c.node(c.leader()!)!.raft.trk.config.learners?.has(4)).toBe(true);
    const p = c.promoteMember(4);
    expect(p.ok).toBe(true);
    expect(c.runUntil(() => c.node(4)!.raft.trk.config.voters[0].has(4))).toBe(true);
    expect(c.promoteMember(4)).toEqual({ ok: false, error: 'membership: can only promote a learner member' });
    const lead = c.leader()!;
    const victim = c.members().find((id) => id !== lead && id !== 4)!;
    expect(c.runUntil(() => c.removeMember(victim).ok, 5000)).toBe(true);
    expect(c.runUntil(() => c.removed(victim))).toBe(true);
    expect(c.members()).not.toContain(victim);
    expect(c.node(victim)).toBeUndefined();
    const r = c.propose('c');
    expect(r.ok).toBe(true);
    expect(c.runUntil(() => converged(c, r.ok ? r.index : 0))).toBe(true);
    for (const id of c.members()) expect(c.applied(id).map((e) => e.data)).toEqual(['a', 'b', 'c']);
  });

  it('a learner far behind is not promoted (ErrLearnerNotReady)', () => {
    const c = newRaftCluster({ size: 3, env: newEnv({ seed: 7 }) });
    ready(c);
    c.addMember(4, { learner: true });
    c.crash(4);
    proposeAll(c, Array.from({ length: 20 }, (_, i) => `v${i}`));
    c.run(500);
    expect(c.promoteMember(4)).toEqual({ ok: false, error: ERR_LEARNER_NOT_READY });
  });

  it('leadership moves to the transferee in a higher term', () => {
    const c = newRaftCluster({ size: 3, env: newEnv({ seed: 12 }) });
    const lead = ready(c);
    const term = c.node(lead)!.raft.term;
    const to = c.members().find((id) => id !== lead)!;
    expect(c.transferLeadership(to)).toEqual({ ok: true, from: lead });
    expect(c.runUntil(() => c.leader() === to, 3000)).toBe(true);
    expect(c.node(to)!.raft.term).toBe(term + 1);
    expect(c.transferLeadership(99).ok).toBe(false);
  });
});

describe('Disk snapshots', () => {
  it('a local snapshot keeps the WAL after it; a leader snapshot drops the old tail past it (raft reset its log)', () => {
    const snap = (index: number, term: number) => ({ metadata: { index, term, confState: { voters: [1], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } }, data: '' });
    const d = new Disk();
    d.sync(d.write({ term: 1, vote: 1, commit: 3 }, [entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 1)]));
    d.saveSnap(snap(2, 1));
    expect(d.load().entries.map((e) => e.index)).toEqual([3, 4]);
    d.saveSnap(snap(3, 2), true);
    expect(d.load().entries).toEqual([]);
    expect(d.load().snapshot?.metadata.index).toBe(3);
  });
});

describe('raftcluster safetyCheck', () => {
  it('safetyCheck: false skips the checker (a forged second leader goes unseen)', () => {
    const c = newRaftCluster({ size: 3, env: newEnv({ seed: 9 }), safetyCheck: false });
    const lead = ready(c);
    const other = c.members().find((id) => id !== lead)!;
    const r = c.node(other)!.raft;
    r.state = 'StateLeader';
    r.term = c.node(lead)!.raft.term;
    c.run(200);
    expect(c.violations).toEqual([]);
  });
});
