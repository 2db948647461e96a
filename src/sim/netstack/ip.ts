/** IPv4 addresses as unsigned 32-bit integers, and CIDR prefixes. IPv6 is out of scope (README). */

export interface Cidr {
  /** Network address (host bits cleared), unsigned. */
  ip: number;
  /** Prefix length 0..32. */
  bits: number;
}

/** Parses dotted-quad IPv4; throws on anything else. */
export function parseIPv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new RangeError(`invalid IPv4 address "${text}"`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new RangeError(`invalid IPv4 address "${text}"`);
    n = n * 256 + Number(p);
  }
  return n >>> 0;
}

export function isIPv4(text: string): boolean {
  try {
    parseIPv4(text);
    return true;
  } catch {
    return false;
  }
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** `a.b.c.d/n` or a bare address (= /32). Host bits are cleared, as iptables does. */
export function parseCidr(text: string): Cidr {
  const [addr, len] = text.split('/');
  const bits = len === undefined ? 32 : Number(len);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32 || (len !== undefined && !/^\d+$/.test(len))) {
    throw new RangeError(`invalid CIDR "${text}"`);
  }
  return { ip: (parseIPv4(addr) & maskOf(bits)) >>> 0, bits };
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.ip)}/${c.bits}`;
}

export function cidrContains(c: Cidr, ip: string | number): boolean {
  const n = typeof ip === 'number' ? ip : parseIPv4(ip);
  return ((n & maskOf(c.bits)) >>> 0) === c.ip;
}

/** `10.244.1.0/24`, 1 -> `10.244.1.1`. */
export function nthAddress(cidr: string, n: number): string {
  return formatIPv4((parseCidr(cidr).ip + n) >>> 0);
}
