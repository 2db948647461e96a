/**
 * How the simulation knows it is quiescent. Models run on virtual time: between two moves of the
 * clock, everything that can happen happens in promise continuations (a worker blocked in
 * `await queue.get()` resumes in a microtask, learner code awaits, informers hand notifications
 * on). The simulation is quiescent exactly when the microtask queue is empty, and a host task
 * (a macrotask) runs only then: so `settle()` waits for one, and returns knowing that nothing is
 * left to run until the clock moves. No count of trace events or microtask rounds is involved, so
 * a run gives the same result whether or not anything records it.
 *
 * The barrier is the one place the simulation touches the host's scheduler. It reads no clock and
 * decides no order: every continuation it waits for runs in the same order either way.
 */

/** Resolves in a host task that runs after every pending microtask. */
export type Barrier = () => Promise<void>;

let barrier: Barrier | undefined;
/** Barriers passed so far: a measure of progress for watchdogs (see {@link quiescenceCount}). */
let passed = 0;

/**
 * The host's macrotask: `setImmediate` in node (no 1 ms clamping, does not keep the process
 * alive), a `MessageChannel` message in browsers and workers.
 */
function hostBarrier(): Barrier {
  const g = globalThis as {
    setImmediate?: (fn: () => void) => unknown;
    MessageChannel?: new () => { port1: { onmessage: ((e: unknown) => void) | null }; port2: { postMessage(v: unknown): void } };
  };
  // The barrier waits for the microtask queue to empty; it decides no order and reads no clock.
  if (typeof g.setImmediate === 'function') { // allow-nondeterminism: quiescence barrier
    const hostTask = g.setImmediate; // allow-nondeterminism: quiescence barrier
    return () => new Promise<void>((resolve) => void hostTask(resolve));
  }
  if (typeof g.MessageChannel === 'function') {
    const channel = new g.MessageChannel();
    const waiting: Array<() => void> = [];
    channel.port1.onmessage = () => {
      // One message per waiter, delivered in order.
      waiting.shift()?.();
    };
    return () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(0);
      });
  }
  throw new Error('settle(): this host has neither setImmediate nor MessageChannel; install a barrier with setQuiescenceBarrier()');
}

/** Installs the host task `settle()` waits for (hosts without setImmediate or MessageChannel). */
export function setQuiescenceBarrier(b: Barrier | undefined): void {
  barrier = b;
}

/**
 * Resolves once every pending promise continuation has run, those it started included: after it,
 * nothing in the simulation can happen until the clock moves.
 */
export async function quiesce(): Promise<void> {
  barrier ??= hostBarrier();
  await barrier();
  passed++;
}

/**
 * How many times the simulation has reached quiescence. A watchdog that sees this grow knows a
 * long simulation is still making progress (it is not stuck on a promise nothing will settle).
 */
export function quiescenceCount(): number {
  return passed;
}
