/**
 * DNS messages as plain data: the records CoreDNS writes and the resolver and tools read, their
 * presentation text (BIND's master-file style, as `dig` prints it) and their wire size.
 * Upstream: miekg/dns (msg.go, types.go) as CoreDNS v1.12.1 uses it; BIND 9 lib/dns/masterdump.c
 * for the column layout.
 */

export type QType = 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'PTR' | 'SOA' | 'NS' | 'TXT' | 'MX';

/** Response codes by their names in dig's `status:` (RFC 1035 §4.1.1). */
export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

interface RRBase {
  /** Owner name, fully qualified (`kubernetes.default.svc.cluster.local.`). */
  name: string;
  ttl: number;
}

export type RR =
  | (RRBase & { type: 'A'; a: string })
  | (RRBase & { type: 'AAAA'; aaaa: string })
  | (RRBase & { type: 'CNAME'; target: string })
  | (RRBase & { type: 'PTR'; ptr: string })
  | (RRBase & { type: 'NS'; ns: string })
  | (RRBase & { type: 'SRV'; priority: number; weight: number; port: number; target: string })
  | (RRBase & { type: 'MX'; preference: number; mx: string })
  | (RRBase & { type: 'TXT'; txt: string[] })
  | (RRBase & { type: 'SOA'; ns: string; mbox: string; serial: number; refresh: number; retry: number; expire: number; minttl: number });

export interface Question {
  name: string;
  qtype: QType;
}

/** One DNS message. Header flags keep their RFC names. */
export interface Msg {
  id: number;
  rcode: Rcode;
  /** Authoritative answer: set by CoreDNS's kubernetes plugin, not on forwarded answers. */
  aa: boolean;
  rd: boolean;
  /** Recursion available: the forward plugin's upstream sets it; the kubernetes plugin does not. */
  ra: boolean;
  tc: boolean;
  question: Question;
  answer: RR[];
  /** The authority section (the zone's SOA on NXDOMAIN and NODATA). */
  ns: RR[];
  extra: RR[];
  /** The EDNS0 OPT pseudo-record, when the query had one (CoreDNS echoes the client's). */
  opt?: { udpSize: number; cookie?: string };
}

/** A name with its trailing dot (Go: `dns.Fqdn`). */
export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** Whether `child` equals `parent` or lies under it, case-insensitively (Go: `dns.IsSubDomain`). */
export function isSubDomain(parent: string, child: string): boolean {
  const p = fqdn(parent).toLowerCase();
  const c = fqdn(child).toLowerCase();
  return p === '.' || c === p || c.endsWith(`.${p}`);
}

/** The labels of a name, without the root (Go: `dns.SplitDomainName`). */
export function splitDomainName(name: string): string[] {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed === '' ? [] : trimmed.split('.');
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** A loose IPv6 test: hex groups and one `::` at most (enough for the addresses a model holds). */
export function isIPv6(s: string): boolean {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g) => g === '' || (g.length > 4 && !isIPv4(g)))) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** The wire length of a name, uncompressed: each label with its length byte, then the root. */
export function nameWireLength(name: string): number {
  return splitDomainName(name).reduce((n, l) => n + l.length + 1, 1);
}

function rdataLength(rr: RR): number {
  switch (rr.type) {
    case 'A':
      return 4;
    case 'AAAA':
      return 16;
    case 'CNAME':
      return nameWireLength(rr.target);
    case 'PTR':
      return nameWireLength(rr.ptr);
    case 'NS':
      return nameWireLength(rr.ns);
    case 'SRV':
      return 6 + nameWireLength(rr.target);
    case 'MX':
      return 2 + nameWireLength(rr.mx);
    case 'TXT':
      return rr.txt.reduce((n, t) => n + 1 + t.length, 0);
    case 'SOA':
      return nameWireLength(rr.ns) + nameWireLength(rr.mbox) + 20;
  }
}

/**
 * The size of a message on the wire without name compression, as CoreDNS sends replies under
 * 1480 bytes (request.Scrub compresses only above the UDP fragmentation limit).
 * Upstream: miekg/dns msg.go (Msg.Len); coredns request/request.go (Request.Scrub)
 */
export function msgWireLength(m: Msg): number {
  let n = 12 + nameWireLength(m.question.name) + 4;
  for (const rr of [...m.answer, ...m.ns, ...m.extra]) n += nameWireLength(rr.name) + 10 + rdataLength(rr);
  if (m.opt) n += 11 + (m.opt.cookie ? 4 + m.opt.cookie.length / 2 : 0);
  return n;
}

/** The record data as master-file text. Upstream: miekg/dns types.go (each RR's String) */
export function rdataText(rr: RR): string {
  switch (rr.type) {
    case 'A':
      return rr.a;
    case 'AAAA':
      return rr.aaaa;
    case 'CNAME':
      return rr.target;
    case 'PTR':
      return rr.ptr;
    case 'NS':
      return rr.ns;
    case 'SRV':
      return `${rr.priority} ${rr.weight} ${rr.port} ${rr.target}`;
    case 'MX':
      return `${rr.preference} ${rr.mx}`;
    case 'TXT':
      return rr.txt.map((t) => JSON.stringify(t)).join(' ');
    case 'SOA':
      return `${rr.ns} ${rr.mbox} ${rr.serial} ${rr.refresh} ${rr.retry} ${rr.expire} ${rr.minttl}`;
  }
}

/**
 * Pads `line` to `col` with tabs (stops every 8 columns), or one space when it is already there:
 * BIND's master-file style puts the TTL at column 24, the class at 32, the type at 40 and the
 * data at 48. Upstream: bind9 lib/dns/masterdump.c (indent)
 */
export function indentTo(line: string, col: number): string {
  let at = visualColumn(line);
  if (at >= col) return `${line} `;
  let out = line;
  while (at < col) {
    out += '\t';
    at = (Math.floor(at / 8) + 1) * 8;
  }
  return out;
}

/** The column after `line` with tabs expanded to stops every 8 columns. */
function visualColumn(line: string): number {
  let at = 0;
  for (const ch of line) at = ch === '\t' ? (Math.floor(at / 8) + 1) * 8 : at + 1;
  return at;
}

/** One record as dig prints it in a section. */
export function rrText(rr: RR): string {
  let line = indentTo(rr.name, 24) + String(rr.ttl);
  line = indentTo(line, 32) + 'IN';
  line = indentTo(line, 40) + rr.type;
  return indentTo(line, 48) + rdataText(rr);
}

/** The question as dig prints it: `;name`, the class at column 32, the type at 40. */
export function questionText(q: Question): string {
  return indentTo(indentTo(`;${q.name}`, 32) + 'IN', 40) + q.qtype;
}

/** The reverse-lookup name of an IPv4 or IPv6 address (`10.0.96.10.in-addr.arpa.`). */
export function reverseName(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  return `${expandIPv6(ip).replace(/:/g, '').split('').reverse().join('.')}.ip6.arpa.`;
}

/** An IPv6 address with every group written out to four digits. */
export function expandIPv6(ip: string): string {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.toLowerCase().padStart(4, '0')).join(':');
}

/** The address a reverse name stands for, or `''` (Go: `dnsutil.ExtractAddressFromReverse`). */
export function extractAddressFromReverse(name: string): string {
  const n = fqdn(name).toLowerCase();
  if (n.endsWith('.in-addr.arpa.')) {
    const parts = splitDomainName(n.slice(0, -'.in-addr.arpa.'.length));
    return parts.length === 4 && isIPv4(parts.reverse().join('.')) ? parts.join('.') : '';
  }
  if (n.endsWith('.ip6.arpa.')) {
    const nibbles = splitDomainName(n.slice(0, -'.ip6.arpa.'.length));
    if (nibbles.length !== 32 || nibbles.some((x) => !/^[0-9a-f]$/.test(x))) return '';
    const hex = nibbles.reverse().join('');
    const groups = Array.from({ length: 8 }, (_, i) => hex.slice(i * 4, i * 4 + 4).replace(/^0+(?=.)/, ''));
    return compressIPv6(groups);
  }
  return '';
}

/** Go's net.IP String for IPv6: the longest run of two or more zero groups becomes `::`. */
function compressIPv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
