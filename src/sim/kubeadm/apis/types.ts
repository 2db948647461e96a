/**
 * kubeadm's configuration API, v1beta4, as plain JSON-shaped data (what a YAML file parses to):
 * InitConfiguration, ClusterConfiguration and JoinConfiguration with the parts kubeadm init and
 * join read. Field names are the JSON names; durations are Go duration strings (`24h0m0s`),
 * as metav1.Duration serializes; a bootstrap token is its `id.secret` string.
 * Upstream: cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go, apis/bootstraptoken/v1/types.go
 */

export const GroupName = 'kubeadm.k8s.io';
/** The version kubeadm v1.34 writes and prefers. */
export const SchemeGroupVersion = 'kubeadm.k8s.io/v1beta4';
/** Still read by v1.34 with a deprecation warning (removed in v1.35, kubernetes/kubernetes#136016). */
export const V1beta3GroupVersion = 'kubeadm.k8s.io/v1beta3';

export const InitConfigurationKind = 'InitConfiguration';
export const ClusterConfigurationKind = 'ClusterConfiguration';
export const JoinConfigurationKind = 'JoinConfiguration';
export const ResetConfigurationKind = 'ResetConfiguration';
export const UpgradeConfigurationKind = 'UpgradeConfiguration';

/** One command-line argument of a component (v1beta4 turned the v1beta3 map into a list so a flag may repeat). */
export interface Arg {
  name: string;
  value: string;
}

/** core/v1 Taint as kubeadm registers it on the Node. */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

/** core/v1 EnvVar (only name and value are modelled). */
export interface EnvVar {
  name: string;
  value?: string;
}

/** A bootstrap token as InitConfiguration.bootstrapTokens lists it. Upstream: apis/bootstraptoken/v1/types.go (BootstrapToken) */
export interface BootstrapToken {
  /** `[a-z0-9]{6}.[a-z0-9]{16}`; generated at runtime when unset. */
  token?: string;
  description?: string;
  /** Defaults to 24h; mutually exclusive with `expires`. */
  ttl?: string;
  /** RFC 3339 time. */
  expires?: string;
  usages?: string[];
  groups?: string[];
}

export interface APIEndpoint {
  advertiseAddress?: string;
  bindPort?: number;
}

export interface NodeRegistrationOptions {
  /** The Node's name; defaults to the hostname. */
  name?: string;
  criSocket?: string;
  /** nil (absent or null): the control-plane taint on a control-plane node; `[]`: no taint. */
  taints?: Taint[] | null;
  kubeletExtraArgs?: Arg[];
  ignorePreflightErrors?: string[];
  imagePullPolicy?: string;
  imagePullSerial?: boolean;
}

/** How long kubeadm waits for each thing (all Go durations). New in v1beta4. */
export interface Timeouts {
  controlPlaneComponentHealthCheck?: string;
  kubeletHealthCheck?: string;
  kubernetesAPICall?: string;
  etcdAPICall?: string;
  tlsBootstrap?: string;
  discovery?: string;
  upgradeManifests?: string;
}

export interface Patches {
  directory?: string;
}

export interface InitConfiguration {
  apiVersion: string;
  kind: 'InitConfiguration';
  bootstrapTokens?: BootstrapToken[];
  dryRun?: boolean;
  nodeRegistration: NodeRegistrationOptions;
  localAPIEndpoint: APIEndpoint;
  /** Hex of a 32-byte AES key that encrypts the uploaded certificates. */
  certificateKey?: string;
  skipPhases?: string[];
  patches?: Patches;
  timeouts?: Timeouts;
}

export interface HostPathMount {
  name: string;
  hostPath: string;
  mountPath: string;
  readOnly?: boolean;
  pathType?: string;
}

export interface ControlPlaneComponent {
  extraArgs?: Arg[];
  extraVolumes?: HostPathMount[];
  extraEnvs?: EnvVar[];
}

export interface APIServer extends ControlPlaneComponent {
  certSANs?: string[];
}

export interface ImageMeta {
  imageRepository?: string;
  imageTag?: string;
}

export interface LocalEtcd extends ImageMeta {
  dataDir?: string;
  extraArgs?: Arg[];
  extraEnvs?: EnvVar[];
  serverCertSANs?: string[];
  peerCertSANs?: string[];
}

export interface ExternalEtcd {
  endpoints: string[];
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** Local and External are mutually exclusive. */
export interface Etcd {
  local?: LocalEtcd;
  external?: ExternalEtcd;
}

export interface Networking {
  serviceSubnet?: string;
  podSubnet?: string;
  dnsDomain?: string;
}

export type EncryptionAlgorithmType = 'ECDSA-P256' | 'RSA-2048' | 'RSA-3072' | 'RSA-4096';
export const EncryptionAlgorithms: readonly EncryptionAlgorithmType[] = ['ECDSA-P256', 'RSA-2048', 'RSA-3072', 'RSA-4096'];

export interface ClusterConfiguration {
  apiVersion: string;
  kind: 'ClusterConfiguration';
  etcd: Etcd;
  networking: Networking;
  kubernetesVersion?: string;
  controlPlaneEndpoint?: string;
  apiServer: APIServer;
  controllerManager: ControlPlaneComponent;
  scheduler: ControlPlaneComponent;
  dns: ImageMeta & { disabled?: boolean };
  proxy: { disabled?: boolean };
  certificatesDir?: string;
  imageRepository?: string;
  featureGates?: Record<string, boolean>;
  clusterName?: string;
  encryptionAlgorithm?: EncryptionAlgorithmType | string;
  /** Validity of non-CA certificates (default 8760h0m0s). New in v1beta4. */
  certificateValidityPeriod?: string;
  /** Validity of CA certificates (default 87600h0m0s). New in v1beta4. */
  caCertificateValidityPeriod?: string;
}

export interface BootstrapTokenDiscovery {
  token: string;
  apiServerEndpoint?: string;
  /** `sha256:<hex>` pins of the cluster CA's public key (SPKI). */
  caCertHashes?: string[];
  unsafeSkipCAVerification?: boolean;
}

export interface FileDiscovery {
  kubeConfigPath: string;
}

/** BootstrapToken and File are mutually exclusive. */
export interface Discovery {
  bootstrapToken?: BootstrapTokenDiscovery;
  file?: FileDiscovery;
  tlsBootstrapToken?: string;
}

export interface JoinControlPlane {
  localAPIEndpoint: APIEndpoint;
  certificateKey?: string;
}

export interface JoinConfiguration {
  apiVersion: string;
  kind: 'JoinConfiguration';
  dryRun?: boolean;
  nodeRegistration: NodeRegistrationOptions;
  caCertPath?: string;
  discovery: Discovery;
  controlPlane?: JoinControlPlane;
  skipPhases?: string[];
  patches?: Patches;
  timeouts?: Timeouts;
}

/** The value of the first Arg named `name` at or after `index` (-1: the last one). Upstream: apis/kubeadm/argument.go (GetArgValue) */
export function getArgValue(args: readonly Arg[] | undefined, name: string, startIdx = -1): string {
  const list = args ?? [];
  if (startIdx < 0) {
    for (let i = list.length - 1; i >= 0; i--) if (list[i].name === name) return list[i].value;
    return '';
  }
  for (let i = startIdx; i < list.length; i++) if (list[i].name === name) return list[i].value;
  return '';
}
