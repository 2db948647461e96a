// A one-node kubeadm cluster as kube-proxy sees it: the `kubernetes` Service, CoreDNS behind
// kube-dns (two replicas), and a NodePort web Service. Shared by the node-view goldens.
import type { Service } from '../../../api/core/v1';
import type { EndpointSlice } from '../../../api/discovery/v1';
import { makeTestEndpointSlice, makeTestService } from '../../testing';

export const kubeadmNode = { nodeName: 'control-plane', nodeIPs: ['192.168.0.2'], clusterCIDR: '10.244.0.0/16' };

export function kubeadmCluster(): { services: Service[]; endpointSlices: EndpointSlice[] } {
  const services = [
    makeTestService('default', 'kubernetes', (s) => {
      s.spec.type = 'ClusterIP';
      s.spec.clusterIP = '10.96.0.1';
      s.spec.ports = [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }];
    }),
    makeTestService('kube-system', 'kube-dns', (s) => {
      s.spec.type = 'ClusterIP';
      s.spec.clusterIP = '10.96.0.10';
      s.spec.ports = [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ];
    }),
    makeTestService('default', 'web', (s) => {
      s.spec.type = 'NodePort';
      s.spec.clusterIP = '10.96.120.7';
      s.spec.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }];
    }),
  ];
  const endpointSlices = [
    makeTestEndpointSlice('default', 'kubernetes', 1, (e) => {
      e.metadata.name = 'kubernetes';
      e.endpoints = [{ addresses: ['192.168.0.2'], conditions: { ready: true } }];
      e.ports = [{ name: 'https', port: 6443, protocol: 'TCP' }];
    }),
    makeTestEndpointSlice('kube-system', 'kube-dns', 1, (e) => {
      e.endpoints = ['10.244.0.2', '10.244.0.3'].map((ip) => ({ addresses: [ip], conditions: { ready: true }, nodeName: 'control-plane' }));
      e.ports = [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ];
    }),
    makeTestEndpointSlice('default', 'web', 1, (e) => {
      e.endpoints = ['10.244.0.5', '10.244.0.6', '10.244.0.7'].map((ip) => ({ addresses: [ip], conditions: { ready: true }, nodeName: 'control-plane' }));
      e.ports = [{ name: 'http', port: 8080, protocol: 'TCP' }];
    }),
  ];
  return { services, endpointSlices };
}
