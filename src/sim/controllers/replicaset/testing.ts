/**
 * Fixtures after replica_set_test.go (`newReplicaSet`, `newPod`, `newPodList`, `testNewReplicaSetControllerFromClient`),
 * over a lab cluster's API server instead of fake clients; failures come from a FaultyTransport.
 */
import type { Pod } from '../../api/core/v1';
import { newClientset, type Clientset } from '../../client/clientset';
import { newLabCluster, type LabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject, OwnerReference } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { rfc3339 } from '../../apiserver/registry/strategy';
import { newFaultyTransport, type FaultyTransport } from '../testing/faulty_transport';
import { newReplicaSetController, type ReplicaSetController, type ReplicaSetControllerOptions } from './replica_set';
import type { PodControlInterface } from './pod_control';
import type { PodTemplateSpec, ReplicaSet } from './types';

export const ns = 'default';

/** Upstream's newReplicaSet: `replicas` of a pod template labelled (and selected) by `labels`. */
export function newReplicaSet(name: string, replicas: number, labels: Record<string, string> = { foo: 'bar' }, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { ...labels } },
      template: { metadata: { labels: { ...labels, type: 'production' } }, spec: { containers: [{ name: 'c', image: 'foo/bar' }] } },
      ...extra,
    },
  };
}

/** Upstream's newPod: a pod in `phase`, owned by `rs` when given, labelled by its selector. */
export function newPod(name: string, rs: ReplicaSet | undefined, phase: NonNullable<Pod['status']>['phase'] = 'Running', extra: { labels?: Record<string, string>; nodeName?: string; ready?: boolean } = {}): Pod {
  const labels = extra.labels ?? (rs?.spec.selector.matchLabels as Record<string, string>) ?? { foo: 'bar' };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: { ...labels },
      ...(rs ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'foo/bar' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
    status: { phase },
  };
}

export interface RSHarness {
  cluster: LabCluster;
  cs: Clientset;
  faults: FaultyTransport;
  rsc: ReplicaSetController;
  trace: TraceRecorder;
  createRS(rs: ReplicaSet): Promise<ReplicaSet>;
  getRS(name: string): Promise<ReplicaSet>;
  /** Creates a pod and, if it has a phase or readiness, writes that status. */
  createPod(pod: Pod, ready?: boolean): Promise<Pod>;
  setPodStatus(name: string, status: Record<string, unknown>): Promise<void>;
  pods(): Promise<Pod[]>;
  /** `reason: message` of every Event, oldest first. */
  events(): Promise<string[]>;
  run(forMs?: number): Promise<number>;
  /** Runs the controller (with `start: false`), driving the clock until its caches synced. */
  start(): Promise<void>;
}

/** A running controller over a fresh cluster (Go: testNewReplicaSetControllerFromClient + Run). */
export async function setupRS(o: Partial<Omit<ReplicaSetControllerOptions, 'client' | 'clock' | 'rng'>> & { seed?: number; start?: boolean } = {}): Promise<RSHarness> {
  const trace = o.trace ?? new TraceRecorder();
  const env = newEnv({ seed: o.seed ?? 1, trace });
  const cluster = await newLabCluster({ env });
  const faults = newFaultyTransport(cluster.apiServer);
  const cs = newClientset(faults, { env, qps: -1 });
  const rsc = newReplicaSetController({ client: cs, clock: cluster.clock, rng: rngFromSeed(o.seed ?? 1), trace, burstReplicas: o.burstReplicas, workers: o.workers, podControl: o.podControl });
  if (o.start !== false) await runUntilSettled(cluster.clock, rsc.run());
  const pods = cs.coreV1().pods(ns);
  const h: RSHarness = {
    cluster,
    cs,
    faults,
    rsc,
    trace,
    createRS: async (rs) => (await cs.appsV1().replicaSets(ns).create(rs as unknown as KubeObject)) as unknown as ReplicaSet,
    getRS: async (name) => (await cs.appsV1().replicaSets(ns).get(name)) as unknown as ReplicaSet,
    async createPod(pod, ready) {
      const created = (await pods.create(pod as unknown as KubeObject)) as unknown as Pod;
      if (pod.status?.phase || ready !== undefined) {
        const conditions = ready === undefined ? [] : [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339(cluster.clock.now()) }];
        await h.setPodStatus(pod.metadata.name ?? '', { phase: pod.status?.phase ?? 'Pending', conditions });
      }
      return created;
    },
    async setPodStatus(name, status) {
      await pods.patch(name, 'application/merge-patch+json', { status }, undefined, 'status');
    },
    pods: async () => (await pods.list()).items as unknown as Pod[],
    events: async () => ((await cs.coreV1().events(ns).list()).items as unknown as { reason: string; message: string }[]).map((e) => `${e.reason}: ${e.message}`),
    run: (forMs = 10_000) => runUntilIdle(cluster.clock, { forMs }),
    start: () => runUntilSettled(cluster.clock, rsc.run()),
  };
  return h;
}

/**
 * Upstream's controller.FakePodControl: records what the controller asked for and answers without
 * touching the API server (so the informer never sees the pods), failing with `err` when set and
 * refusing creates beyond `createLimit`.
 */
export class FakePodControl implements PodControlInterface {
  templates: PodTemplateSpec[] = [];
  controllerRefs: OwnerReference[] = [];
  deletePodNames: string[] = [];
  patches: string[] = [];
  createCallCount = 0;
  createLimit = 0;
  err?: Error;
  #seq = 0;

  async createPods(_namespace: string, template: PodTemplateSpec, _object: KubeObject, controllerRef: OwnerReference): Promise<Pod> {
    this.createCallCount++;
    if (this.createLimit !== 0 && this.createCallCount > this.createLimit) throw new Error(`not creating pod, limit ${this.createLimit} already reached (create call ${this.createCallCount})`);
    this.templates.push(template);
    this.controllerRefs.push(controllerRef);
    if (this.err) throw this.err;
    return { metadata: { name: `fake-${++this.#seq}` }, spec: template.spec } as Pod;
  }

  async deletePod(_namespace: string, podId: string): Promise<void> {
    this.deletePodNames.push(podId);
    if (this.err) throw this.err;
  }

  async patchPod(_namespace: string, _name: string, patch: string): Promise<void> {
    this.patches.push(patch);
    if (this.err) throw this.err;
  }

  clear(): void {
    this.templates = [];
    this.controllerRefs = [];
    this.deletePodNames = [];
    this.patches = [];
    this.createCallCount = 0;
    this.err = undefined;
  }
}

/** Upstream's validateSyncReplicaSet: the creates, deletes and patches the last syncs asked for. */
export function syncCounts(c: FakePodControl): { creates: number; deletes: number; patches: number } {
  return { creates: c.templates.length, deletes: c.deletePodNames.length, patches: c.patches.length };
}
