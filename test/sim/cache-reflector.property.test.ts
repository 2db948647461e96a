// Properties of the Reflector over random histories (fast-check prints the seed and the shrunk
// history on failure; rerun with `fc.assert(..., { seed, path })`). A FakeControllerSource takes
// random adds, modifies and deletes (some "forgotten" by the watches), interleaved with forced
// watch closes, 410s (expireWatches), ResetWatch and the passing of virtual time. A reflector
// lists and watches it into a DeltaFIFO whose known objects are a plain Map, and a consumer pops
// every Deltas into that Map, as an informer does. Once quiet:
// 1. the Map holds exactly what the source lists, object for object (same resourceVersions):
//    through the watch path alone when no change was "forgotten" (the watches and their replays
//    carry everything), and in every case after a final 410 forces a relist (a forgotten change
//    that a later change's resourceVersion covers is never replayed, as upstream);
// 2. the reflector's lastSyncResourceVersion is the source's last resourceVersion;
// 3. nothing is left queued and, once stopped, no timer is left on the clock;
// 4. the same seed and history give the same trace, byte for byte, and it survives JSON.
// Imports come from the model's files until src/sim/index.ts exports them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/sim/core/clock';
import { runUntilIdle, settle } from '../../src/sim/core/drive';
import type { KubeObject } from '../../src/sim/core/object';
import { rngFromSeed } from '../../src/sim/core/rng';
import { TraceRecorder } from '../../src/sim/core/trace';
import { newDeltaFIFO } from '../../src/sim/cache/delta_fifo';
import type { KeyListerGetter } from '../../src/sim/cache/delta_fifo_types';
import { newFakeControllerSource } from '../../src/sim/cache/fake_controller_source';
import { deletionHandlingMetaNamespaceKeyFunc } from '../../src/sim/cache/keys';
import { newReflector } from '../../src/sim/cache/reflector';

const NAMES = ['a', 'b', 'c', 'd', 'e'] as const;

type Op =
  | { kind: 'add' | 'modify' | 'delete' | 'addDrop' | 'modifyDrop' | 'deleteDrop'; name: string }
  | { kind: 'close' | 'expire' | 'reset' | 'settle' }
  | { kind: 'advance'; ms: number };

const name = fc.constantFrom(...NAMES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), name }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('modify' as const), name }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), name }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('addDrop' as const, 'modifyDrop' as const, 'deleteDrop' as const), name }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('settle' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 90_000 }) }) },
);
const configArb: fc.Arbitrary<Config> = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  resyncPeriodMs: fc.constantFrom(0, 1000, 30_000),
  honorTimeoutSeconds: fc.boolean(),
});

/** The informer's store as the DeltaFIFO sees it. */
function mapStore(map: Map<string, KubeObject>): KeyListerGetter {
  return { listKeys: () => [...map.keys()], getByKey: (key) => map.get(key) };
}

const show = (objs: Iterable<KubeObject>) =>
  [...objs].map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();

interface Config {
  seed: number;
  resyncPeriodMs: number;
  honorTimeoutSeconds: boolean;
}

async function scenario(cfg: Config, ops: Op[]) {
  const clock = new FakeClock();
  const trace = new TraceRecorder();
  const source = newFakeControllerSource<KubeObject>({ clock, trace, honorTimeoutSeconds: cfg.honorTimeoutSeconds });
  const known = new Map<string, KubeObject>();
  const fifo = newDeltaFIFO<KubeObject>({ knownObjects: mapStore(known), emitDeltaTypeReplaced: true, clock, trace });
  const reflector = newReflector<KubeObject>({
    listerWatcher: source,
    store: fifo,
    expectedType: { apiVersion: 'v1', kind: 'Pod' },
    resyncPeriodMs: cfg.resyncPeriodMs,
    clock,
    rng: rngFromSeed(cfg.seed),
    trace,
  });
  // The informer's processDeltas, reduced to the store.
  const consumer = (async () => {
    for (;;) {
      try {
        await fifo.pop((deltas) => {
          for (const d of deltas) {
            const key = deletionHandlingMetaNamespaceKeyFunc(d.object);
            if (d.type === 'Deleted') known.delete(key);
            else known.set(key, d.object);
          }
        });
      } catch {
        return;
      }
    }
  })();
  const running = reflector.run();
  let serial = 0;
  const pod = (n: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: n }, spec: { serial: serial++ } });

  let dropped = false;
  for (const op of ops) {
    if (op.kind.endsWith('Drop')) dropped = true;
    switch (op.kind) {
      case 'add':
        source.add(pod(op.name));
        break;
      case 'modify':
        source.modify(pod(op.name));
        break;
      case 'delete':
        source.delete(pod(op.name));
        break;
      case 'addDrop':
        source.addDropWatch(pod(op.name));
        break;
      case 'modifyDrop':
        source.modifyDropWatch(pod(op.name));
        break;
      case 'deleteDrop':
        source.deleteDropWatch(pod(op.name));
        break;
      case 'close':
        source.closeWatches();
        break;
      case 'expire':
        source.expireWatches();
        break;
      case 'reset':
        source.resetWatch();
        break;
      case 'settle':
        await settle();
        break;
      case 'advance':
        await runUntilIdle(clock, { forMs: op.ms });
        break;
    }
  }

  // Quiet: let pending backoffs and relists finish, age the current watch past a second, end it
  // so that a forgotten change is replayed or relisted, and let the rest run out.
  await runUntilIdle(clock, { forMs: 120_000 });
  clock.step(2000);
  await settle();
  const caughtUp = () => reflector.lastSyncResourceVersion() === source.lastResourceVersion() && fifo.listKeys().length === 0;
  source.closeWatches();
  await runUntilIdle(clock, { forMs: 10 * 60_000, until: caughtUp });
  await runUntilIdle(clock, { forMs: 1000 });
  const afterWatch = { dropped, known: show(known.values()), listed: show((await source.list()).items) };
  // A 410 on the open watch (or on the next one): the reflector relists after its backoff.
  await runUntilIdle(clock, { forMs: 120_000 });
  clock.step(2000);
  await settle();
  const relists = trace.events.filter((e) => e.type === 'reflector.list').length;
  source.expireWatches();
  await runUntilIdle(clock, { forMs: 10 * 60_000, until: () => caughtUp() && trace.events.filter((e) => e.type === 'reflector.list').length > relists });

  const listed = await source.list();
  const result = {
    afterWatch,
    known: show(known.values()),
    listed: show(listed.items),
    lastSync: reflector.lastSyncResourceVersion(),
    lastRV: source.lastResourceVersion(),
    queued: fifo.listKeys(),
    relisted: trace.events.filter((e) => e.type === 'reflector.list').length > relists,
  };
  reflector.stop();
  fifo.close();
  await runUntilIdle(clock);
  await running;
  await consumer;
  source.shutdown();
  const waitersLeft = clock.hasWaiters();
  return { result, waitersLeft, traceJson: JSON.stringify(trace.events), events: trace.events };
}

describe('Reflector + DeltaFIFO over a FakeControllerSource (properties)', () => {
  it('the consumer’s store converges to the source after random changes, closes, 410s and resets', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(opArb, { maxLength: 40 }), async (cfg, ops) => {
        const { result, waitersLeft, traceJson, events } = await scenario(cfg, ops);
        if (!result.afterWatch.dropped) expect(result.afterWatch.known).toEqual(result.afterWatch.listed);
        expect(result.relisted).toBe(true);
        expect(result.known).toEqual(result.listed);
        expect(result.lastSync).toBe(result.lastRV);
        expect(result.queued).toEqual([]);
        expect(waitersLeft).toBe(false);
        expect(JSON.parse(traceJson)).toEqual(events);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('the same seed and history give a byte-identical trace', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(opArb, { maxLength: 25 }), async (cfg, ops) => {
        const a = await scenario(cfg, ops);
        const b = await scenario(cfg, ops);
        expect(b.traceJson).toBe(a.traceJson);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
