/**
 * The trace events of the replicated etcd's server side (etcd v3.6.0 server/etcdserver): a
 * request proposed through raft and its answer, the ReadIndex of a linearizable read, the
 * lessor changing hands, expired leases revoked by the leader. The store's own events
 * (`etcd.put`, `etcd.leaseGrant`, ...) come from each member's MVCC store, tagged with its name.
 */
import { defineEvents, type AnyEventOf, type EventOf } from '../core/events';
import { formatMs } from '../core/format';

export const ETCDSERVER_TAG = 'v3.6.0';

export type EtcdServerEventMap = {
  /** Member `member` proposed request `id` through raft (raft forwards it when this member follows). */
  'etcdserver.propose': { member: string; id: number; kind: string; waitingForLeader: boolean };
  /** The request was answered: applied here (`error` empty unless the apply failed), or it failed before (timeout, dropped, stopped). */
  'etcdserver.respond': { member: string; id: number; kind: string; error: string; tookMs: number };
  /** A linearizable read: the read index was confirmed (`index`), and the member waits to apply up to it. */
  'etcdserver.readIndex': { member: string; requestId: string; index: number; applied: number };
  /** The lessor became primary (this member leads and applied its term's first entry) or stopped being it. */
  'etcdserver.lessor': { member: string; action: 'promote' | 'demote'; extendMs: number };
  /** The leader's lessor found expired leases and proposes their revoke. */
  'etcdserver.revokeExpired': { member: string; ids: number[] };
};

export type EtcdServerEvent = AnyEventOf<EtcdServerEventMap>;
export type EtcdServerEventOf<K extends keyof EtcdServerEventMap & string> = EventOf<EtcdServerEventMap, K>;

export const etcdServerEvents = defineEvents<EtcdServerEventMap>(
  'etcdserver',
  { name: 'etcd', tag: ETCDSERVER_TAG, blobUrl: `https://github.com/etcd-io/etcd/blob/${ETCDSERVER_TAG}/` },
  {
    'etcdserver.propose': {
      text: (e) => `${e.member}: propose ${e.kind} #${e.id.toString(16)}${e.waitingForLeader ? ' (waiting for a leader)' : ''}`,
      source: { file: 'server/etcdserver/v3_server.go', symbol: 'EtcdServer.processInternalRaftRequestOnce' },
    },
    'etcdserver.respond': {
      text: (e) => `${e.member}: ${e.kind} #${e.id.toString(16)} ${e.error ? `failed: ${e.error}` : 'applied'} after ${formatMs(e.tookMs)}`,
      source: { file: 'server/etcdserver/v3_server.go', symbol: 'EtcdServer.processInternalRaftRequestOnce' },
    },
    'etcdserver.readIndex': {
      text: (e) => `${e.member}: read index ${e.index} confirmed (applied ${e.applied})`,
      source: { file: 'server/etcdserver/v3_server.go', symbol: 'EtcdServer.linearizableReadLoop' },
    },
    'etcdserver.lessor': {
      text: (e) => `${e.member}: lessor ${e.action === 'promote' ? `promoted (leases extended by ${formatMs(e.extendMs)})` : 'demoted (no expiry here)'}`,
      source: (e) => (e.action === 'promote' ? { file: 'server/etcdserver/server.go', symbol: 'EtcdServer.applyEntryNormal' } : { file: 'server/etcdserver/server.go', symbol: 'EtcdServer.run' }),
    },
    'etcdserver.revokeExpired': {
      text: (e) => `${e.member}: revoke expired lease(s) ${e.ids.map((id) => id.toString(16)).join(', ')} through raft`,
      source: { file: 'server/etcdserver/server.go', symbol: 'EtcdServer.revokeExpiredLeases' },
    },
  },
);
