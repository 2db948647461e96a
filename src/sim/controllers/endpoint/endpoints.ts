/**
 * From pods to Endpoints subsets, and the 1,000-address cap: pkg/controller/endpoint/
 * endpoints_controller.go (kubernetes v1.34: `podToEndpointAddressForService`,
 * `addEndpointSubset`, `endpointPortFromServicePort`, `capacityAnnotationSetCorrectly`,
 * `truncateEndpoints`, `addressSubset`).
 */
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod, Service, ServicePort } from '../../api/core/v1';
import { isIPv6String } from '../../netaddr/ip';
import { isPodReady } from '../util/pod';
import { semanticEqual } from '../endpointslice/utils';

/** At most this many addresses in an Endpoints object; the rest are cut. */
export const maxCapacity = 1000;
/** The annotation saying addresses were cut (Go: `v1.EndpointsOverCapacity`). */
export const EndpointsOverCapacity = 'endpoints.kubernetes.io/over-capacity';
/** Its value. */
export const truncated = 'truncated';

/** The pod's address of the Service's (first) IP family, or an error if it has none. */
// Upstream: endpoints_controller.go (podToEndpointAddressForService)
export function podToEndpointAddressForService(svc: Service, pod: Pod): EndpointAddress {
  let family: 'IPv4' | 'IPv6' = 'IPv4';
  if ((svc.spec.ipFamilies ?? []).length > 0) family = svc.spec.ipFamilies![0];
  else if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') family = isIPv6String(svc.spec.clusterIP) ? 'IPv6' : 'IPv4';
  else if (isIPv6String(pod.status?.podIP ?? '')) family = 'IPv6';
  const ip = (pod.status?.podIPs ?? []).find((p) => (family === 'IPv6') === isIPv6String(p.ip))?.ip;
  if (!ip) throw new Error(`failed to find a matching endpoint for service ${svc.metadata.name}`);
  const ref: EndpointAddress['targetRef'] = { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' };
  if (pod.metadata.uid) ref.uid = pod.metadata.uid;
  return { ip, nodeName: pod.spec.nodeName ?? '', targetRef: ref };
}

/** One subset for one pod and port: ready, or not ready unless the Service tolerates it. Returns [ready, notReady] counts. */
// Upstream: endpoints_controller.go (addEndpointSubset)
export function addEndpointSubset(subsets: EndpointSubset[], pod: Pod, epa: EndpointAddress, epp: EndpointPort | undefined, tolerateUnreadyEndpoints: boolean): [number, number] {
  const ports = epp ? [epp] : [];
  if (tolerateUnreadyEndpoints || isPodReady(pod)) {
    subsets.push({ addresses: [epa], ports });
    return [1, 0];
  }
  subsets.push({ notReadyAddresses: [epa], ports });
  return [0, 1];
}

// Upstream: endpoints_controller.go (endpointPortFromServicePort)
export function endpointPortFromServicePort(sp: ServicePort, portNum: number): EndpointPort {
  const p: EndpointPort = { port: portNum };
  if (sp.name) p.name = sp.name;
  if (sp.protocol) p.protocol = sp.protocol;
  if (sp.appProtocol !== undefined) p.appProtocol = sp.appProtocol;
  return p;
}

/** False if over capacity (the annotation must be set, with a cut), else whether the annotation is absent. */
// Upstream: endpoints_controller.go (capacityAnnotationSetCorrectly)
export function capacityAnnotationSetCorrectly(annotations: Record<string, string> | undefined, subsets: EndpointSubset[] | undefined): boolean {
  let n = 0;
  for (const ss of subsets ?? []) n += (ss.addresses?.length ?? 0) + (ss.notReadyAddresses?.length ?? 0);
  if (n > maxCapacity) return false;
  return !Object.hasOwn(annotations ?? {}, EndpointsOverCapacity);
}

/**
 * Cuts the subsets to 1,000 addresses, each subset keeping its share (rounded up, so the last may
 * get less): not-ready addresses go first; if the ready ones alone exceed the cap, every not-ready
 * one goes and the ready ones are cut. Returns whether it cut anything.
 */
// Upstream: endpoints_controller.go (truncateEndpoints)
export function truncateEndpoints(endpoints: Endpoints): boolean {
  const subsets = endpoints.subsets ?? [];
  let totalReady = 0;
  let totalNotReady = 0;
  for (const ss of subsets) {
    totalReady += ss.addresses?.length ?? 0;
    totalNotReady += ss.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= maxCapacity) return false;
  let truncateReady = false;
  let max = maxCapacity - totalReady;
  let numTotal = totalNotReady;
  if (totalReady > maxCapacity) {
    truncateReady = true;
    max = maxCapacity;
    numTotal = totalReady;
  }
  let canBeAdded = max;
  for (const ss of subsets) {
    const numInSubset = truncateReady ? (ss.addresses?.length ?? 0) : (ss.notReadyAddresses?.length ?? 0);
    let toBeAdded = Math.ceil((numInSubset / numTotal) * max);
    if (toBeAdded > canBeAdded) toBeAdded = canBeAdded;
    if (truncateReady) {
      ss.addresses = addressSubset(ss.addresses ?? [], toBeAdded);
      ss.notReadyAddresses = [];
      canBeAdded -= ss.addresses.length;
    } else {
      ss.notReadyAddresses = addressSubset(ss.notReadyAddresses ?? [], toBeAdded);
      canBeAdded -= ss.notReadyAddresses.length;
    }
  }
  return true;
}

// Upstream: endpoints_controller.go (addressSubset)
function addressSubset(addresses: EndpointAddress[], maxNum: number): EndpointAddress[] {
  return addresses.length <= maxNum ? addresses : addresses.slice(0, maxNum);
}

/** Whether the subsets agree on everything but the pods' resourceVersions (a pod update that changes nothing else). */
// Upstream: endpoints_controller.go (endpointSubsetsEqualIgnoreResourceVersion)
export function endpointSubsetsEqualIgnoreResourceVersion(a: EndpointSubset[] | undefined, b: EndpointSubset[] | undefined): boolean {
  const strip = (x: EndpointAddress) => (x.targetRef ? { ...x, targetRef: { ...x.targetRef, resourceVersion: undefined } } : x);
  const norm = (s: EndpointSubset[] | undefined) => (s ?? []).map((ss) => ({ ...ss, addresses: ss.addresses?.map(strip), notReadyAddresses: ss.notReadyAddresses?.map(strip) }));
  return semanticEqual(norm(a), norm(b));
}
