import { describe, expect, it } from 'vitest';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, splitMetaNamespaceKey } from './keys';

const pod = (namespace: string | undefined, name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } });

describe('metaNamespaceKeyFunc', () => {
  it.each([
    { ref: 'MetaNamespaceKeyFunc', obj: pod('default', 'web'), key: 'default/web' },
    { ref: 'MetaNamespaceKeyFunc (cluster-scoped)', obj: pod(undefined, 'node-1'), key: 'node-1' },
    { ref: 'MetaNamespaceKeyFunc (empty namespace)', obj: pod('', 'node-1'), key: 'node-1' },
    { ref: 'ExplicitKey', obj: 'kube-system/dns', key: 'kube-system/dns' },
  ])('$ref: $key', ({ obj, key }) => {
    expect(metaNamespaceKeyFunc(obj)).toBe(key);
  });

  it('throws the upstream wording for a value that is not an API object', () => {
    for (const bad of [42, null, undefined, { name: 'x' }, { metadata: [] }]) {
      expect(() => metaNamespaceKeyFunc(bad)).toThrow('object has no meta: object does not implement the Object interfaces');
    }
  });
});

describe('deletionHandlingMetaNamespaceKeyFunc', () => {
  it('gives the key a DeletedFinalStateUnknown carries, and the usual key otherwise', () => {
    expect(deletionHandlingMetaNamespaceKeyFunc(new DeletedFinalStateUnknown('default/gone', pod('other', 'x')))).toBe('default/gone');
    expect(deletionHandlingMetaNamespaceKeyFunc(pod('default', 'web'))).toBe('default/web');
  });
});

describe('splitMetaNamespaceKey', () => {
  it.each([
    { key: 'default/web', namespace: 'default', name: 'web' },
    { key: 'node-1', namespace: '', name: 'node-1' },
    { key: '/web', namespace: '', name: 'web' },
  ])('$key', ({ key, namespace, name }) => {
    expect(splitMetaNamespaceKey(key)).toEqual({ namespace, name });
  });

  it('rejects more than one slash with the upstream wording', () => {
    expect(() => splitMetaNamespaceKey('a/b/c')).toThrow('unexpected key format: "a/b/c"');
  });
});
