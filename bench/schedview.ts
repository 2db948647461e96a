// The scheduler view at 5,000 nodes in Chromium (figures, not pass/fail): a trace of 120
// scheduling cycles on 5,000 nodes (each cycle event carries its 200 best nodes and counts the
// rest), drawn cursor by cursor as the timeline plays it. Run alone with `npx tsx bench/schedview.ts`.
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumArgs, chromiumPath } from '../scripts/lib/chromium.mjs';
import { TraceRecorder, makeNode, makePod, runSchedulingCycle, type Pod } from '../src/sim/index';
import { useEnv } from '../src/sim/runtime';
import type { BenchRow } from './workqueue';

const NODES = 5000;
const CYCLES = 120;

function trace(): unknown[] {
  const rec = new TraceRecorder();
  const leave = useEnv({ trace: rec, log: undefined as never });
  try {
    const nodes = Array.from({ length: NODES }, (_, i) => makeNode().name(`node-${i}`).label('topology.kubernetes.io/zone', `zone-${i % 5}`).capacity({ cpu: '4', memory: '16Gi' }).obj());
    const pods: Pod[] = [];
    for (let i = 0; i < CYCLES; i++) {
      const pod = makePod().name(`web-${i}`).uid(`web-${i}`).req({ cpu: '500m', memory: '512Mi' }).obj();
      const r = runSchedulingCycle({ pod, nodes, pods, rng: i });
      if (r.selectedNode) pods.push({ ...pod, spec: { ...pod.spec, nodeName: r.selectedNode } });
    }
  } finally {
    leave();
  }
  return JSON.parse(JSON.stringify(rec.events));
}

export async function benchSchedView(): Promise<BenchRow[]> {
  const exe = chromiumPath();
  if (!exe) throw new Error('chromium not found');
  const events = trace();
  const out = await build({
    stdin: { contents: `import { createSchedulerView } from './src/components/viz/scheduler/view'; window.createSchedulerView = createSchedulerView;`, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true, write: false, format: 'iife', outdir: 'out', loader: { '.css': 'css' },
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-bench-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: exe, headless: true, args: chromiumArgs, viewport: { width: 1440, height: 900 } });
  try {
    const page = await ctx.newPage();
    await page.setContent('<!doctype html><html><body><div id="root" style="width:520px"></div></body></html>');
    await page.addScriptTag({ content: `window.__name = (f) => f;\n${js}` });
    const r = await page.evaluate(async (events) => {
      const w = window as unknown as { createSchedulerView(root: HTMLElement): { render(t: unknown[], c: number): void } };
      const view = w.createSchedulerView(document.getElementById('root')!);
      const times: number[] = [];
      for (let c = 1; c <= events.length; c++) {
        const t0 = performance.now();
        view.render(events, c);
        document.body.getBoundingClientRect();
        times.push(performance.now() - t0);
      }
      const back = performance.now();
      view.render(events, 1); // scrubbing back replays from the start
      const backMs = performance.now() - back;
      const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
      return { mean: times.reduce((a, b) => a + b, 0) / times.length, p95: q(times, 0.95), backMs, rows: document.querySelectorAll('table.kl-sched-matrix tbody tr').length };
    }, events);
    mkdirSync('tmp', { recursive: true });
    await page.screenshot({ path: 'tmp/schedview-bench.png' });
    return [
      { name: `scheduler view: ${NODES} nodes, ${CYCLES} cycles (${r.rows} rows drawn per cycle): render + layout per cursor step, mean`, value: r.mean, unit: 'ms', target: '< 16.7' },
      { name: 'scheduler view: render + layout per cursor step, p95', value: r.p95, unit: 'ms', target: '< 16.7' },
      { name: 'scheduler view: scrub back to the start', value: r.backMs, unit: 'ms', target: '< 16.7' },
    ];
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchSchedView();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}${r.target ? ` (target ${r.target})` : ''}`);
}
