/**
 * The runtime pod cache: pkg/kubelet/container/cache.go. The PLEG writes each pod's status with
 * the time it was read; a pod worker asks for a status newer than its last sync
 * (`getNewerThan`) and waits until the PLEG has one. `updateTime` says "everything in the cache
 * is fresh as of t" after a relist, which releases workers of pods that did not change.
 */
import type { RuntimePodStatus } from './kuberuntime/types';

interface CacheEntry {
  status: RuntimePodStatus | undefined;
  error: Error | undefined;
  modifiedMs: number;
}

// Upstream: pkg/kubelet/container/cache.go (cache)
export class PodCache {
  readonly #pods = new Map<string, CacheEntry>();
  /** Every entry is at least this fresh (the last relist's time); -1 before the first relist. */
  #timestampMs = -1;
  readonly #subscribers = new Map<string, Array<{ minMs: number; resolve: (e: CacheEntry) => void }>>();

  get(uid: string): { status: RuntimePodStatus | undefined; error: Error | undefined } {
    const e = this.#pods.get(uid);
    return { status: e?.status, error: e?.error };
  }

  /** Resolves with the pod's status once the cache holds one read at or after `minMs`. */
  // Upstream: cache.go (GetNewerThan)
  getNewerThan(uid: string, minMs: number): Promise<{ status: RuntimePodStatus | undefined; error: Error | undefined }> {
    const e = this.#getIfNewerThan(uid, minMs);
    if (e) return Promise.resolve({ status: e.status, error: e.error });
    return new Promise((resolve) => {
      const list = this.#subscribers.get(uid) ?? [];
      list.push({ minMs, resolve: (x) => resolve({ status: x.status, error: x.error }) });
      this.#subscribers.set(uid, list);
    });
  }

  // Upstream: cache.go (Set)
  set(uid: string, status: RuntimePodStatus | undefined, error: Error | undefined, timestampMs: number): boolean {
    const old = this.#pods.get(uid);
    // A status read before the one held is stale: keep the newer one (upstream's "updated" result).
    if (old && old.modifiedMs > timestampMs) return false;
    this.#pods.set(uid, { status, error, modifiedMs: timestampMs });
    this.#notify(uid);
    return true;
  }

  delete(uid: string): void {
    this.#pods.delete(uid);
  }

  // Upstream: cache.go (UpdateTime)
  updateTime(timestampMs: number): void {
    this.#timestampMs = timestampMs;
    for (const uid of [...this.#subscribers.keys()]) this.#notify(uid);
  }

  #getIfNewerThan(uid: string, minMs: number): CacheEntry | undefined {
    const e = this.#pods.get(uid);
    if (e && e.modifiedMs >= minMs) return e;
    // A pod the runtime does not know: an empty status once the global timestamp passes minMs.
    if (this.#timestampMs >= minMs) return e ?? { status: undefined, error: undefined, modifiedMs: this.#timestampMs };
    return undefined;
  }

  #notify(uid: string): void {
    const list = this.#subscribers.get(uid);
    if (!list) return;
    const waiting: typeof list = [];
    for (const s of list) {
      const e = this.#getIfNewerThan(uid, s.minMs);
      if (e) s.resolve(e);
      else waiting.push(s);
    }
    if (waiting.length) this.#subscribers.set(uid, waiting);
    else this.#subscribers.delete(uid);
  }
}
