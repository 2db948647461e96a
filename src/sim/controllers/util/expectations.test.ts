import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { ControllerExpectations, ExpectationsTimeoutMs, UIDTrackingControllerExpectations } from './expectations';

const rcKey = 'default/rc';

describe('ControllerExpectations (ref: TestControllerExpectations)', () => {
  it('waits for every add and delete, then counts surplus sightings below zero', () => {
    const clock = new FakeClock(1_000);
    const e = new ControllerExpectations(clock);
    e.setExpectations(rcKey, 10, 30);
    for (let i = 0; i < 11; i++) e.creationObserved(rcKey);
    expect(e.satisfiedExpectations(rcKey)).toBe(false); // deletes still pending
    for (let i = 0; i < 31; i++) e.deletionObserved(rcKey);
    expect(e.getExpectations(rcKey)?.getExpectations()).toEqual([-1, -1]);
    expect(e.satisfiedExpectations(rcKey)).toBe(true);
  });

  it('new expectations after the old ones expired are not satisfied', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    e.setExpectations(rcKey, 3, 0);
    clock.step(ExpectationsTimeoutMs + 1);
    expect(e.satisfiedExpectations(rcKey)).toBe(true);
    e.setExpectations(rcKey, 1, 2);
    expect(e.getExpectations(rcKey)?.getExpectations()).toEqual([1, 2]);
    expect(e.satisfiedExpectations(rcKey)).toBe(false);
  });

  it('expires strictly after 5 minutes; lowering does not restamp', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    e.expectCreations(rcKey, 2);
    clock.step(ExpectationsTimeoutMs - 1);
    e.creationObserved(rcKey);
    clock.step(1);
    expect(e.satisfiedExpectations(rcKey)).toBe(false); // exactly the timeout: not yet
    clock.step(1);
    expect(e.satisfiedExpectations(rcKey)).toBe(true);
  });

  it('a controller without expectations syncs; raise/lower are no-ops on it', () => {
    const e = new ControllerExpectations(new FakeClock());
    e.raiseExpectations(rcKey, 5, 5);
    expect(e.getExpectations(rcKey)).toBeUndefined();
    expect(e.satisfiedExpectations(rcKey)).toBe(true);
    e.expectDeletions(rcKey, 1);
    e.raiseExpectations(rcKey, 1, 0);
    e.deletionObserved(rcKey);
    expect(e.satisfiedExpectations(rcKey)).toBe(false);
    e.lowerExpectations(rcKey, 1, 0);
    expect(e.satisfiedExpectations(rcKey)).toBe(true);
    e.expectCreations(rcKey, 1);
    e.deleteExpectations(rcKey);
    expect(e.satisfiedExpectations(rcKey)).toBe(true);
  });

  it('property: satisfied iff none set, both counts <= 0, or older than the timeout', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(20), fc.array(fc.constantFrom('c', 'd', 'step'), { maxLength: 60 }), fc.nat(ExpectationsTimeoutMs * 2), (add, del, ops, stepMs) => {
        const clock = new FakeClock();
        const e = new ControllerExpectations(clock);
        e.setExpectations(rcKey, add, del);
        let [a, d, age] = [add, del, 0];
        for (const op of ops) {
          if (op === 'c') (e.creationObserved(rcKey), a--);
          else if (op === 'd') (e.deletionObserved(rcKey), d--);
          else (clock.step(stepMs), (age += stepMs));
        }
        expect(e.satisfiedExpectations(rcKey)).toBe((a <= 0 && d <= 0) || age > ExpectationsTimeoutMs);
      }),
    );
  });
});

describe('UIDTrackingControllerExpectations (ref: TestUIDExpectations)', () => {
  it('each rc waits for its own pod keys; a repeated delete counts once', () => {
    const u = new UIDTrackingControllerExpectations(new ControllerExpectations(new FakeClock()));
    const rcs = ['default/rc-0', 'default/rc-1', 'default/rc-2'];
    const keys = rcs.map((rc, i) => Array.from({ length: i + 2 }, (_, j) => `${rc}-pod-${j}`));
    rcs.forEach((rc, i) => u.expectDeletions(rc, keys[i]!));
    rcs.forEach((rc, i) => {
      for (const k of keys[i]!) {
        expect(u.satisfiedExpectations(rc)).toBe(false);
        u.deletionObserved(rc, k);
        u.deletionObserved(rc, k); // the real delete after the deletionTimestamp update
      }
      expect(u.satisfiedExpectations(rc)).toBe(true);
      expect(u.getExpectations(rc)?.getExpectations()).toEqual([0, 0]);
      u.deleteExpectations(rc);
      expect(u.getUIDs(rc)).toBeUndefined();
      expect(u.getExpectations(rc)).toBeUndefined();
    });
  });

  it('ignores deletions it did not expect, and dedupes keys', () => {
    const u = new UIDTrackingControllerExpectations(new ControllerExpectations(new FakeClock()));
    u.expectDeletions(rcKey, ['ns/a', 'ns/a', 'ns/b']);
    expect(u.getExpectations(rcKey)?.getExpectations()).toEqual([0, 2]);
    u.deletionObserved(rcKey, 'ns/other');
    u.deletionObserved('default/nobody', 'ns/a');
    expect(u.getExpectations(rcKey)?.getExpectations()).toEqual([0, 2]);
  });

  it('clobbers keys still awaited and says so', () => {
    const u = new UIDTrackingControllerExpectations(new ControllerExpectations(new FakeClock()));
    u.expectDeletions(rcKey, ['ns/a']);
    u.expectDeletions(rcKey, ['ns/b']);
    expect(u.log).toEqual(['Clobbering existing delete keys: ns/a']);
    u.deletionObserved(rcKey, 'ns/a');
    expect(u.satisfiedExpectations(rcKey)).toBe(false);
    u.deletionObserved(rcKey, 'ns/b');
    expect(u.satisfiedExpectations(rcKey)).toBe(true);
  });
});
