// Follows tests/integration/v3_grpc_test.go and v3_lease_test.go at etcd v3.6.0 (the server's
// request checks, txns, ranges, deletes, leases), through newEtcd's clientv3-shaped calls, with
// upstream's keys and numbers. A 3-member cluster there is one member here.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import { UsageError } from '../core/errors';
import { TraceRecorder } from '../core/trace';
import { getPrefixRangeEnd, newEtcd, type Etcd } from './etcd';
import { EtcdError, rpctypes, type EtcdErrorSpec } from './errors';
import type { Compare, GetOptions, Op, TxnRequest } from './types';

function client(cfg: Parameters<typeof newEtcd>[0] = {}) {
  const clock = new FakeClock();
  return { clock, etcd: newEtcd({ clock, ...cfg }) };
}

/** Resolves to the error a call rejects with (fails if it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to reject');
}

const etcdErr = (spec: EtcdErrorSpec) => new EtcdError(spec);
const keys = async (etcd: Etcd) => (await etcd.get('\0', { fromKey: true })).kvs.map((kv) => kv.key);

describe('KV through newEtcd (v3rpc key.go, etcdserver/txn/txn.go)', () => {
  it('an overwrite gets a newer revision and returns the previous value (TestV3PutOverwrite)', async () => {
    const { etcd } = client();
    const r1 = await etcd.put('foo', 'bar', { prevKv: true });
    expect(r1.prevKv).toBeUndefined();
    const r2 = await etcd.put('foo', 'baz', { prevKv: true });
    expect(r2.header.revision).toBeGreaterThan(r1.header.revision);
    expect(r2.prevKv).toMatchObject({ key: 'foo', value: 'bar', createRevision: 2, modRevision: 2, version: 1 });
    const kv = (await etcd.get('foo')).kvs[0];
    expect(kv.modRevision).toBeGreaterThan(kv.createRevision);
    expect(kv.value).toBe('baz');
  });

  it('compacting at the current revision keeps the key readable, linearizable or serializable (TestV3CompactCurrentRev)', async () => {
    const { etcd } = client();
    for (let i = 0; i < 3; i++) await etcd.put('foo', 'bar');
    await etcd.compact(4);
    expect((await etcd.get('foo')).kvs.length).toBe(1);
    expect((await etcd.get('foo', { serializable: true })).kvs.length).toBe(1);
  });

  it('more than maxTxnOps compares or ops fail with ErrTooManyOps (TestV3TxnTooManyOps)', async () => {
    const { etcd } = client({ maxTxnOps: 128 });
    let n = 0;
    const key = () => `key-${++n}`;
    const put = (): Op => ({ put: { key: key(), value: 'bar' } });
    const builders: Array<(t: Required<TxnRequest>) => void> = [
      (t) => t.compare.push({ key: key(), target: 'CREATE', result: '>', value: 0 }),
      (t) => t.success.push(put()),
      (t) => t.failure.push(put()),
      (t) => t.success.push({ txn: { success: [put()] } }),
    ];
    for (const add of builders) {
      const txn: Required<TxnRequest> = { compare: [], success: [], failure: [] };
      for (let j = 0; j < 129; j++) add(txn);
      expect(await rejection(etcd.txn(txn))).toEqual(etcdErr(rpctypes.ErrTooManyOps));
    }
    expect(etcd.revision).toBe(1);
  });

  it('a put overlapping another put or a delete of the same branch is a duplicate key (TestV3TxnDuplicateKeys)', async () => {
    const putreq: Op = { put: { key: 'abc', value: 'def' } };
    const delKeyReq: Op = { delete: { key: 'abc' } };
    const delInRangeReq: Op = { delete: { key: 'a', rangeEnd: 'b' } };
    const delOutOfRangeReq: Op = { delete: { key: 'abb', rangeEnd: 'abc' } };
    const txnDelReq: Op = { txn: { success: [delInRangeReq] } };
    const txnDelReqTwoSide: Op = { txn: { success: [delInRangeReq], failure: [delInRangeReq] } };
    const txnPutReq: Op = { txn: { success: [putreq] } };
    const txnPutReqTwoSide: Op = { txn: { success: [putreq], failure: [putreq] } };
    const cases: Array<[Op[], boolean]> = [
      [[putreq, putreq], true],
      [[putreq, delKeyReq], true],
      [[putreq, delInRangeReq], true],
      [[putreq, txnDelReq], true], // Then(Put(a), Then(Del(a)))
      [[delInRangeReq, txnPutReq], true], // Then(Del(a), Then(Put(a)))
      [[txnPutReqTwoSide, txnPutReqTwoSide], true],
      [[delOutOfRangeReq, txnPutReqTwoSide], false], // Then(Del(x), (Then(Put(a)), Else(Put(a))))
      [[txnDelReq, txnDelReqTwoSide], false],
      [[delKeyReq, delInRangeReq, delKeyReq, delInRangeReq], false],
      [[putreq, delOutOfRangeReq], false],
    ];
    for (const [success, dup] of cases) {
      const { etcd } = client();
      const p = etcd.txn({ success });
      if (dup) expect(await rejection(p), JSON.stringify(success)).toEqual(etcdErr(rpctypes.ErrDuplicateKey));
      else await expect(p, JSON.stringify(success)).resolves.toMatchObject({ succeeded: true });
    }
  });

  it('a txn moves the revision only when it changes something (TestV3TxnRevision)', async () => {
    const { etcd } = client();
    const presp = await etcd.put('abc', 'def');
    expect((await etcd.txn({ success: [{ get: { key: 'abc' } }] })).header.revision).toBe(presp.header.revision);
    expect((await etcd.txn({ success: [{ delete: { key: 'def' } }] })).header.revision).toBe(presp.header.revision);
    expect((await etcd.txn({ success: [{ put: { key: 'abc', value: '123' } }] })).header.revision).toBe(presp.header.revision + 1);
  });

  it('a compare over a range must hold for every key in it (TestV3TxnRangeCompare)', async () => {
    const { etcd } = client();
    // put keys, named by expected revision
    for (const k of ['/a/2', '/a/3', '/a/4', '/f/5']) await etcd.put(k, 'x');
    const cases: Array<[Compare, boolean]> = [
      [{ key: '/a/', rangeEnd: '\0', target: 'CREATE', result: '<', value: 6 }, true], // >= /a/; all create revs fit
      [{ key: '/a/', rangeEnd: '\0', target: 'CREATE', result: '<', value: 5 }, false], // one doesn't fit
      [{ key: '/a/', rangeEnd: '/a0', target: 'CREATE', result: '<', value: 5 }, true], // prefix /a/*
      [{ key: '/a/', rangeEnd: '/a0', target: 'CREATE', result: '<', value: 4 }, false],
      [{ key: '/b/', rangeEnd: '/b0', target: 'VALUE', result: '=', value: 'x' }, false], // does not exist
      [{ key: '/a/', rangeEnd: '/a0', target: 'LEASE', result: '>', value: 0 }, false], // all keys are leased
      [{ key: '/a/', rangeEnd: '/a0', target: 'LEASE', result: '=', value: 0 }, true], // no keys are leased
      [{ key: '/a/', prefix: true, target: 'VERSION', result: '=', value: 1 }, true],
      [{ key: '/a/2', target: 'VALUE', result: '!=', value: 'y' }, true],
      [{ key: '/a/2', target: 'MOD', result: '=', value: 2 }, true],
    ];
    for (const [cmp, want] of cases) expect((await etcd.txn({ compare: [cmp] })).succeeded, JSON.stringify(cmp)).toBe(want);
  });

  it('nested txns follow the path their compares choose (TestV3TxnNestedPath)', async () => {
    const { etcd } = client();
    const cmpTrue: Compare = { key: 'k', target: 'VERSION', result: '=', value: 0 };
    const cmpFalse: Compare = { key: 'k', target: 'VERSION', result: '=', value: 1 };
    const path = [true, false, false, true, true, false, true, false, false, true];
    const top: Required<TxnRequest> = { compare: [], success: [], failure: [] };
    let txn = top;
    for (const p of path) {
      const next: Required<TxnRequest> = { compare: [], success: [], failure: [] };
      txn.compare.push(p ? cmpTrue : cmpFalse);
      (p ? txn.success : txn.failure).push({ txn: next });
      txn = next;
    }
    let resp = await etcd.txn(top);
    for (const p of path) {
      expect(resp.succeeded).toBe(p);
      resp = (resp.responses[0] as { responseTxn: typeof resp }).responseTxn;
    }
  });

  it('ignoreValue keeps the value and needs the key; a value with it is refused (TestV3PutIgnoreValue)', async () => {
    const { etcd } = client();
    expect(await rejection(etcd.put('foo', '', { ignoreValue: true }))).toEqual(etcdErr(rpctypes.ErrKeyNotFound));
    expect(await rejection(etcd.txn({ success: [{ put: { key: 'foo', ignoreValue: true } }] }))).toEqual(etcdErr(rpctypes.ErrKeyNotFound));
    await etcd.put('foo', 'bar');
    expect(await rejection(etcd.put('foo', 'bar', { ignoreValue: true }))).toEqual(etcdErr(rpctypes.ErrValueProvided));
    const { id } = await etcd.leaseGrant(10);
    await etcd.put('foo', '', { ignoreValue: true, lease: id });
    expect((await etcd.get('foo')).kvs[0]).toMatchObject({ value: 'bar', lease: id, version: 2 });
    await etcd.txn({ success: [{ put: { key: 'foo', ignoreValue: true } }] });
    expect((await etcd.get('foo')).kvs[0]).toMatchObject({ value: 'bar', lease: 0, version: 3 });
  });

  it('ignoreLease keeps the lease and needs the key; a lease with it is refused (TestV3PutIgnoreLease)', async () => {
    const { etcd } = client();
    const { id } = await etcd.leaseGrant(10);
    expect(await rejection(etcd.put('foo', 'bar', { ignoreLease: true }))).toEqual(etcdErr(rpctypes.ErrKeyNotFound));
    await etcd.put('foo', 'bar', { lease: id });
    expect(await rejection(etcd.put('foo', 'bar', { ignoreLease: true, lease: id }))).toEqual(etcdErr(rpctypes.ErrLeaseProvided));
    await etcd.put('foo', 'baz', { ignoreLease: true });
    expect((await etcd.get('foo')).kvs[0]).toMatchObject({ value: 'baz', lease: id });
    await etcd.leaseRevoke(id);
    expect((await etcd.get('foo')).kvs).toEqual([]);
  });

  it('a put with a missing lease is refused and writes nothing, alone or in a txn (TestV3PutMissingLease)', async () => {
    const { etcd } = client();
    const key = 'foo';
    const cases: Array<() => Promise<unknown>> = [
      () => etcd.put(key, 'bar', { lease: 123456 }),
      () => etcd.txn({ success: [{ put: { key, value: 'bar', lease: 123456 } }] }),
      () => etcd.txn({ failure: [{ put: { key, value: 'bar', lease: 123456 } }], compare: [{ key, target: 'VERSION', result: '=', value: 1 }] }),
      () => etcd.txn({ success: [{ put: { key: 'other', value: 'x' } }, { put: { key, value: 'bar', lease: 123456 } }] }),
    ];
    for (const f of cases) {
      expect(await rejection(f())).toEqual(etcdErr(rpctypes.ErrLeaseNotFound));
      expect(await keys(etcd)).toEqual([]);
      expect(etcd.revision).toBe(1);
    }
  });

  const deleteCases: Array<[name: string, keySet: string[], begin: string, end: string, prevKv: boolean, want: string[], deleted: number]> = [
    ['delete middle', ['foo', 'foo/abc', 'fop'], 'foo/', 'fop', false, ['foo', 'fop'], 1],
    ['no delete', ['foo', 'foo/abc', 'fop'], 'foo/', 'foo/', false, ['foo', 'foo/abc', 'fop'], 0],
    ['delete first', ['foo', 'foo/abc', 'fop'], 'fo', 'fop', false, ['fop'], 2],
    ['delete tail', ['foo', 'foo/abc', 'fop'], 'foo/', 'fos', false, ['foo'], 2],
    ['delete exact', ['foo', 'foo/abc', 'fop'], 'foo/abc', '', false, ['foo', 'fop'], 1],
    ['delete none [x,x)', ['foo'], 'foo', 'foo', false, ['foo'], 0],
    ['delete middle with preserveKVs set', ['foo', 'foo/abc', 'fop'], 'foo/', 'fop', true, ['foo', 'fop'], 1],
  ];
  for (const [name, keySet, begin, end, prevKv, want, deleted] of deleteCases) {
    it(`delete: ${name} (TestV3DeleteRange)`, async () => {
      const { etcd } = client();
      for (const k of keySet) await etcd.put(k, '');
      const dresp = await etcd.delete(begin, { rangeEnd: end, prevKv });
      expect(dresp.deleted).toBe(deleted);
      if (prevKv) expect(dresp.prevKvs.length).toBe(dresp.deleted);
      const rresp = await etcd.get('\0', { rangeEnd: '\xff' });
      expect(dresp.header.revision).toBe(rresp.header.revision);
      expect(rresp.kvs.map((kv) => kv.key)).toEqual(want);
    });
  }

  it('a txn reading a future or compacted revision is refused before it writes (TestV3TxnInvalidRange)', async () => {
    const { etcd } = client();
    for (let i = 0; i < 3; i++) await etcd.put('foo', 'bar');
    await etcd.compact(2);
    const txn = (revision: number) => etcd.txn({ success: [{ put: { key: 'foo', value: 'bar' } }, { get: { key: 'foo', revision } }] });
    expect(await rejection(txn(100))).toEqual(etcdErr(rpctypes.ErrFutureRev));
    expect(await rejection(txn(1))).toEqual(etcdErr(rpctypes.ErrCompacted));
    expect(etcd.revision).toBe(4);
  });

  it('a request larger than --max-request-bytes is refused (TestV3TooLargeRequest)', async () => {
    const { etcd } = client();
    const largeV = 'x'.repeat(2 * 1024 * 1024);
    expect(await rejection(etcd.put('foo', largeV))).toEqual(etcdErr(rpctypes.ErrRequestTooLarge));
    expect(await rejection(etcd.txn({ success: [{ put: { key: 'foo', value: largeV } }] }))).toEqual(etcdErr(rpctypes.ErrRequestTooLarge));
    await etcd.put('foo', 'x'.repeat(1.5 * 1024 * 1024 - 64));
    expect(etcd.revision).toBe(2);
  });

  const rangeCases: Array<[name: string, putKeys: string[], reqs: Array<[string, GetOptions]>, want: string[][], more: boolean[], count: number[]]> = [
    ['single key', ['foo', 'bar'], [['foo', {}], ['baz', {}]], [['foo'], []], [false, false], [1, 0]],
    [
      'multi-key',
      ['a', 'b', 'c', 'd', 'e'],
      [
        ['a', { rangeEnd: 'z' }],
        ['b', { rangeEnd: 'd' }],
        ['f', { rangeEnd: 'z' }],
        ['c', { rangeEnd: 'c' }],
        ['d', { rangeEnd: 'b' }],
        ['\0', { rangeEnd: '\0' }],
      ],
      [['a', 'b', 'c', 'd', 'e'], ['b', 'c'], [], [], [], ['a', 'b', 'c', 'd', 'e']],
      [false, false, false, false, false, false],
      [5, 2, 0, 0, 0, 5],
    ],
    [
      'revision',
      ['a', 'b', 'c', 'd', 'e'],
      [
        ['a', { rangeEnd: 'z', revision: 0 }],
        ['a', { rangeEnd: 'z', revision: 1 }],
        ['a', { rangeEnd: 'z', revision: 2 }],
        ['a', { rangeEnd: 'z', revision: 3 }],
      ],
      [['a', 'b', 'c', 'd', 'e'], [], ['a'], ['a', 'b']],
      [false, false, false, false],
      [5, 0, 1, 2],
    ],
    [
      'limit',
      ['a', 'b', 'c'],
      [
        ['a', { rangeEnd: 'z', limit: 1 }],
        ['a', { rangeEnd: 'z', limit: 2 }],
        ['a', { rangeEnd: 'z', limit: 3 }],
        ['a', { rangeEnd: 'z', limit: 4 }],
      ],
      [['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c']],
      [true, true, false, false],
      [3, 3, 3, 3],
    ],
    [
      'sort',
      ['b', 'a', 'c', 'd', 'c'],
      [
        ['a', { rangeEnd: 'z', limit: 1, sortOrder: 'ASCEND', sortTarget: 'KEY' }],
        ['a', { rangeEnd: 'z', limit: 1, sortOrder: 'DESCEND', sortTarget: 'KEY' }],
        ['a', { rangeEnd: 'z', limit: 1, sortOrder: 'ASCEND', sortTarget: 'CREATE' }],
        ['a', { rangeEnd: 'z', limit: 1, sortOrder: 'DESCEND', sortTarget: 'MOD' }],
        ['z', { rangeEnd: 'z', limit: 1, sortOrder: 'DESCEND', sortTarget: 'CREATE' }],
        ['a', { rangeEnd: 'z', limit: 10, sortOrder: 'NONE', sortTarget: 'CREATE' }], // sort ASCEND by default
      ],
      [['a'], ['d'], ['b'], ['c'], [], ['b', 'a', 'c', 'd']],
      [true, true, true, true, false, false],
      [4, 4, 4, 4, 0, 4],
    ],
    [
      'min/max mod rev',
      ['rev2', 'rev3', 'rev4', 'rev5', 'rev6'],
      [
        ['\0', { rangeEnd: '\0', minModRevision: 3 }],
        ['\0', { rangeEnd: '\0', maxModRevision: 3 }],
        ['\0', { rangeEnd: '\0', minModRevision: 3, maxModRevision: 5 }],
        ['\0', { rangeEnd: '\0', maxModRevision: 10 }],
      ],
      [['rev3', 'rev4', 'rev5', 'rev6'], ['rev2', 'rev3'], ['rev3', 'rev4', 'rev5'], ['rev2', 'rev3', 'rev4', 'rev5', 'rev6']],
      [false, false, false, false],
      [5, 5, 5, 5],
    ],
    [
      'min/max create rev',
      ['rev2', 'rev3', 'rev2', 'rev2', 'rev6', 'rev3'],
      [
        ['\0', { rangeEnd: '\0', minCreateRevision: 3 }],
        ['\0', { rangeEnd: '\0', maxCreateRevision: 3 }],
        ['\0', { rangeEnd: '\0', minCreateRevision: 3, maxCreateRevision: 5 }],
        ['\0', { rangeEnd: '\0', maxCreateRevision: 10 }],
      ],
      [['rev3', 'rev6'], ['rev2', 'rev3'], ['rev3'], ['rev2', 'rev3', 'rev6']],
      [false, false, false, false],
      [3, 3, 3, 3],
    ],
  ];
  for (const [name, putKeys, reqs, want, more, count] of rangeCases) {
    it(`range: ${name} (TestV3RangeRequest)`, async () => {
      const { etcd } = client();
      for (const k of putKeys) await etcd.put(k, 'bar');
      for (let j = 0; j < reqs.length; j++) {
        const [key, opts] = reqs[j];
        const resp = await etcd.get(key, opts);
        expect([resp.kvs.map((kv) => kv.key), resp.more, resp.count], `${name} #${j}`).toEqual([want[j], more[j], count[j]]);
      }
    });
  }

  it('countOnly counts without kvs; keysOnly leaves values out; prefix and fromKey build the range end', async () => {
    const { etcd } = client();
    for (const k of ['a', 'ab', 'abc', 'b', '\xff', '\xff\xff']) await etcd.put(k, 'v');
    expect(await etcd.get('a', { prefix: true, countOnly: true })).toMatchObject({ kvs: [], count: 3, more: false });
    expect((await etcd.get('a', { prefix: true, keysOnly: true })).kvs.map((kv) => [kv.key, kv.value])).toEqual([
      ['a', ''],
      ['ab', ''],
      ['abc', ''],
    ]);
    expect(await keys(etcd)).toEqual(['a', 'ab', 'abc', 'b', '\xff', '\xff\xff']);
    expect((await etcd.get('\xff', { prefix: true })).kvs.map((kv) => kv.key)).toEqual(['\xff', '\xff\xff']);
    expect((await etcd.get('ab', { fromKey: true, limit: 2 })).kvs.map((kv) => kv.key)).toEqual(['ab', 'abc']);
    expect((await etcd.get('', { prefix: true })).count).toBe(6);
    expect([getPrefixRangeEnd('/registry/pods/'), getPrefixRangeEnd('az'), getPrefixRangeEnd('')]).toEqual(['/registry/pods0', 'a{', '\0']);
  });

  it('reads below the compaction and above the revision fail with etcd texts; compaction itself too (TestKVRangeBadRev, TestKVCompactBad)', async () => {
    const { etcd } = client();
    for (let i = 0; i < 3; i++) await etcd.put('foo', `bar${i}`);
    await etcd.compact(3);
    const e = (await rejection(etcd.get('foo', { revision: 2 }))) as EtcdError;
    expect(e).toEqual(etcdErr(rpctypes.ErrCompacted));
    expect([e.code, e.grpcCode, e.message]).toEqual(['OutOfRange', 11, 'etcdserver: mvcc: required revision has been compacted']);
    expect((await etcd.get('foo', { revision: 3 })).kvs[0].value).toBe('bar1');
    expect(await rejection(etcd.get('foo', { revision: 5 }))).toEqual(etcdErr(rpctypes.ErrFutureRev));
    expect(await rejection(etcd.compact(3))).toEqual(etcdErr(rpctypes.ErrCompacted));
    expect(await rejection(etcd.compact(2))).toEqual(etcdErr(rpctypes.ErrCompacted));
    expect(await rejection(etcd.compact(5))).toEqual(etcdErr(rpctypes.ErrFutureRev));
    expect(etcd.compactRevision).toBe(3);
  });

  it('empty keys, empty ops and bad sort options get the server texts (checkRangeRequest, checkRequestOp)', async () => {
    const { etcd } = client();
    expect(await rejection(etcd.put('', 'v'))).toEqual(etcdErr(rpctypes.ErrEmptyKey));
    expect(await rejection(etcd.get(''))).toEqual(etcdErr(rpctypes.ErrEmptyKey));
    expect(await rejection(etcd.delete(''))).toEqual(etcdErr(rpctypes.ErrEmptyKey));
    expect(await rejection(etcd.txn({ compare: [{ key: '', target: 'VERSION', result: '=', value: 0 }] }))).toEqual(etcdErr(rpctypes.ErrEmptyKey));
    expect(await rejection(etcd.txn({ success: [{} as Op] }))).toEqual(etcdErr(rpctypes.ErrKeyNotFound));
    expect(await rejection(etcd.get('a', { sortOrder: 'SIDEWAYS' as never }))).toEqual(etcdErr(rpctypes.ErrInvalidSortOption));
    expect(etcd.revision).toBe(1);
  });

  it('arguments Go would not compile are usage errors, with the argument named', async () => {
    const { etcd } = client();
    const bad: Array<[() => Promise<unknown>, RegExp]> = [
      [() => etcd.put(42 as never, 'v'), /put: key must be a string, got 42/],
      [() => etcd.put('k', undefined as never), /put: value must be a string, got undefined/],
      [() => etcd.put('k', 'v', { lease: 1.5 }), /put: lease must be an integer, got 1.5/],
      [() => etcd.get('k', { prefix: true, fromKey: true }), /get: prefix and fromKey cannot be set at the same time/],
      [() => etcd.get('k', { revision: Number.NaN }), /get: revision must be an integer, got NaN/],
      [() => etcd.txn({ compare: [{ key: 'k', target: 'SIZE' as never, result: '=', value: 1 }] }), /compare\[0\]\.target must be one of VALUE, VERSION, CREATE, MOD, LEASE/],
      [() => etcd.txn({ compare: [{ key: 'k', target: 'VERSION', result: '>=' as never, value: 1 }] }), /Unknown result op ">="/],
      [() => etcd.txn({ compare: [{ key: 'k', target: 'VALUE', result: '=', value: 1 }] }), /value must be a string for VALUE/],
      [() => etcd.txn({ compare: [{ key: 'k', target: 'MOD', result: '=', value: '1' }] }), /compare\[0\]: value must be an integer, got "1"/],
      [() => etcd.txn({ success: 'put' as never }), /txn: success must be an array/],
      [() => etcd.leaseGrant('10' as never), /leaseGrant: ttlSec must be an integer/],
      [() => etcd.put('a\ud800', 'v'), /put: key must be well-formed Unicode/],
    ];
    for (const [f, re] of bad) {
      const err = await rejection(f());
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(re);
    }
    expect(() => etcd.watch('k', {}, undefined as never)).toThrow(/watch: handler must be a function/);
    expect(() => newEtcd({ memberId: 40 })).toThrow(/memberId must be an integer whose low 16 bits are 1..31/);
    expect(() => newEtcd({ heartbeatIntervalMs: 300 })).toThrow('newEtcd: --election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[300ms]');
    expect(() => newEtcd({ electionTimeoutMs: 60000 })).toThrow('is too long, and should be set less than 50000ms');
    expect(etcd.revision).toBe(1);
  });

  it('a rejected write leaves the store, the leases and the trace of writes as they were', async () => {
    const trace = new TraceRecorder();
    const { etcd } = client({ trace });
    await etcd.put('a', '1');
    const { id } = await etcd.leaseGrant(10);
    const before = JSON.stringify(etcd.snapshot());
    const writes = () => trace.events.filter((e) => e.type === 'etcd.put' || e.type === 'etcd.delete').length;
    const w0 = writes();
    const rejected = [
      etcd.put('b', '2', { lease: id + 1 }),
      etcd.txn({ success: [{ put: { key: 'x', value: '1' } }, { delete: { key: 'x' } }] }),
      etcd.txn({ success: [{ put: { key: 'x', value: '1' } }, { get: { key: 'a', revision: 99 } }] }),
      etcd.txn({ success: [{ put: { key: 'x', ignoreValue: true } }] }),
      etcd.compact(99),
      etcd.leaseRevoke(id + 1),
      etcd.leaseGrant(1, { id }),
    ];
    for (const p of rejected) await rejection(p);
    expect(JSON.stringify(etcd.snapshot())).toBe(before);
    expect(writes()).toBe(w0);
    expect(trace.events.filter((e) => e.type === 'etcd.error').map((e) => e.error)).toEqual([
      'etcdserver: requested lease not found',
      'etcdserver: duplicate key given in txn request',
      'etcdserver: mvcc: required revision is a future revision',
      'etcdserver: key not found',
      'etcdserver: mvcc: required revision is a future revision',
      'etcdserver: requested lease not found',
      'etcdserver: lease already exists',
    ]);
  });

  it('a put in a txn shares the revision with sub-revisions; a get in it sees the writes before it', async () => {
    const trace = new TraceRecorder();
    const { etcd } = client({ trace });
    await etcd.put('b', 'old');
    const r = await etcd.txn({
      success: [{ get: { key: 'b' } }, { put: { key: 'a', value: '1' } }, { get: { key: 'a' } }, { delete: { key: 'b', prevKv: true } }, { put: { key: 'c', value: '3' } }],
    });
    expect(r.header.revision).toBe(3);
    expect(r.responses.map((x) => Object.values(x)[0].header.revision)).toEqual([2, 3, 3, 3, 3]);
    expect(trace.events.filter((e) => e.type === 'etcd.put' || e.type === 'etcd.delete').map((e) => `${e.type} ${e.key}@${e.revision}.${e.sub}`)).toEqual([
      'etcd.put b@2.0',
      'etcd.put a@3.0',
      'etcd.delete b@3.1',
      'etcd.put c@3.2',
    ]);
  });

  it('a delete resets the version; the key is re-created with a new createRevision', async () => {
    const { etcd } = client();
    await etcd.put('k', '1');
    await etcd.put('k', '2');
    await etcd.delete('k');
    await etcd.put('k', '3');
    expect((await etcd.get('k')).kvs[0]).toMatchObject({ createRevision: 5, modRevision: 5, version: 1 });
    expect((await etcd.get('k', { revision: 3 })).kvs[0]).toMatchObject({ createRevision: 2, modRevision: 3, version: 2 });
    expect((await etcd.get('k', { revision: 4 })).kvs).toEqual([]);
  });

  it('a txn with compare-and-swap on MOD is optimistic concurrency: the second writer fails', async () => {
    const { etcd } = client();
    const { header } = await etcd.put('/registry/pods/default/web', 'v1');
    const cas = (value: string) =>
      etcd.txn({
        compare: [{ key: '/registry/pods/default/web', target: 'MOD', result: '=', value: header.revision }],
        success: [{ put: { key: '/registry/pods/default/web', value } }],
        failure: [{ get: { key: '/registry/pods/default/web' } }],
      });
    expect((await cas('v2')).succeeded).toBe(true);
    const second = await cas('v3');
    expect(second.succeeded).toBe(false);
    expect(second.responses).toMatchObject([{ responseRange: { kvs: [{ value: 'v2', modRevision: 3 }] } }]);
  });
});

describe('leases through newEtcd (v3_lease_test.go)', () => {
  it('the minimum TTL is 1.5 election timeouts in whole seconds (etcdserver.NewServer minTTL)', async () => {
    expect(client().etcd.minLeaseTtlSec).toBe(2);
    expect(client({ heartbeatIntervalMs: 10, electionTimeoutMs: 100 }).etcd.minLeaseTtlSec).toBe(1);
    expect(client({ heartbeatIntervalMs: 500, electionTimeoutMs: 5000 }).etcd.minLeaseTtlSec).toBe(8);
    const { etcd } = client();
    expect((await etcd.leaseGrant(1)).ttl).toBe(2);
    expect((await etcd.leaseGrant(0)).ttl).toBe(2);
    expect((await etcd.leaseGrant(30)).ttl).toBe(30);
    expect(await rejection(etcd.leaseGrant(9_000_000_001))).toEqual(etcdErr(rpctypes.ErrLeaseTTLTooLarge));
  });

  it('revoking a lease deletes its keys (TestV3LeaseRevoke)', async () => {
    const { etcd } = client();
    const { id } = await etcd.leaseGrant(30);
    await etcd.put('foo', 'bar', { lease: id });
    await etcd.leaseRevoke(id);
    expect((await etcd.get('foo')).kvs).toEqual([]);
    expect((await etcd.leaseTimeToLive(id)).ttl).toBe(-1);
    expect(await rejection(etcd.leaseRevoke(id))).toEqual(etcdErr(rpctypes.ErrLeaseNotFound));
  });

  it('a lease can be granted by ID, once (TestV3LeaseGrantByID, TestV3LeaseNegativeID)', async () => {
    const { etcd } = client();
    expect((await etcd.leaseGrant(1, { id: 1 })).id).toBe(1);
    expect(await rejection(etcd.leaseGrant(1, { id: 1 }))).toEqual(etcdErr(rpctypes.ErrLeaseExist));
    expect((await etcd.leaseGrant(1, { id: 2 })).id).toBe(2);
    expect((await etcd.leaseGrant(300, { id: -1 })).id).toBe(-1);
    await etcd.put('foo', 'bar', { lease: -1 });
    expect((await etcd.get('foo')).kvs[0].lease).toBe(-1);
  });

  it('an expired lease deletes its keys at the next expiry check, one revision for all of them (TestV3LeaseExpire)', async () => {
    const trace = new TraceRecorder();
    const { clock, etcd } = client({ trace });
    const { id, ttl } = await etcd.leaseGrant(1);
    expect(ttl).toBe(2);
    await etcd.put('b', '1', { lease: id });
    await etcd.put('a', '2', { lease: id });
    const seen: string[] = [];
    etcd.watch('', { prefix: true }, (r) => void seen.push(...r.events.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}`)));
    clock.step(1999);
    await settle();
    expect((await etcd.get('a')).kvs.length).toBe(1);
    clock.step(1);
    await settle();
    expect(await keys(etcd)).toEqual([]);
    expect(seen).toEqual(['DELETE a@4', 'DELETE b@4']);
    expect(trace.events.filter((e) => e.type.startsWith('etcd.lease')).map((e) => [e.type, e.t])).toEqual([
      ['etcd.leaseGrant', 0],
      ['etcd.leaseExpire', 2000],
      ['etcd.leaseRevoke', 2000],
    ]);
    expect(clock.hasWaiters()).toBe(false);
  });

  it('keep-alive renews to the full TTL; a revoked lease is not found (TestV3LeaseKeepAlive)', async () => {
    const { clock, etcd } = client();
    const { id } = await etcd.leaseGrant(10);
    clock.step(8000);
    const ka = await etcd.leaseKeepAlive(id);
    expect([ka.id, ka.ttl]).toEqual([id, 10]);
    clock.step(8000);
    expect((await etcd.leaseTimeToLive(id)).ttl).toBe(2);
    await etcd.leaseRevoke(id);
    expect(await rejection(etcd.leaseKeepAlive(id))).toEqual(etcdErr(rpctypes.ErrLeaseNotFound));
  });

  it('keep-alive of an expired lease not yet revoked waits for the revoke, then fails', async () => {
    const { clock, etcd } = client();
    clock.step(250);
    const { id } = await etcd.leaseGrant(2); // expires at 2250, revoked at the 2500 check
    clock.step(2100);
    const p = etcd.leaseKeepAlive(id);
    let outcome: unknown = 'pending';
    p.catch((err) => (outcome = err));
    await settle();
    expect(outcome).toBe('pending');
    clock.step(150);
    await settle();
    expect(outcome).toEqual(etcdErr(rpctypes.ErrLeaseNotFound));
  });

  it('leases lists every lease (TestV3LeaseExists, TestV3LeaseLeases)', async () => {
    const { etcd } = client();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await etcd.leaseGrant(10 + i)).id);
    expect((await etcd.leaseLeases()).leases.map((l) => l.id)).toEqual(ids);
  });

  it('time-to-live tells the seconds left, the granted TTL and the keys (TestV3LeaseTimeToLive, TestV3GetNonExistLease)', async () => {
    const { clock, etcd } = client();
    const { id } = await etcd.leaseGrant(90);
    await etcd.put('foo', 'bar', { lease: id });
    await etcd.put('bar', 'foo', { lease: id });
    clock.step(1500);
    const r = await etcd.leaseTimeToLive(id, { keys: true });
    expect([r.id, r.ttl, r.grantedTtl, r.keys]).toEqual([id, 88, 90, ['bar', 'foo']]);
    expect((await etcd.leaseTimeToLive(id)).keys).toEqual([]);
    await etcd.leaseRevoke(id);
    expect(await etcd.leaseTimeToLive(id, { keys: true })).toMatchObject({ ttl: -1, grantedTtl: 0, keys: [] });
  });

  it('a put on a lease that does not exist fails (TestV3PutOnNonExistLease)', async () => {
    const { etcd } = client();
    expect(await rejection(etcd.put('foo', 'bar', { lease: 123456 }))).toEqual(etcdErr(rpctypes.ErrLeaseNotFound));
  });

  it('moving a key to another lease detaches it from the first (TestV3LeaseSwitch)', async () => {
    const { etcd } = client();
    const l1 = await etcd.leaseGrant(30);
    const l2 = await etcd.leaseGrant(30);
    await etcd.put('foo', '', { lease: l1.id });
    await etcd.put('foo', '', { lease: l2.id });
    await etcd.leaseRevoke(l1.id);
    expect((await etcd.get('foo')).kvs.length).toBe(1);
    await etcd.leaseRevoke(l2.id);
    expect((await etcd.get('foo')).kvs.length).toBe(0);
  });

  it('lease IDs come from idutil: member ID, start time in ms, then a counter every request draws from', async () => {
    const clock = new FakeClock(0x12345);
    const etcd = newEtcd({ clock, memberId: 3 });
    const l1 = await etcd.leaseGrant(10);
    // the ID itself, then the raft request that grants it
    expect(l1.id).toBe(3 * 2 ** 48 + 0x12345 * 256 + 1);
    await etcd.put('a', '1'); // a raft request
    await etcd.get('a'); // a linearizable read
    await etcd.get('a', { serializable: true }); // draws nothing
    const l2 = await etcd.leaseGrant(10);
    expect(l2.id - l1.id).toBe(4);
    expect(l2.id.toString(16)).toBe('3000001234505');
  });

  it('leases and their keys survive nothing but time: the clock drives every expiry, and an idle etcd has no timers', async () => {
    const { clock, etcd } = client();
    expect(clock.hasWaiters()).toBe(false);
    const { id } = await etcd.leaseGrant(5);
    expect(clock.nextWaiterAt()).toBe(5000);
    await etcd.leaseKeepAlive(id);
    await runUntilIdle(clock, { forMs: 10_000 });
    expect(clock.now()).toBe(5000);
    expect((await etcd.leaseLeases()).leases).toEqual([]);
    expect(clock.hasWaiters()).toBe(false);
  });
});
