/**
 * The sequence diagram as HTML, without the DOM: a header of lifelines, one row per message
 * (step badge, what is sent, an arrow between two lifelines), and the legend of the eight steps
 * with their upstream functions. HTML rather than SVG so the text keeps its size in a narrow pane
 * while the lanes shrink; the rows are an ordered list, so the diagram is its own text alternative
 * (each row also says who sends to whom). The whole run is laid out at once: the cursor only
 * marks the rows it has reached, so scrubbing never moves anything.
 */
import { esc } from '../html';
import type { SourceLink } from '../types';
import { formatTime } from '../time';
import { STEPS, stepOf, type StepNo } from './steps';
import { reached, stepStarts, type Lifeline, type PathMessage, type PathRun } from './state';

/** Rows shown before the rest is summarised (a long session can pile up status writes). */
export const MAX_ROWS = 80;

/** Where lifeline `i` of `n` sits, in percent of the lanes' width. */
export const laneX = (i: number, n: number) => ((i + 0.5) * 100) / n;
const pct = (x: number) => `${Math.round(x * 100) / 100}%`;

const FULL: Record<string, string> = { apiserver: 'kube-apiserver', deployment: 'the Deployment controller', replicaset: 'the ReplicaSet controller', scheduler: 'kube-scheduler' };

/** A lifeline's name in full (`kubelet on node-1`, `the Deployment controller`). */
export const lifelineName = (l: Lifeline) => (l.node ? `${l.name} on ${l.node}` : (FULL[l.id] ?? l.name));

export type RowState = 'pending' | 'partial' | 'done';

export interface Row {
  message: PathMessage;
  state: RowState;
  /** Members reached by the cursor. */
  count: number;
  current: boolean;
  /** The arrow, in percent of the lanes: from `left` for `width`, pointing left or right. */
  left: number;
  width: number;
  pointsLeft: boolean;
}

/** The rows at `cursor`: each message's state and arrow; `current` on the row of the last event reached. */
export function pathRows(run: PathRun, cursor: number): Row[] {
  const n = run.lifelines.length;
  const col = new Map(run.lifelines.map((l, i) => [l.id, i]));
  let last = -1;
  let currentRow = -1;
  const rows = run.messages.map((m, k): Row => {
    const count = reached(m, cursor);
    const latest = count ? m.indices[count - 1] : -1;
    if (count && latest >= last) [last, currentRow] = [latest, k];
    const a = laneX(col.get(m.from) ?? 0, n);
    const b = laneX(col.get(m.to) ?? 0, n);
    return { message: m, state: count === 0 ? 'pending' : count < m.indices.length ? 'partial' : 'done', count, current: false, left: Math.min(a, b), width: Math.abs(b - a), pointsLeft: b < a };
  });
  if (currentRow >= 0) rows[currentRow].current = true;
  return rows;
}

/** The first `count` objects of a row in short (`pod web-7d…-x2k9p`, `3 pods: a, b, c`). */
function objectsText(m: PathMessage, count: number): string {
  const names = [...new Set(m.objects.slice(0, count))].map((o) => o.slice(o.indexOf('/') + 1));
  const kind = m.objectKind === 'Pod' ? 'pod' : m.objectKind;
  return names.length === 1 ? `${kind} ${names[0]}` : `${names.length} ${kind}s: ${names.join(', ')}`;
}

/** One message in words (the row's text for screen readers, the status line, the tooltip). */
export function messageText(run: PathRun, m: PathMessage, count = m.indices.length): string {
  const name = (id: string) => {
    const l = run.lifelines.find((x) => x.id === id);
    return l ? lifelineName(l) : id;
  };
  const times = count > 1 ? `${m.objects.length > 1 ? `×${count}${count < m.indices.length ? ` of ${m.indices.length}` : ''}, ` : ''}` : '';
  return `${formatTime(m.times[0])}: ${name(m.from)} → ${name(m.to)}: ${m.label} (${times}${objectsText(m, count)})`;
}

/** The lifelines as CSS backgrounds: one hairline per lane, shared by every row. */
function laneLines(n: number): string {
  return Array.from({ length: n }, (_, i) => {
    const x = laneX(i, n);
    return `linear-gradient(to right, transparent calc(${pct(x)} - 0.5px), var(--kl-pa-line) calc(${pct(x)} - 0.5px), var(--kl-pa-line) calc(${pct(x)} + 0.5px), transparent calc(${pct(x)} + 0.5px))`;
  }).join(', ');
}

function header(run: PathRun): string {
  const n = run.lifelines.length;
  const cells = run.lifelines.map((l, i) => `<span class="kl-pa-life" style="left:${pct(laneX(i, n))}" title="${esc(lifelineName(l))}">${esc(l.name)}</span>`);
  // A node's name once, over its kubelet and containerd lanes.
  const nodes = [...new Set(run.lifelines.filter((l) => l.node).map((l) => l.node!))].map((node) => {
    const lanes = run.lifelines.flatMap((l, i) => (l.node === node ? [i] : []));
    const left = (lanes[0] * 100) / n;
    return `<span class="kl-pa-node" style="left:${pct(left)};width:${pct((lanes.length * 100) / n)}" title="${esc(node)}">${esc(node)}</span>`;
  });
  return `<div class="kl-pa-headrow" aria-hidden="true"><span></span><span></span><span class="kl-pa-lanes">${nodes.join('')}${cells.join('')}</span></div>`;
}

function rowHtml(run: PathRun, r: Row, stepChanged: boolean): string {
  const m = r.message;
  const total = m.indices.length;
  const count = total > 1 ? ` <span class="kl-pa-count">×${r.state === 'partial' ? `${r.count}/${total}` : total}</span>` : '';
  const cls = `kl-pa-row is-${r.state} is-${m.kind} kl-pa-s${m.step}${r.current ? ' is-current' : ''}${stepChanged ? ' is-first' : ''}`;
  const badge = stepChanged ? `<span class="kl-pa-badge" aria-hidden="true">${m.step}</span>` : '<span aria-hidden="true"></span>';
  const arrow = `<span class="kl-pa-arrow${r.pointsLeft ? ' is-left' : ''}" style="left:${pct(r.left)};width:${pct(r.width)}"></span>`;
  return `<li class="${cls}"${r.current ? ' aria-current="step"' : ''} title="${esc(`step ${m.step}, ${messageText(run, m)}`)}">${badge}<span class="kl-pa-label">${esc(m.label)}${count}<span class="sr-only">, step ${m.step}, ${esc(messageText(run, m, r.count || total))}${r.state === 'pending' ? ', not reached yet' : ''}</span></span><span class="kl-pa-lanes" aria-hidden="true">${arrow}</span></li>`;
}

/** A link to upstream source, opening in a new tab (as the timeline caption's). */
function sourceLink(l: SourceLink): string {
  return `<a class="kl-pa-src" href="${esc(l.href)}" target="_blank" rel="noopener" title="${esc(`Upstream source: ${l.title}`)}">${esc(l.label)}<span class="sr-only"> (opens in a new tab)</span> ↗</a>`;
}

function legend(run: PathRun, cursor: number): string {
  const starts = stepStarts(run);
  const t = new Map(run.messages.map((m) => [m.indices[0], m.times[0]]));
  const items = STEPS.map((s) => {
    const at = starts.get(s.n);
    const state = at === undefined ? 'absent' : at < cursor ? 'reached' : 'pending';
    const when = at === undefined ? 'not in this trace' : state === 'reached' ? `from ${formatTime(t.get(at) ?? 0)}` : 'not reached yet';
    const links = s.links.map(sourceLink).join(' · ');
    return `<li class="kl-pa-step kl-pa-s${s.n} is-${state}" data-step="${s.n}"><span class="kl-pa-badge" aria-hidden="true">${s.n}</span><span><b>${esc(s.title)}</b> <span class="kl-pa-when">${esc(when)}</span><br><span class="kl-pa-links">${links}</span></span></li>`;
  });
  return `<ol class="kl-pa-legend" aria-label="The eight steps">${items.join('')}</ol>`;
}

/** The whole view at `cursor`: header, status line, the diagram and the legend of the steps. */
export function pathMarkup(trace: { length: number }, runs: readonly PathRun[], index: number, cursor: number): string {
  if (!runs.length) return `<p class="kl-viz-empty">${trace.length ? 'No Deployment in this trace yet: kubectl apply -f one to follow its path.' : 'Apply a Deployment in the terminal to follow its path, from kubectl to the containers and back.'}</p>`;
  const run = runs[index];
  const rows = pathRows(run, cursor);
  const cur = rows.find((r) => r.current);
  const reachedSteps = new Set(rows.filter((r) => r.state !== 'pending').map((r) => r.message.step));
  const head = `<p class="kl-pa-head">${runs.length > 1 ? `Path ${index + 1} of ${runs.length}: ` : ''}Deployment <b>${esc(run.deployment)}</b> · ${reachedSteps.size} of 8 steps reached · ${run.messages.length} rows (alike messages grouped)</p>`;
  const status = `<p class="kl-pa-status" role="status">${cur ? `<b>${cur.message.step}. ${esc(stepOf(cur.message.step as StepNo).title)}</b> ${esc(messageText(run, cur.message, cur.count))} ${sourceLink(cur.message.source)}` : 'No message yet: move the timeline on.'}</p>`;
  const shown = rows.slice(0, MAX_ROWS);
  const body = shown.map((r, k) => rowHtml(run, r, k === 0 || shown[k - 1].message.step !== r.message.step)).join('');
  const more = rows.length > MAX_ROWS ? `<p class="kl-pa-more">+${rows.length - MAX_ROWS} more rows</p>` : '';
  const diagram = `<div class="kl-pa-diagram" role="group" aria-label="${esc(`Sequence diagram of the path of ${run.deployment}`)}" style="--kl-pa-lines:${esc(laneLines(run.lifelines.length))}">${header(run)}<ol class="kl-pa-rows" aria-label="Messages, in order">${body}</ol>${more}</div>`;
  return `${head}${status}${diagram}${legend(run, cursor)}`;
}
