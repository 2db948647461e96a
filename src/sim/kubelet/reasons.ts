import type { ContainerState } from './types';

/** Waiting reasons the kubelet sets, by the name upstream gives them. */
// Upstream: pkg/kubelet/kubelet_pods.go (ContainerCreating, PodInitializing), pkg/kubelet/images/types.go,
// pkg/kubelet/container/sync_result.go (ErrCrashLoopBackOff, ErrCreateContainerConfig, ...)
export const WaitingReason = {
  ContainerCreating: 'ContainerCreating',
  PodInitializing: 'PodInitializing',
  CrashLoopBackOff: 'CrashLoopBackOff',
  ErrImagePull: 'ErrImagePull',
  ImagePullBackOff: 'ImagePullBackOff',
  ErrImageNeverPull: 'ErrImageNeverPull',
  InvalidImageName: 'InvalidImageName',
  CreateContainerConfigError: 'CreateContainerConfigError',
  CreateContainerError: 'CreateContainerError',
} as const;

/**
 * Terminated reasons: the container runtime writes them and the kubelet passes them through.
 * StartError is containerd's word for a process that never started; ContainerCannotRun is
 * dockershim's for the same failure (older clusters, most blog posts).
 */
export const TerminatedReason = {
  Completed: 'Completed',
  Error: 'Error',
  OOMKilled: 'OOMKilled',
  StartError: 'StartError',
  ContainerCannotRun: 'ContainerCannotRun',
} as const;

/**
 * The state a container has before the runtime reports anything for it: PodInitializing while the
 * pod has init containers, ContainerCreating otherwise.
 */
// Upstream: pkg/kubelet/kubelet_pods.go (convertToAPIContainerStatuses: defaultWaitingState)
export function defaultWaitingState(hasInitContainers: boolean): ContainerState {
  return { waiting: { reason: hasInitContainers ? WaitingReason.PodInitializing : WaitingReason.ContainerCreating } };
}

/**
 * The waiting state after a failed sync: the reason is the sync error's name and the message its
 * detail, as the kubelet's reason cache keeps them (CrashLoopBackOff with doBackOff's message,
 * ImagePullBackOff with `Back-off pulling image "x"`, CreateContainerConfigError with e.g.
 * `configmap "cfg" not found`).
 */
// Upstream: pkg/kubelet/kubelet_pods.go (convertToAPIContainerStatuses: reasonCache lookup)
export function waitingStateAfterSyncError(reason: string, message: string): ContainerState {
  return { waiting: message ? { reason, message } : { reason } };
}

export interface ExitInfo {
  exitCode: number;
  /** The kernel's OOM killer ended the container (cgroup memory.events oom_kill). */
  oomKilled?: boolean;
  /** The process never started: the runtime's create/start call failed. */
  startFailed?: boolean;
  /** Which runtime's words to use for a failed start (default containerd). */
  runtime?: 'containerd' | 'dockershim';
}

/**
 * The terminated reason a CRI runtime reports: OOMKilled wins (whatever the exit code, usually
 * 137), then a failed start, then Completed for exit 0 and Error for anything else.
 */
// Upstream: containerd internal/cri/server/helpers.go (errorStartReason, completeExitReason,
// errorExitReason, oomExitReason) and container_status.go (Completed / Error when no reason is set)
export function terminatedReason(exit: ExitInfo): string {
  if (!Number.isInteger(exit.exitCode)) throw new RangeError(`terminatedReason: exitCode must be an integer, got ${exit.exitCode}`);
  if (exit.oomKilled) return TerminatedReason.OOMKilled;
  if (exit.startFailed) return exit.runtime === 'dockershim' ? TerminatedReason.ContainerCannotRun : TerminatedReason.StartError;
  return exit.exitCode === 0 ? TerminatedReason.Completed : TerminatedReason.Error;
}

/** The exit code containerd records for a container that failed to start ("the same as Docker"). */
export const ERROR_START_EXIT_CODE = 128;

/** A terminated state with the runtime's reason; the exit code is kept as given. */
export function terminatedState(exit: ExitInfo, finishedAt?: number): ContainerState {
  const terminated: NonNullable<ContainerState['terminated']> = { exitCode: exit.exitCode, reason: terminatedReason(exit) };
  if (finishedAt !== undefined) terminated.finishedAt = finishedAt;
  return { terminated };
}
