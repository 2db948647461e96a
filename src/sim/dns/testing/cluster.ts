/**
 * A small kubeadm-like cluster for the DNS tests and labs: the `kubernetes` and `kube-dns`
 * Services, a ClusterIP Service with named ports, a headless Service of a StatefulSet, an
 * ExternalName Service, and their EndpointSlices.
 */
import type { Pod, Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { newCoreDNS, type CoreDNS, type CoreDNSOptions } from '../coredns/server';
import { newUpstreamResolver } from '../coredns/upstream';
import type { Network } from '../resolver/glibc';

export function makeService(ns: string, name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec };
}

export function makeSlice(ns: string, service: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'], suffix = 'abcde'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name: `${service}-${suffix}`, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

export function makePod(ns: string, name: string, spec: Partial<Pod['spec']> = {}, podIP = '10.244.1.5'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns, name, uid: `uid-${name}` }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec }, status: { podIP, podIPs: [{ ip: podIP }] } };
}

export const clusterServices: Service[] = [
  makeService('default', 'kubernetes', { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] }),
  makeService('kube-system', 'kube-dns', {
    type: 'ClusterIP',
    clusterIP: '10.96.0.10',
    clusterIPs: ['10.96.0.10'],
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ],
  }),
  makeService('default', 'my-svc', { type: 'ClusterIP', clusterIP: '10.96.100.20', clusterIPs: ['10.96.100.20'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }] }),
  makeService('default', 'nginx', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }),
  makeService('default', 'db', { type: 'ExternalName', externalName: 'www.example.com' }),
  makeService('prod', 'api', { type: 'ClusterIP', clusterIP: '10.96.7.7', clusterIPs: ['10.96.7.7'], ports: [{ name: 'grpc', port: 8443, protocol: 'TCP' }] }),
];

export const clusterSlices: EndpointSlice[] = [
  makeSlice('default', 'kubernetes', [{ addresses: ['192.168.49.2'], conditions: { ready: true } }], [{ name: 'https', port: 6443, protocol: 'TCP' }]),
  makeSlice('kube-system', 'kube-dns', [
    { addresses: ['10.244.0.2'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'coredns-674b8bbfcf-7xk2p', namespace: 'kube-system' } },
    { addresses: ['10.244.0.3'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'coredns-674b8bbfcf-q9w4z', namespace: 'kube-system' } },
  ], [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    { name: 'metrics', port: 9153, protocol: 'TCP' },
  ]),
  makeSlice('default', 'my-svc', [
    { addresses: ['10.244.1.10'], conditions: { ready: true } },
    { addresses: ['10.244.2.11'], conditions: { ready: true } },
  ], [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }]),
  makeSlice('default', 'nginx', [
    { addresses: ['10.244.1.20'], hostname: 'web-0', conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-0', namespace: 'default' } },
    { addresses: ['10.244.2.21'], hostname: 'web-1', conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } },
    { addresses: ['10.244.2.22'], hostname: 'web-2', conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'web-2', namespace: 'default' } },
  ], [{ name: 'web', port: 80, protocol: 'TCP' }]),
  makeSlice('prod', 'api', [{ addresses: ['10.244.3.4'], conditions: { ready: true } }], [{ name: 'grpc', port: 8443, protocol: 'TCP' }]),
];

/** CoreDNS over the cluster above, serial fixed so golden files do not move. */
export function clusterDNS(opts: CoreDNSOptions = {}): CoreDNS {
  return newCoreDNS({ services: clusterServices, endpointSlices: clusterSlices, localIPs: ['10.244.0.2'], serial: 1764892800, ...opts });
}

/** A pod's view of the network: CoreDNS at 10.96.0.10, the node's upstream at 192.168.49.1. */
export function clusterNetwork(dns: CoreDNS = clusterDNS()): Network {
  return { '10.96.0.10': dns, '192.168.49.1': newUpstreamResolver() };
}

export const podResolvConfDefault = 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';
