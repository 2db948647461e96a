/**
 * Which proxy a Go HTTP client would use from the environment kubeadm runs in, after
 * golang.org/x/net/http/httpproxy (what http.ProxyFromEnvironment calls): HTTPS_PROXY for https
 * URLs, HTTP_PROXY for http (upper case first), never for localhost or a loopback IP, and not for
 * hosts NO_PROXY lists (`*`, CIDRs, IPs, domains with or without a leading dot, optional ports).
 */
import { ipString, parseIPSloppy } from '../../netaddr/ip';

const getEnvAny = (env: Readonly<Record<string, string>>, ...names: string[]) => names.map((n) => env[n]).find((v) => v !== undefined && v !== '') ?? '';

/** Splits `host:port` / `[v6]:port` (net.SplitHostPort); undefined when there is no port. */
function splitHostPort(addr: string): [string, string] | undefined {
  const m = /^\[([^\]]+)\]:(\d*)$/.exec(addr) ?? /^([^:[\]]*):(\d*)$/.exec(addr);
  return m ? [m[1], m[2]] : undefined;
}

function isLoopback(b: number[]): boolean {
  const v4 = b.slice(0, 12).every((x, i) => (i < 10 ? x === 0 : x === 0xff));
  if (v4) return b[12] === 127;
  return b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
}

/** Whether `ip` lies in `cidr` (both as 16 bytes; an IPv4 CIDR's prefix counts from byte 12). */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const net = parseIPSloppy(base);
  const addr = parseIPSloppy(ip);
  if (!net || !addr || bitsText === undefined) return false;
  const bits = Number(bitsText) + (base.includes(':') ? 0 : 96);
  for (let i = 0; i < bits; i++) {
    const bit = (b: number[]) => (b[i >> 3] >> (7 - (i & 7))) & 1;
    if (bit(net) !== bit(addr)) return false;
  }
  return true;
}

/** The proxy URL text a client would use for `scheme://host` (host may carry a port), or undefined for a direct connection. */
// Upstream: golang.org/x/net/http/httpproxy/proxy.go (FromEnvironment, proxyForURL, useProxy, parseProxy)
export function proxyFor(env: Readonly<Record<string, string>>, scheme: 'http' | 'https', host: string): string | undefined {
  const raw = scheme === 'https' ? getEnvAny(env, 'HTTPS_PROXY', 'https_proxy') : getEnvAny(env, 'HTTP_PROXY', 'http_proxy');
  if (!raw) return undefined;
  const addr = splitHostPort(host) ? host : host.startsWith('[') || !host.includes(':') ? `${host}:${scheme === 'https' ? 443 : 80}` : `[${host}]:${scheme === 'https' ? 443 : 80}`;
  const split = splitHostPort(addr);
  if (!split) return undefined;
  const [h, port] = split;
  if (h === 'localhost') return undefined;
  const ip = parseIPSloppy(h);
  if (ip && isLoopback(ip)) return undefined;
  const lower = h.trim().toLowerCase();
  for (const entry of getEnvAny(env, 'NO_PROXY', 'no_proxy').split(',')) {
    const p = entry.trim().toLowerCase();
    if (!p) continue;
    if (p === '*') return undefined;
    if (p.includes('/')) {
      if (ip && cidrContains(p, h)) return undefined;
      continue;
    }
    const hp = splitHostPort(p);
    const [phost, pport] = hp ?? [p, ''];
    if (parseIPSloppy(phost)) {
      if (ip && ipString(phost) === ipString(h) && (!pport || pport === port)) return undefined;
      continue;
    }
    let domain = phost.startsWith('*.') ? phost.slice(1) : phost;
    const matchHost = !domain.startsWith('.');
    if (matchHost) domain = `.${domain}`;
    if ((lower.endsWith(domain) || (matchHost && lower === domain.slice(1))) && (!pport || pport === port)) return undefined;
  }
  // parseProxy: a value without a scheme is taken as http://.
  return /^(https?|socks5h?):\/\//.test(raw) ? raw : `http://${raw}`;
}

/** netutils.GetIndexedIP(cidr, 1): the network address plus one. */
export function firstHostIP(cidr: string): string | undefined {
  const [base, bitsText] = cidr.split('/');
  const b = parseIPSloppy(base);
  if (!b || bitsText === undefined || !/^\d+$/.test(bitsText)) return undefined;
  const bits = Number(bitsText) + (base.includes(':') ? 0 : 96);
  if (bits > 128) return undefined;
  const net = b.map((x, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return x & ((0xff << (8 - keep)) & 0xff);
  });
  for (let i = 15; i >= 0; i--) {
    net[i] = (net[i] + 1) & 0xff;
    if (net[i] !== 0) break;
  }
  const g: string[] = [];
  if (!base.includes(':')) return net.slice(12).join('.');
  for (let i = 0; i < 16; i += 2) g.push(((net[i] << 8) | net[i + 1]).toString(16));
  return ipString(g.join(':'));
}
