import {
  activeTrace, buildCluster, FakeClock, parseIptablesSave, RecentLists, rngFromSeed, syncIPVSProxyRules, syncProxyRules,
  syntheticCluster, traverseTable, virtualServerString, walkPacket, type SyncIPVSResult,
} from 'kubelab';

/** Every node in this lab: one address, the cluster's pods in 10.0.0.0/8. */
const NODE = { nodeIPs: ['192.168.0.2'], clusterCIDR: '10.0.0.0/8' };
/** The client pod that opens the connection. */
const CLIENT_IP = '10.255.0.5';

/** Both proxiers' output for the benchmark cluster of `services` Services with `endpointsPerService` endpoints each. */
function syncBoth(services: number, endpointsPerService: number) {
  const cluster = syntheticCluster(services, endpointsPerService);
  const opts = { ...cluster, ...NODE };
  return { cluster, iptables: syncProxyRules(opts), ipvs: syncIPVSProxyRules(opts) };
}

/** Rules are the `-A` lines kube-proxy hands to iptables-restore; bytes are the whole restore text. */
const rulesIn = (text: string) => text.split('\n').filter((l) => l.startsWith('-A ')).length;

/** Step 1: what each mode writes for one cluster size. */
export function measure(services: number, endpointsPerService: number) {
  const { iptables, ipvs } = syncBoth(services, endpointsPerService);
  return {
    iptables: { rules: rulesIn(iptables.nat) + rulesIn(iptables.filter), bytes: iptables.nat.length + iptables.filter.length },
    ipvs: {
      rules: rulesIn(ipvs.nat) + rulesIn(ipvs.filter),
      bytes: ipvs.nat.length + ipvs.filter.length,
      virtualServers: ipvs.virtualServers.length,
      realServers: ipvs.virtualServers.reduce((n, vs) => n + vs.realServers.length, 0),
    },
  };
}

/**
 * Step 2: the same numbers from the shape of the rules, without running a proxier. Per ClusterIP
 * Service: its KUBE-SERVICES rule and the KUBE-SVC chain's masquerade rule; per endpoint: a jump
 * in KUBE-SVC and two rules in its KUBE-SEP chain. Every tenth Service (0, 10, 20, ...) is a
 * NodePort: two KUBE-NODEPORTS rules (127.0.0.0/8 and every other address) and a KUBE-EXT chain
 * of two. Fixed: KUBE-POSTROUTING (3), KUBE-MARK-MASQ (1), the tail call to KUBE-NODEPORTS (1)
 * and four filter rules. IPVS mode writes a fixed set of iptables rules and matches ipsets instead.
 */
export function predict(services: number, endpointsPerService: number) {
  const nodePorts = Math.ceil(services / 10);
  const virtualServers = services + nodePorts; // one per ClusterIP, one per NodePort per node address
  return {
    iptablesRules: 9 + services * (2 + 3 * endpointsPerService) + 4 * nodePorts,
    ipvsRules: 21,
    virtualServers,
    realServers: virtualServers * endpointsPerService,
  };
}

/** `-m set --match-set NAME dst,dst`: hash:ip,port sets hold `ip,tcp:port`, hash:ip sets `ip`. */
function ipsetMatcher(ipvs: SyncIPVSResult) {
  const sets = new Map(ipvs.ipsets.map((s) => [s.name, new Set(s.entries)]));
  return (name: string, values: string[]) => {
    const set = sets.get(name);
    return !!set && (set.has(values[0]) || (values.length > 1 && set.has(`${values[0]},tcp:${values[1]}`)));
  };
}

/**
 * Step 3: a new connection from a pod to the last Service, in each mode. iptables: the packet
 * enters KUBE-SERVICES from PREROUTING and is matched against rule after rule (and the rules of
 * the chains it jumps to). IPVS: a few rules that ask ipsets, then the kernel finds the virtual
 * server by (address, port, protocol) in a hash table.
 */
export function connectToLast(services: number, endpointsPerService: number, seed: number) {
  const { cluster, iptables, ipvs } = syncBoth(services, endpointsPerService);
  const last = cluster.services[cluster.services.length - 1].spec;
  const packet = { proto: 'tcp' as const, src: CLIENT_IP, dst: last.clusterIP!, sport: 40000, dport: last.ports![0].port, mark: 0 };
  const env = { rng: rngFromSeed(seed), recent: new RecentLists(new FakeClock()), ctstate: ['NEW' as const] };

  const viaIptables = traverseTable(parseIptablesSave(iptables.nat), 'nat', 'KUBE-SERVICES', packet, {
    ...env, isLocal: (ip) => NODE.nodeIPs.includes(ip),
  });
  // In IPVS mode every ClusterIP is bound to kube-ipvs0: the node owns it.
  const local = new Set([...NODE.nodeIPs, ...ipvs.dummyAddresses.map((a) => a.split('/')[0])]);
  const viaIpvs = traverseTable(parseIptablesSave(ipvs.nat), 'nat', 'KUBE-SERVICES', packet, {
    ...env, isLocal: (ip) => local.has(ip), ipset: ipsetMatcher(ipvs),
  });
  const table = new Map(ipvs.virtualServers.map((vs) => [virtualServerString(vs), vs]));
  const virtualServer = table.get(virtualServerString({ address: packet.dst, port: packet.dport, protocol: 'TCP' }));

  const looked = (trace: { kind: string }[]) => trace.filter((s) => s.kind === 'rule').length;
  return {
    iptables: looked(viaIptables.trace),
    ipvs: looked(viaIpvs.trace),
    virtualServer: virtualServer ? virtualServerString(virtualServer) : 'none',
  };
}

// ---- Run me: the numbers for a few sizes, then one connection in each mode on a two-node cluster ----
for (const [n, e] of [[10, 3], [100, 3], [100, 10], [400, 3]] as const) {
  console.log(`${n} Services x ${e} endpoints`, JSON.stringify(measure(n, e)), JSON.stringify(predict(n, e)), JSON.stringify(connectToLast(n, e, 1)));
}

const small = syntheticCluster(3, 2);
const { iptables, ipvs } = syncBoth(3, 2);
const spec = {
  nodes: [{ name: 'node-0', ip: '192.168.0.2', podCIDR: '10.0.0.0/24' }, { name: 'node-1', ip: '192.168.0.3', podCIDR: '10.0.1.0/24' }],
  pods: [
    { name: 'client', node: 'node-1', ip: '10.0.1.5' },
    ...small.endpointSlices.flatMap((s) => s.endpoints.map((ep, j) => ({ name: `${s.metadata.labels!['kubernetes.io/service-name']}-${j}`, node: 'node-0', ip: ep.addresses[0], ports: [8080] }))),
  ],
  seed: 1,
  trace: activeTrace(),
};
const target = `${small.services[2].spec.clusterIP}:80`;
const inIptables = walkPacket(buildCluster({ ...spec, kubeProxyRules: iptables.filter + iptables.nat }), { from: 'default/client', to: target });
console.log('iptables mode:', inIptables.outcome, 'at', inIptables.at);
const inIpvs = walkPacket(buildCluster({
  ...spec,
  kubeProxyRules: ipvs.filter + ipvs.nat,
  kubeIpvs0: ipvs.dummyAddresses.map((a) => a.split('/')[0]),
  ipsets: Object.fromEntries(ipvs.ipsets.map((s) => [s.name, s.entries])),
}), { from: 'default/client', to: target });
// The walk stops where IPVS takes over: the ClusterIP is local (kube-ipvs0), so the packet reaches INPUT.
console.log('IPVS mode:', inIpvs.outcome, 'at', inIpvs.at, '-> IPVS picks from', ipvs.virtualServers.find((vs) => `${vs.address}:${vs.port}` === target)?.realServers.map((r) => `${r.address}:${r.port}`).join(' '));
