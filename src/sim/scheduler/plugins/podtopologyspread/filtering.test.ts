import { describe, expect, it } from 'vitest';
import type { Node, Pod, Taint } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import { PodInfo } from '../../framework/types';
import { getPreFilterState, ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch } from './filtering';
import { barSelector, filterCodes, fooSelector, node, pod, setup } from './testing';

const four = (): Node[] => [
  node('node-a', { zone: 'zone1', node: 'node-a' }),
  node('node-b', { zone: 'zone1', node: 'node-b' }),
  node('node-x', { zone: 'zone2', node: 'node-x' }),
  node('node-y', { zone: 'zone2', node: 'node-y' }),
];
const foo = { foo: '' };
/** Existing pods labelled foo, as `name@node`. */
const foos = (...specs: string[]): Pod[] => specs.map((s) => { const [n, at] = s.split('@'); return pod(n, at, foo).obj(); });

/** The state as plain data: per constraint, the two critical paths (ties sorted by value, as upstream's comparer does) and the counts. */
function stateOf(state: CycleState) {
  const s = getPreFilterState(state);
  return {
    constraints: s.constraints.map((c) => ({ maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector: c.selector.toString(), minDomains: c.minDomains, nodeAffinityPolicy: c.nodeAffinityPolicy, nodeTaintsPolicy: c.nodeTaintsPolicy })),
    criticalPaths: s.criticalPaths.map((cp) => {
      const [a, b] = cp.paths.map((p) => [p.topologyValue, p.matchNum] as [string, number]);
      return a[1] === b[1] && a[0] > b[0] ? [[b[0], a[1]], [a[0], b[1]]] : [a, b];
    }),
    tpValueToMatchNum: s.tpValueToMatchNum.map((m) => Object.fromEntries(m)),
  };
}
const zoneFoo = { maxSkew: 1, topologyKey: 'zone', selector: 'foo', minDomains: 1, nodeAffinityPolicy: 'Honor' as const, nodeTaintsPolicy: 'Ignore' as const };
const nodeFoo = { ...zoneFoo, topologyKey: 'node' };

/** TestPreFilterState's node inclusion policy cases: three nodes, bar pods spread 1/2/0. */
function policyCases() {
  const unsched: Taint = { key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' };
  const bars = () => [pod('p-a', 'node-a', { bar: '' }).obj(), pod('p-b', 'node-b', { bar: '' }).obj(), pod('p-c', 'node-b', { bar: '' }).obj(), pod('p-d', 'node-c').obj()];
  const fooNodes = () => [node('node-a', { node: 'node-a', foo: '' }), node('node-b', { node: 'node-b', foo: '' }), node('node-c', { node: 'node-c', bar: '' })];
  const taintedNodes = () => [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' }), node('node-c', { node: 'node-c', bar: '' }, [unsched])];
  const barC = { maxSkew: 1, topologyKey: 'node', selector: 'bar', minDomains: 1, nodeAffinityPolicy: 'Honor' as const, nodeTaintsPolicy: 'Ignore' as const };
  const ab = { criticalPaths: [[['node-a', 1], ['node-b', 2]]], tpValueToMatchNum: [{ 'node-a': 1, 'node-b': 2 }] };
  const cab = { criticalPaths: [[['node-c', 0], ['node-a', 1]]], tpValueToMatchNum: [{ 'node-a': 1, 'node-b': 2, 'node-c': 0 }] };
  const p = () => pod('p', undefined, foo);
  return [
    { ref: 'TestPreFilterState/NodeAffinityPolicy honored with labelSelectors', pod: p().nodeSelector(foo).spreadConstraint(1, 'node', 'DoNotSchedule', barSelector).obj(), nodes: fooNodes(), pods: bars(), want: { constraints: [barC], ...ab } },
    {
      ref: 'TestPreFilterState/NodeAffinityPolicy ignored with labelSelectors', pod: p().nodeSelector(foo).spreadConstraint(1, 'node', 'DoNotSchedule', barSelector, undefined, 'Ignore').obj(),
      nodes: fooNodes(), pods: bars(), want: { constraints: [{ ...barC, nodeAffinityPolicy: 'Ignore' as const }], ...cab },
    },
    { ref: 'TestPreFilterState/NodeAffinityPolicy honored with nodeAffinity', pod: p().nodeAffinityIn('foo', ['']).spreadConstraint(1, 'node', 'DoNotSchedule', barSelector).obj(), nodes: fooNodes(), pods: bars(), want: { constraints: [barC], ...ab } },
    {
      ref: 'TestPreFilterState/NodeAffinityPolicy ignored with nodeAffinity', pod: p().nodeAffinityIn('foo', ['']).spreadConstraint(1, 'node', 'DoNotSchedule', barSelector, undefined, 'Ignore').obj(),
      nodes: fooNodes(), pods: bars(), want: { constraints: [{ ...barC, nodeAffinityPolicy: 'Ignore' as const }], ...cab },
    },
    { ref: 'TestPreFilterState/NodeTaintsPolicy ignored', pod: p().spreadConstraint(1, 'node', 'DoNotSchedule', barSelector).obj(), nodes: taintedNodes(), pods: bars(), want: { constraints: [barC], ...cab } },
    {
      ref: 'TestPreFilterState/NodeTaintsPolicy honored', pod: p().spreadConstraint(1, 'node', 'DoNotSchedule', barSelector, undefined, undefined, 'Honor').obj(),
      nodes: taintedNodes(), pods: bars(), want: { constraints: [{ ...barC, nodeTaintsPolicy: 'Honor' as const }], ...ab },
    },
    {
      ref: 'TestPreFilterState/NodeTaintsPolicy honored with tolerated taints',
      pod: p().toleration('node.kubernetes.io/unschedulable').spreadConstraint(1, 'node', 'DoNotSchedule', barSelector, undefined, undefined, 'Honor').obj(),
      nodes: taintedNodes(), pods: bars(), want: { constraints: [{ ...barC, nodeTaintsPolicy: 'Honor' as const }], ...cab },
    },
  ];
}

describe('PodTopologySpread PreFilter state', () => {
  const cases: { ref: string; pod: Pod; nodes: Node[]; pods?: Pod[]; want: ReturnType<typeof stateOf> }[] = [
    {
      ref: 'TestPreFilterState/clean cluster with one spreadConstraint',
      pod: pod('p', undefined, foo).spreadConstraint(5, 'zone', 'DoNotSchedule', { matchLabels: { foo: 'bar' } }).obj(),
      nodes: four(),
      want: { constraints: [{ ...zoneFoo, maxSkew: 5, selector: 'foo=bar' }], criticalPaths: [[['zone1', 0], ['zone2', 0]]], tpValueToMatchNum: [{ zone1: 0, zone2: 0 }] },
    },
    {
      ref: 'TestPreFilterState/normal case with one spreadConstraint',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y'),
      want: { constraints: [zoneFoo], criticalPaths: [[['zone2', 2], ['zone1', 3]]], tpValueToMatchNum: [{ zone1: 3, zone2: 2 }] },
    },
    {
      ref: 'TestPreFilterState/normal case with null label selector',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', null).obj(),
      nodes: four(),
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y'),
      want: { constraints: [{ ...zoneFoo, selector: '' }], criticalPaths: [[['zone1', 0], ['zone2', 0]]], tpValueToMatchNum: [{ zone1: 0, zone2: 0 }] },
    },
    {
      ref: 'TestPreFilterState/normal case with one spreadConstraint, on a 3-zone cluster',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj(),
      nodes: [...four(), node('node-o', { zone: 'zone3', node: 'node-o' }), node('node-p', { zone: 'zone3', node: 'node-p' })],
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y'),
      want: { constraints: [zoneFoo], criticalPaths: [[['zone3', 0], ['zone2', 2]]], tpValueToMatchNum: [{ zone1: 3, zone2: 2, zone3: 0 }] },
    },
    {
      ref: "TestPreFilterState/namespace mismatch doesn't count",
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      pods: [
        pod('p-a1', 'node-a', foo).obj(), pod('p-a2', 'node-a', foo).namespace('ns1').obj(), pod('p-b1', 'node-b', foo).obj(),
        pod('p-y1', 'node-y', foo).namespace('ns2').obj(), pod('p-y2', 'node-y', foo).obj(),
      ],
      want: { constraints: [zoneFoo], criticalPaths: [[['zone2', 1], ['zone1', 2]]], tpValueToMatchNum: [{ zone1: 2, zone2: 1 }] },
    },
    {
      ref: 'TestPreFilterState/normal case with two spreadConstraints',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y', 'p-y4@node-y'),
      want: {
        constraints: [zoneFoo, nodeFoo],
        criticalPaths: [[['zone1', 3], ['zone2', 4]], [['node-x', 0], ['node-b', 1]]],
        tpValueToMatchNum: [{ zone1: 3, zone2: 4 }, { 'node-a': 2, 'node-b': 1, 'node-x': 0, 'node-y': 4 }],
      },
    },
    {
      ref: 'TestPreFilterState/soft spreadConstraints should be bypassed',
      pod: pod('p', undefined, foo)
        .spreadConstraint(1, 'zone', 'ScheduleAnyway', fooSelector).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector)
        .spreadConstraint(1, 'node', 'ScheduleAnyway', fooSelector).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: [node('node-a', { zone: 'zone1', node: 'node-a' }), node('node-b', { zone: 'zone1', node: 'node-b' }), node('node-y', { zone: 'zone2', node: 'node-y' })],
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y', 'p-y4@node-y'),
      want: {
        constraints: [zoneFoo, nodeFoo],
        criticalPaths: [[['zone1', 3], ['zone2', 4]], [['node-b', 1], ['node-a', 2]]],
        tpValueToMatchNum: [{ zone1: 3, zone2: 4 }, { 'node-a': 2, 'node-b': 1, 'node-y': 4 }],
      },
    },
    {
      ref: 'TestPreFilterState/two spreadConstraints with the same topologyKey',
      pod: pod('p', undefined, { foo: '', bar: '' }).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).spreadConstraint(1, 'zone', 'DoNotSchedule', barSelector).obj(),
      nodes: four(),
      pods: [
        pod('p-a1', 'node-a', { foo: '', bar: '' }).obj(), pod('p-b1', 'node-b', foo).obj(), pod('p-x1', 'node-x', { bar: '' }).obj(),
        pod('p-y1', 'node-y', { foo: '', bar: '' }).obj(), pod('p-y2', 'node-y', { bar: '' }).obj(),
      ],
      want: {
        constraints: [zoneFoo, { ...zoneFoo, selector: 'bar' }],
        criticalPaths: [[['zone2', 1], ['zone1', 2]], [['zone1', 1], ['zone2', 3]]],
        tpValueToMatchNum: [{ zone1: 2, zone2: 1 }, { zone1: 1, zone2: 3 }],
      },
    },
    ...policyCases(),
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const { pl, nodeInfos } = setup({ pods: c.pods ?? [], nodes: c.nodes });
      const state = new CycleState();
      const [, s] = pl.preFilter(state, c.pod, nodeInfos);
      expect(s).toBeNull();
      expect(stateOf(state)).toEqual(c.want);
    });
  }

  it('TestPreFilterDisabled/the pod has no constraints: Skip', () => {
    const { pl, nodeInfos } = setup({ nodes: four() });
    const [, s] = pl.preFilter(new CycleState(), pod('p').obj(), nodeInfos);
    expect(s?.code).toBe('Skip');
  });

  it('TestPreFilterDisabled: Filter without PreFilter is an Error', () => {
    const { pl, nodeInfos } = setup({ nodes: four() });
    const s = pl.filter(new CycleState(), pod('p').obj(), nodeInfos[0]);
    expect(s?.code).toBe('Error');
    expect(s?.message()).toBe('reading "PreFilterPodTopologySpread" from cycleState: not found');
  });
});

describe('PodTopologySpread Filter: one constraint', () => {
  const taints: Taint[] = [{ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }];
  const nodeOnly = (n: string, extra: Record<string, string> = {}) => node(n, { node: n, ...extra });
  const cases: { ref: string; pod: Pod; nodes: Node[]; pods?: Pod[]; want: Record<string, string> }[] = [
    {
      ref: 'TestSingleConstraint/no existing pods',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      ref: "TestSingleConstraint/no existing pods, incoming pod doesn't match itself",
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', barSelector).obj(),
      nodes: four(),
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      ref: 'TestSingleConstraint/existing pods in a different namespace do not count',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      pods: [pod('p-a1', 'node-a', foo).namespace('ns1').obj(), pod('p-b1', 'node-a', foo).namespace('ns2').obj(), ...foos('p-x1@node-x', 'p-y1@node-y')],
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestSingleConstraint/existing pods do not match null selector',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', null).obj(),
      nodes: four(),
      pods: foos('p-x1@node-x', 'p-y1@node-y'),
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      ref: 'TestSingleConstraint/pods spread across zones as 3/3, all nodes fit',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y'),
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      ref: "TestSingleConstraint/pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj(),
      nodes: [node('node-a', { zone: 'zone1', node: 'node-a' }), node('node-b', { zon: 'zone1', node: 'node-b' }), node('node-x', { zone: 'zone2', node: 'node-x' }), node('node-y', { zone: 'zone2', node: 'node-y' })],
      pods: foos('p-a1@node-a', 'p-b1@node-b', 'p-x1@node-x', 'p-y1@node-y'),
      want: { 'node-a': 'Success', 'node-b': 'UnschedulableAndUnresolvable', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      ref: "TestSingleConstraint/pod cannot be scheduled as all nodes don't have label 'rack'",
      pod: pod('p', undefined, foo).spreadConstraint(1, 'rack', 'DoNotSchedule', fooSelector).obj(),
      nodes: [node('node-a', { zone: 'zone1', node: 'node-a' }), node('node-x', { zone: 'zone2', node: 'node-x' })],
      want: { 'node-a': 'UnschedulableAndUnresolvable', 'node-x': 'UnschedulableAndUnresolvable' },
    },
    {
      ref: 'TestSingleConstraint/pods spread across nodes as 2/1/0/3, only node-x fits',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestSingleConstraint/pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit',
      pod: pod('p', undefined, foo).spreadConstraint(2, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      ref: "TestSingleConstraint/pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
      pod: pod('p', undefined, { bar: '' }).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestSingleConstraint/incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits',
      pod: pod('p', undefined, foo).nodeAffinityIn('node', ['node-a', 'node-y']).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y'),
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestSingleConstraint/terminating Pods should be excluded',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: [nodeOnly('node-a'), nodeOnly('node-b')],
      pods: [pod('p-a', 'node-a', foo).terminating().obj(), pod('p-b', 'node-b', foo).obj()],
      want: { 'node-a': 'Success', 'node-b': 'Unschedulable' },
    },
    {
      ref: 'TestSingleConstraint/incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits',
      pod: pod('p', undefined, foo).nodeAffinityNotIn('node', ['node-b']).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj(),
      nodes: four(),
      pods: foos('p-b1@node-b', 'p-b2@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestSingleConstraint/pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits',
      pod: pod('p', undefined, foo).spreadConstraint(2, 'node', 'DoNotSchedule', fooSelector, 4).obj(),
      nodes: [nodeOnly('node-a'), nodeOnly('node-b'), nodeOnly('node-c')],
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-b2@node-b', 'p-c1@node-c'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-c': 'Success' },
    },
    {
      ref: 'TestSingleConstraint/pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, then the all nodes fit',
      pod: pod('p', undefined, foo).spreadConstraint(2, 'node', 'DoNotSchedule', fooSelector, 2).obj(),
      nodes: [nodeOnly('node-a'), nodeOnly('node-b'), nodeOnly('node-c')],
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-b2@node-b', 'p-c1@node-c'),
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-c': 'Success' },
    },
    {
      ref: 'TestSingleConstraint/pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, then the third and fourth nodes fit',
      pod: pod('p', undefined, foo).spreadConstraint(2, 'zone', 'DoNotSchedule', fooSelector, 3).obj(),
      nodes: four(),
      pods: foos('p-b1@node-a', 'p-b2@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      ref: 'TestSingleConstraint/pods spread across zone as 2/1, maxSkew is 2 and the number of domains > minDomains, then the all nodes fit',
      pod: pod('p', undefined, foo).spreadConstraint(2, 'zone', 'DoNotSchedule', fooSelector, 1).obj(),
      nodes: four(),
      pods: foos('p-b1@node-a', 'p-b2@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      ref: 'TestSingleConstraint/NodeAffinityPolicy honored with labelSelectors',
      pod: pod('p', undefined, foo).nodeSelector({ foo: '' }).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: [nodeOnly('node-a', foo), nodeOnly('node-b', foo), nodeOnly('node-x', foo), nodeOnly('node-y')],
      pods: foos('p-b1@node-a', 'p-b2@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      ref: 'TestSingleConstraint/NodeAffinityPolicy ignored with labelSelectors',
      pod: pod('p', undefined, foo).nodeSelector({ foo: '' }).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector, undefined, 'Ignore').obj(),
      nodes: [nodeOnly('node-a', foo), nodeOnly('node-b', foo), nodeOnly('node-x', foo), nodeOnly('node-y')],
      pods: foos('p-b1@node-a', 'p-b2@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestSingleConstraint/NodeAffinityPolicy honored with nodeAffinity',
      pod: pod('p', undefined, foo).nodeAffinityIn('foo', ['']).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: [nodeOnly('node-a', foo), nodeOnly('node-b', foo), nodeOnly('node-x', foo), nodeOnly('node-y')],
      pods: foos('p-b1@node-a', 'p-b2@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      ref: 'TestSingleConstraint/NodeAffinityPolicy ignored with labelSelectors#01',
      pod: pod('p', undefined, foo).nodeAffinityIn('foo', ['']).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector, undefined, 'Ignore').obj(),
      nodes: [nodeOnly('node-a', foo), nodeOnly('node-b', foo), nodeOnly('node-x', foo), nodeOnly('node-y')],
      pods: foos('p-b1@node-a', 'p-b2@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestSingleConstraint/NodeTaintsPolicy honored',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector, undefined, undefined, 'Honor').obj(),
      nodes: [nodeOnly('node-a', foo), nodeOnly('node-b', foo), nodeOnly('node-x', foo), node('node-y', { node: 'node-y' }, taints)],
      pods: foos('p-b1@node-a', 'p-b2@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      ref: 'TestSingleConstraint/NodeTaintsPolicy ignored',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: [nodeOnly('node-a', foo), nodeOnly('node-b', foo), nodeOnly('node-x', foo), node('node-y', { node: 'node-y' }, taints)],
      pods: foos('p-b1@node-a', 'p-b2@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
  ];
  for (const c of cases) it(c.ref, () => expect(filterCodes(c.pod, c.pods ?? [], c.nodes)).toEqual(c.want));

  it('reasons: a missing topology label and a skew too large', () => {
    const p = pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj();
    const nodes = [node('node-a', { zone: 'zone1' }), node('node-b', { zone: 'zone2' }), node('node-c', {})];
    const { pl, nodeInfos } = setup({ pods: foos('p-a1@node-a'), nodes });
    const state = new CycleState();
    pl.preFilter(state, p, nodeInfos);
    expect(pl.filter(state, p, nodeInfos[0])?.toJSON()).toEqual({ code: 'Unschedulable', reasons: [ErrReasonConstraintsNotMatch], plugin: '' });
    expect(pl.filter(state, p, nodeInfos[1])).toBeNull();
    expect(pl.filter(state, p, nodeInfos[2])?.toJSON()).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"], plugin: '' });
    expect(ErrReasonNodeLabelNotMatch).toBe("node(s) didn't match pod topology spread constraints (missing required label)");
  });
});

describe('PodTopologySpread Filter: several constraints', () => {
  const taints: Taint[] = [{ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }];
  const zoneNode = (p: ReturnType<typeof pod>) => p.spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj();
  const fooBar = (p: ReturnType<typeof pod>) => p.spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).spreadConstraint(1, 'node', 'DoNotSchedule', barSelector).obj();
  const withFoo = (): Node[] => four().map((n) => (n.metadata.name === 'node-y' ? n : node(n.metadata.name!, { ...n.metadata.labels, foo: '' })));
  const cases: { ref: string; pod: Pod; nodes: Node[]; pods: Pod[]; want: Record<string, string> }[] = [
    {
      ref: 'TestMultipleConstraints/two Constraints on zone and node, spreads = [3/3, 2/1/0/3]',
      pod: zoneNode(pod('p', undefined, foo)),
      nodes: four(),
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestMultipleConstraints/two Constraints on zone and node, spreads = [3/4, 2/1/0/4]',
      pod: zoneNode(pod('p', undefined, foo)),
      nodes: four(),
      pods: foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y', 'p-y4@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestMultipleConstraints/Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]',
      pod: fooBar(pod('p', undefined, { foo: '', bar: '' })),
      nodes: four(),
      pods: [pod('p-a1', 'node-a', foo).obj(), pod('p-y1', 'node-y', { bar: '' }).obj()],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestMultipleConstraints/Constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]',
      pod: fooBar(pod('p', undefined, { foo: '', bar: '' })),
      nodes: four(),
      pods: [pod('p-a1', 'node-a', foo).obj(), pod('p-x1', 'node-x', { bar: '' }).obj(), pod('p-y1', 'node-y', { bar: '' }).obj()],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestMultipleConstraints/Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]',
      pod: fooBar(pod('p', undefined, { foo: '', bar: '' })),
      nodes: four(),
      pods: [
        pod('p-a1', 'node-a', foo).obj(), pod('p-a2', 'node-a', { foo: '', bar: '' }).obj(), pod('p-y1', 'node-y', foo).obj(),
        pod('p-y2', 'node-y', { foo: '', bar: '' }).obj(), pod('p-y3', 'node-y', foo).obj(),
      ],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Success', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      ref: "TestMultipleConstraints/Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint",
      pod: fooBar(pod('p', undefined, { bar: '' })),
      nodes: four(),
      pods: [pod('p-a1', 'node-a', foo).obj(), pod('p-x1', 'node-x', { bar: '' }).obj(), pod('p-y1', 'node-y', { bar: '' }).obj()],
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      ref: "TestMultipleConstraints/two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]",
      pod: zoneNode(pod('p', undefined, foo)),
      nodes: [node('node-a', { zone: 'zone1', node: 'node-a' }), node('node-b', { zone: 'zone1', node: 'node-b' }), node('node-x', { zone: 'zone2' }), node('node-y', { zone: 'zone2', node: 'node-y' })],
      pods: foos('p-a1@node-a', 'p-y3@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Success', 'node-x': 'UnschedulableAndUnresolvable', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestMultipleConstraints/two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore',
      pod: pod('p', undefined, foo).nodeSelector({ foo: '' }).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector)
        .spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector, undefined, 'Ignore').obj(),
      nodes: withFoo(),
      pods: foos('p-a1@node-a', 'p-b1@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      ref: 'TestMultipleConstraints/two node inclusion Constraints, zone: honor/honor, node: honor/ignore',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector, undefined, undefined, 'Honor')
        .spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj(),
      nodes: [...withFoo().slice(0, 3), node('node-y', { zone: 'zone2', node: 'node-y' }, taints)],
      pods: foos('p-a1@node-a', 'p-b1@node-b', 'p-y1@node-y'),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
  ];
  for (const c of cases) it(c.ref, () => expect(filterCodes(c.pod, c.pods, c.nodes)).toEqual(c.want));
});

describe('PodTopologySpread PreFilter extensions', () => {
  const zoneConstraintPod = () => pod('p', undefined, foo).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj();
  const nodes = () => [node('node-a', { zone: 'zone1', node: 'node-a', foo: 'bar' }), node('node-b', { zone: 'zone2', node: 'node-b', foo: '' })];

  it('TestPreFilterStateRemovePod/remove a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy enabled', () => {
    const preemptor = pod('p', undefined, foo).nodeAffinityNotIn('foo', ['bar']).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj();
    const existing = [pod('p-a2', 'node-a', { foo: '', zone: 'zone1' }).obj(), pod('p-b1', 'node-b', { foo: '', zone: 'zone2' }).obj()];
    const { pl, nodeInfos } = setup({ pods: existing, nodes: nodes() });
    const state = new CycleState();
    expect(pl.preFilter(state, preemptor, nodeInfos)[1]).toBeNull();
    const deleted = pod('p-a1', 'node-a', { foo: '', zone: 'zone1' }).obj();
    expect(pl.preFilterExtensions().removePod(state, preemptor, new PodInfo(deleted), nodeInfos[0])).toBeNull();
    expect(stateOf(state)).toEqual({ constraints: [zoneFoo], criticalPaths: [[['zone2', 1], ['', 2147483647]]], tpValueToMatchNum: [{ zone2: 1 }] });
  });

  it('TestPreFilterStateRemovePod/remove a pod when scheduling node affinity matched pod with NodeInclusionPolicy enabled', () => {
    const existing = [pod('p-a1', 'node-a', { foo: '', zone: 'zone1' }).obj(), pod('p-b2', 'node-b', { foo: '', zone: 'zone2' }).obj()];
    const { pl, nodeInfos } = setup({ pods: existing, nodes: nodes() });
    const state = new CycleState();
    const preemptor = zoneConstraintPod();
    pl.preFilter(state, preemptor, nodeInfos);
    const deleted = pod('p-b1', 'node-b', { foo: '', zone: 'zone2' }).obj();
    pl.preFilterExtensions().removePod(state, preemptor, new PodInfo(deleted), nodeInfos[1]);
    expect(stateOf(state)).toEqual({ constraints: [zoneFoo], criticalPaths: [[['zone2', 0], ['zone1', 1]]], tpValueToMatchNum: [{ zone1: 1, zone2: 0 }] });
  });

  it('addPod counts a matching pod in the preemptor\'s namespace only, and a clone is independent', () => {
    const { pl, nodeInfos } = setup({ pods: [], nodes: nodes() });
    const state = new CycleState();
    const preemptor = zoneConstraintPod();
    pl.preFilter(state, preemptor, nodeInfos);
    const ext = pl.preFilterExtensions();
    const copy = state.clone();
    ext.addPod(state, preemptor, new PodInfo(pod('x', 'node-a', foo).obj()), nodeInfos[0]);
    ext.addPod(state, preemptor, new PodInfo(pod('y', 'node-a', foo).namespace('other').obj()), nodeInfos[0]);
    expect(stateOf(state).tpValueToMatchNum).toEqual([{ zone1: 1, zone2: 0 }]);
    expect(stateOf(state).criticalPaths).toEqual([[['zone2', 0], ['zone1', 1]]]);
    expect(stateOf(copy).tpValueToMatchNum).toEqual([{ zone1: 0, zone2: 0 }]);
  });
});

describe('PodTopologySpread AddPod', () => {
  const nodeC = { ...zoneFoo, topologyKey: 'node' };
  const nodeBar = { ...nodeC, selector: 'bar' };
  const zn = (n: string, z: string) => node(n, { zone: z, node: n });
  const zoneAndNode = (labels: Record<string, string>, nodeSel = fooSelector) => pod('p', undefined, labels).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).spreadConstraint(1, 'node', 'DoNotSchedule', nodeSel).obj();
  const onNode = () => pod('p', undefined, foo).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj();
  const cases: { ref: string; preemptor: Pod; added: Pod; pods: Pod[]; nodeIdx: number; nodes: Node[]; want: ReturnType<typeof stateOf> }[] = [
    {
      ref: 'TestPreFilterStateAddPod/node a and b both impact current min match', preemptor: onNode(), added: pod('p-a1', 'node-a', foo).obj(), pods: [], nodeIdx: 0,
      nodes: [zn('node-a', 'zone1'), zn('node-b', 'zone1')],
      want: { constraints: [nodeC], criticalPaths: [[['node-b', 0], ['node-a', 1]]], tpValueToMatchNum: [{ 'node-a': 1, 'node-b': 0 }] },
    },
    {
      ref: 'TestPreFilterStateAddPod/only node a impacts current min match', preemptor: onNode(), added: pod('p-a1', 'node-a', foo).obj(), pods: foos('p-b1@node-b'), nodeIdx: 0,
      nodes: [zn('node-a', 'zone1'), zn('node-b', 'zone1')],
      want: { constraints: [nodeC], criticalPaths: [[['node-a', 1], ['node-b', 1]]], tpValueToMatchNum: [{ 'node-a': 1, 'node-b': 1 }] },
    },
    {
      ref: "TestPreFilterStateAddPod/add a pod in a different namespace doesn't change topologyKeyToMinPodsMap", preemptor: onNode(),
      added: pod('p-a1', 'node-a', foo).namespace('ns1').obj(), pods: foos('p-b1@node-b'), nodeIdx: 0,
      nodes: [zn('node-a', 'zone1'), zn('node-b', 'zone1')],
      want: { constraints: [nodeC], criticalPaths: [[['node-a', 0], ['node-b', 1]]], tpValueToMatchNum: [{ 'node-a': 0, 'node-b': 1 }] },
    },
    {
      ref: "TestPreFilterStateAddPod/add pod on non-critical node won't trigger re-calculation", preemptor: onNode(), added: pod('p-b2', 'node-b', foo).obj(), pods: foos('p-b1@node-b'), nodeIdx: 1,
      nodes: [zn('node-a', 'zone1'), zn('node-b', 'zone1')],
      want: { constraints: [nodeC], criticalPaths: [[['node-a', 0], ['node-b', 2]]], tpValueToMatchNum: [{ 'node-a': 0, 'node-b': 2 }] },
    },
    {
      ref: 'TestPreFilterStateAddPod/node a and x both impact topologyKeyToMinPodsMap on zone and node', preemptor: zoneAndNode(foo), added: pod('p-a1', 'node-a', foo).obj(), pods: [], nodeIdx: 0,
      nodes: [zn('node-a', 'zone1'), zn('node-x', 'zone2')],
      want: {
        constraints: [zoneFoo, nodeC], criticalPaths: [[['zone2', 0], ['zone1', 1]], [['node-x', 0], ['node-a', 1]]],
        tpValueToMatchNum: [{ zone1: 1, zone2: 0 }, { 'node-a': 1, 'node-x': 0 }],
      },
    },
    {
      ref: 'TestPreFilterStateAddPod/only node a impacts topologyKeyToMinPodsMap on zone and node', preemptor: zoneAndNode(foo), added: pod('p-a1', 'node-a', foo).obj(), pods: foos('p-x1@node-x'), nodeIdx: 0,
      nodes: [zn('node-a', 'zone1'), zn('node-x', 'zone2')],
      want: {
        constraints: [zoneFoo, nodeC], criticalPaths: [[['zone1', 1], ['zone2', 1]], [['node-a', 1], ['node-x', 1]]],
        tpValueToMatchNum: [{ zone1: 1, zone2: 1 }, { 'node-a': 1, 'node-x': 1 }],
      },
    },
    {
      ref: 'TestPreFilterStateAddPod/node a impacts topologyKeyToMinPodsMap on node, node x impacts topologyKeyToMinPodsMap on zone', preemptor: zoneAndNode(foo),
      added: pod('p-a1', 'node-a', foo).obj(), pods: foos('p-b1@node-b', 'p-b2@node-b', 'p-x1@node-x'), nodeIdx: 0,
      nodes: [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-x', 'zone2')],
      want: {
        constraints: [zoneFoo, nodeC], criticalPaths: [[['zone2', 1], ['zone1', 3]], [['node-a', 1], ['node-x', 1]]],
        tpValueToMatchNum: [{ zone1: 3, zone2: 1 }, { 'node-a': 1, 'node-b': 2, 'node-x': 1 }],
      },
    },
    {
      ref: 'TestPreFilterStateAddPod/Constraints hold different labelSelectors, node a impacts topologyKeyToMinPodsMap on zone', preemptor: zoneAndNode({ foo: '', bar: '' }, barSelector),
      added: pod('p-a1', 'node-a', foo).obj(), pods: [pod('p-b1', 'node-b', { foo: '', bar: '' }).obj(), pod('p-x1', 'node-x', { foo: '', bar: '' }).obj(), pod('p-x2', 'node-x', { bar: '' }).obj()], nodeIdx: 0,
      nodes: [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-x', 'zone2')],
      want: {
        constraints: [zoneFoo, nodeBar], criticalPaths: [[['zone2', 1], ['zone1', 2]], [['node-a', 0], ['node-b', 1]]],
        tpValueToMatchNum: [{ zone1: 2, zone2: 1 }, { 'node-a': 0, 'node-b': 1, 'node-x': 2 }],
      },
    },
    {
      ref: 'TestPreFilterStateAddPod/Constraints hold different labelSelectors, node a impacts topologyKeyToMinPodsMap on both zone and node', preemptor: zoneAndNode({ foo: '', bar: '' }, barSelector),
      added: pod('p-a1', 'node-a', { foo: '', bar: '' }).obj(), pods: [pod('p-b1', 'node-b', { bar: '' }).obj(), pod('p-x1', 'node-x', { foo: '', bar: '' }).obj(), pod('p-x2', 'node-x', { bar: '' }).obj()], nodeIdx: 0,
      nodes: [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-x', 'zone2')],
      want: {
        constraints: [zoneFoo, nodeBar], criticalPaths: [[['zone1', 1], ['zone2', 1]], [['node-a', 1], ['node-b', 1]]],
        tpValueToMatchNum: [{ zone1: 1, zone2: 1 }, { 'node-a': 1, 'node-b': 1, 'node-x': 2 }],
      },
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const { pl, nodeInfos } = setup({ pods: c.pods, nodes: c.nodes });
      const state = new CycleState();
      expect(pl.preFilter(state, c.preemptor, nodeInfos)[1]).toBeNull();
      expect(pl.preFilterExtensions().addPod(state, c.preemptor, new PodInfo(c.added), nodeInfos[c.nodeIdx])).toBeNull();
      expect(stateOf(state)).toEqual(c.want);
    });
  }

  it('TestPreFilterState/skip if not specified', () => {
    const { pl, nodeInfos } = setup({ nodes: [zn('node-a', 'zone1')] });
    expect(pl.preFilter(new CycleState(), pod('p', undefined, foo).obj(), nodeInfos)[1]?.code).toBe('Skip');
  });
});
