/**
 * One disk for the runtime and the host. The runtime model keeps its own node file system (pod
 * volumes, tmpfs); on a machine the host's files (/etc/kubernetes/pki, /var/lib/etcd) are on the
 * same disk, so a hostPath mount of them finds its source. And the hostPath plugin's `*OrCreate`
 * types make a missing source before the mount (kubeadm's static pods use DirectoryOrCreate and
 * FileOrCreate).
 */
import { load } from 'js-yaml';
import type { HostFS } from '../host/fs';
import { HostFs } from '../kubelet/cri/fs';

/** The runtime's node file system, seeing the host's files as well. */
export class MachineDisk extends HostFs {
  constructor(private readonly host: HostFS) {
    super();
  }

  override exists(path: string): boolean {
    return super.exists(path) || this.host.exists(path);
  }

  override isDir(path: string): boolean {
    return super.isDir(path) || this.host.isDir(path);
  }
}

interface HostPathVolume {
  hostPath?: { path?: string; type?: string };
}

/**
 * Makes the missing sources of a pod manifest's hostPath volumes of type DirectoryOrCreate (0755)
 * and FileOrCreate (an empty 0644 file), as the kubelet's hostPath plugin does before mounting.
 */
// Upstream: pkg/volume/hostpath/host_path.go (checkType, hostPathTypeChecker: DirectoryOrCreate / FileOrCreate)
export function createHostPathSources(fs: HostFS, manifest: string): void {
  let pod: { spec?: { volumes?: HostPathVolume[] } } | undefined;
  try {
    pod = load(manifest) as typeof pod;
  } catch {
    return; // the file source reports the decoding error
  }
  for (const v of pod?.spec?.volumes ?? []) {
    const path = v.hostPath?.path;
    if (!path || fs.exists(path)) continue;
    if (v.hostPath?.type === 'DirectoryOrCreate') fs.mkdirAll(path, 0o755);
    else if (v.hostPath?.type === 'FileOrCreate') fs.writeFileAll(path, '', 0o644);
  }
}
