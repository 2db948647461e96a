// Follows client-go tools/cache/shared_informer_test.go and controller_test.go at v0.34.0
// (kubernetes v1.34.0). Goroutines become async loops on a FakeClock; upstream's
// `listener.ok()` (poll, then wait a second for stragglers) becomes "let pending promise
// callbacks run, then compare". `fcache.NewFakeControllerSource()` is the model's
// FakeControllerSource, and the informer runs the model's Reflector, as upstream.
// The informer table runs twice: with the InOrderInformers gate on (v1.34's default: a RealFIFO)
// and off (a DeltaFIFO), as client-go's own tests run with whatever the gate is; the cases that
// show where the two queues differ are in `gateCases`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import type { KubeObject } from '../core/object';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder } from '../core/trace';
import { DeltaType, type Deltas } from './delta_fifo_types';
import {
  FilteringResourceEventHandler,
  resourceEventHandlerDetailedFuncs,
  resourceEventHandlerFuncs,
  type ResourceEventHandler,
  type ResourceEventHandlerRegistration,
} from './event_handlers';
import { clientGoFeatureGates } from './features';
import { newFakeControllerSource } from './fake_controller_source';
import { NamespaceIndex, metaNamespaceIndexFunc } from './index_funcs';
import { DeletedFinalStateUnknown, KeyError, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc } from './keys';
import type { ListerWatcher } from './listwatch';
import { minimumResyncPeriodMs } from './processor_listener';
import {
  newSharedIndexInformer,
  processDeltas,
  processorOf,
  syncedPollPeriodMs,
  waitForCacheSync,
  waitForCacheSyncUntil,
  type ReflectorFactoryOptions,
  type ReflectorLike,
  type SharedIndexInformer,
  type SharedIndexInformerOptions,
} from './shared_informer';
import { newStore } from './store';

type Pod = KubeObject;

function makePod(name: string, extra: { uid?: string; labels?: Record<string, string>; namespace?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(extra.namespace ? { namespace: extra.namespace } : {}), ...(extra.uid ? { uid: extra.uid } : {}), ...(extra.labels ? { labels: extra.labels } : {}) },
  };
}

/** The InOrderInformers gate the current table runs with (set by its describe block). */
let inOrderInformers = true;
/** The component of the informer's queue under the current gate. */
const fifoComponent = () => (inOrderInformers ? 'realFIFO' : 'deltaFIFO');

/**
 * Go's `NewSharedInformer(source, &v1.Pod{}, resync)` with the clocks swapped for a fake one,
 * under the current table's gate (unless `more.features` says otherwise).
 */
function newInformer(
  source: ListerWatcher<Pod>,
  resyncMs: number,
  clock: FakeClock,
  more: Partial<SharedIndexInformerOptions<Pod>> = {},
): SharedIndexInformer<Pod> {
  return newSharedIndexInformer<Pod>(source, {
    clock,
    defaultEventHandlerResyncPeriodMs: resyncMs,
    features: { InOrderInformers: inOrderInformers },
    ...more,
  });
}

/** Upstream's testListener: records the names it is handed on add and update. */
class TestListener implements ResourceEventHandler<Pod> {
  receivedItemNames: string[] = [];
  constructor(
    readonly name: string,
    readonly resyncPeriodMs: number,
    public expectedItemNames: string[] = [],
  ) {}
  onAdd(obj: Pod): void {
    this.handle(obj);
  }
  onUpdate(_old: Pod, obj: Pod): void {
    this.handle(obj);
  }
  onDelete(): void {}
  handle(obj: Pod): void {
    this.receivedItemNames.push(obj.metadata.name ?? '');
  }
  /** Upstream's `ok()`: the set of received names equals the expected set. */
  ok(): boolean {
    const got = new Set(this.receivedItemNames);
    const want = new Set(this.expectedItemNames);
    return got.size === want.size && [...want].every((n) => got.has(n));
  }
}

/** Lets every pending promise callback run (list, pops, deliveries). */
const flush = () => settle(400);

function runInBackground(informer: SharedIndexInformer<Pod>): { done: Promise<void>; error: () => unknown } {
  let failure: unknown;
  const done = informer.run().catch((err) => {
    failure = err;
  });
  return { done, error: () => failure };
}

interface Case {
  name: string;
  ref: string;
  run: () => Promise<void> | void;
}

const informerCases: Case[] = [
  {
    name: 'listeners with resync periods 0, 2 s and 3 s on a 1 s informer: each resyncs only when due',
    ref: 'TestListenerResyncPeriods',
    run: async () => {
      const clock = new FakeClock(1_000_000);
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('pod1'));
      source.add(makePod('pod2'));
      const informer = newInformer(source, 1_000, clock);
      const listener1 = new TestListener('listener1', 0, ['pod1', 'pod2']);
      const listener2 = new TestListener('listener2', 2_000, ['pod1', 'pod2']);
      const listener3 = new TestListener('listener3', 3_000, ['pod1', 'pod2']);
      const listeners = [listener1, listener2, listener3];
      for (const l of listeners) informer.addEventHandlerWithResyncPeriod(l, l.resyncPeriodMs);
      const { done } = runInBackground(informer);
      await flush();
      for (const l of listeners) expect(l.ok(), l.name).toBe(true);
      for (const l of listeners) l.receivedItemNames = [];

      // Advance so listener2 gets a resync.
      clock.step(2_000);
      await flush();
      expect(listener2.ok()).toBe(true);
      expect(listener1.receivedItemNames).toEqual([]);
      expect(listener3.receivedItemNames).toEqual([]);
      for (const l of listeners) l.receivedItemNames = [];

      // Advance so listener3 gets a resync.
      clock.step(1_000);
      await flush();
      expect(listener3.ok()).toBe(true);
      expect(listener1.receivedItemNames).toEqual([]);
      expect(listener2.receivedItemNames).toEqual([]);
      informer.stop();
      await done;
    },
  },
  {
    name: 'handlers added before run lower the resync check period; each listener keeps its own period',
    ref: 'TestResyncCheckPeriod',
    run: () => {
      const clock = new FakeClock();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 12 * 3_600_000, clock);
      const gl = (h: ResourceEventHandlerRegistration) => informer.getListener(h)!.resyncPeriodMs;
      const handler1 = informer.addEventHandlerWithResyncPeriod(new TestListener('listener1', 0), 0);
      expect(informer.resyncCheckPeriodMs).toBe(12 * 3_600_000);
      expect(gl(handler1)).toBe(0);
      const handler2 = informer.addEventHandlerWithResyncPeriod(new TestListener('listener2', 60_000), 60_000);
      expect(informer.resyncCheckPeriodMs).toBe(60_000);
      expect([gl(handler1), gl(handler2)]).toEqual([0, 60_000]);
      const handler3 = informer.addEventHandlerWithResyncPeriod(new TestListener('listener3', 55_000), 55_000);
      expect(informer.resyncCheckPeriodMs).toBe(55_000);
      expect([gl(handler1), gl(handler2), gl(handler3)]).toEqual([0, 60_000, 55_000]);
      const handler4 = informer.addEventHandlerWithResyncPeriod(new TestListener('listener4', 5_000), 5_000);
      expect(informer.resyncCheckPeriodMs).toBe(5_000);
      expect([gl(handler1), gl(handler2), gl(handler3), gl(handler4)]).toEqual([0, 60_000, 55_000, 5_000]);
    },
  },
  {
    name: 'a resync period under 1 s is raised to 1 s; after run, one under the check period is raised to it',
    ref: 'sharedIndexInformer.AddEventHandlerWithOptions (minimumResyncPeriod, started)',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 10_000, clock, { trace, name: 'pods' });
      const early = informer.addEventHandlerWithResyncPeriod({}, 500);
      expect(informer.resyncCheckPeriodMs).toBe(minimumResyncPeriodMs);
      expect(informer.getListener(early)).toMatchObject({ requestedResyncPeriodMs: 1_000, resyncPeriodMs: 1_000 });
      const { done } = runInBackground(informer);
      await flush();
      informer.resyncCheckPeriodMs; // 1 s from now on
      const late = informer.addEventHandlerWithResyncPeriod({}, 0);
      expect(informer.getListener(late)!.resyncPeriodMs).toBe(0);
      const informer2 = newInformer(newFakeControllerSource<Pod>({ clock }), 30_000, clock, { trace, name: 'nodes' });
      const { done: done2 } = runInBackground(informer2);
      await flush();
      const h = informer2.addEventHandlerWithResyncPeriod({}, 5_000);
      expect(informer2.getListener(h)).toMatchObject({ requestedResyncPeriodMs: 30_000, resyncPeriodMs: 30_000 });
      expect(trace.ofType('informer.log').map((e) => `${e.informer}: ${e.message}`)).toEqual([
        'pods: "Warning: resync period is too small. Changing it to the minimum allowed value" resyncPeriod="500ms" minimumResyncPeriod="1s"',
        'nodes: "Warning: resync period is smaller than resync check period and the informer has already started. Changing it to the resync check period" resyncPeriod="5s" resyncCheckPeriod="30s"',
      ]);
      informer.stop();
      informer2.stop();
      await Promise.all([done, done2]);
    },
  },
  {
    name: 'an informer made with resync 0 never resyncs, even for a handler asking for 5 s',
    ref: 'determineResyncPeriod (kubernetes#87552)',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('pod1'));
      const informer = newInformer(source, 0, clock, { trace });
      const l = new TestListener('l', 5_000);
      const h = informer.addEventHandlerWithResyncPeriod(l, 5_000);
      expect(informer.getListener(h)).toMatchObject({ requestedResyncPeriodMs: 5_000, resyncPeriodMs: 0 });
      expect(trace.ofType('informer.log')[0].message).toBe(
        `"Warning: the specified resyncPeriod is invalid because this shared informer doesn't support resyncing" desired="5s"`,
      );
      const { done } = runInBackground(informer);
      await flush();
      clock.step(60_000);
      await flush();
      expect(l.receivedItemNames).toEqual(['pod1']);
      informer.stop();
      await done;
    },
  },
  {
    name: 'adding a handler and running and stopping at once is safe',
    ref: 'TestSharedInformerInitializationRace',
    run: async () => {
      const clock = new FakeClock();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 1_000, clock);
      const listener = new TestListener('raceListener', 0);
      const added = Promise.resolve().then(() => informer.addEventHandlerWithResyncPeriod(listener, listener.resyncPeriodMs));
      const { done } = runInBackground(informer);
      informer.stop();
      await done;
      await added;
      expect(informer.isStopped()).toBe(true);
    },
  },
  {
    name: 'after a watch disruption the relist updates both listeners; an unchanged object goes only to the resyncing one',
    ref: 'TestSharedInformerWatchDisruption',
    run: async () => {
      const clock = new FakeClock(1_000_000);
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('pod1', { uid: 'pod1' }));
      source.add(makePod('pod2', { uid: 'pod2' }));
      const informer = newInformer(source, 1_000, clock);
      const listenerNoResync = new TestListener('listenerNoResync', 0, ['pod1', 'pod2']);
      const listenerResync = new TestListener('listenerResync', 1_000, ['pod1', 'pod2']);
      const listeners = [listenerNoResync, listenerResync];
      for (const l of listeners) informer.addEventHandlerWithResyncPeriod(l, l.resyncPeriodMs);
      const { done } = runInBackground(informer);
      await flush();
      for (const l of listeners) expect(l.ok(), l.name).toBe(true);

      // Add pod3, bump pod2, but don't broadcast it, so the change is seen only on relist.
      source.addDropWatch(makePod('pod3', { uid: 'pod3' }));
      source.modifyDropWatch(makePod('pod2', { uid: 'pod2' }));
      await flush();
      for (const l of listeners) expect(l.ok(), l.name).toBe(true);
      for (const l of listeners) l.receivedItemNames = [];
      listenerNoResync.expectedItemNames = ['pod2', 'pod3'];
      listenerResync.expectedItemNames = ['pod1', 'pod2', 'pod3'];

      // This calls shouldResync, which takes listenerNoResync out of the syncing listeners.
      clock.step(1_000);
      // Simulate a connection loss (or just a too-old watch): Go's ResetWatch.
      source.resetWatch();
      await flush();
      // Advance the clock past the backoff, so the reflector lists again.
      clock.step(1_601);
      await flush();
      for (const l of listeners) expect(l.ok(), `${l.name}: ${l.receivedItemNames}`).toBe(true);
      expect(listenerNoResync.receivedItemNames.sort()).toEqual(['pod2', 'pod3']);
      informer.stop();
      await done;
    },
  },
  {
    name: 'a failing list reaches the watch error handler',
    ref: 'TestSharedInformerErrorHandling',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('pod1'));
      const failing: ListerWatcher<Pod> = { list: () => Promise.reject(new Error('Access Denied')), watch: (o) => source.watch(o) };
      const informer = newInformer(failing, 1_000, clock);
      const errs: unknown[] = [];
      informer.setWatchErrorHandler((_r, err) => errs.push(err));
      const { done } = runInBackground(informer);
      await flush();
      expect(errs).toHaveLength(1);
      expect(String((errs[0] as Error).message)).toContain('Access Denied');
      informer.stop();
      await done;
    },
  },
  {
    name: 'SetTransform and SetWatchErrorHandler work before run and fail after',
    ref: 'TestSharedInformerStartRace',
    run: async () => {
      const clock = new FakeClock();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 1_000, clock);
      informer.setTransform((i) => i);
      informer.setWatchErrorHandler(() => {});
      const { done } = runInBackground(informer);
      expect(() => informer.setTransform((i) => i)).toThrow('informer has already started');
      expect(() => informer.setWatchErrorHandler(() => {})).toThrow('informer has already started');
      informer.stop();
      await done;
    },
  },
  {
    name: 'the transform runs before objects are stored and delivered',
    ref: 'TestSharedInformerTransformer',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('pod1', { uid: 'pod1' }));
      source.add(makePod('pod2', { uid: 'pod2' }));
      const informer = newInformer(source, 1_000, clock);
      informer.setTransform((obj) => {
        const pod = obj as Pod;
        const name = pod.metadata.name ?? '';
        if (name.toUpperCase() !== name) pod.metadata.name = name.toUpperCase();
        return pod;
      });
      const listenerTransformer = new TestListener('listenerTransformer', 0, ['POD1', 'POD2']);
      informer.addEventHandler(listenerTransformer);
      const { done } = runInBackground(informer);
      await flush();
      expect(listenerTransformer.ok()).toBe(true);
      expect(informer.getStore().listKeys()).toEqual(['POD1', 'POD2']);
      informer.stop();
      await done;
    },
  },
  {
    name: 'two handlers are added and removed one by one',
    ref: 'TestSharedInformerRemoveHandler',
    run: () => {
      const clock = new FakeClock();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 1_000, clock);
      const handle1 = informer.addEventHandler({});
      const handle2 = informer.addEventHandler({});
      expect(informer.eventHandlerCount()).toBe(2);
      informer.removeEventHandler(handle2);
      expect(informer.eventHandlerCount()).toBe(1);
      informer.removeEventHandler(handle1);
      expect(informer.eventHandlerCount()).toBe(0);
    },
  },
  {
    name: 'removing a handle at another informer does nothing to either',
    ref: 'TestSharedInformerRemoveForeignHandler',
    run: () => {
      const clock = new FakeClock();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 1_000, clock);
      const informer2 = newInformer(newFakeControllerSource<Pod>({ clock }), 1_000, clock);
      const handle1 = informer.addEventHandler({});
      const handle2 = informer.addEventHandler({});
      expect([informer.eventHandlerCount(), informer2.eventHandlerCount()]).toEqual([2, 0]);
      expect(informer2.getListener(handle1)).toBeUndefined();
      expect(informer2.getListener(handle2)).toBeUndefined();
      informer2.removeEventHandler(handle1);
      expect([informer.eventHandlerCount(), informer2.eventHandlerCount()]).toEqual([2, 0]);
      expect(informer.getListener(handle1)).toBeDefined();
      expect(informer.getListener(handle2)).toBeDefined();
      informer.removeEventHandler(handle2);
      expect(informer.eventHandlerCount()).toBe(1);
      informer.removeEventHandler(handle1);
      expect(informer.eventHandlerCount()).toBe(0);
    },
  },
  {
    name: 'the same handler added twice is two registrations, removed separately',
    ref: 'TestSharedInformerMultipleRegistration',
    run: () => {
      const clock = new FakeClock();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 1_000, clock);
      const handler1 = {};
      const reg1 = informer.addEventHandler(handler1);
      expect(informer.getListener(reg1)).toBeDefined();
      const reg2 = informer.addEventHandler(handler1);
      expect(informer.getListener(reg2)).toBeDefined();
      expect(reg2).not.toBe(reg1);
      expect(informer.eventHandlerCount()).toBe(2);
      informer.removeEventHandler(reg1);
      expect(informer.getListener(reg1)).toBeUndefined();
      expect(informer.getListener(reg2)).toBeDefined();
      expect(informer.eventHandlerCount()).toBe(1);
      informer.removeEventHandler(reg2);
      expect(informer.getListener(reg2)).toBeUndefined();
      expect(informer.eventHandlerCount()).toBe(0);
    },
  },
  {
    name: 'removing a registration twice is not an error',
    ref: 'TestRemovingRemovedSharedInformer',
    run: () => {
      const clock = new FakeClock();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 1_000, clock);
      const reg = informer.addEventHandler({});
      informer.removeEventHandler(reg);
      expect(informer.getListener(reg)).toBeUndefined();
      informer.removeEventHandler(reg);
      expect(informer.getListener(reg)).toBeUndefined();
    },
  },
  {
    name: 'handlers added and removed at random while events flow: no error until the informer stops',
    ref: 'TestSharedInformerHandlerAbuse',
    run: async () => {
      const clock = new FakeClock();
      const rng = rngFromSeed('abuse');
      const source = newFakeControllerSource<Pod>({ clock });
      const informer = newInformer(source, 1_000, clock);
      const { done, error } = runInBackground(informer);
      const funcs = resourceEventHandlerDetailedFuncs<Pod>({ addFunc: () => {}, updateFunc: () => {}, deleteFunc: () => {} });
      let stoppedErrors = 0;
      // Each worker wakes every virtual millisecond and makes a burst of registrations and
      // removals, interleaved (one continuation apart) with the informer's deliveries. (A worker
      // that only ever awaited `null` would never let the simulation go quiet.)
      const workers = Array.from({ length: 20 }, async () => {
        const handles: ResourceEventHandlerRegistration[] = [];
        for (let n = 0; ; n++) {
          if (n % 10 === 0) await clock.sleep(1);
          else await null;
          try {
            if (rng.int(2) === 0) handles.push(informer.addEventHandlerWithResyncPeriod(funcs, 1_000));
            else if (handles.length > 0) informer.removeEventHandler(handles.splice(rng.int(handles.length), 1)[0]);
          } catch (err) {
            expect((err as Error).message).toContain('stopped already');
            stoppedErrors++;
            return;
          }
        }
      });
      let objs: Pod[] = [];
      for (let i = 0; i < 2_000; i++) {
        if (objs.length === 0) {
          const obj = makePod(`pod${i}`);
          objs.push(obj);
          source.add(structuredClone(obj));
        }
        const op = rng.int(3);
        if (op === 0) {
          const obj = makePod(`pod${i}`);
          objs.push(obj);
          source.add(structuredClone(obj));
        } else if (op === 1) {
          source.modify(structuredClone(objs[rng.int(objs.length)]));
        } else {
          const idx = rng.int(objs.length);
          source.delete(structuredClone(objs[idx]));
          objs = objs.filter((_, j) => j !== idx);
        }
        if (i % 100 === 0) {
          clock.step(1);
          await settle();
        }
      }
      // Stop the informer first, to exercise contention while it is closing.
      informer.stop();
      await done;
      let finished = false;
      const all = Promise.all(workers).then(() => (finished = true));
      // Wake the workers until each has seen the informer stopped.
      for (let ms = 0; !finished && ms < 100; ms++) {
        clock.step(1);
        await settle();
      }
      await all;
      expect(error()).toBeUndefined();
      expect(stoppedErrors).toBe(20);
    },
  },
  {
    name: 'started and stopped are reported as the informer runs and stops',
    ref: 'TestStateSharedInformer',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('pod1'));
      const informer = newInformer(source, 1_000, clock);
      const listener = new TestListener('listener', 0, ['pod1']);
      informer.addEventHandlerWithResyncPeriod(listener, listener.resyncPeriodMs);
      expect(informer.hasStarted()).toBe(false);
      expect(informer.isStopped()).toBe(false);
      const { done } = runInBackground(informer);
      await flush();
      expect(listener.ok()).toBe(true);
      expect(informer.hasStarted()).toBe(true);
      expect(informer.isStopped()).toBe(false);
      informer.stop();
      await done;
      expect(informer.isStopped()).toBe(true);
      expect(informer.hasStarted()).toBe(true);
    },
  },
  {
    name: 'a stopped informer rejects a new handler',
    ref: 'TestAddOnStoppedSharedInformer',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('pod1'));
      const informer = newInformer(source, 1_000, clock);
      const { done } = runInBackground(informer);
      informer.stop();
      await done;
      expect(informer.isStopped()).toBe(true);
      expect(() => informer.addEventHandlerWithResyncPeriod(new TestListener('listener', 0), 0)).toThrow(
        /was not added to shared informer because it has stopped already$/,
      );
      expect(() => informer.addEventHandler({ addFunc: () => {} })).toThrow(
        'handler {func <nil> <nil>} was not added to shared informer because it has stopped already',
      );
    },
  },
  {
    name: 'a stopped informer still removes a handler without error',
    ref: 'TestRemoveOnStoppedSharedInformer',
    run: async () => {
      const clock = new FakeClock();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 1_000, clock);
      const handle = informer.addEventHandlerWithResyncPeriod(new TestListener('listener', 0), 0);
      const { done } = runInBackground(informer);
      informer.stop();
      await done;
      expect(informer.isStopped()).toBe(true);
      expect(() => informer.removeEventHandler(handle)).not.toThrow();
    },
  },
  {
    name: 'a handler removed while the informer runs gets nothing afterwards',
    ref: 'TestRemoveWhileActive',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      const informer = newInformer(source, 0, clock);
      const listener = new TestListener('listener', 0, ['pod1']);
      const handle = informer.addEventHandler(listener);
      const { done } = runInBackground(informer);
      await flush();
      source.add(makePod('pod1'));
      await flush();
      expect(listener.ok()).toBe(true);
      informer.removeEventHandler(handle);
      expect(informer.getListener(handle)).toBeUndefined();
      source.add(makePod('pod2'));
      await flush();
      expect(listener.ok()).toBe(true);
      informer.stop();
      await done;
    },
  },
  {
    name: 'a handler added while the informer runs first gets the cache as initial adds, and syncs after them',
    ref: 'TestAddWhileActive',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      const informer = newInformer(source, 0, clock);
      const listener1 = new TestListener('originalListener', 0, ['pod1']);
      const listener2 = new TestListener('listener2', 0, ['pod1', 'pod2']);
      const handle1 = informer.addEventHandler(listener1);
      expect(handle1.hasSynced()).toBe(false); // Synced before Run??
      const { done } = runInBackground(informer);
      await flush(); // Let the reflector list and start watching (upstream races here).
      source.add(makePod('pod1'));
      await flush();
      expect(listener1.ok()).toBe(true);
      expect(handle1.hasSynced()).toBe(true); // Not synced after Run??
      const handle2 = informer.addEventHandler(listener2);
      expect(handle2.hasSynced()).toBe(false); // Synced before processing anything?
      source.add(makePod('pod2'));
      await flush();
      expect(listener2.ok()).toBe(true);
      expect(handle2.hasSynced()).toBe(true); // Not synced even after processing?
      expect(informer.getListener(handle1)).toBeDefined();
      expect(informer.getListener(handle2)).toBeDefined();
      listener1.expectedItemNames = listener2.expectedItemNames;
      expect(listener1.ok()).toBe(true);
      informer.stop();
      await done;
    },
  },
  {
    name: 'a handler that throws crashes the informer: run() rejects with it, after the panic is logged',
    ref: 'TestPanicPropagated (controller_test.go)',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const source = newFakeControllerSource<Pod>({ clock });
      const informer = newInformer(source, 100, clock, { trace });
      const other: string[] = [];
      informer.addEventHandler({
        addFunc: () => {
          // Create a panic (upstream panics with a string: `panic("Just panic.")`).
          throw 'Just panic.';
        },
      });
      informer.addEventHandler({ addFunc: async (obj) => void other.push(obj.metadata.name ?? '') });
      const { done, error } = runInBackground(informer);
      await flush();
      source.add(makePod('test'));
      await flush();
      await done;
      // `p == "Just panic."`: the panic value itself propagates.
      expect(error()).toBe('Just panic.');
      expect(informer.isStopped()).toBe(true);
      expect(trace.ofType('informer.log').filter((e) => e.level === 'error').map((e) => e.message)).toEqual(['"Observed a panic" panic="Just panic."']);
      expect(trace.ofType('informer.stopped')[0]).toMatchObject({ crashed: true });
      // The process died: whatever the other handler had not started is lost.
      expect(other.length).toBeLessThanOrEqual(1);
    },
  },
  {
    name: 'an update is observed from the old to the new state, and a delete after it',
    ref: 'TestUpdate (controller_test.go)',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      const informer = newInformer(source, 0, clock);
      const allowed = new Set(['from->to', 'to->to', 'from->from']);
      const transitions: string[] = [];
      const deleted: string[] = [];
      const pod = (name: string, check: string, final: boolean) => makePod(name, { labels: { check, ...(final ? { final: 'true' } : {}) } });
      informer.addEventHandler({
        updateFunc: (oldObj, newObj) => {
          const t = `${oldObj.metadata.labels?.check}->${newObj.metadata.labels?.check}`;
          transitions.push(t);
          if (newObj.metadata.labels?.final === 'true') source.delete(newObj);
        },
        deleteFunc: (obj) => void deleted.push(deletionHandlingMetaNamespaceKeyFunc(obj)),
      });
      const { done } = runInBackground(informer);
      await flush();
      for (let i = 0; i < 3; i++) {
        source.add(pod(`a-${i}-0`, 'from', false));
        source.modify(pod(`a-${i}-0`, 'to', true));
      }
      await flush();
      expect(transitions.every((t) => allowed.has(t))).toBe(true);
      expect(deleted.sort()).toEqual(['a-0-0', 'a-1-0', 'a-2-0']);
      informer.stop();
      await done;
    },
  },
  {
    name: 'a delete missed while the watch was down reaches handlers as DeletedFinalStateUnknown, keyed by its key',
    ref: 'TestDeletionHandlingObjectToName (as DeletionHandlingMetaNamespaceKeyFunc)',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('web', { namespace: 'default' }));
      const informer = newInformer(source, 0, clock);
      const deletes: unknown[] = [];
      informer.addEventHandler({ deleteFunc: (obj) => void deletes.push(obj) });
      const { done } = runInBackground(informer);
      await flush();
      source.deleteDropWatch(makePod('web', { namespace: 'default' }));
      source.resetWatch();
      await flush();
      // Past the reflector's backoff (800 ms, jitter up to 100%), so it lists again.
      clock.step(1_601);
      await flush();
      expect(deletes).toHaveLength(1);
      expect(deletes[0]).toBeInstanceOf(DeletedFinalStateUnknown);
      expect(deletionHandlingMetaNamespaceKeyFunc(deletes[0])).toBe('default/web');
      expect((deletes[0] as DeletedFinalStateUnknown<Pod>).obj.metadata.name).toBe('web');
      informer.stop();
      await done;
    },
  },
  {
    name: 'isInInitialList is true for the first list (and the cache replay of a late handler), false afterwards',
    ref: 'TestAddWhileActive / processDeltas (isInInitialList)',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('pod1'));
      source.add(makePod('pod2'));
      const informer = newInformer(source, 0, clock);
      const early: string[] = [];
      const late: string[] = [];
      const rec = (log: string[]) => resourceEventHandlerDetailedFuncs<Pod>({ addFunc: (o, initial) => void log.push(`${o.metadata.name}:${initial}`) });
      const h1 = informer.addEventHandler(rec(early));
      const { done } = runInBackground(informer);
      await flush();
      expect(informer.hasSynced()).toBe(true);
      source.add(makePod('pod3'));
      await flush();
      const h2 = informer.addEventHandler(rec(late));
      expect(h2.hasSynced()).toBe(false);
      await flush();
      expect(early).toEqual(['pod1:true', 'pod2:true', 'pod3:false']);
      expect(late).toEqual(['pod1:true', 'pod2:true', 'pod3:true']);
      expect([h1.hasSynced(), h2.hasSynced()]).toEqual([true, true]);
      informer.stop();
      await done;
    },
  },
  ...[
    { what: 'simple: one handler panics on the one pod', pods: 1, handlers: 1 },
    { what: 'many: two handlers panic on each of five pods, sleeping a second after each panic but the last', pods: 5, handlers: 2 },
  ].map(({ what, pods, handlers }) => ({
    name: `with ReallyCrash off, every panic is logged and skipped; the informer syncs, the handlers never do (${what})`,
    ref: 'TestEventPanics',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const source = newFakeControllerSource<Pod>({ clock });
      for (let i = 1; i <= pods; i++) source.add(makePod(`pod${i}`));
      const informer = newInformer(source, 1_000, clock, { trace, reallyCrash: false });
      const attempts: string[] = [];
      const handles = Array.from({ length: handlers }, (_, h) =>
        informer.addEventHandler({
          addFunc: (obj) => {
            attempts.push(`${h + 1}:${obj.metadata.name}@${clock.now()}`);
            throw 'fake panic';
          },
        }),
      );
      const { done, error } = runInBackground(informer);
      await runUntilIdle(clock, { forMs: 60_000 });
      expect(informer.hasSynced()).toBe(true);
      // kubernetes#129024: a handler whose initial add panicked never syncs.
      for (const h of handles) expect(h.hasSynced()).toBe(false);
      const panics = trace.ofType('informer.log').filter((e) => e.level === 'error');
      expect(panics.map((e) => `${e.source}] ${e.message}`)).toEqual(Array(pods * handlers).fill('handler] "Observed a panic" panic="fake panic"'));
      // Each handler slept one second after each panic but the last: the n-th pod at (n-1) s.
      for (let h = 1; h <= handlers; h++) {
        expect(attempts.filter((a) => a.startsWith(`${h}:`))).toEqual(Array.from({ length: pods }, (_, i) => `${h}:pod${i + 1}@${i * 1_000}`));
      }
      informer.stop();
      await runUntilIdle(clock);
      await done;
      expect(error()).toBeUndefined();
    },
  })),
  {
    name: 'an empty initial list syncs the informer and its handlers without any pop',
    ref: 'DeltaFIFO.HasSynced via sharedIndexInformer.HasSynced',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 0, clock, { trace });
      const h = informer.addEventHandler({});
      expect(informer.hasSynced()).toBe(false);
      const { done } = runInBackground(informer);
      await flush();
      expect(informer.hasSynced()).toBe(true);
      expect(h.hasSynced()).toBe(true);
      expect(trace.ofType('informer.synced').map((e) => e.listener)).toEqual([null, 1]);
      informer.stop();
      await done;
    },
  },
  {
    name: 'the informer syncs only once the pop of the last initial item has returned (no handler needed)',
    ref: 'sharedIndexInformer.HasSynced -> RealFIFO.HasSynced / DeltaFIFO.HasSynced (wait for the lock Pop holds during process)',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const source = newFakeControllerSource<Pod>({ clock });
      for (const name of ['a', 'b', 'c']) source.add(makePod(name, { namespace: 'ns' }));
      // An index function runs inside process (HandleDeltas -> indexer.Add): it sees the informer unsynced.
      const seen: string[] = [];
      const informer = newInformer(source, 0, clock, {
        trace,
        indexers: {
          probe: (obj: Pod) => {
            seen.push(`${obj.metadata.name}:${informer.hasSynced()}`);
            return [];
          },
        },
      });
      const { done } = runInBackground(informer);
      await flush();
      expect(seen).toEqual(['a:false', 'b:false', 'c:false']);
      expect(informer.hasSynced()).toBe(true);
      const order = trace.events
        .filter((e) => e.type === 'informer.synced' || (e.type === `${fifoComponent()}.processed` && e.key === 'ns/c'))
        .map((e) => e.type);
      expect(order).toEqual([`${fifoComponent()}.processed`, 'informer.synced']);
      informer.stop();
      await done;
    },
  },
  {
    name: 'AddIndexers works before and after run, and fails once stopped',
    ref: 'sharedIndexInformer.AddIndexers (v1.30+, kubernetes#117046)',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('a', { namespace: 'ns1' }));
      source.add(makePod('b', { namespace: 'ns2' }));
      const informer = newInformer(source, 0, clock);
      informer.addIndexers({ [NamespaceIndex]: metaNamespaceIndexFunc });
      const { done } = runInBackground(informer);
      await flush();
      expect(informer.getIndexer().indexKeys(NamespaceIndex, 'ns1')).toEqual(['ns1/a']);
      informer.addIndexers({ byName: (o) => [o.metadata.name ?? ''] });
      expect(informer.getIndexer().indexKeys('byName', 'b')).toEqual(['ns2/b']);
      expect(() => informer.addIndexers({ byName: () => [] })).toThrow('indexer conflict: map[byName:{}]');
      informer.stop();
      await done;
      expect(() => informer.addIndexers({ other: () => [] })).toThrow('indexer was not added because it has stopped already');
    },
  },
  {
    name: 'run twice: the second call logs a warning and returns; lastSyncResourceVersion follows the reflector',
    ref: 'sharedIndexInformer.RunWithContext (HasStarted) / LastSyncResourceVersion',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('a'));
      source.add(makePod('b'));
      const informer = newInformer(source, 0, clock, { trace });
      expect(informer.lastSyncResourceVersion()).toBe('');
      const { done } = runInBackground(informer);
      await informer.run();
      expect(trace.ofType('informer.log').map((e) => e.message)).toEqual(['"Warning: the sharedIndexInformer has started, run more than once is not allowed"']);
      await flush();
      expect(informer.lastSyncResourceVersion()).toBe('2');
      informer.stop();
      await done;
    },
  },
  {
    name: 'a Reflector factory gets the queue, the resync check period and the type; shouldResync is the processor\'s',
    ref: 'controller.RunWithContext (NewReflectorWithOptions, r.ShouldResync = c.config.ShouldResync)',
    run: async () => {
      const clock = new FakeClock();
      let seen: ReflectorFactoryOptions<Pod> | undefined;
      let stops = 0;
      const fake: ReflectorLike = {
        run: () => new Promise<void>(() => {}),
        stop: () => void stops++,
        lastSyncResourceVersion: () => '42',
      };
      const informer = newSharedIndexInformer<Pod>(newFakeControllerSource<Pod>({ clock }), {
        clock,
        defaultEventHandlerResyncPeriodMs: 30_000,
        objectType: { apiVersion: 'v1', kind: 'Pod' },
        name: 'pods',
        features: { InOrderInformers: inOrderInformers },
        newReflector: (o) => {
          seen = o;
          return fake;
        },
      });
      informer.addEventHandlerWithResyncPeriod({}, 10_000);
      void informer.run();
      await settle();
      expect(seen).toMatchObject({ name: 'pods', resyncPeriodMs: 10_000, expectedType: { apiVersion: 'v1', kind: 'Pod' } });
      expect(seen!.store).toBe(informer.getQueue());
      expect(informer.lastSyncResourceVersion()).toBe('42');
      clock.step(10_000);
      expect(fake.shouldResync!()).toBe(true);
      // The hand-fed queue is processed as the reflector would fill it.
      seen!.store.replace([makePod('a')], '1');
      await settle();
      expect(informer.hasSynced()).toBe(true);
      expect(informer.getStore().listKeys()).toEqual(['a']);
      informer.stop();
      expect(stops).toBe(1);
      expect(() => newSharedIndexInformer<Pod>(newFakeControllerSource<Pod>({ clock }), undefined as never)).toThrow('options.clock');
    },
  },
  {
    name: 'trace: handle, notify, deliver and synced for a list, an update and a delete',
    ref: 'model: trace contract (DESIGN.md)',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const source = newFakeControllerSource<Pod>({ clock, trace });
      source.add(makePod('a', { namespace: 'ns' }));
      const informer = newInformer(source, 0, clock, { trace, name: 'pods' });
      const h = informer.addEventHandler({});
      const { done } = runInBackground(informer);
      await flush();
      source.modify(makePod('a', { namespace: 'ns' }));
      await flush();
      source.delete(makePod('a', { namespace: 'ns' }));
      await flush();
      informer.removeEventHandler(h);
      informer.stop();
      await done;
      const rows = trace.events
        .filter((e) => e.component === 'informer')
        .map((e) => [e.type.slice('informer.'.length), e.listener, e.kind ?? e.deltaType, e.key].filter((x) => x !== undefined && x !== null).join(' '));
      expect(rows).toEqual([
        'new',
        'addHandler 1',
        'run',
        'handle Replaced ns/a',
        'notify 1 add ns/a',
        'synced',
        'deliver 1 add ns/a',
        'delivered 1 add ns/a',
        'synced 1',
        'handle Updated ns/a',
        'notify 1 update ns/a',
        'deliver 1 update ns/a',
        'delivered 1 update ns/a',
        'handle Deleted ns/a',
        'notify 1 delete ns/a',
        'deliver 1 delete ns/a',
        'delivered 1 delete ns/a',
        'closeListener 1',
        'removeHandler 1',
        'stop',
        'stopped',
      ]);
      for (const e of trace.events) expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    },
  },
];

const processDeltasCases: Case[] = [
  {
    name: 'Sync, Replaced, Added and Updated add an absent object and update a present one; Deleted deletes',
    ref: 'processDeltas (controller.go)',
    run: () => {
      const store = newStore<Pod>(deletionHandlingMetaNamespaceKeyFunc);
      const calls: string[] = [];
      const handler: ResourceEventHandler<Pod> = {
        onAdd: (o, initial) => void calls.push(`add ${o.metadata.name} rv=${o.metadata.resourceVersion} initial=${initial}`),
        onUpdate: (old, o) => void calls.push(`update ${o.metadata.name} ${old.metadata.resourceVersion}->${o.metadata.resourceVersion}`),
        onDelete: (o) => void calls.push(`delete ${deletionHandlingMetaNamespaceKeyFunc(o)}`),
      };
      const v = (name: string, rv: string): Pod => ({ metadata: { name, resourceVersion: rv } });
      for (const type of [DeltaType.Sync, DeltaType.Replaced, DeltaType.Added, DeltaType.Updated]) {
        calls.length = 0;
        processDeltas(handler, store, [{ type, object: v(`x-${type}`, '1') }, { type, object: v(`x-${type}`, '2') }], true);
        expect(calls).toEqual([`add x-${type} rv=1 initial=true`, `update x-${type} 1->2`]);
        expect(store.getByKey(`x-${type}`)?.metadata.resourceVersion).toBe('2');
      }
      calls.length = 0;
      const deltas: Deltas<Pod> = [
        { type: DeltaType.Deleted, object: v('x-Sync', '2') },
        { type: DeltaType.Deleted, object: new DeletedFinalStateUnknown('x-Added', v('x-Added', '2')) as unknown as Pod },
      ];
      processDeltas(handler, store, deltas, false);
      expect(calls).toEqual(['delete x-Sync', 'delete x-Added']);
      expect(store.listKeys()).toEqual(['x-Replaced', 'x-Updated']);
    },
  },
  {
    name: 'an async handler: the next delta waits for it, and the call returns a promise',
    ref: 'processDeltas (from oldest to newest)',
    run: async () => {
      const clock = new FakeClock();
      const store = newStore<Pod>(metaNamespaceKeyFunc);
      const seen: string[] = [];
      const handler = resourceEventHandlerFuncs<Pod>({
        addFunc: async (o) => {
          await clock.sleep(5);
          seen.push(`add ${o.metadata.name}@${clock.now()} stored=${store.listKeys().join(',')}`);
        },
        updateFunc: (_old, o) => void seen.push(`update ${o.metadata.name}@${clock.now()}`),
      });
      const result = processDeltas(handler, store, [
        { type: DeltaType.Added, object: { metadata: { name: 'a' } } },
        { type: DeltaType.Updated, object: { metadata: { name: 'a' } } },
      ], false);
      expect(result).toBeInstanceOf(Promise);
      expect(store.listKeys()).toEqual(['a']);
      clock.step(5);
      await result;
      expect(seen).toEqual(['add a@5 stored=a', 'update a@5']);
      expect(processDeltas(handler, store, [{ type: DeltaType.Updated, object: { metadata: { name: 'a' } } }], false)).toBeUndefined();
    },
  },
  {
    name: 'a key error stops at that delta and is thrown (Go: returned)',
    ref: 'processDeltas (return err)',
    run: () => {
      const store = newStore<Pod>(metaNamespaceKeyFunc);
      const calls: string[] = [];
      const handler = resourceEventHandlerFuncs<Pod>({ addFunc: (o) => void calls.push(o.metadata.name ?? '') });
      expect(() =>
        processDeltas(handler, store, [
          { type: DeltaType.Added, object: { metadata: { name: 'a' } } },
          { type: DeltaType.Added, object: 42 as unknown as Pod },
          { type: DeltaType.Added, object: { metadata: { name: 'b' } } },
        ], false),
      ).toThrow(KeyError);
      expect(calls).toEqual(['a']);
    },
  },
  {
    name: 'HandleDeltas refuses anything but Deltas',
    ref: 'sharedIndexInformer.HandleDeltas',
    run: () => {
      const clock = new FakeClock();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 0, clock);
      expect(() => informer.handleDeltas({ not: 'deltas' }, false)).toThrow('object given as Process argument is not Deltas');
    },
  },
  {
    name: 'OnUpdate with an unchanged resourceVersion is a sync notification: only syncing listeners get it',
    ref: 'sharedIndexInformer.OnUpdate (isSync)',
    run: async () => {
      const clock = new FakeClock();
      const informer = newInformer(newFakeControllerSource<Pod>({ clock }), 1_000, clock);
      const a: string[] = [];
      const b: string[] = [];
      informer.addEventHandlerWithResyncPeriod({ updateFunc: (_o, n) => void a.push(n.metadata.resourceVersion ?? '') }, 1_000);
      informer.addEventHandlerWithResyncPeriod({ updateFunc: (_o, n) => void b.push(n.metadata.resourceVersion ?? '') }, 0);
      processorOf(informer).run();
      clock.step(1_000);
      expect(processorOf(informer).shouldResync()).toBe(true);
      const v = (rv: string): Pod => ({ metadata: { name: 'x', resourceVersion: rv } });
      informer.onUpdate(v('1'), v('1'));
      informer.onUpdate(v('1'), v('2'));
      await settle();
      expect(a).toEqual(['1', '2']);
      expect(b).toEqual(['2']);
    },
  },
];

const handlerCases: Case[] = [
  ...[
    { oldPasses: true, newPasses: true, want: ['update old->new'] },
    { oldPasses: false, newPasses: true, want: ['add new initial=false'] },
    { oldPasses: true, newPasses: false, want: ['delete old'] },
    { oldPasses: false, newPasses: false, want: [] },
  ].map(({ oldPasses, newPasses, want }) => ({
    name: `FilteringResourceEventHandler.OnUpdate: old ${oldPasses ? 'passes' : 'fails'}, new ${newPasses ? 'passes' : 'fails'} -> ${want.join(', ') || 'nothing'}`,
    ref: 'FilteringResourceEventHandler.OnUpdate',
    run: () => {
      const calls: string[] = [];
      const pass = new Set([...(oldPasses ? ['old'] : []), ...(newPasses ? ['new'] : [])]);
      const h = new FilteringResourceEventHandler<Pod>({
        filterFunc: (o) => pass.has((o as Pod).metadata.name ?? ''),
        handler: resourceEventHandlerDetailedFuncs<Pod>({
          addFunc: (o, initial) => void calls.push(`add ${o.metadata.name} initial=${initial}`),
          updateFunc: (o, n) => void calls.push(`update ${o.metadata.name}->${n.metadata.name}`),
          deleteFunc: (o) => void calls.push(`delete ${(o as Pod).metadata.name}`),
        }),
      });
      h.onUpdate(makePod('old'), makePod('new'));
      expect(calls).toEqual(want);
    },
  })),
  {
    name: 'FilteringResourceEventHandler passes adds and deletes only when the filter passes (tombstones included)',
    ref: 'FilteringResourceEventHandler.OnAdd / OnDelete',
    run: () => {
      const calls: string[] = [];
      const h = new FilteringResourceEventHandler<Pod>({
        filterFunc: (o) => deletionHandlingMetaNamespaceKeyFunc(o).startsWith('keep'),
        handler: { addFunc: (o) => void calls.push(`add ${o.metadata.name}`), deleteFunc: (o) => void calls.push(`delete ${deletionHandlingMetaNamespaceKeyFunc(o)}`) },
      });
      h.onAdd(makePod('keep-1'), true);
      h.onAdd(makePod('drop-1'), true);
      h.onDelete(new DeletedFinalStateUnknown('keep-2', makePod('keep-2')));
      h.onDelete(makePod('drop-2'));
      expect(calls).toEqual(['add keep-1', 'delete keep-2']);
    },
  },
  {
    name: 'ResourceEventHandlerFuncs calls only the functions it has; the detailed variant passes isInInitialList',
    ref: 'ResourceEventHandlerFuncs / ResourceEventHandlerDetailedFuncs',
    run: () => {
      const calls: unknown[][] = [];
      const funcs = resourceEventHandlerFuncs<Pod>({ addFunc: (...args) => void calls.push(['add', ...args.map((a) => (a as Pod).metadata.name)]) });
      funcs.onAdd(makePod('a'), true);
      funcs.onUpdate(makePod('a'), makePod('a'));
      funcs.onDelete(makePod('a'));
      const detailed = resourceEventHandlerDetailedFuncs<Pod>({ addFunc: (o, initial) => void calls.push(['detailed', o.metadata.name, initial]) });
      detailed.onAdd(makePod('b'), true);
      expect(calls).toEqual([['add', 'a'], ['detailed', 'b', true]]);
    },
  },
];

const syncCases: Case[] = [
  {
    name: 'WaitForCacheSync checks at once, then every 100 ms, until every informer has synced',
    ref: 'WaitForCacheSync (syncedPollPeriod = 100ms)',
    run: async () => {
      const clock = new FakeClock();
      const checks: number[] = [];
      let a = false;
      const result = waitForCacheSync(
        clock,
        () => {
          checks.push(clock.now());
          return a;
        },
        () => clock.now() >= 250,
      );
      clock.afterFunc(150, () => (a = true));
      for (let i = 0; i < 4; i++) {
        await settle();
        clock.step(100);
      }
      expect(await result).toBe(true);
      expect(syncedPollPeriodMs).toBe(100);
      expect(checks).toEqual([0, 100, 200, 300]);
    },
  },
  {
    name: 'WaitForCacheSync gives up (false) once stopped',
    ref: 'WaitForCacheSync (stopCh closed)',
    run: async () => {
      const clock = new FakeClock();
      let stopped = false;
      const result = waitForCacheSyncUntil(() => stopped, clock, () => false);
      clock.step(100);
      await settle();
      stopped = true;
      clock.step(100);
      await settle();
      expect(await result).toBe(false);
      expect(await waitForCacheSyncUntil(() => true, clock, () => true)).toBe(true);
    },
  },
];

/** A handler that records what it is told, as `add ns/a`, `update ns/a`, `delete ns/c (tombstone)`. */
function recorder(): { seen: string[]; handler: ResourceEventHandler<Pod> } {
  const seen: string[] = [];
  const key = (o: unknown) => deletionHandlingMetaNamespaceKeyFunc(o);
  return {
    seen,
    handler: {
      onAdd: (o) => void seen.push(`add ${key(o)}`),
      onUpdate: (_old, o) => void seen.push(`update ${key(o)}`),
      onDelete: (o) => void seen.push(`delete ${key(o)}${o instanceof DeletedFinalStateUnknown ? ' (tombstone)' : ''}`),
    },
  };
}

/** An informer whose queue the test fills by hand (a Reflector that does nothing). */
async function handFed(gate: boolean): Promise<{ informer: SharedIndexInformer<Pod>; queue: ReflectorFactoryOptions<Pod>['store']; trace: TraceRecorder }> {
  const clock = new FakeClock();
  const trace = new TraceRecorder();
  let queue: ReflectorFactoryOptions<Pod>['store'] | undefined;
  const informer = newSharedIndexInformer<Pod>(newFakeControllerSource<Pod>({ clock }), {
    clock,
    trace,
    name: 'pods',
    features: { InOrderInformers: gate },
    newReflector: (o) => {
      queue = o.store;
      let release = () => {};
      const done = new Promise<void>((resolve) => (release = resolve));
      return { run: () => done, stop: () => release(), lastSyncResourceVersion: () => '' };
    },
  });
  void informer.run();
  await settle();
  return { informer, queue: queue!, trace };
}

const gateCases: Case[] = [
  {
    name: 'the gate is on by default (Beta since v1.33): run() makes a RealFIFO; { InOrderInformers: false } makes a DeltaFIFO',
    ref: 'sharedIndexInformer.RunWithContext (clientgofeaturegate InOrderInformers); features/known_features.go',
    run: async () => {
      expect(clientGoFeatureGates.InOrderInformers).toEqual({ default: true, preRelease: 'Beta' });
      for (const [features, queue, component] of [
        [undefined, 'RealFIFO', 'realFIFO'],
        [{ InOrderInformers: true }, 'RealFIFO', 'realFIFO'],
        [{ InOrderInformers: false }, 'DeltaFIFO', 'deltaFIFO'],
      ] as const) {
        const clock = new FakeClock();
        const trace = new TraceRecorder();
        const source = newFakeControllerSource<Pod>({ clock });
        source.add(makePod('a', { namespace: 'ns' }));
        const informer = newSharedIndexInformer<Pod>(source, { clock, trace, name: 'pods', ...(features ? { features } : {}) });
        expect(informer.getQueue()).toBeUndefined();
        const { done } = runInBackground(informer);
        await flush();
        expect(trace.ofType('informer.run')[0]).toMatchObject({ queue });
        const q = informer.getQueue()!;
        expect('getItems' in q, queue).toBe(queue === 'RealFIFO');
        expect(q.name).toBe('pods-fifo');
        expect(trace.events.filter((e) => e.type.endsWith('.new') && e.component.endsWith('FIFO')).map((e) => e.component)).toEqual([component]);
        expect(informer.hasSynced()).toBe(true);
        expect(informer.getStore().listKeys()).toEqual(['ns/a']);
        informer.stop();
        await done;
      }
    },
  },
  {
    name: 'a gate the model does not know or model, or a value that is not a boolean, is refused with what is modelled',
    ref: 'features/known_features.go (defaultKubernetesFeatureGates)',
    run: () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      const make = (features: unknown) => () => newSharedIndexInformer<Pod>(source, { clock, features: features as never });
      expect(make({ InOrderInformer: false })).toThrow('features: unknown client-go feature gate "InOrderInformer" (modelled: InOrderInformers)');
      expect(make({ WatchListClient: true })).toThrow('features: client-go gate WatchListClient is not modelled (modelled: InOrderInformers)');
      expect(make({ InOrderInformers: 'false' })).toThrow('features.InOrderInformers: expected true or false, got "false"');
      expect(make({})).not.toThrow();
    },
  },
  ...[
    { gate: true, want: ['delete ns/c (tombstone)', 'update ns/a', 'add ns/d'] },
    { gate: false, want: ['update ns/a', 'add ns/d', 'delete ns/c (tombstone)'] },
  ].map(({ gate, want }) => ({
    name: `a relist after missed events, InOrderInformers=${gate}: the handler sees ${want.join(', ')}`,
    ref: gate
      ? 'RealFIFO.Replace: synthetic deletes first, then the list (TestRealFIFO_ReplaceMakesDeletions "ATTENTION")'
      : 'DeltaFIFO.Replace: the list first, then deletions of known objects (TestDeltaFIFO_ReplaceMakesDeletions)',
    run: async () => {
      const clock = new FakeClock(1_000_000);
      const source = newFakeControllerSource<Pod>({ clock });
      source.add(makePod('a', { namespace: 'ns' }));
      source.add(makePod('c', { namespace: 'ns' }));
      const informer = newSharedIndexInformer<Pod>(source, { clock, features: { InOrderInformers: gate } });
      const { seen, handler } = recorder();
      informer.addEventHandler(handler);
      const { done } = runInBackground(informer);
      await flush();
      expect(seen).toEqual(['add ns/a', 'add ns/c']);
      seen.length = 0;
      // While the watch is broken: a changes, c goes, d comes. Only the relist shows them.
      source.modifyDropWatch(makePod('a', { namespace: 'ns' }));
      source.deleteDropWatch(makePod('c', { namespace: 'ns' }));
      source.addDropWatch(makePod('d', { namespace: 'ns' }));
      source.resetWatch();
      await flush();
      clock.step(1_601); // past the reflector's backoff: it lists [a, d]
      await flush();
      expect(seen).toEqual(want);
      expect(informer.getStore().listKeys().sort()).toEqual(['ns/a', 'ns/d']);
      informer.stop();
      await done;
    },
  })),
  ...[
    { gate: true, want: ['add ns/a', 'delete ns/b'] },
    { gate: false, want: ['add ns/a'] },
  ].map(({ gate, want }) => ({
    name: `a watch deletion of an object the informer never had, InOrderInformers=${gate}: the handler sees ${want.join(', ')}`,
    ref: gate
      ? 'RealFIFO.Delete queues everything (TestRealFIFO_enqueueingNoLister "RealFIFO queues everything"); processDeltas calls OnDelete'
      : 'DeltaFIFO.Delete: neither known nor queued, so not queued (TestDeltaFIFO_enqueueingWithLister)',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Pod>({ clock });
      const informer = newSharedIndexInformer<Pod>(source, { clock, features: { InOrderInformers: gate } });
      const { seen, handler } = recorder();
      informer.addEventHandler(handler);
      const { done } = runInBackground(informer);
      await flush();
      source.add(makePod('a', { namespace: 'ns' }));
      source.addDropWatch(makePod('b', { namespace: 'ns' })); // the watch never tells of b
      source.delete(makePod('b', { namespace: 'ns' })); // but tells of its deletion
      await flush();
      expect(seen).toEqual(want);
      expect(informer.getStore().listKeys()).toEqual(['ns/a']);
      informer.stop();
      await done;
    },
  })),
  ...[
    { gate: true, want: ['add a', 'add b', 'update a', 'update b'], pops: ['a Added', 'b Added', 'a Updated', 'b Updated'] },
    { gate: false, want: ['add a', 'add b', 'update b', 'update a'], pops: ['a Added', 'b Added Updated', 'a Updated'] },
  ].map(({ gate, want, pops }) => ({
    name: `changes to two keys queued together, InOrderInformers=${gate}: ${want.join(', ')}`,
    ref: gate
      ? 'RealFIFO: every notification in order (TestRealFIFO_detectLineJumpers)'
      : 'DeltaFIFO: a key keeps its place and pops its Deltas together (TestDeltaFIFO_detectLineJumpers)',
    run: async () => {
      const { informer, queue, trace } = await handFed(gate);
      const { seen, handler } = recorder();
      informer.addEventHandler(handler);
      const v = (name: string, rv: string): Pod => ({ metadata: { name, resourceVersion: rv } });
      // The informer's pop is waiting: `a` goes at once; the rest queue up before the next pop.
      queue.add(v('a', '1'));
      queue.add(v('b', '2'));
      queue.update(v('a', '3'));
      queue.update(v('b', '4'));
      await flush();
      expect(seen).toEqual(want);
      const popped = trace.events
        .filter((e) => e.type === `${gate ? 'realFIFO' : 'deltaFIFO'}.pop` && e.key !== null)
        .map((e) => `${e.key} ${((e.types as string[] | undefined) ?? [e.deltaType as string]).join(' ')}`);
      expect(popped).toEqual(pops);
      informer.stop();
    },
  })),
];

describe.each([
  { gate: true, queue: 'RealFIFO' },
  { gate: false, queue: 'DeltaFIFO' },
])('sharedIndexInformer (client-go shared_informer.go v0.34.0), InOrderInformers=$gate: a $queue', ({ gate }) => {
  beforeAll(() => {
    inOrderInformers = gate;
  });
  afterAll(() => {
    inOrderInformers = true;
  });
  it.each(informerCases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});

describe('the InOrderInformers gate: RealFIFO (on, the v1.34 default) against DeltaFIFO (off)', () => {
  it.each(gateCases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});

describe('processDeltas and the informer as a ResourceEventHandler (controller.go v0.34.0)', () => {
  it.each(processDeltasCases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});

describe('event handler adaptors (controller.go v0.34.0)', () => {
  it.each(handlerCases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});

describe('WaitForCacheSync (shared_informer.go v0.34.0)', () => {
  it.each(syncCases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});

