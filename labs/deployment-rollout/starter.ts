import { newDeploymentController, newFakeKubelet, newLabCluster, newReplicaSetController, rngFromSeed, runUntilIdle, runUntilSettled, setLogVerbosity } from 'kubelab';

// A RollingUpdate, step by step. kube-controller-manager's Deployment controller does one thing per
// sync (pkg/controller/deployment/rolling.go, rolloutRolling): grow the new ReplicaSet
// (reconcileNewReplicaSet) or, if it could not, shrink the old ones (reconcileOldReplicaSets).
// predictRollout says what the ReplicaSets' spec.replicas are after each sync, assuming every new
// pod becomes available before the next sync.

export interface Rollout {
  /** spec.replicas of the Deployment. */
  replicas: number;
  /** An int, or a percentage of replicas like '25%' (rounded up). */
  maxSurge: number | string;
  /** An int, or a percentage of replicas like '25%' (rounded down). */
  maxUnavailable: number | string;
}

/** [old ReplicaSet's spec.replicas, new ReplicaSet's spec.replicas] after one step. */
export type Step = [old: number, next: number];

export function predictRollout({ replicas, maxSurge, maxUnavailable }: Rollout): Step[] {
  // TODO (step 1): one entry per sync that changes a ReplicaSet, until [0, replicas].
  //   - the first sync creates the new ReplicaSet (how big?) and then looks at the old one;
  //   - later syncs: grow the new ReplicaSet within replicas + maxSurge, or else shrink the old
  //     one so that replicas - maxUnavailable pods stay available.
  // TODO (step 2): maxSurge / maxUnavailable may be percentages of replicas, like '25%'.
  // TODO (step 3): refuse maxSurge 0 with maxUnavailable 0 (throw).
  void maxSurge;
  void maxUnavailable;
  return [[replicas, 0]];
}

// ---- Run me: your prediction, then the real controllers, one sync at a time ----
const rollout: Rollout = { replicas: 4, maxSurge: 1, maxUnavailable: 1 }; // try others

setLogVerbosity(0); // klog's -v=0: no informer or cacher lines
const cluster = await newLabCluster();
const cs = (agent: string) => cluster.clientset({ qps: -1, userAgent: agent });
// workers: 0 — no worker runs the Deployment controller's queue: this file calls syncDeployment.
const dc = newDeploymentController({ client: cs('deployment-controller'), clock: cluster.clock, rng: rngFromSeed('dc'), workers: 0 });
const rsc = newReplicaSetController({ client: cs('replicaset-controller'), clock: cluster.clock, rng: rngFromSeed('rsc') });
// A stand-in kubelet: binds each pod to node-1, makes it Ready after 500 ms, removes deleted pods.
const kubelet = newFakeKubelet({ client: cs('kubelet'), clock: cluster.clock, rng: rngFromSeed('kubelet'), nodeName: 'node-1', readyAfterMs: 500, terminateAfterMs: 500 });
await runUntilSettled(cluster.clock, Promise.all([dc.run(), rsc.run(), kubelet.run()]));

const apps = cs('kubectl').appsV1();
const settle = () => runUntilIdle(cluster.clock, { forMs: 10_000 });
// A failed sync (a conflict on its second status write) is simply retried by the next one.
const sync = () => runUntilSettled(cluster.clock, dc.syncDeployment('default/web')).catch(() => undefined);
/** [old, new]: spec.replicas of the ReplicaSets running web:1 and web:2. */
const counts = async () => {
  const rss = (await apps.replicaSets('default').list()).items.map((rs) => rs.spec as { replicas: number; template: { spec: { containers: { image: string }[] } } });
  const of = (image: string) => rss.filter((s) => s.template.spec.containers[0].image === image).reduce((n, s) => n + s.replicas, 0);
  return [of('web:1'), of('web:2')];
};

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });
await apps.deployments('default').create({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas: rollout.replicas, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: rollout.maxSurge, maxUnavailable: rollout.maxUnavailable } }, template: template('web:1') },
});
for (let i = 0; i < 4; i++) {
  await sync();
  await settle();
}
const d = await apps.deployments('default').get('web');
await apps.deployments('default').update({ ...d, spec: { ...(d.spec as object), template: template('web:2') } });
await settle();

let predicted: Step[] | string;
try {
  predicted = predictRollout(rollout);
} catch (err) {
  predicted = `threw: ${(err as Error).message}`;
}
console.log(`replicas ${rollout.replicas}, maxSurge ${rollout.maxSurge}, maxUnavailable ${rollout.maxUnavailable}: old/new spec.replicas`);
console.log(`  start     controllers ${(await counts()).join('/')}`);
for (let step = 1; step <= 30; step++) {
  const before = (await counts()).join('/');
  await sync();
  await settle();
  const now = await counts();
  if (now.join('/') === before) break;
  const mine = Array.isArray(predicted) ? predicted[step - 1]?.join('/') ?? '-' : predicted;
  console.log(`  step ${String(step).padEnd(4)} controllers ${now.join('/').padEnd(6)} you ${mine}`);
}
dc.stop();
rsc.stop();
kubelet.stop();
