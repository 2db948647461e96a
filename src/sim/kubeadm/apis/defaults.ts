/**
 * Static defaulting of the v1beta4 types (what `Scheme.Default` does before conversion). Dynamic
 * defaults that need the machine (hostname, default IP, CRI socket, a random token) come later,
 * in dynamic.ts.
 * Upstream: cmd/kubeadm/app/apis/kubeadm/v1beta4/defaults.go, defaults_unix.go,
 * apis/bootstraptoken/v1/defaults.go, cmd/kubeadm/app/constants/constants.go
 */
import type { BootstrapToken, ClusterConfiguration, Discovery, InitConfiguration, JoinConfiguration, NodeRegistrationOptions, Timeouts, APIEndpoint } from './types';

export const DefaultServiceDNSDomain = 'cluster.local';
export const DefaultServicesSubnet = '10.96.0.0/12';
export const DefaultClusterDNSIP = '10.96.0.10';
/** A version label, resolved when the configuration is loaded (dynamic.ts). */
export const DefaultKubernetesVersion = 'stable-1';
export const DefaultCertificatesDir = '/etc/kubernetes/pki';
export const DefaultImageRepository = 'registry.k8s.io';
export const DefaultManifestsDir = '/etc/kubernetes/manifests';
export const DefaultClusterName = 'kubernetes';
export const DefaultEtcdDataDir = '/var/lib/etcd';
export const DefaultImagePullPolicy = 'IfNotPresent';
export const DefaultEncryptionAlgorithm = 'RSA-2048';
/** defaults_unix.go: the path every join configuration trusts by default. */
export const DefaultCACertPath = '/etc/kubernetes/pki/ca.crt';
/** defaults_unix.go: the URL scheme a CRI endpoint must carry. */
export const DefaultContainerRuntimeURLScheme = 'unix';
/** constants.go (DefaultCRISocket, Linux): containerd. */
export const DefaultCRISocket = 'unix:///var/run/containerd/containerd.sock';
/** constants.go: the API server's secure port. */
export const KubeAPIServerPort = 6443;
/** The Kubernetes release this kubeadm is (constants.CurrentKubernetesVersion). */
export const CurrentKubernetesVersion = 'v1.34.0';
/** constants.go: N-1 of the kubeadm version. */
export const MinimumControlPlaneVersion = 'v1.33.0';

/** constants.go: 1 year, and 10 years for CAs. */
export const CertificateValidityPeriod = '8760h0m0s';
export const CACertificateValidityPeriod = '87600h0m0s';

/** constants.go timeouts, as SetDefaults_Timeouts fills them. */
export const DefaultTimeouts: Required<Timeouts> = {
  controlPlaneComponentHealthCheck: '4m0s',
  kubeletHealthCheck: '4m0s',
  kubernetesAPICall: '1m0s',
  etcdAPICall: '2m0s',
  tlsBootstrap: '5m0s',
  discovery: '5m0s',
  upgradeManifests: '5m0s',
};

/** apis/bootstraptoken/v1/defaults.go */
export const DefaultTokenDuration = '24h0m0s';
export const DefaultTokenUsages: readonly string[] = ['signing', 'authentication'];
export const DefaultTokenGroups: readonly string[] = ['system:bootstrappers:kubeadm:default-node-token'];

/** constants.ControlPlaneTaint: what an unset taint list becomes on a control-plane node. */
export const ControlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' } as const;

// Upstream: apis/bootstraptoken/v1/defaults.go (SetDefaults_BootstrapToken)
export function setDefaultsBootstrapToken(bt: BootstrapToken): void {
  if (bt.ttl === undefined) bt.ttl = DefaultTokenDuration;
  if (!bt.usages || bt.usages.length === 0) bt.usages = [...DefaultTokenUsages];
  if (!bt.groups || bt.groups.length === 0) bt.groups = [...DefaultTokenGroups];
}

// Upstream: v1beta4/defaults.go (SetDefaults_InitConfiguration)
export function setDefaultsInitConfiguration(obj: InitConfiguration): void {
  // SetDefaults_BootstrapTokens: an empty list gets one token, defaulted, its value left for runtime.
  if (!obj.bootstrapTokens || obj.bootstrapTokens.length === 0) obj.bootstrapTokens = [{}];
  for (const bt of obj.bootstrapTokens) setDefaultsBootstrapToken(bt);
  obj.localAPIEndpoint ??= {};
  setDefaultsAPIEndpoint(obj.localAPIEndpoint);
  obj.nodeRegistration ??= {};
  setDefaultsNodeRegistration(obj.nodeRegistration);
  obj.timeouts ??= {};
  setDefaultsTimeouts(obj.timeouts);
}

// Upstream: v1beta4/defaults.go (SetDefaults_ClusterConfiguration, SetDefaults_Etcd)
export function setDefaultsClusterConfiguration(obj: ClusterConfiguration): void {
  obj.kubernetesVersion ||= DefaultKubernetesVersion;
  obj.networking ??= {};
  obj.networking.serviceSubnet ||= DefaultServicesSubnet;
  obj.networking.dnsDomain ||= DefaultServiceDNSDomain;
  obj.certificatesDir ||= DefaultCertificatesDir;
  obj.imageRepository ||= DefaultImageRepository;
  obj.clusterName ||= DefaultClusterName;
  obj.encryptionAlgorithm ||= DefaultEncryptionAlgorithm;
  obj.certificateValidityPeriod ??= CertificateValidityPeriod;
  obj.caCertificateValidityPeriod ??= CACertificateValidityPeriod;
  obj.etcd ??= {};
  if (!obj.etcd.external && !obj.etcd.local) obj.etcd.local = {};
  if (obj.etcd.local) obj.etcd.local.dataDir ||= DefaultEtcdDataDir;
  obj.apiServer ??= {};
  obj.controllerManager ??= {};
  obj.scheduler ??= {};
  obj.dns ??= {};
  obj.proxy ??= {};
}

// Upstream: v1beta4/defaults.go (SetDefaults_JoinConfiguration, SetDefaults_JoinControlPlane)
export function setDefaultsJoinConfiguration(obj: JoinConfiguration): void {
  obj.caCertPath ||= DefaultCACertPath;
  if (obj.controlPlane) {
    obj.controlPlane.localAPIEndpoint ??= {};
    setDefaultsAPIEndpoint(obj.controlPlane.localAPIEndpoint);
  }
  obj.discovery ??= {};
  setDefaultsDiscovery(obj.discovery);
  obj.nodeRegistration ??= {};
  setDefaultsNodeRegistration(obj.nodeRegistration);
  obj.timeouts ??= {};
  setDefaultsTimeouts(obj.timeouts);
}

// Upstream: v1beta4/defaults.go (SetDefaults_Discovery, SetDefaults_FileDiscovery)
function setDefaultsDiscovery(obj: Discovery): void {
  if (!obj.tlsBootstrapToken && obj.bootstrapToken) obj.tlsBootstrapToken = obj.bootstrapToken.token;
  if (obj.file?.kubeConfigPath?.startsWith('file://')) obj.file.kubeConfigPath = obj.file.kubeConfigPath.slice('file://'.length);
}

// Upstream: v1beta4/defaults.go (SetDefaults_APIEndpoint)
export function setDefaultsAPIEndpoint(obj: APIEndpoint): void {
  if (!obj.bindPort) obj.bindPort = KubeAPIServerPort;
}

// Upstream: v1beta4/defaults.go (SetDefaults_NodeRegistration)
export function setDefaultsNodeRegistration(obj: NodeRegistrationOptions): void {
  obj.imagePullPolicy ||= DefaultImagePullPolicy;
  obj.imagePullSerial ??= true;
}

// Upstream: v1beta4/defaults.go (SetDefaults_Timeouts)
export function setDefaultsTimeouts(obj: Timeouts): void {
  for (const [k, v] of Object.entries(DefaultTimeouts) as [keyof Timeouts, string][]) obj[k] ??= v;
}
