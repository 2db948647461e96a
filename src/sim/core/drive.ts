import type { FakeClock } from './clock';
import { finiteMs } from './loop';
import { quiesce } from './quiescence';

/**
 * Lets every pending promise continuation run, and those they start, until nothing is left: the
 * simulation is then quiescent (see quiescence.ts). Model code and learner code react to a `step`
 * through promise continuations, so drivers call `settle()` after moving the clock.
 * The argument is accepted for compatibility and ignored (it used to be a number of microtask
 * rounds; quiescence is now exact).
 */
export async function settle(_rounds?: number): Promise<void> {
  await quiesce();
}

export interface RunOptions {
  /** Stop once virtual time reaches this many milliseconds after the start (default 60 000). */
  forMs?: number;
  /** Ignored (see {@link settle}); kept so older callers still compile. */
  rounds?: number;
  /** Stop early when this returns true (checked whenever the simulation is quiescent). */
  until?: () => boolean;
}

/**
 * Drives a simulation like a discrete-event simulator: let every promise continuation run, then
 * jump the clock to the next pending timer, and repeat until no timer is pending, `until()` holds,
 * or `forMs` has passed. The clock moves only when the simulation is quiescent, so no work is
 * left behind at an earlier time. Returns the virtual time at which it stopped.
 */
export async function runUntilIdle(clock: FakeClock, options: RunOptions = {}): Promise<number> {
  const forMs = options.forMs === undefined ? 60_000 : finiteMs('runUntilIdle: forMs', options.forMs);
  if (forMs < 0) throw new RangeError(`runUntilIdle: forMs must not be negative, got ${forMs}`);
  const endMs = clock.now() + forMs;
  for (;;) {
    await settle();
    if (options.until?.()) break;
    const next = clock.nextWaiterAt();
    if (next === undefined || next > endMs) break;
    clock.setTime(next);
  }
  return clock.now();
}

/**
 * Drives the simulation (as `runUntilIdle` does) until `promise` settles, and returns its value
 * (or throws its error). For code that waits on virtual time, such as
 * `waitForCacheSync(clock, ...)`, which polls every 100 ms of virtual time and needs the clock to
 * move. Throws a RangeError if the promise has not settled after `forMs` of virtual time
 * (default 60 000) or once nothing is left to run.
 */
export async function runUntilSettled<T>(clock: FakeClock, promise: Promise<T>, options: Omit<RunOptions, 'until'> = {}): Promise<T> {
  let settled = false;
  const watched = promise.then(
    (value) => {
      settled = true;
      return value;
    },
    (err: unknown) => {
      settled = true;
      throw err;
    },
  );
  watched.catch(() => {});
  const start = clock.now();
  await runUntilIdle(clock, { ...options, until: () => settled });
  if (!settled) {
    const waited = clock.now() - start;
    throw new RangeError(
      `runUntilSettled: the promise had not settled after ${waited} ms of virtual time (${clock.hasWaiters() ? `stopped at forMs` : 'nothing left to run'})`,
    );
  }
  return watched;
}
