import { describe, expect, it } from 'vitest';
import { rngFromSeed } from '../../core/rng';
import { canonicalDuration, formatGoDuration, parseGoDuration } from './duration';
import { normalizeKubernetesVersion } from './dynamic';
import { bytesToInitConfiguration, bytesToJoinConfiguration, ConfigError, splitConfigDocuments, validateConfig } from './load';
import { marshalInitConfiguration } from './print';
import type { ClusterConfiguration } from './types';

const machine = () => ({ hostname: 'Control-Plane-1', defaultAddress: '192.168.56.10', rng: rngFromSeed(7) });
const init = (text: string) => bytesToInitConfiguration(text, { file: 'kubeadm.yaml', machine: machine() });
const initError = (text: string): ConfigError => {
  try {
    init(text);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected an error');
};

const CLUSTER = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n';

describe('loading a config file (after cmd/kubeadm/app/util/config/*_test.go)', () => {
  it('TestBytesToInitConfiguration: a ClusterConfiguration alone gets a defaulted InitConfiguration and the machine\'s values', () => {
    const { initConfiguration: ic, clusterConfiguration: cc, warnings } = init(`${CLUSTER}networking:\n  podSubnet: 10.244.0.0/16\n`);
    expect(warnings).toEqual([]);
    expect(ic.nodeRegistration).toEqual({
      name: 'control-plane-1',
      criSocket: 'unix:///var/run/containerd/containerd.sock',
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      imagePullPolicy: 'IfNotPresent',
      imagePullSerial: true,
    });
    expect(ic.localAPIEndpoint).toEqual({ advertiseAddress: '192.168.56.10', bindPort: 6443 });
    expect(ic.bootstrapTokens).toHaveLength(1);
    expect(ic.bootstrapTokens![0].token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(ic.bootstrapTokens![0]).toMatchObject({ ttl: '24h0m0s', usages: ['signing', 'authentication'], groups: ['system:bootstrappers:kubeadm:default-node-token'] });
    expect(cc).toMatchObject({ kubernetesVersion: 'v1.34.0', networking: { serviceSubnet: '10.96.0.0/12', podSubnet: '10.244.0.0/16', dnsDomain: 'cluster.local' }, etcd: { local: { dataDir: '/var/lib/etcd' } } });
  });

  it('TestBytesToInitConfiguration: the same seed gives the same token', () => {
    expect(init(CLUSTER).initConfiguration.bootstrapTokens![0].token).toBe(init(CLUSTER).initConfiguration.bootstrapTokens![0].token);
  });

  it('TestBytesToInitConfiguration: a full v1beta4 file keeps its values, normalizes durations and ports the endpoint', () => {
    const text = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
- token: abcdef.0123456789abcdef
  ttl: 2h
localAPIEndpoint:
  advertiseAddress: 10.0.0.10
nodeRegistration:
  name: cp1
  kubeletExtraArgs:
  - name: node-ip
    value: 10.0.0.10
  taints: []
skipPhases:
- addon/kube-proxy
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: 1.34.0
controlPlaneEndpoint: lb.example.com
apiServer:
  certSANs:
  - LB.Example.com
  extraArgs:
  - name: max-requests-inflight
    value: "800"
`;
    const { initConfiguration: ic, clusterConfiguration: cc } = init(text);
    expect(ic.bootstrapTokens).toEqual([{ token: 'abcdef.0123456789abcdef', ttl: '2h0m0s', usages: ['signing', 'authentication'], groups: ['system:bootstrappers:kubeadm:default-node-token'] }]);
    // TestDefaultTaintsMarshaling: `taints: []` means no taint, not the default.
    expect(ic.nodeRegistration.taints).toEqual([]);
    expect(ic.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'node-ip', value: '10.0.0.10' }]);
    expect(ic.skipPhases).toEqual(['addon/kube-proxy']);
    expect(cc.kubernetesVersion).toBe('v1.34.0');
    expect(cc.controlPlaneEndpoint).toBe('lb.example.com:6443');
    // TestLowercaseSANs
    expect(cc.apiServer.certSANs).toEqual(['lb.example.com']);
    expect(cc.apiServer.extraArgs).toEqual([{ name: 'max-requests-inflight', value: '800' }]);
  });

  it('MarshalInitConfigurationToBytes round-trips a loaded configuration', () => {
    const { initConfiguration, clusterConfiguration } = init(CLUSTER);
    const again = init(marshalInitConfiguration(initConfiguration, clusterConfiguration));
    expect(again.initConfiguration).toEqual(initConfiguration);
    expect(again.clusterConfiguration).toEqual(clusterConfiguration);
  });

  it.each([
    {
      name: 'YAML syntax error: the line within the document, and the file position',
      text: `${CLUSTER}---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n  name: cp1\n   criSocket: x\n`,
      message: 'could not interpret GroupVersionKind; unmarshal error: error converting YAML to JSON: yaml: line 5: bad indentation of a mapping entry',
      position: { file: 'kubeadm.yaml', line: 8, column: 13 },
    },
    { name: 'bad document separator', text: `${CLUSTER}--- foo\n`, message: 'invalid Yaml document separator: foo' },
    {
      name: 'no kind',
      text: 'apiVersion: kubeadm.k8s.io/v1beta4\nnetworking: {}\n',
      message: 'invalid configuration for GroupVersionKind kubeadm.k8s.io/v1beta4, Kind=: kind and apiVersion is mandatory information that must be specified',
    },
    {
      name: 'no group',
      text: 'apiVersion: v1beta4\nkind: ClusterConfiguration\n',
      message: 'invalid configuration for GroupVersionKind /v1beta4, Kind=ClusterConfiguration: kind and apiVersion is mandatory information that must be specified',
    },
    { name: 'a document that is a list', text: '- a\n- b\n', message: 'could not interpret GroupVersionKind; unmarshal error: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type runtime.TypeMeta' },
    { name: 'kind given twice', text: `${CLUSTER}---\n${CLUSTER}`, message: 'invalid configuration: kind "ClusterConfiguration" is specified twice in YAML file' },
    {
      name: 'TestValidateSupportedVersion: a removed API version',
      text: 'apiVersion: kubeadm.k8s.io/v1beta2\nkind: ClusterConfiguration\n',
      message: `your configuration file uses an old API spec: "kubeadm.k8s.io/v1beta2" (kind: "ClusterConfiguration"). Please use kubeadm v1.22 instead and run 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.`,
    },
    {
      name: 'an unknown version of a known kind',
      text: 'apiVersion: kubeadm.k8s.io/v1beta9\nkind: ClusterConfiguration\n',
      message: 'no kind "ClusterConfiguration" is registered for version "kubeadm.k8s.io/v1beta9" in scheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"',
    },
    { name: 'no InitConfiguration or ClusterConfiguration', text: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n', message: 'no InitConfiguration or ClusterConfiguration kind was found in the configuration file' },
    {
      name: 'v1beta3 extraArgs map in a v1beta4 file',
      text: `${CLUSTER}apiServer:\n  extraArgs:\n    max-requests-inflight: "800"\n`,
      message: 'json: cannot unmarshal object into Go struct field ControlPlaneComponent.apiServer.extraArgs of type []v1beta4.Arg',
    },
    { name: 'a string port', text: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: "6443"\n', message: 'json: cannot unmarshal string into Go struct field APIEndpoint.localAPIEndpoint.bindPort of type int32' },
    {
      name: 'a malformed bootstrap token',
      text: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nbootstrapTokens:\n- token: abc.def\n',
      message: 'the bootstrap token "abc.def" was not of the form "\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z"',
    },
    { name: 'a bad duration', text: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nbootstrapTokens:\n- ttl: 1day\n', message: 'time: unknown unit "day" in duration "1day"' },
    { name: 'a bad advertise address', text: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  advertiseAddress: 10.0.0\n', message: 'couldn\'t use "10.0.0" as "apiserver-advertise-address", must be ipv4 or ipv6 address' },
    { name: 'ParseHostPort: capitals are not a DNS subdomain', text: `${CLUSTER}controlPlaneEndpoint: LB.example.com\n`, message: "hostport LB.example.com: host 'LB.example.com' must be a valid IP address or a valid RFC-1123 DNS subdomain" },
    { name: 'TestNormalizeKubernetesVersion: a bad version', text: `${CLUSTER}kubernetesVersion: foo\n`, message: 'version "foo" doesn\'t match patterns for neither semantic version nor labels (stable, latest, ...)' },
  ])('$name', ({ text, message, position }) => {
    const err = initError(text);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(message);
    expect(err.exitCode).toBe(1);
    if (position) expect(err.position).toEqual(position);
  });

  it('TestValidateInitConfiguration via the loader: field errors aggregate and exit 3', () => {
    const err = initError(`${CLUSTER}certificatesDir: pki\nnetworking:\n  serviceSubnet: 10.0.0.0/8\n`);
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe('[networking.serviceSubnet: Invalid value: "10.0.0.0/8": specified service subnet is too large; for 32-bit addresses, the mask must be >= 12, certificatesDir: Invalid value: "pki": path is not absolute]');
    expect(err.fieldErrors.map((e) => e.field)).toEqual(['networking.serviceSubnet', 'certificatesDir']);
  });

  it('TestVerifyUnmarshalStrict: unknown fields are a warning for init, an error for config validate', () => {
    const text = `${CLUSTER}networking:\n  podSubnet: 10.244.0.0/16\n  podCIDR: 10.0.0.0/8\napiServer:\n  certSans: [a]\n`;
    const msg =
      'error unmarshaling configuration schema.GroupVersionKind{Group:"kubeadm.k8s.io", Version:"v1beta4", Kind:"ClusterConfiguration"}: strict decoding error: unknown field "networking.podCIDR", unknown field "apiServer.certSans"';
    expect(init(text).warnings).toEqual([msg]);
    expect(init(text).clusterConfiguration.apiServer.certSANs).toBeUndefined();
    expect(() => validateConfig(text, { machine: machine() })).toThrow(msg);
  });

  it('TestVerifyUnmarshalStrict: a list element\'s unknown field has its index', () => {
    expect(init('apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nbootstrapTokens:\n- tll: 2h\n').warnings[0]).toMatch(/strict decoding error: unknown field "bootstrapTokens\[0\]\.tll"$/);
  });

  it('a key given twice keeps its last value (go-yaml non-strict)', () => {
    expect(init(`${CLUSTER}clusterName: a\nclusterName: b\n`).clusterConfiguration.clusterName).toBe('b');
  });

  it('TestValidateConfig: unknown APIs are refused by config validate', () => {
    expect(() => validateConfig('apiVersion: kubeadm.k8s.io/v1beta9\nkind: InitConfiguration\n', { machine: machine() })).toThrow(
      'unknown configuration APIs: []schema.GroupVersionKind{schema.GroupVersionKind{Group:"kubeadm.k8s.io", Version:"v1beta9", Kind:"InitConfiguration"}}',
    );
    expect(validateConfig(CLUSTER, { machine: machine() })).toEqual([]);
  });

  it('TestVerifyUnmarshalStrict: an unknown kind is warned about, then ignored', () => {
    const { warnings } = init(`${CLUSTER}---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: FooConfiguration\n`);
    expect(warnings).toEqual([
      'unknown configuration schema.GroupVersionKind{Group:"kubeadm.k8s.io", Version:"v1beta4", Kind:"FooConfiguration"}',
      '[config] WARNING: Ignored configuration document with GroupVersionKind kubeadm.k8s.io/v1beta4, Kind=FooConfiguration\n',
    ]);
  });

  it('component configs travel with the configuration', () => {
    const loaded = init(`${CLUSTER}---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n`);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.componentConfigs.map((d) => d.object.cgroupDriver)).toEqual(['systemd']);
  });

  it('TestValidateSupportedVersion: v1beta3 still loads in v1.34, with the deprecation warning, converted to v1beta4', () => {
    const text = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  timeoutForControlPlane: 2m
  extraArgs:
    v: "4"
    audit-log-path: /var/log/audit.log
---
apiVersion: kubeadm.k8s.io/v1beta3
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
    node-ip: 10.0.0.10
`;
    const { warnings, initConfiguration: ic, clusterConfiguration: cc } = init(text);
    expect(warnings).toEqual([
      `your configuration file uses a deprecated API spec: "kubeadm.k8s.io/v1beta3" (kind: "ClusterConfiguration"). Please use 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.`,
      `your configuration file uses a deprecated API spec: "kubeadm.k8s.io/v1beta3" (kind: "InitConfiguration"). Please use 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.`,
    ]);
    expect(cc.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    expect(cc.apiServer.extraArgs).toEqual([{ name: 'audit-log-path', value: '/var/log/audit.log' }, { name: 'v', value: '4' }]);
    expect(ic.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'node-ip', value: '10.0.0.10' }]);
    expect(ic.timeouts?.controlPlaneComponentHealthCheck).toBe('2m0s');
    expect(cc.encryptionAlgorithm).toBe('RSA-2048');
  });

  it('SetNodeRegistrationDynamicDefaults: a CRI socket without a scheme is warned about and fixed', () => {
    const { warnings, initConfiguration } = init('apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n  criSocket: /run/containerd/containerd.sock\n');
    expect(initConfiguration.nodeRegistration.criSocket).toBe('unix:///run/containerd/containerd.sock');
    expect(warnings[0]).toBe('Usage of CRI endpoints without URL scheme is deprecated and can cause kubelet errors in the future. Automatically prepending scheme "unix" to the "criSocket" with value "/run/containerd/containerd.sock". Please update your configuration!');
  });

  it('TestSplitConfigDocuments: documents keep their order and start lines; a leading separator is skipped', () => {
    const docs = splitConfigDocuments(`---\n${CLUSTER}---\n# only a comment after this\napiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n`);
    expect(docs.map((d) => [d.gvk.kind, d.startLine])).toEqual([
      ['ClusterConfiguration', 2],
      ['InitConfiguration', 5],
    ]);
  });

  it('TestNormalizeKubernetesVersion: labels resolve offline, the minimum is v1.33.0', () => {
    const cfg = (v: string) => ({ kubernetesVersion: v }) as ClusterConfiguration;
    for (const label of ['stable', 'stable-1', 'latest', 'stable-1.34']) {
      const c = cfg(label);
      normalizeKubernetesVersion(c);
      expect(c.kubernetesVersion).toBe('v1.34.0');
    }
    expect(() => normalizeKubernetesVersion(cfg('v1.32.4'))).toThrow('this version of kubeadm only supports deploying clusters with the control plane version >= 1.33.0. Current version: v1.32.4');
  });
});

describe('JoinConfiguration (after joinconfiguration_test.go TestLoadJoinConfigurationFromFile)', () => {
  const join = (text: string) => bytesToJoinConfiguration(text, { machine: { ...machine(), hostname: 'worker-1' } });
  const JOIN = `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: 192.168.56.10:6443
    token: abcdef.0123456789abcdef
    caCertHashes:
    - sha256:7173b809ca12ec5dee4506cd86be934c4596dd234ee82c0662eac04a8c2c71dc
`;
  it('a worker join: defaults, the TLS bootstrap token, no taint', () => {
    const { joinConfiguration: jc } = join(JOIN);
    expect(jc.caCertPath).toBe('/etc/kubernetes/pki/ca.crt');
    expect(jc.discovery.tlsBootstrapToken).toBe('abcdef.0123456789abcdef');
    expect(jc.nodeRegistration.name).toBe('worker-1');
    expect(jc.nodeRegistration.taints).toBeUndefined();
    expect(jc.timeouts?.discovery).toBe('5m0s');
  });

  it('a control-plane join gets the taint and the local endpoint', () => {
    const { joinConfiguration: jc } = join(`${JOIN}controlPlane:\n  certificateKey: e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204\n`);
    expect(jc.nodeRegistration.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(jc.controlPlane?.localAPIEndpoint).toEqual({ advertiseAddress: '192.168.56.10', bindPort: 6443 });
  });

  it('no JoinConfiguration', () => {
    expect(() => join(CLUSTER)).toThrow('no JoinConfiguration found in the supplied config');
  });

  it('invalid discovery aggregates with exit code 3', () => {
    try {
      join('apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\ndiscovery:\n  bootstrapToken:\n    token: abcdef.0123456789abcdef\n    apiServerEndpoint: 192.168.56.10:6443\n');
      throw new Error('expected an error');
    } catch (err) {
      expect((err as ConfigError).exitCode).toBe(3);
      expect((err as ConfigError).message).toMatch(/^discovery\.bootstrapToken\.caCertHashes: Invalid value: "": using token-based discovery without caCertHashes can be unsafe/);
    }
  });
});

describe('Go durations (metav1.Duration)', () => {
  it.each([
    ['24h', '24h0m0s'],
    ['1h30m', '1h30m0s'],
    ['90s', '1m30s'],
    ['1.5s', '1.5s'],
    ['300ms', '300ms'],
    ['0', '0s'],
    ['8760h', '8760h0m0s'],
  ])('%s -> %s', (input, want) => {
    expect(canonicalDuration(input)).toBe(want);
  });
  it('errors are Go\'s', () => {
    expect(() => parseGoDuration('abc')).toThrow('time: invalid duration "abc"');
    expect(() => parseGoDuration('10')).toThrow('time: missing unit in duration "10"');
    expect(formatGoDuration(-60_000)).toBe('-1m0s');
  });
});
