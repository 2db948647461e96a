/**
 * Fixtures after k8s.io/endpointslice utils_test.go and reconciler_test.go at v0.34.0
 * (`newPod`, `newServiceAndEndpointMeta`, `newEmptyEndpointSlice`, `newReconciler`,
 * `createEndpointSlices`, `fetchEndpointSlices`), over the API server model instead of the fake
 * clientset.
 */
import type { Node, Pod, Service } from '../../../api/core/v1';
import type { EndpointSlice } from '../../../api/discovery/v1';
import { newLabCluster } from '../../../cluster/cluster';
import type { Clientset } from '../../../client/clientset';
import { newEnv } from '../../../core/env';
import type { KubeObject } from '../../../core/object';
import { Reconciler } from '../reconciler';
import type { EndpointMeta } from '../utils';

/** Upstream's newPod: `pod<n>` with label foo=bar on node-1, IP 1.2.3.<4+n>, Ready as asked. */
export function newPod(n: number, namespace: string, ready: boolean, terminating = false): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name: `pod${n}`, labels: { foo: 'bar' }, resourceVersion: String(n), ...(terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'container-1' }], nodeName: 'node-1' },
    status: { podIP: `1.2.3.${4 + n}`, podIPs: [{ ip: `1.2.3.${4 + n}` }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

/** Upstream's newServiceAndEndpointMeta: a single-stack IPv4 Service selecting foo=bar, port `name` targeting 80. */
export function newServiceAndEndpointMeta(name: string, namespace: string): [Service, EndpointMeta] {
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, uid: `${namespace}-${name}` },
    spec: { ports: [{ name, port: 80, targetPort: 80, protocol: 'TCP' }], selector: { foo: 'bar' }, ipFamilies: ['IPv4'] },
  };
  return [svc, { addressType: 'IPv4', ports: [{ name, port: 80, protocol: 'TCP' }] }];
}

/** Upstream's newEmptyEndpointSlice: `<service>-<n>`, owned by the Service. */
export function newEmptyEndpointSlice(n: number, namespace: string, meta: EndpointMeta, svc: Service): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc.metadata.name}-${n}`, namespace, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }] },
    ports: meta.ports.map((p) => ({ ...p })),
    addressType: meta.addressType,
    endpoints: [],
  };
}

export function node(name: string, labels: Record<string, string> = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {}, status: {} };
}

/** A cluster with namespace `test` and an unthrottled client (the reconciler's writes take no virtual time). */
export async function newTestClient(): Promise<Clientset> {
  const cluster = await newLabCluster({ env: newEnv({ seed: 11 }) });
  const cs = cluster.clientset({ qps: -1 });
  await cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } } as KubeObject);
  return cs;
}

/** Upstream's newReconciler: nodes in a lister, the given max per slice. */
export function newReconciler(client: Clientset, nodes: Node[], maxEndpointsPerSlice = 100): Reconciler {
  const byName = new Map(nodes.map((n) => [n.metadata.name ?? '', n]));
  return new Reconciler({ client, nodeLister: { get: (n) => byName.get(n) }, maxEndpointsPerSlice });
}

/** Creates the slices; returns them as the API server stored them (as an informer would list them). */
export async function createEndpointSlices(client: Clientset, namespace: string, slices: EndpointSlice[]): Promise<EndpointSlice[]> {
  const out: EndpointSlice[] = [];
  for (const s of slices) out.push((await client.discoveryV1().endpointSlices(namespace).create(structuredClone(s) as unknown as KubeObject)) as unknown as EndpointSlice);
  return out;
}

export async function fetchEndpointSlices(client: Clientset, namespace: string): Promise<EndpointSlice[]> {
  return (await client.discoveryV1().endpointSlices(namespace).list()).items as unknown as EndpointSlice[];
}

/** Upstream's expectUnorderedSlicesWithLengths, as a sorted list to compare. */
export function lengths(slices: EndpointSlice[]): number[] {
  return slices.map((s) => s.endpoints?.length ?? 0).sort((a, b) => a - b);
}
