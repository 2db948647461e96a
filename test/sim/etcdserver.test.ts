/**
 * The replicated etcd against the single-member store: the same fault-free script gives the
 * same responses and revisions; and the API server stores pods in the cluster, timing out when
 * its member is cut off from the others.
 */
import { describe, expect, it } from 'vitest';
import { newApiServer, newEnv, newEtcd, newEtcdCluster, runUntilSettled, type EtcdClient } from '../../src/sim/index';

type Step = (c: EtcdClient & { leaseRevoke(id: number): Promise<unknown> }) => Promise<unknown>;

const script: Step[] = [
  (c) => c.put('/a', '1'),
  (c) => c.put('/b', '2', { prevKv: true }),
  (c) => c.put('/a', '3', { prevKv: true }),
  (c) => c.get('/', { prefix: true }),
  (c) => c.get('/a', { revision: 2 }),
  (c) => c.txn({ compare: [{ key: '/a', target: 'VALUE', result: '=', value: '3' }], success: [{ put: { key: '/c', value: 'x' } }, { get: { key: '/a' } }], failure: [] }),
  (c) => c.txn({ compare: [{ key: '/a', target: 'MOD', result: '=', value: 1 }], success: [], failure: [{ get: { key: '/c' } }] }),
  (c) => c.leaseGrant(10, { id: 0x1234 }),
  (c) => c.put('/l', 'v', { lease: 0x1234 }),
  (c) => c.put('/m', 'v', { lease: 0x9999 }),
  (c) => c.delete('/b', { prevKv: true }),
  (c) => c.delete('/nothing'),
  (c) => c.leaseRevoke(0x1234),
  (c) => c.get('/', { prefix: true, keysOnly: true }),
  (c) => c.compact(4),
  (c) => c.get('/a', { revision: 3 }),
  (c) => c.get('/a', { revision: 100 }),
  (c) => c.put('', 'empty key'),
  (c) => c.get('/', { prefix: true, sortOrder: 'DESCEND', sortTarget: 'MOD' }),
];

/** A response without the fields that name the member (memberId, raftTerm, clusterId). */
function strip(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'memberId' || k === 'raftTerm' || k === 'clusterId' ? undefined : x)));
}

async function runScript(c: EtcdClient & { leaseRevoke(id: number): Promise<unknown> }, drive: <T>(p: Promise<T>) => Promise<T>): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const step of script) {
    try {
      out.push({ ok: strip(await drive(step(c))) });
    } catch (err) {
      out.push({ error: (err as Error).message });
    }
  }
  return out;
}

describe('etcdserver against the single-member store', () => {
  it('the same fault-free script gives the same responses and revisions', async () => {
    const single = newEtcd({ env: newEnv({ seed: 1 }) });
    const expected = await runScript(single, (p) => p);
    const cluster = newEtcdCluster({ size: 3, env: newEnv({ seed: 1 }) });
    cluster.raft.runUntil(() => cluster.leader() !== undefined);
    const got = await runScript(cluster.client(), (p) => runUntilSettled(cluster.clock, p, { forMs: 20_000 }));
    expect(got).toEqual(expected);
    expect(JSON.stringify(expected)).toContain('required revision has been compacted');
    expect(JSON.stringify(expected)).toContain('etcdserver: requested lease not found');
    cluster.raft.run(500);
    for (const id of cluster.members()) expect(cluster.member(id)!.store.snapshot().kvs).toEqual(single.snapshot().kvs);
  });
});

describe('the API server on the replicated etcd', () => {
  const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

  it('serves a pod create and get; times out once its member is cut off', async () => {
    const env = newEnv({ seed: 3 });
    const cluster = newEtcdCluster({ size: 3, env });
    cluster.raft.runUntil(() => cluster.leader() !== undefined);
    const member = cluster.members().find((id) => id !== cluster.leader())!;
    const api = newApiServer({ env, etcd: cluster.client({ endpoint: member, maxRetries: 0 }) });
    const drive = <T>(p: Promise<T>) => runUntilSettled(env.clock, p, { forMs: 30_000 });
    const created = await drive(api.request({ verb: 'POST', path: '/api/v1/namespaces/default/pods', body: pod('web') }));
    expect(created.code).toBe(201);
    const got = await drive(api.request({ verb: 'GET', path: '/api/v1/namespaces/default/pods/web' }));
    expect(got.code).toBe(200);
    expect((got.body as { metadata: { name: string } }).metadata.name).toBe('web');
    cluster.raft.partition([[member], cluster.members().filter((id) => id !== member)]);
    const t0 = env.clock.now();
    // The read (a linearizable range) and the update (a txn through raft) each wait out etcd's request timeout.
    const read = await drive(api.request({ verb: 'GET', path: '/api/v1/namespaces/default/pods/web' }));
    expect(read.code).toBe(500);
    expect(JSON.stringify(read.body)).toContain('etcdserver: request timed out');
    expect(env.clock.now() - t0).toBe(cluster.reqTimeoutMs);
    const update = await drive(api.request({ verb: 'PUT', path: '/api/v1/namespaces/default/pods/web', body: got.body }));
    expect(update.code).toBe(500);
    expect(JSON.stringify(update.body)).toMatch(/etcdserver: request timed out/);
    cluster.raft.heal();
    // The cut member campaigned in higher terms meanwhile: let the cluster settle on a leader it knows.
    cluster.raft.runUntil(() => cluster.leader() !== undefined && cluster.member(member)!.lead === cluster.leader());
    cluster.raft.run(1000);
    const healed = await drive(api.request({ verb: 'GET', path: '/api/v1/namespaces/default/pods/web' }));
    expect(healed.code).toBe(200);
  });
});

describe('etcdserver and disk trace events', () => {
  it('a run with a crash traces proposals, answers, read indexes, lessor changes and disk writes, each with its line of text', async () => {
    const { TraceRecorder, eventText, eventSource, eventCatalogs, diskEvents, etcdServerEvents } = await import('../../src/sim/index');
    const rec = new TraceRecorder();
    const env = newEnv({ seed: 5, trace: rec });
    const cluster = newEtcdCluster({ size: 3, env, fsyncMs: 5 });
    cluster.raft.runUntil(() => cluster.leader() !== undefined);
    const cli = cluster.client();
    const drive = <T>(p: Promise<T>) => runUntilSettled(env.clock, p, { forMs: 20_000 });
    await drive(cli.put('/a', '1'));
    await drive(cli.get('/a'));
    const lead = cluster.leader()!;
    cluster.raft.crash(lead);
    cluster.raft.runUntil(() => cluster.leader() !== undefined && cluster.leader() !== lead);
    await drive(cluster.client({ endpoint: cluster.leader()! }).put('/b', '2'));
    expect(eventCatalogs).toContain(diskEvents);
    expect(eventCatalogs).toContain(etcdServerEvents);
    const types = new Set(rec.events.map((e) => e.type));
    for (const t of ['etcdserver.propose', 'etcdserver.respond', 'etcdserver.readIndex', 'etcdserver.lessor', 'disk.save', 'disk.fsync', 'disk.crashLoss']) expect(types, t).toContain(t);
    for (const e of rec.events.filter((x) => x.component === 'disk' || x.component === 'etcdserver')) {
      expect(eventText(e), e.type).toMatch(/^(infra\d|\d): /);
      expect(eventSource(e)?.href ?? '', e.type).toContain('github.com/etcd-io/etcd/blob/v3.6.0/');
    }
  });
});

describe('etcdserver determinism', () => {
  it('the same seed gives the same trace, byte for byte, with faults and slow disks', async () => {
    const { TraceRecorder } = await import('../../src/sim/index');
    const run = async () => {
      const rec = new TraceRecorder();
      const env = newEnv({ seed: 77, trace: rec });
      const cluster = newEtcdCluster({ size: 3, env, fsyncMs: { min: 1, max: 30 } });
      cluster.raft.runUntil(() => cluster.leader() !== undefined);
      const cli = cluster.client();
      const drive = <T>(p: Promise<T>) => runUntilSettled(env.clock, p, { forMs: 20_000 });
      await drive(cli.put('/a', '1'));
      cluster.raft.crash(cluster.leader()!);
      await drive(cli.get('/a'));
      const l = await drive(cli.leaseGrant(2));
      await drive(cli.put('/b', '2', { lease: l.id }));
      cluster.raft.run(5000);
      return JSON.stringify(rec.events);
    };
    const a = await run();
    expect(a).toContain('etcdserver.revokeExpired');
    expect(await run()).toBe(a);
  });
});
