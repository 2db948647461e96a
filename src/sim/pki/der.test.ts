import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, integer, oid, readInteger, readOid, readString, readTime, seq, directoryString, time, hexOf, octetString, TAG } from './der';

describe('DER', () => {
  it('integers round-trip, minimally encoded with a sign byte when the high bit is set (encoding/asn1 TestMarshal)', () => {
    expect(hexOf(integer(0))).toBe('020100');
    expect(hexOf(integer(127))).toBe('02017f');
    expect(hexOf(integer(128))).toBe('02020080');
    expect(hexOf(integer(256))).toBe('02020100');
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 160n) - 1n }), (v) => {
        expect(readInteger(decode(integer(v)))).toBe(v);
      }),
      { numRuns: 300 },
    );
  });

  it('object identifiers round-trip (encoding/asn1 TestObjectIdentifier)', () => {
    expect(hexOf(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.integer({ min: 0, max: 2 ** 31 }), { maxLength: 8 }), (a, b, rest) => {
        const dotted = [a, b, ...rest].join('.');
        expect(readOid(decode(oid(dotted)))).toBe(dotted);
      }),
      { numRuns: 300 },
    );
  });

  it('long lengths use the minimal long form, and nested sequences keep their raw bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), (blobs) => {
        const der = seq(...blobs.map((b) => octetString(b)));
        const node = decode(der);
        expect(node.tag).toBe(TAG.SEQUENCE);
        expect(node.children!.map((c) => Array.from(c.content))).toEqual(blobs.map((b) => Array.from(b)));
        expect(Array.from(node.raw)).toEqual(Array.from(der));
      }),
      { numRuns: 200 },
    );
  });

  it('strings pick PrintableString when they fit, UTF8String otherwise (asn1 TestPrintableString)', () => {
    expect(decode(directoryString('system:masters')).tag).toBe(TAG.PRINTABLE_STRING);
    expect(decode(directoryString('kubeadm:cluster-admins')).tag).toBe(TAG.PRINTABLE_STRING);
    expect(decode(directoryString('a_b')).tag).toBe(TAG.UTF8_STRING);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(readString(decode(directoryString(s)))).toBe(s);
      }),
      { numRuns: 200 },
    );
  });

  it('times are UTCTime before 2050 and GeneralizedTime from 2050, to the second (x509 TestCreateCertificate dates)', () => {
    expect(decode(time(Date.UTC(2049, 11, 31, 23, 59, 59))).tag).toBe(TAG.UTC_TIME);
    expect(decode(time(Date.UTC(2050, 0, 1))).tag).toBe(TAG.GENERALIZED_TIME);
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        expect(readTime(decode(time(ms)))).toBe(Math.floor(ms / 1000) * 1000);
      }),
      { numRuns: 300 },
    );
  });

  it('malformed input fails with an asn1 error, never a crash', () => {
    expect(() => decode(Uint8Array.from([0x30, 0x05, 0x02]))).toThrow(/asn1: syntax error: data truncated/);
    expect(() => decode(Uint8Array.from([0x30, 0x80]))).toThrow(/indefinite length/);
    expect(() => decode(Uint8Array.from([0x02, 0x01, 0x00, 0x00]))).toThrow(/trailing data/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decode(bytes);
        } catch (e) {
          expect((e as Error).message).toMatch(/^asn1: /);
        }
      }),
      { numRuns: 300 },
    );
  });
});
