// The Content-Security-Policy every page carries: present, nothing the site itself needs is
// blocked (no violation on any page type, the lab workbench runs, search works), and a request
// to another origin is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, waitForTerminal, type Browser } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => browser?.close());

/** A page that records CSP violations and console errors from the moment it loads. */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.page();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __violations: string[] }).__violations ??= [];
      (window as unknown as { __violations: string[] }).__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { page, problems };
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);

describe('Content-Security-Policy', () => {
  for (const path of ['/', '/start/control-loops/', '/workqueues/the-queue/', '/labs/', '/reference/lab-format/']) {
    it(`${path} carries the policy and nothing on it is blocked`, async () => {
      const { page, problems } = await watchedPage();
      const response = await page.goto(`${browser.base}${path}`, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(200);
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/connect-src 'self'/);
      expect(csp).not.toMatch(/https?:|\*/);
      // Use what loads lazily: a lesson's widget, and search.
      const widget = page.locator('section.kl-qp').first();
      if (await widget.count()) {
        await widget.scrollIntoViewIfNeeded();
        await page.waitForLoadState('networkidle');
      }
      expect(await violations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('the lab page loads the editor, runs and checks code, with no violation', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${browser.base}/labs/workqueue-backoff/`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: /^run/i }).click();
    await waitForTerminal(page, /finished in \d+ ms/);
    await page.getByRole('button', { name: /^check/i }).click();
    await waitForTerminal(page, /\d of 4 checks passed/);
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('search still works (Pagefind runs its WebAssembly)', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${browser.base}/workqueues/the-queue/`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Search' }).click();
    const input = page.locator('.pagefind-ui__search-input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill('dirty');
    await page.locator('.pagefind-ui__result').first().waitFor({ timeout: 15_000 });
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses a request from the page to another origin', async () => {
    const { page } = await watchedPage();
    await page.goto(`${browser.base}/`, { waitUntil: 'networkidle' });
    const other = browser.base.replace('127.0.0.1', 'localhost');
    const result = await page.evaluate(async (url) => {
      try {
        await fetch(url);
        return 'fetched';
      } catch (e) {
        return `refused: ${(e as Error).message}`;
      }
    }, `${other}/`);
    expect(result).toMatch(/^refused: /);
    expect(await violations(page)).toEqual([`connect-src ${other}/`]);
    await page.close();
  });
});
