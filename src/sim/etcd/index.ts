/**
 * The etcd model (etcd v3.6.0's mvcc store, lessor and watch, behind clientv3's calls): the
 * public names. See README.md in this folder for the upstream files, the Go -> TS names and the
 * divergences.
 */
// Exported with an Etcd prefix: GetOptions, DeleteOptions, WatchEvent... also name Kubernetes types.
export type {
  Compare as EtcdCompare,
  CompareResult as EtcdCompareResult,
  CompareTarget as EtcdCompareTarget,
  CompactResponse as EtcdCompactResponse,
  DeleteOptions as EtcdDeleteOptions,
  DeleteResponse as EtcdDeleteResponse,
  EtcdChange,
  EtcdConfig,
  EtcdSnapshot,
  GetOptions as EtcdGetOptions,
  GetResponse as EtcdGetResponse,
  KeyValue as EtcdKeyValue,
  LeaseGrantResponse as EtcdLeaseGrantResponse,
  LeaseKeepAliveResponse as EtcdLeaseKeepAliveResponse,
  LeaseLeasesResponse as EtcdLeaseLeasesResponse,
  LeaseRevokeResponse as EtcdLeaseRevokeResponse,
  LeaseTimeToLiveResponse as EtcdLeaseTimeToLiveResponse,
  Op as EtcdOp,
  PutOptions as EtcdPutOptions,
  PutResponse as EtcdPutResponse,
  RangeOptions as EtcdRangeOptions,
  ResponseHeader as EtcdResponseHeader,
  ResponseOp as EtcdResponseOp,
  SortOrder as EtcdSortOrder,
  SortTarget as EtcdSortTarget,
  TxnRequest as EtcdTxnRequest,
  TxnResponse as EtcdTxnResponse,
  WatchCancel as EtcdWatchCancel,
  WatchEvent as EtcdWatchEvent,
  WatchHandler as EtcdWatchHandler,
  WatchOptions as EtcdWatchOptions,
  WatchResponse as EtcdWatchResponse,
} from './types';
export { newEtcd, Etcd, DEFAULT_MAX_TXN_OPS, getPrefixRangeEnd } from './etcd';
export { EtcdError, isEtcdError, rpctypes, GRPC_CODES, type EtcdErrorSpec, type GrpcCode, type RpcErrorName } from './errors';
export { MAX_LEASE_TTL } from './lessor';
export { etcdEvents, ETCD_TAG, type EtcdEvent, type EtcdEventMap, type EtcdEventOf, type EtcdEventType } from './events';
export { replayEtcd, newEtcdReplayer, etcdReducer, etcdKeyspace, type EtcdKeyspace, type EtcdReplayState, type ReplayedKeyValue } from './replay';
