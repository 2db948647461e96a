/**
 * The live part of <PacketPlayground>: pick where a connection starts (a pod or a node) and where
 * it goes (a pod, the Service's ClusterIP, a node), and see its first packet hop by hop, then the
 * reply. The node stacks are netstack's (`buildCluster`: veth pairs, cni0, flannel.1, routes,
 * iptables, conntrack) built from the spec the component computed at build time on the full
 * network model (./packet-playground-spec.ts), and every walk is netstack's `walkPacket`, the
 * same one `curl` in a lab terminal takes. Loaded only when the widget scrolls into view.
 *
 * `PacketSim` has no DOM: packet-playground.test.ts drives it. `mount` draws it.
 */
import { buildCluster, type Cluster } from '../../sim/netstack/walk/cluster';
import { walkPacket } from '../../sim/netstack/walk/walk';
import { formatWalk } from '../../sim/netstack/walk/format';
import type { Headers, Hop, WalkResult } from '../../sim/netstack/walk/types';
import { FakeClock } from '../../sim/core/clock';
import { rngFromSeed, type Rng } from '../../sim/core/rng';

/** What `ClusterNetwork.net()` builds the node stacks from, as plain data (see packet-playground-spec.ts). */
export interface PlaygroundSpec {
  /** `buildCluster`'s seed, the one ClusterNetwork uses (`<seed>/netstack`): same MACs, same draws. */
  seed: string;
  /** The cluster clock when the spec was read (statistic draws and conntrack timeouts use it). */
  nowMs: number;
  nodes: Array<{ name: string; ip: string; podCIDR: string }>;
  pods: Array<{ name: string; namespace: string; node: string; ip: string; ports?: number[] }>;
  /** Each node's kube-proxy `iptables-save` text (filter then nat), from `syncProxyRules`. */
  rules: Record<string, string>;
  service: { name: string; ip: string; port: number };
}

/** An end the learner can pick. `walkFrom` / `walkTo` are what `walkPacket` takes. */
export interface Choice {
  id: string;
  label: string;
}

export interface HopView {
  n: number;
  kind: Hop['kind'];
  /** `node-a`, `node-a cni0`, `node-a [pod web-a] eth0`. */
  place: string;
  where: string;
  /** `10.244.0.3:40000 > 10.96.0.80:80  ->  10.244.0.3:40000 > 10.244.1.3:8080` when this hop rewrote the packet. */
  rewrite?: string;
  /** The rule that decided (DNAT, MASQUERADE, ACCEPT, ...), as iptables-save prints it. */
  rule?: string;
  conntrack?: string;
}

export interface WalkView {
  outcome: WalkResult['outcome'];
  /** `pod/default/web-b`, `node/node-b`. */
  at?: string;
  sent: string;
  received?: string;
  hops: HopView[];
  reply?: { outcome: WalkResult['outcome']; received?: string; hops: HopView[] };
  /** The whole walk as the terminal prints it (netstack's `formatWalk`). */
  text: string;
  /** Did the destination see the client's own address (no NAT on the source)? */
  sourceKept: boolean;
}

/** The pods the learner may pick (the playground's own, not CoreDNS). */
const PICKABLE = new Set(['client', 'web-a', 'web-b']);
/** The port each pod answers on in the playground; any port would do, the Service targets 8080. */
const POD_PORT = 8080;
/** The kubelet's port, for a connection to a node. */
const NODE_PORT = 10250;

export class PacketSim {
  readonly cluster: Cluster;
  readonly #rng: Rng;

  constructor(readonly spec: PlaygroundSpec) {
    this.cluster = buildCluster({ nodes: spec.nodes, pods: spec.pods, kubeProxyRules: spec.rules, seed: spec.seed, clock: new FakeClock(spec.nowMs), ipMasq: true });
    this.#rng = rngFromSeed(`${spec.seed}/playground`);
  }

  sources(): Choice[] {
    return [...this.#pods().map((p) => ({ id: `pod/${p.namespace}/${p.name}`, label: `pod ${p.name} (${p.ip}, ${p.node})` })), ...this.spec.nodes.map((n) => ({ id: `node/${n.name}`, label: `node ${n.name} (${n.ip})` }))];
  }

  targets(): Choice[] {
    const s = this.spec.service;
    return [
      ...this.#pods().map((p) => ({ id: `${p.ip}:${POD_PORT}`, label: `pod ${p.name} ${p.ip}:${POD_PORT}` })),
      { id: `${s.ip}:${s.port}`, label: `Service ${s.name} ${s.ip}:${s.port} (ClusterIP)` },
      ...this.spec.nodes.map((n) => ({ id: `${n.ip}:${NODE_PORT}`, label: `node ${n.name} ${n.ip}:${NODE_PORT} (kubelet)` })),
    ];
  }

  /** A new connection from `from` to `to` (`ip:port`): its first packet and the answer. */
  walk(from: string, to: string): WalkView {
    // Each walk is a new connection: a fresh ephemeral port (ip_local_port_range 32768-60999).
    const sport = 32768 + this.#rng.int(28232);
    const w = walkPacket(this.cluster, { from, to, sport });
    const view: WalkView = { outcome: w.outcome, at: w.at, sent: hdr(w.sent), hops: w.hops.map((h) => this.#hop(h)), text: formatWalk(w), sourceKept: !!w.received && w.received.src === w.sent.src };
    if (w.received) view.received = hdr(w.received);
    if (w.reply) view.reply = { outcome: w.reply.outcome, hops: w.reply.hops.map((h) => this.#hop(h)), ...(w.reply.received ? { received: hdr(w.reply.received) } : {}) };
    return view;
  }

  #pods() {
    return this.spec.pods.filter((p) => PICKABLE.has(p.name));
  }

  #hop(h: Hop): HopView {
    const pod = h.netns === 'root' || h.netns === 'wire' ? undefined : [...this.cluster.pods.values()].find((p) => p.ns.name === h.netns);
    const place = h.netns === 'wire' ? 'the wire' : `${h.node}${pod ? ` [pod ${pod.name}]` : ''}${h.iface ? ` ${h.iface}` : ''}`;
    const v: HopView = { n: h.n, kind: h.kind, place, where: h.where };
    if (hdr(h.before) !== hdr(h.after)) v.rewrite = `${addr(h.before)}  ->  ${addr(h.after)}`;
    if (h.decisive) v.rule = h.decisive.text;
    if (h.conntrack) v.conntrack = `${h.conntrack.action}: ${h.conntrack.entry}`;
    return v;
  }
}

function hdr(h: Headers): string {
  return `${h.proto} ${addr(h)}`;
}

function addr(h: Headers): string {
  return `${h.src}:${h.sport} > ${h.dst}:${h.dport}`;
}

const OUTCOME: Record<WalkResult['outcome'], string> = {
  delivered: 'delivered',
  dropped: 'dropped',
  rejected: 'rejected (ICMP port unreachable)',
  refused: 'refused (TCP RST)',
  unreachable: 'unreachable',
};

export function mount(root: HTMLElement): void {
  const spec = JSON.parse(root.dataset.spec ?? 'null') as PlaygroundSpec | null;
  const status = root.querySelector<HTMLElement>('[data-status]');
  if (!spec) {
    status?.replaceChildren('No cluster to walk (the page was built without one).');
    return;
  }
  const sim = new PacketSim(spec);
  const from = root.querySelector<HTMLSelectElement>('select[data-from]')!;
  const to = root.querySelector<HTMLSelectElement>('select[data-to]')!;
  const go = root.querySelector<HTMLButtonElement>('button[data-walk]')!;
  const out = root.querySelector<HTMLElement>('[data-out]')!;
  const live = root.querySelector<HTMLElement>('[data-live]');
  const fill = (sel: HTMLSelectElement, choices: Choice[]) => {
    const keep = sel.value;
    sel.replaceChildren(...choices.map((c) => new Option(c.label, c.id, false, c.id === keep)));
  };
  fill(from, sim.sources());
  fill(to, sim.targets());
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const hopList = (hops: HopView[]) => {
    const ol = el('ol', undefined, 'kl-pp-hops');
    for (const h of hops) {
      const li = el('li', undefined, `kl-pp-${h.kind}${h.rewrite ? ' is-nat' : ''}`);
      li.append(el('span', h.place, 'kl-pp-place'), ' ', el('span', h.where));
      if (h.rewrite) li.append(el('code', h.rewrite, 'kl-pp-rewrite'));
      if (h.rule) li.append(el('code', h.rule, 'kl-pp-rule'));
      if (h.conntrack) li.append(el('code', `conntrack ${h.conntrack}`, 'kl-pp-ct'));
      ol.append(li);
    }
    return ol;
  };
  const render = () => {
    const v = sim.walk(from.value, to.value);
    const summary = `${v.sent}: ${OUTCOME[v.outcome]}${v.at ? ` at ${v.at}` : ''}${v.received ? `, arriving as ${v.received}` : ''}`;
    const parts: Node[] = [el('p', summary, 'kl-pp-summary'), el('p', v.received ? (v.sourceKept ? 'The source address arrived unchanged.' : 'The source address was rewritten on the way (masquerade).') : '', 'kl-w-note'), hopList(v.hops)];
    if (v.reply) {
      parts.push(el('p', `The reply: ${OUTCOME[v.reply.outcome]}${v.reply.received ? `, arriving as ${v.reply.received}` : ''}`, 'kl-pp-summary'), hopList(v.reply.hops));
    }
    const details = el('details');
    details.append(el('summary', 'The whole walk as text, with every rule'), el('pre', v.text, 'kl-pp-text'));
    parts.push(details);
    out.replaceChildren(...parts);
    if (live) live.textContent = summary;
  };
  for (const s of [from, to]) s.disabled = false;
  go.disabled = false;
  go.addEventListener('click', render);
  status?.replaceChildren('Live: pick two ends and send a packet.');
  render();
}
