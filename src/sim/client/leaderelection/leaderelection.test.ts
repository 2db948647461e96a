// client-go v0.34.0 tools/leaderelection/leaderelection_test.go, case by case: the API calls are
// answered by reactors (as upstream's fake clientset does), in front of the real client.
import { describe, expect, it } from 'vitest';
import { newConflict, newNotFound } from '../../apimachinery/errors';
import { FakeClock } from '../../core/clock';
import { runUntilSettled } from '../../core/drive';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { newClientset } from '../clientset';
import type { EventRecorder } from '../record';
import type { RestRequest, RestResponse, RestTransport } from '../transport';
import { Context } from './context';
import { LeaderElector, newLeaderElector, type LeaderElectionConfig } from './leaderelection';
import { LeaseLock, emptyRecord, leaderElectionRecordToLeaseSpec, leaseSpecToLeaderElectionRecord, newResourceLock, rawRecord, type LeaderElectionRecord } from './resourcelock';

type Verb = 'get' | 'create' | 'update';
type Reactor = { verb: Verb; reaction: (req: RestRequest) => RestResponse };
const VERBS: Record<string, Verb> = { GET: 'get', POST: 'create', PUT: 'update' };
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 5, 10, 0, 0);

const lockObject = (name: string, record?: Partial<LeaderElectionRecord>): KubeObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { namespace: 'foo', name, resourceVersion: '1' },
  spec: record ? leaderElectionRecordToLeaseSpec({ ...emptyRecord(), ...record }) : {},
});
const ok = (body: unknown): RestResponse => ({ code: 200, body });
const notFound = (): RestResponse => ({ code: 404, body: newNotFound({ group: 'coordination.k8s.io', resource: 'leases' }, 'bar').status });
const sentBody = (req: RestRequest) => ok(req.body);

/**
 * Go's fake clientset: the first reactor of the verb answers; every action is counted. Each call
 * takes 1 ms of virtual time, as a real round trip takes some: upstream's cases rely on the wall
 * clock moving between `now` and the moment a changed record is observed.
 */
function reactorTransport(reactors: Reactor[], clock?: FakeClock): RestTransport & { actions: Verb[] } {
  const actions: Verb[] = [];
  return {
    actions,
    async request(req) {
      const verb = VERBS[req.verb];
      actions.push(verb);
      if (clock) await clock.sleep(1);
      const r = reactors.find((x) => x.verb === verb);
      if (!r) throw new Error(`unreachable action: ${req.verb} ${req.path}`);
      return r.reaction(req);
    },
    watch: () => Promise.reject(new Error('no watch')),
  };
}

function fakeRecorder(): EventRecorder & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    async event(_o, type, reason, message) {
      events.push(`${type} ${reason} ${message}`);
    },
  };
}

function setup(reactors: Reactor[], extra: Partial<LeaderElectionConfig> = {}) {
  const clock = new FakeClock(T0);
  const transport = reactorTransport(reactors, clock);
  const recorder = fakeRecorder();
  const lock = new LeaseLock({ namespace: 'foo', name: 'bar', client: newClientset(transport, { clock, qps: -1 }), identity: 'baz', eventRecorder: recorder });
  const reported: string[] = [];
  const le = new LeaderElector({
    lock,
    leaseDurationMs: 10_000,
    renewDeadlineMs: 5_000,
    retryPeriodMs: 2_000,
    callbacks: { onStartedLeading: () => {}, onStoppedLeading: () => {}, onNewLeader: (l) => reported.push(l) },
    clock,
    rng: rngFromSeed(1),
    ...extra,
  });
  return { clock, transport, recorder, le, reported };
}

describe('tryAcquireOrRenew (TestTryAcquireOrRenewLeases)', () => {
  const cases: Array<{
    name: string;
    reactors: Reactor[];
    observedRecord?: Partial<LeaderElectionRecord>;
    observedTime?: 'past' | 'future';
    retryAfterMs?: number;
    expectSuccess: boolean;
    transitionLeader?: boolean;
    outHolder: string;
  }> = [
    { name: 'acquire from no object', reactors: [{ verb: 'get', reaction: notFound }, { verb: 'create', reaction: sentBody }], expectSuccess: true, outHolder: 'baz' },
    { name: 'acquire from object without annotations', reactors: [{ verb: 'get', reaction: () => ok(lockObject('bar')) }, { verb: 'update', reaction: sentBody }], expectSuccess: true, transitionLeader: true, outHolder: 'baz' },
    {
      name: 'acquire from led object with the lease duration seconds',
      reactors: [
        { verb: 'get', reaction: () => ok(lockObject('bar', { holderIdentity: 'bing', leaseDurationSeconds: 3 })) },
        { verb: 'get', reaction: () => ok(lockObject('bar', { holderIdentity: 'bing', leaseDurationSeconds: 3 })) },
        { verb: 'update', reaction: sentBody },
      ],
      retryAfterMs: 3000,
      expectSuccess: true,
      transitionLeader: true,
      outHolder: 'baz',
    },
    { name: 'acquire from unled object', reactors: [{ verb: 'get', reaction: () => ok(lockObject('bar', {})) }, { verb: 'update', reaction: sentBody }], expectSuccess: true, transitionLeader: true, outHolder: 'baz' },
    {
      name: 'acquire from led, unacked object',
      reactors: [{ verb: 'get', reaction: () => ok(lockObject('bar', { holderIdentity: 'bing' })) }, { verb: 'update', reaction: sentBody }],
      observedRecord: { holderIdentity: 'bing' },
      observedTime: 'past',
      expectSuccess: true,
      transitionLeader: true,
      outHolder: 'baz',
    },
    {
      name: 'acquire from empty led, acked object',
      reactors: [{ verb: 'get', reaction: () => ok(lockObject('bar', { holderIdentity: '' })) }, { verb: 'update', reaction: sentBody }],
      observedTime: 'future',
      expectSuccess: true,
      transitionLeader: true,
      outHolder: 'baz',
    },
    { name: "don't acquire from led, acked object", reactors: [{ verb: 'get', reaction: () => ok(lockObject('bar', { holderIdentity: 'bing' })) }], observedTime: 'future', expectSuccess: false, outHolder: 'bing' },
    {
      name: 'renew already acquired object',
      reactors: [{ verb: 'get', reaction: () => ok(lockObject('bar', { holderIdentity: 'baz' })) }, { verb: 'update', reaction: sentBody }],
      observedRecord: { holderIdentity: 'baz' },
      observedTime: 'future',
      expectSuccess: true,
      outHolder: 'baz',
    },
  ];

  it.each(cases)('$name', async (c) => {
    const { clock, transport, recorder, le, reported } = setup(c.reactors);
    const observed = { ...emptyRecord(), ...c.observedRecord };
    le.observedRecord = observed;
    le.observedRawRecord = rawRecord(observed);
    le.observedTime = c.observedTime === 'future' ? T0 + 1000 * HOUR : c.observedTime === 'past' ? T0 - 1000 * HOUR : 0;
    let got = await runUntilSettled(clock, le.tryAcquireOrRenew(new Context()));
    if (got !== c.expectSuccess && c.retryAfterMs) {
      clock.step(c.retryAfterMs);
      got = await runUntilSettled(clock, le.tryAcquireOrRenew(new Context()));
    }
    expect(got).toBe(c.expectSuccess);
    expect(le.observedRecord.holderIdentity).toBe(c.outHolder);
    expect(transport.actions).toHaveLength(c.reactors.length);
    expect(le.observedRecord.leaderTransitions).toBe(c.transitionLeader ? 1 : 0);
    le.maybeReportTransition();
    expect(reported).toEqual([c.outHolder]);
    expect(recorder.events).toEqual([]);
  });
});

describe('the Lease spec and the record (TestLeaseSpecToLeaderElectionRecordRoundTrip)', () => {
  it('round-trips holder, duration, transitions and MicroTime times to the microsecond', () => {
    const spec = { holderIdentity: 'foo', leaseDurationSeconds: 10, acquireTime: '2026-12-05T10:00:00.123456Z', renewTime: '2026-12-05T10:00:02.654321Z', leaseTransitions: 1 };
    const record = leaseSpecToLeaderElectionRecord(spec);
    expect(leaderElectionRecordToLeaseSpec(record)).toEqual(spec);
    expect(leaseSpecToLeaderElectionRecord(leaderElectionRecordToLeaseSpec(record))).toEqual(record);
  });
  it('the raw record is Go\'s JSON of the record: times in whole seconds, so a renewal within the same second looks unchanged', () => {
    const r = { ...emptyRecord(), holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: T0, renewTime: T0 + 400 };
    expect(rawRecord(r)).toBe('{"holderIdentity":"a","leaseDurationSeconds":15,"acquireTime":"2026-12-05T10:00:00Z","renewTime":"2026-12-05T10:00:00Z","leaderTransitions":0,"strategy":"","preferredHolder":""}');
    expect(rawRecord({ ...r, renewTime: T0 + 900 })).toBe(rawRecord(r));
    expect(rawRecord({ ...r, renewTime: T0 + 1000 })).not.toBe(rawRecord(r));
  });
});

describe('release (TestReleaseLeaseLeases)', () => {
  it('release acquired lock from no object', async () => {
    const reactors: Reactor[] = [
      { verb: 'get', reaction: () => ok(lockObject('bar', { holderIdentity: 'baz' })) },
      { verb: 'create', reaction: sentBody },
      { verb: 'update', reaction: sentBody },
      { verb: 'get', reaction: notFound },
    ];
    const { clock, transport, le, reported } = setup(reactors);
    expect(await runUntilSettled(clock, le.tryAcquireOrRenew(new Context()))).toBe(true);
    le.maybeReportTransition();
    expect(reported).toEqual(['baz']);
    expect(await runUntilSettled(clock, le.release())).toBe(true);
    expect(le.observedRecord).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaderTransitions: 0 });
    expect(transport.actions).toHaveLength(4);
    le.maybeReportTransition();
    expect(reported).toEqual(['baz', '']);
  });

  it('release reads the lock first (TestReleaseMethodCallsGet)', async () => {
    const { clock, transport, le } = setup([{ verb: 'get', reaction: notFound }]);
    expect(await runUntilSettled(clock, le.release())).toBe(false);
    expect(transport.actions).toEqual(['get']);
  });
});

describe('newLeaderElector (TestLeaderElectionConfigValidation)', () => {
  const base = () => {
    const lock = new LeaseLock({ namespace: 'foo', name: 'bar', client: newClientset(reactorTransport([]), { clock: new FakeClock(), qps: -1 }), identity: 'baz' });
    return { lock, leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 1_000, releaseOnCancel: true, callbacks: { onNewLeader: () => {}, onStoppedLeading: () => {}, onStartedLeading: () => {} } } as LeaderElectionConfig;
  };
  it('accepts the valid config; an empty identity is "Lock identity is empty"', () => {
    expect(() => newLeaderElector(base())).not.toThrow();
    const bad = base();
    bad.lock = new LeaseLock({ namespace: 'foo', name: 'bar', client: newClientset(reactorTransport([]), { qps: -1, clock: new FakeClock() }), identity: '' });
    expect(() => newLeaderElector(bad)).toThrow('Lock identity is empty');
  });
  it.each([
    [{ leaseDurationMs: 2_000 }, 'leaseDuration must be greater than renewDeadline'],
    [{ renewDeadlineMs: 1_200 }, 'renewDeadline must be greater than retryPeriod*JitterFactor'],
    [{ retryPeriodMs: 0 }, 'retryPeriod must be greater than zero'],
  ])('%o: %s', (patch, message) => {
    expect(() => newLeaderElector({ ...base(), ...patch })).toThrow(message);
  });
  it('resourcelock.New knows only leases; the removed lock types say to migrate', () => {
    const o = { namespace: 'foo', name: 'bar', client: newClientset(reactorTransport([]), { qps: -1, clock: new FakeClock() }), identity: 'baz' };
    expect(newResourceLock('leases', o).describe()).toBe('foo/bar');
    expect(() => newResourceLock('endpoints', o)).toThrow('endpoints lock is removed, migrate to leases');
    expect(() => newResourceLock('configmapsleases', o)).toThrow('configmapsleases lock is removed, migrated to leases');
    expect(() => newResourceLock('bogus', o)).toThrow('Invalid lock-type bogus');
  });
});

describe('Run (TestFastPathLeaderElection)', () => {
  const cases: Array<{ name: string; conflictOn?: number; cancelOn: number; expectedLockOps: Verb[]; slowpath: number }> = [
    { name: 'Exercise fast path after lock acquired', cancelOn: 2, expectedLockOps: ['get', 'create', 'update', 'update'], slowpath: 0 },
    { name: 'Fallback to slow path after fast path fails', conflictOn: 2, cancelOn: 4, expectedLockOps: ['get', 'create', 'update', 'update', 'get', 'update', 'update'], slowpath: 1 },
  ];
  it.each(cases)('$name', async (c) => {
    let lockObj: unknown;
    let updates = 0;
    const clockRef = {} as { clock: FakeClock };
    const ctx = new Context();
    const reactors: Reactor[] = [
      { verb: 'get', reaction: () => (lockObj ? ok(lockObj) : notFound()) },
      { verb: 'create', reaction: (req) => ((lockObj = req.body), ok(lockObj)) },
      {
        verb: 'update',
        reaction: (req) => {
          updates++;
          if (updates === c.conflictOn) return { code: 409, body: newConflict({ group: 'coordination.k8s.io', resource: 'leases' }, 'bar').status };
          // Upstream's fake client ignores the context: the update still succeeds, then Run sees it cancelled.
          if (updates === c.cancelOn) clockRef.clock.afterFunc(0, () => ctx.cancel());
          lockObj = req.body;
          return ok(lockObj);
        },
      },
    ];
    const { clock, transport, le, recorder } = setup(reactors, { leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 1_000 });
    clockRef.clock = clock;
    await runUntilSettled(clock, le.run(ctx));
    expect(transport.actions).toEqual(c.expectedLockOps);
    expect(le.metrics.slowpathTotal).toBe(c.slowpath);
    expect(recorder.events).toEqual(['Normal LeaderElection baz became leader', 'Normal LeaderElection baz stopped leading']);
  });
});

describe('trace events', () => {
  it('read through the shared catalog: text and a client-go v0.34.0 link', async () => {
    const { eventText, eventSource } = await import('../../catalogs');
    const { TraceRecorder } = await import('../../core/trace');
    const trace = new TraceRecorder();
    const { clock, le } = setup([{ verb: 'get', reaction: notFound }, { verb: 'create', reaction: sentBody }], { trace });
    await runUntilSettled(clock, le.tryAcquireOrRenew(new Context()));
    const e = trace.events.find((x) => x.type === 'leaderelection.try')!;
    expect(eventText(e)).toBe('baz foo/bar: created, holder baz, transitions 0');
    expect(eventSource(e)?.href).toBe('https://github.com/kubernetes/client-go/blob/v0.34.0/tools/leaderelection/leaderelection.go');
  });
});

describe('Check and the healthz adaptor (healthzadaptor_test.go)', () => {
  it('healthy while not leader or renewed within leaseDuration + tolerance; then "failed election to renew leadership on lease <name>"', async () => {
    const { newLeaderHealthzAdaptor } = await import('./leaderelection');
    const { clock, le } = setup([], { name: 'kube-controller-manager' });
    const adaptor = newLeaderHealthzAdaptor(20_000);
    expect(adaptor.name()).toBe('leaderElection');
    expect(adaptor.check()).toBeUndefined();
    adaptor.setLeaderElection(le);
    expect(adaptor.check()).toBeUndefined(); // not the leader
    le.setObservedRecord({ ...emptyRecord(), holderIdentity: 'baz', leaseDurationSeconds: 10 });
    clock.step(30_000);
    expect(adaptor.check()).toBeUndefined(); // 30 s <= 10 s + 20 s
    clock.step(1);
    expect(adaptor.check()).toBe('failed election to renew leadership on lease kube-controller-manager');
  });
});
