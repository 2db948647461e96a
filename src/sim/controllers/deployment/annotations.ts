// The annotations the Deployment controller keeps on itself and its ReplicaSets, and revisions.
// Upstream: pkg/controller/deployment/util/deployment_util.go
import type { KubeObject } from '../../core/object';
import { goQuote } from './intstr';
import { maxSurge } from './fenceposts';
import { type Deployment, type ReplicaSet, specReplicas } from './types';

/** Records a ReplicaSet's place in the rollout sequence (and the Deployment's current one). */
export const RevisionAnnotation = 'deployment.kubernetes.io/revision';
/** Old revisions a ReplicaSet served before a rollback made it current again ("1,3"). */
export const RevisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
/** spec.replicas of the Deployment when the ReplicaSet was last sized: tells scaling from rolling. */
export const DesiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
/** spec.replicas + maxSurge at that time: the base of proportional scaling. */
export const MaxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** kubectl's client-side apply record (v1.LastAppliedConfigAnnotation). */
export const LastAppliedConfigAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
/** apps.DeprecatedRollbackTo (extensions/v1beta1 rollbackTo). */
export const DeprecatedRollbackTo = 'deprecated.deployment.rollback.to';

// Rollback event reasons.
export const RollbackRevisionNotFound = 'DeploymentRollbackRevisionNotFound';
export const RollbackTemplateUnchanged = 'DeploymentRollbackTemplateUnchanged';
export const RollbackDone = 'DeploymentRollback';

const annotationsToSkip = new Set([
  LastAppliedConfigAnnotation,
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  DesiredReplicasAnnotation,
  MaxReplicasAnnotation,
  DeprecatedRollbackTo,
]);

/** Upstream: deployment_util.go (skipCopyAnnotation) */
export function skipCopyAnnotation(key: string): boolean {
  return annotationsToSkip.has(key);
}

const int64Max = 2n ** 63n - 1n;

/** strconv.ParseInt(v, 10, 64) with Go's error texts. */
function parseInt64(v: string): number {
  if (!/^[+-]?[0-9]+$/.test(v)) throw new Error(`strconv.ParseInt: parsing ${goQuote(v)}: invalid syntax`);
  const big = BigInt(v);
  if (big > int64Max || big < -int64Max - 1n) throw new Error(`strconv.ParseInt: parsing ${goQuote(v)}: value out of range`);
  return Number(big);
}

/**
 * The revision annotation as a number: 0 when absent; throws strconv's error when it is not an int64.
 * Upstream: deployment_util.go (Revision)
 */
export function revision(obj: KubeObject | Deployment | ReplicaSet): number {
  const v = obj.metadata.annotations?.[RevisionAnnotation];
  return v === undefined ? 0 : parseInt64(v);
}

/** Like revision, but a value that does not parse counts as absent (upstream logs and skips it). */
function revisionOrSkip(rs: ReplicaSet): number | undefined {
  try {
    return revision(rs);
  } catch {
    return undefined;
  }
}

/** The highest revision among the ReplicaSets. Upstream: deployment_util.go (MaxRevision) */
export function maxRevision(allRSs: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of allRSs) {
    const v = revisionOrSkip(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/** The second-highest revision: what `rollout undo` goes back to. Upstream: deployment_util.go (LastRevision) */
export function lastRevision(allRSs: readonly ReplicaSet[]): number {
  let max = 0;
  let secMax = 0;
  for (const rs of allRSs) {
    const v = revisionOrSkip(rs);
    if (v === undefined) continue;
    if (v >= max) {
      secMax = max;
      max = v;
    } else if (v > secMax) {
      secMax = v;
    }
  }
  return secMax;
}

function annotationsOf(obj: { metadata: { annotations?: Record<string, string> } }): Record<string, string> {
  obj.metadata.annotations ??= {};
  return obj.metadata.annotations;
}

/** Sets the Deployment's revision annotation; true when it changed. Upstream: deployment_util.go (SetDeploymentRevision) */
export function setDeploymentRevision(d: Deployment, rev: string): boolean {
  const ann = annotationsOf(d);
  if (ann[RevisionAnnotation] === rev) return false;
  ann[RevisionAnnotation] = rev;
  return true;
}

/** Copies the Deployment's own annotations (not the controller's) onto the ReplicaSet. */
function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  const rsAnn = annotationsOf(rs);
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipCopyAnnotation(k) || rsAnn[k] === v) continue;
    rsAnn[k] = v;
    changed = true;
  }
  return changed;
}

/**
 * Brings the new ReplicaSet's annotations up to date: the Deployment's own annotations, the revision
 * (only ever raised), the revision history when an existing revision is replaced (a rollback), kept
 * within `revHistoryLimitInChars` by dropping the oldest entries, and, for a ReplicaSet about to be
 * created, desired/max replicas. Returns whether anything changed. Mutates `newRS`.
 * Upstream: deployment_util.go (SetNewReplicaSetAnnotations)
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  newRS: ReplicaSet,
  newRevision: string,
  exists: boolean,
  revHistoryLimitInChars: number,
): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, newRS);
  const ann = annotationsOf(newRS);
  const had = RevisionAnnotation in ann;
  const oldRevision = ann[RevisionAnnotation] ?? '';
  let oldRev = 0;
  let newRev: number;
  try {
    oldRev = oldRevision === '' ? 0 : parseInt64(oldRevision);
    newRev = parseInt64(newRevision);
  } catch {
    // Upstream logs a warning and reports no change, even if annotations were copied above.
    return false;
  }
  if (oldRev < newRev) {
    ann[RevisionAnnotation] = newRevision;
    changed = true;
    if (had) appendRevisionHistory(ann, oldRevision, revHistoryLimitInChars);
  }
  if (!exists && setReplicasAnnotations(newRS, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

function appendRevisionHistory(ann: Record<string, string>, oldRevision: string, limit: number): void {
  const history = ann[RevisionHistoryAnnotation] ?? '';
  if (history === '') {
    ann[RevisionHistoryAnnotation] = oldRevision;
    return;
  }
  const old = history.split(',');
  let totalLen = history.length + oldRevision.length + 1;
  let start = 0;
  while (totalLen > limit && start < old.length) {
    totalLen -= old[start].length + 1;
    start++;
  }
  // Upstream leaves the history unchanged (and warns) when even the new entry alone is too long.
  if (totalLen <= limit) ann[RevisionHistoryAnnotation] = [...old.slice(start), oldRevision].join(',');
}

/**
 * Rollback: the Deployment takes the ReplicaSet's annotations, keeping its own controller-owned ones.
 * Upstream: deployment_util.go (SetDeploymentAnnotationsTo)
 */
export function setDeploymentAnnotationsTo(d: Deployment, rollbackToRS: ReplicaSet): void {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (skipCopyAnnotation(k)) kept[k] = v;
  for (const [k, v] of Object.entries(rollbackToRS.metadata.annotations ?? {})) if (!skipCopyAnnotation(k)) kept[k] = v;
  d.metadata.annotations = kept;
}

/** Sets desired-replicas and max-replicas; true when either changed. Upstream: deployment_util.go (SetReplicasAnnotations) */
export function setReplicasAnnotations(rs: ReplicaSet, desiredReplicas: number, maxReplicas: number): boolean {
  const ann = annotationsOf(rs);
  let updated = false;
  if (ann[DesiredReplicasAnnotation] !== String(desiredReplicas)) {
    ann[DesiredReplicasAnnotation] = String(desiredReplicas);
    updated = true;
  }
  if (ann[MaxReplicasAnnotation] !== String(maxReplicas)) {
    ann[MaxReplicasAnnotation] = String(maxReplicas);
    updated = true;
  }
  return updated;
}

/** Upstream: deployment_util.go (ReplicasAnnotationsNeedUpdate) */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desiredReplicas: number, maxReplicas: number): boolean {
  const ann = rs.metadata.annotations;
  if (!ann) return true;
  return ann[DesiredReplicasAnnotation] !== String(desiredReplicas) || ann[MaxReplicasAnnotation] !== String(maxReplicas);
}

const int32Max = 2 ** 31 - 1;

/**
 * A non-negative int32 annotation: `{ value, valid }`, with `error` (strconv-style text) when present
 * but malformed or out of range. Upstream: deployment_util.go (getNonNegativeInt32FromAnnotation)
 */
export function getNonNegativeInt32FromAnnotation(rs: ReplicaSet, key: string): { value: number; valid: boolean; error?: string } {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return { value: 0, valid: false };
  if (!/^[0-9]+$/.test(v)) return { value: 0, valid: false, error: `strconv.ParseUint: parsing ${goQuote(v)}: invalid syntax` };
  if (BigInt(v) > BigInt(int32Max)) return { value: 0, valid: false, error: `strconv.ParseUint: parsing ${goQuote(v)}: value out of range` };
  return { value: Number(v), valid: true };
}

/** desired-replicas, when valid. Upstream: deployment_util.go (GetDesiredReplicasAnnotation) */
export function getDesiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const r = getNonNegativeInt32FromAnnotation(rs, DesiredReplicasAnnotation);
  return r.valid ? r.value : undefined;
}

/** max-replicas, when valid. Upstream: deployment_util.go (getMaxReplicasAnnotation) */
export function getMaxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const r = getNonNegativeInt32FromAnnotation(rs, MaxReplicasAnnotation);
  return r.valid ? r.value : undefined;
}
