// The raft view's state comes from the trace alone: it must agree with the live cluster it was
// recorded from (roles, terms, votes, logs, commit and apply), at every point and whichever way
// the cursor moves; messages sit between their ends by virtual time; partitions become walls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Replayer, TraceRecorder, newEnv, newRaftCluster, replayOnce, type RaftCluster, type TraceEvent } from '../../../sim/index';
import { MEMBER_R, messageDots, partitionWalls, ringPositions } from './scene';
import { raftViewReducer, timerProgress, partitionGroups, type RaftViewState } from './state';
import { logsHtml, memberSummary, statusLine } from './view';

const ROLE: Record<string, string> = { StateFollower: 'follower', StateCandidate: 'candidate', StatePreCandidate: 'preCandidate', StateLeader: 'leader' };

/** What the view must know of each live member. */
function live(c: RaftCluster) {
  return c.members().map((id) => {
    const r = c.node(id)?.raft;
    if (!r) return { id, down: 'crashed' };
    return { id, role: ROLE[r.state], term: r.term, vote: r.vote, terms: r.raftLog.allEntries().map((e) => e.term), commit: r.raftLog.committed };
  });
}

function replayed(s: RaftViewState, ids: number[]) {
  return ids.map((id) => {
    const m = s.members.get(id)!;
    if (m.down === 'crashed') return { id, down: 'crashed' };
    return { id, role: m.role, term: m.term, vote: m.vote, terms: m.terms, commit: m.commit };
  });
}

/** A 5-member cluster through an election, proposals, a partition, a crash and a restart; live snapshots on the way. */
function scenario(seed: number, opts: { preVote?: boolean } = {}) {
  const trace = new TraceRecorder();
  const c = newRaftCluster({ size: 5, env: newEnv({ seed, trace }), preVote: opts.preVote, checkQuorum: opts.preVote });
  const marks: Array<{ at: number; members: ReturnType<typeof live> }> = [];
  const mark = () => marks.push({ at: trace.events.length, members: live(c) });
  c.runUntil(() => c.leader() !== undefined);
  mark();
  for (let i = 0; i < 3; i++) c.propose(`v${i}`);
  c.run(300);
  mark();
  const l = c.leader()!;
  const others = c.members().filter((id) => id !== l);
  c.partition([[l, others[0]], others.slice(1)]);
  c.propose('minority');
  c.run(3000);
  mark();
  c.heal();
  c.run(2000);
  mark();
  const l2 = c.leader()!;
  c.crash(l2);
  c.run(3000);
  mark();
  c.restart(l2);
  c.propose('after');
  c.run(2000);
  mark();
  return { c, trace: trace.events, marks };
}

describe('raft view state', () => {
  it('agrees with the live cluster after an election, proposals, a partition, a crash and a restart', () => {
    const { c, trace, marks } = scenario(3);
    for (const m of marks) expect(replayed(replayOnce(raftViewReducer, trace, m.at), c.members()), `after ${m.at} events`).toEqual(m.members);
  });

  it('agrees with the live cluster after every fault of a random schedule (property over seeds)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('crash' as const), id: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('restart' as const), id: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('pause' as const), id: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('resume' as const), id: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('partition' as const), cut: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('heal' as const) }),
      fc.record({ kind: fc.constant('propose' as const) }),
      fc.record({ kind: fc.constant('run' as const), ms: fc.integer({ min: 1, max: 2500 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.boolean(), fc.array(op, { minLength: 1, maxLength: 12 }), (seed, preVote, ops) => {
        const trace = new TraceRecorder();
        const c = newRaftCluster({ size: 5, env: newEnv({ seed, trace }), preVote, checkQuorum: preVote, onViolation: 'record' });
        c.run(1500);
        for (const o of ops) {
          if (o.kind === 'crash') c.crash(o.id);
          else if (o.kind === 'restart') c.restart(o.id);
          else if (o.kind === 'pause') c.pause(o.id);
          else if (o.kind === 'resume') c.resume(o.id);
          else if (o.kind === 'partition') c.partition([c.members().slice(0, o.cut), c.members().slice(o.cut)]);
          else if (o.kind === 'heal') c.heal();
          else if (o.kind === 'propose') c.propose(`p${trace.events.length}`);
          else c.run(o.ms);
          const s = replayOnce(raftViewReducer, trace.events);
          expect(replayed(s, c.members()), `seed ${seed} after ${o.kind}`).toEqual(live(c));
          expect(c.members().filter((id) => c.net.state(id) !== 'up')).toEqual([...s.members.values()].filter((m) => m.down).map((m) => m.id));
          expect(s.net?.inFlight.size).toBe(c.net.inFlight().length);
        }
      }),
      { numRuns: 25, seed: 9 },
    );
  });

  it('scrubbing back and forth gives the state replayed from scratch', () => {
    const { trace } = scenario(5, { preVote: true });
    const r = new Replayer(raftViewReducer, trace, { interval: 64 });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: trace.length }), { minLength: 1, maxLength: 8 }), (cursors) => {
        for (const n of cursors) {
          const a = raftViewReducer.clone(r.at(n));
          const b = replayOnce(raftViewReducer, trace, n);
          expect(replayed(a, [...b.members.keys()])).toEqual(replayed(b, [...b.members.keys()]));
          expect([...(a.net?.inFlight.keys() ?? [])]).toEqual([...(b.net?.inFlight.keys() ?? [])]);
        }
      }),
      { numRuns: 30, seed: 5 },
    );
  });

  it("a member's election timer has nearly run out when its election timeout fires", () => {
    for (const seed of [1, 2, 3]) {
      const { trace } = scenario(seed);
      const fired = trace.map((e, i) => [e, i] as const).filter(([e]) => e.type === 'raft.timeout' && e.kind === 'election');
      expect(fired.length).toBeGreaterThan(0);
      for (const [e, i] of fired) {
        const s = replayOnce(raftViewReducer, trace, i);
        const m = s.members.get(e.node as number)!;
        const p = timerProgress(s, m, e.t)!;
        // Within one tick of the end: ticks are tickMs apart, the view counts virtual ms.
        expect(p, `seed ${seed}, node ${m.id} at ${e.t}`).toBeGreaterThan(1 - 1.01 / m.timeoutTicks);
        expect(p).toBeLessThanOrEqual(1);
      }
      expect(replayOnce(raftViewReducer, trace).tickMs).toBe(100);
    }
  });

  it('knows the partition, the crashed member and the messages in flight', () => {
    const { trace } = scenario(7);
    const cut = trace.findIndex((e) => e.type === 'raftnet.partition');
    const s = replayOnce(raftViewReducer, trace, cut + 1);
    const groups = partitionGroups(s)!;
    expect(groups.flat().sort()).toEqual([1, 2, 3, 4, 5]);
    expect(groups).toHaveLength(2);
    expect(statusLine(s)).toMatch(/partition \{\d,\d\} \| \{\d,\d,\d\}/);
    const crash = trace.findIndex((e) => e.type === 'raftnet.crash');
    const after = replayOnce(raftViewReducer, trace, crash + 1);
    const crashed = trace[crash].node as number;
    expect(after.members.get(crashed)!.down).toBe('crashed');
    expect(memberSummary(after, after.members.get(crashed)!, trace[crash].t)).toMatch(new RegExp(`^member ${crashed}, crashed`));
    expect(timerProgress(after, after.members.get(crashed)!, trace[crash].t)).toBeUndefined();
  });

  it('flags two leaders in one term, and a violation the trace records', () => {
    const ev = (seq: number, type: string, fields: Record<string, unknown>): TraceEvent => ({ t: seq, seq, component: type.split('.')[0], type, ...fields }) as TraceEvent;
    const trace = [
      ev(0, 'raft.becomeLeader', { node: 1, term: 2, lead: 1, vote: 1, randomizedElectionTimeout: 12 }),
      ev(1, 'raft.becomeLeader', { node: 2, term: 2, lead: 2, vote: 2, randomizedElectionTimeout: 15 }),
      ev(2, 'raftcheck.violation', { property: 'LogMatching', message: 'logs differ at 3', nodes: [1, 3] }),
    ];
    expect(replayOnce(raftViewReducer, trace, 1).violations).toEqual([]);
    expect(replayOnce(raftViewReducer, trace).violations.map((v) => [v.property, v.nodes])).toEqual([
      ['ElectionSafety', [1, 2]],
      ['LogMatching', [1, 3]],
    ]);
  });

  it('draws the logs with terms, commit and apply marks, the newest 16 indexes', () => {
    const { trace } = scenario(3);
    const s = replayOnce(raftViewReducer, trace);
    const html = logsHtml(s);
    for (const m of s.members.values()) {
      expect(html).toContain(`<th scope="row">${m.id}`);
      if (m.terms.length) expect(html).toContain(`title="index ${m.terms.length}, term ${m.terms[m.terms.length - 1]}`);
    }
    expect(html).toMatch(/class="kl-raft-cell is-committed is-applied"/);
    const big = raftViewReducer.clone(s);
    big.members.get(1)!.terms = Array.from({ length: 40 }, () => 1);
    expect(logsHtml(big)).toContain('<th scope="col">25</th>');
    expect(logsHtml(big)).not.toContain('<th scope="col">24</th>');
  });
});

describe('raft view scene', () => {
  const pos = ringPositions([1, 2, 3]);

  it('puts a message between its ends by the share of its latency that has passed', () => {
    const msg = { msgId: 1, from: 1, to: 2, msgType: 'MsgApp', sentAt: 100, dueAt: 110, held: false };
    const at = (t: number) => messageDots([msg], t, pos)[0];
    expect(at(100).progress).toBe(0);
    expect(at(105).progress).toBe(0.5);
    expect(at(200).progress).toBe(1);
    const a = pos.get(1)!;
    const b = pos.get(2)!;
    const d0 = Math.hypot(at(100).x - a.x, at(100).y - a.y);
    const d1 = Math.hypot(at(110).x - b.x, at(110).y - b.y);
    expect(d0).toBeGreaterThan(MEMBER_R);
    expect(d1).toBeGreaterThan(MEMBER_R);
    expect(d0).toBeLessThan(MEMBER_R + 12);
    // An answer going back rides on the other side of the line.
    const back = messageDots([{ ...msg, msgId: 2, from: 2, to: 1 }], 105, pos)[0];
    expect(Math.hypot(back.x - at(105).x, back.y - at(105).y)).toBeGreaterThan(5);
    expect(messageDots([{ ...msg, held: true }], 100, pos)[0].progress).toBe(1);
  });

  it('walls off each side of a partition between ring neighbours', () => {
    const ids = [1, 2, 3, 4, 5];
    expect(partitionWalls(ids, [[1, 2], [3, 4, 5]])).toHaveLength(2);
    expect(partitionWalls(ids, [[1], [2], [3, 4, 5]])).toHaveLength(3);
    expect(partitionWalls(ids, [[1, 3], [2, 4, 5]])).toHaveLength(4);
    expect(partitionWalls(ids, [[1, 2, 3, 4, 5]])).toHaveLength(0);
    expect(partitionWalls([1, 2], [[1], [2]])).toHaveLength(1);
  });
});
