// Properties of the cache Indexer over random add / update / delete / replace / addIndexers
// sequences (fast-check prints the seed and the shrunk sequence on failure; rerun with
// `fc.assert(..., { seed, path })`):
// 1. list / listKeys / getByKey agree with a naive oracle (a Map, in first-insertion order);
// 2. every index agrees with a naive recomputation from list(): byIndex, indexKeys, index and
//    listIndexFuncValues, with a multi-valued index function (duplicates and no values included),
//    and no indexed value is kept with an empty set;
// 3. the same operations give byte-identical results.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NamespaceIndex, metaNamespaceIndexFunc, metaNamespaceKeyFunc, newIndexer, type IndexFunc, type Indexer, type Indexers } from '../../src/sim/index';

interface Obj {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: { namespace: string; name: string };
  tags: string[];
  /** Tells apart objects with the same key. */
  gen: number;
}

const NAMESPACES = ['', 'a', 'b'];
const NAMES = ['x', 'y', 'z'];
const TAGS = ['t1', 't2', 't3', ''];

/** A multi-valued index function: any number of values, duplicates allowed. */
const byTag: IndexFunc<Obj> = (obj) => obj.tags;
/** Zero or one value; added mid-run with addIndexers. */
const byFirstTag: IndexFunc<Obj> = (obj) => obj.tags.slice(0, 1);

type Op =
  | { kind: 'add' | 'update'; obj: Omit<Obj, 'gen'> }
  | { kind: 'delete'; namespace: string; name: string }
  | { kind: 'replace'; list: Array<Omit<Obj, 'gen'>> }
  | { kind: 'addIndexers' };

const objArb = fc.record({
  apiVersion: fc.constant('v1' as const),
  kind: fc.constant('Pod' as const),
  metadata: fc.record({ namespace: fc.constantFrom(...NAMESPACES), name: fc.constantFrom(...NAMES) }),
  tags: fc.array(fc.constantFrom(...TAGS), { maxLength: 4 }),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: objArb.map((obj) => ({ kind: 'add' as const, obj })) },
  { weight: 4, arbitrary: objArb.map((obj) => ({ kind: 'update' as const, obj })) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), namespace: fc.constantFrom(...NAMESPACES), name: fc.constantFrom(...NAMES) }) },
  { weight: 1, arbitrary: fc.array(objArb, { maxLength: 6 }).map((list) => ({ kind: 'replace' as const, list })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'addIndexers' as const }) },
);
const opsArb = fc.array(opArb, { maxLength: 40 });
/** Objects to ask `index(name, obj)` about. */
const probesArb = fc.array(objArb, { minLength: 1, maxLength: 3 });

const keyOf = (obj: Obj) => metaNamespaceKeyFunc(obj);

/** The naive index: for every value, the sorted keys of the listed objects that have it. */
function recompute(objs: Obj[], indexFunc: IndexFunc<Obj>): Map<string, string[]> {
  const index = new Map<string, Set<string>>();
  for (const obj of objs) {
    for (const value of indexFunc(obj)) {
      if (!index.has(value)) index.set(value, new Set());
      index.get(value)!.add(keyOf(obj));
    }
  }
  return new Map([...index].map(([value, keys]) => [value, [...keys].sort()]));
}

/** Checks property 2 for every index the oracle knows, and returns what was read (for property 3). */
function checkIndices(indexer: Indexer<Obj>, funcs: Indexers<Obj>, probes: Obj[], where: string): unknown[] {
  const seen: unknown[] = [];
  const objs = indexer.list();
  expect(Object.keys(indexer.getIndexers()), where).toEqual(Object.keys(funcs));
  for (const [name, fn] of Object.entries(funcs)) {
    const naive = recompute(objs, fn);
    const values = indexer.listIndexFuncValues(name);
    expect(values, `${where}: listIndexFuncValues(${name})`).toEqual([...naive.keys()].sort());
    for (const value of new Set([...naive.keys(), ...TAGS, ...NAMESPACES, 'absent'])) {
      const want = naive.get(value) ?? [];
      const keys = indexer.indexKeys(name, value);
      expect(keys, `${where}: indexKeys(${name}, ${JSON.stringify(value)})`).toEqual(want);
      const got = indexer.byIndex(name, value);
      expect(got.length, `${where}: byIndex(${name}, ${JSON.stringify(value)})`).toBe(want.length);
      got.forEach((obj, i) => expect(obj, `${where}: byIndex(${name}, ${JSON.stringify(value)})[${i}]`).toBe(indexer.getByKey(want[i])));
      seen.push(keys);
    }
    for (const probe of probes) {
      const union = [...new Set(fn(probe).flatMap((v) => naive.get(v) ?? []))].sort();
      const got = indexer.index(name, probe);
      expect(got.map(keyOf), `${where}: index(${name}, ${JSON.stringify(probe)})`).toEqual(union);
      seen.push(got.map(keyOf));
    }
  }
  return seen;
}

/** Applies `ops` to a fresh indexer and a naive oracle, checking after every op. */
function run(ops: Op[], probeSpecs: Array<Omit<Obj, 'gen'>>): unknown[] {
  const funcs: Indexers<Obj> = { [NamespaceIndex]: metaNamespaceIndexFunc, byTag };
  const indexer = newIndexer<Obj>(metaNamespaceKeyFunc, { ...funcs });
  let oracle = new Map<string, Obj>();
  let gen = 0;
  const make = (spec: Omit<Obj, 'gen'>): Obj => ({ ...spec, metadata: { ...spec.metadata }, tags: [...spec.tags], gen: gen++ });
  const probes = probeSpecs.map(make);
  const trace: unknown[] = [];
  ops.forEach((op, i) => {
    const where = `after op ${i} ${JSON.stringify(op)}`;
    switch (op.kind) {
      case 'add':
      case 'update': {
        const obj = make(op.obj);
        indexer[op.kind](obj);
        oracle.set(keyOf(obj), obj);
        break;
      }
      case 'delete': {
        const tombstone = make({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: op.namespace, name: op.name }, tags: [] });
        indexer.delete(tombstone);
        oracle.delete(keyOf(tombstone));
        break;
      }
      case 'replace': {
        const list = op.list.map(make);
        indexer.replace(list, String(i));
        oracle = new Map(list.map((obj) => [keyOf(obj), obj]));
        break;
      }
      case 'addIndexers':
        if ('byFirstTag' in funcs) {
          expect(() => indexer.addIndexers({ byFirstTag }), where).toThrow(new Error('indexer conflict: map[byFirstTag:{}]'));
        } else {
          indexer.addIndexers({ byFirstTag });
          funcs.byFirstTag = byFirstTag;
        }
        break;
    }
    expect(indexer.listKeys(), where).toEqual([...oracle.keys()]);
    const listed = indexer.list();
    expect(listed.length, where).toBe(oracle.size);
    [...oracle.values()].forEach((obj, j) => expect(listed[j], `${where}: list()[${j}]`).toBe(obj));
    for (const [key, obj] of oracle) expect(indexer.getByKey(key), where).toBe(obj);
    trace.push(indexer.listKeys(), ...checkIndices(indexer, funcs, probes, where));
  });
  return trace;
}

describe('cache Indexer properties over random operation sequences', () => {
  it('keeps list and every index equal to a naive recomputation after every operation', () => {
    fc.assert(
      fc.property(opsArb, probesArb, (ops, probes) => {
        run(ops, probes);
      }),
      { numRuns: 500 },
    );
  });

  it('gives byte-identical results for the same operations', () => {
    fc.assert(
      fc.property(opsArb, probesArb, (ops, probes) => {
        expect(JSON.stringify(run(ops, probes))).toBe(JSON.stringify(run(ops, probes)));
      }),
      { numRuns: 100 },
    );
  });
});
