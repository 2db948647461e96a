/**
 * One GC cycle over a small world: a heap, globals, and goroutines whose stacks are slots. The
 * caller (sim.ts) interleaves steps; each step is one unit of marker work (a root job or one
 * scanobject) or one mutator operation, and the invariants are checked after it.
 */
import type { SimEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import { BARRIER_NEEDS, barrierShades, type WriteBarrierHook } from './barrier';
import { gogcEvents, type GogcEventMap, type InvariantName, type ShadeCause } from './events';
import { GreenTea, countScan, newMarkerStats, usesSpanInlineMarkBits, type MarkerStats } from './greentea';
import { Heap, type HeapObject } from './heap';
import { checkMarkComplete, checkStrong, checkWeak, type Breach } from './invariants';
import { describeOp } from './mutator';
import type { BarrierKind, GcPhase, MarkerKind, MutatorOp, ObjectId, Pointer } from './types';

export interface Goroutine {
  id: number;
  /** Stack slots: the goroutine's local pointer variables. */
  slots: Pointer[];
  program: MutatorOp[];
  /** Next op to run. Invariant: `0 <= pc <= program.length` (== length: finished). */
  pc: number;
  /** Scanned this cycle: black from then on (hybrid: never rescanned). */
  stackScanned: boolean;
}

/** A world to collect: objects by index (their fields name other indices), roots, programs. */
export interface WorldSpec {
  objects: Array<{ fields: Array<number | null> }>;
  globals: Array<number | null>;
  goroutines: Array<{ slots: Array<number | null>; program: MutatorOp[] }>;
}

export interface CollectorConfig {
  barrier: BarrierKind;
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
}

export interface Violation extends Breach {
  invariant: InvariantName;
  step: number;
}

export class Collector {
  readonly heap = new Heap();
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
  readonly #events: EventEmitter<GogcEventMap, Record<string, never>>;
  readonly #writeBarrier?: WriteBarrierHook;
  readonly #invariants?: InvariantName[];

  constructor(spec: WorldSpec, config: CollectorConfig, env: Pick<SimEnv, 'clock' | 'trace'>) {
    this.barrier = config.barrier;
    this.rescanStacks = config.rescanStacks ?? BARRIER_NEEDS[config.barrier].rescanStacksAtTermination;
    this.scanStacksAtStart = config.scanStacksAtStart ?? BARRIER_NEEDS[config.barrier].scanStacksAtStart;
    this.hybridAsImplemented = config.hybridAsImplemented ?? false;
    this.marker = config.marker ?? 'classic';
    if (this.marker === 'greentea') this.greentea = new GreenTea();
    this.#events = new EventEmitter(gogcEvents, env, {});
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
    this.goroutines = spec.goroutines.map((g, id) => ({ id, slots: g.slots.map(idOf), program: g.program, pc: 0, stackScanned: false }));
  }

  get marking(): boolean {
    return this.phase === 'mark' || this.phase === 'marktermination';
  }

  get done(): boolean {
    return this.phase === 'off' && this.step > 0;
  }

  runnable(g: Goroutine): boolean {
    return this.phase === 'mark' && g.pc < g.program.length;
  }

  /** Turns on the barrier and starts marking; a snapshot collector scans every root right here. */
  // Upstream: src/runtime/mgc.go (gcStart)
  start(): void {
    this.step++;
    this.#setPhase('mark');
    this.rootJobs.push('globals', ...this.goroutines.map((g) => `g${g.id}`));
    if (this.scanStacksAtStart) while (this.rootJobs.length) this.markroot(this.rootJobs.shift()!, false);
    this.#check();
  }

  /**
   * One unit of marker work; with none left, mark termination and sweep (stop the world). Root
   * jobs go first unless `scanFirst` (upstream's several mark workers and assists drain the work
   * queue while other workers still take root jobs).
   */
  // Upstream: src/runtime/mgcmark.go (gcDrain)
  stepMarker(scanFirst = false): void {
    this.step++;
    if (scanFirst && this.hasWork) this.#scanNext();
    else if (this.rootJobs.length) this.markroot(this.rootJobs.shift()!, false);
    else if (this.hasWork) this.#scanNext();
    else this.#markTermination();
    if (this.marking) this.#check();
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
    const op = g.program[g.pc];
    this.#events.emit('gogc.op', { step: this.step, g: g.id, pc: g.pc, text: describeOp(op) });
    g.pc++;
    this.#run(g, op);
    this.#check();
  }

  /** Makes a white object grey and queues it. */
  // Upstream: src/runtime/mgcmark.go (shade, greyobject)
  shade(p: Pointer, cause: ShadeCause): boolean {
    if (p === null) return false;
    const obj = this.heap.get(p);
    if (obj.color !== 'white') return false;
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
      if (p === null) return undefined;
      const n = this.heap.get(p).fields.length;
      return n === 0 ? undefined : [p, field % n];
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

  // Upstream: src/runtime/mgc.go (gcMarkDone, gcMarkTermination)
  #markTermination(): void {
    this.#setPhase('marktermination');
    if (this.rescanStacks) {
      for (const g of this.goroutines) this.markroot(`g${g.id}`, true);
      while (this.hasWork) this.#scanNext();
    }
    for (const b of checkMarkComplete(this)) this.#violate('markComplete', b);
    this.#sweep();
  }

  /** Frees every white object; a reachable one freed is a lost object. */
  // Upstream: src/runtime/mgcsweep.go (sweepLocked.sweep)
  #sweep(): void {
    this.#setPhase('sweep');
    const reachable = new Map(checkMarkComplete(this).map((b) => [b.id, b]));
    for (const obj of [...this.heap.objects.values()]) {
      if (obj.color !== 'white') continue;
      const lost = reachable.get(obj.id);
      if (lost) {
        this.lost.push(lost);
        this.#violate('lostObject', lost);
      }
      this.heap.free(obj.id);
      this.freed.push(obj.id);
      this.#events.emit('gogc.free', { step: this.step, id: obj.id, sizeclass: obj.sizeclass, spanId: obj.spanId });
    }
    for (const obj of this.heap.objects.values()) obj.color = 'white';
    this.greentea?.reset();
    this.#setPhase('off');
  }

  #setPhase(phase: GcPhase): void {
    this.phase = phase;
    this.#events.emit('gogc.phase', { step: this.step, phase, barrier: this.barrier });
  }

  #check(): void {
    if (!this.marking) return;
    const bad = this.greentea?.check(this.heap.objects.values(), this.work);
    if (bad !== undefined) throw new Error(`gogc: greentea mark bits disagree with obj${bad}'s color or its span is not queued (model bug)`);
    const strong = this.#checks('strong') && checkStrong(this);
    if (strong) this.#violate('strong', strong);
    const strongHeap = this.#checks('strongHeap') && checkStrong(this, true);
    if (strongHeap) this.#violate('strongHeap', strongHeap);
    const weak = this.#checks('weak') && checkWeak(this);
    if (weak) this.#violate('weak', weak);
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
