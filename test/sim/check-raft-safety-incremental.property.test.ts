// The incremental safety checker against the first one (test/sim/raft-safety-reference.ts, which
// re-reads every log whole at every observation): on clusters running broken rules under a
// nemesis, both see the same views after every step and must report the same violations at the
// same observations (Log Matching: first reported at the same one). `npm run fuzz -- --seeds N incremental` runs more seeds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSchedule, newEnv, newRaftCluster, newSafetyChecker, scheduleOn, type CommitRuleState, type EntryView, type NodeView, type RaftRules, type SafetyViolation, type VoteRequest, type VoteRuleState } from '../../src/sim/index';
import { newReferenceSafetyChecker } from './raft-safety-reference';
import { runs } from './fuzz';

const canVote = (r: VoteRuleState, m: VoteRequest) => r.vote === m.from || (r.vote === 0 && r.lead === 0) || (m.type === 'MsgPreVote' && m.term > r.term);
const RULES: Record<string, RaftRules> = {
  upstream: {},
  noUpToDate: { grantVote: canVote },
  lengthOnly: { grantVote: (r, m) => canVote(r, m) && m.index >= r.lastIndex },
  countOnly: {
    commitIndex: (r: CommitRuleState) => {
      const ms = Object.values(r.match).sort((a, b) => b - a);
      return Math.max(r.committed, ms[Math.floor(ms.length / 2)]);
    },
  },
};

/**
 * What a checker reported: for Log Matching the step it was first reported (the two checkers name
 * a divergence by different indices: the reference the highest differing one, ours the lowest);
 * for the other four properties every report, with its step and message.
 */
function reports(log: Array<{ step: number; found: SafetyViolation[] }>): { firstLogMatching?: number; others: string[] } {
  let firstLogMatching: number | undefined;
  const others: string[] = [];
  for (const { step, found } of log) {
    for (const v of found) {
      if (v.property === 'LogMatching') firstLogMatching ??= step;
      else others.push(`${step} ${v.property}: ${v.message}`);
    }
  }
  return { firstLogMatching, others };
}

interface Op {
  node: number;
  kind: 'append' | 'truncate' | 'compact' | 'commit' | 'role' | 'absent';
  a: number;
  b: number;
}

/** Random histories of views: logs that grow, lose a suffix, get compacted; roles, terms and commits that move. */
const historyArb = fc.record({
  nodes: fc.integer({ min: 2, max: 4 }),
  steps: fc.array(fc.array(fc.record({ node: fc.nat(3), kind: fc.constantFrom('append', 'append', 'truncate', 'compact', 'commit', 'role', 'absent'), a: fc.nat(6), b: fc.nat(6) }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 30 }),
});

function replayHistory(h: { nodes: number; steps: Op[][] }, observe: Array<(views: NodeView[]) => SafetyViolation[]>): Array<Array<{ step: number; found: SafetyViolation[] }>> {
  const logs = Array.from({ length: h.nodes }, () => [] as EntryView[]);
  const first = Array.from({ length: h.nodes }, () => 1);
  const meta = Array.from({ length: h.nodes }, () => ({ term: 1, state: 'StateFollower', committed: 0 }));
  const out = observe.map(() => [] as Array<{ step: number; found: SafetyViolation[] }>);
  h.steps.forEach((ops, step) => {
    const absent = new Set<number>();
    for (const op of ops) {
      const k = op.node % h.nodes;
      const log = logs[k];
      const last = first[k] + log.length - 1;
      switch (op.kind) {
        case 'append':
          for (let i = 0; i <= op.a % 3; i++) log.push({ index: first[k] + log.length, term: 1 + (op.b % 4), data: `d${op.b % 3}` });
          break;
        case 'truncate': {
          const keep = Math.min(log.length, op.a);
          log.length = keep;
          log.push({ index: first[k] + keep, term: 1 + (op.b % 4), data: `t${op.b}` });
          break;
        }
        case 'compact': {
          const drop = Math.min(op.a % 3, Math.max(0, log.length - 1));
          log.splice(0, drop);
          first[k] += drop;
          break;
        }
        case 'commit':
          meta[k].committed = Math.max(0, Math.min(last, first[k] - 1 + op.a));
          break;
        case 'role':
          meta[k].term = Math.max(meta[k].term, 1 + op.a);
          meta[k].state = op.b % 3 === 0 ? 'StateLeader' : 'StateFollower';
          break;
        case 'absent':
          absent.add(k);
          break;
      }
    }
    const views: NodeView[] = [];
    logs.forEach((log, k) => {
      if (!absent.has(k)) views.push({ id: k + 1, state: meta[k].state, term: meta[k].term, entries: [...log], committed: Math.min(meta[k].committed, first[k] + log.length - 1) });
    });
    observe.forEach((o, i) => out[i].push({ step, found: o(views) }));
  });
  return out;
}

describe('incremental raft safety checker', () => {
  it('reports what the whole-log checker reports on random histories of views (300 in npm test)', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const ours = newSafetyChecker();
        const ref = newReferenceSafetyChecker();
        const [a, b] = replayHistory(h, [(v) => ours.observe(v), (v) => ref.observe(v)]);
        expect(reports(a)).toEqual(reports(b));
      }),
      { numRuns: runs(300), seed: 11 },
    );
  });

  it('finds what the whole-log checker finds, at the same step (120 seeds in npm test)', () => {
    let broken = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...Object.keys(RULES)), fc.constantFrom(3, 5), (seed, rule, size) => {
        const env = newEnv({ seed });
        const c = newRaftCluster({ size, env, onViolation: 'record', fsyncMs: 0, raft: { rules: RULES[rule] } });
        const ref = newReferenceSafetyChecker();
        const ours: Array<{ step: number; found: SafetyViolation[] }> = [];
        const theirs: Array<{ step: number; found: SafetyViolation[] }> = [];
        let step = 0;
        const observe = c.checker.observe;
        (c.checker as { observe: typeof observe }).observe = (views, atMs) => {
          step++;
          theirs.push({ step, found: ref.observe(views, atMs) });
          const found = observe(views, atMs);
          ours.push({ step, found });
          return found;
        };
        const schedule = drawSchedule(env.rng.fork('nemesis'), { members: c.members(), durationMs: 6_000, faults: ['crash', 'partition', 'flap'] });
        scheduleOn(c.clock, schedule, (a) => c.apply(a));
        let n = 0;
        const propose = () => {
          if (c.clock.now() >= 6_000) return;
          c.propose(`v${++n}`);
          c.clock.afterFunc(50, propose);
        };
        try {
          propose();
          c.run(6_000);
        } catch {
          // A broken rule can make raft panic (as upstream would): compare what was seen until then.
        }
        const want = reports(theirs);
        if (want.others.length || want.firstLogMatching) broken++;
        expect(reports(ours), `seed ${seed}, ${size} members, rule ${rule}`).toEqual(want);
      }),
      { numRuns: runs(120), seed: 7 },
    );
    // The comparison means something only if some runs broke a property.
    expect(broken).toBeGreaterThan(0);
  });
});
