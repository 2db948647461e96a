/**
 * What kube-proxy keeps of a Service, one entry per port: after pkg/proxy/serviceport.go
 * (BaseServicePortInfo), pkg/proxy/servicechangetracker.go (serviceToServiceMap) and
 * pkg/api/v1/service/util.go (ExternalPolicyLocal, InternalPolicyLocal, NeedsHealthCheck).
 */
import type { IPFamily, Protocol, Service } from '../api/core/v1';
import { canonicalCIDR, ipFamilyOf } from './util/ip';

/** `ns/name:port`, or `ns/name` when the port has no name; the protocol is part of the key. */
export interface ServicePortName {
  namespace: string;
  name: string;
  port: string;
  protocol: Protocol;
}

// Upstream: pkg/proxy/types.go (ServicePortName.String)
export function servicePortNameString(spn: Pick<ServicePortName, 'namespace' | 'name' | 'port'>): string {
  return `${spn.namespace}/${spn.name}${spn.port ? `:${spn.port}` : ''}`;
}

/** The map key: Go compares the whole struct, so the protocol takes part. */
export function servicePortKey(spn: ServicePortName): string {
  return `${servicePortNameString(spn)}/${spn.protocol}`;
}

/** Upstream's BaseServicePortInfo with its accessors as fields. */
export interface ServicePortInfo {
  name: ServicePortName;
  /** `servicePortNameString(name)`, computed once as the proxier does. */
  nameString: string;
  clusterIP: string;
  port: number;
  protocol: Protocol;
  nodePort: number;
  loadBalancerVIPs: string[];
  sessionAffinityType: 'None' | 'ClientIP';
  stickyMaxAgeSeconds: number;
  externalIPs: string[];
  loadBalancerSourceRanges: string[];
  /** 0 unless the Service is a LoadBalancer with externalTrafficPolicy Local. */
  healthCheckNodePort: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
}

// Upstream: pkg/api/v1/service/util.go (ExternalPolicyLocal)
export function externalPolicyLocal(service: Service): boolean {
  if (service.spec.type !== 'LoadBalancer' && service.spec.type !== 'NodePort') return false;
  return service.spec.externalTrafficPolicy === 'Local';
}

// Upstream: pkg/api/v1/service/util.go (InternalPolicyLocal)
export function internalPolicyLocal(service: Service): boolean {
  return service.spec.internalTrafficPolicy === 'Local';
}

// Upstream: pkg/api/v1/service/util.go (NeedsHealthCheck)
export function needsHealthCheck(service: Service): boolean {
  return service.spec.type === 'LoadBalancer' && externalPolicyLocal(service);
}

// Upstream: pkg/proxy/serviceport.go (ExternallyAccessible)
export function externallyAccessible(info: ServicePortInfo): boolean {
  return info.nodePort !== 0 || info.loadBalancerVIPs.length > 0 || info.externalIPs.length > 0;
}

// Upstream: pkg/proxy/serviceport.go (UsesClusterEndpoints): external traffic with policy Local
// still needs the cluster endpoints for the short-circuit of traffic from inside the node.
export function usesClusterEndpoints(info: ServicePortInfo): boolean {
  return !info.internalPolicyLocal || externallyAccessible(info);
}

// Upstream: pkg/proxy/serviceport.go (UsesLocalEndpoints)
export function usesLocalEndpoints(info: ServicePortInfo): boolean {
  return info.internalPolicyLocal || (info.externalPolicyLocal && externallyAccessible(info));
}

// Upstream: pkg/proxy/util/utils.go (ShouldSkipService): headless and ExternalName Services
// have nothing to proxy.
export function shouldSkipService(service: Service): boolean {
  const ip = service.spec.clusterIP;
  return !ip || ip === 'None' || service.spec.type === 'ExternalName';
}

// Upstream: pkg/proxy/util/utils.go (GetClusterIPByFamily)
export function clusterIPByFamily(ipFamily: IPFamily, service: Service): string {
  const ips = service.spec.clusterIPs ?? [];
  if (ips.length === 0) {
    const ip = service.spec.clusterIP ?? '';
    return ipFamilyOf(ip) === ipFamily ? ip : '';
  }
  return ips.find((ip) => ipFamilyOf(ip) === ipFamily) ?? '';
}

// Upstream: pkg/proxy/serviceport.go (newBaseServiceInfo)
function newBaseServiceInfo(service: Service, ipFamily: IPFamily, portIndex: number): ServicePortInfo {
  const port = service.spec.ports![portIndex];
  const protocol = port.protocol ?? 'TCP';
  const name: ServicePortName = {
    namespace: service.metadata.namespace ?? 'default',
    name: service.metadata.name ?? '',
    port: port.name ?? '',
    protocol,
  };
  const affinity = service.spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None';
  // The API server defaults timeoutSeconds to 10800 (3h) when ClientIP affinity is set.
  const sticky = affinity === 'ClientIP' ? service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 : 0;
  const lbVIPs = (service.status?.loadBalancer?.ingress ?? [])
    .filter((ing) => ing.ip && (ing.ipMode === undefined || ing.ipMode === 'VIP'))
    .map((ing) => ing.ip!)
    .filter((ip) => ipFamilyOf(ip) === ipFamily);
  // Validation lets whitespace through in source ranges; upstream trims it.
  const ranges = (service.spec.loadBalancerSourceRanges ?? [])
    .map((r) => r.trim())
    .filter((r) => ipFamilyOf(r) === ipFamily)
    .map(canonicalCIDR);
  return {
    name,
    nameString: servicePortNameString(name),
    clusterIP: clusterIPByFamily(ipFamily, service),
    port: port.port,
    protocol,
    nodePort: port.nodePort ?? 0,
    loadBalancerVIPs: lbVIPs,
    sessionAffinityType: affinity,
    stickyMaxAgeSeconds: sticky,
    externalIPs: (service.spec.externalIPs ?? []).filter((ip) => ipFamilyOf(ip) === ipFamily),
    loadBalancerSourceRanges: ranges,
    healthCheckNodePort: needsHealthCheck(service) ? service.spec.healthCheckNodePort ?? 0 : 0,
    externalPolicyLocal: externalPolicyLocal(service),
    internalPolicyLocal: internalPolicyLocal(service),
  };
}

// Upstream: pkg/proxy/servicechangetracker.go (serviceToServiceMap)
export function serviceToServicePorts(service: Service, ipFamily: IPFamily = 'IPv4'): ServicePortInfo[] {
  if (shouldSkipService(service)) return [];
  if (clusterIPByFamily(ipFamily, service) === '') return [];
  return (service.spec.ports ?? []).map((_, i) => newBaseServiceInfo(service, ipFamily, i));
}

/** Upstream's ServicePortMap, built at once from a list of Services (no change tracking). */
export function buildServicePortMap(services: Service[], ipFamily: IPFamily = 'IPv4'): Map<string, ServicePortInfo> {
  const map = new Map<string, ServicePortInfo>();
  for (const svc of services) for (const info of serviceToServicePorts(svc, ipFamily)) map.set(servicePortKey(info.name), info);
  return map;
}
