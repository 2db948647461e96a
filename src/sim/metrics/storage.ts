/**
 * The metrics-server's in-memory storage: the last two scrapes of every pod and node. A rate needs
 * two points, so an object scraped once has no metrics yet; one missing from a scrape is dropped.
 * Upstream: kubernetes-sigs/metrics-server pkg/storage (storage.go Store, pod.go podStorage.Store /
 * GetMetrics, node.go nodeStorage)
 */
import type { ContainerUsage } from './types';

/** One object's usage at one scrape. */
export interface Point {
  timestampMs: number;
  containers: ContainerUsage[];
}

/** What the API serves for one object: the newer point, and the time between the two points. */
export interface StoredMetrics {
  timestampMs: number;
  windowMs: number;
  containers: ContainerUsage[];
}

/** Two points per key (`namespace/name` for pods, the name for nodes). */
export class PointStorage {
  #last = new Map<string, Point>();
  #prev = new Map<string, Point>();

  /** Keeps `batch` as the newest points; the previous newest become `prev`; keys not in it are forgotten. */
  // Upstream: pkg/storage/pod.go (podStorage.Store)
  store(batch: ReadonlyMap<string, Point>): void {
    const prev = new Map<string, Point>();
    for (const [key, p] of batch) {
      const last = this.#last.get(key);
      if (last && last.timestampMs < p.timestampMs) prev.set(key, last);
      else if (last && this.#prev.has(key)) prev.set(key, this.#prev.get(key) as Point);
    }
    this.#last = new Map(batch);
    this.#prev = prev;
  }

  /** The metrics of `key`, once it has two points. */
  // Upstream: pkg/storage/pod.go (podStorage.GetMetrics)
  get(key: string): StoredMetrics | undefined {
    const last = this.#last.get(key);
    const prev = this.#prev.get(key);
    if (!last || !prev) return undefined;
    return { timestampMs: last.timestampMs, windowMs: last.timestampMs - prev.timestampMs, containers: last.containers };
  }

  /** Keys with a point in the last scrape. */
  keys(): string[] {
    return [...this.#last.keys()];
  }
}
