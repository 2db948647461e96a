/**
 * Work scheduled on the virtual clock, one per key: pkg/controller/tainteviction/timed_workers.go
 * (v1.34: WorkArgs, TimedWorker, TimedWorkerQueue.AddWork / CancelWork / GetWorkerUnsafe).
 * Invariant: a key maps to a pending worker, or to `null` once its work succeeded (kept so the
 * same work is not added again until someone cancels the key).
 */
import type { FakeClock } from '../../core/clock';
import type { Timer } from '../../core/loop';

export interface WorkArgs {
  namespace: string;
  name: string;
}

// Upstream: timed_workers.go (WorkArgs.KeyFromWorkArgs): namespace/name
export const keyFromWorkArgs = (a: WorkArgs) => `${a.namespace}/${a.name}`;

export interface TimedWorker {
  args: WorkArgs;
  createdAtMs: number;
  fireAtMs: number;
  timer?: Timer;
}

// Upstream: timed_workers.go (TimedWorkerQueue)
export class TimedWorkerQueue {
  readonly workers = new Map<string, TimedWorker | null>();

  constructor(
    readonly clock: FakeClock,
    readonly workFunc: (fireAtMs: number, args: WorkArgs) => Promise<Error | undefined>,
  ) {}

  /** Schedules the work at `fireAtMs` (at once if due); a key already present is left alone. */
  // Upstream: timed_workers.go (TimedWorkerQueue.AddWork, createWorker)
  addWork(args: WorkArgs, createdAtMs: number, fireAtMs: number): void {
    const key = keyFromWorkArgs(args);
    if (this.workers.has(key)) return;
    const worker: TimedWorker = { args, createdAtMs, fireAtMs };
    this.workers.set(key, worker);
    const run = () => void this.#wrapped(key, worker);
    const delay = fireAtMs - this.clock.now();
    if (delay <= 0) void Promise.resolve().then(run);
    else worker.timer = this.clock.afterFunc(delay, run);
  }

  // Upstream: timed_workers.go (TimedWorkerQueue.getWrappedWorkerFunc)
  async #wrapped(key: string, worker: TimedWorker): Promise<void> {
    if (this.workers.get(key) !== worker) return; // cancelled before it ran
    const err = await this.workFunc(worker.fireAtMs, worker.args);
    if (this.workers.get(key) !== worker) return;
    if (err === undefined) this.workers.set(key, null);
    else this.workers.delete(key);
  }

  /** Cancels the key; true when a pending worker was stopped. */
  // Upstream: timed_workers.go (TimedWorkerQueue.CancelWork)
  cancelWork(key: string): boolean {
    if (!this.workers.has(key)) return false;
    const w = this.workers.get(key);
    this.workers.delete(key);
    if (!w) return false;
    w.timer?.stop();
    return true;
  }

  getWorkerUnsafe(key: string): TimedWorker | null | undefined {
    return this.workers.get(key);
  }
}
