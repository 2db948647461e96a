// End to end: two kubelets (node status + lease), the node lifecycle controller, the taint
// eviction controller and the DefaultTolerationSeconds plugin on one API server. A kubelet that
// stops heartbeating makes its node Unknown after the 50 s grace period; the node is tainted
// unreachable:NoExecute, its pods marked not ready, and evicted 300 s later.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/core/v1';
import { newLabCluster } from '../../cluster/cluster';
import { newEventRecorder } from '../../client/record';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { eventSource, eventText } from '../../catalogs';
import { TraceRecorder } from '../../core/trace';
import { newNodeLeaseController } from '../../kubelet/nodestatus/node_lease';
import { newNodeStatusManager } from '../../kubelet/nodestatus/node_status';
import { newTaintEvictionController } from '../tainteviction/controller';
import { newNodeLifecycleController } from './controller';

async function cluster(seed: number) {
  const trace = new TraceRecorder();
  const c = await newLabCluster({ env: newEnv({ seed, trace }) });
  const client = c.clientset({ qps: -1 });
  const clock = c.clock;
  const kubelets = ['node-1', 'node-2'].map((nodeName) => {
    const recorder = newEventRecorder(client, clock, { component: 'kubelet', host: nodeName });
    const status = newNodeStatusManager({ client, clock, nodeName, readiness: () => [], recorder, trace, rng: rngFromSeed(`${seed}/${nodeName}`) });
    const lease = newNodeLeaseController({ client, clock, nodeName, trace, rng: rngFromSeed(`${seed}/lease/${nodeName}`) });
    status.run();
    lease.run();
    return { nodeName, stop: () => (status.stop(), lease.stop()) };
  });
  await runUntilIdle(clock, { forMs: 1000 });
  const lifecycle = newNodeLifecycleController({ client, clock, rng: rngFromSeed(seed), trace });
  const eviction = newTaintEvictionController({ client, clock, rng: rngFromSeed(seed + 1), trace });
  await runUntilSettled(clock, lifecycle.run());
  await runUntilSettled(clock, eviction.run());
  const pods = client.coreV1().pods('default');
  for (const [name, nodeName] of [['web-1', 'node-1'], ['web-2', 'node-1'], ['web-3', 'node-2']]) {
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
    await pods.patch(name, 'application/merge-patch+json', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, undefined, 'status');
  }
  const node = async (name: string) => (await client.coreV1().nodes().get(name)) as unknown as Node;
  const pod = async (name: string) => {
    try {
      return (await pods.get(name)) as unknown as Pod;
    } catch {
      return undefined;
    }
  };
  return { client, clock, trace, kubelets, lifecycle, eviction, node, pod };
}

describe('a node whose kubelet stops', () => {
  it('is Unknown after the grace period, tainted, and its pods are evicted 300 s later', async () => {
    const s = await cluster(21);
    await runUntilIdle(s.clock, { forMs: 60_000 });
    expect((await s.node('node-1')).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    // The default tolerations the admission plugin added.
    expect((await s.pod('web-1'))?.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);

    const stopMs = s.clock.now();
    s.kubelets[0].stop();
    await runUntilIdle(s.clock, { forMs: 80_000 });

    const unknown = s.trace.ofType('nodelifecycle.unknown');
    expect(unknown.map((e) => e.node)).toEqual(['node-1']);
    // Last heartbeat up to ~10.4 s before the stop; then 50 s of grace; seen on a 5 s tick.
    expect(unknown[0].t - stopMs).toBeGreaterThan(50_000 - 10_400);
    expect(unknown[0].t - stopMs).toBeLessThanOrEqual(50_000 + 5000);
    const n1 = await s.node('node-1');
    expect(n1.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect((n1.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect((await s.pod('web-1'))?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect((await s.node('node-2')).spec?.taints ?? []).toEqual([]);

    const scheduled = s.trace.ofType('tainteviction.schedule');
    expect(scheduled.map((e) => [e.pod, e.tolerationSeconds])).toEqual([['default/web-1', 300], ['default/web-2', 300]]);
    const fireAt = scheduled[0].fireAtMs as number;
    expect(fireAt - scheduled[0].t).toBe(300_000);

    await runUntilIdle(s.clock, { forMs: fireAt - s.clock.now() - 1000 });
    expect((await s.pod('web-1'))?.metadata.deletionTimestamp).toBeUndefined();
    await runUntilIdle(s.clock, { forMs: 2000 });
    for (const name of ['web-1', 'web-2']) expect((await s.pod(name))?.metadata.deletionTimestamp).toBeDefined();
    expect((await s.pod('web-3'))?.metadata.deletionTimestamp).toBeUndefined();
    const events = (await s.client.coreV1().events('default').list()).items.map((e) => `${e.reason}: ${e.message}`);
    expect(events).toEqual(expect.arrayContaining(['TaintManagerEviction: Marking for deletion Pod default/web-1', 'NodeNotReady: Node node-1 status is now: NodeNotReady', 'NodeNotReady: Node is not ready']));
    // Every event of these models is declared: it has a text and an upstream link.
    const mine = s.trace.events.filter((e) => ['nodelifecycle', 'nodestatus', 'tainteviction'].includes(e.component));
    expect(mine.every((e) => eventText(e) !== undefined && eventSource(e)?.href.startsWith('https://github.com/kubernetes/kubernetes/blob/v1.34.0/'))).toBe(true);
    expect(mine.map((e) => eventText(e))).toContain('default/web-1: deleted');
    s.kubelets[1].stop();
    s.lifecycle.stop();
    s.eviction.stop();
  });

  it('comes back within the 300 s: Ready again, taints gone, evictions cancelled', async () => {
    const s = await cluster(8);
    await runUntilIdle(s.clock, { forMs: 30_000 });
    s.kubelets[0].stop();
    await runUntilIdle(s.clock, { forMs: 90_000 });
    expect(s.trace.ofType('tainteviction.schedule').length).toBe(2);
    // The kubelet restarts: it finds its Node registered, posts Ready, renews its Lease.
    const restarted = newNodeStatusManager({ client: s.client, clock: s.clock, nodeName: 'node-1', readiness: () => [], trace: s.trace, rng: rngFromSeed('restart') });
    const lease = newNodeLeaseController({ client: s.client, clock: s.clock, nodeName: 'node-1', trace: s.trace, rng: rngFromSeed('restart/lease') });
    restarted.run();
    lease.run();
    await runUntilIdle(s.clock, { forMs: 20_000 });
    const n1 = await s.node('node-1');
    expect(n1.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(n1.spec?.taints ?? []).toEqual([]);
    expect(s.trace.ofType('tainteviction.cancel').map((e) => e.pod)).toEqual(['default/web-1', 'default/web-2']);
    await runUntilIdle(s.clock, { forMs: 400_000 });
    expect((await s.pod('web-1'))?.metadata.deletionTimestamp).toBeUndefined();
    expect(s.trace.ofType('nodestatus.register').filter((e) => e.node === 'node-1').map((e) => e.result)).toEqual(['created', 'exists']);
    for (const k of [...s.kubelets, { stop: () => (restarted.stop(), lease.stop()) }]) k.stop();
    s.lifecycle.stop();
    s.eviction.stop();
  });

  it('the same seed gives the same trace', async () => {
    const run = async () => {
      const s = await cluster(5);
      await runUntilIdle(s.clock, { forMs: 20_000 });
      s.kubelets[0].stop();
      await runUntilIdle(s.clock, { forMs: 80_000 });
      s.kubelets[1].stop();
      s.lifecycle.stop();
      s.eviction.stop();
      return s.trace.events.filter((e) => e.component === 'nodelifecycle' || e.component === 'nodestatus' || e.component === 'tainteviction').map((e) => JSON.stringify(e));
    };
    const a = await run();
    expect(a.length).toBeGreaterThan(10);
    expect(await run()).toEqual(a);
  });
});
