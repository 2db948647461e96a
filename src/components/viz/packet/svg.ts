/**
 * The map's markup, as strings: the static part (nodes, pods, devices, the underlay) drawn once
 * per trace, and the moving part (the leg's path, the packet and its headers) drawn per cursor.
 * Colours come from classes (`.kl-pkt-*` in workbench.css) over the site's theme variables.
 */
import { esc } from '../html';
import { anchor, headerText, segment, type LegPath } from './path';
import { stationList, type Layout, type Station } from './topology';

const f = (n: number) => String(Math.round(n * 10) / 10);
const pts = (ps: { x: number; y: number }[]) => ps.map((p) => `${f(p.x)},${f(p.y)}`).join(' ');

/** Cuts a label to what fits in `w` units at `charW` units a character (11px sans ~6.2, 9.5px mono ~5.8). */
function fit(text: string, w: number, charW = 6.2): string {
  const max = Math.max(3, Math.floor((w - 8) / charW));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One element per thing that can be hidden until the trace shows it: `data-seen` is its first event. */
function seenAttr(firstSeen: number): string {
  return ` data-seen="${firstSeen}"`;
}

function stationBox(s: Station): string {
  const two = s.sub !== undefined && s.sub !== '';
  const cx = s.x + s.w / 2;
  const label = `<text class="kl-pkt-svg-label" x="${f(cx)}" y="${f(s.y + (two ? s.h / 2 - 2 : s.h / 2 + 4))}" text-anchor="middle">${esc(fit(s.label, s.w))}</text>`;
  const sub = two ? `<text class="kl-pkt-svg-sub" x="${f(cx)}" y="${f(s.y + s.h / 2 + 10)}" text-anchor="middle">${esc(fit(s.sub!, s.w, 5.8))}</text>` : '';
  if (s.kind === 'bridge') {
    return `<g class="kl-pkt-st kl-pkt-st-bridge" data-station="${esc(s.id)}"${seenAttr(s.firstSeen)}><title>${esc(s.node ?? '')} cni0: the pods' bridge</title><rect x="${f(s.x)}" y="${f(s.y)}" width="${f(s.w)}" height="${f(s.h)}" rx="3"/><text class="kl-pkt-svg-label" x="${f(s.x + 6)}" y="${f(s.y + 12)}">cni0 bridge</text></g>`;
  }
  const title = s.kind === 'pod' ? `pod ${s.label}${s.sub ? ` ${s.sub}` : ''}` : s.kind === 'outside' ? `outside the cluster: ${s.sub ?? ''}` : `${s.node ?? ''} ${s.label}${s.sub ? ` (${s.sub})` : ''}`;
  return `<g class="kl-pkt-st kl-pkt-st-${s.kind}" data-station="${esc(s.id)}"${seenAttr(s.firstSeen)}><title>${esc(title)}</title><rect x="${f(s.x)}" y="${f(s.y)}" width="${f(s.w)}" height="${f(s.h)}" rx="${s.kind === 'pod' ? 6 : 3}"/>${label}${sub}</g>`;
}

/**
 * The map without any packet on it, in two layers: `under` (node boxes, wires, the underlay) goes
 * below the packet's path and `over` (the stations) above it, so the path runs between the boxes
 * and never across their labels.
 */
export function staticSvg(layout: Layout): { under: string; over: string } {
  const out: string[] = [];
  for (const n of layout.nodes) {
    out.push(`<g class="kl-pkt-node"${seenAttr(n.firstSeen)}><rect x="${f(n.x)}" y="${f(n.y)}" width="${f(n.w)}" height="${f(n.h)}" rx="8"/><text class="kl-pkt-svg-node" x="${f(n.x + 10)}" y="${f(n.y + 16)}">${esc(n.name)}</text></g>`);
  }
  // Wires first, boxes over them: veth pairs, the bridge to the host's stack, the stack to its devices, eth0 to the underlay.
  const wire = (a: { x: number; y: number }, b: { x: number; y: number }, seen: number, cls = '') => out.push(`<line class="kl-pkt-wire${cls}" x1="${f(a.x)}" y1="${f(a.y)}" x2="${f(b.x)}" y2="${f(b.y)}"${seenAttr(seen)}/>`);
  const u = layout.underlay;
  if (u) out.push(`<g class="kl-pkt-underlay"${seenAttr(u.firstSeen)}><line x1="${f(u.x1)}" y1="${f(u.y)}" x2="${f(u.x2)}" y2="${f(u.y)}"/><text class="kl-pkt-svg-sub" x="${f(u.x1 + 4)}" y="${f(u.y + 13)}">underlay (node network)</text></g>`);
  for (const s of stationList(layout)) {
    const bridge = s.node ? layout.stations.get(`bridge:${s.node}`) : undefined;
    const host = s.node ? layout.stations.get(`host:${s.node}`) : undefined;
    if (s.kind === 'pod' && bridge) wire({ x: s.x + s.w / 2, y: s.y + s.h }, { x: s.x + s.w / 2, y: bridge.y }, Math.max(s.firstSeen, bridge.firstSeen), ' kl-pkt-veth');
    if (s.kind === 'bridge' && host) wire({ x: host.x + host.w / 2, y: s.y + s.h }, { x: host.x + host.w / 2, y: host.y }, Math.max(s.firstSeen, host.firstSeen));
    if ((s.kind === 'tunnel' || s.kind === 'eth') && host) wire(anchor(host), { x: s.x + s.w / 2, y: s.y }, Math.max(s.firstSeen, host.firstSeen));
    if ((s.kind === 'eth' || s.kind === 'outside') && u) wire({ x: s.x + s.w / 2, y: s.y + s.h }, { x: s.x + s.w / 2, y: u.y }, Math.max(s.firstSeen, u.firstSeen));
  }
  return { under: out.join(''), over: stationList(layout).map(stationBox).join('') };
}

export interface DrawnLeg {
  path: LegPath;
  leg: 'request' | 'reply';
  /** Drawn faded: the request under its reply. */
  faded?: boolean;
}

/** The moving part: each leg's path (under the stations), then the tunnel's label, the current station's ring, the packet and its headers (over them). */
export function dynamicSvg(layout: Layout, legs: DrawnLeg[]): { paths: string; top: string } {
  const out: string[] = [];
  let tunnelLabel: { x: number; y: number; text: string } | undefined;
  for (const { path, leg, faded } of legs) {
    const cls = `kl-pkt-path kl-pkt-path-${leg}${faded ? ' is-faded' : ''}`;
    let run: { x: number; y: number }[] = [];
    let runEncap = false;
    const flush = () => {
      if (run.length > 1) out.push(`<polyline class="${cls}${runEncap ? ' is-encap' : ''}" points="${pts(run)}"/>`);
      run = [];
    };
    for (let i = 1; i < path.points.length; i++) {
      const a = layout.stations.get(path.points[i - 1].station);
      const b = layout.stations.get(path.points[i].station);
      if (!a || !b) continue;
      const encap = path.points[i].encap;
      const seg = segment(layout, a, b);
      if (encap !== runEncap) {
        // The new stretch starts where the old one ended, so the line has no gap.
        const end = run.at(-1);
        flush();
        if (end) run.push(end);
        runEncap = encap;
      }
      run.push(...seg);
      if (encap && !faded && path.tunnel && (!tunnelLabel || seg.length > 2)) {
        const mid = seg.length > 2 ? { x: (seg[1].x + seg[2].x) / 2, y: seg[1].y - 5 } : { x: (seg[0].x + seg[1].x) / 2 + 6, y: (seg[0].y + seg[1].y) / 2 };
        tunnelLabel = { ...mid, text: path.tunnel };
      }
    }
    flush();
  }
  const paths = out.splice(0).join('');
  if (tunnelLabel) out.push(`<text class="kl-pkt-svg-tunnel" x="${f(tunnelLabel.x)}" y="${f(tunnelLabel.y)}" text-anchor="middle">${esc(tunnelLabel.text)}</text>`);
  const live = legs.find((l) => !l.faded);
  const here = live?.path.current ? layout.stations.get(live.path.current) : undefined;
  if (live && here && live.path.packet) {
    out.push(`<rect class="kl-pkt-here kl-pkt-here-${live.leg}" x="${f(here.x - 3)}" y="${f(here.y - 3)}" width="${f(here.w + 6)}" height="${f(here.h + 6)}" rx="6"/>`);
    const last = live.path.points.at(-1);
    const prev = live.path.points.at(-2);
    const seg = prev && last ? segment(layout, layout.stations.get(prev.station) ?? here, here) : undefined;
    const at = seg && seg.length > 1 ? onEdge(here, seg.at(-2)!, seg.at(-1)!) : { x: here.x + here.w / 2, y: here.y };
    out.push(`<circle class="kl-pkt-dot kl-pkt-dot-${live.leg}" cx="${f(at.x)}" cy="${f(at.y)}" r="5"/>`);
    out.push(packetCard(layout, at, live.path, live.leg));
  }
  return { paths, top: out.join('') };
}

/** Where the line from `from` to `to` (inside `s`) crosses the edge of `s`: the packet sits on the box's border, off its label. */
function onEdge(s: Station, from: { x: number; y: number }, to: { x: number; y: number }): { x: number; y: number } {
  const dx = from.x - to.x;
  const dy = from.y - to.y;
  const hw = s.w / 2;
  const hh = s.h / 2;
  const c = anchor(s);
  if (Math.abs(to.x - c.x) > hw || Math.abs(to.y - c.y) > hh) return to;
  // Scale the way back towards `from` until it leaves the box.
  const tx = dx === 0 ? Infinity : ((dx > 0 ? s.x + s.w : s.x) - to.x) / dx;
  const ty = dy === 0 ? Infinity : ((dy > 0 ? s.y + s.h : s.y) - to.y) / dy;
  const t = Math.min(tx, ty, 1);
  return { x: to.x + dx * t, y: to.y + dy * t };
}

/** The packet's headers in a small card beside it, kept inside the map. */
function packetCard(layout: Layout, at: { x: number; y: number }, path: LegPath, leg: string): string {
  const p = path.packet!;
  const lines: { text: string; cls: string }[] = [];
  const h = p.inner;
  const mark = (k: string, s: string) => (p.changed.includes(k) ? `<tspan class="kl-pkt-svg-changed">${esc(s)}</tspan>` : esc(s));
  const innerLine = `${esc(String(h.proto ?? ''))} ${mark('src', String(h.src))}:${mark('sport', String(h.sport))} → ${mark('dst', String(h.dst))}:${mark('dport', String(h.dport))}`;
  lines.push({ text: innerLine, cls: 'kl-pkt-svg-hdr' });
  const o = p.outer;
  const outerText = o ? `outer ${String(o.ipSrc)} → ${String(o.ipDst)} udp ${String(o.udpSport)}→${String(o.udpDport)}${o.vni !== undefined ? ` vni ${String(o.vni)}` : ''}` : '';
  if (o) lines.push({ text: esc(outerText), cls: 'kl-pkt-svg-outer' });
  const textW = Math.max(headerText(h).length, outerText.length) * 6.1 + 12;
  const w = Math.min(textW, layout.width - 8);
  const hgt = 8 + lines.length * 14;
  const x = Math.max(4, Math.min(at.x - w / 2, layout.width - w - 4));
  const y = layout.cardY + (layout.height - 4 - layout.cardY - hgt);
  const body = lines.map((l, i) => `<text class="${l.cls}" x="${f(x + 6)}" y="${f(y + 15 + i * 14)}">${l.text}</text>`).join('');
  const leader = `<line class="kl-pkt-leader" x1="${f(at.x)}" y1="${f(at.y + 6)}" x2="${f(Math.max(x + 6, Math.min(at.x, x + w - 6)))}" y2="${f(y)}"/>`;
  return `<g class="kl-pkt-card kl-pkt-card-${leg}">${leader}<rect x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(hgt)}" rx="4"/>${body}</g>`;
}
