// Workloads in the browser: the probes lab's session cluster (controller manager, scheduler, two
// kubelet nodes) rolls a Deployment out from the terminal and the rollout view draws its steps
// inside the maxSurge / maxUnavailable band; the pleg-crashloop lab's crashing pod goes into
// CrashLoopBackOff and the kubelet view shows its restarts and back-off timer. Screenshots go to tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { openBrowser, waitForTerminal, type Browser } from './browser';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser({ width: 1440, height: 1000 });
  mkdirSync('tmp', { recursive: true });
});
afterAll(async () => browser?.close());

async function open(p: Page, path: string): Promise<void> {
  await p.goto(`${browser.base}${path}`);
  await p.locator('[data-action="run"]').focus();
  await p.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 90_000 });
  await waitForTerminal(p, 'This lab has a cluster', 90_000);
}

async function type(p: Page, line: string): Promise<void> {
  await p.locator('.xterm-helper-textarea').focus();
  await p.keyboard.type(line);
  await p.keyboard.press('Enter');
}

async function axe(p: Page): Promise<string[]> {
  await p.addScriptTag({ content: axeSource });
  const r = await p.evaluate(async () => (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run(document.querySelector('.kl-viz') ?? document, { resultTypes: ['violations'] }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

describe('workloads in a lab page', () => {
  it('kubectl rollout in the terminal: rollout status waits on the cluster, the rollout view draws the steps', async () => {
    const p = await browser.page();
    await open(p, '/labs/probes/?views=rollout');
    await type(p, 'kubectl get deploy');
    await waitForTerminal(p, /web +2\/2 +2 +2/, 60_000);
    await type(p, 'kubectl rollout restart deployment/web');
    await waitForTerminal(p, 'deployment.apps/web restarted');
    await type(p, 'kubectl rollout status deployment/web');
    await waitForTerminal(p, 'deployment "web" successfully rolled out', 120_000);
    const view = p.locator('.kl-ro');
    await view.waitFor({ timeout: 30_000 });
    // Bars for the steps of the rollout, and the table that is the chart's text alternative.
    await p.waitForFunction(() => document.querySelectorAll('.kl-ro svg rect').length > 4, null, { timeout: 30_000 });
    expect(await view.textContent()).toMatch(/web/);
    await p.screenshot({ path: 'tmp/e2e-rollout-view.png' });
    expect(await axe(p)).toEqual([]);
    await p.close();
  });

  it('a CrashLoopBackOff: get pods says so, and the kubelet view shows restarts and the back-off', async () => {
    const p = await browser.page();
    await open(p, '/labs/pleg-crashloop/?views=kubelet');
    await type(p, 'sleep 90s');
    await waitForTerminal(p, /virtual time is now/, 120_000);
    await type(p, 'kubectl get pods');
    const text = await waitForTerminal(p, /crash\S* +0\/1 +(CrashLoopBackOff|Error) +\d+/, 60_000);
    expect(Number(/crash\S* +0\/1 +(?:CrashLoopBackOff|Error) +(\d+)/.exec(text)![1])).toBeGreaterThanOrEqual(3);
    const view = p.locator('.kl-kb-table');
    await view.waitFor({ timeout: 30_000 });
    await p.waitForFunction(() => /↻/.test(document.querySelector('.kl-kb-svg')?.textContent ?? ''), null, { timeout: 30_000 });
    await p.screenshot({ path: 'tmp/e2e-kubelet-view.png' });
    expect(await axe(p)).toEqual([]);
    await p.close();
  });
});
