/**
 * The IPVS proxier's sync, as one pure function: after pkg/proxy/ipvs/proxier.go
 * (Proxier.syncProxyRules, syncService, syncEndpoint, writeIptablesRules, acceptIPVSTraffic,
 * createAndLinkKubeChain) at v1.34. It returns the virtual servers with their real servers,
 * the addresses bound to kube-ipvs0, the ipsets, and the iptables-restore text of nat and filter.
 */
import type { IPFamily, Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { buildEndpointsMap } from '../endpointslicecache';
import { buildServicePortMap, type ServicePortInfo } from '../serviceport';
import { categorizeEndpoints } from '../topology';
import { cidrContains, ipFamilyOf, joinHostPort } from '../util/ip';
import { newLocalDetector, type LocalMode } from '../util/localdetector';
import { getNodeIPs, newNodePortAddresses } from '../util/nodeport_addresses';
import { LineBuffer, makeChainLine } from '../iptables/linebuffer';
import { masqueradeMarkFor } from '../iptables/proxier';
import {
  ipsetComment,
  ipsetEntryString,
  ipsetInfo,
  kubeClusterIPSet,
  kubeExternalIPLocalSet,
  kubeExternalIPSet,
  kubeHealthCheckNodePortSet,
  kubeIPVSSet,
  kubeLoadBalancerFWSet,
  kubeLoadBalancerLocalSet,
  kubeLoadBalancerSet,
  kubeLoadBalancerSourceCIDRSet,
  kubeLoadBalancerSourceIPSet,
  kubeLoopBackIPSet,
  kubeNodePortLocalSetSCTP,
  kubeNodePortLocalSetTCP,
  kubeNodePortLocalSetUDP,
  kubeNodePortSetSCTP,
  kubeNodePortSetTCP,
  kubeNodePortSetUDP,
  type IPSet,
  type IPSetEntry,
} from './ipset';

export const kubeServicesChain = 'KUBE-SERVICES';
export const kubeProxyFirewallChain = 'KUBE-PROXY-FIREWALL';
export const kubeSourceRangesFirewallChain = 'KUBE-SOURCE-RANGES-FIREWALL';
export const kubePostroutingChain = 'KUBE-POSTROUTING';
export const kubeMarkMasqChain = 'KUBE-MARK-MASQ';
export const kubeNodePortChain = 'KUBE-NODE-PORT';
export const kubeForwardChain = 'KUBE-FORWARD';
export const kubeLoadBalancerChain = 'KUBE-LOAD-BALANCER';
export const kubeIPVSFilterChain = 'KUBE-IPVS-FILTER';
export const kubeIPVSOutFilterChain = 'KUBE-IPVS-OUT-FILTER';
/** The dummy interface every ClusterIP (and external/LB IP not on another interface) is bound to. */
export const defaultDummyDevice = 'kube-ipvs0';
export const defaultScheduler = 'rr';

/**
 * IPVS schedulers kube-proxy passes through to the kernel (`--ipvs-scheduler`): rr round-robin,
 * wrr weighted round-robin, lc least-connection, wlc weighted least-connection, lblc / lblcr
 * locality-based, dh destination hashing, sh source hashing, sed shortest expected delay,
 * nq never queue, mh Maglev hashing (which also sets the source-hash flag).
 */
export type IPVSScheduler = 'rr' | 'wrr' | 'lc' | 'wlc' | 'lblc' | 'lblcr' | 'dh' | 'sh' | 'sed' | 'nq' | 'mh';

export interface RealServer {
  address: string;
  port: number;
  /** Always 1: kube-proxy gives every endpoint the same weight. */
  weight: number;
}

export interface VirtualServer {
  address: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  scheduler: string;
  /** `persistent` for ClientIP affinity (FlagPersistent), `hashed` for mh (FlagSourceHash). */
  flags: ('persistent' | 'hashed')[];
  /** Persistence timeout in seconds (the affinity's timeoutSeconds); 0 without affinity. */
  timeout: number;
  realServers: RealServer[];
  /** The service port it serves (`ns/name:port`), for views; not part of the kernel object. */
  service: string;
}

export interface SyncIPVSOptions {
  services: Service[];
  endpointSlices: EndpointSlice[];
  nodeName: string;
  /** The node's addresses outside kube-ipvs0, primary first; NodePort virtual servers bind to these. */
  nodeIPs?: string[];
  scheduler?: IPVSScheduler | string;
  podCIDR?: string;
  clusterCIDR?: string;
  detectLocalMode?: LocalMode;
  bridgeInterface?: string;
  interfaceNamePrefix?: string;
  masqueradeBit?: number;
  masqueradeMark?: string;
  masqueradeAll?: boolean;
  nodePortAddresses?: string[];
  nodeLabels?: Record<string, string>;
  randomFully?: boolean;
  ipFamily?: IPFamily;
}

export interface SyncIPVSResult {
  /** In the order the sync created them. */
  virtualServers: VirtualServer[];
  /** Addresses bound to kube-ipvs0 (each as a /32 or /128). */
  dummyAddresses: string[];
  /** Every set of ipsetInfo, in its order, with its entries. */
  ipsets: IPSet[];
  nat: string;
  filter: string;
}

/** VirtualServer.String(): `ip:port/PROTO`. */
export function virtualServerString(vs: Pick<VirtualServer, 'address' | 'port' | 'protocol'>): string {
  return `${joinHostPort(vs.address, vs.port)}/${vs.protocol}`;
}

// Upstream: pkg/proxy/ipvs/proxier.go (Proxier.syncProxyRules), a first sync on a clean node.
export function syncIPVSProxyRules(opts: SyncIPVSOptions): SyncIPVSResult {
  const ipFamily = opts.ipFamily ?? 'IPv4';
  const scheduler = opts.scheduler || defaultScheduler;
  const mark = opts.masqueradeMark ?? masqueradeMarkFor(opts.masqueradeBit ?? 14);
  const nodeIP = opts.nodeIPs?.[0] ?? '';
  const detector = newLocalDetector(opts);
  const svcPortMap = buildServicePortMap(opts.services, ipFamily);
  const endpointsMap = buildEndpointsMap(opts.endpointSlices, { nodeName: opts.nodeName, ipFamily });
  const sets = new Map(ipsetInfo.map((i) => [i.name, new Set<string>()]));
  const add = (set: string, e: IPSetEntry) => sets.get(set)!.add(ipsetEntryString(e));
  const virtualServers: VirtualServer[] = [];
  const activeBindAddrs = new Set<string>();
  const lbNoNodeAccess: { ip: string; protocol: string; port: number }[] = [];

  // Addresses on the node's other interfaces (loopback left out: see README).
  const nodeAddressSet = new Set((opts.nodeIPs ?? []).filter((ip) => ipFamilyOf(ip) === ipFamily));
  const hasNodePort = [...svcPortMap.values()].some((s) => s.nodePort !== 0);
  let nodeIPs: string[] = [];
  if (hasNodePort) {
    const npa = newNodePortAddresses(ipFamily, opts.nodePortAddresses, nodeIP);
    nodeIPs = npa.matchAll ? [...nodeAddressSet] : getNodeIPs(npa, [...nodeAddressSet]).filter((ip) => !ip.startsWith('127.') && ip !== '::1');
  }

  for (const [key, svc] of svcPortMap) {
    const protocol = svc.protocol.toLowerCase();
    const endpoints = endpointsMap.get(key) ?? [];
    const cat = categorizeEndpoints(endpoints, svc, opts.nodeName, opts.nodeLabels ?? {});

    // Hairpin: a local endpoint reaching its own Service is masqueraded in POSTROUTING.
    for (const ep of endpoints) {
      if (ep.isLocal) add(kubeLoopBackIPSet, { ip: ep.ip, port: ep.port, protocol, ip2: ep.ip, setType: 'hash:ip,port,ip' });
    }

    const newVS = (address: string, port: number): VirtualServer => {
      const flags: VirtualServer['flags'] = [];
      if (svc.sessionAffinityType === 'ClientIP') flags.push('persistent');
      if (scheduler === 'mh') flags.push('hashed');
      return {
        address, port, protocol: svc.protocol, scheduler, flags,
        timeout: svc.sessionAffinityType === 'ClientIP' ? svc.stickyMaxAgeSeconds : 0, realServers: [], service: svc.nameString,
      };
    };
    // Upstream: syncEndpoint. With a Local policy and no local endpoint, the cluster endpoints
    // are still used so local pods can reach the Service (kubernetes#97081).
    const syncEndpoint = (vs: VirtualServer, onlyNodeLocal: boolean) => {
      const eps = onlyNodeLocal && cat.localEndpoints.length > 0 ? cat.localEndpoints : cat.clusterEndpoints;
      vs.realServers = eps.map((e) => ({ address: e.ip, port: e.port, weight: 1 }));
      virtualServers.push(vs);
    };

    add(kubeClusterIPSet, { ip: svc.clusterIP, port: svc.port, protocol, setType: 'hash:ip,port' });
    syncEndpoint(newVS(svc.clusterIP, svc.port), svc.internalPolicyLocal);
    activeBindAddrs.add(svc.clusterIP);

    for (const externalIP of svc.externalIPs) {
      add(svc.externalPolicyLocal ? kubeExternalIPLocalSet : kubeExternalIPSet, { ip: externalIP, port: svc.port, protocol, setType: 'hash:ip,port' });
      // An address that already lives on another interface must not be bound again.
      const shouldBind = !nodeAddressSet.has(externalIP);
      syncEndpoint(newVS(externalIP, svc.port), svc.externalPolicyLocal);
      if (shouldBind) activeBindAddrs.add(externalIP);
    }

    for (const ingress of svc.loadBalancerVIPs) {
      const entry: IPSetEntry = { ip: ingress, port: svc.port, protocol, setType: 'hash:ip,port' };
      add(kubeLoadBalancerSet, entry);
      if (svc.externalPolicyLocal) add(kubeLoadBalancerLocalSet, entry);
      if (svc.loadBalancerSourceRanges.length > 0) {
        add(kubeLoadBalancerFWSet, entry);
        let allowFromNode = false;
        for (const cidr of svc.loadBalancerSourceRanges) {
          add(kubeLoadBalancerSourceCIDRSet, { ip: ingress, port: svc.port, protocol, net: cidr, setType: 'hash:ip,port,net' });
          if (nodeIP && cidrContains(cidr, nodeIP)) allowFromNode = true;
        }
        // A node's request to a VIP it hosts loops back with the VIP as source.
        if (allowFromNode) add(kubeLoadBalancerSourceIPSet, { ip: ingress, port: svc.port, protocol, ip2: ingress, setType: 'hash:ip,port,ip' });
        else lbNoNodeAccess.push({ ip: ingress, protocol, port: svc.port });
      }
      const shouldBind = !nodeAddressSet.has(ingress);
      syncEndpoint(newVS(ingress, svc.port), svc.externalPolicyLocal);
      if (shouldBind) activeBindAddrs.add(ingress);
    }

    if (svc.nodePort !== 0 && nodeIPs.length > 0) {
      writeNodePortSets(svc, protocol, nodeIPs, add);
      for (const ip of nodeIPs) syncEndpoint(newVS(ip, svc.nodePort), svc.externalPolicyLocal);
    }

    if (svc.healthCheckNodePort !== 0) add(kubeHealthCheckNodePortSet, { port: svc.healthCheckNodePort, protocol: 'tcp', setType: 'bitmap:port' });
  }

  for (const a of activeBindAddrs) sets.get(kubeIPVSSet)!.add(a);
  const ipsets: IPSet[] = ipsetInfo.map((i) => ({ ...i, entries: [...sets.get(i.name)!].sort() }));
  const tables = writeIptablesRules({
    ipsets: new Map(ipsets.map((s) => [s.name, s])), mark, ipFamily, masqueradeAll: opts.masqueradeAll ?? false,
    ifNotLocal: detector.isImplemented ? detector.ifNotLocal : undefined, randomFully: opts.randomFully ?? true, lbNoNodeAccess,
  });
  return { virtualServers, dummyAddresses: [...activeBindAddrs], ipsets, ...tables };
}

function writeNodePortSets(svc: ServicePortInfo, protocol: string, nodeIPs: string[], add: (set: string, e: IPSetEntry) => void): void {
  // SCTP sets are hash:ip,port, one entry per node IP; TCP and UDP use bitmap:port.
  const entries: IPSetEntry[] = protocol === 'sctp'
    ? nodeIPs.map((ip) => ({ ip, port: svc.nodePort, protocol, setType: 'hash:ip,port' }))
    : [{ port: svc.nodePort, protocol, setType: 'bitmap:port' }];
  const set = { tcp: kubeNodePortSetTCP, udp: kubeNodePortSetUDP, sctp: kubeNodePortSetSCTP }[protocol]!;
  const localSet = { tcp: kubeNodePortLocalSetTCP, udp: kubeNodePortLocalSetUDP, sctp: kubeNodePortLocalSetSCTP }[protocol]!;
  for (const e of entries) add(set, e);
  if (svc.externalPolicyLocal) for (const e of entries) add(localSet, e);
}

/** Upstream: pkg/proxy/ipvs/proxier.go (iptablesChains), in its order. */
const natChainNames = [kubeServicesChain, kubePostroutingChain, kubeNodePortChain, kubeLoadBalancerChain, kubeMarkMasqChain];
const filterChainNames = [kubeForwardChain, kubeNodePortChain, kubeProxyFirewallChain, kubeSourceRangesFirewallChain, kubeIPVSFilterChain, kubeIPVSOutFilterChain];

/** Upstream: pkg/proxy/ipvs/proxier.go (ipsetWithIptablesChain): KUBE-NODE-PORT-LOCAL-* before KUBE-NODE-PORT-*. */
const ipsetWithIptablesChain: { name: string; table: 'nat' | 'filter'; from: string; to: string; matchType: string; protocolMatch: string }[] = [
  { name: kubeLoopBackIPSet, table: 'nat', from: kubePostroutingChain, to: 'MASQUERADE', matchType: 'dst,dst,src', protocolMatch: '' },
  { name: kubeLoadBalancerSet, table: 'nat', from: kubeServicesChain, to: kubeLoadBalancerChain, matchType: 'dst,dst', protocolMatch: '' },
  { name: kubeLoadBalancerLocalSet, table: 'nat', from: kubeLoadBalancerChain, to: 'RETURN', matchType: 'dst,dst', protocolMatch: '' },
  { name: kubeNodePortLocalSetTCP, table: 'nat', from: kubeNodePortChain, to: 'RETURN', matchType: 'dst', protocolMatch: 'tcp' },
  { name: kubeNodePortSetTCP, table: 'nat', from: kubeNodePortChain, to: kubeMarkMasqChain, matchType: 'dst', protocolMatch: 'tcp' },
  { name: kubeNodePortLocalSetUDP, table: 'nat', from: kubeNodePortChain, to: 'RETURN', matchType: 'dst', protocolMatch: 'udp' },
  { name: kubeNodePortSetUDP, table: 'nat', from: kubeNodePortChain, to: kubeMarkMasqChain, matchType: 'dst', protocolMatch: 'udp' },
  { name: kubeNodePortLocalSetSCTP, table: 'nat', from: kubeNodePortChain, to: 'RETURN', matchType: 'dst,dst', protocolMatch: 'sctp' },
  { name: kubeNodePortSetSCTP, table: 'nat', from: kubeNodePortChain, to: kubeMarkMasqChain, matchType: 'dst,dst', protocolMatch: 'sctp' },
  { name: kubeLoadBalancerFWSet, table: 'filter', from: kubeProxyFirewallChain, to: kubeSourceRangesFirewallChain, matchType: 'dst,dst', protocolMatch: '' },
  { name: kubeLoadBalancerSourceCIDRSet, table: 'filter', from: kubeSourceRangesFirewallChain, to: 'RETURN', matchType: 'dst,dst,src', protocolMatch: '' },
  { name: kubeLoadBalancerSourceIPSet, table: 'filter', from: kubeSourceRangesFirewallChain, to: 'RETURN', matchType: 'dst,dst,src', protocolMatch: '' },
];

interface WriteContext {
  ipsets: Map<string, IPSet>;
  mark: string;
  ipFamily: IPFamily;
  masqueradeAll: boolean;
  /** The local detector's "not from a pod" match, or undefined for the no-op detector. */
  ifNotLocal?: string[];
  randomFully: boolean;
  lbNoNodeAccess: { ip: string; protocol: string; port: number }[];
}

// Upstream: pkg/proxy/ipvs/proxier.go (Proxier.writeIptablesRules, acceptIPVSTraffic)
function writeIptablesRules(ctx: WriteContext): { nat: string; filter: string } {
  const nat = new LineBuffer();
  const filter = new LineBuffer();
  const empty = (name: string) => ctx.ipsets.get(name)!.entries.length === 0;
  const matchSet = (name: string) => ['-m', 'comment', '--comment', ipsetComment(name), '-m', 'set', '--match-set', name];

  // Connections from localhost never reach a Service through IPVS: leave them early.
  nat.write('-A', kubeServicesChain, '-s', ctx.ipFamily === 'IPv6' ? '::1/128' : '127.0.0.0/8', '-j', 'RETURN');

  for (const s of ipsetWithIptablesChain) {
    if (empty(s.name)) continue;
    const args = ['-A', s.from, s.protocolMatch ? ['-p', s.protocolMatch] : [], matchSet(s.name), s.matchType, '-j', s.to];
    (s.table === 'filter' ? filter : nat).write(...args);
  }

  if (!empty(kubeClusterIPSet)) {
    const args = ['-A', kubeServicesChain, ...matchSet(kubeClusterIPSet)];
    if (ctx.masqueradeAll) nat.write(args, 'dst,dst', '-j', kubeMarkMasqChain);
    // Off-cluster traffic to a VIP (a static route to any node) may bounce off-node: masquerade it.
    else if (ctx.ifNotLocal) nat.write(args, 'dst,dst', ctx.ifNotLocal, '-j', kubeMarkMasqChain);
    // The node picks a VIP from kube-ipvs0 as source for its own connections to a VIP.
    else nat.write(args, 'src,dst', '-j', kubeMarkMasqChain);
  }

  // Upstream: writeIptablesRules (externalIPRules): accept external-IP traffic from off the node,
  // or to an address the node itself owns.
  const externalIPRules = (args: string[]) => {
    nat.write(args, '-m', 'physdev', '!', '--physdev-is-in', '-m', 'addrtype', '!', '--src-type', 'LOCAL', '-j', 'ACCEPT');
    nat.write(args, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'ACCEPT');
  };
  if (!empty(kubeExternalIPSet)) {
    const args = ['-A', kubeServicesChain, ...matchSet(kubeExternalIPSet), 'dst,dst'];
    nat.write(args, '-j', kubeMarkMasqChain);
    externalIPRules(args);
  }
  if (!empty(kubeExternalIPLocalSet)) externalIPRules(['-A', kubeServicesChain, ...matchSet(kubeExternalIPLocalSet), 'dst,dst']);

  nat.write('-A', kubeServicesChain, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', kubeNodePortChain);
  nat.write('-A', kubeLoadBalancerChain, '-j', kubeMarkMasqChain);
  filter.write('-A', kubeSourceRangesFirewallChain, '-j', 'DROP');
  // Without a source range holding the node IP, the node must not reach the LB VIP either (kubernetes#119656).
  for (const e of ctx.lbNoNodeAccess) {
    filter.write('-A', kubeIPVSOutFilterChain, '-s', e.ip, '-m', 'ipvs', '--vaddr', e.ip, '--vproto', e.protocol, '--vport', String(e.port), '-j', 'DROP');
  }

  // Upstream: acceptIPVSTraffic. Other rules must not block what IPVS will handle.
  for (const name of [kubeClusterIPSet, kubeLoadBalancerSet]) {
    if (!empty(name)) nat.write('-A', kubeServicesChain, '-m', 'set', '--match-set', name, 'dst,dst', '-j', 'ACCEPT');
  }

  filter.write('-A', kubeForwardChain, '-m', 'comment', '--comment', '"kubernetes forwarding rules"', '-m', 'mark', '--mark', `${ctx.mark}/${ctx.mark}`, '-j', 'ACCEPT');
  filter.write('-A', kubeForwardChain, '-m', 'comment', '--comment', '"kubernetes forwarding conntrack rule"', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT');
  filter.write('-A', kubeNodePortChain, matchSet(kubeHealthCheckNodePortSet), 'dst', '-j', 'ACCEPT');

  // Ports of the host must not be reachable through a VIP bound to kube-ipvs0 (kubernetes#72236).
  for (const name of [kubeLoadBalancerSet, kubeClusterIPSet, kubeExternalIPSet, kubeExternalIPLocalSet]) {
    filter.write('-A', kubeIPVSFilterChain, '-m', 'set', '--match-set', name, 'dst,dst', '-j', 'RETURN');
  }
  filter.write('-A', kubeIPVSFilterChain, '-m', 'set', '--match-set', kubeHealthCheckNodePortSet, 'dst', '-j', 'RETURN');
  filter.write('-A', kubeIPVSFilterChain, '-m', 'conntrack', '--ctstate', 'NEW', '-m', 'set', '--match-set', kubeIPVSSet, 'dst', '-j', 'REJECT');

  nat.write('-A', kubePostroutingChain, '-m', 'mark', '!', '--mark', `${ctx.mark}/${ctx.mark}`, '-j', 'RETURN');
  nat.write('-A', kubePostroutingChain, '-j', 'MARK', '--xor-mark', ctx.mark);
  nat.write('-A', kubePostroutingChain, '-m', 'comment', '--comment', '"kubernetes service traffic requiring SNAT"', '-j', 'MASQUERADE', ctx.randomFully ? ['--random-fully'] : []);
  nat.write('-A', kubeMarkMasqChain, '-j', 'MARK', '--or-mark', ctx.mark);

  const chains = (names: string[]) => names.map(makeChainLine).join('\n');
  return {
    nat: `*nat\n${chains(natChainNames)}\n${nat.text()}COMMIT\n`,
    filter: `*filter\n${chains(filterChainNames)}\n${filter.text()}COMMIT\n`,
  };
}
