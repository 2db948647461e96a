/**
 * The namespace controller: watches namespaces, and for each one being deleted runs the deleter
 * (namespaced_resources_deleter) until its content is gone and the `kubernetes` finalizer is off.
 * Upstream: pkg/controller/namespace/namespace_controller.go (kubernetes v1.34)
 */
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import type { KubeObject } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { newBucketRateLimiter, newItemExponentialFailureRateLimiter, newMaxOfRateLimiter } from '../../workqueue/default_rate_limiters';
import { newRateLimitingQueue } from '../../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../../workqueue/types';
import { NamespacedResourcesDeleter, ResourcesRemainingError, type DiscoveryResult } from './deleter';

/**
 * How long after a namespace event before it is processed (Go: `namespaceDeletionGracePeriod`):
 * time for other API servers' lifecycle admission to see the deletion and for last-minute
 * creations to land, so the cleanup finds them.
 */
export const namespaceDeletionGracePeriodMs = 5000;

export interface NamespaceControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  /** `--concurrent-namespace-syncs` (default 10). */
  workers?: number;
  /** `--namespace-sync-period` (default 5m): the informer's resync, which re-enqueues namespaces being deleted. */
  resyncPeriodMs?: number;
  discoverResources?: () => Promise<DiscoveryResult>;
  trace?: TraceRecorder;
}

/** One pass of the worker over a key, for tests and the lab's views. */
export interface NamespaceSync {
  namespace: string;
  atMs: number;
  /** done: nothing left to do; remaining: requeued after `waitSeconds`; error: requeued rate-limited. */
  outcome: 'done' | 'remaining' | 'error';
  waitSeconds?: number;
  error?: string;
}

export function newNamespaceController(o: NamespaceControllerOptions): NamespaceController {
  return new NamespaceController(o);
}

/**
 * Faster than the default controller limiter on failures (5 ms base), retried at least every
 * minute, 10 qps overall (Go: `nsControllerRateLimiter`).
 */
// Upstream: namespace_controller.go (nsControllerRateLimiter)
export function nsControllerRateLimiter(clock: FakeClock) {
  return newMaxOfRateLimiter(newItemExponentialFailureRateLimiter<string>(5, 60_000), newBucketRateLimiter<string>(10, 100, clock));
}

// Upstream: namespace_controller.go (NamespaceController)
export class NamespaceController {
  readonly queue: RateLimitingQueue<string>;
  readonly deleter: NamespacedResourcesDeleter;
  readonly workers: number;
  /** Errors as Go's HandleError would log them (newest last). */
  readonly errors: string[] = [];
  readonly syncs: NamespaceSync[] = [];
  readonly #o: NamespaceControllerOptions;
  #factory?: SharedInformerFactory;
  #stopped = false;
  #loops: Promise<void>[] = [];

  // Upstream: namespace_controller.go (NewNamespaceController)
  constructor(o: NamespaceControllerOptions) {
    this.#o = o;
    this.workers = o.workers ?? 10;
    this.queue = newRateLimitingQueue<string>(nsControllerRateLimiter(o.clock), { clock: o.clock, name: 'namespace', trace: o.trace });
    this.deleter = new NamespacedResourcesDeleter({ client: o.client, clock: o.clock, discoverResources: o.discoverResources });
  }

  /** Queues a namespace being deleted, after the grace period (Go: `enqueueNamespace`). */
  // Upstream: namespace_controller.go (enqueueNamespace)
  enqueueNamespace(obj: unknown): void {
    const ns = (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as KubeObject;
    if (!ns.metadata.deletionTimestamp) return;
    this.queue.addAfter(ns.metadata.name ?? '', namespaceDeletionGracePeriodMs);
  }

  /** Starts the namespace informer, waits for it, then the workers (Go: `Run`). Resolves once they run. */
  // Upstream: namespace_controller.go (Run)
  async run(): Promise<void> {
    const o = this.#o;
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), o.resyncPeriodMs ?? 5 * 60_000, { clock: o.clock, rng: o.rng.fork('informers') }));
    f.forResource('namespaces').informer().addEventHandler({
      addFunc: (obj) => this.enqueueNamespace(obj),
      updateFunc: (_old, cur) => this.enqueueNamespace(cur),
    });
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    for (let i = 0; i < this.workers; i++) this.#loops.push(this.#worker());
  }

  stop(): void {
    this.#stopped = true;
    this.queue.shutDown();
    this.#factory?.shutdown();
  }

  // Upstream: namespace_controller.go (worker)
  async #worker(): Promise<void> {
    for (;;) {
      const { item: key, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        await this.processKey(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** One worker pass: success forgets the key; content remaining waits estimate/2+1 s; other errors back off. */
  // Upstream: namespace_controller.go (worker's workFunc)
  async processKey(key: string): Promise<void> {
    const atMs = this.#o.clock.now();
    try {
      await this.syncNamespaceFromKey(key);
      this.queue.forget(key);
      this.syncs.push({ namespace: key, atMs, outcome: 'done' });
    } catch (e) {
      if (e instanceof ResourcesRemainingError) {
        // Go's integer division: 15 s of finalizers -> 8 s; a pod's 30 s grace -> 16 s.
        const waitSeconds = Math.floor(e.estimate / 2) + 1;
        this.queue.addAfter(key, waitSeconds * 1000);
        this.syncs.push({ namespace: key, atMs, outcome: 'remaining', waitSeconds });
      } else {
        this.queue.addRateLimited(key);
        const error = `deletion of namespace ${key} failed: ${(e as Error).message}`;
        this.errors.push(error);
        this.syncs.push({ namespace: key, atMs, outcome: 'error', error });
      }
    }
  }

  // Upstream: namespace_controller.go (syncNamespaceFromKey)
  async syncNamespaceFromKey(key: string): Promise<void> {
    const ns = this.#factory?.forResource('namespaces').informer().getStore().getByKey(key) as KubeObject | undefined;
    // Gone from the lister: "Namespace has been deleted".
    if (!ns) return;
    await this.deleter.delete(ns.metadata.name ?? key);
  }
}
