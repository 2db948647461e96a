/**
 * CoreDNS as kubeadm v1.34 configures it (see corefile.ts): the kubernetes plugin authoritative
 * for the cluster domain and the reverse zones (falling through for the latter), everything else
 * forwarded upstream, every reply's TTLs capped by `cache 30`, address records shuffled by
 * `loadbalance`. Upstream: coredns v1.12.1 plugin/kubernetes/handler.go (ServeDNS),
 * plugin/backend_lookup.go (A, AAAA, SRV, PTR, NS, SOA, BackendError), plugin/cache/cache.go
 * (ResponseWriter.WriteMsg), plugin/loadbalance/loadbalance.go (roundRobin).
 */
import type { FakeClock } from '../../core/clock';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { emitAt, type CoreDNSEventMap } from '../events';
import { extractAddressFromReverse, fqdn, isIP, isIPv4, isIPv6, isSubDomain, type Msg, type QType, type RR } from '../message';
import { KubernetesBackend, type BackendService, type KubernetesPluginOptions } from './kubernetes';
import { NameError, errNoItems } from './parse';
import { newUpstreamResolver, type DNSServer, type Query } from './upstream';
import { kubeadmCorefile } from './corefile';

export interface CoreDNSOptions extends KubernetesPluginOptions {
  /** kubeadm's `networking.dnsDomain`. */
  clusterDomain?: string;
  /** Where `forward . /etc/resolv.conf` sends names outside the zones. */
  upstream?: DNSServer;
  /** The SOA serial (upstream: the time of the last change the informers saw); default: the clock's seconds. */
  serial?: number;
  clock?: FakeClock;
  /** Drives `loadbalance`'s shuffle (upstream draws `dns.Id()`); without it answers keep their order. */
  rng?: Rng;
  /** Where `coredns.serve` events go (at the clock's time). */
  trace?: TraceRecorder;
}

const maxCnameChainLength = 10;

/** Upstream: handler.go (Kubernetes.ServeDNS) and the plugins around it in the Corefile. */
export class CoreDNS implements DNSServer {
  readonly zones: string[];
  readonly fallthroughZones: string[];
  readonly backend: KubernetesBackend;
  readonly corefile: string;
  private readonly upstream: DNSServer;
  private readonly primaryZone: string;
  private readonly opts: CoreDNSOptions;

  constructor(opts: CoreDNSOptions = {}) {
    const domain = opts.clusterDomain ?? 'cluster.local';
    this.opts = opts;
    this.primaryZone = fqdn(domain);
    this.zones = [this.primaryZone, 'in-addr.arpa.', 'ip6.arpa.'];
    this.fallthroughZones = ['in-addr.arpa.', 'ip6.arpa.'];
    this.backend = new KubernetesBackend(opts);
    this.upstream = opts.upstream ?? newUpstreamResolver();
    this.corefile = kubeadmCorefile(domain);
  }

  /** One query, answered as the whole server answers it. */
  serveDNS(q: Query): Msg {
    const m = this.loadbalance(this.cache(this.kubernetes(q)));
    const plugin = m.aa ? 'kubernetes' : 'forward';
    emitAt<CoreDNSEventMap, 'coredns.serve'>(this.opts.trace, 'coredns', q.tMs ?? this.opts.clock?.now() ?? 0, 'coredns.serve', { name: q.name, qtype: q.qtype, rcode: m.rcode, answers: m.answer.length, plugin });
    return m;
  }

  /** The kubernetes plugin alone, as upstream's handler tests call it (no cache, no loadbalance). */
  serveKubernetes(q: Query): Msg {
    return this.kubernetes(q);
  }

  /** `dig`-like shorthand: the reply to `name` of type `qtype`. */
  resolve(name: string, qtype: QType = 'A'): Msg {
    return this.serveDNS({ name: fqdn(name), qtype, rd: true });
  }

  private get serial(): number {
    return this.opts.serial ?? Math.floor((this.opts.clock?.now() ?? 0) / 1000);
  }

  /** The longest zone `name` lies in, or `''`. Upstream: plugin/zones.go (Zones.Matches) */
  private matchZone(name: string): string {
    let best = '';
    for (const z of this.zones) if (isSubDomain(z, name) && z.length > best.length) best = z;
    return best;
  }

  private kubernetes(q: Query): Msg {
    const qname = fqdn(q.name);
    const name = qname.toLowerCase();
    const matched = this.matchZone(name);
    if (matched === '') return this.forward(q);
    // Keep the case of the query in the zone part, as upstream does.
    const zone = qname.slice(qname.length - matched.length);
    let records: RR[] = [];
    let extra: RR[] = [];
    let err: NameError | undefined;
    try {
      switch (q.qtype) {
        case 'A':
        case 'AAAA':
          records = this.address(zone, qname, q.qtype, []);
          break;
        case 'TXT':
          records = this.backend.lookup(name, zone.toLowerCase(), 'TXT').map((s) => ({ name: qname, ttl: s.ttl, type: 'TXT', txt: [s.text ?? ''] }));
          break;
        case 'CNAME': {
          const first = this.backend.lookup(name, zone.toLowerCase(), 'CNAME')[0];
          if (first && !isIP(first.host)) records = [{ name: qname, ttl: first.ttl, type: 'CNAME', target: fqdn(first.host) }];
          break;
        }
        case 'PTR':
          records = this.ptr(qname);
          break;
        case 'SRV':
          [records, extra] = this.srv(zone, qname);
          break;
        case 'SOA':
          if (name === zone.toLowerCase()) records = [this.soa(zone)];
          break;
        case 'NS':
          if (name === zone.toLowerCase()) {
            [records, extra] = this.ns(zone, qname);
            break;
          }
          this.address(zone, qname, 'A', []);
          break;
        default:
          // A fake A lookup tells NODATA from NXDOMAIN.
          this.address(zone, qname, 'A', []);
      }
    } catch (e) {
      if (!(e instanceof NameError)) throw e;
      err = e;
    }
    const reply: Msg = { id: q.id ?? 0, rcode: 'NOERROR', aa: true, rd: q.rd ?? true, ra: false, tc: false, question: { name: q.name, qtype: q.qtype }, answer: [], ns: [], extra: [], opt: q.opt };
    if (err) {
      if (this.fallthroughZones.some((z) => isSubDomain(z, name))) return this.forward(q);
      return { ...reply, rcode: 'NXDOMAIN', ns: [this.soa(zone)] };
    }
    if (records.length === 0) return { ...reply, ns: [this.soa(zone)] };
    return { ...reply, answer: records, extra };
  }

  /** Upstream: backend_lookup.go (A, AAAA) */
  private address(zone: string, qname: string, qtype: 'A' | 'AAAA', previous: RR[]): RR[] {
    const services = this.backend.lookup(qname.toLowerCase(), zone.toLowerCase(), qtype);
    const records: RR[] = [];
    const dup = new Set<string>();
    for (const serv of services) {
      if (isIP(serv.host)) {
        if (dup.has(serv.host)) continue;
        if (qtype === 'A' && isIPv4(serv.host)) records.push({ name: qname, ttl: serv.ttl, type: 'A', a: serv.host });
        else if (qtype === 'AAAA' && isIPv6(serv.host)) records.push({ name: qname, ttl: serv.ttl, type: 'AAAA', aaaa: serv.host });
        else continue;
        dup.add(serv.host);
        continue;
      }
      const target = fqdn(serv.host);
      if (target.toLowerCase() === qname.toLowerCase()) continue;
      const cname: RR = { name: qname, ttl: serv.ttl, type: 'CNAME', target };
      if (previous.length > maxCnameChainLength) continue;
      if (previous.some((p) => p.type === 'CNAME' && p.name === cname.name && p.target === target)) continue;
      if (isSubDomain(zone, target)) {
        try {
          const next = this.address(zone, target, qtype, [...previous, cname]);
          if (next.length > 0) records.push(cname, ...next);
        } catch (e) {
          if (!(e instanceof NameError)) throw e;
        }
        continue;
      }
      // Upstream asks its own server again (Upstream.Lookup), which forwards the name.
      const m1 = this.cache(this.forward({ name: target, qtype, rd: true }));
      records.push(cname, ...m1.answer);
    }
    return records;
  }

  /**
   * Weights split 100 among the records of a priority; each target gets its address in the
   * additional section once. Upstream: backend_lookup.go (SRV)
   */
  private srv(zone: string, qname: string): [RR[], RR[]] {
    const services = this.backend.lookup(qname.toLowerCase(), zone.toLowerCase(), 'SRV');
    const total = services.length * 100;
    const records: RR[] = [];
    const extra: RR[] = [];
    const dup = new Set<string>();
    for (const serv of services) {
      if (serv.port === -1) continue;
      const weight = Math.max(1, Math.floor((100 / total) * 100));
      const target = fqdn(serv.domain);
      if (!dup.has(`${target}|${serv.port}`)) {
        dup.add(`${target}|${serv.port}`);
        records.push({ name: qname, ttl: serv.ttl, type: 'SRV', priority: 0, weight, port: serv.port, target });
      }
      if (!dup.has(`${target}|@${serv.host}`)) {
        dup.add(`${target}|@${serv.host}`);
        extra.push(isIPv4(serv.host) ? { name: target, ttl: serv.ttl, type: 'A', a: serv.host } : { name: target, ttl: serv.ttl, type: 'AAAA', aaaa: serv.host });
      }
    }
    return [records, extra];
  }

  /** Upstream: backend_lookup.go (PTR); reverse.go (Kubernetes.Reverse) */
  private ptr(qname: string): RR[] {
    const ip = extractAddressFromReverse(qname);
    if (ip === '') throw errNoItems;
    const services: BackendService[] = this.backend.reverse(ip, this.primaryZone);
    if (services.length === 0) throw errNoItems;
    const seen = new Set<string>();
    const out: RR[] = [];
    for (const s of services) {
      if (isIP(s.host) || seen.has(s.host)) continue;
      seen.add(s.host);
      out.push({ name: qname, ttl: s.ttl, type: 'PTR', ptr: fqdn(s.host) });
    }
    return out;
  }

  /** Upstream: backend_lookup.go (NS) */
  private ns(zone: string, qname: string): [RR[], RR[]] {
    const services = this.backend.lookup(qname.toLowerCase(), zone, 'NS');
    const records: RR[] = [];
    const extra: RR[] = [];
    for (const s of services) {
      if (!records.some((r) => r.type === 'NS' && r.ns === s.domain)) records.push({ name: qname, ttl: s.ttl, type: 'NS', ns: s.domain });
      extra.push(isIPv4(s.host) ? { name: s.domain, ttl: s.ttl, type: 'A', a: s.host } : { name: s.domain, ttl: s.ttl, type: 'AAAA', aaaa: s.host });
    }
    return [records, extra];
  }

  /** Upstream: backend_lookup.go (SOA) */
  soa(zone: string): RR {
    const minttl = this.backend.ttl;
    return { name: zone, ttl: Math.min(300, minttl), type: 'SOA', ns: `ns.dns.${zone}`, mbox: `hostmaster.${zone}`, serial: this.serial, refresh: 7200, retry: 1800, expire: 86400, minttl };
  }

  /** `forward . /etc/resolv.conf`: the upstream's reply as it is. Upstream: plugin/forward */
  private forward(q: Query): Msg {
    const m = this.upstream.serveDNS({ ...q, name: fqdn(q.name) });
    return { ...m, question: { name: q.name, qtype: q.qtype }, id: q.id ?? m.id, opt: q.opt };
  }

  /**
   * `cache 30`: every reply's TTLs become its smallest TTL clamped to [5, 30] (5 s when it has no
   * records). Upstream: cache.go (ResponseWriter.WriteMsg, computeTTL), dnsutil/ttl.go (MinimalTTL)
   */
  private cache(m: Msg): Msg {
    if (m.rcode !== 'NOERROR' && m.rcode !== 'NXDOMAIN') return m;
    const all = [...m.answer, ...m.ns, ...m.extra];
    const minTTL = all.length === 0 ? 5 : Math.min(3600, ...all.map((r) => r.ttl));
    const ttl = Math.min(30, Math.max(5, minTTL));
    const cap = (rrs: RR[]) => rrs.map((r) => ({ ...r, ttl }));
    return { ...m, answer: cap(m.answer), ns: cap(m.ns), extra: cap(m.extra) };
  }

  /** Upstream: loadbalance.go (LoadBalanceResponseWriter.WriteMsg, roundRobin) */
  private loadbalance(m: Msg): Msg {
    if (m.rcode !== 'NOERROR' || !this.opts.rng) return m;
    return { ...m, answer: this.roundRobin(m.answer), ns: this.roundRobin(m.ns), extra: this.roundRobin(m.extra) };
  }

  /** CNAMEs first, then other records, then the shuffled addresses, then MX. */
  private roundRobin(rrs: RR[]): RR[] {
    const cname = rrs.filter((r) => r.type === 'CNAME');
    const address = rrs.filter((r) => r.type === 'A' || r.type === 'AAAA');
    const mx = rrs.filter((r) => r.type === 'MX');
    const rest = rrs.filter((r) => !['CNAME', 'A', 'AAAA', 'MX'].includes(r.type));
    this.shuffle(address);
    this.shuffle(mx);
    return [...cname, ...rest, ...address, ...mx];
  }

  /** Upstream: loadbalance.go (roundRobinShuffle), `dns.Id()` drawn from the injected RNG. */
  private shuffle(records: RR[]): void {
    const rng = this.opts.rng;
    const l = records.length;
    if (!rng || l < 2) return;
    const id = () => rng.int(65536);
    if (l === 2) {
      if (id() % 2 === 0) [records[0], records[1]] = [records[1], records[0]];
      return;
    }
    for (let j = 0; j < l; j++) {
      const p = j + (id() % (l - j));
      if (j !== p) [records[j], records[p]] = [records[p], records[j]];
    }
  }
}

/** A CoreDNS server over the given objects (see CoreDNSOptions). */
export function newCoreDNS(opts: CoreDNSOptions = {}): CoreDNS {
  return new CoreDNS(opts);
}
