// The projected volume's files and the kubelet's token refresh (pkg/kubelet/token/token_manager.go,
// TestTokenCachingAndExpiration's refresh points), and the root CA publisher on the API server
// model (pkg/controller/certificates/rootcacertpublisher/publisher_test.go, TestConfigMapCreation).
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/core/v1';
import { newLabCluster } from '../cluster/cluster';
import { runUntilIdle } from '../core/drive';
import { newEnv } from '../core/env';
import type { KubeObject } from '../core/object';
import { rngFromSeed } from '../core/rng';
import { admitServiceAccount } from './admission';
import { validateClaims } from './claims';
import { decodeToken } from './jwt';
import { projectedFiles, requiresRefresh, tokenIssuedAt, uuid } from './projected';
import { Description, DescriptionAnnotation, newRootCACertPublisher, placeholderCAPEM } from './root_ca_publisher';

describe('Manager.requiresRefresh (pkg/kubelet/token)', () => {
  const cases: { ref: string; ttl: number; age: number; want: boolean }[] = [
    { ref: 'requiresRefresh/3607 s token at 2886 s: not yet (80% is 2885.6, the rest rounds down to 721 s)', ttl: 3607, age: 2886, want: false },
    { ref: 'requiresRefresh/3607 s token at 2887 s', ttl: 3607, age: 2887, want: true },
    { ref: 'requiresRefresh/600 s token at 481 s', ttl: 600, age: 481, want: true },
    { ref: 'requiresRefresh/600 s token at 480 s', ttl: 600, age: 480, want: false },
    { ref: 'requiresRefresh/48 h token: the 24 h limit comes first', ttl: 48 * 3600, age: 24 * 3600 + 1, want: true },
  ];
  it.each(cases)('$ref', ({ ttl, age, want }) => expect(requiresRefresh(1000, ttl, 1000 + age)).toBe(want));

  it('the token in the volume is replaced every 2887 s', () => {
    expect([0, 2886, 2887, 5773, 5774].map((t) => tokenIssuedAt(0, 3607, t))).toEqual([0, 0, 2887, 2887, 5774]);
  });
});

describe('the projected volume, as the container reads it', () => {
  const startMs = 1_700_000_000_000;
  const admitted = () =>
    admitServiceAccount(
      { metadata: { name: 'web', namespace: 'shop', uid: 'pod-uid-1' }, spec: { nodeName: 'node-a', containers: [{ name: 'c' }] } } as Pod,
      { namespace: 'shop', serviceAccounts: [{ metadata: { name: 'default', namespace: 'shop', uid: 'sa-uid' } }], rng: rngFromSeed(1) },
    );
  const files = (nowMs: number, withCA = true) => projectedFiles({ pod: admitted(), serviceAccountUID: 'sa-uid', nodeUID: 'node-uid', startMs, nowMs, rootCA: withCA ? placeholderCAPEM() : undefined, rng: rngFromSeed('tokens') });

  it('holds ca.crt, namespace and a token bound to the pod and its node', () => {
    const f = files(startMs)!;
    expect([...f.files.keys()].sort()).toEqual(['ca.crt', 'namespace', 'token']);
    expect(f.files.get('namespace')).toBe('shop');
    expect(f.files.get('ca.crt')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const { header, claims } = decodeToken(f.files.get('token')!);
    expect(header.alg).toBe('RS256');
    const iat = startMs / 1000;
    expect(claims).toMatchObject({
      aud: ['https://kubernetes.default.svc.cluster.local'],
      iss: 'https://kubernetes.default.svc.cluster.local',
      iat,
      nbf: iat,
      exp: iat + 31536000,
      sub: 'system:serviceaccount:shop:default',
      'kubernetes.io': { namespace: 'shop', node: { name: 'node-a', uid: 'node-uid' }, pod: { name: 'web', uid: 'pod-uid-1' }, serviceaccount: { name: 'default', uid: 'sa-uid' }, warnafter: iat + 3607 },
    });
    expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reads the same at the same time, and a new token (new iat, new jti) after the refresh', () => {
    expect(files(startMs + 1000)!.files.get('token')).toBe(files(startMs)!.files.get('token'));
    const later = decodeToken(files(startMs + 2887_000)!.files.get('token')!).claims;
    expect(later.iat).toBe(startMs / 1000 + 2887);
    expect(later.jti).not.toBe(decodeToken(files(startMs)!.files.get('token')!).claims.jti);
  });

  it('a deleted pod\'s token is refused at once; the model\'s token passes validation while the pod lives', () => {
    const c = decodeToken(files(startMs)!.files.get('token')!).claims;
    const live = { getServiceAccount: () => ({ uid: 'sa-uid' }), getPod: () => ({ uid: 'pod-uid-1' }) };
    expect(validateClaims(c, startMs / 1000 + 10, live)).toMatchObject({ name: 'default', podName: 'web', nodeName: 'node-a' });
    expect((validateClaims(c, startMs / 1000 + 10, { ...live, getPod: () => undefined }) as Error).message).toBe('service account token has been invalidated');
  });

  it('without kube-root-ca.crt the volume cannot be built; without the mount there is no volume', () => {
    expect(files(startMs, false)!.error).toBe('configmap "kube-root-ca.crt" not found');
    const bare = { metadata: { name: 'x', namespace: 'shop' }, spec: { containers: [{ name: 'c' }] } } as Pod;
    expect(projectedFiles({ pod: bare, serviceAccountUID: 'u', startMs, nowMs: startMs, rng: rngFromSeed(1) })).toBeUndefined();
  });

  it('uuid: version 4, variant 10, from the seed', () => {
    expect(uuid(rngFromSeed(3))).toBe(uuid(rngFromSeed(3)));
    expect(uuid(rngFromSeed(3))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('root CA publisher (pkg/controller/certificates/rootcacertpublisher)', () => {
  it('TestConfigMapCreation: kube-root-ca.crt in every namespace, and put back after a delete or an edit', async () => {
    const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
    const cs = cluster.clientset({ qps: 100, burst: 200 });
    const pub = newRootCACertPublisher({ client: cs, clock: cluster.clock, rng: rngFromSeed(2) });
    void pub.run();
    const run = () => runUntilIdle(cluster.clock, { forMs: 5000 });
    await run();
    await cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } as KubeObject);
    await run();
    const get = async (ns: string) => (await cs.coreV1().configMaps(ns).get('kube-root-ca.crt')) as KubeObject;
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'shop']) {
      const cm = await get(ns);
      expect(cm.data).toEqual({ 'ca.crt': pub.rootCA });
      expect(cm.metadata.annotations?.[DescriptionAnnotation]).toBe(Description);
    }
    await cs.coreV1().configMaps('shop').delete('kube-root-ca.crt');
    await run();
    expect((await get('shop')).data).toEqual({ 'ca.crt': pub.rootCA });
    const cm = await get('shop');
    await cs.coreV1().configMaps('shop').update({ ...cm, data: { 'ca.crt': 'tampered' }, metadata: { ...cm.metadata, annotations: {} } });
    await run();
    expect((await get('shop')).data).toEqual({ 'ca.crt': pub.rootCA });
    expect((await get('shop')).metadata.annotations?.[DescriptionAnnotation]).toBe(Description);
    pub.stop();
  });
});
