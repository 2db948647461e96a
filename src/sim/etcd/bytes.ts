/**
 * Keys as etcd sees them: byte strings compared with Go's `bytes.Compare`. Inside the model a key
 * is a "byte string", one UTF-16 code unit per byte of its UTF-8 encoding (every unit in 0..255),
 * so JavaScript's `<` on two keys is exactly Go's byte order, and a range end such as the one
 * `clientv3.WithPrefix` makes (the last byte below 0xff plus one) is always representable, even
 * where it is not valid UTF-8. Keys go back to ordinary strings only on their way out. ASCII
 * keys (nearly all of them) are their own byte strings, so the common case copies nothing.
 */

const ASCII = /^[\x00-\x7f]*$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 bytes of `s` as a byte string. */
export function toBytes(s: string): string {
  if (ASCII.test(s)) return s;
  const u8 = encoder.encode(s);
  let out = '';
  for (let i = 0; i < u8.length; i += 4096) out += String.fromCharCode(...u8.subarray(i, i + 4096));
  return out;
}

/** The string whose UTF-8 bytes `b` holds (invalid sequences become U+FFFD). */
export function fromBytes(b: string): string {
  if (ASCII.test(b)) return b;
  const u8 = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) u8[i] = b.charCodeAt(i);
  return decoder.decode(u8);
}

/** The length of `s` in UTF-8 bytes. */
export function byteLength(s: string): number {
  if (ASCII.test(s)) return s.length;
  return encoder.encode(s).length;
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
