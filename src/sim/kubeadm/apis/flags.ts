/**
 * `kubeadm init` and `kubeadm join` without `--config`: the flags fill a versioned configuration,
 * which is then defaulted, dynamically defaulted and validated like a file's. Also the rule that
 * `--config` mixes only with a few flags. Flag parsing itself (cobra/pflag, "unknown flag") is the
 * shell's.
 * Upstream: cmd/kubeadm/app/cmd/init.go (AddInitConfigFlags, AddClusterConfigFlags, newInitData),
 * cmd/kubeadm/app/cmd/join.go (addJoinConfigFlags, newJoinData), cmd/kubeadm/app/cmd/options/token.go
 * (BootstrapTokenOptions.ApplyTo), util/config/initconfiguration.go (DefaultedInitConfiguration),
 * util/config/joinconfiguration.go (DefaultedJoinConfiguration), validation.go (ValidateMixedArguments)
 */
import { toAggregate } from '../../apimachinery/field';
import { setDefaultsClusterConfiguration, setDefaultsInitConfiguration, setDefaultsJoinConfiguration } from './defaults';
import { canonicalDuration } from './duration';
import { setInitDynamicDefaults, setJoinDynamicDefaults, type MachineFacts } from './dynamic';
import { ConfigError, ValidationExitCode, type LoadedInitConfiguration, type LoadedJoinConfiguration } from './load';
import { newBootstrapTokenString } from '../bootstraptoken/token';
import { SchemeGroupVersion, type BootstrapToken, type ClusterConfiguration, type InitConfiguration, type JoinConfiguration } from './types';
import { validateInitConfiguration, validateJoinConfiguration } from './validation';

/** The `kubeadm init` flags that shape the configuration (names as on the command line). */
export interface InitFlags {
  'apiserver-advertise-address'?: string;
  'apiserver-bind-port'?: number;
  'apiserver-cert-extra-sans'?: string[];
  'cert-dir'?: string;
  'certificate-key'?: string;
  'control-plane-endpoint'?: string;
  'cri-socket'?: string;
  'dry-run'?: boolean;
  'feature-gates'?: Record<string, boolean>;
  'image-repository'?: string;
  'kubernetes-version'?: string;
  'node-name'?: string;
  patches?: string;
  'pod-network-cidr'?: string;
  'service-cidr'?: string;
  'service-dns-domain'?: string;
  'skip-phases'?: string[];
  token?: string;
  'token-ttl'?: string;
}

/**
 * The configuration `kubeadm init` runs with when no `--config` is given.
 * Upstream: cmd/init.go (newInitData) with util/config/initconfiguration.go (DefaultedInitConfiguration)
 */
export function defaultedInitConfiguration(flags: InitFlags, machine: MachineFacts): LoadedInitConfiguration {
  const warnings: string[] = [];
  const bt: BootstrapToken = {};
  try {
    // BootstrapTokenOptions.ApplyTo: the token must parse, the TTL is a Go duration.
    if (flags.token) newBootstrapTokenString(flags.token);
    if (flags.token) bt.token = flags.token;
    if (flags['token-ttl'] !== undefined) bt.ttl = canonicalDuration(flags['token-ttl']);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const init: InitConfiguration = {
    apiVersion: SchemeGroupVersion,
    kind: 'InitConfiguration',
    bootstrapTokens: [bt],
    localAPIEndpoint: { advertiseAddress: flags['apiserver-advertise-address'], bindPort: flags['apiserver-bind-port'] },
    nodeRegistration: { name: flags['node-name'], criSocket: flags['cri-socket'] },
    certificateKey: flags['certificate-key'],
    skipPhases: flags['skip-phases'],
    dryRun: flags['dry-run'],
    patches: flags.patches ? { directory: flags.patches } : undefined,
  };
  const cluster = {
    apiVersion: SchemeGroupVersion,
    kind: 'ClusterConfiguration',
    networking: { podSubnet: flags['pod-network-cidr'], serviceSubnet: flags['service-cidr'], dnsDomain: flags['service-dns-domain'] },
    kubernetesVersion: flags['kubernetes-version'],
    controlPlaneEndpoint: flags['control-plane-endpoint'],
    imageRepository: flags['image-repository'],
    featureGates: flags['feature-gates'],
    certificatesDir: flags['cert-dir'],
    apiServer: { certSANs: flags['apiserver-cert-extra-sans'] },
  } as ClusterConfiguration;
  setDefaultsInitConfiguration(init);
  setDefaultsClusterConfiguration(cluster);
  try {
    setInitDynamicDefaults(init, cluster, machine, (m) => warnings.push(m));
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const errs = validateInitConfiguration(init, cluster);
  if (errs.length) throw new ConfigError(toAggregate(errs)!.message, ValidationExitCode, undefined, errs);
  return { initConfiguration: init, clusterConfiguration: cluster, componentConfigs: [], warnings };
}

/** The `kubeadm join` flags that shape the configuration, and the API server endpoint arguments. */
export interface JoinFlags {
  /** The positional arguments: `host:port` of the API server (the first is used). */
  args?: string[];
  token?: string;
  'discovery-token'?: string;
  'discovery-token-ca-cert-hash'?: string[];
  'discovery-token-unsafe-skip-ca-verification'?: boolean;
  'discovery-file'?: string;
  'tls-bootstrap-token'?: string;
  'control-plane'?: boolean;
  'certificate-key'?: string;
  'apiserver-advertise-address'?: string;
  'apiserver-bind-port'?: number;
  'node-name'?: string;
  'cri-socket'?: string;
  'skip-phases'?: string[];
  'dry-run'?: boolean;
  patches?: string;
}

/**
 * The configuration `kubeadm join` runs with when no `--config` is given.
 * Upstream: cmd/join.go (newJoinData) with util/config/joinconfiguration.go (DefaultedJoinConfiguration)
 */
export function defaultedJoinConfiguration(flags: JoinFlags, machine: MachineFacts): LoadedJoinConfiguration {
  const warnings: string[] = [];
  const args = flags.args ?? [];
  if (args.length > 1) warnings.push(`[preflight] WARNING: More than one API server endpoint supplied on command line [${args.join(' ')}]. Using the first one.`);
  const join: JoinConfiguration = {
    apiVersion: SchemeGroupVersion,
    kind: 'JoinConfiguration',
    nodeRegistration: { name: flags['node-name'], criSocket: flags['cri-socket'] },
    discovery: {},
    skipPhases: flags['skip-phases'],
    dryRun: flags['dry-run'],
    patches: flags.patches ? { directory: flags.patches } : undefined,
  };
  const endpoint = args[0] ?? '';
  const discoveryToken = flags['discovery-token'] || flags.token || '';
  // Discovery by token needs the endpoint; without one the bootstrapToken part is dropped.
  if (endpoint) {
    join.discovery.bootstrapToken = {
      token: discoveryToken,
      apiServerEndpoint: endpoint,
      caCertHashes: flags['discovery-token-ca-cert-hash'],
      unsafeSkipCAVerification: flags['discovery-token-unsafe-skip-ca-verification'],
    };
  }
  if (flags['discovery-file']) join.discovery.file = { kubeConfigPath: flags['discovery-file'] };
  join.discovery.tlsBootstrapToken = flags['tls-bootstrap-token'] || flags.token || undefined;
  if (flags['control-plane']) {
    join.controlPlane = { localAPIEndpoint: { advertiseAddress: flags['apiserver-advertise-address'], bindPort: flags['apiserver-bind-port'] }, certificateKey: flags['certificate-key'] };
  }
  setDefaultsJoinConfiguration(join);
  try {
    setJoinDynamicDefaults(join, machine, (m) => warnings.push(m));
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const errs = validateJoinConfiguration(join);
  if (errs.length) throw new ConfigError(toAggregate(errs)!.message, ValidationExitCode, undefined, errs);
  return { joinConfiguration: join, warnings };
}

/** Flags that may accompany `--config`: the `skip-*` ones and these. Upstream: validation.go (isAllowedFlag) */
const AllowedWithConfig = new Set(['config', 'ignore-preflight-errors', 'dry-run', 'kubeconfig', 'node-name', 'kubeconfig-dir', 'upload-certs', 'print-join-command', 'rootfs', 'v', 'log-file']);

/**
 * Refuses flags given together with `--config` (the file is the whole truth); `changed` lists the
 * flags set on the command line, in the order pflag visits them (sorted). Upstream: validation.go (ValidateMixedArguments)
 */
export function validateMixedArguments(changed: readonly string[]): Error | undefined {
  if (!changed.includes('config')) return undefined;
  const mixed = [...changed].sort().filter((f) => !AllowedWithConfig.has(f) && !f.startsWith('skip-'));
  return mixed.length ? new Error(`can not mix '--config' with arguments [${mixed.join(' ')}]`) : undefined;
}
