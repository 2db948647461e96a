/**
 * Dynamic defaults: the values that depend on the machine kubeadm runs on and on chance, set
 * after static defaulting and before validation. The node name comes from the host's name, the
 * advertise address from its default interface, a missing bootstrap token from the injected Rng,
 * and a version label such as `stable-1` resolves to this kubeadm's own release (the model is
 * offline, as kubeadm is when dl.k8s.io cannot be reached).
 * Upstream: cmd/kubeadm/app/util/config/initconfiguration.go (SetInitDynamicDefaults and the
 * functions it calls), joinconfiguration.go (SetJoinDynamicDefaults), common.go
 * (NormalizeKubernetesVersion, LowercaseSANs), util/version.go (KubernetesReleaseVersion)
 */
import type { Rng } from '../../core/rng';
import { goQuote } from '../../apimachinery/go';
import { parseIPSloppy } from '../../netaddr/ip';
import { isDNS1123Subdomain } from '../../apimachinery/validation';
import { generateBootstrapToken } from '../bootstraptoken/token';
import { ControlPlaneTaint, CurrentKubernetesVersion, DefaultContainerRuntimeURLScheme, DefaultCRISocket, MinimumControlPlaneVersion } from './defaults';
import type { APIEndpoint, BootstrapToken, ClusterConfiguration, InitConfiguration, JoinConfiguration, NodeRegistrationOptions } from './types';

/** What the machine contributes. */
export interface MachineFacts {
  /** `hostname` of the node (Go: os.Hostname, lower-cased by nodeutil.GetHostname). */
  hostname: string;
  /** The IP of the interface with the default route (Go: netutil.ResolveBindAddress). */
  defaultAddress: string;
  /** Randomness for tokens that the configuration leaves unset. */
  rng: Rng;
  /** The CRI socket found on the host; DefaultCRISocket when omitted. */
  criSocket?: string;
}

/** Upstream: initconfiguration.go (SetInitDynamicDefaults) */
export function setInitDynamicDefaults(init: InitConfiguration, cluster: ClusterConfiguration, machine: MachineFacts, warn: (msg: string) => void): void {
  setBootstrapTokensDynamicDefaults(init.bootstrapTokens ?? [], machine.rng);
  setNodeRegistrationDynamicDefaults(init.nodeRegistration, true, machine, warn);
  setAPIEndpointDynamicDefaults(init.localAPIEndpoint, machine);
  setClusterDynamicDefaults(cluster, init.localAPIEndpoint);
}

/** Upstream: joinconfiguration.go (SetJoinDynamicDefaults) */
export function setJoinDynamicDefaults(join: JoinConfiguration, machine: MachineFacts, warn: (msg: string) => void): void {
  setNodeRegistrationDynamicDefaults(join.nodeRegistration, join.controlPlane !== undefined, machine, warn);
  if (join.controlPlane) setAPIEndpointDynamicDefaults(join.controlPlane.localAPIEndpoint, machine);
}

/** A token left unset gets a random one here, not in API defaulting. Upstream: initconfiguration.go (SetBootstrapTokensDynamicDefaults) */
export function setBootstrapTokensDynamicDefaults(tokens: BootstrapToken[], rng: Rng): void {
  for (const bt of tokens) if (!bt.token) bt.token = generateBootstrapToken(rng);
}

/** Upstream: initconfiguration.go (SetNodeRegistrationDynamicDefaults) */
export function setNodeRegistrationDynamicDefaults(nr: NodeRegistrationOptions, controlPlaneTaint: boolean, machine: MachineFacts, warn: (msg: string) => void): void {
  // nodeutil.GetHostname: an override is trimmed and lower-cased too.
  nr.name = (nr.name?.trim() || machine.hostname).toLowerCase();
  // Only a nil list gets the taint: `taints: []` is how a user asks for none.
  if (controlPlaneTaint && (nr.taints === undefined || nr.taints === null)) nr.taints = [{ ...ControlPlaneTaint }];
  if (!nr.criSocket) {
    nr.criSocket = machine.criSocket ?? DefaultCRISocket;
  } else if (!nr.criSocket.startsWith(DefaultContainerRuntimeURLScheme)) {
    warn(
      `Usage of CRI endpoints without URL scheme is deprecated and can cause kubelet errors in the future. Automatically prepending scheme ${goQuote(DefaultContainerRuntimeURLScheme)} to the "criSocket" with value ${goQuote(nr.criSocket)}. Please update your configuration!`,
    );
    nr.criSocket = `${DefaultContainerRuntimeURLScheme}://${nr.criSocket}`;
  }
}

/** Upstream: initconfiguration.go (SetAPIEndpointDynamicDefaults), common.go (ChooseAPIServerBindAddress) */
export function setAPIEndpointDynamicDefaults(ep: APIEndpoint, machine: MachineFacts): void {
  const addr = ep.advertiseAddress ?? '';
  if (addr !== '' && !parseIPSloppy(addr)) throw new Error(`couldn't use "${addr}" as "apiserver-advertise-address", must be ipv4 or ipv6 address`);
  // An unset or unspecified address (0.0.0.0, ::) becomes the default interface's.
  if (addr === '' || addr === '0.0.0.0' || addr === '::') ep.advertiseAddress = machine.defaultAddress;
}

/** Upstream: initconfiguration.go (SetClusterDynamicDefaults) */
export function setClusterDynamicDefaults(cfg: ClusterConfiguration, localAPIEndpoint: APIEndpoint): void {
  normalizeKubernetesVersion(cfg);
  // An endpoint without a port takes the local API server's bind port.
  const cpe = cfg.controlPlaneEndpoint ?? '';
  if (cpe !== '') {
    const { host, port } = parseHostPort(cpe);
    if (port === '') cfg.controlPlaneEndpoint = joinHostPort(host, String(localAPIEndpoint.bindPort));
  }
  // LowercaseSANs: some DNS names (ELBs) carry capitals.
  if (cfg.apiServer.certSANs) cfg.apiServer.certSANs = cfg.apiServer.certSANs.map((s) => s.toLowerCase());
}

/**
 * Resolves a version label (offline: to this kubeadm's release) and enforces the oldest control
 * plane this kubeadm deploys. Upstream: common.go (NormalizeKubernetesVersion), util/version.go (KubernetesReleaseVersion)
 */
export function normalizeKubernetesVersion(cfg: ClusterConfiguration): void {
  const v = cfg.kubernetesVersion ?? '';
  let resolved: string;
  if (/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/.test(v)) resolved = v.startsWith('v') ? v : `v${v}`;
  else if (/^(stable|latest)(-\d+(\.\d+)?)?$/.test(v) || /^ci\//.test(v)) resolved = CurrentKubernetesVersion;
  else throw new Error(`version ${goQuote(v)} doesn't match patterns for neither semantic version nor labels (stable, latest, ...)`);
  cfg.kubernetesVersion = resolved;
  if (compareVersions(resolved, MinimumControlPlaneVersion) < 0) {
    throw new Error(`this version of kubeadm only supports deploying clusters with the control plane version >= ${MinimumControlPlaneVersion.slice(1)}. Current version: ${resolved}`);
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.slice(1).split(/[-+]/)[0].split('.').map(Number);
  const pb = b.slice(1).split(/[-+]/)[0].split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/**
 * `host[:port]`: what net.SplitHostPort cannot split is all host; the host must be an IP or a
 * lower-case DNS subdomain. Upstream: cmd/kubeadm/app/util/endpoint.go (ParseHostPort)
 */
export function parseHostPort(hostport: string): { host: string; port: string } {
  let host = hostport;
  let port = '';
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(hostport);
  const plain = /^([^:[\]]*):([^:]*)$/.exec(hostport);
  const m = bracketed ?? plain;
  if (m) {
    host = m[1];
    port = m[2];
  }
  if (port !== '' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new Error(`hostport ${hostport}: port ${port} must be a valid number between 1 and 65535, inclusive`);
  }
  if (parseIPSloppy(host) || isDNS1123Subdomain(host).length === 0) return { host, port };
  throw new Error(`hostport ${hostport}: host '${host}' must be a valid IP address or a valid RFC-1123 DNS subdomain`);
}

/** Go's net.JoinHostPort. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
