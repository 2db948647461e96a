// Patches: JSON merge patch and JSON patch against evanphx/json-patch v4.12.0's merge_test.go and
// patch_test.go; strategic merge patch against every application case of apimachinery v0.34.0
// pkg/util/strategicpatch/patch_test.go (TestStrategicMergePatch, TestCustomStrategicMergePatch,
// replayed from src/sim/apimachinery/testdata/strategicpatch-cases.json with upstream's MergeItem
// test type), and on the built-in kinds with the struct tags of k8s.io/api v0.34.0.
import { describe, expect, it } from 'vitest';
import { isBadRequest, isInvalid } from '../../src/sim/apimachinery/errors';
import { applyJSONPatch, createMergePatch, decodePatch, ErrBadJSONPatch, mergeMergePatches, mergePatch } from '../../src/sim/apimachinery/jsonpatch';
import type { PatchMetaField } from '../../src/sim/apimachinery/patch_meta.generated';
import {
  ErrUnsupportedStrategicMergePatchFormat,
  interpretStrategicMergePatchError,
  PatchMetaFromStruct,
  patchMetaForKind,
  strategicMergePatch,
} from '../../src/sim/apimachinery/strategicpatch';
import data from '../../src/sim/apimachinery/testdata/strategicpatch-cases.json';
import { applyPatch, CUSTOM_RESOURCE_PATCH_TYPES, JSONPatchType, MergePatchType, StrategicMergePatchType } from '../../src/sim/apimachinery/patch';
import { StatusError } from '../../src/sim/core/errors';

describe('JSON merge patch (merge_test.go)', () => {
  it.each([
    ['{"a":"b"}', '{"a":"c"}', { a: 'c' }],
    ['{"a":"b"}', '{"b":"c"}', { a: 'b', b: 'c' }],
    ['{"a":"b"}', '{"a":null}', {}],
    ['{"a":"b","b":"c"}', '{"a":null}', { b: 'c' }],
    ['{"a":["b"]}', '{"a":"c"}', { a: 'c' }],
    ['{"a":"c"}', '{"a":["b"]}', { a: ['b'] }],
    ['{"a":{"b": "c"}}', '{"a": {"b": "d","c": null}}', { a: { b: 'd' } }],
    ['{"a":[{"b":"c"}]}', '{"a":[1]}', { a: [1] }],
    ['["a","b"]', '["c","d"]', ['c', 'd']],
    ['{"a":"b"}', '["c"]', ['c']],
    ['{"e":null}', '{"a":1}', { a: 1, e: null }],
    ['[1,2]', '{"a":"b","c":null}', { a: 'b' }],
    ['{}', '{"a":{"bb":{"ccc":null}}}', { a: { bb: {} } }],
  ])('%s + %s (TestMergePatchRFCCases)', (doc, patch, want) => {
    expect(mergePatch(doc, patch)).toEqual(want);
  });

  it.each([
    ['{"a": [ {"b":"c"} ] }', '{"a": [1]}', { a: [1] }],
    ['{"a": [ {"b":"c"} ] }', '{"a": [null, 1]}', { a: [null, 1] }],
    ['["a",null]', '[null]', [null]],
    ['{"a":[]}', '{"a": ["b", null, null, "a"]}', { a: ['b', null, null, 'a'] }],
  ])('%s + %s keeps nulls in arrays (TestMergePatchNilArray)', (doc, patch, want) => {
    expect(mergePatch(doc, patch)).toEqual(want);
  });

  it('replaces, recurses, and does not touch its arguments (TestMergePatchRecursesIntoObjects, TestMergePatchNilDoc)', () => {
    const doc = { person: { title: 'hello', age: 18 }, title: null };
    const patch = { person: { title: 'goodbye' }, title: { foo: 'bar' } };
    expect(mergePatch(doc, patch)).toEqual({ person: { title: 'goodbye', age: 18 }, title: { foo: 'bar' } });
    expect(doc).toEqual({ person: { title: 'hello', age: 18 }, title: null });
    expect(mergePatch({ array: ['one', 'two'] }, { array: [] })).toEqual({ array: [] });
  });

  it('fails with Invalid JSON Patch for null or a scalar patch (TestMergePatchFailRFCCases, TestMergePatchReturnsErrorOnBadJSON)', () => {
    expect(() => mergePatch('{"a":"foo"}', 'null')).toThrow(ErrBadJSONPatch);
    expect(() => mergePatch('{"a":"foo"}', '"bar"')).toThrow(ErrBadJSONPatch);
    expect(() => mergePatch('[[[[', '1')).toThrow('Invalid JSON Document');
    expect(() => mergePatch('1', '[[[[')).toThrow('Invalid JSON Patch');
  });

  it('createMergePatch and mergeMergePatches (TestCreateMergePatch*, TestMergeMergePatches)', () => {
    expect(createMergePatch({ title: 'hello', nested: { one: 1, two: 2 } }, { title: 'goodbye', nested: { one: 1, two: 3 } })).toEqual({ title: 'goodbye', nested: { two: 3 } });
    expect(createMergePatch({ a: 1, b: 2 }, { a: 1 })).toEqual({ b: null });
    expect(mergeMergePatches({ a: 1, b: null }, { c: null })).toEqual({ a: 1, b: null, c: null });
  });
});

describe('JSON patch (patch_test.go)', () => {
  const cases: Array<[string, string, unknown]> = [
    ['{ "foo": "bar"}', '[{ "op": "add", "path": "/baz", "value": "qux" }]', { baz: 'qux', foo: 'bar' }],
    ['{ "foo": [ "bar", "baz" ] }', '[{ "op": "add", "path": "/foo/1", "value": "qux" }]', { foo: ['bar', 'qux', 'baz'] }],
    ['{ "foo": [ "bar", "baz" ] }', '[{ "op": "add", "path": "/foo/-1", "value": "qux" }]', { foo: ['bar', 'baz', 'qux'] }],
    ['{ "baz": "qux", "foo": "bar" }', '[ { "op": "remove", "path": "/baz" } ]', { foo: 'bar' }],
    ['{ "foo": [ "bar", "qux", "baz" ] }', '[ { "op": "remove", "path": "/foo/1" } ]', { foo: ['bar', 'baz'] }],
    ['{ "baz": "qux", "foo": "bar" }', '[ { "op": "replace", "path": "/baz", "value": "boo" } ]', { baz: 'boo', foo: 'bar' }],
    ['{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}', '[ { "op": "move", "from": "/foo/waldo", "path": "/qux/thud" } ]', { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } }],
    ['{ "foo": [ "all", "grass", "cows", "eat" ] }', '[ { "op": "move", "from": "/foo/1", "path": "/foo/3" } ]', { foo: ['all', 'cows', 'eat', 'grass'] }],
    ['{ "foo": [ "all", "grass", "cows", "eat" ] }', '[ { "op": "move", "from": "/foo/1", "path": "/foo/2" } ]', { foo: ['all', 'cows', 'grass', 'eat'] }],
    ['{ "foo": ["bar"] }', '[ { "op": "add", "path": "/foo/-", "value": ["abc", "def"] } ]', { foo: ['bar', ['abc', 'def']] }],
    ['{ "foo": "bar", "qux": { "baz": 1, "bar": null } }', '[ { "op": "remove", "path": "/qux/bar" } ]', { foo: 'bar', qux: { baz: 1 } }],
    ['{ "foo": "bar" }', '[ { "op": "add", "path": "/baz", "value": null } ]', { baz: null, foo: 'bar' }],
    ['[ {"foo": ["bar","qux","baz"]}]', '[ { "op": "replace", "path": "/0/foo/0", "value": "bum"}]', [{ foo: ['bum', 'qux', 'baz'] }]],
    ['[ {"foo": ["bar","qux","baz"], "bar": ["qux","baz"]}]', '[ { "op": "copy", "from": "/0/foo/0", "path": "/0/bar/0"}]', [{ foo: ['bar', 'qux', 'baz'], bar: ['bar', 'qux', 'baz'] }]],
    ['{ "foo": ["bar"]}', '[{"op": "copy", "path": "/foo/0", "from": "/foo"}]', { foo: [['bar'], 'bar'] }],
    ['{ "foo": ["bar","qux","baz"]}', '[ { "op": "remove", "path": "/foo/-2"}]', { foo: ['bar', 'baz'] }],
    ['{ "foo": []}', '[ { "op": "add", "path": "/foo/-1", "value": "qux"}]', { foo: ['qux'] }],
    ['{ "bar": [{"baz": 1}]}', '[ { "op": "replace", "path": "/bar/0/baz", "value": null } ]', { bar: [{ baz: null }] }],
    [
      '{"id":"0","parentID":"0"}',
      '[{"op":"test","path":"","value":{"id":"0","parentID":"0"}},{"op":"replace","path":"","value":{"id":"7","originalID":"bar","parentID":"0"}}]',
      { id: '7', originalID: 'bar', parentID: '0' },
    ],
  ];
  it.each(cases)('%s with %s (TestAllCases)', (doc, patch, want) => {
    expect(applyJSONPatch(doc, patch)).toEqual(want);
  });

  it.each([
    ['{ "foo": "bar" }', '[ { "op": "add", "path": "/baz/bat", "value": "qux" } ]', 'add operation does not apply: doc is missing path: "/baz/bat": missing value'],
    ['{ "a": { "b": { "d": 1 } } }', '[ { "op": "remove", "path": "/a/b/c" } ]', "error in remove for path: '/a/b/c': Unable to remove nonexistent key: c: missing value"],
    ['{ "a": { "b": { "d": 1 } } }', '[ { "op": "move", "from": "/a/b/c", "path": "/a/b/e" } ]', "error in move for path: 'c': Unable to remove nonexistent key: c: missing value"],
    ['{ "a": { "b": [1] } }', '[ { "op": "remove", "path": "/a/b/1" } ]', "error in remove for path: '/a/b/1': Unable to access invalid index: 1: invalid index referenced"],
    ['{ "foo": "bar" }', '[ { "op": "add", "pathz": "/baz", "value": "qux" } ]', 'add operation failed to decode path: missing value'],
    ['{ "foo": "bar" }', '[ { "op": "add", "path": "", "value": "qux" } ]', 'add operation does not apply: doc is missing path: "": missing value'],
    ['{ "foo": ["bar","baz"]}', '[ { "op": "replace", "path": "/foo/2", "value": "bum"}]', 'replace operation does not apply: doc is missing key: /foo/2: missing value'],
    ['{ "foo": ["bar","baz"]}', '[ { "op": "add", "path": "/foo/-4", "value": "bum"}]', "error in add for path: '/foo/-4': Unable to access invalid index: -4: invalid index referenced"],
    ['{ "name":{ "foo": "bat", "qux": "bum"}}', '[ { "op": "replace", "path": "/foo/bar", "value":"baz"}]', 'replace operation does not apply: doc is missing path: /foo/bar: missing value'],
    ['{ "foo": []}', '[ {"op": "remove", "path": "/foo/-"}]', 'error in remove for path: \'/foo/-\': strconv.Atoi: parsing "-": invalid syntax'],
    ['{ "foo": ["bar"]}', '[ {"op": "remove", "path": "/foo/-2"}]', "error in remove for path: '/foo/-2': Unable to access invalid index: -2: invalid index referenced"],
    ['{}', '[ {"op":null,"path":""} ]', 'Unexpected kind: unknown'],
    ['{}', '[ {"op":"add","path":null} ]', 'add operation failed to decode path: missing value'],
    ['{}', '[ { "op": "copy", "from": null }]', 'copy operation failed to decode from: operation, missing from field: missing value'],
    ['{ "foo": ["bar"]}', '[{"op": "copy", "path": "/foo/6666666666", "from": "/"}]', 'error while adding value during copy: Unable to access invalid index: 6666666666: invalid index referenced'],
    ['{ "foo": [ "all", "grass", "cows", "eat" ] }', '[ { "op": "move", "from": "/foo/1", "path": "/foo/4" } ]', "error in move for path: '/foo/4': Unable to access invalid index: 4: invalid index referenced"],
  ])('%s with %s fails: %s (TestAllCases BadCases)', (doc, patch, msg) => {
    expect(() => applyJSONPatch(doc, patch)).toThrow(msg);
  });

  it.each([
    ['{"baz":"qux","foo":["a",2,"c"]}', '[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]', ''],
    ['{ "baz": "qux" }', '[ { "op": "test", "path": "/baz", "value": "bar" } ]', '/baz'],
    ['{"baz":"qux","foo":["a",2,"c"]}', '[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":"c"}]', '/foo/1'],
    ['{ "baz": "qux" }', '[ { "op": "test", "path": "/foo", "value": 42 } ]', '/foo'],
    ['{ "baz": "qux" }', '[ { "op": "test", "path": "/foo", "value": null } ]', ''],
    ['{ "foo": null }', '[ { "op": "test", "path": "/foo", "value": null } ]', ''],
    ['{ "foo": {} }', '[ { "op": "test", "path": "/foo", "value": null } ]', '/foo'],
    ['{ "foo": [] }', '[ { "op": "test", "path": "/foo", "value": null } ]', '/foo'],
    ['{ "baz/foo": "qux" }', '[ { "op": "test", "path": "/baz~1foo", "value": "qux"} ]', ''],
    ['{ "foo": [] }', '[ { "op": "test", "path": "/foo"} ]', '/foo'],
  ])('%s with %s: failed path %j (TestAllTest)', (doc, patch, failedPath) => {
    if (failedPath === '') expect(() => applyJSONPatch(doc, patch)).not.toThrow();
    else expect(() => applyJSONPatch(doc, patch)).toThrow(`testing value ${failedPath} failed: test failed`);
  });

  it('does not modify the document and decodes only arrays of objects (TestMutationCases, DecodePatch)', () => {
    const doc = { foo: 'bar', qux: { baz: 1, bar: null } };
    applyJSONPatch(doc, [{ op: 'replace', path: '/qux/baz', value: null }]);
    expect(doc).toEqual({ foo: 'bar', qux: { baz: 1, bar: null } });
    expect(() => decodePatch({ op: 'add' })).toThrow('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    expect(() => decodePatch(['add'])).toThrow('json: cannot unmarshal string into Go value of type jsonpatch.Operation');
  });

  it('keeps v4 quirks: replace of a missing object key adds it, copy of a missing key copies null', () => {
    expect(applyJSONPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }])).toEqual({ a: 1, b: 2 });
    expect(applyJSONPatch({ a: 1 }, [{ op: 'copy', from: '/missing', path: '/c' }])).toEqual({ a: 1, c: null });
    expect(applyJSONPatch({ a: 1 }, [{ op: 'replace', path: '', value: 5 }])).toEqual({ a: 1 });
  });
});

/** upstream's MergeItem and RetainKeysMergeItem test types (patch_test.go). */
const MERGE_ITEM: Record<string, Record<string, PatchMetaField>> = {
  'test.MergeItem': {
    name: ['string'],
    value: ['string'],
    other: ['string'],
    mergingList: ['[]test.MergeItem', 'merge', 'name'],
    nonMergingList: ['[]test.MergeItem'],
    mergingIntList: ['[]int64', 'merge'],
    nonMergingIntList: ['[]int64'],
    mergeItemPtr: ['*test.MergeItem', 'merge', 'name'],
    simpleMap: ['map:string'],
    replacingItem: ['opaque:runtime.RawExtension', 'replace'],
    retainKeysMap: ['test.RetainKeysMergeItem', 'retainKeys'],
    retainKeysMergingList: ['[]test.MergeItem', 'merge,retainKeys', 'name'],
  },
  'test.RetainKeysMergeItem': {
    name: ['string'],
    value: ['string'],
    other: ['string'],
    simpleMap: ['map:string'],
    mergingIntList: ['[]int64', 'merge'],
    mergingList: ['[]test.MergeItem', 'merge', 'name'],
    nonMergingList: ['[]test.MergeItem'],
  },
};
const mergeItem = new PatchMetaFromStruct('test.MergeItem', MERGE_ITEM);

interface UpstreamCase {
  suite: string;
  description: string;
  original: unknown;
  twoWay: unknown;
  modified: unknown;
  current: unknown;
  threeWay: unknown;
  result: unknown;
  twoWayResult: unknown;
  expectedError: string;
}
const upstream = (data as { cases: UpstreamCase[] }).cases;

describe('strategic merge patch: upstream cases on MergeItem', () => {
  const twoWay = upstream.filter((c) => c.twoWay !== null && (c.twoWayResult !== null || c.modified !== null || c.expectedError));
  it.each(twoWay.map((c) => [c.description, c] as const))('two-way patch applied to original: %s (%#)', (_d, c) => {
    if (c.expectedError) {
      expect(() => strategicMergePatch(c.original, c.twoWay, mergeItem)).toThrow(c.expectedError);
      return;
    }
    expect(strategicMergePatch(c.original, c.twoWay, mergeItem)).toEqual(c.twoWayResult ?? c.modified ?? {});
  });

  const threeWay = upstream.filter((c) => c.threeWay !== null && c.result !== null);
  it.each(threeWay.map((c) => [c.description, c] as const))('three-way patch applied to current: %s (%#)', (_d, c) => {
    expect(strategicMergePatch(c.current, c.threeWay, mergeItem)).toEqual(c.result);
  });

  it('covers the upstream application cases', () => {
    expect(twoWay.length).toBeGreaterThan(100);
    expect(threeWay.length).toBeGreaterThan(100);
  });
});

describe('strategic merge patch on built-in kinds (k8s.io/api v0.34.0 struct tags)', () => {
  const podMeta = patchMetaForKind('v1', 'Pod')!;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a.io/x'] },
    spec: {
      containers: [
        { name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }], args: ['--a'] },
        { name: 'sidecar', image: 'busybox' },
      ],
      tolerations: [{ key: 'a', operator: 'Exists' }],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };

  // Without $setElementOrder, items only in the patch come first, as upstream's mergeSortedSlice
  // puts an item it cannot place by the live order after the patch's items.
  it('merges containers by name, ports by containerPort, env by name; replaces args and tolerations', () => {
    const out = strategicMergePatch(
      pod,
      {
        metadata: { labels: { tier: 'fe' }, finalizers: ['b.io/y'] },
        spec: {
          containers: [{ name: 'app', image: 'nginx:1.26', ports: [{ containerPort: 443 }], env: [{ name: 'B', value: '2' }], args: ['--b'] }],
          tolerations: [{ key: 'b', operator: 'Exists' }],
        },
      },
      podMeta,
    ) as typeof pod;
    expect(out.metadata).toEqual({ name: 'web', labels: { app: 'web', tier: 'fe' }, finalizers: ['b.io/y', 'a.io/x'] });
    expect(out.spec.containers).toEqual([
      {
        name: 'app',
        image: 'nginx:1.26',
        ports: [{ containerPort: 443 }, { containerPort: 80 }],
        env: [
          { name: 'B', value: '2' },
          { name: 'A', value: '1' },
        ],
        args: ['--b'],
      },
      { name: 'sidecar', image: 'busybox' },
    ]);
    expect(out.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
    expect(pod.spec.containers[0].image).toBe('nginx:1.25');
  });

  it('deletes with $patch: delete, replaces with $patch: replace, and removes primitives with $deleteFromPrimitiveList', () => {
    const out = strategicMergePatch(
      pod,
      {
        metadata: { '$deleteFromPrimitiveList/finalizers': ['a.io/x'] },
        spec: { containers: [{ name: 'sidecar', $patch: 'delete' }], volumes: [{ name: 'cache', emptyDir: {} }, { $patch: 'replace' }] },
      },
      podMeta,
    ) as typeof pod;
    expect(out.metadata.finalizers).toEqual([]);
    expect(out.spec.containers.map((c) => c.name)).toEqual(['app']);
    expect(out.spec.volumes).toEqual([{ name: 'cache', emptyDir: {} }]);
  });

  it('applies $retainKeys to volumes (merge,retainKeys) and $setElementOrder to containers', () => {
    const out = strategicMergePatch(
      pod,
      {
        spec: {
          volumes: [{ name: 'data', hostPath: { path: '/d' }, $retainKeys: ['hostPath', 'name'] }],
          '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
        },
      },
      podMeta,
    ) as typeof pod;
    expect(out.spec.volumes).toEqual([{ name: 'data', hostPath: { path: '/d' } }]);
    expect(out.spec.containers.map((c) => c.name)).toEqual(['sidecar', 'app']);
  });

  it('merges Deployment templates and Service ports by port', () => {
    const deploy = patchMetaForKind('apps/v1', 'Deployment')!;
    const d = { spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'a:1' }] } } } };
    expect(strategicMergePatch(d, { spec: { replicas: 3, template: { spec: { containers: [{ name: 'app', image: 'a:2' }] } } } }, deploy)).toEqual({
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'app', image: 'a:2' }] } } },
    });
    const svc = patchMetaForKind('v1', 'Service')!;
    expect(strategicMergePatch({ spec: { ports: [{ port: 80, name: 'http' }] } }, { spec: { ports: [{ port: 443, name: 'https' }] } }, svc)).toEqual({
      spec: { ports: [{ port: 443, name: 'https' }, { port: 80, name: 'http' }] },
    });
  });

  it('reports upstream errors and the Status kube-apiserver answers with', () => {
    expect(() => strategicMergePatch({ spec: { containers: [{ name: 'a' }] } }, { spec: { containers: [{ image: 'x' }] } }, podMeta)).toThrow(
      'map: map[image:x] does not contain declared merge key: name',
    );
    expect(() => strategicMergePatch({ spec: { foo: { a: 1 } } }, { spec: { foo: { b: 2 } } }, podMeta)).toThrow('unable to find api field in struct PodSpec for the json field "foo"');
    expect(() => strategicMergePatch({}, { $patch: 'bogus', a: 1 }, podMeta)).toThrow('unknown patch type: bogus in map: map[$patch:bogus a:1]');
    expect(() => strategicMergePatch('<not json>', {}, podMeta)).toThrow('invalid JSON document');
    expect(() => strategicMergePatch({}, {}, patchMetaForKind('example.com/v1', 'Widget'))).toThrow(ErrUnsupportedStrategicMergePatchFormat);
    expect(isBadRequest(interpretStrategicMergePatchError(new Error('invalid JSON document')))).toBe(true);
    expect(isInvalid(interpretStrategicMergePatchError(new Error('lists of lists are not supported')))).toBe(true);
    expect(() => strategicMergePatch({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList': ['x'] } }, podMeta)).toThrow('invalid patch format of primitive list');
  });
});

// apiserver pkg/endpoints/handlers/patch.go: the Status each patch type fails with.
describe('applyPatch (the PATCH handler)', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'a', image: 'nginx' }] } };
  const opts = { apiVersion: 'v1', kind: 'Pod' };
  const statusOfCall = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof StatusError) return e.status;
      throw e;
    }
    throw new Error('no error');
  };

  it('applies each patch type', () => {
    expect(applyPatch(JSONPatchType, pod, [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' }], opts)).toMatchObject({ spec: { containers: [{ name: 'a', image: 'nginx:1.27' }] } });
    expect(applyPatch(`${MergePatchType}; charset=utf-8`, pod, { metadata: { labels: { app: 'web' } } }, opts)).toMatchObject({ metadata: { name: 'web', labels: { app: 'web' } } });
    expect(applyPatch(StrategicMergePatchType, pod, '{"spec":{"containers":[{"name":"b","image":"busybox"}]}}', opts)).toMatchObject({
      spec: { containers: [{ name: 'b', image: 'busybox' }, { name: 'a', image: 'nginx' }] },
    });
  });

  it('a custom resource takes no strategic merge patch (415)', () => {
    const st = statusOfCall(() => applyPatch(StrategicMergePatchType, {}, {}, { apiVersion: 'example.com/v1', kind: 'Widget', supportedTypes: CUSTOM_RESOURCE_PATCH_TYPES }));
    expect(st).toMatchObject({
      code: 415,
      reason: 'UnsupportedMediaType',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    });
  });

  it('a JSON patch operation that does not apply is 422 with the generic message', () => {
    const st = statusOfCall(() => applyPatch(JSONPatchType, pod, [{ op: 'test', path: '/spec/containers/0/image', value: 'redis' }], opts));
    expect(st).toMatchObject({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
  });

  it('an undecodable JSON patch is 400; too many operations 413', () => {
    expect(statusOfCall(() => applyPatch(JSONPatchType, pod, { op: 'add' }, opts))).toMatchObject({ code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' });
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'Pod' }));
    expect(statusOfCall(() => applyPatch(JSONPatchType, pod, ops, opts))).toMatchObject({
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    });
  });

  it('a merge patch that is not JSON is 400 Invalid JSON Patch', () => {
    expect(statusOfCall(() => applyPatch(MergePatchType, pod, '{', opts))).toMatchObject({ code: 400, message: ErrBadJSONPatch });
  });

  it('a strategic merge patch that is not an object, or a bad directive, is 400', () => {
    expect(statusOfCall(() => applyPatch(StrategicMergePatchType, pod, '[]', opts))).toMatchObject({ code: 400, message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' });
    expect(statusOfCall(() => applyPatch(StrategicMergePatchType, pod, { metadata: { '$deleteFromPrimitiveList': ['x'] } }, opts))).toMatchObject({
      code: 400,
      message: 'invalid patch format of primitive list',
    });
  });
});
