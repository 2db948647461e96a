/**
 * The leases objects with a TTL (Events) are written with. One manager per resource's store:
 * a lease is granted for the TTL plus a reuse window (5 % of the TTL, at most 60 s) and attached
 * to every object written in that window, up to 1,000 objects, so a burst of Events costs one
 * lease, and an Event lives between TTL and TTL + the window after its last write.
 * Upstream: apiserver v0.34.0 pkg/storage/etcd3/lease_manager.go (leaseManager.GetLease)
 */
import type { FakeClock } from '../../core/clock';

/** defaultLeaseReuseDurationSeconds, the cap on the reuse window. */
export const DEFAULT_LEASE_REUSE_DURATION_SECONDS = 60;
/** defaultLeaseMaxObjectCount: objects attached to one lease at most. */
export const DEFAULT_LEASE_MAX_OBJECT_COUNT = 1000;
/** The reuse window as a fraction of the TTL (newDefaultLeaseManager's 0.05). */
const LEASE_REUSE_DURATION_PERCENT = 0.05;

export class LeaseManager {
  readonly #clock: FakeClock;
  readonly #grant: (ttlSec: number) => Promise<number>;
  #prevLeaseId = 0;
  #prevLeaseExpirationMs = -Infinity;
  #attached = 0;

  constructor(clock: FakeClock, grant: (ttlSec: number) => Promise<number>) {
    this.#clock = clock;
    this.#grant = grant;
  }

  /** A lease that outlives `ttlSec` from now: the previous one while it is valid and sufficient, else a new one. */
  // Upstream: lease_manager.go (GetLease)
  async getLease(ttlSec: number): Promise<number> {
    const now = this.#clock.now();
    const reuse = this.#reuseDurationSeconds(ttlSec);
    const valid = now + ttlSec * 1000 < this.#prevLeaseExpirationMs;
    const sufficient = now + (ttlSec + reuse) * 1000 > this.#prevLeaseExpirationMs;
    this.#attached++;
    if (valid && sufficient && this.#attached <= DEFAULT_LEASE_MAX_OBJECT_COUNT) return this.#prevLeaseId;
    const granted = ttlSec + reuse;
    const id = await this.#grant(granted);
    this.#prevLeaseId = id;
    this.#prevLeaseExpirationMs = now + granted * 1000;
    this.#attached = 1;
    return id;
  }

  // Upstream: lease_manager.go (getReuseDurationSecondsLocked)
  #reuseDurationSeconds(ttlSec: number): number {
    return Math.min(Math.trunc(LEASE_REUSE_DURATION_PERCENT * ttlSec), DEFAULT_LEASE_REUSE_DURATION_SECONDS);
  }
}
