import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FakeClock } from '../core/clock';
import { rngFromSeed } from '../core/rng';
import { Backoff } from './backoff';

const S = 1000;

// Tables after client-go v0.34.0 util/flowcontrol/backoff_test.go.
describe('Backoff (client-go flowcontrol)', () => {
  it('doubles up to the cap and Reset clears it (TestSlowBackoff)', () => {
    const tc = new FakeClock(1_000_000);
    const b = new Backoff(tc, S, 50 * S);
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      tc.step(S);
      seen.push(b.get('_idSlow') / S);
      b.next('_idSlow', tc.now());
    }
    expect(seen).toEqual([0, 1, 2, 4, 8, 16, 32, 50, 50, 50]);
    b.next('_idSlow', tc.now());
    b.reset('_idSlow');
    expect(b.get('_idSlow')).toBe(0);
  });

  it('is not in backoff once idle for more than 2 x max (TestBackoffReset)', () => {
    const tc = new FakeClock(0);
    const max = 5 * S;
    const b = new Backoff(tc, S, max);
    for (let i = 0; i <= 5; i++) {
      tc.step(S);
      b.next('_idReset', tc.now());
    }
    expect(b.isInBackOffSince('_idReset', tc.now())).toBe(true);
    const lastUpdate = tc.now();
    tc.step(2 * max + S);
    expect(b.isInBackOffSince('_idReset', lastUpdate)).toBe(false);
  });

  it('stays at the high-water mark within 2 x max (TestBackoffHighWaterMark)', () => {
    const tc = new FakeClock(0);
    const max = 5 * S;
    const b = new Backoff(tc, S, max);
    for (let i = 0; i <= 5; i++) {
      tc.step(S);
      b.next('_idHiWaterMark', tc.now());
    }
    tc.step(max + S);
    b.next('_idHiWaterMark', tc.now());
    expect(b.get('_idHiWaterMark')).toBe(max);
  });

  it('GC keeps an entry within 2 x max and drops it after (TestBackoffGC)', () => {
    const tc = new FakeClock(0);
    const max = 5 * S;
    const b = new Backoff(tc, S, max);
    for (let i = 0; i <= 5; i++) {
      tc.step(S);
      b.next('_idGC', tc.now());
    }
    tc.step(max + S);
    b.gc();
    expect(b.ids()).toEqual(['_idGC']);
    tc.step(max + S);
    b.gc();
    expect(b.ids()).toEqual([]);
  });

  it.each([
    { name: 'default GC', fn: undefined, nonExpired: 5 * S, expired: 101 * S },
    { name: 'GC later than 2*maxDuration', fn: (e: number, l: number) => e - l >= 200 * S, nonExpired: 101 * S, expired: 501 * S },
  ])('GC with $name (TestAlternateBackoffGC)', ({ fn, nonExpired, expired }) => {
    const tc = new FakeClock(0);
    const b = new Backoff(tc, S, 50 * S);
    b.hasExpiredFunc = fn;
    b.next('x', tc.now());
    tc.step(nonExpired);
    b.gc();
    expect(b.ids()).toEqual(['x']);
    tc.step(expired);
    b.gc();
    expect(b.ids()).toEqual([]);
  });

  it.each([
    { name: 'default expiration', fn: undefined, nonExpired: 5 * S, expired: 101 * S },
    { name: 'expires faster than maxDuration', fn: (e: number, l: number) => e - l >= 8 * S, nonExpired: 5 * S, expired: 9 * S },
  ])('Next resets after $name (TestAlternateHasExpiredFunc)', ({ fn, nonExpired, expired }) => {
    const tc = new FakeClock(0);
    const b = new Backoff(tc, S, 50 * S);
    b.hasExpiredFunc = fn;
    b.next('x', tc.now());
    tc.step(nonExpired);
    b.next('x', tc.now());
    expect(b.get('x')).toBeGreaterThanOrEqual(2 * S);
    tc.step(expired);
    b.next('x', tc.now());
    expect(b.get('x')).toBe(S);
  });

  it('IsInBackOffSinceUpdate follows upstream tick table (TestIsInBackOffSinceUpdate)', () => {
    const tc = new FakeClock(0);
    const b = new Backoff(tc, S, 10 * S);
    const table: [number, boolean, number][] = [
      [0, false, 0], [1, false, 1], [2, true, 2], [3, false, 2], [4, true, 4], [5, true, 4], [6, true, 4],
      [7, false, 4], [8, true, 8], [9, true, 8], [10, true, 8], [11, true, 8], [12, true, 8], [13, true, 8],
      [14, true, 8], [15, false, 8], [16, true, 10], [17, true, 10], [18, true, 10], [19, true, 10],
      [20, true, 10], [21, true, 10], [22, true, 10], [23, true, 10], [24, true, 10], [25, false, 10],
      [26, true, 10], [27, true, 10], [28, true, 10], [29, true, 10], [30, true, 10], [31, true, 10],
      [32, true, 10], [33, true, 10], [34, true, 10], [35, false, 10], [56, false, 0], [57, false, 1],
    ];
    for (const [tick, inBackOff, value] of table) {
      tc.setTime(tick * S);
      expect(b.isInBackOffSinceUpdate('id', tc.now()), `tick ${tick}`).toBe(inBackOff);
      if (inBackOff) expect(b.get('id'), `tick ${tick}`).toBe(value * S);
      else b.next('id', tc.now());
    }
  });

  it('with jitter each delay is within (2 x prev, 2 x prev + factor x prev] or the cap (TestBackoffWithJitter)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const tc = new FakeClock(0);
        const initial = 100;
        const max = 60 * S;
        const b = new Backoff(tc, initial, max, { maxJitterFactor: 0.1, rng: rngFromSeed(seed) });
        tc.step(initial);
        b.next('j', tc.now());
        let prev = b.get('j');
        expect(prev >= initial && prev <= initial * 1.1).toBe(true);
        for (let i = 0; i < 10; i++) {
          tc.step(initial);
          b.next('j', tc.now());
          const cur = b.get('j');
          const low = prev * 2;
          expect((cur > low && cur <= low + 0.1 * prev) || cur === low || cur === max).toBe(true);
          prev = cur;
        }
      }),
      { numRuns: 50 },
    );
  });

  it('property: without jitter the delay is min(initial x 2^(n-1), max) for n quick failures', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 30 }), (initialS, n) => {
        const tc = new FakeClock(0);
        const b = new Backoff(tc, initialS * S, 300 * S);
        for (let i = 0; i < n; i++) {
          tc.step(S);
          b.next('p', tc.now());
        }
        expect(b.get('p')).toBe(Math.min(initialS * S * 2 ** (n - 1), 300 * S));
      }),
    );
  });

  it('refuses bad settings', () => {
    const tc = new FakeClock(0);
    expect(() => new Backoff(tc, -1, 10)).toThrow(RangeError);
    expect(() => new Backoff(tc, 1, Number.NaN)).toThrow(/maxMs/);
    expect(() => new Backoff(tc, 1, 10, { maxJitterFactor: 1.5, rng: rngFromSeed(1) })).toThrow(/maxJitterFactor/);
  });
});
