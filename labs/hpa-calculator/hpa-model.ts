/**
 * The judge of the hpa-calculator lab: the HPA's replica calculator of the model
 * (newReplicaCalculator, pkg/controller/podautoscaler/replica_calculator.go GetResourceReplicas,
 * src/sim/controllers/podautoscaler), fed the lab's simple pod samples as real Pods and a
 * metrics client, as upstream's replica_calculator_test.go builds them: pods started long ago
 * (past the CPU initialization period), Ready=False since their start for an unready one.
 */
import type { Pod } from '../../src/sim/api/core/v1';
import { newReplicaCalculator } from '../../src/sim/index';

/** A pod as the lab's learner sees it. */
export interface PodSample {
  name: string;
  /** Its containers' CPU requests, in millicores. */
  requestMilli: number;
  /** CPU usage from metrics-server, in millicores; absent: no sample for this pod. */
  usageMilli?: number;
  /** Default Running. */
  phase?: 'Running' | 'Pending' | 'Failed';
  /** The Ready condition (default true). */
  ready?: boolean;
  /** metadata.deletionTimestamp is set. */
  deleting?: boolean;
}

export interface Result {
  replicas: number;
  /** Utilization of the pods counted in the first pass, in whole percent (truncated). */
  utilization: number;
}

const NOW = 3_600_000;
// Started at 0, an hour ago: past the CPU initialization period (5 min).
const STARTED = '1970-01-01T00:00:00Z';
const DELETED = '1970-01-01T01:00:00Z';

function podOf(s: PodSample): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: s.name, namespace: 'default', ...(s.deleting ? { deletionTimestamp: DELETED } : {}) },
    spec: { containers: [{ name: 'app', image: 'app', resources: { requests: { cpu: `${s.requestMilli}m` } } }] },
    status: {
      phase: s.phase ?? 'Running',
      startTime: STARTED,
      conditions: [{ type: 'Ready', status: s.ready === false ? 'False' : 'True', lastTransitionTime: STARTED }],
    },
  } as Pod;
}

/** GetResourceReplicas on `pods` for a CPU utilization target; rejects with upstream's error text. */
export async function modelReplicas(currentReplicas: number, targetUtilization: number, pods: readonly PodSample[], tolerance = 0.1): Promise<Result> {
  const calc = newReplicaCalculator({
    clock: { now: () => NOW },
    tolerance,
    cpuInitializationPeriodMs: 300_000,
    delayOfInitialReadinessStatusMs: 30_000,
    podLister: { list: () => pods.map(podOf) },
    metricsClient: {
      getResourceMetric: () => ({
        timestampMs: NOW,
        metrics: Object.fromEntries(pods.filter((p) => p.usageMilli !== undefined).map((p) => [p.name, { value: p.usageMilli!, timestampMs: NOW, windowMs: 15_000 }])),
      }),
    },
  });
  const r = await calc.getResourceReplicas(currentReplicas, targetUtilization, 'cpu', 'default', {});
  return { replicas: r.replicas, utilization: r.utilization };
}
