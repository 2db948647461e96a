// kube-scheduler model throughput in node (figures, not pass/fail). Run alone with
// `npx tsx bench/scheduler.ts` (add `--json` for the line npm run bench reads).
// scheduler_perf's SchedulingBasic shape at 5,000 nodes (src/sim/scheduler/perf.ts): whole
// scheduling cycles with the default profile, each pod assumed in the cache; no API server.
// Upstream publishes roughly 100-500 pods/s for this shape (scheduler_perf dashboards, v1.3x).
import { pathToFileURL } from 'node:url';
import { schedulerPerf } from '../src/sim/scheduler/perf';
import type { BenchRow } from './workqueue';

function rate(nodes: number, pods: number, percentageOfNodesToScore: number): number {
  const t0 = performance.now();
  const { scheduled } = schedulerPerf({ nodes, pods, percentageOfNodesToScore });
  return Math.round(scheduled / ((performance.now() - t0) / 1000));
}

export function schedulerBench(): BenchRow[] {
  return [
    { name: 'scheduler: pods scheduled per wall second, 5,000 nodes, default profile, adaptive percentageOfNodesToScore (10 %), 10,000 pods', value: rate(5000, 10000, 0), unit: 'pods/s' },
    { name: 'scheduler: pods scheduled per wall second, 5,000 nodes, default profile, percentageOfNodesToScore 100, 1,000 pods', value: rate(5000, 1000, 100), unit: 'pods/s' },
    { name: 'scheduler: pods scheduled per wall second, 100 nodes (every node scored), 2,000 pods', value: rate(100, 2000, 0), unit: 'pods/s' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = schedulerBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(110)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
