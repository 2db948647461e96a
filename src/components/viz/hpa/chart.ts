/**
 * The HPA chart's layout and markup, without the DOM: over virtual time, the metric against its
 * target above; below, the replicas the HPA applied (a step line), what the metrics recommended
 * at each reconcile (dots), the gap between the two where the stabilization window or a limit
 * held the count, and minReplicas / maxReplicas where known. The axes span the whole trace, so
 * scrubbing only reveals.
 */
import { esc } from '../html';
import { formatTime } from '../time';
import { heldBy, isPercent, metricText, sampleAt, type Held, type HpaRun, type HpaSample } from './state';

export const W = 480;
export const H = 246;
const PAD_L = 40;
const PAD_R = 10;
const TOP = 12;
export const METRIC_H = 78;
const REPLICAS_Y = TOP + METRIC_H + 26;
export const REPLICAS_H = 100;
const f = (n: number) => String(Math.round(n * 10) / 10);

/** A round step for `max` over about `n` ticks. */
function niceStep(max: number, n = 4): number {
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? raw;
}

export interface Mark {
  x: number;
  y: number;
  sample: number;
}

export interface HpaLayout {
  x(t: number): number;
  yValue(v: number): number;
  yReplicas(n: number): number;
  valueTicks: Array<{ y: number; label: string }>;
  replicaTicks: Array<{ y: number; label: string }>;
  timeTicks: Array<{ x: number; label: string }>;
  /** The metric's polylines (a reconcile without a value breaks the line). */
  value: string[];
  target: string;
  /** The replicas over time: current at each reconcile, then the count applied, held until the next. */
  applied: string;
  recommended: Array<Mark & { held: Held }>;
  /** A reconcile whose applied count differs from the recommendation: from one to the other. */
  holds: Array<{ x: number; y1: number; y2: number; held: Held; sample: number }>;
  rescales: Mark[];
  errors: Mark[];
  minY?: number;
  maxY?: number;
  cursorX?: number;
  current: number;
}

export function hpaLayout(run: HpaRun, cursor: number): HpaLayout {
  const span = Math.max(1000, run.t1 - run.t0);
  const x = (t: number) => PAD_L + ((W - PAD_L - PAD_R) * (t - run.t0)) / span;
  const vMax = run.valueMax * 1.15;
  const yValue = (v: number) => TOP + METRIC_H - (METRIC_H * Math.min(v, vMax)) / vMax;
  const rMax = Math.max(2, run.replicasMax + 1);
  const yReplicas = (n: number) => REPLICAS_Y + REPLICAS_H - (REPLICAS_H * Math.min(n, rMax)) / rMax;
  const metric = run.samples.find((s) => s.metric)?.metric ?? '';
  const vStep = niceStep(vMax);
  const valueTicks: HpaLayout['valueTicks'] = [];
  for (let v = 0; v <= vMax; v += vStep) valueTicks.push({ y: yValue(v), label: metricText(metric, v) });
  const rStep = Math.max(1, Math.ceil(rMax / 5));
  const replicaTicks: HpaLayout['replicaTicks'] = [];
  for (let n = 0; n <= rMax; n += rStep) replicaTicks.push({ y: yReplicas(n), label: String(n) });
  const tStep = niceStep(span / 1000, 5);
  const timeTicks: HpaLayout['timeTicks'] = [];
  // Round times: the first multiple of the step at or after the first reconcile.
  for (let s = Math.ceil(run.t0 / 1000 / tStep) * tStep; s * 1000 <= run.t0 + span; s += tStep) timeTicks.push({ x: x(s * 1000), label: formatTime(s * 1000).replace(/^t=/, '') });

  const current = sampleAt(run, cursor);
  const shown = run.samples.slice(0, current + 1);
  const value: string[] = [];
  let line: string[] = [];
  const target: string[] = [];
  const applied: string[] = [];
  const L: HpaLayout = { x, yValue, yReplicas, valueTicks, replicaTicks, timeTicks, value, target: '', applied: '', recommended: [], holds: [], rescales: [], errors: [], current };
  shown.forEach((s, i) => {
    const px = x(s.t);
    if (s.value === null) {
      if (line.length) value.push(line.join(' '));
      line = [];
    } else line.push(`${f(px)},${f(yValue(s.value))}`);
    if (s.target !== null) {
      const next = shown[i + 1] ? x(shown[i + 1].t) : px;
      target.push(`${f(px)},${f(yValue(s.target))}`, `${f(next)},${f(yValue(s.target))}`);
    }
    // Held flat until this reconcile, then from the count it found to the one it applied.
    if (i > 0) applied.push(`${f(px)},${f(yReplicas(shown[i - 1].finalReplicas))}`);
    applied.push(`${f(px)},${f(yReplicas(s.currentReplicas))}`, `${f(px)},${f(yReplicas(s.finalReplicas))}`);
    const held = heldBy(s);
    if (s.desiredReplicas >= 0 && !s.error) L.recommended.push({ x: px, y: yReplicas(s.desiredReplicas), sample: i, held });
    if (held) L.holds.push({ x: px, y1: yReplicas(s.desiredReplicas), y2: yReplicas(s.finalReplicas), held, sample: i });
    if (s.rescaled) L.rescales.push({ x: px, y: yReplicas(s.finalReplicas), sample: i });
    if (s.error) L.errors.push({ x: px, y: TOP + 6, sample: i });
  });
  if (line.length) value.push(line.join(' '));
  const last = shown.at(-1);
  L.target = target.join(' ');
  L.applied = applied.join(' ');
  if (run.minReplicas !== undefined) L.minY = yReplicas(run.minReplicas);
  if (run.maxReplicas !== undefined) L.maxY = yReplicas(run.maxReplicas);
  if (last) L.cursorX = x(last.t);
  return L;
}

const HELD_TEXT: Record<Exclude<Held, ''>, string> = {
  stabilized: 'held by the stabilization window',
  limited: 'cut by a scaling limit',
  bounded: 'clamped to minReplicas / maxReplicas',
};

/** One reconcile in words (the chart's text alternative, the status line, the table). */
export function sampleText(s: HpaSample): string {
  if (s.error) return `${formatTime(s.t)}: ${s.error}`;
  const rec = s.desiredReplicas >= 0 ? `, the metrics recommend ${s.desiredReplicas}` : '';
  const held = heldBy(s);
  const moved = s.rescaled ? `scaled ${s.currentReplicas} → ${s.finalReplicas}` : `kept ${s.finalReplicas}`;
  return `${formatTime(s.t)}: ${s.metric || 'metric'} ${metricText(s.metric, s.value)} for a target of ${metricText(s.metric, s.target)}${rec}; ${moved}${held ? ` (${HELD_TEXT[held]}${s.reason ? `: ${s.reason}` : ''})` : s.reason && !s.rescaled ? ` (${s.reason})` : ''}`;
}

export function hpaSvg(run: HpaRun, cursor: number): string {
  const L = hpaLayout(run, cursor);
  const out: string[] = [];
  const axisEnd = W - PAD_R;
  for (const t of L.valueTicks) out.push(`<line class="kl-hpa-grid" x1="${PAD_L}" x2="${axisEnd}" y1="${f(t.y)}" y2="${f(t.y)}"/><text class="kl-hpa-tick" x="${PAD_L - 4}" y="${f(t.y + 3)}" text-anchor="end">${esc(t.label)}</text>`);
  for (const t of L.replicaTicks) out.push(`<line class="kl-hpa-grid" x1="${PAD_L}" x2="${axisEnd}" y1="${f(t.y)}" y2="${f(t.y)}"/><text class="kl-hpa-tick" x="${PAD_L - 4}" y="${f(t.y + 3)}" text-anchor="end">${t.label}</text>`);
  for (const t of L.timeTicks) out.push(`<text class="kl-hpa-tick" x="${f(t.x)}" y="${REPLICAS_Y + REPLICAS_H + 13}" text-anchor="${t.x > axisEnd - 24 ? 'end' : 'middle'}">${esc(t.label)}</text>`);
  out.push(`<text class="kl-hpa-label" x="${PAD_L}" y="${TOP - 3}">metric</text><text class="kl-hpa-label" x="${PAD_L}" y="${REPLICAS_Y - 4}">replicas</text>`);
  out.push(`<line class="kl-hpa-axis" x1="${PAD_L}" x2="${axisEnd}" y1="${TOP + METRIC_H}" y2="${TOP + METRIC_H}"/><line class="kl-hpa-axis" x1="${PAD_L}" x2="${axisEnd}" y1="${REPLICAS_Y + REPLICAS_H}" y2="${REPLICAS_Y + REPLICAS_H}"/>`);
  if (L.maxY !== undefined) out.push(`<line class="kl-hpa-bound" x1="${PAD_L}" x2="${axisEnd}" y1="${f(L.maxY)}" y2="${f(L.maxY)}"><title>maxReplicas ${run.maxReplicas}</title></line><text class="kl-hpa-label kl-hpa-bound-text" x="${axisEnd - 2}" y="${f(L.maxY - 3)}" text-anchor="end">max ${run.maxReplicas}</text>`);
  if (L.minY !== undefined) out.push(`<line class="kl-hpa-bound" x1="${PAD_L}" x2="${axisEnd}" y1="${f(L.minY)}" y2="${f(L.minY)}"><title>minReplicas ${run.minReplicas}</title></line><text class="kl-hpa-label kl-hpa-bound-text" x="${axisEnd - 2}" y="${f(L.minY - 3)}" text-anchor="end">min ${run.minReplicas}</text>`);
  if (L.target) out.push(`<polyline class="kl-hpa-target" points="${L.target}"><title>target</title></polyline>`);
  for (const v of L.value) out.push(`<polyline class="kl-hpa-value" points="${v}"><title>metric value</title></polyline>`);
  for (const h of L.holds) out.push(`<line class="kl-hpa-hold is-${h.held}" x1="${f(h.x)}" x2="${f(h.x)}" y1="${f(h.y1)}" y2="${f(h.y2)}"><title>${esc(HELD_TEXT[h.held as Exclude<Held, ''>])}</title></line>`);
  if (L.applied) out.push(`<polyline class="kl-hpa-applied" points="${L.applied}"><title>replicas applied</title></polyline>`);
  for (const m of L.recommended) out.push(`<circle class="kl-hpa-rec${m.held ? ` is-${m.held}` : ''}${m.sample === L.current ? ' is-current' : ''}" cx="${f(m.x)}" cy="${f(m.y)}" r="${m.sample === L.current ? 4 : 2.6}"><title>${esc(sampleText(run.samples[m.sample]))}</title></circle>`);
  for (const m of L.rescales) out.push(`<path class="kl-hpa-rescale" d="M${f(m.x - 3.5)},${f(m.y + 4)} L${f(m.x + 3.5)},${f(m.y + 4)} L${f(m.x)},${f(m.y - 2)} z"><title>rescaled</title></path>`);
  for (const m of L.errors) out.push(`<text class="kl-hpa-error" x="${f(m.x)}" y="${f(m.y)}" text-anchor="middle">!<title>${esc(run.samples[m.sample].error)}</title></text>`);
  if (L.cursorX !== undefined) out.push(`<line class="kl-hpa-cursor" x1="${f(L.cursorX)}" x2="${f(L.cursorX)}" y1="${TOP}" y2="${REPLICAS_Y + REPLICAS_H}"/>`);
  const cur = L.current >= 0 ? run.samples[L.current] : undefined;
  const label = cur ? `HPA ${run.hpa}, reconcile ${L.current + 1} of ${run.samples.length}, ${sampleText(cur)}.` : `HPA ${run.hpa}: no reconcile yet.`;
  return `<svg class="kl-hpa-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(label)}">${out.join('')}</svg>`;
}

const legend = (run: HpaRun) =>
  `<ul class="kl-hpa-legend" aria-label="Legend"><li><span class="kl-hpa-key is-value" aria-hidden="true"></span>metric</li><li><span class="kl-hpa-key is-target" aria-hidden="true"></span>target</li><li><span class="kl-hpa-key is-applied" aria-hidden="true"></span>replicas applied</li><li><span class="kl-hpa-dot" aria-hidden="true"></span>recommendation</li><li><span class="kl-hpa-key is-stabilized" aria-hidden="true"></span>held by the stabilization window</li><li><span class="kl-hpa-key is-limited" aria-hidden="true"></span>cut by a limit</li>${run.minReplicas !== undefined || run.maxReplicas !== undefined ? '<li><span class="kl-hpa-key is-bound" aria-hidden="true"></span>min / max replicas</li>' : ''}</ul>`;

function table(run: HpaRun, current: number, max = 40): string {
  const from = Math.max(0, current + 1 - max);
  const rows = run.samples.slice(from, current + 1).map((s, k) => {
    const i = from + k;
    return `<tr${i === current ? ' class="is-current" aria-current="step"' : ''}><td>${esc(formatTime(s.t))}</td><td>${esc(metricText(s.metric, s.value))} / ${esc(metricText(s.metric, s.target))}</td><td>${s.desiredReplicas >= 0 ? s.desiredReplicas : '–'}</td><td>${s.currentReplicas} → ${s.finalReplicas}</td><td>${esc(s.error || s.reason)}</td></tr>`;
  });
  return `<details class="kl-hpa-details"><summary>Reconciles as a table</summary><table class="kl-hpa-table"><caption class="sr-only">Reconciles of ${esc(run.hpa)} up to the cursor</caption><thead><tr><th scope="col">time</th><th scope="col">metric / target</th><th scope="col">recommended</th><th scope="col">replicas</th><th scope="col">reason</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

/** The whole view at `cursor`: header, status line, chart, legend, and the reconciles as a table. */
export function hpaMarkup(trace: { length: number }, runs: readonly HpaRun[], index: number, cursor: number): string {
  if (!runs.length) return `<p class="kl-viz-empty">${trace.length ? 'No HorizontalPodAutoscaler reconcile in this trace.' : 'Run your code to chart the HPA: its metric against the target, the replicas it recommends and applies.'}</p>`;
  const run = runs[index];
  const current = sampleAt(run, cursor);
  const cur = current >= 0 ? run.samples[current] : undefined;
  const metric = run.samples.find((s) => s.metric)?.metric;
  const bounds = [run.minReplicas !== undefined ? `min <b>${run.minReplicas}</b>` : '', run.maxReplicas !== undefined ? `max <b>${run.maxReplicas}</b>` : ''].filter(Boolean).join(' · ');
  const head = `<p class="kl-hpa-head">${runs.length > 1 ? `HPA ${index + 1} of ${runs.length}: ` : 'HPA '}<b>${esc(run.hpa)}</b>${metric ? ` · ${esc(metric)}${isPercent(metric) ? '' : ' (units)'}` : ''}${bounds ? ` · ${bounds}` : ''} · reconcile ${current + 1} of ${run.samples.length}</p>`;
  const held = cur ? heldBy(cur) : '';
  const status = `<p class="kl-hpa-status${held ? ` is-${held}` : ''}${cur?.error ? ' is-error' : ''}" role="status">${cur ? esc(sampleText(cur)) : 'No reconcile yet.'}</p>`;
  return `${head}${status}<div class="kl-hpa-chart" tabindex="0">${hpaSvg(run, cursor)}</div>${legend(run)}${table(run, current)}`;
}
