/**
 * The packet view: the walk at the cursor, hop by hop (node, namespace, interface, what happens
 * there), with the headers each hop rewrote marked, the outer VXLAN headers while encapsulated,
 * the netfilter rule that decided and the conntrack entry; above it, the tally of who answered
 * each finished request (the spread a KUBE-SVC chain's probabilities make).
 * A function of (trace, cursor), replayed from the trace and resumed when the cursor moves on.
 */
import { eventText, netstackEvents, type TraceEvent } from '../../../sim/index';
import type { ModelView } from '../types';
import { apply, emptyState, type HopView, type PacketViewState } from './state';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
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

function hopRow(hop: HopView, last: boolean): string {
  const rule = hop.decisive ? `<code class="kl-pkt-rule" title="${esc(hop.decisive.table)} ${esc(hop.decisive.chain)}">${esc(hop.decisive.text)}</code>` : '';
  const ct = hop.conntrack ? `<span class="kl-pkt-ct">conntrack ${esc(hop.conntrack.action)}</span>` : '';
  const where = `${esc(hop.node)}${hop.netns !== 'root' && hop.netns !== 'wire' ? ` <span class="kl-sched-dim">(pod netns)</span>` : ''}${hop.iface ? ` · ${esc(hop.iface)}` : ''}`;
  return `<li class="kl-pkt-hop kl-pkt-${esc(hop.kind)}${last ? ' is-current' : ''}"><span class="kl-pkt-where">${where}</span><span class="kl-pkt-what">${esc(hop.where)}</span>${headers(hop)}${rule}${ct}</li>`;
}

function draw(s: PacketViewState): string {
  const tally = [...s.answers].map(([who, n]) => `<li><b>${esc(who)}</b> ${n}</li>`).join('');
  const head = `<h3 class="kl-sched-title">Packets <span class="kl-sched-dim">(${s.walks} request${s.walks === 1 ? '' : 's'} walked)</span></h3>${tally ? `<ul class="kl-pkt-tally" aria-label="Who answered">${tally}</ul>` : ''}`;
  const w = s.current;
  if (!w) return `${head}<p class="kl-viz-empty">No packet yet at this point.</p>`;
  const end = w.outcome ? ` — <b>${esc(w.outcome)}</b>${w.at ? ` at ${esc(w.at)}` : ''}` : ' — on its way';
  const hops = w.hops.slice(-MAX_HOPS);
  const skipped = w.hops.length - hops.length;
  return `${head}<p class="kl-sched-head">${esc(w.leg)} #${w.walk}${end}</p>${skipped ? `<p class="kl-sched-dim">… ${skipped} earlier hops</p>` : ''}<ol class="kl-pkt-hops" start="${skipped + 1}">${hops.map((h, i) => hopRow(h, i === hops.length - 1)).join('')}</ol>`;
}

export function createPacketView(root: HTMLElement): ModelView {
  root.classList.add('kl-pkt');
  let cache: { trace: readonly TraceEvent[]; cursor: number; state: PacketViewState } | undefined;
  let drawn = '';
  const stateAt = (trace: readonly TraceEvent[], cursor: number) => {
    if (!cache || cache.trace !== trace || cursor < cache.cursor) cache = { trace, cursor: 0, state: emptyState() };
    for (let i = cache.cursor; i < cursor && i < trace.length; i++) apply(cache.state, trace[i]);
    cache.cursor = cursor;
    return cache.state;
  };
  return {
    render(trace, cursor) {
      const html = trace.some((e) => e.component === 'netstack')
        ? draw(stateAt(trace, cursor))
        : `<p class="kl-viz-empty">${trace.length ? 'No packet in this run.' : 'Run your code to follow its packets hop by hop.'}</p>`;
      if (html !== drawn) {
        root.innerHTML = html;
        drawn = html;
        root.querySelector('.is-current')?.scrollIntoView?.({ block: 'nearest' });
      }
    },
    prepare(trace, cursor) {
      stateAt(trace, cursor);
    },
    describe(event) {
      return netstackEvents.is(event) ? eventText(event) : undefined;
    },
    destroy() {
      cache = undefined;
      drawn = '';
      root.innerHTML = '';
    },
  };
}
