/**
 * The `gcheap` view: the Go heap at the cursor as a graph coloured white / grey / black, roots on
 * the left, objects in their spans; the write barrier's catch ringed at its event; a lost object red
 * with its root path; the run's phases in a strip underneath. A function of (trace, cursor): the
 * runs and layouts are computed once per trace, the state replayed from the run's start.
 */
import { eventText, gogcEvents, type TraceEvent } from '../../../sim/index';
import { esc } from '../html';
import type { ModelView } from '../types';
import { heapRuns, heapStateAt, type HeapRun, type HeapState } from './heap-state';
import { heapLayout, heapSvg, objLabel, type HeapLayout } from './heap-svg';
import { phaseStrip } from './phase-strip';
import './gogc.css';

const PHASE_NAME: Record<string, string> = { off: 'off (not collecting)', mark: 'mark (concurrent)', marktermination: 'mark termination (stop the world)', sweep: 'sweep' };

function counts(s: HeapState, run: HeapRun): string {
  const alloc = new Set(run.allocatedIds);
  let white = 0;
  let grey = 0;
  let black = 0;
  let freed = 0;
  for (const id of run.objectIds) {
    const o = s.objects.get(id);
    if (!o && alloc.has(id)) continue;
    if (o?.freed) freed++;
    else if (o?.color === 'grey') grey++;
    else if (o?.color === 'black') black++;
    else white++;
  }
  const chip = (cls: string, label: string, n: number) => `<li class="kl-gc-count"><span class="kl-gc-swatch ${cls}" aria-hidden="true"></span>${label} <b>${n}</b></li>`;
  return `<ul class="kl-gc-counts" aria-label="Objects by colour">${chip('is-white', 'white', white)}${chip('is-grey', 'grey', grey)}${chip('is-black', 'black', black)}${chip('is-freed', 'freed', freed)}</ul>`;
}

function catchLine(s: HeapState): string {
  const b = s.barrierAt;
  if (!b) return '';
  const ptr = (p: number | null) => (p === null ? 'nil' : esc(objLabel(s, p)));
  const what = b.shaded.length ? `shaded ${b.shaded.map((id) => objLabel(s, id)).join(', ')}` : 'shaded nothing (already marked or nil)';
  return `<p class="kl-gc-catchline${b.shaded.length ? ' is-catch' : ''}" role="status">g${b.g}'s ${esc(b.barrier)} write barrier on <code>${esc(b.slot)}</code> (${ptr(b.old)} → ${ptr(b.new)}): <b>${esc(what)}</b></p>`;
}

function lostLine(s: HeapState): string {
  const lost = [...s.objects.values()].filter((o) => o.lost);
  if (!lost.length) return '';
  return `<p class="kl-gc-lostline">Lost: ${lost.map((o) => `<b>${esc(objLabel(s, o.id))}</b>`).join(', ')} freed while reachable${s.lostPath.length ? ` along <code>${esc(s.lostPath.join(' → '))}</code>` : ''}</p>`;
}

function violationsList(s: HeapState): string {
  const v = s.violations.filter((x) => x.invariant !== 'lostObject');
  if (!v.length) return '';
  return `<ul class="kl-gc-violations" aria-label="Invariants broken">${v.map((x) => `<li>step ${x.step}: <b>${esc(x.invariant)}</b> invariant broken at ${esc(objLabel(s, x.id))} (${esc(x.path.join(' → '))})</li>`).join('')}</ul>`;
}

const LEGEND = `<ul class="kl-gc-legend" aria-label="Legend"><li><span class="kl-gc-swatch is-white" aria-hidden="true"></span>white: not reached yet</li><li><span class="kl-gc-swatch is-grey" aria-hidden="true"></span>grey: marked, fields not scanned</li><li><span class="kl-gc-swatch is-black" aria-hidden="true"></span>black: scanned</li><li><span class="kl-gc-swatch is-caught" aria-hidden="true"></span>shaded by the write barrier</li><li><span class="kl-gc-swatch is-lost" aria-hidden="true"></span>lost (freed while reachable)</li></ul>`;

export interface HeapModel {
  trace: readonly TraceEvent[];
  runs: HeapRun[];
  layouts: Map<HeapRun, HeapLayout>;
}

export function heapModel(trace: readonly TraceEvent[]): HeapModel {
  return { trace, runs: heapRuns(trace), layouts: new Map() };
}

function layoutFor(m: HeapModel, run: HeapRun): HeapLayout {
  let L = m.layouts.get(run);
  if (!L) {
    // Spans and classes come from the run's end, where every freed object has said where it lived.
    const end = heapStateAt(m.trace, m.runs, run.end);
    L = heapLayout(run, (id) => end.objects.get(id) ?? {});
    m.layouts.set(run, L);
  }
  return L;
}

/** The view's markup at `cursor`. */
export function heapMarkup(m: HeapModel, cursor: number, id = 'kl-gc'): string {
  if (!m.runs.length) return `<p class="kl-viz-empty">${m.trace.length ? 'No Go collector ran in this trace.' : 'Run your code to watch the Go collector mark the heap.'}</p>`;
  const s = heapStateAt(m.trace, m.runs, cursor);
  const run = s.run ?? m.runs[0];
  const L = layoutFor(m, run);
  const runNo = s.run ? s.runIndex + 1 : 1;
  const head = `<p class="kl-gc-head">${m.runs.length > 1 ? `cycle ${runNo} of ${m.runs.length} · ` : ''}barrier <b>${esc(run.barrier || '?')}</b> · phase <b>${esc(PHASE_NAME[s.phase] ?? s.phase)}</b>${s.step ? ` · step ${s.step}` : ''}${run.exact ? '' : ' <span class="kl-gc-dim" title="the trace has no gogc.world snapshot: pointers are those the events showed">(pointers as the events showed them)</span>'}</p>`;
  const desc = `${run.roots.length} roots and ${run.objectIds.length} objects; ${[...s.objects.values()].filter((o) => o.lost).length} lost`;
  const svg = `<div class="kl-gc-graph" tabindex="0"><svg class="kl-gc-svg" viewBox="0 0 ${L.width} ${L.height}" width="${L.width}" height="${L.height}" role="img" aria-labelledby="${id}-t ${id}-d"><title id="${id}-t">The heap: roots, objects in spans, pointers</title><desc id="${id}-d">${esc(desc)}</desc>${heapSvg(L, s, run)}</svg></div>`;
  const hidden = L.hidden ? `<p class="kl-gc-dim">${L.hidden} more objects not drawn.</p>` : '';
  return `${head}${counts(s, run)}${catchLine(s)}${lostLine(s)}${svg}${hidden}${phaseStrip(m.trace, run, cursor)}${violationsList(s)}${LEGEND}`;
}

let views = 0;

export function createHeapView(root: HTMLElement): ModelView {
  root.classList.add('kl-gc');
  const id = `kl-gc-${++views}`;
  let model: HeapModel | undefined;
  let drawn = '';
  const modelFor = (trace: readonly TraceEvent[]) => (model?.trace === trace ? model : (model = heapModel(trace)));
  return {
    render(trace, cursor) {
      const html = heapMarkup(modelFor(trace), cursor, id);
      if (html !== drawn) root.innerHTML = html;
      drawn = html;
    },
    prepare(trace) {
      modelFor(trace);
    },
    describe(event) {
      return gogcEvents.is(event) ? eventText(event) : undefined;
    },
    destroy() {
      model = undefined;
      drawn = '';
      root.innerHTML = '';
    },
  };
}
