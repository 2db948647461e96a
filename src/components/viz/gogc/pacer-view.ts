/**
 * The `gcpacer` view: a chart of the live heap against the pacer's trigger and goal over virtual
 * time, cycle by cycle, with GOMEMLIMIT as a line and each mark phase's GC CPU share as bars under
 * it; the gctrace line of the cycle at the cursor. Fed by the pacer driver's `gogc.pacer.*` events
 * (src/sim/gogc/pacer/events.ts). The axes span the whole workload, so scrubbing only reveals.
 */
import { pacerEvents, type PacerEventMap, type TraceEvent } from '../../../sim/index';
import { esc } from '../html';
import type { ModelView } from '../types';
import './gogc.css';

/** One cycle as the view draws it: the driver's `gogc.pacer.cycle` (or the Go session's `goproc.cycle`) and its index in the trace. */
export type PacerCycle = Omit<PacerEventMap['gogc.pacer.cycle'], 'kind' | 'assistTime'> & { index: number; kind: string };

export interface PacerRun {
  start: number;
  end: number;
  gcPercent: number;
  memoryLimit: number;
  gomaxprocs: number;
  cycles: PacerCycle[];
  /** ns at the end event (or the last cycle's end). */
  endNs: number;
  peak: number;
}

const NO_LIMIT = 2 ** 63;

/** The trace's workloads (each `gogc.pacer.start` begins one) with their cycles. */
export function pacerRuns(trace: readonly TraceEvent[]): PacerRun[] {
  const runs: PacerRun[] = [];
  let cur: PacerRun | undefined;
  trace.forEach((e, i) => {
    if (e.component !== 'gogc.pacer' && e.component !== 'goproc') return;
    // The Go session's `./app` runs (src/lab/gogc-session.ts) carry the same numbers as `goproc.*`.
    const type = e.type.replace(/^goproc\.(start|cycle|exit)$/, (_, k: string) => `gogc.pacer.${k === 'exit' ? 'end' : k}`);
    if (!type.startsWith('gogc.pacer.')) return;
    if (type === 'gogc.pacer.start' || !cur) {
      cur = { start: i, end: i + 1, gcPercent: Number(e.gcPercent ?? 100), memoryLimit: Number(e.memoryLimit ?? NO_LIMIT), gomaxprocs: Number(e.gomaxprocs ?? 1), cycles: [], endNs: Number(e.durationMs ?? 0) * 1e6, peak: 0 };
      runs.push(cur);
    }
    cur.end = i + 1;
    if (type === 'gogc.pacer.cycle') {
      const c = { index: i, ...(e as unknown as Omit<PacerCycle, 'index'>) };
      // goproc.cycle has no CPU fraction field: gctrace's "@0.276s 7%:" is it, rounded.
      if (typeof c.gcCpuFraction !== 'number') c.gcCpuFraction = Number(/@[\d.]+s (\d+)%/.exec(String(c.gctrace))?.[1] ?? 0) / 100;
      cur.cycles.push(c);
      cur.endNs = Math.max(cur.endNs, c.tEnd);
      cur.peak = Math.max(cur.peak, c.heap0, c.heap1, c.heap2, c.goal < NO_LIMIT ? c.goal : 0);
    } else if (type === 'gogc.pacer.end') {
      if (e.component === 'gogc.pacer') cur.endNs = Math.max(cur.endNs, e.t * 1e6);
      cur.peak = Math.max(cur.peak, Number(e.peakHeapLive ?? 0));
    }
  });
  return runs;
}

const W = 480;
const H = 220;
const PAD_L = 52;
const PAD_R = 10;
const TOP = 10;
const PLOT_H = 140;
const CPU_Y = TOP + PLOT_H + 22;
const CPU_H = 34;
const f = (n: number) => String(Math.round(n * 10) / 10);
const mib = (b: number) => `${b === 0 ? '0' : (b / 2 ** 20).toFixed(b < 10 * 2 ** 20 ? 1 : 0)} MiB`;

/** A round step for `max` over about four ticks. */
function niceStep(max: number): number {
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? raw;
}

/** The chart at `cursor` for `run`. */
export function pacerSvg(run: PacerRun, cursor: number): string {
  const limit = run.memoryLimit < NO_LIMIT ? run.memoryLimit : undefined;
  const yMax = Math.max(1, run.peak, limit !== undefined && limit < run.peak * 2 ? limit : 0) * 1.08;
  const tMax = Math.max(1, run.endNs);
  const x = (ns: number) => PAD_L + ((W - PAD_L - PAD_R) * ns) / tMax;
  const y = (b: number) => TOP + PLOT_H - (PLOT_H * Math.min(b, yMax)) / yMax;
  const shown = run.cycles.filter((c) => c.index < cursor);
  const out: string[] = [];
  // Axes and grid.
  const step = niceStep(yMax / 2 ** 20) * 2 ** 20;
  for (let b = 0; b <= yMax; b += step) out.push(`<line class="kl-gcp-grid" x1="${PAD_L}" x2="${W - PAD_R}" y1="${f(y(b))}" y2="${f(y(b))}"/><text class="kl-gcp-tick" x="${PAD_L - 4}" y="${f(y(b) + 3)}" text-anchor="end">${mib(b)}</text>`);
  const tStep = niceStep(tMax / 1e6);
  for (let ms = 0; ms * 1e6 <= tMax; ms += tStep) {
    const edge = x(ms * 1e6) > W - PAD_R - 20;
    out.push(`<text class="kl-gcp-tick" x="${f(x(ms * 1e6))}" y="${TOP + PLOT_H + 12}" text-anchor="${edge ? 'end' : 'middle'}">${ms} ms</text>`);
  }
  out.push(`<line class="kl-gcp-axis" x1="${PAD_L}" x2="${W - PAD_R}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H}"/>`);
  if (limit !== undefined && limit <= yMax) out.push(`<line class="kl-gcp-limit" x1="${PAD_L}" x2="${W - PAD_R}" y1="${f(y(limit))}" y2="${f(y(limit))}"><title>GOMEMLIMIT ${mib(limit)}</title></line><text class="kl-gcp-label kl-gcp-limit-text" x="${W - PAD_R - 2}" y="${f(y(limit) - 3)}" text-anchor="end">GOMEMLIMIT</text>`);
  // Goal and trigger: the values each cycle started with, from the previous cycle's end to its own end.
  const goal: string[] = [];
  const trig: string[] = [];
  let from = 0;
  for (const c of shown) {
    if (c.goal < NO_LIMIT) goal.push(`${f(x(from))},${f(y(c.goal))} ${f(x(c.tEnd))},${f(y(c.goal))}`);
    if (c.trigger < NO_LIMIT) trig.push(`${f(x(from))},${f(y(c.trigger))} ${f(x(c.tSweepTerm))},${f(y(c.trigger))}`);
    from = c.tEnd;
  }
  if (goal.length) out.push(`<polyline class="kl-gcp-goal" points="${goal.join(' ')}"><title>heap goal</title></polyline>`);
  for (const t of trig) out.push(`<polyline class="kl-gcp-trigger" points="${t}"><title>trigger</title></polyline>`);
  // The live heap: growing between cycles, heap0 -> heap1 while marking, dropping to heap2 at the end.
  const live: string[] = [`${f(x(0))},${f(y(0))}`];
  for (const c of shown) live.push(`${f(x(c.tSweepTerm))},${f(y(c.heap0))}`, `${f(x(c.tMarkTerm))},${f(y(c.heap1))}`, `${f(x(c.tEnd))},${f(y(c.heap2))}`);
  out.push(`<polyline class="kl-gcp-live" points="${live.join(' ')}"><title>heap in use</title></polyline>`);
  for (const c of shown) out.push(`<rect class="kl-gcp-mark" x="${f(x(c.tMark))}" y="${TOP}" width="${f(Math.max(1, x(c.tMarkTerm) - x(c.tMark)))}" height="${PLOT_H}"><title>gc ${c.n}: marking</title></rect>`);
  // GC CPU share per mark phase.
  out.push(`<text class="kl-gcp-tick" x="${PAD_L - 4}" y="${CPU_Y + CPU_H / 2 + 3}" text-anchor="end">GC CPU</text><line class="kl-gcp-axis" x1="${PAD_L}" x2="${W - PAD_R}" y1="${CPU_Y + CPU_H}" y2="${CPU_Y + CPU_H}"/>`);
  for (const c of shown) {
    const h = Math.max(1, CPU_H * Math.min(1, c.markUtilization));
    out.push(`<rect class="kl-gcp-cpu${c.limited ? ' is-limited' : ''}" x="${f(x(c.tMark))}" y="${f(CPU_Y + CPU_H - h)}" width="${f(Math.max(2, x(c.tMarkTerm) - x(c.tMark)))}" height="${f(h)}"><title>gc ${c.n}: ${(c.markUtilization * 100).toFixed(0)}% of the CPU while marking${c.limited ? ' (CPU limiter on)' : ''}</title></rect>`);
  }
  const last = shown.at(-1);
  const nowNs = cursor >= run.end ? run.endNs : last?.tEnd ?? 0;
  out.push(`<line class="kl-gcp-cursor" x1="${f(x(nowNs))}" x2="${f(x(nowNs))}" y1="${TOP}" y2="${CPU_Y + CPU_H}"/>`);
  const desc = last ? `After gc ${last.n}: live heap ${mib(last.heap2)}, goal was ${last.goal < NO_LIMIT ? mib(last.goal) : 'none'}, GC CPU ${(last.gcCpuFraction * 100).toFixed(1)}% since start.` : 'No cycle yet.';
  return `<svg class="kl-gcp-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Heap in use, trigger and goal over time. ${esc(desc)}">${out.join('')}</svg>`;
}

const legend = (limit: boolean) => `<ul class="kl-gc-legend" aria-label="Legend"><li><span class="kl-gcp-key kl-gcp-key-live" aria-hidden="true"></span>heap in use</li><li><span class="kl-gcp-key kl-gcp-key-goal" aria-hidden="true"></span>heap goal</li><li><span class="kl-gcp-key kl-gcp-key-trigger" aria-hidden="true"></span>trigger</li>${limit ? '<li><span class="kl-gcp-key kl-gcp-key-limit" aria-hidden="true"></span>GOMEMLIMIT</li>' : ''}<li><span class="kl-gcp-key kl-gcp-key-mark" aria-hidden="true"></span>marking</li><li><span class="kl-gcp-key kl-gcp-key-cpu" aria-hidden="true"></span>GC share of the CPU while marking</li></ul>`;

export function pacerMarkup(trace: readonly TraceEvent[], runs: PacerRun[], cursor: number): string {
  if (!runs.length) return `<p class="kl-viz-empty">${trace.length ? 'No pacer workload in this trace.' : 'Run your code to chart the heap against the pacer\'s goal.'}</p>`;
  let ri = 0;
  runs.forEach((r, i) => (r.start < cursor ? (ri = i) : undefined));
  const run = runs[ri];
  const shown = run.cycles.filter((c) => c.index < cursor);
  const last = shown.at(-1);
  const gogc = run.gcPercent < 0 ? 'off' : String(run.gcPercent);
  const limit = run.memoryLimit < NO_LIMIT ? mib(run.memoryLimit) : 'none';
  const head = `<p class="kl-gcp-head">${runs.length > 1 ? `workload ${ri + 1} of ${runs.length} · ` : ''}GOGC=<b>${esc(gogc)}</b> · GOMEMLIMIT <b>${esc(limit)}</b> · GOMAXPROCS ${run.gomaxprocs} · ${shown.length} of ${run.cycles.length} cycles${last ? ` · GC CPU <b>${(last.gcCpuFraction * 100).toFixed(1)}%</b>` : ''}</p>`;
  const line = last ? `<pre class="kl-gcp-trace" aria-label="gctrace line of the last cycle">${esc(last.gctrace)}</pre>` : '';
  return `${head}<div class="kl-gcp-chart" tabindex="0">${pacerSvg(run, cursor)}</div>${legend(run.memoryLimit < NO_LIMIT)}${line}`;
}

export function createPacerView(root: HTMLElement): ModelView {
  root.classList.add('kl-gcp');
  let trace: readonly TraceEvent[] | undefined;
  let runs: PacerRun[] = [];
  let drawn = '';
  return {
    render(t, cursor) {
      if (t !== trace) runs = pacerRuns((trace = t));
      const html = pacerMarkup(t, runs, cursor);
      if (html !== drawn) root.innerHTML = html;
      drawn = html;
    },
    describe(event) {
      return pacerEvents.is(event) ? pacerEvents.text(event) : undefined;
    },
    source(event) {
      return pacerEvents.is(event) ? pacerEvents.source(event) : undefined;
    },
    destroy() {
      trace = undefined;
      drawn = '';
      root.innerHTML = '';
    },
  };
}
