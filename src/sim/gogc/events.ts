/**
 * Every trace event of the Go collector model, declared once: its fields, its line of text and
 * the runtime function at go1.26.0 it models. Each event carries `step`, the scheduler step it
 * happened in, and `at`, the virtual time in ns since the world was built (cost.ts prices each unit
 * of work; the trace's `t` is the same instant on the environment's clock, in ms).
 */
import { defineEvents, type AnyEventOf } from '../core/events';
import type { BarrierKind, Color, GcPhase } from './types';

/** The Go release this model follows. */
export const GO_TAG = 'go1.26.0';

/** The invariants the checkers know (see invariants.ts); `strongHeap` is the strong one over heap objects only. */
export type InvariantName = 'strong' | 'strongHeap' | 'weak' | 'markComplete' | 'lostObject';

/** Who shaded an object: a root scan, scanobject, a write barrier, or the mark-termination rescan. */
export type ShadeCause = 'markroot' | 'scan' | 'barrier' | 'rescan';

/** Why the world stops: upstream's stwReason strings (runtime/proc.go), plus the historic collector's one pause. */
export type StwReason = 'GC sweep termination' | 'GC mark termination' | 'stop-the-world GC';

/**
 * Who swept a span: the background sweeper, an allocation (lazy), sweep termination finishing the
 * last cycle's, or a stopped world (the historic collector, or `sweep: 'synchronous'`).
 */
export type SweptBy = 'bgsweep' | 'alloc' | 'finishsweep' | 'stw';

/** The fields of each event, before the emitter stamps `at`. */
export type GogcEventFields = {
  /** The collector entered `phase`. */
  /** The world a collector was built over (step 0): every object with its span and fields, the globals and each stack's slots; what a heap view draws before the first step. */
  'gogc.world': { step: number; objects: Array<{ id: number; sizeclass: number; spanId: number; fields: Array<number | null> }>; globals: Array<number | null>; stacks: Array<Array<number | null>>; names?: Record<number, string> };
  'gogc.phase': { step: number; phase: GcPhase; barrier: BarrierKind };
  /** Goroutine `g` allocated object `id` (black during mark: gcmarknewobject). */
  'gogc.alloc': { step: number; g: number; id: number; sizeclass: number; color: Color };
  /** Goroutine `g` ran one operation of its program. */
  'gogc.op': { step: number; g: number; pc: number; text: string };
  /** A white object turned grey and went on the work queue. */
  'gogc.shade': { step: number; id: number; cause: ShadeCause };
  /** A root job: the globals, or one goroutine's stack (then black, never rescanned unless `rescan`). */
  'gogc.markroot': { step: number; root: string; rescan: boolean };
  /** scanobject: a grey object's fields were shaded and it turned black. */
  'gogc.scan': { step: number; id: number; fields: number };
  /** Green Tea: one queued span scanned; `ids` are the marked-but-unscanned objects it scanned, in address order. */
  'gogc.scanspan': { step: number; spanId: number; sizeclass: number; ids: number[]; oneMark: boolean };
  /** A heap pointer store ran the write barrier; `shaded` lists the objects it turned grey. */
  'gogc.barrier': { step: number; g: number; barrier: BarrierKind; slot: string; old: number | null; new: number | null; shaded: number[] };
  /** Sweep returned a white object's slot to its span. */
  'gogc.free': { step: number; id: number; sizeclass: number; spanId: number };
  /** A checker found an invariant broken: `path` runs from a holder (or root) to the object. */
  'gogc.violation': { step: number; invariant: InvariantName; id: number; path: string[] };
  /** The world stopped (`world: 'stop'`) or started again (`'start'`, with the pause's length). */
  'gogc.stw': { step: number; world: 'stop' | 'start'; reason: StwReason; pauseNs: number };
  /**
   * A mutator in debt after allocating while marking paid it off (gcAssistAlloc): `scanWork` bytes
   * owed, `stolen` of them from the background workers' credit, `workDone` scanned itself;
   * `assistBytes` is its balance after (negative: still in debt, no mark work was left).
   */
  'gogc.assist': { step: number; g: number; debtBytes: number; scanWork: number; stolen: number; workDone: number; assistBytes: number };
  /** One span swept: its white objects freed (`freed`), the survivors' marks cleared for the next cycle. */
  'gogc.sweep': { step: number; spanId: number; sizeclass: number; freed: number; by: SweptBy };
  /** The runtime died (out of memory): `lines` are what it prints to stderr. */
  'gogc.fatal': { step: number; lines: string[] };
};

/** Every event, with `at`: virtual ns since the world was built. */
export type GogcEventMap = { [K in keyof GogcEventFields]: GogcEventFields[K] & { at: number } };

export type GogcEvent = AnyEventOf<GogcEventMap>;

const go = (file: string, symbol: string) => ({ file: `src/runtime/${file}`, symbol });

export const gogcEvents = defineEvents<GogcEventMap>(
  'gogc',
  { name: 'go', tag: GO_TAG, blobUrl: `https://github.com/golang/go/blob/${GO_TAG}/` },
  {
    'gogc.world': { text: (e) => `step ${e.step}: world of ${e.objects.length} objects, ${e.globals.length} globals, ${e.stacks.length} goroutine stacks` },
    'gogc.phase': { text: (e) => `step ${e.step}: phase ${e.phase} (barrier ${e.barrier})`, source: go('mgc.go', 'setGCPhase') },
    'gogc.alloc': { text: (e) => `step ${e.step}: g${e.g} alloc obj${e.id} class ${e.sizeclass} ${e.color}`, source: go('mgcmark.go', 'gcmarknewobject') },
    'gogc.op': { text: (e) => `step ${e.step}: g${e.g}[${e.pc}] ${e.text}` },
    'gogc.shade': { text: (e) => `step ${e.step}: shade obj${e.id} (${e.cause})`, source: go('mgcmark.go', 'shade') },
    'gogc.markroot': {
      text: (e) => `step ${e.step}: ${e.rescan ? 'rescan' : 'markroot'} ${e.root}`,
      source: (e) => (e.root === 'globals' ? go('mgcmark.go', 'markrootBlock') : go('mgcmark.go', 'scanstack')),
    },
    'gogc.scan': { text: (e) => `step ${e.step}: scanobject obj${e.id} (${e.fields} fields) -> black`, source: go('mgcmark.go', 'scanobject') },
    'gogc.scanspan': {
      text: (e) => `step ${e.step}: scanSpan span ${e.spanId} (class ${e.sizeclass}${e.oneMark ? ', one mark' : ''}): ${e.ids.length ? e.ids.map((id) => `obj${id}`).join(',') : 'nothing'}`,
      source: go('mgcmark_greenteagc.go', 'scanSpan'),
    },
    'gogc.barrier': {
      text: (e) => `step ${e.step}: g${e.g} ${e.barrier} barrier ${e.slot}: ${ptr(e.old)} -> ${ptr(e.new)}${e.shaded.length ? ` shaded ${e.shaded.map((id) => `obj${id}`).join(',')}` : ''}`,
      source: go('mwbbuf.go', 'wbBufFlush1'),
    },
    'gogc.free': { text: (e) => `step ${e.step}: free obj${e.id} (class ${e.sizeclass}, span ${e.spanId})`, source: go('mgcsweep.go', 'sweepLocked.sweep') },
    'gogc.violation': { text: (e) => `step ${e.step}: ${e.invariant} invariant broken at obj${e.id}: ${e.path.join(' -> ')}` },
    'gogc.stw': {
      text: (e) => (e.world === 'stop' ? `step ${e.step}: stop the world (${e.reason})` : `step ${e.step}: start the world (${e.reason}, paused ${formatNs(e.pauseNs)})`),
      source: (e) => go('proc.go', e.world === 'stop' ? 'stopTheWorldWithSema' : 'startTheWorldWithSema'),
    },
    'gogc.assist': {
      text: (e) =>
        `step ${e.step}: g${e.g} assist: owes ${e.scanWork} B of scan work for ${e.debtBytes} B allocated, stole ${e.stolen}, scanned ${e.workDone}, balance ${e.assistBytes} B`,
      source: go('mgcmark.go', 'gcAssistAlloc'),
    },
    'gogc.sweep': {
      text: (e) => `step ${e.step}: sweep span ${e.spanId} (class ${e.sizeclass}, ${e.by}): ${e.freed} freed`,
      source: (e) => (e.by === 'alloc' ? go('mcentral.go', 'mcentral.cacheSpan') : e.by === 'bgsweep' ? go('mgcsweep.go', 'bgsweep') : go('mgcsweep.go', 'sweepLocked.sweep')),
    },
    'gogc.fatal': { text: (e) => `step ${e.step}: ${e.lines.join(' / ')}`, source: go('mheap.go', 'mheap.grow') },
  },
);

/** A duration in ns as gctrace-like text: `850ns`, `12.5µs`, `3.2ms`. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns}ns`;
  if (ns < 1_000_000) return `${Math.round(ns / 100) / 10}µs`;
  return `${Math.round(ns / 100_000) / 10}ms`;
}

function ptr(p: number | null): string {
  return p === null ? 'nil' : `obj${p}`;
}
