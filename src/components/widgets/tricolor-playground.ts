/**
 * The live part of <TriColorPlayground>: one GC cycle of the gogc model (src/sim/gogc, after the
 * Go runtime's mgc.go, mgcmark.go and mbarrier.go) over a three-object world, stepped by hand. A
 * scenario fixes the interleaving of the marker and one goroutine; the reader picks the barrier,
 * steps or runs to the end, and sees the colours, the trace and whether sweep freed a live object.
 */
import { Collector, type WorldSpec } from '../../sim/gogc/collector';
import { gogcEvents, type GogcEvent } from '../../sim/gogc/events';
import { describeOp } from '../../sim/gogc/mutator';
import type { BarrierKind, Color, GcPhase, Pointer } from '../../sim/gogc/types';
import { newEnv } from '../../sim/core/env';
import { TraceRecorder } from '../../sim/core/trace';

/** Who runs a step: the marker (root jobs first), the marker taking a grey object first (`M*`), or goroutine 0. */
export type Turn = 'M' | 'M*' | 0;

export interface Scenario {
  id: string;
  title: string;
  /** Letters for the objects, by object id (ids are 1-based, in `world().objects` order). */
  labels: Record<number, string>;
  world: () => WorldSpec;
  /** The interleaving; after it the marker runs alone until the cycle ends. */
  turns: Turn[];
}

/** The three hiding moves of the gc lessons (lost-object, write-barriers, hybrid-barrier). */
export const SCENARIOS: Scenario[] = [
  {
    id: 'black-takes-white',
    title: 'black A takes C, grey B drops it (lesson 3)',
    labels: { 1: 'A', 2: 'B', 3: 'C' },
    world: () => ({
      objects: [{ fields: [null] }, { fields: [2] }, { fields: [] }],
      globals: [1, 0],
      goroutines: [{ slots: [0, 1, null, null], program: [
        { op: 'load', dst: 2, obj: 1, field: 0 },
        { op: 'store', obj: 0, field: 0, src: 2 },
        { op: 'store', obj: 1, field: 0, src: 3 },
        { op: 'drop', dst: 2 },
      ] }],
    }),
    turns: ['M', 'M', 'M', 0, 0, 0, 0],
  },
  {
    id: 'heap-to-stack',
    title: 'C moved from the heap onto a scanned stack (lesson 4)',
    labels: { 1: 'B', 2: 'C' },
    world: () => ({
      objects: [{ fields: [1] }, { fields: [] }],
      globals: [0],
      goroutines: [{ slots: [0, null, null], program: [
        { op: 'load', dst: 1, obj: 0, field: 0 },
        { op: 'store', obj: 0, field: 0, src: 2 },
      ] }],
    }),
    turns: ['M', 'M', 0, 0],
  },
  {
    id: 'stack-to-heap',
    title: 'C moved from an unscanned stack into black A (lesson 4)',
    labels: { 1: 'A', 2: 'C' },
    world: () => ({
      objects: [{ fields: [null] }, { fields: [] }],
      globals: [0],
      goroutines: [{ slots: [1, 0], program: [
        { op: 'store', obj: 1, field: 0, src: 0 },
        { op: 'drop', dst: 0 },
      ] }],
    }),
    turns: ['M', 'M*', 0, 0],
  },
];

export interface TriColorView {
  step: number;
  phase: GcPhase;
  done: boolean;
  /** What the next step will do. */
  next: string;
  objects: Array<{ id: number; label: string; color: Color; fields: string[]; freed: boolean }>;
  globals: { scanned: boolean; slots: string[] };
  stacks: Array<{ g: number; scanned: boolean; slots: string[] }>;
  /** The trace so far, one line per event, with its kind for styling. */
  lines: Array<{ text: string; kind: 'bad' | 'barrier' | 'plain' }>;
  /** Reachable objects sweep freed, as root paths with letters. */
  lost: string[];
}

export class TriColorSim {
  readonly scenario: Scenario;
  readonly barrier: BarrierKind;
  #c: Collector;
  #trace = new TraceRecorder();
  #turns: Turn[];
  #objects: number[];

  constructor(scenarioId: string, barrier: BarrierKind) {
    const s = SCENARIOS.find((x) => x.id === scenarioId);
    if (!s) throw new Error(`TriColorPlayground: no scenario ${JSON.stringify(scenarioId)} (expected one of ${SCENARIOS.map((x) => x.id).join(', ')})`);
    this.scenario = s;
    this.barrier = barrier;
    this.#c = new Collector(s.world(), { barrier, sweep: 'synchronous' }, newEnv({ trace: this.#trace }));
    this.#objects = [...this.#c.heap.objects.keys()];
    this.#turns = [...s.turns];
  }

  get done(): boolean {
    return this.#c.done;
  }

  /** One step: gcStart first, then the scenario's turns, then the marker alone. */
  step(): void {
    const c = this.#c;
    if (c.done) return;
    if (c.step === 0) return c.start();
    const g = c.goroutines[0];
    let turn = this.#turns.shift();
    while (turn === 0 && !c.runnable(g)) turn = this.#turns.shift();
    if (turn === 0) c.stepMutator(g);
    else c.stepMarker(turn === 'M*');
  }

  runToEnd(): void {
    for (let i = 0; i < 1000 && !this.done; i++) this.step();
  }

  view(): TriColorView {
    const c = this.#c;
    const name = (p: Pointer) => (p === null ? 'nil' : c.heap.objects.has(p) ? this.#label(p) : `${this.#label(p)} (freed)`);
    return {
      step: c.step,
      phase: c.phase,
      done: c.done,
      next: this.#next(),
      objects: this.#objects.map((id) => {
        const o = c.heap.objects.get(id);
        return { id, label: this.#label(id), color: o?.color ?? 'white', fields: o ? o.fields.map(name) : [], freed: !o };
      }),
      globals: { scanned: c.globalsScanned, slots: c.globals.map(name) },
      stacks: c.goroutines.map((g) => ({ g: g.id, scanned: g.stackScanned, slots: g.slots.map(name) })),
      lines: this.#trace.events.map((e) => {
        const ev = e as GogcEvent;
        const kind = ev.type === 'gogc.violation' || ev.type === 'gogc.free' ? 'bad' : ev.type === 'gogc.barrier' ? 'barrier' : 'plain';
        return { text: this.#letters(gogcEvents.text(ev) ?? ev.type), kind };
      }),
      lost: c.lost.map((b) => this.#letters(b.path.join(' -> '))),
    };
  }

  #label(id: number): string {
    return this.scenario.labels[id] ?? `obj${id}`;
  }

  /** obj3 -> C (obj3) in trace text, so the lines match the picture. */
  #letters(text: string): string {
    return text.replace(/obj(\d+)/g, (m, id: string) => (this.scenario.labels[Number(id)] ? `${this.scenario.labels[Number(id)]}` : m));
  }

  #next(): string {
    const c = this.#c;
    if (c.done) return 'the cycle is over';
    if (c.step === 0) return 'gcStart: phase mark, write barrier on';
    const g = c.goroutines[0];
    const turn = this.#turns.find((t) => t !== 0 || c.runnable(g));
    if (turn === 0) return `g0 runs: ${describeOp(g.program[g.pc])}`;
    if (turn === 'M*' && c.hasWork) return 'marker: scan a grey object';
    if (c.rootJobs.length) return `marker: markroot ${c.rootJobs[0]}`;
    return c.hasWork ? 'marker: scan a grey object' : 'marker: mark termination, then sweep';
  }
}

const BARRIERS: BarrierKind[] = ['none', 'dijkstra', 'yuasa', 'hybrid'];

export function mount(root: HTMLElement): void {
  const barrierSel = root.querySelector<HTMLSelectElement>('select[data-barrier]')!;
  const scenarioSel = root.querySelector<HTMLSelectElement>('select[data-scenario]')!;
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('button[data-act]')];
  const heap = root.querySelector<HTMLElement>('[data-heap]')!;
  const log = root.querySelector<HTMLOListElement>('[data-log]')!;
  const nextEl = root.querySelector<HTMLElement>('[data-next]')!;
  const verdict = root.querySelector<HTMLElement>('[data-verdict]')!;
  const live = root.querySelector<HTMLElement>('[data-live]');
  let sim = new TriColorSim(scenarioSel.value, barrierOf(barrierSel.value));

  const chip = (text: string, cls: string) => {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    return span;
  };
  const render = () => {
    const v = sim.view();
    const rows: HTMLElement[] = [];
    const roots = document.createElement('p');
    // After sweep every mark is cleared (objects white again); roots have no colour outside a cycle.
    const rootChip = (name: string, scanned: boolean, slots: string[]) =>
      v.done ? chip(`${name}: [${slots.join(', ')}]`, 'kl-tc-root') : chip(`${name} ${scanned ? '(scanned)' : '(grey)'}: [${slots.join(', ')}]`, `kl-tc-root ${scanned ? 'is-black' : 'is-grey'}`);
    roots.append(rootChip('globals', v.globals.scanned, v.globals.slots));
    for (const s of v.stacks) roots.append(rootChip(`g${s.g} stack`, s.scanned, s.slots));
    rows.push(roots);
    const objs = document.createElement('p');
    for (const o of v.objects) {
      const text = o.freed ? `${o.label}: freed` : `${o.label} ${o.color}${o.fields.length ? ` -> [${o.fields.join(', ')}]` : ''}`;
      objs.append(chip(text, `kl-tc-obj is-${o.freed ? 'freed' : o.color}`));
    }
    rows.push(objs);
    heap.replaceChildren(...rows);
    log.replaceChildren(...v.lines.map((l) => {
      const li = document.createElement('li');
      li.textContent = l.text;
      if (l.kind === 'bad') li.className = 'kl-w-bad';
      if (l.kind === 'barrier') li.className = 'kl-w-ok';
      return li;
    }));
    log.scrollTop = log.scrollHeight;
    nextEl.textContent = `step ${v.step}, phase ${v.phase}. Next: ${v.next}`;
    verdict.textContent = !v.done ? '' : v.lost.length ? `Lost: sweep freed ${v.lost.join('; ')}, still reachable.` : 'Nothing reachable was freed.';
    verdict.className = `kl-tc-verdict ${v.done ? (v.lost.length ? 'is-bad' : 'is-ok') : ''}`;
    for (const b of buttons) if (b.dataset.act !== 'reset') b.disabled = v.done;
    if (live) live.textContent = v.done ? verdict.textContent : `Step ${v.step}: ${v.lines.at(-1)?.text ?? ''}`;
  };
  const reset = () => {
    sim = new TriColorSim(scenarioSel.value, barrierOf(barrierSel.value));
    render();
  };
  for (const b of buttons) {
    b.disabled = false;
    b.addEventListener('click', () => {
      if (b.dataset.act === 'step') sim.step();
      else if (b.dataset.act === 'run') sim.runToEnd();
      else return reset();
      render();
    });
  }
  for (const s of [barrierSel, scenarioSel]) {
    s.disabled = false;
    s.addEventListener('change', reset);
  }
  root.querySelector('[data-status]')?.replaceChildren('Live: pick a barrier, then step.');
  root.removeAttribute('data-kl-pending');
  render();
}

function barrierOf(value: string): BarrierKind {
  return (BARRIERS as string[]).includes(value) ? (value as BarrierKind) : 'none';
}
