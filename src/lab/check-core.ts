/**
 * The chai-free core of checks: the Check shape, `check()`, and what the host needs to run
 * them. Lab checks import src/lab/checks.ts, which re-exports this and adds chai helpers; the
 * host imports only this file so chai loads (lazily) when checks run, not on every Run.
 */
import type { expect } from 'chai';
import type { LabCluster, SimEnv, TraceRecorder } from '../sim/index';

export type Expect = typeof expect;

export interface CheckContext<Learner = Record<string, unknown>> {
  /** The learner module's exports. */
  learner: Learner;
  /** The run's seed; use it for the models the check builds. */
  seed: number;
  /** Several seeds starting at `seed`, for behaviour that varies with the seed. */
  seeds: readonly number[];
  /** chai's expect. */
  expect: Expect;
  /** A fresh recorder, installed as the active trace while this check runs. */
  trace: TraceRecorder;
  /**
   * A fresh environment whose trace is `trace` (its clock and rng are fresh too, seeded by
   * `seed`): installed for models built without one while this check runs; pass it
   * (`{ env }`) to be explicit. Learner code cannot reach it.
   */
  env: SimEnv;
  /**
   * A fresh copy of the lab's session cluster (as the run started from it), recording to this
   * check's trace, installed for `labCluster()` in learner code until the next call. Rejects in a
   * lab that has no cluster.
   */
  newCluster(): Promise<LabCluster>;
  /** Writes a line to the terminal (info stream), e.g. to show what the check tried. */
  log: (...args: unknown[]) => void;
}

export interface CheckOptions {
  /** A nudge toward the concept (never the answer), shown when the check fails. */
  hint?: string;
}

export interface Check<Learner = Record<string, unknown>> {
  readonly kind: 'kubelab.check';
  /** What the check verifies, as a sentence the learner reads. */
  readonly title: string;
  readonly hint?: string;
  run(ctx: CheckContext<Learner>): void | Promise<void>;
}

/** Builds one named check. */
export function check<Learner = Record<string, unknown>>(
  title: string,
  run: (ctx: CheckContext<Learner>) => void | Promise<void>,
  options: CheckOptions = {},
): Check<Learner> {
  return { kind: 'kubelab.check', title, hint: options.hint, run };
}

export function isCheck(value: unknown): value is Check {
  return typeof value === 'object' && value !== null && (value as Check).kind === 'kubelab.check';
}

/** How many seeds `CheckContext.seeds` holds. */
export const CHECK_SEEDS = 5;

export function seedsFrom(seed: number, count = CHECK_SEEDS): number[] {
  return Array.from({ length: count }, (_, i) => (seed + i) >>> 0);
}

