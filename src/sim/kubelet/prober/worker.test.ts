// After pkg/kubelet/prober/worker_test.go (v1.34): each case names the upstream test it follows.
import { describe, expect, it } from 'vitest';
import type { PodStatus } from '../../api/core/v1';
import { FakeClock } from '../../core/clock';
import type { Probe } from './api';
import { getTestPod, newFakeRunner, newTestHost, runningStatus } from './testing';
import type { ProbeType } from './types';
import { Worker } from './worker';

const types: ProbeType[] = ['Liveness', 'Readiness', 'Startup'];
const cid = 'containerd://test-container-id';

function setup(t: ProbeType, probe: Probe = {}, runnerCfg: Parameters<typeof newFakeRunner>[0] = {}) {
  const clock = new FakeClock(1_000_000);
  const runner = newFakeRunner(runnerCfg);
  const env = newTestHost(clock, runner);
  const pod = getTestPod(t, { httpGet: { port: 8080, path: '/healthz' }, ...probe });
  const w = new Worker(env.host, t, pod, pod.spec.containers[0]);
  return { clock, runner, w, pod, ...env, rm: env.host.resultsManagerFor(t) };
}

/** `started` as the kubelet would report it for this probe type's tests. */
const startedFor = (t: ProbeType) => t !== 'Startup';

describe('worker.doProbe', () => {
  type Case = { name: string; status?: (clock: FakeClock, t: ProbeType) => PodStatus; deletion?: boolean; expectContinue: Partial<Record<ProbeType, boolean>>; expectSet?: boolean; expectedResult?: string };
  const cases: Case[] = [
    { name: 'no status', expectContinue: { Liveness: true, Readiness: true, Startup: true } },
    { name: 'pod failed', status: () => ({ phase: 'Failed' }), expectContinue: {} },
    {
      name: 'pod deletion: liveness and startup set Success and stop, readiness goes on',
      status: (c, t) => runningStatus(c, { started: startedFor(t) }),
      deletion: true,
      expectContinue: { Readiness: true },
      expectSet: true,
      expectedResult: 'Success',
    },
    { name: 'no container status', status: () => ({ phase: 'Running', containerStatuses: [{ name: 'other', containerID: 'containerd://x', state: { running: {} } }] }), expectContinue: { Liveness: true, Readiness: true, Startup: true } },
    {
      name: 'container waiting',
      status: () => ({ phase: 'Pending', containerStatuses: [{ name: 'testContainer', containerID: cid, state: { waiting: { reason: 'ContainerCreating' } } }] }),
      expectContinue: { Liveness: true, Readiness: true, Startup: true },
      expectSet: true,
      expectedResult: 'Failure',
    },
    {
      name: 'container terminated, restartPolicy Never: the worker exits',
      status: () => ({ phase: 'Running', containerStatuses: [{ name: 'testContainer', containerID: cid, state: { terminated: { exitCode: 1 } } }] }),
      expectContinue: {},
      expectSet: true,
      expectedResult: 'Failure',
    },
    { name: 'probe successful', status: (c, t) => runningStatus(c, { started: startedFor(t) }), expectContinue: { Liveness: true, Readiness: true, Startup: true }, expectSet: true, expectedResult: 'Success' },
  ];
  for (const tc of cases) {
    for (const t of types) {
      it(`TestDoProbe: ${tc.name} (${t})`, async () => {
        const s = setup(t);
        if (tc.deletion) s.pod.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
        if (tc.status) s.status.statuses.set('test-pod-uid', tc.status(s.clock, t));
        const keepGoing = await s.w.doProbe();
        expect(keepGoing).toBe(tc.expectContinue[t] ?? false);
        const result = s.rm.get(cid);
        if (tc.expectSet) expect(result).toBe(tc.expectedResult);
        else expect(result).toBeUndefined();
      });
    }
  }
});

describe('worker thresholds and delays', () => {
  it('TestInitialDelay: the initial value holds until initialDelaySeconds passed', async () => {
    for (const t of types) {
      const s = setup(t, { initialDelaySeconds: 10 });
      s.status.statuses.set('test-pod-uid', runningStatus(s.clock, { started: startedFor(t) }));
      expect(await s.w.doProbe()).toBe(true);
      expect(s.rm.get(cid)).toBe(s.w.initialValue);
      expect(s.runner.calls).toEqual([]);
      s.clock.step(10_000);
      await s.w.doProbe();
      expect(s.rm.get(cid)).toBe('Success');
    }
    expect(setup('Readiness').w.initialValue).toBe('Failure');
    expect(setup('Liveness').w.initialValue).toBe('Success');
    expect(setup('Startup').w.initialValue).toBe('Unknown');
  });

  it('TestFailureThreshold: three failures in a row before Failure, successes in between reset the run', async () => {
    const s = setup('Readiness', { successThreshold: 1, failureThreshold: 3 });
    let code = 200;
    s.runner.config.http = () => ({ statusCode: code });
    s.status.statuses.set('test-pod-uid', runningStatus(s.clock));
    for (let i = 0; i < 2; i++) {
      code = 200;
      await s.w.doProbe();
      expect(s.rm.get(cid)).toBe('Success');
      code = 500;
      for (let j = 0; j < 3; j++) {
        await s.w.doProbe();
        expect(s.rm.get(cid), `failure ${j + 1}`).toBe(j < 2 ? 'Success' : 'Failure');
      }
    }
  });

  it('TestSuccessThreshold: readiness needs successThreshold successes in a row; one failure flips it back', async () => {
    const s = setup('Readiness', { successThreshold: 3, failureThreshold: 1 });
    let code = 200;
    s.runner.config.http = () => ({ statusCode: code });
    s.status.statuses.set('test-pod-uid', runningStatus(s.clock));
    for (let round = 0; round < 2; round++) {
      code = 200;
      for (let i = 0; i < 4; i++) {
        await s.w.doProbe();
        expect(s.rm.get(cid), `round ${round}, success ${i + 1}`).toBe(i < 2 ? 'Failure' : 'Success');
      }
      code = 500;
      await s.w.doProbe();
      expect(s.rm.get(cid)).toBe('Failure');
    }
  });

  it('TestOnHoldOnLivenessOrStartupCheckFailure: no probing after a failure until the container ID changes', async () => {
    for (const t of ['Liveness', 'Startup'] as const) {
      const s = setup(t, { failureThreshold: 1 });
      s.runner.config.http = () => ({ statusCode: 500 });
      s.status.statuses.set('test-pod-uid', runningStatus(s.clock, { started: startedFor(t) }));
      await s.w.doProbe();
      expect(s.rm.get(cid)).toBe('Failure');
      expect(s.w.onHold).toBe(true);
      s.runner.config.http = () => ({ statusCode: 200 });
      const calls = s.runner.calls.length;
      await s.w.doProbe();
      expect(s.runner.calls.length).toBe(calls);
      expect(s.rm.get(cid)).toBe('Failure');
      // A restarted container: a new ID, the initial value, probing again.
      const next = 'containerd://restarted';
      s.status.statuses.set('test-pod-uid', runningStatus(s.clock, { started: startedFor(t), containerID: next }));
      await s.w.doProbe();
      expect(s.w.onHold).toBe(false);
      expect(s.rm.get(cid)).toBeUndefined();
      expect(s.rm.get(next)).toBe('Success');
    }
  });

  it('TestResultRunOnLivenessCheckFailure: the run restarts at 0 after the liveness Failure is set', async () => {
    const s = setup('Liveness', { successThreshold: 1, failureThreshold: 3 });
    let code = 200;
    s.runner.config.http = () => ({ statusCode: code });
    s.status.statuses.set('test-pod-uid', runningStatus(s.clock));
    await s.w.doProbe();
    expect([s.rm.get(cid), s.w.resultRun]).toEqual(['Success', 1]);
    code = 500;
    await s.w.doProbe();
    expect([s.rm.get(cid), s.w.resultRun]).toEqual(['Success', 1]);
    await s.w.doProbe();
    expect([s.rm.get(cid), s.w.resultRun]).toEqual(['Success', 2]);
    await s.w.doProbe();
    expect([s.rm.get(cid), s.w.resultRun, s.w.onHold]).toEqual(['Failure', 0, true]);
  });

  it('TestStartupProbeSuccessThreshold: the startup probe writes Success after its threshold, then stops probing once started', async () => {
    const s = setup('Startup', { successThreshold: 1, failureThreshold: 30 });
    s.status.statuses.set('test-pod-uid', runningStatus(s.clock, { started: false }));
    await s.w.doProbe();
    expect(s.rm.get(cid)).toBe('Success');
    s.status.statuses.set('test-pod-uid', runningStatus(s.clock, { started: true }));
    const calls = s.runner.calls.length;
    expect(await s.w.doProbe()).toBe(true);
    expect(s.runner.calls.length).toBe(calls);
  });

  it('TestLivenessProbeDisabledByStarted: liveness and readiness wait for the container to have started', async () => {
    for (const t of ['Liveness', 'Readiness'] as const) {
      const s = setup(t, { failureThreshold: 1 });
      s.runner.config.http = () => ({ statusCode: 500 });
      s.status.statuses.set('test-pod-uid', runningStatus(s.clock, { started: false }));
      await s.w.doProbe();
      expect(s.runner.calls).toEqual([]);
      expect(s.rm.get(cid)).toBe(s.w.initialValue);
      s.status.statuses.set('test-pod-uid', runningStatus(s.clock, { started: true }));
      await s.w.doProbe();
      expect(s.rm.get(cid)).toBe('Failure');
    }
  });

  it('TestCleanUp: a stopped worker removes its result and itself from the manager', async () => {
    for (const t of types) {
      const s = setup(t);
      s.status.statuses.set('test-pod-uid', runningStatus(s.clock, { started: startedFor(t) }));
      await s.w.doProbe();
      expect(s.rm.get(cid)).toBe('Success');
      s.w.stop();
      s.w.stop(); // safe to call twice
      expect(s.rm.get(cid)).toBeUndefined();
      expect(s.removed).toEqual([s.w]);
    }
  });

  it('a probe that hangs fails after timeoutSeconds of virtual time (Client.Timeout)', async () => {
    const s = setup('Readiness', { timeoutSeconds: 2, failureThreshold: 1 });
    s.runner.config.http = () => 'hang';
    s.status.statuses.set('test-pod-uid', runningStatus(s.clock));
    const p = s.w.doProbe();
    await Promise.resolve();
    s.clock.step(1999);
    await Promise.resolve();
    expect(s.rm.get(cid)).toBe('Failure'); // the initial value, not yet a result
    s.clock.step(1);
    expect(await p).toBe(true);
    expect(s.w.lastResult).toBe('Failure');
  });
});
