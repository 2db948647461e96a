import type { Container, Pod } from '../../api/core/v1';
import { parseQuantity } from '../../apimachinery/quantity';
import type { PodMetricsInfo } from './utilization';

export interface PodGroups {
  readyPodCount: number;
  /** Pending pods, and CPU samples taken while the pod was (re)starting: count as 0 % on a scale-up. */
  unreadyPods: Set<string>;
  /** Running pods without a sample: 0 % on a scale-up, 100 % (or the target) on a scale-down. */
  missingPods: Set<string>;
  /** Deleted or Failed pods: left out entirely. */
  ignoredPods: Set<string>;
}

const timeMs = (t: string | undefined): number | undefined => (t === undefined ? undefined : Date.parse(t));

/**
 * Sorts pods into ready / unready / missing / ignored. Only CPU samples are judged by readiness: a pod
 * in its CPU initialization period counts only once it is Ready and a full metric window has passed
 * since the Ready transition; after it, only a pod that has never been Ready (its Ready=False flip
 * came within delayOfInitialReadinessStatus of the start) is unready.
 * Upstream: pkg/controller/podautoscaler/replica_calculator.go (groupPods)
 */
export function groupPods(
  pods: readonly Pod[],
  metrics: PodMetricsInfo,
  resource: string,
  cpuInitializationPeriodMs: number,
  delayOfInitialReadinessStatusMs: number,
  nowMs: number,
): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unreadyPods: new Set(), missingPods: new Set(), ignoredPods: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const phase = pod.status?.phase;
    if (pod.metadata.deletionTimestamp || phase === 'Failed') {
      g.ignoredPods.add(name);
      continue;
    }
    if (phase === 'Pending') {
      g.unreadyPods.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missingPods.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const condition = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const startMs = timeMs(pod.status?.startTime);
      let unready: boolean;
      if (!condition || startMs === undefined) {
        unready = true;
      } else {
        const transitionMs = timeMs(condition.lastTransitionTime) ?? 0;
        if (startMs + cpuInitializationPeriodMs > nowMs) {
          unready = condition.status === 'False' || metric.timestampMs < transitionMs + metric.windowMs;
        } else {
          unready = condition.status === 'False' && startMs + delayOfInitialReadinessStatusMs > transitionMs;
        }
      }
      if (unready) {
        g.unreadyPods.add(name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/** Upstream: replica_calculator.go (removeMetricsForPods) */
export function removeMetricsForPods(metrics: PodMetricsInfo, pods: Set<string>): void {
  for (const name of pods) metrics.delete(name);
}

/**
 * Each pod's request for `resource` in milli-units: its containers plus its sidecars (init containers
 * with restartPolicy Always), only `container` when one is named.
 * Upstream: replica_calculator.go (calculatePodRequests)
 */
export function calculatePodRequests(pods: readonly Pod[], container: string, resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const sidecars = (pod.spec.initContainers ?? []).filter((c: Container) => c.restartPolicy === 'Always');
    let podSum = 0;
    for (const c of [...(pod.spec.containers ?? []), ...sidecars]) {
      if (container !== '' && container !== c.name) continue;
      const request = c.resources?.requests?.[resource];
      if (request === undefined) {
        throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name ?? ''}`);
      }
      podSum += parseQuantity(String(request)).milliValue();
    }
    requests.set(pod.metadata.name ?? '', podSum);
  }
  return requests;
}

/** Running and Ready pods. Upstream: replica_calculator.go (getReadyPodsCount) */
export function countReadyPods(pods: readonly Pod[]): number {
  return pods.filter(
    (p) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
}
