/** The search list as BIND's dig and nslookup walk it (not glibc's way). */
import { fqdn, type Msg, type QType } from '../message';
import { parseResolverConfig, resSearch, type QueryLogEntry } from '../resolver/glibc';
import type { ToolContext } from './dig';

/**
 * BIND's search: a name with at least ndots dots (or a trailing dot) is looked up as given and
 * nothing else; fewer dots go through the search list and then as given; only NXDOMAIN moves on.
 * Upstream: bin/dig/dighost.c (setup_lookup, next_origin)
 */
export function bindSearch(name: string, qtype: QType, ctx: ToolContext): { reply?: Msg; queries: QueryLogEntry[] } {
  const cfg = parseResolverConfig(ctx.resolvConf);
  const dots = name.split('.').length - 1;
  const asIs = fqdn(name);
  const listed = cfg.search.map((d) => fqdn(`${name}.${d.replace(/\.$/, '')}`));
  const candidates = name.endsWith('.') || dots >= cfg.ndots ? [asIs] : [...listed, asIs];
  const queries: QueryLogEntry[] = [];
  let reply: Msg | undefined;
  for (const c of candidates) {
    const r = resSearch(c, [qtype], { ...ctx, hosts: undefined });
    queries.push(...r.queries);
    reply = r.replies[0];
    if (!reply || reply.rcode !== 'NXDOMAIN') break;
  }
  return { reply, queries };
}

