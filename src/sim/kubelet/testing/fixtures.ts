/** Fixtures for the kubelet's tests: a pod builder after upstream's test helpers, and a cluster with a kubelet on a fake runtime. */
import type { Container, Pod } from '../../api/core/v1';
import { newLabCluster, type LabCluster } from '../../cluster/cluster';
import type { Clientset } from '../../client/clientset';
import { runUntilIdle, runUntilSettled, settle } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import type { TraceRecorder } from '../../core/trace';
import { FakeRuntimeService } from '../cri/testing/fake_runtime_service';
import { newKubelet, type Kubelet, type KubeletConfig } from '../kubelet';

export function makePod(name: string, containers: Container[], extra: Partial<Pod['spec']> = {}, uid = `${name}-uid`): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid },
    spec: { containers, nodeName: 'node-1', ...extra },
  };
}

export interface KubeletHarness {
  cluster: LabCluster;
  client: Clientset;
  runtime: FakeRuntimeService;
  kubelet: Kubelet;
  /** Runs the simulation until `cond` holds (or `forMs` pass); returns whether it holds. */
  until(cond: () => boolean | Promise<boolean>, forMs?: number, stepMs?: number): Promise<boolean>;
  getPod(name: string): Promise<Pod | undefined>;
  createPod(pod: Pod): Promise<Pod>;
}

export async function newKubeletHarness(seed = 1, config: KubeletConfig = {}, trace?: TraceRecorder): Promise<KubeletHarness> {
  const env = newEnv({ seed });
  const cluster = await newLabCluster({ env });
  const client = cluster.clientset({ qps: -1 });
  const runtime = new FakeRuntimeService(cluster.clock);
  const kubelet = newKubelet({ client, clock: cluster.clock, rng: env.rng.fork('kubelet'), nodeName: 'node-1', runtime, config, trace });
  kubelet.run();
  let latest: Pod[] = [];
  const refresh = async () => {
    // A consistent list may wait for the watch cache to catch up with a write: drive the clock meanwhile.
    latest = (await runUntilSettled(cluster.clock, client.coreV1().pods('default').list(), { forMs: 5_000 })).items as unknown as Pod[];
  };
  return {
    cluster,
    client,
    runtime,
    kubelet,
    async until(cond, forMs = 60_000, stepMs = 500) {
      let ok = false;
      const end = cluster.clock.now() + forMs;
      while (cluster.clock.now() < end) {
        await refresh();
        if (await cond()) return true;
        const target = Math.min(cluster.clock.now() + stepMs, end);
        await runUntilIdle(cluster.clock, { forMs: target - cluster.clock.now() });
        // runUntilIdle stops before a timer beyond the window: move the clock to the window's end.
        if (cluster.clock.now() < target) cluster.clock.setTime(target);
        await settle();
      }
      await refresh();
      ok = await cond();
      return ok;
    },
    async getPod(name) {
      await refresh();
      return latest.find((p) => p.metadata.name === name);
    },
    async createPod(pod) {
      return (await client.coreV1().pods('default').create(pod as unknown as KubeObject)) as unknown as Pod;
    },
  };
}
