/**
 * Every trace event of the cache models, declared once per component: the DeltaFIFO
 * (`deltaFIFO`), the RealFIFO (`realFIFO`), the FakeControllerSource (`source`), the Reflector (`reflector`) and the shared
 * informer with its processor and listeners (`informer`). For each event type: its fields (one
 * discriminated union per component), its line of text, and the client-go function at v0.34.0 it
 * models. The models emit only through these catalogs (a typed `EventEmitter` per instance);
 * the terminal, the views and the widgets read them through `src/sim/catalogs.ts`.
 *
 * Fields every event of a component carries are named after the instance: `fifo`, `source`,
 * `reflector`, `informer`. Objects never appear in events, only their keys.
 */
import { defineEvents, type AnyEventOf, type EventOf, type SourceRef, type UpstreamRepo } from '../core/events';
import { formatMs } from '../core/format';
import type { LogLevel } from '../core/log';
import type { DeltaType, QueueActionResult } from './delta_fifo_types';

/** The client-go release the cache models follow. */
export const CACHE_CLIENT_GO_TAG = 'v0.34.0';

const clientGo: UpstreamRepo = {
  name: 'client-go',
  tag: CACHE_CLIENT_GO_TAG,
  blobUrl: `https://github.com/kubernetes/client-go/blob/${CACHE_CLIENT_GO_TAG}/`,
};

/** A log line, as klog prints it (`<component>.log`): level, the upstream file, klog's V level, the text. */
type LogFields = { level: LogLevel; source: string; v: number; message: string };

/** The first quoted string of a structured klog line (its message), or the whole line. */
function klogMessage(message: string): string {
  const m = /^"((?:[^"\\]|\\.)*)"/.exec(message);
  return m ? m[1] : message;
}

function logText(e: { level: string; message: string }): string {
  return `${e.level === 'error' ? 'E' : e.level === 'warning' ? 'W' : 'I'} ${e.message}`;
}

// ---- DeltaFIFO -----------------------------------------------------------------------------

/** The fields of a per-delta event (`deltaFIFO.add | update | delete | replace | sync`). */
type DeltaEventFields = {
  fifo: string;
  key: string;
  deltaType: DeltaType;
  result: QueueActionResult;
  /** The delta holds a `DeletedFinalStateUnknown`. */
  tombstone: boolean;
  /** The key's Deltas after the call (0 when nothing is queued for it). */
  deltas: number;
  /** Keys queued after the call. */
  len: number;
  /** The list's resourceVersion (the deltas of a `replace`, its tombstones included). */
  resourceVersion?: string;
  /** `replace`: a tombstone the relist queued for a key it no longer lists. */
  cause?: 'replace';
};

/** DeltaFIFO event type -> fields. Every event also carries `fifo`, the queue's name. */
export type DeltaFIFOEventMap = {
  /** A queue was made. */
  'deltaFIFO.new': { fifo: string; knownObjects: boolean; emitDeltaTypeReplaced: boolean; transformer: boolean };
  /** `add(obj)`: an `Added` delta. */
  'deltaFIFO.add': DeltaEventFields;
  /** `update(obj)`: an `Updated` delta. */
  'deltaFIFO.update': DeltaEventFields;
  /** `delete(obj)`, or a tombstone `replace` queued (`cause: 'replace'`): a `Deleted` delta, or `ignored`. */
  'deltaFIFO.delete': DeltaEventFields;
  /** One listed object of a `replace`: a `Replaced` (or `Sync`) delta. */
  'deltaFIFO.replace': DeltaEventFields;
  /** One known object of a `resync`: a `Sync` delta, or `skipped` when the key has deltas queued. */
  'deltaFIFO.sync': DeltaEventFields;
  /** A `replace` is done: what it queued, and the initial population it set (the first one only). */
  'deltaFIFO.replaceDone': {
    fifo: string;
    resourceVersion: string;
    items: number;
    keys: number;
    deltaType: DeltaType;
    deletions: number;
    first: boolean;
    initialPopulationCount: number;
    len: number;
  };
  /** `resync()`: over `keys` known objects (nothing without known objects). */
  'deltaFIFO.resync': { fifo: string; knownObjects: boolean; keys?: number; len: number };
  /**
   * A pop took `key`'s Deltas and calls `process`; or (`key: null, closed: true`) the queue is
   * closed and empty, and `rejected` waiting pops reject with ErrFIFOClosed.
   */
  'deltaFIFO.pop': {
    fifo: string;
    key: string | null;
    deltas?: number;
    types?: DeltaType[];
    isInInitialList?: boolean;
    initialPopulationCount?: number;
    waiters?: number;
    closed?: boolean;
    rejected?: number;
    len: number;
  };
  /** `process` returned (`ok`) or failed (`error`): the lock is released, the next pop may go. */
  'deltaFIFO.processed': { fifo: string; key: string; ok: boolean; error?: string };
  /** A pop waits for a key (or for the pop ahead of it). */
  'deltaFIFO.wait': { fifo: string; waiters: number; len: number };
  /** `close()`. */
  'deltaFIFO.close': { fifo: string; waiters: number; len: number };
  /** One of upstream's klog lines. */
  'deltaFIFO.log': { fifo: string } & LogFields;
};

export type DeltaFIFOEventType = keyof DeltaFIFOEventMap;
/** Any DeltaFIFO event, discriminated by `type`. */
export type DeltaFIFOEvent = AnyEventOf<DeltaFIFOEventMap>;
export type DeltaFIFOEventOf<K extends DeltaFIFOEventType> = EventOf<DeltaFIFOEventMap, K>;

const deltaFifoGo = (symbol: string): SourceRef => ({ file: 'tools/cache/delta_fifo.go', symbol });

function deltaText(e: { type: string } & DeltaEventFields): string {
  const op = e.type.slice('deltaFIFO.'.length);
  const what = `${e.deltaType}${e.tombstone ? ' (DeletedFinalStateUnknown)' : ''}`;
  const rv = e.resourceVersion === undefined ? '' : ` at rv ${e.resourceVersion}`;
  return `${op} ${e.key}: ${what}${rv} -> ${e.result} (${e.deltas} deltas, len ${e.len})`;
}

export const deltaFIFOEvents = defineEvents<DeltaFIFOEventMap>('deltaFIFO', clientGo, {
  'deltaFIFO.new': {
    text: (e) =>
      `new DeltaFIFO${e.knownObjects ? ' with known objects' : ''}${e.emitDeltaTypeReplaced ? ', emitting Replaced' : ''}${e.transformer ? ', with a transformer' : ''}`,
    source: deltaFifoGo('NewDeltaFIFOWithOptions'),
  },
  'deltaFIFO.add': { text: deltaText, source: deltaFifoGo('DeltaFIFO.Add') },
  'deltaFIFO.update': { text: deltaText, source: deltaFifoGo('DeltaFIFO.Update') },
  'deltaFIFO.delete': { text: deltaText, source: (e) => deltaFifoGo(e.cause === 'replace' ? 'DeltaFIFO.Replace' : 'DeltaFIFO.Delete') },
  'deltaFIFO.replace': { text: deltaText, source: deltaFifoGo('DeltaFIFO.Replace') },
  'deltaFIFO.sync': { text: deltaText, source: deltaFifoGo('DeltaFIFO.syncKeyLocked') },
  'deltaFIFO.replaceDone': {
    text: (e) =>
      `replace done at rv ${e.resourceVersion}: ${e.items} items as ${e.deltaType}, ${e.deletions} deletions${e.first ? `, initial population ${e.initialPopulationCount}` : ''} (len ${e.len})`,
    source: deltaFifoGo('DeltaFIFO.Replace'),
  },
  'deltaFIFO.resync': {
    text: (e) => (e.knownObjects ? `resync ${e.keys ?? 0} known keys (len ${e.len})` : 'resync: no known objects, nothing to do'),
    source: deltaFifoGo('DeltaFIFO.Resync'),
  },
  'deltaFIFO.pop': {
    text: (e) =>
      e.key === null
        ? `pop: closed and empty, ${e.rejected ?? 0} waiting pops get ErrFIFOClosed`
        : `pop ${e.key}: [${(e.types ?? []).join(' ')}]${e.isInInitialList ? ' (initial list)' : ''} (len ${e.len})`,
    source: deltaFifoGo('DeltaFIFO.Pop'),
  },
  'deltaFIFO.processed': {
    text: (e) => (e.ok ? `processed ${e.key}` : `process ${e.key} failed: ${e.error ?? ''}`),
    source: deltaFifoGo('DeltaFIFO.Pop'),
  },
  'deltaFIFO.wait': { text: (e) => `pop waits (${e.waiters} waiting, len ${e.len})`, source: deltaFifoGo('DeltaFIFO.Pop') },
  'deltaFIFO.close': { text: (e) => `close (${e.waiters} waiting, len ${e.len})`, source: deltaFifoGo('DeltaFIFO.Close') },
  'deltaFIFO.log': {
    text: logText,
    source: (e) => deltaFifoGo(/unable to queue object for sync/.test(e.message) ? 'DeltaFIFO.syncKeyLocked' : 'DeltaFIFO.Replace'),
  },
});

// ---- RealFIFO -------------------------------------------------------------------------------

/** What became of one item a RealFIFO was asked to queue (field `result` of its per-item events). */
export type RealFIFOQueueResult =
  /** appended at the end of the queue, as its own item */
  | 'queued'
  /**
   * not queued: a `resync` of a key that has items queued, or a relist's tombstone for a key
   * whose last queued item is a deletion already
   */
  | 'skipped';

/** The fields of a per-item event (`realFIFO.add | update | delete | replace | sync`). */
type RealFIFOItemFields = {
  fifo: string;
  key: string;
  deltaType: DeltaType;
  result: RealFIFOQueueResult;
  /** The item holds a `DeletedFinalStateUnknown`. */
  tombstone: boolean;
  /** Items queued after the call (every item is one Delta). */
  len: number;
  /** The list's resourceVersion (the items of a `replace`, its tombstones included). */
  resourceVersion?: string;
  /** `replace`: a tombstone the relist queued for a key it no longer lists. */
  cause?: 'replace';
};

/** RealFIFO event type -> fields. Every event also carries `fifo`, the queue's name. */
export type RealFIFOEventMap = {
  /** A queue was made (it always has known objects). */
  'realFIFO.new': { fifo: string; transformer: boolean };
  /** `add(obj)`: an `Added` item at the end. */
  'realFIFO.add': RealFIFOItemFields;
  /** `update(obj)`: an `Updated` item at the end. */
  'realFIFO.update': RealFIFOItemFields;
  /** `delete(obj)`, or a tombstone `replace` queued (`cause: 'replace'`): a `Deleted` item (or `skipped`). */
  'realFIFO.delete': RealFIFOItemFields;
  /** One listed object of a `replace`: a `Replaced` item, after the relist's tombstones. */
  'realFIFO.replace': RealFIFOItemFields;
  /** One known object of a `resync`: a `Sync` item, or `skipped` when the key has items queued. */
  'realFIFO.sync': RealFIFOItemFields;
  /** A `replace` is done: what it queued, and the initial population it set (the first one only). */
  'realFIFO.replaceDone': {
    fifo: string;
    resourceVersion: string;
    items: number;
    deletions: number;
    first: boolean;
    initialPopulationCount: number;
    len: number;
  };
  /** `resync()` over `keys` known objects. */
  'realFIFO.resync': { fifo: string; keys: number; len: number };
  /**
   * A pop took the head item (one Delta) and calls `process`; or (`key: null, closed: true`) the
   * queue is closed and empty, and `rejected` waiting pops reject with ErrFIFOClosed.
   */
  'realFIFO.pop': {
    fifo: string;
    key: string | null;
    deltaType?: DeltaType;
    isInInitialList?: boolean;
    initialPopulationCount?: number;
    waiters?: number;
    closed?: boolean;
    rejected?: number;
    len: number;
  };
  /** `process` returned (`ok`) or failed (`error`): the lock is released, the next pop may go. */
  'realFIFO.processed': { fifo: string; key: string; ok: boolean; error?: string };
  /** A pop waits for an item (or for the pop ahead of it). */
  'realFIFO.wait': { fifo: string; waiters: number; len: number };
  /** `close()`. */
  'realFIFO.close': { fifo: string; waiters: number; len: number };
  /** A `utilruntime.HandleError` line (a failed lookup in `replace` or `resync`). */
  'realFIFO.log': { fifo: string } & LogFields;
};

export type RealFIFOEventType = keyof RealFIFOEventMap;
/** Any RealFIFO event, discriminated by `type`. */
export type RealFIFOEvent = AnyEventOf<RealFIFOEventMap>;
export type RealFIFOEventOf<K extends RealFIFOEventType> = EventOf<RealFIFOEventMap, K>;

const realFifoGo = (symbol: string): SourceRef => ({ file: 'tools/cache/the_real_fifo.go', symbol });

function realFifoItemText(e: { type: string } & RealFIFOItemFields): string {
  const op = e.type.slice('realFIFO.'.length);
  const what = `${e.deltaType}${e.tombstone ? ' (DeletedFinalStateUnknown)' : ''}`;
  const rv = e.resourceVersion === undefined ? '' : ` at rv ${e.resourceVersion}`;
  return `${op} ${e.key}: ${what}${rv} -> ${e.result} (len ${e.len})`;
}

export const realFIFOEvents = defineEvents<RealFIFOEventMap>('realFIFO', clientGo, {
  'realFIFO.new': { text: (e) => `new RealFIFO with known objects${e.transformer ? ', with a transformer' : ''}`, source: realFifoGo('NewRealFIFO') },
  'realFIFO.add': { text: realFifoItemText, source: realFifoGo('RealFIFO.Add') },
  'realFIFO.update': { text: realFifoItemText, source: realFifoGo('RealFIFO.Update') },
  'realFIFO.delete': { text: realFifoItemText, source: (e) => realFifoGo(e.cause === 'replace' ? 'RealFIFO.Replace' : 'RealFIFO.Delete') },
  'realFIFO.replace': { text: realFifoItemText, source: realFifoGo('RealFIFO.Replace') },
  'realFIFO.sync': { text: realFifoItemText, source: realFifoGo('RealFIFO.Resync') },
  'realFIFO.replaceDone': {
    text: (e) =>
      `replace done at rv ${e.resourceVersion}: ${e.deletions} deletions, then ${e.items} items as Replaced${e.first ? `, initial population ${e.initialPopulationCount}` : ''} (len ${e.len})`,
    source: realFifoGo('RealFIFO.Replace'),
  },
  'realFIFO.resync': { text: (e) => `resync ${e.keys} known keys (len ${e.len})`, source: realFifoGo('RealFIFO.Resync') },
  'realFIFO.pop': {
    text: (e) =>
      e.key === null
        ? `pop: closed and empty, ${e.rejected ?? 0} waiting pops get ErrFIFOClosed`
        : `pop ${e.key}: ${e.deltaType ?? ''}${e.isInInitialList ? ' (initial list)' : ''} (len ${e.len})`,
    source: realFifoGo('RealFIFO.Pop'),
  },
  'realFIFO.processed': {
    text: (e) => (e.ok ? `processed ${e.key}` : `process ${e.key} failed: ${e.error ?? ''}`),
    source: realFifoGo('RealFIFO.Pop'),
  },
  'realFIFO.wait': { text: (e) => `pop waits (${e.waiters} waiting, len ${e.len})`, source: realFifoGo('RealFIFO.Pop') },
  'realFIFO.close': { text: (e) => `close (${e.waiters} waiting, len ${e.len})`, source: realFifoGo('RealFIFO.Close') },
  'realFIFO.log': {
    text: logText,
    source: (e) => realFifoGo(/unable to queue object for sync/.test(e.message) ? 'RealFIFO.Resync' : 'RealFIFO.Replace'),
  },
});

// ---- FakeControllerSource ------------------------------------------------------------------

/** What became of a watch request (field `result` of `source.watch`). */
export type SourceWatchResult =
  /** a watch from the current resourceVersion: only new changes */
  | 'live'
  /** a watch from an older resourceVersion: the recorded changes after it first */
  | 'replay'
  /** refused with 410 Expired: the changes it needs were flushed (or are older than recorded) */
  | 'expired'
  /** refused: a resourceVersion newer than the source's */
  | 'future'
  /** refused: not an integer (strconv.Atoi's error) */
  | 'invalid';

type ChangeFields = { source: string; key: string; rv: string; sent: boolean; watchers: number };

/** FakeControllerSource event type -> fields. Every event also carries `source`, the source's name. */
export type SourceEventMap = {
  /** `add` / `addDropWatch` / `change(ADDED)`: `sent` says whether the open watches were told. */
  'source.add': ChangeFields;
  'source.modify': ChangeFields;
  'source.delete': ChangeFields;
  /** `list()` at `rv`. */
  'source.list': { source: string; rv: string; items: number };
  /** `watch({ resourceVersion: rv })`. */
  'source.watch': { source: string; rv: string; result: SourceWatchResult; replayed?: number; watchers?: number; error?: string };
  /** A watch reached its `timeoutSeconds` and ended (only with `honorTimeoutSeconds`). */
  'source.watchTimeout': { source: string; rv: string; timeoutSeconds: number };
  /** `resetWatch()`: every watch ended, the change log flushed. */
  'source.resetWatch': { source: string; watches: number; rv: string };
  /** `closeWatches()` (model addition). */
  'source.closeWatches': { source: string; watches: number };
  /** `expireWatches(message?)` (model addition). */
  'source.expireWatches': { source: string; watches: number; message?: string };
  /** `shutdown()`. */
  'source.shutdown': { source: string; watches: number };
};

export type SourceEventType = keyof SourceEventMap;
/** Any FakeControllerSource event, discriminated by `type`. */
export type SourceEvent = AnyEventOf<SourceEventMap>;
export type SourceEventOf<K extends SourceEventType> = EventOf<SourceEventMap, K>;

const fakeSourceGo = (symbol: string): SourceRef => ({ file: 'tools/cache/testing/fake_controller_source.go', symbol });

function changeText(e: { type: string } & ChangeFields): string {
  const op = e.type.slice('source.'.length);
  return `${op} ${e.key} at rv ${e.rv}${e.sent ? ` -> ${e.watchers} watches` : ', watches not told'}`;
}

export const sourceEvents = defineEvents<SourceEventMap>('source', clientGo, {
  'source.add': { text: changeText, source: fakeSourceGo('FakeControllerSource.Change') },
  'source.modify': { text: changeText, source: fakeSourceGo('FakeControllerSource.Change') },
  'source.delete': { text: changeText, source: fakeSourceGo('FakeControllerSource.Change') },
  'source.list': { text: (e) => `list at rv ${e.rv}: ${e.items} items`, source: fakeSourceGo('FakeControllerSource.List') },
  'source.watch': {
    text: (e) => {
      const rv = e.rv === '' ? '""' : e.rv;
      if (e.result === 'live') return `watch from rv ${rv} (${e.watchers ?? 0} watches)`;
      if (e.result === 'replay') return `watch from rv ${rv}: replays ${e.replayed ?? 0} changes (${e.watchers ?? 0} watches)`;
      return `watch from rv ${rv} refused: ${e.error ?? e.result}`;
    },
    source: fakeSourceGo('FakeControllerSource.Watch'),
  },
  // The model's additions act on the watches Watch returned.
  'source.watchTimeout': {
    text: (e) => `watch from rv ${e.rv} timed out after ${e.timeoutSeconds}s`,
    source: fakeSourceGo('FakeControllerSource.Watch'),
  },
  'source.resetWatch': { text: (e) => `resetWatch: ${e.watches} watches ended, change log flushed at rv ${e.rv}`, source: fakeSourceGo('FakeControllerSource.ResetWatch') },
  'source.closeWatches': { text: (e) => `closeWatches: ${e.watches} watches ended`, source: fakeSourceGo('FakeControllerSource.Watch') },
  'source.expireWatches': {
    text: (e) => `expireWatches: ${e.watches} watches got 410 Expired${e.message === undefined ? '' : ` (${e.message})`}`,
    source: fakeSourceGo('FakeControllerSource.Watch'),
  },
  'source.shutdown': { text: (e) => `shutdown: ${e.watches} watches ended`, source: fakeSourceGo('FakeControllerSource.Shutdown') },
});

// ---- Reflector -----------------------------------------------------------------------------

/** How a watch ended (field `reason` of `reflector.watchEnded`). */
export type WatchEndReason =
  /** the server closed it normally: the reflector watches again from the last resourceVersion */
  | 'closed'
  /** closed within a second without any event (VeryShortWatchError): relist after a backoff */
  | 'veryShortWatch'
  /** an ERROR 410 (Expired/Gone): relist after a backoff */
  | 'expired'
  /** another ERROR event */
  | 'error'
  /** a resync of the store failed */
  | 'resyncError'
  /** the stop channel closed */
  | 'stopped'
  /** the watch request itself was refused */
  | 'startFailed';

/** Why the previous listAndWatch ended (field `reason` of `reflector.relist`). */
export type RelistReason = 'stopped' | 'listFailed' | 'watchFailed' | 'expired' | 'veryShortWatch' | 'resyncError' | 'watchError';

/** Reflector event type -> fields. Every event also carries `reflector`, the reflector's name. */
export type ReflectorEventMap = {
  /** A list succeeded at `rv` (before `store.replace`); `requestRV` is what it asked for. */
  'reflector.list': { reflector: string; rv: string; items: number; requestRV: string; paginated: boolean };
  /** A list failed. */
  'reflector.listFailed': { reflector: string; rv: string; error: string };
  /** A watch request from `rv`. */
  'reflector.watch': { reflector: string; rv: string; timeoutSeconds: number };
  /** One watch event given to the store (`eventType`: ADDED, MODIFIED, DELETED or BOOKMARK). */
  'reflector.event': { reflector: string; eventType: string; key: string; rv: string };
  /** A watch ended (`items`, `durationMs`: what it delivered, for how long; absent when it never started). */
  'reflector.watchEnded': {
    reflector: string;
    reason: WatchEndReason;
    items?: number;
    durationMs?: number;
    error?: string;
    code?: number;
    statusReason?: string;
  };
  /** A listAndWatch after the first: why the previous one ended, and the resourceVersion it lists at. */
  'reflector.relist': { reflector: string; reason: RelistReason; rv: string };
  /** A resync period elapsed; `forced`: `shouldResync()` said yes and `store.resync()` ran. */
  'reflector.resync': { reflector: string; forced: boolean };
  /** A backoff wait (`listAndWatch` between attempts, `connectionRefused`, `tooManyRequests`). */
  'reflector.backoff': { reflector: string; delayMs: number; reason: string };
  /** One of upstream's klog lines (structured, as klog's text format prints it). */
  'reflector.log': { reflector: string } & LogFields;
};

export type ReflectorEventType = keyof ReflectorEventMap;
/** Any Reflector event, discriminated by `type`. */
export type ReflectorEvent = AnyEventOf<ReflectorEventMap>;
export type ReflectorEventOf<K extends ReflectorEventType> = EventOf<ReflectorEventMap, K>;

const reflectorGo = (symbol: string): SourceRef => ({ file: 'tools/cache/reflector.go', symbol });

/** Where each of the reflector's log lines is written, by its message. */
const REFLECTOR_LOG_SOURCES: Record<string, string> = {
  'Starting reflector': 'Reflector.RunWithContext',
  'Stopping reflector': 'Reflector.RunWithContext',
  'Listing and watching': 'Reflector.ListAndWatchWithContext',
  'Caches populated': 'Reflector.ListAndWatchWithContext',
  'Forcing resync': 'Reflector.startResync',
  'Watch failed - backing off': 'Reflector.watch',
  'Watch returned 429 - backing off': 'Reflector.watch',
  'Retrying watch after internal error': 'Reflector.watch',
  'Warning: watch ended with error': 'Reflector.watch',
  'Watch closed': 'Reflector.watch, DefaultWatchErrorHandler',
  'Failed to watch': 'DefaultWatchErrorHandler',
  'Watch close': 'handleAnyWatch',
  'Unexpected watch event object type': 'handleAnyWatch',
  'Unable to understand watch event': 'handleAnyWatch',
  'Unable to add watch event object to store': 'handleAnyWatch',
  'Unable to update watch event object to store': 'handleAnyWatch',
  'Unable to delete watch event object from store': 'handleAnyWatch',
  'Unknown watch event': 'handleAnyWatch',
};

export const reflectorEvents = defineEvents<ReflectorEventMap>('reflector', clientGo, {
  'reflector.list': {
    text: (e) => `list at rv ${e.requestRV === '' ? '""' : e.requestRV} -> ${e.items} items at rv ${e.rv}${e.paginated ? ' (paginated)' : ''}`,
    source: reflectorGo('Reflector.list'),
  },
  'reflector.listFailed': { text: (e) => `list at rv ${e.rv === '' ? '""' : e.rv} failed: ${e.error}`, source: reflectorGo('Reflector.list') },
  'reflector.watch': { text: (e) => `watch from rv ${e.rv} (timeoutSeconds ${e.timeoutSeconds})`, source: reflectorGo('Reflector.watch') },
  'reflector.event': { text: (e) => `${e.eventType} ${e.key} at rv ${e.rv}`, source: reflectorGo('handleAnyWatch') },
  'reflector.watchEnded': {
    text: (e) => {
      const took = e.durationMs === undefined ? '' : ` after ${formatMs(e.durationMs)}, ${e.items ?? 0} events`;
      const code = e.code === undefined ? '' : ` ${e.code} ${e.statusReason ?? ''}`.trimEnd();
      return `watch ended: ${e.reason}${took}${code}${e.error === undefined ? '' : `: ${e.error}`}`;
    },
    source: (e) => reflectorGo(e.reason === 'startFailed' ? 'Reflector.watch' : 'handleAnyWatch'),
  },
  'reflector.relist': { text: (e) => `relist at rv ${e.rv === '' ? '""' : e.rv} (previous ended: ${e.reason})`, source: reflectorGo('Reflector.ListAndWatchWithContext') },
  'reflector.resync': { text: (e) => (e.forced ? 'resync: store.Resync()' : 'resync period elapsed, no listener due'), source: reflectorGo('Reflector.startResync') },
  'reflector.backoff': {
    text: (e) => `backoff ${formatMs(e.delayMs)} (${e.reason})`,
    source: (e) => reflectorGo(e.reason === 'listAndWatch' ? 'Reflector.RunWithContext' : 'Reflector.watch'),
  },
  'reflector.log': {
    text: logText,
    source: (e) => reflectorGo(REFLECTOR_LOG_SOURCES[klogMessage(e.message)] ?? 'Reflector.ListAndWatchWithContext'),
  },
});

// ---- Shared informer -----------------------------------------------------------------------

/** A notification's kind: add, update or delete. */
export type NotificationKind = 'add' | 'update' | 'delete';

/** Informer event type -> fields. Every event also carries `informer`, the informer's name. */
export type InformerEventMap = {
  /** An informer was made. */
  'informer.new': { informer: string; defaultEventHandlerResyncPeriodMs: number; indexers: string[] };
  /**
   * `run()` started its controller (queue and Reflector) with this resync check period; `queue`
   * is the queue the `InOrderInformers` gate chose (on: `RealFIFO`, off: `DeltaFIFO`).
   */
  'informer.run': { informer: string; resyncCheckPeriodMs: number; queue: 'RealFIFO' | 'DeltaFIFO' };
  /** `processDeltas` applies one Delta to the cache. */
  'informer.handle': { informer: string; deltaType: DeltaType; key: string; isInInitialList: boolean };
  /** A notification was queued for a listener (`pending`: its backlog after; 0 = went straight to the handler). */
  'informer.notify': { informer: string; listener: number; kind: NotificationKind; key: string; pending: number; isInInitialList?: boolean };
  /** A listener calls its handler. */
  'informer.deliver': { informer: string; listener: number; kind: NotificationKind; key: string; pending: number };
  /** The handler returned (its promise settled). */
  'informer.delivered': { informer: string; listener: number; kind: NotificationKind; key: string };
  /** `shouldResync` found these listeners due a resync. */
  'informer.resync': { informer: string; listeners: number[] };
  /** A handler was added. */
  'informer.addHandler': {
    informer: string;
    listener: number;
    requestedResyncPeriodMs: number;
    resyncPeriodMs: number;
    resyncCheckPeriodMs: number;
    started: boolean;
    initialList: number;
  };
  /** `removeEventHandler(reg)` (`listener: null`: not a registration). */
  'informer.removeHandler': { informer: string; listener: number | null; removed: boolean };
  /** A listener was closed; `dropped` notifications were never delivered. */
  'informer.closeListener': { informer: string; listener: number; dropped: number };
  /** The informer (`listener: null`) or one registration has synced (once each). */
  'informer.synced': { informer: string; listener: number | null };
  /** A handler threw (Go: panicked) with ReallyCrash on: the informer crashes. */
  'informer.crash': { informer: string; listener: number; error: string };
  /** A handler threw with ReallyCrash off: the panic is recovered and the notification skipped. */
  'informer.recovered': { informer: string; listener: number; kind: NotificationKind; key: string; error: string };
  /** After a recovered panic, the listener sleeps before it delivers the next notification. */
  'informer.sleepAfterCrash': { informer: string; listener: number; delayMs: number };
  /** An error processLoop drops (a key error, a Process argument that is not Deltas). */
  'informer.processError': { informer: string; error: string };
  /** `stop()`. */
  'informer.stop': { informer: string };
  /** `run()` is done: listeners stopped (`crashed`: a handler crashed it). */
  'informer.stopped': { informer: string; crashed: boolean };
  /** One of upstream's klog lines. */
  'informer.log': { informer: string } & LogFields;
};

export type InformerEventType = keyof InformerEventMap;
/** Any informer event, discriminated by `type`. */
export type InformerEvent = AnyEventOf<InformerEventMap>;
export type InformerEventOf<K extends InformerEventType> = EventOf<InformerEventMap, K>;

const informerGo = (symbol: string): SourceRef => ({ file: 'tools/cache/shared_informer.go', symbol });
const controllerGo = (symbol: string): SourceRef => ({ file: 'tools/cache/controller.go', symbol });

/** Where each of the informer's log lines is written, by its message. */
const INFORMER_LOG_SOURCES: Record<string, string> = {
  'Warning: resync period is too small. Changing it to the minimum allowed value': 'sharedIndexInformer.AddEventHandlerWithOptions',
  'Warning: resync period is smaller than resync check period and the informer has already started. Changing it to the resync check period':
    'sharedIndexInformer.AddEventHandlerWithOptions',
  "Warning: the specified resyncPeriod is invalid because this shared informer doesn't support resyncing": 'determineResyncPeriod',
  'Warning: the specified resyncPeriod is being increased to the minimum resyncCheckPeriod': 'determineResyncPeriod',
  'Warning: the sharedIndexInformer has started, run more than once is not allowed': 'sharedIndexInformer.RunWithContext',
  'Observed a panic': 'processorListener.run',
};

export const informerEvents = defineEvents<InformerEventMap>('informer', clientGo, {
  'informer.new': {
    text: (e) =>
      `new informer (default resync ${formatMs(e.defaultEventHandlerResyncPeriodMs)}${e.indexers.length > 0 ? `, indexers ${e.indexers.join(', ')}` : ''})`,
    source: informerGo('NewSharedIndexInformerWithOptions'),
  },
  'informer.run': {
    text: (e) => `run with a ${e.queue} (resync check every ${formatMs(e.resyncCheckPeriodMs)})`,
    source: informerGo('sharedIndexInformer.RunWithContext'),
  },
  'informer.handle': {
    text: (e) => `handle ${e.deltaType} ${e.key}${e.isInInitialList ? ' (initial list)' : ''}`,
    source: controllerGo('processDeltas'),
  },
  'informer.notify': {
    text: (e) => `notify listener ${e.listener}: ${e.kind} ${e.key}${e.isInInitialList ? ' (initial list)' : ''} (${e.pending} pending)`,
    source: informerGo('sharedProcessor.distribute'),
  },
  'informer.deliver': {
    text: (e) => `listener ${e.listener} calls ${e.kind === 'add' ? 'OnAdd' : e.kind === 'update' ? 'OnUpdate' : 'OnDelete'} ${e.key} (${e.pending} pending)`,
    source: informerGo('processorListener.run'),
  },
  'informer.delivered': { text: (e) => `listener ${e.listener} handled ${e.kind} ${e.key}`, source: informerGo('processorListener.run') },
  'informer.resync': { text: (e) => `resync due for listeners ${e.listeners.join(', ')}`, source: informerGo('sharedProcessor.shouldResync') },
  'informer.addHandler': {
    text: (e) =>
      `add handler ${e.listener} (resync ${formatMs(e.resyncPeriodMs)}, check ${formatMs(e.resyncCheckPeriodMs)})${e.started ? `, ${e.initialList} initial adds` : ''}`,
    source: informerGo('sharedIndexInformer.AddEventHandlerWithOptions'),
  },
  'informer.removeHandler': {
    text: (e) => (e.listener === null ? 'remove handler: not a registration' : `remove handler ${e.listener}${e.removed ? '' : ' (not registered)'}`),
    source: informerGo('sharedIndexInformer.RemoveEventHandler'),
  },
  'informer.closeListener': {
    text: (e) => `close listener ${e.listener} (${e.dropped} notifications dropped)`,
    source: informerGo('sharedProcessor.run, removeListener'),
  },
  'informer.synced': {
    text: (e) => (e.listener === null ? 'informer synced' : `handler ${e.listener} synced`),
    source: (e) => informerGo(e.listener === null ? 'sharedIndexInformer.HasSynced' : 'processorListener.HasSynced'),
  },
  'informer.crash': {
    text: (e) => `listener ${e.listener}: handler panicked, ReallyCrash: the informer crashes: ${e.error}`,
    source: informerGo('processorListener.run'),
  },
  'informer.recovered': {
    text: (e) => `listener ${e.listener}: handler panicked on ${e.kind} ${e.key}; recovered, the notification is skipped: ${e.error}`,
    source: informerGo('processorListener.run'),
  },
  'informer.sleepAfterCrash': {
    text: (e) => `listener ${e.listener} sleeps ${formatMs(e.delayMs)} before the next notification`,
    source: informerGo('processorListener.run'),
  },
  'informer.processError': { text: (e) => `processLoop drops an error: ${e.error}`, source: controllerGo('controller.processLoop') },
  'informer.stop': { text: () => 'stop', source: informerGo('sharedIndexInformer.RunWithContext') },
  'informer.stopped': { text: (e) => (e.crashed ? 'stopped (crashed)' : 'stopped'), source: informerGo('sharedIndexInformer.RunWithContext') },
  'informer.log': {
    text: logText,
    source: (e) => informerGo(INFORMER_LOG_SOURCES[klogMessage(e.message)] ?? 'sharedIndexInformer.RunWithContext'),
  },
});
