// Follows kubernetes pkg/kubelet/kubelet_pods_test.go (TestNodeHostsFileContent,
// TestManagedHostsFileContent), whose tables are indexed; refs name the case by its index or
// hostsFileName.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { generatePodHostNameAndDomain, managedHostsFileContent, nodeHostsFileContent, nodenameForKernel, podHostsFile, truncatePodHostnameIfNeeded } from './hosts';

const localLines = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
const file1 = `# hosts file for testing.\n${localLines}123.45.67.89\tsome.domain\n`;
const file2 = `# another hosts file for testing.\n${localLines}12.34.56.78\tanother.domain\n`;
const fooBarBaz = { ip: '123.45.67.89', hostnames: ['foo', 'bar', 'baz'] };
const parkDooBoo = { ip: '456.78.90.123', hostnames: ['park', 'doo', 'boo'] };

describe('nodeHostsFileContent', () => {
  const cases = [
    { hostsFileName: 'hosts_test_file1', hostAliases: [], raw: file1, expected: `# Kubernetes-managed hosts file (host network).\n${file1}` },
    { hostsFileName: 'hosts_test_file2', hostAliases: [], raw: file2, expected: `# Kubernetes-managed hosts file (host network).\n${file2}` },
    { hostsFileName: 'hosts_test_file1_with_host_aliases', hostAliases: [fooBarBaz], raw: file1, expected: `# Kubernetes-managed hosts file (host network).\n${file1}\n# Entries added by HostAliases.\n123.45.67.89\tfoo\tbar\tbaz\n` },
    {
      hostsFileName: 'hosts_test_file2_with_host_aliases',
      hostAliases: [fooBarBaz, parkDooBoo],
      raw: file2,
      expected: `# Kubernetes-managed hosts file (host network).\n${file2}\n# Entries added by HostAliases.\n123.45.67.89\tfoo\tbar\tbaz\n456.78.90.123\tpark\tdoo\tboo\n`,
    },
  ];
  for (const tc of cases) {
    it(`${tc.hostsFileName} [ref: TestNodeHostsFileContent/${tc.hostsFileName}]`, () => {
      expect(nodeHostsFileContent(tc.raw, tc.hostAliases)).toBe(tc.expected);
    });
  }
});

describe('managedHostsFileContent', () => {
  const head = `# Kubernetes-managed hosts file.\n${localLines}`;
  const cases = [
    { hostIPs: ['123.45.67.89'], hostName: 'podFoo', hostDomainName: '', hostAliases: [], expected: `${head}123.45.67.89\tpodFoo\n` },
    { hostIPs: ['203.0.113.1'], hostName: 'podFoo', hostDomainName: 'domainFoo', hostAliases: [], expected: `${head}203.0.113.1\tpodFoo.domainFoo\tpodFoo\n` },
    { hostIPs: ['203.0.113.1'], hostName: 'podFoo', hostDomainName: 'domainFoo', hostAliases: [fooBarBaz], expected: `${head}203.0.113.1\tpodFoo.domainFoo\tpodFoo\n\n# Entries added by HostAliases.\n123.45.67.89\tfoo\tbar\tbaz\n` },
    {
      hostIPs: ['203.0.113.1'],
      hostName: 'podFoo',
      hostDomainName: 'domainFoo',
      hostAliases: [fooBarBaz, parkDooBoo],
      expected: `${head}203.0.113.1\tpodFoo.domainFoo\tpodFoo\n\n# Entries added by HostAliases.\n123.45.67.89\tfoo\tbar\tbaz\n456.78.90.123\tpark\tdoo\tboo\n`,
    },
    { hostIPs: ['203.0.113.1', 'fd00::6'], hostName: 'podFoo', hostDomainName: 'domainFoo', hostAliases: [], expected: `${head}203.0.113.1\tpodFoo.domainFoo\tpodFoo\nfd00::6\tpodFoo.domainFoo\tpodFoo\n` },
  ];
  cases.forEach((tc, i) => {
    it(`case [${i}] [ref: TestManagedHostsFileContent[${i}]]`, () => {
      expect(managedHostsFileContent(tc.hostIPs, tc.hostName, tc.hostDomainName, tc.hostAliases)).toBe(tc.expected);
    });
  });
});

describe('the /etc/hosts of a pod', () => {
  const pod = (spec: Partial<Pod['spec']>, name = 'web-0'): Pod => ({ metadata: { name, namespace: 'default' }, spec: { containers: [], ...spec }, status: { podIP: '10.244.1.20', podIPs: [{ ip: '10.244.1.20' }] } });

  it('names a StatefulSet pod under its headless service (hostname + subdomain)', () => {
    expect(podHostsFile(pod({ hostname: 'web-0', subdomain: 'nginx' }))).toBe(
      `# Kubernetes-managed hosts file.\n${localLines}10.244.1.20\tweb-0.nginx.default.svc.cluster.local\tweb-0\n`,
    );
  });

  it('copies the node file for a host-network pod, aliases appended', () => {
    expect(podHostsFile(pod({ hostNetwork: true, hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }] }), { nodeHostsFile: '127.0.0.1\tlocalhost\n192.168.49.2\tnode-1\n' })).toBe(
      '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n192.168.49.2\tnode-1\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n',
    );
  });

  it('is not mounted before the pod has an IP', () => {
    expect(podHostsFile({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } })).toBeUndefined();
  });

  it('truncates a long pod name to 63 characters without a trailing dash [ref: TestTruncatePodHostname]', () => {
    expect(truncatePodHostnameIfNeeded('p', 'a'.repeat(62) + '-bc')).toBe('a'.repeat(62));
    expect(truncatePodHostnameIfNeeded('p', 'short')).toBe('short');
  });

  it('rejects a hostname that is not a DNS label (GeneratePodHostNameAndDomain)', () => {
    expect(() => generatePodHostNameAndDomain(pod({ hostname: 'Web_0' }), 'cluster.local')).toThrow(/^pod Hostname "Web_0" is not a valid DNS label: a lowercase RFC 1123 label must consist of/);
  });

  it('makes the kernel hostname the FQDN only with setHostnameAsFQDN, and refuses one over 64 characters [ref: pkg/kubelet/util TestGetNodenameForKernel]', () => {
    expect(nodenameForKernel('web-0', 'nginx.default.svc.cluster.local', true)).toBe('web-0.nginx.default.svc.cluster.local');
    expect(nodenameForKernel('web-0', 'nginx.default.svc.cluster.local', false)).toBe('web-0');
    expect(() => nodenameForKernel('a'.repeat(40), 'nginx.default.svc.cluster.local', true)).toThrow(
      `failed to construct FQDN from pod hostname and cluster domain, FQDN ${'a'.repeat(40)}.nginx.default.svc.cluster.local is too long (64 characters is the max, 72 characters requested)`,
    );
  });
});
