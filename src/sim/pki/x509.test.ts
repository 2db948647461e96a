import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hexEncode, sha256 } from '../core/sha256';
import { rngFromSeed } from '../core/rng';
import { generateRsaKey, parsePkixPublicKey, parsePrivateKeyPem, encodePrivateKeyPem, encodePublicKeyPem, parsePublicKeyPem, rsaBits } from './keys';
import { opensslEndDate, opensslExt, opensslSubject, opensslText } from './openssl';
import { caCertHash, checkAnyPin } from './pubkeypin';
import { sha1 } from './sha1';
import { CertificateParseError, checkSignatureFrom, commonNameOf, createCertificate, encodeCertPem, organizationOf, parseCertificate, parseCertsPem, verifyCertificate, type CertificateTemplate } from './x509';
import { createHash } from 'node:crypto';

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const T0 = Date.UTC(2026, 11, 5, 10, 0, 0);
const YEAR = 365 * 24 * 3600 * 1000;

function makeCA(seed: string) {
  const key = generateRsaKey(rngFromSeed(seed));
  const t: CertificateTemplate = { serialNumber: 1n, subject: { commonName: 'kubernetes' }, notBeforeMs: T0 - 300_000, notAfterMs: T0 + 10 * YEAR, keyUsage: ['digitalSignature', 'keyEncipherment', 'certSign'], isCA: true, dnsNames: ['kubernetes'] };
  const cert = parseCertificate(createCertificate(t, 'self', key.publicKey, key));
  return { key, cert };
}

function makeLeaf(ca: ReturnType<typeof makeCA>, seed: string, over: Partial<CertificateTemplate> = {}) {
  const key = generateRsaKey(rngFromSeed(seed));
  const t: CertificateTemplate = {
    serialNumber: 4755391917329745829n,
    subject: { commonName: 'kube-apiserver' },
    notBeforeMs: T0 - 300_000,
    notAfterMs: T0 + YEAR,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: ['serverAuth'],
    isCA: false,
    dnsNames: ['cp1', 'kubernetes', 'kubernetes.default'],
    ipAddresses: ['10.96.0.1', '10.0.0.10', '::1'],
    ...over,
  };
  return parseCertificate(createCertificate(t, ca.cert, key.publicKey, ca.key));
}

describe('reading real certificates (made by OpenSSL 3.0 in testdata/)', () => {
  for (const name of ['leaf', 'ca']) {
    it(`prints ${name}.crt exactly as openssl x509 -noout -text / -subject / -enddate / -ext subjectAltName does`, () => {
      const [cert] = parseCertsPem(fixture(`openssl-${name}.crt`));
      expect(opensslText(cert)).toBe(fixture(`openssl-${name}.text.txt`));
      expect(opensslSubject(cert)).toBe(fixture(`openssl-${name}.subject.txt`));
      expect(opensslEndDate(cert)).toBe(fixture(`openssl-${name}.enddate.txt`));
      expect(opensslExt(cert, ['subjectAltName']).stdout).toBe(fixture(`openssl-${name}.san.txt`));
    });
  }

  it('reads a real public root (ISRG Root X1, from Node\'s bundled CA list): RSA-4096, a 16-byte serial, C/O/CN, no SANs', () => {
    const [root] = parseCertsPem(fixture('isrg-root-x1.crt'));
    expect(opensslText(root)).toBe(fixture('isrg-root-x1.text.txt'));
    expect(opensslSubject(root)).toBe(fixture('isrg-root-x1.subject.txt'));
    expect(opensslEndDate(root)).toBe(fixture('isrg-root-x1.enddate.txt'));
    expect(opensslExt(root, ['subjectAltName'])).toEqual({ stdout: '', stderr: 'No extensions in certificate\n' });
    expect(caCertHash(root)).toBe(`sha256:${fixture('isrg-root-x1.pin.txt').trim()}`);
    expect(rsaBits(root.publicKey)).toBe(4096);
  });

  it('reads the fields kubeadm reads: subject, SANs, usages, dates', () => {
    const [leaf] = parseCertsPem(fixture('openssl-leaf.crt'));
    expect(commonNameOf(leaf.subject)).toBe('cp1');
    expect(organizationOf(leaf.subject)).toEqual(['system:masters']);
    expect(leaf.dnsNames).toEqual(['cp1', 'localhost']);
    expect(leaf.ipAddresses).toEqual(['10.0.0.10', '127.0.0.1', '::1']);
    expect(leaf.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(leaf.isCA).toBe(false);
    expect(rsaBits(leaf.publicKey)).toBe(2048);
  });

  it('computes the CA hash as `openssl x509 -pubkey | openssl rsa -pubin -outform der | openssl dgst -sha256` (pubkeypin TestHash)', () => {
    const [ca] = parseCertsPem(fixture('openssl-ca.crt'));
    expect(caCertHash(ca)).toBe(`sha256:${fixture('openssl-ca.pin.txt').trim()}`);
  });
});

describe('building certificates as Go crypto/x509 does', () => {
  it('a CA gets a SHA-1 subject key id and no authority key id; a leaf gets the CA key id as AKI and no SKI (x509 TestCreateSelfSignedCertificate)', () => {
    const ca = makeCA('ca');
    const leaf = makeLeaf(ca, 'leaf');
    expect(ca.cert.subjectKeyId).toBeDefined();
    expect(ca.cert.authorityKeyId).toBeUndefined();
    expect(leaf.subjectKeyId).toBeUndefined();
    expect(hexEncode(leaf.authorityKeyId!)).toBe(hexEncode(ca.cert.subjectKeyId!));
    expect(leaf.extensions.map((e) => [e.oid, e.critical])).toEqual([
      ['2.5.29.15', true],
      ['2.5.29.37', false],
      ['2.5.29.19', true],
      ['2.5.29.35', false],
      ['2.5.29.17', false],
    ]);
    expect(leaf.ipAddresses).toEqual(['10.96.0.1', '10.0.0.10', '::1']);
  });

  it('sha1 matches node:crypto', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(hexEncode(sha1(b))).toBe(createHash('sha1').update(b).digest('hex'));
      }),
      { numRuns: 100 },
    );
  });

  it('certificates round-trip through PEM and the parser for any names, SANs and dates', () => {
    const ca = makeCA('ca');
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9:.-]{0,30}$/),
        fc.array(fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/), { maxLength: 4 }),
        fc.array(fc.ipV4(), { maxLength: 3 }),
        fc.integer({ min: 0, max: 80 * YEAR }),
        fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }),
        (cn, dns, ips, validity, serial) => {
          const leaf = makeLeaf(ca, cn, { subject: { commonName: cn, organization: ['system:nodes'] }, dnsNames: dns, ipAddresses: ips, notAfterMs: T0 + validity, serialNumber: serial });
          const again = parseCertsPem(encodeCertPem(leaf.raw))[0];
          expect(commonNameOf(again.subject)).toBe(cn);
          expect(organizationOf(again.subject)).toEqual(['system:nodes']);
          expect(again.dnsNames).toEqual(dns);
          expect(again.ipAddresses).toEqual(ips);
          expect(again.notAfterMs).toBe(Math.floor((T0 + validity) / 1000) * 1000);
          expect(again.serialNumber).toBe(serial);
          expect(checkSignatureFrom(again, ca.cert)).toBeUndefined();
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keys round-trip through their PEM blocks', () => {
    const key = generateRsaKey(rngFromSeed(7));
    expect(parsePrivateKeyPem(encodePrivateKeyPem(key))).toEqual(key);
    expect(parsePublicKeyPem(encodePublicKeyPem(key.publicKey))).toEqual(key.publicKey);
    expect(encodePrivateKeyPem(key)).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(rsaBits(key.publicKey)).toBe(2048);
  });

  it('the same seed builds the same certificate byte for byte', () => {
    expect(hexEncode(makeLeaf(makeCA('a'), 'b').raw)).toBe(hexEncode(makeLeaf(makeCA('a'), 'b').raw));
  });
});

describe('chains (x509 TestVerify, kubeadm pkiutil TestVerifyCertChain)', () => {
  const ca = makeCA('ca');
  const otherCa = makeCA('other');
  const leaf = makeLeaf(ca, 'leaf');
  const cases: Array<{ name: string; cert: () => ReturnType<typeof makeLeaf>; root: () => ReturnType<typeof makeLeaf>; now: number; want: string | undefined }> = [
    { name: 'leaf signed by its CA, inside validity', cert: () => leaf, root: () => ca.cert, now: T0, want: undefined },
    { name: 'a different CA with the same name', cert: () => leaf, root: () => otherCa.cert, now: T0, want: 'x509: certificate signed by unknown authority' },
    { name: 'expired leaf', cert: () => leaf, root: () => ca.cert, now: T0 + YEAR + 1000, want: 'x509: certificate has expired or is not yet valid: current time 2027-12-05T10:00:01Z is after 2027-12-05T10:00:00Z' },
    { name: 'not yet valid', cert: () => leaf, root: () => ca.cert, now: T0 - 3_600_000, want: 'x509: certificate has expired or is not yet valid: current time 2026-12-05T09:00:00Z is before 2026-12-05T09:55:00Z' },
    { name: 'a leaf cannot act as a CA', cert: () => leaf, root: () => leaf, now: T0, want: 'x509: certificate signed by unknown authority' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(verifyCertificate(c.cert(), c.root(), c.now)).toBe(c.want);
    });
  }

  it('a changed byte in the TBSCertificate breaks the signature', () => {
    const der = Uint8Array.from(leaf.raw);
    const idx = der.length - 400; // inside the extensions
    der[idx] ^= 1;
    let broken;
    try {
      broken = parseCertificate(der);
    } catch {
      return; // the flip made it unparseable: also a failure to verify
    }
    expect(checkSignatureFrom(broken, ca.cert)).toBe('crypto/rsa: verification error');
  });

  it('checkSignatureFrom refuses a parent that is not a CA', () => {
    expect(checkSignatureFrom(leaf, leaf)).toBe('x509: invalid signature: parent certificate cannot sign this kind of certificate');
  });
});

describe('pubkeypin (pubkeypin_test.go TestSet, TestHash)', () => {
  const ca = makeCA('ca');
  it('the hash is sha256 over the SubjectPublicKeyInfo DER, not the whole certificate', () => {
    expect(caCertHash(ca.cert)).toBe(`sha256:${hexEncode(sha256(ca.cert.rawSubjectPublicKeyInfo))}`);
    expect(parsePkixPublicKey(ca.cert.rawSubjectPublicKeyInfo)).toEqual(ca.key.publicKey);
  });
  const cases: Array<[string, string[], string | undefined]> = [
    ['matching pin', [caCertHash(ca.cert)], undefined],
    ['matching pin, upper-case format and hex', [caCertHash(ca.cert).toUpperCase()], undefined],
    ['no format', ['abc'], 'invalid hash, expected "format:hex-value". Known format(s) are: sha256'],
    ['unknown format', ['md5:abc'], 'unknown hash format "md5". Known format(s) are: sha256'],
    ['short hash', ['sha256:abcd'], 'invalid hash "sha256:abcd", expected a 32 byte SHA-256 hash, found 2 bytes'],
    ['other key', [`sha256:${'0'.repeat(64)}`], `none of the public keys "${caCertHash(ca.cert)}" are pinned`],
  ];
  for (const [name, pins, want] of cases) {
    it(name, () => expect(checkAnyPin(pins, [ca.cert])).toBe(want));
  }
});

describe('bad input', () => {
  it('any corrupted certificate fails with an x509 parse error, never a crash', () => {
    const ca = makeCA('ca');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ca.cert.raw.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.integer({ min: 0, max: ca.cert.raw.length }), (i, x, cut) => {
        const der = Uint8Array.from(ca.cert.raw.subarray(0, Math.max(cut, i + 1)));
        der[i] ^= x;
        try {
          parseCertificate(der);
        } catch (e) {
          expect(e).toBeInstanceOf(CertificateParseError);
          expect((e as Error).message).toMatch(/^x509: malformed certificate/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a PEM file without a certificate says so', () => {
    expect(() => parseCertsPem('hello')).toThrow('data does not contain any valid RSA or ECDSA certificates');
  });
});
