/**
 * client-go's leader election, v0.34.0 tools/leaderelection/leaderelection.go: `NewLeaderElector`
 * (its validation), `Run`, `acquire`, `renew`, `release`, `tryAcquireOrRenew`,
 * `maybeReportTransition`, `Check`, `IsLeader`, `GetLeader`, and metrics.go's two metrics.
 *
 * The invariant that makes it work: a candidate trusts only its own clock. It notes when it last
 * saw the record change (`observedTime`), and takes the lock over only once `leaseDuration` has
 * passed on its clock since then; the times written in the record are never compared with it.
 * A leader keeps leading while its renewals succeed, and gives up once it failed to renew for
 * `renewDeadline` (< `leaseDuration`): so, with clocks that tick at the same rate and API calls
 * that answer quickly, it stops before anyone else may start. There is no fencing: nothing stops
 * a deposed leader's in-flight writes.
 */
import { isNotFound } from '../../apimachinery/errors';
import { resolveEnv, type SimEnv } from '../../core/env';
import { UsageError } from '../../core/errors';
import { EventEmitter } from '../../core/events';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import type { FakeClock } from '../../core/clock';
import { Context, jitterUntil, pollUntilContextTimeout, type ElectionClock } from './context';
import { leaderElectionEvents, type LeaderElectionEventMap } from './events';
import { emptyRecord, rawRecord, type LeaderElectionRecord, type ResourceLock } from './resourcelock';

/** Go: `JitterFactor`: acquire retries every retryPeriod to retryPeriod x 2.2. */
export const JitterFactor = 1.2;

export interface LeaderCallbacks {
  /** Called when this candidate starts leading; `ctx` is cancelled when it stops. */
  onStartedLeading(ctx: Context): void;
  /** Called when `run` ends, whether or not it ever led (upstream: always, even without leading). */
  onStoppedLeading(): void;
  /** Called with each leader observed that differs from the last one reported (the first included). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  lock: ResourceLock;
  /** How long a follower waits, on its own clock, without seeing the record change before it takes over (core components: 15 s). */
  leaseDurationMs: number;
  /** How long the leader keeps retrying a failed renewal before it gives up (core components: 10 s). */
  renewDeadlineMs: number;
  /** The wait between tries (core components: 2 s). */
  retryPeriodMs: number;
  callbacks: LeaderCallbacks;
  /** Go: ReleaseOnCancel: on a requested stop, write a record without holder and a 1 s lease. */
  releaseOnCancel?: boolean;
  /** Go: Name (the metrics' `name` label and the healthz message). */
  name?: string;
  /** The candidate's clock (default: the environment's). A skewed clock is how the known limit is shown. */
  clock?: ElectionClock;
  rng?: Rng;
  trace?: TraceRecorder;
  env?: SimEnv;
}

/** Go: `NewLeaderElector`: validates, in upstream's order and words. */
// Upstream: leaderelection.go (NewLeaderElector)
export function newLeaderElector(lec: LeaderElectionConfig): LeaderElector {
  if (lec.leaseDurationMs <= lec.renewDeadlineMs) throw new UsageError('leaseDuration must be greater than renewDeadline');
  if (lec.renewDeadlineMs <= Math.floor(JitterFactor * lec.retryPeriodMs)) throw new UsageError('renewDeadline must be greater than retryPeriod*JitterFactor');
  if (lec.leaseDurationMs < 1) throw new UsageError('leaseDuration must be greater than zero');
  if (lec.renewDeadlineMs < 1) throw new UsageError('renewDeadline must be greater than zero');
  if (lec.retryPeriodMs < 1) throw new UsageError('retryPeriod must be greater than zero');
  if (!lec.callbacks?.onStartedLeading) throw new UsageError('OnStartedLeading callback must not be nil');
  if (!lec.callbacks?.onStoppedLeading) throw new UsageError('OnStoppedLeading callback must not be nil');
  if (!lec.lock) throw new UsageError('Lock must not be nil.');
  if (lec.lock.identity() === '') throw new UsageError('Lock identity is empty');
  return new LeaderElector(lec);
}

/** A leader election client (Go: `LeaderElector`). Build it with {@link newLeaderElector}. */
export class LeaderElector {
  readonly config: LeaderElectionConfig;
  /** The record as last seen or written (Go: observedRecord). Writable, as upstream's tests set it. */
  observedRecord: LeaderElectionRecord = emptyRecord();
  /** Its raw bytes as last read from the lock (Go: observedRawRecord); a write does not update it. */
  observedRawRecord = rawRecord(emptyRecord());
  /** When, on this candidate's clock, the record was last seen to change (Go: observedTime; 0 = never). */
  observedTime = 0;
  /** The leader last reported to OnNewLeader (Go: reportedLeader). */
  reportedLeader = '';
  /** metrics.go: `leader_election_master_status{name}` (1 leading, 0 not) and `leader_election_slowpath_total{name}`. */
  readonly metrics = { masterStatus: 0, slowpathTotal: 0 };
  readonly clock: ElectionClock;
  readonly #rng: Rng;
  readonly #events: EventEmitter<LeaderElectionEventMap, { lock: string; identity: string }>;
  readonly #log: SimEnv['log'];
  #run: Context | undefined;
  #leading = false;

  constructor(lec: LeaderElectionConfig) {
    this.config = lec;
    // A skewed clock keeps the shared clock as `base`: trace events stay on the simulation's time.
    const base = (lec.clock as { base?: FakeClock } | undefined)?.base ?? (lec.clock as FakeClock | undefined);
    const env = resolveEnv({ env: lec.env, clock: base, rng: lec.rng, trace: lec.trace });
    this.clock = lec.clock ?? env.clock;
    this.#rng = lec.rng ?? env.rng.fork('leaderelection');
    this.#log = env.log;
    this.#events = new EventEmitter(leaderElectionEvents, { clock: env.clock, trace: env.trace }, { lock: lec.lock.describe(), identity: lec.lock.identity() });
  }

  /** Between OnStartedLeading and OnStoppedLeading: this candidate acts as the leader. */
  get leading(): boolean {
    return this.#leading;
  }

  /**
   * Go: `Run(ctx)`: acquire, then call OnStartedLeading and renew until a renewal fails for
   * renewDeadline or `ctx` (or `stop()`) ends it; OnStoppedLeading runs last in every case.
   */
  // Upstream: leaderelection.go (LeaderElector.Run)
  async run(parent: Context = new Context()): Promise<void> {
    const ctx = new Context(parent);
    this.#run = ctx;
    try {
      if (!(await this.acquire(ctx))) return;
      const leadCtx = new Context(ctx);
      this.#leading = true;
      this.#events.emit('leaderelection.leading', { leading: true });
      try {
        this.config.callbacks.onStartedLeading(leadCtx);
        await this.renew(leadCtx);
      } finally {
        leadCtx.cancel();
      }
    } finally {
      if (this.#leading) {
        this.#leading = false;
        this.#events.emit('leaderelection.leading', { leading: false });
      }
      this.config.callbacks.onStoppedLeading();
    }
  }

  /** Cancels the context `run` runs in (the process is asked to stop). */
  stop(): void {
    this.#run?.cancel();
  }

  /** Go: `GetLeader`: the last observed holder ('' before any). */
  getLeader(): string {
    return this.observedRecord.holderIdentity;
  }

  /** Go: `IsLeader`: whether the last observed holder is this candidate (may be stale). */
  isLeader(): boolean {
    return this.observedRecord.holderIdentity === this.config.lock.identity();
  }

  /**
   * Go: `Check(maxTolerableExpiredLease)`, the healthz adaptor's check: a leader that has not
   * renewed for leaseDuration + the tolerance is unhealthy. Returns the error text, or undefined.
   */
  // Upstream: leaderelection.go (LeaderElector.Check), healthzadaptor.go (HealthzAdaptor.Check)
  check(maxTolerableExpiredLeaseMs: number): string | undefined {
    if (!this.isLeader()) return undefined;
    if (this.clock.now() - this.observedTime > this.config.leaseDurationMs + maxTolerableExpiredLeaseMs) {
      return `failed election to renew leadership on lease ${this.config.name ?? ''}`;
    }
    return undefined;
  }

  // Upstream: leaderelection.go (LeaderElector.acquire)
  async acquire(parent: Context): Promise<boolean> {
    const ctx = new Context(parent);
    let succeeded = false;
    const desc = this.config.lock.describe();
    this.#info(`attempting to acquire leader lease ${desc}...`);
    await jitterUntil(
      ctx,
      this.clock,
      async () => {
        succeeded = await this.tryAcquireOrRenew(ctx);
        this.maybeReportTransition();
        if (!succeeded) {
          this.#info(`failed to acquire lease ${desc}`, 4);
          return;
        }
        this.config.lock.recordEvent('became leader');
        this.metrics.masterStatus = 1;
        this.#info(`successfully acquired lease ${desc}`);
        ctx.cancel();
      },
      this.config.retryPeriodMs,
      JitterFactor,
      () => this.#rng.float(),
    );
    ctx.cancel();
    return succeeded;
  }

  // Upstream: leaderelection.go (LeaderElector.renew): wait.Until(poll renewDeadline every retryPeriod, retryPeriod)
  async renew(parent: Context): Promise<void> {
    const ctx = new Context(parent);
    await jitterUntil(
      ctx,
      this.clock,
      async () => {
        const err = await pollUntilContextTimeout(ctx, this.clock, this.config.retryPeriodMs, this.config.renewDeadlineMs, (c) => this.tryAcquireOrRenew(c));
        this.maybeReportTransition();
        const desc = this.config.lock.describe();
        if (err === undefined) {
          this.#info(`successfully renewed lease ${desc}`, 5);
          return;
        }
        this.metrics.masterStatus = 0;
        this.#info(`failed to renew lease ${desc}: ${err}`);
        ctx.cancel();
      },
      this.config.retryPeriodMs,
      0,
      () => 0,
    );
    ctx.cancel();
    if (this.config.releaseOnCancel) await this.release();
    this.config.lock.recordEvent('stopped leading');
  }

  /** Go: `release`: if this candidate holds the lock, hand it back (no holder, a 1 s lease). */
  // Upstream: leaderelection.go (LeaderElector.release)
  async release(): Promise<boolean> {
    const ctx = Context.withTimeout(new Context(), this.clock, this.config.renewDeadlineMs);
    try {
      let old: LeaderElectionRecord;
      try {
        old = (await this.config.lock.get(ctx)).record;
      } catch (err) {
        if (!isNotFound(err)) {
          this.#error(`error retrieving resource lock ${this.config.lock.describe()}: ${(err as Error).message}`);
          return false;
        }
        this.#info(`lease lock not found: ${this.config.lock.describe()}`);
        return false;
      }
      if (!this.isLeader()) return true;
      const now = this.clock.now();
      const record: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now, leaderTransitions: old.leaderTransitions };
      try {
        await this.config.lock.update(ctx, record);
      } catch (err) {
        this.#error(`Failed to release lock: ${(err as Error).message}`);
        return false;
      }
      this.setObservedRecord(record);
      return true;
    } finally {
      ctx.cancel();
    }
  }

  /**
   * Go: `tryAcquireOrRenew`: true when this candidate holds the lock afterwards. The fast path
   * (already leader, lease valid on our clock) updates without reading; otherwise read, note a
   * changed record with the local time, and take the lock only if it has no holder, is ours, or
   * has not changed for leaseDuration on our clock.
   */
  // Upstream: leaderelection.go (LeaderElector.tryAcquireOrRenew)
  async tryAcquireOrRenew(ctx: Context): Promise<boolean> {
    const lock = this.config.lock;
    const now = this.clock.now();
    const record: LeaderElectionRecord = {
      holderIdentity: lock.identity(),
      leaseDurationSeconds: Math.floor(this.config.leaseDurationMs / 1000),
      renewTime: now,
      acquireTime: now,
      leaderTransitions: 0,
    };
    const tried = (result: string, error = '') => this.#events.emit('leaderelection.try', { result, holder: this.observedRecord.holderIdentity, transitions: this.observedRecord.leaderTransitions, error });

    // 1. fast path for the leader
    if (this.isLeader() && this.isLeaseValid(now)) {
      const old = this.observedRecord;
      record.acquireTime = old.acquireTime;
      record.leaderTransitions = old.leaderTransitions;
      try {
        await lock.update(ctx, record);
        this.setObservedRecord(record);
        tried('renewed');
        return true;
      } catch (err) {
        this.#error(`Failed to update lock optimistically: ${(err as Error).message}, falling back to slow path`);
      }
    }

    // 2. obtain or create the record
    let old: LeaderElectionRecord;
    let oldRaw: string;
    try {
      ({ record: old, raw: oldRaw } = await lock.get(ctx));
    } catch (err) {
      if (!isNotFound(err)) {
        this.#error(`error retrieving resource lock ${lock.describe()}: ${(err as Error).message}`);
        tried('error', (err as Error).message);
        return false;
      }
      try {
        await lock.create(ctx, record);
      } catch (e) {
        this.#error(`error initially creating leader election record: ${(e as Error).message}`);
        tried('error', (e as Error).message);
        return false;
      }
      this.setObservedRecord(record);
      tried('created');
      return true;
    }

    // 3. record obtained: a change restarts our local lease clock
    if (this.observedRawRecord !== oldRaw) {
      this.setObservedRecord(old);
      this.observedRawRecord = oldRaw;
    }
    if (old.holderIdentity.length > 0 && this.isLeaseValid(now) && !this.isLeader()) {
      this.#info(`lock is held by ${old.holderIdentity} and has not yet expired`, 4);
      tried('held');
      return false;
    }

    // 4. we are going to try to update: keep acquireTime and transitions if we already hold it
    const wasLeader = this.isLeader();
    if (wasLeader) {
      record.acquireTime = old.acquireTime;
      record.leaderTransitions = old.leaderTransitions;
      this.metrics.slowpathTotal++;
    } else {
      record.leaderTransitions = old.leaderTransitions + 1;
    }
    try {
      await lock.update(ctx, record);
    } catch (err) {
      this.#error(`Failed to update lock: ${(err as Error).message}`);
      tried('error', (err as Error).message);
      return false;
    }
    this.setObservedRecord(record);
    tried(wasLeader ? 'renewed' : 'acquired');
    return true;
  }

  /** Go: `maybeReportTransition`: OnNewLeader when the observed holder changed since last reported. */
  // Upstream: leaderelection.go (LeaderElector.maybeReportTransition)
  maybeReportTransition(): void {
    if (this.observedRecord.holderIdentity === this.reportedLeader) return;
    this.reportedLeader = this.observedRecord.holderIdentity;
    this.#events.emit('leaderelection.newLeader', { leader: this.reportedLeader });
    this.config.callbacks.onNewLeader?.(this.reportedLeader);
  }

  // Upstream: leaderelection.go (LeaderElector.isLeaseValid)
  isLeaseValid(nowMs: number): boolean {
    return this.observedTime + this.observedRecord.leaseDurationSeconds * 1000 > nowMs;
  }

  // Upstream: leaderelection.go (LeaderElector.setObservedRecord)
  setObservedRecord(r: LeaderElectionRecord): void {
    this.observedRecord = { ...r };
    this.observedTime = this.clock.now();
  }

  #info(message: string, v = 0): void {
    this.#events.emit('leaderelection.log', { level: 'info', source: 'leaderelection.go', v, message });
  }

  #error(message: string): void {
    this.#events.emit('leaderelection.log', { level: 'error', source: 'leaderelection.go', v: 0, message });
  }

  /** A klog line of the component the elector runs in (kube-controller-manager's `leaderelection lost`). */
  log(level: 'info' | 'error', source: string, message: string): void {
    this.#events.emit('leaderelection.log', { level, source, v: 0, message });
  }

  /** klog's -v of this elector's environment (for callers that print its lines). */
  get logger(): SimEnv['log'] {
    return this.#log;
  }
}

/** Go: `NewLeaderHealthzAdaptor(timeout)`: the `leaderElection` healthz check. */
// Upstream: healthzadaptor.go (HealthzAdaptor)
export function newLeaderHealthzAdaptor(timeoutMs: number) {
  let le: LeaderElector | undefined;
  return {
    name: () => 'leaderElection',
    setLeaderElection(e: LeaderElector) {
      le = e;
    },
    /** Undefined when healthy (or before an elector is set), else the error text. */
    check: (): string | undefined => le?.check(timeoutMs),
  };
}
export type HealthzAdaptor = ReturnType<typeof newLeaderHealthzAdaptor>;
