/**
 * The public shapes of the etcd model: clientv3's requests and responses (client/v3 kv.go, op.go,
 * compare.go, txn.go, watch.go, lease.go at v3.6.0) as plain data, with Go's field names in
 * camelCase (`create_revision` -> `createRevision`). Keys and values are strings (UTF-8 on the
 * wire); revisions, versions, lease IDs and TTLs are numbers.
 */
import type { EnvConfig } from '../core/env';

/** Go: etcdserverpb.ResponseHeader. Responses nested in a txn carry only `revision` (the rest 0). */
export interface ResponseHeader {
  clusterId: number;
  memberId: number;
  /** The store revision when the request was served. */
  revision: number;
  raftTerm: number;
}

/** Go: mvccpb.KeyValue. */
export interface KeyValue {
  key: string;
  /** The revision of the key's last creation. */
  createRevision: number;
  /** The revision of the key's last change. */
  modRevision: number;
  /** Puts since the key was (re)created; 1 after its creation. */
  version: number;
  /** Empty with `keysOnly`. */
  value: string;
  /** The attached lease (0: none). */
  lease: number;
}

/** Go: etcdserverpb.RangeRequest_SortOrder. */
export type SortOrder = 'NONE' | 'ASCEND' | 'DESCEND';
/** Go: etcdserverpb.RangeRequest_SortTarget (clientv3: SortByKey, SortByVersion, ...). */
export type SortTarget = 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';

/** Which keys an operation covers (clientv3: WithPrefix, WithRange, WithFromKey). */
export interface RangeOptions {
  /** Every key that starts with `key` (clientv3.WithPrefix). */
  prefix?: boolean;
  /** Keys in `[key, rangeEnd)`; `'\0'` means every key from `key` on (clientv3.WithRange). */
  rangeEnd?: string;
  /** Every key from `key` on (clientv3.WithFromKey). */
  fromKey?: boolean;
}

/** Options of `get` (clientv3.OpGet's options). */
export interface GetOptions extends RangeOptions {
  /** Read the store as it was at this revision (0: now). */
  revision?: number;
  /** At most this many keys; `more` says whether there were more (0: no limit). */
  limit?: number;
  /** Leave the values out. */
  keysOnly?: boolean;
  /** Only `count`, no kvs. */
  countOnly?: boolean;
  /** Serve from the local member without a quorum read (clientv3.WithSerializable). */
  serializable?: boolean;
  sortTarget?: SortTarget;
  sortOrder?: SortOrder;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

/** Options of `put` (clientv3.OpPut's options). */
export interface PutOptions {
  /** Attach the key to this lease (0: none). */
  lease?: number;
  /** Return the key-value before the put. */
  prevKv?: boolean;
  /** Keep the current value (the key must exist; give no value). */
  ignoreValue?: boolean;
  /** Keep the current lease (the key must exist; give no lease). */
  ignoreLease?: boolean;
}

/** Options of `delete` (clientv3.OpDelete's options). */
export interface DeleteOptions extends RangeOptions {
  /** Return the deleted key-values. */
  prevKv?: boolean;
}

/** Go: clientv3.GetResponse (etcdserverpb.RangeResponse). */
export interface GetResponse {
  header: ResponseHeader;
  kvs: KeyValue[];
  /** Whether `limit` left keys out. */
  more: boolean;
  /** How many keys the range holds (regardless of `limit`). */
  count: number;
}

/** Go: clientv3.PutResponse. */
export interface PutResponse {
  header: ResponseHeader;
  /** The key-value before the put, with `prevKv` (absent when the key did not exist). */
  prevKv?: KeyValue;
}

/** Go: clientv3.DeleteResponse. */
export interface DeleteResponse {
  header: ResponseHeader;
  /** How many keys were deleted. */
  deleted: number;
  /** The deleted key-values, with `prevKv`. */
  prevKvs: KeyValue[];
}

/** Go: clientv3.CompactResponse. */
export interface CompactResponse {
  header: ResponseHeader;
}

/** What a compare looks at (Go: etcdserverpb.Compare_CompareTarget). */
export type CompareTarget = 'VALUE' | 'VERSION' | 'CREATE' | 'MOD' | 'LEASE';
/** Go: clientv3.Compare's result argument. */
export type CompareResult = '=' | '!=' | '<' | '>';

/**
 * One condition of a txn (clientv3: `Compare(ModRevision("k"), "=", 5)`). `value` is a string for
 * VALUE and a number otherwise. A key that does not exist has version, create and mod revision
 * and lease 0, and fails every VALUE compare. With a range, every key in it must pass.
 */
export interface Compare extends RangeOptions {
  key: string;
  target: CompareTarget;
  result: CompareResult;
  value: string | number;
}

/** One operation of a txn (clientv3.OpGet / OpPut / OpDelete / OpTxn). */
export type Op =
  | { get: { key: string } & GetOptions }
  | { put: { key: string; value?: string } & PutOptions }
  | { delete: { key: string } & DeleteOptions }
  | { txn: TxnRequest };

/** `If(compare...).Then(success...).Else(failure...)`. */
export interface TxnRequest {
  compare?: Compare[];
  success?: Op[];
  failure?: Op[];
}

/** One response of a txn, in the order of its ops (Go: etcdserverpb.ResponseOp). */
export type ResponseOp =
  | { responseRange: GetResponse }
  | { responsePut: PutResponse }
  | { responseDeleteRange: DeleteResponse }
  | { responseTxn: TxnResponse };

/** Go: clientv3.TxnResponse. */
export interface TxnResponse {
  header: ResponseHeader;
  /** Whether every compare held (then `success` ran, else `failure`). */
  succeeded: boolean;
  responses: ResponseOp[];
}

/** Go: clientv3.LeaseGrantResponse. */
export interface LeaseGrantResponse {
  header: ResponseHeader;
  /** The lease ID. */
  id: number;
  /** The TTL granted, in seconds (at least the minimum TTL). */
  ttl: number;
}

/** Go: clientv3.LeaseRevokeResponse. */
export interface LeaseRevokeResponse {
  header: ResponseHeader;
}

/** Go: clientv3.LeaseKeepAliveResponse. */
export interface LeaseKeepAliveResponse {
  header: ResponseHeader;
  id: number;
  /** The TTL the lease was renewed to, in seconds. */
  ttl: number;
}

/** Go: clientv3.LeaseTimeToLiveResponse. */
export interface LeaseTimeToLiveResponse {
  header: ResponseHeader;
  id: number;
  /** Seconds left, truncated (-1: no such lease). */
  ttl: number;
  /** The TTL the lease was granted with (0: no such lease). */
  grantedTtl: number;
  /** The attached keys, with `{ keys: true }`. */
  keys: string[];
}

/** Go: clientv3.LeaseLeasesResponse. */
export interface LeaseLeasesResponse {
  header: ResponseHeader;
  leases: Array<{ id: number }>;
}

/** Options of `watch` (clientv3.Watch's options). */
export interface WatchOptions extends RangeOptions {
  /** The first revision to deliver (0: the next change). */
  startRevision?: number;
  /** Attach the previous key-value to each event. */
  prevKv?: boolean;
  /** Send a progress notification after ~10 min without events (clientv3.WithProgressNotify). */
  progressNotify?: boolean;
  /** Deliver the creation response too (clientv3.WithCreatedNotify). */
  createdNotify?: boolean;
  /** Leave PUT events out (clientv3.WithFilterPut). */
  filterPut?: boolean;
  /** Leave DELETE events out (clientv3.WithFilterDelete). */
  filterDelete?: boolean;
}

/** Go: clientv3.Event (mvccpb.Event). */
export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  /** For a DELETE, only `key` and `modRevision` (the deletion's revision) are set. */
  kv: KeyValue;
  /** With `prevKv`: the key-value before this event (absent on a creation). */
  prevKv?: KeyValue;
}

/** Go: clientv3.WatchResponse, plus the gRPC response's `watchId`. */
export interface WatchResponse {
  header: ResponseHeader;
  watchId: number;
  events: WatchEvent[];
  /** Set when the watch was cancelled because its start revision has been compacted. */
  compactRevision: number;
  /** The watch failed; no more responses follow. */
  canceled: boolean;
  /** The creation response (delivered only with `createdNotify`). */
  created: boolean;
  /** Why the server cancelled the watch. */
  cancelReason: string;
  /** clientv3's `IsProgressNotify()`: no events, not created, not cancelled. */
  progressNotify: boolean;
  /** clientv3's `Err()`: e.g. `ErrCompacted` after a compaction. */
  err?: Error;
}

/** Receives a watch's responses in order; a returned promise delays the next response. */
export type WatchHandler = (resp: WatchResponse) => void | Promise<void>;

/** Stops a watch (no response is delivered after it). */
export type WatchCancel = () => void;

/** Configuration of `newEtcd`. */
export interface EtcdConfig extends EnvConfig {
  /** The member's name (default `default`, as etcd's --name). */
  name?: string;
  /** The member ID (default 1); its low 16 bits prefix every lease ID, as etcd's idutil does. */
  memberId?: number;
  /** The cluster ID in response headers (default 1). */
  clusterId?: number;
  /** etcd's --heartbeat-interval in ms (default 100). */
  heartbeatIntervalMs?: number;
  /** etcd's --election-timeout in ms (default 1000); the minimum lease TTL follows from both. */
  electionTimeoutMs?: number;
  /** etcd's --experimental-watch-progress-notify-interval (default 10 min, at least 100 ms). */
  watchProgressNotifyIntervalMs?: number;
  /** etcd's --max-txn-ops (default 128). */
  maxTxnOps?: number;
  /** etcd's --max-request-bytes (default 1.5 MiB). */
  maxRequestBytes?: number;
  /**
   * Set when this store is one member of a replicated cluster (src/sim/etcdserver): headers carry
   * `raftTerm()`, and expired leases go to `onExpiredLeases` (which proposes their revoke through
   * raft) instead of being revoked here.
   */
  replicated?: { raftTerm: () => number; onExpiredLeases: (ids: number[]) => void };
}

/** The keyspace and leases at one moment, for views and tests. */
export interface EtcdSnapshot {
  revision: number;
  /** The last compaction revision (-1: never). */
  compactRevision: number;
  /** The live keys at `revision`, in key order. */
  kvs: KeyValue[];
  /** Every key index: its generations, oldest first, as `{ created, version, revs: ['main.sub' | 'main.sub(t)'] }`. */
  index: Array<{ key: string; generations: Array<{ created: number; version: number; revs: string[] }> }>;
  leases: Array<{ id: number; ttl: number; remainingMs: number; keys: string[] }>;
  watchers: Array<{ watchId: number; key: string; rangeEnd: string; synced: boolean; minRevision: number }>;
}

/**
 * One committed write, as plain data: every key it put or deleted, in sub-revision order, at one
 * revision. What `onCommit` reports; applying the same changes as one txn to an etcd at the
 * previous revision gives the same revision, create/mod revisions and versions (leases aside).
 */
export interface EtcdChange {
  revision: number;
  ops: Array<{ type: 'put'; key: string; value: string; lease: number } | { type: 'delete'; key: string }>;
}
