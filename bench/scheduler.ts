// kube-scheduler model throughput in node (figures, not pass/fail). Run alone with
// `npx tsx bench/scheduler.ts` (add `--json` for the line npm run bench reads).
// The shape of upstream's scheduler_perf SchedulingBasic at 5,000 nodes: nodes in 5 zones
// (4 CPU, 16 GiB, 110 pods each), pods asking for 100m CPU and 128 MiB, the default profile.
// Each pod goes through a whole scheduling cycle (PreFilter .. Score, selectHost) and is assumed
// in the cache, as the real loop does before it hands binding to a goroutine; the API server is
// left out (binding runs in parallel upstream and does not limit the scheduling cycle's rate).
// Upstream publishes roughly 100-500 pods/s for this shape (scheduler_perf dashboards, v1.3x).
import { pathToFileURL } from 'node:url';
import { CycleState, Framework, newInTreeRegistry, rngFromSeed, schedulePod, setSchedulerDefaults, makeNode, makePod } from '../src/sim/index';
import { SchedulerCache } from '../src/sim/scheduler/backend/cache/cache';
import { Snapshot } from '../src/sim/scheduler/backend/cache/snapshot';
import type { BenchRow } from './workqueue';

function run(numNodes: number, numPods: number, percentage: number): { seconds: number; scheduled: number } {
  const registry = newInTreeRegistry();
  const cfg = setSchedulerDefaults({ percentageOfNodesToScore: percentage }, registry);
  const cache = new SchedulerCache();
  const snapshot = new Snapshot();
  const rng = rngFromSeed(1);
  const handle = {
    snapshotSharedLister: () => snapshot,
    listers: () => ({ namespaces: () => [], getNamespace: () => undefined, persistentVolumes: () => [], persistentVolumeClaims: () => [], getPersistentVolumeClaim: () => undefined, storageClasses: () => [], podDisruptionBudgets: () => [], pods: () => [] }),
    nominatedPodsForNode: () => [],
    rng: () => rng,
    parallelism: () => 16,
  };
  const fwk = new Framework(cfg.profiles![0], { registry, handle });
  for (let i = 0; i < numNodes; i++) {
    cache.addNode(makeNode().name(`node-${i}`).label('topology.kubernetes.io/zone', `zone-${i % 5}`).capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj());
  }
  const ctx = { snapshot, extenders: [], percentageOfNodesToScore: percentage, nextStartNodeIndex: 0, rng };
  let scheduled = 0;
  const t0 = performance.now();
  for (let i = 0; i < numPods; i++) {
    const pod = makePod().name(`pod-${i}`).uid(`uid-${i}`).label('app', `app-${i % 10}`).req({ cpu: '100m', memory: '128Mi' }).obj();
    cache.updateSnapshot(snapshot);
    try {
      const r = schedulePod(ctx, fwk, new CycleState(), pod);
      cache.assumePod({ ...pod, spec: { ...pod.spec, nodeName: r.suggestedHost } });
      scheduled++;
    } catch {
      // unschedulable: counted as not scheduled
    }
  }
  return { seconds: (performance.now() - t0) / 1000, scheduled };
}

export function schedulerBench(): BenchRow[] {
  const rows: BenchRow[] = [];
  const a = run(5000, 10000, 0);
  rows.push({ name: 'scheduler: pods scheduled per wall second, 5,000 nodes, default profile, adaptive percentageOfNodesToScore (10 %)', value: Math.round(a.scheduled / a.seconds), unit: 'pods/s' });
  const b = run(5000, 1000, 100);
  rows.push({ name: 'scheduler: pods scheduled per wall second, 5,000 nodes, default profile, percentageOfNodesToScore 100', value: Math.round(b.scheduled / b.seconds), unit: 'pods/s' });
  const c = run(100, 2000, 0);
  rows.push({ name: 'scheduler: pods scheduled per wall second, 100 nodes (every node scored)', value: Math.round(c.scheduled / c.seconds), unit: 'pods/s' });
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = schedulerBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(110)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
