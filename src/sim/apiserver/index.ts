/**
 * The API server model (kube-apiserver at v1.34 over etcd) and its event catalogs. See README.md
 * in this folder for the upstream files, the Go -> TS names and the divergences.
 */
export { ApiServer, newApiServer, defaultCompactionIntervalMs, defaultMinRequestTimeoutSeconds, type ApiServerConfig, type ApiResponse, type ContainerLogRequest, type KubeletConnection } from './apiserver';
export {
  APISERVER_TAG,
  apiserverEvents,
  clientEvents,
  type ApiServerEvent,
  type ApiServerEventMap,
  type ApiServerEventOf,
  type ApiServerEventType,
  type ClientEvent,
  type ClientEventMap,
  type ClientEventType,
  type ListSource,
  type WatchEndReason as ApiServerWatchEndReason,
  type WatchSource,
} from './events';
export { encodeContinue, decodeContinue } from './storage/continue';
export { checkWatchCacheInvariants } from './invariants';
export type { WatchCacheSnapshot } from './cacher/watch_cache';
export type { EtcdClient } from './storage/etcd_client';
