/**
 * The world outside the cluster as a small fixed table: the recursive resolver the node's
 * /etc/resolv.conf names, which CoreDNS's `forward . /etc/resolv.conf` asks, and which pods with
 * `dnsPolicy: Default` ask directly. Not an upstream component: a stand-in with the answer
 * shapes a recursive resolver gives (no `aa`, `ra` set, the zone's SOA on negative answers).
 */
import { fqdn, type Msg, type QType, type RR } from '../message';

export interface UpstreamEntry {
  a?: string[];
  aaaa?: string[];
  /** The name is an alias (answered with the CNAME and the target's records). */
  cname?: string;
  ttl?: number;
}

/** Names to entries, fully qualified and lower case. */
export type UpstreamTable = Record<string, UpstreamEntry>;

/** The root zone's SOA, what negative answers for unknown names carry. */
export const rootSOA: RR = { name: '.', ttl: 86400, type: 'SOA', ns: 'a.root-servers.net.', mbox: 'nstld.verisign-grs.com.', serial: 2026120500, refresh: 1800, retry: 900, expire: 604800, minttl: 86400 };

/** A few public names with the addresses they had when this table was written. */
export const defaultUpstreamTable: UpstreamTable = {
  'example.com.': { a: ['93.184.215.14'], aaaa: ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'], ttl: 300 },
  'www.example.com.': { cname: 'example.com.', ttl: 300 },
  'kubernetes.io.': { a: ['147.75.40.148'], ttl: 300 },
  'registry.k8s.io.': { a: ['34.96.108.209'], aaaa: ['2600:1901:0:bbc4::'], ttl: 300 },
  'github.com.': { a: ['140.82.121.4'], ttl: 60 },
};

/** A question to a DNS server, as a client sends it. */
export interface Query {
  name: string;
  qtype: QType;
  id?: number;
  /** Recursion desired (set by every stub resolver and tool modelled here). */
  rd?: boolean;
  /** The client's EDNS0 OPT, echoed by CoreDNS. */
  opt?: Msg['opt'];
  /** Virtual time the query arrives (for trace events); the server's clock otherwise. */
  tMs?: number;
}

/** Anything that answers queries: CoreDNS, the upstream table. */
export interface DNSServer {
  serveDNS(q: Query): Msg;
}

/** A recursive resolver answering from `table`. */
export function newUpstreamResolver(table: UpstreamTable = defaultUpstreamTable): DNSServer {
  return {
    serveDNS(q: Query): Msg {
      const reply: Msg = { id: q.id ?? 0, rcode: 'NOERROR', aa: false, rd: q.rd ?? true, ra: true, tc: false, question: { name: q.name, qtype: q.qtype }, answer: [], ns: [], extra: [], opt: q.opt };
      let name = fqdn(q.name).toLowerCase();
      let owner = q.name;
      for (let hops = 0; hops < 10; hops++) {
        const e = table[name];
        if (!e) {
          if (reply.answer.length === 0) reply.rcode = 'NXDOMAIN';
          break;
        }
        const ttl = e.ttl ?? 300;
        if (e.cname && q.qtype !== 'CNAME') {
          reply.answer.push({ name: owner, ttl, type: 'CNAME', target: fqdn(e.cname) });
          owner = fqdn(e.cname);
          name = owner.toLowerCase();
          continue;
        }
        if (q.qtype === 'A') for (const a of e.a ?? []) reply.answer.push({ name: owner, ttl, type: 'A', a });
        if (q.qtype === 'AAAA') for (const aaaa of e.aaaa ?? []) reply.answer.push({ name: owner, ttl, type: 'AAAA', aaaa });
        if (q.qtype === 'CNAME' && e.cname) reply.answer.push({ name: owner, ttl, type: 'CNAME', target: fqdn(e.cname) });
        break;
      }
      if (reply.answer.length === 0) reply.ns = [rootSOA];
      return reply;
    },
  };
}
