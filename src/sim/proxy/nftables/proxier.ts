/**
 * The nftables proxier's sync, as one pure function: after pkg/proxy/nftables/proxier.go
 * (Proxier.setupNFTables, syncProxyRules, writeServiceToEndpointRules) at v1.34. It returns the
 * `kube-proxy` table as a full sync leaves it: one transaction in upstream's test format and
 * the listing `nft list table ip kube-proxy` prints.
 */
import type { EndpointInfo } from '../endpoint';
import { buildEndpointsMap } from '../endpointslicecache';
import type { ChainProtocol } from '../iptables/chains';
import { masqueradeMarkFor, type SyncProxyRulesOptions } from '../iptables/proxier';
import { buildServicePortMap, externallyAccessible, usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from '../serviceport';
import { categorizeEndpoints } from '../topology';
import { cidrContains } from '../util/ip';
import { newLocalDetector, type LocalTrafficDetector } from '../util/localdetector';
import { getNodeIPs, newNodePortAddresses, type NodePortAddresses } from '../util/nodeport_addresses';
import * as n from './names';
import { addElement, addRule, countNFTables, ensureChain, newNFTable, nftDump, nftListTable, type NFTable, type NFTChain, type NFTCounts } from './table';

export interface SyncNFTablesOptions extends SyncProxyRulesOptions {
  /** The ServiceCIDRs of this family: traffic to an unallocated address in them is dropped. */
  serviceCIDRs?: string[];
}

export interface SyncNFTablesResult {
  table: NFTable;
  /** The transaction as knftables' fake records it (`add chain ip kube-proxy ...`). */
  dump: string;
  /** `nft list table ip kube-proxy` after the sync (printed on first read). */
  readonly listTable: string;
  counts: NFTCounts;
}

type BaseChain = Required<Pick<NFTChain, 'type' | 'hook' | 'priority'>> & { name: string };

// Upstream: pkg/proxy/nftables/proxier.go (nftablesBaseChains). Filtering on the pre-DNAT
// destination runs at dstnat-10; the endpoint checks at filter priority, after DNAT, so that
// traffic short-circuited to a pod is not rejected (v1.34, PR 132456).
const nftablesBaseChains: BaseChain[] = [
  { name: n.filterPreroutingPreDNATChain, type: 'filter', hook: 'prerouting', priority: -110 },
  { name: n.filterOutputPreDNATChain, type: 'filter', hook: 'output', priority: -110 },
  { name: n.filterForwardChain, type: 'filter', hook: 'forward', priority: 0 },
  { name: n.filterInputChain, type: 'filter', hook: 'input', priority: 0 },
  { name: n.filterOutputChain, type: 'filter', hook: 'output', priority: 0 },
  { name: n.natPreroutingChain, type: 'nat', hook: 'prerouting', priority: -100 },
  { name: n.natOutputChain, type: 'nat', hook: 'output', priority: -100 },
  { name: n.natPostroutingChain, type: 'nat', hook: 'postrouting', priority: 100 },
];

// Upstream: pkg/proxy/nftables/proxier.go (nftablesJumpChains): [destination, source, match].
const nftablesJumpChains: [string, string, string][] = [
  [n.nodePortEndpointsCheckChain, n.filterInputChain, 'ct state new'],
  [n.serviceEndpointsCheckChain, n.filterInputChain, 'ct state new'],
  [n.serviceEndpointsCheckChain, n.filterForwardChain, 'ct state new'],
  [n.serviceEndpointsCheckChain, n.filterOutputChain, 'ct state new'],
  [n.firewallCheckChain, n.filterPreroutingPreDNATChain, 'ct state new'],
  [n.firewallCheckChain, n.filterOutputPreDNATChain, 'ct state new'],
  [n.servicesChain, n.natOutputChain, ''],
  [n.servicesChain, n.natPreroutingChain, ''],
  [n.masqueradingChain, n.natPostroutingChain, ''],
  [n.clusterIPsCheckChain, n.filterForwardChain, 'ct state new'],
  [n.clusterIPsCheckChain, n.filterOutputChain, 'ct state new'],
];

const concat = (...parts: (string | number | string[])[]) => parts.flat().filter((p) => p !== '').join(' ');

// Upstream: pkg/proxy/util/localdetector.go (IfLocalNFT, IfNotLocalNFT), from the iptables form.
function nftLocalMatch(detector: LocalTrafficDetector, ipX: string, local: boolean): string {
  const args = local ? detector.ifLocal : detector.ifNotLocal;
  const neg = args[0] === '!' ? '!= ' : '';
  const [flag, value] = neg ? args.slice(1) : args;
  if (flag === '-s') return `${ipX} saddr ${neg}${value}`;
  return `iifname ${neg}${value.endsWith('+') ? `${value.slice(0, -1)}*` : value}`;
}

interface SyncContext {
  table: NFTable;
  ipX: 'ip' | 'ip6';
  mark: string;
  detector: LocalTrafficDetector;
  masqueradeAll: boolean;
  nodeIP: string;
}

// Upstream: pkg/proxy/nftables/proxier.go (Proxier.syncProxyRules), a full sync on a fresh node.
export function syncNFTablesProxyRules(opts: SyncNFTablesOptions): SyncNFTablesResult {
  const ipFamily = opts.ipFamily ?? 'IPv4';
  const ipX = ipFamily === 'IPv6' ? 'ip6' : 'ip';
  const nodeIPs = opts.nodeIPs ?? [];
  const table = newNFTable(ipX, n.kubeProxyTable, 'rules for kube-proxy');
  const ctx: SyncContext = {
    table,
    ipX,
    mark: opts.masqueradeMark ?? masqueradeMarkFor(opts.masqueradeBit ?? 14),
    detector: newLocalDetector(opts),
    masqueradeAll: opts.masqueradeAll ?? false,
    nodeIP: nodeIPs[0] ?? '',
  };
  // Upstream: cmd/kube-proxy/app/server_linux.go (platformApplyDefaults): in nftables mode an
  // empty nodePortAddresses means the node's primary IPs, not every local address.
  const npaSpecs = opts.nodePortAddresses?.length ? opts.nodePortAddresses : ['primary'];
  const npa = newNodePortAddresses(ipFamily, npaSpecs, ctx.nodeIP);
  setupNFTables(ctx, npa, nodeIPs, opts.serviceCIDRs ?? []);

  const svcPortMap = buildServicePortMap(opts.services, ipFamily);
  const endpointsMap = buildEndpointsMap(opts.endpointSlices, { nodeName: opts.nodeName, ipFamily });
  for (const [key, svc] of svcPortMap) {
    const eps = categorizeEndpoints(endpointsMap.get(key) ?? [], svc, opts.nodeName, opts.nodeLabels ?? {});
    writeServicePort(ctx, svc, eps);
  }
  let listing: string | undefined;
  return {
    table,
    dump: nftDump(table),
    get listTable() {
      return (listing ??= nftListTable(table));
    },
    counts: countNFTables(table),
  };
}

// Upstream: pkg/proxy/nftables/proxier.go (Proxier.setupNFTables)
function setupNFTables(ctx: SyncContext, npa: NodePortAddresses, nodeIPs: string[], serviceCIDRs: string[]): void {
  const { table, ipX, mark } = ctx;
  const addrType = ipX === 'ip' ? 'ipv4_addr' : 'ipv6_addr';
  const noLocalhost = ipX === 'ip' ? 'ip daddr != 127.0.0.0/8' : 'ip6 daddr != ::1';
  for (const bc of nftablesBaseChains) ensureChain(table, bc.name, { type: bc.type, hook: bc.hook, priority: bc.priority });
  for (const [dst, src, match] of nftablesJumpChains) {
    ensureChain(table, dst);
    addRule(table, src, concat(match, 'jump', dst));
  }
  for (const c of [n.servicesChain, n.clusterIPsCheckChain, n.masqueradingChain, n.markMasqChain]) ensureChain(table, c);

  addRule(table, n.markMasqChain, `mark set mark or ${mark}`);
  addRule(table, n.masqueradingChain, `mark and ${mark} == 0 return`);
  // Clear the mark: a packet re-entering the stack (VXLAN) must not be masqueraded twice.
  addRule(table, n.masqueradingChain, `mark set mark xor ${mark}`);
  addRule(table, n.masqueradingChain, 'masquerade fully-random');

  const set = (kind: 'set' | 'map', name: string, type: string, comment: string) =>
    table.sets.set(name, { kind, name, type, comment, elements: [] });
  set('set', n.clusterIPsSet, addrType, 'Active ClusterIPs');
  addRule(table, n.clusterIPsCheckChain, `${ipX} daddr @${n.clusterIPsSet} reject`, 'Reject traffic to invalid ports of ClusterIPs');
  if (serviceCIDRs.length > 0) {
    addRule(table, n.clusterIPsCheckChain, `${ipX} daddr { ${serviceCIDRs.join(',')} } drop`, 'Drop traffic to unallocated ClusterIPs');
  }

  if (!npa.matchAll) {
    set('set', n.nodePortIPsSet, addrType, 'IPs that accept NodePort traffic');
    const interfaceAddrs = [ipX === 'ip' ? '127.0.0.1' : '::1', ...nodeIPs];
    // Loopback is skipped with an error log: nftables mode has no localhost NodePorts.
    for (const ip of getNodeIPs(npa, interfaceAddrs)) if (ip !== '::1' && !ip.startsWith('127.')) addElement(table, n.nodePortIPsSet, { key: [ip] });
  }

  const tuple = `${addrType} . inet_proto . inet_service : verdict`;
  set('map', n.noEndpointServicesMap, tuple, 'vmap to drop or reject packets to services with no endpoints');
  set('map', n.noEndpointNodePortsMap, 'inet_proto . inet_service : verdict', 'vmap to drop or reject packets to service nodeports with no endpoints');
  ensureChain(table, n.rejectChain, { comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' });
  addRule(table, n.rejectChain, 'reject');
  addRule(table, n.serviceEndpointsCheckChain, `${ipX} daddr . meta l4proto . th dport vmap @${n.noEndpointServicesMap}`);
  const nodePortDest = npa.matchAll ? noLocalhost : `${ipX} daddr @${n.nodePortIPsSet}`;
  addRule(table, n.nodePortEndpointsCheckChain, `${nodePortDest} meta l4proto . th dport vmap @${n.noEndpointNodePortsMap}`);

  set('map', n.firewallIPsMap, tuple, 'destinations that are subject to LoadBalancerSourceRanges');
  addRule(table, n.firewallCheckChain, `${ipX} daddr . meta l4proto . th dport vmap @${n.firewallIPsMap}`);

  set('map', n.serviceIPsMap, tuple, 'ClusterIP, ExternalIP and LoadBalancer IP traffic');
  set('map', n.serviceNodePortsMap, 'inet_proto . inet_service : verdict', 'NodePort traffic');
  addRule(table, n.servicesChain, `${ipX} daddr . meta l4proto . th dport vmap @${n.serviceIPsMap}`);
  const nodePortMatch = npa.matchAll ? `fib daddr type local ${noLocalhost}` : `${ipX} daddr @${n.nodePortIPsSet}`;
  addRule(table, n.servicesChain, `${nodePortMatch} meta l4proto . th dport vmap @${n.serviceNodePortsMap}`);
}

/** The per-service-port names upstream computes once in newServiceInfo / newEndpointInfo. */
function namesOf(svc: ServicePortInfo) {
  const protocol = svc.protocol.toLowerCase() as ChainProtocol;
  const base = n.servicePortChainNameBase(svc.name, protocol);
  // Upstream hashes once per endpoint in newEndpointInfo; the model hashes once per sync.
  const endpointBases = new Map<EndpointInfo, string>();
  return {
    protocol,
    cluster: n.servicePortPolicyClusterChainNamePrefix + base,
    local: n.servicePortPolicyLocalChainNamePrefix + base,
    external: n.serviceExternalChainNamePrefix + base,
    firewall: n.servicePortFirewallChainNamePrefix + base,
    endpoint: (ep: EndpointInfo) => {
      let b = endpointBases.get(ep);
      if (b === undefined) endpointBases.set(ep, (b = n.servicePortEndpointChainNameBase(svc.name, protocol, ep.endpoint)));
      return b;
    },
  };
}

// Upstream: pkg/proxy/nftables/proxier.go (the body of syncProxyRules' loop over svcPortMap)
function writeServicePort(ctx: SyncContext, svc: ServicePortInfo, eps: ReturnType<typeof categorizeEndpoints>): void {
  const { table, ipX } = ctx;
  const names = namesOf(svc);
  const { protocol } = names;
  const port = String(svc.port);
  const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints: hasEndpoints } = eps;
  const affinity = svc.sessionAffinityType === 'ClientIP';

  for (const ep of allReachableEndpoints) ensureChain(table, n.servicePortEndpointChainNamePrefix + names.endpoint(ep));
  const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(svc);
  if (usesClusterPolicyChain) ensureChain(table, names.cluster);
  const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(svc);
  if (usesLocalPolicyChain) ensureChain(table, names.local);

  let internalTrafficChain = names.cluster;
  let hasInternalEndpoints = hasEndpoints;
  if (svc.internalPolicyLocal) {
    internalTrafficChain = names.local;
    if (localEndpoints.length === 0) hasInternalEndpoints = false;
  }
  let externalPolicyChain = names.cluster;
  let hasExternalEndpoints = hasEndpoints;
  if (svc.externalPolicyLocal) {
    externalPolicyChain = names.local;
    if (localEndpoints.length === 0) hasExternalEndpoints = false;
  }
  // Needed even without externally usable endpoints, for the short-circuit rules.
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svc);
  if (usesExternalTrafficChain) ensureChain(table, names.external);

  let internalVerdict = '';
  let externalVerdict = '';
  if (!hasEndpoints) internalVerdict = externalVerdict = `goto ${n.rejectChain}`;
  else {
    if (!hasInternalEndpoints) internalVerdict = 'drop';
    if (!hasExternalEndpoints) externalVerdict = 'drop';
  }

  const key = (ip: string) => [ip, protocol, port];
  addElement(table, n.clusterIPsSet, { key: [svc.clusterIP] });
  if (hasInternalEndpoints) addElement(table, n.serviceIPsMap, { key: key(svc.clusterIP), value: [`goto ${internalTrafficChain}`] });
  else addElement(table, n.noEndpointServicesMap, { key: key(svc.clusterIP), value: [internalVerdict], comment: svc.nameString });

  for (const ip of svc.externalIPs) {
    if (hasEndpoints) addElement(table, n.serviceIPsMap, { key: key(ip), value: [`goto ${names.external}`] });
    if (!hasExternalEndpoints) addElement(table, n.noEndpointServicesMap, { key: key(ip), value: [externalVerdict], comment: svc.nameString });
  }

  const usesFWChain = svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;
  if (usesFWChain) ensureChain(table, names.firewall);
  for (const lbip of svc.loadBalancerVIPs) {
    if (hasEndpoints) addElement(table, n.serviceIPsMap, { key: key(lbip), value: [`goto ${names.external}`] });
    if (usesFWChain) addElement(table, n.firewallIPsMap, { key: key(lbip), value: [`goto ${names.firewall}`] });
  }
  if (!hasExternalEndpoints) {
    for (const lbip of svc.loadBalancerVIPs) {
      addElement(table, n.noEndpointServicesMap, { key: key(lbip), value: [externalVerdict], comment: svc.nameString });
    }
  }

  if (svc.nodePort !== 0) {
    const npKey = [protocol, String(svc.nodePort)];
    // NodePorts are not subject to loadBalancerSourceRanges, and never were.
    if (hasEndpoints) addElement(table, n.serviceNodePortsMap, { key: npKey, value: [`goto ${names.external}`] });
    if (!hasExternalEndpoints) addElement(table, n.noEndpointNodePortsMap, { key: npKey, value: [externalVerdict], comment: svc.nameString });
  }

  if (hasInternalEndpoints) {
    // Off-cluster traffic to a ClusterIP (a static route to any node) may bounce off-node: SNAT it.
    if (ctx.masqueradeAll) addRule(table, internalTrafficChain, `${ipX} daddr ${svc.clusterIP} jump ${n.markMasqChain}`);
    else if (ctx.detector.isImplemented) {
      addRule(table, internalTrafficChain, concat(ipX, 'daddr', svc.clusterIP, nftLocalMatch(ctx.detector, ipX, false), 'jump', n.markMasqChain));
    }
  }

  if (usesExternalTrafficChain) {
    if (!svc.externalPolicyLocal) addRule(table, names.external, `jump ${n.markMasqChain}`);
    else {
      if (ctx.detector.isImplemented) {
        // A pod going to an external address acts as if it left and came back in: no policy.
        addRule(table, names.external, concat(nftLocalMatch(ctx.detector, ipX, true), 'goto', names.cluster), 'short-circuit pod traffic');
      }
      // The node's own traffic has the LB IP, a local address, as source: it must be SNATed.
      addRule(table, names.external, `fib saddr type local jump ${n.markMasqChain}`, 'masquerade local traffic');
      addRule(table, names.external, `fib saddr type local goto ${names.cluster}`, 'short-circuit local traffic');
    }
    if (hasExternalEndpoints) addRule(table, names.external, `goto ${externalPolicyChain}`);
  }

  if (usesFWChain) {
    const sources: string[] = [];
    let allowFromNode = false;
    for (const cidr of svc.loadBalancerSourceRanges) {
      if (sources.length > 0) sources.push(',');
      sources.push(cidr);
      if (ctx.nodeIP && cidrContains(cidr, ctx.nodeIP)) allowFromNode = true;
    }
    // A VIP bound locally makes the node's own requests loop back with the VIP as source.
    if (allowFromNode) for (const lbip of svc.loadBalancerVIPs) sources.push(',', lbip);
    addRule(table, names.firewall, concat(ipX, 'saddr', '!=', '{', sources, '}', 'drop'));
  }

  if (affinity) {
    for (const ep of allReachableEndpoints) {
      const name = n.servicePortEndpointAffinityNamePrefix + names.endpoint(ep);
      table.sets.set(name, {
        kind: 'set', name, type: ipX === 'ip' ? 'ipv4_addr' : 'ipv6_addr', flags: ['dynamic', 'timeout'], timeoutSeconds: svc.stickyMaxAgeSeconds, elements: [],
      });
    }
  }

  if (usesClusterPolicyChain) writeServiceToEndpointRules(ctx, svc, names, names.cluster, clusterEndpoints);
  if (usesLocalPolicyChain) writeServiceToEndpointRules(ctx, svc, names, names.local, localEndpoints);

  for (const ep of allReachableEndpoints) {
    const base = names.endpoint(ep);
    const chain = n.servicePortEndpointChainNamePrefix + base;
    // Hairpin: a pod reaching itself through the Service must see a different source.
    addRule(table, chain, `${ipX} saddr ${ep.ip} jump ${n.markMasqChain}`);
    if (affinity) addRule(table, chain, `update @${n.servicePortEndpointAffinityNamePrefix}${base} { ${ipX} saddr }`);
    addRule(table, chain, `meta l4proto ${protocol} dnat to ${ep.endpoint}`);
  }
}

// Upstream: pkg/proxy/nftables/proxier.go (Proxier.writeServiceToEndpointRules): affinity
// lookups first, then one numgen vmap choosing among all endpoints with equal weight.
function writeServiceToEndpointRules(ctx: SyncContext, svc: ServicePortInfo, names: ReturnType<typeof namesOf>, svcChain: string, endpoints: EndpointInfo[]): void {
  const { table, ipX } = ctx;
  if (svc.sessionAffinityType === 'ClientIP') {
    for (const ep of endpoints) {
      const base = names.endpoint(ep);
      addRule(table, svcChain, `${ipX} saddr @${n.servicePortEndpointAffinityNamePrefix}${base} goto ${n.servicePortEndpointChainNamePrefix}${base}`);
    }
  }
  const elements: string[] = [];
  endpoints.forEach((ep, i) => {
    elements.push(String(i), ':', 'goto', n.servicePortEndpointChainNamePrefix + names.endpoint(ep));
    if (i !== endpoints.length - 1) elements.push(',');
  });
  addRule(table, svcChain, concat('numgen random mod', endpoints.length, 'vmap', '{', elements, '}'));
}
