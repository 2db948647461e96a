// Keys as UTF-8 byte strings (bytes.ts): encoding and decoding as TextEncoder/TextDecoder do, and
// clientv3's getPrefix (client/v3/op.go) over bytes.
import { describe, expect, it } from 'vitest';
import { compareBytes, fromBytes, isWellFormed, prefixEnd, toBytes } from './bytes';

describe('bytes (keys as UTF-8)', () => {
  it('encodes like TextEncoder, a lone surrogate as U+FFFD', () => {
    const enc = new TextEncoder();
    for (const s of ['', 'a', 'é', 'ключ', '✓', '😀x', 'a\ud800b', '\udc00', '\u0000\u007f\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}']) {
      expect(toBytes(s), JSON.stringify(s)).toBe(String.fromCharCode(...enc.encode(s)));
    }
  });

  it('decodes like TextDecoder, invalid sequences included (maximal subparts)', () => {
    const dec = new TextDecoder();
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256;
    for (let n = 0; n < 5000; n++) {
      const u8 = Uint8Array.from({ length: 1 + (n % 7) }, next);
      expect(fromBytes(String.fromCharCode(...u8)), String([...u8])).toBe(dec.decode(u8));
    }
  });

  it('orders keys as Go bytes.Compare, not as UTF-16 code units', () => {
    // U+FF61 (EF BD A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
    expect(compareBytes(toBytes('\uff61'), toBytes('😀'))).toBe(-1);
    expect('\uff61' < '😀').toBe(false);
  });

  it('getPrefix increments the last byte below 0xff, or means "from the key" (client/v3 op.go)', () => {
    expect(prefixEnd('foo')).toBe('fop');
    expect(prefixEnd('a\xff')).toBe('b');
    expect(prefixEnd('\xff\xff')).toBe('\0');
    expect(prefixEnd(toBytes('é'))).toBe('\xc3\xaa');
    expect(isWellFormed('a\ud83d\ude00')).toBe(true);
    expect(isWellFormed('a\ud83d')).toBe(false);
  });
});
