/** etcd replicated on raft (etcd v3.6.0's EtcdServer over etcd-io/raft): see README.md in this folder. */
export { newEtcdCluster, EtcdCluster, ETCD_VERSION, type EtcdClusterConfig } from './cluster';
export { EtcdClusterClient, type ClientOptions as EtcdClusterClientOptions, type MemberInfo as EtcdMemberInfo, type MemberListResponse as EtcdMemberListResponse, type StatusResponse as EtcdStatusResponse, type MoveLeaderResponse as EtcdMoveLeaderResponse, type MemberChangeResponse as EtcdMemberChangeResponse } from './client';
export { EtcdMember, READ_INDEX_RETRY_MS } from './member';
export { serverErrors as etcdServerErrors } from './errors';
export { type InternalRaftRequest } from './request';
export { etcdServerEvents, type EtcdServerEvent, type EtcdServerEventMap, type EtcdServerEventOf } from './events';
