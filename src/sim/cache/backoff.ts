/**
 * The exponential backoff a Reflector waits between ListAndWatch attempts and between retried
 * watches, after apimachinery pkg/util/wait at v0.34.0: backoff.go (`Backoff`, `Step`, `delay`,
 * `NewExponentialBackoffManager`) and wait.go (`Jitter`). Durations are computed in integer
 * nanoseconds, as Go's `time.Duration` holds them, and returned in (possibly fractional) ms.
 */
import type { FakeClock, Timer } from '../core/clock';
import type { Rng } from '../core/rng';

const NS_PER_MS = 1_000_000;
/** `math.MaxInt32`: the steps a manager's Backoff starts with ("we will never use up the steps"). */
const MAX_INT32 = 2147483647;

/**
 * The parameters of a backoff (Go: `wait.Backoff`). `step` mutates `durationNs` and `steps`.
 * Invariant: once `steps` is below 1 the duration no longer changes.
 */
export interface Backoff {
  /** The current base duration, in nanoseconds. */
  durationNs: number;
  /** Multiplies the duration every step while steps remain and the cap is not hit. */
  factor: number;
  /** Each sleep is the duration plus up to `jitter × duration`, uniformly. */
  jitter: number;
  /** Remaining steps in which the duration may change. */
  steps: number;
  /** Nanoseconds the duration may not exceed (0: no cap); reaching it sets `steps` to 0. */
  capNs: number;
}

/**
 * `wait.Jitter`: `duration + rand.Float64() * maxFactor * duration` (a maxFactor of 0 or less
 * means 1.0), truncated to whole nanoseconds.
 */
// Upstream: apimachinery pkg/util/wait/wait.go (Jitter)
export function jitterNs(durationNs: number, maxFactor: number, rng: Rng): number {
  const factor = maxFactor <= 0 ? 1.0 : maxFactor;
  return durationNs + Math.trunc(rng.float() * factor * durationNs);
}

/** Returns the next sleep in nanoseconds and advances `b` (Go: `Backoff.Step` / `delay`). */
// Upstream: apimachinery pkg/util/wait/backoff.go (Backoff.Step, delay)
export function stepBackoff(b: Backoff, rng: Rng): number {
  // When steps is non-positive, do not alter the base duration.
  if (b.steps < 1) return b.jitter > 0 ? jitterNs(b.durationNs, b.jitter, rng) : b.durationNs;
  b.steps--;
  let duration = b.durationNs;
  // Calculate the next step's interval.
  if (b.factor !== 0) {
    let next = Math.trunc(b.durationNs * b.factor);
    if (b.capNs > 0 && next > b.capNs) {
      next = b.capNs;
      b.steps = 0;
    }
    b.durationNs = next;
  }
  // Add jitter for this step.
  if (b.jitter > 0) duration = jitterNs(duration, b.jitter, rng);
  return duration;
}

/** A pending backoff: resolves `wait` when the delay has passed (Go: the `clock.Timer` it returns). */
export interface BackoffTimer {
  /** The delay this timer waits, in milliseconds. */
  readonly delayMs: number;
  /** Resolves once `delayMs` of virtual time have passed (Go: `<-t.C()`). Never rejects. */
  readonly wait: Promise<void>;
  /** Cancels the timer; returns false if it already fired (Go: `t.Stop()`). */
  stop(): boolean;
}

/**
 * Hands out backoff timers (Go: `wait.BackoffManager`). Each call computes the next delay;
 * callers wait on one timer at a time.
 */
export interface BackoffManager {
  backoff(): BackoffTimer;
}

/**
 * Exponential backoff with jitter that resets to `initMs` once no backoff was asked for during
 * `resetMs` (Go: `NewExponentialBackoffManager(init, max, reset, factor, jitter, clock)`).
 * Jitter draws from `rng`. The Reflector uses (800 ms, 30 s, 2 min, 2.0, 1.0): sleeps of
 * [0.8, 1.6), [1.6, 3.2), ... s that level off at [30, 60) s.
 */
// Upstream: apimachinery pkg/util/wait/backoff.go (exponentialBackoffManagerImpl)
export class ExponentialBackoffManager implements BackoffManager {
  readonly #b: Backoff;
  readonly #initialNs: number;
  readonly #resetMs: number;
  /** When the last backoff was asked for (initially: when the manager was made). */
  #lastBackoffStartMs: number;
  readonly #clock: FakeClock;
  readonly #rng: Rng;

  constructor(initMs: number, maxMs: number, resetMs: number, factor: number, jitter: number, clock: FakeClock, rng: Rng) {
    this.#clock = clock;
    this.#rng = rng;
    this.#initialNs = Math.round(initMs * NS_PER_MS);
    this.#b = { durationNs: this.#initialNs, factor, jitter, steps: MAX_INT32, capNs: Math.round(maxMs * NS_PER_MS) };
    this.#resetMs = resetMs;
    this.#lastBackoffStartMs = clock.now();
  }

  /** The next delay in milliseconds, advancing the backoff (Go: `getNextBackoff`). */
  // Upstream: exponentialBackoffManagerImpl.getNextBackoff
  nextBackoffMs(): number {
    const now = this.#clock.now();
    if (now - this.#lastBackoffStartMs > this.#resetMs) {
      this.#b.steps = MAX_INT32;
      this.#b.durationNs = this.#initialNs;
    }
    this.#lastBackoffStartMs = now;
    return stepBackoff(this.#b, this.#rng) / NS_PER_MS;
  }

  // Upstream: exponentialBackoffManagerImpl.Backoff
  backoff(): BackoffTimer {
    return newBackoffTimer(this.#clock, this.nextBackoffMs());
  }
}

/** A timer on `clock` that fires after `delayMs`. */
export function newBackoffTimer(clock: FakeClock, delayMs: number): BackoffTimer {
  let timer: Timer | undefined;
  const wait = new Promise<void>((resolve) => {
    timer = clock.afterFunc(delayMs, resolve);
  });
  return { delayMs, wait, stop: () => timer!.stop() };
}

/** A new manager (Go: `wait.NewExponentialBackoffManager`); times in milliseconds. */
export function newExponentialBackoffManager(
  initMs: number,
  maxMs: number,
  resetMs: number,
  factor: number,
  jitter: number,
  clock: FakeClock,
  rng: Rng,
): ExponentialBackoffManager {
  return new ExponentialBackoffManager(initMs, maxMs, resetMs, factor, jitter, clock, rng);
}
