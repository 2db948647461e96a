// The Go collector's views in a lab page: learner code loses an object with no write barrier, then
// keeps it with the hybrid barrier; the heap view colours the heap white / grey / black, rings the
// object the barrier shaded at its event and marks the lost object red with its root path. The
// same run feeds the pacer chart (a workload on the pacer driver) and the owner graph (a foreground
// cascade under Kubernetes' collector). Screenshots go to tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { openBrowser, terminalText, waitForTerminal, type Browser } from './browser';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LAB = '/labs/controller-worker-loop/?views=gcheap,gcpacer,ownergraph';

/** Exported for the scenario check in node (the lab runtime installs the run's trace as activeTrace()). */
export const CODE = `import { FakeClock, activeTrace, runCycle, runGcWorkload, newLabCluster, newEnv, newGarbageCollector, rngFromSeed, runUntilIdle, runUntilSettled } from 'kubelab';

// Black A takes white C while grey B, C's only other holder, drops it.
const world = () => ({
  objects: [{ fields: [null] }, { fields: [2] }, { fields: [] }],
  globals: [1, 0],
  goroutines: [{ slots: [0, 1, null, null], program: [
    { op: 'load', dst: 2, obj: 1, field: 0 },
    { op: 'store', obj: 0, field: 0, src: 2 },
    { op: 'store', obj: 1, field: 0, src: 3 },
    { op: 'drop', dst: 2 },
  ] }],
});
for (const barrier of ['none', 'hybrid'] as const) {
  const r = runCycle({ world: world(), barrier, schedule: ['M', 'M', 'M', 0, 0, 0, 0], env: { clock: new FakeClock(), trace: activeTrace() } });
  console.log(barrier, 'lost', JSON.stringify(r.lost.map((b) => b.path)));
}

const MiB = 2 ** 20;
const run = runGcWorkload({ allocBytesPerSec: 400 * MiB, liveHeapBytes: 8 * MiB, gomaxprocs: 4, durationMs: 300 });
console.log('pacer cycles', run.cycles.length);

const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
const cs = cluster.clientset({ qps: -1 });
const gc = newGarbageCollector({ client: cs, clock: cluster.clock, rng: rngFromSeed(1), workers: 2 });
await runUntilSettled(cluster.clock, gc.run());
const ref = (o: any) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true });
const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
const d = await cs.appsV1().deployments('default').create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: tpl } } as any);
const rs = await cs.appsV1().replicaSets('default').create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', ownerReferences: [ref(d)] }, spec: { selector: { matchLabels: { app: 'web' } }, template: tpl } } as any);
for (const i of [0, 1]) await cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1-' + i, ownerReferences: [ref(rs)] }, spec: tpl.spec } as any);
await runUntilIdle(cluster.clock, { forMs: 10_000 });
await cs.appsV1().deployments('default').delete('web', { propagationPolicy: 'Foreground' });
await runUntilIdle(cluster.clock, { forMs: 10_000 });
gc.stop();
console.log('gc scenario done');
`;

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser({ width: 1440, height: 1000 });
  mkdirSync('tmp', { recursive: true });
});
afterAll(async () => browser?.close());

async function runScenario(p: Page): Promise<void> {
  await p.goto(`${browser.base}${LAB}`);
  await p.locator('[data-action="run"]').click();
  await p.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
  await waitForTerminal(p, /finished in \d+ ms/);
  await p.evaluate((code) => (window as unknown as { __kubelab: { setCode(c: string): void } }).__kubelab.setCode(code), CODE);
  const runsBefore = (await terminalText(p)).match(/finished in \d+ ms/g)?.length ?? 0;
  await p.locator('[data-action="run"]').click();
  const text = await waitForTerminal(p, new RegExp(`^(?:[\\s\\S]*?finished in \\d+ ms){${runsBefore}}[\\s\\S]*gc scenario done[\\s\\S]*finished in \\d+ ms · [\\d,]+ trace events`), 60_000);
  expect(text).toMatch(/none lost \[\["global\[1\]","obj1\.f\[0\]","obj3"\]\]/);
  expect(text).toMatch(/hybrid lost \[\]/);
  const events = Number([...text.matchAll(/finished in \d+ ms · ([\d,]+) trace events/g)].at(-1)![1].replace(/,/g, ''));
  await p.waitForFunction((n) => Number(document.querySelector<HTMLInputElement>('input.kl-tl-scrub')?.max) === n, events, { polling: 100 });
  await p.locator('.kl-viz[data-state="trace"]').waitFor();
}

/** Moves the shared cursor to the first event of `type` whose line matches `line` (the terminal's trace and goto commands). */
async function gotoEvent(p: Page, type: string, line: RegExp): Promise<void> {
  await p.locator('.kl-term-host').click();
  await p.keyboard.type(`trace --type ${type}\r`);
  const text = await waitForTerminal(p, new RegExp(`\\$ trace --type ${type.replace(/\./g, '\\.')}[\\s\\S]*\\d+ of \\d+ events`));
  const found = text.slice(text.lastIndexOf(`$ trace --type ${type}`)).split('\n').find((l) => line.test(l));
  expect(found, `${type} ${line}`).toBeDefined();
  const n = /^#(\d+)/.exec(found!)![1];
  await p.keyboard.type(`goto ${n}\r`);
  await p.waitForFunction((c) => document.querySelector<HTMLInputElement>('input.kl-tl-scrub')?.value === c, n, { polling: 100 });
  // The views draw on the next frames.
  await p.waitForTimeout(200);
}

const heap = (p: Page) => p.locator('.kl-viz-view[data-view="gcheap"] .kl-viz-view-body');

async function axeViolations(p: Page, selector: string): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in window))) await p.addScriptTag({ content: axeSource });
  return p.evaluate(async (sel) => {
    // @ts-expect-error -- injected global
    const r = await window.axe.run(document.querySelector(sel), { resultTypes: ['violations'] });
    return r.violations
      .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v: { id: string; nodes: { html: string; failureSummary: string }[] }) => v.nodes.slice(0, 5).map((n) => `${v.id}: ${n.html.slice(0, 100)} :: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}`));
  }, selector);
}

describe('the Go collector views', () => {
  it('no barrier: the heap is coloured while marking, and the lost object is red with its root path', async () => {
    const p = await browser.page();
    await runScenario(p);
    // Mid-mark of the first cycle: A scanned (black), B marked (grey), C not reached (white).
    await gotoEvent(p, 'gogc.scan', /scanobject obj1/);
    await expect(heap(p).textContent()).resolves.toMatch(/cycle 1 of 2 · barrier none · phase mark/);
    for (const [id, color] of [[1, 'black'], [2, 'grey'], [3, 'white']] as const) await expect(heap(p).locator(`[data-obj="${id}"]`).getAttribute('data-color')).resolves.toBe(color);
    const fills = await heap(p).evaluate((el) => [1, 2, 3].map((id) => getComputedStyle(el.querySelector(`[data-obj="${id}"] circle`)!).fill));
    expect(new Set(fills).size).toBe(3);
    await heap(p).screenshot({ path: 'tmp/gc-heap-marking.png' });
    // Sweep frees C while A still points to it.
    await gotoEvent(p, 'gogc.violation', /lostObject invariant broken at obj3/);
    await expect(heap(p).locator('.kl-gc-obj.is-lost[data-obj="3"]').isVisible()).resolves.toBe(true);
    await expect(heap(p).locator('.kl-gc-edge.is-lost').count()).resolves.toBeGreaterThan(0);
    await expect(heap(p).textContent()).resolves.toMatch(/Lost: obj3 freed while reachable along global\[1\] → obj1\.f\[0\] → obj3/);
    const lostStroke = await heap(p).evaluate((el) => getComputedStyle(el.querySelector('[data-obj="3"] circle')!).stroke);
    expect(lostStroke).toMatch(/rgb\((207, 34, 46)|(255, 123, 114)\)/);
    await heap(p).screenshot({ path: 'tmp/gc-heap-lost.png' });
    await p.close();
  });

  it('hybrid barrier: the catch is ringed at its event and nothing is lost', async () => {
    const p = await browser.page();
    await runScenario(p);
    await gotoEvent(p, 'gogc.barrier', /hybrid barrier obj2\.f\[0\]: obj3 -> nil shaded obj3/);
    await expect(heap(p).textContent()).resolves.toMatch(/cycle 2 of 2 · barrier hybrid/);
    await expect(heap(p).locator('.kl-gc-obj.is-caught[data-obj="3"]').getAttribute('data-color')).resolves.toBe('grey');
    await expect(heap(p).locator('.kl-gc-catch').isVisible()).resolves.toBe(true);
    await expect(heap(p).locator('.kl-gc-catchline.is-catch').textContent()).resolves.toMatch(/g0's hybrid write barrier on obj2\.f\[0\] \(obj3 → nil\): shaded obj3/);
    await expect(p.locator('.kl-viz-caption').textContent()).resolves.toMatch(/hybrid barrier obj2\.f\[0\]/);
    await heap(p).screenshot({ path: 'tmp/gc-heap-catch.png' });
    // At the end nothing was lost or freed.
    await p.locator('[data-tl="end"]').click();
    await expect.poll(() => heap(p).locator('.kl-gc-obj.is-lost, .kl-gc-obj.is-freed').count()).toBe(0);
    // The pacer chart and the owner graph drew the same run.
    const pacer = p.locator('.kl-viz-view[data-view="gcpacer"] .kl-viz-view-body');
    // The views redraw on the frames after the click: wait for the chart rather than read it once.
    await expect.poll(() => pacer.locator('.kl-gcp-cpu').count(), { timeout: 20_000 }).toBeGreaterThan(2);
    await expect.poll(() => pacer.textContent(), { timeout: 20_000 }).toMatch(/GOGC=100 · GOMEMLIMIT none/);
    await pacer.screenshot({ path: 'tmp/gc-pacer.png' });
    const owners = p.locator('.kl-viz-view[data-view="ownergraph"] .kl-viz-view-body');
    await expect.poll(() => owners.textContent(), { timeout: 20_000 }).toMatch(/0 being deleted · 4 deleted/);
    await gotoEvent(p, 'garbagecollector.node', /Deployment default\/web.*being deleted/);
    await expect(owners.locator('.kl-og-node.is-deleting').count()).resolves.toBe(1);
    await owners.screenshot({ path: 'tmp/gc-owners.png' });
    await p.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe with the three views drawn (${theme} theme), and keeps still under reduced motion`, async () => {
      const p = await browser.page();
      await p.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      await p.emulateMedia({ reducedMotion: theme === 'dark' ? 'reduce' : 'no-preference' });
      await runScenario(p);
      await gotoEvent(p, 'gogc.barrier', /shaded obj3/);
      expect(await axeViolations(p, '.kl-viz'), `${theme}, catch`).toEqual([]);
      const animation = await heap(p).evaluate((el) => getComputedStyle(el.querySelector('.kl-gc-catch')!).animationName);
      expect(animation).toBe(theme === 'dark' ? 'none' : 'kl-gc-flash');
      await heap(p).screenshot({ path: `tmp/gc-heap-catch-${theme}.png` });
      await gotoEvent(p, 'garbagecollector.node', /Deployment default\/web.*being deleted/);
      expect(await axeViolations(p, '.kl-viz'), `${theme}, cascade`).toEqual([]);
      await p.close();
    });
  }
});

// A learner presses Run, then Check: the Run changed the session cluster (shop deleted, the Pods
// adopted by web-7c9d4), and the checks start from that session. They must still all pass.
describe('the cluster labs: Check after Run', () => {
  for (const [lab, total] of [['stuck-finalizer', 3], ['k8s-gc-cascade', 4]] as const) {
    it(`${lab}: the solution's Run, then Check, passes every check`, async () => {
      const p = await browser.page();
      await p.goto(`${browser.base}/labs/${lab}/`);
      await p.waitForFunction(() => (window as unknown as { __kubelab?: { ready?: boolean } }).__kubelab?.ready === true, null, { timeout: 60_000 });
      await p.evaluate((code) => (window as unknown as { __kubelab: { setCode(c: string): void } }).__kubelab.setCode(code), readFileSync(`labs/${lab}/solution.ts`, 'utf8'));
      await p.locator('[data-action="run"]').click();
      await waitForTerminal(p, /finished in \d+ ms/, 60_000);
      await p.locator('[data-action="check"]').click();
      const text = await waitForTerminal(p, /\d+ of \d+ checks passed/, 60_000);
      expect(text).toContain(`✓ ${total} of ${total} checks passed`);
      expect(text).not.toMatch(/Runtime error|Check crashed/);
      await p.close();
    });
  }
});
