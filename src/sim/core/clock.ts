import { EventLoop, type Timer } from './loop';

export type { Timer } from './loop';

/**
 * Virtual time for every model, after k8s.io/utils/clock/testing.FakeClock.
 * Time only moves when someone calls `step` or `setTime`; when either returns, every timer due
 * by then has fired, in time order, with `now()` equal to the timer's due time while it runs.
 */
// Upstream: k8s.io/utils clock/testing/fake_clock.go (FakeClock)
export class FakeClock {
  private readonly loop: EventLoop;

  constructor(startMs = 0) {
    this.loop = new EventLoop(startMs);
  }

  /** Current virtual time in milliseconds. */
  now(): number {
    return this.loop.now();
  }

  /** Milliseconds elapsed since `sinceMs` (Go: clock.Since). */
  since(sinceMs: number): number {
    return this.loop.now() - sinceMs;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  // Upstream: FakeClock.Step
  step(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`step: ms must be a non-negative number, got ${ms}`);
    this.loop.runUntil(this.loop.now() + ms);
  }

  /** Sets time to `ms` (not earlier than now), firing due timers in order. */
  // Upstream: FakeClock.SetTime
  setTime(ms: number): void {
    this.loop.runUntil(ms);
  }

  /** Calls `fn` once `ms` of virtual time has passed. */
  // Upstream: FakeClock.AfterFunc
  afterFunc(ms: number, fn: () => void): Timer {
    return this.loop.schedule(this.loop.now() + Math.max(0, ms), fn);
  }

  /** A promise that resolves once `ms` of virtual time has passed (Go: <-clock.After(d)). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.afterFunc(ms, resolve);
    });
  }

  /** True while any timer is pending. */
  // Upstream: FakeClock.HasWaiters
  hasWaiters(): boolean {
    return this.loop.pending() > 0;
  }

  /** Virtual time of the next pending timer, or undefined when none is pending. */
  nextWaiterAt(): number | undefined {
    return this.loop.nextAt();
  }
}
