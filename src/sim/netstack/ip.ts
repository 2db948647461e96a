/**
 * IPv4 helpers under the names the netfilter model has always used; the arithmetic is
 * src/sim/netaddr/ipv4.ts, shared with node IPAM and the CNI plugins. IPv6 is out of scope (README).
 */
import { cidrOf, formatCIDR, formatIpv4, maskOf, parseIpv4, type Ipv4Net } from '../netaddr/ipv4';

export { maskOf, formatIpv4 as formatIPv4, formatCIDR as formatCidr };
export type Cidr = Ipv4Net;

/** Parses dotted-quad IPv4; throws on anything else. */
export function parseIPv4(text: string): number {
  const n = parseIpv4(text);
  if (n === undefined) throw new RangeError(`invalid IPv4 address "${text}"`);
  return n;
}

export function isIPv4(text: string): boolean {
  return parseIpv4(text) !== undefined;
}

/** `a.b.c.d/n` or a bare address (= /32), as iptables takes them: host bits are cleared. */
export function parseCidr(text: string): Cidr {
  const c = cidrOf(text);
  if (!c) throw new RangeError(`invalid CIDR "${text}"`);
  return c;
}

export function cidrContains(c: Cidr, ip: string | number): boolean {
  const n = typeof ip === 'number' ? ip : parseIPv4(ip);
  return ((n & maskOf(c.bits)) >>> 0) === c.ip;
}

/** `10.244.1.0/24`, 1 -> `10.244.1.1`. */
export function nthAddress(cidr: string, n: number): string {
  return formatIpv4((parseCidr(cidr).ip + n) >>> 0);
}
