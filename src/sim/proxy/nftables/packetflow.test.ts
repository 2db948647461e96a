import { describe, expect, it } from 'vitest';
import type { Protocol, Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import {
  makeTestEndpointSlice,
  makeTestService,
  testExternalClient,
  testExternalClientBlocked,
  testExternalIP,
  testNodeIP,
  testNodeIPAlt,
  testNodeIPs,
  testNodeIPv6,
  testNodeIPv6Alt,
  testNodeName,
} from '../testing';
import { syncNFTablesProxyRules, type SyncNFTablesOptions } from './proxier';
import { traceNFTablesPacket } from './tracer';

/** Upstream's NewFakeProxier(v1.IPv4Protocol) in pkg/proxy/nftables/proxier_test.go. */
const fake: Omit<SyncNFTablesOptions, 'services' | 'endpointSlices'> = {
  nodeName: testNodeName,
  nodeIPs: [testNodeIP, testNodeIPAlt, testExternalIP],
  clusterCIDR: '10.0.0.0/8',
  masqueradeMark: '0x4000',
  nodePortAddresses: [`${testNodeIP}/32`, '2001:db8::1/128'],
  serviceCIDRs: ['172.30.0.0/16'],
};

interface PacketFlowTest {
  name: string;
  sourceIP: string;
  protocol?: Protocol;
  destIP: string;
  destPort: number;
  output: string;
  masq?: boolean;
}

// Upstream: pkg/proxy/nftables/helpers_test.go (runPacketFlowTests)
function runPacketFlowTests(ref: string, services: Service[], slices: EndpointSlice[], cases: PacketFlowTest[], extra: Partial<SyncNFTablesOptions> = {}) {
  const { table } = syncNFTablesProxyRules({ ...fake, services, endpointSlices: slices, ...extra });
  for (const tc of cases) {
    it(`${ref}/${tc.name}`, () => {
      // ref: `${ref}/${tc.name}`
      const r = traceNFTablesPacket(table, { sourceIP: tc.sourceIP, protocol: tc.protocol, destIP: tc.destIP, destPort: tc.destPort }, testNodeIPs);
      expect(r.output).toBe(tc.output);
      if (tc.masq !== undefined) expect(r.masq).toBe(tc.masq);
    });
  }
}

describe('TestNoEndpointsReject', () => {
  const svc = makeTestService('ns1', 'svc1', (s) => {
    s.spec.type = 'LoadBalancer';
    s.spec.clusterIP = '172.30.0.41';
    s.spec.externalIPs = ['192.168.99.11'];
    s.spec.ports = [{ name: 'p80', protocol: 'TCP', port: 80, nodePort: 3001 }];
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
  });
  runPacketFlowTests('TestNoEndpointsReject', [svc], [], [
    { name: 'pod to cluster IP with no endpoints', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: 'REJECT' },
    { name: 'external to external IP with no endpoints', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: 'REJECT' },
    { name: 'pod to NodePort with no endpoints', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: 'REJECT' },
    { name: 'external to NodePort with no endpoints', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: 'REJECT' },
    { name: 'pod to LoadBalancer IP with no endpoints', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: 'REJECT' },
    { name: 'external to LoadBalancer IP with no endpoints', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: 'REJECT' },
  ]);
});

describe('TestClusterIPGeneral', () => {
  const services = [
    makeTestService('ns1', 'svc1', (s) => {
      s.spec.clusterIP = '172.30.0.41';
      s.spec.ports = [{ name: 'http', port: 80, protocol: 'TCP' }];
    }),
    makeTestService('ns2', 'svc2', (s) => {
      s.spec.clusterIP = '172.30.0.42';
      s.spec.ports = [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 5353 },
        { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
      ];
    }),
  ];
  const slices = [
    makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
      e.endpoints = [{ addresses: ['10.180.0.1'], nodeName: testNodeName }];
      e.ports = [{ name: 'http', port: 80, protocol: 'TCP' }];
    }),
    makeTestEndpointSlice('ns2', 'svc2', 1, (e) => {
      e.endpoints = [{ addresses: ['10.180.0.1'], nodeName: testNodeName }, { addresses: ['10.180.2.1'], nodeName: 'node2' }];
      e.ports = [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'https', port: 8443, protocol: 'TCP' },
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 5353, protocol: 'TCP' },
        { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
      ];
    }),
  ];
  runPacketFlowTests('TestClusterIPGeneral', services, slices, [
    { name: 'simple clusterIP', sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80', masq: false },
    { name: 'hairpin to cluster IP', sourceIP: '10.180.0.1', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80', masq: true },
    { name: 'clusterIP with multiple endpoints', sourceIP: '10.180.0.2', destIP: '172.30.0.42', destPort: 80, output: '10.180.0.1:80, 10.180.2.1:80', masq: false },
    { name: 'clusterIP with TargetPort', sourceIP: '10.180.0.2', destIP: '172.30.0.42', destPort: 443, output: '10.180.0.1:8443, 10.180.2.1:8443', masq: false },
    { name: 'clusterIP with TCP, UDP, and SCTP on same port (TCP)', sourceIP: '10.180.0.2', protocol: 'TCP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:5353, 10.180.2.1:5353', masq: false },
    { name: 'clusterIP with TCP, UDP, and SCTP on same port (UDP)', sourceIP: '10.180.0.2', protocol: 'UDP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:53, 10.180.2.1:53', masq: false },
    { name: 'clusterIP with TCP, UDP, and SCTP on same port (SCTP)', sourceIP: '10.180.0.2', protocol: 'SCTP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:53, 10.180.2.1:53', masq: false },
    { name: 'TCP-only port does not match UDP traffic', sourceIP: '10.180.0.2', protocol: 'UDP', destIP: '172.30.0.42', destPort: 80, output: 'REJECT' },
    { name: "svc1 does not accept svc2's ports", sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 443, output: 'REJECT' },
    { name: 'packet to unallocated cluster ip', sourceIP: '10.180.0.2', destIP: '172.30.0.50', destPort: 80, output: 'DROP' },
  ]);
});

const oneSlice = (ns: string, name: string, endpoints: EndpointSlice['endpoints'], ipv6 = false) =>
  makeTestEndpointSlice(ns, name, 1, (e) => {
    e.addressType = ipv6 ? 'IPv6' : 'IPv4';
    e.endpoints = endpoints;
    e.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }];
  });

describe('TestLoadBalancer', () => {
  const svc = makeTestService('ns1', 'svc1', (s) => {
    s.spec.type = 'LoadBalancer';
    s.spec.clusterIP = '172.30.0.41';
    s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }];
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }] } };
    // Excess whitespace must be ignored (a regression test upstream).
    s.spec.loadBalancerSourceRanges = ['192.168.0.0/24', ' 203.0.113.0/25'];
  });
  const ep = '10.180.0.1:80';
  runPacketFlowTests('TestLoadBalancer', [svc], [oneSlice('ns1', 'svc1', [{ addresses: ['10.180.0.1'] }])], [
    { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: ep, masq: false },
    { name: 'external to nodePort', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: ep, masq: true },
    { name: 'nodePort bypasses LoadBalancerSourceRanges', sourceIP: testExternalClientBlocked, destIP: testNodeIP, destPort: 3001, output: ep, masq: true },
    { name: 'accepted external to LB1', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: ep, masq: true },
    { name: 'accepted external to LB2', sourceIP: testExternalClient, destIP: '5.6.7.8', destPort: 80, output: ep, masq: true },
    { name: 'blocked external to LB1', sourceIP: testExternalClientBlocked, destIP: '1.2.3.4', destPort: 80, output: 'DROP' },
    { name: 'blocked external to LB2', sourceIP: testExternalClientBlocked, destIP: '5.6.7.8', destPort: 80, output: 'DROP' },
    { name: 'pod to LB1 (blocked by LoadBalancerSourceRanges)', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: 'DROP' },
    { name: 'pod to LB2 (blocked by LoadBalancerSourceRanges)', sourceIP: '10.0.0.2', destIP: '5.6.7.8', destPort: 80, output: 'DROP' },
    { name: 'node to LB1 (allowed by LoadBalancerSourceRanges)', sourceIP: testNodeIP, destIP: '1.2.3.4', destPort: 80, output: ep, masq: true },
    { name: 'node to LB2 (allowed by LoadBalancerSourceRanges)', sourceIP: testNodeIP, destIP: '5.6.7.8', destPort: 80, output: ep, masq: true },
    { name: 'same node to LB1, SNATted to LB1 (implicitly allowed)', sourceIP: '1.2.3.4', destIP: '1.2.3.4', destPort: 80, output: ep, masq: true },
    { name: 'same node to LB2, SNATted to LB2 (implicitly allowed)', sourceIP: '5.6.7.8', destIP: '5.6.7.8', destPort: 80, output: ep, masq: true },
  ]);
});

describe('TestNodePorts', () => {
  const cases = [
    { name: 'ipv4', ipv6: false, nodePortAddresses: undefined, allowAltNodeIP: false },
    { name: 'ipv4, multiple nodeport-addresses', ipv6: false, nodePortAddresses: ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'], allowAltNodeIP: true },
    { name: 'ipv6', ipv6: true, nodePortAddresses: undefined, allowAltNodeIP: false },
    { name: 'ipv6, multiple nodeport-addresses', ipv6: true, nodePortAddresses: ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64', '2001:db8:1::2/128'], allowAltNodeIP: true },
  ];
  for (const tc of cases) {
    const [svcIP, ep1, ep2, nodeIP, podIP, client, altNodeIP] = tc.ipv6
      ? ['fd00:172:30::41', 'fd00:10:180::1', 'fd00:10:180::2:1', testNodeIPv6, 'fd00:10::2', '2600:5200::1', testNodeIPv6Alt]
      : ['172.30.0.41', '10.180.0.1', '10.180.2.1', testNodeIP, '10.0.0.2', testExternalClient, testNodeIPAlt];
    const svc = makeTestService('ns1', 'svc1', (s) => {
      s.spec.type = 'NodePort';
      s.spec.clusterIP = svcIP;
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }];
    });
    const slice = oneSlice('ns1', 'svc1', [{ addresses: [ep1] }, { addresses: [ep2], nodeName: testNodeName }], tc.ipv6);
    const join = (ip: string) => (tc.ipv6 ? `[${ip}]:80` : `${ip}:80`);
    const output = `${join(ep1)}, ${join(ep2)}`;
    // Upstream's NewFakeProxier(IPv6): pod CIDR fd00:10::/64, service CIDR fd00:10:96::/112, node IP 2001:db8::1.
    const family: Partial<SyncNFTablesOptions> = tc.ipv6
      ? { ipFamily: 'IPv6', nodeIPs: [testNodeIPv6, testNodeIPv6Alt], clusterCIDR: 'fd00:10::/64', serviceCIDRs: ['fd00:10:96::/112'] }
      : {};
    runPacketFlowTests(`TestNodePorts/${tc.name}`, [svc], [slice], [
      { name: 'pod to cluster IP', sourceIP: podIP, destIP: svcIP, destPort: 80, output, masq: false },
      { name: 'external to nodePort', sourceIP: client, destIP: nodeIP, destPort: 3001, output, masq: true },
      { name: 'node to nodePort', sourceIP: nodeIP, destIP: nodeIP, destPort: 3001, output, masq: true },
      tc.allowAltNodeIP
        ? { name: 'external to nodePort on secondary IP', sourceIP: client, destIP: altNodeIP, destPort: 3001, output, masq: true }
        : { name: 'secondary nodeIP ignores NodePorts', sourceIP: client, destIP: altNodeIP, destPort: 3001, output: '' },
    ], { ...family, ...(tc.nodePortAddresses ? { nodePortAddresses: tc.nodePortAddresses } : {}) });
  }
});

describe('TestExternalTrafficPolicyLocal / TestExternalTrafficPolicyCluster', () => {
  for (const policy of ['Local', 'Cluster'] as const) {
    const svc = makeTestService('ns1', 'svc1', (s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.externalTrafficPolicy = policy;
      s.spec.clusterIP = '172.30.0.41';
      s.spec.externalIPs = ['192.168.99.11'];
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001, targetPort: 80 }];
      if (policy === 'Local') s.spec.healthCheckNodePort = 30000;
      s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
    });
    const slice = oneSlice('ns1', 'svc1', [{ addresses: ['10.180.0.1'] }, { addresses: ['10.180.2.1'], nodeName: testNodeName }]);
    const both = '10.180.0.1:80, 10.180.2.1:80';
    const local = policy === 'Local';
    runPacketFlowTests(`TestExternalTrafficPolicy${policy}`, [svc], [slice], [
      { name: 'pod to cluster IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both, masq: false },
      { name: `pod to external IP hits both endpoints, ${local ? 'unmasqueraded' : 'masqueraded'}`, sourceIP: '10.0.0.2', destIP: '192.168.99.11', destPort: 80, output: both, masq: !local },
      local
        ? { name: 'external to external IP hits only local endpoint, unmasqueraded', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: '10.180.2.1:80', masq: false }
        : { name: 'external to external IP hits both endpoints, masqueraded', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: both, masq: true },
      { name: local ? 'pod to LB IP hits only both endpoints, unmasqueraded' : 'pod to LB IP hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: both, masq: !local },
      local
        ? { name: 'external to LB IP hits only local endpoint, unmasqueraded', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: '10.180.2.1:80', masq: false }
        : { name: 'external to LB IP hits both endpoints, masqueraded', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: both, masq: true },
      { name: `pod to NodePort hits both endpoints, ${local ? 'unmasqueraded' : 'masqueraded'}`, sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: both, masq: !local },
      local
        ? { name: 'external to NodePort hits only local endpoint, unmasqueraded', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: '10.180.2.1:80', masq: false }
        : { name: 'external to NodePort hits both endpoints, masqueraded', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: both, masq: true },
    ]);
  }
});

describe('nftables lookup cost', () => {
  it('costs the same few rules and lookups for the first and the last of many Services', () => {
    // ref: the model's own (one verdict-map lookup instead of a chain walk)
    const services = Array.from({ length: 50 }, (_, i) =>
      makeTestService('ns', `svc${i}`, (s) => {
        s.spec.clusterIP = `172.30.1.${i + 1}`;
        s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }];
      }),
    );
    const slices = services.map((_, i) =>
      makeTestEndpointSlice('ns', `svc${i}`, 1, (e) => {
        e.endpoints = [{ addresses: [`10.180.1.${i + 1}`] }];
        e.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }];
      }),
    );
    const { table } = syncNFTablesProxyRules({ ...fake, services, endpointSlices: slices });
    const first = traceNFTablesPacket(table, { sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80 }, testNodeIPs);
    const last = traceNFTablesPacket(table, { sourceIP: '10.0.0.2', destIP: '172.30.1.50', destPort: 80 }, testNodeIPs);
    expect(first.output).toBe('10.180.1.1:80');
    expect(last.output).toBe('10.180.1.50:80');
    expect(last.rulesEvaluated).toBe(first.rulesEvaluated);
    expect(last.lookups).toBe(first.lookups);
  });
});
