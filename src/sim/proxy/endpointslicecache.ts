/**
 * EndpointSlices merged into one endpoint list per service port: after
 * pkg/proxy/endpointslicecache.go (newEndpointSliceInfo, endpointInfoByServicePort,
 * addEndpoints, endpointsMapFromEndpointInfo) and endpointschangetracker.go
 * (EndpointSliceUpdate skips FQDN slices). The model builds the map from the whole list at
 * once, which is what a full sync sees; the pending/applied bookkeeping is left out.
 */
import type { IPFamily, Protocol } from '../api/core/v1';
import { LabelServiceName, type EndpointSlice } from '../api/discovery/v1';
import type { EndpointInfo } from './endpoint';
import { servicePortKey } from './serviceport';
import { ipFamilyOf, joinHostPort } from './util/ip';

export interface EndpointsMapOptions {
  /** This proxier's node: endpoints whose nodeName equals it are local. */
  nodeName: string;
  ipFamily?: IPFamily;
}

/** Keyed by `servicePortKey`; each list sorted by `endpoint` text, as upstream sorts it. */
export type EndpointsMap = Map<string, EndpointInfo[]>;

// Upstream: pkg/proxy/endpointslicecache.go (EndpointSliceCache.getEndpointsMap over every slice)
export function buildEndpointsMap(slices: EndpointSlice[], opts: EndpointsMapOptions): EndpointsMap {
  const ipFamily = opts.ipFamily ?? 'IPv4';
  const bySP = new Map<string, Map<string, EndpointInfo>>();
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    const serviceName = slice.metadata.labels?.[LabelServiceName];
    if (!serviceName || !slice.metadata.name) continue;
    const namespace = slice.metadata.namespace ?? 'default';
    const ports = [...(slice.ports ?? [])].sort((a, b) => (a.port ?? 0) - (b.port ?? 0));
    // Upstream sorts each slice's endpoints by their joined addresses before merging.
    const endpoints = [...slice.endpoints].sort((a, b) => cmp(a.addresses.join(','), b.addresses.join(',')));
    for (const port of ports) {
      if (port.name === undefined || !port.port) continue;
      const key = servicePortKey({ namespace, name: serviceName, port: port.name, protocol: (port.protocol ?? 'TCP') as Protocol });
      let set = bySP.get(key);
      if (!set) bySP.set(key, (set = new Map()));
      for (const ep of endpoints) {
        if (ep.addresses.length === 0) continue;
        const ip = ep.addresses[0];
        if (ipFamilyOf(ip) !== ipFamily) continue;
        const nodeName = ep.nodeName ?? '';
        const isLocal = opts.nodeName.length > 0 && nodeName === opts.nodeName;
        const info: EndpointInfo = {
          ip,
          port: port.port,
          endpoint: joinHostPort(ip, port.port),
          isLocal,
          ready: ep.conditions?.ready ?? true,
          serving: ep.conditions?.serving ?? true,
          terminating: ep.conditions?.terminating ?? false,
          nodeName,
          zone: ep.zone ?? '',
          zoneHints: new Set((ep.hints?.forZones ?? []).map((z) => z.name)),
          nodeHints: new Set((ep.hints?.forNodes ?? []).map((n) => n.name)),
        };
        // The same address in two slices: keep the first, unless the later one is local.
        if (!set.has(info.endpoint) || isLocal) set.set(info.endpoint, info);
      }
    }
  }
  const map: EndpointsMap = new Map();
  for (const [key, set] of bySP) {
    if (set.size === 0) continue;
    map.set(key, [...set.values()].sort((a, b) => cmp(a.endpoint, b.endpoint)));
  }
  return map;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
