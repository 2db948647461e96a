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

export * from './check-core';

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
