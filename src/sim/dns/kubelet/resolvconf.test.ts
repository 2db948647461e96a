// Follows kubernetes pkg/kubelet/network/dns/dns_test.go (TestParseResolvConf,
// TestFormDNSSearchFitsLimits, TestFormDNSNameserversFitsLimits, TestMergeDNSOptions,
// TestGetPodDNSType, TestGetPodDNS, TestGetPodDNSCustom). Upstream's search-limit table predates
// the v1.28 limits (32 paths, 2048 characters); its cases are kept where v1.34 gives the same
// answer and restated at the current limits otherwise.
import { describe, expect, it } from 'vitest';
import type { Pod, PodDNSConfig } from '../../api/core/v1';
import { Configurer, formatDNSEvent, formatResolvConf, getPodDNSType, mergeDNSOptions, parseResolvConf, podResolvConf } from './resolvconf';

const pod = (spec: Partial<Pod['spec']> = {}, ns = 'testNS'): Pod => ({ metadata: { name: 'test_pod', namespace: ns, uid: '' }, spec: { containers: [], ...spec } });

describe('parseResolvConf', () => {
  const cases: [string, string[], string[], string[], boolean][] = [
    ['', [], [], [], false],
    [' ', [], [], [], false],
    ['\n', [], [], [], false],
    ['\t\n\t', [], [], [], false],
    ['#comment\n', [], [], [], false],
    [' #comment\n', [], [], [], false],
    ['#comment\n#comment', [], [], [], false],
    ['#comment\nnameserver', [], [], [], true],
    ['#comment\nnameserver\nsearch', [], [], [], true],
    ['#comment\nnameserver 1.2.3.4\nsearch', ['1.2.3.4'], [], [], false],
    ['nameserver 1.2.3.4', ['1.2.3.4'], [], [], false],
    [' nameserver 1.2.3.4', ['1.2.3.4'], [], [], false],
    ['\tnameserver 1.2.3.4', ['1.2.3.4'], [], [], false],
    ['nameserver\t1.2.3.4', ['1.2.3.4'], [], [], false],
    ['nameserver \t 1.2.3.4', ['1.2.3.4'], [], [], false],
    ['nameserver 1.2.3.4\nnameserver 5.6.7.8', ['1.2.3.4', '5.6.7.8'], [], [], false],
    ['nameserver 1.2.3.4 #comment', ['1.2.3.4'], [], [], false],
    ['search ', [], [], [], false],
    ['search .', [], [''], [], false],
    ['search foo', [], ['foo'], [], false],
    ['search foo bar', [], ['foo', 'bar'], [], false],
    ['search foo. bar', [], ['foo', 'bar'], [], false],
    ['search foo bar bat\n', [], ['foo', 'bar', 'bat'], [], false],
    ['search foo\nsearch bar', [], ['bar'], [], false],
    ['nameserver 1.2.3.4\nsearch foo bar', ['1.2.3.4'], ['foo', 'bar'], [], false],
    ['nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar', ['1.2.3.4', '5.6.7.8'], ['bar'], [], false],
    ['#comment\nnameserver 1.2.3.4\n#comment\nsearch foo\ncomment', ['1.2.3.4'], ['foo'], [], false],
    ['options ', [], [], [], false],
    ['options ndots:5 attempts:2', [], [], ['ndots:5', 'attempts:2'], false],
    ['options ndots:1\noptions ndots:5 attempts:3', [], [], ['ndots:5', 'attempts:3'], false],
    ['nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar\noptions ndots:5 attempts:4', ['1.2.3.4', '5.6.7.8'], ['bar'], ['ndots:5', 'attempts:4'], false],
  ];
  cases.forEach(([data, ns, search, opts, isErr], i) => {
    it(`case [${i}] ${JSON.stringify(data)} [ref: TestParseResolvConf[${i}]]`, () => {
      const r = parseResolvConf(data);
      if (isErr) {
        expect(r.errors).toEqual(['nameserver list is empty ']);
        return;
      }
      expect(r.errors).toEqual([]);
      expect(r.nameservers).toEqual(ns);
      expect(r.searches).toEqual(search);
      expect(r.options).toEqual(opts);
    });
  });
});

describe('formDNSSearchFitsLimits', () => {
  const base = ['testNS.svc.TEST', 'svc.TEST', 'TEST'];
  const many = Array.from({ length: 30 }, (_, i) => `d${i}`);
  const long = (c: string, n: number) => c.repeat(n);
  const cases = [
    { ref: 'TestFormDNSSearchFitsLimits[0]', name: 'within limits', hostNames: base, resultSearch: base, events: [] as string[] },
    { ref: 'TestFormDNSSearchFitsLimits[1]', name: 'with host domains', hostNames: [...base, 'AAA', 'BBB'], resultSearch: [...base, 'AAA', 'BBB'], events: [] },
    {
      ref: 'TestFormDNSSearchFitsLimits[2]',
      name: 'drops a path over 253 characters',
      hostNames: [...base, 'AAA', long('B', 256), 'BBB'],
      resultSearch: [...base, 'AAA', 'BBB'],
      events: ['Search Line limits were exceeded, some search paths have been omitted, the applied search line is: testNS.svc.TEST svc.TEST TEST AAA BBB'],
    },
    { ref: 'after TestFormDNSSearchFitsLimits', name: '32 paths fit', hostNames: [...base, ...many.slice(0, 29)], resultSearch: [...base, ...many.slice(0, 29)], events: [] },
    {
      ref: 'after TestFormDNSSearchFitsLimits[3]',
      name: 'cuts to 32 paths',
      hostNames: [...base, ...many],
      resultSearch: [...base, ...many.slice(0, 29)],
      events: [`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${[...base, ...many.slice(0, 29)].join(' ')}`],
    },
    {
      ref: 'after TestFormDNSSearchFitsLimits',
      name: 'cuts paths from the end until the line fits 2048 characters',
      hostNames: [...base, ...Array.from({ length: 9 }, (_, i) => long(String(i), 250))],
      resultSearch: [...base, ...Array.from({ length: 8 }, (_, i) => long(String(i), 250))],
      events: [`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${[...base, ...Array.from({ length: 8 }, (_, i) => long(String(i), 250))].join(' ')}`],
    },
  ];
  for (const tc of cases) {
    it(`${tc.name} [ref: ${tc.ref}]`, () => {
      const c = new Configurer({ clusterDomain: 'TEST' });
      expect(c.formDNSSearchFitsLimits(tc.hostNames)).toEqual(tc.resultSearch);
      expect(c.events.map(formatDNSEvent)).toEqual(tc.events.map((e) => `Warning DNSConfigForming ${e}`));
    });
  }
});

describe('formDNSNameserversFitsLimits', () => {
  const cases = [
    { desc: 'valid: 1 nameserver', nameservers: ['127.0.0.1'], expected: ['127.0.0.1'], event: false },
    { desc: 'valid: 3 nameservers', nameservers: ['127.0.0.1', '10.0.0.10', '8.8.8.8'], expected: ['127.0.0.1', '10.0.0.10', '8.8.8.8'], event: false },
    { desc: 'invalid: 4 nameservers, trimmed to 3', nameservers: ['127.0.0.1', '10.0.0.10', '8.8.8.8', '1.2.3.4'], expected: ['127.0.0.1', '10.0.0.10', '8.8.8.8'], event: true },
  ];
  for (const tc of cases) {
    it(`${tc.desc} [ref: TestFormDNSNameserversFitsLimits/${tc.desc}]`, () => {
      const c = new Configurer({ clusterDomain: 'TEST' });
      expect(c.formDNSNameserversFitsLimits(tc.nameservers)).toEqual(tc.expected);
      expect(c.events.map(formatDNSEvent)).toEqual(tc.event ? ['Warning DNSConfigForming Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 127.0.0.1 10.0.0.10 8.8.8.8'] : []);
    });
  }
});

describe('mergeDNSOptions', () => {
  const three = '3';
  const cases = [
    { desc: 'Empty dnsConfigOptions', existing: ['ndots:5', 'debug'], options: undefined, expected: ['ndots:5', 'debug'] },
    { desc: 'No duplicated entries', existing: ['ndots:5', 'debug'], options: [{ name: 'single-request' }, { name: 'attempts', value: three }], expected: ['ndots:5', 'debug', 'single-request', 'attempts:3'] },
    {
      desc: 'Overwrite duplicated entries',
      existing: ['ndots:5', 'debug'],
      options: [{ name: 'ndots', value: three }, { name: 'debug' }, { name: 'single-request' }, { name: 'attempts', value: three }],
      expected: ['ndots:3', 'debug', 'single-request', 'attempts:3'],
    },
  ];
  for (const tc of cases) {
    it(`${tc.desc} [ref: TestMergeDNSOptions/${tc.desc}]`, () => {
      // Upstream compares as sets (Go map order); ours is first-seen order, so the list is exact.
      expect(mergeDNSOptions(tc.existing, tc.options)).toEqual(tc.expected);
    });
  }
});

describe('getPodDNSType', () => {
  const cases: { desc: string; hostNetwork?: boolean; dnsPolicy: string; expected?: string; error?: boolean }[] = [
    { desc: 'valid DNSClusterFirst without hostnetwork', dnsPolicy: 'ClusterFirst', expected: 'podDNSCluster' },
    { desc: 'valid DNSClusterFirstWithHostNet with hostnetwork', hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet', expected: 'podDNSCluster' },
    { desc: 'valid DNSClusterFirstWithHostNet without hostnetwork', dnsPolicy: 'ClusterFirstWithHostNet', expected: 'podDNSCluster' },
    { desc: 'valid DNSDefault without hostnetwork', dnsPolicy: 'Default', expected: 'podDNSHost' },
    { desc: 'valid DNSDefault with hostnetwork', hostNetwork: true, dnsPolicy: 'Default', expected: 'podDNSHost' },
    { desc: 'DNSClusterFirst with hostnetwork, fallback to DNSDefault', hostNetwork: true, dnsPolicy: 'ClusterFirst', expected: 'podDNSHost' },
    { desc: 'valid DNSNone', dnsPolicy: 'None', expected: 'podDNSNone' },
    { desc: 'invalid DNS policy, should return error', dnsPolicy: 'invalidPolicy', error: true },
  ];
  for (const tc of cases) {
    it(`${tc.desc} [ref: TestGetPodDNSType/${tc.desc}]`, () => {
      const r = getPodDNSType(pod({ hostNetwork: tc.hostNetwork, dnsPolicy: tc.dnsPolicy as Pod['spec']['dnsPolicy'] }));
      if (tc.error) expect(r.error).toBe('invalid DNSPolicy=invalidPolicy');
      else expect(r).toEqual({ type: tc.expected });
    });
  }
});

describe('getPodDNS', () => {
  const clusterNS = '203.0.113.1';
  const pods = (): Pod[] =>
    ['ClusterFirstWithHostNet', 'ClusterFirst', 'ClusterFirst', 'Default'].map((p, i) => ({
      metadata: { name: `pod${i}`, uid: String(10000 + i) },
      spec: { containers: [], hostNetwork: i !== 2, dnsPolicy: p as Pod['spec']['dnsPolicy'] },
    }));

  it('without a resolver file: cluster DNS, or the local host with search "." [ref: TestGetPodDNS]', () => {
    const c = new Configurer({ clusterDNS: [clusterNS], clusterDomain: 'kubernetes.io', resolverConfig: '' });
    const got = pods().map((p) => c.getPodDNS(p));
    expect(got[0].servers).toEqual([clusterNS]);
    expect(got[0].searches[0]).toBe('.svc.kubernetes.io');
    expect(got[1]).toMatchObject({ servers: ['127.0.0.1'], searches: ['.'] });
    expect(got[2].servers).toEqual([clusterNS]);
    expect(got[2].searches[0]).toBe('.svc.kubernetes.io');
    expect(got[3]).toMatchObject({ servers: ['127.0.0.1'], searches: ['.'] });
  });

  it('with a resolver file: the cluster domains prepended to the host search [ref: TestGetPodDNS (testResolverConfig)]', () => {
    const c = new Configurer({ clusterDNS: [clusterNS], clusterDomain: 'kubernetes.io', hostResolvConf: 'nameserver 8.8.8.8\nsearch host.domain corp.example\n' });
    const got = pods().map((p) => c.getPodDNS(p));
    expect(got[0]).toEqual({ servers: [clusterNS], searches: ['.svc.kubernetes.io', 'svc.kubernetes.io', 'kubernetes.io', 'host.domain', 'corp.example'], options: ['ndots:5'] });
    expect(got[1]).toEqual({ servers: ['8.8.8.8'], searches: ['host.domain', 'corp.example'], options: [] });
    expect(got[2].searches).toHaveLength(got[1].searches.length + 3);
  });

  it('records MissingClusterDNS on the node and the pod and falls back to the host', () => {
    const c = new Configurer({ clusterDomain: 'cluster.local', hostResolvConf: 'nameserver 8.8.8.8\n' });
    const cfg = c.getPodDNS({ metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [], dnsPolicy: 'ClusterFirst' } });
    expect(cfg.servers).toEqual(['8.8.8.8']);
    expect(c.events).toEqual([
      { involvedObject: 'Node', type: 'Warning', reason: 'MissingClusterDNS', message: 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.' },
      { involvedObject: 'Pod', type: 'Warning', reason: 'MissingClusterDNS', message: 'pod: "web_default(u1)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.' },
    ]);
  });
});

describe('getPodDNS with dnsConfig', () => {
  const c = () => new Configurer({ clusterDNS: ['10.0.0.10'], clusterDomain: 'kubernetes.io', hostResolvConf: 'nameserver 8.8.8.8\nsearch host.domain\n' });
  const cfg = (nameservers: string[], searches: string[]): PodDNSConfig => ({ nameservers, searches, options: [{ name: 'ndots', value: '3' }, { name: 'debug' }] });
  const cases: { desc: string; hostNetwork?: boolean; dnsPolicy: Pod['spec']['dnsPolicy']; dnsConfig?: PodDNSConfig; expected: { servers: string[]; searches: string[]; options: string[] } }[] = [
    { desc: 'DNSNone without DNSConfig should have empty DNS settings', dnsPolicy: 'None', expected: { servers: [], searches: [], options: [] } },
    { desc: 'DNSNone with DNSConfig should have a merged DNS settings', dnsPolicy: 'None', dnsConfig: cfg(['203.0.113.1'], ['my.domain', 'second.domain']), expected: { servers: ['203.0.113.1'], searches: ['my.domain', 'second.domain'], options: ['ndots:3', 'debug'] } },
    {
      desc: 'DNSClusterFirst with DNSConfig should have a merged DNS settings',
      dnsPolicy: 'ClusterFirst',
      dnsConfig: cfg(['10.0.0.11'], ['my.domain']),
      expected: { servers: ['10.0.0.10', '10.0.0.11'], searches: ['testNS.svc.kubernetes.io', 'svc.kubernetes.io', 'kubernetes.io', 'host.domain', 'my.domain'], options: ['ndots:3', 'debug'] },
    },
    {
      desc: 'DNSClusterFirstWithHostNet with DNSConfig should have a merged DNS settings',
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      dnsConfig: cfg(['10.0.0.11'], ['my.domain']),
      expected: { servers: ['10.0.0.10', '10.0.0.11'], searches: ['testNS.svc.kubernetes.io', 'svc.kubernetes.io', 'kubernetes.io', 'host.domain', 'my.domain'], options: ['ndots:3', 'debug'] },
    },
    { desc: 'DNSDefault with DNSConfig should have a merged DNS settings', dnsPolicy: 'Default', dnsConfig: cfg(['10.0.0.11'], ['my.domain']), expected: { servers: ['8.8.8.8', '10.0.0.11'], searches: ['host.domain', 'my.domain'], options: ['ndots:3', 'debug'] } },
  ];
  for (const tc of cases) {
    it(`${tc.desc} [ref: TestGetPodDNSCustom/${tc.desc}]`, () => {
      expect(c().getPodDNS(pod({ hostNetwork: tc.hostNetwork, dnsPolicy: tc.dnsPolicy, dnsConfig: tc.dnsConfig }))).toEqual(tc.expected);
    });
  }
});

describe('checkLimitsForResolvConf', () => {
  it('warns on the node when the host search line leaves no room for the cluster domains', () => {
    const c = new Configurer({ clusterDomain: 'cluster.local', hostResolvConf: `search ${Array.from({ length: 30 }, (_, i) => `d${i}.example`).join(' ')}\n` });
    c.checkLimitsForResolvConf();
    expect(c.events.map(formatDNSEvent)).toEqual(["Warning CheckLimitsForResolvConf Resolv.conf file '/etc/resolv.conf' contains search line consisting of more than 29 domains!"]);
  });

  it('warns on a search path longer than 253 characters', () => {
    const c = new Configurer({ clusterDomain: 'cluster.local', hostResolvConf: `search ${'a'.repeat(254)}\n` });
    c.checkLimitsForResolvConf();
    expect(c.events.map(formatDNSEvent)).toEqual(['Warning CheckLimitsForResolvConf Resolv.conf file "/etc/resolv.conf" contains a search path which length is more than allowed 253 chars!']);
  });

  it('is quiet for an ordinary host file', () => {
    const c = new Configurer({ clusterDomain: 'cluster.local', hostResolvConf: 'nameserver 192.168.49.1\nsearch corp.example\n' });
    c.checkLimitsForResolvConf();
    expect(c.events).toEqual([]);
  });
});

describe('the resolv.conf a pod sees (containerd)', () => {
  const host = 'nameserver 192.168.49.1\nsearch corp.example\noptions edns0 trust-ad\n';
  const cases: { name: string; spec: Partial<Pod['spec']>; want: string }[] = [
    { name: 'ClusterFirst', spec: {}, want: 'search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:5\n' },
    { name: 'ClusterFirst on the host network falls back to the host file', spec: { hostNetwork: true, dnsPolicy: 'ClusterFirst' }, want: 'search corp.example\nnameserver 192.168.49.1\noptions edns0 trust-ad\n' },
    { name: 'ClusterFirstWithHostNet on the host network', spec: { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }, want: 'search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:5\n' },
    { name: 'Default', spec: { dnsPolicy: 'Default' }, want: 'search corp.example\nnameserver 192.168.49.1\noptions edns0 trust-ad\n' },
    {
      name: 'None with dnsConfig',
      spec: { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } },
      want: 'search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 1.2.3.4\noptions ndots:2 edns0\n',
    },
    { name: 'ClusterFirst with an ndots override', spec: { dnsConfig: { options: [{ name: 'ndots', value: '1' }] } }, want: 'search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:1\n' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const r = podResolvConf({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], ...tc.spec } }, { hostResolvConf: host });
      expect(r.resolvConf).toBe(tc.want);
      expect(r.events).toEqual([]);
    });
  }

  it('writes nothing itself when every list is empty: the runtime copies the host file', () => {
    expect(formatResolvConf({ servers: [], searches: [], options: [] }, host)).toBe(host);
  });
});
