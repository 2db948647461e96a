import { describe, expect, it } from 'vitest';
import type { Node, Pod, Taint } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import type { NodeScore } from '../../framework/interface';
import { getPreScoreState, topologyNormalizingWeight } from './scoring';
import type { PodTopologySpreadArgs } from './args';
import type { SpreadListers } from './default_selector';
import { barSelector, fooSelector, node, pod, setup } from './testing';

const H = 'kubernetes.io/hostname';
const Z = 'topology.kubernetes.io/zone';
const foo = { foo: '' };
const foos = (...specs: string[]): Pod[] => specs.map((s) => { const [n, at] = s.split('@'); return pod(n, at, foo).obj(); });
const hostNode = (n: string, extra: Record<string, string> = {}) => node(n, { [H]: n, ...extra });
const taints: Taint[] = [{ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }];
const rs1 = (selector = fooSelector): SpreadListers => ({ replicaSets: (ns) => (ns === 'default' ? [{ metadata: { namespace: 'default', name: 'rs1' }, spec: { selector } }] : []) });

/** PreScore over `nodes` (the filtered ones; the snapshot also holds `failedNodes`), Score each, NormalizeScore (Go: TestPodTopologySpreadScore's loop). */
function scores(p: Pod, pods: Pod[], nodes: Node[], failedNodes: Node[] = [], listers?: SpreadListers, args: PodTopologySpreadArgs = { defaultingType: 'System' }): NodeScore[] {
  const { pl, handle } = setup({ pods, nodes: [...nodes, ...failedNodes], listers }, args);
  const filtered = nodes.map((n) => handle.snapshot.nodeInfoMap.get(n.metadata.name!)!);
  const state = new CycleState();
  expect(pl.preScore(state, p, filtered)).toBeNull();
  const list = filtered.map((ni) => {
    const [score, s] = pl.score(state, p, ni);
    expect(s).toBeNull();
    return { name: ni.name, score };
  });
  expect(pl.scoreExtensions().normalizeScore(state, p, list)).toBeNull();
  return list;
}
const want = (o: Record<string, number>): NodeScore[] => Object.entries(o).map(([name, score]) => ({ name, score }));

describe('PodTopologySpread PreScore', () => {
  it('TestPreScoreSkip/the pod doesn\'t have soft topology spread Constraints', () => {
    const { pl, nodeInfos } = setup({ nodes: [hostNode('node-a'), hostNode('node-b')] });
    expect(pl.preScore(new CycleState(), pod('p').obj(), nodeInfos)?.code).toBe('Skip');
  });

  it('TestPreScoreSkip/default constraints and a replicaset that doesn\'t match', () => {
    const args: PodTopologySpreadArgs = { defaultConstraints: [{ maxSkew: 2, topologyKey: 'planet', whenUnsatisfiable: 'ScheduleAnyway' }], defaultingType: 'List' };
    const { pl, nodeInfos } = setup({ nodes: [node('node-a', { planet: 'mars' })], listers: rs1({ matchExpressions: [{ key: 'tar', operator: 'Exists' }] }) }, args);
    const p = pod('p', undefined, { foo: 'bar', baz: 'sup' }).ownerReference('rs2').obj();
    expect(pl.preScore(new CycleState(), p, nodeInfos)?.code).toBe('Skip');
  });

  const stateCases: { ref: string; pod: Pod; nodes: Node[]; args: PodTopologySpreadArgs; listers?: SpreadListers; want: { keys: string[]; ignored: string[]; counts: Record<string, number>[]; weights: number[] } }[] = [
    {
      ref: 'TestPreScoreStateEmptyNodes/normal case',
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'ScheduleAnyway', fooSelector).spreadConstraint(1, H, 'ScheduleAnyway', fooSelector).obj(),
      nodes: [hostNode('node-a', { zone: 'zone1' }), hostNode('node-b', { zone: 'zone1' }), hostNode('node-x', { zone: 'zone2' })],
      args: { defaultingType: 'List' },
      want: { keys: ['zone', H], ignored: [], counts: [{ zone1: 0, zone2: 0 }, {}], weights: [topologyNormalizingWeight(2), topologyNormalizingWeight(3)] },
    },
    {
      ref: "TestPreScoreStateEmptyNodes/node-x doesn't have label zone",
      pod: pod('p', undefined, foo).spreadConstraint(1, 'zone', 'ScheduleAnyway', fooSelector).spreadConstraint(1, H, 'ScheduleAnyway', barSelector).obj(),
      nodes: [hostNode('node-a', { zone: 'zone1' }), hostNode('node-b', { zone: 'zone1' }), hostNode('node-x')],
      args: { defaultingType: 'List' },
      want: { keys: ['zone', H], ignored: ['node-x'], counts: [{ zone1: 0 }, {}], weights: [topologyNormalizingWeight(1), topologyNormalizingWeight(2)] },
    },
    {
      ref: 'TestPreScoreStateEmptyNodes/system default constraints and a replicaset',
      pod: pod('p', undefined, { foo: 'tar', baz: 'sup' }).ownerReference('rs1').obj(),
      nodes: [hostNode('node-a', { [Z]: 'mars' }), hostNode('node-b', { [Z]: 'mars' }), hostNode('node-c'), hostNode('node-d')],
      args: { defaultingType: 'System' },
      listers: rs1(),
      want: { keys: [H, Z], ignored: [], counts: [{}, { mars: 0, '': 0 }], weights: [topologyNormalizingWeight(4), topologyNormalizingWeight(2)] },
    },
    {
      ref: 'TestPreScoreStateEmptyNodes/default constraints and a replicaset',
      pod: pod('p', undefined, { foo: 'tar', baz: 'sup' }).ownerReference('rs1').obj(),
      nodes: [node('node-a', { rack: 'rack1', [H]: 'node-a', planet: 'mars' })],
      args: {
        defaultingType: 'List',
        defaultConstraints: [
          { maxSkew: 1, topologyKey: H, whenUnsatisfiable: 'ScheduleAnyway' },
          { maxSkew: 2, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' },
          { maxSkew: 2, topologyKey: 'planet', whenUnsatisfiable: 'ScheduleAnyway' },
        ],
      },
      listers: rs1(),
      want: { keys: [H, 'planet'], ignored: [], counts: [{}, { mars: 0 }], weights: [topologyNormalizingWeight(1), topologyNormalizingWeight(1)] },
    },
    {
      ref: 'TestPreScoreStateEmptyNodes/default constraints and a replicaset, but pod has constraints',
      pod: pod('p', undefined, { foo: 'bar', baz: 'sup' }).ownerReference('rs1')
        .spreadConstraint(1, 'zone', 'DoNotSchedule', barSelector).spreadConstraint(2, 'planet', 'ScheduleAnyway', { matchLabels: { baz: 'sup' } }).obj(),
      nodes: [node('node-a', { planet: 'mars', galaxy: 'andromeda' })],
      args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 2, topologyKey: 'galaxy', whenUnsatisfiable: 'ScheduleAnyway' }] },
      listers: rs1(),
      want: { keys: ['planet'], ignored: [], counts: [{ mars: 0 }], weights: [topologyNormalizingWeight(1)] },
    },
    {
      ref: 'TestPreScoreStateEmptyNodes/NodeAffinityPolicy honored with labelSelectors',
      pod: pod('p', undefined, foo).nodeSelector(foo).spreadConstraint(1, 'zone', 'ScheduleAnyway', barSelector).obj(),
      nodes: [hostNode('node-a', { zone: 'zone1', foo: '' }), hostNode('node-b', { zone: 'zone1', foo: '' }), hostNode('node-x', { zone: 'zone2' })],
      args: { defaultingType: 'List' },
      want: { keys: ['zone'], ignored: [], counts: [{ zone1: 0, zone2: 0 }], weights: [topologyNormalizingWeight(2)] },
    },
  ];
  for (const c of stateCases) {
    it(c.ref, () => {
      const { pl, nodeInfos } = setup({ nodes: c.nodes, listers: c.listers }, c.args);
      const state = new CycleState();
      expect(pl.preScore(state, c.pod, nodeInfos)).toBeNull();
      const s = getPreScoreState(state);
      expect({
        keys: s.constraints.map((x) => x.topologyKey), ignored: [...s.ignoredNodes],
        counts: s.topologyValueToPodCounts.map((m) => Object.fromEntries(m)), weights: s.topologyNormalizingWeight,
      }).toEqual(c.want);
    });
  }
});

describe('PodTopologySpread Score and NormalizeScore', () => {
  const abcd = () => ['node-a', 'node-b', 'node-c', 'node-d'].map((n) => hostNode(n));
  const spread4321 = () => foos('p-a1@node-a', 'p-a2@node-a', 'p-a3@node-a', 'p-a4@node-a', 'p-b1@node-b', 'p-b2@node-b', 'p-b3@node-b', 'p-c1@node-c', 'p-c2@node-c', 'p-d1@node-d');
  const spread2103 = () => foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-d1@node-d', 'p-d2@node-d', 'p-d3@node-d');
  const spread4213 = () => foos('p-a1@node-a', 'p-a2@node-a', 'p-a3@node-a', 'p-a4@node-a', 'p-b1@node-b', 'p-b2@node-b', 'p-x1@node-x', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y');
  const onNode = (skew: number, sel = fooSelector) => pod('p', undefined, foo).spreadConstraint(skew, H, 'ScheduleAnyway', sel).obj();
  const byNode = (extra: (n: string) => Record<string, string> = () => ({})) => ['node-a', 'node-b', 'node-c'].map((n) => node(n, { node: n, ...extra(n) }));
  const abFoo = (n: string) => (n === 'node-c' ? {} : foo);
  const twoDiff = () => pod('p', undefined, { foo: '', bar: '' }).spreadConstraint(1, 'zone', 'ScheduleAnyway', fooSelector).spreadConstraint(1, H, 'ScheduleAnyway', barSelector).obj();
  const zoned = (n: string, z: string) => hostNode(n, { zone: z });

  const cases: { ref: string; run: () => NodeScore[]; want: Record<string, number> }[] = [
    { ref: 'TestPodTopologySpreadScore/one constraint on node, no existing pods', run: () => scores(onNode(1), [], [hostNode('node-a'), hostNode('node-b')]), want: { 'node-a': 100, 'node-b': 100 } },
    {
      ref: 'TestPodTopologySpreadScore/one constraint on node, only one node is candidate',
      run: () => scores(onNode(1), foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b'), [hostNode('node-a')], [hostNode('node-b')]),
      want: { 'node-a': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/one constraint on node, all nodes have the same number of matching pods',
      run: () => scores(onNode(1), foos('p-a1@node-a', 'p-b1@node-b'), [hostNode('node-a'), hostNode('node-b')]),
      want: { 'node-a': 100, 'node-b': 100 },
    },
    { ref: 'TestPodTopologySpreadScore/one constraint on node, all 4 nodes are candidates', run: () => scores(onNode(1), spread2103(), abcd()), want: { 'node-a': 20, 'node-b': 60, 'node-c': 100, 'node-d': 0 } },
    {
      ref: 'TestPodTopologySpreadScore/one constraint on node, null selector',
      run: () => scores(pod('p', undefined, foo).spreadConstraint(1, H, 'ScheduleAnyway', null).obj(), spread2103(), abcd()),
      want: { 'node-a': 100, 'node-b': 100, 'node-c': 100, 'node-d': 100 },
    },
    { ref: 'TestPodTopologySpreadScore/one constraint on node, all 4 nodes are candidates, maxSkew=2', run: () => scores(onNode(2), spread2103(), abcd()), want: { 'node-a': 33, 'node-b': 66, 'node-c': 100, 'node-d': 16 } },
    { ref: 'TestPodTopologySpreadScore/one constraint on node, all 4 nodes are candidates, maxSkew=3', run: () => scores(onNode(3), spread4321(), abcd()), want: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 } },
    {
      ref: "TestPodTopologySpreadScore/system defaulting, nodes don't have zone, pods match service",
      run: () => scores(pod('p', undefined, foo).obj(), spread4321(), abcd(), [], { services: () => [{ metadata: { namespace: 'default' }, spec: { selector: foo } }] }),
      want: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/one constraint on node, 3 out of 4 nodes are candidates',
      run: () => scores(onNode(1), spread4213(), [hostNode('node-a'), hostNode('node-b'), hostNode('node-x')], [hostNode('node-y')]),
      want: { 'node-a': 33, 'node-b': 83, 'node-x': 100 },
    },
    {
      ref: "TestPodTopologySpreadScore/one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
      run: () => scores(onNode(1), spread4213(), [hostNode('node-a'), node('node-b', { n: 'node-b' }), hostNode('node-x')], [hostNode('node-y')]),
      want: { 'node-a': 16, 'node-b': 0, 'node-x': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/one constraint on zone, 3 out of 4 nodes are candidates',
      run: () => scores(pod('p', undefined, foo).spreadConstraint(1, 'zone', 'ScheduleAnyway', fooSelector).obj(), spread4213(),
        [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-x', 'zone2')], [zoned('node-y', 'zone2')]),
      want: { 'node-a': 75, 'node-b': 75, 'node-x': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/two Constraints on zone and node, 2 out of 4 nodes are candidates',
      run: () => scores(pod('p', undefined, foo).spreadConstraint(1, 'zone', 'ScheduleAnyway', fooSelector).spreadConstraint(1, H, 'ScheduleAnyway', fooSelector).obj(),
        foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-x1@node-x', 'p-x2@node-x', 'p-y1@node-y', 'p-y2@node-y', 'p-y3@node-y', 'p-y4@node-y'),
        [zoned('node-a', 'zone1'), zoned('node-x', 'zone2')], [zoned('node-b', 'zone1'), zoned('node-y', 'zone2')]),
      want: { 'node-a': 100, 'node-x': 63 },
    },
    {
      ref: 'TestPodTopologySpreadScore/two Constraints on zone, 2 out of 4 nodes are candidates',
      run: () => scores(pod('p', undefined, { foo: '', bar: '' }).spreadConstraint(1, 'zone', 'ScheduleAnyway', fooSelector).spreadConstraint(1, 'zone', 'ScheduleAnyway', barSelector).obj(),
        [pod('p-a1', 'node-a', { foo: '', bar: '' }).obj(), pod('p-a2', 'node-a', foo).obj(), pod('p-b1', 'node-b', { foo: '', bar: '' }).obj(),
          pod('p-y1', 'node-y', foo).obj(), pod('p-y2', 'node-y', { foo: '', bar: '' }).obj(), pod('p-y3', 'node-y', foo).obj()],
        [node('node-a', { zone: 'zone1' }), node('node-x', { zone: 'zone2' })], [node('node-b', { zone: 'zone1' }), node('node-y', { zone: 'zone2' })]),
      want: { 'node-a': 85, 'node-x': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/two Constraints on zone and node, with different labelSelectors',
      run: () => scores(twoDiff(), [pod('p-a1', 'node-a', foo).obj(), pod('p-b1', 'node-b', { foo: '', bar: '' }).obj(), pod('p-y1', 'node-y', foo).obj(), pod('p-y2', 'node-y', { bar: '' }).obj()],
        [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-x', 'zone2'), zoned('node-y', 'zone2')]),
      want: { 'node-a': 60, 'node-b': 20, 'node-x': 100, 'node-y': 60 },
    },
    {
      ref: 'TestPodTopologySpreadScore/two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods',
      run: () => scores(twoDiff(), [pod('p-b1', 'node-b', { bar: '' }).obj(), pod('p-x1', 'node-x', foo).obj(), pod('p-y1', 'node-y', { foo: '', bar: '' }).obj()],
        [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-x', 'zone2'), zoned('node-y', 'zone2')]),
      want: { 'node-a': 100, 'node-b': 60, 'node-x': 40, 'node-y': 0 },
    },
    {
      ref: 'TestPodTopologySpreadScore/two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates',
      run: () => scores(twoDiff(), [pod('p-a1', 'node-a', foo).obj(), pod('p-b1', 'node-b', { foo: '', bar: '' }).obj(), pod('p-y1', 'node-y', foo).obj(), pod('p-y2', 'node-y', { bar: '' }).obj()],
        [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-x', 'zone2')], [zoned('node-y', 'zone2')]),
      want: { 'node-a': 50, 'node-b': 25, 'node-x': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/existing pods in a different namespace do not count',
      run: () => scores(onNode(1), [pod('p-a1', 'node-a', foo).namespace('ns1').obj(), ...foos('p-a2@node-a', 'p-b1@node-b', 'p-b2@node-b')], [hostNode('node-a'), hostNode('node-b')]),
      want: { 'node-a': 100, 'node-b': 33 },
    },
    {
      ref: 'TestPodTopologySpreadScore/terminating Pods should be excluded',
      run: () => scores(onNode(1), [pod('p-a', 'node-a', foo).terminating().obj(), pod('p-b', 'node-b', foo).obj()], [hostNode('node-a'), hostNode('node-b')]),
      want: { 'node-a': 100, 'node-b': 0 },
    },
    {
      ref: 'TestPodTopologySpreadScore/minDomains has no effect when ScheduleAnyway',
      run: () => scores(pod('p', undefined, foo).spreadConstraint(2, 'node', 'ScheduleAnyway', fooSelector, 10).obj(), foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-b2@node-b', 'p-c1@node-c'), byNode()),
      want: { 'node-a': 75, 'node-b': 75, 'node-c': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/NodeAffinityPolicy honoed with labelSelectors',
      run: () => scores(pod('p', undefined, foo).nodeSelector(foo).spreadConstraint(1, 'node', 'ScheduleAnyway', fooSelector).obj(), foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-c1@node-c'), byNode(abFoo)),
      want: { 'node-a': 0, 'node-b': 33, 'node-c': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/NodeAffinityPolicy ignored with labelSelectors',
      run: () => scores(pod('p', undefined, foo).nodeSelector(foo).spreadConstraint(1, 'node', 'ScheduleAnyway', fooSelector, undefined, 'Ignore').obj(), foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-c1@node-c'), byNode(abFoo)),
      want: { 'node-a': 66, 'node-b': 100, 'node-c': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/NodeAffinityPolicy honoed with nodeAffinity',
      run: () => scores(pod('p', undefined, foo).nodeAffinityIn('foo', ['']).spreadConstraint(1, 'node', 'ScheduleAnyway', fooSelector).obj(), foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-c1@node-c'), byNode(abFoo)),
      want: { 'node-a': 0, 'node-b': 33, 'node-c': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/NodeAffinityPolicy ignored with nodeAffinity',
      run: () => scores(pod('p', undefined, foo).nodeAffinityIn('foo', ['']).spreadConstraint(1, 'node', 'ScheduleAnyway', fooSelector, undefined, 'Ignore').obj(), foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-c1@node-c'), byNode(abFoo)),
      want: { 'node-a': 66, 'node-b': 100, 'node-c': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/NodeTaintsPolicy honored',
      run: () => scores(pod('p', undefined, foo).spreadConstraint(1, 'node', 'ScheduleAnyway', fooSelector, undefined, undefined, 'Honor').obj(), foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-c1@node-c'),
        [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' }), node('node-c', { node: 'node-c' }, taints)]),
      want: { 'node-a': 0, 'node-b': 33, 'node-c': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/NodeTaintsPolicy ignored',
      run: () => scores(pod('p', undefined, foo).spreadConstraint(1, 'node', 'ScheduleAnyway', fooSelector).obj(), foos('p-a1@node-a', 'p-a2@node-a', 'p-b1@node-b', 'p-c1@node-c'),
        [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' }), node('node-c', { node: 'node-c' }, taints)]),
      want: { 'node-a': 66, 'node-b': 100, 'node-c': 100 },
    },
    {
      ref: 'TestPodTopologySpreadScore/matchLabelKeys ANDed with LabelSelector when LabelSelector is empty',
      run: () => scores(pod('p', undefined, { foo: '', bar: '' }).spreadConstraint(1, 'zone', 'ScheduleAnyway', {}, undefined, undefined, undefined, ['foo'])
        .spreadConstraint(1, H, 'ScheduleAnyway', {}, undefined, undefined, undefined, ['bar']).obj(),
      [pod('p-a1', 'node-a', foo).obj(), pod('p-b1', 'node-b', { foo: '', bar: '' }).obj(), pod('p-y1', 'node-c', foo).obj(), pod('p-y2', 'node-c', { bar: '' }).obj()],
      [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-c', 'zone2'), zoned('node-d', 'zone2')]),
      want: { 'node-a': 60, 'node-b': 20, 'node-c': 60, 'node-d': 100 },
    },
    {
      ref: "TestPodTopologySpreadScore/matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
      run: () => scores(pod('p', undefined, { foo: '', bar: '', baz: '' }).spreadConstraint(1, 'zone', 'ScheduleAnyway', fooSelector)
        .spreadConstraint(1, H, 'ScheduleAnyway', barSelector, undefined, undefined, undefined, ['baz']).obj(),
      [pod('p-a1', 'node-a', foo).obj(), pod('p-b1', 'node-b', { foo: '', bar: '', baz: '' }).obj(), pod('p-c1', 'node-c', foo).obj(), pod('p-c2', 'node-c', { bar: '' }).obj(), pod('p-d3', 'node-c', { bar: '', baz: '' }).obj()],
      [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-c', 'zone2'), zoned('node-d', 'zone2')]),
      want: { 'node-a': 60, 'node-b': 20, 'node-c': 60, 'node-d': 100 },
    },
  ];
  for (const c of cases) it(c.ref, () => expect(c.run()).toEqual(want(c.want)));
});
