// Follows client-go tools/cache/thread_safe_store_test.go at v0.34.0. Go's
// `NewThreadSafeStore(...).(*threadSafeMap)` becomes a cast to ThreadSafeMap, and
// `store.index.indices` becomes `store.storeIndex.indices`.
import { describe, expect, it } from 'vitest';
import type { Indexers } from './index_funcs';
import { ThreadSafeMap, newThreadSafeStore } from './thread_safe_store';

const testIndexer = 'testIndexer';

function newMap(indexers: Indexers<string>): ThreadSafeMap<string> {
  return newThreadSafeStore<string>(indexers, new Map()) as ThreadSafeMap<string>;
}

/** The backing set of one indexed value, as upstream's tests read it (undefined when absent). */
function backingSet(store: ThreadSafeMap<string>, indexName: string, value: string): Set<string> | undefined {
  return store.storeIndex.indices.get(indexName)?.get(value);
}

/** Go's `store.index.indices[testIndexer][key].List()`: sorted, [] for a missing set. */
function indexList(store: ThreadSafeMap<string>, value: string): string[] {
  return [...(backingSet(store, testIndexer, value) ?? [])].sort();
}

interface Case {
  name: string;
  ref: string;
  run: () => void;
}

const cases: Case[] = [
  {
    name: 'deleting the last key of an indexed value deletes its set from the index',
    ref: 'TestThreadSafeStoreDeleteRemovesEmptySetsFromIndex',
    run: () => {
      const store = newMap({ [testIndexer]: (obj) => [obj] });
      const testKey = 'testKey';
      store.add(testKey, testKey);
      expect(backingSet(store, testIndexer, testKey)?.size).toBe(1);
      store.delete(testKey);
      expect(store.storeIndex.indices.get(testIndexer)?.has(testKey)).toBe(false);
      expect(store.listIndexFuncValues(testIndexer)).toEqual([]);
    },
  },
  {
    name: 'deleting one of two keys keeps the set, with one key left',
    ref: 'TestThreadSafeStoreAddKeepsNonEmptySetPostDeleteFromIndex',
    run: () => {
      const testIndex = 'testIndex';
      const store = newMap({ [testIndexer]: () => [testIndex] });
      store.add('retain', 'retain');
      store.add('delete', 'delete');
      expect(backingSet(store, testIndexer, testIndex)?.size).toBe(2);
      store.delete('delete');
      expect(backingSet(store, testIndexer, testIndex)).toEqual(new Set(['retain']));
    },
  },
  {
    name: 'multi-valued index functions move keys between values on every update and delete',
    ref: 'TestThreadSafeStoreIndexingFunctionsWithMultipleValues',
    run: () => {
      const store = newMap({ [testIndexer]: (obj) => obj.split(',') });
      const expectIndex = (want: Record<string, string[]>) => {
        for (const [value, keys] of Object.entries(want)) expect(indexList(store, value), `value ${value}`).toEqual(keys);
      };
      store.add('key1', 'foo');
      store.add('key2', 'bar');
      expectIndex({ foo: ['key1'], bar: ['key2'] });
      store.update('key2', 'foo,bar');
      expectIndex({ foo: ['key1', 'key2'], bar: ['key2'] });
      store.update('key1', 'foo,bar');
      expectIndex({ foo: ['key1', 'key2'], bar: ['key1', 'key2'] });
      store.add('key3', 'foo,bar,baz');
      expectIndex({ foo: ['key1', 'key2', 'key3'], bar: ['key1', 'key2', 'key3'], baz: ['key3'] });
      store.update('key1', 'foo');
      expectIndex({ foo: ['key1', 'key2', 'key3'], bar: ['key2', 'key3'], baz: ['key3'] });
      store.update('key2', 'bar');
      expectIndex({ foo: ['key1', 'key3'], bar: ['key2', 'key3'], baz: ['key3'] });
      store.delete('key1');
      expectIndex({ foo: ['key3'], bar: ['key2', 'key3'], baz: ['key3'] });
      store.delete('key3');
      expectIndex({ foo: [], bar: ['key2'], baz: [] });
      // Emptied sets are gone, not just empty (the #84959 fix).
      expect(store.listIndexFuncValues(testIndexer)).toEqual(['bar']);
    },
  },
  {
    name: 'AddIndexers indexes the items already stored, rejects a taken name, and keeps indexing later adds',
    ref: 'threadSafeMap.AddIndexers (kubernetes/kubernetes#117046, since v1.30)',
    run: () => {
      const store = newMap({});
      store.addIndexers({ first: (obj) => [obj] });
      store.add('keya', 'value');
      store.add('keyb', 'value');
      expect(store.indexKeys('first', 'value')).toEqual(['keya', 'keyb']);

      expect(() => store.addIndexers({ first: () => [] })).toThrow(new Error('indexer conflict: map[first:{}]'));

      store.addIndexers({ second: (obj) => [`${obj}2`] });
      expect(Object.keys(store.getIndexers())).toEqual(['first', 'second']);
      expect(store.indexKeys('first', 'value')).toEqual(['keya', 'keyb']);
      expect(store.indexKeys('second', 'value2')).toEqual(['keya', 'keyb']);

      store.add('keyc', 'value');
      store.add('keyd', 'value');
      expect(store.indexKeys('first', 'value')).toEqual(['keya', 'keyb', 'keyc', 'keyd']);
      expect(store.indexKeys('second', 'value2')).toEqual(['keya', 'keyb', 'keyc', 'keyd']);
    },
  },
  {
    name: 'a conflict names every taken index, sorted as Go prints a sets.String, and adds none of the new ones',
    ref: 'storeIndex.addIndexers',
    run: () => {
      const store = newMap({ b: () => [], a: () => [] });
      expect(() => store.addIndexers({ c: () => [], b: () => [], a: () => [] })).toThrow(new Error('indexer conflict: map[a:{} b:{}]'));
      expect(Object.keys(store.getIndexers())).toEqual(['b', 'a']);
    },
  },
  {
    name: 'asking for an index that does not exist throws the upstream wording; listing its values gives []',
    ref: 'storeIndex.getKeysFromIndex / getKeysByIndex',
    run: () => {
      const store = newMap({ [testIndexer]: (obj) => [obj] });
      store.add('k', 'v');
      const msg = new Error('Index with name nope does not exist');
      expect(() => store.index('nope', 'v')).toThrow(msg);
      expect(() => store.indexKeys('nope', 'v')).toThrow(msg);
      expect(() => store.byIndex('nope', 'v')).toThrow(msg);
      expect(() => store.indexKeys('toString', 'v')).toThrow(new Error('Index with name toString does not exist'));
      expect(store.listIndexFuncValues('nope')).toEqual([]);
    },
  },
  {
    name: 'replace takes the new items, drops the old ones and rebuilds every index from scratch',
    ref: 'threadSafeMap.Replace',
    run: () => {
      const store = newMap({ [testIndexer]: (obj) => obj.split(',') });
      store.add('old', 'a,b');
      const items = new Map([
        ['x', 'b'],
        ['y', 'b,c'],
      ]);
      store.replace(items, '7');
      expect(store.listKeys()).toEqual(['x', 'y']);
      expect(store.listIndexFuncValues(testIndexer)).toEqual(['b', 'c']);
      expect(store.indexKeys(testIndexer, 'b')).toEqual(['x', 'y']);
      expect(store.indexKeys(testIndexer, 'a')).toEqual([]);
      // The store took ownership of the map it was given.
      expect(store.items).toBe(items);
    },
  },
  {
    name: 'index() de-duplicates the keys of an object with several values',
    ref: 'threadSafeMap.Index',
    run: () => {
      const store = newMap({ [testIndexer]: (obj) => obj.split(',') });
      store.add('k1', 'a,b');
      store.add('k2', 'b');
      store.add('k3', 'c');
      expect(store.index(testIndexer, 'a,b')).toEqual(['a,b', 'b']);
      expect(store.index(testIndexer, 'b')).toEqual(['a,b', 'b']);
      expect(store.index(testIndexer, 'z')).toEqual([]);
      expect(store.index(testIndexer, '')).toEqual([]);
    },
  },
  {
    name: 'an index function that throws aborts the update with the upstream panic text, after the item was stored',
    ref: 'storeIndex.updateSingleIndex (panic)',
    run: () => {
      const store = newMap({
        [testIndexer]: (obj) => {
          if (obj === 'bad') throw new Error('boom');
          return [obj];
        },
      });
      expect(() => store.add('k', 'bad')).toThrow(new Error('unable to calculate an index entry for key "k" on index "testIndexer": boom'));
      // Go sets items[key] before updating the indices, so a recovered panic leaves the item stored.
      expect(store.get('k')).toBe('bad');
      expect(store.listIndexFuncValues(testIndexer)).toEqual([]);
    },
  },
  {
    name: 'updating an object mutated in place leaves its old index entry behind, as upstream warns',
    ref: 'ThreadSafeStore doc comment (do not modify what Get/List return)',
    run: () => {
      const store = newThreadSafeStore<{ v: string }>({ byV: (o) => [o.v] }) as ThreadSafeMap<{ v: string }>;
      const obj = { v: 'a' };
      store.add('k', obj);
      obj.v = 'b';
      store.update('k', obj);
      expect(store.listIndexFuncValues('byV')).toEqual(['a']);
      expect(store.byIndex('byV', 'a')).toEqual([obj]);
    },
  },
  {
    name: 'list and listKeys follow first-insertion order; an update keeps the place, a re-add goes last',
    ref: 'threadSafeMap.List / ListKeys (deterministic order: model choice)',
    run: () => {
      const store = newMap({});
      store.add('b', '1');
      store.add('a', '2');
      store.add('c', '3');
      store.update('b', '4');
      store.delete('a');
      store.add('a', '5');
      store.delete('missing');
      expect(store.listKeys()).toEqual(['b', 'c', 'a']);
      expect(store.list()).toEqual(['4', '3', '5']);
      expect(store.get('missing')).toBeUndefined();
    },
  },
  {
    name: 'index results are sorted by key in Go byte order, and index values likewise',
    ref: 'sets.String.List (sort.Strings)',
    run: () => {
      const store = newMap({ [testIndexer]: (obj) => [obj] });
      // U+FF5E sorts before U+1F600 in UTF-8 byte order, after it in UTF-16 code units.
      for (const key of ['😀', 'b', '～', 'a', 'B']) store.add(key, 'v');
      store.add('x', '😀');
      store.add('y', '～');
      expect(store.indexKeys(testIndexer, 'v')).toEqual(['B', 'a', 'b', '～', '😀']);
      expect(store.listIndexFuncValues(testIndexer)).toEqual(['v', '～', '😀']);
    },
  },
  {
    name: 'byIndex reads the sorted keys again after an add, a move to another value or a delete (the sorted cache is dropped)',
    ref: 'threadSafeMap.ByIndex',
    run: () => {
      const store = newMap({ [testIndexer]: (obj) => [obj[0]] });
      store.add('c', 'v1');
      store.add('a', 'v2');
      expect(store.byIndex(testIndexer, 'v')).toEqual(['v2', 'v1']);
      expect(store.byIndex(testIndexer, 'v')).toEqual(['v2', 'v1']);
      store.add('b', 'v3');
      expect(store.byIndex(testIndexer, 'v')).toEqual(['v2', 'v3', 'v1']);
      store.update('a', 'w2');
      expect(store.byIndex(testIndexer, 'v')).toEqual(['v3', 'v1']);
      expect(store.byIndex(testIndexer, 'w')).toEqual(['w2']);
      store.update('c', 'v4');
      expect(store.byIndex(testIndexer, 'v')).toEqual(['v3', 'v4']);
      store.delete('b');
      expect(store.byIndex(testIndexer, 'v')).toEqual(['v4']);
    },
  },
  {
    name: 'resync does nothing',
    ref: 'threadSafeMap.Resync',
    run: () => {
      const store = newMap({ [testIndexer]: (obj) => [obj] });
      store.add('k', 'v');
      store.resync();
      expect(store.listKeys()).toEqual(['k']);
      expect(store.indexKeys(testIndexer, 'v')).toEqual(['k']);
    },
  },
];

describe('threadSafeMap', () => {
  it.each(cases)('$ref: $name', ({ run }) => run());
});
