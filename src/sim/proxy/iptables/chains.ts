/**
 * Chain names and probabilities of the iptables proxier: after pkg/proxy/iptables/proxier.go
 * (portProtoHash, servicePortPolicyClusterChain, ..., servicePortEndpointChainName,
 * computeProbability) at v1.34. Names are sha256 -> base32 -> 16 characters, because a
 * chain name may hold at most 28 characters.
 */
import { base32Std, sha256 } from '../util/sha256';

export const kubeServicesChain = 'KUBE-SERVICES';
export const kubeExternalServicesChain = 'KUBE-EXTERNAL-SERVICES';
export const kubeNodePortsChain = 'KUBE-NODEPORTS';
export const kubePostroutingChain = 'KUBE-POSTROUTING';
export const kubeMarkMasqChain = 'KUBE-MARK-MASQ';
export const kubeForwardChain = 'KUBE-FORWARD';
export const kubeProxyFirewallChain = 'KUBE-PROXY-FIREWALL';
/** Created empty in mangle, nat and filter by iptables.Monitor; its loss means a flush. */
export const kubeProxyCanaryChain = 'KUBE-PROXY-CANARY';
/** kubelet's chain; kube-proxy writes the same anti-martian rule into it. */
export const kubeletFirewallChain = 'KUBE-FIREWALL';

/** Above this many endpoints, per-endpoint comments are dropped to shrink the ruleset. */
export const largeClusterEndpointsThreshold = 1000;

export const servicePortPolicyClusterChainNamePrefix = 'KUBE-SVC-';
export const servicePortPolicyLocalChainNamePrefix = 'KUBE-SVL-';
export const serviceFirewallChainNamePrefix = 'KUBE-FW-';
export const serviceExternalChainNamePrefix = 'KUBE-EXT-';
export const servicePortEndpointChainNamePrefix = 'KUBE-SEP-';

export type ChainProtocol = 'tcp' | 'udp' | 'sctp';

// Upstream: pkg/proxy/iptables/proxier.go (portProtoHash)
export function portProtoHash(servicePortName: string, protocol: string): string {
  return base32Std(sha256(servicePortName + protocol)).slice(0, 16);
}

// Upstream: pkg/proxy/iptables/proxier.go (servicePortPolicyClusterChain)
export function servicePortPolicyClusterChain(servicePortName: string, protocol: ChainProtocol): string {
  return servicePortPolicyClusterChainNamePrefix + portProtoHash(servicePortName, protocol);
}

// Upstream: pkg/proxy/iptables/proxier.go (servicePortPolicyLocalChainName)
export function servicePortPolicyLocalChainName(servicePortName: string, protocol: ChainProtocol): string {
  return servicePortPolicyLocalChainNamePrefix + portProtoHash(servicePortName, protocol);
}

// Upstream: pkg/proxy/iptables/proxier.go (serviceFirewallChainName)
export function serviceFirewallChainName(servicePortName: string, protocol: ChainProtocol): string {
  return serviceFirewallChainNamePrefix + portProtoHash(servicePortName, protocol);
}

// Upstream: pkg/proxy/iptables/proxier.go (serviceExternalChainName)
export function serviceExternalChainName(servicePortName: string, protocol: ChainProtocol): string {
  return serviceExternalChainNamePrefix + portProtoHash(servicePortName, protocol);
}

// Upstream: pkg/proxy/iptables/proxier.go (servicePortEndpointChainName)
export function servicePortEndpointChainName(servicePortName: string, protocol: ChainProtocol, endpoint: string): string {
  return servicePortEndpointChainNamePrefix + base32Std(sha256(servicePortName + protocol + endpoint)).slice(0, 16);
}

// Upstream: pkg/proxy/iptables/proxier.go (isServiceChainName)
export function isServiceChainName(chain: string): boolean {
  return [
    servicePortPolicyClusterChainNamePrefix,
    servicePortPolicyLocalChainNamePrefix,
    servicePortEndpointChainNamePrefix,
    serviceFirewallChainNamePrefix,
    serviceExternalChainNamePrefix,
  ].some((p) => chain.startsWith(p));
}

// Upstream: pkg/proxy/iptables/proxier.go (computeProbability): fmt's "%0.10f" of 1/n.
// toFixed and Go both round the exact value of the double; they differ only on an exact tie,
// where Go rounds half to even and toFixed rounds up. 1/n is an exact decimal only for n a
// power of two, and it ties at the 11th place only for n = 2^11.
export function computeProbability(n: number): string {
  if (n === 2048) return '0.0004882812';
  return (1 / n).toFixed(10);
}

/** The probabilities kube-proxy precomputes and caches by n (index 0 is upstream's placeholder). */
const probabilityCache: string[] = ['<bad value>'];

// Upstream: pkg/proxy/iptables/proxier.go (Proxier.probability)
export function probability(n: number): string {
  for (let i = probabilityCache.length; i <= n; i++) probabilityCache.push(computeProbability(i));
  return probabilityCache[n];
}
