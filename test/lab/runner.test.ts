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
  it('kills an infinite loop at the budget, and a second run works on a fresh worker', async () => {
    const spin = await run('console.log("spin");\nwhile (true) {}\n', 400);
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

  it('reuses the worker between runs that finish', async () => {
    const a = await run('(globalThis as any).__runs = ((globalThis as any).__runs ?? 0) + 1;\nconsole.log((globalThis as any).__runs);\n', 5000);
    const b = await run('(globalThis as any).__runs = ((globalThis as any).__runs ?? 0) + 1;\nconsole.log((globalThis as any).__runs);\n', 5000);
    const text = (r: typeof a) => r.messages.flatMap((m) => (m.type === 'output' ? [m.text] : [])).join('');
    expect(Number(text(b))).toBe(Number(text(a)) + 1);
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
    expect(r.stdout).toMatch(/✓ when\(\) doubles the delay/);
    expect(r.stdout).toMatch(/All 4 checks passed/);
    expect(r.code).toBe(0);
  }, 30_000);

  it('fails the starter with expected, received and a hint, and exits 1', async () => {
    const r = await lab('workqueue-backoff');
    expect(r.stdout).toMatch(/✗ when\(\) doubles the delay/);
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
    writeFileSync(join(dir, 'spin.ts'), 'console.log("spin");\nwhile (true) {}\n');
    const spin = await lab('workqueue-backoff', '--file', join(dir, 'spin.ts'), '--budget', '300');
    expect(spin.stdout).toMatch(/spin\n/);
    expect(spin.stdout).toMatch(/Killed after 300 ms: the code did not finish \(an infinite loop\?\)/);
    expect(spin.code).toBe(1);
    writeFileSync(join(dir, 'bad.ts'), 'const a = 1;\nconst b = ;\n');
    const bad = await lab('workqueue-backoff', '--file', join(dir, 'bad.ts'), '--run');
    expect(bad.stdout).toMatch(/Syntax error main\.ts:2:11 SyntaxError: Unexpected token/);
    expect(bad.stdout).toMatch(/2 \| const b = ;\n\s+\|\s+\^/);
    expect(bad.code).toBe(1);
  }, 30_000);
});
