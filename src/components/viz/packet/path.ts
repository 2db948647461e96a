/**
 * A walk's leg as a path over the map (plain numbers, no DOM): the stations it went through up to
 * the cursor's hop, which stretches carried the packet inside flannel's tunnel (outer headers
 * present), and the headers the packet has at the current hop.
 */
import type { HopView, WalkView } from './state';
import { stationsOf, type Layout, type Station } from './topology';

export interface PathPoint {
  station: string;
  /** 0-based index of the hop that put the packet here (the last one, when several hops stay put). */
  hop: number;
  /** The packet arrived here inside the tunnel (its outer headers on). */
  encap: boolean;
}

export interface PacketAt {
  /** The inner headers (what the pods see), after this hop. */
  inner: Record<string, unknown>;
  /** The outer headers, while in the tunnel. */
  outer?: Record<string, unknown>;
  /** Which inner fields this hop rewrote (`src`, `sport`, `dst`, `dport`). */
  changed: string[];
}

export interface LegPath {
  points: PathPoint[];
  /** Where the current hop is. */
  current?: string;
  packet?: PacketAt;
  /** The tunnel's label (`VXLAN VNI 1 · UDP 8472`, `UDP 8285`), when the leg entered it. */
  tunnel?: string;
}

/** The leg's path over its first `upTo` hops (all of them by default). */
export function legPath(leg: WalkView, upTo = leg.hops.length): LegPath {
  const points: PathPoint[] = [];
  let inTunnel = false;
  let inner: Record<string, unknown> | undefined;
  let outer: Record<string, unknown> | undefined;
  let tunnel: string | undefined;
  let changed: string[] = [];
  const hops = leg.hops.slice(0, upTo);
  for (const [i, hop] of hops.entries()) {
    const encapBefore = inTunnel;
    for (const station of stationsOf(hop)) {
      const last = points.at(-1);
      if (last && last.station === station) {
        last.hop = i;
        continue;
      }
      points.push({ station, hop: i, encap: encapBefore });
    }
    if (hop.kind === 'encap' || (hop.kind === 'userspace' && !inTunnel)) {
      inTunnel = true;
      inner = hop.after;
      tunnel ??= tunnelLabel(hop);
    } else if (hop.kind === 'decap' || (hop.kind === 'userspace' && inTunnel)) inTunnel = false;
    if (inTunnel) {
      outer = hop.outer ?? outer;
      changed = [];
    } else {
      outer = undefined;
      inner = hop.after;
      changed = rewritten(hop);
    }
  }
  const last = hops.at(-1);
  const out: LegPath = { points };
  if (last) {
    out.current = stationsOf(last).at(-1);
    out.packet = { inner: inner ?? last.after, changed, ...(inTunnel && outer ? { outer } : {}) };
  }
  if (tunnel) out.tunnel = tunnel;
  return out;
}

function rewritten(hop: HopView): string[] {
  return ['src', 'sport', 'dst', 'dport'].filter((k) => hop.before[k] !== hop.after[k]);
}

function tunnelLabel(hop: HopView): string {
  const o = hop.outer ?? {};
  return o.vni !== undefined ? `VXLAN VNI ${String(o.vni)} · UDP ${String(o.udpDport)}` : `UDP ${String(o.udpDport)} (flanneld)`;
}

/** The centre of a station, where paths pass. */
export function anchor(s: Station): { x: number; y: number } {
  return { x: s.x + s.w / 2, y: s.y + s.h / 2 };
}

/**
 * The polyline between two consecutive points: straight inside a node; down to the underlay,
 * along it and up when the packet crosses between nodes or to the outside. A straight segment
 * rides a little to the right of its direction, so a packet going back the way it came (flannel.1
 * and back up to routing) draws beside its first pass.
 */
export function segment(layout: Layout, a: Station, b: Station): { x: number; y: number }[] {
  const p = anchor(a);
  const q = anchor(b);
  const u = layout.underlay;
  const crossing = u && a.node !== b.node && (a.kind === 'eth' || a.kind === 'outside') && (b.kind === 'eth' || b.kind === 'outside');
  if (crossing) {
    const pa = { x: p.x, y: a.y + a.h };
    const qb = { x: q.x, y: b.y + b.h };
    return [pa, { x: pa.x, y: u.y }, { x: qb.x, y: u.y }, qb];
  }
  // Between a pod and the bridge, straight down its veth: the frame then crosses the bridge.
  if (a.kind === 'pod' && b.kind === 'bridge') return [p, { x: p.x, y: q.y }];
  if (a.kind === 'bridge' && b.kind === 'pod') return [{ x: q.x, y: p.y }, q];
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const len = Math.hypot(dx, dy) || 1;
  const off = 4;
  const ox = (-dy / len) * off;
  const oy = (dx / len) * off;
  return [
    { x: p.x + ox, y: p.y + oy },
    { x: q.x + ox, y: q.y + oy },
  ];
}

/** The path in words, for the SVG's description and screen readers. */
export function describePath(leg: WalkView, path: LegPath, layout: Layout): string {
  const names = path.points.map((p, i) => {
    const s = layout.stations.get(p.station);
    const name = s ? stationName(s) : p.station;
    const prev = path.points[i - 1];
    return p.encap && (!prev || !prev.encap) ? `(tunnel: ${path.tunnel ?? 'outer headers'}) ${name}` : name;
  });
  const now = path.current ? layout.stations.get(path.current) : undefined;
  const hdr = path.packet ? headerText(path.packet.inner) : '';
  const outer = path.packet?.outer ? ` inside outer ${String(path.packet.outer.ipSrc)} to ${String(path.packet.outer.ipDst)}` : '';
  const end = leg.outcome && path.points.length && leg.hops.length === (path.points.at(-1)!.hop + 1) ? ` — ${leg.outcome}${leg.at ? ` at ${leg.at}` : ''}` : '';
  return `${leg.leg} #${leg.walk}: ${names.join(' → ')}.${now ? ` Now at ${stationName(now)}, hop ${(path.points.at(-1)?.hop ?? 0) + 1}: ${hdr}${outer}.` : ''}${end}`;
}

export function stationName(s: Station): string {
  if (s.kind === 'pod') return `pod ${s.label}`;
  if (s.kind === 'outside') return 'outside';
  if (s.kind === 'host') return `${s.node} routing`;
  return `${s.node} ${s.label}`;
}

export function headerText(h: Record<string, unknown>): string {
  return `${String(h.proto ?? '')} ${String(h.src)}:${String(h.sport)} → ${String(h.dst)}:${String(h.dport)}`;
}
