import { describe, expect, it } from 'vitest';
import { humanDuration, formatRFC1123Z, klogTime, translateTimestampSince } from './duration';
import { goJson } from './json';
import { JsonPath } from './jsonpath';
import { DESCRIBE_TABWRITER, TABLE_TABWRITER, TabWriter, tabbed } from './tabwriter';
import { naturalLess, resolvesToString, toYaml } from './yaml';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration', () => {
  // ref: apimachinery pkg/util/duration/duration_test.go (TestHumanDuration, TestHumanDurationBoundaries)
  const cases: Array<[number, string]> = [
    [S, '1s'],
    [70 * S, '70s'],
    [190 * S, '3m10s'],
    [70 * M, '70m'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [(8 * 24 + 2) * H, '8d'],
    [367 * D, '367d'],
    [(365 * 2 * 24 + 25) * H, '2y1d'],
    [(365 * 8 * 24 + 2) * H, '8y'],
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [0, '0s'],
    [S - 1, '0s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [10 * M + S, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 59 * M, '8h'],
    [2 * D - 1, '47h'],
    [2 * D, '2d'],
    [2 * D + H, '2d1h'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [2 * 365 * D - 1, '729d'],
    [2 * 365 * D, '2y'],
    [2 * 365 * D + D, '2y1d'],
    [3 * 365 * D, '3y'],
  ];
  for (const [ms, want] of cases) {
    it(`${ms}ms -> ${want}`, () => expect(humanDuration(ms)).toBe(want));
  }

  it('an absent or bad timestamp is <unknown>, as Go prints the zero time', () => {
    expect(translateTimestampSince(undefined, 0)).toBe('<unknown>');
    expect(translateTimestampSince('not a time', 0)).toBe('<unknown>');
    expect(translateTimestampSince('2025-01-01T00:00:00Z', Date.UTC(2025, 0, 1, 0, 5))).toBe('5m');
  });

  it('formats RFC1123Z and klog header times in UTC', () => {
    expect(formatRFC1123Z('2025-01-01T00:02:10Z')).toBe('Wed, 01 Jan 2025 00:02:10 +0000');
    expect(formatRFC1123Z(undefined)).toBe('Mon, 01 Jan 0001 00:00:00 +0000');
    expect(klogTime(Date.UTC(2025, 5, 3, 11, 56, 52) + 123)).toBe('0603 11:56:52.123000');
  });
});

describe('TabWriter', () => {
  it('pads every column but the last to its widest cell plus the padding (minwidth 6)', () => {
    expect(tabbed('NAME\tREADY\tSTATUS\nweb\t1/1\tRunning\nlonger-name\t0/1\tPending\n', TABLE_TABWRITER)).toBe(
      'NAME          READY   STATUS\nweb           1/1     Running\nlonger-name   0/1     Pending\n',
    );
  });

  it('a line without tabs ends the column block (describe aligns each block on its own)', () => {
    expect(tabbed('Name:\tweb\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\n', DESCRIBE_TABWRITER)).toBe(
      'Name:       web\nNamespace:  default\nIPs:\n  IP:  10.0.0.1\n',
    );
  });

  it('remembers widths across flushes, so watch rows line up under the first table', () => {
    const w = new TabWriter(TABLE_TABWRITER);
    w.write('NAME\tSTATUS\nweb\tRunning\n');
    expect(w.flush()).toBe('NAME   STATUS\nweb    Running\n');
    w.write('a\tPending\n');
    expect(w.flush()).toBe('a      Pending\n');
    w.write('much-longer\tDone\n');
    expect(w.flush()).toBe('much-longer   Done\n');
  });
});

describe('goJson', () => {
  it('sorts keys and escapes HTML characters as Go does', () => {
    expect(goJson({ b: 1, a: '<x & y>', c: [true, null] })).toBe('{"a":"\\u003cx \\u0026 y\\u003e","b":1,"c":[true,null]}');
  });
  it('indents like json.MarshalIndent(v, "", "    ")', () => {
    expect(goJson({ a: { b: [1] }, e: {}, f: [] }, '    ')).toBe('{\n    "a": {\n        "b": [\n            1\n        ]\n    },\n    "e": {},\n    "f": []\n}');
  });
});

describe('toYaml (sigs.k8s.io/yaml over go-yaml v2)', () => {
  it('prints block style with indentless sequences and quotes what would read as another type', () => {
    expect(
      toYaml({
        kind: 'Pod',
        metadata: { name: 'web', creationTimestamp: '2025-01-01T00:00:00Z', labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', ports: [{ containerPort: 80 }], args: ['80', 'true', '', '-', 'a: b'] }], nodeSelector: {} },
        list: [[1, 2], []],
      }),
    ).toBe(
      [
        'kind: Pod',
        'list:',
        '- - 1',
        '  - 2',
        '- []',
        'metadata:',
        '  creationTimestamp: "2025-01-01T00:00:00Z"',
        '  labels:',
        '    app: web',
        '  name: web',
        'spec:',
        '  containers:',
        '  - args:',
        '    - "80"',
        '    - "true"',
        '    - ""',
        "    - '-'",
        "    - 'a: b'",
        '    name: web',
        '    ports:',
        '    - containerPort: 80',
        '  nodeSelector: {}',
        '',
      ].join('\n'),
    );
  });

  it('writes multi-line text as a literal block and folds long text after column 80', () => {
    const text = toYaml({ a: { note: '{"apiVersion":"v1"}\n', msg: '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available.' } });
    expect(text).toBe(
      [
        'a:',
        "  msg: '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:",
        "    }. preemption: 0/1 nodes are available.'",
        '  note: |',
        '    {"apiVersion":"v1"}',
        '',
      ].join('\n'),
    );
    expect(toYaml({ s: 'no newline\nat end' })).toBe('s: |-\n  no newline\n  at end\n');
  });

  it('resolves plain scalars as go-yaml v2 does', () => {
    for (const s of ['yes', 'NO', 'on', '~', '1.5', '0x1F', '1_000', '2025-01-01', '1:30']) expect(resolvesToString(s), s).toBe(false);
    for (const s of ['nginx:1.27', '100m', '128Mi', 'v1', 'app.kubernetes.io/name']) expect(resolvesToString(s), s).toBe(true);
  });

  it('orders keys naturally (numbers by value, letters after other characters)', () => {
    expect(['a10', 'a9', 'b', 'a', 'A', '_x'].sort(naturalLess)).toEqual(['_x', 'A', 'a', 'a9', 'a10', 'b']);
  });
});

describe('JsonPath', () => {
  // ref: client-go util/jsonpath/jsonpath_test.go (TestKubernetes, TestJSONInput, TestNestedRanges, TestStructInput)
  const nodes = {
    kind: 'List',
    items: [
      { kind: 'None', metadata: { name: '127.0.0.1', labels: { 'kubernetes.io/hostname': '127.0.0.1' } }, status: { capacity: { cpu: '4' }, ready: true, addresses: [{ type: 'LegacyHostIP', address: '127.0.0.1' }] } },
      {
        kind: 'None',
        metadata: { name: '127.0.0.2', labels: { 'kubernetes.io/hostname': '127.0.0.2' } },
        status: { capacity: { cpu: '8' }, ready: false, addresses: [{ type: 'LegacyHostIP', address: '127.0.0.2' }, { type: 'another', address: '127.0.0.3' }] },
      },
    ],
    users: [
      { name: 'myself', user: {} },
      { name: 'e2e', user: { username: 'admin', password: 'secret' } },
    ],
  };
  const cases: Array<[string, string, unknown, string]> = [
    ['range item', '{range .items[*]}{.metadata.name}, {end}{.kind}', nodes, '127.0.0.1, 127.0.0.2, List'],
    ['range item with quote', '{range .items[*]}{.metadata.name}{"\\t"}{end}', nodes, '127.0.0.1\t127.0.0.2\t'],
    ['range addresss', '{.items[*].status.addresses[*].address}', nodes, '127.0.0.1 127.0.0.2 127.0.0.3'],
    ['double range', '{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}', nodes, '127.0.0.1, 127.0.0.2, 127.0.0.3, '],
    ['item name', '{.items[*].metadata.name}', nodes, '127.0.0.1 127.0.0.2'],
    ['union nodes capacity', "{.items[*]['metadata.name', 'status.capacity']}", nodes, '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'],
    ['range nodes capacity', '{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}', nodes, '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '],
    ['user password', '{.users[?(@.name=="e2e")].user.password}', nodes, 'secret'],
    ['hostname', '{.items[0].metadata.labels.kubernetes\\.io/hostname}', nodes, '127.0.0.1'],
    ['hostname filter', '{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}', nodes, 'None'],
    ['bool item', '{.items[?(@..ready==true)].metadata.name}', nodes, '127.0.0.1'],
    ['plain', 'hello jsonpath', null, 'hello jsonpath'],
    ['recursive', '{..}', [1, 2, 3], '[1,2,3]'],
    ['filter', '{[?(@<5)]}', [2, 6, 3, 7], '2 3'],
    ['quote', '{"{"}', null, '{'],
    ['union', '{[1,3,4]}', [0, 1, 2, 3, 4], '1 3 4'],
    ['array', '{[0:2]}', ['Monday', 'Tudesday'], 'Monday Tudesday'],
    ['negative index', '{[-1]}', ['a', 'b', 'c'], 'c'],
    ['exists filter', '{[?(@.z)].id}', [{ id: 'i1', x: 4 }, { id: 'i2', z: 1 }, { id: 'i5', z: 1 }], 'i2 i5'],
    ['nil value', "{[-1]['x']}", [{ x: 4 }, { x: null }], 'null'],
    [
      'nested range',
      '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}',
      { items: [{ metadata: { name: 'pod1' }, spec: { containers: [{ name: 'foo' }, { name: 'bar' }] } }, { metadata: { name: 'pod2' }, spec: { containers: [{ name: 'baz' }] } }] },
      'pod1:foo,bar,+pod2:baz,+',
    ],
  ];
  for (const [name, template, data, want] of cases) {
    it(name, () => expect(new JsonPath(template).execute(data)).toBe(want));
  }

  it('missing keys print nothing when allowed (kubectl allows them), fail otherwise', () => {
    const jp = new JsonPath('before-{.hello}after');
    jp.allowMissingKeys = true;
    expect(jp.execute({})).toBe('before-after');
    expect(() => new JsonPath('{.hello}').execute({})).toThrow('hello is not found');
  });

  it('reports client-go errors', () => {
    expect(() => new JsonPath('{hello}').execute({})).toThrow('unrecognized identifier hello');
    expect(() => new JsonPath('{.a[0]}').execute({ a: { b: 1 } })).toThrow('is not array or slice');
    expect(() => new JsonPath('{.a[?(@.p<>10)]}').execute({ a: [{ p: 1 }] })).toThrow('unrecognized filter operator <>');
    expect(() => new JsonPath('{range .a[*]}{@}{end}{end}').execute({ a: [1] })).toThrow('not in range, nothing to end');
    expect(() => new JsonPath('{.a')).toThrow('unclosed action');
    expect(() => new JsonPath('{.a[0}')).toThrow();
  });

  it('jsonpath-as-json prints each action as an indented JSON array', () => {
    expect(new JsonPath('{.items[*].metadata.name}').executeJson(nodes)).toBe('[\n    "127.0.0.1",\n    "127.0.0.2"\n]\n');
  });
});
