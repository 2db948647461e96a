/**
 * The static Pod manifests of the control plane (kube-apiserver, kube-controller-manager,
 * kube-scheduler) and of local etcd, field for field as kubeadm v1.34 builds them: each flag,
 * probe, volume and annotation.
 * Upstream: cmd/kubeadm/app/phases/controlplane/manifests.go (GetStaticPodSpecs, getAPIServerCommand,
 * getAuthzModes, getControllerManagerCommand, getSchedulerCommand), phases/controlplane/volumes.go
 * (getHostPathVolumesForTheControlPlane), phases/etcd/local.go (GetEtcdPodSpec, getEtcdCommand),
 * util/staticpod/utils.go (GetAPIServerProbeAddress, GetEtcdProbeEndpoint)
 */
import type { Arg, ClusterConfiguration } from '../../apis/types';
import { EtcdVersion } from '../../preflight/constants';
import { argumentsToCommand, componentPod, livenessProbe, newVolume, newVolumeMount, readinessProbe, startupProbe, byName, type HostPathVolume, type Json, type VolumeMount } from './staticpod';

export const KubeAPIServer = 'kube-apiserver';
export const KubeControllerManager = 'kube-controller-manager';
export const KubeScheduler = 'kube-scheduler';
export const Etcd = 'etcd';
export const KubeControllerManagerPort = 10257;
export const KubeSchedulerPort = 10259;
export const EtcdListenClientPort = 2379;
export const EtcdListenPeerPort = 2380;
export const EtcdMetricsPort = 2381;
/** The flex-volume plugin dir the controller-manager mounts read-write. */
const FlexVolumeDir = '/usr/libexec/kubernetes/kubelet-plugins/volume/exec';
/** Extra CA bundle dirs mounted only when they exist on the host (Debian, RHEL, ...). */
const CaCertsExtraVolumePaths = ['/etc/pki/ca-trust', '/etc/pki/tls/certs', '/etc/ca-certificates', '/usr/share/ca-certificates', '/usr/local/share/ca-certificates'];

export interface ControlPlaneInput {
  cluster: ClusterConfiguration;
  advertiseAddress: string;
  bindPort: number;
  nodeName: string;
  certificatesDir: string;
  kubernetesDir: string;
  /** Which of the extra CA dirs exist on the host. */
  exists: (path: string) => boolean;
  /** HTTP(S)_PROXY / NO_PROXY from kubeadm's environment, passed on to the components. */
  proxyEnv?: Array<{ name: string; value: string }>;
}

const isIPv6 = (s: string) => s.includes(':');
const hostPort = (host: string, port: number) => (isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`);
const join = (dir: string, name: string) => `${dir}/${name}`;

function image(cfg: ClusterConfiguration, component: string, tag: string): string {
  return `${cfg.imageRepository ?? 'registry.k8s.io'}/${component}:${tag}`;
}

/** kube-apiserver's flags. */
// Upstream: manifests.go (getAPIServerCommand, getAuthzModes)
export function getAPIServerCommand(i: ControlPlaneInput): string[] {
  const { cluster: c, certificatesDir: pki } = i;
  const args: Arg[] = [
    { name: 'advertise-address', value: i.advertiseAddress },
    { name: 'enable-admission-plugins', value: 'NodeRestriction' },
    { name: 'service-cluster-ip-range', value: c.networking.serviceSubnet ?? '10.96.0.0/12' },
    { name: 'service-account-key-file', value: join(pki, 'sa.pub') },
    { name: 'service-account-signing-key-file', value: join(pki, 'sa.key') },
    { name: 'service-account-issuer', value: `https://kubernetes.default.svc.${c.networking.dnsDomain ?? 'cluster.local'}` },
    { name: 'client-ca-file', value: join(pki, 'ca.crt') },
    { name: 'tls-cert-file', value: join(pki, 'apiserver.crt') },
    { name: 'tls-private-key-file', value: join(pki, 'apiserver.key') },
    { name: 'kubelet-client-certificate', value: join(pki, 'apiserver-kubelet-client.crt') },
    { name: 'kubelet-client-key', value: join(pki, 'apiserver-kubelet-client.key') },
    { name: 'enable-bootstrap-token-auth', value: 'true' },
    { name: 'secure-port', value: String(i.bindPort) },
    { name: 'allow-privileged', value: 'true' },
    { name: 'kubelet-preferred-address-types', value: 'InternalIP,ExternalIP,Hostname' },
    { name: 'requestheader-username-headers', value: 'X-Remote-User' },
    { name: 'requestheader-group-headers', value: 'X-Remote-Group' },
    { name: 'requestheader-extra-headers-prefix', value: 'X-Remote-Extra-' },
    { name: 'requestheader-client-ca-file', value: join(pki, 'front-proxy-ca.crt') },
    { name: 'requestheader-allowed-names', value: 'front-proxy-client' },
    { name: 'proxy-client-cert-file', value: join(pki, 'front-proxy-client.crt') },
    { name: 'proxy-client-key-file', value: join(pki, 'front-proxy-client.key') },
  ];
  const ext = c.etcd.external;
  if (ext) {
    args.push({ name: 'etcd-servers', value: ext.endpoints.join(',') });
    if (ext.caFile) args.push({ name: 'etcd-cafile', value: ext.caFile });
    if (ext.certFile && ext.keyFile) args.push({ name: 'etcd-certfile', value: ext.certFile }, { name: 'etcd-keyfile', value: ext.keyFile });
  } else {
    // The API server reaches its own etcd on localhost, in the advertise address's family.
    const local = isIPv6(i.advertiseAddress) ? '::1' : '127.0.0.1';
    const fromEtcd = c.etcd.local?.extraArgs?.find((a) => a.name === 'advertise-client-urls')?.value;
    args.push(
      { name: 'etcd-servers', value: fromEtcd ?? `https://${hostPort(local, EtcdListenClientPort)}` },
      { name: 'etcd-cafile', value: join(pki, 'etcd/ca.crt') },
      { name: 'etcd-certfile', value: join(pki, 'apiserver-etcd-client.crt') },
      { name: 'etcd-keyfile', value: join(pki, 'apiserver-etcd-client.key') },
    );
  }
  const extra = c.apiServer.extraArgs ?? [];
  if (!extra.some((a) => a.name === 'authorization-config')) args.push({ name: 'authorization-mode', value: 'Node,RBAC' });
  return [KubeAPIServer, ...argumentsToCommand(args, extra)];
}

// Upstream: manifests.go (getControllerManagerCommand)
export function getControllerManagerCommand(i: ControlPlaneInput): string[] {
  const { cluster: c, certificatesDir: pki } = i;
  const kubeconfig = join(i.kubernetesDir, 'controller-manager.conf');
  const ca = join(pki, 'ca.crt');
  const args: Arg[] = [
    { name: 'bind-address', value: '127.0.0.1' },
    { name: 'leader-elect', value: 'true' },
    { name: 'kubeconfig', value: kubeconfig },
    { name: 'authentication-kubeconfig', value: kubeconfig },
    { name: 'authorization-kubeconfig', value: kubeconfig },
    { name: 'client-ca-file', value: ca },
    { name: 'requestheader-client-ca-file', value: join(pki, 'front-proxy-ca.crt') },
    { name: 'root-ca-file', value: ca },
    { name: 'service-account-private-key-file', value: join(pki, 'sa.key') },
    { name: 'cluster-signing-cert-file', value: ca },
    { name: 'cluster-signing-key-file', value: join(pki, 'ca.key') },
    { name: 'use-service-account-credentials', value: 'true' },
    { name: 'controllers', value: '*,bootstrapsigner,tokencleaner' },
  ];
  // With a pod subnet the controller-manager hands each node a slice of it (the node IPAM controller).
  if (c.networking.podSubnet) {
    args.push({ name: 'allocate-node-cidrs', value: 'true' }, { name: 'cluster-cidr', value: c.networking.podSubnet });
    if (c.networking.serviceSubnet) args.push({ name: 'service-cluster-ip-range', value: c.networking.serviceSubnet });
  }
  args.push({ name: 'cluster-name', value: c.clusterName ?? 'kubernetes' });
  return [KubeControllerManager, ...argumentsToCommand(args, c.controllerManager.extraArgs)];
}

// Upstream: manifests.go (getSchedulerCommand)
export function getSchedulerCommand(i: ControlPlaneInput): string[] {
  const kubeconfig = join(i.kubernetesDir, 'scheduler.conf');
  const args: Arg[] = [
    { name: 'bind-address', value: '127.0.0.1' },
    { name: 'leader-elect', value: 'true' },
    { name: 'kubeconfig', value: kubeconfig },
    { name: 'authentication-kubeconfig', value: kubeconfig },
    { name: 'authorization-kubeconfig', value: kubeconfig },
  ];
  return [KubeScheduler, ...argumentsToCommand(args, i.cluster.scheduler.extraArgs)];
}

interface Mounts {
  volumes: HostPathVolume[];
  mounts: VolumeMount[];
}

/** The hostPath volumes of each component. */
// Upstream: phases/controlplane/volumes.go (getHostPathVolumesForTheControlPlane)
export function getHostPathVolumes(i: ControlPlaneInput): Record<string, Mounts> {
  const m: Record<string, Mounts> = { [KubeAPIServer]: { volumes: [], mounts: [] }, [KubeControllerManager]: { volumes: [], mounts: [] }, [KubeScheduler]: { volumes: [], mounts: [] } };
  const add = (component: string, name: string, path: string, type: HostPathVolume['hostPath']['type'], readOnly: boolean) => {
    m[component].volumes.push(newVolume(name, path, type));
    m[component].mounts.push(newVolumeMount(name, path, readOnly));
  };
  for (const c of [KubeAPIServer, KubeControllerManager]) {
    add(c, 'k8s-certs', i.certificatesDir, 'DirectoryOrCreate', true);
    add(c, 'ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate', true);
  }
  // External etcd's certificates, when they live outside the certificates dir.
  const ext = i.cluster.etcd.external;
  if (ext) {
    const dirs = [...new Set([ext.caFile, ext.certFile, ext.keyFile].filter((f): f is string => !!f).map((f) => f.slice(0, f.lastIndexOf('/')) || '/'))].filter((d) => !d.startsWith(i.certificatesDir));
    dirs.forEach((d, n) => add(KubeAPIServer, `etcd-certs-${n}`, d, 'DirectoryOrCreate', true));
  }
  add(KubeControllerManager, 'kubeconfig', join(i.kubernetesDir, 'controller-manager.conf'), 'FileOrCreate', true);
  add(KubeControllerManager, 'flexvolume-dir', FlexVolumeDir, 'DirectoryOrCreate', false);
  add(KubeScheduler, 'kubeconfig', join(i.kubernetesDir, 'scheduler.conf'), 'FileOrCreate', true);
  for (const path of CaCertsExtraVolumePaths) {
    if (!i.exists(path)) continue;
    const name = path.slice(1).replace(/\//g, '-');
    for (const c of [KubeAPIServer, KubeControllerManager]) add(c, name, path, 'DirectoryOrCreate', true);
  }
  return m;
}

function container(name: string, img: string, command: string[], port: number, mounts: VolumeMount[], cpu: string, probes: Json, env?: Json[]): Json {
  return {
    name,
    image: img,
    imagePullPolicy: 'IfNotPresent',
    command,
    ports: [{ name: 'probe-port', containerPort: port, protocol: 'TCP' }],
    volumeMounts: byName(mounts),
    ...probes,
    resources: { requests: { cpu } },
    env: env?.length ? env : undefined,
  };
}

/** The three control-plane Pods, by component name. */
// Upstream: manifests.go (GetStaticPodSpecs)
export function getStaticPodSpecs(i: ControlPlaneInput): Record<string, Json> {
  const m = getHostPathVolumes(i);
  const tag = i.cluster.kubernetesVersion ?? 'v1.34.0';
  const env = i.proxyEnv;
  // The API server is probed on its advertise address (0.0.0.0 / :: mean localhost).
  const apiHost = i.advertiseAddress === '0.0.0.0' ? '127.0.0.1' : i.advertiseAddress === '::' ? '::1' : i.advertiseAddress;
  return {
    [KubeAPIServer]: componentPod(
      container(KubeAPIServer, image(i.cluster, KubeAPIServer, tag), getAPIServerCommand(i), i.bindPort, m[KubeAPIServer].mounts, '250m', {
        livenessProbe: livenessProbe(apiHost, '/livez', 'HTTPS'),
        readinessProbe: readinessProbe(apiHost, '/readyz', 'HTTPS'),
        startupProbe: startupProbe(apiHost, '/livez', 'HTTPS'),
      }, env),
      m[KubeAPIServer].volumes,
      { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': hostPort(i.advertiseAddress, i.bindPort) },
    ),
    [KubeControllerManager]: componentPod(
      container(KubeControllerManager, image(i.cluster, KubeControllerManager, tag), getControllerManagerCommand(i), KubeControllerManagerPort, m[KubeControllerManager].mounts, '200m', {
        livenessProbe: livenessProbe('127.0.0.1', '/healthz', 'HTTPS'),
        startupProbe: startupProbe('127.0.0.1', '/healthz', 'HTTPS'),
      }, env),
      m[KubeControllerManager].volumes,
    ),
    [KubeScheduler]: componentPod(
      container(KubeScheduler, image(i.cluster, KubeScheduler, tag), getSchedulerCommand(i), KubeSchedulerPort, m[KubeScheduler].mounts, '100m', {
        livenessProbe: livenessProbe('127.0.0.1', '/livez', 'HTTPS'),
        readinessProbe: readinessProbe('127.0.0.1', '/readyz', 'HTTPS'),
        startupProbe: startupProbe('127.0.0.1', '/livez', 'HTTPS'),
      }, env),
      m[KubeScheduler].volumes,
    ),
  };
}

/** etcd's flags for the first member of a new cluster. */
// Upstream: phases/etcd/local.go (getEtcdCommand)
export function getEtcdCommand(i: ControlPlaneInput): string[] {
  const pki = `${i.certificatesDir}/etcd`;
  const ip = i.advertiseAddress;
  const local = isIPv6(ip) ? '::1' : '127.0.0.1';
  const peer = `https://${hostPort(ip, EtcdListenPeerPort)}`;
  const client = `https://${hostPort(ip, EtcdListenClientPort)}`;
  const etcdCfg = i.cluster.etcd.local ?? {};
  const args: Arg[] = [
    { name: 'name', value: i.nodeName },
    // etcd 3.6: the corruption check is a feature gate, the watch progress interval a plain flag.
    { name: 'feature-gates', value: 'InitialCorruptCheck=true' },
    { name: 'watch-progress-notify-interval', value: '5s' },
    { name: 'listen-client-urls', value: `https://${hostPort(local, EtcdListenClientPort)},${client}` },
    { name: 'advertise-client-urls', value: client },
    { name: 'listen-peer-urls', value: peer },
    { name: 'initial-advertise-peer-urls', value: peer },
    { name: 'data-dir', value: etcdCfg.dataDir ?? '/var/lib/etcd' },
    { name: 'cert-file', value: `${pki}/server.crt` },
    { name: 'key-file', value: `${pki}/server.key` },
    { name: 'trusted-ca-file', value: `${pki}/ca.crt` },
    { name: 'client-cert-auth', value: 'true' },
    { name: 'peer-cert-file', value: `${pki}/peer.crt` },
    { name: 'peer-key-file', value: `${pki}/peer.key` },
    { name: 'peer-trusted-ca-file', value: `${pki}/ca.crt` },
    { name: 'peer-client-cert-auth', value: 'true' },
    { name: 'snapshot-count', value: '10000' },
    { name: 'listen-metrics-urls', value: `http://${hostPort(local, EtcdMetricsPort)}` },
    { name: 'initial-cluster', value: `${i.nodeName}=${peer}` },
  ];
  return [Etcd, ...argumentsToCommand(args, etcdCfg.extraArgs)];
}

/** The local etcd Pod. */
// Upstream: phases/etcd/local.go (GetEtcdPodSpec)
export function getEtcdPodSpec(i: ControlPlaneInput): Json {
  const dataDir = i.cluster.etcd.local?.dataDir ?? '/var/lib/etcd';
  const certsDir = `${i.certificatesDir}/etcd`;
  const local = isIPv6(i.advertiseAddress) ? '::1' : '127.0.0.1';
  const repo = i.cluster.etcd.local?.imageRepository ?? i.cluster.imageRepository ?? 'registry.k8s.io';
  const tag = i.cluster.etcd.local?.imageTag ?? EtcdVersion;
  return componentPod(
    {
      name: Etcd,
      image: `${repo}/${Etcd}:${tag}`,
      imagePullPolicy: 'IfNotPresent',
      command: getEtcdCommand(i),
      ports: [{ name: 'probe-port', containerPort: EtcdMetricsPort, protocol: 'TCP' }],
      // Data first, then certificates: upstream lists these two by hand.
      volumeMounts: [newVolumeMount('etcd-data', dataDir, false), newVolumeMount('etcd-certs', certsDir, false)],
      livenessProbe: livenessProbe(local, '/livez', 'HTTP'),
      readinessProbe: readinessProbe(local, '/readyz', 'HTTP'),
      startupProbe: startupProbe(local, '/readyz', 'HTTP'),
      resources: { requests: { cpu: '100m', memory: '100Mi' } },
      env: i.cluster.etcd.local?.extraEnvs?.length ? i.cluster.etcd.local.extraEnvs : undefined,
    },
    [newVolume('etcd-certs', certsDir, 'DirectoryOrCreate'), newVolume('etcd-data', dataDir, 'DirectoryOrCreate')],
    { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${hostPort(i.advertiseAddress, EtcdListenClientPort)}` },
  );
}
