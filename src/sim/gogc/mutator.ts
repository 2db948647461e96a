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
 * A random small world: a heap that is a random tree, a few globals and stacks pointing
 * into it, and a program per goroutine that mostly moves pointers around (loads, stores, drops),
 * which is what hides objects from a collector without barriers.
 */
export function randomWorld(rng: Rng, o: RandomWorldOptions = {}): WorldSpec {
  const nObjects = o.objects ?? 12;
  const nSlots = o.slots ?? 4;
  const nFields = o.fields ?? 2;
  const ptr = () => (rng.int(3) === 0 ? null : rng.int(nObjects));
  // A random tree: each object hangs off one field of an earlier one (or is a root's), so most
  // objects have a single incoming pointer and one cut can hide a whole subtree.
  const objects = Array.from({ length: nObjects }, () => ({ fields: new Array<number | null>(1 + rng.int(nFields)).fill(null) }));
  for (let i = 1; i < nObjects; i++) {
    const parent = objects[rng.int(i)];
    const field = rng.int(parent.fields.length);
    if (parent.fields[field] === null) parent.fields[field] = i;
  }
  const globals = Array.from({ length: o.globals ?? 1 }, (_, i) => (i === 0 ? 0 : ptr()));
  const goroutines = Array.from({ length: o.goroutines ?? 2 }, () => ({
    slots: Array.from({ length: nSlots }, () => (rng.int(2) === 0 ? null : rng.int(nObjects))),
    program: randomProgram(rng, o.opsPerGoroutine ?? 24, nSlots, nFields, globals.length),
  }));
  return { objects, globals, goroutines };
}

/**
 * Single random ops mixed with "moves": load a pointer out of one object, store it into another,
 * cut the old link, drop the stack copy. A move is the pattern that hides an object from a
 * collector without barriers, so the worlds exercise it often.
 */
function randomProgram(rng: Rng, length: number, nSlots: number, nFields: number, nGlobals: number): MutatorOp[] {
  const ops: MutatorOp[] = [];
  while (ops.length < length) {
    if (rng.int(2) === 0 || nSlots < 4) {
      ops.push(randomOp(rng, nSlots, nFields, nGlobals));
      continue;
    }
    const [from, to, tmp, nil] = rng.shuffle(Array.from({ length: nSlots }, (_, i) => i));
    const [fromField, toField] = [rng.int(nFields), rng.int(nFields)];
    ops.push(
      { op: 'load', dst: tmp, obj: from, field: fromField },
      { op: 'store', obj: to, field: toField, src: tmp },
      { op: 'store', obj: from, field: fromField, src: nil },
      { op: 'drop', dst: tmp },
    );
  }
  return ops.slice(0, length);
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
