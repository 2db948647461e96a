/**
 * One watch served from the watch cache: its initial events (a replay from the window, or the
 * stored objects as ADDED), then every dispatched event newer than what it sent, filtered by its
 * key prefix and selectors (an object that stops matching is sent as DELETED with the event's
 * resourceVersion), and BOOKMARKs when it asked for them: every minute, 2 s before its deadline,
 * and, for a streaming list, the one annotated `k8s.io/initial-events-end: "true"` right after
 * the initial events.
 * Upstream: apiserver pkg/storage/cacher/cache_watcher.go (cacheWatcher: nonblockingAdd,
 * nextBookmarkTime, markBookmarkAfterRvAsReceived, markBookmarkAfterRvSent,
 * setBookmarkAfterResourceVersion, convertToWatchEvent, sendWatchCacheEvent, processInterval, process)
 */
import type { KubeObject } from '../../core/object';
import type { WatchEvent } from '../../cache/listwatch';
import { InitialEventsAnnotationKey, type Attrs } from '../storage/interfaces';
import { ChanWatch } from '../watch';
import type { WatchCacheEvent } from './watch_cache';

/** Go: `cacheWatcherWaitingForBookmark`, `cacheWatcherBookmarkReceived`, `cacheWatcherBookmarkSent`. */
type BookmarkState = 'waitingForBookmark' | 'bookmarkReceived' | 'bookmarkSent';

export type WatchFilter = (key: string, attrs: Attrs) => boolean;

/** Observes what a watcher sends (the trace). */
export interface CacheWatcherObserver {
  sent(e: WatchEvent<KubeObject>, key: string, rv: number, initialEventsEnd: boolean): void;
}

// Upstream: cache_watcher.go (cacheWatcher)
export class CacheWatcher {
  readonly watch: ChanWatch;
  readonly #filter: WatchFilter;
  readonly #deadlineMs: number | undefined;
  readonly allowWatchBookmarks: boolean;
  #bookmarkAfterResourceVersion = 0;
  #state: BookmarkState = 'bookmarkSent';
  /** What the initial events reached: later events at or below it are not sent (Go: process's `resourceVersion`). */
  #resourceVersion = 0;
  #started = false;
  /** Events dispatched before the initial events were sent. */
  #pending: WatchCacheEvent[] = [];
  stopped = false;
  readonly #observer: CacheWatcherObserver;

  constructor(filter: WatchFilter, deadlineMs: number | undefined, allowWatchBookmarks: boolean, observer: CacheWatcherObserver, forget: () => void) {
    this.#filter = filter;
    this.#deadlineMs = deadlineMs;
    this.allowWatchBookmarks = allowWatchBookmarks;
    this.#observer = observer;
    this.watch = new ChanWatch(forget);
  }

  // Upstream: cacheWatcher.setBookmarkAfterResourceVersion
  setBookmarkAfterResourceVersion(rv: number): void {
    this.#state = rv === 0 ? 'bookmarkSent' : 'waitingForBookmark';
    this.#bookmarkAfterResourceVersion = rv;
  }

  /** Takes one dispatched event (Go: `nonblockingAdd`; the input channel never fills here). */
  // Upstream: cacheWatcher.nonblockingAdd, process
  add(event: WatchCacheEvent): boolean {
    if (this.stopped) return false;
    if (event.type === 'BOOKMARK' && event.resourceVersion < this.#bookmarkAfterResourceVersion) return false;
    this.#markBookmarkAfterRvAsReceived(event);
    if (!this.#started) {
      this.#pending.push(event);
      return true;
    }
    this.#process(event);
    return true;
  }

  // Upstream: cacheWatcher.process (one event)
  #process(event: WatchCacheEvent): void {
    if (event.resourceVersion > this.#resourceVersion || (event.type === 'BOOKMARK' && event.resourceVersion === this.#resourceVersion && this.#state !== 'bookmarkSent')) {
      this.#sendWatchCacheEvent(event);
    }
  }

  /**
   * Sends the initial events, then the initial-events-end bookmark (a streaming list), then what
   * was dispatched meanwhile (Go: `processInterval`).
   */
  // Upstream: cacheWatcher.processInterval
  start(events: WatchCacheEvent[], intervalResourceVersion: number, requestedResourceVersion: number, initialEventsEndBookmark: WatchCacheEvent | undefined): void {
    let rv = Math.max(requestedResourceVersion, intervalResourceVersion);
    for (const e of events) {
      if (this.stopped) return;
      this.#sendWatchCacheEvent(e);
      if (e.resourceVersion > rv) rv = e.resourceVersion;
    }
    this.#resourceVersion = rv;
    if (initialEventsEndBookmark) this.#sendWatchCacheEvent(initialEventsEndBookmark);
    this.#started = true;
    const pending = this.#pending;
    this.#pending = [];
    for (const e of pending) this.#process(e);
  }

  // Upstream: cacheWatcher.nextBookmarkTime
  nextBookmarkTime(nowMs: number, bookmarkFrequencyMs: number): number | undefined {
    if (this.#state === 'waitingForBookmark') return 0; // schedule immediately
    let heartbeat = nowMs + bookmarkFrequencyMs;
    if (this.#deadlineMs === undefined) return heartbeat;
    const pretimeout = this.#deadlineMs - 2000;
    if (pretimeout < heartbeat) heartbeat = pretimeout;
    if (heartbeat < nowMs) return undefined;
    return heartbeat;
  }

  // Upstream: cacheWatcher.markBookmarkAfterRvAsReceived
  #markBookmarkAfterRvAsReceived(event: WatchCacheEvent): void {
    if (event.type === 'BOOKMARK' && this.#state === 'waitingForBookmark') this.#state = 'bookmarkReceived';
  }

  // Upstream: cacheWatcher.convertToWatchEvent
  #convert(event: WatchCacheEvent): { e: WatchEvent<KubeObject>; initialEventsEnd: boolean } | undefined {
    if (event.type === 'BOOKMARK') {
      const object = { ...event.object, metadata: { ...event.object.metadata } };
      let initialEventsEnd = false;
      if (this.#state !== 'bookmarkSent') {
        object.metadata.annotations = { ...(object.metadata.annotations ?? {}), [InitialEventsAnnotationKey]: 'true' };
        initialEventsEnd = true;
      }
      return { e: { type: 'BOOKMARK', object }, initialEventsEnd };
    }
    const curPasses = event.type !== 'DELETED' && this.#filter(event.key, event.attrs);
    const oldPasses = event.prevObject !== undefined && this.#filter(event.key, event.prevAttrs as Attrs);
    if (!curPasses && !oldPasses) return undefined;
    if (curPasses && !oldPasses) return { e: { type: 'ADDED', object: event.object }, initialEventsEnd: false };
    if (curPasses && oldPasses) return { e: { type: 'MODIFIED', object: event.object }, initialEventsEnd: false };
    // The previous object, with the event's resourceVersion.
    const prev = event.prevObject as KubeObject;
    const oldObj = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(event.resourceVersion) } };
    return { e: { type: 'DELETED', object: oldObj }, initialEventsEnd: false };
  }

  // Upstream: cacheWatcher.sendWatchCacheEvent, markBookmarkAfterRvSent
  #sendWatchCacheEvent(event: WatchCacheEvent): void {
    const converted = this.#convert(event);
    if (!converted || this.stopped) return;
    this.watch.result.send(converted.e);
    if (event.type === 'BOOKMARK' && this.#state !== 'bookmarkSent') this.#state = 'bookmarkSent';
    this.#observer.sent(converted.e, event.key, event.resourceVersion, converted.initialEventsEnd);
  }

  /** Ends the watch: nothing more is sent, what was sent stays readable (Go: `stopLocked`). */
  // Upstream: cacheWatcher.stopLocked
  stopLocked(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.watch.result.close();
  }
}
