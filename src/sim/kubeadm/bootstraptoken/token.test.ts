import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Std } from '../../apiserver/base64';
import { rngFromSeed } from '../../core/rng';
import { bootstrapTokenFromSecret, bootstrapTokenToSecret, encodeTokenSecretData, getData, isSecretExpired, type Secret } from './secret';
import {
  bootstrapTokenSecretName,
  generateBootstrapToken,
  isValidBootstrapToken,
  isValidBootstrapTokenID,
  newBootstrapTokenString,
  tokenFromIDAndSecret,
  validateBootstrapGroupName,
  validateUsages,
} from './token';

const NOW = Date.parse('2026-12-05T10:00:00Z');

describe('token helpers (after cluster-bootstrap token/util/helpers_test.go)', () => {
  it('TestGenerateBootstrapToken: valid for every seed, and the same for the same seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const t = generateBootstrapToken(rngFromSeed(seed));
        expect(isValidBootstrapToken(t)).toBe(true);
        expect(generateBootstrapToken(rngFromSeed(seed))).toBe(t);
      }),
      { numRuns: 200 },
    );
  });

  it('TestRandBytes: every character of the 36 appears, none other (bytes >= 252 are dropped)', () => {
    const rng = rngFromSeed('chars');
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const ch of generateBootstrapToken(rng).replace('.', '')) seen.add(ch);
    expect([...seen].sort().join('')).toBe('0123456789abcdefghijklmnopqrstuvwxyz');
  });

  it('TestTokenFromIDAndSecret', () => {
    expect(tokenFromIDAndSecret('foo', 'bar')).toBe('foo.bar');
  });

  it.each([
    ['abcdef.0123456789abcdef', true],
    ['772ef5.6b6baab1d4a0a171', true],
    ['.6b6baab1d4a0a171', false],
    ['772ef5.', false],
    ['772ef5.6b6baab1d4a0a171a', false],
    ['772ef5:6b6baab1d4a0a171', false],
    ['Abcdef.0123456789abcdef', false],
  ])('TestIsValidBootstrapToken: %s', (token, ok) => {
    expect(isValidBootstrapToken(token)).toBe(ok);
  });

  it.each([['abcdef', true], ['abcdefg', false], ['ABCDEF', false], ['abc.de', false]])('TestIsValidBootstrapTokenID: %s', (id, ok) => {
    expect(isValidBootstrapTokenID(id)).toBe(ok);
  });

  it('TestBootstrapTokenSecretName', () => {
    expect(bootstrapTokenSecretName('foo')).toBe('bootstrap-token-foo');
  });

  it.each([
    ['system:bootstrappers:foo', true],
    ['system:bootstrappers:kubeadm:default-node-token', true],
    ['system:bootstrappers', false],
    ['system:bootstrappers:', false],
    ['foo', false],
  ])('TestValidateBootstrapGroupName: %s', (group, ok) => {
    expect(validateBootstrapGroupName(group) === undefined).toBe(ok);
  });

  it('TestValidateUsages', () => {
    expect(validateUsages(['signing', 'authentication'])).toBeUndefined();
    expect(validateUsages(['bad', 'signing', 'also-bad', 'bad'])?.message).toBe('invalid bootstrap token usage string: also-bad,bad, valid usage options: signing,authentication');
  });

  it('TestNewBootstrapTokenString', () => {
    expect(newBootstrapTokenString('abcdef.abcdef0123456789')).toEqual({ id: 'abcdef', secret: 'abcdef0123456789' });
    expect(() => newBootstrapTokenString('abcdef:abcdef0123456789')).toThrow('the bootstrap token "abcdef:abcdef0123456789" was not of the form "\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z"');
  });
});

describe('the token Secret (after cmd/kubeadm/app/apis/bootstraptoken/v1/utils_test.go)', () => {
  it('TestEncodeTokenSecretData: ttl, usages and groups', () => {
    expect(encodeTokenSecretData({ token: 'abcdef.abcdef0123456789', ttl: '24h0m0s', usages: ['signing', 'authentication'], groups: ['system:bootstrappers:kubeadm:default-node-token'] }, NOW)).toEqual({
      'token-id': 'abcdef',
      'token-secret': 'abcdef0123456789',
      expiration: '2026-12-06T10:00:00Z',
      'usage-bootstrap-signing': 'true',
      'usage-bootstrap-authentication': 'true',
      'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
    });
  });

  it('TestEncodeTokenSecretData: expires wins over ttl; a zero ttl never expires; a description', () => {
    expect(encodeTokenSecretData({ token: 'abcdef.abcdef0123456789', ttl: '1h0m0s', expires: '2027-01-01T00:00:00Z' }, NOW).expiration).toBe('2027-01-01T00:00:00Z');
    expect(encodeTokenSecretData({ token: 'abcdef.abcdef0123456789', ttl: '0s', description: 'for worker-2' }, NOW)).toEqual({ 'token-id': 'abcdef', 'token-secret': 'abcdef0123456789', description: 'for worker-2' });
  });

  it('TestBootstrapTokenToSecret and TestBootstrapTokenFromSecret round-trip', () => {
    const bt = { token: 'abcdef.abcdef0123456789', ttl: '24h0m0s', usages: ['signing', 'authentication'], groups: ['system:bootstrappers:kubeadm:default-node-token'] };
    const secret = bootstrapTokenToSecret(bt, NOW);
    expect(secret.metadata).toEqual({ name: 'bootstrap-token-abcdef', namespace: 'kube-system' });
    expect(secret.type).toBe('bootstrap.kubernetes.io/token');
    expect(secret.data?.['token-id']).toBe(base64Std('abcdef'));
    expect(bootstrapTokenFromSecret(secret)).toEqual({
      token: 'abcdef.abcdef0123456789',
      expires: '2026-12-06T10:00:00Z',
      usages: ['authentication', 'signing'],
      groups: ['system:bootstrappers:kubeadm:default-node-token'],
    });
  });

  const raw = (name: string, data: Record<string, string>): Secret => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64Std(v)])),
  });

  it.each([
    ['no token-id', raw('bootstrap-token-abcdef', { 'token-secret': 'abcdef0123456789' }), 'bootstrap Token Secret has no token-id data: bootstrap-token-abcdef'],
    ['a wrong name', raw('bootstrap-token-foo', { 'token-id': 'abcdef', 'token-secret': 'abcdef0123456789' }), `bootstrap token name is not of the form 'bootstrap-token-(token-id)'. Actual: "bootstrap-token-foo". Expected: "bootstrap-token-abcdef"`],
    ['no token-secret', raw('bootstrap-token-abcdef', { 'token-id': 'abcdef' }), 'bootstrap Token Secret has no token-secret data: bootstrap-token-abcdef'],
    ['a bad secret', raw('bootstrap-token-abcdef', { 'token-id': 'abcdef', 'token-secret': 'SHORT' }), 'bootstrap Token Secret is invalid and couldn\'t be parsed: the bootstrap token "abcdef.SHORT" was not of the form'],
    ['a bad expiration', raw('bootstrap-token-abcdef', { 'token-id': 'abcdef', 'token-secret': 'abcdef0123456789', expiration: 'tomorrow' }), 'can\'t parse expiration time of bootstrap token "bootstrap-token-abcdef"'],
  ])('TestBootstrapTokenFromSecret: %s', (_name, secret, message) => {
    expect(() => bootstrapTokenFromSecret(secret)).toThrow(message);
  });

  it('isSecretExpired: after the expiration, not before; no expiration never expires', () => {
    const s = bootstrapTokenToSecret({ token: 'abcdef.abcdef0123456789', ttl: '1h0m0s' }, NOW);
    expect(getData(s, 'expiration')).toBe('2026-12-05T11:00:00Z');
    expect(isSecretExpired(s, NOW + 3_599_000)).toBe(false);
    expect(isSecretExpired(s, NOW + 3_601_000)).toBe(true);
    expect(isSecretExpired(bootstrapTokenToSecret({ token: 'abcdef.abcdef0123456789' }, NOW), NOW * 2)).toBe(false);
  });
});

describe('properties', () => {
  const tokenArb = fc.tuple(fc.stringMatching(/^[a-z0-9]{6}$/), fc.stringMatching(/^[a-z0-9]{16}$/)).map(([id, s]) => `${id}.${s}`);
  it('BootstrapTokenToSecret then BootstrapTokenFromSecret keeps the token, its usages (sorted) and groups, and fixes the expiry', () => {
    fc.assert(
      fc.property(
        tokenArb,
        fc.integer({ min: 1, max: 720 }),
        fc.subarray(['signing', 'authentication']),
        fc.array(fc.stringMatching(/^system:bootstrappers:[a-z0-9]{1,8}$/), { maxLength: 3 }),
        (token, hours, usages, groups) => {
          const back = bootstrapTokenFromSecret(bootstrapTokenToSecret({ token, ttl: `${hours}h0m0s`, usages, groups }, NOW));
          expect(back.token).toBe(token);
          expect(back.usages ?? []).toEqual([...usages].sort());
          expect(back.groups ?? []).toEqual(groups);
          expect(Date.parse(back.expires!) - NOW).toBe(hours * 3_600_000);
        },
      ),
      { numRuns: 150 },
    );
  });
});
