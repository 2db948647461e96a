/**
 * Which node addresses accept NodePort traffic: after pkg/proxy/util/nodeport_addresses.go
 * (NewNodePortAddresses, MatchAll, ContainsIPv4Loopback, GetNodeIPs) for one IP family.
 */
import type { IPFamily } from '../../api/core/v1';
import { cidrContains, ipFamilyOf } from './ip';

export interface NodePortAddresses {
  /** CIDRs of this family; `primary` is resolved to the node IP's /32 (or /128). */
  cidrs: string[];
  /** No CIDR of this family was given: every local address accepts NodePorts. */
  matchAll: boolean;
}

// Upstream: pkg/proxy/util/nodeport_addresses.go (NewNodePortAddresses)
export function newNodePortAddresses(family: IPFamily, specs: string[] = [], primaryIP?: string): NodePortAddresses {
  const cidrs: string[] = [];
  for (const s of specs) {
    if (s === 'primary') {
      if (primaryIP && ipFamilyOf(primaryIP) === family) cidrs.push(`${primaryIP}/${family === 'IPv4' ? 32 : 128}`);
    } else if (ipFamilyOf(s) === family) cidrs.push(s);
  }
  return { cidrs, matchAll: cidrs.length === 0 };
}

// Upstream: pkg/proxy/util/nodeport_addresses.go (ContainsIPv4Loopback)
export function containsIPv4Loopback(npa: NodePortAddresses): boolean {
  return npa.matchAll || npa.cidrs.some((c) => cidrContains(c, '127.0.0.1'));
}

// Upstream: pkg/proxy/util/nodeport_addresses.go (GetNodeIPs): the node's interface addresses
// (here `interfaceAddrs`, loopback included) that fall in one of the CIDRs, in address order.
export function getNodeIPs(npa: NodePortAddresses, interfaceAddrs: string[]): string[] {
  return interfaceAddrs.filter((ip) => npa.cidrs.some((c) => cidrContains(c, ip)));
}
