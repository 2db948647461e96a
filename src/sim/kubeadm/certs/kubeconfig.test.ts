import { describe, expect, it } from 'vitest';
import { keyMatches } from '../../pki/keys';
import { commonNameOf, organizationOf, parseCertsPem, verifyCertificate } from '../../pki/x509';
import { createKubeConfigFiles, createPKIAssets } from './certs';
import { defaultPkiConfiguration } from './config';
import { MemoryFiles } from './files';
import { getControlPlaneEndpoint, getKubeConfigSpecs, kubeConfigClientCert, kubeConfigClientKey, readKubeConfig } from './kubeconfig';
import { INIT_MS, testConfig, testEnv } from './testing';

describe('kubeconfig specs (kubeconfig_test.go TestGetKubeConfigSpecs)', () => {
  it('users, groups and servers of the five files; HA goes through the control-plane endpoint except for the controller-manager and scheduler', () => {
    const specs = getKubeConfigSpecs(defaultPkiConfiguration(testConfig({ controlPlaneEndpoint: 'lb.k8s.local:8443' })));
    expect(specs.map((s) => [s.fileName, s.clientName, s.organizations.join(','), s.apiServer])).toEqual([
      ['admin.conf', 'kubernetes-admin', 'kubeadm:cluster-admins', 'https://lb.k8s.local:8443'],
      ['super-admin.conf', 'kubernetes-super-admin', 'system:masters', 'https://lb.k8s.local:8443'],
      ['kubelet.conf', 'system:node:cp1', 'system:nodes', 'https://lb.k8s.local:8443'],
      ['controller-manager.conf', 'system:kube-controller-manager', '', 'https://10.0.0.10:6443'],
      ['scheduler.conf', 'system:kube-scheduler', '', 'https://10.0.0.10:6443'],
    ]);
  });

  const endpoints: Array<[string, Parameters<typeof testConfig>[0], string]> = [
    ['TestGetControlPlaneEndpoint: no endpoint uses the advertise address', {}, 'https://10.0.0.10:6443'],
    ['endpoint without a port takes the bind port', { controlPlaneEndpoint: 'lb.local', localAPIEndpoint: { advertiseAddress: '10.0.0.10', bindPort: 1234 } }, 'https://lb.local:1234'],
    ['IPv6 advertise address is bracketed', { localAPIEndpoint: { advertiseAddress: 'fd00::10' } }, 'https://[fd00::10]:6443'],
  ];
  for (const [ref, over, want] of endpoints) it(ref, () => expect(getControlPlaneEndpoint(defaultPkiConfiguration(testConfig(over)))).toBe(want));
});

describe('written kubeconfig files (TestBuildKubeConfigFromSpecWithClientAuth, TestCreateKubeConfigFileIfNotExists)', () => {
  const env = testEnv();
  const files = new MemoryFiles();
  createPKIAssets(testConfig(), env, files);
  const result = createKubeConfigFiles(testConfig(), env, files);
  const ca = parseCertsPem(files.readFile('/etc/kubernetes/pki/ca.crt')!)[0];

  it('prints the [kubeconfig] lines in kubeadm\'s order', () => {
    expect(result.out).toEqual(['admin.conf', 'super-admin.conf', 'kubelet.conf', 'controller-manager.conf', 'scheduler.conf'].map((f) => `[kubeconfig] Writing "${f}" kubeconfig file`));
  });

  it('admin.conf: the YAML layout clientcmd writes, the CA, and a client certificate for kubernetes-admin in kubeadm:cluster-admins', () => {
    const text = files.readFile('/etc/kubernetes/admin.conf')!;
    const shape = text.replace(/(-data: )\S+/g, '$1...');
    expect(shape).toBe(
      [
        'apiVersion: v1', 'clusters:', '- cluster:', '    certificate-authority-data: ...', '    server: https://10.0.0.10:6443', '  name: kubernetes', 'contexts:', '- context:',
        '    cluster: kubernetes', '    user: kubernetes-admin', '  name: kubernetes-admin@kubernetes', 'current-context: kubernetes-admin@kubernetes', 'kind: Config', 'users:',
        '- name: kubernetes-admin', '  user:', '    client-certificate-data: ...', '    client-key-data: ...', '',
      ].join('\n'),
    );
    const k = readKubeConfig(text);
    expect(k.caCertPem).toBe(files.readFile('/etc/kubernetes/pki/ca.crt'));
    const client = kubeConfigClientCert(text);
    expect(commonNameOf(client.subject)).toBe('kubernetes-admin');
    expect(organizationOf(client.subject)).toEqual(['kubeadm:cluster-admins']);
    expect(client.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(verifyCertificate(client, ca, INIT_MS)).toBeUndefined();
    expect(keyMatches(kubeConfigClientKey(text), client.publicKey)).toBe(true);
  });

  it('super-admin.conf is the only one in system:masters; kubelet.conf names the node', () => {
    expect(organizationOf(kubeConfigClientCert(files.readFile('/etc/kubernetes/super-admin.conf')!).subject)).toEqual(['system:masters']);
    const kubelet = kubeConfigClientCert(files.readFile('/etc/kubernetes/kubelet.conf')!);
    expect([commonNameOf(kubelet.subject), organizationOf(kubelet.subject)]).toEqual(['system:node:cp1', ['system:nodes']]);
    expect(organizationOf(kubeConfigClientCert(files.readFile('/etc/kubernetes/scheduler.conf')!).subject)).toEqual([]);
  });

  it('an existing file is kept, not rewritten', () => {
    const before = files.readFile('/etc/kubernetes/admin.conf');
    const again = createKubeConfigFiles(testConfig(), testEnv(5), files);
    expect(again.out[0]).toBe('[kubeconfig] Using existing kubeconfig file: "/etc/kubernetes/admin.conf"');
    expect(files.readFile('/etc/kubernetes/admin.conf')).toBe(before);
  });

  it('a kubeconfig without a current context is an error', () => {
    expect(() => readKubeConfig('apiVersion: v1\nkind: Config\n')).toThrow('invalid kubeconfig: no current context');
  });
});
