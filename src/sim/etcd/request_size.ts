/**
 * The size of a request as raft carries it: the protobuf encoding of the InternalRaftRequest
 * (api/v3/etcdserverpb/raft_internal.proto, rpc.proto at v3.6.0) holding a header with the
 * request ID and the put or txn. The server refuses a request larger than --max-request-bytes
 * (1.5 MiB by default) with "etcdserver: request is too large" (processInternalRaftRequestOnce).
 */
import { byteLength } from './bytes';
import type { CompareRequest, DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequestPB } from './apply';

/** Upstream: embed/config.go (DefaultMaxRequestBytes). */
export const DEFAULT_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

function varintLen(n: number): number {
  if (n < 0) return 10;
  let len = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** A length-delimited field (bytes, string or message) with a tag below 16. */
const lenField = (len: number, tagLen = 1) => tagLen + varintLen(len) + len;
/** A bytes field, left out when empty (proto3). */
const bytesField = (s: string | undefined, tagLen = 1) => (s === undefined || s.length === 0 ? 0 : lenField(byteLength(s), tagLen));
/** A varint field, left out when zero. */
const intField = (n: number, tagLen = 1) => (n === 0 ? 0 : tagLen + varintLen(n));
const boolField = (b: boolean) => (b ? 2 : 0);

function putSize(p: PutRequest): number {
  return bytesField(p.key) + bytesField(p.value) + intField(p.lease) + boolField(p.prevKv) + boolField(p.ignoreValue) + boolField(p.ignoreLease);
}

function rangeSize(r: RangeRequest): number {
  return (
    bytesField(r.key) +
    bytesField(r.rangeEnd) +
    intField(r.limit) +
    intField(r.revision) +
    intField(r.sortOrder === 'NONE' ? 0 : r.sortOrder === 'ASCEND' ? 1 : 2) +
    intField(['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'].indexOf(r.sortTarget)) +
    boolField(r.serializable) +
    boolField(r.keysOnly) +
    boolField(r.countOnly) +
    intField(r.minModRevision) +
    intField(r.maxModRevision) +
    intField(r.minCreateRevision) +
    intField(r.maxCreateRevision)
  );
}

function deleteSize(d: DeleteRangeRequest): number {
  return bytesField(d.key) + bytesField(d.rangeEnd) + boolField(d.prevKv);
}

function compareSize(c: CompareRequest): number {
  const result = { '=': 0, '>': 1, '<': 2, '!=': 3 }[c.result];
  const target = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 }[c.target];
  const value = c.target === 'VALUE' ? lenField(byteLength(String(c.value))) : 1 + varintLen(Number(c.value));
  return intField(result) + intField(target) + bytesField(c.key) + value + bytesField(c.rangeEnd, 2);
}

function opSize(op: RequestOp): number {
  if (op.range) return lenField(rangeSize(op.range));
  if (op.put) return lenField(putSize(op.put));
  if (op.deleteRange) return lenField(deleteSize(op.deleteRange));
  if (op.txn) return lenField(txnSize(op.txn));
  return 0;
}

function txnSize(t: TxnRequestPB): number {
  let n = 0;
  for (const c of t.compare) n += lenField(compareSize(c));
  for (const op of t.success) n += lenField(opSize(op));
  for (const op of t.failure) n += lenField(opSize(op));
  return n;
}

/** The encoded size of the raft request carrying `req` with request ID `id`. */
// Upstream: etcdserverpb.InternalRaftRequest.Size (header field 100, put 4, txn 6)
export function raftRequestSize(id: number, req: { put: PutRequest } | { txn: TxnRequestPB }): number {
  const header = lenField(1 + varintLen(id), 2);
  const body = 'put' in req ? lenField(putSize(req.put)) : lenField(txnSize(req.txn));
  return header + body;
}
