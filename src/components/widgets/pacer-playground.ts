/**
 * The live part of <PacerPlayground>: GOGC, GOMEMLIMIT and the live heap go through the runtime's
 * own parsing into the pacer model's runGcWorkload (src/sim/gogc/pacer, after mgcpacer.go at
 * go1.26.0), and the run is drawn as a chart: the heap over time, each cycle's goal, the memory
 * limit, and each mark phase's GC CPU, with the gctrace lines underneath. Seeded by nothing: the
 * run is a pure function of the inputs, so the same sliders always draw the same chart.
 */
import { MalformedGOMEMLIMITError, runGcWorkload, type GcRun } from '../../sim/gogc/pacer/index';

const MiB = 2 ** 20;

export interface PacerInput {
  /** GOGC as the environment would pass it: a number, or 'off'. */
  GOGC: string;
  /** GOMEMLIMIT in MiB, or undefined for no limit. */
  limitMiB?: number;
  liveMiB: number;
  allocMiBPerSec: number;
  gomaxprocs: number;
  durationMs: number;
}

export interface PacerChart {
  /** The heap over time: [ms, MiB] at every cycle start, mark termination and end. */
  heap: Array<[number, number]>;
  /** Each cycle's goal from its start to its end, and the mark phase's GC CPU share (0-1). */
  cycles: Array<{ startMs: number; endMs: number; markEndMs: number; goalMiB: number; gcCpu: number; limited: boolean }>;
  limitMiB?: number;
  peakMiB: number;
  /** The last gctrace line's GC CPU percentage (since start), as the runtime prints it. */
  gcCpuPercent: number;
  gctrace: string[];
  /** What the process prints when it dies at start-up (a malformed GOMEMLIMIT), else empty. */
  fatal: string[];
}

export const DEFAULT_INPUT: PacerInput = { GOGC: '100', liveMiB: 64, allocMiBPerSec: 200, gomaxprocs: 4, durationMs: 3000 };

/** Runs the workload and turns the run into chart data. */
export function pacerChart(input: PacerInput): PacerChart {
  let run: GcRun;
  const GOMEMLIMIT = input.limitMiB === undefined ? undefined : `${input.limitMiB}MiB`;
  try {
    run = runGcWorkload({
      allocBytesPerSec: input.allocMiBPerSec * MiB, liveHeapBytes: input.liveMiB * MiB, gomaxprocs: input.gomaxprocs,
      durationMs: input.durationMs, GOGC: input.GOGC, GOMEMLIMIT, maxCycles: 400,
    });
  } catch (e) {
    if (e instanceof MalformedGOMEMLIMITError) return { heap: [], cycles: [], peakMiB: 0, gcCpuPercent: 0, gctrace: [], fatal: e.stderr };
    throw e;
  }
  const ms = (ns: number) => ns / 1e6;
  const heap: Array<[number, number]> = [[0, 0]];
  for (const c of run.cycles) {
    heap.push([ms(c.tSweepTerm), c.heap0 / MiB], [ms(c.tMarkTerm), c.heap1 / MiB], [ms(c.tEnd), c.heap2 / MiB]);
  }
  heap.push([input.durationMs, run.heapLive / MiB]);
  const last = run.gctrace[run.gctrace.length - 1];
  return {
    heap,
    cycles: run.cycles.map((c) => ({ startMs: ms(c.tSweepTerm), markEndMs: ms(c.tMarkTerm), endMs: ms(c.tEnd), goalMiB: c.goal / MiB, gcCpu: c.markUtilization, limited: c.limited })),
    limitMiB: input.limitMiB,
    peakMiB: run.peakHeapLive / MiB,
    gcCpuPercent: last ? Number(/ (\d+)%:/.exec(last)?.[1] ?? 0) : 0,
    gctrace: run.gctrace,
    fatal: [],
  };
}

/** Chart geometry: the plot area of a 640 x 260 SVG, heap on top, GC CPU bars below. */
export const CHART = { width: 640, height: 260, left: 44, right: 8, top: 10, heapBottom: 190, cpuTop: 206, cpuBottom: 246 };

/** The SVG path of the heap line, and the y scale's top, for a chart. */
export function heapPath(chart: PacerChart, durationMs: number): { d: string; maxMiB: number } {
  const maxMiB = niceMax(Math.max(chart.peakMiB, chart.limitMiB ?? 0, ...chart.cycles.map((c) => c.goalMiB), 1));
  const x = xScale(durationMs);
  const y = (mib: number) => CHART.heapBottom - (mib / maxMiB) * (CHART.heapBottom - CHART.top);
  const d = chart.heap.map(([t, m], i) => `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)} ${y(m).toFixed(1)}`).join(' ');
  return { d, maxMiB };
}

function xScale(durationMs: number) {
  return (t: number) => CHART.left + (Math.min(t, durationMs) / durationMs) * (CHART.width - CHART.left - CHART.right);
}

/** 1, 2 or 5 times a power of ten, at or above v. */
export function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((k) => k * p).find((m) => m >= v) ?? 10 * p;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function draw(svg: SVGSVGElement, chart: PacerChart, durationMs: number): void {
  const { d, maxMiB } = heapPath(chart, durationMs);
  const x = xScale(durationMs);
  const y = (mib: number) => CHART.heapBottom - (mib / maxMiB) * (CHART.heapBottom - CHART.top);
  const parts: SVGElement[] = [];
  for (const frac of [0, 0.5, 1]) {
    parts.push(el('line', { class: 'kl-pp-grid', x1: CHART.left, x2: CHART.width - CHART.right, y1: y(maxMiB * frac), y2: y(maxMiB * frac) }));
    parts.push(el('text', { class: 'kl-pp-axis', x: CHART.left - 4, y: y(maxMiB * frac) + 4, 'text-anchor': 'end' }, String(Math.round(maxMiB * frac))));
  }
  // Under the top tick's number, not on it.
  parts.push(el('text', { class: 'kl-pp-axis', x: 2, y: CHART.top + 30 }, 'MiB'));
  for (const c of chart.cycles) {
    parts.push(el('rect', { class: 'kl-pp-mark', x: x(c.startMs), y: CHART.top, width: Math.max(0.5, x(c.markEndMs) - x(c.startMs)), height: CHART.heapBottom - CHART.top }));
    const h = (CHART.cpuBottom - CHART.cpuTop) * Math.min(1, c.gcCpu);
    parts.push(el('rect', { class: c.limited ? 'kl-pp-cpu is-limited' : 'kl-pp-cpu', x: x(c.startMs), y: CHART.cpuBottom - h, width: Math.max(1, x(c.markEndMs) - x(c.startMs)), height: h }));
  }
  // Each cycle's goal, from the cycle before's end to this one's end: the line the heap aims at.
  let from = 0;
  for (const c of chart.cycles) {
    parts.push(el('line', { class: 'kl-pp-goal', x1: x(from), x2: x(c.endMs), y1: y(c.goalMiB), y2: y(c.goalMiB) }));
    from = c.endMs;
  }
  if (chart.limitMiB !== undefined) parts.push(el('line', { class: 'kl-pp-limit', x1: CHART.left, x2: CHART.width - CHART.right, y1: y(chart.limitMiB), y2: y(chart.limitMiB) }));
  parts.push(el('path', { class: 'kl-pp-heap', d }));
  parts.push(el('line', { class: 'kl-pp-grid', x1: CHART.left, x2: CHART.width - CHART.right, y1: CHART.cpuBottom, y2: CHART.cpuBottom }));
  parts.push(el('text', { class: 'kl-pp-axis', x: 2, y: CHART.cpuTop + 14 }, 'GC CPU'));
  parts.push(el('text', { class: 'kl-pp-axis', x: CHART.width - CHART.right, y: CHART.height - 2, 'text-anchor': 'end' }, `${durationMs / 1000} s`));
  svg.replaceChildren(...parts);
}

export function mount(root: HTMLElement): void {
  const gogc = root.querySelector<HTMLInputElement>('input[data-gogc]')!;
  const gogcOff = root.querySelector<HTMLInputElement>('input[data-gogc-off]')!;
  const limit = root.querySelector<HTMLInputElement>('input[data-limit]')!;
  const live = root.querySelector<HTMLInputElement>('input[data-live-heap]')!;
  const svg = root.querySelector<SVGSVGElement>('svg[data-chart]')!;
  const trace = root.querySelector<HTMLElement>('[data-gctrace]')!;
  const summary = root.querySelector<HTMLElement>('[data-summary]')!;
  const out = (name: string) => root.querySelector<HTMLElement>(`[data-out="${name}"]`);
  const render = () => {
    const limitMiB = Number(limit.value) || 0;
    const input: PacerInput = { ...DEFAULT_INPUT, GOGC: gogcOff.checked ? 'off' : gogc.value, limitMiB: limitMiB > 0 ? limitMiB : undefined, liveMiB: Number(live.value) || 1 };
    gogc.disabled = gogcOff.checked;
    out('gogc')?.replaceChildren(gogcOff.checked ? 'off' : gogc.value);
    out('limit')?.replaceChildren(limitMiB > 0 ? `${limitMiB}MiB` : 'unset');
    out('live')?.replaceChildren(`${live.value} MiB`);
    const chart = pacerChart(input);
    if (chart.fatal.length) {
      svg.replaceChildren();
      trace.textContent = chart.fatal.join('\n');
      summary.textContent = 'The process died at start-up.';
      return;
    }
    draw(svg, chart, input.durationMs);
    trace.textContent = chart.gctrace.join('\n');
    const limited = chart.cycles.some((c) => c.limited) ? ', the CPU limiter cut assists' : '';
    summary.textContent = `${chart.cycles.length} cycles in ${input.durationMs / 1000} s, peak heap ${chart.peakMiB.toFixed(1)} MiB, GC CPU ${chart.gcCpuPercent}% (last gctrace line)${limited}.`;
  };
  for (const i of [gogc, gogcOff, limit, live]) {
    i.disabled = false;
    i.addEventListener('input', render);
  }
  root.querySelector('[data-status]')?.replaceChildren('Live: move a slider.');
  root.removeAttribute('data-kl-pending');
  render();
}
