/**
 * The heap view's state: a pure function of the `gogc.*` events up to the cursor. A trace can hold
 * several collectors (a learner runs `none`, then `hybrid`): a run starts where `step` goes back
 * (a new Collector starts at step 1) or at a `gogc.world` snapshot; the view shows the cursor's run.
 *
 * The marking model's events do not list the world (objects, fields, roots), so without a
 * `gogc.world` snapshot the graph is inferred from what the events show: a root job's shades are
 * edges from that root, the shades before a `gogc.scan` are that object's fields, a barrier event
 * names its slot's old and new pointer, and a violation's path is a chain of edges. With the
 * snapshot (fields below) the mutator's ops (`gogc.op` text, see mutator.ts describeOp) are
 * replayed on it and every edge is exact.
 */
import { PTR_SIZE_BYTES, sizeToClass, type TraceEvent } from '../../../sim/index';

export type Color = 'white' | 'grey' | 'black';

/** The snapshot a collector may emit when it is built (proposed `gogc.world` event). */
export interface WorldSnapshot {
  objects: Array<{ id: number; sizeclass: number; spanId: number; fields: Array<number | null> }>;
  globals: Array<number | null>;
  stacks: Array<Array<number | null>>;
  /** A lab's names for the objects, by id. */
  names?: Record<number, string>;
}

export interface ObjectView {
  id: number;
  sizeclass?: number;
  spanId?: number;
  color: Color;
  /** Allocated by a goroutine during this run (`gogc.alloc`). */
  allocated: boolean;
  freed: boolean;
  /** Freed while reachable (`gogc.violation` lostObject). */
  lost: boolean;
}

/** A pointer: from a root (`globals`, `g0`) or an object, to an object; `label` is the slot. */
export interface EdgeView {
  from: string;
  to: number;
  label: string;
}

export interface RootView {
  name: string;
  scanned: boolean;
}

export interface PhaseMark {
  /** Index of the event (cursor after it = index + 1). */
  index: number;
  step: number;
  t: number;
  phase: string;
}

export interface PauseMark {
  index: number;
  t: number;
  step: number;
  kind: 'stw' | 'assist';
  label: string;
  /** Length in ns when the event says. */
  ns?: number;
  /** For a pause the model logs as stop ... start (`world`): the index of its stop event. */
  fromIndex?: number;
}

export interface HeapRun {
  /** Trace indexes [start, end) of this run's gogc events (other events may sit between). */
  start: number;
  end: number;
  barrier: string;
  /** Every object the run ever shows, for a layout that does not move while scrubbing. */
  objectIds: number[];
  roots: string[];
  phases: PhaseMark[];
  pauses: PauseMark[];
  exact: boolean;
  /** Objects a goroutine allocates during the run (not drawn before their `gogc.alloc`). */
  allocatedIds: number[];
  /** Inferred only: what a slot held before its first barrier-logged write (its `old`). */
  initialEdges: EdgeView[];
}

export interface HeapState {
  run?: HeapRun;
  runIndex: number;
  runs: number;
  phase: string;
  barrier: string;
  step: number;
  objects: Map<number, ObjectView>;
  roots: Map<string, RootView>;
  /** Edges by `from|label` (a slot holds one pointer). */
  edges: Map<string, EdgeView>;
  /** The barrier event at the cursor: what it shaded (the catch), its slot. */
  barrierAt?: { slot: string; shaded: number[]; barrier: string; g: number; old: number | null; new: number | null };
  /** Objects the event at the cursor shaded by any cause (a brief ring). */
  justShaded: number[];
  /** The root path of a lost object, as holder names (`global[1]`, `obj1.f[0]`, `obj3`). */
  lostPath: string[];
  violations: Array<{ invariant: string; id: number; path: string[]; step: number }>;
  /** The lab's names for objects (from the world snapshot), by id. */
  names: Map<number, string>;
}

/**
 * The Go session's snapshot of its live process (`goproc.heap`, src/lab/gogc-session.ts): the
 * whole heap with colours, after each terminal command; the `gogc.*` steps in between follow it.
 */
export interface ProcessHeapSnapshot {
  step: number;
  phase: string;
  objects: Array<{ id: number; sizeclass: number; spanId: number; color: string; fields: Array<number | null> }>;
  globals: Array<number | null>;
  stacks: Array<{ g: number; slots: Array<number | null>; scanned: boolean }>;
}

const isSnapshot = (e: TraceEvent) => e.type === 'gogc.world' || (e.component === 'goproc' && e.type === 'goproc.heap');
const isGogc = (e: TraceEvent) => (e.component === 'gogc' && e.type.startsWith('gogc.') && !e.type.startsWith('gogc.pacer.')) || isSnapshot(e);

/** A `goproc.heap` snapshot as a world (stacks by goroutine number). */
function worldOf(e: TraceEvent): WorldSnapshot {
  if (e.type === 'gogc.world') return e as unknown as WorldSnapshot;
  const p = e as unknown as ProcessHeapSnapshot;
  const stacks: Array<Array<number | null>> = [];
  for (const st of p.stacks ?? []) stacks[st.g] = st.slots;
  return { objects: p.objects ?? [], globals: p.globals ?? [], stacks };
}
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** Splits the trace into runs (one per collector). */
export function heapRuns(trace: readonly TraceEvent[]): HeapRun[] {
  const runs: HeapRun[] = [];
  let cur: HeapRun | undefined;
  let lastStep = 0;
  const ids = new Set<number>();
  const roots = new Set<string>();
  const written = new Set<string>();
  // The model logs a pause as a `world: 'stop'` event, then a `world: 'start'` one carrying its
  // length: one mark from the stop to the start.
  let stoppedAt: number | undefined;
  const close = () => {
    if (!cur) return;
    cur.objectIds = [...ids].sort((a, b) => a - b);
    cur.roots = [...roots].sort(rootOrder);
    runs.push(cur);
  };
  trace.forEach((e, i) => {
    if (!isGogc(e)) return;
    const step = typeof e.step === 'number' ? e.step : isSnapshot(e) ? 0 : lastStep;
    if (!cur || isSnapshot(e) || step < lastStep) {
      close();
      ids.clear();
      roots.clear();
      cur = { start: i, end: i + 1, barrier: '', objectIds: [], roots: [], phases: [], pauses: [], exact: isSnapshot(e), initialEdges: [], allocatedIds: [] };
      written.clear();
    }
    lastStep = step;
    cur.end = i + 1;
    collectIds(e, ids, roots);
    if (e.type === 'gogc.alloc') cur.allocatedIds.push(num(e.id));
    if (e.type === 'gogc.barrier' && !written.has(String(e.slot))) {
      const slot = String(e.slot);
      written.add(slot);
      const holder = holderObject(slot);
      if (typeof e.old === 'number' && holder !== undefined) cur.initialEdges.push({ from: `obj${holder}`, to: e.old, label: holderSlot(slot) });
    }
    if (e.type === 'gogc.phase') {
      cur.phases.push({ index: i, step, t: e.t, phase: String(e.phase) });
      if (!cur.barrier) cur.barrier = String(e.barrier ?? '');
    } else if (e.type === 'gogc.stw' && e.world === 'stop') {
      stoppedAt = i;
    } else if (e.type === 'gogc.stw' || e.type === 'gogc.assist') {
      const from = e.type === 'gogc.stw' && e.world === 'start' && stoppedAt !== undefined && stoppedAt >= cur.start ? { fromIndex: stoppedAt } : {};
      if (e.type === 'gogc.stw') stoppedAt = undefined;
      cur.pauses.push({ index: i, t: e.t, step, kind: e.type === 'gogc.stw' ? 'stw' : 'assist', label: pauseLabel(e), ns: pauseNs(e), ...from });
    }
  });
  close();
  return runs;
}

/** `globals` first, then stacks by goroutine number. */
function rootOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'globals') return -1;
  if (b === 'globals') return 1;
  return Number(a.slice(1)) - Number(b.slice(1));
}

function collectIds(e: TraceEvent, ids: Set<number>, roots: Set<string>): void {
  const add = (v: unknown) => {
    if (typeof v === 'number') ids.add(v);
  };
  if (isSnapshot(e)) {
    const w = worldOf(e);
    w.objects.forEach((o) => ids.add(o.id));
    roots.add('globals');
    w.stacks.forEach((_, g) => roots.add(`g${g}`));
    return;
  }
  switch (e.type) {
    case 'gogc.markroot':
      roots.add(String(e.root));
      return;
    case 'gogc.alloc':
      add(e.id);
      roots.add(`g${num(e.g)}`);
      return;
    case 'gogc.op':
      roots.add(`g${num(e.g)}`);
      return;
    case 'gogc.barrier':
      add(e.old);
      add(e.new);
      add(holderObject(String(e.slot)));
      roots.add(`g${num(e.g)}`);
      return;
    case 'gogc.violation':
      add(e.id);
      for (const h of (e.path as string[]) ?? []) {
        add(holderObject(h));
        const r = holderRoot(h);
        if (r) roots.add(r);
      }
      return;
    default:
      add(e.id);
      if (Array.isArray(e.ids)) e.ids.forEach(add);
  }
}

/** The size class of an object with `fields` pointer fields (undefined past the modelled classes). */
function classOf(fields: number): number | undefined {
  try {
    return sizeToClass(Math.max(1, fields) * PTR_SIZE_BYTES).sizeclass;
  } catch {
    return undefined;
  }
}

/** `obj4.f[1]` or `obj4` -> 4. */
function holderObject(h: string): number | undefined {
  const m = /^obj(\d+)/.exec(h);
  return m ? Number(m[1]) : undefined;
}

/** `global[1]` -> globals, `g0.stack[2]` -> g0. */
function holderRoot(h: string): string | undefined {
  if (h.startsWith('global')) return 'globals';
  const m = /^(g\d+)\./.exec(h);
  return m ? m[1] : undefined;
}

function holderSlot(h: string): string {
  const m = /\.(f\[\d+\]|stack\[\d+\])$/.exec(h) ?? /^(global\[\d+\])$/.exec(h);
  return m ? m[1] : '';
}

function pauseLabel(e: TraceEvent): string {
  const reason = e.reason ?? e.why ?? e.kind ?? '';
  return e.type === 'gogc.stw' ? `stop the world${reason ? `: ${String(reason)}` : ''}` : `assist${e.g !== undefined ? ` by g${num(e.g)}` : ''}`;
}

function pauseNs(e: TraceEvent): number | undefined {
  for (const k of ['pauseNs', 'durationNs', 'ns', 'assistNs']) if (typeof e[k] === 'number') return e[k] as number;
  return undefined;
}

function emptyState(runs: number): HeapState {
  return { runIndex: -1, runs, phase: 'off', barrier: '', step: 0, objects: new Map(), roots: new Map(), edges: new Map(), justShaded: [], lostPath: [], violations: [], names: new Map() };
}

/** The heap of the run the cursor is in, after the first `cursor` events. */
export function heapStateAt(trace: readonly TraceEvent[], runs: readonly HeapRun[], cursor: number): HeapState {
  // The run holding the last gogc event before the cursor; before any, the first run's start.
  let ri = -1;
  for (let i = 0; i < runs.length; i++) if (runs[i].start < cursor) ri = i;
  const s = emptyState(runs.length);
  if (ri < 0) return s;
  const run = runs[ri];
  s.run = run;
  s.runIndex = ri;
  s.barrier = run.barrier;
  const apply = new Applier(s);
  if (!run.exact) for (const e of run.initialEdges) apply.edge(e.from, e.label, e.to);
  const last = Math.min(cursor, run.end);
  for (let i = run.start; i < last; i++) {
    const e = trace[i];
    if (!isGogc(e)) continue;
    apply.event(e, i === last - 1);
  }
  return s;
}

/** Applies events to a state; `exact` once a world snapshot is known (then ops are replayed). */
class Applier {
  /** Shades waiting for the `gogc.scan` (or barrier) they belong to. */
  #pending: Array<{ id: number; cause: string }> = [];
  #root = '';
  #stacks: Array<Array<number | null>> | undefined;
  #globals: Array<number | null> | undefined;
  #fields = new Map<number, Array<number | null>>();

  constructor(readonly s: HeapState) {}

  obj(id: number): ObjectView {
    let o = this.s.objects.get(id);
    if (!o) this.s.objects.set(id, (o = { id, color: 'white', allocated: false, freed: false, lost: false }));
    return o;
  }

  root(name: string): RootView {
    let r = this.s.roots.get(name);
    if (!r) this.s.roots.set(name, (r = { name, scanned: false }));
    return r;
  }

  edge(from: string, label: string, to: number | null): void {
    const key = `${from}|${label}`;
    if (to === null) this.s.edges.delete(key);
    else this.s.edges.set(key, { from, to, label });
  }

  event(e: TraceEvent, atCursor: boolean): void {
    const s = this.s;
    if (typeof e.step === 'number') s.step = e.step;
    if (atCursor) s.justShaded = [];
    switch (e.type) {
      case 'gogc.world':
        return this.#world(worldOf(e));
      case 'goproc.heap': {
        // The live process mid-session: its colours and scanned stacks are part of the snapshot.
        const p = e as unknown as ProcessHeapSnapshot;
        this.#world(worldOf(e));
        for (const o of p.objects ?? []) this.obj(o.id).color = (o.color as Color) ?? 'white';
        for (const st of p.stacks ?? []) this.root(`g${st.g}`).scanned = st.scanned;
        s.phase = String(p.phase ?? s.phase);
        // Globals are black once scanned: while marking, when nothing they point to is still white.
        const marking = s.phase === 'mark' || s.phase === 'marktermination';
        this.root('globals').scanned = marking && (p.globals ?? []).every((g) => g === null || this.obj(g).color !== 'white');
        return;
      }
      case 'gogc.phase':
        s.phase = String(e.phase);
        s.barrier = String(e.barrier ?? s.barrier);
        if (e.phase === 'off' && s.step > 0) {
          for (const o of s.objects.values()) if (!o.freed) o.color = 'white';
          for (const r of s.roots.values()) r.scanned = false;
        }
        return;
      case 'gogc.markroot': {
        const name = String(e.root);
        this.root(name).scanned = true;
        this.#root = name;
        return;
      }
      case 'gogc.shade': {
        const id = num(e.id);
        const o = this.obj(id);
        if (o.color === 'white') o.color = 'grey';
        if (atCursor) s.justShaded = [id];
        const cause = String(e.cause);
        if ((cause === 'markroot' || cause === 'rescan') && this.#root && !this.#exact) this.edge(this.#root, `?${id}`, id);
        else if (cause === 'scan') this.#pending.push({ id, cause });
        return;
      }
      case 'gogc.scan': {
        const id = num(e.id);
        const o = this.obj(id);
        o.color = 'black';
        // An object's size is its pointer fields (heap.ts): scanobject's field count names its class.
        if (o.sizeclass === undefined && typeof e.fields === 'number') o.sizeclass = classOf(e.fields);
        if (!this.#exact) for (const p of this.#pending) if (!this.#hasEdge(`obj${id}`, p.id)) this.edge(`obj${id}`, `?${p.id}`, p.id);
        this.#pending = [];
        return;
      }
      case 'gogc.scanspan':
        return;
      case 'gogc.alloc': {
        const o = this.obj(num(e.id));
        o.color = e.color as Color;
        o.sizeclass = num(e.sizeclass);
        o.allocated = true;
        this.#applyAlloc(num(e.g), num(e.id));
        return;
      }
      case 'gogc.op': {
        const m = /^s(\d+) = /.exec(String(e.text));
        // Inferred: the slot's new value is unknown, but its old pointer is gone from it.
        if (m && !this.#exact) this.edge(`g${num(e.g)}`, `stack[${m[1]}]`, null);
        return this.#op(num(e.g), String(e.text));
      }
      case 'gogc.barrier': {
        const shaded = (e.shaded as number[]) ?? [];
        const slot = String(e.slot);
        s.barrierAt = atCursor ? { slot, shaded, barrier: String(e.barrier), g: num(e.g), old: e.old as number | null, new: e.new as number | null } : undefined;
        if (atCursor) s.justShaded = shaded;
        if (!this.#exact) {
          const holder = holderObject(slot);
          if (holder !== undefined) {
            this.obj(holder);
            this.edge(`obj${holder}`, holderSlot(slot), e.new as number | null);
            // The old pointer's inferred edge from this holder is now the slot's, which changed.
            if (typeof e.old === 'number') this.s.edges.delete(`obj${holder}|?${e.old}`);
          }
        }
        for (const id of shaded) this.obj(id).color = this.obj(id).color === 'white' ? 'grey' : this.obj(id).color;
        return;
      }
      case 'gogc.free': {
        const o = this.obj(num(e.id));
        o.freed = true;
        o.sizeclass = num(e.sizeclass);
        o.spanId = num(e.spanId);
        return;
      }
      case 'gogc.violation': {
        const path = (e.path as string[]) ?? [];
        s.violations.push({ invariant: String(e.invariant), id: num(e.id), path, step: s.step });
        if (!this.#exact) this.#pathEdges(path);
        if (e.invariant === 'lostObject') {
          this.obj(num(e.id)).lost = true;
          s.lostPath = path;
        }
        return;
      }
    }
  }

  get #exact(): boolean {
    return this.#stacks !== undefined;
  }

  #hasEdge(from: string, to: number): boolean {
    for (const e of this.s.edges.values()) if (e.from === from && e.to === to) return true;
    return false;
  }

  /** A violation's path (`global[1]`, `obj1.f[0]`, `obj3`): each holder points to the next object. */
  #pathEdges(path: string[]): void {
    for (let i = 0; i + 1 < path.length; i++) {
      const to = holderObject(path[i + 1]);
      if (to === undefined) continue;
      const h = path[i];
      const from = holderObject(h) !== undefined ? `obj${holderObject(h)}` : holderRoot(h);
      if (!from) continue;
      if (from.startsWith('obj')) this.obj(Number(from.slice(3)));
      else this.root(from);
      this.s.edges.delete(`${from}|?${to}`);
      this.edge(from, holderSlot(h), to);
    }
  }

  #world(w: WorldSnapshot): void {
    for (const [id, name] of Object.entries(w.names ?? {})) this.s.names.set(Number(id), name);
    this.#globals = [...w.globals];
    this.#stacks = w.stacks.map((st) => [...st]);
    this.root('globals');
    w.stacks.forEach((_, g) => this.root(`g${g}`));
    for (const o of w.objects) {
      const v = this.obj(o.id);
      v.sizeclass = o.sizeclass;
      v.spanId = o.spanId;
      this.#fields.set(o.id, [...o.fields]);
      o.fields.forEach((p, f) => this.edge(`obj${o.id}`, `f[${f}]`, p));
    }
    w.globals.forEach((p, i) => this.edge('globals', `global[${i}]`, p));
    w.stacks.forEach((st, g) => st.forEach((p, i) => this.edge(`g${g}`, `stack[${i}]`, p)));
  }

  /** A new object lands in the slot its `new` op named (the op's event comes just before). */
  #applyAlloc(g: number, id: number): void {
    const pend = this.#pendingAlloc;
    this.#pendingAlloc = undefined;
    this.#fields.set(id, new Array<number | null>(pend?.nfields ?? 0).fill(null));
    if (pend && pend.g === g && this.#stacks) this.#setSlot(g, pend.dst, id);
    else this.edge(`g${g}`, `?${id}`, id);
  }

  #pendingAlloc: { g: number; dst: number; nfields: number } | undefined;

  #setSlot(g: number, slot: number, p: number | null): void {
    const st = this.#stacks![g];
    if (!st) return;
    st[slot] = p;
    this.edge(`g${g}`, `stack[${slot}]`, p);
  }

  /** Replays one op (describeOp's text) on the snapshot: only stack slots and fields change. */
  #op(g: number, text: string): void {
    this.root(`g${g}`);
    if (!this.#stacks) return;
    const st = this.#stacks[g];
    if (!st) return;
    const fieldOf = (p: number | null | undefined, f: number): [number, number] | undefined => {
      if (p === null || p === undefined) return undefined;
      const fs = this.#fields.get(p);
      return fs && fs.length ? [p, f % fs.length] : undefined;
    };
    let m: RegExpExecArray | null;
    if ((m = /^s(\d+) = s(\d+)\.f\[(\d+)\]$/.exec(text))) {
      const at = fieldOf(st[Number(m[2])], Number(m[3]));
      if (at) this.#setSlot(g, Number(m[1]), this.#fields.get(at[0])![at[1]]);
    } else if ((m = /^s(\d+)\.f\[(\d+)\] = s(\d+)$/.exec(text))) {
      const at = fieldOf(st[Number(m[1])], Number(m[2]));
      if (at) {
        const p = st[Number(m[3])] ?? null;
        this.#fields.get(at[0])![at[1]] = p;
        this.edge(`obj${at[0]}`, `f[${at[1]}]`, p);
      }
    } else if ((m = /^s(\d+) = new\((\d+) ptrs\)$/.exec(text))) {
      this.#pendingAlloc = { g, dst: Number(m[1]), nfields: Number(m[2]) };
    } else if ((m = /^s(\d+) = nil$/.exec(text))) {
      this.#setSlot(g, Number(m[1]), null);
    } else if ((m = /^s(\d+) = global\[(\d+)\]$/.exec(text))) {
      const gl = this.#globals!;
      this.#setSlot(g, Number(m[1]), gl.length ? (gl[Number(m[2]) % gl.length] ?? null) : null);
    }
  }
}
