/**
 * Checks of the ipvs-vs-iptables lab. The learner's counts are compared with the iptables and
 * IPVS proxiers (src/sim/proxy, pkg/proxy v1.34) run on benchmark clusters of sizes drawn per
 * seed, so numbers read off one run do not pass; their connection to the last Service with a
 * walk of the same packet through the netfilter model (src/sim/netstack) in each mode.
 */
import { check, exportedFunction } from '../../src/lab/checks';
import {
  FakeClock, parseIptablesSave, RecentLists, rngFromSeed, syncIPVSProxyRules, syncProxyRules, syntheticCluster,
  traverseTable, virtualServerString, type Rng,
} from '../../src/sim/index';

interface Measurement {
  iptables: { rules: number; bytes: number };
  ipvs: { rules: number; bytes: number; virtualServers: number; realServers: number };
}
interface Prediction { iptablesRules: number; ipvsRules: number; virtualServers: number; realServers: number }
interface Connection { iptables: number; ipvs: number; virtualServer: string }

const NODE = { nodeIPs: ['192.168.0.2'], clusterCIDR: '10.0.0.0/8' };
const CLIENT_IP = '10.255.0.5';

function syncBoth(services: number, endpointsPerService: number) {
  const cluster = syntheticCluster(services, endpointsPerService);
  const opts = { ...cluster, ...NODE };
  return { cluster, iptables: syncProxyRules(opts), ipvs: syncIPVSProxyRules(opts) };
}

/** Sizes for one seed: a small cluster, a mid-sized one, and one past the 1,000-endpoint large-cluster threshold. */
export function sizesFor(rng: Rng): [number, number][] {
  return [
    [3 + rng.int(30), 1 + rng.int(6)],
    [41 + rng.int(60), 2 + rng.int(8)],
    [101 + rng.int(40), 10 + rng.int(3)],
  ];
}

/** What the proxiers wrote, measured from their own counters. */
export function measured(services: number, endpointsPerService: number): Measurement {
  const { iptables, ipvs } = syncBoth(services, endpointsPerService);
  const ipvsRules = (ipvs.nat + ipvs.filter).split('\n').filter((l) => l.startsWith('-A ')).length;
  return {
    iptables: { rules: iptables.natRules + iptables.filterRules, bytes: iptables.nat.length + iptables.filter.length },
    ipvs: {
      rules: ipvsRules,
      bytes: ipvs.nat.length + ipvs.filter.length,
      virtualServers: ipvs.virtualServers.length,
      realServers: ipvs.virtualServers.reduce((n, vs) => n + vs.realServers.length, 0),
    },
  };
}

/** The packet walked by the check itself: rules looked at in each mode, and the virtual server. */
export function walked(services: number, endpointsPerService: number, seed: number): Connection {
  const { cluster, iptables, ipvs } = syncBoth(services, endpointsPerService);
  const last = cluster.services[cluster.services.length - 1].spec;
  const packet = { proto: 'tcp' as const, src: CLIENT_IP, dst: last.clusterIP!, sport: 40000, dport: 80, mark: 0 };
  const env = (isLocal: (ip: string) => boolean) => ({ rng: rngFromSeed(seed), recent: new RecentLists(new FakeClock()), ctstate: ['NEW' as const], isLocal });
  const a = traverseTable(parseIptablesSave(iptables.nat), 'nat', 'KUBE-SERVICES', packet, env((ip) => NODE.nodeIPs.includes(ip)));
  const sets = new Map(ipvs.ipsets.map((s) => [s.name, new Set(s.entries)]));
  const local = new Set([...NODE.nodeIPs, ...ipvs.dummyAddresses.map((d) => d.split('/')[0])]);
  const b = traverseTable(parseIptablesSave(ipvs.nat), 'nat', 'KUBE-SERVICES', packet, {
    ...env((ip) => local.has(ip)),
    // The starter's matcher: hash:ip,port sets hold `ip,tcp:port`, hash:ip sets `ip`.
    ipset: (name, values) => !!sets.get(name) && (sets.get(name)!.has(values[0]) || (values.length > 1 && sets.get(name)!.has(`${values[0]},tcp:${values[1]}`))),
  });
  const vs = ipvs.virtualServers.find((v) => v.address === packet.dst && v.port === packet.dport && v.protocol === 'TCP');
  const rules = (t: { kind: string }[]) => t.filter((s) => s.kind === 'rule').length;
  return { iptables: rules(a.trace), ipvs: rules(b.trace), virtualServer: vs ? virtualServerString(vs) : 'none' };
}

export const measuresBoth = check(
  'measure() counts the rules and bytes each mode writes, and the IPVS kernel objects',
  ({ learner, seeds, expect }) => {
    const measure = exportedFunction<(n: number, e: number) => Measurement>(learner, 'measure');
    for (const seed of seeds.slice(0, 2)) {
      for (const [n, e] of sizesFor(rngFromSeed(seed))) {
        const want = measured(n, e);
        const got = measure(n, e);
        const at = `${n} Services x ${e} endpoints`;
        expect(got?.iptables?.rules, `${at}: iptables rules (-A lines, nat + filter)`).to.equal(want.iptables.rules);
        expect(got?.iptables?.bytes, `${at}: iptables-restore bytes (nat + filter)`).to.equal(want.iptables.bytes);
        expect(got?.ipvs?.rules, `${at}: iptables rules in IPVS mode`).to.equal(want.ipvs.rules);
        expect(got?.ipvs?.bytes, `${at}: iptables-restore bytes in IPVS mode`).to.equal(want.ipvs.bytes);
        expect(got?.ipvs?.virtualServers, `${at}: IPVS virtual servers`).to.equal(want.ipvs.virtualServers);
        expect(got?.ipvs?.realServers, `${at}: IPVS real servers`).to.equal(want.ipvs.realServers);
      }
    }
  },
  { hint: 'Count the `-A` lines of both tables (nat and filter) and the length of both texts; in IPVS mode, most of the state is not iptables at all: count virtualServers and every realServers list.' },
);

export const predictsGrowth = check(
  'predict() gives the same counts from the shape of the rules, for any size',
  ({ learner, seeds, expect }) => {
    const predict = exportedFunction<(n: number, e: number) => Prediction>(learner, 'predict');
    for (const seed of seeds) {
      const rng = rngFromSeed(`${seed}/predict`);
      const sizes: [number, number][] = [[1 + rng.int(9), 1 + rng.int(4)], [20 + rng.int(10) * 10 + 1 + rng.int(9), 1 + rng.int(12)], [10 * (1 + rng.int(20)), 1 + rng.int(12)]];
      for (const [n, e] of sizes) {
        const want = measured(n, e);
        const got = predict(n, e);
        const at = `${n} Services x ${e} endpoints (Services 0, 10, 20, ... are NodePorts: ${Math.ceil(n / 10)} of them)`;
        expect(got?.iptablesRules, `${at}: iptables rules`).to.equal(want.iptables.rules);
        expect(got?.ipvsRules, `${at}: iptables rules in IPVS mode`).to.equal(want.ipvs.rules);
        expect(got?.virtualServers, `${at}: IPVS virtual servers`).to.equal(want.ipvs.virtualServers);
        expect(got?.realServers, `${at}: IPVS real servers`).to.equal(want.ipvs.realServers);
      }
    }
  },
  { hint: 'Read one ClusterIP Service and one NodePort Service in the nat text: which rules come once per Service, which once per endpoint, which once per NodePort, which once per node? In IPVS mode a NodePort is also a virtual server on the node address.' },
);

export const walksToTheLast = check(
  'connectToLast() walks a new connection to the last Service in each mode',
  ({ learner, seeds, expect }) => {
    const connectToLast = exportedFunction<(n: number, e: number, seed: number) => Connection>(learner, 'connectToLast');
    for (const seed of seeds.slice(0, 3)) {
      const [small, mid] = sizesFor(rngFromSeed(`${seed}/walk`));
      for (const [n, e] of [small, mid]) {
        const want = walked(n, e, seed);
        const got = connectToLast(n, e, seed);
        const at = `${n} Services x ${e} endpoints, seed ${seed}`;
        expect(got?.virtualServer, `${at}: the virtual server IPVS finds for the last Service`).to.equal(want.virtualServer);
        expect(got?.iptables, `${at}: rules the packet is matched against in iptables mode`).to.equal(want.iptables);
        expect(got?.ipvs, `${at}: rules the packet is matched against in IPVS mode`).to.equal(want.ipvs);
      }
    }
  },
  { hint: "Count every rule the packet was matched against (the trace's 'rule' steps, matched or not). In IPVS mode kube-ipvs0 holds every ClusterIP, so for the node the ClusterIP is a LOCAL address." },
);
