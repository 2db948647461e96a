/**
 * Tests after pkg/kubelet/kuberuntime/kuberuntime_manager_test.go (v1.34): TestComputePodActions,
 * TestComputePodActionsWithInitContainers, TestSyncPodBackoff. Each case keeps upstream's name.
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../api/core/v1';
import { FakeClock } from '../../core/clock';
import { Backoff } from '../backoff';
import { FakeRuntimeService } from '../cri/testing/fake_runtime_service';
import type { PodSandboxStatus } from '../cri/api';
import type { ProbeResult } from '../prober/types';
import { computePodActions, type PodActions } from './compute_actions';
import { hashContainer } from './labels';
import { KubeGenericRuntimeManager } from './manager';
import type { RuntimeContainerState, RuntimeContainerStatus, RuntimePodStatus } from './types';

const containers = (names: string[]): Container[] => names.map((name) => ({ name, image: 'busybox' }));

// Upstream: kuberuntime_manager_test.go (makeBasePodAndStatus): three running containers, a ready sandbox.
function makeBasePodAndStatus(init = false): { pod: Pod; status: RuntimePodStatus } {
  const pod: Pod = { metadata: { name: 'foo', namespace: 'new', uid: '12345678' }, spec: { containers: containers(['foo1', 'foo2', 'foo3']), ...(init ? { initContainers: containers(['init1', 'init2', 'init3']) } : {}) } };
  const sandbox: PodSandboxStatus = { id: 'sandboxID', metadata: { name: 'foo', namespace: 'new', uid: '12345678', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 0, labels: {}, annotations: {}, network: { ip: '10.0.0.1' }, linux: { namespaces: { options: { network: 'POD' } } } };
  const cs = (c: Container, state: RuntimeContainerState, exitCode = 0): RuntimeContainerStatus => ({ id: `containerd://${c.name}id`, rawId: `${c.name}id`, name: c.name, state, createdAtMs: 0, startedAtMs: 0, finishedAtMs: 0, exitCode, image: 'busybox', imageRef: 'busybox', restartCount: 0, hash: hashContainer(c), reason: '', message: '' });
  const statuses = init ? pod.spec.initContainers!.map((c) => cs(c, 'exited')) : pod.spec.containers.map((c) => cs(c, 'running'));
  return { pod, status: { id: '12345678', name: 'foo', namespace: 'new', ips: ['10.0.0.1'], sandboxStatuses: [sandbox], containerStatuses: statuses, timestampMs: 0 } };
}

interface Want {
  killPod?: boolean;
  createSandbox?: boolean;
  attempt?: number;
  start?: number[];
  init?: number[];
  kill?: string[];
}

function check(actions: PodActions, want: Want) {
  expect({
    killPod: actions.killPod,
    createSandbox: actions.createSandbox,
    attempt: actions.attempt,
    start: actions.containersToStart,
    init: actions.initContainersToStart,
    kill: [...actions.containersToKill.values()].map((k) => k.name),
  }).toEqual({ killPod: false, createSandbox: false, attempt: 0, start: [], init: [], kill: [], ...want });
}

type Case = { name: string; policy?: 'Always' | 'OnFailure' | 'Never'; mutatePod?: (p: Pod) => void; mutate?: (s: RuntimePodStatus) => void; liveness?: Record<string, ProbeResult>; startup?: Record<string, ProbeResult>; want: Want };
const exit = (s: RuntimePodStatus, i: number, code: number) => Object.assign(s.containerStatuses[i], { state: 'exited', exitCode: code });
const deadSandbox = (s: RuntimePodStatus) => (s.sandboxStatuses[0].state = 'SANDBOX_NOTREADY');

describe('computePodActions (TestComputePodActions)', () => {
  const cases: Case[] = [
    { name: 'Start pod sandbox and all containers for a new pod', mutate: (s) => ((s.sandboxStatuses = []), (s.containerStatuses = [])), want: { killPod: true, createSandbox: true, attempt: 0, start: [0, 1, 2] } },
    { name: 'Restart exited containers if RestartPolicy == Always', policy: 'Always', mutate: (s) => (exit(s, 0, 0), exit(s, 1, 1)), want: { start: [0, 1] } },
    { name: 'Restart failed containers if RestartPolicy == OnFailure', policy: 'OnFailure', mutate: (s) => (exit(s, 0, 0), exit(s, 1, 1)), want: { start: [1] } },
    { name: "Don't restart containers if RestartPolicy == Never", policy: 'Never', mutate: (s) => (exit(s, 0, 0), exit(s, 1, 1)), want: {} },
    { name: 'Kill pod and recreate everything if the pod sandbox is dead, and RestartPolicy == Always', policy: 'Always', mutate: deadSandbox, want: { killPod: true, createSandbox: true, attempt: 1, start: [0, 1, 2] } },
    { name: 'Kill pod and recreate all containers (except for the succeeded one) if the pod sandbox is dead, and RestartPolicy == OnFailure', policy: 'OnFailure', mutate: (s) => (deadSandbox(s), exit(s, 1, 0)), want: { killPod: true, createSandbox: true, attempt: 1, start: [0, 2] } },
    { name: 'Kill pod and recreate all containers if the PodSandbox does not have an IP', mutate: (s) => (s.sandboxStatuses[0].network = { ip: '' }), want: { killPod: true, createSandbox: true, attempt: 1, start: [0, 1, 2] } },
    { name: "Kill and recreate the container if the container's spec changed", policy: 'Always', mutate: (s) => (s.containerStatuses[1].hash = 'old'), want: { start: [1], kill: ['foo2'] } },
    { name: 'Kill and recreate the container if the liveness check has failed', policy: 'Always', liveness: { 'containerd://foo2id': 'Failure' }, want: { start: [1], kill: ['foo2'] } },
    { name: 'Kill and recreate the container if the startup check has failed', policy: 'Always', startup: { 'containerd://foo2id': 'Failure' }, want: { start: [1], kill: ['foo2'] } },
    { name: 'Verify we do not create a pod sandbox if no ready sandbox for pod with RestartPolicy=Never and all containers exited', policy: 'Never', mutate: (s) => (deadSandbox(s), exit(s, 0, 0), exit(s, 1, 0), exit(s, 2, 0)), want: { killPod: true, attempt: 1 } },
    { name: 'Verify we do not create a pod sandbox if no ready sandbox for pod with RestartPolicy=OnFailure and all containers succeeded', policy: 'OnFailure', mutate: (s) => (deadSandbox(s), exit(s, 0, 0), exit(s, 1, 0), exit(s, 2, 0)), want: { killPod: true, attempt: 1 } },
    { name: 'Verify we create a pod sandbox if no ready sandbox for pod with RestartPolicy=Never and no containers have ever been created', policy: 'Never', mutate: (s) => (deadSandbox(s), (s.containerStatuses = [])), want: { killPod: true, createSandbox: true, attempt: 1, start: [0, 1, 2] } },
    { name: 'Kill and recreate the container if the container is in unknown state', policy: 'Never', mutate: (s) => (s.containerStatuses[1].state = 'unknown'), want: { start: [1], kill: ['foo2'] } },
    { name: 'Restart the container if the container is in created state', policy: 'Never', mutate: (s) => (s.containerStatuses[1].state = 'created'), want: { start: [1] } },
    { name: 'Kill the pod when every container exited and none will restart (keepCount == 0)', policy: 'Never', mutate: (s) => (exit(s, 0, 0), exit(s, 1, 1), exit(s, 2, 0)), want: { killPod: true } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { pod, status } = makeBasePodAndStatus();
      if (c.policy) pod.spec.restartPolicy = c.policy;
      c.mutate?.(status);
      check(computePodActions(pod, status, { liveness: (id) => c.liveness?.[id], startup: (id) => c.startup?.[id] }), c.want);
    });
  }
});

describe('computePodActions with init containers (TestComputePodActionsWithInitContainers)', () => {
  const noRegular = (s: RuntimePodStatus) => s;
  const cases: Case[] = [
    { name: 'initialization completed; start all containers', mutate: noRegular, want: { start: [0, 1, 2] } },
    { name: 'no init containers have been started; start the first one', mutate: (s) => (s.containerStatuses = []), want: { init: [0] } },
    { name: 'initialization in progress; do nothing', mutate: (s) => (s.containerStatuses[2].state = 'running'), want: {} },
    { name: 'Kill pod and restart the first init container if the pod sandbox is dead', mutate: deadSandbox, want: { killPod: true, createSandbox: true, attempt: 1, init: [0] } },
    { name: 'initialization failed; restart the last init container if RestartPolicy == Always', policy: 'Always', mutate: (s) => (s.containerStatuses[2].exitCode = 137), want: { init: [2] } },
    { name: 'initialization failed; restart the last init container if RestartPolicy == OnFailure', policy: 'OnFailure', mutate: (s) => (s.containerStatuses[2].exitCode = 137), want: { init: [2] } },
    { name: 'initialization failed; kill pod if RestartPolicy == Never', policy: 'Never', mutate: (s) => (s.containerStatuses[2].exitCode = 137), want: { killPod: true } },
    { name: 'init container state unknown; kill and restart the last init container if RestartPolicy == Always', policy: 'Always', mutate: (s) => (s.containerStatuses[2].state = 'unknown'), want: { init: [2], kill: ['init3'] } },
    { name: 'init container state unknown; kill pod if RestartPolicy == Never', policy: 'Never', mutate: (s) => (s.containerStatuses[2].state = 'unknown'), want: { killPod: true } },
    { name: 'Pod sandbox not ready, init container failed, but RestartPolicy == Never; kill pod only', policy: 'Never', mutate: (s) => (deadSandbox(s), (s.containerStatuses[2].exitCode = 137)), want: { killPod: true, attempt: 1 } },
    { name: 'Pod sandbox not ready, and RestartPolicy == Never, but no visible init containers; create a new pod sandbox', policy: 'Never', mutate: (s) => (deadSandbox(s), (s.containerStatuses = [])), want: { killPod: true, createSandbox: true, attempt: 1, init: [0] } },
    { name: 'Pod sandbox not ready, init container failed, and RestartPolicy == OnFailure; create a new pod sandbox', policy: 'OnFailure', mutate: (s) => (deadSandbox(s), (s.containerStatuses[2].exitCode = 137)), want: { killPod: true, createSandbox: true, attempt: 1, init: [0] } },
    { name: "some of the init container statuses are missing but the last init container is running, don't restart preceding ones", mutate: (s) => ((s.containerStatuses[2].state = 'running'), (s.containerStatuses = s.containerStatuses.slice(2))), want: {} },
    { name: 'the first init container succeeded; start the second one', mutate: (s) => (s.containerStatuses = s.containerStatuses.slice(0, 1)), want: { init: [1] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { pod, status } = makeBasePodAndStatus(true);
      if (c.policy) pod.spec.restartPolicy = c.policy;
      c.mutate?.(status);
      check(computePodActions(pod, status), c.want);
    });
  }

  it('a sidecar is started and, once running, the next init container starts (TestComputePodActionsWithRestartableInitContainers, reduced)', () => {
    const { pod, status } = makeBasePodAndStatus(true);
    pod.spec.initContainers![0].restartPolicy = 'Always';
    status.containerStatuses = [Object.assign(status.containerStatuses[0], { state: 'running' as const })];
    check(computePodActions(pod, status), { init: [1] });
    // The sidecar exited: restart it (whatever the pod's restart policy).
    status.containerStatuses[0].state = 'exited';
    check(computePodActions(pod, status), { init: [0] });
  });
});

describe('SyncPod backoff (TestSyncPodBackoff)', () => {
  it('restarts a crashed container only once the backoff since its last exit has passed', async () => {
    const clock = new FakeClock();
    const runtime = new FakeRuntimeService(clock);
    runtime.setImages(['busybox']);
    const backOff = new Backoff(clock, 1_000, 60_000);
    const m = new KubeGenericRuntimeManager({ clock, runtime, crashLoopBackOff: backOff, imageBackOff: new Backoff(clock, 10_000, 300_000), recordEvent: () => {}, nodeName: 'node' });
    const pod: Pod = { metadata: { name: 'foo', namespace: 'new', uid: '12345678' }, spec: { containers: containers(['foo1']) } };
    const sync = async () => {
      const before = runtime.called.length;
      await m.syncPod(pod, await m.getPodStatus('12345678', 'foo', 'new'));
      // The container crashes as soon as it starts.
      const c = runtime.latest('foo1');
      if (c) runtime.exitContainer(c.id, 1);
      return runtime.called.slice(before).filter((x) => x === 'CreateContainer' || x === 'StartContainer');
    };
    await sync();
    const startCalls = ['CreateContainer', 'StartContainer'];
    const table: Array<{ tick: number; backoff: number; result: string[] }> = [
      { tick: 1, backoff: 1, result: startCalls },
      { tick: 2, backoff: 2, result: startCalls },
      { tick: 3, backoff: 2, result: [] },
      { tick: 4, backoff: 4, result: startCalls },
      { tick: 5, backoff: 4, result: [] },
      { tick: 6, backoff: 4, result: [] },
      { tick: 7, backoff: 4, result: [] },
      { tick: 8, backoff: 8, result: startCalls },
      { tick: 9, backoff: 8, result: [] },
    ];
    const key = backOff.ids()[0];
    for (const c of table) {
      clock.setTime(c.tick * 1000);
      expect(await sync(), `tick ${c.tick}`).toEqual(c.result);
      expect(backOff.get(backOff.ids()[0] ?? key), `tick ${c.tick}`).toBe(c.backoff * 1000);
    }
  });
});
