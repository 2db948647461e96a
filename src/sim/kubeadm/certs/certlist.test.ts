import { describe, expect, it } from 'vitest';
import { certTree, getCertsWithoutEtcd, getDefaultCertList } from './certlist';
import { defaultPkiConfiguration } from './config';
import { getAPIServerAltNames, getAPIServerVirtualIP, getEtcdAltNames } from './pkiutil';
import { testConfig } from './testing';

describe('certlist (certlist_test.go)', () => {
  it('TestCertListOrder: every CA comes before the certificates it signs', () => {
    for (const list of [getDefaultCertList(), getCertsWithoutEtcd()]) {
      const seen = new Set<string>();
      for (const c of list) {
        if (c.caName) expect(seen.has(c.caName)).toBe(true);
        seen.add(c.name);
      }
    }
  });

  it('TestCAPointersValid / TestMakeCertTree: three CAs sign seven certificates', () => {
    const tree = certTree(getDefaultCertList());
    expect([...tree].map(([ca, leaves]) => [ca.name, leaves.map((l) => l.name)])).toEqual([
      ['ca', ['apiserver', 'apiserver-kubelet-client']],
      ['front-proxy-ca', ['front-proxy-client']],
      ['etcd-ca', ['etcd-server', 'etcd-peer', 'etcd-healthcheck-client', 'apiserver-etcd-client']],
    ]);
    expect(() => certTree([{ ...getDefaultCertList()[1], caName: 'nope' }])).toThrow('certificate "apiserver" references unknown CA "nope"');
  });

  it('GetCertsWithoutEtcd: external etcd means no etcd CA and no etcd certificates', () => {
    expect(getCertsWithoutEtcd().map((c) => c.baseName)).toEqual(['ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-ca', 'front-proxy-client']);
  });

  it('subjects and usages of each certificate (certlist.go definitions)', () => {
    const cfg = defaultPkiConfiguration(testConfig());
    const rows = getDefaultCertList().map((c) => {
      const k = c.config(cfg);
      return [c.baseName, k.commonName, (k.organization ?? []).join(','), (k.usages ?? []).join(',')];
    });
    expect(rows).toEqual([
      ['ca', 'kubernetes', '', ''],
      ['apiserver', 'kube-apiserver', '', 'serverAuth'],
      ['apiserver-kubelet-client', 'kube-apiserver-kubelet-client', 'kubeadm:cluster-admins', 'clientAuth'],
      ['front-proxy-ca', 'front-proxy-ca', '', ''],
      ['front-proxy-client', 'front-proxy-client', '', 'clientAuth'],
      ['etcd/ca', 'etcd-ca', '', ''],
      ['etcd/server', 'cp1', '', 'serverAuth,clientAuth'],
      ['etcd/peer', 'cp1', '', 'serverAuth,clientAuth'],
      ['etcd/healthcheck-client', 'kube-etcd-healthcheck-client', '', 'clientAuth'],
      ['apiserver-etcd-client', 'kube-apiserver-etcd-client', '', 'clientAuth'],
    ]);
  });
});

describe('alt names (pki_helpers_test.go)', () => {
  const cases = [
    {
      ref: 'TestGetAPIServerAltNames: controlPlaneEndpoint as a DNS name',
      cfg: testConfig({ controlPlaneEndpoint: 'api.k8s.io:6443', apiServer: { certSANs: ['10.1.245.94', '10.1.245.95', '1.2.3.L', 'invalid,commas,in,DNS', '*.wildcard.k8s.io'] } }),
      dns: ['cp1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'api.k8s.io', '*.wildcard.k8s.io'],
      ips: ['10.96.0.1', '10.0.0.10', '10.1.245.94', '10.1.245.95'],
      warnings: [
        `[certificates] WARNING: '1.2.3.L' was not added to the 'apiserver' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry`,
        `[certificates] WARNING: 'invalid,commas,in,DNS' was not added to the 'apiserver' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry`],
    },
    {
      ref: 'TestGetAPIServerAltNames: controlPlaneEndpoint as an IP, custom service subnet and DNS domain',
      cfg: testConfig({ controlPlaneEndpoint: '4.5.6.7:3456', networking: { serviceSubnet: '10.112.0.0/12', dnsDomain: 'corp.local' } }),
      dns: ['cp1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.corp.local'],
      ips: ['10.112.0.1', '10.0.0.10', '4.5.6.7'],
      warnings: [],
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const warnings: string[] = [];
      const alt = getAPIServerAltNames(defaultPkiConfiguration(c.cfg), (l) => warnings.push(l));
      expect(alt.dnsNames).toEqual(c.dns);
      expect(alt.ips).toEqual(c.ips);
      expect(warnings).toEqual(c.warnings);
    });
  }

  it('TestGetEtcdAltNames / TestGetEtcdPeerAltNames: node name, localhost, the advertise address, both loopbacks, plus the configured SANs', () => {
    const cfg = defaultPkiConfiguration(testConfig({ etcd: { local: { serverCertSANs: ['etcd.local', '10.0.0.5'], peerCertSANs: ['peer.local'] } } }));
    expect(getEtcdAltNames(cfg, 'etcd/server')).toEqual({ dnsNames: ['cp1', 'localhost', 'etcd.local'], ips: ['10.0.0.10', '127.0.0.1', '::1', '10.0.0.5'] });
    expect(getEtcdAltNames(cfg, 'etcd/peer')).toEqual({ dnsNames: ['cp1', 'localhost', 'peer.local'], ips: ['10.0.0.10', '127.0.0.1', '::1'] });
  });

  it('bad input gets kubeadm\'s messages', () => {
    expect(() => getAPIServerAltNames(defaultPkiConfiguration(testConfig({ localAPIEndpoint: { advertiseAddress: '1.2.3' } })))).toThrow(
      'error parsing LocalAPIEndpoint AdvertiseAddress 1.2.3: is not a valid textual representation of an IP address',
    );
    expect(() => getAPIServerVirtualIP('10.96.0.0')).toThrow('unable to get first IP address from the given CIDR: 10.96.0.0');
    expect(getAPIServerVirtualIP('10.96.0.0/12,fd00::/108')).toBe('10.96.0.1');
  });
});
