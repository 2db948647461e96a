/**
 * The run controller: one Run or Check at a time, without the DOM. It owns the run state, the
 * budget, the batching of output (so a chatty program does not freeze the page) and what a run
 * leaves behind (trace, error markers, check results), and hands rendered lines to whoever shows
 * them (the workbench terminal; a test). The runner lifecycle (a runner per run, a spare warming,
 * a dead runner replaced) is the client's (client.ts).
 */
import { DEFAULT_BUDGET_MS, type LabClient, type RunResult } from './client';
import type { RunnerMessage, RunRequest, SourceLocation } from './protocol';
import { createRunRenderer, type RenderedLine } from './render';
import { plainTerminalText } from './terminal-text';
import type { EtcdChange, TraceEvent } from '../sim/index';

export type RunState = 'idle' | 'run' | 'check';

export interface RunOutcome {
  result: RunResult;
  trace: TraceEvent[];
  /** Where errors were reported, with their message (for editor markers). */
  markers: Array<SourceLocation & { message: string }>;
  checks: Array<{ name: string; passed: boolean }>;
  /** A check result recorded in this run completed the lab. */
  completed: boolean;
  /** What the run wrote to the lab cluster, to replay into the session cluster (a Run only). */
  cluster?: { changes: EtcdChange[]; clockMs: number };
}

export interface RunControllerOptions {
  client: LabClient;
  budgetMs?: number;
  /** Shows rendered lines (in order, in batches). */
  print(lines: RenderedLine[]): void;
  /** Called when the state changes. */
  onState?(state: RunState): void;
  /** Records a check result (Check only); returns true when it completed the lab. */
  recordCheck?(name: string, passed: boolean): boolean;
  /** How long output may wait to be shown with what follows it; the first output goes at once. */
  batchMs?: number;
}

export interface RunController {
  readonly state: RunState;
  /** Runs `req`; undefined (and nothing runs) when a run is already in progress. */
  execute(req: Omit<RunRequest, 'type' | 'runId'>): Promise<RunOutcome | undefined>;
  /** Stops the current run (the client terminates its runner). */
  stop(): void;
}

export function createRunController(options: RunControllerOptions): RunController {
  let state: RunState = 'idle';
  const setState = (s: RunState) => {
    state = s;
    options.onState?.(s);
  };

  return {
    get state() {
      return state;
    },
    stop() {
      if (state !== 'idle') options.client.cancel();
    },
    async execute(req) {
      if (state !== 'idle') return undefined;
      setState(req.mode);
      const renderer = createRunRenderer({ mode: req.mode, files: req.files });
      const outcome: Omit<RunOutcome, 'result'> = { trace: [], markers: [], checks: [], completed: false };
      let pending: RenderedLine[] = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      let shownOutput = false;
      const flush = () => {
        clearTimeout(timer);
        timer = undefined;
        if (pending.length === 0) return;
        const lines = pending;
        pending = [];
        options.print(lines);
      };
      const onMessage = (m: RunnerMessage) => {
        switch (m.type) {
          case 'trace':
            for (const e of m.events) outcome.trace.push(e);
            return;
          case 'cluster':
            // Only a Run's writes reach the session cluster; a Check's copies are thrown away.
            if (req.mode === 'run') outcome.cluster = { changes: m.changes, clockMs: m.clockMs };
            return;
          case 'output':
            pending.push(...renderer.render(m));
            // The first output is shown at once (Run-to-first-output); later output in batches.
            timer ??= setTimeout(flush, shownOutput ? (options.batchMs ?? 50) : 0);
            shownOutput = true;
            return;
          case 'error':
            if (m.location) outcome.markers.push({ ...m.location, message: plainTerminalText(m.message) });
            break;
          case 'check':
            outcome.checks.push({ name: m.name, passed: m.passed });
            // The client accepts check results only during a Check; progress is recorded only then.
            if (req.mode === 'check' && options.recordCheck?.(m.name, m.passed)) outcome.completed = true;
            break;
        }
        pending.push(...renderer.render(m));
        flush();
      };
      try {
        const result = await options.client.run(req, onMessage, { budgetMs: options.budgetMs ?? DEFAULT_BUDGET_MS });
        flush();
        return { result, ...outcome };
      } finally {
        flush();
        setState('idle');
      }
    },
  };
}
