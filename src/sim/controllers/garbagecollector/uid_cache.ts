/**
 * The absent-owner cache: owners the API server said are gone, so their other dependents need
 * no lookup. Least recently used entries go first (Go: an LRU of 500).
 * Upstream: pkg/controller/garbagecollector/uid_cache.go (ReferenceCache)
 */
import type { ObjectReference } from './graph';

const key = (r: ObjectReference) => JSON.stringify([r.apiVersion, r.kind, r.namespace, r.name, r.uid]);

// Upstream: uid_cache.go (ReferenceCache, NewReferenceCache, Add, Has)
export class ReferenceCache {
  readonly #max: number;
  readonly #m = new Map<string, true>();
  constructor(maxCacheEntries = 500) {
    this.#max = maxCacheEntries;
  }
  add(r: ObjectReference): void {
    const k = key(r);
    this.#m.delete(k);
    this.#m.set(k, true);
    if (this.#m.size > this.#max) this.#m.delete(this.#m.keys().next().value as string);
  }
  has(r: ObjectReference): boolean {
    const k = key(r);
    if (!this.#m.has(k)) return false;
    this.#m.delete(k);
    this.#m.set(k, true);
    return true;
  }
  get size(): number {
    return this.#m.size;
  }
}
