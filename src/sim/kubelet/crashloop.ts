import { formatGoDuration } from '../cache/go_strings';
import { Backoff, type BackoffClock } from './backoff';

// Upstream: pkg/kubelet/kubelet.go (constants); apis/config/v1beta1 (MaxContainerBackOff)
/** First wait before restarting a crashed container (initialCrashLoopBackOff). */
export const INITIAL_CRASH_LOOP_BACK_OFF_MS = 10_000;
/** Longest wait (MaxCrashLoopBackOff = v1beta1.MaxContainerBackOff). */
export const MAX_CONTAINER_BACK_OFF_MS = 300_000;
/** With the alpha gate ReduceDefaultCrashLoopBackOffDecay (1.33+, off by default in 1.34). */
export const REDUCED_INITIAL_CRASH_LOOP_BACK_OFF_MS = 1_000;
export const REDUCED_MAX_CRASH_LOOP_BACK_OFF_MS = 60_000;
/**
 * The kubelet replaces client-go's "idle for 2 x max" rule with a fixed 600 s: a container whose
 * last restart is more than 10 minutes old starts over at the initial delay.
 */
export const CRASH_LOOP_BACK_OFF_RESET_MS = 600_000;
/** Bounds of crashLoopBackOff.maxContainerRestartPeriod in the kubelet configuration. */
export const MIN_CONTAINER_RESTART_PERIOD_MS = 1_000;

/** The feature gates and kubelet configuration that shape the crash-loop backoff. */
export interface CrashLoopBackOffConfig {
  /** Alpha in 1.33 and 1.34 (default false): 1 s initial, 60 s cap. */
  reduceDefaultCrashLoopBackOffDecay?: boolean;
  /** Alpha in 1.32–1.34 (default false): the node's own cap, maxContainerRestartPeriodMs. */
  kubeletCrashLoopBackOffMax?: boolean;
  /** crashLoopBackOff.maxContainerRestartPeriod, 1 s to 300 s; read only with the gate on. */
  maxContainerRestartPeriodMs?: number;
}

/**
 * The initial delay and cap: the reduced pair under its gate, then an operator's node cap takes
 * precedence, pulling the initial delay down with it when the cap is smaller.
 */
// Upstream: pkg/kubelet/kubelet.go (newCrashLoopBackOff)
export function newCrashLoopBackOff(cfg: CrashLoopBackOffConfig = {}): { maxMs: number; initialMs: number } {
  let maxMs = MAX_CONTAINER_BACK_OFF_MS;
  let initialMs = INITIAL_CRASH_LOOP_BACK_OFF_MS;
  if (cfg.reduceDefaultCrashLoopBackOffDecay) {
    maxMs = REDUCED_MAX_CRASH_LOOP_BACK_OFF_MS;
    initialMs = REDUCED_INITIAL_CRASH_LOOP_BACK_OFF_MS;
  }
  if (cfg.kubeletCrashLoopBackOffMax) {
    const period = cfg.maxContainerRestartPeriodMs;
    // The kubelet's config validation refuses these before newCrashLoopBackOff ever runs.
    if (period === undefined || !Number.isFinite(period) || period < MIN_CONTAINER_RESTART_PERIOD_MS || period > MAX_CONTAINER_BACK_OFF_MS) {
      throw new RangeError(`crashLoopBackOff.maxContainerRestartPeriod must be between 1s and 300s, got ${period === undefined ? 'nothing' : formatGoDuration(period)}`);
    }
    maxMs = period;
    if (maxMs < initialMs) initialMs = maxMs;
  }
  return { maxMs, initialMs };
}

/** The kubelet's per-container restart backoff: NewBackOff(initial, max) plus the 600 s reset. */
// Upstream: pkg/kubelet/kubelet.go (NewMainKubelet: klet.crashLoopBackOff)
export function newKubeletCrashLoopBackOff(clock: BackoffClock, cfg: CrashLoopBackOffConfig = {}): Backoff {
  const { maxMs, initialMs } = newCrashLoopBackOff(cfg);
  const backoff = new Backoff(clock, initialMs, maxMs);
  backoff.hasExpiredFunc = (eventTimeMs, lastUpdateMs) => eventTimeMs - lastUpdateMs > CRASH_LOOP_BACK_OFF_RESET_MS;
  return backoff;
}

/** The pod as format.Pod prints it and the backoff key needs it. */
export interface PodRef {
  name: string;
  namespace: string;
  uid: string;
}

/** `name_namespace(uid)`, how the kubelet names a pod in messages. */
// Upstream: pkg/kubelet/util/format/pod.go (Pod)
export function formatPod(pod: PodRef): string {
  return `${pod.name}_${pod.namespace}(${pod.uid})`;
}

/**
 * The backoff key of one container. Upstream appends a hash of the container spec, so an edited
 * container (new image, new resources) starts a fresh backoff; here the caller passes that
 * fingerprint (the image is a fair stand-in).
 */
// Upstream: pkg/kubelet/kuberuntime/helpers.go (getStableKey)
export function getStableKey(pod: PodRef, containerName: string, specHash: string): string {
  return `${pod.name}_${pod.namespace}_${pod.uid}_${containerName}_${specHash}`;
}

export type DoBackOffResult =
  | { inBackOff: false }
  | { inBackOff: true; reason: 'CrashLoopBackOff'; message: string; event: { type: 'Warning'; reason: 'BackOff'; message: string } };

/**
 * Whether to hold off restarting a container that exited at `finishedAtMs` (undefined: it never
 * exited, nothing to wait for). In backoff: the waiting reason and message `kubectl get pods` and
 * `describe` show. Not in backoff: the restart goes ahead and the delay steps up for next time.
 */
// Upstream: pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff)
export function doBackOff(backoff: Backoff, pod: PodRef, containerName: string, specHash: string, finishedAtMs: number | undefined): DoBackOffResult {
  if (finishedAtMs === undefined) return { inBackOff: false };
  const key = getStableKey(pod, containerName, specHash);
  if (backoff.isInBackOffSince(key, finishedAtMs)) {
    const who = formatPod(pod);
    return {
      inBackOff: true,
      reason: 'CrashLoopBackOff',
      message: `back-off ${formatGoDuration(backoff.get(key))} restarting failed container=${containerName} pod=${who}`,
      event: { type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${containerName} in pod ${who}` },
    };
  }
  backoff.next(key, finishedAtMs);
  return { inBackOff: false };
}
