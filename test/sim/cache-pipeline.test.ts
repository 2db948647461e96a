// A queue and an Indexer together, as an informer wires them: the indexer is the queue's
// knownObjects, and a consumer applies each popped Deltas to the indexer the way client-go's
// processDeltas does, calling handlers. Follows TestDeltaFIFO_ReplaceMakesDeletions and the
// informer's relist path (a delete missed while the watch was down), with the DeltaFIFO (the
// InOrderInformers gate off) and then the RealFIFO (v1.34's default) in the same wiring.
import { describe, expect, it } from 'vitest';
import {
  DeletedFinalStateUnknown,
  NamespaceIndex,
  deletionHandlingMetaNamespaceKeyFunc,
  metaNamespaceIndexFunc,
  metaNamespaceKeyFunc,
  newDeltaFIFO,
  newIndexer,
  newRealFIFO,
  type Deltas,
  type KubeObject,
} from '../../src/sim/index';

const pod = (ns: string, name: string, rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns, name, resourceVersion: rv } });

function wire(queue: 'DeltaFIFO' | 'RealFIFO' = 'DeltaFIFO') {
  const indexer = newIndexer<KubeObject>(deletionHandlingMetaNamespaceKeyFunc, { [NamespaceIndex]: metaNamespaceIndexFunc });
  // As sharedIndexInformer.RunWithContext makes them.
  const fifo =
    queue === 'DeltaFIFO'
      ? newDeltaFIFO<KubeObject>({ knownObjects: indexer, emitDeltaTypeReplaced: true })
      : newRealFIFO<KubeObject>(metaNamespaceKeyFunc, indexer);
  const calls: string[] = [];
  // Upstream: client-go tools/cache/controller.go (processDeltas)
  const process = (deltas: Deltas<KubeObject>, isInInitialList: boolean) => {
    for (const d of deltas) {
      const key = deletionHandlingMetaNamespaceKeyFunc(d.object);
      if (d.type === 'Deleted') {
        indexer.delete(d.object);
        calls.push(`delete ${key}${d.object instanceof DeletedFinalStateUnknown ? ' (final state unknown)' : ''}`);
      } else if (indexer.get(d.object) !== undefined) {
        indexer.update(d.object);
        calls.push(`update ${key} rv=${d.object.metadata.resourceVersion}`);
      } else {
        indexer.add(d.object);
        calls.push(`add ${key}${isInInitialList ? ' (initial list)' : ''}`);
      }
    }
  };
  const queued = () => ('getItems' in fifo ? fifo.getItems().length : fifo.listKeys().length);
  const drain = async () => {
    while (queued() > 0) await fifo.pop(process);
  };
  return { indexer, fifo, calls, drain, queued };
}

describe('DeltaFIFO feeding an Indexer (informer wiring)', () => {
  it('marks the initial list, then turns a relist that lacks a known object into a final-state-unknown delete', async () => {
    const { indexer, fifo, calls, drain } = wire();
    fifo.replace([pod('default', 'web', '1'), pod('default', 'db', '2'), pod('kube-system', 'dns', '3')], '3');
    expect(fifo.hasSynced()).toBe(false);
    await drain();
    expect(fifo.hasSynced()).toBe(true);
    expect(calls.splice(0)).toEqual(['add default/web (initial list)', 'add default/db (initial list)', 'add kube-system/dns (initial list)']);
    expect(indexer.indexKeys(NamespaceIndex, 'default')).toEqual(['default/db', 'default/web']);

    // The watch breaks; while it is down default/db is deleted and web changes. The relist:
    fifo.replace([pod('default', 'web', '7'), pod('kube-system', 'dns', '3')], '7');
    await drain();
    expect(calls).toEqual(['update default/web rv=7', 'update kube-system/dns rv=3', 'delete default/db (final state unknown)']);
    expect(indexer.listKeys()).toEqual(['default/web', 'kube-system/dns']);
    expect(indexer.byIndex(NamespaceIndex, 'default').map((p) => p.metadata.resourceVersion)).toEqual(['7']);
  });

  it('does not report a delete twice: a deletion of a key neither known nor queued is dropped', async () => {
    const { fifo, calls, drain, queued } = wire();
    fifo.add(pod('default', 'web', '1'));
    await drain();
    fifo.delete(pod('default', 'web', '1'));
    fifo.delete(pod('default', 'web', '1'));
    await drain();
    fifo.delete(pod('default', 'web', '1'));
    expect(queued()).toBe(0);
    expect(calls).toEqual(['add default/web', 'delete default/web']);
  });
});

describe('RealFIFO feeding an Indexer (the same wiring, InOrderInformers on)', () => {
  it('marks the initial list; a relist queues its final-state-unknown deletes before the listed objects', async () => {
    const { indexer, fifo, calls, drain } = wire('RealFIFO');
    fifo.replace([pod('default', 'web', '1'), pod('default', 'db', '2'), pod('kube-system', 'dns', '3')], '3');
    expect(fifo.hasSynced()).toBe(false);
    await drain();
    expect(fifo.hasSynced()).toBe(true);
    expect(calls.splice(0)).toEqual(['add default/web (initial list)', 'add default/db (initial list)', 'add kube-system/dns (initial list)']);
    fifo.replace([pod('default', 'web', '7'), pod('kube-system', 'dns', '3')], '7');
    await drain();
    expect(calls).toEqual(['delete default/db (final state unknown)', 'update default/web rv=7', 'update kube-system/dns rv=3']);
    expect(indexer.listKeys()).toEqual(['default/web', 'kube-system/dns']);
  });

  it('reports every delete it is given, known or not: nothing is deduplicated', async () => {
    const { fifo, calls, drain, queued } = wire('RealFIFO');
    fifo.add(pod('default', 'web', '1'));
    await drain();
    fifo.delete(pod('default', 'web', '1'));
    fifo.delete(pod('default', 'web', '1'));
    await drain();
    fifo.delete(pod('default', 'web', '1'));
    expect(queued()).toBe(1);
    await drain();
    expect(calls).toEqual(['add default/web', 'delete default/web', 'delete default/web', 'delete default/web']);
  });
});
