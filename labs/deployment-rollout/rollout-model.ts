/**
 * The judge of the deployment-rollout lab: a RollingUpdate played by the real models on a fresh
 * lab cluster — kube-controller-manager's Deployment controller (pkg/controller/deployment at
 * v1.34.0, src/sim/controllers/deployment) and ReplicaSet controller, with the fake kubelet fixture
 * (src/sim/controllers/testing) making every pod Ready. The Deployment controller runs without
 * workers and is synced by hand, once per step, and the cluster settles between two syncs: every
 * new pod is available (and every removed old pod gone) before the next step, as the lab assumes.
 */
import { newDeploymentController, newLabCluster, newEnv, newReplicaSetController, rngFromSeed, runUntilIdle, runUntilSettled, TraceRecorder, type KubeObject, type TraceEvent } from '../../src/sim/index';
import { newFakeKubelet } from '../../src/sim/controllers/testing/index';

export interface RolloutInput {
  replicas: number;
  maxSurge: number | string;
  maxUnavailable: number | string;
}

/** One step (one sync): the ReplicaSets' spec.replicas after it, and the upstream functions that wrote them. */
export interface ModelStep {
  old: number;
  new: number;
  by: string[];
}

/** The upstream function behind each trace event of a write. */
function writer(e: TraceEvent): string | undefined {
  if (e.type === 'deployment.newReplicaSet') return `getNewReplicaSet (sync.go: created the new ReplicaSet with ${e.replicas})`;
  if (e.type !== 'deployment.scale') return undefined;
  const fn = e.reason === 'rollingNew' ? 'reconcileNewReplicaSet' : e.reason === 'rollingOld' || e.reason === 'cleanupUnhealthy' ? 'reconcileOldReplicaSets' : `${e.reason}`;
  return `${fn} (rolling.go: ${e.from} -> ${e.to})`;
}

function deployment(i: RolloutInput, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: {
      replicas: i.replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: i.maxSurge, maxUnavailable: i.maxUnavailable } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    },
  } as KubeObject;
}

const image = (rs: KubeObject) => ((rs.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image);

/** Rolls `web` from web:1 to web:2 on the models; returns the (old, new) spec.replicas after each step. */
export async function modelRollout(i: RolloutInput, seed: number): Promise<ModelStep[]> {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed, trace }) });
  const client = () => cluster.clientset({ qps: -1, userAgent: 'kube-controller-manager/v1.34.0' });
  const rng = rngFromSeed(`${seed}/deployment-rollout`);
  const dc = newDeploymentController({ client: client(), clock: cluster.clock, rng: rng.fork('dc'), trace, workers: 0 });
  const rsc = newReplicaSetController({ client: client(), clock: cluster.clock, rng: rng.fork('rsc'), trace });
  const kubelet = newFakeKubelet({ client: client(), clock: cluster.clock, rng: rng.fork('kubelet'), nodeName: 'node-1', readyAfterMs: 500, terminateAfterMs: 500 });
  await runUntilSettled(cluster.clock, Promise.all([dc.run(), rsc.run(), kubelet.run()]));
  const settle = () => runUntilIdle(cluster.clock, { forMs: 10_000 });
  /**
   * One sync. A sync that creates the new ReplicaSet writes the status twice from one read and
   * fails with a conflict after its scale (see the controller's README): the next sync goes on.
   */
  const sync = () => runUntilSettled(cluster.clock, dc.syncDeployment('default/web')).catch(() => undefined);
  const apps = cluster.clientset({ qps: -1 }).appsV1();
  const counts = async () => {
    const rss = (await apps.replicaSets('default').list()).items;
    const of = (img: string) => rss.filter((rs) => image(rs) === img).reduce((n, rs) => n + ((rs.spec as { replicas?: number }).replicas ?? 0), 0);
    return { old: of('web:1'), new: of('web:2') };
  };
  try {
    await apps.deployments('default').create(deployment(i, 'web:1'));
    for (let n = 0; n < 4; n++) {
      await sync();
      await settle();
    }
    const d = await apps.deployments('default').get('web');
    (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'web:2';
    await apps.deployments('default').update(d);
    await settle();
    const steps: ModelStep[] = [];
    let last = await counts();
    for (let n = 0; n < 4 * i.replicas + 10 && !(last.old === 0 && last.new === i.replicas); n++) {
      const mark = trace.events.length;
      await sync();
      await settle();
      const now = await counts();
      if (now.old === last.old && now.new === last.new) continue;
      // getNewReplicaSet reports its create as a scale from 0 too: one line for both.
      const writes = trace.events.slice(mark).filter((e, k, all) => !(e.type === 'deployment.scale' && e.from === 0 && all[k - 1]?.type === 'deployment.newReplicaSet'));
      steps.push({ ...now, by: writes.map(writer).filter((w): w is string => !!w) });
      last = now;
    }
    return steps;
  } finally {
    dc.stop();
    rsc.stop();
    kubelet.stop();
  }
}
