/**
 * The ipsets of the IPVS proxier: after pkg/proxy/ipvs/ipset.go (names and comments, v1.34,
 * with KUBE-IPVS-IPS) and pkg/proxy/ipvs/ipset/ipset.go (set types, Entry.String).
 */

export type IPSetType = 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port' | 'hash:ip';

export const kubeLoopBackIPSet = 'KUBE-LOOP-BACK';
export const kubeClusterIPSet = 'KUBE-CLUSTER-IP';
export const kubeExternalIPSet = 'KUBE-EXTERNAL-IP';
export const kubeExternalIPLocalSet = 'KUBE-EXTERNAL-IP-LOCAL';
export const kubeLoadBalancerSet = 'KUBE-LOAD-BALANCER';
export const kubeLoadBalancerLocalSet = 'KUBE-LOAD-BALANCER-LOCAL';
export const kubeLoadBalancerFWSet = 'KUBE-LOAD-BALANCER-FW';
export const kubeLoadBalancerSourceIPSet = 'KUBE-LOAD-BALANCER-SOURCE-IP';
export const kubeLoadBalancerSourceCIDRSet = 'KUBE-LOAD-BALANCER-SOURCE-CIDR';
export const kubeNodePortSetTCP = 'KUBE-NODE-PORT-TCP';
export const kubeNodePortLocalSetTCP = 'KUBE-NODE-PORT-LOCAL-TCP';
export const kubeNodePortSetUDP = 'KUBE-NODE-PORT-UDP';
export const kubeNodePortLocalSetUDP = 'KUBE-NODE-PORT-LOCAL-UDP';
export const kubeNodePortSetSCTP = 'KUBE-NODE-PORT-SCTP-HASH';
export const kubeNodePortLocalSetSCTP = 'KUBE-NODE-PORT-LOCAL-SCTP-HASH';
export const kubeHealthCheckNodePortSet = 'KUBE-HEALTH-CHECK-NODE-PORT';
export const kubeIPVSSet = 'KUBE-IPVS-IPS';

/** Upstream: pkg/proxy/ipvs/proxier.go (ipsetInfo), in its order, with ipset.go's comments. */
export const ipsetInfo: { name: string; setType: IPSetType; comment: string }[] = [
  { name: kubeLoopBackIPSet, setType: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { name: kubeClusterIPSet, setType: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { name: kubeExternalIPSet, setType: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { name: kubeExternalIPLocalSet, setType: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { name: kubeLoadBalancerSet, setType: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { name: kubeLoadBalancerFWSet, setType: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { name: kubeLoadBalancerLocalSet, setType: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { name: kubeLoadBalancerSourceIPSet, setType: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { name: kubeLoadBalancerSourceCIDRSet, setType: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { name: kubeNodePortSetTCP, setType: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { name: kubeNodePortLocalSetTCP, setType: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { name: kubeNodePortSetUDP, setType: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { name: kubeNodePortLocalSetUDP, setType: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { name: kubeNodePortSetSCTP, setType: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: kubeNodePortLocalSetSCTP, setType: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: kubeHealthCheckNodePortSet, setType: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { name: kubeIPVSSet, setType: 'hash:ip', comment: 'Addresses on the ipvs interface' },
];

/** One set of the sync: its type, comment and the entries kube-proxy wants in it. */
export interface IPSet {
  name: string;
  setType: IPSetType;
  comment: string;
  /** Entry texts (`Entry.String()`), each once, sorted as `sets.String.List()` lists them. */
  entries: string[];
}

/** An ipset entry; which fields count depends on the set type. */
export interface IPSetEntry {
  ip?: string;
  port?: number;
  protocol?: string;
  ip2?: string;
  net?: string;
  setType: IPSetType;
}

// Upstream: pkg/proxy/ipvs/ipset/ipset.go (Entry.String)
export function ipsetEntryString(e: IPSetEntry): string {
  switch (e.setType) {
    case 'hash:ip': return e.ip ?? '';
    case 'hash:ip,port': return `${e.ip},${e.protocol}:${e.port}`;
    case 'hash:ip,port,ip': return `${e.ip},${e.protocol}:${e.port},${e.ip2}`;
    case 'hash:ip,port,net': return `${e.ip},${e.protocol}:${e.port},${e.net}`;
    case 'bitmap:port': return String(e.port);
  }
}

/** The comment as kube-proxy puts it in a rule (IPSet.getComment: quoted). */
export function ipsetComment(name: string): string {
  return `"${ipsetInfo.find((i) => i.name === name)!.comment}"`;
}
