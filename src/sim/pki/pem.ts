/**
 * PEM: a DER blob as base64 between `-----BEGIN <TYPE>-----` and `-----END <TYPE>-----`, 64
 * characters a line, as Go's encoding/pem writes it (kubeadm's EncodeCertPEM, keyutil's
 * MarshalPrivateKeyToPEM). Encoding reuses the repository's base64 (src/sim/apiserver/base64.ts).
 * Upstream: Go encoding/pem (Encode, Decode)
 */
import { encodeByteString } from '../apiserver/base64';

/** One PEM block. */
export interface PemBlock {
  /** `CERTIFICATE`, `RSA PRIVATE KEY`, `PUBLIC KEY`. */
  type: string;
  bytes: Uint8Array;
}

export function pemEncode(type: string, bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  const b64 = encodeByteString(bin, 'std');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order (text around blocks is ignored, as pem.Decode skips it). */
export function pemDecodeAll(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = m[2].split(/\r?\n/).filter((l) => !l.includes(':')).join('');
    const bytes = base64Bytes(body);
    if (bytes) out.push({ type: m[1], bytes });
  }
  return out;
}

/** The first block of `type`, or undefined (Go's certutil: "data does not contain any valid RSA or ECDSA certificates"). */
export function pemDecode(text: string, type?: string): PemBlock | undefined {
  return pemDecodeAll(text).find((b) => type === undefined || b.type === type);
}

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (whitespace ignored) to bytes; undefined when it is not base64. */
export function base64Bytes(s: string): Uint8Array | undefined {
  const text = s.replace(/\s+/g, '').replace(/=+$/, '');
  if (text.length % 4 === 1) return undefined;
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const ch of text) {
    const v = STD.indexOf(ch);
    if (v < 0) return undefined;
    buf = ((buf << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Standard base64 of bytes (kubeconfig's `certificate-authority-data`). */
export function base64Of(bytes: Uint8Array | string): string {
  if (typeof bytes === 'string') return encodeByteString(bytes, 'std');
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return encodeByteString(bin, 'std');
}
