/**
 * Checks of the flannel-vxlan-trace lab. The learner's outer headers are compared with the encap
 * hop of walks through the netstack model (flannel v0.27.4's vxlan backend); their MTUs with the
 * subnet.env flannel writes for each backend and link MTU; their host-gw verdict with walks
 * between every pair of nodes on random underlay layouts.
 */
import { check, exportedFunction } from '../../src/lab/checks';
import { buildCluster, rngFromSeed, runNetCommand, walkPacket, type WalkResult } from '../../src/sim/index';

type OuterOf = (walk: WalkResult) => { src: string; dst: string; dport: number; vni: number } | undefined;
type FlannelMtu = (backend: 'vxlan' | 'host-gw' | 'udp', linkMtu: number) => number;
type HostGwWorks = (nodes: string[]) => boolean;

/** `n` nodes with pods, on the given underlay addresses. */
function cluster(backend: 'vxlan' | 'host-gw' | 'udp', ips: string[], seed: number, mtu?: number) {
  return buildCluster({
    backend,
    nodes: ips.map((ip, i) => ({ name: `node-${i}`, ip, podCIDR: `10.244.${i}.0/24`, ...(mtu ? { mtu } : {}) })),
    pods: ips.map((_, i) => ({ name: `p${i}`, node: `node-${i}`, ip: `10.244.${i}.2`, ports: [8080] })),
    seed,
  });
}

export const readsOuterHeaders = check(
  'outerOf() reads the VXLAN packet a cross-node walk sent',
  ({ learner, seeds, expect }) => {
    const outerOf = exportedFunction<OuterOf>(learner, 'outerOf');
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const ips = [0, 1, 2].map(() => `192.168.${rng.int(4)}.${2 + rng.int(200)}/16`);
      if (new Set(ips).size < 3) continue;
      const c = cluster('vxlan', ips, seed);
      const [from, to] = [rng.int(3), rng.int(3)];
      const walk = walkPacket(c, { from: `default/p${from}`, to: `10.244.${to}.2:8080` });
      const encap = walk.hops.find((h) => h.kind === 'encap');
      const want = encap?.outer ? { src: encap.outer.ipSrc, dst: encap.outer.ipDst, dport: encap.outer.udpDport, vni: encap.outer.vni ?? 0 } : undefined;
      expect(outerOf(walk), `outer headers of p${from} (node-${from}) -> p${to} (node-${to})${from === to ? ': same node, nothing encapsulated' : ''}`).to.deep.equal(want);
    }
  },
  { hint: "Find the walk's hop of kind 'encap': its `outer` carries the outer IP addresses, the UDP ports and the VNI. A walk inside one node has no such hop." },
);

export const knowsTheMtu = check(
  'flannelMtu() gives the MTU flannel writes to subnet.env for each backend',
  ({ learner, expect }) => {
    const flannelMtu = exportedFunction<FlannelMtu>(learner, 'flannelMtu');
    for (const mtu of [1500, 9001, 1460]) {
      for (const backend of ['vxlan', 'host-gw', 'udp'] as const) {
        const env = runNetCommand(cluster(backend, ['192.168.0.2/24', '192.168.0.3/24'], 1, mtu), 'node-0', 'cat /run/flannel/subnet.env').stdout;
        const want = Number(/FLANNEL_MTU=(\d+)/.exec(env)?.[1]);
        expect(flannelMtu(backend, mtu), `${backend} on a ${mtu}-byte link`).to.equal(want);
      }
    }
  },
  { hint: 'VXLAN adds an outer IP header (20), UDP (8), the VXLAN header (8) and carries the inner Ethernet header (14). The UDP backend sends raw IP packets read from a TUN device: only IP and UDP.' },
);

export const knowsWhereHostGwWorks = check(
  'hostGwWorks() says when host-gw can route between every pair of nodes',
  ({ learner, seeds, expect }) => {
    const hostGwWorks = exportedFunction<HostGwWorks>(learner, 'hostGwWorks');
    // Fixed layouts (one segment, a routed one, a /16 spanning two /24s), then random ones.
    const layouts = [['192.168.0.2/24', '192.168.0.3/24', '192.168.0.4/24'], ['192.168.0.2/24', '192.168.1.3/24', '192.168.0.4/24'], ['10.1.0.5/16', '10.1.7.5/16', '10.1.200.9/16']];
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const prefix = rng.pick([16, 24]);
      layouts.push([0, 1, 2].map((i) => `10.${rng.int(2)}.${rng.int(2)}.${10 + i}/${prefix}`));
    }
    for (const [seed, ips] of layouts.entries()) {
      const c = cluster('host-gw', ips, seed);
      let all = true;
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) if (a !== b && walkPacket(c, { from: `default/p${a}`, to: `10.244.${b}.2:8080` }).at !== `pod/default/p${b}`) all = false;
      expect(hostGwWorks(ips), `host-gw between ${ips.join(', ')}: every pod reaches every other`).to.equal(all);
    }
  },
  { hint: 'host-gw installs `10.244.x.0/24 via <node IP> dev eth0`. The kernel accepts a next hop only on a directly connected network: compare each node address with the others under the prefix.' },
);
