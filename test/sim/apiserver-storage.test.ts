// Tables after kube-apiserver's storage, watch cache and cacher tests (kubernetes/apiserver
// v0.34.0), each case naming its upstream test: continue tokens, the watch cache's window and its
// 410s, dynamic sizing, freshness, the list delegation decision, list limits, retry-after.
import { describe, expect, it } from 'vitest';
import { FakeClock, runUntilSettled, type KubeObject } from '../../src/sim/index';
import { base64RawUrlEncode, decodeContinue, ErrEmptyStartKey, ErrGenericInvalidKey, ErrInvalidStartRV, ErrUnrecognizedEncodedVersion, encodeContinue } from '../../src/sim/apiserver/storage/continue';
import { capacityUpperBound, defaultUpperBoundCapacity, WatchCache, type WatchCacheConfig } from '../../src/sim/apiserver/cacher/watch_cache';
import { calculateRetryAfterForUnreadyCache } from '../../src/sim/apiserver/cacher/ready';
import { computeListLimit } from '../../src/sim/apiserver/cacher/cacher';
import { shouldDelegateList, type DelegateHelper } from '../../src/sim/apiserver/cacher/delegator';
import { everything, type StorageListOptions } from '../../src/sim/apiserver/storage/interfaces';
import { parseResourceVersion } from '../../src/sim/apiserver/storage/interfaces';
import { checkWatchCacheInvariants } from '../../src/sim/apiserver/invariants';
import { decodeContinue as decode } from '../../src/sim/apiserver/storage/continue';

const encodeContinueOrDie = (v: string, rv: number, start: string) => base64RawUrlEncode(JSON.stringify({ v, rv, start }));

describe('continue tokens (ref: pkg/storage/continue_test.go Test_decodeContinue)', () => {
  const cases: Array<{ name: string; value: string; wantFromKey?: string; wantRv?: number; wantErr?: string }> = [
    { name: 'valid', value: encodeContinueOrDie('meta.k8s.io/v1', 1, 'key'), wantRv: 1, wantFromKey: '/test/key' },
    { name: 'root path', value: encodeContinueOrDie('meta.k8s.io/v1', 1, '/'), wantRv: 1, wantFromKey: '/test/' },
    { name: 'empty version', value: encodeContinueOrDie('', 1, 'key'), wantErr: ErrUnrecognizedEncodedVersion },
    { name: 'invalid version', value: encodeContinueOrDie('v1', 1, 'key'), wantErr: ErrUnrecognizedEncodedVersion },
    { name: 'invalid RV', value: encodeContinueOrDie('meta.k8s.io/v1', 0, 'key'), wantErr: ErrInvalidStartRV },
    { name: 'no start Key', value: encodeContinueOrDie('meta.k8s.io/v1', 1, ''), wantErr: ErrEmptyStartKey },
    { name: 'path traversal - parent', value: encodeContinueOrDie('meta.k8s.io/v1', 1, '../key'), wantErr: ErrGenericInvalidKey },
    { name: 'path traversal - local', value: encodeContinueOrDie('meta.k8s.io/v1', 1, './key'), wantErr: ErrGenericInvalidKey },
    { name: 'path traversal - double parent', value: encodeContinueOrDie('meta.k8s.io/v1', 1, './../key'), wantErr: ErrGenericInvalidKey },
    { name: 'path traversal - after parent', value: encodeContinueOrDie('meta.k8s.io/v1', 1, 'key/../..'), wantErr: ErrGenericInvalidKey },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.wantErr) expect(() => decodeContinue(c.value, '/test/')).toThrow(c.wantErr);
      else expect(decodeContinue(c.value, '/test/')).toEqual({ fromKey: c.wantFromKey, rv: c.wantRv });
    });
  }

  it('round-trips the token a list returns, as kube-apiserver encodes it (ref: EncodeContinue)', () => {
    const token = encodeContinue('/registry/pods/default/web\u0000', '/registry/pods/default/', 42);
    expect(token).toBe('eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDIsInN0YXJ0Ijoid2ViXHUwMDAwIn0');
    expect(decode(token, '/registry/pods/default/')).toEqual({ fromKey: '/registry/pods/default/web\u0000', rv: 42 });
  });
});

describe('resourceVersions (ref: APIObjectVersioner.ParseResourceVersion)', () => {
  it('"" and "0" are 0; anything else must be an unsigned integer', () => {
    expect(parseResourceVersion('')).toBe(0);
    expect(parseResourceVersion('0')).toBe(0);
    expect(parseResourceVersion('17')).toBe(17);
    expect(() => parseResourceVersion('abc')).toThrow('resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax');
  });
});

const pod = (name: string, rv: number, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns', name, resourceVersion: String(rv), labels } });

function newTestWatchCache(opts: Partial<WatchCacheConfig> = {}) {
  const clock = opts.clock ?? new FakeClock();
  const events: string[] = [];
  const wc: WatchCache = new WatchCache({
    clock,
    keyFunc: (o) => `/pods/${o.metadata.namespace}/${o.metadata.name}`,
    getAttrs: (o) => ({ labels: o.metadata.labels ?? {}, fields: { 'metadata.name': o.metadata.name ?? '', 'metadata.namespace': o.metadata.namespace ?? '' } }),
    eventHandler: (e) => events.push(`${e.type} ${e.key}@${e.resourceVersion}`),
    onProgress: () => {},
    getCurrentRV: async (): Promise<number> => wc.resourceVersion,
    waitingUntilFresh: { add: () => {}, remove: () => {} },
    ...opts,
  });
  return { wc, clock, events };
}

describe('watch cache (ref: pkg/storage/cacher/watch_cache_test.go)', () => {
  it('stores adds, updates and deletes and replaces (ref: TestWatchCacheBasic)', () => {
    const { wc } = newTestWatchCache();
    wc.add(pod('a', 1));
    wc.update(pod('a', 2));
    wc.add(pod('b', 3));
    expect(wc.listKeys()).toEqual(['/pods/ns/a', '/pods/ns/b']);
    expect(wc.getByKey('/pods/ns/a')?.object.metadata.resourceVersion).toBe('2');
    wc.delete(pod('a', 4));
    expect(wc.listKeys()).toEqual(['/pods/ns/b']);
    wc.replace([pod('c', 5), pod('d', 5)], '5');
    expect(wc.listKeys()).toEqual(['/pods/ns/c', '/pods/ns/d']);
    expect(wc.resourceVersion).toBe(5);
  });

  it('serves the window and answers 410 "too old resource version" below it (ref: TestEvents)', () => {
    const { wc } = newTestWatchCache({ lowerBoundCapacity: 5, upperBoundCapacity: 5 });
    wc.add(pod('pod', 3));
    const since = (rv: number) => wc.getAllEventsSince(rv, '/pods/', true, false, false).events.map((e) => `${e.type}@${e.resourceVersion}${e.prevObject ? `<-${e.prevObject.metadata.resourceVersion}` : ''}`);
    expect(() => since(1)).toThrow('too old resource version: 1 (2)');
    expect(since(2)).toEqual(['ADDED@3']);
    wc.update(pod('pod', 4));
    wc.update(pod('pod', 5));
    expect(() => since(1)).toThrow('too old resource version: 1 (2)');
    expect(since(3)).toEqual(['MODIFIED@4<-3', 'MODIFIED@5<-4']);
    for (let i = 6; i < 10; i++) wc.update(pod('pod', i));
    // full: events 5..9
    expect(() => since(3)).toThrow('too old resource version: 3 (4)');
    expect(since(4)).toEqual(['MODIFIED@5<-4', 'MODIFIED@6<-5', 'MODIFIED@7<-6', 'MODIFIED@8<-7', 'MODIFIED@9<-8']);
    wc.delete(pod('pod', 10));
    expect(since(9)).toEqual(['DELETED@10<-9']);
  });

  it('a watch from 0 gets the stored objects as ADDED at the cache resourceVersion (ref: newCacheIntervalFromStore)', () => {
    const { wc } = newTestWatchCache();
    wc.replace([pod('b', 3), pod('a', 4)], '7');
    const r = wc.getAllEventsSince(0, '/pods', true, undefined, false);
    expect(r.resourceVersion).toBe(7);
    expect(r.events.map((e) => `${e.type} ${e.key}@${e.resourceVersion}`)).toEqual(['ADDED /pods/ns/a@7', 'ADDED /pods/ns/b@7']);
  });

  it('after a relist, the oldest servable resourceVersion is the list (ref: TestMarker, getAllEventsSinceLocked)', () => {
    const { wc } = newTestWatchCache();
    wc.replace([], '10');
    expect(wc.getAllEventsSince(10, '/pods/', true, false, false).events).toEqual([]);
    expect(() => wc.getAllEventsSince(9, '/pods/', true, false, false)).toThrow('too old resource version: 9 (10)');
    wc.updateResourceVersion('12');
    expect(wc.resourceVersion).toBe(12);
  });

  it('doubles while every event is fresh, halves when the newest quarter is stale (ref: TestDynamicCache)', () => {
    const { wc, clock } = newTestWatchCache({ lowerBoundCapacity: 4, upperBoundCapacity: 16, eventFreshDurationMs: 75_000 });
    let rv = 1;
    for (let i = 0; i < 5; i++) wc.add(pod(`p${i}`, rv++));
    expect(wc.capacity).toBe(8);
    for (let i = 0; i < 12; i++) wc.update(pod('p0', rv++));
    expect(wc.capacity).toBe(16);
    clock.step(120_000);
    wc.update(pod('p0', rv++));
    expect(wc.capacity).toBe(8);
    expect(wc.size).toBe(8);
  });

  it('reads wait up to 3 s for the cache to reach a resourceVersion, then time out (ref: TestWaitUntilFreshAndListTimeout)', async () => {
    const { wc, clock } = newTestWatchCache();
    wc.replace([], '5');
    const waited = wc.waitUntilFresh(7).then(
      () => 'fresh',
      (e: Error) => e.message,
    );
    expect(await runUntilSettled(clock, waited)).toBe('Timeout: Too large resource version: 7, current: 5');
    expect(clock.now()).toBe(3000);
    const ok = wc.waitUntilFresh(8);
    wc.updateResourceVersion('8');
    await expect(ok).resolves.toBeUndefined();
  });

  it('caps the window by eventFreshDuration (ref: TestCapacityUpperBound)', () => {
    expect(capacityUpperBound(75_000)).toBe(defaultUpperBoundCapacity);
    expect(capacityUpperBound(45_000)).toBe(defaultUpperBoundCapacity);
    expect(capacityUpperBound(4 * 75_000)).toBe(4 * defaultUpperBoundCapacity);
    expect(capacityUpperBound(3 * 75_000)).toBe(4 * defaultUpperBoundCapacity);
    expect(capacityUpperBound(75_000 * 2 ** 20)).toBe(defaultUpperBoundCapacity * 2 ** 14);
  });
});

describe('watch cache invariants (invariants.ts)', () => {
  it('hold for a cache that took adds, updates, deletes, a relist and a resize', () => {
    const { wc } = newTestWatchCache();
    let rv = 1;
    for (let i = 0; i < 150; i++) wc.add(pod(`p${i}`, rv++));
    wc.update(pod('p3', rv++));
    wc.delete(pod('p4', rv++));
    expect(checkWatchCacheInvariants(wc.snapshot())).toEqual([]);
    wc.replace([pod('x', rv)], String(rv));
    wc.add(pod('y', ++rv));
    expect(checkWatchCacheInvariants(wc.snapshot())).toEqual([]);
  });

  const good = () => {
    const { wc } = newTestWatchCache();
    wc.add(pod('a', 1));
    wc.add(pod('b', 2));
    wc.delete(pod('b', 3));
    return wc.snapshot();
  };
  const broken: Array<[string, (s: ReturnType<typeof good>) => void, RegExp]> = [
    ['more events than capacity', (s) => void (s.capacity = 1), /more than its capacity/],
    ['capacity not a doubling of the lower bound', (s) => void (s.capacity = 150), /not the lower bound .* doubled/],
    ['events out of order', (s) => void (s.events[1].resourceVersion = 1), /does not follow/],
    ['an event newer than the cache', (s) => void (s.resourceVersion = 2), /newer than the cache's resourceVersion/],
    ['a deleted key still stored', (s) => void s.store.push({ key: '/pods/ns/b', resourceVersion: '2' }), /last DELETED .* but is stored/],
    ['a stored object behind its newest event', (s) => void (s.store[0].resourceVersion = '0'), /last ADDED at rv 1 but is stored at rv 0/],
  ];
  it.each(broken)('catch %s', (_name, breakIt, message) => {
    const s = good();
    expect(checkWatchCacheInvariants(s)).toEqual([]);
    breakIt(s);
    expect(checkWatchCacheInvariants(s).join('\n')).toMatch(message);
  });
});

describe('cacher (ref: pkg/storage/cacher/cacher_whitebox_test.go)', () => {
  it('limits lists except at resourceVersion "0" (ref: TestComputeListLimit)', () => {
    const o = (limit: number, rv: string): StorageListOptions => ({ resourceVersion: rv, resourceVersionMatch: '', predicate: { ...everything(), limit }, recursive: true });
    expect(computeListLimit(o(0, ''))).toBe(0);
    expect(computeListLimit(o(1, ''))).toBe(1);
    expect(computeListLimit(o(1, '100'))).toBe(1);
    expect(computeListLimit(o(1, '0'))).toBe(0);
  });

  it('tells clients of an unready cache to retry after exp(0.06 × downtime) seconds, between 1 and 30 (ref: TestRetryAfterForUnreadyCache)', () => {
    expect(calculateRetryAfterForUnreadyCache(14_000)).toBe(2);
    expect(calculateRetryAfterForUnreadyCache(0)).toBe(1);
    expect(calculateRetryAfterForUnreadyCache(3_600_000)).toBe(30);
  });

  it('delegates a list to etcd exactly when the cache cannot serve it (ref: TestShouldDelegateList, ConsistentListFromCache=true, ListFromCacheSnapshot=true, SnapshotAvailable=false)', () => {
    const oldRV = 80;
    const cacheRV = 100;
    const etcdRV = 120;
    const keyPrefix = '/pods/';
    const cont = (rv: number) => encodeContinue(keyPrefix + 'foo', keyPrefix, rv);
    // the cache listed at cacheRV: snapshots from there on; RVs above it are not fresh yet (it will wait)
    const helper: DelegateHelper = {
      shouldDelegateExactRV: (rv, recursive) => (!recursive ? true : Number(rv) > cacheRV ? false : Number(rv) < cacheRV),
      shouldDelegateContinue: (token, recursive) => {
        if (!recursive) return { delegate: true, consistentRead: false };
        const { rv } = decodeContinue(token, keyPrefix);
        return rv > 0 ? { delegate: helper.shouldDelegateExactRV(String(rv), true), consistentRead: false } : { delegate: false, consistentRead: true };
      },
      shouldDelegateConsistentRead: () => ({ delegate: false, consistentRead: true }),
    };
    type O = { recursive: boolean; rv?: string; match?: string; limit?: number; cont?: string };
    const cases: Array<[O, boolean]> = [];
    for (const recursive of [true, false]) {
      cases.push([{ recursive }, false], [{ recursive, limit: 100 }, false]);
      cases.push([{ recursive, rv: '0' }, false], [{ recursive, rv: '0', limit: 100 }, false]);
      cases.push([{ recursive, rv: '0', match: 'NotOlderThan' }, false], [{ recursive, rv: '0', match: 'NotOlderThan', limit: 100 }, false]);
      for (const rv of [oldRV, cacheRV, etcdRV]) {
        const exactServed = recursive && rv >= cacheRV;
        cases.push([{ recursive, rv: String(rv) }, false]);
        cases.push([{ recursive, rv: String(rv), limit: 100 }, !exactServed]);
        cases.push([{ recursive, rv: String(rv), match: 'Exact' }, !exactServed]);
        cases.push([{ recursive, rv: String(rv), match: 'Exact', limit: 100 }, !exactServed]);
        cases.push([{ recursive, rv: String(rv), match: 'NotOlderThan' }, false]);
        cases.push([{ recursive, rv: String(rv), match: 'NotOlderThan', limit: 100 }, false]);
      }
      for (const [token, rv] of [[cont(oldRV), oldRV], [cont(cacheRV), cacheRV], [cont(etcdRV), etcdRV], [cont(-1), -1]] as Array<[string, number]>) {
        const served = recursive && (rv === -1 || rv >= cacheRV);
        for (const o of [{}, { limit: 100 }, { rv: '0' }, { rv: '0', limit: 100 }]) cases.push([{ recursive, cont: token, ...o }, !served]);
      }
    }
    for (const [o, want] of cases) {
      const opts: StorageListOptions = { resourceVersion: o.rv ?? '', resourceVersionMatch: o.match ?? '', predicate: { ...everything(), limit: o.limit ?? 0, continue: o.cont ?? '' }, recursive: o.recursive };
      expect({ o, delegate: shouldDelegateList(opts, helper).delegate }).toEqual({ o, delegate: want });
    }
  });
});
