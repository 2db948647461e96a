/**
 * Decides whether the Reflector retries a watch that ended with an internal error (HTTP 500):
 * yes while the errors keep coming for at most `maxRetryDurationMs` (counted from the first one),
 * where a gap of `minResetPeriodMs` without such errors starts the count again.
 * Upstream: client-go tools/cache/retry_with_deadline.go at v0.34.0.
 */
import type { FakeClock } from '../core/clock';

export interface RetryWithDeadline {
  /** Records the outcome of an attempt (`undefined`: it succeeded). */
  after(err: unknown): void;
  /** Whether to retry now. */
  shouldRetry(): boolean;
}

// Upstream: retry_with_deadline.go (retryWithDeadlineImpl)
class RetryWithDeadlineImpl implements RetryWithDeadline {
  /** When the current run of retryable errors began; undefined is Go's zero time. */
  #firstErrorTimeMs: number | undefined;
  /** When the last retryable error happened; undefined is Go's zero time. */
  #lastErrorTimeMs: number | undefined;

  readonly #maxRetryDurationMs: number;
  readonly #minResetPeriodMs: number;
  readonly #isRetryable: (err: unknown) => boolean;
  readonly #clock: FakeClock;

  constructor(maxRetryDurationMs: number, minResetPeriodMs: number, isRetryable: (err: unknown) => boolean, clock: FakeClock) {
    this.#maxRetryDurationMs = maxRetryDurationMs;
    this.#minResetPeriodMs = minResetPeriodMs;
    this.#isRetryable = isRetryable;
    this.#clock = clock;
  }

  #reset(): void {
    this.#firstErrorTimeMs = undefined;
    this.#lastErrorTimeMs = undefined;
  }

  after(err: unknown): void {
    if (!this.#isRetryable(err)) return;
    const now = this.#clock.now();
    // Since Go's zero time, `now.Sub` saturates: always at least minResetPeriod.
    if (this.#lastErrorTimeMs === undefined || now - this.#lastErrorTimeMs >= this.#minResetPeriodMs) this.#reset();
    if (this.#firstErrorTimeMs === undefined) this.#firstErrorTimeMs = now;
    this.#lastErrorTimeMs = now;
  }

  shouldRetry(): boolean {
    if (this.#maxRetryDurationMs <= 0) return false;
    if (this.#firstErrorTimeMs !== undefined && this.#clock.now() - this.#firstErrorTimeMs <= this.#maxRetryDurationMs) return true;
    this.#reset();
    return false;
  }
}

/** Go: `NewRetryWithDeadline(maxRetryDuration, minResetPeriod, isRetryable, clock)`, in milliseconds. */
export function newRetryWithDeadline(
  maxRetryDurationMs: number,
  minResetPeriodMs: number,
  isRetryable: (err: unknown) => boolean,
  clock: FakeClock,
): RetryWithDeadline {
  return new RetryWithDeadlineImpl(maxRetryDurationMs, minResetPeriodMs, isRetryable, clock);
}
