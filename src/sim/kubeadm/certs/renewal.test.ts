import { describe, expect, it } from 'vitest';
import { caCertHash } from '../../pki/pubkeypin';
import { hexEncode } from '../../core/sha256';
import { parseCertsPem, verifyCertificate } from '../../pki/x509';
import { createKubeConfigFiles, createPKIAssets } from './certs';
import { MemoryFiles } from './files';
import { kubeConfigClientCert } from './kubeconfig';
import { checkExpiration, Manager, renew, shortHumanDuration } from './renewal';
import { DAY_MS, INIT_MS, testConfig, testEnv } from './testing';

const PKI = '/etc/kubernetes/pki';

function initCluster(seed: number | string = 1) {
  const env = testEnv(seed);
  const files = new MemoryFiles();
  createPKIAssets(testConfig(), env, files);
  createKubeConfigFiles(testConfig(), env, files);
  return { env, files, rm: new Manager(testConfig(), files) };
}

describe('ShortHumanDuration (apimachinery duration_test.go TestShortHumanDuration)', () => {
  const cases: Array<[number, string]> = [
    [-2000, '<invalid>'],
    [-1000, '0s'],
    [0, '0s'],
    [59_000, '59s'],
    [60_000, '1m'],
    [3_599_000, '59m'],
    [3_600_000, '1h'],
    [23 * 3_600_000, '23h'],
    [24 * 3_600_000, '1d'],
    [364 * DAY_MS, '364d'],
    [365 * DAY_MS, '1y'],
    [3650 * DAY_MS - 366 * DAY_MS, '8y'],
  ];
  for (const [ms, want] of cases) it(`${ms} ms -> ${want}`, () => expect(shortHumanDuration(ms)).toBe(want));
});

describe('renewal manager (manager_test.go TestNewManager, TestRenewUsingLocalCA, TestCertToConfig)', () => {
  it('TestNewManager: the certificates kubeadm can renew, sorted by name; kubelet.conf is not one of them', () => {
    const { rm } = initCluster();
    expect(rm.certificates.map((h) => h.name)).toEqual([
      'admin.conf', 'apiserver', 'apiserver-etcd-client', 'apiserver-kubelet-client', 'controller-manager.conf', 'etcd-healthcheck-client',
      'etcd-peer', 'etcd-server', 'front-proxy-client', 'scheduler.conf', 'super-admin.conf',
    ]);
    expect(rm.cas.map((h) => h.name)).toEqual(['ca', 'etcd-ca', 'front-proxy-ca']);
  });

  it('TestRenewUsingLocalCA / TestCertToConfig: same subject, SANs and usages, a new key, valid from now; the CA is untouched', () => {
    const { env, files, rm } = initCluster();
    const before = parseCertsPem(files.readFile(`${PKI}/apiserver.crt`)!)[0];
    const caBefore = files.readFile(`${PKI}/ca.crt`);
    env.clock.setTime(INIT_MS + 100 * DAY_MS);
    expect(renew(rm, 'apiserver', env)).toEqual(['certificate for serving the Kubernetes API renewed']);
    const after = parseCertsPem(files.readFile(`${PKI}/apiserver.crt`)!)[0];
    expect([after.subject, after.dnsNames, after.ipAddresses, after.extKeyUsage]).toEqual([before.subject, before.dnsNames, before.ipAddresses, before.extKeyUsage]);
    expect(hexEncode(after.publicKey.modulus)).not.toBe(hexEncode(before.publicKey.modulus));
    expect(after.notBeforeMs).toBe(env.clock.now() - 5 * 60_000);
    expect(after.notAfterMs).toBe(env.clock.now() + 365 * DAY_MS);
    expect(files.readFile(`${PKI}/ca.crt`)).toBe(caBefore);
    expect(env.trace.ofType('kubeadm.certs.renew').map((e) => e.name)).toEqual(['apiserver']);
  });

  it('an unknown name is refused with kubeadm\'s message', () => {
    const { env, rm } = initCluster();
    expect(() => renew(rm, 'kubelet.conf', env)).toThrow('kubelet.conf is not a valid certificate for this cluster');
  });

  it('an external CA (certificate without its key): EXTERNALLY MANAGED yes, and its certificates are not renewed', () => {
    const { env, files, rm } = initCluster();
    files.files.delete(`${PKI}/front-proxy-ca.key`);
    expect(renew(rm, 'front-proxy-client', env)).toEqual(["Detected external front-proxy-ca, certificate for the front proxy client can't be renewed"]);
    expect(checkExpiration(rm, INIT_MS)).toMatch(/front-proxy-client {3}.* front-proxy-ca {10}yes/);
  });

  it('a missing file is reported, not fatal', () => {
    const { env, files, rm } = initCluster();
    files.files.delete('/etc/kubernetes/scheduler.conf');
    expect(renew(rm, 'scheduler.conf', env)).toEqual(['MISSING! certificate embedded in the kubeconfig file for the scheduler manager to use']);
    expect(checkExpiration(rm, INIT_MS)).toContain('!MISSING! scheduler.conf');
  });
});

describe('a cluster a year old (the cert-expiry scenario)', () => {
  it('at init + 366 days every certificate shows <invalid>; after `renew all` all are valid for a year, signed by the same CAs, which keep ~9 years', async () => {
    const { env, files, rm } = initCluster();
    const caHash = caCertHash(parseCertsPem(files.readFile(`${PKI}/ca.crt`)!)[0]);
    const transcript: string[] = ['$ kubeadm certs check-expiration   # a minute after init', checkExpiration(rm, INIT_MS + 60_000)];
    env.clock.setTime(INIT_MS + 366 * DAY_MS);
    const expired = checkExpiration(rm, env.clock.now());
    transcript.push('$ kubeadm certs check-expiration   # 366 days later', expired);
    expect(expired.split('\n').slice(1, 12).every((l) => l.includes('<invalid>'))).toBe(true);
    const apiserver = parseCertsPem(files.readFile(`${PKI}/apiserver.crt`)!)[0];
    const ca = parseCertsPem(files.readFile(`${PKI}/ca.crt`)!)[0];
    expect(verifyCertificate(apiserver, ca, env.clock.now())).toBe('x509: certificate has expired or is not yet valid: current time 2027-12-06T10:00:00Z is after 2027-12-05T10:00:00Z');

    transcript.push('$ kubeadm certs renew all', renew(rm, 'all', env).join('\n'), '$ kubeadm certs check-expiration', checkExpiration(rm, env.clock.now()));
    await expect(transcript.join('\n')).toMatchFileSnapshot('testdata/cert-expiry-scenario.txt');

    for (const h of rm.certificates) {
      const c = rm.read(h)!;
      const issuer = parseCertsPem(files.readFile(`${PKI}/${h.caBaseName}.crt`)!)[0];
      expect(verifyCertificate(c, issuer, env.clock.now()), h.name).toBeUndefined();
    }
    expect(caCertHash(parseCertsPem(files.readFile(`${PKI}/ca.crt`)!)[0])).toBe(caHash);
    // kubelet.conf is the kubelet's to rotate: renew all leaves it expired.
    expect(kubeConfigClientCert(files.readFile('/etc/kubernetes/kubelet.conf')!).notAfterMs).toBe(INIT_MS + 365 * DAY_MS);
  });
});

describe('renewal invariants over random schedules (property)', () => {
  it('a renewed certificate is valid at renewal time (while its CA is), keeps its subject and SANs, is signed by the unchanged CA; others are untouched', async () => {
    const fc = (await import('fast-check')).default;
    const { env, files, rm } = initCluster('prop');
    const names = rm.certificates.map((h) => h.name);
    const caFiles = ['ca', 'front-proxy-ca', 'etcd/ca'].flatMap((b) => [`${PKI}/${b}.crt`, `${PKI}/${b}.key`]);
    const caBytes = caFiles.map((p) => files.readFile(p));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.constantFrom(...names, 'all')), { minLength: 1, maxLength: 3 }), (steps) => {
        for (const [days, which] of steps) {
          env.clock.step(days * DAY_MS);
          const before = new Map(rm.certificates.map((h) => [h.name, rm.read(h)!]));
          renew(rm, which, env);
          for (const h of rm.certificates) {
            const now = rm.read(h)!;
            const was = before.get(h.name)!;
            expect([now.subject, now.dnsNames, now.ipAddresses, now.extKeyUsage], h.name).toEqual([was.subject, was.dnsNames, was.ipAddresses, was.extKeyUsage]);
            if (which === 'all' || which === h.name) {
              const issuer = parseCertsPem(files.readFile(`${PKI}/${h.caBaseName}.crt`)!)[0];
              // Past the CA's ten years, kubeadm still renews (it only warns), but nothing verifies.
              const want = env.clock.now() <= issuer.notAfterMs ? undefined : expect.stringMatching(/^x509: certificate has expired or is not yet valid: current time .* is after 2036-12-02T10:00:00Z$/);
              expect(verifyCertificate(now, issuer, env.clock.now()), h.name).toEqual(want);
            } else {
              expect(hexEncode(now.raw), h.name).toBe(hexEncode(was.raw));
            }
          }
        }
        expect(caFiles.map((p) => files.readFile(p))).toEqual(caBytes);
      }),
      { numRuns: 10 },
    );
  });

  it('the same seed and schedule give the same transcript, byte for byte', () => {
    const run = () => {
      const { env, rm } = initCluster(42);
      env.clock.step(200 * DAY_MS);
      renew(rm, 'apiserver', env);
      env.clock.step(200 * DAY_MS);
      return checkExpiration(rm, env.clock.now()) + renew(rm, 'all', env).join('\n') + checkExpiration(rm, env.clock.now());
    };
    expect(run()).toBe(run());
  });
});
