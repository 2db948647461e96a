import type { CtEntry, Direction, TcpFlags } from '../conntrack/conntrack';
import { formatEntry, natPacket } from '../conntrack/conntrack';
import { DEFAULT_UDP_PORT, DEFAULT_VNI, DEFAULT_VXLAN_PORT } from '../flannel/config';
import { cidrContains, parseCidr } from '../ip';
import type { RouteDecision } from '../link/netns';
import type { NetfilterEnv } from '../netfilter/eval';
import { runHook, type Hook, type HookResult } from '../netfilter/hooks';
import type { Packet } from '../netfilter/packet';
import type { Cluster, NodeNet, PodNet } from './cluster';
import { netstackEvents } from './events';
import type { Endpoint, Headers, Hop, OuterHeaders, Outcome, RuleRef, WalkRequest, WalkResult } from './types';

/** A packet on the move: inner headers, and what it carries when it is a tunnel packet. */
interface Wire extends Packet {
  tunnel?: { inner: Wire; outer: OuterHeaders; kind: 'vxlan' | 'udp' };
}

const MAX_HOPS = 200;
/** Linux's default ip_local_port_range, used for ephemeral ports and the VXLAN source port range. */
const EPHEMERAL_LO = 32768;
const EPHEMERAL_HI = 60999;

/**
 * Follows one packet through the cluster, hop by hop: the pod's routing and veth, the bridge, each
 * netfilter hook with the rules it matched, conntrack, the routing decision, flannel's
 * encapsulation, the underlay, decapsulation, and delivery; then (by default) the reply, which
 * conntrack rewrites back so the client sees the address it called.
 */
export function walkPacket(cluster: Cluster, req: WalkRequest): WalkResult {
  if (req.proto === 'icmp') throw new Error('walkPacket: icmp is not modelled (use tcp, udp or sctp)');
  const from = resolveEndpoint(cluster, req.from);
  const [dst, portText] = splitHostPort(req.to);
  const sport = req.sport ?? EPHEMERAL_LO + cluster.rng.fork('sport').int(EPHEMERAL_HI - EPHEMERAL_LO + 1);
  const w = new Walker(cluster);
  const src = from.kind === 'pod' ? from.pod.ip : from.kind === 'node' ? '' : from.ip;
  const pkt: Wire = { proto: req.proto ?? 'tcp', src, dst, sport, dport: Number(portText), mark: 0 };
  const result = w.start(from, pkt, req.flags ?? 'SYN');
  if (req.reply !== false && result.outcome === 'delivered' && result.received) {
    const r = result.received;
    const back: Wire = { proto: r.proto, src: r.dst, dst: r.src, sport: r.dport, dport: r.sport, mark: 0 };
    const receiver = endpointAt(cluster, result.at!, result.exitNode);
    result.reply = new Walker(cluster).start(receiver, back, 'SYN-ACK');
  }
  record(cluster, result);
  return result;
}

/** Emits the walk's events on the cluster's trace, one per hop, then the outcome, per leg. */
function record(cluster: Cluster, result: WalkResult): void {
  const walk = ++cluster.walks;
  const trace = cluster.trace;
  if (!trace) return;
  const now = cluster.clock.now();
  for (const [leg, r] of [['request', result], ['reply', result.reply]] as const) {
    if (!r) continue;
    for (const hop of r.hops) trace.emit(now, netstackEvents.component, 'netstack.hop', { walk, leg, hop: JSON.parse(JSON.stringify(hop)) });
    trace.emit(now, netstackEvents.component, 'netstack.walk', { walk, leg, outcome: r.outcome, at: r.at ?? '', hops: r.hops.length });
  }
}

type From = { kind: 'pod'; pod: PodNet } | { kind: 'node'; node: NodeNet } | { kind: 'external'; ip: string; via: NodeNet };

class Walker {
  readonly hops: Hop[] = [];
  #sent?: Headers;
  #flags: TcpFlags = 'SYN';
  #exitNode?: string;

  constructor(private readonly c: Cluster) {}

  start(from: From, pkt: Wire, flags: TcpFlags): WalkResult {
    this.#flags = flags;
    if (from.kind === 'pod') {
      this.#sent = headers(pkt);
      return this.#podSend(from.pod, pkt);
    }
    if (from.kind === 'node') {
      const decision = from.node.ns.routeGet(pkt.dst);
      const src = decision.type === 'unicast' ? decision.src! : pkt.dst;
      const p = { ...pkt, src: pkt.src || src };
      this.#sent = headers(p);
      return this.#localOut(from.node, p);
    }
    this.#sent = headers(pkt);
    this.#hop({ kind: 'wire', node: from.via.name, netns: 'wire', iface: 'eth0', underlay: { from: `external/${pkt.src}`, to: `node/${from.via.name}` }, where: `underlay: ${pkt.src} -> ${from.via.name} eth0`, before: pkt, after: pkt });
    return this.#ingress(from.via, 'eth0', pkt);
  }

  // A pod sends: its own routing table, then out of eth0 into the host's veth end.
  #podSend(pod: PodNet, pkt: Wire): WalkResult {
    const node = this.#node(pod.node);
    const d = pod.ns.routeGet(pkt.dst);
    if (d.type === 'local') return this.#end('delivered', `pod/${pod.namespace}/${pod.name}`, pkt);
    if (d.type === 'unreachable') return this.#stop('unreachable', pod.node, pod.ns.name, pkt, 'Network is unreachable');
    this.#hop({ kind: 'route', node: pod.node, netns: pod.ns.name, iface: 'eth0', where: `routing: ${routeText(d)}`, before: pkt, after: pkt });
    // ARP resolved the next hop (cni0's address, or a pod on the same bridge).
    const nextPod = this.c.podByIP(d.nextHop);
    const lladdr = nextPod && nextPod.node === pod.node ? nextPod.ns.link('eth0').mac! : node.ns.link('cni0').mac!;
    pod.ns.setNeigh({ ip: d.nextHop, dev: 'eth0', lladdr, state: 'REACHABLE' });
    this.#hop({ kind: 'veth', node: pod.node, netns: pod.ns.name, iface: 'eth0', where: `veth: pod eth0 -> ${pod.hostVeth} (cni0 port)`, before: pkt, after: pkt });
    return this.#ingress(node, 'cni0', pkt, pod.hostVeth);
  }

  /** A packet arriving in a node's root namespace on `iface` (PREROUTING, routing, INPUT or FORWARD/POSTROUTING). */
  #ingress(node: NodeNet, iface: string, pkt: Wire, bridgePort?: string): WalkResult {
    if (this.hops.length > MAX_HOPS) throw new Error('walkPacket: too many hops (routing loop?)');
    let p: Wire = { ...pkt, inIface: iface, outIface: undefined };
    if (bridgePort) this.#hop({ kind: 'bridge', node: node.name, netns: 'root', iface: 'cni0', where: `bridge cni0: frame from ${bridgePort} to cni0's own MAC, handed to IP`, before: p, after: p });
    const ct = this.#conntrack(node, p);
    const pre = this.#netfilter(node, 'PREROUTING', p, ct, iface, { bridgePort });
    if (pre.stop) return pre.stop;
    p = pre.packet;
    const d = node.ns.routeGet(p.dst);
    if (d.type === 'unreachable') return this.#stop('unreachable', node.name, 'root', p, 'no route to host');
    this.#hop({ kind: 'route', node: node.name, netns: 'root', where: `routing: ${routeText(d)}`, before: p, after: p });
    if (d.type === 'local') {
      const inp = this.#netfilter(node, 'INPUT', p, ct, iface, {});
      if (inp.stop) return inp.stop;
      this.#confirm(node, ct);
      return this.#localDeliver(node, inp.packet);
    }
    p = { ...p, outIface: d.dev };
    const fwd = this.#netfilter(node, 'FORWARD', p, ct, iface, { bridgePort });
    if (fwd.stop) return fwd.stop;
    return this.#postrouting(node, fwd.packet, ct, d);
  }

  /** Locally generated: routing, OUTPUT (DNAT may re-route), POSTROUTING, out. */
  #localOut(node: NodeNet, pkt: Wire): WalkResult {
    let d = node.ns.routeGet(pkt.dst);
    if (d.type === 'unreachable') return this.#stop('unreachable', node.name, 'root', pkt, 'Network is unreachable');
    this.#hop({ kind: 'route', node: node.name, netns: 'root', where: `routing: ${routeText(d)}`, before: pkt, after: pkt });
    let p: Wire = { ...pkt, outIface: d.type === 'unicast' ? d.dev : 'lo' };
    const ct = this.#conntrack(node, p);
    const out = this.#netfilter(node, 'OUTPUT', p, ct, undefined, {});
    if (out.stop) return out.stop;
    if (out.packet.dst !== p.dst) {
      d = node.ns.routeGet(out.packet.dst);
      this.#hop({ kind: 'route', node: node.name, netns: 'root', where: `re-routing after DNAT: ${routeText(d)}`, before: out.packet, after: out.packet });
    }
    p = { ...out.packet, outIface: d.type === 'unicast' ? d.dev : 'lo' };
    if (d.type === 'local') {
      this.#confirm(node, ct);
      return this.#localDeliver(node, p);
    }
    if (d.type === 'unreachable') return this.#stop('unreachable', node.name, 'root', p, 'no route to host');
    return this.#postrouting(node, p, ct, d);
  }

  #postrouting(node: NodeNet, pkt: Wire, ct: CtView, d: Extract<RouteDecision, { type: 'unicast' }>): WalkResult {
    const post = this.#netfilter(node, 'POSTROUTING', pkt, ct, undefined, {}, d.dev);
    if (post.stop) return post.stop;
    this.#confirm(node, ct);
    return this.#egress(node, d.dev, d.nextHop, post.packet);
  }

  /** Out of an interface: to a pod on cni0, into flannel's tunnel, or onto the underlay. */
  #egress(node: NodeNet, dev: string, nextHop: string, pkt: Wire): WalkResult {
    const p: Wire = { ...pkt, inIface: undefined, outIface: undefined, mark: 0 };
    if (dev === 'cni0') {
      const pod = [...this.c.pods.values()].find((x) => x.node === node.name && x.ip === p.dst);
      if (!pod) return this.#stop('unreachable', node.name, 'root', p, `no pod ${p.dst} on cni0 (ARP gets no answer)`);
      node.ns.setNeigh({ ip: pod.ip, dev: 'cni0', lladdr: pod.ns.link('eth0').mac!, state: 'REACHABLE' });
      this.#hop({ kind: 'bridge', node: node.name, netns: 'root', iface: 'cni0', where: `bridge cni0: FDB sends the frame to port ${pod.hostVeth}`, before: p, after: p });
      this.#hop({ kind: 'veth', node: node.name, netns: pod.ns.name, iface: 'eth0', where: `veth: ${pod.hostVeth} -> pod eth0`, before: p, after: p });
      return this.#podReceive(pod, p);
    }
    const link = node.ns.link(dev);
    if (link.kind === 'vxlan') return this.#vxlanEncap(node, dev, nextHop, p);
    if (link.kind === 'tun') return this.#udpEncap(node, p);
    // A physical interface: another node on the underlay, or the default gateway out of the cluster.
    const peer = this.c.nodeByIP(nextHop);
    if (peer) {
      node.ns.setNeigh({ ip: nextHop, dev, lladdr: peer.ns.link('eth0').mac!, state: 'REACHABLE' });
      this.#hop({ kind: 'wire', node: node.name, netns: 'wire', iface: dev, underlay: { from: `node/${node.name}`, to: `node/${peer.name}` }, where: `underlay: ${node.name} ${dev} -> ${peer.name} eth0`, before: p, after: p, outer: p.tunnel?.outer });
      return this.#ingress(peer, 'eth0', p);
    }
    this.#exitNode = node.name;
    this.#hop({ kind: 'leave', node: node.name, netns: 'wire', iface: dev, underlay: { from: `node/${node.name}`, to: `external/${p.dst}` }, where: `underlay: ${node.name} ${dev} -> gateway ${nextHop}, out of the cluster`, before: p, after: p });
    return this.#end('delivered', `external/${p.dst}`, p);
  }

  // VXLAN: neighbour gives the remote VTEP MAC, the FDB gives the remote node; the kernel then sends UDP 8472.
  #vxlanEncap(node: NodeNet, dev: string, nextHop: string, inner: Wire): WalkResult {
    const link = node.ns.link(dev);
    const neigh = node.ns.neighbour(nextHop, dev);
    if (!neigh) return this.#stop('unreachable', node.name, 'root', inner, `no neighbour entry for ${nextHop} on ${dev}`);
    const fdb = node.ns.fdbLookup(neigh.lladdr, [dev]);
    if (!fdb?.dst) return this.#stop('unreachable', node.name, 'root', inner, `no FDB entry for ${neigh.lladdr} on ${dev}`);
    const peer = this.c.nodeByIP(fdb.dst)!;
    const outer: OuterHeaders = {
      ethSrc: node.ns.link('eth0').mac!, ethDst: peer.ns.link('eth0').mac!, ipSrc: link.vxlan!.local, ipDst: fdb.dst,
      udpSport: flowPort(inner), udpDport: link.vxlan!.port, vni: link.vxlan!.id, innerEthSrc: link.mac!, innerEthDst: neigh.lladdr,
    };
    const outerPkt: Wire = { proto: 'udp', src: outer.ipSrc, dst: outer.ipDst, sport: outer.udpSport, dport: outer.udpDport, mark: 0, tunnel: { inner, outer, kind: 'vxlan' } };
    this.#hop({
      kind: 'encap', node: node.name, netns: 'root', iface: dev, before: inner, after: inner, outer,
      where: `${dev} encap: neigh ${nextHop} lladdr ${neigh.lladdr}, fdb ${neigh.lladdr} dst ${fdb.dst}; VXLAN VNI ${outer.vni} in UDP ${outer.udpSport} -> ${outer.udpDport}`,
    });
    return this.#localOut(node, outerPkt);
  }

  // UDP backend: flannel0 is a TUN device; flanneld reads the packet in user space and sends it in UDP 8285.
  #udpEncap(node: NodeNet, inner: Wire): WalkResult {
    const peer = [...this.c.nodes.values()].find((n) => cidrContains(parseCidr(n.podCIDR), inner.dst));
    if (!peer) return this.#stop('unreachable', node.name, 'root', inner, `flanneld: no lease covers ${inner.dst}`);
    const port = this.c.config.Backend.Port ?? DEFAULT_UDP_PORT;
    const outer: OuterHeaders = { ethSrc: node.ns.link('eth0').mac!, ethDst: peer.ns.link('eth0').mac!, ipSrc: node.ip, ipDst: peer.ip, udpSport: port, udpDport: port };
    const outerPkt: Wire = { proto: 'udp', src: node.ip, dst: peer.ip, sport: port, dport: port, mark: 0, tunnel: { inner, outer, kind: 'udp' } };
    this.#hop({ kind: 'userspace', node: node.name, netns: 'root', iface: 'flannel0', before: inner, after: inner, outer, where: `flannel0 (TUN) -> flanneld reads it in user space, lease ${peer.podCIDR} is ${peer.ip}; sendto UDP ${port}` });
    return this.#localOut(node, outerPkt);
  }

  /** Delivery to the node itself: a tunnel socket (decapsulate and go on) or a host process. */
  #localDeliver(node: NodeNet, pkt: Wire): WalkResult {
    const t = pkt.tunnel;
    if (t && t.kind === 'vxlan' && pkt.dport === (this.c.config.Backend.Port ?? DEFAULT_VXLAN_PORT)) {
      const dev = `flannel.${this.c.config.Backend.VNI ?? DEFAULT_VNI}`;
      this.#hop({ kind: 'decap', node: node.name, netns: 'root', iface: dev, before: t.inner, after: t.inner, outer: t.outer, where: `vxlan socket UDP ${pkt.dport}: VNI ${t.outer.vni} -> ${dev}, inner frame to ${t.outer.innerEthDst} (this VTEP)` });
      return this.#ingress(node, dev, t.inner);
    }
    if (t && t.kind === 'udp') {
      this.#hop({ kind: 'userspace', node: node.name, netns: 'root', iface: 'flannel0', before: t.inner, after: t.inner, outer: t.outer, where: `flanneld UDP ${pkt.dport}: writes the inner packet to flannel0 (TUN)` });
      return this.#ingress(node, 'flannel0', t.inner);
    }
    return this.#end('delivered', `node/${node.name}`, pkt);
  }

  #podReceive(pod: PodNet, pkt: Wire): WalkResult {
    // Only a packet opening a connection looks for a listener: a reply comes back to the socket
    // the pod itself opened, on an ephemeral port no containerPort names.
    if (this.#flags === 'SYN' && pod.ports && !pod.ports.includes(pkt.dport)) {
      return this.#stop('refused', pod.node, pod.ns.name, pkt, `nothing listens on ${pkt.dport}: the pod answers with a TCP RST`);
    }
    return this.#end('delivered', `pod/${pod.namespace}/${pod.name}`, pkt);
  }

  // conntrack: find the connection (reply or later packet) or start a new one.
  #conntrack(node: NodeNet, p: Wire): CtView {
    const found = node.conntrack.lookup(p);
    if (found) {
      this.#hop({ kind: 'conntrack', node: node.name, netns: 'root', where: `conntrack: ${found.dir} direction of a known connection (nat table skipped)`, before: p, after: p, conntrack: { action: 'found', dir: found.dir, entry: formatEntry(found.entry, this.c.clock.now()) } });
      return { entry: found.entry, dir: found.dir, isNew: false };
    }
    const entry = node.conntrack.create(p);
    return { entry, dir: 'original', isNew: true };
  }

  #confirm(node: NodeNet, ct: CtView): void {
    node.conntrack.seen(ct.entry, ct.dir, this.#flags);
    if (ct.isNew) {
      this.#hop({ kind: 'conntrack', node: node.name, netns: 'root', where: 'conntrack: new entry confirmed', before: this.#last(), after: this.#last(), conntrack: { action: 'new', dir: 'original', entry: formatEntry(ct.entry, this.c.clock.now()) } });
    }
  }

  /**
   * One hook: the kernel's tables in priority order (nat only for a new connection), then the
   * NAT itself — bound to the conntrack entry when new, replayed from it otherwise.
   */
  #netfilter(node: NodeNet, hook: Hook, pkt: Wire, ct: CtView, inIface: string | undefined, opts: { bridgePort?: string }, outIface?: string): { packet: Wire; stop?: WalkResult } {
    const env: NetfilterEnv = {
      rng: this.c.rng.fork(`statistic/${node.name}/${this.c.clock.now()}/${headersKey(pkt)}/${hook}`),
      recent: node.recent,
      isLocal: (ip) => node.ns.isLocal(ip),
      ctstate: node.conntrack.ctstate(ct.isNew ? undefined : ct.entry, ct.dir),
      physdev: opts.bridgePort ? { isIn: true, isOut: false, isBridged: false } : undefined,
      // hash:ip,port sets hold `ip,proto:port`; hash:ip sets hold `ip`.
      ipset: (name, values) => {
        const set = node.ipsets.get(name);
        if (!set) return false;
        return set.has(values[0]) || (values.length > 1 && set.has(`${values[0]},${pkt.proto}:${values[1]}`));
      },
    };
    const before: Wire = { ...pkt, inIface, outIface: outIface ?? pkt.outIface };
    const r = runHook(node.ruleset, hook, before, env, { nat: ct.isNew });
    let after: Wire = { ...r.packet, tunnel: pkt.tunnel };
    const manip = hook === 'PREROUTING' || hook === 'OUTPUT' ? 'dst' : hook === 'POSTROUTING' || hook === 'INPUT' ? 'src' : undefined;
    let note: string | undefined;
    if (manip && r.verdict === 'ACCEPT') {
      if (ct.isNew && r.nat && (r.nat.kind === 'DNAT') === (manip === 'dst')) {
        node.conntrack.bindNat(ct.entry, r.nat, r.nat.kind === 'MASQUERADE' ? node.ns.primaryAddr(outIface!) : undefined);
        note = r.nat.kind === 'MASQUERADE' ? `MASQUERADE to ${outIface}'s address` : `${r.nat.kind} bound to the connection`;
      }
      if (ct.entry.dnat || ct.entry.snat) after = { ...natPacket(ct.entry, ct.dir, after, manip), tunnel: pkt.tunnel };
    }
    const show = r.tables.length > 0 || after.dst !== pkt.dst || after.src !== pkt.src;
    if (show) {
      const hop = this.#hop({
        kind: note || after.dst !== pkt.dst || after.src !== pkt.src || after.sport !== pkt.sport || after.dport !== pkt.dport ? 'nat' : 'netfilter',
        node: node.name, netns: 'root', iface: inIface ?? outIface, hook,
        where: `${hook} (${r.tables.map((t) => t.table).join(', ') || 'no tables'})${ct.isNew ? '' : ', nat from conntrack'}`,
        before: pkt, after, trace: r.trace, outer: pkt.tunnel?.outer,
      });
      hop.matched = r.trace.filter((s) => s.kind === 'rule' && s.matched).map((s) => ruleRef(s as Extract<typeof s, { kind: 'rule' }>));
      const decisive = r.tables.map((t) => t.result.rule).filter(Boolean).at(-1);
      if (decisive) hop.decisive = { table: decisive.table, chain: decisive.chain, line: decisive.line, text: decisive.text };
      if (note) hop.note = note;
    }
    if (r.verdict === 'DROP') return { packet: after, stop: this.#stop('dropped', node.name, 'root', after, `${hook}: DROP`) };
    if (r.verdict === 'REJECT') return { packet: after, stop: this.#stop('rejected', node.name, 'root', after, `${hook}: REJECT (icmp-port-unreachable: the client sees "Connection refused")`) };
    return { packet: after };
  }

  #hop(h: Omit<Hop, 'n' | 'before' | 'after'> & { before: Packet; after: Packet }): Hop {
    const hop: Hop = { ...h, n: this.hops.length + 1, before: headers(h.before), after: headers(h.after) };
    if (h.netns !== 'root' && h.netns !== 'wire') hop.pod = this.#podIn(h.netns);
    for (const k of Object.keys(hop) as (keyof Hop)[]) if (hop[k] === undefined) delete hop[k];
    this.hops.push(hop);
    return hop;
  }

  #last(): Packet {
    const h = this.hops.at(-1)!;
    return { ...h.after, mark: 0 };
  }

  #stop(outcome: Outcome, node: string, netns: string, p: Packet, note: string): WalkResult {
    const kind = outcome === 'dropped' ? 'drop' : outcome === 'rejected' ? 'reject' : outcome === 'refused' ? 'refused' : 'unreachable';
    this.#hop({ kind, node, netns, where: note, before: p, after: p });
    return { outcome, hops: this.hops, sent: this.#sent! };
  }

  #end(outcome: Outcome, at: string, p: Packet): WalkResult {
    const [kind, name] = at.split('/');
    this.#hop({ kind: 'deliver', node: kind === 'pod' ? this.c.pods.get(at.slice(4))!.node : kind === 'node' ? name : 'external', netns: kind === 'pod' ? this.c.pods.get(at.slice(4))!.ns.name : kind === 'node' ? 'root' : 'wire', where: `delivered to ${at} (${p.proto} ${p.dst}:${p.dport})`, before: p, after: p });
    const r: WalkResult = { outcome, at, hops: this.hops, sent: this.#sent!, received: headers(p) };
    if (this.#exitNode) r.exitNode = this.#exitNode;
    return r;
  }

  /** The pod whose netns is `netns`, as `<namespace>/<name>`. */
  #podIn(netns: string): string | undefined {
    for (const p of this.c.pods.values()) if (p.ns.name === netns) return `${p.namespace}/${p.name}`;
    return undefined;
  }

  #node(name: string): NodeNet {
    const n = this.c.nodes.get(name);
    if (!n) throw new Error(`unknown node "${name}"`);
    return n;
  }
}

interface CtView {
  entry: CtEntry;
  dir: Direction;
  isNew: boolean;
}

function ruleRef(s: { table: RuleRef['table']; chain: string; line: number; text: string; effect?: string }): RuleRef {
  return s.effect ? { table: s.table, chain: s.chain, line: s.line, text: s.text, effect: s.effect } : { table: s.table, chain: s.chain, line: s.line, text: s.text };
}

function headers(p: Packet): Headers {
  return { proto: p.proto, src: p.src, dst: p.dst, sport: p.sport, dport: p.dport };
}

function headersKey(p: Packet): string {
  return `${p.proto}:${p.src}:${p.sport}>${p.dst}:${p.dport}`;
}

/** The VXLAN source port: a hash of the inner flow in the ephemeral range (see README: not the kernel's jhash). */
function flowPort(p: Packet): number {
  let h = 0x811c9dc5;
  const key = headersKey(p);
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return EPHEMERAL_LO + ((h >>> 0) % (EPHEMERAL_HI - EPHEMERAL_LO + 1));
}

function routeText(d: RouteDecision): string {
  if (d.type === 'local') return 'local (an address of this namespace)';
  if (d.type === 'unreachable') return 'unreachable';
  const r = d.route;
  return [r.dst, r.via ? `via ${r.via}` : '', `dev ${r.dev}`, r.onlink ? 'onlink' : '', d.src ? `src ${d.src}` : ''].filter(Boolean).join(' ');
}

function splitHostPort(to: string): [string, string] {
  const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(to);
  if (!m) throw new Error(`curl: (3) URL using bad/illegal format or missing URL: "${to}" (want ip:port)`);
  return [m[1], m[2]];
}

function resolveEndpoint(c: Cluster, from: string | Endpoint): From {
  if (typeof from !== 'string') {
    if ('pod' in from) return resolveEndpoint(c, `pod/${from.pod}`);
    if ('node' in from) return resolveEndpoint(c, `node/${from.node}`);
    const via = c.nodes.get(from.via);
    if (!via) throw new Error(`unknown node "${from.via}"`);
    return { kind: 'external', ip: from.external, via };
  }
  if (from.startsWith('node/')) {
    const node = c.nodes.get(from.slice(5));
    if (!node) throw new Error(`unknown node "${from.slice(5)}"`);
    return { kind: 'node', node };
  }
  const key = from.startsWith('pod/') ? from.slice(4) : from;
  const pod = c.pods.get(key.includes('/') ? key : `default/${key}`) ?? [...c.pods.values()].find((p) => p.name === key);
  if (!pod) throw new Error(`Error from server (NotFound): pods "${key}" not found`);
  return { kind: 'pod', pod };
}

/** The sender of a reply: whoever received the request. */
function endpointAt(c: Cluster, at: string, exitNode?: string): From {
  if (at.startsWith('external/')) {
    // An outside host answers to the address it saw, which leads back to the node the request left from.
    return { kind: 'external', ip: at.slice('external/'.length), via: c.nodes.get(exitNode!)! };
  }
  return resolveEndpoint(c, at);
}

