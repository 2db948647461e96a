/**
 * Rate limiters: how long an item waits before a retry.
 * Upstream: client-go util/workqueue/default_rate_limiters.go at v0.34.0, and the token bucket
 * of golang.org/x/time/rate (`Limiter.Reserve().Delay()`), which `TypedBucketRateLimiter` wraps.
 *
 * Go durations are integer nanoseconds; ours are milliseconds. Where upstream's arithmetic
 * depends on that (the overflow guard, the bucket's truncation to whole nanoseconds), the code
 * below works in nanoseconds and converts at the edges.
 */
import { FakeClock } from '../core/clock';
import { UsageError } from '../core/errors';
import type { RateLimiter } from './types';

const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;
/** `float64(math.MaxInt64)`: 2^63 once converted, as Go's comparisons see it. */
const MAX_INT64_F = 2 ** 63;
/** `rate.InfDuration` (1<<63 - 1 ns) in milliseconds: the delay of a reservation that is not OK. */
export const INF_DURATION_MS = 9223372036854.775807;

function toNs(ms: number): number {
  return Math.round(ms * NS_PER_MS);
}

function requireNumber(fn: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new UsageError(`${fn}: ${name} must be a number, got ${String(value)}`);
  }
}

/**
 * `baseDelay * 2^failures` per item, capped at `maxDelay` (Go: `ItemExponentialFailureRateLimiter`).
 * Failures are counted per item until `forget`.
 */
// Upstream: default_rate_limiters.go (TypedItemExponentialFailureRateLimiter)
class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  readonly #failures = new Map<T, number>();
  readonly #baseNs: number;
  readonly #maxNs: number;

  constructor(
    readonly baseDelayMs: number,
    readonly maxDelayMs: number,
  ) {
    this.#baseNs = toNs(baseDelayMs);
    this.#maxNs = toNs(maxDelayMs);
  }

  // Upstream: TypedItemExponentialFailureRateLimiter.When
  when(item: T): number {
    const exp = this.#failures.get(item) ?? 0;
    this.#failures.set(item, exp + 1);
    // backoff = baseDelay * 2^exp in float64 nanoseconds, as upstream. Doubling is exact in
    // binary floating point; stop as soon as it passes the int64 range.
    let backoffNs = this.#baseNs;
    for (let i = 0; i < exp && backoffNs !== 0 && Math.abs(backoffNs) <= MAX_INT64_F; i++) backoffNs *= 2;
    // The backoff is capped such that 'calculated' value never overflows.
    if (backoffNs > MAX_INT64_F) return this.maxDelayMs;
    // time.Duration(backoff): a value below the int64 range becomes MinInt64 (amd64 and arm64
    // agree). Where they disagree (exactly 2^63, NaN from 0 * +Inf) we follow arm64's
    // saturation: 2^63 stays above maxDelay, and the loop above never makes a NaN.
    const calculatedNs = backoffNs < -MAX_INT64_F ? -MAX_INT64_F : Math.trunc(backoffNs);
    if (calculatedNs > this.#maxNs) return this.maxDelayMs;
    return calculatedNs / NS_PER_MS;
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }
}

/**
 * `fastDelay` for the first `maxFastAttempts` failures of an item, `slowDelay` after
 * (Go: `ItemFastSlowRateLimiter`).
 */
// Upstream: default_rate_limiters.go (TypedItemFastSlowRateLimiter)
class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  readonly #failures = new Map<T, number>();

  constructor(
    readonly fastDelayMs: number,
    readonly slowDelayMs: number,
    readonly maxFastAttempts: number,
  ) {}

  when(item: T): number {
    const failures = (this.#failures.get(item) ?? 0) + 1;
    this.#failures.set(item, failures);
    return failures <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }
}

/**
 * Asks every limiter and returns the longest delay (Go: `MaxOfRateLimiter`). Every limiter's
 * `when` runs, so each counts the failure.
 */
// Upstream: default_rate_limiters.go (TypedMaxOfRateLimiter)
class MaxOfRateLimiter<T> implements RateLimiter<T> {
  readonly #limiters: ReadonlyArray<RateLimiter<T>>;

  constructor(limiters: ReadonlyArray<RateLimiter<T>>) {
    this.#limiters = limiters;
  }

  when(item: T): number {
    let ret = 0;
    for (const limiter of this.#limiters) {
      const curr = limiter.when(item);
      if (curr > ret) ret = curr;
    }
    return ret;
  }

  numRequeues(item: T): number {
    let ret = 0;
    for (const limiter of this.#limiters) {
      const curr = limiter.numRequeues(item);
      if (curr > ret) ret = curr;
    }
    return ret;
  }

  forget(item: T): void {
    for (const limiter of this.#limiters) limiter.forget(item);
  }

  bindClock(clock: FakeClock): void {
    for (const limiter of this.#limiters) limiter.bindClock?.(clock);
  }
}

/** Caps another limiter's delay at `maxDelay` (Go: `WithMaxWaitRateLimiter`). */
// Upstream: default_rate_limiters.go (TypedWithMaxWaitRateLimiter)
class WithMaxWaitRateLimiter<T> implements RateLimiter<T> {
  readonly #limiter: RateLimiter<T>;

  constructor(
    limiter: RateLimiter<T>,
    readonly maxDelayMs: number,
  ) {
    this.#limiter = limiter;
  }

  when(item: T): number {
    const delay = this.#limiter.when(item);
    return delay > this.maxDelayMs ? this.maxDelayMs : delay;
  }

  numRequeues(item: T): number {
    return this.#limiter.numRequeues(item);
  }

  forget(item: T): void {
    this.#limiter.forget(item);
  }

  bindClock(clock: FakeClock): void {
    this.#limiter.bindClock?.(clock);
  }
}

/**
 * One token bucket shared by all items (Go: `BucketRateLimiter` around `rate.NewLimiter(qps,
 * burst)`). The bucket starts full with `burst` tokens and refills at `qps` tokens per second;
 * `when` reserves one token and returns how long until it is available. The token count may go
 * negative: each reservation queues behind the earlier ones.
 */
// Upstream: default_rate_limiters.go (TypedBucketRateLimiter); golang.org/x/time/rate (Limiter)
class BucketRateLimiter<T> implements RateLimiter<T> {
  #clock: FakeClock | undefined;
  /** Tokens at `lastNs`; a new limiter starts full (Go: `NewLimiter` sets `tokens: float64(b)` since v0.7.0). */
  #tokens: number;
  /** When `tokens` was last updated, in ns; undefined before the first reservation (Go's zero `last`). */
  #lastNs: number | undefined;
  /** Latest time of a reserved event (past or future), in ns (Go: `lastEvent`). */
  lastEventNs = 0;

  constructor(
    readonly qps: number,
    readonly burst: number,
    clock?: FakeClock,
  ) {
    requireNumber('newBucketRateLimiter', 'qps', qps);
    requireNumber('newBucketRateLimiter', 'burst', burst);
    // A negative limit is legal upstream: no tokens ever arrive, so every reservation is OK
    // but waits InfDuration (durationFromTokens and tokensFromDuration treat limit <= 0 so).
    this.#clock = clock;
    this.#tokens = burst;
  }

  // Upstream: TypedBucketRateLimiter.When = Limiter.Reserve().Delay()
  when(_item: T): number {
    const nowNs = toNs(this.#clockOrOwn().now());
    const r = this.#reserveN(nowNs, 1, INF_NS);
    if (!r.ok) return INF_DURATION_MS;
    // Upstream: Reservation.DelayFrom. timeToAct is now.Add(wait) in integer nanoseconds, so
    // timeToAct.Sub(now) is the wait itself; a float subtraction would round it once the clock
    // is past 2^53 ns (~104 days).
    return r.waitNs < 0 ? 0 : r.waitNs / NS_PER_MS;
  }

  numRequeues(_item: T): number {
    return 0;
  }

  forget(_item: T): void {}

  /** Adopts `clock` unless this limiter already has one (given, bound, or used unbound). */
  bindClock(clock: FakeClock): void {
    if (!this.#clock) this.#clock = clock;
  }

  /** Tokens in the bucket at virtual time `atMs` (for tests and visualizations). */
  tokensAt(atMs: number): number {
    return this.#advance(toNs(atMs));
  }

  #clockOrOwn(): FakeClock {
    // Used before any queue bound it: time stands still unless someone steps this private clock.
    if (!this.#clock) this.#clock = new FakeClock();
    return this.#clock;
  }

  // Upstream: rate.Limiter.reserveN
  #reserveN(nowNs: number, n: number, maxFutureReserveNs: number): Reservation {
    // rate.Inf is math.MaxFloat64; we also read JavaScript's Infinity as rate.Inf.
    if (this.qps === Infinity || this.qps === Number.MAX_VALUE) return { ok: true, timeToActNs: nowNs, waitNs: 0 };
    // No special case for a zero limit since x/time v0.7.0: it is a bucket that never refills.
    let tokens = this.#advance(nowNs);
    // Calculate the remaining number of tokens resulting from the request.
    tokens -= n;
    // Calculate the wait duration
    let waitNs = 0;
    if (tokens < 0) waitNs = this.#durationFromTokens(-tokens);
    // Decide result
    const ok = n <= this.burst && waitNs <= maxFutureReserveNs;
    if (!ok) return { ok, timeToActNs: 0, waitNs: 0 };
    const timeToActNs = nowNs + waitNs;
    // Update state
    this.#lastNs = nowNs;
    this.#tokens = tokens;
    this.lastEventNs = timeToActNs;
    return { ok, timeToActNs, waitNs };
  }

  // Upstream: rate.Limiter.advance
  #advance(nowNs: number): number {
    // A new Limiter has a zero `last` (year 1): time.Time.Sub saturates at maxDuration
    // (2^63-1 ns), and the bucket, full from NewLimiter, stays at burst.
    if (this.#lastNs === undefined) {
      const tokens = this.#tokens + this.#tokensFromDuration(INF_NS);
      return tokens > this.burst ? this.burst : tokens;
    }
    let last = this.#lastNs;
    if (nowNs < last) last = nowNs;
    // Calculate the new number of tokens, due to time that passed.
    const elapsedNs = nowNs - last;
    const delta = this.#tokensFromDuration(elapsedNs);
    let tokens = this.#tokens + delta;
    if (tokens > this.burst) tokens = this.burst;
    return tokens;
  }

  // Upstream: rate.Limit.durationFromTokens
  #durationFromTokens(tokens: number): number {
    if (this.qps <= 0) return INF_NS;
    const durationNs = (tokens / this.qps) * NS_PER_S;
    // Cap the duration to the maximum representable int64 value, to avoid overflow.
    if (durationNs > MAX_INT64_F) return INF_NS;
    return Math.trunc(durationNs);
  }

  // Upstream: rate.Limit.tokensFromDuration (d.Seconds() * limit)
  #tokensFromDuration(ns: number): number {
    if (this.qps <= 0) return 0;
    // time.Duration.Seconds: whole seconds plus the nanosecond remainder
    const sec = Math.trunc(ns / NS_PER_S);
    const nsec = ns - sec * NS_PER_S;
    return (sec + nsec / NS_PER_S) * this.qps;
  }
}

/** What `reserveN` decided (Go: `rate.Reservation`), in nanoseconds. */
interface Reservation {
  ok: boolean;
  /** When the reserved event may happen (Go: `timeToAct`). */
  timeToActNs: number;
  /** The wait that `timeToAct` was computed from: `timeToAct - now`, exactly. */
  waitNs: number;
}

/** `rate.InfDuration` in nanoseconds (as a float: 2^63). */
const INF_NS = MAX_INT64_F;

/** `baseDelay * 2^failures` per item, capped at `maxDelay` (Go: `NewItemExponentialFailureRateLimiter`). */
// Upstream: default_rate_limiters.go (NewTypedItemExponentialFailureRateLimiter)
export function newItemExponentialFailureRateLimiter<T = unknown>(baseDelayMs: number, maxDelayMs: number): RateLimiter<T> {
  requireNumber('newItemExponentialFailureRateLimiter', 'baseDelayMs', baseDelayMs);
  requireNumber('newItemExponentialFailureRateLimiter', 'maxDelayMs', maxDelayMs);
  return new ItemExponentialFailureRateLimiter<T>(baseDelayMs, maxDelayMs);
}

/** Exponential from 1 ms to 1000 s (Go: `DefaultTypedItemBasedRateLimiter`). */
// Upstream: default_rate_limiters.go (DefaultTypedItemBasedRateLimiter)
export function defaultItemBasedRateLimiter<T = unknown>(): RateLimiter<T> {
  return newItemExponentialFailureRateLimiter<T>(1, 1000 * 1000);
}

/** `fastDelay` for the first `maxFastAttempts` failures, then `slowDelay` (Go: `NewItemFastSlowRateLimiter`). */
// Upstream: default_rate_limiters.go (NewTypedItemFastSlowRateLimiter)
export function newItemFastSlowRateLimiter<T = unknown>(
  fastDelayMs: number,
  slowDelayMs: number,
  maxFastAttempts: number,
): RateLimiter<T> {
  requireNumber('newItemFastSlowRateLimiter', 'fastDelayMs', fastDelayMs);
  requireNumber('newItemFastSlowRateLimiter', 'slowDelayMs', slowDelayMs);
  requireNumber('newItemFastSlowRateLimiter', 'maxFastAttempts', maxFastAttempts);
  return new ItemFastSlowRateLimiter<T>(fastDelayMs, slowDelayMs, maxFastAttempts);
}

/** The longest delay of all `limiters` (Go: `NewMaxOfRateLimiter`). */
// Upstream: default_rate_limiters.go (NewTypedMaxOfRateLimiter)
export function newMaxOfRateLimiter<T = unknown>(...limiters: Array<RateLimiter<T>>): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(limiters);
}

/** `limiter`'s delay, capped at `maxDelayMs` (Go: `NewWithMaxWaitRateLimiter`). */
// Upstream: default_rate_limiters.go (NewTypedWithMaxWaitRateLimiter)
export function newWithMaxWaitRateLimiter<T = unknown>(limiter: RateLimiter<T>, maxDelayMs: number): RateLimiter<T> {
  requireNumber('newWithMaxWaitRateLimiter', 'maxDelayMs', maxDelayMs);
  return new WithMaxWaitRateLimiter<T>(limiter, maxDelayMs);
}

/**
 * One token bucket for all items: starts full with `burst` tokens, refills at `qps` per second
 * (Go: `&BucketRateLimiter{Limiter: rate.NewLimiter(rate.Limit(qps), burst)}`). Without a
 * clock it adopts the clock of the first rate-limiting queue it is given to.
 */
// Upstream: default_rate_limiters.go (TypedBucketRateLimiter)
export function newBucketRateLimiter<T = unknown>(qps: number, burst: number, clock?: FakeClock): RateLimiter<T> {
  return new BucketRateLimiter<T>(qps, burst, clock);
}

/**
 * The rate limiter controllers use by default: the worse of a per-item exponential backoff
 * (5 ms doubling up to 1000 s) and an overall token bucket (10 qps, burst 100)
 * (Go: `DefaultTypedControllerRateLimiter`).
 */
// Upstream: default_rate_limiters.go (DefaultTypedControllerRateLimiter)
export function defaultControllerRateLimiter<T = unknown>(clock?: FakeClock): RateLimiter<T> {
  return newMaxOfRateLimiter<T>(
    newItemExponentialFailureRateLimiter<T>(5, 1000 * 1000),
    // 10 qps, 100 bucket size: only for retry speed, and only the overall factor (not per item)
    newBucketRateLimiter<T>(10, 100, clock),
  );
}
