import { FakeClock } from '../../core/clock';
import { rngFromSeed, type Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { Conntrack, KUBE_PROXY_TIMEOUTS } from '../conntrack/conntrack';
import { KUBE_FLANNEL_NET_CONF, parseNetworkConfig, type BackendType, type FlannelNetworkConfig } from '../flannel/config';
import { setupFlannelNode, type FlannelLease, type FlannelNodeState } from '../flannel/backend';
import { allocateSubnet } from '../flannel/lease';
import { flannelIptablesSave } from '../flannel/iptables';
import { nthAddress, parseCidr } from '../ip';
import { randomMac } from '../link/mac';
import { NetNS } from '../link/netns';
import { formatIptablesSave } from '../netfilter/save';
import { mergeRulesets, parseIptablesSave } from '../netfilter/parse';
import { RecentLists } from '../netfilter/recent';
import type { Ruleset } from '../netfilter/types';
import { kubeProxyBaseRules } from './kubeproxy_base';

export interface NodeSpec {
  name: string;
  /** Underlay address with prefix, e.g. `192.168.0.2/24` (a bare IP means /24). */
  ip: string;
  /** node.spec.podCIDR, e.g. `10.244.1.0/24`; absent: flannel's etcd subnet manager picks one (seeded). */
  podCIDR?: string;
  /** Default gateway on the underlay (default: .1 of the node's prefix). */
  gateway?: string;
  mtu?: number;
}

export interface PodSpec {
  name: string;
  namespace?: string;
  node: string;
  ip: string;
  /** Ports something listens on; absent = any port answers. */
  ports?: number[];
}

export interface ClusterSpec {
  nodes: NodeSpec[];
  pods?: PodSpec[];
  /** flannel net-conf.json (default: kube-flannel.yml's, vxlan on 10.244.0.0/16). */
  netConf?: string;
  /** Shorthand that replaces Backend.Type in netConf. */
  backend?: BackendType;
  /** kube-proxy's iptables-save text: one for every node, or per node name. */
  kubeProxyRules?: string | Record<string, string>;
  /** IPVS mode: the ClusterIPs kube-proxy binds to the kube-ipvs0 dummy device on every node. */
  kubeIpvs0?: string[];
  /** ipset contents per node (or for all nodes), for `-m set --match-set NAME dst,dst`: entries like `10.96.0.1,tcp:443`. */
  ipsets?: Record<string, string[]>;
  /** flanneld --ip-masq (kube-flannel.yml passes it). */
  ipMasq?: boolean;
  seed?: number | string;
  clock?: FakeClock;
  /** Where walks record `netstack.hop` / `netstack.walk` events (none when absent). */
  trace?: TraceRecorder;
}

export interface NodeNet {
  name: string;
  ip: string;
  podCIDR: string;
  ns: NetNS;
  ruleset: Ruleset;
  conntrack: Conntrack;
  recent: RecentLists;
  flannel: FlannelNodeState;
  /** ipset name -> entries (`ip,proto:port` or `ip`), consulted by `-m set`. */
  ipsets: Map<string, Set<string>>;
  /** `iptables-save` of the node. */
  iptablesSave(): string;
}

export interface PodNet {
  name: string;
  namespace: string;
  node: string;
  ip: string;
  ns: NetNS;
  /** The host end of the pod's veth pair (a cni0 port). */
  hostVeth: string;
  ports?: number[];
}

export interface Cluster {
  clock: FakeClock;
  trace?: TraceRecorder;
  /** Walks done so far (numbers the events). */
  walks: number;
  rng: Rng;
  config: FlannelNetworkConfig;
  nodes: Map<string, NodeNet>;
  pods: Map<string, PodNet>;
  /** Pods by IP, and nodes by underlay IP, for the walk. */
  podByIP(ip: string): PodNet | undefined;
  nodeByIP(ip: string): NodeNet | undefined;
}

/**
 * Builds the node and pod namespaces a flannel + kube-proxy (iptables) cluster has: eth0 on one
 * underlay, cni0 with the node's .1, a veth pair per pod (the CNI bridge plugin's work), flannel's
 * device, routes, neighbours and FDB, and each node's iptables (kube-proxy's jumps and rules, then
 * flannel's). Everything random (MACs, veth names, statistic draws) comes from `seed`.
 */
export function buildCluster(spec: ClusterSpec): Cluster {
  const clock = spec.clock ?? new FakeClock();
  const rng = rngFromSeed(spec.seed ?? 1);
  const conf = JSON.parse(spec.netConf ?? KUBE_FLANNEL_NET_CONF);
  if (spec.backend) conf.Backend = { ...conf.Backend, Type: spec.backend };
  const config = parseNetworkConfig(JSON.stringify(conf));
  const macRng = rng.fork('mac');
  const leaseRng = rng.fork('lease');
  const subnets: string[] = spec.nodes.filter((n) => n.podCIDR).map((n) => n.podCIDR!);
  const podCIDRs = spec.nodes.map((n) => {
    if (n.podCIDR) return n.podCIDR;
    const s = allocateSubnet(config, subnets, leaseRng);
    subnets.push(s);
    return s;
  });
  const leases: FlannelLease[] = spec.nodes.map((n, i) => ({
    node: n.name, subnet: podCIDRs[i], publicIP: n.ip.split('/')[0], vtepMac: config.Backend.Type === 'vxlan' ? randomMac(macRng) : undefined,
  }));

  const nodes = new Map<string, NodeNet>();
  for (const [i, n] of spec.nodes.entries()) {
    const podCIDR = podCIDRs[i];
    const ns = new NetNS('root');
    const cidr = n.ip.includes('/') ? n.ip : `${n.ip}/24`;
    const ip = cidr.split('/')[0];
    ns.addLink({ name: 'lo', kind: 'loopback', mtu: 65536 });
    ns.addAddr('lo', '127.0.0.1/8', 'host');
    ns.addLink({ name: 'eth0', kind: 'ether', mtu: n.mtu ?? 1500, mac: randomMac(macRng) });
    ns.addAddr('eth0', cidr);
    ns.addRoute({ dst: 'default', via: n.gateway ?? nthAddress(cidr, 1), dev: 'eth0', proto: 'static' });
    const self = leases.find((l) => l.node === n.name)!;
    const flannel = setupFlannelNode(ns, config, self, leases, { extIface: 'eth0', ipMasq: spec.ipMasq ?? true });
    // The CNI bridge plugin: cni0 takes the subnet's first address, MTU from subnet.env.
    ns.addLink({ name: 'cni0', kind: 'bridge', mtu: flannel.mtu, mac: randomMac(macRng) });
    ns.addAddr('cni0', `${nthAddress(podCIDR, 1)}/${parseCidr(podCIDR).bits}`);
    if (spec.kubeIpvs0) {
      // proxier.go (ipvs): a dummy device kept DOWN; every ClusterIP is bound to it so the node owns it.
      ns.addLink({ name: 'kube-ipvs0', kind: 'dummy', mtu: 1500, mac: randomMac(macRng), up: false });
      for (const vip of spec.kubeIpvs0) ns.addAddr('kube-ipvs0', `${vip}/32`);
    }
    const kp = typeof spec.kubeProxyRules === 'string' ? spec.kubeProxyRules : spec.kubeProxyRules?.[n.name];
    const sets = [parseIptablesSave(kubeProxyBaseRules())];
    if (kp) sets.push(parseIptablesSave(kp));
    sets.push(parseIptablesSave(flannelIptablesSave(config.Network, podCIDR, { ipMasq: spec.ipMasq ?? true })));
    // Re-read the merged dump as the kernel would print it back, so every rule's text and line
    // are what `iptables-save` shows on this node.
    const ruleset = parseIptablesSave(formatIptablesSave(mergeRulesets(...sets), undefined, { canonical: true }));
    nodes.set(n.name, {
      name: n.name, ip, podCIDR, ns, ruleset,
      conntrack: new Conntrack(clock, rng.fork(`conntrack/${n.name}`), KUBE_PROXY_TIMEOUTS),
      recent: new RecentLists(clock), flannel,
      ipsets: new Map(Object.entries(spec.ipsets ?? {}).map(([k, v]) => [k, new Set(v)])),
      iptablesSave: () => formatIptablesSave(ruleset),
    });
  }

  const pods = new Map<string, PodNet>();
  for (const p of spec.pods ?? []) {
    const node = nodes.get(p.node);
    if (!node) throw new Error(`pod ${p.name}: unknown node "${p.node}"`);
    const namespace = p.namespace ?? 'default';
    const vethName = `veth${rng.fork(`veth/${namespace}/${p.name}`).uint32().toString(16).padStart(8, '0')}`;
    const ns = new NetNS(`cni-${rng.fork(`netns/${namespace}/${p.name}`).uint32().toString(16).padStart(8, '0')}`);
    const bits = parseCidr(node.podCIDR).bits;
    ns.addLink({ name: 'lo', kind: 'loopback', mtu: 65536 });
    ns.addAddr('lo', '127.0.0.1/8', 'host');
    const hostIndex = node.ns.links.length + 1;
    const podEth = ns.addLink({ name: 'eth0', kind: 'veth', mtu: node.flannel.mtu, mac: randomMac(macRng), peer: { netns: 'root', name: vethName, index: hostIndex } });
    node.ns.addLink({ name: vethName, kind: 'veth', mtu: node.flannel.mtu, mac: randomMac(macRng), master: 'cni0', peer: { netns: ns.name, name: 'eth0', index: podEth.index }, index: hostIndex });
    ns.addAddr('eth0', `${p.ip}/${bits}`);
    const gw = nthAddress(node.podCIDR, 1);
    ns.addRoute({ dst: 'default', via: gw, dev: 'eth0' });
    // flannel's CNI plugin asks host-local IPAM for a route to the whole Network via the gateway.
    ns.addRoute({ dst: config.Network, via: gw, dev: 'eth0' });
    node.ns.setFdb({ mac: podEth.mac!, dev: vethName, master: 'cni0' });
    pods.set(`${namespace}/${p.name}`, { name: p.name, namespace, node: p.node, ip: p.ip, ns, hostVeth: vethName, ports: p.ports });
  }

  return {
    clock, rng, config, nodes, pods, trace: spec.trace, walks: 0,
    podByIP: (ip) => [...pods.values()].find((p) => p.ip === ip),
    nodeByIP: (ip) => [...nodes.values()].find((n) => n.ip === ip),
  };
}

export function podKey(p: { namespace: string; name: string }): string {
  return `${p.namespace}/${p.name}`;
}

