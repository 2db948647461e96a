/**
 * End to end on a real API server: a pod bound to the node goes Pending / ContainerCreating ->
 * Running -> a crashing container's CrashLoopBackOff timeline (10 s, 20 s, 40 s ... 5 min) ->
 * deletion with grace, and force deletion.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/core/v1';
import type { APIContainerStatus } from './kubelet_pods';
import { makePod, newKubeletHarness } from './testing/fixtures';

const cs = (p: Pod | undefined) => ((p?.status?.containerStatuses as APIContainerStatus[] | undefined) ?? [])[0];

describe('kubelet end to end', () => {
  it('runs a pod, restarts a crashing container on the CrashLoopBackOff timeline', async () => {
    const h = await newKubeletHarness(7);
    h.runtime.pullDelayMs = 2_000;
    h.runtime.script('app', { exitAfterMs: 5_000, exitCode: 1 });
    const created = await h.createPod(makePod('web-0', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo $(GREETING); exit 1'], env: [{ name: 'GREETING', value: 'hi' }] }]));
    const uid = created.metadata.uid!;

    // Pending while the image pulls: ContainerCreating.
    expect(await h.until(async () => cs(await h.getPod('web-0'))?.state.waiting?.reason === 'ContainerCreating', 5_000)).toBe(true);
    expect((await h.getPod('web-0'))?.status?.phase).toBe('Pending');

    // Running, with $(GREETING) expanded in the command the runtime got.
    expect(await h.until(async () => (await h.getPod('web-0'))?.status?.phase === 'Running' && !!cs(await h.getPod('web-0'))?.state.running, 10_000)).toBe(true);
    const first = h.runtime.latest('app', uid) as unknown as { config: { command: string[] } };
    expect(first.config.command).toEqual(['sh', '-c', 'echo hi; exit 1']);
    const ready = (await h.getPod('web-0'))?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready?.status).toBe('True');

    // The crash loop: collect every attempt's start and finish.
    expect(await h.until(() => [...h.runtime.containers.values()].length >= 9, 20 * 60_000, 5_000)).toBe(true);
    const attempts = [...h.runtime.containers.values()].sort((a, b) => a.metadata.attempt - b.metadata.attempt);
    const gapsS = attempts.slice(1).map((c, i) => (c.startedAt - attempts[i].finishedAt) / 1e9);
    // The first crash restarts at once (after the next relist); then 10 s doubling, capped at 300 s.
    const expected = [0, 10, 20, 40, 80, 160, 300, 300];
    gapsS.slice(0, expected.length).forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]);
      // A pod worker in backoff retries every 10-15 s (jittered) after a sync that hit the backoff.
      expect(gap).toBeLessThan(expected[i] + 17);
    });
    expect(attempts.map((c) => c.metadata.attempt).slice(0, 9)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);

    // In a backoff window the API says CrashLoopBackOff with the kubelet's message, and the last exit.
    expect(await h.until(async () => cs(await h.getPod('web-0'))?.state.waiting?.reason === 'CrashLoopBackOff', 6 * 60_000)).toBe(true);
    const st = cs(await h.getPod('web-0'))!;
    expect(st.state.waiting?.message).toMatch(/^back-off (5m0s|2m40s) restarting failed container=app pod=web-0_default\(/);
    expect(st.lastState.terminated?.exitCode).toBe(1);
    expect(st.lastState.terminated?.reason).toBe('Error');
    expect(st.restartCount).toBeGreaterThanOrEqual(8);
    const notReady = (await h.getPod('web-0'))?.status?.conditions?.find((c) => c.type === 'ContainersReady');
    expect(notReady).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });

    const reasons = h.kubelet.recordedEvents.filter((e) => e.pod === 'default/web-0').map((e) => e.reason);
    expect(reasons.slice(0, 5)).toEqual(['Pulling', 'Pulled', 'Created', 'Started', 'Pulled']);
    const backOff = h.kubelet.recordedEvents.find((e) => e.reason === 'BackOff');
    expect(backOff?.message).toBe(`Back-off restarting failed container app in pod web-0_default(${uid})`);
    expect(h.kubelet.recordedEvents.find((e) => e.reason === 'Pulled')?.message).toBe('Successfully pulled image "busybox:1.36" in 2s (2s including waiting). Image size: 1000000 bytes.');
    expect(h.kubelet.journal.lines.some((l) => l.includes('"SyncLoop ADD" source="api" pods=["default/web-0"]'))).toBe(true);
    h.kubelet.stop();
  });

  it('deletes gracefully: SIGTERM, the terminal phase, then the pod is removed with grace 0', async () => {
    const h = await newKubeletHarness(3);
    h.runtime.setImages(['nginx:1.27']);
    h.runtime.script('nginx', { termDelayMs: 3_000 });
    await h.createPod(makePod('web-1', [{ name: 'nginx', image: 'nginx:1.27', lifecycle: { preStop: { sleep: { seconds: 5 } } } }], { terminationGracePeriodSeconds: 30 }));
    expect(await h.until(async () => (await h.getPod('web-1'))?.status?.phase === 'Running', 10_000)).toBe(true);
    const t0 = h.cluster.clock.now();
    await h.client.coreV1().pods('default').delete('web-1');
    // Still there while terminating (deletionTimestamp set).
    expect((await h.getPod('web-1'))?.metadata.deletionTimestamp).toBeDefined();
    expect(await h.until(async () => (await h.getPod('web-1')) === undefined, 60_000)).toBe(true);
    const took = h.cluster.clock.now() - t0;
    // preStop 5 s + SIGTERM handled in 3 s, and the relists around it.
    expect(took).toBeGreaterThanOrEqual(8_000);
    expect(took).toBeLessThan(15_000);
    const c = h.runtime.latest('nginx')!;
    expect(c.state).toBe('CONTAINER_EXITED');
    expect(c.exitCode).toBe(143);
    expect(h.kubelet.recordedEvents.find((e) => e.reason === 'Killing')?.message).toBe('Stopping container nginx');
    expect(h.kubelet.journal.lines.some((l) => l.includes('"Pod fully terminated and removed from etcd"'))).toBe(true);
    h.kubelet.stop();
  });

  it('a process that ignores SIGTERM is killed (137) when the grace period runs out', async () => {
    const h = await newKubeletHarness(5);
    h.runtime.setImages(['busybox:1.36']);
    h.runtime.script('stubborn', { termDelayMs: 600_000 });
    await h.createPod(makePod('web-3', [{ name: 'stubborn', image: 'busybox:1.36' }], { terminationGracePeriodSeconds: 5 }));
    expect(await h.until(async () => (await h.getPod('web-3'))?.status?.phase === 'Running', 10_000)).toBe(true);
    await h.client.coreV1().pods('default').delete('web-3');
    const t0 = h.cluster.clock.now();
    expect(await h.until(async () => (await h.getPod('web-3')) === undefined, 30_000)).toBe(true);
    const c = h.runtime.latest('stubborn')!;
    expect(c.exitCode).toBe(137);
    expect(c.finishedAt / 1e6 - t0).toBeGreaterThanOrEqual(5_000);
    expect(c.finishedAt / 1e6 - t0).toBeLessThan(7_000);
    expect((await h.client.coreV1().pods('default').list()).items).toHaveLength(0);
    h.kubelet.stop();
  });

  it('a volume the node cannot mount: FailedMount, the pod stays Pending', async () => {
    const h = await newKubeletHarness(6);
    h.runtime.setImages(['busybox:1.36']);
    await h.createPod(makePod('web-4', [{ name: 'app', image: 'busybox:1.36', volumeMounts: [{ name: 'data', mountPath: '/data' }] }], { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] }));
    expect(await h.until(() => h.kubelet.recordedEvents.some((e) => e.reason === 'FailedMount'), 5_000)).toBe(true);
    expect(h.kubelet.recordedEvents.find((e) => e.reason === 'FailedMount')).toMatchObject({ type: 'Warning', message: 'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data], failed to process volumes=[]: context deadline exceeded' });
    expect((await h.getPod('web-4'))?.status?.phase).toBe('Pending');
    expect(h.runtime.containers.size).toBe(0);
    h.kubelet.stop();
  });

  it('force deletion removes the pod from the API at once; the kubelet still gives the container 2 s', async () => {
    const h = await newKubeletHarness(4);
    h.runtime.setImages(['busybox:1.36']);
    h.runtime.script('sleeper', { termDelayMs: 600_000 });
    await h.createPod(makePod('web-2', [{ name: 'sleeper', image: 'busybox:1.36', command: ['sleep', '3600'] }], { terminationGracePeriodSeconds: 30 }));
    expect(await h.until(async () => (await h.getPod('web-2'))?.status?.phase === 'Running', 10_000)).toBe(true);
    await h.client.coreV1().pods('default').delete('web-2', { gracePeriodSeconds: 0 });
    expect(await h.getPod('web-2')).toBeUndefined();
    const t0 = h.cluster.clock.now();
    expect(await h.until(() => h.runtime.latest('sleeper')?.state === 'CONTAINER_EXITED', 10_000)).toBe(true);
    const c = h.runtime.latest('sleeper')!;
    expect(c.exitCode).toBe(137);
    expect(c.finishedAt / 1e6 - t0).toBeGreaterThanOrEqual(2_000);
    // Not the spec's 30 s: the kill uses the deletion's grace period (0, floored at 2 s).
    expect(c.finishedAt / 1e6 - t0).toBeLessThan(5_000);
    h.kubelet.stop();
  });
});
