/**
 * The `kubelet` view: per pod, a lane per container of the states the kubelet reported over
 * virtual time (waiting / running / terminated, with the reason), each restart marked, the pod worker's stages, the back-off
 * timer up to the next allowed restart, and probe runs as ticks; under them a strip of the syncLoop
 * channels firing (config, pleg, sync, housekeeping, probe) and the PLEG relists. A table says the
 * same at the cursor in words. Fed by `kubelet.*` and `prober.*` events (see ./state.ts).
 */
import type { TraceEvent } from '../../../sim/index';
import { kubeletEvents } from '../../../sim/kubelet/events';
import { proberEvents } from '../../../sim/kubelet/prober/events';
import { esc } from '../html';
import type { ModelView } from '../types';
import { formatTime } from '../time';
import { clip, kubeletLayout, stateText, MAX_PODS, type KubeletLayout } from './layout';
import { LOOP_CHANNELS, containerAt, isKubeletEvent, kubeletRun, nowOf, stageAt, type KubeletRun } from './state';
import './kubelet.css';

const f = (n: number) => String(Math.round(n * 10) / 10);
const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export function kubeletSvg(l: KubeletLayout, cursor: number, summary: string): string {
  const at = (i: number) => (i === cursor - 1 ? ' is-current' : '');
  const out: string[] = [];
  out.push(`<line class="kl-kb-grid" x1="${f(l.cursorX)}" x2="${f(l.cursorX)}" y1="${l.top - 4}" y2="${l.bottom}"/>`);
  for (const b of l.boxes) out.push(`<rect class="${b.cls}${at(b.index)}" x="${f(b.x)}" y="${f(b.y)}" width="${f(b.w)}" height="${b.h}" rx="2"><title>${esc(b.title)}</title></rect>`);
  for (const t of l.ticks) out.push(`<line class="${t.cls}${at(t.index)}" x1="${f(t.x)}" x2="${f(t.x)}" y1="${f(t.y)}" y2="${f(t.y + t.h)}"><title>${esc(t.title)}</title></line>`);
  for (const t of l.labels) out.push(`<text class="${t.cls}" x="${f(t.x)}" y="${f(t.y)}"${t.anchor && t.anchor !== 'start' ? ` text-anchor="${t.anchor}"` : ''}>${esc(t.text)}</text>`);
  return `<svg class="kl-kb-svg" viewBox="0 0 ${l.width} ${f(l.height)}" width="${l.width}" height="${f(l.height)}" role="img" aria-label="${esc(summary)}">${out.join('')}</svg>`;
}

/** The text alternative: each container's state at the cursor, and the channels' counts so far. */
export function kubeletTable(run: KubeletRun, cursor: number, now: number): string {
  const rows: string[] = [];
  for (const p of run.pods.slice(0, MAX_PODS)) {
    for (const c of p.containers) {
      const s = containerAt(c, cursor, now);
      if (!s.span && !s.lastProbe) continue;
      const state = s.span ? stateText(s.span) : '—';
      const backoff = s.backoff ? `${secs(s.backoff.backoffMs)}; restart allowed in ${secs(s.backoff.remainingMs)}` : '—';
      const probe = s.lastProbe ? `${s.lastProbe.probe}: ${s.lastProbe.result}` : '—';
      rows.push(`<tr><th scope="row">${esc(p.pod)}</th><td>${esc(stageAt(p, cursor))}</td><td>${esc(c.container)}</td><td>${esc(state)}</td><td>${s.restarts}</td><td>${esc(backoff)}</td><td>${esc(probe)}</td></tr>`);
    }
  }
  const counts = LOOP_CHANNELS.map((ch) => `${ch} ${run.fires.filter((x) => x.channel === ch && x.index < cursor).length}`).join(' · ');
  const relists = run.relists.filter((r) => r.index < cursor);
  const loop = `<p class="kl-kb-counts">syncLoop iterations by channel: ${counts} · PLEG relists ${relists.length} (${relists.filter((r) => r.events > 0).length} with events)</p>`;
  if (!rows.length) return `<p class="kl-kb-dim">No container state reported yet at ${esc(formatTime(now))}.</p>${loop}`;
  return `<div class="kl-kb-scroll" tabindex="0" role="region" aria-label="Containers at the cursor"><table class="kl-kb-table"><caption class="sr-only">Containers at ${esc(formatTime(now))}</caption><thead><tr><th scope="col">pod</th><th scope="col">pod worker</th><th scope="col">container</th><th scope="col">state</th><th scope="col">restarts</th><th scope="col">back-off</th><th scope="col">last probe</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${loop}`;
}

const LEGEND = `<ul class="kl-kb-legend" aria-label="Legend"><li><span class="kl-kb-key is-waiting" aria-hidden="true"></span>waiting</li><li><span class="kl-kb-key is-running" aria-hidden="true"></span>running</li><li><span class="kl-kb-key is-terminated" aria-hidden="true"></span>terminated</li><li><span class="kl-kb-key is-backoff" aria-hidden="true"></span>back-off until the next allowed restart</li><li><span aria-hidden="true">↻</span> restart</li><li><span class="kl-kb-key is-probe" aria-hidden="true"></span>probe run (green success, red failure)</li></ul>`;

export function kubeletMarkup(trace: readonly TraceEvent[], run: KubeletRun | undefined, cursor: number): string {
  if (!run) return `<p class="kl-viz-empty">${trace.length ? 'No kubelet events in this trace.' : 'Run your code to watch the kubelet sync its pods.'}</p>`;
  const now = nowOf(trace, run, cursor);
  const layout = kubeletLayout(run, cursor, now);
  const containers = run.pods.reduce((n, p) => n + p.containers.length, 0);
  const restarts = run.pods.reduce((n, p) => n + p.containers.reduce((m, c) => m + c.restarts.filter((r) => r.index < cursor).length, 0), 0);
  const fires = run.fires.filter((x) => x.index < cursor).length;
  const head = `<p class="kl-kb-head">${esc(formatTime(now))} · ${run.pods.length} pods, ${containers} containers · restarts: ${restarts} · syncLoop iterations: ${fires}</p>`;
  const event = cursor > 0 ? trace[cursor - 1] : undefined;
  const status = event && isKubeletEvent(event) ? `<p class="kl-kb-status" role="status">${esc(clip(describeKubelet(event) ?? '', 160))}</p>` : '<p class="kl-kb-status">&nbsp;</p>';
  const summary = `Container states, back-off timers and probe runs of ${run.pods.length} pods over time, and the syncLoop channels firing, up to ${formatTime(now)}. The table below says the same in words.`;
  const more = layout.hiddenPods ? `<p class="kl-kb-dim">${layout.hiddenPods} more pods not drawn.</p>` : '';
  return `${head}${status}<div class="kl-kb-chart" tabindex="0">${kubeletSvg(layout, cursor, summary)}</div>${more}${LEGEND}${kubeletTable(run, cursor, now)}`;
}

function describeKubelet(event: TraceEvent): string | undefined {
  if (kubeletEvents.is(event)) return kubeletEvents.text(event);
  if (proberEvents.is(event)) return proberEvents.text(event);
  return undefined;
}

export function createKubeletView(root: HTMLElement): ModelView {
  root.classList.add('kl-kb');
  let trace: readonly TraceEvent[] | undefined;
  let run: KubeletRun | undefined;
  let drawn = '';
  return {
    render(t, cursor) {
      if (t !== trace) run = kubeletRun((trace = t));
      const html = kubeletMarkup(t, run, cursor);
      if (html !== drawn) root.innerHTML = html;
      drawn = html;
    },
    describe: describeKubelet,
    source(event) {
      if (kubeletEvents.is(event)) return kubeletEvents.source(event);
      if (proberEvents.is(event)) return proberEvents.source(event);
      return undefined;
    },
    destroy() {
      trace = run = undefined;
      drawn = '';
      root.innerHTML = '';
    },
  };
}
