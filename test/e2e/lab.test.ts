// A learner's path through the site: home -> lesson -> lab, edit code, Run, Check, and the
// bad-input cases (syntax error, infinite loop) that must leave the page usable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

  it('ends a runaway loop at its line, kills what no loop guard sees at the budget, and runs again afterwards', async () => {
    await page.goto(`${browser.base}/labs/${LAB}/`);
    await replaceCode(page, 'console.log("spin");\nwhile (true) {}\n');
    await page.getByRole('button', { name: /^run/i }).click();
    await waitForTerminal(page, /the loop at main\.ts:2 was still running/, 20_000);
    await replaceCode(page, 'console.log("spin");\n/^(a+)+$/.test("a".repeat(40) + "b");\n');
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

describe('terminal commands', () => {
  it('trace lists the run’s events and goto moves the model view to one of them', async () => {
    const p = await browser.page();
    await p.goto(`${browser.base}/labs/workqueue-dedup/`);
    await replaceCode(
      p,
      "import { newQueue } from 'kubelab';\nconst q = newQueue<string>({ name: 'pods' });\nq.add('a');\nq.add('b');\nq.add('a');\nconst { item } = await q.get();\nconsole.log('got', item);\n",
    );
    await p.getByRole('button', { name: /^run/i }).click();
    await waitForTerminal(p, /finished in \d+ ms/);
    await p.locator('.kl-term-host').click();
    await p.keyboard.type('trace --item a\r');
    const text = await waitForTerminal(p, /\d+ of \d+ events/);
    const lines = text.slice(text.lastIndexOf('$ trace')).split('\n');
    expect(lines.slice(1, 4).map((l) => l.replace(/^#\d+\s+t=0ms\s+/, ''))).toEqual([
      'pods  add a -> queued (len 1)',
      'pods  add a -> deduped (len 2)',
      'pods  get a (waited 0ms, len 1)',
    ]);
    const getLine = /^#(\d+)/.exec(lines[3])![1];
    await p.keyboard.type(`goto ${getLine}\r`);
    await waitForTerminal(p, `timeline at #${getLine}:`);
    // The view shows the state just after that get: a is processing, b waits in the queue.
    // It is redrawn on the next animation frame, so poll rather than read once.
    await expect.poll(() => p.locator('.kl-viz-caption').textContent(), { timeout: 5_000 }).toMatch(/get a/);
    await expect(p.locator('.kl-viz-caption a').getAttribute('href')).resolves.toBe('https://github.com/kubernetes/client-go/blob/v0.34.0/util/workqueue/queue.go');
    await expect(p.locator('.kl-viz-stage').textContent()).resolves.toMatch(/processing\s*1\s*a/);
    await p.close();
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

describe('solution diff dialog', () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  /** Serious and critical axe violations inside `selector`, as readable lines. */
  async function axeViolations(p: Page, selector: string): Promise<string[]> {
    if (!(await p.evaluate(() => 'axe' in window))) await p.addScriptTag({ content: axeSource });
    return p.evaluate(async (sel) => {
      // @ts-expect-error -- injected global
      const r = await window.axe.run(document.querySelector(sel), { resultTypes: ['violations'] });
      return r.violations
        .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
        .flatMap((v: { id: string; nodes: { html: string; failureSummary: string }[] }) =>
          v.nodes.slice(0, 5).map((n) => `${v.id}: ${n.html.slice(0, 80)} :: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}`),
        );
    }, selector);
  }
  // Every kind of TypeScript token, so that each one is drawn on the removed (red) backgrounds;
  // the solution on the right puts comments, types, strings and numbers on the inserted (green) ones.
  const tokens = [
    '// A comment on a removed line, with a URL https://example.com',
    '/** A doc comment: @param item the key */',
    "import { newQueue, type Queue } from 'kubelab';",
    'type Pair<T> = { key: string; value: T[] };',
    'const hex = 0xff, oct = 0o17, bin = 0b101, float = 1.5e3, big = 10n;',
    'const re = /^de(fault)?\\/[a-z]+$/gi;',
    "const s = 'single' + \"double\\n\" + `tpl ${hex + [oct, [bin, [float]]].length}`;",
    'export async function drain(q: Queue<string>): Promise<string[]> {',
    "  if (!q || typeof q !== 'object') throw new Error(`bad ${String(q)}`);",
    '  return [] as string[]; // trailing comment',
    '}',
    '',
  ].join('\n');

  for (const theme of ['light', 'dark'] as const) {
    it(`is named, labels both sides, passes axe and gives focus back on Escape (${theme} theme)`, async () => {
      const p = await browser.page();
      await p.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      await p.goto(`${browser.base}/labs/workqueue-dedup/`);
      expect(await p.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      await replaceCode(p, tokens);
      const solutionBtn = p.getByRole('button', { name: 'Solution', exact: true });
      await solutionBtn.click();

      // Named by its heading; focus starts on the safe choice.
      const dialog = p.getByRole('dialog', { name: 'Your code compared with the solution' });
      await dialog.waitFor();
      await expect(p.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe('Keep my code');
      // The diff has rendered: removed lines on the left (the learner's code), inserted on the right.
      await dialog.locator('.original-in-monaco-diff-editor .view-overlays .line-delete').first().waitFor();
      await dialog.locator('.modified-in-monaco-diff-editor .view-overlays .line-insert').first().waitFor();
      await expect(dialog.locator('.original-in-monaco-diff-editor .view-lines').textContent()).resolves.toMatch(/function\sdrain/); // Monaco draws spaces as U+00A0

      // Each side is announced for what it is (Monaco 0.57 drops originalAriaLabel/modifiedAriaLabel).
      await expect(dialog.getByRole('textbox', { name: 'Your code (read-only)', exact: true }).count()).resolves.toBe(1);
      await expect(dialog.getByRole('textbox', { name: 'Solution (read-only)', exact: true }).count()).resolves.toBe(1);
      const labels = await p.evaluate(() =>
        ['original', 'modified'].map((side) => document.querySelector(`dialog.kl-diff .${side}-in-monaco-diff-editor .native-edit-context, dialog.kl-diff .${side}-in-monaco-diff-editor textarea`)?.getAttribute('aria-label')),
      );
      expect(labels).toEqual(['Your code (read-only)', 'Solution (read-only)']);

      // Contrast (every token on the red and green backgrounds) and everything else axe checks.
      expect(await axeViolations(p, 'dialog.kl-diff')).toEqual([]);

      // Both buttons by Tab, each with a visible focus ring.
      const ring = () =>
        p.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const s = getComputedStyle(el);
          return { text: el.textContent?.trim(), ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none' };
        });
      await p.keyboard.press('Tab');
      await expect(ring()).resolves.toEqual({ text: 'Replace with solution…', ring: true });
      await p.keyboard.press('Shift+Tab');
      await expect(ring()).resolves.toEqual({ text: 'Keep my code', ring: true });

      // F7 in the code opens Monaco's accessible diff viewer (a list of the changes); it passes axe too.
      await dialog.locator('.modified-in-monaco-diff-editor .view-lines').click();
      await p.keyboard.press('F7');
      await dialog.locator('.diff-review-row[role="listitem"]').first().waitFor();
      expect(await axeViolations(p, 'dialog.kl-diff')).toEqual([]);

      // Escape leaves the viewer, a second Escape closes the dialog, and focus is back on Solution.
      await p.keyboard.press('Escape');
      await expect(dialog.isVisible()).resolves.toBe(true);
      await p.keyboard.press('Escape');
      await p.locator('dialog.kl-diff:not([open])').waitFor({ state: 'attached' });
      await expect(p.evaluate(() => document.activeElement?.getAttribute('data-action'))).resolves.toBe('solution');
      await p.close();
    });
  }
});
