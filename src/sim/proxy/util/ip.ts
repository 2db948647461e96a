/** Small IP helpers after k8s.io/utils/net and pkg/proxy/util (IPv4 and IPv6 text forms). */
import type { IPFamily } from '../../api/core/v1';

/** The family of an IP address or CIDR text, or undefined when it is neither. */
export function ipFamilyOf(ipOrCIDR: string): IPFamily | undefined {
  const ip = ipOrCIDR.split('/')[0].trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return 'IPv4';
  if (ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip)) return 'IPv6';
  return undefined;
}

/** Go's net.JoinHostPort: IPv6 hosts get brackets. */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** Whether an IPv4 `ip` is inside `cidr` (IPv6 is compared by text prefix only: a model limit). */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.trim().split('/');
  if (ipFamilyOf(base) !== ipFamilyOf(ip)) return false;
  if (ipFamilyOf(ip) !== 'IPv4') return base === ip;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (bits === 0) return true;
  const mask = bits >= 32 ? 0xffffffff : ~((1 << (32 - bits)) - 1) >>> 0;
  return ((ipv4ToInt(base) & mask) >>> 0) === ((ipv4ToInt(ip) & mask) >>> 0);
}

/** Go's (*net.IPNet).String() for a parsed CIDR: the masked network address. */
export function canonicalCIDR(cidr: string): string {
  const [base, bitsText] = cidr.trim().split('/');
  if (ipFamilyOf(base) !== 'IPv4' || bitsText === undefined) return cidr.trim();
  const bits = Number(bitsText);
  const mask = bits === 0 ? 0 : bits >= 32 ? 0xffffffff : ~((1 << (32 - bits)) - 1) >>> 0;
  const n = (ipv4ToInt(base) & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${bits}`;
}
