// Label and field selectors against apimachinery pkg/labels/selector_test.go and
// pkg/fields/selector_test.go (v0.34.0), plus the per-kind field label conversions of
// kubernetes pkg/apis/core/v1/conversion.go.
import { describe, expect, it } from 'vitest';
import * as fields from '../../src/sim/apimachinery/fields';
import * as labels from '../../src/sim/apimachinery/labels';

const KEY_REGEX_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('labels.parse', () => {
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'])('%j parses and prints back without spaces (TestSelectorParse)', (s) => {
    expect(labels.parse(s).toString()).toBe(s.replace(/ /g, ''));
  });

  it.each(['x=a||y=b', 'x==a==b', '!x=a', 'x<a'])('%j is rejected (TestSelectorParse)', (s) => {
    expect(() => labels.parse(s)).toThrow();
  });

  it('sorts requirements by key, deterministically (TestDeterministicParse)', () => {
    expect(labels.parse('x=a,a=x').toString()).toBe(labels.parse('a=x,x=a').toString());
    expect(labels.parse('x notin (abc,,def),bar,z in (),w').toString()).toBe('bar,w,x notin (,abc,def),z in ()');
  });

  it.each([
    ['', true],
    ['\rx', true],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', true],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', true],
    ['foo  in\t (abc)', true],
    ['x in (abc,)', true],
    ['x in ()', true],
    ['x notin ( )', true],
    ['x notin (, a)', true],
    ['a ', true],
    ['a in (x,y,notin, z,in)', true],
    ['x=a||y=b', false],
    ['x,,y', false],
    [',x,y', false],
    ['x nott in (y)', false],
    ['a in (xyz),', false],
    ['a in (xyz)b notin ()', false],
    ['a in (xyz abc)', false],
    ['a notin(', false],
    ['a (', false],
    ['(', false],
  ])('%j valid=%s (TestSetSelectorParser)', (s, valid) => {
    if (valid) expect(() => labels.parse(s)).not.toThrow();
    else expect(() => labels.parse(s)).toThrow();
  });

  it.each([
    ['x,,y', "found ',', expected: identifier after ','"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['-x', `unable to parse requirement: <nil>: Invalid value: "-x": ${KEY_REGEX_MSG}`],
    [
      'x=a||y=b',
      'unable to parse requirement: values[0][x]: Invalid value: "a||y": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
    ],
    ['x>a', 'unable to parse requirement: values[0]: Invalid value: "a": for \'Gt\', \'Lt\' operators, the value must be an integer'],
    ['==', "found '==', expected: !, identifier, or 'end of string'"],
  ])('%j fails with upstream text', (s, msg) => {
    expect(() => labels.parse(s)).toThrow(msg);
  });

  it.each([
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['x in (a,b)', { x: 'b' }, true],
    ['x notin (a,b)', {}, true],
  ])('%j matches %j: %s (TestSelectorMatches)', (s, set, want) => {
    expect(labels.parse(s).matches(set)).toBe(want);
    expect(labels.matches(s, set)).toBe(want);
  });

  it('everything, nothing and selectorFromSet (TestEverything, TestSetMatches, TestMatchesNothing)', () => {
    expect(labels.everything().matches({ x: 'y' })).toBe(true);
    expect(labels.everything().empty()).toBe(true);
    expect(labels.nothing().matches({})).toBe(false);
    expect(labels.matchesNothing(labels.nothing())).toBe(true);
    expect(labels.matchesNothing(labels.everything())).toBe(false);
    const sel = labels.selectorFromSet({ z: 'w', a: 'b' });
    expect(sel.toString()).toBe('a=b,z=w');
    expect(sel.matches({ a: 'b', z: 'w', extra: 'x' })).toBe(true);
    expect(labels.selectorFromSet({}).empty()).toBe(true);
    expect(labels.setString({ b: '2', a: '1' })).toBe('a=1,b=2');
  });

  it('requiresExactMatch (TestRequiresExactMatch)', () => {
    expect(labels.parse('key=value').requiresExactMatch('key')).toEqual({ value: 'value', found: true });
    expect(labels.parse('key in (value)').requiresExactMatch('key')).toEqual({ value: 'value', found: true });
    expect(labels.parse('key in (a,b)').requiresExactMatch('key')).toEqual({ value: '', found: false });
    expect(labels.parse('key!=value').requiresExactMatch('key')).toEqual({ value: '', found: false });
  });
});

describe('labels.newRequirement', () => {
  it.each([
    ['x1', 'in', [], 'values: Invalid value: []: for \'in\', \'notin\' operators, values set can\'t be empty'],
    ['x5', '=', ['bar', 'foo'], 'values: Invalid value: ["bar","foo"]: exact-match compatibility requires one single value'],
    ['x8', 'exists', ['foo'], 'values: Invalid value: ["foo"]: values set must be empty for exists and does not exist'],
    ['x13', 'gt', [], "values: Invalid value: []: for 'Gt', 'Lt' operators, exactly one value is required"],
    ['x14', 'gt', ['bar'], 'values[0]: Invalid value: "bar": for \'Gt\', \'Lt\' operators, the value must be an integer'],
    ['x', 'bad', ['a'], 'operator: Unsupported value: "bad": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"'],
  ])('%s %s %j -> %s (TestRequirementConstructor)', (key, op, vals, msg) => {
    expect(() => labels.newRequirement(key, op, vals)).toThrow(msg);
  });

  it('aggregates several errors as [a, b] (TestRequirementConstructor)', () => {
    expect(() => labels.newRequirement('-k', 'in', [])).toThrow(/^\[key: Invalid value: "-k": .*, values: Invalid value: \[\]: .*\]$/);
  });

  it('prints requirements as upstream (TestToString)', () => {
    const sel = labels.newSelector().add(
      labels.newRequirement('x', 'in', ['def', 'abc']),
      labels.newRequirement('y', 'notin', ['jkl']),
      labels.newRequirement('z', 'exists', []),
    );
    expect(sel.toString()).toBe('x in (abc,def),y notin (jkl),z');
    expect(
      labels
        .newSelector()
        .add(labels.newRequirement('x', 'gt', ['2']), labels.newRequirement('y', 'lt', ['8']), labels.newRequirement('z', '!', []))
        .toString(),
    ).toBe('x>2,y<8,!z');
  });
});

describe('labels.labelSelectorAsSelector (metav1 helpers_test.go TestLabelSelectorAsSelector)', () => {
  it('nil selects nothing, empty selects everything', () => {
    expect(labels.matchesNothing(labels.labelSelectorAsSelector(undefined))).toBe(true);
    expect(labels.labelSelectorAsSelector({}).empty()).toBe(true);
  });

  it('combines matchLabels and matchExpressions', () => {
    const sel = labels.labelSelectorAsSelector({
      matchLabels: { foo: 'bar' },
      matchExpressions: [
        { key: 'baz', operator: 'In', values: ['qux', 'norf'] },
        { key: 'gone', operator: 'DoesNotExist' },
        { key: 'there', operator: 'Exists' },
        { key: 'tier', operator: 'NotIn', values: ['db'] },
      ],
    });
    expect(sel.toString()).toBe('baz in (norf,qux),foo=bar,!gone,there,tier notin (db)');
    expect(sel.matches({ foo: 'bar', baz: 'qux', there: '' })).toBe(true);
    expect(sel.matches({ foo: 'bar', baz: 'qux', there: '', tier: 'db' })).toBe(false);
  });

  it('rejects an unknown operator and bad values', () => {
    expect(() => labels.labelSelectorAsSelector({ matchExpressions: [{ key: 'foo', operator: 'exists' }] })).toThrow('"exists" is not a valid label selector operator');
    expect(() => labels.labelSelectorAsSelector({ matchExpressions: [{ key: 'foo', operator: 'In', values: [] }] })).toThrow(
      "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
    );
  });

  it('labelSelectorAsMap and parseToLabelSelector (TestLabelSelectorAsMap, TestParseToLabelSelector)', () => {
    expect(labels.labelSelectorAsMap({ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['d'] }] })).toEqual({ a: 'b', c: 'd' });
    expect(() => labels.labelSelectorAsMap({ matchExpressions: [{ key: 'c', operator: 'Exists' }] })).toThrow('operator "Exists" cannot be converted into the old label selector format');
    expect(labels.parseToLabelSelector('app=web,tier in (fe,be),!canary')).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'canary', operator: 'DoesNotExist', values: [] },
        { key: 'tier', operator: 'In', values: ['be', 'fe'] },
      ],
    });
    expect(() => labels.parseToLabelSelector('x>1')).toThrow('"gt" isn\'t supported in label selectors');
  });
});

describe('fields.parseSelector', () => {
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b'])('%j parses and prints back (TestSelectorParse)', (s) => {
    expect(fields.parseSelector(s).toString()).toBe(s);
  });

  it.each([
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['k=\\a', 'invalid field selector: invalid escape sequence: \\a'],
    ['k=\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('%j fails: %s (TestSelectorParse)', (s, msg) => {
    expect(() => fields.parseSelector(s)).toThrow(msg);
  });

  it('sorts terms, matches and finds exact matches (TestDeterministicParse, TestSelectorMatches, TestRequiresExactMatch)', () => {
    expect(fields.parseSelector('x=a,a=x').toString()).toBe('a=x,x=a');
    const s = fields.parseSelector('spec.nodeName=,status.phase!=Failed');
    expect(s.matches({ 'spec.nodeName': '', 'status.phase': 'Running' })).toBe(true);
    expect(s.matches({ 'spec.nodeName': 'n1', 'status.phase': 'Running' })).toBe(false);
    expect(fields.parseSelector('metadata.name==web').requiresExactMatch('metadata.name')).toEqual({ value: 'web', found: true });
    expect(fields.everything().empty()).toBe(true);
    expect(fields.nothing().matches({})).toBe(false);
    expect(fields.escapeValue('a,b=c\\')).toBe('a\\,b\\=c\\\\');
    expect(fields.unescapeValue('a\\,b\\=c\\\\')).toBe('a,b=c\\');
  });

  it('transform drops terms mapped to empty and propagates errors (TestTransform)', () => {
    const sel = fields.parseSelector('a=b,c=d').transform((f, v) => (f === 'a' ? ['', ''] : [f, v]));
    expect(sel.toString()).toBe('c=d');
  });
});

describe('field selectors per kind (kube-apiserver ListResource)', () => {
  it.each([
    ['', 'Pod', 'spec.nodeName=n1,status.phase=Running', 'spec.nodeName=n1,status.phase=Running'],
    ['', 'Pod', 'spec.host=n1', 'spec.nodeName=n1'],
    ['', 'Node', 'spec.unschedulable=true', 'spec.unschedulable=true'],
    ['', 'Secret', 'type=Opaque', 'type=Opaque'],
    ['', 'Service', 'spec.type=NodePort', 'spec.type=NodePort'],
    ['apps', 'Deployment', 'metadata.name=web', 'metadata.name=web'],
  ])('%s/%s accepts %s', (group, kind, sel, want) => {
    expect(fields.parseFieldSelectorForKind(sel, group, kind).toString()).toBe(want);
  });

  it.each([
    ['', 'Pod', 'status.hostIP=10.0.0.1', 'field label not supported: status.hostIP'],
    ['', 'Node', 'metadata.namespace=default', 'field label not supported: metadata.namespace'],
    ['', 'ConfigMap', 'data.key=x', '"data.key" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    ['apps', 'ReplicaSet', 'status.replicas=1', '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'],
  ])('%s/%s rejects %s', (group, kind, sel, msg) => {
    expect(() => fields.parseFieldSelectorForKind(sel, group, kind)).toThrow(msg);
  });

  it('custom resources accept metadata.name, metadata.namespace when namespaced, and selectableFields', () => {
    const ns = fields.customResourceFieldLabelConversionFunc(false, ['spec.color']);
    expect(ns('spec.color', 'red')).toEqual(['spec.color', 'red']);
    expect(ns('metadata.namespace', 'a')).toEqual(['metadata.namespace', 'a']);
    expect(() => fields.customResourceFieldLabelConversionFunc(true)('metadata.namespace', 'a')).toThrow('field label not supported: metadata.namespace');
  });

  it('offers the selectable fields of each kind (pod strategy ToSelectableFields)', () => {
    const pod = { metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'n1' }, status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] } };
    expect(fields.toSelectableFields('', 'Pod', pod, true)).toEqual({
      'spec.nodeName': 'n1',
      'spec.restartPolicy': '',
      'spec.schedulerName': '',
      'spec.serviceAccountName': '',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.5',
      'status.nominatedNodeName': '',
      'metadata.name': 'web',
      'metadata.namespace': 'default',
    });
    expect(fields.toSelectableFields('', 'Node', { metadata: { name: 'n1' }, spec: { unschedulable: true } }, false)).toEqual({ 'spec.unschedulable': 'true', 'metadata.name': 'n1' });
    expect(fields.customResourceSelectableFields({ metadata: { name: 'a', namespace: 'ns' }, spec: { replicas: 3 } }, true, ['.spec.replicas', '.spec.color'])).toEqual({
      'spec.replicas': '3',
      'spec.color': '',
      'metadata.name': 'a',
      'metadata.namespace': 'ns',
    });
  });
});
