/**
 * What one sync must do to a pod's sandbox and containers, from the spec and the runtime's status
 * alone: pkg/kubelet/kuberuntime/kuberuntime_manager.go (computePodActions, podSandboxChanged,
 * computeInitContainerActions with sidecars, v1.34) and pkg/kubelet/container/helpers.go
 * (ShouldContainerBeRestarted). Pure: the SyncPod in manager.ts carries the actions out.
 */
import type { Container, Pod } from '../../api/core/v1';
import type { ProbeResult } from '../prober/types';
import { hashContainer } from './labels';
import { findContainerStatusByName, type RuntimeContainerStatus, type RuntimePodStatus } from './types';

/** Why a running container is killed (kuberuntime_container.go containerKillReason). */
export type ContainerKillReason = '' | 'StartupProbe' | 'LivenessProbe' | 'Unknown';

export interface ContainerToKillInfo {
  name: string;
  container: Container;
  message: string;
  reason: ContainerKillReason;
}

// Upstream: kuberuntime_manager.go (podActions)
export interface PodActions {
  /** Stop every container and the sandbox first. */
  killPod: boolean;
  /** Create a new sandbox (after killing the old one). */
  createSandbox: boolean;
  /** The newest sandbox's ID ('' when there is none). */
  sandboxId: string;
  /** The new sandbox's attempt (the old one's + 1). */
  attempt: number;
  /** Indexes into spec.initContainers to start, in order. */
  initContainersToStart: number[];
  /** Indexes into spec.containers to start. */
  containersToStart: number[];
  /** Running containers to kill, by runtime container id. */
  containersToKill: Map<string, ContainerToKillInfo>;
}

/** The probe results computePodActions reads (the liveness and startup results managers). */
export interface ProbeResultsLookup {
  liveness(containerId: string): ProbeResult | undefined;
  startup(containerId: string): ProbeResult | undefined;
}

const noResults: ProbeResultsLookup = { liveness: () => undefined, startup: () => undefined };

export const isRestartableInitContainer = (c: Container) => c.restartPolicy === 'Always';

// Upstream: kuberuntime_manager.go (shouldRestartOnFailure)
export const shouldRestartOnFailure = (pod: Pod) => (pod.spec.restartPolicy ?? 'Always') !== 'Never';

const containerSucceeded = (c: Container, status: RuntimePodStatus) => {
  const s = findContainerStatusByName(status, c.name);
  return s !== undefined && s.state === 'exited' && s.exitCode === 0;
};

const isInitContainerFailed = (s: RuntimeContainerStatus) => (s.state === 'exited' && s.exitCode !== 0) || s.state === 'unknown';

/** Whether the sandbox must be (re)created: none, more than one ready, or the newest not ready. */
// Upstream: pkg/kubelet/kuberuntime/util/util.go (PodSandboxChanged)
export function podSandboxChanged(pod: Pod, status: RuntimePodStatus): { changed: boolean; attempt: number; sandboxId: string } {
  if (status.sandboxStatuses.length === 0) return { changed: true, attempt: 0, sandboxId: '' };
  const ready = status.sandboxStatuses.filter((s) => s.state === 'SANDBOX_READY').length;
  const newest = status.sandboxStatuses[0];
  const next = { changed: true, attempt: newest.metadata.attempt + 1, sandboxId: newest.id };
  if (ready > 1) return next;
  if (newest.state !== 'SANDBOX_READY') return next;
  const wantNetwork = pod.spec.hostNetwork ? 'NODE' : 'POD';
  if ((newest.linux?.namespaces?.options?.network ?? 'POD') !== wantNetwork) return next;
  if (!pod.spec.hostNetwork && !newest.network?.ip) return next;
  return { changed: false, attempt: newest.metadata.attempt, sandboxId: newest.id };
}

/**
 * Whether a container that is not running should be started: never for a pod being deleted;
 * always when it never ran or is only created / unknown; after an exit, by restart policy.
 */
// Upstream: pkg/kubelet/container/helpers.go (ShouldContainerBeRestarted)
export function shouldContainerBeRestarted(container: Container, pod: Pod, status: RuntimePodStatus): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const s = findContainerStatusByName(status, container.name);
  if (!s) return true;
  if (s.state === 'running') return false;
  if (s.state === 'unknown' || s.state === 'created') return true;
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && s.exitCode === 0) return false;
  return true;
}

// Upstream: kuberuntime_manager.go (computePodActions)
export function computePodActions(pod: Pod, status: RuntimePodStatus, probes: ProbeResultsLookup = noResults): PodActions {
  const sandbox = podSandboxChanged(pod, status);
  const changes: PodActions = {
    killPod: sandbox.changed,
    createSandbox: sandbox.changed,
    sandboxId: sandbox.sandboxId,
    attempt: sandbox.attempt,
    initContainersToStart: [],
    containersToStart: [],
    containersToKill: new Map(),
  };
  const initContainers = pod.spec.initContainers ?? [];

  if (sandbox.changed) {
    // A pod that must not restart and already ran its containers does not get a new sandbox.
    if (!shouldRestartOnFailure(pod) && sandbox.attempt !== 0 && status.containerStatuses.length !== 0) {
      changes.createSandbox = false;
      return changes;
    }
    const containersToStart: number[] = [];
    pod.spec.containers.forEach((c, idx) => {
      if ((pod.spec.restartPolicy ?? 'Always') === 'OnFailure' && containerSucceeded(c, status)) return;
      containersToStart.push(idx);
    });
    // Nothing would run in a new sandbox (every container succeeded, init done): just kill the pod.
    if (containersToStart.length === 0 && initContainers.every((c) => isRestartableInitContainer(c) || containerSucceeded(c, status))) {
      changes.createSandbox = false;
      return changes;
    }
    if (initContainers.length > 0) {
      changes.initContainersToStart = [0];
      return changes;
    }
    changes.containersToStart = containersToStart;
    return changes;
  }

  const hasInitialized = computeInitContainerActions(pod, status, changes, probes);
  if (changes.killPod || !hasInitialized) return changes;

  let keepCount = 0;
  pod.spec.containers.forEach((container, idx) => {
    const s = findContainerStatusByName(status, container.name);
    if (!s || s.state !== 'running') {
      if (shouldContainerBeRestarted(container, pod, status)) {
        changes.containersToStart.push(idx);
        if (s?.state === 'unknown') changes.containersToKill.set(s.rawId, { name: container.name, container, message: `Container is in ${s.state} state, try killing it before restart`, reason: 'Unknown' });
      }
      return;
    }
    let restart = shouldRestartOnFailure(pod);
    let message: string;
    let reason: ContainerKillReason = '';
    if (s.hash !== hashContainer(container)) {
      message = `Container ${container.name} definition changed`;
      restart = true;
    } else if (probes.liveness(s.id) === 'Failure') {
      message = `Container ${container.name} failed liveness probe`;
      reason = 'LivenessProbe';
    } else if (probes.startup(s.id) === 'Failure') {
      message = `Container ${container.name} failed startup probe`;
      reason = 'StartupProbe';
    } else {
      keepCount++;
      return;
    }
    if (restart) {
      message = `${message}, will be restarted`;
      changes.containersToStart.push(idx);
    }
    changes.containersToKill.set(s.rawId, { name: container.name, container, message, reason });
  });

  if (keepCount === 0 && changes.containersToStart.length === 0) {
    changes.killPod = true;
    // Sidecars must not keep a pod alive whose regular containers are done.
    changes.initContainersToStart = [];
  }
  return changes;
}

/**
 * Which init containers to (re)start. Walks them from the last back to the first found in the
 * runtime (completed ones may have been garbage collected, so the last one found is what counts).
 * Regular init containers run one at a time; sidecars (restartPolicy Always) stay running, are
 * restarted when they exit, and count as initialized once started (and past their startup probe).
 * Returns whether the pod has initialized.
 */
// Upstream: kuberuntime_manager.go (computeInitContainerActions)
export function computeInitContainerActions(pod: Pod, status: RuntimePodStatus, changes: PodActions, probes: ProbeResultsLookup = noResults): boolean {
  const inits = pod.spec.initContainers ?? [];
  if (inits.length === 0) return true;
  const isPreviouslyInitialized = pod.spec.containers.some((c) => findContainerStatusByName(status, c.name) !== undefined);
  const restartOnFailure = shouldRestartOnFailure(pod);
  let podHasInitialized = false;
  let anyFound = false;
  for (let i = inits.length - 1; i >= 0; i--) {
    const container = inits[i];
    const s = findContainerStatusByName(status, container.name);
    const sidecar = isRestartableInitContainer(container);
    if (!s) {
      if (isPreviouslyInitialized && sidecar) changes.initContainersToStart.push(i);
      continue;
    }
    anyFound = true;
    if (isPreviouslyInitialized && !sidecar) continue;
    const initialized = () => {
      if (i === inits.length - 1) podHasInitialized = true;
      else if (!isPreviouslyInitialized) changes.initContainersToStart.push(i + 1);
    };
    if (s.state === 'created') changes.initContainersToStart.push(i);
    else if (s.state === 'running') {
      if (sidecar) {
        const startup = container.startupProbe ? probes.startup(s.id) : 'Success';
        if (startup === 'Failure') {
          changes.containersToKill.set(s.rawId, { name: container.name, container, message: `Init container ${container.name} failed startup probe`, reason: 'StartupProbe' });
          changes.initContainersToStart.push(i);
        } else if (startup === 'Success') {
          initialized();
          if (probes.liveness(s.id) === 'Failure') {
            changes.containersToKill.set(s.rawId, { name: container.name, container, message: `Init container ${container.name} failed liveness probe`, reason: 'LivenessProbe' });
            changes.initContainersToStart.push(i);
          }
        }
      }
      // A regular init container still running: wait for it.
    } else if (s.state === 'exited') {
      if (sidecar) changes.initContainersToStart.push(i);
      else if (isInitContainerFailed(s)) {
        if (!restartOnFailure) {
          changes.killPod = true;
          changes.initContainersToStart = [];
          return false;
        }
        changes.initContainersToStart.push(i);
      } else initialized();
    } else {
      // unknown
      if (sidecar || isInitContainerFailed(s)) {
        if (!sidecar && !restartOnFailure) {
          changes.killPod = true;
          changes.initContainersToStart = [];
          return false;
        }
        changes.containersToKill.set(s.rawId, { name: container.name, container, message: `Init container is in ${s.state} state, try killing it before restart`, reason: 'Unknown' });
        changes.initContainersToStart.push(i);
      }
    }
    if (!isPreviouslyInitialized) break;
  }
  if (!anyFound && !isPreviouslyInitialized) changes.initContainersToStart.push(0);
  // Upstream starts them in spec order.
  changes.initContainersToStart.sort((a, b) => a - b);
  return podHasInitialized || isPreviouslyInitialized;
}
