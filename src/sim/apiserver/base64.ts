/**
 * Go's encoding/base64 over the UTF-8 bytes of a string (the model compiles against ES2022 only:
 * no TextEncoder or btoa). Bytes travel as byte strings, as the etcd model keeps keys.
 * Upstream: Go encoding/base64 (StdEncoding, RawURLEncoding)
 */
import { fromBytes, toBytes } from '../etcd/bytes';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64 of a byte string (one UTF-16 unit per byte). */
export function encodeByteString(bytes: string, alphabet: 'std' | 'rawurl'): string {
  const a = alphabet === 'std' ? STD : URL;
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b1 = i + 1 < bytes.length ? bytes.charCodeAt(i + 1) : 0;
    const b2 = i + 2 < bytes.length ? bytes.charCodeAt(i + 2) : 0;
    const n = (bytes.charCodeAt(i) << 16) | (b1 << 8) | b2;
    const kept = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    const chars = [a[(n >> 18) & 63], a[(n >> 12) & 63], a[(n >> 6) & 63], a[n & 63]];
    out += chars.slice(0, kept).join('');
    if (alphabet === 'std') out += '='.repeat(4 - kept);
  }
  return out;
}

/** base64.StdEncoding.EncodeToString([]byte(s)). */
export function base64Std(s: string): string {
  return encodeByteString(toBytes(s), 'std');
}

/** base64.RawURLEncoding.EncodeToString([]byte(s)). */
export function base64RawUrlEncode(s: string): string {
  return encodeByteString(toBytes(s), 'rawurl');
}

/** base64.RawURLEncoding.DecodeString, as a string; throws Go's "illegal base64 data at input byte N". */
export function base64RawUrlDecode(s: string): string {
  let bytes = '';
  let buf = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const v = URL.indexOf(s[i]);
    if (v < 0 || s.length % 4 === 1) throw new Error(`illegal base64 data at input byte ${v < 0 ? i : s.length - 1}`);
    buf = ((buf << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += String.fromCharCode((buf >> bits) & 0xff);
    }
  }
  return fromBytes(bytes);
}

/** base64.StdEncoding.DecodeString, as a string (the kubelet reading a Secret's data into an env var). */
export function base64StdDecode(s: string): string {
  return base64RawUrlDecode(s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
}
