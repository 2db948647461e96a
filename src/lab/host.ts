/**
 * The lab host: runs one RunRequest against the kubelab API and reports everything as
 * RunnerMessages. Pure and shared: the browser worker (worker.ts), the node worker thread
 * (node/worker.ts) and vitest all call `createSimHost()`; only the platform differs.
 *
 * A run: a fresh model environment (trace, log verbosity) -> transpile the entry file -> turn the
 * module into one async function (module-script.ts) -> evaluate it in a fresh SES Compartment
 * that sees only `console` (ours) and gets `kubelab` through `require` -> call it (top-level
 * await included), streaming capped console output and trace batches -> in `check` mode run the
 * lab's checks here, outside the compartment -> always end with `done`.
 */
import * as api from '../sim/index';
import { FakeClock, Logger, TraceRecorder, formatLogLine, isLogEvent, newEnv, newLabCluster, type ClusterLog, type LabCluster, type SimEnv, type TraceEvent } from '../sim/index';
import { quiescenceCount, useCallScope, useEnv, useLabCluster, useLabFiles, useStopwatch } from '../sim/runtime';
import { newLoopGuard, type LoopGuard } from './loop-guard';
import { DEFAULT_BUDGET_MS } from './client';
import { isCheck, seedsFrom, type Check, type CheckContext, type Expect } from './check-core';
import { makeLearnerConsole } from './console-capture';
import { formatArgs, inspect } from './inspect';
import { API_SPECIFIER, disallowedImportMessage, moduleToScript } from './module-script';
import { DEFAULT_OUTPUT_LIMITS, capText, createOutputLimiter, type OutputLimits } from './output-limits';
import type { HostPlatform } from './platform';
import type { OutputStream, RunnerMessage, RunRequest } from './protocol';
import { hardenForLearner, learnerNamespace, newCompartment } from './sandbox';
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
  /** Bytes and characters-per-line caps on learner output (output-limits.ts). */
  outputLimits?: Partial<OutputLimits>;
}

export interface SimHost {
  /** Runs `req`, posting messages as they happen; resolves after `done` was posted. */
  run(req: RunRequest, post: (m: RunnerMessage) => void): Promise<{ ok: boolean }>;
}

const TRACE_BATCH = 512;
export const DEFAULT_STALL_MS = 1500;
/** How long a loop may run inside one call a model makes into learner code (a plugin's Filter). */
export const LOOP_CALL_LIMIT_MS = 1000;
export const DEFAULT_MAX_OUTPUT_LINES = DEFAULT_OUTPUT_LIMITS.maxLines;
/** The name learner code runs under: stack frames read `main.ts:LINE:COL`. */
const SOURCE_URL_COMMENT = (file: string) => `\n//# sourceURL=${file}\n`;

export function createSimHost(options: SimHostOptions): SimHost {
  const { platform } = options;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const limits: OutputLimits = { ...DEFAULT_OUTPUT_LIMITS, ...options.outputLimits, maxLines: options.maxOutputLines ?? options.outputLimits?.maxLines ?? DEFAULT_OUTPUT_LIMITS.maxLines };
  // Plugin timings (`runSchedulingCycle({ timings: true })`) read the host's wall clock; they go into
  // cycle records, never into the trace.
  useStopwatch(() => performance.now());
  // The recorder of the run in progress: what learner code's activeTrace() returns, in a Run and
  // while checks run (a check's own recorder is never within learner code's reach).
  let runTrace: TraceRecorder | undefined;
  // The API as learner code sees it: the same objects the checks use, hardened in a runner.
  const kubelab = learnerNamespace({ ...(api as unknown as Record<string, unknown>), activeTrace: () => runTrace });
  const requireApi = hardenForLearner((specifier: unknown) => {
    if (specifier === API_SPECIFIER) return kubelab;
    throw new Error(disallowedImportMessage(String(specifier)));
  });
  const importApi = hardenForLearner(async (specifier: unknown) => requireApi(specifier));

  return {
    async run(req, post) {
      const started = performance.now();
      const runId = req.runId;
      const recorder = new TraceRecorder();
      // The run's environment: models built without one record here; klog's -v starts at 2.
      const runEnv = newEnv({ trace: recorder, seed: req.seed });
      const leaveEnvironment = useEnv(runEnv);
      runTrace = recorder;
      const modules: LoadedModule[] = [];
      const timing: { sandboxMs?: number } = {};
      // Loops in learner code stop with a located error just before the budget would kill the
      // runner, and a loop inside a learner's plugin fails that call (loop-guard.ts).
      const budgetMs = req.budgetMs ?? DEFAULT_BUDGET_MS;
      const guard = newLoopGuard({ now: () => performance.now(), callLimitMs: LOOP_CALL_LIMIT_MS, runLimitMs: Math.max(budgetMs * 0.8, budgetMs - 1000), file: req.entry });
      const leaveCallScope = useCallScope(guard.scope);
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
      // Past the caps (lines per stream, bytes per run, characters per line) output is counted
      // and reported at the end.
      const limiter = createOutputLimiter(limits, output);
      const consoleOutput = (stream: 'stdout' | 'stderr', text: string) => {
        if (muted) {
          hiddenLines++;
          return;
        }
        limiter.write(stream, text);
      };
      // A model's log lines (klog upstream) also go to the terminal, as stderr, like klog's, up
      // to the verbosity in force: 2 at the start of every run; setLogVerbosity(n) is `-v=n`.
      const unsubscribe = recorder.subscribe((e) => {
        pending.push(e);
        if (pending.length >= TRACE_BATCH) flush();
        if (isLogEvent(e) && e.process !== CLUSTER_PROCESS && runEnv.log.visible(e)) consoleOutput('stderr', `${formatLogLine(e)}\n`);
      });
      const error = (kind: ErrorKind, d: DescribedError) => {
        flush();
        ok = false;
        post({ type: 'error', runId, kind, message: capText(d.message), location: d.location, stack: d.stack === undefined ? undefined : capText(d.stack) });
      };

      const savedLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 50;
      const learnerConsole = makeLearnerConsole(consoleOutput);
      const stopCapture = platform.captureGlobalErrors({
        rejection: (reason) => error('rejection', describeThrown(reason, modules)),
        uncaught: (err) => error('runtime', describeThrown(err, modules)),
      });
      let cluster: { lab: LabCluster; startRevision: number; startMs: number } | undefined;
      try {
        // The lab's tabs as they are now, for labFile() in learner code.
        useLabFiles(req.files);
        if (req.cluster) {
          // The session cluster, rebuilt in this realm: it records to the run's trace.
          const lab = await newLabCluster({ env: clusterEnv(runEnv, req.cluster, recorder), from: req.cluster });
          cluster = { lab, startRevision: lab.revision, startMs: lab.clock.now() };
          useLabCluster(lab);
        }
        const learner = await loadEntry(timing, req, modules, error, learnerConsole, guard);
        if (req.mode === 'run' && cluster && (cluster.lab.revision > cluster.startRevision || cluster.lab.clock.now() > cluster.startMs)) {
          flush();
          post({ type: 'cluster', runId, changes: cluster.lab.changesSince(cluster.startRevision), clockMs: cluster.lab.clock.now() });
        }
        if (req.mode === 'check') {
          muted = true;
          const passed = await runChecks(req, learner, modules, post, output, error);
          muted = false;
          if (!passed) ok = false;
          if (hiddenLines > 0) {
            output('info', `(${hiddenLines} line${hiddenLines === 1 ? '' : 's'} your code printed while the checks ran ${hiddenLines === 1 ? 'was' : 'were'} hidden)\n`);
          }
        }
        // Unhandled rejections are reported after the microtask queue drains: wait for them.
        await macrotask();
        await macrotask();
        limiter.finish();
      } catch (e) {
        error('internal', { message: `KubeLab internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}` });
      } finally {
        stopCapture();
        useCallScope(leaveCallScope);
        Error.stackTraceLimit = savedLimit;
        unsubscribe();
        leaveEnvironment();
        useLabCluster(undefined);
        useLabFiles(undefined);
        runTrace = undefined;
        flush();
        post({
          type: 'done',
          runId,
          ok,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          events: recorder.events.length + recorder.dropped,
          ...timing,
        });
      }
      return { ok };
    },
  };

  /**
   * Transpiles the entry file, turns it into one function and runs it in a fresh compartment;
   * its exports, or undefined if it did not load.
   */
  async function loadEntry(
    timing: { sandboxMs?: number },
    req: RunRequest,
    modules: LoadedModule[],
    error: ErrorSink,
    learnerConsole: object,
    guard: LoopGuard,
  ): Promise<Record<string, unknown> | undefined> {
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
    const locate = (offset: number) => {
      const at = lineColumnAt(compiled.code, offset);
      return { file, line: at.line, column: compiled.mapColumn(at.line, at.column) };
    };
    const script = moduleToScript(compiled.code);
    if (!script.ok) {
      if (script.syntax) {
        const location = locate(script.syntax.start);
        error('syntax', { message: `SyntaxError: ${script.syntax.message}`, location });
      }
      for (const site of script.disallowed) error('import', { message: disallowedImportMessage(site.specifier), location: locate(site.start) });
      for (const problem of script.refused) error('syntax', { message: problem.message, location: locate(problem.start) });
      return undefined;
    }
    const mapColumn = (line: number, column: number) => compiled.mapColumn(line, script.mapColumn(line, column));
    modules.push({ file, url: file, mapColumn });
    const exports: Record<string, unknown> = {};
    try {
      // A fresh global object per run: learner code sees console and nothing else.
      const t0 = performance.now();
      const compartment = newCompartment({ console: learnerConsole });
      const main = compartment.evaluate(script.code + SOURCE_URL_COMMENT(file)) as (r: unknown, e: unknown, i: unknown, loop: unknown) => Promise<void>;
      timing.sandboxMs = Math.round((performance.now() - t0) * 100) / 100;
      const result = await withStall(main(requireApi, exports, importApi, hardenForLearner(guard.check)), stallMs);
      if (result.stalled) {
        error('runtime', { message: stallMessage(file) });
        return undefined;
      }
      return exports;
    } catch (e) {
      const described = describeThrown(e, modules);
      // An early error V8 finds while compiling (e.g. a redeclared `let`).
      const kind = (e as Error)?.name === 'SyntaxError' && !described.location ? 'syntax' : 'runtime';
      error(kind, described);
      return undefined;
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
      const result = await runOneCheck(c, learner, modules, req.seed, expect, output, req.cluster);
      if (result.threw) {
        error('check', prefix(`Check "${c.title}" stopped on an exception: `, result.threw));
      }
      const r = result.report;
      post({
        ...base,
        title: c.title,
        passed: r.passed,
        message: r.message === undefined ? undefined : capText(r.message),
        expected: r.expected === undefined ? undefined : capText(r.expected),
        received: r.received === undefined ? undefined : capText(r.received),
        hint: r.passed ? undefined : c.hint,
      });
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
    clusterLog: ClusterLog | undefined,
  ): Promise<{ report: CheckReport; threw?: DescribedError }> {
    // A fresh environment per check, installed for the models it (and the learner code it calls)
    // builds without one; its recorder is the check's evidence and only the check holds it.
    const trace = new TraceRecorder();
    const env: SimEnv = newEnv({ trace, seed });
    const leaveEnvironment = useEnv(env);
    const ctx: CheckContext = {
      learner,
      seed,
      seeds: seedsFrom(seed),
      expect,
      trace,
      env,
      async newCluster() {
        if (!clusterLog) throw new Error('This lab has no cluster (lab.yaml cluster:), so a check cannot copy it.');
        const lab = await newLabCluster({ env: clusterEnv(env, clusterLog, trace), from: clusterLog });
        useLabCluster(lab);
        return lab;
      },
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
    } finally {
      leaveEnvironment();
      useLabCluster(undefined);
    }
  }
}

/**
 * A lab cluster's environment: its own clock at the log's time, the gates of the run (or check),
 * and a recorder whose events join `into` stamped `process: 'cluster'`: the cluster is another
 * process (etcd, kube-apiserver), so its log lines belong to the trace, not to the program's
 * stderr.
 */
function clusterEnv(env: SimEnv, log: ClusterLog, into: TraceRecorder): SimEnv {
  const trace = new TraceRecorder(0);
  trace.subscribe(({ t, seq: _seq, component, type, ...fields }) => void into.emit(t, component, type, { ...fields, process: CLUSTER_PROCESS }));
  return { clock: new FakeClock(log.clockMs), rng: env.rng.fork('cluster'), trace, log: new Logger(), features: env.features };
}

/** The `process` of events the lab cluster's models emit. */
const CLUSTER_PROCESS = 'cluster';

type ErrorKind = Extract<RunnerMessage, { type: 'error' }>['kind'];
type ErrorSink = (kind: ErrorKind, d: DescribedError) => void;
type CheckReport = { passed: boolean; message?: string; expected?: string; received?: string };

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

function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Resolves with the promise's value, or `{ stalled: true }` once `ms` of wall time pass with the
 * code making no progress. Progress is the simulation reaching quiescence again (settle() and
 * runUntilIdle() pass a host task each time, see src/sim/core/quiescence.ts): a long simulation
 * keeps the watchdog re-armed, while code that only waits on a promise nothing will settle
 * (no microtask left, no clock moving) lets it fire.
 */
async function withStall<T>(p: Promise<T>, ms: number): Promise<{ stalled: false; value: T } | { stalled: true }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stall = new Promise<{ stalled: true }>((resolve) => {
    let seen = quiescenceCount();
    const arm = () => {
      timer = setTimeout(() => {
        const now = quiescenceCount();
        if (now === seen) return resolve({ stalled: true });
        seen = now;
        arm();
      }, ms);
    };
    arm();
  });
  try {
    return await Promise.race([p.then((value) => ({ stalled: false as const, value })), stall]);
  } finally {
    clearTimeout(timer);
  }
}
