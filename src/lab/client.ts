/**
 * The page's (and the CLI's) handle on the runner. Every Run and every Check gets a runner of its
 * own (a module Web Worker in the browser, a worker thread in node) that is used once and then
 * terminated, so nothing a run leaves behind (listeners, timers, nested work, patched state) can
 * see or touch the next one. A spare runner is always warming in the background (start-up,
 * lockdown, the kubelab API), so a warm Run only posts a message.
 *
 * The client enforces the wall-time budget (terminating the runner is the only way to stop
 * `while (true) {}`), replaces a runner that dies or fails between runs, and accepts messages
 * only from the runner of the current run: `check` results only when the run was started in
 * check mode.
 */
import type { RunnerMessage, RunRequest } from './protocol';

/** The wall-time budget of one run, everywhere (workbench, CLI, tests) unless told otherwise. */
export const DEFAULT_BUDGET_MS = 5000;
/** The largest budget a run may ask for: 10 minutes (timers overflow past 2^31 - 1 ms anyway). */
export const MAX_BUDGET_MS = 600_000;
/**
 * When the budget fires, messages the runner posted just before may still wait in the page's
 * queue (a page busy drawing output): the run is killed only if `done` has not arrived after
 * this grace period, so a run that finished is never reported as killed.
 */
export const KILL_GRACE_MS = 250;

export interface RunResult {
  ok: boolean;
  killed: boolean;
  durationMs: number;
}

export interface LabClient {
  /** Runs on a fresh runner; kills it after budgetMs (default DEFAULT_BUDGET_MS). */
  run(
    req: Omit<RunRequest, 'type' | 'runId'>,
    onMessage: (m: RunnerMessage) => void,
    opts?: { budgetMs?: number },
  ): Promise<RunResult>;
  /** Kill the current run now. */
  cancel(): void;
  /** Start the spare runner before the first run; resolves when it is ready. */
  warm(): Promise<void>;
  dispose(): void;
}

/** The text of the error a run gets when it is killed at the budget. */
export function timeoutMessage(budgetMs: number): string {
  return `Killed after ${budgetMs} ms: the code did not finish (an infinite loop?). The next Run starts a fresh worker.`;
}

/**
 * A budget as asked for, checked: a whole number of milliseconds from 1 to MAX_BUDGET_MS.
 * Returns the number, or a sentence saying what is wrong with it.
 */
export function parseBudget(value: unknown): number | string {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return `the budget is a whole number of milliseconds from 1 to ${MAX_BUDGET_MS}, got ${JSON.stringify(value)}`;
  if (n > MAX_BUDGET_MS) return `the budget is at most ${MAX_BUDGET_MS} ms (10 minutes), got ${n}`;
  return n;
}

/**
 * The runner as the client sees it: the browser's Worker or node's worker_threads Worker,
 * behind the same four calls.
 */
export interface RunnerPort {
  postMessage(m: RunRequest): void;
  terminate(): void;
  onMessage(fn: (m: RunnerMessage) => void): void;
  /** The runner failed to load, threw outside a run, or exited. */
  onError(fn: (message: string) => void): void;
}

/** The browser's runner: the module Web Worker in worker.ts (bundled by Vite). */
export function browserRunner(): RunnerPort {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  return {
    postMessage: (m) => worker.postMessage(m),
    terminate: () => worker.terminate(),
    onMessage: (fn) => worker.addEventListener('message', (e: MessageEvent<RunnerMessage>) => fn(e.data)),
    onError: (fn) => {
      worker.addEventListener('error', (e) => fn(e.message || 'the worker script failed to load'));
      worker.addEventListener('messageerror', () => fn('a message from the worker could not be read'));
    },
  };
}

/** One runner: spawned, warming or ready, used by at most one run. */
interface Runner {
  port: RunnerPort;
  ready: Promise<void>;
  /** It failed or exited: never hand it a run. */
  dead: boolean;
}

interface Current {
  runId: number;
  mode: RunRequest['mode'];
  started: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  onMessage: (m: RunnerMessage) => void;
  finish: (r: RunResult) => void;
  budgetMs: number;
  runner: Runner;
  refusedChecks: number;
}

/** `spawn` makes a runner; the default is the browser's module Web Worker. */
export function createLabClient(spawn: () => RunnerPort = browserRunner): LabClient {
  let spare: Runner | undefined;
  let current: Current | undefined;
  let nextRunId = 1;
  let disposed = false;

  function spawnRunner(): Runner {
    const port = spawn();
    let markReady!: () => void;
    let fail!: (e: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      fail = reject;
    });
    ready.catch(() => {});
    const r: Runner = { port, ready, dead: false };
    port.onMessage((m) => {
      if (r.dead) return;
      if (m?.type === 'ready') markReady();
      else if (current?.runner === r) onRunMessage(current, m);
      // A runner with no run of its own has nothing to say: ignore it.
    });
    port.onError((message) => {
      if (r.dead) return;
      r.dead = true;
      port.terminate();
      fail(new Error(`The runner failed: ${message}`));
      // A spare that died is dropped here, so the next Run does not wait on it.
      if (spare === r) spare = undefined;
      if (current?.runner === r) {
        current.onMessage({ type: 'error', runId: current.runId, kind: 'internal', message: `The runner failed: ${message}` });
        end(current, 'failed');
      }
    });
    return r;
  }

  /** The spare if it is alive, else a new runner; a new spare starts warming at once. */
  function takeRunner(): Runner {
    const r = spare && !spare.dead ? spare : spawnRunner();
    spare = undefined;
    warmSpare();
    return r;
  }

  function warmSpare() {
    if (!disposed && (!spare || spare.dead)) spare = spawnRunner();
  }

  function onRunMessage(c: Current, m: RunnerMessage) {
    if (!m || typeof m !== 'object' || !('runId' in m) || m.runId !== c.runId) return;
    if (m.type === 'check' && c.mode !== 'check') {
      // Only the harness of a Check posts results; a plain Run never does.
      if (c.refusedChecks++ === 0) {
        c.onMessage({ type: 'error', runId: c.runId, kind: 'internal', message: 'Refused a check result during a plain Run: only Check runs the checks.' });
      }
      return;
    }
    c.onMessage(m);
    if (m.type === 'done') {
      const durationMs = performance.now() - c.started;
      release(c);
      c.finish({ ok: m.ok, killed: false, durationMs });
    }
  }

  /** Ends the current run: its runner is terminated (runners are used once). */
  function release(c: Current) {
    if (current === c) current = undefined;
    clearTimeout(c.timer);
    c.runner.dead = true;
    c.runner.port.terminate();
  }

  /** Terminates the run's runner and ends the run (budget exceeded, cancelled, or failed). */
  function end(c: Current, reason: 'timeout' | 'cancel' | 'failed') {
    if (current !== c) return;
    release(c);
    const durationMs = performance.now() - c.started;
    if (reason === 'timeout') {
      c.onMessage({ type: 'error', runId: c.runId, kind: 'timeout', message: timeoutMessage(c.budgetMs) });
    } else if (reason === 'cancel') {
      c.onMessage({ type: 'error', runId: c.runId, kind: 'stopped', message: `Stopped after ${Math.round(durationMs)} ms. Your code is kept; the next Run starts a fresh worker.` });
    }
    c.onMessage({ type: 'done', runId: c.runId, ok: false, durationMs: Math.round(durationMs), events: 0 });
    c.finish({ ok: false, killed: true, durationMs });
  }

  return {
    async run(req, onMessage, opts = {}) {
      if (disposed) throw new Error('LabClient is disposed');
      if (current) end(current, 'cancel');
      const budgetMs = parseBudget(opts.budgetMs ?? DEFAULT_BUDGET_MS);
      if (typeof budgetMs === 'string') throw new RangeError(budgetMs);
      const runner = takeRunner();
      const runId = nextRunId++;
      return new Promise<RunResult>((finish) => {
        const c: Current = { runId, mode: req.mode, started: performance.now(), timer: undefined, onMessage, finish, budgetMs, runner, refusedChecks: 0 };
        current = c;
        runner.ready.then(
          () => {
            if (current !== c) return;
            // The budget starts when the request is posted: a cold runner's start-up is not the learner's time.
            c.started = performance.now();
            c.timer = setTimeout(() => {
              c.timer = setTimeout(() => end(c, 'timeout'), KILL_GRACE_MS);
            }, budgetMs);
            runner.port.postMessage({ ...req, type: 'run', runId, budgetMs } satisfies RunRequest);
          },
          (err: Error) => {
            if (current !== c) return;
            onMessage({ type: 'error', runId, kind: 'internal', message: err.message });
            end(c, 'failed');
          },
        );
      });
    },
    cancel() {
      if (current) end(current, 'cancel');
    },
    async warm() {
      if (disposed) return;
      warmSpare();
      await spare?.ready;
    },
    dispose() {
      disposed = true;
      if (current) end(current, 'cancel');
      if (spare) {
        spare.dead = true;
        spare.port.terminate();
      }
      spare = undefined;
    },
  };
}
