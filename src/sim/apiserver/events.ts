/**
 * Every trace event of the API server model (`apiserver`) and of the clients (`client`),
 * declared once: fields, a line of text, and the upstream function at the pinned tag
 * (kubernetes/apiserver v0.34.0, kubernetes/client-go v0.34.0). Objects never appear in events,
 * only their keys. Every apiserver event carries `server` (the server's name); every client event
 * carries `client` (its user agent's first word, or the name given).
 */
import { defineEvents, type AnyEventOf, type EventOf, type SourceRef, type UpstreamRepo } from '../core/events';
import { formatMs } from '../core/format';
import type { LogLevel } from '../core/log';

export const APISERVER_TAG = 'v0.34.0';

const apiserverRepo: UpstreamRepo = {
  name: 'kubernetes/apiserver',
  tag: APISERVER_TAG,
  blobUrl: `https://github.com/kubernetes/apiserver/blob/${APISERVER_TAG}/`,
};

const clientGoRepo: UpstreamRepo = {
  name: 'client-go',
  tag: APISERVER_TAG,
  blobUrl: `https://github.com/kubernetes/client-go/blob/${APISERVER_TAG}/`,
};

type LogFields = { level: LogLevel; source: string; v: number; message: string };

function logText(e: { level: string; message: string }): string {
  return `${e.level === 'error' ? 'E' : e.level === 'warning' ? 'W' : 'I'} ${e.message}`;
}

const rvText = (rv: string) => (rv === '' ? '""' : rv);

/** Where a watch is served from. */
export type WatchSource = 'cache' | 'etcd';
/** Why a watch ended. */
export type WatchEndReason = 'timeout' | 'clientStop' | 'error' | 'serverStop';
/** Where a list was served from, and why. */
export type ListSource = 'cache' | 'etcd';

/** API server event type -> fields. */
export type ApiServerEventMap = {
  /** One request, as the apiserver's httplog writes it (a watch: when it ends). */
  'apiserver.request': { server: string; verb: string; uri: string; code: number; latencyMs: number; userAgent: string; auditID: string };
  /** A watch request was accepted. */
  'apiserver.watch': {
    server: string;
    watch: number;
    resource: string;
    uri: string;
    source: WatchSource;
    resourceVersion: string;
    timeoutMs: number;
    sendInitialEvents: boolean;
    allowWatchBookmarks: boolean;
  };
  /** One event sent on a watch (ADDED, MODIFIED, DELETED, ERROR). */
  'apiserver.watchEvent': { server: string; watch: number; eventType: string; key: string; rv: string };
  /** A BOOKMARK sent on a watch (`initialEventsEnd`: the one that ends a streaming list's initial events). */
  'apiserver.bookmark': { server: string; watch: number; rv: string; initialEventsEnd: boolean };
  /** A watch ended. */
  'apiserver.watchEnd': { server: string; watch: number; reason: WatchEndReason; durationMs: number; events: number };
  /** A list was served (from the watch cache or from etcd) at a revision. */
  'apiserver.list': { server: string; resource: string; source: ListSource; rv: string; items: number; why: string };
  /** The watch cache of a resource took an event: the window it keeps after it. */
  'apiserver.cacheEvent': { server: string; resource: string; eventType: string; key: string; rv: number; oldestRv: number; size: number; capacity: number };
  /** The watch cache's window changed size (upstream doubles and halves it with the event rate). */
  'apiserver.cacheWindow': { server: string; resource: string; fromCapacity: number; capacity: number };
  /** The watch cache was replaced by a list (the cacher's reflector listed): everything since is servable. */
  'apiserver.cacheReplace': { server: string; resource: string; rv: number; items: number };
  /** The watch cache's resourceVersion moved without an event (a progress notification from etcd). */
  'apiserver.cacheProgress': { server: string; resource: string; rv: number };
  /** The apiserver's compactor compacted etcd. */
  'apiserver.compact': { server: string; rev: number };
  /** One of upstream's klog lines. */
  'apiserver.log': { server: string } & LogFields;
};

export type ApiServerEventType = keyof ApiServerEventMap;
export type ApiServerEvent = AnyEventOf<ApiServerEventMap>;
export type ApiServerEventOf<K extends ApiServerEventType> = EventOf<ApiServerEventMap, K>;

const at = (file: string, symbol: string): SourceRef => ({ file, symbol });
const LOG_SOURCES: Record<string, SourceRef> = {
  'httplog.go': at('pkg/server/httplog/httplog.go', 'respLogger.Log'),
  'get.go': at('pkg/endpoints/handlers/get.go', 'ListResource'),
  'cacher.go': at('pkg/storage/cacher/cacher.go', 'Cacher.startCaching'),
  'watch_cache.go': at('pkg/storage/cacher/watch_cache.go', 'watchCache.Replace'),
  'compact.go': at('pkg/storage/etcd3/compact.go', 'Compact'),
  'watcher.go': at('pkg/storage/etcd3/watcher.go', 'logWatchChannelErr'),
  'store.go': at('pkg/storage/etcd3/store.go', 'store.GuaranteedUpdate'),
};

export const apiserverEvents = defineEvents<ApiServerEventMap>('apiserver', apiserverRepo, {
  'apiserver.request': {
    text: (e) => `${e.verb} ${e.uri} ${e.code} in ${formatMs(e.latencyMs)}`,
    source: at('pkg/server/httplog/httplog.go', 'respLogger.Log'),
  },
  'apiserver.watch': {
    text: (e) => `watch #${e.watch} ${e.resource} from rv ${rvText(e.resourceVersion)} (${e.source}${e.sendInitialEvents ? ', initial events' : ''}${e.allowWatchBookmarks ? ', bookmarks' : ''}, timeout ${formatMs(e.timeoutMs)})`,
    source: (e) => (e.source === 'cache' ? at('pkg/storage/cacher/cacher.go', 'Cacher.Watch') : at('pkg/storage/etcd3/watcher.go', 'watcher.Watch')),
  },
  'apiserver.watchEvent': {
    text: (e) => `watch #${e.watch}: ${e.eventType} ${e.key} at rv ${e.rv}`,
    source: at('pkg/endpoints/handlers/watch.go', 'WatchServer.HandleHTTP'),
  },
  'apiserver.bookmark': {
    text: (e) => `watch #${e.watch}: BOOKMARK at rv ${e.rv}${e.initialEventsEnd ? ' (initial events end)' : ''}`,
    source: at('pkg/storage/cacher/cache_watcher.go', 'cacheWatcher.convertToWatchEvent'),
  },
  'apiserver.watchEnd': {
    text: (e) => `watch #${e.watch} ended (${e.reason}) after ${formatMs(e.durationMs)}, ${e.events} events`,
    source: at('pkg/endpoints/handlers/watch.go', 'WatchServer.HandleHTTP'),
  },
  'apiserver.list': {
    text: (e) => `list ${e.resource} from ${e.source} at rv ${rvText(e.rv)}: ${e.items} items (${e.why})`,
    source: (e) => (e.source === 'cache' ? at('pkg/storage/cacher/delegator.go', 'CacheDelegator.GetList') : at('pkg/storage/etcd3/store.go', 'store.GetList')),
  },
  'apiserver.cacheEvent': {
    text: (e) => `watch cache ${e.resource}: ${e.eventType} ${e.key} at rv ${e.rv}; window rv ${e.oldestRv}..${e.rv} (${e.size}/${e.capacity})`,
    source: at('pkg/storage/cacher/watch_cache.go', 'watchCache.processEvent'),
  },
  'apiserver.cacheWindow': {
    text: (e) => `watch cache ${e.resource}: capacity ${e.fromCapacity} -> ${e.capacity}`,
    source: at('pkg/storage/cacher/watch_cache.go', 'watchCache.resizeCacheLocked'),
  },
  'apiserver.cacheReplace': {
    text: (e) => `watch cache ${e.resource} replaced: ${e.items} items at rv ${e.rv}`,
    source: at('pkg/storage/cacher/watch_cache.go', 'watchCache.Replace'),
  },
  'apiserver.cacheProgress': {
    text: (e) => `watch cache ${e.resource} at rv ${e.rv} (progress notify)`,
    source: at('pkg/storage/cacher/watch_cache.go', 'watchCache.UpdateResourceVersion'),
  },
  'apiserver.compact': { text: (e) => `etcd compacted at rev ${e.rev}`, source: at('pkg/storage/etcd3/compact.go', 'Compact') },
  'apiserver.log': { text: logText, source: (e) => LOG_SOURCES[e.source] },
});

/** Client event type -> fields. */
export type ClientEventMap = {
  /** A request sent and answered (`code` 0: it failed before an answer). */
  'client.request': { client: string; verb: string; url: string; code: number; latencyMs: number };
  /** The client-side rate limiter made a request wait. */
  'client.throttle': { client: string; verb: string; url: string; delayMs: number };
  /** One of client-go's klog lines. */
  'client.log': { client: string } & LogFields;
};

export type ClientEventType = keyof ClientEventMap;
export type ClientEvent = AnyEventOf<ClientEventMap>;

const CLIENT_LOG_SOURCES: Record<string, SourceRef> = {
  'request.go': at('rest/request.go', 'Request.tryThrottleWithInfo'),
  'with_retry.go': at('rest/with_retry.go', 'withRetry.IsNextRetry'),
  'warnings.go': at('rest/warnings.go', 'WarningLogger.HandleWarningHeaderWithContext'),
};

export const clientEvents = defineEvents<ClientEventMap>('client', clientGoRepo, {
  'client.request': {
    text: (e) => `${e.verb} ${e.url} ${e.code === 0 ? 'failed' : e.code} in ${formatMs(e.latencyMs)}`,
    source: at('rest/request.go', 'Request.request'),
  },
  'client.throttle': {
    text: (e) => `${e.verb} ${e.url} waited ${formatMs(e.delayMs)} for the client-side rate limiter`,
    source: at('rest/request.go', 'Request.tryThrottleWithInfo'),
  },
  'client.log': { text: logText, source: (e) => CLIENT_LOG_SOURCES[e.source] ?? CLIENT_LOG_SOURCES['request.go'] },
});
