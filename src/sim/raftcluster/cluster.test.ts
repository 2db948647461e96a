/**
 * The cluster driver: elections, proposals, crashes, partitions, and a nemesis property over
 * many seeds (no safety violation, no acknowledged proposal lost).
 */
import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { TraceRecorder } from '../core/trace';
import { newRaftCluster, type RaftCluster } from './cluster';

/** term -> leader ids seen, sampled after every clock step of `c`. */
function watchLeaders(c: RaftCluster): Map<number, Set<number>> {
  const byTerm = new Map<number, Set<number>>();
  const sample = () => {
    for (const id of c.members()) {
      const r = c.node(id)?.raft;
      if (r?.state === 'StateLeader') byTerm.set(r.term, (byTerm.get(r.term) ?? new Set()).add(id));
    }
  };
  const tick = () => {
    sample();
    c.clock.afterFunc(10, tick);
  };
  tick();
  return byTerm;
}

function converged(c: RaftCluster, index: number): boolean {
  return c.members().every((id) => (c.node(id)?.raft.raftLog.applied ?? 0) >= index);
}

describe('raftcluster', () => {
  for (const size of [3, 5]) {
    it(`a ${size}-member cluster elects exactly one leader per term, and proposals commit on all members`, () => {
      const c = newRaftCluster({ size, env: newEnv({ seed: size }) });
      const leaders = watchLeaders(c);
      expect(c.runUntil(() => c.leader() !== undefined)).toBe(true);
      const res = ['a', 'b', 'c'].map((d) => c.propose(d));
      expect(res.every((r) => r.ok)).toBe(true);
      const last = res[2].ok ? res[2].index : 0;
      expect(c.runUntil(() => converged(c, last))).toBe(true);
      for (const id of c.members()) expect(c.applied(id).map((e) => e.data)).toEqual(['a', 'b', 'c']);
      expect(c.proposals.every((p) => p.acked)).toBe(true);
      for (const [, ids] of leaders) expect(ids.size).toBe(1);
      expect(c.violations).toEqual([]);
    });
  }

  it('a crashed leader is replaced in a higher term; it rejoins from its storage', () => {
    const c = newRaftCluster({ size: 3, env: newEnv({ seed: 11 }) });
    c.runUntil(() => c.leader() !== undefined);
    const old = c.leader()!;
    const oldTerm = c.node(old)!.raft.term;
    const r = c.propose('x');
    expect(r.ok).toBe(true);
    c.runUntil(() => converged(c, r.ok ? r.index : 0));
    c.crash(old);
    expect(c.node(old)).toBeUndefined();
    expect(c.runUntil(() => c.leader() !== undefined && c.leader() !== old)).toBe(true);
    const next = c.leader()!;
    expect(c.node(next)!.raft.term).toBeGreaterThan(oldTerm);
    const r2 = c.propose('y');
    expect(r2.ok).toBe(true);
    c.restart(old);
    expect(c.runUntil(() => converged(c, r2.ok ? r2.index : 0))).toBe(true);
    expect(c.applied(old).map((e) => e.data)).toEqual(['x', 'y']);
    expect(c.node(old)!.raft.state).toBe('StateFollower');
  });

  it('a minority partition cannot commit; healing converges', () => {
    const c = newRaftCluster({ size: 5, env: newEnv({ seed: 3 }) });
    c.runUntil(() => c.leader() !== undefined);
    const lead = c.leader()!;
    const others = c.members().filter((id) => id !== lead);
    const minority = [lead, others[0]];
    const majority = others.slice(1);
    c.partition([minority, majority]);
    const stale = c.propose('lost?');
    expect(stale.ok && stale.leader).toBe(lead);
    const commitBefore = c.node(lead)!.raft.raftLog.committed;
    expect(c.runUntil(() => { const l = c.leader(); return l !== undefined && majority.includes(l); })).toBe(true);
    c.run(3000);
    expect(c.node(lead)!.raft.raftLog.committed).toBe(commitBefore);
    const ok = c.propose('kept');
    expect(ok.ok && majority.includes(ok.leader)).toBe(true);
    c.heal();
    expect(c.runUntil(() => converged(c, ok.ok ? ok.index : 0))).toBe(true);
    for (const id of c.members()) expect(c.applied(id).map((e) => e.data)).toEqual(['kept']);
    expect(c.violations).toEqual([]);
  });

  it('a safety violation throws, or is recorded with onViolation: record', () => {
    for (const mode of ['throw', 'record'] as const) {
      const c = newRaftCluster({ size: 3, env: newEnv({ seed: 9 }), onViolation: mode });
      c.runUntil(() => c.leader() !== undefined);
      const lead = c.leader()!;
      const other = c.members().find((id) => id !== lead)!;
      // A second leader in the same term: Election Safety breaks at the next step.
      const r = c.node(other)!.raft;
      r.state = 'StateLeader';
      r.term = c.node(lead)!.raft.term;
      if (mode === 'throw') {
        expect(() => c.run(1000)).toThrow(/ElectionSafety/);
      } else {
        c.run(200);
        expect(c.violations.map((v) => v.property)).toContain('ElectionSafety');
      }
    }
  });

  it('the same seed gives the same trace', () => {
    const run = () => {
      const rec = new TraceRecorder();
      const c = newRaftCluster({ size: 3, env: newEnv({ seed: 5, trace: rec }) });
      c.runUntil(() => c.leader() !== undefined);
      c.propose('a');
      c.run(1000);
      return JSON.stringify(rec.events);
    };
    const a = run();
    expect(a).toContain('raft.becomeLeader');
    expect(a).toContain('raftnet.deliver');
    expect(run()).toBe(a);
  });

});
