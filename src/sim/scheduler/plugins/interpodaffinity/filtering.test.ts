import { describe, expect, it } from 'vitest';
import type { Node, Pod, PodAffinityTerm } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import { PodInfo } from '../../framework/types';
import { makePod } from '../../testing/wrappers';
import { newTestHandle } from '../../testing/handle';
import { ErrReasonAffinityRulesNotMatch as AFF, ErrReasonAntiAffinityRulesNotMatch as ANTI, ErrReasonExistingAntiAffinityRulesNotMatch as EXISTING, getPreFilterState } from './filtering';
import { newInterPodAffinity } from './plugin';
import { inSel, named, node, notInSel, ns, podWithTerms, required, runFilter, st } from './testing';

const D = 'default';
const unres = (r: string) => ({ code: 'UnschedulableAndUnresolvable', reasons: [r] });
const unsched = (r: string) => ({ code: 'Unschedulable', reasons: [r] });
/** The namespaces upstream's informer holds for the namespaceSelector cases. */
const namespaces = [ns('subteam1.team1', { team: 'team1' }), ns('subteam2.team1', { team: 'team1' }), ns('subteam1.team2', { team: 'team2' }), ns('subteam2.team2', { team: 'team2' })];

describe('InterPodAffinity Filter: one node', () => {
  const podLabel = { service: 'securityscan' };
  const podLabel2 = { security: 'S1' };
  const node1 = () => node('node1', { region: 'r1', zone: 'z11' });
  const existing = () => makePod().labels(podLabel).node('node1').obj();
  const p = (labels: Record<string, string>) => makePod().namespace(D).labels(labels);
  const svcIn = (vals: string[]) => inSel('service', vals);
  const multi = (second: string): PodAffinityTerm[] => [
    { labelSelector: { matchExpressions: [{ key: 'service', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }, topologyKey: 'region' },
    { labelSelector: { matchExpressions: [{ key: 'service', operator: 'In', values: [second] }, { key: 'service', operator: 'NotIn', values: ['WrongValue'] }] }, topologyKey: 'region' },
  ];
  const nsTerm = (nsSel: PodAffinityTerm['namespaceSelector'], topologyKey: string): PodAffinityTerm => ({ labelSelector: svcIn(['securityscan', 'value2']), namespaceSelector: nsSel, topologyKey });
  const team1 = inSel('team', ['team1']);
  const badValue = `parsing pod: requiredAffinityTerms: values[0][service]: Invalid value: "{{.bad-value.}}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`;

  const cases: { ref: string; pod: Pod; pods?: Pod[]; pre?: { code: string; reasons: string[] }; want?: { code: string; reasons: string[] } }[] = [
    { ref: 'TestRequiredAffinitySingleNode/A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods', pod: makePod().obj(), pre: { code: 'Skip', reasons: [] } },
    {
      ref: 'TestRequiredAffinitySingleNode/satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod',
      pod: p(podLabel2).podAffinityIn('service', 'region', ['securityscan', 'value2']).obj(), pods: [existing()],
    },
    {
      ref: 'TestRequiredAffinitySingleNode/satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod',
      pod: required(p(podLabel2), 'affinity', notInSel('service', ['securityscan3', 'value3']), 'region').obj(), pods: [existing()],
    },
    {
      ref: 'TestRequiredAffinitySingleNode/Does not satisfy the PodAffinity with labelSelector because of diff Namespace',
      pod: podWithTerms(D, '', podLabel2, [{ labelSelector: svcIn(['securityscan', 'value2']), namespaces: ['DiffNameSpace'], topologyKey: '' }], null),
      pods: [makePod().namespace('ns').label('service', 'securityscan').node('node1').obj()],
      want: unres(AFF),
    },
    {
      ref: "TestRequiredAffinitySingleNode/Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
      pod: p(podLabel).podAffinityIn('service', '', ['antivirusscan', 'value2']).obj(), pods: [existing()], want: unres(AFF),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution ',
      pod: podWithTerms(D, '', podLabel2, multi('securityscan'), null), pods: [existing()],
    },
    {
      ref: "TestRequiredAffinitySingleNode/The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match.",
      pod: podWithTerms(D, '', podLabel2, multi('securityscan2'), null), pods: [existing()], want: unres(AFF),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/satisfies the PodAffinity and PodAntiAffinity with the existing pod',
      pod: p(podLabel2).podAffinityIn('service', 'region', ['securityscan', 'value2']).podAntiAffinityIn('service', 'node', ['antivirusscan', 'value2']).obj(),
      pods: [existing()],
    },
    {
      ref: 'TestRequiredAffinitySingleNode/satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod',
      pod: p(podLabel2).podAffinityIn('service', 'region', ['securityscan', 'value2']).podAntiAffinityIn('service', 'node', ['antivirusscan', 'value2']).obj(),
      pods: [p(podLabel).node('node1').podAntiAffinityIn('service', 'node', ['antivirusscan', 'value2']).obj()],
    },
    {
      ref: "TestRequiredAffinitySingleNode/satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
      pod: p(podLabel2).podAffinityIn('service', 'region', ['securityscan', 'value2']).podAntiAffinityIn('service', 'zone', ['securityscan', 'value2']).obj(),
      pods: [existing()], want: unsched(ANTI),
    },
    {
      ref: "TestRequiredAffinitySingleNode/satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
      pod: p(podLabel).podAffinityIn('service', 'region', ['securityscan', 'value2']).podAntiAffinityIn('service', 'node', ['antivirusscan', 'value2']).obj(),
      pods: [p(podLabel).node('node1').podAntiAffinityIn('service', 'zone', ['securityscan', 'value2']).obj()], want: unsched(EXISTING),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/pod matches its own Label in PodAffinity and that matches the existing pod Labels',
      pod: required(p(podLabel), 'affinity', notInSel('service', ['securityscan', 'value2']), 'region').obj(),
      pods: [makePod().label('service', 'securityscan').node('node2').obj()], want: unres(AFF),
    },
    {
      ref: "TestRequiredAffinitySingleNode/verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod",
      pod: makePod().labels(podLabel).obj(), pods: [p(podLabel).node('node1').podAntiAffinityIn('service', 'zone', ['securityscan', 'value2']).obj()], want: unsched(EXISTING),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod',
      pod: makePod().labels(podLabel).obj(), pods: [required(p(podLabel).node('node1'), 'anti', notInSel('service', ['securityscan', 'value2']), 'zone').obj()],
      pre: { code: 'Skip', reasons: [] },
    },
    {
      ref: "TestRequiredAffinitySingleNode/satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
      pod: p(podLabel).podAntiAffinityExists('service', 'region').podAntiAffinityExists('security', 'region').obj(),
      pods: [p(podLabel2).node('node1').podAntiAffinityExists('security', 'zone').obj()], want: unsched(ANTI),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms',
      pod: p(podLabel).podAntiAffinityExists('service', 'zone').podAntiAffinityExists('security', 'zone').obj(),
      pods: [p(podLabel2).node('node1').podAntiAffinityExists('security', 'zone').obj()], want: unsched(ANTI),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms',
      pod: p(podLabel2).podAntiAffinityExists('security', 'zone').obj(),
      pods: [p(podLabel).node('node1').podAntiAffinityExists('service', 'zone').podAntiAffinityExists('security', 'zone').obj()], want: unsched(EXISTING),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms',
      pod: p({ abc: '', xyz: '' }).podAntiAffinityExists('abc', 'zone').podAntiAffinityExists('def', 'zone').obj(),
      pods: [p({ def: '', xyz: '' }).node('node1').podAntiAffinityExists('abc', 'zone').podAntiAffinityExists('def', 'zone').obj()], want: unsched(ANTI),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/PodAntiAffinity symmetry check b2: incoming pod and existing pod partially match each other on AffinityTerms',
      pod: p({ def: '', xyz: '' }).podAntiAffinityExists('abc', 'zone').podAntiAffinityExists('def', 'zone').obj(),
      pods: [p({ abc: '', xyz: '' }).node('node1').podAntiAffinityExists('abc', 'zone').podAntiAffinityExists('def', 'zone').obj()], want: unsched(ANTI),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/PodAffinity fails PreFilter with an invalid affinity label syntax',
      pod: p(podLabel).podAffinityIn('service', 'region', ['{{.bad-value.}}']).podAffinityIn('service', 'node', ['antivirusscan', 'value2']).obj(),
      pre: { code: 'UnschedulableAndUnresolvable', reasons: [badValue] },
    },
    {
      ref: 'TestRequiredAffinitySingleNode/PodAntiAffinity fails PreFilter with an invalid antiaffinity label syntax',
      pod: p(podLabel).podAffinityIn('service', 'region', ['foo']).podAffinityIn('service', 'node', ['{{.bad-value.}}']).obj(),
      pre: { code: 'UnschedulableAndUnresolvable', reasons: [badValue] },
    },
    {
      ref: 'TestRequiredAffinitySingleNode/affinity with NamespaceSelector',
      pod: podWithTerms(D, '', podLabel2, [nsTerm(team1, 'region')], null),
      pods: [makePod().namespace('subteam1.team1').labels(podLabel).node('node1').obj()],
    },
    {
      ref: 'TestRequiredAffinitySingleNode/affinity with non-matching NamespaceSelector',
      pod: podWithTerms(D, '', podLabel2, [nsTerm(team1, 'region')], null),
      pods: [makePod().namespace('subteam1.team2').labels(podLabel).node('node1').obj()], want: unres(AFF),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/anti-affinity with matching NamespaceSelector',
      pod: podWithTerms('subteam1.team1', '', podLabel2, null, [nsTerm(team1, 'zone')]),
      pods: [makePod().namespace('subteam2.team1').labels(podLabel).node('node1').obj()], want: unsched(ANTI),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/anti-affinity with matching all NamespaceSelector',
      pod: podWithTerms('subteam1.team1', '', podLabel2, null, [nsTerm({}, 'zone')]),
      pods: [makePod().namespace('subteam2.team1').labels(podLabel).node('node1').obj()], want: unsched(ANTI),
    },
    {
      ref: 'TestRequiredAffinitySingleNode/anti-affinity with non-matching NamespaceSelector',
      pod: podWithTerms('subteam1.team1', '', podLabel2, null, [nsTerm(team1, 'zone')]),
      pods: [makePod().namespace('subteam1.team2').labels(podLabel).node('node1').obj()],
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const { pre, filter } = runFilter(c.pod, c.pods ?? [], [node1()], namespaces);
      expect(st(pre)).toEqual(c.pre ?? null);
      if (!pre) expect(st(filter![0])).toEqual(c.want ?? null);
    });
  }
});

describe('InterPodAffinity Filter: several nodes', () => {
  const rgChina = { region: 'China' };
  const rgChinaAz1 = { region: 'China', az: 'az1' };
  const rgIndia = { region: 'India' };
  const p = () => makePod().namespace(D);
  const threeRegions = (): Node[] => [node('nodeA', rgChina), node('nodeB', rgChinaAz1), node('nodeC', rgIndia)];
  const ab = (zb = 'z2'): Node[] => [node('nodeA', { region: 'r1', zone: 'z1', hostname: 'nodeA' }), node('nodeB', { region: 'r1', zone: zb, hostname: 'nodeB' })];
  const cases: { ref: string; pod: Pod; pods: Pod[]; nodes: Node[]; pre?: { code: string; reasons: string[] }; want: ({ code: string; reasons: string[] } | null)[] }[] = [
    {
      ref: 'TestRequiredAffinityMultipleNodes/A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules',
      pod: p().podAffinityIn('foo', 'region', ['bar']).obj(),
      pods: [makePod().name('p1').node('node1').labels({ foo: 'bar' }).obj()],
      nodes: [node('node1', rgChina), node('node2', rgChinaAz1), node('node3', rgIndia)],
      want: [null, null, unres(AFF)],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the collection should not be blocked from being scheduled onto any node, even there's no existing pod that matches the rule anywhere.",
      pod: p().labels({ foo: 'bar', service: 'securityscan' }).podAffinityIn('foo', 'zone', ['bar']).podAffinityIn('service', 'zone', ['securityscan']).obj(),
      pods: [makePod().name('p1').node('nodeA').labels({ foo: 'bar' }).obj()],
      nodes: [node('nodeA', { zone: 'az1', hostname: 'h1' }), node('nodeB', { zone: 'az2', hostname: 'h2' })],
      want: [null, null],
    },
    {
      ref: 'TestRequiredAffinityMultipleNodes/The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys',
      pod: p().labels({ foo: 'bar', service: 'securityscan' }).podAffinityIn('foo', 'zone', ['bar']).podAffinityIn('service', 'zone', ['securityscan']).obj(),
      pods: [makePod().name('p1').node('nodeA').labels({ foo: 'bar' }).obj()],
      nodes: [node('nodeA', { zoneLabel: 'az1', hostname: 'h1' }), node('nodeB', { zoneLabel: 'az2', hostname: 'h2' })],
      want: [unres(AFF), unres(AFF)],
    },
    {
      ref: 'TestRequiredAffinityMultipleNodes/NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB.',
      pod: p().podAntiAffinityIn('foo', 'region', ['abc']).obj(),
      pods: [makePod().node('nodeA').labels({ foo: 'abc' }).obj()],
      nodes: [node('nodeA', { region: 'r1', hostname: 'nodeA' }), node('nodeB', { region: 'r1', hostname: 'nodeB' })],
      want: [unsched(ANTI), unsched(ANTI)],
    },
    {
      ref: 'TestRequiredAffinityMultipleNodes/This test ensures that anti-affinity matches a pod when any term of the anti-affinity rule matches a pod.',
      pod: p().podAntiAffinityIn('foo', 'region', ['abc']).podAntiAffinityIn('service', 'zone', ['securityscan']).obj(),
      pods: [makePod().node('nodeA').labels({ foo: 'abc', service: 'securityscan' }).obj()],
      nodes: [node('nodeA', { region: 'r1', zone: 'z1', hostname: 'nodeA' }), node('nodeB', { region: 'r1', zone: 'z2', hostname: 'nodeB' })],
      want: [unsched(ANTI), unsched(ANTI)],
    },
    {
      ref: 'TestRequiredAffinityMultipleNodes/NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC',
      pod: p().podAntiAffinityIn('foo', 'region', ['abc']).obj(),
      pods: [makePod().node('nodeA').labels({ foo: 'abc' }).obj()],
      nodes: threeRegions(),
      want: [unsched(ANTI), unsched(ANTI), null],
    },
    {
      ref: 'TestRequiredAffinityMultipleNodes/NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (NodeC has an existing pod that match the inter pod affinity rule but in different namespace)',
      pod: makePod().namespace('NS1').labels({ foo: '123' }).podAntiAffinityIn('foo', 'region', ['bar']).obj(),
      pods: [makePod().node('nodeA').namespace('NS1').labels({ foo: 'bar' }).obj(), makePod().node('nodeC').namespace('NS2').podAntiAffinityIn('foo', 'region', ['123']).obj()],
      nodes: threeRegions(),
      want: [unsched(ANTI), unsched(ANTI), null],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/Test existing pod's anti-affinity: if an existing pod has a term with invalid topologyKey, labelSelector of the term is firstly checked, and then topologyKey of the term is also checked",
      pod: makePod().label('foo', '').obj(),
      pods: [makePod().node('nodeA').namespace(D).podAntiAffinityExists('foo', 'invalid-node-label').obj()],
      nodes: ab('z1'),
      pre: { code: 'Skip', reasons: [] },
      want: [],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/Test incoming pod's anti-affinity: even if labelSelector matches, we still check if topologyKey matches",
      pod: makePod().node('nodeA').namespace(D).podAntiAffinityExists('foo', 'invalid-node-label').obj(),
      pods: [makePod().node('nodeA').labels({ foo: '' }).obj()],
      nodes: ab('z1'),
      want: [null, null],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/Test existing pod's anti-affinity: incoming pod wouldn't considered as a fit as it violates each existingPod's terms on all nodes",
      pod: makePod().label('foo', '').label('bar', '').obj(),
      pods: [makePod().node('nodeA').namespace(D).podAntiAffinityExists('foo', 'zone').obj(), makePod().node('nodeA').namespace(D).podAntiAffinityExists('bar', 'region').obj()],
      nodes: ab(),
      want: [unsched(EXISTING), unsched(EXISTING)],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/Test incoming pod's anti-affinity: incoming pod wouldn't considered as a fit as it at least violates one anti-affinity rule of existingPod",
      pod: p().podAntiAffinityExists('foo', 'zone').podAntiAffinityExists('bar', 'region').obj(),
      pods: [makePod().node('nodeA').labels({ foo: '' }).obj(), makePod().node('nodeB').labels({ bar: '' }).obj()],
      nodes: ab(),
      want: [unsched(ANTI), unsched(ANTI)],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
      pod: p().podAntiAffinityExists('foo', 'invalid-node-label').podAntiAffinityExists('bar', 'zone').obj(),
      pods: [makePod().name('podA').node('nodeA').labels({ foo: '', bar: '' }).obj()],
      nodes: ab(),
      want: [unsched(ANTI), null],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey",
      pod: makePod().label('foo', '').label('bar', '').obj(),
      pods: [makePod().namespace(D).node('nodeA').podAntiAffinityExists('foo', 'region').podAntiAffinityExists('bar', 'zone').obj()],
      nodes: ab(),
      want: [unsched(EXISTING), unsched(EXISTING)],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey",
      pod: p().podAntiAffinityExists('foo', 'region').podAntiAffinityExists('bar', 'zone').obj(),
      pods: [makePod().node('nodeA').labels({ foo: '', bar: '' }).obj()],
      nodes: ab(),
      want: [unsched(ANTI), unsched(ANTI)],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/Test existing pod's anti-affinity: existingPod on nodeA and nodeB has at least one anti-affinity term matches incoming pod, so incoming pod can only be scheduled to nodeC",
      pod: makePod().label('foo', '').label('bar', '').obj(),
      pods: [
        makePod().node('nodeA').namespace(D).podAntiAffinityExists('foo', 'zone').podAntiAffinityExists('labelA', 'zone').obj(),
        makePod().node('nodeB').namespace(D).podAntiAffinityExists('bar', 'zone').podAntiAffinityExists('labelB', 'zone').obj(),
      ],
      nodes: [...ab(), node('nodeC', { region: 'r1', zone: 'z3', hostname: 'nodeC' })],
      want: [unsched(EXISTING), unsched(EXISTING), null],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match",
      pod: p().podAffinityExists('foo', 'region').podAffinityExists('bar', 'zone').obj(),
      pods: [makePod().name('pod1').labels({ foo: '', bar: '' }).node('nodeA').obj()],
      nodes: ab('z1'),
      want: [null, null],
    },
    {
      ref: "TestRequiredAffinityMultipleNodes/Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match, and the match logic should be satisfied on the same pod",
      pod: p().podAffinityExists('foo', 'region').podAffinityExists('bar', 'zone').obj(),
      pods: [makePod().node('nodeA').name('pod1').namespace(D).labels({ foo: '' }).obj(), makePod().node('nodeB').name('pod2').namespace(D).labels({ bar: '' }).obj()],
      nodes: ab(),
      want: [unres(AFF), unres(AFF)],
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const { pre, filter } = runFilter(c.pod, c.pods, c.nodes, [ns('NS1')]);
      expect(st(pre)).toEqual(c.pre ?? null);
      if (!pre) expect(filter!.map(st)).toEqual(c.want);
    });
  }

  it('TestPreFilterDisabled', () => {
    const pl = newInterPodAffinity({}, newTestHandle());
    const s = pl.filter(new CycleState(), makePod().obj(), newTestHandle({ nodes: [node('n', {})] }).snapshot.nodeInfoList[0]);
    expect(st(s)).toEqual({ code: 'Error', reasons: ['error reading "PreFilterInterPodAffinity" from cycleState: not found'] });
  });
});

describe('InterPodAffinity PreFilter extensions', () => {
  const label1 = { region: 'r1', zone: 'z11' };
  const label2 = { region: 'r1', zone: 'z12' };
  const label3 = { region: 'r2', zone: 'z21' };
  const fooBar = { foo: 'bar' };
  const antiFooBar: PodAffinityTerm[] = [{ labelSelector: inSel('foo', ['bar']), topologyKey: 'region' }];
  const complex: PodAffinityTerm[] = [
    { labelSelector: inSel('foo', ['bar', 'buzz']), topologyKey: 'region' },
    { labelSelector: notInSel('service', ['bar', 'security', 'test']), topologyKey: 'zone' },
  ];
  const mk = (name: string, labels: Record<string, string>, nodeName: string, aff: PodAffinityTerm[] | null, anti: PodAffinityTerm[] | null): Pod => {
    const p = podWithTerms(D, nodeName, labels, aff, anti);
    p.metadata.name = p.metadata.uid = name;
    return p;
  };
  const nodes = () => [node('nodeA', label1), node('nodeB', label2), node('nodeC', label3)];
  const cases: { ref: string; pending: Pod; existing: Pod[]; added: Pod; anti: Record<string, number>; aff: Record<string, number> }[] = [
    {
      ref: 'TestPreFilterStateAddRemovePod/preFilterState anti-affinity terms are updated correctly after adding and removing a pod',
      pending: mk('pending', fooBar, '', null, antiFooBar),
      existing: [mk('p1', fooBar, 'nodeA', null, null), mk('p2', {}, 'nodeC', null, antiFooBar)],
      added: mk('addedPod', fooBar, 'nodeB', null, antiFooBar),
      anti: { 'region/r1': 2 }, aff: {},
    },
    {
      ref: 'TestPreFilterStateAddRemovePod/preFilterState anti-affinity terms are updated correctly after adding and removing a pod#01',
      pending: mk('pending', fooBar, '', null, complex),
      existing: [mk('p1', fooBar, 'nodeA', null, null), mk('p2', {}, 'nodeC', null, antiFooBar)],
      added: mk('addedPod', fooBar, 'nodeA', null, complex),
      anti: { 'region/r1': 2, 'zone/z11': 2, 'zone/z21': 1 }, aff: {},
    },
    {
      ref: 'TestPreFilterStateAddRemovePod/preFilterState matching pod affinity and anti-affinity are updated correctly after adding and removing a pod',
      pending: mk('pending', fooBar, '', complex, null),
      existing: [mk('p1', fooBar, 'nodeA', null, null), mk('p2', {}, 'nodeC', complex, antiFooBar)],
      added: mk('addedPod', fooBar, 'nodeA', null, complex),
      anti: {}, aff: { 'region/r1': 2, 'zone/z11': 2 },
    },
  ];
  const plain = (m: Map<string, number>) => Object.fromEntries([...m].map(([k, v]) => [k.replace('\u0000', '/'), v]));
  for (const c of cases) {
    it(c.ref, () => {
      const stateOf = (pods: Pod[]) => {
        const handle = newTestHandle({ pods: named(pods), nodes: nodes() });
        const pl = newInterPodAffinity({}, handle);
        const state = new CycleState();
        expect(pl.preFilter(state, c.pending, handle.snapshot.nodeInfoList)[1]).toBeNull();
        return { pl, state, handle };
      };
      const all = getPreFilterState(stateOf([...c.existing, c.added]).state);
      expect(plain(all.antiAffinityCounts)).toEqual(c.anti);
      expect(plain(all.affinityCounts)).toEqual(c.aff);

      const { pl, state, handle } = stateOf(c.existing);
      const before = getPreFilterState(state);
      const snap = { e: plain(before.existingAntiAffinityCounts), a: plain(before.affinityCounts), n: plain(before.antiAffinityCounts) };
      const ni = handle.snapshot.nodeInfoMap.get(c.added.spec.nodeName!)!;
      const cloned = state.clone();
      expect(pl.preFilterExtensions().addPod(cloned, c.pending, new PodInfo(c.added), ni)).toBeNull();
      const added = getPreFilterState(cloned);
      expect([plain(added.existingAntiAffinityCounts), plain(added.affinityCounts), plain(added.antiAffinityCounts)])
        .toEqual([plain(all.existingAntiAffinityCounts), plain(all.affinityCounts), plain(all.antiAffinityCounts)]);
      expect(pl.preFilterExtensions().removePod(cloned, c.pending, new PodInfo(c.added), ni)).toBeNull();
      expect({ e: plain(added.existingAntiAffinityCounts), a: plain(added.affinityCounts), n: plain(added.antiAffinityCounts) }).toEqual(snap);
      // The clone left the original alone.
      expect({ e: plain(before.existingAntiAffinityCounts), a: plain(before.affinityCounts), n: plain(before.antiAffinityCounts) }).toEqual(snap);
    });
  }
});

it('InterPodAffinity: a pod whose terms match no existing pod may still schedule when it matches them itself (first of a group)', () => {
  const group = () => makePod().namespace(D).labels({ app: 'db' }).podAffinityIn('app', 'zone', ['db']);
  const { filter } = runFilter(group().obj(), [], [node('a', { zone: 'z1' }), node('b', {})]);
  expect(filter!.map(st)).toEqual([null, unres(AFF)]);
  const other = runFilter(makePod().namespace(D).labels({ app: 'web' }).podAffinityIn('app', 'zone', ['db']).obj(), [], [node('a', { zone: 'z1' })]);
  expect(other.filter!.map(st)).toEqual([unres(AFF)]);
});
