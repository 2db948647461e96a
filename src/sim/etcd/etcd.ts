/**
 * One etcd member and a client of it, with clientv3's calls and shapes (`newEtcd`). The member
 * is etcd v3.6.0's server in one process: requests are checked as v3rpc checks them
 * (server/etcdserver/api/v3rpc/key.go, lease.go, watch.go), writes are applied as the applier
 * applies a committed raft entry (server/etcdserver/txn/txn.go, apply/apply.go), reads are
 * served from the store, and the lessor's expired leases are revoked as the server's run loop
 * revokes them. Raft is not modelled here (one member commits at once); the replicated cluster
 * builds on the same store.
 *
 * Every call returns a promise, as a clientv3 call blocks, but does its work inside the call:
 * when `put` returns, the key is written and the revision moved; watch handlers run later, in
 * microtasks. A rejected request changes nothing in the store.
 */
import { resolveEnv, type SimEnv } from '../core/env';
import { UsageError } from '../core/errors';
import { EventEmitter } from '../core/events';
import type { FakeClock } from '../core/clock';
import {
  applyDeleteRange,
  applyPut,
  applyRange,
  applyTxn,
  checkDeleteRequest,
  checkIntervals,
  checkPutRequest,
  checkRangeRequest,
  checkTxnRequest,
  isTxnReadonly,
  isTxnSerializable,
  type CompareRequest,
  type DeleteRangeRequest,
  type PutRequest,
  type RangeRequest,
  type RequestOp,
  type TxnRequestPB,
} from './apply';
import { byteLength, fromBytes, isWellFormed, NO_PREFIX_END, prefixEnd, toBytes } from './bytes';
import { EtcdError, LeaseError, leaseErrors, rpctypes, togRPCError } from './errors';
import { EVENT_VALUE_MAX, etcdEvents, type EtcdEventMap, type EtcdMethod } from './events';
import { IdGenerator } from './idutil';
import { KVStore } from './kvstore';
import { Lessor, type Lease } from './lessor';
import { DEFAULT_MAX_REQUEST_BYTES, raftRequestSize } from './request_size';
import type {
  Compare,
  CompactResponse,
  DeleteOptions,
  DeleteResponse,
  EtcdChange,
  EtcdConfig,
  EtcdSnapshot,
  GetOptions,
  GetResponse,
  LeaseGrantResponse,
  LeaseKeepAliveResponse,
  LeaseLeasesResponse,
  LeaseRevokeResponse,
  LeaseTimeToLiveResponse,
  Op,
  PutOptions,
  PutResponse,
  RangeOptions,
  ResponseHeader,
  SortOrder,
  SortTarget,
  TxnRequest,
  TxnResponse,
  WatchCancel,
  WatchHandler,
  WatchOptions,
} from './types';
import { WatchableStore, type FilterFunc } from './watchable_store';
import { DEFAULT_PROGRESS_REPORT_INTERVAL_MS, MIN_WATCH_PROGRESS_INTERVAL_MS, toClientKV, WatchStream } from './watch_stream';

/** Upstream: embed/config.go (DefaultMaxTxnOps). */
export const DEFAULT_MAX_TXN_OPS = 128;
/** Upstream: embed/config.go (maxElectionMs). */
const MAX_ELECTION_MS = 50000;
/** The raft term a fresh single member serves in (it campaigned once). */
const SINGLE_MEMBER_TERM = 2;

/** Creates one etcd member (and a client of it) on the environment's clock. */
export function newEtcd(cfg: EtcdConfig = {}): Etcd {
  return new Etcd(cfg);
}

// Upstream: server/etcdserver/server.go (EtcdServer) with client/v3 (Client: KV, Lease, Watcher)
export class Etcd {
  /** The member's clock (leases expire on it, watch syncs tick on it). */
  readonly clock: FakeClock;
  readonly name: string;
  readonly memberId: number;
  readonly clusterId: number;
  /** The minimum lease TTL in seconds (Go: 1.5 election timeouts, rounded up). */
  readonly minLeaseTtlSec: number;
  readonly #env: SimEnv;
  readonly #events: EventEmitter<EtcdEventMap, { member: string }>;
  readonly #kv: KVStore;
  readonly #ws: WatchableStore;
  readonly #lessor: Lessor;
  readonly #stream: WatchStream;
  readonly #reqIDGen: IdGenerator;
  readonly #maxTxnOps: number;
  readonly #maxRequestBytes: number;
  readonly #commitListeners = new Set<(change: EtcdChange) => void>();
  readonly #replicated: EtcdConfig['replicated'];

  constructor(cfg: EtcdConfig = {}) {
    if (cfg === null || typeof cfg !== 'object') throw new UsageError(`newEtcd: cfg must be an object, got ${String(cfg)}`);
    this.#env = resolveEnv(cfg);
    this.clock = this.#env.clock;
    this.name = cfg.name ?? 'default';
    this.memberId = cfg.memberId ?? 1;
    this.clusterId = cfg.clusterId ?? 1;
    this.#replicated = cfg.replicated;
    const heartbeatMs = positiveInt('heartbeatIntervalMs', cfg.heartbeatIntervalMs ?? 100);
    const electionMs = positiveInt('electionTimeoutMs', cfg.electionTimeoutMs ?? 1000);
    // Upstream: server/embed/config.go (Config.Validate)
    if (5 * heartbeatMs > electionMs) {
      throw new UsageError(`newEtcd: --election-timeout[${electionMs}ms] should be at least as 5 times as --heartbeat-interval[${heartbeatMs}ms]`);
    }
    if (electionMs > MAX_ELECTION_MS) throw new UsageError(`newEtcd: --election-timeout[${electionMs}ms] is too long, and should be set less than ${MAX_ELECTION_MS}ms`);
    // Upstream: server.go (NewServer): minTTL := time.Duration((3*cfg.ElectionTicks)/2) * heartbeat
    const electionTicks = Math.floor(electionMs / heartbeatMs);
    this.minLeaseTtlSec = Math.ceil((Math.floor((3 * electionTicks) / 2) * heartbeatMs) / 1000);
    this.#maxTxnOps = positiveInt('maxTxnOps', cfg.maxTxnOps ?? DEFAULT_MAX_TXN_OPS);
    this.#maxRequestBytes = positiveInt('maxRequestBytes', cfg.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES);
    let progressMs = cfg.watchProgressNotifyIntervalMs ?? DEFAULT_PROGRESS_REPORT_INTERVAL_MS;
    if (!(progressMs > 0) || !Number.isFinite(progressMs)) throw new UsageError(`newEtcd: watchProgressNotifyIntervalMs must be a positive number of ms, got ${String(progressMs)}`);
    // Upstream: v3rpc/watch.go (NewWatchServer): adjusting watch progress notify interval to minimum period
    progressMs = Math.max(progressMs, MIN_WATCH_PROGRESS_INTERVAL_MS);
    this.#reqIDGen = new IdGenerator(this.memberId, this.clock.now());
    this.#events = new EventEmitter(etcdEvents, this.#env, { member: this.name });

    this.#kv = new KVStore();
    this.#kv.addCommitHook((rev, changes) => {
      if (this.#commitListeners.size === 0 || changes.length === 0) return;
      const change: EtcdChange = {
        revision: rev,
        ops: changes.map((row) =>
          row.tombstone
            ? { type: 'delete' as const, key: fromBytes(row.kv.key) }
            : { type: 'put' as const, key: fromBytes(row.kv.key), value: row.kv.value, lease: row.kv.lease },
        ),
      };
      for (const listener of this.#commitListeners) listener(change);
    });
    this.#kv.addCommitHook((_rev, changes) => {
      if (!this.#events.recording) return;
      for (const row of changes) {
        const key = fromBytes(row.kv.key);
        if (row.tombstone) {
          this.#events.emit('etcd.delete', { key, revision: row.main, sub: row.sub });
        } else {
          const v = row.kv.value;
          this.#events.emit('etcd.put', {
            key,
            value: v.length > EVENT_VALUE_MAX ? v.slice(0, EVENT_VALUE_MAX) : v,
            valueBytes: byteLength(v),
            revision: row.main,
            sub: row.sub,
            createRevision: row.kv.createRevision,
            version: row.kv.version,
            lease: row.kv.lease,
          });
        }
      }
    });
    this.#ws = new WatchableStore(this.#kv, this.clock);
    this.#lessor = new Lessor({
      clock: this.clock,
      minLeaseTTL: this.minLeaseTtlSec,
      rangeDeleter: () => this.#kv.write(),
      onExpired: (leases) => this.#revokeExpired(leases),
    });
    this.#kv.setLessor(this.#lessor);
    const rng = this.#env.rng.fork(`etcd/${this.name}`);
    this.#stream = new WatchStream(this.#ws, this.clock, rng, progressMs, (rev) => this.#header(rev), {
      created: (id, req, synced) =>
        this.#events.emit('etcd.watch', {
          watchId: id,
          key: fromBytes(req.key),
          rangeEnd: req.rangeEnd === undefined ? '' : req.rangeEnd === '' ? '\0' : fromBytes(req.rangeEnd),
          startRevision: req.startRevision,
          prevKv: req.prevKv,
          progressNotify: req.progressNotify,
          synced,
        }),
      events: (id, wr, fromHistory) => {
        if (!this.#events.recording) return;
        this.#events.emit('etcd.watchEvent', {
          watchId: id,
          revision: wr.revision,
          events: wr.events.length,
          keys: wr.events.slice(0, 20).map((ev) => `${ev.type} ${fromBytes(ev.kv.key)}@${ev.kv.modRevision}`),
          fromHistory,
        });
      },
      progress: (id, revision) => this.#events.emit('etcd.progress', { watchId: id, revision }),
      canceled: (id, reason, compactRevision) => this.#events.emit('etcd.watchCancel', { watchId: id, reason, compactRevision }),
      handlerError: (id, err) =>
        this.#events.emit('etcd.log', { level: 'error', message: `watch ${id}: the handler threw: ${err instanceof Error ? err.message : String(err)}` }),
    });
  }

  /** The store's current revision. */
  get revision(): number {
    return this.#kv.currentRev;
  }

  /** The lessor became primary (the member leads raft): leases restart their TTL + `extendMs`. */
  // Upstream: server/etcdserver/server.go (run: lessor.Promote on becoming leader)
  promoteLessor(extendMs: number): void {
    this.#lessor.promote(extendMs);
  }

  /** Whether the lessor is primary (keeps expiries). */
  get lessorPrimary(): boolean {
    return this.#lessor.primary;
  }

  /** The lessor is no longer primary: no lease expires here. Upstream: server.go (run: lessor.Demote) */
  demoteLessor(): void {
    this.#lessor.demote();
  }

  /** The last compaction revision (-1: never compacted). */
  get compactRevision(): number {
    return this.#kv.compactMainRev;
  }

  /**
   * Calls `listener` with every committed write from now on, as plain data, synchronously at
   * commit (not part of clientv3: what a lab uses to carry a cluster's state from one simulation
   * to another). Returns a function that stops the calls.
   */
  onCommit(listener: (change: EtcdChange) => void): () => void {
    this.#commitListeners.add(listener);
    return () => void this.#commitListeners.delete(listener);
  }

  // ------------------------------------------------------------------------------------------
  // KV (clientv3.KV)

  /** Writes `key` (clientv3 `Put`). With `lease`, the key is deleted when the lease goes. */
  // Upstream: client/v3/kv.go (Put); server: v3rpc/key.go (kvServer.Put), txn.go (Put)
  put(key: string, value: string, opts: PutOptions = {}): Promise<PutResponse> {
    return this.#call('put', () => {
      const p = this.#putRequest('put', key, value, opts);
      checkPutRequest(p);
      this.#checkSize({ put: p });
      const resp = applyPut(this.#lessor, this.#kv, p);
      this.#fill(resp.header);
      return resp;
    });
  }

  /** Reads a key or a range (clientv3 `Get`). */
  // Upstream: client/v3/kv.go (Get); server: v3rpc/key.go (kvServer.Range), txn.go (Range)
  get(key: string, opts: GetOptions = {}): Promise<GetResponse> {
    return this.#call('get', () => {
      const r = this.#rangeRequest('get', key, opts);
      checkRangeRequest(r);
      if (!r.serializable) this.#reqIDGen.next(); // the linearizable read loop's request
      const resp = applyRange(this.#kv, r);
      this.#fill(resp.header);
      if (this.#events.recording) {
        this.#events.emit('etcd.range', {
          key: fromBytes(r.key),
          rangeEnd: r.rangeEnd === undefined ? '' : r.rangeEnd === NO_PREFIX_END ? '\0' : fromBytes(r.rangeEnd),
          atRevision: r.revision,
          revision: resp.header.revision,
          count: resp.count,
          returned: resp.kvs.length,
          more: resp.more,
        });
      }
      return resp;
    });
  }

  /** Deletes a key or a range (clientv3 `Delete`); deleting nothing does not move the revision. */
  // Upstream: client/v3/kv.go (Delete); server: v3rpc/key.go (kvServer.DeleteRange), txn.go (DeleteRange)
  delete(key: string, opts: DeleteOptions = {}): Promise<DeleteResponse> {
    return this.#call('delete', () => {
      const dr = this.#deleteRequest('delete', key, opts);
      checkDeleteRequest(dr);
      this.#reqIDGen.next();
      const resp = applyDeleteRange(this.#kv, dr);
      this.#fill(resp.header);
      return resp;
    });
  }

  /**
   * A transaction (clientv3 `Txn().If(compare...).Then(success...).Else(failure...).Commit()`):
   * if every compare holds, runs `success`, else `failure`, atomically; every write in it shares
   * one revision.
   */
  // Upstream: client/v3/txn.go; server: v3rpc/key.go (kvServer.Txn), txn.go (Txn)
  txn(req: TxnRequest): Promise<TxnResponse> {
    return this.#call('txn', () => {
      const rt = this.#txnRequest('txn', req);
      checkTxnRequest(rt, this.#maxTxnOps);
      // check for forbidden put/del overlaps after checking request to avoid quadratic blowup
      checkIntervals(rt.success);
      checkIntervals(rt.failure);
      if (isTxnReadonly(rt)) {
        if (!isTxnSerializable(rt)) this.#reqIDGen.next();
      } else {
        this.#checkSize({ txn: rt });
      }
      const { resp, changes } = applyTxn(this.#kv, this.#lessor, rt);
      this.#fill(resp.header);
      this.#events.emit('etcd.txn', {
        succeeded: resp.succeeded,
        compares: rt.compare.length,
        ops: resp.responses.length,
        changes,
        revision: resp.header.revision,
      });
      return resp;
    });
  }

  /**
   * Compacts the history up to `revision` (clientv3 `Compact`): reads and watches below it fail
   * with `ErrCompacted` from now on. `physical` is accepted; compaction is always done on return.
   */
  // Upstream: client/v3/kv.go (Compact); server: v3_server.go (Compact), mvcc kvstore.go (Compact)
  compact(revision: number, _opts: { physical?: boolean } = {}): Promise<CompactResponse> {
    return this.#call('compact', () => {
      const rev = int64('compact', 'revision', revision);
      this.#reqIDGen.next();
      const { prevCompactRev, removed } = this.#kv.compact(rev);
      this.#events.emit('etcd.compact', { revision: rev, prevCompactRevision: prevCompactRev, removed });
      return { header: this.#header(this.#kv.rev()) };
    });
  }

  // ------------------------------------------------------------------------------------------
  // Watch (clientv3.Watcher)

  /**
   * Watches a key or a range (clientv3 `Watch`): `handler` receives each response, in revision
   * order, after the write that caused it returned. From an old `startRevision` the events since
   * then arrive at the next sync of unsynced watchers (every 100 ms); from a compacted one the
   * handler gets a response with `compactRevision` set and `err` ErrCompacted, and the watch
   * ends. Returns the function that cancels the watch.
   */
  // Upstream: client/v3/watch.go (Watch); server: v3rpc/watch.go, mvcc watchable_store.go (watch)
  watch(key: string, opts: WatchOptions, handler: WatchHandler): WatchCancel {
    if (typeof opts === 'function' && handler === undefined) {
      handler = opts as unknown as WatchHandler;
      opts = {};
    }
    if (typeof handler !== 'function') throw new UsageError(`watch: handler must be a function, got ${typeof handler}`);
    const o = (opts ?? {}) as WatchOptions;
    const { key: k, rangeEnd } = this.#keyRange('watch', key, o);
    const startRevision = o.startRevision === undefined ? 0 : int64('watch', 'startRevision', o.startRevision);
    const filters: FilterFunc[] = [];
    if (o.filterPut) filters.push((e) => e.type === 'PUT');
    if (o.filterDelete) filters.push((e) => e.type === 'DELETE');
    // Upstream: v3rpc/watch.go (recvLoop): \x00 is the smallest key; an empty range end is one key;
    // a range end of \x00 means ">= key".
    const { cancel } = this.#stream.watch(
      {
        key: k.length === 0 ? '\x00' : k,
        rangeEnd: rangeEnd === undefined || rangeEnd.length === 0 ? undefined : rangeEnd === NO_PREFIX_END ? '' : rangeEnd,
        startRevision,
        prevKv: !!o.prevKv,
        progressNotify: !!o.progressNotify,
        createdNotify: !!o.createdNotify,
        filters,
      },
      handler,
    );
    return cancel;
  }

  /**
   * Asks for a progress notification on every watch (clientv3 `RequestProgress`): each handler
   * gets one, with the current revision, if every watch is synced; otherwise nothing is sent.
   */
  // Upstream: client/v3/watch.go (RequestProgress), mvcc watchStream.RequestProgressAll
  requestProgress(): Promise<void> {
    this.#stream.requestProgress();
    return Promise.resolve();
  }

  // ------------------------------------------------------------------------------------------
  // Lease (clientv3.Lease)

  /**
   * Grants a lease of `ttlSec` seconds (clientv3 `Grant`), raised to the minimum TTL (2 s with
   * the default heartbeat and election timeout). `id` asks for a given lease ID.
   */
  // Upstream: client/v3/lease.go (Grant); v3_server.go (LeaseGrant), lessor.go (Grant)
  leaseGrant(ttlSec: number, opts: { id?: number } = {}): Promise<LeaseGrantResponse> {
    return this.#call('leaseGrant', () => {
      const ttl = int64('leaseGrant', 'ttlSec', ttlSec);
      let id = opts.id === undefined ? 0 : int64('leaseGrant', 'id', opts.id);
      // no id given? choose one (only positive int64 ids)
      while (id === 0) id = this.#reqIDGen.next();
      this.#reqIDGen.next();
      const l = this.#lessor.grant(id, ttl);
      this.#events.emit('etcd.leaseGrant', { id: l.id, ttl: l.ttl, expiresAtMs: l.expiryMs });
      return { header: this.#header(this.#kv.rev()), id: l.id, ttl: l.ttl };
    });
  }

  /** Revokes a lease (clientv3 `Revoke`): its keys are deleted in one revision. */
  // Upstream: client/v3/lease.go (Revoke); v3_server.go (LeaseRevoke), lessor.go (Revoke)
  leaseRevoke(id: number): Promise<LeaseRevokeResponse> {
    return this.#call('leaseRevoke', () => {
      const leaseId = int64('leaseRevoke', 'id', id);
      this.#reqIDGen.next();
      this.#revoke(leaseId, false);
      return { header: this.#header(this.#kv.rev()) };
    });
  }

  /**
   * Renews a lease once, to its full TTL (clientv3 `KeepAliveOnce`; one round of the
   * LeaseKeepAlive stream). Rejects with ErrLeaseNotFound for a lease that is gone, and for one
   * already expired, once the expiry check has revoked it.
   */
  // Upstream: client/v3/lease.go (KeepAliveOnce); v3rpc/lease.go (leaseKeepAlive), lessor.go (Renew)
  leaseKeepAlive(id: number): Promise<LeaseKeepAliveResponse> {
    return this.#call('leaseKeepAlive', () => {
      const leaseId = int64('leaseKeepAlive', 'id', id);
      // Create header before we sent out the renew request.
      const header = this.#header(this.#kv.rev());
      const done = (ttl: number): LeaseKeepAliveResponse => {
        const l = this.#lessor.lookup(leaseId)!;
        this.#events.emit('etcd.leaseKeepAlive', { id: leaseId, ttl, expiresAtMs: l.expiryMs });
        return { header, id: leaseId, ttl };
      };
      let ttl: number | Promise<never>;
      try {
        ttl = this.#lessor.renew(leaseId);
      } catch (err) {
        throw keepAliveError(err);
      }
      if (typeof ttl === 'number') return done(ttl);
      return ttl.catch((err: unknown) => {
        const e = keepAliveError(err);
        if (e instanceof EtcdError) this.#events.emit('etcd.error', { method: 'leaseKeepAlive', error: e.message });
        throw e;
      });
    });
  }

  /** How long a lease has left (clientv3 `TimeToLive`); `ttl` -1 for a lease that is gone. */
  // Upstream: client/v3/lease.go (TimeToLive); v3_server.go (leaseTimeToLive)
  leaseTimeToLive(id: number, opts: { keys?: boolean } = {}): Promise<LeaseTimeToLiveResponse> {
    return this.#call('leaseTimeToLive', () => {
      const leaseId = int64('leaseTimeToLive', 'id', id);
      const header = this.#header(this.#kv.rev());
      const l = this.#lessor.lookup(leaseId);
      if (l === undefined) return { header, id: leaseId, ttl: -1, grantedTtl: 0, keys: [] };
      const ttl = Math.trunc(l.remainingMs(this.clock.now()) / 1000) || 0;
      return { header, id: leaseId, ttl, grantedTtl: l.ttl, keys: opts.keys ? l.keys().sort().map(fromBytes) : [] };
    });
  }

  /** Every lease, soonest expiry first (clientv3 `Leases`). */
  // Upstream: client/v3/lease.go (Leases); v3_server.go (LeaseLeases)
  leaseLeases(): Promise<LeaseLeasesResponse> {
    return Promise.resolve({ header: this.#header(this.#kv.rev()), leases: this.#lessor.leases().map((l) => ({ id: l.id })) });
  }

  // ------------------------------------------------------------------------------------------
  // Views

  /** The keyspace, the index, the leases and the watches now (plain data, for views and tests). */
  snapshot(): EtcdSnapshot {
    const now = this.clock.now();
    const rev = this.#kv.currentRev;
    const kvs = this.#kv.range('', '', { rev }).kvs.map(toClientKV);
    return {
      revision: rev,
      compactRevision: this.#kv.compactMainRev,
      kvs,
      index: this.#kv.keyIndexes().map((ki) => ({
        key: fromBytes(ki.key),
        generations: ki.generations.map((g) => ({
          created: g.created.main,
          version: g.ver,
          revs: g.revs.map((r) => `${r.main}.${r.sub}${r.tombstone ? '(t)' : ''}`),
        })),
      })),
      leases: this.#lessor.leases().map((l) => ({ id: l.id, ttl: l.ttl, remainingMs: l.remainingMs(now), keys: l.keys().sort().map(fromBytes) })),
      watchers: this.#stream.watchers().map(({ id, watcher, synced }) => ({
        watchId: id,
        key: fromBytes(watcher.key),
        rangeEnd: watcher.end === undefined ? '' : watcher.end === '' ? '\0' : fromBytes(watcher.end),
        synced,
        minRevision: watcher.minRev,
      })),
    };
  }

  // ------------------------------------------------------------------------------------------
  // Helpers

  /** Runs `fn` as one request: its result resolves, its error (in etcd's words) rejects. */
  #call<T>(method: EtcdMethod, fn: () => T | Promise<T>): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      const e = togRPCError(err);
      if (e instanceof EtcdError) this.#events.emit('etcd.error', { method, error: e.message });
      return Promise.reject(e);
    }
  }

  #header(revision: number): ResponseHeader {
    return { clusterId: this.clusterId, memberId: this.memberId, revision, raftTerm: this.#replicated?.raftTerm() ?? SINGLE_MEMBER_TERM };
  }

  /** Fills a top-level header (Go: v3rpc header.fill: revision only when unset). */
  #fill(h: ResponseHeader): void {
    h.clusterId = this.clusterId;
    h.memberId = this.memberId;
    h.raftTerm = this.#replicated?.raftTerm() ?? SINGLE_MEMBER_TERM;
    if (h.revision === 0) h.revision = this.#kv.rev();
  }

  /** Draws the request's raft ID and refuses it if it is too large for raft. */
  // Upstream: v3_server.go (processInternalRaftRequestOnce)
  #checkSize(req: { put: PutRequest } | { txn: TxnRequestPB }): void {
    const id = this.#reqIDGen.next();
    if (raftRequestSize(id, req) > this.#maxRequestBytes) throw new EtcdError(rpctypes.ErrRequestTooLarge);
  }

  /** Revokes a lease and records it. */
  #revoke(id: number, expired: boolean): void {
    let keys: string[] = [];
    const l = this.#lessor.lookup(id);
    if (l !== undefined) keys = l.keys().sort();
    this.#lessor.revoke(id);
    this.#events.emit('etcd.leaseRevoke', { id, keys: keys.map(fromBytes), revision: this.#kv.rev(), expired });
  }

  /** The server's run loop: revokes each expired lease through raft (Go: ExpiredLeasesC). */
  // Upstream: server/etcdserver/server.go (run: expiredLeaseC case)
  #revokeExpired(leases: Lease[]): void {
    if (this.#replicated) {
      for (const l of leases) this.#events.emit('etcd.leaseExpire', { id: l.id, expiredAtMs: l.expiryMs });
      this.#replicated.onExpiredLeases(leases.map((l) => l.id));
      return;
    }
    for (const l of leases) {
      if (this.#lessor.lookup(l.id) !== l) continue;
      this.#events.emit('etcd.leaseExpire', { id: l.id, expiredAtMs: l.expiryMs });
      this.#reqIDGen.next();
      this.#revoke(l.id, true);
    }
  }

  /** The request's key and range end, as clientv3's op options build them (byte strings). */
  // Upstream: client/v3/op.go (WithPrefix, WithRange, WithFromKey, getPrefix)
  #keyRange(method: string, key: string, o: RangeOptions): { key: string; rangeEnd: string | undefined } {
    checkKey(method, 'key', key);
    if (o === null || typeof o !== 'object') throw new UsageError(`${method}: options must be an object, got ${describeValue(o)}`);
    const set = [o.prefix ? 'prefix' : '', o.fromKey ? 'fromKey' : '', o.rangeEnd !== undefined ? 'rangeEnd' : ''].filter(Boolean);
    if (set.length > 1) throw new UsageError(`${method}: ${set.join(' and ')} cannot be set at the same time, choose one`);
    let k = toBytes(key);
    let rangeEnd: string | undefined;
    if (o.prefix) {
      if (k.length === 0) {
        k = NO_PREFIX_END;
        rangeEnd = NO_PREFIX_END;
      } else {
        rangeEnd = prefixEnd(k);
      }
    } else if (o.fromKey) {
      if (k.length === 0) k = NO_PREFIX_END;
      rangeEnd = NO_PREFIX_END;
    } else if (o.rangeEnd !== undefined) {
      checkKey(method, 'rangeEnd', o.rangeEnd);
      rangeEnd = o.rangeEnd.length === 0 ? undefined : toBytes(o.rangeEnd);
    }
    return { key: k, rangeEnd };
  }

  // Upstream: client/v3/op.go (OpGet, toRangeRequest)
  #rangeRequest(method: string, key: string, o: GetOptions): RangeRequest {
    const { key: k, rangeEnd } = this.#keyRange(method, key, o ?? {});
    const sortOrder = (o.sortOrder ?? 'NONE') as SortOrder;
    const sortTarget = (o.sortTarget ?? 'KEY') as SortTarget;
    return {
      key: k,
      rangeEnd,
      limit: o.limit === undefined ? 0 : int64(method, 'limit', o.limit),
      revision: o.revision === undefined ? 0 : int64(method, 'revision', o.revision),
      sortOrder,
      sortTarget,
      serializable: !!o.serializable,
      keysOnly: !!o.keysOnly,
      countOnly: !!o.countOnly,
      minModRevision: o.minModRevision === undefined ? 0 : int64(method, 'minModRevision', o.minModRevision),
      maxModRevision: o.maxModRevision === undefined ? 0 : int64(method, 'maxModRevision', o.maxModRevision),
      minCreateRevision: o.minCreateRevision === undefined ? 0 : int64(method, 'minCreateRevision', o.minCreateRevision),
      maxCreateRevision: o.maxCreateRevision === undefined ? 0 : int64(method, 'maxCreateRevision', o.maxCreateRevision),
    };
  }

  // Upstream: client/v3/op.go (OpPut)
  #putRequest(method: string, key: string, value: string | undefined, o: PutOptions): PutRequest {
    checkKey(method, 'key', key);
    if (o === null || typeof o !== 'object') throw new UsageError(`${method}: options must be an object, got ${describeValue(o)}`);
    if (value === undefined && o.ignoreValue) value = '';
    if (typeof value !== 'string') throw new UsageError(`${method}: value must be a string, got ${describeValue(value)}`);
    return {
      key: toBytes(key),
      value,
      lease: o.lease === undefined ? 0 : int64(method, 'lease', o.lease),
      prevKv: !!o.prevKv,
      ignoreValue: !!o.ignoreValue,
      ignoreLease: !!o.ignoreLease,
    };
  }

  // Upstream: client/v3/op.go (OpDelete)
  #deleteRequest(method: string, key: string, o: DeleteOptions): DeleteRangeRequest {
    const { key: k, rangeEnd } = this.#keyRange(method, key, o ?? {});
    return { key: k, rangeEnd, prevKv: !!o.prevKv };
  }

  // Upstream: client/v3/txn.go (If, Then, Else, Commit), compare.go, op.go (toRequestOp)
  #txnRequest(method: string, req: TxnRequest): TxnRequestPB {
    if (req === null || typeof req !== 'object') throw new UsageError(`${method}: the request must be an object { compare, success, failure }, got ${describeValue(req)}`);
    const list = <T>(name: string, v: T[] | undefined): T[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v)) throw new UsageError(`${method}: ${name} must be an array, got ${describeValue(v)}`);
      return v;
    };
    return {
      compare: list('compare', req.compare).map((c, i) => this.#compareRequest(`${method}: compare[${i}]`, c)),
      success: list('success', req.success).map((op, i) => this.#requestOp(`${method}: success[${i}]`, op)),
      failure: list('failure', req.failure).map((op, i) => this.#requestOp(`${method}: failure[${i}]`, op)),
    };
  }

  // Upstream: client/v3/compare.go (Compare, Value, Version, CreateRevision, ModRevision, LeaseValue, WithRange, WithPrefix)
  #compareRequest(where: string, c: Compare): CompareRequest {
    if (c === null || typeof c !== 'object') throw new UsageError(`${where} must be an object { key, target, result, value }, got ${describeValue(c)}`);
    if (!COMPARE_TARGETS.has(c.target)) throw new UsageError(`${where}.target must be one of VALUE, VERSION, CREATE, MOD, LEASE, got ${describeValue(c.target)}`);
    if (!COMPARE_RESULTS.has(c.result)) throw new UsageError(`${where}: Unknown result op ${describeValue(c.result)} (use =, !=, < or >)`);
    let value: string | number;
    if (c.target === 'VALUE') {
      if (typeof c.value !== 'string') throw new UsageError(`${where}.value must be a string for VALUE, got ${describeValue(c.value)}`);
      value = c.value;
    } else {
      value = int64(where, 'value', c.value as number);
    }
    const { key, rangeEnd } = this.#keyRange(where, c.key, c);
    return { key, rangeEnd, target: c.target, result: c.result, value };
  }

  #requestOp(where: string, op: Op): RequestOp {
    if (op === null || typeof op !== 'object') throw new UsageError(`${where} must be { get }, { put }, { delete } or { txn }, got ${describeValue(op)}`);
    if ('get' in op) return { range: this.#rangeRequest(where, op.get?.key, op.get ?? {}) };
    if ('put' in op) return { put: this.#putRequest(where, op.put?.key, op.put?.value, op.put ?? {}) };
    if ('delete' in op) return { deleteRange: this.#deleteRequest(where, op.delete?.key, op.delete ?? {}) };
    if ('txn' in op) return { txn: this.#txnRequest(where, op.txn) };
    return {};
  }
}

const COMPARE_TARGETS = new Set<string>(['VALUE', 'VERSION', 'CREATE', 'MOD', 'LEASE']);
const COMPARE_RESULTS = new Set<string>(['=', '!=', '<', '>']);

/** clientv3 KeepAliveOnce turns a renewal of a missing lease (TTL 0) into ErrLeaseNotFound. */
function keepAliveError(err: unknown): unknown {
  if (err instanceof LeaseError && err.message === leaseErrors.ErrLeaseNotFound) return new EtcdError(rpctypes.ErrLeaseNotFound);
  return togRPCError(err);
}

/** A key or range end: a string that UTF-8 can encode (Go's keys are bytes; a lone surrogate is not). */
function checkKey(method: string, name: string, v: unknown): asserts v is string {
  if (typeof v !== 'string') throw new UsageError(`${method}: ${name} must be a string, got ${describeValue(v)}`);
  if (!isWellFormed(v as string)) throw new UsageError(`${method}: ${name} must be well-formed Unicode (it holds a lone surrogate), got ${JSON.stringify(v)}`);
}

/**
 * The range end that covers every key starting with `prefix` (clientv3.GetPrefixRangeEnd): the
 * prefix with its last byte below 0xff incremented, or `'\0'` ("every key from the prefix on")
 * when there is none. Exact for ASCII prefixes; for others the end may not be valid UTF-8, so use
 * `{ prefix: true }` instead.
 */
// Upstream: client/v3/op.go (GetPrefixRangeEnd)
export function getPrefixRangeEnd(prefix: string): string {
  return fromBytes(prefixEnd(toBytes(prefix)));
}

function positiveInt(name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new UsageError(`newEtcd: ${name} must be a positive integer, got ${describeValue(v)}`);
  return v;
}

/** An int64 argument: a safe integer (Go's type system rules out anything else). */
function int64(method: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new UsageError(`${method}: ${name} must be an integer, got ${describeValue(v)}`);
  return v;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}
