/**
 * The `kubeadm init` workflow: its phases in v1.34's order (etcd and control-plane before
 * kubelet-start, so the kubelet finds every manifest at its first real start; older releases
 * started the kubelet right after preflight), the whole run, and `kubeadm init phase <name> [sub]`.
 * Upstream: cmd/kubeadm/app/cmd/init.go (newCmdInit, manageSkippedAddons), phases/init/preflight.go (NewPreflightPhase)
 */
import { runInitPreflightPhase } from '../../preflight/phase';
import { Runner } from '../../workflow/runner';
import type { Phase } from '../../workflow/phase';
import { newCertsPhase, newKubeConfigPhase } from './certs';
import { newClusterPhases } from './cluster';
import { newControlPlanePhase, newEtcdPhase } from './controlplane';
import type { InitData } from './data';
import { newKubeletStartPhase } from './kubelet';

// Upstream: phases/init/preflight.go (runPreflight)
function newPreflightPhase(): Phase<InitData> {
  return {
    name: 'preflight',
    short: 'Run pre-flight checks',
    run: async (d) => {
      const ctx = { host: d.host, cri: d.o.cri, klog: d.o.err, pid: d.o.pid };
      const failed = await runInitPreflightPhase(ctx, d.preflightConfig(), d.ignorePreflightErrors, { out: d.o.out, err: d.o.err }, { dryRun: d.o.dryRun });
      // The runner adds "error execution phase preflight: " itself.
      if (failed) throw failed.cause;
    },
  };
}

// Upstream: cmd/init.go (newCmdInit: initRunner.AppendPhase ...)
export function newInitRunner(): Runner<InitData> {
  const r = new Runner<InitData>();
  for (const p of [newPreflightPhase(), newCertsPhase(), newKubeConfigPhase(), newEtcdPhase(), newControlPlanePhase(), newKubeletStartPhase(), ...newClusterPhases()]) r.appendPhase(p);
  return r;
}

/** `dns.disabled` / `proxy.disabled` skip their addon phases; both skip the whole `addon` phase. */
// Upstream: cmd/init.go (manageSkippedAddons)
export function manageSkippedAddons(d: InitData, skip: string[]): string[] {
  const out = [...skip];
  const dns = !!d.cluster.dns.disabled;
  const proxy = !!d.cluster.proxy.disabled;
  if (dns && !out.includes('addon/coredns')) out.push('addon/coredns');
  if (proxy && !out.includes('addon/kube-proxy')) out.push('addon/kube-proxy');
  if (dns && proxy && !out.includes('addon')) out.push('addon');
  return out;
}

/** `kubeadm init [--skip-phases ...]`: the version line, then every phase; the error that ends it, if any. */
// Upstream: cmd/init.go (newCmdInit RunE)
export async function runInit(d: InitData, skipPhases: string[] = []): Promise<Error | undefined> {
  d.out(`[init] Using Kubernetes version: ${d.kubernetesVersion()}`);
  // The flag wins; without it the configuration's skipPhases apply.
  const skip = manageSkippedAddons(d, skipPhases.length ? skipPhases : (d.init.skipPhases ?? []));
  return newInitRunner().run(d, { skipPhases: skip, env: d.env, workflow: 'init' });
}

/** `kubeadm init phase <path...>`: one phase (with its sub-phases), `all` meaning its parent. */
// Upstream: workflow/runner.go (BindToCommand: the generated phase subcommands)
export async function runInitPhase(d: InitData, path: string[]): Promise<Error | undefined> {
  const r = newInitRunner();
  const cmd = r.resolvePhaseCommand('init', path);
  if (cmd.kind === 'unknown') return new Error(cmd.error);
  if (cmd.kind === 'help') return new Error(`${cmd.runner} has sub-phases: ${r.phaseRunners().filter((p) => p.parent?.generatedName === cmd.runner).map((p) => p.phase.name).join(', ')}`);
  return r.run(d, { filterPhases: [cmd.selector], env: d.env, workflow: 'init' });
}
