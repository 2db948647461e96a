// The cache models' event catalogs: each model is driven through every event type it declares,
// and every event recorded on the way must be declared in its catalog, with a line of text and
// the client-go v0.34.0 file and function it models (as src/sim/workqueue/events.test.ts does for
// the workqueue).
import { describe, expect, it } from 'vitest';
import { runUntilIdle, settle } from '../core/drive';
import { newEnv, type SimEnv } from '../core/env';
import type { KubeObject } from '../core/object';
import { TraceRecorder, type TraceEvent } from '../core/trace';
import { catalogOf, eventSource, eventText } from '../catalogs';
import { newDeltaFIFO } from './delta_fifo';
import { CACHE_CLIENT_GO_TAG, deltaFIFOEvents, informerEvents, realFIFOEvents, reflectorEvents, sourceEvents } from './events';
import { newFakeControllerSource } from './fake_controller_source';
import type { ListerWatcher } from './listwatch';
import { newReflector } from './reflector';
import { newSharedIndexInformer } from './shared_informer';
import { newIndexer } from './store';
import { newRealFIFO } from './the_real_fifo';
import { metaNamespaceKeyFunc } from './keys';

type Pod = KubeObject;
const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' } });

function setup(): { env: SimEnv; trace: TraceRecorder } {
  const trace = new TraceRecorder();
  return { env: newEnv({ trace, seed: 7 }), trace };
}

/** Every DeltaFIFO event type: adds, a replace with tombstones and lookups that fail, resyncs, pops that fail, close. */
async function driveDeltaFIFO(env: SimEnv): Promise<void> {
  const known = newIndexer<Pod>(metaNamespaceKeyFunc, {});
  known.add(pod('gone'));
  const lookups = {
    listKeys: () => [...known.listKeys(), 'ns/vanished', 'ns/broken'],
    getByKey: (key: string) => {
      if (key === 'ns/broken') throw new Error('lookup failed');
      return known.getByKey(key);
    },
  };
  const f = newDeltaFIFO<Pod>({ env, knownObjects: lookups, emitDeltaTypeReplaced: true, name: 'fifo' });
  const waiting = f.pop(() => {}); // wait
  f.replace([pod('a'), pod('b')], '10'); // replace, delete (tombstones), log, replaceDone, pop, processed
  await waiting;
  f.add(pod('c'));
  f.update(pod('c'));
  f.delete(pod('c'));
  f.delete(pod('never')); // ignored
  known.add(pod('a'));
  f.resync(); // resync, sync (queued and skipped), log for the failing and missing lookups
  await expect(
    f.pop(() => {
      throw new Error('process failed');
    }),
  ).rejects.toThrow('process failed');
  while (f.listKeys().length > 0) await f.pop(() => {});
  const closed = f.pop(() => {});
  f.close(); // close, pop {key: null, closed}
  await expect(closed).rejects.toThrow('closed queue');
  newDeltaFIFO<Pod>({ env, name: 'bare' }).resync(); // resync without known objects
}

/** Every RealFIFO event type: adds, a replace with tombstones (one skipped) and failing lookups, resyncs, pops that fail, close. */
async function driveRealFIFO(env: SimEnv): Promise<void> {
  const known = newIndexer<Pod>(metaNamespaceKeyFunc, {});
  known.add(pod('gone'));
  const lookups = {
    listKeys: () => [...known.listKeys(), 'ns/vanished', 'ns/broken'],
    getByKey: (key: string) => {
      if (key === 'ns/broken') throw new Error('lookup failed');
      return known.getByKey(key);
    },
  };
  const f = newRealFIFO<Pod>(metaNamespaceKeyFunc, lookups, undefined, { env, name: 'fifo' });
  const waiting = f.pop(() => {}); // wait
  f.delete(pod('x'));
  f.replace([pod('a'), pod('b')], '10'); // replace, delete (skipped for x; tombstones), log, replaceDone
  await waiting; // pop, processed
  f.add(pod('c'));
  f.update(pod('c'));
  known.add(pod('a'));
  f.resync(); // resync, sync (queued and skipped), log for the failing and missing lookups
  await expect(
    f.pop(() => {
      throw new Error('process failed');
    }),
  ).rejects.toThrow('process failed');
  while (f.getItems().length > 0) await f.pop(() => {});
  const closed = f.pop(() => {});
  f.close(); // close, pop {key: null, closed}
  await expect(closed).rejects.toThrow('closed queue');
}

/** Every FakeControllerSource event type. */
async function driveSource(env: SimEnv): Promise<void> {
  const source = newFakeControllerSource<Pod>({ env, name: 'src', honorTimeoutSeconds: true });
  source.add(pod('a'));
  const live = await source.watch({ resourceVersion: '1', timeoutSeconds: 1 });
  source.modify(pod('a'));
  source.addDropWatch(pod('b'));
  source.delete(pod('a'));
  await source.list();
  await source.watch({ resourceVersion: '1' }); // replay
  await expect(source.watch({ resourceVersion: '99' })).rejects.toThrow('future');
  await expect(source.watch({ resourceVersion: 'x' })).rejects.toThrow('strconv.Atoi');
  env.clock.step(1_000); // watchTimeout of `live`
  live.stop();
  await source.watch({ resourceVersion: '4' });
  source.closeWatches();
  await source.watch({ resourceVersion: '4' });
  source.expireWatches();
  source.resetWatch();
  await expect(source.watch({ resourceVersion: '1' })).rejects.toThrow('too old resource version'); // expired
  source.shutdown();
}

/** Every Reflector event type: a failing first list, a resync, an expired watch and a relist. */
async function driveReflector(env: SimEnv): Promise<void> {
  const source = newFakeControllerSource<Pod>({ env, name: 'pods-src' });
  source.add(pod('a'));
  let failures = 1;
  const lw: ListerWatcher<Pod> = {
    list: (options) => (failures-- > 0 ? Promise.reject(new Error('connection reset')) : source.list(options)),
    watch: (options) => source.watch(options),
  };
  const store = newIndexer<Pod>(metaNamespaceKeyFunc, {});
  const r = newReflector<Pod>({ env, name: 'pods', listerWatcher: lw, store, expectedType: { apiVersion: 'v1', kind: 'Pod' }, resyncPeriodMs: 1_000 });
  const done = r.run();
  await runUntilIdle(env.clock, { forMs: 2_000, until: () => store.listKeys().length > 0 }); // listFailed, log, backoff, relist, list
  source.add(pod('b')); // event
  env.clock.step(1_000); // resync
  await settle();
  source.expireWatches(); // watchEnded (expired), then backoff and relist
  await runUntilIdle(env.clock, { forMs: 5_000, until: () => false });
  r.stop();
  await runUntilIdle(env.clock);
  await done;
}

/** Every informer event type, over three informers: a normal one, one whose handler panics and is recovered, one that crashes. */
async function driveInformer(env: SimEnv): Promise<void> {
  const source = newFakeControllerSource<Pod>({ env, name: 'inf-src' });
  source.add(pod('a'));
  source.add(pod('broken'));
  const informer = newSharedIndexInformer<Pod>(source, { env, name: 'pods', defaultEventHandlerResyncPeriodMs: 1_000 });
  // A transformer whose output has no key: the cache cannot store it, processLoop drops the error.
  informer.setTransform((obj) => ((obj as Pod).metadata.name === 'broken' ? { broken: true } : obj));
  informer.addEventHandlerWithResyncPeriod({}, 500); // log: the resync period is raised to the minimum
  const done = informer.run();
  await settle();
  const late = informer.addEventHandler({ addFunc: () => {} }); // after start: initial adds
  await settle();
  env.clock.step(1_000); // resync
  await settle();
  informer.removeEventHandler(late); // removeHandler, closeListener
  informer.stop();
  await runUntilIdle(env.clock);
  await done;

  const recovering = newSharedIndexInformer<Pod>(source, { env, name: 'recovering', reallyCrash: false });
  recovering.addEventHandler({
    addFunc: (obj) => {
      if (obj.metadata.name === 'a') throw new Error('handler failed');
    },
  });
  const recovered = recovering.run();
  await settle();
  source.add(pod('c')); // delivered after the 1 s sleep
  await runUntilIdle(env.clock);
  recovering.stop();
  await runUntilIdle(env.clock);
  await recovered;

  const crashing = newSharedIndexInformer<Pod>(source, { env, name: 'crashing' });
  crashing.addEventHandler({
    addFunc: () => {
      throw 'Just panic.';
    },
  });
  await expect(crashing.run()).rejects.toBe('Just panic.');
}

const catalogs = [
  { catalog: deltaFIFOEvents, drive: driveDeltaFIFO, file: /^tools\/cache\/delta_fifo\.go$/ },
  { catalog: realFIFOEvents, drive: driveRealFIFO, file: /^tools\/cache\/the_real_fifo\.go$/ },
  { catalog: sourceEvents, drive: driveSource, file: /^tools\/cache\/testing\/fake_controller_source\.go$/ },
  { catalog: reflectorEvents, drive: driveReflector, file: /^tools\/cache\/reflector\.go$/ },
  { catalog: informerEvents, drive: driveInformer, file: /^tools\/cache\/(shared_informer|controller)\.go$/ },
];

/** Asserts `e` is declared in its model's catalog, with text and a link to the pinned client-go file. */
function expectDeclared(e: TraceEvent): void {
  const what = JSON.stringify(e);
  expect(catalogOf(e), `undeclared: ${what}`).toBeDefined();
  expect(eventText(e), `no text: ${what}`).toBeTruthy();
  const src = eventSource(e);
  expect(src, `no upstream source: ${what}`).toBeDefined();
  const base = `https://github.com/kubernetes/client-go/blob/${CACHE_CLIENT_GO_TAG}/`;
  expect(src!.href.startsWith(base), src!.href).toBe(true);
  const file = src!.href.slice(base.length);
  expect(src!.title).toBe(`client-go ${CACHE_CLIENT_GO_TAG} ${file}, ${src!.label}`);
  expect(src!.label.length).toBeGreaterThan(0);
}

describe('the cache event catalogs: every event type, its text and its upstream source', () => {
  it.each(catalogs)('$catalog.component: driving the model records every declared type, and only declared events', async ({ catalog, drive, file }) => {
    const { env, trace } = setup();
    await drive(env);
    const own = trace.events.filter((e) => e.component === catalog.component);
    expect(new Set(own.map((e) => e.type))).toEqual(new Set(catalog.types));
    for (const e of trace.events) expectDeclared(e);
    for (const e of own) expect(eventSource(e)!.href.split(`/${CACHE_CLIENT_GO_TAG}/`)[1]).toMatch(file);
    // Events are plain JSON.
    for (const e of own) expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('declares the component names the models have always used, pinned at client-go v0.34.0', () => {
    expect(catalogs.map((c) => c.catalog.component)).toEqual(['deltaFIFO', 'realFIFO', 'source', 'reflector', 'informer']);
    for (const { catalog } of catalogs) expect(catalog.upstream).toEqual({ name: 'client-go', tag: 'v0.34.0', blobUrl: 'https://github.com/kubernetes/client-go/blob/v0.34.0/' });
  });

  it('links log lines to the function that writes them', () => {
    const at = (component: string, type: string, message: string) =>
      eventSource({ t: 0, seq: 0, component, type, level: 'info', source: 'x.go', v: 0, message, [component.endsWith('FIFO') ? 'fifo' : component]: 'n' } as TraceEvent)?.label;
    expect(at('reflector', 'reflector.log', '"Starting reflector" type="*v1.Pod"')).toBe('Reflector.RunWithContext');
    expect(at('reflector', 'reflector.log', '"Watch close" reflector="r"')).toBe('handleAnyWatch');
    expect(at('informer', 'informer.log', '"Observed a panic" panic="x"')).toBe('processorListener.run');
    expect(at('deltaFIFO', 'deltaFIFO.log', '"Key does not exist in known objects store, unable to queue object for sync" key="k"')).toBe('DeltaFIFO.syncKeyLocked');
    expect(at('deltaFIFO', 'deltaFIFO.log', '"Key does not exist in known objects store, placing DeleteFinalStateUnknown marker without object" key="k"')).toBe(
      'DeltaFIFO.Replace',
    );
    expect(at('realFIFO', 'realFIFO.log', '"Unhandled Error" err="unable to queue object for sync: key=\\"k\\", err=boom"')).toBe('RealFIFO.Resync');
    expect(at('realFIFO', 'realFIFO.log', '"Unhandled Error" err="key does not exist in known objects store, unable to queue object for sync: key=\\"k\\""')).toBe(
      'RealFIFO.Resync',
    );
    expect(at('realFIFO', 'realFIFO.log', '"Unhandled Error" err="error during lookup, placing DeleteFinalStateUnknown marker without object: key=\\"k\\", err=boom"')).toBe(
      'RealFIFO.Replace',
    );
  });
});
