// Recreate: every old pod gone before the new ReplicaSet gets any.
// Upstream: pkg/controller/deployment/recreate.go (kubernetes v1.34)
import type { Pod } from '../../api/core/v1';
import type { DcContext } from './context';
import { deploymentComplete } from './conditions';
import { getActualReplicaCountForReplicaSets } from './fenceposts';
import { syncRolloutStatus } from './progress';
import { cleanupDeployment, filterActiveReplicaSets, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync';
import { rsReplicas, specReplicas, type Deployment, type ReplicaSet } from './types';

/** Pods by the uid of the ReplicaSet that controls them (Go: `map[types.UID][]*v1.Pod`). */
export type PodMap = Map<string, Pod[]>;

/**
 * Scale old ReplicaSets to 0; wait until no old pod is running (the pod informer's delete
 * handler wakes the Deployment); only then create the new ReplicaSet (not earlier: that would
 * scale up before scaling down) and scale it to spec.replicas. Upstream: recreate.go (rolloutRecreate)
 */
export async function rolloutRecreate(dc: DcContext, d: Deployment, rsList: ReplicaSet[], podMap: PodMap): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  let allRSs: (ReplicaSet | undefined)[] = [...oldRSs, newRS];
  const activeOldRSs = filterActiveReplicaSets(oldRSs);
  if (await scaleDownOldReplicaSetsForRecreate(dc, activeOldRSs, d)) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  await scaleUpNewReplicaSetForRecreate(dc, newRS!, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(dc, oldRSs, d);
  return syncRolloutStatus(dc, allRSs, newRS, d);
}

/** Upstream: recreate.go (scaleDownOldReplicaSetsForRecreate) */
export async function scaleDownOldReplicaSetsForRecreate(dc: DcContext, oldRSs: ReplicaSet[], d: Deployment): Promise<boolean> {
  let scaled = false;
  for (let i = 0; i < oldRSs.length; i++) {
    if (rsReplicas(oldRSs[i]) === 0) continue;
    const r = await scaleReplicaSetAndRecordEvent(dc, oldRSs[i], 0, d, 'recreate');
    if (r.scaled) {
      oldRSs[i] = r.rs;
      scaled = true;
    }
  }
  return scaled;
}

/**
 * Any old pod that may still run: old ReplicaSets report pods, or a pod of an old ReplicaSet is
 * not Failed or Succeeded (Unknown counts as running: it may be). Upstream: recreate.go (oldPodsRunning)
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: PodMap): boolean {
  if (getActualReplicaCountForReplicaSets(oldRSs) > 0) return true;
  for (const [rsUID, pods] of podMap) {
    if (newRS && newRS.metadata.uid === rsUID) continue;
    for (const pod of pods) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}

/** Upstream: recreate.go (scaleUpNewReplicaSetForRecreate) */
export async function scaleUpNewReplicaSetForRecreate(dc: DcContext, newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  return (await scaleReplicaSetAndRecordEvent(dc, newRS, specReplicas(d), d, 'recreate')).scaled;
}
