import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { runUntilIdle } from '../core/drive';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder } from '../core/trace';
import { eventText } from '../catalogs';
import { newLabCluster } from '../cluster/cluster';
import type { KubeObject } from '../core/object';
import type { Pod } from '../api/core/v1';
import { Scheduler } from './scheduler';
import { newInTreeRegistry } from './plugins/registry';
import { makeNode } from './testing/wrappers';

// A seeded end-to-end scenario with golden output: a Deployment's ReplicaSet creates 12 pods on
// 6 nodes in 3 zones (one node tainted, one cordoned, one small), then one pod that no longer fits.
// The golden file holds every scheduler trace event: the queue moves, each cycle's outcome and
// the bindings. A change to any plugin's numbers or to the cycle's order shows up here.
describe('seeded scenario: a Deployment placed across zones', () => {
  it('places every pod the same way for seed 1 (golden trace)', async () => {
    const trace = new TraceRecorder();
    const cluster = await newLabCluster({ env: newEnv({ seed: 1, trace }) });
    const cs = cluster.clientset({ qps: 50, burst: 100 });
    const nodes = [
      makeNode().name('a-1').label('topology.kubernetes.io/zone', 'a').capacity({ cpu: '4', memory: '8Gi' }),
      makeNode().name('a-2').label('topology.kubernetes.io/zone', 'a').capacity({ cpu: '4', memory: '8Gi' }).taints([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]),
      makeNode().name('b-1').label('topology.kubernetes.io/zone', 'b').capacity({ cpu: '4', memory: '8Gi' }),
      makeNode().name('b-2').label('topology.kubernetes.io/zone', 'b').capacity({ cpu: '2', memory: '4Gi' }),
      makeNode().name('c-1').label('topology.kubernetes.io/zone', 'c').capacity({ cpu: '4', memory: '8Gi' }).unschedulable(),
      makeNode().name('c-2').label('topology.kubernetes.io/zone', 'c').capacity({ cpu: '8', memory: '16Gi' }),
    ];
    for (const n of nodes) await cs.coreV1().nodes().create(n.obj() as unknown as KubeObject);
    const s = new Scheduler({ client: cs, clock: cluster.clock, rng: rngFromSeed(1), registry: newInTreeRegistry(), trace });
    s.start();
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f9', uid: 'rs-web', controller: true }];
    for (let i = 0; i < 12; i++) {
      await cs.coreV1().pods('default').create({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-5d8f9-${i}`, labels: { app: 'web', 'pod-template-hash': '5d8f9' }, ownerReferences: owner },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '500m', memory: '512Mi' } } }] },
      } as KubeObject);
    }
    await cs.coreV1().pods('default').create({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'batch-huge' },
      spec: { containers: [{ name: 'job', image: 'busybox', resources: { requests: { cpu: '6', memory: '1Gi' } } }] },
    } as KubeObject);
    await runUntilIdle(cluster.clock, { forMs: 3000 });
    s.stop();
    const pods = (await cs.coreV1().pods('default').list()).items as unknown as Pod[];
    const placement = pods.map((p) => `${p.metadata.name} -> ${p.spec.nodeName ?? '(pending)'}`).sort();
    const lines = trace.events.filter((e) => e.component === 'scheduler').map((e) => `${String(e.t).padStart(5)} ${eventText(e)}`);
    await expect(`${placement.join('\n')}\n\n${lines.join('\n')}\n`).toMatchFileSnapshot('testdata/deployment-across-zones.txt');
    // The properties the golden file must keep, whatever the numbers:
    expect(pods.filter((p) => ['a-2', 'c-1'].includes(p.spec.nodeName ?? ''))).toEqual([]);
    // 6 CPU fits only c-2, which the web pods have taken 2.5 of: pending, and preemption cannot help
    // (the web pods' priority is not lower).
    const huge = pods.find((p) => p.metadata.name === 'batch-huge')!;
    expect(huge.spec.nodeName).toBeUndefined();
    expect(huge.status?.conditions?.[0].message).toMatch(/^0\/6 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: gpu\}, 1 node\(s\) were unschedulable, 4 Insufficient cpu\./);
  });
});
