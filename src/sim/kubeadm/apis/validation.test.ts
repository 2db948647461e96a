import { describe, expect, it } from 'vitest';
import { newPath } from '../../apimachinery/field';
import { defaultedStaticInitConfiguration } from './print';
import type { ClusterConfiguration, Etcd, JoinConfiguration } from './types';
import {
  splitHostPortError,
  validateAPIEndpoint,
  validateBootstrapTokens,
  validateCertificateKey,
  validateCertSANs,
  validateClusterConfiguration,
  validateDiscovery,
  validateEncryptionAlgorithm,
  validateEtcd,
  validateExtraArgs,
  validateImagePullPolicy,
  validateInitConfiguration,
  validateIPNetFromString,
  validateJoinConfiguration,
  validateNetworking,
  validateNodeRegistrationOptions,
  validateSocketPath,
  validateToken,
} from './validation';

const p = newPath('f');
const msgs = (errs: Error[]) => errs.map((e) => e.message);

describe('validation (after cmd/kubeadm/app/apis/kubeadm/validation/validation_test.go)', () => {
  it.each([
    ['772ef5.6b6baab1d4a0a171', true],
    ['.6b6baab1d4a0a171', false],
    ['772ef5.', false],
    ['772ef5.6b6baab1d4a0a171ab', false],
    ['772EF5.6b6baab1d4a0a171', false],
  ])('TestValidateToken: %s -> %s', (token, ok) => {
    expect(validateToken(token, p).length === 0).toBe(ok);
  });

  it('TestValidateToken: the message', () => {
    expect(msgs(validateToken('abc', newPath('discovery', 'bootstrapToken', 'token')))).toEqual(['discovery.bootstrapToken.token: Invalid value: "abc": the bootstrap token is invalid']);
  });

  it('TestValidateValidateTokenUsages and TestValidateTokenGroups', () => {
    const errs = validateBootstrapTokens(
      [
        { token: 'abcdef.0123456789abcdef', usages: ['signing', 'foo'], groups: [] },
        { token: 'abcdef.0123456789abcdef', usages: ['signing'], groups: ['system:bootstrappers:x'] },
        { token: 'abcdef.0123456789abcdef', usages: ['authentication'], groups: ['admins'] },
        { token: 'abcdef.0123456789abcdef', ttl: '1h0m0s', expires: '2026-12-06T00:00:00Z', usages: ['signing'] },
      ],
      newPath('bootstrapTokens'),
    );
    expect(msgs(errs)).toEqual([
      'bootstrapTokens.0.usages: Invalid value: ["signing","foo"]: invalid bootstrap token usage string: foo, valid usage options: signing,authentication',
      'bootstrapTokens.1.groups: Invalid value: ["system:bootstrappers:x"]: token groups cannot be specified unless --usages includes "authentication"',
      'bootstrapTokens.2.groups: Invalid value: ["admins"]: bootstrap group "admins" is invalid (must match \\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)',
      'bootstrapTokens.3: Invalid value: "": the BootstrapToken .TTL and .Expires fields are mutually exclusive',
    ]);
  });

  it('TestValidateNodeRegistrationOptions', () => {
    const base = { criSocket: 'unix:///var/run/containerd/containerd.sock' };
    expect(validateNodeRegistrationOptions({ ...base, name: 'valid-nodename' }, newPath('nodeRegistration'))).toEqual([]);
    expect(msgs(validateNodeRegistrationOptions({ ...base, name: '' }, newPath('nodeRegistration')))[0]).toMatch(/^nodeRegistration: Required value: --node-name or .nodeRegistration.name in the config file is a required value/);
    expect(msgs(validateNodeRegistrationOptions({ ...base, name: 'INVALID-NODENAME' }, newPath('nodeRegistration')))).toEqual([
      `nodeRegistration.name: Invalid value: "INVALID-NODENAME": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });

  it.each([
    ['unix:///var/run/containerd/containerd.sock', []],
    ['', ['f: Invalid value: "": empty CRI socket']],
    ['npipe:////./pipe/containerd-containerd', ['f: Invalid value: "npipe:////./pipe/containerd-containerd": only URL scheme "unix" is supported, got "npipe"']],
    ['/var/run/containerd/containerd.sock', ['f: Invalid value: "/var/run/containerd/containerd.sock": only URL scheme "unix" is supported, got ""']],
  ])('TestValidateSocketPath: %j', (socket, want) => {
    expect(msgs(validateSocketPath(socket, p))).toEqual(want);
  });

  it.each([
    [['my-hostname', 'example.com', '10.0.0.1', '*.example.com', '::1'], 0],
    [['my_hostname'], 1],
    [['*'], 1],
  ])('TestValidateCertSANs: %j has %i errors', (sans, n) => {
    expect(validateCertSANs(sans, p)).toHaveLength(n);
  });

  it.each([
    ['10.0.0.0/12', 10, 0],
    ['10.0.0.0/28', 10, 0],
    ['10.0.0.0/30', 10, 1],
    ['10.0.0.0', 10, 1],
    ['2001:db8::/98', 10, 0],
    ['10.0.0.0/16,2001:db8::/98', 10, 0],
    ['10.0.0.0/16,10.1.0.0/16', 10, 1],
  ])('TestValidateIPNetFromString: %s (min %i) has %i errors', (subnet, min, n) => {
    expect(validateIPNetFromString(subnet, min, p)).toHaveLength(n);
  });

  it('TestValidateIPNetFromString: the messages', () => {
    expect(msgs(validateIPNetFromString('10.0.0.0/30', 10, p))).toEqual(['f: Invalid value: "10.0.0.0/30": subnet with 4 address(es) is too small, the minimum is 10']);
    expect(msgs(validateIPNetFromString('10.0.0.0', 10, p))).toEqual(['f: Invalid value: "10.0.0.0": couldn\'t parse subnet']);
  });

  it('TestValidateServiceSubnetSize and TestValidatePodSubnetNodeMask (through ValidateNetworking)', () => {
    const cfg = (networking: ClusterConfiguration['networking'], extraArgs = [] as { name: string; value: string }[]) => ({ networking, controllerManager: { extraArgs } }) as unknown as ClusterConfiguration;
    expect(validateNetworking(cfg({ dnsDomain: 'cluster.local', serviceSubnet: '10.96.0.0/12', podSubnet: '10.244.0.0/16' }), newPath('networking'))).toEqual([]);
    expect(msgs(validateNetworking(cfg({ dnsDomain: 'cluster.local', serviceSubnet: '10.0.0.0/8' }), newPath('networking')))).toEqual([
      'networking.serviceSubnet: Invalid value: "10.0.0.0/8": specified service subnet is too large; for 32-bit addresses, the mask must be >= 12',
    ]);
    expect(msgs(validateNetworking(cfg({ dnsDomain: 'cluster.local', podSubnet: '10.244.0.0/25' }), newPath('networking')))).toEqual([
      'networking.podSubnet: Invalid value: "10.244.0.0/25": subnet with 128 address(es) is too small, the minimum is 254',
      'networking.podSubnet: Invalid value: "10.244.0.0/25": the size of pod subnet with mask 25 is smaller than the size of node subnet with mask 24',
    ]);
    expect(msgs(validateNetworking(cfg({ dnsDomain: 'cluster.local', podSubnet: '8.0.0.0/6' }), newPath('networking')))).toEqual([
      'networking.podSubnet: Invalid value: "8.0.0.0/6": pod subnet mask (6) and node-mask (24) difference is greater than 16',
    ]);
    expect(validateNetworking(cfg({ dnsDomain: 'cluster.local', podSubnet: '8.0.0.0/6' }, [{ name: 'allocate-node-cidrs', value: 'false' }]), newPath('networking'))).toEqual([]);
    expect(validateNetworking(cfg({ dnsDomain: 'cluster.local', podSubnet: '10.0.0.0/16' }, [{ name: 'node-cidr-mask-size-ipv4', value: '20' }]), newPath('networking'))).toEqual([]);
  });

  it.each([
    [{ advertiseAddress: '4.5.6.7', bindPort: 6443 }, []],
    [{ advertiseAddress: '2001:db7::2', bindPort: 6443 }, []],
    [{ advertiseAddress: '1.2.34', bindPort: 6443 }, ['f.advertiseAddress: Invalid value: "1.2.34": ip address is not valid']],
    [{ advertiseAddress: '4.5.6.7', bindPort: 70000 }, ['f.bindPort: Invalid value: 70000: port number is not valid']],
  ])('TestValidateAPIEndpoint: %j', (ep, want) => {
    expect(msgs(validateAPIEndpoint(ep, p))).toEqual(want);
  });

  it.each([
    ['', []],
    ['e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204', []],
    ['e6a2eb8581237ab72a4f494f30285ec1', ['f: Invalid value: "e6a2eb8581237ab72a4f494f30285ec1": invalid certificate key size 16, the key must be an AES key of size 32']],
    ['zz', ['f: Invalid value: "zz": certificate key decoding error: encoding/hex: invalid byte: U+007A \'z\'']],
  ])('TestValidateCertificateKey: %s', (key, want) => {
    expect(msgs(validateCertificateKey(key, p))).toEqual(want);
  });

  it.each([
    [{ local: { dataDir: '/var/lib/etcd' } }, []],
    [{}, ['etcd: Invalid value: "": either .Etcd.Local or .Etcd.External is required']],
    [{ local: { dataDir: '/x' }, external: { endpoints: [] } }, ['etcd: Invalid value: "": .Etcd.Local and .Etcd.External are mutually exclusive']],
    [{ local: { dataDir: 'relative' } }, ['etcd.local.dataDir: Invalid value: "relative": path is not absolute']],
    [{ external: { endpoints: ['https://10.0.0.1:2379'], caFile: '/ca.crt', certFile: '/c.crt', keyFile: '/c.key' } }, []],
    [{ external: { endpoints: ['http://10.0.0.1:2379'], caFile: '/ca.crt', certFile: '/c.crt', keyFile: '/c.key' } }, ['etcd.external.endpoints: Invalid value: "http://10.0.0.1:2379": the URL must be using the HTTPS scheme']],
    [{ external: { endpoints: ['https://10.0.0.1:2379'], certFile: '/c.crt' } }, [
      'etcd.external: Invalid value: "": either both or none of .Etcd.External.CertFile and .Etcd.External.KeyFile must be set',
    ]],
  ])('TestValidateEtcd: %j', (etcd, want) => {
    expect(msgs(validateEtcd(etcd as Etcd, newPath('etcd')))).toEqual(want);
  });

  it.each([
    ['RSA-2048', []],
    ['ECDSA-P256', []],
    ['RSA-1024', ['f: Invalid value: "RSA-1024": Invalid encryption algorithm "RSA-1024". Must be one of [ECDSA-P256 RSA-2048 RSA-3072 RSA-4096]']],
  ])('TestValidateEncryptionAlgorithm: %s', (algo, want) => {
    expect(msgs(validateEncryptionAlgorithm(algo, p))).toEqual(want);
  });

  it('TestValidateFeatureGates: unknown and deprecated gates are not valid feature names', () => {
    const cluster = defaultedStaticInitConfiguration().cluster;
    cluster.featureGates = { WaitForAllControlPlaneComponents: true };
    expect(validateClusterConfiguration(cluster)).toEqual([]);
    cluster.featureGates = { PublicKeysECDSA: true };
    expect(msgs(validateClusterConfiguration(cluster))).toEqual(['featureGates: Invalid value: {"PublicKeysECDSA":true}: PublicKeysECDSA is not a valid feature name.']);
  });

  it('TestValidateExtraArgs', () => {
    expect(validateExtraArgs([{ name: 'v', value: '5' }, { name: 'v', value: '6' }], p)).toEqual([]);
    expect(msgs(validateExtraArgs([{ name: '', value: 'x' }], p))).toEqual(['f: Invalid value: "index 0": argument has no name']);
  });

  it.each([['', 0], ['Always', 0], ['IfNotPresent', 0], ['Never', 0], ['always', 1]])('TestValidateImagePullPolicy: %j', (policy, n) => {
    expect(validateImagePullPolicy(policy, p)).toHaveLength(n);
  });

  it.each([
    ['1.2.3.4:6443', undefined],
    ['[2001:db8::1]:6443', undefined],
    ['1.2.3.4', 'address 1.2.3.4: missing port in address'],
    ['a:b:c', 'address a:b:c: too many colons in address'],
  ])('TestValidateDiscoveryTokenAPIServer: %s', (ep, want) => {
    expect(splitHostPortError(ep)).toBe(want);
  });

  it('TestValidateDiscovery and TestValidateDiscoveryBootstrapToken', () => {
    const path = newPath('discovery');
    expect(msgs(validateDiscovery({}, path))).toEqual(['discovery: Invalid value: "": bootstrapToken or file must be set']);
    const token = 'abcdef.0123456789abcdef';
    expect(validateDiscovery({ bootstrapToken: { token, apiServerEndpoint: '10.0.0.1:6443', caCertHashes: ['sha256:7173b809ca12ec5dee4506cd86be934c4596dd234ee82c0662eac04a8c2c71dc'] }, tlsBootstrapToken: token }, path)).toEqual([]);
    expect(msgs(validateDiscovery({ bootstrapToken: { token, apiServerEndpoint: '10.0.0.1:6443' }, tlsBootstrapToken: token }, path))).toEqual([
      'discovery.bootstrapToken.caCertHashes: Invalid value: "": using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue',
    ]);
    expect(msgs(validateDiscovery({ bootstrapToken: { token, unsafeSkipCAVerification: true }, tlsBootstrapToken: token }, path))).toEqual([
      'discovery.bootstrapToken: Required value: APIServerEndpoint is not set',
      'discovery.bootstrapToken.apiServerEndpoint: Invalid value: "": address : missing port in address',
    ]);
  });

  it('TestValidateInitConfiguration: the static defaults with a valid node are valid', () => {
    const { init, cluster } = defaultedStaticInitConfiguration();
    cluster.kubernetesVersion = 'v1.34.0';
    expect(validateInitConfiguration(init, cluster)).toEqual([]);
    expect(validateClusterConfiguration(cluster)).toEqual([]);
  });

  it('TestValidateInitConfiguration: errors from every part, with their paths', () => {
    const { init, cluster } = defaultedStaticInitConfiguration();
    init.localAPIEndpoint.advertiseAddress = '1.2.3';
    init.bootstrapTokens![0].token = 'short.token';
    cluster.certificatesDir = 'pki';
    cluster.networking.dnsDomain = 'Cluster.Local';
    expect(validateInitConfiguration(init, cluster).map((e) => e.field)).toEqual(['bootstrapTokens.0.token', 'networking.dnsDomain', 'certificatesDir', 'localAPIEndpoint.advertiseAddress']);
  });

  it('TestValidateJoinConfiguration: caCertPath must be an absolute .crt path', () => {
    const join: JoinConfiguration = {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'JoinConfiguration',
      caCertPath: 'ca.crt',
      nodeRegistration: { name: 'worker-1', criSocket: 'unix:///var/run/containerd/containerd.sock' },
      discovery: { bootstrapToken: { token: 'abcdef.0123456789abcdef', apiServerEndpoint: '10.0.0.1:6443', unsafeSkipCAVerification: true }, tlsBootstrapToken: 'abcdef.0123456789abcdef' },
    };
    expect(msgs(validateJoinConfiguration(join))).toEqual(['caCertPath: Invalid value: "ca.crt": the ca certificate path must be an absolute path']);
    join.caCertPath = '/etc/kubernetes/pki/ca.crt';
    expect(validateJoinConfiguration(join)).toEqual([]);
  });
});
