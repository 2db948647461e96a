/**
 * The learner's side of the collector model (labs gc-lost-object and gc-write-barrier): build a
 * small world with named objects and Go-like mutator programs, run one cycle with a barrier and
 * an explicit schedule of turns, and read back what sweep freed, what it lost (with the root path
 * the model's own reachability oracle finds), the broken invariants and a readable trace. A
 * learner-written barrier runs in place of the built-in kinds, and `checkBarrier` runs it over
 * thousands of seeded interleavings of random worlds.
 *
 * Learner code is hostile: a barrier that throws, loops (the lab runtime's loop guard bounds each
 * call: see core/callscope.ts), shades something that is not an object or writes to the heap
 * fails with an error that names what it did; a world, program or cycle beyond the lab's budget
 * fails before it freezes the page.
 */
import { inCallScope } from '../core/callscope';
import { FakeClock } from '../core/clock';
import { activeTrace } from '../core/env';
import { rngFromSeed, type Rng } from '../core/rng';
import { TraceRecorder } from '../core/trace';
import type { WriteBarrierHook } from './barrier';
import { Collector, type Violation, type WorldSpec } from './collector';
import type { HeapObject } from './heap';
import { gogcEvents } from './events';
import { randomWorld, type RandomWorldOptions } from './mutator';
import { GC_BACKGROUND_UTILIZATION_PERCENT, type Turn } from './sim';
import { PAGE_SIZE_BYTES } from './sizeclasses';
import type { InvariantName } from './events';
import type { BarrierKind, MarkerKind, MutatorOp, ObjectId, Pointer } from './types';

/** The lab's budget: beyond these a world or a cycle is refused with a message, not run. */
export const GC_LAB_LIMITS = {
  /** Objects in a world (every step checks the invariants over the whole heap). */
  objects: 2_000,
  /** Mutator ops over all goroutines, and turns in a schedule. */
  ops: 10_000,
  /** Steps of one cycle. */
  steps: 20_000,
  /** The heap's size: spans (8 KiB pages) beyond it are an out-of-memory. */
  heapBytes: 1 << 20,
  /** Interleavings one checkBarrier call may run. */
  seeds: 20_000,
};

/** A pointer in a world: an object's name (named worlds) or index, or null (nil). */
export type WorldRef = string | number | null;

/**
 * A world to collect. `objects` by name, each its pointer fields (`{ A: ['C'], B: [], C: [] }`),
 * or the model's array form (`[{ fields: [1] }, ...]`, object i is `obj{i+1}`). A goroutine's
 * `slots` are its stack (s0, s1, ...); its `program` is ops or Go-like lines:
 * `s2 = s0.f[1]` (load), `s0.f[1] = s2` (store: the barrier runs), `s1 = nil`,
 * `s1 = new(2 ptrs)`, `s1 = global[0]`.
 */
export interface GcWorld {
  objects: Record<string, WorldRef[]> | Array<{ fields: WorldRef[] }>;
  globals: WorldRef[];
  goroutines: Array<{ slots: WorldRef[]; program: Array<string | MutatorOp> }>;
}

/** The slot a barrier guards: `obj.fields[field]`, and its name (`A.f[0]`). */
export interface BarrierSlot {
  readonly obj: ObjectId;
  readonly field: number;
  readonly name: string;
}

/** What a learner-written barrier may do besides reading its arguments. */
export interface BarrierContext {
  /** Makes a white object grey (upstream: shade). nil is ignored. */
  shade(p: Pointer): void;
  /** The storing goroutine's stack is not scanned yet (the hybrid barrier's test). */
  readonly stackIsGrey: boolean;
  /** The storing goroutine. */
  readonly g: number;
  /** An object's pointer fields, read-only. */
  fields(p: ObjectId): readonly Pointer[];
  /** An object's name in reports (`A`, `obj7`). */
  name(p: Pointer): string;
}

/**
 * A write barrier as Go's compiler would call it before `*slot = ptr`: `old` is what the slot holds
 * now. It shades through `ctx`; the store itself happens after it returns.
 */
export type WriteBarrierFn = (slot: BarrierSlot, old: Pointer, ptr: Pointer, ctx: BarrierContext) => void;

export interface GcCycleOptions {
  world: GcWorld;
  /** A built-in kind, or your barrier (`claims` then says which kind it stands for). */
  barrier: BarrierKind | WriteBarrierFn;
  /** For your barrier: the kind whose needs apply (dijkstra: stack rescan; yuasa: snapshot). Default dijkstra. */
  claims?: BarrierKind;
  rescanStacks?: boolean;
  scanStacksAtStart?: boolean;
  hybridAsImplemented?: boolean;
  marker?: MarkerKind;
  /** Turns in order: 'M' the marker, n goroutine n; then the marker alone. Or `seed` for random turns. */
  schedule?: Turn[];
  seed?: number;
  /** Percent of random turns the marker gets (default 25). */
  markerPercent?: number;
  /** Steps before the cycle is stopped (default and at most GC_LAB_LIMITS.steps). */
  maxSteps?: number;
  /** The heap's limit in bytes (default GC_LAB_LIMITS.heapBytes). */
  heapLimitBytes?: number;
  /** Record the trace (default true): lines in `trace`, events in the lab run's trace. */
  trace?: boolean;
  /** The invariants checked after every step (default all). */
  invariants?: InvariantName[];
}

/** A reachable object sweep freed: its name and the path from a root, as the model's oracle found it. */
export interface LostObject {
  id: ObjectId;
  name: string;
  path: string[];
}

export interface GcInvariantBreak {
  invariant: InvariantName;
  step: number;
  name: string;
  path: string[];
}

export interface GcCycleReport {
  /** Names of the objects sweep freed. */
  freed: string[];
  /** Reachable objects sweep freed (empty when the barrier did its job). */
  lost: LostObject[];
  /** The first break of each invariant. */
  violations: GcInvariantBreak[];
  steps: number;
  /** The cycle, one line per event (`step 4: g0[1] A.f[0] = s2`). */
  trace: string[];
  /** The turns that ran, in order ('M' or a goroutine): a schedule that replays the cycle. */
  turns: Turn[];
}

/** A learner's barrier failed: it threw, looped, shaded a non-object or wrote to the heap. */
export class BarrierError extends Error {
  /** The cycle up to the failure, one line per event. */
  trace: string[] = [];
  constructor(message: string) {
    super(message);
    Object.defineProperty(this, 'name', { value: 'BarrierError' });
  }
}

/** The world, its programs or the cycle went past the lab's budget. */
export class GcBudgetError extends Error {
  /** The cycle up to the failure, one line per event. */
  trace: string[] = [];
  constructor(message: string) {
    super(message);
    Object.defineProperty(this, 'name', { value: 'GcBudgetError' });
  }
}

/** mheap.go: the heap grows in whole palloc chunks (pallocChunkPages = 512 pages of 8 KiB). */
const PALLOC_CHUNK_BYTES = 512 * PAGE_SIZE_BYTES;

const BUILT_IN: readonly BarrierKind[] = ['none', 'dijkstra', 'yuasa', 'hybrid'];

/** The kind a learner's barrier stands for (default dijkstra), checked. */
function claimed(claims: BarrierKind | undefined): BarrierKind {
  if (claims === undefined) return 'dijkstra';
  if (!BUILT_IN.includes(claims)) throw new RangeError(`claims: expected one of ${BUILT_IN.join(', ')}, got ${JSON.stringify(claims)}`);
  return claims;
}

/** One GC cycle of `world`; throws BarrierError or GcBudgetError (or a RangeError for a bad world) with what went wrong. */
// Upstream: src/runtime/mgc.go (gcStart -> gcBgMarkWorker -> gcMarkDone -> gcSweep), as runCycle
export function gcCycle(o: GcCycleOptions): GcCycleReport {
  const { spec, names } = toWorldSpec(o.world);
  return drive(spec, names, o, o.seed === undefined ? undefined : rngFromSeed(o.seed)).report;
}

/** Heap id -> name: world object i is heap id i + 1 (the collector allocates them in order). */
function namer(names: string[]): (p: Pointer) => string {
  return (p) => (p === null ? 'nil' : (names[p - 1] ?? `obj${p}`));
}

interface Driven {
  report: GcCycleReport;
  collector: Collector;
  /** `stepCheck` found its invariant broken after some step. */
  broke: boolean;
}

/** Options of `drive` beyond gcCycle's: a cheap check run after every step (the fuzzer's). */
interface DriveOptions extends Omit<GcCycleOptions, 'world'> {
  stepCheck?: (c: Collector) => boolean;
}

/** Runs the cycle like runCycle (same scheduler draws), with the lab's budget and the barrier hook. */
function drive(spec: WorldSpec, names: string[], o: DriveOptions, rng: Rng | undefined): Driven {
  const nameOf = namer(names);
  const rename = (text: string) => text.replace(/\bobj(\d+)/g, (_, id: string) => nameOf(Number(id)));
  const maxSteps = Math.min(o.maxSteps ?? GC_LAB_LIMITS.steps, GC_LAB_LIMITS.steps);
  const heapLimit = o.heapLimitBytes ?? GC_LAB_LIMITS.heapBytes;
  const recorder = o.trace === false ? undefined : new TraceRecorder();
  const custom = typeof o.barrier === 'function' ? o.barrier : undefined;
  if (!custom && !BUILT_IN.includes(o.barrier as BarrierKind)) throw new RangeError(`barrier: expected one of ${BUILT_IN.join(', ')} or a function (slot, old, ptr, ctx) => void, got ${JSON.stringify(o.barrier)}`);
  if (o.schedule && o.schedule.length > GC_LAB_LIMITS.ops) throw new GcBudgetError(`schedule: ${o.schedule.length} turns; the lab's budget is ${GC_LAB_LIMITS.ops}`);
  const kind: BarrierKind = custom ? claimed(o.claims) : (o.barrier as BarrierKind);
  let c: Collector | undefined;
  const hook = custom && learnerBarrier(custom, () => c!, nameOf);
  c = new Collector(spec, { sweep: 'synchronous', names, barrier: kind, rescanStacks: o.rescanStacks, scanStacksAtStart: o.scanStacksAtStart, hybridAsImplemented: o.hybridAsImplemented, marker: o.marker, writeBarrier: hook, invariants: o.invariants }, { clock: new FakeClock(), trace: recorder });
  const schedule = o.schedule ? [...o.schedule] : undefined;
  const sched = rng?.fork('gogc/scheduler');
  const turns: Turn[] = [];
  let broke = false;
  try {
    c.start();
    if (o.stepCheck) broke = o.stepCheck(c);
    while (!c.done) {
      if (c.step >= maxSteps) throw new GcBudgetError(`the cycle did not finish in ${maxSteps} steps (the lab's budget); it had ${c.heap.objects.size} objects and ${c.work.length} grey ones left to scan`);
      const turn = nextTurn(c, sched, schedule, o.markerPercent ?? GC_BACKGROUND_UTILIZATION_PERCENT);
      turns.push(turn);
      if (turn === 'M') c.stepMarker(sched !== undefined && sched.int(2) === 0);
      else {
        c.stepMutator(c.goroutines[turn]);
        const inUse = c.heap.spans.length * PAGE_SIZE_BYTES;
        // Upstream: src/runtime/mheap.go (grow) prints the first line when the OS refuses memory (it
        // asks in whole palloc chunks: 512 pages, 4 MiB); mcache.refill then throws the second.
        // Here the heap's limit plays the OS, page by page.
        if (inUse > heapLimit) throw new GcBudgetError(`runtime: out of memory: cannot allocate ${PALLOC_CHUNK_BYTES}-byte block (${inUse - PAGE_SIZE_BYTES} in use)\nfatal error: out of memory`);
      }
      if (o.stepCheck && !broke && c.marking) broke = o.stepCheck(c);
    }
  } catch (e) {
    if ((e instanceof BarrierError || e instanceof GcBudgetError) && recorder) e.trace = lines(recorder, rename);
    throw e;
  } finally {
    if (recorder) copyToRunTrace(recorder);
  }
  const named = (path: string[]) => path.map(rename);
  return {
    collector: c,
    broke,
    report: {
      freed: c.freed.map(nameOf),
      lost: c.lost.map((b) => ({ id: b.id, name: nameOf(b.id), path: named(b.path) })),
      violations: c.violations.map((v: Violation) => ({ invariant: v.invariant, step: v.step, name: nameOf(v.id), path: named(v.path) })),
      steps: c.step,
      trace: recorder ? lines(recorder, rename) : [],
      turns,
    },
  };
}

function lines(recorder: TraceRecorder, rename: (text: string) => string): string[] {
  return recorder.events.map((e) => rename(gogcEvents.text(e) ?? e.type));
}

/** runCycle's turn choice (sim.ts), kept identical so seeds pick the same interleavings. */
function nextTurn(c: Collector, rng: Rng | undefined, schedule: Turn[] | undefined, markerPercent: number): Turn {
  if (schedule) {
    while (schedule.length) {
      const t = schedule.shift()!;
      if (t === 'M') return t;
      const g = Number.isInteger(t) ? c.goroutines[t] : undefined;
      if (!g) throw new RangeError(`schedule: ${JSON.stringify(t)} is not a turn: 'M' (the marker) or a goroutine 0..${c.goroutines.length - 1}`);
      if (c.runnable(g)) return t;
    }
    return 'M';
  }
  const runnable = c.goroutines.filter((g) => c.runnable(g));
  if (!rng || runnable.length === 0 || rng.int(100) < markerPercent) return 'M';
  return runnable[rng.int(runnable.length)].id;
}

/** The cycle's events go to the lab run's trace too, where the view reads them. */
function copyToRunTrace(recorder: TraceRecorder): void {
  const run = activeTrace();
  if (!run) return;
  for (const e of recorder.events) {
    const { t, seq: _seq, component, type, ...fields } = e;
    run.emit(t, component, type, fields);
  }
}

/** A proxy that refuses every write, naming what was written. */
function readOnly<T extends object>(target: T, what: (key: string) => string): T {
  const refuse = (key: string | symbol): never => {
    throw new BarrierError(`your barrier wrote ${what(String(key))}: a write barrier only shades (ctx.shade); the store itself happens after it returns`);
  };
  return new Proxy(target, { set: (_t, k) => refuse(k), defineProperty: (_t, k) => refuse(k), deleteProperty: (_t, k) => refuse(k) });
}

/** Wraps the learner's barrier as the collector's hook: each call bounded, checked, and its shades validated. */
function learnerBarrier(fn: WriteBarrierFn, collector: () => Collector, nameOf: (p: Pointer) => string): WriteBarrierHook {
  let shades: ObjectId[] = [];
  let stackGrey = false;
  let g = 0;
  const ctx: BarrierContext = readOnly(
    {
      shade(p: Pointer) {
        if (p === null) return;
        if (typeof p !== 'number' || !collector().heap.objects.has(p)) {
          throw new BarrierError(`ctx.shade(${shown(p)}): not an object in the heap. shade takes a pointer (old, ptr, or one read with ctx.fields); nil is skipped`);
        }
        shades.push(p);
      },
      get stackIsGrey() {
        return stackGrey;
      },
      get g() {
        return g;
      },
      fields(p: ObjectId) {
        const obj = typeof p === 'number' ? collector().heap.objects.get(p) : undefined;
        if (!obj) throw new BarrierError(`ctx.fields(${shown(p)}): not an object in the heap`);
        return readOnly([...obj.fields], (k) => `${nameOf(p)}.f[${k}]`);
      },
      name: nameOf,
    },
    (k) => `ctx.${k}`,
  );
  // One read-only slot for the whole cycle, refilled before each call (no proxy per store).
  const current = { obj: 0, field: 0, name: '' };
  const slot: BarrierSlot = readOnly(current, (k) => `slot.${k}`);
  return (store) => {
    shades = [];
    stackGrey = store.stackGrey;
    g = store.g;
    const name = `${nameOf(store.obj)}.f[${store.field}]`;
    current.obj = store.obj;
    current.field = store.field;
    current.name = name;
    try {
      const out = inCallScope(() => fn(slot, store.old, store.ptr, ctx)) as unknown;
      if (out !== undefined && typeof (out as { then?: unknown })?.then === 'function') throw new BarrierError('it returned a promise: a write barrier runs synchronously, inside the store (no async, no await)');
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      const kind = e instanceof Error && e.name === 'LoopGuardError' ? 'looped' : 'threw';
      throw withFramesOf(e, new BarrierError(`your write barrier ${kind} at step ${collector().step} (g${store.g}: ${name} = ${nameOf(store.ptr)}, old ${nameOf(store.old)}): ${why}`));
    }
    return shades;
  };
}

/** `err` with the frames of `cause` first, so the lab reports the line of the barrier that failed, not the gcCycle call. */
function withFramesOf(cause: unknown, err: BarrierError): BarrierError {
  const inner = cause instanceof Error && typeof cause.stack === 'string' ? cause.stack.split('\n').filter((l) => /^\s+at /.test(l)) : [];
  if (!inner.length) return err;
  try {
    Object.defineProperty(err, 'stack', { value: [`${err.name}: ${err.message}`, ...inner].join('\n'), configurable: true, writable: true });
  } catch {
    // A locked-down Error keeps its own stack: the message still says what the barrier did.
  }
  return err;
}

function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// The world: names to indices, Go-like lines to ops, and the budget.

/** The model's WorldSpec for a GcWorld, and the objects' names by index. */
export function toWorldSpec(w: GcWorld): { spec: WorldSpec; names: string[] } {
  if (!w || typeof w !== 'object') throw new RangeError('world: expected { objects, globals, goroutines }');
  const named = !Array.isArray(w.objects);
  const size = named ? Object.keys(w.objects ?? {}).length : (w.objects as unknown[]).length;
  if (size > GC_LAB_LIMITS.objects) {
    throw new GcBudgetError(`world: ${size} objects; the lab's heap holds at most ${GC_LAB_LIMITS.objects} (each step checks the invariants over the whole heap)`);
  }
  const entries: Array<[string, WorldRef[]]> = named
    ? Object.entries(w.objects as Record<string, WorldRef[]>)
    : (w.objects as Array<{ fields: WorldRef[] }>).map((o, i) => [`obj${i + 1}`, o?.fields]);
  const names = entries.map(([n]) => n);
  const index = new Map(names.map((n, i) => [n, i]));
  const ref = (where: string) => (r: WorldRef): number | null => {
    if (r === null) return null;
    const i = typeof r === 'string' && named ? index.get(r) : !named && Number.isInteger(r) && (r as number) >= 0 && (r as number) < names.length ? (r as number) : undefined;
    if (i === undefined) throw new RangeError(`${where}: ${JSON.stringify(r)} is not an object of the world (${named ? `names: ${names.join(', ')}` : `indices 0..${names.length - 1}`}) or null`);
    return i;
  };
  const objects = entries.map(([n, fields]) => {
    if (!Array.isArray(fields)) throw new RangeError(`world: object ${n}: expected its pointer fields as an array (e.g. ['B', null])`);
    return { fields: fields.map(ref(`${n}'s fields`)) };
  });
  if (!Array.isArray(w.globals) || !Array.isArray(w.goroutines)) throw new RangeError('world: globals and goroutines are arrays');
  const globals = w.globals.map(ref('globals'));
  let ops = 0;
  const goroutines = w.goroutines.map((g, gi) => {
    if (!g || !Array.isArray(g.slots) || !Array.isArray(g.program)) throw new RangeError(`world: goroutine ${gi}: expected { slots: [...], program: [...] }`);
    ops += g.program.length;
    if (ops > GC_LAB_LIMITS.ops) throw new GcBudgetError(`world: more than ${GC_LAB_LIMITS.ops} mutator ops in the programs (the lab's budget for one cycle)`);
    const program = g.program.map((line, pc) => checkOp(typeof line === 'string' ? parseOp(line, `g${gi} program[${pc}]`) : line, g.slots.length, `g${gi} program[${pc}]`));
    return { slots: g.slots.map(ref(`g${gi}'s slots`)), program };
  });
  return { spec: { objects, globals, goroutines }, names };
}

const OP_FORMS = 's2 = s0.f[1] (load), s0.f[1] = s2 (store), s1 = nil, s1 = new(2 ptrs), s1 = global[0]';

/** A Go-like line (`s2 = s0.f[1]`) as a MutatorOp; the inverse of describeOp. */
export function parseOp(line: string, where = 'op'): MutatorOp {
  const t = String(line).trim();
  let m: RegExpMatchArray | null;
  if ((m = t.match(/^s(\d+)\s*=\s*s(\d+)\.f\[(\d+)\]$/))) return { op: 'load', dst: +m[1], obj: +m[2], field: +m[3] };
  if ((m = t.match(/^s(\d+)\.f\[(\d+)\]\s*=\s*s(\d+)$/))) return { op: 'store', obj: +m[1], field: +m[2], src: +m[3] };
  if ((m = t.match(/^s(\d+)\s*=\s*nil$/))) return { op: 'drop', dst: +m[1] };
  if ((m = t.match(/^s(\d+)\s*=\s*new\((\d+)(?:\s*ptrs?)?\)$/))) return { op: 'alloc', dst: +m[1], nfields: +m[2] };
  if ((m = t.match(/^s(\d+)\s*=\s*global\[(\d+)\]$/))) return { op: 'loadGlobal', dst: +m[1], global: +m[2] };
  throw new RangeError(`${where}: cannot read ${JSON.stringify(line)}; write one of: ${OP_FORMS}`);
}

function checkOp(op: MutatorOp, nSlots: number, where: string): MutatorOp {
  const slots = (...xs: unknown[]) => xs.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < nSlots);
  const ok =
    op?.op === 'load' ? slots(op.dst, op.obj) && Number.isInteger(op.field) && op.field >= 0
    : op?.op === 'store' ? slots(op.obj, op.src) && Number.isInteger(op.field) && op.field >= 0
    : op?.op === 'drop' ? slots(op.dst)
    : op?.op === 'alloc' ? slots(op.dst) && Number.isInteger(op.nfields) && op.nfields >= 0 && op.nfields <= 16
    : op?.op === 'loadGlobal' ? slots(op.dst) && Number.isInteger(op.global) && op.global >= 0
    : false;
  if (!ok) throw new RangeError(`${where}: ${JSON.stringify(op)} is not an op on a stack of ${nSlots} slots (s0..s${nSlots - 1}; new() takes 0..16 pointers); write one of: ${OP_FORMS}`);
  return op;
}

// ---------------------------------------------------------------------------------------------
// The checker: many seeded interleavings over random worlds.

export interface CheckBarrierOptions {
  /** The kind your barrier stands for: its needs (dijkstra: rescan; yuasa: snapshot) and the invariant it must keep. Default dijkstra. */
  claims?: BarrierKind;
  /** How many seeds (default 2,000, at most GC_LAB_LIMITS.seeds), from `firstSeed` (default 0). */
  seeds?: number;
  firstSeed?: number;
  rescanStacks?: boolean;
  scanStacksAtStart?: boolean;
  marker?: MarkerKind;
  /** Sizes of the random worlds (the model's randomWorld defaults). */
  world?: RandomWorldOptions;
}

export interface BarrierFailure {
  seed: number;
  /** What broke: a reachable object freed, the claimed invariant, or the barrier itself (threw or looped). */
  kind: 'lost' | 'invariant' | 'barrier';
  /** One paragraph: the seed, what broke, the path. */
  message: string;
  lost: LostObject[];
  violations: GcInvariantBreak[];
  /** The seed's world and the turns that ran; `gcCycle({ world, barrier, claims, seed })` replays it step for step. */
  world: GcWorld;
  turns: Turn[];
  /** The interleaving, one line per event. */
  trace: string[];
}

export interface BarrierCheckResult {
  ok: boolean;
  /** Interleavings run (up to and including a failing one). */
  interleavings: number;
  failure?: BarrierFailure;
}

/** The invariant each kind keeps (README: Barriers): dijkstra the strong one on the heap, the deletion barriers the weak one. */
const CLAIMED: Record<BarrierKind, InvariantName[]> = { none: [], dijkstra: ['strongHeap'], yuasa: ['weak'], hybrid: ['weak'] };

/**
 * Runs `barrier` over seeded random worlds and interleavings (the fuzzer's: randomWorld of
 * `seed`, turns drawn like runCycle's) and reports the first seed where sweep frees a reachable
 * object or the barrier fails, else the first that broke the claimed invariant; that seed is
 * replayed with its trace (which also goes to the lab run's trace).
 */
export function checkBarrier(barrier: WriteBarrierFn | BarrierKind, o: CheckBarrierOptions = {}): BarrierCheckResult {
  const count = o.seeds ?? 2_000;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`seeds: a whole number of interleavings from 1, got ${count}`);
  if (count > GC_LAB_LIMITS.seeds) throw new GcBudgetError(`seeds: ${count}; the lab's budget is ${GC_LAB_LIMITS.seeds} interleavings per check`);
  const claims = claimed(o.claims);
  const first = o.firstSeed ?? 0;
  // The fast path checks the claimed invariant with an allocation-free predicate (the collector's
  // own checkers build every edge after every step); a seed that fails is replayed with them.
  const fast = { barrier, claims, rescanStacks: o.rescanStacks, scanStacksAtStart: o.scanStacksAtStart, marker: o.marker, invariants: [], stepCheck: FAST_CHECK[claims], trace: false };
  const full = { ...fast, invariants: undefined, stepCheck: undefined };
  // A lost object is the clearest report: the first seed that loses one wins over an earlier seed
  // that only broke the invariant (reported when no seed loses anything). A failing barrier stops at once.
  let firstBreak: number | undefined;
  const runOf = (seed: number) => {
    const spec = randomWorld(rngFromSeed(seed).fork('world'), o.world);
    return { spec, run: (trace: boolean) => drive(spec, [], trace ? { ...full, trace } : fast, rngFromSeed(seed)) };
  };
  for (let i = 0; i < count; i++) {
    const seed = (first + i) >>> 0;
    const { spec, run } = runOf(seed);
    let driven: Driven;
    try {
      driven = run(false);
    } catch (e) {
      if (e instanceof BarrierError) return { ok: false, interleavings: i + 1, failure: replay(seed, spec, run, claims) };
      throw e;
    }
    if (driven.report.lost.length) return { ok: false, interleavings: i + 1, failure: replay(seed, spec, run, claims) };
    if (firstBreak === undefined && driven.broke) firstBreak = seed;
  }
  if (firstBreak === undefined) return { ok: true, interleavings: count };
  const { spec, run } = runOf(firstBreak);
  return { ok: false, interleavings: count, failure: replay(firstBreak, spec, run, claims) };
}

/** The failing seed again, with its trace, as a failure report. */
function replay(seed: number, spec: WorldSpec, run: (trace: boolean) => Driven, claims: BarrierKind): BarrierFailure {
  const world: GcWorld = { objects: spec.objects.map((o) => ({ fields: o.fields })), globals: spec.globals, goroutines: spec.goroutines };
  try {
    const { report } = run(true);
    const broken = report.violations.find((v) => CLAIMED[claims].includes(v.invariant));
    const kind = report.lost.length ? 'lost' : 'invariant';
    const message = report.lost.length
      ? `seed ${seed}: sweep freed ${report.lost.map((l) => `${l.name}, still reachable through ${l.path.join(' -> ')}`).join('; ')}`
      : `seed ${seed}: the ${broken!.invariant} invariant your ${claims} barrier must keep broke at step ${broken!.step}: ${broken!.path.join(' -> ')}`;
    return { seed, kind, message, lost: report.lost, violations: report.violations, world, turns: report.turns, trace: report.trace };
  } catch (e) {
    if (!(e instanceof BarrierError)) throw e;
    return { seed, kind: 'barrier', message: `seed ${seed}: ${e.message}`, lost: [], violations: [], world, turns: [], trace: e.trace };
  }
}

// ---------------------------------------------------------------------------------------------
// Allocation-free forms of invariants.ts' checkStrong(heapOnly) and checkWeak, for the fuzzer's
// fast path (lab.test.ts checks they agree with the model's checkers after every step).

/** Some black heap object points to a white one (Dijkstra's promise broken). */
export function breaksStrongHeap(c: Collector): boolean {
  const objects = c.heap.objects;
  for (const o of objects.values()) {
    if (o.color !== 'black') continue;
    for (const p of o.fields) if (p !== null && objects.get(p)!.color === 'white') return true;
  }
  return false;
}

const guarded = new Set<ObjectId>();
const pending: ObjectId[] = [];

/** Adds a white object to `guarded` (reachable from a grey holder through white objects). */
function guard(objects: Map<ObjectId, HeapObject>, p: Pointer): void {
  if (p !== null && objects.get(p)!.color === 'white' && !guarded.has(p)) {
    guarded.add(p);
    pending.push(p);
  }
}

/** Whether some pointer in `ptrs` is to a white object no grey holder protects. */
function exposes(objects: Map<ObjectId, HeapObject>, ptrs: readonly Pointer[]): boolean {
  for (const p of ptrs) if (p !== null && objects.get(p)!.color === 'white' && !guarded.has(p)) return true;
  return false;
}

/** Some white object a black holder points to is not reachable from a grey holder through white objects. */
export function breaksWeak(c: Collector): boolean {
  const objects = c.heap.objects;
  guarded.clear();
  pending.length = 0;
  if (!c.globalsScanned) for (const p of c.globals) guard(objects, p);
  for (const g of c.goroutines) if (!g.stackScanned) for (const p of g.slots) guard(objects, p);
  for (const o of objects.values()) if (o.color === 'grey') for (const p of o.fields) guard(objects, p);
  while (pending.length) for (const p of objects.get(pending.pop()!)!.fields) guard(objects, p);
  if (c.globalsScanned && exposes(objects, c.globals)) return true;
  for (const g of c.goroutines) if (g.stackScanned && exposes(objects, g.slots)) return true;
  for (const o of objects.values()) if (o.color === 'black' && exposes(objects, o.fields)) return true;
  return false;
}

const FAST_CHECK: Record<BarrierKind, ((c: Collector) => boolean) | undefined> = { none: undefined, dijkstra: breaksStrongHeap, yuasa: breaksWeak, hybrid: breaksWeak };
