/**
 * The pod status the kubelet reports: pkg/kubelet/kubelet_pods.go (generateAPIPodStatus,
 * convertStatusToAPIStatus, convertToAPIContainerStatuses) and pkg/kubelet/status/generate.go
 * (the Initialized, Ready, ContainersReady and PodReadyToStartContainers conditions), v1.34.
 */
import { deepCopy } from '../core/object';
import type { Container, Pod, PodCondition, PodStatus } from '../api/core/v1';
import { rfc3339 } from '../apiserver/registry/strategy';
import { shouldContainerBeRestarted, isRestartableInitContainer } from './kuberuntime/compute_actions';
import type { RuntimeContainerStatus, RuntimePodStatus } from './kuberuntime/types';
import { findContainerStatusByName } from './kuberuntime/types';
import { getPhase } from './phase';
import type { ProberManager } from './prober/types';
import type { ReasonCache } from './reason_cache';
import type { ContainerStatus as PhaseContainerStatus, PodSpecForStatus } from './types';

/** core/v1 ContainerStatus as the API carries it (times are RFC 3339 strings). */
export interface APIContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string; containerID?: string };
}

export interface APIContainerStatus {
  name: string;
  state: APIContainerState;
  lastState: APIContainerState;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
}

export interface StatusInputs {
  reasonCache: ReasonCache;
  prober: ProberManager;
  nowMs: number;
  hostIP?: string;
}

const time = (ms: number) => rfc3339(ms);

// Upstream: kubelet_pods.go (convertContainerStatus, inside convertToAPIContainerStatuses)
function convertContainerStatus(cs: RuntimeContainerStatus): APIContainerStatus {
  const status: APIContainerStatus = { name: cs.name, state: {}, lastState: {}, ready: false, restartCount: cs.restartCount, image: cs.image, imageID: cs.imageRef, containerID: cs.id };
  if (cs.state === 'running') status.state.running = { startedAt: time(cs.startedAtMs) };
  else if (cs.state === 'exited') {
    status.state.terminated = { exitCode: cs.exitCode, reason: cs.reason, ...(cs.message ? { message: cs.message } : {}), startedAt: time(cs.startedAtMs), finishedAt: time(cs.finishedAtMs), containerID: cs.id };
  } else status.state.waiting = {};
  return status;
}

/**
 * One status per spec container: the newest runtime container gives the state, the one before
 * it the lastState; a container that will be started again and whose last start failed shows the
 * reason cache's waiting reason; one the runtime never ran waits with ContainerCreating
 * (PodInitializing while the pod has init containers).
 */
// Upstream: kubelet_pods.go (convertToAPIContainerStatuses)
export function convertToAPIContainerStatuses(pod: Pod, podStatus: RuntimePodStatus, previous: APIContainerStatus[] | undefined, containers: Container[], hasInitContainers: boolean, isInitContainer: boolean, reasonCache: ReasonCache): APIContainerStatus[] {
  const old = new Map((previous ?? []).map((s) => [s.name, s]));
  const statuses = new Map<string, APIContainerStatus>();
  for (const c of containers) {
    let status: APIContainerStatus = { name: c.name, state: { waiting: { reason: hasInitContainers ? 'PodInitializing' : 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: c.image ?? '', imageID: '' };
    const o = old.get(c.name);
    if (o) {
      if (o.state.terminated) status = deepCopy(o);
      else {
        status.restartCount = o.restartCount;
        status.lastState = deepCopy(o.lastState);
      }
    }
    statuses.set(c.name, status);
  }
  const seen = new Map<string, number>();
  for (const cs of podStatus.containerStatuses) {
    const current = statuses.get(cs.name);
    if (!current) continue;
    const n = seen.get(cs.name) ?? 0;
    if (n >= 2) continue;
    const converted = convertContainerStatus(cs);
    if (n === 0) statuses.set(cs.name, converted);
    else current.lastState = converted.state;
    seen.set(cs.name, n + 1);
  }
  for (const c of containers) {
    if (isInitContainer) {
      const s = findContainerStatusByName(podStatus, c.name);
      if (s && s.state === 'exited' && s.exitCode === 0) continue;
    }
    if (!shouldContainerBeRestarted(c, pod, podStatus)) continue;
    const reason = reasonCache.get(pod.metadata.uid ?? '', c.name);
    if (!reason) continue;
    const status = statuses.get(c.name)!;
    if (status.state.terminated) status.lastState = status.state;
    status.state = { waiting: { reason: reason.reason, ...(reason.message ? { message: reason.message } : {}) } };
  }
  const order = containers.map((c) => c.name);
  return isInitContainer ? order.map((n) => statuses.get(n)!) : [...statuses.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const asPhaseStatus = (s: APIContainerStatus): PhaseContainerStatus => ({ name: s.name, state: s.state as PhaseContainerStatus['state'], lastTerminationState: s.lastState as PhaseContainerStatus['lastTerminationState'], started: s.started });
const list = (names: string[]) => `[${names.join(' ')}]`;

function condition(type: string, ok: boolean, reason: string | undefined, message: string | undefined, old: PodCondition[] | undefined, nowMs: number): PodCondition {
  const status = ok ? 'True' : 'False';
  const prev = old?.find((c) => c.type === type);
  // lastTransitionTime moves only when the status flips.
  const lastTransitionTime = prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : time(nowMs);
  return { type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}), lastProbeTime: null, lastTransitionTime };
}

/** Ready / ContainersReady: every regular container and sidecar ready; PodCompleted / PodFailed once terminal. */
// Upstream: pkg/kubelet/status/generate.go (GenerateContainersReadyCondition, GeneratePodReadyCondition)
export function generateContainersReady(pod: Pod, statuses: APIContainerStatus[], phase: string): { ok: boolean; reason?: string; message?: string } {
  const unknown: string[] = [];
  const unready: string[] = [];
  const byName = new Map(statuses.map((s) => [s.name, s]));
  for (const c of [...(pod.spec.initContainers ?? []).filter(isRestartableInitContainer), ...pod.spec.containers]) {
    const s = byName.get(c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { ok: false, reason: 'PodCompleted' };
  if (phase === 'Failed') return { ok: false, reason: 'PodFailed' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${list(unready)}`);
  return msgs.length ? { ok: false, reason: 'ContainersNotReady', message: msgs.join(', ') } : { ok: true };
}

/** Initialized: every regular init container exited 0 and every sidecar started (or a regular container ran). */
// Upstream: pkg/kubelet/status/generate.go (GeneratePodInitializedCondition)
export function generatePodInitialized(pod: Pod, statuses: APIContainerStatus[], phase: string): { ok: boolean; reason?: string; message?: string } {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of pod.spec.initContainers ?? []) {
    const s = byName.get(c.name);
    if (!s) unknown.push(c.name);
    else if (isRestartableInitContainer(c)) {
      if (!s.started) incomplete.push(c.name);
    } else if (!s.state.terminated || s.state.terminated.exitCode !== 0) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { ok: true, reason: 'PodCompleted' };
  // A regular container that started means the pod initialized before (sidecars may be restarting).
  if (pod.spec.containers.some((c) => { const s = byName.get(c.name); return !!(s && (s.state.running || s.state.terminated || s.lastState.terminated)); })) return { ok: true };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${list(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${list(incomplete)}`);
  return msgs.length ? { ok: false, reason: 'ContainersNotInitialized', message: msgs.join(', ') } : { ok: true };
}

/**
 * The whole PodStatus: container statuses, the phase (kept terminal once terminal), the
 * prober's ready / started, the five kubelet conditions in upstream's order, IPs, startTime.
 */
// Upstream: kubelet_pods.go (generateAPIPodStatus, convertStatusToAPIStatus)
export function generateAPIPodStatus(pod: Pod, podStatus: RuntimePodStatus, oldStatus: PodStatus | undefined, podIsTerminal: boolean, inputs: StatusInputs): PodStatus {
  const prev = (oldStatus ?? pod.status ?? {}) as PodStatus & { containerStatuses?: APIContainerStatus[]; initContainerStatuses?: APIContainerStatus[] };
  const inits = pod.spec.initContainers ?? [];
  const containerStatuses = convertToAPIContainerStatuses(pod, podStatus, prev.containerStatuses, pod.spec.containers, inits.length > 0, false, inputs.reasonCache);
  const initContainerStatuses = inits.length ? convertToAPIContainerStatuses(pod, podStatus, prev.initContainerStatuses, inits, inits.length > 0, true, inputs.reasonCache) : [];
  const all = [...initContainerStatuses, ...containerStatuses];

  const podHasInitialized = (prev.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  let phase: string = getPhase(pod.spec as PodSpecForStatus, all.map(asPhaseStatus), { podIsTerminal, podHasInitialized });
  // Three-way merge: a phase once terminal stays terminal.
  if (phase !== 'Failed' && phase !== 'Succeeded') {
    if (oldStatus?.phase === 'Failed' || oldStatus?.phase === 'Succeeded') phase = oldStatus.phase;
    else if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') phase = pod.status.phase;
  }
  const status: PodStatus & { containerStatuses: APIContainerStatus[]; initContainerStatuses?: APIContainerStatus[] } = {
    phase: phase as PodStatus['phase'],
    containerStatuses,
    ...(inits.length ? { initContainerStatuses } : {}),
  };
  inputs.prober.updatePodStatus(pod, status);

  const oldConds = prev.conditions;
  const foreign = (oldConds ?? []).filter((c) => !['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].includes(c.type));
  const sandboxReady = podStatus.sandboxStatuses[0]?.state === 'SANDBOX_READY' && (pod.spec.hostNetwork || podStatus.ips.length > 0);
  const init = generatePodInitialized(pod, all, phase);
  const ready = generateContainersReady(pod, all, phase);
  status.conditions = [
    ...foreign,
    condition('PodReadyToStartContainers', sandboxReady && !podIsTerminal, undefined, undefined, oldConds, inputs.nowMs),
    condition('Initialized', init.ok, init.reason, init.message, oldConds, inputs.nowMs),
    condition('Ready', ready.ok, ready.reason, ready.message, oldConds, inputs.nowMs),
    condition('ContainersReady', ready.ok, ready.reason, ready.message, oldConds, inputs.nowMs),
    condition('PodScheduled', true, undefined, undefined, oldConds, inputs.nowMs),
  ];
  if (inputs.hostIP) {
    status.hostIP = inputs.hostIP;
    status.hostIPs = [{ ip: inputs.hostIP }];
  }
  const ips = podStatus.ips.length ? podStatus.ips : (prev.podIPs ?? []).map((p) => p.ip);
  if (ips.length) {
    status.podIP = ips[0];
    status.podIPs = ips.map((ip) => ({ ip }));
  }
  status.startTime = prev.startTime ?? time(inputs.nowMs);
  if (prev.qosClass) status.qosClass = prev.qosClass;
  return status;
}

/**
 * The default prober's view without probes: a container is started and ready once running; a
 * regular init container is ready once it exited 0 (prober_manager.go UpdatePodStatus).
 */
export function noProbesUpdatePodStatus(pod: Pod, status: PodStatus): void {
  for (const s of (status.containerStatuses as APIContainerStatus[] | undefined) ?? []) {
    s.started = !!s.state.running;
    s.ready = !!s.state.running;
  }
  for (const s of (status.initContainerStatuses as APIContainerStatus[] | undefined) ?? []) {
    const sidecar = (pod.spec.initContainers ?? []).some((c) => c.name === s.name && isRestartableInitContainer(c));
    s.started = !!s.state.running;
    s.ready = sidecar ? !!s.state.running : s.state.terminated?.exitCode === 0;
  }
}
