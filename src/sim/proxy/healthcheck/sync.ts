/**
 * What a proxier's sync hands the health check server: the health check ports of its Services
 * and each Service's local ready endpoints.
 */
import type { Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { buildEndpointsMap, type EndpointsMap } from '../endpointslicecache';
import { buildServicePortMap, type ServicePortInfo } from '../serviceport';
import { ServiceHealthServer, type NamespacedName } from './service_health';

// Upstream: pkg/proxy/servicechangetracker.go (ServicePortMap.HealthCheckNodePorts)
export function healthCheckNodePorts(svcPortMap: Map<string, ServicePortInfo>): Map<NamespacedName, number> {
  const ports = new Map<NamespacedName, number>();
  for (const info of svcPortMap.values()) {
    if (info.healthCheckNodePort !== 0) ports.set(`${info.name.namespace}/${info.name.name}`, info.healthCheckNodePort);
  }
  return ports;
}

// Upstream: pkg/proxy/endpointschangetracker.go (EndpointsMap.LocalReadyEndpoints). Counted by
// IP, not IP and port: a pod behind two ports of the Service is one endpoint. Only ready ones
// count: a terminating pod's endpoint is not ready (only serving), so a node left with those
// fails the check and the load balancer drains it.
export function localReadyEndpoints(endpointsMap: EndpointsMap): Map<NamespacedName, number> {
  const ips = new Map<NamespacedName, Set<string>>();
  for (const [key, eps] of endpointsMap) {
    const nsn = namespacedNameOfKey(key);
    for (const ep of eps) {
      if (!ep.ready || !ep.isLocal) continue;
      let set = ips.get(nsn);
      if (!set) ips.set(nsn, (set = new Set()));
      set.add(ep.ip);
    }
  }
  return new Map([...ips].map(([nsn, set]) => [nsn, set.size]));
}

export interface ServiceHealthOptions {
  services: Service[];
  endpointSlices: EndpointSlice[];
  /** The node kube-proxy runs on. */
  nodeName: string;
  /** The proxier's own health (default true). */
  proxyHealthy?: boolean;
}

/** A node's health check server after a full sync of these Services and slices. */
export function syncServiceHealth(opts: ServiceHealthOptions): ServiceHealthServer {
  const server = new ServiceHealthServer(() => opts.proxyHealthy ?? true);
  server.syncServices(healthCheckNodePorts(buildServicePortMap(opts.services)));
  server.syncEndpoints(localReadyEndpoints(buildEndpointsMap(opts.endpointSlices, { nodeName: opts.nodeName })));
  return server;
}

/** `ns/name` of a servicePortKey (`ns/name:port/PROTO`, or `ns/name/PROTO` for an unnamed port). */
function namespacedNameOfKey(key: string): NamespacedName {
  const colon = key.indexOf(':');
  return key.slice(0, colon < 0 ? key.lastIndexOf('/') : colon);
}
