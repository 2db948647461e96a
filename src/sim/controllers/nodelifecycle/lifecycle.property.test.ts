// A property over whole clusters (few runs: each is a cluster): four kubelets in one zone, up to
// two stop at random times. Afterwards every stopped node is Unknown and tainted
// unreachable:NoExecute, and no running node ever got a taint or left Ready.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/core/v1';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { newNodeLeaseController } from '../../kubelet/nodestatus/node_lease';
import { newNodeStatusManager } from '../../kubelet/nodestatus/node_status';
import { newNodeLifecycleController } from './controller';

describe('node lifecycle (property)', () => {
  it('only silent nodes are tainted, and every silent node is', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }), fc.array(fc.integer({ min: 0, max: 60_000 }), { minLength: 2, maxLength: 2 }), async (dead, stopAt) => {
        const trace = new TraceRecorder();
        const c = await newLabCluster({ env: newEnv({ seed: 1, trace }) });
        const client = c.clientset({ qps: -1 });
        const clock = c.clock;
        const names = ['n0', 'n1', 'n2', 'n3'];
        const stops = names.map((nodeName) => {
          const st = newNodeStatusManager({ client, clock, nodeName, readiness: () => [], rng: rngFromSeed(nodeName) });
          const ls = newNodeLeaseController({ client, clock, nodeName, rng: rngFromSeed(`l/${nodeName}`) });
          st.run();
          ls.run();
          return () => (st.stop(), ls.stop());
        });
        await runUntilIdle(clock, { forMs: 1000 });
        const ctrl = newNodeLifecycleController({ client, clock, rng: rngFromSeed(3), trace });
        await runUntilSettled(clock, ctrl.run());
        const start = clock.now();
        dead.forEach((n, i) => clock.afterAt(start + stopAt[i], stops[n]));
        await runUntilIdle(clock, { forMs: 160_000 });
        for (let i = 0; i < names.length; i++) {
          const node = (await client.coreV1().nodes().get(names[i])) as unknown as Node;
          const ready = node.status?.conditions?.find((x) => x.type === 'Ready')?.status;
          const taints = (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
          if (dead.includes(i)) {
            expect(ready).toBe('Unknown');
            expect(taints).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
          } else {
            expect(ready).toBe('True');
            expect(taints).toEqual([]);
          }
        }
        const touched = new Set(trace.ofType('nodelifecycle.taint').map((e) => e.node));
        for (const n of touched) expect(dead.map((i) => names[i])).toContain(n);
        ctrl.stop();
        for (const s of stops) s();
      }),
      { numRuns: 4, seed: 11 },
    );
  });
});
