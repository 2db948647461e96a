// The lab cluster: its state travels as a log of etcd writes. A cluster rebuilt from another's log
// has the same keyspace and revisions; writes made there replay into the first one through etcd,
// so its watchers (kubectl get -w, informers) see them arrive.
import { describe, expect, it } from 'vitest';
import { TraceRecorder, newLabCluster, runUntilIdle, settle, type KubeObject } from '../../src/sim/index';

const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

describe('LabCluster', () => {
  it('a cluster rebuilt from a log has the same objects, revisions and resourceVersions', async () => {
    const session = await newLabCluster();
    const cs = session.clientset();
    await cs.coreV1().pods('default').create(pod('a'));
    await cs.coreV1().pods('default').create(pod('b'));
    await cs.coreV1().pods('default').delete('a');
    const copy = await newLabCluster({ from: session.log() });
    expect(copy.revision).toBe(session.revision);
    const [x, y] = await Promise.all([session.clientset().coreV1().pods('default').list(), copy.clientset().coreV1().pods('default').list()]);
    expect(y.items).toEqual(x.items);
    expect(y.metadata.resourceVersion).toBe(x.metadata.resourceVersion);
    const keys = async (c: typeof session) => (await c.etcd.get('/registry/', { prefix: true })).kvs.map((kv) => [kv.key, kv.createRevision, kv.modRevision, kv.version]);
    expect(await keys(copy)).toEqual(await keys(session));
  });

  it("writes made in the copy replay into the session, where a watch started before sees them", async () => {
    const session = await newLabCluster();
    await session.clientset().coreV1().pods('default').create(pod('web'));
    const start = session.revision;
    const seen: string[] = [];
    const w = await session.clientset().coreV1().pods('default').watch({ resourceVersion: String(start) });
    void (async () => {
      for (;;) {
        const e = await w.next();
        if (!e) return;
        seen.push(`${e.type} ${(e.object as KubeObject).metadata.name} ${(e.object as KubeObject).metadata.labels?.tier ?? ''}`.trim());
      }
    })();
    const run = await newLabCluster({ from: session.log() });
    const pods = run.clientset().coreV1().pods('default');
    await pods.patch('web', 'application/merge-patch+json', { metadata: { labels: { tier: 'front' } } });
    await pods.create(pod('api'));
    run.clock.step(5_000);
    await session.apply(run.changesSince(start), run.clock.now());
    await runUntilIdle(session.clock, { forMs: 1_000 });
    expect(seen).toEqual(['MODIFIED web front', 'ADDED api']);
    expect(session.clock.now()).toBeGreaterThanOrEqual(5_000);
    w.stop();
    await settle();
  });

  it('refuses changes that do not follow its revision', async () => {
    const session = await newLabCluster();
    await expect(session.apply([{ revision: session.revision + 5, ops: [{ type: 'put', key: 'x', value: 'y', lease: 0 }] }])).rejects.toThrow(/does not follow this cluster's revision/);
  });

  it('records to the trace it is given', async () => {
    const trace = new TraceRecorder();
    const c = await newLabCluster({ trace });
    await c.clientset().coreV1().pods('default').create(pod('p'));
    expect(trace.events.some((e) => e.type === 'etcd.txn')).toBe(true);
    expect(trace.events.some((e) => e.component === 'apiserver')).toBe(true);
  });
});
