// A StatefulSet written as a manifest (the web.yaml tab), applied from code, with
// kube-controller-manager's StatefulSet controller and a stand-in kubelet running on the cluster.
import {
  labFile, newFakeKubelet, newLabCluster, newStatefulSetController, parseManifests, rngFromSeed, runUntilIdle,
  runUntilSettled, setLogVerbosity, type Clientset, type KubeObject,
} from 'kubelab';

/** The objects to apply: the web.yaml tab, as you edit it. */
export function manifests(): KubeObject[] {
  return parseManifests(labFile('web.yaml'), 'web.yaml');
}

/** Creates each object, or replaces it if it exists (as `kubectl apply` would end up). */
export async function apply(client: Clientset, objects: KubeObject[]): Promise<void> {
  for (const obj of objects) {
    const api = obj.kind === 'Service' ? client.coreV1().services('default') : client.appsV1().statefulSets('default');
    const existing = await api.get(obj.metadata.name as string).catch(() => undefined);
    if (!existing) await api.create(obj);
    else if (obj.kind === 'StatefulSet') await api.update({ ...obj, metadata: { ...obj.metadata, resourceVersion: existing.metadata.resourceVersion } });
  }
}

// ---- Run me: apply, and watch the pods arrive ----
setLogVerbosity(0);
// A scratch cluster of its own: the terminal's cluster is a real one (scheduler, controllers,
// two nodes, local-path storage), where `kubectl apply -f web.yaml` runs the same set for real.
const cluster = await newLabCluster();
const clock = cluster.clock;
const controller = newStatefulSetController({ client: cluster.clientset({ qps: -1, userAgent: 'kube-controller-manager' }), clock, rng: rngFromSeed('statefulset') });
// Each pod becomes Running and Ready 3 s after it is created; a deleted pod is gone 1 s later.
const kubelet = newFakeKubelet({ client: cluster.clientset({ qps: -1, userAgent: 'kubelet' }), clock, rng: rngFromSeed('kubelet'), nodeName: 'node-1', readyAfterMs: 3000 });
await runUntilSettled(clock, Promise.all([controller.run(), kubelet.run()]));
const kubectl = cluster.clientset({ qps: -1, userAgent: 'kubectl' });
const t0 = clock.now();
await apply(kubectl, manifests());

let last = '';
for (let s = 1; s <= 15; s++) {
  await runUntilIdle(clock, { forMs: 1000 });
  const pods = (await kubectl.coreV1().pods('default').list()).items.filter((p) => p.metadata.labels?.app === 'web');
  const row = pods.map((p) => `${p.metadata.name} ${(p.status as { conditions?: { type: string; status: string }[] })?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Ready' : 'Pending'}`).join(', ');
  if (row !== last) console.log(`${((clock.now() - t0) / 1000).toFixed(1).padStart(5)} s  ${row || '(no pods)'}`);
  last = row;
}
const pvcs = kubectl.dynamic().resource({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }).namespace('default');
const claims = (await pvcs.list()).items.map((c) => c.metadata.name);
console.log(`claims: ${claims.join(', ') || '(none)'}`);
controller.stop();
kubelet.stop();
console.log('Now in the terminal: kubectl apply -f web.yaml, then watch kubectl get pods,pvc');
