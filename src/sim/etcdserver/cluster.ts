/**
 * etcd replicated on raft: a RaftCluster whose members each run an EtcdMember (their own MVCC
 * store, applied from the raft log), with clientv3-shaped clients (`client()`), etcdctl's
 * `member list` and `endpoint status` fields, and leader moves.
 * Upstream: server/etcdserver/server.go, v3_server.go, api/membership (RaftCluster, Member),
 * api/v3rpc/maintenance.go (Status), server.go (MoveLeader).
 */
import type { EnvConfig } from '../core/env';
import { ERR_LEARNER_NOT_READY, newRaftCluster, type ProposeResult, type RaftCluster, type RaftClusterConfig } from '../raftcluster/cluster';
import { EtcdClusterClient, type ClientOptions, type MemberChangeResponse, type MemberInfo, type StatusResponse } from './client';
import { serverError, serverErrors } from './errors';
import { EtcdMember } from './member';

/** The etcd release the server follows. Upstream: api/version/version.go */
export const ETCD_VERSION = '3.6.0';

export interface EtcdClusterConfig extends Omit<RaftClusterConfig, 'app'>, EnvConfig {
  /** The cluster ID in headers (default 0x1000). */
  clusterId?: number;
  /** A member's --name (default `infra<id>`, as etcd's Procfile). */
  name?: (id: number) => string;
  /** Raft pre-vote (etcd's --pre-vote; default true, as etcd v3.6). */
  preVote?: boolean;
  /** Raft check-quorum (default true: etcd always sets it; false only to show what it prevents). */
  checkQuorum?: boolean;
}

export class EtcdCluster {
  readonly raft: RaftCluster;
  readonly clusterId: number;
  readonly reqTimeoutMs: number;
  readonly #name: (id: number) => string;

  constructor(cfg: EtcdClusterConfig = {}) {
    this.clusterId = cfg.clusterId ?? 0x1000;
    this.#name = cfg.name ?? ((id) => `infra${id}`);
    const tickMs = cfg.tickMs ?? 100;
    const electionMs = (cfg.electionTick ?? 10) * tickMs;
    // Upstream: server/config/config.go (ReqTimeout): 5s for queue waiting, computing and disk IO delay, + 2 * election timeout
    this.reqTimeoutMs = 5000 + 2 * electionMs;
    this.raft = newRaftCluster({
      // Upstream: server/etcdserver/bootstrap.go (raftConfig: CheckQuorum always true, PreVote from
      // --pre-vote), server/embed/config.go (NewConfig: PreVote true by default since v3.6).
      ...cfg,
      checkQuorum: cfg.checkQuorum ?? true,
      preVote: cfg.preVote ?? true,
      app: (id, cluster) => new EtcdMember({ cluster, id, name: this.#name(id), clusterId: this.clusterId, reqTimeoutMs: this.reqTimeoutMs, electionMs, heartbeatMs: tickMs }),
    });
  }

  get clock() {
    return this.raft.clock;
  }

  get env() {
    return this.raft.env;
  }

  members(): number[] {
    return this.raft.members();
  }

  leader(): number | undefined {
    return this.raft.leader();
  }

  /** The running member `id` (undefined while crashed or once removed). */
  member(id: number): EtcdMember | undefined {
    const app = this.raft.removed(id) ? undefined : this.raft.app(id);
    return app instanceof EtcdMember ? app : undefined;
  }

  /** A clientv3 client (default: every member as an endpoint). */
  client(opts: ClientOptions = {}): EtcdClusterClient {
    return new EtcdClusterClient(this, opts);
  }

  /**
   * Whether member `id` is a learner, in the leader's configuration (else its own): a joining
   * member learns the membership from its peers at start (etcd's GetClusterFromRemotePeers).
   */
  isLearner(id: number): boolean {
    const lead = this.leader();
    const rn = (lead !== undefined ? this.raft.node(lead) : undefined) ?? this.raft.node(id);
    return rn?.raft.trk.config.learners?.has(id) ?? false;
  }

  /** The members as member `asSeenBy` has applied them (etcdctl member list). Upstream: api/membership/cluster.go (RaftCluster.Members) */
  memberInfos(asSeenBy: number): MemberInfo[] {
    const rn = this.raft.node(asSeenBy);
    if (!rn) return [];
    const cfg = rn.raft.trk.config;
    const ids = [...new Set([...cfg.voters[0], ...(cfg.voters[1] ?? []), ...(cfg.learners ?? [])])].sort((a, b) => a - b);
    return ids.map((id) => {
      // Upstream: a member has a name once its process published it (ClusterMemberAttrSet): "unstarted" before.
      const started = this.raft.members().includes(id) && this.raft.started(id);
      return {
        id,
        idHex: id.toString(16),
        status: started ? 'started' : 'unstarted',
        name: started ? this.#name(id) : '',
        peerURLs: [`http://127.0.0.1:${id}2380`],
        clientURLs: started ? [`http://127.0.0.1:${id}2379`] : [],
        isLearner: cfg.learners?.has(id) ?? false,
      };
    });
  }

  /**
   * Member `id`'s status (etcdctl endpoint status). `dbSize` approximates bbolt's file: 4 KiB
   * pages holding the applied requests, from 20 KiB for an empty store.
   * Upstream: api/v3rpc/maintenance.go (maintenanceServer.Status)
   */
  status(id: number): Promise<StatusResponse> {
    const m = this.member(id);
    const rn = this.raft.node(id);
    if (!m || !rn) return Promise.reject(serverError(serverErrors.ErrStopped));
    const bytes = JSON.stringify(m.history).length;
    const dbSize = 20480 + Math.ceil(bytes / 4096) * 4096;
    return Promise.resolve({
      header: { clusterId: this.clusterId, memberId: id, revision: m.store.revision, raftTerm: rn.raft.term },
      version: ETCD_VERSION,
      dbSize,
      dbSizeInUse: dbSize,
      leader: rn.raft.lead,
      isLearner: this.isLearner(id),
      raftIndex: rn.raft.raftLog.committed,
      raftTerm: rn.raft.term,
      raftAppliedIndex: rn.raft.raftLog.applied,
      errors: [],
    });
  }

  /**
   * A membership change asked of member `m`: the conf change goes through the leader, and `m`
   * answers once it has applied it (or times out). Upstream: server.go (configure: wait for the
   * conf change ID to be applied), membership errors mapped by v3rpc/util.go
   */
  changeMembership(m: EtcdMember, propose: () => ProposeResult, id: number): Promise<MemberChangeResponse> {
    if (this.isLearner(m.id)) return Promise.reject(serverError(serverErrors.ErrNotSupportedForLearner));
    const res = propose();
    if (!res.ok) {
      const e = res.error;
      const spec =
        e === 'membership: ID exists'
          ? serverErrors.ErrMemberExist
          : e === 'membership: ID not found' || e === 'membership: ID removed'
            ? serverErrors.ErrMemberNotFound
            : e === ERR_LEARNER_NOT_READY
              ? serverErrors.ErrLearnerNotReady
              : e === 'membership: can only promote a learner member'
                ? serverErrors.ErrMemberNotLearner
                : e === 'etcdserver: no leader'
                  ? serverErrors.ErrNoLeader
                  : serverErrors.ErrTimeout;
      return Promise.reject(serverError(spec));
    }
    const deadline = this.clock.now() + this.reqTimeoutMs;
    return new Promise((resolve, reject) => {
      const check = () => {
        const self = this.member(m.id);
        if (!self) return reject(serverError(serverErrors.ErrStopped));
        if (self.appliedIndex >= res.index) {
          const members = this.memberInfos(m.id);
          return resolve({ header: { clusterId: this.clusterId, memberId: m.id, revision: self.store.revision, raftTerm: self.term }, member: members.find((x) => x.id === id), members });
        }
        if (this.clock.now() >= deadline) return reject(serverError(serverErrors.ErrTimeout));
        this.clock.afterFunc(this.raft.tickMs, check);
      };
      check();
    });
  }

  /** Member `id` (which must lead) moves leadership to `transferee` and waits for it. Upstream: server.go (MoveLeader) */
  moveLeader(id: number, transferee: number): Promise<void> {
    const m = this.member(id);
    if (!m) return Promise.reject(serverError(serverErrors.ErrStopped));
    if (!m.isLeader) return Promise.reject(serverError(serverErrors.ErrNotLeader));
    if (!this.members().includes(transferee) || this.isLearner(transferee)) return Promise.reject(serverError(serverErrors.ErrBadLeaderTransferee));
    const res = this.raft.transferLeadership(transferee);
    if (!res.ok) return Promise.reject(serverError(serverErrors.ErrBadLeaderTransferee));
    const deadline = this.clock.now() + this.reqTimeoutMs;
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.member(transferee)?.lead === transferee || this.raft.leader() === transferee) return resolve();
        if (this.clock.now() >= deadline) return reject(serverError(serverErrors.ErrTimeoutLeaderTransfer));
        this.clock.afterFunc(this.raft.tickMs, check);
      };
      check();
    });
  }
}

/** A replicated etcd cluster on the environment's clock; its members start at once. */
export function newEtcdCluster(cfg: EtcdClusterConfig = {}): EtcdCluster {
  return new EtcdCluster(cfg);
}
