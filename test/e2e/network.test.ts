// The cluster network in the browser: a lab with `cluster.network` gives its terminal kubectl exec
// and ssh into the nodes; a curl walks its packet through the nodes' rules and the packet view
// draws the walk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, terminalText, waitForTerminal, type Browser } from './browser';

const LAB = 'iptables-probabilities';
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

describe(`the cluster network in lab ${LAB}`, () => {
  it('a curl from a pod reaches a web pod, and the packet view draws its walk', async () => {
    await page.goto(`${browser.base}/labs/${LAB}/`);
    await page.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
    await waitForTerminal(page, /Its nodes run the cluster network/, 30_000);
    await type('kubectl exec client -- curl -s http://web');
    await waitForTerminal(page, /web-[123]\s*$/m, 30_000);
    const view = page.locator('.kl-pkt');
    await view.locator('.kl-pkt-hop').first().waitFor({ timeout: 20_000 });
    // The name is looked up first: one DNS query (curl asks for IPv4 only) walks to a CoreDNS pod, then the SYN to a web pod.
    const text = await view.textContent();
    expect(text).toMatch(/Packets \(2 requests walked\)/);
    expect(text).toMatch(/coredns-\w+-\w+ ?1/);
    expect(text).toMatch(/web-[123] ?1/);
    expect(await view.locator('.kl-pkt-changed').count()).toBeGreaterThan(0);
  });

  it('ssh runs the node tools and refuses an unknown host', async () => {
    await type('ssh node-a iptables-save -t nat');
    await waitForTerminal(page, /"default\/web:http cluster IP"/, 20_000);
    await type('ssh node-z hostname');
    await waitForTerminal(page, 'ssh: Could not resolve hostname node-z: Name or service not known', 20_000);
    expect(await terminalText(page)).toContain('KUBE-SVC-');
  });
});
