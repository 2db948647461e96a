// Packet-flow tables of pkg/proxy/iptables/proxier_test.go: each case sends one packet through
// the rules syncProxyRules wrote and checks where it lands and whether it is masqueraded.
import { describe, expect, it } from 'vitest';
import type { Protocol, Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import {
  fakeProxierOptions,
  makeTestEndpointSlice,
  makeTestService,
  testExternalClient,
  testExternalClientBlocked,
  testNodeIP,
  testNodeIPAlt,
  testNodeIPs,
  testNodeIPv6,
  testNodeIPv6Alt,
  testNodeName,
} from '../testing';
import { syncProxyRules, type SyncProxyRulesOptions } from './proxier';
import { tracePacket } from './tracer';

interface PacketFlowTest {
  name: string;
  sourceIP: string;
  protocol?: Protocol;
  destIP: string;
  destPort: number;
  output: string;
  masq?: boolean;
}

function runPacketFlowTests(ref: string, rules: { nat: string; filter: string }, cases: PacketFlowTest[]) {
  for (const tc of cases) {
    it(`${ref}/${tc.name}`, () => {
      const r = tracePacket(rules, tc.sourceIP, (tc.protocol ?? 'TCP').toLowerCase(), tc.destIP, tc.destPort, testNodeIPs);
      expect({ output: r.output, masq: r.masq }, r.matches.join('\n')).toEqual({ output: tc.output, masq: tc.masq ?? false });
    });
  }
}

function sync(services: Service[], endpointSlices: EndpointSlice[], extra: Partial<SyncProxyRulesOptions> = {}) {
  return syncProxyRules({ ...fakeProxierOptions, services, endpointSlices, ...extra });
}

const tcp = (name: string, port: number) => ({ name, port, protocol: 'TCP' as const });

describe('TestNoEndpointsReject', () => {
  const svc = makeTestService('ns1', 'svc1', (s) => {
    s.spec.type = 'LoadBalancer';
    s.spec.clusterIP = '172.30.0.41';
    s.spec.externalIPs = ['192.168.99.11'];
    s.spec.ports = [{ name: 'p80', protocol: 'TCP', port: 80, nodePort: 3001 }];
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
  });
  runPacketFlowTests('TestNoEndpointsReject', sync([svc], []), [
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
      s.spec.ports = [tcp('http', 80)];
    }),
    makeTestService('ns2', 'svc2', (s) => {
      s.spec.clusterIP = '172.30.0.42';
      s.spec.ports = [
        tcp('http', 80),
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 5353 },
        { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
      ];
    }),
  ];
  const slices = [
    makeTestEndpointSlice('ns1', 'svc1', 1, (eps) => {
      eps.endpoints = [{ addresses: ['10.180.0.1'], nodeName: testNodeName }];
      eps.ports = [tcp('http', 80)];
    }),
    makeTestEndpointSlice('ns2', 'svc2', 1, (eps) => {
      eps.endpoints = [
        { addresses: ['10.180.0.1'], nodeName: testNodeName },
        { addresses: ['10.180.2.1'], nodeName: 'node2' },
      ];
      eps.ports = [
        tcp('http', 80),
        tcp('https', 8443),
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
        tcp('dns-tcp', 5353),
        { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
      ];
    }),
  ];
  runPacketFlowTests('TestClusterIPGeneral', sync(services, slices), [
    { name: 'simple clusterIP', sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80' },
    { name: 'hairpin to cluster IP', sourceIP: '10.180.0.1', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80', masq: true },
    { name: 'clusterIP with multiple endpoints', sourceIP: '10.180.0.2', destIP: '172.30.0.42', destPort: 80, output: '10.180.0.1:80, 10.180.2.1:80' },
    { name: 'clusterIP with TargetPort', sourceIP: '10.180.0.2', destIP: '172.30.0.42', destPort: 443, output: '10.180.0.1:8443, 10.180.2.1:8443' },
    { name: 'clusterIP with TCP, UDP, and SCTP on same port (TCP)', sourceIP: '10.180.0.2', protocol: 'TCP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:5353, 10.180.2.1:5353' },
    { name: 'clusterIP with TCP, UDP, and SCTP on same port (UDP)', sourceIP: '10.180.0.2', protocol: 'UDP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:53, 10.180.2.1:53' },
    { name: 'clusterIP with TCP, UDP, and SCTP on same port (SCTP)', sourceIP: '10.180.0.2', protocol: 'SCTP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:53, 10.180.2.1:53' },
    { name: 'TCP-only port does not match UDP traffic', sourceIP: '10.180.0.2', protocol: 'UDP', destIP: '172.30.0.42', destPort: 80, output: '' },
    { name: "svc1 does not accept svc2's ports", sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 443, output: '' },
  ]);
});

describe('TestLoadBalancer', () => {
  const svc = makeTestService('ns1', 'svc1', (s) => {
    s.spec.type = 'LoadBalancer';
    s.spec.clusterIP = '172.30.0.41';
    s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }];
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }] } };
    // The second range carries whitespace: a regression test that it is ignored.
    s.spec.loadBalancerSourceRanges = ['192.168.0.0/24', ' 203.0.113.0/25'];
  });
  const slice = makeTestEndpointSlice('ns1', 'svc1', 1, (eps) => {
    eps.endpoints = [{ addresses: ['10.180.0.1'] }];
    eps.ports = [tcp('p80', 80)];
  });
  const ep = '10.180.0.1:80';
  runPacketFlowTests('TestLoadBalancer', sync([svc], [slice]), [
    { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: ep },
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
    { name: 'ipv4, localhost-nodeports enabled', family: 'IPv4', localhostNodePorts: true, nodePortAddresses: undefined, allowAltNodeIP: true, expectFirewall: true },
    { name: 'ipv4, localhost-nodeports disabled', family: 'IPv4', localhostNodePorts: false, nodePortAddresses: undefined, allowAltNodeIP: true, expectFirewall: false },
    { name: 'ipv4, localhost-nodeports disabled, localhost in nodeport-addresses', family: 'IPv4', localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '127.0.0.1/32'], allowAltNodeIP: false, expectFirewall: false },
    { name: 'ipv4, localhost-nodeports enabled, multiple nodeport-addresses', family: 'IPv4', localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'], allowAltNodeIP: true, expectFirewall: false },
    { name: 'ipv6, localhost-nodeports enabled', family: 'IPv6', localhostNodePorts: true, nodePortAddresses: undefined, allowAltNodeIP: true, expectFirewall: false },
    { name: 'ipv6, localhost-nodeports disabled', family: 'IPv6', localhostNodePorts: false, nodePortAddresses: undefined, allowAltNodeIP: true, expectFirewall: false },
    { name: 'ipv6, localhost-nodeports disabled, multiple nodeport-addresses', family: 'IPv6', localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'], allowAltNodeIP: false, expectFirewall: false },
  ] as const;
  for (const tc of cases) {
    const v4 = tc.family === 'IPv4';
    const [svcIP, epIP1, epIP2] = v4 ? ['172.30.0.41', '10.180.0.1', '10.180.2.1'] : ['fd00:172:30::41', 'fd00:10:180::1', 'fd00:10:180::2:1'];
    const [podIP, externalClientIP, nodeIP, altNodeIP, localhostIP] = v4
      ? ['10.0.0.2', testExternalClient, testNodeIP, testNodeIPAlt, '127.0.0.1']
      : ['fd00:10::2', '2600:5200::1', testNodeIPv6, testNodeIPv6Alt, '::1'];
    const svc = makeTestService('ns1', 'svc1', (s) => {
      s.spec.type = 'NodePort';
      s.spec.clusterIP = svcIP;
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }];
    });
    const slice = makeTestEndpointSlice('ns1', 'svc1', 1, (eps) => {
      eps.addressType = tc.family;
      eps.endpoints = [{ addresses: [epIP1] }, { addresses: [epIP2], nodeName: testNodeName }];
      eps.ports = [tcp('p80', 80)];
    });
    const output = v4 ? `${epIP1}:80, ${epIP2}:80` : `[${epIP1}]:80, [${epIP2}]:80`;
    const ref = `TestNodePorts/${tc.name}`;
    const rules = sync([svc], [slice], {
      ipFamily: tc.family,
      clusterCIDR: v4 ? '10.0.0.0/8' : 'fd00:10::/64',
      nodeIPs: v4 ? fakeProxierOptions.nodeIPs : [testNodeIPv6, testNodeIPv6Alt],
      localhostNodePorts: tc.localhostNodePorts,
      nodePortAddresses: tc.nodePortAddresses ? [...tc.nodePortAddresses] : undefined,
    });
    runPacketFlowTests(ref, rules, [
      { name: 'pod to cluster IP', sourceIP: podIP, destIP: svcIP, destPort: 80, output },
      { name: 'external to nodePort', sourceIP: externalClientIP, destIP: nodeIP, destPort: 3001, output, masq: true },
      { name: 'node to nodePort', sourceIP: nodeIP, destIP: nodeIP, destPort: 3001, output, masq: true },
      v4 && tc.localhostNodePorts
        ? { name: 'localhost to nodePort gets masqueraded', sourceIP: localhostIP, destIP: localhostIP, destPort: 3001, output, masq: true }
        : { name: 'localhost to nodePort is ignored', sourceIP: localhostIP, destIP: localhostIP, destPort: 3001, output: '' },
      tc.allowAltNodeIP
        ? { name: 'external to nodePort on secondary IP', sourceIP: externalClientIP, destIP: altNodeIP, destPort: 3001, output, masq: true }
        : { name: 'secondary nodeIP ignores NodePorts', sourceIP: externalClientIP, destIP: altNodeIP, destPort: 3001, output: '' },
    ]);
    it(`${ref}/KUBE-FIREWALL`, () => {
      const firewall = rules.filter.split('\n').filter((l) => l.startsWith('-A KUBE-FIREWALL '));
      expect(firewall).toEqual(
        tc.expectFirewall
          ? ['-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP']
          : [],
      );
    });
  }
});

describe('TestHealthCheckNodePort', () => {
  const svc = makeTestService('ns1', 'svc1', (s) => {
    s.spec.type = 'LoadBalancer';
    s.spec.clusterIP = '172.30.0.42';
    s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }];
    s.spec.healthCheckNodePort = 30000;
    s.spec.externalTrafficPolicy = 'Local';
  });
  const opts = { nodePortAddresses: ['127.0.0.0/8'] };
  runPacketFlowTests('TestHealthCheckNodePort', sync([svc], [], opts), [
    { name: 'firewall accepts HealthCheckNodePort', sourceIP: '1.2.3.4', destIP: testNodeIP, destPort: 30000, output: 'ACCEPT' },
  ]);
  // Upstream deletes the Service and syncs again; here that is a sync without it.
  runPacketFlowTests('TestHealthCheckNodePort', sync([], [], opts), [
    { name: 'HealthCheckNodePort no longer has any rule', sourceIP: '1.2.3.4', destIP: testNodeIP, destPort: 30000, output: '' },
  ]);
});

function etpFixture(policy: 'Local' | 'Cluster') {
  const svc = makeTestService('ns1', 'svc1', (s) => {
    s.spec.type = 'LoadBalancer';
    s.spec.externalTrafficPolicy = policy;
    s.spec.clusterIP = '172.30.0.41';
    s.spec.externalIPs = ['192.168.99.11'];
    s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001, targetPort: 80 }];
    if (policy === 'Local') s.spec.healthCheckNodePort = 30000;
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
  });
  const slice = makeTestEndpointSlice('ns1', 'svc1', 1, (eps) => {
    eps.endpoints = [{ addresses: ['10.180.0.1'] }, { addresses: ['10.180.2.1'], nodeName: testNodeName }];
    eps.ports = [tcp('p80', 80)];
  });
  return sync([svc], [slice]);
}

describe('TestExternalTrafficPolicyLocal', () => {
  const both = '10.180.0.1:80, 10.180.2.1:80';
  const local = '10.180.2.1:80';
  runPacketFlowTests('TestExternalTrafficPolicyLocal', etpFixture('Local'), [
    { name: 'pod to cluster IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both },
    { name: 'pod to external IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '192.168.99.11', destPort: 80, output: both },
    { name: 'external to external IP hits only local endpoint, unmasqueraded', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: local },
    { name: 'pod to LB IP hits only both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: both },
    { name: 'external to LB IP hits only local endpoint, unmasqueraded', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: local },
    { name: 'pod to NodePort hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: both },
    { name: 'external to NodePort hits only local endpoint, unmasqueraded', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: local },
  ]);
});

describe('TestExternalTrafficPolicyCluster', () => {
  const both = '10.180.0.1:80, 10.180.2.1:80';
  runPacketFlowTests('TestExternalTrafficPolicyCluster', etpFixture('Cluster'), [
    { name: 'pod to cluster IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both },
    { name: 'pod to external IP hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: '192.168.99.11', destPort: 80, output: both, masq: true },
    { name: 'external to external IP hits both endpoints, masqueraded', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: both, masq: true },
    { name: 'pod to LB IP hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: both, masq: true },
    { name: 'external to LB IP hits both endpoints, masqueraded', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: both, masq: true },
    { name: 'pod to NodePort hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: both, masq: true },
    { name: 'external to NodePort hits both endpoints, masqueraded', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: both, masq: true },
  ]);
});

describe('TestInternalTrafficPolicy', () => {
  const cases: { name: string; itp: 'Cluster' | 'Local'; endpoints: [string, string][]; flow: PacketFlowTest }[] = [
    {
      name: 'internalTrafficPolicy is cluster',
      itp: 'Cluster',
      endpoints: [['10.0.1.1', testNodeName], ['10.0.1.2', 'node1'], ['10.0.1.3', 'node2']],
      flow: { name: 'pod to ClusterIP hits all endpoints', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: '10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80' },
    },
    {
      name: 'internalTrafficPolicy is local and there is one local endpoint',
      itp: 'Local',
      endpoints: [['10.0.1.1', testNodeName], ['10.0.1.2', 'node1'], ['10.0.1.3', 'node2']],
      flow: { name: 'pod to ClusterIP hits only local endpoint', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: '10.0.1.1:80' },
    },
    {
      name: 'internalTrafficPolicy is local and there are multiple local endpoints',
      itp: 'Local',
      endpoints: [['10.0.1.1', testNodeName], ['10.0.1.2', testNodeName], ['10.0.1.3', 'node2']],
      flow: { name: 'pod to ClusterIP hits all local endpoints', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: '10.0.1.1:80, 10.0.1.2:80' },
    },
    {
      name: 'internalTrafficPolicy is local and there are no local endpoints',
      itp: 'Local',
      endpoints: [['10.0.1.1', 'node0'], ['10.0.1.2', 'node1'], ['10.0.1.3', 'node2']],
      flow: { name: 'no endpoints', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: 'DROP' },
    },
  ];
  const svc = (itp: 'Cluster' | 'Local') =>
    makeTestService('ns1', 'svc1', (s) => {
      s.spec.clusterIP = '172.30.1.1';
      s.spec.selector = { foo: 'bar' };
      s.spec.ports = [{ name: '', port: 80, protocol: 'TCP' }];
      s.spec.internalTrafficPolicy = itp;
    });
  for (const tc of cases) {
    const slice = makeTestEndpointSlice('ns1', 'svc1', 1, (eps) => {
      eps.ports = [tcp('', 80)];
      eps.endpoints = tc.endpoints.map(([ip, nodeName]) => ({ addresses: [ip], conditions: { ready: true }, nodeName }));
    });
    runPacketFlowTests(`TestInternalTrafficPolicy/${tc.name}`, sync([svc(tc.itp)], [slice]), [tc.flow]);
    runPacketFlowTests(`TestInternalTrafficPolicy/${tc.name}`, sync([svc(tc.itp)], []), [
      { name: 'endpoints deleted', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: 'REJECT' },
    ]);
  }
});

type Cond = [ip: string, ready: boolean, serving: boolean, terminating: boolean, node: string];

function terminatingCases(policy: 'Local' | 'Cluster') {
  const ref = `TestTerminatingEndpointsTrafficPolicy${policy}`;
  const service = makeTestService('ns1', 'svc1', (s) => {
    s.spec.clusterIP = '172.30.1.1';
    s.spec.type = 'LoadBalancer';
    s.spec.externalTrafficPolicy = policy;
    s.spec.ports = [{ name: '', targetPort: 80, port: 80, protocol: 'TCP' }];
    s.spec.healthCheckNodePort = 30000;
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
  });
  const local = policy === 'Local';
  const cases: { name: string; endpoints: Cond[]; pod: string; external: string }[] = [
    {
      name: 'ready endpoints exist',
      endpoints: [
        ['10.0.1.1', true, true, false, testNodeName],
        ['10.0.1.2', true, true, false, testNodeName],
        ['10.0.1.3', false, true, true, local ? testNodeName : 'another-node'],
        ['10.0.1.4', false, false, true, local ? testNodeName : 'another-node'],
        ['10.0.1.5', true, true, false, local ? 'node-1' : 'another-node'],
      ],
      pod: '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80',
      external: local ? '10.0.1.1:80, 10.0.1.2:80' : '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80',
    },
    {
      name: 'only terminating endpoints exist',
      endpoints: local
        ? [
            ['10.0.1.2', false, true, true, testNodeName],
            ['10.0.1.3', false, true, true, testNodeName],
            ['10.0.1.4', false, false, true, testNodeName],
            ['10.0.1.5', true, true, false, 'node-1'],
          ]
        : [
            ['10.0.1.2', false, true, true, testNodeName],
            ['10.0.1.3', false, true, true, testNodeName],
            ['10.0.1.4', false, false, true, 'another-node'],
            ['10.0.1.5', false, true, true, 'another-node'],
          ],
      pod: local ? '10.0.1.5:80' : '10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80',
      external: local ? '10.0.1.2:80, 10.0.1.3:80' : '10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80',
    },
    {
      name: 'terminating endpoints on remote node',
      endpoints: [['10.0.1.5', false, true, true, 'node-1']],
      pod: '10.0.1.5:80',
      external: local ? 'DROP' : '10.0.1.5:80',
    },
    {
      name: 'no usable endpoints on any node',
      endpoints: [
        ['10.0.1.5', false, false, true, testNodeName],
        ['10.0.1.5', false, false, true, 'node-1'],
      ],
      pod: 'REJECT',
      external: 'REJECT',
    },
  ];
  describe(ref, () => {
    for (const tc of cases) {
      const slice = makeTestEndpointSlice('ns1', 'svc1', 1, (eps) => {
        eps.ports = [tcp('', 80)];
        eps.endpoints = tc.endpoints.map(([ip, ready, serving, terminating, nodeName]) => ({ addresses: [ip], conditions: { ready, serving, terminating }, nodeName }));
      });
      const dnat = (o: string) => o !== 'DROP' && o !== 'REJECT';
      runPacketFlowTests(`${ref}/${tc.name}`, sync([service], [slice]), [
        { name: 'pod to clusterIP', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: tc.pod },
        // Cluster policy masquerades external traffic; Local keeps the client's address.
        { name: 'external to LB', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: tc.external, masq: !local && dnat(tc.external) },
      ]);
      runPacketFlowTests(`${ref}/${tc.name}`, sync([service], []), [
        { name: 'pod to clusterIP after endpoints deleted', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: 'REJECT' },
        { name: 'external to LB after endpoints deleted', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: 'REJECT' },
      ]);
    }
  });
}
terminatingCases('Local');
terminatingCases('Cluster');
