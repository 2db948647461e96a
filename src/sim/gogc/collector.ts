/**
 * GC cycles over a small world: a heap, globals, and goroutines whose stacks are slots. The
 * caller (sim.ts) interleaves steps; each step is one unit of marker work (a root job or one
 * scanobject), one span swept, or one mutator operation, and the invariants are checked after it
 * while marking. Each unit of work costs virtual time (cost.ts), charged to a CPU bucket.
 */
import type { SimEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import { BARRIER_NEEDS, barrierShades, type WriteBarrierHook } from './barrier';
import * as cost from './cost';
import type { CpuBucket, GcCpuStats } from './cost';
import { gogcEvents, type GogcEventFields, type GogcEventMap, type InvariantName, type ShadeCause, type StwReason, type SweptBy } from './events';
import { GreenTea, countScan, newMarkerStats, usesSpanInlineMarkBits, type MarkerStats } from './greentea';
import { GoOutOfMemoryError, Heap, type HeapLimits, type HeapObject } from './heap';
import { checkMarkComplete, checkStrong, checkWeak, type Breach } from './invariants';
import { describeOp } from './mutator';
import { PTR_SIZE_BYTES, sizeToClass } from './sizeclasses';
import type { BarrierKind, CollectorKind, GcPhase, MarkerKind, MutatorOp, ObjectId, Pointer } from './types';

export interface Goroutine {
  id: number;
  /** Stack slots: the goroutine's local pointer variables. */
  slots: Pointer[];
  program: MutatorOp[];
  /** Next op to run. Invariant: `0 <= pc <= program.length` (== length: finished). */
  pc: number;
  /** Scanned this cycle: black from then on (hybrid: never rescanned). */
  stackScanned: boolean;
  /** Upstream's gcAssistBytes: allocation credit while marking; negative is a debt paid by assisting. */
  assistBytes: number;
}

/** A world to collect: objects by index (their fields name other indices), roots, programs. */
export interface WorldSpec {
  objects: Array<{ fields: Array<number | null> }>;
  globals: Array<number | null>;
  goroutines: Array<{ slots: Array<number | null>; program: MutatorOp[] }>;
}

export interface CollectorConfig {
  barrier: BarrierKind;
  /** Names of the world's objects by index (a lab's `{ a: [...], b: [...] }`), carried on `gogc.world` for views. */
  names?: readonly string[];
  /** Rescan stacks at mark termination (default: only for dijkstra). */
  rescanStacks?: boolean;
  /** Scan every stack in the starting stop-the-world step (default: only for yuasa). */
  scanStacksAtStart?: boolean;
  /** Hybrid only: shade the new pointer whatever the stack's color, as upstream's code does. */
  hybridAsImplemented?: boolean;
  /** Which mark algorithm: `classic` (one object at a time, LIFO) or `greentea` (Go 1.26's default). Default classic. */
  marker?: MarkerKind;
  /** Shades in place of the kind's rule (a lab's learner-written barrier); the kind still picks rescan/snapshot. */
  writeBarrier?: WriteBarrierHook;
  /** The invariants checked after every step (default all; a fuzzer checks only the one its barrier claims). */
  invariants?: InvariantName[];
  /** `concurrent` (default) or `stw`: the historic collector that stops the world for the whole cycle. */
  collector?: CollectorKind;
  /** Mutators allocating while marking pay scan work (default true). */
  assists?: boolean;
  /**
   * `background` (default): spans are swept after mark termination, concurrently (bgsweep, and
   * lazily by allocation). `synchronous`: every span is swept inside mark termination's pause, as
   * upstream's gcSweep does when the GC is not in background mode (GODEBUG=gcstoptheworld=1 or 2),
   * so the cycle is over when marking is (the first increment's behaviour).
   */
  sweep?: 'background' | 'synchronous';
  /**
   * The heap goal of the cycle the assists pace against (bytes). Default: twice the live bytes at
   * the cycle's start (GOGC=100 with that heap taken as the last cycle's marked heap).
   */
  heapGoalBytes?: number;
  /** Bytes of spans the heap may map; past it an allocation dies out of memory (GoOutOfMemoryError). */
  heapLimitBytes?: HeapLimits['heapLimitBytes'];
  /** The model's object cap (default MAX_OBJECTS, 100,000). */
  maxObjects?: number;
  /**
   * Run the whole-heap invariant checks after every step, as the first increment did (default
   * false: only after steps that can break them, see Collector.#opTouchesWhite; same reports).
   */
  checkEveryStep?: boolean;
}

/** A stop-the-world pause: why, when it started (ns), how long the world stood still. */
export interface Pause {
  reason: StwReason;
  step: number;
  startNs: number;
  pauseNs: number;
}

/** gctrace's timestamps of one cycle (ns since the world was built); -1 until reached. */
export interface GcTimes {
  tSweepTerm: number;
  tMark: number;
  tMarkTerm: number;
  /** Mark termination over: the world restarts and sweeping begins. */
  tEnd: number;
  /** The last span swept. */
  tSweepDone: number;
}

/**
 * Over-assist: an assist does at least this much scan work, banking credit for the next
 * allocations. Upstream gcOverAssistWork is 64 KiB; the model's heaps are a few hundred bytes, so
 * it is scaled down 1024 times.
 */
export const OVER_ASSIST_WORK_BYTES = 64;

/** Green Tea's per-step consistency check (a whole-heap pass) runs after marker steps up to this heap size. */
export const GREENTEA_CHECK_MAX_OBJECTS = 1_000;

export interface Violation extends Breach {
  invariant: InvariantName;
  step: number;
}

export class Collector {
  readonly heap: Heap;
  readonly globals: Pointer[];
  readonly goroutines: Goroutine[];
  readonly barrier: BarrierKind;
  readonly rescanStacks: boolean;
  readonly scanStacksAtStart: boolean;
  readonly hybridAsImplemented: boolean;
  readonly marker: MarkerKind;
  /** The Green Tea span queue and inline mark bits (only with `marker: 'greentea'`). */
  readonly greentea?: GreenTea;
  readonly stats: MarkerStats = newMarkerStats();
  phase: GcPhase = 'off';
  globalsScanned = false;
  /**
   * The grey objects waiting to be scanned one by one (gcWork). Invariant: exactly the grey
   * objects (classic); under Green Tea, the grey objects too small for span marks, the other grey
   * objects waiting in a queued span.
   */
  readonly work: ObjectId[] = [];
  /** Root jobs not yet done: 'globals', then each goroutine's stack. */
  readonly rootJobs: string[] = [];
  step = 0;
  /** First violation of each invariant, in the order found. */
  readonly violations: Violation[] = [];
  /** Objects sweep freed while still reachable. */
  readonly lost: Breach[] = [];
  readonly freed: ObjectId[] = [];
  readonly collector: CollectorKind;
  readonly assists: boolean;
  readonly sweepMode: 'background' | 'synchronous';
  readonly checkEveryStep: boolean;
  /** Virtual time in ns since the world was built: every unit of work advances it (cost.ts). */
  nowNs = 0;
  /** Where the time went, summed over every cycle (gctrace's CPU columns and the mutator's share). */
  readonly cpu: GcCpuStats = cost.newCpuStats();
  /** Every stop-the-world pause, in order. */
  readonly pauses: Pause[] = [];
  times: GcTimes = { tSweepTerm: -1, tMark: -1, tMarkTerm: -1, tEnd: -1, tSweepDone: -1 };
  /** Cycles finished (the last span swept). */
  cycles = 0;
  /** Spans left to sweep this cycle, in span order (upstream: the unswept span sets of mheap_.central). */
  readonly unswept = new Set<number>();
  /** Scan work (bytes) done this cycle, by anyone. */
  scanWork = 0;
  /** The scan work the cycle expects (the heap's pointer words and the roots at gcStart, in bytes). */
  scanWorkExpected = 0;
  heapGoalBytes = 0;
  /** Scan work the background marker did and no assist has stolen yet (gcController.bgScanCredit). */
  bgScanCredit = 0;
  /** heapLive at the cycle's start and at mark termination (gctrace's heap0 and heap1). */
  heap0 = 0;
  heap1 = 0;
  /** Bytes of the objects marked this cycle (gctrace's heap2, the pacer's heapMarked). */
  heapMarked = 0;
  readonly #config: CollectorConfig;
  readonly #clock: SimEnv['clock'];
  readonly #clockStartMs: number;
  #account: CpuBucket = 'mutatorNs';
  #stw: { reason: StwReason; startNs: number; step: number } | undefined;
  #lostAtSweep = new Map<ObjectId, Breach>();
  readonly #writeBarrier?: WriteBarrierHook;
  readonly #invariants?: InvariantName[];
  readonly #events: { emit<K extends keyof GogcEventFields & string>(type: K, fields: GogcEventFields[K]): void };

  constructor(spec: WorldSpec, config: CollectorConfig, env: Pick<SimEnv, 'clock' | 'trace'>) {
    this.#config = config;
    this.collector = config.collector ?? 'concurrent';
    this.assists = config.assists ?? true;
    this.sweepMode = config.sweep ?? 'background';
    this.checkEveryStep = config.checkEveryStep ?? false;
    this.heap = new Heap({ heapLimitBytes: config.heapLimitBytes, maxObjects: config.maxObjects });
    if (spec.objects.length > this.heap.maxObjects) {
      throw new RangeError(`world: ${spec.objects.length.toLocaleString('en-US')} objects is over the model's cap of ${this.heap.maxObjects.toLocaleString('en-US')} (maxObjects)`);
    }
    this.#clock = env.clock;
    this.#clockStartMs = env.clock.now();
    this.barrier = config.barrier;
    this.rescanStacks = config.rescanStacks ?? BARRIER_NEEDS[config.barrier].rescanStacksAtTermination;
    this.scanStacksAtStart = config.scanStacksAtStart ?? BARRIER_NEEDS[config.barrier].scanStacksAtStart;
    this.hybridAsImplemented = config.hybridAsImplemented ?? false;
    this.marker = config.marker ?? 'classic';
    if (this.marker === 'greentea') this.greentea = new GreenTea();
    const emitter = new EventEmitter<GogcEventMap, Record<string, never>>(gogcEvents, env, {});
    this.#events = { emit: (type, fields) => emitter.emit(type, Object.assign({}, fields, { at: this.nowNs }) as never) };
    this.#writeBarrier = config.writeBarrier;
    this.#invariants = config.invariants;
    const ids = spec.objects.map((o) => this.heap.alloc(o.fields.length, 'white').id);
    const idOf = (i: number | null): Pointer => {
      if (i === null) return null;
      if (!Number.isInteger(i) || i < 0 || i >= ids.length) throw new RangeError(`world: object index ${i} is out of range (0..${ids.length - 1})`);
      return ids[i];
    };
    spec.objects.forEach((o, i) => (this.heap.get(ids[i]).fields = o.fields.map(idOf)));
    this.globals = spec.globals.map(idOf);
    this.goroutines = spec.goroutines.map((g, id) => ({ id, slots: g.slots.map(idOf), program: g.program, pc: 0, stackScanned: false, assistBytes: 0 }));
    this.#emitWorld();
  }

  /** The world as built, for a heap view: without it a view can only infer pointers from the steps. */
  #emitWorld(): void {
    const objects = [...this.heap.objects.values()].map((o) => ({ id: o.id, sizeclass: o.sizeclass, spanId: o.spanId, fields: [...o.fields] }));
    const names = this.#config.names ? Object.fromEntries(this.#config.names.map((n, i) => [i + 1, n])) : undefined;
    this.#events.emit('gogc.world', { step: 0, objects, globals: [...this.globals], stacks: this.goroutines.map((g) => [...g.slots]), ...(names ? { names } : {}) });
  }

  /** The world is stopped (sweep termination or mark termination): no goroutine runs. */
  get worldStopped(): boolean {
    return this.#stw !== undefined;
  }

  get marking(): boolean {
    return this.phase === 'mark' || this.phase === 'marktermination';
  }

  get done(): boolean {
    return this.phase === 'off' && this.step > 0;
  }

  /** Goroutines run while marking, sweeping and between cycles; never while the world is stopped. */
  runnable(g: Goroutine): boolean {
    return !this.worldStopped && g.pc < g.program.length;
  }

  /**
   * Sweep termination (stop the world, finish sweeping the last cycle's spans), then turns on the
   * barrier and starts marking; a snapshot collector scans every root inside the pause. The
   * historic `stw` collector does the whole cycle inside this one pause.
   */
  // Upstream: src/runtime/mgc.go (gcStart: stopTheWorldWithSema(stwGCSweepTerm), finishsweep_m, setGCPhase(_GCmark), startTheWorldWithSema)
  start(heapGoalBytes?: number): void {
    if (this.phase !== 'off' && this.phase !== 'sweep') throw new Error(`gcStart: a cycle is already in ${this.phase}`);
    this.step++;
    this.#stopTheWorld(this.collector === 'stw' ? 'stop-the-world GC' : 'GC sweep termination');
    this.times = { tSweepTerm: this.nowNs - cost.STOP_THE_WORLD_NS, tMark: -1, tMarkTerm: -1, tEnd: -1, tSweepDone: -1 };
    this.#setPhase('sweeptermination');
    for (const spanId of [...this.unswept]) this.#sweepSpan(spanId, 'finishsweep');
    this.#resetMarkState(heapGoalBytes);
    this.#spend(cost.STW_BOOKKEEPING_NS);
    this.#setPhase('mark');
    this.rootJobs.push('globals', ...this.goroutines.map((g) => `g${g.id}`));
    if (this.scanStacksAtStart) while (this.rootJobs.length) this.markroot(this.rootJobs.shift()!, false);
    if (this.collector === 'stw') return this.#stwCycle();
    this.#startTheWorld();
    this.times.tMark = this.nowNs;
    this.#check('full');
  }

  // Upstream: src/runtime/mgc.go (gcResetMarkState) and mgcpacer.go (startCycle, revise's inputs)
  #resetMarkState(heapGoalBytes: number | undefined): void {
    this.globalsScanned = false;
    for (const g of this.goroutines) {
      g.stackScanned = false;
      g.assistBytes = 0;
    }
    this.scanWork = 0;
    this.bgScanCredit = 0;
    this.heap0 = this.heap.liveBytes;
    let words = this.globals.length + this.goroutines.reduce((n, g) => n + g.slots.length, 0);
    for (const obj of this.heap.objects.values()) words += Math.max(1, obj.fields.length);
    this.scanWorkExpected = words * PTR_SIZE_BYTES;
    this.heapGoalBytes = heapGoalBytes ?? this.#config.heapGoalBytes ?? 2 * this.heap.liveBytes;
  }

  /** The historic collector: mark everything and sweep everything with the world stopped. */
  #stwCycle(): void {
    this.times.tMark = this.nowNs;
    while (this.rootJobs.length) this.markroot(this.rootJobs.shift()!, false);
    while (this.hasWork) this.#scanNext();
    this.#markTermination();
    for (const spanId of [...this.unswept]) this.#sweepSpan(spanId, 'stw');
    this.#sweepDone();
  }

  /**
   * One unit of marker work; with none left, mark termination and sweep (stop the world). Root
   * jobs go first unless `scanFirst` (upstream's several mark workers and assists drain the work
   * queue while other workers still take root jobs).
   */
  // Upstream: src/runtime/mgcmark.go (gcDrain); mgcsweep.go (bgsweep) while sweeping
  stepMarker(scanFirst = false, idle = false): void {
    this.step++;
    if (this.phase === 'sweep' || this.phase === 'off') return this.#bgsweep();
    this.#account = idle ? 'idleNs' : 'backgroundNs';
    const before = this.scanWork;
    if (scanFirst && this.hasWork) this.#scanNext();
    else if (this.rootJobs.length) this.markroot(this.rootJobs.shift()!, false);
    else if (this.hasWork) this.#scanNext();
    else this.#markTermination();
    // Upstream: src/runtime/mgcmark.go (gcFlushBgCredit): the background worker's scan work becomes credit assists can steal.
    this.bgScanCredit += this.scanWork - before;
    if (this.marking) this.#check('marker');
  }

  /** Grey objects or queued spans left to scan. */
  get hasWork(): boolean {
    return this.work.length > 0 || (this.greentea?.spanq.length ?? 0) > 0;
  }

  /**
   * One scan: a grey object off the object queue, else (Green Tea) the oldest queued span.
   * Objects go first, a modelling choice: upstream's gcDrain tries its object buffers before
   * its span queue (recheck against go1.26.0's mgcmark.go).
   */
  #scanNext(): void {
    if (this.work.length) {
      this.scanobject(this.work.pop()!);
      return;
    }
    this.scanSpan();
  }

  /** Scans every marked-but-unscanned object of the oldest queued span, in address order. */
  // Upstream: src/runtime/mgcmark_greenteagc.go (scanSpan, scanObjectsSmall)
  scanSpan(): void {
    const next = this.greentea!.nextSpan()!;
    const span = this.heap.spans[next.ref.spanId];
    const ids = next.slots.map((slot) => span.slots.get(slot)!);
    this.stats.spanScans++;
    if (next.oneMark) this.stats.oneMarkScans++;
    if (!ids.length) this.stats.emptySpanScans++;
    this.#events.emit('gogc.scanspan', { step: this.step, spanId: span.spanId, sizeclass: span.sizeclass, ids, oneMark: next.oneMark });
    for (const id of ids) this.#blacken(this.heap.get(id), true);
  }

  /** Goroutine `g` runs its next operation. */
  stepMutator(g: Goroutine): void {
    this.step++;
    this.#account = 'mutatorNs';
    const op = g.program[g.pc];
    this.#events.emit('gogc.op', { step: this.step, g: g.id, pc: g.pc, text: describeOp(op) });
    const touchesWhite = this.#opTouchesWhite(g, op);
    g.pc++;
    try {
      this.#run(g, op);
    } catch (err) {
      if (err instanceof GoOutOfMemoryError) this.#events.emit('gogc.fatal', { step: this.step, lines: err.stderr });
      throw err;
    }
    this.#account = 'mutatorNs';
    this.#spend(cost.MUTATOR_OP_NS);
    this.#check(touchesWhite ? 'full' : 'marker');
  }

  /**
   * Whether the op writes a pointer slot whose old or new value is a white object. Only such an
   * op can break the strong or the weak invariant: a new black -> white edge needs a white new
   * value, and cutting a grey -> white -> ... -> white path needs a white old value. Marker work
   * never breaks them (a holder turns black only after shading everything it points to).
   */
  #opTouchesWhite(g: Goroutine, op: MutatorOp): boolean {
    const white = (p: Pointer | undefined) => p != null && this.heap.objects.get(p)?.color === 'white';
    const field = (slot: number, f: number): Pointer => {
      const p = g.slots[slot];
      const obj = p === null ? undefined : this.heap.objects.get(p);
      return obj && obj.fields.length ? obj.fields[f % obj.fields.length] : null;
    };
    switch (op.op) {
      case 'load':
        return white(g.slots[op.dst]) || white(field(op.obj, op.field));
      case 'store':
        return white(field(op.obj, op.field)) || white(g.slots[op.src]);
      case 'loadGlobal':
        return white(g.slots[op.dst]) || white(this.globals[op.global % this.globals.length]);
      case 'alloc':
      case 'drop':
        return white(g.slots[op.dst]);
    }
  }

  /** Makes a white object grey and queues it. */
  // Upstream: src/runtime/mgcmark.go (shade, greyobject)
  shade(p: Pointer, cause: ShadeCause): boolean {
    if (p === null) return false;
    // A pointer to an object sweep already freed (a lost object, kept by a mutator): nothing to mark.
    const obj = this.heap.objects.get(p);
    if (!obj || obj.color !== 'white') return false;
    obj.color = 'grey';
    if (this.greentea && usesSpanInlineMarkBits(obj.sizeclass)) this.greentea.mark(obj);
    else this.work.push(p);
    this.#events.emit('gogc.shade', { step: this.step, id: p, cause });
    return true;
  }

  /** A root job: shade what the globals or one stack point to; the root is then black. */
  // Upstream: src/runtime/mgcmark.go (markroot, markrootBlock, scanstack)
  markroot(job: string, rescan: boolean): void {
    const cause: ShadeCause = rescan ? 'rescan' : 'markroot';
    this.#events.emit('gogc.markroot', { step: this.step, root: job, rescan });
    const words = job === 'globals' ? this.globals.length : this.goroutines[Number(job.slice(1))].slots.length;
    this.#spend(cost.MARKROOT_NS + cost.ROOT_WORD_NS * words);
    this.scanWork += cost.wordsToBytes(words);
    if (job === 'globals') {
      for (const p of this.globals) this.shade(p, cause);
      this.globalsScanned = true;
      return;
    }
    const g = this.goroutines[Number(job.slice(1))];
    for (const p of g.slots) this.shade(p, cause);
    g.stackScanned = true;
  }

  /** Shades every field of a grey object; it turns black. */
  // Upstream: src/runtime/mgcmark.go (scanobject)
  scanobject(id: ObjectId): void {
    this.#blacken(this.heap.get(id), false);
  }

  #blacken(obj: HeapObject, viaSpan: boolean): void {
    const words = Math.max(1, obj.fields.length);
    this.#spend(cost.SCANOBJECT_NS + cost.SCAN_WORD_NS * words);
    this.scanWork += cost.wordsToBytes(words);
    for (const p of obj.fields) this.shade(p, 'scan');
    obj.color = 'black';
    countScan(this.stats, obj, viaSpan);
    this.#events.emit('gogc.scan', { step: this.step, id: obj.id, fields: obj.fields.length });
  }

  /** A heap pointer store through the write barrier. */
  // Upstream: src/runtime/mbarrier.go (the hybrid barrier header); asm_amd64.s (gcWriteBarrier) and mwbbuf.go (wbBufFlush1)
  writePointer(g: Goroutine, id: ObjectId, field: number, ptr: Pointer): void {
    const obj = this.heap.get(id);
    const old = obj.fields[field];
    const hook = this.#writeBarrier;
    if (this.marking && (hook || this.barrier !== 'none')) {
      const wants = hook ? hook({ g: g.id, obj: id, field, old, ptr, stackGrey: !g.stackScanned }) : barrierShades(this.barrier, old, ptr, !g.stackScanned, this.hybridAsImplemented);
      const shaded = wants.filter((p) => this.shade(p, 'barrier'));
      this.#events.emit('gogc.barrier', { step: this.step, g: g.id, barrier: this.barrier, slot: `obj${id}.f[${field}]`, old, new: ptr, shaded });
    }
    obj.fields[field] = ptr;
  }

  #run(g: Goroutine, op: MutatorOp): void {
    const fieldOf = (p: Pointer, field: number): [ObjectId, number] | undefined => {
      // nil, or an object sweep freed while this goroutine still held it (a lost object: upstream
      // that is memory corruption; the model skips the op, the loss is already reported).
      const n = p === null ? 0 : (this.heap.objects.get(p)?.fields.length ?? 0);
      return n === 0 ? undefined : [p!, field % n];
    };
    switch (op.op) {
      case 'load': {
        const at = fieldOf(g.slots[op.obj], op.field);
        if (at) g.slots[op.dst] = this.heap.get(at[0]).fields[at[1]];
        return;
      }
      case 'store': {
        const at = fieldOf(g.slots[op.obj], op.field);
        if (at) this.writePointer(g, at[0], at[1], g.slots[op.src]);
        return;
      }
      case 'alloc': {
        const bytes = sizeToClass(Math.max(1, op.nfields) * PTR_SIZE_BYTES).bytesPerObj;
        if (this.phase === 'mark' && this.assists) this.#assistAlloc(g, bytes);
        if (this.unswept.size) this.#lazySweep(op.nfields);
        // Upstream: src/runtime/mgcmark.go (gcmarknewobject): allocate black while marking.
        const obj = this.heap.alloc(op.nfields, this.marking ? 'black' : 'white');
        if (this.marking && this.greentea && usesSpanInlineMarkBits(obj.sizeclass)) this.greentea.allocBlack(obj);
        this.#events.emit('gogc.alloc', { step: this.step, g: g.id, id: obj.id, sizeclass: obj.sizeclass, color: obj.color });
        g.slots[op.dst] = obj.id;
        return;
      }
      case 'drop':
        g.slots[op.dst] = null;
        return;
      case 'loadGlobal':
        g.slots[op.dst] = this.globals[op.global % this.globals.length] ?? null;
        return;
    }
  }

  /**
   * Mark termination (stop the world; Dijkstra's stack rescan happens here), then sweeping starts
   * concurrently: every in-use span is queued unswept. The lost objects are known here: reachable
   * and still white, sweep will free them.
   */
  // Upstream: src/runtime/mgc.go (gcMarkDone, gcMarkTermination, gcSweep)
  #markTermination(): void {
    if (this.collector === 'concurrent') this.#stopTheWorld('GC mark termination');
    this.times.tMarkTerm = this.nowNs - (this.collector === 'concurrent' ? cost.STOP_THE_WORLD_NS : 0);
    this.heap1 = this.heap.liveBytes;
    this.#setPhase('marktermination');
    if (this.rescanStacks) {
      for (const g of this.goroutines) this.markroot(`g${g.id}`, true);
      while (this.hasWork) this.#scanNext();
    }
    const incomplete = checkMarkComplete(this);
    for (const b of incomplete) this.#violate('markComplete', b);
    this.#lostAtSweep = new Map(incomplete.map((b) => [b.id, b]));
    this.heapMarked = 0;
    for (const obj of this.heap.objects.values()) if (obj.color !== 'white') this.heapMarked += sizeToClass(Math.max(1, obj.fields.length) * PTR_SIZE_BYTES).bytesPerObj;
    this.#spend(cost.STW_BOOKKEEPING_NS);
    this.greentea?.reset();
    this.#setPhase('sweep');
    for (const span of this.heap.spans) if (span.allocCount > 0) this.unswept.add(span.spanId);
    if (this.collector === 'stw') return;
    // Upstream: src/runtime/mgc.go (gcSweep: the synchronous sweep when not in gcBackgroundMode)
    if (this.sweepMode === 'synchronous') for (const spanId of [...this.unswept]) this.#sweepSpan(spanId, 'stw');
    this.#startTheWorld();
    this.times.tEnd = this.nowNs;
    if (this.sweepMode === 'synchronous') this.#sweepDone();
  }

  /** The background sweeper's turn: one span; with none left, the cycle is over. */
  // Upstream: src/runtime/mgcsweep.go (bgsweep, sweepone)
  #bgsweep(): void {
    this.#account = 'sweepNs';
    const next = this.unswept.values().next();
    if (!next.done) this.#sweepSpan(next.value, 'bgsweep');
    if (!this.unswept.size && this.phase === 'sweep') this.#sweepDone();
  }

  /**
   * Before allocating into a span of its class, the goroutine sweeps that class's unswept spans in
   * order until one has room (or one already swept has), so nothing is allocated into a span whose
   * marks are not yet read.
   */
  // Upstream: src/runtime/mcentral.go (mcentral.cacheSpan: sweep spans of this class before taking one)
  #lazySweep(nfields: number): void {
    const prev = this.#account;
    this.#account = 'lazySweepNs';
    for (let span = this.heap.spanFor(nfields); span && this.unswept.has(span.spanId); span = this.heap.spanFor(nfields)) this.#sweepSpan(span.spanId, 'alloc');
    this.#account = prev;
    if (!this.unswept.size && this.phase === 'sweep') this.#sweepDone();
  }

  /** Frees the span's white objects (a reachable one freed is a lost object); survivors turn white for the next cycle. */
  // Upstream: src/runtime/mgcsweep.go (sweepLocked.sweep)
  #sweepSpan(spanId: number, by: SweptBy): void {
    this.unswept.delete(spanId);
    const span = this.heap.spans[spanId];
    this.#spend(cost.SWEEP_SPAN_NS + cost.SWEEP_OBJECT_NS * span.allocCount);
    const objects = [...span.slots.keys()].sort((a, b) => a - b).map((slot) => this.heap.get(span.slots.get(slot)!));
    const dead = objects.filter((o) => o.color === 'white');
    this.#events.emit('gogc.sweep', { step: this.step, spanId, sizeclass: span.sizeclass, freed: dead.length, by });
    for (const obj of objects) obj.color = 'white';
    for (const obj of dead) {
      const lost = this.#lostAtSweep.get(obj.id);
      if (lost) {
        this.lost.push(lost);
        this.#violate('lostObject', lost);
      }
      this.heap.free(obj.id);
      this.freed.push(obj.id);
      this.#events.emit('gogc.free', { step: this.step, id: obj.id, sizeclass: obj.sizeclass, spanId: obj.spanId });
    }
  }

  #sweepDone(): void {
    this.times.tSweepDone = this.nowNs;
    if (this.collector === 'stw') {
      this.times.tEnd = this.nowNs;
      this.#setPhase('off');
      this.#startTheWorld();
    } else this.#setPhase('off');
    this.cycles++;
  }

  /**
   * A goroutine allocating `bytes` while marking: its credit drops, and in debt it pays scan work
   * in proportion (the assist ratio), first by stealing the background workers' credit, then by
   * scanning itself (grey objects first, then root jobs). With no mark work left the debt stays
   * (upstream parks the goroutine until mark ends).
   */
  // Upstream: src/runtime/malloc.go (deductAssistCredit); mgcmark.go (gcAssistAlloc, gcAssistAlloc1, gcDrainN)
  #assistAlloc(g: Goroutine, bytes: number): void {
    g.assistBytes -= bytes;
    if (g.assistBytes >= 0) return;
    const workPerByte = this.assistWorkPerByte();
    const debtBytes0 = -g.assistBytes;
    let debtBytes = debtBytes0;
    let scanWork = Math.ceil(workPerByte * debtBytes);
    if (scanWork < OVER_ASSIST_WORK_BYTES) {
      scanWork = OVER_ASSIST_WORK_BYTES;
      debtBytes = Math.floor(scanWork / workPerByte);
    }
    const owed = scanWork;
    let stolen = 0;
    if (this.bgScanCredit > 0) {
      if (this.bgScanCredit < scanWork) {
        stolen = this.bgScanCredit;
        g.assistBytes += 1 + Math.floor(stolen / workPerByte);
      } else {
        stolen = scanWork;
        g.assistBytes += debtBytes;
      }
      this.bgScanCredit -= stolen;
      scanWork -= stolen;
    }
    let workDone = 0;
    if (scanWork > 0) {
      const prev = this.#account;
      this.#account = 'assistNs';
      const before = this.scanWork;
      while (this.scanWork - before < scanWork && (this.hasWork || this.rootJobs.length)) {
        if (this.hasWork) this.#scanNext();
        else this.markroot(this.rootJobs.shift()!, false);
      }
      workDone = this.scanWork - before;
      this.#account = prev;
      if (workDone > 0) g.assistBytes += 1 + Math.floor(workDone / workPerByte);
    }
    this.#events.emit('gogc.assist', { step: this.step, g: g.id, debtBytes: debtBytes0, scanWork: owed, stolen, workDone, assistBytes: g.assistBytes });
  }

  /** Scan work owed per byte allocated: the work still expected over the heap still allowed before the goal. */
  // Upstream: src/runtime/mgcpacer.go (revise: assistWorkPerByte = scanWorkRemaining / heapRemaining)
  assistWorkPerByte(): number {
    const scanWorkRemaining = Math.max(1, this.scanWorkExpected - this.scanWork);
    const heapRemaining = Math.max(1, this.heapGoalBytes - this.heap.liveBytes);
    return scanWorkRemaining / heapRemaining;
  }

  /** Nothing runs for `ns` (every goroutine blocked or done): time passes, no CPU is charged. */
  sleep(ns: number): void {
    if (!(ns >= 0)) throw new RangeError(`sleep: ns must be >= 0, got ${ns}`);
    const bucket = this.#account;
    this.#spend(ns);
    this.cpu[bucket] -= ns;
  }

  /** Moves virtual time on by `ns`, charged to the current CPU bucket. */
  #spend(ns: number): void {
    this.nowNs += ns;
    this.cpu[this.#account] += ns;
    const ms = this.#clockStartMs + this.nowNs / 1e6;
    if (ms > this.#clock.now()) this.#clock.setTime(ms);
  }

  // Upstream: src/runtime/proc.go (stopTheWorldWithSema)
  #stopTheWorld(reason: StwReason): void {
    this.#stw = { reason, startNs: this.nowNs, step: this.step };
    this.#events.emit('gogc.stw', { step: this.step, world: 'stop', reason, pauseNs: 0 });
    this.#account = 'pauseNs';
    this.#spend(cost.STOP_THE_WORLD_NS);
  }

  // Upstream: src/runtime/proc.go (startTheWorldWithSema)
  #startTheWorld(): void {
    const stw = this.#stw!;
    this.#account = 'pauseNs';
    this.#spend(cost.START_THE_WORLD_NS);
    const pauseNs = this.nowNs - stw.startNs;
    this.pauses.push({ reason: stw.reason, step: stw.step, startNs: stw.startNs, pauseNs });
    this.#stw = undefined;
    this.#events.emit('gogc.stw', { step: this.step, world: 'start', reason: stw.reason, pauseNs });
  }

  #setPhase(phase: GcPhase): void {
    this.phase = phase;
    this.#events.emit('gogc.phase', { step: this.step, phase, barrier: this.barrier });
  }

  /**
   * The per-step checks. `full` (after gcStart and after a mutator op that touched a white
   * object): every invariant not yet reported broken (each is reported once, so a broken one is
   * not searched again). `marker` (marker work, other mutator ops): they cannot have changed, see
   * #opTouchesWhite; only Green Tea's own consistency check runs, on heaps of up to
   * GREENTEA_CHECK_MAX_OBJECTS.
   */
  #check(kind: 'full' | 'marker'): void {
    if (!this.marking) return;
    if (this.greentea && (kind === 'full' || this.heap.objects.size <= GREENTEA_CHECK_MAX_OBJECTS)) {
      const bad = this.greentea.check(this.heap.objects.values(), this.work);
      if (bad !== undefined) throw new Error(`gogc: greentea mark bits disagree with obj${bad}'s color or its span is not queued (model bug)`);
    }
    if (kind === 'marker' && !this.checkEveryStep) return;
    const reported = (name: InvariantName) => this.violations.some((v) => v.invariant === name);
    if (this.#checks('strong') && !reported('strong')) {
      const strong = checkStrong(this);
      if (strong) this.#violate('strong', strong);
    }
    if (this.#checks('strongHeap') && !reported('strongHeap')) {
      const strongHeap = checkStrong(this, true);
      if (strongHeap) this.#violate('strongHeap', strongHeap);
    }
    if (this.#checks('weak') && !reported('weak')) {
      const weak = checkWeak(this);
      if (weak) this.#violate('weak', weak);
    }
  }

  #checks(invariant: InvariantName): boolean {
    return !this.#invariants || this.#invariants.includes(invariant);
  }

  #violate(invariant: InvariantName, b: Breach): void {
    const first = !this.violations.some((v) => v.invariant === invariant);
    if (invariant === 'lostObject' || first) {
      if (first) this.violations.push({ invariant, step: this.step, ...b });
      this.#events.emit('gogc.violation', { step: this.step, invariant, id: b.id, path: b.path });
    }
  }
}
