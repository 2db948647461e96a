import { describe, expect, it } from 'vitest';
import { hexEncode } from '../../core/sha256';
import { parsePrivateKeyPem, parsePublicKeyPem, keyMatches } from '../../pki/keys';
import { opensslExt } from '../../pki/openssl';
import { caCertHash } from '../../pki/pubkeypin';
import { commonNameOf, organizationOf, parseCertsPem, verifyCertificate } from '../../pki/x509';
import { createKubeConfigFiles, createPKIAssets } from './certs';
import { getDefaultCertList } from './certlist';
import { MemoryFiles } from './files';
import { INIT_MS, testConfig, testEnv } from './testing';

const PKI = '/etc/kubernetes/pki';
const cert = (files: MemoryFiles, base: string) => parseCertsPem(files.readFile(`${PKI}/${base}.crt`)!)[0];

describe('createPKIAssets (certs_test.go TestCreatePKIAssets, TestCreateCertificateChain)', () => {
  const env = testEnv();
  const files = new MemoryFiles();
  const result = createPKIAssets(testConfig(), env, files);

  it('writes every certificate and key kubeadm writes, keys private (0600), certificates readable (0644)', () => {
    expect(files.paths()).toEqual(
      [
        'apiserver-etcd-client.crt', 'apiserver-etcd-client.key', 'apiserver-kubelet-client.crt', 'apiserver-kubelet-client.key', 'apiserver.crt', 'apiserver.key',
        'ca.crt', 'ca.key', 'etcd/ca.crt', 'etcd/ca.key', 'etcd/healthcheck-client.crt', 'etcd/healthcheck-client.key', 'etcd/peer.crt', 'etcd/peer.key',
        'etcd/server.crt', 'etcd/server.key', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'front-proxy-client.crt', 'front-proxy-client.key', 'sa.key', 'sa.pub',
      ].map((p) => `${PKI}/${p}`),
    );
    for (const [path, { mode }] of files.files) expect(mode, path).toBe(path.endsWith('.crt') ? 0o644 : 0o600);
  });

  it('prints kubeadm\'s [certs] lines, with the SANs of the serving certificates', async () => {
    await expect(result.out.join('\n') + '\n').toMatchFileSnapshot('testdata/init-phase-certs.txt');
  });

  it('every leaf verifies against its own CA and no other; each key matches its certificate', () => {
    const list = getDefaultCertList();
    const byName = new Map(list.map((c) => [c.name, c]));
    for (const c of list) {
      const crt = cert(files, c.baseName);
      expect(keyMatches(parsePrivateKeyPem(files.readFile(`${PKI}/${c.baseName}.key`)!), crt.publicKey), c.name).toBe(true);
      if (!c.caName) {
        expect(crt.isCA && crt.keyUsage.includes('certSign'), c.name).toBe(true);
        continue;
      }
      expect(verifyCertificate(crt, cert(files, byName.get(c.caName)!.baseName), INIT_MS), c.name).toBeUndefined();
      for (const other of ['ca', 'front-proxy-ca', 'etcd/ca'].filter((b) => b !== byName.get(c.caName)!.baseName)) {
        expect(verifyCertificate(crt, cert(files, other), INIT_MS), `${c.name} vs ${other}`).toBe('x509: certificate signed by unknown authority');
      }
    }
  });

  it('subjects, validity and SANs as kubeadm makes them (TestGetAPIServerAltNames through the written file)', () => {
    const api = cert(files, 'apiserver');
    expect(commonNameOf(api.subject)).toBe('kube-apiserver');
    expect(api.notBeforeMs).toBe(INIT_MS - 5 * 60_000);
    expect(api.notAfterMs).toBe(INIT_MS + 365 * 24 * 3_600_000);
    expect(cert(files, 'ca').notAfterMs).toBe(INIT_MS + 3650 * 24 * 3_600_000);
    expect(opensslExt(api, ['subjectAltName']).stdout).toBe(
      'X509v3 Subject Alternative Name: \n    DNS:cp1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP Address:10.96.0.1, IP Address:10.0.0.10\n',
    );
    expect(cert(files, 'ca').dnsNames).toEqual(['kubernetes']);
    expect(organizationOf(cert(files, 'apiserver-kubelet-client').subject)).toEqual(['kubeadm:cluster-admins']);
    expect(commonNameOf(cert(files, 'etcd/peer').subject)).toBe('cp1');
  });

  it('sa.key and sa.pub are one key pair, with no certificate (TestCreateServiceAccountKeyAndPublicKeyFiles)', () => {
    expect(keyMatches(parsePrivateKeyPem(files.readFile(`${PKI}/sa.key`)!), parsePublicKeyPem(files.readFile(`${PKI}/sa.pub`)!))).toBe(true);
    expect(files.readFile(`${PKI}/sa.crt`)).toBeUndefined();
  });

  it('records a trace event per file written', () => {
    expect(env.trace.ofType('kubeadm.certs.write').map((e) => e.path)).toEqual(result.written);
  });

  it('the same seed writes the same bytes; another seed another CA hash', () => {
    const again = new MemoryFiles();
    createPKIAssets(testConfig(), testEnv(), again);
    for (const p of files.paths()) expect(again.readFile(p), p).toBe(files.readFile(p));
    const other = new MemoryFiles();
    createPKIAssets(testConfig(), testEnv(2), other);
    expect(caCertHash(cert(other, 'ca'))).not.toBe(caCertHash(cert(files, 'ca')));
  });

  it('an existing CA is reused: same CA hash, new leaves signed by it (TestSharedCertificateExists / user-provided CA)', () => {
    const second = new MemoryFiles();
    for (const base of ['ca', 'front-proxy-ca', 'etcd/ca']) {
      second.writeFile(`${PKI}/${base}.crt`, files.readFile(`${PKI}/${base}.crt`)!, 0o644);
      second.writeFile(`${PKI}/${base}.key`, files.readFile(`${PKI}/${base}.key`)!, 0o600);
    }
    const out = createPKIAssets(testConfig({ nodeRegistration: { name: 'cp2' }, localAPIEndpoint: { advertiseAddress: '10.0.0.11' } }), testEnv(9), second).out;
    expect(out[0]).toBe('[certs] Using the existing "ca" certificate and key');
    expect(caCertHash(cert(second, 'ca'))).toBe(caCertHash(cert(files, 'ca')));
    expect(verifyCertificate(cert(second, 'apiserver'), cert(files, 'ca'), INIT_MS)).toBeUndefined();
    expect(hexEncode(cert(second, 'apiserver').raw)).not.toBe(hexEncode(cert(files, 'apiserver').raw));
    expect(cert(second, 'etcd/server').dnsNames).toEqual(['cp2', 'localhost']);
  });

  it('external etcd: no etcd CA or etcd certificates (TestCreatePKIAssets external etcd case)', () => {
    const ext = new MemoryFiles();
    createPKIAssets(testConfig({ etcd: { external: {} } }), testEnv(), ext);
    expect(ext.paths().filter((p) => p.includes('etcd'))).toEqual([]);
  });

  it('a CA file that is not a CA is refused', () => {
    const bad = new MemoryFiles();
    bad.writeFile(`${PKI}/ca.crt`, files.readFile(`${PKI}/apiserver.crt`)!, 0o644);
    bad.writeFile(`${PKI}/ca.key`, files.readFile(`${PKI}/apiserver.key`)!, 0o600);
    expect(() => createPKIAssets(testConfig(), testEnv(), bad)).toThrow('certificate "ca" is not a CA');
  });

  it('kubeconfig files need the CA first', () => {
    expect(() => createKubeConfigFiles(testConfig(), testEnv(), new MemoryFiles())).toThrow('the CA files do not exist, please run `kubeadm init phase certs ca` to generate it');
  });
});

describe('trace events', () => {
  it('each event reads as a line and links to the upstream function (catalogs.ts)', async () => {
    const { eventText, eventSource } = await import('../../catalogs');
    const env = testEnv();
    createPKIAssets(testConfig(), env, new MemoryFiles());
    const first = env.trace.ofType('kubeadm.certs.write')[0];
    expect(eventText(first)).toBe('wrote /etc/kubernetes/pki/ca.key');
    expect(eventText(env.trace.ofType('kubeadm.certs.write')[1])).toBe('wrote /etc/kubernetes/pki/ca.crt (kubernetes)');
    expect(eventSource(first)?.href).toBe('https://github.com/kubernetes/kubernetes/blob/v1.34.0/cmd/kubeadm/app/phases/certs/certs.go');
  });
});
