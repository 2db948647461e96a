import type { Rng } from '../core/rng';

/** What the backoff reads the time from: a FakeClock fits (Go: clock.Clock). */
export interface BackoffClock {
  now(): number;
}

/**
 * Decides whether an entry has gone quiet long enough to start over (Go: Backoff.HasExpiredFunc).
 * Times and durations in milliseconds.
 */
export type HasExpiredFunc = (eventTimeMs: number, lastUpdateMs: number, maxDurationMs: number) => boolean;

interface BackoffEntry {
  backoffMs: number;
  lastUpdateMs: number;
}

/** Optional jitter: a factor in [0, 1) of the current delay added at each step, drawn from `rng`. */
export interface BackoffJitter {
  maxJitterFactor: number;
  rng: Rng;
}

/**
 * Per-id exponential backoff after client-go util/flowcontrol: the first `next` sets the delay to
 * `initial`, every further one doubles it up to `max`. An id idle for more than twice `max` (or
 * whatever `hasExpiredFunc` says) starts over at `initial` and is dropped by `gc`.
 * All times are virtual milliseconds.
 */
// Upstream: client-go util/flowcontrol/backoff.go (Backoff)
export class Backoff {
  /** Replaces the 2 x max expiry rule; the kubelet's crash-loop backoff sets one (see crashloop.ts). */
  hasExpiredFunc: HasExpiredFunc | undefined;
  readonly clock: BackoffClock;
  readonly #defaultMs: number;
  readonly #maxMs: number;
  readonly #entries = new Map<string, BackoffEntry>();
  readonly #jitter: BackoffJitter | undefined;

  constructor(clock: BackoffClock, initialMs: number, maxMs: number, jitter?: BackoffJitter) {
    for (const [name, v] of [['initialMs', initialMs], ['maxMs', maxMs]] as const) {
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`Backoff: ${name} must be a finite number >= 0, got ${v}`);
    }
    if (jitter && !(jitter.maxJitterFactor >= 0 && jitter.maxJitterFactor < 1)) {
      throw new RangeError(`Backoff: maxJitterFactor must be in [0, 1), got ${jitter.maxJitterFactor}`);
    }
    this.clock = clock;
    this.#defaultMs = initialMs;
    this.#maxMs = maxMs;
    this.#jitter = jitter && jitter.maxJitterFactor > 0 ? jitter : undefined;
  }

  /** The current delay of `id`, 0 when it has none. */
  // Upstream: Backoff.Get
  get(id: string): number {
    return this.#entries.get(id)?.backoffMs ?? 0;
  }

  /** Records one more failure of `id` seen at `eventTimeMs`: start at initial, or double up to max. */
  // Upstream: Backoff.Next
  next(id: string, eventTimeMs: number): void {
    let entry = this.#entries.get(id);
    if (!entry || this.#hasExpired(eventTimeMs, entry.lastUpdateMs)) {
      entry = { backoffMs: this.#defaultMs, lastUpdateMs: 0 };
      this.#entries.set(id, entry);
      entry.backoffMs += this.#jitterOf(entry.backoffMs);
    } else {
      const delay = entry.backoffMs * 2 + this.#jitterOf(entry.backoffMs);
      entry.backoffMs = Math.min(delay, this.#maxMs);
    }
    // Go stamps the clock's now, not eventTime: the expiry rule measures from when we last stepped.
    entry.lastUpdateMs = this.clock.now();
  }

  /** Forgets `id` (Go has Reset and DeleteEntry, which do the same). */
  // Upstream: Backoff.Reset
  reset(id: string): void {
    this.#entries.delete(id);
  }

  /** True while less than the current delay has passed since `eventTimeMs` (on the clock). */
  // Upstream: Backoff.IsInBackOffSince
  isInBackOffSince(id: string, eventTimeMs: number): boolean {
    const entry = this.#entries.get(id);
    if (!entry || this.#hasExpired(eventTimeMs, entry.lastUpdateMs)) return false;
    return this.clock.now() - eventTimeMs < entry.backoffMs;
  }

  /** True while `eventTimeMs` is less than the current delay after the last `next`. */
  // Upstream: Backoff.IsInBackOffSinceUpdate
  isInBackOffSinceUpdate(id: string, eventTimeMs: number): boolean {
    const entry = this.#entries.get(id);
    if (!entry || this.#hasExpired(eventTimeMs, entry.lastUpdateMs)) return false;
    return eventTimeMs - entry.lastUpdateMs < entry.backoffMs;
  }

  /** Drops every entry that has expired by now. */
  // Upstream: Backoff.GC
  gc(): void {
    const now = this.clock.now();
    for (const [id, entry] of this.#entries) {
      if (this.#hasExpired(now, entry.lastUpdateMs)) this.#entries.delete(id);
    }
  }

  /** Ids with an entry, in insertion order (for views and tests; Go's map is private). */
  ids(): string[] {
    return [...this.#entries.keys()];
  }

  #jitterOf(delayMs: number): number {
    return this.#jitter ? this.#jitter.rng.float() * this.#jitter.maxJitterFactor * delayMs : 0;
  }

  // Upstream: Backoff.hasExpired (stable once quiet for twice maxDuration)
  #hasExpired(eventTimeMs: number, lastUpdateMs: number): boolean {
    if (this.hasExpiredFunc) return this.hasExpiredFunc(eventTimeMs, lastUpdateMs, this.#maxMs);
    return eventTimeMs - lastUpdateMs > this.#maxMs * 2;
  }
}
