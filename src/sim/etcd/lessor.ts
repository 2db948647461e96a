/**
 * Leases (server/lease/lessor.go, lease.go and lease_queue.go at v3.6.0). A lease has a TTL in
 * seconds and a set of attached keys; revoking it deletes those keys in one write txn. The
 * member that leads raft is the primary lessor: it keeps each lease's expiry and checks for
 * expired leases every 500 ms (`runLoop`), handing them to the server, which revokes them
 * through raft. A single member (`newEtcd`) always leads, so its lessor stays primary; in the
 * replicated cluster (src/sim/etcdserver) followers' lessors are demoted (`demote`: no expiry)
 * and the leader's is promoted (`promote`) once it applies its term's first entry.
 *
 * The check loop runs on the virtual clock, on the 500 ms grid that starts when the lessor is
 * made (upstream's ticker), but a timer is armed only while some lease can expire: a check that
 * would find nothing is not run, which no client can tell apart.
 */
import type { FakeClock, Timer } from '../core/clock';
import { MinHeap } from '../core/heap';
import { LeaseError, leaseErrors } from './errors';

/** No lease (Go: lease.NoLease). */
export const NO_LEASE = 0;
/** The largest TTL a lease may have, in seconds (Go: MaxLeaseTTL). */
export const MAX_LEASE_TTL = 9_000_000_000;
/** Upstream: lessor.go (defaultLeaseRevokeRate): leases revoked per second at most. */
export const DEFAULT_LEASE_REVOKE_RATE = 1000;
/** Upstream: lessor.go (defaultExpiredleaseRetryInterval): when to retry a revoke that did not happen. */
export const EXPIRED_LEASE_RETRY_INTERVAL_MS = 3000;
/** Upstream: lessor.go (runLoop's delayTicker): how often the primary looks for expired leases. */
export const LEASE_CHECK_INTERVAL_MS = 500;

/** One lease. */
// Upstream: server/lease/lease.go (Lease)
export class Lease {
  /** Time to live in seconds, as granted (raised to the minimum TTL). */
  ttl: number;
  /** Virtual time at which the lease expires (Infinity: never, as upstream's `forever`). */
  expiryMs = Infinity;
  /** The attached keys (byte strings). */
  readonly itemSet = new Set<string>();
  /** Set once the lease is revoked (Go: closing `revokec`). */
  revoked = false;
  /** Renewals waiting for an expired lease's revocation (Go: `<-l.revokec` in Renew). */
  readonly revokeWaiters: Array<() => void> = [];

  constructor(
    readonly id: number,
    ttl: number,
  ) {
    this.ttl = ttl;
  }

  /** Sets the expiry to now + extend + TTL. */
  // Upstream: Lease.refresh
  refresh(nowMs: number, extendMs = 0): void {
    this.expiryMs = nowMs + extendMs + this.ttl * 1000;
  }

  /** Milliseconds left (Infinity when the lease never expires). */
  // Upstream: Lease.Remaining
  remainingMs(nowMs: number): number {
    return this.expiryMs - nowMs;
  }

  // Upstream: Lease.expired
  expired(nowMs: number): boolean {
    return this.remainingMs(nowMs) <= 0;
  }

  /** The attached keys, unordered (Go: Lease.Keys). */
  keys(): string[] {
    return [...this.itemSet];
  }
}

/** A deleter the lessor revokes through (Go: lease.TxnDelete from the RangeDeleter). */
export interface TxnDelete {
  deleteRange(key: string, end: string | undefined): [n: number, rev: number];
  end(): void;
}

export interface LessorConfig {
  clock: FakeClock;
  /** Leases shorter than this get this TTL (Go: LessorConfig.MinLeaseTTL, in seconds). */
  minLeaseTTL: number;
  /** Opens the txn a revoke deletes the lease's keys in (Go: SetRangeDeleter). */
  rangeDeleter: () => TxnDelete;
  /** Receives the expired leases a check found (Go: ExpiredLeasesC). */
  onExpired: (leases: Lease[]) => void;
  /** Called after `revoke` has deleted a lease's keys, with the keys it deleted (sorted). */
  onRevoked?: (lease: Lease, keys: string[]) => void;
}

/** An entry of the expiry queue (Go: LeaseWithTime). */
interface LeaseWithTime {
  id: number;
  timeMs: number;
  seq: number;
}

// Upstream: server/lease/lessor.go (lessor)
export class Lessor {
  readonly #clock: FakeClock;
  readonly #cfg: LessorConfig;
  readonly #leaseMap = new Map<number, Lease>();
  readonly #itemMap = new Map<string, number>();
  /** Leases by expiry (Go: LeaseExpiredNotifier, a heap with RegisterOrUpdate). */
  readonly #expiredNotifier = new MinHeap<LeaseWithTime>((a, b) => a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq), { indexed: true });
  readonly #queued = new Map<number, LeaseWithTime>();
  #seq = 0;
  /** Upstream: leaseRevokeRate. */
  readonly #leaseRevokeRate = DEFAULT_LEASE_REVOKE_RATE;
  /** When the check loop started: its ticks are at start + k * 500 ms. */
  readonly #loopStartMs: number;
  #timer: Timer | undefined;
  #timerAtMs = Infinity;
  /** Whether this lessor keeps expiries (the raft leader's); a single member always is. */
  #primary = true;
  /** Renewals of expired leases, woken by a demotion (Go: demotec). */
  readonly #demoteWaiters = new Set<() => void>();

  constructor(cfg: LessorConfig) {
    this.#cfg = cfg;
    this.#clock = cfg.clock;
    this.#loopStartMs = cfg.clock.now();
  }

  /** The minimum TTL in seconds. */
  get minLeaseTTL(): number {
    return this.#cfg.minLeaseTTL;
  }

  /**
   * Grants lease `id` with `ttl` seconds (raised to the minimum TTL). Throws `lease not found`
   * for id 0, `too large lease TTL` above `MAX_LEASE_TTL`, `lease already exists` for a taken id.
   */
  // Upstream: lessor.Grant
  grant(id: number, ttl: number): Lease {
    if (id === NO_LEASE) throw new LeaseError(leaseErrors.ErrLeaseNotFound);
    if (ttl > MAX_LEASE_TTL) throw new LeaseError(leaseErrors.ErrLeaseTTLTooLarge);
    const l = new Lease(id, ttl);
    if (this.#leaseMap.has(id)) throw new LeaseError(leaseErrors.ErrLeaseExists);
    if (l.ttl < this.#cfg.minLeaseTTL) l.ttl = this.#cfg.minLeaseTTL;
    this.#leaseMap.set(id, l);
    // The primary lessor sets the expiry (a non-primary one keeps it forever).
    if (this.#primary) {
      l.refresh(this.#clock.now());
      this.#registerOrUpdate(l.id, l.expiryMs);
    }
    return l;
  }

  /**
   * Revokes lease `id`: deletes its keys, in key order, in one write txn, then forgets the lease.
   * Throws `lease not found`.
   */
  // Upstream: lessor.Revoke
  revoke(id: number): void {
    const l = this.#leaseMap.get(id);
    if (l === undefined) throw new LeaseError(leaseErrors.ErrLeaseNotFound);
    const txn = this.#cfg.rangeDeleter();
    // sort keys so deletes are in same order among all members
    const keys = l.keys().sort();
    for (const key of keys) txn.deleteRange(key, undefined);
    this.#leaseMap.delete(l.id);
    this.#unregister(l.id);
    txn.end();
    l.revoked = true;
    this.#cfg.onRevoked?.(l, keys);
    const waiters = l.revokeWaiters.splice(0);
    for (const wake of waiters) wake();
    this.#rearm();
  }

  /**
   * Renews lease `id` and returns its TTL. Throws `lease not found` if there is no such lease.
   * An expired lease not yet revoked returns a promise that rejects with `lease not found` once
   * the revocation happens, as upstream's Renew waits on `revokec`.
   */
  // Upstream: lessor.Renew
  renew(id: number): number | Promise<never> {
    if (!this.#primary) throw new LeaseError(leaseErrors.ErrNotPrimary);
    const l = this.#leaseMap.get(id);
    if (l === undefined) throw new LeaseError(leaseErrors.ErrLeaseNotFound);
    if (l.expired(this.#clock.now())) {
      // A expired lease might be pending for revoking or going through quorum to be revoked.
      // To be accurate, renew request must wait for the deletion to complete.
      // A demotion meanwhile answers ErrNotPrimary (Go: the select on demotec).
      return new Promise<never>((_, reject) => {
        const wake = (err: string) => {
          this.#demoteWaiters.delete(onDemote);
          reject(new LeaseError(err));
        };
        const onDemote = () => wake(leaseErrors.ErrNotPrimary);
        this.#demoteWaiters.add(onDemote);
        l.revokeWaiters.push(() => this.#demoteWaiters.has(onDemote) && wake(leaseErrors.ErrLeaseNotFound));
      });
    }
    l.refresh(this.#clock.now());
    this.#registerOrUpdate(l.id, l.expiryMs);
    return l.ttl;
  }

  /** Whether this lessor is the primary one (it keeps expiries and finds expired leases). */
  get primary(): boolean {
    return this.#primary;
  }

  /**
   * Becomes the primary lessor (its member became raft leader): every lease gets its full TTL
   * from now plus `extendMs`. The pile-up spreading of upstream (only for >= 1000 leases) is not modelled.
   */
  // Upstream: lessor.Promote
  promote(extendMs: number): void {
    this.#primary = true;
    const now = this.#clock.now();
    for (const l of this.#leaseMap.values()) {
      l.refresh(now, extendMs);
      this.#registerOrUpdate(l.id, l.expiryMs);
    }
  }

  /** Stops being primary: every lease lives forever here until a primary revokes it through raft. */
  // Upstream: lessor.Demote
  demote(): void {
    this.#primary = false;
    for (const l of this.#leaseMap.values()) {
      l.expiryMs = Infinity;
      this.#unregister(l.id);
    }
    for (const wake of [...this.#demoteWaiters]) wake();
    this.#rearm();
  }

  /** The lease with `id`, if any. */
  // Upstream: lessor.Lookup
  lookup(id: number): Lease | undefined {
    return this.#leaseMap.get(id);
  }

  /** Every lease, soonest expiry first (ties by id). */
  // Upstream: lessor.Leases
  leases(): Lease[] {
    const now = this.#clock.now();
    return [...this.#leaseMap.values()].sort((a, b) => a.remainingMs(now) - b.remainingMs(now) || a.id - b.id);
  }

  /** Attaches `key` to lease `id`; throws `lease not found`. */
  // Upstream: lessor.Attach
  attach(id: number, key: string): void {
    const l = this.#leaseMap.get(id);
    if (l === undefined) throw new LeaseError(leaseErrors.ErrLeaseNotFound);
    l.itemSet.add(key);
    this.#itemMap.set(key, id);
  }

  /** The lease `key` is attached to (0: none). */
  // Upstream: lessor.GetLease
  getLease(key: string): number {
    return this.#itemMap.get(key) ?? NO_LEASE;
  }

  /** Detaches `key` from lease `id`; throws `lease not found`. */
  // Upstream: lessor.Detach
  detach(id: number, key: string): void {
    const l = this.#leaseMap.get(id);
    if (l === undefined) throw new LeaseError(leaseErrors.ErrLeaseNotFound);
    l.itemSet.delete(key);
    this.#itemMap.delete(key);
  }

  /** Virtual time of the next expiry check that is armed (undefined: none). */
  nextCheckAtMs(): number | undefined {
    return this.#timer === undefined ? undefined : this.#timerAtMs;
  }

  /** One tick of the check loop: hands the expired leases found to the server. */
  // Upstream: lessor.runLoop / revokeExpiredLeases
  #tick(): void {
    this.#timer = undefined;
    this.#timerAtMs = Infinity;
    // rate limit
    const revokeLimit = Math.floor(this.#leaseRevokeRate / 2);
    const ls = this.#findExpiredLeases(revokeLimit);
    if (ls.length !== 0) this.#cfg.onExpired(ls);
    this.#rearm();
  }

  // Upstream: lessor.findExpiredLeases
  #findExpiredLeases(limit: number): Lease[] {
    const leases: Lease[] = [];
    for (;;) {
      const [l, next] = this.#expireExists();
      if (l === undefined && !next) break;
      if (next) continue;
      if (l!.expired(this.#clock.now())) {
        leases.push(l!);
        // reach expired limit
        if (leases.length === limit) break;
      }
    }
    return leases;
  }

  // Upstream: lessor.expireExists
  #expireExists(): [Lease | undefined, boolean] {
    const item = this.#expiredNotifier.peek();
    if (item === undefined) return [undefined, false];
    const l = this.#leaseMap.get(item.id);
    if (l === undefined) {
      // lease has expired or been revoked; no need to revoke (nothing is expiry)
      this.#unregister(item.id);
      return [undefined, true];
    }
    const now = this.#clock.now();
    if (now < item.timeMs) {
      // Candidate expirations are caught up, reinsert this item and no need to revoke
      return [undefined, false];
    }
    // recheck if revoke is complete after retry interval
    this.#registerOrUpdate(item.id, now + EXPIRED_LEASE_RETRY_INTERVAL_MS);
    return [l, false];
  }

  // Upstream: lease_queue.go (LeaseExpiredNotifier.RegisterOrUpdate)
  #registerOrUpdate(id: number, timeMs: number): void {
    const old = this.#queued.get(id);
    if (old !== undefined) {
      old.timeMs = timeMs;
      this.#expiredNotifier.fix(old);
    } else {
      const item = { id, timeMs, seq: this.#seq++ };
      this.#queued.set(id, item);
      this.#expiredNotifier.push(item);
    }
    this.#rearm();
  }

  // Upstream: lease_queue.go (LeaseExpiredNotifier.Unregister); the model removes a revoked
  // lease's entry at once instead of when the loop next meets it.
  #unregister(id: number): void {
    const item = this.#queued.get(id);
    if (item === undefined) return;
    this.#queued.delete(id);
    this.#expiredNotifier.delete(item);
  }

  /** Arms the loop's next tick: the first grid point at or after the earliest expiry, after now. */
  #rearm(): void {
    const head = this.#expiredNotifier.peek();
    if (head === undefined || !Number.isFinite(head.timeMs)) {
      this.#timer?.stop();
      this.#timer = undefined;
      this.#timerAtMs = Infinity;
      return;
    }
    const now = this.#clock.now();
    const start = this.#loopStartMs;
    let k = Math.ceil((Math.max(head.timeMs, now) - start) / LEASE_CHECK_INTERVAL_MS);
    if (start + k * LEASE_CHECK_INTERVAL_MS <= now) k = Math.floor((now - start) / LEASE_CHECK_INTERVAL_MS) + 1;
    const at = start + k * LEASE_CHECK_INTERVAL_MS;
    if (this.#timer !== undefined && at === this.#timerAtMs) return;
    this.#timer?.stop();
    this.#timerAtMs = at;
    this.#timer = this.#clock.afterAt(at, () => this.#tick());
  }
}
