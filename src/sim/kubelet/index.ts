/**
 * The kubelet model (Kubernetes v1.34): backoffs and status reasons, and the running kubelet
 * (sync loop, PLEG, pod workers, runtime manager, status manager, volumes, config source).
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

// The running kubelet (issue 13, second increment).
export { newKubelet, noopProberFactory, syncError, HOUSEKEEPING_PERIOD_MS, SYNC_PERIOD_MS, Kubelet, type KubeletConfig, type KubeletOptions, type ProberDeps, type ProberFactory, type RecordedEvent } from './kubelet';
export { ApiserverSource, FileSource, ConfigSourceAnnotationKey, ConfigFirstSeenAnnotationKey, PodConfig, checkAndUpdatePod, newSourceApiserver, type PodOperation, type PodUpdate } from './config';
export { SourceFile, extractFromFile, applyStaticPodDefaults, generatePodName, fnv128a, isStaticPod, isMirrorPod, isMirrorPodOf, ConfigMirrorAnnotationKey, ConfigHashAnnotationKey, FILE_CHECK_FREQUENCY_MS, type ManifestFs, type FileSourceOptions } from './config_file';
export { newBasicMirrorClient, type MirrorClient } from './mirror_client';
export { GenericPLEG, PLEG_CHANNEL_CAPACITY, RELIST_PERIOD_MS, RELIST_THRESHOLD_MS, generateEvents, type PlegRuntime, type PodLifecycleEvent, type PodLifecycleEventType } from './pleg';
export { PodCache } from './pod_cache';
export { PodWorkers, WORKER_BACK_OFF_PERIOD_MS, WORKER_RESYNC_INTERVAL_MS, calculateEffectiveGracePeriod, type PodSyncer, type SyncPodType, type UpdatePodOptions } from './pod_workers';
export { WorkQueue } from './work_queue';
export { ReasonCache } from './reason_cache';
export { StatusManager, STATUS_SYNC_PERIOD_MS, isPodStatusByKubeletEqual } from './status_manager';
export { generateAPIPodStatus, generateContainersReady, generatePodInitialized, convertToAPIContainerStatuses, noProbesUpdatePodStatus, type APIContainerState, type APIContainerStatus } from './kubelet_pods';
export { VolumeManager, MountError, emptyDirPath, newMemoryHostFs, podDir, type HostFs } from './volumes';
export { Journal, klogLine, LOG_SOURCES } from './journal';
export { kubeletEvents, type KubeletEventMap, type KubeletTraceEvent, type SyncLoopChannel } from './events';
export { KubeGenericRuntimeManager, MINIMUM_GRACE_PERIOD_SECONDS, type SyncResult, type SyncErrorName } from './kuberuntime/manager';
export { computePodActions, computeInitContainerActions, podSandboxChanged, shouldContainerBeRestarted, type PodActions } from './kuberuntime/compute_actions';
export { expand, expandContainerCommandAndArgs } from './kuberuntime/expansion';
export { generateContainerConfig, generatePodSandboxConfig, makeEnvironmentVariables } from './kuberuntime/container_config';
export { hashContainer } from './kuberuntime/labels';
export type { RuntimeContainerStatus, RuntimePod, RuntimePodStatus } from './kuberuntime/types';
export { FakeRuntimeService, buildContainerName, buildSandboxName, type ContainerScript } from './cri/testing/fake_runtime_service';
