// Figure 8 (Raft paper §5.4.2) replayed: raft's own commit rule keeps x; a rule that counts
// replicas of an older term's entry commits x, and the checker sees it lost.
import { describe, expect, it } from 'vitest';
import type { CommitRuleState } from '../raft/rules';
import { replayFigure8 } from './figure8';

function quorumIndex(r: CommitRuleState): number {
  const ms = Object.values(r.match).sort((a, b) => b - a);
  return ms[Math.floor(ms.length / 2)];
}

describe('replayFigure8', () => {
  for (const seed of [1, 8, 99]) {
    it(`raft's rule: x is committed only with the new leader's entry, and 5 cannot win (seed ${seed})`, () => {
      const r = replayFigure8({}, seed);
      expect(r.committedByCount).toBe(false);
      expect(r.violations).toEqual([]);
      expect(r.lines.at(-1)).toMatch(/5 cannot win/);
    });

    it(`a count-only rule commits x of term 1 in a later term, and 5 overwrites it (seed ${seed})`, () => {
      const r = replayFigure8({ commitIndex: (s) => Math.max(quorumIndex(s), s.committed) }, seed);
      expect(r.committedByCount).toBe(true);
      expect(r.violations.map((v) => v.property)).toContain('LeaderCompleteness');
      expect(r.lines.join('\n')).toMatch(/1 commits index \d+: x is on 1, 3 and 4, a majority — counted, though x is of term \d+/);
    });
  }
});

describe('violations in the trace', () => {
  it('each finding of the checker is a raftcheck.violation event, with its property and text', async () => {
    const { TraceRecorder } = await import('../core/trace');
    const { setActiveTrace } = await import('../core/env');
    const { eventText } = await import('../catalogs');
    const trace = new TraceRecorder();
    const before = setActiveTrace(trace);
    let r: ReturnType<typeof replayFigure8>;
    try {
      r = replayFigure8({ commitIndex: (s) => Math.max(quorumIndex(s), s.committed) }, 8);
    } finally {
      setActiveTrace(before);
    }
    const events = trace.events.filter((e) => e.type === 'raftcheck.violation');
    expect(r.violations.length).toBeGreaterThan(0);
    expect(events.map((e) => e.property)).toEqual(r.violations.map((v) => v.property));
    expect(eventText(events[0])).toBe(`safety violation: ${r.violations[0].property}: ${r.violations[0].message}`);
  });
});
