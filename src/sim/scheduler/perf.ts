/**
 * scheduler_perf's SchedulingBasic shape for benchmarks (node and a browser worker): `nodes`
 * nodes in 5 zones (4 CPU, 16 GiB, 110 pods each), then `pods` pods of 100m CPU and 128 MiB
 * through whole scheduling cycles with the default profile, each assumed in the cache as the
 * real loop does before binding. No API server: upstream binds in parallel goroutines, which do
 * not limit the cycle rate. Returns how many were scheduled; the caller times it.
 * Upstream: test/integration/scheduler_perf (SchedulingBasic)
 */
import { rngFromSeed } from '../core/rng';
import { setDefaults } from './config/defaults';
import { CycleState } from './framework/cycle_state';
import { Framework } from './framework/runtime/framework';
import { newInTreeRegistry } from './plugins/registry';
import { schedulePod } from './schedule_one';
import { SchedulerCache } from './backend/cache/cache';
import { Snapshot } from './backend/cache/snapshot';
import { listersOf } from './backend/listers';
import { makeNode, makePod } from './testing/wrappers';
import type { PodInfo } from './framework/types';

export interface SchedulerPerfOptions {
  nodes: number;
  pods: number;
  /** 0 = adaptive (the default). */
  percentageOfNodesToScore?: number;
}

export function schedulerPerf(o: SchedulerPerfOptions): { scheduled: number } {
  const registry = newInTreeRegistry();
  const percentage = o.percentageOfNodesToScore ?? 0;
  const cfg = setDefaults({ percentageOfNodesToScore: percentage }, registry);
  const cache = new SchedulerCache();
  const snapshot = new Snapshot();
  const rng = rngFromSeed(1);
  const listers = listersOf({});
  // Nothing is nominated; one shared empty list, as the scheduler's nominator returns.
  const noneNominated: PodInfo[] = [];
  const handle = { snapshotSharedLister: () => snapshot, listers: () => listers, nominatedPodsForNode: () => noneNominated, rng: () => rng, parallelism: () => 16 };
  const fwk = new Framework(cfg.profiles![0], { registry, handle });
  for (let i = 0; i < o.nodes; i++) {
    cache.addNode(makeNode().name(`node-${i}`).label('topology.kubernetes.io/zone', `zone-${i % 5}`).capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj());
  }
  const ctx = { snapshot, extenders: [], percentageOfNodesToScore: percentage, nextStartNodeIndex: 0, rng };
  let scheduled = 0;
  for (let i = 0; i < o.pods; i++) {
    const pod = makePod().name(`pod-${i}`).uid(`uid-${i}`).label('app', `app-${i % 10}`).req({ cpu: '100m', memory: '128Mi' }).obj();
    cache.updateSnapshot(snapshot);
    try {
      const r = schedulePod(ctx, fwk, new CycleState(), pod);
      cache.assumePod({ ...pod, spec: { ...pod.spec, nodeName: r.suggestedHost } });
      scheduled++;
    } catch {
      // Unschedulable: not counted.
    }
  }
  return { scheduled };
}
