/**
 * Fixture builders after pkg/proxy/iptables/proxier_test.go (makeTestService,
 * makeTestEndpointSlice) and its conventions: pod IPs 10.0.0.0/8, ClusterIPs 172.30.0.0/16,
 * node IP 192.168.0.2, external IPs 192.168.99.0/24, LB IPs 1.2.3.4 / 5.6.7.8 / 9.10.11.12.
 */
import type { Service } from '../api/core/v1';
import type { SyncProxyRulesOptions } from './iptables/proxier';
import { LabelServiceName, type EndpointSlice } from '../api/discovery/v1';

export const testNodeName = 'test-node';
export const testNodeIP = '192.168.0.2';
export const testNodeIPAlt = '192.168.1.2';
export const testExternalIP = '192.168.99.11';
export const testNodeIPv6 = '2001:db8::1';
export const testNodeIPv6Alt = '2001:db8:1::2';
export const testExternalClient = '203.0.113.2';
export const testExternalClientBlocked = '203.0.113.130';

export function makeTestService(namespace: string, name: string, tweak: (svc: Service) => void): Service {
  const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, annotations: {} }, spec: {}, status: {} };
  tweak(svc);
  return svc;
}

export function makeTestEndpointSlice(namespace: string, name: string, sliceNum: number, tweak: (eps: EndpointSlice) => void): EndpointSlice {
  const eps: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-${sliceNum}`, namespace, annotations: {}, labels: { [LabelServiceName]: name } },
    addressType: 'IPv4',
    endpoints: [],
    ports: [],
  };
  tweak(eps);
  return eps;
}

/**
 * The settings of upstream's NewFakeProxier: detect-local by the pod CIDR 10.0.0.0/8, mark
 * 0x4000 written as is, node IP 192.168.0.2, localhost NodePorts on, nfacct counters present,
 * and a fake iptables without `--random-fully`.
 */
export const fakeProxierOptions: Omit<SyncProxyRulesOptions, 'services' | 'endpointSlices'> = {
  nodeName: testNodeName,
  nodeIPs: [testNodeIP, testNodeIPAlt, testExternalIP],
  clusterCIDR: '10.0.0.0/8',
  masqueradeMark: '0x4000',
  localhostNodePorts: true,
  nfacct: true,
  randomFully: false,
};

/** Upstream's testNodeIPs: the addresses the tracer treats as LOCAL. */
export const testNodeIPs = [testNodeIP, testNodeIPAlt, testExternalIP, testNodeIPv6, testNodeIPv6Alt];
