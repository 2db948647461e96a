/**
 * The images `kubeadm init` pulls (and `kubeadm config images list` prints), in kubeadm's order:
 * the control-plane components and kube-proxy at the Kubernetes version, CoreDNS under its own
 * `coredns/` path, pause, and etcd when it is local.
 */
import { fakeSha256, type ImageSpec } from '../../kubelet/cri/images';
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

/** Approximate compressed sizes (bytes) and entrypoints of the v1.34.0 images, for a node runtime's registry. */
const IMAGE_FACTS: Record<string, { sizeBytes: number; entrypoint: string[] }> = {
  'kube-apiserver': { sizeBytes: 27_066_504, entrypoint: ['/usr/local/bin/kube-apiserver'] },
  'kube-controller-manager': { sizeBytes: 22_819_474, entrypoint: ['/usr/local/bin/kube-controller-manager'] },
  'kube-scheduler': { sizeBytes: 17_385_568, entrypoint: ['/usr/local/bin/kube-scheduler'] },
  'kube-proxy': { sizeBytes: 25_963_718, entrypoint: ['/usr/local/bin/kube-proxy'] },
  coredns: { sizeBytes: 22_384_805, entrypoint: ['/coredns'] },
  pause: { sizeBytes: 320_448, entrypoint: ['/pause'] },
  etcd: { sizeBytes: 22_450_118, entrypoint: ['/usr/local/bin/etcd'] },
};

/**
 * The images kubeadm pulls, as entries for the CRI runtime model's registry
 * (`newFakeContainerRuntime({ images: [...IMAGE_CATALOG, ...kubeadmImageSpecs(cfg)] })`), so
 * preflight's ImagePull succeeds against it. Pull only: the programs are not runnable yet.
 */
export function kubeadmImageSpecs(cfg: ImageConfig): ImageSpec[] {
  return getControlPlaneImages(cfg).map((ref) => {
    const name = ref.slice(ref.lastIndexOf('/') + 1, ref.lastIndexOf(':'));
    const facts = IMAGE_FACTS[name] ?? { sizeBytes: 10_000_000, entrypoint: [`/usr/local/bin/${name}`] };
    const repo = ref.slice(0, ref.lastIndexOf(':'));
    return { refs: [ref], id: `sha256:${fakeSha256(`config ${ref}`)}`, repoDigest: `${repo}@sha256:${fakeSha256(`manifest ${ref}`)}`, sizeBytes: facts.sizeBytes, entrypoint: facts.entrypoint, binaries: [facts.entrypoint[0]] };
  });
}
