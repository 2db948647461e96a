/**
 * A pod's requests as these plugins compute them: component-helpers `PodRequests` with the
 * options the plugins pass (pkg/scheduler/framework/plugins/noderesources/fit.go,
 * resource_allocation.go at v1.34).
 */
import type { Pod } from '../../../api/core/v1';
import { DefaultMemoryRequest, DefaultMilliCPURequest, isExtendedResourceName, isScalarResourceName, podRequests, Resource } from '../../framework/resource';

export { isExtendedResourceName, isScalarResourceName };

/** Go: `ResourceRequestsOptions` (DRA extended resources, alpha and off in v1.34, are not modelled). */
export interface ResourceRequestsOptions {
  enablePodLevelResources: boolean;
}

/** PodRequests; `SkipPodLevelResources` when the gate is off, non-zero defaults when asked. */
export function podRequestAmounts(pod: Pod, opts: ResourceRequestsOptions, nonZero = false): Map<string, number> {
  const p = opts.enablePodLevelResources || !pod.spec.resources ? pod : { ...pod, spec: { ...pod.spec, resources: undefined } };
  const nonMissing = nonZero ? new Map([['cpu', DefaultMilliCPURequest], ['memory', DefaultMemoryRequest]]) : undefined;
  return podRequests(p, nonMissing);
}

/**
 * The amounts as a Resource the way `Resource.SetMaxResource` fills an empty one: cpu, memory,
 * ephemeral-storage and scalar resources (a zero request still makes an entry); `pods` is dropped.
 */
// Upstream: pkg/scheduler/framework/types.go (Resource.SetMaxResource)
export function resourceOfRequests(amounts: Map<string, number>): Resource {
  const r = new Resource();
  for (const [name, v] of amounts) {
    switch (name) {
      case 'cpu': r.milliCPU = Math.max(r.milliCPU, v); break;
      case 'memory': r.memory = Math.max(r.memory, v); break;
      case 'ephemeral-storage': r.ephemeralStorage = Math.max(r.ephemeralStorage, v); break;
      default:
        if (isScalarResourceName(name)) r.scalarResources.set(name, Math.max(r.scalarResources.get(name) ?? 0, v));
    }
  }
  return r;
}
