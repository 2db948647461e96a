// The six Services and five slices of upstream's TestOverallIPTablesRules
// (pkg/proxy/iptables/proxier_test.go), shared by the tests that read its output.
import type { Service } from '../../../api/core/v1';
import type { EndpointSlice } from '../../../api/discovery/v1';
import { makeTestEndpointSlice, makeTestService, testNodeName } from '../../testing';

const p80 = { name: 'p80', port: 80, protocol: 'TCP' as const };

export function overallFixture(): { services: Service[]; slices: EndpointSlice[] } {
  const services = [
    makeTestService('ns1', 'svc1', (s) => {
      s.spec.clusterIP = '172.30.0.41';
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }];
    }),
    makeTestService('ns2', 'svc2', (s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.externalTrafficPolicy = 'Local';
      s.spec.clusterIP = '172.30.0.42';
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }];
      s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
      s.spec.externalIPs = ['192.168.99.22'];
      s.spec.healthCheckNodePort = 30000;
    }),
    makeTestService('ns3', 'svc3', (s) => {
      s.spec.type = 'NodePort';
      s.spec.clusterIP = '172.30.0.43';
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3003 }];
    }),
    makeTestService('ns4', 'svc4', (s) => {
      s.spec.type = 'NodePort';
      s.spec.clusterIP = '172.30.0.44';
      s.spec.externalIPs = ['192.168.99.33'];
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }];
    }),
    makeTestService('ns5', 'svc5', (s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.externalTrafficPolicy = 'Cluster';
      s.spec.clusterIP = '172.30.0.45';
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3002 }];
      s.status = { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } };
      s.spec.healthCheckNodePort = 30000;
      // Whitespace must not crash the proxier (validation once let it through).
      s.spec.loadBalancerSourceRanges = [' 203.0.113.0/25'];
      s.spec.sessionAffinity = 'ClientIP';
      s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
    }),
    makeTestService('ns6', 'svc6', (s) => {
      s.spec.type = 'ClusterIP';
      s.spec.clusterIP = '172.30.0.46';
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }];
    }),
  ];
  const slice = (ns: string, name: string, endpoints: EndpointSlice['endpoints']) =>
    makeTestEndpointSlice(ns, name, 1, (eps) => {
      eps.addressType = 'IPv4';
      eps.endpoints = endpoints;
      eps.ports = [p80];
    });
  const slices = [
    slice('ns1', 'svc1', [{ addresses: ['10.180.0.1'] }]),
    // No nodeName: non-local, so the Local policy has nothing here.
    slice('ns2', 'svc2', [{ addresses: ['10.180.0.2'] }]),
    slice('ns3', 'svc3', [{ addresses: ['10.180.0.3'] }]),
    slice('ns4', 'svc4', [{ addresses: ['10.180.0.4'] }, { addresses: ['10.180.0.5'], nodeName: testNodeName }]),
    slice('ns5', 'svc5', [{ addresses: ['10.180.0.3'] }]),
  ];
  return { services, slices };
}

