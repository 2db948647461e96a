/**
 * `kubeadm reset [-f]`: v1.34's reset workflow on the host — preflight (the confirmation, the root
 * check), remove-etcd-member (the local etcd's data directory, read from its static Pod), and
 * cleanup-node (stop the kubelet, empty the manifests, the kubelet's directory and the PKI, delete
 * the kubeconfig files), then the note on what reset does not clean.
 * Upstream: cmd/kubeadm/app/cmd/reset.go (newCmdReset, newResetData, manualCleanupInstructions),
 * phases/reset/preflight.go (runPreflight), phases/reset/removeetcdmember.go (runRemoveETCDMemberPhase,
 * getEtcdDataDir), phases/reset/cleanupnode.go (runCleanupNode, resetConfigDir, CleanDir),
 * util/interactive.go (InteractivelyConfirmAction)
 */
import { runRootCheckOnly } from '../../../sim/kubeadm/preflight/lists';
import { parseIgnoreFlag, validateIgnorePreflightErrors } from '../../../sim/kubeadm/preflight/run';
import { adminServer, connectionRefused, fail, type Ctx } from './env';
import { flagBool, flagSlice, flagString, type FlagSpec, type ParsedFlags } from './pflag';

export const ResetFlagSpecs: FlagSpec[] = [
  { name: 'force', short: 'f', type: 'bool' },
  { name: 'dry-run', type: 'bool' },
  { name: 'cert-dir', type: 'string' },
  { name: 'cleanup-tmp-dir', type: 'bool' },
  { name: 'config', type: 'string' },
  { name: 'cri-socket', type: 'string' },
  { name: 'ignore-preflight-errors', type: 'stringSlice' },
  { name: 'kubeconfig', type: 'string' },
  { name: 'skip-phases', type: 'stringSlice' },
];

const KubeletRunDirectory = '/var/lib/kubelet';
const ManualCleanupInstructions = `
The reset process does not perform cleanup of CNI plugin configuration,
network filtering rules and kubeconfig files.

For information on how to perform this cleanup manually, please see:
    https://k8s.io/docs/reference/setup-tools/kubeadm/kubeadm-reset/

`;

/** Removes what a directory holds, not the directory. Upstream: cleanupnode.go (CleanDir) */
function cleanDir(c: Ctx, dir: string): void {
  if (!c.host.fs.isDir(dir)) return;
  for (const name of c.host.fs.readDir(dir)) c.host.fs.removeAll(`${dir}/${name}`);
}

/** The etcd data directory: the hostPath of the `etcd-data` volume in etcd's static Pod. Upstream: removeetcdmember.go (getEtcdDataDir) */
function etcdDataDirFromManifest(text: string): string | undefined {
  const m = text.match(/hostPath:\s*\n\s*path:\s*(\S+)\s*\n\s*type:\s*DirectoryOrCreate\s*\n\s*name:\s*etcd-data/);
  return m?.[1] ?? (text.includes('/var/lib/etcd') ? '/var/lib/etcd' : undefined);
}

// Upstream: cmd/reset.go (newCmdReset RunE) over the three phases
export async function runKubeadmReset(c: Ctx, p: ParsedFlags): Promise<number> {
  if (p.args.length) return fail(c, `unknown command "${p.args[0]}" for "kubeadm reset"`);
  const dryRun = flagBool(p, 'dry-run');
  const certsDir = flagString(p, 'cert-dir') ?? '/etc/kubernetes/pki';
  const skip = new Set(flagSlice(p, 'skip-phases'));
  const kubeconfig = flagString(p, 'kubeconfig') ?? '/etc/kubernetes/admin.conf';

  // newResetData: with a kubeconfig, kubeadm reads its configuration from the cluster first.
  const server = adminServer(c.host, kubeconfig);
  if (server) {
    c.out('[reset] Reading configuration from the cluster...\n');
    c.out("[reset] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'\n");
    const cause = c.o.client?.() ? 'configmaps "kubeadm-config" not found' : connectionRefused(server, '/api/v1/namespaces/kube-system/configmaps/kubeadm-config');
    c.warn('reset.go:141', `[reset] Unable to fetch the kubeadm-config ConfigMap from cluster: failed to get config map: ${cause}`);
  }
  let ignore;
  try {
    ignore = validateIgnorePreflightErrors(parseIgnoreFlag(flagSlice(p, 'ignore-preflight-errors')));
  } catch (err) {
    return fail(c, err as Error);
  }

  // Phase preflight
  if (!skip.has('preflight')) {
    if (!flagBool(p, 'force')) {
      c.warn('preflight.go:56', "[reset] WARNING: Changes made to this host by 'kubeadm init' or 'kubeadm join' will be reverted.");
      c.out('[reset] Are you sure you want to proceed? [y/N]: ');
      const answer = (c.stdin ?? '').split('\n')[0].trim().toLowerCase();
      c.flush();
      if (answer !== 'y' && answer !== 'yes') return fail(c, "error execution phase preflight: won't proceed; the user didn't answer (Y|n) in order to continue");
    }
    c.out('[preflight] Running pre-flight checks\n');
    const rootErr = await runRootCheckOnly(c.host, ignore, c.err);
    if (rootErr) return fail(c, `error execution phase preflight: ${rootErr.message}`);
  }

  // Phase remove-etcd-member: without a configuration from the cluster, the static Pod names the data directory.
  if (!skip.has('remove-etcd-member')) {
    const manifest = c.host.fs.tryReadFile('/etc/kubernetes/manifests/etcd.yaml');
    const dataDir = manifest === undefined ? undefined : etcdDataDirFromManifest(manifest);
    if (manifest !== undefined) c.warn('removeetcdmember.go:105', '[reset] No kubeadm config, using etcd pod spec to get data directory');
    if (dataDir) {
      if (dryRun) c.out(`[reset] Would delete contents of the etcd data directory: ${dataDir}\n`);
      else {
        cleanDir(c, dataDir);
        c.out(`[reset] Deleted contents of the etcd data directory: ${dataDir}\n`);
      }
    } else {
      c.out('[reset] No etcd config found. Assuming external etcd\n[reset] Please, manually reset etcd to prevent further issues\n');
    }
  }

  // Phase cleanup-node
  if (!skip.has('cleanup-node')) {
    const dirs = ['/etc/kubernetes/manifests'];
    if (dryRun) c.out('[reset] Would stop the kubelet service\n');
    else {
      c.out('[reset] Stopping the kubelet service\n');
      if (c.host.systemd.get('kubelet')) c.host.systemd.stop('kubelet');
    }
    if (dryRun) c.out(`[reset] Would unmount mounted directories in "${KubeletRunDirectory}"\n`);
    else {
      c.out(`[reset] Unmounting mounted directories in "${KubeletRunDirectory}"\n`);
      if (c.host.fs.exists(KubeletRunDirectory)) dirs.push(KubeletRunDirectory);
      else c.warn('cleanupnode.go:99', `[reset] Failed to evaluate the "${KubeletRunDirectory}" directory. Skipping its unmount and cleanup: lstat ${KubeletRunDirectory}: no such file or directory`);
    }
    if (dryRun) c.out('[reset] Would remove Kubernetes-managed containers\n');
    if (certsDir !== '/etc/kubernetes/pki') c.warn('cleanupnode.go:120', `[reset] WARNING: Cleaning a non-default certificates directory: "${certsDir}"`);
    dirs.push(certsDir);
    if (flagBool(p, 'cleanup-tmp-dir')) dirs.push('/etc/kubernetes/tmp');
    const files = ['admin.conf', 'super-admin.conf', 'kubelet.conf', 'bootstrap-kubelet.conf', 'controller-manager.conf', 'scheduler.conf'].map((f) => `/etc/kubernetes/${f}`);
    if (dryRun) {
      c.out(`[reset] Would delete contents of directories: [${dirs.join(' ')}]\n[reset] Would delete files: [${files.join(' ')}]\n`);
    } else {
      c.out(`[reset] Deleting contents of directories: [${dirs.join(' ')}]\n`);
      for (const d of dirs) cleanDir(c, d);
      c.out(`[reset] Deleting files: [${files.join(' ')}]\n`);
      for (const f of files) if (c.host.fs.exists(f)) c.host.fs.removeAll(f);
    }
  }
  c.out(ManualCleanupInstructions);
  c.flush();
  return 0;
}
