// Follows client-go tools/cache/testing/fake_controller_source_test.go at v0.34.0 (TestRCNumber,
// TestResetWatch); the other cases cover the model's additions (closeWatches, expireWatches,
// honorTimeoutSeconds) and the Broadcaster / FakeWatcher of apimachinery pkg/watch.
// Goroutines that `consume` a watch become awaited helpers.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import { StatusError, UsageError } from '../core/errors';
import type { KubeObject } from '../core/object';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder } from '../core/trace';
import { newFakeControllerSource } from './fake_controller_source';
import type { WatchInterface } from './listwatch';
import { newBroadcaster, newFakeWatcher } from './watch';

const pod = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...extra } });

/** Ensures the watch delivers the requested and only the requested resourceVersions, then closes. */
async function consume(w: WatchInterface, rvs: string[]): Promise<void> {
  for (const rv of rvs) {
    const got = await w.next();
    expect(got, `unexpected channel close, wanted ${rv}`).toBeDefined();
    expect((got!.object as KubeObject).metadata.resourceVersion).toBe(rv);
  }
  // We should not get anything else.
  expect(await w.next()).toBeUndefined();
}

interface Case {
  name: string;
  ref: string;
  run: () => Promise<void> | void;
}

const cases: Case[] = [
  {
    name: 'a watch from resourceVersion N replays every change after N, then closes on Shutdown',
    ref: 'TestRCNumber',
    run: async () => {
      const source = newFakeControllerSource();
      source.add(pod('foo'));
      source.modify(pod('foo'));
      source.modify(pod('foo'));
      const w = await source.watch({ resourceVersion: '1' });
      const done1 = consume(w, ['2', '3']);
      const list = await source.list({});
      expect(list.metadata.resourceVersion).toBe('3');
      const w2 = await source.watch({ resourceVersion: '2' });
      const done2 = consume(w2, ['3']);
      const w3 = await source.watch({ resourceVersion: '3' });
      const done3 = consume(w3, []);
      source.shutdown();
      await Promise.all([done1, done2, done3]);
    },
  },
  {
    name: 'ResetWatch flushes the history: an old resourceVersion is 410 Expired, the current one still watches',
    ref: 'TestResetWatch',
    run: async () => {
      const source = newFakeControllerSource();
      source.add(pod('foo')); // RV = 1
      source.modify(pod('foo')); // RV = 2
      source.modify(pod('foo')); // RV = 3
      // Kill watch, delete change history.
      source.resetWatch();
      // This should fail, RV=1 was lost with ResetWatch.
      const err = await source.watch({ resourceVersion: '1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StatusError);
      expect(err).toMatchObject({ code: 410, reason: 'Expired', message: 'too old resource version: 1 (3)' });
      // This should succeed, RV=3 is current.
      const w = await source.watch({ resourceVersion: '3' });
      // Modify again, ensure the watch is still working.
      source.modify(pod('foo'));
      const done = consume(w, ['4']);
      source.shutdown();
      await done;
    },
  },
  {
    name: 'ResetWatch closes the open watches after what they already received',
    ref: 'TestResetWatch',
    run: async () => {
      const source = newFakeControllerSource();
      const w = await source.watch({ resourceVersion: '0' });
      source.add(pod('a'));
      source.resetWatch();
      await consume(w, ['1']);
      // After a reset, history starts again at the next change: a watch from before it is too old.
      source.add(pod('b'));
      source.add(pod('c'));
      await expect(source.watch({ resourceVersion: '0' })).rejects.toMatchObject({ message: 'too old resource version: 0 (2)' });
      // Kept from upstream: even one before the oldest recorded change is refused (the watch cache
      // would serve it), since the fake compares with `rc < oldestRC`.
      await expect(source.watch({ resourceVersion: '1' })).rejects.toMatchObject({ code: 410, message: 'too old resource version: 1 (2)' });
      const w2 = await source.watch({ resourceVersion: '2' });
      source.shutdown();
      await consume(w2, ['3']);
    },
  },
  {
    name: 'each change bumps an integer resourceVersion and writes it into the caller’s object',
    ref: 'FakeControllerSource.Change',
    run: async () => {
      const source = newFakeControllerSource();
      const a = pod('a', { namespace: 'ns' });
      source.add(a);
      expect(a.metadata.resourceVersion).toBe('1');
      source.modify(a);
      expect(a.metadata.resourceVersion).toBe('2');
      source.add(pod('b'));
      source.delete(a);
      expect(a.metadata.resourceVersion).toBe('4');
      const list = await source.list();
      expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '4' } });
      expect(list.items.map((o) => [o.metadata.name, o.metadata.resourceVersion])).toEqual([['b', '3']]);
      expect(source.lastResourceVersion()).toBe('4');
    },
  },
  {
    name: 'list hands out copies: a client editing them does not change the source',
    ref: 'FakeControllerSource.getListItemsLocked',
    run: async () => {
      const source = newFakeControllerSource();
      source.add(pod('a'));
      const first = await source.list();
      first.items[0].metadata.labels = { edited: 'yes' };
      const second = await source.list();
      expect(second.items[0].metadata.labels).toBeUndefined();
    },
  },
  {
    name: 'items are keyed by namespace, name and uid: the same name with another uid is another item',
    ref: 'FakeControllerSource.key (nnu)',
    run: async () => {
      const source = newFakeControllerSource();
      source.add(pod('a', { uid: '1' }));
      source.add(pod('a', { uid: '2' }));
      source.add(pod('a', { namespace: 'x', uid: '1' }));
      expect((await source.list()).items).toHaveLength(3);
      source.delete(pod('a', { uid: '1' }));
      expect((await source.list()).items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.uid}`)).toEqual(['/2', 'x/1']);
    },
  },
  {
    name: 'the DropWatch variants record the change but do not send it to open watches',
    ref: 'FakeControllerSource.AddDropWatch/ModifyDropWatch/DeleteDropWatch',
    run: async () => {
      const source = newFakeControllerSource();
      const w = await source.watch({ resourceVersion: '0' });
      source.addDropWatch(pod('a'));
      source.modifyDropWatch(pod('a'));
      source.add(pod('b'));
      source.deleteDropWatch(pod('b'));
      expect((await source.list()).items.map((o) => o.metadata.name)).toEqual(['a']);
      // A new watch replays the recorded changes after its resourceVersion, dropped ones included.
      const replay = await source.watch({ resourceVersion: '1' });
      source.shutdown();
      await consume(w, ['3']);
      await consume(replay, ['2', '3', '4']);
    },
  },
  {
    name: 'change with a probability between 0 and 1 draws from the source’s rng, and needs one',
    ref: 'FakeControllerSource.Change',
    run: async () => {
      expect(() => newFakeControllerSource().change({ type: 'ADDED', object: pod('a') }, 0.5)).toThrow(UsageError);
      const source = newFakeControllerSource({ rng: rngFromSeed(7) });
      const w = await source.watch({ resourceVersion: '0' });
      for (let i = 0; i < 20; i++) source.change({ type: 'ADDED', object: pod(`p${i}`) }, 0.5);
      source.shutdown();
      let received = 0;
      while (await w.next()) received++;
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThan(20);
    },
  },
  {
    name: 'a resourceVersion in the future, or one that is not an integer, is refused as upstream',
    ref: 'FakeControllerSource.Watch',
    run: async () => {
      const source = newFakeControllerSource();
      source.add(pod('a'));
      await expect(source.watch({ resourceVersion: '5' })).rejects.toThrow('resource version in the future not supported by this fake');
      await expect(source.watch({ resourceVersion: '' })).rejects.toThrow('strconv.Atoi: parsing "": invalid syntax');
      await expect(source.watch({})).rejects.toThrow('strconv.Atoi: parsing "": invalid syntax');
    },
  },
  {
    name: 'watch events carry copies taken at the change, so reusing one object does not rewrite history',
    ref: 'FakeControllerSource.Watch (divergence: copies)',
    run: async () => {
      const source = newFakeControllerSource();
      const a = pod('a');
      source.add(a);
      source.modify(a);
      source.modify(a);
      const w = await source.watch({ resourceVersion: '1' });
      source.shutdown();
      await consume(w, ['2', '3']);
    },
  },
  {
    name: 'closeWatches ends every open watch normally and keeps the history for a rewatch',
    ref: 'model: closeWatches',
    run: async () => {
      const source = newFakeControllerSource();
      const w1 = await source.watch({ resourceVersion: '0' });
      const w2 = await source.watch({ resourceVersion: '0' });
      source.add(pod('a'));
      expect(source.openWatches()).toBe(2);
      expect(source.closeWatches()).toBe(2);
      expect(source.openWatches()).toBe(0);
      source.add(pod('b'));
      await consume(w1, ['1']);
      await consume(w2, ['1']);
      const again = await source.watch({ resourceVersion: '1' });
      source.shutdown();
      await consume(again, ['2']);
    },
  },
  {
    name: 'expireWatches sends each open watch an ERROR with a 410 Expired Status, then ends it',
    ref: 'model: expireWatches (watch cache message)',
    run: async () => {
      const source = newFakeControllerSource();
      source.add(pod('a'));
      source.add(pod('b'));
      const w = await source.watch({ resourceVersion: '1' });
      expect(source.expireWatches()).toBe(1);
      expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { resourceVersion: '2' } } });
      expect(await w.next()).toEqual({
        type: 'ERROR',
        object: { apiVersion: 'v1', kind: 'Status', status: 'Failure', message: 'too old resource version: 1 (2)', reason: 'Expired', code: 410 },
      });
      expect(await w.next()).toBeUndefined();
      const w2 = await source.watch({ resourceVersion: '2' });
      source.expireWatches('The resourceVersion for the provided watch is too old.');
      expect(await w2.next()).toMatchObject({ type: 'ERROR', object: { message: 'The resourceVersion for the provided watch is too old.' } });
    },
  },
  {
    name: 'with honorTimeoutSeconds the source ends a watch after its timeoutSeconds of virtual time',
    ref: 'model: honorTimeoutSeconds (the API server’s watch timeout)',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource({ clock, honorTimeoutSeconds: true });
      const w = await source.watch({ resourceVersion: '0', timeoutSeconds: 300 });
      const stopped = await source.watch({ resourceVersion: '0', timeoutSeconds: 300 });
      stopped.stop();
      expect(clock.hasWaiters()).toBe(true);
      clock.step(299_999);
      expect(source.openWatches()).toBe(1);
      clock.step(1);
      expect(source.openWatches()).toBe(0);
      expect(await w.next()).toBeUndefined();
      expect(clock.hasWaiters()).toBe(false);
      // Without the option, timeouts are ignored as upstream's fake does.
      const plain = newFakeControllerSource({ clock });
      await plain.watch({ resourceVersion: '0', timeoutSeconds: 1 });
      await runUntilIdle(clock);
      expect(plain.openWatches()).toBe(1);
    },
  },
  {
    name: 'after Shutdown every call throws (upstream deadlocks on the lock Shutdown keeps)',
    ref: 'FakeControllerSource.Shutdown',
    run: async () => {
      const source = newFakeControllerSource();
      source.shutdown();
      expect(() => source.add(pod('a'))).toThrow(UsageError);
      expect(() => source.resetWatch()).toThrow('FakeControllerSource.resetWatch: called after Shutdown');
      await expect(source.list()).rejects.toThrow(UsageError);
      await expect(source.watch({ resourceVersion: '0' })).rejects.toThrow(UsageError);
      source.shutdown();
    },
  },
  {
    name: 'the trace records each change, list and watch as plain JSON',
    ref: 'model: trace',
    run: async () => {
      const trace = new TraceRecorder();
      const clock = new FakeClock(5);
      const source = newFakeControllerSource({ clock, trace });
      const w = await source.watch({ resourceVersion: '0' });
      source.add(pod('a', { namespace: 'ns' }));
      source.modifyDropWatch(pod('a', { namespace: 'ns' }));
      await source.list();
      source.delete(pod('a', { namespace: 'ns' }));
      await source.watch({ resourceVersion: '1' });
      w.stop();
      const events = trace.events.map(({ seq: _seq, ...e }) => e);
      expect(JSON.parse(JSON.stringify(events))).toEqual(events);
      expect(events).toEqual([
        { t: 5, component: 'source', type: 'source.watch', source: 'source', rv: '0', result: 'live', replayed: 0, watchers: 1 },
        { t: 5, component: 'source', type: 'source.add', source: 'source', key: 'ns/a', rv: '1', sent: true, watchers: 1 },
        { t: 5, component: 'source', type: 'source.modify', source: 'source', key: 'ns/a', rv: '2', sent: false, watchers: 0 },
        { t: 5, component: 'source', type: 'source.list', source: 'source', rv: '2', items: 1 },
        { t: 5, component: 'source', type: 'source.delete', source: 'source', key: 'ns/a', rv: '3', sent: true, watchers: 1 },
        { t: 5, component: 'source', type: 'source.watch', source: 'source', rv: '1', result: 'replay', replayed: 2, watchers: 2 },
      ]);
    },
  },
];

describe('FakeControllerSource (client-go tools/cache/testing, v0.34.0)', () => {
  it.each(cases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});

describe('Broadcaster and FakeWatcher (apimachinery pkg/watch, v0.34.0)', () => {
  const names = async (w: WatchInterface) => {
    const out: string[] = [];
    for (let e = await w.next(); e; e = await w.next()) out.push(`${e.type}:${(e.object as KubeObject).metadata.name}`);
    return out;
  };

  it('every watcher gets every event in order until Shutdown closes them (TestBroadcaster)', async () => {
    const m = newBroadcaster();
    const watchers = [m.watch(), m.watch()];
    m.action('ADDED', pod('foo'));
    m.action('ADDED', pod('bar'));
    m.action('MODIFIED', pod('foo'));
    m.action('DELETED', pod('bar'));
    m.shutdown();
    for (const w of watchers) expect(await names(w)).toEqual(['ADDED:foo', 'ADDED:bar', 'MODIFIED:foo', 'DELETED:bar']);
  });

  it('Stop closes one watcher, Shutdown the rest, extra stops do not hurt (TestBroadcasterWatcherClose)', async () => {
    const m = newBroadcaster();
    const w = m.watch();
    const w2 = m.watch();
    w.stop();
    m.shutdown();
    expect(await w.next()).toBeUndefined();
    expect(await w2.next()).toBeUndefined();
    w.stop();
    w2.stop();
  });

  it('stopping one watcher while events flow leaves the other receiving (TestBroadcasterWatcherStopDeadlock)', async () => {
    const m = newBroadcaster();
    const a = m.watch();
    const b = m.watch();
    const first = a.next();
    m.action('ADDED', pod('x'));
    await first;
    b.stop();
    m.action('ADDED', pod('y'));
    expect(await a.next()).toMatchObject({ object: { metadata: { name: 'y' } } });
    // b keeps what it had buffered before Stop, then sees the close.
    expect(await names(b)).toEqual(['ADDED:x']);
    expect(m.size).toBe(1);
  });

  it('Watch, WatchWithPrefix and Action report "broadcaster already stopped" after Shutdown (TestBroadcasterWatchAfterShutdown, TestBroadcasterSendEventAfterShutdown)', () => {
    const m = newBroadcaster();
    m.shutdown();
    expect(() => m.watch()).toThrow('broadcaster already stopped');
    expect(() => m.watchWithPrefix([{ type: 'ADDED', object: pod('a') }])).toThrow('broadcaster already stopped');
    expect(() => m.action('ADDED', pod('c'))).toThrow('broadcaster already stopped');
  });

  it('WatchWithPrefix sends the queued events before any later one (Broadcaster.WatchWithPrefix)', async () => {
    const m = newBroadcaster();
    const w = m.watchWithPrefix([{ type: 'ADDED', object: pod('old') }]);
    m.action('DELETED', pod('new'));
    m.shutdown();
    expect(await names(w)).toEqual(['ADDED:old', 'DELETED:new']);
  });

  it('a FakeWatcher hands events over in order, wakes a waiting consumer, and refuses sends after Stop (watch.FakeWatcher)', async () => {
    const fw = newFakeWatcher();
    const pending = fw.next();
    fw.add(pod('a'));
    fw.modify(pod('a'));
    expect(await pending).toMatchObject({ type: 'ADDED' });
    expect(fw.pending()).toBe(1);
    fw.stop();
    expect(fw.isStopped()).toBe(true);
    // A closed channel still yields what it buffered.
    expect(await fw.next()).toMatchObject({ type: 'MODIFIED' });
    expect(await fw.next()).toBeUndefined();
    expect(() => fw.delete(pod('a'))).toThrow('send on closed channel');
    fw.reset();
    fw.error({ kind: 'Status', status: 'Failure', message: 'boom', reason: 'InternalError', code: 500 });
    await settle();
    expect(await fw.next()).toMatchObject({ type: 'ERROR', object: { code: 500 } });
  });
});
