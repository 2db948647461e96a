// The raft-election lab page: its 5-member session cluster in the raft view and the terminal's
// `cluster` commands. A partition made from the view (a member's Isolate button, echoed as the
// shell command) and one typed in the shell both draw walls; stepping the timeline back to
// before the partition takes the wall away, and forward brings it back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { openBrowser, waitForTerminal, type Browser } from './browser';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await openBrowser({ width: 1440, height: 900 });
  page = await browser.page();
});
afterAll(async () => browser?.close());

const view = () => page.locator('.kl-viz-stage');
const walls = () => view().locator('.kl-raft-wall');
const status = () => view().locator('.kl-raft-status');

async function type(line: string): Promise<void> {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

describe('the raft-election lab page', () => {
  it('shows the session cluster: five followers before any time passes, a leader after cluster run', async () => {
    await page.goto(`${browser.base}/labs/raft-election/`);
    await page.locator('[data-action="run"]').focus(); // loads the workbench
    await page.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
    await expect.poll(() => view().locator('.kl-raft-member').count()).toBe(5);
    expect(await view().locator('.kl-raft-member.is-follower').count()).toBe(5);
    await type('cluster run 3s');
    await waitForTerminal(page, '(virtual time is now 3 s into the session)');
    await expect.poll(() => view().locator('.kl-raft-member.is-leader').count()).toBe(1);
    // etcd's StartNode: term 1 and a ConfChange entry per member, so the first leader leads term 2.
    await expect.poll(() => status().textContent()).toMatch(/^term 2 · leader \d \(term 2\)/);
    // The logs: every member holds the 5 bootstrap entries and the leader's empty entry, committed.
    expect(await view().locator('.kl-raft-logs tbody tr').count()).toBe(5);
    expect(await view().locator('td.kl-raft-cell.is-committed').count()).toBe(30);
  });

  it('isolates a member from its popover, as the shell command, and draws the wall', async () => {
    await view().locator('[data-member="1"]').click();
    const pop = view().locator('.kl-raft-pop');
    await expect.poll(() => pop.isVisible()).toBe(true);
    expect(await pop.locator('h4').textContent()).toBe('Member 1');
    await pop.getByRole('button', { name: 'Isolate' }).click();
    await waitForTerminal(page, '$ cluster partition 1 2,3,4,5');
    await waitForTerminal(page, 'partitioned: {1} | {2,3,4,5}');
    await expect.poll(() => walls().count()).toBe(2);
    expect(await status().textContent()).toContain('partition {1} | {2,3,4,5}');
    expect(await view().locator('.kl-raft-edges line.is-cut').count()).toBe(4);
  });

  it('partitions from the shell; the timeline steps back to before it (no wall) and forward again', async () => {
    await type('cluster heal');
    await waitForTerminal(page, 'healed: every member reaches every other');
    await expect.poll(() => walls().count()).toBe(0);
    await type('cluster run 1s');
    await waitForTerminal(page, '(virtual time is now 4 s into the session)');
    await type('cluster partition 1,2 3,4,5');
    await waitForTerminal(page, 'partitioned: {1,2} | {3,4,5}');
    await expect.poll(() => walls().count()).toBe(2);
    const scrub = page.locator('input.kl-tl-scrub');
    const max = Number(await scrub.getAttribute('max'));
    expect(Number(await scrub.inputValue())).toBe(max);
    mkdirSync('tmp', { recursive: true });
    await page.screenshot({ path: 'tmp/raft-partition.png' });
    await page.locator('.kl-viz').screenshot({ path: 'tmp/raft-view.png' });

    // The partition is the last event: one step back is the healed cluster of a moment before.
    await page.locator('[data-tl="back"]').click();
    await expect.poll(() => walls().count()).toBe(0);
    expect(await status().textContent()).not.toContain('partition');
    expect(await page.locator('.kl-viz-caption').textContent()).not.toContain('partition');
    await page.locator('[data-tl="fwd"]').click();
    await expect.poll(() => walls().count()).toBe(2);
    expect(await page.locator('.kl-viz-caption').textContent()).toContain('partition: {1,2} | {3,4,5}');
  });

  it('inspects a message in flight from the list, and a member from the keyboard', async () => {
    // At a tick (every 100 ms) heartbeats leave; they arrive 1 to 10 ms later.
    await type('cluster run 100ms');
    await waitForTerminal(page, '(virtual time is now 4.1 s into the session)');
    const list = view().locator('.kl-raft-inflight');
    await list.locator('summary').click();
    const first = list.locator('.kl-raft-msgbtn').first();
    await first.click();
    const pop = view().locator('.kl-raft-pop');
    await expect.poll(() => pop.isVisible()).toBe(true);
    expect(await pop.locator('dl').textContent()).toMatch(/sent.*due.*in flight/s);
    // The message can be lost on purpose, as the shell's `cluster drop #<id>`.
    const id = /#(\d+)/.exec((await pop.locator('dl').textContent()) ?? '')?.[1];
    expect(id).toBeDefined();
    await pop.getByRole('button', { name: 'Drop it' }).click();
    await waitForTerminal(page, `$ cluster drop #${id}`);
    await waitForTerminal(page, `message #${id} dropped`);
    await expect.poll(() => view().locator(`.kl-raft-msgbtn[data-msg="${id}"]`).count()).toBe(0);
    await expect.poll(() => pop.isVisible()).toBe(false);
    await view().locator('[data-member="3"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => pop.isVisible()).toBe(true);
    expect(await pop.locator('h4').textContent()).toBe('Member 3');
    expect(await view().locator('[data-member="3"]').getAttribute('aria-label')).toMatch(/^member 3, (follower|leader|candidate|pre-candidate), term \d+/);
    await page.screenshot({ path: 'tmp/raft-popover.png' });
  });

  it('passes axe with the view drawn, a popover open and the message list shown', async () => {
    await page.addScriptTag({ content: axeSource });
    const found = await page.evaluate(async () => {
      // @ts-expect-error -- injected global
      const r = await window.axe.run(document.querySelector('.kl-viz'), { resultTypes: ['violations'] });
      return r.violations
        .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
        .flatMap((v: { id: string; nodes: { html: string }[] }) => v.nodes.slice(0, 3).map((n) => `${v.id}: ${n.html.slice(0, 120)}`));
    });
    expect(found).toEqual([]);
  });

  it("a Run shows the run's own cluster; the next cluster command shows the session again", async () => {
    await page.keyboard.press('Escape');
    const runsBefore = ((await page.getByTestId('terminal-mirror').textContent()) ?? '').match(/finished in \d+ ms/g)?.length ?? 0;
    await page.locator('[data-action="run"]').click();
    await waitForTerminal(page, new RegExp(`^(?:[\\s\\S]*?finished in \\d+ ms){${runsBefore + 1}}`), 30_000);
    // The starter's run: no leader within 500 ms, five followers and no partition.
    await expect.poll(() => status().textContent()).toMatch(/^term \d+ · leader none/);
    expect(await walls().count()).toBe(0);
    await type('cluster status');
    await waitForTerminal(page, /network: partition \{1,2\} \| \{3,4,5\}/);
    await expect.poll(() => walls().count()).toBe(2);
    await expect.poll(() => status().textContent()).toMatch(/^term 2 · leader \d \(term 2\)/);
  });
});
