/**
 * The seam between the kubelet's pod workers and its prober (pkg/kubelet/prober, v1.34): the
 * results managers the prober writes and the sync loop reads, and what the prober needs from the
 * rest of the kubelet to run a probe. The prober (`./prober_manager.ts`) and the kubelet
 * (`../kubelet.ts`) are built against these types.
 */
import type { Pod } from '../../api/core/v1';

// Upstream: pkg/kubelet/prober/results/results_manager.go (Result)
export type ProbeResult = 'Success' | 'Failure' | 'Unknown';

export type ProbeType = 'Liveness' | 'Readiness' | 'Startup';

// Upstream: results_manager.go (Update)
export interface ProbeUpdate {
  /** The runtime's container ID (`containerd://<id>` as in the pod status). */
  containerId: string;
  result: ProbeResult;
  podUid: string;
}

// Upstream: results_manager.go (Manager): Get, Set, Remove, Updates (a channel; here a subscription)
export interface ResultsManager {
  get(containerId: string): ProbeResult | undefined;
  /** Stores the result; tells subscribers only when it changed (as upstream's Set does). */
  set(containerId: string, result: ProbeResult, pod: Pod): void;
  remove(containerId: string): void;
  /** Go's `Updates()` channel: the sync loop's probe channels subscribe; returns an unsubscribe. */
  onUpdate(fn: (update: ProbeUpdate) => void): () => void;
}

/** What a probe worker needs from the kubelet: the pod's last status (the status manager's cache). */
export interface PodStatusProvider {
  // Upstream: pkg/kubelet/status/status_manager.go (GetPodStatus)
  getPodStatus(podUid: string): import('../../api/core/v1').PodStatus | undefined;
}

/** How a probe runs: exec through the runtime, HTTP and TCP through the pod network. */
export interface ProbeRunner {
  exec(containerId: string, cmd: string[], timeoutSeconds: number): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  httpGet(ip: string, port: number, path: string, headers: Record<string, string>, timeoutMs: number): Promise<{ statusCode: number; body: string }>;
  tcpConnect(ip: string, port: number, timeoutMs: number): Promise<void>;
}

/**
 * The prober as the kubelet drives it (pkg/kubelet/prober/prober_manager.go, Manager): a worker per
 * probed container, started when the pod is added, stopped when it is removed; `updatePodStatus`
 * fills each container status's `ready` and `started` from the results.
 */
export interface ProberManager {
  addPod(pod: Pod): void;
  removePod(pod: Pod): void;
  /** Stops the workers of pods not in `desiredPodUids` (housekeeping). */
  cleanupPods(desiredPodUids: Set<string>): void;
  updatePodStatus(pod: Pod, status: import('../../api/core/v1').PodStatus): void;
  stop(): void;
}
