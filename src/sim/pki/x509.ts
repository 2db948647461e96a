/**
 * X.509 v3 certificates built and read as real DER, the way Go's crypto/x509 writes them for
 * kubeadm: the same fields, extensions in the same order with the same criticality, names as
 * PrintableString when they fit, UTCTime before 2050. Only the signature is not real RSA: it is
 * a keyed SHA-256 digest laid out like a PKCS #1 v1.5 block (see `signTbs`), so a chain still
 * checks (a changed byte, or the wrong issuer, fails), but nothing here is secure.
 * Upstream: Go crypto/x509 (CreateCertificate, buildCertExtensions, ParseCertificate, CheckSignatureFrom).
 */
import { hmacSha256, sha256 } from '../core/sha256';
import { ipString, parseIPSloppy } from '../netaddr/ip';
import {
  type Asn1,
  bitString,
  bool,
  bytesEqual,
  childrenOf,
  concat,

  decode,
  directoryString,
  explicit,
  expectTag,
  ia5String,
  implicitPrimitive,
  integer,
  nullValue,
  octetString,
  oid,
  readBitString,
  readBoolean,
  readInteger,
  readOid,
  readString,
  readTime,
  seq,
  set,
  TAG,
  time,
  utf8Decode,
} from './der';
import { marshalPkcs1PublicKey, marshalPkixPublicKey, parsePkixPublicKey, type RsaPrivateKey, type RsaPublicKey } from './keys';
import { EXT_KEY_USAGE_OIDS, KEY_USAGES, OID, type ExtKeyUsage, type KeyUsage } from './oids';
import { pemDecodeAll, pemEncode } from './pem';
import { sha1 } from './sha1';
import { utcParts } from '../core/utc';

/** A subject or issuer as kubeadm fills it (pkix.Name: only CN and O are ever set). */
export interface NameSpec {
  commonName: string;
  organization?: readonly string[];
}

/** One attribute of a distinguished name, in certificate order. */
export interface NameAttribute {
  oid: string;
  value: string;
}

/** What to put in a certificate (Go's x509.Certificate used as a template). */
export interface CertificateTemplate {
  serialNumber: bigint;
  subject: NameSpec;
  notBeforeMs: number;
  notAfterMs: number;
  keyUsage: readonly KeyUsage[];
  extKeyUsage?: readonly ExtKeyUsage[];
  isCA: boolean;
  dnsNames?: readonly string[];
  /** IP addresses as text (`10.96.0.1`, `::1`). */
  ipAddresses?: readonly string[];
  /** Generated for a CA when absent, as Go does. */
  subjectKeyId?: Uint8Array;
}

/** A parsed certificate: the fields Go's x509.Certificate exposes that kubeadm and openssl read. */
export interface Certificate {
  raw: Uint8Array;
  rawTbsCertificate: Uint8Array;
  rawSubjectPublicKeyInfo: Uint8Array;
  rawSubject: Uint8Array;
  rawIssuer: Uint8Array;
  version: number;
  serialNumber: bigint;
  signatureAlgorithm: string;
  issuer: NameAttribute[];
  subject: NameAttribute[];
  notBeforeMs: number;
  notAfterMs: number;
  publicKeyAlgorithm: string;
  publicKey: RsaPublicKey;
  extensions: Extension[];
  keyUsage: KeyUsage[];
  extKeyUsage: string[];
  basicConstraintsValid: boolean;
  isCA: boolean;
  /** -1 when absent. */
  maxPathLen: number;
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  dnsNames: string[];
  ipAddresses: string[];
  signatureValue: Uint8Array;
}

export interface Extension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

/** The CN of a parsed name ('' if none). */
export function commonNameOf(name: readonly NameAttribute[]): string {
  return name.find((a) => a.oid === OID.commonName)?.value ?? '';
}

/** The O values of a parsed name. */
export function organizationOf(name: readonly NameAttribute[]): string[] {
  return name.filter((a) => a.oid === OID.organizationName).map((a) => a.value);
}

// ---- building ----

/** Name ::= SEQUENCE OF SET OF AttributeTypeAndValue, in pkix.Name.ToRDNSequence order (O before CN). */
// Upstream: crypto/x509/pkix (Name.ToRDNSequence)
export function marshalName(name: NameSpec): Uint8Array {
  const rdns: Uint8Array[] = [];
  const attr = (type: string, value: string) => set(seq(oid(type), directoryString(value)));
  for (const o of name.organization ?? []) rdns.push(attr(OID.organizationName, o));
  if (name.commonName) rdns.push(attr(OID.commonName, name.commonName));
  return seq(...rdns);
}

function keyUsageBits(usages: readonly KeyUsage[]): Uint8Array {
  let bits = 0;
  let highest = -1;
  for (const u of usages) {
    const i = KEY_USAGES.indexOf(u);
    bits |= 1 << i;
    highest = Math.max(highest, i);
  }
  // Go's asn1.BitString of the usage bits, trimmed to the last set bit.
  const nBytes = Math.floor(highest / 8) + 1;
  const out = new Uint8Array(nBytes);
  for (let i = 0; i <= highest; i++) if (bits & (1 << i)) out[i >> 3] |= 0x80 >> (i & 7);
  return bitString(out, nBytes * 8 - (highest + 1));
}

const ext = (id: string, critical: boolean, value: Uint8Array) => seq(oid(id), ...(critical ? [bool(true)] : []), octetString(value));

function ipBytes(ip: string): Uint8Array {
  const b = parseIPSloppy(ip);
  if (!b) throw new Error(`x509: invalid IP address ${ip}`);
  const v4 = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return Uint8Array.from(v4 ? b.slice(12) : b);
}

/** Go's subject key identifier for a CA: SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 (1)). */
export function subjectKeyIdOf(key: RsaPublicKey): Uint8Array {
  return sha1(marshalPkcs1PublicKey(key));
}

// Upstream: crypto/x509/x509.go (buildCertExtensions): keyUsage, extKeyUsage, basicConstraints, SKI, AKI, SAN.
function buildExtensions(t: CertificateTemplate, subjectKeyId: Uint8Array | undefined, authorityKeyId: Uint8Array | undefined): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (t.keyUsage.length) out.push(ext(OID.keyUsage, true, keyUsageBits(t.keyUsage)));
  if (t.extKeyUsage?.length) out.push(ext(OID.extKeyUsage, false, seq(...t.extKeyUsage.map((u) => oid(EXT_KEY_USAGE_OIDS[u])))));
  out.push(ext(OID.basicConstraints, true, t.isCA ? seq(bool(true)) : seq()));
  if (subjectKeyId) out.push(ext(OID.subjectKeyIdentifier, false, octetString(subjectKeyId)));
  if (authorityKeyId) out.push(ext(OID.authorityKeyIdentifier, false, seq(implicitPrimitive(0, authorityKeyId))));
  const names = [...(t.dnsNames ?? []).map((d) => implicitPrimitive(2, ia5StringContent(d))), ...(t.ipAddresses ?? []).map((ip) => implicitPrimitive(7, ipBytes(ip)))];
  // SAN is critical only when the subject is empty (RFC 5280 §4.2.1.6), as in Go.
  if (names.length) out.push(ext(OID.subjectAltName, !t.subject.commonName && !t.subject.organization?.length, seq(...names)));
  return out;
}

function ia5StringContent(s: string): Uint8Array {
  return ia5String(s).subarray(2);
}

const SIGNATURE_ALGORITHM = () => seq(oid(OID.sha256WithRSAEncryption), nullValue());

/** The issuer a certificate is signed by: a parsed CA certificate, or the template itself (self-signed). */
export type Parent = Certificate | 'self';

/**
 * Builds and signs a certificate. `parent` gives the issuer name and authority key id; `signer`
 * must be the parent's key (for 'self', the key of `publicKey`).
 */
// Upstream: crypto/x509/x509.go (CreateCertificate)
export function createCertificate(t: CertificateTemplate, parent: Parent, publicKey: RsaPublicKey, signer: RsaPrivateKey): Uint8Array {
  const selfSigned = parent === 'self';
  const issuerKey = selfSigned ? publicKey : parent.publicKey;
  if (!bytesEqual(signer.publicKey.modulus, issuerKey.modulus)) throw new Error('x509: provided PrivateKey doesn\'t match parent\'s PublicKey');
  const subjectKeyId = t.subjectKeyId ?? (t.isCA ? subjectKeyIdOf(publicKey) : undefined);
  const subject = marshalName(t.subject);
  const issuer = selfSigned ? subject : parent.rawSubject;
  // Go copies the parent's SKI into the AKI, except for self-signed certificates.
  const authorityKeyId = !selfSigned && !bytesEqual(issuer, subject) ? parent.subjectKeyId : undefined;
  const tbs = seq(
    explicit(0, integer(2)),
    integer(t.serialNumber),
    SIGNATURE_ALGORITHM(),
    issuer,
    seq(time(t.notBeforeMs), time(t.notAfterMs)),
    subject,
    marshalPkixPublicKey(publicKey),
    explicit(3, seq(...buildExtensions(t, subjectKeyId, authorityKeyId))),
  );
  return seq(tbs, SIGNATURE_ALGORITHM(), bitString(signTbs(tbs, issuerKey)));
}

/**
 * NOT RSA. The "signature" is HMAC-SHA256 of the TBSCertificate keyed by SHA-256 of the issuer's
 * modulus, stretched to the key size (HMAC in counter mode) so it looks like the 256 bytes of an
 * RSA-2048 signature. Keying by public data is what lets `checkSignatureFrom(cert, issuerCert)`
 * verify with the issuer's certificate alone, as real RSA does; it also means anyone could forge
 * one. It is there so that chains behave: a certificate checks against its issuer and fails
 * against any other CA, and any changed byte of the TBSCertificate breaks it.
 */
export function signTbs(tbs: Uint8Array, issuerKey: RsaPublicKey): Uint8Array {
  const key = sha256(issuerKey.modulus);
  const digest = hmacSha256(key, tbs);
  const k = issuerKey.modulus.length;
  const out = new Uint8Array(k);
  for (let off = 0, i = 0; off < k; off += 32, i++) out.set(hmacSha256(key, concat([digest, Uint8Array.of(i)])).subarray(0, k - off), off);
  out[0] &= 0x7f; // below the modulus, like a real signature
  return out;
}

// ---- parsing ----

/** A certificate parse error, worded as Go's. */
export class CertificateParseError extends Error {
  constructor(detail: string) {
    super(`x509: malformed certificate${detail ? `: ${detail}` : ''}`);
    this.name = 'CertificateParseError';
  }
}

function parseName(node: Asn1): NameAttribute[] {
  const out: NameAttribute[] = [];
  for (const rdn of childrenOf(node, TAG.SEQUENCE, 'Name')) {
    for (const atv of childrenOf(rdn, TAG.SET, 'RelativeDistinguishedName')) {
      const [type, value] = childrenOf(atv, TAG.SEQUENCE, 'AttributeTypeAndValue');
      out.push({ oid: readOid(type), value: readString(value) });
    }
  }
  return out;
}

/** Parses DER (Go: x509.ParseCertificate). Throws CertificateParseError on anything malformed. */
// Upstream: crypto/x509/parser.go (parseCertificate, parseExtensions)
export function parseCertificate(der: Uint8Array): Certificate {
  try {
    return parseCertificateUnchecked(der);
  } catch (e) {
    if (e instanceof CertificateParseError) throw e;
    throw new CertificateParseError((e as Error).message);
  }
}

function parseCertificateUnchecked(der: Uint8Array): Certificate {
  const [tbsNode, sigAlgNode, sigNode] = childrenOf(decode(der), TAG.SEQUENCE, 'Certificate');
  const tbs = childrenOf(tbsNode, TAG.SEQUENCE, 'TBSCertificate');
  let i = 0;
  let version = 1;
  if (tbs[0]?.tag === 0xa0) {
    version = Number(readInteger(tbs[0].children![0])) + 1;
    i++;
  }
  const serialNumber = readInteger(tbs[i++]);
  const innerSigAlg = readOid(childrenOf(tbs[i++], TAG.SEQUENCE, 'AlgorithmIdentifier')[0]);
  const issuerNode = expectTag(tbs[i++], TAG.SEQUENCE, 'issuer');
  const [nb, na] = childrenOf(tbs[i++], TAG.SEQUENCE, 'validity');
  const subjectNode = expectTag(tbs[i++], TAG.SEQUENCE, 'subject');
  const spkiNode = expectTag(tbs[i++], TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  const signatureAlgorithm = readOid(childrenOf(sigAlgNode, TAG.SEQUENCE, 'AlgorithmIdentifier')[0]);
  if (signatureAlgorithm !== innerSigAlg) throw new CertificateParseError('');
  const cert: Certificate = {
    raw: der,
    rawTbsCertificate: tbsNode.raw,
    rawSubjectPublicKeyInfo: spkiNode.raw,
    rawSubject: subjectNode.raw,
    rawIssuer: issuerNode.raw,
    version,
    serialNumber,
    signatureAlgorithm,
    issuer: parseName(issuerNode),
    subject: parseName(subjectNode),
    notBeforeMs: readTime(nb),
    notAfterMs: readTime(na),
    publicKeyAlgorithm: readOid(spkiNode.children![0].children![0]),
    publicKey: parsePkixPublicKey(spkiNode.raw),
    extensions: [],
    keyUsage: [],
    extKeyUsage: [],
    basicConstraintsValid: false,
    isCA: false,
    maxPathLen: -1,
    dnsNames: [],
    ipAddresses: [],
    signatureValue: readBitString(sigNode).bytes,
  };
  for (; i < tbs.length; i++) {
    if (tbs[i].tag !== 0xa3) continue; // issuerUniqueID / subjectUniqueID: not used
    for (const e of childrenOf(tbs[i].children![0], TAG.SEQUENCE, 'extensions')) {
      const parts = childrenOf(e, TAG.SEQUENCE, 'extension');
      const critical = parts.length === 3 ? readBoolean(parts[1]) : false;
      const value = expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extension value').content;
      const extension = { oid: readOid(parts[0]), critical, value };
      cert.extensions.push(extension);
      applyExtension(cert, extension);
    }
  }
  return cert;
}

function applyExtension(cert: Certificate, e: Extension): void {
  const v = decode(e.value);
  switch (e.oid) {
    case OID.keyUsage: {
      const { bytes } = readBitString(v);
      KEY_USAGES.forEach((u, i) => {
        if ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) cert.keyUsage.push(u);
      });
      break;
    }
    case OID.extKeyUsage:
      cert.extKeyUsage = childrenOf(v, TAG.SEQUENCE, 'extKeyUsage').map(readOid);
      break;
    case OID.basicConstraints: {
      const f = childrenOf(v, TAG.SEQUENCE, 'basicConstraints');
      cert.basicConstraintsValid = true;
      let k = 0;
      if (f[k]?.tag === TAG.BOOLEAN) cert.isCA = readBoolean(f[k++]);
      if (f[k]?.tag === TAG.INTEGER) cert.maxPathLen = Number(readInteger(f[k]));
      break;
    }
    case OID.subjectKeyIdentifier:
      cert.subjectKeyId = Uint8Array.from(expectTag(v, TAG.OCTET_STRING, 'subjectKeyId').content);
      break;
    case OID.authorityKeyIdentifier: {
      const keyId = childrenOf(v, TAG.SEQUENCE, 'authorityKeyId').find((c) => c.tag === 0x80);
      if (keyId) cert.authorityKeyId = Uint8Array.from(keyId.content);
      break;
    }
    case OID.subjectAltName:
      for (const gn of childrenOf(v, TAG.SEQUENCE, 'subjectAltName')) {
        if (gn.tag === 0x82) cert.dnsNames.push(utf8Decode(gn.content));
        else if (gn.tag === 0x87) cert.ipAddresses.push(ipText(gn.content));
      }
      break;
  }
}

/** IPv4 as dotted quad; IPv6 in Go's net.IP.String form. */
function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  return ipString(groups.join(':'));
}

// ---- PEM ----

/** `-----BEGIN CERTIFICATE-----` (kubeadm pkiutil.EncodeCertPEM). */
export function encodeCertPem(der: Uint8Array): string {
  return pemEncode('CERTIFICATE', der);
}

/** Every certificate in a PEM file (client-go certutil.ParseCertsPEM); throws when there is none. */
// Upstream: client-go util/cert/pem.go (ParseCertsPEM)
export function parseCertsPem(text: string): Certificate[] {
  const certs = pemDecodeAll(text)
    .filter((b) => b.type === 'CERTIFICATE')
    .map((b) => parseCertificate(b.bytes));
  if (certs.length === 0) throw new Error('data does not contain any valid RSA or ECDSA certificates');
  return certs;
}

// ---- verification ----

/**
 * Checks that `parent` signed `cert`: the parent may sign certificates (CA, certSign) and the
 * (simulated) signature verifies. Returns Go's error text, or
 * undefined when it holds.
 */
// Upstream: crypto/x509/x509.go (Certificate.CheckSignatureFrom)
export function checkSignatureFrom(cert: Certificate, parent: Certificate): string | undefined {
  if ((parent.version === 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA)) {
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  }
  if (parent.keyUsage.length && !parent.keyUsage.includes('certSign')) {
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  }
  if (!bytesEqual(cert.signatureValue, signTbs(cert.rawTbsCertificate, parent.publicKey))) return 'crypto/rsa: verification error';
  return undefined;
}

/** Go's RFC 3339 form of a time, as x509 errors print it (`2027-12-05T10:00:00Z`). */
export function rfc3339(ms: number): string {
  const d = utcParts(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${String(d.year).padStart(4, '0')}-${p2(d.month)}-${p2(d.day)}T${p2(d.hour)}:${p2(d.minute)}:${p2(d.second)}Z`;
}

/**
 * Verifies `cert` against one root at `nowMs` (kubeadm's VerifyCertChain with no intermediates):
 * validity of both, then the signature. Returns Go's error text or undefined.
 */
// Upstream: crypto/x509/verify.go (Certificate.Verify, isValid)
export function verifyCertificate(cert: Certificate, root: Certificate, nowMs: number): string | undefined {
  for (const c of [cert, root]) {
    if (nowMs < c.notBeforeMs) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(nowMs)} is before ${rfc3339(c.notBeforeMs)}`;
    if (nowMs > c.notAfterMs) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(nowMs)} is after ${rfc3339(c.notAfterMs)}`;
  }
  if (!bytesEqual(cert.rawIssuer, root.rawSubject) || checkSignatureFrom(cert, root) !== undefined) return 'x509: certificate signed by unknown authority';
  return undefined;
}


