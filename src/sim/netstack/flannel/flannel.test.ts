import { describe, expect, it } from 'vitest';
import { formatBridgeFdb, formatIpAddr, formatIpNeigh, formatIpRoute } from '../link/format';
import { buildCluster } from '../walk/cluster';
import { encapOverhead, flannelMasqRules, KUBE_FLANNEL_NET_CONF, parseNetworkConfig, subnetEnv } from './index';

const nodes = [
  { name: 'node-a', ip: '192.168.0.2/24', podCIDR: '10.244.0.0/24' },
  { name: 'node-b', ip: '192.168.0.3/24', podCIDR: '10.244.1.0/24' },
  { name: 'node-c', ip: '192.168.0.4/24', podCIDR: '10.244.2.0/24' },
];

describe('flannel network config', () => {
  it("fills kube-flannel.yml's net-conf.json the way flannel does", () => {
    expect(parseNetworkConfig(KUBE_FLANNEL_NET_CONF)).toEqual({
      Network: '10.244.0.0/16', SubnetLen: 24, SubnetMin: '10.244.1.0', SubnetMax: '10.244.255.0', Backend: { Type: 'vxlan' },
    });
    expect(parseNetworkConfig('{"Network":"10.5.0.0/24","Backend":{"Type":"host-gw"}}')).toMatchObject({ SubnetLen: 26, SubnetMin: '10.5.0.64', SubnetMax: '10.5.0.192' });
  });

  it.each([
    ['{"Backend":{"Type":"vxlan"}}', 'please define a correct Network parameter in the flannel config'],
    ['{"Network":"10.0.0.0/8","SubnetLen":31}', 'SubnetLen must be less than /31'],
    ['{"Network":"10.0.0.0/24","SubnetLen":25}', 'network must be able to accommodate at least four subnets'],
    ['{"Network":"10.0.0.0/29"}', 'network is too small. Minimum useful network prefix is /28'],
    ['{"Network":"10.0.0.0/16","SubnetMin":"10.1.0.0"}', 'SubnetMin is not in the range of the Network'],
  ])('refuses %s', (json, message) => {
    expect(() => parseNetworkConfig(json)).toThrow(message);
  });

  it('MTU: VXLAN costs 50 bytes (outer IP 20 + UDP 8 + VXLAN 8 + inner Ethernet 14), UDP 28, host-gw 0', () => {
    expect([encapOverhead('vxlan'), encapOverhead('udp'), encapOverhead('host-gw')]).toEqual([20 + 8 + 8 + 14, 20 + 8, 0]);
  });

  it('writes /run/flannel/subnet.env with the first usable address of the lease', () => {
    const cfg = parseNetworkConfig(KUBE_FLANNEL_NET_CONF);
    expect(subnetEnv(cfg, '10.244.1.0/24', 1450, true)).toBe('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
    const c = buildCluster({ nodes, backend: 'udp' });
    expect(c.nodes.get('node-a')!.flannel.subnetEnv).toContain('FLANNEL_MTU=1472\n');
  });
});

describe('flannel programs each node', () => {
  it('vxlan: flannel.1 (MTU 1450, its MAC in backend-data), per remote node an onlink route, a PERMANENT neighbour and an FDB entry', async () => {
    const c = buildCluster({ nodes, seed: 'flannel', pods: [{ name: 'p', node: 'node-a', ip: '10.244.0.5' }] });
    const a = c.nodes.get('node-a')!;
    const b = c.nodes.get('node-b')!;
    const vtepB = b.ns.link('flannel.1').mac!;
    expect(a.ns.link('flannel.1')).toMatchObject({ mtu: 1450, vxlan: { id: 1, local: '192.168.0.2', dev: 'eth0', port: 8472 } });
    expect(formatIpRoute(a.ns)).toContain('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink \n');
    expect(formatIpNeigh(a.ns)).toContain(`10.244.1.0 dev flannel.1 lladdr ${vtepB} PERMANENT\n`);
    expect(formatBridgeFdb(a.ns)).toContain(`${vtepB} dev flannel.1 dst 192.168.0.3 self permanent \n`);
    expect(b.flannel.annotations['flannel.alpha.coreos.com/backend-data']).toBe(`{"VNI":1,"VtepMAC":"${vtepB}"}`);
    const state = ['$ ip addr', formatIpAddr(a.ns), '$ ip route', formatIpRoute(a.ns), '$ ip neigh', formatIpNeigh(a.ns), '$ bridge fdb show', formatBridgeFdb(a.ns), '$ cat /run/flannel/subnet.env', a.flannel.subnetEnv, '$ iptables-save', a.iptablesSave()].join('\n');
    await expect(state).toMatchFileSnapshot('./testdata/node-a-vxlan.txt');
    const pod = c.pods.get('default/p')!;
    await expect(['$ ip addr', formatIpAddr(pod.ns), '$ ip route', formatIpRoute(pod.ns)].join('\n')).toMatchFileSnapshot('./testdata/pod-netns.txt');
  });

  it('host-gw: plain routes via the other nodes; a node off the L2 segment cannot be reached that way', () => {
    const c = buildCluster({ nodes: [...nodes, { name: 'far', ip: '192.168.7.9/24', podCIDR: '10.244.9.0/24' }], backend: 'host-gw' });
    const a = c.nodes.get('node-a')!;
    expect(formatIpRoute(a.ns)).toContain('10.244.2.0/24 via 192.168.0.4 dev eth0 \n');
    expect(a.ns.links.some((l) => l.name.startsWith('flannel'))).toBe(false);
    expect(a.flannel.mtu).toBe(1500);
    expect(a.flannel.errors).toEqual(['failed to add route 10.244.9.0/24 via 192.168.7.9 dev eth0: network is unreachable']);
  });

  it('udp: flannel0 TUN with MTU 1472 and one route for the whole network', () => {
    const c = buildCluster({ nodes, backend: 'udp' });
    const a = c.nodes.get('node-a')!;
    expect(a.ns.link('flannel0')).toMatchObject({ kind: 'tun', mtu: 1472 });
    expect(formatIpRoute(a.ns)).toContain('10.244.0.0/16 dev flannel0 \n');
    expect(formatIpAddr(a.ns)).toContain('flannel0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1472');
  });

  it("writes v0.27's masquerade rules (FLANNEL-POSTRTG), honouring kube-proxy's mark", () => {
    expect(flannelMasqRules('10.244.0.0/16', '10.244.1.0/24')).toEqual([
      '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
      '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
      '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    ]);
  });
});

describe('subnet leases', () => {
  it('etcd subnet manager: a seeded pick among free subnets from SubnetMin, never overlapping; none left is "out of subnets"', async () => {
    const { allocateSubnet } = await import('./lease');
    const { rngFromSeed } = await import('../../core/rng');
    const cfg = parseNetworkConfig('{"Network":"10.5.0.0/24","Backend":{"Type":"host-gw"}}'); // /26 subnets: .64, .128, .192
    const rng = rngFromSeed('lease');
    const got: string[] = [];
    for (let i = 0; i < 3; i++) got.push(allocateSubnet(cfg, got, rng));
    expect([...got].sort()).toEqual(['10.5.0.128/26', '10.5.0.192/26', '10.5.0.64/26']);
    expect(() => allocateSubnet(cfg, got, rng)).toThrow('out of subnets');
    const c = buildCluster({ nodes: [{ name: 'x', ip: '192.168.0.2/24' }, { name: 'y', ip: '192.168.0.3/24', podCIDR: '10.244.1.0/24' }], seed: 3 });
    expect(c.nodes.get('x')!.podCIDR).toMatch(/^10\.244\.\d+\.0\/24$/);
    expect(c.nodes.get('x')!.podCIDR).not.toBe('10.244.1.0/24');
    expect(c.nodes.get('x')!.podCIDR).not.toBe('10.244.0.0/24');
  });
});
