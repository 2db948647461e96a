/**
 * Which checks `kubeadm init` and `kubeadm join` run, in upstream's order, and the functions
 * that run them. The configuration is the part of InitConfiguration / JoinConfiguration
 * (kubeadm.k8s.io/v1beta4 field names) that preflight reads; the kubeadm config API model maps
 * its full objects onto it.
 */
import type { Host } from '../../host/host';
import { klogHeader } from '../../host/host';
import {
  CACertName,
  ControlPlaneMem,
  ControlPlaneNumCPU,
  DefaultCertificateDir,
  DefaultCRISocket,
  DefaultEtcdDataDir,
  DefaultServiceSubnet,
  Etcd,
  EtcdListenClientPort,
  EtcdListenPeerPort,
  getStaticPodFilepath,
  KubeAPIServer,
  KubeadmVersion,
  KubeControllerManager,
  KubeControllerManagerPort,
  KubeletBootstrapKubeConfigFileName,
  KubeletKubeConfigFileName,
  KubeletPort,
  KubernetesDir,
  KubeScheduler,
  KubeSchedulerPort,
} from './constants';
import {
  ContainerRuntimeCheck,
  DirAvailableCheck,
  FileAvailableCheck,
  FileContentCheck,
  FileExistingCheck,
  FirewalldCheck,
  HostnameCheck,
  HTTPProxyCheck,
  HTTPProxyCIDRCheck,
  ImagePullCheck,
  InPathCheck,
  IsPrivilegedUserCheck,
  KubeletVersionCheck,
  KubernetesVersionCheck,
  MemCheck,
  NumCPUCheck,
  PortOpenCheck,
  ServiceCheck,
  SwapCheck,
  SystemVerificationCheck,
  type Checker,
  type ImagePullPolicy,
} from './checks';
import { getControlPlaneImages, getPauseImage } from './images';
import { handleError, runChecks, type IgnoreSet, type PreflightError, type Writer } from './run';
import { newContainerRuntime, type ContainerRuntime, type CriService } from './runtime';
import { compareVersions, parseSemantic } from './version';

export interface NodeRegistration {
  name: string;
  criSocket?: string;
  imagePullPolicy?: ImagePullPolicy;
  imagePullSerial?: boolean;
  ignorePreflightErrors?: string[];
}

export interface PreflightInitConfig {
  kubernetesVersion: string;
  imageRepository?: string;
  localAPIEndpoint: { advertiseAddress: string; bindPort: number };
  networking: { serviceSubnet?: string; podSubnet?: string };
  etcd: { local?: { dataDir: string }; external?: { endpoints: string[]; caFile?: string; certFile?: string; keyFile?: string } };
  nodeRegistration: NodeRegistration;
}

export interface PreflightJoinConfig {
  caCertPath?: string;
  discovery: { bootstrapToken?: { apiServerEndpoint: string } };
  /** Set for `kubeadm join --control-plane`. */
  controlPlane?: { localAPIEndpoint: { advertiseAddress: string; bindPort: number } };
  nodeRegistration: NodeRegistration;
}

/** The defaults `kubeadm init` applies on this host (v1beta4 defaulting, advertise address from the default route). */
export function defaultInitConfig(host: Host, overrides: Partial<PreflightInitConfig> = {}): PreflightInitConfig {
  return {
    kubernetesVersion: KubeadmVersion,
    localAPIEndpoint: { advertiseAddress: host.state.ip, bindPort: 6443 },
    networking: { serviceSubnet: DefaultServiceSubnet, podSubnet: '' },
    etcd: { local: { dataDir: DefaultEtcdDataDir } },
    ...overrides,
    nodeRegistration: { name: host.name, criSocket: DefaultCRISocket, imagePullPolicy: 'IfNotPresent', imagePullSerial: true, ...overrides.nodeRegistration },
  };
}

/** What the checks run against: the host, its container runtime and where klog lines go. */
export interface PreflightContext {
  host: Host;
  /** A CRI runtime model to ask for status and images (else the host's image list). */
  cri?: CriService;
  /** klog's warnings (W lines) go here; default: dropped. */
  klog?: Writer;
  /** The pid in klog headers (the kubeadm process). */
  pid?: number;
}

const isIPv4 = (s: string) => /^\d+\.\d+\.\d+\.\d+$/.test(s);
const isIPv6 = (s: string) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s);
const isIPv4CIDR = (s: string) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s);
const isIPv6CIDR = (s: string) => /^[0-9a-fA-F:.]+\/\d+$/.test(s) && s.includes(':');

function klogWarning(ctx: PreflightContext, source: string, text: string): void {
  ctx.klog?.(`${klogHeader('W', ctx.host.clock.now(), ctx.pid ?? 1, source)} ${text}\n`);
}

/** addCommonChecks: runtime, swap, executables, system, hostname, kubelet; a runtime that cannot be reached adds no CRI check, only a klog warning. */
// Upstream: checks.go (addCommonChecks), checks_linux.go (addSwapCheck, addExecChecks)
async function addCommonChecks(ctx: PreflightContext, k8sVersion: string, nodeReg: NodeRegistration, checks: Checker[]): Promise<void> {
  const { host } = ctx;
  const runtime = newContainerRuntime(host, nodeReg.criSocket ?? DefaultCRISocket, ctx.cri);
  try {
    await runtime.connect();
    checks.push(new ContainerRuntimeCheck(runtime));
  } catch (err) {
    klogWarning(ctx, 'checks.go:1046', `[preflight] WARNING: Couldn't create the interface used for talking to the container runtime: ${(err as Error).message}`);
  }
  checks.push(new SwapCheck(host));
  // conntrack stopped being needed by kube-proxy in 1.32: checked only for older versions.
  let needsConntrack = false;
  try {
    needsConntrack = compareVersions(parseSemantic(k8sVersion), parseSemantic('1.32.0')) < 0;
  } catch {
    // no version (join): no conntrack check
  }
  if (needsConntrack) checks.push(new InPathCheck(host, 'conntrack', true));
  for (const exe of ['ip', 'iptables', 'mount', 'nsenter']) checks.push(new InPathCheck(host, exe, true));
  for (const exe of ['ebtables', 'ethtool', 'socat', 'tc', 'touch']) checks.push(new InPathCheck(host, exe, false));
  checks.push(new SystemVerificationCheck(host), new HostnameCheck(host, nodeReg.name), new KubeletVersionCheck(host, k8sVersion), new ServiceCheck(host, 'kubelet', false), new PortOpenCheck(host, KubeletPort));
}

/** addIPv4Checks / addIPv6Checks: packet forwarding must be on. */
// Upstream: checks_linux.go (addIPv4Checks, addIPv6Checks)
function addIPChecks(host: Host, checks: Checker[], v4: boolean, v6: boolean): void {
  if (v4) checks.push(new FileContentCheck(host, '/proc/sys/net/ipv4/ip_forward', '1'));
  if (v6) checks.push(new FileContentCheck(host, '/proc/sys/net/ipv6/conf/default/forwarding', '1'));
}

/** InitNodeChecks */
// Upstream: checks.go (InitNodeChecks)
export async function initNodeChecks(ctx: PreflightContext, cfg: PreflightInitConfig, isSecondaryControlPlane = false, downloadCerts = false): Promise<Checker[]> {
  const { host } = ctx;
  const manifestsDir = `${KubernetesDir}/manifests`;
  const bindPort = cfg.localAPIEndpoint.bindPort;
  const checks: Checker[] = [
    new NumCPUCheck(host, ControlPlaneNumCPU),
    new MemCheck(host, ControlPlaneMem),
    new KubernetesVersionCheck(KubeadmVersion, cfg.kubernetesVersion),
    new FirewalldCheck(host, [bindPort, KubeletPort]),
    new PortOpenCheck(host, bindPort),
    new PortOpenCheck(host, KubeSchedulerPort),
    new PortOpenCheck(host, KubeControllerManagerPort),
    ...[KubeAPIServer, KubeControllerManager, KubeScheduler, Etcd].map((c) => new FileAvailableCheck(host, getStaticPodFilepath(c, manifestsDir))),
    new HTTPProxyCheck(host.state.environ, 'https', cfg.localAPIEndpoint.advertiseAddress),
  ];
  let v4 = false;
  let v6 = false;
  for (const subnet of [cfg.networking.serviceSubnet ?? '', cfg.networking.podSubnet ?? '']) {
    for (const cidr of subnet.split(',')) {
      checks.push(new HTTPProxyCIDRCheck(host.state.environ, 'https', cidr));
      v4 ||= isIPv4CIDR(cidr);
      v6 ||= isIPv6CIDR(cidr);
    }
  }
  if (!isSecondaryControlPlane) {
    await addCommonChecks(ctx, cfg.kubernetesVersion, cfg.nodeRegistration, checks);
    const ip = cfg.localAPIEndpoint.advertiseAddress;
    v4 ||= isIPv4(ip);
    v6 ||= isIPv6(ip);
    addIPChecks(host, checks, v4, v6);
  }
  const { local, external } = cfg.etcd;
  if (local) checks.push(new PortOpenCheck(host, EtcdListenClientPort), new PortOpenCheck(host, EtcdListenPeerPort), new DirAvailableCheck(host, local.dataDir));
  if (external && !(isSecondaryControlPlane && downloadCerts)) {
    for (const file of [external.caFile, external.certFile, external.keyFile]) if (file) checks.push(new FileExistingCheck(host, file, 'ExternalEtcdClientCertificates'));
  }
  return checks;
}

/** JoinNodeChecks */
// Upstream: checks.go (JoinNodeChecks)
export async function joinNodeChecks(ctx: PreflightContext, cfg: PreflightJoinConfig): Promise<Checker[]> {
  const { host } = ctx;
  const checks: Checker[] = [new FileAvailableCheck(host, `${KubernetesDir}/${KubeletKubeConfigFileName}`), new FileAvailableCheck(host, `${KubernetesDir}/${KubeletBootstrapKubeConfigFileName}`)];
  await addCommonChecks(ctx, '', cfg.nodeRegistration, checks);
  if (!cfg.controlPlane) checks.push(new FileAvailableCheck(host, cfg.caCertPath ?? `${DefaultCertificateDir}/${CACertName}`));
  const endpoint = cfg.discovery.bootstrapToken?.apiServerEndpoint;
  const m = endpoint ? /^\[?([^\]]+?)\]?:(\d+)$/.exec(endpoint) : null;
  if (m) {
    checks.push(new HTTPProxyCheck(host.state.environ, 'https', m[1]));
    addIPChecks(host, checks, isIPv4(m[1]), isIPv6(m[1]));
  }
  return checks;
}

/** RunInitNodeChecks */
export async function runInitNodeChecks(ctx: PreflightContext, cfg: PreflightInitConfig, ignore: IgnoreSet, ww: Writer, isSecondaryControlPlane = false, downloadCerts = false): Promise<PreflightError | undefined> {
  return runChecks(await initNodeChecks(ctx, cfg, isSecondaryControlPlane, downloadCerts), ww, ignore);
}

/** RunJoinNodeChecks */
export async function runJoinNodeChecks(ctx: PreflightContext, cfg: PreflightJoinConfig, ignore: IgnoreSet, ww: Writer): Promise<PreflightError | undefined> {
  return runChecks(await joinNodeChecks(ctx, cfg), ww, ignore);
}

/** RunRootCheckOnly: kubeadm's commands first make sure they run as root. */
export async function runRootCheckOnly(host: Host, ignore: IgnoreSet, ww: Writer): Promise<PreflightError | undefined> {
  return runChecks([new IsPrivilegedUserCheck(host)], ww, ignore);
}

/** RunUpgradeChecks */
export async function runUpgradeChecks(host: Host, ignore: IgnoreSet, ww: Writer): Promise<PreflightError | undefined> {
  return runChecks([new SystemVerificationCheck(host)], ww, ignore);
}

/** RunPullImagesCheck: an unreachable runtime is fatal here, with the connection error as the whole message. */
// Upstream: checks.go (RunPullImagesCheck)
export async function runPullImagesCheck(ctx: PreflightContext, cfg: PreflightInitConfig, ignore: IgnoreSet, ww: Writer): Promise<PreflightError | undefined> {
  const runtime: ContainerRuntime = newContainerRuntime(ctx.host, cfg.nodeRegistration.criSocket ?? DefaultCRISocket, ctx.cri);
  try {
    await runtime.connect();
  } catch (err) {
    // handleError gets the bare message, with no trailing newline: upstream's block runs on into the next line.
    return handleError(ww, (err as Error).message);
  }
  const images = getControlPlaneImages({ kubernetesVersion: cfg.kubernetesVersion, imageRepository: cfg.imageRepository, localEtcd: cfg.etcd.local !== undefined });
  const check = new ImagePullCheck(
    runtime,
    images,
    getPauseImage(cfg),
    cfg.nodeRegistration.imagePullPolicy ?? 'IfNotPresent',
    (text) => klogWarning(ctx, 'checks.go:906', text),
    cfg.nodeRegistration.imagePullSerial ?? true,
  );
  return runChecks([check], ww, ignore);
}
