/**
 * The watch-stream view: one lane per reflector. A strip shows the lane over time (lists,
 * watches, backoffs); below it, the last segments in order: each list or relist (why, the
 * resourceVersion asked for and got), each watch from the resourceVersion it started at with the
 * events it delivered (bookmarks included) and how it ended (the server's timeoutSeconds,
 * 410 Gone, an error, a stop), each backoff. A function of (trace, cursor) only, through a
 * checkpointed replayer of lanes.ts.
 */
import { Replayer, type TraceEvent } from '../../../sim/index';
import { formatDuration, formatTime } from '../format';
import { esc, rvBadge, typeTag } from '../html';
import type { ModelView } from '../types';
import { lanesReducer, type Lane, type LanesState, type Segment, type WatchEnd } from './lanes';

/** Segments listed per lane (the strip shows every one the lane keeps). */
const SHOWN_SEGMENTS = 10;
/** Events listed per watch (the latest). */
const SHOWN_EVENTS = 16;

const rvText = (rv: string | undefined) => (rv === undefined ? '?' : rv === '' ? '""' : esc(rv));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const RELIST: Record<string, string> = {
  expired: 'the watch got 410 Gone',
  veryShortWatch: 'a very short watch',
  watchFailed: 'the watch failed',
  listFailed: 'the list failed',
  watchError: 'a watch error',
  resyncError: 'a resync error',
  stopped: 'stopped',
};

function endHtml(w: Extract<Segment, { kind: 'watch' }>, end: WatchEnd): string {
  let cls = 'is-closed';
  let text: string;
  if (end.code === 410 || end.reason === 'expired') {
    cls = 'is-gone';
    text = `<b>410 Gone</b>${end.statusReason ? ` (${esc(end.statusReason)})` : ''}${end.error ? `: ${esc(end.error)}` : ''} → back off, then relist`;
  } else if (end.reason === 'closed') {
    const server = w.server?.end;
    if (server?.reason === 'timeout') {
      cls = 'is-timeout';
      text = `<b>timeout</b>: the server ended it${server.timeoutSeconds !== undefined ? ` at timeoutSeconds ${server.timeoutSeconds}` : ''} → watch again`;
    } else text = '<b>closed</b> by the server → watch again from the last resourceVersion';
  } else if (end.reason === 'stopped') {
    text = '<b>stopped</b>';
  } else if (end.reason === 'startFailed') {
    cls = 'is-error';
    text = `<b>refused</b>${end.code !== undefined ? ` ${end.code}` : ''}${end.error ? `: ${esc(end.error)}` : ''}`;
  } else if (end.reason === 'veryShortWatch') {
    cls = 'is-error';
    text = '<b>very short watch</b>: closed within a second with no event → relist';
  } else {
    cls = 'is-error';
    text = `<b>${esc(end.reason)}</b>${end.code !== undefined ? ` ${end.code}` : ''}${end.error ? `: ${esc(end.error)}` : ''}`;
  }
  return `<p class="kl-wl-end ${cls}">${text} <span class="kl-wl-t">${formatTime(end.t)}</span></p>`;
}

function segmentHtml(seg: Segment, index: number, current: LanesState['current'] | undefined, lane: Lane, now: number): string {
  const isCurrent = current?.lane === lane.name && current.segment === index;
  const cls = `kl-wl-seg is-${seg.kind}${isCurrent ? ' is-current' : ''}`;
  const at = `<span class="kl-wl-t">${formatTime(seg.t)}</span>`;
  if (seg.kind === 'list') {
    const head = seg.relist ? `<span class="kl-wl-kind">RELIST</span> after ${RELIST[seg.relist] ?? esc(seg.relist)}` : '<span class="kl-wl-kind">LIST</span>';
    const body = !seg.done
      ? ' listing…'
      : seg.error !== undefined
        ? ` at rv ${rvText(seg.requestRV)} <span class="kl-v-flag is-bad">failed</span> ${esc(seg.error)}`
        : ` at rv ${rvText(seg.requestRV)} → ${plural(seg.items ?? 0, 'item')} at rv <b>${rvText(seg.rv)}</b>`;
    return `<li class="${cls}"><p class="kl-wl-row">${head}${body} ${at}</p></li>`;
  }
  if (seg.kind === 'backoff') {
    const until = seg.t + seg.delayMs;
    const waiting = now < until && !lane.stopped ? ' <span class="kl-v-flag is-warn">waiting</span>' : '';
    return `<li class="${cls}"><p class="kl-wl-row"><span class="kl-wl-kind">BACKOFF</span> ${formatDuration(seg.delayMs)} (${esc(seg.reason)})${waiting} ${at}</p></li>`;
  }
  const shown = seg.events.slice(-SHOWN_EVENTS);
  const earlier = seg.total - shown.length;
  const currentEvent = isCurrent && current?.event !== undefined ? current.event : -1;
  const firstIndex = seg.total - shown.length;
  const events = shown.length
    ? `<ol class="kl-wl-events">${earlier > 0 ? `<li class="kl-v-more">${earlier} earlier</li>` : ''}${shown
        .map(
          (ev, i) =>
            `<li class="kl-wl-ev is-${esc(ev.type.toLowerCase())}${firstIndex + i === currentEvent ? ' is-current' : ''}">${typeTag(ev.type)}${
              ev.type === 'BOOKMARK' ? '' : ` ${esc(ev.key)}`
            }${rvBadge(ev.rv)}</li>`,
        )
        .join('')}</ol>`
    : '';
  const serverEnd = seg.server?.end;
  const server =
    !seg.end && serverEnd
      ? `<p class="kl-wl-end ${serverEnd.reason === 'expired' || serverEnd.reason === 'error' ? 'is-gone' : serverEnd.reason === 'timeout' ? 'is-timeout' : 'is-closed'}">server: ${
          serverEnd.reason === 'expired'
            ? `sends ERROR <b>410 Gone</b>${serverEnd.message ? ` (${esc(serverEnd.message)})` : ''}`
            : serverEnd.reason === 'timeout'
              ? `<b>timeout</b>${serverEnd.timeoutSeconds !== undefined ? ` at timeoutSeconds ${serverEnd.timeoutSeconds}` : ''}`
              : serverEnd.reason === 'error'
                ? `<b>error</b>${serverEnd.message ? ` ${esc(serverEnd.message)}` : ''}`
                : '<b>closes</b> the watch'
        } <span class="kl-wl-t">${formatTime(serverEnd.t)}</span></p>`
      : '';
  const open = seg.end ? '' : ' <span class="kl-v-flag is-ok">open</span>';
  const lasted = seg.end?.durationMs !== undefined ? ` · lasted ${formatDuration(seg.end.durationMs)}` : '';
  const stats = `${plural(seg.total - seg.bookmarks, 'event')}${seg.bookmarks ? `, ${plural(seg.bookmarks, 'bookmark')}` : ''}${lasted}`;
  const served = seg.server?.watch !== undefined ? ` <span class="kl-wl-served">(API server watch #${seg.server.watch}${seg.server.from ? ` from its ${esc(seg.server.from)}` : ''})</span>` : '';
  return `<li class="${cls}"><p class="kl-wl-row"><span class="kl-wl-kind">WATCH</span>${served} from rv <b>${rvText(seg.fromRV)}</b>${
    seg.timeoutSeconds ? ` · timeoutSeconds ${seg.timeoutSeconds}` : ''
  } · ${stats}${open} ${at}</p>${events}${server}${seg.end ? endHtml(seg, seg.end) : ''}</li>`;
}

/** The lane over time: one block per segment, placed by time (equal widths when no time passed). */
function strip(l: Lane, now: number): string {
  const segs = l.segments;
  if (segs.length === 0) return '';
  const t0 = segs[0].t;
  const span = now - t0;
  const ends = segs.map((seg, i) => {
    const next = i + 1 < segs.length ? segs[i + 1].t : now;
    if (seg.kind === 'watch' && seg.end) return Math.min(seg.end.t, next);
    if (seg.kind === 'backoff') return Math.min(seg.t + seg.delayMs, next);
    return next;
  });
  const blocks = segs
    .map((seg, i) => {
      const left = span > 0 ? ((seg.t - t0) / span) * 100 : (i / segs.length) * 100;
      const width = span > 0 ? ((ends[i] - seg.t) / span) * 100 : 100 / segs.length;
      const bad = seg.kind === 'watch' && seg.end && (seg.end.code === 410 || seg.end.reason === 'expired') ? ' is-gone' : seg.kind === 'list' && seg.error !== undefined ? ' is-gone' : '';
      const label = seg.kind === 'watch' ? `watch from rv ${seg.fromRV}` : seg.kind === 'list' ? (seg.relist ? 'relist' : 'list') : `backoff ${formatDuration(seg.delayMs)}`;
      return `<span class="kl-wl-block is-${seg.kind}${bad}" style="left:${left.toFixed(3)}%;width:${Math.max(0, width).toFixed(3)}%" title="${esc(`${label} at ${formatTime(seg.t)}`)}"></span>`;
    })
    .join('');
  return `<div class="kl-wl-strip" aria-hidden="true">${blocks}</div><p class="kl-wl-axis" aria-hidden="true"><span>${formatTime(t0)}</span><span>${formatTime(now)}</span></p>`;
}

/** What a lane lists and watches. */
function from(l: Lane): string {
  if (l.cacher) return `<span class="kl-wl-src">← etcd <code>/registry${esc(l.name.slice('storage/cacher.go:'.length))}/</code></span>`;
  if (l.source === undefined) return '';
  if (l.sourceKind === 'ApiServer') {
    const [server, resource] = l.source.split(' ');
    return `<span class="kl-wl-src">← API server <code>${esc(server)}</code> <code>${esc(resource ?? '')}</code></span>`;
  }
  return `<span class="kl-wl-src">← source <code>${esc(l.source)}</code></span>`;
}

function laneHtml(l: Lane, s: LanesState): string {
  const c = l.counts;
  const open = l.segments.length > 0 && (() => {
    const seg = l.segments[l.segments.length - 1];
    return seg.kind === 'watch' && !seg.end;
  })();
  const phase = l.stopped ? '<span class="kl-v-flag">stopped</span>' : open ? '<span class="kl-v-flag is-ok">watching</span>' : '';
  // Lists, watches and events always; the rest once they happened.
  const stats = [
    `lastSyncResourceVersion <b>${rvText(l.lastSyncRV)}</b>`,
    plural(c.lists, 'list'),
    plural(c.watches, 'watch', 'watches'),
    plural(c.events, 'event'),
    c.bookmarks ? plural(c.bookmarks, 'bookmark') : '',
    c.timeouts ? plural(c.timeouts, 'timeout') : '',
    c.gone ? `<span class="kl-wl-bad">${c.gone} × 410 Gone</span>` : '',
    c.relists ? plural(c.relists, 'relist') : '',
    c.backoffs ? plural(c.backoffs, 'backoff') : '',
    c.listFailures ? plural(c.listFailures, 'failed list') : '',
    c.errors ? plural(c.errors, 'watch error') : '',
    c.resyncs ? plural(c.resyncs, 'resync') : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const first = Math.max(0, l.segments.length - SHOWN_SEGMENTS);
  const hidden = l.dropped + first;
  const segs = l.segments
    .slice(first)
    .map((seg, i) => segmentHtml(seg, l.dropped + first + i, s.current, l, s.t))
    .join('');
  const isActive = s.current?.lane === l.name;
  return `<section class="kl-wl-lane${isActive ? ' is-active' : ''}" aria-label="${esc(`Reflector ${l.name}`)}">
    <header class="kl-wl-head"><h4>reflector <code>${esc(l.name)}</code></h4>${from(l)}${phase}</header>
    <p class="kl-wl-stats">${stats}</p>
    ${strip(l, s.t)}
    <ol class="kl-wl-segs">${hidden > 0 ? `<li class="kl-v-more">${plural(hidden, 'earlier segment')}</li>` : ''}${segs}</ol>
  </section>`;
}

export function createWatchView(root: HTMLElement): ModelView {
  root.classList.add('kl-wl');
  let replayed: { trace: readonly TraceEvent[]; length: number; replayer: Replayer<LanesState> } | undefined;
  const replayerFor = (trace: readonly TraceEvent[]) => {
    if (replayed?.trace !== trace || trace.length < replayed.length) replayed = { trace, length: trace.length, replayer: new Replayer(lanesReducer, trace) };
    replayed.length = trace.length;
    return replayed.replayer;
  };
  return {
    render(trace, cursor) {
      const s = replayerFor(trace).at(cursor);
      if (s.lanes.size === 0) {
        root.innerHTML = `<p class="kl-viz-empty">${trace.length ? 'No reflector has listed or watched yet at this point.' : 'Run your code to watch each reflector list, watch, and relist.'}</p>`;
        return;
      }
      // The learner's reflectors first; then the API server's own (each fills a watch cache from
      // etcd): those behind a resource the learner's reflectors read, or else those with events.
      const lanes = [...s.lanes.values()];
      const clients = lanes.filter((l) => !l.cacher);
      const read = new Set(clients.map((l) => l.source));
      const cachers = lanes.filter((l) => l.cacher);
      const shown = cachers.filter((l) => (clients.length ? l.resource !== undefined && read.has(l.resource) : l.counts.events > 0));
      const hidden = cachers.length - shown.length;
      const inside = cachers.length
        ? `<p class="kl-wl-group">Inside the API server: the watch cache's reflectors, each listing and watching etcd${hidden ? ` (${hidden} more, for other resources, not shown)` : ''}</p>${shown.map((l) => laneHtml(l, s)).join('')}`
        : '';
      root.innerHTML = clients.map((l) => laneHtml(l, s)).join('') + inside;
    },
    prepare(trace, cursor) {
      replayerFor(trace).at(cursor);
    },
    destroy() {
      replayed = undefined;
      root.innerHTML = '';
    },
  };
}
