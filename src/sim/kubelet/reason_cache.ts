/**
 * The last start failure of each container: pkg/kubelet/reason_cache.go. SyncPod's results feed
 * it (a failed StartContainer adds, a successful one removes); the status generator turns an
 * entry into the container's waiting reason and message (CrashLoopBackOff, ImagePullBackOff,
 * CreateContainerConfigError...).
 */
import type { SyncResult } from './kuberuntime/manager';

export interface ReasonItem {
  reason: string;
  message: string;
}

// Upstream: reason_cache.go (ReasonCache); an LRU of 1000 upstream, a plain map here
export class ReasonCache {
  readonly #items = new Map<string, ReasonItem>();

  // Upstream: reason_cache.go (Update)
  update(uid: string, results: SyncResult[]): void {
    for (const r of results) {
      if (r.action !== 'StartContainer') continue;
      const key = `${uid}_${r.target}`;
      if (r.error) this.#items.set(key, { reason: r.error, message: r.message ?? '' });
      else this.#items.delete(key);
    }
  }

  get(uid: string, name: string): ReasonItem | undefined {
    return this.#items.get(`${uid}_${name}`);
  }

  removePod(uid: string): void {
    for (const k of [...this.#items.keys()]) if (k.startsWith(`${uid}_`)) this.#items.delete(k);
  }
}
