import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCluster, formatWalk, walkPacket, type NetClusterSpec as ClusterSpec } from './index';

const kubeProxyRules = readFileSync(new URL('./testdata/kube-proxy-rules.txt', import.meta.url), 'utf8');

/** Two nodes on one L2 segment, a client and a server pod on node-a, a server pod on node-b. */
function spec(over: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    seed: 'walk',
    nodes: [
      { name: 'node-a', ip: '192.168.0.2/24', podCIDR: '10.244.0.0/24' },
      { name: 'node-b', ip: '192.168.0.3/24', podCIDR: '10.244.1.0/24' },
    ],
    pods: [
      { name: 'client', node: 'node-a', ip: '10.244.0.5' },
      { name: 'web-a', node: 'node-a', ip: '10.244.0.8', ports: [8080] },
      { name: 'web-b', node: 'node-b', ip: '10.244.1.7', ports: [8080] },
    ],
    kubeProxyRules,
    ...over,
  };
}

/** The first source port (from 40000) for which the statistic rule sends `to` to `endpointIP`. */
function sportReaching(s: ClusterSpec, from: Parameters<typeof walkPacket>[1]['from'], to: string, endpointIP: string): number {
  for (let sport = 40000; sport < 40100; sport++) {
    const w = walkPacket(buildCluster(s), { from, to, sport, reply: false });
    if (w.received?.dst === endpointIP) return sport;
  }
  throw new Error(`no source port reaches ${endpointIP}`);
}

describe('walkPacket golden walks', () => {
  it('same node: pod -> ClusterIP -> DNAT to a pod on the same bridge, and the reply un-DNATed', async () => {
    const c = buildCluster(spec());
    const w = walkPacket(c, { from: 'client', to: '10.96.0.40:80', sport: 40000 });
    expect(w.outcome).toBe('delivered');
    expect(w.at).toBe('pod/default/web-a');
    expect(w.received).toEqual({ proto: 'tcp', src: '10.244.0.5', dst: '10.244.0.8', sport: 40000, dport: 8080 });
    expect(w.reply!.received).toEqual({ proto: 'tcp', src: '10.96.0.40', dst: '10.244.0.5', sport: 80, dport: 40000 });
    expect(w.hops.some((h) => h.kind === 'encap')).toBe(false);
    await expect(formatWalk(w)).toMatchFileSnapshot('./testdata/same-node-clusterip.txt');
  });

  it('cross node over VXLAN: encapsulated on node-a, decapsulated on node-b, reply back through conntrack', async () => {
    const s = spec();
    const sport = sportReaching(s, 'client', '10.96.0.20:80', '10.244.1.7');
    const c = buildCluster(s);
    const w = walkPacket(c, { from: 'client', to: '10.96.0.20:80', sport });
    expect(w.at).toBe('pod/default/web-b');
    const encap = w.hops.find((h) => h.kind === 'encap')!;
    expect(encap.outer).toMatchObject({ ipSrc: '192.168.0.2', ipDst: '192.168.0.3', udpDport: 8472, vni: 1 });
    expect(encap.outer!.innerEthDst).toBe(c.nodes.get('node-b')!.ns.link('flannel.1').mac);
    const dnat = w.hops.find((h) => h.kind === 'nat' && h.hook === 'PREROUTING')!;
    expect(dnat.decisive!.text).toBe('-A KUBE-SEP-A4JCWMD6AMIS43DD -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.1.7:8080');
    expect(w.reply!.received).toEqual({ proto: 'tcp', src: '10.96.0.20', dst: '10.244.0.5', sport: 80, dport: sport });
    expect(c.nodes.get('node-a')!.conntrack.list().stdout).toContain(
      `tcp      6 60 SYN_RECV src=10.244.0.5 dst=10.96.0.20 sport=${sport} dport=80 src=10.244.1.7 dst=10.244.0.5 sport=8080 dport=${sport} mark=0 use=1`,
    );
    await expect(formatWalk(w)).toMatchFileSnapshot('./testdata/cross-node-vxlan.txt');
  });

  it('host-gw: the same packet routed via node-b, no encapsulation', async () => {
    const s = spec({ backend: 'host-gw' });
    const sport = sportReaching(s, 'client', '10.96.0.20:80', '10.244.1.7');
    const c = buildCluster(s);
    const w = walkPacket(c, { from: 'client', to: '10.96.0.20:80', sport });
    expect(w.at).toBe('pod/default/web-b');
    expect(w.hops.some((h) => h.kind === 'encap')).toBe(false);
    expect(w.hops.find((h) => h.kind === 'route' && h.node === 'node-a' && h.netns === 'root')!.where).toBe('routing: 10.244.1.0/24 via 192.168.0.3 dev eth0 src 192.168.0.2');
    await expect(formatWalk(w)).toMatchFileSnapshot('./testdata/cross-node-host-gw.txt');
  });

  it('NodePort from outside: KUBE-NODEPORTS marks, DNAT to the other node, MASQUERADE to flannel.1, reply restored', async () => {
    const s = spec();
    const from = { external: '203.0.113.2', via: 'node-b' };
    const sport = sportReaching(s, from, '192.168.0.3:30080', '10.244.0.8');
    const c = buildCluster(s);
    const w = walkPacket(c, { from, to: '192.168.0.3:30080', sport });
    expect(w.at).toBe('pod/default/web-a');
    // The pod sees node-b's flannel.1 address, not the client: externalTrafficPolicy Cluster loses the source.
    expect(w.received!.src).toBe('10.244.1.0');
    const post = w.hops.find((h) => h.hook === 'POSTROUTING' && h.node === 'node-b' && h.kind === 'nat')!;
    expect(post.note).toBe("MASQUERADE to flannel.1's address");
    expect(post.decisive!.text).toBe('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully');
    expect(w.reply!.outcome).toBe('delivered');
    expect(w.reply!.at).toBe('external/203.0.113.2');
    expect(w.reply!.received).toEqual({ proto: 'tcp', src: '192.168.0.3', dst: '203.0.113.2', sport: 30080, dport: sport });
    await expect(formatWalk(w)).toMatchFileSnapshot('./testdata/nodeport-masquerade.txt');
  });

  it('a Service with no endpoints: filter FORWARD -> KUBE-SERVICES -> REJECT', async () => {
    const c = buildCluster(spec());
    const w = walkPacket(c, { from: 'client', to: '10.96.0.30:80', sport: 40000 });
    expect(w.outcome).toBe('rejected');
    expect(w.reply).toBeUndefined();
    const fwd = w.hops.find((h) => h.hook === 'FORWARD')!;
    expect(fwd.decisive).toEqual({ table: 'filter', chain: 'KUBE-SERVICES', line: expect.any(Number), text: '-A KUBE-SERVICES -d 10.96.0.30/32 -p tcp -m comment --comment "default/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable' });
    await expect(formatWalk(w)).toMatchFileSnapshot('./testdata/no-endpoints-reject.txt');
  });

  it('UDP backend: flannel0 TUN and flanneld in user space, UDP 8285', async () => {
    const c = buildCluster(spec({ backend: 'udp' }));
    const w = walkPacket(c, { from: 'client', to: '10.244.1.7:8080', sport: 40000 });
    expect(w.at).toBe('pod/default/web-b');
    expect(w.hops.filter((h) => h.kind === 'userspace').map((h) => h.node)).toEqual(['node-a', 'node-b']);
    expect(w.hops.find((h) => h.kind === 'userspace')!.outer).toMatchObject({ udpSport: 8285, udpDport: 8285 });
    await expect(formatWalk(w, { rules: false })).toMatchFileSnapshot('./testdata/cross-node-udp.txt');
  });
});

describe('walkPacket behaviour', () => {
  it('later packets of a connection follow conntrack and skip the nat table', () => {
    const c = buildCluster(spec());
    walkPacket(c, { from: 'client', to: '10.96.0.20:80', sport: 40001, reply: true });
    const again = walkPacket(c, { from: 'client', to: '10.96.0.20:80', sport: 40001, flags: 'ACK', reply: false });
    const pre = again.hops.find((h) => h.hook === 'PREROUTING')!;
    expect(pre.where).toContain('nat from conntrack');
    expect(pre.trace!.some((s) => s.kind === 'rule' && s.table === 'nat')).toBe(false);
    expect(c.nodes.get('node-a')!.conntrack.list().stdout).toMatch(/tcp {6}6 86400 ESTABLISHED src=10\.244\.0\.5 dst=10\.96\.0\.20 sport=40001 .*\[ASSURED\]/);
  });

  it('the seed decides every statistic draw: same seed, same endpoints', () => {
    const pick = (seed: string) => Array.from({ length: 20 }, (_, i) => walkPacket(buildCluster(spec({ seed })), { from: 'client', to: '10.96.0.20:80', sport: 41000 + i, reply: false }).received!.dst);
    expect(pick('x')).toEqual(pick('x'));
    expect(new Set(pick('x')).size).toBe(2);
  });

  it('a pod that does not listen answers with RST (refused); a bad target is refused like curl', () => {
    const c = buildCluster(spec());
    expect(walkPacket(c, { from: 'client', to: '10.244.0.8:9999' }).outcome).toBe('refused');
    // A pod that listens on 8080 still gets the reply to its own connection, on an ephemeral port.
    const out = walkPacket(c, { from: 'web-a', to: '10.244.1.7:8080', sport: 45000 });
    expect([out.outcome, out.reply?.outcome, out.reply?.at]).toEqual(['delivered', 'delivered', 'pod/default/web-a']);
    expect(() => walkPacket(c, { from: 'client', to: 'web:80' })).toThrow('curl: (3) URL using bad/illegal format or missing URL');
    expect(() => walkPacket(c, { from: 'nope', to: '10.0.0.1:80' })).toThrow('Error from server (NotFound): pods "nope" not found');
    expect(() => walkPacket(c, { from: 'client', to: '10.0.0.1:0', proto: 'icmp' })).toThrow('walkPacket: icmp is not modelled');
  });

  it('from a node to a ClusterIP: OUTPUT DNAT, re-route, and masquerade (the source is not a pod IP)', () => {
    const c = buildCluster(spec());
    const w = walkPacket(c, { from: 'node/node-a', to: '10.96.0.40:80', sport: 40000 });
    expect(w.at).toBe('pod/default/web-a');
    expect(w.sent.src).toBe('192.168.0.2');
    expect(w.received!.src).toBe('10.244.0.1');
    expect(w.reply!.received).toEqual({ proto: 'tcp', src: '10.96.0.40', dst: '192.168.0.2', sport: 80, dport: 40000 });
  });
});

describe('node commands', () => {
  it('answers iptables-save, ip, bridge, conntrack and subnet.env like the tools, and fails like them', async () => {
    const { runNetCommand } = await import('./shell');
    const c = buildCluster(spec({ kubeIpvs0: ['10.96.0.1'] }));
    walkPacket(c, { from: 'client', to: '10.96.0.40:80', sport: 40000 });
    expect(runNetCommand(c, 'node-a', 'iptables-save -t nat').stdout).toMatch(/^\*nat\n:PREROUTING ACCEPT \[0:0\]\n/);
    expect(runNetCommand(c, 'node-a', 'iptables-save -t raw')).toEqual({ stdout: '', stderr: 'iptables-save v1.8.9 (legacy): Cannot initialize: Table does not exist (do you need to insmod?)\n', code: 1 });
    expect(runNetCommand(c, 'node-a', 'ip addr').stdout).toContain('kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN');
    expect(runNetCommand(c, 'node-a', 'ip addr').stdout).toContain('    inet 10.96.0.1/32 scope global kube-ipvs0\n');
    expect(runNetCommand(c, 'pod/default/client', 'ip route').stdout).toContain('default via 10.244.0.1 dev eth0 \n');
    expect(runNetCommand(c, 'node-a', 'conntrack -L').stdout).toContain('dst=10.96.0.40 sport=40000 dport=80 src=10.244.0.8');
    expect(runNetCommand(c, 'node-a', 'conntrack -L').stderr).toBe('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n');
    expect(runNetCommand(c, 'node-z', 'ip route')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): nodes "node-z" not found\n', code: 1 });
    expect(runNetCommand(c, 'node-a', 'ip link set eth0 down').code).toBe(1);
    expect(runNetCommand(c, 'node-a', 'tcpdump -i eth0').code).toBe(127);
  });

  it('matches -m set against the node ipsets (the IPVS proxier hook)', () => {
    const rules = '*filter\n:KUBE-IPVS-FILTER - [0:0]\n-A FORWARD -m set --match-set KUBE-CLUSTER-IP dst,dst -j REJECT\nCOMMIT\n';
    const c = buildCluster(spec({ kubeProxyRules: rules, ipsets: { 'KUBE-CLUSTER-IP': ['10.96.0.99,tcp:80'] } }));
    expect(walkPacket(c, { from: 'client', to: '10.96.0.99:80', reply: false }).outcome).toBe('rejected');
    expect(walkPacket(c, { from: 'client', to: '10.96.0.99:81', reply: false }).outcome).toBe('delivered');
  });
});

describe('walkPacket invariants and events', () => {
  it('records one netstack.hop per hop and a netstack.walk per leg, with text and a source link', async () => {
    const { TraceRecorder } = await import('../../core/trace');
    const { netstackEvents } = await import('./events');
    const trace = new TraceRecorder();
    const c = buildCluster(spec({ trace }));
    const w = walkPacket(c, { from: 'client', to: '10.244.1.7:8080', sport: 40000 });
    const hops = trace.events.filter((e) => e.type === 'netstack.hop');
    expect(hops).toHaveLength(w.hops.length + w.reply!.hops.length);
    const ends = trace.events.filter((e) => e.type === 'netstack.walk');
    expect(ends.map((e) => netstackEvents.text(e))).toEqual([
      `request #1: delivered at pod/default/web-b after ${w.hops.length} hops`,
      `reply #1: delivered at pod/default/client after ${w.reply!.hops.length} hops`,
    ]);
    const encap = hops.find((e) => (e.hop as { kind: string }).kind === 'encap')!;
    expect(netstackEvents.source(encap)!.href).toBe('https://github.com/flannel-io/flannel/blob/v0.27.4/pkg/backend/vxlan/vxlan_network.go');
  });

  it('property: over seeds, backends and source ports the reply reaches the client as the exact inverse of what it sent', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('vxlan', 'host-gw', 'udp'), fc.integer({ min: 1024, max: 65535 }), fc.constantFrom('10.96.0.20:80', '10.96.0.40:80', '10.244.1.7:8080'), (seed, backend, sport, to) => {
        const w = walkPacket(buildCluster(spec({ seed, backend: backend as 'vxlan' })), { from: 'client', to, sport });
        const s = w.sent;
        expect(w.outcome).toBe('delivered');
        expect(w.reply!.received).toEqual({ proto: s.proto, src: s.dst, dst: s.src, sport: s.dport, dport: s.sport });
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});

describe('ip route get', () => {
  it('prints the route the kernel picks, like iproute2', async () => {
    const { runNetCommand } = await import('./shell');
    const c = buildCluster(spec());
    expect(runNetCommand(c, 'node-a', 'ip route get 10.244.1.7').stdout).toBe('10.244.1.7 via 10.244.1.0 dev flannel.1 src 10.244.0.0 uid 0 \n    cache \n');
    expect(runNetCommand(c, 'node-a', 'ip route get 10.244.0.1').stdout).toBe('local 10.244.0.1 dev lo src 10.244.0.1 uid 0 \n    cache <local> \n');
    expect(runNetCommand(c, 'node-a', 'ip route get web').stderr).toBe('Error: any valid prefix is expected rather than "web".\n');
  });
});

describe('neighbour tables after traffic', () => {
  it('ARP entries appear where the walk resolved a next hop (pod gateway, cni0 to the pod, the underlay peer)', async () => {
    const { runNetCommand } = await import('./shell');
    const c = buildCluster(spec());
    walkPacket(c, { from: 'client', to: '10.244.1.7:8080', sport: 40000 });
    const cni0 = c.nodes.get('node-a')!.ns.link('cni0').mac;
    const bEth0 = c.nodes.get('node-b')!.ns.link('eth0').mac;
    const webB = c.pods.get('default/web-b')!.ns.link('eth0').mac;
    expect(runNetCommand(c, 'pod/default/client', 'ip neigh').stdout).toBe(`10.244.0.1 dev eth0 lladdr ${cni0} REACHABLE\n`);
    expect(runNetCommand(c, 'node-a', 'ip neigh').stdout).toContain(`192.168.0.3 dev eth0 lladdr ${bEth0} REACHABLE\n`);
    expect(runNetCommand(c, 'node-b', 'ip neigh').stdout).toContain(`10.244.1.7 dev cni0 lladdr ${webB} REACHABLE\n`);
  });
});

describe('externalTrafficPolicy: Local (per-node rules)', () => {
  const local = {
    'node-a': readFileSync(new URL('./testdata/kube-proxy-local-node-a.txt', import.meta.url), 'utf8'),
    'node-b': readFileSync(new URL('./testdata/kube-proxy-local-node-b.txt', import.meta.url), 'utf8'),
  };

  it('a node with a local endpoint: KUBE-EXT -> KUBE-SVL, no masquerade mark, the pod sees the client IP', async () => {
    const c = buildCluster(spec({ kubeProxyRules: local }));
    const w = walkPacket(c, { from: { external: '203.0.113.2', via: 'node-a' }, to: '192.168.0.2:30081', sport: 40000 });
    expect(w.at).toBe('pod/default/web-a');
    expect(w.received!.src).toBe('203.0.113.2');
    const pre = w.hops.find((h) => h.hook === 'PREROUTING')!;
    expect(pre.matched!.map((r) => r.chain)).toContain('KUBE-SVL-6BGPERPBKT34GL66');
    expect(pre.matched!.some((r) => r.chain === 'KUBE-MARK-MASQ')).toBe(false);
    expect(w.reply!.received).toEqual({ proto: 'tcp', src: '192.168.0.2', dst: '203.0.113.2', sport: 30081, dport: 40000 });
    await expect(formatWalk(w)).toMatchFileSnapshot('./testdata/nodeport-local.txt');
  });

  it('a node without one: no DNAT, and filter INPUT drops it in KUBE-EXTERNAL-SERVICES', () => {
    const c = buildCluster(spec({ kubeProxyRules: local }));
    const w = walkPacket(c, { from: { external: '203.0.113.2', via: 'node-b' }, to: '192.168.0.3:30081', sport: 40000 });
    expect(w.outcome).toBe('dropped');
    const input = w.hops.find((h) => h.hook === 'INPUT')!;
    expect(input.decisive).toMatchObject({ table: 'filter', chain: 'KUBE-EXTERNAL-SERVICES', text: '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/lweb:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30081 -j DROP' });
  });

  it('pods still reach the service through any node: KUBE-EXT sends pod traffic to the cluster-wide KUBE-SVC', () => {
    const c = buildCluster(spec({ kubeProxyRules: local, pods: [{ name: 'client-b', node: 'node-b', ip: '10.244.1.9' }, { name: 'web-a', node: 'node-a', ip: '10.244.0.8', ports: [8080] }] }));
    const w = walkPacket(c, { from: 'client-b', to: '192.168.0.3:30081', sport: 40000 });
    expect(w.at).toBe('pod/default/web-a');
  });
});

describe('walkPacket: where each hop is, for the packet view', () => {
  it('names the pod of each hop in a pod netns and the two ends of each underlay hop', () => {
    const c = buildCluster(spec());
    const w = walkPacket(c, { from: 'client', to: '10.244.1.7:8080', sport: 40000 });
    const podHops = w.hops.filter((h) => h.netns !== 'root' && h.netns !== 'wire');
    expect(podHops.map((h) => h.pod)).toEqual(['default/client', 'default/client', 'default/web-b', 'default/web-b']);
    expect(w.hops.filter((h) => h.netns === 'root').some((h) => h.pod !== undefined)).toBe(false);
    expect(w.hops.filter((h) => h.kind === 'wire').map((h) => h.underlay)).toEqual([{ from: 'node/node-a', to: 'node/node-b' }]);
  });

  it('a NodePort walk from outside starts and its reply ends at external/<ip>', () => {
    const c = buildCluster(spec());
    const w = walkPacket(c, { from: { external: '203.0.113.2', via: 'node-b' }, to: '192.168.0.3:30080', sport: 40000 });
    expect(w.hops[0].underlay).toEqual({ from: 'external/203.0.113.2', to: 'node/node-b' });
    expect(w.reply!.hops.find((h) => h.kind === 'leave')!.underlay).toEqual({ from: 'node/node-b', to: 'external/203.0.113.2' });
  });
});
