/**
 * Which Services a pod change concerns: k8s.io/endpointslice util/controller_utils.go at v0.34.0
 * (`GetPodServiceMemberships`, `podEndpointsChanged`, `GetServicesToUpdateOnPodChange`,
 * `determineNeededServiceUpdates`), shared by the Endpoints and EndpointSlice controllers.
 */
import type { Pod, Service } from '../../api/core/v1';
import { isPodReady } from './pod';

/** What the helpers need of a Service lister: the Services of a namespace. */
export interface ServiceLister {
  list(namespace: string): Service[];
}

/** `namespace/name`, the workqueue key of an object. */
export function objectKey(obj: { metadata: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata.namespace ?? '';
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

/** Whether a set-based selector (`spec.selector`) matches the labels. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if ((labels ?? {})[k] !== v) return false;
  return true;
}

/** Keys of the Services whose selector matches the pod (a Service without a selector matches nothing). */
// Upstream: endpointslice util/controller_utils.go (GetPodServiceMemberships)
export function getPodServiceMemberships(lister: ServiceLister, pod: Pod): Set<string> {
  const set = new Set<string>();
  for (const svc of lister.list(pod.metadata.namespace ?? '')) {
    if (!svc.spec.selector) continue;
    if (selectorMatches(svc.spec.selector, pod.metadata.labels)) set.add(objectKey(svc));
  }
  return set;
}

const json = (v: unknown) => JSON.stringify(v ?? null);

/** [the pod changed in a way that changes its endpoint, its labels or hostname/subdomain changed]. */
// Upstream: endpointslice util/controller_utils.go (podEndpointsChanged)
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): [boolean, boolean] {
  const labelsChanged = json(sortedLabels(oldPod)) !== json(sortedLabels(newPod)) || oldPod.spec.hostname !== newPod.spec.hostname || oldPod.spec.subdomain !== newPod.spec.subdomain;
  if (newPod.metadata.deletionTimestamp !== oldPod.metadata.deletionTimestamp) return [true, labelsChanged];
  if (isPodReady(oldPod) !== isPodReady(newPod)) return [true, labelsChanged];
  const oldIPs = oldPod.status?.podIPs ?? [];
  const newIPs = newPod.status?.podIPs ?? [];
  if (oldIPs.length !== newIPs.length) return [true, labelsChanged];
  for (let i = 0; i < oldIPs.length; i++) if (oldIPs[i].ip !== newIPs[i].ip) return [true, labelsChanged];
  return [false, labelsChanged];
}

function sortedLabels(p: Pod): [string, string][] {
  return Object.entries(p.metadata.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Keys of the Services a pod update may affect (none for a resync, where the resourceVersion is unchanged). */
// Upstream: endpointslice util/controller_utils.go (GetServicesToUpdateOnPodChange)
export function getServicesToUpdateOnPodChange(lister: ServiceLister, oldPod: Pod, newPod: Pod): Set<string> {
  if (newPod.metadata.resourceVersion === oldPod.metadata.resourceVersion) return new Set();
  const [podChanged, labelsChanged] = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return new Set();
  let services = getPodServiceMemberships(lister, newPod);
  if (labelsChanged) services = determineNeededServiceUpdates(getPodServiceMemberships(lister, oldPod), services, podChanged);
  return services;
}

/** The union when the pod changed too, else only the Services it joined or left. */
// Upstream: endpointslice util/controller_utils.go (determineNeededServiceUpdates)
export function determineNeededServiceUpdates(oldServices: Set<string>, services: Set<string>, podChanged: boolean): Set<string> {
  if (podChanged) return new Set([...services, ...oldServices]);
  const out = new Set<string>();
  for (const s of services) if (!oldServices.has(s)) out.add(s);
  for (const s of oldServices) if (!services.has(s)) out.add(s);
  return out;
}
