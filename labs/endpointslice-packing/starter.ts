import { labCluster, newEndpointSliceReconciler, type EndpointSlice, type Pod, type Service } from 'kubelab';

/** A slice as this lab sees it: its name, the port its endpoints listen on, the pods in it. */
export interface SliceView {
  name: string;
  port: number;
  pods: string[];
}

/** A pod the Service selects, with the number its `targetPort: http` resolves to in that pod. */
export interface Member {
  pod: string;
  port: number;
}

/** What one sync leaves, and the writes it takes (a create turned into an update counts as an update). */
export interface Packing {
  slices: SliceView[];
  created: number;
  updated: number;
  deleted: number;
}

// Step 1: the slices after each stage of the run below (maxEndpointsPerSlice 5), sizes largest
// first, and the writes of that sync. Predict, then Run.
export const predictions = {
  /** web-0 … web-11 are created. */
  create12: { sizes: [] as number[], created: 0, updated: 0, deleted: 0 },
  /** web-12 and web-13 join. */
  scaleTo14: { sizes: [] as number[], created: 0, updated: 0, deleted: 0 },
  /** web-9 … web-13 are deleted. */
  scaleTo9: { sizes: [] as number[], created: 0, updated: 0, deleted: 0 },
  /** web-14 … web-21 join. */
  scaleTo17: { sizes: [] as number[], created: 0, updated: 0, deleted: 0 },
  /** A new image names containerPort 9090 `http`; every pod is replaced in place by one that does. */
  portTo9090: { sizes: [] as number[], created: 0, updated: 0, deleted: 0 },
};

/**
 * The slices the EndpointSlice reconciler leaves after one sync of `members` into slices of at
 * most `max` endpoints, starting from `existing`, and the writes it takes. Name a new slice ''.
 * This version packs from scratch each time, which is not what the reconciler does.
 */
export function pack(existing: SliceView[], members: Member[], max: number): Packing {
  const slices: SliceView[] = [];
  for (let i = 0; i < members.length; i += max) {
    slices.push({ name: '', port: members[i].port, pods: members.slice(i, i + max).map((m) => m.pod) });
  }
  return { slices, created: slices.length, updated: 0, deleted: existing.length };
}

// ---- Run me: the real reconciler (maxEndpointsPerSlice 5) writes the slices into the lab's cluster ----
const client = labCluster().clientset({ qps: -1 });
const reconciler = newEndpointSliceReconciler({ client, maxEndpointsPerSlice: 5 });
const service: Service = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 'web-uid' },
  spec: { clusterIP: '10.96.0.50', ipFamilies: ['IPv4'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] },
};
const pod = (i: number, port: number): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } },
  spec: { nodeName: 'node-a', containers: [{ name: 'web', image: 'agnhost', ports: [{ name: 'http', containerPort: port }] }] },
  status: { phase: 'Running', podIP: `10.244.0.${10 + i}`, podIPs: [{ ip: `10.244.0.${10 + i}` }], conditions: [{ type: 'Ready', status: 'True' }] },
});
const range = (from: number, to: number, port = 8080) => Array.from({ length: to - from }, (_, k) => pod(from + k, port));
const view = (s: EndpointSlice): SliceView => ({ name: s.metadata.name ?? '', port: s.ports?.[0]?.port ?? 0, pods: s.endpoints.map((e) => e.targetRef?.name ?? '') });
const slicesOfWeb = async () => ((await client.discoveryV1().endpointSlices('default').list({ labelSelector: 'kubernetes.io/service-name=web' })).items as unknown as EndpointSlice[]);

const stages: [keyof typeof predictions, Pod[]][] = [
  ['create12', range(0, 12)],
  ['scaleTo14', range(0, 14)],
  ['scaleTo9', range(0, 9)],
  ['scaleTo17', [...range(0, 9), ...range(14, 22)]],
  ['portTo9090', [...range(0, 9, 9090), ...range(14, 22, 9090)]],
];
for (const old of await slicesOfWeb()) await client.discoveryV1().endpointSlices('default').delete(old.metadata.name ?? '');
for (const [stage, pods] of stages) {
  const before = await slicesOfWeb();
  const yours = pack(before.map(view), pods.map((p) => ({ pod: p.metadata.name ?? '', port: p.spec.containers[0].ports?.[0].containerPort ?? 0 })), 5);
  const r = await reconciler.reconcile(service, pods, before);
  const after = await slicesOfWeb();
  const sizes = after.map((s) => s.endpoints.length).sort((a, b) => b - a);
  console.log(`${stage}: reconciler [${sizes}] +${r.created.length} ~${r.updated.length} -${r.deleted.length} | predicted [${predictions[stage].sizes}] | pack() [${yours.slices.map((s) => s.pods.length).sort((a, b) => b - a)}] +${yours.created} ~${yours.updated} -${yours.deleted}`);
  for (const s of after) console.log(`  ${s.metadata.name}  port ${s.ports?.[0]?.port}  ${s.endpoints.map((e) => e.targetRef?.name).join(' ')}`);
}
