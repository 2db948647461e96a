// The ServiceAccount admission plugin, after plugin/pkg/admission/serviceaccount/admission_test.go:
// the volume it adds, where it mounts it, when it does not, and the pods it refuses.
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/core/v1';
import { StatusError } from '../core/errors';
import { rngFromSeed } from '../core/rng';
import { admitServiceAccount, DefaultAPITokenMountPath, generateName, MirrorPodAnnotationKey, shouldAutomount, tokenVolumeSource } from './admission';
import type { ServiceAccount, VolumeMount } from './types';

const ns = 'myns';
const sa = (extra: Partial<ServiceAccount> = {}, name = 'default'): ServiceAccount => ({ metadata: { name, namespace: ns, uid: '12345' }, ...extra });
const pod = (spec: Partial<Pod['spec']> = {}, annotations?: Record<string, string>): Pod => ({ metadata: { name: 'myname', namespace: ns, ...(annotations ? { annotations } : {}) }, spec: { containers: [], ...spec } });
const admit = (p: Pod, accounts: ServiceAccount[] = [sa()], seed = 1) => admitServiceAccount(p, { namespace: ns, serviceAccounts: accounts, rng: rngFromSeed(seed) });
const mounts = (c: Container) => (c.volumeMounts ?? []) as VolumeMount[];
const forbidden = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    expect((e as StatusError).status.code).toBe(403);
    return (e as StatusError).message;
  }
  throw new Error('expected a 403 Forbidden');
};

describe('ServiceAccount admission (plugin/pkg/admission/serviceaccount)', () => {
  it('TestAssignsDefaultServiceAccountAndBoundTokenWithNoSecretTokens: the default account and the projected kube-api-access volume', () => {
    const out = admit(pod({ containers: [{ name: 'c' }] }));
    expect(out.spec.serviceAccountName).toBe('default');
    expect(out.spec.volumes).toHaveLength(1);
    const v = out.spec.volumes![0];
    expect(v.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    // The exact sources of upstream's expectedVolumes (without the fork-only service-ca.crt).
    expect(v.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    expect(mounts(out.spec.containers[0])).toEqual([{ name: v.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  });

  it('names the volume from the injected RNG: the same seed, the same name; another seed, another', () => {
    const a = admit(pod({ containers: [{ name: 'c' }] }), undefined, 7).spec.volumes![0].name;
    expect(admit(pod({ containers: [{ name: 'c' }] }), undefined, 7).spec.volumes![0].name).toBe(a);
    expect(admit(pod({ containers: [{ name: 'c' }] }), undefined, 8).spec.volumes![0].name).not.toBe(a);
    expect(generateName('kube-api-access-', rngFromSeed(7))).toBe(a);
  });

  const automountCases: { ref: string; podPref?: boolean; saPref?: boolean; want: boolean }[] = [
    { ref: 'shouldAutomount/neither set: mount (backwards compatible)', want: true },
    { ref: 'shouldAutomount/service account opts out', saPref: false, want: false },
    { ref: 'shouldAutomount/pod opts in over the account', podPref: true, saPref: false, want: true },
    { ref: 'shouldAutomount/pod opts out over the account', podPref: false, saPref: true, want: false },
  ];
  it.each(automountCases)('$ref', ({ podPref, saPref, want }) => {
    const p = pod({ containers: [{ name: 'c' }], ...(podPref === undefined ? {} : { automountServiceAccountToken: podPref }) });
    const account = sa(saPref === undefined ? {} : { automountServiceAccountToken: saPref });
    expect(shouldAutomount(account, p)).toBe(want);
    const out = admit(p, [account]);
    expect((out.spec.volumes ?? []).length).toBe(want ? 1 : 0);
    expect(mounts(out.spec.containers[0]).length).toBe(want ? 1 : 0);
  });

  it('TestAutomountsAPIToken: init containers get the mount too, and the volume once', () => {
    const out = admit(pod({ initContainers: [{ name: 'init' }], containers: [{ name: 'a' }, { name: 'b' }] }));
    expect(out.spec.volumes).toHaveLength(1);
    for (const c of [...out.spec.initContainers!, ...out.spec.containers]) expect(mounts(c).map((m) => m.name)).toEqual([out.spec.volumes![0].name]);
  });

  it('TestRespectsExistingMount: a container with its own mount at the path keeps it, and no volume is added', () => {
    const own = { name: 'my-custom-mount', readOnly: false, mountPath: DefaultAPITokenMountPath };
    const out = admit(pod({ containers: [{ name: 'c', volumeMounts: [own] }] }));
    expect(out.spec.serviceAccountName).toBe('default');
    expect(out.spec.volumes ?? []).toHaveLength(0);
    expect(mounts(out.spec.containers[0])).toEqual([own]);
  });

  it('admitting twice adds nothing (the kube-api-access-* volume is found and reused)', () => {
    const once = admit(pod({ containers: [{ name: 'c' }] }));
    expect(admit(once, undefined, 99)).toEqual(once);
  });

  it('TestDeniesInvalidServiceAccount: a missing account is 403 with upstream\'s message', () => {
    expect(forbidden(() => admit(pod({ containers: [{ name: 'c' }] }), []))).toBe('pods "myname" is forbidden: error looking up service account myns/default: serviceaccount "default" not found');
    expect(forbidden(() => admit(pod({ serviceAccountName: 'robot', containers: [{ name: 'c' }] })))).toBe('pods "myname" is forbidden: error looking up service account myns/robot: serviceaccount "robot" not found');
  });

  it('TestAddImagePullSecrets / TestDoNotAddImagePullSecrets: the account\'s pull secrets only when the pod has none', () => {
    const account = sa({ imagePullSecrets: [{ name: 'foo' }, { name: 'bar' }] });
    expect(admit(pod({ containers: [{ name: 'c' }] }), [account]).spec.imagePullSecrets).toEqual([{ name: 'foo' }, { name: 'bar' }]);
    expect(admit(pod({ containers: [{ name: 'c' }], imagePullSecrets: [{ name: 'foo' }] }), [account]).spec.imagePullSecrets).toEqual([{ name: 'foo' }]);
    expect(account.imagePullSecrets).toEqual([{ name: 'foo' }, { name: 'bar' }]);
  });

  const mirrorCases: { ref: string; spec: Partial<Pod['spec']>; err?: string }[] = [
    { ref: 'TestIgnoresMirrorPod', spec: { volumes: [{ name: 'v' }] } },
    { ref: 'TestRejectsMirrorPodWithServiceAccount', spec: { serviceAccountName: 'default' }, err: 'pods "myname" is forbidden: a mirror pod may not reference service accounts' },
    { ref: 'TestRejectsMirrorPodWithSecretVolumes', spec: { volumes: [{ name: 'v', secret: { secretName: 'mysecret' } }] }, err: 'pods "myname" is forbidden: a mirror pod may not reference secrets' },
    { ref: 'TestRejectsMirrorPodWithServiceAccountTokenVolumeProjections', spec: { volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }] }, err: 'pods "myname" is forbidden: a mirror pod may not use ServiceAccountToken volume projections' },
  ];
  it.each(mirrorCases)('$ref', ({ spec, err }) => {
    const p = pod(spec, { [MirrorPodAnnotationKey]: 'true' });
    if (err) expect(forbidden(() => admit(p, []))).toBe(err);
    else expect(admit(p, [])).toEqual(p);
  });

  it('leaves the caller\'s pod untouched (it admits a copy)', () => {
    const p = pod({ containers: [{ name: 'c' }] });
    admit(p);
    expect(p.spec.volumes).toBeUndefined();
    expect(tokenVolumeSource().sources[0].serviceAccountToken?.expirationSeconds).toBe(3607);
  });
});
