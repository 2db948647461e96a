/**
 * The write barriers, as what each one shades on a heap pointer store `*slot = ptr` while marking.
 * Stack writes never run a barrier (upstream: the compiler emits barriers only for stores that may
 * be in the heap); that is why Dijkstra needs a stack rescan and Yuasa a stack snapshot.
 */
import type { BarrierKind, Pointer } from './types';

/** What a barrier kind needs from the rest of the collector to be correct. */
export interface BarrierNeeds {
  /** Stacks are rescanned (with the world stopped) at mark termination. */
  rescanStacksAtTermination: boolean;
  /** Every stack is scanned in the one stop-the-world step that starts marking (a snapshot). */
  scanStacksAtStart: boolean;
}

/**
 * none: no protection at all. dijkstra: strong invariant on the heap, stacks unprotected, so they
 * are rescanned at the end (Go 1.5-1.7). yuasa: snapshot at the beginning, so stacks are scanned
 * all at once at the start. hybrid (Go 1.8+, proposal 17503): stacks scanned one at a time,
 * concurrently, never rescanned.
 */
export const BARRIER_NEEDS: Record<BarrierKind, BarrierNeeds> = {
  none: { rescanStacksAtTermination: false, scanStacksAtStart: false },
  dijkstra: { rescanStacksAtTermination: true, scanStacksAtStart: false },
  yuasa: { rescanStacksAtTermination: false, scanStacksAtStart: true },
  hybrid: { rescanStacksAtTermination: false, scanStacksAtStart: false },
};

/**
 * The pointers the barrier shades for `*slot = ptr`, old value first. `stackGrey`: the storing
 * goroutine's stack has not been scanned yet. The hybrid barrier follows mbarrier.go's pseudocode
 * (shade(*slot); if current stack is grey: shade(ptr)); upstream's code shades ptr
 * unconditionally because checking the stack's color costs more than shading (`asImplemented`:
 * gcWriteBarrier puts both pointers in the per-P buffer and wbBufFlush1 shades them all).
 */
// Upstream: src/runtime/mbarrier.go (the hybrid barrier comment) and mwbbuf.go (wbBufFlush1)
export function barrierShades(kind: BarrierKind, old: Pointer, ptr: Pointer, stackGrey: boolean, asImplemented = false): ObjectList {
  const out: ObjectList = [];
  const add = (p: Pointer) => {
    if (p !== null && !out.includes(p)) out.push(p);
  };
  if (kind === 'yuasa' || kind === 'hybrid') add(old);
  if (kind === 'dijkstra' || (kind === 'hybrid' && (stackGrey || asImplemented))) add(ptr);
  return out;
}

type ObjectList = number[];

/** One heap pointer store `obj.fields[field] = ptr` as a replacement barrier sees it (`old`: the slot's value before). */
export interface BarrierStore {
  g: number;
  obj: number;
  field: number;
  old: Pointer;
  ptr: Pointer;
  /** The storing goroutine's stack has not been scanned yet. */
  stackGrey: boolean;
}

/** A barrier written elsewhere (a lab's learner code): the objects to shade for one store, in place of the kind's rule. */
export type WriteBarrierHook = (store: BarrierStore) => number[];
