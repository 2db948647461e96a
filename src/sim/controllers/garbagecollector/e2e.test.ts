import { describe, expect, it } from 'vitest';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { newGarbageCollector } from './garbagecollector';

/** A lab cluster with the collector running, and helpers to build a Deployment -> ReplicaSet -> Pods chain by hand. */
async function setup(seed = 3, workers = 2, trace?: TraceRecorder) {
  const cluster = await newLabCluster({ env: newEnv({ seed, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  const gc = newGarbageCollector({ client: cs, clock: cluster.clock, rng: rngFromSeed(seed), workers, trace });
  await runUntilSettled(cluster.clock, gc.run());
  const run = () => runUntilIdle(cluster.clock, { forMs: 10_000 });
  const ref = (o: KubeObject, block = true) => ({ apiVersion: o.apiVersion as string, kind: o.kind as string, name: o.metadata.name as string, uid: o.metadata.uid as string, controller: true, blockOwnerDeletion: block });
  const chain = async (pods = 3) => {
    const d = await cs.appsV1().deployments('default').create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } as KubeObject);
    const rs = await cs.appsV1().replicaSets('default').create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', ownerReferences: [ref(d)] }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } as KubeObject);
    for (let i = 0; i < pods; i++) await cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-1-${i}`, labels: { app: 'web' }, ownerReferences: [ref(rs)] }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
    await run();
    return { d, rs };
  };
  const names = async () => ({
    deployments: (await cs.appsV1().deployments('default').list()).items.map((o) => o.metadata.name),
    replicasets: (await cs.appsV1().replicaSets('default').list()).items.map((o) => o.metadata.name),
    pods: (await cs.coreV1().pods('default').list()).items.map((o) => o.metadata.name),
  });
  return { cluster, cs, gc, run, chain, names, ref };
}

describe('garbage collector on the lab cluster: Deployment -> ReplicaSet -> Pods', () => {
  it('builds the owner graph from the informers', async () => {
    const h = await setup();
    const { d, rs } = await h.chain();
    const g = h.gc.dependencyGraphBuilder.uidToNode;
    expect(g.read(d.metadata.uid as string)?.getDependents().map((n) => n.identity.name)).toEqual(['web-1']);
    expect(g.read(rs.metadata.uid as string)?.getDependents().map((n) => n.identity.name).sort()).toEqual(['web-1-0', 'web-1-1', 'web-1-2']);
    expect(g.read(rs.metadata.uid as string)?.identity).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', namespace: 'default', uid: rs.metadata.uid });
    expect(h.gc.errors).toEqual([]);
    h.gc.stop();
  });

  it('Background: the Deployment goes at once, then the ReplicaSet, then the Pods', async () => {
    const h = await setup();
    await h.chain();
    await h.cs.appsV1().deployments('default').delete('web', { propagationPolicy: 'Background' });
    expect((await h.names()).deployments).toEqual([]);
    await h.run();
    expect(await h.names()).toEqual({ deployments: [], replicasets: [], pods: [] });
    expect(h.gc.errors).toEqual([]);
    h.gc.stop();
  });

  it('Foreground: the Deployment waits with foregroundDeletion until its dependents are gone', async () => {
    const h = await setup();
    await h.chain();
    await h.cs.appsV1().deployments('default').delete('web', { propagationPolicy: 'Foreground' });
    const d = await h.cs.appsV1().deployments('default').get('web');
    expect(d.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(d.metadata.deletionTimestamp).toBeDefined();
    await h.run();
    expect(await h.names()).toEqual({ deployments: [], replicasets: [], pods: [] });
    expect(h.gc.errors).toEqual([]);
    h.gc.stop();
  });

  it('Foreground holds the owner while a blocking dependent has a finalizer of its own', async () => {
    const h = await setup();
    const { rs } = await h.chain(1);
    await h.cs.coreV1().pods('default').patch('web-1-0', 'application/merge-patch+json', { metadata: { finalizers: ['example.com/hold'] } });
    await h.cs.appsV1().replicaSets('default').delete('web-1', { propagationPolicy: 'Foreground' });
    await h.run();
    // The pod is terminating but held; the ReplicaSet waits for it.
    const pod = await h.cs.coreV1().pods('default').get('web-1-0');
    expect(pod.metadata.deletionTimestamp).toBeDefined();
    expect((await h.cs.appsV1().replicaSets('default').get('web-1')).metadata.finalizers).toEqual(['foregroundDeletion']);
    await h.cs.coreV1().pods('default').patch('web-1-0', 'application/merge-patch+json', { metadata: { finalizers: null } });
    await h.run();
    expect(await h.names()).toEqual({ deployments: ['web'], replicasets: [], pods: [] });
    expect(h.gc.graphHasUID(rs.metadata.uid as string)).toBe(false);
    expect(h.gc.errors).toEqual([]);
    h.gc.stop();
  });

  it('Orphan: the Deployment goes; the ReplicaSet stays and loses its ownerReference', async () => {
    const h = await setup();
    await h.chain();
    await h.cs.appsV1().deployments('default').delete('web', { propagationPolicy: 'Orphan' });
    await h.run();
    expect(await h.names()).toEqual({ deployments: [], replicasets: ['web-1'], pods: ['web-1-0', 'web-1-1', 'web-1-2'] });
    const rs = await h.cs.appsV1().replicaSets('default').get('web-1');
    expect(rs.metadata.ownerReferences).toEqual([]);
    // The pods still belong to the ReplicaSet.
    expect((await h.cs.coreV1().pods('default').get('web-1-0')).metadata.ownerReferences?.[0].name).toBe('web-1');
    expect(h.gc.errors).toEqual([]);
    h.gc.stop();
  });

  it('a dependent whose owner has the same name but another uid is collected', async () => {
    const h = await setup();
    const { d } = await h.chain(0);
    const stale = { ...h.ref(d), uid: 'not-the-deployment' };
    await h.cs.coreV1().configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stale', ownerReferences: [stale] }, data: {} } as KubeObject);
    await h.cs.coreV1().configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'good', ownerReferences: [h.ref(d)] }, data: {} } as KubeObject);
    await h.run();
    const cms = (await h.cs.coreV1().configMaps('default').list()).items.map((o) => o.metadata.name);
    expect(cms).toContain('good');
    expect(cms).not.toContain('stale');
    expect(h.gc.errors).toEqual([]);
    h.gc.stop();
  });

  it('a namespaced owner in another namespace is absent, with an OwnerRefInvalidNamespace event', async () => {
    const h = await setup();
    await h.cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } } as KubeObject);
    const owner = await h.cs.coreV1().configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' }, data: {} } as KubeObject);
    await h.run();
    await h.cs.coreV1().configMaps('other').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dep', ownerReferences: [h.ref(owner, false)] }, data: {} } as KubeObject);
    await h.run();
    expect((await h.cs.coreV1().configMaps('other').list()).items.map((o) => o.metadata.name)).not.toContain('dep');
    const events = (await h.cs.coreV1().events('other').list()).items as unknown as Array<{ reason: string; message: string; type: string; involvedObject: { name: string } }>;
    const ev = events.find((e) => e.reason === 'OwnerRefInvalidNamespace');
    expect(ev).toMatchObject({ type: 'Warning', involvedObject: { name: 'dep' } });
    expect(ev?.message).toBe(`ownerRef [v1/ConfigMap, namespace: other, name: owner, uid: ${owner.metadata.uid}] does not exist in namespace "other"`);
    expect((await h.cs.coreV1().configMaps('default').list()).items.map((o) => o.metadata.name)).toContain('owner');
    expect(h.gc.errors).toEqual([]);
    h.gc.stop();
  });

  it('a cluster-scoped owner can own a namespaced dependent', async () => {
    const h = await setup();
    const node = await h.cs.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {}, status: {} } as KubeObject);
    await h.cs.coreV1().configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'per-node', ownerReferences: [h.ref(node, false)] }, data: {} } as KubeObject);
    await h.run();
    expect((await h.cs.coreV1().configMaps('default').list()).items.map((o) => o.metadata.name)).toContain('per-node');
    await h.cs.coreV1().nodes().delete('n1');
    await h.run();
    expect((await h.cs.coreV1().configMaps('default').list()).items.map((o) => o.metadata.name)).not.toContain('per-node');
    expect(h.gc.errors).toEqual([]);
    h.gc.stop();
  });

  it('the same seed gives the same trace, byte for byte, with several workers on each queue', async () => {
    const once = async () => {
      const trace = new TraceRecorder();
      const h = await setup(9, 4, trace);
      await h.chain(5);
      await h.cs.appsV1().deployments('default').delete('web', { propagationPolicy: 'Foreground' });
      await h.run();
      expect(await h.names()).toEqual({ deployments: [], replicasets: [], pods: [] });
      h.gc.stop();
      return JSON.stringify(trace.events);
    };
    const [a, b] = [await once(), await once()];
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toBe(b);
  });
});
