// Bound token claims and their validation, after pkg/serviceaccount/claims_test.go (TestClaims,
// TestValidatePrivateClaims, now = 2018-01-01T00:00:00Z = 1514764800), and the token endpoint's
// extension of projected tokens (pkg/registry/core/serviceaccount/storage/token.go).
import { describe, expect, it } from 'vitest';
import { claims, ExpirationExtensionSeconds, makeUsername, tokenRequestExpiry, validateClaims, WarnOnlyBoundTokenExpirationSeconds, type ClaimsInput, type KubernetesClaims, type TokenGetter } from './claims';
import { decodeToken, encodeToken, PlaceholderSignature } from './jwt';

const now = 1514764800;
const sa = { namespace: 'myns', name: 'mysvcacct', uid: 'mysvcacct-uid' };
const pod = { name: 'mypod', uid: 'mypod-uid' };
const secret = { name: 'mysecret', uid: 'mysecret-uid' };
const node = { name: 'mynode', uid: 'mynode-uid' };
const svcacct = { name: 'mysvcacct', uid: 'mysvcacct-uid' };

describe('Claims (pkg/serviceaccount/claims.go)', () => {
  const cases: { ref: string; in: Omit<ClaimsInput, 'serviceAccount' | 'nowSec' | 'jti'>; exp?: number; aud?: string[]; k?: Partial<KubernetesClaims>; err?: string }[] = [
    { ref: 'TestClaims/case 0', in: { pod, secret, expirationSeconds: 0 }, err: 'internal error, token can only be bound to one object type' },
    { ref: 'TestClaims/case 1', in: { pod, expirationSeconds: 100, audience: [] }, exp: now + 100, k: { pod } },
    { ref: 'TestClaims/case 2', in: { secret, expirationSeconds: 100, audience: ['1'] }, exp: now + 100, aud: ['1'], k: { secret } },
    { ref: 'TestClaims/case 3', in: { expirationSeconds: 100, audience: ['1', '2'] }, exp: now + 100, aud: ['1', '2'], k: {} },
    { ref: 'TestClaims/case 4', in: { pod, expirationSeconds: 60 * 60 * 24, warnafter: 60 * 60 }, exp: now + 60 * 60 * 24, k: { pod, warnafter: now + 60 * 60 } },
    { ref: 'TestClaims/case 5', in: { node, expirationSeconds: 0 }, exp: now, k: { node } },
    { ref: 'TestClaims/case 6', in: { pod, node, expirationSeconds: 0 }, exp: now, k: { pod, node } },
    { ref: 'TestClaims/case 7', in: { secret, node, expirationSeconds: 0 }, err: 'internal error, token can only be bound to one object type' },
  ];
  it.each(cases)('$ref', (c) => {
    const run = () => claims({ serviceAccount: sa, nowSec: now, jti: 'fixed', ...c.in });
    if (c.err) {
      expect(run).toThrow(c.err);
      return;
    }
    const got = run();
    expect(got).toEqual({ ...(c.aud ? { aud: c.aud } : {}), exp: c.exp, iat: now, jti: 'fixed', 'kubernetes.io': { namespace: 'myns', serviceaccount: svcacct, ...c.k }, nbf: now, sub: 'system:serviceaccount:myns:mysvcacct' });
  });

  it('writes the payload with sorted keys, as Go encodes the claims map', () => {
    const c = claims({ serviceAccount: sa, pod, node, nowSec: now, expirationSeconds: 3607, warnafter: 3607, audience: ['https://kubernetes.default.svc.cluster.local'], jti: 'j', issuer: 'https://kubernetes.default.svc.cluster.local' });
    expect(Object.keys(c)).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    expect(Object.keys(c['kubernetes.io'])).toEqual(['namespace', 'node', 'pod', 'serviceaccount', 'warnafter']);
    expect(makeUsername('default', 'default')).toBe('system:serviceaccount:default:default');
  });

  it('round-trips through the token text, and the signature is the marked placeholder', () => {
    const c = claims({ serviceAccount: sa, pod, nowSec: now, expirationSeconds: 3607 });
    const token = encodeToken(c, 'kid-1');
    expect(token.split('.')).toHaveLength(3);
    expect(token).not.toMatch(/[=+/]/);
    expect(decodeToken(token)).toEqual({ header: { alg: 'RS256', kid: 'kid-1' }, claims: c, signature: PlaceholderSignature });
    expect(() => decodeToken('abc.def')).toThrow('compact JWS format must have three parts');
  });
});

describe('TokenREST.Create: the projected token\'s extension (token.go)', () => {
  const cases: { ref: string; o: Parameters<typeof tokenRequestExpiry>[0]; exp: number; warnafter: number }[] = [
    { ref: 'token.go/projected volume request: one year, warn after 3607 s', o: { expirationSeconds: 3607, podBound: true }, exp: ExpirationExtensionSeconds, warnafter: 3607 },
    { ref: 'token.go/--service-account-extend-token-expiration=false', o: { expirationSeconds: 3607, podBound: true, extendExpiration: false }, exp: 3607, warnafter: 0 },
    { ref: 'token.go/another lifetime is not extended', o: { expirationSeconds: 3600, podBound: true }, exp: 3600, warnafter: 0 },
    { ref: 'token.go/not bound to a pod', o: { expirationSeconds: 3607, podBound: false }, exp: 3607, warnafter: 0 },
    { ref: 'token.go/a foreign audience (isKubeAudiences false)', o: { expirationSeconds: 3607, podBound: true, audiences: ['vault'] }, exp: 3607, warnafter: 0 },
  ];
  it.each(cases)('$ref', ({ o, exp, warnafter }) => {
    const r = tokenRequestExpiry(o);
    expect([r.expirationSeconds, r.warnafter, r.statusExpirationSeconds]).toEqual([exp, warnafter, o.expirationSeconds]);
  });

  it('constants: 3607 s and 365 days; empty audiences become the API server\'s', () => {
    expect([WarnOnlyBoundTokenExpirationSeconds, ExpirationExtensionSeconds]).toEqual([3607, 31536000]);
    expect(tokenRequestExpiry({ expirationSeconds: 600, podBound: true }).audiences).toEqual(['https://kubernetes.default.svc.cluster.local']);
  });
});

describe('validator.Validate (TestValidatePrivateClaims)', () => {
  type Obj = { uid: string; deletionTimestampSec?: number };
  const getter = (o: { sa?: Obj; secret?: Obj; pod?: Obj; node?: Obj }): TokenGetter => ({
    getServiceAccount: () => o.sa,
    getPod: () => o.pod,
    getSecret: () => o.secret,
    getNode: () => o.node,
  });
  const saObj = { uid: 'sauid' };
  const base = { namespace: 'ns', serviceaccount: { name: 'saname', uid: 'sauid' } };
  const cases: { ref: string; g: TokenGetter; k: Partial<KubernetesClaims>; exp?: number; nbf?: number; err: string }[] = [
    { ref: 'TestValidatePrivateClaims/good', g: getter({ sa: saObj }), k: {}, err: '' },
    { ref: 'TestValidatePrivateClaims/expired', g: getter({ sa: saObj }), k: {}, exp: now - 1000 * 3600, err: 'service account token has expired' },
    { ref: 'TestValidatePrivateClaims/not yet valid', g: getter({ sa: saObj }), k: {}, nbf: now + 1000 * 3600, err: 'service account token is not valid yet' },
    { ref: 'TestValidatePrivateClaims/missing serviceaccount', g: getter({}), k: {}, err: 'serviceaccounts "saname" not found' },
    { ref: 'TestValidatePrivateClaims/missing secret', g: getter({ sa: saObj }), k: { secret: { name: 'secretname', uid: 'secretuid' } }, err: 'service account token has been invalidated' },
    { ref: 'TestValidatePrivateClaims/missing pod', g: getter({ sa: saObj }), k: { pod: { name: 'podname', uid: 'poduid' } }, err: 'service account token has been invalidated' },
    { ref: 'TestValidatePrivateClaims/missing node', g: getter({ sa: saObj }), k: { node: { name: 'nodename', uid: 'nodeuid' } }, err: 'service account token has been invalidated' },
    { ref: 'TestValidatePrivateClaims/different uid serviceaccount', g: getter({ sa: saObj }), k: { serviceaccount: { name: 'saname', uid: 'sauidold' } }, err: 'service account UID (sauid) does not match claim (sauidold)' },
    { ref: 'TestValidatePrivateClaims/different uid secret', g: getter({ sa: saObj, secret: { uid: 'secretuid' } }), k: { secret: { name: 'secretname', uid: 'secretuidold' } }, err: 'secret UID (secretuid) does not match service account secret ref claim (secretuidold)' },
    { ref: 'TestValidatePrivateClaims/different uid pod', g: getter({ sa: saObj, pod: { uid: 'poduid' } }), k: { pod: { name: 'podname', uid: 'poduidold' } }, err: 'pod UID (poduid) does not match service account pod ref claim (poduidold)' },
  ];
  // The deletion cases: deleted before now-leeway (60 s) invalidates, anything later does not.
  for (const [name, t, bad] of [['valid', undefined, false], ['deleted now', now, false], ['deleted near past', now - 1, false], ['deleted near future', now + 1, false], ['deleted now-leeway', now - 60, false], ['deleted now-leeway-1', now - 61, true]] as const) {
    const del = (uid: string) => ({ uid, ...(t === undefined ? {} : { deletionTimestampSec: t }) });
    cases.push(
      { ref: `TestValidatePrivateClaims/${name} serviceaccount`, g: getter({ sa: del('sauid') }), k: {}, err: bad ? 'service account ns/saname has been deleted' : '' },
      { ref: `TestValidatePrivateClaims/${name} secret`, g: getter({ sa: saObj, secret: del('secretuid') }), k: { secret: { name: 'secretname', uid: 'secretuid' } }, err: bad ? 'service account token has been invalidated' : '' },
      { ref: `TestValidatePrivateClaims/${name} pod`, g: getter({ sa: saObj, pod: del('poduid') }), k: { pod: { name: 'podname', uid: 'poduid' } }, err: bad ? 'service account token has been invalidated' : '' },
      { ref: `TestValidatePrivateClaims/${name} node`, g: getter({ sa: saObj, node: del('nodeuid') }), k: { node: { name: 'nodename', uid: 'nodeuid' } }, err: bad ? 'service account token has been invalidated' : '' },
    );
  }
  it.each(cases)('$ref', ({ g, k, exp, nbf, err }) => {
    const r = validateClaims({ exp: exp ?? now, nbf: nbf ?? 0, sub: 'system:serviceaccount:ns:saname', 'kubernetes.io': { ...base, ...k } }, now, g);
    if (err) {
      expect(r).toBeInstanceOf(Error);
      expect((r as Error).message).toBe(err);
    } else expect(r).not.toBeInstanceOf(Error);
  });

  it('a projected token past warnafter is still accepted, and marked stale; past its real exp it is refused', () => {
    const c = claims({ serviceAccount: { namespace: 'ns', name: 'saname', uid: 'sauid' }, pod: { name: 'podname', uid: 'poduid' }, nowSec: now, expirationSeconds: ExpirationExtensionSeconds, warnafter: 3607 });
    const g = getter({ sa: saObj, pod: { uid: 'poduid' } });
    expect(validateClaims(c, now + 3600, g)).toMatchObject({ stale: false, podName: 'podname' });
    expect(validateClaims(c, now + 3608, g)).toMatchObject({ stale: true });
    expect((validateClaims(c, now + ExpirationExtensionSeconds + 61, g) as Error).message).toBe('service account token has expired');
    expect(validateClaims(c, now + ExpirationExtensionSeconds + 60, g)).not.toBeInstanceOf(Error);
  });
});
