/**
 * CoreDNS over what the API server holds now: one list of Services, EndpointSlices and
 * Namespaces (upstream keeps the same three in informer caches; a later change needs a new
 * snapshot here). Upstream: coredns v1.12.1 plugin/kubernetes/controller.go (newdnsController:
 * the services, endpointslices and namespaces informers).
 */
import type { Pod, Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import type { Clientset } from '../../client/clientset';
import { newCoreDNS, type CoreDNS, type CoreDNSOptions } from './server';

export async function coreDNSFromClientset(client: Clientset, opts: Omit<CoreDNSOptions, 'services' | 'endpointSlices' | 'namespaces'> = {}): Promise<CoreDNS> {
  const [services, slices, namespaces, dnsPods] = await Promise.all([
    client.coreV1().services('').list(),
    client.discoveryV1().endpointSlices('').list(),
    client.coreV1().namespaces().list(),
    client.coreV1().pods('kube-system').list({ labelSelector: 'k8s-app=kube-dns' }),
  ]);
  // The answering CoreDNS pod's own IP, which makes NS name the kube-dns Service.
  const first = dnsPods.items[0] as unknown as Pod | undefined;
  const localIPs = first?.status?.podIPs?.map((p) => p.ip) ?? (first?.status?.podIP ? [first.status.podIP] : []);
    return newCoreDNS({
    localIPs,
    ...opts,
    services: services.items as unknown as Service[],
    endpointSlices: slices.items as unknown as EndpointSlice[],
    namespaces: namespaces.items.map((n) => n.metadata?.name ?? ''),
  });
}
