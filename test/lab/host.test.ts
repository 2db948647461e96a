// The host (createSimHost) on good and bad input, in node, exactly as the workers use it:
// output and trace streaming, top-level await, and every error path with its location.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/lab/checks';
import type { LabChecks } from '../../src/lab/host';
import { runInHost } from './run-host';

const fakeLab = (checks: Record<string, unknown>): (() => Promise<LabChecks>) => async () => ({
  checks,
  steps: Object.keys(checks).map((name) => ({ check: name })),
});

describe('a good run', () => {
  it('prints console output, streams the trace, supports top-level await, and ends with done', async () => {
    const out = await runInHost(
      `import { newQueue, settle } from 'kubelab';
const q = newQueue<string>({ name: 'q' });
q.add('a'); q.add('b'); q.add('a');
await settle();
console.log('len', q.len());
console.info({ items: ['a', 'b'], sizes: new Map([['a', 1]]), seen: new Set(['x']) });
console.warn('careful: %s is %d', 'depth', 2);
const { item } = await q.get();
console.log(\`got \${item}\`);
`,
    );
    expect(out.errors).toEqual([]);
    expect(out.stdout).toBe("len 2\n{ items: [ 'a', 'b' ], sizes: Map(1) { 'a' => 1 }, seen: Set(1) { 'x' } }\ngot a\n");
    const stderr = out.messages.filter((m) => m.type === 'output' && m.stream === 'stderr');
    expect(stderr).toEqual([expect.objectContaining({ text: 'careful: depth is 2\n' })]);
    const traceTypes = out.messages.flatMap((m) => (m.type === 'trace' ? m.events.map((e) => `${e.type}:${e.item ?? ''}`) : []));
    expect(traceTypes.filter((t) => !t.startsWith('workqueue.metric'))).toEqual([
      'workqueue.new:',
      'workqueue.add:a',
      'workqueue.add:b',
      'workqueue.add:a',
      'workqueue.get:a',
    ]);
    expect(out.done).toMatchObject({ type: 'done', ok: true, events: out.events });
  });

  it("prints a model's klog lines to stderr, stamped with virtual time", async () => {
    const out = await runInHost(
      `import { newDeltaFIFO } from 'kubelab';
const known = { listKeys: () => ['default/ghost'], getByKey: (_key: string) => undefined };
const fifo = newDeltaFIFO({ knownObjects: known });
fifo.resync();
console.log('queued', fifo.listKeys().length);
`,
    );
    expect(out.errors).toEqual([]);
    expect(out.stdout).toBe('queued 0\n');
    const stderr = out.messages.flatMap((m) => (m.type === 'output' && m.stream === 'stderr' ? [m.text] : []));
    // client-go v0.34.0 logs it structured: klog.Info-style message, then key=value.
    expect(stderr).toEqual(['I0101 00:00:00.000000 delta_fifo.go] "Key does not exist in known objects store, unable to queue object for sync" key="default/ghost"\n']);
  });

  it('prints V(n) log lines only up to the verbosity, 2 unless the code raises it', async () => {
    const code = (v: string) => `import { FakeClock, newFakeControllerSource, newReflector, newDeltaFIFO, rngFromSeed, runUntilIdle, setLogVerbosity } from 'kubelab';
${v}
const clock = new FakeClock();
const source = newFakeControllerSource({ clock });
const r = newReflector({ listerWatcher: source, store: newDeltaFIFO(), clock, rng: rngFromSeed(1) });
const done = r.run();
await runUntilIdle(clock, { forMs: 10 });
r.stop();
await runUntilIdle(clock, { forMs: 10 });
await done;
`;
    const stderrOf = (out: Awaited<ReturnType<typeof runInHost>>) => out.messages.flatMap((m) => (m.type === 'output' && m.stream === 'stderr' ? [m.text] : [])).join('');
    // At -v=2 (the default) only the V(2) line shows; V(3) "Starting reflector" needs -v=3.
    const populated = 'I0101 00:00:00.000000 reflector.go] "Caches populated" type="<unspecified>" reflector="reflector"\n';
    const quiet = await runInHost(code(''));
    expect(quiet.errors).toEqual([]);
    expect(stderrOf(quiet)).toBe(populated);
    const loud = await runInHost(code('setLogVerbosity(3);'));
    expect(stderrOf(loud)).toContain('reflector.go] "Starting reflector"');
    expect(stderrOf(loud)).toContain(populated);
    // The next run starts at the default again.
    expect(stderrOf(await runInHost(code('')))).toBe(populated);
  });

  it('flushes trace events before the output that follows them', async () => {
    const out = await runInHost(`import { newQueue } from 'kubelab';\nconst q = newQueue();\nq.add('x');\nconsole.log('after add');\n`);
    const kinds = out.messages.map((m) => m.type);
    expect(kinds.indexOf('trace')).toBeLessThan(kinds.indexOf('output'));
  });

  it("accepts a dynamic import('kubelab') and type-only imports", async () => {
    const out = await runInHost(
      `import type { Queue } from 'kubelab';\nconst api = await import('kubelab');\nconst q: Queue<string> = api.newQueue();\nq.add('z');\nconsole.log(q.len());\n`,
    );
    expect(out.errors).toEqual([]);
    expect(out.stdout).toBe('1\n');
  });

  it('sends at most maxOutputLines lines per stream, counts the rest and says so once', async () => {
    const out = await runInHost(
      `for (let i = 1; i <= 25; i++) console.log('line ' + i);\nconsole.log('a\\nb\\nc');\nconsole.error('oops 1');\nconsole.error('oops 2\\noops 3');\n`,
      { host: { maxOutputLines: 10 } },
    );
    expect(out.errors).toEqual([]);
    expect(out.stdout.split('\n').slice(0, -1)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i + 1}`));
    const stderr = out.messages.flatMap((m) => (m.type === 'output' && m.stream === 'stderr' ? [m.text] : []));
    expect(stderr.join('')).toBe('oops 1\noops 2\noops 3\n');
    const info = out.messages.flatMap((m) => (m.type === 'output' && m.stream === 'info' ? [m.text] : []));
    // 25 + 3 stdout lines, 10 sent; stderr stays under the cap and is not reported.
    expect(info).toEqual([
      '… output limit: this run shows the first 10 lines of output; the rest is counted, not shown.\n',
      '… 18 more lines of output not shown.\n',
    ]);
    expect(out.done.ok).toBe(true);
  });

  it('cuts a very long line and says how many characters were cut', async () => {
    const out = await runInHost(`console.log('x'.repeat(20_000_000));\nconsole.log('after');\n`);
    expect(out.errors).toEqual([]);
    const [first, second] = out.stdout.split('\n');
    expect(first).toBe('x'.repeat(10_000) + ' … (19,990,000 more characters not shown)');
    expect(second).toBe('after');
  });

  it('stops at 1 MB of output per run and counts the rest', async () => {
    const out = await runInHost(`const line = 'y'.repeat(50_000);\nfor (let i = 0; i < 3000; i++) console.log(line);\n`);
    expect(out.errors).toEqual([]);
    const sent = out.messages.reduce((n, m) => n + (m.type === 'output' && m.stream === 'stdout' ? m.text.length : 0), 0);
    expect(sent).toBeLessThanOrEqual(1_000_000);
    expect(sent).toBeGreaterThan(900_000);
    const info = out.messages.flatMap((m) => (m.type === 'output' && m.stream === 'info' ? [m.text] : []));
    expect(info).toEqual([
      '… output limit: this run shows the first 1 MB of output; the rest is counted, not shown.\n',
      '… 2901 more lines of output not shown.\n',
      '… 145.1 MB of output not shown in all.\n',
    ]);
  });

  it('caps a huge error message (and its stack) with a note', async () => {
    const out = await runInHost(`throw new Error('z'.repeat(50_000_000));\n`);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0].message.length).toBeLessThan(8_100);
    expect(out.errors[0].message).toMatch(/^Error: z+ … \(49,992,007 more characters not shown\)$/);
    expect(out.errors[0].location).toEqual({ file: 'main.ts', line: 1, column: 7 });
    expect(out.errors[0].stack!.length).toBeLessThan(8_100);
  });

  it('cuts a multi-line chunk at the cap', async () => {
    const out = await runInHost(`console.log('1\\n2\\n3\\n4');\nconsole.log('5');\n`, { host: { maxOutputLines: 3 } });
    expect(out.stdout).toBe('1\n2\n3\n');
    const info = out.messages.flatMap((m) => (m.type === 'output' && m.stream === 'info' ? [m.text] : []));
    expect(info.at(-1)).toBe('… 2 more lines of output not shown.\n');
  });

  it('runs the same code again as a fresh module', async () => {
    const code = `console.log('hello');\n`;
    expect((await runInHost(code)).stdout).toBe('hello\n');
    expect((await runInHost(code)).stdout).toBe('hello\n');
  });

  it('ignores import-like text in strings, comments and templates', async () => {
    const out = await runInHost(
      `// import fs from 'fs'\nconst s = "import x from 'os'";\nconst t = \`export * from 'path' \${s.length}\`;\nconst r = /import('x')/;\nconsole.log(s.length > 0, t.length > 0, r.test("import('x')"));\n`,
    );
    expect(out.errors).toEqual([]);
    expect(out.stdout).toBe('true true false\n');
  });
});

describe('bad input', () => {
  it('reports a syntax error with file, line and column, and runs nothing', async () => {
    const out = await runInHost(`console.log('never');\nconst a: number = 1;\nconst b = ;\n`);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ kind: 'syntax', location: { file: 'main.ts', line: 3, column: 11 } });
    expect(out.errors[0].message).toMatch(/SyntaxError: Unexpected token/);
    expect(out.stdout).toBe('');
    expect(out.done.ok).toBe(false);
  });

  it('reports an error the JavaScript engine finds at compile time as a syntax error', async () => {
    const out = await runInHost(`let x = 1;\nlet x = 2;\n`);
    expect(out.errors).toEqual([expect.objectContaining({ kind: 'syntax' })]);
    expect(out.errors[0].message).toMatch(/already been declared/);
  });

  it('maps a runtime exception to the learner line, with runtime frames removed', async () => {
    const out = await runInHost(
      `import { newQueue } from 'kubelab';\n\ninterface Pod { name: string }\nfunction reconcile(pod: Pod): void {\n  throw new Error(\`cannot sync \${pod.name}\`);\n}\nconst q = newQueue<Pod>();\nconsole.log('before');\nreconcile({ name: 'web' });\n`,
    );
    expect(out.stdout).toBe('before\n');
    expect(out.errors).toHaveLength(1);
    const e = out.errors[0];
    expect(e).toMatchObject({ kind: 'runtime', message: 'Error: cannot sync web', location: { file: 'main.ts', line: 5, column: 9 } });
    expect(e.stack!.split('\n')).toEqual(['Error: cannot sync web', '    at reconcile (main.ts:5:9)', '    at main.ts:9:1']);
  });

  it('maps columns back past stripped type annotations', async () => {
    const out = await runInHost(`const n: Map<string, number> = new Map(); const v: number = (n as any).get('x').toFixed();\n`);
    expect(out.errors[0]).toMatchObject({ kind: 'runtime', location: { line: 1, column: 80 } });
    expect(out.errors[0].message).toMatch(/TypeError/);
  });

  it('reports an exception from the API at the learner call site', async () => {
    const out = await runInHost(`import { FakeClock } from 'kubelab';\nconst c = new FakeClock();\nc.step(-5);\n`);
    expect(out.errors[0]).toMatchObject({ kind: 'runtime', location: { file: 'main.ts', line: 3 } });
    expect(out.errors[0].message).toMatch(/RangeError: step: ms must not be negative, got -5/);
  });

  it('reports a thrown non-Error value', async () => {
    const out = await runInHost(`throw 'oops';\n`);
    expect(out.errors[0]).toMatchObject({ kind: 'runtime' });
    expect(out.errors[0].message).toMatch(/Uncaught 'oops'/);
  });

  it('reports an unhandled rejection with its location, and keeps running', async () => {
    const out = await runInHost(
      `async function fetchPod(): Promise<string> {\n  throw new Error('pod not found');\n}\nfetchPod();\nconsole.log('still running');\n`,
    );
    expect(out.stdout).toBe('still running\n');
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ kind: 'rejection', location: { file: 'main.ts', line: 2, column: 9 } });
    expect(out.errors[0].message).toBe('Error: pod not found');
    expect(out.done.ok).toBe(false);
  });

  it('refuses imports other than kubelab, with their location', async () => {
    const out = await runInHost(`import { newQueue } from 'kubelab';\nimport { readFileSync } from 'fs';\nconsole.log(readFileSync);\n`);
    expect(out.errors).toEqual([
      expect.objectContaining({
        kind: 'import',
        message: "Cannot import 'fs': labs can import only 'kubelab'",
        location: { file: 'main.ts', line: 2, column: 30 },
      }),
    ]);
    expect(out.stdout).toBe('');
    const dynamic = await runInHost(`const os = await import('node:os');\n`);
    expect(dynamic.errors[0]).toMatchObject({ kind: 'import', message: "Cannot import 'node:os': labs can import only 'kubelab'", location: { line: 1, column: 25 } });
  });

  it('reports code that waits on a promise nothing settles', async () => {
    const out = await runInHost(`import { newQueue } from 'kubelab';\nconst q = newQueue();\nawait q.get();\nconsole.log('unreachable');\n`, {
      host: { stallMs: 100 },
    });
    expect(out.errors).toEqual([expect.objectContaining({ kind: 'runtime' })]);
    expect(out.errors[0].message).toMatch(/stopped making progress.*await queue\.get\(\)/s);
  });

  it('reports a missing entry file as an internal error', async () => {
    const out = await runInHost('', { entry: 'other.ts' });
    expect(out.errors[0]).toMatchObject({ kind: 'internal' });
  });
});

describe('checks', () => {
  it('report expected vs received, the hint and the step', async () => {
    const lab = fakeLab({
      counts: check(
        'count is 3',
        ({ learner, expect }) => {
          expect(learner.count, 'the exported count').to.equal(3);
        },
        { hint: 'Count again.' },
      ),
      ok: check('always passes', () => {}),
    });
    const out = await runInHost(`export const count = 2;\n`, { mode: 'check', host: { loadLab: lab } });
    expect(out.checks).toEqual([
      expect.objectContaining({
        name: 'counts',
        title: 'count is 3',
        step: 0,
        passed: false,
        message: 'the exported count',
        expected: '3',
        received: '2',
        hint: 'Count again.',
      }),
      expect.objectContaining({ name: 'ok', step: 1, passed: true, hint: undefined }),
    ]);
    expect(out.done.ok).toBe(false);
  });

  it('report a check that throws something other than an assertion as kind check', async () => {
    const lab = fakeLab({
      broken: check('calls the learner', ({ learner }) => {
        (learner.reconcile as (k: string) => void)('default/web');
      }),
    });
    const out = await runInHost(`export function reconcile(key: string) {\n  const parts = key.split('/');\n  return (parts as any).missing.length;\n}\n`, {
      mode: 'check',
      host: { loadLab: lab },
    });
    expect(out.checks[0]).toMatchObject({ name: 'broken', passed: false });
    expect(out.checks[0].message).toMatch(/^Threw TypeError/);
    expect(out.errors).toEqual([expect.objectContaining({ kind: 'check', location: { file: 'main.ts', line: 3, column: 33 } })]);
    expect(out.errors[0].message).toMatch(/Check "calls the learner" stopped on an exception: TypeError/);
  });

  it('hide the learner output printed during checks and give each check a fresh active trace', async () => {
    const lab = fakeLab({
      traced: check('records in its own trace', async ({ learner, trace, expect }) => {
        (learner.work as () => void)();
        expect(trace.ofType('workqueue.add')).to.have.length(1);
      }),
    });
    const out = await runInHost(
      `import { newQueue } from 'kubelab';\nexport function work() { console.log('noise'); newQueue().add('k'); }\nconsole.log('top level');\n`,
      { mode: 'check', host: { loadLab: lab } },
    );
    expect(out.checks[0]).toMatchObject({ passed: true });
    expect(out.stdout).toBe('top level\n');
    expect(out.messages).toContainEqual(expect.objectContaining({ type: 'output', stream: 'info', text: expect.stringMatching(/1 line .* hidden/) }));
  });

  it('are all reported as not run when the code does not load', async () => {
    const out = await runInHost(`const = 1;\n`, { mode: 'check', labId: 'workqueue-backoff' });
    expect(out.errors[0].kind).toBe('syntax');
    expect(out.checks.length).toBeGreaterThan(0);
    for (const c of out.checks) expect(c).toMatchObject({ passed: false, message: expect.stringMatching(/^Not run/) });
  });

  it('of an unknown lab are an internal error', async () => {
    const out = await runInHost(`export {};\n`, { mode: 'check', labId: 'no-such-lab' });
    expect(out.errors).toEqual([expect.objectContaining({ kind: 'internal', message: expect.stringMatching(/No lab named 'no-such-lab'/) })]);
  });
});
