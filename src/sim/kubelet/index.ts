/**
 * The kubelet model (Kubernetes v1.34), first increment: backoffs and the status reasons.
 * See README.md in this folder for the upstream files, the divergences and what is not done yet.
 */
export { Backoff, type BackoffClock, type BackoffJitter, type HasExpiredFunc } from './backoff';
export {
  CRASH_LOOP_BACK_OFF_RESET_MS,
  INITIAL_CRASH_LOOP_BACK_OFF_MS,
  MAX_CONTAINER_BACK_OFF_MS,
  MIN_CONTAINER_RESTART_PERIOD_MS,
  REDUCED_INITIAL_CRASH_LOOP_BACK_OFF_MS,
  REDUCED_MAX_CRASH_LOOP_BACK_OFF_MS,
  doBackOff,
  formatPod,
  getStableKey,
  newCrashLoopBackOff,
  newKubeletCrashLoopBackOff,
  type CrashLoopBackOffConfig,
  type DoBackOffResult,
  type PodRef,
} from './crashloop';
export { IMAGE_BACK_OFF_PERIOD_MS, MAX_IMAGE_BACK_OFF_MS, ensureImageExists, newImageBackOff, type EnsureImageResult, type KubeletEvent } from './imagepull';
export { ERROR_START_EXIT_CODE, TerminatedReason, WaitingReason, defaultWaitingState, terminatedReason, terminatedState, waitingStateAfterSyncError, type ExitInfo } from './reasons';
export { getPhase, type GetPhaseOptions } from './phase';
export type { ContainerState, ContainerStatus, PodPhase, PodSpecForStatus, RestartPolicy, SpecContainer } from './types';
