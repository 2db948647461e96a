// Follows server/storage/mvcc/watchable_store_test.go and watcher_test.go, and the watch tests of
// tests/integration/v3_watch_test.go and clientv3, at etcd v3.6.0, with their keys and revisions.
// Store-level tables drive the WatchableStore directly (Go: watchableStore, syncWatchers);
// client-level ones go through newEtcd's watch, whose handlers run after the write returns.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import { TraceRecorder } from '../core/trace';
import { toBytes } from './bytes';
import { newEtcd } from './etcd';
import { isEtcdError, rpctypes } from './errors';
import { KVStore } from './kvstore';
import type { WatchResponse } from './types';
import { WatchableStore, type MvccWatchResponse } from './watchable_store';

function newStore(opts: { watchBatchMaxRevs?: number; maxWatchersPerSync?: number } = {}) {
  const clock = new FakeClock();
  const kv = new KVStore();
  const s = new WatchableStore(kv, clock, opts);
  const got: MvccWatchResponse[] = [];
  const ch = (wr: MvccWatchResponse) => got.push(wr);
  return { clock, kv, s, got, ch };
}

/** A client with a recorder per watch. */
function newClient(cfg: Parameters<typeof newEtcd>[0] = {}) {
  const clock = new FakeClock();
  const etcd = newEtcd({ clock, ...cfg });
  const record = () => {
    const got: WatchResponse[] = [];
    return { got, handler: (r: WatchResponse) => void got.push(r) };
  };
  return { clock, etcd, record };
}

const evs = (r: WatchResponse) => r.events.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}${e.prevKv ? ` (prev ${e.prevKv.value}@${e.prevKv.modRevision})` : ''}`);

describe('WatchableStore (mvcc watchable_store.go, watcher_group.go)', () => {
  it('a synced watcher gets each put at once (TestWatch)', () => {
    const { kv, s, got, ch } = newStore();
    kv.put('foo', 'bar', 0);
    const { synced } = s.watch('foo', undefined, 0, 0, ch);
    expect(synced).toBe(true);
    expect(s.synced.size()).toBe(1);
    kv.put('foo', 'bar', 0);
    expect(got).toEqual([{ watchId: 0, events: [{ type: 'PUT', kv: expect.objectContaining({ key: 'foo', modRevision: 3 }) }], revision: 3, compactRevision: 0 }]);
  });

  it('cancel removes a synced watcher (TestNewWatcherCancel)', () => {
    const { kv, s, got, ch } = newStore();
    kv.put('foo', 'bar', 0);
    const { cancel } = s.watch('foo', undefined, 0, 0, ch);
    cancel();
    expect(s.synced.size()).toBe(0);
    kv.put('foo', 'bar', 0);
    expect(got).toEqual([]);
  });

  it('cancel removes unsynced watchers (TestCancelUnsynced)', () => {
    const { kv, s, got, ch } = newStore();
    kv.put('foo', 'bar', 0);
    const cancels = Array.from({ length: 10 }, (_, i) => s.watch('foo', undefined, 1, i, ch).cancel);
    expect(s.unsynced.size()).toBe(10);
    for (const c of cancels) c();
    expect(s.unsynced.size()).toBe(0);
    expect(s.nextSyncAtMs()).toBeUndefined();
    s.syncWatchers();
    expect(got).toEqual([]);
  });

  it('syncWatchers sends unsynced watchers the history and makes them synced (TestSyncWatchers)', () => {
    const { kv, s, got, ch } = newStore();
    kv.put('foo', 'bar', 0);
    for (let i = 0; i < 100; i++) s.watch('foo', undefined, 1, i, ch);
    expect([s.unsynced.size(), s.synced.size()]).toEqual([100, 0]);
    s.syncWatchers();
    expect([s.unsynced.size(), s.synced.size()]).toEqual([0, 100]);
    expect(got.length).toBe(100);
    for (const wr of got) expect(wr).toMatchObject({ revision: 2, events: [{ type: 'PUT', kv: { key: 'foo', modRevision: 2 } }] });
  });

  it('the sync loop runs every 100 ms on the clock, only while some watcher is unsynced', () => {
    const { clock, kv, s, got, ch } = newStore();
    kv.put('foo', 'bar', 0);
    clock.step(30);
    s.watch('foo', undefined, 1, 0, ch);
    expect(s.nextSyncAtMs()).toBe(100);
    clock.step(69);
    expect(got).toEqual([]);
    clock.step(1);
    expect(got.length).toBe(1);
    expect(clock.hasWaiters()).toBe(false);
  });

  it('a watcher below the compaction gets the compaction revision and is dropped (TestWatchCompacted)', () => {
    const { kv, s, got, ch } = newStore();
    for (let i = 0; i < 10; i++) kv.put('foo', 'bar', 0);
    kv.compact(5);
    s.watch('foo', undefined, 4, 0, ch);
    s.syncWatchers();
    expect(got).toEqual([{ watchId: 0, events: [], revision: 0, compactRevision: 5 }]);
    expect(s.unsynced.size() + s.synced.size()).toBe(0);
  });

  it('watchers below the compaction are dropped, one above it gets every event (TestWatchNoEventLossOnCompact)', () => {
    const { kv, s, got, ch } = newStore({ maxWatchersPerSync: 4 });
    for (let i = 0; i < 10; i++) kv.put('foo', 'bar', 0);
    kv.compact(5);
    const starts: Record<number, number> = { 0: 1, 1: 1, 2: 6 };
    for (const [id, rev] of Object.entries(starts)) s.watch('foo', undefined, rev, Number(id), ch);
    s.syncWatchers();
    const compacted = got.filter((r) => r.compactRevision !== 0);
    expect(compacted.map((r) => [r.watchId, r.compactRevision])).toEqual([
      [0, 5],
      [1, 5],
    ]);
    const w2 = got.filter((r) => r.watchId === 2).flatMap((r) => r.events.map((e) => e.kv.modRevision));
    expect(w2).toEqual([6, 7, 8, 9, 10, 11]);
  });

  it('a watcher from a future revision waits for it (TestWatchFutureRev)', () => {
    const { kv, s, got, ch } = newStore();
    const wrev = 10;
    s.watch('foo', undefined, wrev, 0, ch);
    for (let i = 0; i < 10; i++) if (kv.put('foo', 'bar', 0) >= wrev) break;
    expect(got).toEqual([{ watchId: 0, revision: 10, compactRevision: 0, events: [{ type: 'PUT', kv: expect.objectContaining({ modRevision: 10 }) }] }]);
  });

  for (const [name, eventsPerRevision, batches] of [
    ['3 revisions, 4 revs per batch, 1 events per revision', 1, [[2, 3, 4, 5], [6, 7, 8, 9], [10, 11, 12, 13]]],
    [
      '3 revisions, 4 revs per batch, 3 events per revision',
      3,
      [
        [2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5],
        [6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9],
        [10, 10, 10, 11, 11, 11, 12, 12, 12, 13, 13, 13],
      ],
    ],
  ] as const) {
    it(`an unsynced watcher gets the history in batches of watchBatchMaxRevs revisions: ${name} (TestWatchBatchUnsynced)`, () => {
      const { clock, kv, s, got, ch } = newStore({ watchBatchMaxRevs: 4 });
      for (let i = 0; i < 12; i++) {
        const txn = kv.write();
        for (let j = 0; j < eventsPerRevision; j++) txn.put('foo', 'foo', 0);
        txn.end();
      }
      s.watch('foo', undefined, 1, 0, ch);
      clock.step(100);
      expect(got.length).toBe(1); // one batch per 100 ms tick
      clock.step(200);
      expect(got.map((r) => r.events.map((e) => e.kv.modRevision))).toEqual(batches);
      expect([s.synced.size(), s.unsynced.size()]).toEqual([1, 0]);
    });
  }

  it('progress is sent only to a synced watcher, with the store revision (TestWatcherRequestProgress)', () => {
    const { kv, s, got, ch } = newStore();
    kv.put('foo', 'bar', 0);
    const { watcher } = s.watch('bad', undefined, 1, 0, ch);
    s.progress(watcher);
    expect(got).toEqual([]);
    s.syncWatchers();
    s.progress(watcher);
    expect(got).toEqual([{ watchId: 0, events: [], revision: 2, compactRevision: 0 }]);
  });

  it('progress for all is sent (with watch ID -1) only once every watcher is synced (TestWatcherRequestProgressAll)', () => {
    const { kv, s, got, ch } = newStore();
    kv.put('foo', 'bar', 0);
    const { watcher } = s.watch('bad', undefined, 1, 0, ch);
    expect(s.progressIfSync([watcher], -1)).toBe(false);
    s.syncWatchers();
    expect(s.progressIfSync([watcher], -1)).toBe(true);
    expect(got).toEqual([{ watchId: -1, events: [], revision: 2, compactRevision: 0 }]);
  });

  it('a filter drops the events it matches, and a response left empty (TestWatcherWatchWithFilter)', () => {
    const { kv, s, got, ch } = newStore();
    s.watch('foo', undefined, 0, 0, ch, [(e) => e.type === 'PUT']);
    kv.put('foo', 'bar', 0);
    expect(got).toEqual([]);
    kv.deleteRange('foo', undefined);
    expect(got.map((r) => r.events.map((e) => e.type))).toEqual([['DELETE']]);
  });

  it('a range watcher gets every key of a delete range in one response (TestWatchDeleteRange)', () => {
    const { kv, s, got, ch } = newStore();
    for (let i = 0; i < 3; i++) kv.put(`foo_${i}`, 'bar', 0);
    s.watch('foo', 'foo_4', 0, 0, ch);
    kv.deleteRange('foo_0', 'foo_3');
    expect(got).toEqual([
      {
        watchId: 0,
        revision: 5,
        compactRevision: 0,
        events: ['foo_0', 'foo_1', 'foo_2'].map((key) => ({ type: 'DELETE', kv: { key, value: '', createRevision: 0, modRevision: 5, version: 0, lease: 0 } })),
      },
    ]);
  });
});

describe('watch through newEtcd (v3rpc watch.go, clientv3 watch.go)', () => {
  const fromCurrent: Array<[name: string, put: string, key: string, opts: Record<string, unknown>, want: string[][]]> = [
    ['watch the key, matching', 'foo', 'foo', {}, [['PUT foo@2']]],
    ['watch the key, non-matching', 'foo', 'helloworld', {}, []],
    ['watch the prefix, matching', 'fooLong', 'foo', { rangeEnd: 'fop' }, [['PUT fooLong@2']]],
    ['watch the prefix, non-matching', 'foo', 'helloworld', { rangeEnd: 'helloworle' }, []],
    ['watch full range, matching', 'fooLong', '', { rangeEnd: '\0' }, [['PUT fooLong@2']]],
    ['watch with prefix option', 'fooLong', 'foo', { prefix: true }, [['PUT fooLong@2']]],
    ['watch from key', 'zoo', 'foo', { fromKey: true }, [['PUT zoo@2']]],
  ];
  for (const [name, put, key, opts, want] of fromCurrent) {
    it(`${name} (TestV3WatchFromCurrentRevision)`, async () => {
      const { etcd, record } = newClient();
      const w = record();
      etcd.watch(key, opts, w.handler);
      const done = etcd.put(put, 'bar');
      expect(w.got).toEqual([]); // handlers run after the write returns, in a microtask
      await done;
      await settle();
      expect(w.got.map(evs)).toEqual(want);
      if (want.length) expect(w.got[0]).toMatchObject({ header: { revision: 2 }, created: false, canceled: false, events: [{ kv: { key: put, value: 'bar', createRevision: 2, modRevision: 2, version: 1 } }] });
    });
  }

  it('a watch from a future revision sees nothing before it (TestV3WatchFutureRevision)', async () => {
    const { etcd, record } = newClient();
    const w = record();
    etcd.watch('foo', { startRevision: 10 }, w.handler);
    for (let i = 0; i < 10; i++) await etcd.put('foo', 'bar');
    await settle();
    expect(w.got.map((r) => r.header.revision)).toEqual([10, 11]);
  });

  it('a watch of an empty range is refused with the watcher range error (TestV3WatchWrongRange)', async () => {
    const { etcd, record } = newClient();
    const w = record();
    etcd.watch('a', { rangeEnd: 'a' }, w.handler);
    etcd.watch('b', { rangeEnd: 'a' }, w.handler);
    const ok = record();
    etcd.watch('a', { rangeEnd: '\0' }, ok.handler); // from key: fine
    await settle();
    expect(w.got.map((r) => [r.canceled, r.created, r.cancelReason, r.err?.message, r.header.revision])).toEqual([
      [true, false, 'mvcc: watcher range is empty', 'mvcc: watcher range is empty', 0],
      [true, false, 'mvcc: watcher range is empty', 'mvcc: watcher range is empty', 0],
    ]);
    expect(ok.got).toEqual([]);
  });

  it('a cancelled watch gets nothing more, even what was already on its way (TestV3WatchCancelSynced, TestV3WatchCancelUnsynced)', async () => {
    const { clock, etcd, record } = newClient();
    const synced = record();
    const unsynced = record();
    await etcd.put('foo', 'bar');
    const cancelSynced = etcd.watch('foo', {}, synced.handler);
    const cancelUnsynced = etcd.watch('foo', { startRevision: 1 }, unsynced.handler);
    void etcd.put('foo', 'baz'); // the synced watch's response is on its way...
    cancelSynced(); // ...and dropped
    cancelUnsynced();
    clock.step(100);
    await settle();
    expect([synced.got, unsynced.got]).toEqual([[], []]);
    expect(etcd.snapshot().watchers).toEqual([]);
  });

  it('an empty key with a prefix watches every key; an empty key alone watches "\\0" (TestV3WatchEmptyKey)', async () => {
    const { etcd, record } = newClient();
    const all = record();
    const nul = record();
    etcd.watch('', { prefix: true }, all.handler);
    etcd.watch('', {}, nul.handler);
    await etcd.put('foo', 'bar');
    await etcd.put('\0', 'nul');
    await settle();
    expect(all.got.map(evs)).toEqual([['PUT foo@2'], ['PUT \0@3']]);
    expect(nul.got.map(evs)).toEqual([['PUT \0@3']]);
  });

  it('the events of one txn come in one response, in change order (TestV3WatchMultipleEventsTxnSynced)', async () => {
    const { etcd, record } = newClient();
    const w = record();
    etcd.watch('foo', { prefix: true }, w.handler);
    await etcd.txn({ success: [0, 1, 2].map((i) => ({ put: { key: `foo${i}`, value: 'bar' } })) });
    await settle();
    expect(w.got.map(evs)).toEqual([['PUT foo0@2', 'PUT foo1@2', 'PUT foo2@2']]);
  });

  it('an unsynced watch gets the history in one response, then live events (TestV3WatchMultipleEventsPutUnsynced)', async () => {
    const { clock, etcd, record } = newClient();
    await etcd.put('foo0', 'bar');
    await etcd.put('foo1', 'bar');
    const w = record();
    etcd.watch('foo', { prefix: true, startRevision: 1 }, w.handler);
    await etcd.put('foo0', 'baz'); // the watcher is unsynced: this waits for the sync too
    await runUntilIdle(clock);
    await etcd.put('foo1', 'baz');
    await settle();
    expect(w.got.map((r) => [r.header.revision, ...evs(r)])).toEqual([
      [4, 'PUT foo0@2', 'PUT foo1@3', 'PUT foo0@4'],
      [5, 'PUT foo1@5'],
    ]);
  });

  it('prevKv carries the key-value before each event (TestV3WatchWithPrevKV)', async () => {
    for (const [key, end, vals] of [
      ['foo', 'fop', ['bar1', 'bar2']],
      ['/abc', '/abd', ['first', 'second']],
    ] as const) {
      const { etcd, record } = newClient();
      await etcd.put(key, vals[0]);
      const w = record();
      etcd.watch(key, { rangeEnd: end, prevKv: true }, w.handler);
      await etcd.put(key, vals[1]);
      await etcd.delete(key);
      await settle();
      expect(w.got.map((r) => [r.events[0].kv.value, r.events[0].prevKv?.value])).toEqual([
        [vals[1], vals[0]],
        ['', vals[1]],
      ]);
    }
  });

  it('filters drop puts or deletes (TestV3WatchWithFilter)', async () => {
    const { etcd, record } = newClient();
    const noPut = record();
    const noDelete = record();
    etcd.watch('foo', { filterPut: true }, noPut.handler);
    etcd.watch('foo', { filterDelete: true }, noDelete.handler);
    await etcd.put('foo', 'bar');
    await etcd.delete('foo');
    await settle();
    expect(noPut.got.map(evs)).toEqual([['DELETE foo@3']]);
    expect(noDelete.got.map(evs)).toEqual([['PUT foo@2']]);
  });

  it('a watch from a compacted revision gets ErrCompacted with the compaction revision, and ends (clientv3 TestWatchCompactRevision)', async () => {
    const { clock, etcd, record } = newClient();
    for (let i = 0; i < 5; i++) await etcd.put('foo', 'bar');
    await etcd.compact(4);
    const w = record();
    etcd.watch('foo', { startRevision: 2 }, w.handler);
    await runUntilIdle(clock);
    await etcd.put('foo', 'after');
    await settle();
    expect(w.got.length).toBe(1);
    expect(w.got[0]).toMatchObject({ compactRevision: 4, canceled: true, events: [], header: { revision: 0 }, progressNotify: false });
    expect(isEtcdError(w.got[0].err, rpctypes.ErrCompacted)).toBe(true);
    expect(w.got[0].err!.message).toBe('etcdserver: mvcc: required revision has been compacted');
  });

  it('a watch from the compaction revision still works, the tombstone at it included (TestV3NoEventsLostOnCompact)', async () => {
    const { clock, etcd, record } = newClient();
    await etcd.put('foo', 'a'); // 2
    await etcd.delete('foo'); // 3
    await etcd.put('foo', 'b'); // 4
    await etcd.compact(3);
    const w = record();
    etcd.watch('foo', { startRevision: 3, prevKv: true }, w.handler);
    await runUntilIdle(clock);
    // the DELETE's previous key-value (at revision 2) is compacted away
    expect(w.got.map(evs)).toEqual([['DELETE foo@3', 'PUT foo@4']]);
  });

  it('progress notifications come every interval (plus jitter) to synced watches that got no events (TestWatchWithProgressNotify)', async () => {
    const { clock, etcd, record } = newClient({ watchProgressNotifyIntervalMs: 3000 });
    const withProgress = record();
    const without = record();
    const times: number[] = [];
    etcd.watch('foo', { startRevision: 1, progressNotify: true }, (r) => {
      withProgress.handler(r);
      times.push(clock.now());
    });
    etcd.watch('foo', { startRevision: 1 }, without.handler);
    await runUntilIdle(clock, { forMs: 3300 });
    expect(withProgress.got.map((r) => [r.progressNotify, r.header.revision, r.events.length])).toEqual([[true, 1, 0]]);
    expect(without.got).toEqual([]);
    // The ticker's period: 3 s plus a jitter below a tenth of it, drawn from the seeded RNG.
    const period = times[0];
    expect(period).toBeGreaterThanOrEqual(3000);
    expect(period).toBeLessThan(3300);
    // a tick after events sends nothing; the one after that does
    await etcd.put('foo', 'bar');
    clock.setTime(2 * period);
    await settle();
    expect(withProgress.got.map((r) => r.progressNotify)).toEqual([true, false]);
    clock.setTime(3 * period);
    await settle();
    expect(withProgress.got.slice(2).map((r) => [r.progressNotify, r.header.revision])).toEqual([[true, 2]]);
    expect(times.slice(2)).toEqual([3 * period]);
  });

  it('requestProgress notifies every watch when all are synced, nothing otherwise (TestV3WatchProgressWaitsForSync)', async () => {
    const { clock, etcd, record } = newClient();
    await etcd.put('foo', 'bar');
    const a = record();
    const b = record();
    etcd.watch('foo', { startRevision: 1 }, a.handler);
    etcd.watch('bar', {}, b.handler);
    await etcd.requestProgress();
    await settle();
    expect([a.got.length, b.got.length]).toEqual([0, 0]);
    await runUntilIdle(clock);
    await etcd.requestProgress();
    await settle();
    expect(a.got.map((r) => [r.progressNotify, r.watchId, r.header.revision])).toEqual([
      [false, 0, 2],
      [true, -1, 2],
    ]);
    expect(b.got.map((r) => [r.progressNotify, r.watchId, r.header.revision])).toEqual([[true, -1, 2]]);
  });

  it('createdNotify delivers the creation response with the revision then', async () => {
    const { etcd, record } = newClient();
    await etcd.put('foo', 'bar');
    const w = record();
    etcd.watch('foo', { createdNotify: true }, w.handler);
    await settle();
    expect(w.got.map((r) => [r.created, r.watchId, r.header.revision, r.progressNotify])).toEqual([[true, 0, 2, false]]);
  });

  it('handlers run one response at a time, waiting for a returned promise, and a throw is logged', async () => {
    const trace = new TraceRecorder();
    const { clock, etcd } = newClient({ trace });
    const seen: string[] = [];
    etcd.watch('k', {}, async (r) => {
      seen.push(`start ${r.header.revision}`);
      await clock.sleep(10);
      seen.push(`end ${r.header.revision}`);
    });
    etcd.watch('k', {}, () => {
      throw new Error('boom');
    });
    await etcd.put('k', '1');
    await etcd.put('k', '2');
    await runUntilIdle(clock);
    expect(seen).toEqual(['start 2', 'end 2', 'start 3', 'end 3']);
    expect(trace.events.filter((e) => e.type === 'etcd.log').map((e) => e.message)).toEqual(['watch 1: the handler threw: boom', 'watch 1: the handler threw: boom']);
  });

  it('watch IDs count up per stream, from 0 (TestWatcherWatchID)', () => {
    const { etcd } = newClient();
    for (let i = 0; i < 10; i++) etcd.watch(`foo${i}`, {}, () => {});
    expect(etcd.snapshot().watchers.map((w) => w.watchId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keys are bytes: a prefix watch on "é" matches "éa", not "f"', async () => {
    const { etcd, record } = newClient();
    const w = record();
    etcd.watch('é', { prefix: true }, w.handler);
    await etcd.put('éa', '1');
    await etcd.put('f', '2');
    await settle();
    expect(w.got.map(evs)).toEqual([['PUT éa@2']]);
    expect(toBytes('é')).toBe('\xc3\xa9');
  });
});
