// Follows client-go tools/cache/listers_test.go at v0.34.0 (TestListAll) and covers what the
// listers of listers.go and listers/generic_helpers.go do: namespaces through the namespace index
// (and without it), gets by key with NotFound errors worded as apimachinery's NewNotFound, and the
// selector forms the listers take until src/sim/apimachinery's labels.Selector lands.
import { describe, expect, it } from 'vitest';
import { StatusError, UsageError } from '../core/errors';
import type { KubeObject } from '../core/object';
import { NamespaceIndex, metaNamespaceIndexFunc } from './index_funcs';
import { metaNamespaceKeyFunc } from './keys';
import {
  listAll,
  listAllByNamespace,
  newGenericLister,
  newNamespacedResourceIndexer,
  newNotFound,
  newResourceIndexer,
  qualifiedResourceString,
  type ListerSelector,
} from './listers';
import { newIndexer, newStore } from './store';

function obj(name: string, namespace?: string, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) } };
}

const names = (objs: KubeObject[]) => objs.map((o) => metaNamespaceKeyFunc(o));

interface Case {
  name: string;
  ref: string;
  run: () => void;
}

/** TestListAll's table (with 1,000 objects where upstream lists up to 1,000,000). */
const listAllTable: Array<{ name: string; numObjects: number; numMatching: number; matchingLabels: Record<string, string>; selector: ListerSelector; expectedCount: number }> = [
  { name: 'subset match', numObjects: 1000, numMatching: 100, matchingLabels: { match: 'true' }, selector: { matchLabels: { match: 'true' } }, expectedCount: 100 },
  { name: 'all match', numObjects: 1000, numMatching: 0, matchingLabels: {}, selector: undefined, expectedCount: 1000 },
  { name: 'no match', numObjects: 1000, numMatching: 0, matchingLabels: { nomatch: 'true' }, selector: { matchLabels: { match: 'true' } }, expectedCount: 0 },
];
const listAllCases: Case[] = listAllTable.map((tc) => ({
  name: `ListAll: ${tc.name}`,
  ref: 'TestListAll',
  run: () => {
    // mustCreateStore: objects keyed by name, the first numMatching labelled.
    const store = newStore<KubeObject>((o) => (o as KubeObject).metadata.name ?? '');
    for (let i = 0; i < tc.numObjects; i++) store.add(obj(`obj-${i}`, undefined, i < tc.numMatching ? tc.matchingLabels : {}));
    let matchingObjects = 0;
    listAll(store, tc.selector, () => matchingObjects++);
    expect(matchingObjects).toBe(tc.expectedCount);
  },
}));

function podIndexer() {
  const indexer = newIndexer<KubeObject>(metaNamespaceKeyFunc, { [NamespaceIndex]: metaNamespaceIndexFunc });
  indexer.add(obj('web-2', 'prod', { app: 'web', tier: 'front' }));
  indexer.add(obj('db', 'prod', { app: 'db' }));
  indexer.add(obj('web-1', 'prod', { app: 'web' }));
  indexer.add(obj('web', 'dev', { app: 'web' }));
  indexer.add(obj('node-1'));
  return indexer;
}

const cases: Case[] = [
  ...listAllCases,
  {
    name: 'ListAllByNamespace reads the namespace index (sorted by key); an empty namespace lists everything',
    ref: 'ListAllByNamespace (NamespaceAll delegates to ListAll)',
    run: () => {
      const indexer = podIndexer();
      const got: KubeObject[] = [];
      listAllByNamespace(indexer, 'prod', { matchLabels: { app: 'web' } }, (o) => got.push(o));
      expect(names(got)).toEqual(['prod/web-1', 'prod/web-2']);
      got.length = 0;
      listAllByNamespace(indexer, '', undefined, (o) => got.push(o));
      expect(names(got)).toEqual(['prod/web-2', 'prod/db', 'prod/web-1', 'dev/web', 'node-1']);
    },
  },
  {
    name: 'without a namespace index, ListAllByNamespace scans every object',
    ref: 'ListAllByNamespace ("Warning: can not retrieve list of objects using index")',
    run: () => {
      const indexer = newIndexer<KubeObject>(metaNamespaceKeyFunc, {});
      for (const o of podIndexer().list()) indexer.add(o);
      const got: KubeObject[] = [];
      listAllByNamespace(indexer, 'prod', (labels) => labels.app === 'web', (o) => got.push(o));
      expect(names(got)).toEqual(['prod/web-2', 'prod/web-1']);
    },
  },
  {
    name: 'the selector forms: nothing, matchLabels, a predicate, and anything with matches / empty / matchesNothing',
    ref: 'labels.Selector (Matches, Empty), labels.MatchesNothing, metav1.LabelSelectorAsSelector',
    run: () => {
      const lister = newGenericLister(podIndexer(), 'pods');
      expect(lister.list()).toHaveLength(5);
      expect(names(lister.list({}))).toHaveLength(5); // no requirement: everything
      expect(names(lister.list({ matchLabels: {} }))).toHaveLength(5);
      expect(names(lister.list({ matchLabels: { app: 'web', tier: 'front' } }))).toEqual(['prod/web-2']);
      expect(names(lister.list((labels) => labels.app === 'db'))).toEqual(['prod/db']);
      let asked = 0;
      const selector = {
        matches: (labels: Readonly<Record<string, string>>) => {
          asked++;
          return 'tier' in labels;
        },
      };
      expect(names(lister.list(selector))).toEqual(['prod/web-2']);
      expect(asked).toBe(5);
      // Empty(): no label is read; MatchesNothing: nothing is listed.
      expect(lister.list({ matches: () => false, empty: () => true })).toHaveLength(5);
      expect(lister.list({ matches: () => true, matchesNothing: () => true })).toEqual([]);
      expect(lister.byNamespace('prod').list({ matches: () => true, matchesNothing: () => true })).toEqual([]);
    },
  },
  {
    name: 'selector strings (labels.Parse) and matchExpressions (LabelSelectorAsSelector) select as apimachinery does',
    ref: 'labels.Parse, metav1.LabelSelectorAsSelector (In, NotIn, Exists, DoesNotExist)',
    run: () => {
      const lister = newGenericLister(podIndexer(), 'pods');
      expect(names(lister.list('app=web,tier=front'))).toEqual(['prod/web-2']);
      expect(names(lister.list('app in (db),!tier'))).toEqual(['prod/db']);
      expect(names(lister.list(''))).toHaveLength(5);
      expect(names(lister.list({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }, { key: 'tier', operator: 'Exists' }] }))).toEqual(['prod/web-2']);
      expect(names(lister.list({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }))).toEqual(
        names(lister.list('app=web,!tier')),
      );
      expect(() => lister.list('app==')).not.toThrow();
      expect(() => lister.list('app in (')).toThrow();
      expect(() => lister.list({ matchExpressions: [{ key: 'app', operator: 'exists' }] })).toThrow('"exists" is not a valid label selector operator');
      expect(() => lister.list(null as unknown as ListerSelector)).toThrow(UsageError);
    },
  },
  {
    name: 'a stored value that is not an API object fails a selecting list, as meta.Accessor does; listing everything does not look',
    ref: 'ListAll (meta.Accessor error; selectAll skips it)',
    run: () => {
      const store = newStore<unknown>((o) => String((o as { id: unknown }).id));
      store.add({ id: 1 });
      expect(() => listAll(store, { matchLabels: { a: 'b' } }, () => {})).toThrow('object does not implement the Object interfaces');
      const got: unknown[] = [];
      listAll(store, undefined, (o) => got.push(o));
      expect(got).toEqual([{ id: 1 }]);
    },
  },
  {
    name: 'GenericLister: get by key, byNamespace get by namespace/name, NotFound worded as NewNotFound',
    ref: 'NewGenericLister (genericLister.Get, genericNamespaceLister.Get); errors.NewNotFound',
    run: () => {
      const lister = newGenericLister(podIndexer(), { group: 'apps', resource: 'deployments' });
      expect(metaNamespaceKeyFunc(lister.get('node-1'))).toBe('node-1');
      expect(metaNamespaceKeyFunc(lister.byNamespace('dev').get('web'))).toBe('dev/web');
      expect(names(lister.byNamespace('prod').list())).toEqual(['prod/db', 'prod/web-1', 'prod/web-2']);
      let err: unknown;
      try {
        lister.byNamespace('dev').get('db');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StatusError);
      expect(err).toMatchObject({ code: 404, reason: 'NotFound', message: 'deployments.apps "db" not found', details: { group: 'apps', kind: 'deployments', name: 'db' } });
      // Get ignores namespaces: a namespaced object is not found by its name alone.
      expect(() => lister.get('web')).toThrow('deployments.apps "web" not found');
    },
  },
  {
    name: 'ResourceIndexer: what every generated lister wraps; the typed PodLister names its resource "pod"',
    ref: 'listers.New / NewNamespaced / ResourceIndexer.List, Get (generic_helpers.go); corev1.NewPodLister',
    run: () => {
      const indexer = podIndexer();
      const podLister = newResourceIndexer(indexer, 'pod');
      expect(podLister.namespaceName).toBe('');
      expect(names(podLister.list({ matchLabels: { app: 'web' } }))).toEqual(['prod/web-2', 'prod/web-1', 'dev/web']);
      const prod = podLister.namespace('prod');
      expect(prod.namespaceName).toBe('prod');
      expect(names(prod.list({ matchLabels: { app: 'web' } }))).toEqual(['prod/web-1', 'prod/web-2']);
      expect(metaNamespaceKeyFunc(prod.get('db'))).toBe('prod/db');
      expect(() => prod.get('web')).toThrow('pod "web" not found');
      expect(metaNamespaceKeyFunc(newNamespacedResourceIndexer(podLister, 'dev').get('web'))).toBe('dev/web');
      // A cluster-scoped resource: the key is the name.
      expect(metaNamespaceKeyFunc(newResourceIndexer(indexer, 'node').get('node-1'))).toBe('node-1');
    },
  },
  {
    name: 'NotFound quotes the name as Go\'s %q does, and prints a GroupResource as resource[.group]',
    ref: 'errors.NewNotFound (fmt.Sprintf("%s %q not found")), GroupResource.String',
    run: () => {
      expect(newNotFound('pods', 'a"b\n').message).toBe('pods "a\\"b\\n" not found');
      expect(qualifiedResourceString({ resource: 'pods' })).toBe('pods');
      expect(qualifiedResourceString({ group: '', resource: 'pods' })).toBe('pods');
      expect(qualifiedResourceString({ group: 'apps', resource: 'deployments' })).toBe('deployments.apps');
      // Go's StatusDetails omits an empty group (json:"group,omitempty").
      expect(newNotFound({ resource: 'nodes' }, 'n').details).toEqual({ kind: 'nodes', name: 'n' });
    },
  },
  {
    name: 'a lister hands out no way to the indexer behind it',
    ref: 'model: what a holder can reach (README)',
    run: () => {
      const generic = newGenericLister(podIndexer(), 'pods');
      expect(Reflect.ownKeys(generic)).toEqual([]);
      expect(Reflect.ownKeys(generic.byNamespace('prod'))).toEqual([]);
      expect(Object.getOwnPropertyNames(Object.getPrototypeOf(generic)).sort()).toEqual(['byNamespace', 'constructor', 'get', 'list']);
      const ri = newResourceIndexer(podIndexer(), 'pod');
      expect(Reflect.ownKeys(ri)).toEqual([]);
      expect((ri as unknown as Record<string, unknown>).indexer).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.getPrototypeOf(ri)).sort()).toEqual(['constructor', 'get', 'list', 'namespace', 'namespaceName']);
    },
  },
];

describe('listers (client-go tools/cache/listers.go, listers/generic_helpers.go v0.34.0)', () => {
  it.each(cases)('$name ($ref)', ({ run }) => {
    run();
  });
});
