import { describe, expect, it } from 'vitest';
import { newLabCluster } from '../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../core/drive';
import { newEnv } from '../core/env';
import type { KubeObject } from '../core/object';
import { TraceRecorder } from '../core/trace';
import { constantUsage, loadProfile, steps } from './load';
import { newMetricsServer } from './server';

async function setup(source = loadProfile({ selector: 'app=web', totalCpuMilli: steps({ fromMs: 0, cpuMilli: 500 }, { fromMs: 40_000, cpuMilli: 1200 }), memoryBytes: 50 * 1024 * 1024 })) {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed: 3, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  for (const name of ['node-a', 'node-b']) await cs.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} } as KubeObject);
  const pods = cs.coreV1().pods('default');
  const pod = async (name: string, node: string, phase = 'Running', labels: Record<string, string> = { app: 'web' }) => {
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName: node, containers: [{ name: 'app', image: 'nginx' }, { name: 'sidecar', image: 'envoy' }] } } as KubeObject);
    await pods.patch(name, 'application/merge-patch+json', { status: { phase } }, undefined, 'status');
  };
  const ms = newMetricsServer({ client: cs, clock: cluster.clock, source, trace });
  ms.register(cluster.apiServer);
  const api = () => cs.restClient('metrics.k8s.io', 'v1beta1');
  const get = async (path: string) => {
    try {
      return await api().get().absPath(`/apis/metrics.k8s.io/v1beta1/${path}`).do() as Record<string, unknown>;
    } catch (e) {
      return (e as { status: Record<string, unknown> }).status;
    }
  };
  return { cluster, cs, pod, ms, get, trace };
}

describe('metrics-server (metrics.k8s.io/v1beta1)', () => {
  it('serves a pod only after two scrapes, with the window between them (podStorage.Store / GetMetrics)', async () => {
    const h = await setup();
    await h.pod('web-1', 'node-a');
    await h.pod('web-2', 'node-b');
    await h.pod('web-pending', 'node-b', 'Pending');
    await runUntilSettled(h.cluster.clock, h.ms.start());
    // One point: nothing to serve yet.
    expect(await h.get('namespaces/default/pods')).toEqual({ kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: [] });
    expect(await h.get('namespaces/default/pods/web-1')).toMatchObject({ code: 404, reason: 'NotFound', message: 'podmetrics.metrics.k8s.io "default/web-1" not found' });
    await runUntilIdle(h.cluster.clock, { forMs: 15_000 });
    expect(h.ms.scrapes).toBe(2);
    const list = (await h.get('namespaces/default/pods')) as { items: Array<Record<string, unknown>> };
    expect(list.items.map((i) => (i.metadata as { name: string }).name)).toEqual(['web-1', 'web-2']);
    expect(list.items[0]).toEqual({
      metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '1970-01-01T00:00:15Z' },
      timestamp: '1970-01-01T00:00:15Z',
      window: '15s',
      // 500m shared by the two running pods, on the first container; 50 Mi is a BinarySI quantity.
      containers: [{ name: 'app', usage: { cpu: '250m', memory: '50Mi' } }, { name: 'sidecar', usage: { cpu: '0', memory: '0' } }],
    });
    const one = await h.get('namespaces/default/pods/web-2');
    expect(one).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', window: '15s' });
    // A pod that is not there is the pod lister's NotFound; a Pending pod has no metrics.
    expect(await h.get('namespaces/default/pods/nope')).toMatchObject({ code: 404, message: 'pods "nope" not found' });
    expect(await h.get('namespaces/default/pods/web-pending')).toMatchObject({ code: 404, message: 'podmetrics.metrics.k8s.io "default/web-pending" not found' });
  });

  it('follows the load profile over time and replicas, and filters by label selector', async () => {
    const h = await setup();
    await h.pod('web-1', 'node-a');
    await h.pod('other', 'node-a', 'Running', { app: 'db' });
    await runUntilSettled(h.cluster.clock, h.ms.start());
    await runUntilIdle(h.cluster.clock, { forMs: 45_000 });
    type Items = { items: Array<{ containers: Array<{ usage: { cpu: string } }> }> };
    const web = async () => ((await h.cs.restClient('metrics.k8s.io', 'v1beta1').get().namespace('default').resource('pods').param('labelSelector', 'app=web').do()) as Items).items;
    const items = await web();
    // t=45 s: the step to 1200m at 40 s, one replica.
    expect(items.map((i) => i.containers[0].usage.cpu)).toEqual(['1200m']);
    await h.pod('web-2', 'node-b');
    await h.pod('web-3', 'node-b');
    await runUntilIdle(h.cluster.clock, { forMs: 30_000 });
    expect((await web()).map((i) => i.containers[0].usage.cpu)).toEqual(['400m', '400m', '400m']);
    // The other pod is outside the profile: no source, no metrics.
    expect(((await h.get('namespaces/default/pods')) as Items).items).toHaveLength(3);
  });

  it('serves NodeMetrics as the sum of the node\'s pods, and lists the group in discovery', async () => {
    const h = await setup(constantUsage(100, 1024 * 1024));
    await h.pod('a', 'node-a');
    await h.pod('b', 'node-a');
    await runUntilSettled(h.cluster.clock, h.ms.start());
    await runUntilIdle(h.cluster.clock, { forMs: 15_000 });
    const nodes = (await h.get('nodes')) as { kind: string; items: Array<{ metadata: { name: string }; usage: Record<string, string>; window: string }> };
    expect(nodes.kind).toBe('NodeMetricsList');
    expect(nodes.items.map((n) => [n.metadata.name, n.usage.cpu, n.usage.memory, n.window])).toEqual([
      ['node-a', '400m', '4Mi', '15s'],
      ['node-b', '0', '0', '15s'],
    ]);
    expect(await h.get('nodes/node-a')).toMatchObject({ kind: 'NodeMetrics', usage: { cpu: '400m' } });
    const groups = await h.cs.discovery().serverGroups();
    expect(groups.groups.map((g) => g.name)).toContain('metrics.k8s.io');
    const res = await h.cs.discovery().serverResourcesForGroupVersion('metrics.k8s.io/v1beta1');
    expect(res.resources).toEqual([
      expect.objectContaining({ name: 'nodes', kind: 'NodeMetrics', namespaced: false, verbs: ['get', 'list'] }),
      expect.objectContaining({ name: 'pods', kind: 'PodMetrics', namespaced: true, verbs: ['get', 'list'] }),
    ]);
    // Read-only: a write is 405.
    const put = await h.cs.restClient('metrics.k8s.io', 'v1beta1').post().namespace('default').resource('pods').body({}).do().catch((e: { status: unknown }) => e.status);
    expect(put).toMatchObject({ code: 405 });
  });

  it('forgets a deleted pod at the next scrape and traces each scrape', async () => {
    const h = await setup(constantUsage(10));
    await h.pod('a', 'node-a');
    await runUntilSettled(h.cluster.clock, h.ms.start());
    await runUntilIdle(h.cluster.clock, { forMs: 15_000 });
    expect(h.ms.podMetrics('default', 'a')).toMatchObject({ windowMs: 15_000 });
    await h.cs.coreV1().pods('default').delete('a', { gracePeriodSeconds: 0 });
    await runUntilIdle(h.cluster.clock, { forMs: 15_000 });
    expect(h.ms.podMetrics('default', 'a')).toBeUndefined();
    h.ms.stop();
    const scrapes = h.trace.events.filter((e) => e.type === 'metrics.scrape');
    expect(scrapes.map((e) => [e.t, e.pods, e.ready])).toEqual([[0, 1, 0], [15_000, 1, 1], [30_000, 0, 0]]);
  });
});
