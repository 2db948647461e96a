/**
 * The scheduler view: the scheduling queue's three places with their pods, and the last
 * scheduling cycle as a node-by-plugin matrix (the filter verdict, each score plugin's weighted
 * score, the total, the winner marked) with each node's CPU and memory allocation as bars.
 * Large clusters stay usable: the trace carries at most 200 nodes per cycle (feasible ones by
 * score first) and counts the rest; the lanes show 40 pods and summarise the others.
 * A function of (trace, cursor): the state is replayed from the trace, resumed from the last
 * frame when the cursor moves forward.
 */
import { formatMs, schedulerEvents, eventText, type TraceEvent } from '../../../sim/index';
import type { ModelView } from '../types';
import { apply, emptyState, type SchedulerViewState } from './state';

const MAX_CHIPS = 40;
/** Nodes drawn per cycle: the winner and the best first; the trace keeps up to 200, the rest are counted. */
const MAX_ROWS = 60;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const LANES: [string, string, string[]][] = [
  ['activeQ', 'waiting for a scheduling cycle, highest priority first', ['activeQ']],
  ['backoffQ', 'waiting out a backoff (1 s doubling to 10 s) before the next attempt', ['backoffQ', 'errorBackoffQ']],
  ['unschedulablePods', 'rejected; back when a cluster event whose queueing hint says Queue arrives, or after 5 minutes', ['unschedulablePods']],
  ['gated', 'held by a PreEnqueue plugin (scheduling gates)', ['gated']],
];

function lanes(s: SchedulerViewState): string {
  return `<dl class="kl-wq-lanes">${LANES.map(([label, hint, names]) => {
    const pods = [...s.queues].filter(([, q]) => names.includes(q)).map(([p]) => p);
    // The timers: a backoff's end, and the 5-minute flush of unschedulablePods, as of the cursor.
    const timer = (p: string) => {
      const until = s.backoffUntil.get(p);
      if (until !== undefined) return ` <span class="kl-wq-at" title="backoff ends at ${formatMs(until)}">${formatMs(Math.max(0, until - s.now))} left</span>`;
      const since = s.unschedulableSince.get(p);
      if (since !== undefined) return ` <span class="kl-wq-at" title="flushed after 5 minutes without an event">flush in ${formatMs(Math.max(0, since + 300_000 - s.now))}</span>`;
      return '';
    };
    const chips = pods.length
      ? `<ol class="kl-wq-chips">${pods.slice(0, MAX_CHIPS).map((p) => `<li class="kl-wq-chip">${esc(p)}${timer(p)}</li>`).join('')}${pods.length > MAX_CHIPS ? `<li class="kl-wq-more">+${pods.length - MAX_CHIPS} more</li>` : ''}</ol>`
      : '<span class="kl-wq-none">empty</span>';
    return `<div class="kl-wq-lane"><dt title="${esc(hint)}">${label} <span class="kl-wq-count">${pods.length}</span></dt><dd>${chips}</dd></div>`;
  }).join('')}</dl>`;
}

function bar(used: number, total: number, label: string): string {
  const pct = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  return `<span class="kl-sched-bar" title="${esc(label)} ${pct}% requested" role="img" aria-label="${esc(label)} ${pct}% requested"><span style="width:${pct}%"></span></span>`;
}

function matrix(s: SchedulerViewState): string {
  const c = s.last;
  if (!c) return '<p class="kl-viz-empty">No scheduling cycle yet at this point.</p>';
  const verdict = c.result === 'Scheduled'
    ? `scheduled to <b>${esc(c.node)}</b>`
    : `<b>${c.result === 'Error' ? 'error' : 'unschedulable'}</b>${c.nominated ? `, nominated to <b>${esc(c.nominated)}</b>` : ''}`;
  const head = `<p class="kl-sched-head">cycle ${c.index}: <code>${esc(c.pod)}</code> ${verdict} <span class="kl-sched-dim">(${c.feasible} feasible of ${c.evaluated} evaluated, ${c.numAllNodes} nodes; profile ${esc(c.profile)})</span></p>`;
  const msg = c.message ? `<p class="kl-sched-msg">${esc(c.message)}</p>` : '';
  const th = c.plugins.map((p, i) => `<th scope="col" title="weight ${c.weights[i]}">${esc(p)}<br><span class="kl-sched-dim">×${c.weights[i]}</span></th>`).join('');
  const rows = c.rows.slice(0, MAX_ROWS).map(([name, filter, total, scores, cpu, cpuCap, mem, memCap]) => {
    const win = name === c.node ? ' class="is-winner"' : filter ? ' class="is-rejected"' : '';
    const cells = c.plugins.map((_, i) => `<td>${scores[i] ?? ''}</td>`).join('');
    return `<tr${win}><th scope="row">${name === c.node ? '★ ' : ''}${esc(name)}</th><td><b>${total ?? ''}</b></td><td class="kl-sched-filter">${filter ? esc(filter) : '✓'}</td>${cells}<td class="kl-sched-bars">${bar(cpu, cpuCap, 'cpu')}${bar(mem, memCap, 'memory')}</td></tr>`;
  }).join('');
  const hidden = Math.max(0, c.rows.length - MAX_ROWS) + c.moreNodes;
  const rejected = c.rows.slice(MAX_ROWS).filter((r) => r[1]).length;
  const more = hidden ? `<p class="kl-sched-dim">… and ${hidden} more nodes${rejected ? `, ${rejected} of the next ${c.rows.length - MAX_ROWS} rejected` : ''} (the terminal's <code>scheduler explain --nodes N</code> lists more)</p>` : '';
  const table = c.rows.length
    ? `<div class="kl-sched-scroll" tabindex="0" role="region" aria-label="Nodes of the last cycle"><table class="kl-sched-matrix"><caption class="sr-only">Filter verdicts and weighted scores per node</caption><thead><tr><th scope="col">node</th><th scope="col">total</th><th scope="col">filter</th>${th}<th scope="col">cpu / mem</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : '';
  return head + msg + table + more;
}

export function createSchedulerView(root: HTMLElement): ModelView {
  root.classList.add('kl-sched');
  let cache: { trace: readonly TraceEvent[]; cursor: number; state: SchedulerViewState } | undefined;
  // Two parts drawn apart: the lanes change with every queue move, the matrix only with a new cycle.
  let drawn: { lanes: string; cycle: number; empty: string } = { lanes: '', cycle: -1, empty: '' };
  const stateAt = (trace: readonly TraceEvent[], cursor: number) => {
    if (!cache || cache.trace !== trace || cursor < cache.cursor) {
      cache = { trace, cursor: 0, state: emptyState() };
      // A new trace or a step back: whatever is drawn no longer matches by cycle count alone.
      drawn.cycle = -1;
      drawn.lanes = '';
    }
    for (let i = cache.cursor; i < cursor && i < trace.length; i++) apply(cache.state, trace[i]);
    cache.cursor = cursor;
    return cache.state;
  };
  return {
    render(trace, cursor) {
      const s = stateAt(trace, cursor);
      if (!trace.some((e) => e.component === 'scheduler')) {
        const empty = trace.length ? 'No scheduler event in this run.' : 'Run your code to watch the scheduler.';
        if (drawn.empty !== empty) root.innerHTML = `<p class="kl-viz-empty">${empty}</p>`;
        drawn = { lanes: '', cycle: -1, empty };
        return;
      }
      if (drawn.empty !== '' || !root.querySelector('[data-part="lanes"]')) {
        root.innerHTML = '<section aria-label="Scheduling queue" data-part="lanes"></section><section aria-label="Last scheduling cycle" data-part="matrix"></section>';
        drawn = { lanes: '', cycle: -1, empty: '' };
      }
      const lanesHtml = `<h3 class="kl-sched-title">Scheduling queue <span class="kl-sched-dim">(${s.cycles} cycles, ${s.bound.size} bound${s.bindFailures ? `, ${s.bindFailures} bind failures` : ''})</span></h3>${lanes(s)}`;
      if (lanesHtml !== drawn.lanes) {
        root.querySelector('[data-part="lanes"]')!.innerHTML = lanesHtml;
        drawn.lanes = lanesHtml;
      }
      if (s.cycles !== drawn.cycle) {
        root.querySelector('[data-part="matrix"]')!.innerHTML = `<h3 class="kl-sched-title">Last scheduling cycle</h3>${matrix(s)}`;
        drawn.cycle = s.cycles;
      }
    },
    prepare(trace, cursor) {
      stateAt(trace, cursor);
    },
    describe(event) {
      return schedulerEvents.is(event) ? eventText(event) : undefined;
    },
    destroy() {
      cache = undefined;
      drawn = { lanes: '', cycle: -1, empty: '' };
      root.innerHTML = '';
    },
  };
}
