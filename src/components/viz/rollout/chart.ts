/**
 * The rollout chart's layout and markup, without the DOM: one stacked bar per step (old
 * ReplicaSets' pods below, the new one's above; available pods solid, the rest pale) inside the
 * band the fenceposts allow, [replicas - maxUnavailable available, replicas + maxSurge in all],
 * and the step at the cursor ringed. The axes span the whole rollout, so scrubbing only reveals.
 */
import { esc } from '../html';
import { formatTime } from '../time';
import type { RolloutRun, RolloutStep } from './state';
import { stepAt } from './state';

export const W = 480;
export const H = 204;
const PAD_L = 30;
const PAD_R = 8;
const TOP = 10;
export const PLOT_H = 160;
const MIN_SLOTS = 12;
const f = (n: number) => String(Math.round(n * 10) / 10);

export type SegmentKind = 'old-available' | 'old-unavailable' | 'new-available' | 'new-unavailable';

export interface Segment {
  kind: SegmentKind;
  y: number;
  h: number;
  pods: number;
}

export interface Bar {
  step: number;
  x: number;
  w: number;
  segments: Segment[];
}

export interface RolloutLayout {
  yMax: number;
  /** y of a pod count. */
  y(n: number): number;
  ticks: Array<{ y: number; label: string }>;
  bars: Bar[];
  /** Step polylines: the most pods allowed (replicas + maxSurge), the fewest available (replicas - maxUnavailable), the pods available. */
  upper: string;
  lower: string;
  available: string;
  /** The band between the bounds, as one polygon. */
  band: string;
  /** Index of the step at the cursor (-1: none yet). */
  current: number;
}

/** Where step `i` of `n` sits. */
function slot(i: number, n: number) {
  const width = (W - PAD_L - PAD_R) / Math.max(n, MIN_SLOTS);
  return { x: PAD_L + i * width, w: width };
}

const upperOf = (s: RolloutStep) => s.replicas + s.maxSurge;
const lowerOf = (s: RolloutStep) => Math.max(0, s.replicas - s.maxUnavailable);

export function rolloutLayout(run: RolloutRun, cursor: number): RolloutLayout {
  // One pod of headroom, so the upper bound is not the frame.
  const yMax = Math.max(2, run.peak + 1);
  const y = (n: number) => TOP + PLOT_H - (PLOT_H * Math.min(n, yMax)) / yMax;
  const current = stepAt(run, cursor);
  const shown = run.steps.slice(0, current + 1);
  const n = run.steps.length;
  const tick = Math.max(1, Math.ceil(yMax / 6));
  const ticks: RolloutLayout['ticks'] = [];
  for (let k = 0; k <= yMax; k += tick) ticks.push({ y: y(k), label: String(k) });
  const bars = shown.map((s, i): Bar => {
    const { x, w } = slot(i, n);
    const segments: Segment[] = [];
    let base = 0;
    const add = (kind: SegmentKind, pods: number) => {
      if (pods <= 0) return;
      segments.push({ kind, y: y(base + pods), h: y(base) - y(base + pods), pods });
      base += pods;
    };
    add('old-available', s.old.available);
    add('old-unavailable', s.old.pods - s.old.available);
    add('new-available', s.new.available);
    add('new-unavailable', s.new.pods - s.new.available);
    return { step: i, x: x + w * 0.15, w: Math.max(1, w * 0.7), segments };
  });
  // Bounds only once the Deployment controller has reported them.
  const bounded = shown.map((s, i) => ({ s, i })).filter(({ s }) => s.replicas > 0 || s.maxSurge > 0);
  const steps = (v: (s: RolloutStep) => number) =>
    bounded.flatMap(({ s, i }) => {
      const { x, w } = slot(i, n);
      return [`${f(x)},${f(y(v(s)))}`, `${f(x + w)},${f(y(v(s)))}`];
    });
  const upper = steps(upperOf);
  const lower = steps(lowerOf);
  return {
    yMax,
    y,
    ticks,
    bars,
    upper: upper.join(' '),
    lower: lower.join(' '),
    available: steps((s) => s.old.available + s.new.available).join(' '),
    band: upper.length ? [...upper, ...lower.reverse()].join(' ') : '',
    current,
  };
}

const KIND_TEXT: Record<SegmentKind, string> = {
  'old-available': 'old ReplicaSets, available',
  'old-unavailable': 'old ReplicaSets, not available',
  'new-available': 'new ReplicaSet, available',
  'new-unavailable': 'new ReplicaSet, not available',
};

/** One step in words (the chart's text alternative and the status line). */
export function stepText(s: RolloutStep): string {
  const bounds = s.replicas > 0 || s.maxSurge > 0 ? `; ${s.old.pods + s.new.pods} pods of at most ${upperOf(s)}, ${s.old.available + s.new.available} available of at least ${lowerOf(s)}` : '';
  return `${formatTime(s.t)}: new ${s.newRS || '-'} ${s.new.pods} pods (${s.new.available} available, ${s.new.replicas} wanted), old ${s.old.pods} pods (${s.old.available} available, ${s.old.replicas} wanted)${bounds}`;
}

/** The chart for `run` at `cursor`, as SVG markup. */
export function rolloutSvg(run: RolloutRun, cursor: number): string {
  const L = rolloutLayout(run, cursor);
  const out: string[] = [];
  for (const t of L.ticks) out.push(`<line class="kl-ro-grid" x1="${PAD_L}" x2="${W - PAD_R}" y1="${f(t.y)}" y2="${f(t.y)}"/><text class="kl-ro-tick" x="${PAD_L - 4}" y="${f(t.y + 3)}" text-anchor="end">${t.label}</text>`);
  out.push(`<line class="kl-ro-axis" x1="${PAD_L}" x2="${W - PAD_R}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H}"/>`);
  out.push(`<text class="kl-ro-tick" x="${W - PAD_R}" y="${TOP + PLOT_H + 24}" text-anchor="end">steps →</text>`);
  const at = L.bars[L.current];
  if (at) out.push(`<text class="kl-ro-tick kl-ro-now" x="${f(Math.min(W - PAD_R - 20, Math.max(PAD_L + 20, at.x + at.w / 2)))}" y="${TOP + PLOT_H + 12}" text-anchor="middle">${esc(formatTime(run.steps[L.current].t))}</text>`);
  if (L.band) out.push(`<polygon class="kl-ro-band" points="${L.band}"><title>allowed band: at least replicas - maxUnavailable available, at most replicas + maxSurge pods</title></polygon>`);
  for (const b of L.bars) {
    const s = run.steps[b.step];
    const cls = `kl-ro-bar${b.step === L.current ? ' is-current' : ''}`;
    const segs = b.segments.map((g) => `<rect class="kl-ro-seg is-${g.kind}" x="${f(b.x)}" y="${f(g.y)}" width="${f(b.w)}" height="${f(g.h)}"/>`).join('');
    const top = b.segments.length ? b.segments[b.segments.length - 1].y : L.y(0);
    const ring = b.step === L.current ? `<rect class="kl-ro-ring" x="${f(b.x - 1.5)}" y="${f(top - 1.5)}" width="${f(b.w + 3)}" height="${f(L.y(0) - top + 3)}"/>` : '';
    out.push(`<g class="${cls}" data-step="${b.step}"><title>${esc(`step ${b.step + 1}, ${stepText(s)}`)}</title>${segs}${ring}</g>`);
  }
  if (L.upper) out.push(`<polyline class="kl-ro-upper" points="${L.upper}"><title>replicas + maxSurge</title></polyline>`);
  if (L.lower) out.push(`<polyline class="kl-ro-lower" points="${L.lower}"><title>replicas - maxUnavailable</title></polyline>`);
  if (L.available) out.push(`<polyline class="kl-ro-avail" points="${L.available}"><title>available pods</title></polyline>`);
  const cur = L.current >= 0 ? run.steps[L.current] : undefined;
  const label = cur ? `Rollout of ${run.deployment}, step ${L.current + 1} of ${run.steps.length}, ${stepText(cur)}.` : `Rollout of ${run.deployment}: no step yet.`;
  return `<svg class="kl-ro-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(label)}">${out.join('')}</svg>`;
}

const legend = `<ul class="kl-ro-legend" aria-label="Legend"><li><span class="kl-ro-key is-old-available" aria-hidden="true"></span>old, available</li><li><span class="kl-ro-key is-old-unavailable" aria-hidden="true"></span>old, not available</li><li><span class="kl-ro-key is-new-available" aria-hidden="true"></span>new, available</li><li><span class="kl-ro-key is-new-unavailable" aria-hidden="true"></span>new, not available</li><li><span class="kl-ro-line is-upper" aria-hidden="true"></span>replicas + maxSurge</li><li><span class="kl-ro-line is-lower" aria-hidden="true"></span>replicas - maxUnavailable</li><li><span class="kl-ro-line is-avail" aria-hidden="true"></span>available</li></ul>`;

/** The rows of the steps table (the last `max` steps up to the cursor). */
function table(run: RolloutRun, current: number, max = 40): string {
  const from = Math.max(0, current + 1 - max);
  const rows = run.steps.slice(from, current + 1).map((s, k) => {
    const i = from + k;
    const bounds = s.replicas > 0 || s.maxSurge > 0 ? `${lowerOf(s)}–${upperOf(s)}` : '–';
    return `<tr${i === current ? ' class="is-current" aria-current="step"' : ''}><td>${i + 1}</td><td>${esc(formatTime(s.t))}</td><td>${s.old.pods} (${s.old.available})</td><td>${s.new.pods} (${s.new.available})</td><td>${bounds}</td><td>${esc(s.cause)}</td></tr>`;
  });
  return `<details class="kl-ro-details"><summary>Steps as a table</summary><table class="kl-ro-table"><caption class="sr-only">Rollout steps of ${esc(run.deployment)} up to the cursor</caption><thead><tr><th scope="col">step</th><th scope="col">time</th><th scope="col">old pods (available)</th><th scope="col">new pods (available)</th><th scope="col">band</th><th scope="col">what moved</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

/** The whole view at `cursor`: header, status line, chart, legend and the steps as a table. */
export function rolloutMarkup(trace: { length: number }, runs: readonly RolloutRun[], index: number, cursor: number): string {
  if (!runs.length) return `<p class="kl-viz-empty">${trace.length ? 'No Deployment rollout in this trace.' : 'Run your code to chart the rollout: old and new pods within maxSurge and maxUnavailable.'}</p>`;
  const run = runs[index];
  const current = stepAt(run, cursor);
  const cur = current >= 0 ? run.steps[current] : undefined;
  const bounds = cur && (cur.replicas > 0 || cur.maxSurge > 0) ? ` · replicas <b>${cur.replicas}</b> · maxSurge <b>${cur.maxSurge}</b> · maxUnavailable <b>${cur.maxUnavailable}</b>` : '';
  const head = `<p class="kl-ro-head">${runs.length > 1 ? `Deployment ${index + 1} of ${runs.length}: ` : 'Deployment '}<b>${esc(run.deployment)}</b>${bounds} · step ${current + 1} of ${run.steps.length}</p>`;
  const bounded = cur && (cur.replicas > 0 || cur.maxSurge > 0);
  const note = !cur || !bounded ? '' : cur.old.pods + cur.new.pods > upperOf(cur) ? 'more pods than replicas + maxSurge' : cur.old.available + cur.new.available < lowerOf(cur) ? 'fewer available than replicas - maxUnavailable' : '';
  const status = `<p class="kl-ro-status${note ? ' is-outside' : ''}" role="status">${cur ? esc(`${stepText(cur)} (${cur.cause})`) : 'No step yet.'}${note ? ` <b>${note}</b>` : ''}</p>`;
  return `${head}${status}<div class="kl-ro-chart" tabindex="0">${rolloutSvg(run, cursor)}</div>${legend}${table(run, current)}`;
}
