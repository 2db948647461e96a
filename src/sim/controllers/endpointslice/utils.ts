/**
 * From pods to endpoints, and the slices' metadata: k8s.io/endpointslice utils.go at v0.34.0.
 */
import type { Node, ObjectReference, Pod, Service } from '../../api/core/v1';
import { LabelManagedBy, LabelServiceName, type AddressType, type Endpoint, type EndpointPort, type EndpointSlice } from '../../api/discovery/v1';
import { findPort, isPodReady, isServiceIPSet, shouldSetHostname } from '../util/pod';
import { ipString, isIPv6String } from '../../netaddr/ip';
import { EndpointsLastChangeTriggerTime, formatRFC3339Nano } from '../util/trigger_time_tracker';

/** The label a headless Service's slices and Endpoints carry (Go: `v1.IsHeadlessService`). */
export const IsHeadlessService = 'service.kubernetes.io/headless';
/** Go: `v1.LabelTopologyZone`. */
export const LabelTopologyZone = 'topology.kubernetes.io/zone';
/** Go: `v1.AnnotationTopologyMode`. */
export const AnnotationTopologyMode = 'service.kubernetes.io/topology-mode';
/** Go: `v1.DeprecatedAnnotationTopologyAwareHints`. */
export const DeprecatedAnnotationTopologyAwareHints = 'service.kubernetes.io/topology-aware-hints';

/** The ports and address type a group of slices shares. */
export interface EndpointMeta {
  ports: EndpointPort[];
  addressType: AddressType;
}

/**
 * The endpoint of a pod for one address type. Serving is the pod's readiness; terminating is its
 * deletion; ready is serving and not terminating, or always with publishNotReadyAddresses.
 */
// Upstream: endpointslice utils.go (podToEndpoint)
export function podToEndpoint(pod: Pod, node: Node | undefined, service: Service, addressType: AddressType): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = !!service.spec.publishNotReadyAddresses || (serving && !terminating);
  const targetRef: ObjectReference = { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' };
  if (pod.metadata.uid) targetRef.uid = pod.metadata.uid;
  const ep: Endpoint = { addresses: getEndpointAddresses(pod, addressType), conditions: { ready, serving, terminating } };
  if (shouldSetHostname(pod, service)) ep.hostname = pod.spec.hostname;
  ep.targetRef = targetRef;
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[LabelTopologyZone];
  if (zone) ep.zone = zone;
  return ep;
}

/**
 * The slice ports of a pod: each Service port with its target resolved on this pod; a port whose
 * named target the pod lacks is left out (so such pods land in slices of their own).
 */
// Upstream: endpointslice utils.go (getEndpointPorts)
export function getEndpointPorts(service: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  const ports = service.spec.ports ?? [];
  if (ports.length === 0 && service.spec.clusterIP === 'None') return out;
  for (const sp of ports) {
    let portNum: number;
    try {
      portNum = findPort(pod, sp);
    } catch {
      continue;
    }
    const ep: EndpointPort = { name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port: portNum };
    if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/** The pod's IPs of one family, re-printed in canonical form. */
// Upstream: endpointslice utils.go (getEndpointAddresses)
export function getEndpointAddresses(pod: Pod, addressType: AddressType): string[] {
  const out: string[] = [];
  for (const { ip } of pod.status?.podIPs ?? []) {
    const v6 = isIPv6String(ip);
    if (v6 && addressType === 'IPv6') out.push(ipString(ip));
    if (!v6 && addressType === 'IPv4') out.push(ipString(ip));
  }
  return out;
}

/** A new, unnamed slice for the Service (the API server names it from generateName `<service>-`). */
// Upstream: endpointslice utils.go (newEndpointSlice)
export function newEndpointSlice(service: Service, meta: EndpointMeta, controllerName: string): EndpointSlice {
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      labels: {},
      generateName: getEndpointSlicePrefix(service.metadata.name ?? ''),
      namespace: service.metadata.namespace,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: service.metadata.name ?? '', uid: service.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType: meta.addressType,
    endpoints: [],
    ports: meta.ports,
  };
  slice.metadata.labels = setEndpointSliceLabels(slice, service, controllerName)[0];
  return slice;
}

const DNS1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `<service>-`, or the bare name when the dash would make it too long for a name. */
// Upstream: endpointslice utils.go (getEndpointSlicePrefix)
export function getEndpointSlicePrefix(serviceName: string): string {
  const prefix = `${serviceName}-`;
  // NameIsDNSSubdomain(prefix, true) checks a prefix with its trailing dash masked as a letter.
  const probe = `${serviceName}a`;
  return probe.length <= 253 && DNS1123Subdomain.test(probe) ? prefix : serviceName;
}

/** Whether the slice's owner references name this Service (by UID). */
// Upstream: endpointslice utils.go (ownedBy)
export function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some((o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

/**
 * The slice that will be closest to full once `numEndpoints` are added, or undefined if none
 * has room. Ties go to the first such slice.
 */
// Upstream: endpointslice utils.go (getSliceToFill)
export function getSliceToFill<S extends { endpoints?: unknown[] }>(slices: S[], numEndpoints: number, maxEndpoints: number): S | undefined {
  let closestDiff = maxEndpoints;
  let closest: S | undefined;
  for (const s of slices) {
    const diff = maxEndpoints - (numEndpoints + (s.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (closestDiff === 0) return closest;
    }
  }
  return closest;
}

/** Sets the last-change-trigger-time annotation, or clears it when there is no trigger time. */
// Upstream: endpointslice utils.go (addTriggerTimeAnnotation)
export function addTriggerTimeAnnotation(slice: EndpointSlice, triggerTimeMs: number | undefined): void {
  slice.metadata.annotations ??= {};
  if (triggerTimeMs !== undefined) slice.metadata.annotations[EndpointsLastChangeTriggerTime] = formatRFC3339Nano(triggerTimeMs);
  else delete slice.metadata.annotations[EndpointsLastChangeTriggerTime];
}

/** The key of the Service a slice belongs to, from its service-name label. */
// Upstream: endpointslice utils.go (ServiceControllerKey)
export function serviceControllerKey(slice: EndpointSlice | undefined): string {
  if (!slice) throw new Error('nil EndpointSlice passed to ServiceControllerKey()');
  const name = slice.metadata.labels?.[LabelServiceName];
  if (!name) throw new Error(`EndpointSlice missing ${LabelServiceName} label`);
  return `${slice.metadata.namespace ?? ''}/${name}`;
}

/** Go: `isReservedLabelKey`. */
export function isReservedLabelKey(label: string): boolean {
  return label === LabelServiceName || label === LabelManagedBy || label === IsHeadlessService;
}

/**
 * The slice's labels: the Service's (reserved keys aside), the headless label for a Service
 * without a ClusterIP, and the service-name and managed-by labels; and whether the Service's
 * labels differ from the slice's.
 */
// Upstream: endpointslice utils.go (setEndpointSliceLabels)
export function setEndpointSliceLabels(slice: EndpointSlice, service: Service, controllerName: string): [Record<string, string>, boolean] {
  const epLabels: Record<string, string> = {};
  const svcLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(slice.metadata.labels ?? {})) if (!isReservedLabelKey(k)) epLabels[k] = v;
  for (const [k, v] of Object.entries(service.metadata.labels ?? {})) if (!isReservedLabelKey(k)) svcLabels[k] = v;
  const updated = !sameStringMap(epLabels, svcLabels);
  if (!isServiceIPSet(service)) svcLabels[IsHeadlessService] = '';
  else delete svcLabels[IsHeadlessService];
  svcLabels[LabelServiceName] = service.metadata.name ?? '';
  svcLabels[LabelManagedBy] = controllerName;
  return [svcLabels, updated];
}

function sameStringMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

/**
 * The address types the Service's slices carry: from spec.ipFamilies; without them (an old API
 * server), the ClusterIP's family, or both for a headless Service.
 */
// Upstream: endpointslice utils.go (getAddressTypesForService)
export function getAddressTypesForService(service: Service): Set<AddressType> {
  const out = new Set<AddressType>();
  for (const f of service.spec.ipFamilies ?? []) {
    if (f === 'IPv4') out.add('IPv4');
    if (f === 'IPv6') out.add('IPv6');
  }
  if (out.size > 0) return out;
  const cip = service.spec.clusterIP;
  if (cip && cip !== 'None') {
    out.add(isIPv6String(cip) ? 'IPv6' : 'IPv4');
    return out;
  }
  out.add('IPv4');
  out.add('IPv6');
  return out;
}

/** The existing slices neither updated nor deleted. */
// Upstream: endpointslice utils.go (unchangedSlices)
export function unchangedSlices(existing: EndpointSlice[], toUpdate: EndpointSlice[], toDelete: EndpointSlice[]): EndpointSlice[] {
  const changed = new Set<string | undefined>([...toUpdate, ...toDelete].map((s) => s.metadata.name));
  return existing.filter((s) => !changed.has(s.metadata.name));
}

/** Whether topology-aware hints are asked for: `Auto` or `auto` in the deprecated annotation, else in topology-mode. */
// Upstream: endpointslice utils.go (hintsEnabled)
export function hintsEnabled(annotations: Record<string, string> | undefined): boolean {
  const a = annotations ?? {};
  const val = Object.hasOwn(a, DeprecatedAnnotationTopologyAwareHints) ? a[DeprecatedAnnotationTopologyAwareHints] : Object.hasOwn(a, AnnotationTopologyMode) ? a[AnnotationTopologyMode] : undefined;
  return val === 'Auto' || val === 'auto';
}

/**
 * Whether an existing slice already is the placeholder: compared on everything but metadata,
 * of which only the namespace and labels count; an empty list equals an absent one.
 */
// Upstream: endpointslice reconciler.go (placeholderSliceCompare)
export function placeholderSliceEqual(a: EndpointSlice | undefined, b: EndpointSlice | undefined): boolean {
  if (!a || !b) return a === b;
  if ((a.metadata?.namespace ?? '') !== (b.metadata?.namespace ?? '')) return false;
  if (!semanticEqual(a.metadata?.labels, b.metadata?.labels)) return false;
  return semanticEqual(a.addressType, b.addressType) && semanticEqual(a.endpoints, b.endpoints) && semanticEqual(a.ports, b.ports);
}

/** apimachinery's Equalities.DeepEqual on plain data: an empty list or map equals an absent one. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
  if (empty(a) && empty(b)) return (a === undefined || a === null || typeof a === 'object') && (b === undefined || b === null || typeof b === 'object');
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => semanticEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!semanticEqual(ao[k], bo[k])) return false;
  return true;
}
