// Follows client-go tools/cache/processor_listener_test.go and the processorListener /
// sharedProcessor parts of shared_informer.go at v0.34.0 (kubernetes v1.34.0), with
// k8s.io/utils buffer (RingGrowing) and tools/cache/synctrack (SingleFileTracker). Goroutines
// become async loops on a FakeClock; `time.Sleep` in a handler becomes `await clock.sleep(ms)`.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import { TraceRecorder } from '../core/trace';
import type { ResourceEventHandler } from './event_handlers';
import {
  InformerTrace,
  RingGrowing,
  SharedProcessor,
  SingleFileTracker,
  determineResyncPeriod,
  initialBufferSize,
  minimumResyncPeriodMs,
  newProcessListener,
  sleepAfterCrashMs,
  type Notification,
} from './processor_listener';

interface Pod {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
}
const pod = (name: string, rv = '1'): Pod => ({ metadata: { name, namespace: 'default', resourceVersion: rv } });
const add = (obj: Pod, isInInitialList = false): Notification<Pod> => ({ kind: 'add', newObj: obj, isInInitialList });
const update = (oldObj: Pod, newObj: Pod): Notification<Pod> => ({ kind: 'update', oldObj, newObj });
const del = (obj: Pod): Notification<Pod> => ({ kind: 'delete', oldObj: obj });

/** A handler that records `kind name` lines, taking `delayMs` of virtual time per notification. */
function recorder(clock: FakeClock, delayMs = 0, log: string[] = []) {
  const seen = log;
  const handler: ResourceEventHandler<Pod> = {
    onAdd: async (obj, initial) => {
      if (delayMs > 0) await clock.sleep(delayMs);
      seen.push(`add ${obj.metadata.name}${initial ? ' (initial)' : ''}`);
    },
    onUpdate: async (_old, obj) => {
      if (delayMs > 0) await clock.sleep(delayMs);
      seen.push(`update ${obj.metadata.name}`);
    },
    onDelete: async (obj) => {
      if (delayMs > 0) await clock.sleep(delayMs);
      seen.push(`delete ${(obj as Pod).metadata.name}`);
    },
  };
  return { handler, seen };
}

function env(clock: FakeClock, trace?: TraceRecorder, name = 'informer') {
  return new InformerTrace(name, clock, trace);
}

interface Case {
  name: string;
  ref: string;
  run: () => Promise<void> | void;
}

const cases: Case[] = [
  {
    name: 'five producers add 2000 notifications; the listener delivers every one, in the order added',
    ref: 'BenchmarkListener',
    run: async () => {
      const clock = new FakeClock();
      const got: string[] = [];
      // A small buffer, so the ring has to grow many times (upstream preallocates 1024*1024).
      const pl = newProcessListener<Pod>({ addFunc: (obj) => void got.push(obj.metadata.name) }, 0, 0, clock.now(), 4, () => true);
      const done = pl.run();
      const added: string[] = [];
      const producers = Array.from({ length: 5 }, async (_, p) => {
        for (let i = 0; i < 400; i++) {
          const name = `p${p}-${i}`;
          added.push(name);
          pl.add(add(pod(name)));
          if (i % 50 === 0) await null;
        }
      });
      await Promise.all(producers);
      await runUntilIdle(clock, { rounds: 10_000, until: () => got.length === 2000 });
      expect(got).toEqual(added);
      pl.close();
      await done;
    },
  },
  {
    name: 'add never blocks: before run, notifications wait in the buffer; run delivers them in order',
    ref: 'processorListener.add / pop (the unbounded ring buffer between addCh and nextCh)',
    run: async () => {
      const clock = new FakeClock();
      const { handler, seen } = recorder(clock);
      const pl = newProcessListener<Pod>(handler, 0, 0, 0, initialBufferSize, () => true);
      pl.add(add(pod('a')));
      pl.add(update(pod('a'), pod('a', '2')));
      pl.add(del(pod('a', '2')));
      await settle();
      expect(seen).toEqual([]);
      expect(pl.pendingCount()).toBe(3);
      void pl.run();
      await settle();
      expect(seen).toEqual(['add a', 'update a', 'delete a']);
      expect(pl.pendingCount()).toBe(0);
    },
  },
  {
    name: 'a slow handler delays only its own listener: the fast one is done while the slow one is still working',
    ref: 'processorListener (one run/pop goroutine pair per listener)',
    run: async () => {
      const clock = new FakeClock();
      const p = new SharedProcessor<Pod>(env(clock));
      const fast = recorder(clock, 1);
      const slow = recorder(clock, 100);
      p.addListener(newProcessListener(fast.handler, 0, 0, 0, initialBufferSize, () => true, { id: 1 }));
      p.addListener(newProcessListener(slow.handler, 0, 0, 0, initialBufferSize, () => true, { id: 2 }));
      p.run();
      for (const name of ['a', 'b', 'c']) p.distribute(add(pod(name)), false);
      await runUntilIdle(clock, { until: () => fast.seen.length === 3 });
      expect(clock.now()).toBe(3);
      expect(fast.seen).toEqual(['add a', 'add b', 'add c']);
      expect(slow.seen).toEqual([]);
      await runUntilIdle(clock);
      expect(clock.now()).toBe(300);
      expect(slow.seen).toEqual(['add a', 'add b', 'add c']);
    },
  },
  {
    name: 'an async handler is awaited: the next notification starts only after the previous promise settles',
    ref: 'processorListener.run (handlers are called sequentially)',
    run: async () => {
      const clock = new FakeClock();
      const events: string[] = [];
      const pl = newProcessListener<Pod>(
        {
          addFunc: async (obj) => {
            events.push(`start ${obj.metadata.name} @${clock.now()}`);
            await clock.sleep(10);
            events.push(`end ${obj.metadata.name} @${clock.now()}`);
          },
        },
        0,
        0,
        0,
        initialBufferSize,
        () => true,
      );
      void pl.run();
      pl.add(add(pod('a')));
      pl.add(add(pod('b')));
      await runUntilIdle(clock);
      expect(events).toEqual(['start a @0', 'end a @10', 'start b @10', 'end b @20']);
    },
  },
  {
    name: 'close drops what was not yet taken, and run ends after the notification in progress',
    ref: 'sharedProcessor.removeListener / processorListener.pop (close(addCh) returns at once)',
    run: async () => {
      const clock = new FakeClock();
      const { handler, seen } = recorder(clock, 10);
      const pl = newProcessListener<Pod>(handler, 0, 0, 0, initialBufferSize, () => true);
      const done = pl.run();
      for (const name of ['a', 'b', 'c']) pl.add(add(pod(name)));
      await settle();
      expect(pl.current()?.kind).toBe('add');
      pl.close();
      expect(pl.pendingCount()).toBe(0);
      pl.add(add(pod('after-close')));
      await runUntilIdle(clock);
      await done;
      expect(seen).toEqual(['add a']);
    },
  },
  {
    name: 'the ring buffer reads in write order and doubles when full',
    ref: 'k8s.io/utils buffer.RingGrowing (ReadOne, WriteOne, growth)',
    run: () => {
      const ring = new RingGrowing<number>(2);
      expect(ring.readOne()).toEqual([undefined, false]);
      ring.writeOne(1);
      ring.writeOne(2);
      expect(ring.readOne()).toEqual([1, true]);
      ring.writeOne(3); // wraps around
      ring.writeOne(4); // full: grows from 2 to 4, keeping order
      expect(ring.cap()).toBe(4);
      expect(ring.len()).toBe(3);
      const out: number[] = [];
      for (let v = ring.readOne(); v[1]; v = ring.readOne()) out.push(v[0]);
      expect(out).toEqual([2, 3, 4]);
      for (let i = 0; i < 100; i++) ring.writeOne(i);
      expect(ring.cap()).toBe(128);
      expect(ring.len()).toBe(100);
    },
  },
  {
    name: 'a listener has synced once upstream has synced and every initial-list add has been handled',
    ref: 'synctrack.SingleFileTracker / processorListener.HasSynced',
    run: async () => {
      const clock = new FakeClock();
      let upstream = false;
      const { handler } = recorder(clock, 5);
      const pl = newProcessListener<Pod>(handler, 0, 0, 0, initialBufferSize, () => upstream);
      expect(pl.hasSynced()).toBe(false);
      void pl.run();
      pl.add(add(pod('a'), true));
      pl.add(add(pod('b'), true));
      upstream = true;
      expect(pl.hasSynced()).toBe(false);
      await runUntilIdle(clock, { until: () => clock.now() >= 5 });
      expect(pl.syncTracker.pending()).toBe(1);
      expect(pl.hasSynced()).toBe(false);
      await runUntilIdle(clock);
      expect(pl.hasSynced()).toBe(true);
      // A later add that is not from the initial list does not unsync it.
      pl.add(add(pod('c')));
      expect(pl.hasSynced()).toBe(true);
    },
  },
  {
    name: 'Finished without Start is a logic error; HasSynced asks upstream first',
    ref: 'synctrack.SingleFileTracker (Finished panics on a negative counter)',
    run: () => {
      let calls = 0;
      const t = new SingleFileTracker(() => {
        calls++;
        return false;
      });
      t.start();
      t.finished();
      expect(() => t.finished()).toThrow('synctrack: negative counter; this logic error means HasSynced may return incorrect value');
      expect(t.hasSynced()).toBe(false);
      expect(calls).toBe(1);
    },
  },
  {
    name: 'resync periods per listener: 0 never, 2 s and 3 s become due at their own times',
    ref: 'TestListenerResyncPeriods (sharedProcessor.shouldResync, determineNextResync)',
    run: () => {
      const clock = new FakeClock(1_000_000);
      const p = new SharedProcessor<Pod>(env(clock));
      const mk = (id: number, periodMs: number) => newProcessListener<Pod>({}, periodMs, periodMs, clock.now(), initialBufferSize, () => true, { id });
      const l1 = mk(1, 0);
      const l2 = mk(2, 2_000);
      const l3 = mk(3, 3_000);
      for (const l of [l1, l2, l3]) p.addListener(l);
      const syncing = () => [...p.listeners!].filter(([, s]) => s).map(([l]) => l.id);
      // Every listener starts marked as syncing.
      expect(syncing()).toEqual([1, 2, 3]);
      clock.step(1_000);
      expect(p.shouldResync()).toBe(false);
      expect(syncing()).toEqual([]);
      clock.step(1_000);
      expect(p.shouldResync()).toBe(true);
      expect(syncing()).toEqual([2]);
      expect(l2.nextResyncMs).toBe(clock.now() + 2_000);
      clock.step(1_000);
      expect(p.shouldResync()).toBe(true);
      expect(syncing()).toEqual([3]);
      clock.step(1_000);
      expect(p.shouldResync()).toBe(true);
      expect(syncing()).toEqual([2]);
      // Exactly at nextResync counts as due (now.After || now.Equal).
      expect(l3.shouldResync(l3.nextResyncMs)).toBe(true);
      expect(l3.shouldResync(l3.nextResyncMs - 1)).toBe(false);
      expect(l1.shouldResync(Number.MAX_SAFE_INTEGER)).toBe(false);
    },
  },
  {
    name: 'a sync notification goes only to syncing listeners; any other goes to all',
    ref: 'sharedProcessor.distribute',
    run: async () => {
      const clock = new FakeClock();
      const p = new SharedProcessor<Pod>(env(clock));
      const a = recorder(clock);
      const b = recorder(clock);
      p.addListener(newProcessListener(a.handler, 1_000, 1_000, 0, initialBufferSize, () => true, { id: 1 }));
      p.addListener(newProcessListener(b.handler, 0, 0, 0, initialBufferSize, () => true, { id: 2 }));
      p.run();
      // Before any shouldResync, both are marked syncing: both get the sync update.
      p.distribute(update(pod('x'), pod('x')), true);
      clock.step(1_000);
      expect(p.shouldResync()).toBe(true);
      p.distribute(update(pod('y'), pod('y')), true);
      p.distribute(add(pod('z')), false);
      await settle();
      expect(a.seen).toEqual(['update x', 'update y', 'add z']);
      expect(b.seen).toEqual(['update x', 'add z']);
    },
  },
  ...[
    { desired: 0, check: 0, want: 0, log: undefined },
    { desired: 0, check: 5_000, want: 0, log: undefined },
    {
      desired: 2_000,
      check: 0,
      want: 0,
      log: `"Warning: the specified resyncPeriod is invalid because this shared informer doesn't support resyncing" desired="2s"`,
    },
    {
      desired: 2_000,
      check: 60_000,
      want: 60_000,
      log: '"Warning: the specified resyncPeriod is being increased to the minimum resyncCheckPeriod" desired="2s" resyncCheckPeriod="1m0s"',
    },
    { desired: 90_000, check: 60_000, want: 90_000, log: undefined },
  ].map(({ desired, check, want, log }) => ({
    name: `determineResyncPeriod(desired ${desired} ms, check ${check} ms) = ${want} ms`,
    ref: 'determineResyncPeriod',
    run: () => {
      const trace = new TraceRecorder();
      const out = env(new FakeClock(), trace);
      expect(determineResyncPeriod(out, desired, check)).toBe(want);
      const lines = trace.ofType('informer.log').map((e) => e.message);
      expect(lines).toEqual(log ? [log] : []);
      expect(trace.ofType('informer.log').every((e) => e.level === 'info' && e.source === 'shared_informer.go')).toBe(true);
    },
  })),
  {
    name: 'resyncCheckPeriodChanged recomputes every listener from its requested period',
    ref: 'sharedProcessor.resyncCheckPeriodChanged',
    run: () => {
      const clock = new FakeClock();
      const p = new SharedProcessor<Pod>(env(clock));
      const l1 = newProcessListener<Pod>({}, 0, 0, 0, initialBufferSize, () => true);
      const l2 = newProcessListener<Pod>({}, 60_000, 60_000, 0, initialBufferSize, () => true);
      p.addListener(l1);
      p.addListener(l2);
      p.resyncCheckPeriodChanged(55_000);
      expect([l1.resyncPeriodMs, l2.resyncPeriodMs]).toEqual([0, 60_000]);
      p.resyncCheckPeriodChanged(90_000);
      expect([l1.resyncPeriodMs, l2.resyncPeriodMs]).toEqual([0, 90_000]);
      expect(minimumResyncPeriodMs).toBe(1_000);
    },
  },
  {
    name: 'removeListener: an unknown registration is ignored, a foreign handle type is an error, a running listener is closed',
    ref: 'sharedProcessor.removeListener / getListener',
    run: async () => {
      const clock = new FakeClock();
      const p = new SharedProcessor<Pod>(env(clock));
      const other = newProcessListener<Pod>({}, 0, 0, 0, initialBufferSize, () => true);
      expect(p.getListener(other)).toBeUndefined();
      p.removeListener(other); // nil map: nothing to do
      const l = newProcessListener<Pod>({}, 0, 0, 0, initialBufferSize, () => true);
      p.addListener(l);
      p.removeListener(other); // not registered: nothing to do
      expect(p.listeners?.size).toBe(1);
      expect(() => p.removeListener({ hasSynced: () => true })).toThrow('invalid key type %!t(Object={})');
      p.run();
      p.removeListener(l);
      expect(p.listeners?.size).toBe(0);
      expect(l.isClosed()).toBe(true);
      await p.stop();
    },
  },
  {
    name: 'stop closes every listener, forgets them, and waits for handlers still running',
    ref: 'sharedProcessor.run (close every addCh, listeners = nil, wg.Wait)',
    run: async () => {
      const clock = new FakeClock();
      const p = new SharedProcessor<Pod>(env(clock));
      const slow = recorder(clock, 50);
      p.addListener(newProcessListener(slow.handler, 0, 0, 0, initialBufferSize, () => true));
      p.run();
      p.distribute(add(pod('a')), false);
      p.distribute(add(pod('b')), false);
      await settle();
      let stopped = false;
      void p.stop().then(() => (stopped = true));
      expect(p.listeners).toBeUndefined();
      expect(p.listenersStarted).toBe(false);
      await settle();
      expect(stopped).toBe(false);
      await runUntilIdle(clock);
      expect(stopped).toBe(true);
      expect(slow.seen).toEqual(['add a']);
    },
  },
  {
    name: 'a listener added to a running processor starts at once',
    ref: 'sharedProcessor.addListener (listenersStarted)',
    run: async () => {
      const clock = new FakeClock();
      const p = new SharedProcessor<Pod>(env(clock));
      p.run();
      const r = recorder(clock);
      p.addListener(newProcessListener(r.handler, 0, 0, 0, initialBufferSize, () => true));
      p.distribute(add(pod('a')), false);
      await settle();
      expect(r.seen).toEqual(['add a']);
    },
  },
  {
    name: 'a handler that throws crashes by default (ReallyCrash): logged as a panic, the listener stops',
    ref: 'processorListener.run (utilruntime.HandleCrashWithLogger, ReallyCrash = true)',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const seen: string[] = [];
      const crashes: unknown[] = [];
      const pl = newProcessListener<Pod>(
        {
          addFunc: (obj) => {
            if (obj.metadata.name === 'bad') throw new Error('Just panic.');
            seen.push(obj.metadata.name);
          },
        },
        0,
        0,
        0,
        initialBufferSize,
        () => true,
        { id: 7, out: env(clock, trace), onCrash: (err) => crashes.push(err) },
      );
      const done = pl.run();
      for (const name of ['a', 'bad', 'c']) pl.add(add(pod(name)));
      await done;
      expect(seen).toEqual(['a']);
      expect(crashes.map((e) => (e as Error).message)).toEqual(['Just panic.']);
      expect(pl.isClosed()).toBe(true);
      const log = trace.ofType('informer.log')[0];
      // apimachinery v0.34.0 logPanic: a non-string panic value also gets panicGoValue (%#v);
      // klog's call depth attributes the line to the code that panicked: the handler.
      expect(log).toMatchObject({
        level: 'error',
        source: 'handler',
        v: 0,
        message: '"Observed a panic" panic="Just panic." panicGoValue="&errors.errorString{s:\\"Just panic.\\"}"',
      });
      expect(trace.ofType('informer.crash')[0]).toMatchObject({ listener: 7, error: 'Just panic.' });
    },
  },
  {
    name: 'with ReallyCrash off, the notification is skipped, the listener waits 1 s, then goes on; a skipped initial add never syncs',
    ref: 'processorListener.run (sleepAfterCrash; kubernetes#129024)',
    run: async () => {
      const clock = new FakeClock();
      const seen: string[] = [];
      const pl = newProcessListener<Pod>(
        {
          addFunc: async (obj) => {
            if (obj.metadata.name === 'bad') throw new Error('boom');
            seen.push(`${obj.metadata.name}@${clock.now()}`);
          },
        },
        0,
        0,
        0,
        initialBufferSize,
        () => true,
        { reallyCrash: false, clock },
      );
      void pl.run();
      pl.add(add(pod('a'), true));
      pl.add(add(pod('bad'), true));
      pl.add(add(pod('c'), true));
      pl.add(add(pod('d'), true));
      await runUntilIdle(clock);
      expect(sleepAfterCrashMs).toBe(1_000);
      expect(seen).toEqual(['a@0', 'c@1000', 'd@1000']);
      expect(pl.syncTracker.pending()).toBe(1);
      expect(pl.hasSynced()).toBe(false);
    },
  },
  {
    name: 'trace: notify when added (with the backlog), deliver when the handler starts, delivered when it returns',
    ref: 'model: trace contract (informer.notify / deliver)',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const pl = newProcessListener<Pod>({}, 0, 0, 0, initialBufferSize, () => true, { id: 3, out: env(clock, trace, 'pods') });
      pl.add(add(pod('a'), true));
      pl.add(del(pod('a')));
      void pl.run();
      await settle();
      pl.add(update(pod('b'), pod('b', '2')));
      await settle();
      const rows = trace.events.map(({ t, seq, component, ...rest }) => {
        expect(component).toBe('informer');
        return rest;
      });
      expect(rows).toEqual([
        { type: 'informer.notify', informer: 'pods', listener: 3, kind: 'add', key: 'default/a', pending: 1, isInInitialList: true },
        { type: 'informer.notify', informer: 'pods', listener: 3, kind: 'delete', key: 'default/a', pending: 2 },
        { type: 'informer.deliver', informer: 'pods', listener: 3, kind: 'add', key: 'default/a', pending: 1 },
        { type: 'informer.delivered', informer: 'pods', listener: 3, kind: 'add', key: 'default/a' },
        { type: 'informer.deliver', informer: 'pods', listener: 3, kind: 'delete', key: 'default/a', pending: 0 },
        { type: 'informer.delivered', informer: 'pods', listener: 3, kind: 'delete', key: 'default/a' },
        { type: 'informer.notify', informer: 'pods', listener: 3, kind: 'update', key: 'default/b', pending: 0 },
        { type: 'informer.deliver', informer: 'pods', listener: 3, kind: 'update', key: 'default/b', pending: 0 },
        { type: 'informer.delivered', informer: 'pods', listener: 3, kind: 'update', key: 'default/b' },
      ]);
    },
  },
];

/**
 * What processorListener.run does when a handler panics, at client-go v0.34.0: each call runs
 * under `defer utilruntime.HandleCrashWithLogger(p.logger)`, whose logPanic (apimachinery
 * v0.34.0 runtime.go) logs `"Observed a panic"` with `panic` (and `panicGoValue` unless the value
 * is a string), attributed to the code that panicked (TestEventPanics); with ReallyCrash (the default) the panic goes
 * on and the process dies; without it the notification is skipped for good and `time.Sleep(1s)`
 * runs after the next notification is received, before it is handled.
 * A row: what the handler does with each name (`throw` a string or an Error, `reject`, or handle
 * it), when each notification is added (ms), and what must follow.
 */
interface PanicRow {
  name: string;
  ref: string;
  reallyCrash: boolean;
  /** name -> what the handler does (default: handles it). */
  panics: Record<string, 'throw string' | 'throw Error' | 'reject'>;
  /** [name, time added (ms), in the initial list?] */
  adds: Array<[string, number, boolean?]>;
  /** Closes the listener at this time, if given. */
  closeAtMs?: number;
  /** `name@handled-at` for every notification the handler finished. */
  handled: string[];
  /** Messages of the "Observed a panic" lines. */
  logs: string[];
  /** Whether the listener crashed (ReallyCrash) and stopped. */
  crashed: boolean;
  /** Event types that must appear / must not appear. */
  events?: { present?: string[]; absent?: string[] };
  /** The registration's hasSynced at the end (informer synced). */
  synced?: boolean;
}

const panicRows: PanicRow[] = [
  {
    name: 'ReallyCrash (default), a string panic: logged without panicGoValue, the listener crashes, nothing later is delivered',
    ref: 'TestPanicPropagated; runtime.go logPanic (string) + handleCrash (ReallyCrash)',
    reallyCrash: true,
    panics: { bad: 'throw string' },
    adds: [['a', 0], ['bad', 0], ['c', 0]],
    handled: ['a@0'],
    logs: ['"Observed a panic" panic="Just panic."'],
    crashed: true,
    events: { present: ['informer.crash'], absent: ['informer.recovered', 'informer.sleepAfterCrash'] },
  },
  {
    name: 'ReallyCrash, an Error: panic is its message, panicGoValue its %#v',
    ref: 'runtime.go logPanic (non-string: "panic", "%v", "panicGoValue", "%#v")',
    reallyCrash: true,
    panics: { bad: 'throw Error' },
    adds: [['bad', 0], ['c', 0]],
    handled: [],
    logs: ['"Observed a panic" panic="Just panic." panicGoValue="&errors.errorString{s:\\"Just panic.\\"}"'],
    crashed: true,
  },
  {
    name: 'ReallyCrash off: the panicking notification is skipped (never re-delivered); the next waits 1 s; the one after does not',
    ref: 'processorListener.run (sleepAfterCrash, "the offending item will be skipped!")',
    reallyCrash: false,
    panics: { bad: 'throw string' },
    adds: [['a', 0], ['bad', 0], ['c', 0], ['d', 0]],
    handled: ['a@0', 'c@1000', 'd@1000'],
    logs: ['"Observed a panic" panic="Just panic."'],
    crashed: false,
    events: { present: ['informer.recovered', 'informer.sleepAfterCrash'], absent: ['informer.crash'] },
  },
  {
    name: 'ReallyCrash off: the sleep starts when the next notification arrives, however late',
    ref: 'processorListener.run (time.Sleep after receiving from nextCh)',
    reallyCrash: false,
    panics: { bad: 'throw Error' },
    adds: [['bad', 0], ['late', 5_000]],
    handled: ['late@6000'],
    logs: ['"Observed a panic" panic="Just panic." panicGoValue="&errors.errorString{s:\\"Just panic.\\"}"'],
    crashed: false,
  },
  {
    name: 'ReallyCrash off: panics in a row each cost a second; the flag clears only after a handled notification',
    ref: 'processorListener.run (sleepAfterCrash reset only if the handler returns)',
    reallyCrash: false,
    panics: { bad1: 'throw string', bad2: 'reject', bad3: 'throw string' },
    adds: [['bad1', 0], ['bad2', 0], ['bad3', 0], ['ok', 0], ['ok2', 0]],
    handled: ['ok@3000', 'ok2@3000'],
    logs: ['"Observed a panic" panic="Just panic."', '"Observed a panic" panic="Just panic." panicGoValue="&errors.errorString{s:\\"Just panic.\\"}"', '"Observed a panic" panic="Just panic."'],
    crashed: false,
  },
  {
    name: 'ReallyCrash off: a skipped initial-list add is never counted as handled, so the registration never syncs',
    ref: 'processorListener.run (syncTracker.Finished only after OnAdd returns; kubernetes#129024)',
    reallyCrash: false,
    panics: { bad: 'throw string' },
    adds: [['a', 0, true], ['bad', 0, true], ['c', 0, true]],
    handled: ['a@0', 'c@1000'],
    logs: ['"Observed a panic" panic="Just panic."'],
    crashed: false,
    synced: false,
  },
  {
    name: 'ReallyCrash off: a notification received before the listener closes is still handled after the sleep',
    ref: 'processorListener.run (next already received; close(addCh) ends the range after it)',
    reallyCrash: false,
    panics: { bad: 'throw string' },
    adds: [['bad', 0], ['b', 0], ['dropped', 0]],
    closeAtMs: 500,
    handled: ['b@1000'],
    logs: ['"Observed a panic" panic="Just panic."'],
    crashed: false,
  },
];

describe('processorListener.run when a handler panics (shared_informer.go, apimachinery runtime.go v0.34.0)', () => {
  it.each(panicRows)('$name ($ref)', async (row) => {
    const clock = new FakeClock();
    const trace = new TraceRecorder();
    const handled: string[] = [];
    const crashes: unknown[] = [];
    const act = (name: string): void | Promise<void> => {
      const panic = row.panics[name];
      if (panic === 'throw string') throw 'Just panic.';
      if (panic === 'throw Error') throw new Error('Just panic.');
      if (panic === 'reject') return Promise.reject(new Error('Just panic.'));
      handled.push(`${name}@${clock.now()}`);
    };
    const pl = newProcessListener<Pod>(
      { onAdd: (obj) => act(obj.metadata.name), onUpdate: () => {}, onDelete: () => {} },
      0,
      0,
      0,
      initialBufferSize,
      () => true,
      { id: 1, out: env(clock, trace), reallyCrash: row.reallyCrash, onCrash: (err) => crashes.push(err) },
    );
    const done = pl.run();
    for (const [name, atMs, initial] of row.adds) {
      if (atMs > clock.now()) {
        await runUntilIdle(clock, { forMs: atMs - clock.now() });
        clock.setTime(atMs);
      }
      pl.add(add(pod(name), initial ?? false));
    }
    if (row.closeAtMs !== undefined) {
      await runUntilIdle(clock, { forMs: row.closeAtMs - clock.now() });
      clock.setTime(row.closeAtMs);
      pl.close();
    }
    await runUntilIdle(clock);
    expect(handled).toEqual(row.handled);
    const panicLogs = trace.ofType('informer.log').filter((e) => String(e.message).startsWith('"Observed a panic"'));
    expect(panicLogs.map((e) => e.message)).toEqual(row.logs);
    for (const e of panicLogs) expect(e).toMatchObject({ level: 'error', source: 'handler', v: 0 });
    expect(crashes.length > 0).toBe(row.crashed);
    expect(pl.isClosed()).toBe(row.crashed || row.closeAtMs !== undefined);
    const types = new Set(trace.events.map((e) => e.type));
    for (const t of row.events?.present ?? []) expect(types, t).toContain(t);
    for (const t of row.events?.absent ?? []) expect(types, t).not.toContain(t);
    if (row.synced !== undefined) expect(pl.hasSynced()).toBe(row.synced);
    // The loop ends once the listener is closed (a crash closes it); otherwise it waits for more.
    if (pl.isClosed()) await done;
  });
});

describe('processorListener and sharedProcessor (client-go shared_informer.go v0.34.0)', () => {
  it.each(cases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});
