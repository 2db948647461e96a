// Follows server/storage/mvcc/kv_test.go and kvstore_test.go at etcd v3.6.0, with the same keys,
// revisions and leases. Each range/put/delete table runs twice, as upstream's does: through the
// store's own read/write view ("normal") and inside an explicit txn ("txn").
import { describe, expect, it } from 'vitest';
import { MvccError, mvccErrors } from './errors';
import { KVStore, type RangeOptions } from './kvstore';
import type { StoredKeyValue } from './revision';

type RangeFunc = (s: KVStore, key: string, end: string | undefined, ro: RangeOptions) => { kvs: StoredKeyValue[]; rev: number; count: number };
type PutFunc = (s: KVStore, key: string, value: string, lease: number) => number;
type DeleteFunc = (s: KVStore, key: string, end: string | undefined) => [number, number];

const rangeFuncs: Array<[string, RangeFunc]> = [
  ['normal', (s, key, end, ro) => s.range(key, end, ro)],
  [
    'txn',
    (s, key, end, ro) => {
      const txn = s.read();
      try {
        return txn.range(key, end, ro);
      } finally {
        txn.end();
      }
    },
  ],
];
const putFuncs: Array<[string, PutFunc]> = [
  ['normal', (s, key, value, lease) => s.put(key, value, lease)],
  [
    'txn',
    (s, key, value, lease) => {
      const txn = s.write();
      try {
        return txn.put(key, value, lease);
      } finally {
        txn.end();
      }
    },
  ],
];
const deleteFuncs: Array<[string, DeleteFunc]> = [
  ['normal', (s, key, end) => s.deleteRange(key, end)],
  [
    'txn',
    (s, key, end) => {
      const txn = s.write();
      try {
        return txn.deleteRange(key, end);
      } finally {
        txn.end();
      }
    },
  ],
];

const kv = (key: string, value: string, createRevision: number, modRevision: number, version: number, lease: number): StoredKeyValue => ({
  key,
  value,
  createRevision,
  modRevision,
  version,
  lease,
});

// Upstream: kv_test.go (put3TestKVs)
function put3TestKVs(s: KVStore): StoredKeyValue[] {
  s.put('foo', 'bar', 1);
  s.put('foo1', 'bar1', 2);
  s.put('foo2', 'bar2', 3);
  return [kv('foo', 'bar', 2, 2, 1, 1), kv('foo1', 'bar1', 3, 3, 1, 2), kv('foo2', 'bar2', 4, 4, 1, 3)];
}

const mvccError = (message: string) => expect.objectContaining({ name: 'MvccError', message });

describe('KVStore (mvcc kvstore.go, kvstore_txn.go)', () => {
  for (const [how, f] of rangeFuncs) {
    it(`range returns the keys in [key, end) at the current revision (TestKVRange, ${how})`, () => {
      const s = new KVStore();
      const kvs = put3TestKVs(s);
      const cases: Array<[string, string | undefined, StoredKeyValue[]]> = [
        ['doo', 'foo', []], // get no keys
        ['foo', 'foo', []], // get no keys when key == end
        ['doo', undefined, []], // get no keys when ranging single key
        ['foo', 'foo3', kvs], // get all keys
        ['foo', 'foo1', kvs.slice(0, 1)], // get partial keys
        ['foo', undefined, kvs.slice(0, 1)], // get single key
        ['', '', kvs], // get entire keyspace
      ];
      for (const [key, end, wkvs] of cases) {
        const r = f(s, key, end, {});
        expect(r.rev, `${key}..${end}`).toBe(4);
        expect(r.kvs, `${key}..${end}`).toEqual(wkvs);
      }
    });

    it(`range at a revision sees the store as it was (TestKVRangeRev, ${how})`, () => {
      const s = new KVStore();
      const kvs = put3TestKVs(s);
      const cases: Array<[number, number, StoredKeyValue[]]> = [
        [-1, 4, kvs],
        [0, 4, kvs],
        [2, 4, kvs.slice(0, 1)],
        [3, 4, kvs.slice(0, 2)],
        [4, 4, kvs],
      ];
      for (const [rev, wrev, wkvs] of cases) {
        const r = f(s, 'foo', 'foo3', { rev });
        expect(r.rev).toBe(wrev);
        expect(r.kvs, `rev ${rev}`).toEqual(wkvs);
      }
    });

    it(`range below the compaction or above the revision fails (TestKVRangeBadRev, ${how})`, () => {
      const s = new KVStore();
      put3TestKVs(s);
      s.compact(4);
      const cases: Array<[number, string | undefined]> = [
        [-1, undefined], // <= 0 is most recent store
        [0, undefined],
        [1, mvccErrors.ErrCompacted],
        [2, mvccErrors.ErrCompacted],
        [4, undefined],
        [5, mvccErrors.ErrFutureRev],
        [100, mvccErrors.ErrFutureRev],
      ];
      for (const [rev, werr] of cases) {
        if (werr === undefined) expect(() => f(s, 'foo', 'foo3', { rev }), `rev ${rev}`).not.toThrow();
        else expect(() => f(s, 'foo', 'foo3', { rev }), `rev ${rev}`).toThrow(mvccError(werr));
      }
    });

    it(`range with a limit returns the first keys and counts them all (TestKVRangeLimit, ${how})`, () => {
      const s = new KVStore();
      const kvs = put3TestKVs(s);
      const cases: Array<[number, StoredKeyValue[]]> = [
        [-1, kvs], // no limit
        [0, kvs], // no limit
        [1, kvs.slice(0, 1)],
        [2, kvs.slice(0, 2)],
        [3, kvs],
        [100, kvs],
      ];
      for (const [limit, wkvs] of cases) {
        const r = f(s, 'foo', 'foo3', { limit });
        expect(r.kvs, `limit ${limit}`).toEqual(wkvs);
        expect(r.rev).toBe(4);
        expect(r.count, `limit ${limit}`).toBe(3);
      }
    });
  }

  for (const [how, f] of putFuncs) {
    it(`puts to one key move the revision, version and lease, and keep the creation (TestKVPutMultipleTimes, ${how})`, () => {
      const s = new KVStore();
      for (let i = 0; i < 10; i++) {
        const base = i + 1;
        expect(f(s, 'foo', 'bar', base)).toBe(base + 1);
        expect(s.range('foo', undefined).kvs).toEqual([kv('foo', 'bar', 2, base + 1, base, base)]);
      }
    });

    it(`a put with the same lease keeps it (TestKVPutWithSameLease, ${how})`, () => {
      const s = new KVStore();
      expect(f(s, 'foo', 'bar', 1)).toBe(2);
      expect(f(s, 'foo', 'bar', 1)).toBe(3);
      expect(s.range('foo', undefined).kvs).toEqual([kv('foo', 'bar', 2, 3, 2, 1)]);
    });
  }

  for (const [how, f] of deleteFuncs) {
    it(`deleteRange deletes the keys in range at one new revision, or moves nothing (TestKVDeleteRange, ${how})`, () => {
      const cases: Array<[string, string | undefined, number, number]> = [
        ['foo', undefined, 5, 1],
        ['foo', 'foo1', 5, 1],
        ['foo', 'foo2', 5, 2],
        ['foo', 'foo3', 5, 3],
        ['foo3', 'foo8', 4, 0],
        ['foo3', undefined, 4, 0],
      ];
      for (const [key, end, wrev, wN] of cases) {
        const s = new KVStore();
        s.put('foo', 'bar', 0);
        s.put('foo1', 'bar1', 0);
        s.put('foo2', 'bar2', 0);
        expect(f(s, key, end), `${key}..${end}`).toEqual([wN, wrev]);
      }
    });

    it(`deleting a deleted key changes nothing (TestKVDeleteMultipleTimes, ${how})`, () => {
      const s = new KVStore();
      s.put('foo', 'bar', 0);
      expect(f(s, 'foo', undefined)).toEqual([1, 3]);
      for (let i = 0; i < 10; i++) expect(f(s, 'foo', undefined)).toEqual([0, 3]);
    });
  }

  it('put, range and delete of one key in sequence (TestKVOperationInSequence)', () => {
    const s = new KVStore();
    for (let i = 0; i < 10; i++) {
      const base = i * 2 + 1;
      expect(s.put('foo', 'bar', 0)).toBe(base + 1);
      let r = s.range('foo', undefined, { rev: base + 1 });
      expect(r.kvs).toEqual([kv('foo', 'bar', base + 1, base + 1, 1, 0)]);
      expect(r.rev).toBe(base + 1);
      expect(s.deleteRange('foo', undefined)).toEqual([1, base + 2]);
      r = s.range('foo', undefined, { rev: base + 2 });
      expect(r.kvs).toEqual([]);
      expect(r.rev).toBe(base + 2);
    }
  });

  it('inside one txn, a put and a delete share its revision and the txn sees its own writes (TestKVTxnOperationInSequence)', () => {
    const s = new KVStore();
    for (let i = 0; i < 10; i++) {
      const txn = s.write();
      const base = i + 1;
      expect(txn.put('foo', 'bar', 0)).toBe(base + 1);
      let r = txn.range('foo', undefined, { rev: base + 1 });
      expect(r.kvs).toEqual([kv('foo', 'bar', base + 1, base + 1, 1, 0)]);
      expect(r.rev).toBe(base + 1);
      expect(txn.deleteRange('foo', undefined)).toEqual([1, base + 1]);
      r = txn.range('foo', undefined, { rev: base + 1 });
      expect(r.kvs).toEqual([]);
      expect(r.rev).toBe(base + 1);
      txn.end();
    }
  });

  it('compaction keeps the last value at or below the compaction revision (TestKVCompactReserveLastValue)', () => {
    const s = new KVStore();
    s.put('foo', 'bar0', 1);
    s.put('foo', 'bar1', 2);
    s.deleteRange('foo', undefined);
    s.put('foo', 'bar2', 3);
    // rev in tests will be called in Compact() one by one on the same store
    const cases: Array<[number, StoredKeyValue[]]> = [
      [1, [kv('foo', 'bar0', 2, 2, 1, 1)]],
      [2, [kv('foo', 'bar1', 2, 3, 2, 2)]],
      [3, []],
      [4, [kv('foo', 'bar2', 5, 5, 1, 3)]],
    ];
    for (const [rev, wkvs] of cases) {
      s.compact(rev);
      expect(s.range('foo', undefined, { rev: rev + 1 }).kvs, `compact ${rev}`).toEqual(wkvs);
    }
  });

  it('compaction at or below the last one, or above the revision, fails (TestKVCompactBad)', () => {
    const s = new KVStore();
    s.put('foo', 'bar0', 0);
    s.put('foo', 'bar1', 0);
    s.put('foo', 'bar2', 0);
    const cases: Array<[number, string | undefined]> = [
      [0, undefined],
      [1, undefined],
      [1, mvccErrors.ErrCompacted],
      [4, undefined],
      [5, mvccErrors.ErrFutureRev],
      [100, mvccErrors.ErrFutureRev],
    ];
    for (const [rev, werr] of cases) {
      if (werr === undefined) expect(() => s.compact(rev), `compact ${rev}`).not.toThrow();
      else expect(() => s.compact(rev), `compact ${rev}`).toThrow(new MvccError(werr));
    }
  });

  it('a new store is at revision 1; each write txn with changes adds one (TestStoreRev)', () => {
    const s = new KVStore();
    for (let i = 1; i <= 3; i++) {
      s.put('foo', 'bar', 0);
      expect(s.rev()).toBe(i + 1);
    }
  });

  it('a write txn without changes does not move the revision (TestTxnPut, TestKVTxnNonBlockRange)', () => {
    const s = new KVStore();
    const txn = s.write();
    expect(txn.range('foo', undefined).kvs).toEqual([]);
    txn.end();
    expect(s.rev()).toBe(1);
    const keys = ['foo', 'foo1', 'foo2'];
    for (let i = 0; i < keys.length; i++) {
      const t = s.write();
      expect(t.put(keys[i], 'bar', 0)).toBe(i + 2);
      t.end();
    }
  });

  it('compaction removes the rows below it and the tombstones under it (TestStoreCompact)', () => {
    const s = new KVStore();
    s.put('foo', 'bar', 0); // 2
    s.put('foo', 'bar', 0); // 3
    s.deleteRange('foo', undefined); // 4
    s.put('foo1', 'bar', 0); // 5
    expect(s.rowsBetween(0, 100).map((r) => r.main)).toEqual([2, 3, 4, 5]);
    expect(s.compact(3)).toEqual({ prevCompactRev: -1, removed: 1 });
    expect(s.rowsBetween(0, 100).map((r) => r.main)).toEqual([3, 4, 5]);
    expect(s.compact(4)).toEqual({ prevCompactRev: 3, removed: 1 });
    // the tombstone at the compaction revision stays until a later compaction
    expect(s.rowsBetween(0, 100).map((r) => `${r.main}${r.tombstone ? 't' : ''}`)).toEqual(['4t', '5']);
    expect(s.compact(5)).toEqual({ prevCompactRev: 4, removed: 1 });
    expect(s.rowsBetween(0, 100).map((r) => r.main)).toEqual([5]);
    expect(s.keyIndexes().map((ki) => ki.key)).toEqual(['foo1']);
  });

  it('keys are compared as bytes: a range end past every ASCII key still finds UTF-8 keys', () => {
    const s = new KVStore();
    s.put('a', '1', 0);
    s.put('\xc3\xa9', '2', 0); // "é" as bytes
    s.put('z', '3', 0);
    expect(s.range('a', '', {}).kvs.map((k) => k.key)).toEqual(['a', 'z', '\xc3\xa9']);
    expect(s.range('b', '\xc3', {}).kvs.map((k) => k.key)).toEqual(['z']);
  });
});
