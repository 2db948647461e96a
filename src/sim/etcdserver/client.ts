/**
 * A clientv3 client of the replicated cluster: every call goes to one member, chosen round robin
 * among the endpoints whose connection is up (gRPC's round_robin balancer skips a member that is
 * down); a call that only reads and fails Unavailable (timed out, leader changed, the member stopped) is
 * retried on the next endpoint after 25 ms, as clientv3's retry interceptor does for immutable
 * RPCs (100 times by default); writes are not retried. Watches are served by the member the watch went to.
 * Upstream: client/v3/client.go (Client, dialWithBalancer), retry_interceptor.go
 * (unaryClientInterceptor, isSafeRetry), retry.go (isSafeRetryImmutableRPC), options.go
 * (defaultBackoffWaitBetween), kv.go, lease.go, maintenance.go (Status, MoveLeader), cluster.go (MemberList).
 */
import { EtcdError, togRPCError } from '../etcd/errors';
import type {
  CompactResponse,
  DeleteOptions,
  DeleteResponse,
  GetOptions,
  GetResponse,
  LeaseGrantResponse,
  LeaseKeepAliveResponse,
  LeaseRevokeResponse,
  LeaseTimeToLiveResponse,
  PutOptions,
  PutResponse,
  ResponseHeader,
  TxnRequest,
  TxnResponse,
  WatchCancel,
  WatchHandler,
  WatchOptions,
} from '../etcd/types';
import { LeaseError, leaseErrors } from '../etcd/errors';
import type { EtcdCluster } from './cluster';
import { serverError, serverErrors } from './errors';
import type { EtcdMember } from './member';
import { isReadonlyTxn, isSerializableTxn } from './request';

/** Upstream: client/v3/options.go (defaultBackoffWaitBetween, defaultUnaryMaxRetries). */
const RETRY_BACKOFF_MS = 25;
export const DEFAULT_UNARY_MAX_RETRIES = 100;

/** `etcdctl member list` fields. Upstream: etcdserverpb.Member, etcdctl printer (MemberList) */
export interface MemberInfo {
  id: number;
  /** The ID as etcdctl prints it (hex). */
  idHex: string;
  /** `started`, or `unstarted` for a member added and not yet running (no name yet). */
  status: 'started' | 'unstarted';
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

export interface MemberListResponse {
  header: ResponseHeader;
  members: MemberInfo[];
}

/** `etcdctl endpoint status` fields. Upstream: etcdserverpb.StatusResponse, maintenance.go (Status) */
export interface StatusResponse {
  header: ResponseHeader;
  version: string;
  dbSize: number;
  dbSizeInUse: number;
  leader: number;
  isLearner: boolean;
  raftIndex: number;
  raftTerm: number;
  raftAppliedIndex: number;
  errors: string[];
}

/** Upstream: etcdserverpb.MemberAddResponse / MemberRemoveResponse / MemberPromoteResponse */
export interface MemberChangeResponse {
  header: ResponseHeader;
  /** The member added (MemberAdd only). */
  member?: MemberInfo;
  /** The members after the change, as the answering member applied it. */
  members: MemberInfo[];
}

export interface MoveLeaderResponse {
  header: ResponseHeader;
}

export interface ClientOptions {
  /** One member to talk to. */
  endpoint?: number;
  /** The members to talk to (default: every member). */
  endpoints?: number[];
  /** Retries of a read that failed Unavailable (clientv3 WithMax; default 100). */
  maxRetries?: number;
}

// Upstream: client/v3/client.go (Client: KV, Lease, Watcher, Cluster, Maintenance)
export class EtcdClusterClient {
  readonly endpoints: readonly number[];
  readonly maxRetries: number;
  readonly #cluster: EtcdCluster;
  #next = 0;
  #watchMember: EtcdMember | undefined;

  constructor(cluster: EtcdCluster, opts: ClientOptions = {}) {
    this.#cluster = cluster;
    this.endpoints = opts.endpoints ?? (opts.endpoint !== undefined ? [opts.endpoint] : cluster.members());
    if (this.endpoints.length === 0) throw serverError(serverErrors.ErrNoAvailableEndpoints);
    this.maxRetries = opts.maxRetries ?? DEFAULT_UNARY_MAX_RETRIES;
  }

  // Upstream: client/v3/kv.go (Put)
  put(key: string, value: string, opts: PutOptions = {}): Promise<PutResponse> {
    return this.#unary(false, (m) => this.#write(m, () => m.raftRequest<PutResponse>({ put: { key, value, opts } })));
  }

  // Upstream: client/v3/kv.go (Get); server: v3_server.go (Range: linearizableReadNotify unless serializable)
  get(key: string, opts: GetOptions = {}): Promise<GetResponse> {
    return this.#unary(true, async (m) => {
      if (!opts.serializable) await this.#linearizable(m);
      return m.store.get(key, { ...opts, serializable: true });
    });
  }

  // Upstream: client/v3/kv.go (Delete)
  delete(key: string, opts: DeleteOptions = {}): Promise<DeleteResponse> {
    return this.#unary(false, (m) => this.#write(m, () => m.raftRequest<DeleteResponse>({ deleteRange: { key, opts } })));
  }

  // Upstream: client/v3/txn.go (Commit); server: v3_server.go (Txn: a read-only txn is served like a range)
  txn(req: TxnRequest): Promise<TxnResponse> {
    if (req !== null && typeof req === 'object' && isReadonlyTxn(req)) {
      return this.#unary(true, async (m) => {
        if (!isSerializableTxn(req)) await this.#linearizable(m);
        return m.store.txn(req);
      });
    }
    return this.#unary(false, (m) => this.#write(m, () => m.raftRequest<TxnResponse>({ txn: req })));
  }

  // Upstream: client/v3/kv.go (Compact); server: v3_server.go (Compact)
  compact(revision: number, opts: { physical?: boolean } = {}): Promise<CompactResponse> {
    return this.#unary(false, (m) => this.#write(m, () => m.raftRequest<CompactResponse>({ compaction: { revision, physical: !!opts.physical } })));
  }

  /**
   * Watches on one member's store; when that member goes down (or its store is replaced by a
   * snapshot) the watch resumes on the next endpoint from the revision after the last event seen.
   */
  // Upstream: client/v3/watch.go (Watch, watchGrpcStream.serveSubstream: nextRev, resume on a new stream)
  watch(key: string, opts: WatchOptions, handler: WatchHandler): WatchCancel {
    if (typeof opts === 'function' && handler === undefined) {
      handler = opts as unknown as WatchHandler;
      opts = {};
    }
    const clock = this.#cluster.clock;
    let nextRev = opts?.startRevision ?? 0;
    let cancelled = false;
    let cancel: WatchCancel | undefined;
    let off: (() => void) | undefined;
    const open = () => {
      if (cancelled) return;
      const m = this.#pick();
      if (!m) {
        clock.afterFunc(RETRY_BACKOFF_MS, open);
        return;
      }
      this.#watchMember = m;
      cancel = m.store.watch(key, { ...opts, startRevision: nextRev }, (resp) => {
        if (resp.events.length > 0) nextRev = resp.events[resp.events.length - 1].kv.modRevision + 1;
        return handler(resp);
      });
      off = m.onStoreLost(() => {
        cancel = undefined;
        clock.afterFunc(RETRY_BACKOFF_MS, open);
      });
    };
    if (!this.#pick()) throw serverError(serverErrors.ErrNoAvailableEndpoints);
    open();
    return () => {
      cancelled = true;
      off?.();
      cancel?.();
    };
  }

  // Upstream: client/v3/watch.go (RequestProgress): on the watch stream's member
  requestProgress(): Promise<void> {
    const m = this.#watchMember ?? this.#pick();
    return m ? m.store.requestProgress() : Promise.reject(serverError(serverErrors.ErrNoAvailableEndpoints));
  }

  // Upstream: client/v3/lease.go (Grant); v3_server.go (LeaseGrant: the ID is chosen before proposing)
  leaseGrant(ttlSec: number, opts: { id?: number } = {}): Promise<LeaseGrantResponse> {
    return this.#unary(false, (m) => {
      let id = opts.id ?? 0;
      while (id === 0) id = m.nextId();
      return this.#write(m, () => m.raftRequest<LeaseGrantResponse>({ leaseGrant: { id, ttl: ttlSec } }));
    });
  }

  // Upstream: client/v3/lease.go (Revoke); v3_server.go (LeaseRevoke)
  leaseRevoke(id: number): Promise<LeaseRevokeResponse> {
    return this.#unary(false, (m) => this.#write(m, () => m.raftRequest<LeaseRevokeResponse>({ leaseRevoke: { id } })));
  }

  // Upstream: client/v3/lease.go (KeepAliveOnce); v3_server.go (LeaseRenew: answered by the leader's primary lessor)
  leaseKeepAlive(id: number): Promise<LeaseKeepAliveResponse> {
    return this.#unary(false, (m) => m.onLeader((l) => l.store.leaseKeepAlive(id), notPrimary));
  }

  // Upstream: client/v3/lease.go (TimeToLive); v3_server.go (LeaseTimeToLive: the leader knows the expiry)
  leaseTimeToLive(id: number, opts: { keys?: boolean } = {}): Promise<LeaseTimeToLiveResponse> {
    return this.#unary(true, (m) => m.onLeader((l) => l.store.leaseTimeToLive(id, opts), notPrimary));
  }

  // Upstream: client/v3/cluster.go (MemberList); server: api/v3rpc/member.go (MemberList)
  memberList(): Promise<MemberListResponse> {
    return this.#unary(true, async (m) => ({ header: this.#header(m), members: this.#cluster.memberInfos(m.id) }));
  }

  /** Adds member `id` (a learner with `{ learner: true }`); answered once the conf change is applied here. Upstream: cluster.go (MemberAdd, MemberAddAsLearner), server.go (AddMember) */
  memberAdd(id: number, opts: { learner?: boolean; start?: boolean } = {}): Promise<MemberChangeResponse> {
    return this.#unary(false, (m) => this.#cluster.changeMembership(m, () => this.#cluster.raft.addMember(id, opts), id));
  }

  /** Removes member `id`. Upstream: cluster.go (MemberRemove), server.go (RemoveMember) */
  memberRemove(id: number): Promise<MemberChangeResponse> {
    return this.#unary(false, (m) => this.#cluster.changeMembership(m, () => this.#cluster.raft.removeMember(id), id));
  }

  /** Promotes learner `id` once it is in sync with the leader. Upstream: cluster.go (MemberPromote), server.go (PromoteMember) */
  memberPromote(id: number): Promise<MemberChangeResponse> {
    return this.#unary(false, (m) => this.#cluster.changeMembership(m, () => this.#cluster.raft.promoteMember(id), id));
  }

  /** `etcdctl endpoint status` of member `id` (default: the next endpoint). Upstream: maintenance.go (Status), v3rpc/maintenance.go (Status) */
  status(id?: number): Promise<StatusResponse> {
    const target = id === undefined ? undefined : this.#cluster.member(id);
    if (id !== undefined && !target) return Promise.reject(serverError(serverErrors.ErrStopped));
    const serve = async (m: EtcdMember) => this.#cluster.status(m.id);
    return target ? serve(target) : this.#unary(true, serve);
  }

  /** Asks the member `leader` (which must lead) to hand leadership to `transferee`. Upstream: maintenance.go (MoveLeader), server.go (MoveLeader) */
  moveLeader(transferee: number, opts: { leader?: number } = {}): Promise<MoveLeaderResponse> {
    const serve = (m: EtcdMember) => this.#cluster.moveLeader(m.id, transferee).then(() => ({ header: this.#header(m) }));
    if (opts.leader !== undefined) {
      const m = this.#cluster.member(opts.leader);
      return m ? serve(m) : Promise.reject(serverError(serverErrors.ErrStopped));
    }
    return this.#unary(false, serve);
  }

  #header(m: EtcdMember): ResponseHeader {
    return { clusterId: this.#cluster.clusterId, memberId: m.id, revision: m.store.revision, raftTerm: m.term };
  }

  /** A learner serves no writes and no linearizable reads (v3rpc interceptor: isRPCSupportedForLearner). */
  #write<T>(m: EtcdMember, fn: () => Promise<T>): Promise<T> {
    if (this.#cluster.isLearner(m.id)) return Promise.reject(serverError(serverErrors.ErrNotSupportedForLearner));
    return fn();
  }

  #linearizable(m: EtcdMember): Promise<void> {
    if (this.#cluster.isLearner(m.id)) return Promise.reject(serverError(serverErrors.ErrNotSupportedForLearner));
    return m.linearizableReadNotify();
  }

  /** The next endpoint whose member is up (round robin). */
  #pick(): EtcdMember | undefined {
    const n = this.endpoints.length;
    for (let i = 0; i < n; i++) {
      const id = this.endpoints[(this.#next + i) % n];
      const m = this.#cluster.member(id);
      if (m) {
        this.#next = (this.#next + i + 1) % n;
        return m;
      }
    }
    return undefined;
  }

  // Upstream: client/v3/retry_interceptor.go (unaryClientInterceptor), retry.go (isSafeRetryImmutableRPC)
  async #unary<T>(immutable: boolean, call: (m: EtcdMember) => Promise<T>): Promise<T> {
    const clock = this.#cluster.clock;
    for (let attempt = 0; ; attempt++) {
      const m = this.#pick();
      if (!m) throw serverError(serverErrors.ErrNoAvailableEndpoints);
      try {
        return await call(m);
      } catch (err) {
        const e = togRPCError(err);
        const unavailable = e instanceof EtcdError && e.code === 'Unavailable';
        // A write may have reached raft before the error: only reads are retried.
        if (attempt >= this.maxRetries || !(unavailable && immutable)) throw e;
        await clock.sleep(RETRY_BACKOFF_MS);
      }
    }
  }
}

/** A follower's lessor is not primary: the forward is retried until the leader's answers. */
function notPrimary(err: unknown): boolean {
  return err instanceof LeaseError && err.message === leaseErrors.ErrNotPrimary;
}
