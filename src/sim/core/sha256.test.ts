import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexEncode, hmacSha256, sha256 } from './sha256';

describe('sha256', () => {
  // FIPS 180-4 examples (and the padding edge cases around one 64-byte block).
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('digest of %j', (input, want) => {
    expect(hexEncode(sha256(input))).toBe(want);
  });

  it('agrees with node:crypto on random inputs of every length around the block boundary', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (bytes) => {
      expect(hexEncode(sha256(bytes))).toBe(createHash('sha256').update(bytes).digest('hex'));
    }), { numRuns: 300 });
  });
});

describe('hmacSha256', () => {
  // RFC 4231 test case 2, and a key longer than a block (test case 6).
  it('RFC 4231 cases', () => {
    expect(hexEncode(hmacSha256('Jefe', 'what do ya want for nothing?'))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    const longKey = new Uint8Array(131).fill(0xaa);
    expect(hexEncode(hmacSha256(longKey, 'Test Using Larger Than Block-Size Key - Hash Key First'))).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('agrees with node:crypto for random keys and messages', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 150 }), (key, msg) => {
      expect(hexEncode(hmacSha256(key, msg))).toBe(createHmac('sha256', key).update(msg).digest('hex'));
    }), { numRuns: 200 });
  });
});
