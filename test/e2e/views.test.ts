// The model views on one timeline: a controller over the API server run in a lab page asked for
// the informer pipeline, the watch streams, the etcd keyspace and the workqueue; each view shows
// the run, follows the shared timeline and caption, hides and shows, links to the others, passes
// axe in both themes and keeps still under reduced motion; lesson pages never load a view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { openBrowser, terminalText, waitForTerminal, type Browser } from './browser';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWS = 'informer,watch,etcd,workqueue';
const LAB = `/labs/controller-worker-loop/?views=${VIEWS}`;

/** A controller over the API server: an informer on pods feeding a workqueue; writes, a dropped watch, a watch timeout. */
const CODE = `import { FakeClock, newApiServer, newClientset, newListWatchFromClient, newSharedIndexInformer, newRateLimitingQueue, defaultControllerRateLimiter, metaNamespaceKeyFunc, runUntilIdle } from 'kubelab';

const clock = new FakeClock();
const server = newApiServer({ clock });
const cs = newClientset(server, { qps: -1 });
await runUntilIdle(clock, { forMs: 10 });
const pods = cs.coreV1().pods('default');
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } });
await pods.create(pod('web'));
await pods.create(pod('db'));

const informer = newSharedIndexInformer(newListWatchFromClient(cs.coreV1().pods(''), 'pods', ''), { clock, name: 'pods' });
const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock, name: 'pods' });
informer.addEventHandler({
  addFunc: (o) => queue.add(metaNamespaceKeyFunc(o)),
  updateFunc: (_old, o) => queue.add(metaNamespaceKeyFunc(o)),
  deleteFunc: (o) => queue.add(metaNamespaceKeyFunc(o)),
});
const stopped = informer.run();
await runUntilIdle(clock, { forMs: 100 });
const web = await pods.get('web');
web.spec.containers[0].image = 'nginx:1.28';
await pods.update(web);
await pods.create(pod('cache'));
await pods.delete('db');
await runUntilIdle(clock, { forMs: 2_000 });
server.dropWatches();
await runUntilIdle(clock, { forMs: 700_000 });
informer.stop();
await stopped;
console.log('views scenario done');
`;

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser({ width: 1280, height: 900 });
});
afterAll(async () => browser?.close());

/** Opens the lab asking for the four views, runs CODE, and waits for the views to draw the run. */
async function runScenario(p: Page): Promise<void> {
  await p.goto(`${browser.base}${LAB}`);
  await p.locator('[data-action="run"]').click(); // loads the workbench (and runs the starter)
  await p.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
  await waitForTerminal(p, /finished in \d+ ms/);
  await p.evaluate((code) => (window as unknown as { __kubelab: { setCode(c: string): void } }).__kubelab.setCode(code), CODE);
  // A page opened again restores the saved code, so the first run may already have been this
  // scenario: wait for the run started here, the one after the runs printed so far.
  const runsBefore = (await terminalText(p)).match(/finished in \d+ ms/g)?.length ?? 0;
  await p.locator('[data-action="run"]').click();
  const text = await waitForTerminal(p, new RegExp(`^(?:[\\s\\S]*?finished in \\d+ ms){${runsBefore}}[\\s\\S]*views scenario done[\\s\\S]*finished in \\d+ ms · [\\d,]+ trace events`), 30_000);
  // The views hold this run's trace: the timeline has all its events.
  const events = Number([...text.matchAll(/finished in \d+ ms · ([\d,]+) trace events/g)].at(-1)![1].replace(/,/g, ''));
  await p.waitForFunction((n) => Number(document.querySelector<HTMLInputElement>('input.kl-tl-scrub')?.max) === n, events);
  await p.locator('.kl-viz[data-state="trace"]').waitFor();
}

const view = (p: Page, name: string) => p.locator(`.kl-viz-view[data-view="${name}"] .kl-viz-view-body`);

/** What a sighted reader sees of a view: its rendered text without the screen-reader-only words, spaces collapsed. */
function seen(p: Page, name: string): Promise<string> {
  return view(p, name).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const x of copy.querySelectorAll('.sr-only')) x.remove();
    document.body.append(copy);
    const text = copy.innerText;
    copy.remove();
    return text.replace(/\s+/g, ' ');
  });
}

async function axeViolations(p: Page, selector: string): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in window))) await p.addScriptTag({ content: axeSource });
  return p.evaluate(async (sel) => {
    // @ts-expect-error -- injected global
    const r = await window.axe.run(document.querySelector(sel), { resultTypes: ['violations'] });
    return r.violations
      .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v: { id: string; nodes: { html: string; failureSummary: string }[] }) =>
        v.nodes.slice(0, 5).map((n) => `${v.id}: ${n.html.slice(0, 100)} :: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}`),
      );
  }, selector);
}

describe('model views on one timeline', () => {
  it('stacks the views asked for, each named and shown, and draws the run in each', async () => {
    const p = await browser.page();
    await runScenario(p);
    await expect(p.locator('#kl-viz-h').textContent()).resolves.toBe('Model views');
    for (const name of ['Informer pipeline', 'Watch streams', 'etcd keyspace', 'Workqueue']) {
      await expect(p.getByRole('button', { name, exact: true }).getAttribute('aria-expanded')).resolves.toBe('true');
    }
    // The informer pipeline: every hop, the queue the informer chose, keys with their rv.
    const pipeline = await seen(p, 'informer');
    expect(pipeline).toMatch(/API server kube-apiserver watch cache pods/);
    expect(pipeline).toMatch(/RealFIFO pods-fifo/);
    // Revisions count the two system PriorityClasses the API server creates at start (rv 2 and 3).
    expect(pipeline).toMatch(/Indexer synced 2 default\/web rv 13 default\/cache rv 14/);
    expect(pipeline).toMatch(/handler 1 0 pending/);
    // The watch lane: list, watches from their rv, the events, the server closing one and a timeout.
    const lanes = await seen(p, 'watch');
    expect(lanes).toMatch(/reflector pods ← API server kube-apiserver pods/);
    expect(lanes).toMatch(/LIST at rv 0 → 2 items at rv 12/);
    expect(lanes).toMatch(/WATCH \(API server watch #1 from its cache\) from rv 12/);
    expect(lanes).toMatch(/closed by the server/);
    expect(lanes).toMatch(/timeout: the server ended it at timeoutSeconds \d+/);
    // The etcd keyspace: the tree under /registry/ with the pods' revisions.
    const keyspace = await seen(p, 'etcd');
    expect(keyspace).toMatch(/revision \d+ compacted at \d+/);
    expect(keyspace).toMatch(/pods\/ 2 keys default\/ 2 keys cache .* 14 14 1/);
    await expect(view(p, 'workqueue').textContent()).resolves.toMatch(/pods/);
    await p.close();
  });

  it('one timeline and one caption for every view: moving the cursor redraws each, the caption links upstream', async () => {
    const p = await browser.page();
    await runScenario(p);
    // Go to the event where the API server sends web's update down the informer's watch.
    await p.locator('.kl-term-host').click();
    await p.keyboard.type('trace --type apiserver.watchEvent\r');
    const text = await waitForTerminal(p, /\d+ of \d+ events/);
    const line = text.slice(text.lastIndexOf('$ trace')).split('\n').find((l) => /MODIFIED default\/web/.test(l))!;
    const n = /^#(\d+)/.exec(line)![1];
    await p.keyboard.type(`goto ${n}\r`);
    await expect.poll(() => p.locator('.kl-viz-caption').textContent(), { timeout: 5_000 }).toMatch(/watch #1: MODIFIED default\/web at rv 13/);
    await expect(p.locator('.kl-viz-caption a').getAttribute('href')).resolves.toBe('https://github.com/kubernetes/apiserver/blob/v0.34.0/pkg/endpoints/handlers/watch.go');
    // The object is on its way: in the watch hop, on the edge from the API server, with its rv.
    await expect(p.locator('.kl-pl-hop[data-hop="watch"].is-active').count()).resolves.toBe(1);
    await expect(p.locator('.kl-pl-edge.is-moving .kl-pl-token').textContent()).resolves.toBe('default/web rv 13');
    await expect(seen(p, 'informer')).resolves.toMatch(/Indexer synced 2 default\/db rv 12 default\/web rv 11/);
    // Step forward: the same cursor moves every view; back at the start, each says so.
    await p.locator('[data-tl="start"]').click();
    await expect.poll(() => view(p, 'watch').textContent()).toMatch(/No reflector has listed or watched yet/);
    await expect(view(p, 'etcd').textContent()).resolves.toMatch(/No etcd member has been written to yet/);
    await expect(p.locator('.kl-viz-caption').textContent()).resolves.toBe('Before the first event.');
    await p.close();
  });

  it('each view hides and shows from its heading by keyboard, and the pipeline links to the workqueue view', async () => {
    const p = await browser.page();
    await runScenario(p);
    const toggle = p.getByRole('button', { name: 'Watch streams', exact: true });
    await toggle.focus();
    await p.keyboard.press('Enter');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(view(p, 'watch').isHidden()).resolves.toBe(true);
    await p.keyboard.press('Space');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(view(p, 'watch').textContent()).resolves.toMatch(/reflector pods/);
    // Hidden, the workqueue view opens again when the pipeline's link is followed, and takes focus.
    await p.getByRole('button', { name: 'Workqueue', exact: true }).click();
    await p.getByRole('link', { name: /Workqueue view/ }).click();
    await expect(p.getByRole('button', { name: 'Workqueue', exact: true }).getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(p.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe('Workqueue');
    await p.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe with every view drawn (${theme} theme)`, async () => {
      const p = await browser.page();
      await p.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      await runScenario(p);
      // A point where every hop holds something, then the end.
      await p.locator('.kl-tl-scrub').focus();
      for (const cursor of ['mid', 'end']) {
        if (cursor === 'mid') await p.evaluate(() => {
          const s = document.querySelector<HTMLInputElement>('.kl-tl-scrub')!;
          s.value = String(Math.round(Number(s.max) * 0.55));
          s.dispatchEvent(new Event('input'));
        });
        else await p.locator('[data-tl="end"]').click();
        await p.waitForTimeout(100);
        expect(await axeViolations(p, '.kl-viz'), `${theme}, ${cursor}`).toEqual([]);
      }
      await p.close();
    });
  }

  it('keeps still under reduced motion (and moves without it)', async () => {
    for (const reducedMotion of ['reduce', 'no-preference'] as const) {
      const p = await browser.page();
      await p.emulateMedia({ reducedMotion });
      await runScenario(p);
      await p.locator('[data-tl="start"]').click();
      // Step until an object is crossing from one hop to the next, then read its animation in one go.
      const animationOf = () =>
        p.evaluate(() => {
          const el = document.querySelector('.kl-pl-edge.is-moving .kl-pl-token');
          return el ? getComputedStyle(el).animationName : undefined;
        });
      let animation: string | undefined;
      const cursor = () => p.evaluate(() => Number(document.querySelector<HTMLInputElement>('input.kl-tl-scrub')?.value ?? NaN));
      for (let i = 0; i < 400 && animation === undefined; i++) {
        const before = await cursor();
        await p.locator('[data-tl="fwd"]').click();
        // The step has landed and the views have drawn it (they draw on the next frames), however slow the machine.
        await p.waitForFunction((b) => Number(document.querySelector<HTMLInputElement>('input.kl-tl-scrub')?.value ?? NaN) > b, before);
        await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        animation = await animationOf();
      }
      expect(animation, reducedMotion).toBe(reducedMotion === 'reduce' ? 'none' : 'kl-pl-travel');
      await p.close();
    }
    // Two runs and up to 400 steps each: a loaded machine needs more than the default minute.
  }, 180_000);
});

describe('lesson pages stay light', () => {
  it('a lesson page loads no model view, and a lab with one view loads only its own', async () => {
    const p = await browser.page();
    const scripts: string[] = [];
    p.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await p.goto(`${browser.base}/workqueues/the-queue/`, { waitUntil: 'networkidle' });
    expect(scripts.filter((u) => /\/view\.[\w-]+\.js$/.test(u))).toEqual([]);
    scripts.length = 0;
    await p.goto(`${browser.base}/labs/workqueue-dedup/`);
    await p.locator('[data-action="run"]').click();
    await waitForTerminal(p, /finished in \d+ ms/);
    await p.waitForLoadState('networkidle');
    // The workqueue lab: one view chunk, no headings to hide it (a lone view needs none).
    expect(scripts.filter((u) => /\/view\.[\w-]+\.js$/.test(u))).toHaveLength(1);
    await expect(p.locator('.kl-viz-toggle').count()).resolves.toBe(0);
    await expect(p.locator('#kl-viz-h').textContent()).resolves.toBe('Workqueue');
    await p.close();
  });
});
