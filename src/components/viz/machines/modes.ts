/**
 * The permission bits kubeadm gives what it writes. `host.file` events (src/sim/host/events.ts)
 * name the path and the operation, not the mode, so the view reads a traced `mode` when an event
 * carries one and otherwise these rules, each after the upstream call that writes the file.
 * view.test.ts checks them against the modes on the simulated host's disk after `kubeadm init`.
 */

interface ModeRule {
  test: (path: string) => boolean;
  mode: number;
}

const FILE_RULES: readonly ModeRule[] = [
  // Upstream: k8s.io/client-go/util/keyutil/key.go (WriteKey); sa.pub too (cmd/kubeadm/app/util/pkiutil/pki_helpers.go WritePublicKey).
  { test: (p) => p.endsWith('.key') || p.endsWith('.pub'), mode: 0o600 },
  // Upstream: k8s.io/client-go/util/cert/io.go (WriteCert)
  { test: (p) => p.endsWith('.crt'), mode: 0o644 },
  // Upstream: k8s.io/client-go/tools/clientcmd/loader.go (WriteToFile)
  { test: (p) => /^\/etc\/kubernetes\/[^/]+\.conf$/.test(p), mode: 0o600 },
  // Upstream: cmd/kubeadm/app/util/staticpod/utils.go (WriteStaticPodToDisk)
  { test: (p) => p.startsWith('/etc/kubernetes/manifests/'), mode: 0o600 },
  // Upstream: cmd/kubeadm/app/phases/kubelet/config.go (WriteConfigToDisk), flags.go (writeKubeletFlagBytesToDisk)
  { test: (p) => p.startsWith('/var/lib/kubelet/'), mode: 0o644 },
];

/** Directories kubeadm makes with other bits than 0755. */
const DIR_MODES: Record<string, number> = {
  // Upstream: cmd/kubeadm/app/util/etcd/etcd.go (CreateDataDirectory), called by phases/etcd/local.go
  '/var/lib/etcd': 0o700,
};

/** The mode of `path` after `op`: the traced one if given, else kubeadm's. */
export function modeOf(path: string, op: string, traced?: unknown): number {
  if (typeof traced === 'number') return traced & 0o7777;
  if (op === 'mkdir') return DIR_MODES[path] ?? 0o755;
  if (op === 'symlink') return 0o777;
  return FILE_RULES.find((r) => r.test(path))?.mode ?? 0o644;
}

/** `0600`, as `ls` readers and kubeadm's docs write it. */
export const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

/** `-rw-------` / `drwx------`, as `ls -l` prints it. */
export function modeString(mode: number, dir = false): string {
  const bits = 'rwxrwxrwx';
  let s = dir ? 'd' : '-';
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? bits[i] : '-';
  return s;
}
