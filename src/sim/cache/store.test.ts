// Follows client-go tools/cache/store_test.go at v0.34.0 (doTestStore, doTestIndex), plus the
// behaviour of `cache` that store.go defines and the upstream tests leave implicit.
import { describe, expect, it } from 'vitest';
import { NamespaceIndex, metaNamespaceIndexFunc } from './index_funcs';
import { DeletedFinalStateUnknown, KeyError, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc } from './keys';
import { newIndexer, newStore, withTransformer } from './store';
import type { Indexer, Store } from './types';

/** Upstream testStoreObject: the key is `id`, the `by_val` index is `val`. */
interface TestStoreObject {
  id: string;
  val: string;
}
const mkObj = (id: string, val: string): TestStoreObject => ({ id, val });
const testStoreKeyFunc = (obj: unknown) => (obj as TestStoreObject).id;
const testStoreIndexers = () => ({ by_val: (obj: TestStoreObject) => [obj.val] });
const vals = (objs: TestStoreObject[]) => new Set(objs.map((o) => o.val));

/** Upstream doTestStore: the public Store interface. */
function doTestStore(store: Store<TestStoreObject>): void {
  store.add(mkObj('foo', 'bar'));
  expect(store.get(mkObj('foo', ''))?.val, "didn't find inserted item").toBe('bar');
  store.update(mkObj('foo', 'baz'));
  expect(store.get(mkObj('foo', ''))?.val, "didn't find inserted item").toBe('baz');
  store.delete(mkObj('foo', ''));
  expect(store.get(mkObj('foo', '')), 'found deleted item??').toBeUndefined();

  // Test List.
  store.add(mkObj('a', 'b'));
  store.add(mkObj('c', 'd'));
  store.add(mkObj('e', 'e'));
  expect(vals(store.list())).toEqual(new Set(['b', 'd', 'e']));

  // Test Replace.
  store.replace([mkObj('foo', 'foo'), mkObj('bar', 'bar')], '0');
  expect(vals(store.list())).toEqual(new Set(['foo', 'bar']));
}

/** Upstream doTestIndex: Index() finds every object sharing the given object's value. */
function doTestIndex(indexer: Indexer<TestStoreObject>): void {
  const expected: Record<string, string[]> = { b: ['a', 'c'], f: ['e'], h: ['g'] };
  indexer.add(mkObj('a', 'b'));
  indexer.add(mkObj('c', 'b'));
  indexer.add(mkObj('e', 'f'));
  indexer.add(mkObj('g', 'h'));
  for (const [val, ids] of Object.entries(expected)) {
    expect(indexer.index('by_val', mkObj('', val)).map((o) => o.id), `index ${val}`).toEqual(ids);
  }
}

const pod = (namespace: string | undefined, name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace, name },
  ...extra,
});

interface Case {
  name: string;
  ref: string;
  run: () => void;
}

const cases: Case[] = [
  { name: 'a store adds, updates, gets, deletes, lists and replaces', ref: 'TestCache', run: () => doTestStore(newStore(testStoreKeyFunc)) },
  {
    name: 'an indexer is a store too',
    ref: 'TestCache (doTestStore on NewIndexer)',
    run: () => doTestStore(newIndexer(testStoreKeyFunc, testStoreIndexers())),
  },
  { name: 'index() finds the objects that share a value', ref: 'TestIndex', run: () => doTestIndex(newIndexer(testStoreKeyFunc, testStoreIndexers())) },
  {
    name: 'a failing key function becomes a KeyError naming the object, and nothing is stored',
    ref: 'cache.Add / Update / Delete / Get (KeyError)',
    run: () => {
      const store = newIndexer(metaNamespaceKeyFunc, { [NamespaceIndex]: metaNamespaceIndexFunc });
      const calls: Array<() => unknown> = [() => store.add(42), () => store.update(42), () => store.delete(42), () => store.get(42)];
      for (const call of calls) {
        let thrown: unknown;
        try {
          call();
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(KeyError);
        expect((thrown as KeyError).obj).toBe(42);
        expect((thrown as KeyError).message).toBe("couldn't create key for object 42: object has no meta: object does not implement the Object interfaces");
      }
      expect(store.listKeys()).toEqual([]);
    },
  },
  {
    name: 'replace with an object that has no key throws a KeyError and leaves the store as it was',
    ref: 'cache.Replace (KeyError)',
    run: () => {
      const store = newIndexer(metaNamespaceKeyFunc, { [NamespaceIndex]: metaNamespaceIndexFunc });
      const kept = pod('default', 'kept');
      store.add(kept);
      expect(() => store.replace([pod('default', 'new'), { spec: {} }], '10')).toThrow(KeyError);
      expect(store.list()).toEqual([kept]);
      expect(store.indexKeys(NamespaceIndex, 'default')).toEqual(['default/kept']);
    },
  },
  {
    name: 'replace keeps the list order, and the later of two objects with one key',
    ref: 'cache.Replace',
    run: () => {
      const store = newIndexer(metaNamespaceKeyFunc, { [NamespaceIndex]: metaNamespaceIndexFunc });
      store.add(pod('old', 'gone'));
      const later = pod('b', 'x', { v: 2 });
      store.replace([pod('b', 'x', { v: 1 }), pod('a', 'y'), later, pod('', 'node')], '5');
      expect(store.listKeys()).toEqual(['b/x', 'a/y', 'node']);
      expect(store.getByKey('b/x')).toBe(later);
      expect(store.listIndexFuncValues(NamespaceIndex)).toEqual(['', 'a', 'b']);
      expect(store.byIndex(NamespaceIndex, 'old')).toEqual([]);
    },
  },
  {
    name: 'get and getByKey give undefined for an absent key (Go: exists == false)',
    ref: 'cache.Get / GetByKey',
    run: () => {
      const store = newStore(metaNamespaceKeyFunc);
      const web = pod('default', 'web');
      store.add(web);
      expect(store.get(pod('default', 'web'))).toBe(web);
      expect(store.get('default/web')).toBe(web); // an explicit key (Go: ExplicitKey)
      expect(store.getByKey('default/web')).toBe(web);
      expect(store.getByKey('default/nope')).toBeUndefined();
      expect(store.get(pod('other', 'web'))).toBeUndefined();
    },
  },
  {
    name: 'delete takes a DeletedFinalStateUnknown tombstone with deletionHandlingMetaNamespaceKeyFunc',
    ref: 'cache.Delete with DeletionHandlingMetaNamespaceKeyFunc (as informers use it)',
    run: () => {
      const store = newIndexer(deletionHandlingMetaNamespaceKeyFunc, { [NamespaceIndex]: metaNamespaceIndexFunc });
      const web = pod('default', 'web');
      store.add(web);
      store.delete(new DeletedFinalStateUnknown('default/web', web));
      expect(store.listKeys()).toEqual([]);
      expect(store.listIndexFuncValues(NamespaceIndex)).toEqual([]);
    },
  },
  {
    name: 'withTransformer stores what the transformer returns, on add, update and replace',
    ref: 'WithTransformer',
    run: () => {
      const seen: unknown[] = [];
      const strip = (obj: unknown) => {
        seen.push(obj);
        const { managedFields: _drop, ...metadata } = (obj as ReturnType<typeof pod>).metadata as Record<string, unknown>;
        return { ...(obj as object), metadata };
      };
      const store = newStore(metaNamespaceKeyFunc, withTransformer(strip));
      const withFields = (name: string) => ({ ...pod('default', name), metadata: { namespace: 'default', name, managedFields: [{}] } });
      store.add(withFields('a'));
      store.update(withFields('a'));
      store.replace([withFields('b')], '3');
      expect(seen).toHaveLength(3);
      expect(store.list()).toEqual([{ ...pod('default', 'b') }]);
      expect(store.listKeys()).toEqual(['default/b']);
    },
  },
  {
    name: 'a transformer that throws makes the call throw "transforming: …" and stores nothing',
    ref: 'WithTransformer (error)',
    run: () => {
      const store = newStore(
        metaNamespaceKeyFunc,
        withTransformer(() => {
          throw new Error('no');
        }),
      );
      expect(() => store.add(pod('default', 'a'))).toThrow(new Error('transforming: no'));
      expect(() => store.replace([pod('default', 'a')], '1')).toThrow(new Error('transforming: no'));
      // The key is made first: a keyless object is a KeyError, not a transform error.
      expect(() => store.update(7)).toThrow(KeyError);
      expect(store.listKeys()).toEqual([]);
    },
  },
  {
    name: 'resync does nothing',
    ref: 'cache.Resync',
    run: () => {
      const store = newStore(metaNamespaceKeyFunc);
      store.add(pod('default', 'web'));
      store.resync();
      expect(store.listKeys()).toEqual(['default/web']);
    },
  },
  {
    name: 'getIndexers returns the store’s own map, which addIndexers extends',
    ref: 'cache.GetIndexers / AddIndexers',
    run: () => {
      const indexers = { [NamespaceIndex]: metaNamespaceIndexFunc };
      const store = newIndexer(metaNamespaceKeyFunc, indexers);
      store.add(pod('default', 'web', { spec: { nodeName: 'n1' } }));
      const byNode = (obj: unknown) => [String((obj as { spec: { nodeName: string } }).spec.nodeName)];
      store.addIndexers({ byNode });
      expect(store.getIndexers()).toBe(indexers);
      expect(Object.keys(indexers)).toEqual(['namespace', 'byNode']);
      expect(store.indexKeys('byNode', 'n1')).toEqual(['default/web']);
      expect(() => store.addIndexers({ byNode })).toThrow(new Error('indexer conflict: map[byNode:{}]'));
    },
  },
];

describe('cache (Store and Indexer)', () => {
  it.each(cases)('$ref: $name', ({ run }) => run());

  it('serves as DeltaFIFO knownObjects (listKeys + getByKey)', () => {
    const knownObjects: { listKeys(): string[]; getByKey(key: string): unknown | undefined } = newIndexer(metaNamespaceKeyFunc, {});
    expect(knownObjects.listKeys()).toEqual([]);
    expect(knownObjects.getByKey('x')).toBeUndefined();
  });
});
