/**
 * The cluster a trace's walks went through, as plain numbers (no DOM, so tests read them): the
 * nodes side by side, in each its pods, the cni0 bridge, the host's stack (routing, netfilter,
 * conntrack), flannel's device and eth0; the underlay under them; an "outside" box when a walk came
 * from or went to `external/...`. Learned from the `netstack.hop` events only, each element
 * remembering the event that first showed it, so the view can show what the trace has shown so
 * far without moving anything when the cursor moves.
 */
import type { TraceEvent } from '../../../sim/index';
import type { HopView } from './state';

export type StationKind = 'pod' | 'bridge' | 'host' | 'tunnel' | 'eth' | 'outside';

/** A place on the map a hop can be at. */
export interface Station {
  id: string;
  kind: StationKind;
  node?: string;
  label: string;
  /** A second line (an address, a device's role). */
  sub?: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Index of the trace event that first showed it. */
  firstSeen: number;
}

export interface NodeBox {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  firstSeen: number;
}

export interface Layout {
  width: number;
  height: number;
  /** Top of the band under the map where the packet's headers are shown. */
  cardY: number;
  nodes: NodeBox[];
  /** Stations by id; a pod beyond MAX_PODS maps to its node's `more:` station (iterate with `stationList`). */
  stations: Map<string, Station>;
  /** The underlay's line: y and its span. */
  underlay?: { y: number; x1: number; x2: number; firstSeen: number };
  /** Flannel's backend as the trace showed it (`vxlan`, `udp`, or `host-gw` when walks crossed nodes unencapsulated). */
  backend?: 'vxlan' | 'udp' | 'host-gw';
}

/** What the hops of a trace have shown, before any geometry. */
export interface Seen {
  /** Events scanned so far. */
  scanned: number;
  nodes: Map<string, SeenNode>;
  outside?: { firstSeen: number; ips: string[] };
  underlay?: number;
  backend?: Layout['backend'];
}

interface SeenNode {
  firstSeen: number;
  ip?: string;
  pods: Map<string, { firstSeen: number; ip?: string }>;
  bridge?: number;
  host?: number;
  tunnel?: { firstSeen: number; dev: string };
  eth?: number;
}

export function emptySeen(): Seen {
  return { scanned: 0, nodes: new Map() };
}

/** Reads `trace` from where the last scan stopped; true when it showed something new. */
export function scan(seen: Seen, trace: readonly TraceEvent[]): boolean {
  let grew = false;
  for (; seen.scanned < trace.length; seen.scanned++) {
    const e = trace[seen.scanned];
    if (e.type !== 'netstack.hop') continue;
    const hop = (e as unknown as { hop: HopView }).hop;
    if (hop) grew = learn(seen, hop, seen.scanned) || grew;
  }
  return grew;
}

function learn(seen: Seen, hop: HopView, i: number): boolean {
  let grew = false;
  const nodeOf = (name: string): SeenNode => {
    let n = seen.nodes.get(name);
    if (!n) {
      n = { firstSeen: i, pods: new Map() };
      seen.nodes.set(name, n);
      grew = true;
    }
    return n;
  };
  const outside = (ip: string) => {
    if (!seen.outside) seen.outside = { firstSeen: i, ips: [] };
    if (!seen.outside.ips.includes(ip)) {
      seen.outside.ips.push(ip);
      grew = true;
    }
  };
  if (hop.node === 'external') {
    outside(String(hop.after.dst));
    return grew;
  }
  const n = nodeOf(hop.node);
  if (hop.underlay) {
    if (seen.underlay === undefined && (hop.underlay.from.startsWith('node/') && hop.underlay.to.startsWith('node/'))) {
      seen.underlay = i;
      grew = true;
    }
    for (const end of [hop.underlay.from, hop.underlay.to]) {
      if (end.startsWith('external/')) {
        outside(end.slice('external/'.length));
        if (seen.underlay === undefined) seen.underlay = i;
      } else nodeOf(end.slice('node/'.length)).eth ??= i;
    }
    // A packet from outside is addressed to the node it reaches: that is the node's address.
    if (hop.underlay.from.startsWith('external/')) n.ip ??= String(hop.before.dst);
    if (hop.kind === 'wire' && !hop.outer && hop.underlay.to.startsWith('node/') && hop.underlay.from.startsWith('node/') && !seen.backend) {
      seen.backend = 'host-gw';
      grew = true;
    }
    return grew;
  }
  if (hop.pod) {
    let p = n.pods.get(hop.pod);
    if (!p) {
      p = { firstSeen: i };
      n.pods.set(hop.pod, p);
      grew = true;
    }
    if (!p.ip) p.ip = hop.kind === 'route' ? String(hop.before.src) : hop.kind === 'deliver' ? String(hop.after.dst) : undefined;
    return grew;
  }
  if (hop.kind === 'bridge') {
    if (n.bridge === undefined) grew = true;
    n.bridge ??= i;
  } else if (hop.kind === 'encap' || hop.kind === 'decap' || hop.kind === 'userspace') {
    if (!n.tunnel) {
      n.tunnel = { firstSeen: i, dev: hop.iface ?? 'flannel' };
      grew = true;
    }
    const o = hop.outer;
    if (o) n.ip ??= String(hop.kind === 'decap' || (hop.kind === 'userspace' && hop.where.startsWith('flanneld UDP')) ? o.ipDst : o.ipSrc);
    if (seen.backend !== 'vxlan' && seen.backend !== 'udp') {
      seen.backend = hop.kind === 'userspace' ? 'udp' : 'vxlan';
      grew = true;
    }
  } else {
    if (n.host === undefined) grew = true;
    n.host ??= i;
  }
  return grew;
}

/** Pod boxes per node; beyond it, the last box stands for the rest. */
export const MAX_PODS = 6;

/** Geometry, in SVG user units. */
export const SIZE = {
  pad: 12,
  gap: 16,
  podW: 104,
  podH: 38,
  podGap: 10,
  head: 24,
  minNodeW: 236,
  rowH: 30,
  outsideW: 132,
  cardH: 38,
} as const;

/**
 * Places what `seen` holds. Every node has the same rows (pods, cni0, host, flannel/eth0), so the
 * map does not move when a later hop shows a pod: nodes are ordered by name, pods by first sight.
 */
export function layout(seen: Seen): Layout {
  const names = [...seen.nodes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const stations = new Map<string, Station>();
  const nodes: NodeBox[] = [];
  const top = SIZE.pad;
  const podsY = top + SIZE.head;
  const bridgeY = podsY + SIZE.podH + 22;
  const hostY = bridgeY + 16 + 16;
  const lowY = hostY + SIZE.rowH + 20;
  const nodeH = lowY + SIZE.rowH + 12 - top;
  let x = SIZE.pad;
  for (const name of names) {
    const n = seen.nodes.get(name)!;
    const boxes = Math.min(n.pods.size, MAX_PODS);
    const inner = Math.max(SIZE.minNodeW - 2 * SIZE.pad, boxes * (SIZE.podW + SIZE.podGap) - SIZE.podGap);
    const w = inner + 2 * SIZE.pad;
    nodes.push({ name, x, y: top, w, h: nodeH, firstSeen: n.firstSeen });
    let px = x + SIZE.pad;
    const pods = [...n.pods];
    for (const [key, p] of pods.slice(0, n.pods.size > MAX_PODS ? MAX_PODS - 1 : MAX_PODS)) {
      stations.set(`pod:${key}`, { id: `pod:${key}`, kind: 'pod', node: name, label: key.replace(/^default\//, ''), sub: p.ip, x: px, y: podsY, w: SIZE.podW, h: SIZE.podH, firstSeen: p.firstSeen });
      px += SIZE.podW + SIZE.podGap;
    }
    if (n.pods.size > MAX_PODS) {
      // The rest share one box: every one of their ids leads to it.
      const rest = pods.slice(MAX_PODS - 1);
      const more: Station = { id: `more:${name}`, kind: 'pod', node: name, label: `+${rest.length} more pods`, sub: 'seen in this trace', x: px, y: podsY, w: SIZE.podW, h: SIZE.podH, firstSeen: rest[0][1].firstSeen };
      stations.set(more.id, more);
      for (const [key] of rest) stations.set(`pod:${key}`, more);
    }
    if (n.bridge !== undefined) stations.set(`bridge:${name}`, { id: `bridge:${name}`, kind: 'bridge', node: name, label: 'cni0', sub: 'bridge', x: x + SIZE.pad, y: bridgeY, w: inner, h: 16, firstSeen: n.bridge });
    const hostW = Math.min(inner, 200);
    stations.set(`host:${name}`, { id: `host:${name}`, kind: 'host', node: name, label: 'host network stack', sub: 'routing · iptables · conntrack', x: x + (w - hostW) / 2, y: hostY, w: hostW, h: SIZE.rowH, firstSeen: n.host ?? n.firstSeen });
    const lowW = (inner - SIZE.podGap) / 2;
    if (n.tunnel) stations.set(`tunnel:${name}`, { id: `tunnel:${name}`, kind: 'tunnel', node: name, label: n.tunnel.dev, sub: n.tunnel.dev === 'flannel0' ? 'TUN · flanneld' : 'VXLAN VTEP', x: x + SIZE.pad, y: lowY, w: lowW, h: SIZE.rowH, firstSeen: n.tunnel.firstSeen });
    // host-gw has no device of its own: its routes send other nodes' pod subnets straight out of eth0.
    else if (seen.backend === 'host-gw' && n.eth !== undefined) stations.set(`tunnel:${name}`, { id: `tunnel:${name}`, kind: 'tunnel', node: name, label: 'host-gw', sub: 'routes via eth0', x: x + SIZE.pad, y: lowY, w: lowW, h: SIZE.rowH, firstSeen: n.eth });
    if (n.eth !== undefined || n.ip) stations.set(`eth:${name}`, { id: `eth:${name}`, kind: 'eth', node: name, label: 'eth0', sub: n.ip, x: x + SIZE.pad + lowW + SIZE.podGap, y: lowY, w: lowW, h: SIZE.rowH, firstSeen: n.eth ?? n.firstSeen });
    x += w + SIZE.gap;
  }
  const underY = top + nodeH + 22;
  let width = x - SIZE.gap + SIZE.pad;
  if (seen.outside) {
    const ox = x;
    stations.set('outside', { id: 'outside', kind: 'outside', label: 'outside the cluster', sub: seen.outside.ips.slice(0, 2).join(', ') + (seen.outside.ips.length > 2 ? ` +${seen.outside.ips.length - 2}` : ''), x: ox, y: underY - SIZE.rowH - 14, w: SIZE.outsideW, h: SIZE.rowH + 4, firstSeen: seen.outside.firstSeen });
    width = ox + SIZE.outsideW + SIZE.pad;
  }
  // Under the underlay, a band for the packet's headers, so they never cover a box.
  const cardY = underY + 22;
  const out: Layout = { width: Math.max(width, 2 * SIZE.pad + SIZE.minNodeW), height: cardY + SIZE.cardH + 4, cardY, nodes, stations, backend: seen.backend };
  if (seen.underlay !== undefined) out.underlay = { y: underY, x1: SIZE.pad, x2: width - SIZE.pad, firstSeen: seen.underlay };
  return out;
}

/** Each station once (the map's `stations` may hold one under several ids). */
export function stationList(layout: Layout): Station[] {
  return [...layout.stations].filter(([id, s]) => id === s.id).map(([, s]) => s);
}

/** The layout of a whole trace (the view caches it per trace). */
export function layoutOf(trace: readonly TraceEvent[]): Layout {
  const seen = emptySeen();
  scan(seen, trace);
  return layout(seen);
}

/** Where a hop is: one station, or two for a hop on the underlay (where it leaves, where it lands). */
export function stationsOf(hop: HopView): string[] {
  if (hop.node === 'external') return ['outside'];
  if (hop.underlay) return [hop.underlay.from, hop.underlay.to].map((end) => (end.startsWith('external/') ? 'outside' : `eth:${end.slice('node/'.length)}`));
  if (hop.pod) return [`pod:${hop.pod}`];
  if (hop.kind === 'bridge') return [`bridge:${hop.node}`];
  if (hop.kind === 'encap' || hop.kind === 'decap' || hop.kind === 'userspace') return [`tunnel:${hop.node}`];
  return [`host:${hop.node}`];
}
