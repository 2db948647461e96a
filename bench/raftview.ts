// The raft view in Chromium: 7 members with ~1,000 messages in flight (a slow network: 20-45 s
// latency, so the vote requests of elections that never finish pile up), played one event per animation frame as the
// timeline plays it. Figures, not pass/fail: the render call (replay + DOM updates), and the
// frame (render + style, layout and paint, between two animation frames; a frame at 60 fps is
// 16.7 ms). Run alone with `npx tsx bench/raftview.ts` (`--json` for npm run bench).
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumArgs, chromiumPath } from '../scripts/lib/chromium.mjs';
import { TraceRecorder, newEnv, newRaftCluster, replayNetwork, type TraceEvent } from '../src/sim/index';
import type { BenchRow } from './workqueue';

const MEMBERS = 7;
const FRAMES = 240;

/** A 7-member cluster on a slow network, and the cursor range where ~1,000 messages are in flight. */
export function slowClusterTrace(): { events: TraceEvent[]; from: number; inFlight: number } {
  const trace = new TraceRecorder(400_000);
  const c = newRaftCluster({ size: MEMBERS, env: newEnv({ seed: 'raftview-bench', trace }), onViolation: 'record', network: { latencyMs: { min: 20_000, max: 45_000 } } });
  c.run(90_000);
  const events = trace.events;
  let from = events.length - FRAMES - 1;
  // Back off until the in-flight count reaches 1,000 before the frames start.
  const net = () => [...replayNetwork(events, from).nets.values()][0];
  while (from > 0 && (net()?.inFlight.size ?? 0) > 1100) from -= 500;
  return { events, from, inFlight: net()?.inFlight.size ?? 0 };
}

async function bundle(): Promise<{ js: string; css: string }> {
  const out = await build({
    stdin: {
      contents: `import { createRaftView } from './src/components/viz/raft/view'; window.createRaftView = createRaftView;`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    outdir: 'out',
    loader: { '.css': 'css' },
  });
  const text = (ext: string) => out.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

export async function benchRaftView(): Promise<BenchRow[]> {
  const exe = chromiumPath();
  if (!exe) throw new Error('chromium not found');
  const { events, from, inFlight } = slowClusterTrace();
  const { js, css } = await bundle();
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-bench-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: exe, headless: true, args: chromiumArgs, viewport: { width: 1440, height: 900 } });
  try {
    const page = await ctx.newPage();
    await page.setContent(`<!doctype html><html><head><style>${css}</style></head><body><div id="root" style="width:520px"></div></body></html>`);
    // tsx keeps function names with a `__name` helper the page does not have.
    await page.addScriptTag({ content: `window.__name = (f) => f;\n${js}` });
    const result = await page.evaluate(
      async ({ events, from, frames }) => {
        const w = window as unknown as { createRaftView(root: HTMLElement): { render(t: unknown[], c: number): void } };
        const view = w.createRaftView(document.getElementById('root')!);
        view.render(events, from); // the first replay up to the start
        const renders: number[] = [];
        const gaps: number[] = [];
        let last = 0;
        await new Promise<void>((resolve) => {
          let i = 0;
          const frame = (ts: number) => {
            if (last) gaps.push(ts - last);
            last = ts;
            const t0 = performance.now();
            view.render(events, from + i);
            document.body.getBoundingClientRect(); // style and layout in this frame
            renders.push(performance.now() - t0);
            if (++i < frames) requestAnimationFrame(frame);
            else resolve();
          };
          requestAnimationFrame(frame);
        });
        const dots = Number(/\d+/.exec(document.querySelector('.kl-raft-inflight summary')?.textContent ?? '')?.[0] ?? 0);
        const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
        return { renderMean: renders.reduce((a, b) => a + b, 0) / renders.length, renderP95: q(renders, 0.95), gapP50: q(gaps, 0.5), gapP95: q(gaps, 0.95), dots };
      },
      { events: JSON.parse(JSON.stringify(events)) as unknown[], from, frames: FRAMES },
    );
    mkdirSync('tmp', { recursive: true });
    await page.screenshot({ path: 'tmp/raftview-bench.png' }); // to look at
    return [
      { name: `raft view: ${MEMBERS} members, ${inFlight} messages in flight (${result.dots} at the last frame): render + layout per frame, mean`, value: result.renderMean, unit: 'ms', target: '< 16.7' },
      { name: 'raft view: render + layout per frame, p95', value: result.renderP95, unit: 'ms', target: '< 16.7' },
      { name: 'raft view: time between animation frames while playing, median', value: result.gapP50, unit: 'ms', target: '≈ 16.7 (60 fps)' },
      { name: 'raft view: time between animation frames while playing, p95', value: result.gapP95, unit: 'ms', target: '≈ 16.7 (60 fps)' },
    ];
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchRaftView();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}${r.target ? ` (target ${r.target})` : ''}`);
}
