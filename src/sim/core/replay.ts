/**
 * Time travel over a trace: the state of a model after the first `n` events, for any `n`, in
 * time that does not grow with the trace. A model gives a reducer (its state as plain data, how
 * one event changes it, how to copy it); the replayer keeps the state at its last position and
 * copies of it at checkpoints along the way. Moving forward applies only the new events; moving
 * back restores the nearest checkpoint at or before `n` and applies the few events after it.
 *
 * Checkpoints are spaced at least `interval` events apart and at least as far apart as the state
 * is large (its `size`), so all checkpoints together take memory proportional to the trace, and
 * a jump costs one copy of the state plus fewer than max(interval, size) events.
 */
import type { TraceEvent } from './trace';

export interface Reducer<S> {
  /** The state before any event. */
  init(): S;
  /** Applies one event to `state`, in place. */
  apply(state: S, event: TraceEvent): void;
  /** A copy of `state` that later `apply` calls on either one do not affect. */
  clone(state: S): S;
  /** About how many entries the state holds (spaces checkpoints; default: 0). */
  size?(state: S): number;
}

export interface ReplayerOptions {
  /** Fewest events between two checkpoints (default 1024). */
  interval?: number;
}

export class Replayer<S> {
  readonly #interval: number;
  /** Checkpoint positions, ascending, and the states there (the first is position 0). */
  readonly #positions: number[] = [0];
  readonly #states: S[];
  #current: S;
  #position = 0;
  #nextCheckpoint: number;

  readonly #reducer: Reducer<S>;
  readonly #events: readonly TraceEvent[];

  constructor(reducer: Reducer<S>, events: readonly TraceEvent[], options: ReplayerOptions = {}) {
    this.#reducer = reducer;
    this.#events = events;
    this.#interval = Math.max(1, Math.floor(options.interval ?? 1024));
    const initial = reducer.init();
    this.#states = [reducer.clone(initial)];
    this.#current = initial;
    this.#nextCheckpoint = this.#interval;
  }

  /** Events replayed so far (the position of the state `at` returned last). */
  get cursor(): number {
    return this.#position;
  }

  /**
   * The state after the first `n` events (clamped to the trace). The object is the replayer's
   * own: read it, do not change it, and do not keep it past the next call.
   */
  at(n: number): S {
    const target = Math.max(0, Math.min(Math.floor(n), this.#events.length));
    // Start from the nearest checkpoint at or before the target when it is closer than where we are.
    const nearest = this.#checkpointAtOrBefore(target);
    if (target < this.#position || this.#positions[nearest] > this.#position) this.#restore(nearest);
    while (this.#position < target) {
      this.#reducer.apply(this.#current, this.#events[this.#position]);
      this.#position++;
      if (this.#position >= this.#nextCheckpoint && this.#position > this.#positions[this.#positions.length - 1]) this.#checkpoint();
    }
    return this.#current;
  }

  #checkpoint(): void {
    this.#positions.push(this.#position);
    this.#states.push(this.#reducer.clone(this.#current));
    const size = this.#reducer.size?.(this.#current) ?? 0;
    this.#nextCheckpoint = this.#position + Math.max(this.#interval, size);
  }

  /** Index of the last checkpoint at or before `target`. */
  #checkpointAtOrBefore(target: number): number {
    let lo = 0;
    let hi = this.#positions.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#positions[mid] <= target) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Continues from checkpoint `i`. */
  #restore(i: number): void {
    this.#position = this.#positions[i];
    this.#current = this.#reducer.clone(this.#states[i]);
  }
}

/** The state after the first `n` events, from scratch (for tests and one-off reads). */
export function replayOnce<S>(reducer: Reducer<S>, events: readonly TraceEvent[], n: number = events.length): S {
  const state = reducer.init();
  const end = Math.max(0, Math.min(n, events.length));
  for (let i = 0; i < end; i++) reducer.apply(state, events[i]);
  return state;
}
