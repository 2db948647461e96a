import { cidrContains, formatIPv4, maskOf, parseCidr, parseIPv4 } from '../ip';

export type LinkKind = 'loopback' | 'ether' | 'bridge' | 'veth' | 'vxlan' | 'tun' | 'dummy';

export interface Address {
  /** `10.244.0.1/24` */
  cidr: string;
  scope: 'host' | 'global' | 'link';
}

export interface Link {
  index: number;
  name: string;
  kind: LinkKind;
  mtu: number;
  /** Absent for TUN (layer 3, `link/none`). */
  mac?: string;
  up: boolean;
  addrs: Address[];
  /** Bridge this port is enslaved to (veth host ends -> cni0). */
  master?: string;
  /** The other end of a veth pair. */
  peer?: { netns: string; name: string; index: number };
  vxlan?: { id: number; local: string; dev: string; port: number };
}

export interface Route {
  /** `default` or a CIDR. */
  dst: string;
  via?: string;
  dev: string;
  proto?: 'kernel' | 'static' | 'boot' | 'dhcp';
  scope?: 'link' | 'host';
  src?: string;
  onlink?: boolean;
}

export interface Neighbour {
  ip: string;
  dev: string;
  lladdr: string;
  state: 'PERMANENT' | 'REACHABLE' | 'STALE';
}

export interface FdbEntry {
  mac: string;
  dev: string;
  /** VXLAN: the remote VTEP's underlay IP. */
  dst?: string;
  master?: string;
  self?: boolean;
  permanent?: boolean;
  vlan?: number;
}

/** Where the kernel sends a packet (`ip route get`). */
export type RouteDecision =
  | { type: 'local'; dev: 'lo' }
  | { type: 'unicast'; route: Route; dev: string; nextHop: string; src?: string }
  | { type: 'unreachable' };

/**
 * One network namespace: links, addresses, the main routing table, the neighbour table and the
 * bridge FDB. Adding an address adds its prefix route (`proto kernel scope link`) as the kernel
 * does; lookups use the local table (own addresses) first, then the longest matching prefix.
 */
export class NetNS {
  readonly links: Link[] = [];
  readonly routes: Route[] = [];
  readonly neigh: Neighbour[] = [];
  readonly fdb: FdbEntry[] = [];
  #nextIndex = 1;

  constructor(readonly name: string) {}

  addLink(l: Omit<Link, 'index' | 'addrs' | 'up'> & { up?: boolean; index?: number }): Link {
    if (this.links.some((x) => x.name === l.name)) throw new Error(`RTNETLINK answers: File exists (${l.name})`);
    const link: Link = { up: true, addrs: [], ...l, index: l.index ?? this.#nextIndex };
    this.#nextIndex = Math.max(this.#nextIndex, link.index) + 1;
    this.links.push(link);
    return link;
  }

  link(name: string): Link {
    const l = this.links.find((x) => x.name === name);
    if (!l) throw new Error(`Device "${name}" does not exist.`);
    return l;
  }

  // Upstream: linux net/ipv4/fib_frontend.c (fib_add_ifaddr) — the prefix route comes with the address
  addAddr(dev: string, cidr: string, scope: Address['scope'] = 'global'): void {
    const link = this.link(dev);
    link.addrs.push({ cidr, scope });
    const { bits } = parseCidr(cidr);
    if (bits < 32 && scope !== 'host') {
      const net = parseCidr(cidr);
      this.routes.push({ dst: `${formatIPv4(net.ip)}/${bits}`, dev, proto: 'kernel', scope: 'link', src: cidr.split('/')[0] });
    }
  }

  addRoute(r: Route): void {
    if (this.routes.some((x) => x.dst === r.dst)) throw new Error('RTNETLINK answers: File exists');
    this.routes.push(r);
  }

  delRoute(dst: string): void {
    const i = this.routes.findIndex((x) => x.dst === dst);
    if (i >= 0) this.routes.splice(i, 1);
  }

  /** Addresses owned here (the local table), incl. the whole 127/8 on lo. */
  isLocal(ip: string): boolean {
    for (const l of this.links) {
      for (const a of l.addrs) {
        if (a.cidr.split('/')[0] === ip) return true;
        if (l.kind === 'loopback' && cidrContains(parseCidr(a.cidr), ip)) return true;
      }
    }
    return false;
  }

  /** The first global address of a link (MASQUERADE's choice; iproute2's `src`). */
  primaryAddr(dev: string): string | undefined {
    return this.link(dev).addrs.find((a) => a.scope === 'global')?.cidr.split('/')[0];
  }

  // Upstream: linux net/ipv4/fib_trie.c (fib_table_lookup) — longest prefix wins
  routeGet(ip: string): RouteDecision {
    if (this.isLocal(ip)) return { type: 'local', dev: 'lo' };
    let best: Route | undefined;
    let bestBits = -1;
    for (const r of this.routes) {
      const bits = r.dst === 'default' ? 0 : parseCidr(r.dst).bits;
      if (bits > bestBits && (r.dst === 'default' || cidrContains(parseCidr(r.dst), ip))) {
        best = r;
        bestBits = bits;
      }
    }
    if (!best) return { type: 'unreachable' };
    return { type: 'unicast', route: best, dev: best.dev, nextHop: best.via ?? ip, src: best.src ?? this.primaryAddr(best.dev) };
  }

  neighbour(ip: string, dev: string): Neighbour | undefined {
    return this.neigh.find((n) => n.ip === ip && n.dev === dev);
  }

  /** Upserts like `ip neigh replace` / netlink NeighSet. */
  setNeigh(n: Neighbour): void {
    const i = this.neigh.findIndex((x) => x.ip === n.ip && x.dev === n.dev);
    if (i >= 0) this.neigh[i] = n;
    else this.neigh.push(n);
  }

  setFdb(e: FdbEntry): void {
    const i = this.fdb.findIndex((x) => x.mac === e.mac && x.dev === e.dev);
    if (i >= 0) this.fdb[i] = e;
    else this.fdb.push(e);
  }

  fdbLookup(mac: string, devs?: string[]): FdbEntry | undefined {
    return this.fdb.find((e) => e.mac === mac && (!devs || devs.includes(e.dev)));
  }
}

/** The broadcast address iproute2 prints as `brd` for an address with a prefix. */
export function broadcastOf(cidr: string): string {
  const { bits } = parseCidr(cidr);
  const ip = parseIPv4(cidr.split('/')[0]);
  return formatIPv4((ip | ~maskOf(bits)) >>> 0);
}
