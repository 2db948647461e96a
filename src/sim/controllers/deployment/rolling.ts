// RollingUpdate: grow the new ReplicaSet within maxSurge, shrink the old ones within maxUnavailable.
// Upstream: pkg/controller/deployment/rolling.go (kubernetes v1.34)
import type { DcContext } from './context';
import { deploymentComplete } from './conditions';
import { getAvailableReplicaCountForReplicaSets, getReplicaCountForReplicaSets, maxUnavailable, newRSNewReplicas } from './fenceposts';
import { sortReplicaSetsByCreationTimestamp } from './find';
import { syncRolloutStatus } from './progress';
import { cleanupDeployment, filterActiveReplicaSets, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync';
import { rsReplicas, specReplicas, type Deployment, type ReplicaSet } from './types';

/**
 * One step of a rolling update: scale the new ReplicaSet up if maxSurge allows, else scale old
 * ones down if maxUnavailable allows; once complete, clean up history; then sync the status.
 * Upstream: rolling.go (rolloutRolling)
 */
export async function rolloutRolling(dc: DcContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, true);
  const allRSs = [...oldRSs, newRS!];
  if (await reconcileNewReplicaSet(dc, allRSs, newRS!, d)) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(dc, allRSs, filterActiveReplicaSets(oldRSs), newRS!, d)) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(dc, oldRSs, d);
  return syncRolloutStatus(dc, allRSs, newRS, d);
}

/**
 * Scales the new ReplicaSet toward spec.replicas, by at most what keeps all pods within
 * replicas + maxSurge; down to spec.replicas if it is above. Upstream: rolling.go (reconcileNewReplicaSet)
 */
export async function reconcileNewReplicaSet(dc: DcContext, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (rsReplicas(newRS) === specReplicas(d)) return false;
  if (rsReplicas(newRS) > specReplicas(d)) return (await scaleReplicaSetAndRecordEvent(dc, newRS, specReplicas(d), d, 'rollingNew')).scaled;
  const newReplicasCount = newRSNewReplicas(d, allRSs, newRS);
  return (await scaleReplicaSetAndRecordEvent(dc, newRS, newReplicasCount, d, 'rollingNew')).scaled;
}

/**
 * How far old ReplicaSets may shrink: all pods - (replicas - maxUnavailable) - the new
 * ReplicaSet's unavailable pods (so new pods that never become available cannot let the old
 * ones go). Unhealthy old pods go first (they cost no availability), then available ones while
 * availability stays above replicas - maxUnavailable. Errors count as "not scaled" (upstream).
 * Upstream: rolling.go (reconcileOldReplicaSets)
 */
export async function reconcileOldReplicaSets(dc: DcContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (getReplicaCountForReplicaSets(oldRSs) === 0) return false;
  const allPodsCount = getReplicaCountForReplicaSets(allRSs);
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newRSUnavailablePodCount = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailablePodCount;
  if (maxScaledDown <= 0) return false;
  let cleaned: { oldRSs: ReplicaSet[]; totalScaledDown: number };
  try {
    // Unhealthy replicas first, or they block the rollout until it times out (kubernetes#16737).
    cleaned = await cleanupUnhealthyReplicas(dc, oldRSs, d, maxScaledDown);
  } catch {
    return false;
  }
  let scaledDownCount: number;
  try {
    scaledDownCount = await scaleDownOldReplicaSetsForRollingUpdate(dc, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
  } catch {
    return false;
  }
  return cleaned.totalScaledDown + scaledDownCount > 0;
}

/**
 * Scales old ReplicaSets down by their unavailable pods (spec - available), oldest first, at most
 * `maxCleanupCount` in all. The ReplicaSet controller deletes not-ready pods first, so this costs
 * no availability. Upstream: rolling.go (cleanupUnhealthyReplicas)
 */
export async function cleanupUnhealthyReplicas(
  dc: DcContext,
  oldRSs: ReplicaSet[],
  d: Deployment,
  maxCleanupCount: number,
): Promise<{ oldRSs: ReplicaSet[]; totalScaledDown: number }> {
  const sorted = sortReplicaSetsByCreationTimestamp(oldRSs);
  let totalScaledDown = 0;
  for (let i = 0; i < sorted.length; i++) {
    const targetRS = sorted[i];
    if (totalScaledDown >= maxCleanupCount) break;
    if (rsReplicas(targetRS) === 0) continue;
    const available = targetRS.status?.availableReplicas ?? 0;
    if (rsReplicas(targetRS) === available) continue;
    const scaledDownCount = Math.min(maxCleanupCount - totalScaledDown, rsReplicas(targetRS) - available);
    const newReplicasCount = rsReplicas(targetRS) - scaledDownCount;
    if (newReplicasCount > rsReplicas(targetRS)) {
      throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${targetRS.metadata.namespace}/${targetRS.metadata.name} ${rsReplicas(targetRS)} -> ${newReplicasCount}`);
    }
    const { rs } = await scaleReplicaSetAndRecordEvent(dc, targetRS, newReplicasCount, d, 'cleanupUnhealthy');
    totalScaledDown += scaledDownCount;
    sorted[i] = rs;
  }
  return { oldRSs: sorted, totalScaledDown };
}

/**
 * Scales old ReplicaSets down, oldest first, by what available pods exceed replicas -
 * maxUnavailable. Upstream: rolling.go (scaleDownOldReplicaSetsForRollingUpdate)
 */
export async function scaleDownOldReplicaSetsForRollingUpdate(dc: DcContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const availablePodCount = getAvailableReplicaCountForReplicaSets(allRSs);
  if (availablePodCount <= minAvailable) return 0;
  let totalScaledDown = 0;
  const totalScaleDownCount = availablePodCount - minAvailable;
  for (const targetRS of sortReplicaSetsByCreationTimestamp(oldRSs)) {
    if (totalScaledDown >= totalScaleDownCount) break;
    if (rsReplicas(targetRS) === 0) continue;
    const scaleDownCount = Math.min(rsReplicas(targetRS), totalScaleDownCount - totalScaledDown);
    const newReplicasCount = rsReplicas(targetRS) - scaleDownCount;
    if (newReplicasCount > rsReplicas(targetRS)) {
      throw new Error(`when scaling down old RS, got invalid request to scale down ${targetRS.metadata.namespace}/${targetRS.metadata.name} ${rsReplicas(targetRS)} -> ${newReplicasCount}`);
    }
    await scaleReplicaSetAndRecordEvent(dc, targetRS, newReplicasCount, d, 'rollingOld');
    totalScaledDown += scaleDownCount;
  }
  return totalScaledDown;
}
