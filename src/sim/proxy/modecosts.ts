/**
 * What each kube-proxy mode costs for one cluster: what it programs (rules, chains, set and map
 * elements, the bytes of text it hands the kernel) and the work of the first packet of one new
 * connection from a pod to the k-th Service's ClusterIP. iptables and IPVS rules are walked by
 * the node's netfilter model (src/sim/netstack), nftables by the port of upstream's tracer, the
 * userspace mode by its portal walk. The model's own measure, for the proxy-modes lesson.
 */
import { utf8Length } from '../apimachinery/go';
import { FakeClock } from '../core/clock';
import { rngFromSeed } from '../core/rng';
import { parseIptablesSave, RecentLists, traverseTable, type NetfilterEnv, type NfTraceStep, type Packet } from '../netstack/netfilter/index';
import { syncProxyRules } from './iptables/proxier';
import { iptablesSaveTable } from './iptables/save';
import { syncIPVSProxyRules } from './ipvs/proxier';
import { syncNFTablesProxyRules } from './nftables/proxier';
import { traceNFTablesPacket } from './nftables/tracer';
import type { SyntheticCluster } from './perf';
import { newUserspaceProxier } from './userspace/proxier';

export type ProxyMode = 'userspace' | 'iptables' | 'ipvs' | 'nftables';

export interface ProxyModeCost {
  mode: ProxyMode;
  /** Rules kube-proxy programs: iptables `-A` rules (nat + filter), or nftables rules. */
  rules: number;
  chains: number;
  /** Entries outside rules: ipset entries + IPVS virtual and real servers, or nftables set/map elements. */
  elements: number;
  /** The text kube-proxy hands over: iptables-restore input (both tables) or the nft transaction. */
  rulesTextBytes: number;
  /** The first packet of a new connection to the k-th Service. */
  firstPacket: {
    /** Rules looked at, one by one, in the tables kube-proxy owns or jumps from. */
    rulesEvaluated: number;
    /** Of those, in the nat table's KUBE-SERVICES (iptables, IPVS) or KUBE-PORTALS-CONTAINER (userspace). */
    dispatchRulesEvaluated: number;
    /** Hash lookups: ipset / IPVS service table / nftables set and verdict-map lookups. */
    lookups: number;
    /** Bytes that pass through kube-proxy's process (userspace only): the request and the response. */
    userspaceBytes: number;
  };
}

export interface ProxyModeCostOptions {
  /** Which Service the connection goes to (0-based index into cluster.services). */
  serviceIndex: number;
  nodeIPs?: string[];
  clusterCIDR?: string;
  /** Bytes of the request and of the response, for the userspace copy. */
  requestBytes?: number;
  responseBytes?: number;
  seed?: number;
}

const countRules = (text: string) => text.split('\n').filter((l) => l.startsWith('-A ')).length;
const countChains = (text: string) => text.split('\n').filter((l) => l.startsWith(':')).length;
const bytes = utf8Length;

// Upstream: pkg/proxy/ipvs/proxier.go (iptablesJumpChain, createAndLinkKubeChain): each jump is
// prepended, so the last listed comes first. The IPVS model returns only its own chains.
const ipvsJumpChains: [table: 'nat' | 'filter', from: string, to: string, comment: string][] = [
  ['nat', 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals'],
  ['nat', 'PREROUTING', 'KUBE-SERVICES', 'kubernetes service portals'],
  ['nat', 'POSTROUTING', 'KUBE-POSTROUTING', 'kubernetes postrouting rules'],
  ['filter', 'FORWARD', 'KUBE-FORWARD', 'kubernetes forwarding rules'],
  ['filter', 'INPUT', 'KUBE-NODE-PORT', 'kubernetes health check rules'],
  ['filter', 'INPUT', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules'],
  ['filter', 'FORWARD', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules'],
  ['filter', 'INPUT', 'KUBE-IPVS-FILTER', 'kubernetes ipvs access filter'],
  ['filter', 'OUTPUT', 'KUBE-IPVS-OUT-FILTER', 'kubernetes ipvs access filter'],
];

function withIPVSJumps(text: string, table: 'nat' | 'filter'): string {
  const jumps = ipvsJumpChains.filter((j) => j[0] === table).reverse().map(([, from, to, comment]) => `-A ${from} -m comment --comment "${comment}" -j ${to}`);
  return text.replace(/^COMMIT$/m, `${jumps.join('\n')}\nCOMMIT`);
}

/**
 * One pod-to-ClusterIP packet through nat PREROUTING, then filter FORWARD towards the DNATed pod
 * (iptables), or filter INPUT, since the ClusterIP is bound to kube-ipvs0 and IPVS takes the
 * packet at LOCAL_IN (IPVS).
 */
function walkIPTables(saveText: string, pkt: Packet, env: NetfilterEnv, then: 'FORWARD' | 'INPUT') {
  const ruleset = parseIptablesSave(saveText);
  const pre = traverseTable(ruleset, 'nat', 'PREROUTING', pkt, env);
  const to = pre.nat?.kind === 'DNAT' ? pre.nat.to : undefined;
  const forwarded = to ? { ...pkt, dst: to.slice(0, to.lastIndexOf(':')), dport: Number(to.slice(to.lastIndexOf(':') + 1)) } : pkt;
  const fwd = traverseTable(ruleset, 'filter', then, forwarded, env);
  const steps = [...pre.trace, ...fwd.trace].filter((s): s is Extract<NfTraceStep, { kind: 'rule' }> => s.kind === 'rule');
  return { rulesEvaluated: steps.length, dispatchRulesEvaluated: steps.filter((s) => s.table === 'nat' && s.chain === 'KUBE-SERVICES').length, to };
}

// The model's own: one full sync per mode on the same cluster, then one traced packet.
export function proxyModeCosts(cluster: SyntheticCluster, opts: ProxyModeCostOptions): ProxyModeCost[] {
  const svc = cluster.services[opts.serviceIndex];
  if (!svc) throw new RangeError(`serviceIndex ${opts.serviceIndex} is outside the ${cluster.services.length} Services`);
  const clusterIP = svc.spec.clusterIP!;
  const port = svc.spec.ports![0].port;
  const nodeIPs = opts.nodeIPs ?? ['192.168.0.2'];
  const clusterCIDR = opts.clusterCIDR ?? '10.0.0.0/8';
  const sync = { ...cluster, nodeIPs, clusterCIDR };
  // A client pod that is no endpoint of anything: 10.255.255.1 lies outside the synthetic pod range.
  const clientIP = '10.255.255.1';
  const pkt: Packet = { proto: 'tcp', src: clientIP, dst: clusterIP, sport: 40000, dport: port, mark: 0 };
  const clock = new FakeClock();
  const env = (ipset?: NetfilterEnv['ipset'], bound = new Set<string>()): NetfilterEnv => ({
    rng: rngFromSeed(opts.seed ?? 1), recent: new RecentLists(clock), isLocal: (ip) => nodeIPs.includes(ip) || bound.has(ip), ctstate: ['NEW'], ipset,
  });
  const out: ProxyModeCost[] = [];

  const us = newUserspaceProxier({ ...cluster, hostIP: nodeIPs[0], localAddrs: nodeIPs, clock, rng: rngFromSeed(opts.seed ?? 1) });
  const usNat = us.iptablesSave('nat');
  const usFilter = us.iptablesSave('filter');
  const conn = us.connect({ destIP: clusterIP, destPort: port, clientIP, requestBytes: opts.requestBytes ?? 0, responseBytes: opts.responseBytes ?? 0 });
  out.push({
    mode: 'userspace',
    rules: us.rules.length,
    chains: countChains(usNat) + countChains(usFilter),
    elements: 0,
    rulesTextBytes: bytes(usNat) + bytes(usFilter),
    firstPacket: {
      rulesEvaluated: conn.rulesEvaluated,
      dispatchRulesEvaluated: conn.rulesEvaluated - 1,
      lookups: 0,
      userspaceBytes: conn.bytesCopied,
    },
  });

  const ipt = syncProxyRules(sync);
  const iw = walkIPTables(iptablesSaveTable(ipt.nat, 'nat') + iptablesSaveTable(ipt.filter, 'filter'), pkt, env(), 'FORWARD');
  out.push({
    mode: 'iptables',
    rules: ipt.natRules + ipt.filterRules,
    chains: ipt.natChains + ipt.filterChains,
    elements: 0,
    rulesTextBytes: bytes(ipt.nat) + bytes(ipt.filter),
    firstPacket: { rulesEvaluated: iw.rulesEvaluated, dispatchRulesEvaluated: iw.dispatchRulesEvaluated, lookups: 0, userspaceBytes: 0 },
  });

  const ipvs = syncIPVSProxyRules(sync);
  const sets = new Map(ipvs.ipsets.map((s) => [s.name, new Set(s.entries)]));
  let ipsetLookups = 0;
  const vw = walkIPTables(withIPVSJumps(ipvs.nat, 'nat') + withIPVSJumps(ipvs.filter, 'filter'), pkt, env((name, values) => {
    ipsetLookups++;
    const set = sets.get(name);
    return !!set && (set.has(values.join(',')) || set.has(`${values[0]},${pkt.proto}:${values[1]}`));
  }, new Set(ipvs.dummyAddresses.map((a) => a.split('/')[0]))), 'INPUT');
  out.push({
    mode: 'ipvs',
    rules: countRules(ipvs.nat) + countRules(ipvs.filter),
    chains: countChains(ipvs.nat) + countChains(ipvs.filter),
    elements: ipvs.ipsets.reduce((n, s) => n + s.entries.length, 0) + ipvs.virtualServers.reduce((n, v) => n + 1 + v.realServers.length, 0),
    rulesTextBytes: bytes(ipvs.nat) + bytes(ipvs.filter),
    // The IPVS hook then finds the virtual server in its hash table: one more lookup.
    firstPacket: { rulesEvaluated: vw.rulesEvaluated, dispatchRulesEvaluated: vw.dispatchRulesEvaluated, lookups: ipsetLookups + 1, userspaceBytes: 0 },
  });

  const nft = syncNFTablesProxyRules(sync);
  const nt = traceNFTablesPacket(nft.table, { sourceIP: clientIP, destIP: clusterIP, destPort: port }, nodeIPs);
  out.push({
    mode: 'nftables',
    rules: nft.counts.rules,
    chains: nft.counts.chains,
    elements: nft.counts.elements,
    rulesTextBytes: bytes(nft.dump),
    firstPacket: { rulesEvaluated: nt.rulesEvaluated, dispatchRulesEvaluated: 1, lookups: nt.lookups, userspaceBytes: 0 },
  });
  return out;
}
