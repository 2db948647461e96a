/**
 * The Job's pod-failure backoff: after n failures since the last success, new pods wait
 * 10 s x 2^(n-1), at most 6 min, counted from the last failure.
 * Upstream: pkg/controller/job/backoff_utils.go (backoffRecord, backoffStore.newBackoffRecord,
 * getRemainingTime, getRemainingTimeForFailuresCount, getFinishedTime), job_controller.go
 * (DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff)
 */
import type { Pod } from '../../api/core/v1';
import { parseRfc3339 } from '../../apiserver/registry/strategy';

export const DefaultJobPodFailureBackOffMs = 10_000;
export const MaxJobPodFailureBackOffMs = 360_000;

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  /** Virtual ms of the newest failure counted (undefined: none). */
  lastFailureTimeMs?: number;
}

const ms = (t: string | undefined | null) => (t ? parseRfc3339(t) : undefined);

/** When a pod finished: the latest container finishedAt, else Ready=False's transition, else deletion, else creation. */
// Upstream: backoff_utils.go (getFinishedTime, getFinishTimeFromContainers, getFinishTimeFromPodReadyFalseCondition, getFinishTimeFromDeletionTimestamp)
export function getFinishedTime(p: Pod): number {
  let latest: number | undefined;
  for (const list of ['initContainerStatuses', 'containerStatuses']) {
    for (const cs of (p.status?.[list] as Array<{ state?: { terminated?: { finishedAt?: string } } }> | undefined) ?? []) {
      const t = ms(cs.state?.terminated?.finishedAt);
      if (t !== undefined && (latest === undefined || t > latest)) latest = t;
    }
  }
  if (latest !== undefined) return latest;
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  const fromReady = ms(ready?.lastTransitionTime);
  if (fromReady !== undefined) return fromReady;
  return ms(p.metadata.deletionTimestamp) ?? ms(p.metadata.creationTimestamp) ?? 0;
}

const byFinishedTime = (pods: readonly Pod[]) => [...pods].sort((a, b) => getFinishedTime(a) - getFinishedTime(b));

/** The per-Job records, kept in memory as upstream's store (lost on a controller restart). */
// Upstream: backoff_utils.go (backoffStore)
export class BackoffStore {
  readonly #records = new Map<string, BackoffRecord>();

  updateBackoffRecord(r: BackoffRecord): void {
    this.#records.set(r.key, { ...r });
  }
  removeBackoffRecord(key: string): void {
    this.#records.delete(key);
  }
  get(key: string): BackoffRecord | undefined {
    return this.#records.get(key);
  }

  /** The record after this sync's newly finished pods: a success resets it, failures after the last success count. */
  // Upstream: backoff_utils.go (backoffStore.newBackoffRecord)
  newBackoffRecord(key: string, newSucceededPods: readonly Pod[], newFailedPods: readonly Pod[]): BackoffRecord {
    const r: BackoffRecord = { ...(this.#records.get(key) ?? { key, failuresAfterLastSuccess: 0 }) };
    const succeeded = byFinishedTime(newSucceededPods);
    const failed = byFinishedTime(newFailedPods);
    if (succeeded.length === 0) {
      if (failed.length === 0) return r;
      r.failuresAfterLastSuccess += failed.length;
      r.lastFailureTimeMs = getFinishedTime(failed[failed.length - 1]);
      return r;
    }
    r.failuresAfterLastSuccess = 0;
    r.lastFailureTimeMs = undefined;
    const lastSuccess = getFinishedTime(succeeded[succeeded.length - 1]);
    for (let i = failed.length - 1; i >= 0; i--) {
      const t = getFinishedTime(failed[i]);
      if (!(t > lastSuccess)) break;
      r.lastFailureTimeMs ??= t;
      r.failuresAfterLastSuccess++;
    }
    return r;
  }
}

/** How long new pods must still wait (0: none). */
// Upstream: backoff_utils.go (getRemainingTimeForFailuresCount)
export function getRemainingTimeForFailuresCount(nowMs: number, defaultMs: number, maxMs: number, failuresCount: number, lastFailureTimeMs: number | undefined): number {
  if (failuresCount === 0 || lastFailureTimeMs === undefined) return 0;
  let backoffMs = defaultMs;
  for (let i = 1; i < failuresCount; i++) {
    backoffMs *= 2;
    if (backoffMs >= maxMs) {
      backoffMs = maxMs;
      break;
    }
  }
  const elapsed = nowMs - lastFailureTimeMs;
  return backoffMs < elapsed ? 0 : backoffMs - elapsed;
}

// Upstream: backoff_utils.go (backoffRecord.getRemainingTime)
export function getRemainingTime(r: BackoffRecord, nowMs: number, defaultMs = DefaultJobPodFailureBackOffMs, maxMs = MaxJobPodFailureBackOffMs): number {
  return getRemainingTimeForFailuresCount(nowMs, defaultMs, maxMs, r.failuresAfterLastSuccess, r.lastFailureTimeMs);
}
