import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/core/v1';
import { nodeShouldRunDaemonPod } from './should_run';
import { newDaemonSet, newNode } from './testing';
import { addOrUpdateDaemonPodTolerations, getTargetNodeName, replaceDaemonSetPodNodeNameNodeAffinity } from './util';
import type { DaemonSet } from './types';

const withSpec = (f: (spec: DaemonSet['spec']['template']['spec']) => void): DaemonSet => {
  const ds = newDaemonSet('x');
  f(ds.spec.template.spec);
  return ds;
};

// Upstream: daemon_controller_test.go (TestNodeShouldRunDaemonPod): predicate -> [shouldRun, shouldContinueRunning]
const cases: Array<{ name: string; node: Node; ds: DaemonSet; want: [boolean, boolean] }> = [
  { name: 'a plain node', node: newNode('n'), ds: newDaemonSet('x'), want: [true, true] },
  { name: 'the template names another node', node: newNode('n'), ds: withSpec((s) => (s.nodeName = 'other')), want: [false, false] },
  { name: 'the template names this node', node: newNode('n'), ds: withSpec((s) => (s.nodeName = 'n')), want: [true, true] },
  { name: 'nodeSelector does not match', node: newNode('n'), ds: withSpec((s) => (s.nodeSelector = { disk: 'ssd' })), want: [false, false] },
  { name: 'nodeSelector matches', node: newNode('n', { labels: { disk: 'ssd' } }), ds: withSpec((s) => (s.nodeSelector = { disk: 'ssd' })), want: [true, true] },
  {
    name: 'required node affinity does not match',
    node: newNode('n', { labels: { zone: 'a' } }),
    ds: withSpec((s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }] } } })),
    want: [false, false],
  },
  { name: 'an untolerated NoSchedule taint: do not start, keep running', node: newNode('n', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), ds: newDaemonSet('x'), want: [false, true] },
  { name: 'an untolerated NoExecute taint: neither', node: newNode('n', { taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] }), ds: newDaemonSet('x'), want: [false, false] },
  { name: 'PreferNoSchedule is ignored', node: newNode('n', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }), ds: newDaemonSet('x'), want: [true, true] },
  {
    name: 'a tolerated NoExecute taint',
    node: newNode('n', { taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] }),
    ds: withSpec((s) => (s.tolerations = [{ key: 'k', operator: 'Exists' }])),
    want: [true, true],
  },
  { name: 'not-ready NoExecute: the daemon tolerations', node: newNode('n', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), ds: newDaemonSet('x'), want: [true, true] },
  { name: 'memory-pressure NoSchedule: the daemon tolerations', node: newNode('n', { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] }), ds: newDaemonSet('x'), want: [true, true] },
  { name: 'pid-pressure NoSchedule: the daemon tolerations', node: newNode('n', { taints: [{ key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule' }] }), ds: newDaemonSet('x'), want: [true, true] },
  { name: 'network-unavailable without hostNetwork', node: newNode('n', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), ds: newDaemonSet('x'), want: [false, true] },
  { name: 'network-unavailable with hostNetwork', node: newNode('n', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), ds: withSpec((s) => (s.hostNetwork = true)), want: [true, true] },
];

describe('nodeShouldRunDaemonPod (TestNodeShouldRunDaemonPod, TestTaintPressureNodeDaemonLaunchesPod)', () => {
  it.each(cases)('$name', ({ node, ds, want }) => {
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    expect([shouldRun, shouldContinueRunning]).toEqual(want);
  });
});

describe('daemonset_util (pkg/controller/daemon/util/daemonset_util_test.go)', () => {
  it('TestAddOrUpdateDaemonPodTolerations: adds once, keeps the user\'s, replaces an equal-key one only if different', () => {
    const spec = { containers: [], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' as const, effect: 'NoExecute' as const }, { key: 'mine', operator: 'Exists' as const }] };
    addOrUpdateDaemonPodTolerations(spec);
    addOrUpdateDaemonPodTolerations(spec);
    expect(spec.tolerations.map((t) => t.key)).toEqual([
      'node.kubernetes.io/not-ready', 'mine', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure',
      'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable',
    ]);
  });

  it('TestReplaceDaemonSetPodNodeNameNodeAffinity: replaces required terms, keeps preferred ones', () => {
    const a = replaceDaemonSetPodNodeNameNodeAffinity(
      { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] }, preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }] } },
      'host-1',
    );
    expect(a.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host-1'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }],
    });
    expect(replaceDaemonSetPodNodeNameNodeAffinity(undefined, 'h')).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['h'] }] }] } } });
  });

  it('TestGetTargetNodeName: spec.nodeName first, then the single metadata.name term, else none', () => {
    const pinned = { metadata: {}, spec: { containers: [], affinity: replaceDaemonSetPodNodeNameNodeAffinity(undefined, 'h') } };
    expect(getTargetNodeName(pinned)).toBe('h');
    expect(getTargetNodeName({ ...pinned, spec: { ...pinned.spec, nodeName: 'bound' } })).toBe('bound');
    expect(getTargetNodeName({ metadata: {}, spec: { containers: [] } })).toBeUndefined();
  });
});
