/**
 * The queue's invariants, from the field comments of client-go's `Typed[T]`
 * (util/workqueue/queue.go at v0.34.0):
 *
 * - `queue` "defines the order in which we will work on items. Every element of queue should
 *   be in the dirty set and not in the processing set."
 * - `dirty` "defines all of the items that need to be processed."
 * - `processing`: "Things that are currently being processed are in the processing set. These
 *   things may be simultaneously in the dirty set."
 *
 * plus what follows from `Add`, `Get` and `Done` (a dirty item is either queued or being
 * processed; an item is queued at most once; the depth metric counts dirty items) and from
 * this model's `get()` (workers wait only while the queue is empty and not shutting down).
 * Checked on snapshots, so they hold for a live queue and for any point of a replayed trace.
 */
import type { Queue, QueueSnapshot } from './types';

/** Thrown by {@link assertInvariants}; `violations` lists every broken invariant. */
export class InvariantError extends Error {
  constructor(
    readonly queue: string,
    readonly violations: string[],
  ) {
    super(`workqueue "${queue}" broke ${violations.length} invariant(s):\n  - ${violations.join('\n  - ')}`);
    this.name = 'InvariantError';
  }
}

export interface InvariantCheckOptions {
  /**
   * Check only the invariants that hold after every single trace event (for a replay cut in
   * the middle of a call). By default the bookkeeping ones are checked too (the depth metric,
   * the count of waiting workers), which hold between calls but catch up within one.
   */
  afterEveryEvent?: boolean;
}

/** Every broken invariant of a queue (or of a snapshot), as sentences; empty when all hold. */
export function checkInvariants(target: Queue<unknown> | QueueSnapshot, options: InvariantCheckOptions = {}): string[] {
  const s = 'snapshot' in target && typeof target.snapshot === 'function' ? target.snapshot() : (target as QueueSnapshot);
  const violations: string[] = [];
  const dirty = new Set(s.dirty);
  const processing = new Set(s.processing);
  const queued = new Set<string>();
  for (const item of s.queue) {
    if (!dirty.has(item)) violations.push(`every element of queue should be in the dirty set: "${item}" is queued but not dirty`);
    if (processing.has(item)) violations.push(`no element of queue should be in the processing set: "${item}" is queued and processing`);
    if (queued.has(item)) violations.push(`an item is queued at most once: "${item}" appears more than once in queue`);
    queued.add(item);
  }
  for (const item of dirty) {
    if (!queued.has(item) && !processing.has(item)) {
      violations.push(`a dirty item is either queued or being processed: "${item}" is dirty but neither`);
    }
  }
  if (!options.afterEveryEvent) {
    if (s.metrics.depth !== dirty.size) {
      violations.push(`the depth metric counts the dirty items: depth is ${s.metrics.depth}, dirty has ${dirty.size}`);
    }
    if (s.waiters > 0 && s.queue.length > 0) {
      violations.push(`workers wait in get() only while the queue is empty: ${s.waiters} waiting, ${s.queue.length} queued`);
    }
    if (s.waiters > 0 && s.shuttingDown) {
      violations.push(`no worker waits in get() once the queue is shutting down: ${s.waiters} waiting`);
    }
  }
  if (s.shuttingDown && s.waiting.length > 0) {
    violations.push(`nothing waits in the delaying heap once the queue is shutting down: ${s.waiting.length} waiting`);
  }
  const seen = new Set<string>();
  for (let i = 0; i < s.waiting.length; i++) {
    const w = s.waiting[i];
    if (seen.has(w.item)) violations.push(`an item waits in the delaying heap at most once: "${w.item}" appears twice`);
    seen.add(w.item);
    if (i > 0 && s.waiting[i - 1].readyAtMs > w.readyAtMs) violations.push('the delaying heap is listed soonest first');
  }
  return violations;
}

/** Throws an {@link InvariantError} naming every broken invariant. */
export function assertInvariants(target: Queue<unknown> | QueueSnapshot, options: InvariantCheckOptions = {}): void {
  const violations = checkInvariants(target, options);
  if (violations.length > 0) throw new InvariantError(target.name, violations);
}
