// The scheduler lab page: a run of runSchedulingCycle draws the scheduler view (the queue and the
// node-by-plugin matrix with the winner starred), and a learner's Score plugin changes the winner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { openBrowser, terminalText, waitForTerminal, type Browser } from './browser';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const code = (withPlugin: boolean) => `import { runSchedulingCycle, makeNode, makePod, type SchedulerPlugin } from 'kubelab';

const nodes = [
  makeNode().name('node-a').label('zone', 'a').capacity({ cpu: '4', memory: '8Gi' }).obj(),
  makeNode().name('node-b').label('zone', 'b').capacity({ cpu: '8', memory: '16Gi' }).obj(),
];
const pod = makePod().name('web').uid('web').req({ cpu: '1', memory: '1Gi' }).obj();
const zone: SchedulerPlugin = { name: 'ZonePreference', score: (_s, _p, n) => (n.node?.metadata.labels?.zone === 'a' ? 100 : 0) };
const r = runSchedulingCycle({ pod, nodes${withPlugin ? ", plugins: { ZonePreference: () => zone }, profile: { plugins: { multiPoint: { enabled: [{ name: 'ZonePreference', weight: 5 }] } } }" : ''} });
console.log('winner', r.selectedNode);
`;

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser({ width: 1280, height: 900 });
});
afterAll(async () => browser?.close());

async function run(p: Page, source: string, expect: RegExp): Promise<string> {
  await p.evaluate((c) => (window as unknown as { __kubelab: { setCode(c: string): void } }).__kubelab.setCode(c), source);
  const before = (await terminalText(p)).match(/finished in \d+ ms/g)?.length ?? 0;
  await p.locator('[data-action="run"]').click();
  return waitForTerminal(p, new RegExp(`^(?:[\\s\\S]*?finished in \\d+ ms){${before}}[\\s\\S]*${expect.source}[\\s\\S]*finished in \\d+ ms`), 30_000);
}

const matrix = (p: Page) => p.locator('.kl-viz-view[data-view="scheduler"] table.kl-sched-matrix');

describe('scheduler lab page', () => {
  it('draws the cycle as a node-by-plugin matrix, and a learner Score plugin changes the winner', async () => {
    const p = await browser.page();
    await p.goto(`${browser.base}/labs/scheduler-custom-plugin/`);
    await p.locator('[data-action="run"]').click();
    await p.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
    await waitForTerminal(p, /finished in \d+ ms/);

    await run(p, code(false), /winner node-b/);
    await matrix(p).waitFor();
    await expect.poll(() => matrix(p).locator('tr.is-winner th').innerText()).toContain('node-b');
    expect(await matrix(p).locator('thead').innerText()).toContain('NodeResourcesFit');

    await run(p, code(true), /winner node-a/);
    await expect.poll(() => matrix(p).locator('tr.is-winner th').innerText()).toContain('node-a');
    const head = await matrix(p).locator('thead').innerText();
    expect(head).toContain('ZonePreference');
    expect(head).toContain('×5');

    if (!(await p.evaluate(() => 'axe' in window))) await p.addScriptTag({ content: axeSource });
    const violations = await p.evaluate(async () => {
      // @ts-expect-error -- injected global
      const r = await window.axe.run(document.querySelector('.kl-viz-view[data-view="scheduler"]'), { resultTypes: ['violations'] });
      return r.violations.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical').map((v: { id: string }) => v.id);
    });
    expect(violations).toEqual([]);
    await p.close();
  });
});
