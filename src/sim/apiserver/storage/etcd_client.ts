/**
 * The etcd client the storage layer talks to: clientv3's KV / Watch shapes as DESIGN.md states
 * them (`newEtcd({ clock })`: put / get / delete / txn / compact / watch, results with
 * `header.revision`, kvs with `createRevision`, `modRevision`, `version`, `lease`), and on top of
 * it the small `kubernetes` client that kube-apiserver's etcd3 store calls (OptimisticPut,
 * OptimisticDelete, Get, List, Count), after etcd's client/v3/kubernetes. Calls may return a value
 * or a promise (the storage layer awaits either).
 * Upstream: go.etcd.io/etcd/client/v3 kubernetes/client.go (Client.Get, List, Count,
 * OptimisticPut, OptimisticDelete), mvcc errors (ErrCompacted, ErrFutureRev)
 */
import { UsageError } from '../../core/errors';

export interface EtcdKeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  lease?: number;
}

export interface EtcdHeader {
  revision: number;
}

export interface EtcdRangeOptions {
  prefix?: boolean;
  rangeEnd?: string;
  revision?: number;
  limit?: number;
  keysOnly?: boolean;
  countOnly?: boolean;
}

export interface EtcdGetResponse {
  header: EtcdHeader;
  kvs: EtcdKeyValue[];
  count: number;
  more?: boolean;
}

export interface EtcdCompare {
  key: string;
  target: 'VALUE' | 'VERSION' | 'CREATE' | 'MOD' | 'LEASE';
  result: '=' | '!=' | '<' | '>';
  value: string | number;
}

export type EtcdOp =
  | { put: { key: string; value: string; lease?: number } }
  | { get: { key: string } & EtcdRangeOptions }
  | { delete: { key: string; prefix?: boolean; rangeEnd?: string; prevKv?: boolean } };

export interface EtcdTxnResponse {
  header: EtcdHeader;
  succeeded: boolean;
  /** One response per op of the branch taken, in order; a get's is an EtcdGetResponse (`kvs`). */
  responses: Array<Partial<EtcdGetResponse> & Record<string, unknown>>;
}

export interface EtcdWatchEvent {
  type: 'PUT' | 'DELETE';
  kv: EtcdKeyValue;
  prevKv?: EtcdKeyValue;
}

/** One clientv3 WatchResponse. */
export interface EtcdWatchResponse {
  header: EtcdHeader;
  events: EtcdWatchEvent[];
  /** The watch ended (e.g. its start revision was compacted). */
  canceled?: boolean;
  /** Set with `canceled` when the start revision was compacted. */
  compactRevision?: number;
  /** A progress notification (no events, header.revision is the progress). */
  progressNotify?: boolean;
  /** Why it was cancelled, in etcd's words. */
  err?: string;
}

/** clientv3's KV and Watch, as the etcd model offers them. */
export interface EtcdClient {
  put(key: string, value: string, opts?: { lease?: number; prevKv?: boolean }): unknown;
  get(key: string, opts?: EtcdRangeOptions): EtcdGetResponse | Promise<EtcdGetResponse>;
  delete(key: string, opts?: { prefix?: boolean; rangeEnd?: string; prevKv?: boolean }): unknown;
  txn(t: { compare: EtcdCompare[]; success: EtcdOp[]; failure: EtcdOp[] }): EtcdTxnResponse | Promise<EtcdTxnResponse>;
  compact(revision: number): unknown;
  watch(key: string, opts: { prefix?: boolean; startRevision?: number; prevKv?: boolean; progressNotify?: boolean }, handler: (resp: EtcdWatchResponse) => void): (() => void) | { cancel(): void };
  /** clientv3 `RequestProgress`: every watch gets a progress notification at the current revision. */
  requestProgress?(): unknown;
  leaseGrant?(ttlSec: number): unknown;
}

/** etcd's texts for the two range errors the storage layer interprets. */
export const ErrCompactedText = 'etcdserver: mvcc: required revision has been compacted';
export const ErrFutureRevText = 'etcdserver: mvcc: required revision is a future revision';

/** Go: `err == rpctypes.ErrCompacted` (an etcd error says it in its message). */
export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision has been compacted');
}

/** Go: `errors.Is(err, rpctypes.ErrFutureRev)`. */
export function isFutureRevError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision is a future revision');
}

/** The key after every key with `prefix` (Go: `clientv3.GetPrefixRangeEnd`). */
export function prefixRangeEnd(prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return '\0';
}

export interface ListResponse {
  kvs: EtcdKeyValue[];
  count: number;
  revision: number;
}

/**
 * etcd's `kubernetes.Interface`, what kube-apiserver's store calls: every write is a
 * transaction guarded by the key's modRevision.
 */
// Upstream: go.etcd.io/etcd/client/v3 kubernetes/client.go (Client)
export class KubernetesClient {
  readonly #kv: EtcdClient;

  constructor(kv: EtcdClient) {
    if (!kv || typeof kv.txn !== 'function') throw new UsageError('newApiServer: etcd must offer put/get/delete/txn/watch');
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
    if (!resp.succeeded && opts.getOnFailure) out.kv = rangeKvs(resp.responses[0])[0];
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
    if (!resp.succeeded && opts.getOnFailure) out.kv = rangeKvs(resp.responses[0])[0];
    return out;
  }
}

/** The kvs of a txn's range response, whichever way the etcd model nests it. */
function rangeKvs(r: unknown): EtcdKeyValue[] {
  if (!r || typeof r !== 'object') return [];
  const o = r as Record<string, unknown>;
  for (const v of [o, o.get, o.range, o.responseRange, o.response_range]) {
    if (v && typeof v === 'object' && Array.isArray((v as { kvs?: unknown }).kvs)) return (v as { kvs: EtcdKeyValue[] }).kvs;
  }
  return [];
}

/** Cancels a watch, whichever shape the etcd model returns. */
export function cancelEtcdWatch(c: (() => void) | { cancel(): void }): void {
  if (typeof c === 'function') c();
  else c.cancel();
}
