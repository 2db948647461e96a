import {
  isNotFound,
  labCluster,
  labFile,
  labels,
  newGarbageCollector,
  parseManifests,
  rngFromSeed,
  runUntilIdle,
  runUntilSettled,
  type Clientset,
  type KubeObject,
} from 'kubelab';

type Policy = 'Background' | 'Foreground' | 'Orphan';
interface Prediction {
  /** metadata.finalizers of the Deployment right after the DELETE answered; null when it is already gone. */
  finalizersRightAfterDelete?: string[] | null;
  /** What is left once the collector is done. */
  deployments?: number;
  replicaSets?: number;
  pods?: number;
}

// Step 1: Deployment web -> ReplicaSet -> 3 Pods, every reference with controller and
// blockOwnerDeletion true, the garbage collector running. The Deployment is deleted with each policy.
export const predictions: Record<Policy, Prediction> = {
  Background: { finalizersRightAfterDelete: undefined, deployments: undefined, replicaSets: undefined, pods: undefined },
  Foreground: { finalizersRightAfterDelete: undefined, deployments: undefined, replicaSets: undefined, pods: undefined },
  Orphan: { finalizersRightAfterDelete: undefined, deployments: undefined, replicaSets: undefined, pods: undefined },
};

interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** The owner reference with controller: true, if any (Go: metav1.GetControllerOf). */
function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences as OwnerReference[] | undefined)?.find((r) => r.controller === true);
}

/**
 * Claims `pods` for the ReplicaSet `rs`, as its controller does before counting replicas: keeps
 * those it controls already and adopts the orphans its selector matches. Resolves to the names of
 * the Pods it controls afterwards. A failed adoption does not stop the others; the errors are
 * thrown together at the end (a 404 is no error: that Pod is gone).
 */
export async function claimPods(client: Clientset, rs: KubeObject, pods: KubeObject[]): Promise<string[]> {
  const selector = labels.labelSelectorAsSelector((rs.spec as { selector: Parameters<typeof labels.labelSelectorAsSelector>[0] }).selector);
  const claimed: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod);
    // TODO (step 2): keep the Pods this ReplicaSet controls already; leave other controllers' Pods alone;
    // adopt a matching orphan (selector.matches(labels)) unless it or rs is being deleted: one owner
    // reference with controller and blockOwnerDeletion true, keeping the Pod's other references.
    // TODO (step 3): make the patch apply only to the Pod you listed; try every Pod, then throw.
    void ref;
    void selector;
    void client;
  }
  return claimed;
}

// ---- Run me ----
const cluster = labCluster();
const clock = cluster.clock;
const kubectl = cluster.clientset({ userAgent: 'kubectl', qps: -1 });
const deployments = kubectl.appsV1().deployments('default');
const replicaSets = kubectl.appsV1().replicaSets('default');
const pods = kubectl.coreV1().pods('default');

const ref = (o: KubeObject): OwnerReference => ({ apiVersion: o.apiVersion as string, kind: o.kind as string, name: o.metadata.name as string, uid: o.metadata.uid as string, controller: true, blockOwnerDeletion: true });
const owners = (o: KubeObject) => (o.metadata.ownerReferences as OwnerReference[] | undefined ?? []).map((r) => `${r.kind}/${r.name}${r.controller ? ' (controller)' : ''}`).join(', ') || '-';

/** What `kubectl get deploy,rs,pods` would list, with owners and finalizers. */
async function show(title: string): Promise<void> {
  console.log(`\n${title}`);
  // A list's items carry no kind: the list says it.
  const all = [
    ...(await deployments.list()).items.map((o) => ['Deployment', o] as const),
    ...(await replicaSets.list()).items.map((o) => ['ReplicaSet', o] as const),
    ...(await pods.list()).items.map((o) => ['Pod', o] as const),
  ];
  for (const [kind, o] of all) {
    const state = o.metadata.deletionTimestamp ? `Terminating, finalizers ${JSON.stringify(o.metadata.finalizers ?? [])}` : 'live';
    console.log(`  ${`${kind}/${o.metadata.name}`.padEnd(22)} ${state.padEnd(12)} owners: ${owners(o)}`);
  }
  if (all.length === 0) console.log('  (nothing)');
}

// kube-controller-manager's garbage collector, on this run's cluster (its client: QPS 20, burst 30).
// It starts an informer on every resource that can be listed, watched and deleted (its log below).
const gc = newGarbageCollector({ client: cluster.clientset({ qps: 20, burst: 30, userAgent: 'kube-controller-manager/v1.34.0' }), clock, rng: rngFromSeed('k8s-gc-cascade') });
await runUntilSettled(clock, gc.run());

// Start from the chain in app.yaml, whatever an earlier run or the terminal left. An orphan delete
// of the last run's web-7c9d4 only ends when the collector has released its Pods: wait for it.
const old = await replicaSets.get('web-7c9d4').catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
if (old && !old.metadata.deletionTimestamp) await replicaSets.delete('web-7c9d4', { propagationPolicy: 'Orphan' });
if (old) await runUntilIdle(clock, { forMs: 5000 });
for (const obj of parseManifests(labFile('app.yaml'), 'app.yaml')) {
  const client = obj.kind === 'Pod' ? pods : obj.kind === 'ReplicaSet' ? replicaSets : obj.kind === 'Deployment' ? deployments : kubectl.coreV1().configMaps('default');
  await client.get(obj.metadata.name as string).catch((err) => (isNotFound(err) ? client.create(obj) : Promise.reject(err)));
}
// What the Deployment and ReplicaSet controllers would have written: controller references.
const deploy = await deployments.get('web');
const rs = await replicaSets.patch('web-5d8f6', 'application/merge-patch+json', { metadata: { ownerReferences: [ref(deploy)] } });
for (const name of ['web-5d8f6-a', 'web-5d8f6-b', 'web-5d8f6-c']) await pods.patch(name, 'application/merge-patch+json', { metadata: { ownerReferences: [ref(rs)] } });

await runUntilIdle(clock, { forMs: 3000 });
await show('The chain:');

console.log('\n$ kubectl delete deployment web --cascade=orphan');
await deployments.delete('web', { propagationPolicy: 'Orphan' });
await show('Right after the DELETE answered:');
await runUntilIdle(clock, { forMs: 5000 });
await show('Once the collector is done:');

console.log('\n$ kubectl delete rs web-5d8f6 --cascade=orphan');
await replicaSets.delete('web-5d8f6', { propagationPolicy: 'Orphan' });
await runUntilIdle(clock, { forMs: 5000 });
await show('Once the collector is done:');

// A new ReplicaSet with the same selector, as a re-created Deployment would make: it claims the orphans.
const [adopter] = parseManifests(labFile('app.yaml'), 'app.yaml').filter((o) => o.kind === 'ReplicaSet');
const next = await replicaSets.create({ ...adopter, metadata: { name: 'web-7c9d4', labels: { app: 'web' } } });
const claimed = await claimPods(kubectl, next, (await pods.list()).items);
console.log(`\nclaimPods(web-7c9d4) -> ${JSON.stringify(claimed)}`);
await runUntilIdle(clock, { forMs: 1000 });
await show('After the adoption:');
gc.stop();
console.log('\nNow try in the terminal: kubectl delete rs web-7c9d4 --cascade=foreground');
