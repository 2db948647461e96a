// After pkg/controller/nodelifecycle/node_lifecycle_controller_test.go (v1.34, a subset):
// TestMonitorNodeHealthUpdateStatus, TestMonitorNodeHealthUpdateNodeAndPodStatusWithLease,
// TestMonitorNodeHealthMarkPodsNotReady, TestSwapUnreachableNotReadyTaints, TestTaintsNodeByCondition,
// TestMonitorNodeHealth (zone states), and scheduler/rate_limited_queue_test.go.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/core/v1';
import { rfc3339 } from '../../apiserver/registry/strategy';
import { newLabCluster } from '../../cluster/cluster';
import { FakeClock } from '../../core/clock';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { newNodeLifecycleController } from './controller';
import { RateLimitedTimedQueue, TokenBucket } from './rate_limited_queue';

async function setup(opts: { nodes?: { name: string; zone?: string; ready?: 'True' | 'False' | null }[]; largeClusterSizeThreshold?: number } = {}) {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed: 9, trace }) });
  const client = cluster.clientset({ qps: -1 });
  const clock = cluster.clock;
  clock.setTime(1_000_000);
  const heartbeat = async (name: string, status: 'True' | 'False' = 'True') => {
    const n = (await client.coreV1().nodes().get(name)) as unknown as Node;
    const old = n.status?.conditions?.find((c) => c.type === 'Ready') as Record<string, unknown> | undefined;
    const now = rfc3339(clock.now());
    const transition = old && old.status === status ? old.lastTransitionTime : now;
    const conditions = [{ type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'KubeletNotReady', message: status === 'True' ? 'kubelet is posting ready status' : 'container runtime is down', lastHeartbeatTime: now, lastTransitionTime: transition }];
    await client.coreV1().nodes().patch(name, 'application/merge-patch+json', { status: { conditions } }, undefined, 'status');
  };
  for (const n of opts.nodes ?? []) {
    await client.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, labels: n.zone ? { 'topology.kubernetes.io/region': 'region1', 'topology.kubernetes.io/zone': n.zone } : {} } } as KubeObject);
    if (n.ready !== null) await heartbeat(n.name, n.ready ?? 'True');
  }
  const ctrl = newNodeLifecycleController({ client, clock, rng: rngFromSeed(1), trace, largeClusterSizeThreshold: opts.largeClusterSizeThreshold });
  await runUntilSettled(clock, ctrl.run());
  const node = async (name: string) => (await client.coreV1().nodes().get(name)) as unknown as Node;
  const cond = async (name: string, type = 'Ready') => (await node(name)).status?.conditions?.find((c) => c.type === type) as Record<string, unknown> | undefined;
  const taints = async (name: string) => ((await node(name)).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
  const run = (ms: number) => runUntilIdle(clock, { forMs: ms });
  return { cluster, client, clock, ctrl, trace, heartbeat, node, cond, taints, run };
}

describe('monitorNodeHealth', () => {
  it('TestMonitorNodeHealthUpdateStatus: a node that never posted status goes Unknown after the startup grace period (60 s)', async () => {
    const s = await setup({ nodes: [{ name: 'node0', ready: null }] });
    await s.run(55_000);
    expect(await s.cond('node0')).toBeUndefined();
    await s.run(10_000);
    const conds = (await s.node('node0')).status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]);
    expect(conds).toEqual([
      ['Ready', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
    ]);
  });

  it('TestMonitorNodeHealthUpdateStatus: a Ready node whose kubelet stops posting is Unknown after the grace period (50 s)', async () => {
    const s = await setup({ nodes: [{ name: 'node0' }] });
    const t0 = s.clock.now();
    await s.run(45_000);
    expect((await s.cond('node0'))?.status).toBe('True');
    await s.run(15_000);
    expect(await s.cond('node0')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    const ev = s.trace.ofType('nodelifecycle.unknown')[0];
    expect(ev.t - t0).toBeGreaterThan(50_000);
    expect(ev.t - t0).toBeLessThanOrEqual(55_000);
  });

  it('TestMonitorNodeHealthUpdateNodeAndPodStatusWithLease: lease renewals alone keep a node healthy', async () => {
    const s = await setup({ nodes: [{ name: 'node0' }] });
    const leases = s.client.coordinationV1().leases('kube-node-lease');
    const lease = (await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node0' }, spec: { holderIdentity: 'node0', leaseDurationSeconds: 40, renewTime: '1970-01-01T00:16:40.000000Z' } } as KubeObject)) as KubeObject;
    let current = lease;
    for (let i = 0; i < 12; i++) {
      await s.run(10_000);
      const spec = current.spec as Record<string, unknown>;
      current = await leases.update({ ...current, spec: { ...spec, renewTime: `${rfc3339(s.clock.now()).slice(0, 19)}.000000Z` } });
    }
    expect((await s.cond('node0'))?.status).toBe('True');
    // Then the lease stops too.
    await s.run(60_000);
    expect((await s.cond('node0'))?.status).toBe('Unknown');
  });

  it('TestMonitorNodeHealthMarkPodsNotReady: pods of a node that stops posting get Ready=False and a NodeNotReady event', async () => {
    const s = await setup({ nodes: [{ name: 'node0' }] });
    const pods = s.client.coreV1().pods('default');
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod0' }, spec: { nodeName: 'node0', containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
    await pods.patch('pod0', 'application/merge-patch+json', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, undefined, 'status');
    await s.run(60_000);
    const pod = (await pods.get('pod0')) as unknown as Pod;
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    const events = (await s.client.coreV1().events('default').list()).items;
    expect(events.map((e) => `${e.reason}: ${e.message}`)).toEqual(expect.arrayContaining(['NodeNotReady: Node is not ready', 'NodeNotReady: Node node0 status is now: NodeNotReady', 'RegisteredNode: Node node0 event: Registered Node node0 in Controller']));
  });
});

describe('processPod', () => {
  it('TestProcessPod: a pod that lands on a node already not ready is marked not ready at once', async () => {
    const s = await setup({ nodes: [{ name: 'node0' }, { name: 'node1' }] });
    for (let i = 0; i < 13; i++) {
      await s.heartbeat('node1');
      await s.run(5000);
    }
    expect((await s.cond('node0'))?.status).toBe('Unknown');
    const pods = s.client.coreV1().pods('default');
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
    await pods.patch('late', 'application/merge-patch+json', { status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'True' }] } }, undefined, 'status');
    await s.client.coreV1().pods('default').bind({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'late' }, target: { kind: 'Node', name: 'node0' } } as KubeObject);
    await s.run(500);
    const pod = (await pods.get('late')) as unknown as Pod;
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
  });
});

describe('taints', () => {
  it('TestTaintsNodeByCondition and TestSwapUnreachableNotReadyTaints: not-ready then unreachable, NoSchedule at once and NoExecute through the queue', async () => {
    const s = await setup({ nodes: [{ name: 'node0' }, { name: 'node1' }] });
    // node0's kubelet reports NotReady (and keeps posting).
    await s.heartbeat('node0', 'False');
    for (let i = 0; i < 3; i++) {
      await s.heartbeat('node1');
      await s.run(5000);
    }
    expect(await s.taints('node0')).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    // Then it stops posting altogether: Unknown, and the taints swap.
    for (let i = 0; i < 14; i++) {
      await s.heartbeat('node1');
      await s.run(5000);
    }
    expect((await s.cond('node0'))?.status).toBe('Unknown');
    expect(await s.taints('node0')).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    // It comes back Ready: every taint goes.
    await s.heartbeat('node0', 'True');
    await s.heartbeat('node1');
    await s.run(6000);
    expect(await s.taints('node0')).toEqual([]);
    expect(await s.taints('node1')).toEqual([]);
    const noExecute = s.trace.ofType('nodelifecycle.taint').filter((e) => (e.added as string[]).some((t) => t.endsWith(':NoExecute')));
    expect(noExecute.map((e) => e.added)).toEqual([['node.kubernetes.io/not-ready:NoExecute'], ['node.kubernetes.io/unreachable:NoExecute']]);
  });

  it('--node-eviction-rate 0.1: NoExecute taints in one zone come 10 s apart', async () => {
    const names = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
    const s = await setup({ nodes: names.map((name) => ({ name, zone: 'zone1' })) });
    for (let i = 0; i < 6; i++) {
      for (const n of names.slice(3)) await s.heartbeat(n, 'True');
      for (const n of names.slice(0, 3)) await s.heartbeat(n, 'False');
      await s.run(5000);
    }
    const times = s.trace.ofType('nodelifecycle.taint').filter((e) => (e.added as string[]).includes('node.kubernetes.io/not-ready:NoExecute')).map((e) => e.t);
    expect(times.length).toBe(3);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(10_000);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(10_000);
  });

  it('TestMonitorNodeHealth: every node of every zone down is full disruption: no NoExecute taint, evictions stop', async () => {
    const s = await setup({ nodes: [{ name: 'node0', zone: 'zone1' }, { name: 'node1', zone: 'zone2' }] });
    await s.run(70_000);
    expect((await s.cond('node0'))?.status).toBe('Unknown');
    expect(await s.taints('node0')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    expect([...s.ctrl.zoneStates.values()]).toEqual(['FullDisruption', 'FullDisruption']);
    // One zone comes back: it is Normal, the other zone's node gets its NoExecute taint.
    for (let i = 0; i < 3; i++) {
      await s.heartbeat('node1');
      await s.run(5000);
    }
    expect(s.ctrl.zoneStates.get('region1:\x00:zone2')).toBe('Normal');
    expect(await s.taints('node0')).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
  });
});

describe('computeZoneState and the queue', () => {
  it('ComputeZoneState: full, partial (more than 2 and >= 55 % not ready), normal', async () => {
    const s = await setup();
    const c = (st: string) => ({ type: 'Ready', status: st }) as never;
    expect(s.ctrl.computeZoneState([c('Unknown'), c('False')])).toEqual([2, 'FullDisruption']);
    expect(s.ctrl.computeZoneState([c('Unknown'), c('Unknown'), c('Unknown'), c('True'), c('True')])).toEqual([3, 'PartialDisruption']);
    expect(s.ctrl.computeZoneState([c('Unknown'), c('Unknown'), c('True')])).toEqual([2, 'Normal']);
    expect(s.ctrl.computeZoneState([c('Unknown'), c('Unknown'), c('Unknown'), c('True'), c('True'), c('True')])).toEqual([3, 'Normal']);
    expect(s.ctrl.computeZoneState([undefined, c('True')])).toEqual([1, 'Normal']);
  });

  it('TestAddNode / TestDelNode / TestTry: a unique queue, processed in order as the limiter allows', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedTimedQueue(clock, 0.1);
    expect(q.add('first', '1')).toBe(true);
    expect(q.add('second', '2')).toBe(true);
    expect(q.add('first', '1')).toBe(false);
    const seen: string[] = [];
    await q.try(async (v) => {
      seen.push(v.value);
      return [true, 0];
    });
    expect(seen).toEqual(['first']); // burst 1
    clock.step(10_000);
    await q.try(async (v) => {
      seen.push(v.value);
      return [true, 0];
    });
    expect(seen).toEqual(['first', 'second']);
    // Processed values stay in the set until removed.
    expect(q.add('first', '1')).toBe(false);
    expect(q.remove('first')).toBe(false);
    expect(q.add('first', '1')).toBe(true);
  });

  it('TokenBucket: qps 0 rejects; a full bucket of 1 refills at qps', () => {
    const clock = new FakeClock();
    expect(new TokenBucket(0, 1, clock).tryAccept()).toBe(false);
    const b = new TokenBucket(0.01, 1, clock);
    expect(b.tryAccept()).toBe(true);
    clock.step(99_999);
    expect(b.tryAccept()).toBe(false);
    clock.step(1);
    expect(b.tryAccept()).toBe(true);
  });
});
