/**
 * The cluster of the lab run in progress. The lab runtime rebuilds the page's session cluster in
 * each Run (and a fresh one for each check) and installs it here (src/sim/runtime.ts
 * `useLabCluster`); learner code reaches it with `labCluster()`.
 */
import { UsageError } from '../core/errors';
import type { LabCluster } from './cluster';

let current: LabCluster | undefined;

/** Installs `cluster` for `labCluster()` (or clears it); returns the previous one. */
export function useLabCluster(cluster: LabCluster | undefined): LabCluster | undefined {
  const previous = current;
  current = cluster;
  return previous;
}

/**
 * The lab's cluster: the same state the terminal's kubectl shows (what you applied, what earlier
 * runs wrote), rebuilt for this run; what this run writes shows in the terminal afterwards.
 * In a check, the check's own copy.
 */
export function labCluster(): LabCluster {
  if (!current) throw new UsageError('labCluster(): this run has no lab cluster (outside a lab, build one with await newLabCluster())');
  return current;
}
