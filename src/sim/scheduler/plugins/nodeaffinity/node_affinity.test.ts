/**
 * Ported from pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go (TestNodeAffinity,
 * TestNodeAffinityPriority, Test_isSchedulableAfterNodeChange) and
 * pkg/scheduler/apis/config/validation/validation_pluginargs_test.go (TestValidateNodeAffinityArgs).
 */
import { describe, it, expect } from 'vitest';
import type { Affinity, Node, NodeAffinity, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../../api/core/v1';
import { newPath, type FieldError } from '../../../apimachinery/field';
import { CycleState } from '../../framework/cycle_state';
import { MaxNodeScore, type NodeScore } from '../../framework/interface';
import { NodeInfo } from '../../framework/types';
import { newTestHandle } from '../../testing/handle';
import { makeNode, makePod } from '../../testing/wrappers';
import { ErrReasonPod, NodeAffinity as NodeAffinityPlugin, errReasonConflict, errReasonEnforced, newNodeAffinity, validateNodeAffinityArgs, type NodeAffinityArgs } from '.';

const podWith = (spec: Partial<Pod['spec']>): Pod => ({ metadata: {}, spec: { containers: [], ...spec } });
const required = (...terms: NodeSelectorTerm[]): Pod => podWith({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
const exprs = (...e: NodeSelectorRequirement[]): NodeSelectorTerm => ({ matchExpressions: e });
const names = (...values: string[][]): NodeSelectorTerm => ({ matchFields: values.map((v) => ({ key: 'metadata.name', operator: 'In' as const, values: v })) });
const addedRequired = (...terms: NodeSelectorTerm[]): NodeAffinityArgs => ({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
const unres = (r: string) => ({ code: 'UnschedulableAndUnresolvable', reasons: [r], plugin: '' });

describe('TestNodeAffinity', () => {
  type Case = { name: string; pod: Pod; labels?: Record<string, string>; nodeName?: string; want?: string; wantPreFilter?: { code: string; reasons: string[] }; wantResult?: string[]; args?: NodeAffinityArgs; runPreFilter?: boolean };
  const fooBar = { foo: 'bar' };
  const gpuExists = { key: 'GPU', operator: 'Exists' as const };
  const cases: Case[] = [
    { name: 'missing labels', pod: podWith({ nodeSelector: fooBar }), want: ErrReasonPod },
    { name: 'same labels', pod: podWith({ nodeSelector: fooBar }), labels: fooBar },
    { name: 'node labels are superset', pod: podWith({ nodeSelector: fooBar }), labels: { foo: 'bar', baz: 'blah' } },
    { name: 'node labels are subset', pod: podWith({ nodeSelector: { foo: 'bar', baz: 'blah' } }), labels: fooBar, want: ErrReasonPod },
    { name: 'Pod with matchExpressions using In operator that matches the existing node', pod: required(exprs({ key: 'foo', operator: 'In', values: ['bar', 'value2'] })), labels: fooBar },
    { name: 'Pod with matchExpressions using Gt operator that matches the existing node', pod: required(exprs({ key: 'kernel-version', operator: 'Gt', values: ['0204'] })), labels: { 'kernel-version': '0206' } },
    { name: 'Pod with matchExpressions using NotIn operator that matches the existing node', pod: required(exprs({ key: 'mem-type', operator: 'NotIn', values: ['DDR', 'DDR2'] })), labels: { 'mem-type': 'DDR3' } },
    { name: 'Pod with matchExpressions using Exists operator that matches the existing node', pod: required(exprs(gpuExists)), labels: { GPU: 'NVIDIA-GRID-K1' } },
    { name: "Pod with affinity that don't match node's labels won't schedule onto the node", pod: required(exprs({ key: 'foo', operator: 'In', values: ['value1', 'value2'] })), labels: fooBar, want: ErrReasonPod },
    { name: "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node", pod: required({ matchExpressions: [] }), labels: fooBar, want: ErrReasonPod },
    { name: 'Pod with no Affinity will schedule onto a node', pod: podWith({}), labels: fooBar, wantPreFilter: { code: 'Skip', reasons: [] } },
    { name: 'Pod with Affinity but nil NodeSelector will schedule onto a node', pod: podWith({ affinity: { nodeAffinity: {} } }), labels: fooBar, wantPreFilter: { code: 'Skip', reasons: [] } },
    { name: 'Pod with multiple matchExpressions ANDed that matches the existing node', pod: required(exprs(gpuExists, { key: 'GPU', operator: 'NotIn', values: ['AMD', 'INTER'] })), labels: { GPU: 'NVIDIA-GRID-K1' } },
    { name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node", pod: required(exprs(gpuExists, { key: 'GPU', operator: 'In', values: ['AMD', 'INTER'] })), labels: { GPU: 'NVIDIA-GRID-K1' }, want: ErrReasonPod },
    {
      name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
      pod: required(exprs({ key: 'foo', operator: 'In', values: ['bar', 'value2'] }), exprs({ key: 'diffkey', operator: 'In', values: ['wrong', 'value2'] })), labels: fooBar,
    },
    {
      name: 'Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node',
      pod: { ...required(exprs({ key: 'foo', operator: 'Exists' })), spec: { ...required(exprs({ key: 'foo', operator: 'Exists' })).spec, nodeSelector: fooBar } }, labels: fooBar,
    },
    {
      name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
      pod: { ...required(exprs({ key: 'foo', operator: 'Exists' })), spec: { ...required(exprs({ key: 'foo', operator: 'Exists' })).spec, nodeSelector: fooBar } }, labels: { foo: 'barrrrrr' }, want: ErrReasonPod,
    },
    { name: "Pod with an invalid value in Affinity term won't be scheduled onto the node", pod: required(exprs({ key: 'foo', operator: 'NotIn', values: ['invalid value: ___@#$%^'] })), labels: fooBar, want: ErrReasonPod },
    { name: 'Pod with matchFields using In operator that matches the existing node', pod: required(names(['node1'])), nodeName: 'node1', wantResult: ['node1'] },
    { name: 'Pod with matchFields using In operator that does not match the existing node', pod: required(names(['node1'])), nodeName: 'node2', want: ErrReasonPod, wantResult: ['node1'] },
    { name: 'Pod with two terms: matchFields does not match, but matchExpressions matches', pod: required(names(['node1'], ['node2']), exprs({ key: 'foo', operator: 'In', values: ['bar'] })), nodeName: 'node2', labels: fooBar },
    {
      name: 'Pod with one term: matchFields does not match, but matchExpressions matches',
      pod: required({ ...names(['node1']), ...exprs({ key: 'foo', operator: 'In', values: ['bar'] }) }), nodeName: 'node2', labels: fooBar, want: ErrReasonPod, wantResult: ['node1'],
    },
    {
      name: 'Pod with one term: both matchFields and matchExpressions match',
      pod: required({ ...names(['node1']), ...exprs({ key: 'foo', operator: 'In', values: ['bar'] }) }), nodeName: 'node1', labels: fooBar, wantResult: ['node1'],
    },
    { name: 'Pod with two terms: both matchFields and matchExpressions do not match', pod: required(names(['node1']), exprs({ key: 'foo', operator: 'In', values: ['not-match-to-bar'] })), nodeName: 'node2', labels: fooBar, want: ErrReasonPod },
    { name: 'Pod with two terms of node.Name affinity', pod: required(names(['node1']), names(['node2'])), nodeName: 'node2', wantResult: ['node1', 'node2'] },
    {
      name: 'Pod with two conflicting mach field requirements', pod: required(names(['node1'], ['node2'])), nodeName: 'node2', labels: fooBar,
      wantPreFilter: { code: 'UnschedulableAndUnresolvable', reasons: [errReasonConflict] }, want: ErrReasonPod,
    },
    { name: "Matches added affinity and Pod's node affinity", pod: required(exprs({ key: 'zone', operator: 'In', values: ['foo'] })), nodeName: 'node2', labels: { zone: 'foo' }, args: addedRequired(names(['node2'])) },
    {
      name: "Matches added affinity but not Pod's node affinity", pod: required(exprs({ key: 'zone', operator: 'In', values: ['bar'] })), nodeName: 'node2', labels: { zone: 'foo' },
      args: addedRequired(names(['node2'])), want: ErrReasonPod,
    },
    { name: "Doesn't match added affinity", pod: podWith({}), nodeName: 'node2', labels: { zone: 'foo' }, args: addedRequired(exprs({ key: 'zone', operator: 'In', values: ['bar'] })), want: errReasonEnforced },
    { name: 'Matches node selector correctly even if PreFilter is not called', pod: podWith({ nodeSelector: fooBar }), labels: { foo: 'bar', baz: 'blah' }, runPreFilter: false },
    {
      name: 'Matches node affinity correctly even if PreFilter is not called', pod: required(exprs(gpuExists, { key: 'GPU', operator: 'NotIn', values: ['AMD', 'INTER'] })),
      labels: { GPU: 'NVIDIA-GRID-K1' }, runPreFilter: false,
    },
  ];
  for (const c of cases) {
    it(`TestNodeAffinity/${c.name}`, () => {
      const node: Node = { metadata: { ...(c.nodeName ? { name: c.nodeName } : {}), ...(c.labels ? { labels: c.labels } : {}) } };
      const ni = new NodeInfo();
      ni.setNode(node);
      const p = newNodeAffinity(c.args ?? {});
      const state = new CycleState();
      if (c.runPreFilter !== false) {
        const [result, st] = p.preFilter!(state, c.pod, []);
        expect(st ? { code: st.code, reasons: st.reasons } : null).toEqual(c.wantPreFilter ?? null);
        expect(result ? [...(result.nodeNames ?? [])].sort() : null).toEqual(c.wantResult ?? null);
      }
      const got = p.filter!(state, c.pod, ni);
      expect(got ? got.toJSON() : null).toEqual(c.want ? unres(c.want) : null);
    });
  }
});

describe('TestNodeAffinityPriority', () => {
  const label1 = { foo: 'bar' };
  const label2 = { key: 'value' };
  const label3 = { az: 'az1' };
  const label4 = { abc: 'az11', def: 'az22' };
  const label5 = { foo: 'bar', key: 'value', az: 'az1' };
  const inTerm = (key: string, v: string) => ({ key, operator: 'In' as const, values: [v] });
  const affinity1: Affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 2, preference: exprs(inTerm('foo', 'bar')) }] } };
  const affinity2: Affinity = {
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 2, preference: exprs(inTerm('foo', 'bar')) },
        { weight: 4, preference: exprs(inTerm('key', 'value')) },
        { weight: 5, preference: exprs(inTerm('foo', 'bar'), inTerm('key', 'value'), inTerm('az', 'az1')) },
      ],
    },
  };
  const n = (name: string, labels: Record<string, string>): Node => ({ metadata: { name, labels } });
  type Case = { name: string; pod: Pod; nodes: Node[]; expected?: NodeScore[]; args?: NodeAffinityArgs; runPreScore?: boolean; wantPreScore?: { code: string; message: string } };
  const cases: Case[] = [
    {
      name: 'all nodes are same priority as NodeAffinity is nil', pod: podWith({}), nodes: [n('node1', label1), n('node2', label2), n('node3', label3)],
      expected: [{ name: 'node1', score: 0 }, { name: 'node2', score: 0 }, { name: 'node3', score: 0 }],
    },
    { name: 'Skip is returned in PreScore when NodeAffinity is nil', pod: podWith({}), nodes: [n('node1', label1)], runPreScore: true, wantPreScore: { code: 'Skip', message: '' } },
    {
      name: 'PreScore returns error when an incoming Pod has a broken affinity',
      pod: podWith({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 2, preference: exprs({ key: 'invalid key', operator: 'In', values: ['bar'] }) }] } } }),
      nodes: [n('node1', label1)], runPreScore: true,
      wantPreScore: {
        code: 'Error',
        message: `[0].matchExpressions[0].key: Invalid value: "invalid key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      },
    },
    {
      name: "no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero", pod: podWith({ affinity: affinity1 }),
      nodes: [n('node1', label4), n('node2', label2), n('node3', label3)], expected: [{ name: 'node1', score: 0 }, { name: 'node2', score: 0 }, { name: 'node3', score: 0 }], runPreScore: true,
    },
    {
      name: 'only node1 matches the preferred scheduling requirements of pod', pod: podWith({ affinity: affinity1 }),
      nodes: [n('node1', label1), n('node2', label2), n('node3', label3)], expected: [{ name: 'node1', score: MaxNodeScore }, { name: 'node2', score: 0 }, { name: 'node3', score: 0 }], runPreScore: true,
    },
    {
      name: 'all nodes matches the preferred scheduling requirements of pod but with different priorities ', pod: podWith({ affinity: affinity2 }),
      nodes: [n('node1', label1), n('node5', label5), n('node2', label2)], expected: [{ name: 'node1', score: 18 }, { name: 'node5', score: MaxNodeScore }, { name: 'node2', score: 36 }], runPreScore: true,
    },
    {
      name: 'added affinity', pod: podWith({}), nodes: [n('node1', label1), n('node2', label2)],
      expected: [{ name: 'node1', score: MaxNodeScore }, { name: 'node2', score: 0 }], args: { addedAffinity: affinity1.nodeAffinity }, runPreScore: true,
    },
    {
      name: 'added affinity and pod has default affinity', pod: podWith({ affinity: affinity1 }), nodes: [n('node1', label1), n('node2', label2), n('node3', label5)],
      expected: [{ name: 'node1', score: 40 }, { name: 'node2', score: 60 }, { name: 'node3', score: MaxNodeScore }],
      args: { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, preference: exprs(inTerm('key', 'value')) }] } }, runPreScore: true,
    },
    {
      name: 'calculate the priorities correctly even if PreScore is not called', pod: podWith({ affinity: affinity2 }),
      nodes: [n('node1', label1), n('node5', label5), n('node2', label2)], expected: [{ name: 'node1', score: 18 }, { name: 'node5', score: MaxNodeScore }, { name: 'node2', score: 36 }], runPreScore: true,
    },
  ];
  for (const c of cases) {
    it(`TestNodeAffinityPriority/${c.name}`, () => {
      const h = newTestHandle({ nodes: c.nodes });
      const p = newNodeAffinity(c.args ?? {}, h);
      const state = new CycleState();
      const infos = h.snapshot.nodeInfos().list();
      if (c.runPreScore) {
        const st = p.preScore!(state, c.pod, infos);
        expect(st ? { code: st.code, message: st.message() } : { code: 'Success', message: '' }).toEqual(c.wantPreScore ?? { code: 'Success', message: '' });
        if (st) return;
      }
      const got = infos.map((ni) => {
        const [score, st] = p.score!(state, c.pod, ni) as [number, unknown];
        expect(st).toBeNull();
        return { name: ni.name, score };
      });
      expect(p.scoreExtensions!()!.normalizeScore(state, c.pod, got)).toBeNull();
      expect(got).toEqual(c.expected);
    });
  }
});

describe('Test_isSchedulableAfterNodeChange', () => {
  const podWithNodeAffinity = () => makePod().nodeAffinityIn('foo', ['bar']).obj();
  const enforced: NodeAffinityArgs = addedRequired(exprs({ key: 'foo', operator: 'In', values: ['bar'] }));
  const node = () => makeNode();
  const cases: { ref: string; args: NodeAffinityArgs; oldObj?: unknown; newObj: unknown; want: string }[] = [
    { ref: 'backoff-wrong-new-object', args: {}, newObj: 'not-a-node', want: 'Queue' },
    { ref: 'backoff-wrong-old-object', args: {}, oldObj: 'not-a-node', newObj: node().obj(), want: 'Queue' },
    { ref: 'skip-queue-on-add', args: {}, newObj: node().obj(), want: 'QueueSkip' },
    { ref: 'queue-on-add', args: {}, newObj: node().label('foo', 'bar').obj(), want: 'Queue' },
    { ref: 'skip-unrelated-changes', args: {}, oldObj: node().obj(), newObj: node().capacity({}).obj(), want: 'QueueSkip' },
    { ref: 'skip-unrelated-changes-on-labels', args: {}, oldObj: node().obj(), newObj: node().label('k', 'v').obj(), want: 'QueueSkip' },
    { ref: 'skip-labels-changes-on-node-from-suitable-to-unsuitable', args: {}, oldObj: node().label('foo', 'bar').obj(), newObj: node().label('k', 'v').obj(), want: 'QueueSkip' },
    { ref: 'queue-on-labels-change-makes-pod-schedulable', args: {}, oldObj: node().obj(), newObj: node().label('foo', 'bar').obj(), want: 'Queue' },
    { ref: 'skip-queue-on-add-scheduler-enforced-node-affinity', args: enforced, newObj: node().obj(), want: 'QueueSkip' },
    { ref: 'queue-on-add-scheduler-enforced-node-affinity', args: enforced, newObj: node().label('foo', 'bar').obj(), want: 'Queue' },
  ];
  for (const c of cases) {
    it(`Test_isSchedulableAfterNodeChange/${c.ref}`, () => {
      const p = newNodeAffinity(c.args) as NodeAffinityPlugin;
      expect(p.isSchedulableAfterNodeChange(podWithNodeAffinity(), c.oldObj, c.newObj)).toBe(c.want);
    });
  }
});

describe('TestValidateNodeAffinityArgs', () => {
  const fields = (errs: FieldError[]) => errs.map((e) => ({ type: e.type, field: e.field }));
  const valid: NodeAffinity = {
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [exprs({ key: 'label-1', operator: 'In', values: ['label-1-val'] })] },
    preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: names(['node-1']) }],
  };
  const bad: NodeAffinity = {
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [exprs({ key: 'label 1', operator: 'In', values: ['label-1-val'] })] },
    preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: names(['node-1', 'node-2']) }],
  };
  it('TestValidateNodeAffinityArgs/empty', () => expect(validateNodeAffinityArgs(null, {})).toEqual([]));
  it('TestValidateNodeAffinityArgs/valid added affinity', () => expect(validateNodeAffinityArgs(null, { addedAffinity: valid })).toEqual([]));
  it('TestValidateNodeAffinityArgs/invalid added affinity', () => {
    expect(fields(validateNodeAffinityArgs(null, { addedAffinity: bad }))).toEqual([
      { type: 'FieldValueInvalid', field: 'addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key' },
      { type: 'FieldValueInvalid', field: 'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].matchFields[0].values' },
    ]);
  });
  it('errors carry the config path, and the factory refuses bad args', () => {
    const errs = validateNodeAffinityArgs(newPath('profiles').index(0).child('pluginConfig').index(1).child('args'), { addedAffinity: bad });
    expect(errs[1].message).toBe('profiles[0].pluginConfig[1].args.addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].matchFields[0].values: Invalid value: ["node-1","node-2"]: must have one element');
    expect(() => newNodeAffinity({ addedAffinity: bad })).toThrow(/addedAffinity\.requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms\[0\]/);
  });
});
