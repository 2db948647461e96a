/**
 * `kubeadm init phase etcd local` and `kubeadm init phase control-plane [all|apiserver|
 * controller-manager|scheduler]`: the static Pod manifests the kubelet will run, written 0600 into
 * /etc/kubernetes/manifests (made 0700 if missing), and etcd's data directory (0700).
 * Upstream: cmd/kubeadm/app/cmd/phases/init/etcd.go (NewEtcdPhase, runEtcdPhaseLocal),
 * phases/init/controlplane.go (NewControlPlanePhase, runControlPlanePhase, runControlPlaneSubphase),
 * phases/etcd/local.go (CreateLocalEtcdStaticPodManifestFile), util/staticpod/utils.go (WriteStaticPodToDisk),
 * util/env.go (GetProxyEnvVars)
 */
import type { Phase } from '../../workflow/phase';
import { KubernetesDir, ManifestsDir, type InitData } from './data';
import { getEtcdPodSpec, getStaticPodSpecs, KubeAPIServer, KubeControllerManager, KubeScheduler, type ControlPlaneInput } from './manifests';
import { getStaticPodFilepath, marshalStaticPod, type Json } from './staticpod';

/** Every *_proxy variable of kubeadm's environment (any case), passed on to the components. */
// Upstream: cmd/kubeadm/app/util/env.go (GetProxyEnvVars)
function proxyEnv(d: InitData): Array<{ name: string; value: string }> {
  return Object.entries(d.host.state.environ)
    .filter(([k, v]) => k.toLowerCase().endsWith('_proxy') && v !== '')
    .map(([name, value]) => ({ name, value }));
}

export function controlPlaneInput(d: InitData): ControlPlaneInput {
  return {
    cluster: d.cluster,
    advertiseAddress: d.advertiseAddress(),
    bindPort: d.bindPort(),
    nodeName: d.nodeName(),
    certificatesDir: d.certificateDir(),
    kubernetesDir: KubernetesDir,
    exists: (p) => d.host.fs.exists(p),
    proxyEnv: proxyEnv(d),
  };
}

// Upstream: util/staticpod/utils.go (WriteStaticPodToDisk)
function writeStaticPodToDisk(d: InitData, component: string, pod: Json): void {
  if (!d.host.fs.exists(ManifestsDir)) d.host.fs.mkdirAll(ManifestsDir, 0o700);
  d.files.writeFile(getStaticPodFilepath(component, ManifestsDir), marshalStaticPod(pod), 0o600);
}

// Upstream: phases/init/etcd.go (runEtcdPhaseLocal)
function runEtcdPhaseLocal(d: InitData): void {
  const local = d.cluster.etcd.local;
  if (d.cluster.etcd.external || !local) return;
  const dataDir = local.dataDir ?? '/var/lib/etcd';
  if (!d.host.fs.exists(dataDir)) d.host.fs.mkdirAll(dataDir, 0o700);
  d.out(`[etcd] Creating static Pod manifest for local etcd in ${JSON.stringify(ManifestsDir)}`);
  writeStaticPodToDisk(d, 'etcd', getEtcdPodSpec(controlPlaneInput(d)));
}

export function newEtcdPhase(): Phase<InitData> {
  return {
    name: 'etcd',
    short: 'Generate static Pod manifest file for local etcd',
    phases: [{ name: 'local', short: 'Generate the static Pod manifest file for a local, single-node local etcd instance', run: runEtcdPhaseLocal }],
  };
}

const SUBPHASES: Array<[string, string]> = [
  ['apiserver', KubeAPIServer],
  ['controller-manager', KubeControllerManager],
  ['scheduler', KubeScheduler],
];

export function newControlPlanePhase(): Phase<InitData> {
  return {
    name: 'control-plane',
    short: 'Generate all static Pod manifest files necessary to establish the control plane',
    phases: [
      { name: 'all', short: 'Generate all static Pod manifest files', runAllSiblings: true },
      ...SUBPHASES.map(([name, component]) => ({
        name,
        short: `Generates the ${component} static Pod manifest`,
        run: (d: InitData) => {
          d.out(`[control-plane] Creating static Pod manifest for ${JSON.stringify(component)}`);
          writeStaticPodToDisk(d, component, getStaticPodSpecs(controlPlaneInput(d))[component]);
        },
      })),
    ],
    run: (d) => d.out(`[control-plane] Using manifest folder ${JSON.stringify(ManifestsDir)}`),
  };
}
