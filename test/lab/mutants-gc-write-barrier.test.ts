// Mutants of the gc-write-barrier lab: Dijkstra barriers a learner plausibly writes wrong (the
// other pointer, nothing, only into nil or non-nil slots, only from grey stacks, only field 0, a
// crash on nil), a wrong prediction about the stack rescan, and Yuasa's barrier on the wrong pointer.
import { defineMutants } from './mutants';

const lab = 'gc-write-barrier';
const DIJKSTRA = 'export const dijkstraBarrier: WriteBarrierFn = (_slot, _old, ptr, ctx) => {\n  ctx.shade(ptr);\n};';
const dijkstra = (body: string, params = '(slot, old, ptr, ctx)') => `export const dijkstraBarrier: WriteBarrierFn = ${params} => {\n  ${body}\n};`;

defineMutants([
  {
    name: 'shades the old pointer instead (Yuasa without its snapshot): the strong invariant breaks, then objects are lost',
    lab,
    from: DIJKSTRA,
    to: dijkstra('ctx.shade(old);'),
    fails: ['dijkstraKeepsClassic', 'dijkstraSurvivesFuzz', 'predictsRescan'],
    passes: ['yuasaSurvivesFuzz'],
  },
  {
    name: 'shades nothing',
    lab,
    from: DIJKSTRA,
    to: dijkstra('void slot;'),
    fails: ['dijkstraKeepsClassic', 'dijkstraSurvivesFuzz'],
  },
  {
    name: 'shades only when the slot was non-nil (a store into an empty field is missed)',
    lab,
    from: DIJKSTRA,
    to: dijkstra('if (old !== null) ctx.shade(ptr);'),
    fails: ['dijkstraKeepsClassic', 'dijkstraSurvivesFuzz'],
  },

  {
    name: 'shades only stores into field 0: the classic scenario passes, the fuzzer does not',
    lab,
    from: DIJKSTRA,
    to: dijkstra('if (slot.field === 0) ctx.shade(ptr);'),
    fails: ['dijkstraSurvivesFuzz'],
    passes: ['dijkstraKeepsClassic'],
  },
  {
    name: "reads the new object's fields without checking for nil: the barrier throws on a nil store",
    lab,
    from: DIJKSTRA,
    to: dijkstra('ctx.fields(ptr!);\n  ctx.shade(ptr);'),
    fails: ['dijkstraKeepsClassic', 'dijkstraSurvivesFuzz'],
  },

  {
    name: 'predicts that the rescan is not needed',
    lab,
    from: "export const survivesWithoutRescan: boolean | '?' = false;",
    to: "export const survivesWithoutRescan: boolean | '?' = true;",
    fails: ['predictsRescan'],
    passes: ['dijkstraKeepsClassic', 'dijkstraSurvivesFuzz', 'yuasaSurvivesFuzz'],
  },
  {
    name: "Yuasa's barrier on the new pointer",
    lab,
    from: 'export const yuasaBarrier: WriteBarrierFn = (_slot, old, _ptr, ctx) => {\n  ctx.shade(old);\n};',
    to: 'export const yuasaBarrier: WriteBarrierFn = (_slot, _old, ptr, ctx) => {\n  ctx.shade(ptr);\n};',
    fails: ['yuasaSurvivesFuzz'],
    passes: ['dijkstraSurvivesFuzz'],
  },
]);
