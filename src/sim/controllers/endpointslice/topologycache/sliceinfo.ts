/**
 * The slices of one reconcile, by what will happen to them: k8s.io/endpointslice
 * topologycache/sliceinfo.go and utils.go (`RemoveHintsFromSlices`) at v0.34.0.
 */
import type { AddressType, Endpoint, EndpointSlice } from '../../../api/discovery/v1';
import { deepCopy } from '../../../core/object';

export interface SliceInfo {
  serviceKey: string;
  addressType: AddressType;
  toCreate: EndpointSlice[];
  toUpdate: EndpointSlice[];
  /** Slices as the informer holds them: copy before changing one. */
  unchanged: EndpointSlice[];
}

/** Go: `EndpointReady`. */
export function endpointReady(ep: Endpoint): boolean {
  return ep.conditions?.ready === true;
}

// Upstream: topologycache/sliceinfo.go (SliceInfo.getTotalReadyEndpoints)
export function getTotalReadyEndpoints(si: SliceInfo): number {
  let n = 0;
  for (const s of [...si.toCreate, ...si.toUpdate, ...si.unchanged]) for (const ep of s.endpoints) if (endpointReady(ep)) n++;
  return n;
}

/**
 * Clears hints on every slice being written, and moves each unchanged slice that has a hint to
 * the updates (as a copy, without hints).
 */
// Upstream: topologycache/utils.go (RemoveHintsFromSlices)
export function removeHintsFromSlices(si: SliceInfo): [EndpointSlice[], EndpointSlice[]] {
  for (const s of [...si.toCreate, ...si.toUpdate]) for (const ep of s.endpoints) delete ep.hints;
  const still: EndpointSlice[] = [];
  for (const s of si.unchanged) {
    if (s.endpoints.some((ep) => ep.hints !== undefined)) {
      const copy = deepCopy(s);
      for (const ep of copy.endpoints) delete ep.hints;
      si.toUpdate.push(copy);
    } else {
      still.push(s);
    }
  }
  si.unchanged = still;
  return [si.toCreate, si.toUpdate];
}
