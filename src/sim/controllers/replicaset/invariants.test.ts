import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/object';
import { runUntilSettled } from '../../core/drive';
import { rngFromSeed } from '../../core/rng';
import { newFakeKubelet } from '../testing/fake_kubelet';
import { fuzzReplicaSet } from './fuzz';
import { newReplicaSet, ns, setupRS } from './testing';

describe('ReplicaSet controller invariants (fast-check; fuzz.ts)', () => {
  it('converges to spec.replicas own active pods, with at most burstReplicas in flight per sync', async () => {
    // Kept short for the 5 s budget; fuzzReplicaSet(300) runs the long version.
    await fuzzReplicaSet(12, 13);
  }, 30_000);

  it('the same seed gives the same trace', async () => {
    const run = async () => {
      const h = await setupRS({ seed: 7, burstReplicas: 2 });
      const kubelet = newFakeKubelet({ client: h.cs, clock: h.cluster.clock, rng: rngFromSeed(7), nodeName: 'node-1', failRate: 0.3 });
      await runUntilSettled(h.cluster.clock, kubelet.run());
      await h.createRS(newReplicaSet('rs', 5));
      await h.run(30_000);
      await h.cs.appsV1().replicaSets(ns).patch('rs', 'application/merge-patch+json', { spec: { replicas: 2 } } as unknown as KubeObject);
      await h.run(30_000);
      kubelet.stop();
      h.rsc.stop();
      return JSON.stringify(h.trace.events.filter((e) => e.component === 'replicaset-controller'));
    };
    expect(await run()).toBe(await run());
  });
});
