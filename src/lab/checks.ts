/**
 * How a lab's `checks.ts` is written. Each named export built with `check()` is one check; a
 * lab step names it in `lab.yaml` (`check: dedupCollapses`). A check receives the learner
 * module's exports and a fresh harness, builds its own seeded models, and asserts with chai's
 * `expect`. A failed assertion is reported with expected vs received and the check's hint.
 *
 * ```ts
 * export const dedupCollapses = check(
 *   'Adding an item twice while it waits queues it once',
 *   async ({ learner, seeds, expect }) => { ... },
 *   { hint: 'The queue is also a set: look at dirty.' },
 * );
 * ```
 */
import { expect } from 'chai';
import type { TraceRecorder } from '../sim/index';

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

/**
 * The learner's export `name`, asserted to be a function (or class); fails like an assertion
 * with a message naming what is missing, so a typo reads as a check failure.
 */
export function exportedFunction<F extends (...args: never[]) => unknown>(learner: Record<string, unknown>, name: string): F {
  const value = learner[name];
  expect(value, `main.ts must export a function named \`${name}\``).to.be.a('function');
  return value as F;
}

/** Like {@link exportedFunction} for a class (constructed with `new`). */
export function exportedClass<C extends abstract new (...args: never[]) => unknown>(learner: Record<string, unknown>, name: string): C {
  const value = learner[name];
  expect(value, `main.ts must export a class named \`${name}\``).to.be.a('function');
  return value as C;
}
