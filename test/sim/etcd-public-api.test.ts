// The etcd names and shapes DESIGN.md promises to external tests ("Public API that external tests
// rely on"), checked on the one public entry.
import { describe, expect, it } from 'vitest';
import * as kubelab from '../../src/sim/index';

describe('public API (src/sim/index.ts): etcd as DESIGN.md lists it', () => {
  it('newEtcd({ clock }) offers the clientv3-shaped calls', async () => {
    const clock = new kubelab.FakeClock();
    const etcd = kubelab.newEtcd({ clock });
    const methods = ['put', 'get', 'delete', 'txn', 'compact', 'watch', 'leaseGrant', 'leaseRevoke', 'leaseKeepAlive'];
    expect(methods.filter((m) => typeof (etcd as unknown as Record<string, unknown>)[m] !== 'function')).toEqual([]);

    const put = await etcd.put('k', 'v');
    expect(put.header.revision).toBe(2);
    const got = await etcd.get('k', { prefix: true, revision: 2, limit: 1, keysOnly: false, countOnly: false });
    expect(got.kvs[0]).toEqual({ key: 'k', value: 'v', createRevision: 2, modRevision: 2, version: 1, lease: 0 });
    expect((await etcd.get('k', { rangeEnd: 'l' })).count).toBe(1);

    const txn = await etcd.txn({
      compare: [{ key: 'k', target: 'MOD', result: '=', value: 2 }],
      success: [{ put: { key: 'k', value: 'v2' } }, { get: { key: 'k' } }, { delete: { key: 'gone', prevKv: true } }],
      failure: [],
    });
    expect(txn.succeeded).toBe(true);
    expect(txn.header.revision).toBe(3);

    const events: kubelab.EtcdWatchResponse[] = [];
    const cancel = etcd.watch('k', { prefix: true, startRevision: 4, prevKv: true }, (r) => void events.push(r));
    expect(typeof cancel).toBe('function');

    const lease = await etcd.leaseGrant(10);
    expect(lease.ttl).toBe(10);
    await etcd.put('k', 'v3', { lease: lease.id });
    expect((await etcd.leaseKeepAlive(lease.id)).ttl).toBe(10);
    await kubelab.settle();
    expect(events[0].events[0]).toMatchObject({ type: 'PUT', kv: { key: 'k', value: 'v3', lease: lease.id }, prevKv: { value: 'v2' } });
    cancel();

    const del = await etcd.delete('k', { prefix: true, prevKv: true });
    expect(del.prevKvs.map((kv) => kv.value)).toEqual(['v3']);
    await etcd.leaseRevoke(lease.id);
    await etcd.compact(4);
    const err = await etcd.get('k', { revision: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(kubelab.EtcdError);
    expect((err as Error).message).toBe('etcdserver: mvcc: required revision has been compacted');
    expect(kubelab.isEtcdError(err, kubelab.rpctypes.ErrCompacted)).toBe(true);
  });

  it('the event catalog is listed with the others', () => {
    expect(kubelab.eventCatalogs).toContain(kubelab.etcdEvents);
    expect(kubelab.eventTypesOf('etcd')).toContain('etcd.put');
  });
});
