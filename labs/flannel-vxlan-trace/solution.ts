import { activeTrace, buildCluster, walkPacket, type WalkResult } from 'kubelab';

export interface Outer {
  src: string;
  dst: string;
  dport: number;
  vni: number;
}

/**
 * The outer headers of the VXLAN packet a cross-node walk sent: flannel.1 wraps the pod's frame in
 * UDP to the other node's address, port 8472 (Linux's VXLAN port), VNI 1.
 */
export function outerOf(walk: WalkResult): Outer | undefined {
  const encap = walk.hops.find((h) => h.kind === 'encap');
  if (!encap?.outer) return undefined;
  return { src: encap.outer.ipSrc, dst: encap.outer.ipDst, dport: encap.outer.udpDport, vni: encap.outer.vni ?? 0 };
}

/**
 * The MTU flannel gives cni0 and the pods: the link's, less what the backend wraps around each
 * packet. VXLAN: outer IP 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14 = 50. UDP: outer IP
 * 20 + UDP 8 = 28 (flannel0 is a TUN device: no inner Ethernet). host-gw wraps nothing.
 */
export function flannelMtu(backend: 'vxlan' | 'host-gw' | 'udp', linkMtu: number): number {
  if (backend === 'vxlan') return linkMtu - 50;
  if (backend === 'udp') return linkMtu - 28;
  return linkMtu;
}

/**
 * host-gw routes a remote node's pod subnet straight to that node's address, so the node must be
 * a next hop on the local link: every node on one subnet. `nodes` are `ip/prefix`.
 */
export function hostGwWorks(nodes: string[]): boolean {
  const network = (cidr: string) => {
    const [ip, bits] = cidr.split('/');
    const n = ip.split('.').reduce((a, x) => a * 256 + Number(x), 0);
    return `${Math.floor(n / 2 ** (32 - Number(bits)))}/${bits}`;
  };
  return nodes.every((n) => network(n) === network(nodes[0]));
}

// ---- Run me: pod a on node-a sends to pod b on node-b, over each backend ----
for (const backend of ['vxlan', 'host-gw', 'udp'] as const) {
  const cluster = buildCluster({
    backend,
    nodes: [{ name: 'node-a', ip: '192.168.0.2/24', podCIDR: '10.244.0.0/24' }, { name: 'node-b', ip: '192.168.0.3/24', podCIDR: '10.244.1.0/24' }],
    pods: [{ name: 'a', node: 'node-a', ip: '10.244.0.2' }, { name: 'b', node: 'node-b', ip: '10.244.1.2', ports: [8080] }],
    seed: 1,
    trace: backend === 'vxlan' ? activeTrace() : undefined,
  });
  const walk = walkPacket(cluster, { from: 'default/a', to: '10.244.1.2:8080' });
  console.log(`${backend}: ${walk.outcome} at ${walk.at} after ${walk.hops.length} hops; outer ${JSON.stringify(outerOf(walk))}; MTU ${flannelMtu(backend, 1500)}`);
}
console.log('host-gw across 192.168.0.0/24 and 192.168.1.0/24:', hostGwWorks(['192.168.0.2/24', '192.168.1.3/24']));
