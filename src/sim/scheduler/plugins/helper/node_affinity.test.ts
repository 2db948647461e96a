/**
 * Ported from k8s.io/component-helpers scheduling/corev1/nodeaffinity/nodeaffinity_test.go at v0.34.0
 * (TestNodeSelectorMatch, TestPreferredSchedulingTermsScore, TestPodMatchesNodeSelectorAndAffinityTerms).
 */
import { describe, it, expect } from 'vitest';
import { Aggregate, FieldError } from '../../../apimachinery/field';
import type { Node, NodeSelector, NodeSelectorTerm, Pod, PreferredSchedulingTerm } from '../../../api/core/v1';
import { PreferredSchedulingTerms, getRequiredNodeAffinity, newNodeSelector } from './node_affinity';

const keyDetail = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`;
const node = (name?: string, labels?: Record<string, string>): Node => ({ metadata: { ...(name ? { name } : {}), ...(labels ? { labels } : {}) } });
const fieldIn = (v: string[]): NodeSelectorTerm => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: v }] });
const label1Host1: NodeSelectorTerm = {
  matchExpressions: [{ key: 'label_1', operator: 'In', values: ['label_1_val'] }],
  matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1'] }],
};
const invalidKey: NodeSelectorTerm = { matchExpressions: [{ key: 'invalid key', operator: 'In', values: ['label_value'] }] };

/** The aggregate's field errors as upstream's cmp.Diff with ignoreBadValue compares them. */
function fieldErrs(e: unknown): { type: string; field: string; detail: string }[] {
  expect(e).toBeInstanceOf(Aggregate);
  return (e as Aggregate).errors.map((x) => {
    expect(x).toBeInstanceOf(FieldError);
    const f = x as FieldError;
    return { type: f.type, field: f.field, detail: f.detail };
  });
}
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('TestNodeSelectorMatch', () => {
  const cases: { ref: string; ns: NodeSelector; node: Node | null; wantErr?: ReturnType<typeof fieldErrs>; want?: boolean }[] = [
    { ref: 'TestNodeSelectorMatch/nil node', ns: { nodeSelectorTerms: [] }, node: null, want: false },
    {
      ref: 'TestNodeSelectorMatch/invalid field selector and label selector',
      ns: { nodeSelectorTerms: [fieldIn(['host_1', 'host_2']), label1Host1, invalidKey] },
      node: null,
      wantErr: [
        { type: 'FieldValueInvalid', field: 'nodeSelectorTerms[0].matchFields[0].values', detail: 'must have one element' },
        { type: 'FieldValueInvalid', field: 'nodeSelectorTerms[2].matchExpressions[0].key', detail: keyDetail },
      ],
    },
    { ref: 'TestNodeSelectorMatch/node matches field selector, but not labels', ns: { nodeSelectorTerms: [label1Host1] }, node: node('host_1'), want: false },
    {
      ref: 'TestNodeSelectorMatch/node matches field selector and label selector',
      ns: { nodeSelectorTerms: [label1Host1] }, node: node('host_1', { label_1: 'label_1_val' }), want: true,
    },
    {
      ref: 'TestNodeSelectorMatch/second term matches',
      ns: { nodeSelectorTerms: [{ matchExpressions: label1Host1.matchExpressions }, fieldIn(['host_1'])] }, node: node('host_1'), want: true,
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      if (c.wantErr) {
        expect(fieldErrs(thrown(() => newNodeSelector(c.ns)))).toEqual(c.wantErr);
        return;
      }
      expect(newNodeSelector(c.ns).match(c.node)).toBe(c.want);
    });
  }
  it('TestNodeSelectorMatch: the aggregate prints as upstream (field path, bad value, detail)', () => {
    const e = thrown(() => newNodeSelector({ nodeSelectorTerms: [fieldIn(['host_1', 'host_2']), { matchExpressions: [{ key: 'k', operator: 'Bad' as never }] }] }));
    expect((e as Error).message).toBe(
      '[nodeSelectorTerms[0].matchFields[0].values: Invalid value: ["host_1","host_2"]: must have one element, ' +
        'nodeSelectorTerms[1].matchExpressions[0].operator: Unsupported value: "Bad": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]',
    );
  });
});

describe('TestPreferredSchedulingTermsScore', () => {
  const cases: { ref: string; terms: PreferredSchedulingTerm[]; node?: Node; wantErr?: ReturnType<typeof fieldErrs>; want?: number }[] = [
    {
      ref: 'TestPreferredSchedulingTermsScore/invalid field selector and label selector',
      terms: [{ weight: 1, preference: fieldIn(['host_1', 'host_2']) }, { weight: 1, preference: label1Host1 }, { weight: 1, preference: invalidKey }],
      wantErr: [
        { type: 'FieldValueInvalid', field: '[0].matchFields[0].values', detail: 'must have one element' },
        { type: 'FieldValueInvalid', field: '[2].matchExpressions[0].key', detail: keyDetail },
      ],
    },
    {
      ref: 'TestPreferredSchedulingTermsScore/invalid field selector but no weight, error not reported',
      terms: [{ weight: 0, preference: fieldIn(['host_1', 'host_2']) }], node: node('host_1'), want: 0,
    },
    {
      ref: 'TestPreferredSchedulingTermsScore/first and third term match',
      terms: [
        { weight: 5, preference: fieldIn(['host_1']) },
        { weight: 7, preference: { matchExpressions: [{ key: 'unknown_label', operator: 'In', values: ['unknown_label_val'] }] } },
        { weight: 11, preference: { matchExpressions: [{ key: 'label_1', operator: 'In', values: ['label_1_val'] }] } },
      ],
      node: node('host_1', { label_1: 'label_1_val' }), want: 16,
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      if (c.wantErr) {
        expect(fieldErrs(thrown(() => new PreferredSchedulingTerms(c.terms)))).toEqual(c.wantErr);
        return;
      }
      expect(new PreferredSchedulingTerms(c.terms).score(c.node!)).toBe(c.want);
    });
  }
});

describe('TestPodMatchesNodeSelectorAndAffinityTerms (RequiredNodeAffinity.Match)', () => {
  const ref = (n: string) => `TestPodMatchesNodeSelectorAndAffinityTerms/${n}`;
  const req = (...terms: NodeSelectorTerm[]): Pod['spec'] => ({ containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
  const expr = (key: string, operator: string, values?: string[]): NodeSelectorTerm => ({ matchExpressions: [{ key, operator: operator as never, ...(values ? { values } : {}) }] });
  const name1 = fieldIn(['node_1']);
  const cases: { name: string; spec: Pod['spec']; labels?: Record<string, string>; nodeName?: string; want: boolean }[] = [
    { name: 'no selector', spec: { containers: [] }, want: true },
    { name: 'missing labels', spec: { containers: [], nodeSelector: { foo: 'bar' } }, want: false },
    { name: 'same labels', spec: { containers: [], nodeSelector: { foo: 'bar' } }, labels: { foo: 'bar' }, want: true },
    { name: 'node labels are superset', spec: { containers: [], nodeSelector: { foo: 'bar' } }, labels: { foo: 'bar', baz: 'blah' }, want: true },
    { name: 'node labels are subset', spec: { containers: [], nodeSelector: { foo: 'bar', baz: 'blah' } }, labels: { foo: 'bar' }, want: false },
    { name: 'Pod with matchExpressions using In operator that matches the existing node', spec: req(expr('foo', 'In', ['bar', 'value2'])), labels: { foo: 'bar' }, want: true },
    { name: 'Pod with matchExpressions using Gt operator that matches the existing node', spec: req(expr('kernel-version', 'Gt', ['0204'])), labels: { 'kernel-version': '0206' }, want: true },
    { name: 'Pod with matchExpressions using NotIn operator that matches the existing node', spec: req(expr('mem-type', 'NotIn', ['DDR', 'DDR2'])), labels: { 'mem-type': 'DDR3' }, want: true },
    { name: 'Pod with matchExpressions using Exists operator that matches the existing node', spec: req(expr('GPU', 'Exists')), labels: { GPU: 'NVIDIA-GRID-K1' }, want: true },
    { name: "Pod with affinity that don't match node's labels won't schedule onto the node", spec: req(expr('foo', 'In', ['value1', 'value2'])), labels: { foo: 'bar' }, want: false },
    {
      name: "Pod with a nil []NodeSelectorTerm in affinity, can't match the node's labels and won't schedule onto the node",
      spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} as NodeSelector } } }, labels: { foo: 'bar' }, want: false,
    },
    { name: "Pod with an empty []NodeSelectorTerm in affinity, can't match the node's labels and won't schedule onto the node", spec: req(), labels: { foo: 'bar' }, want: false },
    { name: "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node", spec: req({ matchExpressions: [] }), labels: { foo: 'bar' }, want: false },
    { name: 'Pod with no Affinity will schedule onto a node', spec: { containers: [] }, labels: { foo: 'bar' }, want: true },
    { name: 'Pod with Affinity but nil NodeSelector will schedule onto a node', spec: { containers: [], affinity: { nodeAffinity: {} } }, labels: { foo: 'bar' }, want: true },
    {
      name: 'Pod with multiple matchExpressions ANDed that matches the existing node',
      spec: req({ matchExpressions: [{ key: 'GPU', operator: 'Exists' }, { key: 'GPU', operator: 'NotIn', values: ['AMD', 'INTER'] }] }), labels: { GPU: 'NVIDIA-GRID-K1' }, want: true,
    },
    {
      name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
      spec: req({ matchExpressions: [{ key: 'GPU', operator: 'Exists' }, { key: 'GPU', operator: 'In', values: ['AMD', 'INTER'] }] }), labels: { GPU: 'NVIDIA-GRID-K1' }, want: false,
    },
    {
      name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
      spec: req(expr('foo', 'In', ['bar', 'value2']), expr('diffkey', 'In', ['wrong', 'value2'])), labels: { foo: 'bar' }, want: true,
    },
    {
      name: 'Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node',
      spec: { ...req(expr('foo', 'Exists')), nodeSelector: { foo: 'bar' } }, labels: { foo: 'bar' }, want: true,
    },
    {
      name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
      spec: { ...req(expr('foo', 'Exists')), nodeSelector: { foo: 'bar' } }, labels: { foo: 'barrrrrr' }, want: false,
    },
    { name: "Pod with an invalid value in Affinity term won't be scheduled onto the node", spec: req(expr('foo', 'NotIn', ['invalid value: ___@#$%^'])), labels: { foo: 'bar' }, want: false },
    { name: 'Pod with matchFields using In operator that matches the existing node', spec: req(name1), nodeName: 'node_1', want: true },
    { name: 'Pod with matchFields using In operator that does not match the existing node', spec: req(name1), nodeName: 'node_2', want: false },
    { name: 'Pod with two terms: matchFields does not match, but matchExpressions matches', spec: req(name1, expr('foo', 'In', ['bar'])), nodeName: 'node_2', labels: { foo: 'bar' }, want: true },
    {
      name: 'Pod with one term: matchFields does not match, but matchExpressions matches',
      spec: req({ ...name1, ...expr('foo', 'In', ['bar']) }), nodeName: 'node_2', labels: { foo: 'bar' }, want: false,
    },
    { name: 'Pod with one term: both matchFields and matchExpressions match', spec: req({ ...name1, ...expr('foo', 'In', ['bar']) }), nodeName: 'node_1', labels: { foo: 'bar' }, want: true },
    {
      name: 'Pod with two terms: both matchFields and matchExpressions do not match',
      spec: req(name1, expr('foo', 'In', ['not-match-to-bar'])), nodeName: 'node_2', labels: { foo: 'bar' }, want: false,
    },
  ];
  for (const c of cases) {
    it(ref(c.name), () => {
      const pod: Pod = { metadata: {}, spec: c.spec };
      expect(getRequiredNodeAffinity(pod).match(node(c.nodeName, c.labels))[0]).toBe(c.want);
    });
  }
  it('a field requirement is skipped for a node without a name (as CheckNodeAffinity builds it)', () => {
    const pod: Pod = { metadata: {}, spec: req({ ...name1, ...expr('foo', 'In', ['bar']) }) };
    expect(getRequiredNodeAffinity(pod).match(node(undefined, { foo: 'bar' }))[0]).toBe(true);
  });
  it('the lazy error surfaces only when no term matches', () => {
    const pod: Pod = { metadata: {}, spec: req(expr('invalid key', 'In', ['x']), expr('foo', 'In', ['bar'])) };
    expect(getRequiredNodeAffinity(pod).match(node('n', { foo: 'bar' }))).toEqual([true, null]);
    const [ok, err] = getRequiredNodeAffinity(pod).match(node('n', { foo: 'baz' }));
    expect(ok).toBe(false);
    expect(err).toBe(`nodeSelectorTerms[0].matchExpressions[0].key: Invalid value: "invalid key": ${keyDetail}`);
  });
});
