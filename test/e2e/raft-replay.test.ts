// A failing seed replays byte for byte in the browser: the raft-vote-rule starter (a vote rule
// without the up-to-date check) fails its nemesis check with a seed, a fault schedule and the
// first vote raft would have refused. `npm run lab` prints the same lines in node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { openBrowser, replaceCode, waitForTerminal, type Browser } from './browser';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await openBrowser({ width: 1440, height: 900 });
  page = await browser.page();
});
afterAll(async () => browser?.close());

/** The lines of the failing nemesis check: from `seed N, M members:` to the check's own line. */
function failure(text: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/^[│|]\s?/, '').trimEnd());
  const start = lines.findIndex((l) => /^seed \d+, \d members: /.test(l));
  const end = lines.findIndex((l, i) => i > start && /^\s*seed \d+, \d members: .*The fault schedule is printed above\.$/.test(l));
  return start < 0 || end < 0 ? [] : lines.slice(start, end + 1).map((l) => l.trim()).filter(Boolean);
}

describe('a failing raft seed, in node and in the browser', () => {
  it('prints the same seed, schedule and culprit vote in both', async () => {
    let inNode = '';
    try {
      execFileSync(process.execPath, ['scripts/lab.mjs', 'raft-vote-rule'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      inNode = (err as { stdout: string }).stdout; // the starter fails its checks: exit 1
    }
    const want = failure(inNode);
    expect(want.length, `node output:\n${inNode}`).toBeGreaterThan(3);
    expect(want.join('\n')).toMatch(/first vote raft would have refused/);

    await page.goto(`${browser.base}/labs/raft-vote-rule/`);
    await page.locator('[data-action="check"]').focus();
    await page.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
    await page.locator('[data-action="check"]').click();
    const text = await waitForTerminal(page, /\d+ of \d+ checks? passed/, 60_000);
    expect(failure(text)).toEqual(want);
  });

  it('marks where a safety property broke on the timeline; the mark moves the view there', async () => {
    // raft-commit-rule's solution without the current-term check: Figure 8 loses x.
    const solution = readFileSync('labs/raft-commit-rule/solution.ts', 'utf8');
    const broken = solution.replace(' && r.termAt(quorumIndex) === r.term', '');
    expect(broken).not.toBe(solution);
    await page.goto(`${browser.base}/labs/raft-commit-rule/`);
    await replaceCode(page, broken);
    await page.locator('[data-action="run"]').click();
    await waitForTerminal(page, 'was lost after it was committed', 60_000);
    const marks = page.locator('.kl-tl-mark');
    await expect.poll(() => marks.count()).toBeGreaterThan(0);
    expect(await marks.first().getAttribute('aria-label')).toMatch(/safety violation: LeaderCompleteness: leader 5 of term \d+ lacks index \d+/);
    await marks.first().click();
    await expect.poll(() => page.locator('.kl-viz-caption').textContent()).toMatch(/safety violation: LeaderCompleteness/);
    await expect.poll(() => page.locator('.kl-raft-violation').isVisible()).toBe(true);
    await page.screenshot({ path: 'tmp/raft-violation-mark.png' });
  });
});
