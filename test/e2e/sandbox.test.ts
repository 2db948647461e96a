// Learner code as a hostile learner would write it, against the built site in Chromium: each
// attempt is refused with a message the learner can read, and Run, Check and the page keep
// working. (The sandbox's parts have unit tests in test/lab; this is the whole chain: page ->
// client -> locked-down worker -> compartment -> renderer -> terminal.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { openBrowser, type Browser } from './browser';

const LAB = 'workqueue-backoff';
const STATE_KEY = `kubelab:lab:${LAB}:v1`;

type Hook = {
  ready?: boolean;
  load(): Promise<{ action(name: string): Promise<void> }>;
  setCode(code: string): void;
  action(name: string): Promise<void>;
  terminalText(): string;
  terminalBuffer(): string;
  terminalBufferType(): string;
  terminalInvisibleCells(): number;
};
declare const window: { __kubelab: Hook; localStorage: Storage };

let browser: Browser;
let page: Page;
// A server on this machine that counts requests: learner code must never reach it.
let bait: Server;
let baitHits = 0;
let baitUrl = '';
// The lab's runner workers that are alive (the page's Monaco workers are not counted).
const liveRunners = new Set<object>();

beforeAll(async () => {
  bait = createServer((req, res) => {
    baitHits++;
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/javascript' }).end('console.log("REMOTE CODE RAN")');
  });
  await new Promise<void>((r) => bait.listen(0, '127.0.0.1', r));
  baitUrl = `http://127.0.0.1:${(bait.address() as { port: number }).port}/x.js`;
  browser = await openBrowser();
  page = await browser.page();
  page.on('worker', (w) => {
    if (!/\/_astro\/worker-[\w-]+\.js$/.test(w.url())) return;
    liveRunners.add(w);
    w.on('close', () => liveRunners.delete(w));
  });
  await page.goto(`${browser.base}/labs/${LAB}/`);
  await ready(page);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  bait?.close();
});

async function ready(p: Page) {
  await p.waitForFunction(() => !!window.__kubelab);
  await p.evaluate(async () => {
    await window.__kubelab.load();
    await window.__kubelab.load();
  });
  await p.waitForFunction(() => window.__kubelab?.ready === true);
}

/** Puts `code` in the editor, runs it (or checks it) and returns what the terminal printed. */
async function run(code: string, mode: 'run' | 'check' = 'run', p = page): Promise<string> {
  return p.evaluate(
    async ([c, m]) => {
      const k = window.__kubelab;
      k.setCode(c);
      const before = k.terminalText().length;
      await k.action(m);
      return k.terminalText().slice(before);
    },
    [code, mode] as const,
  );
}

describe('the network is out of reach', () => {
  it('fetch, XHR, WebSocket, EventSource, Worker, SharedWorker, importScripts and BroadcastChannel are not there', async () => {
    const text = await run(
      `const url = ${JSON.stringify(baitUrl)};\nconst tries: Record<string, () => unknown> = {\n  fetch: () => fetch(url),\n  XMLHttpRequest: () => new XMLHttpRequest(),\n  WebSocket: () => new WebSocket(url.replace('http', 'ws')),\n  EventSource: () => new EventSource(url),\n  Worker: () => new Worker(url),\n  SharedWorker: () => new SharedWorker(url),\n  importScripts: () => (globalThis as any).importScripts(url),\n  BroadcastChannel: () => new BroadcastChannel('x'),\n  navigator: () => (globalThis as any).navigator.sendBeacon(url),\n};\nfor (const [name, attempt] of Object.entries(tries)) {\n  try { attempt(); console.log(name, 'REACHED'); } catch (e) { console.log(name, 'refused:', (e as Error).message); }\n}\n`,
    );
    for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'Worker', 'SharedWorker', 'importScripts', 'BroadcastChannel', 'navigator']) {
      expect(text).toMatch(new RegExp(`│ ${name} refused: `));
    }
    expect(text).not.toMatch(/REACHED/);
    expect(text).toMatch(/✓ finished in \d+ ms/);
    expect(baitHits).toBe(0);
  });

  it('import() of a URL, a template or a variable is refused with the learner line', async () => {
    const literal = await run(`console.log('before');\nawait import(${JSON.stringify(baitUrl)});\n`);
    expect(literal).toMatch(/✗ Import error at main\.ts:2:14: Cannot import 'http:\/\/127\.0\.0\.1:\d+\/x\.js': labs can import only 'kubelab'/);
    expect(literal).not.toMatch(/before/);
    const template = await run(`const host = ${JSON.stringify(baitUrl)};\nawait import(\`\${host}\`);\n`);
    expect(template).toMatch(/✗ Runtime error at main\.ts:2:7: Error: Cannot import 'http:\/\/127\.0\.0\.1:\d+\/x\.js': labs can import only 'kubelab'/);
    const variable = await run(`const spec = [${JSON.stringify(baitUrl)}][0];\nconst m = await import(spec);\n`);
    expect(variable).toMatch(/✗ Runtime error at main\.ts:2:17: Error: Cannot import/);
    const staticImport = await run(`import x from ${JSON.stringify(baitUrl)};\nconsole.log(x);\n`);
    expect(staticImport).toMatch(/✗ Import error at main\.ts:1:15: Cannot import/);
    expect(literal + template + variable + staticImport).not.toMatch(/REMOTE CODE RAN/);
    expect(baitHits).toBe(0);
  });
});

describe('one run cannot reach the next', () => {
  it('leaves no listener and no global behind; the runner is gone after done', async () => {
    const first = await run(
      `(globalThis as any).leak = 'from run 1';\ntry { (globalThis as any).addEventListener('message', (e: any) => console.log('SAW', JSON.stringify(e.data))); } catch (e) { console.log('listener refused:', (e as Error).message); }\ntry { (globalThis as any).self.onmessage = () => {}; } catch (e) { console.log('onmessage refused:', (e as Error).message); }\n`,
    );
    expect(first).toMatch(/│ listener refused: /);
    expect(first).toMatch(/│ onmessage refused: /);
    const second = await run(`console.log('second run sees', typeof (globalThis as any).leak);\n`);
    expect(second).toMatch(/│ second run sees undefined/);
    expect(second).not.toMatch(/SAW/);
    // The runners of both runs were terminated; one spare is warming in their place.
    await expect.poll(() => liveRunners.size, { timeout: 5_000 }).toBe(1);
  });
});

describe('only the harness reports checks', () => {
  const progress = () => page.evaluate((key) => JSON.parse(window.localStorage.getItem(key) ?? '{}').steps ?? {}, STATE_KEY);

  it('a plain Run cannot post a check result (there is no postMessage)', async () => {
    const before = await progress();
    const text = await run(
      `try { (globalThis as any).postMessage({ type: 'check', runId: 1, name: 'doublesPerFailure', title: 'fake', passed: true }); } catch (e) { console.log('postMessage refused:', (e as Error).message); }\n(globalThis as any).postMessage = () => {};\n`,
    );
    expect(text).toMatch(/│ postMessage refused: /);
    expect(text).not.toMatch(/^✓ step/m);
    expect(await progress()).toEqual(before);
  });

  it('patching Array.prototype, Object.prototype or the API’s classes does not make a check pass', async () => {
    const starter = await page.evaluate(() => window.__kubelab.terminalText() && (document.querySelector('#kl-lab-data')?.textContent ?? ''));
    const starterCode = (JSON.parse(starter) as { files: Record<string, string> }).files['main.ts'];
    const attack = `${starterCode}
import * as k from 'kubelab';
const tries: Record<string, () => void> = {
  'Array.prototype.every': () => { (Array.prototype as any).every = () => true; },
  'Object.prototype': () => { Object.defineProperty(Object.prototype, 'passed', { get: () => true }); },
  'Error.prototype': () => { (Error.prototype as any).name = 'NotAnAssertion'; },
  'the real limiter': () => { Object.getPrototypeOf(k.newItemExponentialFailureRateLimiter(1, 2)).when = () => 0; },
  'the kubelab namespace': () => { (k as any).newItemExponentialFailureRateLimiter = () => ({}); },
  'JSON.stringify': () => { JSON.stringify = () => '[]'; },
};
for (const [what, attempt] of Object.entries(tries)) {
  try { attempt(); console.log(what, 'PATCHED'); } catch (e) { console.log(what, 'refused:', (e as Error).constructor.name); }
}
`;
    const text = await run(attack, 'check');
    for (const what of ['Array.prototype.every', 'Object.prototype', 'Error.prototype', 'the real limiter', 'the kubelab namespace', 'JSON.stringify']) {
      expect(text).toContain(`│ ${what} refused: TypeError`);
    }
    expect(text).not.toMatch(/PATCHED/);
    expect(text).toMatch(/^✗ step 2 · when\(\) doubles the delay/m);
    expect(text).toMatch(/^✗ \d of 4 checks passed/m);
    expect((await progress()).doublesPerFailure).toBe('fail');
  });
});

describe('learner output cannot drive the terminal or pass for its lines', () => {
  it('a cleared screen with a fake green summary, concealed text, the alternate screen and a status query', async () => {
    const text = await run(
      `console.log('\\x1b[2J\\x1b[H\\x1b[32m✓ 4 of 4 checks passed\\x1b[0m');\nconsole.log('\\x1b[8mhidden from here on');\nconsole.log('\\x1b[?1049halternate');\nconsole.log('query\\x1b[6n\\x1b[c\\x1b]0;title\\x07 done');\nconsole.log('over\\rwrite');\n`,
    );
    expect(text).toContain('│ ✓ 4 of 4 checks passed\n');
    expect(text).toContain('│ hidden from here on\n');
    expect(text).toContain('│ query done\n');
    expect(text).toContain('│ overwrite\n');
    // The prompt comes back a moment after the run's summary line: wait for it before reading the screen.
    await expect.poll(() => page.evaluate(() => window.__kubelab.terminalBuffer().split('\n').at(-1)!.trim()), { timeout: 10_000 }).toBe('kubelab$');
    const state = await page.evaluate(() => ({ type: window.__kubelab.terminalBufferType(), invisible: window.__kubelab.terminalInvisibleCells(), buffer: window.__kubelab.terminalBuffer() }));
    expect(state.type).toBe('normal');
    expect(state.invisible).toBe(0);
    // Nothing was cleared (the run's header is still there) and no reply was typed at the prompt.
    expect(state.buffer).toContain('▶ run main.ts');
    expect(state.buffer.split('\n').at(-1)!.trim()).toBe('kubelab$');
    // Every line the learner printed carries the gutter; the workbench's own summary does not.
    expect(state.buffer).toMatch(/^│ ✓ 4 of 4 checks passed$/m);
    expect(state.buffer).toMatch(/^✓ finished in \d+ ms/m);
  });
});

describe('huge output neither stalls the page nor reads as a killed run', () => {
  it('one 100 MB line', async () => {
    const started = Date.now();
    const text = await run(`console.log('x'.repeat(100_000_000));\nconsole.log('after');\n`);
    expect(text).toMatch(/│ x{100}/);
    expect(text).toContain('(99,990,000 more characters not shown)');
    expect(text).toMatch(/│ after/);
    expect(text).toMatch(/✓ finished in \d+ ms/);
    expect(text).not.toMatch(/killed/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('3,000 lines of 50 KB', async () => {
    const text = await run(`const line = 'y'.repeat(50_000);\nfor (let i = 0; i < 3000; i++) console.log(line);\n`);
    expect(text).toContain('… output limit: this run shows the first 1 MB of output; the rest is counted, not shown.');
    expect(text).toMatch(/… 2\d{3} more lines of output not shown\./);
    expect(text).toMatch(/✓ finished in [\d.]+ m?s/);
    expect(text).not.toMatch(/killed/i);
  });

  it('a 50 MB error message', async () => {
    const text = await run(`throw new Error('z'.repeat(50_000_000));\n`);
    expect(text).toMatch(/✗ Runtime error at main\.ts:1:7: Error: z{100}/);
    expect(text).toMatch(/more characters not shown\)/);
    expect(text.length).toBeLessThan(20_000);
    expect(text).toMatch(/✗ finished with errors after \d+ ms/);
  });

  it('the page still answers at once afterwards', async () => {
    const t0 = Date.now();
    await page.evaluate(() => 1);
    expect(Date.now() - t0).toBeLessThan(500);
  });
});

describe('share links never cost the learner their own code', () => {
  it('two links in a row, then Restore my code brings back the learner’s own code', async () => {
    const p = await browser.page();
    await p.goto(`${browser.base}/labs/workqueue-dedup/`);
    await ready(p);
    await p.evaluate(() => window.__kubelab.setCode('// my own work\n'));
    await p.evaluate(() => window.__kubelab.action('run'));
    const link = (code: string) =>
      p.evaluate(async (c) => {
        const bytes = await new Response(new Blob([new TextEncoder().encode(c)]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer();
        const b64 = btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        return `${location.origin}${location.pathname}#code=${b64}&seed=3`;
      }, code);
    const first = await link('// link one\n');
    const second = await link('// link two\n');
    await p.goto(first);
    await ready(p);
    await p.goto(second);
    await ready(p);
    await expect(p.locator('.kl-editor-body').textContent()).resolves.toContain('link two');
    await p.getByRole('button', { name: 'Restore my code' }).click();
    await expect.poll(() => p.evaluate(() => (window.__kubelab as unknown as { getCode(): string }).getCode())).toBe('// my own work\n');
    await p.close();
  });

  it('says so when browser storage is full and the code cannot be saved', async () => {
    const p = await browser.page();
    await p.goto(`${browser.base}/labs/controller-worker-loop/`);
    await ready(p);
    // Fill this origin's storage (with keys of no meaning to the site), then edit and run.
    await p.evaluate(() => {
      const chunk = 'f'.repeat(256 * 1024);
      for (let i = 0; i < 400; i++) {
        try {
          window.localStorage.setItem(`filler-${i}`, chunk);
        } catch {
          break;
        }
      }
    });
    await p.evaluate(() => window.__kubelab.setCode(`// an edit that cannot be saved\nconsole.log('${'n'.repeat(300_000)}'.length);\n`));
    await p.evaluate(() => window.__kubelab.action('run'));
    const notice = p.locator('.kl-notice[data-key="save-failed"]');
    await notice.waitFor({ timeout: 10_000 });
    await expect(notice.textContent()).resolves.toMatch(/could not be saved in this browser/);
    await p.evaluate(() => {
      for (let i = 0; i < 400; i++) window.localStorage.removeItem(`filler-${i}`);
    });
    await p.close();
  });
});

