// kube-scheduler model throughput in a browser Web Worker (Chromium), the same shape as
// bench/scheduler.ts: src/sim/scheduler/perf.ts bundled into a worker, timed inside the worker.
// Run alone with `npx tsx bench/scheduler-browser.ts` (add `--json` for npm run bench).
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumArgs, chromiumPath } from '../scripts/lib/chromium.mjs';
import type { BenchRow } from './workqueue';

async function workerSource(): Promise<string> {
  const out = await build({
    stdin: {
      contents: `import { schedulerPerf } from './src/sim/scheduler/perf';
self.onmessage = (e) => { const t0 = performance.now(); const r = schedulerPerf(e.data); self.postMessage({ ...r, ms: performance.now() - t0 }); };`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
  });
  return out.outputFiles[0].text;
}

export async function schedulerBrowserBench(): Promise<BenchRow[]> {
  const exe = chromiumPath();
  if (!exe) throw new Error('chromium not found');
  const src = await workerSource();
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-bench-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: exe, headless: true, args: chromiumArgs });
  try {
    const page = await ctx.newPage();
    await page.setContent('<!doctype html><title>scheduler bench</title>');
    const run = (o: { nodes: number; pods: number; percentageOfNodesToScore: number }) =>
      page.evaluate(
        ({ src, o }) =>
          new Promise<{ scheduled: number; ms: number }>((resolve, reject) => {
            const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
            w.onmessage = (e) => {
              resolve(e.data);
              w.terminate();
            };
            w.onerror = (e) => reject(new Error(e.message));
            w.postMessage(o);
          }),
        { src, o },
      );
    const rate = async (nodes: number, pods: number, percentageOfNodesToScore: number) => {
      const r = await run({ nodes, pods, percentageOfNodesToScore });
      return Math.round(r.scheduled / (r.ms / 1000));
    };
    return [
      { name: 'scheduler (Chromium worker): pods/s, 5,000 nodes, default profile, adaptive percentageOfNodesToScore, 10,000 pods', value: await rate(5000, 10000, 0), unit: 'pods/s' },
      { name: 'scheduler (Chromium worker): pods/s, 5,000 nodes, default profile, percentageOfNodesToScore 100, 1,000 pods', value: await rate(5000, 1000, 100), unit: 'pods/s' },
    ];
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await schedulerBrowserBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(110)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
