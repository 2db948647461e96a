/**
 * Scenarios on a real API server: image pull failures (ErrImagePull -> ImagePullBackOff), a
 * liveness failure restart, init containers in order, a missing ConfigMap
 * (CreateContainerConfigError), emptyDir removal with the pod, and determinism.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/core/v1';
import type { KubeObject } from '../core/object';
import type { APIContainerStatus } from './kubelet_pods';
import { emptyDirPath, newMemoryHostFs } from './volumes';
import { makePod, newKubeletHarness } from './testing/fixtures';

const statuses = (p: Pod | undefined, init = false) => ((init ? p?.status?.initContainerStatuses : p?.status?.containerStatuses) as APIContainerStatus[] | undefined) ?? [];

describe('kubelet scenarios', () => {
  it('a missing image: ErrImagePull, then ImagePullBackOff with the kubelet message (image_manager.go EnsureImageExists)', async () => {
    const h = await newKubeletHarness(11);
    h.runtime.pullErrors.set('nope:1', 'failed to pull and unpack image "docker.io/library/nope:1": failed to resolve reference "docker.io/library/nope:1": pull access denied');
    await h.createPod(makePod('bad', [{ name: 'app', image: 'nope:1' }]));
    expect(await h.until(async () => statuses(await h.getPod('bad'))[0]?.state.waiting?.reason === 'ErrImagePull', 5_000)).toBe(true);
    expect(await h.until(async () => statuses(await h.getPod('bad'))[0]?.state.waiting?.reason === 'ImagePullBackOff', 30_000)).toBe(true);
    expect(statuses(await h.getPod('bad'))[0].state.waiting?.message).toBe('Back-off pulling image "nope:1"');
    const texts = h.kubelet.recordedEvents.map((e) => `${e.type} ${e.reason} ${e.message}`);
    expect(texts).toContain('Normal Pulling Pulling image "nope:1"');
    expect(texts.find((t) => t.startsWith('Warning Failed Failed to pull image "nope:1": '))).toBeDefined();
    expect(texts).toContain('Warning Failed Error: ErrImagePull');
    expect(texts).toContain('Normal BackOff Back-off pulling image "nope:1"');
    expect(texts).toContain('Warning Failed Error: ImagePullBackOff');
    expect((await h.getPod('bad'))?.status?.phase).toBe('Pending');
    h.kubelet.stop();
  });

  it('a liveness failure kills the container with its message and starts a new one (computePodActions, SyncLoop (probe))', async () => {
    const h = await newKubeletHarness(12);
    h.runtime.setImages(['app:1']);
    const created = await h.createPod(makePod('live', [{ name: 'app', image: 'app:1' }]));
    expect(await h.until(async () => !!statuses(await h.getPod('live'))[0]?.state.running, 5_000)).toBe(true);
    const first = h.runtime.latest('app')!;
    h.kubelet.livenessManager.set(`containerd://${first.id}`, 'Failure', created);
    expect(await h.until(async () => statuses(await h.getPod('live'))[0]?.restartCount === 1 && !!statuses(await h.getPod('live'))[0]?.state.running, 10_000)).toBe(true);
    expect(h.kubelet.recordedEvents.find((e) => e.reason === 'Killing')?.message).toBe('Container app failed liveness probe, will be restarted');
    expect(h.kubelet.journal.lines.some((l) => l.includes('"SyncLoop (probe)" probe="liveness" status="unhealthy" pod="default/live"'))).toBe(true);
    expect(statuses(await h.getPod('live'))[0].lastState.terminated?.exitCode).toBe(143);
    h.kubelet.stop();
  });

  it('init containers run one at a time, in order, before the app (PodInitializing -> Running)', async () => {
    const h = await newKubeletHarness(13);
    h.runtime.setImages(['busybox:1.36']);
    h.runtime.script('init-a', { exitAfterMs: 2_000, exitCode: 0 });
    h.runtime.script('init-b', { exitAfterMs: 2_000, exitCode: 0 });
    await h.createPod(makePod('ordered', [{ name: 'app', image: 'busybox:1.36' }], { initContainers: [{ name: 'init-a', image: 'busybox:1.36' }, { name: 'init-b', image: 'busybox:1.36' }] }));
    expect(await h.until(async () => statuses(await h.getPod('ordered'))[0]?.state.waiting?.reason === 'PodInitializing', 3_000)).toBe(true);
    expect(await h.until(async () => (await h.getPod('ordered'))?.status?.phase === 'Running', 20_000)).toBe(true);
    const a = h.runtime.latest('init-a')!;
    const b = h.runtime.latest('init-b')!;
    const app = h.runtime.latest('app')!;
    expect(b.startedAt).toBeGreaterThanOrEqual(a.finishedAt);
    expect(app.startedAt).toBeGreaterThanOrEqual(b.finishedAt);
    expect(statuses(await h.getPod('ordered'), true).map((s) => s.state.terminated?.reason)).toEqual(['Completed', 'Completed']);
    h.kubelet.stop();
  });

  it('a missing ConfigMap: CreateContainerConfigError until it exists (makeEnvironmentVariables)', async () => {
    const h = await newKubeletHarness(14);
    h.runtime.setImages(['app:1']);
    await h.createPod(makePod('cfg', [{ name: 'app', image: 'app:1', env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } }] }]));
    expect(await h.until(async () => statuses(await h.getPod('cfg'))[0]?.state.waiting?.reason === 'CreateContainerConfigError', 5_000)).toBe(true);
    expect(statuses(await h.getPod('cfg'))[0].state.waiting?.message).toBe('configmap "app-config" not found');
    expect(h.kubelet.recordedEvents.some((e) => e.message === 'Error: configmap "app-config" not found')).toBe(true);
    await h.client.coreV1().configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'default' }, data: { mode: 'fast' } } as unknown as KubeObject);
    expect(await h.until(async () => !!statuses(await h.getPod('cfg'))[0]?.state.running, 30_000)).toBe(true);
    const cfg = (h.runtime.latest('app') as unknown as { config: { envs: { key: string; value: string }[] } }).config;
    expect(cfg.envs).toEqual([{ key: 'MODE', value: 'fast' }]);
    h.kubelet.stop();
  });

  it('an emptyDir lives as long as the pod: made before the containers, removed once the pod is gone', async () => {
    const fs = newMemoryHostFs();
    const h = await newKubeletHarness(15, { hostFs: fs });
    h.runtime.setImages(['app:1']);
    const p = await h.createPod(makePod('scratch', [{ name: 'app', image: 'app:1', volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] }], { volumes: [{ name: 'tmp', emptyDir: { medium: 'Memory' } }], terminationGracePeriodSeconds: 5 }));
    const dir = emptyDirPath(p.metadata.uid!, 'tmp');
    expect(await h.until(async () => !!statuses(await h.getPod('scratch'))[0]?.state.running, 5_000)).toBe(true);
    expect(fs.exists(dir)).toBe(true);
    expect(h.runtime.latest('app')!.mounts).toEqual([{ containerPath: '/tmp', hostPath: dir }]);
    await h.client.coreV1().pods('default').delete('scratch');
    expect(await h.until(() => !fs.exists(dir), 30_000)).toBe(true);
    expect(await h.getPod('scratch')).toBeUndefined();
    h.kubelet.stop();
  });

  it('the same seed gives the same journal, line for line', async () => {
    const run = async () => {
      const h = await newKubeletHarness(21);
      h.runtime.setImages(['app:1']);
      h.runtime.script('app', { exitAfterMs: 3_000, exitCode: 2 });
      await h.createPod(makePod('det', [{ name: 'app', image: 'app:1' }]));
      await h.until(() => false, 90_000, 5_000);
      h.kubelet.stop();
      return h.kubelet.journal.lines.map((l) => l.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UID'));
    };
    const a = await run();
    expect(a.length).toBeGreaterThan(10);
    expect(await run()).toEqual(a);
  });

  it('a sync woken during a long image pull does not create the container twice (podWorkerLoop: lastSyncTime after the sync)', async () => {
    const h = await newKubeletHarness(16);
    h.runtime.pullDelayMs = 4_000;
    await h.createPod(makePod('slow', [{ name: 'app', image: 'big:1' }]));
    expect(await h.until(async () => !!statuses(await h.getPod('slow'))[0]?.state.running, 15_000)).toBe(true);
    await h.until(() => false, 5_000, 1_000);
    expect(h.runtime.called.filter((c) => c === 'CreateContainer')).toHaveLength(1);
    expect(h.kubelet.recordedEvents.filter((e) => e.reason === 'Failed')).toEqual([]);
    h.kubelet.stop();
  });
});
