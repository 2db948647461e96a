/**
 * Pod helpers preemption orders victims by: priority, start time, and the earliest start among
 * a node's most important victims. Upstream: k8s.io/component-helpers scheduling/corev1
 * (PodPriority) and pkg/scheduler/util/utils.go (GetPodStartTime, GetEarliestPodStartTime,
 * MoreImportantPod).
 */
import type { Pod } from '../../../api/core/v1';

/** Go: `math.MaxInt64`. */
export const MaxInt64 = (1n << 63n) - 1n;

/** Unix nanoseconds past every real start time (2^62 ns is in the year 2116). */
const nowBase = 1n << 62n;
let nowTicks = 0n;

/**
 * Go's time.Now() as GetPodStartTime calls it: every call a little later than the one before
 * (Linux's clock has nanosecond resolution and two calls are tens of nanoseconds apart), and
 * later than any recorded start time. The model has no wall clock in src/sim, so a counter
 * stands in; only the order of calls matters, as it does upstream.
 */
function now(): bigint {
  nowTicks += 1n;
  return nowBase + nowTicks;
}

/** Go: `corev1helpers.PodPriority`: spec.priority, 0 when unset. */
export function podPriority(pod: Pod): number {
  return pod.spec.priority ?? 0;
}

const rfc3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/**
 * status.startTime in Unix nanoseconds, or "now" for a pod that has not started (assumed, or
 * bound but not yet running). Upstream: pkg/scheduler/util/utils.go (GetPodStartTime)
 */
export function podStartTime(pod: Pod): bigint {
  const t = pod.status?.startTime;
  if (!t) return now();
  const m = rfc3339.exec(t);
  if (!m) return now();
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return now();
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * Higher priority first; among equal priorities the pod that started earlier is more important.
 * For two unstarted pods pod1's "now" is taken first, so pod1 counts as more important, as in Go.
 * Upstream: pkg/scheduler/util/utils.go (MoreImportantPod)
 */
export function moreImportantPod(pod1: Pod, pod2: Pod): boolean {
  const p1 = podPriority(pod1);
  const p2 = podPriority(pod2);
  if (p1 !== p2) return p1 > p2;
  return podStartTime(pod1) < podStartTime(pod2);
}

/**
 * The earliest start time among the highest-priority pods; null for no pods.
 * Upstream: pkg/scheduler/util/utils.go (GetEarliestPodStartTime)
 */
export function earliestPodStartTime(pods: readonly Pod[]): bigint | null {
  if (pods.length === 0) return null;
  let earliest = podStartTime(pods[0]);
  let maxPriority = podPriority(pods[0]);
  for (const pod of pods) {
    const p = podPriority(pod);
    if (p === maxPriority) {
      const t = podStartTime(pod);
      if (t < earliest) earliest = t;
    } else if (p > maxPriority) {
      maxPriority = p;
      earliest = podStartTime(pod);
    }
  }
  return earliest;
}

/**
 * Go's sort.Slice on up to 12 elements: insertion sort, swapping while less(data[j], data[j-1]).
 * Larger slices go through pdqsort upstream; the model keeps insertion sort, which agrees with it
 * for a consistent order without ties.
 * Upstream: Go's sort/zsortfunc.go (insertionSort_func)
 */
export function sortSlice<T>(data: T[], less: (a: T, b: T) => boolean): void {
  for (let i = 1; i < data.length; i++) {
    for (let j = i; j > 0 && less(data[j], data[j - 1]); j--) [data[j], data[j - 1]] = [data[j - 1], data[j]];
  }
}
