/**
 * The informer pipeline view: for each informer, one box per hop an object takes —
 * ListerWatcher -> watch -> Reflector -> RealFIFO / DeltaFIFO (as `informer.run` chose) ->
 * Indexer -> handlers -> workqueue — with what each hop holds (keys and their resourceVersion),
 * its counts, and the object the event under the cursor moved, drawn on the edge it crossed.
 * A reflector, queue or source outside any informer gets the hops it has.
 *
 * A function of (trace, cursor) only: the state comes from a checkpointed replayer of the trace
 * (pipeline.ts), kept until the trace changes. The workqueue is the workqueue view's to draw:
 * this view shows its counts and links there.
 */
import { Replayer, type TraceEvent } from '../../../sim/index';
import { MAX_CHIPS, esc, more, rvBadge, typeTag } from '../html';
import type { ModelView, ViewContext } from '../types';
import { isCacherReflector, pipelineReducer, type Current, type Flow, type Hop, type InformerState, type PipelineState, type QueueState, type ReflectorState, type SourceState } from './pipeline';
import { formatTime } from '../format';

interface Parts {
  name: string;
  informer?: InformerState;
  source?: SourceState;
  reflector?: ReflectorState;
  queue?: QueueState;
}

/** The pipelines to draw: informers first, then the parts that belong to none. */
function pipelines(s: PipelineState): Parts[] {
  const out: Parts[] = [];
  const usedSources = new Set<string>();
  const usedReflectors = new Set<string>();
  const usedQueues = new Set<string>();
  for (const inf of s.informers.values()) {
    const reflector = s.reflectors.get(inf.name);
    const source = reflector?.source !== undefined ? s.sources.get(reflector.source) : undefined;
    const queue = s.queues.get(`${inf.name}-fifo`);
    if (reflector) usedReflectors.add(reflector.name);
    if (source) usedSources.add(source.id);
    if (queue) usedQueues.add(queue.name);
    out.push({ name: inf.name, informer: inf, source, reflector, queue });
  }
  for (const r of s.reflectors.values()) {
    // The API server's own reflectors are drawn inside its hop.
    if (usedReflectors.has(r.name) || isCacherReflector(r.name)) continue;
    const source = r.source !== undefined ? s.sources.get(r.source) : undefined;
    if (source) usedSources.add(source.id);
    out.push({ name: r.name, reflector: r, source });
  }
  for (const q of s.queues.values()) if (!usedQueues.has(q.name)) out.push({ name: q.name, queue: q });
  // An API server serves many resources: only those an informer or reflector reads are drawn.
  for (const src of s.sources.values()) if (!usedSources.has(src.id) && src.kind === 'FakeControllerSource') out.push({ name: src.name, source: src });
  return out;
}

/** Up to MAX_CHIPS keys of a map with their rv, the current key first. */
function keyChips(entries: Map<string, string | undefined>, current: string | undefined, empty: string): string {
  if (entries.size === 0) return `<p class="kl-v-none">${empty}</p>`;
  const shown: string[] = [];
  if (current !== undefined && entries.has(current)) shown.push(current);
  for (const k of entries.keys()) {
    if (shown.length >= MAX_CHIPS) break;
    if (k !== current) shown.push(k);
  }
  const chips = shown.map((k) => `<li class="kl-v-chip${k === current ? ' is-current' : ''}">${esc(k)}${rvBadge(entries.get(k))}</li>`).join('');
  return `<ul class="kl-v-chips">${chips}${more(entries.size, shown.length)}</ul>`;
}

/** A list of Deltas (queue items, watch events, notifications), head first. */
function flowChips(flows: readonly Flow[], current: Current | undefined, empty: string, ordered = true): string {
  if (flows.length === 0) return `<p class="kl-v-none">${empty}</p>`;
  const shown = flows.slice(0, MAX_CHIPS);
  const tag = ordered ? 'ol' : 'ul';
  const chips = shown
    .map((f, i) => {
      // The item the last event added is the last one for its key; highlight that one.
      const isCurrent = current?.key === f.key && current.moved && (i === shown.length - 1 || !flows.slice(i + 1).some((g) => g.key === f.key));
      return `<li class="kl-v-chip${isCurrent ? ' is-current' : ''}${f.tombstone ? ' is-tombstone' : ''}">${typeTag(f.type)} ${esc(f.key)}${rvBadge(f.rv)}${f.initial ? ' <span class="kl-v-note" title="from the initial list">initial</span>' : ''}</li>`;
    })
    .join('');
  return `<${tag} class="kl-v-chips">${chips}${more(flows.length, shown.length)}</${tag}>`;
}

/** One hop's box. */
function hop(id: Hop, title: string, sub: string, count: number | string | undefined, meta: string, body: string, current: Current | undefined, edge?: string): string {
  const active = current?.hop === id;
  const moving = active && current.moved && current.key !== undefined;
  const edgeHtml =
    edge === undefined
      ? ''
      : `<div class="kl-pl-edge${moving ? ' is-moving' : ''}" aria-hidden="true"><span class="kl-pl-arrow"></span><span class="kl-pl-edge-label">${edge}</span>${
          moving ? `<span class="kl-pl-token">${esc(current.key!)}${current.rv ? ` rv ${esc(current.rv)}` : ''}</span>` : ''
        }</div>`;
  return `<li class="kl-pl-hop${active ? ' is-active' : ''}" data-hop="${id}">${edgeHtml}<div class="kl-pl-box">
    <div class="kl-pl-box-head"><span class="kl-pl-box-title">${title}</span>${sub ? ` <span class="kl-pl-box-sub">${sub}</span>` : ''}${
      count === undefined ? '' : ` <span class="kl-v-count" title="${esc(`${title}: ${count}`)}">${count}</span>`
    }</div>
    ${meta ? `<p class="kl-pl-meta">${meta}</p>` : ''}${body}</div></li>`;
}

const code = (s: string) => `<code>${esc(s)}</code>`;
const rvText = (rv: string | undefined) => (rv === undefined ? '?' : rv === '' ? '""' : esc(rv));

function sourceHop(s: PipelineState, src: SourceState | undefined, current: Current | undefined, context: ViewContext | undefined): string {
  if (!src) {
    return hop('source', 'ListerWatcher', '', undefined, '', '<p class="kl-v-none">not traced (a ListerWatcher of your own)</p>', current);
  }
  const watches = `${src.watches} open watch${src.watches === 1 ? '' : 'es'}`;
  const chips = keyChips(src.objects, current?.hop === 'source' ? current.key : undefined, 'no objects');
  if (src.kind === 'FakeControllerSource') {
    return hop('source', 'ListerWatcher', `${src.kind} ${code(src.name)}`, src.objects.size, `rv <b>${esc(src.rv)}</b> · ${watches}`, chips, current);
  }
  // The API server: the resource's watch cache, filled from etcd by the cacher's reflector.
  const w = src.window;
  const window = w ? ` · window rv ${w.oldest}..${esc(src.rv)} (${w.size}/${w.capacity})` : '';
  const cacher = src.cacher !== undefined ? s.reflectors.get(src.cacher) : undefined;
  const etcdAnchor = context?.viewAnchor('etcd');
  const fromEtcd = src.prefix
    ? `<br>watch cache ← etcd <code>/registry${esc(src.prefix)}/</code>${cacher?.phase === 'watching' ? ` (its reflector watches from rv ${rvText(cacher.watchFromRV)})` : ''}${
        etcdAnchor ? ` · <a class="kl-pl-link" href="#${esc(etcdAnchor)}" data-view-link="etcd">etcd keyspace view</a>` : ''
      }`
    : '';
  return hop('source', 'API server', `${code(src.server ?? '')} watch cache ${code(src.name)}`, src.objects.size, `rv <b>${esc(src.rv)}</b>${window} · ${watches}${fromEtcd}`, chips, current);
}

const END_TEXT: Record<string, string> = {
  closed: 'closed by the server',
  veryShortWatch: 'very short watch',
  expired: 'expired',
  error: 'error',
  resyncError: 'resync error',
  stopped: 'stopped',
  startFailed: 'refused',
};

function endText(r: ReflectorState): string {
  const end = r.lastEnd;
  if (!end) return '';
  const code = end.code !== undefined ? ` <span class="kl-v-flag is-bad">${end.code}${end.code === 410 ? ' Gone' : ''}</span>` : '';
  return `last watch: ${END_TEXT[end.reason] ?? esc(end.reason)}${code} at ${formatTime(end.t)}`;
}

function watchHop(r: ReflectorState | undefined, t: number, current: Current | undefined): string {
  if (!r) return '';
  let meta: string;
  if (r.phase === 'watching') {
    meta = `${r.apiWatch !== undefined ? `watch #${r.apiWatch} ` : ''}from rv <b>${rvText(r.watchFromRV)}</b> · ${r.watchEvents} event${r.watchEvents === 1 ? '' : 's'}${r.timeoutSeconds ? ` · timeoutSeconds ${r.timeoutSeconds}` : ''}`;
  } else if (r.phase === 'backoff' && r.backoffUntil !== undefined && r.backoffUntil > t) {
    meta = `no watch: backing off until ${formatTime(r.backoffUntil)}`;
  } else meta = 'no watch open';
  const end = endText(r);
  // A change the server just sent is the newest in flight (sent by a source, or by the API server on this watch).
  const sent = current && (current.hop === 'source' || (current.hop === 'watch' && current.moved)) ? { ...current, moved: true } : undefined;
  const body = r.phase === 'watching' ? flowChips(r.inFlight, sent, 'nothing in flight') : '';
  return hop('watch', 'watch', 'stream', r.phase === 'watching' ? r.inFlight.length : undefined, meta + (end ? `<br>${end}` : ''), body, current, 'list · watch');
}

const PHASES: Record<string, string> = {
  new: 'not started',
  listing: 'listing',
  listed: 'listed',
  listFailed: 'list failed',
  watching: 'watching',
  ended: 'watch ended',
  backoff: 'backing off',
  stopped: 'stopped',
};

function reflectorHop(r: ReflectorState | undefined, current: Current | undefined): string {
  if (!r) return '';
  const list = r.list ? `list at rv ${rvText(r.list.requestRV)} → ${r.list.items} item${r.list.items === 1 ? '' : 's'} at rv ${rvText(r.list.rv)}` : 'no list yet';
  const meta = `lastSyncResourceVersion <b>${rvText(r.lastSyncRV)}</b><br>${list}${r.relists ? ` · ${r.relists} relist${r.relists === 1 ? '' : 's'}` : ''}`;
  const phase = `<span class="kl-v-flag${r.phase === 'watching' ? ' is-ok' : r.phase === 'listFailed' || r.phase === 'ended' ? ' is-warn' : ''}">${PHASES[r.phase] ?? r.phase}</span>`;
  return hop('reflector', 'Reflector', `${code(r.name)} ${phase}`, undefined, meta, '', current, 'events');
}

function queueHop(q: QueueState | undefined, kind: string | undefined, current: Current | undefined, edge: string | undefined): string {
  if (!q) return '';
  const cur = current?.hop === 'queue' ? current : undefined;
  let body: string;
  let count: number;
  if (q.kind === 'RealFIFO') {
    count = q.items.length;
    body = flowChips(q.items, cur, 'empty');
  } else {
    count = q.order.length;
    if (q.order.length === 0) body = '<p class="kl-v-none">empty</p>';
    else {
      const keys = q.order.slice(0, MAX_CHIPS);
      body = `<ol class="kl-v-chips">${keys
        .map((k) => {
          const ds = q.deltas.get(k) ?? [];
          return `<li class="kl-v-chip${cur?.key === k && cur.moved ? ' is-current' : ''}">${esc(k)} <span class="kl-pl-deltas">[${ds.map((d) => `${typeTag(d.type)}${rvBadge(d.rv)}`).join(' ')}]</span></li>`;
        })
        .join('')}${more(q.order.length, keys.length)}</ol>`;
    }
  }
  const flags = [q.initialPopulationCount > 0 ? `initial population ${q.initialPopulationCount}` : '', `${q.pops} popped`, q.closed ? '<span class="kl-v-flag is-bad">closed</span>' : '']
    .filter(Boolean)
    .join(' · ');
  return hop('queue', kind ?? q.kind, code(q.name), count, flags, body, current, edge);
}

function indexerHop(inf: InformerState, q: QueueState | undefined, current: Current | undefined): string {
  const popped = q?.popped;
  const processing = popped
    ? `<p class="kl-pl-processing">processDeltas: ${flowChips(popped.items, current?.hop === 'indexer' && current.moved ? current : undefined, '')}</p>`
    : '';
  const meta = inf.indexers.length ? `indexers: ${inf.indexers.map(esc).join(', ')}` : '';
  const synced = inf.synced ? '<span class="kl-v-flag is-ok">synced</span>' : '<span class="kl-v-flag">not synced</span>';
  return hop('indexer', 'Indexer', synced, inf.indexer.size, meta, processing + keyChips(inf.indexer, current?.hop === 'indexer' ? current.key : undefined, 'empty'), current, 'Pop → processDeltas');
}

function handlersHop(inf: InformerState, current: Current | undefined): string {
  const ls = [...inf.listeners.values()];
  const body = ls.length
    ? `<ul class="kl-pl-listeners">${ls
        .map((l) => {
          const cur = current?.hop === 'handlers' && current.listener === l.id ? current : undefined;
          const state = [
            `${l.pending.length} pending`,
            `${l.handled} handled`,
            l.synced ? 'synced' : '',
            l.closed ? `closed${l.dropped ? `, ${l.dropped} dropped` : ''}` : '',
          ]
            .filter(Boolean)
            .join(' · ');
          const running = l.inHandler
            ? `<p class="kl-pl-running">running: <span class="kl-v-chip${cur ? ' is-current' : ''}">${typeTag(l.inHandler.type)} ${esc(l.inHandler.key)}${rvBadge(l.inHandler.rv)}</span></p>`
            : '';
          const panic = l.panic ? `<p class="kl-pl-panic">panic: ${esc(l.panic)}</p>` : '';
          return `<li class="kl-pl-listener${cur ? ' is-active' : ''}"><span class="kl-pl-listener-name">handler ${l.id}</span> <span class="kl-pl-meta-inline">${state}</span>${running}${panic}${flowChips(l.pending, cur && { ...cur, moved: true }, 'nothing pending')}</li>`;
        })
        .join('')}</ul>`
    : '<p class="kl-v-none">no handler registered</p>';
  return hop('handlers', 'Handlers', ls.length ? 'notifications pending per handler' : '', ls.reduce((n, l) => n + l.pending.length, 0), '', body, current, 'distribute');
}

function workqueueHop(s: PipelineState, inf: InformerState, current: Current | undefined, context: ViewContext | undefined): string {
  const fed = new Set<string>();
  for (const l of inf.listeners.values()) if (l.workqueue) fed.add(l.workqueue);
  // A lone informer with workqueues the trace never showed a handler feeding still shows them.
  const names = fed.size ? [...fed] : s.informers.size === 1 ? [...s.workqueues.keys()] : [];
  if (names.length === 0) return '';
  const anchor = context?.viewAnchor('workqueue');
  const link = anchor ? `<a class="kl-pl-link" href="#${esc(anchor)}" data-view-link="workqueue">Workqueue view ↓</a>` : '';
  const body = `<ul class="kl-pl-wqs">${names
    .map((n) => {
      const q = s.workqueues.get(n);
      if (!q) return '';
      const last = q.last !== undefined ? ` · last added <span class="kl-v-chip${current?.hop === 'workqueue' && current.key === q.last ? ' is-current' : ''}">${esc(q.last)}</span>` : '';
      return `<li>${code(n)} len <b>${q.len}</b> · processing <b>${q.processing.size}</b> · ${q.adds} adds${last}</li>`;
    })
    .join('')}</ul>`;
  return hop('workqueue', 'Workqueue', fed.size ? link : `(no handler has added to it yet) ${link}`, undefined, '', body, current, fed.size ? 'handler adds key' : '');
}

function pipelineCard(s: PipelineState, p: Parts, context: ViewContext | undefined): string {
  const cur = s.current?.pipeline === p.name ? s.current : undefined;
  const hops: string[] = [];
  if (p.informer || p.reflector || p.source) hops.push(sourceHop(s, p.source, cur, context));
  if (p.reflector) hops.push(watchHop(p.reflector, s.t, cur), reflectorHop(p.reflector, cur));
  if (p.queue) hops.push(queueHop(p.queue, p.informer?.queueKind, cur, p.reflector ? 'Add · Update · Delete · Replace' : undefined));
  if (p.informer) {
    hops.push(indexerHop(p.informer, p.queue, cur), handlersHop(p.informer, cur), workqueueHop(s, p.informer, cur, context));
  }
  const inf = p.informer;
  const what = inf ? 'informer' : p.reflector ? 'reflector' : p.queue ? p.queue.kind : 'ListerWatcher';
  const flags = inf
    ? [
        inf.queueKind ? `<span class="kl-v-flag">${inf.queueKind}</span>` : '',
        inf.synced ? '<span class="kl-v-flag is-ok">HasSynced</span>' : '',
        inf.crashed ? '<span class="kl-v-flag is-bad">crashed</span>' : inf.stopped ? '<span class="kl-v-flag">stopped</span>' : inf.running ? '<span class="kl-v-flag is-ok">running</span>' : '<span class="kl-v-flag">not running</span>',
      ].join('')
    : '';
  return `<section class="kl-pl-card" aria-label="${esc(`${what} ${p.name}`)}">
    <header class="kl-pl-head"><h4>${what} ${code(p.name)}</h4>${flags}</header>
    <ol class="kl-pl-hops">${hops.join('')}</ol>
  </section>`;
}

const LEGEND = `<p class="kl-v-legend" aria-hidden="true">${typeTag('Added')} Added ${typeTag('Updated')} Updated ${typeTag('Deleted')} Deleted ${typeTag('Replaced')} Replaced ${typeTag('Sync')} Sync · <span class="kl-v-rv">rv n</span> resourceVersion</p>`;

export function createInformerView(root: HTMLElement, context?: ViewContext): ModelView {
  root.classList.add('kl-pl');
  let replayed: { trace: readonly TraceEvent[]; length: number; replayer: Replayer<PipelineState> } | undefined;
  const replayerFor = (trace: readonly TraceEvent[]) => {
    if (replayed?.trace !== trace || trace.length < replayed.length) replayed = { trace, length: trace.length, replayer: new Replayer(pipelineReducer, trace) };
    replayed.length = trace.length;
    return replayed.replayer;
  };
  return {
    render(trace, cursor) {
      const s = replayerFor(trace).at(cursor);
      const parts = pipelines(s);
      if (parts.length === 0) {
        root.innerHTML = `<p class="kl-viz-empty">${trace.length ? 'No informer, reflector or FIFO exists yet at this point.' : 'Run your code to watch objects travel from the ListerWatcher to the handlers.'}</p>`;
        return;
      }
      root.innerHTML = parts.map((p) => pipelineCard(s, p, context)).join('') + LEGEND;
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

/** The pipeline state after the first `n` events, from scratch (tests). */
export { pipelineReducer };
