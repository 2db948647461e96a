// A kubectl session in the browser terminal of a lab with a cluster: the lab's manifests are tabs,
// an edited tab is what `kubectl apply -f` reads, `kubectl get` prints kubectl's table, a
// `kubectl get -w` left running sees the Run's write arrive, `etcdctl` shows what the API server
// stored, and -v=6 shows the request. (The views drawing a run: views.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { Page } from 'playwright-core';
import { openBrowser, replaceCode, terminalText, waitForTerminal, type Browser } from './browser';

/** The first lab (by id) whose lab.yaml asks for a cluster, and its first manifest. */
function clusterLab(): { id: string; manifest: string } {
  for (const id of readdirSync('labs').sort()) {
    let yaml: { cluster?: { apply?: string[] } };
    try {
      yaml = load(readFileSync(`labs/${id}/lab.yaml`, 'utf8')) as typeof yaml;
    } catch {
      continue;
    }
    const manifest = yaml.cluster?.apply?.[0];
    if (manifest) return { id, manifest };
  }
  throw new Error('no lab has cluster.apply in its lab.yaml');
}

const { id, manifest } = clusterLab();
const SETTINGS = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: e2e-settings', '  labels:', '    owner: e2e', 'data:', '  mode: slow', ''].join('\n');
const WRITE = `import { labCluster, runUntilIdle } from 'kubelab';
const cluster = labCluster();
const cms = cluster.clientset().coreV1().configMaps('default');
const cm = await cms.get('e2e-settings');
cm.data = { mode: 'fast' };
const updated = await cms.update(cm);
console.log('updated at resourceVersion', updated.metadata.resourceVersion);
await runUntilIdle(cluster.clock, { forMs: 1000 });
`;

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await openBrowser({ width: 1280, height: 900 });
  page = await browser.page();
});
afterAll(async () => browser?.close());

async function type(line: string): Promise<void> {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

describe(`a kubectl session in lab ${id}`, () => {
  it('opens with the manifests applied and listed as files', async () => {
    await page.goto(`${browser.base}/labs/${id}/?views=informer,watch`);
    await page.locator('[data-action="run"]').focus();
    await page.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
    expect(await page.locator(`[role="tab"][data-file="${manifest}"]`).count()).toBe(1);
    await type('ls');
    await waitForTerminal(page, manifest);
  });

  it('applies an edited manifest tab and gets it back as a table', async () => {
    await page.locator(`[role="tab"][data-file="${manifest}"]`).click();
    // As pasted YAML: set through the editor's model (typing would auto-indent it).
    await page.evaluate(([file, text]) => (window as unknown as { __kubelab: { setFile(f: string, t: string): void } }).__kubelab.setFile(file, text), [manifest, SETTINGS] as const);
    await type(`cat ${manifest}`);
    await waitForTerminal(page, 'name: e2e-settings');
    await type(`kubectl apply -f ${manifest}`);
    await waitForTerminal(page, 'configmap/e2e-settings created');
    await type('kubectl get configmaps -l owner=e2e');
    const text = await waitForTerminal(page, /NAME\s+DATA\s+AGE\s*\n?\s*e2e-settings\s+1\s+/);
    expect(text).not.toMatch(/error/i);
    await type('etcdctl get /registry/configmaps/default/e2e-settings --print-value-only');
    await waitForTerminal(page, /"mode":"slow"/);
  });

  it('a watch left running sees the Run write the update', async () => {
    await type(`kubectl get configmap e2e-settings -w -o jsonpath='{.data.mode}{"\\n"}'`);
    await waitForTerminal(page, /\nslow\s*$/);
    await page.locator('[role="tab"][data-file="main.ts"]').click();
    await replaceCode(page, WRITE);
    await page.locator('[data-action="run"]').click();
    await waitForTerminal(page, /updated at resourceVersion \d+/);
    await waitForTerminal(page, /\nfast\s*$/m);
    await page.locator('.xterm-helper-textarea').focus();
    await page.keyboard.press('Control+C');
    await type('kubectl get configmap e2e-settings -o jsonpath={.data.mode}');
    await page.waitForFunction(() => /\bfast\s*\$?\s*$/.test(document.querySelector('[data-testid="terminal-mirror"]')?.textContent ?? ''));
    expect(await terminalText(page)).toContain('fast');
  });

  it('-v=6 prints the request kubectl sends and the code it got', async () => {
    await type('kubectl get configmap e2e-settings -v=6');
    await waitForTerminal(page, /round_trippers\.go:\d+\] "Response" verb="GET" url="https:\/\/[^"]+\/api\/v1\/namespaces\/default\/configmaps\/e2e-settings" status="200 OK"/);
    await page.screenshot({ path: 'tmp/shots/e2e-cluster.png' }).catch(() => {});
  });
});
