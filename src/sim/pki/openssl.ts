/**
 * What `openssl x509` prints for a parsed certificate (OpenSSL 3.0 layout, checked byte for byte
 * against the real tool in openssl.test.ts): `-noout -text`, `-subject`, `-issuer`, `-enddate`,
 * `-startdate`, `-serial`, `-ext subjectAltName`. One renderer per output, shared by the shell
 * and the views.
 * Upstream: OpenSSL 3.0 crypto/x509/t_x509.c (X509_print_ex), crypto/x509/v3_*.c (i2v/i2r of each extension).
 */
import { decode, hexOf, readOid } from './der';
import { rsaBits } from './keys';
import { ALGORITHM_TEXT, ATTRIBUTE_SHORT_NAMES, EXTENSION_TEXT, EXT_KEY_USAGE_TEXT, KEY_USAGES, KEY_USAGE_TEXT, OID } from './oids';
import type { Certificate, Extension, NameAttribute } from './x509';
import { MONTH_ABBREVIATIONS, utcParts } from '../core/utc';


/** `Dec  5 10:00:00 2027 GMT` (ASN1_TIME_print). */
export function opensslTime(ms: number): string {
  const d = utcParts(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTH_ABBREVIATIONS[d.month - 1]} ${String(d.day).padStart(2, ' ')} ${p2(d.hour)}:${p2(d.minute)}:${p2(d.second)} ${d.year} GMT`;
}

/** `O = system:masters, CN = kube-apiserver-kubelet-client` (the default -nameopt). */
export function opensslName(name: readonly NameAttribute[]): string {
  return name.map((a) => `${ATTRIBUTE_SHORT_NAMES[a.oid] ?? a.oid} = ${escapeValue(a.value)}`).join(', ');
}

function escapeValue(v: string): string {
  // RFC 2253 escaping as the default `esc_2253` flag does it.
  return v.replace(/([,+"\\<>;])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

const colonHex = (b: Uint8Array, upper: boolean) =>
  Array.from(b, (x) => {
    const h = x.toString(16).padStart(2, '0');
    return upper ? h.toUpperCase() : h;
  }).join(':');

/** Lines of `xx:xx:...` with `perLine` bytes, every line but the last ending in `:`. */
function hexBlock(b: Uint8Array, perLine: number, indent: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += perLine) {
    const chunk = colonHex(b.subarray(i, i + perLine), false);
    lines.push(`${indent}${chunk}${i + perLine < b.length ? ':' : ''}`);
  }
  return lines;
}

function serialLines(serial: bigint): string[] {
  // Serials that fit in a signed 64-bit long print as decimal and hex on one line.
  if (serial >= 0n && serial < 1n << 63n) return [`        Serial Number: ${serial} (0x${serial.toString(16)})`];
  let hex = serial.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  return ['        Serial Number:', `            ${colonHex(bytes, false)}`];
}

/** The value lines of one extension, as OpenSSL's X509V3_EXT_print does them. */
export function extensionValue(e: Extension): string[] {
  const v = decode(e.value);
  switch (e.oid) {
    case OID.keyUsage: {
      const bytes = v.content.subarray(1);
      const names = KEY_USAGES.filter((_, i) => (bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))).map((u) => KEY_USAGE_TEXT[u]);
      return [names.join(', ')];
    }
    case OID.extKeyUsage:
      return [(v.children ?? []).map((c) => EXT_KEY_USAGE_TEXT[readOid(c)] ?? readOid(c)).join(', ')];
    case OID.basicConstraints: {
      const f = v.children ?? [];
      const ca = f[0]?.tag === 0x01 && f[0].content[0] === 0xff;
      const pathLen = f.find((c) => c.tag === 0x02);
      return [`CA:${ca ? 'TRUE' : 'FALSE'}${pathLen ? `, pathlen:${parseInt(hexOf(pathLen.content), 16)}` : ''}`];
    }
    case OID.subjectKeyIdentifier:
      return [colonHex(v.content, true)];
    case OID.authorityKeyIdentifier: {
      const keyId = (v.children ?? []).find((c) => c.tag === 0x80);
      return keyId ? [colonHex(keyId.content, true)] : [];
    }
    case OID.subjectAltName:
      return [(v.children ?? []).map((gn) => generalName(gn.tag, gn.content)).join(', ')];
    default:
      return hexBlock(e.value, 16, '');
  }
}

function generalName(tag: number, content: Uint8Array): string {
  if (tag === 0x82) return `DNS:${String.fromCharCode(...content)}`;
  if (tag === 0x87) {
    if (content.length === 4) return `IP Address:${Array.from(content).join('.')}`;
    const groups: string[] = [];
    for (let i = 0; i + 1 < content.length; i += 2) groups.push(((content[i] << 8) | content[i + 1]).toString(16).toUpperCase());
    return `IP Address:${groups.join(':')}`;
  }
  if (tag === 0x81) return `email:${String.fromCharCode(...content)}`;
  if (tag === 0x86) return `URI:${String.fromCharCode(...content)}`;
  return '<unsupported>';
}

/** `openssl x509 -noout -text`. */
// Upstream: OpenSSL crypto/x509/t_x509.c (X509_print_ex)
export function opensslText(cert: Certificate): string {
  const alg = ALGORITHM_TEXT[cert.signatureAlgorithm] ?? cert.signatureAlgorithm;
  const lines = [
    'Certificate:',
    '    Data:',
    `        Version: ${cert.version} (0x${(cert.version - 1).toString(16)})`,
    ...serialLines(cert.serialNumber),
    `        Signature Algorithm: ${alg}`,
    `        Issuer: ${opensslName(cert.issuer)}`,
    '        Validity',
    `            Not Before: ${opensslTime(cert.notBeforeMs)}`,
    `            Not After : ${opensslTime(cert.notAfterMs)}`,
    `        Subject: ${opensslName(cert.subject)}`,
    '        Subject Public Key Info:',
    `            Public Key Algorithm: ${ALGORITHM_TEXT[cert.publicKeyAlgorithm] ?? cert.publicKeyAlgorithm}`,
    `                Public-Key: (${rsaBits(cert.publicKey)} bit)`,
    '                Modulus:',
    ...hexBlock(cert.publicKey.modulus[0] & 0x80 ? Uint8Array.from([0, ...cert.publicKey.modulus]) : cert.publicKey.modulus, 15, '                    '),
    `                Exponent: ${cert.publicKey.exponent} (0x${cert.publicKey.exponent.toString(16)})`,
  ];
  if (cert.extensions.length) {
    lines.push('        X509v3 extensions:');
    for (const e of cert.extensions) {
      lines.push(`            ${EXTENSION_TEXT[e.oid] ?? e.oid}: ${e.critical ? 'critical' : ''}`);
      for (const l of extensionValue(e)) lines.push(`                ${l}`);
    }
  }
  lines.push(`    Signature Algorithm: ${alg}`, '    Signature Value:', ...hexBlock(cert.signatureValue, 18, '        '));
  return `${lines.join('\n')}\n`;
}

/** `openssl x509 -noout -subject`. */
export const opensslSubject = (cert: Certificate): string => `subject=${opensslName(cert.subject)}\n`;
/** `openssl x509 -noout -issuer`. */
export const opensslIssuer = (cert: Certificate): string => `issuer=${opensslName(cert.issuer)}\n`;
/** `openssl x509 -noout -enddate`. */
export const opensslEndDate = (cert: Certificate): string => `notAfter=${opensslTime(cert.notAfterMs)}\n`;
/** `openssl x509 -noout -startdate`. */
export const opensslStartDate = (cert: Certificate): string => `notBefore=${opensslTime(cert.notBeforeMs)}\n`;
/** `openssl x509 -noout -serial` (upper-case hex). */
export function opensslSerial(cert: Certificate): string {
  let hex = cert.serialNumber.toString(16).toUpperCase();
  if (hex.length % 2) hex = `0${hex}`;
  return `serial=${hex}\n`;
}

/**
 * `openssl x509 -noout -ext subjectAltName` (or any extension by its OpenSSL short name). When
 * none is present openssl prints nothing on stdout and `No extensions in certificate` on stderr,
 * and still exits 0.
 */
export function opensslExt(cert: Certificate, names: readonly string[]): { stdout: string; stderr: string } {
  const byShortName: Record<string, string> = {
    subjectAltName: OID.subjectAltName,
    keyUsage: OID.keyUsage,
    extendedKeyUsage: OID.extKeyUsage,
    basicConstraints: OID.basicConstraints,
    subjectKeyIdentifier: OID.subjectKeyIdentifier,
    authorityKeyIdentifier: OID.authorityKeyIdentifier,
  };
  const wanted = new Set(names.map((n) => byShortName[n]));
  const out: string[] = [];
  for (const e of cert.extensions) {
    if (!wanted.has(e.oid)) continue;
    out.push(`${EXTENSION_TEXT[e.oid]}: ${e.critical ? 'critical' : ''}`);
    for (const l of extensionValue(e)) out.push(`    ${l}`);
  }
  return out.length ? { stdout: `${out.join('\n')}\n`, stderr: '' } : { stdout: '', stderr: 'No extensions in certificate\n' };
}
