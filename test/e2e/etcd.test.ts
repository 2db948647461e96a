// The raft-partition lab page runs etcd and an API server on its raft session: the terminal's
// etcdctl prints etcdctl 3.6's endpoint status table, and a partition cutting off member 1 (the
// API server's etcd endpoint) makes `kubectl get pods` fail with etcd's request timeout, the
// session clock moving while it waits; after a heal it answers again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, waitForTerminal, type Browser } from './browser';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await openBrowser({ width: 1440, height: 900 });
  page = await browser.page();
});
afterAll(async () => browser?.close());

async function type(line: string): Promise<void> {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

const mirror = async () => (await page.getByTestId('terminal-mirror').textContent()) ?? '';

describe('the raft-partition lab page with etcd and an API server', () => {
  it('etcdctl endpoint status -w table shows the five members, one leading', async () => {
    await page.goto(`${browser.base}/labs/raft-partition/`);
    await page.locator('[data-action="run"]').focus(); // loads the workbench
    await page.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
    await waitForTerminal(page, 'etcd v3.6 runs on its members');
    await type('cluster run 3s');
    await waitForTerminal(page, '(virtual time is now 3 s into the session)');
    await type('etcdctl endpoint status -w table');
    const text = await waitForTerminal(page, /\| 127\.0\.0\.1:52379 \|[^\n]*\n\+-/);
    expect(text).toContain('|    ENDPOINT     | ID | VERSION | STORAGE VERSION | DB SIZE |');
    const rows = text.split('\n').filter((l) => /^\| 127\.0\.0\.1:\d2379 \|/.test(l));
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.split('|')[9].trim() === 'true')).toHaveLength(1);
    await expect.poll(() => page.locator('.kl-viz-stage .kl-raft-member.is-leader').count()).toBe(1);
  });

  it('kubectl get pods fails while member 1 is cut off, after etcd\'s 7 s, and answers after the heal', async () => {
    await type('kubectl apply -f web-pod.yaml');
    await waitForTerminal(page, 'pod/web created');
    await type('kubectl get pods');
    await waitForTerminal(page, /web\s+0\/1\s+Pending/);
    await type('cluster partition 1 2,3,4,5');
    await waitForTerminal(page, 'partitioned: {1} | {2,3,4,5}');
    await expect.poll(() => page.locator('.kl-viz-stage .kl-raft-wall').count()).toBe(2);
    await type('kubectl get pods');
    await waitForTerminal(page, 'Error from server: etcdserver: request timed out', 30_000);
    await type('cluster status');
    const status = await waitForTerminal(page, /network: partition \{1\} \| \{2,3,4,5\}[^\n]*virtual time 10\.\d+ s/);
    expect(status).toContain('partition {1} | {2,3,4,5}');
    await type('cluster heal');
    await waitForTerminal(page, 'healed: every member reaches every other');
    await type('cluster run 3s');
    await waitForTerminal(page, /\(virtual time is now 13\.\d+ s into the session\)/);
    const before = (await mirror()).match(/web\s+0\/1\s+Pending/g)?.length ?? 0;
    await type('kubectl get pods');
    await expect.poll(async () => (await mirror()).match(/web\s+0\/1\s+Pending/g)?.length ?? 0, { timeout: 15_000 }).toBe(before + 1);
  });
});
