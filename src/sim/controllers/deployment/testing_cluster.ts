// Test helpers: the controller on a real API server (newLabCluster) and the FakeClock, and
// fixtures after deployment_controller_test.go's newDeployment / newReplicaSet, valid for the API server.
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import { deepCopy, type KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { newDeploymentController } from './controller';
import type { Deployment, ReplicaSet } from './types';

/** A lab cluster with the controller started (`workers: 0`: informers only, sync by hand). */
export async function setup(o: { workers?: number; seed?: number } = {}) {
  const seed = o.seed ?? 3;
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  const ctrl = newDeploymentController({ client: cs, clock: cluster.clock, rng: rngFromSeed(seed), trace, workers: o.workers });
  await runUntilSettled(cluster.clock, ctrl.run());
  const run = (forMs = 5000) => runUntilIdle(cluster.clock, { forMs });
  const deployments = cs.appsV1().deployments('default');
  const replicaSets = cs.appsV1().replicaSets('default');
  const rsList = async () => (await replicaSets.list()).items as unknown as ReplicaSet[];
  const getD = async (name = 'foo') => (await deployments.get(name)) as unknown as Deployment;
  const events = async () => ((await cs.coreV1().events('default').list()).items as unknown as Array<{ type: string; reason: string; message: string; source: { component: string } }>).map((e) => `${e.type} ${e.reason} ${e.message}`);
  return { cluster, cs, ctrl, trace, run, deployments, replicaSets, rsList, getD, events };
}

/** upstream newDeployment's shape, valid for the API server (maxSurge 1, maxUnavailable 0 unless given). */
export function deployment(name: string, replicas: number, o: { selector?: Record<string, string>; image?: string; strategy?: Deployment['spec']['strategy']; extra?: Partial<Deployment['spec']>; finalizers?: string[]; annotations?: Record<string, string> } = {}): KubeObject {
  const selector = o.selector ?? { foo: 'bar' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(o.finalizers ? { finalizers: o.finalizers } : {}), ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      strategy: o.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels: { ...selector } }, spec: { containers: [{ name: 'foo', image: o.image ?? 'foo/bar' }] } },
      ...(o.extra ?? {}),
    },
  } as unknown as KubeObject;
}

/** upstream newReplicaSet: owned by `d` (as read from the server), its selector and template, plus `hash`. */
export function replicaSetOf(d: Deployment, name: string, replicas: number, hash?: string, owned = true): KubeObject {
  const labels = { ...(d.spec.selector?.matchLabels ?? {}), ...(hash ? { 'pod-template-hash': hash } : {}) };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      labels,
      ...(owned ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: { replicas, selector: { matchLabels: labels }, template: { ...deepCopy(d.spec.template), metadata: { labels } } },
  } as unknown as KubeObject;
}
