/**
 * IPv4 addresses and CIDRs as Go's net package parses and prints them (net.ParseIP, ParseCIDR,
 * IPNet.String, Contains), as unsigned 32-bit integers. Shared by the network models (node IPAM,
 * CNI); IPv6 is not modelled.
 */
export interface Ipv4Net {
  /** The network address as an unsigned 32-bit integer. */
  ip: number;
  /** Prefix length, 0-32. */
  bits: number;
}

export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function formatIpv4(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

export function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** `a.b.c.d/n` with its host bits cleared, or a bare address as /32 (iptables' form); undefined if neither. */
export function cidrOf(s: string): Ipv4Net | undefined {
  const [addr, len, extra] = s.split('/');
  const ip = parseIpv4(addr ?? '');
  const bits = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (extra !== undefined || ip === undefined || !(bits >= 0 && bits <= 32)) return undefined;
  return { ip: (ip & maskOf(bits)) >>> 0, bits };
}

/** Go: `net.ParseCIDR`, keeping the network (the address masked). Throws Go's error text. */
export function parseCIDR(s: string): Ipv4Net {
  const n = s.includes('/') ? cidrOf(s) : undefined;
  if (!n) throw new Error(`invalid CIDR address: ${s}`);
  return n;
}

export function formatCIDR(n: Ipv4Net): string {
  return `${formatIpv4(n.ip)}/${n.bits}`;
}

/** Go: `IPNet.Contains`. */
export function contains(n: Ipv4Net, ip: number): boolean {
  return ((ip & maskOf(n.bits)) >>> 0) === n.ip;
}

/** Go: `ip.NextIP`. */
export function nextIp(ip: number): number {
  return (ip + 1) >>> 0;
}

/** The broadcast address of a network (every host bit set). */
export function broadcastOf(n: Ipv4Net): number {
  return (n.ip | ~maskOf(n.bits)) >>> 0;
}
