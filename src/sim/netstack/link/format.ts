import { parseCidr } from '../ip';
import { broadcastOf, type Link, type NetNS } from './netns';

/** `ip addr` (iproute2 ip/ipaddress.c print_linkinfo + print_addrinfo), one block per link. */
// Upstream: iproute2 ip/ipaddress.c (print_linkinfo, print_addrinfo)
export function formatIpAddr(ns: NetNS): string {
  const out: string[] = [];
  for (const l of ns.links) {
    const peerSuffix = l.peer ? `@if${l.peer.index}` : '';
    const master = l.master ? ` master ${l.master}` : '';
    const qdisc = l.kind === 'ether' ? 'fq_codel' : l.kind === 'tun' ? 'fq_codel' : l.up ? 'noqueue' : 'noop';
    const state = !l.up ? 'DOWN' : l.kind === 'loopback' || l.kind === 'vxlan' || l.kind === 'tun' ? 'UNKNOWN' : 'UP';
    const qlen = l.kind === 'loopback' || l.kind === 'ether' || l.kind === 'bridge' ? ' qlen 1000' : l.kind === 'tun' ? ' qlen 500' : ' ';
    out.push(`${l.index}: ${l.name}${peerSuffix}: <${flags(l)}> mtu ${l.mtu} qdisc ${qdisc}${master} state ${state} group default${qlen}`);
    if (l.kind === 'loopback') out.push('    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00');
    else if (l.kind === 'tun') out.push('    link/none ');
    else out.push(`    link/ether ${l.mac} brd ff:ff:ff:ff:ff:ff${l.peer ? (l.peer.netns === 'root' ? ' link-netnsid 0' : ` link-netns ${l.peer.netns}`) : ''}`);
    for (const a of l.addrs) {
      const { bits } = parseCidr(a.cidr);
      const brd = bits < 31 && l.kind !== 'loopback' ? ` brd ${broadcastOf(a.cidr)}` : '';
      out.push(`    inet ${a.cidr}${brd} scope ${a.scope} ${l.name}`);
      out.push('       valid_lft forever preferred_lft forever');
    }
  }
  return out.join('\n') + '\n';
}

function flags(l: Link): string {
  const f: string[] = [];
  if (l.kind === 'loopback') f.push('LOOPBACK');
  else if (l.kind === 'tun') f.push('POINTOPOINT', 'MULTICAST', 'NOARP');
  else if (l.kind === 'dummy') f.push('BROADCAST', 'NOARP');
  else f.push('BROADCAST', 'MULTICAST');
  if (l.up) f.push('UP', 'LOWER_UP');
  return f.join(',');
}

/** `ip route` for the main table, in FIB trie order: by prefix address, the longer prefix first at equal addresses. */
// Upstream: iproute2 ip/iproute.c (print_route)
export function formatIpRoute(ns: NetNS): string {
  const key = (dst: string) => (dst === 'default' ? [-1, 0] : [parseCidr(dst).ip, parseCidr(dst).bits]);
  const sorted = [...ns.routes].sort((a, b) => {
    const [ai, ab] = key(a.dst);
    const [bi, bb] = key(b.dst);
    return ai - bi || bb - ab;
  });
  return sorted
    .map((r) => {
      const parts = [r.dst];
      if (r.via) parts.push('via', r.via);
      parts.push('dev', r.dev);
      if (r.proto) parts.push('proto', r.proto);
      if (r.scope) parts.push('scope', r.scope);
      if (r.src) parts.push('src', r.src);
      if (r.onlink) parts.push('onlink');
      return parts.join(' ') + ' \n';
    })
    .join('');
}

/** `ip neigh` */
// Upstream: iproute2 ip/ipneigh.c (print_neigh)
export function formatIpNeigh(ns: NetNS): string {
  return ns.neigh.map((n) => `${n.ip} dev ${n.dev} lladdr ${n.lladdr} ${n.state}\n`).join('');
}

/** `bridge fdb show` */
// Upstream: iproute2 bridge/fdb.c (print_fdb)
export function formatBridgeFdb(ns: NetNS): string {
  return ns.fdb
    .map((e) => {
      const parts = [e.mac, 'dev', e.dev];
      if (e.dst) parts.push('dst', e.dst);
      if (e.vlan !== undefined) parts.push('vlan', String(e.vlan));
      if (e.master) parts.push('master', e.master);
      if (e.self) parts.push('self');
      if (e.permanent) parts.push('permanent');
      return parts.join(' ') + ' \n';
    })
    .join('');
}
