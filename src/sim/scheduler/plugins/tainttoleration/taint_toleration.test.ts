/**
 * Ported from pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
 * (TestTaintTolerationScore, TestTaintTolerationFilter, TestIsSchedulableAfterNodeChange,
 * Test_isSchedulableAfterPodChange — the cases that hold for v1.34's toleration-change hint).
 */
import { describe, it, expect } from 'vitest';
import type { Node, Pod, Taint, Toleration } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import { MaxNodeScore, type NodeScore } from '../../framework/interface';
import { NodeInfo } from '../../framework/types';
import { newTestHandle } from '../../testing/handle';
import { TaintToleration, newTaintToleration } from '.';

const nodeWithTaints = (name: string, taints: Taint[]): Node => ({ metadata: { name }, spec: { taints } });
const podWithTolerations = (name: string, tolerations: Toleration[]): Pod => ({ metadata: { name }, spec: { containers: [], tolerations } });
const pns = 'PreferNoSchedule' as const;
const ns = 'NoSchedule' as const;

describe('TestTaintTolerationScore', () => {
  const cases: { ref: string; pod: Pod; nodes: Node[]; expected: NodeScore[] }[] = [
    {
      ref: 'TestTaintTolerationScore/node with taints tolerated by the pod, gets a higher score than those node with intolerable taints',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: pns }]),
      nodes: [nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: pns }]), nodeWithTaints('nodeB', [{ key: 'foo', value: 'blah', effect: pns }])],
      expected: [{ name: 'nodeA', score: MaxNodeScore }, { name: 'nodeB', score: 0 }],
    },
    {
      ref: 'TestTaintTolerationScore/the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has',
      pod: podWithTolerations('pod1', [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: pns }, { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: pns }]),
      nodes: [
        nodeWithTaints('nodeA', []),
        nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: pns }]),
        nodeWithTaints('nodeC', [{ key: 'cpu-type', value: 'arm64', effect: pns }, { key: 'disk-type', value: 'ssd', effect: pns }]),
      ],
      expected: [{ name: 'nodeA', score: MaxNodeScore }, { name: 'nodeB', score: MaxNodeScore }, { name: 'nodeC', score: MaxNodeScore }],
    },
    {
      ref: 'TestTaintTolerationScore/the more intolerable taints a node has, the lower score it gets.',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: pns }]),
      nodes: [
        nodeWithTaints('nodeA', []),
        nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: pns }]),
        nodeWithTaints('nodeC', [{ key: 'cpu-type', value: 'arm64', effect: pns }, { key: 'disk-type', value: 'ssd', effect: pns }]),
      ],
      expected: [{ name: 'nodeA', score: MaxNodeScore }, { name: 'nodeB', score: 50 }, { name: 'nodeC', score: 0 }],
    },
    {
      ref: 'TestTaintTolerationScore/only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function',
      pod: podWithTolerations('pod1', [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: ns }, { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: ns }]),
      nodes: [
        nodeWithTaints('nodeA', []),
        nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: ns }]),
        nodeWithTaints('nodeC', [{ key: 'cpu-type', value: 'arm64', effect: pns }, { key: 'disk-type', value: 'ssd', effect: pns }]),
      ],
      expected: [{ name: 'nodeA', score: MaxNodeScore }, { name: 'nodeB', score: MaxNodeScore }, { name: 'nodeC', score: 0 }],
    },
    {
      ref: 'TestTaintTolerationScore/Default behaviour No taints and tolerations, lands on node with no taints',
      pod: podWithTolerations('pod1', []),
      nodes: [nodeWithTaints('nodeA', []), nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: pns }])],
      expected: [{ name: 'nodeA', score: MaxNodeScore }, { name: 'nodeB', score: 0 }],
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const h = newTestHandle({ nodes: c.nodes });
      const p = newTaintToleration(undefined, h);
      const state = new CycleState();
      const infos = h.snapshot.nodeInfos().list();
      expect(p.preScore!(state, c.pod, infos)).toBeNull();
      const got: NodeScore[] = infos.map((ni) => {
        const [s, st] = p.score!(state, c.pod, ni) as [number, unknown];
        expect(st).toBeNull();
        return { name: ni.name, score: s };
      });
      expect(p.scoreExtensions!()!.normalizeScore(state, c.pod, got)).toBeNull();
      expect(got).toEqual(c.expected);
    });
  }
});

describe('TestTaintTolerationFilter', () => {
  const unres = (r: string) => ({ code: 'UnschedulableAndUnresolvable', reasons: [r], plugin: '' });
  const cases: { ref: string; pod: Pod; node: Node; want: ReturnType<typeof unres> | null }[] = [
    {
      ref: "TestTaintTolerationFilter/A pod having no tolerations can't be scheduled onto a node with nonempty taints",
      pod: podWithTolerations('pod1', []), node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: ns }]), want: unres('node(s) had untolerated taint {dedicated: user1}'),
    },
    {
      ref: 'TestTaintTolerationFilter/A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule',
      pod: podWithTolerations('pod1', [{ key: 'dedicated', value: 'user1', effect: ns }]), node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: ns }]), want: null,
    },
    {
      ref: "TestTaintTolerationFilter/A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
      pod: podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: ns }]), node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: ns }]),
      want: unres('node(s) had untolerated taint {dedicated: user1}'),
    },
    {
      ref: 'TestTaintTolerationFilter/A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Exists', effect: ns }]), node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: ns }]), want: null,
    },
    {
      ref: 'TestTaintTolerationFilter/A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node',
      pod: podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: ns }, { key: 'foo', operator: 'Exists', effect: ns }]),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user2', effect: ns }, { key: 'foo', value: 'bar', effect: ns }]), want: null,
    },
    {
      ref: "TestTaintTolerationFilter/A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: pns }]), node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: ns }]),
      want: unres('node(s) had untolerated taint {foo: bar}'),
    },
    {
      ref: 'TestTaintTolerationFilter/The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar' }]), node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: ns }]), want: null,
    },
    {
      ref: "TestTaintTolerationFilter/The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
      pod: podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: ns }]), node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: pns }]), want: null,
    },
    {
      ref: 'TestTaintTolerationFilter/The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node',
      pod: podWithTolerations('pod1', []), node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: pns }]), want: null,
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const ni = new NodeInfo();
      ni.setNode(c.node);
      const got = newTaintToleration().filter!(new CycleState(), c.pod, ni);
      expect(got ? got.toJSON() : null).toEqual(c.want);
    });
  }
});

describe('TestIsSchedulableAfterNodeChange', () => {
  const pl = new TaintToleration();
  const tolUser2 = () => podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: ns }]);
  const user = (...u: string[]) => nodeWithTaints('nodeA', u.map((v) => ({ key: 'dedicated', value: v, effect: ns })));
  const cases: { ref: string; pod: Pod; oldObj?: unknown; newObj: unknown; want: string }[] = [
    { ref: 'TestIsSchedulableAfterNodeChange/backoff-wrong-new-object', pod: tolUser2(), newObj: 'not-a-node', want: 'Queue' },
    { ref: 'TestIsSchedulableAfterNodeChange/backoff-wrong-old-object', pod: tolUser2(), newObj: user('user1'), oldObj: 'not-a-node', want: 'Queue' },
    { ref: 'TestIsSchedulableAfterNodeChange/skip-queue-on-untoleratedtaint-node-added', pod: tolUser2(), newObj: user('user1'), want: 'QueueSkip' },
    { ref: 'TestIsSchedulableAfterNodeChange/queue-on-toleratedtaint-node-added', pod: tolUser2(), newObj: user('user2'), want: 'Queue' },
    { ref: 'TestIsSchedulableAfterNodeChange/skip-unrelated-change', pod: tolUser2(), newObj: user('user1', 'user3'), oldObj: user('user1'), want: 'QueueSkip' },
    { ref: 'TestIsSchedulableAfterNodeChange/queue-on-taint-change', pod: tolUser2(), newObj: user('user2'), oldObj: user('user1'), want: 'Queue' },
  ];
  for (const c of cases) it(c.ref, () => expect(pl.isSchedulableAfterNodeChange(c.pod, c.oldObj, c.newObj)).toBe(c.want));
});

describe('Test_isSchedulableAfterPodChange (v1.34: isSchedulableAfterPodTolerationChange)', () => {
  const pl = new TaintToleration();
  const pod = (name: string, uid: string, tolerations?: Toleration[]): Pod => ({ metadata: { name, namespace: 'ns-1', uid }, spec: { containers: [], ...(tolerations ? { tolerations } : {}) } });
  const cases: { ref: string; pod: Pod; oldObj?: unknown; newObj: unknown; want: string }[] = [
    { ref: 'Test_isSchedulableAfterPodChange/backoff-wrong-new-object', pod: pod('p', ''), newObj: 'not-a-pod', want: 'Queue' },
    { ref: 'Test_isSchedulableAfterPodChange/backoff-wrong-old-object', pod: pod('p', ''), oldObj: 'not-a-pod', newObj: pod('p', ''), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterPodChange/skip-updates-other-pod', pod: pod('pod-1', 'uid0'), oldObj: pod('pod-2', 'uid1'), newObj: pod('pod-2', 'uid1', [{ key: 'foo', effect: ns }]), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodChange/queue-on-toleration-added', pod: pod('pod-1', 'uid0'), oldObj: pod('pod-1', 'uid0'), newObj: pod('pod-1', 'uid0', [{ key: 'foo', effect: ns }]), want: 'Queue' },
  ];
  for (const c of cases) it(c.ref, () => expect(pl.isSchedulableAfterPodTolerationChange(c.pod, c.oldObj, c.newObj)).toBe(c.want));
});

it('Score without PreScore is an Error status', () => {
  const ni = new NodeInfo();
  ni.setNode(nodeWithTaints('n', []));
  const [, st] = newTaintToleration().score!(new CycleState(), podWithTolerations('p', []), ni) as [number, { code: string; message(): string }];
  expect(st.code).toBe('Error');
  expect(st.message()).toBe('failed to read "PreScoreTaintToleration" from cycleState: not found');
});
