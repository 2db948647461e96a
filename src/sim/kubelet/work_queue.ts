/**
 * The kubelet's pod work queue: pkg/kubelet/util/queue/work_queue.go. A pod worker that finished
 * a sync puts its pod back with a delay (the resync interval, or the backoff after an error);
 * every second the sync loop takes the pods whose delay has passed.
 */
export class WorkQueue {
  readonly #queue = new Map<string, number>();

  constructor(private readonly clock: { now(): number }) {}

  // Upstream: work_queue.go (Enqueue)
  enqueue(uid: string, delayMs: number): void {
    this.#queue.set(uid, this.clock.now() + delayMs);
  }

  /** The pods whose time has come, removed from the queue (Go: GetWork). */
  // Upstream: work_queue.go (GetWork)
  getWork(): string[] {
    const now = this.clock.now();
    const out: string[] = [];
    for (const [uid, at] of this.#queue) {
      if (at <= now) {
        out.push(uid);
        this.#queue.delete(uid);
      }
    }
    return out;
  }

  /** When the pod is due, if queued (views, tests). */
  readyAt(uid: string): number | undefined {
    return this.#queue.get(uid);
  }
}
