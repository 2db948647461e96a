import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { overallFixture } from '../iptables/testdata/overall';
import { makeTestEndpointSlice, makeTestService, testExternalIP, testNodeIP, testNodeIPAlt, testNodeName } from '../testing';
import { servicePortChainNameBase, servicePortEndpointChainNameBase } from './names';
import { syncNFTablesProxyRules, type SyncNFTablesOptions } from './proxier';
import { sortNFTablesTransaction } from './table';

const golden = (name: string) => readFileSync(new URL(`./testdata/${name}.golden`, import.meta.url), 'utf8');

/** Upstream's NewFakeProxier(v1.IPv4Protocol) in pkg/proxy/nftables/proxier_test.go. */
const fakeNFTablesProxierOptions: Omit<SyncNFTablesOptions, 'services' | 'endpointSlices'> = {
  nodeName: testNodeName,
  nodeIPs: [testNodeIP, testNodeIPAlt, testExternalIP],
  clusterCIDR: '10.0.0.0/8',
  masqueradeMark: '0x4000',
  nodePortAddresses: [`${testNodeIP}/32`, '2001:db8::1/128'],
  serviceCIDRs: ['172.30.0.0/16'],
};

const sync = (services: Service[], endpointSlices: EndpointSlice[], extra: Partial<SyncNFTablesOptions> = {}) =>
  syncNFTablesProxyRules({ ...fakeNFTablesProxierOptions, services, endpointSlices, ...extra });

describe('syncNFTablesProxyRules (pkg/proxy/nftables/proxier_test.go)', () => {
  it('writes exactly the golden kube-proxy table', () => {
    // ref: 'TestOverallNFTablesRules'
    const { services, slices } = overallFixture();
    const r = sync(services, slices);
    expect(sortNFTablesTransaction(r.dump)).toBe(sortNFTablesTransaction(golden('TestOverallNFTablesRules')));
  });

  it('counts one dispatch element per service address and one chain per service port and endpoint', () => {
    // ref: the model's own, read off the TestOverallNFTablesRules golden
    const { services, slices } = overallFixture();
    const c = sync(services, slices).counts;
    // service-ips: 5 ClusterIPs + 2 external IPs + 2 LB IPs; service-nodeports: 3.
    expect(c.dispatchElements).toBe(12);
    expect(c.baseChains).toBe(8);
    expect(c.chains).toBe(golden('TestOverallNFTablesRules').split('\n').filter((l) => l.startsWith('add chain ')).length);
    expect(c.rules).toBe(golden('TestOverallNFTablesRules').split('\n').filter((l) => l.startsWith('add rule ')).length);
    expect(c.elements).toBe(golden('TestOverallNFTablesRules').split('\n').filter((l) => l.startsWith('add element ')).length);
  });

  it('takes NodePorts on the primary node IP when nodePortAddresses is empty (the nftables-mode default)', () => {
    // ref: the model's own, after cmd/kube-proxy/app/server_linux.go (platformApplyDefaults)
    const r = sync([], [], { nodePortAddresses: [] });
    expect(r.table.sets.get('nodeport-ips')!.elements).toEqual([{ key: [testNodeIP] }]);
  });

  it('matches every local address for NodePorts with a zero CIDR', () => {
    // ref: the model's own, after setupNFTables' MatchAll branch
    const r = sync([], [], { nodePortAddresses: ['0.0.0.0/0'] });
    expect(r.table.sets.has('nodeport-ips')).toBe(false);
    expect(r.table.chains.get('services')!.rules.map((x) => x.rule)).toEqual([
      'ip daddr . meta l4proto . th dport vmap @service-ips',
      'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports',
    ]);
    expect(r.table.chains.get('nodeport-endpoints-check')!.rules.map((x) => x.rule)).toEqual([
      'ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports',
    ]);
  });

  it('gives a Local-policy service with a local endpoint its local- chain', () => {
    // ref: 'TestOverallNFTablesRules' variant: svc2's endpoint made local
    const { services, slices } = overallFixture();
    slices[1].endpoints[0].nodeName = testNodeName;
    const ext = sync(services, slices).table.chains.get('external-42NFTM6N-ns2/svc2/tcp/p80')!;
    expect(ext.rules.at(-1)!.rule).toBe('goto local-42NFTM6N-ns2/svc2/tcp/p80');
  });

  it('spreads load with one numgen vmap over all endpoints', () => {
    // ref: the model's own (writeServiceToEndpointRules)
    const svc = makeTestService('ns1', 'svc1', (s) => {
      s.spec.clusterIP = '172.30.0.41';
      s.spec.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }];
    });
    const eps = makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
      e.endpoints = ['10.180.0.1', '10.180.0.2', '10.180.0.3'].map((ip) => ({ addresses: [ip] }));
      e.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }];
    });
    const rules = sync([svc], [eps]).table.chains.get('service-ULMVA6XW-ns1/svc1/tcp/p80')!.rules;
    expect(rules.at(-1)!.rule).toMatch(/^numgen random mod 3 vmap \{ 0 : goto endpoint-\S+ , 1 : goto endpoint-\S+ , 2 : goto endpoint-\S+ \}$/);
  });
});

describe('nftables chain names (servicePortChainNameBase, servicePortEndpointChainNameBase)', () => {
  // Names from the TestOverallNFTablesRules golden and from `nft list table ip kube-proxy` on real nodes.
  const cases = [
    { spn: { namespace: 'ns1', name: 'svc1', port: 'p80' }, proto: 'tcp', want: 'ULMVA6XW-ns1/svc1/tcp/p80' },
    { spn: { namespace: 'ns5', name: 'svc5', port: 'p80' }, proto: 'tcp', want: 'HVFWP5L3-ns5/svc5/tcp/p80' },
    { spn: { namespace: 'default', name: 'kubernetes', port: 'https' }, proto: 'tcp', want: '2QRHZV4L-default/kubernetes/tcp/https' },
    { spn: { namespace: 'kube-system', name: 'kube-dns', port: 'dns' }, proto: 'udp', want: 'FY5PMXPG-kube-system/kube-dns/udp/dns' },
    { spn: { namespace: 'kube-system', name: 'kube-dns', port: 'dns-tcp' }, proto: 'tcp', want: 'NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp' },
    { spn: { namespace: 'kube-system', name: 'kube-dns', port: 'metrics' }, proto: 'tcp', want: 'AS2KJYAD-kube-system/kube-dns/tcp/metrics' },
  ] as const;
  for (const tc of cases) {
    it(`service chain base ${tc.want}`, () => {
      // ref: 'TestOverallNFTablesRules'
      expect(servicePortChainNameBase(tc.spn, tc.proto)).toBe(tc.want);
    });
  }
  it('endpoint chain bases', () => {
    // ref: 'TestOverallNFTablesRules'
    expect(servicePortEndpointChainNameBase({ namespace: 'ns1', name: 'svc1', port: 'p80' }, 'tcp', '10.180.0.1:80')).toBe('5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
    expect(servicePortEndpointChainNameBase({ namespace: 'default', name: 'kubernetes', port: 'https' }, 'tcp', '10.128.0.16:6443')).toBe(
      '573J25N3-default/kubernetes/tcp/https__10.128.0.16/6443',
    );
  });
});

describe('nft list table ip kube-proxy', () => {
  it('prints base chains with nft priority names and maps one element to a line', () => {
    // ref: the model's own, after listings from real v1.33+ nodes
    const { services, slices } = overallFixture();
    const text = sync(services, slices).listTable;
    expect(text.startsWith('table ip kube-proxy {\n\tcomment "rules for kube-proxy"\n')).toBe(true);
    expect(text).toContain('\tchain filter-prerouting-pre-dnat {\n\t\ttype filter hook prerouting priority dstnat - 10; policy accept;\n\t\tct state new jump firewall-check\n\t}\n');
    expect(text).toContain('\t\ttype nat hook postrouting priority srcnat; policy accept;\n');
    expect(text).toContain('\t\ttype filter hook input priority filter; policy accept;\n');
    expect(text).toContain('\t\tmeta mark & 0x00004000 == 0x00000000 return\n');
    expect(text).toContain('\t\telements = { 172.30.0.41, 172.30.0.42,\n\t\t\t     172.30.0.43, 172.30.0.44,\n\t\t\t     172.30.0.45, 172.30.0.46 }\n');
    expect(text).toContain('\t\telements = { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80,\n\t\t\t     172.30.0.42 . tcp . 80 : goto service-42NFTM6N-ns2/svc2/tcp/p80,\n');
    expect(text).toContain('\tset affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n\t\ttimeout 3h\n\t}\n');
  });
});

// Upstream: pkg/proxy/nftables/helpers_test.go (testInput, testExpected)
describe('sortNFTablesTransaction', () => {
  it('orders by object type, then name, keeping rule order', () => {
    // ref: 'Test_sortNFTablesTransaction'
    const input = golden('Test_sortNFTablesTransaction.input');
    const expected = golden('Test_sortNFTablesTransaction.expected');
    expect(sortNFTablesTransaction(input)).toBe(expected.trim());
    // ref: 'Test_diffNFTablesTransaction'
    expect(sortNFTablesTransaction(expected)).toBe(sortNFTablesTransaction(input));
    expect(sortNFTablesTransaction(expected.split('\n').slice(2).join('\n'))).not.toBe(sortNFTablesTransaction(input));
  });
});
