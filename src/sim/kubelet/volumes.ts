/**
 * Pod volumes on the node, reduced to what containers see: pkg/kubelet/volumemanager (the
 * desired/actual state loop) and pkg/volume/emptydir (SetUpAt, TearDownAt) collapsed into one
 * synchronous manager. An emptyDir is a directory under
 * `/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~empty-dir/<name>`, made before any container
 * starts (medium Memory: a tmpfs of sizeLimit), and removed with the pod's directory once the
 * pod is gone. Mounts with subPath bind a subdirectory, created on demand.
 *
 * The directories live on the node's filesystem, which the real runtime model (`cri/runtime.ts`)
 * provides by implementing `HostFs`; tests use `newMemoryHostFs()`.
 */
import type { Container, PersistentVolume, PersistentVolumeClaim, Pod } from '../api/core/v1';
import { parseQuantity } from '../apimachinery/quantity';
import type { Mount } from './cri/api';

/** The node's filesystem as the kubelet's volume code uses it (implemented by the runtime model). */
export interface HostFs {
  /** Creates `path` and its parents (mkdir -p). */
  mkdirAll(path: string): void;
  /** Mounts a tmpfs on `path` limited to `sizeBytes` (undefined: no limit but node memory). */
  mountTmpfs(path: string, sizeBytes: number | undefined): void;
  /** Unmounts whatever is mounted on `path` (no-op when nothing is). */
  unmount(path: string): void;
  /** Removes `path` and everything under it (rm -rf). */
  removeAll(path: string): void;
  exists(path: string): boolean;
}

/** A HostFs that only remembers paths and tmpfs mounts: for tests and the kubelet alone. */
export function newMemoryHostFs(): HostFs & { paths: Set<string>; tmpfs: Map<string, number | undefined> } {
  const paths = new Set<string>();
  const tmpfs = new Map<string, number | undefined>();
  return {
    paths,
    tmpfs,
    mkdirAll(path) {
      const parts = path.split('/').filter(Boolean);
      for (let i = 1; i <= parts.length; i++) paths.add('/' + parts.slice(0, i).join('/'));
    },
    mountTmpfs: (path, size) => void tmpfs.set(path, size),
    unmount: (path) => void tmpfs.delete(path),
    removeAll(path) {
      for (const p of [...paths]) if (p === path || p.startsWith(path + '/')) paths.delete(p);
      for (const p of [...tmpfs.keys()]) if (p === path || p.startsWith(path + '/')) tmpfs.delete(p);
    },
    exists: (path) => paths.has(path),
  };
}

export const KUBELET_ROOT_DIR = '/var/lib/kubelet';
// Upstream: pkg/kubelet/kubelet_getters.go (getPodDir, getPodVolumesDir)
export const podDir = (uid: string) => `${KUBELET_ROOT_DIR}/pods/${uid}`;
// Upstream: pkg/volume/util (GetPath of the plugin): kubernetes.io~empty-dir, with "/" escaped as "~"
export const emptyDirPath = (uid: string, name: string) => `${podDir(uid)}/volumes/kubernetes.io~empty-dir/${name}`;

/**
 * A `persistentVolumeClaim` volume whose claim is Bound, resolved to its PersistentVolume's
 * directory on this node (a hostPath or local PV). Claims that are missing or not bound are left
 * out, and the volume fails to mount as before.
 */
export interface BoundClaimVolume {
  /** The PV's name (for the local volume's error). */
  pvName: string;
  path: string;
  /** hostPath type DirectoryOrCreate: the kubelet makes the directory (local-path volumes are). */
  create: boolean;
}

/** Reads a claim and its volume from the API server (the kubelet's client). */
export interface ClaimSource {
  getClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  getVolume(name: string): Promise<PersistentVolume | undefined>;
}

/**
 * The pod's bound claims by volume name: what the desired state of world populator resolves
 * before it adds a PVC volume (the claim Bound with a volumeName, the PV's claimRef its uid).
 */
// Upstream: pkg/kubelet/volumemanager/populator/desired_state_of_world_populator.go (createVolumeSpec, getPVCExtractPV, getPVSpec)
export async function resolveClaimVolumes(pod: Pod, source: ClaimSource): Promise<Map<string, BoundClaimVolume>> {
  const out = new Map<string, BoundClaimVolume>();
  for (const v of pod.spec.volumes ?? []) {
    const claimName = v.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const pvc = await source.getClaim(pod.metadata.namespace ?? 'default', claimName);
    if (!pvc || pvc.status?.phase !== 'Bound' || !pvc.spec.volumeName) continue;
    const pv = await source.getVolume(pvc.spec.volumeName);
    if (!pv || (pv.spec.claimRef?.uid ?? '') !== (pvc.metadata.uid ?? '')) continue;
    const host = pv.spec.hostPath as { path: string; type?: string } | undefined;
    const local = pv.spec.local as { path: string } | undefined;
    const path = host?.path ?? local?.path;
    if (path === undefined) continue;
    out.set(v.name, { pvName: pv.metadata.name ?? '', path, create: host?.type === 'DirectoryOrCreate' });
  }
  return out;
}

/** An error from mounting, with the FailedMount event's message. */
export class MountError extends Error {}

/** Directories the kubelet made for a pod's volumes, by volume name. */
export class VolumeManager {
  readonly #mounted = new Map<string, Map<string, string>>();

  constructor(private readonly fs: HostFs) {}

  /**
   * Makes every volume's directory (emptyDir, and a directory for configMap / secret / projected
   * / downwardAPI content); hostPath volumes point at the host path itself, and a claim Bound to a
   * hostPath or local PV (`claims`, from resolveClaimVolumes) at the PV's path. Other sources
   * (unbound claims, CSI) fail to mount: FailedMount at once (upstream waits 2m3s for them first).
   */
  // Upstream: pkg/kubelet/volumemanager/volume_manager.go (WaitForAttachAndMount), pkg/volume/emptydir/empty_dir.go (SetUpAt)
  waitForAttachAndMount(pod: Pod, claims: Map<string, BoundClaimVolume> = new Map()): void {
    const uid = pod.metadata.uid ?? '';
    if (this.#mounted.has(uid)) return;
    const byName = new Map<string, string>();
    const unmounted: string[] = [];
    for (const v of pod.spec.volumes ?? []) {
      const ed = v.emptyDir as { medium?: string; sizeLimit?: string } | undefined;
      const host = v.hostPath as { path: string } | undefined;
      if (ed) {
        const path = emptyDirPath(uid, v.name);
        this.fs.mkdirAll(path);
        if (ed.medium === 'Memory') this.fs.mountTmpfs(path, ed.sizeLimit !== undefined ? Number(parseQuantity(String(ed.sizeLimit)).value()) : undefined);
        byName.set(v.name, path);
      } else if (host) byName.set(v.name, host.path);
      else if (v.persistentVolumeClaim && claims.has(v.name)) {
        // The PV's directory on the node: the data outlives the pod, and the next pod of the claim sees it.
        const c = claims.get(v.name)!;
        if (c.create) this.fs.mkdirAll(c.path);
        else if (!this.fs.exists(c.path)) throw new MountError(`MountVolume.NewMounter initialization failed for volume "${c.pvName}" : path "${c.path}" does not exist`);
        byName.set(v.name, c.path);
      }
      else if (v.configMap || v.secret || v.projected || v.downwardAPI) {
        const plugin = v.configMap ? 'configmap' : v.secret ? 'secret' : v.projected ? 'projected' : 'downward-api';
        const path = `${podDir(uid)}/volumes/kubernetes.io~${plugin}/${v.name}`;
        this.fs.mkdirAll(path);
        byName.set(v.name, path);
      } else unmounted.push(v.name);
    }
    if (unmounted.length > 0) {
      throw new MountError(`unmounted volumes=[${unmounted.join(' ')}], unattached volumes=[${unmounted.join(' ')}], failed to process volumes=[]: context deadline exceeded`);
    }
    this.#mounted.set(uid, byName);
  }

  /** The host path of each mounted volume of the pod. */
  getMountedVolumesForPod(uid: string): Map<string, string> {
    return this.#mounted.get(uid) ?? new Map();
  }

  /** The CRI mounts of one container: volumeMounts with subPath joined (and created). */
  // Upstream: pkg/kubelet/kubelet_pods.go (makeMounts)
  makeMounts(pod: Pod, container: Container): Mount[] {
    const volumes = this.getMountedVolumesForPod(pod.metadata.uid ?? '');
    const mounts: Mount[] = [];
    for (const m of (container.volumeMounts as Array<{ name: string; mountPath: string; subPath?: string; readOnly?: boolean }> | undefined) ?? []) {
      const hostPath = volumes.get(m.name);
      if (hostPath === undefined) throw new MountError(`cannot find volume "${m.name}" to mount into container "${container.name}"`);
      let path = hostPath;
      if (m.subPath) {
        if (m.subPath.startsWith('/') || m.subPath.split('/').includes('..')) throw new MountError(`failed to prepare subPath for volumeMount "${m.name}" of container "${container.name}"`);
        path = `${hostPath}/${m.subPath}`;
        this.fs.mkdirAll(path);
      }
      mounts.push({ containerPath: m.mountPath, hostPath: path, ...(m.readOnly ? { readonly: true } : {}) });
    }
    return mounts;
  }

  /** Unmounts and removes the pod's directory (emptyDir content is gone with it). */
  // Upstream: pkg/volume/emptydir/empty_dir.go (TearDownAt), kubelet_volumes.go (cleanupOrphanedPodDirs)
  cleanupPod(uid: string): void {
    for (const path of this.getMountedVolumesForPod(uid).values()) if (path.startsWith(podDir(uid))) this.fs.unmount(path);
    this.fs.removeAll(podDir(uid));
    this.#mounted.delete(uid);
  }

  /** Pods with directories. */
  mountedPods(): string[] {
    return [...this.#mounted.keys()];
  }
}
