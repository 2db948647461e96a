import { newEtcdCluster, runUntilIdle, type EtcdCluster, type EtcdClusterClient } from 'kubelab';

// Step 1: how far may clocks drift before two candidates can both believe they lead?
export const predictions = {
  /**
   * The slowest rate (local ms per real ms) the holder's clock may run at, with the lease at
   * 15 s and the renew deadline at 10 s, so that its deadline still ends before etcd can expire
   * its lease.
   */
  slowestSafeRate: 0,
  /** Can a challenger whose clock runs fast take the key before the holder's lease expired? */
  fastChallengerTakesEarly: true,
};

/** What a candidate runs with: its own etcd connection and its own clock. */
export interface Candidate {
  /** Its identity: the value it writes under the key. */
  identity: string;
  /** A client of one etcd member (its connection may drop). */
  etcd: Pick<EtcdClusterClient, 'leaseGrant' | 'leaseKeepAlive' | 'leaseRevoke' | 'txn' | 'get'>;
  /** The candidate's local clock in ms: it may run fast or slow. */
  now(): number;
  /** Waits `ms` of the local clock. */
  sleep(ms: number): Promise<void>;
}

/** client-go's LeaderElectionConfig, on one etcd key. */
export interface ElectionConfig {
  key: string;
  /** The lease's TTL (client-go LeaseDuration, 15 s). */
  leaseDurationMs: number;
  /** A leader that could not renew for this long steps down (RenewDeadline, 10 s). */
  renewDeadlineMs: number;
  /** Between tries to acquire or renew (RetryPeriod, 2 s). */
  retryPeriodMs: number;
}

/**
 * A lock on one key held with a lease: take the key only if nobody holds it (the compare of
 * etcd's concurrency.Election), keep the lease alive, and stop believing once a renew fails or
 * the renew deadline, counted from when the last good renew was sent, has passed (client-go
 * gives up when RenewDeadline passes without a successful renew; this one also gives up at the
 * first failed renew).
 * Upstream: etcd client/v3/concurrency/election.go (Election.Campaign),
 * k8s.io/client-go tools/leaderelection/leaderelection.go (LeaderElector.acquire, renew, release).
 */
export class LeaderElector {
  #leading = false;
  /** Local time until which we may believe we lead. */
  #deadline = 0;
  #stopped = false;

  constructor(
    readonly c: Candidate,
    readonly cfg: ElectionConfig,
  ) {}

  /** Whether this candidate believes it leads now. */
  isLeader(): boolean {
    return this.#leading && this.c.now() < this.#deadline;
  }

  async run(): Promise<void> {
    while (!this.#stopped) {
      if (this.#leading) await this.#renew();
      else await this.#tryAcquire();
      await this.c.sleep(this.cfg.retryPeriodMs);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#stepDown();
  }

  async #tryAcquire(): Promise<void> {
    // TODO (step 2): take the key only if nobody holds it, with a lease of leaseDurationMs.
    try {
      await this.c.etcd.txn({ success: [{ put: { key: this.cfg.key, value: this.c.identity } }] });
      this.#leading = true;
      this.#deadline = Infinity;
    } catch {
      // Not acquired: try again next period.
    }
  }

  async #renew(): Promise<void> {
    // TODO (step 3): keep the lease alive; step down when a renew fails; move the deadline.
  }

  #stepDown(): void {
    this.#leading = false;
  }
}

// ---- Run me: three candidates, one etcd member each; the holder's member is cut off ----
const cluster = newEtcdCluster({ size: 3, safetyCheck: false });
const config: ElectionConfig = { key: '/election/leader', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** A candidate on member `id`, whose clock runs at `rate` (1.2: 20% fast). */
function candidate(c: EtcdCluster, id: number, rate: number): Candidate {
  return {
    identity: `candidate-${id}`,
    etcd: c.client({ endpoint: id }),
    now: () => c.clock.now() * rate,
    sleep: (ms) => c.clock.sleep(ms / rate),
  };
}

const electors = [1, 2, 3].map((id, i) => new LeaderElector(candidate(cluster, id, [1, 0.8, 1.2][i]), config));
for (const e of electors) void e.run();
const show = async (what: string) => {
  // The etcd leader's store: the cut-off member's would be stale.
  const lead = cluster.leader();
  const kv = lead === undefined ? undefined : (await cluster.client({ endpoint: lead }).get(config.key, { serializable: true })).kvs[0];
  const believers = electors.filter((e) => e.isLeader()).map((e) => e.c.identity);
  console.log(`t=${(cluster.clock.now() / 1000).toFixed(1).padStart(5)} s ${what.padEnd(28)} believes: [${believers}]  etcd: ${kv ? kv.value : '(no key)'}`);
};
await runUntilIdle(cluster.clock, { forMs: 5_000 });
await show('started');
const holder = electors.findIndex((e) => e.isLeader()) + 1;
cluster.raft.partition([[holder], [1, 2, 3].filter((id) => id !== holder)], 'holder cut');
await show(`member ${holder} cut off`);
for (let i = 0; i < 5; i++) {
  await runUntilIdle(cluster.clock, { forMs: 4_000 });
  await show('');
}
cluster.raft.heal();
await runUntilIdle(cluster.clock, { forMs: 6_000 });
await show('healed');
for (const e of electors) e.stop();
