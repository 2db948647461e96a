// Nothing learner code can reach to fake a check: a lab's checks hand model instances (an
// informer, its registrations, its cache and queue, a reflector, a fake source and its watches)
// to learner code, which may be hostile. TypeScript's `private` is reachable at run time; the
// cache models keep every internal field in a JS #private field, so a holder of an instance can
// only call its methods and read what its getters give. This walks everything reachable through
// own properties and getters (not through method calls) and checks that no internal object is
// among it: no trace recorder, clock, emitter, processor, sync tracker, buffer, stop channel,
// store internals or collections.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/sim/core/clock';
import { runUntilIdle, settle } from '../../src/sim/core/drive';
import { newEnv } from '../../src/sim/core/env';
import { EventEmitter } from '../../src/sim/core/events';
import type { KubeObject } from '../../src/sim/core/object';
import { TraceRecorder } from '../../src/sim/core/trace';
import { newDeltaFIFO } from '../../src/sim/cache/delta_fifo';
import { PopLock } from '../../src/sim/cache/pop_lock';
import { newRealFIFO } from '../../src/sim/cache/the_real_fifo';
import { newSharedInformerFactory } from '../../src/sim/cache/informer_factory';
import { newResourceIndexer } from '../../src/sim/cache/listers';
import { newFakeControllerSource } from '../../src/sim/cache/fake_controller_source';
import { InformerTrace, RingGrowing, SharedProcessor, SingleFileTracker } from '../../src/sim/cache/processor_listener';
import { newReflector } from '../../src/sim/cache/reflector';
import { newSharedIndexInformer } from '../../src/sim/cache/shared_informer';
import { StopChannel } from '../../src/sim/cache/stop_channel';
import { newIndexer } from '../../src/sim/cache/store';
import { StoreIndex, ThreadSafeMap } from '../../src/sim/cache/thread_safe_store';
import { metaNamespaceKeyFunc } from '../../src/sim/cache/keys';
import { Broadcaster } from '../../src/sim/cache/watch';

type Pod = KubeObject;
const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' } });

/** Classes whose instances are the models' insides. */
const INTERNAL: Array<[string, abstract new (...args: never[]) => unknown]> = [
  ['TraceRecorder', TraceRecorder],
  ['FakeClock', FakeClock],
  ['EventEmitter', EventEmitter],
  ['InformerTrace', InformerTrace],
  ['SharedProcessor', SharedProcessor],
  ['SingleFileTracker', SingleFileTracker],
  ['RingGrowing', RingGrowing],
  ['StopChannel', StopChannel],
  ['ThreadSafeMap', ThreadSafeMap],
  ['StoreIndex', StoreIndex],
  ['Broadcaster', Broadcaster],
  ['PopLock', PopLock],
  ['Map', Map],
  ['Set', Set],
  ['WeakSet', WeakSet],
];

/** Own properties a model instance may have: Go's exported fields that callers set (Reflector). */
const ALLOWED_OWN = new Set(['shouldResync', 'watchListPageSize', 'maxInternalErrorRetryDurationMs', 'watchErrorHandler']);

/**
 * Every object reachable from `roots` through own properties and prototype getters, with the
 * path that reaches it. Functions are not entered (calling methods is what a holder may do).
 */
function reachable(roots: Record<string, unknown>): Array<{ path: string; value: object }> {
  const seen = new Set<object>();
  const out: Array<{ path: string; value: object }> = [];
  const queue: Array<{ path: string; value: unknown }> = Object.entries(roots).map(([path, value]) => ({ path, value }));
  while (queue.length > 0) {
    const { path, value } = queue.shift()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    out.push({ path, value });
    if (Array.isArray(value)) {
      value.forEach((v, i) => queue.push({ path: `${path}[${i}]`, value: v }));
      continue;
    }
    for (const key of Reflect.ownKeys(value)) {
      const desc = Object.getOwnPropertyDescriptor(value, key)!;
      queue.push({ path: `${path}.${String(key)}`, value: 'value' in desc ? desc.value : desc.get?.call(value) });
    }
    for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const key of Reflect.ownKeys(proto)) {
        const desc = Object.getOwnPropertyDescriptor(proto, key)!;
        if (desc.get) queue.push({ path: `${path}.${String(key)}`, value: desc.get.call(value) });
      }
    }
  }
  return out;
}

function ownState(obj: object): string[] {
  return Reflect.ownKeys(obj)
    .map(String)
    .filter((k) => !ALLOWED_OWN.has(k));
}

describe('cache models: nothing internal is reachable from an instance', () => {
  it('an informer, its registrations, cache and queue, a reflector, a source and its watches expose no internal object', async () => {
    const trace = new TraceRecorder();
    const env = newEnv({ trace, seed: 3 });
    const source = newFakeControllerSource<Pod>({ env });
    source.add(pod('a'));
    const informer = newSharedIndexInformer<Pod>(source, { env, defaultEventHandlerResyncPeriodMs: 1_000 });
    const registration = informer.addEventHandler({ addFunc: () => {} });
    const running = informer.run();
    await settle();
    const late = informer.addEventHandlerWithResyncPeriod({}, 2_000);
    const watch = await source.watch({ resourceVersion: '1' });
    const fifo = newDeltaFIFO<Pod>({ env, knownObjects: informer.getIndexer() });
    fifo.add(pod('b'));
    const realFifo = newRealFIFO<Pod>(metaNamespaceKeyFunc, informer.getIndexer(), undefined, { env });
    realFifo.add(pod('b'));
    const gateOff = newSharedIndexInformer<Pod>(source, { env, name: 'gate-off', features: { InOrderInformers: false } });
    const gateOffRunning = gateOff.run();
    const factory = newSharedInformerFactory(() => source, 0, { env });
    const generic = factory.forResource('pods');
    factory.start();
    const lister = generic.lister();
    const resourceIndexer = newResourceIndexer(informer.getIndexer(), 'pod').namespace('ns');
    const store = newIndexer<Pod>(metaNamespaceKeyFunc, {});
    const reflector = newReflector<Pod>({ env, listerWatcher: source, store });
    const reflecting = reflector.run();
    await settle();

    const roots = {
      informer,
      registration,
      late,
      indexer: informer.getIndexer(),
      queue: informer.getQueue(),
      gateOffQueue: gateOff.getQueue(),
      fifo,
      realFifo,
      reflector,
      source,
      watch,
      store,
      factory,
      generic,
      lister,
      nsLister: lister.byNamespace('ns'),
      resourceIndexer,
    };
    for (const [name, root] of Object.entries(roots)) expect(ownState(root as object), `own properties of ${name}`).toEqual([]);
    const everything = reachable(roots);
    for (const { path, value } of everything) {
      for (const [name, cls] of INTERNAL) expect(value instanceof cls, `${path} is a ${name}`).toBe(false);
    }
    // A registration's sync tracker is a frozen read-only view.
    const tracker = informer.getListener(registration)!.syncTracker;
    expect(Object.isFrozen(tracker)).toBe(true);
    expect(Object.keys(tracker).sort()).toEqual(['hasSynced', 'pending']);

    informer.stop();
    gateOff.stop();
    reflector.stop();
    await runUntilIdle(env.clock);
    await Promise.all([running, reflecting, gateOffRunning, factory.shutdown()]);
  });

  it('what TypeScript called private is not there at run time', () => {
    const informer = newSharedIndexInformer<Pod>(newFakeControllerSource<Pod>(), { clock: new FakeClock() });
    const loose = informer as unknown as Record<string, unknown>;
    for (const name of ['processor', 'indexer', 'out', 'fifo', 'reflector', 'clock', 'listerWatcher', 'env', 'events', 'trace']) {
      expect(loose[name], name).toBeUndefined();
    }
    const fifo = newDeltaFIFO<Pod>() as unknown as Record<string, unknown>;
    for (const name of ['items', 'queue', 'poppers', 'lock', 'knownObjects', 'events', 'trace', 'clock', 'populated', 'initialPopulationCount']) {
      expect(fifo[name], name).toBeUndefined();
    }
    const realFifo = newRealFIFO<Pod>(metaNamespaceKeyFunc, newIndexer<Pod>(metaNamespaceKeyFunc, {})) as unknown as Record<string, unknown>;
    for (const name of ['items', 'lock', 'keyFunc', 'knownObjects', 'transformer', 'events', 'observer', 'populated', 'initialPopulationCount']) {
      expect(realFifo[name], name).toBeUndefined();
    }
  });
});
