/**
 * glibc's stub resolver, the one `getaddrinfo` uses in Debian- and Ubuntu-based images: the
 * resolv.conf it reads, /etc/hosts before DNS (`hosts: files dns`), the search list and ndots,
 * A and AAAA sent together for AF_UNSPEC, nameservers tried in turn with `timeout` and `attempts`.
 * Upstream: glibc 2.36 resolv/res_init.c (res_vinit, res_setoptions), resolv/res_query.c
 * (__res_context_search, __res_context_querydomain, __res_context_query), resolv/res_send.c
 * (__res_context_send, send_dg), nss/nss_files/files-hosts.c.
 */
import type { FakeClock } from '../../core/clock';
import type { Rng } from '../../core/rng';
import { fqdn, isIP, isIPv4, reverseName, type Msg, type QType, type Rcode, type RR } from '../message';
import type { DNSServer, Query } from '../coredns/upstream';
import type { TraceRecorder } from '../../core/trace';
import { emitAt, type ResolverEventMap } from '../events';

/** `_res` after res_init: what the resolver acts on. */
export interface ResolverConfig {
  nameservers: string[];
  search: string[];
  /** Names with at least this many dots are tried as given first (default 1, at most 15). */
  ndots: number;
  /** Seconds to wait for the first try of a server (default 5, at most 30). */
  timeout: number;
  /** Rounds over all servers (default 2, at most 5). */
  attempts: number;
  /** Other options as written (`rotate`, `single-request`, `edns0`, ...). */
  options: string[];
}

const MAXNS = 3;
const RES_MAXNDOTS = 15;
const RES_MAXRETRANS = 30;
const RES_MAXRETRY = 5;

/**
 * resolv.conf as glibc reads it: up to three nameservers (none: the local host), the last
 * `search` or `domain` line wins, options clamped to glibc's maxima.
 * Upstream: res_init.c (res_vinit, res_setoptions)
 */
export function parseResolverConfig(text: string): ResolverConfig {
  const cfg: ResolverConfig = { nameservers: [], search: [], ndots: 1, timeout: 5, attempts: 2, options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const fields = line.split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) continue;
    const [key, ...rest] = fields;
    if (key === 'nameserver' && rest.length > 0 && cfg.nameservers.length < MAXNS) cfg.nameservers.push(rest[0]);
    else if (key === 'domain' && rest.length > 0) cfg.search = [rest[0]];
    else if (key === 'search') cfg.search = rest;
    else if (key === 'options') {
      for (const opt of rest) {
        const [name, value] = opt.split(':');
        const n = Number(value);
        if (name === 'ndots' && value !== undefined && Number.isInteger(n) && n >= 0) cfg.ndots = Math.min(n, RES_MAXNDOTS);
        else if (name === 'timeout' && value !== undefined && Number.isInteger(n) && n >= 0) cfg.timeout = Math.min(n, RES_MAXRETRANS);
        else if (name === 'attempts' && value !== undefined && Number.isInteger(n) && n >= 0) cfg.attempts = Math.min(n, RES_MAXRETRY);
        else cfg.options.push(opt);
      }
    }
  }
  if (cfg.nameservers.length === 0) cfg.nameservers = ['127.0.0.1'];
  return cfg;
}

/** Who answers at which address; an address with no server times out. */
export type Network = Record<string, DNSServer>;

/** One query on the wire, as a capture on the pod's interface would show it. */
export interface QueryLogEntry {
  /** Virtual time the query was sent, ms. */
  tMs: number;
  server: string;
  name: string;
  qtype: QType;
  id: number;
  /** The reply's status, or `timeout`. */
  rcode: Rcode | 'timeout';
  answers: number;
}

/** glibc's h_errno values (netdb.h). */
export type HErrno = 'HOST_NOT_FOUND' | 'TRY_AGAIN' | 'NO_RECOVERY' | 'NO_DATA';

export interface ResolverContext {
  resolvConf: string;
  /** /etc/hosts text (consulted first, by exact name). */
  hosts?: string;
  network: Network;
  clock?: FakeClock;
  /** Query IDs (glibc draws them at random); without it IDs count up from 1. */
  rng?: Rng;
  /** Where `resolver.*` events go. */
  trace?: TraceRecorder;
}

export interface LookupResult {
  name: string;
  source: 'numeric' | 'files' | 'dns';
  /** Every query sent, in order. */
  queries: QueryLogEntry[];
  addresses: string[];
  /** The name the addresses belong to (after CNAMEs). */
  canonicalName?: string;
  /** Set when the lookup failed. */
  error?: HErrno;
  /** The replies that carried the answer (one per query type), for tools that print them. */
  replies: Msg[];
  /** Virtual ms spent waiting (timeouts). */
  elapsedMs: number;
}

/** A resolver run: its config, the log, the virtual time spent. */
class Session {
  readonly cfg: ResolverConfig;
  readonly queries: QueryLogEntry[] = [];
  elapsedMs = 0;
  private nextId = 1;

  constructor(readonly ctx: ResolverContext) {
    this.cfg = parseResolverConfig(ctx.resolvConf);
  }

  emit<K extends keyof ResolverEventMap & string>(t: number, type: K, fields: ResolverEventMap[K]): void {
    emitAt<ResolverEventMap, K>(this.ctx.trace, 'resolver', t, type, fields);
  }

  private id(): number {
    return this.ctx.rng ? this.ctx.rng.int(65536) : this.nextId++;
  }

  /**
   * Sends the questions (A and AAAA share a socket and a timeout) to each server in turn, for
   * `attempts` rounds; server i waits `(timeout << i) / nscount` s (i > 0), the first `timeout` s;
   * a SERVFAIL, NOTIMP or REFUSED moves on to the next server.
   * Upstream: res_send.c (__res_context_send, send_dg)
   */
  send(name: string, qtypes: QType[]): Msg[] | undefined {
    const { nameservers, timeout, attempts } = this.cfg;
    let last: Msg[] | undefined;
    for (let attempt = 0; attempt < Math.max(1, attempts); attempt++) {
      for (const [index, server] of nameservers.entries()) {
        const t = (this.ctx.clock?.now() ?? 0) + this.elapsedMs;
        const srv = this.ctx.network[server];
        if (!srv) {
          // send_dg shifts by the server's index, not the try: later servers wait longer.
          let seconds = timeout << index;
          if (index > 0) seconds = Math.floor(seconds / nameservers.length);
          const waitMs = Math.max(1, seconds) * 1000;
          const sent = qtypes.map((qtype) => ({ qtype, id: this.id() }));
          for (const { qtype, id } of sent) {
            this.queries.push({ tMs: t, server, name, qtype, id, rcode: 'timeout', answers: 0 });
            this.emit(t, 'resolver.query', { server, name, qtype, id });
          }
          for (const { qtype, id } of sent) this.emit(t + waitMs, 'resolver.timeout', { server, name, qtype, id, waitMs });
          this.elapsedMs += waitMs;
          continue;
        }
        // A and AAAA leave together on one socket before either reply is read.
        const sent = qtypes.map((qtype) => ({ name, qtype, id: this.id(), rd: true, tMs: t }) satisfies Query);
        for (const q of sent) this.emit(t, 'resolver.query', { server, name, qtype: q.qtype, id: q.id });
        const replies = sent.map((q) => {
          const m = srv.serveDNS(q);
          this.queries.push({ tMs: t, server, name, qtype: q.qtype, id: q.id, rcode: m.rcode, answers: m.answer.length });
          this.emit(t, 'resolver.reply', { server, name, qtype: q.qtype, id: q.id, rcode: m.rcode, answers: m.answer.length });
          return m;
        });
        last = replies;
        if (replies.some((m) => m.rcode === 'SERVFAIL' || m.rcode === 'NOTIMP' || m.rcode === 'REFUSED')) continue;
        return replies;
      }
    }
    return last;
  }

  /**
   * One name: success when any reply has answers; else the first failing status decides
   * h_errno. Upstream: res_query.c (__res_context_query)
   */
  query(name: string, qtypes: QType[]): { replies?: Msg[]; herrno?: HErrno; servfail?: boolean } {
    const replies = this.send(name, qtypes);
    if (!replies) return { herrno: 'TRY_AGAIN' };
    if (replies.some((m) => m.rcode === 'NOERROR' && m.answer.length > 0)) return { replies };
    const rcode = replies[0].rcode === 'NOERROR' ? (replies[1]?.rcode ?? 'NOERROR') : replies[0].rcode;
    switch (rcode) {
      case 'NXDOMAIN':
        return { replies, herrno: 'HOST_NOT_FOUND' };
      case 'SERVFAIL':
        return { replies, herrno: 'TRY_AGAIN', servfail: true };
      case 'NOERROR':
        return { replies, herrno: 'NO_DATA' };
      default:
        return { replies, herrno: 'NO_RECOVERY' };
    }
  }
}

/**
 * The search: a trailing dot means the name as given only; enough dots (ndots) try it as given
 * first; then each search domain; then the name as given if not tried yet. NXDOMAIN and NODATA
 * move on to the next domain, SERVFAIL too; anything else ends the search.
 * Upstream: res_query.c (__res_context_search)
 */
function search(s: Session, name: string, qtypes: QType[]): { replies?: Msg[]; herrno?: HErrno } {
  const dots = name.split('.').length - 1;
  const trailingDot = name.endsWith('.');
  let savedHerrno: HErrno | undefined;
  let lastHerrno: HErrno = 'HOST_NOT_FOUND';
  let triedAsIs = false;
  let gotNodata = false;
  let gotServfail = false;
  let rootOnList = false;
  if (dots >= s.cfg.ndots || trailingDot) {
    const r = s.query(fqdn(name), qtypes);
    if (!r.herrno || trailingDot) return r;
    savedHerrno = lastHerrno = r.herrno;
    triedAsIs = true;
  }
  if (!trailingDot) {
    for (const domain of s.cfg.search) {
      const d = domain.startsWith('.') ? domain.slice(1) : domain;
      if (d === '') rootOnList = true;
      const r = s.query(fqdn(d === '' ? name : `${name}.${d}`), qtypes);
      if (!r.herrno) return r;
      lastHerrno = r.herrno;
      if (r.herrno === 'NO_DATA') gotNodata = true;
      else if (r.herrno === 'TRY_AGAIN' && r.servfail) gotServfail = true;
      else if (r.herrno !== 'HOST_NOT_FOUND') break;
    }
  }
  // RES_NOTLDQUERY is off by default, so a single label is tried as given too.
  if (!(triedAsIs || rootOnList)) {
    const r = s.query(fqdn(name), qtypes);
    if (!r.herrno) return r;
    lastHerrno = r.herrno;
  }
  if (savedHerrno) return { herrno: savedHerrno };
  if (gotNodata) return { herrno: 'NO_DATA' };
  if (gotServfail) return { herrno: 'TRY_AGAIN' };
  return { herrno: lastHerrno };
}

/** Lines of /etc/hosts naming `name` (canonical name or alias, any case). Upstream: files-hosts.c */
export function hostsLookup(hosts: string, name: string, family: 'AF_UNSPEC' | 'AF_INET' | 'AF_INET6'): { addresses: string[]; canonicalName?: string } {
  const addresses: string[] = [];
  let canonicalName: string | undefined;
  for (const raw of hosts.split('\n')) {
    const fields = raw.replace(/#.*$/, '').trim().split(/\s+/).filter((f) => f !== '');
    if (fields.length < 2) continue;
    const [ip, ...names] = fields;
    if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) continue;
    if (family === 'AF_INET' && !isIPv4(ip)) continue;
    if (family === 'AF_INET6' && isIPv4(ip)) continue;
    if (!addresses.includes(ip)) addresses.push(ip);
    canonicalName ??= names[0];
  }
  return { addresses, canonicalName };
}

/**
 * `getaddrinfo(name)`: a numeric address answers itself, /etc/hosts next, then DNS through the
 * search list (A and AAAA for AF_UNSPEC). Upstream: glibc sysdeps/posix/getaddrinfo.c
 * (gaih_inet), resolv/nss_dns/dns-host.c (_nss_dns_gethostbyname4_r)
 */
export function getaddrinfo(name: string, ctx: ResolverContext, family: 'AF_UNSPEC' | 'AF_INET' | 'AF_INET6' = 'AF_UNSPEC'): LookupResult {
  if (isIP(name)) return { name, source: 'numeric', queries: [], addresses: [name], canonicalName: name, replies: [], elapsedMs: 0 };
  if (ctx.hosts !== undefined) {
    const h = hostsLookup(ctx.hosts, name, family);
    if (h.addresses.length > 0) emitAt<ResolverEventMap, 'resolver.files'>(ctx.trace, 'resolver', ctx.clock?.now() ?? 0, 'resolver.files', { name, addresses: h.addresses.join(' ') });
    if (h.addresses.length > 0) return { name, source: 'files', queries: [], addresses: h.addresses, canonicalName: h.canonicalName, replies: [], elapsedMs: 0 };
  }
  const qtypes: QType[] = family === 'AF_UNSPEC' ? ['A', 'AAAA'] : family === 'AF_INET' ? ['A'] : ['AAAA'];
  return resSearch(name, qtypes, ctx);
}

/** `res_search` for the given query types (one, or A and AAAA together). */
export function resSearch(name: string, qtypes: QType[], ctx: ResolverContext): LookupResult {
  const s = new Session(ctx);
  const r = search(s, name, qtypes);
  const base = { name, source: 'dns' as const, queries: s.queries, elapsedMs: s.elapsedMs };
  if (r.herrno || !r.replies) return { ...base, addresses: [], error: r.herrno ?? 'HOST_NOT_FOUND', replies: r.replies ?? [] };
  const addresses: string[] = [];
  let canonicalName: string | undefined;
  for (const m of r.replies) {
    for (const rr of m.answer) {
      if (rr.type === 'A') addresses.push(rr.a);
      if (rr.type === 'AAAA') addresses.push(rr.aaaa);
      if ((rr.type === 'A' || rr.type === 'AAAA') && canonicalName === undefined) canonicalName = rr.name;
    }
  }
  return { ...base, addresses, canonicalName: canonicalName ?? r.replies[0].question.name, replies: r.replies };
}

/** The reverse lookup `getnameinfo` does: /etc/hosts, then a PTR query for `reverseName(ip)`. */
export function getnameinfo(ip: string, ctx: ResolverContext): { host?: string; queries: QueryLogEntry[] } {
  if (ctx.hosts !== undefined) {
    for (const raw of ctx.hosts.split('\n')) {
      const fields = raw.replace(/#.*$/, '').trim().split(/\s+/).filter((f) => f !== '');
      if (fields.length >= 2 && fields[0] === ip) return { host: fields[1], queries: [] };
    }
  }
  const s = new Session(ctx);
  const r = s.query(reverseName(ip), ['PTR']);
  const ptr = r.replies?.[0]?.answer.find((rr): rr is Extract<RR, { type: 'PTR' }> => rr.type === 'PTR');
  return { host: ptr ? ptr.ptr.replace(/\.$/, '') : undefined, queries: s.queries };
}

/** The log as lines, one per query: `+<ms>ms <server> <qtype>? <name> -> <status> (<n> answers)`. */
export function formatQueryLog(queries: readonly QueryLogEntry[]): string {
  return queries.map((q) => `+${q.tMs}ms ${q.server} ${q.qtype}? ${q.name} -> ${q.rcode}${q.rcode === 'timeout' ? '' : ` (${q.answers} answer${q.answers === 1 ? '' : 's'})`}`).join('\n');
}
