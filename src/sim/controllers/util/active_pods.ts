/**
 * Which pods a controller deletes first when it scales down: kubernetes pkg/controller/
 * controller_utils.go (v1.34) `ActivePods`, `ActivePodsWithRanks`, `FilterActivePods`,
 * `IsPodActive`, and pkg/controller/replicaset/replica_set.go `getPodsToDelete`.
 * Sorted ascending, the first pods are the ones to delete.
 */
import type { Pod } from '../../api/core/v1';
import { parseRfc3339 } from '../../apiserver/registry/strategy';
import { isPodReady } from './pod';

/** The annotation a user sets to make some pods cheaper to delete. Upstream: pkg/apis/core (PodDeletionCost) */
export const PodDeletionCost = 'controller.kubernetes.io/pod-deletion-cost';

/** The two feature gates the ordering reads; both beta and on by default in v1.34. */
export interface PodOrderingGates {
  podDeletionCost: boolean;
  logarithmicScaleDown: boolean;
}
export const defaultPodOrderingGates: PodOrderingGates = { podDeletionCost: true, logarithmicScaleDown: true };

/** Not Succeeded, not Failed, not being deleted. Upstream: controller_utils.go (IsPodActive) */
export function isPodActive(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** Upstream: controller_utils.go (FilterActivePods) */
export function filterActivePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

// Any other phase (Succeeded, Failed, none) sorts with Pending, as Go's map lookup gives 0.
const podPhaseToOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const phaseOrdinal = (pod: Pod) => podPhaseToOrdinal[pod.status?.phase ?? ''] ?? 0;

/** A metav1.Time as virtual ms; Go's zero time is undefined. */
const timeMs = (t: string | undefined | null): number | undefined => (t ? parseRfc3339(t) : undefined);

/** When the Ready condition turned True; undefined when not ready. Upstream: controller_utils.go (podReadyTime) */
function podReadyTimeMs(pod: Pod): number | undefined {
  if (!isPodReady(pod)) return undefined;
  return timeMs(pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime);
}

/** The zero time counts as later than any other. Upstream: controller_utils.go (afterOrZero) */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** Upstream: controller_utils.go (maxContainerRestarts) */
export function maxContainerRestarts(pod: Pod): number {
  const statuses = (pod.status?.containerStatuses ?? []) as { restartCount?: number }[];
  return statuses.reduce((m, c) => Math.max(m, c.restartCount ?? 0), 0);
}

/**
 * The pod-deletion-cost annotation as an int32; 0 when absent. A plus sign, a leading zero (other
 * than after a minus), a non-number or a value outside int32 is invalid: 0 and an error (the sort
 * ignores the error).
 */
// Upstream: pkg/apis/core/helper (GetDeletionCostFromPodAnnotations)
export function getDeletionCostFromPodAnnotations(annotations: Record<string, string> | undefined): { cost: number; error?: string } {
  const value = annotations?.[PodDeletionCost];
  if (value === undefined) return { cost: 0 };
  if (!/^(-|0$|[1-9])/.test(value)) return { cost: 0, error: `invalid value "${value}"` }; // validFirstDigit
  if (!/^-?[0-9]+$/.test(value)) return { cost: 0, error: `strconv.ParseInt: parsing "${value}": invalid syntax` };
  const n = Number(value);
  if (n < -(2 ** 31) || n > 2 ** 31 - 1) return { cost: 0, error: `strconv.ParseInt: parsing "${value}": value out of range` };
  return { cost: n };
}

/**
 * floor(log2(now - t)) in Go nanoseconds, or -1 when t is not in the past: pods whose ages fall in
 * the same power-of-two bucket compare equal, so scale-down does not always pick the very newest.
 * Integer bit length instead of Go's math.Log2 (identical for ages of whole milliseconds).
 */
function logarithmicRank(tMs: number, nowMs: number): bigint {
  const d = BigInt(Math.round(nowMs - tMs)) * 1_000_000n;
  return d > 0n ? BigInt(d.toString(2).length - 1) : -1n;
}
// Upstream: controller_utils.go (logarithmicRankDiff)
function logarithmicRankDiff(t1Ms: number, t2Ms: number, nowMs: number): bigint {
  return logarithmicRank(t1Ms, nowMs) - logarithmicRank(t2Ms, nowMs);
}

/** Steps 1 to 3 of both orders: unassigned, then earlier phase, then not ready, go first. */
function lessByAssignmentPhaseReadiness(a: Pod, b: Pod): boolean | undefined {
  const na = a.spec.nodeName ?? '';
  const nb = b.spec.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  if (phaseOrdinal(a) !== phaseOrdinal(b)) return phaseOrdinal(a) < phaseOrdinal(b);
  if (isPodReady(a) !== isPodReady(b)) return !isPodReady(a);
  return undefined;
}

/**
 * The older order, without ranks: unassigned < assigned; Pending < Unknown < Running; not ready <
 * ready; ready for a shorter time (or no time) < longer; more restarts < fewer; newer (or no
 * creation time) < older.
 */
// Upstream: controller_utils.go (ActivePods.Less)
export function activePodsLess(a: Pod, b: Pod): boolean {
  const first = lessByAssignmentPhaseReadiness(a, b);
  if (first !== undefined) return first;
  const ra = podReadyTimeMs(a);
  const rb = podReadyTimeMs(b);
  if (isPodReady(a) && isPodReady(b) && ra !== rb) return afterOrZero(ra, rb);
  if (maxContainerRestarts(a) !== maxContainerRestarts(b)) return maxContainerRestarts(a) > maxContainerRestarts(b);
  const ca = timeMs(a.metadata.creationTimestamp);
  const cb = timeMs(b.metadata.creationTimestamp);
  if (ca !== cb) return afterOrZero(ca, cb);
  return false;
}

/** A pod with its rank: how many related active pods share its node (Go: ActivePodsWithRanks.Rank). */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

/** Ready time or creation time: newer first, or with a `now`, newer power-of-two age bucket first, then UID. */
function lessByTime(a: Pod, b: Pod, ta: number | undefined, tb: number | undefined, nowMs: number | undefined, gates: PodOrderingGates): boolean {
  if (!gates.logarithmicScaleDown || nowMs === undefined || ta === undefined || tb === undefined) return afterOrZero(ta, tb);
  const rankDiff = logarithmicRankDiff(ta, tb, nowMs);
  if (rankDiff === 0n) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
  return rankDiff < 0n;
}

/**
 * The ReplicaSet controller's order: steps 1-3 as activePodsLess, then lower pod-deletion-cost <
 * higher, then higher rank (more pods doubled up on the node) < lower, then ready time, restarts,
 * creation time (the last two in log2 age buckets with a UID tie-break when `nowMs` is given).
 */
// Upstream: controller_utils.go (ActivePodsWithRanks.Less)
export function activePodsWithRanksLess(a: RankedPod, b: RankedPod, nowMs: number | undefined, gates: PodOrderingGates = defaultPodOrderingGates): boolean {
  const [pa, pb] = [a.pod, b.pod];
  const first = lessByAssignmentPhaseReadiness(pa, pb);
  if (first !== undefined) return first;
  if (gates.podDeletionCost) {
    const ci = getDeletionCostFromPodAnnotations(pa.metadata.annotations).cost;
    const cj = getDeletionCostFromPodAnnotations(pb.metadata.annotations).cost;
    if (ci !== cj) return ci < cj;
  }
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (isPodReady(pa) && isPodReady(pb)) {
    const ra = podReadyTimeMs(pa);
    const rb = podReadyTimeMs(pb);
    if (ra !== rb) return lessByTime(pa, pb, ra, rb, nowMs, gates);
  }
  if (maxContainerRestarts(pa) !== maxContainerRestarts(pb)) return maxContainerRestarts(pa) > maxContainerRestarts(pb);
  const ca = timeMs(pa.metadata.creationTimestamp);
  const cb = timeMs(pb.metadata.creationTimestamp);
  if (ca !== cb) return lessByTime(pa, pb, ca, cb, nowMs, gates);
  return false;
}

const byLess =
  <T>(less: (a: T, b: T) => boolean) =>
  (a: T, b: T) =>
    less(a, b) ? -1 : less(b, a) ? 1 : 0;

/** Pods in ActivePods order (a new array). Go's sort.Sort is not stable; ours is, so equal pods keep their input order. */
export function sortActivePods(pods: readonly Pod[]): Pod[] {
  return [...pods].sort(byLess(activePodsLess));
}

/** Ranked pods in ActivePodsWithRanks order (a new array, stable as sortActivePods). */
export function sortActivePodsWithRanks(pods: readonly RankedPod[], nowMs: number | undefined, gates: PodOrderingGates = defaultPodOrderingGates): RankedPod[] {
  return [...pods].sort(byLess((a: RankedPod, b: RankedPod) => activePodsWithRanksLess(a, b, nowMs, gates)));
}

/** Each pod ranked by the active related pods on its node (unassigned pods share the node ""). */
// Upstream: pkg/controller/replicaset/replica_set.go (getPodsRankedByRelatedPodsOnSameNode)
export function getPodsRankedByRelatedPodsOnSameNode(podsToRank: readonly Pod[], relatedPods: readonly Pod[]): RankedPod[] {
  const podsOnNode = new Map<string, number>();
  for (const p of relatedPods) if (isPodActive(p)) podsOnNode.set(p.spec.nodeName ?? '', (podsOnNode.get(p.spec.nodeName ?? '') ?? 0) + 1);
  return podsToRank.map((pod) => ({ pod, rank: podsOnNode.get(pod.spec.nodeName ?? '') ?? 0 }));
}

/** The `diff` pods to delete; no sort when all of them go. Upstream: replica_set.go (getPodsToDelete) */
export function getPodsToDelete(filteredPods: readonly Pod[], relatedPods: readonly Pod[], diff: number, nowMs: number | undefined, gates: PodOrderingGates = defaultPodOrderingGates): Pod[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, diff);
  return sortActivePodsWithRanks(getPodsRankedByRelatedPodsOnSameNode(filteredPods, relatedPods), nowMs, gates)
    .slice(0, diff)
    .map((r) => r.pod);
}
