// Page-level properties: accessibility (axe), lesson pages stay light, unknown labs get a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { openBrowser, type Browser } from './browser';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => browser?.close());

const pages = ['/', '/start/control-loops/', '/workqueues/the-queue/', '/workqueues/where-is-my-key/', '/labs/', '/labs/workqueue-dedup/', '/labs/delaying-queue-and-drain/'];

describe('accessibility (axe-core)', () => {
  for (const path of pages) {
    it(`${path} has no serious or critical violations`, async () => {
      const page = await browser.page();
      await page.goto(`${browser.base}${path}`, { waitUntil: 'networkidle' });
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        // @ts-expect-error -- injected global
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations
          .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
          .map((v: { id: string; help: string; nodes: { target: string[] }[] }) => `${v.id}: ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      });
      expect(violations).toEqual([]);
      await page.close();
    });
  }
});

describe('page weight', () => {
  it('a lesson page stays under 100 KB of JS with its widget running, and loads neither Monaco nor xterm', async () => {
    const page = await browser.page();
    const urls: string[] = [];
    let bytes = 0;
    page.on('request', (r) => urls.push(r.url()));
    page.on('response', async (r) => {
      if (r.request().resourceType() === 'script') bytes += (await r.body().catch(() => Buffer.alloc(0))).length;
    });
    await page.goto(`${browser.base}/workqueues/the-queue/`, { waitUntil: 'networkidle' });
    // Bring the live widget into view so its lazily loaded model counts too, and use it.
    await page.locator('section.kl-qp').first().scrollIntoViewIfNeeded();
    await page.locator('section.kl-qp:not([data-kl-pending])').first().waitFor({ timeout: 10_000 });
    await page.waitForLoadState('networkidle');
    const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].reduce((n, s) => n + (s.textContent ?? '').length, 0));
    const heavy = urls.filter((u) => /monaco|xterm|editor\.worker|ts\.worker/i.test(u));
    expect(heavy).toEqual([]);
    expect(bytes + inline).toBeLessThan(100 * 1024);
    await page.close();
  });
});

describe('lab page first paint', () => {
  it("does not block on the editor's and terminal's CSS, which arrives with them", async () => {
    const page = await browser.page();
    await page.goto(`${browser.base}/labs/workqueue-dedup/`, { waitUntil: 'domcontentloaded' });
    const sheets = () => page.evaluate(() => [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.getAttribute('href') ?? ''));
    const lazy = (hrefs: string[]) => hrefs.filter((h) => /\/_astro\/(editor|workbench)\./.test(h));
    expect(lazy(await sheets())).toEqual([]);
    await page.locator('[data-action="run"]').click();
    await page.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 30_000 });
    expect(lazy(await sheets())).toHaveLength(2);
    // Styled: Monaco's own stylesheet positions its hidden input off screen, xterm's hides its helper textarea.
    const styled = await page.evaluate(() => ({
      monaco: getComputedStyle(document.querySelector('.monaco-editor')!).position,
      xterm: getComputedStyle(document.querySelector('.xterm-helper-textarea')!).position,
    }));
    expect(styled).toEqual({ monaco: 'relative', xterm: 'absolute' });
    await page.close();
  });
});

describe('progress on the labs index', () => {
  it('counts what is saved, exports it, clears it and imports it back', async () => {
    const page = await browser.page();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${browser.base}/labs/`);
    await page.evaluate(() => {
      const save = (id: string, steps: Record<string, string>, completed: boolean) =>
        localStorage.setItem(`kubelab:lab:${id}:v1`, JSON.stringify({ schema: 1, labHash: '', files: { 'main.ts': `// ${id}` }, seed: 5, steps, completed }));
      save('workqueue-backoff', { doublesPerFailure: 'pass', capsAtMaxDelay: 'fail' }, false);
      save('controller-worker-loop', {}, false);
    });
    await page.reload();
    const summary = page.locator('[data-progress-summary]');
    const status = page.locator('[data-progress-status]');
    await expect(summary.textContent()).resolves.toMatch(/^0 of \d+ labs completed · 1 of \d+ checked steps passed/);
    await expect(page.locator('[data-lab-id="workqueue-backoff"] .kl-lab-status-text').textContent()).resolves.toMatch(/^1 of \d+ steps passed$/);
    await expect(page.locator('[data-lab-id="controller-worker-loop"] .kl-lab-status-text').textContent()).resolves.toBe('Started');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-progress="export"]')]);
    expect(download.suggestedFilename()).toMatch(/^kubelab-progress-\d{4}-\d{2}-\d{2}\.json$/);
    const file = join(mkdtempSync(join(tmpdir(), 'kubelab-progress-')), 'progress.json');
    await download.saveAs(file);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).labs).sort()).toEqual(['controller-worker-loop', 'workqueue-backoff']);

    await page.click('[data-progress="clear"]');
    await expect(status.textContent()).resolves.toBe('Cleared the progress of 2 labs.');
    await expect(page.evaluate(() => localStorage.getItem('kubelab:lab:workqueue-backoff:v1'))).resolves.toBeNull();

    await page.setInputFiles('[data-progress-file]', file);
    await page.waitForFunction(() => document.querySelector('[data-progress-status]')?.textContent?.startsWith('Imported'));
    await expect(status.textContent()).resolves.toBe('Imported 2 labs: workqueue-backoff, controller-worker-loop.');
    await expect(page.evaluate(() => JSON.parse(localStorage.getItem('kubelab:lab:workqueue-backoff:v1')!).files['main.ts'])).resolves.toBe('// workqueue-backoff');

    await page.setInputFiles('[data-progress-file]', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"kind":"other"}') });
    await page.waitForFunction(() => document.querySelector('[data-progress-status]')?.textContent?.startsWith('Could not import'));
    await expect(status.textContent()).resolves.toMatch(/not a KubeLab progress export.*Nothing was changed/);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });
});

describe('continue where you left off', () => {
  it('the home page links the last lesson or lab visited, and shows nothing on a first visit', async () => {
    const page = await browser.page();
    await page.goto(`${browser.base}/`);
    await page.evaluate(() => localStorage.removeItem('kubelab:last-visit:v1'));
    await page.reload();
    await expect(page.locator('.kl-continue').isHidden()).resolves.toBe(true);
    await page.goto(`${browser.base}/workqueues/delaying-queue/`);
    await page.goto(`${browser.base}/labs/`);
    await page.goto(`${browser.base}/`);
    await expect(page.locator('.kl-continue a').getAttribute('href')).resolves.toBe('/workqueues/delaying-queue/');
    await page.goto(`${browser.base}/labs/workqueue-dedup/`);
    await page.goto(`${browser.base}/`);
    await expect(page.getByRole('link', { name: /continue where you left off/i }).getAttribute('href')).resolves.toBe('/labs/workqueue-dedup/');
    await page.close();
  });
});

describe('search', () => {
  it('loads on first use and finds lessons', async () => {
    const page = await browser.page();
    await page.goto(`${browser.base}/workqueues/the-queue/`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Search' }).click();
    // Pagefind builds its input on first use: type once it is there.
    const input = page.locator('.pagefind-ui__search-input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill('dirty');
    await expect(page.locator('.pagefind-ui__result').first().waitFor({ timeout: 10_000 })).resolves.toBeUndefined();
    await page.close();
  });
});

describe('not found', () => {
  it('an unknown lab id gets a 404 page with links onward', async () => {
    const page = await browser.page();
    const res = await page.goto(`${browser.base}/labs/no-such-lab/`);
    expect(res?.status()).toBe(404);
    const links = await page.locator('main a[href="/labs/"]').count();
    expect(links).toBeGreaterThan(0);
    await page.close();
  });
});
