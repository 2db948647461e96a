/**
 * Names in the nftables proxier's table: after pkg/proxy/nftables/proxier.go (the constants,
 * hashAndTruncate, servicePortChainNameBase, servicePortEndpointChainNameBase) at v1.34.
 * nftables names may be 256 bytes long, so unlike iptables' 28-character KUBE-SVC-<hash>
 * the name keeps the readable `ns/name/proto/port` and a short hash only for uniqueness.
 */
import type { ChainProtocol } from '../iptables/chains';
import { base32Std, sha256 } from '../util/sha256';

export const kubeProxyTable = 'kube-proxy';

// Base chains: named `${type}-${hook}`, as upstream names them.
export const filterPreroutingPreDNATChain = 'filter-prerouting-pre-dnat';
export const filterOutputPreDNATChain = 'filter-output-pre-dnat';
export const filterInputChain = 'filter-input';
export const filterForwardChain = 'filter-forward';
export const filterOutputChain = 'filter-output';
export const natPreroutingChain = 'nat-prerouting';
export const natOutputChain = 'nat-output';
export const natPostroutingChain = 'nat-postrouting';

export const servicesChain = 'services';
export const serviceIPsMap = 'service-ips';
export const serviceNodePortsMap = 'service-nodeports';
export const nodePortIPsSet = 'nodeport-ips';
export const clusterIPsSet = 'cluster-ips';
export const serviceEndpointsCheckChain = 'service-endpoints-check';
export const nodePortEndpointsCheckChain = 'nodeport-endpoints-check';
export const noEndpointServicesMap = 'no-endpoint-services';
export const noEndpointNodePortsMap = 'no-endpoint-nodeports';
export const rejectChain = 'reject-chain';
export const clusterIPsCheckChain = 'cluster-ips-check';
export const firewallIPsMap = 'firewall-ips';
export const firewallCheckChain = 'firewall-check';
export const markMasqChain = 'mark-for-masquerade';
export const masqueradingChain = 'masquerading';

export const servicePortPolicyClusterChainNamePrefix = 'service-';
export const servicePortPolicyLocalChainNamePrefix = 'local-';
export const serviceExternalChainNamePrefix = 'external-';
export const servicePortEndpointChainNamePrefix = 'endpoint-';
export const servicePortEndpointAffinityNamePrefix = 'affinity-';
export const servicePortFirewallChainNamePrefix = 'firewall-';

/** knftables.NameLengthMax (256) minus the longest prefix, 16. */
const chainNameBaseLengthMax = 256 - 16;

// Upstream: pkg/proxy/nftables/proxier.go (hashAndTruncate). The hash leads so that chains of
// one Service differing in one digit still look different at a glance.
export function hashAndTruncate(name: string): string {
  let out = `${base32Std(sha256(name)).slice(0, 8)}-${name}`;
  if (out.length > chainNameBaseLengthMax) out = `${out.slice(0, chainNameBaseLengthMax - 3)}...`;
  return out;
}

/** The parts of a ServicePortName the nftables names use. */
export interface NFTServicePortName {
  namespace: string;
  name: string;
  port: string;
}

// Upstream: pkg/proxy/nftables/proxier.go (servicePortChainNameBase): `HASH-ns/name/proto/port`.
export function servicePortChainNameBase(spn: NFTServicePortName, protocol: ChainProtocol): string {
  return hashAndTruncate(`${spn.namespace}/${spn.name}/${protocol}/${spn.port}`);
}

// Upstream: pkg/proxy/nftables/proxier.go (servicePortEndpointChainNameBase):
// `HASH-ns/name/proto/port__ip/port`; an IPv6 address has its colons turned into dots.
export function servicePortEndpointChainNameBase(spn: NFTServicePortName, protocol: ChainProtocol, endpoint: string): string {
  const cut = endpoint.lastIndexOf(':');
  let ip = endpoint.slice(0, cut);
  if (ip.startsWith('[')) ip = ip.slice(1, -1);
  const port = endpoint.slice(cut + 1);
  return hashAndTruncate(`${spn.namespace}/${spn.name}/${protocol}/${spn.port}__${ip.replaceAll(':', '.')}/${port}`);
}

// Upstream: pkg/proxy/nftables/proxier.go (isServiceChainName): only per-service names hold a `/`.
export function isServiceChainName(chain: string): boolean {
  return chain.includes('/');
}
