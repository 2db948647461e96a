/**
 * Test helpers for the StatefulSet controller: a cluster with the controller running, a tiny
 * stand-in for the kubelet (there is none yet) that marks pods Running and Ready, and builders.
 */
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { rfc3339 } from '../../apiserver/registry/strategy';
import { newStatefulSetController } from './controller';
import type { Pod, StatefulSet } from './types';
import type { ControllerRevision } from '../history';
import { checkStatefulSetInvariants } from './invariants';

/** A StatefulSet `web` serving nginx pods labelled app=web, with the given spec fields. */
export function makeSet(spec: Partial<StatefulSet['spec']> = {}, name = 'web'): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'nginx',
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

/** A claim template `www` of 1Gi. */
export const wwwClaim = { metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

export async function setupStatefulSetCluster(seed = 7, workers?: number) {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  const ctrl = newStatefulSetController({ client: cs, clock: cluster.clock, rng: rngFromSeed(seed), trace, workers });
  await runUntilSettled(cluster.clock, ctrl.run());
  const podsClient = cs.coreV1().pods('default');
  const sets = cs.appsV1().statefulSets('default');
  const pods = async () => ((await podsClient.list()).items as unknown as Pod[]).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const podNames = async () => (await pods()).map((p) => p.metadata.name);
  const getSet = async (name = 'web') => (await sets.get(name)) as unknown as StatefulSet;
  /** What the kubelet would write: phase and the Ready condition, stamped now. */
  const setPodStatus = (name: string, phase: string, ready: boolean) =>
    podsClient.patch(name, 'application/merge-patch+json', { status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339(cluster.clock.now()) }] } }, undefined, 'status');
  /** Marks every pod not yet Running (the API server creates them Pending) Running, Ready or not. */
  const kubelet = async (ready = true) => {
    for (const p of await pods()) if (p.status?.phase !== 'Running' && !p.metadata.deletionTimestamp) await setPodStatus(p.metadata.name!, 'Running', ready);
  };
  const run = (forMs = 5000) => runUntilIdle(cluster.clock, { forMs });
  const events = async () => ((await cs.coreV1().events('default').list()).items as unknown as Array<{ reason: string; message: string; type: string }>).map((e) => `${e.type} ${e.reason} ${e.message}`);
  const create = (set: StatefulSet) => sets.create(set as unknown as KubeObject);
  return { cluster, cs, ctrl, trace, sets, podsClient, pods, podNames, getSet, setPodStatus, kubelet, run, events, create };
}

/** Drives the set to `n` Running and Ready pods: the kubelet marks each new pod, the controller creates the next. */
export async function converge(h: Awaited<ReturnType<typeof setupStatefulSetCluster>>, rounds = 12): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await h.run();
    await h.kubelet();
  }
  await h.run();
}

/** Changes the set's spec through a read-modify-write. */
export async function updateSpec(h: Awaited<ReturnType<typeof setupStatefulSetCluster>>, change: (spec: StatefulSet['spec']) => void, name = 'web'): Promise<void> {
  const set = await h.getSet(name);
  change(set.spec);
  await h.sets.update(set as unknown as KubeObject);
}

/** One OrderedReady run: what the property checks. */
export interface OrderedReadyRun {
  seed: number;
  replicas: number;
  /** Per ordinal, how long the stand-in kubelet takes to make the pod Running and Ready. */
  readyDelaysMs: number[];
  scaleTo: number;
}

/**
 * Runs a set through scale-up with random readiness delays, then a scale-down, and returns every
 * broken promise of OrderedReady management: a pod created before a lower ordinal was Running
 * and Ready, a pod skipped, or a scale-down that did not go from the highest ordinal down.
 */
export async function checkOrderedReadyRun(r: OrderedReadyRun): Promise<string[]> {
  const h = await setupStatefulSetCluster(r.seed, 1 + (r.seed % 3));
  const readyAt = new Map<number, number>();
  const scheduled = new Set<string>();
  const kubelet = async () => {
    for (const p of await h.pods()) {
      const name = p.metadata.name!;
      if (scheduled.has(name) || p.metadata.deletionTimestamp) continue;
      scheduled.add(name);
      const ordinal = Number(name.slice(4));
      h.cluster.clock.afterFunc(r.readyDelaysMs[ordinal] ?? 0, () => {
        void h.setPodStatus(name, 'Running', true).then(() => readyAt.set(ordinal, h.cluster.clock.now()));
      });
    }
  };
  await h.create(makeSet({ replicas: r.replicas }));
  // Long enough for every delay plus the controller's reaction to each pod.
  const deadline = h.cluster.clock.now() + r.readyDelaysMs.reduce((a, b) => a + b, 0) + 1000 * r.replicas;
  for (let i = 0; i < 400 && readyAt.size < r.replicas && h.cluster.clock.now() <= deadline; i++) {
    await kubelet();
    // Time moves by 200 ms a round even when nothing is due before then.
    const target = h.cluster.clock.now() + 200;
    await h.run(200);
    if (h.cluster.clock.now() < target) h.cluster.clock.setTime(target);
  }
  await h.run();
  const broken: string[] = [];
  const creates = h.trace.events.filter((e) => e.type === 'statefulset.createPod');
  creates.forEach((e, i) => {
    const n = e.ordinal as number;
    if (n !== i) broken.push(`creation ${i} was ${e.pod}`);
    for (let k = 0; k < n; k++) {
      const at = readyAt.get(k);
      if (at === undefined || at > (e.t as number)) broken.push(`${e.pod} created at ${e.t} before web-${k} was Ready (${at ?? 'never'})`);
    }
  });
  if (readyAt.size !== r.replicas) broken.push(`only ${readyAt.size} of ${r.replicas} pods became Ready`);
  const revisions = async () => (await h.cs.appsV1().controllerRevisions('default').list()).items as unknown as ControllerRevision[];
  broken.push(...checkStatefulSetInvariants(await h.getSet(), await h.pods(), await revisions()));
  await updateSpec(h, (s) => (s.replicas = r.scaleTo));
  for (let i = 0; i < r.replicas + 4; i++) await h.run();
  const deletes = h.trace.events.filter((e) => e.type === 'statefulset.deletePod').map((e) => e.ordinal as number);
  const expected = Array.from({ length: r.replicas - r.scaleTo }, (_, i) => r.replicas - 1 - i);
  if (JSON.stringify(deletes) !== JSON.stringify(expected)) broken.push(`scale-down deleted ${JSON.stringify(deletes)}, expected ${JSON.stringify(expected)}`);
  const left = await h.podNames();
  if (left.length !== r.scaleTo) broken.push(`${left.length} pods left after scaling to ${r.scaleTo}`);
  broken.push(...checkStatefulSetInvariants(await h.getSet(), await h.pods(), await revisions()));
  h.ctrl.stop();
  return broken;
}
