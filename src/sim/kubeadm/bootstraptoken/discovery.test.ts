import { describe, expect, it } from 'vitest';
import { newApiServer } from '../../apiserver/apiserver';
import { base64Std } from '../../apiserver/base64';
import { newClientset } from '../../client/clientset';
import { FakeClock } from '../../core/clock';
import { runUntilIdle } from '../../core/drive';
import { rngFromSeed } from '../../core/rng';
import { hexEncode, sha256 } from '../../core/sha256';
import { TraceRecorder } from '../../core/trace';
import { bootstrapSignerSync, clusterInfoKubeconfig, createBootstrapConfigMapIfNotExists, signConfigMapData, tokenCleanerSync, type ConfigMap } from './clusterinfo';
import { discoverValidatedKubeConfig, PubKeyPinSet, retrieveValidatedConfigInfo, tlsBootstrapKubeconfig, validateClusterInfoToken, type DiscoveredKubeconfig, type DiscoveryOptions } from './discovery';
import { bootstrapTokenEvents } from './events';
import { computeDetachedSignature } from './jws';
import { bootstrapTokenToSecret } from './secret';
import { runCreateToken, type TokenEnv } from './tokens';

const NOW = Date.parse('2026-12-05T10:00:00Z');
const CA_DATA = base64Std('-----BEGIN CERTIFICATE-----\nsimulated cluster CA\n-----END CERTIFICATE-----\n');
/** Stands in for the PKI model: a pin per bundle, a SHA-256 over the bundle's text. */
const publicKeyPins = (caData: string) => [`sha256:${hexEncode(sha256(caData))}`];
const CA_HASH = publicKeyPins(CA_DATA)[0];
const TOKEN = 'abcdef.0123456789abcdef';

async function cluster(): Promise<TokenEnv & { trace: TraceRecorder }> {
  const clock = new FakeClock(NOW);
  const trace = new TraceRecorder();
  const env = { client: newClientset(newApiServer({ clock }), { qps: -1 }), clock, trace };
  await createBootstrapConfigMapIfNotExists(env, 'https://192.168.56.10:6443', CA_DATA);
  await runCreateToken(env, { token: TOKEN, server: 'https://192.168.56.10:6443', caCertHashes: [CA_HASH], rng: rngFromSeed(1) });
  await bootstrapSignerSync(env);
  return env;
}

const opts = (env: TokenEnv, over: Partial<DiscoveryOptions> = {}): DiscoveryOptions => ({
  client: env.client,
  clock: env.clock,
  trace: (env as { trace?: TraceRecorder }).trace,
  apiServerEndpoint: '192.168.56.10:6443',
  token: TOKEN,
  caCertHashes: [CA_HASH],
  publicKeyPins,
  ...over,
});

/** Runs discovery to its end, moving virtual time through its retries. */
async function discover(o: DiscoveryOptions): Promise<{ value?: unknown; error?: string; tookMs: number }> {
  const start = o.clock.now();
  let result: { value?: unknown; error?: string } | undefined;
  void discoverValidatedKubeConfig(o).then(
    (value) => (result = { value }),
    (err: Error) => (result = { error: err.message }),
  );
  await runUntilIdle(o.clock, { forMs: 10 * 60_000, until: () => result !== undefined });
  return { ...result!, tookMs: o.clock.now() - start };
}

describe('cluster-info (after phases/bootstraptoken/clusterinfo and pkg/controller/bootstrap)', () => {
  it('the kubeconfig has one cluster named "" and no users', () => {
    expect(clusterInfoKubeconfig('https://192.168.56.10:6443', 'Q0E=')).toBe(
      ['apiVersion: v1', 'clusters:', '- cluster:', '    certificate-authority-data: Q0E=', '    server: https://192.168.56.10:6443', '  name: ""', 'contexts: null', 'current-context: ""', 'kind: Config', 'preferences: {}', 'users: null', ''].join('\n'),
    );
  });

  it('TestSimpleSign / TestUpdateSignature / TestRemoveSignature (bootstrapsigner_test.go)', () => {
    const kubeconfig = clusterInfoKubeconfig('https://x:6443', CA_DATA);
    const secret = bootstrapTokenToSecret({ token: TOKEN, ttl: '24h0m0s', usages: ['signing'] }, NOW);
    const signed = signConfigMapData({ kubeconfig }, [secret], NOW);
    expect(signed).toEqual({ data: { kubeconfig, 'jws-kubeconfig-abcdef': computeDetachedSignature(kubeconfig, 'abcdef', '0123456789abcdef') }, needUpdate: true, ids: ['abcdef'] });
    expect(signConfigMapData(signed.data, [secret], NOW).needUpdate).toBe(false);
    expect(signConfigMapData({ ...signed.data, 'jws-kubeconfig-abcdef': 'stale' }, [secret], NOW).needUpdate).toBe(true);
    // An expired token, or one without the signing usage, signs nothing: its signature goes.
    expect(signConfigMapData(signed.data, [secret], NOW + 25 * 3_600_000)).toEqual({ data: { kubeconfig }, needUpdate: true, ids: [] });
    const authOnly = bootstrapTokenToSecret({ token: TOKEN, ttl: '24h0m0s', usages: ['authentication'] }, NOW);
    expect(signConfigMapData(signed.data, [authOnly], NOW).data).toEqual({ kubeconfig });
  });

  it('TestCleanerExpired (tokencleaner_test.go): the cleaner deletes expired tokens only', async () => {
    const env = await cluster();
    await runCreateToken(env, { token: 'ghijkl.0123456789abcdef', ttl: '0', server: 'x:6443', caCertHashes: [], rng: rngFromSeed(1) });
    env.clock.step(24 * 3_600_000 + 1000);
    expect(await tokenCleanerSync(env)).toEqual(['bootstrap-token-abcdef']);
    await bootstrapSignerSync(env);
    const cm = (await env.client.coreV1().configMaps('kube-public').get('cluster-info')) as ConfigMap;
    expect(Object.keys(cm.data ?? {}).sort()).toEqual(['jws-kubeconfig-ghijkl', 'kubeconfig']);
  });
});

describe('token discovery (after cmd/kubeadm/app/discovery/token/token_test.go TestRetrieveValidatedConfigInfo)', () => {
  it('valid: the token signs cluster-info and the CA is pinned', async () => {
    const env = await cluster();
    const r = await discover(opts(env));
    expect(r.error).toBeUndefined();
    expect(r.tookMs).toBe(0);
    expect((r.value as { clusters: Array<{ cluster: { server: string } }> }).clusters[0].cluster.server).toBe('https://192.168.56.10:6443');
    expect(env.trace.events.filter((e) => bootstrapTokenEvents.is(e)).map((e) => bootstrapTokenEvents.text(e)).at(-1)).toBe('discovery via 192.168.56.10:6443 with token abcdef: cluster-info trusted');
  });

  it('For: the TLS bootstrap kubeconfig carries the discovered server and CA and the token', async () => {
    const r = await discover(opts(await cluster()));
    expect(tlsBootstrapKubeconfig(r.value as DiscoveredKubeconfig, TOKEN)).toBe(
      [
        'apiVersion: v1',
        'clusters:',
        '- cluster:',
        `    certificate-authority-data: ${CA_DATA}`,
        '    server: https://192.168.56.10:6443',
        '  name: kubernetes',
        'contexts:',
        '- context:',
        '    cluster: kubernetes',
        '    user: tls-bootstrap-token-user',
        '  name: tls-bootstrap-token-user@kubernetes',
        'current-context: tls-bootstrap-token-user@kubernetes',
        'kind: Config',
        'preferences: {}',
        'users:',
        '- name: tls-bootstrap-token-user',
        '  user:',
        `    token: ${TOKEN}`,
        '',
      ].join('\n'),
    );
  });

  it('valid: no pins at all (unsafeSkipCAVerification) trusts any CA', async () => {
    const r = await discover(opts(await cluster(), { caCertHashes: [] }));
    expect(r.error).toBeUndefined();
  });

  it('invalid: a wrong CA hash', async () => {
    const wrong = 'sha256:0000000000000000000000000000000000000000000000000000000000000000';
    const r = await discover(opts(await cluster(), { caCertHashes: [wrong] }));
    expect(r.error).toBe(`couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "${CA_HASH}" are pinned`);
  });

  it('invalid: the right token ID with a wrong secret', async () => {
    const r = await discover(opts(await cluster(), { token: 'abcdef.ffffffffffffffff' }));
    expect(r.error).toBe("couldn't validate the identity of the API Server: failed to verify JWS signature of received cluster info object, can't trust this API Server");
    expect(r.tookMs).toBe(0);
  });

  it('invalid: a token ID the cluster does not know waits for Timeouts.discovery, then fails', async () => {
    const r = await discover(opts(await cluster(), { token: 'zzzzzz.0123456789abcdef' }));
    expect(r.error).toBe('couldn\'t validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID "zzzzzz"');
    expect(r.tookMs).toBe(5 * 60_000);
  });

  it('valid: a signature that appears while discovery retries (the signer runs late)', async () => {
    const env = await cluster();
    await runCreateToken(env, { token: 'late00.0123456789abcdef', server: 'x:6443', caCertHashes: [], rng: rngFromSeed(1) });
    env.clock.afterFunc(12_000, () => void bootstrapSignerSync(env));
    const r = await discover(opts(env, { token: 'late00.0123456789abcdef' }));
    expect(r.error).toBeUndefined();
    expect(r.tookMs).toBe(15_000);
  });

  it('invalid: an expired token (cleaned, its signature removed)', async () => {
    const env = await cluster();
    env.clock.step(25 * 3_600_000);
    await tokenCleanerSync(env);
    await bootstrapSignerSync(env);
    const r = await discover(opts(env, { timeout: '10s' }));
    expect(r.error).toBe('couldn\'t validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID "abcdef"');
    expect(r.tookMs).toBe(10_000);
  });

  it('invalid: no cluster-info ConfigMap', async () => {
    const clock = new FakeClock(NOW);
    const r = await discover(opts({ client: newClientset(newApiServer({ clock }), { qps: -1 }), clock }, { timeout: '5s' }));
    expect(r.error).toBe('couldn\'t validate the identity of the API Server: failed to request the cluster-info ConfigMap: configmaps "cluster-info" not found');
  });

  it.each([
    [['sha256:abc'], 'invalid discovery token CA certificate hash: invalid hash "sha256:abc", expected a 32 byte SHA-256 hash, found 1 bytes'],
    [[`sha256:${'g'.repeat(64)}`], `invalid discovery token CA certificate hash: invalid hash "sha256:${'g'.repeat(64)}", could not decode SHA-256 from hex: encoding/hex: invalid byte: U+0067 'g'`],
    [['md5:abc'], 'invalid discovery token CA certificate hash: unknown hash format "md5". Known format(s) are: sha256'],
    [['abc'], 'invalid discovery token CA certificate hash: invalid hash, expected "format:hex-value". Known format(s) are: sha256'],
  ])('invalid: a malformed CA hash %j', async (hashes, message) => {
    await expect(retrieveValidatedConfigInfo(opts(await cluster(), { caCertHashes: hashes }))).rejects.toThrow(message);
  });

  it('validateClusterInfoToken: an empty signature is the old "invalid for this cluster" message', () => {
    expect(() => validateClusterInfoToken({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: { kubeconfig: 'x', 'jws-kubeconfig-abcdef': '' } }, 'abcdef', 'x')).toThrow(
      'token id "abcdef" is invalid for this cluster or it has expired. Use "kubeadm token create" on the control-plane node to create a new valid token',
    );
    expect(() => validateClusterInfoToken({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: {} }, 'abcdef', 'x')).toThrow(
      "there is no kubeconfig key in the cluster-info ConfigMap. This API Server isn't set up for token bootstrapping, can't connect",
    );
  });

  it('TestSet (pubkeypin_test.go): every pin of a list counts, in any case', () => {
    const set = new PubKeyPinSet();
    set.allow('sha256:' + 'a'.repeat(64), CA_HASH.toUpperCase().replace('SHA256', 'sha256'));
    expect(() => set.checkAny([CA_HASH])).not.toThrow();
    expect(() => set.checkAny(['sha256:' + 'A'.repeat(64)])).not.toThrow();
    expect(() => set.checkAny(['sha256:' + 'b'.repeat(64)])).toThrow(`none of the public keys "sha256:${'b'.repeat(64)}" are pinned`);
    expect(new PubKeyPinSet().empty()).toBe(true);
  });

  it('valid: a second --discovery-token-ca-cert-hash that matches is enough', async () => {
    const r = await discover(opts(await cluster(), { caCertHashes: ['sha256:' + '0'.repeat(64), CA_HASH] }));
    expect(r.error).toBeUndefined();
  });
});
