/**
 * Slow-start batches: how the ReplicaSet (and Job) controller creates many pods without flooding
 * the API server with calls that will all fail the same way (a quota, a bad template).
 */

/** The first batch creates one pod. Upstream: controller_utils.go (SlowStartInitialBatchSize) */
export const SlowStartInitialBatchSize = 1;

/** What slowStartBatch reports: calls that succeeded, and the error that stopped it (if any). */
export interface SlowStartResult {
  successes: number;
  error?: unknown;
}

/**
 * Calls `fn` `count` times in batches of initialBatchSize, 2x, 4x, ... (capped by what is left);
 * the calls of one batch run together. After a batch with a failure no further batch starts; the
 * result counts every success so far. Of several failures in a batch, Go returns whichever reached
 * its channel first; we return the lowest-indexed one so a run is reproducible.
 */
// Upstream: pkg/controller/replicaset/replica_set.go (slowStartBatch)
export async function slowStartBatch(count: number, initialBatchSize: number, fn: (index: number) => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  let started = 0;
  for (let batchSize = Math.min(remaining, initialBatchSize); batchSize > 0; batchSize = Math.min(2 * batchSize, remaining)) {
    const calls = Array.from({ length: batchSize }, (_, i) => fn(started + i));
    const results = await Promise.allSettled(calls);
    started += batchSize;
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batchSize - failed.length;
    if (failed.length) return { successes, error: failed[0]!.reason };
    remaining -= batchSize;
  }
  return { successes };
}
