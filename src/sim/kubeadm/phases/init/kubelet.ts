/**
 * `kubeadm init phase kubelet-start`: stop the kubelet, write its flags
 * (/var/lib/kubelet/kubeadm-flags.env), its per-node instance configuration
 * (/var/lib/kubelet/instance-config.yaml, NodeLocalCRISocket: beta and on in v1.34) and its
 * KubeletConfiguration (/var/lib/kubelet/config.yaml, the instance file applied as a patch), then
 * restart it. With config.yaml on disk the kubelet's crash loop ends: the next start stays up.
 * Upstream: cmd/kubeadm/app/cmd/phases/init/kubelet.go (runKubeletStart), phases/kubelet/flags.go
 * (WriteKubeletDynamicEnvFile, buildKubeletArgsCommon, writeKubeletFlagBytesToDisk), phases/kubelet/config.go
 * (WriteConfigToDisk, WriteInstanceConfigToDisk, writeConfigBytesToDisk), phases/kubelet/kubelet.go
 * (TryStopKubelet, TryStartKubelet), componentconfigs/kubelet.go (kubeletConfig.Default)
 */
import type { Arg } from '../../apis/types';
import { getPauseImage } from '../../preflight/images';
import type { Phase } from '../../workflow/phase';
import { KubeletDir, ManifestsDir, type InitData } from './data';
import { argumentsToCommand } from './staticpod';
import { marshalYAML } from './yaml';

export const KubeletEnvFileName = 'kubeadm-flags.env';
export const KubeletConfigurationFileName = 'config.yaml';
export const KubeletInstanceConfigurationFileName = 'instance-config.yaml';
const DefaultCRISocket = 'unix:///var/run/containerd/containerd.sock';

/** The 10th address of the Service subnet: CoreDNS's ClusterIP. */
// Upstream: constants.go (GetDNSIP)
export function getDNSIP(serviceSubnet: string): string {
  const first = serviceSubnet.split(',')[0];
  const [ip] = first.split('/');
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) + 10;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** The kubelet's flags: the pause image, and the node name when it differs from the hostname. */
// Upstream: phases/kubelet/flags.go (WriteKubeletDynamicEnvFile, buildKubeletArgsCommon)
export function kubeletFlagsEnv(d: InitData): string {
  const args: Arg[] = [];
  // NodeLocalCRISocket: the socket lives in instance-config.yaml, not in a flag.
  args.push({ name: 'pod-infra-container-image', value: getPauseImage({ imageRepository: d.cluster.imageRepository }) });
  if (d.nodeName() !== d.host.name.toLowerCase()) args.push({ name: 'hostname-override', value: d.nodeName() });
  const argv = argumentsToCommand(args, d.init.nodeRegistration.kubeletExtraArgs);
  return `KUBELET_KUBEADM_ARGS=${JSON.stringify(argv.join(' '))}\n`;
}

/**
 * The KubeletConfiguration kubeadm writes: its defaults (systemd cgroups, webhook authn/authz,
 * the static Pod path, cluster DNS, certificate rotation) with zero durations spelled `0s`, after
 * the round trip through JSON that patching makes (keys sorted).
 */
// Upstream: componentconfigs/kubelet.go (kubeletConfig.Default), phases/kubelet/config.go (WriteConfigToDisk)
export function kubeletConfiguration(d: InitData): Record<string, unknown> {
  const net = d.cluster.networking;
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: { anonymous: { enabled: false }, webhook: { cacheTTL: '0s', enabled: true }, x509: { clientCAFile: `${d.certificateDir()}/ca.crt` } },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '0s', cacheUnauthorizedTTL: '0s' } },
    cgroupDriver: 'systemd',
    clusterDNS: [getDNSIP(net.serviceSubnet ?? '10.96.0.0/12')],
    clusterDomain: net.dnsDomain ?? 'cluster.local',
    containerRuntimeEndpoint: d.init.nodeRegistration.criSocket ?? DefaultCRISocket,
    cpuManagerReconcilePeriod: '0s',
    crashLoopBackOff: {},
    evictionPressureTransitionPeriod: '0s',
    fileCheckFrequency: '0s',
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    httpCheckFrequency: '0s',
    imageMaximumGCAge: '0s',
    imageMinimumGCAge: '0s',
    logging: { flushFrequency: 0, options: { json: { infoBufferSize: '0' }, text: { infoBufferSize: '0' } }, verbosity: 0 },
    memorySwap: {},
    nodeStatusReportFrequency: '0s',
    nodeStatusUpdateFrequency: '0s',
    rotateCertificates: true,
    runtimeRequestTimeout: '0s',
    shutdownGracePeriod: '0s',
    shutdownGracePeriodCriticalPods: '0s',
    staticPodPath: ManifestsDir,
    streamingConnectionIdleTimeout: '0s',
    syncFrequency: '0s',
    volumeStatsAggPeriod: '0s',
  };
}

function writeKubeletFile(d: InitData, name: string, data: string): void {
  if (!d.host.fs.exists(KubeletDir)) d.host.fs.mkdirAll(KubeletDir, 0o700);
  d.files.writeFile(`${KubeletDir}/${name}`, data, 0o644);
}

// Upstream: phases/init/kubelet.go (runKubeletStart)
function runKubeletStart(d: InitData): void {
  const dry = d.o.dryRun;
  // Stopped first so it cannot start half-configured between the writes.
  if (!dry && d.host.systemd.exists('kubelet')) d.host.systemd.stop('kubelet');
  d.out(`[kubelet-start] Writing kubelet environment file with flags to file ${JSON.stringify(`${KubeletDir}/${KubeletEnvFileName}`)}`);
  writeKubeletFile(d, KubeletEnvFileName, kubeletFlagsEnv(d));
  const socket = d.init.nodeRegistration.criSocket ?? DefaultCRISocket;
  d.out(`[kubelet-start] Writing kubelet configuration to file ${JSON.stringify(`${KubeletDir}/${KubeletInstanceConfigurationFileName}`)}`);
  writeKubeletFile(d, KubeletInstanceConfigurationFileName, `containerRuntimeEndpoint: ${JSON.stringify(socket)}\n`);
  // The instance file is applied to the shared configuration as a strategic merge patch.
  d.out('[patches] Applied patch of type "application/strategic-merge-patch+json" to target "kubeletconfiguration"');
  d.out(`[kubelet-start] Writing kubelet configuration to file ${JSON.stringify(`${KubeletDir}/${KubeletConfigurationFileName}`)}`);
  writeKubeletFile(d, KubeletConfigurationFileName, marshalYAML(kubeletConfiguration(d)));
  if (dry) return;
  d.out('[kubelet-start] Starting the kubelet');
  // Upstream: phases/kubelet/kubelet.go (TryStartKubelet: systemctl restart kubelet)
  if (!d.host.systemd.exists('kubelet')) {
    d.out("[kubelet-start] Couldn't detect a kubelet service, can't make sure the kubelet is running properly.");
    return;
  }
  d.host.systemd.restart('kubelet');
}

export function newKubeletStartPhase(): Phase<InitData> {
  return {
    name: 'kubelet-start',
    short: 'Write kubelet settings and (re)start the kubelet',
    run: runKubeletStart,
  };
}
