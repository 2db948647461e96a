import { it, expect } from 'vitest';
import { defaultNormalizeScore, getRequiredNodeAffinity, PreferredSchedulingTerms, findMatchingUntoleratedTaint } from '.';
import { makeNode, makePod } from '../../testing/wrappers';
it('normalizes, matches node selectors and finds untolerated taints as component-helpers does', () => {
  const s = [{ name: 'a', score: 3 }, { name: 'b', score: 7 }, { name: 'c', score: 0 }];
  defaultNormalizeScore(100, false, s);
  expect(s.map((x) => x.score)).toEqual([42, 100, 0]);
  const n = makeNode().name('n1').label('zone', 'a').obj();
  expect(getRequiredNodeAffinity(makePod().nodeAffinityIn('zone', ['a']).obj()).match(n)).toEqual([true, null]);
  expect(getRequiredNodeAffinity(makePod().nodeAffinityIn('zone', ['b']).obj()).match(n)).toEqual([false, null]);
  expect(getRequiredNodeAffinity(makePod().nodeSelector({ zone: 'a' }).obj()).match(n)[0]).toBe(true);
  expect(new PreferredSchedulingTerms([{ weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } }, { weight: 3, preference: {} }]).score(n)).toBe(5);
  expect(findMatchingUntoleratedTaint([{ key: 'k', value: 'v', effect: 'NoSchedule' }], [{ key: 'k', operator: 'Exists' }])).toBeUndefined();
  expect(findMatchingUntoleratedTaint([{ key: 'k', value: 'v', effect: 'NoSchedule' }], [{ key: 'k', value: 'w' }])?.key).toBe('k');
});
