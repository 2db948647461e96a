// The primary lessor (server/lease/lessor.go at v3.6.0: Promote, Demote), as a replicated cluster
// uses it: only the raft leader's lessor keeps expiries. On a FakeClock.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { LeaseError, leaseErrors } from './errors';
import { Lessor, type Lease } from './lessor';

function newTestLessor() {
  const clock = new FakeClock();
  const expired: Lease[][] = [];
  const le = new Lessor({ clock, minLeaseTTL: 1, rangeDeleter: () => ({ deleteRange: () => [0, 0], end: () => {} }), onExpired: (ls) => expired.push(ls) });
  return { clock, le, expired };
}

describe('Lessor primary (lessor.go Promote / Demote)', () => {
  it('a demoted lessor keeps leases forever and refuses renewals (ErrNotPrimary); grants there never expire', () => {
    const { clock, le, expired } = newTestLessor();
    const l = le.grant(1, 2);
    le.demote();
    expect(le.primary).toBe(false);
    expect(l.expiryMs).toBe(Infinity);
    expect(() => le.renew(1)).toThrow(new LeaseError(leaseErrors.ErrNotPrimary));
    const g = le.grant(2, 2);
    expect(g.expiryMs).toBe(Infinity);
    clock.step(60_000);
    expect(expired).toEqual([]);
    expect(le.nextCheckAtMs()).toBeUndefined();
  });

  it('promote(extend) gives every lease its TTL from now plus extend, and expiry checks resume (TestLessorGrant, TestLessorRenew use Promote(0))', () => {
    const { clock, le, expired } = newTestLessor();
    le.demote();
    le.grant(1, 2);
    le.grant(2, 5);
    clock.step(10_000);
    le.promote(1000);
    expect(le.lookup(1)!.expiryMs).toBe(10_000 + 1000 + 2000);
    expect(le.lookup(2)!.expiryMs).toBe(10_000 + 1000 + 5000);
    expect(le.renew(2)).toBe(5);
    clock.step(2_900);
    expect(expired).toEqual([]);
    clock.step(600);
    expect(expired.flat().map((x) => x.id)).toEqual([1]);
  });

  it('a renewal waiting on an expired lease fails with ErrNotPrimary when the lessor is demoted (TestLessorExpireAndDemote)', async () => {
    const { clock, le, expired } = newTestLessor();
    le.grant(1, 1);
    clock.step(1500);
    expect(expired.flat().map((x) => x.id)).toEqual([1]);
    const renew = le.renew(1);
    expect(renew).toBeInstanceOf(Promise);
    let settled = false;
    (renew as Promise<never>).catch(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    le.demote();
    await expect(renew).rejects.toThrow(new LeaseError(leaseErrors.ErrNotPrimary));
  });
});
