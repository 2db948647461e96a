// Scaling, the new ReplicaSet, revisions, history cleanup and the status: what every strategy shares.
// Upstream: pkg/controller/deployment/sync.go (kubernetes v1.34)
import { hasStatusCause, isAlreadyExists, isNotFound } from '../../apimachinery/errors';
import { deepCopy, type KubeObject } from '../../core/object';
import { getControllerOf } from '../util/controller_ref_manager';
import { getDesiredReplicasAnnotation, maxRevision, RevisionAnnotation, revision, setDeploymentRevision, setNewReplicaSetAnnotations, setReplicasAnnotations, replicasAnnotationsNeedUpdate } from './annotations';
import { controllerKind } from './claim';
import {
  conditionMessages,
  FailedRSCreateReason,
  FoundNewRSReason,
  getDeploymentCondition,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  MinimumReplicasAvailable,
  MinimumReplicasUnavailable,
  newDeploymentCondition,
  NewReplicaSetReason,
  PausedDeployReason,
  ResumedDeployReason,
  setDeploymentCondition,
  TimedOutReason,
} from './conditions';
import { dkey, dname, recordEvent, updateDeploymentStatus, updateReplicaSet, type DcContext } from './context';
import type { ScaleReason } from './events';
import {
  getActualReplicaCountForReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getReadyReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  getReplicaSetProportion,
  isRollingUpdate,
  isSaturated,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
} from './fenceposts';
import { equalIgnoreHash, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets, semanticDeepEqual, sortReplicaSetsByCreationTimestamp } from './find';
import { computeHash } from './hash';
import { getRollbackTo } from './rollback';
import { DefaultDeploymentUniqueLabelKey, rsReplicas, specReplicas, type Deployment, type DeploymentStatus, type ReplicaSet } from './types';
import { fromWire, toWire } from './wire';

/** Revision history kept on a ReplicaSet: about 100 entries. */
export const maxRevHistoryLengthInChars = 2000;

/** Only the status: used while the Deployment is being deleted. Upstream: sync.go (syncStatusOnly) */
export async function syncStatusOnly(dc: DcContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  await syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

/**
 * A scaling event or a paused Deployment: scale (proportionally when several ReplicaSets are
 * active), clean up history when paused, sync the status. Upstream: sync.go (sync)
 */
export async function sync(dc: DcContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  await scale(dc, d, newRS, oldRSs);
  // Clean up the deployment when it's paused and no rollback is in flight.
  if (d.spec.paused && getRollbackTo(d) === undefined) await cleanupDeployment(dc, oldRSs, d);
  await syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

/**
 * Progressing becomes Unknown/DeploymentPaused on pause and Unknown/DeploymentResumed on resume, so
 * time spent paused never counts against progressDeadlineSeconds; a timed-out condition stays.
 * Upstream: sync.go (checkPausedConditions)
 */
export async function checkPausedConditions(dc: DcContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getDeploymentCondition(d.status, 'Progressing');
  if (cond?.reason === TimedOutReason) return;
  const pausedCondExists = cond?.reason === PausedDeployReason;
  d.status ??= {};
  if (d.spec.paused && !pausedCondExists) {
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'Unknown', PausedDeployReason, conditionMessages.paused, dc.clock.now()));
  } else if (!d.spec.paused && pausedCondExists) {
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'Unknown', ResumedDeployReason, conditionMessages.resumed, dc.clock.now()));
  } else {
    return;
  }
  await updateDeploymentStatus(dc, d);
}

/**
 * The new ReplicaSet (created when asked and missing) with its revision raised to max(old) + 1,
 * and every old one. Upstream: sync.go (getAllReplicaSetsAndSyncRevision)
 */
export async function getAllReplicaSetsAndSyncRevision(
  dc: DcContext,
  d: Deployment,
  rsList: ReplicaSet[],
  createIfNotExisted: boolean,
): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
  const { allOldRSs } = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(dc, d, rsList, allOldRSs, createIfNotExisted);
  return { newRS, oldRSs: allOldRSs };
}

/**
 * The ReplicaSet whose template is the Deployment's. An existing one gets its annotations and
 * minReadySeconds synced; a missing one is created as `<name>-<pod-template-hash>` with the hash
 * label on its selector and template. AlreadyExists with our template is ours (a slow cache); with
 * another template it is a hash collision: collisionCount is bumped and the sync retries.
 * Upstream: sync.go (getNewReplicaSet)
 */
export async function getNewReplicaSet(
  dc: DcContext,
  d: Deployment,
  rsList: ReplicaSet[],
  oldRSs: ReplicaSet[],
  createIfNotExisted: boolean,
): Promise<ReplicaSet | undefined> {
  const existingNewRS = findNewReplicaSet(d, rsList);
  const newRevision = String(maxRevision(oldRSs) + 1);
  const now = dc.clock.now();
  d.status ??= {};

  if (existingNewRS) {
    const rsCopy = deepCopy(existingNewRS);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true, maxRevHistoryLengthInChars);
    const minReadySecondsNeedsUpdate = (rsCopy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadySecondsNeedsUpdate) {
      rsCopy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
      return updateReplicaSet(dc, rsCopy);
    }
    // The revision is the one the ReplicaSet already carries.
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[RevisionAnnotation] ?? '');
    // A Deployment without a Progressing condition starts counting progress from now.
    if (hasProgressDeadline(d) && !getDeploymentCondition(d.status, 'Progressing')) {
      setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'True', FoundNewRSReason, conditionMessages.foundNewReplicaSet(dname(rsCopy)), now));
      needsUpdate = true;
    }
    if (needsUpdate) await updateDeploymentStatus(dc, d);
    return rsCopy;
  }

  if (!createIfNotExisted) return undefined;

  const newRSTemplate = deepCopy(d.spec.template);
  const podTemplateSpecHash = computeHash(newRSTemplate, d.status.collisionCount);
  newRSTemplate.metadata = { ...(newRSTemplate.metadata ?? {}), labels: { ...(d.spec.template.metadata?.labels ?? {}), [DefaultDeploymentUniqueLabelKey]: podTemplateSpecHash } };
  const selector = deepCopy(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [DefaultDeploymentUniqueLabelKey]: podTemplateSpecHash };
  const newRS: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      // A deterministic name makes the create idempotent.
      name: `${dname(d)}-${podTemplateSpecHash}`,
      namespace: d.metadata.namespace,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: controllerKind.kind, name: dname(d), uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      labels: newRSTemplate.metadata.labels,
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template: newRSTemplate },
  };
  const newReplicasCount = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec.replicas = newReplicasCount;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false, maxRevHistoryLengthInChars);

  let createdRS: ReplicaSet;
  let alreadyExists = false;
  try {
    createdRS = fromWire((await dc.client.appsV1().replicaSets(d.metadata.namespace ?? '').create(toWire(newRS) as unknown as KubeObject)) as unknown as ReplicaSet);
  } catch (err) {
    if (isAlreadyExists(err)) {
      // A slow cache or a fast resync: the ReplicaSet may be ours already.
      alreadyExists = true;
      const rs = dc.cachedReplicaSet(d.metadata.namespace ?? '', newRS.metadata.name ?? '');
      if (!rs) throw err;
      const ref = getControllerOf(rs as unknown as KubeObject);
      if (ref && ref.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec.template)) {
        createdRS = rs;
      } else {
        // A hash collision: bump collisionCount so the next sync computes another name.
        d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
        dc.events.emit('deployment.newReplicaSet', { deployment: dkey(d), replicaSet: dname(newRS), replicas: 0, revision: newRevision, collision: true });
        await updateDeploymentStatus(dc, d).catch(() => undefined);
        throw err;
      }
    } else if (hasStatusCause(err, 'NamespaceTerminating')) {
      // Every later create fails too: nothing to report.
      throw err;
    } else {
      const msg = conditionMessages.failedToCreate(dname(newRS), (err as Error).message);
      if (hasProgressDeadline(d)) {
        setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'False', FailedRSCreateReason, msg, now));
        // The create error is the bigger issue to report; this write is best effort.
        await updateDeploymentStatus(dc, d).catch(() => undefined);
      }
      recordEvent(dc, d, 'Warning', FailedRSCreateReason, msg);
      throw err;
    }
  }
  if (!alreadyExists) {
    dc.events.emit('deployment.newReplicaSet', { deployment: dkey(d), replicaSet: dname(createdRS), replicas: newReplicasCount, revision: newRevision, collision: false });
    if (newReplicasCount > 0) {
      recordEvent(dc, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${dname(createdRS)} from 0 to ${newReplicasCount}`);
      dc.events.emit('deployment.scale', { deployment: dkey(d), replicaSet: dname(createdRS), from: 0, to: newReplicasCount, reason: isRollingUpdate(d) ? 'rollingNew' : 'recreate' });
    }
  }
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'True', NewReplicaSetReason, conditionMessages.createdNewReplicaSet(dname(createdRS)), now));
    needsUpdate = true;
  }
  if (needsUpdate) await updateDeploymentStatus(dc, d);
  return createdRS;
}

/** Descending size; ties: older first (scaling down). Upstream: controller_utils.go (ReplicaSetsBySizeOlder) */
export function sortReplicaSetsBySizeOlder(rss: readonly ReplicaSet[]): ReplicaSet[] {
  const byAge = sortReplicaSetsByCreationTimestamp(rss);
  return [...byAge].sort((a, b) => rsReplicas(b) - rsReplicas(a) || byAge.indexOf(a) - byAge.indexOf(b));
}

/** Descending size; ties: newer first (scaling up). Upstream: controller_utils.go (ReplicaSetsBySizeNewer) */
export function sortReplicaSetsBySizeNewer(rss: readonly ReplicaSet[]): ReplicaSet[] {
  const byAge = sortReplicaSetsByCreationTimestamp(rss);
  return [...byAge].sort((a, b) => rsReplicas(b) - rsReplicas(a) || byAge.indexOf(b) - byAge.indexOf(a));
}

/** spec.replicas > 0. Upstream: controller_utils.go (FilterActiveReplicaSets) */
export function filterActiveReplicaSets(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => rs !== undefined && rsReplicas(rs) > 0);
}

/**
 * Scales in proportion to each active ReplicaSet's size, so a scaling event in the middle of a
 * rollout neither speeds the rollout up (all to the new ReplicaSet) nor keeps more old pods than
 * before: the risk of the template being rolled out stays what it was. With one active ReplicaSet
 * it simply takes spec.replicas; a saturated new ReplicaSet scales the old ones to 0.
 * Upstream: sync.go (scale)
 */
export async function scale(dc: DcContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (rsReplicas(activeOrLatest) === specReplicas(d)) return;
    await scaleReplicaSetAndRecordEvent(dc, activeOrLatest, specReplicas(d), d, 'scale');
    return;
  }
  // A saturated new ReplicaSet (adopted, say): old ones go to 0.
  if (isSaturated(d, newRS)) {
    for (const old of filterActiveReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(dc, old, 0, d, 'scale');
    return;
  }
  if (!isRollingUpdate(d)) return;
  let allRSs = filterActiveReplicaSets([...oldRSs, newRS]);
  const allRSsReplicas = getReplicaCountForReplicaSets(allRSs);
  const allowedSize = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  // What to add (or remove, negative) across the active ReplicaSets, largest first.
  const deploymentReplicasToAdd = allowedSize - allRSsReplicas;
  let scalingOperation = '';
  if (deploymentReplicasToAdd > 0) {
    allRSs = sortReplicaSetsBySizeNewer(allRSs);
    scalingOperation = 'up';
  } else if (deploymentReplicasToAdd < 0) {
    allRSs = sortReplicaSetsBySizeOlder(allRSs);
    scalingOperation = 'down';
  }
  let deploymentReplicasAdded = 0;
  const nameToSize = new Map<string, number>();
  for (const rs of allRSs) {
    if (deploymentReplicasToAdd !== 0) {
      const proportion = getReplicaSetProportion(rs, d, deploymentReplicasToAdd, deploymentReplicasAdded);
      nameToSize.set(dname(rs), rsReplicas(rs) + proportion);
      deploymentReplicasAdded += proportion;
    } else {
      nameToSize.set(dname(rs), rsReplicas(rs));
    }
  }
  for (let i = 0; i < allRSs.length; i++) {
    const rs = allRSs[i];
    // Rounding leftovers go to the largest ReplicaSet.
    if (i === 0 && deploymentReplicasToAdd !== 0) {
      const leftover = deploymentReplicasToAdd - deploymentReplicasAdded;
      nameToSize.set(dname(rs), Math.max(0, (nameToSize.get(dname(rs)) ?? 0) + leftover));
    }
    await scaleReplicaSet(dc, rs, nameToSize.get(dname(rs)) ?? 0, d, scalingOperation, 'scale');
  }
}

/** Upstream: sync.go (scaleReplicaSetAndRecordEvent) */
export async function scaleReplicaSetAndRecordEvent(
  dc: DcContext,
  rs: ReplicaSet,
  newScale: number,
  d: Deployment,
  reason: ScaleReason,
): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (rsReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(dc, rs, newScale, d, rsReplicas(rs) < newScale ? 'up' : 'down', reason);
}

/**
 * Writes spec.replicas and the desired/max-replicas annotations (the latter tell a later sync
 * whether spec.replicas changed since: a scaling event). Upstream: sync.go (scaleReplicaSet)
 */
export async function scaleReplicaSet(
  dc: DcContext,
  rs: ReplicaSet,
  newScale: number,
  d: Deployment,
  scalingOperation: string,
  reason: ScaleReason,
): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const sizeNeedsUpdate = rsReplicas(rs) !== newScale;
  const desired = specReplicas(d);
  const max = desired + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const oldScale = rsReplicas(rs);
  const rsCopy = deepCopy(rs);
  rsCopy.spec.replicas = newScale;
  setReplicasAnnotations(rsCopy, desired, max);
  const updated = await updateReplicaSet(dc, rsCopy);
  if (!sizeNeedsUpdate) return { scaled: false, rs: updated };
  recordEvent(dc, d, 'Normal', 'ScalingReplicaSet', `Scaled ${scalingOperation} replica set ${dname(updated)} from ${oldScale} to ${newScale}`);
  dc.events.emit('deployment.scale', { deployment: dkey(d), replicaSet: dname(updated), from: oldScale, to: newScale, reason });
  return { scaled: true, rs: updated };
}

/** Lowest revision first; unparsable or equal revisions by age. Upstream: deployment_util.go (ReplicaSetsByRevision) */
export function sortReplicaSetsByRevision(rss: readonly ReplicaSet[]): ReplicaSet[] {
  const byAge = sortReplicaSetsByCreationTimestamp(rss);
  const rev = (rs: ReplicaSet): number | undefined => {
    try {
      return revision(rs);
    } catch {
      return undefined;
    }
  };
  return [...byAge].sort((a, b) => {
    const ra = rev(a);
    const rb = rev(b);
    if (ra === undefined || rb === undefined || ra === rb) return byAge.indexOf(a) - byAge.indexOf(b);
    return ra - rb;
  });
}

/**
 * Keeps the newest revisionHistoryLimit old ReplicaSets (what `rollout undo` can go back to) and
 * deletes older ones, but only those with no pods, no replicas and an observed spec.
 * Upstream: sync.go (cleanupDeployment)
 */
export async function cleanupDeployment(dc: DcContext, oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => rs && !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - (d.spec.revisionHistoryLimit ?? 0);
  if (diff <= 0) return;
  const sorted = sortReplicaSetsByRevision(cleanable);
  for (let i = 0; i < diff; i++) {
    const rs = sorted[i];
    if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
    try {
      await dc.client.appsV1().replicaSets(rs.metadata.namespace ?? '').delete(dname(rs));
      dc.events.emit('deployment.cleanup', { deployment: dkey(d), replicaSet: dname(rs) });
    } catch (e) {
      // One failure stops the cleanup, in case the API server is overloaded.
      if (!isNotFound(e)) throw e;
    }
  }
}

const statusCounts = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;

/**
 * Go's reflect.DeepEqual on two DeploymentStatus values: an absent count is Go's 0 (the API drops
 * zero counts with omitempty), conditions compare as data.
 */
export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  const norm = (s: DeploymentStatus | undefined) => {
    const out: Record<string, unknown> = { collisionCount: s?.collisionCount, conditions: s?.conditions ?? [] };
    for (const k of statusCounts) out[k] = s?.[k] ?? 0;
    return out;
  };
  return semanticDeepEqual(norm(a), norm(b));
}

/** Writes the status if it changed. Upstream: sync.go (syncDeploymentStatus) */
export async function syncDeploymentStatus(dc: DcContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const newStatus = calculateStatus(allRSs, newRS, d, dc.clock.now());
  traceRollout(dc, allRSs, newRS, d);
  if (statusEqual(d.status, newStatus)) return;
  d.status = newStatus;
  await updateDeploymentStatus(dc, d);
}

/**
 * The status from the ReplicaSets: pods (actual), updated (the new RS's actual), ready, available,
 * unavailable (spec total - available, never negative), and Available: True while available >=
 * replicas - maxUnavailable. Upstream: sync.go (calculateStatus)
 */
export function calculateStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const availableReplicas = getAvailableReplicaCountForReplicaSets(allRSs);
  const totalReplicas = getReplicaCountForReplicaSets(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: getActualReplicaCountForReplicaSets(allRSs),
    updatedReplicas: getActualReplicaCountForReplicaSets([newRS]),
    readyReplicas: getReadyReplicaCountForReplicaSets(allRSs),
    availableReplicas,
    unavailableReplicas: Math.max(0, totalReplicas - availableReplicas),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (availableReplicas >= specReplicas(d) - maxUnavailable(d)) {
    setDeploymentCondition(status, newDeploymentCondition('Available', 'True', MinimumReplicasAvailable, conditionMessages.minimumAvailable, nowMs));
  } else {
    setDeploymentCondition(status, newDeploymentCondition('Available', 'False', MinimumReplicasUnavailable, conditionMessages.minimumUnavailable, nowMs));
  }
  return status;
}

/**
 * spec.replicas differs from the desired-replicas annotation of an active ReplicaSet: the user
 * (or an autoscaler) scaled the Deployment. Upstream: sync.go (isScalingEvent)
 */
export async function isScalingEvent(dc: DcContext, d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
    const desired = getDesiredReplicasAnnotation(rs);
    if (desired === undefined) continue;
    if (desired !== specReplicas(d)) return true;
  }
  return false;
}

/** The rollout's numbers as this sync saw them (the `deployment.rollout` trace event). */
export function traceRollout(dc: DcContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): void {
  if (!dc.events.recording) return;
  const old = allRSs.filter((rs): rs is ReplicaSet => rs !== undefined && rs !== newRS && rs.metadata.uid !== newRS?.metadata.uid);
  dc.events.emit('deployment.rollout', {
    deployment: dkey(d),
    newRS: newRS ? dname(newRS) : '',
    newReplicas: newRS ? rsReplicas(newRS) : 0,
    newPods: newRS?.status?.replicas ?? 0,
    newAvailable: newRS?.status?.availableReplicas ?? 0,
    oldReplicas: getReplicaCountForReplicaSets(old),
    oldPods: getActualReplicaCountForReplicaSets(old),
    oldAvailable: getAvailableReplicaCountForReplicaSets(old),
    replicas: specReplicas(d),
    maxSurge: maxSurge(d),
    maxUnavailable: maxUnavailable(d),
  });
}
