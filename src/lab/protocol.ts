/**
 * Messages between the page (or the node CLI) and the runner that executes learner code.
 * One protocol for the browser's module Web Worker and node's worker_threads.
 */
import type { ClusterLog, EtcdChange, TraceEvent } from '../sim/index';

/** What to run: the learner's files for one lab, in one mode. */
export interface RunRequest {
  type: 'run';
  runId: number;
  labId: string;
  /** Learner files by name (e.g. `main.ts`); `entry` is executed. */
  files: Record<string, string>;
  entry: string;
  seed: number;
  /** `run` executes the code; `check` executes it and then the lab's checks. */
  mode: 'run' | 'check';
  /**
   * The lab's session cluster (what the terminal's kubectl shows), as its log: the run rebuilds
   * it for `labCluster()`, and each check gets its own copy (`ctx.newCluster()`). Omitted: no
   * lab cluster.
   */
  cluster?: ClusterLog;
  /** The wall-time budget the client kills the runner at; the loop guard trips just before it. */
  budgetMs?: number;
}

export type OutputStream = 'stdout' | 'stderr' | 'info';

/** A place in a learner file, 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export type RunnerMessage =
  /** The runner has loaded and can take a RunRequest; `lockdownMs`: what lockdown() took in it. */
  | { type: 'ready'; lockdownMs?: number }
  /**
   * A line (or chunk) of output: console.* and the API's log go here. Each console call is one
   * message whose text ends with '\n'. `stderr` = console.warn/error, `info` = the runner's own
   * notes (e.g. how many lines of learner output were hidden while checks ran).
   */
  | { type: 'output'; runId: number; stream: OutputStream; text: string }
  /** A batch of trace events, in order, from the active trace of this run. */
  | { type: 'trace'; runId: number; events: TraceEvent[] }
  /**
   * Something went wrong: `syntax` (the code did not compile), `import` (it imports a module
   * other than `kubelab`, so nothing ran), `runtime` (an exception),
   * `rejection` (an unhandled promise rejection), `check` (a check itself threw),
   * `timeout` (killed at the wall-time budget), `stopped` (the learner pressed Stop),
   * `internal` (a KubeLab bug). `timeout` and `stopped` come from the client, not the runner.
   */
  | {
      type: 'error';
      runId: number;
      kind: 'syntax' | 'import' | 'runtime' | 'rejection' | 'check' | 'timeout' | 'stopped' | 'internal';
      message: string;
      /** Where in the learner's code, when known (stack mapped to their lines). */
      location?: SourceLocation;
      /** The stack with frames mapped to learner files and runtime frames removed. */
      stack?: string;
    }
  /**
   * One check's result (mode `check`). `step` is the lab step this check completes, as a
   * 0-based index into lab.yaml's `steps`. On failure, `message` says what was compared,
   * `expected` / `received` are printed values, and `hint` is the check's hint.
   */
  | {
      type: 'check';
      runId: number;
      name: string;
      title: string;
      step?: number;
      passed: boolean;
      message?: string;
      expected?: string;
      received?: string;
      hint?: string;
    }
  /**
   * The run ended. `ok` is false after any error or failed check. `sandboxMs`: what making the
   * compartment and evaluating the learner's code in it took (before the code itself ran).
   */
  /**
   * What the run wrote to the lab cluster (mode `run` only), to replay into the session cluster:
   * the etcd writes after the request's log, and the cluster clock's time at the end.
   */
  | { type: 'cluster'; runId: number; changes: EtcdChange[]; clockMs: number }
  | { type: 'done'; runId: number; ok: boolean; durationMs: number; events: number; sandboxMs?: number };
