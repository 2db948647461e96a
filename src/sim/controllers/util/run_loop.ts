/**
 * The start and stop an informer-and-workqueue controller shares: a shared informer factory of its
 * own, the handlers the controller registers on it, a wait for the caches, then `workers` loops
 * that each take a key, sync it, forget it on success and requeue it rate-limited on an error
 * (no retry limit). `stop` shuts the queue (the loops return) and the informers down.
 * Upstream: each controller's Run, runWorker and processNextWorkItem (e.g.
 * pkg/controller/daemon/daemon_controller.go, pkg/controller/job/job_controller.go)
 */
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import type { Rng } from '../../core/rng';
import type { RateLimitingQueue } from '../../workqueue/types';

export interface ControllerLoopOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  queue: RateLimitingQueue<string>;
  /** One sync of a key; a rejection requeues the key with the rate limiter's backoff. */
  sync(key: string): Promise<void>;
}

export class ControllerLoop {
  /** Set by `run` (undefined before: the controller has no caches yet). */
  factory?: SharedInformerFactory;
  #stopped = false;

  constructor(readonly o: ControllerLoopOptions) {}

  /** Starts the informers `register` adds handlers to, waits for their caches, then the workers (Go: `Run`). */
  async run(workers: number, register: (f: SharedInformerFactory) => void): Promise<void> {
    const o = this.o;
    const f = (this.factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    register(f);
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    for (let i = 0; i < workers; i++) void this.#worker();
  }

  stop(): void {
    this.#stopped = true;
    this.o.queue.shutDown();
    this.factory?.shutdown();
  }

  // Upstream: runWorker, processNextWorkItem (each controller's)
  async #worker(): Promise<void> {
    const q = this.o.queue;
    for (;;) {
      const { item: key, shutdown } = await q.get();
      if (shutdown) return;
      try {
        await this.o.sync(key);
        q.forget(key);
      } catch {
        q.addRateLimited(key);
      } finally {
        q.done(key);
      }
    }
  }
}
