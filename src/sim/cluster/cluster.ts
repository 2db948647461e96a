/**
 * A lab's cluster: one etcd member, the API server over it, on one environment, plus the log of
 * every write the cluster's etcd committed since revision 1. The log is how a cluster's state
 * travels: the lab page keeps a session cluster that the terminal's kubectl talks to; a Run
 * rebuilds the same state in its fresh realm by replaying the log (same revisions, same
 * create/mod revisions and versions), and the page replays the run's new writes into its own
 * cluster afterwards, where its watches (`kubectl get -w`) see them arrive.
 * Not an upstream component: a test bed, like kind or envtest, made of the models.
 */
import { FakeClock } from '../core/clock';
import { resolveEnv, type EnvConfig, type SimEnv } from '../core/env';
import { UsageError } from '../core/errors';
import { deepCopy } from '../core/object';
import { newEtcd, type Etcd } from '../etcd/etcd';
import type { EtcdChange } from '../etcd/types';
import { newApiServer, type ApiServer } from '../apiserver/apiserver';
import { newClientset, type Clientset } from '../client/clientset';
import type { RestConfig } from '../client/rest_client';

/** A cluster's state as data: every committed write since revision 1, and the clock's time. */
export interface ClusterLog {
  changes: EtcdChange[];
  /** Virtual time of the cluster's clock when the log was taken. */
  clockMs: number;
}

export interface LabClusterOptions extends EnvConfig {
  /** Start from this state (replayed); omitted: a new cluster (default namespaces, the `kubernetes` Service). */
  from?: ClusterLog;
}

export class LabCluster {
  /** The cluster's clock: step it (or `runUntilIdle(cluster.clock)`) to let time pass. */
  readonly clock: FakeClock;
  readonly etcd: Etcd;
  readonly apiServer: ApiServer;
  readonly #env: SimEnv;
  readonly #log: EtcdChange[];

  /** Use `newLabCluster`. */
  constructor(env: SimEnv, etcd: Etcd, apiServer: ApiServer, log: EtcdChange[]) {
    this.#env = env;
    this.clock = env.clock;
    this.etcd = etcd;
    this.apiServer = apiServer;
    this.#log = log;
  }

  /** A clientset over this cluster's API server (QPS 5 / burst 10 unless given). */
  clientset(options: RestConfig = {}): Clientset {
    return newClientset(this.apiServer, { env: this.#env, ...options });
  }

  /** The etcd revision now. */
  get revision(): number {
    return this.etcd.revision;
  }

  /** The state as data (a copy). */
  log(): ClusterLog {
    return { changes: deepCopy(this.#log), clockMs: this.clock.now() };
  }

  /** The writes committed after `revision` (a copy). */
  changesSince(revision: number): EtcdChange[] {
    return deepCopy(this.#log.filter((c) => c.revision > revision));
  }

  /**
   * Replays writes another cluster made from this one's state (`changesSince` on a cluster
   * built from this one's log), through etcd, so this cluster's watchers see them; then moves
   * the clock to `clockMs` if that is later. Throws if the changes do not start at this
   * cluster's next revision.
   */
  async apply(changes: readonly EtcdChange[], clockMs?: number): Promise<void> {
    for (const change of changes) {
      const expected = this.etcd.revision + 1;
      if (change.revision !== expected) {
        throw new UsageError(`LabCluster.apply: change at revision ${change.revision} does not follow this cluster's revision ${expected - 1}`);
      }
      await applyChange(this.etcd, change);
    }
    if (clockMs !== undefined && clockMs > this.clock.now()) this.clock.setTime(clockMs);
  }
}

/** Applies one change as one txn, so it takes one revision with the same sub-revision order. */
async function applyChange(etcd: Etcd, change: EtcdChange): Promise<void> {
  // Leases do not travel (a lease's time is the other cluster's): keys are written without one.
  const success = change.ops.map((op) => (op.type === 'put' ? { put: { key: op.key, value: op.value } } : { delete: { key: op.key } }));
  const resp = await etcd.txn({ compare: [], success });
  if (resp.header.revision !== change.revision) {
    throw new UsageError(`LabCluster: replaying revision ${change.revision} produced revision ${resp.header.revision}`);
  }
}

/**
 * A lab cluster, new or rebuilt from `from`. Resolves once the API server's caches have listed
 * (and, for a new cluster, the default namespaces exist).
 */
export async function newLabCluster(options: LabClusterOptions = {}): Promise<LabCluster> {
  const from = options.from;
  const clock = options.clock ?? options.env?.clock ?? new FakeClock(from?.clockMs ?? 0);
  const env: SimEnv = resolveEnv({ ...options, clock });
  const etcd = newEtcd({ env });
  const log: EtcdChange[] = [];
  if (from) {
    for (const change of from.changes) await applyChange(etcd, change);
    log.push(...deepCopy(from.changes));
  }
  etcd.onCommit((change) => log.push(change));
  const apiServer = newApiServer({ env, etcd });
  await apiServer.whenReady();
  return new LabCluster(env, etcd, apiServer, log);
}
