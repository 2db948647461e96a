// The Progressing and Available conditions: reasons, messages, and the checks that pick them.
// Upstream: pkg/controller/deployment/util/deployment_util.go (messages: progress.go, sync.go)
import type { ConditionStatus, Deployment, DeploymentCondition, DeploymentConditionType, DeploymentStatus } from './types';
import { specReplicas } from './types';

// Progressing reasons.
export const ReplicaSetUpdatedReason = 'ReplicaSetUpdated';
export const FailedRSCreateReason = 'ReplicaSetCreateError';
export const NewReplicaSetReason = 'NewReplicaSetCreated';
export const FoundNewRSReason = 'FoundNewReplicaSet';
export const NewRSAvailableReason = 'NewReplicaSetAvailable';
export const TimedOutReason = 'ProgressDeadlineExceeded';
export const PausedDeployReason = 'DeploymentPaused';
export const ResumedDeployReason = 'DeploymentResumed';
// Available reasons.
export const MinimumReplicasAvailable = 'MinimumReplicasAvailable';
export const MinimumReplicasUnavailable = 'MinimumReplicasUnavailable';

/** The condition messages the controller writes (progress.go, sync.go); names are printed with %q. */
export const conditionMessages = {
  createdNewReplicaSet: (rs: string) => `Created new replica set ${q(rs)}`,
  foundNewReplicaSet: (rs: string) => `Found new replica set ${q(rs)}`,
  failedToCreate: (rs: string, err: string) => `Failed to create new replica set ${q(rs)}: ${err}`,
  replicaSetProgressing: (rs: string) => `ReplicaSet ${q(rs)} is progressing.`,
  deploymentProgressing: (d: string) => `Deployment ${q(d)} is progressing.`,
  replicaSetProgressed: (rs: string) => `ReplicaSet ${q(rs)} has successfully progressed.`,
  deploymentProgressed: (d: string) => `Deployment ${q(d)} has successfully progressed.`,
  replicaSetTimedOut: (rs: string) => `ReplicaSet ${q(rs)} has timed out progressing.`,
  deploymentTimedOut: (d: string) => `Deployment ${q(d)} has timed out progressing.`,
  minimumAvailable: 'Deployment has minimum availability.',
  minimumUnavailable: 'Deployment does not have minimum availability.',
  paused: 'Deployment is paused',
  resumed: 'Deployment is resumed',
} as const;

function q(s: string): string {
  return JSON.stringify(s);
}

/** A condition stamped `nowMs` for both times. Upstream: deployment_util.go (NewDeploymentCondition) */
export function newDeploymentCondition(
  type: DeploymentConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
  nowMs: number,
): DeploymentCondition {
  return { type, status, lastUpdateTime: nowMs, lastTransitionTime: nowMs, reason, message };
}

/** A copy of the condition of that type, or undefined. Upstream: deployment_util.go (GetDeploymentCondition) */
export function getDeploymentCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  const c = status?.conditions?.find((x) => x.type === type);
  return c ? { ...c } : undefined;
}

/**
 * Puts `condition` in place of the one of its type (appended last). A condition with the same status
 * and reason is left untouched (so lastUpdateTime does not move); the same status keeps its
 * lastTransitionTime. Mutates `status`. Upstream: deployment_util.go (SetDeploymentCondition)
 */
export function setDeploymentCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getDeploymentCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...filterOutCondition(status.conditions, condition.type), next];
}

/** Upstream: deployment_util.go (RemoveDeploymentCondition) */
export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  const rest = filterOutCondition(status.conditions, type);
  // Upstream leaves a nil slice when nothing remains.
  if (rest.length > 0) status.conditions = rest;
  else delete status.conditions;
}

function filterOutCondition(conditions: DeploymentCondition[] | undefined, type: string): DeploymentCondition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/**
 * Done: every desired replica is updated and available, no old pods remain, and the status is for
 * the current generation. Upstream: deployment_util.go (DeploymentComplete)
 */
export function deploymentComplete(d: Deployment, newStatus: DeploymentStatus): boolean {
  const n = specReplicas(d);
  return (
    (newStatus.updatedReplicas ?? 0) === n &&
    (newStatus.replicas ?? 0) === n &&
    (newStatus.availableReplicas ?? 0) === n &&
    (newStatus.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/**
 * Progress since the last observed status: more updated pods, fewer old pods, more ready or more
 * available pods. Upstream: deployment_util.go (DeploymentProgressing)
 */
export function deploymentProgressing(d: Deployment, newStatus: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (newStatus.replicas ?? 0) - (newStatus.updatedReplicas ?? 0);
  return (
    (newStatus.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (newStatus.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (newStatus.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

const maxInt32 = 2 ** 31 - 1;

/** A deadline is set and is not the "never" value MaxInt32. Upstream: deployment_util.go (HasProgressDeadline) */
export function hasProgressDeadline(d: Deployment): boolean {
  return d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== maxInt32;
}

/** revisionHistoryLimit is set and is not MaxInt32 (keep all). Upstream: deployment_util.go (HasRevisionHistoryLimit) */
export function hasRevisionHistoryLimit(d: Deployment): boolean {
  return d.spec.revisionHistoryLimit !== undefined && d.spec.revisionHistoryLimit !== maxInt32;
}

/**
 * Timed out: the Progressing condition already says ProgressDeadlineExceeded, or its lastUpdateTime
 * plus progressDeadlineSeconds is strictly before `nowMs`. No deadline, no Progressing condition, or
 * a finished rollout (NewReplicaSetAvailable) never time out. Upstream: deployment_util.go (DeploymentTimedOut)
 */
export function deploymentTimedOut(d: Deployment, newStatus: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getDeploymentCondition(newStatus, 'Progressing');
  if (!condition) return false;
  if (condition.reason === NewRSAvailableReason) return false;
  if (condition.reason === TimedOutReason) return true;
  // An unset lastUpdateTime is Go's zero time: long past.
  const from = condition.lastUpdateTime ?? Number.NEGATIVE_INFINITY;
  return from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/**
 * A ReplicaSet condition (ReplicaFailure) promoted onto the Deployment; both times are its
 * lastTransitionTime. Upstream: deployment_util.go (ReplicaSetToDeploymentCondition)
 */
export function replicaSetToDeploymentCondition(cond: {
  type: string;
  status: ConditionStatus;
  lastTransitionTime?: number;
  reason?: string;
  message?: string;
}): DeploymentCondition {
  return {
    type: cond.type,
    status: cond.status,
    lastTransitionTime: cond.lastTransitionTime,
    lastUpdateTime: cond.lastTransitionTime,
    reason: cond.reason,
    message: cond.message,
  };
}
