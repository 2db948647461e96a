// Runs code through the same host the browser worker and the CLI use (node platform), and
// collects the messages. Shared by the lab tests.
import { createSimHost, type SimHostOptions } from '../../src/lab/host';
import { loadLabChecks } from '../../src/lab/node/labs';
import { nodePlatform } from '../../src/lab/node/platform';
import type { RunnerMessage, RunRequest } from '../../src/lab/protocol';

let runId = 0;

export interface RunOutcome {
  messages: RunnerMessage[];
  done: Extract<RunnerMessage, { type: 'done' }>;
  errors: Array<Extract<RunnerMessage, { type: 'error' }>>;
  checks: Array<Extract<RunnerMessage, { type: 'check' }>>;
  stdout: string;
  events: number;
}

export async function runInHost(
  code: string,
  opts: Partial<Omit<RunRequest, 'type' | 'runId' | 'files'>> & { host?: Partial<SimHostOptions>; files?: Record<string, string> } = {},
): Promise<RunOutcome> {
  const host = createSimHost({ platform: nodePlatform(), loadLab: (id) => loadLabChecks(id), ...opts.host });
  const messages: RunnerMessage[] = [];
  await host.run(
    {
      type: 'run',
      runId: ++runId,
      labId: opts.labId ?? 'none',
      files: { ...opts.files, 'main.ts': code },
      entry: opts.entry ?? 'main.ts',
      seed: opts.seed ?? 1,
      mode: opts.mode ?? 'run',
      ...(opts.cluster ? { cluster: opts.cluster } : {}),
      ...(opts.budgetMs ? { budgetMs: opts.budgetMs } : {}),
    },
    (m) => messages.push(m),
  );
  const done = messages.at(-1);
  if (done?.type !== 'done') throw new Error(`the run did not end with done: ${JSON.stringify(done)}`);
  return {
    messages,
    done,
    errors: messages.filter((m): m is RunOutcome['errors'][number] => m.type === 'error'),
    checks: messages.filter((m): m is RunOutcome['checks'][number] => m.type === 'check'),
    stdout: messages.map((m) => (m.type === 'output' && m.stream === 'stdout' ? m.text : '')).join(''),
    events: messages.reduce((n, m) => n + (m.type === 'trace' ? m.events.length : 0), 0),
  };
}
