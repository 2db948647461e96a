/**
 * Topology-aware hints (`service.kubernetes.io/topology-mode: Auto`): k8s.io/endpointslice
 * topologycache/topologycache.go and utils.go at v0.34.0. Nodes give each zone a share of the
 * cluster's allocatable CPU; each zone is then allotted hints for that share of a Service's
 * ready endpoints, within an overload threshold of 20 %. Endpoints keep a hint for their own zone
 * where they can, and zones with too many give some to zones with too few.
 *
 * Go iterates its zone maps in random order; the model iterates zones in the order nodes listed
 * them, and ties in `getMost` go to the first zone.
 */
import type { Node } from '../../../api/core/v1';
import type { AddressType, EndpointSlice } from '../../../api/discovery/v1';
import { parseQuantity } from '../../../apimachinery/quantity';
import { deepCopy } from '../../../core/object';
import { LabelTopologyZone } from '../utils';
import {
  formatWithAddressType,
  InsufficientNodeInfo,
  InsufficientNumberOfEndpoints,
  MinAllocationExceedsOverloadThreshold,
  NoAllocatedHintsForZones,
  NodesReadyInOneZoneOnly,
  NoZoneSpecified,
  TopologyAwareHintsEnabled,
  type EventBuilder,
} from './event';
import { endpointReady, getTotalReadyEndpoints, removeHintsFromSlices, type SliceInfo } from './sliceinfo';

/** The most any endpoint should be overloaded by. */
export const overloadThreshold = 0.2;

/** Zone -> number of endpoints hinted to it. */
export type EndpointZoneInfo = Map<string, number>;

interface Allocation {
  minimum: number;
  maximum: number;
  desired: number;
}

// Upstream: topologycache/topologycache.go (TopologyCache)
export class TopologyCache {
  sufficientNodeInfo = false;
  cpuByZone: Map<string, number> | undefined = new Map();
  cpuRatiosByZone: Map<string, number> | undefined = new Map();
  readonly endpointsByService = new Map<string, Map<AddressType, EndpointZoneInfo>>();
  readonly hintsPopulatedByService = new Set<string>();

  /** Keys of Services some zone of which has fewer endpoints than its share allows. */
  // Upstream: topologycache.go (TopologyCache.GetOverloadedServices)
  getOverloadedServices(): string[] {
    const out: string[] = [];
    for (const [key, byType] of this.endpointsByService) {
      for (const ezi of byType.values()) {
        if (serviceOverloaded(ezi, this.cpuRatiosByZone)) {
          out.push(key);
          break;
        }
      }
    }
    return out;
  }

  /** Adds or updates hints on the slices; returns the slices to create and update, and events to record. */
  // Upstream: topologycache.go (TopologyCache.AddHints)
  addHints(si: SliceInfo): [EndpointSlice[], EndpointSlice[], EventBuilder[]] {
    const totalEndpoints = getTotalReadyEndpoints(si);
    const [allocations, allocationsEvent] = this.getAllocations(totalEndpoints);
    const events: EventBuilder[] = [];
    const giveUp = (ev: EventBuilder): [EndpointSlice[], EndpointSlice[], EventBuilder[]] => {
      events.push(ev);
      this.removeHints(si.serviceKey, si.addressType);
      const [c, u] = removeHintsFromSlices(si);
      return [c, u, events];
    };
    if (allocationsEvent) return giveUp({ ...allocationsEvent, message: formatWithAddressType(allocationsEvent.message, si.addressType) });
    const allocatedHintsByZone = getAllocatedHintsByZone(si, allocations!);
    const allocatable = [...si.toCreate, ...si.toUpdate];
    // Step 1: every ready endpoint hinted to its own zone. (Upstream clears a not-ready endpoint's hints on a copy, so they stay.)
    for (const s of allocatable) {
      for (const ep of s.endpoints) {
        if (!endpointReady(ep)) continue;
        if (!ep.zone) return giveUp({ eventType: 'Warning', reason: 'TopologyAwareHintsDisabled', message: formatWithAddressType(NoZoneSpecified, si.addressType) });
        allocatedHintsByZone.set(ep.zone, (allocatedHintsByZone.get(ep.zone) ?? 0) + 1);
        ep.hints = { forZones: [{ name: ep.zone }] };
      }
    }
    // Steps 2 and 3: zones over their share give hints to zones under it.
    const [giving, receiving] = getGivingAndReceivingZones(allocations!, allocatedHintsByZone);
    for (const [zone, diff] of redistributeHints(allocatable, giving, receiving)) allocatedHintsByZone.set(zone, (allocatedHintsByZone.get(zone) ?? 0) + diff);
    if (allocatedHintsByZone.size === 0) return giveUp({ eventType: 'Warning', reason: 'TopologyAwareHintsDisabled', message: formatWithAddressType(NoAllocatedHintsForZones, si.addressType) });
    const wasEnabled = this.hasPopulatedHints(si.serviceKey);
    this.setHints(si.serviceKey, si.addressType, allocatedHintsByZone);
    if (!wasEnabled) events.push({ eventType: 'Normal', reason: 'TopologyAwareHintsEnabled', message: formatWithAddressType(TopologyAwareHintsEnabled, si.addressType) });
    return [si.toCreate, si.toUpdate, events];
  }

  // Upstream: topologycache.go (TopologyCache.SetHints)
  setHints(serviceKey: string, addrType: AddressType, allocated: EndpointZoneInfo): void {
    if (!this.endpointsByService.has(serviceKey)) this.endpointsByService.set(serviceKey, new Map());
    this.endpointsByService.get(serviceKey)!.set(addrType, allocated);
    this.hintsPopulatedByService.add(serviceKey);
  }

  // Upstream: topologycache.go (TopologyCache.RemoveHints)
  removeHints(serviceKey: string, addrType: AddressType): void {
    const byType = this.endpointsByService.get(serviceKey);
    byType?.delete(addrType);
    if (!byType || byType.size === 0) this.endpointsByService.delete(serviceKey);
    this.hintsPopulatedByService.delete(serviceKey);
  }

  /**
   * Each zone's share of allocatable CPU over ready nodes (control-plane nodes aside). Any node
   * without a zone or CPU, or fewer than two zones, and hints are off for every Service.
   */
  // Upstream: topologycache.go (TopologyCache.SetNodes)
  setNodes(nodes: Node[]): void {
    let cpuByZone = new Map<string, number>();
    let sufficient = true;
    let total = 0;
    for (const node of nodes) {
      if (hasExcludedLabels(node.metadata.labels)) continue;
      if (!isNodeReady(node)) continue;
      const cpu = node.status?.allocatable?.cpu;
      const milli = cpu === undefined ? 0 : parseQuantity(String(cpu)).milliValue();
      const zone = node.metadata.labels?.[LabelTopologyZone];
      if (!zone || milli === 0) {
        cpuByZone = new Map();
        sufficient = false;
        break;
      }
      total += milli;
      cpuByZone.set(zone, (cpuByZone.get(zone) ?? 0) + milli);
    }
    if (total === 0 || !sufficient || cpuByZone.size < 2) {
      this.sufficientNodeInfo = false;
      this.cpuByZone = undefined;
      this.cpuRatiosByZone = undefined;
      return;
    }
    this.sufficientNodeInfo = true;
    this.cpuByZone = cpuByZone;
    this.cpuRatiosByZone = new Map([...cpuByZone].map(([z, m]) => [z, m / total]));
  }

  // Upstream: topologycache.go (TopologyCache.HasPopulatedHints)
  hasPopulatedHints(serviceKey: string): boolean {
    return this.hintsPopulatedByService.has(serviceKey);
  }

  /** Per zone: the least, the most and the desired number of hints; or why hints cannot be given. */
  // Upstream: topologycache.go (TopologyCache.getAllocations)
  getAllocations(numEndpoints: number): [Map<string, Allocation> | undefined, EventBuilder | undefined] {
    const disabled = (message: string): [undefined, EventBuilder] => [undefined, { eventType: 'Warning', reason: 'TopologyAwareHintsDisabled', message }];
    const ratios = this.cpuRatiosByZone;
    if (!ratios) return disabled(InsufficientNodeInfo);
    if (ratios.size < 2) return disabled(NodesReadyInOneZoneOnly);
    if (ratios.size > numEndpoints) return disabled(`${InsufficientNumberOfEndpoints} (${numEndpoints} endpoints, ${ratios.size} zones)`);
    let remaining = numEndpoints;
    let minTotal = 0;
    const out = new Map<string, Allocation>();
    for (const [zone, ratio] of ratios) {
      const desired = ratio * numEndpoints;
      const minimum = Math.ceil(desired * (1 / (1 + overloadThreshold)));
      out.set(zone, { minimum, maximum: 0, desired: Math.max(desired, minimum) });
      minTotal += minimum;
      remaining -= minimum;
      if (remaining < 0) return disabled(`${MinAllocationExceedsOverloadThreshold} (${numEndpoints} endpoints, ${ratios.size} zones)`);
    }
    for (const a of out.values()) a.maximum = a.minimum + numEndpoints - minTotal;
    return [out, undefined];
  }
}

/**
 * Hints the unchanged slices already hold, by zone; an unchanged slice whose hints no longer fit
 * (an endpoint without one, a zone no longer allotted, or over a zone's maximum) moves to the updates.
 */
// Upstream: topologycache/sliceinfo.go (SliceInfo.getAllocatedHintsByZone)
function getAllocatedHintsByZone(si: SliceInfo, allocations: Map<string, Allocation>): EndpointZoneInfo {
  const allocated: EndpointZoneInfo = new Map();
  const still: EndpointSlice[] = [];
  for (const s of si.unchanged) {
    const byZone = getHintsByZone(s, allocated, allocations);
    if (!byZone) {
      si.toUpdate.push(deepCopy(s));
    } else {
      still.push(s);
      for (const [z, n] of byZone) allocated.set(z, (allocated.get(z) ?? 0) + n);
    }
  }
  si.unchanged = still;
  return allocated;
}

// Upstream: topologycache/utils.go (getHintsByZone)
function getHintsByZone(slice: EndpointSlice, allocated: EndpointZoneInfo, allocations: Map<string, Allocation>): Map<string, number> | undefined {
  const byZone = new Map<string, number>();
  for (const ep of slice.endpoints) {
    if (!endpointReady(ep)) continue;
    const zones = ep.hints?.forZones ?? [];
    if (zones.length === 0) return undefined;
    for (const { name } of zones) {
      if (!allocations.has(name)) return undefined;
      byZone.set(name, (byZone.get(name) ?? 0) + 1);
    }
  }
  for (const [zone, n] of byZone) {
    const a = allocations.get(zone);
    if (!a || n + (allocated.get(zone) ?? 0) > a.maximum) return undefined;
  }
  return byZone;
}

/** Whole endpoints each zone should give away and receive, from the desired and current counts. */
// Upstream: topologycache/utils.go (getGivingAndReceivingZones)
export function getGivingAndReceivingZones(allocations: Map<string, Allocation>, allocated: EndpointZoneInfo): [Map<string, number>, Map<string, number>] {
  const givingDesired = new Map<string, number>();
  const receivingDesired = new Map<string, number>();
  for (const [zone, a] of allocations) {
    const have = allocated.get(zone) ?? 0;
    if (have > a.desired) givingDesired.set(zone, have - a.desired);
    else if (have < a.desired) receivingDesired.set(zone, a.desired - have);
  }
  const giving = new Map<string, number>();
  const receiving = new Map<string, number>();
  for (;;) {
    const [gz, toGive] = getMost(givingDesired);
    const [rz, toReceive] = getMost(receivingDesired);
    if (gz === '' || rz === '' || (toGive < 1 && toReceive < 1) || toGive < 0.5 || toReceive < 0.5) break;
    giving.set(gz, (giving.get(gz) ?? 0) + 1);
    givingDesired.set(gz, givingDesired.get(gz)! - 1);
    receiving.set(rz, (receiving.get(rz) ?? 0) + 1);
    receivingDesired.set(rz, receivingDesired.get(rz)! - 1);
  }
  return [giving, receiving];
}

// Upstream: topologycache/utils.go (getMost)
function getMost(zones: Map<string, number>): [string, number] {
  let zone = '';
  let num = 0;
  for (const [z, n] of zones) {
    if (n > num) {
      zone = z;
      num = n;
    }
  }
  return [zone, num];
}

/** Re-hints endpoints of giving zones to receiving zones; returns the change of hints per zone. */
// Upstream: topologycache/utils.go (redistributeHints)
export function redistributeHints(slices: EndpointSlice[], giving: Map<string, number>, receiving: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of slices) {
    for (const ep of s.endpoints) {
      if (!endpointReady(ep)) continue;
      if (giving.size === 0 || receiving.size === 0) return out;
      if (!ep.zone) continue;
      const gz = ep.zone;
      const toGive = giving.get(gz);
      if (toGive === undefined || toGive <= 0) continue;
      for (const [rz, toReceive] of receiving) {
        if (toReceive <= 0) continue;
        ep.hints = { forZones: [{ name: rz }] };
        if (toGive === 1) giving.delete(gz);
        else giving.set(gz, toGive - 1);
        if (toReceive === 1) receiving.delete(rz);
        else receiving.set(rz, toReceive - 1);
        out.set(rz, (out.get(rz) ?? 0) + 1);
        out.set(gz, (out.get(gz) ?? 0) - 1);
        break;
      }
    }
  }
  return out;
}

/** Whether some zone has fewer of the Service's hinted endpoints than its CPU share allows. */
// Upstream: topologycache/utils.go (serviceOverloaded)
export function serviceOverloaded(ezi: EndpointZoneInfo, ratios: Map<string, number> | undefined): boolean {
  if (ezi.size === 0) return false;
  if (!ratios || ratios.size === 0) return true;
  let total = 0;
  for (const n of ezi.values()) total += n;
  for (const [zone, ratio] of ratios) {
    const have = ezi.get(zone);
    if (have === undefined) return true;
    if (have < Math.ceil(total * ratio * (1 / (1 + overloadThreshold)))) return true;
  }
  return false;
}

/** Nodes labelled as control plane do not count. Upstream: topologycache.go (hasExcludedLabels) */
function hasExcludedLabels(labels: Record<string, string> | undefined): boolean {
  if (!labels) return false;
  return Object.hasOwn(labels, 'node-role.kubernetes.io/control-plane') || Object.hasOwn(labels, 'node-role.kubernetes.io/master');
}

/** Upstream: topologycache/utils.go (isNodeReady) */
export function isNodeReady(node: Node): boolean {
  const c = node.status?.conditions?.find((x) => x.type === 'Ready');
  return c?.status === 'True';
}
