/**
 * The runtime's view of pods, as the kubelet keeps it between CRI calls: pkg/kubelet/container
 * runtime.go (`Pod`, `PodStatus`, `Status` of a container). Times are virtual milliseconds here
 * (CRI's nanoseconds are divided on the way in).
 */
import type { PodSandboxStatus } from '../cri/api';

/** kubecontainer.State: CRI's four states in the kubelet's words. */
export type RuntimeContainerState = 'created' | 'running' | 'exited' | 'unknown';

// Upstream: pkg/kubelet/container/runtime.go (Status)
export interface RuntimeContainerStatus {
  /** `containerd://<id>` style: type + id (the pod status's containerID). */
  id: string;
  /** The CRI id alone. */
  rawId: string;
  name: string;
  state: RuntimeContainerState;
  createdAtMs: number;
  startedAtMs: number;
  finishedAtMs: number;
  exitCode: number;
  image: string;
  imageRef: string;
  /** The attempt (the container's restart count). */
  restartCount: number;
  /** The spec fingerprint the container was created from (annotation io.kubernetes.container.hash). */
  hash: string;
  reason: string;
  message: string;
}

// Upstream: pkg/kubelet/container/runtime.go (PodStatus)
export interface RuntimePodStatus {
  id: string;
  name: string;
  namespace: string;
  ips: string[];
  /** Newest first. */
  sandboxStatuses: PodSandboxStatus[];
  /** Newest first (by creation). */
  containerStatuses: RuntimeContainerStatus[];
  /** When the status was read (virtual ms). */
  timestampMs: number;
}

/** One container or sandbox as the PLEG sees it: pkg/kubelet/container/runtime.go (Container). */
export interface RuntimeContainer {
  id: string;
  name: string;
  state: RuntimeContainerState;
}

// Upstream: pkg/kubelet/container/runtime.go (Pod)
export interface RuntimePod {
  id: string;
  name: string;
  namespace: string;
  containers: RuntimeContainer[];
  /** Sandboxes as containers (the PLEG compares them too). */
  sandboxes: RuntimeContainer[];
}

/** The newest status of the container named `name` (kubecontainer.PodStatus.FindContainerStatusByName). */
export function findContainerStatusByName(status: RuntimePodStatus | undefined, name: string): RuntimeContainerStatus | undefined {
  return status?.containerStatuses.find((c) => c.name === name);
}
