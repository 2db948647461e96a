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

/** Step 1: what each mode writes for one cluster size (rules: `-A` lines of nat and filter; bytes: the restore text). */
export function measure(services: number, endpointsPerService: number) {
  const { iptables, ipvs } = syncBoth(services, endpointsPerService);
  void iptables;
  void ipvs;
  return {
    iptables: { rules: 0, bytes: 0 },
    ipvs: { rules: 0, bytes: 0, virtualServers: 0, realServers: 0 },
  };
}

/** Step 2: the same counts from the shape of the rules, without running a proxier. */
export function predict(services: number, endpointsPerService: number) {
  void services;
  void endpointsPerService;
  return { iptablesRules: 0, ipvsRules: 0, virtualServers: 0, realServers: 0 };
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
 * Step 3: a new connection from the client pod (CLIENT_IP) to the last Service, in each mode:
 * how many rules the packet is matched against from KUBE-SERVICES on, and which IPVS virtual
 * server the kernel finds. Use rngFromSeed(seed) for the statistic draws.
 */
export function connectToLast(services: number, endpointsPerService: number, seed: number) {
  const { cluster, iptables, ipvs } = syncBoth(services, endpointsPerService);
  void cluster;
  void iptables;
  void seed;
  void ipsetMatcher(ipvs);
  return { iptables: 0, ipvs: 0, virtualServer: 'none' };
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
