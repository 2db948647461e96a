/**
 * RSA keys in their real containers, with NOT-REAL numbers. A 2048-bit modulus is 256 bytes
 * drawn from the injected Rng (top bit set so it is 2048 bits, odd), not a product of two primes:
 * generating real RSA-2048 keys takes far too long for a page that must answer in milliseconds
 * and is hard to make deterministic. Everything around the numbers is real: the
 * SubjectPublicKeyInfo (rsaEncryption, RSAPublicKey { n, e = 65537 }) that kubeadm's CA hash
 * covers, the PKCS #1 RSAPrivateKey structure in `RSA PRIVATE KEY` PEM blocks, the `PUBLIC KEY`
 * block of sa.pub.
 * Upstream: Go crypto/rsa (GenerateKey), crypto/x509 (MarshalPKCS1PrivateKey, MarshalPKIXPublicKey),
 * client-go util/keyutil (MarshalPrivateKeyToPEM).
 */
import type { Rng } from '../core/rng';
import { bitString, childrenOf, decode, integer, nullValue, oid, readBitString, readInteger, readOid, readUnsignedBytes, seq, TAG, unsignedInteger } from './der';
import { OID } from './oids';
import { pemDecode, pemEncode } from './pem';

export interface RsaPublicKey {
  /** The modulus, unsigned big-endian (256 bytes for 2048 bits). */
  modulus: Uint8Array;
  exponent: number;
}

export interface RsaPrivateKey {
  publicKey: RsaPublicKey;
  /** The private exponent and CRT values: random bytes of the right sizes (see the file comment). */
  d: Uint8Array;
  p: Uint8Array;
  q: Uint8Array;
  dp: Uint8Array;
  dq: Uint8Array;
  qinv: Uint8Array;
}

export const DEFAULT_RSA_BITS = 2048;

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const x = rng.uint32();
    for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = (x >>> (24 - 8 * k)) & 0xff;
  }
  return out;
}

/** A key whose numbers come from `rng` (same rng state, same key). */
// Upstream: crypto/rsa GenerateKey (shape only; see the file comment)
export function generateRsaKey(rng: Rng, bits = DEFAULT_RSA_BITS): RsaPrivateKey {
  const n = bits / 8;
  const part = (len: number) => {
    const b = randomBytes(rng, len);
    b[0] |= 0x80;
    b[len - 1] |= 1;
    return b;
  };
  const modulus = part(n);
  const d = randomBytes(rng, n);
  d[0] &= 0x7f;
  return { publicKey: { modulus, exponent: 65537 }, d, p: part(n / 2), q: part(n / 2), dp: part(n / 2), dq: part(n / 2), qinv: part(n / 2) };
}

/** The key size in bits (from the modulus). */
export function rsaBits(key: RsaPublicKey): number {
  let i = 0;
  while (i < key.modulus.length && key.modulus[i] === 0) i++;
  return (key.modulus.length - i) * 8 - Math.clz32(key.modulus[i] ?? 0) + 24;
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (PKCS #1). */
export function marshalPkcs1PublicKey(key: RsaPublicKey): Uint8Array {
  return seq(unsignedInteger(key.modulus), integer(key.exponent));
}

/** SubjectPublicKeyInfo: what certificates embed and what kubeadm's CA hash covers. */
// Upstream: crypto/x509 MarshalPKIXPublicKey
export function marshalPkixPublicKey(key: RsaPublicKey): Uint8Array {
  return seq(seq(oid(OID.rsaEncryption), nullValue()), bitString(marshalPkcs1PublicKey(key)));
}

export function parsePkixPublicKey(der: Uint8Array): RsaPublicKey {
  const [alg, bits] = childrenOf(decode(der), TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  const algOid = readOid(childrenOf(alg, TAG.SEQUENCE, 'AlgorithmIdentifier')[0]);
  if (algOid !== OID.rsaEncryption) throw new Error('x509: unknown public key algorithm');
  const [n, e] = childrenOf(decode(readBitString(bits).bytes), TAG.SEQUENCE, 'RSAPublicKey');
  return { modulus: Uint8Array.from(readUnsignedBytes(n)), exponent: Number(readInteger(e)) };
}

/** RSAPrivateKey (PKCS #1), version 0. */
// Upstream: crypto/x509 MarshalPKCS1PrivateKey
export function marshalPkcs1PrivateKey(key: RsaPrivateKey): Uint8Array {
  const u = unsignedInteger;
  return seq(integer(0), u(key.publicKey.modulus), integer(key.publicKey.exponent), u(key.d), u(key.p), u(key.q), u(key.dp), u(key.dq), u(key.qinv));
}

export function parsePkcs1PrivateKey(der: Uint8Array): RsaPrivateKey {
  const f = childrenOf(decode(der), TAG.SEQUENCE, 'RSAPrivateKey');
  if (f.length < 9) throw new Error('x509: failed to parse private key');
  const b = (i: number) => Uint8Array.from(readUnsignedBytes(f[i]));
  return { publicKey: { modulus: b(1), exponent: Number(readInteger(f[2])) }, d: b(3), p: b(4), q: b(5), dp: b(6), dq: b(7), qinv: b(8) };
}

/** `-----BEGIN RSA PRIVATE KEY-----`, as keyutil.MarshalPrivateKeyToPEM writes an RSA key. */
export function encodePrivateKeyPem(key: RsaPrivateKey): string {
  return pemEncode('RSA PRIVATE KEY', marshalPkcs1PrivateKey(key));
}

export function parsePrivateKeyPem(text: string): RsaPrivateKey {
  const block = pemDecode(text, 'RSA PRIVATE KEY');
  if (!block) throw new Error('data does not contain a valid RSA or ECDSA private key');
  return parsePkcs1PrivateKey(block.bytes);
}

/** `-----BEGIN PUBLIC KEY-----` (sa.pub). */
// Upstream: kubeadm pkiutil EncodePublicKeyPEM
export function encodePublicKeyPem(key: RsaPublicKey): string {
  return pemEncode('PUBLIC KEY', marshalPkixPublicKey(key));
}

export function parsePublicKeyPem(text: string): RsaPublicKey {
  const block = pemDecode(text, 'PUBLIC KEY');
  if (!block) throw new Error('data does not contain any valid public keys');
  return parsePkixPublicKey(block.bytes);
}

/** Whether the private key belongs to the public key (same modulus and exponent). */
export function keyMatches(priv: RsaPrivateKey, pub: RsaPublicKey): boolean {
  const a = priv.publicKey.modulus;
  const b = pub.modulus;
  return priv.publicKey.exponent === pub.exponent && a.length === b.length && a.every((x, i) => x === b[i]);
}


