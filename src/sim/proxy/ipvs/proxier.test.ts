// Tables after pkg/proxy/ipvs/proxier_test.go: the virtual and real servers, the ipset entries
// and the (jump, match-set) pairs of the iptables chains the IPVS proxier writes.
import { describe, expect, it } from 'vitest';
import type { Protocol, Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { makeTestEndpointSlice, makeTestService, testNodeName } from '../testing';
import { ipvsadmList } from './ipvsadm';
import { syncIPVSProxyRules, virtualServerString, type SyncIPVSOptions, type SyncIPVSResult } from './proxier';

function sync(services: Service[], slices: EndpointSlice[], extra: Partial<SyncIPVSOptions> = {}): SyncIPVSResult {
  return syncIPVSProxyRules({ services, endpointSlices: slices, nodeName: testNodeName, masqueradeMark: '0x4000', randomFully: false, ...extra });
}

/** VS `ip:port/PROTO` -> its real servers `ip:port`, sorted (upstream compares maps). */
function ipvsState(r: SyncIPVSResult): Record<string, string[]> {
  return Object.fromEntries(r.virtualServers.map((vs) => [virtualServerString(vs), vs.realServers.map((rs) => `${rs.address}:${rs.port}`).sort()]));
}

const set = (r: SyncIPVSResult, name: string) => r.ipsets.find((s) => s.name === name)!.entries;

/** upstream's checkIptables view: each rule of a chain as its jump target and the set it matches. */
function chainView(text: string, chain: string): { jump: string; matchSet: string; source?: string }[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`-A ${chain} `))
    .map((l) => {
      const jump = / -j (\S+)/.exec(l)![1];
      const matchSet = / --match-set (\S+)/.exec(l)?.[1] ?? '';
      const source = / -s (\S+)/.exec(l)?.[1];
      return source && !matchSet ? { jump, matchSet, source } : { jump, matchSet };
    });
}

const nodePortService = (protocol: Protocol, etpLocal = false) =>
  makeTestService('ns1', 'svc1', (s) => {
    s.spec.type = 'NodePort';
    s.spec.clusterIP = '10.20.30.41';
    s.spec.ports = [{ name: 'p80', port: 80, protocol, nodePort: 3001 }];
    if (etpLocal) s.spec.externalTrafficPolicy = 'Local';
  });
const slice = (protocol: Protocol, endpoints: EndpointSlice['endpoints'], n = 1, addressType: EndpointSlice['addressType'] = 'IPv4') =>
  makeTestEndpointSlice('ns1', 'svc1', n, (eps) => {
    eps.addressType = addressType;
    eps.endpoints = endpoints;
    eps.ports = [{ name: 'p80', port: 80, protocol }];
  });

describe('TestNodePortIPv4', () => {
  it('TestNodePortIPv4/1 service with node port, has 2 endpoints', () => {
    const r = sync([nodePortService('TCP')], [slice('TCP', [{ addresses: ['10.180.0.1'] }]), slice('TCP', [{ addresses: ['1002:ab8::2:10'] }], 2, 'IPv6')], {
      nodeIPs: ['100.101.102.103', '2001:db8::1:1'],
      nodePortAddresses: [],
    });
    expect(ipvsState(r)).toEqual({ '10.20.30.41:80/TCP': ['10.180.0.1:80'], '100.101.102.103:3001/TCP': ['10.180.0.1:80'] });
    expect(r.virtualServers.every((vs) => vs.scheduler === 'rr' && vs.flags.length === 0)).toBe(true);
  });

  it('TestNodePortIPv4/1 UDP service with node port, has endpoints', () => {
    const r = sync([nodePortService('UDP')], [slice('UDP', [{ addresses: ['10.180.0.1'] }])], { nodeIPs: ['100.101.102.103'], nodePortAddresses: ['0.0.0.0/0'] });
    expect(ipvsState(r)).toEqual({ '10.20.30.41:80/UDP': ['10.180.0.1:80'], '100.101.102.103:3001/UDP': ['10.180.0.1:80'] });
    expect(set(r, 'KUBE-NODE-PORT-UDP')).toEqual(['3001']);
    expect(chainView(r.nat, 'KUBE-NODE-PORT')).toEqual([{ jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-NODE-PORT-UDP' }]);
    expect(chainView(r.filter, 'KUBE-NODE-PORT')).toEqual([{ jump: 'ACCEPT', matchSet: 'KUBE-HEALTH-CHECK-NODE-PORT' }]);
    expect(chainView(r.nat, 'KUBE-SERVICES')).toEqual([
      { jump: 'RETURN', matchSet: '', source: '127.0.0.0/8' },
      { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-CLUSTER-IP' },
      { jump: 'KUBE-NODE-PORT', matchSet: '' },
      { jump: 'ACCEPT', matchSet: 'KUBE-CLUSTER-IP' },
    ]);
  });

  it('TestNodePortIPv4/service has node port but no endpoints', () => {
    const r = sync([nodePortService('TCP')], [], { nodeIPs: ['100.101.102.103'], nodePortAddresses: [] });
    // Virtual servers exist without real servers: IPVS has no REJECT, the connection just fails.
    expect(ipvsState(r)).toEqual({ '10.20.30.41:80/TCP': [], '100.101.102.103:3001/TCP': [] });
  });

  it('TestNodePortIPv4/node port service with protocol sctp on a node with multiple nodeIPs', () => {
    const nodeIPs = ['100.101.102.103', '100.101.102.104', '100.101.102.105', '2001:db8::1:1', '2001:db8::1:2', '2001:db8::1:3'];
    const r = sync([nodePortService('SCTP')], [slice('SCTP', [{ addresses: ['10.180.0.1'] }])], { nodeIPs, nodePortAddresses: [] });
    expect(ipvsState(r)).toEqual({
      '10.20.30.41:80/SCTP': ['10.180.0.1:80'],
      '100.101.102.103:3001/SCTP': ['10.180.0.1:80'],
      '100.101.102.104:3001/SCTP': ['10.180.0.1:80'],
      '100.101.102.105:3001/SCTP': ['10.180.0.1:80'],
    });
    expect(set(r, 'KUBE-NODE-PORT-SCTP-HASH')).toEqual(['100.101.102.103,sctp:3001', '100.101.102.104,sctp:3001', '100.101.102.105,sctp:3001']);
  });

  it('TestNodePortIPv4/node port service with protocol sctp and externalTrafficPolicy local', () => {
    const r = sync(
      [nodePortService('SCTP', true)],
      [slice('SCTP', [{ addresses: ['10.180.0.1'], nodeName: testNodeName }, { addresses: ['10.180.1.1'], nodeName: 'other-node' }])],
      { nodeIPs: ['100.101.102.103'], nodePortAddresses: [] },
    );
    expect(ipvsState(r)).toEqual({ '10.20.30.41:80/SCTP': ['10.180.0.1:80', '10.180.1.1:80'], '100.101.102.103:3001/SCTP': ['10.180.0.1:80'] });
    expect(set(r, 'KUBE-NODE-PORT-SCTP-HASH')).toEqual(['100.101.102.103,sctp:3001']);
    expect(set(r, 'KUBE-NODE-PORT-LOCAL-SCTP-HASH')).toEqual(['100.101.102.103,sctp:3001']);
    expect(chainView(r.nat, 'KUBE-NODE-PORT')).toEqual([
      { jump: 'RETURN', matchSet: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH' },
      { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-NODE-PORT-SCTP-HASH' },
    ]);
  });
});

describe('externalTrafficPolicy Local and health checks', () => {
  it('TestOnlyLocalNodePorts', () => {
    const r = sync(
      [nodePortService('TCP', true)],
      [slice('TCP', [{ addresses: ['10.180.0.1'], nodeName: testNodeName }, { addresses: ['10.180.1.1'], nodeName: 'other-node' }])],
      { nodeIPs: ['100.101.102.103', '2001:db8::'], nodePortAddresses: ['100.101.102.0/24'] },
    );
    expect(r.virtualServers).toHaveLength(2);
    expect(ipvsState(r)['100.101.102.103:3001/TCP']).toEqual(['10.180.0.1:80']);
    expect(set(r, 'KUBE-NODE-PORT-TCP')).toEqual(['3001']);
    expect(set(r, 'KUBE-NODE-PORT-LOCAL-TCP')).toEqual(['3001']);
    expect(chainView(r.nat, 'KUBE-SERVICES')).toEqual([
      { jump: 'RETURN', matchSet: '', source: '127.0.0.0/8' },
      { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-CLUSTER-IP' },
      { jump: 'KUBE-NODE-PORT', matchSet: '' },
      { jump: 'ACCEPT', matchSet: 'KUBE-CLUSTER-IP' },
    ]);
    expect(chainView(r.nat, 'KUBE-NODE-PORT')).toEqual([
      { jump: 'RETURN', matchSet: 'KUBE-NODE-PORT-LOCAL-TCP' },
      { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-NODE-PORT-TCP' },
    ]);
  });

  it('TestHealthCheckNodePort: only LoadBalancers with policy Local get a health check port', () => {
    const lb = (name: string, hc: number, policy: 'Local' | 'Cluster') =>
      makeTestService('ns1', name, (s) => {
        s.spec.type = 'LoadBalancer';
        s.spec.clusterIP = '10.20.30.41';
        s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3000 }];
        s.spec.externalTrafficPolicy = policy;
        s.spec.healthCheckNodePort = hc;
      });
    const r = sync([lb('valid-svc1', 30000, 'Local'), lb('valid-svc2', 30001, 'Local'), lb('invalid-svc3', 30002, 'Cluster')], [], {
      nodeIPs: ['100.101.102.103'],
      nodePortAddresses: ['100.101.102.0/24'],
    });
    expect(set(r, 'KUBE-HEALTH-CHECK-NODE-PORT')).toEqual(['30000', '30001']);
    expect(chainView(r.nat, 'KUBE-NODE-PORT')).toEqual([
      { jump: 'RETURN', matchSet: 'KUBE-NODE-PORT-LOCAL-TCP' },
      { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-NODE-PORT-TCP' },
    ]);
    expect(chainView(r.filter, 'KUBE-NODE-PORT')).toEqual([{ jump: 'ACCEPT', matchSet: 'KUBE-HEALTH-CHECK-NODE-PORT' }]);
  });

  it('TestOnlyLocalLoadBalancing', () => {
    const svc = makeTestService('ns1', 'svc1', (s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.clusterIP = '10.20.30.41';
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }];
      s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
      s.spec.externalTrafficPolicy = 'Local';
    });
    const r = sync([svc], [slice('TCP', [{ addresses: ['10.180.0.1'], nodeName: testNodeName }, { addresses: ['10.180.1.1'], nodeName: 'other-node' }])]);
    // No node IPs given: the NodePort has no virtual server, as upstream's fake without addresses.
    expect(r.virtualServers).toHaveLength(2);
    expect(ipvsState(r)['1.2.3.4:80/TCP']).toEqual(['10.180.0.1:80']);
    expect(set(r, 'KUBE-LOAD-BALANCER')).toEqual(['1.2.3.4,tcp:80']);
    expect(set(r, 'KUBE-LOAD-BALANCER-LOCAL')).toEqual(['1.2.3.4,tcp:80']);
    expect(chainView(r.nat, 'KUBE-SERVICES')).toEqual([
      { jump: 'RETURN', matchSet: '', source: '127.0.0.0/8' },
      { jump: 'KUBE-LOAD-BALANCER', matchSet: 'KUBE-LOAD-BALANCER' },
      { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-CLUSTER-IP' },
      { jump: 'KUBE-NODE-PORT', matchSet: '' },
      { jump: 'ACCEPT', matchSet: 'KUBE-CLUSTER-IP' },
      { jump: 'ACCEPT', matchSet: 'KUBE-LOAD-BALANCER' },
    ]);
    expect(chainView(r.nat, 'KUBE-LOAD-BALANCER')).toEqual([
      { jump: 'RETURN', matchSet: 'KUBE-LOAD-BALANCER-LOCAL' },
      { jump: 'KUBE-MARK-MASQ', matchSet: '' },
    ]);
  });
});

describe('load balancers and external IPs', () => {
  it('TestLoadBalancerSourceRanges', () => {
    const svc = makeTestService('ns1', 'svc1', (s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.clusterIP = '10.20.30.41';
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }];
      s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
      s.spec.loadBalancerSourceRanges = ['10.0.0.0/8'];
    });
    const r = sync([svc], [slice('TCP', [{ addresses: ['10.180.0.1'] }])]);
    expect(r.virtualServers).toHaveLength(2);
    expect(ipvsState(r)['1.2.3.4:80/TCP']).toEqual(['10.180.0.1:80']);
    expect(set(r, 'KUBE-LOAD-BALANCER')).toEqual(['1.2.3.4,tcp:80']);
    expect(set(r, 'KUBE-LOAD-BALANCER-FW')).toEqual(['1.2.3.4,tcp:80']);
    expect(set(r, 'KUBE-LOAD-BALANCER-SOURCE-CIDR')).toEqual(['1.2.3.4,tcp:80,10.0.0.0/8']);
    expect(chainView(r.filter, 'KUBE-PROXY-FIREWALL')).toEqual([{ jump: 'KUBE-SOURCE-RANGES-FIREWALL', matchSet: 'KUBE-LOAD-BALANCER-FW' }]);
    expect(chainView(r.filter, 'KUBE-SOURCE-RANGES-FIREWALL')).toEqual([
      { jump: 'RETURN', matchSet: 'KUBE-LOAD-BALANCER-SOURCE-CIDR' },
      { jump: 'DROP', matchSet: '' },
    ]);
    // The node IP is outside the ranges: the node itself may not use the VIP (kubernetes#119656).
    expect(r.filter).toContain('-A KUBE-IPVS-OUT-FILTER -s 1.2.3.4 -m ipvs --vaddr 1.2.3.4 --vproto tcp --vport 80 -j DROP');
  });

  it('TestAcceptIPVSTraffic', () => {
    const kinds: [Service['spec']['type'], string, string][] = [
      ['ClusterIP', '10.20.30.40', 'svc1'],
      ['LoadBalancer', '10.20.30.41', 'svc2'],
      ['NodePort', '10.20.30.42', 'svc3'],
    ];
    const services = kinds.map(([type, ip, name]) =>
      makeTestService('ns1', name, (s) => {
        s.spec.type = type;
        s.spec.clusterIP = ip;
        s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 80 }];
        if (type === 'LoadBalancer') s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
        if (type === 'ClusterIP') s.spec.externalIPs = ['5.6.7.8'];
      }),
    );
    const r = sync(services, []);
    expect(chainView(r.nat, 'KUBE-SERVICES')).toEqual([
      { jump: 'RETURN', matchSet: '', source: '127.0.0.0/8' },
      { jump: 'KUBE-LOAD-BALANCER', matchSet: 'KUBE-LOAD-BALANCER' },
      { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-CLUSTER-IP' },
      { jump: 'KUBE-MARK-MASQ', matchSet: 'KUBE-EXTERNAL-IP' },
      { jump: 'ACCEPT', matchSet: 'KUBE-EXTERNAL-IP' },
      { jump: 'ACCEPT', matchSet: 'KUBE-EXTERNAL-IP' },
      { jump: 'KUBE-NODE-PORT', matchSet: '' },
      { jump: 'ACCEPT', matchSet: 'KUBE-CLUSTER-IP' },
      { jump: 'ACCEPT', matchSet: 'KUBE-LOAD-BALANCER' },
    ]);
  });
});

describe('kube-ipvs0, masquerade and ipvsadm', () => {
  const svc = makeTestService('default', 'web', (s) => {
    s.spec.clusterIP = '10.96.0.10';
    s.spec.ports = [{ name: 'http', port: 80, protocol: 'TCP' }];
    s.spec.externalIPs = ['192.168.99.11'];
    s.spec.sessionAffinity = 'ClientIP';
    s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  });
  const eps = makeTestEndpointSlice('default', 'web', 1, (e) => {
    e.endpoints = [{ addresses: ['10.244.1.5'], nodeName: testNodeName }, { addresses: ['10.244.2.7'], nodeName: 'node-2' }];
    e.ports = [{ name: 'http', port: 8080, protocol: 'TCP' }];
  });

  it('binds ClusterIPs and external IPs to kube-ipvs0 and lists them in KUBE-IPVS-IPS', () => {
    const r = sync([svc], [eps], { nodeIPs: ['192.168.0.2'] });
    expect(r.dummyAddresses).toEqual(['10.96.0.10', '192.168.99.11']);
    expect(set(r, 'KUBE-IPVS-IPS')).toEqual(['10.96.0.10', '192.168.99.11']);
    // An external IP the node already owns stays on its interface.
    expect(sync([svc], [eps], { nodeIPs: ['192.168.99.11'] }).dummyAddresses).toEqual(['10.96.0.10']);
  });

  it('ClientIP affinity makes the virtual servers persistent; local endpoints enter KUBE-LOOP-BACK', () => {
    const r = sync([svc], [eps], { scheduler: 'sh' });
    expect(r.virtualServers.map((v) => [v.scheduler, v.flags, v.timeout])).toEqual([['sh', ['persistent'], 10800], ['sh', ['persistent'], 10800]]);
    expect(set(r, 'KUBE-LOOP-BACK')).toEqual(['10.244.1.5,tcp:8080,10.244.1.5']);
    expect(r.nat).toContain(
      '-A KUBE-POSTROUTING -m comment --comment "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE',
    );
  });

  it('the ClusterIP masquerade rule follows the local-traffic detector', () => {
    const head = '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP';
    expect(sync([svc], [eps]).nat).toContain(`${head} src,dst -j KUBE-MARK-MASQ`);
    expect(sync([svc], [eps], { clusterCIDR: '10.244.0.0/16' }).nat).toContain(`${head} dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`);
    expect(sync([svc], [eps], { masqueradeAll: true }).nat).toContain(`${head} dst,dst -j KUBE-MARK-MASQ`);
  });

  it('ipvsadm -Ln prints each virtual server and its Masq real servers', () => {
    expect(ipvsadmList(sync([svc], [eps]).virtualServers)).toBe(
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
        'TCP  10.96.0.10:80 rr persistent 10800',
        '  -> 10.244.1.5:8080              Masq    1      0          0         ',
        '  -> 10.244.2.7:8080              Masq    1      0          0         ',
        'TCP  192.168.99.11:80 rr persistent 10800',
        '  -> 10.244.1.5:8080              Masq    1      0          0         ',
        '  -> 10.244.2.7:8080              Masq    1      0          0         ',
        '',
      ].join('\n'),
    );
  });
});
