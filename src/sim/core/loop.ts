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
 * they were scheduled, always, so a run is fully decided by its inputs.
 */
export class EventLoop {
  private nowMs: number;
  private seq = 0;
  private readonly heap = new MinHeap<Entry>((a, b) => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq));

  constructor(startMs = 0) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  /** Schedules `fn` at absolute virtual time `atMs` (clamped to now). */
  schedule(atMs: number, fn: () => void): Timer {
    const entry: Entry = { atMs: Math.max(atMs, this.nowMs), seq: this.seq++, fn, state: 'pending' };
    this.heap.push(entry);
    return {
      stop: () => {
        if (entry.state !== 'pending') return false;
        entry.state = 'stopped';
        return true;
      },
    };
  }

  /** Number of callbacks still pending. */
  pending(): number {
    this.prune();
    return this.heap.size;
  }

  /** Virtual time of the next pending callback, or undefined. */
  nextAt(): number | undefined {
    this.prune();
    return this.heap.peek()?.atMs;
  }

  /**
   * Runs every callback due at or before `targetMs` in `(atMs, seq)` order, moving time to each
   * callback's due time before calling it (callbacks scheduled meanwhile run too if they are due),
   * then leaves time at `targetMs`. Moving backwards is an error.
   */
  runUntil(targetMs: number): void {
    if (targetMs < this.nowMs) {
      throw new RangeError(`cannot move time backwards: now=${this.nowMs}ms, target=${targetMs}ms`);
    }
    for (;;) {
      this.prune();
      const top = this.heap.peek();
      if (!top || top.atMs > targetMs) break;
      this.heap.pop();
      this.nowMs = top.atMs;
      top.state = 'fired';
      top.fn();
    }
    this.nowMs = targetMs;
  }

  private prune(): void {
    while (this.heap.size > 0 && this.heap.peek()!.state !== 'pending') this.heap.pop();
  }
}
