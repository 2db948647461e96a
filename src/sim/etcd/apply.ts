/**
 * How the server applies KV requests to the store: server/etcdserver/txn/txn.go (Put, put,
 * DeleteRange, Range, executeRange, Txn, compareToPath, applyCompare, checkTxn) and the request
 * checks of server/etcdserver/api/v3rpc/key.go (checkRangeRequest, checkPutRequest,
 * checkTxnRequest, checkIntervals) at v3.6.0. Requests here are already in the server's form:
 * keys and range ends are byte strings (bytes.ts), a range end of `'\0'` means "from the key on".
 * Responses are the client's shapes; nested headers carry only the revision.
 */
import { toBytes } from './bytes';
import { EtcdError, LeaseError, leaseErrors, MvccError, mvccErrors, rpctypes } from './errors';
import type { KVStore, TxnRead, TxnWrite } from './kvstore';
import type { Lessor } from './lessor';
import type { StoredKeyValue } from './revision';
import type { CompareResult, CompareTarget, DeleteResponse, GetResponse, PutResponse, ResponseHeader, SortOrder, SortTarget, TxnResponse } from './types';
import { toClientKV } from './watch_stream';

/** Go: etcdserverpb.RangeRequest. */
export interface RangeRequest {
  key: string;
  rangeEnd: string | undefined;
  limit: number;
  revision: number;
  sortOrder: SortOrder;
  sortTarget: SortTarget;
  serializable: boolean;
  keysOnly: boolean;
  countOnly: boolean;
  minModRevision: number;
  maxModRevision: number;
  minCreateRevision: number;
  maxCreateRevision: number;
}

/** Go: etcdserverpb.PutRequest. */
export interface PutRequest {
  key: string;
  value: string;
  lease: number;
  prevKv: boolean;
  ignoreValue: boolean;
  ignoreLease: boolean;
}

/** Go: etcdserverpb.DeleteRangeRequest. */
export interface DeleteRangeRequest {
  key: string;
  rangeEnd: string | undefined;
  prevKv: boolean;
}

/** Go: etcdserverpb.Compare. */
export interface CompareRequest {
  key: string;
  rangeEnd: string | undefined;
  target: CompareTarget;
  result: CompareResult;
  value: string | number;
}

/** Go: etcdserverpb.RequestOp (an empty op is `{}`). */
export type RequestOp = { range?: RangeRequest; put?: PutRequest; deleteRange?: DeleteRangeRequest; txn?: TxnRequestPB };

/** Go: etcdserverpb.TxnRequest. */
export interface TxnRequestPB {
  compare: CompareRequest[];
  success: RequestOp[];
  failure: RequestOp[];
}

/** A nested response header: only the revision is set (Go: &pb.ResponseHeader{} filled by the op). */
export function revHeader(revision: number): ResponseHeader {
  return { clusterId: 0, memberId: 0, revision, raftTerm: 0 };
}

/** The store's range end for a request's (Go: mkGteRange): `'\0'` becomes `''`, "to the end". */
// Upstream: server/etcdserver/txn/txn.go (mkGteRange)
export function mkGteRange(rangeEnd: string | undefined): string | undefined {
  if (rangeEnd === '\x00') return '';
  return rangeEnd;
}

// ---------------------------------------------------------------------------------------------
// Request checks (v3rpc/key.go): run before a request reaches raft; a failed check changes nothing.

// Upstream: v3rpc/key.go (checkRangeRequest)
export function checkRangeRequest(r: RangeRequest): void {
  if (r.key.length === 0) throw new EtcdError(rpctypes.ErrEmptyKey);
  if (!SORT_ORDERS.has(r.sortOrder) || !SORT_TARGETS.has(r.sortTarget)) throw new EtcdError(rpctypes.ErrInvalidSortOption);
}

// Upstream: v3rpc/key.go (checkPutRequest)
export function checkPutRequest(r: PutRequest): void {
  if (r.key.length === 0) throw new EtcdError(rpctypes.ErrEmptyKey);
  if (r.ignoreValue && r.value.length !== 0) throw new EtcdError(rpctypes.ErrValueProvided);
  if (r.ignoreLease && r.lease !== 0) throw new EtcdError(rpctypes.ErrLeaseProvided);
}

// Upstream: v3rpc/key.go (checkDeleteRequest)
export function checkDeleteRequest(r: DeleteRangeRequest): void {
  if (r.key.length === 0) throw new EtcdError(rpctypes.ErrEmptyKey);
}

// Upstream: v3rpc/key.go (checkTxnRequest)
export function checkTxnRequest(r: TxnRequestPB, maxTxnOps: number): void {
  const opc = Math.max(r.compare.length, r.success.length, r.failure.length);
  if (opc > maxTxnOps) throw new EtcdError(rpctypes.ErrTooManyOps);
  for (const c of r.compare) if (c.key.length === 0) throw new EtcdError(rpctypes.ErrEmptyKey);
  for (const u of r.success) checkRequestOp(u, maxTxnOps - opc);
  for (const u of r.failure) checkRequestOp(u, maxTxnOps - opc);
}

// Upstream: v3rpc/key.go (checkRequestOp)
function checkRequestOp(u: RequestOp, maxTxnOps: number): void {
  if (u.range) return checkRangeRequest(u.range);
  if (u.put) return checkPutRequest(u.put);
  if (u.deleteRange) return checkDeleteRequest(u.deleteRange);
  if (u.txn) return checkTxnRequest(u.txn, maxTxnOps);
  // empty op / nil entry
  throw new EtcdError(rpctypes.ErrKeyNotFound);
}

/** An interval of keys as adt's StringAffineInterval sees it: `end` undefined is a point. */
interface Interval {
  begin: string;
  end: string | undefined;
}

function intersects(dels: readonly Interval[], k: string): boolean {
  for (const iv of dels) {
    if (iv.end === undefined) {
      if (iv.begin === k) return true;
    } else if (k >= iv.begin && (iv.end === '' || k < iv.end)) {
      return true;
    }
  }
  return false;
}

/**
 * Checks that no put of `reqs` (at any depth) writes a key another put or a delete of the same
 * branch also touches. Throws `ErrDuplicateKey`.
 */
// Upstream: v3rpc/key.go (checkIntervals)
export function checkIntervals(reqs: readonly RequestOp[]): { puts: Set<string>; dels: Interval[] } {
  let dels: Interval[] = [];
  // collect deletes from this level; build first to check lower level overlapped puts
  for (const req of reqs) {
    const dreq = req.deleteRange;
    if (!dreq) continue;
    dels.push(dreq.rangeEnd !== undefined && dreq.rangeEnd.length !== 0 ? { begin: dreq.key, end: dreq.rangeEnd } : { begin: dreq.key, end: undefined });
  }
  // collect children puts/deletes
  const puts = new Set<string>();
  for (const req of reqs) {
    if (!req.txn) continue;
    const then = checkIntervals(req.txn.success);
    const els = checkIntervals(req.txn.failure);
    for (const k of then.puts) {
      if (puts.has(k)) throw new EtcdError(rpctypes.ErrDuplicateKey);
      if (intersects(dels, k)) throw new EtcdError(rpctypes.ErrDuplicateKey);
      puts.add(k);
    }
    for (const k of els.puts) {
      // if key is from putsThen, overlap is OK since either then/else are mutually exclusive
      if (puts.has(k) && !then.puts.has(k)) throw new EtcdError(rpctypes.ErrDuplicateKey);
      if (intersects(dels, k)) throw new EtcdError(rpctypes.ErrDuplicateKey);
      puts.add(k);
    }
    dels = dels.concat(then.dels, els.dels);
  }
  // collect and check this level's puts
  for (const req of reqs) {
    if (!req.put) continue;
    const k = req.put.key;
    if (puts.has(k)) throw new EtcdError(rpctypes.ErrDuplicateKey);
    if (intersects(dels, k)) throw new EtcdError(rpctypes.ErrDuplicateKey);
    puts.add(k);
  }
  return { puts, dels };
}

// ---------------------------------------------------------------------------------------------
// Applying requests (txn.go).

/** Applies a put in its own write txn; `ErrLeaseNotFound` when its lease does not exist. */
// Upstream: server/etcdserver/txn/txn.go (Put)
export function applyPut(lessor: Lessor, kv: KVStore, p: PutRequest): PutResponse {
  if (p.lease !== 0 && lessor.lookup(p.lease) === undefined) throw new LeaseError(leaseErrors.ErrLeaseNotFound);
  const txnWrite = kv.write();
  try {
    return put(txnWrite, p);
  } finally {
    txnWrite.end();
  }
}

// Upstream: server/etcdserver/txn/txn.go (put)
function put(txnWrite: TxnWrite, p: PutRequest): PutResponse {
  let val = p.value;
  let leaseID = p.lease;
  let prev: StoredKeyValue | undefined;
  if (p.ignoreValue || p.ignoreLease || p.prevKv) prev = txnWrite.range(p.key, undefined, {}).kvs[0];
  // ignore_{lease,value} flag expects previous key-value pair
  if ((p.ignoreValue || p.ignoreLease) && prev === undefined) throw new EtcdError(rpctypes.ErrKeyNotFound);
  if (p.ignoreValue) val = prev!.value;
  if (p.ignoreLease) leaseID = prev!.lease;
  const resp: PutResponse = { header: revHeader(0) };
  if (p.prevKv && prev !== undefined) resp.prevKv = toClientKV(prev);
  resp.header.revision = txnWrite.put(p.key, val, leaseID);
  return resp;
}

/** Applies a delete in its own write txn. */
// Upstream: server/etcdserver/txn/txn.go (DeleteRange)
export function applyDeleteRange(kv: KVStore, dr: DeleteRangeRequest): DeleteResponse {
  const txnWrite = kv.write();
  try {
    return deleteRange(txnWrite, dr);
  } finally {
    txnWrite.end();
  }
}

// Upstream: server/etcdserver/txn/txn.go (deleteRange)
function deleteRange(txnWrite: TxnWrite, dr: DeleteRangeRequest): DeleteResponse {
  const end = mkGteRange(dr.rangeEnd);
  const resp: DeleteResponse = { header: revHeader(0), deleted: 0, prevKvs: [] };
  if (dr.prevKv) resp.prevKvs = txnWrite.range(dr.key, end, {}).kvs.map(toClientKV);
  const [n, rev] = txnWrite.deleteRange(dr.key, end);
  resp.deleted = n;
  resp.header.revision = rev;
  return resp;
}

/** Serves a range in a read txn of its own. */
// Upstream: server/etcdserver/txn/txn.go (Range)
export function applyRange(kv: KVStore, r: RangeRequest): GetResponse {
  const txnRead = kv.read();
  try {
    return executeRange(txnRead, r);
  } finally {
    txnRead.end();
  }
}

// Upstream: server/etcdserver/txn/txn.go (executeRange)
function executeRange(txnRead: TxnRead, r: RangeRequest): GetResponse {
  let limit = r.limit;
  if (r.sortOrder !== 'NONE' || r.minModRevision !== 0 || r.maxModRevision !== 0 || r.minCreateRevision !== 0 || r.maxCreateRevision !== 0) {
    // fetch everything; sort and truncate afterwards
    limit = 0;
  }
  // fetch one extra for 'more' flag
  if (limit > 0) limit = limit + 1;
  const rr = txnRead.range(r.key, mkGteRange(r.rangeEnd), { limit, rev: r.revision, count: r.countOnly });
  let kvs = rr.kvs;
  if (r.maxModRevision !== 0) kvs = kvs.filter((kv) => !(kv.modRevision > r.maxModRevision));
  if (r.minModRevision !== 0) kvs = kvs.filter((kv) => !(kv.modRevision < r.minModRevision));
  if (r.maxCreateRevision !== 0) kvs = kvs.filter((kv) => !(kv.createRevision > r.maxCreateRevision));
  if (r.minCreateRevision !== 0) kvs = kvs.filter((kv) => !(kv.createRevision < r.minCreateRevision));

  let sortOrder = r.sortOrder;
  if (r.sortTarget !== 'KEY' && sortOrder === 'NONE') {
    // mvcc returns results sorted by key ascending; sort ASCEND by default only when target is not 'KEY'
    sortOrder = 'ASCEND';
  } else if (r.sortTarget === 'KEY' && sortOrder === 'ASCEND') {
    // don't re-sort when target is 'KEY' and order is ASCEND
    sortOrder = 'NONE';
  }
  if (sortOrder !== 'NONE') {
    const less = SORTERS[r.sortTarget];
    // A stable sort: ties keep key order (Go's sort.Sort does for up to 12 kvs).
    kvs = kvs.slice().sort(sortOrder === 'ASCEND' ? (a, b) => less(a, b) : (a, b) => less(b, a));
  }
  let more = false;
  if (r.limit > 0 && kvs.length > r.limit) {
    kvs = kvs.slice(0, r.limit);
    more = true;
  }
  return {
    header: revHeader(rr.rev),
    kvs: kvs.map((kv) => {
      const out = toClientKV(kv);
      if (r.keysOnly) out.value = '';
      return out;
    }),
    more,
    count: rr.count,
  };
}

const SORT_ORDERS = new Set<string>(['NONE', 'ASCEND', 'DESCEND']);
const SORT_TARGETS = new Set<string>(['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE']);
const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
const SORTERS: Record<SortTarget, (a: StoredKeyValue, b: StoredKeyValue) => number> = {
  KEY: (a, b) => cmp(a.key, b.key),
  VERSION: (a, b) => cmp(a.version, b.version),
  CREATE: (a, b) => cmp(a.createRevision, b.createRevision),
  MOD: (a, b) => cmp(a.modRevision, b.modRevision),
  VALUE: (a, b) => cmp(toBytes(a.value), toBytes(b.value)),
};

/** What a txn did, besides its response (for the trace). */
export interface TxnOutcome {
  resp: TxnResponse;
  /** Rows the txn wrote (0 for a read-only txn or one whose ops changed nothing). */
  changes: number;
}

/**
 * Runs a txn: evaluates the compares (of nested txns too) against the store as it is, checks the
 * chosen ops (ranges at compacted or future revisions, puts with missing leases or keys) and only
 * then applies them, all in one write txn (one read txn when every op is a range).
 */
// Upstream: server/etcdserver/txn/txn.go (Txn)
export function applyTxn(kv: KVStore, lessor: Lessor, rt: TxnRequestPB): TxnOutcome {
  const isWrite = !isTxnReadonly(rt);
  const txnRead = kv.read();
  const txnPath = compareToPath(txnRead, rt);
  try {
    checkTxn(txnRead, rt, lessor, txnPath);
  } catch (err) {
    txnRead.end();
    throw err;
  }
  let view: TxnRead | TxnWrite = txnRead;
  if (isWrite) {
    txnRead.end();
    view = kv.write();
  }
  const resp = newTxnResp(rt, txnPath).resp;
  executeTxn(view, rt, txnPath, resp);
  const changes = isWrite ? (view as TxnWrite).changes().length : 0;
  let rev = view.rev();
  if (changes !== 0) rev++;
  view.end();
  resp.header.revision = rev;
  return { resp, changes };
}

/** Whether every op (at the top level) is a range (Go: IsTxnReadonly). */
// Upstream: server/etcdserver/txn/txn.go (IsTxnReadonly)
export function isTxnReadonly(r: TxnRequestPB): boolean {
  for (const u of r.success) if (!u.range) return false;
  for (const u of r.failure) if (!u.range) return false;
  return true;
}

/** Whether every op is a serializable range (Go: IsTxnSerializable). */
export function isTxnSerializable(r: TxnRequestPB): boolean {
  for (const u of r.success) if (!u.range || !u.range.serializable) return false;
  for (const u of r.failure) if (!u.range || !u.range.serializable) return false;
  return true;
}

// Upstream: server/etcdserver/txn/txn.go (newTxnResp)
function newTxnResp(rt: TxnRequestPB, txnPath: boolean[]): { resp: TxnResponse; txnCount: number } {
  const reqs = txnPath[0] ? rt.success : rt.failure;
  const resp: TxnResponse = { header: revHeader(0), succeeded: txnPath[0], responses: [] };
  let txnCount = 0;
  let path = txnPath;
  for (const req of reqs) {
    if (req.txn) {
      const sub = newTxnResp(req.txn, path.slice(1));
      resp.responses.push({ responseTxn: sub.resp });
      path = path.slice(1 + sub.txnCount);
      txnCount += sub.txnCount + 1;
    } else if (req.range) {
      resp.responses.push({ responseRange: undefined! });
    } else if (req.put) {
      resp.responses.push({ responsePut: undefined! });
    } else {
      resp.responses.push({ responseDeleteRange: undefined! });
    }
  }
  return { resp, txnCount };
}

// Upstream: server/etcdserver/txn/txn.go (executeTxn)
function executeTxn(view: TxnRead | TxnWrite, rt: TxnRequestPB, txnPath: boolean[], tresp: TxnResponse): number {
  const reqs = txnPath[0] ? rt.success : rt.failure;
  let txns = 0;
  let path = txnPath;
  reqs.forEach((req, i) => {
    const slot = tresp.responses[i] as Record<string, unknown>;
    if (req.range) slot.responseRange = executeRange(view, req.range);
    else if (req.put) slot.responsePut = put(view as TxnWrite, req.put);
    else if (req.deleteRange) slot.responseDeleteRange = deleteRange(view as TxnWrite, req.deleteRange);
    else if (req.txn) {
      const applyTxns = executeTxn(view, req.txn, path.slice(1), (slot as { responseTxn: TxnResponse }).responseTxn);
      txns += applyTxns + 1;
      path = path.slice(applyTxns + 1);
    }
  });
  // A nested txn's header keeps revision 0: only the top level's is filled in (by txn()).
  return txns;
}

// Upstream: server/etcdserver/txn/txn.go (checkPut)
function checkPut(rv: TxnRead, lessor: Lessor, req: PutRequest): void {
  if (req.ignoreValue || req.ignoreLease) {
    // expects previous key-value, error if not exist
    const rr = rv.range(req.key, undefined, {});
    if (rr.kvs.length === 0) throw new EtcdError(rpctypes.ErrKeyNotFound);
  }
  if (req.lease !== 0 && lessor.lookup(req.lease) === undefined) throw new LeaseError(leaseErrors.ErrLeaseNotFound);
}

// Upstream: server/etcdserver/txn/txn.go (checkRange)
function checkRange(rv: TxnRead, req: RangeRequest): void {
  if (req.revision === 0) return;
  if (req.revision > rv.rev()) throw new MvccError(mvccErrors.ErrFutureRev);
  if (req.revision < rv.firstRev()) throw new MvccError(mvccErrors.ErrCompacted);
}

// Upstream: server/etcdserver/txn/txn.go (checkTxn)
function checkTxn(rv: TxnRead, rt: TxnRequestPB, lessor: Lessor, txnPath: boolean[]): number {
  let txnCount = 0;
  const reqs = txnPath[0] ? rt.success : rt.failure;
  let path = txnPath;
  for (const req of reqs) {
    if (req.range) checkRange(rv, req.range);
    else if (req.put) checkPut(rv, lessor, req.put);
    else if (req.txn) {
      const txns = checkTxn(rv, req.txn, lessor, path.slice(1));
      txnCount += txns + 1;
      path = path.slice(txns + 1);
    }
  }
  return txnCount;
}

/** Evaluates the compares of `rt` and of every nested txn on the chosen branches, depth first. */
// Upstream: server/etcdserver/txn/txn.go (compareToPath)
function compareToPath(rv: TxnRead, rt: TxnRequestPB): boolean[] {
  const txnPath: boolean[] = [applyCompares(rv, rt.compare)];
  const ops = txnPath[0] ? rt.success : rt.failure;
  for (const op of ops) {
    if (!op.txn) continue;
    txnPath.push(...compareToPath(rv, op.txn));
  }
  return txnPath;
}

// Upstream: server/etcdserver/txn/txn.go (applyCompares)
function applyCompares(rv: TxnRead, cmps: readonly CompareRequest[]): boolean {
  for (const c of cmps) if (!applyCompare(rv, c)) return false;
  return true;
}

/** Whether compare `c` holds for every key in its range (a missing key counts as all zeros). */
// Upstream: server/etcdserver/txn/txn.go (applyCompare)
function applyCompare(rv: TxnRead, c: CompareRequest): boolean {
  let kvs: StoredKeyValue[];
  try {
    kvs = rv.range(c.key, mkGteRange(c.rangeEnd), {}).kvs;
  } catch {
    return false;
  }
  if (kvs.length === 0) {
    // Always fail if comparing a value on a key/keys that doesn't exist; nil == empty string in grpc
    if (c.target === 'VALUE') return false;
    return compareKV(c, { key: c.key, value: '', createRevision: 0, modRevision: 0, version: 0, lease: 0 });
  }
  for (const kv of kvs) if (!compareKV(c, kv)) return false;
  return true;
}

// Upstream: server/etcdserver/txn/txn.go (compareKV)
function compareKV(c: CompareRequest, ckv: StoredKeyValue): boolean {
  let result: number;
  switch (c.target) {
    case 'VALUE':
      result = cmp(toBytes(ckv.value), toBytes(String(c.value)));
      break;
    case 'CREATE':
      result = cmp(ckv.createRevision, Number(c.value));
      break;
    case 'MOD':
      result = cmp(ckv.modRevision, Number(c.value));
      break;
    case 'VERSION':
      result = cmp(ckv.version, Number(c.value));
      break;
    case 'LEASE':
      result = cmp(ckv.lease, Number(c.value));
      break;
  }
  switch (c.result) {
    case '=':
      return result === 0;
    case '!=':
      return result !== 0;
    case '>':
      return result > 0;
    case '<':
      return result < 0;
  }
  return true;
}
