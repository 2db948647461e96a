// The run controller without a page: one run at a time, the first output at once and the rest
// batched, markers / trace / checks collected, progress recorded only in a Check.
import { describe, expect, it } from 'vitest';
import type { LabClient } from '../../src/lab/client';
import type { RunnerMessage } from '../../src/lab/protocol';
import type { RenderedLine } from '../../src/lab/render';
import { createRunController, type RunState } from '../../src/lab/run-controller';

/** A client that plays `messages` (runId filled in) with the given delays, then resolves. */
function scriptedClient(script: Array<[number, Record<string, unknown>]>): LabClient & { cancelled: number } {
  const c = {
    cancelled: 0,
    async run(_req: unknown, onMessage: (m: RunnerMessage) => void) {
      let ok = true;
      for (const [delay, m] of script) {
        await new Promise((r) => setTimeout(r, delay));
        const msg = { runId: 1, ...m } as RunnerMessage;
        onMessage(msg);
        if (msg.type === 'done') ok = msg.ok;
      }
      return { ok, killed: false, durationMs: 5 };
    },
    cancel() {
      c.cancelled++;
    },
    async warm() {},
    dispose() {},
  };
  return c;
}

const req = (mode: 'run' | 'check') => ({ labId: 'lab', files: { 'main.ts': 'x\ny\n' }, entry: 'main.ts', seed: 1, mode });

describe('run controller', () => {
  it('prints the first output at once and batches what follows; collects markers and trace', async () => {
    const printed: Array<{ at: number; lines: RenderedLine[] }> = [];
    const t0 = performance.now();
    const states: RunState[] = [];
    const client = scriptedClient([
      [0, { type: 'output', stream: 'stdout', text: 'first\n' }],
      [5, { type: 'output', stream: 'stdout', text: 'second\n' }],
      [1, { type: 'output', stream: 'stdout', text: 'third\n' }],
      [1, { type: 'trace', events: [{ t: 0, seq: 0, component: 'q', type: 'workqueue.add' }] }],
      [1, { type: 'error', kind: 'runtime', message: 'Error: boom', location: { file: 'main.ts', line: 2, column: 1 } }],
      [1, { type: 'done', ok: false, durationMs: 3, events: 1 }],
    ]);
    const rc = createRunController({ client, print: (lines) => printed.push({ at: performance.now() - t0, lines }), onState: (s) => states.push(s), batchMs: 50 });
    const outcome = await rc.execute(req('run'));
    expect(printed[0].lines.map((l) => l.text)).toEqual(['first']);
    expect(printed[0].at).toBeLessThan(20);
    // second and third waited for the batch, and went out together (the error joins them: it flushes the batch).
    expect(printed[1].lines.map((l) => l.text).slice(0, 2)).toEqual(['second', 'third']);
    expect(printed).toHaveLength(3);
    expect(printed.flatMap((p) => p.lines.map((l) => l.text))).toEqual(['first', 'second', 'third', '✗ Runtime error at main.ts:2:1: Error: boom', '  2 | y', '    | ^', '✗ finished with errors after 3 ms']);
    expect(outcome?.markers).toEqual([{ file: 'main.ts', line: 2, column: 1, message: 'Error: boom' }]);
    expect(outcome?.trace).toHaveLength(1);
    expect(states).toEqual(['run', 'idle']);
  });

  it('runs one thing at a time', async () => {
    const client = scriptedClient([[30, { type: 'done', ok: true, durationMs: 1, events: 0 }]]);
    const rc = createRunController({ client, print: () => {} });
    const first = rc.execute(req('run'));
    expect(rc.state).toBe('run');
    await expect(rc.execute(req('check'))).resolves.toBeUndefined();
    rc.stop();
    expect(client.cancelled).toBe(1);
    await first;
    expect(rc.state).toBe('idle');
  });

  it('records check results only in a Check', async () => {
    const recorded: string[] = [];
    const script: Array<[number, Record<string, unknown>]> = [
      [0, { type: 'check', name: 'a', title: 'A', passed: true }],
      [0, { type: 'done', ok: true, durationMs: 1, events: 0 }],
    ];
    const recordCheck = (name: string) => {
      recorded.push(name);
      return true;
    };
    const asRun = await createRunController({ client: scriptedClient(script), print: () => {}, recordCheck }).execute(req('run'));
    expect(recorded).toEqual([]);
    expect(asRun?.completed).toBe(false);
    const asCheck = await createRunController({ client: scriptedClient(script), print: () => {}, recordCheck }).execute(req('check'));
    expect(recorded).toEqual(['a']);
    expect(asCheck?.completed).toBe(true);
  });
});
