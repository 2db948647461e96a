// Follows client-go tools/cache/reflector_test.go at v0.34.0 (and apimachinery
// pkg/util/wait's TestExponentialBackoffManagerGetNextBackoff). Goroutines become async calls on a
// FakeClock; `context.WithCancel` becomes a StopChannel; `watch.NewFake()` is newFakeWatcher().
// The WatchList cases of TestReflectorListAndWatch are not mirrored: streaming lists are off by
// default in v1.34 and not modelled.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import type { KubeObject } from '../core/object';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder, type TraceEvent } from '../core/trace';
import {
  CauseTypeResourceVersionTooLarge,
  newInternalError,
  newResourceExpired,
  newStatusError,
  newTimeoutError,
  newTooManyRequests,
  statusOf,
} from './api_errors';
import { newBackoffTimer, newExponentialBackoffManager, type BackoffManager } from './backoff';
import { newDeltaFIFO } from './delta_fifo';
import { newestDelta } from './delta_fifo_types';
import { newFakeControllerSource } from './fake_controller_source';
import { metaNamespaceKeyFunc } from './keys';
import type { ListOptions, ListerWatcher, ObjectList, WatchEvent, WatchInterface } from './listwatch';
import {
  ConnectionRefusedError,
  ReflectorImpl,
  VeryShortWatchError,
  defaultExpectedTypeName,
  errorStopRequested,
  getTypeDescriptionFromObject,
  newReflector,
  newStopChannel,
  type ReflectorConfig,
  type ReflectorStore,
} from './reflector';
import { formatGoDuration } from './go_strings';
import { newStore } from './store';
import type { Store } from './types';
import { newFakeWatcher, type FakeWatcher } from './watch';

type Pod = KubeObject;
const mkPod = (name: string, rv = ''): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, resourceVersion: rv } });
const mkList = (rv: string, ...pods: Pod[]): ObjectList<Pod> => ({ metadata: { resourceVersion: rv }, items: pods });
const podType = { apiVersion: 'v1', kind: 'Pod' };

/** Go's `cache.ListWatch{ListFunc, WatchFunc}`: a missing function throws when called. */
function listWatch(fns: { list?: (o: ListOptions) => ObjectList<Pod> | Promise<ObjectList<Pod>>; watch?: (o: ListOptions) => WatchInterface<Pod> | Promise<WatchInterface<Pod>> }): ListerWatcher<Pod> {
  return {
    list: async (o) => {
      if (!fns.list) throw new Error('ListFunc called unexpectedly');
      return fns.list(o);
    },
    watch: async (o) => {
      if (!fns.watch) throw new Error('WatchFunc called unexpectedly');
      return fns.watch(o);
    },
  };
}

function setup(cfg: Partial<ReflectorConfig<Pod>> & { listerWatcher?: ListerWatcher<Pod> } = {}) {
  const clock = new FakeClock();
  const trace = new TraceRecorder();
  const store = cfg.store ?? newStore<Pod>(metaNamespaceKeyFunc);
  const r = newReflector<Pod>({
    name: 'test-reflector',
    listerWatcher: cfg.listerWatcher ?? listWatch({}),
    expectedType: podType,
    clock,
    rng: rngFromSeed('reflector-test'),
    trace,
    ...cfg,
    store,
  }) as ReflectorImpl<Pod>;
  // Cases that pass their own store read it directly; the default one is a Store.
  return { clock, trace, store: store as Store<Pod>, r };
}

/** A watcher that records `ResultChan` (each `next()`) and `Stop` calls (Go: `watch.MockWatcher`). */
function mockWatcher(next: () => Promise<WatchEvent<Pod> | undefined>) {
  const calls: string[] = [];
  const w: WatchInterface<Pod> = {
    next: () => {
      calls.push('ResultChan');
      return next();
    },
    stop: () => {
      calls.push('Stop');
    },
  };
  return { w, calls };
}

/** Sends events one at a time, each once the consumer took the previous one (Go's unbuffered FakeWatcher). */
async function sendAll(fw: FakeWatcher<Pod>, events: Array<WatchEvent<Pod>>): Promise<void> {
  for (const e of events) {
    fw.action(e.type, e.object);
    while (fw.pending() > 0 && !fw.isStopped()) await null;
  }
  await settle();
}

/** The events of exactly this type (`ofType` matches a prefix). */
const ofExact = (trace: TraceRecorder, type: string) => trace.events.filter((e) => e.type === type);
/** The store's objects as `name@rv`. */
const contents = (s: { list(): Pod[] }) => s.list().map((p) => `${p.metadata.name}@${p.metadata.resourceVersion}`);
const logs = (trace: TraceRecorder) => ofExact(trace, 'reflector.log').map((e) => `${e.level} ${e.message}`);
const listPodsRange = (n: number) => Array.from({ length: n }, (_, i) => mkPod(`pod-${i}`, String(i)));

interface Case {
  name: string;
  ref: string;
  run: () => Promise<void> | void;
}

const cases: Case[] = [
  {
    name: 'an ERROR event that is not a Status ends the watch and the watcher is stopped',
    ref: 'TestCloseWatchChannelOnError',
    run: async () => {
      const fw = newFakeWatcher<Pod>();
      const { r, trace } = setup({ listerWatcher: listWatch({ watch: () => fw, list: () => mkList('1') }) });
      const done = r.listAndWatch();
      await settle();
      fw.error(mkPod('bar'));
      await expect(done).resolves.toBeUndefined();
      expect(fw.isStopped()).toBe(true);
      expect(logs(trace)).toContain('info "Warning: watch ended with error" reflector="test-reflector" type="*v1.Pod" err="unexpected object: bar"');
    },
  },
  {
    name: 'run returns once stopped, and the watch it had open is stopped',
    ref: 'TestRunUntil',
    run: async () => {
      const fw = newFakeWatcher<Pod>();
      const { r, clock, store } = setup({ listerWatcher: listWatch({ watch: () => fw, list: () => mkList('1') }) });
      let finished = false;
      void r.run().then(() => (finished = true));
      await settle();
      // Synchronously add a dummy pod into the watch channel so we know run is in the watch handler.
      await sendAll(fw, [{ type: 'ADDED', object: mkPod('bar', '2') }]);
      expect(contents(store)).toEqual(['bar@2']);
      r.stop();
      await runUntilIdle(clock);
      expect(finished).toBe(true);
      expect(fw.isStopped()).toBe(true);
      expect(clock.hasWaiters()).toBe(false);
    },
  },
  {
    name: 'resyncChan fires after the resync period',
    ref: 'TestReflectorResyncChan',
    run: async () => {
      const { r, clock } = setup({ resyncPeriodMs: 1 });
      let fired = false;
      r.resyncChan(() => (fired = true));
      clock.step(1);
      expect(fired).toBe(true);
      // A period of 0 never fires and leaves no timer behind.
      const { r: r0, clock: c0 } = setup();
      r0.resyncChan(() => {});
      expect(c0.hasWaiters()).toBe(false);
    },
  },
  {
    name: 'watch lists and watches nothing if the stop channel closed before it was called',
    ref: 'TestReflectorWatchStoppedBefore',
    run: async () => {
      const stopCh = newStopChannel();
      stopCh.close();
      const { r } = setup({ listerWatcher: listWatch({}) });
      await expect(r.watch(undefined, stopCh)).resolves.toBeUndefined();
    },
  },
  {
    name: 'watch always stops the watcher when the stop channel closes after watching started',
    ref: 'TestReflectorWatchStoppedAfter',
    run: async () => {
      const stopCh = newStopChannel();
      const watchers: Array<FakeWatcher<Pod>> = [];
      let clock!: FakeClock;
      const env = setup({
        listerWatcher: listWatch({
          watch: () => {
            // Simulate the stop channel being closed after watching has started.
            clock.afterFunc(10, () => stopCh.close());
            const w = newFakeWatcher<Pod>();
            watchers.push(w);
            return w;
          },
        }),
      });
      clock = env.clock;
      const done = env.r.watch(undefined, stopCh);
      await runUntilIdle(clock);
      await expect(done).resolves.toBeUndefined();
      expect(watchers).toHaveLength(1);
      expect(watchers[0].isStopped()).toBe(true);
    },
  },
  {
    name: 'handleWatch returns errorStopRequested when stopped before it was called, after one ResultChan and one Stop',
    ref: 'TestReflectorHandleWatchStoppedBefore',
    run: async () => {
      const { r, clock } = setup();
      const stopCh = newStopChannel();
      stopCh.close();
      const { w, calls } = mockWatcher(() => new Promise(() => {}));
      expect(await r.handleWatch(clock.now(), w, stopCh)).toBe(errorStopRequested);
      expect(calls).toEqual(['ResultChan', 'Stop']);
    },
  },
  {
    name: 'handleWatch returns errorStopRequested when stopped while watching',
    ref: 'TestReflectorHandleWatchStoppedAfter',
    run: async () => {
      const { r, clock } = setup();
      const stopCh = newStopChannel();
      const { w, calls } = mockWatcher(() => {
        // Simulate the watch handler being stopped asynchronously by the caller.
        clock.afterFunc(10, () => stopCh.close());
        return new Promise(() => {});
      });
      const done = r.handleWatch(clock.now(), w, stopCh);
      await runUntilIdle(clock);
      expect(await done).toBe(errorStopRequested);
      expect(calls).toEqual(['ResultChan', 'Stop']);
    },
  },
  {
    name: 'a result channel closed before handleWatch starts is a "very short watch" error',
    ref: 'TestReflectorHandleWatchResultChanClosedBefore',
    run: async () => {
      const { r, clock } = setup();
      const { w, calls } = mockWatcher(() => Promise.resolve(undefined));
      const err = await r.handleWatch(clock.now(), w, newStopChannel());
      expect(err).toBeInstanceOf(VeryShortWatchError);
      expect((err as Error).message).toBe('very short watch: test-reflector: Unexpected watch close - watch lasted less than a second and no items received');
      expect(calls).toEqual(['ResultChan', 'Stop']);
    },
  },
  {
    name: 'a result channel closed 10 ms into the watch, with no event, is a "very short watch" error too',
    ref: 'TestReflectorHandleWatchResultChanClosedAfter',
    run: async () => {
      const { r, clock } = setup();
      const { w, calls } = mockWatcher(() => new Promise((resolve) => clock.afterFunc(10, () => resolve(undefined))));
      const done = r.handleWatch(clock.now(), w, newStopChannel());
      await runUntilIdle(clock);
      expect(await done).toBeInstanceOf(VeryShortWatchError);
      expect(calls).toEqual(['ResultChan', 'Stop']);
    },
  },
  {
    name: 'a watch that closes after a second or more ends without error ("Watch close" with the item count)',
    ref: 'handleAnyWatch (Watch close)',
    run: async () => {
      const { r, clock, trace } = setup();
      const { w } = mockWatcher(() => new Promise((resolve) => clock.afterFunc(1000, () => resolve(undefined))));
      const done = r.handleWatch(clock.now(), w, newStopChannel());
      await runUntilIdle(clock);
      expect(await done).toBeUndefined();
      expect(logs(trace)).toEqual(['info "Watch close" reflector="test-reflector" type="*v1.Pod" totalItems=0']);
      expect(ofExact(trace, 'reflector.watchEnded').at(-1)).toMatchObject({ reason: 'closed', items: 0, durationMs: 1000 });
    },
  },
  {
    name: 'the watch handler applies ADDED/MODIFIED/DELETED to the store, drops other types and records the last resourceVersion',
    ref: 'TestReflectorWatchHandler',
    run: async () => {
      const { r, clock, store, trace } = setup();
      // Wrap setLastSyncResourceVersion so we can tell the watchHandler to stop watching after
      // all the events have been consumed.
      const stopCh = newStopChannel();
      const setRV = (rv: string) => {
        r.setLastSyncResourceVersion(rv);
        if (rv === '32') stopCh.close();
      };
      const fw = newFakeWatcher<Pod>();
      store.add(mkPod('foo'));
      store.add(mkPod('bar'));
      fw.add({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'rejected' } });
      fw.delete(mkPod('foo'));
      fw.modify(mkPod('bar', '55'));
      fw.add(mkPod('baz', '32'));
      expect(await r.handleWatch(clock.now(), fw, stopCh, undefined, setRV)).toBe(errorStopRequested);
      // Validate that the Store was updated by the events.
      const table = [
        { pod: mkPod('foo'), exists: false },
        { pod: mkPod('rejected'), exists: false },
        { pod: mkPod('bar', '55'), exists: true },
        { pod: mkPod('baz', '32'), exists: true },
      ];
      for (const item of table) {
        const obj = store.get(item.pod);
        expect(obj !== undefined, item.pod.metadata.name).toBe(item.exists);
        if (obj) expect(obj.metadata.resourceVersion).toBe(item.pod.metadata.resourceVersion);
      }
      // Validate that setLastSyncResourceVersion was called with the RV from the last event.
      expect(r.lastSyncResourceVersion()).toBe('32');
      expect(logs(trace)).toEqual(['error "Unexpected watch event object type" reflector="test-reflector" expectedType="*v1.Pod" actualType="*v1.Service"']);
      expect(ofExact(trace, 'reflector.event').map((e) => `${e.eventType} ${e.key} ${e.rv}`)).toEqual(['DELETED foo ', 'MODIFIED bar 55', 'ADDED baz 32']);
    },
  },
  {
    name: 'handleWatch on a closed stop channel returns errorStopRequested',
    ref: 'TestReflectorStopWatch',
    run: async () => {
      const { r, clock } = setup();
      const stopCh = newStopChannel();
      stopCh.close();
      expect(await r.handleWatch(clock.now(), newFakeWatcher<Pod>(), stopCh)).toBe(errorStopRequested);
    },
  },
  {
    name: 'ListAndWatch lists at "0" with the pager’s limit 500, then watches from the list’s resourceVersion with bookmarks',
    ref: 'TestReflectorListAndWatch (UseWatchList disabled)',
    run: async () => {
      const listOpts: ListOptions[] = [];
      const watchOpts: ListOptions[] = [];
      const watchers: Array<FakeWatcher<Pod>> = [];
      const lw = listWatch({
        watch: (o) => {
          watchOpts.push(o);
          if (watchOpts.length > 1) throw new Error('Expected ListerWatcher.Watch to only be called 1 times');
          const w = newFakeWatcher<Pod>();
          watchers.push(w);
          return w;
        },
        list: (o) => {
          listOpts.push(o);
          if (listOpts.length > 1) throw new Error('Expected ListerWatcher.List to only be called 1 times');
          return mkList('1', mkPod('foo', '1'));
        },
      });
      const s = newDeltaFIFO<Pod>();
      const { r } = setup({ listerWatcher: lw, store: s });
      const stopCh = newStopChannel();
      const done = r.listAndWatch(stopCh);
      await settle();
      await sendAll(watchers[0], [
        { type: 'MODIFIED', object: mkPod('foo', '2') },
        { type: 'ADDED', object: mkPod('bar', '3') },
        { type: 'ADDED', object: mkPod('baz', '4') },
        { type: 'ADDED', object: mkPod('qux', '5') },
        { type: 'ADDED', object: mkPod('zoo', '6') },
      ]);
      // Verify we received the right objects with the right resource versions; pod "foo" with
      // rv "1" is superseded by rv 2 (the newest delta of its key).
      const popped: string[] = [];
      while (s.listKeys().length > 0) {
        const deltas = await s.pop(() => {});
        const obj = newestDelta(deltas)!.object;
        popped.push(`${obj.metadata.name}@${obj.metadata.resourceVersion}`);
      }
      expect(popped).toEqual(['foo@2', 'bar@3', 'baz@4', 'qux@5', 'zoo@6']);
      stopCh.close();
      await expect(done).resolves.toBeUndefined();
      expect(listOpts).toEqual([{ resourceVersion: '0', limit: 500 }]);
      expect(watchOpts.map(({ timeoutSeconds: _t, ...o }) => o)).toEqual([{ resourceVersion: '1', allowWatchBookmarks: true }]);
    },
  },
  {
    name: 'list and watch errors come back from ListAndWatch; each list is what the store then holds',
    ref: 'TestReflectorListAndWatchWithErrors',
    run: async () => {
      const listErr = new Error('a list error');
      const aWatchError = new Error('a watch error');
      const table: Array<{ list?: ObjectList<Pod>; listErr?: Error; events?: Array<WatchEvent<Pod>>; watchErr?: Error }> = [
        { list: mkList('1'), events: [{ type: 'ADDED', object: mkPod('foo', '2') }, { type: 'ADDED', object: mkPod('bar', '3') }] },
        { list: mkList('3', mkPod('foo', '2'), mkPod('bar', '3')), events: [{ type: 'DELETED', object: mkPod('foo', '4') }, { type: 'ADDED', object: mkPod('qux', '5') }] },
        { listErr },
        { list: mkList('5', mkPod('bar', '3'), mkPod('qux', '5')), watchErr: aWatchError },
        { list: mkList('5', mkPod('bar', '3'), mkPod('qux', '5')), events: [{ type: 'ADDED', object: mkPod('baz', '6') }] },
        { list: mkList('6', mkPod('bar', '3'), mkPod('qux', '5'), mkPod('baz', '6')) },
      ];
      const s = newStore<Pod>(metaNamespaceKeyFunc);
      for (const [line, item] of table.entries()) {
        if (item.list) {
          // Test that the list is what currently exists in the store.
          expect(contents(s).sort(), `line ${line}`).toEqual(item.list.items.map((p) => `${p.metadata.name}@${p.metadata.resourceVersion}`).sort());
        }
        let watchErr = item.watchErr;
        const stopCh = newStopChannel();
        const lw = listWatch({
          watch: () => {
            if (watchErr) throw watchErr;
            watchErr = new Error('second watch');
            const fw = newFakeWatcher<Pod>();
            void sendAll(fw, item.events ?? []).then(() => stopCh.close());
            return fw;
          },
          list: () => {
            if (item.listErr) throw item.listErr;
            return structuredClone(item.list!);
          },
        });
        const { r } = setup({ listerWatcher: lw, store: s });
        const outcome = await r.listAndWatch(stopCh).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        if (item.listErr) {
          expect(outcome?.message).toBe('failed to list *v1.Pod: a list error');
          expect(outcome?.cause).toBe(listErr);
        } else if (item.watchErr) {
          expect(outcome).toBe(aWatchError);
        } else {
          expect(outcome).toBeUndefined();
        }
      }
    },
  },
  ...[
    { numConnFails: 5, base: 1 + 2 + 4 + 8 + 16 },
    // 1, 2, 4, 8, 16, 32, then the cap of 50 ms for the remaining 34.
    { numConnFails: 40, base: 63 + 34 * 50 },
  ].map(({ numConnFails, base }) => ({
    name: `${numConnFails} refused watch connections back off exponentially, up to the cap (${base} ms of base delay)`,
    ref: 'TestReflectorListAndWatchInitConnBackoff',
    run: async () => {
      // Upstream steps its fake clock by fixed amounts, so its bounds come from those steps
      // ([32, 64] ms and [3500, 4000] ms); here time jumps to each timer, so the elapsed time
      // is the sum of the jittered delays: between the base delays and twice them.
      let connFails = numConnFails;
      const stopCh = newStopChannel();
      const clock = new FakeClock();
      const bm = newExponentialBackoffManager(1, 50, 100, 2.0, 1.0, clock, rngFromSeed(numConnFails));
      const lw = listWatch({
        watch: () => {
          if (connFails > 0) {
            connFails--;
            throw new ConnectionRefusedError();
          }
          stopCh.close();
          return newFakeWatcher<Pod>();
        },
        list: () => mkList('1'),
      });
      const trace = new TraceRecorder();
      const r = newReflector<Pod>({ name: 'test-reflector', listerWatcher: lw, store: newDeltaFIFO<Pod>(), clock, rng: rngFromSeed(1), trace, backoffManager: bm });
      const start = clock.now();
      let finished = false;
      const done = r.listAndWatch(stopCh).then(() => (finished = true));
      await runUntilIdle(clock, { until: () => finished });
      await done;
      const elapsed = clock.since(start);
      expect(elapsed).toBeGreaterThanOrEqual(base);
      expect(elapsed).toBeLessThan(2 * base);
      expect(ofExact(trace, 'reflector.backoff').map((e) => e.reason)).toEqual(Array(numConnFails).fill('connectionRefused'));
    },
  })),
  {
    name: 'a 429 when starting the watch and a 429 ERROR event each back off once, without a relist',
    ref: 'TestBackoffOnTooManyRequests',
    run: async () => {
      const err = newTooManyRequests('too many requests', 1);
      const clock = new FakeClock();
      const bm = fakeBackoff(clock);
      const lw = listWatch({
        list: () => mkList('1'),
        watch: () => {
          switch (bm.calls) {
            case 0:
              throw err;
            case 1: {
              const w = newFakeWatcher<Pod>();
              w.error(statusOf(err));
              return w;
            }
            default: {
              const w = newFakeWatcher<Pod>();
              w.stop();
              return w;
            }
          }
        },
      });
      const r = newReflector<Pod>({ name: 'test-reflector', listerWatcher: lw, store: newDeltaFIFO<Pod>(), clock, rng: rngFromSeed(1), backoffManager: bm });
      let finished = false;
      const done = r.listAndWatch().then(() => (finished = true));
      await runUntilIdle(clock, { until: () => finished });
      await done;
      expect(bm.calls).toBe(2);
    },
  },
  {
    name: 'four 429s starting the watch are retried after backoffs without listing again',
    ref: 'TestNoRelistOnTooManyRequests',
    run: async () => {
      const err = newTooManyRequests('too many requests', 1);
      const clock = new FakeClock();
      const bm = fakeBackoff(clock);
      let listCalls = 0;
      let watchCalls = 0;
      const lw = listWatch({
        list: () => {
          listCalls++;
          return mkList('1');
        },
        watch: () => {
          watchCalls++;
          if (watchCalls < 5) throw err;
          const w = newFakeWatcher<Pod>();
          w.stop();
          return w;
        },
      });
      const r = newReflector<Pod>({ name: 'test-reflector', listerWatcher: lw, store: newDeltaFIFO<Pod>(), clock, rng: rngFromSeed(1), backoffManager: bm });
      let finished = false;
      const done = r.listAndWatch().then(() => (finished = true));
      await runUntilIdle(clock, { until: () => finished });
      await done;
      expect(listCalls).toBe(1);
      expect(watchCalls).toBe(5);
    },
  },
  ...[
    { name: 'retries off', maxInternalDurationMs: 0, rewindTime: 0, wantRetries: 0 },
    { name: 'retries on, all calls fail', maxInternalDurationMs: 30_000, rewindTime: 0, wantRetries: 31 },
    { name: 'retries on, one call successful', maxInternalDurationMs: 30_000, rewindTime: 10, wantRetries: 40 },
  ].map((tc) => ({
    name: `internal errors are retried within MaxInternalErrorRetryDuration: ${tc.name}`,
    ref: 'TestRetryInternalError',
    run: async () => {
      const err = newInternalError(new Error('etcdserver: no leader'));
      const clock = new FakeClock(1_700_000_000_000);
      const bm = fakeBackoff(clock);
      let counter = 0;
      const lw = listWatch({
        list: () => mkList('1'),
        watch: () => {
          counter++;
          if (counter === tc.rewindTime) clock.step(60_000);
          clock.step(1000);
          const w = newFakeWatcher<Pod>();
          w.error(statusOf(err));
          return w;
        },
      });
      const r = newReflector<Pod>({ name: 'test-reflector', listerWatcher: lw, store: newDeltaFIFO<Pod>(), clock, rng: rngFromSeed(1), backoffManager: bm });
      r.maxInternalErrorRetryDurationMs = tc.maxInternalDurationMs;
      await r.listAndWatch();
      expect(counter - 1).toBe(tc.wantRetries);
    },
  })),
  {
    name: 'the resync loop calls store.resync every period; a failing resync ends the watch but not with an error',
    ref: 'TestReflectorResync',
    run: async () => {
      let iteration = 0;
      const rerr = new Error('expected resync reached');
      const s = fakeCustomStore({
        resync: () => {
          iteration++;
          if (iteration === 2) throw rerr;
        },
      });
      const lw = listWatch({ watch: () => newFakeWatcher<Pod>(), list: () => mkList('0') });
      const { r, clock, trace } = setup({ listerWatcher: lw, store: s, resyncPeriodMs: 1 });
      let finished = false;
      const done = r.listAndWatch().then(() => (finished = true));
      await runUntilIdle(clock, { until: () => finished });
      // The error from Resync is not propagated up to here.
      await expect(done).resolves.toBe(true);
      expect(iteration).toBe(2);
      expect(logs(trace)).toContain('info "Warning: watch ended with error" reflector="test-reflector" type="*v1.Pod" err="expected resync reached"');
      expect(clock.hasWaiters()).toBe(false);
    },
  },
  {
    name: 'ShouldResync decides each period whether store.resync runs',
    ref: 'TestReflectorResync (ShouldResync)',
    run: async () => {
      let resyncs = 0;
      const lw = listWatch({ watch: () => newFakeWatcher<Pod>(), list: () => mkList('0') });
      let allow = false;
      const { r, clock, trace } = setup({ listerWatcher: lw, store: fakeCustomStore({ resync: () => void resyncs++ }), resyncPeriodMs: 1000, shouldResync: () => allow });
      const stopCh = newStopChannel();
      const done = r.listAndWatch(stopCh);
      await settle();
      clock.step(2000);
      allow = true;
      clock.step(1000);
      stopCh.close();
      await done;
      expect(resyncs).toBe(1);
      expect(ofExact(trace, 'reflector.resync').map((e) => e.forced)).toEqual([false, false, true]);
      expect(clock.hasWaiters()).toBe(false);
    },
  },
  {
    name: 'WatchListPageSize pages even a list at a specific resourceVersion',
    ref: 'TestReflectorWatchListPageSize',
    run: async () => {
      const stopCh = newStopChannel();
      const pods = listPodsRange(10);
      const lw = listWatch({
        // Stop once the reflector begins watching since we're only interested in the list.
        watch: () => (stopCh.close(), newFakeWatcher<Pod>()),
        list: (o) => {
          expect(o.limit).toBe(4);
          switch (o.continue ?? '') {
            case '':
              return { metadata: { resourceVersion: '10', continue: 'C1' }, items: pods.slice(0, 4) };
            case 'C1':
              return { metadata: { resourceVersion: '10', continue: 'C2' }, items: pods.slice(4, 8) };
            case 'C2':
              return { metadata: { resourceVersion: '10' }, items: pods.slice(8, 10) };
            default:
              throw new Error(`Unrecognized continue: ${o.continue}`);
          }
        },
      });
      const { r, store } = setup({ listerWatcher: lw });
      // Set resource version to test pagination also for not consistent reads.
      r.setLastSyncResourceVersion('10');
      // Set the reflector to paginate the list request in 4 item chunks.
      r.watchListPageSize = 4;
      await r.listAndWatch(stopCh);
      expect(store.list()).toHaveLength(10);
    },
  },
  {
    name: 'a list at a specific resourceVersion is not paginated, so the watch cache can serve it',
    ref: 'TestReflectorNotPaginatingNotConsistentReads',
    run: async () => {
      const stopCh = newStopChannel();
      const lw = listWatch({
        watch: () => (stopCh.close(), newFakeWatcher<Pod>()),
        list: (o) => {
          expect(o.resourceVersion).toBe('10');
          expect(o.limit ?? 0).toBe(0);
          return mkList('10', ...listPodsRange(10));
        },
      });
      const { r, store } = setup({ listerWatcher: lw });
      r.setLastSyncResourceVersion('10');
      await r.listAndWatch(stopCh);
      expect(store.list()).toHaveLength(10);
    },
  },
  {
    name: 'when the first list (at "0") came back in pages, later lists keep the pager’s limit',
    ref: 'TestReflectorPaginatingNonConsistentReadsIfWatchCacheDisabled',
    run: async () => {
      let stopCh = newStopChannel();
      const pods = listPodsRange(10);
      const lw = listWatch({
        watch: () => (stopCh.close(), newFakeWatcher<Pod>()),
        list: (o) => {
          // Check that default pager limit is set.
          expect(o.limit).toBe(500);
          switch (o.continue ?? '') {
            case '':
              return { metadata: { resourceVersion: '10', continue: 'C1' }, items: pods.slice(0, 4) };
            case 'C1':
              return { metadata: { resourceVersion: '10', continue: 'C2' }, items: pods.slice(4, 8) };
            default:
              return { metadata: { resourceVersion: '10' }, items: pods.slice(8, 10) };
          }
        },
      });
      const { r, store } = setup({ listerWatcher: lw });
      // Initial list should initialize paginatedResult in the reflector.
      await r.listAndWatch(stopCh);
      expect(store.list()).toHaveLength(10);
      // Since initial list for ResourceVersion="0" was paginated, the subsequent ones should also be paginated.
      stopCh = newStopChannel();
      await r.listAndWatch(stopCh);
      expect(store.list()).toHaveLength(10);
    },
  },
  {
    name: 'a relist sends the last resourceVersion, so the reflector never travels back in time',
    ref: 'TestReflectorResyncWithResourceVersion',
    run: async () => {
      let stopCh = newStopChannel();
      const listCallRVs: string[] = [];
      const pods = listPodsRange(8);
      const lw = listWatch({
        watch: () => (stopCh.close(), newFakeWatcher<Pod>()),
        list: (o) => {
          listCallRVs.push(o.resourceVersion ?? '');
          switch (o.resourceVersion) {
            case '0':
              return mkList('10', ...pods.slice(0, 4));
            case '10':
              return mkList('11', ...pods.slice(0, 8));
            default:
              throw new Error(`Unrecognized ResourceVersion: ${o.resourceVersion}`);
          }
        },
      });
      const { r, store } = setup({ listerWatcher: lw });
      // Initial list should use RV=0.
      await r.listAndWatch(stopCh);
      expect(store.list()).toHaveLength(4);
      // Relist should use lastSyncResourceVersions (RV=10).
      stopCh = newStopChannel();
      await r.listAndWatch(stopCh);
      expect(store.list()).toHaveLength(8);
      expect(listCallRVs).toEqual(['0', '10']);
    },
  },
  {
    name: 'an expired exact resourceVersion makes the relist retry at once from "" (a consistent read)',
    ref: 'TestReflectorExpiredExactResourceVersion',
    run: async () => {
      let stopCh = newStopChannel();
      const listCallRVs: string[] = [];
      const pods = listPodsRange(8);
      const lw = listWatch({
        watch: () => (stopCh.close(), newFakeWatcher<Pod>()),
        list: (o) => {
          listCallRVs.push(o.resourceVersion ?? '');
          switch (o.resourceVersion) {
            case '0':
              return mkList('10', ...pods.slice(0, 4));
            case '10':
              // When watch cache is disabled, if the exact ResourceVersion requested is not available, an "Expired" error is returned.
              throw newResourceExpired('The resourceVersion for the provided watch is too old.');
            case '':
              return mkList('11', ...pods.slice(0, 8));
            default:
              throw new Error(`Unrecognized ResourceVersion: ${o.resourceVersion}`);
          }
        },
      });
      const { r, store } = setup({ listerWatcher: lw });
      await r.listAndWatch(stopCh);
      expect(store.list()).toHaveLength(4);
      // Relist should use RV=10 and, since RV=10 is expired, retry with RV="".
      stopCh = newStopChannel();
      await r.listAndWatch(stopCh);
      expect(store.list()).toHaveLength(8);
      expect(listCallRVs).toEqual(['0', '10', '']);
      expect(r.relistResourceVersion()).toBe('11');
    },
  },
  {
    name: 'an expired continuation page falls back to a full list at the same resourceVersion',
    ref: 'TestReflectorFullListIfExpired',
    run: async () => {
      let stopCh = newStopChannel();
      const listCallRVs: string[] = [];
      const pods = listPodsRange(8);
      const key = (rv: string, c: string, l: number) => `${rv}|${c}|${l}`;
      const lw = listWatch({
        watch: () => (stopCh.close(), newFakeWatcher<Pod>()),
        list: (o) => {
          listCallRVs.push(o.resourceVersion ?? '');
          switch (key(o.resourceVersion ?? '', o.continue ?? '', o.limit ?? 0)) {
            // Initial limited list.
            case key('0', '', 4):
              return mkList('10', ...pods.slice(0, 4));
            // First page of the rv=10 list.
            case key('10', '', 4):
              return { metadata: { continue: 'C1', resourceVersion: '11' }, items: pods.slice(0, 4) };
            // Second page of the above list.
            case key('', 'C1', 4):
              throw newResourceExpired('The resourceVersion for the provided watch is too old.');
            // rv=10 unlimited list.
            case key('10', '', 0):
              return mkList('11', ...pods.slice(0, 8));
            default:
              throw new Error(`unexpected list options: ${JSON.stringify(o)}`);
          }
        },
      });
      const { r, store } = setup({ listerWatcher: lw });
      r.watchListPageSize = 4;
      await r.listAndWatch(stopCh);
      expect(store.list()).toHaveLength(4);
      // Relist should use RV=10 and, since its second page expired, full list with RV=10.
      stopCh = newStopChannel();
      await r.listAndWatch(stopCh);
      expect(store.list()).toHaveLength(8);
      expect(listCallRVs).toEqual(['0', '10', '', '10']);
    },
  },
  {
    name: 'a "too large resourceVersion" relist (all three server variants) retries from ""',
    ref: 'TestReflectorFullListIfTooLarge',
    run: async () => {
      let stopCh = newStopChannel();
      const listCallRVs: string[] = [];
      let version = 30;
      const lw = listWatch({
        watch: () => (stopCh.close(), newFakeWatcher<Pod>()),
        list: (o) => {
          listCallRVs.push(o.resourceVersion ?? '');
          const resourceVersion = String(version);
          switch (o.resourceVersion) {
            // Initial list.
            case '0':
              return mkList('20');
            // Relist after the initial list.
            case '20':
              throw newStatusError(504, 'Timeout', 'Timeout: too large resource version', { retryAfterSeconds: 1, causes: [{ type: CauseTypeResourceVersionTooLarge }] });
            // Relist (covers the error format used in api server 1.17.0-1.18.5).
            case '30':
              throw newStatusError(504, 'Timeout', 'Timeout: too large resource version', { retryAfterSeconds: 1, causes: [{ message: 'Too large resource version' }] });
            // Relist (covers the error format used in api server before 1.17.0).
            case '40':
              throw newTimeoutError('Too large resource version', 1);
            // Relist from etcd after "too large" error.
            case '':
              version += 10;
              return mkList(resourceVersion);
            default:
              throw new Error(`unexpected List call: ${o.resourceVersion}`);
          }
        },
      });
      const { r } = setup({ listerWatcher: lw });
      await r.listAndWatch(stopCh);
      // Relist from the future version, three times, to cover each variant.
      for (let i = 1; i <= 3; i++) {
        stopCh = newStopChannel();
        await r.listAndWatch(stopCh);
      }
      expect(listCallRVs).toEqual(['0', '20', '', '30', '', '40', '']);
    },
  },
  ...[
    { name: 'Nil type', input: undefined, expected: defaultExpectedTypeName },
    { name: 'Normal type', input: { apiVersion: 'v1', kind: 'Pod' }, expected: '*v1.Pod' },
    { name: 'Normal type in a group', input: { apiVersion: 'apps/v1', kind: 'Deployment' }, expected: '*v1.Deployment' },
    { name: 'Unstructured type without GVK', input: {}, expected: '*unstructured.Unstructured' },
  ].map(({ name, input, expected }) => ({
    name: `the type description of an expected type: ${name}`,
    ref: 'TestGetTypeDescriptionFromObject',
    run: () => {
      expect(getTypeDescriptionFromObject(input)).toBe(expected);
    },
  })),
  ...[
    { name: 'no timeout', minWatchTimeoutMs: 0, expectedMinTimeoutSeconds: 5 * 60 },
    { name: 'small timeout not honored', minWatchTimeoutMs: 1000, expectedMinTimeoutSeconds: 5 * 60 },
    { name: '30m timeout', minWatchTimeoutMs: 30 * 60_000, expectedMinTimeoutSeconds: 30 * 60 },
  ].map((tc) => ({
    name: `watch timeoutSeconds is random in [min, 2 × min]: ${tc.name}`,
    ref: 'TestWatchTimeout',
    run: async () => {
      for (let seed = 0; seed < 20; seed++) {
        const stopCh = newStopChannel();
        let got = 0;
        const lw = listWatch({
          list: () => mkList('10'),
          watch: (o) => {
            got = o.timeoutSeconds ?? 0;
            stopCh.close();
            return newFakeWatcher<Pod>();
          },
        });
        const { r } = setup({ listerWatcher: lw, minWatchTimeoutMs: tc.minWatchTimeoutMs, rng: rngFromSeed(seed) });
        await r.listAndWatch(stopCh);
        expect(Number.isInteger(got)).toBe(true);
        expect(got).toBeGreaterThanOrEqual(tc.expectedMinTimeoutSeconds);
        expect(got).toBeLessThanOrEqual(2 * tc.expectedMinTimeoutSeconds);
      }
    },
  })),
  {
    name: 'a store with UpdateResourceVersion hears every watch event’s resourceVersion, bookmarks included',
    ref: 'TestReflectorResourceVersionUpdate',
    run: async () => {
      const inner = newStore<Pod>(metaNamespaceKeyFunc);
      const resourceVersions: string[] = [];
      const s: ReflectorStore<Pod> = {
        add: (o) => inner.add(o),
        update: (o) => inner.update(o),
        delete: (o) => inner.delete(o),
        replace: (l, rv) => inner.replace(l, rv),
        resync: () => inner.resync(),
        updateResourceVersion: (rv) => void resourceVersions.push(rv),
      };
      const stopCh = newStopChannel();
      const fw = newFakeWatcher<Pod>();
      const lw = listWatch({ watch: () => fw, list: () => mkList('10') });
      const { r } = setup({ listerWatcher: lw, store: s });
      const makePod = (rv: string): Pod => ({ metadata: { resourceVersion: rv } });
      const done = r.listAndWatch(stopCh);
      await settle();
      await sendAll(fw, [
        { type: 'ADDED', object: makePod('10') },
        { type: 'MODIFIED', object: makePod('20') },
        { type: 'BOOKMARK', object: makePod('30') },
        { type: 'DELETED', object: makePod('40') },
      ]);
      stopCh.close();
      await done;
      expect(resourceVersions).toEqual(['10', '20', '30', '40']);
    },
  },
  {
    name: 'an ERROR after an unsafe delete of a corrupt object relists, and the relist removes it from the store',
    ref: 'TestReflectorReplacesStoreOnUnsafeDelete',
    run: async () => {
      const mk = (id: string, rv: string): Pod => ({ metadata: { namespace: 'ns', name: id, resourceVersion: rv } });
      const preExisting = mk('foo-1', '1');
      const pods = [preExisting, mk('foo-2', '2'), mk('foo-3', '3')];
      const lastExpectedRV = '5';
      const lists = [mkList('3', ...pods), mkList(lastExpectedRV, ...pods)];
      const corruptObj = mk('foo', '4');
      const s = newStore<Pod>(metaNamespaceKeyFunc);
      let replaceInvoked = 0;
      const store: ReflectorStore<Pod> = {
        add: (o) => s.add(o),
        update: (o) => s.update(o),
        delete: (o) => s.delete(o),
        resync: () => s.resync(),
        replace: (list, rv) => {
          // Interested in the Replace call that happens after the Error event.
          if (rv === lastExpectedRV) {
            replaceInvoked++;
            expect(s.get(corruptObj)).toBeDefined();
            expect(s.get(preExisting)).toBeDefined();
          }
          s.replace(list, rv);
          if (rv === lastExpectedRV) {
            replaceInvoked++;
            expect(s.get(corruptObj)).toBeUndefined();
            // Show that a pre-existing pod is still in the cache.
            expect(s.get(preExisting)).toBeDefined();
          }
        },
      };
      let once = false;
      const lw = listWatch({
        watch: () => {
          const fw = newFakeWatcher<Pod>();
          if (!once) {
            once = true;
            fw.add(corruptObj);
            // The object becomes corrupt and gets unsafe-deleted; the watch sends this Error
            // event (the RV has advanced to "5" in storage due to the delete).
            fw.error({ kind: 'Status', status: 'Failure', code: 500, reason: 'StoreReadError', message: 'failed to prepare current and previous objects: corrupt object has been deleted' });
          }
          return fw;
        },
        list: () => structuredClone(lists.shift()!),
      });
      const { r, clock } = setup({ listerWatcher: lw, store });
      const done = r.run();
      // Wait for the RV to sync to the version returned by the final list.
      await runUntilIdle(clock, { until: () => r.lastSyncResourceVersion() === lastExpectedRV });
      expect(r.lastSyncResourceVersion()).toBe(lastExpectedRV);
      expect(replaceInvoked).toBe(2);
      expect(s.list()).toHaveLength(pods.length);
      r.stop();
      await runUntilIdle(clock);
      await done;
    },
  },
  {
    name: 'a watch that closes normally is restarted at once from the last resourceVersion, without a relist',
    ref: 'Reflector.watch (restart after a normal close)',
    run: async () => {
      const source = newFakeControllerSource<Pod>();
      source.add(mkPod('a'));
      const { r, clock, trace, store } = setup({ listerWatcher: source });
      const done = r.run();
      await settle();
      clock.step(5000);
      source.add(mkPod('b'));
      await settle();
      source.closeWatches();
      await settle();
      source.add(mkPod('c'));
      await settle();
      expect(contents(store)).toEqual(['a@1', 'b@2', 'c@3']);
      expect(ofExact(trace, 'reflector.list')).toHaveLength(1);
      expect(ofExact(trace, 'reflector.watch').map((e) => e.rv)).toEqual(['1', '2']);
      expect(logs(trace)).toContain('info "Watch close" reflector="test-reflector" type="*v1.Pod" totalItems=1');
      r.stop();
      await runUntilIdle(clock);
      await done;
    },
  },
  {
    name: 'a 410 ERROR event ends ListAndWatch; after the backoff the relist asks for the last resourceVersion',
    ref: 'Reflector.watch (isExpiredError) and relistResourceVersion',
    run: async () => {
      const source = newFakeControllerSource<Pod>();
      source.add(mkPod('a'));
      const listRVs: string[] = [];
      const lw: ListerWatcher<Pod> = {
        list: (o) => (listRVs.push(o.resourceVersion ?? ''), source.list(o)),
        watch: (o) => source.watch(o),
      };
      const { r, clock, trace } = setup({ listerWatcher: lw });
      const done = r.run();
      await settle();
      source.add(mkPod('b'));
      await settle();
      source.expireWatches();
      await runUntilIdle(clock, { until: () => listRVs.length === 2 });
      expect(listRVs).toEqual(['0', '2']);
      expect(logs(trace)).toContain('info "Watch closed" reflector="test-reflector" type="*v1.Pod" err="too old resource version: 1 (2)"');
      const relist = ofExact(trace, 'reflector.relist');
      expect(relist).toMatchObject([{ reason: 'expired', rv: '2' }]);
      const backoff = ofExact(trace, 'reflector.backoff')[0];
      expect(backoff.delayMs).toBeGreaterThanOrEqual(800);
      expect(backoff.delayMs).toBeLessThan(1600);
      r.stop();
      await runUntilIdle(clock);
      await done;
    },
  },
  {
    name: 'a watch refused with 410 (history flushed by ResetWatch) fails ListAndWatch; the handler logs it and the reflector relists',
    ref: 'DefaultWatchErrorHandler (isExpiredError) with FakeControllerSource.ResetWatch',
    run: async () => {
      const source = newFakeControllerSource<Pod>();
      source.add(mkPod('a'));
      const { r, clock, trace, store } = setup({ listerWatcher: source });
      const done = r.run();
      await settle();
      // Long enough for the watch's close not to be a "very short watch".
      clock.step(5000);
      // Changes the reflector misses, then the history is flushed: its rewatch from RV 1 is too old.
      source.addDropWatch(mkPod('b'));
      source.resetWatch();
      await runUntilIdle(clock, { until: () => contents(store).length === 2 });
      expect(contents(store)).toEqual(['a@1', 'b@2']);
      expect(ofExact(trace, 'reflector.watchEnded').map((e) => e.reason)).toEqual(['closed', 'startFailed']);
      expect(logs(trace)).toContain('info "Watch closed" reflector="test-reflector" type="*v1.Pod" err="too old resource version: 1 (2)"');
      r.stop();
      await runUntilIdle(clock);
      await done;
    },
  },
  {
    name: 'a failed list is reported by the default handler as "Failed to watch", then retried after the backoff',
    ref: 'DefaultWatchErrorHandler (default case)',
    run: async () => {
      let fail = true;
      const lw = listWatch({
        list: () => {
          if (fail) throw new Error('connection reset');
          return mkList('7', mkPod('a', '7'));
        },
        watch: () => newFakeWatcher<Pod>(),
      });
      const { r, clock, trace, store } = setup({ listerWatcher: lw });
      const done = r.run();
      await settle();
      fail = false;
      await runUntilIdle(clock, { until: () => contents(store).length === 1 });
      expect(logs(trace).slice(0, 3)).toEqual([
        'info "Starting reflector" type="*v1.Pod" resyncPeriod="0s" reflector="test-reflector"',
        'info "Listing and watching" type="*v1.Pod" reflector="test-reflector"',
        'error "Failed to watch" err="failed to list *v1.Pod: connection reset" reflector="test-reflector" type="*v1.Pod"',
      ]);
      expect(ofExact(trace, 'reflector.relist')).toMatchObject([{ reason: 'listFailed', rv: '0' }]);
      r.stop();
      await runUntilIdle(clock);
      await done;
      expect(logs(trace).at(-1)).toBe('info "Stopping reflector" type="*v1.Pod" resyncPeriod="0s" reflector="test-reflector"');
    },
  },
  {
    name: 'the same seed gives the same watch timeouts and backoff delays; the trace is plain JSON',
    ref: 'model: determinism and trace',
    run: async () => {
      const once = async () => {
        const source = newFakeControllerSource<Pod>();
        const { r, clock, trace } = setup({ listerWatcher: source, rng: rngFromSeed(42), resyncPeriodMs: 30_000 });
        const done = r.run();
        await settle();
        source.add(mkPod('a'));
        await settle();
        source.expireWatches();
        await runUntilIdle(clock, { forMs: 40_000 });
        r.stop();
        await runUntilIdle(clock);
        await done;
        return trace.events;
      };
      const a = await once();
      const b = await once();
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      const types = new Set(a.map((e: TraceEvent) => e.type));
      for (const t of ['reflector.list', 'reflector.watch', 'reflector.event', 'reflector.watchEnded', 'reflector.relist', 'reflector.resync', 'reflector.backoff', 'reflector.log']) {
        expect(types, t).toContain(t);
      }
      expect(a.find((e) => e.type === 'reflector.watch')).toMatchObject({ component: 'reflector', reflector: 'test-reflector', rv: '0' });
    },
  },
];

describe('Reflector (client-go tools/cache/reflector.go, v0.34.0)', () => {
  it.each(cases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});

describe('ExponentialBackoffManager and Go durations', () => {
  it('doubles to the cap, then resets after a quiet reset period (TestExponentialBackoffManagerGetNextBackoff)', () => {
    const fc = new FakeClock();
    const ns = 1e-6;
    // NewExponentialBackoffManager(1, 10, 10, 2.0, 0.0, fc): nanoseconds, no jitter.
    const backoff = newExponentialBackoffManager(1 * ns, 10 * ns, 10 * ns, 2.0, 0.0, fc, rngFromSeed(1));
    const durations = [1, 2, 4, 8, 10, 10, 10];
    for (const d of durations) expect(Math.round(backoff.nextBackoffMs() / ns)).toBe(d);
    fc.step(11 * ns);
    expect(Math.round(backoff.nextBackoffMs() / ns)).toBe(1);
  });

  it('the reflector’s backoff (800 ms, 30 s, 2 min, 2.0, 1.0) sleeps [base, 2 × base) and levels off at [30, 60) s', () => {
    const fc = new FakeClock();
    const backoff = newExponentialBackoffManager(800, 30_000, 120_000, 2.0, 1.0, fc, rngFromSeed(3));
    const bases = [800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000];
    for (const base of bases) {
      const d = backoff.nextBackoffMs();
      expect(d).toBeGreaterThanOrEqual(base);
      expect(d).toBeLessThan(2 * base);
      fc.step(d);
    }
    // No backoff asked for during more than 2 minutes: back to 800 ms.
    fc.step(120_001);
    expect(backoff.nextBackoffMs()).toBeLessThan(1600);
  });

  it.each([
    [0, '0s'],
    [800, '800ms'],
    [1500, '1.5s'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [0.0015, '1.5µs'],
  ])('formatGoDuration(%d ms) is %s (time.Duration.String)', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});

/** A BackoffManager that counts calls and never waits (upstream's `fakeBackoff`). */
function fakeBackoff(clock: FakeClock): BackoffManager & { calls: number } {
  const bm = {
    calls: 0,
    backoff: () => {
      bm.calls++;
      return newBackoffTimer(clock, 0);
    },
  };
  return bm;
}

/** Upstream's FakeCustomStore: a store whose methods the test supplies. */
function fakeCustomStore(fns: Partial<ReflectorStore<Pod>>): ReflectorStore<Pod> {
  return {
    add: () => {},
    update: () => {},
    delete: () => {},
    replace: () => {},
    resync: () => {},
    ...fns,
  };
}
