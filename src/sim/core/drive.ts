import type { FakeClock } from './clock';
import { traceActivity } from './trace';

/** How many batches of `rounds` settle() runs at most while the models keep emitting events. */
const MAX_BATCHES = 4096;

/**
 * Lets pending promise callbacks run. Model code and learner code react to a `step` through
 * promise continuations (a worker blocked in `await queue.get()` resumes in a microtask), so
 * drivers call `settle()` after moving the clock. It runs `rounds` microtask rounds, and more
 * batches of them while the last batch emitted trace events (a long chain, like an informer
 * delivering thousands of objects, is still at work), up to MAX_BATCHES.
 * Deterministic: microtasks run in a fixed order.
 */
export async function settle(rounds = 64): Promise<void> {
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const before = traceActivity();
    for (let i = 0; i < rounds; i++) await null;
    if (traceActivity() === before) return;
  }
}

export interface RunOptions {
  /** Stop once virtual time reaches this many milliseconds after the start (default 60 000). */
  forMs?: number;
  /** Microtask rounds between clock moves (see {@link settle}). */
  rounds?: number;
  /** Stop early when this returns true (checked after every settle). */
  until?: () => boolean;
}

/**
 * Drives a simulation like a discrete-event simulator: let promise continuations run, then jump
 * the clock to the next pending timer, and repeat until no timer is pending, `until()` holds, or
 * `forMs` has passed. Returns the virtual time at which it stopped.
 */
export async function runUntilIdle(clock: FakeClock, options: RunOptions = {}): Promise<number> {
  const endMs = clock.now() + (options.forMs ?? 60_000);
  const rounds = options.rounds ?? 64;
  for (;;) {
    await settle(rounds);
    if (options.until?.()) break;
    const next = clock.nextWaiterAt();
    if (next === undefined || next > endMs) break;
    clock.setTime(next);
  }
  return clock.now();
}
