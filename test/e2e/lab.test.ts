// A learner's path through the site: home -> lesson -> lab, edit code, Run, Check, and the
// bad-input cases (syntax error, infinite loop) that must leave the page usable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { openBrowser, replaceCode, terminalText, waitForTerminal, type Browser } from './browser';

const LAB = 'workqueue-backoff';
const solution = readFileSync(`labs/${LAB}/solution.ts`, 'utf8');

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
  page = await browser.page();
});
afterAll(async () => browser?.close());

describe('learner path', () => {
  it('goes from the home page to a lesson and on to its lab', async () => {
    await page.goto(`${browser.base}/`);
    await page.getByRole('link', { name: /start here/i }).first().click();
    await page.waitForURL(/\/start\//);
    await page.goto(`${browser.base}/workqueues/rate-limiting/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/rate/i);
    await page.locator(`a[href*="/labs/${LAB}/"]`).first().click();
    await page.waitForURL(new RegExp(`/labs/${LAB}/`));
    await expect(page.getByRole('button', { name: /^run/i }).isVisible()).resolves.toBe(true);
  });

  it('runs the solution, prints to the terminal and passes every check', async () => {
    await page.goto(`${browser.base}/labs/${LAB}/`);
    await replaceCode(page, solution);
    await page.getByRole('button', { name: /^run/i }).click();
    await waitForTerminal(page, /finished|done|ok/i);
    await page.getByRole('button', { name: /^check/i }).click();
    const text = await waitForTerminal(page, /\d+ (of \d+ )?checks? passed|all checks passed/i, 30_000);
    expect(text).not.toMatch(/✗/);
  });

  it('marks the completed lab in the lesson sidebar', async () => {
    await page.goto(`${browser.base}/workqueues/the-queue/`);
    const link = page.locator(`nav a[href="/labs/${LAB}/"]`).first();
    await expect(link.getAttribute('class')).resolves.toMatch(/kl-lab-done/);
    await expect(link.textContent()).resolves.toMatch(/completed/);
    const other = page.locator('nav a[href="/labs/workqueue-dedup/"]').first();
    await expect(other.getAttribute('class')).resolves.not.toMatch(/kl-lab-done/);
  });
});

describe('bad input keeps the page working', () => {
  it('reports a syntax error with line:col and marks it in the editor', async () => {
    await page.goto(`${browser.base}/labs/${LAB}/`);
    await replaceCode(page, 'const a = 1;\nconst b = ;\n');
    await page.getByRole('button', { name: /^run/i }).click();
    const text = await waitForTerminal(page, /2:1[01]/);
    expect(text).toMatch(/syntax|unexpected/i);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 10_000 });
  });

  it('kills an infinite loop at the budget and runs again afterwards', async () => {
    await page.goto(`${browser.base}/labs/${LAB}/`);
    await replaceCode(page, 'console.log("spin");\nwhile (true) {}\n');
    await page.getByRole('button', { name: /^run/i }).click();
    await waitForTerminal(page, /killed after \d+ ms/i, 20_000);
    // The page still answers while and after the worker is replaced.
    await expect(page.evaluate(() => 1 + 1)).resolves.toBe(2);
    await replaceCode(page, 'console.log("alive " + (6 * 7));\n');
    await page.getByRole('button', { name: /^run/i }).click();
    await waitForTerminal(page, 'alive 42');
    expect(await terminalText(page)).toContain('spin');
  });
});

describe('workbench behaviour', () => {
  it('a Run clicked as soon as the page opens runs the code shown, without waiting for the editor', async () => {
    const p = await browser.page();
    await p.goto(`${browser.base}/labs/${LAB}/`, { waitUntil: 'domcontentloaded' });
    await p.getByRole('button', { name: /^run/i }).click();
    await waitForTerminal(p, /finished in \d+ ms/);
    expect(await terminalText(p)).toMatch(/▶ run main\.ts/);
    await p.close();
  });

  it('keeps the learner’s code across a reload', async () => {
    const p = await browser.page();
    await p.goto(`${browser.base}/labs/workqueue-dedup/`);
    await replaceCode(p, '// kept across reloads\nconsole.log("kept");\n');
    await p.getByRole('button', { name: /^run/i }).click();
    await waitForTerminal(p, 'kept');
    await p.reload();
    await expect(p.locator('.kl-editor-body').textContent()).resolves.toContain('kept across reloads');
    await p.close();
  });

  it('a share link loads its code and seed but runs nothing until Run', async () => {
    const p = await browser.page();
    await p.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await p.goto(`${browser.base}/labs/controller-worker-loop/`);
    await replaceCode(p, 'console.log("shared " + 7 * 6);\n');
    await p.getByRole('button', { name: /^share/i }).click();
    const link = await p.getByRole('textbox', { name: 'Share link' }).inputValue();
    expect(link).toMatch(/#code=/);

    const q = await browser.page();
    await q.goto(link);
    await waitForTerminal(q, /shared link/i);
    await expect(q.locator('.kl-editor-body').textContent()).resolves.toContain('shared " + 7 * 6');
    expect(await terminalText(q)).not.toContain('shared 42');
    await q.getByRole('button', { name: /^run/i }).click();
    await waitForTerminal(q, 'shared 42');
    await p.close();
    await q.close();
  });
});

describe('keyboard alone', () => {
  it('reaches Run with Tab, runs with Enter, and shows where focus is', async () => {
    const p = await browser.page();
    await p.goto(`${browser.base}/labs/${LAB}/`, { waitUntil: 'networkidle' });
    let found = false;
    for (let i = 0; i < 60 && !found; i++) {
      await p.keyboard.press('Tab');
      found = await p.evaluate(() => /^run/i.test((document.activeElement?.textContent ?? '').trim()) && document.activeElement?.tagName === 'BUTTON');
    }
    expect(found).toBe(true);
    // A visible focus indicator: an outline or a box shadow on the focused button.
    const ring = await p.evaluate(() => {
      const s = getComputedStyle(document.activeElement as Element);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    });
    expect(ring).toBe(true);
    await p.keyboard.press('Enter');
    await waitForTerminal(p, /finished in \d+ ms/);
    await p.close();
  });
});

describe('editor knows the kubelab API', () => {
  it('flags a type error against the public typings and completes queue methods', async () => {
    const p = await browser.page();
    await p.goto(`${browser.base}/labs/workqueue-dedup/`);
    await replaceCode(p, "import { newQueue } from 'kubelab';\nconst q = newQueue<string>();\nq.add(42);\n");
    // The TypeScript worker reports `number` is not assignable to `string`: a squiggle on line 3
    // (Monaco renders one overlay row per visible line, in order) and none on lines 1-2.
    await p.locator('.monaco-editor .view-overlays > div:nth-child(3) .squiggly-error').first().waitFor({ timeout: 30_000 });
    expect(await p.locator('.monaco-editor .view-overlays > div:nth-child(-n+2) .squiggly-error').count()).toBe(0);
    // Completion after `q.` lists the queue's methods from the generated typings.
    await p.keyboard.press('ControlOrMeta+End');
    await p.keyboard.insertText('q.');
    await p.keyboard.press('Control+Space');
    const suggest = p.locator('.monaco-editor .suggest-widget');
    await suggest.getByText('shutDownWithDrain').first().waitFor({ timeout: 30_000 });
    await p.close();
  });
});
