import { describe, expect, it } from 'vitest';
import type { Affinity, Node, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../../../api/core/v1';
import type { LabelSelector } from '../../../apimachinery/validation';
import { CycleState } from '../../framework/cycle_state';
import type { NodeScore } from '../../framework/interface';
import { newTestHandle } from '../../testing/handle';
import { newInterPodAffinity } from './plugin';
import { inSel, named, node, ns } from './testing';

// Upstream's pods live in namespace "" unless a case names one.
const pd = (labels: Record<string, string> = {}, nodeName = '', affinity?: Affinity, namespace = ''): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { namespace, labels }, spec: { containers: [], ...(nodeName ? { nodeName } : {}), ...(affinity ? { affinity } : {}) },
});
const namespaces = [ns('subteam1.team1', { team: 'team1' }), ns('subteam2.team1', { team: 'team1' }), ns('subteam1.team2', { team: 'team2' }), ns('subteam2.team2', { team: 'team2' })];
const rgChina = { region: 'China' };
const rgIndia = { region: 'India' };
const az1 = { az: 'az1' };
const az2 = { az: 'az2' };
const rgChinaAz1 = { region: 'China', az: 'az1' };
const S1 = { security: 'S1' };
const S2 = { security: 'S2' };
const w = (weight: number, labelSelector: LabelSelector, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): WeightedPodAffinityTerm => ({ weight, podAffinityTerm: { labelSelector, topologyKey, ...extra } });
const stayWithS1InRegion: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w(5, inSel('security', ['S1']), 'region')] } };
const stayWithS2InRegion: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w(6, inSel('security', ['S2']), 'region')] } };
const affinity3: Affinity = {
  podAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      w(8, { matchExpressions: [{ key: 'security', operator: 'NotIn', values: ['S1'] }, { key: 'security', operator: 'In', values: ['S2'] }] }, 'region'),
      w(2, { matchExpressions: [{ key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }, 'region'),
    ],
  },
};
const hardAffinity: Affinity = {
  podAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { labelSelector: inSel('security', ['S1', 'value2']), topologyKey: 'region' },
      { labelSelector: { matchExpressions: [{ key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }, topologyKey: 'region' },
    ],
  },
};
const awayFromS1InAz: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w(5, inSel('security', ['S1']), 'az')] } };
const awayFromS2InAz: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w(5, inSel('security', ['S2']), 'az')] } };
const stayWithS1InRegionAwayFromS2InAz: Affinity = {
  podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w(8, inSel('security', ['S1']), 'region')] },
  podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w(5, inSel('security', ['S2']), 'az')] },
};
const nsTerm = { namespaces: ['subteam2.team2'], namespaceSelector: inSel('team', ['team1']) };
const affinityNamespaceSelector: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w(5, inSel('security', ['S1']), 'region', nsTerm)] } };
const antiAffinityNamespaceSelector: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w(5, inSel('security', ['S1']), 'region', nsTerm)] } };
const invalidAffinityLabels: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w(8, inSel('security', ['{{.bad-value.}}']), 'region')] } };
const invalidAntiAffinityLabels: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w(5, inSel('security', ['{{.bad-value.}}']), 'az')] } };

/** PreScore over every node, Score each, NormalizeScore (Go: TestPreferredAffinity's loop). */
function run(pod: Pod, pods: Pod[], nodes: Node[], args: { hardPodAffinityWeight?: number; ignorePreferredTermsOfExistingPods?: boolean } = {}) {
  const handle = newTestHandle({ pods: named(pods), nodes, namespaces });
  const pl = newInterPodAffinity({ hardPodAffinityWeight: 1, ...args }, handle);
  const state = new CycleState();
  const infos = handle.snapshot.nodeInfoList;
  const pre = pl.preScore(state, pod, infos);
  if (pre) return { pre: { code: pre.code, message: pre.message() }, list: null };
  const list: NodeScore[] = infos.map((ni) => {
    const [score, s] = pl.score(state, pod, ni);
    expect(s).toBeNull();
    return { name: ni.name, score };
  });
  expect(pl.scoreExtensions().normalizeScore(state, pod, list)).toBeNull();
  return { pre: null, list: Object.fromEntries(list.map((s) => [s.name, s.score])) };
}

describe('InterPodAffinity scoring', () => {
  const three = (a: Record<string, string> = rgChina, b: Record<string, string> = rgIndia, c: Record<string, string> = az1) => [node('node1', a), node('node2', b), node('node3', c)];
  const cases: { ref: string; pod: Pod; pods?: Pod[]; nodes: Node[]; ignore?: boolean; want?: Record<string, number>; pre?: { code: string; contains: string } }[] = [
    { ref: 'TestPreferredAffinity/all nodes are same priority as Affinity is nil', pod: pd(S1), nodes: three(), pre: { code: 'Skip', contains: '' } },
    {
      ref: "TestPreferredAffinity/Affinity: pod that matches topology key & pods in nodes will get high score comparing to otherswhich doesn't match either pods in nodes or in topology key",
      pod: pd(S1, '', stayWithS1InRegion), pods: [pd(S1, 'node1'), pd(S2, 'node2'), pd(S1, 'node3')], nodes: three(),
      want: { node1: 100, node2: 0, node3: 0 },
    },
    {
      ref: 'TestPreferredAffinity/All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score',
      pod: pd({}, '', stayWithS1InRegion), pods: [pd(S1, 'node1')], nodes: three(rgChina, rgChinaAz1, rgIndia),
      want: { node1: 100, node2: 100, node3: 0 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score',
      pod: pd(S1, '', stayWithS2InRegion),
      pods: [pd(S2, 'node1'), pd(S2, 'node1'), pd(S2, 'node2'), pd(S2, 'node3'), pd(S2, 'node4'), pd(S2, 'node5')],
      nodes: [node('node1', rgChina), node('node2', rgIndia), node('node3', rgChina), node('node4', rgChina), node('node5', rgIndia)],
      want: { node1: 100, node2: 0, node3: 100, node4: 100, node5: 0 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures ',
      pod: pd(S1, '', affinity3), pods: [pd(S1, 'node1'), pd(S2, 'node2'), pd(S1, 'node3')], nodes: three(),
      want: { node1: 20, node2: 100, node3: 0 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      pod: pd(S2), pods: [pd(S1, 'node1', stayWithS1InRegion), pd(S2, 'node2', stayWithS2InRegion)], nodes: three(),
      want: { node1: 0, node2: 100, node3: 0 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity symmetry with namespace selector',
      pod: pd(S1, '', undefined, 'subteam1.team1'), pods: [pd(S1, 'node1', affinityNamespaceSelector), pd(S2, 'node2', stayWithS2InRegion)], nodes: three(),
      want: { node1: 100, node2: 0, node3: 0 },
    },
    {
      ref: 'TestPreferredAffinity/AntiAffinity symmetry with namespace selector',
      pod: pd(S1, '', undefined, 'subteam1.team1'), pods: [pd(S1, 'node1', antiAffinityNamespaceSelector), pd(S2, 'node2', stayWithS2InRegion)], nodes: three(),
      want: { node1: 0, node2: 100, node3: 100 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      pod: pd(S1), pods: [pd(S1, 'node1', hardAffinity), pd(S2, 'node2', hardAffinity)], nodes: three(),
      want: { node1: 100, node2: 100, node3: 0 },
    },
    {
      ref: 'TestPreferredAffinity/Anti Affinity: pod that does not match existing pods in node will get high score ',
      pod: pd(S1, '', awayFromS1InAz), pods: [pd(S1, 'node1'), pd(S2, 'node2')], nodes: [node('node1', az1), node('node2', rgChina)],
      want: { node1: 0, node2: 100 },
    },
    {
      ref: 'TestPreferredAffinity/Anti Affinity: pod that does not match topology key & match the pods in nodes will get higher score comparing to others ',
      pod: pd(S1, '', awayFromS1InAz), pods: [pd(S1, 'node1'), pd(S1, 'node2')], nodes: [node('node1', az1), node('node2', rgChina)],
      want: { node1: 0, node2: 100 },
    },
    {
      ref: 'TestPreferredAffinity/Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score',
      pod: pd(S1, '', awayFromS1InAz), pods: [pd(S1, 'node1'), pd(S1, 'node1'), pd(S2, 'node2')], nodes: [node('node1', az1), node('node2', rgIndia)],
      want: { node1: 0, node2: 100 },
    },
    {
      ref: 'TestPreferredAffinity/Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score',
      pod: pd(S2), pods: [pd(S1, 'node1', awayFromS2InAz), pd(S2, 'node2', awayFromS1InAz)], nodes: [node('node1', az1), node('node2', az2)],
      want: { node1: 0, node2: 100 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity',
      pod: pd(S1, '', stayWithS1InRegionAwayFromS2InAz), pods: [pd(S1, 'node1'), pd(S1, 'node2')], nodes: [node('node1', rgChina), node('node2', az1)],
      want: { node1: 100, node2: 0 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels',
      pod: pd(S1, '', stayWithS1InRegionAwayFromS2InAz),
      pods: [pd(S1, 'node1'), pd(S1, 'node1'), pd(S1, 'node2'), pd(S1, 'node3'), pd(S1, 'node3'), pd(S1, 'node4'), pd(S1, 'node5')],
      nodes: [node('node1', rgChinaAz1), node('node2', rgIndia), node('node3', rgChina), node('node4', rgChina), node('node5', rgIndia)],
      want: { node1: 100, node2: 0, node3: 100, node4: 100, node5: 0 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry',
      pod: pd(S1, '', stayWithS1InRegionAwayFromS2InAz),
      pods: [pd(S1, 'node1'), pd(S2, 'node2'), pd({}, 'node3', stayWithS1InRegionAwayFromS2InAz), pd({}, 'node4', awayFromS1InAz)],
      nodes: [node('node1', rgChina), node('node2', az1), node('node3', rgIndia), node('node4', az2)],
      want: { node1: 100, node2: 0, node3: 100, node4: 0 },
    },
    {
      ref: "TestPreferredAffinity/Avoid panic when partial nodes in a topology don't have pods with affinity",
      pod: pd(S1), pods: [pd(S1, 'node1'), pd({}, 'node2', stayWithS1InRegionAwayFromS2InAz)], nodes: [node('node1', rgChina), node('node2', rgChina)],
      want: { node1: 0, node2: 0 },
    },
    {
      ref: 'TestPreferredAffinity/invalid Affinity fails PreScore',
      pod: pd({}, '', invalidAffinityLabels), nodes: [node('node1', rgChina), node('node2', rgChina)], pre: { code: 'Error', contains: 'Invalid value: "{{.bad-value.}}"' },
    },
    {
      ref: 'TestPreferredAffinity/invalid AntiAffinity fails PreScore',
      pod: pd({}, '', invalidAntiAffinityLabels), nodes: [node('node1', rgChina), node('node2', rgChina)], pre: { code: 'Error', contains: 'Invalid value: "{{.bad-value.}}"' },
    },
    {
      ref: 'TestPreferredAffinity/Affinity with pods matching NamespaceSelector',
      pod: pd(S1, '', affinityNamespaceSelector, 'subteam1.team1'),
      pods: [pd(S1, 'node1', undefined, 'subteam1.team1'), pd(S1, 'node1', undefined, 'subteam1.team1'), pd(S1, 'node1', undefined, 'subteam1.team2'), pd(S1, 'node2', undefined, 'subteam2.team1')],
      nodes: [node('node1', rgChina), node('node2', rgIndia)],
      want: { node1: 100, node2: 0 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity with pods matching both NamespaceSelector and Namespaces fields',
      pod: pd(S1, '', affinityNamespaceSelector, 'subteam1.team1'),
      pods: [pd(S1, 'node1', undefined, 'subteam1.team1'), pd(S1, 'node1', undefined, 'subteam1.team1'), pd(S1, 'node1', undefined, 'subteam2.team2'), pd(S1, 'node2', undefined, 'subteam2.team1')],
      nodes: [node('node1', rgChina), node('node2', rgIndia)],
      want: { node1: 100, node2: 0 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity with pods matching NamespaceSelector#01',
      pod: pd(S1, '', antiAffinityNamespaceSelector, 'subteam1.team1'),
      pods: [pd(S1, 'node1', undefined, 'subteam1.team1'), pd(S1, 'node1', undefined, 'subteam1.team1'), pd(S1, 'node1', undefined, 'subteam1.team2'), pd(S1, 'node2', undefined, 'subteam2.team1')],
      nodes: [node('node1', rgChina), node('node2', rgIndia)],
      want: { node1: 0, node2: 100 },
    },
    {
      ref: 'TestPreferredAffinity/Affinity with pods matching both NamespaceSelector and Namespaces fields#01',
      pod: pd(S1, '', antiAffinityNamespaceSelector, 'subteam1.team1'),
      pods: [pd(S1, 'node1', undefined, 'subteam1.team1'), pd(S1, 'node1', undefined, 'subteam1.team1'), pd(S1, 'node1', undefined, 'subteam2.team2'), pd(S1, 'node2', undefined, 'subteam2.team1')],
      nodes: [node('node1', rgChina), node('node2', rgIndia)],
      want: { node1: 0, node2: 100 },
    },
    {
      ref: 'TestPreferredAffinity/Ignore preferred terms of existing pods',
      pod: pd(S2), pods: [pd(S1, 'node1', stayWithS1InRegionAwayFromS2InAz), pd(S2, 'node2', stayWithS2InRegion)], nodes: [node('node1', rgChina), node('node2', rgIndia)],
      ignore: true, pre: { code: 'Skip', contains: '' },
    },
    {
      ref: 'TestPreferredAffinity/Do not ignore preferred terms of existing pods',
      pod: pd(S2), pods: [pd(S1, 'node1', stayWithS1InRegionAwayFromS2InAz), pd(S2, 'node2', stayWithS2InRegion)], nodes: [node('node1', rgChina), node('node2', rgIndia)],
      want: { node1: 0, node2: 100 },
    },
    { ref: 'TestPreferredAffinity/No nodes to score', pod: pd(S2), nodes: [], pre: { code: 'Skip', contains: '' } },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const got = run(c.pod, c.pods ?? [], c.nodes, { ignorePreferredTermsOfExistingPods: c.ignore ?? false });
      if (c.pre) {
        expect(got.pre?.code).toBe(c.pre.code);
        expect(got.pre?.message).toContain(c.pre.contains);
      } else {
        expect(got.pre).toBeNull();
        expect(got.list).toEqual(c.want);
      }
    });
  }
});

describe('InterPodAffinity scoring with hardPodAffinityWeight', () => {
  const hardPodAffinity: Affinity = {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: inSel('service', ['S1']), namespaces: ['', 'subteam2.team2'], namespaceSelector: inSel('team', ['team1']), topologyKey: 'region' },
      ],
    },
  };
  const S1svc = { service: 'S1' };
  const nodes = () => [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)];
  const pods = () => [pd({}, 'node1', hardPodAffinity), pd({}, 'node2', hardPodAffinity)];
  const cases: { ref: string; namespace: string; weight: number; want: Record<string, number> | 'Skip' }[] = [
    { ref: 'TestPreferredAffinityWithHardPodAffinitySymmetricWeight/with default weight', namespace: '', weight: 1, want: { node1: 100, node2: 100, node3: 0 } },
    { ref: 'TestPreferredAffinityWithHardPodAffinitySymmetricWeight/with zero weight', namespace: '', weight: 0, want: 'Skip' },
    { ref: 'TestPreferredAffinityWithHardPodAffinitySymmetricWeight/with no matching namespace', namespace: 'subteam1.team2', weight: 1, want: 'Skip' },
    { ref: 'TestPreferredAffinityWithHardPodAffinitySymmetricWeight/with matching NamespaceSelector', namespace: 'subteam1.team1', weight: 1, want: { node1: 100, node2: 100, node3: 0 } },
    { ref: 'TestPreferredAffinityWithHardPodAffinitySymmetricWeight/with matching Namespaces', namespace: 'subteam2.team2', weight: 1, want: { node1: 100, node2: 100, node3: 0 } },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const got = run(pd(S1svc, '', undefined, c.namespace), pods(), nodes(), { hardPodAffinityWeight: c.weight });
      if (c.want === 'Skip') expect(got.pre?.code).toBe('Skip');
      else expect(got.list).toEqual(c.want);
    });
  }

  it('NormalizeScore scales by min and max, truncating, with negative sums', () => {
    // node1: +8 (affinity), node2: -5 (anti-affinity), node3: 0 -> (s - min) / (max - min) * 100.
    const got = run(pd(S1, '', stayWithS1InRegionAwayFromS2InAz), [pd(S1, 'node1'), pd(S2, 'node2')], [node('node1', rgChina), node('node2', az1), node('node3', rgIndia)]);
    expect(got.list).toEqual({ node1: 100, node2: 0, node3: 38 });
  });
});
