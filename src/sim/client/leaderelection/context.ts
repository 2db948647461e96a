/**
 * Go's context.Context as leader election uses it: cancelled by its parent, by `cancel()`, or at
 * a deadline on the injected clock. `race` makes an API call give up when its context is done,
 * as an HTTP request does when its context's deadline passes (the call itself may still land).
 */
// Upstream: Go context (WithCancel, WithTimeout), apimachinery pkg/util/wait (BackoffUntil, loopConditionUntilContext)

/** What the elector needs of a clock: the time, and a timer it can stop. */
export interface ElectionClock {
  now(): number;
  afterFunc(ms: number, fn: () => void): { stop(): void };
}

export const Canceled = 'context canceled';
export const DeadlineExceeded = 'context deadline exceeded';

export class Context {
  #err: string | undefined;
  #waiters = new Set<() => void>();
  #timer: { stop(): void } | undefined;
  #detach: (() => void) | undefined;

  constructor(parent?: Context) {
    if (!parent) return;
    if (parent.done) this.#err = parent.err;
    else this.#detach = parent.onDone(() => this.cancel(parent.err));
  }

  /** Why it is done (`context canceled`, `context deadline exceeded`), or undefined. */
  get err(): string | undefined {
    return this.#err;
  }

  get done(): boolean {
    return this.#err !== undefined;
  }

  cancel(err: string = Canceled): void {
    if (this.#err !== undefined) return;
    this.#err = err;
    this.#timer?.stop();
    this.#detach?.();
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiters) w();
  }

  /** Calls `fn` once when done; returns a function that unregisters it. */
  onDone(fn: () => void): () => void {
    if (this.done) {
      fn();
      return () => {};
    }
    this.#waiters.add(fn);
    return () => this.#waiters.delete(fn);
  }

  /** Go: context.WithTimeout: a child that is cancelled with DeadlineExceeded after `ms`. */
  static withTimeout(parent: Context, clock: ElectionClock, ms: number): Context {
    const c = new Context(parent);
    if (!c.done) c.#timer = clock.afterFunc(ms, () => c.cancel(DeadlineExceeded));
    return c;
  }
}

/** Waits `ms` on `clock` unless `ctx` is done first; resolves true when the time passed. */
export function sleepCtx(ctx: Context, clock: ElectionClock, ms: number): Promise<boolean> {
  if (ctx.done) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = clock.afterFunc(ms, () => {
      off();
      resolve(true);
    });
    const off = ctx.onDone(() => {
      timer.stop();
      resolve(false);
    });
  });
}

/** `p`, unless `ctx` is done first: then rejects with `describe(ctx.err)`. */
export function race<T>(ctx: Context, p: Promise<T>, describe: (err: string) => string = (e) => e): Promise<T> {
  if (ctx.done) {
    p.catch(() => {});
    return Promise.reject(new Error(describe(ctx.err!)));
  }
  return new Promise<T>((resolve, reject) => {
    const off = ctx.onDone(() => reject(new Error(describe(ctx.err!))));
    p.then(
      (v) => {
        off();
        resolve(v);
      },
      (e: unknown) => {
        off();
        reject(e);
      },
    );
  });
}

/** Go: wait.Jitter: `durationMs` plus up to `maxFactor` times it, drawn from `rng`. */
// Upstream: apimachinery pkg/util/wait/backoff.go (Jitter)
export function jitter(durationMs: number, maxFactor: number, float: () => number): number {
  if (maxFactor <= 0) return durationMs;
  return durationMs + Math.floor(float() * maxFactor * durationMs);
}

/**
 * Go: wait.JitterUntil(f, period, jitterFactor, sliding=true, ctx.Done()): runs `f` at once, then
 * again `period` (+ jitter) after each run ends, until `ctx` is done.
 */
// Upstream: apimachinery pkg/util/wait/backoff.go (BackoffUntilWithContext, JitterUntil)
export async function jitterUntil(ctx: Context, clock: ElectionClock, f: () => Promise<void>, periodMs: number, jitterFactor: number, float: () => number): Promise<void> {
  for (;;) {
    if (ctx.done) return;
    await f();
    if (!(await sleepCtx(ctx, clock, jitter(periodMs, jitterFactor, float)))) return;
  }
}

/**
 * Go: wait.PollUntilContextTimeout(ctx, interval, timeout, immediate=true, condition): calls
 * `condition` now and every `intervalMs` (the interval includes the call) until it returns true
 * (resolves undefined) or `timeoutMs` passes (resolves `context deadline exceeded`).
 */
// Upstream: apimachinery pkg/util/wait/poll.go (PollUntilContextTimeout), loop.go (loopConditionUntilContext)
export async function pollUntilContextTimeout(ctx: Context, clock: ElectionClock, intervalMs: number, timeoutMs: number, condition: (ctx: Context) => Promise<boolean>): Promise<string | undefined> {
  const deadline = Context.withTimeout(ctx, clock, timeoutMs);
  try {
    let next = clock.now() + intervalMs;
    if (await condition(deadline)) return undefined;
    for (;;) {
      if (!(await sleepCtx(deadline, clock, Math.max(0, next - clock.now())))) return deadline.err;
      next += intervalMs;
      if (deadline.done) return deadline.err;
      if (await condition(deadline)) return undefined;
    }
  } finally {
    deadline.cancel();
  }
}
