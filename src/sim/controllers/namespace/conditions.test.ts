import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conditionTypes, NamespaceConditionUpdater, okMessages, okReasons, updateConditions, type NamespaceCondition } from './conditions';

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

const ok = (type: (typeof conditionTypes)[number]): NamespaceCondition => ({ type, status: 'False', reason: okReasons[type], message: okMessages[type] });
const strip = (cs: NamespaceCondition[] | undefined) => (cs ?? []).map(({ lastTransitionTime: _t, ...c }) => c);

describe('updateConditions (ref: status_condition_utils_test.go TestUpdateConditions)', () => {
  const failure: NamespaceCondition = { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'True', reason: 'foo', message: 'bar' };
  const cases: Array<{ name: string; next: NamespaceCondition[]; start: NamespaceCondition[]; want: NamespaceCondition[] }> = [
    { name: 'leave unknown', next: [], start: [{ type: 'unknown', status: 'True' }], want: [{ type: 'unknown', status: 'True' }, ...conditionTypes.map(ok)] },
    { name: 'replace with success', next: [], start: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'True' }], want: conditionTypes.map(ok) },
    {
      name: 'leave different order',
      next: [],
      start: [{ type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'True' }, { type: 'NamespaceDeletionDiscoveryFailure', status: 'True' }],
      want: [ok('NamespaceDeletionGroupVersionParsingFailure'), ok('NamespaceDeletionDiscoveryFailure'), ok('NamespaceDeletionContentFailure'), ok('NamespaceContentRemaining'), ok('NamespaceFinalizersRemaining')],
    },
    {
      name: 'overwrite with failure',
      next: [failure],
      start: [{ type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False' }, { type: 'NamespaceDeletionDiscoveryFailure', status: 'True' }],
      want: [failure, ok('NamespaceDeletionDiscoveryFailure'), ok('NamespaceDeletionContentFailure'), ok('NamespaceContentRemaining'), ok('NamespaceFinalizersRemaining')],
    },
    {
      name: 'write new failure',
      next: [failure],
      start: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'True' }],
      want: [ok('NamespaceDeletionDiscoveryFailure'), failure, ok('NamespaceDeletionContentFailure'), ok('NamespaceContentRemaining'), ok('NamespaceFinalizersRemaining')],
    },
  ];
  it.each(cases)('$name', (c) => {
    const status = { conditions: c.start.map((x) => ({ ...x })) };
    updateConditions(status, c.next, () => 't');
    expect(strip(status.conditions)).toEqual(strip(c.want));
  });
});

describe('processContentTotals (ref: status_condition_utils_test.go TestProcessContentTotals, v1.34 texts)', () => {
  const remaining = new Map([['deployments.apps.k8s.io', 5], ['daemonsets.apps.k8s.io', 5]]);
  const finalizers = new Map([['service-catalog', 6], ['kubedb', 5]]);
  const resourcesMsg = 'Some resources are remaining: daemonsets.apps.k8s.io has 5 resource instances, deployments.apps.k8s.io has 5 resource instances';
  const finalizersMsg = 'Some content in the namespace has finalizers remaining: kubedb in 5 resource instances, service-catalog in 6 resource instances';
  const cases = [
    { name: 'nothing', r: new Map<string, number>(), f: new Map<string, number>(), want: [] as string[] },
    { name: 'just remaining', r: remaining, f: new Map<string, number>(), want: [`NamespaceContentRemaining SomeResourcesRemain ${resourcesMsg}`] },
    { name: 'just finalizers', r: new Map<string, number>(), f: finalizers, want: [`NamespaceFinalizersRemaining SomeFinalizersRemain ${finalizersMsg}`] },
    { name: 'both', r: remaining, f: finalizers, want: [`NamespaceContentRemaining SomeResourcesRemain ${resourcesMsg}`, `NamespaceFinalizersRemaining SomeFinalizersRemain ${finalizersMsg}`] },
  ];
  it.each(cases)('$name', (c) => {
    const u = new NamespaceConditionUpdater(() => 't');
    u.processContentTotals({ gvrToNumRemaining: c.r, finalizersToNumRemaining: c.f });
    expect(u.newConditions.map((x) => `${x.type} ${x.reason} ${x.message}`)).toEqual(c.want);
  });
});
