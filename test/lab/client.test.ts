// The client's runner lifecycle with scripted fake runners (no real worker): a runner per run,
// a spare warming, a dead runner replaced, the budget and its grace period, and which messages
// the client accepts.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET_MS, MAX_BUDGET_MS, createLabClient, parseBudget, type LabClient, type RunnerPort } from '../../src/lab/client';
import type { RunnerMessage, RunRequest } from '../../src/lab/protocol';

/** What a fake runner does with a request: the messages it posts (runId filled in) and when. */
type Script = (req: RunRequest) => Array<{ afterMs: number; message: Record<string, unknown> }>;

class FakeRunner implements RunnerPort {
  static all: FakeRunner[] = [];
  readonly id = FakeRunner.all.length;
  terminated = false;
  requests: RunRequest[] = [];
  private messageFns: Array<(m: RunnerMessage) => void> = [];
  private errorFns: Array<(message: string) => void> = [];

  constructor(private readonly script: Script) {
    FakeRunner.all.push(this);
    setTimeout(() => this.emit({ type: 'ready' }), 5);
  }
  postMessage(m: RunRequest) {
    if (this.terminated) return;
    this.requests.push(m);
    for (const { afterMs, message } of this.script(m)) setTimeout(() => this.emit({ runId: m.runId, ...message } as RunnerMessage), afterMs);
  }
  terminate() {
    this.terminated = true;
  }
  onMessage(fn: (m: RunnerMessage) => void) {
    this.messageFns.push(fn);
  }
  onError(fn: (message: string) => void) {
    this.errorFns.push(fn);
  }
  emit(m: RunnerMessage) {
    if (!this.terminated) for (const fn of this.messageFns) fn(m);
  }
  die(message = 'the worker thread exited (code 1)') {
    for (const fn of this.errorFns) fn(message);
  }
}

const says = (text: string, doneAfterMs = 10): Script => () => [
  { afterMs: 1, message: { type: 'output', stream: 'stdout', text } },
  { afterMs: doneAfterMs, message: { type: 'done', ok: true, durationMs: 1, events: 0 } },
];

let client: LabClient | undefined;
afterEach(() => {
  client?.dispose();
  client = undefined;
  FakeRunner.all = [];
});

async function run(c: LabClient, mode: 'run' | 'check' = 'run', budgetMs = 1000) {
  const messages: RunnerMessage[] = [];
  const result = await c.run({ labId: 'lab', files: { 'main.ts': '' }, entry: 'main.ts', seed: 1, mode }, (m) => messages.push(m), { budgetMs });
  return { result, messages };
}

describe('runner lifecycle', () => {
  it('replaces a runner that died between runs instead of waiting out the budget on it', async () => {
    client = createLabClient(() => new FakeRunner(says('hello\n')));
    await client.warm();
    FakeRunner.all[0].die();
    const started = performance.now();
    const { result, messages } = await run(client, 'run', 2000);
    expect(result).toMatchObject({ ok: true, killed: false });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(messages).toContainEqual(expect.objectContaining({ type: 'output', text: 'hello\n' }));
    expect(FakeRunner.all[0].requests).toEqual([]);
  });

  it('gives every run a runner of its own and terminates it after done; a spare is always warming', async () => {
    client = createLabClient(() => new FakeRunner(says('x\n')));
    await client.warm();
    await run(client);
    await run(client);
    const used = FakeRunner.all.filter((r) => r.requests.length > 0);
    expect(used.map((r) => r.requests.length)).toEqual([1, 1]);
    expect(used.every((r) => r.terminated)).toBe(true);
    const spares = FakeRunner.all.filter((r) => r.requests.length === 0);
    expect(spares.length).toBe(1);
    expect(spares[0].terminated).toBe(false);
  });

  it('reports a runner that dies during a run and serves the next run with a fresh one', async () => {
    let n = 0;
    client = createLabClient(() => new FakeRunner(n++ === 0 ? () => [] : says('second\n')));
    const pending = run(client);
    await new Promise((r) => setTimeout(r, 30));
    FakeRunner.all[0].die('out of memory');
    const first = await pending;
    expect(first.result).toMatchObject({ ok: false, killed: true });
    expect(first.messages).toContainEqual(expect.objectContaining({ type: 'error', kind: 'internal', message: 'The runner failed: out of memory' }));
    const second = await run(client);
    expect(second.result.ok).toBe(true);
  });

  it('does not report a run as killed when done arrives within the grace period after the budget', async () => {
    client = createLabClient(() => new FakeRunner(says('late\n', 120)));
    const { result } = await run(client, 'run', 100);
    expect(result).toMatchObject({ ok: true, killed: false });
  });

  it('kills a run that has not finished after the budget and its grace period', async () => {
    client = createLabClient(() => new FakeRunner(() => []));
    const { result, messages } = await run(client, 'run', 50);
    expect(result).toMatchObject({ ok: false, killed: true });
    expect(messages).toContainEqual(expect.objectContaining({ type: 'error', kind: 'timeout' }));
    expect(FakeRunner.all[0].terminated).toBe(true);
  });
});

describe('what the client accepts', () => {
  const fakeCheck = { type: 'check', name: 'c', title: 'A check', passed: true };

  it('refuses check results during a plain Run, with a message', async () => {
    client = createLabClient(() => new FakeRunner(() => [
      { afterMs: 1, message: fakeCheck },
      { afterMs: 2, message: fakeCheck },
      { afterMs: 5, message: { type: 'done', ok: true, durationMs: 1, events: 0 } },
    ]));
    const { messages } = await run(client, 'run');
    expect(messages.filter((m) => m.type === 'check')).toEqual([]);
    expect(messages.filter((m) => m.type === 'error')).toEqual([
      expect.objectContaining({ kind: 'internal', message: expect.stringMatching(/^Refused a check result during a plain Run/) }),
    ]);
  });

  it('accepts check results during a Check', async () => {
    client = createLabClient(() => new FakeRunner(() => [
      { afterMs: 1, message: fakeCheck },
      { afterMs: 5, message: { type: 'done', ok: true, durationMs: 1, events: 0 } },
    ]));
    const { messages } = await run(client, 'check');
    expect(messages.filter((m) => m.type === 'check')).toHaveLength(1);
  });

  it('ignores messages for another run id and messages from runners that are not running one', async () => {
    client = createLabClient(() => new FakeRunner((req) => [
      { afterMs: 1, message: { type: 'output', stream: 'stdout', text: 'stale\n', runId: req.runId + 100 } },
      { afterMs: 3, message: { type: 'done', ok: true, durationMs: 1, events: 0 } },
    ]));
    await client.warm();
    const spare = FakeRunner.all[0];
    const pending = run(client);
    // The spare that was just started has no run: whatever it posts is dropped.
    await new Promise((r) => setTimeout(r, 1));
    FakeRunner.all.at(-1)!.emit({ type: 'output', runId: 1, stream: 'stdout', text: 'from the spare\n' });
    const { messages } = await pending;
    expect(spare.requests).toHaveLength(1);
    expect(messages.filter((m) => m.type === 'output')).toEqual([]);
  });
});

describe('parseBudget', () => {
  it('takes whole milliseconds from 1 to MAX_BUDGET_MS and explains anything else', () => {
    expect(parseBudget(DEFAULT_BUDGET_MS)).toBe(5000);
    expect(parseBudget('300')).toBe(300);
    expect(parseBudget(MAX_BUDGET_MS)).toBe(MAX_BUDGET_MS);
    expect(parseBudget('99999999999')).toBe(`the budget is at most ${MAX_BUDGET_MS} ms (10 minutes), got 99999999999`);
    expect(parseBudget('0')).toMatch(/whole number of milliseconds from 1/);
    expect(parseBudget('1.5')).toMatch(/whole number/);
    expect(parseBudget(Number.NaN)).toMatch(/whole number/);
  });

  it('the client refuses an out-of-range budget instead of killing every run at once', async () => {
    client = createLabClient(() => new FakeRunner(says('x\n')));
    await expect(run(client, 'run', 99_999_999_999)).rejects.toThrow(/at most 600000 ms/);
  });
});
