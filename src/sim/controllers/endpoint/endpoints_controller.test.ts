import { describe, expect, it } from 'vitest';
import type { Endpoints, Pod, Service } from '../../api/core/v1';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { endpointSubsetsEqualIgnoreResourceVersion, maxCapacity, truncateEndpoints } from './endpoints';
import type { EndpointSubset } from '../../api/core/v1';
import { newEndpointsController } from './endpoints_controller';
import { repackSubsets } from './repack';

describe('truncateEndpoints (pkg/controller/endpoint)', () => {
  const cases = [
    { ref: 'TestTruncateEndpoints/empty', ready: [], notReady: [], wantReady: [], wantNotReady: [] },
    { ref: 'TestTruncateEndpoints/total endpoints < max capacity', ready: [50, 100, 100, 100, 100], notReady: [50, 100, 100, 100, 100], wantReady: [50, 100, 100, 100, 100], wantNotReady: [50, 100, 100, 100, 100] },
    { ref: 'TestTruncateEndpoints/total endpoints = max capacity', ready: [100, 100, 100, 100, 100], notReady: [100, 100, 100, 100, 100], wantReady: [100, 100, 100, 100, 100], wantNotReady: [100, 100, 100, 100, 100] },
    { ref: 'TestTruncateEndpoints/total ready endpoints < max capacity, but total endpoints > max capacity', ready: [90, 110, 50, 10, 20], notReady: [101, 200, 200, 201, 298], wantReady: [90, 110, 50, 10, 20], wantNotReady: [73, 144, 144, 145, 214] },
    { ref: 'TestTruncateEndpoints/total ready endpoints > max capacity', ready: [205, 400, 402, 400, 693], notReady: [100, 200, 200, 200, 300], wantReady: [98, 191, 192, 191, 328], wantNotReady: [0, 0, 0, 0, 0] },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const addrs = (n: number) => Array.from({ length: n }, () => ({ ip: '' }));
      const ep: Endpoints = { metadata: {}, subsets: c.ready.map((n, i) => ({ addresses: addrs(n), notReadyAddresses: addrs(c.notReady[i]) })) };
      truncateEndpoints(ep);
      expect(ep.subsets!.map((s) => s.addresses!.length)).toEqual(c.wantReady);
      expect(ep.subsets!.map((s) => s.notReadyAddresses!.length)).toEqual(c.wantNotReady);
    });
  }
});

describe('endpointSubsetsEqualIgnoreResourceVersion', () => {
  const es1: EndpointSubset = { addresses: [{ ip: '1.1.1.1', targetRef: { kind: 'Pod', name: 'pod1-1', namespace: 'ns', resourceVersion: '1' } }], notReadyAddresses: [{ ip: '1.1.1.2', targetRef: { kind: 'Pod', name: 'pod1-2', namespace: 'ns2', resourceVersion: '2' } }], ports: [{ port: 8081, protocol: 'TCP' }] };
  const es2: EndpointSubset = { addresses: [{ ip: '2.2.2.1', targetRef: { kind: 'Pod', name: 'pod2-1', namespace: 'ns', resourceVersion: '3' } }], notReadyAddresses: [{ ip: '2.2.2.2', targetRef: { kind: 'Pod', name: 'pod2-2', namespace: 'ns2', resourceVersion: '4' } }], ports: [{ port: 8082, protocol: 'TCP' }] };
  const mut = (o: EndpointSubset, f: (s: EndpointSubset) => void) => {
    const c = structuredClone(o);
    f(c);
    return c;
  };
  const cases: [string, EndpointSubset[], EndpointSubset[], boolean][] = [
    ['Subsets removed', [es1, es2], [es1], false],
    ['Ready Pod IP changed', [es1, es2], [mut(es1, (s) => (s.addresses![0].ip = '1.1.1.10')), es2], false],
    ['NotReady Pod IP changed', [es1, es2], [es1, mut(es2, (s) => (s.notReadyAddresses![0].ip = '2.2.2.10'))], false],
    ['Pod ResourceVersion changed', [es1, es2], [es1, mut(es2, (s) => (s.addresses![0].targetRef!.resourceVersion = '100'))], true],
    ['Pod ResourceVersion removed', [es1, es2], [es1, mut(es2, (s) => (s.addresses![0].targetRef!.resourceVersion = ''))], true],
    ['Ports changed', [es1, es2], [es1, mut(es1, (s) => (s.ports![0].port = 8082))], false],
  ];
  for (const [name, a, b, want] of cases) it(`TestEndpointSubsetsEqualIgnoreResourceVersion/${name}`, () => expect(endpointSubsetsEqualIgnoreResourceVersion(a, b)).toBe(want));
});

describe('repackSubsets (pkg/api/v1/endpoints)', () => {
  it('groups addresses by the ports they offer, dedupes them, and keeps not-ready over ready', () => {
    const a = { ip: '10.0.0.2', targetRef: { kind: 'Pod', uid: 'a' } };
    const b = { ip: '10.0.0.1', targetRef: { kind: 'Pod', uid: 'b' } };
    const p80 = { port: 80, protocol: 'TCP' as const };
    const p443 = { port: 443, protocol: 'TCP' as const };
    const out = repackSubsets([
      { addresses: [a], ports: [p80] },
      { addresses: [b], ports: [p80] },
      { addresses: [a], ports: [p443] },
      { notReadyAddresses: [b], ports: [p443] },
      { addresses: [b], ports: [p443] },
    ]);
    // Subsets in the model's order (by their JSON; upstream's is by md5).
    expect(out).toEqual([
      { addresses: [b, a], ports: [p80] },
      { addresses: [a], notReadyAddresses: [b], ports: [p443] },
    ]);
  });
});

async function setup() {
  const cluster = await newLabCluster({ env: newEnv({ seed: 3 }) });
  const cs = cluster.clientset({ qps: -1 });
  await cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } } as KubeObject);
  const ctrl = newEndpointsController({ client: cs, clock: cluster.clock, rng: rngFromSeed(3) });
  await runUntilSettled(cluster.clock, ctrl.run());
  return { cluster, cs, ctrl, run: () => runUntilIdle(cluster.clock, { forMs: 5000 }) };
}

/** Upstream's addPods: `pod<i>` labelled foo=bar, ready ones first, each with one port 8080+i%1. */
function testPods(ns: string, numReady: number, numNotReady: number): Pod[] {
  return Array.from({ length: numReady + numNotReady }, (_, i) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { namespace: ns, name: `pod${i}`, labels: { foo: 'bar' }, resourceVersion: '1', uid: `uid-${i}` },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', ports: [{ name: 'port0', containerPort: 8080 }] }] },
    status: { podIP: `10.1.${i >> 8}.${i & 255}`, podIPs: [{ ip: `10.1.${i >> 8}.${i & 255}` }], conditions: [{ type: 'Ready', status: i < numReady ? 'True' : 'False' }] },
  }));
}

describe('Endpoints controller on the API server (pkg/controller/endpoint)', () => {
  describe('Endpoints over 1,000 addresses are truncated and annotated', () => {
    const cases = [
      { ref: 'TestSyncServiceOverCapacity/empty', start: undefined, existing: 0, desired: 0, desiredNotReady: 0, wantReady: 0, wantNotReady: 0, annotated: false },
      { ref: 'TestSyncServiceOverCapacity/annotation added past capacity, < than maxCapacity of Ready Addresses', start: undefined, existing: maxCapacity - 1, desired: maxCapacity - 3, desiredNotReady: 4, wantReady: maxCapacity - 3, wantNotReady: 3, annotated: true },
      { ref: 'TestSyncServiceOverCapacity/annotation added past capacity, maxCapacity of Ready Addresses ', start: undefined, existing: maxCapacity - 1, desired: maxCapacity, desiredNotReady: 10, wantReady: maxCapacity, wantNotReady: 0, annotated: true },
      { ref: 'TestSyncServiceOverCapacity/annotation removed below capacity', start: 'truncated', existing: maxCapacity - 1, desired: maxCapacity - 1, desiredNotReady: 0, wantReady: maxCapacity - 1, wantNotReady: 0, annotated: false },
      { ref: 'TestSyncServiceOverCapacity/annotation was set to warning previously, annotation removed at capacity', start: 'warning', existing: maxCapacity, desired: maxCapacity, desiredNotReady: 0, wantReady: maxCapacity, wantNotReady: 0, annotated: false },
      { ref: 'TestSyncServiceOverCapacity/annotation was set to warning previously but still over capacity', start: 'warning', existing: maxCapacity + 1, desired: maxCapacity + 1, desiredNotReady: 0, wantReady: maxCapacity, wantNotReady: 0, annotated: true },
      { ref: 'TestSyncServiceOverCapacity/annotation removed at capacity', start: 'truncated', existing: maxCapacity, desired: maxCapacity, desiredNotReady: 0, wantReady: maxCapacity, wantNotReady: 0, annotated: false },
      { ref: 'TestSyncServiceOverCapacity/no endpoints change, annotation value corrected', start: 'invalid', existing: maxCapacity + 1, desired: maxCapacity + 1, desiredNotReady: 0, wantReady: maxCapacity, wantNotReady: 0, annotated: true },
    ];
    for (const c of cases) {
      it(c.ref, async () => {
        const h = await setup();
        const pods = testPods('test', c.desired, c.desiredNotReady);
        for (const p of pods) h.ctrl.store('pods')!.add(p as unknown as KubeObject);
        const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'foo', namespace: 'test' }, spec: { selector: { foo: 'bar' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], ipFamilies: ['IPv4'] } };
        h.ctrl.store('services')!.add(svc as unknown as KubeObject);
        // The existing Endpoints: the first `existing` pods as ready addresses (written past the cap, as an older controller could).
        const ep: Endpoints = {
          apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'foo', namespace: 'test', annotations: c.start ? { 'endpoints.kubernetes.io/over-capacity': c.start } : {} },
          subsets: c.existing ? [{ addresses: testPods('test', c.existing, 0).map((p) => ({ ip: p.status!.podIP!, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'test', name: p.metadata.name, uid: p.metadata.uid } })), ports: [{ port: 8080, protocol: 'TCP' }] }] : [],
        };
        await h.cs.coreV1().endpoints('test').create(ep as unknown as KubeObject);
        await h.run();
        await h.ctrl.syncService('test/foo');
        const got = (await h.cs.coreV1().endpoints('test').get('foo')) as unknown as Endpoints;
        const ann = got.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'];
        expect(ann).toBe(c.annotated ? 'truncated' : undefined);
        const sum = (k: 'addresses' | 'notReadyAddresses') => (got.subsets ?? []).reduce((n, s) => n + (s[k]?.length ?? 0), 0);
        expect([sum('addresses'), sum('notReadyAddresses')]).toEqual([c.wantReady, c.wantNotReady]);
        h.ctrl.stop();
      });
    }
  });

  describe('which pods give ready and not-ready addresses', () => {
    const cases: [string, string, boolean, boolean, boolean, number, number][] = [
      // name, phase, ready, terminating, publishNotReadyAddresses, ready addresses, not-ready addresses
      ['pod running phase', 'Running', true, false, false, 1, 0],
      ['pod running phase being deleted', 'Running', true, true, false, 0, 0],
      ['pod unknown phase container ready', 'Unknown', true, false, false, 1, 0],
      ['pod unknown phase container ready being deleted', 'Unknown', true, true, false, 0, 0],
      ['pod pending phase container ready', 'Pending', true, false, false, 1, 0],
      ['pod pending phase container ready being deleted', 'Pending', true, true, false, 0, 0],
      ['pod unknown phase container not ready', 'Unknown', false, false, false, 0, 1],
      ['pod pending phase container not ready', 'Pending', false, false, false, 0, 1],
      ['pod failed phase', 'Failed', false, false, false, 0, 0],
      ['pod succeeded phase', 'Succeeded', false, false, false, 0, 0],
      ['pod running phase and tolerate unready', 'Running', false, false, true, 1, 0],
      ['pod running phase and tolerate unready being deleted', 'Running', false, true, true, 1, 0],
      ['pod unknown phase and tolerate unready', 'Unknown', false, false, true, 1, 0],
      ['pod unknown phase and tolerate unready being deleted', 'Unknown', false, true, true, 1, 0],
      ['pod pending phase and tolerate unready', 'Pending', false, false, true, 1, 0],
      ['pod pending phase and tolerate unready being deleted', 'Pending', false, true, true, 1, 0],
      ['pod failed phase and tolerate unready', 'Failed', false, false, true, 0, 0],
      ['pod succeeded phase and tolerate unready endpoints', 'Succeeded', false, false, true, 0, 0],
    ];
    for (const [name, phase, ready, terminating, tolerate, wantReady, wantNotReady] of cases) {
      it(`TestSyncServiceAddresses/${name}`, async () => {
        const h = await setup();
        const pod: Pod = {
          metadata: { namespace: 'test', name: 'fakepod', labels: { foo: 'bar' }, ...(terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
          spec: { containers: [{ name: 'c', ports: [{ name: 'port1', containerPort: 8080 }] }] },
          status: { phase: phase as 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], podIP: '10.1.1.1', podIPs: [{ ip: '10.1.1.1' }] },
        };
        h.ctrl.store('pods')!.add(pod as unknown as KubeObject);
        h.ctrl.store('services')!.add({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'foo', namespace: 'test' }, spec: { selector: { foo: 'bar' }, publishNotReadyAddresses: tolerate, type: 'ClusterIP', clusterIP: '1.1.1.1', ports: [{ port: 80 }], ipFamilies: ['IPv4'] } } as KubeObject);
        await h.ctrl.syncService('test/foo');
        const got = (await h.cs.coreV1().endpoints('test').get('foo')) as unknown as Endpoints;
        const sum = (k: 'addresses' | 'notReadyAddresses') => (got.subsets ?? []).reduce((n, s) => n + (s[k]?.length ?? 0), 0);
        expect([sum('addresses'), sum('notReadyAddresses')]).toEqual([wantReady, wantNotReady]);
        h.ctrl.stop();
      });
    }
  });

  it('writes ready and not-ready addresses per port, follows readiness, and deletes the Endpoints with the Service', async () => {
    const h = await setup();
    await h.cs.coreV1().services('test').create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'test', labels: { app: 'web' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } } as KubeObject);
    const pods = h.cs.coreV1().pods('test');
    for (const [i, ready] of [[1, true], [2, false]] as const) {
      await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${i}`, labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } } as KubeObject);
      await pods.patch(`web-${i}`, 'application/merge-patch+json', { status: { phase: 'Running', podIP: `10.244.0.${i}`, podIPs: [{ ip: `10.244.0.${i}` }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, undefined, 'status');
    }
    await h.run();
    let ep = (await h.cs.coreV1().endpoints('test').get('web')) as unknown as Endpoints;
    expect(ep.metadata.labels).toEqual({ app: 'web' });
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets![0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets![0].addresses!.map((a) => [a.ip, a.targetRef?.name, a.nodeName])).toEqual([['10.244.0.1', 'web-1', 'node-1']]);
    expect(ep.subsets![0].notReadyAddresses!.map((a) => a.targetRef?.name)).toEqual(['web-2']);

    await pods.patch('web-2', 'application/merge-patch+json', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, undefined, 'status');
    await h.run();
    ep = (await h.cs.coreV1().endpoints('test').get('web')) as unknown as Endpoints;
    expect(ep.subsets![0].addresses!.map((a) => a.targetRef?.name)).toEqual(['web-1', 'web-2']);
    expect(ep.subsets![0].notReadyAddresses).toBeUndefined();

    await h.cs.coreV1().services('test').delete('web');
    await h.run();
    await expect(h.cs.coreV1().endpoints('test').get('web')).rejects.toMatchObject({ status: { code: 404 } });
    h.ctrl.stop();
  });
});
