/**
 * The watch cache's invariants, from the comments of apiserver's `watchCache`
 * (pkg/storage/cacher/watch_cache.go at v0.34.0):
 *
 * - "`cache` is used to store the events ... as a cyclic buffer": the events in
 *   `[startIndex, endIndex)` are the window, at most `capacity` of them, in resourceVersion order
 *   (one write per resourceVersion for a resource, so strictly increasing);
 * - `capacity` stays between the lower and upper bound, a power-of-two multiple of the lower one
 *   (it only doubles and halves);
 * - "`resourceVersion` up to which the watchCache is propagated": no buffered event and no stored
 *   object is newer, and it is not older than the last list (`listResourceVersion`);
 * - "`store` will effectively support LIST operation from the 'end of cyclic buffer'": for every
 *   key whose newest buffered event is a DELETED, the store has no object; for an ADDED or
 *   MODIFIED, the store's object is that event's object (same resourceVersion).
 *
 * Checked on snapshots (`WatchCache.snapshot()`), so they hold for a live cache and in tests.
 */
import type { WatchCacheSnapshot } from './cacher/watch_cache';

/** Every broken invariant of a watch cache snapshot, as sentences; empty when all hold. */
export function checkWatchCacheInvariants(s: WatchCacheSnapshot): string[] {
  const out: string[] = [];
  const size = s.endIndex - s.startIndex;
  if (s.startIndex < 0 || size < 0) out.push(`the window [${s.startIndex}, ${s.endIndex}) is not a range`);
  if (size > s.capacity) out.push(`the window holds ${size} events, more than its capacity ${s.capacity}`);
  if (s.capacity < s.lowerBoundCapacity || s.capacity > s.upperBoundCapacity) out.push(`capacity ${s.capacity} is outside [${s.lowerBoundCapacity}, ${s.upperBoundCapacity}]`);
  const ratio = s.capacity / s.lowerBoundCapacity;
  if (!Number.isInteger(ratio) || (ratio & (ratio - 1)) !== 0) out.push(`capacity ${s.capacity} is not the lower bound ${s.lowerBoundCapacity} doubled`);
  let prev = 0;
  const newest = new Map<string, { type: string; objectResourceVersion: string; resourceVersion: number }>();
  for (const e of s.events) {
    if (e.type === 'missing') {
      out.push('a slot of the window is empty');
      continue;
    }
    if (e.resourceVersion <= prev) out.push(`event ${e.type} ${e.key} at rv ${e.resourceVersion} does not follow rv ${prev}`);
    prev = e.resourceVersion;
    if (e.resourceVersion > s.resourceVersion) out.push(`event ${e.type} ${e.key} at rv ${e.resourceVersion} is newer than the cache's resourceVersion ${s.resourceVersion}`);
    newest.set(e.key, e);
  }
  if (s.resourceVersion < s.listResourceVersion) out.push(`resourceVersion ${s.resourceVersion} is older than the last list's ${s.listResourceVersion}`);
  const store = new Map(s.store.map((o) => [o.key, o.resourceVersion]));
  for (const [key, rv] of store) {
    if (Number(rv) > s.resourceVersion) out.push(`stored ${key} at rv ${rv} is newer than the cache's resourceVersion ${s.resourceVersion}`);
  }
  for (const [key, e] of newest) {
    const stored = store.get(key);
    if (e.type === 'DELETED' && stored !== undefined) out.push(`${key} was last DELETED at rv ${e.resourceVersion} but is stored at rv ${stored}`);
    if (e.type !== 'DELETED' && stored !== e.objectResourceVersion) out.push(`${key} was last ${e.type} at rv ${e.objectResourceVersion} but is stored at ${stored === undefined ? 'none' : `rv ${stored}`}`);
  }
  return out;
}
