/**
 * Status generation after pkg/kubelet/kubelet_pods_test.go (TestGenerateAPIPodStatusWithReasonCache,
 * TestGenerateAPIPodStatusWithDifferentRestartPolicies, TestConvertToAPIContainerStatuses) and
 * pkg/kubelet/status/generate_test.go (TestGenerateContainersReadyCondition,
 * TestGeneratePodInitializedCondition), v1.34. Each case names the upstream test it follows.
 */
import { describe, expect, it } from 'vitest';
import type { Pod, PodStatus } from '../api/core/v1';
import { generateAPIPodStatus, generateContainersReady, generatePodInitialized, noProbesUpdatePodStatus, type APIContainerStatus } from './kubelet_pods';
import type { RuntimeContainerState, RuntimeContainerStatus, RuntimePodStatus } from './kuberuntime/types';
import { ReasonCache } from './reason_cache';

const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({ metadata: { name: 'foo', namespace: 'ns', uid: 'uid' }, spec: { containers: [{ name: 'succeed' }, { name: 'failed' }, { name: 'without-old-record' }], ...spec } });
let created = 0;
const cs = (name: string, state: RuntimeContainerState, exitCode = 0, restartCount = 0): RuntimeContainerStatus => ({ id: `containerd://${name}-${created}`, rawId: `${name}-${created}`, name, state, createdAtMs: 1000 * ++created, startedAtMs: 0, finishedAtMs: 5000, exitCode, image: 'img', imageRef: 'sha256:img', restartCount, hash: '', reason: state === 'exited' ? (exitCode === 0 ? 'Completed' : 'Error') : '', message: '' });
const runtimeStatus = (statuses: RuntimeContainerStatus[]): RuntimePodStatus => ({ id: 'uid', name: 'foo', namespace: 'ns', ips: ['10.1.1.1'], sandboxStatuses: [{ id: 's', metadata: { name: 'foo', namespace: 'ns', uid: 'uid', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 0, labels: {}, annotations: {}, network: { ip: '10.1.1.1' } }], containerStatuses: [...statuses].sort((a, b) => b.createdAtMs - a.createdAtMs), timestampMs: 0 });
const prober = { addPod() {}, removePod() {}, cleanupPods() {}, stop() {}, updatePodStatus: noProbesUpdatePodStatus };
const gen = (p: Pod, rs: RuntimePodStatus, reasons = new ReasonCache(), old?: PodStatus, terminal = false) => generateAPIPodStatus(p, rs, old, terminal, { reasonCache: reasons, prober, nowMs: 10_000 });
const statusOf = (s: PodStatus, name: string) => (s.containerStatuses as APIContainerStatus[]).find((c) => c.name === name)!;

describe('generateAPIPodStatus', () => {
  it('a start failure in the reason cache becomes the waiting reason; the last exit moves to lastState (TestGenerateAPIPodStatusWithReasonCache)', () => {
    const reasons = new ReasonCache();
    reasons.update('uid', [
      { action: 'StartContainer', target: 'failed', error: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=failed pod=foo_ns(uid)' },
      { action: 'StartContainer', target: 'without-old-record', error: 'ErrImagePull', message: 'pull access denied' },
    ]);
    const s = gen(pod(), runtimeStatus([cs('succeed', 'running'), cs('failed', 'exited', 1)]), reasons);
    expect(statusOf(s, 'failed').state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=failed pod=foo_ns(uid)' } });
    expect(statusOf(s, 'failed').lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(statusOf(s, 'without-old-record').state).toEqual({ waiting: { reason: 'ErrImagePull', message: 'pull access denied' } });
    expect(statusOf(s, 'succeed').state.running).toBeDefined();
    expect(s.phase).toBe('Pending');
  });

  it('a container the runtime never ran waits with ContainerCreating, or PodInitializing with init containers (TestConvertToAPIContainerStatuses: defaultWaitingState)', () => {
    expect(statusOf(gen(pod(), runtimeStatus([])), 'succeed').state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    const withInit = gen(pod({ initContainers: [{ name: 'init' }] }), runtimeStatus([]));
    expect(statusOf(withInit, 'succeed').state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(withInit.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init]' });
  });

  it('the newest container gives the state and the one before it lastState; restartCount comes from the newest (TestConvertToAPIContainerStatuses)', () => {
    const s = gen(pod({ containers: [{ name: 'c' }] }), runtimeStatus([cs('c', 'exited', 2, 0), cs('c', 'exited', 3, 1), cs('c', 'running', 0, 2)]));
    expect(statusOf(s, 'c').state.running).toBeDefined();
    expect(statusOf(s, 'c').lastState.terminated?.exitCode).toBe(3);
    expect(statusOf(s, 'c').restartCount).toBe(2);
    expect(s.phase).toBe('Running');
  });

  const policies: Array<{ policy: 'Always' | 'OnFailure' | 'Never'; succeed: 'waiting' | 'terminated'; failed: 'waiting' | 'terminated' }> = [
    { policy: 'Always', succeed: 'waiting', failed: 'waiting' },
    { policy: 'OnFailure', succeed: 'terminated', failed: 'waiting' },
    { policy: 'Never', succeed: 'terminated', failed: 'terminated' },
  ];
  for (const c of policies) {
    it(`restartPolicy ${c.policy}: only containers that will restart show the cached reason (TestGenerateAPIPodStatusWithDifferentRestartPolicies)`, () => {
      const reasons = new ReasonCache();
      reasons.update('uid', [
        { action: 'StartContainer', target: 'succeed', error: 'RunContainerError', message: '' },
        { action: 'StartContainer', target: 'failed', error: 'CrashLoopBackOff', message: '' },
      ]);
      const s = gen(pod({ restartPolicy: c.policy, containers: [{ name: 'succeed' }, { name: 'failed' }] }), runtimeStatus([cs('succeed', 'exited', 0), cs('failed', 'exited', 1)]), reasons);
      expect(Object.keys(statusOf(s, 'succeed').state)).toEqual([c.succeed]);
      expect(Object.keys(statusOf(s, 'failed').state)).toEqual([c.failed]);
    });
  }

  it('conditions come in upstream order; ContainersReady names the unready containers (TestGenerateContainersReadyCondition)', () => {
    const s = gen(pod({ containers: [{ name: 'a' }, { name: 'b' }] }), runtimeStatus([cs('a', 'running'), cs('b', 'exited', 1)]));
    expect(s.conditions?.map((c) => c.type)).toEqual(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    expect(s.conditions?.find((c) => c.type === 'ContainersReady')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [b]' });
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [b]' });
  });

  it('a terminal phase stays terminal whatever the containers say later (generateAPIPodStatus three-way merge)', () => {
    const old = gen(pod({ restartPolicy: 'Never', containers: [{ name: 'a' }] }), runtimeStatus([cs('a', 'exited', 0)]));
    expect(old.phase).toBe('Succeeded');
    const later = gen(pod({ restartPolicy: 'Never', containers: [{ name: 'a' }] }), runtimeStatus([]), new ReasonCache(), old);
    expect(later.phase).toBe('Succeeded');
  });

  it('a terminal pod with restartPolicy Always is Failed when a container exited non-zero (getPhase podIsTerminal)', () => {
    const s = gen(pod({ containers: [{ name: 'a' }] }), runtimeStatus([cs('a', 'exited', 143)]), new ReasonCache(), undefined, true);
    expect(s.phase).toBe('Failed');
    expect(s.conditions?.find((c) => c.type === 'ContainersReady')).toMatchObject({ status: 'False', reason: 'PodFailed' });
  });
});

describe('conditions (status/generate_test.go)', () => {
  const st = (name: string, ready: boolean, state: APIContainerStatus['state'] = { running: {} }, started?: boolean): APIContainerStatus => ({ name, ready, state, lastState: {}, restartCount: 0, image: '', imageID: '', ...(started !== undefined ? { started } : {}) });
  const table: Array<{ name: string; p: Pod; statuses: APIContainerStatus[]; phase: string; want: ReturnType<typeof generateContainersReady> }> = [
    { name: 'all ready', p: pod({ containers: [{ name: 'a' }] }), statuses: [st('a', true)], phase: 'Running', want: { ok: true } },
    { name: 'unknown and unready', p: pod({ containers: [{ name: 'a' }, { name: 'b' }] }), statuses: [st('b', false)], phase: 'Running', want: { ok: false, reason: 'ContainersNotReady', message: 'containers with unknown status: [a], containers with unready status: [b]' } },
    { name: 'succeeded pod', p: pod({ containers: [{ name: 'a' }] }), statuses: [st('a', false, { terminated: { exitCode: 0 } })], phase: 'Succeeded', want: { ok: false, reason: 'PodCompleted' } },
    { name: 'an unready sidecar counts', p: pod({ initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] }), statuses: [st('s', false), st('a', true)], phase: 'Running', want: { ok: false, reason: 'ContainersNotReady', message: 'containers with unready status: [s]' } },
  ];
  for (const c of table) it(`TestGenerateContainersReadyCondition: ${c.name}`, () => expect(generateContainersReady(c.p, c.statuses, c.phase)).toEqual(c.want));

  it('TestGeneratePodInitializedCondition: a sidecar must have started; a failed init container is incomplete', () => {
    const p = pod({ initContainers: [{ name: 's', restartPolicy: 'Always' }, { name: 'i' }], containers: [{ name: 'a' }] });
    expect(generatePodInitialized(p, [st('s', false, { running: {} }, false), st('i', false, { terminated: { exitCode: 1 } })], 'Pending')).toEqual({ ok: false, reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [s i]' });
    expect(generatePodInitialized(p, [st('s', true, { running: {} }, true), st('i', true, { terminated: { exitCode: 0 } })], 'Pending')).toEqual({ ok: true });
  });
});
