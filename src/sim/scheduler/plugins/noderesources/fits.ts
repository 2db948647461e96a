/**
 * The arithmetic of NodeResourcesFit's Filter: pkg/scheduler/framework/plugins/noderesources/
 * fit.go at v1.34 (`computePodResourceRequest`, `Fits`, `fitsRequest`, `InsufficientResource`,
 * `isFit`, `haveAnyRequestedResourcesIncreased`). Preemption calls `fits` too.
 */
import type { Node, Pod } from '../../../api/core/v1';
import type { Resource } from '../../framework/resource';
import { NodeInfo } from '../../framework/types';
import { defaultFeatures } from './features';
import { isExtendedResourceName, podRequestAmounts, resourceOfRequests, type ResourceRequestsOptions } from './requests';

/** What the pod requests, computed once per cycle (Go: `preFilterState`, embedding `framework.Resource`). */
export interface PreFilterState {
  resource: Resource;
  clone(): PreFilterState;
}

/** Go: `InsufficientResource`. */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The node could not hold the pod even empty, so preemption cannot help. */
  unresolvable: boolean;
}

/**
 * The pod's effective requests: containers summed, the largest init step, pod-level requests
 * where set, plus overhead. Upstream: fit.go (computePodResourceRequest)
 */
export function computePodResourceRequest(pod: Pod, opts: ResourceRequestsOptions = defaultRequestOptions()): PreFilterState {
  const resource = resourceOfRequests(podRequestAmounts(pod, opts));
  const state: PreFilterState = { resource, clone: () => state };
  return state;
}

function defaultRequestOptions(): ResourceRequestsOptions {
  return { enablePodLevelResources: defaultFeatures().enablePodLevelResources };
}

/** The resources the node lacks for the pod; empty when it fits. Upstream: fit.go (Fits) */
export function fits(pod: Pod, nodeInfo: NodeInfo, opts: ResourceRequestsOptions = defaultRequestOptions()): InsufficientResource[] {
  return fitsRequest(computePodResourceRequest(pod, opts).resource, nodeInfo, new Set(), new Set());
}

function insufficient(resourceName: string, reason: string, requested: number, used: number, capacity: number): InsufficientResource {
  return { resourceName, reason, requested, used, capacity, unresolvable: requested > capacity };
}

/** What fitsRequest returns when the pod fits: one frozen empty list rather than a new one per node. */
const fitsAll: InsufficientResource[] = Object.freeze([]) as unknown as InsufficientResource[];

// Upstream: fit.go (fitsRequest)
export function fitsRequest(
  podRequest: Resource, nodeInfo: NodeInfo, ignoredExtendedResources: ReadonlySet<string>, ignoredResourceGroups: ReadonlySet<string>,
): InsufficientResource[] {
  let out: InsufficientResource[] | null = null;
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  const allowedPodNumber = alloc.allowedPodNumber;
  if (nodeInfo.pods.length + 1 > allowedPodNumber) {
    (out ??= []).push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: allowedPodNumber, unresolvable: false });
  }
  if (podRequest.milliCPU === 0 && podRequest.memory === 0 && podRequest.ephemeralStorage === 0 && podRequest.scalarResources.size === 0) {
    return out ?? fitsAll;
  }
  if (podRequest.milliCPU > 0 && podRequest.milliCPU > alloc.milliCPU - used.milliCPU) {
    (out ??= []).push(insufficient('cpu', 'Insufficient cpu', podRequest.milliCPU, used.milliCPU, alloc.milliCPU));
  }
  if (podRequest.memory > 0 && podRequest.memory > alloc.memory - used.memory) {
    (out ??= []).push(insufficient('memory', 'Insufficient memory', podRequest.memory, used.memory, alloc.memory));
  }
  if (podRequest.ephemeralStorage > 0 && podRequest.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    (out ??= []).push(insufficient('ephemeral-storage', 'Insufficient ephemeral-storage', podRequest.ephemeralStorage, used.ephemeralStorage, alloc.ephemeralStorage));
  }
  // The size check spares an iterator per node when the pod asks for no scalar resource.
  if (podRequest.scalarResources.size > 0) for (const [name, quantity] of podRequest.scalarResources) {
    if (quantity === 0) continue;
    if (isExtendedResourceName(name)) {
      const group = ignoredResourceGroups.size > 0 ? name.split('/')[0] : '';
      if (ignoredExtendedResources.has(name) || ignoredResourceGroups.has(group)) continue;
    }
    const capacity = alloc.scalarResources.get(name) ?? 0;
    const inUse = used.scalarResources.get(name) ?? 0;
    if (quantity > capacity - inUse) (out ??= []).push(insufficient(name, `Insufficient ${name}`, quantity, inUse, capacity));
  }
  return out ?? fitsAll;
}

function nodeInfoOf(node: Node): NodeInfo {
  const ni = new NodeInfo();
  ni.setNode(node);
  return ni;
}

/** Whether the pod would fit on the node if it were empty. Upstream: fit.go (isFit) */
export function isFit(pod: Pod, node: Node | null | undefined, opts: ResourceRequestsOptions = defaultRequestOptions()): boolean {
  if (!node) return false;
  return fits(pod, nodeInfoOf(node), opts).length === 0;
}

/** Whether the node update raised the allowed pod count or the allocatable of a resource the pod requests. */
// Upstream: fit.go (haveAnyRequestedResourcesIncreased)
export function haveAnyRequestedResourcesIncreased(pod: Pod, originalNode: Node, modifiedNode: Node, opts: ResourceRequestsOptions = defaultRequestOptions()): boolean {
  const req = computePodResourceRequest(pod, opts).resource;
  const before = nodeInfoOf(originalNode).allocatable;
  const after = nodeInfoOf(modifiedNode).allocatable;
  if (after.allowedPodNumber > before.allowedPodNumber) return true;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && req.scalarResources.size === 0) return false;
  if ((req.milliCPU > 0 && after.milliCPU > before.milliCPU) || (req.memory > 0 && after.memory > before.memory)
    || (req.ephemeralStorage > 0 && after.ephemeralStorage > before.ephemeralStorage)) {
    return true;
  }
  for (const [name, quantity] of req.scalarResources) {
    if (quantity === 0) continue;
    if ((after.scalarResources.get(name) ?? 0) > (before.scalarResources.get(name) ?? 0)) return true;
  }
  return false;
}

