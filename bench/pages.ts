// Page weight (JS bytes per page type, raw and gzip) and lab Run-to-first-output latency in
// Chromium, cold (first Run after load) and warm (a later Run).
import { chromium, type Page } from 'playwright-core';
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serveDist } from './serve';
import { chromiumArgs, chromiumPath } from '../scripts/lib/chromium.mjs';

type Row = { name: string; value: number; unit: string; target?: string };

async function jsBytes(page: Page, url: string, interact = false): Promise<{ raw: number; gz: number; files: number }> {
  const bodies: Buffer[] = [];
  const pending: Promise<void>[] = [];
  const onResponse = (r: import('playwright-core').Response) => {
    const type = r.request().resourceType();
    if (type === 'script' || /\.m?js(\?|$)/.test(r.url())) {
      pending.push(r.body().then((b) => void bodies.push(b), () => {}));
    }
  };
  page.on('response', onResponse);
  await page.goto(url, { waitUntil: 'networkidle' });
  // Inline scripts count too.
  const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? ''));
  for (const s of inline) bodies.push(Buffer.from(s));
  if (interact) {
    await page.locator('.kl-editor-body').first().click();
    await page.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
    await page.waitForLoadState('networkidle');
  } else {
    // Bring any lazily loaded lesson widget into view so its code counts too.
    for (const widget of await page.locator('section.kl-qp, section.kl-w').all()) {
      await widget.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
    }
    await page.waitForLoadState('networkidle');
  }
  page.off('response', onResponse);
  await Promise.all(pending);
  return {
    raw: bodies.reduce((n, b) => n + b.length, 0),
    gz: bodies.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
    files: bodies.length,
  };
}

/**
 * Clicks Run and measures, in the page, the time until the run's first line of output appears in
 * the terminal (the line after the `▶ run` header).
 */
async function runLatency(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const mirror = document.querySelector('[data-testid="terminal-mirror"]')!;
    const before = (mirror.textContent ?? '').length;
    const run = [...document.querySelectorAll('button')].find((b) => /^run/i.test(b.textContent?.trim() ?? ''))!;
    const t0 = performance.now();
    return new Promise<number>((resolve) => {
      const obs = new MutationObserver(() => {
        const added = (mirror.textContent ?? '').slice(before);
        const header = added.indexOf('▶ run');
        if (header >= 0 && added.slice(header).split('\n').filter(Boolean).length >= 2) {
          obs.disconnect();
          resolve(performance.now() - t0);
        }
      });
      obs.observe(mirror, { childList: true, characterData: true, subtree: true });
      run.click();
    });
  });
}

async function main() {
  const exe = chromiumPath();
  if (!exe) throw new Error('chromium not found');
  const server = await serveDist();
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-bench-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: exe, headless: true, args: chromiumArgs, viewport: { width: 1440, height: 900 } });
  const rows: Row[] = [];
  try {
    const kb = (n: number) => Math.round(n / 102.4) / 10;
    for (const [label, path, interact, target] of [
      ['home page', '/', false, undefined],
      ['lesson page (widget scrolled into view)', '/workqueues/the-queue/', false, '< 100 KB'],
      ['informers lesson (every widget scrolled into view)', '/informers/list-watch/', false, '< 100 KB'],
      ['api-machinery lesson (every widget scrolled into view)', '/api-machinery/crds/', false, '< 100 KB'],
      ['labs index', '/labs/', false, undefined],
      ['lab page before interaction', '/labs/workqueue-backoff/', false, undefined],
      ['lab page after first interaction (Monaco + xterm)', '/labs/workqueue-backoff/', true, undefined],
      ['cluster lab page before interaction', '/labs/informer-handlers/', false, undefined],
      ['cluster lab page after first interaction (+ cluster, kubectl, views)', '/labs/informer-handlers/', true, undefined],
      ['raft lesson', '/raft/the-commit-rule/', false, '< 100 KB'],
      ['raft lab page before interaction', '/labs/raft-partition/', false, undefined],
      ['raft lab page after first interaction (+ raft session, cluster commands, raft view)', '/labs/raft-partition/', true, undefined],
    ] as const) {
      const page = await ctx.newPage();
      const b = await jsBytes(page, server.base + path, interact);
      rows.push({ name: `JS: ${label}, gzip`, value: kb(b.gz), unit: 'KB', target });
      rows.push({ name: `JS: ${label}, raw`, value: kb(b.raw), unit: 'KB' });
      await page.close();
    }
    // Run-to-first-output. Cold: a fresh page, Run clicked the moment the DOM is ready (the
    // workbench, xterm and the runner worker all load on that click; Monaco loads beside them).
    // Warm: later Runs on the same page.
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await ctx.newPage();
      await page.goto(server.base + '/labs/workqueue-backoff/', { waitUntil: 'domcontentloaded' });
      cold.push(await runLatency(page));
      await page.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
      await page.evaluate(() => (window as unknown as { __kubelab: { setCode(c: string): void } }).__kubelab.setCode('console.log("bench-output");\n'));
      for (let j = 0; j < 3; j++) warm.push(await runLatency(page));
      await page.close();
    }
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    rows.push({ name: 'lab Run-to-first-output, cold: Run at DOM ready (median of 5)', value: median(cold), unit: 'ms', target: '< 300 ms' });
    rows.push({ name: 'lab Run-to-first-output, warm (median of 15)', value: median(warm), unit: 'ms', target: '< 100 ms' });
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
    server.stop();
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else console.table(rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
