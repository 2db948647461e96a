import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { newDaemonSet, newNode } from './testing';
import { rollingUpdatePlan } from './update';

/** What a node holds: nothing, an old pod, a new pod, or both; each pod available or not. */
type NodeState = { old?: boolean; new?: boolean };
const podOf = (name: string, node: string, hash: string, available: boolean): Pod => ({
  metadata: { name, labels: { 'controller-revision-hash': hash } },
  spec: { containers: [], nodeName: node },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: available ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
});
const NOW = Date.UTC(2026, 0, 2); // allow-nondeterminism: a fixed date

const stateArb: fc.Arbitrary<NodeState> = fc.record({ old: fc.option(fc.boolean(), { nil: undefined }), new: fc.option(fc.boolean(), { nil: undefined }) });

function build(states: NodeState[]) {
  const nodes = states.map((_, i) => newNode(`n${i}`));
  const byNode = new Map<string, Pod[]>();
  states.forEach((s, i) => {
    const pods: Pod[] = [];
    if (s.old !== undefined) pods.push(podOf(`old${i}`, `n${i}`, 'old', s.old));
    if (s.new !== undefined) pods.push(podOf(`new${i}`, `n${i}`, 'new', s.new));
    if (pods.length) byNode.set(`n${i}`, pods);
  });
  return { nodes, byNode };
}

describe('rollingUpdatePlan properties (update.go rollingUpdate invariants)', () => {
  it('without surge: unavailable old pods always go; available ones only within maxUnavailable; new pods never', () => {
    fc.assert(
      fc.property(fc.array(stateArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 12 }), (states, maxUnavailable) => {
        const { nodes, byNode } = build(states);
        const ds = newDaemonSet('foo', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge: 0 } } });
        const plan = rollingUpdatePlan(ds, nodes, byNode, 'new', NOW, () => true);
        const deleted = new Set(plan.oldPodsToDelete);
        // Unavailable before: no pod, both pods (manage's job), a new pod not available, an old pod not available.
        const unavailableBefore = states.filter((s) => (s.old === undefined) === (s.new === undefined) || s.new === false || (s.new === undefined && s.old === false)).length;
        const availableOldDeleted = states.filter((s, i) => s.new === undefined && s.old === true && deleted.has(`old${i}`)).length;
        expect(availableOldDeleted).toBeLessThanOrEqual(Math.max(0, Math.min(maxUnavailable, states.length) - unavailableBefore));
        states.forEach((s, i) => {
          if (s.new === undefined && s.old === false) expect(deleted.has(`old${i}`)).toBe(true);
          expect(deleted.has(`new${i}`)).toBe(false);
        });
        expect(plan.newNodesToCreate).toEqual([]);
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('with surge: at most maxSurge nodes waiting on a new pod, old pods go only beside an available new one or when unavailable', () => {
    fc.assert(
      fc.property(fc.array(stateArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 6 }), (states, maxSurge) => {
        const { nodes, byNode } = build(states);
        const ds = newDaemonSet('foo', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge } } });
        const plan = rollingUpdatePlan(ds, nodes, byNode, 'new', NOW, () => true);
        const surging = states.filter((s) => s.old !== undefined && s.new === false).length;
        const created = new Set(plan.newNodesToCreate);
        const forAvailableOld = states.filter((s, i) => s.old === true && s.new === undefined && created.has(`n${i}`)).length;
        expect(forAvailableOld).toBeLessThanOrEqual(Math.max(0, maxSurge - surging));
        states.forEach((s, i) => {
          if (plan.oldPodsToDelete.includes(`old${i}`)) expect(s.new).toBe(true);
          if (s.old === false && s.new === undefined) expect(created.has(`n${i}`)).toBe(true);
          if (s.old === undefined) expect(created.has(`n${i}`)).toBe(false);
        });
      }),
      { numRuns: 200, seed: 17 },
    );
  });
});
