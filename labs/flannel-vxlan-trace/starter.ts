import { activeTrace, buildCluster, walkPacket, type WalkResult } from 'kubelab';

export interface Outer {
  src: string;
  dst: string;
  dport: number;
  vni: number;
}

/** The outer headers of the VXLAN packet a cross-node walk sent (undefined when nothing was encapsulated). */
export function outerOf(walk: WalkResult): Outer | undefined {
  void walk;
  return undefined;
}

/** The MTU flannel gives cni0 and the pods, for a link of `linkMtu`. */
export function flannelMtu(backend: 'vxlan' | 'host-gw' | 'udp', linkMtu: number): number {
  void backend;
  return linkMtu;
}

/** Whether host-gw can route pods between every pair of these nodes (`ip/prefix`). */
export function hostGwWorks(nodes: string[]): boolean {
  void nodes;
  return true;
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
