/**
 * The packet view: a map of the cluster the trace's walks went through (nodes, their pods, cni0,
 * flannel's device, eth0, the underlay, the outside) with the walk at the cursor drawn on it up
 * to the current hop — the tunnel stretch dashed, the reply in its own colour, the packet's
 * headers beside it; under the map, the walk hop by hop (node, namespace, interface, what happens
 * there) with the headers each hop rewrote marked, the outer VXLAN headers while encapsulated,
 * the netfilter rule that decided (at the current hop, every rule it matched on the way, the
 * deciding one marked) and the conntrack entry; above it, the tally of who answered
 * each finished request (the spread a KUBE-SVC chain's probabilities make).
 * A function of (trace, cursor): the map's layout is computed once per trace, the replay resumes
 * from checkpoints, and each cursor move redraws only the path, the packet and the hop list.
 */
import { eventText, netstackEvents, type TraceEvent } from '../../../sim/index';
import { esc } from '../html';
import type { ModelView } from '../types';
import { describePath, legPath } from './path';
import { PacketReplay, type HopView, type PacketViewState } from './state';
import { dynamicSvg, staticSvg, type DrawnLeg } from './svg';
import { layoutOf, type Layout } from './topology';

const MAX_HOPS = 80;

function endpoint(h: Record<string, unknown>, side: 'src' | 'dst', changed: boolean): string {
  const port = side === 'src' ? h.sport : h.dport;
  const text = `${String(h[side])}${port !== undefined ? `:${String(port)}` : ''}`;
  return changed ? `<mark class="kl-pkt-changed">${esc(text)}</mark>` : esc(text);
}

function headers(hop: HopView): string {
  const b = hop.before;
  const a = hop.after;
  const srcChanged = a.src !== b.src || a.sport !== b.sport;
  const dstChanged = a.dst !== b.dst || a.dport !== b.dport;
  const inner = `${esc(String(a.proto ?? ''))} ${endpoint(a, 'src', srcChanged)} → ${endpoint(a, 'dst', dstChanged)}`;
  const o = hop.outer;
  const outer = o ? `<span class="kl-pkt-outer" title="outer headers: Ethernet, IP, UDP, VXLAN">outer ${esc(String(o.ipSrc))} → ${esc(String(o.ipDst))} udp/${esc(String(o.udpDport ?? ''))}${o.vni !== undefined ? ` vni ${esc(String(o.vni))}` : ''}</span>` : '';
  return `<span class="kl-pkt-hdr">${inner}</span>${outer}`;
}

/** The rules a hook matched on the way to its verdict, the deciding one marked. */
function chain(hop: HopView): string {
  const d = hop.decisive;
  const rows = hop.matched!.map((r) => {
    const decisive = d && r.table === d.table && r.line === d.line;
    return `<li${decisive ? ' class="is-decisive"' : ''}><span class="kl-pkt-chain-at">${esc(r.table)}:${r.line}</span> <code>${esc(r.text)}</code>${decisive ? ' <span class="sr-only">(decides)</span>' : ''}</li>`;
  });
  return `<ol class="kl-pkt-chain" aria-label="Rules matched, in order">${rows.join('')}</ol>`;
}

function hopRow(hop: HopView, last: boolean): string {
  const traversal = last && hop.matched && hop.matched.length > 0;
  const rule = traversal ? chain(hop) : hop.decisive ? `<code class="kl-pkt-rule" title="${esc(hop.decisive.table)} ${esc(hop.decisive.chain)}">${esc(hop.decisive.text)}</code>` : '';
  const ct = hop.conntrack ? `<span class="kl-pkt-ct">conntrack ${esc(hop.conntrack.action)}</span>` : '';
  const netns = hop.pod ? ` <span class="kl-sched-dim">(pod ${esc(hop.pod.replace(/^default\//, ''))})</span>` : hop.netns !== 'root' && hop.netns !== 'wire' ? ` <span class="kl-sched-dim">(pod netns)</span>` : '';
  const where = `${esc(hop.node)}${netns}${hop.iface ? ` · ${esc(hop.iface)}` : ''}`;
  return `<li class="kl-pkt-hop kl-pkt-${esc(hop.kind)}${last ? ' is-current' : ''}"><span class="kl-pkt-where">${where}</span><span class="kl-pkt-what">${esc(hop.where)}</span>${headers(hop)}${rule}${ct}</li>`;
}

function drawHead(s: PacketViewState): string {
  const tally = [...s.answers].map(([who, n]) => `<li><b>${esc(who)}</b> ${n}</li>`).join('');
  // Always one line, so the map under it never moves as answers come in.
  return `<h3 class="kl-sched-title">Packets <span class="kl-sched-dim">(${s.walks} request${s.walks === 1 ? '' : 's'} walked)</span></h3><ul class="kl-pkt-tally" aria-label="Who answered">${tally || '<li class="kl-sched-dim">no request has finished yet</li>'}</ul>`;
}

function drawList(s: PacketViewState): string {
  const w = s.current;
  if (!w) return `<p class="kl-viz-empty">No packet yet at this point.</p>`;
  const end = w.outcome ? ` — <b>${esc(w.outcome)}</b>${w.at ? ` at ${esc(w.at)}` : ''}` : ' — on its way';
  const hops = w.hops.slice(-MAX_HOPS);
  const skipped = w.hops.length - hops.length;
  return `<p class="kl-sched-head"><span class="kl-pkt-leg kl-pkt-leg-${esc(w.leg)}">${esc(w.leg)}</span> #${w.walk}${end}</p>${skipped ? `<p class="kl-sched-dim">… ${skipped} earlier hops</p>` : ''}<ol class="kl-pkt-hops" start="${skipped + 1}" tabindex="0" aria-label="Hops of this packet">${hops.map((h, i) => hopRow(h, i === hops.length - 1)).join('')}</ol>`;
}

/** What the view computes once per trace. */
export interface PacketModel {
  trace: readonly TraceEvent[];
  hasPackets: boolean;
  replay: PacketReplay;
  layout: Layout;
  /** The map's static markup under and over the path (each element tagged with the event that first showed it). */
  mapUnder: string;
  mapOver: string;
}

export function packetModel(trace: readonly TraceEvent[]): PacketModel {
  const hasPackets = trace.some((e) => e.component === 'netstack');
  const layout = layoutOf(hasPackets ? trace : []);
  const map = staticSvg(layout);
  return { trace, hasPackets, replay: new PacketReplay(trace), layout, mapUnder: map.under, mapOver: map.over };
}

/** One frame's markup: the head, the map's moving part and its description, the hop list. */
export interface PacketFrame {
  head: string;
  /** The legs' paths (under the stations), and the packet, its ring and headers (over them). */
  mapPaths: string;
  mapTop: string;
  mapDesc: string;
  list: string;
}

export function packetFrame(model: PacketModel, cursor: number): PacketFrame {
  const s = model.replay.at(cursor);
  const legs: DrawnLeg[] = [];
  let desc = 'No packet yet at this point.';
  if (s.current) {
    if (s.request) legs.push({ path: legPath(s.request), leg: 'request', faded: true });
    const path = legPath(s.current);
    legs.push({ path, leg: s.current.leg });
    desc = describePath(s.current, path, model.layout);
  }
  const map = dynamicSvg(model.layout, legs);
  return { head: drawHead(s), mapPaths: map.paths, mapTop: map.top, mapDesc: desc, list: drawList(s) };
}

/** The view's whole markup: head, map (its moving part and description filled from `frame`), hop list. */
export function packetMarkup(m: PacketModel, id: string, frame?: PacketFrame): string {
  const L = m.layout;
  return (
    `<div class="kl-pkt-top">${frame?.head ?? ''}</div>` +
    `<div class="kl-pkt-map" tabindex="0"><svg class="kl-pkt-svg" viewBox="0 0 ${L.width} ${L.height}" width="${L.width}" height="${L.height}" style="--kl-pkt-min:${Math.round(L.width * 0.62)}px" role="img" aria-labelledby="${id}-t ${id}-d">` +
    `<title id="${id}-t">Where the packet is: nodes, pods, bridges and the underlay</title><desc id="${id}-d">${esc(frame?.mapDesc ?? '')}</desc>` +
    `<g>${m.mapUnder}</g><g class="kl-pkt-paths">${frame?.mapPaths ?? ''}</g><g>${m.mapOver}</g><g class="kl-pkt-top-layer">${frame?.mapTop ?? ''}</g></svg></div>` +
    `<div class="kl-pkt-list">${frame?.list ?? ''}</div>`
  );
}

let views = 0;

/**
 * Scrolls the hop list, and only it, so the current hop shows: scrollIntoView would also scroll
 * the panel and push the map out of sight.
 */
function keepInView(list: HTMLElement | null, hop: HTMLElement | null): void {
  if (!list || !hop) return;
  const top = hop.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop;
  if (top < list.scrollTop) list.scrollTop = top;
  else if (top + hop.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = top + hop.offsetHeight - list.clientHeight;
}

export function createPacketView(root: HTMLElement): ModelView {
  root.classList.add('kl-pkt');
  const id = `kl-pkt-${++views}`;
  let model: PacketModel | undefined;
  let built: PacketModel | undefined;
  let parts: { head: HTMLElement; paths: SVGGElement; top: SVGGElement; desc: SVGDescElement; list: HTMLElement } | undefined;
  /** Map elements by the event that first shows them, and how many of them are shown. */
  let seen: { at: number; el: Element }[] = [];
  let shown = 0;
  let drawn: Partial<PacketFrame> = {};
  let empty = '';

  const modelFor = (trace: readonly TraceEvent[]) => (model?.trace === trace ? model : (model = packetModel(trace)));

  const build = (m: PacketModel) => {
    root.innerHTML = packetMarkup(m, id);
    parts = {
      head: root.querySelector('.kl-pkt-top')!,
      paths: root.querySelector('.kl-pkt-paths')!,
      top: root.querySelector('.kl-pkt-top-layer')!,
      desc: root.querySelector('desc')!,
      list: root.querySelector('.kl-pkt-list')!,
    };
    seen = [...root.querySelectorAll('[data-seen]')].map((el) => ({ at: Number(el.getAttribute('data-seen')), el })).sort((a, b) => a.at - b.at);
    for (const s of seen) s.el.classList.add('is-unseen');
    shown = 0;
    drawn = {};
    empty = '';
    built = m;
  };

  // Shows the elements the first `cursor` events have shown, touching only those that change.
  const reveal = (cursor: number) => {
    while (shown < seen.length && seen[shown].at < cursor) seen[shown++].el.classList.remove('is-unseen');
    while (shown > 0 && seen[shown - 1].at >= cursor) seen[--shown].el.classList.add('is-unseen');
  };

  return {
    render(trace, cursor) {
      const m = modelFor(trace);
      if (!m.hasPackets) {
        const html = `<p class="kl-viz-empty">${trace.length ? 'No packet in this run.' : 'Run your code to follow its packets hop by hop.'}</p>`;
        if (html !== empty || built) root.innerHTML = html;
        empty = html;
        built = undefined;
        parts = undefined;
        return;
      }
      if (built !== m || !parts) build(m);
      const frame = packetFrame(m, cursor);
      reveal(cursor);
      if (frame.head !== drawn.head) parts!.head.innerHTML = frame.head;
      if (frame.mapPaths !== drawn.mapPaths) parts!.paths.innerHTML = frame.mapPaths;
      if (frame.mapTop !== drawn.mapTop) parts!.top.innerHTML = frame.mapTop;
      if (frame.mapDesc !== drawn.mapDesc) parts!.desc.textContent = frame.mapDesc;
      if (frame.list !== drawn.list) {
        parts!.list.innerHTML = frame.list;
        keepInView(parts!.list.querySelector('.kl-pkt-hops'), parts!.list.querySelector('.is-current'));
      }
      drawn = frame;
    },
    prepare(trace, cursor) {
      modelFor(trace).replay.at(cursor);
    },
    describe(event) {
      return netstackEvents.is(event) ? eventText(event) : undefined;
    },
    destroy() {
      model = built = undefined;
      parts = undefined;
      seen = [];
      drawn = {};
      root.innerHTML = '';
    },
  };
}
