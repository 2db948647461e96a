/**
 * The iptables proxier's sync, as one pure function: after pkg/proxy/iptables/proxier.go
 * (Proxier.syncProxyRules, writeServiceToEndpointRules) at v1.34. It returns the text kube-proxy
 * hands to `iptables-restore --noflush`, table by table, in the order kube-proxy writes it.
 */
import type { IPFamily, Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import type { EndpointInfo } from '../endpoint';
import { buildEndpointsMap } from '../endpointslicecache';
import { buildServicePortMap, externallyAccessible, usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from '../serviceport';
import { categorizeEndpoints } from '../topology';
import { newLocalDetector, type LocalMode, type LocalTrafficDetector } from '../util/localdetector';
import { getNodeIPs, newNodePortAddresses } from '../util/nodeport_addresses';
import { cidrContains } from '../util/ip';
import {
  type ChainProtocol,
  kubeExternalServicesChain,
  kubeForwardChain,
  kubeMarkMasqChain,
  kubeNodePortsChain,
  kubePostroutingChain,
  kubeProxyFirewallChain,
  kubeServicesChain,
  kubeletFirewallChain,
  largeClusterEndpointsThreshold,
  probability,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortEndpointChainName,
  servicePortPolicyClusterChain,
  servicePortPolicyLocalChainName,
} from './chains';
import { LineBuffer, makeChainLine } from './linebuffer';

/** Upstream: pkg/proxy/metrics (the nfacct counters kube-proxy creates). */
export const IPTablesCTStateInvalidDroppedNFAcctCounter = 'ct_state_invalid_dropped_pkts';
export const LocalhostNodePortAcceptedNFAcctCounter = 'localhost_nps_accepted_pkts';

export interface SyncProxyRulesOptions {
  services: Service[];
  endpointSlices: EndpointSlice[];
  /** This node: endpoints with this nodeName are local. */
  nodeName: string;
  /** The node's addresses, primary first (upstream's nodeIP, and the interfaces for nodePortAddresses). */
  nodeIPs?: string[];
  /** This node's spec.podCIDR (the NodeCIDR local-traffic detector). */
  podCIDR?: string;
  /** kube-proxy's clusterCIDR (the ClusterCIDR local-traffic detector, kube-proxy's default mode). */
  clusterCIDR?: string;
  /** Omitted: ClusterCIDR, or NodeCIDR when only podCIDR is given. */
  detectLocalMode?: LocalMode;
  bridgeInterface?: string;
  interfaceNamePrefix?: string;
  /** The bit of the fwmark meaning "masquerade me"; kube-proxy's default is 14. */
  masqueradeBit?: number;
  /** Overrides the mark text (upstream's fake proxier writes `0x4000`; kube-proxy formats `%#08x`). */
  masqueradeMark?: string;
  /** SNAT every packet to a ClusterIP (`--masquerade-all`). */
  masqueradeAll?: boolean;
  /** `iptables.localhostNodePorts`, true by default. */
  localhostNodePorts?: boolean;
  /** `--nodeport-addresses`: CIDRs or `primary`; empty means every local address. */
  nodePortAddresses?: string[];
  /** This node's labels; `topology.kubernetes.io/zone` drives zone hints. */
  nodeLabels?: Record<string, string>;
  /** iptables has `--random-fully` (true on any iptables >= 1.6.2). */
  randomFully?: boolean;
  /** The nfacct counters could be created (true on kernels with nfnetlink_acct). */
  nfacct?: boolean;
  /** The kernel's nf_conntrack_tcp_be_liberal is set: no DROP of INVALID packets. */
  conntrackTCPLiberal?: boolean;
  ipFamily?: IPFamily;
}

export interface SyncProxyRulesResult {
  /** `*nat` ... `COMMIT`, as written to iptables-restore. */
  nat: string;
  /** `*filter` ... `COMMIT`, as written to iptables-restore. */
  filter: string;
  /** Upstream's sync_proxy_rules_iptables_total{table} gauges. */
  natRules: number;
  filterRules: number;
  natChains: number;
  filterChains: number;
  /** More than 1,000 endpoints: per-endpoint comments were left out. */
  largeClusterMode: boolean;
}

// Upstream: NewProxier: fmt.Sprintf("%#08x", 1<<bit); Go pads the digits, not the prefix.
export function masqueradeMarkFor(bit: number): string {
  return `0x${(2 ** bit).toString(16).padStart(8, '0')}`;
}

// Upstream: pkg/proxy/iptables/proxier.go (Proxier.syncProxyRules), a full sync.
export function syncProxyRules(opts: SyncProxyRulesOptions): SyncProxyRulesResult {
  const ipFamily = opts.ipFamily ?? 'IPv4';
  const isIPv6 = ipFamily === 'IPv6';
  const nodeIPs = opts.nodeIPs ?? [];
  const nodeIP = nodeIPs[0] ?? '';
  const mark = opts.masqueradeMark ?? masqueradeMarkFor(opts.masqueradeBit ?? 14);
  const detector = newLocalDetector(opts);
  const npa = newNodePortAddresses(ipFamily, opts.nodePortAddresses, nodeIP);
  // NewProxier turns localhost NodePorts off when nodePortAddresses leaves out loopback.
  const localhostNodePorts = (opts.localhostNodePorts ?? true) && npa.containsIPv4Loopback;
  const nfacct = opts.nfacct ?? true;
  const svcPortMap = buildServicePortMap(opts.services, ipFamily);
  const endpointsMap = buildEndpointsMap(opts.endpointSlices, { nodeName: opts.nodeName, ipFamily });

  const filterChains = new LineBuffer();
  const filterRules = new LineBuffer();
  const natChains = new LineBuffer();
  const natRules = new LineBuffer();

  for (const c of [kubeServicesChain, kubeExternalServicesChain, kubeForwardChain, kubeNodePortsChain, kubeProxyFirewallChain]) {
    filterChains.write(makeChainLine(c));
  }
  for (const c of [kubeServicesChain, kubeNodePortsChain, kubePostroutingChain, kubeMarkMasqChain]) natChains.write(makeChainLine(c));

  natRules.write('-A', kubePostroutingChain, '-m', 'mark', '!', '--mark', `${mark}/${mark}`, '-j', 'RETURN');
  // Clear the mark so a packet that re-traverses the stack is not masqueraded twice.
  natRules.write('-A', kubePostroutingChain, '-j', 'MARK', '--xor-mark', mark);
  natRules.write(
    '-A', kubePostroutingChain, '-m', 'comment', '--comment', '"kubernetes service traffic requiring SNAT"', '-j', 'MASQUERADE',
    (opts.randomFully ?? true) ? ['--random-fully'] : [],
  );
  natRules.write('-A', kubeMarkMasqChain, '-j', 'MARK', '--or-mark', mark);

  if (!isIPv6 && localhostNodePorts) {
    // route_localnet opens 127.0.0.0/8 to the outside (issue 90259); this rule closes it again.
    filterChains.write(makeChainLine(kubeletFirewallChain));
    filterRules.write(
      '-A', kubeletFirewallChain, '-m', 'comment', '--comment', '"block incoming localnet connections"',
      '-d', '127.0.0.0/8', '!', '-s', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP',
    );
  }

  let totalEndpoints = 0;
  for (const key of svcPortMap.keys()) totalEndpoints += endpointsMap.get(key)?.length ?? 0;
  const largeClusterMode = totalEndpoints > largeClusterEndpointsThreshold;
  const ctx: ServiceRulesContext = {
    natChains, natRules, filterRules, mark, detector, largeClusterMode, nodeIP, masqueradeAll: opts.masqueradeAll ?? false,
    localhostNodePortsNFAcct: localhostNodePorts && ipFamily === 'IPv4' && nfacct,
  };

  for (const [key, svcInfo] of svcPortMap) {
    const eps = categorizeEndpoints(endpointsMap.get(key) ?? [], svcInfo, opts.nodeName, opts.nodeLabels ?? {});
    writeServicePortRules(ctx, svcInfo, eps);
  }

  // The tail call to KUBE-NODEPORTS must stay the last rule of KUBE-SERVICES.
  const lastRuleComment = '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"';
  if (npa.matchAll) {
    const destinations = ['-m', 'addrtype', '--dst-type', 'LOCAL'];
    if (isIPv6) destinations.push('!', '-d', '::1/128');
    else if (!localhostNodePorts) destinations.push('!', '-d', '127.0.0.0/8');
    natRules.write('-A', kubeServicesChain, '-m', 'comment', '--comment', lastRuleComment, destinations, '-j', kubeNodePortsChain);
  } else {
    const interfaceAddrs = [isIPv6 ? '::1' : '127.0.0.1', ...nodeIPs];
    for (const ip of getNodeIPs(npa, interfaceAddrs)) {
      const loopback = ip === '::1' || ip.startsWith('127.');
      if (loopback && (isIPv6 || !localhostNodePorts)) continue;
      natRules.write('-A', kubeServicesChain, '-m', 'comment', '--comment', lastRuleComment, '-d', ip, '-j', kubeNodePortsChain);
    }
  }

  if (!(opts.conntrackTCPLiberal ?? false)) {
    // INVALID packets would otherwise reach a pod un-NATed and reset the connection (issue 74839).
    filterRules.write(
      '-A', kubeForwardChain, '-m', 'conntrack', '--ctstate', 'INVALID',
      nfacct ? ['-m', 'nfacct', '--nfacct-name', IPTablesCTStateInvalidDroppedNFAcctCounter] : [], '-j', 'DROP',
    );
  }
  filterRules.write(
    '-A', kubeForwardChain, '-m', 'comment', '--comment', '"kubernetes forwarding rules"', '-m', 'mark', '--mark', `${mark}/${mark}`, '-j', 'ACCEPT',
  );
  filterRules.write(
    '-A', kubeForwardChain, '-m', 'comment', '--comment', '"kubernetes forwarding conntrack rule"',
    '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT',
  );

  return {
    filter: `*filter\n${filterChains.text()}${filterRules.text()}COMMIT\n`,
    nat: `*nat\n${natChains.text()}${natRules.text()}COMMIT\n`,
    natRules: natRules.length,
    filterRules: filterRules.length,
    natChains: natChains.length,
    filterChains: filterChains.length,
    largeClusterMode,
  };
}

interface ServiceRulesContext {
  natChains: LineBuffer;
  natRules: LineBuffer;
  filterRules: LineBuffer;
  mark: string;
  detector: LocalTrafficDetector;
  largeClusterMode: boolean;
  nodeIP: string;
  masqueradeAll: boolean;
  localhostNodePortsNFAcct: boolean;
}

/** The per-service-port names the proxier computes once in newServiceInfo. */
function chainsOf(svc: ServicePortInfo) {
  const protocol = svc.protocol.toLowerCase() as ChainProtocol;
  return {
    protocol,
    cluster: servicePortPolicyClusterChain(svc.nameString, protocol),
    local: servicePortPolicyLocalChainName(svc.nameString, protocol),
    external: serviceExternalChainName(svc.nameString, protocol),
    firewall: serviceFirewallChainName(svc.nameString, protocol),
  };
}

/** Endpoint chain names, hashed once per endpoint as upstream's endpointInfo.ChainName caches them. */
const endpointChains = new WeakMap<EndpointInfo, Map<string, string>>();

function endpointChain(svc: ServicePortInfo, ep: EndpointInfo): string {
  let byService = endpointChains.get(ep);
  if (!byService) endpointChains.set(ep, (byService = new Map()));
  let chain = byService.get(svc.nameString);
  if (chain === undefined) {
    chain = servicePortEndpointChainName(svc.nameString, svc.protocol.toLowerCase() as ChainProtocol, ep.endpoint);
    byService.set(svc.nameString, chain);
  }
  return chain;
}

// Upstream: pkg/proxy/iptables/proxier.go (the body of syncProxyRules' loop over svcPortMap)
function writeServicePortRules(ctx: ServiceRulesContext, svc: ServicePortInfo, eps: ReturnType<typeof categorizeEndpoints>): void {
  const { natChains, natRules, filterRules, mark } = ctx;
  const name = svc.nameString;
  const { protocol, cluster: clusterPolicyChain, local: localPolicyChain, external: externalTrafficChain, firewall: fwChain } = chainsOf(svc);
  const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints: hasEndpoints } = eps;
  const port = String(svc.port);

  const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(svc);
  const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(svc);
  let internalTrafficChain = clusterPolicyChain;
  let hasInternalEndpoints = hasEndpoints;
  if (svc.internalPolicyLocal) {
    internalTrafficChain = localPolicyChain;
    if (localEndpoints.length === 0) hasInternalEndpoints = false;
  }
  let externalPolicyChain = clusterPolicyChain;
  let hasExternalEndpoints = hasEndpoints;
  if (svc.externalPolicyLocal) {
    externalPolicyChain = localPolicyChain;
    if (localEndpoints.length === 0) hasExternalEndpoints = false;
  }
  // Built even without externally usable endpoints: the short-circuit rules for traffic from
  // inside the node still need it.
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svc);
  const usesFWChain = hasEndpoints && svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;
  const loadBalancerTrafficChain = usesFWChain ? fwChain : externalTrafficChain;

  let internalFilterTarget = '';
  let internalFilterComment = '';
  let externalFilterTarget = '';
  let externalFilterComment = '';
  if (!hasEndpoints) {
    internalFilterTarget = externalFilterTarget = 'REJECT';
    internalFilterComment = externalFilterComment = `"${name} has no endpoints"`;
  } else {
    if (!hasInternalEndpoints) {
      internalFilterTarget = 'DROP';
      internalFilterComment = `"${name} has no local endpoints"`;
    }
    if (!hasExternalEndpoints) {
      externalFilterTarget = 'DROP';
      externalFilterComment = `"${name} has no local endpoints"`;
    }
  }

  const match = ['-m', protocol, '-p', protocol];
  if (hasInternalEndpoints) {
    natRules.write('-A', kubeServicesChain, '-m', 'comment', '--comment', `"${name} cluster IP"`, match, '-d', svc.clusterIP, '--dport', port, '-j', internalTrafficChain);
  } else {
    filterRules.write('-A', kubeServicesChain, '-m', 'comment', '--comment', internalFilterComment, match, '-d', svc.clusterIP, '--dport', port, '-j', internalFilterTarget);
  }

  for (const externalIP of svc.externalIPs) {
    if (hasEndpoints) {
      natRules.write('-A', kubeServicesChain, '-m', 'comment', '--comment', `"${name} external IP"`, match, '-d', externalIP, '--dport', port, '-j', externalTrafficChain);
    }
    if (!hasExternalEndpoints) {
      filterRules.write('-A', kubeExternalServicesChain, '-m', 'comment', '--comment', externalFilterComment, match, '-d', externalIP, '--dport', port, '-j', externalFilterTarget);
    }
  }

  for (const lbip of svc.loadBalancerVIPs) {
    if (hasEndpoints) {
      natRules.write('-A', kubeServicesChain, '-m', 'comment', '--comment', `"${name} loadbalancer IP"`, match, '-d', lbip, '--dport', port, '-j', loadBalancerTrafficChain);
    }
    if (usesFWChain) {
      filterRules.write(
        '-A', kubeProxyFirewallChain, '-m', 'comment', '--comment', `"${name} traffic not accepted by ${fwChain}"`, match, '-d', lbip, '--dport', port, '-j', 'DROP',
      );
    }
  }
  if (!hasExternalEndpoints) {
    for (const lbip of svc.loadBalancerVIPs) {
      filterRules.write('-A', kubeExternalServicesChain, '-m', 'comment', '--comment', externalFilterComment, match, '-d', lbip, '--dport', port, '-j', externalFilterTarget);
    }
  }

  if (svc.nodePort !== 0) {
    const nodePort = String(svc.nodePort);
    if (hasEndpoints) {
      // NodePorts are not subject to loadBalancerSourceRanges, and never were.
      if (ctx.localhostNodePortsNFAcct) {
        natRules.write(
          '-A', kubeNodePortsChain, '-m', 'comment', '--comment', name, match, '-d', '127.0.0.0/8', '--dport', nodePort,
          '-m', 'nfacct', '--nfacct-name', LocalhostNodePortAcceptedNFAcctCounter, '-j', externalTrafficChain,
        );
      }
      natRules.write('-A', kubeNodePortsChain, '-m', 'comment', '--comment', name, match, '--dport', nodePort, '-j', externalTrafficChain);
    }
    if (!hasExternalEndpoints) {
      filterRules.write(
        '-A', kubeExternalServicesChain, '-m', 'comment', '--comment', externalFilterComment, '-m', 'addrtype', '--dst-type', 'LOCAL',
        match, '--dport', nodePort, '-j', externalFilterTarget,
      );
    }
  }

  if (svc.healthCheckNodePort !== 0) {
    // Accepted whether or not this node has local endpoints: the answer is the health check.
    filterRules.write(
      '-A', kubeNodePortsChain, '-m', 'comment', '--comment', `"${name} health check node port"`, '-m', 'tcp', '-p', 'tcp',
      '--dport', String(svc.healthCheckNodePort), '-j', 'ACCEPT',
    );
  }

  if (hasInternalEndpoints) {
    const args = ['-m', 'comment', '--comment', `"${name} cluster IP"`, ...match, '-d', svc.clusterIP, '--dport', port];
    if (ctx.masqueradeAll) natRules.write('-A', internalTrafficChain, args, '-j', kubeMarkMasqChain);
    // Off-cluster traffic to a VIP (a static route to any node) may bounce off-node: masquerade it.
    else if (ctx.detector.isImplemented) natRules.write('-A', internalTrafficChain, args, ctx.detector.ifNotLocal, '-j', kubeMarkMasqChain);
  }

  if (usesExternalTrafficChain) {
    natChains.write(makeChainLine(externalTrafficChain));
    if (!svc.externalPolicyLocal) {
      // Endpoints may be on another node: masquerade so replies come back through this one.
      natRules.write('-A', externalTrafficChain, '-m', 'comment', '--comment', `"masquerade traffic for ${name} external destinations"`, '-j', kubeMarkMasqChain);
    } else {
      if (ctx.detector.isImplemented) {
        // Pod -> external IP of a Service behaves as if it went out to the load balancer and back.
        natRules.write(
          '-A', externalTrafficChain, '-m', 'comment', '--comment', `"pod traffic for ${name} external destinations"`, ctx.detector.ifLocal, '-j', clusterPolicyChain,
        );
      }
      // The host's own traffic takes the LB IP (a local address) as source: it must be masqueraded.
      natRules.write(
        '-A', externalTrafficChain, '-m', 'comment', '--comment', `"masquerade LOCAL traffic for ${name} external destinations"`,
        '-m', 'addrtype', '--src-type', 'LOCAL', '-j', kubeMarkMasqChain,
      );
      natRules.write(
        '-A', externalTrafficChain, '-m', 'comment', '--comment', `"route LOCAL traffic for ${name} external destinations"`,
        '-m', 'addrtype', '--src-type', 'LOCAL', '-j', clusterPolicyChain,
      );
    }
    if (hasExternalEndpoints) natRules.write('-A', externalTrafficChain, '-j', externalPolicyChain);
  }

  if (usesFWChain) {
    natChains.write(makeChainLine(fwChain));
    const args = ['-A', fwChain, '-m', 'comment', '--comment', `"${name} loadbalancer IP"`];
    let allowFromNode = false;
    for (const cidr of svc.loadBalancerSourceRanges) {
      natRules.write(args, '-s', cidr, '-j', externalTrafficChain);
      if (ctx.nodeIP && cidrContains(cidr, ctx.nodeIP)) allowFromNode = true;
    }
    // A VIP bound locally loops a node's own request back with the VIP as source: let it in.
    if (allowFromNode) for (const lbip of svc.loadBalancerVIPs) natRules.write(args, '-s', lbip, '-j', externalTrafficChain);
    // Falling off this chain means no DNAT: KUBE-PROXY-FIREWALL (filter) drops the packet.
    natRules.write('-A', fwChain, '-m', 'comment', '--comment', `"other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL"`);
  }

  if (usesClusterPolicyChain) {
    natChains.write(makeChainLine(clusterPolicyChain));
    writeServiceToEndpointRules(ctx, svc, clusterPolicyChain, clusterEndpoints);
  }
  if (usesLocalPolicyChain) {
    natChains.write(makeChainLine(localPolicyChain));
    writeServiceToEndpointRules(ctx, svc, localPolicyChain, localEndpoints);
  }

  for (const ep of allReachableEndpoints) {
    const chain = endpointChain(svc, ep);
    natChains.write(makeChainLine(chain));
    const args = ['-A', chain, ...serviceComment(ctx, name)];
    // Hairpin: a pod reaching itself through the Service must be masqueraded to get the reply.
    natRules.write(args, '-s', ep.ip, '-j', kubeMarkMasqChain);
    if (svc.sessionAffinityType === 'ClientIP') args.push('-m', 'recent', '--name', chain, '--set');
    natRules.write(args, match, '-j', 'DNAT', '--to-destination', ep.endpoint);
  }
}

// Upstream: pkg/proxy/iptables/proxier.go (appendServiceCommentLocked)
function serviceComment(ctx: ServiceRulesContext, comment: string): string[] {
  return ctx.largeClusterMode ? [] : ['-m', 'comment', '--comment', comment];
}

// Upstream: pkg/proxy/iptables/proxier.go (Proxier.writeServiceToEndpointRules). Rule i of n
// matches with probability 1/(n-i), so each endpoint is picked with probability 1/n overall.
function writeServiceToEndpointRules(ctx: ServiceRulesContext, svc: ServicePortInfo, svcChain: string, endpoints: EndpointInfo[]): void {
  const name = svc.nameString;
  if (svc.sessionAffinityType === 'ClientIP') {
    for (const ep of endpoints) {
      const chain = endpointChain(svc, ep);
      ctx.natRules.write(
        '-A', svcChain, serviceComment(ctx, `"${name} -> ${ep.endpoint}"`),
        '-m', 'recent', '--name', chain, '--rcheck', '--seconds', String(svc.stickyMaxAgeSeconds), '--reap', '-j', chain,
      );
    }
  }
  const n = endpoints.length;
  endpoints.forEach((ep, i) => {
    const stat = i < n - 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', probability(n - i)] : [];
    ctx.natRules.write('-A', svcChain, serviceComment(ctx, `"${name} -> ${ep.endpoint}"`), stat, '-j', endpointChain(svc, ep));
  });
}
