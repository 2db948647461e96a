/**
 * The `endpoints.kubernetes.io/last-change-trigger-time` bookkeeping: k8s.io/endpointslice
 * util/trigger_time_tracker.go at v0.34.0. For each Service it remembers the pod Ready
 * transitions and the Service creation it has seen, and a sync reports the earliest change it has
 * not reported yet (the Service's creation on the first sync). Times are virtual ms; 0 = none.
 */
import type { Pod, Service } from '../../api/core/v1';
import { parseRfc3339 } from '../../apiserver/registry/strategy';
import { getPodReadyCondition } from './pod';

/** The annotation both controllers write (Go: `v1.EndpointsLastChangeTriggerTime`). */
export const EndpointsLastChangeTriggerTime = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  lastServiceTriggerTime: number;
  /** Pod name -> its Ready condition's last transition, as last seen. */
  lastPodTriggerTimes: Map<string, number>;
}

const timeOf = (s: string | undefined | null): number => (s ? parseRfc3339(s) || 0 : 0);
const minTime = (cur: number, t: number) => (cur === 0 || t < cur ? t : cur);

// Upstream: endpointslice util/trigger_time_tracker.go (TriggerTimeTracker)
export class TriggerTimeTracker {
  readonly serviceStates = new Map<string, ServiceState>();

  /** The earliest unreported change for the Service, in ms (0: nothing new). */
  // Upstream: trigger_time_tracker.go (TriggerTimeTracker.ComputeEndpointLastChangeTriggerTime)
  computeEndpointLastChangeTriggerTime(namespace: string, service: Service, pods: Pod[]): number {
    const key = `${namespace}/${service.metadata.name ?? ''}`;
    const known = this.serviceStates.get(key);
    const state: ServiceState = known ?? { lastServiceTriggerTime: 0, lastPodTriggerTimes: new Map() };
    let minChanged = 0;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = timeOf(getPodReadyCondition(pod)?.lastTransitionTime);
      if (t === 0) continue;
      podTimes.set(pod.metadata.name ?? '', t);
      if (t > (state.lastPodTriggerTimes.get(pod.metadata.name ?? '') ?? 0)) minChanged = minTime(minChanged, t);
    }
    const svcTime = timeOf(service.metadata.creationTimestamp);
    if (svcTime > state.lastServiceTriggerTime) minChanged = minTime(minChanged, svcTime);
    this.serviceStates.set(key, { lastPodTriggerTimes: podTimes, lastServiceTriggerTime: svcTime });
    return known ? minChanged : svcTime;
  }

  // Upstream: trigger_time_tracker.go (TriggerTimeTracker.DeleteService)
  deleteService(namespace: string, name: string): void {
    this.serviceStates.delete(`${namespace}/${name}`);
  }
}

/** Go's `time.RFC3339Nano` in UTC: fractional seconds without trailing zeros, none when whole. */
export function formatRFC3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // allow-nondeterminism: formats virtual time, reads no clock
  return iso.replace(/\.(\d*?)0*Z$/, (_, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}
