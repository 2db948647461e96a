// Follows coredns v1.12.1 plugin/kubernetes/handler_test.go (dnsTestCases, TestServeDNS) with
// its APIConnServeTest fixture as Service and EndpointSlice objects. Upstream's cases are
// unnamed; each ref names the case by its comment in the table. TTL 5 is the plugin's default
// (the fixture sets no `ttl`); the SOA serial is the fixture's.
import { describe, expect, it } from 'vitest';
import type { Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { rrText, type QType } from '../message';
import { newCoreDNS } from './server';
import { newUpstreamResolver } from './upstream';

const svc = (name: string, spec: Service['spec']): Service => ({ metadata: { namespace: 'testns', name }, spec });
const http = [{ name: 'http', protocol: 'TCP' as const, port: 80 }];
const services: Service[] = [
  { metadata: { namespace: 'kube-system', name: 'kubedns' }, spec: { type: 'ClusterIP', clusterIPs: ['10.0.0.10'], ports: [{ name: 'dns', protocol: 'UDP', port: 53 }] } },
  svc('svc1', { type: 'ClusterIP', clusterIPs: ['10.0.0.1'], ports: http }),
  svc('svcempty', { type: 'ClusterIP', clusterIPs: ['10.0.0.1'], ports: http }),
  svc('svc6', { type: 'ClusterIP', clusterIPs: ['1234:abcd::1'], ports: http }),
  svc('hdls1', { type: 'ClusterIP', clusterIPs: ['None'] }),
  svc('external', { type: 'ExternalName', externalName: 'ext.interwebs.test', ports: http }),
  svc('external-to-service', { type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local.', ports: http }),
  svc('hdlsprtls', { type: 'ClusterIP', clusterIPs: ['None'] }),
  svc('svc-dual-stack', { type: 'ClusterIP', clusterIPs: ['10.0.0.3', '10::3'], ports: http }),
];
const slice = (service: string, addrs: { ip: string; hostname?: string }[], ports: EndpointSlice['ports']): EndpointSlice => ({
  metadata: { namespace: 'testns', name: `${service}-slice1`, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: addrs.map((a) => ({ addresses: [a.ip], hostname: a.hostname })),
  ports,
});
const endpointSlices: EndpointSlice[] = [
  slice('svc1', [{ ip: '172.0.0.1', hostname: 'ep1a' }], http),
  slice('svcempty', [], http),
  slice('hdls1', [{ ip: '172.0.0.2' }, { ip: '172.0.0.3' }, { ip: '172.0.0.4', hostname: 'dup-name' }, { ip: '172.0.0.5', hostname: 'dup-name' }, { ip: '5678:abcd::1' }, { ip: '5678:abcd::2' }], http),
  slice('hdlsprtls', [{ ip: '172.0.0.20' }], []),
];
const dns = newCoreDNS({
  services,
  endpointSlices,
  namespaces: ['testns', 'kube-system'],
  ttl: 5,
  serial: 1499347823,
  upstream: newUpstreamResolver({ 'ext.interwebs.test.': { a: ['1.2.3.4'], ttl: 5 } }),
});

const soa = 'cluster.local.\t\t5\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 5';

interface Case {
  name: string;
  qname: string;
  qtype: QType;
  rcode: 'NOERROR' | 'NXDOMAIN';
  answer?: string[];
  ns?: string[];
  extra?: string[];
}

/** Upstream's test strings use tabs loosely; compare field by field. */
const norm = (s: string) => s.trim().split(/\s+/).join(' ');

const cases: Case[] = [
  { name: 'A Service', qname: 'svc1.testns.svc.cluster.local.', qtype: 'A', rcode: 'NOERROR', answer: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'] },
  { name: 'A Service without endpoints', qname: 'svcempty.testns.svc.cluster.local.', qtype: 'A', rcode: 'NOERROR', answer: ['svcempty.testns.svc.cluster.local. 5 IN A 10.0.0.1'] },
  { name: 'SRV of a Service name', qname: 'svc1.testns.svc.cluster.local.', qtype: 'SRV', rcode: 'NOERROR', answer: ['svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.'], extra: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'] },
  { name: 'SRV of an IPv6 Service name', qname: 'svc6.testns.svc.cluster.local.', qtype: 'SRV', rcode: 'NOERROR', answer: ['svc6.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc6.testns.svc.cluster.local.'], extra: ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1'] },
  { name: 'SRV Service', qname: '_http._tcp.svc1.testns.svc.cluster.local.', qtype: 'SRV', rcode: 'NOERROR', answer: ['_http._tcp.svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.'], extra: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'] },
  {
    name: 'A Service (Headless)',
    qname: 'hdls1.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5'].map((ip) => `hdls1.testns.svc.cluster.local. 5 IN A ${ip}`),
  },
  { name: 'A Service (Headless and Portless)', qname: 'hdlsprtls.testns.svc.cluster.local.', qtype: 'A', rcode: 'NOERROR', answer: ['hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20'] },
  { name: 'An Endpoint with no port', qname: '172-0-0-20.hdlsprtls.testns.svc.cluster.local.', qtype: 'A', rcode: 'NOERROR', answer: ['172-0-0-20.hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20'] },
  { name: 'An Endpoint ip', qname: '172-0-0-2.hdls1.testns.svc.cluster.local.', qtype: 'A', rcode: 'NOERROR', answer: ['172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2'] },
  {
    name: 'An Endpoint by name',
    qname: 'dup-name.hdls1.testns.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4', 'dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5'],
  },
  {
    name: 'SRV Service (Headless)',
    qname: '_http._tcp.hdls1.testns.svc.cluster.local.',
    qtype: 'SRV',
    rcode: 'NOERROR',
    answer: ['172-0-0-2', '172-0-0-3', 'dup-name', '5678-abcd--1', '5678-abcd--2'].map((h) => `_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 ${h}.hdls1.testns.svc.cluster.local.`),
    extra: [
      '172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2',
      '172-0-0-3.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3',
      'dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4',
      'dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5',
      '5678-abcd--1.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1',
      '5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2',
    ],
  },
  { name: 'AAAA', qname: '5678-abcd--2.hdls1.testns.svc.cluster.local', qtype: 'AAAA', rcode: 'NOERROR', answer: ['5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2'] },
  { name: 'CNAME External', qname: 'external.testns.svc.cluster.local.', qtype: 'CNAME', rcode: 'NOERROR', answer: ['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.'] },
  { name: 'CNAME External Truncated Lookup', qname: 'external.testns.svc.cluster.local.', qtype: 'A', rcode: 'NOERROR', answer: ['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.', 'ext.interwebs.test. 5 IN A 1.2.3.4'] },
  {
    name: 'CNAME External To Internal Service',
    qname: 'external-to-service.testns.svc.cluster.local',
    qtype: 'A',
    rcode: 'NOERROR',
    answer: ['external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local.', 'svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
  },
  { name: 'AAAA Service (with an existing A record, but no AAAA record)', qname: 'svc1.testns.svc.cluster.local.', qtype: 'AAAA', rcode: 'NOERROR', ns: [soa] },
  { name: 'AAAA Service (non-existing service)', qname: 'svc0.testns.svc.cluster.local.', qtype: 'AAAA', rcode: 'NXDOMAIN', ns: [soa] },
  { name: 'A Service (non-existing service)', qname: 'svc0.testns.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN', ns: [soa] },
  { name: 'A Service (non-existing namespace)', qname: 'svc0.svc-nons.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN', ns: [soa] },
  { name: 'TXT Schema', qname: 'dns-version.cluster.local.', qtype: 'TXT', rcode: 'NOERROR', answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'] },
  { name: 'A TXT record does not exist but another record for the same FQDN does', qname: 'svc1.testns.svc.cluster.local.', qtype: 'TXT', rcode: 'NOERROR', ns: [soa] },
  { name: 'A TXT record does not exist and neither does another record for the same FQDN', qname: 'svc0.svc-nons.svc.cluster.local.', qtype: 'TXT', rcode: 'NXDOMAIN', ns: [soa] },
  { name: 'A Service (Headless) does not exist', qname: 'bogusendpoint.hdls1.testns.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN', ns: [soa] },
  { name: 'A Service does not exist', qname: 'bogusendpoint.svc0.testns.svc.cluster.local.', qtype: 'A', rcode: 'NXDOMAIN', ns: [soa] },
  { name: 'AAAA Service', qname: 'svc6.testns.svc.cluster.local.', qtype: 'AAAA', rcode: 'NOERROR', answer: ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1'] },
  { name: 'SRV of an IPv6 Service', qname: '_http._tcp.svc6.testns.svc.cluster.local.', qtype: 'SRV', rcode: 'NOERROR', answer: ['_http._tcp.svc6.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc6.testns.svc.cluster.local.'], extra: ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1'] },
  { name: 'AAAA Service (Headless)', qname: 'hdls1.testns.svc.cluster.local.', qtype: 'AAAA', rcode: 'NOERROR', answer: ['hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1', 'hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2'] },
  { name: 'AAAA Endpoint', qname: '5678-abcd--1.hdls1.testns.svc.cluster.local.', qtype: 'AAAA', rcode: 'NOERROR', answer: ['5678-abcd--1.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1'] },
  { name: 'svc.cluster.local. A', qname: 'svc.cluster.local.', qtype: 'A', rcode: 'NOERROR', ns: [soa] },
  { name: 'pod.cluster.local. A', qname: 'pod.cluster.local.', qtype: 'A', rcode: 'NOERROR', ns: [soa] },
  { name: 'testns.svc.cluster.local. A', qname: 'testns.svc.cluster.local.', qtype: 'A', rcode: 'NOERROR', ns: [soa] },
  { name: 'NS query for qname != zone (existing domain) svc', qname: 'svc.cluster.local.', qtype: 'NS', rcode: 'NOERROR', ns: [soa] },
  { name: 'NS query for qname != zone (existing domain) testns', qname: 'testns.svc.cluster.local.', qtype: 'NS', rcode: 'NOERROR', ns: [soa] },
  { name: 'NS query for qname != zone (non existing domain) foo', qname: 'foo.cluster.local.', qtype: 'NS', rcode: 'NXDOMAIN', ns: [soa] },
  { name: 'NS query for qname != zone (non existing domain) foo.svc', qname: 'foo.svc.cluster.local.', qtype: 'NS', rcode: 'NXDOMAIN', ns: [soa] },
  { name: 'Dual Stack ClusterIP Services A', qname: 'svc-dual-stack.testns.svc.cluster.local.', qtype: 'A', rcode: 'NOERROR', answer: ['svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3'] },
  { name: 'Dual Stack ClusterIP Services AAAA', qname: 'svc-dual-stack.testns.svc.cluster.local.', qtype: 'AAAA', rcode: 'NOERROR', answer: ['svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3'] },
  {
    name: 'Dual Stack ClusterIP Services SRV',
    qname: 'svc-dual-stack.testns.svc.cluster.local.',
    qtype: 'SRV',
    rcode: 'NOERROR',
    answer: ['svc-dual-stack.testns.svc.cluster.local. 5 IN SRV 0 50 80 svc-dual-stack.testns.svc.cluster.local.'],
    extra: ['svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3', 'svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3'],
  },
  { name: 'SOA for a name that is not the zone', qname: 'svc1.testns.svc.cluster.local.', qtype: 'SOA', rcode: 'NOERROR', ns: [soa] },
  { name: 'A query for a subdomain of an external service should not resolve to the external service', qname: 'endpoint.external.testns.svc.cluster.local.', qtype: 'CNAME', rcode: 'NXDOMAIN', ns: [soa] },
  { name: 'A query for a subdomain of a subdomain of an external service should not resolve to the external service', qname: 'subdomain.subdomain.external.testns.svc.cluster.local.', qtype: 'CNAME', rcode: 'NXDOMAIN', ns: [soa] },
];

describe('CoreDNS kubernetes plugin (TestServeDNS)', () => {
  for (const tc of cases) {
    it(`${tc.name} [ref: TestServeDNS/${tc.name}]`, () => {
      const m = dns.serveKubernetes({ name: tc.qname, qtype: tc.qtype, rd: true });
      expect(m.rcode).toBe(tc.rcode);
      expect(m.aa).toBe(true);
      // Upstream's SortAndCheck compares sections as sets.
      const sorted = (rrs: string[]) => rrs.map(norm).sort();
      expect(sorted(m.answer.map(rrText))).toEqual(sorted(tc.answer ?? []));
      expect(sorted(m.ns.map(rrText))).toEqual(sorted(tc.ns ?? []));
      expect(sorted(m.extra.map(rrText))).toEqual(sorted(tc.extra ?? []));
    });
  }

  it('keeps CNAMEs before the records they point to [ref: TestServeDNS (test.CNAMEOrder)]', () => {
    const m = dns.resolve('external-to-service.testns.svc.cluster.local', 'A');
    expect(m.answer.map((r) => r.type)).toEqual(['CNAME', 'A']);
  });
});

describe('zones and fallthrough (kubeadm Corefile)', () => {
  const cluster = newCoreDNS({ services, endpointSlices, namespaces: ['testns', 'kube-system'], serial: 7 });

  it('answers a service ClusterIP by reverse lookup [ref: reverse_test.go TestReverse]', () => {
    const m = cluster.resolve('1.0.0.10.in-addr.arpa', 'PTR');
    expect(m.answer.map(rrText).map(norm)).toEqual(['1.0.0.10.in-addr.arpa. 30 IN PTR svc1.testns.svc.cluster.local.']);
  });

  it('names an endpoint IP after its hostname under the service', () => {
    const m = cluster.resolve('1.0.0.172.in-addr.arpa', 'PTR');
    expect(m.answer.map(rrText).map(norm)).toEqual(['1.0.0.172.in-addr.arpa. 30 IN PTR ep1a.svc1.testns.svc.cluster.local.']);
  });

  it('falls through to the upstream for an unknown reverse name (fallthrough in-addr.arpa ip6.arpa)', () => {
    const m = cluster.resolve('9.9.9.10.in-addr.arpa', 'PTR');
    expect(m.rcode).toBe('NXDOMAIN');
    expect(m.aa).toBe(false);
    expect(m.ns.map(rrText).map(norm)).toEqual(['. 30 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2026120500 1800 900 604800 86400']);
  });

  it('does not fall through for the cluster domain: NXDOMAIN is authoritative', () => {
    const m = cluster.resolve('nosuch.testns.svc.cluster.local', 'A');
    expect(m.rcode).toBe('NXDOMAIN');
    expect(m.aa).toBe(true);
  });

  it('answers pod A records for any dashed IP in an existing namespace (pods insecure)', () => {
    expect(cluster.resolve('10-244-1-5.testns.pod.cluster.local', 'A').answer.map(rrText).map(norm)).toEqual(['10-244-1-5.testns.pod.cluster.local. 30 IN A 10.244.1.5']);
    expect(cluster.resolve('10-244-1-5.nons.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(cluster.resolve('not-an-ip.testns.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  it('answers nothing for pods when `pods disabled`', () => {
    const off = newCoreDNS({ services, endpointSlices, namespaces: ['testns'], podMode: 'disabled' });
    expect(off.resolve('10-244-1-5.testns.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  it('skips endpoints that are not ready (endpointsliceReady)', () => {
    const notReady: EndpointSlice = { ...slice('hdlsprtls', [], []), endpoints: [{ addresses: ['172.0.0.21'], conditions: { ready: false } }, { addresses: ['172.0.0.22'] }] };
    const d = newCoreDNS({ services, endpointSlices: [notReady], namespaces: ['testns'] });
    expect(d.resolve('hdlsprtls.testns.svc.cluster.local', 'A').answer.map((r) => (r.type === 'A' ? r.a : ''))).toEqual(['172.0.0.22']);
  });

  it('caps the dns-version TXT TTL of 28800 at 30 s through the whole server (cache 30)', () => {
    expect(cluster.resolve('dns-version.cluster.local', 'TXT').answer.map((r) => r.ttl)).toEqual([30]);
  });

  it('caps forwarded TTLs at 30 s (cache 30)', () => {
    const m = cluster.resolve('example.com', 'A');
    expect(m.answer.map((r) => r.ttl)).toEqual([30]);
    expect(m.ra).toBe(true);
  });

  it('answers SOA at the zone apex with ns.dns and hostmaster', () => {
    expect(cluster.resolve('cluster.local', 'SOA').answer.map(rrText).map(norm)).toEqual(['cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 7 7200 1800 86400 30']);
  });

  it('shuffles address records with the injected RNG (loadbalance), the same seed giving the same order', async () => {
    const { rngFromSeed } = await import('../../core/rng');
    const order = (seed: number) => newCoreDNS({ services, endpointSlices, namespaces: ['testns'], rng: rngFromSeed(seed) }).resolve('hdls1.testns.svc.cluster.local', 'A').answer.map((r) => (r.type === 'A' ? r.a : ''));
    expect(order(1)).toEqual(order(1));
    const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => order(s).join(',')));
    expect(orders.size).toBeGreaterThan(1);
    for (const o of orders) expect(o.split(',').sort()).toEqual(['172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5']);
  });

  it('answers NS at the zone apex with the Service whose endpoint is CoreDNS itself [ref: ns_test.go TestNsAddrs]', () => {
    const withDNS = [...endpointSlices, { ...slice('kubedns', [{ ip: '172.0.0.100' }], [{ name: 'dns', port: 53, protocol: 'UDP' }]), metadata: { namespace: 'kube-system', name: 'kubedns-x', labels: { 'kubernetes.io/service-name': 'kubedns' } } }];
    const d = newCoreDNS({ services, endpointSlices: withDNS, namespaces: ['testns', 'kube-system'], localIPs: ['172.0.0.100'], serial: 7 });
    const m = d.resolve('cluster.local', 'NS');
    expect(m.answer.map(rrText).map(norm)).toEqual(['cluster.local. 30 IN NS kubedns.kube-system.svc.cluster.local.']);
    expect(m.extra.map(rrText).map(norm)).toEqual(['kubedns.kube-system.svc.cluster.local. 30 IN A 10.0.0.10']);
    expect(d.resolve('ns.dns.cluster.local', 'A').answer.map(rrText).map(norm)).toEqual(['ns.dns.cluster.local. 30 IN A 10.0.0.10']);
  });

  it('falls back to ns.dns.<zone> at the local IPs when no endpoint holds them [ref: ns_test.go TestNsAddrs]', () => {
    const d = newCoreDNS({ services, endpointSlices, namespaces: ['testns'], localIPs: ['10.9.9.9'] });
    expect(d.resolve('cluster.local', 'NS').answer.map(rrText).map(norm)).toEqual(['cluster.local. 30 IN NS ns.dns.cluster.local.']);
  });

  it('answers nothing for an ExternalName that is an IP (not a CNAME target)', () => {
    const d = newCoreDNS({ services: [svc('ipext', { type: 'ExternalName', externalName: '1.2.3.4' })], namespaces: ['testns'] });
    expect(d.resolve('ipext.testns.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  it('gives NODATA for SRV on an ExternalName service (SRV for external services is not implemented upstream)', () => {
    const m = cluster.resolve('external.testns.svc.cluster.local', 'SRV');
    expect(m.rcode).toBe('NOERROR');
    expect(m.answer).toEqual([]);
  });

  it('keeps the case of the query in the owner name and matches names case-insensitively', () => {
    const m = cluster.resolve('SVC1.TestNS.svc.Cluster.Local', 'A');
    expect(m.answer.map(rrText).map(norm)).toEqual(['SVC1.TestNS.svc.Cluster.Local. 30 IN A 10.0.0.1']);
  });
});
