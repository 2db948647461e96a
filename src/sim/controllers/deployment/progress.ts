// The Progressing condition and progressDeadlineSeconds: is the rollout moving, done, or stuck?
// Upstream: pkg/controller/deployment/progress.go (kubernetes v1.34)
import {
  conditionMessages,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getDeploymentCondition,
  hasProgressDeadline,
  newDeploymentCondition,
  NewRSAvailableReason,
  removeDeploymentCondition,
  ReplicaSetUpdatedReason,
  replicaSetToDeploymentCondition,
  setDeploymentCondition,
  TimedOutReason,
} from './conditions';
import { dname, updateDeploymentStatus, type DcContext } from './context';
import { calculateStatus, statusEqual, traceRollout } from './sync';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from './types';

/**
 * The status with Progressing brought up to date: NewReplicaSetAvailable once complete,
 * ReplicaSetUpdated (lastUpdateTime moved) on any progress, ProgressDeadlineExceeded when
 * lastUpdateTime + progressDeadlineSeconds has passed; ReplicaFailure copied from the
 * ReplicaSets. Unchanged: requeue to check the deadline when it falls due.
 * Upstream: progress.go (syncRolloutStatus)
 */
export async function syncRolloutStatus(dc: DcContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const now = dc.clock.now();
  const newStatus = calculateStatus(allRSs, newRS, d, now);
  traceRollout(dc, allRSs, newRS, d);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(newStatus, 'Progressing');
  const currentCond = getDeploymentCondition(d.status, 'Progressing');
  const isCompleteDeployment = newStatus.replicas === newStatus.updatedReplicas && currentCond?.reason === NewRSAvailableReason;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    if (deploymentComplete(d, newStatus)) {
      const msg = newRS ? conditionMessages.replicaSetProgressed(dname(newRS)) : conditionMessages.deploymentProgressed(dname(d));
      setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'True', NewRSAvailableReason, msg, now));
    } else if (deploymentProgressing(d, newStatus)) {
      const msg = newRS ? conditionMessages.replicaSetProgressing(dname(newRS)) : conditionMessages.deploymentProgressing(dname(d));
      const condition = newDeploymentCondition('Progressing', 'True', ReplicaSetUpdatedReason, msg, now);
      // Same reason, new lastUpdateTime: setDeploymentCondition would keep the old one, so replace it.
      if (currentCond) {
        if (currentCond.status === 'True') condition.lastTransitionTime = currentCond.lastTransitionTime;
        removeDeploymentCondition(newStatus, 'Progressing');
      }
      setDeploymentCondition(newStatus, condition);
    } else if (deploymentTimedOut(d, newStatus, now)) {
      const msg = newRS ? conditionMessages.replicaSetTimedOut(dname(newRS)) : conditionMessages.deploymentTimedOut(dname(d));
      setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'False', TimedOutReason, msg, now));
    }
  }
  const failures = getReplicaFailures(allRSs, newRS);
  if (failures.length > 0) setDeploymentCondition(newStatus, failures[0]);
  else removeDeploymentCondition(newStatus, 'ReplicaFailure');

  if (statusEqual(d.status, newStatus)) {
    requeueStuckDeployment(dc, d, newStatus);
    return;
  }
  d.status = newStatus;
  await updateDeploymentStatus(dc, d);
}

/** ReplicaFailure conditions, the new ReplicaSet's before the old ones'. Upstream: progress.go (getReplicaFailures) */
export function getReplicaFailures(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const of = (rs: ReplicaSet) => (rs.status?.conditions ?? []).filter((c) => c.type === 'ReplicaFailure').map(replicaSetToDeploymentCondition);
  const mine = newRS ? of(newRS) : [];
  if (mine.length > 0) return mine;
  return allRSs.flatMap((rs) => (rs ? of(rs) : []));
}

/**
 * A rollout that shows no progress is checked again when its deadline falls due
 * (lastUpdateTime + progressDeadlineSeconds - now, plus a second against skew; rate limited if
 * under a second), instead of waiting for a resync (kubernetes#34458). Returns the wait in ms,
 * -1 when none is needed. Upstream: progress.go (requeueStuckDeployment)
 */
export function requeueStuckDeployment(dc: DcContext, d: Deployment, newStatus: DeploymentStatus): number {
  const currentCond = getDeploymentCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !currentCond) return -1;
  if (deploymentComplete(d, newStatus) || currentCond.reason === TimedOutReason) return -1;
  // An unset lastUpdateTime is Go's zero time: long past, so check now.
  const after = (currentCond.lastUpdateTime ?? Number.NEGATIVE_INFINITY) + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - dc.clock.now();
  if (after < 1000) {
    dc.enqueueRateLimited(d);
    return 0;
  }
  dc.enqueueAfter(d, after + 1000);
  return after;
}
