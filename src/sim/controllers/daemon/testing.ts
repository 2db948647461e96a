/** Fixtures for the DaemonSet controller's tests: a cluster with nodes, the controller, helpers. */
import type { Node, Pod, Taint } from '../../api/core/v1';
import { isConflict } from '../../apimachinery/errors';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { newDaemonSetsController } from './controller';
import type { DaemonSet } from './types';

export interface NodeOpts {
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

/** A Ready node (Go test helper: `newNode`). */
export function newNode(name: string, o: NodeOpts = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: o.labels ?? {} },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  };
}

/** A DaemonSet selecting `name: <name>` (Go test helper: `newDaemonSet`). */
export function newDaemonSet(name: string, spec: Partial<DaemonSet['spec']> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { name } },
      template: { metadata: { labels: { name } }, spec: { containers: [{ name: 'c', image: 'foo/bar' }] } },
      ...spec,
    },
  } as DaemonSet;
}

export async function setup(nodes: Node[], seed = 7) {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  for (const n of nodes) await cs.coreV1().nodes().create(n as unknown as KubeObject);
  const ctrl = newDaemonSetsController({ client: cs, clock: cluster.clock, rng: rngFromSeed(seed), trace });
  await runUntilSettled(cluster.clock, ctrl.run());
  const pods = cs.coreV1().pods('default');
  const dss = cs.appsV1().daemonSets('default');
  const run = (forMs = 5000) => runUntilIdle(cluster.clock, { forMs });
  const listPods = async () => ((await pods.list()).items as unknown as Pod[]).sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const livePods = async () => (await listPods()).filter((p) => !p.metadata.deletionTimestamp);
  const nodeOf = (p: Pod) => p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0];
  const podNodes = async () => (await livePods()).map(nodeOf).sort();
  const setStatus = (name: string, status: Record<string, unknown>) => pods.patch(name, 'application/merge-patch+json', { status }, undefined, 'status');
  /** Every live pod Running and Ready since now (the kubelet's part, done by hand). */
  const makeReady = async () => {
    const now = new Date(cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'); // allow-nondeterminism: formats virtual time
    for (const p of await livePods()) {
      if (p.status?.phase === 'Running') continue;
      await setStatus(p.metadata.name ?? '', { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] });
    }
  };
  const getDs = async (name: string) => (await dss.get(name)) as unknown as DaemonSet;
  /** Changes the DaemonSet as a client would: read, mutate, write, again on a conflict (the controller writes status meanwhile). */
  const updateDs = async (name: string, mutate: (ds: DaemonSet) => void) => {
    for (;;) {
      const ds = await getDs(name);
      mutate(ds);
      try {
        return (await dss.update(ds as unknown as KubeObject)) as unknown as DaemonSet;
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
    }
  };
  const events = async (reason?: string) => ((await cs.coreV1().events('default').list()).items as unknown as { reason: string; message: string; type: string }[]).filter((e) => !reason || e.reason === reason);
  const forceDelete = async (name: string) => pods.delete(name, { gracePeriodSeconds: 0 });
  return { cluster, cs, ctrl, pods, dss, run, listPods, livePods, podNodes, nodeOf, setStatus, makeReady, getDs, updateDs, events, trace, forceDelete };
}
