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
  create12: { sizes: [5, 5, 2], created: 3, updated: 0, deleted: 0 },
  /** web-12 and web-13 join. */
  scaleTo14: { sizes: [5, 5, 4], created: 0, updated: 1, deleted: 0 },
  /** web-9 … web-13 are deleted. */
  scaleTo9: { sizes: [5, 4], created: 0, updated: 1, deleted: 1 },
  /** web-14 … web-21 join. */
  scaleTo17: { sizes: [5, 5, 4, 3], created: 2, updated: 0, deleted: 0 },
  /** A new image names containerPort 9090 `http`; every pod is replaced in place by one that does. */
  portTo9090: { sizes: [5, 5, 5, 2], created: 0, updated: 4, deleted: 0 },
};

/**
 * The slices the EndpointSlice reconciler leaves after one sync, per port mapping:
 * 1. endpoints already in a slice stay there; a slice that lost some is updated, one that lost
 *    all is deleted, one that lost none is left alone;
 * 2. new endpoints first fill the slices being updated anyway, fullest first;
 * 3. what remains goes into new full slices, and a last part smaller than a slice into the
 *    untouched slice it brings closest to full (or a new slice if none has room).
 * Then, as finalize does, each create paired with a delete becomes an update of the deleted
 * slice: the same write count, but fewer objects appear and vanish for watchers.
 */
// Upstream: k8s.io/endpointslice reconciler.go (reconcileByPortMapping, finalize) and utils.go (getSliceToFill)
export function pack(existing: SliceView[], members: Member[], max: number): Packing {
  const desiredByPort = new Map<number, Set<string>>();
  for (const m of members) {
    if (!desiredByPort.has(m.port)) desiredByPort.set(m.port, new Set());
    desiredByPort.get(m.port)!.add(m.pod);
  }
  const kept: SliceView[] = [];
  const toUpdate: SliceView[] = [];
  const toCreate: SliceView[] = [];
  // A port mapping no pod has any more loses all its slices.
  const toDelete = existing.filter((s) => !desiredByPort.has(s.port));

  for (const [port, left] of desiredByPort) {
    const unchanged: SliceView[] = [];
    const changed: SliceView[] = [];
    for (const s of existing.filter((x) => x.port === port)) {
      const stay = s.pods.filter((p) => left.delete(p));
      if (stay.length === s.pods.length) unchanged.push(s);
      else if (stay.length === 0) toDelete.push(s);
      else changed.push({ ...s, pods: stay });
    }
    const take = () => {
      const pod = left.values().next().value as string;
      left.delete(pod);
      return pod;
    };
    // Slices written anyway take new endpoints first: no extra write for them.
    for (const s of [...changed].sort((a, b) => b.pods.length - a.pods.length)) {
      while (left.size > 0 && s.pods.length < max) s.pods.push(take());
    }
    while (left.size > 0) {
      let target = left.size < max ? closestToFull(unchanged, left.size, max) : undefined;
      if (target) {
        unchanged.splice(unchanged.indexOf(target), 1);
        target = { ...target, pods: [...target.pods] };
        changed.push(target);
      } else {
        target = { name: '', port, pods: [] };
        toCreate.push(target);
      }
      while (left.size > 0 && target.pods.length < max) target.pods.push(take());
    }
    kept.push(...unchanged);
    toUpdate.push(...changed);
  }

  // finalize: recycle a slice about to be deleted instead of creating one.
  while (toCreate.length > 0 && toDelete.length > 0) {
    const slice = toCreate.pop()!;
    slice.name = toDelete.shift()!.name;
    toUpdate.push(slice);
  }
  return { slices: [...kept, ...toUpdate, ...toCreate], created: toCreate.length, updated: toUpdate.length, deleted: toDelete.length };
}

/** The slice that `n` more endpoints fill most, without going over `max`; ties go to the first. */
// Upstream: k8s.io/endpointslice utils.go (getSliceToFill)
function closestToFull(slices: SliceView[], n: number, max: number): SliceView | undefined {
  let best: SliceView | undefined;
  let bestRoom = max;
  for (const s of slices) {
    const room = max - (s.pods.length + n);
    if (room >= 0 && room < bestRoom) {
      best = s;
      bestRoom = room;
    }
  }
  return best;
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
