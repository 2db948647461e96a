/**
 * The `endpoints.kubernetes.io/last-change-trigger-time` bookkeeping: k8s.io/endpointslice
 * util/trigger_time_tracker.go at v0.34.0. For each Service it remembers the pod Ready
 * transitions and the Service creation it has seen, and a sync reports the earliest change it has
 * not reported yet (the Service's creation on the first sync). Times are virtual ms; undefined
 * stands for Go's zero time (none).
 */
import type { Pod, Service } from '../../api/core/v1';
import { parseRfc3339 } from '../../apiserver/registry/strategy';
import { getPodReadyCondition } from './pod';

/** The annotation both controllers write (Go: `v1.EndpointsLastChangeTriggerTime`). */
export const EndpointsLastChangeTriggerTime = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  lastServiceTriggerTime: number | undefined;
  /** Pod name -> its Ready condition's last transition, as last seen. */
  lastPodTriggerTimes: Map<string, number>;
}

const timeOf = (s: string | undefined | null): number | undefined => {
  const t = s ? parseRfc3339(s) : NaN;
  return Number.isNaN(t) ? undefined : t;
};
const minTime = (cur: number | undefined, t: number) => (cur === undefined || t < cur ? t : cur);
const after = (t: number | undefined, than: number | undefined) => t !== undefined && (than === undefined || t > than);

// Upstream: endpointslice util/trigger_time_tracker.go (TriggerTimeTracker)
export class TriggerTimeTracker {
  readonly serviceStates = new Map<string, ServiceState>();

  /** The earliest unreported change for the Service, in ms (undefined: nothing new). */
  // Upstream: trigger_time_tracker.go (TriggerTimeTracker.ComputeEndpointLastChangeTriggerTime)
  computeEndpointLastChangeTriggerTime(namespace: string, service: Service, pods: Pod[]): number | undefined {
    const key = `${namespace}/${service.metadata.name ?? ''}`;
    const known = this.serviceStates.get(key);
    const state: ServiceState = known ?? { lastServiceTriggerTime: undefined, lastPodTriggerTimes: new Map() };
    let minChanged: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = timeOf(getPodReadyCondition(pod)?.lastTransitionTime);
      if (t === undefined) continue;
      podTimes.set(pod.metadata.name ?? '', t);
      if (after(t, state.lastPodTriggerTimes.get(pod.metadata.name ?? ''))) minChanged = minTime(minChanged, t);
    }
    const svcTime = timeOf(service.metadata.creationTimestamp);
    if (svcTime !== undefined && after(svcTime, state.lastServiceTriggerTime)) minChanged = minTime(minChanged, svcTime);
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
