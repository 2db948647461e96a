/**
 * `nslookup name`, in the two forms a pod usually has:
 * - `bind`: BIND 9.18's nslookup (the dnsutils image): an A lookup through the search list of
 *   resolv.conf, then an AAAA lookup of the name found. Upstream: bind9 v9.18.33
 *   bin/dig/nslookup.c (printmessage, printsection), bin/dig/dighost.c (next_origin).
 * - `busybox`: busybox 1.28's nslookup (the `busybox:1.28` image of the Kubernetes DNS docs):
 *   getaddrinfo through the libc resolver, each address with its reverse name.
 *   Upstream: busybox 1.28.4 networking/nslookup.c (print_host, server_print).
 */
import { fqdn, type Msg, type RR } from '../message';
import { getaddrinfo, getnameinfo, parseResolverConfig, resSearch, type QueryLogEntry } from '../resolver/glibc';
import { bindSearch } from './bind_search';
import type { ToolContext, ToolResult } from './dig';

export interface NslookupContext extends ToolContext {
  flavor?: 'bind' | 'busybox';
  /** /etc/hosts of the pod (busybox's getaddrinfo reads it first). */
  hosts?: string;
}

export function nslookup(name: string, ctx: NslookupContext): ToolResult {
  return (ctx.flavor ?? 'bind') === 'bind' ? bindNslookup(name, ctx) : busyboxNslookup(name, ctx);
}

/** Upstream: nslookup.c (printsection): answers as `Name:`/`Address:` pairs, CNAMEs as `canonical name =`. */
function printAnswer(m: Msg): string[] {
  const out: string[] = [];
  for (const rr of m.answer) out.push(...answerLines(rr));
  return out;
}

function answerLines(rr: RR): string[] {
  const owner = rr.name.replace(/\.$/, '');
  switch (rr.type) {
    case 'A':
      return [`Name:\t${owner}`, `Address: ${rr.a}`];
    case 'AAAA':
      return [`Name:\t${owner}`, `Address: ${rr.aaaa}`];
    case 'CNAME':
      return [`${owner}\tcanonical name = ${rr.target}`];
    case 'PTR':
      return [`${owner}\tname = ${rr.ptr}`];
    case 'SRV':
      return [`${owner}\tservice = ${rr.priority} ${rr.weight} ${rr.port} ${rr.target}`];
    case 'TXT':
      return [`${owner}\ttext = ${rr.txt.map((t) => JSON.stringify(t)).join(' ')}`];
    default:
      return [];
  }
}

/** The name a CNAME chain in `m` ends at, starting from the question. Upstream: dighost.c (chase_cnamechain) */
function chaseCnameChain(m: Msg): string {
  let name = m.question.name;
  for (let hops = 0; hops < 16; hops++) {
    const c = m.answer.find((rr) => rr.type === 'CNAME' && rr.name.toLowerCase() === name.toLowerCase());
    if (!c || c.type !== 'CNAME') break;
    name = c.target;
  }
  return name;
}

/**
 * The A lookup through the search list; once it succeeds, an AAAA lookup for the name its CNAME
 * chain ends at, absolute. "Non-authoritative answer:" and the server lines belong to the A
 * reply only. Upstream: nslookup.c (printmessage, printsection, main's final blank line)
 */
function bindNslookup(name: string, ctx: NslookupContext): ToolResult {
  const server = parseResolverConfig(ctx.resolvConf).nameservers[0];
  const a = bindSearch(name, 'A', ctx);
  const queries = [...a.queries];
  if (!a.reply) return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', exitCode: 1, queries };
  const out = [`Server:\t\t${server}`, `Address:\t${server}#53`, ''];
  const display = (n: string) => n.replace(/\.$/, '');
  if (a.reply.rcode !== 'NOERROR') {
    out.push(`** server can't find ${display(a.reply.question.name)}: ${a.reply.rcode}`, '');
    return { stdout: `${out.join('\n')}\n`, stderr: '', exitCode: 1, queries };
  }
  if (!a.reply.aa) out.push('Non-authoritative answer:');
  out.push(...printAnswer(a.reply));
  const chased = chaseCnameChain(a.reply);
  const aaaa = resSearch(fqdn(chased), ['AAAA'], { ...ctx, hosts: undefined });
  queries.push(...aaaa.queries);
  const r = aaaa.replies[0];
  let exitCode = 0;
  if (r && r.rcode !== 'NOERROR') {
    out.push(`** server can't find ${display(chased)}: ${r.rcode}`);
    exitCode = 1;
  } else if (r && r.answer.length > 0) out.push(...printAnswer(r));
  else if (r && a.reply.answer.length === 0) out.push(`*** Can't find ${display(chased)}: No answer`);
  out.push('');
  return { stdout: `${out.join('\n')}\n`, stderr: '', exitCode, queries };
}

/** `%-10s %s` then `Address N: ip[ revname]`. Upstream: busybox 1.28.4 nslookup.c (print_host) */
function busyboxNslookup(name: string, ctx: NslookupContext): ToolResult {
  const cfg = parseResolverConfig(ctx.resolvConf);
  const queries: QueryLogEntry[] = [];
  const printHost = (host: string, header: string): { text: string; ok: boolean } => {
    const r = getaddrinfo(host, { ...ctx });
    queries.push(...r.queries);
    if (r.error || r.addresses.length === 0) return { text: '', ok: false };
    const lines = [`${header.padEnd(10)} ${host}`];
    r.addresses.forEach((ip, i) => {
      const rev = getnameinfo(ip, ctx);
      queries.push(...rev.queries);
      lines.push(`Address ${i + 1}: ${ip}${rev.host ? ` ${rev.host}` : ''}`);
    });
    return { text: `${lines.join('\n')}\n\n`, ok: true };
  };
  const serverPart = printHost(cfg.nameservers[0], 'Server:');
  let stdout = serverPart.ok ? serverPart.text : '\n';
  const target = printHost(name, 'Name:');
  if (target.ok) return { stdout: stdout + target.text, stderr: '', exitCode: 0, queries };
  stdout += '\n';
  return { stdout, stderr: `nslookup: can't resolve '${name}'\n`, exitCode: 1, queries };
}
