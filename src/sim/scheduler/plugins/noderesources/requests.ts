/**
 * A pod's requests as these plugins compute them: component-helpers `PodRequests` with the
 * options the plugins pass (pkg/scheduler/framework/plugins/noderesources/fit.go,
 * resource_allocation.go at v1.34).
 */
import type { Pod } from '../../../api/core/v1';
import { DefaultMemoryRequest, DefaultMilliCPURequest, podRequests, quantityValue, Resource } from '../../framework/resource';

/** Go: `ResourceRequestsOptions` (DRA extended resources, alpha and off in v1.34, are not modelled). */
export interface ResourceRequestsOptions {
  enablePodLevelResources: boolean;
}

/** PodRequests; `SkipPodLevelResources` when the gate is off, non-zero defaults when asked. */
export function podRequestAmounts(pod: Pod, opts: ResourceRequestsOptions, nonZero = false): Map<string, number> {
  const p = opts.enablePodLevelResources || !pod.spec.resources ? pod : { ...pod, spec: { ...pod.spec, resources: undefined } };
  const nonMissing = nonZero ? new Map([['cpu', DefaultMilliCPURequest], ['memory', DefaultMemoryRequest]]) : undefined;
  const amounts = podRequests(p, nonMissing);
  if (opts.enablePodLevelResources) applyPodLevelHugePages(pod, amounts);
  return amounts;
}

/**
 * v1.34's `IsSupportedPodLevelResource` also takes `hugepages-*` (component-helpers v0.34.0
 * resource/helpers.go); the framework's `podRequests` applies pod-level cpu and memory only, so
 * the pod-level hugepages requests replace the containers' here, overhead added back on top.
 */
// Upstream: k8s.io/component-helpers resource/helpers.go (PodRequests, IsSupportedPodLevelResource)
function applyPodLevelHugePages(pod: Pod, amounts: Map<string, number>): void {
  for (const [name, q] of Object.entries(pod.spec.resources?.requests ?? {})) {
    if (!name.startsWith('hugepages-')) continue;
    amounts.set(name, quantityValue(name, q) + quantityValue(name, pod.spec.overhead?.[name]));
  }
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

/** Go: `IsNativeResource`: no domain, or a kubernetes.io domain. */
function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/**
 * Extended resources: names outside the kubernetes.io domains that carry a domain prefix, and
 * not quota's `requests.` form. Upstream: pkg/apis/core/v1/helper/helpers.go (IsExtendedResourceName)
 */
export function isExtendedResourceName(name: string): boolean {
  return !isNativeResource(name) && !name.startsWith('requests.');
}

/**
 * Extended, hugepages-*, attachable-volumes-* and prefixed native (`kubernetes.io/...`)
 * resources. The framework's `isScalarResourceName` leaves out the prefixed native ones, which
 * upstream counts (`IsPrefixedNativeResource`), so these plugins use this one.
 * Upstream: pkg/apis/core/v1/helper/helpers.go (IsScalarResourceName)
 */
export function isScalarResourceName(name: string): boolean {
  return isExtendedResourceName(name) || name.startsWith('hugepages-') || (name.includes('/') && isNativeResource(name))
    || name.startsWith('attachable-volumes-');
}
