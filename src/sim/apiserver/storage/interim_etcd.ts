/**
 * INTERIM: a minimal single-member MVCC store with DESIGN.md's etcd API, so the API server runs
 * until the etcd model (src/sim/etcd, `newEtcd`) is merged; then this file goes and `newApiServer`
 * uses `newEtcd`. Revisions, ranges at a revision, compaction ("etcdserver: mvcc: required
 * revision has been compacted"), transactions on MOD/VERSION/CREATE/VALUE, and watches with a
 * start revision, prevKv and progress notifications. Watch responses are delivered in a
 * microtask after the write, in revision order.
 */
import {
  ErrCompactedText,
  ErrFutureRevText,
  type EtcdClient,
  type EtcdCompare,
  type EtcdGetResponse,
  type EtcdKeyValue,
  type EtcdOp,
  type EtcdRangeOptions,
  type EtcdTxnResponse,
  type EtcdWatchEvent,
  type EtcdWatchResponse,
  prefixRangeEnd,
} from './etcd_client';

interface Change {
  rev: number;
  type: 'PUT' | 'DELETE';
  kv: EtcdKeyValue;
  prevKv?: EtcdKeyValue;
}

interface Watcher {
  key: string;
  end: string | undefined;
  prevKv: boolean;
  handler: (r: EtcdWatchResponse) => void;
  pending: EtcdWatchResponse[];
  scheduled: boolean;
  cancelled: boolean;
}

export function newInterimEtcd(): EtcdClient & { revision(): number; compactRevision(): number } {
  return new InterimEtcd();
}

class InterimEtcd implements EtcdClient {
  #rev = 1;
  #compacted = 0;
  readonly #current = new Map<string, EtcdKeyValue>();
  readonly #history: Change[] = [];
  readonly #watchers = new Set<Watcher>();
  /** The changes of the revision being written. */
  #batch: Change[] = [];

  revision(): number {
    return this.#rev;
  }

  compactRevision(): number {
    return this.#compacted;
  }

  put(key: string, value: string, opts: { lease?: number } = {}): { header: { revision: number } } {
    this.#rev++;
    this.#putAt(key, value, opts.lease ?? 0);
    this.#notify();
    return { header: { revision: this.#rev } };
  }

  get(key: string, opts: EtcdRangeOptions = {}): EtcdGetResponse {
    return this.#range(key, opts);
  }

  delete(key: string, opts: { prefix?: boolean; rangeEnd?: string } = {}): { header: { revision: number }; deleted: number } {
    const keys = this.#range(key, { ...opts, keysOnly: true }).kvs.map((kv) => kv.key);
    if (keys.length > 0) {
      this.#rev++;
      for (const k of keys) this.#deleteAt(k);
      this.#notify();
    }
    return { header: { revision: this.#rev }, deleted: keys.length };
  }

  txn(t: { compare: EtcdCompare[]; success: EtcdOp[]; failure: EtcdOp[] }): EtcdTxnResponse {
    const ok = t.compare.every((c) => this.#compare(c));
    const ops = ok ? t.success : t.failure;
    const writes = ops.some((op) => 'put' in op || ('delete' in op && this.#range(op.delete.key, { ...op.delete, keysOnly: true }).kvs.length > 0));
    if (writes) this.#rev++;
    const responses: EtcdTxnResponse['responses'] = [];
    for (const op of ops) {
      if ('put' in op) {
        this.#putAt(op.put.key, op.put.value, op.put.lease ?? 0);
        responses.push({});
      } else if ('get' in op) {
        responses.push(this.#range(op.get.key, op.get) as unknown as EtcdTxnResponse['responses'][number]);
      } else {
        const keys = this.#range(op.delete.key, { ...op.delete, keysOnly: true }).kvs.map((kv) => kv.key);
        for (const k of keys) this.#deleteAt(k);
        responses.push({ deleted: keys.length });
      }
    }
    if (writes) this.#notify();
    return { header: { revision: this.#rev }, succeeded: ok, responses };
  }

  compact(revision: number): { header: { revision: number } } {
    if (revision <= this.#compacted) throw new Error(ErrCompactedText);
    if (revision > this.#rev) throw new Error(ErrFutureRevText);
    this.#compacted = revision;
    // Keep, per key, the newest change at or below the compacted revision (still visible there).
    const keep: Change[] = [];
    const lastBelow = new Map<string, Change>();
    for (const c of this.#history) {
      if (c.rev <= revision) lastBelow.set(c.kv.key, c);
      else keep.push(c);
    }
    const kept = [...lastBelow.values()].filter((c) => c.type === 'PUT').sort((a, b) => a.rev - b.rev);
    this.#history.length = 0;
    this.#history.push(...kept, ...keep);
    return { header: { revision: this.#rev } };
  }

  watch(key: string, opts: { prefix?: boolean; startRevision?: number; prevKv?: boolean }, handler: (r: EtcdWatchResponse) => void): () => void {
    const w: Watcher = { key, end: opts.prefix ? prefixRangeEnd(key) : undefined, prevKv: !!opts.prevKv, handler, pending: [], scheduled: false, cancelled: false };
    const start = opts.startRevision ?? 0;
    if (start > 0 && start <= this.#compacted) {
      this.#deliver(w, { header: { revision: this.#rev }, events: [], canceled: true, compactRevision: this.#compacted, err: ErrCompactedText });
      return () => {};
    }
    if (start > 0) {
      const events = this.#history.filter((c) => c.rev >= start && this.#matches(w, c.kv.key)).map((c) => this.#event(w, c));
      if (events.length > 0) this.#deliver(w, { header: { revision: this.#rev }, events });
    }
    this.#watchers.add(w);
    return () => {
      w.cancelled = true;
      this.#watchers.delete(w);
    };
  }

  requestProgress(): void {
    for (const w of this.#watchers) this.#deliver(w, { header: { revision: this.#rev }, events: [], progressNotify: true });
  }

  #matches(w: Watcher, key: string): boolean {
    return w.end === undefined ? key === w.key : key >= w.key && key < w.end;
  }

  #event(w: Watcher, c: Change): EtcdWatchEvent {
    return w.prevKv && c.prevKv ? { type: c.type, kv: c.kv, prevKv: c.prevKv } : { type: c.type, kv: c.kv };
  }

  #compare(c: EtcdCompare): boolean {
    const kv = this.#current.get(c.key);
    let actual: string | number;
    switch (c.target) {
      case 'MOD':
        actual = kv?.modRevision ?? 0;
        break;
      case 'VERSION':
        actual = kv?.version ?? 0;
        break;
      case 'CREATE':
        actual = kv?.createRevision ?? 0;
        break;
      case 'LEASE':
        actual = kv?.lease ?? 0;
        break;
      default:
        actual = kv?.value ?? '';
    }
    const v = typeof actual === 'number' ? Number(c.value) : String(c.value);
    switch (c.result) {
      case '=':
        return actual === v;
      case '!=':
        return actual !== v;
      case '<':
        return actual < v;
      default:
        return actual > v;
    }
  }

  #putAt(key: string, value: string, lease: number): void {
    const prev = this.#current.get(key);
    const kv: EtcdKeyValue = { key, value, createRevision: prev?.createRevision ?? this.#rev, modRevision: this.#rev, version: (prev?.version ?? 0) + 1, lease };
    this.#current.set(key, kv);
    const c: Change = prev ? { rev: this.#rev, type: 'PUT', kv, prevKv: prev } : { rev: this.#rev, type: 'PUT', kv };
    this.#history.push(c);
    this.#batch.push(c);
  }

  #deleteAt(key: string): void {
    const prev = this.#current.get(key);
    if (!prev) return;
    this.#current.delete(key);
    const c: Change = { rev: this.#rev, type: 'DELETE', kv: { key, value: '', createRevision: 0, modRevision: this.#rev, version: 0 }, prevKv: prev };
    this.#history.push(c);
    this.#batch.push(c);
  }

  #range(key: string, opts: EtcdRangeOptions): EtcdGetResponse {
    const rev = opts.revision ?? 0;
    if (rev > 0 && rev < this.#compacted) throw new Error(ErrCompactedText);
    if (rev > this.#rev) throw new Error(ErrFutureRevText);
    const end = opts.rangeEnd ?? (opts.prefix ? prefixRangeEnd(key) : undefined);
    const inRange = (k: string) => (end === undefined ? k === key : k >= key && (end === '\0' || k < end));
    let source: Iterable<EtcdKeyValue>;
    if (end === undefined && (rev === 0 || rev === this.#rev)) {
      const kv = this.#current.get(key);
      source = kv ? [kv] : [];
    } else if (rev === 0 || rev === this.#rev) {
      source = this.#current.values();
    } else {
      const at = new Map<string, EtcdKeyValue | undefined>();
      for (const c of this.#history) {
        if (c.rev > rev) break;
        at.set(c.kv.key, c.type === 'PUT' ? c.kv : undefined);
      }
      source = [...at.values()].filter((v): v is EtcdKeyValue => v !== undefined);
    }
    const all = [...source].filter((kv) => inRange(kv.key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const count = all.length;
    if (opts.countOnly) return { header: { revision: this.#rev }, kvs: [], count, more: false };
    const limited = opts.limit && opts.limit > 0 ? all.slice(0, opts.limit) : all;
    const kvs = opts.keysOnly ? limited.map((kv) => ({ ...kv, value: '' })) : limited.map((kv) => ({ ...kv }));
    return { header: { revision: this.#rev }, kvs, count, more: limited.length < count };
  }

  #notify(): void {
    const changes = this.#batch;
    this.#batch = [];
    for (const w of this.#watchers) {
      const events = changes.filter((c) => this.#matches(w, c.kv.key)).map((c) => this.#event(w, c));
      if (events.length > 0) this.#deliver(w, { header: { revision: this.#rev }, events });
    }
  }

  #deliver(w: Watcher, r: EtcdWatchResponse): void {
    w.pending.push(r);
    if (w.scheduled) return;
    w.scheduled = true;
    queueMicrotask(() => {
      w.scheduled = false;
      const batch = w.pending.splice(0);
      for (const resp of batch) if (!w.cancelled || resp.canceled) w.handler(resp);
    });
  }
}
