/**
 * kubeadm v1.34.0's constants that preflight and the image list read: paths, ports, minimums and
 * the versions of the images it deploys. Names after cmd/kubeadm/app/constants/constants.go.
 * The image versions (CoreDNS v1.12.1, pause 3.10.1, etcd 3.6.4-0 for Kubernetes 1.34) are those
 * of v1.34.0 (the stored constants.go was older; see the README).
 */

export const KubeadmVersion = 'v1.34.0';
export const KubernetesDir = '/etc/kubernetes';
export const ManifestsSubDirName = 'manifests';
export const KubeletRunDirectory = '/var/lib/kubelet';
export const KubeletConfigurationFileName = 'config.yaml';
export const KubeletKubeConfigFileName = 'kubelet.conf';
export const KubeletBootstrapKubeConfigFileName = 'bootstrap-kubelet.conf';
export const DefaultCertificateDir = '/etc/kubernetes/pki';
export const CACertName = 'ca.crt';
export const DefaultEtcdDataDir = '/var/lib/etcd';
/** kubeadm's default CRI endpoint on Linux (cmd/kubeadm/app/constants/constants_unix.go). */
export const DefaultCRISocket = 'unix:///var/run/containerd/containerd.sock';
export const DefaultImageRepository = 'registry.k8s.io';
export const DefaultServiceSubnet = '10.96.0.0/12';

export const KubeAPIServer = 'kube-apiserver';
export const KubeControllerManager = 'kube-controller-manager';
export const KubeScheduler = 'kube-scheduler';
export const KubeProxy = 'kube-proxy';
export const Etcd = 'etcd';

export const ControlPlaneNumCPU = 2;
/** MB; below it a stable control plane is hard to run. */
export const ControlPlaneMem = 1700;

export const KubeAPIServerPort = 6443;
export const KubeletPort = 10250;
export const KubeSchedulerPort = 10259;
export const KubeControllerManagerPort = 10257;
export const EtcdListenClientPort = 2379;
export const EtcdListenPeerPort = 2380;
export const KubeletHealthzPort = 10248;

export const CoreDNSVersion = 'v1.12.1';
export const PauseVersion = '3.10.1';
/** SupportedEtcdVersion[34]. */
export const EtcdVersion = '3.6.4-0';

/** The oldest kubelet this kubeadm supports: its minor minus 3 (getSkewedKubernetesVersion(-3)). */
export const MinimumKubeletVersion = '1.31.0';

/** GetStaticPodFilepath: /etc/kubernetes/manifests/<component>.yaml */
export function getStaticPodFilepath(component: string, manifestsDir = `${KubernetesDir}/${ManifestsSubDirName}`): string {
  return `${manifestsDir}/${component}.yaml`;
}
