// Shared helpers for e2e tests: one persistent Chromium context per test file.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../scripts/lib/chromium.mjs';

export interface Browser {
  context: BrowserContext;
  base: string;
  page(): Promise<Page>;
  close(): Promise<void>;
}

export async function openBrowser(viewport = { width: 1440, height: 900 }): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-e2e-'));
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found (apt-get install -y chromium)');
  const context = await chromium.launchPersistentContext(dir, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport,
  });
  const base = inject('baseURL');
  return {
    context,
    base,
    async page() {
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`[pageerror] ${err.message}`));
      return page;
    },
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Text the lab terminal has printed so far (read from its hidden mirror, not the canvas). */
export async function terminalText(page: Page): Promise<string> {
  return (await page.getByTestId('terminal-mirror').textContent()) ?? '';
}

/** Waits until the terminal mirror contains `text` (string or pattern). */
export async function waitForTerminal(page: Page, text: string | RegExp, timeout = 15_000): Promise<string> {
  const handle = await page.waitForFunction(
    ([src, flags, isRe]) => {
      const el = document.querySelector('[data-testid="terminal-mirror"]');
      const t = el?.textContent ?? '';
      return (isRe ? new RegExp(src, flags).test(t) : t.includes(src)) ? t : false;
    },
    [typeof text === 'string' ? text : text.source, typeof text === 'string' ? '' : text.flags, typeof text !== 'string'] as const,
    { timeout },
  );
  return (await handle.jsonValue()) as string;
}

/** Replaces the editor's content the way a person pasting would (insertText, not typing). */
export async function replaceCode(page: Page, code: string): Promise<void> {
  const editor = page.locator('.monaco-editor .view-lines').first();
  await editor.waitFor({ state: 'visible', timeout: 30_000 });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}
