// After pkg/kubelet/kubelet_node_status_test.go (v1.34): TestRegisterWithApiServer,
// TestUpdateDefaultLabels, TestUpdateNodeStatusWithLease, TestNodeStatusHasChanged; and
// component-helpers apimachinery/lease/controller_test.go (TestNewNodeLease, TestManageLease...).
import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/core/v1';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { TraceRecorder } from '../../core/trace';
import { runtimeDown } from './errors';
import { microTime, newNodeLeaseController } from './node_lease';
import { newNodeStatusManager, nodeStatusHasChanged } from './node_status';

async function setup() {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed: 3, trace }) });
  const client = cluster.clientset({ qps: -1 });
  return { cluster, clock: cluster.clock, client, trace };
}

const getNode = async (s: Awaited<ReturnType<typeof setup>>, name = 'node-1') => (await s.client.coreV1().nodes().get(name)) as unknown as Node;
const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');

describe('node registration and status', () => {
  it('TestRegisterWithApiServer: the Node is created with the default labels, capacity and conditions', async () => {
    const s = await setup();
    const m = newNodeStatusManager({ client: s.client, clock: s.clock, nodeName: 'node-1', readiness: () => [], trace: s.trace });
    const done = m.registerWithAPIServer();
    await runUntilIdle(s.clock, { forMs: 200, until: () => m.registered });
    await done;
    const n = await getNode(s);
    expect(n.metadata.labels).toEqual({ 'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64' });
    expect(n.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
    expect((n.status?.nodeInfo as Record<string, unknown>).kubeletVersion).toBe('v1.34.0');
    expect(n.status?.capacity?.pods).toBe('110');
    expect(s.clock.now()).toBe(100); // the first try comes after 100 ms
  });

  it('TestUpdateDefaultLabels: a Node registered before gets the kubelet-owned labels back, others stay', async () => {
    const s = await setup();
    await s.client.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/os': 'windows', team: 'a' } } } as KubeObject);
    const m = newNodeStatusManager({ client: s.client, clock: s.clock, nodeName: 'node-1', readiness: () => [], trace: s.trace });
    const done = m.registerWithAPIServer();
    await runUntilIdle(s.clock, { forMs: 200, until: () => m.registered });
    await done;
    const n = await getNode(s);
    expect(n.metadata.labels?.['kubernetes.io/os']).toBe('linux');
    expect(n.metadata.labels?.team).toBe('a');
    expect(s.trace.ofType('nodestatus.register').map((e) => e.result)).toEqual(['exists']);
  });

  it('TestUpdateNodeStatusWithLease: patches on change or after nodeStatusReportFrequency, not on every heartbeat', async () => {
    const s = await setup();
    let errors: string[] = [];
    const m = newNodeStatusManager({ client: s.client, clock: s.clock, nodeName: 'node-1', readiness: () => errors, trace: s.trace });
    m.run();
    await runUntilIdle(s.clock, { forMs: 60_000 });
    const updates = () => s.trace.ofType('nodestatus.update');
    // First sync at ~0.1 s (after registering) patches (never reported); the next five or so do not.
    expect(updates()[0].patched).toBe(true);
    expect(updates().length).toBeGreaterThanOrEqual(5);
    expect(updates().slice(1).every((e) => !e.patched)).toBe(true);
    // The runtime goes down: the next sync patches NotReady at once.
    errors = [runtimeDown];
    const before = updates().length;
    await runUntilIdle(s.clock, { forMs: 10_500 });
    expect(updates().slice(before).map((e) => [e.patched, e.ready])).toEqual([[true, 'False']]);
    expect(ready(await getNode(s))).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' });
    // Unchanged for 5 minutes: one report when the report frequency has passed.
    const t0 = m.lastStatusReportTimeMs;
    await runUntilIdle(s.clock, { forMs: 5 * 60_000 + 11_000 });
    expect(m.lastStatusReportTimeMs - t0).toBeGreaterThanOrEqual(5 * 60_000);
    expect(m.lastStatusReportTimeMs - t0).toBeLessThan(5 * 60_000 + 10_500);
    m.stop();
  });

  it('NodeNotReady and NodeReady events go to the Node, in the default namespace', async () => {
    const s = await setup();
    const { newEventRecorder } = await import('../../client/record');
    let errors: string[] = [];
    const m = newNodeStatusManager({ client: s.client, clock: s.clock, nodeName: 'node-1', readiness: () => errors, recorder: newEventRecorder(s.client, s.clock, { component: 'kubelet', host: 'node-1' }) });
    m.run();
    await runUntilIdle(s.clock, { forMs: 1000 });
    errors = [runtimeDown];
    await runUntilIdle(s.clock, { forMs: 11_000 });
    m.stop();
    const evs = (await s.client.coreV1().events('default').list()).items.map((e) => e.message);
    expect(evs).toContain('Node node-1 status is now: NodeHasSufficientMemory');
    expect(evs).toContain('Node node-1 status is now: NodeNotReady');
  });

  it('TestNodeStatusHasChanged: heartbeat times and condition order do not count', () => {
    const cond = (type: string, status: string, hb: string, tr = 'T0') => ({ type, status, lastHeartbeatTime: hb, lastTransitionTime: tr }) as never;
    const st = (...conditions: never[]) => ({ conditions, capacity: { cpu: '2' } });
    expect(nodeStatusHasChanged(undefined, undefined)).toBe(false);
    expect(nodeStatusHasChanged(st(), undefined)).toBe(true);
    expect(nodeStatusHasChanged(st(cond('Ready', 'True', 'a')), st(cond('Ready', 'True', 'b')))).toBe(false);
    expect(nodeStatusHasChanged(st(cond('Ready', 'True', 'a'), cond('DiskPressure', 'False', 'a')), st(cond('DiskPressure', 'False', 'b'), cond('Ready', 'True', 'b')))).toBe(false);
    expect(nodeStatusHasChanged(st(cond('Ready', 'True', 'a')), st(cond('Ready', 'False', 'a')))).toBe(true);
    expect(nodeStatusHasChanged(st(cond('Ready', 'True', 'a')), st(cond('Ready', 'True', 'a'), cond('PIDPressure', 'False', 'a')))).toBe(true);
    expect(nodeStatusHasChanged(st(), { conditions: [], capacity: { cpu: '4' } })).toBe(true);
  });
});

describe('node status contents', () => {
  it('TestUpdateNewNodeStatus: addresses, allocatable, nodeInfo and the kubelet endpoint', async () => {
    const s = await setup();
    const m = newNodeStatusManager({ client: s.client, clock: s.clock, nodeName: 'node-1', nodeIP: '10.0.0.21', readiness: () => [], capacity: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '50Gi' } });
    m.run();
    await runUntilIdle(s.clock, { forMs: 1000 });
    m.stop();
    const st = (await getNode(s)).status as Record<string, unknown>;
    expect(st.addresses).toEqual([{ type: 'InternalIP', address: '10.0.0.21' }, { type: 'Hostname', address: 'node-1' }]);
    expect(st.allocatable).toEqual({ cpu: '4', memory: '16284Mi', pods: '110', 'ephemeral-storage': '40Gi' });
    expect(st.nodeInfo).toMatchObject({ kubeletVersion: 'v1.34.0', containerRuntimeVersion: 'containerd://2.1.4', operatingSystem: 'linux', architecture: 'amd64' });
    expect(st.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
  });
});

describe('node lease', () => {
  it('TestRetryUpdateNodeLease: a conflict (someone else wrote the lease) is retried from a fresh read', async () => {
    const s = await setup();
    await s.client.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } } as KubeObject);
    const c = newNodeLeaseController({ client: s.client, clock: s.clock, nodeName: 'node-1', trace: s.trace });
    await c.sync();
    const leases = s.client.coordinationV1().leases('kube-node-lease');
    const l = await leases.get('node-1');
    await leases.update({ ...l, metadata: { ...l.metadata, labels: { touched: 'yes' } } });
    s.clock.step(10_000);
    await c.sync();
    const after = await leases.get('node-1');
    expect(after.metadata.labels).toEqual({ touched: 'yes' });
    expect((after.spec as Record<string, unknown>).renewTime).toBe('1970-01-01T00:00:10.000000Z');
    expect(s.trace.ofType('nodelease.renew').filter((e) => e.error).length).toBe(0);
  });

  it('TestNewNodeLease: holder, duration 40 s, MicroTime renewTime, owned by the Node', async () => {
    const s = await setup();
    const node = await s.client.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } } as KubeObject);
    s.clock.step(1234.5);
    const c = newNodeLeaseController({ client: s.client, clock: s.clock, nodeName: 'node-1', trace: s.trace });
    await c.sync();
    const lease = await s.client.coordinationV1().leases('kube-node-lease').get('node-1');
    expect(lease.spec).toMatchObject({ holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '1970-01-01T00:00:01.234500Z' });
    expect(lease.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: node.metadata.uid }]);
  });

  it('microTime: six fractional digits', () => {
    expect(microTime(0)).toBe('1970-01-01T00:00:00.000000Z');
    expect(microTime(10_000)).toBe('1970-01-01T00:00:10.000000Z');
  });

  it('TestManageLease: no lease before the Node exists; renewed every 10 s (+ up to 4 %) once it does; none after stop', async () => {
    const s = await setup();
    const c = newNodeLeaseController({ client: s.client, clock: s.clock, nodeName: 'node-1', trace: s.trace });
    c.run();
    await runUntilIdle(s.clock, { forMs: 25_000 });
    await expect(s.client.coordinationV1().leases('kube-node-lease').get('node-1')).rejects.toMatchObject({ status: { reason: 'NotFound' } });
    await s.client.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } } as KubeObject);
    await runUntilIdle(s.clock, { forMs: 60_000 });
    const renewals = s.trace.ofType('nodelease.renew').filter((e) => !e.error);
    expect(renewals[0].created).toBe(true);
    const times = renewals.map((e) => e.t);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps.every((g) => g >= 10_000 && g <= 10_400)).toBe(true);
    expect(renewals.length).toBeGreaterThanOrEqual(5);
    c.stop();
    const n = renewals.length;
    await runUntilIdle(s.clock, { forMs: 60_000 });
    expect(s.trace.ofType('nodelease.renew').filter((e) => !e.error).length).toBe(n);
  });
});
