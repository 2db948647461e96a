// Follows client-go tools/cache/delta_fifo_test.go at v0.34.0 (kubernetes v1.34.0). Goroutines
// become async producers and consumers; Go's `Pop(f)` test helper becomes `await f.pop(...)`;
// `reflect.DeepEqual` becomes `toStrictEqual`, which also checks that tombstones are
// DeletedFinalStateUnknown instances.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { settle } from '../core/drive';
import { TraceRecorder } from '../core/trace';
import { setActiveTrace } from '../core/env';
import { dedupDeltas, isDeletionDup, newDeltaFIFO } from './delta_fifo';
import {
  DeltaType,
  ErrFIFOClosed,
  FIFOClosedError,
  copyDeltas,
  newestDelta,
  oldestDelta,
  type Delta,
  type DeltaFIFO,
  type DeltaFIFOConfig,
  type Deltas,
  type KeyListerGetter,
} from './delta_fifo_types';
import { DeletedFinalStateUnknown, KeyError } from './keys';

const { Added, Updated, Deleted, Replaced, Sync } = DeltaType;

// ---- fixtures (upstream: fifo_test.go's testFifoObject, delta_fifo_test.go's literalListerGetter)

interface TestFifoObject {
  name: string;
  val: unknown;
}

function mkFifoObj(name: string, val: unknown): TestFifoObject {
  return { name, val };
}

function testFifoObjectKeyFunc(obj: unknown): string {
  const name = (obj as TestFifoObject | undefined)?.name;
  if (typeof name !== 'string') throw new Error(`not a test fifo object: ${JSON.stringify(obj)}`);
  return name;
}

/** A KeyListerGetter over a function that lists the same objects every time. */
function literalListerGetter(kl: () => TestFifoObject[]): KeyListerGetter {
  return {
    listKeys: () => kl().map((o) => o.name),
    getByKey: (key) => kl().find((o) => o.name === key),
  };
}

function tombstone(key: string, obj: unknown): DeletedFinalStateUnknown {
  return new DeletedFinalStateUnknown(key, obj);
}

function mkFifo(cfg: Omit<DeltaFIFOConfig, 'keyFunction'> = {}): DeltaFIFO<TestFifoObject> {
  return newDeltaFIFO<TestFifoObject>({ keyFunction: testFifoObjectKeyFunc, ...cfg });
}

/** Go's `Pop(f)` helper: pops with a process that does nothing. */
function pop<T>(f: DeltaFIFO<T>): Promise<Deltas<T>> {
  return f.pop(() => {});
}

/** Go's `testPop`: the newest object of the next popped Deltas. */
async function testPop(f: DeltaFIFO<TestFifoObject>): Promise<TestFifoObject> {
  return newestDelta(await pop(f))!.object;
}

/** Go's `pop2`: the Deltas and `isInInitialList`. */
async function pop2<T>(f: DeltaFIFO<T>): Promise<[Deltas<T>, boolean]> {
  let initial = false;
  const deltas = await f.pop((_, isInInitialList) => {
    initial = isInInitialList;
  });
  return [deltas, initial];
}

/** A promise's state after pending callbacks have run. */
async function stateOf(p: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  await settle();
  return state;
}

/** The invariants on the DeltaFIFO type's comment, checked from the outside. */
function expectInvariants(f: DeltaFIFO<unknown>): void {
  const keys = f.listKeys();
  expect(new Set(keys).size).toBe(keys.length);
  for (const key of keys) {
    const deltas = f.getByKey(key)!;
    expect(deltas.length).toBeGreaterThan(0);
    for (let i = 1; i < deltas.length; i++) {
      expect(deltas[i - 1].type === Deleted && deltas[i].type === Deleted).toBe(false);
    }
  }
}

interface Case {
  name: string;
  ref: string;
  run: () => Promise<void> | void;
}

const cases: Case[] = [
  {
    name: 'two producers adding 500 keys each: every key pops once, each producer in order',
    ref: 'TestDeltaFIFO_basic',
    run: async () => {
      const f = mkFifo();
      const amount = 500;
      const producer = async (prefix: string) => {
        for (let i = 0; i < amount; i++) {
          f.add(mkFifoObj(prefix + String.fromCharCode(i), { prefix, n: i + 1 }));
          await null;
        }
      };
      void producer('a');
      void producer('b');
      const last: Record<string, number> = { a: 0, b: 0 };
      for (let i = 0; i < amount * 2; i++) {
        const { prefix, n } = (await testPop(f)).val as { prefix: string; n: number };
        expect(n, `got ${n} (${prefix}) out of order, last was ${last[prefix]}`).toBeGreaterThan(last[prefix]);
        last[prefix] = n;
      }
      expect(last).toEqual({ a: amount, b: amount });
      expect(f.listKeys()).toEqual([]);
    },
  },
  {
    name: 'a relist after a queued Delete still adds the Sync of the recreated object',
    ref: 'TestDeltaFIFO_replaceWithDeleteDeltaIn',
    run: async () => {
      const oldObj = mkFifoObj('foo', 1);
      const newObj = mkFifoObj('foo', 2);
      const f = mkFifo({ knownObjects: literalListerGetter(() => [oldObj]) });
      f.delete(oldObj);
      f.replace([newObj], '');
      expect(await pop(f)).toStrictEqual([
        { type: Deleted, object: oldObj },
        { type: Sync, object: newObj },
      ]);
    },
  },
  ...replaceMakesDeletionsForObjectsOnlyInQueue(),
  {
    name: 'add, update, delete collapse onto one key; list shows the newest object; pop removes it',
    ref: 'TestDeltaFIFO_addUpdate',
    run: async () => {
      const f = mkFifo();
      f.add(mkFifoObj('foo', 10));
      f.update(mkFifoObj('foo', 12));
      f.delete(mkFifoObj('foo', 15));
      expect(f.list()).toStrictEqual([mkFifoObj('foo', 15)]);
      expect(f.listKeys()).toEqual(['foo']);
      const got: TestFifoObject[] = [];
      const consumer = (async () => {
        for (;;) got.push(await testPop(f));
      })();
      await settle();
      expect(got.map((o) => o.val)).toEqual([15]);
      expect(f.get(mkFifoObj('foo', ''))).toBeUndefined();
      f.close();
      await expect(consumer).rejects.toBe(ErrFIFOClosed);
      expect(got).toHaveLength(1);
    },
  },
  {
    name: 'the transformer sees each object once; tombstones and their objects are not transformed again',
    ref: 'TestDeltaFIFO_transformer',
    run: async () => {
      interface RvAndXfrm {
        rv: number;
        xfrm: number;
      }
      const mk = (name: string, rv: number) => mkFifoObj(name, { rv, xfrm: 0 } satisfies RvAndXfrm);
      const xfrm = (obj: unknown): unknown => {
        if (obj instanceof DeletedFinalStateUnknown) {
          const x = ((obj.obj as TestFifoObject).val as RvAndXfrm).xfrm;
          if (x !== 1) throw new Error(`object has been transformed wrong number of times: ${JSON.stringify(obj)}`);
        } else if (typeof (obj as TestFifoObject).name === 'string') {
          ((obj as TestFifoObject).val as RvAndXfrm).xfrm++;
        } else {
          throw new Error(`unexpected object: ${JSON.stringify(obj)}`);
        }
        return obj;
      };
      const f = mkFifo({ transformer: xfrm });
      f.add(mk('foo', 10));
      f.add(mk('bar', 11));
      f.update(mk('foo', 12));
      f.delete(mk('foo', 15));
      f.replace([], '');
      f.add(mk('bar', 16));
      f.replace([], '');
      expect(f.listKeys()).toEqual(['foo', 'bar']);

      const foo = newestDelta(await pop(f))!.object as unknown;
      expect(foo).not.toBeInstanceOf(DeletedFinalStateUnknown);
      expect((foo as TestFifoObject).name, 'expected regular deletion of foo').toBe('foo');
      expect((foo as TestFifoObject).val).toEqual({ rv: 15, xfrm: 1 });

      const bar = newestDelta(await pop(f))!.object as unknown;
      expect(bar, 'expected tombstone deletion of bar').toBeInstanceOf(DeletedFinalStateUnknown);
      const inner = (bar as DeletedFinalStateUnknown).obj as TestFifoObject;
      expect(inner.name).toBe('bar');
      expect(inner.val).toEqual({ rv: 16, xfrm: 1 });
    },
  },
  {
    name: 'without known objects, deleting a key that is not queued queues nothing',
    ref: 'TestDeltaFIFO_enqueueingNoLister',
    run: async () => {
      const f = mkFifo();
      f.add(mkFifoObj('foo', 10));
      f.update(mkFifoObj('bar', 15));
      f.add(mkFifoObj('qux', 17));
      f.delete(mkFifoObj('qux', 18));
      // This delete does not enqueue anything because baz doesn't exist.
      f.delete(mkFifoObj('baz', 20));
      for (const expected of [10, 15, 18]) expect((await testPop(f)).val).toBe(expected);
      expect(f.listKeys()).toEqual([]);
    },
  },
  {
    name: 'with known objects, deleting a key only they know queues the deletion',
    ref: 'TestDeltaFIFO_enqueueingWithLister',
    run: async () => {
      const f = mkFifo({
        knownObjects: literalListerGetter(() => [mkFifoObj('foo', 5), mkFifoObj('bar', 6), mkFifoObj('baz', 7)]),
      });
      f.add(mkFifoObj('foo', 10));
      f.update(mkFifoObj('bar', 15));
      // This delete does enqueue the deletion, because "baz" is in the key lister.
      f.delete(mkFifoObj('baz', 20));
      for (const expected of [10, 15, 20]) expect((await testPop(f)).val).toBe(expected);
      expect(f.listKeys()).toEqual([]);
    },
  },
  {
    name: 'an add followed by a relist of the same key pops once, with the relisted object newest',
    ref: 'TestDeltaFIFO_addReplace',
    run: async () => {
      const f = mkFifo();
      f.add(mkFifoObj('foo', 10));
      f.replace([mkFifoObj('foo', 15)], '0');
      expect((await testPop(f)).val).toBe(15);
      const second = pop(f);
      expect(await stateOf(second), 'got a second value').toBe('pending');
      expect(f.get(mkFifoObj('foo', ''))).toBeUndefined();
      f.close();
      await expect(second).rejects.toBe(ErrFIFOClosed);
    },
  },
  {
    name: 'a resync skips a key whose deletion is queued',
    ref: 'TestDeltaFIFO_ResyncNonExisting',
    run: () => {
      const f = mkFifo({ knownObjects: literalListerGetter(() => [mkFifoObj('foo', 5)]) });
      f.delete(mkFifoObj('foo', 10));
      f.resync();
      const deltas = f.getByKey('foo')!;
      expect(deltas).toHaveLength(1);
      expect(deltas[0].type).toBe(Deleted);
    },
  },
  {
    name: 'a resync queues a Sync for every known object',
    ref: 'TestDeltaFIFO_Resync',
    run: () => {
      const f = mkFifo({ knownObjects: literalListerGetter(() => [mkFifoObj('foo', 5)]) });
      f.resync();
      const deltas = f.getByKey('foo')!;
      expect(deltas).toHaveLength(1);
      expect(deltas[0].type).toBe(Sync);
    },
  },
  {
    name: 'a delete of a key only the queue knows is queued',
    ref: 'TestDeltaFIFO_DeleteExistingNonPropagated',
    run: () => {
      const f = mkFifo({ knownObjects: literalListerGetter(() => []) });
      f.add(mkFifoObj('foo', 5));
      f.delete(mkFifoObj('foo', 6));
      const deltas = f.getByKey('foo')!;
      expect(deltas).toHaveLength(2);
      expect(deltas[deltas.length - 1].type).toBe(Deleted);
    },
  },
  {
    name: 'replace makes tombstones for keys missing from the list (five variants)',
    ref: 'TestDeltaFIFO_ReplaceMakesDeletions',
    run: async () => {
      const known = () => literalListerGetter(() => [mkFifoObj('foo', 5), mkFifoObj('bar', 6), mkFifoObj('baz', 7)]);
      const popAll = async (f: DeltaFIFO<TestFifoObject>, expected: Deltas[]) => {
        for (const e of expected) expect(await pop(f)).toStrictEqual(e);
      };

      // With a pre-existing Delete.
      let f = mkFifo({ knownObjects: known() });
      f.delete(mkFifoObj('baz', 10));
      f.replace([mkFifoObj('foo', 5)], '0');
      await popAll(f, [
        [{ type: Deleted, object: mkFifoObj('baz', 10) }],
        [{ type: Sync, object: mkFifoObj('foo', 5) }],
        // "bar" had no delete event and was not in the list: a tombstone with the known object.
        [{ type: Deleted, object: tombstone('bar', mkFifoObj('bar', 6)) }],
      ]);

      // Starting with an Add instead of a Delete.
      f = mkFifo({ knownObjects: known() });
      f.add(mkFifoObj('baz', 10));
      f.replace([mkFifoObj('foo', 5)], '0');
      await popAll(f, [
        [
          { type: Added, object: mkFifoObj('baz', 10) },
          { type: Deleted, object: tombstone('baz', mkFifoObj('baz', 10)) },
        ],
        [{ type: Sync, object: mkFifoObj('foo', 5) }],
        [{ type: Deleted, object: tombstone('bar', mkFifoObj('bar', 6)) }],
      ]);

      // Deleting and recreating the object in the queue, then deleting it by a Replace.
      f = mkFifo({ knownObjects: known() });
      f.delete(mkFifoObj('bar', 6));
      f.add(mkFifoObj('bar', 100));
      f.replace([mkFifoObj('foo', 5)], '0');
      await popAll(f, [
        [
          { type: Deleted, object: mkFifoObj('bar', 6) },
          { type: Added, object: mkFifoObj('bar', 100) },
          // The queue has a newer object than the known objects: the tombstone holds it.
          { type: Deleted, object: tombstone('bar', mkFifoObj('bar', 100)) },
        ],
        [{ type: Sync, object: mkFifoObj('foo', 5) }],
        [{ type: Deleted, object: tombstone('baz', mkFifoObj('baz', 7)) }],
      ]);

      // Syncing first, so the delete uses the latest version.
      f = mkFifo({ knownObjects: known() });
      f.replace([mkFifoObj('bar', 100), mkFifoObj('foo', 5)], '0');
      f.replace([mkFifoObj('foo', 5)], '0');
      await popAll(f, [
        [
          { type: Sync, object: mkFifoObj('bar', 100) },
          { type: Deleted, object: tombstone('bar', mkFifoObj('bar', 100)) },
        ],
        [
          { type: Sync, object: mkFifoObj('foo', 5) },
          { type: Sync, object: mkFifoObj('foo', 5) },
        ],
        [{ type: Deleted, object: tombstone('baz', mkFifoObj('baz', 7)) }],
      ]);

      // Without known objects.
      f = mkFifo();
      f.add(mkFifoObj('baz', 10));
      f.replace([mkFifoObj('foo', 5)], '0');
      await popAll(f, [
        [
          { type: Added, object: mkFifoObj('baz', 10) },
          { type: Deleted, object: tombstone('baz', mkFifoObj('baz', 10)) },
        ],
        [{ type: Sync, object: mkFifoObj('foo', 5) }],
      ]);
    },
  },
  {
    name: 'with emitDeltaTypeReplaced, replace queues Replaced and still makes tombstones',
    ref: 'TestDeltaFIFO_ReplaceMakesDeletionsReplaced',
    run: async () => {
      const f = mkFifo({
        knownObjects: literalListerGetter(() => [mkFifoObj('foo', 5), mkFifoObj('bar', 6), mkFifoObj('baz', 7)]),
        emitDeltaTypeReplaced: true,
      });
      f.delete(mkFifoObj('baz', 10));
      f.replace([mkFifoObj('foo', 6)], '0');
      for (const expected of [
        [{ type: Deleted, object: mkFifoObj('baz', 10) }],
        [{ type: Replaced, object: mkFifoObj('foo', 6) }],
        [{ type: Deleted, object: tombstone('bar', mkFifoObj('bar', 6)) }],
      ]) {
        expect(await pop(f)).toStrictEqual(expected);
      }
    },
  },
  {
    name: 'with emitDeltaTypeReplaced, a relisted object gets a Replaced delta',
    ref: 'TestDeltaFIFO_ReplaceDeltaType',
    run: async () => {
      const f = mkFifo({ knownObjects: literalListerGetter(() => [mkFifoObj('foo', 5)]), emitDeltaTypeReplaced: true });
      f.replace([mkFifoObj('foo', 5)], '0');
      expect(await pop(f)).toStrictEqual([{ type: Replaced, object: mkFifoObj('foo', 5) }]);
    },
  },
  {
    name: 'a resync does not queue the stale known object behind a queued update',
    ref: 'TestDeltaFIFO_UpdateResyncRace',
    run: async () => {
      const f = mkFifo({ knownObjects: literalListerGetter(() => [mkFifoObj('foo', 5)]) });
      f.update(mkFifoObj('foo', 6));
      f.resync();
      expect(await pop(f)).toStrictEqual([{ type: Updated, object: mkFifoObj('foo', 6) }]);
    },
  },
  {
    name: 'the deletions the first replace queues count toward the initial list',
    ref: 'TestDeltaFIFO_HasSyncedCorrectOnDeletion',
    run: async () => {
      const f = mkFifo({
        knownObjects: literalListerGetter(() => [mkFifoObj('foo', 5), mkFifoObj('bar', 6), mkFifoObj('baz', 7)]),
      });
      f.replace([mkFifoObj('foo', 5)], '0');
      for (const expected of [
        [{ type: Sync, object: mkFifoObj('foo', 5) }],
        [{ type: Deleted, object: tombstone('bar', mkFifoObj('bar', 6)) }],
        [{ type: Deleted, object: tombstone('baz', mkFifoObj('baz', 7)) }],
      ]) {
        expect(f.hasSynced(), 'Expected HasSynced to be false').toBe(false);
        const [cur, initial] = await pop2(f);
        expect(cur).toStrictEqual(expected);
        expect(initial, 'Expected initial list item').toBe(true);
      }
      expect(f.hasSynced(), 'Expected HasSynced to be true').toBe(true);
    },
  },
  {
    name: 'a key added again while queued keeps its place in line',
    ref: 'TestDeltaFIFO_detectLineJumpers',
    run: async () => {
      const f = mkFifo();
      f.add(mkFifoObj('foo', 10));
      f.add(mkFifoObj('bar', 1));
      f.add(mkFifoObj('foo', 11));
      f.add(mkFifoObj('foo', 13));
      f.add(mkFifoObj('zab', 30));
      expect((await testPop(f)).val).toBe(13);
      f.add(mkFifoObj('foo', 14)); // ensure foo doesn't jump back in line
      expect((await testPop(f)).val).toBe(1);
      expect((await testPop(f)).val).toBe(30);
      expect((await testPop(f)).val).toBe(14);
    },
  },
  {
    name: 'keyOf understands objects, tombstones and Deltas',
    ref: 'TestDeltaFIFO_KeyOf',
    run: () => {
      const f = mkFifo();
      const table: Array<{ obj: unknown; key: string }> = [
        { obj: mkFifoObj('A', undefined), key: 'A' },
        { obj: tombstone('B', undefined), key: 'B' },
        { obj: [{ type: '' as DeltaType, object: mkFifoObj('C', undefined) }], key: 'C' },
        { obj: [{ type: '' as DeltaType, object: tombstone('D', undefined) }], key: 'D' },
      ];
      for (const { obj, key } of table) expect(f.keyOf(obj)).toBe(key);
    },
  },
  ...hasSyncedCases(),
  {
    name: 'ten pops waiting on an empty queue all reject once it is closed',
    ref: 'TestDeltaFIFO_PopShouldUnblockWhenClosed',
    run: async () => {
      const f = mkFifo({ knownObjects: literalListerGetter(() => [mkFifoObj('foo', 5)]) });
      const jobs = Array.from({ length: 10 }, () => pop(f));
      await settle();
      for (const job of jobs) expect(await stateOf(job)).toBe('pending');
      f.close();
      for (const job of jobs) await expect(job).rejects.toBe(ErrFIFOClosed);
    },
  },
];

/** TestDeltaFIFOW_ReplaceMakesDeletionsForObjectsOnlyInQueue: each row with and without known objects. */
function replaceMakesDeletionsForObjectsOnlyInQueue(): Case[] {
  const obj = mkFifoObj('foo', 2);
  const objV2 = mkFifoObj('foo', 3);
  const table: Array<{ name: string; emitDeltaTypeReplaced?: boolean; operations: (f: DeltaFIFO<TestFifoObject>) => void; expectedDeltas: Deltas }> = [
    {
      name: 'Added object should be deleted on Replace',
      operations: (f) => {
        f.add(obj);
        f.replace([], '0');
      },
      expectedDeltas: [
        { type: Added, object: obj },
        { type: Deleted, object: tombstone('foo', obj) },
      ],
    },
    {
      // Upstream sets f.emitDeltaTypeReplaced = true before the first call; here it is an option.
      name: 'Replaced object should have only a single Delete',
      emitDeltaTypeReplaced: true,
      operations: (f) => {
        f.add(obj);
        f.replace([obj], '0');
        f.replace([], '0');
      },
      expectedDeltas: [
        { type: Added, object: obj },
        { type: Replaced, object: obj },
        { type: Deleted, object: tombstone('foo', obj) },
      ],
    },
    {
      name: 'Deleted object should have only a single Delete',
      operations: (f) => {
        f.add(obj);
        f.delete(obj);
        f.replace([], '0');
      },
      expectedDeltas: [
        { type: Added, object: obj },
        { type: Deleted, object: obj },
      ],
    },
    {
      name: 'Synced objects should have a single delete',
      operations: (f) => {
        f.add(obj);
        f.replace([obj], '0');
        f.replace([obj], '0');
        f.replace([], '0');
      },
      expectedDeltas: [
        { type: Added, object: obj },
        { type: Sync, object: obj },
        { type: Sync, object: obj },
        { type: Deleted, object: tombstone('foo', obj) },
      ],
    },
    {
      name: 'Added objects should have a single delete on multiple Replaces',
      operations: (f) => {
        f.add(obj);
        f.replace([], '0');
        f.replace([], '1');
      },
      expectedDeltas: [
        { type: Added, object: obj },
        { type: Deleted, object: tombstone('foo', obj) },
      ],
    },
    {
      name: 'Added and deleted and added object should be deleted',
      operations: (f) => {
        f.add(obj);
        f.delete(obj);
        f.add(objV2);
        f.replace([], '0');
      },
      expectedDeltas: [
        { type: Added, object: obj },
        { type: Deleted, object: obj },
        { type: Added, object: objV2 },
        { type: Deleted, object: tombstone('foo', objV2) },
      ],
    },
  ];
  return table.flatMap((tt) =>
    [true, false].map((withKnown) => ({
      name: `${tt.name} (${withKnown ? 'with' : 'without'} known objects)`,
      ref: 'TestDeltaFIFOW_ReplaceMakesDeletionsForObjectsOnlyInQueue',
      run: async () => {
        const f = mkFifo({
          emitDeltaTypeReplaced: tt.emitDeltaTypeReplaced,
          knownObjects: withKnown ? literalListerGetter(() => []) : undefined,
        });
        tt.operations(f);
        expect(await pop(f)).toStrictEqual(tt.expectedDeltas);
        expect(f.listKeys(), 'expected no extra deltas').toEqual([]);
      },
    })),
  );
}

/** TestDeltaFIFO_HasSynced's table, one case per row. */
function hasSyncedCases(): Case[] {
  type Action = (f: DeltaFIFO<TestFifoObject>) => unknown;
  const table: Array<{ what: string; actions: Action[]; expectedSynced: boolean }> = [
    { what: 'nothing happened', actions: [], expectedSynced: false },
    { what: 'an Add came first', actions: [(f) => f.add(mkFifoObj('a', 1))], expectedSynced: true },
    { what: 'an empty Replace', actions: [(f) => f.replace([], '0')], expectedSynced: true },
    {
      what: 'a Replace of two, nothing popped',
      actions: [(f) => f.replace([mkFifoObj('a', 1), mkFifoObj('b', 2)], '0')],
      expectedSynced: false,
    },
    {
      what: 'a Replace of two, one popped',
      actions: [(f) => f.replace([mkFifoObj('a', 1), mkFifoObj('b', 2)], '0'), (f) => pop(f)],
      expectedSynced: false,
    },
    {
      what: 'a Replace of two, both popped',
      actions: [(f) => f.replace([mkFifoObj('a', 1), mkFifoObj('b', 2)], '0'), (f) => pop(f), (f) => pop(f)],
      expectedSynced: true,
    },
    {
      // Cannot happen in practice (a list never repeats a key), but the count is of keys.
      what: 'a Replace listing one key twice, one popped',
      actions: [(f) => f.replace([mkFifoObj('a', 1), mkFifoObj('a', 2)], '0'), (f) => pop(f)],
      expectedSynced: true,
    },
  ];
  return table.map((test, i) => ({
    name: `hasSynced after ${test.what} is ${test.expectedSynced} (row ${i})`,
    ref: 'TestDeltaFIFO_HasSynced',
    run: async () => {
      const f = mkFifo();
      for (const action of test.actions) await action(f);
      expect(f.hasSynced()).toBe(test.expectedSynced);
    },
  }));
}

/**
 * `HasSynced` takes `f.lock`, which `Pop` holds while `process` runs: a caller asking while the
 * last item of the initial list is being processed waits, and is told true only once `process`
 * has returned. The model cannot block a caller, so it answers false until then. One row per way
 * `process` can end; `during` is what `hasSynced()` says while it runs, `after` once it has.
 */
function hasSyncedWhileProcessingCases(): Case[] {
  type Ending = 'returns' | 'throws' | 'resolves later' | 'rejects later';
  const table: Array<{ ending: Ending; during: boolean; after: boolean }> = [
    { ending: 'returns', during: false, after: true },
    { ending: 'throws', during: false, after: true },
    { ending: 'resolves later', during: false, after: true },
    { ending: 'rejects later', during: false, after: true },
  ];
  return table.map((test) => ({
    name: `hasSynced is false while process runs for the last initial item, true once it ${test.ending === 'returns' ? 'returns' : test.ending}`,
    ref: 'DeltaFIFO.HasSynced (takes f.lock, held by Pop during process)',
    run: async () => {
      const clock = new FakeClock();
      const f = mkFifo();
      f.replace([mkFifoObj('a', 1), mkFifoObj('b', 2)], '0');
      const boom = new Error('process failed');
      const seen: boolean[] = [];
      await pop(f); // a: not the last one
      const last = f.pop((_, isInInitialList) => {
        expect(isInInitialList).toBe(true);
        seen.push(f.hasSynced());
        if (test.ending === 'throws') throw boom;
        if (test.ending === 'returns') return;
        return clock.sleep(10).then(() => {
          seen.push(f.hasSynced());
          if (test.ending === 'rejects later') throw boom;
        });
      });
      const outcome = last.then(
        () => 'ok',
        (err: unknown) => (err === boom ? 'failed' : 'other'),
      );
      await settle();
      if (test.ending === 'resolves later' || test.ending === 'rejects later') {
        // Still processing: a caller outside process is answered false too.
        expect(f.hasSynced(), 'outside process, while it waits').toBe(test.during);
        expect(f.snapshot().hasSynced).toBe(test.during);
        clock.step(10);
      }
      expect(await outcome).toBe(test.ending === 'returns' || test.ending === 'resolves later' ? 'ok' : 'failed');
      expect(seen.every((s) => s === test.during), `inside process: ${seen.join(', ')}`).toBe(true);
      expect(f.hasSynced(), 'once process has returned').toBe(test.after);
      expect(f.snapshot().hasSynced).toBe(test.after);
    },
  }));
}

/** Cases for behaviour the upstream tests leave implicit, each naming the code it follows. */
const modelCases: Case[] = [
  {
    name: 'two deletions in a row collapse; the one with the most information is kept',
    ref: 'dedupDeltas / isDeletionDup (delta_fifo.go)',
    run: () => {
      const real: Delta = { type: Deleted, object: mkFifoObj('a', 1) };
      const newer: Delta = { type: Deleted, object: mkFifoObj('a', 2) };
      const stone: Delta = { type: Deleted, object: tombstone('a', mkFifoObj('a', 0)) };
      const added: Delta = { type: Added, object: mkFifoObj('a', 0) };
      // b is the older delta, a the newer.
      expect(isDeletionDup(newer, real)).toBe(real);
      expect(isDeletionDup(real, stone)).toBe(real);
      expect(isDeletionDup(stone, stone)).toBe(stone);
      expect(isDeletionDup(real, added)).toBeUndefined();
      expect(dedupDeltas([added, real, newer])).toStrictEqual([added, real]);
      expect(dedupDeltas([added, stone, real])).toStrictEqual([added, real]);
      expect(dedupDeltas([real, added])).toStrictEqual([real, added]);
      expect(dedupDeltas([real])).toStrictEqual([real]);
    },
  },
  {
    name: 'get and getByKey return copies; oldestDelta and newestDelta pick the ends',
    ref: 'GetByKey / copyDeltas / Deltas.Oldest / Deltas.Newest (delta_fifo.go)',
    run: () => {
      const f = mkFifo();
      f.add(mkFifoObj('a', 1));
      f.update(mkFifoObj('a', 2));
      const copy = f.getByKey('a')!;
      copy.push({ type: Deleted, object: mkFifoObj('a', 3) });
      copy[0].type = Sync;
      expect(f.get(mkFifoObj('a', 0))!.map((d) => d.type)).toEqual([Added, Updated]);
      expect(f.getByKey('missing')).toBeUndefined();
      expect(oldestDelta(copy)!.object).toEqual(mkFifoObj('a', 1));
      expect(newestDelta(copy)!.object).toEqual(mkFifoObj('a', 3));
      expect(oldestDelta([])).toBeUndefined();
      expect(newestDelta([])).toBeUndefined();
      expect(copyDeltas(copy)).toStrictEqual(copy);
    },
  },
  {
    name: 'list and listKeys follow the FIFO order; a popped and re-added key goes to the end',
    ref: 'listKeys (delta_fifo_test.go helper, copies f.queue)',
    run: async () => {
      const f = mkFifo();
      for (const n of ['c', 'a', 'b']) f.add(mkFifoObj(n, 1));
      f.update(mkFifoObj('c', 2));
      expect(f.listKeys()).toEqual(['c', 'a', 'b']);
      expect(f.list()).toStrictEqual([mkFifoObj('c', 2), mkFifoObj('a', 1), mkFifoObj('b', 1)]);
      await pop(f);
      f.add(mkFifoObj('c', 3));
      expect(f.listKeys()).toEqual(['a', 'b', 'c']);
    },
  },
  {
    name: 'a throwing process rejects pop, and the Deltas are not put back',
    ref: 'DeltaFIFO.Pop at v1.34 (returns process error; no ErrRequeue)',
    run: async () => {
      const f = mkFifo();
      f.add(mkFifoObj('foo', 10));
      f.add(mkFifoObj('bar', 11));
      const boom = new Error('handler failed');
      await expect(
        f.pop(() => {
          throw boom;
        }),
      ).rejects.toBe(boom);
      await expect(f.pop(async () => Promise.reject(boom))).rejects.toBe(boom);
      expect(f.listKeys()).toEqual([]);
      expect(f.getByKey('foo')).toBeUndefined();
    },
  },
  {
    name: 'pops waiting together are served in call order, one process at a time',
    ref: 'DeltaFIFO.Pop (process runs under f.lock)',
    run: async () => {
      const clock = new FakeClock();
      const f = mkFifo();
      const log: string[] = [];
      const worker = (id: string) =>
        f.pop(async (deltas) => {
          log.push(`${id} start ${newestDelta(deltas)!.object.name}`);
          await clock.sleep(10);
          log.push(`${id} end`);
        });
      const w1 = worker('w1');
      const w2 = worker('w2');
      const w3 = worker('w3');
      expect(f.snapshot().waiters).toBe(3);
      f.add(mkFifoObj('x', 1));
      f.add(mkFifoObj('y', 1));
      expect(f.snapshot().processing).toBe('x');
      expect(f.listKeys()).toEqual(['y']);
      // Adds while a process runs are queued; the next pop waits for the lock.
      f.add(mkFifoObj('z', 1));
      for (let i = 0; i < 4; i++) {
        await settle();
        clock.step(10);
      }
      await Promise.all([w1, w2, w3]);
      expect(log).toEqual(['w1 start x', 'w1 end', 'w2 start y', 'w2 end', 'w3 start z', 'w3 end']);
    },
  },
  {
    name: 'a waiting pop takes nothing until a replace has finished',
    ref: 'DeltaFIFO.Replace (holds f.lock until done)',
    run: async () => {
      const f = mkFifo({ knownObjects: literalListerGetter(() => [mkFifoObj('old', 1)]) });
      const seen: Array<{ key: string; initial: boolean; synced: boolean }> = [];
      const p = f.pop((deltas, isInInitialList) => {
        seen.push({ key: newestDelta(deltas)!.object.name, initial: isInInitialList, synced: f.hasSynced() });
      });
      f.replace([mkFifoObj('a', 1), mkFifoObj('b', 1)], '7');
      await p;
      // The pop ran after the whole replace: it saw the initial population (3 keys) being counted.
      expect(seen).toEqual([{ key: 'a', initial: true, synced: false }]);
      expect(f.listKeys()).toEqual(['b', 'old']);
      expect(f.snapshot().initialPopulationCount).toBe(2);
    },
  },
  {
    name: 'after close, adds still queue and pops drain what is queued before rejecting',
    ref: 'DeltaFIFO.Close / Pop (closed only ends an empty queue)',
    run: async () => {
      const f = mkFifo();
      f.add(mkFifoObj('a', 1));
      f.close();
      expect(f.isClosed()).toBe(true);
      f.add(mkFifoObj('b', 1));
      expect((await testPop(f)).name).toBe('a');
      expect((await testPop(f)).name).toBe('b');
      await expect(pop(f)).rejects.toBe(ErrFIFOClosed);
      expect(ErrFIFOClosed).toBeInstanceOf(FIFOClosedError);
      expect(ErrFIFOClosed.message).toBe('DeltaFIFO: manipulating with closed queue');
    },
  },
  {
    name: 'a pop waiting behind a running process rejects once that process ends on a closed, empty queue',
    ref: 'DeltaFIFO.Pop (waiters re-check closed after taking the lock)',
    run: async () => {
      const clock = new FakeClock();
      const f = mkFifo();
      f.add(mkFifoObj('a', 1));
      const first = f.pop(() => clock.sleep(5));
      const second = pop(f);
      f.close();
      expect(await stateOf(second)).toBe('pending');
      clock.step(5);
      await expect(first).resolves.toHaveLength(1);
      await expect(second).rejects.toBe(ErrFIFOClosed);
    },
  },
  {
    name: 'key errors are KeyErrors naming the object; empty Deltas have no key',
    ref: 'KeyError / ErrZeroLengthDeltasObject (store.go, delta_fifo.go)',
    run: () => {
      const f = mkFifo();
      expect(() => f.add(42 as unknown as TestFifoObject)).toThrow(KeyError);
      expect(() => f.add(42 as unknown as TestFifoObject)).toThrow("couldn't create key for object 42: not a test fifo object: 42");
      expect(() => f.keyOf([])).toThrow("couldn't create key for object []: 0 length Deltas object; can't get key");
      expect(() => f.delete([])).toThrow(KeyError);
      // As upstream, a failed Add still marks the queue populated.
      expect(f.hasSynced()).toBe(true);
      expect(f.listKeys()).toEqual([]);
    },
  },
  {
    name: 'the default key function is metaNamespaceKeyFunc',
    ref: 'NewDeltaFIFOWithOptions (KeyFunction defaults to MetaNamespaceKeyFunc)',
    run: () => {
      const f = newDeltaFIFO();
      f.add({ metadata: { namespace: 'default', name: 'web' } });
      f.add({ metadata: { name: 'node-1' } });
      expect(f.listKeys()).toEqual(['default/web', 'node-1']);
    },
  },
  {
    name: 'a throwing transformer fails the call; replace wraps the error',
    ref: 'queueActionInternalLocked / Replace ("couldn\'t enqueue object")',
    run: () => {
      const f = mkFifo({
        transformer: () => {
          throw new Error('no');
        },
      });
      expect(() => f.add(mkFifoObj('a', 1))).toThrow(/^no$/);
      expect(() => f.replace([mkFifoObj('a', 1)], '1')).toThrow("couldn't enqueue object: no");
      expect(f.listKeys()).toEqual([]);
    },
  },
  {
    name: 'resync objects are not transformed; relisted ones are, even when emitted as Sync',
    ref: 'queueActionInternalLocked (internalActionType Sync skips the transformer)',
    run: async () => {
      let calls = 0;
      const f = mkFifo({
        knownObjects: literalListerGetter(() => [mkFifoObj('k', 1)]),
        transformer: (obj) => {
          calls++;
          return { ...(obj as TestFifoObject), val: 'transformed' };
        },
      });
      f.resync();
      expect(f.getByKey('k')).toStrictEqual([{ type: Sync, object: mkFifoObj('k', 1) }]);
      expect(calls).toBe(0);
      await pop(f);
      f.replace([mkFifoObj('k', 2)], '5');
      expect(f.getByKey('k')).toStrictEqual([{ type: Sync, object: mkFifoObj('k', 'transformed') }]);
      expect(calls).toBe(1);
    },
  },
  {
    name: 'lookups that fail or miss place tombstones without objects and skip resyncs, logging upstream\'s lines',
    ref: 'Replace / syncKeyLocked (klog lines)',
    run: () => {
      const trace = new TraceRecorder();
      const known: KeyListerGetter = {
        listKeys: () => ['gone', 'broken'],
        getByKey: (key) => {
          if (key === 'broken') throw new Error('disk on fire');
          return undefined;
        },
      };
      const f = mkFifo({ knownObjects: known, trace, name: 'pods' });
      f.resync();
      expect(f.listKeys()).toEqual([]);
      f.replace([], '3');
      expect(f.getByKey('gone')).toStrictEqual([{ type: Deleted, object: tombstone('gone', undefined) }]);
      expect(f.getByKey('broken')).toStrictEqual([{ type: Deleted, object: tombstone('broken', undefined) }]);
      expect(trace.ofType('deltaFIFO.log').map((e) => `${e.level}: ${e.message}`)).toEqual([
        // client-go v0.34.0 logs these through f.logger, structured (klog's text format).
        'info: "Key does not exist in known objects store, unable to queue object for sync" key="gone"',
        'error: "Unexpected error during lookup, unable to queue object for sync" err="disk on fire" key="broken"',
        'info: "Key does not exist in known objects store, placing DeleteFinalStateUnknown marker without object" key="gone"',
        'error: "Unexpected error during lookup, placing DeleteFinalStateUnknown marker without object" err="disk on fire" key="broken"',
      ]);
      // A delete whose lookup fails is queued (upstream skips only when err == nil).
      const g = mkFifo({ knownObjects: known });
      g.delete(mkFifoObj('broken', 1));
      g.delete(mkFifoObj('gone', 1));
      expect(g.listKeys()).toEqual(['broken']);
    },
  },
  {
    name: 'trace events are plain JSON with the queue name, key, delta type, counts and resourceVersion',
    ref: 'model: trace contract (DESIGN.md)',
    run: async () => {
      const trace = new TraceRecorder();
      const previous = setActiveTrace(trace);
      try {
        const clock = new FakeClock(100);
        const f = newDeltaFIFO<TestFifoObject>({ keyFunction: testFifoObjectKeyFunc, clock, name: 'pods' });
        const g = newDeltaFIFO<TestFifoObject>({ keyFunction: testFifoObjectKeyFunc });
        const h = newDeltaFIFO<TestFifoObject>({ keyFunction: testFifoObjectKeyFunc });
        expect([f.name, g.name, h.name]).toEqual(['pods', 'deltaFIFO', 'deltaFIFO-2']);
        f.add(mkFifoObj('a', 1));
        f.delete(mkFifoObj('a', 2));
        f.delete(mkFifoObj('zzz', 1));
        f.replace([mkFifoObj('b', 1)], '42');
        await pop(f);
        f.close();
        await pop(f);
        await expect(pop(f)).rejects.toBe(ErrFIFOClosed);
      } finally {
        setActiveTrace(previous);
      }
      const events = trace.events.filter((e) => e.fifo === 'pods');
      expect(JSON.parse(JSON.stringify(events))).toEqual(events);
      expect(events.map(({ seq, ...rest }) => rest)).toEqual([
        { fifo: 'pods', knownObjects: false, emitDeltaTypeReplaced: false, transformer: false, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.new' },
        { fifo: 'pods', key: 'a', deltaType: 'Added', result: 'queued', tombstone: false, deltas: 1, len: 1, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.add' },
        { fifo: 'pods', key: 'a', deltaType: 'Deleted', result: 'appended', tombstone: false, deltas: 2, len: 1, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.delete' },
        { fifo: 'pods', key: 'zzz', deltaType: 'Deleted', result: 'ignored', tombstone: false, deltas: 0, len: 1, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.delete' },
        { fifo: 'pods', key: 'b', deltaType: 'Sync', result: 'queued', tombstone: false, deltas: 1, len: 2, resourceVersion: '42', t: 100, component: 'deltaFIFO', type: 'deltaFIFO.replace' },
        { fifo: 'pods', key: 'a', deltaType: 'Deleted', result: 'deduped', tombstone: true, deltas: 2, len: 2, resourceVersion: '42', cause: 'replace', t: 100, component: 'deltaFIFO', type: 'deltaFIFO.delete' },
        { fifo: 'pods', resourceVersion: '42', items: 1, keys: 1, deltaType: 'Sync', deletions: 1, first: false, initialPopulationCount: 0, len: 2, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.replaceDone' },
        { fifo: 'pods', key: 'a', deltas: 2, types: ['Added', 'Deleted'], isInInitialList: false, initialPopulationCount: 0, waiters: 0, len: 1, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.pop' },
        { fifo: 'pods', key: 'a', ok: true, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.processed' },
        { fifo: 'pods', waiters: 0, len: 1, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.close' },
        { fifo: 'pods', key: 'b', deltas: 1, types: ['Sync'], isInInitialList: false, initialPopulationCount: 0, waiters: 0, len: 0, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.pop' },
        { fifo: 'pods', key: 'b', ok: true, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.processed' },
        { fifo: 'pods', key: null, closed: true, rejected: 1, len: 0, t: 100, component: 'deltaFIFO', type: 'deltaFIFO.pop' },
      ]);
    },
  },
  {
    name: 'a snapshot shows the queue as plain data, tombstones included',
    ref: 'model: snapshot for visualizations',
    run: () => {
      const f = mkFifo();
      f.add(mkFifoObj('a', 1));
      f.replace([], '1');
      expect(f.snapshot()).toEqual({
        name: 'deltaFIFO',
        queue: [
          {
            key: 'a',
            deltas: [
              { type: 'Added', object: '{"name":"a","val":1}' },
              { type: 'Deleted', object: 'DeletedFinalStateUnknown{a, {"name":"a","val":1}}' },
            ],
          },
        ],
        populated: true,
        initialPopulationCount: 0,
        hasSynced: true,
        closed: false,
        waiters: 0,
        processing: null,
      });
      expectInvariants(f);
    },
  },
];

describe('DeltaFIFO (client-go tools/cache/delta_fifo_test.go)', () => {
  it.each(cases)('$ref: $name', async ({ run }) => {
    await run();
  });
});

describe('DeltaFIFO hasSynced while Pop holds the lock', () => {
  it.each(hasSyncedWhileProcessingCases())('$ref: $name', async ({ run }) => {
    await run();
  });
});

describe('DeltaFIFO model details', () => {
  it.each(modelCases)('$ref: $name', async ({ run }) => {
    await run();
  });
});
