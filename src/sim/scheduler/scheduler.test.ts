import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { runUntilIdle } from '../core/drive';
import { rngFromSeed } from '../core/rng';
import { newLabCluster } from '../cluster/cluster';
import type { KubeObject } from '../core/object';
import type { Pod } from '../api/core/v1';
import { Scheduler } from './scheduler';
import { newInTreeRegistry } from './plugins/registry';
import { explain } from './format';
import type { KubeSchedulerProfile } from './config/types';

const profile: KubeSchedulerProfile = {};

async function setup(nodes: { name: string; cpu: string; zone: string }[]) {
  const cluster = await newLabCluster({ env: newEnv({ seed: 7 }) });
  const cs = cluster.clientset({ qps: 50, burst: 100 });
  for (const n of nodes) {
    await cs.coreV1().nodes().create({
      apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, 'topology.kubernetes.io/zone': n.zone } },
      spec: {}, status: { allocatable: { cpu: n.cpu, memory: '8Gi', pods: '110' }, capacity: { cpu: n.cpu, memory: '8Gi', pods: '110' } },
    } as KubeObject);
  }
  const scheduler = new Scheduler({ client: cs, clock: cluster.clock, rng: rngFromSeed(3), registry: newInTreeRegistry(), config: { profiles: [profile] } });
  scheduler.start();
  const pod = (name: string, cpu: string, labels: Record<string, string> = { app: 'web' }, priority?: number) =>
    cs.coreV1().pods('default').create({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4', uid: 'rs-1', controller: true }] },
      spec: { ...(priority ? { priorityClassName: `p${priority}` } : {}), containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu, memory: '256Mi' } } }] },
    } as KubeObject);
  // The Priority admission plugin sets spec.priority from the class (a pod may not set it itself).
  const priorityClass = (value: number) => cs.dynamic().resource({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' }).create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: `p${value}` }, value } as KubeObject);
  const pods = async () => (await cs.coreV1().pods('default').list()).items as unknown as Pod[];
  return { cluster, cs, scheduler, pod, pods, priorityClass, run: (ms = 2000) => runUntilIdle(cluster.clock, { forMs: ms }) };
}

describe('Scheduler on the API server (pkg/scheduler scheduler.go, schedule_one.go)', () => {
  it('binds pending pods through pods/binding, spreading a ReplicaSet over nodes and zones, and records Scheduled events', async () => {
    const h = await setup([{ name: 'a1', cpu: '4', zone: 'a' }, { name: 'a2', cpu: '4', zone: 'a' }, { name: 'b1', cpu: '4', zone: 'b' }]);
    for (let i = 0; i < 6; i++) await h.pod(`web-${i}`, '500m');
    await h.run();
    const pods = await h.pods();
    const byNode: Record<string, number> = {};
    for (const p of pods) byNode[p.spec.nodeName ?? 'none'] = (byNode[p.spec.nodeName ?? 'none'] ?? 0) + 1;
    expect(byNode.none).toBeUndefined();
    // PodTopologySpread's system default (zone maxSkew 5, hostname 3, ScheduleAnyway) and LeastAllocated spread them evenly.
    expect(Object.values(byNode).sort()).toEqual([2, 2, 2]);
    const events = (await h.cs.coreV1().events('default').list()).items as unknown as { reason: string; message: string; reportingComponent: string }[];
    const scheduled = events.filter((e) => e.reason === 'Scheduled');
    expect(scheduled).toHaveLength(6);
    expect(scheduled[0].message).toMatch(/^Successfully assigned default\/web-\d to (a1|a2|b1)$/);
    expect(scheduled[0].reportingComponent).toBe('default-scheduler');
    h.scheduler.stop();
  });

  it('a pod that fits nowhere gets FailedScheduling with the 0/N message and PodScheduled=False, and is bound once a node that fits is added', async () => {
    const h = await setup([{ name: 'a1', cpu: '1', zone: 'a' }, { name: 'b1', cpu: '1', zone: 'b' }]);
    await h.pod('big', '2');
    await h.run();
    let big = (await h.pods()).find((p) => p.metadata.name === 'big')!;
    expect(big.spec.nodeName).toBeUndefined();
    // DynamicResources' PostFilter has no claims to free and says so; a request above a node's allocatable is
    // UnschedulableAndUnresolvable, where preemption cannot help.
    const msg = '0/2 nodes are available: 2 Insufficient cpu. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.';
    expect(big.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message: msg });
    const failed = ((await h.cs.coreV1().events('default').list()).items as unknown as { reason: string; message: string; type: string }[]).filter((e) => e.reason === 'FailedScheduling');
    expect(failed[0]).toMatchObject({ type: 'Warning', message: msg });
    expect(h.scheduler.queue.where(big)).toBe('unschedulablePods');
    expect(explain(h.scheduler.lastRecord('default/big')!, new Map())).toContain('NodeResourcesFit: Insufficient cpu');
    // NodeResourcesFit's hint on Node/Add says Queue for a node big enough.
    await h.cs.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'c1', labels: { 'kubernetes.io/hostname': 'c1' } }, spec: {}, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } } as KubeObject);
    await h.run(5000);
    big = (await h.pods()).find((p) => p.metadata.name === 'big')!;
    expect(big.spec.nodeName).toBe('c1');
    h.scheduler.stop();
  });

  it('preemption: a high-priority pod evicts a lower-priority one, is nominated to its node, and binds there', async () => {
    const h = await setup([{ name: 'a1', cpu: '2', zone: 'a' }, { name: 'b1', cpu: '2', zone: 'b' }]);
    for (const v of [10, 1000]) await h.priorityClass(v);
    await h.pod('low-a', '1500m', { app: 'batch' }, 0);
    await h.pod('low-b', '1500m', { app: 'batch' }, 10);
    await h.run();
    expect((await h.pods()).every((p) => p.spec.nodeName)).toBe(true);
    await h.pod('critical', '1500m', { app: 'api' }, 1000);
    await h.run(5000);
    // The victim is terminating: its node's kubelet would stop it and confirm with a zero-grace delete
    // (the kubelet model comes later; the test plays its part).
    const victim = (await h.pods()).find((p) => p.metadata.deletionTimestamp)!;
    expect(victim.metadata.name).toBe('low-a');
    expect(victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'PreemptionByScheduler' });
    const nominated = (await h.pods()).find((p) => p.metadata.name === 'critical')!;
    expect(nominated.status?.nominatedNodeName).toBe(victim.spec.nodeName);
    await h.cs.coreV1().pods('default').delete('low-a', { gracePeriodSeconds: 0 });
    await h.run(5000);
    const pods = await h.pods();
    // pickOneNodeForPreemption: the node whose highest-priority victim is the lowest (low-a, priority 0).
    expect(pods.map((p) => p.metadata.name).sort()).toEqual(['critical', 'low-b']);
    const critical = pods.find((p) => p.metadata.name === 'critical')!;
    const lowA = (await h.pods()).find((p) => p.metadata.name === 'low-a');
    expect(lowA).toBeUndefined();
    const events = (await h.cs.coreV1().events('default').list()).items as unknown as { reason: string; message: string; involvedObject: { name: string } }[];
    const preempted = events.find((e) => e.reason === 'Preempted')!;
    expect(preempted.involvedObject.name).toBe('low-a');
    expect(preempted.message).toBe(`Preempted by pod ${critical.metadata.uid} on node ${critical.spec.nodeName}`);
    expect(events.find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'critical')!.message).toBe('0/2 nodes are available: 2 Insufficient cpu.');
    expect(critical.spec.nodeName).toBe(victim.spec.nodeName);
    h.scheduler.stop();
  });

  it('preemption reads PodDisruptionBudgets from the API server: a victim covered by a budget with no disruption left is spared', async () => {
    const h = await setup([{ name: 'a1', cpu: '2', zone: 'a' }, { name: 'b1', cpu: '2', zone: 'b' }]);
    for (const v of [10, 1000]) await h.priorityClass(v);
    await h.pod('low-a', '1500m', { app: 'protected' }, 0);
    await h.pod('low-b', '1500m', { app: 'batch' }, 10);
    const pdbs = h.cs.dynamic().resource({ group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' }).namespace('default');
    const pdb = await pdbs.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'protected' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'protected' } } } } as KubeObject);
    // What the disruption controller would write: one healthy pod, none may go.
    await pdbs.updateStatus({ ...pdb, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, observedGeneration: 1 } } as KubeObject);
    await h.run();
    await h.pod('critical', '1500m', { app: 'api' }, 1000);
    await h.run(5000);
    // Without the budget low-a (priority 0) would go; with it, the node without a violation wins.
    const victim = (await h.pods()).find((p) => p.metadata.deletionTimestamp)!;
    expect(victim.metadata.name).toBe('low-b');
    h.scheduler.stop();
  });

  it("PodTopologySpread's system default constraints apply to pods a ReplicaSet selects, read from the informers", async () => {
    const h = await setup([{ name: 'a1', cpu: '4', zone: 'a' }, { name: 'b1', cpu: '4', zone: 'b' }]);
    await h.pod('early', '100m', { app: 'solo' });
    await h.run();
    expect(Object.values(h.scheduler.lastRecord('default/early')!.score).some((s) => 'PodTopologySpread' in s)).toBe(false);
    await h.cs.appsV1().replicaSets('default').create({
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-7d4' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } as KubeObject);
    await h.run();
    await h.pod('web-0', '100m');
    await h.run();
    // Selected by the ReplicaSet: PreScore has the zone (maxSkew 5) and hostname (maxSkew 3) defaults, so it scores.
    expect(Object.values(h.scheduler.lastRecord('default/web-0')!.score).every((s) => 'PodTopologySpread' in s)).toBe(true);
    h.scheduler.stop();
  });

  it('an invalid configuration throws naming the field path', () => {
    expect(() => new Scheduler({ client: undefined as never, clock: undefined as never, rng: rngFromSeed(1), registry: newInTreeRegistry(), config: { profiles: [{ ...profile, pluginConfig: [{ name: 'InterPodAffinity', args: { hardPodAffinityWeight: 101 } }] }] } }))
      .toThrow(/profiles\[0\]\.pluginConfig\[0\]\.args\.hardPodAffinityWeight: Invalid value: 101/);
    expect(() => new Scheduler({ client: undefined as never, clock: undefined as never, rng: rngFromSeed(1), registry: newInTreeRegistry(), config: { profiles: [{ ...profile, plugins: { filter: { enabled: [{ name: 'NoSuchPlugin' }] } } }] } }))
      .toThrow('profiles[0].plugins.filter.enabled[0].name: FilterPlugin "NoSuchPlugin" does not exist');
  });
});

describe('scheduling gates through the API server', () => {
  it('a gated pod is SchedulingGated and waits; removing its gate (the only change allowed) lets it be scheduled', async () => {
    const cluster = await newLabCluster({ env: newEnv({ seed: 3 }) });
    const cs = cluster.clientset({ qps: 50, burst: 100 });
    await cs.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {}, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } } } as KubeObject);
    const s = new Scheduler({ client: cs, clock: cluster.clock, rng: rngFromSeed(1), registry: newInTreeRegistry() });
    s.start();
    const pods = cs.coreV1().pods('default');
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'g' }, spec: { schedulingGates: [{ name: 'example.com/quota' }], containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
    await runUntilIdle(cluster.clock, { forMs: 2000 });
    let g = (await pods.get('g')) as unknown as Pod;
    expect(g.spec.nodeName).toBeUndefined();
    expect(g.status?.conditions?.[0]).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' });
    expect(s.queue.where(g)).toBe('gated');
    // Adding a gate is refused; removing one is allowed.
    await expect(pods.update({ ...g, spec: { ...g.spec, schedulingGates: [{ name: 'example.com/quota' }, { name: 'more' }] } } as unknown as KubeObject)).rejects.toThrow("only deletion is allowed, but found new scheduling gate 'more'");
    await pods.update({ ...g, spec: { ...g.spec, schedulingGates: [] } } as unknown as KubeObject);
    await runUntilIdle(cluster.clock, { forMs: 2000 });
    g = (await pods.get('g')) as unknown as Pod;
    expect(g.spec.nodeName).toBe('n1');
    s.stop();
  });
});
