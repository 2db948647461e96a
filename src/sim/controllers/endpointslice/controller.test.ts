import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { newEndpointSliceController, EndpointSliceController } from './controller';
import { EndpointSliceOptionsError } from './options';

async function setup(seed = 5) {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  for (const [name, zone] of [['node-a', 'zone-a'], ['node-b', 'zone-b']]) {
    await cs.coreV1().nodes().create({
      apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } },
      spec: {}, status: { allocatable: { cpu: '4' }, conditions: [{ type: 'Ready', status: 'True' }] },
    } as KubeObject);
  }
  const ctrl = newEndpointSliceController({ client: cs, clock: cluster.clock, rng: rngFromSeed(seed), trace });
  await runUntilSettled(cluster.clock, ctrl.run());
  const pods = cs.coreV1().pods('default');
  let ip = 10;
  /** A running pod on a node, Ready as asked, serving `http` on `port`. */
  const pod = async (name: string, node: string, ready = true, port = 8080) => {
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: port }] }] } } as KubeObject);
    const addr = `10.244.0.${ip++}`;
    await setStatus(name, { phase: 'Running', podIP: addr, podIPs: [{ ip: addr }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] });
  };
  const setStatus = (name: string, status: Record<string, unknown>) => pods.patch(name, 'application/merge-patch+json', { status }, undefined, 'status');
  const slices = async () => (await cs.discoveryV1().endpointSlices('default').list()).items as unknown as EndpointSlice[];
  const mine = async () => (await slices()).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web');
  const run = () => runUntilIdle(cluster.clock, { forMs: 5000 });
  return { cluster, cs, ctrl, pods, pod, setStatus, mine, run, trace };
}

const service: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };

describe('EndpointSlice controller on the API server (pkg/controller/endpointslice)', () => {
  it('follows a Service from no pods to ready, not ready, terminating and gone', async () => {
    const h = await setup();
    await h.cs.coreV1().services('default').create(service as unknown as KubeObject);
    await h.run();
    // No pods yet: the placeholder, owned by the Service, labelled by the controller.
    let [slice, ...rest] = await h.mine();
    expect(rest).toHaveLength(0);
    expect(slice.endpoints).toEqual([]);
    expect(slice.ports).toEqual([]);
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels).toEqual({ 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': 'web' });
    const svc = (await h.cs.coreV1().services('default').get('web')) as unknown as Service;
    expect(slice.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toBe(svc.metadata.creationTimestamp);

    await h.pod('web-1', 'node-a');
    await h.pod('web-2', 'node-b');
    await h.pod('web-3', 'node-b', false);
    await h.run();
    [slice, ...rest] = await h.mine();
    expect(rest).toHaveLength(0);
    // The placeholder was recycled: same name, now with the named port resolved.
    expect(slice.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
    const byPod = (s: EndpointSlice) => Object.fromEntries(s.endpoints.map((e) => [e.targetRef?.name, e]));
    let eps = byPod(slice);
    expect(eps['web-1']).toMatchObject({ addresses: ['10.244.0.10'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-a', zone: 'zone-a' });
    expect(eps['web-2']).toMatchObject({ conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-b', zone: 'zone-b' });
    expect(eps['web-3'].conditions).toEqual({ ready: false, serving: false, terminating: false });

    // web-1 fails its readiness probe; web-3 passes.
    await h.setStatus('web-1', { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:01:00Z' }] });
    await h.setStatus('web-3', { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:01:00Z' }] });
    await h.run();
    eps = byPod((await h.mine())[0]);
    expect(eps['web-1'].conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(eps['web-3'].conditions).toEqual({ ready: true, serving: true, terminating: false });

    // A graceful delete: web-2 is terminating (still serving) until its grace period ends.
    await h.pods.delete('web-2');
    await h.run();
    eps = byPod((await h.mine())[0]);
    expect(eps['web-2'].conditions).toEqual({ ready: false, serving: true, terminating: true });

    await h.pods.delete('web-2', { gracePeriodSeconds: 0 });
    await h.pods.delete('web-1', { gracePeriodSeconds: 0 });
    await h.run();
    eps = byPod((await h.mine())[0]);
    expect(Object.keys(eps)).toEqual(['web-3']);
    expect(h.ctrl.syncs.error).toBe(0);
    h.ctrl.stop();
  });

  it('scales to 250 pods in three slices, and a pod whose named port differs gets a slice of its own', async () => {
    const h = await setup();
    await h.cs.coreV1().services('default').create(service as unknown as KubeObject);
    for (let i = 0; i < 250; i++) await h.pod(`web-${i}`, i % 2 ? 'node-a' : 'node-b');
    await h.run();
    let slices = await h.mine();
    expect(slices.map((s) => s.endpoints.length).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    // A new version of the app serves `http` on 9090: its endpoints group by their port.
    await h.pod('web-v2', 'node-a', true, 9090);
    await h.run();
    slices = await h.mine();
    expect(slices.map((s) => [s.ports?.[0].port, s.endpoints.length]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!)).toEqual([[8080, 50], [8080, 100], [8080, 100], [9090, 1]]);
    h.ctrl.stop();
  });

  it('a Service port change updates every slice in place; deleting the Service stops the syncs', async () => {
    const h = await setup();
    await h.cs.coreV1().services('default').create(service as unknown as KubeObject);
    for (let i = 0; i < 120; i++) await h.pod(`web-${i}`, 'node-a');
    await h.run();
    const before = (await h.mine()).map((s) => s.metadata.name).sort();
    const generations = Object.fromEntries((await h.mine()).map((s) => [s.metadata.name, s.metadata.generation!]));
    const svc = (await h.cs.coreV1().services('default').get('web')) as unknown as Service;
    svc.spec.ports = [{ name: 'http', port: 80, targetPort: 8443, protocol: 'TCP' }];
    await h.cs.coreV1().services('default').update(svc as unknown as KubeObject);
    await h.run();
    const after = await h.mine();
    expect(after.map((s) => s.metadata.name).sort()).toEqual(before);
    expect(after.every((s) => s.ports?.[0].port === 8443)).toBe(true);
    expect(after.map((s) => s.metadata.generation! - generations[s.metadata.name!])).toEqual([1, 1]);
    await h.cs.coreV1().services('default').delete('web');
    await h.run();
    const syncs = h.ctrl.syncs.success;
    await h.pod('late', 'node-a');
    await h.run();
    // The pod matches no Service any more: nothing is queued.
    expect(h.ctrl.syncs.success).toBe(syncs);
    h.ctrl.stop();
  });

  it('a targetPort renamed to a port only some pods name splits the endpoints: those without it get a slice with no ports', async () => {
    const h = await setup();
    await h.cs.coreV1().services('default').create(service as unknown as KubeObject);
    await h.pod('web-1', 'node-a');
    await h.pod('web-2', 'node-b');
    // web-3 also serves `metrics` on 9100.
    await h.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-3', labels: { app: 'web' } }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }] }] } } as KubeObject);
    await h.setStatus('web-3', { phase: 'Running', podIP: '10.244.0.99', podIPs: [{ ip: '10.244.0.99' }], conditions: [{ type: 'Ready', status: 'True' }] });
    await h.run();
    expect((await h.mine()).map((s) => s.endpoints.length)).toEqual([3]);
    const svc = (await h.cs.coreV1().services('default').get('web')) as unknown as Service;
    svc.spec.ports = [{ name: 'http', port: 80, targetPort: 'metrics', protocol: 'TCP' }];
    await h.cs.coreV1().services('default').update(svc as unknown as KubeObject);
    await h.run();
    const groups = (await h.mine()).map((s) => [JSON.stringify(s.ports), s.endpoints.map((e) => e.targetRef?.name).sort()]).sort();
    expect(groups).toEqual([
      ['[]', ['web-1', 'web-2']],
      ['[{"name":"http","protocol":"TCP","port":9100}]', ['web-3']],
    ]);
    h.ctrl.stop();
  });

  it('a sync that keeps failing is retried with backoff and dropped after maxRetries (15)', async () => {
    const h = await setup();
    await h.cs.coreV1().services('default').create(service as unknown as KubeObject);
    await h.pod('lost', 'node-gone');
    await h.run();
    const errors = () => h.trace.ofType('endpointslice.sync').filter((e) => (e as unknown as { error: string }).error.includes('Node node-gone Not Found'));
    const first = errors()[0].t;
    // 1 s doubling, capped at 1,000 s: 15 retries take 1+2+...+512 s and five times 1,000 s.
    await runUntilIdle(h.cluster.clock, { forMs: 10_000_000 });
    const all = errors();
    expect(all).toHaveLength(16);
    expect(all.at(-1)!.t - first).toBe((1023 + 5 * 1000) * 1000);
    expect(h.ctrl.serviceQueue.numRequeues('default/web')).toBe(0);
    h.ctrl.stop();
  });

  it('pod changes wait out --endpointslice-updates-batch-period and are synced together', async () => {
    const h = await setup();
    const ctrl = newEndpointSliceController({ client: h.cs, clock: h.cluster.clock, rng: rngFromSeed(2), endpointUpdatesBatchPeriodMs: 5000, trace: h.trace });
    h.ctrl.stop();
    await runUntilSettled(h.cluster.clock, ctrl.run());
    await h.cs.coreV1().services('default').create(service as unknown as KubeObject);
    await h.run();
    const before = h.trace.ofType('endpointslice.sync').length;
    for (let i = 0; i < 4; i++) await h.pod(`web-${i}`, 'node-a');
    await h.run();
    const syncs = h.trace.ofType('endpointslice.sync').slice(before) as unknown as { t: number; updated: number; created: number }[];
    expect(syncs.filter((e) => e.updated + e.created > 0)).toHaveLength(1);
    expect((await h.mine())[0].endpoints).toHaveLength(4);
    ctrl.stop();
  });

  it('topology-mode: Auto hints each endpoint to its zone (equal CPU per zone) and records TopologyAwareHintsEnabled', async () => {
    const h = await setup();
    await h.cs.coreV1().services('default').create({ ...service, metadata: { ...service.metadata, annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } } } as unknown as KubeObject);
    for (let i = 0; i < 4; i++) await h.pod(`web-${i}`, i % 2 ? 'node-a' : 'node-b');
    await h.run();
    const eps = (await h.mine()).flatMap((s) => s.endpoints);
    expect(eps).toHaveLength(4);
    expect(eps.map((e) => [e.zone, e.hints?.forZones?.[0]?.name])).toEqual(eps.map((e) => [e.zone, e.zone]));
    const events = (await h.cs.coreV1().events('default').list()).items as unknown as { reason: string; message: string; type: string; source: { component: string }; involvedObject: { kind: string; name: string } }[];
    const enabled = events.filter((e) => e.reason === 'TopologyAwareHintsEnabled');
    expect(enabled.length).toBeGreaterThan(0);
    expect(enabled[0]).toMatchObject({ type: 'Normal', message: 'Topology Aware Hints has been enabled, addressType: IPv4', source: { component: 'endpoint-slice-controller' }, involvedObject: { kind: 'Service', name: 'web' } });
    h.ctrl.stop();
  });

  it('its own writes echoed by the informer trigger no further sync', async () => {
    const h = await setup();
    await h.cs.coreV1().services('default').create(service as unknown as KubeObject);
    for (let i = 0; i < 3; i++) await h.pod(`web-${i}`, 'node-a');
    await h.run();
    const syncs = h.trace.ofType('endpointslice.sync').filter((e) => e.type === 'endpointslice.sync' && (e as { service?: string }).service === 'default/web');
    // Service add, then the pods (their status patches), and nothing after the slice writes come back.
    const last = syncs.at(-1) as unknown as { created: number; updated: number; deleted: number };
    expect(last).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    const writes = syncs.filter((e) => (e as unknown as { created: number; updated: number }).created + (e as unknown as { updated: number }).updated > 0);
    expect(writes.length).toBeGreaterThan(0);
    expect(h.ctrl.syncs).toMatchObject({ error: 0, stale: 0 });
    h.ctrl.stop();
  });

  it('the same seed gives the same slices, names and all', async () => {
    const names = async () => {
      const h = await setup(9);
      await h.cs.coreV1().services('default').create(service as unknown as KubeObject);
      for (let i = 0; i < 130; i++) await h.pod(`web-${i}`, 'node-a');
      await h.run();
      h.ctrl.stop();
      return JSON.stringify((await h.mine()).map((s) => [s.metadata.name, s.endpoints.map((e) => e.targetRef?.name)]));
    };
    expect(await names()).toBe(await names());
  });

  describe('--max-endpoints-per-slice and --concurrent-service-endpoint-syncs are checked as kube-controller-manager does', () => {
    const cases = [
      { ref: 'EndpointSliceControllerOptions.Validate/max 0', o: { maxEndpointsPerSlice: 0 }, err: 'max-endpoints-per-slice must not be less than 1, but got 0' },
      { ref: 'EndpointSliceControllerOptions.Validate/max 1001', o: { maxEndpointsPerSlice: 1001 }, err: 'max-endpoints-per-slice must not be more than 1000, but got 1001' },
      { ref: 'EndpointSliceControllerOptions.Validate/syncs 51', o: { concurrentServiceEndpointSyncs: 51 }, err: 'concurrent-service-endpoint-syncs must not be more than 50, but got 51' },
      { ref: 'EndpointSliceControllerOptions.Validate/max 1000', o: { maxEndpointsPerSlice: 1000 }, err: '' },
    ];
    for (const c of cases) {
      it(c.ref, async () => {
        const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
        const make = () => newEndpointSliceController({ client: cluster.clientset(), clock: cluster.clock, rng: rngFromSeed(1), ...c.o });
        if (c.err) {
          expect(make).toThrow(EndpointSliceOptionsError);
          expect(make).toThrow(c.err);
        } else expect(make()).toBeInstanceOf(EndpointSliceController);
      });
    }
  });
});

export type { Pod };
