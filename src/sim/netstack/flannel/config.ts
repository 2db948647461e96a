import { cidrContains, formatCidr, formatIPv4, maskOf, nthAddress, parseCidr } from '../ip';

export type BackendType = 'vxlan' | 'host-gw' | 'udp';

/** flannel's net-conf.json, after defaults (pkg/subnet/config.go Config). */
export interface FlannelNetworkConfig {
  Network: string;
  SubnetLen: number;
  SubnetMin: string;
  SubnetMax: string;
  Backend: { Type: BackendType; VNI?: number; Port?: number; DirectRouting?: boolean };
}

/** The net-conf.json kube-flannel.yml ships (Documentation/kube-flannel.yml at v0.27.4). */
export const KUBE_FLANNEL_NET_CONF = '{\n  "Network": "10.244.0.0/16",\n  "EnableNFTables": false,\n  "Backend": {\n    "Type": "vxlan"\n  }\n}';

/** VXLAN and UDP defaults (pkg/backend/vxlan/vxlan.go defaultVNI; udp's default port; Linux's IANA VXLAN port is 4789, flannel keeps the kernel's historical 8472). */
export const DEFAULT_VNI = 1;
export const DEFAULT_VXLAN_PORT = 8472;
export const DEFAULT_UDP_PORT = 8285;

/**
 * Parses net-conf.json and fills defaults as flannel does: SubnetLen 24 when the network is /22 or
 * larger, else prefix+2; SubnetMin skips the first subnet; SubnetMax is the last one. Errors keep
 * flannel's wording.
 */
// Upstream: flannel pkg/subnet/config.go (ParseConfig, CheckNetworkConfig)
export function parseNetworkConfig(json: string): FlannelNetworkConfig {
  let raw: { Network?: string; SubnetLen?: number; SubnetMin?: string; SubnetMax?: string; Backend?: { Type?: string; VNI?: number; Port?: number; DirectRouting?: boolean } };
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`error decoding Backend property of config: ${(e as Error).message}`);
  }
  if (!raw.Network) throw new Error('please define a correct Network parameter in the flannel config');
  const net = parseCidr(raw.Network);
  let subnetLen = raw.SubnetLen ?? 0;
  if (subnetLen > 0) {
    if (subnetLen > 30) throw new Error('SubnetLen must be less than /31');
    if (subnetLen < net.bits + 2) throw new Error('network must be able to accommodate at least four subnets');
  } else if (net.bits > 28) {
    throw new Error('network is too small. Minimum useful network prefix is /28');
  } else {
    subnetLen = net.bits <= 22 ? 24 : net.bits + 2;
  }
  const size = 2 ** (32 - subnetLen);
  const min = raw.SubnetMin ?? formatIPv4(net.ip + size);
  const max = raw.SubnetMax ?? formatIPv4(net.ip + 2 ** (32 - net.bits) - size);
  if (!cidrContains(net, min)) throw new Error('SubnetMin is not in the range of the Network');
  if (!cidrContains(net, max)) throw new Error('SubnetMax is not in the range of the Network');
  const type = (raw.Backend?.Type ?? 'udp') as BackendType;
  if (!['vxlan', 'host-gw', 'udp'].includes(type)) throw new Error(`${type}: backend type not registered`);
  return { Network: formatCidr(net), SubnetLen: subnetLen, SubnetMin: min, SubnetMax: max, Backend: { ...raw.Backend, Type: type } };
}

/** Bytes each backend adds around a pod's packet, and so the pod MTU it leaves (ext MTU - overhead). */
// Upstream: flannel pkg/backend/vxlan/vxlan_network.go (encapOverhead = 50), pkg/backend/udp (encapOverhead = 28)
export function encapOverhead(type: BackendType): number {
  // VXLAN: outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14 = 50.
  // UDP: outer IPv4 20 + UDP 8 = 28 (flannel0 is a TUN device: no inner Ethernet header).
  return type === 'vxlan' ? 50 : type === 'udp' ? 28 : 0;
}

/**
 * /run/flannel/subnet.env: FLANNEL_SUBNET is the lease's first usable address with its prefix
 * (what the CNI bridge plugin gives cni0), FLANNEL_MTU the backend's MTU.
 */
// Upstream: flannel pkg/subnet/subnet.go (WriteSubnetFile)
export function subnetEnv(config: FlannelNetworkConfig, leaseSubnet: string, mtu: number, ipMasq: boolean): string {
  const { bits } = parseCidr(leaseSubnet);
  return (
    `FLANNEL_NETWORK=${config.Network}\n` +
    `FLANNEL_SUBNET=${nthAddress(leaseSubnet, 1)}/${bits}\n` +
    `FLANNEL_MTU=${mtu}\n` +
    `FLANNEL_IPMASQ=${ipMasq}\n`
  );
}

/** Whether a lease subnet is inside the network and on a SubnetLen boundary. */
export function validLease(config: FlannelNetworkConfig, subnet: string): boolean {
  const c = parseCidr(subnet);
  return c.bits === config.SubnetLen && cidrContains(parseCidr(config.Network), formatIPv4(c.ip)) && ((c.ip & ~maskOf(c.bits)) >>> 0) === 0;
}
