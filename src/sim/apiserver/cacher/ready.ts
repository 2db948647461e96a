/**
 * Whether a cacher can serve: Pending until its first list, Ready after, Pending again while it
 * relists, Stopped at the end; `generation` counts the transitions to Ready.
 * Upstream: apiserver pkg/storage/cacher/ready.go (ready), util.go (calculateRetryAfterForUnreadyCache)
 */
import type { FakeClock } from '../../core/clock';

type State = 'Pending' | 'Ready' | 'Stopped';

// Upstream: ready.go (ready)
export class Ready {
  #state: State = 'Pending';
  #lastErr: string | undefined;
  #generation = 0;
  #lastStateChangeMs: number;
  readonly #clock: FakeClock;

  constructor(clock: FakeClock) {
    this.#clock = clock;
    this.#lastStateChangeMs = clock.now();
  }

  /** The generation, or the error text that says why the cache cannot serve (Go: `checkAndReadGeneration`). */
  // Upstream: ready.checkAndReadGeneration, readGenerationLocked
  check(): { generation: number; downtimeMs: number; err?: string } {
    const downtimeMs = this.#clock.since(this.#lastStateChangeMs);
    switch (this.#state) {
      case 'Pending':
        return { generation: 0, downtimeMs, err: this.#lastErr === undefined ? 'storage is (re)initializing' : `storage is (re)initializing: ${this.#lastErr}` };
      case 'Ready':
        return { generation: this.#generation, downtimeMs };
      default:
        return { generation: 0, downtimeMs, err: 'apiserver cacher is stopped' };
    }
  }

  get ready(): boolean {
    return this.#state === 'Ready';
  }

  // Upstream: ready.set
  set(ok: boolean, err?: string): void {
    if (this.#state === 'Stopped') return;
    this.#lastErr = err;
    if (ok && this.#state === 'Pending') {
      this.#state = 'Ready';
      this.#generation++;
      this.#lastStateChangeMs = this.#clock.now();
    } else if (!ok && this.#state === 'Ready') {
      this.#state = 'Pending';
      this.#lastStateChangeMs = this.#clock.now();
    }
  }

  // Upstream: ready.stop
  stop(): void {
    if (this.#state !== 'Stopped') {
      this.#state = 'Stopped';
      this.#lastStateChangeMs = this.#clock.now();
    }
  }
}

/** Seconds a client should wait before retrying against a cache that is not ready. */
// Upstream: util.go (calculateRetryAfterForUnreadyCache)
export function calculateRetryAfterForUnreadyCache(downtimeMs: number): number {
  const result = Math.min(30, Math.max(1, Math.exp(0.06 * (downtimeMs / 1000))));
  return Math.trunc(result);
}
