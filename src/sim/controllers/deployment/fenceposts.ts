// maxSurge / maxUnavailable and the replica arithmetic of a rollout and of proportional scaling.
// Upstream: pkg/controller/deployment/util/deployment_util.go
import { getMaxReplicasAnnotation, getDesiredReplicasAnnotation } from './annotations';
import { getScaledValueFromIntOrPercent } from './intstr';
import { type Deployment, type IntOrString, type ReplicaSet, rsReplicas, specReplicas } from './types';

/**
 * Resolves maxSurge (rounded up) and maxUnavailable (rounded down) against `desired` together: when
 * both come out 0 (say 1% of 2 replicas), maxUnavailable becomes 1 so the rollout can still move,
 * on the theory that surge pods may be blocked by quota. Absent values count as 0. Throws intstr's
 * error for a malformed value. Upstream: deployment_util.go (ResolveFenceposts)
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** Upstream: deployment_util.go (IsRollingUpdate) */
export function isRollingUpdate(d: Deployment): boolean {
  return d.spec.strategy?.type === 'RollingUpdate';
}

/** resolveFenceposts on the Deployment's own values; a malformed value (caught by validation) gives 0s. */
function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec.strategy?.rollingUpdate;
  try {
    return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, specReplicas(d));
  } catch {
    return { surge: 0, unavailable: 0 };
  }
}

/** The surge pods a rolling Deployment may add above spec.replicas; 0 for Recreate. Upstream: deployment_util.go (MaxSurge) */
export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

/**
 * How many pods a rolling Deployment may have unavailable, never more than spec.replicas; 0 for
 * Recreate or 0 replicas. Upstream: deployment_util.go (MaxUnavailable)
 */
export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || specReplicas(d) === 0) return 0;
  return Math.min(fenceposts(d).unavailable, specReplicas(d));
}

/** spec.replicas - maxUnavailable for RollingUpdate, else 0. Upstream: deployment_util.go (MinAvailable) */
export function minAvailable(d: Deployment): number {
  return isRollingUpdate(d) ? specReplicas(d) - maxUnavailable(d) : 0;
}

/** Sum of spec.replicas. Upstream: deployment_util.go (GetReplicaCountForReplicaSets) */
export function getReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? rsReplicas(rs) : 0), 0);
}

/** Sum of status.replicas. Upstream: deployment_util.go (GetActualReplicaCountForReplicaSets) */
export function getActualReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

/** Sum of status.readyReplicas. Upstream: deployment_util.go (GetReadyReplicaCountForReplicaSets) */
export function getReadyReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

/** Sum of status.availableReplicas. Upstream: deployment_util.go (GetAvailableReplicaCountForReplicaSets) */
export function getAvailableReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

/**
 * The size the new ReplicaSet should be given now. RollingUpdate: grow by what maxSurge leaves above
 * the current total of all ReplicaSets, never past spec.replicas; Recreate: spec.replicas at once.
 * Throws for a malformed or absent maxSurge and for an unknown strategy (upstream's texts).
 * Upstream: deployment_util.go (NewRSNewReplicas)
 */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const type = d.spec.strategy?.type;
  switch (type) {
    case 'RollingUpdate': {
      const surge = getScaledValueFromIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge, specReplicas(d), true);
      const current = getReplicaCountForReplicaSets(allRSs);
      const maxTotalPods = specReplicas(d) + surge;
      if (current >= maxTotalPods) return rsReplicas(newRS);
      const scaleUp = Math.min(maxTotalPods - current, specReplicas(d) - rsReplicas(newRS));
      return rsReplicas(newRS) + scaleUp;
    }
    case 'Recreate':
      return specReplicas(d);
    default:
      throw new Error(`deployment type ${type ?? ''} isn't supported`);
  }
}

/**
 * The new ReplicaSet owns the whole Deployment: its size, its desired-replicas annotation and its
 * available pods all equal spec.replicas. Upstream: deployment_util.go (IsSaturated)
 */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = getDesiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const n = specReplicas(d);
  return rsReplicas(rs) === n && desired === n && (rs.status?.availableReplicas ?? 0) === n;
}

/** Go's math.Round: halves away from zero. */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/**
 * How many replicas this ReplicaSet gains (or loses, negative) when the Deployment is scaled mid
 * rollout: its share of the new max (spec.replicas + maxSurge) against the max recorded in its
 * max-replicas annotation (or, when that is missing or 0, status.replicas; 0 then means no change).
 * Upstream: deployment_util.go (getReplicaSetFraction)
 */
export function getReplicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (specReplicas(d) === 0) return -rsReplicas(rs);
  const deploymentMaxReplicas = specReplicas(d) + maxSurge(d);
  let before = getMaxReplicasAnnotation(rs) ?? 0;
  if (before === 0) {
    before = d.status?.replicas ?? 0;
    if (before === 0) return 0;
  }
  return roundHalfAway((rsReplicas(rs) * deploymentMaxReplicas) / before) - rsReplicas(rs);
}

/**
 * The replicas to add to (or remove from) this ReplicaSet in a proportional scale: its fraction,
 * capped by what is still left to add (`toAdd - added`), so the total never overshoots.
 * Upstream: deployment_util.go (GetReplicaSetProportion; GetProportion in older releases)
 */
export function getReplicaSetProportion(
  rs: ReplicaSet | undefined,
  d: Deployment,
  deploymentReplicasToAdd: number,
  deploymentReplicasAdded: number,
): number {
  if (!rs || rsReplicas(rs) === 0 || deploymentReplicasToAdd === 0 || deploymentReplicasToAdd === deploymentReplicasAdded) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = deploymentReplicasToAdd - deploymentReplicasAdded;
  // Scaling up: no more than allowed; scaling down: remove no more than allowed (both negative).
  return deploymentReplicasToAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
