/**
 * The `preflight` phase of `kubeadm init` and `kubeadm join`, with what each prints on stdout and
 * stderr, and how the kubeadm command reports a failed phase:
 *
 *     error: error execution phase preflight: preflight checks failed
 *     To see the stack trace of this error execute with --v=5 or higher
 */
import type { Writer } from './run';
import { runInitNodeChecks, runJoinNodeChecks, runPullImagesCheck, type PreflightContext, type PreflightInitConfig, type PreflightJoinConfig } from './lists';
import type { IgnoreSet } from './run';

export interface PhaseIO {
  /** stdout */
  out: Writer;
  /** stderr (warnings, the fatal block, klog lines) */
  err: Writer;
}

/** The error of a failed phase, as the workflow runner wraps it. */
// Upstream: cmd/kubeadm/app/cmd/phases/workflow/runner.go (Run: "error execution phase %s")
export class PhaseError extends Error {
  constructor(
    readonly phase: string,
    readonly cause: Error,
  ) {
    super(`error execution phase ${phase}: ${cause.message}`);
    this.name = 'PhaseError';
  }
}

/** What the kubeadm command prints for an error that ends it (below --v=5: no stack trace). */
// Upstream: cmd/kubeadm/app/util/errors/handle.go (HandleError)
export function commandErrorText(err: Error): string {
  return `error: ${err.message}\nTo see the stack trace of this error execute with --v=5 or higher`;
}

const PULL_LINES = [
  '[preflight] Pulling images required for setting up a Kubernetes cluster',
  '[preflight] This might take a minute or two, depending on the speed of your internet connection',
  "[preflight] You can also perform this action beforehand using 'kubeadm config images pull'",
];

/** `kubeadm init phase preflight`: the checks, then the image pull (or what a dry run would pull). */
// Upstream: cmd/kubeadm/app/cmd/phases/init/preflight.go (runPreflight)
export async function runInitPreflightPhase(ctx: PreflightContext, cfg: PreflightInitConfig, ignore: IgnoreSet, io: PhaseIO, opts: { dryRun?: boolean } = {}): Promise<PhaseError | undefined> {
  io.out('[preflight] Running pre-flight checks\n');
  const failed = await runInitNodeChecks(ctx, cfg, ignore, io.err);
  if (failed) return new PhaseError('preflight', failed);
  if (opts.dryRun) {
    io.out("[preflight] Would pull the required images (like 'kubeadm config images pull')\n");
    return undefined;
  }
  for (const line of PULL_LINES) io.out(`${line}\n`);
  const pull = await runPullImagesCheck(ctx, cfg, ignore, io.err);
  return pull ? new PhaseError('preflight', pull) : undefined;
}

/**
 * `kubeadm join` preflight: the node checks; for `--control-plane`, the cluster must have a
 * stable controlPlaneEndpoint, then the init checks of a secondary control plane and the pull.
 */
// Upstream: cmd/kubeadm/app/cmd/phases/join/preflight.go (runPreflight, checkIfReadyForAdditionalControlPlane)
export async function runJoinPreflightPhase(
  ctx: PreflightContext,
  cfg: PreflightJoinConfig,
  ignore: IgnoreSet,
  io: PhaseIO,
  controlPlane?: { initCfg: PreflightInitConfig; controlPlaneEndpoint: string; hasCertificateKey: boolean },
): Promise<PhaseError | undefined> {
  io.out('[preflight] Running pre-flight checks\n');
  const failed = await runJoinNodeChecks(ctx, cfg, ignore, io.err);
  if (failed) return new PhaseError('preflight', failed);
  if (!cfg.controlPlane || !controlPlane) return undefined;
  if (!controlPlane.controlPlaneEndpoint) {
    const why = "unable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address";
    const msg = `\nOne or more conditions for hosting a new control plane instance is not satisfied.\n\n${why}\n\nPlease ensure that:\n* The cluster has a stable controlPlaneEndpoint address.\n* The certificates that must be shared among control plane instances are provided.\n\n`;
    return new PhaseError('preflight', new Error(msg));
  }
  io.out('[preflight] Running pre-flight checks before initializing the new control plane instance\n');
  const cp = await runInitNodeChecks(ctx, controlPlane.initCfg, ignore, io.err, true, controlPlane.hasCertificateKey);
  if (cp) return new PhaseError('preflight', cp);
  for (const line of PULL_LINES) io.out(`${line}\n`);
  const pull = await runPullImagesCheck(ctx, controlPlane.initCfg, ignore, io.err);
  return pull ? new PhaseError('preflight', pull) : undefined;
}
