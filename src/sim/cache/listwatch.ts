/**
 * What a Reflector lists and watches: the ListerWatcher contract between the client side
 * (reflector, informer) and whatever serves objects (a fake source now, the API server model
 * later). Shapes follow apimachinery's ListOptions, watch.Interface and watch.Event.
 * Upstream: client-go tools/cache/listwatch.go (ListerWatcher), apimachinery pkg/watch/watch.go
 */
import type { KubeObject } from '../core/object';

/** metav1.ListOptions, the fields the models read. */
export interface ListOptions {
  /** `''`: the newest state (a quorum read); `'0'`: any state the server has (the watch cache). */
  resourceVersion?: string;
  /** `NotOlderThan` or `Exact`, with a non-empty resourceVersion. */
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  /** Page size; 0 or absent: everything. */
  limit?: number;
  /** The `continue` token of the previous page. */
  continue?: string;
  /** Server-side timeout of a watch, in seconds. */
  timeoutSeconds?: number;
  /** Ask for BOOKMARK events (a watch that carries only a newer resourceVersion). */
  allowWatchBookmarks?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
}

/** A list response: `metadata.resourceVersion` is the version the items are consistent at. */
export interface ObjectList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** watch.EventType. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/**
 * metav1.StatusDetails, the fields the models read. Added for the Reflector: it tells a "too large
 * resource version" list error apart by its cause (`ResourceVersionTooLarge`, or the message
 * "Too large resource version" of older servers), as upstream's isTooLargeResourceVersionError does.
 */
export interface StatusDetails {
  causes?: Array<{ type?: string; message?: string; field?: string }>;
  retryAfterSeconds?: number;
}

/** metav1.Status, as an ERROR watch event carries it (e.g. `410 Gone` "too old resource version"). */
export interface Status {
  apiVersion?: string;
  kind: 'Status';
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  code: number;
  /** Optional, as upstream (see StatusDetails). */
  details?: StatusDetails;
}

/** watch.Event: for ERROR the object is a Status; for BOOKMARK only metadata.resourceVersion matters. */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

/**
 * watch.Interface. Go's `ResultChan()` is a channel; here `next()` resolves with the next event,
 * or `undefined` once the watch has ended (the channel is closed: stopped, timed out, or ended by
 * the server). `stop()` ends it from the client side; calling it twice is harmless.
 */
export interface WatchInterface<T extends KubeObject = KubeObject> {
  next(): Promise<WatchEvent<T> | undefined>;
  stop(): void;
}

/**
 * cache.ListerWatcher. `list` rejects with a StatusError for a failed list (e.g. `410 Gone` when a
 * `continue` token or an exact resourceVersion has expired); `watch` rejects when the watch
 * cannot start, and reports a too-old resourceVersion as an ERROR event with code 410.
 */
export interface ListerWatcher<T extends KubeObject = KubeObject> {
  list(options: ListOptions): Promise<ObjectList<T>>;
  watch(options: ListOptions): Promise<WatchInterface<T>>;
}
