/**
 * DER, the one ASN.1 encoding X.509 uses: every value is tag, length, content, and a SEQUENCE's
 * content is its children's encodings back to back. Enough of it for certificates, public and
 * private keys: INTEGER (as bigint), BIT STRING, OCTET STRING, NULL, OBJECT IDENTIFIER,
 * PrintableString / UTF8String / IA5String, UTCTime / GeneralizedTime, SEQUENCE, SET and
 * context-specific tags. Decoding keeps each node's whole encoding (`raw`), because a signature
 * covers the exact bytes of the TBSCertificate and the CA hash covers the exact SubjectPublicKeyInfo.
 * Upstream: Go encoding/asn1 (Marshal, Unmarshal) and golang.org/x/crypto/cryptobyte, the parts crypto/x509 uses.
 */
import { utf8Encode } from '../core/utf8';
import { utcParts } from '../core/utc';

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One decoded TLV. `children` is set for constructed tags (bit 0x20). */
export interface Asn1 {
  /** The identifier octet (single-byte tags only: all X.509 needs). */
  tag: number;
  /** The content octets. */
  content: Uint8Array;
  /** The whole encoding: tag, length and content. */
  raw: Uint8Array;
  children?: Asn1[];
}

/** A DER decoding error, worded as Go's encoding/asn1 reports them. */
export class Asn1Error extends Error {
  constructor(message: string) {
    super(`asn1: ${message}`);
    this.name = 'Asn1Error';
  }
}

// ---- encoding ----

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** A TLV with the given tag and content. */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([tag, ...lengthBytes(content.length)]), content]);
}

export const seq = (...parts: Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, concat(parts));
export const set = (...parts: Uint8Array[]): Uint8Array => tlv(TAG.SET, concat(parts));
export const nullValue = (): Uint8Array => Uint8Array.from([TAG.NULL, 0]);
export const bool = (v: boolean): Uint8Array => Uint8Array.from([TAG.BOOLEAN, 1, v ? 0xff : 0]);
export const octetString = (b: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, b);
/** [n] EXPLICIT: a constructed context-specific tag around one encoded value. */
export const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(0xa0 | n, inner);
/** [n] IMPLICIT on a primitive value (GeneralName's dNSName, iPAddress, keyIdentifier). */
export const implicitPrimitive = (n: number, content: Uint8Array): Uint8Array => tlv(0x80 | n, content);

/** A BIT STRING holding whole bytes, or `bits` with its count of unused trailing bits. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(TAG.BIT_STRING, concat([Uint8Array.from([unusedBits]), bytes]));
}

/** Big-endian two's complement bytes of a non-negative integer, minimal, as DER requires. */
export function integerBytes(v: bigint): Uint8Array {
  if (v < 0n) throw new Asn1Error('negative integers are not supported');
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = hexBytes(hex);
  return bytes[0] & 0x80 ? concat([Uint8Array.of(0), bytes]) : bytes;
}

export const integer = (v: bigint | number): Uint8Array => tlv(TAG.INTEGER, integerBytes(BigInt(v)));

/** An INTEGER whose magnitude is given as unsigned big-endian bytes (an RSA modulus). */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return tlv(TAG.INTEGER, m[0] & 0x80 ? concat([Uint8Array.of(0), m]) : m);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new Asn1Error(`invalid object identifier ${JSON.stringify(dotted)}`);
    return BigInt(a);
  });
  if (arcs.length < 2) throw new Asn1Error(`invalid object identifier ${JSON.stringify(dotted)}`);
  const out: number[] = [];
  const push = (v: bigint) => {
    const groups: number[] = [Number(v & 0x7fn)];
    for (let x = v >> 7n; x > 0n; x >>= 7n) groups.unshift(Number(x & 0x7fn) | 0x80);
    out.push(...groups);
  };
  push(arcs[0] * 40n + arcs[1]);
  for (const a of arcs.slice(2)) push(a);
  return tlv(TAG.OID, Uint8Array.from(out));
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** A string as Go's asn1.Marshal writes one: PrintableString when it fits, else UTF8String. */
export function directoryString(s: string): Uint8Array {
  return tlv(PRINTABLE.test(s) ? TAG.PRINTABLE_STRING : TAG.UTF8_STRING, utf8(s));
}

export const ia5String = (s: string): Uint8Array => tlv(TAG.IA5_STRING, utf8(s));

/** Go's rule: UTCTime for years 1950–2049, GeneralizedTime otherwise; whole seconds, always `Z`. */
export function time(ms: number): Uint8Array {
  const d = utcParts(Math.floor(ms / 1000) * 1000);
  const y = d.year;
  const p2 = (n: number) => String(n).padStart(2, '0');
  const rest = `${p2(d.month)}${p2(d.day)}${p2(d.hour)}${p2(d.minute)}${p2(d.second)}Z`;
  if (y >= 1950 && y < 2050) return tlv(TAG.UTC_TIME, utf8(`${p2(y % 100)}${rest}`));
  return tlv(TAG.GENERALIZED_TIME, utf8(`${String(y).padStart(4, '0')}${rest}`));
}

// ---- decoding ----

/** Decodes exactly one TLV filling `bytes` (trailing data is an error, as in Go's Unmarshal). */
export function decode(bytes: Uint8Array): Asn1 {
  const [node, end] = decodeAt(bytes, 0);
  if (end !== bytes.length) throw new Asn1Error('syntax error: trailing data');
  return node;
}

function decodeAt(bytes: Uint8Array, start: number): [Asn1, number] {
  if (start + 2 > bytes.length) throw new Asn1Error('syntax error: data truncated');
  const tag = bytes[start];
  if ((tag & 0x1f) === 0x1f) throw new Asn1Error('syntax error: multi-byte tags are not supported');
  let len = bytes[start + 1];
  let off = start + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new Asn1Error('syntax error: indefinite length found (not DER)');
    if (n > 4 || off + n > bytes.length) throw new Asn1Error('syntax error: data truncated');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[off + i];
    if (len < 0x80 || bytes[off] === 0) throw new Asn1Error('structure error: length not minimally-encoded');
    off += n;
  }
  const end = off + len;
  if (end > bytes.length) throw new Asn1Error('syntax error: data truncated');
  const node: Asn1 = { tag, content: bytes.subarray(off, end), raw: bytes.subarray(start, end) };
  if (tag & 0x20) {
    node.children = [];
    for (let p = off; p < end; ) {
      const [child, next] = decodeAt(bytes, p);
      node.children.push(child);
      p = next;
    }
  }
  return [node, end];
}

/** The node's children, after checking its tag (a wrong tag is Go's "structure error: tags don't match"). */
export function childrenOf(node: Asn1, tag: number, what: string): Asn1[] {
  expectTag(node, tag, what);
  return node.children ?? [];
}

export function expectTag(node: Asn1 | undefined, tag: number, what: string): Asn1 {
  if (!node) throw new Asn1Error(`syntax error: sequence truncated (${what})`);
  if (node.tag !== tag) {
    throw new Asn1Error(`structure error: tags don't match (${what}: expected 0x${tag.toString(16)}, got 0x${node.tag.toString(16)})`);
  }
  return node;
}

export function readInteger(node: Asn1): bigint {
  expectTag(node, TAG.INTEGER, 'INTEGER');
  const c = node.content;
  if (c.length === 0) throw new Asn1Error('syntax error: empty integer');
  if (c.length > 1 && ((c[0] === 0 && !(c[1] & 0x80)) || (c[0] === 0xff && c[1] & 0x80))) {
    throw new Asn1Error('structure error: integer not minimally-encoded');
  }
  let v = BigInt(`0x${hexOf(c) || '0'}`);
  if (c[0] & 0x80) v -= 1n << BigInt(c.length * 8);
  return v;
}

/** An INTEGER's magnitude bytes without the sign-padding zero (an RSA modulus). */
export function readUnsignedBytes(node: Asn1): Uint8Array {
  expectTag(node, TAG.INTEGER, 'INTEGER');
  return node.content[0] === 0 && node.content.length > 1 ? node.content.subarray(1) : node.content;
}

export function readOid(node: Asn1): string {
  expectTag(node, TAG.OID, 'OBJECT IDENTIFIER');
  const arcs: bigint[] = [];
  let v = 0n;
  for (const b of node.content) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0n;
    }
  }
  if (arcs.length === 0) throw new Asn1Error('syntax error: zero length OBJECT IDENTIFIER');
  const first = arcs[0] < 80n ? arcs[0] / 40n : 2n;
  return [first, arcs[0] - first * 40n, ...arcs.slice(1)].join('.');
}

export function readBitString(node: Asn1): { bytes: Uint8Array; unusedBits: number } {
  expectTag(node, TAG.BIT_STRING, 'BIT STRING');
  if (node.content.length === 0 || node.content[0] > 7) throw new Asn1Error('syntax error: invalid padding bits in BIT STRING');
  return { unusedBits: node.content[0], bytes: node.content.subarray(1) };
}

export function readBoolean(node: Asn1): boolean {
  expectTag(node, TAG.BOOLEAN, 'BOOLEAN');
  if (node.content.length !== 1 || (node.content[0] !== 0 && node.content[0] !== 0xff)) throw new Asn1Error('syntax error: invalid boolean');
  return node.content[0] === 0xff;
}

export function readString(node: Asn1): string {
  return utf8Decode(node.content);
}

/** UTCTime or GeneralizedTime (whole seconds, `Z`) to Unix milliseconds. */
export function readTime(node: Asn1): number {
  const s = readString(node);
  let m: RegExpMatchArray | null;
  let year: number;
  if (node.tag === TAG.UTC_TIME && (m = s.match(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/))) {
    const yy = Number(m[1]);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
  } else if (node.tag === TAG.GENERALIZED_TIME && (m = s.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/))) {
    year = Number(m[1]);
  } else {
    throw new Asn1Error(`time did not parse: ${JSON.stringify(s)}`);
  }
  return Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

// ---- bytes ----

export function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A string's UTF-8 bytes (core's encoder). */
export const utf8 = utf8Encode;

export function utf8Decode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const n = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    let c = n === 1 ? b : b & (0xff >> (n + 1));
    for (let k = 1; k < n; k++) c = (c << 6) | ((bytes[i + k] ?? 0) & 0x3f);
    s += String.fromCodePoint(c);
    i += n;
  }
  return s;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
