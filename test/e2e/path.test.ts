// The whole path in the browser: the deployment-rollout lab's session cluster (controller manager,
// scheduler, two kubelet nodes) takes `kubectl apply -f deployment.yaml` from the terminal, and the
// path view lays the apply out as a sequence diagram, numbered with the start page's eight steps.
// Screenshots go to tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openBrowser, waitForTerminal, type Browser } from './browser';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser({ width: 1280, height: 800 });
  mkdirSync('tmp', { recursive: true });
});
afterAll(async () => browser?.close());

describe('the path view in a lab page', () => {
  it('kubectl apply in the terminal: the path view shows the eight steps, readable and accessible', async () => {
    const p = await browser.page();
    await p.goto(`${browser.base}/labs/deployment-rollout/`);
    await p.locator('[data-action="run"]').focus();
    await p.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 90_000 });
    await waitForTerminal(p, 'This lab has a cluster', 90_000);
    const type = async (line: string) => {
      await p.locator('.xterm-helper-textarea').focus();
      await p.keyboard.type(line);
      await p.keyboard.press('Enter');
    };
    await type('kubectl apply -f deployment.yaml');
    await waitForTerminal(p, 'deployment.apps/web created', 60_000);
    await type('kubectl rollout status deployment/web');
    await waitForTerminal(p, 'deployment "web" successfully rolled out', 120_000);
    const view = p.locator('.kl-pa');
    await view.waitFor({ timeout: 30_000 });
    await p.waitForFunction(() => document.querySelectorAll('.kl-pa-legend .kl-pa-step.is-reached').length === 8, null, { timeout: 30_000 });
    // Every step is in the diagram, in the legend with its upstream link, and the rows read as text.
    const steps = await p.locator('.kl-pa-legend .kl-pa-step').allTextContents();
    expect(steps).toHaveLength(8);
    expect(steps[0]).toMatch(/^1kubectl sends the object\./);
    expect(steps[7]).toMatch(/Status flows back up\./);
    expect(await p.locator('.kl-pa-legend a[href^="https://github.com/kubernetes/"]').count()).toBeGreaterThanOrEqual(8);
    const rows = await p.locator('.kl-pa-rows > li').allTextContents();
    expect(rows[0]).toMatch(/^1POST deployments/);
    expect(rows.some((r) => /POST pods ×3/.test(r))).toBe(true);
    expect(rows.some((r) => /StartContainer nginx/.test(r))).toBe(true);
    expect(await p.locator('.kl-pa-headrow .kl-pa-life').allTextContents()).toEqual(['kubectl', 'apiserver', 'etcd', 'deployment', 'replicaset', 'scheduler', 'kubelet', 'containerd', 'kubelet', 'containerd']);
    expect(await p.locator('.kl-pa-headrow .kl-pa-node').allTextContents()).toEqual(['node-1', 'node-2']);
    // It fits its pane: no horizontal scrolling in the view.
    const fits = await view.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    expect(fits).toBe(true);
    // The top of the view (status line, lanes, first rows), then rows further down under the sticky lanes, then the legend.
    await view.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await p.screenshot({ path: 'tmp/e2e-path-view.png' });
    await p.locator('.kl-pa-rows > li').nth(20).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await p.screenshot({ path: 'tmp/e2e-path-rows.png' });
    await p.locator('.kl-pa-legend').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await p.screenshot({ path: 'tmp/e2e-path-legend.png' });
    await p.addScriptTag({ content: axeSource });
    const violations = await p.evaluate(async () => {
      const r = await (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run(document.querySelector('.kl-viz') ?? document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(violations).toEqual([]);
    await p.close();
  });
});
