import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conditionTypes, NamespaceConditionUpdater, updateConditions, type NamespaceCondition } from './conditions';

const entries = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,8}\.[a-z]{0,6}$/), fc.integer({ min: 0, max: 5 })), { selector: ([k]) => k, maxLength: 6 });

describe('namespace conditions (status_condition_utils.go), properties', () => {
  it('the remaining-content messages do not depend on the order the deleter met the resources (sorted "for stable updates"), and skip zero counts', () => {
    fc.assert(
      fc.property(entries, entries, fc.infiniteStream(fc.boolean()), (resources, finalizers, flips) => {
        const message = (order: Array<[string, number]>, fin: Array<[string, number]>) => {
          const u = new NamespaceConditionUpdater(() => 't');
          u.processContentTotals({ gvrToNumRemaining: new Map(order), finalizersToNumRemaining: new Map(fin) });
          return u.newConditions.map((c) => `${c.type}|${c.message}`);
        };
        const shuffled = [...resources].sort(() => (flips.next().value ? 1 : -1));
        expect(message(shuffled, [...finalizers].reverse())).toEqual(message(resources, finalizers));
        for (const line of message(resources, finalizers)) expect(line).not.toMatch(/ 0 resource instances/);
      }),
      { numRuns: 200 },
    );
  });

  it('updateConditions: every maintained type is present once, a second identical update changes nothing, and lastTransitionTime moves only with status', () => {
    const cond = fc.record({ type: fc.constantFrom(...conditionTypes), status: fc.constantFrom('True' as const, 'False' as const), reason: fc.constantFrom('A', 'B'), message: fc.constantFrom('m1', 'm2') });
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(cond, { selector: (c) => c.type }), { minLength: 1, maxLength: 5 }), (passes) => {
        const status: { conditions?: NamespaceCondition[] } = {};
        let t = 0;
        for (const pass of passes) {
          t++;
          const before = new Map((status.conditions ?? []).map((c) => [c.type, { ...c }]));
          updateConditions(status, pass, () => `t${t}`);
          expect(status.conditions?.map((c) => c.type)).toEqual([...conditionTypes]);
          for (const c of status.conditions ?? []) {
            const old = before.get(c.type);
            if (old && old.status === c.status) expect(c.lastTransitionTime).toBe(old.lastTransitionTime);
          }
          expect(updateConditions(status, pass, () => 'later')).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
