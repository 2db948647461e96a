// The node runner (worker_threads + the same client as the browser) and the `npm run lab` CLI:
// the wall-time budget kills an infinite loop, a fresh worker serves the next run, and the CLI
// prints results and exits 0 only when every check passes.
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createNodeLabClient } from '../../src/lab/node/runner';
import { timeoutMessage } from '../../src/lab/client';
import type { RunnerMessage } from '../../src/lab/protocol';

const client = createNodeLabClient();
afterAll(() => client.dispose());

async function run(code: string, budgetMs: number) {
  const messages: RunnerMessage[] = [];
  const result = await client.run(
    { labId: 'none', files: { 'main.ts': code }, entry: 'main.ts', seed: 1, mode: 'run' },
    (m) => messages.push(m),
    { budgetMs },
  );
  return { result, messages };
}

describe('node runner', () => {
  it('ends a runaway loop with its location before the budget (the loop guard), in a locked-down worker', async () => {
    const spin = await run('console.log("spin");\nlet n = 0;\nwhile (true) { try { n++; } catch {} }\n', 1000);
    expect(spin.result).toMatchObject({ ok: false, killed: false });
    expect(spin.messages).toContainEqual(expect.objectContaining({ type: 'error', kind: 'runtime', message: 'LoopGuardError: the loop at main.ts:3 was still running after 0.8 s (an infinite loop?)', location: expect.objectContaining({ line: 3 }) }));
  }, 30_000);

  it('kills what the loop guard cannot see at the budget, and a second run works on a fresh worker', async () => {
    // Catastrophic backtracking: the engine loops, not the learner's code.
    const spin = await run('console.log("spin");\n/^(a+)+$/.test("a".repeat(40) + "b");\n', 400);
    expect(spin.result).toMatchObject({ ok: false, killed: true });
    expect(spin.result.durationMs).toBeGreaterThanOrEqual(390);
    expect(spin.result.durationMs).toBeLessThan(5000);
    expect(spin.messages).toContainEqual(expect.objectContaining({ type: 'output', text: 'spin\n' }));
    expect(spin.messages).toContainEqual(expect.objectContaining({ type: 'error', kind: 'timeout', message: timeoutMessage(400) }));
    expect(spin.messages.at(-1)).toMatchObject({ type: 'done', ok: false });

    const next = await run('console.log("alive " + 6 * 7);\n', 5000);
    expect(next.result).toMatchObject({ ok: true, killed: false });
    expect(next.messages).toContainEqual(expect.objectContaining({ type: 'output', text: 'alive 42\n' }));
  }, 30_000);

  it('gives every run a fresh realm: what one run leaves on its global is gone in the next', async () => {
    const code = '(globalThis as any).__runs = ((globalThis as any).__runs ?? 0) + 1;\nconsole.log((globalThis as any).__runs);\n';
    const text = (r: Awaited<ReturnType<typeof run>>) => r.messages.flatMap((m) => (m.type === 'output' ? [m.text] : [])).join('');
    expect(text(await run(code, 5000))).toBe('1\n');
    expect(text(await run(code, 5000))).toBe('1\n');
  }, 30_000);

  it('cancels a run on request', async () => {
    const pending = run('while (true) {}\n', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    client.cancel();
    const { result, messages } = await pending;
    expect(result).toMatchObject({ ok: false, killed: true });
    expect(messages.at(-1)).toMatchObject({ type: 'done', ok: false });
  }, 30_000);
});

describe('the sandbox, locked down in the worker thread', () => {
  const stdoutOf = (r: Awaited<ReturnType<typeof run>>) => r.messages.flatMap((m) => (m.type === 'output' && m.stream === 'stdout' ? [m.text] : [])).join('');
  const errorsOf = (r: Awaited<ReturnType<typeof run>>) => r.messages.flatMap((m) => (m.type === 'error' ? [m] : []));

  it('learner code sees only console (and kubelab through its import): no network, no worker globals, no process', async () => {
    const r = await run(
      `console.log(Object.keys(globalThis).join(','));\nfor (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'Worker', 'postMessage', 'process', 'require', 'importScripts', 'setTimeout'])\n  console.log(name, typeof (globalThis as any)[name]);\nconsole.log(Function('return typeof process')());\n`,
      5000,
    );
    expect(errorsOf(r)).toEqual([]);
    expect(stdoutOf(r).split('\n')).toEqual([
      'console',
      'fetch undefined',
      'XMLHttpRequest undefined',
      'WebSocket undefined',
      'EventSource undefined',
      'Worker undefined',
      'postMessage undefined',
      'process undefined',
      'require undefined',
      'importScripts undefined',
      'setTimeout undefined',
      'undefined',
      '',
    ]);
  }, 30_000);

  it('intrinsics, the kubelab API and its prototypes are frozen; the Function constructor does not escape', async () => {
    const r = await run(
      `import * as k from 'kubelab';\nconst tries: Array<[string, () => void]> = [\n  ['Array.prototype.push', () => { (Array.prototype as any).push = () => 0; }],\n  ['Object.prototype', () => { (Object.prototype as any).passed = true; }],\n  ['kubelab namespace', () => { (k as any).newQueue = () => 0; }],\n  ['FakeClock.prototype', () => { (k.FakeClock.prototype as any).now = () => 0; }],\n  ['function constructor', () => { (function () {}).constructor('return process')(); }],\n];\nfor (const [what, attempt] of tries) {\n  try { attempt(); console.log(what, 'CHANGED'); } catch (e) { console.log(what, 'refused:', (e as Error).constructor.name); }\n}\n`,
      5000,
    );
    expect(errorsOf(r)).toEqual([]);
    expect(stdoutOf(r)).toBe(
      ['Array.prototype.push refused: TypeError', 'Object.prototype refused: TypeError', 'kubelab namespace refused: TypeError', 'FakeClock.prototype refused: TypeError', 'function constructor refused: TypeError', ''].join('\n'),
    );
  }, 30_000);

  it('import() of anything but kubelab is refused before the code runs, a computed one when it runs', async () => {
    const literal = await run(`console.log('ran');\nconst m = await import('node:fs');\n`, 5000);
    expect(stdoutOf(literal)).toBe('');
    expect(errorsOf(literal)).toEqual([expect.objectContaining({ kind: 'import', message: "Cannot import 'node:fs': labs can import only 'kubelab'", location: { file: 'main.ts', line: 2, column: 24 } })]);
    const computed = await run(`const name = 'node:' + 'fs';\nconst m = await import(name);\n`, 5000);
    expect(errorsOf(computed)).toEqual([expect.objectContaining({ kind: 'runtime', message: "Error: Cannot import 'node:fs': labs can import only 'kubelab'", location: { file: 'main.ts', line: 2, column: 17 } })]);
  }, 30_000);

  it('Date and Math.random say how to get time and randomness in a lab', async () => {
    const r = await run(`const now = Date.now();\n`, 5000);
    expect(errorsOf(r)).toEqual([expect.objectContaining({ kind: 'runtime', message: expect.stringMatching(/^TypeError: Date\.now\(\) is not available in labs: every run is deterministic, so use the model clock/), location: { file: 'main.ts', line: 1, column: 18 } })]);
  }, 30_000);
});

const exec = promisify(execFile);

async function lab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['scripts/lab.mjs', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('npm run lab', () => {
  it('passes the solution of workqueue-backoff and exits 0', async () => {
    const r = await lab('workqueue-backoff', '--solution');
    expect(r.stdout).toMatch(/✓ step \d+ · when\(\) doubles the delay/);
    expect(r.stdout).toMatch(/✓ 4 of 4 checks passed/);
    expect(r.code).toBe(0);
  }, 30_000);

  it('fails the starter with expected, received and a hint, and exits 1', async () => {
    const r = await lab('workqueue-backoff');
    expect(r.stdout).toMatch(/✗ step \d+ · when\(\) doubles the delay/);
    expect(r.stdout).toMatch(/expected: \[ 10, 20, 40/);
    expect(r.stdout).toMatch(/received: \[ 10, 10, 10/);
    expect(r.stdout).toMatch(/hint: /);
    expect(r.stdout).toMatch(/0 of 4 checks passed/);
    expect(r.code).toBe(1);
  }, 30_000);

  it('refuses a budget past 10 minutes and an unreadable --file with one line each, and exits 2', async () => {
    const budget = await lab('workqueue-backoff', '--budget', '99999999999');
    expect(budget.stderr).toBe('--budget: the budget is at most 600000 ms (10 minutes), got 99999999999\n');
    expect(budget.code).toBe(2);
    const file = await lab('workqueue-backoff', '--file', '/nonexistent/main.ts');
    expect(file.stderr).toBe('--file: cannot read /nonexistent/main.ts: no such file\n');
    expect(file.code).toBe(2);
  }, 30_000);

  it('lists the labs for an unknown id and exits 2', async () => {
    const r = await lab('no-such-lab');
    expect(r.stderr).toMatch(/Unknown lab 'no-such-lab'\. Labs: .*workqueue-backoff/);
    expect(r.code).toBe(2);
  }, 30_000);

  it('kills an infinite loop at --budget and reports it with the file location of errors', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-cli-'));
    writeFileSync(join(dir, 'spin.ts'), 'console.log("spin");\n/^(a+)+$/.test("a".repeat(40) + "b");\n');
    const spin = await lab('workqueue-backoff', '--file', join(dir, 'spin.ts'), '--budget', '300');
    expect(spin.stdout).toMatch(/^│ spin$/m);
    expect(spin.stdout).toMatch(/Killed after 300 ms: the code did not finish \(an infinite loop\?\)/);
    expect(spin.code).toBe(1);
    writeFileSync(join(dir, 'loop.ts'), 'console.log("spin");\nwhile (true) {}\n');
    const loop = await lab('workqueue-backoff', '--file', join(dir, 'loop.ts'), '--budget', '300');
    expect(loop.stdout).toMatch(/✗ Runtime error at main\.ts:2:\d+: LoopGuardError: the loop at main\.ts:2 was still running after 0\.2 s \(an infinite loop\?\)/);
    expect(loop.code).toBe(1);
    writeFileSync(join(dir, 'bad.ts'), 'const a = 1;\nconst b = ;\n');
    const bad = await lab('workqueue-backoff', '--file', join(dir, 'bad.ts'), '--run');
    expect(bad.stdout).toMatch(/✗ Syntax error at main\.ts:2:11: SyntaxError: Unexpected token/);
    expect(bad.stdout).toMatch(/2 \| const b = ;\n\s+\|\s+\^/);
    expect(bad.code).toBe(1);
  }, 30_000);
});
