// The browser half of the runtime in a real Chromium: Vite bundles the LabClient and its module
// Web Worker (with the kubelab API and the labs' checks), and the page runs code through them —
// output, mapped stack lines, unhandled rejections, checks, and the budget killing an infinite
// loop with a fresh worker afterwards. Skipped when no Chromium is installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { RunnerMessage } from '../../src/lab/protocol';
import { readLab } from '../../src/lab/node/labs';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
const ROOT = resolve(__dirname, '../..');

let dir = '';
let server: Server;
let context: BrowserContext;
let page: Page;

type Result = { result: { ok: boolean; killed: boolean; durationMs: number }; messages: RunnerMessage[] };
const run = (code: string, mode: 'run' | 'check' = 'run', budgetMs = 5000): Promise<Result> =>
  page.evaluate(([c, m, b]) => (window as unknown as { __lab: { run(...a: unknown[]): Promise<Result> } }).__lab.run(c, m, b), [code, mode, budgetMs] as const);
const stdout = (r: Result) => r.messages.flatMap((m) => (m.type === 'output' && m.stream === 'stdout' ? [m.text] : [])).join('');

describe.skipIf(!CHROMIUM)('browser worker', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubelab-browser-'));
    const { build } = await import('vite');
    await build({
      root: ROOT,
      logLevel: 'error',
      configFile: false,
      worker: { format: 'es' },
      build: { outDir: dir, emptyOutDir: true, minify: false, lib: { entry: join(ROOT, 'test/lab/fixtures/browser-entry.ts'), formats: ['es'], fileName: 'entry' } },
    });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/entry.js"></script>');
    server = createServer((req, res) => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const path = join(dir, pathname === '/' ? 'index.html' : pathname);
      if (!path.startsWith(dir) || !existsSync(path) || !statSync(path).isFile()) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': extname(path) === '.js' ? 'text/javascript' : 'text/html' });
      res.end(readFileSync(path));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { __lab?: unknown }).__lab !== undefined, null, { timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs TypeScript against the kubelab API and streams output and trace', async () => {
    const r = await run(`import { newQueue, settle } from 'kubelab';\nconst q = newQueue<string>();\nq.add('a'); q.add('a');\nawait settle();\nconsole.log('len', q.len(), new Set(['x']));\n`);
    expect(r.result.ok).toBe(true);
    expect(stdout(r)).toBe("len 1 Set(1) { 'x' }\n");
    expect(r.messages.some((m) => m.type === 'trace' && m.events.some((e) => e.type === 'workqueue.add' && e.result === 'deduped'))).toBe(true);
  }, 30_000);

  it('maps a runtime error to main.ts lines and reports unhandled rejections', async () => {
    const thrown = await run(`function f(x: number): number {\n  throw new Error('bad ' + x);\n}\nf(1);\n`);
    expect(thrown.messages).toContainEqual(expect.objectContaining({ type: 'error', kind: 'runtime', message: 'Error: bad 1', location: { file: 'main.ts', line: 2, column: 9 } }));
    const rejected = await run(`async function g() { throw new Error('later'); }\ng();\nconsole.log('on');\n`);
    expect(rejected.messages).toContainEqual(expect.objectContaining({ type: 'error', kind: 'rejection', location: expect.objectContaining({ file: 'main.ts', line: 1 }) }));
    expect(stdout(rejected)).toBe('on\n');
  }, 30_000);

  it("reports a syntax error at line:col and runs a lab's checks", async () => {
    const syntax = await run('const a = 1;\nconst b = ;\n');
    expect(syntax.messages).toContainEqual(expect.objectContaining({ type: 'error', kind: 'syntax', location: { file: 'main.ts', line: 2, column: 11 } }));
    const checked = await run(readLab('workqueue-backoff').solution, 'check');
    const checks = checked.messages.filter((m) => m.type === 'check');
    expect(checks.length).toBe(4);
    expect(checks.every((m) => m.type === 'check' && m.passed)).toBe(true);
    expect(checked.result.ok).toBe(true);
  }, 30_000);

  it('ends a runaway loop with its location before the budget (the loop guard)', async () => {
    const spin = await run('console.log("spin");\nwhile (true) {}\n', 'run', 1000);
    expect(spin.result).toMatchObject({ ok: false, killed: false });
    expect(spin.messages).toContainEqual(expect.objectContaining({ type: 'error', kind: 'runtime', message: 'LoopGuardError: the loop at main.ts:2 was still running after 0.8 s (an infinite loop?)', location: expect.objectContaining({ line: 2 }) }));
  }, 30_000);

  it('kills what the loop guard cannot see at the budget and runs the next code on a fresh worker', async () => {
    // Catastrophic backtracking: the engine loops, not the learner's code.
    const spin = await run('console.log("spin");\n/^(a+)+$/.test("a".repeat(40) + "b");\n', 'run', 1000);
    expect(spin.result).toMatchObject({ ok: false, killed: true });
    expect(stdout(spin)).toBe('spin\n');
    expect(spin.messages).toContainEqual(
      expect.objectContaining({ type: 'error', kind: 'timeout', message: 'Killed after 1000 ms: the code did not finish (an infinite loop?). The next Run starts a fresh worker.' }),
    );
    const next = await run('console.log("alive " + (6 * 7));\n');
    expect(stdout(next)).toBe('alive 42\n');
  }, 30_000);
});
