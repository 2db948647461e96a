/** Ported from pkg/scheduler/framework/plugins/helper/normalize_score_test.go (TestDefaultNormalizeScore). */
import { describe, it, expect } from 'vitest';
import { defaultNormalizeScore } from '.';

describe('TestDefaultNormalizeScore', () => {
  const cases: { reverse?: boolean; scores: number[]; expected: number[] }[] = [
    { scores: [1, 2, 3, 4], expected: [25, 50, 75, 100] },
    { reverse: true, scores: [1, 2, 3, 4], expected: [75, 50, 25, 0] },
    { scores: [1000, 10, 20, 30], expected: [100, 1, 2, 3] },
    { reverse: true, scores: [1000, 10, 20, 30], expected: [0, 99, 98, 97] },
    { scores: [1, 1, 1, 1], expected: [100, 100, 100, 100] },
    { scores: [1000, 1, 1, 1], expected: [100, 0, 0, 0] },
    { reverse: true, scores: [0, 1, 1, 1], expected: [100, 0, 0, 0] },
    { scores: [0, 0, 0, 0], expected: [0, 0, 0, 0] },
    { reverse: true, scores: [0, 0, 0, 0], expected: [100, 100, 100, 100] },
  ];
  cases.forEach((c, i) => {
    it(`TestDefaultNormalizeScore/case_${i}`, () => {
      const list = c.scores.map((score, j) => ({ name: `n${j}`, score }));
      expect(defaultNormalizeScore(100, c.reverse ?? false, list)).toBeNull();
      expect(list.map((s) => s.score)).toEqual(c.expected);
    });
  });
});
