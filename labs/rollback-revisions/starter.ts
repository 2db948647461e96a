// Two rollouts and a rollback, as kubectl does them. There is no rollback API in apps/v1:
// `kubectl rollout undo` finds the ReplicaSet of the wanted revision, copies its pod template back
// into the Deployment with a patch, and the Deployment controller rolls "forward" to it.
// Upstream: kubectl v0.34.0 pkg/polymorphichelpers/rollback.go (DeploymentRollbacker.Rollback).
import {
  newDeploymentController, newFakeKubelet, newLabCluster, newReplicaSetController, rngFromSeed, runUntilIdle,
  runUntilSettled, setLogVerbosity, type Clientset, type KubeObject,
} from 'kubelab';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
/** Annotations that stay the Deployment's own: everything else comes back from the ReplicaSet. */
const ANNOTATIONS_TO_SKIP = [
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: Array<{ name: string; image: string }> };
}
const templateOf = (o: KubeObject) => (o.spec as { template: PodTemplate }).template;

/** Step 1: sets the first container's image, and the change-cause `kubectl rollout history` shows. */
export async function setImage(client: Clientset, namespace: string, name: string, image: string, changeCause: string): Promise<void> {
  // TODO (step 1): read the Deployment, set the image of its first container and the
  // kubernetes.io/change-cause annotation, write it back.
  void client;
  void [namespace, name, image, changeCause, templateOf, CHANGE_CAUSE];
}

/** Step 2: `kubectl rollout undo deployment/<name> --to-revision=<toRevision>`; resolves to kubectl's message. */
export async function rollbackTo(client: Clientset, namespace: string, name: string, toRevision: number): Promise<string> {
  // TODO (step 2): find the ReplicaSet of `toRevision` among the Deployment's, copy its template
  // without pod-template-hash, patch template + annotations (see ANNOTATIONS_TO_SKIP).
  // TODO (step 3): kubectl's errors and the skipped rollback.
  void [client, namespace, name, toRevision, ANNOTATIONS_TO_SKIP];
  return 'rolled back';
}

// ---- Run me: web:1 -> web:2 -> web:3, then back to revision 1, on the real controllers ----
setLogVerbosity(0);
const cluster = await newLabCluster();
const cs = (agent: string) => cluster.clientset({ qps: -1, userAgent: agent });
const kcm = cs('kube-controller-manager');
const controllers = [
  newDeploymentController({ client: kcm, clock: cluster.clock, rng: rngFromSeed('dc') }),
  newReplicaSetController({ client: kcm, clock: cluster.clock, rng: rngFromSeed('rsc') }),
  newFakeKubelet({ client: cs('kubelet'), clock: cluster.clock, rng: rngFromSeed('kubelet'), nodeName: 'node-1' }),
];
await runUntilSettled(cluster.clock, Promise.all(controllers.map((c) => c.run())));
const settle = () => runUntilIdle(cluster.clock, { forMs: 20_000 });
const kubectl = cs('kubectl');

/** What `kubectl rollout history` and `kubectl get rs` would show. */
async function show(title: string): Promise<void> {
  const d = await kubectl.appsV1().deployments('default').get('web');
  console.log(`\n${title}: deployment web at revision ${d.metadata.annotations?.[REVISION]}, image ${templateOf(d).spec.containers[0].image}`);
  const rss = (await kubectl.appsV1().replicaSets('default').list()).items;
  rss.sort((a, b) => Number(a.metadata.annotations?.[REVISION]) - Number(b.metadata.annotations?.[REVISION]));
  for (const rs of rss) {
    const a = rs.metadata.annotations ?? {};
    const history = a['deployment.kubernetes.io/revision-history'] ? ` (was ${a['deployment.kubernetes.io/revision-history']})` : '';
    console.log(`  revision ${a[REVISION]}${history}`.padEnd(22) + `${rs.metadata.name}`.padEnd(20) + `replicas ${(rs.spec as { replicas: number }).replicas}  ${templateOf(rs).spec.containers[0].image}  ${a[CHANGE_CAUSE] ?? ''}`);
  }
}

await kubectl.appsV1().deployments('default').create({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', annotations: { [CHANGE_CAUSE]: 'first release' } },
  spec: { replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 } }, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
});
await settle();
await setImage(kubectl, 'default', 'web', 'web:2', 'web:2, faster start');
await settle();
await setImage(kubectl, 'default', 'web', 'web:3', 'web:3, new cache');
await settle();
await show('After two updates');
console.log(`\n$ kubectl rollout undo deployment/web --to-revision=1\n${await rollbackTo(kubectl, 'default', 'web', 1)}`);
await settle();
await show('After the rollback');
for (const c of controllers) c.stop();
