import type { ContainerStatus, PodPhase, PodSpecForStatus, SpecContainer } from './types';

export interface GetPhaseOptions {
  /** The pod worker has finished the pod: its containers will not be restarted whatever the policy. */
  podIsTerminal?: boolean;
  /** The pod's init containers completed once (PodInitialized was true); survives a sandbox restart. */
  podHasInitialized?: boolean;
  /** Static pods never get a terminal phase from podIsTerminal (upstream TODO #116484). */
  isStaticPod?: boolean;
}

const isSidecar = (c: SpecContainer) => c.restartPolicy === 'Always';

/**
 * The pod phase from its containers' statuses. Regular init containers must all have exited 0;
 * sidecars (restartable init containers) must be started; then the regular containers decide:
 * any waiting -> Pending, any running -> Running, all exited -> by restart policy.
 * getPhase never answers Unknown: that phase comes from the node lifecycle controller, not here.
 */
// Upstream: pkg/kubelet/kubelet_pods.go (getPhase)
export function getPhase(spec: PodSpecForStatus, info: ContainerStatus[], opts: GetPhaseOptions = {}): PodPhase {
  const restartPolicy = spec.restartPolicy ?? 'Always';
  const statusOf = (name: string) => info.find((s) => s.name === name);
  const initContainers = spec.initContainers ?? [];

  let pendingRegularInit = 0;
  let failedInitialization = 0;
  for (const c of initContainers) {
    if (isSidecar(c)) continue;
    const s = statusOf(c.name);
    if (!s || s.state.running) pendingRegularInit++;
    else if (s.state.terminated) failedInitialization += s.state.terminated.exitCode !== 0 ? 1 : 0;
    else if (s.state.waiting && s.lastTerminationState?.terminated) failedInitialization += s.lastTerminationState.terminated.exitCode !== 0 ? 1 : 0;
    else pendingRegularInit++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  let pendingSidecars = 0;
  for (const c of initContainers) {
    if (!isSidecar(c)) continue;
    const s = statusOf(c.name);
    if (!s) unknown++;
    else if (s.state.running) {
      if (!s.started) pendingSidecars++;
      running++;
    } else if (s.state.terminated) {
      // An exited sidecar neither holds the pod up nor counts towards its outcome.
    } else if (s.state.waiting) {
      if (!s.lastTerminationState?.terminated) {
        pendingSidecars++;
        waiting++;
      }
    } else {
      pendingSidecars++;
      unknown++;
    }
  }

  for (const c of spec.containers) {
    const s = statusOf(c.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastTerminationState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  if (failedInitialization > 0 && restartPolicy === 'Never') return 'Failed';

  // After a node reboot every container shows exited and the sandbox is new: a sidecar not yet
  // started again must not send an initialized pod back to Pending.
  if (pendingRegularInit > 0 || (pendingSidecars > 0 && !opts.podHasInitialized) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (opts.podIsTerminal && !opts.isStaticPod) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running'; // every container is on its way back
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running'; // OnFailure: the failed ones restart
  }
  return 'Pending';
}
