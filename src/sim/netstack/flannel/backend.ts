import { cidrContains, parseCidr, formatIPv4 } from '../ip';
import type { NetNS } from '../link/netns';
import { DEFAULT_VNI, DEFAULT_VXLAN_PORT, encapOverhead, subnetEnv, type FlannelNetworkConfig } from './config';

/** A node as flannel sees it through its lease: subnet, public IP and (vxlan) VTEP MAC. */
export interface FlannelLease {
  node: string;
  /** The node's podCIDR (kube subnet manager: node.spec.podCIDR). */
  subnet: string;
  /** The node's underlay address (annotation flannel.alpha.coreos.com/public-ip). */
  publicIP: string;
  /** flannel.1's MAC on that node (vxlan only). */
  vtepMac?: string;
}

/** What flanneld leaves on a node after start-up and one pass over the leases. */
export interface FlannelNodeState {
  backend: FlannelNetworkConfig['Backend']['Type'];
  mtu: number;
  subnetEnv: string;
  /** Node annotations flannel writes in kube subnet manager mode. */
  annotations: Record<string, string>;
  /** Leases it could not program (e.g. host-gw to a node that is not on-link). */
  errors: string[];
}

/**
 * Programs one node like flanneld: the backend device (flannel.1 VXLAN VTEP or flannel0 TUN; none
 * for host-gw), subnet.env, then per remote lease the route, neighbour and FDB entries.
 */
// Upstream: flannel pkg/backend/vxlan/vxlan.go (RegisterNetwork), vxlan_network.go (handleSubnetEvents),
// pkg/backend/hostgw/hostgw.go, pkg/backend/udp/udp_network_amd64.go (configureIface)
export function setupFlannelNode(
  ns: NetNS,
  config: FlannelNetworkConfig,
  self: FlannelLease,
  leases: FlannelLease[],
  opts: { extIface: string; ipMasq?: boolean },
): FlannelNodeState {
  const ext = ns.link(opts.extIface);
  const type = config.Backend.Type;
  const mtu = ext.mtu - encapOverhead(type);
  const subnetIP = formatIPv4(parseCidr(self.subnet).ip);
  const annotations: Record<string, string> = {
    'flannel.alpha.coreos.com/backend-type': type,
    'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
    'flannel.alpha.coreos.com/public-ip': self.publicIP,
  };
  const errors: string[] = [];
  if (type === 'vxlan') {
    const vni = config.Backend.VNI ?? DEFAULT_VNI;
    if (!self.vtepMac) throw new Error('vxlan: the node lease needs a vtepMac');
    // device.go: the VTEP's MTU is the external MTU minus 50; its address is the subnet's .0 as /32.
    ns.addLink({ name: `flannel.${vni}`, kind: 'vxlan', mtu, mac: self.vtepMac, vxlan: { id: vni, local: self.publicIP, dev: opts.extIface, port: config.Backend.Port ?? DEFAULT_VXLAN_PORT } });
    ns.addAddr(`flannel.${vni}`, `${subnetIP}/32`);
    annotations['flannel.alpha.coreos.com/backend-data'] = JSON.stringify({ VNI: vni, VtepMAC: self.vtepMac });
  } else if (type === 'udp') {
    ns.addLink({ name: 'flannel0', kind: 'tun', mtu });
    ns.addAddr('flannel0', `${subnetIP}/32`);
    // udp_network_amd64.go configureIface: one route for the whole network into the TUN device.
    ns.addRoute({ dst: config.Network, dev: 'flannel0' });
    annotations['flannel.alpha.coreos.com/backend-data'] = 'null';
  } else {
    annotations['flannel.alpha.coreos.com/backend-data'] = 'null';
  }
  for (const lease of leases) {
    if (lease.node === self.node) continue;
    const err = addLease(ns, config, lease, opts.extIface);
    if (err) errors.push(err);
  }
  return { backend: type, mtu, subnetEnv: subnetEnv(config, self.subnet, mtu, opts.ipMasq ?? true), annotations, errors };
}

/** One remote lease: the per-backend state flannel adds for it (returns an error text when it cannot). */
function addLease(ns: NetNS, config: FlannelNetworkConfig, lease: FlannelLease, extIface: string): string | undefined {
  const type = config.Backend.Type;
  const onLink = ns.routes.some((r) => r.dev === extIface && r.dst !== 'default' && r.scope === 'link' && cidrContains(parseCidr(r.dst), lease.publicIP));
  if (type === 'host-gw' || (type === 'vxlan' && config.Backend.DirectRouting && onLink)) {
    // hostgw.go: a plain route via the remote node; the kernel refuses a gateway that is not on-link.
    if (!onLink) return `failed to add route ${lease.subnet} via ${lease.publicIP} dev ${extIface}: network is unreachable`;
    ns.addRoute({ dst: lease.subnet, via: lease.publicIP, dev: extIface });
    return undefined;
  }
  if (type === 'udp') return undefined; // routing between nodes is flanneld's own table, in user space
  const vni = config.Backend.VNI ?? DEFAULT_VNI;
  const dev = `flannel.${vni}`;
  const gw = formatIPv4(parseCidr(lease.subnet).ip);
  // vxlan_network.go: ARP entry for the remote VTEP's address, FDB entry mapping its MAC to the
  // remote node, then the route via that address `onlink` (it is not on any local prefix).
  ns.setNeigh({ ip: gw, dev, lladdr: lease.vtepMac!, state: 'PERMANENT' });
  ns.setFdb({ mac: lease.vtepMac!, dev, dst: lease.publicIP, self: true, permanent: true });
  ns.addRoute({ dst: lease.subnet, via: gw, dev, onlink: true });
  return undefined;
}
