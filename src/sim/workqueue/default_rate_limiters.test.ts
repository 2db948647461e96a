// Follows client-go util/workqueue/default_rate_limiters_test.go at v0.34.0 (same numbers,
// Go durations written in ms), plus the token bucket of golang.org/x/time/rate.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { UsageError } from '../core/errors';
import {
  INF_DURATION_MS,
  defaultControllerRateLimiter,
  defaultItemBasedRateLimiter,
  newBucketRateLimiter,
  newItemExponentialFailureRateLimiter,
  newItemFastSlowRateLimiter,
  newMaxOfRateLimiter,
  newWithMaxWaitRateLimiter,
} from './default_rate_limiters';
import type { RateLimiter } from './types';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Test limiter from upstream: baseDelay for the first `threshold` calls, then maxDelay. */
function newStepRateLimiter(baseDelayMs: number, maxDelayMs: number, threshold: number): RateLimiter<unknown> {
  let count = 0;
  return {
    when: () => (++count <= threshold ? baseDelayMs : maxDelayMs),
    numRequeues: () => 0,
    forget: () => {},
  };
}

/** A script of calls on one limiter and what each returns. */
type Step = ['when' | 'numRequeues', unknown, number] | ['forget', unknown];

function play(limiter: RateLimiter<unknown>, steps: Step[]): void {
  steps.forEach((step, i) => {
    if (step[0] === 'forget') return limiter.forget(step[1]);
    const got = step[0] === 'when' ? limiter.when(step[1]) : limiter.numRequeues(step[1]);
    expect(got, `step ${i}: ${step[0]}(${String(step[1])})`).toBe(step[2]);
  });
}

const cases: Array<{ name: string; ref: string; limiter: () => RateLimiter<unknown>; steps: Step[] }> = [
  {
    name: 'exponential: doubles per failure per item, forget resets',
    ref: 'TestItemExponentialFailureRateLimiter',
    limiter: () => newItemExponentialFailureRateLimiter(1, 1 * SECOND),
    steps: [
      ['when', 'one', 1],
      ['when', 'one', 2],
      ['when', 'one', 4],
      ['when', 'one', 8],
      ['when', 'one', 16],
      ['numRequeues', 'one', 5],
      ['when', 'two', 1],
      ['when', 'two', 2],
      ['numRequeues', 'two', 2],
      ['forget', 'one'],
      ['numRequeues', 'one', 0],
      ['when', 'one', 1],
    ],
  },
  {
    name: 'exponential: 1 ms base reaches the 1000 s cap without overflowing',
    ref: 'TestItemExponentialFailureRateLimiterOverFlow',
    limiter: () => newItemExponentialFailureRateLimiter(1, 1000 * SECOND),
    steps: [
      ...[1, 2, 4, 8, 16].map((ms): Step => ['when', 'one', ms]),
      ['when', 'one', 32],
      ...Array.from({ length: 1000 }, (_, i): Step => ['when', 'overflow1', Math.min(2 ** i, 1000 * SECOND)]),
      ['when', 'overflow1', 1000 * SECOND],
    ],
  },
  {
    name: 'exponential: 1 min base reaches the 1000 h cap without overflowing',
    ref: 'TestItemExponentialFailureRateLimiterOverFlow',
    limiter: () => newItemExponentialFailureRateLimiter(1 * MINUTE, 1000 * HOUR),
    steps: [
      ['when', 'two', 1 * MINUTE],
      ['when', 'two', 2 * MINUTE],
      ['when', 'two', 4 * MINUTE],
      ...Array.from({ length: 1000 }, (_, i): Step => ['when', 'overflow2', Math.min(2 ** i * MINUTE, 1000 * HOUR)]),
      ['when', 'overflow2', 1000 * HOUR],
    ],
  },
  {
    name: 'fast-slow: fast for maxFastAttempts failures, then slow',
    ref: 'TestItemFastSlowRateLimiter',
    limiter: () => newItemFastSlowRateLimiter(5, 10 * SECOND, 3),
    steps: [
      ['when', 'one', 5],
      ['when', 'one', 5],
      ['when', 'one', 5],
      ['when', 'one', 10 * SECOND],
      ['when', 'one', 10 * SECOND],
      ['numRequeues', 'one', 5],
      ['when', 'two', 5],
      ['when', 'two', 5],
      ['numRequeues', 'two', 2],
      ['forget', 'one'],
      ['numRequeues', 'one', 0],
      ['when', 'one', 5],
    ],
  },
  {
    name: 'max-of: the worse of fast-slow and exponential',
    ref: 'TestMaxOfRateLimiter',
    limiter: () => newMaxOfRateLimiter(newItemFastSlowRateLimiter(5, 3 * SECOND, 3), newItemExponentialFailureRateLimiter(1, 1 * SECOND)),
    steps: [
      ['when', 'one', 5],
      ['when', 'one', 5],
      ['when', 'one', 5],
      ['when', 'one', 3 * SECOND],
      ['when', 'one', 3 * SECOND],
      ['numRequeues', 'one', 5],
      ['when', 'two', 5],
      ['when', 'two', 5],
      ['numRequeues', 'two', 2],
      ['forget', 'one'],
      ['numRequeues', 'one', 0],
      ['when', 'one', 5],
    ],
  },
  {
    name: 'with-max-wait: caps the inner limiter at maxDelay',
    ref: 'TestWithMaxWaitRateLimiter',
    limiter: () => newWithMaxWaitRateLimiter(newStepRateLimiter(5, 1000 * SECOND, 100), 500 * SECOND),
    steps: [
      ...Array.from({ length: 100 }, (_, i): Step => ['when', i, 5]),
      ...Array.from({ length: 100 }, (_, i): Step => ['when', 100 + i, 500 * SECOND]),
    ],
  },
];

describe('rate limiters (ref: client-go util/workqueue/default_rate_limiters_test.go)', () => {
  it.each(cases)('$name ($ref)', ({ limiter, steps }) => {
    play(limiter(), steps);
  });
});

describe('exponential limiter arithmetic', () => {
  it('caps at maxDelay exactly when 2^n passes it, and returns maxDelay itself', () => {
    const l = newItemExponentialFailureRateLimiter(5, 1000 * SECOND);
    const got = Array.from({ length: 20 }, () => l.when('x'));
    // 5 ms * 2^17 = 655.36 s < 1000 s; 5 ms * 2^18 = 1310.72 s > 1000 s
    expect(got.slice(15, 20)).toEqual([163_840, 327_680, 655_360, 1_000_000, 1_000_000]);
    expect(l.numRequeues('x')).toBe(20);
  });

  it('returns maxDelay once base * 2^n passes the int64 nanosecond range, even with a huge maxDelay', () => {
    // maxDelay near MaxInt64 ns (~292 years): the overflow guard, not the cap, decides.
    const maxMs = 9_000_000_000_000;
    const l = newItemExponentialFailureRateLimiter(1, maxMs);
    const got = Array.from({ length: 70 }, () => l.when('x'));
    expect(got[43]).toBe(2 ** 43); // 8.8e18 ns: below 2^63 ns and below maxDelay (9e18 ns)
    expect(got[44]).toBe(maxMs); // 1.8e19 ns: past the int64 range
    expect(got[69]).toBe(maxMs);
  });

  it('keeps whole nanoseconds for fractional millisecond bases', () => {
    const l = newItemExponentialFailureRateLimiter(0.0015, 1000);
    expect([l.when('a'), l.when('a'), l.when('a')]).toEqual([0.0015, 0.003, 0.006]);
  });

  it('defaultItemBasedRateLimiter is exponential from 1 ms to 1000 s', () => {
    const l = defaultItemBasedRateLimiter();
    expect([l.when('a'), l.when('a'), l.when('a')]).toEqual([1, 2, 4]);
  });

  it('rejects non-numbers with a usage error', () => {
    expect(() => newItemExponentialFailureRateLimiter('5' as unknown as number, 10)).toThrow(UsageError);
    expect(() => newBucketRateLimiter(Number.NaN, 10)).toThrow(/qps must be a number/);
  });

  it('a negative base saturates at MinInt64 ns once base * 2^n leaves the int64 range (ref: TypedItemExponentialFailureRateLimiter.When)', () => {
    // float64 -> int64 conversion of a value below -2^63 gives MinInt64 on amd64 and arm64 alike.
    const l = newItemExponentialFailureRateLimiter(-1, 1000);
    const got = Array.from({ length: 50 }, () => l.when('x'));
    expect(got[0]).toBe(-1);
    expect(got[43]).toBe(-(2 ** 43)); // -8.8e18 ns still fits in int64
    expect(got[44]).toBe(-INF_DURATION_MS); // -1.76e19 ns does not: -2^63 ns
    expect(got[49]).toBe(-INF_DURATION_MS);
  });
});

describe('bucket limiter (golang.org/x/time/rate Limiter.Reserve().Delay())', () => {
  it('starts full: burst reservations are free, then each waits 1/qps more', () => {
    const clock = new FakeClock();
    const l = newBucketRateLimiter(10, 100, clock);
    for (let i = 0; i < 100; i++) expect(l.when(`i${i}`)).toBe(0);
    expect([l.when('a'), l.when('b'), l.when('c')]).toEqual([100, 200, 300]);
    expect(l.numRequeues('a')).toBe(0);
    l.forget('a'); // no-op
    expect(l.when('d')).toBe(400);
  });

  it('refills at qps while the clock moves, never beyond burst', () => {
    const clock = new FakeClock();
    const l = newBucketRateLimiter(10, 100, clock) as RateLimiter<unknown> & { tokensAt(ms: number): number };
    for (let i = 0; i < 102; i++) l.when(i);
    expect(l.tokensAt(0)).toBe(-2);
    clock.step(1000); // +10 tokens
    expect(l.tokensAt(clock.now())).toBe(8);
    for (let i = 0; i < 8; i++) expect(l.when(i)).toBe(0);
    expect(l.when('x')).toBe(100);
    clock.step(60 * SECOND);
    expect(l.tokensAt(clock.now())).toBe(100);
  });

  it('counts a reservation from its own time: a wait shrinks as the clock moves', () => {
    const clock = new FakeClock();
    const l = newBucketRateLimiter(1, 1, clock);
    expect(l.when('a')).toBe(0);
    expect(l.when('b')).toBe(1000);
    clock.step(400);
    expect(l.when('c')).toBe(1600); // tokens -2 + 0.4 -> -1.6 -> 1.6 s from now
  });

  it('a wait reserved far from time 0 is exact: DelayFrom(now) is timeToAct.Sub(now), the reserved wait (ref: rate.Reservation.DelayFrom)', () => {
    // 400 days in, now is past 2^54 ns: now + wait - now in floating point would lose the odd
    // nanosecond of a 333333333 ns wait.
    const clock = new FakeClock();
    clock.step(400 * 24 * HOUR);
    const l = newBucketRateLimiter(3, 1, clock);
    expect([l.when(1), l.when(2), l.when(3)]).toEqual([0, 333.333333, 666.666666]);
  });

  it('truncates waits to whole nanoseconds like time.Duration', () => {
    const l = newBucketRateLimiter(3, 1, new FakeClock());
    expect([l.when(1), l.when(2), l.when(3)]).toEqual([0, 333.333333, 666.666666]);
  });

  it('a new limiter starts full: NewLimiter sets tokens = burst since x/time v0.7.0, whatever the rate (ref: rate.NewLimiter at v0.9.0)', () => {
    // Before the fix the model filled the bucket from the ~292 years time.Sub saturates at
    // (pre-v0.7.0 behaviour): 9.22 tokens at 1e-9 qps, so the tenth reservation waited ~24.6 years.
    const slow = newBucketRateLimiter(1e-9, 10, new FakeClock());
    for (let i = 0; i < 10; i++) expect(slow.when(i), `reservation ${i + 1}`).toBe(0);
    // The eleventh needs one token at 1e-9 tokens/s: about 1e9 s, in Go's float64 arithmetic
    // (seconds = 1 / 1e-9, then float64(time.Second) * seconds, truncated to whole ns).
    expect(slow.when(10)).toBe(Math.trunc(1e9 * (1 / 1e-9)) / 1e6);
  });

  it('a negative limit: the burst is spent at once, then every reservation waits InfDuration (ref: rate.Limit.durationFromTokens)', () => {
    const l = newBucketRateLimiter(-1, 10, new FakeClock());
    for (let i = 0; i < 10; i++) expect(l.when(i), `reservation ${i + 1}`).toBe(0);
    expect([l.when(10), l.when(11)]).toEqual([INF_DURATION_MS, INF_DURATION_MS]);
  });

  it('math.MaxFloat64 is rate.Inf: it always allows, even with burst 0 (ref: rate.Inf, Limiter.reserveN)', () => {
    const l = newBucketRateLimiter(Number.MAX_VALUE, 0, new FakeClock());
    expect([l.when(1), l.when(2)]).toEqual([0, 0]);
  });

  it('rate 0 is no special case: the burst at once, then InfDuration; burst 0 never allows; rate Inf always allows (ref: rate.Limiter.reserveN at v0.9.0)', () => {
    const zero = newBucketRateLimiter(0, 2, new FakeClock());
    expect([zero.when(1), zero.when(2), zero.when(3), zero.when(4)]).toEqual([0, 0, INF_DURATION_MS, INF_DURATION_MS]);
    // Time brings no tokens at rate 0.
    const clock = new FakeClock();
    const zero2 = newBucketRateLimiter(0, 1, clock);
    expect(zero2.when(1)).toBe(0);
    clock.step(3_600_000);
    expect(zero2.when(2)).toBe(INF_DURATION_MS);
    const noBurst = newBucketRateLimiter(10, 0, new FakeClock());
    expect(noBurst.when(1)).toBe(INF_DURATION_MS);
    const inf = newBucketRateLimiter(Infinity, 0, new FakeClock());
    expect([inf.when(1), inf.when(2)]).toEqual([0, 0]);
  });
});

describe('defaultControllerRateLimiter: max of exponential(5 ms, 1000 s) and bucket(10 qps, 100)', () => {
  it('gives the first 100 distinct failures 5 ms, then the bucket dominates at +100 ms each', () => {
    const l = defaultControllerRateLimiter(new FakeClock());
    for (let i = 0; i < 100; i++) expect(l.when(`item-${i}`)).toBe(5);
    expect(l.when('item-100')).toBe(100);
    expect(l.when('item-101')).toBe(200);
    // item-0 fails again: exponential says 10 ms, the bucket says 300 ms
    expect(l.when('item-0')).toBe(300);
    expect(l.numRequeues('item-0')).toBe(2);
    l.forget('item-0');
    expect(l.numRequeues('item-0')).toBe(0);
  });

  it('once the bucket has refilled, the per-item exponential backoff decides', () => {
    const clock = new FakeClock();
    const l = defaultControllerRateLimiter(clock);
    const got: number[] = [];
    for (let i = 0; i < 20; i++) {
      got.push(l.when('key'));
      clock.step(got[i]);
    }
    expect(got.slice(0, 6)).toEqual([5, 10, 20, 40, 80, 160]);
    expect(got[17]).toBe(655_360);
    expect(got[18]).toBe(1_000_000);
  });

  it('without a clock, adopts the clock of the queue it is bound to', () => {
    const l = defaultControllerRateLimiter();
    const clock = new FakeClock();
    l.bindClock!(clock);
    for (let i = 0; i < 100; i++) l.when(i);
    expect(l.when('x')).toBe(100);
    clock.step(10 * SECOND);
    expect(l.when('y')).toBe(5);
    // bound once: a second clock is ignored
    l.bindClock!(new FakeClock());
    expect(l.when('z')).toBe(5);
  });
});
