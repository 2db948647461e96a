/**
 * The images `kubeadm init` pulls (and `kubeadm config images list` prints), in kubeadm's order:
 * the control-plane components and kube-proxy at the Kubernetes version, CoreDNS under its own
 * `coredns/` path, pause, and etcd when it is local.
 */
import { CoreDNSVersion, DefaultImageRepository, Etcd, EtcdVersion, KubeAPIServer, KubeControllerManager, KubeProxy, KubeScheduler, PauseVersion } from './constants';

export interface ImageConfig {
  kubernetesVersion: string;
  imageRepository?: string;
  /** false: external etcd, no etcd image. */
  localEtcd?: boolean;
}

/** GetPauseImage */
export function getPauseImage(cfg: Pick<ImageConfig, 'imageRepository'> = {}): string {
  return `${cfg.imageRepository ?? DefaultImageRepository}/pause:${PauseVersion}`;
}

/** GetControlPlaneImages */
// Upstream: cmd/kubeadm/app/images/images.go (GetControlPlaneImages, GetDNSImage, GetEtcdImage)
export function getControlPlaneImages(cfg: ImageConfig): string[] {
  const repo = cfg.imageRepository ?? DefaultImageRepository;
  const tag = cfg.kubernetesVersion.startsWith('v') ? cfg.kubernetesVersion : `v${cfg.kubernetesVersion}`;
  const images = [KubeAPIServer, KubeControllerManager, KubeScheduler, KubeProxy].map((c) => `${repo}/${c}:${tag}`);
  // The default registry keeps CoreDNS under coredns/; a custom repository gets it flat.
  images.push(repo === DefaultImageRepository ? `${repo}/coredns/coredns:${CoreDNSVersion}` : `${repo}/coredns:${CoreDNSVersion}`);
  images.push(getPauseImage(cfg));
  if (cfg.localEtcd ?? true) images.push(`${repo}/${Etcd}:${EtcdVersion}`);
  return images;
}
