/**
 * The prober seam: a ProberManager from `proberFactory` gets the results managers; a readiness
 * result reaches the sync loop's readiness channel and the pod's Ready condition
 * (kubelet.go handleProbeSync, prober_manager.go UpdatePodStatus).
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/core/v1';
import { newLabCluster } from '../cluster/cluster';
import { runUntilSettled } from '../core/drive';
import { newEnv } from '../core/env';
import type { KubeObject } from '../core/object';
import { FakeRuntimeService } from './cri/testing/fake_runtime_service';
import { newKubelet, type ProberDeps } from './kubelet';
import type { APIContainerStatus } from './kubelet_pods';
import { makePod } from './testing/fixtures';

describe('prober seam', () => {
  it('readiness results flip Ready through the readiness channel', async () => {
    const env = newEnv({ seed: 51 });
    const cluster = await newLabCluster({ env });
    const client = cluster.clientset({ qps: -1 });
    const runtime = new FakeRuntimeService(cluster.clock);
    runtime.setImages(['app:1']);
    let deps: ProberDeps | undefined;
    const added: string[] = [];
    const kubelet = newKubelet({
      client,
      clock: cluster.clock,
      rng: env.rng,
      nodeName: 'node-1',
      runtime,
      proberFactory: (d) => {
        deps = d;
        return {
          addPod: (p) => void added.push(p.metadata.name ?? ''),
          removePod() {},
          cleanupPods() {},
          stop() {},
          // Ready only with a readiness Success, as a container with a readiness probe.
          updatePodStatus(_pod, status) {
            for (const s of (status.containerStatuses as APIContainerStatus[]) ?? []) {
              s.started = !!s.state.running;
              s.ready = !!s.state.running && !!s.containerID && d.readinessManager.get(s.containerID) === 'Success';
            }
          },
        };
      },
    });
    kubelet.run();
    const pod = (await client.coreV1().pods('default').create(makePod('probed', [{ name: 'app', image: 'app:1' }]) as unknown as KubeObject)) as unknown as Pod;
    const ready = async () => ((await runUntilSettled(cluster.clock, client.coreV1().pods('default').get('probed'))) as unknown as Pod).status?.conditions?.find((c) => c.type === 'Ready');
    const step = async (ms: number) => {
      const end = cluster.clock.now() + ms;
      while (cluster.clock.now() < end) await runUntilSettled(cluster.clock, cluster.clock.sleep(500));
    };
    await step(3_000);
    expect(added).toContain('probed');
    expect(await ready()).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    const id = `containerd://${runtime.latest('app')!.id}`;
    deps!.readinessManager.set(id, 'Success', pod);
    await step(1_000);
    expect((await ready())?.status).toBe('True');
    expect(kubelet.journal.lines.some((l) => l.includes('"SyncLoop (probe)" probe="readiness" status="ready" pod="default/probed"'))).toBe(true);
    deps!.readinessManager.set(id, 'Failure', pod);
    await step(1_000);
    expect((await ready())?.status).toBe('False');
    // Readiness never restarts anything.
    expect(runtime.containers.size).toBe(1);
    kubelet.stop();
  });
});
