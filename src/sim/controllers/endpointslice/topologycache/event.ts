/**
 * The events topology-aware hints record on a Service: k8s.io/endpointslice
 * topologycache/event.go and utils.go (`FormatWithAddressType`) at v0.34.0.
 */
import type { AddressType } from '../../../api/discovery/v1';

export const NoZoneSpecified = 'One or more endpoints do not have a zone specified';
export const NoAllocatedHintsForZones = 'No hints allocated for zones';
export const TopologyAwareHintsEnabled = 'Topology Aware Hints has been enabled';
export const TopologyAwareHintsDisabled = 'Topology Aware Hints has been disabled';
export const InsufficientNodeInfo = 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes';
export const NodesReadyInOneZoneOnly = 'Nodes only ready in one zone';
export const InsufficientNumberOfEndpoints = 'Insufficient number of endpoints';
export const MinAllocationExceedsOverloadThreshold = 'Unable to allocate minimum required endpoints to each zone without exceeding overload threshold';

/** An event to record on the Service, built where the decision is made and recorded by the caller. */
export interface EventBuilder {
  eventType: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

// Upstream: topologycache/utils.go (FormatWithAddressType)
export function formatWithAddressType(s: string, addressType: AddressType): string {
  return `${s}, addressType: ${addressType}`;
}
