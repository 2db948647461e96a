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

function ipv4ToBig(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => acc * 256n + BigInt(Number(part)), 0n);
}

function ipv6ToBig(ip: string): bigint {
  let text = ip;
  // A trailing dotted quad (::ffff:1.2.3.4) is two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v = ipv4ToBig(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g || '0', 16)), 0n);
}

/** An address as a number, with its width in bits. */
function toBig(ip: string): { value: bigint; bits: number } {
  return ipFamilyOf(ip) === 'IPv4' ? { value: ipv4ToBig(ip), bits: 32 } : { value: ipv6ToBig(ip), bits: 128 };
}

/** Whether `ip` is inside `cidr` (a bare address is its own /32 or /128); families must match. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.trim().split('/');
  if (ipFamilyOf(base) === undefined || ipFamilyOf(base) !== ipFamilyOf(ip)) return false;
  const b = toBig(base);
  const prefix = bitsText === undefined ? b.bits : Number(bitsText);
  const shift = BigInt(b.bits - prefix);
  return b.value >> shift === toBig(ip).value >> shift;
}

/** Go's (*net.IPNet).String() for a parsed IPv4 CIDR: the masked network address. */
export function canonicalCIDR(cidr: string): string {
  const [base, bitsText] = cidr.trim().split('/');
  if (ipFamilyOf(base) !== 'IPv4' || bitsText === undefined) return cidr.trim();
  const shift = BigInt(32 - Number(bitsText));
  const n = Number((ipv4ToBig(base) >> shift) << shift);
  return `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${bitsText}`;
}

/** A zero CIDR (0.0.0.0/0 or ::/0) matches every address (proxyutil.IsZeroCIDR). */
export function isZeroCIDR(cidr: string): boolean {
  return cidr.trim() === '0.0.0.0/0' || cidr.trim() === '::/0';
}
