// Properties of the shared informer's event-processing half over random sequences (fast-check
// prints the seed and the shrunk sequence on failure; rerun with `fc.assert(..., { seed, path })`).
// The test plays the Reflector: it feeds the informer's DeltaFIFO with what a watch and relists
// would deliver from a changing "server" (some changes are dropped by the watch and only a
// relist shows them), and asks the processor's shouldResync before resyncing the queue. Several
// handlers with different (seeded, per-notification) speeds are added and removed on the way.
// Each scenario runs with the InOrderInformers gate on (a RealFIFO, v1.34's default) or off (a
// DeltaFIFO); the properties hold for both.
// 1. Every handler sees, per key, a sequence consistent with the cache: an add only for a key it
//    does not have, an update or delete only for one it has (no update after a delete without an
//    add in between), and an update's old object is the last state it was given for that key.
//    One exception, with the gate on: a watch deletion of a key whose add the watch lost reaches
//    the handlers (RealFIFO.Delete queues it; DeltaFIFO.Delete drops it). A real watch loses
//    nothing, so it takes the lost events of this test to see it.
// 2. Once everything has been delivered, the indexer equals the last state the producer reported
//    for each key, and every handler still registered holds exactly the indexer's state.
// 3. The same operations and seed give byte-identical trace JSON.
// Imports come from the model's files until src/sim/index.ts exports the informer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/sim/core/clock';
import { runUntilIdle, settle } from '../../src/sim/core/drive';
import type { KubeObject } from '../../src/sim/core/object';
import { rngFromSeed } from '../../src/sim/core/rng';
import { TraceRecorder } from '../../src/sim/core/trace';
import type { Queue } from '../../src/sim/cache/delta_fifo_types';
import type { ResourceEventHandler, ResourceEventHandlerRegistration } from '../../src/sim/cache/event_handlers';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc } from '../../src/sim/cache/keys';
import { newSharedIndexInformer, processorOf, type ReflectorLike } from '../../src/sim/cache/shared_informer';
import { newFakeControllerSource } from '../../src/sim/cache/fake_controller_source';

const NAMES = ['a', 'b', 'c', 'd', 'e'] as const;

type Op =
  | { kind: 'add' | 'update' | 'delete'; name: string; drop: boolean }
  | { kind: 'relist' }
  | { kind: 'resync' }
  | { kind: 'step'; ms: number }
  | { kind: 'addHandler'; resyncMs: number; speed: number }
  | { kind: 'removeHandler'; index: number };

const name = fc.constantFrom(...NAMES);
/** One watch event in four is lost (only a relist shows the change). */
const drop = fc.constantFrom(false, false, false, true);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), name, drop }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('update' as const), name, drop }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), name, drop }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('relist' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resync' as const) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('step' as const), ms: fc.integer({ min: 0, max: 40 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('addHandler' as const), resyncMs: fc.constantFrom(0, 1_000, 2_000), speed: fc.constantFrom(0, 1, 5, 25) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeHandler' as const), index: fc.nat(8) }) },
);
const scenarioArb = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  /** The InOrderInformers gate: a RealFIFO (true) or a DeltaFIFO (false). */
  inOrderInformers: fc.boolean(),
  /** Per-notification delay bounds (ms) of the handlers registered before run. */
  speeds: fc.array(fc.constantFrom(0, 1, 5, 25), { minLength: 1, maxLength: 3 }),
  ops: fc.array(opArb, { minLength: 10, maxLength: 150, size: 'large' }),
});

interface View {
  present: boolean;
  rv: string;
}

interface Watched {
  id: number;
  registration: ResourceEventHandlerRegistration;
  view: Map<string, View>;
  removed: boolean;
}

const rvOf = (obj: unknown): string => ((obj as KubeObject).metadata?.resourceVersion ?? '') as string;

/** Runs one scenario; returns what the properties need. */
async function runScenario(scenario: { seed: number; inOrderInformers: boolean; speeds: number[]; ops: Op[] }) {
  const clock = new FakeClock();
  const trace = new TraceRecorder();
  const rng = rngFromSeed(scenario.seed);
  let fifo: Queue<KubeObject> | undefined;
  let fake: ReflectorLike | undefined;
  const informer = newSharedIndexInformer<KubeObject>(newFakeControllerSource<KubeObject>({ clock }), {
    clock,
    trace,
    name: 'pods',
    defaultEventHandlerResyncPeriodMs: 1_000,
    features: { InOrderInformers: scenario.inOrderInformers },
    newReflector: (o) => {
      fifo = o.store;
      let release: () => void = () => {};
      const done = new Promise<void>((resolve) => (release = resolve));
      fake = { run: () => done, stop: () => release(), lastSyncResourceVersion: () => '' };
      return fake;
    },
  });
  const violations: string[] = [];
  const unknownDeletes: string[] = [];
  const watched: Watched[] = [];

  const addHandler = (speed: number, resyncMs: number) => {
    const id = watched.length + 1;
    const view = new Map<string, View>();
    const delays = rng.fork(`handler-${id}`);
    const pause = async () => {
      if (speed > 0) await clock.sleep(delays.int(speed + 1));
    };
    const where = (what: string, key: string) => `handler ${id} ${what} ${key}`;
    const handler: ResourceEventHandler<KubeObject> = {
      onAdd: async (obj) => {
        await pause();
        const key = deletionHandlingMetaNamespaceKeyFunc(obj);
        if (view.get(key)?.present) violations.push(`${where('add', key)} while present`);
        view.set(key, { present: true, rv: rvOf(obj) });
      },
      onUpdate: async (oldObj, newObj) => {
        await pause();
        const key = deletionHandlingMetaNamespaceKeyFunc(newObj);
        const seen = view.get(key);
        if (!seen?.present) violations.push(`${where('update', key)} while absent`);
        else if (seen.rv !== rvOf(oldObj)) violations.push(`${where('update', key)} old rv ${rvOf(oldObj)}, last seen ${seen.rv}`);
        view.set(key, { present: true, rv: rvOf(newObj) });
      },
      onDelete: async (obj) => {
        await pause();
        const key = deletionHandlingMetaNamespaceKeyFunc(obj);
        if (!view.get(key)?.present) {
          // RealFIFO.Delete queues every deletion, known or not (DeltaFIFO.Delete drops one that
          // neither the queue nor the cache knows): a watch DELETED whose ADDED was lost reaches
          // the handlers. A relist's tombstone is always for a key the cache had.
          if (scenario.inOrderInformers && !(obj instanceof DeletedFinalStateUnknown)) unknownDeletes.push(where('delete', key));
          else violations.push(`${where('delete', key)} while absent`);
        }
        if (obj instanceof DeletedFinalStateUnknown && rvOf(obj.obj) !== view.get(key)?.rv) {
          violations.push(`${where('delete', key)} tombstone rv ${rvOf(obj.obj)}, last seen ${view.get(key)?.rv}`);
        }
        view.set(key, { present: false, rv: '' });
      },
    };
    const registration = informer.addEventHandlerWithResyncPeriod(handler, resyncMs);
    watched.push({ id, registration, view, removed: false });
  };

  scenario.speeds.forEach((speed, i) => addHandler(speed, i % 2 === 0 ? 1_000 : 0));
  const running = informer.run();
  await settle();

  // The "server": current objects and the resourceVersion counter.
  const server = new Map<string, KubeObject>();
  let rv = 0;
  const obj = (n: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns', name: n, resourceVersion: String(++rv) } });
  // The last state the producer reported to the queue, per key (what the cache must converge to).
  const reported = new Map<string, string>();
  const q = fifo!;
  for (const op of scenario.ops) {
    switch (op.kind) {
      case 'add': {
        if (server.has(op.name)) break;
        const o = obj(op.name);
        server.set(op.name, o);
        if (!op.drop) {
          q.add(o);
          reported.set(`ns/${op.name}`, rvOf(o));
        }
        break;
      }
      case 'update': {
        if (!server.has(op.name)) break;
        const o = obj(op.name);
        server.set(op.name, o);
        if (!op.drop) {
          q.update(o);
          reported.set(`ns/${op.name}`, rvOf(o));
        }
        break;
      }
      case 'delete': {
        if (!server.has(op.name)) break;
        server.delete(op.name);
        // The final state, at the resourceVersion of the deletion.
        const final = obj(op.name);
        if (!op.drop) {
          q.delete(final);
          reported.delete(`ns/${op.name}`);
        }
        break;
      }
      case 'relist': {
        const items = [...server.values()].map((o) => structuredClone(o));
        q.replace(items, String(rv));
        reported.clear();
        for (const o of items) reported.set(deletionHandlingMetaNamespaceKeyFunc(o), rvOf(o));
        break;
      }
      case 'resync':
        clock.step(1_000);
        if (!fake!.shouldResync || fake!.shouldResync()) q.resync();
        break;
      case 'step':
        clock.step(op.ms);
        break;
      case 'addHandler':
        if (watched.length < 8) addHandler(op.speed, op.resyncMs);
        break;
      case 'removeHandler': {
        const live = watched.filter((w) => !w.removed);
        if (live.length === 0) break;
        const w = live[op.index % live.length];
        informer.removeEventHandler(w.registration);
        w.removed = true;
        break;
      }
    }
    await settle(8);
  }
  // Let the queue drain and every handler finish.
  await runUntilIdle(clock, { forMs: 10_000_000 });
  const cache = new Map(informer.getIndexer().list().map((o) => [deletionHandlingMetaNamespaceKeyFunc(o), rvOf(o)]));
  const views = watched
    .filter((w) => !w.removed)
    .map((w) => ({ id: w.id, state: new Map([...w.view].filter(([, v]) => v.present).map(([k, v]) => [k, v.rv])) }));
  const queue = informer.getQueue()!;
  expect(queue).toBe(q);
  expect('getItems' in queue).toBe(scenario.inOrderInformers);
  const queued = 'getItems' in queue ? queue.getItems().length : queue.listKeys().length;
  const pending = processorOf(informer).listenerList().reduce((n, l) => n + l.pendingCount() + (l.current() ? 1 : 0), 0);
  informer.stop();
  await running;
  return { violations, unknownDeletes, cache, reported, views, queued, pending, traceJson: JSON.stringify(trace.events) };
}

describe('shared informer: processDeltas + listeners over random delta sequences', () => {
  it('keeps the cache equal to what was reported, and every handler consistent with it, per key', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const r = await runScenario(scenario);
        expect(r.violations).toEqual([]);
        // Without a lost watch event, no handler is told of a deletion it cannot place.
        if (!scenario.ops.some((op) => 'drop' in op && op.drop)) expect(r.unknownDeletes).toEqual([]);
        expect(r.queued).toBe(0);
        expect(r.pending).toBe(0);
        expect(Object.fromEntries(r.cache)).toEqual(Object.fromEntries(r.reported));
        for (const v of r.views) expect({ handler: v.id, state: Object.fromEntries(v.state) }).toEqual({ handler: v.id, state: Object.fromEntries(r.cache) });
      }),
      { numRuns: 150 },
    );
  });

  it('gives byte-identical trace JSON for the same operations and seed', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const a = await runScenario(scenario);
        const b = await runScenario(scenario);
        expect(b.traceJson).toBe(a.traceJson);
        for (const e of JSON.parse(a.traceJson) as unknown[]) expect(typeof e).toBe('object');
      }),
      { numRuns: 40 },
    );
  });
});
