/** Mutator programs: their text, and random ones drawn from a seeded Rng. */
import type { Rng } from '../core/rng';
import type { WorldSpec } from './collector';
import type { MutatorOp } from './types';

/** One op as Go-like text, e.g. `s0 = s1.f[2]`. */
export function describeOp(op: MutatorOp): string {
  switch (op.op) {
    case 'load':
      return `s${op.dst} = s${op.obj}.f[${op.field}]`;
    case 'store':
      return `s${op.obj}.f[${op.field}] = s${op.src}`;
    case 'alloc':
      return `s${op.dst} = new(${op.nfields} ptrs)`;
    case 'drop':
      return `s${op.dst} = nil`;
    case 'loadGlobal':
      return `s${op.dst} = global[${op.global}]`;
  }
}

/** Sizes of a random world. */
export interface RandomWorldOptions {
  objects?: number;
  globals?: number;
  goroutines?: number;
  slots?: number;
  fields?: number;
  opsPerGoroutine?: number;
}

/**
 * A random small world: a heap of objects with random fields, a few globals and stacks pointing
 * into it, and a program per goroutine that mostly moves pointers around (loads, stores, drops),
 * which is what hides objects from a collector without barriers.
 */
export function randomWorld(rng: Rng, o: RandomWorldOptions = {}): WorldSpec {
  const nObjects = o.objects ?? 8;
  const nSlots = o.slots ?? 3;
  const nFields = o.fields ?? 2;
  const ptr = () => (rng.int(3) === 0 ? null : rng.int(nObjects));
  const objects = Array.from({ length: nObjects }, () => ({ fields: Array.from({ length: 1 + rng.int(nFields) }, ptr) }));
  const globals = Array.from({ length: o.globals ?? 2 }, ptr);
  const goroutines = Array.from({ length: o.goroutines ?? 2 }, () => ({
    slots: Array.from({ length: nSlots }, ptr),
    program: Array.from({ length: o.opsPerGoroutine ?? 12 }, () => randomOp(rng, nSlots, nFields, globals.length)),
  }));
  return { objects, globals, goroutines };
}

function randomOp(rng: Rng, nSlots: number, nFields: number, nGlobals: number): MutatorOp {
  const slot = () => rng.int(nSlots);
  const k = rng.int(10);
  if (k < 4) return { op: 'load', dst: slot(), obj: slot(), field: rng.int(nFields) };
  if (k < 7) return { op: 'store', obj: slot(), field: rng.int(nFields), src: slot() };
  if (k < 8) return { op: 'drop', dst: slot() };
  if (k < 9 && nGlobals > 0) return { op: 'loadGlobal', dst: slot(), global: rng.int(nGlobals) };
  return { op: 'alloc', dst: slot(), nfields: 1 + rng.int(nFields) };
}
