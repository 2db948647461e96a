import { describe, expect, it } from 'vitest';
import { SliceLab } from './slice-playground';
import { newEndpointSliceReconciler, newEnv, newLabCluster, type EndpointSlice, type Pod } from '../../sim/index';

const sizes = (v: { slices: { pods: string[] }[] }) => v.slices.map((s) => s.pods.length).sort((a, b) => b - a);

// The widget's slices are the reconciler's: the same sizes and writes as on the API server model.
describe('SlicePlayground syncs', () => {
  it('packs 12, 14, then 9 pods as the reconciler does on the API server model', async () => {
    const lab = new SliceLab(1, 5);
    lab.scale(12);
    const a = await lab.sync();
    lab.scale(2);
    const b = await lab.sync();
    expect([sizes(a), a.created, sizes(b), b.updated, b.created]).toEqual([[5, 5, 2], 3, [5, 5, 4], 1, 0]);
    expect(a.slices.every((s) => /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(s.name))).toBe(true);

    // The same pods through the real API server: the same sizes.
    const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
    const client = cluster.clientset({ qps: -1 });
    const r = newEndpointSliceReconciler({ client, maxEndpointsPerSlice: 5 });
    const pod = (k: number): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${k}`, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }] }] }, status: { podIP: `10.244.1.${10 + k}`, podIPs: [{ ip: `10.244.1.${10 + k}` }], conditions: [{ type: 'Ready', status: 'True' }] } });
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 'u' }, spec: { clusterIP: '10.96.0.50', ipFamilies: ['IPv4'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] } } as const;
    const list = async () => ((await client.discoveryV1().endpointSlices('default').list({ labelSelector: 'kubernetes.io/service-name=web' })).items as unknown as EndpointSlice[]);
    await r.reconcile(structuredClone(svc) as never, Array.from({ length: 12 }, (_, k) => pod(k)), await list());
    const w = await r.reconcile(structuredClone(svc) as never, Array.from({ length: 14 }, (_, k) => pod(k)), await list());
    expect([(await list()).map((s) => s.endpoints.length).sort((x, y) => y - x), w.updated.length]).toEqual([[5, 5, 4], 1]);
  });

  it('a port change on every pod rewrites every slice as updates (finalize recycles the names)', async () => {
    const lab = new SliceLab(1, 5);
    lab.scale(12);
    const before = (await lab.sync()).slices.map((s) => s.name).sort();
    lab.setHttpPort(9090);
    const v = await lab.sync();
    expect([v.created, v.updated, v.deleted.length]).toEqual([0, 3, 0]);
    expect(v.slices.map((s) => s.name).sort()).toEqual(before);
    expect(v.slices.every((s) => s.ports === 'http:9090')).toBe(true);
  });

  it('half the pods on another port: two port mappings, packed apart', async () => {
    const lab = new SliceLab(1, 5);
    lab.scale(12);
    await lab.sync();
    lab.setHttpPort(9090, true);
    const v = await lab.sync();
    const byPorts = (p: string) => v.slices.filter((s) => s.ports === p).reduce((n, s) => n + s.pods.length, 0);
    expect([byPorts('http:8080'), byPorts('http:9090')]).toEqual([6, 6]);
    expect(v.slices.every((s) => s.pods.length <= 5)).toBe(true);
  });

  it('scaled to zero, one placeholder slice stays', async () => {
    const lab = new SliceLab(1, 5);
    lab.scale(7);
    await lab.sync();
    lab.scale(-7);
    const v = await lab.sync();
    expect(v.slices.map((s) => [s.pods.length, s.ports])).toEqual([[0, '(none)']]);
  });

  it('refuses a maxEndpointsPerSlice out of the flag range with kube-controller-manager\'s message', () => {
    expect(() => new SliceLab(1, 1001)).toThrow('max-endpoints-per-slice must not be more than 1000, but got 1001');
    expect(() => new SliceLab(1, 0)).toThrow('max-endpoints-per-slice must not be less than 1, but got 0');
  });
});
