/**
 * The wall clock the host lends for plugin timings (`runSchedulingCycle({ timings: true })`,
 * `new Scheduler({ timings: true })`). Only the host installs it (src/sim/runtime.ts): the models
 * never read a clock themselves, and timings go into cycle records, never into the trace.
 */
let hostStopwatch: (() => number) | undefined;

/** Installs (or clears) the host's stopwatch; returns the previous one. */
export function useStopwatch(fn: (() => number) | undefined): (() => number) | undefined {
  const prev = hostStopwatch;
  hostStopwatch = fn;
  return prev;
}

/** The host's stopwatch, if it lent one. */
export function hostStopwatchFn(): (() => number) | undefined {
  return hostStopwatch;
}
