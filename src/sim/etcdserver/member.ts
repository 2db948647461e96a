/**
 * One etcd member on raft: the application a RaftCluster member runs (committed requests go to
 * its own MVCC store, the single-member `Etcd` of src/sim/etcd) and the server side of every
 * client call: writes are proposed through raft and answered when this member applies them
 * (wait.Wait by request ID), linearizable reads wait for a ReadIndex and for the applied index to
 * reach it, lease renewals are answered by the leader's primary lessor, and only the leader's
 * lessor finds expired leases, which it revokes through raft.
 * Upstream: server/etcdserver/server.go (EtcdServer: run, applyEntryNormal, revokeExpiredLeases),
 * v3_server.go (processInternalRaftRequestOnce, linearizableReadLoop, requestCurrentIndex,
 * LeaseRenew, LeaseTimeToLive), raft.go (raftNode.start: soft state, read states).
 */
import { newEtcd, type Etcd } from '../etcd/etcd';
import { IdGenerator } from '../etcd/idutil';
import type { EtcdError } from '../etcd/errors';
import type { Timer } from '../core/clock';
import type { TraceRecorder } from '../core/trace';
import type { Entry } from '../raft/raftpb';
import type { Ready } from '../raft/rawnode';
import type { RaftApp, RaftCluster } from '../raftcluster/cluster';
import { EventEmitter } from '../core/events';
import { serverError, serverErrors } from './errors';
import { etcdServerEvents, type EtcdServerEventMap } from './events';
import { applyRequest, requestKind, type InternalRaftRequest } from './request';

/** Upstream: v3_server.go (readIndexRetryTime). */
export const READ_INDEX_RETRY_MS = 500;
/** Upstream: v3_server.go (LeaseRenew): the pause between forwarding attempts. */
const LEASE_FORWARD_RETRY_MS = 50;

export interface MemberOptions {
  cluster: RaftCluster;
  id: number;
  name: string;
  clusterId: number;
  /** Upstream: ServerConfig.ReqTimeout(): 5 s + 2 election timeouts. */
  reqTimeoutMs: number;
  electionMs: number;
  heartbeatMs: number;
}

type RequestBody = InternalRaftRequest extends infer R ? (R extends unknown ? Omit<R, 'header'> : never) : never;

// Upstream: server/etcdserver/server.go (EtcdServer)
export class EtcdMember implements RaftApp {
  readonly id: number;
  readonly name: string;
  store: Etcd;
  readonly #o: MemberOptions;
  readonly #reqIDGen: IdGenerator;
  readonly #events: EventEmitter<EtcdServerEventMap, { member: string }>;
  #history: InternalRaftRequest[] = [];
  /** Upstream: EtcdServer.w (wait.Wait): request ID -> the caller waiting for its apply. */
  readonly #wait = new Map<number, (result: Promise<unknown>) => void>();
  /** Upstream: applyWait: callers waiting for the applied index to reach theirs. */
  #applyWait: Array<{ index: number; fn: () => void }> = [];
  /** ReadIndex requests waiting for their ReadState (by request context). */
  readonly #readWait = new Map<string, (index: number) => void>();
  readonly #leaderChanged = new Set<() => void>();
  readonly #firstCommitInTerm = new Set<() => void>();
  readonly #stopping = new Set<() => void>();
  /** Told when the store goes (the member stops, or a snapshot replaces it): its watches end. */
  readonly #storeLost = new Set<() => void>();
  /** Proposals waiting for a leader (Go: node.run reads propc only while there is one). */
  #pendingProposals: Array<() => void> = [];
  #lead = 0;
  #leadElectedAt = -Infinity;
  #stopped = false;
  #replaying = false;

  constructor(o: MemberOptions) {
    this.#o = o;
    this.id = o.id;
    this.name = o.name;
    this.#reqIDGen = new IdGenerator(o.id, o.cluster.clock.now());
    this.#events = new EventEmitter(etcdServerEvents, o.cluster.env, { member: o.name });
    this.store = this.#newStore();
  }

  get clock() {
    return this.#o.cluster.clock;
  }

  /** The raft term this member is in (0 while down). */
  get term(): number {
    return this.#o.cluster.node(this.id)?.raft.term ?? 0;
  }

  get lead(): number {
    return this.#lead;
  }

  get isLeader(): boolean {
    return this.#o.cluster.node(this.id)?.raft.state === 'StateLeader';
  }

  get appliedIndex(): number {
    return this.#o.cluster.node(this.id)?.raft.raftLog.applied ?? 0;
  }

  /** Calls `fn` once when this member's store goes (its watch streams break). Returns the unsubscribe. */
  onStoreLost(fn: () => void): () => void {
    this.#storeLost.add(fn);
    return () => void this.#storeLost.delete(fn);
  }

  /** A new request / lease ID of this member (Go: reqIDGen.Next()). */
  nextId(): number {
    return this.#reqIDGen.next();
  }

  /** Requests applied since the beginning (what a snapshot carries here). */
  get history(): readonly InternalRaftRequest[] {
    return this.#history;
  }

  // ---------------------------------------------------------------------------------------------
  // RaftApp

  // Upstream: server.go (applyEntryNormal)
  apply(e: Entry): void {
    if (e.data === undefined || e.data === '') {
      // raft's empty entry of a new term: reads waiting for a first commit retry, the leader's lessor takes over.
      for (const fn of [...this.#firstCommitInTerm]) fn();
      if (this.isLeader) {
        this.store.promoteLessor(this.#o.electionMs);
        this.#events.emit('etcdserver.lessor', { action: 'promote', extendMs: this.#o.electionMs });
      }
      return;
    }
    const req = parseRequest(e.data);
    if (!req) return; // not a request (data proposed on the raft cluster directly)
    this.#history.push(req);
    const result = applyRequest(this.store, req);
    result.catch(() => {});
    this.#wait.get(req.header.id)?.(result);
  }

  applied(index: number): void {
    if (this.#applyWait.length === 0) return;
    const due = this.#applyWait.filter((w) => w.index <= index);
    this.#applyWait = this.#applyWait.filter((w) => w.index > index);
    for (const w of due) w.fn();
  }

  /** The applied requests (the model's stand-in for etcd's db file). */
  snapshot(): readonly InternalRaftRequest[] {
    return [...this.#history];
  }

  // Upstream: server.go (applySnapshot: a new backend, the lessor and the mvcc store recovered from it)
  restore(data: unknown): void {
    this.#history = [...(data as readonly InternalRaftRequest[])];
    this.store = this.#newStore();
    this.#loseStore();
    this.#replaying = true;
    try {
      for (const req of this.#history) applyRequest(this.store, req).catch(() => {});
    } finally {
      this.#replaying = false;
    }
  }

  // Upstream: raft.go (raftNode.start: SoftState, ReadStates), server.go (updateLeadership)
  ready(rd: Ready): void {
    if (rd.softState) {
      const lead = rd.softState.lead;
      const newLeader = lead !== 0 && lead !== this.#lead;
      this.#lead = lead;
      if (rd.softState.raftState !== 'StateLeader') {
        if (this.store.lessorPrimary) this.#events.emit('etcdserver.lessor', { action: 'demote', extendMs: 0 });
        this.store.demoteLessor();
      } else if (newLeader) this.#leadElectedAt = this.clock.now();
      if (newLeader) for (const fn of [...this.#leaderChanged]) fn();
      if (lead !== 0 && this.#pendingProposals.length > 0) {
        const ps = this.#pendingProposals;
        this.#pendingProposals = [];
        for (const p of ps) p();
      }
    }
    for (const rs of rd.readStates) {
      const wake = this.#readWait.get(rs.requestCtx);
      if (!wake) continue;
      this.#events.emit('etcdserver.readIndex', { requestId: rs.requestCtx, index: rs.index, applied: this.appliedIndex });
      wake(rs.index);
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const fn of [...this.#stopping]) fn();
    this.#loseStore();
  }

  #loseStore(): void {
    const fns = [...this.#storeLost];
    this.#storeLost.clear();
    for (const fn of fns) fn();
  }

  // ---------------------------------------------------------------------------------------------
  // Server side of the client calls

  /** Proposes a request and waits for this member to apply it. Upstream: v3_server.go (processInternalRaftRequestOnce) */
  raftRequest<T>(body: RequestBody): Promise<T> {
    if (this.#stopped) return Promise.reject(serverError(serverErrors.ErrStopped));
    const id = this.#reqIDGen.next();
    const req = { header: { id }, ...body } as InternalRaftRequest;
    const start = this.clock.now();
    const kind = requestKind(req);
    const respond = (error: unknown) => this.#events.emit('etcdserver.respond', { id, kind, error: error instanceof Error ? error.message : '', tookMs: this.clock.now() - start });
    const p = this.#waitFor<T>(this.#o.reqTimeoutMs, () => this.#parseProposeCtxErr(start), (resolve, reject, done) => {
      this.#wait.set(id, (result) => done(() => (result as Promise<T>).then(resolve, reject)));
      done.cleanup(() => this.#wait.delete(id));
      this.#events.emit('etcdserver.propose', { id, kind, waitingForLeader: this.#lead === 0 });
      const propose = () => {
        if (done.finished) return;
        const err = this.#o.cluster.proposeOn(this.id, JSON.stringify(req));
        if (err) done(() => reject(serverError(err === serverErrors.ErrStopped.message ? serverErrors.ErrStopped : serverErrors.ErrProposalDropped)));
      };
      if (this.#lead === 0) this.#pendingProposals.push(propose);
      else propose();
    });
    if (this.#events.recording) p.then(() => respond(undefined), respond);
    return p;
  }

  /** Resolves once a read now would be linearizable here. Upstream: v3_server.go (linearizableReadLoop, requestCurrentIndex) */
  linearizableReadNotify(): Promise<void> {
    if (this.#stopped) return Promise.reject(serverError(serverErrors.ErrStopped));
    const rctx = String(this.#reqIDGen.next());
    return this.#waitFor<void>(this.#o.reqTimeoutMs, () => serverError(serverErrors.ErrTimeout), (resolve, reject, done) => {
      const send = () => this.#o.cluster.readIndex(this.id, rctx);
      let retry: Timer | undefined;
      const arm = () => {
        retry?.stop();
        retry = this.clock.afterFunc(READ_INDEX_RETRY_MS, () => {
          send();
          arm();
        });
      };
      const changed = () => done(() => reject(serverError(serverErrors.ErrLeaderChanged)));
      const firstCommit = () => {
        send();
        arm();
      };
      this.#leaderChanged.add(changed);
      this.#firstCommitInTerm.add(firstCommit);
      this.#readWait.set(rctx, (index) => {
        this.#readWait.delete(rctx);
        retry?.stop();
        this.#leaderChanged.delete(changed);
        this.#firstCommitInTerm.delete(firstCommit);
        if (this.appliedIndex >= index) done(resolve);
        else this.#applyWait.push({ index, fn: () => done(resolve) });
      });
      done.cleanup(() => {
        retry?.stop();
        this.#readWait.delete(rctx);
        this.#leaderChanged.delete(changed);
        this.#firstCommitInTerm.delete(firstCommit);
      });
      send();
      arm();
    });
  }

  /**
   * Runs `call` on the leader's member: here if this member leads, else forwarded (as over the
   * peer HTTP API) while the leader is reachable, retrying every 50 ms until the request timeout.
   * Upstream: v3_server.go (LeaseRenew, LeaseTimeToLive: forward to the leader)
   */
  onLeader<T>(call: (leader: EtcdMember) => Promise<T>, retryable: (err: unknown) => boolean): Promise<T> {
    if (this.#stopped) return Promise.reject(serverError(serverErrors.ErrStopped));
    return this.#waitFor<T>(this.#o.reqTimeoutMs, () => serverError(serverErrors.ErrTimeout), (resolve, reject, done) => {
      const attempt = () => {
        if (done.finished) return;
        const lead = this.#lead;
        const leader = lead === 0 ? undefined : this.#o.cluster.app(lead);
        const reachable = lead === this.id || (leader !== undefined && this.#o.cluster.net.connected(this.id, lead) && !this.#o.cluster.paused(lead));
        if (!(leader instanceof EtcdMember) || !reachable || !leader.isLeader) {
          this.clock.afterFunc(LEASE_FORWARD_RETRY_MS, attempt);
          return;
        }
        call(leader).then(
          (v) => done(() => resolve(v)),
          (err: unknown) => (retryable(err) ? this.clock.afterFunc(LEASE_FORWARD_RETRY_MS, attempt) : done(() => reject(err))),
        );
      };
      attempt();
    });
  }

  /** Leases expired on the primary: revoke them through raft. Upstream: server.go (revokeExpiredLeases) */
  #revokeExpired(ids: number[]): void {
    if (!this.isLeader) return;
    this.#events.emit('etcdserver.revokeExpired', { ids });
    for (const id of ids) this.raftRequest({ leaseRevoke: { id } }).catch(() => {});
  }

  // Upstream: server.go (parseProposeCtxErr)
  #parseProposeCtxErr(start: number): EtcdError {
    const prevLeadLost = this.#leadElectedAt - 2 * this.#o.electionMs;
    if (start > prevLeadLost && start < this.#leadElectedAt) return serverError(serverErrors.ErrTimeoutDueToLeaderFail);
    const lead = this.#lead;
    const net = this.#o.cluster.net;
    if (lead === this.id) {
      const peers = this.#o.cluster.members().filter((p) => p !== this.id);
      const connected = peers.filter((p) => net.connected(this.id, p)).length;
      if (connected + 1 < Math.floor((peers.length + 1) / 2) + 1) return serverError(serverErrors.ErrTimeoutDueToConnectionLost);
    } else if (lead !== 0 && !net.connected(this.id, lead)) {
      return serverError(serverErrors.ErrTimeoutDueToConnectionLost);
    }
    return serverError(serverErrors.ErrTimeout);
  }

  /**
   * A promise settled once: by `body` through `done(fn)`, by the timeout (`onTimeout()`), or
   * by the member stopping (ErrStopped). `done.cleanup` registers what to undo on any of them.
   */
  #waitFor<T>(
    timeoutMs: number,
    onTimeout: () => EtcdError,
    body: (resolve: (v: T) => void, reject: (e: unknown) => void, done: Done) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cleanups: Array<() => void> = [];
      const done = ((fn: () => void) => {
        if (done.finished) return;
        done.finished = true;
        timer.stop();
        this.#stopping.delete(onStop);
        for (const c of cleanups) c();
        fn();
      }) as Done;
      done.finished = false;
      done.cleanup = (fn) => void cleanups.push(fn);
      const timer = this.clock.afterFunc(timeoutMs, () => done(() => reject(onTimeout())));
      const onStop = () => done(() => reject(serverError(serverErrors.ErrStopped)));
      this.#stopping.add(onStop);
      body(resolve, reject, done);
    });
  }

  /** The trace, silent while a snapshot is replayed (its writes happened before, elsewhere). */
  #quietTrace(): TraceRecorder | undefined {
    const real = this.#o.cluster.env.trace;
    if (!real) return undefined;
    const emit: TraceRecorder['emit'] = (...args) => (this.#replaying ? undefined : real.emit(...args)) as ReturnType<TraceRecorder['emit']>;
    return Object.create(real, { emit: { value: emit } }) as TraceRecorder;
  }

  #newStore(): Etcd {
    const o = this.#o;
    const store = newEtcd({
      env: o.cluster.env,
      trace: this.#quietTrace(),
      name: o.name,
      memberId: o.id,
      clusterId: o.clusterId,
      heartbeatIntervalMs: o.heartbeatMs,
      electionTimeoutMs: o.electionMs,
      replicated: { raftTerm: () => this.term, onExpiredLeases: (ids) => this.#revokeExpired(ids) },
    });
    // Upstream: lease.NewLessor starts demoted; the member that leads promotes it.
    store.demoteLessor();
    return store;
  }
}

function parseRequest(data: string): InternalRaftRequest | undefined {
  try {
    const r = JSON.parse(data) as InternalRaftRequest;
    return r && typeof r === 'object' && typeof r.header?.id === 'number' ? r : undefined;
  } catch {
    return undefined;
  }
}

interface Done {
  (fn: () => void): void;
  finished: boolean;
  cleanup(fn: () => void): void;
}
