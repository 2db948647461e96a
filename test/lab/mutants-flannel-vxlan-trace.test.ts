// Mutants of the flannel-vxlan-trace lab: the wrong hop's headers, the outer Ethernet counted in
// the overhead, the UDP backend charged VXLAN's price, and host-gw judged by the first node only.
import { defineMutants } from './mutants';

const lab = 'flannel-vxlan-trace';

defineMutants([
  {
    name: 'the headers of the packet inside, not the envelope',
    lab,
    from: "return { src: encap.outer.ipSrc, dst: encap.outer.ipDst, dport: encap.outer.udpDport, vni: encap.outer.vni ?? 0 };",
    to: "return { src: String(encap.before.src), dst: String(encap.before.dst), dport: Number(encap.before.dport), vni: encap.outer.vni ?? 0 };",
    fails: ['readsOuterHeaders'],
    passes: ['knowsTheMtu', 'knowsWhereHostGwWorks'],
  },
  {
    name: 'the outer Ethernet header counted too: 64 bytes',
    lab,
    from: "if (backend === 'vxlan') return linkMtu - 50;",
    to: "if (backend === 'vxlan') return linkMtu - 64;",
    fails: ['knowsTheMtu'],
    passes: ['readsOuterHeaders', 'knowsWhereHostGwWorks'],
  },
  {
    name: 'the UDP backend charged like VXLAN',
    lab,
    from: "if (backend === 'udp') return linkMtu - 28;",
    to: "if (backend === 'udp') return linkMtu - 50;",
    fails: ['knowsTheMtu'],
  },
  {
    name: 'host-gw assumed to work everywhere',
    lab,
    from: 'return nodes.every((n) => network(n) === network(nodes[0]));',
    to: 'return nodes.length > 0;',
    fails: ['knowsWhereHostGwWorks'],
    passes: ['readsOuterHeaders', 'knowsTheMtu'],
  },
  {
    name: 'host-gw judged by /24 whatever the prefix',
    lab,
    from: "return `${Math.floor(n / 2 ** (32 - Number(bits)))}/${bits}`;",
    to: "return `${Math.floor(n / 2 ** 8)}`;",
    fails: ['knowsWhereHostGwWorks'],
  },
]);
