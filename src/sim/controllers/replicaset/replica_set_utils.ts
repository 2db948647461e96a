/**
 * The ReplicaSet's status: what it counts, the ReplicaFailure condition, and the write with one
 * retry. Upstream: pkg/controller/replicaset/replica_set_utils.go (kubernetes v1.34; see README).
 */
import type { Pod } from '../../api/core/v1';
import { selectorFromSet } from '../../apimachinery/labels';
import type { ResourceClient } from '../../client/typed';
import { deepCopy, type KubeObject } from '../../core/object';
import { rfc3339 } from '../../apiserver/registry/strategy';
import { isPodReady } from '../util/pod';
import { isPodAvailable } from './pod_control';
import { ReplicaSetReplicaFailure, specReplicas, type ReplicaSet, type ReplicaSetCondition, type ReplicaSetStatus } from './types';

/** How many times a failed status write is retried (after a fresh GET). Upstream: replica_set.go (statusUpdateRetries) */
export const statusUpdateRetries = 1;

/** Upstream: replica_set_utils.go (NewReplicaSetCondition) */
export function newReplicaSetCondition(type: string, status: ReplicaSetCondition['status'], reason: string, message: string, nowMs: number): ReplicaSetCondition {
  return { type, status, lastTransitionTime: rfc3339(nowMs), reason, message };
}

/** Upstream: replica_set_utils.go (GetCondition) */
export function getCondition(status: ReplicaSetStatus, type: string): ReplicaSetCondition | undefined {
  return status.conditions?.find((c) => c.type === type);
}

/** Adds or replaces the condition, unless one with the same status and reason is there already. */
// Upstream: replica_set_utils.go (SetCondition)
export function setCondition(status: ReplicaSetStatus, condition: ReplicaSetCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  status.conditions = [...(filterOutCondition(status.conditions, condition.type) ?? []), condition];
}

/** Upstream: replica_set_utils.go (RemoveCondition) */
export function removeCondition(status: ReplicaSetStatus, type: string): void {
  status.conditions = filterOutCondition(status.conditions, type);
}

// Go returns a nil slice when nothing is left; JSON drops it.
function filterOutCondition(conditions: ReplicaSetCondition[] | undefined, type: string): ReplicaSetCondition[] | undefined {
  const kept = (conditions ?? []).filter((c) => c.type !== type);
  return kept.length ? kept : undefined;
}

/**
 * The status the pods say: replicas (active, claimed), fullyLabeled (matching the template's
 * labels, which may be more than the selector's), ready, available (ready for minReadySeconds).
 * A failed create or delete sets ReplicaFailure (FailedCreate / FailedDelete, the error as its
 * message); a sync without error removes it. The condition is not rewritten while it stays.
 */
// Upstream: replica_set_utils.go (calculateStatus)
export function calculateStatus(rs: ReplicaSet, filteredPods: readonly Pod[], manageReplicasErr: Error | undefined, nowMs: number): ReplicaSetStatus {
  const newStatus: ReplicaSetStatus = deepCopy(rs.status ?? {});
  const templateLabel = selectorFromSet(rs.spec.template.metadata?.labels ?? {});
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of filteredPods) {
    if (templateLabel.matches(pod.metadata.labels ?? {})) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, rs.spec.minReadySeconds ?? 0, nowMs)) available++;
    }
  }
  const failureCond = getCondition(rs.status ?? {}, ReplicaSetReplicaFailure);
  if (manageReplicasErr && !failureCond) {
    const diff = filteredPods.length - specReplicas(rs);
    // diff 0 leaves the reason empty, as upstream.
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    setCondition(newStatus, newReplicaSetCondition(ReplicaSetReplicaFailure, 'True', reason, manageReplicasErr.message, nowMs));
  } else if (!manageReplicasErr && failureCond) {
    removeCondition(newStatus, ReplicaSetReplicaFailure);
  }
  newStatus.replicas = filteredPods.length;
  newStatus.fullyLabeledReplicas = fullyLabeled;
  newStatus.readyReplicas = ready;
  newStatus.availableReplicas = available;
  return newStatus;
}

const n = (v: number | undefined) => v ?? 0;
const sameConditions = (a: ReplicaSetCondition[] | undefined, b: ReplicaSetCondition[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/** Whether writing `newStatus` would change nothing (and the generation was already observed). */
function statusUnchanged(rs: ReplicaSet, s: ReplicaSetStatus): boolean {
  const cur = rs.status ?? {};
  return (
    n(cur.replicas) === n(s.replicas) &&
    n(cur.fullyLabeledReplicas) === n(s.fullyLabeledReplicas) &&
    n(cur.readyReplicas) === n(s.readyReplicas) &&
    n(cur.availableReplicas) === n(s.availableReplicas) &&
    n(rs.metadata.generation) === n(cur.observedGeneration) &&
    sameConditions(cur.conditions, s.conditions)
  );
}

export interface StatusUpdateResult {
  rs: ReplicaSet;
  /** False when nothing changed and no request was sent. */
  written: boolean;
}

/**
 * Writes the status (observedGeneration = the generation acted on) with UpdateStatus; on failure
 * GETs the ReplicaSet and tries once more. A failed GET's error wins over the update's.
 */
// Upstream: replica_set_utils.go (updateReplicaSetStatus)
export async function updateReplicaSetStatus(c: ResourceClient, rs: ReplicaSet, newStatus: ReplicaSetStatus): Promise<StatusUpdateResult> {
  if (statusUnchanged(rs, newStatus)) return { rs, written: false };
  // The generation we acted on, even if the retry reads a newer one.
  const status = { ...newStatus, observedGeneration: rs.metadata.generation };
  let cur = rs;
  for (let i = 0; ; i++) {
    try {
      const updated = await c.updateStatus({ ...deepCopy(cur), status: deepCopy(status) } as unknown as KubeObject);
      return { rs: updated as unknown as ReplicaSet, written: true };
    } catch (updateErr) {
      if (i >= statusUpdateRetries) throw updateErr;
    }
    cur = (await c.get(cur.metadata.name ?? '')) as unknown as ReplicaSet;
  }
}
