/**
 * Lifecycle scenarios on a real API server: OOMKilled, restartPolicy Never / OnFailure to a
 * terminal phase, sidecars around the app, an orphan in the runtime, and a kubelet restart that
 * adopts the running containers.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/core/v1';
import { rngFromSeed } from '../core/rng';
import { newKubelet } from './kubelet';
import type { APIContainerStatus } from './kubelet_pods';
import { makePod, newKubeletHarness } from './testing/fixtures';

const statuses = (p: Pod | undefined, init = false) => ((init ? p?.status?.initContainerStatuses : p?.status?.containerStatuses) as APIContainerStatus[] | undefined) ?? [];

describe('kubelet lifecycle', () => {
  it('an OOM-killed container: terminated OOMKilled (137), restarted, then CrashLoopBackOff', async () => {
    const h = await newKubeletHarness(41);
    h.runtime.setImages(['hog:1']);
    h.runtime.script('hog', { exitAfterMs: 3_000, oomKilled: true });
    await h.createPod(makePod('hog', [{ name: 'hog', image: 'hog:1' }]));
    expect(await h.until(async () => statuses(await h.getPod('hog'))[0]?.state.terminated?.reason === 'OOMKilled' || statuses(await h.getPod('hog'))[0]?.lastState.terminated?.reason === 'OOMKilled', 10_000)).toBe(true);
    const s = statuses(await h.getPod('hog'))[0];
    expect((s.state.terminated ?? s.lastState.terminated)?.exitCode).toBe(137);
    expect(await h.until(async () => statuses(await h.getPod('hog'))[0]?.state.waiting?.reason === 'CrashLoopBackOff', 60_000)).toBe(true);
    expect(statuses(await h.getPod('hog'))[0].lastState.terminated?.reason).toBe('OOMKilled');
    h.kubelet.stop();
  });

  const terminal: Array<{ policy: 'Never' | 'OnFailure'; exitCode: number; phase: string; restarts: number }> = [
    { policy: 'Never', exitCode: 0, phase: 'Succeeded', restarts: 0 },
    { policy: 'Never', exitCode: 3, phase: 'Failed', restarts: 0 },
    { policy: 'OnFailure', exitCode: 0, phase: 'Succeeded', restarts: 0 },
  ];
  for (const c of terminal) {
    it(`restartPolicy ${c.policy}, exit ${c.exitCode}: phase ${c.phase}, the pod stays (getPhase, pod worker terminal)`, async () => {
      const h = await newKubeletHarness(42);
      h.runtime.setImages(['job:1']);
      h.runtime.script('work', { exitAfterMs: 2_000, exitCode: c.exitCode });
      await h.createPod(makePod('job', [{ name: 'work', image: 'job:1' }], { restartPolicy: c.policy }));
      expect(await h.until(async () => (await h.getPod('job'))?.status?.phase === c.phase, 20_000)).toBe(true);
      await h.until(() => false, 10_000, 2_000);
      const p = await h.getPod('job');
      expect(p?.status?.phase).toBe(c.phase);
      expect(statuses(p)[0].restartCount).toBe(c.restarts);
      expect(statuses(p)[0].state.terminated?.reason).toBe(c.exitCode === 0 ? 'Completed' : 'Error');
      expect(h.kubelet.podWorkers.isFinished(p!.metadata.uid!)).toBe(true);
      // The sandbox is stopped once the pod is terminal.
      expect([...h.runtime.sandboxes.values()].every((s) => s.state === 'SANDBOX_NOTREADY')).toBe(true);
      h.kubelet.stop();
    });
  }

  it('a sidecar starts before the app and stops after it (restartable init containers)', async () => {
    const h = await newKubeletHarness(43);
    h.runtime.setImages(['app:1', 'proxy:1']);
    h.runtime.script('app', { termDelayMs: 1_000 });
    h.runtime.script('proxy', { termDelayMs: 500 });
    await h.createPod(makePod('mesh', [{ name: 'app', image: 'app:1' }], { initContainers: [{ name: 'proxy', image: 'proxy:1', restartPolicy: 'Always' }], terminationGracePeriodSeconds: 10 }));
    expect(await h.until(async () => (await h.getPod('mesh'))?.status?.phase === 'Running' && !!statuses(await h.getPod('mesh'))[0]?.state.running, 10_000)).toBe(true);
    const proxy = h.runtime.latest('proxy')!;
    const app = h.runtime.latest('app')!;
    expect(proxy.startedAt).toBeLessThan(app.startedAt);
    expect(statuses(await h.getPod('mesh'), true)[0]).toMatchObject({ name: 'proxy', started: true, ready: true });
    await h.client.coreV1().pods('default').delete('mesh');
    expect(await h.until(async () => (await h.getPod('mesh')) === undefined, 30_000)).toBe(true);
    expect(h.runtime.latest('proxy')!.finishedAt).toBeGreaterThanOrEqual(h.runtime.latest('app')!.finishedAt);
    h.kubelet.stop();
  });

  it('housekeeping kills a pod the runtime runs but nobody asked for (orphan cleanup)', async () => {
    const h = await newKubeletHarness(44, { logVerbosity: 3 });
    const id = await h.runtime.runPodSandbox({ metadata: { name: 'ghost', namespace: 'default', uid: 'ghost-uid', attempt: 0 }, labels: { 'io.kubernetes.pod.uid': 'ghost-uid', 'io.kubernetes.pod.name': 'ghost', 'io.kubernetes.pod.namespace': 'default' } });
    const cid = await h.runtime.createContainer(id, { metadata: { name: 'c', attempt: 0 }, image: { image: 'x' }, labels: { 'io.kubernetes.pod.uid': 'ghost-uid', 'io.kubernetes.container.name': 'c' } }, { metadata: { name: 'ghost', namespace: 'default', uid: 'ghost-uid', attempt: 0 } });
    await h.runtime.startContainer(cid);
    expect(await h.until(() => h.runtime.containers.get(cid)?.state !== 'CONTAINER_RUNNING', 20_000)).toBe(true);
    expect(h.kubelet.journal.lines.some((l) => l.includes('"Clean up orphaned pod containers" podUID="ghost-uid"'))).toBe(true);
    h.kubelet.stop();
  });

  it('a restarted kubelet adopts the running containers instead of restarting them (labels + PLEG)', async () => {
    const h = await newKubeletHarness(45);
    h.runtime.setImages(['app:1']);
    await h.createPod(makePod('survivor', [{ name: 'app', image: 'app:1' }]));
    expect(await h.until(async () => !!statuses(await h.getPod('survivor'))[0]?.state.running, 10_000)).toBe(true);
    h.kubelet.stop();
    const before = h.runtime.containers.size;
    const again = newKubelet({ client: h.client, clock: h.cluster.clock, rng: rngFromSeed(99), nodeName: 'node-1', runtime: h.runtime });
    again.run();
    await h.until(() => false, 20_000, 2_000);
    expect(h.runtime.containers.size).toBe(before);
    expect(statuses(await h.getPod('survivor'))[0]).toMatchObject({ restartCount: 0, ready: true });
    expect(again.recordedEvents.filter((e) => e.reason === 'Started')).toEqual([]);
    again.stop();
  });

  it('a runtime that stops answering: PLEG unhealthy after 3 minutes, pod syncs skipped, then recovery (GenericPLEG.Healthy, syncLoop)', async () => {
    const h = await newKubeletHarness(46);
    h.runtime.setImages(['app:1']);
    await h.createPod(makePod('stuck', [{ name: 'app', image: 'app:1' }]));
    expect(await h.until(async () => (await h.getPod('stuck'))?.status?.phase === 'Running', 10_000)).toBe(true);
    const list = h.runtime.listPodSandbox.bind(h.runtime);
    h.runtime.listPodSandbox = async () => {
      throw new Error('rpc error: code = DeadlineExceeded desc = context deadline exceeded');
    };
    await h.until(() => false, 4 * 60_000, 10_000);
    const health = h.kubelet.healthy();
    expect(health.ok).toBe(false);
    expect(!health.ok && health.error).toMatch(/^pleg was last seen active 4m\d+s ago; threshold is 3m0s$/);
    expect(h.kubelet.journal.lines.some((l) => /^E.*"Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active 3m/.test(l))).toBe(true);
    h.runtime.listPodSandbox = list;
    await h.until(() => false, 10_000, 1_000);
    expect(h.kubelet.healthy().ok).toBe(true);
    h.kubelet.stop();
  });
});
