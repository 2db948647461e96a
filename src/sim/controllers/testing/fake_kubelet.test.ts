import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { parseRfc3339 } from '../../apiserver/registry/strategy';
import { newFakeKubelet, type FakeKubeletOptions } from './fake_kubelet';

async function setup(o: Partial<FakeKubeletOptions> = {}, seed = 3) {
  const cluster = await newLabCluster({ env: newEnv({ seed }) });
  const cs = cluster.clientset({ qps: -1 });
  const kubelet = newFakeKubelet({ client: cs, clock: cluster.clock, rng: rngFromSeed(seed), ...o });
  await runUntilSettled(cluster.clock, kubelet.run());
  const pods = cs.coreV1().pods('default');
  const create = (name: string, nodeName?: string) =>
    pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
  const get = async (name: string) => (await pods.get(name)) as unknown as Pod;
  return { cluster, cs, kubelet, pods, create, get };
}

describe('fake kubelet (test fixture)', () => {
  it('marks a bound pod Running and Ready after readyAfterMs, with the conditions controllers read', async () => {
    const h = await setup({ readyAfterMs: 2000 });
    const t0 = h.cluster.clock.now();
    await h.create('p', 'node-1');
    await runUntilIdle(h.cluster.clock, { forMs: 1000 });
    expect((await h.get('p')).status?.phase).toBe('Pending');
    await runUntilIdle(h.cluster.clock, { forMs: 5000 });
    const p = await h.get('p');
    expect(p.status?.phase).toBe('Running');
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready?.status).toBe('True');
    expect(parseRfc3339(ready!.lastTransitionTime!) - Math.floor(t0 / 1000) * 1000).toBeGreaterThanOrEqual(2000);
    expect(p.status?.conditions?.find((c) => c.type === 'ContainersReady')?.status).toBe('True');
    expect((p.status?.containerStatuses as { ready: boolean }[])[0].ready).toBe(true);
    expect(h.kubelet.stats).toMatchObject({ running: 1, failed: 0, errors: [] });
    h.kubelet.stop();
  });

  it('leaves unscheduled pods alone, or binds them to `nodeName` first', async () => {
    const a = await setup();
    await a.create('p');
    await runUntilIdle(a.cluster.clock, { forMs: 5000 });
    expect((await a.get('p')).status?.phase).toBe('Pending');
    a.kubelet.stop();

    const b = await setup({ nodeName: 'fake-node' });
    await b.create('p');
    await runUntilIdle(b.cluster.clock, { forMs: 5000 });
    const p = await b.get('p');
    expect(p.spec.nodeName).toBe('fake-node');
    expect(p.status?.phase).toBe('Running');
    b.kubelet.stop();
  });

  it('failRate 1: every pod fails with exit code 1 (reason Error)', async () => {
    const h = await setup({ failRate: 1 });
    await h.create('p', 'node-1');
    await runUntilIdle(h.cluster.clock, { forMs: 5000 });
    const p = await h.get('p');
    expect(p.status?.phase).toBe('Failed');
    expect((p.status?.containerStatuses as { state: unknown }[])[0].state).toMatchObject({ terminated: { exitCode: 1, reason: 'Error' } });
    expect(h.kubelet.stats.failed).toBe(1);
    h.kubelet.stop();
  });

  it('finishes a graceful delete of a bound pod after terminateAfterMs', async () => {
    const h = await setup({ terminateAfterMs: 3000 });
    await h.create('p', 'node-1');
    await runUntilIdle(h.cluster.clock, { forMs: 5000 });
    await h.pods.delete('p');
    expect((await h.get('p')).metadata.deletionTimestamp).toBeDefined();
    await runUntilIdle(h.cluster.clock, { forMs: 5000 });
    await expect(h.get('p')).rejects.toThrow('pods "p" not found');
    expect(h.kubelet.stats.terminated).toBe(1);
    h.kubelet.stop();
  });

  it('rejects a failRate outside [0, 1]', () => {
    expect(() => newFakeKubelet({ client: {} as never, clock: {} as never, rng: rngFromSeed(1), failRate: 2 })).toThrow('failRate must be in [0, 1], got 2');
  });
});
