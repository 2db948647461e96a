/**
 * What a member proposes through raft: etcd's InternalRaftRequest (api/etcdserverpb/raft_internal.proto),
 * one request with its ID, here as JSON of the client-level call (the keys and options clientv3
 * would have built the protobuf from). `applyRequest` applies it to a member's store as
 * apply/apply.go (applierV3backend) does, through the single-member store's own calls.
 */
import type { Etcd } from '../etcd/etcd';
import type { DeleteOptions, PutOptions, TxnRequest } from '../etcd/types';

export type InternalRaftRequest = { header: { id: number } } & (
  | { put: { key: string; value: string; opts: PutOptions } }
  | { deleteRange: { key: string; opts: DeleteOptions } }
  | { txn: TxnRequest }
  | { compaction: { revision: number; physical: boolean } }
  | { leaseGrant: { id: number; ttl: number } }
  | { leaseRevoke: { id: number } }
);

/** The request's kind, for traces and status lines. */
export function requestKind(r: InternalRaftRequest): string {
  if ('put' in r) return 'put';
  if ('deleteRange' in r) return 'deleteRange';
  if ('txn' in r) return 'txn';
  if ('compaction' in r) return 'compaction';
  if ('leaseGrant' in r) return 'leaseGrant';
  return 'leaseRevoke';
}

/** Applies one committed request; the promise is already settled when this returns. */
// Upstream: server/etcdserver/apply/apply.go (applierV3backend.Apply: Put, DeleteRange, Txn, Compaction, LeaseGrant, LeaseRevoke)
export function applyRequest(store: Etcd, r: InternalRaftRequest): Promise<unknown> {
  if ('put' in r) return store.put(r.put.key, r.put.value, r.put.opts);
  if ('deleteRange' in r) return store.delete(r.deleteRange.key, r.deleteRange.opts);
  if ('txn' in r) return store.txn(r.txn);
  if ('compaction' in r) return store.compact(r.compaction.revision, { physical: r.compaction.physical });
  if ('leaseGrant' in r) return store.leaseGrant(r.leaseGrant.ttl, { id: r.leaseGrant.id });
  return store.leaseRevoke(r.leaseRevoke.id);
}

/** Whether a txn only reads (it is then served as a range, not through raft). Upstream: v3rpc/key.go, txn.go (IsTxnReadonly) */
export function isReadonlyTxn(t: TxnRequest): boolean {
  const ops = [...(t.success ?? []), ...(t.failure ?? [])];
  return ops.every((op) => 'get' in op || ('txn' in op && isReadonlyTxn(op.txn)));
}

/** Whether a read-only txn asks only for serializable reads. Upstream: txn.go (IsTxnSerializable) */
export function isSerializableTxn(t: TxnRequest): boolean {
  const ops = [...(t.success ?? []), ...(t.failure ?? [])];
  return ops.every((op) => ('get' in op ? !!op.get.serializable : 'txn' in op ? isSerializableTxn(op.txn) : true));
}
