// host-local after containernetworking/plugins v1.9.1 plugins/ipam/host-local/backend/allocator/allocator_test.go
// (the single-range IPv4 rows), and the flannel -> bridge chain as kube-flannel.yml configures it.
import { describe, expect, it } from 'vitest';
import { rngFromSeed } from '../core/rng';
import { HostLocalStore, hostLocalAdd, hostLocalDel } from './host_local';
import { flannelAdd, flannelDel, kubeFlannelConflist, type FlannelDeps } from './flannel';
import type { BridgeState } from './bridge';

const conf = (subnet: string) => ({ type: 'host-local' as const, ranges: [[{ subnet }]] });

/** A store with `ipmap` reserved and `lastIP` as the cursor (the upstream test's fake store). */
function store(ipmap: Record<string, string>, lastIP?: string): HostLocalStore {
  const s = new HostLocalStore('net');
  for (const ip of Object.keys(ipmap)) s.files.set(`/var/lib/cni/networks/net/${ip}`, `${ipmap[ip]}\r\nx`);
  if (lastIP) s.files.set('/var/lib/cni/networks/net/last_reserved_ip.0', lastIP);
  return s;
}

describe('host-local', () => {
  it.each([
    ['fresh start', '10.0.0.0/29', {}, undefined, '10.0.0.2'],
    ['fresh start /30', '10.0.0.0/30', {}, undefined, '10.0.0.2'],
    ['fresh start, .2 taken', '10.0.0.0/29', { '10.0.0.2': 'id' }, undefined, '10.0.0.3'],
    ['next ip of last reserved ip', '10.0.0.0/29', {}, '10.0.0.5', '10.0.0.6'],
    ['next free after last reserved', '10.0.0.0/29', { '10.0.0.4': 'id', '10.0.0.5': 'id' }, '10.0.0.3', '10.0.0.6'],
    ['round robin to the beginning', '10.0.0.0/29', { '10.0.0.6': 'id' }, '10.0.0.5', '10.0.0.2'],
    ['lastIP is out of range', '10.0.0.0/29', { '10.0.0.2': 'id' }, '10.0.0.128', '10.0.0.3'],
    ['subnet is completely full except for lastip: wrap around and reserve lastIP', '10.0.0.0/29', { '10.0.0.2': 'id', '10.0.0.4': 'id', '10.0.0.5': 'id', '10.0.0.6': 'id' }, '10.0.0.3', '10.0.0.3'],
  ])('should allocate ips in round robin/%s', (_name, subnet, ipmap, lastIP, want) => {
    const out = hostLocalAdd(conf(subnet), store(ipmap, lastIP), 'c1', 'eth0');
    expect(out.ips[0].address.split('/')[0]).toBe(want);
  });

  it('should not allocate the broadcast address, nor the gateway', () => {
    const s = new HostLocalStore('net');
    const got = [2, 3, 4, 5, 6].map((i) => hostLocalAdd(conf('192.168.1.0/29'), s, `ID${i}`, 'eth0').ips[0]);
    expect(got.map((g) => g.address)).toEqual(['192.168.1.2/29', '192.168.1.3/29', '192.168.1.4/29', '192.168.1.5/29', '192.168.1.6/29']);
    expect(got[0].gateway).toBe('192.168.1.1');
    // when out of ips: returns a meaningful error
    expect(() => hostLocalAdd(conf('192.168.1.0/29'), s, 'ID8', 'eth0')).toThrow('no IP addresses available in range set: 192.168.1.1-192.168.1.6');
  });

  it('should allocate in a round-robin fashion: a released address is not handed back at once', () => {
    const s = new HostLocalStore('net');
    expect(hostLocalAdd(conf('192.168.1.0/29'), s, 'ID', 'eth0').ips[0].address).toBe('192.168.1.2/29');
    hostLocalDel(s, 'ID', 'eth0');
    expect(hostLocalAdd(conf('192.168.1.0/29'), s, 'ID', 'eth0').ips[0].address).toBe('192.168.1.3/29');
    expect([...s.files]).toEqual([
      ['/var/lib/cni/networks/net/last_reserved_ip.0', '192.168.1.3'],
      ['/var/lib/cni/networks/net/192.168.1.3', 'ID\r\neth0'],
    ]);
  });

  it("refuses what Range.Canonicalize refuses, and a second address for the same container", () => {
    expect(() => hostLocalAdd(conf('10.0.0.0/31'), new HostLocalStore('n'), 'a', 'eth0')).toThrow('Network 10.0.0.0/31 too small to allocate from');
    expect(() => hostLocalAdd(conf('10.0.0.5/24'), new HostLocalStore('n'), 'a', 'eth0')).toThrow('Network has host bits set. For a subnet mask of length 24 the network address is 10.0.0.0');
    const s = new HostLocalStore('n');
    hostLocalAdd(conf('10.0.0.0/24'), s, 'a', 'eth0');
    expect(() => hostLocalAdd(conf('10.0.0.0/24'), s, 'a', 'eth0')).toThrow('10.0.0.2 has been allocated to a, duplicate allocation is not allowed');
  });
});

describe('flannel -> bridge -> host-local (kube-flannel.yml)', () => {
  const subnetEnv = 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n';
  const deps = (env?: string): FlannelDeps => ({
    rng: rngFromSeed(1),
    ipam: new HostLocalStore('cbr0'),
    bridges: new Map<string, BridgeState>(),
    files: new Map(env === undefined ? [] : [['/run/flannel/subnet.env', env]]),
  });
  const netconf = { name: kubeFlannelConflist.name, cniVersion: kubeFlannelConflist.cniVersion, ...kubeFlannelConflist.plugins[0] };

  it("a pod gets .2 of the node's subnet, routes to the pod network and a default route through cni0 (.1)", () => {
    const d = deps(subnetEnv);
    const { delegate, result } = flannelAdd(netconf, { containerID: 'abc123', netns: '/var/run/netns/cni-1', ifName: 'eth0' }, d);
    expect(delegate).toMatchObject({ name: 'cbr0', type: 'bridge', hairpinMode: true, isDefaultGateway: true, isGateway: true, ipMasq: false, mtu: 1450, ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24' }]], routes: [{ dst: '10.244.0.0/16' }] } });
    expect(result.ips).toEqual([{ address: '10.244.1.2/24', gateway: '10.244.1.1', interface: 2 }]);
    expect(result.routes).toEqual([{ dst: '10.244.0.0/16' }, { dst: '0.0.0.0/0', gw: '10.244.1.1' }]);
    expect(result.interfaces!.map((i) => i.name)).toEqual(['cni0', expect.stringMatching(/^veth[0-9a-f]{8}$/), 'eth0']);
    expect(result.interfaces![2].sandbox).toBe('/var/run/netns/cni-1');
    expect(d.bridges.get('cni0')).toMatchObject({ addresses: ['10.244.1.1/24'], mtu: 1450 });
    expect(d.files.has('/var/lib/cni/flannel/abc123')).toBe(true);
    const second = flannelAdd(netconf, { containerID: 'def456', netns: '/var/run/netns/cni-2', ifName: 'eth0' }, d);
    expect(second.result.ips[0].address).toBe('10.244.1.3/24');
    flannelDel(netconf, { containerID: 'abc123', netns: '/var/run/netns/cni-1', ifName: 'eth0' }, d);
    expect(d.files.has('/var/lib/cni/flannel/abc123')).toBe(false);
    expect(d.ipam.files.has('/var/lib/cni/networks/cbr0/10.244.1.2')).toBe(false);
  });

  it('without flanneld the sandbox fails with the message kubectl describe pod shows', () => {
    expect(() => flannelAdd(netconf, { containerID: 'x', netns: 'n', ifName: 'eth0' }, deps())).toThrow(
      "failed to load flannel 'subnet.env' file: open /run/flannel/subnet.env: no such file or directory. Check the flannel pod log for this node.",
    );
    expect(() => flannelAdd(netconf, { containerID: 'x', netns: 'n', ifName: 'eth0' }, deps('FLANNEL_NETWORK=10.244.0.0/16\n'))).toThrow(
      "failed to load flannel 'subnet.env' file: /run/flannel/subnet.env is missing FLANNEL_SUBNET, FLANNEL_IPV6_SUBNET, FLANNEL_MTU, FLANNEL_IPMASQ. Check the flannel pod log for this node.",
    );
  });
});
