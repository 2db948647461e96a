/**
 * The etcd the storage layer talks to (the etcd model's client: `newEtcd`, DESIGN.md's API), and
 * on top of it the small `kubernetes` client that kube-apiserver's etcd3 store calls
 * (OptimisticPut, OptimisticDelete, Get, List, Count), after etcd's client/v3/kubernetes.
 * Upstream: go.etcd.io/etcd/client/v3 kubernetes/client.go (Client.Get, List, Count,
 * OptimisticPut, OptimisticDelete), mvcc errors (ErrCompacted, ErrFutureRev)
 */
import { UsageError } from '../../core/errors';
import type { Etcd } from '../../etcd/etcd';
import { getPrefixRangeEnd } from '../../etcd/etcd';
import type { KeyValue, ResponseOp, WatchCancel } from '../../etcd/types';

/** What the API server needs of an etcd: one member (`newEtcd`) or, later, the replicated cluster. */
export type EtcdClient = Pick<Etcd, 'put' | 'get' | 'delete' | 'txn' | 'compact' | 'watch' | 'requestProgress' | 'leaseGrant'>;

export type EtcdKeyValue = KeyValue;
export type { WatchResponse as EtcdWatchResponse } from '../../etcd/types';

/** etcd's text for a read or watch below the compaction (rpctypes.ErrCompacted). */
export const ErrCompactedText = 'etcdserver: mvcc: required revision has been compacted';

/** Go: `err == rpctypes.ErrCompacted` (an etcd error says it in its message). */
export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision has been compacted');
}

/** Go: `errors.Is(err, rpctypes.ErrFutureRev)`. */
export function isFutureRevError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision is a future revision');
}

/** The key after every key with `prefix` (Go: `clientv3.GetPrefixRangeEnd`). */
export const prefixRangeEnd = getPrefixRangeEnd;

export interface ListResponse {
  kvs: EtcdKeyValue[];
  count: number;
  revision: number;
}

/** The kvs of a txn's range response (Go: `resp.Responses[0].GetResponseRange().Kvs`). */
export function responseRangeKvs(r: ResponseOp | undefined): EtcdKeyValue[] {
  return r && 'responseRange' in r ? r.responseRange.kvs : [];
}

/**
 * etcd's `kubernetes.Interface`, what kube-apiserver's store calls: every write is a
 * transaction guarded by the key's modRevision.
 */
// Upstream: go.etcd.io/etcd/client/v3 kubernetes/client.go (Client)
export class KubernetesClient {
  readonly #kv: EtcdClient;

  constructor(kv: EtcdClient) {
    if (!kv || typeof kv.txn !== 'function' || typeof kv.watch !== 'function') throw new UsageError('newApiServer: etcd must be an etcd client (newEtcd())');
    this.#kv = kv;
  }

  get kv(): EtcdClient {
    return this.#kv;
  }

  // Upstream: Client.Get
  async get(key: string, opts: { revision?: number } = {}): Promise<{ kv: EtcdKeyValue | undefined; revision: number }> {
    const resp = await this.#kv.get(key, opts.revision ? { revision: opts.revision } : {});
    return { kv: resp.kvs[0], revision: resp.header.revision };
  }

  /** Keys from `continueKey` (or `prefix`) to the end of the prefix, at `revision` (0: the newest). */
  // Upstream: Client.List
  async list(prefix: string, opts: { revision?: number; limit?: number; continueKey?: string }): Promise<ListResponse> {
    const rangeStart = opts.continueKey ? opts.continueKey : prefix;
    const resp = await this.#kv.get(rangeStart, {
      rangeEnd: prefixRangeEnd(prefix),
      ...(opts.limit ? { limit: opts.limit } : {}),
      ...(opts.revision ? { revision: opts.revision } : {}),
    });
    return { kvs: resp.kvs, count: resp.count, revision: resp.header.revision };
  }

  // Upstream: Client.Count
  async count(prefix: string): Promise<number> {
    const resp = await this.#kv.get(prefix, { rangeEnd: prefixRangeEnd(prefix), countOnly: true });
    return resp.count;
  }

  /** Puts `value` if the key's modRevision is `expectedRevision` (0: the key must not exist). */
  // Upstream: Client.OptimisticPut
  async optimisticPut(key: string, value: string, expectedRevision: number, opts: { getOnFailure?: boolean; lease?: number } = {}): Promise<{ succeeded: boolean; revision: number; kv?: EtcdKeyValue }> {
    const resp = await this.#kv.txn({
      compare: [{ key, target: 'MOD', result: '=', value: expectedRevision }],
      success: [{ put: { key, value, ...(opts.lease ? { lease: opts.lease } : {}) } }],
      failure: opts.getOnFailure ? [{ get: { key } }] : [],
    });
    const out: { succeeded: boolean; revision: number; kv?: EtcdKeyValue } = { succeeded: resp.succeeded, revision: resp.header.revision };
    if (!resp.succeeded && opts.getOnFailure) out.kv = responseRangeKvs(resp.responses[0])[0];
    return out;
  }

  /** Deletes the key if its modRevision is `expectedRevision`. */
  // Upstream: Client.OptimisticDelete
  async optimisticDelete(key: string, expectedRevision: number, opts: { getOnFailure?: boolean } = {}): Promise<{ succeeded: boolean; revision: number; kv?: EtcdKeyValue }> {
    const resp = await this.#kv.txn({
      compare: [{ key, target: 'MOD', result: '=', value: expectedRevision }],
      success: [{ delete: { key } }],
      failure: opts.getOnFailure ? [{ get: { key } }] : [],
    });
    const out: { succeeded: boolean; revision: number; kv?: EtcdKeyValue } = { succeeded: resp.succeeded, revision: resp.header.revision };
    if (!resp.succeeded && opts.getOnFailure) out.kv = responseRangeKvs(resp.responses[0])[0];
    return out;
  }
}

/** Cancels a watch. */
export function cancelEtcdWatch(c: WatchCancel): void {
  c();
}
