/**
 * Which node addresses accept NodePort traffic: after pkg/proxy/util/nodeport_addresses.go
 * (NewNodePortAddresses, MatchAll, ContainsIPv4Loopback, GetNodeIPs) for one IP family.
 */
import type { IPFamily } from '../../api/core/v1';
import { cidrContains, ipFamilyOf, isZeroCIDR } from './ip';

export interface NodePortAddresses {
  /** CIDRs of this family (`primary` resolved to the node IP's /32 or /128). */
  cidrs: string[];
  /** No CIDR of this family, or a zero CIDR: every local address accepts NodePorts. */
  matchAll: boolean;
  /** An IPv4 CIDR covers 127.0.0.1; without it kube-proxy turns localhost NodePorts off. */
  containsIPv4Loopback: boolean;
}

// Upstream: pkg/proxy/util/nodeport_addresses.go (NewNodePortAddresses)
export function newNodePortAddresses(family: IPFamily, specs: string[] = [], primaryIP?: string): NodePortAddresses {
  let strs: string[] = [];
  for (const s of specs) {
    if (s === 'primary') {
      if (primaryIP && ipFamilyOf(primaryIP) === family) strs.push(`${primaryIP}/${family === 'IPv4' ? 32 : 128}`);
    } else if (ipFamilyOf(s) === family) strs.push(s);
  }
  if (strs.length === 0) strs = [family === 'IPv4' ? '0.0.0.0/0' : '::/0'];
  const npa: NodePortAddresses = { cidrs: [], matchAll: false, containsIPv4Loopback: false };
  for (const s of strs) {
    if (ipFamilyOf(s) === 'IPv4' && cidrContains(s, '127.0.0.1')) npa.containsIPv4Loopback = true;
    if (isZeroCIDR(s)) {
      npa.cidrs = [s];
      npa.matchAll = true;
      break;
    }
    npa.cidrs.push(s);
  }
  return npa;
}

// Upstream: pkg/proxy/util/nodeport_addresses.go (GetNodeIPs): the node's interface addresses
// (here `interfaceAddrs`, loopback included) that fall in one of the CIDRs, in address order.
export function getNodeIPs(npa: NodePortAddresses, interfaceAddrs: string[]): string[] {
  return interfaceAddrs.filter((ip) => npa.cidrs.some((c) => cidrContains(c, ip)));
}
