import { describe, expect, it } from 'vitest';
import { PacketSim } from './packet-playground';
import { packetPlaygroundSpec, playgroundNetwork, playgroundServiceIP } from './packet-playground-spec';
import { walkPacket } from '../../sim/netstack/walk/walk';
import type { WalkResult } from '../../sim/netstack/walk/types';

// The widget rebuilds the node stacks from data computed at build time on the full network
// model; its walks must be the ones the assembled ClusterNetwork itself gives.
describe('PacketPlayground', async () => {
  const spec = await packetPlaygroundSpec(1);
  const ipOf = (name: string) => spec.pods.find((p) => p.name === name)!.ip;

  it('offers the three pods and two nodes as sources, and the pods, the ClusterIP and the nodes as targets', () => {
    const sim = new PacketSim(spec);
    expect(sim.sources().map((c) => c.id)).toEqual(['pod/default/client', 'pod/default/web-a', 'pod/default/web-b', 'node/node-a', 'node/node-b']);
    expect(sim.targets().map((c) => c.id)).toEqual([`${ipOf('client')}:8080`, `${ipOf('web-a')}:8080`, `${ipOf('web-b')}:8080`, `${playgroundServiceIP}:80`, '192.168.0.2:10250', '192.168.0.3:10250']);
    expect(spec.nodes.map((n) => n.podCIDR)).toEqual(['10.244.0.0/24', '10.244.1.0/24']);
  });

  it('walks exactly as walkPacket on the assembled ClusterNetwork does, hop for hop', async () => {
    const network = await playgroundNetwork(1);
    const net = await network.net();
    const sim = new PacketSim(spec);
    const shape = (w: WalkResult) => ({ outcome: w.outcome, at: w.at, received: w.received, hops: w.hops.map((h) => [h.kind, h.node, h.where, h.before, h.after, h.decisive?.text]) });
    const cases: Array<[string, string]> = [
      ['pod/default/client', `${ipOf('web-a')}:8080`],
      ['pod/default/client', `${ipOf('web-b')}:8080`],
      ['pod/default/client', `${playgroundServiceIP}:80`],
      ['pod/default/web-a', `${playgroundServiceIP}:80`],
      ['node/node-a', `${ipOf('web-b')}:8080`],
      ['pod/default/web-b', '192.168.0.2:10250'],
      // The Service's endpoint is a seeded draw per connection (and per clock time): several connections.
      ...Array.from({ length: 8 }, () => ['pod/default/web-b', `${playgroundServiceIP}:80`] as [string, string]),
    ];
    for (const [i, [from, to]] of cases.entries()) {
      const sport = 40000 + i;
      const fromModel = walkPacket(net, { from, to, sport });
      const fromWidget = walkPacket(sim.cluster, { from, to, sport });
      expect(shape(fromWidget), `${from} -> ${to}`).toEqual(shape(fromModel));
      expect(shape(fromWidget.reply!), `${from} -> ${to}, reply`).toEqual(shape(fromModel.reply!));
    }
    network.stop();
  });

  it('shows the model network facts the lesson teaches: no NAT between pods, DNAT to a Service, masquerade for hairpin', () => {
    const sim = new PacketSim(spec);
    const same = sim.walk('pod/default/client', `${ipOf('web-a')}:8080`);
    expect(same).toMatchObject({ outcome: 'delivered', at: 'pod/default/web-a', sourceKept: true });
    expect(same.hops.some((h) => h.rewrite)).toBe(false);
    const cross = sim.walk('pod/default/client', `${ipOf('web-b')}:8080`);
    expect(cross).toMatchObject({ outcome: 'delivered', at: 'pod/default/web-b', sourceKept: true });
    expect(cross.hops.map((h) => h.kind)).toContain('encap');
    expect(cross.hops.find((h) => h.where.startsWith('routing: 10.244.1.0/24'))?.where).toBe('routing: 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink src 10.244.0.0');
    const svc = sim.walk('pod/default/client', `${playgroundServiceIP}:80`);
    expect(svc.outcome).toBe('delivered');
    const dnat = svc.hops.find((h) => h.rule?.includes('DNAT'))!;
    expect(dnat.rewrite).toMatch(new RegExp(`> ${playgroundServiceIP.replace(/\./g, '\\.')}:80  ->  .* > 10\\.244\\.\\d\\.\\d:8080$`));
    expect(svc.reply?.received).toMatch(new RegExp(`^tcp ${playgroundServiceIP.replace(/\./g, '\\.')}:80 > ${ipOf('client').replace(/\./g, '\\.')}:`));
    expect(svc.text).toMatch(/^request: tcp /);
    // web-a calling its own Service: over enough new connections one picks web-a itself,
    // and that one arrives from cni0's address (kube-proxy's hairpin masquerade).
    const hairpin = Array.from({ length: 12 }, () => sim.walk('pod/default/web-a', `${playgroundServiceIP}:80`)).find((v) => v.at === 'pod/default/web-a')!;
    expect(hairpin.sourceKept).toBe(false);
    expect(hairpin.received).toMatch(/^tcp 10\.244\.0\.1:\d+ > 10\.244\.0\.\d:8080$/);
  });

  it('each walk is a new connection with its own source port, and the same seed replays the same ports', () => {
    const a = new PacketSim(spec);
    const b = new PacketSim(spec);
    const ports = (s: PacketSim) => [1, 2, 3].map(() => s.walk('pod/default/client', `${ipOf('web-a')}:8080`).sent.split(' ')[1]);
    const pa = ports(a);
    expect(new Set(pa).size).toBe(3);
    expect(ports(b)).toEqual(pa);
  });
});
