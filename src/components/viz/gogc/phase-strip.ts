/**
 * The phase strip under the heap: the run's phases (`gogc.phase`) as bands, stop-the-world pauses
 * (`gogc.stw`) and assists (`gogc.assist`) as marks when the trace has them, and the cursor. The
 * axis is virtual time when the run's events carry different times, else the run's events in order
 * (the marking model stamps `step` and, until it moves the clock, time 0).
 */
import type { TraceEvent } from '../../../sim/index';
import { esc } from '../html';
import type { HeapRun } from './heap-state';

export const STRIP_W = 480;
const H = 46;
const BAND_Y = 14;
const BAND_H = 16;

const f = (n: number) => String(Math.round(n * 10) / 10);

export interface StripAxis {
  kind: 'time' | 'events';
  /** x of the trace event at `index`. */
  x(index: number): number;
  /** Units per ms on a time axis (0 on an events axis). */
  perMs: number;
}

export function stripAxis(trace: readonly TraceEvent[], run: HeapRun): StripAxis {
  const t0 = trace[run.start].t;
  const t1 = trace[run.end - 1].t;
  const span = (n: number) => (n <= 0 ? 1 : n);
  if (t1 > t0) return { kind: 'time', perMs: (STRIP_W - 8) / (t1 - t0), x: (i) => 4 + ((STRIP_W - 8) * (trace[Math.min(i, run.end - 1)].t - t0)) / (t1 - t0) };
  return { kind: 'events', perMs: 0, x: (i) => 4 + ((STRIP_W - 8) * (Math.min(i, run.end) - run.start)) / span(run.end - run.start) };
}

const PHASE_TEXT: Record<string, string> = { off: 'off', mark: 'mark', marktermination: 'mark term.', sweep: 'sweep', sweeptermination: 'sweep term.' };

/** The strip's markup at `cursor` (events applied). */
export function phaseStrip(trace: readonly TraceEvent[], run: HeapRun, cursor: number): string {
  const axis = stripAxis(trace, run);
  const out: string[] = [];
  const phases = run.phases;
  out.push(`<rect class="kl-gc-ph-track" x="4" y="${BAND_Y}" width="${STRIP_W - 8}" height="${BAND_H}"/>`);
  phases.forEach((p, i) => {
    const x0 = axis.x(p.index);
    const x1 = i + 1 < phases.length ? axis.x(phases[i + 1].index) : axis.x(run.end);
    const w = Math.max(2, x1 - x0);
    const name = String(p.phase);
    const text = w > 34 ? `<text x="${f(x0 + 3)}" y="${BAND_Y + 12}">${esc(PHASE_TEXT[name] ?? name)}</text>` : '';
    out.push(`<g class="kl-gc-ph kl-gc-ph-${esc(name.replace(/[^a-z]/gi, '').toLowerCase())}"><title>${esc(name)} from step ${p.step}</title><rect x="${f(x0)}" y="${BAND_Y}" width="${f(w)}" height="${BAND_H}"/>${text}</g>`);
  });
  for (const m of run.pauses) {
    const stw = m.kind === 'stw';
    // A stop ... start pair spans its two events; a single event starts its mark where it is.
    const x = m.fromIndex !== undefined ? axis.x(m.fromIndex) : axis.x(m.index);
    const w = m.fromIndex !== undefined ? Math.max(2, axis.x(m.index) - x) : m.ns !== undefined && axis.perMs > 0 ? Math.max(2, (axis.perMs * m.ns) / 1e6) : 2;
    const y = stw ? 2 : BAND_Y + BAND_H + 2;
    out.push(`<g class="kl-gc-pause kl-gc-${m.kind}"><title>${esc(m.label)}${m.ns !== undefined ? ` (${f(m.ns / 1000)} µs)` : ''}</title><rect x="${f(x - 1)}" y="${y}" width="${f(w)}" height="10"/></g>`);
  }
  const stws = run.pauses.filter((p) => p.kind === 'stw').length;
  const assists = run.pauses.length - stws;
  const cx = cursor <= run.start ? 4 : axis.x(Math.min(cursor - 1, run.end - 1));
  out.push(`<line class="kl-gc-ph-cursor" x1="${f(cx)}" x2="${f(cx)}" y1="0" y2="${H}"/>`);
  const legend = `${axis.kind === 'time' ? 'virtual time' : 'events in order (the model stamps steps, not times)'}${stws ? ` · ${stws} stop-the-world pause${stws === 1 ? '' : 's'} (marks above)` : ''}${assists ? ` · ${assists} assist${assists === 1 ? '' : 's'} (marks below)` : ''}`;
  return `<svg class="kl-gc-strip" viewBox="0 0 ${STRIP_W} ${H}" width="${STRIP_W}" height="${H}" role="img" aria-label="GC phases of this run: ${esc(phases.map((p) => p.phase).join(', '))}">${out.join('')}</svg><p class="kl-gc-strip-legend">${esc(legend)}</p>`;
}
