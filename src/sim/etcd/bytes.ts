/**
 * Keys as etcd sees them: byte strings compared with Go's `bytes.Compare`. Inside the model a key
 * is a "byte string", one UTF-16 code unit per byte of its UTF-8 encoding (every unit in 0..255),
 * so JavaScript's `<` on two keys is exactly Go's byte order, and a range end such as the one
 * `clientv3.WithPrefix` makes (the last byte below 0xff plus one) is always representable, even
 * where it is not valid UTF-8. Keys go back to ordinary strings only on their way out. ASCII
 * keys (nearly all of them) are their own byte strings, so the common case copies nothing.
 */

const ASCII = /^[\x00-\x7f]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether UTF-8 can encode `s` (it holds no lone surrogate). */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** The UTF-8 bytes of `s` as a byte string (a lone surrogate becomes U+FFFD, as TextEncoder does). */
export function toBytes(s: string): string {
  if (ASCII.test(s)) return s;
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  let b = '';
  for (let i = 0; i < out.length; i += 4096) b += String.fromCharCode(...out.slice(i, i + 4096));
  return b;
}

/** The string whose UTF-8 bytes `b` holds; invalid sequences become U+FFFD as TextDecoder makes them. */
// The WHATWG Encoding Standard's UTF-8 decoder (maximal subparts).
export function fromBytes(b: string): string {
  if (ASCII.test(b)) return b;
  let out = '';
  let cp = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < b.length; i++) {
    const byte = b.charCodeAt(i);
    if (needed === 0) {
      if (byte <= 0x7f) out += String.fromCharCode(byte);
      else if (byte >= 0xc2 && byte <= 0xdf) {
        needed = 1;
        cp = byte & 0x1f;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        needed = 2;
        cp = byte & 0x0f;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        needed = 3;
        cp = byte & 0x07;
      } else out += '\ufffd';
      continue;
    }
    if (byte < lower || byte > upper) {
      cp = needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      out += '\ufffd';
      i--; // the byte starts over
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (byte & 0x3f);
    if (++seen === needed) {
      out += String.fromCodePoint(cp);
      cp = needed = seen = 0;
    }
  }
  if (needed !== 0) out += '\ufffd';
  return out;
}

/** The length of `s` in UTF-8 bytes. */
export function byteLength(s: string): number {
  if (ASCII.test(s)) return s.length;
  return toBytes(s).length;
}

/** Go's bytes.Compare over two byte strings. */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The range end `[]byte{0}`: with a key, "every key from this one on" (`WithFromKey`). */
export const NO_PREFIX_END = '\x00';

/**
 * The end of the range of keys that start with `prefix` (a byte string): the prefix with its last
 * byte below 0xff incremented and the rest cut off; `"\0"` (from the key on) when every byte is
 * 0xff.
 */
// Upstream: client/v3/op.go (getPrefix)
export function prefixEnd(prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  // next prefix does not exist (e.g., 0xffff); default to WithFromKey policy
  return NO_PREFIX_END;
}
