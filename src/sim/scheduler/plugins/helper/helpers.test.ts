/**
 * Ported from k8s.io/component-helpers scheduling/corev1/helpers_test.go at v0.34.0
 * (TestMatchNodeSelectorTerms, TestFindMatchingUntoleratedTaint).
 */
import { describe, it, expect } from 'vitest';
import type { Node, NodeSelector, NodeSelectorTerm, Taint, Toleration } from '../../../api/core/v1';
import { findMatchingUntoleratedTaint, matchNodeSelectorTerms } from '.';

describe('TestMatchNodeSelectorTerms', () => {
  const label1: NodeSelectorTerm['matchExpressions'] = [{ key: 'label_1', operator: 'In', values: ['label_1_val'] }];
  const host1: NodeSelectorTerm['matchFields'] = [{ key: 'metadata.name', operator: 'In', values: ['host_1'] }];
  const node = (name: string | undefined, labels?: Record<string, string>): Node => ({ metadata: { ...(name ? { name } : {}), ...(labels ? { labels } : {}) } });
  const sel = (...terms: NodeSelectorTerm[]): NodeSelector => ({ nodeSelectorTerms: terms });
  const cases: { name: string; ns: NodeSelector | null; node: Node | null; want: boolean }[] = [
    { name: 'nil terms', ns: null, node: null, want: false },
    { name: 'node label matches matchExpressions terms', ns: sel({ matchExpressions: label1 }), node: node(undefined, { label_1: 'label_1_val' }), want: true },
    { name: 'node field matches matchFields terms', ns: sel({ matchFields: host1 }), node: node('host_1'), want: true },
    { name: 'invalid node field requirement', ns: sel({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1', 'host_2'] }] }), node: node('host_1'), want: false },
    { name: 'fieldSelectorTerm with node labels', ns: sel({ matchFields: host1 }), node: node('not_host_1', { 'metadata.name': 'host_1' }), want: false },
    { name: 'labelSelectorTerm with node fields', ns: sel({ matchExpressions: [{ key: 'metadata.name', operator: 'In', values: ['host_1'] }] }), node: node('host_1'), want: false },
    { name: 'labelSelectorTerm and fieldSelectorTerm was set, but only node fields', ns: sel({ matchExpressions: label1, matchFields: host1 }), node: node('host_1'), want: false },
    {
      name: 'labelSelectorTerm and fieldSelectorTerm was set, both node fields and labels (both matched)',
      ns: sel({ matchExpressions: label1, matchFields: host1 }), node: node('host_1', { label_1: 'label_1_val' }), want: true,
    },
    {
      name: 'labelSelectorTerm and fieldSelectorTerm was set, both node fields and labels (one mismatched)',
      ns: sel({ matchExpressions: label1, matchFields: host1 }), node: node('host_1', { label_1: 'label_1_val-failed' }), want: false,
    },
    {
      name: 'multi-selector was set, both node fields and labels (one mismatched)',
      ns: sel({ matchExpressions: label1 }, { matchFields: host1 }), node: node('host_1', { label_1: 'label_1_val-failed' }), want: true,
    },
  ];
  for (const c of cases) it(`TestMatchNodeSelectorTerms/${c.name}`, () => expect(matchNodeSelectorTerms(c.node, c.ns)[0]).toBe(c.want));
});

describe('TestFindMatchingUntoleratedTaint', () => {
  const fooExists = (effect: Toleration['effect']): Toleration => ({ key: 'foo', operator: 'Exists', effect });
  const cases: { name: string; tolerations: Toleration[]; taints: Taint[]; filter?: (t: Taint) => boolean; tolerated: boolean }[] = [
    { name: 'empty tolerations tolerate empty taints', tolerations: [], taints: [], filter: () => true, tolerated: true },
    { name: 'non-empty tolerations tolerate empty taints', tolerations: [fooExists('NoSchedule')], taints: [], filter: () => true, tolerated: true },
    { name: 'tolerations match all taints, expect tolerated', tolerations: [fooExists('NoSchedule')], taints: [{ key: 'foo', effect: 'NoSchedule' }], filter: () => true, tolerated: true },
    {
      name: "tolerations don't match taints, but no taints apply to the filter, expect tolerated",
      tolerations: [fooExists('NoSchedule')], taints: [{ key: 'bar', effect: 'NoSchedule' }], filter: () => false, tolerated: true,
    },
    {
      name: "no filterFunc indicated, means all taints apply to the filter, tolerations don't match taints, expect untolerated",
      tolerations: [fooExists('NoSchedule')], taints: [{ key: 'bar', effect: 'NoSchedule' }], tolerated: false,
    },
    {
      name: 'tolerations match taints, expect tolerated', tolerations: [fooExists('NoExecute')],
      taints: [{ key: 'foo', effect: 'NoExecute' }, { key: 'bar', effect: 'NoSchedule' }], filter: (t) => t.effect === 'NoExecute', tolerated: true,
    },
  ];
  for (const c of cases) {
    it(`TestFindMatchingUntoleratedTaint/${c.name}`, () => expect(findMatchingUntoleratedTaint(c.taints, c.tolerations, c.filter) === undefined).toBe(c.tolerated));
  }
});
