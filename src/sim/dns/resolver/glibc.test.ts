// The queries glibc's resolver sends from a pod, after glibc 2.36 resolv/res_query.c
// (__res_context_search) and res_send.c; the counts are the ones a capture on the pod shows.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { clusterDNS, clusterNetwork, podResolvConfDefault } from '../testing/cluster';
import { formatQueryLog, getaddrinfo, parseResolverConfig, resSearch } from './glibc';

const ctx = (resolvConf = podResolvConfDefault, extra: object = {}) => ({ resolvConf, network: clusterNetwork(), ...extra });
const names = (r: { queries: { qtype: string; name: string }[] }) => r.queries.map((q) => `${q.qtype} ${q.name}`);

describe('getaddrinfo from a ClusterFirst pod in `default` (ndots:5)', () => {
  it('kubernetes.default: two names, A and AAAA each, before the answer', () => {
    const r = getaddrinfo('kubernetes.default', ctx());
    expect(names(r)).toEqual([
      'A kubernetes.default.default.svc.cluster.local.',
      'AAAA kubernetes.default.default.svc.cluster.local.',
      'A kubernetes.default.svc.cluster.local.',
      'AAAA kubernetes.default.svc.cluster.local.',
    ]);
    expect(r.addresses).toEqual(['10.96.0.1']);
    expect(r.canonicalName).toBe('kubernetes.default.svc.cluster.local.');
  });

  it('a service in the same namespace by its short name: one name', () => {
    const r = getaddrinfo('my-svc', ctx());
    expect(r.queries).toHaveLength(2);
    expect(r.addresses).toEqual(['10.96.100.20']);
  });

  it('the full service name without a trailing dot has 4 dots < 5: the whole search list first (8 queries)', () => {
    const r = getaddrinfo('kubernetes.default.svc.cluster.local', ctx());
    expect(names(r)).toEqual([
      'A kubernetes.default.svc.cluster.local.default.svc.cluster.local.',
      'AAAA kubernetes.default.svc.cluster.local.default.svc.cluster.local.',
      'A kubernetes.default.svc.cluster.local.svc.cluster.local.',
      'AAAA kubernetes.default.svc.cluster.local.svc.cluster.local.',
      'A kubernetes.default.svc.cluster.local.cluster.local.',
      'AAAA kubernetes.default.svc.cluster.local.cluster.local.',
      'A kubernetes.default.svc.cluster.local.',
      'AAAA kubernetes.default.svc.cluster.local.',
    ]);
    expect(r.addresses).toEqual(['10.96.0.1']);
  });

  it('a trailing dot skips the search list (2 queries)', () => {
    expect(getaddrinfo('kubernetes.default.svc.cluster.local.', ctx()).queries).toHaveLength(2);
  });

  it('an external name walks the whole search list before going out (8 queries)', () => {
    const r = getaddrinfo('example.com', ctx());
    expect(r.queries.map((q) => q.rcode)).toEqual(['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NOERROR', 'NOERROR']);
    expect(r.addresses).toEqual(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']);
  });

  it('with dnsConfig ndots:1 the external name goes out first (2 queries)', () => {
    const r = getaddrinfo('example.com', ctx(podResolvConfDefault.replace('ndots:5', 'ndots:1')));
    expect(names(r)).toEqual(['A example.com.', 'AAAA example.com.']);
  });

  it('a name in another namespace: the second search domain finds it', () => {
    const r = getaddrinfo('api.prod', ctx());
    expect(r.queries).toHaveLength(4);
    expect(r.addresses).toEqual(['10.96.7.7']);
  });

  it('a name nobody has: every search domain, then the name itself, then HOST_NOT_FOUND', () => {
    const r = getaddrinfo('nosuch', ctx());
    expect(r.queries).toHaveLength(8);
    expect(r.error).toBe('HOST_NOT_FOUND');
    expect(r.queries.at(-1)?.name).toBe('nosuch.');
  });

  it('NODATA does not stop the search: AAAA for an IPv4 service tries every domain and ends in NO_DATA', () => {
    const r = getaddrinfo('my-svc', ctx(), 'AF_INET6');
    expect(r.queries.map((q) => `${q.name} ${q.rcode}`)).toEqual([
      'my-svc.default.svc.cluster.local. NOERROR',
      'my-svc.svc.cluster.local. NXDOMAIN',
      'my-svc.cluster.local. NXDOMAIN',
      'my-svc. NXDOMAIN',
    ]);
    expect(r.error).toBe('NO_DATA');
  });

  it('/etc/hosts answers first, without a query (hostAliases)', () => {
    const r = getaddrinfo('foo.local', ctx(podResolvConfDefault, { hosts: '127.0.0.1\tlocalhost\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n' }));
    expect(r).toMatchObject({ source: 'files', addresses: ['10.1.2.3'], queries: [] });
  });

  it('a numeric address needs no lookup', () => {
    expect(getaddrinfo('10.96.0.1', ctx()).queries).toEqual([]);
  });

  it('search "." (kubelet --resolv-conf="") queries the name once, as root-relative', () => {
    const r = resSearch('example.com', ['A'], { resolvConf: 'nameserver 10.96.0.10\nsearch .\n', network: clusterNetwork() });
    expect(names(r)).toEqual(['A example.com.']);
  });
});

describe('timeouts and attempts', () => {
  it('three dead servers wait timeout, (timeout << 1) / 3 and (timeout << 2) / 3 s per round (send_dg)', () => {
    const r = resSearch('x.', ['A'], { resolvConf: 'nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\noptions attempts:1\n', network: {} });
    expect(r.queries.map((q) => q.tMs)).toEqual([0, 5000, 8000]);
    expect(r.elapsedMs).toBe(5000 + 3000 + 6000);
  });

  it('a dead first nameserver costs `timeout` seconds on every name of the search', () => {
    const clock = new FakeClock(0);
    const r = getaddrinfo('kubernetes.default', { resolvConf: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.99\nnameserver 10.96.0.10\noptions ndots:5 timeout:1 attempts:2\n', network: clusterNetwork(), clock });
    expect(r.addresses).toEqual(['10.96.0.1']);
    expect(r.elapsedMs).toBe(2000);
    expect(formatQueryLog(r.queries)).toBe(
      [
        '+0ms 10.96.0.99 A? kubernetes.default.default.svc.cluster.local. -> timeout',
        '+0ms 10.96.0.99 AAAA? kubernetes.default.default.svc.cluster.local. -> timeout',
        '+1000ms 10.96.0.10 A? kubernetes.default.default.svc.cluster.local. -> NXDOMAIN (0 answers)',
        '+1000ms 10.96.0.10 AAAA? kubernetes.default.default.svc.cluster.local. -> NXDOMAIN (0 answers)',
        '+1000ms 10.96.0.99 A? kubernetes.default.svc.cluster.local. -> timeout',
        '+1000ms 10.96.0.99 AAAA? kubernetes.default.svc.cluster.local. -> timeout',
        '+2000ms 10.96.0.10 A? kubernetes.default.svc.cluster.local. -> NOERROR (1 answer)',
        '+2000ms 10.96.0.10 AAAA? kubernetes.default.svc.cluster.local. -> NOERROR (0 answers)',
      ].join('\n'),
    );
  });

  it('no server at all: 5 s on each of 2 tries per name, the search stops, the name is tried as is, TRY_AGAIN', () => {
    const r = getaddrinfo('kubernetes.default', { resolvConf: podResolvConfDefault, network: {} });
    expect(r.error).toBe('TRY_AGAIN');
    expect(r.elapsedMs).toBe(20000);
    expect([...new Set(r.queries.map((q) => q.name))]).toEqual(['kubernetes.default.default.svc.cluster.local.', 'kubernetes.default.']);
  });
});

describe('parseResolverConfig', () => {
  it('keeps three nameservers, clamps options to glibc maxima, and falls back to the local host', () => {
    const cfg = parseResolverConfig('nameserver 1.1.1.1\nnameserver 2.2.2.2\nnameserver 3.3.3.3\nnameserver 4.4.4.4\noptions ndots:20 timeout:60 attempts:9 rotate\n');
    expect(cfg).toEqual({ nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'], search: [], ndots: 15, timeout: 30, attempts: 5, options: ['rotate'] });
    expect(parseResolverConfig('').nameservers).toEqual(['127.0.0.1']);
    expect(parseResolverConfig('domain corp.example\nsearch a b\n').search).toEqual(['a', 'b']);
  });
});

it('the same cluster answers the same way on every run', () => {
  const run = () => JSON.stringify(getaddrinfo('example.com', { resolvConf: podResolvConfDefault, network: clusterNetwork(clusterDNS()) }));
  expect(run()).toBe(run());
});
