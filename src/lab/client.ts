/**
 * The page's handle on the runner (browser only): keeps a pre-warmed module Web Worker, sends it
 * RunRequests, forwards its messages, and enforces a wall-time budget. When a run exceeds the
 * budget the worker is terminated (that is the only way to stop `while (true) {}`), the run ends
 * with a `timeout` error and `done`, and a fresh worker is warmed for the next run.
 */
import type { RunnerMessage, RunRequest } from './protocol';

export const DEFAULT_BUDGET_MS = 5000;

export interface RunResult {
  ok: boolean;
  killed: boolean;
  durationMs: number;
}

export interface LabClient {
  /** Runs in a (pre-warmed) module Web Worker; kills and replaces it after budgetMs (default 5000). */
  run(
    req: Omit<RunRequest, 'type' | 'runId'>,
    onMessage: (m: RunnerMessage) => void,
    opts?: { budgetMs?: number },
  ): Promise<RunResult>;
  /** Kill the current run now (a fresh worker serves the next). */
  cancel(): void;
  /** Start a worker before the first run. */
  warm(): Promise<void>;
  dispose(): void;
}

/** The text of the error a run gets when it is killed at the budget. */
export function timeoutMessage(budgetMs: number): string {
  return `Killed after ${budgetMs} ms: the code did not finish (an infinite loop?). The next Run starts a fresh worker.`;
}

/**
 * The runner as the client sees it: the browser's Worker or node's worker_threads Worker,
 * behind the same four calls.
 */
export interface RunnerPort {
  postMessage(m: RunRequest): void;
  terminate(): void;
  onMessage(fn: (m: RunnerMessage) => void): void;
  onError(fn: (message: string) => void): void;
}

/** The browser's runner: the module Web Worker in worker.ts (bundled by Vite). */
export function browserRunner(): RunnerPort {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  return {
    postMessage: (m) => worker.postMessage(m),
    terminate: () => worker.terminate(),
    onMessage: (fn) => worker.addEventListener('message', (e: MessageEvent<RunnerMessage>) => fn(e.data)),
    onError: (fn) => worker.addEventListener('error', (e) => fn(e.message || 'the worker script failed to load')),
  };
}

interface Slot {
  port: RunnerPort;
  ready: Promise<void>;
}

interface Current {
  runId: number;
  started: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  onMessage: (m: RunnerMessage) => void;
  finish: (r: RunResult) => void;
  budgetMs: number;
  slot: Slot;
}

/** `spawn` makes a runner; the default is the browser's module Web Worker. */
export function createLabClient(spawn: () => RunnerPort = browserRunner): LabClient {
  let slot: Slot | undefined;
  let current: Current | undefined;
  let nextRunId = 1;
  let disposed = false;

  function spawnSlot(): Slot {
    const port = spawn();
    let markReady!: () => void;
    let fail!: (e: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      fail = reject;
    });
    ready.catch(() => {});
    const s: Slot = { port, ready };
    port.onMessage((m) => {
      if (m?.type === 'ready') markReady();
      else onWorkerMessage(s, m);
    });
    port.onError((message) => {
      fail(new Error(`The runner failed: ${message}`));
      if (current?.slot === s) {
        current.onMessage({ type: 'error', runId: current.runId, kind: 'internal', message: `The runner failed: ${message}` });
        kill('failed');
      }
    });
    return s;
  }

  function ensureSlot(): Slot {
    if (!slot) slot = spawnSlot();
    return slot;
  }

  function onWorkerMessage(s: Slot, m: RunnerMessage) {
    if (!current || current.slot !== s) return;
    if ('runId' in m && m.runId !== current.runId) return;
    current.onMessage(m);
    if (m.type === 'done') {
      const c = current;
      current = undefined;
      clearTimeout(c.timer);
      c.finish({ ok: m.ok, killed: false, durationMs: performance.now() - c.started });
    }
  }

  /** Terminates the running worker and ends the run (budget exceeded, cancelled, or failed to start). */
  function kill(reason: 'timeout' | 'cancel' | 'failed') {
    const c = current;
    if (!c) return;
    current = undefined;
    clearTimeout(c.timer);
    c.slot.port.terminate();
    if (slot === c.slot) slot = undefined;
    const durationMs = performance.now() - c.started;
    if (reason === 'timeout') {
      c.onMessage({ type: 'error', runId: c.runId, kind: 'timeout', message: timeoutMessage(c.budgetMs) });
    } else if (reason === 'cancel') {
      c.onMessage({ type: 'output', runId: c.runId, stream: 'info', text: 'Stopped. The next Run starts a fresh worker.\n' });
    }
    c.onMessage({ type: 'done', runId: c.runId, ok: false, durationMs: Math.round(durationMs), events: 0 });
    c.finish({ ok: false, killed: true, durationMs });
    // Warm the replacement so the next Run does not wait for a cold worker.
    if (!disposed) ensureSlot();
  }

  return {
    async run(req, onMessage, opts = {}) {
      if (disposed) throw new Error('LabClient is disposed');
      if (current) kill('cancel');
      const budgetMs = opts.budgetMs ?? DEFAULT_BUDGET_MS;
      const s = ensureSlot();
      const runId = nextRunId++;
      const started = performance.now();
      return new Promise<RunResult>((finish) => {
        // The budget starts when the request is posted: a cold worker's start-up is not the learner's time.
        current = { runId, started, timer: undefined, onMessage, finish, budgetMs, slot: s };
        s.ready.then(
          () => {
            if (current?.runId !== runId) return;
            current.started = performance.now();
            current.timer = setTimeout(() => kill('timeout'), budgetMs);
            s.port.postMessage({ ...req, type: 'run', runId } satisfies RunRequest);
          },
          (err: Error) => {
            if (current?.runId !== runId) return;
            onMessage({ type: 'error', runId, kind: 'internal', message: err.message });
            kill('failed');
          },
        );
      });
    },
    cancel() {
      kill('cancel');
    },
    async warm() {
      if (!disposed) await ensureSlot().ready;
    },
    dispose() {
      disposed = true;
      kill('cancel');
      slot?.port.terminate();
      slot = undefined;
    },
  };
}
