// Follows client-go tools/cache/index_test.go at v0.34.0: pods without a namespace, so their keys
// are their names; `pod2.DeepCopy()` becomes a structured clone.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/object';
import { metaNamespaceKeyFunc } from './keys';
import { newIndexer } from './store';

function pod(name: string, meta: { labels?: Record<string, string>; annotations?: Record<string, string> }): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta } };
}

/** Upstream testIndexFunc: the `foo` label. */
const testIndexFunc = (obj: KubeObject) => [obj.metadata.labels?.['foo'] ?? ''];

/** Upstream testUsersIndexFunc: the comma-separated `users` annotation (Go's strings.Split). */
const testUsersIndexFunc = (obj: KubeObject) => (obj.metadata.annotations?.['users'] ?? '').split(',');

const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name);

interface Case {
  name: string;
  ref: string;
  run: () => void;
}

const cases: Case[] = [
  {
    name: 'listIndexFuncValues gives each indexed value once',
    ref: 'TestGetIndexFuncValues',
    run: () => {
      const index = newIndexer<KubeObject>(metaNamespaceKeyFunc, { testmodes: testIndexFunc });
      index.add(pod('one', { labels: { foo: 'bar' } }));
      index.add(pod('two', { labels: { foo: 'bar' } }));
      index.add(pod('tre', { labels: { foo: 'biz' } }));
      expect(index.listIndexFuncValues('testmodes')).toEqual(['bar', 'biz']);
    },
  },
  {
    name: 'an object with several indexed values is found under each; delete and update move it',
    ref: 'TestMultiIndexKeys',
    run: () => {
      const index = newIndexer<KubeObject>(metaNamespaceKeyFunc, { byUser: testUsersIndexFunc });
      const pod1 = pod('one', { annotations: { users: 'ernie,bert' } });
      const pod2 = pod('two', { annotations: { users: 'bert,oscar' } });
      const pod3 = pod('tre', { annotations: { users: 'ernie,elmo' } });
      index.add(pod1);
      index.add(pod2);
      index.add(pod3);

      const expected: Record<string, string[]> = { ernie: ['one', 'tre'], bert: ['one', 'two'], elmo: ['tre'], oscar: ['two'] };
      for (const [user, pods] of Object.entries(expected)) expect(names(index.byIndex('byUser', user)), user).toEqual(pods);
      // Index(pod1): everyone sharing ernie or bert.
      expect(names(index.index('byUser', pod1))).toEqual(['one', 'tre', 'two']);

      index.delete(pod3);
      expect(names(index.byIndex('byUser', 'ernie'))).toEqual(['one']);
      expect(index.byIndex('byUser', 'elmo')).toEqual([]);

      const copyOfPod2 = structuredClone(pod2);
      copyOfPod2.metadata.annotations!['users'] = 'oscar';
      index.update(copyOfPod2);
      expect(names(index.byIndex('byUser', 'bert'))).toEqual(['one']);
      expect(index.byIndex('byUser', 'oscar')).toEqual([copyOfPod2]);
    },
  },
];

describe('index', () => {
  it.each(cases)('$ref: $name', ({ run }) => run());
});
