/**
 * Which endpoints a service port uses on this node: after pkg/proxy/topology.go
 * (CategorizeEndpoints, topologyModeFromHints, availableForTopology) at v1.34, with
 * PreferSameTrafficDistribution (node hints) on, as it is by default in v1.34.
 */
import type { EndpointInfo } from './endpoint';
import { usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from './serviceport';

export const LabelTopologyZone = 'topology.kubernetes.io/zone';

export interface CategorizedEndpoints {
  /** Usable with Cluster policy (topology applied); empty if the port never uses Cluster policy. */
  clusterEndpoints: EndpointInfo[];
  /** Usable with Local policy; empty if the port never uses Local policy. */
  localEndpoints: EndpointInfo[];
  /** The union of the two: every endpoint this node may send to, each once. */
  allReachableEndpoints: EndpointInfo[];
  /** Some usable endpoint exists anywhere in the cluster (even if none is reachable here). */
  hasAnyEndpoints: boolean;
}

/** The topology mode hints select: '', 'PreferSameZone' or 'PreferSameNode'. */
export type TopologyMode = '' | 'PreferSameZone' | 'PreferSameNode';

// Upstream: pkg/proxy/topology.go (CategorizeEndpoints). "Usable" means Ready, falling back to
// serving-and-terminating endpoints (separately for Cluster and Local) when none is Ready.
export function categorizeEndpoints(
  endpoints: EndpointInfo[],
  svcInfo: ServicePortInfo,
  nodeName: string,
  topologyLabels: Record<string, string> = {},
): CategorizedEndpoints {
  const out: CategorizedEndpoints = { clusterEndpoints: [], localEndpoints: [], allReachableEndpoints: [], hasAnyEndpoints: false };
  if (endpoints.length === 0) return out;
  let topologyMode: TopologyMode = '';
  let useServingTerminating = false;
  if (usesClusterEndpoints(svcInfo)) {
    const zone = topologyLabels[LabelTopologyZone] ?? '';
    topologyMode = topologyModeFromHints(endpoints, nodeName, zone);
    out.clusterEndpoints = endpoints.filter((ep) => ep.ready && availableForTopology(ep, topologyMode, nodeName, zone));
    // Topology was already ignored when it left no ready endpoint, so an empty list here means
    // nothing is ready anywhere: fall back to terminating endpoints still serving.
    if (out.clusterEndpoints.length === 0) out.clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating);
    if (out.clusterEndpoints.length > 0) out.hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(svcInfo)) {
    out.allReachableEndpoints = out.clusterEndpoints;
    return out;
  }
  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      out.hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalReady = true;
    } else if (ep.serving && ep.terminating) {
      out.hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalServingTerminating = true;
    }
  }
  if (hasLocalReady) out.localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready);
  else if (hasLocalServingTerminating) {
    useServingTerminating = true;
    out.localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating);
  }
  if (!usesClusterEndpoints(svcInfo)) {
    out.allReachableEndpoints = out.localEndpoints;
    return out;
  }
  if (topologyMode === '' && !useServingTerminating) {
    // clusterEndpoints then holds every ready endpoint, a superset of localEndpoints.
    out.allReachableEndpoints = out.clusterEndpoints;
    return out;
  }
  // Upstream merges through a Go map (random order); the model keeps the endpoints' sorted order.
  const merged = new Map<string, EndpointInfo>();
  for (const ep of out.clusterEndpoints) merged.set(ep.endpoint, ep);
  for (const ep of out.localEndpoints) merged.set(ep.endpoint, ep);
  out.allReachableEndpoints = [...merged.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
  return out;
}

// Upstream: pkg/proxy/topology.go (topologyModeFromHints)
export function topologyModeFromHints(endpoints: EndpointInfo[], nodeName: string, zone: string): TopologyMode {
  let hasReady = false;
  let hasForNode = false;
  let allHaveNodeHints = true;
  let hasForZone = false;
  let allHaveZoneHints = true;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    hasReady = true;
    if (ep.nodeHints.size === 0) allHaveNodeHints = false;
    else if (ep.nodeHints.has(nodeName)) hasForNode = true;
    if (ep.zoneHints.size === 0) allHaveZoneHints = false;
    else if (ep.zoneHints.has(zone)) hasForZone = true;
  }
  if (!hasReady) return '';
  if (allHaveNodeHints && hasForNode) return 'PreferSameNode';
  if (allHaveZoneHints && hasForZone) return 'PreferSameZone';
  return '';
}

// Upstream: pkg/proxy/topology.go (availableForTopology)
function availableForTopology(ep: EndpointInfo, mode: TopologyMode, nodeName: string, zone: string): boolean {
  if (mode === '') return true;
  if (mode === 'PreferSameNode') return ep.nodeHints.has(nodeName);
  return ep.zoneHints.has(zone);
}
