// Follows server/lease/lessor_test.go at etcd v3.6.0 (minLeaseTTL = 5 there), on a FakeClock:
// upstream's `time.After` waits become clock steps.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { settle } from '../core/drive';
import { LeaseError, leaseErrors } from './errors';
import { KVStore } from './kvstore';
import { LEASE_CHECK_INTERVAL_MS, Lessor, MAX_LEASE_TTL, type Lease, type TxnDelete } from './lessor';

const minLeaseTTL = 5;

/** A lessor over a fake deleter that records what it deleted (Go: newFakeDeleter). */
function newTestLessor(minTTL = minLeaseTTL) {
  const clock = new FakeClock();
  const deleted: string[] = [];
  const expired: Lease[][] = [];
  const le = new Lessor({
    clock,
    minLeaseTTL: minTTL,
    rangeDeleter: (): TxnDelete => ({
      deleteRange: (key) => {
        deleted.push(`${key}_`);
        return [1, 0];
      },
      end: () => {},
    }),
    onExpired: (ls) => expired.push(ls),
  });
  return { clock, le, deleted, expired };
}

describe('Lessor (lease/lessor.go)', () => {
  it('grants leases of at least the minimum TTL, refuses a taken ID, lists them by expiry (TestLessorGrant)', () => {
    const { le } = newTestLessor();
    const l = le.grant(1, 1);
    expect(l.ttl).toBe(minLeaseTTL);
    expect(le.lookup(1)).toBe(l);
    expect(l.remainingMs(0)).toBeGreaterThanOrEqual((minLeaseTTL - 1) * 1000);
    expect(() => le.grant(1, 1)).toThrow(new LeaseError(leaseErrors.ErrLeaseExists));
    const nl = le.grant(2, 1);
    expect(nl.id).not.toBe(l.id);
    expect(le.leases().map((x) => [x.id, x.ttl])).toEqual([
      [1, minLeaseTTL],
      [2, minLeaseTTL],
    ]);
  });

  it('refuses lease ID 0 and a TTL above MaxLeaseTTL (TestLessorMaxTTL)', () => {
    const { le } = newTestLessor();
    expect(() => le.grant(1, MAX_LEASE_TTL + 1)).toThrow(new LeaseError(leaseErrors.ErrLeaseTTLTooLarge));
    expect(() => le.grant(0, 10)).toThrow(new LeaseError(leaseErrors.ErrLeaseNotFound));
    expect(le.grant(1, MAX_LEASE_TTL).ttl).toBe(MAX_LEASE_TTL);
  });

  it('revoke deletes the attached keys in key order and forgets the lease (TestLessorRevoke)', () => {
    const { le, deleted } = newTestLessor();
    const l = le.grant(1, 100);
    le.attach(l.id, 'foo');
    le.attach(l.id, 'bar');
    le.revoke(l.id);
    expect(le.lookup(l.id)).toBeUndefined();
    expect(deleted).toEqual(['bar_', 'foo_']);
    expect(() => le.revoke(l.id)).toThrow(new LeaseError(leaseErrors.ErrLeaseNotFound));
  });

  it('renew returns the TTL and pushes the expiry out by it (TestLessorRenew)', () => {
    const { le, clock } = newTestLessor();
    const l = le.grant(1, minLeaseTTL);
    l.ttl = 10; // manually change the ttl field
    clock.step(3000);
    expect(le.renew(l.id)).toBe(10);
    expect(le.lookup(l.id)!.remainingMs(clock.now())).toBeGreaterThanOrEqual(9000);
    expect(() => le.renew(42)).toThrow(new LeaseError(leaseErrors.ErrLeaseNotFound));
  });

  it('detach takes one key off the lease (TestLessorDetach, TestLeaseConcurrentKeys)', () => {
    const { le } = newTestLessor();
    const l = le.grant(1, 100);
    le.attach(l.id, 'foo');
    le.attach(l.id, 'bar');
    le.detach(l.id, 'foo');
    expect(le.lookup(l.id)!.keys()).toEqual(['bar']);
    expect(le.getLease('foo')).toBe(0);
    expect(le.getLease('bar')).toBe(1);
  });

  it('the expiry check finds a lease past its TTL on the 500 ms grid; renewing it then waits for the revoke (TestLessorExpire)', async () => {
    const { le, clock, expired } = newTestLessor(1);
    const l = le.grant(1, 1);
    expect(le.nextCheckAtMs()).toBe(1000);
    clock.step(999);
    expect(expired).toEqual([]);
    clock.step(1);
    expect(expired.map((ls) => ls.map((x) => x.id))).toEqual([[1]]);
    // expired lease cannot be renewed: the renewal waits for the revocation
    const renewal = le.renew(l.id);
    expect(renewal).toBeInstanceOf(Promise);
    let settled: unknown;
    (renewal as Promise<never>).catch((err) => (settled = err));
    await settle();
    expect(settled).toBeUndefined();
    // expired lease can be revoked
    le.revoke(l.id);
    await settle();
    expect(settled).toEqual(new LeaseError(leaseErrors.ErrLeaseNotFound));
  });

  it('an unrevoked expired lease is handed over again after the 3 s retry interval (expireExists)', () => {
    const { le, clock, expired } = newTestLessor(1);
    le.grant(7, 2);
    clock.step(2000);
    expect(expired.length).toBe(1);
    clock.step(2500);
    expect(expired.length).toBe(1);
    clock.step(500);
    expect(expired.length).toBe(2);
  });

  it('checks run only on the grid: a lease expiring between ticks waits for the next one', () => {
    const { le, clock, expired } = newTestLessor(1);
    clock.step(250);
    le.grant(1, 1); // expires at 1250
    expect(le.nextCheckAtMs()).toBe(1500);
    clock.step(1000);
    expect(expired).toEqual([]);
    clock.step(250);
    expect(expired.length).toBe(1);
    expect(LEASE_CHECK_INTERVAL_MS).toBe(500);
  });

  it('revoking through the store deletes every key of the lease in one revision, in key order', () => {
    const clock = new FakeClock();
    const kv = new KVStore();
    const le = new Lessor({ clock, minLeaseTTL: 1, rangeDeleter: () => kv.write(), onExpired: () => {} });
    kv.setLessor(le);
    le.grant(9, 10);
    kv.put('b', '1', 9);
    kv.put('a', '2', 9);
    kv.put('c', '3', 0);
    le.revoke(9);
    expect(kv.rev()).toBe(5);
    expect(kv.rowsBetween(5, 6).map((r) => [r.kv.key, r.sub, r.tombstone])).toEqual([
      ['a', 0, true],
      ['b', 1, true],
    ]);
    expect(kv.range('', '', {}).kvs.map((k) => k.key)).toEqual(['c']);
  });
});
