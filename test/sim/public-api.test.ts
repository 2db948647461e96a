// The names and shapes DESIGN.md promises to external tests ("Public API that external tests
// rely on"), checked on the one public entry. A rename or a dropped method fails here first.
import { describe, expect, it } from 'vitest';
import * as kubelab from '../../src/sim/index';

const methodsOf = (obj: object, names: string[]) => names.filter((n) => typeof (obj as Record<string, unknown>)[n] !== 'function');

describe('public API (src/sim/index.ts) as DESIGN.md lists it', () => {
  it('clock and randomness', () => {
    const clock = new kubelab.FakeClock(5);
    expect(clock.now()).toBe(5);
    expect(methodsOf(clock, ['now', 'step', 'setTime', 'afterFunc', 'hasWaiters'])).toEqual([]);
    const timer = clock.afterFunc(1, () => {});
    expect(typeof timer.stop).toBe('function');
    const rng = kubelab.rngFromSeed(1);
    expect(methodsOf(rng, ['int', 'fork', 'getState'])).toEqual([]);
  });

  it('workqueue constructors and methods', () => {
    const clock = new kubelab.FakeClock();
    const queues = [
      kubelab.newQueue<string>({ clock }),
      kubelab.newDelayingQueue<string>({ clock }),
      kubelab.newRateLimitingQueue<string>(kubelab.defaultControllerRateLimiter(clock), { clock }),
    ];
    for (const q of queues) expect(methodsOf(q, ['add', 'len', 'get', 'done', 'shutDown', 'shutDownWithDrain', 'shuttingDown'])).toEqual([]);
    expect(methodsOf(queues[1], ['addAfter'])).toEqual([]);
    expect(methodsOf(queues[2], ['addAfter', 'addRateLimited', 'forget', 'numRequeues'])).toEqual([]);
    const limiters = [
      kubelab.newItemExponentialFailureRateLimiter<string>(5, 1000),
      kubelab.newItemFastSlowRateLimiter<string>(5, 1000, 3),
      kubelab.newMaxOfRateLimiter<string>(kubelab.newItemExponentialFailureRateLimiter<string>(1, 2)),
      kubelab.newBucketRateLimiter<string>(10, 100, clock),
      kubelab.defaultControllerRateLimiter<string>(clock),
    ];
    for (const l of limiters) expect(methodsOf(l, ['when', 'forget', 'numRequeues'])).toEqual([]);
  });

  it('cache: DeltaFIFO, Indexer and the key functions', async () => {
    const indexer = kubelab.newIndexer(kubelab.metaNamespaceKeyFunc, { [kubelab.NamespaceIndex]: kubelab.metaNamespaceIndexFunc });
    expect(
      methodsOf(indexer, ['add', 'update', 'delete', 'get', 'getByKey', 'list', 'listKeys', 'replace', 'byIndex', 'indexKeys', 'index', 'listIndexFuncValues', 'addIndexers']),
    ).toEqual([]);
    expect(kubelab.NamespaceIndex).toBe('namespace');
    const fifo = kubelab.newDeltaFIFO({ keyFunction: kubelab.metaNamespaceKeyFunc, knownObjects: indexer, emitDeltaTypeReplaced: true });
    expect(methodsOf(fifo, ['add', 'update', 'delete', 'replace', 'resync', 'pop', 'list', 'listKeys', 'get', 'getByKey', 'hasSynced', 'close'])).toEqual([]);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name: 'web' } };
    fifo.add(pod);
    expect(fifo.getByKey('default/web')).toEqual([{ type: 'Added', object: pod }]);
    expect(fifo.getByKey('default/none')).toBeUndefined();
    const popped = await fifo.pop(() => {});
    expect(popped).toEqual([{ type: 'Added', object: pod }]);
    fifo.close();
    await expect(fifo.pop(() => {})).rejects.toThrow();
    const tomb = new kubelab.DeletedFinalStateUnknown('default/web', pod);
    expect(kubelab.deletionHandlingMetaNamespaceKeyFunc(tomb)).toBe('default/web');
    expect(typeof kubelab.newSharedIndexInformer).toBe('function');
  });

  it('errors keep their HTTP code and reason', () => {
    const e = new kubelab.StatusError(410, 'Gone', 'too old resource version: 1 (2)');
    expect([e.code, e.reason, e.message]).toEqual([410, 'Gone', 'too old resource version: 1 (2)']);
  });
});
