/**
 * The lab host: runs one RunRequest against the kubelab API and reports everything as
 * RunnerMessages. Pure and shared: the browser worker (worker.ts), the node worker thread
 * (node/worker.ts) and vitest all call `createSimHost()`; only the platform differs.
 *
 * A run: install a fresh TraceRecorder -> transpile the entry file -> rewrite `kubelab`
 * imports to a shim module -> import it (top-level await included), streaming console output
 * and trace batches -> in `check` mode run the lab's checks -> always end with `done`.
 */
import * as api from '../sim/index';
import { DEFAULT_LOG_VERBOSITY, TraceRecorder, formatLogLine, isLogEvent, logVisible, setActiveTrace, setLogVerbosity, type TraceEvent } from '../sim/index';
import { isCheck, seedsFrom, type Check, type CheckContext, type Expect } from './check-core';
import { captureConsole } from './console-capture';
import { disallowedImportMessage, rewriteImports } from './imports';
import { formatArgs, inspect } from './inspect';
import type { HostPlatform } from './platform';
import type { OutputStream, RunnerMessage, RunRequest } from './protocol';
import { describeThrown, type DescribedError, type LoadedModule } from './stack';
import { lineColumnAt, transpile } from './transpile';

/** A lab's checks module and the steps that name them (from lab.yaml). */
export interface LabChecks {
  checks: Record<string, unknown>;
  steps: ReadonlyArray<{ check?: string }>;
}

export interface SimHostOptions {
  platform: HostPlatform;
  /** Loads `labs/<id>/checks.ts` and its steps; undefined when the lab does not exist. */
  loadLab: (labId: string) => Promise<LabChecks | undefined>;
  /**
   * Wall-clock ms after which code that is only waiting (no microtasks left, nothing but a
   * pending promise) is reported as stuck. Busy loops are the budget's job (client / CLI).
   */
  stallMs?: number;
  /**
   * Lines of learner output (stdout and stderr counted apart) one run sends; the rest is
   * counted, not sent, so a program printing in a loop cannot flood the page with messages.
   */
  maxOutputLines?: number;
}

export interface SimHost {
  /** Runs `req`, posting messages as they happen; resolves after `done` was posted. */
  run(req: RunRequest, post: (m: RunnerMessage) => void): Promise<{ ok: boolean }>;
}

/** Where globalThis holds the API for the shim module (see apiShimSource). */
const API_GLOBAL = '__kubelabApi';
const TRACE_BATCH = 512;
export const DEFAULT_STALL_MS = 1500;
export const DEFAULT_MAX_OUTPUT_LINES = 2000;

export function createSimHost(options: SimHostOptions): SimHost {
  const { platform } = options;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const maxLines = options.maxOutputLines ?? DEFAULT_MAX_OUTPUT_LINES;
  (globalThis as Record<string, unknown>)[API_GLOBAL] = api;
  const shimUrl = platform.moduleUrl(apiShimSource(Object.keys(api)), 'kubelab.js').url;

  return {
    async run(req, post) {
      const started = performance.now();
      const runId = req.runId;
      const recorder = new TraceRecorder();
      const previousTrace = setActiveTrace(recorder);
      const modules: LoadedModule[] = [];
      let ok = true;

      let pending: TraceEvent[] = [];
      const flush = () => {
        if (pending.length === 0) return;
        post({ type: 'trace', runId, events: pending });
        pending = [];
      };
      const output = (stream: OutputStream, text: string) => {
        flush();
        post({ type: 'output', runId, stream, text });
      };
      // While checks run, the learner's code runs many times over many seeds: its console
      // output is counted, not shown (a check's own ctx.log still prints).
      let muted = false;
      let hiddenLines = 0;
      // Past the line cap of a stream, its output is counted and reported once at the end.
      const sent: Partial<Record<OutputStream, number>> = {};
      const dropped: Partial<Record<OutputStream, number>> = {};
      const consoleOutput = (stream: OutputStream, text: string) => {
        if (muted) {
          hiddenLines++;
          return;
        }
        const lines = text.replace(/\n$/, '').split('\n');
        const room = maxLines - (sent[stream] ?? 0);
        if (room <= 0) {
          dropped[stream] = (dropped[stream] ?? 0) + lines.length;
          return;
        }
        if (lines.length <= room) {
          sent[stream] = (sent[stream] ?? 0) + lines.length;
          output(stream, text);
        } else {
          sent[stream] = maxLines;
          dropped[stream] = (dropped[stream] ?? 0) + lines.length - room;
          output(stream, lines.slice(0, room).join('\n') + '\n');
        }
        if (sent[stream] === maxLines) {
          output('info', `… output limit: this run shows the first ${maxLines} lines of ${streamName(stream)}; the rest is counted, not shown.\n`);
        }
      };
      // A model's log lines (klog upstream) also go to the terminal, as stderr, like klog's, up
      // to the verbosity in force: 2 at the start of every run; setLogVerbosity(n) is `-v=n`.
      setLogVerbosity(DEFAULT_LOG_VERBOSITY);
      const unsubscribe = recorder.subscribe((e) => {
        pending.push(e);
        if (pending.length >= TRACE_BATCH) flush();
        if (isLogEvent(e) && logVisible(e)) consoleOutput('stderr', `${formatLogLine(e)}\n`);
      });
      const error = (kind: ErrorKind, d: DescribedError) => {
        flush();
        ok = false;
        post({ type: 'error', runId, kind, message: d.message, location: d.location, stack: d.stack });
      };

      const savedLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 50;
      const restoreConsole = captureConsole(consoleOutput);
      const stopCapture = platform.captureGlobalErrors({
        rejection: (reason) => error('rejection', describeThrown(reason, modules)),
        uncaught: (err) => error('runtime', describeThrown(err, modules)),
      });
      try {
        const learner = await loadEntry(req, modules, error);
        if (req.mode === 'check') {
          muted = true;
          const passed = await runChecks(req, learner, modules, post, output, error, recorder);
          muted = false;
          if (!passed) ok = false;
          if (hiddenLines > 0) {
            output('info', `(${hiddenLines} line${hiddenLines === 1 ? '' : 's'} your code printed while the checks ran ${hiddenLines === 1 ? 'was' : 'were'} hidden)\n`);
          }
        }
        // Unhandled rejections are reported after the microtask queue drains: wait for them.
        await macrotask();
        await macrotask();
        for (const stream of ['stdout', 'stderr'] as const) {
          const n = dropped[stream];
          if (n) output('info', `… ${n} more line${n === 1 ? '' : 's'} of ${streamName(stream)} not shown.\n`);
        }
      } catch (e) {
        error('internal', { message: `KubeLab internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}` });
      } finally {
        stopCapture();
        restoreConsole();
        Error.stackTraceLimit = savedLimit;
        unsubscribe();
        setActiveTrace(previousTrace);
        flush();
        post({
          type: 'done',
          runId,
          ok,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          events: recorder.events.length + recorder.dropped,
        });
      }
      return { ok };
    },
  };

  /** Transpiles, rewrites and imports the entry file; undefined if it did not load. */
  async function loadEntry(req: RunRequest, modules: LoadedModule[], error: ErrorSink): Promise<Record<string, unknown> | undefined> {
    const file = req.entry;
    const source = req.files[file];
    if (source === undefined) {
      error('internal', { message: `No file named ${file} in this run (files: ${Object.keys(req.files).join(', ') || 'none'})` });
      return undefined;
    }
    const compiled = transpile(source, file);
    if (!compiled.ok) {
      const { message, location } = compiled.error;
      error('syntax', { message: `SyntaxError: ${message}`, location, stack: `SyntaxError: ${message}\n    at ${file}:${location.line}:${location.column}` });
      return undefined;
    }
    const rewritten = rewriteImports(compiled.code, shimUrl);
    if (rewritten.disallowed.length > 0) {
      for (const site of rewritten.disallowed) {
        const at = lineColumnAt(compiled.code, site.start);
        const location = { file, line: at.line, column: compiled.mapColumn(at.line, at.column) };
        error('import', { message: disallowedImportMessage(site.specifier), location });
      }
      return undefined;
    }
    const mod = platform.moduleUrl(rewritten.code, file);
    const loaded: LoadedModule = { file, url: mod.url, mapColumn: compiled.mapColumn };
    modules.push(loaded);
    try {
      const result = await withStall(import(/* @vite-ignore */ mod.url) as Promise<Record<string, unknown>>, stallMs);
      if (result.stalled) {
        error('runtime', { message: stallMessage(file) });
        return undefined;
      }
      return result.value;
    } catch (e) {
      const described = describeThrown(e, modules);
      // An early error V8 finds while compiling the module (e.g. a redeclared `let`).
      const kind = (e as Error)?.name === 'SyntaxError' && !described.location ? 'syntax' : 'runtime';
      error(kind, described);
      return undefined;
    } finally {
      mod.release();
    }
  }

  /** Runs the lab's checks in step order; true when every check passed. */
  async function runChecks(
    req: RunRequest,
    learner: Record<string, unknown> | undefined,
    modules: LoadedModule[],
    post: (m: RunnerMessage) => void,
    output: (stream: OutputStream, text: string) => void,
    error: ErrorSink,
    runTrace: TraceRecorder,
  ): Promise<boolean> {
    const lab = await options.loadLab(req.labId);
    if (!lab) {
      error('internal', { message: `No lab named '${req.labId}': there are no checks to run.` });
      return false;
    }
    const order = checkOrder(lab);
    // chai is only needed here: load it on the first Check, not with the runner.
    const { expect } = await import('chai');
    let allPassed = true;
    for (const { name, step } of order) {
      const c = lab.checks[name];
      const base = { type: 'check' as const, runId: req.runId, name, step };
      if (!isCheck(c)) {
        error('internal', { message: `lab.yaml names check '${name}' but checks.ts exports no check with that name.` });
        post({ ...base, title: name, passed: false, message: 'Missing check (a KubeLab bug).' });
        allPassed = false;
        continue;
      }
      if (!learner) {
        post({ ...base, title: c.title, passed: false, message: 'Not run: fix the error above, then check again.', hint: c.hint });
        allPassed = false;
        continue;
      }
      const result = await runOneCheck(c, learner, modules, req.seed, expect, output);
      setActiveTrace(runTrace);
      if (result.threw) {
        error('check', prefix(`Check "${c.title}" stopped on an exception: `, result.threw));
      }
      post({ ...base, title: c.title, ...result.report, hint: result.report.passed ? undefined : c.hint });
      if (!result.report.passed) allPassed = false;
    }
    return allPassed;
  }

  async function runOneCheck(
    c: Check,
    learner: Record<string, unknown>,
    modules: LoadedModule[],
    seed: number,
    expect: Expect,
    output: (stream: OutputStream, text: string) => void,
  ): Promise<{ report: CheckReport; threw?: DescribedError }> {
    const trace = new TraceRecorder();
    setActiveTrace(trace);
    const ctx: CheckContext = {
      learner,
      seed,
      seeds: seedsFrom(seed),
      expect,
      trace,
      log: (...args) => output('info', `${formatArgs(args)}\n`),
    };
    try {
      const result = await withStall(Promise.resolve().then(() => c.run(ctx)), stallMs);
      if (result.stalled) return { report: { passed: false, message: stallMessage('the check') } };
      return { report: { passed: true } };
    } catch (e) {
      if (isAssertion(e)) return { report: assertionReport(e) };
      const threw = describeThrown(e, modules);
      return { report: { passed: false, message: `Threw ${threw.message}` }, threw };
    }
  }
}

type ErrorKind = Extract<RunnerMessage, { type: 'error' }>['kind'];
type ErrorSink = (kind: ErrorKind, d: DescribedError) => void;
type CheckReport = { passed: boolean; message?: string; expected?: string; received?: string };

/** The ES module learner imports of `kubelab` resolve to: one export per API name. */
export function apiShimSource(names: string[]): string {
  const valid = names.filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
  return `const api = globalThis.${API_GLOBAL};\nexport const { ${valid.join(', ')} } = api;\n`;
}

/** Steps' checks in step order (step = 0-based index into lab.steps), then any other checks. */
function checkOrder(lab: LabChecks): Array<{ name: string; step?: number }> {
  const order: Array<{ name: string; step?: number }> = [];
  const seen = new Set<string>();
  lab.steps.forEach((s, i) => {
    if (s.check && !seen.has(s.check)) {
      seen.add(s.check);
      order.push({ name: s.check, step: i });
    }
  });
  for (const [name, value] of Object.entries(lab.checks)) {
    if (isCheck(value) && !seen.has(name)) order.push({ name });
  }
  return order;
}

function isAssertion(e: unknown): e is Error & { actual?: unknown; expected?: unknown; showDiff?: boolean } {
  return e instanceof Error && e.name === 'AssertionError';
}

function assertionReport(e: Error & { actual?: unknown; expected?: unknown; showDiff?: boolean }): CheckReport {
  const report: CheckReport = { passed: false, message: e.message };
  if (e.showDiff !== false && 'expected' in e) {
    report.expected = inspect(e.expected, { depth: 4 });
    // chai writes `<our message>: expected <actual> to equal <expected>`; expected and received
    // are shown in full below, so keep only the check's own words.
    const own = /^([\s\S]+?): expected [\s\S]+$/.exec(e.message);
    if (own) report.message = own[1];
  }
  if ('actual' in e) report.received = inspect(e.actual, { depth: 4 });
  return report;
}

function prefix(text: string, d: DescribedError): DescribedError {
  return { ...d, message: text + d.message };
}

function stallMessage(what: string): string {
  return (
    `${what} stopped making progress: it is waiting for a promise that nothing will settle ` +
    `(for example \`await queue.get()\` on an empty queue that nobody adds to or shuts down, ` +
    `or \`clock.sleep()\` while nothing steps the clock).`
  );
}

function streamName(stream: OutputStream): string {
  return stream === 'stderr' ? 'console.warn/error output' : 'output';
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Resolves with the promise's value, or `{ stalled: true }` if a wall-clock timer fires first.
 * Models run on virtual time and microtasks, so the timer can only fire once the code has
 * nothing left to do but wait.
 */
async function withStall<T>(p: Promise<T>, ms: number): Promise<{ stalled: false; value: T } | { stalled: true }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stall = new Promise<{ stalled: true }>((resolve) => {
    timer = setTimeout(() => resolve({ stalled: true }), ms);
  });
  try {
    return await Promise.race([p.then((value) => ({ stalled: false as const, value })), stall]);
  } finally {
    clearTimeout(timer);
  }
}
