/**
 * `dig` as BIND 9.18 prints it (the dnsutils image is Debian bookworm's bind9-dnsutils): one
 * query with EDNS and a client cookie, no search list unless `+search`.
 * Upstream: bind9 v9.18 bin/dig/dig.c (printmessage, received, the header and flags lines),
 * bin/dig/dighost.c (the `communications error` and `no servers could be reached` texts).
 */
import type { Rng } from '../../core/rng';
import type { FakeClock } from '../../core/clock';
import { fqdn, isSubDomain, msgWireLength, questionText, reverseName, rrText, rdataText, type Msg, type QType } from '../message';
import { parseResolverConfig, resSearch, type Network, type QueryLogEntry } from '../resolver/glibc';
import { bindSearch } from './bind_search';

export interface ToolContext {
  resolvConf: string;
  network: Network;
  clock?: FakeClock;
  /** Message IDs and the client cookie; without it they are fixed. */
  rng?: Rng;
  /** The version dig prints in its banner. */
  digVersion?: string;
}

export interface ToolResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  queries: QueryLogEntry[];
}

const QTYPES: readonly QType[] = ['A', 'AAAA', 'CNAME', 'SRV', 'PTR', 'SOA', 'NS', 'TXT', 'MX'];
export const defaultDigVersion = '9.18.33-1~deb12u2-Debian';

/** `Thu Mar 27 15:04:00 UTC 2025`, the form of dig's `WHEN:` line. */
export function digWhen(ms: number): string {
  const d = new Date(ms); // allow-nondeterminism: formats the given virtual time, reads no clock
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** `dig [@server] [-t type] [-x addr] [+short] [+search] name [type]`. */
export function dig(args: string | string[], ctx: ToolContext): ToolResult {
  const argv = typeof args === 'string' ? args.split(/\s+/).filter((a) => a !== '') : args;
  const cfg = parseResolverConfig(ctx.resolvConf);
  let server: string | undefined;
  let qtype: QType = 'A';
  let name = '';
  let short = false;
  let useSearch = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('@')) server = a.slice(1);
    else if (a === '-t') qtype = (argv[++i] ?? 'A').toUpperCase() as QType;
    else if (a === '-x') {
      name = reverseName(argv[++i] ?? '');
      qtype = 'PTR';
    } else if (a === '+short') short = true;
    else if (a === '+search') useSearch = true;
    else if (a === '+nosearch') useSearch = false;
    else if (a.startsWith('+')) continue;
    else if (QTYPES.includes(a.toUpperCase() as QType) && name !== '') qtype = a.toUpperCase() as QType;
    else name = a;
  }
  if (name === '') name = '.';
  const target = server ?? cfg.nameservers[0];
  const lines: string[] = [];
  const rng = ctx.rng;
  const cookie = rng ? Array.from({ length: 8 }, () => rng.int(256).toString(16).padStart(2, '0')).join('') : '0123456789abcdef';
  // dig's defaults: one server, +tries=3, +time=5; the search list only with +search.
  const resolvConf = `nameserver ${target}\n${cfg.search.length ? `search ${cfg.search.join(' ')}\n` : ''}options ndots:${cfg.ndots} timeout:5 attempts:3\n`;
  let lookup: { reply?: Msg; queries: QueryLogEntry[] };
  if (useSearch) lookup = bindSearch(name, qtype, { ...ctx, resolvConf });
  else {
    const r = resSearch(fqdn(name), [qtype], { ...ctx, resolvConf });
    lookup = { reply: r.replies[0], queries: r.queries };
  }
  const reply = lookup.reply;
  const banner = `; <<>> DiG ${ctx.digVersion ?? defaultDigVersion} <<>> ${argv.join(' ')}`;
  if (!reply) {
    const timeouts = lookup.queries.filter((q) => q.rcode === 'timeout');
    const out = timeouts.map((q) => `;; communications error to ${q.server}#53: timed out`);
    if (short) return { stdout: `${out.join('\n')}\n;; no servers could be reached\n`, stderr: '', exitCode: 9, queries: lookup.queries };
    out.push('', banner);
    if (server) out.push('; (1 server found)');
    out.push(';; global options: +cmd', ';; no servers could be reached', '');
    return { stdout: `${out.join('\n')}\n`, stderr: '', exitCode: 9, queries: lookup.queries };
  }
  const m: Msg = { ...reply, opt: { udpSize: 1232, cookie } };
  if (short) {
    const out = m.answer.map((rr) => rdataText(rr));
    return { stdout: out.length ? `${out.join('\n')}\n` : '', stderr: '', exitCode: 0, queries: lookup.queries };
  }
  lines.push('', banner);
  if (server) lines.push('; (1 server found)');
  lines.push(';; global options: +cmd', ';; Got answer:');
  if (isSubDomain('local.', m.question.name)) {
    lines.push(';; WARNING: .local is reserved for Multicast DNS', ';; You are currently testing what happens when an mDNS query is leaked to DNS');
  }
  lines.push(`;; ->>HEADER<<- opcode: QUERY, status: ${m.rcode}, id: ${m.id}`);
  const flags = [m.aa ? 'aa' : '', m.tc ? 'tc' : '', m.rd ? 'rd' : '', m.ra ? 'ra' : ''].filter((f) => f !== '');
  lines.push(`;; flags: qr ${flags.join(' ')}; QUERY: 1, ANSWER: ${m.answer.length}, AUTHORITY: ${m.ns.length}, ADDITIONAL: ${m.extra.length + 1}`);
  if (m.rd && !m.ra) lines.push(';; WARNING: recursion requested but not available');
  lines.push('', ';; OPT PSEUDOSECTION:', '; EDNS: version: 0, flags:; udp: 1232', `; COOKIE: ${cookie} (echoed)`);
  lines.push(';; QUESTION SECTION:', questionText(m.question), '');
  const section = (title: string, rrs: Msg['answer']) => {
    if (rrs.length === 0) return;
    lines.push(`;; ${title} SECTION:`, ...rrs.map(rrText), '');
  };
  section('ANSWER', m.answer);
  section('AUTHORITY', m.ns);
  section('ADDITIONAL', m.extra);
  const sentAt = lookup.queries[lookup.queries.length - 1]?.tMs ?? 0;
  lines.push(';; Query time: 0 msec', `;; SERVER: ${target}#53(${target}) (UDP)`, `;; WHEN: ${digWhen(sentAt)}`, `;; MSG SIZE  rcvd: ${msgWireLength(m)}`, '');
  return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0, queries: lookup.queries };
}
