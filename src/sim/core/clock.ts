import { EventLoop, finiteMs, type Timer } from './loop';

export type { Timer } from './loop';

/**
 * Virtual time for every model, after k8s.io/utils/clock/testing.FakeClock.
 * Time only moves when someone calls `step` or `setTime`; when either returns, every timer due
 * by then has fired, in time order, with `now()` equal to the timer's due time while it runs.
 * Every time and duration is a finite number of milliseconds: NaN, ±Infinity, `undefined` or a
 * string is refused with a RangeError that names the method, before anything changes.
 */
// Upstream: k8s.io/utils clock/testing/fake_clock.go (FakeClock)
export class FakeClock {
  readonly #loop: EventLoop;

  constructor(startMs = 0) {
    this.#loop = new EventLoop(finiteMs('FakeClock: startMs', startMs));
  }

  /** Current virtual time in milliseconds. */
  now(): number {
    return this.#loop.now();
  }

  /** Milliseconds elapsed since `sinceMs` (Go: clock.Since). */
  since(sinceMs: number): number {
    return this.#loop.now() - finiteMs('since: sinceMs', sinceMs);
  }

  /** Moves time forward by `ms` (>= 0), firing due timers in order. */
  // Upstream: FakeClock.Step
  step(ms: number): void {
    finiteMs('step: ms', ms);
    if (ms < 0) throw new RangeError(`step: ms must not be negative, got ${ms} (time never moves backwards)`);
    this.#loop.runUntil(this.#loop.now() + ms);
  }

  /** Sets time to `ms` (not earlier than now), firing due timers in order. */
  // Upstream: FakeClock.SetTime
  setTime(ms: number): void {
    this.#loop.runUntil(finiteMs('setTime: ms', ms));
  }

  /** Calls `fn` once `ms` of virtual time has passed (`ms <= 0`: at the next move of the clock). */
  // Upstream: FakeClock.AfterFunc
  afterFunc(ms: number, fn: () => void): Timer {
    finiteMs('afterFunc: ms', ms);
    return this.#loop.schedule(this.#loop.now() + Math.max(0, ms), fn);
  }

  /** Calls `fn` once the clock reaches `atMs` (a time already past: at the next move of the clock). */
  afterAt(atMs: number, fn: () => void): Timer {
    return this.#loop.schedule(finiteMs('afterAt: atMs', atMs), fn);
  }

  /** A promise that resolves once `ms` of virtual time has passed (Go: <-clock.After(d)). */
  sleep(ms: number): Promise<void> {
    finiteMs('sleep: ms', ms);
    return new Promise((resolve) => {
      this.afterFunc(ms, resolve);
    });
  }

  /** True while any timer is pending. */
  // Upstream: FakeClock.HasWaiters
  hasWaiters(): boolean {
    return this.#loop.pending() > 0;
  }

  /** Virtual time of the next pending timer, or undefined when none is pending. */
  nextWaiterAt(): number | undefined {
    return this.#loop.nextAt();
  }
}
