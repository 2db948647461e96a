/**
 * Hints from spec.trafficDistribution: k8s.io/endpointslice trafficdist/trafficdist.go at
 * v0.34.0. PreferClose and PreferSameZone hint each ready endpoint to its own zone;
 * PreferSameNode to its node too; any other value (or none) removes hints.
 */
import type { EndpointHints, EndpointSlice } from '../../api/discovery/v1';
import { deepCopy } from '../../core/object';
import { endpointReady } from './topologycache/sliceinfo';

interface Heuristic {
  needsUpdate(slice: EndpointSlice): boolean;
  update(slice: EndpointSlice): void;
}

/** Cluster-wide routing: no hints. */
const defaultHeuristic: Heuristic = {
  needsUpdate: (slice) => slice.endpoints.some((ep) => ep.hints !== undefined),
  update: (slice) => {
    for (const ep of slice.endpoints) delete ep.hints;
  },
};

// Upstream: trafficdist.go (preferCloseHeuristic)
function preferCloseHeuristic(generateNodeHints: boolean): Heuristic {
  return {
    needsUpdate(slice) {
      for (const ep of slice.endpoints) {
        if (!endpointReady(ep)) continue;
        const zones = ep.hints?.forZones ?? [];
        const nodes = ep.hints?.forNodes ?? [];
        if (ep.zone !== undefined) {
          if (!ep.hints || zones.length !== 1 || zones[0].name !== ep.zone) return true;
        } else if (ep.hints && zones.length > 0) return true;
        if (ep.nodeName !== undefined && generateNodeHints) {
          if (!ep.hints || nodes.length !== 1 || nodes[0].name !== ep.nodeName) return true;
        } else if (ep.hints && nodes.length > 0) return true;
      }
      return false;
    },
    update(slice) {
      for (const ep of slice.endpoints) {
        if (!endpointReady(ep)) continue;
        const hints: EndpointHints = {};
        if (ep.zone !== undefined) hints.forZones = [{ name: ep.zone }];
        if (ep.nodeName !== undefined && generateNodeHints) hints.forNodes = [{ name: ep.nodeName }];
        if (hints.forZones || hints.forNodes) ep.hints = hints;
        else delete ep.hints;
      }
    },
  };
}

const closeTrafficDistribution = new Set(['PreferClose', 'PreferSameZone', 'PreferSameNode']);

/** Hints the slices being written, and moves unchanged slices whose hints are wrong to the updates (as copies). */
// Upstream: trafficdist.go (ReconcileHints)
export function reconcileHints(trafficDistribution: string | undefined, toCreate: EndpointSlice[], toUpdate: EndpointSlice[], unchanged: EndpointSlice[]): [EndpointSlice[], EndpointSlice[], EndpointSlice[]] {
  const h = trafficDistribution !== undefined && closeTrafficDistribution.has(trafficDistribution) ? preferCloseHeuristic(trafficDistribution === 'PreferSameNode') : defaultHeuristic;
  const still: EndpointSlice[] = [];
  const updates = [...toUpdate];
  for (const s of unchanged) {
    if (h.needsUpdate(s)) updates.push(deepCopy(s));
    else still.push(s);
  }
  for (const s of toCreate) h.update(s);
  for (const s of updates) h.update(s);
  return [toCreate, updates, still];
}
