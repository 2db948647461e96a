// Golden outputs of dig (BIND 9.18) and nslookup (BIND 9.18, busybox 1.28) run in a
// ClusterFirst pod of the test cluster. The formats follow real captures: dig's banner, header,
// flags and `;; WARNING` lines, the master-file columns, CoreDNS echoing the client cookie and
// sending uncompressed replies (129 bytes for kubernetes.default.svc.cluster.local A).
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { rngFromSeed } from '../../core/rng';
import { clusterDNS, clusterNetwork, podResolvConfDefault } from '../testing/cluster';
import { dig } from './dig';
import { nslookup } from './nslookup';

const when = Date.UTC(2026, 11, 5, 2, 0, 0);
const ctx = (seed = 1) => ({ resolvConf: podResolvConfDefault, network: clusterNetwork(), clock: new FakeClock(when), rng: rngFromSeed(seed) });

describe('dig', () => {
  const runs: [string, string][] = [
    ['kubernetes.default.svc.cluster.local', 'dig-service-a'],
    ['nosuch.default.svc.cluster.local', 'dig-nxdomain'],
    ['kubernetes.default.svc.cluster.local AAAA', 'dig-nodata'],
    ['_http._tcp.my-svc.default.svc.cluster.local SRV', 'dig-srv'],
    ['nginx.default.svc.cluster.local', 'dig-headless'],
    ['db.default.svc.cluster.local', 'dig-externalname'],
    ['example.com', 'dig-forwarded'],
    ['-x 10.96.0.10', 'dig-reverse'],
    ['@10.96.0.10 10-244-1-5.default.pod.cluster.local', 'dig-pod-at-server'],
    ['+search kubernetes.default', 'dig-search'],
  ];
  for (const [args, file] of runs) {
    it(`dig ${args}`, async () => {
      const r = dig(args, ctx());
      expect(r.exitCode).toBe(0);
      await expect(r.stdout).toMatchFileSnapshot(`../testdata/${file}.txt`);
    });
  }

  it('prints 129 bytes for the kubernetes service, as a real CoreDNS reply with an echoed cookie', () => {
    expect(dig('kubernetes.default.svc.cluster.local', ctx()).stdout).toContain(';; MSG SIZE  rcvd: 129\n');
  });

  it('+short prints the record data only', () => {
    expect(dig('+short nginx.default.svc.cluster.local', ctx()).stdout).toBe('10.244.1.20\n10.244.2.21\n');
    expect(dig('+short db.default.svc.cluster.local', ctx()).stdout).toBe('www.example.com.\nexample.com.\n93.184.215.14\n');
  });

  it('reports a dead server the way dig 9.18 does', async () => {
    const r = dig('@10.96.0.99 example.com', ctx());
    expect(r.exitCode).toBe(9);
    await expect(r.stdout).toMatchFileSnapshot('../testdata/dig-timeout.txt');
  });
});

describe('nslookup (BIND 9.18, the dnsutils image)', () => {
  const runs: [string, string, number][] = [
    ['kubernetes.default', 'nslookup-bind-service', 0],
    ['www.example.com', 'nslookup-bind-cname', 0],
    ['nosuch', 'nslookup-bind-nxdomain', 1],
  ];
  for (const [name, file, code] of runs) {
    it(`nslookup ${name}`, async () => {
      const r = nslookup(name, ctx());
      expect(r.exitCode).toBe(code);
      await expect(r.stdout).toMatchFileSnapshot(`../testdata/${file}.txt`);
    });
  }

  it('searches for A only; the AAAA lookup asks for the name found, absolute', () => {
    const r = nslookup('kubernetes.default', ctx());
    expect(r.queries.map((q) => `${q.qtype} ${q.name} ${q.rcode}`)).toEqual([
      'A kubernetes.default.default.svc.cluster.local. NXDOMAIN',
      'A kubernetes.default.svc.cluster.local. NOERROR',
      'AAAA kubernetes.default.svc.cluster.local. NOERROR',
    ]);
  });

  it('asks AAAA for the end of the CNAME chain, so the canonical name line prints once', () => {
    const r = nslookup('www.example.com', { ...ctx(), resolvConf: podResolvConfDefault.replace('ndots:5', 'ndots:1') });
    expect(r.queries.map((q) => `${q.qtype} ${q.name}`)).toEqual(['A www.example.com.', 'AAAA example.com.']);
    expect(r.stdout.match(/canonical name/g)).toHaveLength(1);
  });

  it('with ndots met, BIND tries the name as given and does not search afterwards', () => {
    const r = nslookup('a.b.c.d.e.f', ctx());
    expect(r.queries.map((q) => q.name)).toEqual(['a.b.c.d.e.f.']);
    expect(r.stdout).toContain("** server can't find a.b.c.d.e.f: NXDOMAIN\n");
  });

  it('says No answer when neither A nor AAAA has records (a namespace name is NODATA)', () => {
    const r = nslookup('default.svc.cluster.local.', ctx());
    expect(r.stdout).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n*** Can't find default.svc.cluster.local: No answer\n\n");
    expect(r.exitCode).toBe(0);
  });

  it('prints the AAAA answer alone when A has none', () => {
    const v6 = clusterDNS({ services: [{ metadata: { namespace: 'default', name: 'v6' }, spec: { clusterIPs: ['fd00::10'], ports: [{ port: 80 }] } }], endpointSlices: [] });
    const r = nslookup('v6', { ...ctx(), network: clusterNetwork(v6) });
    expect(r.stdout).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tv6.default.svc.cluster.local\nAddress: fd00::10\n\n');
  });
});

describe('nslookup (busybox 1.28)', () => {
  it('names the server and each address by reverse lookup', async () => {
    const r = nslookup('kubernetes.default', { ...ctx(), flavor: 'busybox' });
    expect(r.exitCode).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('../testdata/nslookup-busybox-service.txt');
    expect(r.queries.filter((q) => q.qtype === 'PTR').map((q) => q.name)).toEqual(['10.0.96.10.in-addr.arpa.', '1.0.96.10.in-addr.arpa.']);
  });

  it("says it can't resolve a missing name, on stderr", () => {
    const r = nslookup('nosuch', { ...ctx(), flavor: 'busybox' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("nslookup: can't resolve 'nosuch'\n");
    expect(r.stdout).toBe('Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n\n');
  });
});
