import { describe, expect, it } from 'vitest';
import { NamespaceIndex, indexFuncToKeyFuncAdapter, metaNamespaceIndexFunc } from './index_funcs';

const pod = (namespace: string | undefined, name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } });

describe('metaNamespaceIndexFunc', () => {
  it.each([
    { ref: 'MetaNamespaceIndexFunc', obj: pod('default', 'web'), values: ['default'] },
    { ref: 'MetaNamespaceIndexFunc (cluster-scoped)', obj: pod(undefined, 'node-1'), values: [''] },
  ])('$ref: $values', ({ obj, values }) => {
    expect(metaNamespaceIndexFunc(obj)).toEqual(values);
  });

  it('throws the upstream wording for a value that is not an API object', () => {
    for (const bad of ['default/web', 42, null, { name: 'x' }]) {
      expect(() => metaNamespaceIndexFunc(bad)).toThrow(new Error('object has no meta: object does not implement the Object interfaces'));
    }
  });

  it('is registered under NamespaceIndex = "namespace"', () => {
    expect(NamespaceIndex).toBe('namespace');
  });
});

describe('indexFuncToKeyFuncAdapter', () => {
  const byTags = indexFuncToKeyFuncAdapter((obj) => (obj as { tags: string[] }).tags);

  it.each([
    { ref: 'IndexFuncToKeyFuncAdapter (one value)', tags: ['a'], key: 'a' },
    { ref: 'IndexFuncToKeyFuncAdapter (empty value)', tags: [''], key: '' },
  ])('$ref', ({ tags, key }) => {
    expect(byTags({ tags })).toBe(key);
  });

  it.each([
    { ref: 'IndexFuncToKeyFuncAdapter (too many)', tags: ['a', 'b'], error: 'too many keys: [a b]' },
    { ref: 'IndexFuncToKeyFuncAdapter (none)', tags: [], error: 'unexpected empty indexKeys' },
  ])('$ref: $error', ({ tags, error }) => {
    expect(() => byTags({ tags })).toThrow(new Error(error));
  });

  it('passes on what the index function throws', () => {
    expect(() => indexFuncToKeyFuncAdapter(metaNamespaceIndexFunc)(7)).toThrow('object has no meta');
  });
});
