import { MinHeap } from './heap';

/** A handle to a scheduled callback. `stop()` returns true if it prevented the call. */
export interface Timer {
  /** Cancels the callback; returns false if it already ran or was stopped. */
  stop(): boolean;
}

interface Entry {
  atMs: number;
  seq: number;
  fn: () => void;
  state: 'pending' | 'fired' | 'stopped';
}

/**
 * The event loop every model shares: callbacks ordered by `(atMs, seq)`, where `seq` is the
 * order they were scheduled in. Two callbacks due at the same millisecond run in the order
 * they were scheduled, always, so a run is fully decided by its inputs. Times are finite numbers
 * of milliseconds; anything else is refused before it can reach the heap.
 */
export class EventLoop {
  #nowMs: number;
  #seq = 0;
  /** Stopped entries stay in the heap until they reach the top (counted in `stopped`). */
  #stopped = 0;
  readonly #heap = new MinHeap<Entry>((a, b) => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq));

  constructor(startMs = 0) {
    this.#nowMs = finiteMs('EventLoop start time', startMs);
  }

  now(): number {
    return this.#nowMs;
  }

  /** Schedules `fn` at absolute virtual time `atMs` (a time already past runs at the next move). */
  schedule(atMs: number, fn: () => void): Timer {
    finiteMs('schedule time', atMs);
    if (typeof fn !== 'function') throw new TypeError(`schedule: fn must be a function, got ${typeof fn}`);
    const entry: Entry = { atMs: Math.max(atMs, this.#nowMs), seq: this.#seq++, fn, state: 'pending' };
    this.#heap.push(entry);
    return {
      stop: () => {
        if (entry.state !== 'pending') return false;
        entry.state = 'stopped';
        this.#stopped++;
        return true;
      },
    };
  }

  /** Number of callbacks still pending. */
  pending(): number {
    return this.#heap.size - this.#stopped;
  }

  /** Virtual time of the next pending callback, or undefined. */
  nextAt(): number | undefined {
    this.#prune();
    return this.#heap.peek()?.atMs;
  }

  /**
   * Runs every callback due at or before `targetMs` in `(atMs, seq)` order, moving time to each
   * callback's due time before calling it (callbacks scheduled meanwhile run too if they are due),
   * then leaves time at `targetMs`. Moving backwards, or to a time that is not a finite number,
   * is an error and changes nothing.
   */
  runUntil(targetMs: number): void {
    finiteMs('target time', targetMs);
    if (targetMs < this.#nowMs) {
      throw new RangeError(`cannot move time backwards: now=${this.#nowMs}ms, target=${targetMs}ms`);
    }
    for (;;) {
      this.#prune();
      const top = this.#heap.peek();
      if (!top || top.atMs > targetMs) break;
      this.#heap.pop();
      this.#nowMs = top.atMs;
      top.state = 'fired';
      top.fn();
    }
    this.#nowMs = targetMs;
  }

  #prune(): void {
    for (;;) {
      const top = this.#heap.peek();
      if (!top || top.state === 'pending') return;
      this.#heap.pop();
      this.#stopped--;
    }
  }
}

/** `ms` if it is a finite number; a RangeError naming `what` otherwise (NaN, ±Infinity, undefined, a string). */
export function finiteMs(what: string, ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new RangeError(`${what} must be a finite number of milliseconds, got ${describeValue(ms)}`);
  }
  return ms;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || v === undefined || v === null || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return typeof v;
}
