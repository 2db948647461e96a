// After pkg/kubelet/prober/prober_manager_test.go (v1.34): TestAddRemovePods, TestCleanupPods,
// TestUpdatePodStatus, TestUpdateReadiness.
import { describe, expect, it } from 'vitest';
import type { Pod, PodStatus } from '../../api/core/v1';
import { FakeClock } from '../../core/clock';
import { runUntilIdle } from '../../core/drive';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { eventText } from '../../catalogs';
import type { ApiContainerStatus, ProbedContainer } from './api';
import { newProberManager } from './prober_manager';
import { newResultsManager } from './results_manager';
import { newFakeRecorder, newFakeRunner, newFakeStatusProvider, runningStatus } from './testing';

const probe = { httpGet: { port: 8080, path: '/healthz' } };

function setup(seed = 1) {
  const clock = new FakeClock();
  const runner = newFakeRunner();
  const status = newFakeStatusProvider();
  const recorder = newFakeRecorder();
  const trace = new TraceRecorder();
  const rms = { livenessManager: newResultsManager(), readinessManager: newResultsManager(), startupManager: newResultsManager() };
  const m = newProberManager({ clock, rng: rngFromSeed(seed), runner, statusProvider: status, recorder, trace, ...rms });
  return { clock, runner, status, recorder, trace, m, ...rms };
}

const pod = (uid: string, containers: ProbedContainer[], initContainers: ProbedContainer[] = []): Pod => ({ metadata: { name: uid, namespace: 'default', uid }, spec: { containers, initContainers } });

describe('prober manager', () => {
  it('TestAddRemovePods: a worker per probe, none for unprobed containers; removing stops them all', () => {
    const s = setup();
    const noProbes = pod('no_probe_pod', [{ name: 'no_probe1' }, { name: 'no_probe2' }]);
    const probed = pod('probe_pod', [
      { name: 'probe1', readinessProbe: probe },
      { name: 'readiness', readinessProbe: probe },
      { name: 'liveness', livenessProbe: probe },
      { name: 'startup', startupProbe: probe },
    ], [{ name: 'sidecar', restartPolicy: 'Always', readinessProbe: probe }, { name: 'init', readinessProbe: probe }]);
    s.m.addPod(noProbes);
    expect(s.m.workerCount()).toBe(0);
    s.m.addPod(probed);
    expect(s.m.workerCount()).toBe(5);
    expect(s.m.getWorker('probe_pod', 'sidecar', 'Readiness')).toBeDefined();
    expect(s.m.getWorker('probe_pod', 'init', 'Readiness')).toBeUndefined();
    s.m.addPod(probed); // adding again changes nothing
    expect(s.m.workerCount()).toBe(5);
    s.m.removePod(noProbes);
    expect(s.m.workerCount()).toBe(5);
    s.m.removePod(probed);
    expect(s.m.workerCount()).toBe(0);
  });

  it('TestCleanupPods: workers of pods not desired stop', () => {
    const s = setup();
    const p1 = pod('pod_cleanup', [{ name: 'prober1', readinessProbe: probe }, { name: 'prober2', livenessProbe: probe }, { name: 'prober3', startupProbe: probe }]);
    const p2 = pod('pod_keep', [{ name: 'prober1', readinessProbe: probe }, { name: 'prober2', livenessProbe: probe }, { name: 'prober3', startupProbe: probe }]);
    s.m.addPod(p1);
    s.m.addPod(p2);
    s.m.cleanupPods(new Set(['pod_keep']));
    expect(s.m.workerCount()).toBe(3);
    expect(s.m.getWorker('pod_keep', 'prober1', 'Readiness')).toBeDefined();
    expect(s.m.getWorker('pod_cleanup', 'prober1', 'Readiness')).toBeUndefined();
  });

  it('StopLivenessAndStartup: a terminating pod keeps only readiness workers', () => {
    const s = setup();
    const p = pod('p', [{ name: 'c', readinessProbe: probe, livenessProbe: probe, startupProbe: probe }]);
    s.m.addPod(p);
    s.m.stopLivenessAndStartup(p);
    expect(s.m.workerCount()).toBe(1);
    expect(s.m.getWorker('p', 'c', 'Readiness')).toBeDefined();
  });

  it('TestUpdatePodStatus: ready and started from the results managers and the workers', () => {
    const s = setup();
    const running = (name: string): ApiContainerStatus => ({ name, containerID: `containerd://${name}`, state: { running: { startedAt: 0 } } });
    const p = pod('test_pod', [
      { name: 'unprobed' },
      { name: 'probed_ready', readinessProbe: probe },
      { name: 'probed_not_ready', readinessProbe: probe },
      { name: 'probed_unknown', readinessProbe: probe },
      { name: 'not_running', readinessProbe: probe },
      { name: 'startup_pending', startupProbe: probe, readinessProbe: probe },
      { name: 'startup_ok', startupProbe: probe },
    ], [{ name: 'init_done' }, { name: 'init_failed' }]);
    s.m.addPod(p);
    s.readinessManager.set('containerd://probed_ready', 'Success', p);
    s.readinessManager.set('containerd://probed_not_ready', 'Failure', p);
    s.startupManager.set('containerd://startup_ok', 'Success', p);
    const status: PodStatus = {
      containerStatuses: [
        running('unprobed'),
        running('probed_ready'),
        running('probed_not_ready'),
        running('probed_unknown'),
        { name: 'not_running', containerID: 'containerd://not_running', state: { terminated: { exitCode: 0 } } },
        running('startup_pending'),
        running('startup_ok'),
      ],
      initContainerStatuses: [
        { name: 'init_done', state: { terminated: { exitCode: 0 } } },
        { name: 'init_failed', state: { terminated: { exitCode: 1 } } },
      ],
    };
    s.m.updatePodStatus(p, status);
    const got = Object.fromEntries((status.containerStatuses as ApiContainerStatus[]).map((c) => [c.name, [c.started, c.ready]]));
    expect(got).toEqual({
      unprobed: [true, true],
      probed_ready: [true, true],
      probed_not_ready: [true, false],
      probed_unknown: [true, false],
      not_running: [false, undefined],
      startup_pending: [false, undefined],
      startup_ok: [true, true],
    });
    expect((status.initContainerStatuses as ApiContainerStatus[]).map((c) => c.ready)).toEqual([true, false]);
  });

  it('TestUpdatePodStatusWithInitContainers: a sidecar is ready by its readiness probe once started, a regular init container once exited 0', () => {
    const s = setup();
    const p = pod('sidecar_pod', [{ name: 'main' }], [{ name: 'init' }, { name: 'proxy', restartPolicy: 'Always', readinessProbe: probe, startupProbe: probe }]);
    s.m.addPod(p);
    const running = (name: string): ApiContainerStatus => ({ name, containerID: `containerd://${name}`, state: { running: { startedAt: 0 } } });
    const status = (): PodStatus => ({ containerStatuses: [running('main')], initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 0 } } }, running('proxy')] });
    let st = status();
    s.m.updatePodStatus(p, st);
    expect((st.initContainerStatuses as ApiContainerStatus[]).map((c) => [c.name, c.started, c.ready])).toEqual([['init', undefined, true], ['proxy', false, false]]);
    s.startupManager.set('containerd://proxy', 'Success', p);
    s.readinessManager.set('containerd://proxy', 'Success', p);
    st = status();
    s.m.updatePodStatus(p, st);
    expect((st.initContainerStatuses as ApiContainerStatus[])[1]).toMatchObject({ started: true, ready: true });
  });

  it('TestUpdateReadiness: the worker runs on the clock and the readiness result follows the endpoint', async () => {
    const s = setup();
    const p = pod('ready_pod', [{ name: 'testContainer', readinessProbe: { ...probe, periodSeconds: 1 } }]);
    s.status.statuses.set('ready_pod', runningStatus(s.clock));
    s.m.addPod(p);
    const cid = 'containerd://test-container-id';
    await runUntilIdle(s.clock, { forMs: 1500 });
    expect(s.readinessManager.get(cid)).toBe('Success');
    s.runner.config.http = () => ({ statusCode: 503 });
    await runUntilIdle(s.clock, { forMs: 3000 });
    expect(s.readinessManager.get(cid)).toBe('Failure');
    expect(s.recorder.events.at(-1)?.message).toBe('Readiness probe failed: HTTP probe failed with statuscode: 503');
    s.m.removePod(p);
    expect(s.readinessManager.get(cid)).toBeUndefined();
    expect(s.trace.ofType('prober.workerStop').length).toBe(1);
    const texts = s.trace.events.filter((e) => e.component === 'prober').map((e) => eventText(e));
    expect(texts).toContain('Readiness default/ready_pod/testContainer: Failure: HTTP probe failed with statuscode: 503');
    expect(texts.every((t) => t !== undefined)).toBe(true);
  });

  it('a young kubelet spreads first probes over one period, the same way for the same seed', () => {
    const firstDelays = (seed: number) => {
      const s = setup(seed);
      s.m.addPod(pod('p', [{ name: 'a', readinessProbe: { ...probe, periodSeconds: 10 } }, { name: 'b', livenessProbe: { ...probe, periodSeconds: 10 } }]));
      return s.trace.ofType('prober.workerStart').map((e) => e.delayMs as number);
    };
    const d = firstDelays(7);
    expect(d.every((x) => x >= 0 && x < 10_000)).toBe(true);
    expect(firstDelays(7)).toEqual(d);
    // An old kubelet (started more than a period ago) probes at once.
    const s = setup();
    s.clock.step(60_000);
    s.m.addPod(pod('p', [{ name: 'a', readinessProbe: probe }]));
    expect(s.trace.ofType('prober.workerStart')[0].delayMs).toBe(0);
  });

  it('periodSeconds: probes run once per period of virtual time', async () => {
    const s = setup();
    s.clock.step(60_000);
    s.status.statuses.set('p', runningStatus(s.clock));
    s.m.addPod(pod('p', [{ name: 'testContainer', livenessProbe: { ...probe, periodSeconds: 5 } }]));
    await runUntilIdle(s.clock, { forMs: 20_000 });
    // at 0, 5, 10, 15, 20 s
    expect(s.runner.calls.length).toBe(5);
    s.m.stop();
    expect(s.m.workerCount()).toBe(0);
  });
});
