/**
 * The workqueue view: for each queue, lanes for `queue` (FIFO, head first), `dirty`,
 * `processing` and the delayed heap, plus requeue counts, last backoff delays, waiting workers,
 * the shuttingDown flag and the metrics. A function of (trace, cursor) only: the state comes from
 * a checkpointed replayer of the trace (kept until the trace changes), so a frame anywhere in a
 * 200,000-event run costs a copy of the state and at most a few thousand events.
 */
import { formatMs, formatWorkqueueEvent, newWorkqueueReplayer, workqueueEvents, type TraceEvent } from '../../../sim/index';
import type { ModelView } from '../types';

/** Chips shown per lane before the rest is summarised as "+N more". */
const MAX_CHIPS = 40;

type Snapshot = ReturnType<ReturnType<typeof newWorkqueueReplayer>['snapshotAt']>;
type QueueSnapshot = Snapshot['queues'][number];

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function chips(items: string[], current: string | undefined, extra?: (item: string, i: number) => string): string {
  if (items.length === 0) return '<span class="kl-wq-none">empty</span>';
  const shown = items.slice(0, MAX_CHIPS);
  const html = shown
    .map((item, i) => {
      const cls = item === current ? 'kl-wq-chip is-current' : 'kl-wq-chip';
      return `<li class="${cls}">${esc(item)}${extra ? extra(item, i) : ''}</li>`;
    })
    .join('');
  const more = items.length > MAX_CHIPS ? `<li class="kl-wq-more">+${items.length - MAX_CHIPS} more</li>` : '';
  return `<ol class="kl-wq-chips">${html}${more}</ol>`;
}

function lane(label: string, hint: string, body: string, count: number): string {
  return `<div class="kl-wq-lane"><dt title="${esc(hint)}">${label} <span class="kl-wq-count">${count}</span></dt><dd>${body}</dd></div>`;
}

function queueCard(q: QueueSnapshot, current: { queue?: string; item?: string }): string {
  const item = current.queue === q.name ? current.item : undefined;
  const flags = [
    q.shuttingDown ? '<span class="kl-wq-flag is-down">shutting down</span>' : '',
  ].join('');
  // Workers as the queue sees them: one busy worker per processing item (the queue never hands an
  // item to two workers), and the callers blocked in get(). A worker between calls shows in neither.
  const workers = [
    ...q.processing.slice(0, MAX_CHIPS).map((it) => `<li class="kl-wq-chip kl-wq-worker is-busy${it === item ? ' is-current' : ''}">busy: ${esc(it)}</li>`),
    ...Array.from({ length: Math.min(q.waiters, MAX_CHIPS) }, () => '<li class="kl-wq-chip kl-wq-worker is-idle">waiting in get()</li>'),
  ];
  const workersBody = workers.length ? `<ol class="kl-wq-chips">${workers.join('')}</ol>` : '<span class="kl-wq-none">none busy or waiting</span>';
  const retried = Object.keys({ ...q.requeues, ...q.lastDelayMs }).sort();
  const retries = retried.length
    ? `<table class="kl-wq-retries"><caption class="sr-only">Requeues per item</caption>
        <thead><tr><th scope="col">item</th><th scope="col">requeues</th><th scope="col">last delay</th></tr></thead>
        <tbody>${retried
          .slice(0, MAX_CHIPS)
          .map(
            (it) =>
              `<tr${it === item ? ' class="is-current"' : ''}><td>${esc(it)}</td><td>${q.requeues[it] ?? 0}</td><td>${
                q.lastDelayMs[it] === undefined ? '–' : formatMs(q.lastDelayMs[it])
              }</td></tr>`,
          )
          .join('')}</tbody></table>`
    : '';
  return `<section class="kl-wq-queue" aria-label="Queue ${esc(q.name)}">
    <header class="kl-wq-head"><h3>${esc(q.name)}</h3>${flags}</header>
    <dl class="kl-wq-lanes">
      ${lane('workers', 'busy: a worker holds this item (got it, not done yet); waiting: a worker blocked in get()', workersBody, q.processing.length + q.waiters)}
      ${lane('queue', 'FIFO of items waiting for a worker, head first', chips(q.queue, item), q.queue.length)}
      ${lane('dirty', 'items that need processing (queued or waiting to be re-queued after done)', chips(q.dirty, item), q.dirty.length)}
      ${lane('processing', 'items a worker got and has not marked done', chips(q.processing, item), q.processing.length)}
      ${lane(
        'delayed',
        'items added with addAfter, soonest first, with the time they become ready',
        chips(
          q.waiting.map((w) => w.item),
          item,
          (_it, i) => ` <span class="kl-wq-at">@${formatMs(q.waiting[i].readyAtMs)}</span>`,
        ),
        q.waiting.length,
      )}
    </dl>
    <p class="kl-wq-metrics"><span>depth <b>${q.metrics.depth}</b></span><span>adds <b>${q.metrics.adds}</b></span><span>retries <b>${q.metrics.retries}</b></span></p>
    ${retries}
  </section>`;
}

export function createWorkqueueView(root: HTMLElement): ModelView {
  root.classList.add('kl-wq');
  let replayed: { trace: readonly TraceEvent[]; length: number; replayer: ReturnType<typeof newWorkqueueReplayer> } | undefined;
  const replayerFor = (trace: readonly TraceEvent[]) => {
    // A new trace gets a new replayer; the same array grown by a live run keeps its checkpoints.
    if (replayed?.trace !== trace || trace.length < replayed.length) {
      replayed = { trace, length: trace.length, replayer: newWorkqueueReplayer(trace) };
    }
    return replayed.replayer;
  };
  return {
    render(trace: readonly TraceEvent[], cursor: number) {
      const snap = replayerFor(trace).snapshotAt(cursor);
      const last = cursor > 0 ? trace[cursor - 1] : undefined;
      const current =
        last && last.component === 'workqueue'
          ? { queue: typeof last.queue === 'string' ? last.queue : undefined, item: typeof last.item === 'string' ? last.item : undefined }
          : {};
      if (snap.queues.length === 0) {
        root.innerHTML = `<p class="kl-viz-empty">${trace.length ? 'No workqueue has been created yet at this point.' : 'Run your code to watch the queue.'}</p>`;
        return;
      }
      root.innerHTML = snap.queues.map((q) => queueCard(q, current)).join('');
    },
    describe(event) {
      return workqueueEvents.is(event) ? formatWorkqueueEvent(event) : undefined;
    },
    prepare(trace, cursor) {
      replayerFor(trace).stateAt(cursor);
    },
    destroy() {
      replayed = undefined;
      root.innerHTML = '';
    },
  };
}
