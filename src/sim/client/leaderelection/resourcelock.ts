/**
 * The lock leader election writes: client-go v0.34.0 tools/leaderelection/resourcelock
 * (interface.go: `LeaderElectionRecord`, `Interface`, `New`; leaselock.go: `LeaseLock`,
 * `LeaseSpecToLeaderElectionRecord`, `LeaderElectionRecordToLeaseSpec`). Only the Lease lock is
 * left upstream (endpoints and configmaps locks were removed), so only it is modelled.
 */
import { isNotFound } from '../../apimachinery/errors';
import type { KubeObject } from '../../core/object';
import type { Clientset } from '../clientset';
import type { EventRecorder } from '../record';
import { defaultHost } from '../rest_client';
import { Context, race, type ElectionClock } from './context';

/**
 * What every candidate reads and writes (Go: `LeaderElectionRecord`). Times are virtual ms of the
 * writer's clock, `null` for Go's zero time. Followers never compare these times with their own
 * clock: a change of the record, observed locally, is all that counts.
 */
export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: number | null;
  renewTime: number | null;
  leaderTransitions: number;
  strategy?: string;
  preferredHolder?: string;
}

export const LeasesResourceLock = 'leases';

/** The lock's operations (Go: `resourcelock.Interface`). A failed call rejects. */
export interface ResourceLock {
  /** The record and its raw bytes (JSON, as Go marshals it: times in whole seconds). */
  get(ctx: Context): Promise<{ record: LeaderElectionRecord; raw: string }>;
  create(ctx: Context, ler: LeaderElectionRecord): Promise<void>;
  update(ctx: Context, ler: LeaderElectionRecord): Promise<void>;
  /** Records `<identity> <s>` as a LeaderElection event on the lock object. */
  recordEvent(s: string): void;
  identity(): string;
  /** `namespace/name`. */
  describe(): string;
}

/** metav1.Time as JSON: RFC 3339 in whole seconds, `null` for the zero time. */
function metaTime(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'); // allow-nondeterminism: formats virtual time, reads no clock
}

/** metav1.MicroTime as JSON: six fractional digits, `null` for the zero time. */
// Upstream: apimachinery pkg/apis/meta/v1/micro_time.go (RFC3339Micro)
export function microTime(ms: number | null): string | null {
  if (ms === null) return null;
  const whole = Math.floor(ms / 1000) * 1000;
  const micros = String(Math.round((ms - whole) * 1000)).padStart(6, '0');
  return `${new Date(whole).toISOString().slice(0, 19)}.${micros}Z`; // allow-nondeterminism: formats virtual time, reads no clock
}

/** A MicroTime (or Time) string as ms; null or absent is the zero time. */
export function parseMicroTime(s: unknown): number | null {
  if (typeof s !== 'string' || s === '') return null;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(s);
  if (!m) return null;
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return Date.parse(`${m[1]}Z`) + Number(frac) / 1000;
}

/** The raw record the elector compares to notice a change (Go: json.Marshal of the record). */
export function rawRecord(r: LeaderElectionRecord): string {
  return JSON.stringify({
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: metaTime(r.acquireTime),
    renewTime: metaTime(r.renewTime),
    leaderTransitions: r.leaderTransitions,
    strategy: r.strategy ?? '',
    preferredHolder: r.preferredHolder ?? '',
  });
}

/** The empty record (Go's zero value). */
export function emptyRecord(): LeaderElectionRecord {
  return { holderIdentity: '', leaseDurationSeconds: 0, acquireTime: null, renewTime: null, leaderTransitions: 0 };
}

/** Go: `LeaseSpecToLeaderElectionRecord`. */
// Upstream: resourcelock/leaselock.go (LeaseSpecToLeaderElectionRecord)
export function leaseSpecToLeaderElectionRecord(spec: Record<string, unknown> | undefined): LeaderElectionRecord {
  const s = spec ?? {};
  const r = emptyRecord();
  if (typeof s.holderIdentity === 'string') r.holderIdentity = s.holderIdentity;
  if (typeof s.leaseDurationSeconds === 'number') r.leaseDurationSeconds = s.leaseDurationSeconds;
  if (typeof s.leaseTransitions === 'number') r.leaderTransitions = s.leaseTransitions;
  r.acquireTime = parseMicroTime(s.acquireTime);
  r.renewTime = parseMicroTime(s.renewTime);
  if (typeof s.preferredHolder === 'string') r.preferredHolder = s.preferredHolder;
  if (typeof s.strategy === 'string') r.strategy = s.strategy;
  return r;
}

/** Go: `LeaderElectionRecordToLeaseSpec` (every field set; the times as MicroTime). */
// Upstream: resourcelock/leaselock.go (LeaderElectionRecordToLeaseSpec)
export function leaderElectionRecordToLeaseSpec(ler: LeaderElectionRecord): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    holderIdentity: ler.holderIdentity,
    leaseDurationSeconds: ler.leaseDurationSeconds,
    acquireTime: microTime(ler.acquireTime),
    renewTime: microTime(ler.renewTime),
    leaseTransitions: ler.leaderTransitions,
  };
  if (ler.preferredHolder) spec.preferredHolder = ler.preferredHolder;
  if (ler.strategy) spec.strategy = ler.strategy;
  return spec;
}

export interface LeaseLockOptions {
  namespace: string;
  name: string;
  client: Clientset;
  identity: string;
  /** Where `became leader` / `stopped leading` go (Go: ResourceLockConfig.EventRecorder); none: not recorded. */
  eventRecorder?: EventRecorder;
  labels?: Record<string, string>;
  /**
   * The client's request timeout (Go: rest.Config.Timeout; `NewFromKubeconfig` sets renewDeadline / 2,
   * at least 1 s). Needs `clock`. Omitted: a call waits as long as its context lets it.
   */
  timeoutMs?: number;
  clock?: ElectionClock;
}

/** Go: `resourcelock.LeaseLock`. */
// Upstream: resourcelock/leaselock.go (LeaseLock)
export class LeaseLock implements ResourceLock {
  readonly #o: LeaseLockOptions;
  /** The Lease as last read or written (Go: `ll.lease`); updates send its resourceVersion. */
  lease: KubeObject | undefined;

  constructor(o: LeaseLockOptions) {
    this.#o = o;
  }

  #leases() {
    return this.#o.client.coordinationV1().leases(this.#o.namespace);
  }

  #call<T>(ctx: Context, verb: string, name: string, p: () => Promise<T>): Promise<T> {
    const o = this.#o;
    const url = `${defaultHost}/apis/coordination.k8s.io/v1/namespaces/${o.namespace}/leases${name ? `/${name}` : ''}`;
    const timeout = o.timeoutMs !== undefined && o.clock ? Context.withTimeout(ctx, o.clock, o.timeoutMs) : ctx;
    const query = o.timeoutMs !== undefined ? `?timeout=${o.timeoutMs / 1000}s` : '';
    // Go's HTTP client sends nothing once the request's context is done.
    if (timeout.done) return Promise.reject(new Error(`${verb} "${url}${query}": ${timeout.err}`));
    return race(timeout, p(), (err) => `${verb} "${url}${query}": ${err}`).finally(() => {
      if (timeout !== ctx) timeout.cancel();
    });
  }

  // Upstream: LeaseLock.Get
  async get(ctx: Context): Promise<{ record: LeaderElectionRecord; raw: string }> {
    const lease = await this.#call(ctx, 'Get', this.#o.name, () => this.#leases().get(this.#o.name));
    this.lease = lease;
    const record = leaseSpecToLeaderElectionRecord(lease.spec as Record<string, unknown>);
    return { record, raw: rawRecord(record) };
  }

  // Upstream: LeaseLock.Create
  async create(ctx: Context, ler: LeaderElectionRecord): Promise<void> {
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.#o.name, namespace: this.#o.namespace, ...(this.#o.labels ? { labels: { ...this.#o.labels } } : {}) },
      spec: leaderElectionRecordToLeaseSpec(ler),
    };
    this.lease = await this.#call(ctx, 'Post', '', () => this.#leases().create(lease));
  }

  // Upstream: LeaseLock.Update
  async update(ctx: Context, ler: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw new Error('lease not initialized, call get or create first');
    const labels = this.#o.labels ? { ...(this.lease.metadata.labels ?? {}), ...this.#o.labels } : this.lease.metadata.labels;
    const next: KubeObject = { ...this.lease, metadata: { ...this.lease.metadata, ...(labels ? { labels } : {}) }, spec: leaderElectionRecordToLeaseSpec(ler) };
    this.lease = await this.#call(ctx, 'Put', this.#o.name, () => this.#leases().update(next));
  }

  // Upstream: LeaseLock.RecordEvent
  recordEvent(s: string): void {
    const recorder = this.#o.eventRecorder;
    if (!recorder || !this.lease) return;
    const subject: KubeObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { ...this.lease.metadata } };
    void recorder.event(subject, 'Normal', 'LeaderElection', `${this.#o.identity} ${s}`);
  }

  // Upstream: LeaseLock.Describe
  describe(): string {
    return `${this.#o.namespace}/${this.#o.name}`;
  }

  // Upstream: LeaseLock.Identity
  identity(): string {
    return this.#o.identity;
  }
}

/**
 * Go: `resourcelock.New(lockType, ns, name, ...)`: `leases` is the only lock type left; the
 * removed ones fail with upstream's migration message.
 */
// Upstream: resourcelock/interface.go (new)
export function newResourceLock(lockType: string, o: LeaseLockOptions): ResourceLock {
  switch (lockType) {
    case 'endpoints':
      throw new Error(`endpoints lock is removed, migrate to ${LeasesResourceLock}`);
    case 'configmaps':
      throw new Error(`configmaps lock is removed, migrate to ${LeasesResourceLock}`);
    case LeasesResourceLock:
      return new LeaseLock(o);
    case 'endpointsleases':
      throw new Error(`endpointsleases lock is removed, migrate to ${LeasesResourceLock}`);
    case 'configmapsleases':
      throw new Error(`configmapsleases lock is removed, migrated to ${LeasesResourceLock}`);
    default:
      throw new Error(`Invalid lock-type ${lockType}`);
  }
}

export { isNotFound };
