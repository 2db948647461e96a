/**
 * Every trace event of the etcd model, declared once: its fields, its line of text, and the etcd
 * function at v3.6.0 it models. The store emits through this catalog; replay.ts rebuilds the
 * keyspace from it (so `etcd.put` and `etcd.delete` carry everything a keyspace view needs), and
 * the terminal, the views and the widgets read it.
 */
import { defineEvents, type AnyEventOf, type EventOf } from '../core/events';
import { formatMs } from '../core/format';
import { byteLength } from './bytes';

/** The etcd release this model follows. */
export const ETCD_TAG = 'v3.6.0';

/** How long a value may be in an event (longer ones are cut, `valueBytes` keeps the size). */
export const EVENT_VALUE_MAX = 64;

/** Why a watch ended. */
export type WatchCancelReason = 'canceled' | 'compacted' | 'rangeEmpty';
/** Which API call a rejected request was. */
export type EtcdMethod = 'put' | 'get' | 'delete' | 'txn' | 'compact' | 'watch' | 'leaseGrant' | 'leaseRevoke' | 'leaseKeepAlive' | 'leaseTimeToLive';

/** Event type -> fields. Every event also carries `member`, the member's name. */
export type EtcdEventMap = {
  /** A key was written at `{revision, sub}` (`value` cut to 64 characters). */
  'etcd.put': {
    member: string;
    key: string;
    value: string;
    valueBytes: number;
    revision: number;
    sub: number;
    createRevision: number;
    version: number;
    lease: number;
  };
  /** A key was deleted at `{revision, sub}` (a tombstone row; the key's lease lets go of it). */
  'etcd.delete': { member: string; key: string; revision: number; sub: number };
  /** A txn ran: which branch, its ops, and the revision it ended at (`changes` rows written). */
  'etcd.txn': { member: string; succeeded: boolean; compares: number; ops: number; changes: number; revision: number };
  /** A `get` (the ranges inside a txn are not emitted one by one). */
  'etcd.range': {
    member: string;
    key: string;
    rangeEnd: string;
    atRevision: number;
    revision: number;
    count: number;
    returned: number;
    more: boolean;
  };
  /** The history up to `revision` was compacted; `removed` rows went. */
  'etcd.compact': { member: string; revision: number; prevCompactRevision: number; removed: number };
  /** A request was rejected with etcd's error text; nothing changed. */
  'etcd.error': { member: string; method: EtcdMethod; error: string };
  /** A lease was granted; it expires at `expiresAtMs` unless kept alive. */
  'etcd.leaseGrant': { member: string; id: number; ttl: number; expiresAtMs: number };
  /** A lease was revoked (`expired`: by the expiry check) and its keys deleted at `revision`. */
  'etcd.leaseRevoke': { member: string; id: number; keys: string[]; revision: number; expired: boolean };
  /** The expiry check found a lease past its expiry; a revoke follows. */
  'etcd.leaseExpire': { member: string; id: number; expiredAtMs: number };
  /** A lease was renewed to its full TTL. */
  'etcd.leaseKeepAlive': { member: string; id: number; ttl: number; expiresAtMs: number };
  /** A watch was created (`synced`: it starts after the current revision, so no history to read). */
  'etcd.watch': {
    member: string;
    watchId: number;
    key: string;
    rangeEnd: string;
    startRevision: number;
    prevKv: boolean;
    progressNotify: boolean;
    synced: boolean;
  };
  /** The server sent a watch its events (`revision`: the header's; `keys` as `TYPE key@rev`, at most 20). */
  'etcd.watchEvent': { member: string; watchId: number; revision: number; events: number; keys: string[]; fromHistory: boolean };
  /** A watch ended. */
  'etcd.watchCancel': { member: string; watchId: number; reason: WatchCancelReason; compactRevision: number };
  /** A progress notification: the watch has seen everything up to `revision` (watchId -1: all). */
  'etcd.progress': { member: string; watchId: number; revision: number };
  /** A log line (e.g. a watch handler threw). */
  'etcd.log': { member: string; level: 'info' | 'warning' | 'error'; message: string };
};

export type EtcdEventType = keyof EtcdEventMap;
/** Any etcd event, discriminated by `type`. */
export type EtcdEvent = AnyEventOf<EtcdEventMap>;
export type EtcdEventOf<K extends EtcdEventType> = EventOf<EtcdEventMap, K>;

const txnGo = (symbol: string) => ({ file: 'server/storage/mvcc/kvstore_txn.go', symbol });
/** A key as text: quoted when it holds control characters (e.g. "\u0000", the smallest key). */
const show = (k: string) => (/[\x00-\x1f]/.test(k) ? JSON.stringify(k) : k);
const rangeText = (key: string, rangeEnd: string) => (rangeEnd === '' ? show(key) : rangeEnd === '\0' ? `${show(key)}..` : `[${show(key)}, ${show(rangeEnd)})`);

export const etcdEvents = defineEvents<EtcdEventMap>(
  'etcd',
  { name: 'etcd', tag: ETCD_TAG, blobUrl: `https://github.com/etcd-io/etcd/blob/${ETCD_TAG}/` },
  {
    'etcd.put': {
      text: (e) => `put ${show(e.key)} = ${JSON.stringify(e.value)}${e.valueBytes > byteLength(e.value) ? '…' : ''} @${e.revision}${e.sub ? `.${e.sub}` : ''} (create ${e.createRevision}, version ${e.version}${e.lease ? `, lease ${e.lease.toString(16)}` : ''})`,
      source: txnGo('storeTxnWrite.put'),
    },
    'etcd.delete': { text: (e) => `delete ${show(e.key)} @${e.revision}${e.sub ? `.${e.sub}` : ''}`, source: txnGo('storeTxnWrite.delete') },
    'etcd.txn': {
      text: (e) => `txn ${e.succeeded ? 'succeeded' : 'failed'} (${e.compares} compares, ${e.ops} ops, ${e.changes} changes) -> revision ${e.revision}`,
      source: { file: 'server/etcdserver/txn/txn.go', symbol: 'Txn' },
    },
    'etcd.range': {
      text: (e) => `get ${rangeText(e.key, e.rangeEnd)}${e.atRevision ? ` at ${e.atRevision}` : ''} -> ${e.returned} of ${e.count}${e.more ? ' (more)' : ''} @${e.revision}`,
      source: { file: 'server/etcdserver/txn/txn.go', symbol: 'executeRange' },
    },
    'etcd.compact': {
      text: (e) => `compact at ${e.revision} (was ${e.prevCompactRevision}; ${e.removed} rows removed)`,
      source: { file: 'server/storage/mvcc/kvstore_compaction.go', symbol: 'store.scheduleCompaction' },
    },
    'etcd.error': { text: (e) => `${e.method}: ${e.error}`, source: { file: 'server/etcdserver/api/v3rpc/util.go', symbol: 'togRPCError' } },
    'etcd.leaseGrant': {
      text: (e) => `lease ${e.id.toString(16)} granted with TTL ${e.ttl}s (expires at ${formatMs(e.expiresAtMs)})`,
      source: { file: 'server/lease/lessor.go', symbol: 'lessor.Grant' },
    },
    'etcd.leaseRevoke': {
      text: (e) => `lease ${e.id.toString(16)} ${e.expired ? 'expired and was revoked' : 'revoked'}${e.keys.length ? `, deleting ${e.keys.join(', ')} @${e.revision}` : ''}`,
      source: { file: 'server/lease/lessor.go', symbol: 'lessor.Revoke' },
    },
    'etcd.leaseExpire': {
      text: (e) => `lease ${e.id.toString(16)} expired at ${formatMs(e.expiredAtMs)}`,
      source: { file: 'server/lease/lessor.go', symbol: 'lessor.revokeExpiredLeases' },
    },
    'etcd.leaseKeepAlive': {
      text: (e) => `lease ${e.id.toString(16)} kept alive, TTL ${e.ttl}s (expires at ${formatMs(e.expiresAtMs)})`,
      source: { file: 'server/lease/lessor.go', symbol: 'lessor.Renew' },
    },
    'etcd.watch': {
      text: (e) => `watch ${e.watchId} on ${rangeText(e.key, e.rangeEnd)} from ${e.startRevision || 'now'}${e.synced ? '' : ' (unsynced)'}${e.prevKv ? ' with prevKv' : ''}`,
      source: { file: 'server/storage/mvcc/watchable_store.go', symbol: 'watchableStore.watch' },
    },
    'etcd.watchEvent': {
      text: (e) => `watch ${e.watchId} <- ${e.events} event${e.events === 1 ? '' : 's'} @${e.revision}: ${e.keys.join(', ')}`,
      source: (e) => ({ file: 'server/storage/mvcc/watchable_store.go', symbol: e.fromHistory ? 'watchableStore.syncWatchers' : 'watchableStore.notify' }),
    },
    'etcd.watchCancel': {
      text: (e) => `watch ${e.watchId} ${e.reason === 'compacted' ? `cancelled: compacted at ${e.compactRevision}` : e.reason === 'rangeEmpty' ? 'refused: watcher range is empty' : 'cancelled'}`,
      source: (e) =>
        e.reason === 'compacted'
          ? { file: 'server/storage/mvcc/watcher_group.go', symbol: 'watcherGroup.chooseAll' }
          : { file: 'server/storage/mvcc/watcher.go', symbol: e.reason === 'rangeEmpty' ? 'watchStream.Watch' : 'watchStream.Cancel' },
    },
    'etcd.progress': {
      text: (e) => `watch ${e.watchId === -1 ? '(all)' : e.watchId} progress @${e.revision}`,
      source: { file: 'server/storage/mvcc/watchable_store.go', symbol: 'watchableStore.progressIfSync' },
    },
    'etcd.log': { text: (e) => e.message },
  },
);
